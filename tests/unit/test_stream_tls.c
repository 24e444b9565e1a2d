/* The TLS framer: a ClientHello becomes an event whether it fits one
 * segment or spans many (a 10 KB hello with many extensions, in one record
 * or in several), then both directions stop; a hello over the parser's
 * 16 KiB cap and a handshake that is not a ClientHello are counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

static uint8_t buf[40000];

static void test_small_hello(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 443);
    size_t n = sr_client_hello(buf, sizeof buf, "pool.supportxmr.com", 2, 16, 16384);
    assert_true(n < 400);
    sr_feed(r, 0, buf, n);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    assert_string_equal(r->ev[0].text, "pool.supportxmr.com");
    assert_int_equal(r->f.app, MT_APP_TLS);
    assert_string_equal(r->f.extra->sni, "pool.supportxmr.com");
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP); /* the server's side too */
    sr_free(r);
}

static void test_10k_hello_split(void **state)
{
    (void)state;
    /* One 10 KB record (40 extensions of 250 bytes), 1448-byte segments. */
    sr *r = sr_new(40000, 443);
    size_t n = sr_client_hello(buf, sizeof buf, "gulf.moneroocean.stream", 40, 250, 16384);
    assert_true(n > 10000 && n < 11000);
    sr_feed_split(r, 0, buf, n, 1448);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    assert_string_equal(r->ev[0].text, "gulf.moneroocean.stream");
    assert_int_equal(sr_stats(r)->msgs[MT_FR_TLS], 1);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_TLS], 0);
    uint32_t small, big, big_size;
    mt_stream_block_counts(r->s, &small, &big, &big_size);
    assert_int_equal(big, 1);
    sr_free(r);
    /* The same hello in 1 KB records, 536-byte segments (the minimum MSS). */
    r = sr_new(40000, 443);
    n = sr_client_hello(buf, sizeof buf, "gulf.moneroocean.stream", 40, 250, 1024);
    sr_feed_split(r, 0, buf, n, 536);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    assert_string_equal(r->ev[0].text, "gulf.moneroocean.stream");
    sr_free(r);
}

static void test_hello_over_cap(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 443);
    size_t n = sr_client_hello(buf, sizeof buf, "big.example", 70, 250, 16384);
    assert_true(n > 17000);
    sr_feed_split(r, 0, buf, n, 1448);
    assert_int_equal(r->n, 0);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_TLS], 1);
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(r->f.d[0].blk, 0);
    sr_free(r);
}

/* The framer's limit and the hello parser's cap agree: a hello of exactly
 * 16384 handshake bytes (two records) is an event, one byte more is over
 * the limit. */
static void test_hello_at_parser_cap(void **state)
{
    (void)state;
    /* Handshake bytes without the padding extensions: */
    size_t base = sr_client_hello(buf, sizeof buf, "cap.example", 0, 0, 16384) - 5;
    for (size_t want = 16384; want <= 16385; want++) {
        /* one padding extension (4-byte header) makes up the rest */
        size_t n = sr_client_hello(buf, sizeof buf, "cap.example", 1, want - base - 4, 16000);
        assert_int_equal(n, want + 10);
        sr *r = sr_new(40000, 443);
        sr_feed_split(r, 0, buf, n, 1448);
        if (want == 16384) {
            assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
            assert_string_equal(r->ev[0].text, "cap.example");
        } else {
            assert_int_equal(r->n, 0);
            assert_int_equal(sr_stats(r)->over_limit[MT_FR_TLS], 1);
        }
        sr_free(r);
    }
}

static void test_server_side_and_not_hello(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 443);
    const uint8_t server_hello[] = {0x16, 0x03, 0x03, 0x00, 0x30, 0x02, 0x00, 0x00, 0x2c, 0x03, 0x03};
    sr_feed(r, 1, server_hello, sizeof server_hello);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    assert_int_equal(r->f.d[0].framer, MT_FR_DETECT);
    /* A client that opens with a ServerHello-typed handshake: not ours. */
    sr_feed(r, 0, server_hello, sizeof server_hello);
    assert_int_equal(r->n, 0);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_TLS], 1);
    sr_free(r);
}

static void test_probe_waits_for_four_bytes(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 443);
    size_t n = sr_client_hello(buf, sizeof buf, "a.example", 0, 0, 16384);
    sr_feed(r, 0, buf, 3);
    assert_int_equal(r->f.d[0].framer, MT_FR_DETECT);
    sr_feed(r, 0, buf + 3, n - 3);
    assert_int_equal(sr_count(r, MT_EV_TLS_HELLO), 1);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_hello),
        cmocka_unit_test(test_10k_hello_split),
        cmocka_unit_test(test_hello_over_cap),
        cmocka_unit_test(test_hello_at_parser_cap),
        cmocka_unit_test(test_server_side_and_not_hello),
        cmocka_unit_test(test_probe_waits_for_four_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
