/* SMB1 pattern inspector for WannaMine's spreading vector (MS17-010).
 *
 * One TCP segment payload is read as NetBIOS session message (type 0x00,
 * 24-bit big-endian length) + SMB1 header ("\xffSMB", 32 bytes) + parameter
 * words + byte count + bytes, each step checked against what is left of the
 * segment (a segment may hold only the start of a long message: we parse the
 * part present and never read past `n`). The fields are then compared with
 * what the EternalBlue / DoublePulsar tools send, as public IDS signatures
 * describe them (ET sids 2025649, 2025650, 2024216, 2024430; PT rules):
 *
 *   probe          SMB_COM_TRANSACTION, setup {0x0023 PeekNamedPipe, FID 0},
 *                  name "\PIPE\" — the MS17-010 vulnerability check
 *   vuln reply     SMB_COM_TRANSACTION reply, STATUS_INSUFF_SERVER_RESOURCES
 *   exploit        NT_TRANSACT with TotalDataCount > 0xFFFF (the FEA-list
 *                  size confusion), TRANS2_SECONDARY carrying bulk data on
 *                  FID 0 (the grooming continuations), or TRANS2 with a
 *                  near-64K total data count and a bulk segment
 *   DP ping        TRANS2 with subcommand 0x000e SESSION_SETUP (reserved,
 *                  never sent by real clients); the implant uses MID 65/66
 *   DP response    TRANS2 reply, STATUS_NOT_IMPLEMENTED, MID 80..89 (= the
 *                  ping's MID + 16: the implant's "I am here" answer)
 *   no implant     TRANS2 reply, STATUS_NOT_IMPLEMENTED, MID 64..73 (the
 *                  ping answered by an unimplanted host; only meaningful
 *                  after a ping, the detector pairs them)
 *
 * Stateless on purpose: the detector keeps per-flow memory. */
#include "proto/smb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/cursor.h"

#define SMB_HDR_LEN 32u
#define SMB_FLAGS_REPLY 0x80u

#define CMD_TRANSACTION 0x25u
#define CMD_TRANSACTION2 0x32u
#define CMD_TRANSACTION2_SECONDARY 0x33u
#define CMD_NT_TRANSACT 0xA0u

#define ST_NOT_IMPLEMENTED 0xC0000002u
#define ST_INSUFF_SERVER_RESOURCES 0xC0000205u

#define TRANS_PEEK_NMPIPE 0x0023u
#define TRANS2_SESSION_SETUP 0x000Eu


/* A parsed SMB1 message prefix: header fields plus the parameter words and
 * bytes present in the segment (words_n/bytes_n may be short of what the
 * counts announce when the message continues in a later segment). */
typedef struct smb_msg {
    uint8_t cmd;
    uint32_t status;
    uint8_t flags;
    uint16_t mid;
    const uint8_t *sig;   /* 8-byte security signature field */
    uint8_t wc;           /* WordCount as sent */
    const uint8_t *words; /* parameter words present */
    size_t words_n;       /* bytes of words present (<= 2*wc) */
    int have_bc;          /* ByteCount present */
    uint16_t bc;
    const uint8_t *bytes; /* data bytes present */
    size_t bytes_n;
} smb_msg;

static int parse_msg(const uint8_t *p, size_t n, smb_msg *m)
{
    memset(m, 0, sizeof *m);
    mt_cur c = mt_cur_make(p, p ? n : 0);
    uint8_t type = mt_cur_u8(&c);
    uint32_t nb_len = mt_cur_be24(&c);
    if (!mt_cur_ok(&c) || type != 0x00) return MT_ENOTFOUND; /* NetBIOS SESSION MESSAGE only */
    if (nb_len < SMB_HDR_LEN) return MT_ENOTFOUND;
    mt_cur_limit(&c, nb_len); /* the message, or the part of it in this segment */
    const uint8_t *magic = mt_cur_take(&c, 4);
    m->cmd = mt_cur_u8(&c);
    m->status = mt_cur_le32(&c);
    m->flags = mt_cur_u8(&c);
    mt_cur_skip(&c, 4); /* Flags2, PIDHigh */
    m->sig = mt_cur_take(&c, 8);
    mt_cur_skip(&c, 8); /* Reserved, TID, PIDLow, UID */
    m->mid = mt_cur_le16(&c);
    if (!mt_cur_ok(&c) || memcmp(magic, "\xffSMB", 4) != 0) return MT_ENOTFOUND;
    if (mt_cur_left(&c) == 0) return MT_OK; /* header only */
    m->wc = mt_cur_u8(&c);
    size_t want = (size_t)m->wc * 2u;
    m->words = mt_cur_ptr(&c);
    m->words_n = want <= mt_cur_left(&c) ? want : mt_cur_left(&c);
    if (want + 2u <= mt_cur_left(&c)) {
        mt_cur_skip(&c, want);
        m->have_bc = 1;
        m->bc = mt_cur_le16(&c);
        m->bytes = mt_cur_ptr(&c);
        m->bytes_n = m->bc <= mt_cur_left(&c) ? m->bc : mt_cur_left(&c);
    }
    return MT_OK;
}

/* Parameter word i (16-bit) if present. */
static int word(const smb_msg *m, size_t i, uint16_t *out)
{
    mt_cur w = mt_cur_make(m->words, m->words_n);
    mt_cur_skip(&w, 2u * i);
    *out = mt_cur_le16(&w);
    return mt_cur_ok(&w);
}

/* Does the transaction name start with "\PIPE\" (ASCII, or UTF-16LE after
 * an optional pad byte)? */
static int name_is_pipe(const smb_msg *m)
{
    static const char pipe[] = "\\PIPE\\";
    const size_t k = sizeof pipe - 1;
    if (!m->bytes) return 0;
    if (m->bytes_n >= k && memcmp(m->bytes, pipe, k) == 0) return 1;
    for (size_t pad = 0; pad < 2; pad++) {
        if (m->bytes_n < pad + 2u * k) continue;
        size_t i;
        for (i = 0; i < k; i++)
            if (m->bytes[pad + 2 * i] != (uint8_t)pipe[i] || m->bytes[pad + 2 * i + 1] != 0)
                break;
        if (i == k) return 1;
    }
    return 0;
}

static int found(mt_smb *out, const smb_msg *m, mt_smb_sig sig, const char *fmt, ...)
    MT_PRINTF(4, 5);
static int found(mt_smb *out, const smb_msg *m, mt_smb_sig sig, const char *fmt, ...)
{
    out->sig = sig;
    out->command = m->cmd;
    out->is_reply = (m->flags & SMB_FLAGS_REPLY) ? 1 : 0;
    out->mid = m->mid;
    out->status = m->status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->detail, sizeof out->detail, fmt, ap);
    va_end(ap);
    return MT_OK;
}

/* SMB_COM_TRANSACTION request: words 0..13 fixed, word 13 low byte =
 * SetupCount, setup words from 14. */
static int check_transaction(const smb_msg *m, mt_smb *out)
{
    if (m->flags & SMB_FLAGS_REPLY) {
        if (m->status == ST_INSUFF_SERVER_RESOURCES)
            return found(out, m, MT_SMB_ETERNALBLUE_VULN_REPLY,
                         "Transaction reply STATUS_INSUFF_SERVER_RESOURCES (MID %u)",
                         (unsigned)m->mid);
        return MT_ENOTFOUND;
    }
    uint16_t w13, s0, s1;
    if (m->wc < 16 || !word(m, 13, &w13) || (w13 & 0xFF) < 2) return MT_ENOTFOUND;
    if (!word(m, 14, &s0) || !word(m, 15, &s1)) return MT_ENOTFOUND;
    if (s0 != TRANS_PEEK_NMPIPE || s1 != 0) return MT_ENOTFOUND;
    if (!name_is_pipe(m)) return MT_ENOTFOUND;
    return found(out, m, MT_SMB_ETERNALBLUE_PROBE,
                 "Transaction PeekNamedPipe on FID 0 to \\PIPE\\ (MID %u)", (unsigned)m->mid);
}

/* SMB_COM_TRANSACTION2: request words as for TRANSACTION (word 1 =
 * TotalDataCount, 11 = DataCount, 13 low = SetupCount, 14 = subcommand). */
static int check_trans2(const smb_msg *m, mt_smb *out)
{
    if (m->flags & SMB_FLAGS_REPLY) {
        if (m->status != ST_NOT_IMPLEMENTED) return MT_ENOTFOUND;
        if (m->mid >= 80 && m->mid <= 89) {
            mt_cur k = mt_cur_make(m->sig, 8);
            uint32_t key = mt_cur_le32(&k);
            return found(out, m, MT_SMB_DOUBLEPULSAR_RESPONSE,
                         "Trans2 reply STATUS_NOT_IMPLEMENTED with MID %u (ping MID + 16), "
                         "signature field %08x",
                         (unsigned)m->mid, (unsigned)key);
        }
        if (m->mid >= 64 && m->mid <= 73)
            return found(out, m, MT_SMB_DOUBLEPULSAR_NO_IMPLANT,
                         "Trans2 reply STATUS_NOT_IMPLEMENTED with MID %u (no implant)",
                         (unsigned)m->mid);
        return MT_ENOTFOUND;
    }
    uint16_t w13, sub, tdc, dc;
    if (m->wc < 15 || !word(m, 13, &w13) || (w13 & 0xFF) < 1 || !word(m, 14, &sub))
        return MT_ENOTFOUND;
    if (!word(m, 1, &tdc) || !word(m, 11, &dc)) return MT_ENOTFOUND;
    if (sub == TRANS2_SESSION_SETUP)
        return found(out, m, MT_SMB_DOUBLEPULSAR_PING,
                     "Trans2 SESSION_SETUP (subcommand 0x000e) with MID %u, data %u",
                     (unsigned)m->mid, (unsigned)dc);
    if (tdc >= 0xC000 && dc >= 1000 && m->bytes_n >= 1000)
        return found(out, m, MT_SMB_ETERNALBLUE_EXPLOIT,
                     "Trans2 subcommand 0x%04x with total data %u (oversized FEA list)",
                     (unsigned)sub, (unsigned)tdc);
    return MT_ENOTFOUND;
}

/* TRANS2_SECONDARY request (WordCount 9): word 5 DataCount, 7
 * DataDisplacement, 8 FID. */
static int check_trans2_secondary(const smb_msg *m, mt_smb *out)
{
    if (m->flags & SMB_FLAGS_REPLY) return MT_ENOTFOUND;
    uint16_t dc, disp, fid;
    if (m->wc != 9 || !word(m, 5, &dc) || !word(m, 7, &disp) || !word(m, 8, &fid))
        return MT_ENOTFOUND;
    if (dc < 1000 || fid != 0) return MT_ENOTFOUND;
    return found(out, m, MT_SMB_ETERNALBLUE_EXPLOIT,
                 "Trans2 Secondary on FID 0 with %u data bytes at displacement %u",
                 (unsigned)dc, (unsigned)disp);
}

/* NT_TRANSACT request: byte 0 MaxSetupCount, 1..2 reserved, then 32-bit
 * counts; TotalDataCount at byte offset 7 of the words. */
static int check_nt_transact(const smb_msg *m, mt_smb *out)
{
    if (m->flags & SMB_FLAGS_REPLY) return MT_ENOTFOUND;
    if (m->wc < 19) return MT_ENOTFOUND;
    mt_cur w = mt_cur_make(m->words, m->words_n);
    mt_cur_skip(&w, 7);
    uint32_t tdc = mt_cur_le32(&w);
    if (!mt_cur_ok(&w) || tdc <= 0xFFFF) return MT_ENOTFOUND;
    mt_cur f = mt_cur_make(m->words, m->words_n);
    mt_cur_skip(&f, 36);
    uint16_t fn = mt_cur_le16(&f); /* 0 when the segment ends before it */
    return found(out, m, MT_SMB_ETERNALBLUE_EXPLOIT,
                 "NT Trans function %u with total data %u (> 65535, FEA list overflow)",
                 (unsigned)fn, (unsigned)tdc);
}

int mt_smb_inspect(const uint8_t *p, size_t n, int to_server, mt_smb *out)
{
    (void)to_server; /* the SMB reply flag says the direction more reliably */
    smb_msg m;
    if (!out) return MT_EINVAL;
    memset(out, 0, sizeof *out);
    if (parse_msg(p, n, &m) != MT_OK) return MT_ENOTFOUND;
    switch (m.cmd) {
    case CMD_TRANSACTION: return check_transaction(&m, out);
    case CMD_TRANSACTION2: return check_trans2(&m, out);
    case CMD_TRANSACTION2_SECONDARY: return check_trans2_secondary(&m, out);
    case CMD_NT_TRANSACT: return check_nt_transact(&m, out);
    default: return MT_ENOTFOUND;
    }
}
