/* The HTTP framer: request events (with a body that arrives in the next
 * segment), keep-alive, plain and chunked response bodies read for JSON,
 * heads between 8 and 16 KiB (held in a large block, not dropped), heads
 * over the parser's cap and close-delimited bodies (counted), and the
 * hand-over to the WebSocket framer after an Upgrade. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

static void test_probe(void **state)
{
    (void)state;
    const mt_framer *h = mt_framer_by_name("http");
    assert_non_null(h);
    assert_int_equal(h->id, MT_FR_HTTP);
    mt_flow f;
    memset(&f, 0, sizeof f);
    assert_int_equal(h->probe(&f, 0, (const uint8_t *)"POST / HTTP/1.1\r\n", 17), MT_PROBE_YES);
    assert_int_equal(h->probe(&f, 1, (const uint8_t *)"HTTP/1.1 200 OK\r\n", 17), MT_PROBE_YES);
    assert_int_equal(h->probe(&f, 0, (const uint8_t *)"HTTP/1.1 200 OK\r\n", 17), MT_PROBE_NO);
    assert_int_equal(h->probe(&f, 0, (const uint8_t *)"{\"id\":1}", 8), MT_PROBE_NO);
    assert_true(h->state_size <= MT_FRAMER_STATE_MAX);
    assert_true(h->max_msg >= 16384);
}

static void test_request_body_next_segment(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8332);
    const char *body = "{\"method\":\"getwork\",\"params\":[],\"id\":0}\r\n";
    char head[256];
    snprintf(head, sizeof head,
             "POST / HTTP/1.1\r\nHost: pool\r\nUser-Agent: cgminer/3.7.2\r\nContent-Length: %zu\r\n\r\n",
             strlen(body));
    sr_feed_str(r, 0, head);
    assert_int_equal(r->n, 0); /* waits for the body */
    sr_feed_str(r, 0, body);
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    assert_int_equal(r->ev[0].type, MT_EV_HTTP_REQUEST);
    assert_string_equal(r->ev[0].extra, "cgminer/3.7.2");
    assert_int_equal(r->ev[0].len, strlen(body));
    assert_int_equal(r->ev[1].type, MT_EV_JSON_MSG);
    assert_string_equal(r->ev[1].text, "{\"method\":\"getwork\",\"params\":[],\"id\":0}");
    assert_int_equal(r->f.app, MT_APP_HTTP);
    /* Keep-alive: the next request on the connection. */
    sr_feed_str(r, 0, "GET /stats HTTP/1.1\r\nHost: pool\r\n\r\n");
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 2);
    assert_string_equal(r->ev[2].text, "/stats");
    assert_int_equal(sr_stats(r)->msgs[MT_FR_HTTP], 2);
    sr_free(r);
}

static void test_chunked_and_close_delimited(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8545);
    const char *a = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "27\r\n{\"id\":73,\"json";
    const char *b = "rpc\":\"2.0\",\"result\":true}\r\n0\r\n\r\n";
    sr_feed_str(r, 1, a);
    sr_feed_str(r, 1, b);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->ev[0].text, "{\"id\":73,\"jsonrpc\":\"2.0\",\"result\":true}");
    assert_int_equal(r->ev[0].dir, 1);
    /* Then a body without a length: read to the end of the connection,
     * which we do not; counted as over the limit. */
    sr_feed_str(r, 1, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>");
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_HTTP], 1);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    sr_free(r);
}

/* An XMRig-shaped daemon-mode request whose head is 9 KB (a long session
 * cookie from a proxy in front of the pool), split into 1448-byte
 * segments: the head is over the 8 KiB block and must still be read. */
static size_t xmrig_request(char *out, size_t cap, size_t cookie_len)
{
    static const char body[] =
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"getblocktemplate\",\"params\":{\"wallet_address\":"
        "\"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A\","
        "\"reserve_size\":60}}";
    int n = snprintf(out, cap,
                     "POST /json_rpc HTTP/1.1\r\nHost: pool.supportxmr.com:18081\r\n"
                     "User-Agent: XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\r\n"
                     "Accept: application/json\r\nContent-Type: application/json\r\n"
                     "Cookie: session=");
    size_t o = (size_t)n;
    for (size_t i = 0; i < cookie_len; i++) out[o++] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
    o += (size_t)snprintf(out + o, cap - o, "\r\nContent-Length: %zu\r\nConnection: keep-alive\r\n\r\n%s",
                          sizeof body - 1, body);
    return o;
}

static void test_9k_request_split(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 18081);
    static char req[12000];
    size_t n = xmrig_request(req, sizeof req, 8700);
    assert_true(n > 9000 && n < 10000);
    sr_feed_split(r, 0, req, n, 1448);
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    assert_string_equal(r->ev[0].text, "/json_rpc");
    assert_string_equal(r->ev[0].extra, "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0");
    assert_true(r->ev[0].len > 100); /* the body came with the request */
    assert_int_equal(sr_count(r, MT_EV_JSON_MSG), 1);
    uint32_t small, big, big_size;
    mt_stream_block_counts(r->s, &small, &big, &big_size);
    assert_int_equal(big, 1);
    assert_true(big_size >= 16384);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_HTTP], 0);
    assert_int_equal(r->f.d[0].blk, 0); /* nothing held once the message is read */
    sr_free(r);
}

static void test_head_over_parser_cap(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 80);
    static char req[24000];
    size_t n = xmrig_request(req, sizeof req, 17000);
    sr_feed_split(r, 0, req, n, 1448);
    assert_int_equal(r->n, 0);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_HTTP], 1);
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(r->f.d[0].blk, 0);
    sr_free(r);
}

/* The framer's limit and the head parser's cap agree: a head of exactly
 * 16384 bytes is an event, one byte more is over the limit. */
static void test_head_at_parser_cap(void **state)
{
    (void)state;
    static char head[16400];
    for (size_t len = 16384; len <= 16385; len++) {
        sr *r = sr_new(40000, 80);
        static const char start[] = "GET / HTTP/1.1\r\nX-Pad: ";
        memcpy(head, start, sizeof start - 1);
        memset(head + sizeof start - 1, 'p', len - (sizeof start - 1) - 4);
        memcpy(head + len - 4, "\r\n\r\n", 4);
        sr_feed_split(r, 0, head, len, 1448);
        if (len == 16384) {
            assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
        } else {
            assert_int_equal(r->n, 0);
            assert_int_equal(sr_stats(r)->over_limit[MT_FR_HTTP], 1);
        }
        sr_free(r);
    }
}

static void test_websocket_upgrade(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 80);
    sr_feed_str(r, 0, "GET /proxy HTTP/1.1\r\nHost: ws.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    assert_int_equal(r->f.d[0].framer, MT_FR_WEBSOCKET);
    sr_feed_str(r, 1, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    assert_int_equal(r->f.d[1].framer, MT_FR_WEBSOCKET);
    assert_int_equal(r->f.app, MT_APP_WEBSOCKET);
    const uint8_t frame[] = {0x81, 0x05, 'h', 'e', 'l', 'l', 'o'};
    sr_feed(r, 1, frame, sizeof frame);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 1);
    assert_string_equal(r->ev[r->n - 1].text, "hello");
    assert_string_equal(r->ev[r->n - 1].extra, "ws.example");
    sr_free(r);
}

static void test_not_http_after_head(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3128);
    /* A proxy CONNECT, then TLS inside the tunnel: the TLS framer reads it
     * (test_stream_tunnel.c has the whole exchange). */
    sr_feed_str(r, 0, "CONNECT pool.example:443 HTTP/1.1\r\nHost: pool.example:443\r\n\r\n");
    const uint8_t tls[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
    sr_feed(r, 0, tls, sizeof tls);
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    assert_int_equal(r->f.d[0].framer, MT_FR_TLS);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_HTTP], 0);
    sr_free(r);
    /* Bytes after an ordinary head that are not HTTP: counted, stopped. */
    r = sr_new(40000, 8080);
    sr_feed_str(r, 0, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    sr_feed(r, 0, tls, sizeof tls);
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_HTTP], 1);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_request_body_next_segment),
        cmocka_unit_test(test_chunked_and_close_delimited),
        cmocka_unit_test(test_9k_request_split),
        cmocka_unit_test(test_head_over_parser_cap),
        cmocka_unit_test(test_head_at_parser_cap),
        cmocka_unit_test(test_websocket_upgrade),
        cmocka_unit_test(test_not_http_after_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
