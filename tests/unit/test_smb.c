/* Tests for the SMB1 pattern inspector (src/proto/smb.c) and the 'smb'
 * precursor detector (src/detect/smb.c).
 *
 * Real snippets: segments cut from the 3CORESec testmynids captures (frame
 * numbers given); the real captures themselves are also replayed from the
 * corpus (a minimal classic-pcap/Ethernet reader below), together with the
 * ordinary SMB captures of nDPI's test set as negatives. The PeekNamedPipe
 * probe and the vulnerable reply do not occur in those captures, so they
 * are built from the bytes ET sids 2025649/2025650 match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit/collect_sink.h"

#include "detect/detectors.h"
#include "detect/smb.h"
#include "minetrace/engine.h"
#include "proto/smb.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (h[0] && h[1] && n < cap) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

/* doublepulsar-backdoor-connect-win7.pcap frame 86 (attacker -> victim) */
static const char DP_PING[] =
    "0000004eff534d4232000000001807c00000000000000000000000000008fffe000841000f0c0000"
    "00010000000000000077bfed0000000c00420000004e0001000e000d000000000000000000000000"
    "0000";
/* same capture frame 87: the implant's answer, MID 81 */
static const char DP_RESP[] =
    "00000023ff534d4232020000c09807c00000794b5da40000000000000008fffe00085100000000";
/* eternalblue-success-unpatched-win7.pcap frame 13: ping answered, no implant */
static const char EB_NOIMPL[] =
    "00000023ff534d4232020000c09807c00000000000000000000000000008fffe00084100000000";
/* same capture frame 14, first 120 bytes: NT Trans with TotalDataCount 66512 */
static const char EB_NTTRANS[] =
    "00000438ff534d42a0000000001807c00000000000000000000000000008fffe00084100140100001e"
    "000000d00301001e000000000000001e0000004b000000d0030000680000000100000000ec030000"
    "0000000000000000000000000000000000000000000000000000000000000001000000000000";
/* same capture frame 16, first 120 bytes: Trans2 Secondary, FID 0, 4096 data */
static const char EB_T2SEC[] =
    "00001035ff534d4233000000001807c00000000000000000000000000008fffe000841000900000010"
    "00000000000000103500d0030000001000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000";
/* same capture frame 566: implant answers the MID 66 ping with MID 82 */
static const char EB_RESP82[] =
    "00000023ff534d4232020000c09807c0000007b7ada50000000000000008fffe00085200000000";
/* ordinary Negotiate request (smbv1.pcap frame 1, first 60 bytes) */
static const char NEGOTIATE[] =
    "00000085ff534d4272000000001853c00000000000000000000000000000fffe0000400000620002"
    "5043204e4554574f524b2050524f4752414d20312e3000";

/* MSF-style MS17-010 check as ET sid 2025649 describes it: Transaction,
 * flags 0x18 flags2 0x2801, setup {0x0023, 0x0000}, name "\PIPE\". */
static size_t build_probe(uint8_t *b, int unicode)
{
    size_t n = 0;
    b[n++] = 0; b[n++] = 0; b[n++] = 0; b[n++] = 0; /* length patched below */
    const uint8_t hdr[32] = {0xff, 'S', 'M', 'B', 0x25, 0, 0, 0, 0, 0x18, 0x01, 0x28,
                             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                             0x00, 0x08, 0xff, 0xfe, 0x00, 0x08, 0x41, 0x00};
    memcpy(b + n, hdr, 32);
    n += 32;
    b[n++] = 16; /* WordCount */
    uint16_t w[16] = {0, 0, 0xffff, 0xffff, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0x4a, 2, 0x23, 0};
    for (int i = 0; i < 16; i++) { b[n++] = (uint8_t)w[i]; b[n++] = (uint8_t)(w[i] >> 8); }
    static const char name[] = "\\PIPE\\";
    if (!unicode) {
        b[n++] = 7; b[n++] = 0;
        memcpy(b + n, name, 7);
        n += 7;
    } else {
        b[n++] = 15; b[n++] = 0;
        b[n++] = 0; /* pad */
        for (size_t i = 0; i < 7; i++) { b[n++] = (uint8_t)name[i]; b[n++] = 0; }
    }
    b[3] = (uint8_t)(n - 4);
    return n;
}

static void test_real_snippets(void **st)
{
    (void)st;
    uint8_t b[512];
    mt_smb m;
    size_t n = unhex(DP_PING, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_DOUBLEPULSAR_PING);
    assert_int_equal(m.mid, 65);
    assert_false(m.is_reply);
    assert_non_null(strstr(m.detail, "SESSION_SETUP"));

    n = unhex(DP_RESP, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 0, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_DOUBLEPULSAR_RESPONSE);
    assert_int_equal(m.mid, 81);
    assert_true(m.is_reply);
    assert_int_equal(m.status, 0xC0000002u);

    n = unhex(EB_NOIMPL, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 0, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_DOUBLEPULSAR_NO_IMPLANT);
    assert_int_equal(m.mid, 65);

    n = unhex(EB_NTTRANS, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_ETERNALBLUE_EXPLOIT);
    assert_non_null(strstr(m.detail, "66512"));

    n = unhex(EB_T2SEC, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_ETERNALBLUE_EXPLOIT);
    assert_non_null(strstr(m.detail, "Secondary"));

    n = unhex(EB_RESP82, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 0, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_DOUBLEPULSAR_RESPONSE);
    assert_int_equal(m.mid, 82);

    n = unhex(NEGOTIATE, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_ENOTFOUND);
}

static void test_probe_and_vuln_reply(void **st)
{
    (void)st;
    uint8_t b[256];
    mt_smb m;
    size_t n = build_probe(b, 0);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_ETERNALBLUE_PROBE);
    n = build_probe(b, 1);
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_ETERNALBLUE_PROBE);

    /* same with FID 1: an ordinary PeekNamedPipe, not the check */
    n = build_probe(b, 0);
    b[4 + 32 + 1 + 2 * 15] = 1;
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_ENOTFOUND);
    /* other pipe name */
    n = build_probe(b, 0);
    b[n - 2] = 'X';
    assert_int_equal(mt_smb_inspect(b, n, 1, &m), MT_ENOTFOUND);

    /* vulnerable reply: ET 2025650 bytes |ff|SMB|25 05 02 00 c0 98 01| */
    static const uint8_t vr[] = {0, 0, 0, 0x23, 0xff, 'S', 'M', 'B', 0x25, 0x05, 0x02, 0x00,
                                 0xc0, 0x98, 0x01, 0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                 0x00, 0x08, 0xff, 0xfe, 0x00, 0x08, 0x41, 0x00, 0, 0, 0};
    assert_int_equal(mt_smb_inspect(vr, sizeof vr, 0, &m), MT_OK);
    assert_int_equal(m.sig, MT_SMB_ETERNALBLUE_VULN_REPLY);
    assert_true(m.is_reply);
}

/* Every prefix of every snippet, and corrupted length/count fields: no
 * crash (ASan build), never a match on a header cut short. */
static void test_truncated_and_malformed(void **st)
{
    (void)st;
    const char *all[] = {DP_PING, DP_RESP, EB_NOIMPL, EB_NTTRANS, EB_T2SEC, EB_RESP82, NEGOTIATE};
    uint8_t b[512];
    mt_smb m;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        size_t n = unhex(all[k], b, sizeof b);
        for (size_t i = 0; i <= n; i++) {
            uint8_t *c = malloc(i ? i : 1);
            memcpy(c, b, i);
            int rc = mt_smb_inspect(c, i, 1, &m);
            assert_true(rc == MT_OK || rc == MT_ENOTFOUND);
            if (i < 36) assert_int_equal(rc, MT_ENOTFOUND);
            free(c);
        }
        /* huge word count and byte count */
        uint8_t c[512];
        memcpy(c, b, n);
        if (n > 36) { c[36] = 0xff; (void)mt_smb_inspect(c, n, 1, &m); }
        /* NetBIOS length smaller than the SMB header */
        memcpy(c, b, n);
        c[1] = 0; c[2] = 0; c[3] = 10;
        assert_int_equal(mt_smb_inspect(c, n, 1, &m), MT_ENOTFOUND);
        /* not a session message (keep-alive type 0x85) */
        memcpy(c, b, n);
        c[0] = 0x85;
        assert_int_equal(mt_smb_inspect(c, n, 1, &m), MT_ENOTFOUND);
        /* SMB2 magic */
        memcpy(c, b, n);
        c[4] = 0xfe;
        assert_int_equal(mt_smb_inspect(c, n, 1, &m), MT_ENOTFOUND);
    }
    assert_int_equal(mt_smb_inspect(NULL, 0, 1, &m), MT_ENOTFOUND);
}

/* ---- real captures from the corpus ------------------------------------ */

typedef void (*seg_fn)(void *ctx, const uint8_t *ip_src, const uint8_t *ip_dst,
                       uint16_t sport, uint16_t dport, int64_t ts_us,
                       const uint8_t *pl, size_t n);

/* Classic pcap, Ethernet (+802.1Q), IPv4/TCP only: enough for these captures. */
static int replay_pcap(const char *path, seg_fn fn, void *ctx)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    uint8_t gh[24];
    if (fread(gh, 1, 24, f) != 24 || gh[0] != 0xd4 || gh[1] != 0xc3 || gh[20] != 1) {
        fclose(f);
        return -1;
    }
    static uint8_t pkt[262144];
    uint8_t rh[16];
    int segs = 0;
    while (fread(rh, 1, 16, f) == 16) {
        uint32_t sec = rh[0] | rh[1] << 8 | rh[2] << 16 | (uint32_t)rh[3] << 24;
        uint32_t usec = rh[4] | rh[5] << 8 | rh[6] << 16 | (uint32_t)rh[7] << 24;
        uint32_t cap = rh[8] | rh[9] << 8 | rh[10] << 16 | (uint32_t)rh[11] << 24;
        if (cap > sizeof pkt || fread(pkt, 1, cap, f) != cap) break;
        size_t l2 = 14;
        if (cap >= 18 && pkt[12] == 0x81 && pkt[13] == 0x00) l2 = 18; /* 802.1Q */
        if (cap < l2 + 20 || pkt[l2 - 2] != 0x08 || pkt[l2 - 1] != 0x00) continue;
        const uint8_t *ip = pkt + l2;
        size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
        size_t tot = (size_t)ip[2] << 8 | ip[3];
        if (ip[9] != 6 || ihl < 20 || tot > cap - l2 || tot < ihl + 20) continue;
        const uint8_t *tcp = ip + ihl;
        size_t thl = (size_t)(tcp[12] >> 4) * 4;
        if (thl < 20 || ihl + thl > tot) continue;
        size_t pl = tot - ihl - thl;
        if (!pl) continue;
        fn(ctx, ip + 12, ip + 16, (uint16_t)(tcp[0] << 8 | tcp[1]),
           (uint16_t)(tcp[2] << 8 | tcp[3]), (int64_t)sec * 1000000 + usec, tcp + thl, pl);
        segs++;
    }
    fclose(f);
    return segs;
}

typedef struct sig_count { int n[8]; } sig_count;

static void count_seg(void *ctx, const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp,
                      int64_t ts, const uint8_t *pl, size_t n)
{
    (void)s; (void)d; (void)ts;
    sig_count *c = ctx;
    if (sp != 445 && dp != 445 && sp != 139 && dp != 139) return;
    mt_smb m;
    if (mt_smb_inspect(pl, n, dp == 445 || dp == 139, &m) == MT_OK) c->n[m.sig]++;
}

static const char *corpus(void)
{
    const char *c = getenv("MT_CORPUS");
    return c && *c ? c : "../shared/corpus";
}

static int count_file(const char *rel, sig_count *c)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/pcap/%s", corpus(), rel);
    memset(c, 0, sizeof *c);
    return replay_pcap(p, count_seg, c);
}

#define EBDIR "other/3CORESec_testmynids_eternalblue/"

static void test_corpus_patterns(void **st)
{
    (void)st;
    sig_count c;
    assert_true(count_file(EBDIR "doublepulsar-backdoor-connect-win7.pcap", &c) > 0);
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_PING], 1);
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_RESPONSE], 1);
    assert_int_equal(c.n[MT_SMB_ETERNALBLUE_EXPLOIT], 0);

    assert_true(count_file(EBDIR "eternalblue-success-unpatched-win7.pcap", &c) > 0);
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_PING], 4);       /* frames 12, 257, 270, 565 */
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_NO_IMPLANT], 3); /* 13, 258, 271 */
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_RESPONSE], 1);   /* 566 */
    assert_true(c.n[MT_SMB_ETERNALBLUE_EXPLOIT] >= 30);       /* NT Trans + secondaries */
    assert_int_equal(c.n[MT_SMB_ETERNALBLUE_PROBE], 0);

    /* the patched host never answered on 445: nothing on TCP at all */
    assert_true(count_file(EBDIR "eternalblue-failed-patched-win7.pcap", &c) >= 0);
    for (int i = 0; i < 8; i++) assert_int_equal(c.n[i], 0);

    /* ordinary SMB from nDPI's test set: nothing */
    const char *neg[] = {"ndpi-tests/smb_deletefile.pcap", "ndpi-tests/smb_frags.pcap",
                         "ndpi-tests/dos_win98_smb_netbeui.pcap"};
    for (size_t k = 0; k < sizeof neg / sizeof neg[0]; k++) {
        /* the Win98 capture is NetBEUI (no IP): zero TCP segments is right */
        assert_true(count_file(neg[k], &c) >= (k == 2 ? 0 : 1));
        for (int i = 0; i < 8; i++) assert_int_equal(c.n[i], 0);
    }
    /* nDPI's smbv1.pcap (2017-04-14) is a real, unanswered DoublePulsar
     * ping: the inspector sees it; the detector must not report it. */
    assert_true(count_file("ndpi-tests/smbv1.pcap", &c) > 0);
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_PING], 1);
    assert_int_equal(c.n[MT_SMB_DOUBLEPULSAR_RESPONSE], 0);
}

/* ---- detector through the engine -------------------------------------- */

typedef struct feed { mt_engine *e; } feed;

static uint64_t flow_key(const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
    uint8_t k[12];
    memcpy(k, a, 4); memcpy(k + 4, b, 4);
    k[8] = (uint8_t)(ap >> 8); k[9] = (uint8_t)ap; k[10] = (uint8_t)(bp >> 8); k[11] = (uint8_t)bp;
    return mt_hash_bytes(k, sizeof k, 7) | 1;
}

static void feed_seg(void *ctx, const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp,
                     int64_t ts, const uint8_t *pl, size_t n)
{
    feed *fd = ctx;
    if (sp != 445 && dp != 445) return;
    int to_server = dp == 445;
    mt_smb m;
    if (mt_smb_inspect(pl, n, to_server, &m) != MT_OK) return;
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_SMB;
    ev.source = MT_SRC_PCAP;
    ev.flags = to_server ? MT_EVF_TO_SERVER : 0;
    ev.ts = ts;
    ev.ipproto = 6;
    const uint8_t *cli = to_server ? s : d, *srv = to_server ? d : s;
    ev.cli.family = 4; memcpy(ev.cli.b, cli, 4);
    ev.srv.family = 4; memcpy(ev.srv.b, srv, 4);
    ev.cli_port = to_server ? sp : dp;
    ev.srv_port = 445;
    ev.flow_id = flow_key(cli, ev.cli_port, srv, 445);
    ev.u.smb = &m;
    mt_engine_event(fd->e, &ev);
}

static mt_engine *new_engine(got *g)
{
    mt_engine *e = mt_engine_new(NULL, NULL);
    mt_engine_set_keep_repeats(e, 1); /* this detector's own findings, each */
    assert_non_null(e);
    mt_engine_add_sink(e, got_sink(g));
    return e;
}

static int run_detector(const char *rel, got *g)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/pcap/%s", corpus(), rel);
    memset(g, 0, sizeof *g);
    feed fd = {new_engine(g)};
    int r = replay_pcap(p, feed_seg, &fd);
    mt_engine_flush(fd.e);
    mt_engine_free(fd.e);
    return r;
}

static int count_evidence(const got *g, const char *needle)
{
    int k = 0;
    for (int i = 0; i < g->n; i++)
        if (strstr(g->f[i].evidence, needle)) k++;
    return k;
}

static void test_detector_corpus(void **st)
{
    (void)st;
    static got g;
    char a[MT_ADDR_STRLEN], v[MT_ADDR_STRLEN];

    assert_true(run_detector(EBDIR "doublepulsar-backdoor-connect-win7.pcap", &g) > 0);
    assert_int_equal(g.n, 2);
    for (int i = 0; i < g.n; i++) {
        assert_string_equal(g.f[i].event_type, MT_EVENT_PRECURSOR);
        assert_int_equal(g.f[i].kind, MT_KIND_SMB);
        assert_string_equal(g.f[i].protocol, "smb1");
        assert_string_equal(g.f[i].family, "wannamine");
        mt_addr_to_str(&g.f[i].src, a, sizeof a);
        mt_addr_to_str(&g.f[i].dst, v, sizeof v);
        assert_string_equal(a, "192.168.198.204"); /* attacker */
        assert_string_equal(v, "192.168.198.203"); /* victim */
        assert_int_equal(g.f[i].dst_port, 445);
    }
    assert_int_equal(count_evidence(&g, "DoublePulsar ping answered"), 1);
    assert_int_equal(count_evidence(&g, "DoublePulsar implant answered"), 1);

    assert_true(run_detector(EBDIR "eternalblue-success-unpatched-win7.pcap", &g) > 0);
    /* one exploit finding per exploit connection, pings answered, one
     * implant answer; never more than one finding per (flow, pattern) */
    if (getenv("MT_TEST_VERBOSE"))
        for (int i = 0; i < g.n; i++)
            fprintf(stderr, "flow %llx %s\n", (unsigned long long)g.f[i].flow_id, g.f[i].evidence);
    int ex = count_evidence(&g, "EternalBlue exploit");
    assert_true(ex >= 2 && ex <= 6);
    assert_int_equal(count_evidence(&g, "DoublePulsar ping answered"), 2); /* 2 flows */
    assert_int_equal(count_evidence(&g, "DoublePulsar implant answered"), 1);
    for (int i = 0; i < g.n; i++) {
        mt_addr_to_str(&g.f[i].src, a, sizeof a);
        assert_string_equal(a, "192.168.198.204");
        for (int j = i + 1; j < g.n; j++)
            assert_false(g.f[i].flow_id == g.f[j].flow_id &&
                         strncmp(g.f[i].evidence, g.f[j].evidence, 20) == 0);
    }

    /* unanswered ping, ordinary SMB: no finding */
    assert_true(run_detector("ndpi-tests/smbv1.pcap", &g) > 0);
    assert_int_equal(g.n, 0);
    assert_true(run_detector("ndpi-tests/smb_deletefile.pcap", &g) > 0);
    assert_int_equal(g.n, 0);
}

/* Reply seen on a flow whose roles were guessed the wrong way round: the
 * attacker is still the requester. */
static void test_detector_orientation(void **st)
{
    (void)st;
    static got g;
    memset(&g, 0, sizeof g);
    mt_engine *e = new_engine(&g);
    uint8_t b[128];
    mt_smb m;
    size_t n = unhex(EB_NTTRANS, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, 0, &m), MT_OK);
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_SMB;
    ev.source = MT_SRC_PCAP;
    ev.flags = MT_EVF_GUESSED_DIR; /* request travelling srv -> cli */
    ev.flow_id = 42;
    mt_addr_parse("10.0.0.1", &ev.cli);
    mt_addr_parse("10.0.0.2", &ev.srv);
    ev.cli_port = 445;
    ev.srv_port = 139;
    ev.u.smb = &m;
    mt_engine_event(e, &ev);
    mt_engine_event(e, &ev); /* same pattern again: no second finding */
    assert_int_equal(g.n, 1);
    char a[MT_ADDR_STRLEN];
    mt_addr_to_str(&g.f[0].src, a, sizeof a);
    assert_string_equal(a, "10.0.0.2");
    assert_int_equal(g.f[0].src_port, 139);
    /* flow end forgets the flow: a new flow with the same id reports again */
    mt_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    mt_event fe = ev;
    fe.type = MT_EV_FLOW_END;
    fe.u.flow = &fs;
    mt_engine_event(e, &fe);
    mt_engine_event(e, &ev);
    assert_int_equal(g.n, 2);
    mt_engine_free(e);
}

/* The detector's per-flow memory is a fixed table: flows whose ids share a
 * home slot fill its probe window, the next one takes the home slot (the
 * older flow there is forgotten, and counted), FLOW_END and flush free
 * slots. Driven through the detector's own entry points to read its
 * counter. */
static void smb_ev(mt_event *ev, mt_smb *m, const char *hex, int to_server, uint64_t flow_id)
{
    uint8_t b[512];
    size_t n = unhex(hex, b, sizeof b);
    assert_int_equal(mt_smb_inspect(b, n, to_server, m), MT_OK);
    memset(ev, 0, sizeof *ev);
    ev->type = MT_EV_SMB;
    ev->source = MT_SRC_PCAP;
    ev->flags = to_server ? MT_EVF_TO_SERVER : 0;
    ev->flow_id = flow_id;
    mt_addr_parse("10.0.0.1", &ev->cli);
    mt_addr_parse("10.0.0.2", &ev->srv);
    ev->cli_port = 49152;
    ev->srv_port = 445;
    ev->u.smb = m;
}

static void test_detector_eviction(void **st)
{
    (void)st;
    static got g;
    memset(&g, 0, sizeof g);
    mt_engine *e = new_engine(&g);
    const mt_detector *d = &mt_detector_smb;
    void *state = NULL;
    assert_int_equal(d->init(e, &state), MT_OK);

    /* ten flow ids with one home slot (the detector's hash: seed 0x5eed,
     * 1024 slots) */
    uint64_t id[10];
    int k = 0;
    uint64_t home = mt_hash_bytes(&(uint64_t){1000}, 8, 0x5eed) & 1023u;
    for (uint64_t f = 1000; k < 10; f++)
        if ((mt_hash_bytes(&f, 8, 0x5eed) & 1023u) == home) id[k++] = f;

    mt_event ev;
    mt_smb m;
    smb_ev(&ev, &m, DP_PING, 1, id[0]); /* pending ping, remembered */
    d->on_event(e, state, &ev);
    assert_int_equal(g.n, 0);
    for (int i = 1; i < 8; i++) { /* the rest of the window */
        smb_ev(&ev, &m, EB_NTTRANS, 1, id[i]);
        d->on_event(e, state, &ev);
    }
    assert_int_equal(g.n, 7);
    assert_int_equal(mt_detect_smb_evicted(state), 0);

    /* the window is full: id[8] takes the home slot, id[0]'s ping is lost */
    smb_ev(&ev, &m, EB_NTTRANS, 1, id[8]);
    d->on_event(e, state, &ev);
    assert_int_equal(g.n, 8);
    assert_int_equal(mt_detect_smb_evicted(state), 1);
    smb_ev(&ev, &m, DP_RESP, 0, id[0]); /* answers MID 65 + 16 */
    d->on_event(e, state, &ev);
    assert_int_equal(g.n, 9);
    assert_int_equal(count_evidence(&g, "DoublePulsar ping answered"), 0);
    assert_int_equal(count_evidence(&g, "DoublePulsar implant answered"), 1);
    assert_int_equal(mt_detect_smb_evicted(state), 2); /* id[0] took id[8]'s slot */

    /* the flows that kept their slots still remember what they reported */
    for (int i = 1; i < 8; i++) {
        smb_ev(&ev, &m, EB_NTTRANS, 1, id[i]);
        d->on_event(e, state, &ev);
    }
    assert_int_equal(g.n, 9);
    assert_int_equal(mt_detect_smb_evicted(state), 2);

    /* FLOW_END frees a slot: the next colliding flow evicts nobody */
    mt_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    mt_event fe = ev;
    fe.type = MT_EV_FLOW_END;
    fe.u.flow = &fs;
    fe.flow_id = id[3];
    d->on_event(e, state, &fe);
    smb_ev(&ev, &m, EB_NTTRANS, 1, id[9]);
    d->on_event(e, state, &ev);
    assert_int_equal(g.n, 10);
    assert_int_equal(mt_detect_smb_evicted(state), 2);
    /* the flows after the freed slot are still found */
    for (int i = 4; i < 8; i++) {
        smb_ev(&ev, &m, EB_NTTRANS, 1, id[i]);
        d->on_event(e, state, &ev);
    }
    assert_int_equal(g.n, 10);

    /* flush forgets everything: each flow reports again, nothing evicted */
    d->flush(e, state);
    for (int i = 1; i < 8; i++) {
        smb_ev(&ev, &m, EB_NTTRANS, 1, id[i]);
        d->on_event(e, state, &ev);
    }
    assert_int_equal(g.n, 17);
    assert_int_equal(mt_detect_smb_evicted(state), 2);

    d->free_state(state);
    mt_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_snippets),
        cmocka_unit_test(test_probe_and_vuln_reply),
        cmocka_unit_test(test_truncated_and_malformed),
        cmocka_unit_test(test_corpus_patterns),
        cmocka_unit_test(test_detector_corpus),
        cmocka_unit_test(test_detector_orientation),
        cmocka_unit_test(test_detector_eviction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
