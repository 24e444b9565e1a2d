/* TLS ClientHello decoder (RFC 8446 4.1.2 / RFC 5246 7.4.1.2) for SNI, ALPN
 * and the JA3 fingerprint.
 *
 * The caller hands us the prefix of the client's byte stream. The handshake
 * message may span several TLS records (and TCP segments): when it fits in
 * the first record we parse in place; otherwise the record fragments are
 * gathered into a bounded stack buffer (MT_TLS_MAX_HELLO). Until all bytes
 * of the ClientHello are present we answer MT_EAGAIN, so the stream layer
 * can wait for more segments.
 *
 * Every length field is checked against what remains before it is used, in
 * 64-bit arithmetic where fields add up. The JA3 string ("version,ciphers,
 * extensions,groups,point formats", GREASE values removed) is fed to MD5 as
 * it is produced, so the hash is right even when the stored string has to be
 * truncated to the event's buffer. */
#include "proto/tls.h"

#include <stdio.h>
#include <string.h>

#include "util/md5.h"

#define MT_TLS_MAX_HELLO 16384u /* cap on the handshake bytes we gather */

int mt_tls_looks_like(const uint8_t *p, size_t n)
{
    return n >= 3 && p[0] == 0x16 && p[1] == 0x03 && p[2] <= 0x04;
}

/* RFC 8701 GREASE: 0x0a0a, 0x1a1a, ... 0xfafa. */
static int is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

/* ---- JA3 writer: feeds MD5 and a bounded copy at once ------------------ */
typedef struct ja3w {
    mt_md5 md5;
    char *out;
    size_t cap, len;
    int truncated;
} ja3w;

static void ja3_put(ja3w *w, const char *s, size_t n)
{
    mt_md5_update(&w->md5, s, n);
    if (w->truncated) return;
    if (w->len + n + 1 > w->cap) {
        w->truncated = 1;
        return;
    }
    memcpy(w->out + w->len, s, n);
    w->len += n;
    w->out[w->len] = '\0';
}

/* Digits written by hand: a ClientHello carries dozens of numbers, and an
 * snprintf for each was most of the cost of building the JA3 string. */
static void ja3_num(ja3w *w, unsigned v, int *first)
{
    char tmp[12]; /* "-" and the 10 digits of any unsigned */
    size_t i = sizeof tmp;
    do tmp[--i] = (char)('0' + v % 10); while ((v /= 10) != 0);
    if (!*first) tmp[--i] = '-';
    *first = 0;
    ja3_put(w, tmp + i, sizeof tmp - i);
}

/* ---- ClientHello body -------------------------------------------------- */
typedef struct span {
    const uint8_t *p;
    size_t n;
} span;

static int parse_sni(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    if (n < 2) return mt_error_set(MT_EINVAL, "tls: server_name extension too short");
    size_t list = rd16(p);
    if (list > n - 2) return mt_error_set(MT_EINVAL, "tls: server_name list overruns extension");
    p += 2;
    size_t off = 0;
    while (off + 3 <= list) {
        uint8_t type = p[off];
        size_t len = rd16(p + off + 1);
        off += 3;
        if (len > list - off) return mt_error_set(MT_EINVAL, "tls: server_name entry overruns list");
        if (type == 0 && !out->sni[0]) mt_memlcpy(out->sni, sizeof out->sni, p + off, len);
        off += len;
    }
    return MT_OK;
}

static int parse_alpn(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    if (n < 2) return mt_error_set(MT_EINVAL, "tls: ALPN extension too short");
    size_t list = rd16(p);
    if (list > n - 2) return mt_error_set(MT_EINVAL, "tls: ALPN list overruns extension");
    p += 2;
    size_t off = 0, w = 0;
    while (off < list) {
        size_t len = p[off++];
        if (len > list - off) return mt_error_set(MT_EINVAL, "tls: ALPN entry overruns list");
        /* append ",proto" while it fits entirely; drop the rest */
        size_t need = len + (w ? 1 : 0);
        if (w + need + 1 <= sizeof out->alpn) {
            if (w) out->alpn[w++] = ',';
            memcpy(out->alpn + w, p + off, len);
            w += len;
            out->alpn[w] = '\0';
        }
        off += len;
    }
    return MT_OK;
}

static int parse_body(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    /* legacy_version(2) random(32) session_id<0..32> */
    if (n < 35) return mt_error_set(MT_EINVAL, "tls: ClientHello shorter than its fixed part");
    out->version = rd16(p);
    size_t off = 34;
    size_t sid = p[off++];
    if (sid > 32 || sid > n - off) return mt_error_set(MT_EINVAL, "tls: bad session_id length %zu", sid);
    off += sid;
    if (n - off < 2) return mt_error_set(MT_EINVAL, "tls: ClientHello ends before cipher_suites");
    size_t cs_len = rd16(p + off);
    off += 2;
    if (cs_len > n - off || (cs_len & 1)) return mt_error_set(MT_EINVAL, "tls: bad cipher_suites length %zu", cs_len);
    span ciphers = {p + off, cs_len};
    off += cs_len;
    if (n - off < 1) return mt_error_set(MT_EINVAL, "tls: ClientHello ends before compression_methods");
    size_t comp = p[off++];
    if (comp > n - off) return mt_error_set(MT_EINVAL, "tls: bad compression_methods length");
    off += comp;

    span exts = {NULL, 0}, groups = {NULL, 0}, points = {NULL, 0};
    if (n - off >= 2) {
        size_t ext_len = rd16(p + off);
        off += 2;
        if (ext_len > n - off) return mt_error_set(MT_EINVAL, "tls: extensions overrun the ClientHello");
        exts.p = p + off;
        exts.n = ext_len;
    } else if (n - off == 1) {
        return mt_error_set(MT_EINVAL, "tls: stray byte after compression_methods");
    }

    /* First pass over the extensions: validate and pick the ones we need. */
    size_t eo = 0;
    while (eo < exts.n) {
        if (exts.n - eo < 4) return mt_error_set(MT_EINVAL, "tls: truncated extension header");
        uint16_t type = rd16(exts.p + eo);
        size_t len = rd16(exts.p + eo + 2);
        eo += 4;
        if (len > exts.n - eo) return mt_error_set(MT_EINVAL, "tls: extension %u overruns the list", type);
        const uint8_t *d = exts.p + eo;
        int rc = MT_OK;
        switch (type) {
        case 0: rc = parse_sni(d, len, out); break;
        case 16: rc = parse_alpn(d, len, out); break;
        case 10:
            if (len < 2 || rd16(d) > len - 2 || (rd16(d) & 1))
                return mt_error_set(MT_EINVAL, "tls: bad supported_groups");
            groups.p = d + 2;
            groups.n = rd16(d);
            break;
        case 11:
            if (len < 1 || d[0] > len - 1) return mt_error_set(MT_EINVAL, "tls: bad ec_point_formats");
            points.p = d + 1;
            points.n = d[0];
            break;
        default: break;
        }
        if (rc != MT_OK) return rc;
        eo += len;
    }

    /* JA3 */
    ja3w w;
    mt_md5_init(&w.md5);
    w.out = out->ja3;
    w.cap = sizeof out->ja3;
    w.len = 0;
    w.truncated = 0;
    out->ja3[0] = '\0';
    char tmp[8];
    int k = snprintf(tmp, sizeof tmp, "%u,", (unsigned)out->version);
    ja3_put(&w, tmp, (size_t)k);
    int first = 1;
    for (size_t i = 0; i + 1 < ciphers.n; i += 2) {
        uint16_t v = rd16(ciphers.p + i);
        if (!is_grease(v)) ja3_num(&w, v, &first);
    }
    ja3_put(&w, ",", 1);
    first = 1;
    for (eo = 0; eo + 4 <= exts.n;) {
        uint16_t v = rd16(exts.p + eo);
        if (!is_grease(v)) ja3_num(&w, v, &first);
        eo += 4 + (size_t)rd16(exts.p + eo + 2);
    }
    ja3_put(&w, ",", 1);
    first = 1;
    for (size_t i = 0; i + 1 < groups.n; i += 2) {
        uint16_t v = rd16(groups.p + i);
        if (!is_grease(v)) ja3_num(&w, v, &first);
    }
    ja3_put(&w, ",", 1);
    first = 1;
    for (size_t i = 0; i < points.n; i++) ja3_num(&w, points.p[i], &first);

    uint8_t dig[16];
    mt_md5_final(&w.md5, dig);
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out->ja3_hash[2 * i] = hx[dig[i] >> 4];
        out->ja3_hash[2 * i + 1] = hx[dig[i] & 15];
    }
    out->ja3_hash[32] = '\0';
    return MT_OK;
}

/* ---- records ----------------------------------------------------------- */

/* Gather handshake bytes from consecutive handshake records into hs until
 * `want` bytes are present. MT_OK, MT_EAGAIN or MT_EINVAL. */
static int gather(const uint8_t *p, size_t n, uint8_t *hs, size_t want, size_t *have_out)
{
    size_t have = 0, off = 0;
    while (have < want) {
        if (n - off < 5) return MT_EAGAIN;
        if (p[off] != 0x16 || p[off + 1] != 0x03)
            return mt_error_set(MT_EINVAL, "tls: ClientHello continues in a non-handshake record");
        size_t rl = rd16(p + off + 3);
        if (rl == 0 || rl > 16384 + 2048) return mt_error_set(MT_EINVAL, "tls: bad record length %zu", rl);
        off += 5;
        size_t avail = n - off < rl ? n - off : rl;
        size_t take = avail < want - have ? avail : want - have;
        memcpy(hs + have, p + off, take);
        have += take;
        if (have == want) break;
        if (avail < rl) return MT_EAGAIN; /* this record is still incomplete */
        off += rl;
    }
    *have_out = have;
    return MT_OK;
}

int mt_tls_parse_client_hello(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    memset(out, 0, sizeof *out);
    /* A prefix too short to judge: say "more" only if it is consistent. */
    if (n < 5) {
        if ((n >= 1 && p[0] != 0x16) || (n >= 2 && p[1] != 0x03) || (n >= 3 && p[2] > 0x04))
            return mt_error_set(MT_ENOTFOUND, "tls: not a handshake record");
        return MT_EAGAIN;
    }
    if (!mt_tls_looks_like(p, n)) return mt_error_set(MT_ENOTFOUND, "tls: not a handshake record");
    size_t rec_len = rd16(p + 3);
    if (rec_len == 0 || rec_len > 16384 + 2048)
        return mt_error_set(MT_EINVAL, "tls: bad record length %zu", rec_len);
    if (n > 5 && p[5] != 1) return mt_error_set(MT_ENOTFOUND, "tls: handshake is not a ClientHello");

    /* Handshake header: type(1) length(3), normally inside the first record. */
    uint8_t hs[MT_TLS_MAX_HELLO];
    size_t have = 0;
    int rc = gather(p, n, hs, 4, &have);
    if (rc != MT_OK) return rc;
    if (hs[0] != 1) return mt_error_set(MT_ENOTFOUND, "tls: handshake is not a ClientHello");
    uint64_t hs_len = ((uint64_t)hs[1] << 16) | ((uint64_t)hs[2] << 8) | hs[3];
    if (hs_len + 4 > MT_TLS_MAX_HELLO)
        return mt_error_set(MT_EINVAL, "tls: ClientHello of %llu bytes is over our cap",
                            (unsigned long long)hs_len);
    if (hs_len < 38)
        return mt_error_set(MT_EINVAL, "tls: ClientHello too short (%llu)", (unsigned long long)hs_len);

    /* Common case: the whole message sits in the first record: no copy. */
    if (hs_len + 4 <= rec_len) {
        if (n < 9 + hs_len) return MT_EAGAIN;
        return parse_body(p + 9, (size_t)hs_len, out);
    }
    rc = gather(p, n, hs, (size_t)hs_len + 4, &have);
    if (rc != MT_OK) return rc;
    return parse_body(hs + 4, (size_t)hs_len, out);
}
