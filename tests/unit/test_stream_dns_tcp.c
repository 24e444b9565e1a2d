/* The DNS-over-TCP framer: chosen by port 53 whatever the bytes, length-
 * prefixed messages split across segments or batched in one, messages
 * over the limit skipped and counted, malformed ones counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

/* A query for name (A, IN) with its two-byte TCP length prefix. */
static size_t query(uint8_t *b, uint16_t id, const char *name)
{
    size_t o = 2;
    b[o++] = (uint8_t)(id >> 8);
    b[o++] = (uint8_t)id;
    b[o++] = 0x01;
    b[o++] = 0x00;
    b[o++] = 0;
    b[o++] = 1;
    memset(b + o, 0, 6);
    o += 6;
    for (const char *p = name; *p;) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        b[o++] = (uint8_t)l;
        memcpy(b + o, p, l);
        o += l;
        p += l + (dot ? 1 : 0);
    }
    b[o++] = 0;
    b[o++] = 0;
    b[o++] = 1;
    b[o++] = 0;
    b[o++] = 1;
    b[0] = (uint8_t)((o - 2) >> 8);
    b[1] = (uint8_t)(o - 2);
    return o;
}

static void test_split_and_batched(void **state)
{
    (void)state;
    const mt_framer *d = mt_framer_by_name("dns-tcp");
    assert_non_null(d);
    assert_int_equal(d->port, 53);
    sr *r = sr_new(40000, 53);
    uint8_t b[512];
    size_t n = query(b, 0x1234, "pool.minexmr.com");
    n += query(b + n, 0x1235, "xmr.pool.example");
    sr_feed(r, 0, b, 1); /* one byte: the port decides, the length waits */
    assert_int_equal(r->f.d[0].framer, MT_FR_DNS_TCP);
    sr_feed(r, 0, b + 1, 20);
    sr_feed(r, 0, b + 21, n - 21);
    assert_int_equal(sr_count(r, MT_EV_DNS), 2);
    assert_string_equal(r->ev[0].text, "pool.minexmr.com");
    assert_string_equal(r->ev[1].text, "xmr.pool.example");
    assert_int_equal(r->f.app, MT_APP_DNS);
    assert_int_equal(sr_stats(r)->msgs[MT_FR_DNS_TCP], 2);
    sr_free(r);
}

static void test_over_limit_and_malformed(void **state)
{
    (void)state;
    sr *r = sr_new(53, 40000); /* the client side on 53: still DNS */
    static uint8_t b[12000];
    b[0] = 0x27; /* a 10000-byte message (a zone transfer chunk) */
    b[1] = 0x10;
    memset(b + 2, 0, 10000);
    size_t n = 10002 + query(b + 10002, 7, "after.example");
    sr_feed_split(r, 1, b, n, 1448);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_DNS_TCP], 1);
    assert_int_equal(sr_count(r, MT_EV_DNS), 1);
    assert_string_equal(r->ev[0].text, "after.example");
    const uint8_t bad[] = {0x00, 0x03, 0xff, 0xff, 0xff};
    sr_feed(r, 1, bad, sizeof bad);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_DNS_TCP], 1);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_and_batched),
        cmocka_unit_test(test_over_limit_and_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
