/* Pipeline and stream inspection on synthetic TCP flows: JSON lines split
 * across segments, several objects in one segment, retransmissions,
 * mid-stream starts, sequence gaps, oversize lines, the flow cap with LRU
 * eviction, FLOW_END statistics, and (end to end, with the detectors) an
 * HTTP request of 9 KB and a ClientHello of 10 KB split across segments:
 * both larger than a stream block, both must give a finding.
 * The framers have their own tests (test_stream_<framer>.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "capture/decode.h"
#include "capture/pipeline.h"
#include "minetrace/engine.h"
#include "unit/capture_engine.h"
#include "unit/frames.h"
#include "unit/test_stream_rig.h"

typedef struct seen {
    int n_json, n_end, n_evicted;
    char json[32][256];
    uint32_t dir_to_server[32];
    mt_flow_stats last_end;
} seen;

static void observe(void *ctx, const mt_event *ev)
{
    seen *s = ctx;
    if (ev->type == MT_EV_JSON_MSG && s->n_json < 32) {
        size_t n = ev->u.json->len < 255 ? ev->u.json->len : 255;
        memcpy(s->json[s->n_json], ev->u.json->text, n);
        s->json[s->n_json][n] = 0;
        s->dir_to_server[s->n_json] = ev->flags & MT_EVF_TO_SERVER;
        s->n_json++;
    }
    if (ev->type == MT_EV_FLOW_END) {
        s->n_end++;
        s->last_end = *ev->u.flow;
        if (ev->u.flow->evicted) s->n_evicted++;
    }
}

#define frame(b, src, sp, dst, dp, seq, flags, payload, pl) \
    fr_tcp(b, src, sp, dst, dp, seq, flags, payload, pl)

typedef struct rig {
    mt_intel *intel;
    mt_engine *eng;
    mt_pipeline *pl;
    seen s;
    mt_time_us t;
} rig;

static void rig_init(rig *r, uint32_t max_flows)
{
    memset(r, 0, sizeof *r);
    r->intel = mt_intel_new();
    r->eng = mt_engine_new(r->intel, NULL);
    mt_engine_set_observer(r->eng, observe, &r->s);
    mt_pipeline_config c;
    mt_pipeline_config_defaults(&c);
    c.max_flows = max_flows;
    r->pl = mt_pipeline_new(mt_engine_event_sink(r->eng), mt_engine_intel(r->eng), &c);
    r->t = 1500000000000000LL;
}

static void rig_free(rig *r)
{
    mt_pipeline_free(r->pl);
    mt_engine_free(r->eng);
    mt_intel_free(r->intel);
}

static void send(rig *r, int to_server, uint32_t seq, uint8_t flags, const char *p)
{
    uint8_t b[2048];
    size_t n = to_server ? frame(b, 0x0a000001, 40000, 0x0a000002, 3333, seq, flags, p, strlen(p))
                         : frame(b, 0x0a000002, 3333, 0x0a000001, 40000, seq, flags, p, strlen(p));
    r->t += 1000;
    mt_pipeline_packet(r->pl, 101, r->t, b, (uint32_t)n, (uint32_t)n);
}

static void test_split_lines_and_order(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1024);
    send(&r, 1, 999, 0x02, "");          /* SYN */
    send(&r, 0, 4999, 0x12, "");         /* SYN-ACK */
    const char *a = "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"4abc\"}}\n{\"id\":2,";
    const char *b = "\"method\":\"submit\"}\n";
    send(&r, 1, 1000, 0x18, a);
    send(&r, 1, 1000, 0x18, a);          /* retransmission: ignored */
    send(&r, 1, 1000 + (uint32_t)strlen(a), 0x18, b);
    send(&r, 0, 5000, 0x18, "{\"id\":1,\"result\":{\"job\":{}}}\n");
    assert_int_equal(r.s.n_json, 3);
    assert_string_equal(r.s.json[0], "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"4abc\"}}");
    assert_string_equal(r.s.json[1], "{\"id\":2,\"method\":\"submit\"}");
    assert_true(r.s.dir_to_server[1]);
    assert_false(r.s.dir_to_server[2]);
    send(&r, 1, 1000 + (uint32_t)(strlen(a) + strlen(b)), 0x11, "");
    send(&r, 0, 5000 + 29, 0x11, "");
    assert_int_equal(r.s.n_end, 1);
    assert_int_equal(r.s.last_end.app, MT_APP_JSON);
    assert_true(r.s.last_end.saw_syn);
    assert_int_equal(r.s.last_end.pkts_c2s, 5);
    rig_free(&r);
}

static void test_midstream_and_gap(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1024);
    /* No SYN: starts inside a line; the tail before '\n' is skipped. */
    send(&r, 1, 7000, 0x18, "8a\"}}\n{\"id\":\"10\",\"method\":\"submit\"}\n");
    assert_int_equal(r.s.n_json, 1);
    assert_string_equal(r.s.json[0], "{\"id\":\"10\",\"method\":\"submit\"}");
    /* A gap (lost segment): resync at the next newline. */
    send(&r, 1, 9000, 0x18, "e\":\"x\"}\n{\"id\":\"11\"}\n");
    assert_int_equal(r.s.n_json, 2);
    assert_string_equal(r.s.json[1], "{\"id\":\"11\"}");
    /* Oversize garbage line does not stall the stream. */
    char big[1500];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    big[0] = '{';
    uint32_t seq = 9000 + 21;
    for (int i = 0; i < 8; i++) { send(&r, 1, seq, 0x18, big); seq += sizeof big - 1; }
    send(&r, 1, seq, 0x18, "\n{\"id\":\"12\"}\n");
    assert_int_equal(r.s.json[r.s.n_json - 1][7], '1');
    assert_string_equal(r.s.json[r.s.n_json - 1], "{\"id\":\"12\"}");
    rig_free(&r);
}

static void test_flow_cap_evicts(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 16);
    uint8_t b[256];
    for (uint32_t i = 0; i < 100; i++) {
        size_t n = frame(b, 0x0a000000 + i, 40000, 0x0a0000ff, 3333, 1, 0x18, "{}\n", 3);
        r.t += 1000;
        mt_pipeline_packet(r.pl, 101, r.t, b, (uint32_t)n, (uint32_t)n);
    }
    const mt_pipeline_stats *st = mt_pipeline_get_stats(r.pl);
    assert_int_equal(st->flows_created, 100);
    assert_int_equal(st->flows_evicted_lru, 84);
    assert_true(st->max_flows_in_use <= 16);
    mt_pipeline_finish(r.pl);
    assert_int_equal(r.s.n_end, 100);
    rig_free(&r);
}

static void test_http_bodies_plain_and_chunked(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1024);
    send(&r, 1, 99, 0x02, "");
    send(&r, 0, 499, 0x12, "");
    const char *req = "POST / HTTP/1.1\r\nHost: pool\r\nContent-Length: 47\r\n\r\n"
                      "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}";
    send(&r, 1, 100, 0x18, req);
    /* Chunked response split mid-chunk across two segments. */
    const char *a = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n27\r\n{\"id\":73,\"json";
    const char *b = "rpc\":\"2.0\",\"result\":true}\r\n0\r\n\r\n";
    send(&r, 0, 500, 0x18, a);
    send(&r, 0, 500 + (uint32_t)strlen(a), 0x18, b);
    assert_int_equal(r.s.n_json, 2);
    assert_string_equal(r.s.json[0], "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}");
    assert_string_equal(r.s.json[1], "{\"id\":73,\"jsonrpc\":\"2.0\",\"result\":true}");
    assert_false(r.s.dir_to_server[1]);
    /* Keep-alive: a second request on the same connection is parsed too. */
    send(&r, 1, 100 + (uint32_t)strlen(req), 0x18, req);
    assert_int_equal(r.s.n_json, 3);
    rig_free(&r);
}

/* One direction of a handshaken TCP flow, cut into MSS-sized segments. */
static void send_split(mt_pipeline *pl, uint32_t cli, uint16_t sport, const uint8_t *p, size_t n,
                       mt_time_us *t)
{
    static uint8_t b[2048];
    uint32_t srv = FR_IP(198, 51, 100, 7);
    size_t k = fr_tcp(b, cli, 40000, srv, sport, 999, 0x02, NULL, 0);
    mt_pipeline_packet(pl, 101, *t += 1000, b, (uint32_t)k, (uint32_t)k);
    k = fr_tcp(b, srv, sport, cli, 40000, 4999, 0x12, NULL, 0);
    mt_pipeline_packet(pl, 101, *t += 1000, b, (uint32_t)k, (uint32_t)k);
    for (size_t off = 0; off < n; off += 1448) {
        size_t m = n - off < 1448 ? n - off : 1448;
        k = fr_tcp(b, cli, 40000, srv, sport, 1000 + (uint32_t)off, 0x18, p + off, m);
        mt_pipeline_packet(pl, 101, *t += 1000, b, (uint32_t)k, (uint32_t)k);
    }
}

static int has_kind(const ce *c, mt_finding_kind kind)
{
    for (size_t i = 0; i < c->n && i < CE_MAX; i++)
        if (c->f[i].kind == kind) return 1;
    return 0;
}

static void test_large_messages_end_to_end(void **state)
{
    (void)state;
    ce *c = ce_new();
    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(c->e), mt_engine_intel(c->e), NULL);
    mt_time_us t = 1500000000000000LL;
    /* XMRig in daemon mode behind a proxy that adds a long session cookie:
     * a 9 KB request head. */
    static char req[12000];
    int o = snprintf(req, sizeof req,
                     "POST /json_rpc HTTP/1.1\r\nHost: pool.supportxmr.com:18081\r\n"
                     "User-Agent: XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\r\n"
                     "Content-Type: application/json\r\nCookie: sid=");
    memset(req + o, 'k', 8800);
    o += 8800;
    o += snprintf(req + o, sizeof req - (size_t)o, "\r\nContent-Length: 2\r\n\r\n{}");
    send_split(pl, FR_IP(10, 0, 0, 5), 18081, (const uint8_t *)req, (size_t)o, &t);
    /* A browser's ClientHello with a post-quantum key share and many
     * extensions: 10 KB, to a pool by name. */
    static uint8_t hello[16384];
    size_t hn = sr_client_hello(hello, sizeof hello, "gulf.moneroocean.stream", 36, 270, 16384);
    assert_true(hn > 10000);
    send_split(pl, FR_IP(10, 0, 0, 6), 443, hello, hn, &t);
    mt_pipeline_finish(pl);
    mt_engine_flush(c->e);
    assert_true(has_kind(c, MT_KIND_HTTP));
    assert_true(has_kind(c, MT_KIND_TLS));
    const mt_stream_stats *st = mt_pipeline_stream_stats(pl);
    assert_int_equal(st->events[MT_EV_HTTP_REQUEST], 1);
    assert_int_equal(st->events[MT_EV_TLS_HELLO], 1);
    assert_int_equal(st->over_limit[MT_FR_HTTP] + st->over_limit[MT_FR_TLS], 0);
    mt_pipeline_free(pl);
    ce_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_lines_and_order),
        cmocka_unit_test(test_midstream_and_gap),
        cmocka_unit_test(test_flow_cap_evicts),
        cmocka_unit_test(test_http_bodies_plain_and_chunked),
        cmocka_unit_test(test_large_messages_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
