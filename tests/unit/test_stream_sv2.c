/* The Stratum V2 framer: a plaintext SetupConnection marks the flow SV2;
 * both directions are cut into SV2 frames and counted; a frame over the
 * limit is skipped and counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

/* SetupConnection (sv2-spec 4.3.1): protocol 0 (Mining), versions 2..2,
 * flags, endpoint host and port, vendor, hardware, firmware, device id. */
static size_t setup_connection(uint8_t *b)
{
    static const char host[] = "pool.example.org", vendor[] = "Bitmain";
    size_t o = 6;
    b[o++] = 0;
    b[o++] = 2;
    b[o++] = 0;
    b[o++] = 2;
    b[o++] = 0;
    memset(b + o, 0, 4);
    o += 4;
    b[o++] = sizeof host - 1;
    memcpy(b + o, host, sizeof host - 1);
    o += sizeof host - 1;
    b[o++] = 0x0d; /* port 3333, little-endian */
    b[o++] = 0x05;
    b[o++] = sizeof vendor - 1;
    memcpy(b + o, vendor, sizeof vendor - 1);
    o += sizeof vendor - 1;
    b[o++] = 0;
    b[o++] = 0;
    b[o++] = 0;
    size_t len = o - 6;
    b[0] = 0;
    b[1] = 0;
    b[2] = 0x00;
    b[3] = (uint8_t)len;
    b[4] = (uint8_t)(len >> 8);
    b[5] = (uint8_t)(len >> 16);
    return o;
}

static void test_setup_then_frames(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3336);
    uint8_t b[256];
    size_t n = setup_connection(b);
    sr_feed(r, 0, b, n);
    assert_int_equal(r->f.d[0].framer, MT_FR_SV2);
    assert_int_equal(r->f.app, MT_APP_SV2);
    /* SetupConnection.Success (msg 0x01), split. */
    const uint8_t ok[] = {0x00, 0x00, 0x01, 0x06, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
    sr_feed(r, 1, ok, 4);
    sr_feed(r, 1, ok + 4, sizeof ok - 4);
    assert_int_equal(r->f.d[1].framer, MT_FR_SV2);
    assert_int_equal(sr_stats(r)->msgs[MT_FR_SV2], 2);
    /* A 20000-byte frame: over the limit, skipped; the next one is cut. */
    static uint8_t big[20000 + 6 + 6];
    memset(big, 0, sizeof big);
    big[2] = 0x1e;
    big[3] = (uint8_t)20000;
    big[4] = (uint8_t)(20000 >> 8);
    big[5] = 0;
    big[20006 + 2] = 0x1f;
    sr_feed_split(r, 1, big, sizeof big, 1448);
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_SV2], 1);
    assert_int_equal(sr_stats(r)->msgs[MT_FR_SV2], 3);
    assert_int_equal(r->n, 0); /* no SV2 event type yet */
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setup_then_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
