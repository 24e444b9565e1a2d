/* HTTP head decoder tests: real miner requests from corpus captures
 * (Ethereum getwork POST to pool.eth.pp.ua, cgminer getblocktemplate with
 * X-Mining-Extensions, bfgminer to bitminter), a real X-Stratum response,
 * every-prefix truncation, bare LF, folded and over-long headers, and junk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto/http.h"
#include "unit/pcap_payload.h"

typedef struct grab {
    unsigned frame;
    uint8_t buf[8192];
    size_t len;
} grab;

static void grab_cb(const tp_seg *s, void *ctx)
{
    grab *g = ctx;
    if (s->frame == g->frame && s->len <= sizeof g->buf) {
        memcpy(g->buf, s->payload, s->len);
        g->len = s->len;
    }
}

static int load_frame(const char *rel, unsigned frame, grab *g)
{
    char path[1024];
    if (!tp_corpus_path(path, sizeof path, rel)) return -1;
    memset(g, 0, sizeof *g);
    g->frame = frame;
    if (tp_walk(path, grab_cb, g) != 0 || g->len == 0) return -1;
    return 0;
}

#define NESFIT "pcap/other/nesfit_DI-cryptominingdetection/"
#define JSIWEK "pcap/other/jsiwek_zeek-cryptomining/"

static void test_real_getwork_post(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    grab g;
    assert_int_equal(load_frame(NESFIT "pool.eth.pp.ua.pcapng", 7, &g), 0);
    assert_true(mt_http_looks_like_request(g.buf, g.len));
    mt_http_request r;
    size_t hl = 0;
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_string_equal(r.method, "POST");
    assert_string_equal(r.uri, "/?miner=30@0x4b999ba68e017854ffb6b494bc2ddb9ef02bd745@OptionalRigName");
    assert_string_equal(r.host, "pool.eth.pp.ua");
    assert_string_equal(r.content_type, "application/json");
    assert_int_equal(r.content_length, 48);
    assert_int_equal(hl + 48, g.len);
    const char *body = "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}";
    assert_memory_equal(g.buf + hl, body, strlen(body));
    assert_null(r.body);
    assert_int_equal(r.has_x_mining_extensions, 0);
    assert_string_equal(r.user_agent, "");
}

static void test_real_cgminer_gbt(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    grab g;
    /* frame 259: the head alone in one segment; 1361: head + body */
    assert_int_equal(load_frame(NESFIT "cgminer.g0.pcapng", 259, &g), 0);
    mt_http_request r;
    size_t hl = 0;
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_int_equal(hl, g.len);
    assert_string_equal(r.host, "138.201.31.12:3335");
    assert_string_equal(r.user_agent, "cgminer 3.7.2");
    assert_string_equal(r.content_type, "application/json"); /* "Content-type" */
    assert_int_equal(r.has_x_mining_extensions, 1);
    assert_int_equal(r.content_length, 116);

    assert_int_equal(load_frame(NESFIT "cgminer.g0.pcapng", 1361, &g), 0);
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_int_equal(hl + 116, g.len);
    const char *gbt = "{\"id\": 0, \"method\": \"getblocktemplate\"";
    assert_memory_equal(g.buf + hl, gbt, strlen(gbt));
}

static void test_real_bfgminer(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    grab g;
    assert_int_equal(load_frame(JSIWEK "bitcoin-mining.pcap", 4, &g), 0);
    mt_http_request r;
    size_t hl = 0;
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_string_equal(r.user_agent, "bfgminer/5.2.0");
    assert_string_equal(r.host, "us1.bitminter.com:3333");
    assert_int_equal(r.content_length, 235);
    assert_int_equal(r.has_x_mining_extensions, 1);
    /* every proper prefix is incomplete, never an error */
    for (size_t k = 0; k < g.len; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, g.buf, k);
        int rc = mt_http_parse_request(b, k, &r, &hl);
        free(b);
        assert_int_equal(rc, MT_EAGAIN);
    }
}

static void test_real_x_stratum_response(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    grab g;
    assert_int_equal(load_frame(NESFIT "cgminer.g0.pcapng", 539, &g), 0);
    assert_true(mt_http_looks_like_response(g.buf, g.len));
    mt_http_response r;
    size_t hl = 0;
    assert_int_equal(mt_http_parse_response(g.buf, g.len, &r, &hl), MT_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.has_content_length, 1);
    assert_int_equal(r.content_length, 190);
    assert_int_equal(r.has_x_stratum, 1);
    assert_string_equal(r.x_stratum, "stratum+tcp://litecoinpool.org:3333");
    assert_int_equal(hl + 190, g.len);
    for (size_t k = 0; k < hl; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, g.buf, k);
        int rc = mt_http_parse_response(b, k, &r, &hl);
        free(b);
        assert_int_equal(rc, MT_EAGAIN);
    }
}

static int parse_str(const char *s, mt_http_request *r, size_t *hl)
{
    size_t n = strlen(s);
    uint8_t *b = malloc(n ? n : 1);
    memcpy(b, s, n);
    int rc = mt_http_parse_request(b, n, r, hl);
    free(b);
    return rc;
}

static void test_bare_lf_and_case(void **st)
{
    (void)st;
    mt_http_request r;
    size_t hl;
    const char *s = "GET /lib/cryptonight.wasm HTTP/1.1\nhOsT:  Example.COM \nuser-agent:\tXMRig/6.21.0 (Linux x86_64) libuv/1.44 gcc/12\nUPGRADE: WebSocket\nX-STRATUM: 1\n\nBODY";
    assert_int_equal(parse_str(s, &r, &hl), MT_OK);
    assert_int_equal(hl, strlen(s) - 4);
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.uri, "/lib/cryptonight.wasm");
    assert_string_equal(r.host, "Example.COM");
    assert_string_equal(r.user_agent, "XMRig/6.21.0 (Linux x86_64) libuv/1.44 gcc/12");
    assert_int_equal(r.upgrade_websocket, 1);
    assert_int_equal(r.has_x_stratum, 1);
    /* mixed CRLF / LF */
    assert_int_equal(parse_str("GET / HTTP/1.0\r\nHost: a\n\r\n", &r, &hl), MT_OK);
    assert_string_equal(r.host, "a");
    /* head ends right after the request line */
    assert_int_equal(parse_str("GET / HTTP/1.0\r\n\r\n", &r, &hl), MT_OK);
    assert_int_equal(hl, 18);
    assert_int_equal(parse_str("GET / HTTP/1.0\n\n", &r, &hl), MT_OK);
    assert_int_equal(hl, 16);
}

static void test_folded_and_long(void **st)
{
    (void)st;
    mt_http_request r;
    size_t hl;
    assert_int_equal(parse_str("GET / HTTP/1.1\r\nUser-Agent: cpuminer/2.5.1\r\n  (folded part)\r\nHost: h\r\n\r\n", &r, &hl), MT_OK);
    assert_string_equal(r.user_agent, "cpuminer/2.5.1 (folded part)");
    assert_string_equal(r.host, "h");
    /* a fold line before any header is ignored */
    assert_int_equal(parse_str("GET / HTTP/1.1\r\n folded\r\nHost: h\r\n\r\n", &r, &hl), MT_OK);
    assert_string_equal(r.host, "h");
    /* a 5000-byte User-Agent is truncated, not overflowing */
    static char big[12000];
    int o = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nUser-Agent: ");
    memset(big + o, 'A', 5000);
    o += 5000;
    snprintf(big + o, sizeof big - (size_t)o, "\r\nHost: x\r\n\r\n");
    assert_int_equal(parse_str(big, &r, &hl), MT_OK);
    assert_int_equal(strlen(r.user_agent), sizeof r.user_agent - 1);
    assert_string_equal(r.host, "x");
    /* many folds keep the field bounded */
    o = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 1000; i++) o += snprintf(big + o, sizeof big - (size_t)o, " fold%d\r\n", i);
    snprintf(big + o, sizeof big - (size_t)o, "\r\n");
    assert_int_equal(parse_str(big, &r, &hl), MT_OK);
    assert_true(strlen(r.host) < sizeof r.host);
    assert_true(strncmp(r.host, "a fold0 fold1", 13) == 0);
}

static void test_head_too_long(void **st)
{
    (void)st;
    mt_http_request r;
    size_t hl;
    static char big[20000];
    int o = snprintf(big, sizeof big, "POST / HTTP/1.1\r\n");
    while (o < 17000) o += snprintf(big + o, sizeof big - (size_t)o, "X-Pad: 0123456789\r\n");
    /* no blank line, over the cap: error, not "more" forever */
    assert_int_equal(parse_str(big, &r, &hl), MT_EINVAL);
    snprintf(big + o, sizeof big - (size_t)o, "\r\n");
    assert_int_equal(parse_str(big, &r, &hl), MT_EINVAL);
    /* an endless URI */
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    memcpy(big, "GET /", 5);
    assert_int_equal(parse_str(big, &r, &hl), MT_EINVAL);
}

static void test_not_http_and_junk(void **st)
{
    (void)st;
    mt_http_request r;
    size_t hl;
    assert_int_equal(parse_str("{\"id\":1,\"method\":\"login\"}\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("\x16\x03\x01\x02\x00\x01", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("GET /\x01 HTTP/1.1\r\n\r\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("GET / FTP/1.1\r\n\r\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("GET  HTTP/1.1\r\n\r\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("GET / HTTP/1.1 x\r\n\r\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("VERYLONGMETHODNAMEXX / HTTP/1.1\r\n\r\n", &r, &hl), MT_ENOTFOUND);
    assert_int_equal(parse_str("GE", &r, &hl), MT_EAGAIN);
    assert_int_equal(parse_str("", &r, &hl), MT_EAGAIN);
    assert_false(mt_http_looks_like_request((const uint8_t *)"GETX / HTTP/1.1", 15));
    assert_true(mt_http_looks_like_request((const uint8_t *)"POST / HTTP/1.1", 15));
    assert_false(mt_http_looks_like_request((const uint8_t *)"POST", 4));
    /* junk lines are skipped; bad Content-Length ignored; overflow ignored */
    assert_int_equal(parse_str("GET / HTTP/1.1\r\nno colon here\r\nContent-Length: 12x\r\nHost: h\r\n\r\n", &r, &hl), MT_OK);
    assert_int_equal(r.content_length, 0);
    assert_string_equal(r.host, "h");
    assert_int_equal(parse_str("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", &r, &hl), MT_OK);
    assert_int_equal(r.content_length, 0);
    assert_int_equal(parse_str("GET / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n", &r, &hl), MT_OK);
    assert_int_equal(r.content_length, UINT64_MAX);
    /* the first Host wins */
    assert_int_equal(parse_str("GET / HTTP/1.1\r\nHost: one\r\nHost: two\r\n\r\n", &r, &hl), MT_OK);
    assert_string_equal(r.host, "one");
    /* response junk */
    mt_http_response rs;
    assert_int_equal(mt_http_parse_response((const uint8_t *)"HTTP/1.1 2x0 OK\r\n\r\n", 19, &rs, &hl), MT_EINVAL);
    assert_int_equal(mt_http_parse_response((const uint8_t *)"HTTP/2.0 200 OK\r\n\r\n", 19, &rs, &hl), MT_ENOTFOUND);
    assert_int_equal(mt_http_parse_response((const uint8_t *)"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", 57, &rs, &hl), MT_OK);
    assert_int_equal(rs.status, 101);
    assert_int_equal(rs.upgrade_websocket, 1);
    assert_int_equal(rs.has_content_length, 0);
}

/* Overwrite each byte of a request with awkward values: no crash, and only
 * the documented result codes. */
static void test_mutations(void **st)
{
    (void)st;
    const char *s = "POST /x?y=1 HTTP/1.1\r\nHost: pool.example.org:8080\r\nUser-Agent: cgminer 4.0\r\n"
                    "X-Mining-Extensions: midstate\r\nContent-Length: 10\r\n  fold\r\n\r\n0123456789";
    size_t n = strlen(s);
    static const uint8_t vals[] = {0, '\r', '\n', ' ', ':', 0xff};
    for (size_t i = 0; i < n; i++) {
        for (size_t v = 0; v < sizeof vals; v++) {
            uint8_t *b = malloc(n);
            memcpy(b, s, n);
            b[i] = vals[v];
            mt_http_request r;
            size_t hl = 0;
            int rc = mt_http_parse_request(b, n, &r, &hl);
            assert_true(rc == MT_OK || rc == MT_EAGAIN || rc == MT_ENOTFOUND || rc == MT_EINVAL);
            if (rc == MT_OK) assert_true(hl <= n);
            mt_http_response rs;
            rc = mt_http_parse_response(b, n, &rs, &hl);
            assert_true(rc == MT_OK || rc == MT_EAGAIN || rc == MT_ENOTFOUND || rc == MT_EINVAL);
            free(b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_getwork_post),
        cmocka_unit_test(test_real_cgminer_gbt),
        cmocka_unit_test(test_real_bfgminer),
        cmocka_unit_test(test_real_x_stratum_response),
        cmocka_unit_test(test_bare_lf_and_case),
        cmocka_unit_test(test_folded_and_long),
        cmocka_unit_test(test_head_too_long),
        cmocka_unit_test(test_not_http_and_junk),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
