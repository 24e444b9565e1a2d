/* TLS ClientHello decoder tests: real ClientHellos from corpus captures with
 * the JA3 hashes tshark 4.0 prints for them (Firefox to authedmine.com in
 * coinhive.pcap, Chrome with GREASE values, Android), stream splitting at
 * every offset, the handshake spread over several records, hand-built
 * hellos for the exact JA3 string, and malformed lengths. */
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
#include "util/md5.h"

/* ---- real captures ------------------------------------------------------ */
typedef struct want {
    const char *file;
    unsigned frame;
    const char *sni, *ja3_hash, *alpn;
    uint16_t version;
} want;

/* Expected values from: tshark -r F -Y frame.number==N -T fields
 *   -e tls.handshake.extensions_server_name -e tls.handshake.ja3 */
static const want real[] = {
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap", 22, "authedmine.com",
     "e539cf186447573e3ac2e0b10e262bd1", "h2,http/1.1", 0x0303},
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap", 56, "ws027.authedmine.com",
     "7375c86ede5d928ba34a0622e4ac0dcd", "http/1.1", 0x0303},
    {"pcap/other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap", 8, "coinhive.com",
     "94c485bca29d5392be53f2b8cf7f4304", "h2,http/1.1", 0x0303},
    {"pcap/ndpi-tests/chrome.pcap", 59, "www.iit.cnr.it",
     "aa50c12a5dfa717d9d6ab34e97de79d5", "h2,http/1.1", 0x0303},
    {"pcap/ndpi-tests/android.pcap", 241, "datasaver.googleapis.com",
     "66918128f1b9b03303d77c6f2eefd128", "h2,http/1.1", 0x0303},
    {"pcap/ndpi-tests/alexa-app.pcapng", 262, "www.amazon.com",
     "d551fafc4f40f1dec2bb45980bfa9492", NULL, 0},
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
        assert_string_equal(h.sni, real[i].sni);
        assert_string_equal(h.ja3_hash, real[i].ja3_hash);
        if (real[i].alpn) assert_string_equal(h.alpn, real[i].alpn);
        if (real[i].version) assert_int_equal(h.version, real[i].version);
        /* the stored string hashes to the stored hash (not truncated here) */
        char hex[33];
        mt_md5_hex(h.ja3, strlen(h.ja3), hex);
        assert_string_equal(hex, h.ja3_hash);
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
        assert_string_equal(h.sni, real[3].sni);
        assert_string_equal(h.ja3_hash, real[3].ja3_hash);
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
    assert_string_equal(t.ja3, "771,4865-49195-47,0-10-11-16-65281,29-23,0");
    assert_string_equal(t.sni, "Pool.Example.ORG"); /* raw, as sent */
    assert_string_equal(t.alpn, "h2,http/1.1");
    char hex[33];
    mt_md5_hex(t.ja3, strlen(t.ja3), hex);
    assert_string_equal(t.ja3_hash, hex);

    /* no SNI at all (XMRig) */
    build(&h, cs + 1, 1, NULL, 0);
    assert_int_equal(mt_tls_parse_client_hello(h.b, h.n, &t), MT_OK);
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
    mt_md5_hex(full, strlen(full), hex);
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
            if (rc == MT_OK) assert_int_equal(strlen(t.ja3_hash), 32);
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
        cmocka_unit_test(test_detector_sni_listed),
        cmocka_unit_test(test_detector_dns_tie),
        cmocka_unit_test(test_detector_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
