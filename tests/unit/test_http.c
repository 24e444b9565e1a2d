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
#include "unit/capture_engine.h"
#include "unit/pcap_payload.h"

#define NESFIT "pcap/other/nesfit_DI-cryptominingdetection/"
#define JSIWEK "pcap/other/jsiwek_zeek-cryptomining/"

static void test_real_getwork_post(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(NESFIT "pool.eth.pp.ua.pcapng", 7, &g), 0);
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
    tp_grab g;
    /* frame 259: the head alone in one segment; 1361: head + body */
    assert_int_equal(tp_load_frame(NESFIT "cgminer.g0.pcapng", 259, &g), 0);
    mt_http_request r;
    size_t hl = 0;
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_int_equal(hl, g.len);
    assert_string_equal(r.host, "138.201.31.12:3335");
    assert_string_equal(r.user_agent, "cgminer 3.7.2");
    assert_string_equal(r.content_type, "application/json"); /* "Content-type" */
    assert_int_equal(r.has_x_mining_extensions, 1);
    assert_int_equal(r.content_length, 116);

    assert_int_equal(tp_load_frame(NESFIT "cgminer.g0.pcapng", 1361, &g), 0);
    assert_int_equal(mt_http_parse_request(g.buf, g.len, &r, &hl), MT_OK);
    assert_int_equal(hl + 116, g.len);
    const char *gbt = "{\"id\": 0, \"method\": \"getblocktemplate\"";
    assert_memory_equal(g.buf + hl, gbt, strlen(gbt));
}

static void test_real_bfgminer(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(JSIWEK "bitcoin-mining.pcap", 4, &g), 0);
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
    tp_grab g;
    assert_int_equal(tp_load_frame(NESFIT "cgminer.g0.pcapng", 539, &g), 0);
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


/* ---- detector ----------------------------------------------------------- */
static int req_event(mt_event *ev, mt_http_request *r, uint64_t flow, const char *srv,
                     uint16_t port, const char *text)
{
    size_t hl = 0, n = strlen(text);
    int rc = mt_http_parse_request((const uint8_t *)text, n, r, &hl);
    if (rc != MT_OK) return rc;
    if (hl < n) {
        r->body = (const uint8_t *)text + hl;
        r->body_len = n - hl;
    }
    ce_event(ev, MT_EV_HTTP_REQUEST, flow, "10.1.1.2", 40000, srv, port);
    ev->u.http = r;
    return MT_OK;
}

static void test_detector_real_cgminer(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(NESFIT "cgminer.g0.pcapng", 1361, &g), 0);
    g.buf[g.len] = 0;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    mt_event ev;
    mt_http_request r;
    assert_int_equal(req_event(&ev, &r, 7, "138.201.31.12", 3335, (const char *)g.buf), MT_OK);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    const mt_finding *f = &c->f[0];
    assert_int_equal(f->kind, MT_KIND_HTTP);
    assert_string_equal(f->protocol, "getblocktemplate");
    assert_string_equal(f->agent, "cgminer 3.7.2");
    assert_string_equal(f->pool, "138.201.31.12");
    assert_string_equal(f->family, "bitcoin-miner");
    assert_true(f->confidence >= 90);
    assert_non_null(strstr(f->evidence, "X-Mining-Extensions"));
    assert_non_null(strstr(f->evidence, "getblocktemplate"));
    /* same flow again: nothing new */
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    /* flow ends; a new flow with the same indicators to the same server is
     * the same finding (cgminer opens one connection per request) */
    mt_event end;
    ce_event(&end, MT_EV_FLOW_END, 7, "10.1.1.2", 40000, "138.201.31.12", 3335);
    mt_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    end.u.flow = &fs;
    mt_engine_event(c->e, &end);
    ev.flow_id = 8;
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    ce_free(c);
}

static void test_detector_real_getwork(void **st)
{
    (void)st;
    if (!getenv("MT_CORPUS")) skip();
    tp_grab g;
    assert_int_equal(tp_load_frame(NESFIT "pool.eth.pp.ua.pcapng", 7, &g), 0);
    g.buf[g.len] = 0;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    mt_event ev;
    mt_http_request r;
    assert_int_equal(req_event(&ev, &r, 1, "176.9.0.1", 80, (const char *)g.buf), MT_OK);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    assert_string_equal(c->f[0].protocol, "getwork");
    assert_string_equal(c->f[0].pool, "pool.eth.pp.ua");
    assert_string_equal(c->f[0].wallet, "0x4b999ba68e017854ffb6b494bc2ddb9ef02bd745");
    assert_string_equal(c->f[0].family, "ethereum-miner");
    ce_free(c);
}

static void test_detector_agents_paths_hosts(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    mt_event ev;
    mt_http_request r;
    uint64_t flow = 100;
    static const struct { const char *req; const char *expect_in_evidence; } pos[] = {
        {"GET /x HTTP/1.1\r\nUser-Agent: XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\r\n\r\n", "XMRig/6.21.0"},
        {"GET /ps HTTP/1.1\r\nUser-Agent: Lemon-Duck-AB-CD\r\nHost: t.example\r\n\r\n", "Lemon-Duck"},
        {"GET /lib/coinhive.min.js HTTP/1.1\r\nHost: www.victim.example\r\n\r\n", "/coinhive.min.js"},
        {"GET /lib/CryptoNight.wasm HTTP/1.1\r\nHost: static.example\r\n\r\n", "/cryptonight.wasm"},
        {"GET /deepMiner.js HTTP/1.1\r\nHost: a.example\r\n\r\n", "/deepminer.js"},
        {"GET /webmr.js HTTP/1.1\r\nHost: a.example\r\n\r\n", "/webmr.js"},
        {"GET /lib/crypta.js HTTP/1.1\r\nHost: a.example\r\n\r\n", "/crypta.js"},
        {"GET /page?proxy=wss://relay.example:8181/?pool=x HTTP/1.1\r\nHost: a.example\r\n\r\n", "?proxy=wss://"},
        {"GET / HTTP/1.1\r\nHost: coinhive.com\r\n\r\n", "Host coinhive.com"},
        {"GET /m.html?u=WSS://relay.example/ws?pool=x HTTP/1.1\r\nHost: b.example\r\n\r\n", "=wss://*?pool="},
        {"GET /jsecoin.v2/?x=1 HTTP/1.1\r\nHost: b.example\r\n\r\n", "/jsecoin.*/?"},
        {"POST / HTTP/1.1\r\nX-Stratum: 1\r\nHost: a.example\r\n\r\n", "X-Stratum"},
        {"POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 59\r\n\r\n"
         "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\",\"params\":[]}", "eth_getWork"},
        {"POST / HTTP/1.1\r\nContent-Length: 300\r\n\r\n{\"id\": 0, \"method\" : \"getwork\", \"params\": [", "getwork"},
    };
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++) {
        size_t before = c->n;
        assert_int_equal(req_event(&ev, &r, flow++, "192.0.2.50", 80, pos[i].req), MT_OK);
        mt_engine_event(c->e, &ev);
        if (c->n != before + 1) fail_msg("no finding for request %zu", i);
        const mt_finding *f = &c->f[c->n - 1];
        assert_int_equal(f->kind, MT_KIND_HTTP);
        if (!strstr(f->evidence, pos[i].expect_in_evidence))
            fail_msg("request %zu: evidence '%s' lacks '%s'", i, f->evidence, pos[i].expect_in_evidence);
    }
    /* negatives: browsers, generic names alone, ordinary JSON-RPC, ntp */
    static const char *const neg[] = {
        "GET / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0\r\n\r\n",
        "GET /static/miner.js HTTP/1.1\r\nHost: www.example.com\r\n\r\n", /* generic name alone */
        "GET /hash.wasm HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
        "GET /wproxy HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
        "GET /pool?id=wss HTTP/1.1\r\nHost: www.example.com\r\n\r\n", /* segments out of order */
        "POST / HTTP/1.1\r\nHost: node:8545\r\nContent-Length: 64\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}",
        "GET /pool.ntp.org HTTP/1.1\r\nHost: pool.ntp.org\r\n\r\n",
        "GET /mining/news HTTP/1.1\r\nHost: www.mining.com\r\n\r\n",
    };
    size_t before = c->n;
    for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
        assert_int_equal(req_event(&ev, &r, flow++, "192.0.2.60", 80, neg[i]), MT_OK);
        mt_engine_event(c->e, &ev);
        if (c->n != before) fail_msg("false positive on negative %zu: %s", i, c->f[c->n - 1].evidence);
    }
    /* a generic path counts together with a miner agent */
    assert_int_equal(req_event(&ev, &r, flow++, "192.0.2.61", 80,
                               "GET /miner.js HTTP/1.1\r\nUser-Agent: xmrig/6.0\r\n\r\n"), MT_OK);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, before + 1);
    assert_non_null(strstr(c->f[c->n - 1].evidence, "/miner.js"));
    ce_free(c);
}

/* One finding per flow per indicator type: a later request on the same flow
 * that adds a new indicator gives one more finding, repeats give none. */
static void test_detector_per_flow_types(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    mt_event ev;
    mt_http_request r;
    assert_int_equal(req_event(&ev, &r, 9, "192.0.2.70", 8332, "POST / HTTP/1.1\r\nUser-Agent: bfgminer/5.2.0\r\n\r\n"), MT_OK);
    mt_engine_event(c->e, &ev);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 1);
    assert_int_equal(req_event(&ev, &r, 9, "192.0.2.70", 8332,
                               "POST / HTTP/1.1\r\nUser-Agent: bfgminer/5.2.0\r\nContent-Length: 40\r\n\r\n"
                               "{\"method\":\"getblocktemplate\",\"id\":1}"), MT_OK);
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 2);
    assert_string_equal(c->f[1].protocol, "getblocktemplate");
    mt_engine_event(c->e, &ev);
    assert_int_equal(c->n, 2);
    ce_free(c);
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
        cmocka_unit_test(test_detector_real_cgminer),
        cmocka_unit_test(test_detector_real_getwork),
        cmocka_unit_test(test_detector_agents_paths_hosts),
        cmocka_unit_test(test_detector_per_flow_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
