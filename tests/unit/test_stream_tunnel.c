/* Tunnelled streams: after a SOCKS 4/4a/5 CONNECT the proxy grants, or an
 * HTTP CONNECT answered 2xx, both directions go back to the probes, so the
 * TLS hello inside (SNI, JA3) or the tunnelled HTTP is read as usual. A
 * refusal or a handshake that does not parse stops the direction, counted.
 * Messages are built here from RFC 1928/1929 and the SOCKS4(a) layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

static uint8_t hello[4096];

/* SOCKS5: greeting (no auth), method choice, CONNECT to a name, success,
 * then the client's TLS hello through the tunnel. */
static void test_socks5_tls(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 1080);
    static const uint8_t greet[] = {5, 1, 0}, choice[] = {5, 0};
    static const uint8_t req[] = {5, 1, 0, 3, 19, 'p', 'o', 'o', 'l', '.', 's', 'u', 'p', 'p', 'o',
                                  'r', 't', 'x', 'm', 'r', '.', 'c', 'o', 'm', 0x01, 0xbb};
    static const uint8_t ok[] = {5, 0, 0, 1, 10, 0, 0, 2, 0x9c, 0x40};
    sr_feed(r, 0, greet, sizeof greet);
    assert_int_equal(r->f.d[0].framer, MT_FR_SOCKS);
    assert_int_equal(r->f.d[1].framer, MT_FR_SOCKS);
    sr_feed(r, 1, choice, sizeof choice);
    sr_feed(r, 0, req, sizeof req);
    assert_int_equal(r->f.d[0].framer, MT_FR_DETECT);
    sr_feed(r, 1, ok, sizeof ok);
    assert_int_equal(r->f.d[1].framer, MT_FR_DETECT);
    size_t n = sr_client_hello(hello, sizeof hello, "pool.supportxmr.com", 2, 16, 16384);
    sr_feed_split(r, 0, hello, n, 100);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    assert_string_equal(r->ev[r->n - 1].text, "pool.supportxmr.com");
    assert_string_equal(r->f.extra->sni, "pool.supportxmr.com");
    assert_int_equal(sr_stats(r)->msgs[MT_FR_SOCKS], 4);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_SOCKS], 0);
    sr_free(r);
}

/* RFC 1929 login sent with the greeting in one segment, an IPv6 target. */
static void test_socks5_auth_pipelined(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 9050);
    uint8_t c[64];
    size_t o = 0;
    static const uint8_t greet[] = {5, 2, 0, 2}, login[] = {1, 3, 'b', 'o', 'b', 2, 'p', 'w'};
    memcpy(c + o, greet, sizeof greet); o += sizeof greet;
    memcpy(c + o, login, sizeof login); o += sizeof login;
    uint8_t req[4 + 16 + 2] = {5, 1, 0, 4};
    req[4] = 0x20; req[5] = 0x01; req[6] = 0x0d; req[7] = 0xb8; req[19] = 1;
    req[20] = 0x0d; req[21] = 0x05; /* port 3333 */
    memcpy(c + o, req, sizeof req); o += sizeof req;
    sr_feed(r, 0, c, o);
    assert_int_equal(r->f.d[0].framer, MT_FR_DETECT);
    static const uint8_t s1[] = {5, 2, 1, 0};
    uint8_t s2[22] = {5, 0, 0, 4};
    sr_feed(r, 1, s1, sizeof s1);
    sr_feed(r, 1, s2, sizeof s2);
    assert_int_equal(r->f.d[1].framer, MT_FR_DETECT);
    /* Stratum through the tunnel. */
    sr_feed_str(r, 0, "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"x\",\"agent\":\"XMRig/6.16\"}}\n");
    assert_int_equal(sr_count(r, MT_EV_JSON_MSG), 1);
    sr_free(r);
}

/* SOCKS4a with a host name, then plain HTTP through it. */
static void test_socks4a_http(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 1080);
    static const uint8_t req[] = {4, 1, 0, 80, 0, 0, 0, 1, 'u', 0, 'e', 'x', '.', 'o', 'r', 'g', 0};
    static const uint8_t ok[] = {0, 0x5a, 0, 0, 0, 0, 0, 0};
    sr_feed(r, 0, req, sizeof req);
    sr_feed(r, 1, ok, sizeof ok);
    sr_feed_str(r, 0, "GET /miner.js HTTP/1.1\r\nHost: ex.org\r\nUser-Agent: t\r\n\r\n");
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    assert_string_equal(r->ev[r->n - 1].text, "/miner.js");
    sr_free(r);
}

/* Refusals and junk: counted, the direction stopped, nothing guessed. */
static void test_socks_refused_and_malformed(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 1080);
    static const uint8_t req[] = {4, 1, 0, 80, 1, 2, 3, 4, 0};
    static const uint8_t no[] = {0, 0x5b, 0, 0, 0, 0, 0, 0};
    sr_feed(r, 0, req, sizeof req);
    sr_feed(r, 1, no, sizeof no);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_SOCKS], 1);
    sr_free(r);
    /* A SOCKS4 user id longer than 255 bytes: not SOCKS (no claim). */
    r = sr_new(40000, 1080);
    uint8_t big[300] = {4, 1, 0, 80, 1, 2, 3, 4};
    memset(big + 8, 'a', sizeof big - 8);
    sr_feed(r, 0, big, sizeof big);
    assert_int_not_equal(r->f.d[0].framer, MT_FR_SOCKS);
    sr_free(r);
    /* SOCKS5 "no acceptable method", and a BIND request. */
    r = sr_new(40000, 1080);
    static const uint8_t greet[] = {5, 1, 0}, none[] = {5, 0xff};
    sr_feed(r, 0, greet, sizeof greet);
    sr_feed(r, 1, none, sizeof none);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    static const uint8_t bind[] = {5, 2, 0, 1, 1, 2, 3, 4, 0, 80};
    sr_feed(r, 0, bind, sizeof bind);
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_SOCKS], 2);
    sr_free(r);
}

/* HTTP CONNECT: 200 opens the tunnel (the hello after it is read); the
 * client may send its hello before the answer arrives. */
static void test_http_connect(void **state)
{
    (void)state;
    for (int early = 0; early < 2; early++) {
        sr *r = sr_new(40000, 3128);
        size_t n = sr_client_hello(hello, sizeof hello, "xmr.pool.example", 2, 16, 16384);
        sr_feed_str(r, 0, "CONNECT xmr.pool.example:443 HTTP/1.1\r\nHost: xmr.pool.example:443\r\n\r\n");
        if (early) sr_feed(r, 0, hello, n);
        sr_feed_str(r, 1, "HTTP/1.1 200 Connection established\r\n\r\n");
        /* (An early hello ends the flow's reading: the TLS framer stops both sides.) */
        if (!early) assert_int_equal(r->f.flags & MT_FLOW_CONNECT_PENDING, 0);
        if (!early) sr_feed(r, 0, hello, n);
        assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
        assert_string_equal(r->f.extra->sni, "xmr.pool.example");
        sr_free(r);
    }
    /* 407: no tunnel; the client asks again with credentials on the same
     * connection, then the tunnel opens. */
    sr *r = sr_new(40000, 3128);
    sr_feed_str(r, 0, "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n");
    sr_feed_str(r, 1, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(r->f.d[1].framer, MT_FR_HTTP);
    sr_feed_str(r, 0, "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n"
                      "Proxy-Authorization: Basic eDp5\r\n\r\n");
    sr_feed_str(r, 1, "HTTP/1.1 200 OK\r\n\r\n");
    size_t n = sr_client_hello(hello, sizeof hello, "a.example", 2, 16, 16384);
    sr_feed(r, 0, hello, n);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 2);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_socks5_tls),       cmocka_unit_test(test_socks5_auth_pipelined),
        cmocka_unit_test(test_socks4a_http),     cmocka_unit_test(test_socks_refused_and_malformed),
        cmocka_unit_test(test_http_connect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
