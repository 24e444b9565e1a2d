/* The WebSocket framer (entered after an Upgrade the server accepted):
 * masked client frames are unmasked, frames split across segments are
 * joined, control frames are passed over, frames over the limit are
 * skipped and counted, and a frame with reserved bits stops the direction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

static sr *upgraded(void)
{
    sr *r = sr_new(40000, 80);
    sr_feed_str(r, 0, "GET /miner HTTP/1.1\r\nHost: wss.coin-hive.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    sr_feed_str(r, 1, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
    return r;
}

static size_t frame(uint8_t *b, uint8_t op, const char *text, size_t n, int masked)
{
    static const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t o = 0;
    b[o++] = (uint8_t)(0x80 | op);
    uint8_t m = masked ? 0x80 : 0;
    if (n < 126) {
        b[o++] = (uint8_t)(m | n);
    } else {
        b[o++] = (uint8_t)(m | 126);
        b[o++] = (uint8_t)(n >> 8);
        b[o++] = (uint8_t)n;
    }
    if (masked) {
        memcpy(b + o, mask, 4);
        o += 4;
    }
    for (size_t i = 0; i < n; i++) b[o + i] = (uint8_t)(text[i] ^ (masked ? mask[i & 3] : 0));
    return o + n;
}

static void test_masked_split(void **state)
{
    (void)state;
    sr *r = upgraded();
    assert_null(mt_framer_by_name("websocket")->probe);
    uint8_t b[512];
    const char *msg = "{\"type\":\"auth\",\"params\":{\"site_key\":\"abc\",\"type\":\"anonymous\"}}";
    size_t n = frame(b, 1, msg, strlen(msg), 1);
    sr_feed(r, 0, b, 10);
    sr_feed(r, 0, b + 10, n - 10);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 1);
    sr_event *e = &r->ev[r->n - 1];
    assert_string_equal(e->text, msg);
    assert_string_equal(e->extra, "wss.coin-hive.example");
    assert_int_equal(e->dir, 0);
    /* A ping is passed over; the text frame after it is read. */
    n = frame(b, 9, "p", 1, 0);
    n += frame(b + n, 1, "{\"type\":\"job\"}", 14, 0);
    sr_feed(r, 1, b, n);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 2);
    assert_string_equal(r->ev[r->n - 1].text, "{\"type\":\"job\"}");
    assert_int_equal(sr_stats(r)->msgs[MT_FR_WEBSOCKET], 3);
    sr_free(r);
}

static void test_over_limit_and_reserved_bits(void **state)
{
    (void)state;
    sr *r = upgraded();
    static uint8_t b[20000];
    static char big[9000];
    memset(big, 'a', sizeof big);
    size_t n = frame(b, 2, big, sizeof big, 0);
    n += frame(b + n, 1, "after", 5, 0);
    sr_feed_split(r, 1, b, n, 1448);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_WEBSOCKET], 1);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 1);
    assert_string_equal(r->ev[r->n - 1].text, "after");
    const uint8_t rsv2[] = {0xa1, 0x01, 'x'};
    sr_feed(r, 1, rsv2, sizeof rsv2);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_WEBSOCKET], 1);
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masked_split),
        cmocka_unit_test(test_over_limit_and_reserved_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
