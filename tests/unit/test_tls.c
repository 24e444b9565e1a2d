/* TLS ClientHello decoder tests: real ClientHellos from corpus captures with
 * the JA3 hashes tshark 4.0 prints for them (Firefox to authedmine.com in
 * coinhive.pcap, Chrome with GREASE values, Android), stream splitting at
 * every offset, the handshake spread over several records, hand-built
 * hellos for the exact JA3 string and for JA4 (GREASE, no SNI, no ALPN,
 * non-alphanumeric ALPN, no signature algorithms, long lists, truncation),
 * and malformed lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/dnstie.h"
#include "proto/tls.h"
#include "unit/capture_engine.h"
#include "unit/pcap_payload.h"
#include "util/digest.h"

/* ---- real captures ------------------------------------------------------ */
typedef struct want {
    const char *file;
    unsigned frame;
    const char *sni, *ja3_hash, *alpn;
    uint16_t version;
    const char *ja4;
} want;

/* Expected values from: tshark -r F -Y frame.number==N -T fields
 *   -e tls.handshake.extensions_server_name -e tls.handshake.ja3
 * and JA4 computed from tshark's dissection by tests/corpus/ja4_check.py
 * (Firefox in coinhive.pcap offers a TLS 1.3 draft version, 0x7f1c, as its
 * highest supported_versions entry: an unknown version, "00"). */
/* JA3 is built on demand (mt_tls_ja3); fill the hello's own fields with it
 * so the checks below read one place whichever way it was made. */
static void ja3_fill(mt_tls_hello *h)
{
    if (h->ja3_lazy) {
        assert_int_equal(mt_tls_ja3(h, h->ja3, sizeof h->ja3, h->ja3_hash), 1);
        h->ja3_lazy = 0;
    }
}

static const want real[] = {
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap", 22, "authedmine.com",
     "e539cf186447573e3ac2e0b10e262bd1", "h2,http/1.1", 0x0303, "t00d1412h2_45de795eb070_4b99b185ee6b"},
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap", 56, "ws027.authedmine.com",
     "7375c86ede5d928ba34a0622e4ac0dcd", "http/1.1", 0x0303, "t00d1413h1_45de795eb070_ad97e2351c08"},
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap", 8, "coinhive.com",
     "94c485bca29d5392be53f2b8cf7f4304", "h2,http/1.1", 0x0303,
     "t12d1311h2_8b80da21ef18_eb7c9aabf852"},
    {"pcap/ndpi-tests/chrome.pcap", 59, "www.iit.cnr.it",
     "aa50c12a5dfa717d9d6ab34e97de79d5", "h2,http/1.1", 0x0303,
     "t13d1516h2_8daaf6152771_e5627efa2ab1"},
    {"pcap/ndpi-tests/android.pcap", 241, "datasaver.googleapis.com",
     "66918128f1b9b03303d77c6f2eefd128", "h2,http/1.1", 0x0303,
     "t13d1615h2_46e7e9700bed_45f260be83e2"},
    {"pcap/ndpi-tests/alexa-app.pcapng", 262, "www.amazon.com",
     "d551fafc4f40f1dec2bb45980bfa9492", NULL, 0,
     "t12d1510h2_f0daf39aad75_e69ac49eb88f"},
};

static void test_real_hellos(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        tp_grab g;
        assert_int_equal(tp_load_frame(real[i].file, real[i].frame, &g), 0);
        assert_true(mt_tls_looks_like(g.buf, g.len));
        mt_tls_hello h;
        int rc = mt_tls_parse_client_hello(g.buf, g.len, &h);
        if (rc != MT_OK) fprintf(stderr, "%s #%u: %s\n", real[i].file, real[i].frame, mt_error_msg());
        assert_int_equal(rc, MT_OK);
        assert_int_equal(h.ja3_lazy, 1); /* the common case: nothing hashed yet */
        assert_string_equal(h.ja3_hash, "");
        ja3_fill(&h);
        assert_string_equal(h.sni, real[i].sni);
        assert_string_equal(h.ja3_hash, real[i].ja3_hash);
        if (real[i].alpn) assert_string_equal(h.alpn, real[i].alpn);
        if (real[i].version) assert_int_equal(h.version, real[i].version);
        /* the stored string hashes to the stored hash (not truncated here) */
        char hex[33];
        mt_digest_hex(MT_DIGEST_MD5, h.ja3, strlen(h.ja3), hex);
        assert_string_equal(hex, h.ja3_hash);
        char ja4[37];
        assert_int_equal(mt_tls_ja4(&h, ja4), 1);
        assert_string_equal(ja4, real[i].ja4);
        assert_string_equal(h.ja4, ""); /* not computed while parsing */
    }
}

/* Chrome's GREASE values are gone from the JA3 string. */
static void test_real_grease_removed(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame("pcap/ndpi-tests/chrome.pcap", 59, &g), 0);
    mt_tls_hello h;
    assert_int_equal(mt_tls_parse_client_hello(g.buf, g.len, &h), MT_OK);
    ja3_fill(&h);
    assert_string_equal(h.ja3, "771,4867-4865-4866-52393-52392-49195-49199-49196-49200-49171-49172-156-157-47-53,"
                               "0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0");
}

/* Every proper prefix of a real ClientHello asks for more bytes. */
static void test_every_prefix_eagain(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(real[0].file, real[0].frame, &g), 0);
    mt_tls_hello h;
    for (size_t k = 0; k < g.len; k++) {
        /* copy into an exact-size heap buffer so ASan catches over-reads */
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, g.buf, k);
        int rc = mt_tls_parse_client_hello(b, k, &h);
        free(b);
        assert_int_equal(rc, MT_EAGAIN);
    }
    assert_int_equal(mt_tls_parse_client_hello(g.buf, g.len, &h), MT_OK);
}

/* The same handshake message cut into records of `chunk` bytes. */
static size_t reframe(const uint8_t *rec, size_t n, size_t chunk, uint8_t *out)
{
    const uint8_t *hs = rec + 5;
    size_t hs_n = (size_t)((rec[3] << 8) | rec[4]);
    if (hs_n > n - 5) hs_n = n - 5;
    size_t o = 0;
    for (size_t off = 0; off < hs_n; off += chunk) {
        size_t take = hs_n - off < chunk ? hs_n - off : chunk;
        out[o++] = 0x16; out[o++] = 0x03; out[o++] = 0x01;
        out[o++] = (uint8_t)(take >> 8); out[o++] = (uint8_t)take;
        memcpy(out + o, hs + off, take);
        o += take;
    }
    return o;
}

static void test_multi_record(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(real[3].file, real[3].frame, &g), 0);
    static const size_t chunks[] = {1, 2, 3, 100, 333};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        static uint8_t rf[sizeof g.buf * 6];
        size_t n = reframe(g.buf, g.len, chunks[c], rf);
        mt_tls_hello h;
        assert_int_equal(mt_tls_parse_client_hello(rf, n, &h), MT_OK);
        ja3_fill(&h);
        assert_string_equal(h.sni, real[3].sni);
        assert_string_equal(h.ja3_hash, real[3].ja3_hash);
        char ja4[37];
        mt_tls_ja4(&h, ja4);
        assert_string_equal(ja4, real[3].ja4);
        if (chunks[c] >= 100) {
            for (size_t k = 0; k < n; k++)
                assert_int_equal(mt_tls_parse_client_hello(rf, k, &h), MT_EAGAIN);
        }
    }
}

/* ---- hand-built hellos -------------------------------------------------- */
typedef struct hb {
    uint8_t b[20000];
    size_t n;
} hb;

static void put8(hb *h, unsigned v) { h->b[h->n++] = (uint8_t)v; }
static void put16(hb *h, unsigned v) { put8(h, v >> 8); put8(h, v & 0xff); }
static void putmem(hb *h, const void *p, size_t n) { memcpy(h->b + h->n, p, n); h->n += n; }
static void patch16(hb *h, size_t at, size_t v) { h->b[at] = (uint8_t)(v >> 8); h->b[at + 1] = (uint8_t)v; }

/* Build: record(handshake(ClientHello)) with the given ciphers, SNI, ALPN,
 * groups, formats, plus an unknown extension. Returns offsets of some length
 * fields via *lens for the malformed tests. */
static void build(hb *h, const uint16_t *cs, size_t ncs, const char *sni, int grease)
{
    h->n = 0;
    put8(h, 0x16); put16(h, 0x0301); put16(h, 0); /* record, length patched */
    put8(h, 1); put8(h, 0); put16(h, 0);          /* handshake, length patched */
    put16(h, 0x0303);
    for (int i = 0; i < 32; i++) put8(h, (unsigned)i);
    put8(h, 32);
    for (int i = 0; i < 32; i++) put8(h, 0xee);
    put16(h, (unsigned)(2 * ncs));
    for (size_t i = 0; i < ncs; i++) put16(h, cs[i]);
    put8(h, 1); put8(h, 0);
    size_t ext_at = h->n;
    put16(h, 0);
    if (grease) { put16(h, 0x3a3a); put16(h, 0); }
    if (sni) {
        size_t l = strlen(sni);
        put16(h, 0); put16(h, (unsigned)(l + 5)); put16(h, (unsigned)(l + 3));
        put8(h, 0); put16(h, (unsigned)l); putmem(h, sni, l);
    }
    put16(h, 10); put16(h, grease ? 8 : 6); put16(h, grease ? 6 : 4);
    if (grease) put16(h, 0xdada);
    put16(h, 29); put16(h, 23);
    put16(h, 11); put16(h, 2); put8(h, 1); put8(h, 0);
    put16(h, 16); put16(h, 14); put16(h, 12);
    put8(h, 2); putmem(h, "h2", 2); put8(h, 8); putmem(h, "http/1.1", 8);
    put16(h, 0xff01); put16(h, 1); put8(h, 0);
    if (grease) { put16(h, 0x8a8a); put16(h, 1); put8(h, 0); }
    patch16(h, ext_at, h->n - ext_at - 2);
    size_t hs_len = h->n - 9;
    h->b[6] = (uint8_t)(hs_len >> 16); h->b[7] = (uint8_t)(hs_len >> 8); h->b[8] = (uint8_t)hs_len;
    patch16(h, 3, h->n - 5);
}

static void test_built_ja3_string(void **st)
{
    (void)st;
    static hb h;
    const uint16_t cs[] = {0x2a2a, 0x1301, 0xc02b, 0x002f};
    build(&h, cs, 4, "Pool.Example.ORG", 1);
    mt_tls_hello t;
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    ja3_fill(&t);
    assert_string_equal(t.ja3, "771,4865-49195-47,0-10-11-16-65281,29-23,0");
    assert_string_equal(t.sni, "Pool.Example.ORG"); /* raw, as sent */
    assert_string_equal(t.alpn, "h2,http/1.1");
    char hex[33];
    mt_digest_hex(MT_DIGEST_MD5, t.ja3, strlen(t.ja3), hex);
    assert_string_equal(t.ja3_hash, hex);

    /* no SNI at all (XMRig) */
    build(&h, cs + 1, 1, NULL, 0);
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    ja3_fill(&t);
    assert_string_equal(t.sni, "");
    assert_string_equal(t.ja3, "771,4865,10-11-16-65281,29-23,0");
}

/* More ciphers than the JA3 buffer holds: string truncated, hash still the
 * MD5 of the complete string. */
static void test_long_ja3_hash_exact(void **st)
{
    (void)st;
    static hb h;
    static uint16_t cs[3000];
    for (size_t i = 0; i < 3000; i++) cs[i] = (uint16_t)(10000 + i);
    build(&h, cs, 3000, "x.example", 0);
    mt_tls_hello t;
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    assert_int_equal(t.ja3_lazy, 0); /* lists too long to keep: hashed while parsing */
    assert_true(strlen(t.ja3) < sizeof t.ja3);
    static char full[40000];
    size_t o = (size_t)snprintf(full, sizeof full, "771,");
    int first = 1;
    for (size_t i = 0; i < 3000; i++) {
        unsigned v = 10000u + (unsigned)i;
        if ((v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff)) continue; /* 0x2a2a is GREASE */
        o += (size_t)snprintf(full + o, sizeof full - o, "%s%u", first ? "" : "-", v);
        first = 0;
    }
    snprintf(full + o, sizeof full - o, ",0-10-11-16-65281,29-23,0");
    char hex[33];
    mt_digest_hex(MT_DIGEST_MD5, full, strlen(full), hex);
    assert_string_equal(t.ja3_hash, hex);
    assert_memory_equal(t.ja3, full, strlen(t.ja3));
}

static void test_not_client_hello(void **st)
{
    (void)st;
    mt_tls_hello t;
    const char *get = "GET / HTTP/1.1\r\n\r\n";
    assert_false(mt_tls_looks_like((const uint8_t *)get, strlen(get)));
    assert_int_equal(mt_tls_parse_client_hello((const uint8_t *)get, strlen(get), &t), MT_ENOTFOUND);
    const uint8_t server_hello[] = {0x16, 0x03, 0x03, 0x00, 0x30, 0x02, 0x00, 0x00, 0x2c};
    assert_int_equal(mt_tls_parse_client_hello(server_hello, sizeof server_hello, &t), MT_ENOTFOUND);
    const uint8_t appdata[] = {0x17, 0x03, 0x03, 0x00, 0x10};
    assert_int_equal(mt_tls_parse_client_hello(appdata, sizeof appdata, &t), MT_ENOTFOUND);
    const uint8_t one[] = {0x16};
    assert_int_equal(mt_tls_parse_client_hello(one, 1, &t), MT_EAGAIN);
    assert_int_equal(mt_tls_parse_client_hello(one, 0, &t), MT_EAGAIN);
    const uint8_t zero_rec[] = {0x16, 0x03, 0x01, 0x00, 0x00, 0x01};
    assert_int_equal(mt_tls_parse_client_hello(zero_rec, sizeof zero_rec, &t), MT_EINVAL);
    /* handshake length beyond our 16 KiB cap */
    const uint8_t huge[] = {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00};
    assert_int_equal(mt_tls_parse_client_hello(huge, sizeof huge, &t), MT_EINVAL);
}

/* Overwrite every single byte with extreme values: never a crash, and a
 * result of OK, EINVAL, ENOTFOUND or EAGAIN. Also all lengths to 0xff. */
static void test_malformed_everywhere(void **st)
{
    (void)st;
    static hb h;
    const uint16_t cs[] = {0x1301, 0xc02b};
    build(&h, cs, 2, "pool.example.org", 1);
    static const uint8_t vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    for (size_t i = 0; i < h.n; i++) {
        for (size_t v = 0; v < sizeof vals; v++) {
            uint8_t *b = malloc(h.n);
            memcpy(b, h.b, h.n);
            b[i] = vals[v];
            mt_tls_hello t;
            int rc = mt_tls_parse_client_hello(b, h.n, &t);
            assert_true(rc == MT_OK || rc == MT_EINVAL || rc == MT_ENOTFOUND || rc == MT_EAGAIN);
            if (rc == MT_OK) {
                ja3_fill(&t);
                assert_int_equal(strlen(t.ja3_hash), 32);
            }
            free(b);
        }
    }
    /* truncate the record (length field says more than the extensions hold) */
    uint8_t *b = malloc(h.n);
    memcpy(b, h.b, h.n);
    mt_tls_hello t;
    b[9 + 2 + 32 + 1 + 32 + 2 + 4 + 2 + 1] = 0x7f; /* extensions length high byte */
    assert_int_equal(mt_tls_parse_client_hello(b, h.n, &t), MT_EINVAL);
    free(b);
}


/* ---- JA4 on hand-built hellos ------------------------------------------ */
/* Expected values: JA4 spec (FoxIO technical_details/JA4.md) worked example,
 * and Python hashlib.sha256 over the lists written out by hand. */
typedef struct h4 {
    uint16_t legacy;
    const uint16_t *cs; size_t ncs;
    const uint16_t *ext; size_t next; /* types in order; bodies made up below */
    const uint16_t *sig; size_t nsig;
    const uint16_t *sv; size_t nsv;
    const uint8_t *alpn0; size_t nalpn0; /* first ALPN value; "x1" follows */
    int no_ext_block;
} h4;

static void build4(hb *h, const h4 *s)
{
    h->n = 0;
    put8(h, 0x16); put16(h, 0x0301); put16(h, 0);
    put8(h, 1); put8(h, 0); put16(h, 0);
    put16(h, s->legacy);
    for (int i = 0; i < 32; i++) put8(h, (unsigned)i);
    put8(h, 0);
    put16(h, (unsigned)(2 * s->ncs));
    for (size_t i = 0; i < s->ncs; i++) put16(h, s->cs[i]);
    put8(h, 1); put8(h, 0);
    if (!s->no_ext_block) {
        size_t ext_at = h->n;
        put16(h, 0);
        for (size_t e = 0; e < s->next; e++) {
            uint16_t t = s->ext[e];
            put16(h, t);
            size_t len_at = h->n;
            put16(h, 0);
            if (t == 0x0000) {
                put16(h, 19); put8(h, 0); put16(h, 16); putmem(h, "pool.example.org", 16);
            } else if (t == 0x0010) {
                put16(h, (unsigned)(1 + s->nalpn0 + 3)); put8(h, (unsigned)s->nalpn0);
                putmem(h, s->alpn0, s->nalpn0); put8(h, 2); putmem(h, "x1", 2);
            } else if (t == 0x000d) {
                put16(h, (unsigned)(2 * s->nsig));
                for (size_t i = 0; i < s->nsig; i++) put16(h, s->sig[i]);
            } else if (t == 0x002b) {
                put8(h, (unsigned)(2 * s->nsv));
                for (size_t i = 0; i < s->nsv; i++) put16(h, s->sv[i]);
            } else if (t == 0x000a) {
                put16(h, 2); put16(h, 29);
            } else if (t == 0x000b) {
                put8(h, 1); put8(h, 0);
            }
            patch16(h, len_at, h->n - len_at - 2);
        }
        patch16(h, ext_at, h->n - ext_at - 2);
    }
    size_t hs_len = h->n - 9;
    h->b[6] = (uint8_t)(hs_len >> 16); h->b[7] = (uint8_t)(hs_len >> 8); h->b[8] = (uint8_t)hs_len;
    patch16(h, 3, h->n - 5);
}

static void ja4_of(const h4 *s, char out[37])
{
    static hb h;
    build4(&h, s);
    mt_tls_hello t;
    int rc = mt_tls_parse_client_hello(h.b, h.n, &t);
    if (rc != MT_OK) fprintf(stderr, "%s\n", mt_error_msg());
    assert_int_equal(rc, MT_OK);
    assert_int_equal(mt_tls_ja4(&t, out), 1);
    assert_int_equal(strlen(out), 36);
}

/* the spec's worked example: Chrome's lists */
static const uint16_t spec_cs[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                                   0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t spec_ext[] = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
                                    0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
static const uint16_t spec_sig[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
static const uint16_t tls13[] = {0x0304, 0x0303};

static h4 spec_hello(void)
{
    h4 s = {0x0303, spec_cs, 15, spec_ext, 16, spec_sig, 8, tls13, 2,
            (const uint8_t *)"h2", 2, 0};
    return s;
}

static void test_ja4_spec_example(void **st)
{
    (void)st;
    char j[37];
    h4 s = spec_hello();
    ja4_of(&s, j);
    assert_string_equal(j, "t13d1516h2_8daaf6152771_e5627efa2ab1");
}

/* GREASE in ciphers, extensions, supported_versions and signature
 * algorithms changes nothing (not counted, not hashed, not the version). */
static void test_ja4_grease_ignored(void **st)
{
    (void)st;
    static const uint16_t cs[] = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                                  0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0xfafa};
    static const uint16_t ext[] = {0x1a1a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
                                   0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a,
                                   0x0015, 0xeaea};
    static const uint16_t sig[] = {0x3a3a, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
    static const uint16_t sv[] = {0xbaba, 0x0304, 0x0303};
    h4 s = {0x0303, cs, 17, ext, 18, sig, 9, sv, 3, (const uint8_t *)"h2", 2, 0};
    char j[37];
    ja4_of(&s, j);
    assert_string_equal(j, "t13d1516h2_8daaf6152771_e5627efa2ab1");
    /* only GREASE in supported_versions: the legacy version counts */
    static const uint16_t sv_g[] = {0x6a6a};
    s.sv = sv_g;
    s.nsv = 1;
    ja4_of(&s, j);
    assert_string_equal(j, "t12d1516h2_8daaf6152771_e5627efa2ab1");
}

/* No SNI and no ALPN: "i" and "00", counts drop by two, and part c is the
 * same (SNI and ALPN are never in it). */
static void test_ja4_no_sni_no_alpn(void **st)
{
    (void)st;
    static const uint16_t ext[] = {0x001b, 0x0033, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
                                   0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
    h4 s = spec_hello();
    s.ext = ext;
    s.next = 14;
    char j[37];
    ja4_of(&s, j);
    assert_string_equal(j, "t13i151400_8daaf6152771_e5627efa2ab1");
}

/* No signature_algorithms extension: no "_" part in the c input. An
 * extension with an empty list hashes the same. */
static void test_ja4_no_sigalgs(void **st)
{
    (void)st;
    static const uint16_t ext[] = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
                                   0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
    h4 s = spec_hello();
    s.ext = ext;
    s.next = 15;
    char j[37];
    ja4_of(&s, j);
    /* sha256("0005,000a,000b,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01") */
    assert_string_equal(j, "t13d1515h2_8daaf6152771_bebfbbe173b2");
    /* signature_algorithms present but empty: extension counted and hashed */
    s = spec_hello();
    s.nsig = 0;
    ja4_of(&s, j);
    assert_int_equal(strncmp(j, "t13d1516h2_8daaf6152771_", 24), 0);
    assert_string_not_equal(j + 24, "e5627efa2ab1");
}

/* The ALPN characters: alphanumeric first/last bytes as they are, else the
 * first and last characters of the value's hex form (spec examples). */
static void test_ja4_alpn_rules(void **st)
{
    (void)st;
    static const struct { const char *v; size_t n; const char *code; } cases[] = {
        {"http/1.1", 8, "h1"},
        {"h", 1, "hh"},         /* one character: first and last */
        {"\xab", 1, "ab"},
        {"\xab\xcd", 2, "ad"},
        {"0\xab", 2, "3b"},
        {"01\xab\xcd", 4, "3d"},
        {"0\xab\xcd" "1", 4, "01"},
        {"/x", 2, "28"},        /* "/" is not alphanumeric: hex "2f78" */
        {"", 0, "00"},          /* empty first value */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h4 s = spec_hello();
        s.alpn0 = (const uint8_t *)cases[i].v;
        s.nalpn0 = cases[i].n;
        char j[37];
        ja4_of(&s, j);
        char code[3] = {j[8], j[9], 0};
        if (strcmp(code, cases[i].code) != 0) fprintf(stderr, "ALPN case %zu: %s\n", i, j);
        assert_string_equal(code, cases[i].code);
        assert_string_equal(j + 10, "_8daaf6152771_e5627efa2ab1");
    }
}

/* Versions, empty lists, and lists too long for the event's buffer (JA4
 * then computed during the parse: same answer, from the bytes in place). */
static void test_ja4_edges(void **st)
{
    (void)st;
    char j[37];
    /* no cipher suites, only SNI: both hashes "000000000000" */
    static const uint16_t only_sni[] = {0x0000};
    h4 s = {0x0303, NULL, 0, only_sni, 1, NULL, 0, NULL, 0, NULL, 0, 0};
    ja4_of(&s, j);
    assert_string_equal(j, "t12d000100_000000000000_000000000000");
    /* no extension block at all; SSL 3.0 */
    static const uint16_t one_cs[] = {0x0035};
    h4 s2 = {0x0300, one_cs, 1, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 1};
    ja4_of(&s2, j);
    assert_string_equal(j, "ts3i010000_692296a295db_000000000000");
    s2.legacy = 0x0301;
    ja4_of(&s2, j);
    assert_string_equal(j, "t10i010000_692296a295db_000000000000");
    /* an unknown version (a TLS 1.3 draft) in supported_versions: "00" */
    static const uint16_t sv_draft[] = {0x7f1c, 0x0304};
    static const uint16_t sv_ext[] = {0x002b};
    h4 s3 = {0x0303, one_cs, 1, sv_ext, 1, NULL, 0, sv_draft, 2, NULL, 0, 0};
    ja4_of(&s3, j);
    assert_string_equal(j, "t00i010100_692296a295db_b9a491fefe05");

    /* 300 cipher suites (600 bytes > the 512 kept): count capped at 99,
     * hash over all 300; the value is made while parsing */
    static uint16_t many[300];
    for (size_t i = 0; i < 300; i++) many[i] = (uint16_t)(10000 + 299 - i);
    static const uint16_t sni_sv_sig[] = {0x0000, 0x002b, 0x000d};
    static const uint16_t sig1[] = {0x0403};
    static const uint16_t sv12[] = {0x0303};
    h4 s4 = {0x0303, many, 300, sni_sv_sig, 3, sig1, 1, sv12, 1, NULL, 0, 0};
    static hb h;
    build4(&h, &s4);
    mt_tls_hello t;
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    assert_string_equal(t.ja4, "t12d990300_4df7ff89b91d_3953dc75acc4");
    assert_int_equal(mt_tls_ja4(&t, j), 1);
    assert_string_equal(j, "t12d990300_4df7ff89b91d_3953dc75acc4");
    /* 254 ciphers fit (508 bytes) but the extension types do not: eager too */
    h4 s5 = s4;
    s5.ncs = 254;
    build4(&h, &s5);
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    assert_int_equal(t.ja4_flags & MT_TLS_JA4_LISTS, 0);
    assert_int_equal(strlen(t.ja4), 36);
    /* 200 ciphers: everything fits, computed lazily */
    s5.ncs = 200;
    build4(&h, &s5);
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    assert_string_equal(t.ja4, "");
    assert_int_equal(mt_tls_ja4(&t, j), 1);
    assert_int_equal(strncmp(j, "t12d990300_", 11), 0);
}

/* Truncated and malformed: every prefix asks for more; a bad
 * signature_algorithms or supported_versions body does not fail the hello
 * (JA3 does not look at them) and is left out of JA4. */
static void test_ja4_truncated_malformed(void **st)
{
    (void)st;
    static hb h;
    h4 s = spec_hello();
    build4(&h, &s);
    mt_tls_hello t;
    for (size_t k = 0; k < h.n; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, h.b, k);
        assert_int_equal(mt_tls_parse_client_hello(b, k, &t), MT_EAGAIN);
        free(b);
    }
    /* signature_algorithms list length beyond its extension */
    static const uint16_t ext[] = {0x000d};
    static const uint16_t sig[] = {0x0403, 0x0804};
    h4 m = {0x0303, spec_cs, 15, ext, 1, sig, 2, NULL, 0, NULL, 0, 0};
    build4(&h, &m);
    size_t at = h.n - 6; /* the list length inside the extension */
    assert_int_equal(h.b[at + 1], 4);
    h.b[at + 1] = 9;
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    char j[37];
    assert_int_equal(mt_tls_ja4(&t, j), 1);
    /* sha256("000d"): extension counted, no signature algorithms */
    assert_string_equal(j, "t12i150100_8daaf6152771_06540eb5c95f");
    /* supported_versions with a list length beyond the extension: legacy */
    static const uint16_t ext2[] = {0x002b};
    static const uint16_t sv[] = {0x0304};
    h4 m2 = {0x0303, spec_cs, 15, ext2, 1, NULL, 0, sv, 1, NULL, 0, 0};
    build4(&h, &m2);
    h.b[h.n - 3] = 7;
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
    mt_tls_ja4(&t, j);
    assert_int_equal(strncmp(j, "t12i150100_", 11), 0);
    /* a hello from a log without JA4 inputs: no value */
    mt_tls_hello empty;
    memset(&empty, 0, sizeof empty);
    j[0] = 'x';
    assert_int_equal(mt_tls_ja4(&empty, j), 0);
    assert_string_equal(j, "");
}

/* ---- detector ----------------------------------------------------------- */
static void hello_event(mt_event *ev, mt_tls_hello *h, uint64_t flow, const char *srv,
                        uint16_t port, const char *sni)
{
    memset(h, 0, sizeof *h);
    h->version = 0x0303;
    mt_strlcpy(h->sni, sni, sizeof h->sni);
    mt_strlcpy(h->ja3_hash, "0123456789abcdef0123456789abcdef", sizeof h->ja3_hash);
    ce_event(ev, MT_EV_TLS_HELLO, flow, "10.0.0.5", 50000, srv, port);
    ev->u.tls = h;
}

static void test_detector_sni_listed(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_event ev;
    mt_tls_hello h;
    hello_event(&ev, &h, 1, "198.51.100.7", 443, "ws027.AuthedMine.com");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->f[0].kind, MT_KIND_TLS);
    assert_string_equal(c->f[0].protocol, "tls");
    assert_string_equal(c->f[0].pool, "ws027.AuthedMine.com");
    assert_string_equal(c->f[0].family, "browser-miner");
    assert_true(c->f[0].confidence >= 70);
    assert_non_null(strstr(c->f[0].evidence, "JA3 0123456789abcdef"));
    assert_null(strstr(c->f[0].evidence, "JA4")); /* none known for this hello */
    /* same client/server/name again: deduplicated; a new flow too */
    mt_engine_event(c->e, &ev);
    hello_event(&ev, &h, 2, "198.51.100.7", 443, "ws027.AuthedMine.com");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    /* ordinary web names: nothing */
    hello_event(&ev, &h, 3, "198.51.100.8", 443, "www.example.com");
    mt_engine_event(c->e, &ev);
    hello_event(&ev, &h, 4, "198.51.100.8", 443, "pool.ntp.org");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    ce_free(c);
}

/* A real hello (Chrome, chrome.pcap) with a listed SNI: the evidence
 * ends with both fingerprints. */
static void test_detector_ja4_evidence(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(real[3].file, real[3].frame, &g), 0);
    mt_tls_hello h;
    assert_int_equal(mt_tls_parse_client_hello(g.buf, g.len, &h), MT_OK);
    mt_strlcpy(h.sni, "ws027.authedmine.com", sizeof h.sni);
    ce *c = ce_new();
    mt_event ev;
    ce_event(&ev, MT_EV_TLS_HELLO, 1, "10.0.0.5", 50000, "198.51.100.7", 443);
    ev.u.tls = &h;
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    const char *e = c->f[0].evidence;
    const char *tail = "; JA3 aa50c12a5dfa717d9d6ab34e97de79d5; JA4 t13d1516h2_8daaf6152771_e5627efa2ab1";
    assert_true(strlen(e) > strlen(tail));
    assert_string_equal(e + strlen(e) - strlen(tail), tail);
    ce_free(c);
}

static void test_detector_dns_tie(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_addr a;
    mt_addr_parse("203.0.113.9", &a);
    mt_event ev;
    mt_tls_hello h;
    hello_event(&ev, &h, 1, "203.0.113.9", 443, "");
    mt_dnstie_put(mt_engine_dnstie(c->e), &a, "pool.supportxmr.com", ev.ts + 60000000LL, 90, MT_CAT_POOL);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    assert_string_equal(c->f[0].pool, "pool.supportxmr.com");
    assert_int_equal(c->f[0].confidence, 85);
    assert_non_null(strstr(c->f[0].evidence, "TLS to 203.0.113.9 resolved from pool name pool.supportxmr.com (no SNI)"));
    assert_string_equal(c->f[0].family, "monero-miner");
    /* an unlisted SNI to the same address: weaker */
    hello_event(&ev, &h, 2, "203.0.113.9", 443, "cdn.example.net");
    mt_engine_event(c->e, &ev);
    /* deduped on (client, server, tied name) */
    assert_int_equal(c->n, 1);
    /* expired tie: nothing */
    mt_addr b;
    mt_addr_parse("203.0.113.10", &b);
    mt_dnstie_put(mt_engine_dnstie(c->e), &b, "pool.supportxmr.com", ev.ts - 1, 90, MT_CAT_POOL);
    hello_event(&ev, &h, 3, "203.0.113.10", 443, "");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    /* a tie to an unlisted name: nothing */
    mt_dnstie_put(mt_engine_dnstie(c->e), &b, "www.example.org", ev.ts + 60000000LL, 0, 0);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    ce_free(c);
}

static void test_detector_keywords(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_event ev;
    mt_tls_hello h;
    /* mining word + ticker, but port 443 (not a mining port): no */
    hello_event(&ev, &h, 1, "192.0.2.1", 443, "xmr-pool.unlisted-example.net");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 0);
    /* only a mining word, on a mining port: no (pool.ntp.org-like) */
    hello_event(&ev, &h, 2, "192.0.2.1", 3333, "pool.unlisted-example.net");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 0);
    /* only a ticker: no */
    hello_event(&ev, &h, 3, "192.0.2.1", 3333, "eth.unlisted-example.net");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 0);
    /* substrings do not count: "ethics", "mineral", "btcenter" */
    hello_event(&ev, &h, 4, "192.0.2.1", 3333, "mineral.ethics.example");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 0);
    /* both, with digits after the label, on a mining port: weak finding */
    hello_event(&ev, &h, 5, "192.0.2.1", 3333, "xmr1-pool2.unlisted-example.net");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    assert_string_equal(c->f[0].family, "monero-miner");
    assert_true(c->f[0].confidence >= 45 && c->f[0].confidence < 70);
    assert_non_null(strstr(c->f[0].evidence, "keyword"));
    ce_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_hellos),
        cmocka_unit_test(test_real_grease_removed),
        cmocka_unit_test(test_every_prefix_eagain),
        cmocka_unit_test(test_multi_record),
        cmocka_unit_test(test_built_ja3_string),
        cmocka_unit_test(test_long_ja3_hash_exact),
        cmocka_unit_test(test_not_client_hello),
        cmocka_unit_test(test_malformed_everywhere),
        cmocka_unit_test(test_ja4_spec_example),
        cmocka_unit_test(test_ja4_grease_ignored),
        cmocka_unit_test(test_ja4_no_sni_no_alpn),
        cmocka_unit_test(test_ja4_no_sigalgs),
        cmocka_unit_test(test_ja4_alpn_rules),
        cmocka_unit_test(test_ja4_edges),
        cmocka_unit_test(test_ja4_truncated_malformed),
        cmocka_unit_test(test_detector_ja4_evidence),
        cmocka_unit_test(test_detector_sni_listed),
        cmocka_unit_test(test_detector_dns_tie),
        cmocka_unit_test(test_detector_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
