/* TLS ClientHello decoder (RFC 8446 4.1.2 / RFC 5246 7.4.1.2) for SNI, ALPN
 * and the JA3 and JA4 fingerprints.
 *
 * The caller hands us the prefix of the client's byte stream. The handshake
 * message may span several TLS records (and TCP segments): when it fits in
 * the first record we parse in place; otherwise the record fragments are
 * gathered into a bounded stack buffer (MT_TLS_MAX_HELLO). Until all bytes
 * of the ClientHello are present we answer MT_EAGAIN, so the stream layer
 * can wait for more segments.
 *
 * Every field is read through a byte cursor (util/cursor.h); each
 * length-prefixed vector is a sub-cursor, so an entry cannot run past the
 * vector that holds it. Failures are plain statuses: a stream that is not
 * a ClientHello is common and nobody reads a message about it. The JA3 string ("version,ciphers,
 * extensions,groups,point formats", GREASE values removed) is fed to MD5 as
 * it is produced, so the hash is right even when the string has to be
 * truncated to its buffer. Like JA4 below, it is built on demand
 * (mt_tls_ja3) from lists recorded during the walk: an MD5 and dozens of
 * numbers per hello were a visible share of a scan, for a value only
 * findings print.
 *
 * JA4 (FoxIO, technical_details/JA4.md) is NOT computed here: it costs a
 * sort and two SHA-256 runs and is needed only for the few hellos that
 * become findings. While walking the hello we only copy what it needs into
 * the event: the raw cipher list, the extension types, the signature
 * algorithms (bounded buffer), the highest supported_versions entry, SNI
 * presence and the first/last byte of the first ALPN value. mt_tls_ja4()
 * turns those into the fingerprint later. A hello whose lists do not fit
 * the buffer (hundreds of ciphers: rare, odd clients or fuzzers) gets its
 * JA4 computed here once, from the bytes in place, so the answer is exact
 * either way. */
#include "proto/tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/digest.h"

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

/* ---- JA3 writer: feeds MD5 and a bounded copy at once ------------------ */
typedef struct ja3w {
    mt_digest md5;
    char *out;
    size_t cap, len;
    int truncated;
} ja3w;

static void ja3_put(ja3w *w, const char *s, size_t n)
{
    mt_digest_update(&w->md5, s, n);
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

/* One JA3 field from a list of 16-bit wire values: GREASE removed, '-'
 * between the numbers. */
static void ja3_list16(ja3w *w, const uint8_t *p, size_t n)
{
    int first = 1;
    for (mt_cur c = mt_cur_make(p, n); mt_cur_left(&c) >= 2;) {
        uint16_t v = mt_cur_be16(&c);
        if (!is_grease(v)) ja3_num(w, v, &first);
    }
}

/* JA3 from the lists as on the wire: cipher suites and supported groups
 * (2 bytes each), extension types (2 bytes each, in order), point formats
 * (1 byte each); GREASE values removed. The string goes to str (cut to
 * cap, may be NULL with cap 0); the MD5 is of the whole string. */
static int ja3_build(uint16_t version, const uint8_t *cs, size_t cs_n, const uint8_t *types,
                      size_t types_n, const uint8_t *groups, size_t groups_n,
                      const uint8_t *points, size_t points_n, char *str, size_t cap,
                      char hash[33])
{
    ja3w w;
    mt_digest_init(&w.md5, MT_DIGEST_MD5); /* a failure shows in the final */
    w.out = str;
    w.cap = cap;
    w.len = 0;
    w.truncated = 0;
    if (cap) str[0] = '\0';
    int first = 1;
    ja3_num(&w, version, &first);
    ja3_put(&w, ",", 1);
    ja3_list16(&w, cs, cs_n);
    ja3_put(&w, ",", 1);
    ja3_list16(&w, types, types_n);
    ja3_put(&w, ",", 1);
    ja3_list16(&w, groups, groups_n);
    ja3_put(&w, ",", 1);
    first = 1;
    for (size_t i = 0; i < points_n; i++) ja3_num(&w, points[i], &first);

    uint8_t dig[MT_DIGEST_MAX];
    if (mt_digest_final(&w.md5, dig) != MT_OK) {
        hash[0] = '\0'; /* libcrypto without MD5: no JA3 rather than a wrong one */
        return 0;
    }
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < MT_MD5_LEN; i++) {
        hash[2 * i] = hx[dig[i] >> 4];
        hash[2 * i + 1] = hx[dig[i] & 15];
    }
    hash[32] = '\0';
    return 1;
}

int mt_tls_ja3(const mt_tls_hello *t, char *str, size_t cap, char hash[33])
{
    if (!t->ja3_lazy) {
        if (cap) mt_strlcpy(str, t->ja3, cap);
        mt_strlcpy(hash, t->ja3_hash, 33);
        return t->ja3_hash[0] != '\0';
    }
    return ja3_build(t->version, t->ja4_raw, t->ja4_cs_len, t->ja4_raw + t->ja4_cs_len,
                     t->ja4_ext_len, t->ja3_groups, t->ja3_groups_len, t->ja3_points,
                     t->ja3_points_len, str, cap, hash);
}

/* The extension types of a validated extension block, 2 bytes each in wire
 * order, into types (cap bytes); returns the bytes written. For the rare
 * hellos fingerprinted while parsing (lists too long to keep). */
static size_t ext_types(const uint8_t *exts, size_t exts_n, uint8_t *types, size_t cap)
{
    size_t k = 0;
    for (mt_cur c = mt_cur_make(exts, exts_n); mt_cur_left(&c) >= 4 && k + 2 <= cap;) {
        mt_cur_copy(&c, types + k, 2);
        k += 2;
        (void)mt_cur_block16(&c);
    }
    return k;
}

/* The rare hello whose lists did not fit the event's buffers: JA3 now, from
 * the bytes in place (exts is the validated extension block). */
static __attribute__((noinline)) void ja3_now(mt_tls_hello *out, const uint8_t *cs, size_t cs_n,
                                              const uint8_t *exts, size_t exts_n,
                                              const uint8_t *groups, size_t groups_n,
                                              const uint8_t *points, size_t points_n)
{
    uint8_t types[MT_TLS_MAX_HELLO / 2];
    size_t k = ext_types(exts, exts_n, types, sizeof types);
    (void)ja3_build(out->version, cs, cs_n, types, k, groups, groups_n, points, points_n,
                    out->ja3, sizeof out->ja3, out->ja3_hash);
}

/* ---- JA4 --------------------------------------------------------------- */

/* Two-character TLS version code of the JA4 spec ("00" when unknown). */
static const char *ja4_version_code(uint16_t v)
{
    switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
    }
}

static int is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

/* Feed "xxxx" (or ",xxxx" after the first) for each value to the hash. */
static void hash_list(mt_digest *h, const uint16_t *v, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char t[5] = {',', hx[v[i] >> 12], hx[(v[i] >> 8) & 15], hx[(v[i] >> 4) & 15], hx[v[i] & 15]};
        mt_digest_update(h, i ? t : t + 1, i ? 5 : 4);
    }
}

/* 12 lower-case hex characters of the SHA-256 of the finished hash;
 * MT_ERR when libcrypto failed. */
static int hash12(mt_digest *h, char *out)
{
    static const char hx[] = "0123456789abcdef";
    uint8_t d[MT_DIGEST_MAX];
    if (mt_digest_final(h, d) != MT_OK) return MT_ERR;
    for (int i = 0; i < 6; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    return MT_OK;
}

/* Big-endian 2-byte values from `p` (n bytes), GREASE removed, into v. */
static size_t take_values(const uint8_t *p, size_t n, uint16_t *v)
{
    size_t k = 0;
    for (mt_cur c = mt_cur_make(p, n); mt_cur_left(&c) >= 2;) {
        uint16_t x = mt_cur_be16(&c);
        if (!is_grease(x)) v[k++] = x;
    }
    return k;
}

typedef struct ja4_in {
    uint16_t version;
    uint8_t flags, alpn_first, alpn_last;
    const uint8_t *cs, *ext, *sig; /* wire bytes; ext = packed 2-byte types */
    size_t cs_n, ext_n, sig_n;     /* in bytes */
} ja4_in;

/* The fingerprint "t13d1516h2_8daaf6152771_e5627efa2ab1" (36 chars + NUL).
 * Scratch arrays are sized for the largest lists a ClientHello under our
 * cap can carry. Returns 1, or 0 with out = "" when libcrypto failed. */
static int ja4_build(const ja4_in *in, char out[37])
{
    static const char hx[] = "0123456789abcdef";
    uint16_t v[MT_TLS_MAX_HELLO / 2];
    char *o = out;
    *o++ = 't';
    memcpy(o, ja4_version_code(in->version), 2);
    o += 2;
    *o++ = (in->flags & MT_TLS_JA4_SNI) ? 'd' : 'i';

    size_t ncs = take_values(in->cs, in->cs_n, v);
    size_t next = 0;
    for (mt_cur e = mt_cur_make(in->ext, in->ext_n); mt_cur_left(&e) >= 2;)
        if (!is_grease(mt_cur_be16(&e))) next++;
    size_t c = ncs > 99 ? 99 : ncs;
    *o++ = (char)('0' + c / 10);
    *o++ = (char)('0' + c % 10);
    c = next > 99 ? 99 : next;
    *o++ = (char)('0' + c / 10);
    *o++ = (char)('0' + c % 10);
    if (!(in->flags & MT_TLS_JA4_ALPN)) {
        *o++ = '0';
        *o++ = '0';
    } else if (is_alnum(in->alpn_first) && is_alnum(in->alpn_last)) {
        *o++ = (char)in->alpn_first;
        *o++ = (char)in->alpn_last;
    } else { /* first and last characters of the value's hex form */
        *o++ = hx[in->alpn_first >> 4];
        *o++ = hx[in->alpn_last & 15];
    }
    *o++ = '_';

    /* b: sorted cipher suites */
    mt_digest h;
    if (ncs) {
        qsort(v, ncs, sizeof v[0], cmp_u16);
        mt_digest_init(&h, MT_DIGEST_SHA256); /* a failure shows in the final */
        hash_list(&h, v, ncs);
        if (hash12(&h, o) != MT_OK) goto failed;
    } else {
        memset(o, '0', 12);
    }
    o += 12;
    *o++ = '_';

    /* c: sorted extensions without SNI and ALPN, "_", signature algorithms
     * in wire order */
    size_t ne = 0;
    for (mt_cur e = mt_cur_make(in->ext, in->ext_n); mt_cur_left(&e) >= 2;) {
        uint16_t x = mt_cur_be16(&e);
        if (!is_grease(x) && x != 0x0000 && x != 0x0010) v[ne++] = x;
    }
    if (ne) {
        qsort(v, ne, sizeof v[0], cmp_u16);
        mt_digest_init(&h, MT_DIGEST_SHA256);
        hash_list(&h, v, ne);
        size_t ns = take_values(in->sig, in->sig_n, v);
        if (ns) {
            mt_digest_update(&h, "_", 1);
            hash_list(&h, v, ns);
        }
        if (hash12(&h, o) != MT_OK) goto failed;
    } else {
        memset(o, '0', 12);
    }
    o += 12;
    *o = '\0';
    return 1;
failed:
    out[0] = '\0';
    return 0;
}

int mt_tls_ja4(const mt_tls_hello *t, char out[37])
{
    if (t->ja4[0]) {
        mt_strlcpy(out, t->ja4, 37);
        return 1;
    }
    if (!(t->ja4_flags & MT_TLS_JA4_LISTS) ||
        (size_t)t->ja4_cs_len + t->ja4_ext_len + t->ja4_sig_len > sizeof t->ja4_raw) {
        out[0] = '\0';
        return 0;
    }
    ja4_in in = {t->ja4_version, t->ja4_flags, t->alpn0_first, t->alpn0_last,
                 t->ja4_raw, t->ja4_raw + t->ja4_cs_len,
                 t->ja4_raw + t->ja4_cs_len + t->ja4_ext_len,
                 t->ja4_cs_len, t->ja4_ext_len, t->ja4_sig_len};
    return ja4_build(&in, out);
}

/* The rare hello whose lists overflow ja4_raw: fingerprint it now, from the
 * bytes in place (exts is the validated extension block). Kept out of line
 * so its scratch space is not on the common path's stack frame. */
static __attribute__((noinline)) void ja4_now(mt_tls_hello *out, const uint8_t *cs, size_t cs_n,
                                              const uint8_t *exts, size_t exts_n,
                                              const uint8_t *sig, size_t sig_n)
{
    uint8_t types[MT_TLS_MAX_HELLO / 2];
    size_t k = ext_types(exts, exts_n, types, sizeof types);
    ja4_in in = {out->ja4_version, out->ja4_flags, out->alpn0_first, out->alpn0_last,
                 cs, types, sig, cs_n, k, sig_n};
    (void)ja4_build(&in, out->ja4);
}

/* ---- ClientHello body -------------------------------------------------- */
typedef struct span {
    const uint8_t *p;
    size_t n;
} span;

static span span_of(mt_cur c) { return (span){mt_cur_ptr(&c), mt_cur_left(&c)}; }

/* server_name (RFC 6066 3): a list of (type, name) entries; the first
 * host_name is kept. Bytes after the last whole entry header are ignored. */
static int parse_sni(mt_cur d, mt_tls_hello *out)
{
    mt_cur list = mt_cur_block16(&d);
    while (mt_cur_ok(&list) && mt_cur_left(&list) >= 3) {
        uint8_t type = mt_cur_u8(&list);
        mt_cur name = mt_cur_block16(&list);
        if (mt_cur_ok(&name) && type == 0 && !out->sni[0])
            mt_memlcpy(out->sni, sizeof out->sni, mt_cur_ptr(&name), mt_cur_left(&name));
    }
    return mt_cur_ok(&list) ? MT_OK : MT_EINVAL;
}

/* ALPN (RFC 7301 3.1): a list of 8-bit-length protocol names. */
static int parse_alpn(mt_cur d, mt_tls_hello *out)
{
    mt_cur list = mt_cur_block16(&d);
    size_t w = 0;
    int first = 1;
    while (mt_cur_ok(&list) && mt_cur_left(&list) > 0) {
        mt_cur v = mt_cur_block8(&list);
        if (!mt_cur_ok(&v)) break;
        const uint8_t *q = mt_cur_ptr(&v);
        size_t len = mt_cur_left(&v);
        if (first && len) { /* JA4 looks at the first value only */
            out->ja4_flags |= MT_TLS_JA4_ALPN;
            out->alpn0_first = q[0];
            out->alpn0_last = q[len - 1];
        }
        first = 0;
        /* append ",proto" while it fits entirely; drop the rest */
        size_t need = len + (w ? 1 : 0);
        if (w + need + 1 <= sizeof out->alpn) {
            if (w) out->alpn[w++] = ',';
            memcpy(out->alpn + w, q, len);
            w += len;
            out->alpn[w] = '\0';
        }
    }
    return mt_cur_ok(&list) ? MT_OK : MT_EINVAL;
}

static int parse_body(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    mt_cur c = mt_cur_make(p, n);
    /* legacy_version(2) random(32) session_id<0..32> */
    uint16_t version = mt_cur_be16(&c);
    mt_cur_skip(&c, 32);
    mt_cur sid = mt_cur_block8(&c);
    if (mt_cur_left(&sid) > 32) return MT_EINVAL;
    mt_cur cs = mt_cur_block16(&c);
    if (mt_cur_left(&cs) & 1) return MT_EINVAL;
    (void)mt_cur_block8(&c); /* compression_methods */
    if (!mt_cur_ok(&c)) return MT_EINVAL;
    out->version = version;
    span ciphers = span_of(cs);

    span exts = {NULL, 0}, groups = {NULL, 0}, points = {NULL, 0}, sigs = {NULL, 0};
    mt_cur ext = mt_cur_make(NULL, 0);
    if (mt_cur_left(&c) >= 1) { /* extensions are optional; one stray byte is not */
        ext = mt_cur_block16(&c);
        if (!mt_cur_ok(&ext)) return MT_EINVAL;
        exts = span_of(ext);
    }

    /* JA4 lists: the cipher suites as they are on the wire, then each
     * extension type as the walk meets it, then the signature algorithms. */
    int lists_fit = ciphers.n <= MT_TLS_JA4_RAW;
    size_t xo = ciphers.n;
    if (lists_fit) memcpy(out->ja4_raw, ciphers.p, ciphers.n);
    uint16_t best_version = 0;

    /* First pass over the extensions: validate and pick the ones we need. */
    while (mt_cur_left(&ext) > 0) {
        const uint8_t *tp = mt_cur_ptr(&ext);
        uint16_t type = mt_cur_be16(&ext);
        mt_cur d = mt_cur_block16(&ext);
        if (!mt_cur_ok(&ext)) return MT_EINVAL; /* header or body overruns the list */
        if (lists_fit && xo + 2 <= MT_TLS_JA4_RAW) {
            out->ja4_raw[xo] = tp[0];
            out->ja4_raw[xo + 1] = tp[1];
            xo += 2;
        } else {
            lists_fit = 0;
        }
        int rc = MT_OK;
        switch (type) {
        case 0:
            out->ja4_flags |= MT_TLS_JA4_SNI;
            rc = parse_sni(d, out);
            break;
        case 16: rc = parse_alpn(d, out); break;
        case 13: { /* signature_algorithms: for JA4 only, so never fatal */
            mt_cur l = mt_cur_block16(&d);
            if (mt_cur_ok(&l)) sigs = (span){mt_cur_ptr(&l), mt_cur_left(&l) & ~(size_t)1};
            break;
        }
        case 43: { /* supported_versions (ClientHello form): for JA4 only */
            mt_cur l = mt_cur_block8(&d);
            while (mt_cur_left(&l) >= 2) {
                uint16_t v = mt_cur_be16(&l);
                if (!is_grease(v) && v > best_version) best_version = v;
            }
            break;
        }
        case 10: {
            mt_cur l = mt_cur_block16(&d);
            if (!mt_cur_ok(&l) || (mt_cur_left(&l) & 1)) return MT_EINVAL;
            groups = span_of(l);
            break;
        }
        case 11: {
            mt_cur l = mt_cur_block8(&d);
            if (!mt_cur_ok(&l)) return MT_EINVAL;
            points = span_of(l);
            break;
        }
        default: break;
        }
        if (rc != MT_OK) return rc;
    }

    out->ja4_version = best_version ? best_version : out->version;
    if (lists_fit && sigs.n <= MT_TLS_JA4_RAW - xo) {
        if (sigs.n) memcpy(out->ja4_raw + xo, sigs.p, sigs.n);
        out->ja4_cs_len = (uint16_t)ciphers.n;
        out->ja4_ext_len = (uint16_t)(xo - ciphers.n);
        out->ja4_sig_len = (uint16_t)sigs.n;
        out->ja4_flags |= MT_TLS_JA4_LISTS;
    } else {
        ja4_now(out, ciphers.p, ciphers.n, exts.p, exts.n, sigs.p, sigs.n);
    }

    /* JA3: like JA4, only its inputs now when they fit (the MD5 and the
     * text are wanted for the few hellos that become findings). */
    if ((out->ja4_flags & MT_TLS_JA4_LISTS) && groups.n <= sizeof out->ja3_groups &&
        points.n <= sizeof out->ja3_points) {
        if (groups.n) memcpy(out->ja3_groups, groups.p, groups.n);
        if (points.n) memcpy(out->ja3_points, points.p, points.n);
        out->ja3_groups_len = (uint16_t)groups.n;
        out->ja3_points_len = (uint8_t)points.n;
        out->ja3_lazy = 1;
    } else {
        ja3_now(out, ciphers.p, ciphers.n, exts.p, exts.n, groups.p, groups.n, points.p, points.n);
    }
    return MT_OK;
}

/* ---- records ----------------------------------------------------------- */

#define MT_TLS_MAX_RECORD (16384u + 2048u) /* TLSCiphertext limit, RFC 8446 5.2 */

/* Gather handshake bytes from consecutive handshake records into hs until
 * `want` bytes are present. MT_OK, MT_EAGAIN or MT_EINVAL. */
static int gather(const uint8_t *p, size_t n, uint8_t *hs, size_t want)
{
    size_t have = 0;
    mt_cur c = mt_cur_make(p, n);
    while (have < want) {
        if (mt_cur_left(&c) < 5) return MT_EAGAIN;
        uint8_t type = mt_cur_u8(&c), major = mt_cur_u8(&c);
        mt_cur_skip(&c, 1); /* minor version */
        size_t rl = mt_cur_be16(&c);
        if (type != 0x16 || major != 0x03) return MT_EINVAL; /* continues in a non-handshake record */
        if (rl == 0 || rl > MT_TLS_MAX_RECORD) return MT_EINVAL;
        size_t avail = mt_cur_left(&c) < rl ? mt_cur_left(&c) : rl;
        size_t take = avail < want - have ? avail : want - have;
        mt_cur_copy(&c, hs + have, take);
        have += take;
        if (have == want) break;
        if (avail < rl) return MT_EAGAIN; /* this record is still incomplete */
        mt_cur_skip(&c, rl - take);
    }
    return MT_OK;
}

int mt_tls_parse_client_hello(const uint8_t *p, size_t n, mt_tls_hello *out)
{
    memset(out, 0, sizeof *out);
    /* A prefix too short to judge: say "more" only if it is consistent. */
    if (n < 5) {
        if ((n >= 1 && p[0] != 0x16) || (n >= 2 && p[1] != 0x03) || (n >= 3 && p[2] > 0x04))
            return MT_ENOTFOUND;
        return MT_EAGAIN;
    }
    if (!mt_tls_looks_like(p, n)) return MT_ENOTFOUND;
    mt_cur c = mt_cur_make(p, n);
    mt_cur_skip(&c, 3);
    size_t rec_len = mt_cur_be16(&c);
    if (rec_len == 0 || rec_len > MT_TLS_MAX_RECORD) return MT_EINVAL;
    if (mt_cur_left(&c) > 0 && mt_cur_peek_u8(&c, 0) != 1) return MT_ENOTFOUND; /* not a ClientHello */

    /* Handshake header: type(1) length(3), normally inside the first record. */
    uint8_t hs[MT_TLS_MAX_HELLO];
    int rc = gather(p, n, hs, 4);
    if (rc != MT_OK) return rc;
    mt_cur h = mt_cur_make(hs, 4);
    if (mt_cur_u8(&h) != 1) return MT_ENOTFOUND;
    size_t hs_len = mt_cur_be24(&h);
    if (hs_len + 4 > MT_TLS_MAX_HELLO) return MT_EINVAL; /* over our cap */
    if (hs_len < 38) return MT_EINVAL;                   /* shorter than any ClientHello */

    /* Common case: the whole message sits in the first record: no copy. */
    if (hs_len + 4 <= rec_len) {
        mt_cur_skip(&c, 4);
        const uint8_t *body = mt_cur_take(&c, hs_len);
        if (!body) return MT_EAGAIN;
        return parse_body(body, hs_len, out);
    }
    rc = gather(p, n, hs, hs_len + 4);
    if (rc != MT_OK) return rc;
    return parse_body(hs + 4, hs_len, out);
}
