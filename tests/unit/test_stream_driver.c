/* The stream driver, apart from any one framer: the framer table, the
 * --inspect-bytes budget (bytes past it and partial messages cut by it are
 * counted), block pool exhaustion (small and large), sequence gaps
 * (line protocols resync, others stop; held bytes are counted), partial
 * messages at flow end, and directions no framer claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "unit/test_stream_rig.h"

static void test_table(void **state)
{
    (void)state;
    for (unsigned id = 1; id < MT_FR_COUNT; id++) {
        const mt_framer *fr = mt_framer_get(id);
        assert_non_null(fr);
        assert_int_equal(fr->id, id);
        assert_ptr_equal(mt_framer_by_name(fr->name), fr);
        assert_non_null(fr->parse);
        assert_true(fr->state_size <= MT_FRAMER_STATE_MAX);
        assert_true(fr->max_msg >= 1024);
    }
    assert_null(mt_framer_get(MT_FR_DETECT));
    assert_null(mt_framer_get(MT_FR_COUNT));
    assert_null(mt_framer_by_name("nope"));
}

static void test_inspect_budget(void **state)
{
    (void)state;
    sr *r = sr_new_cfg(40000, 3333, 64, 16, 2);
    const char *a = "{\"id\":1,\"method\":\"login\"}\n";
    const char *b = "{\"id\":2,\"method\":\"submit\",\"params\":[\"x\"]}\n";
    size_t past = strlen(a) + strlen(b) - 64;
    sr_feed_str(r, 0, a);
    sr_feed_str(r, 0, b); /* cut at 64 bytes */
    assert_int_equal(r->n, 1);
    assert_int_equal(r->f.d[0].framer, MT_FR_CUT);
    const mt_stream_stats *st = sr_stats(r);
    assert_int_equal(st->inspect_cut, 1);
    assert_int_equal(st->past_inspect_bytes, past);
    sr_feed_str(r, 0, "0123456789");
    assert_int_equal(st->past_inspect_bytes, past + 10);
    assert_int_equal(r->f.d[0].blk, 0);
    /* An Upgrade answered on the other side does not revive a cut side. */
    r->f.flags |= MT_FLOW_WS_PENDING;
    sr_feed_str(r, 1, "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    assert_int_equal(r->f.d[0].framer, MT_FR_CUT);
    assert_int_equal(r->f.d[1].framer, MT_FR_WEBSOCKET);
    sr_free(r);
}

static void test_pool_exhausted(void **state)
{
    (void)state;
    sr *r = sr_new_cfg(40000, 3333, 1u << 20, 1, 1);
    sr_feed_str(r, 0, "{\"id\":1,");
    assert_int_equal(r->f.d[0].blk_len, 8);
    mt_flow g;
    memset(&g, 0, sizeof g);
    g.cli_port = 40001;
    g.srv_port = 3333;
    mt_stream_feed(r->s, &g, 0, r->t, (const uint8_t *)"{\"id\":2,", 8);
    assert_int_equal(g.d[0].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->pool_exhausted, 1);
    sr_free(r);
}

static void feed_split(sr *r, mt_flow *f, const char *p, size_t n)
{
    for (size_t off = 0; off < n; off += 1448)
        mt_stream_feed(r->s, f, 0, r->t, (const uint8_t *)p + off, n - off < 1448 ? n - off : 1448);
}

static void test_big_pool_exhausted(void **state)
{
    (void)state;
    /* Two HTTP heads over 8 KiB arrive at once; one large block. */
    sr *r = sr_new_cfg(40000, 80, 1u << 20, 4, 1);
    static char head[9500];
    memcpy(head, "GET / HTTP/1.1\r\nCookie: ", 24);
    memset(head + 24, 'c', sizeof head - 24);
    mt_flow h2;
    memset(&h2, 0, sizeof h2);
    h2.cli_port = 40001;
    h2.srv_port = 80;
    feed_split(r, &r->f, head, sizeof head);
    assert_int_equal(r->f.d[0].framer, MT_FR_HTTP);
    assert_true(r->f.d[0].blk_len > 8192);
    feed_split(r, &h2, head, sizeof head);
    assert_int_equal(h2.d[0].framer, MT_FR_STOP);
    assert_int_equal(h2.d[0].blk, 0);
    assert_int_equal(sr_stats(r)->pool_exhausted, 1);
    /* The first one completes. */
    sr_feed_str(r, 0, "\r\n\r\n");
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    sr_free(r);
}

static void test_gaps(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3333);
    sr_feed_str(r, 0, "{\"id\":1,\"meth");
    mt_stream_gap(r->s, &r->f, 0);
    assert_int_equal(sr_stats(r)->gap_dropped, 1);
    sr_feed_str(r, 0, "od\":\"x\"}\n{\"id\":2}\n");
    assert_int_equal(r->n, 1);
    assert_string_equal(r->ev[0].text, "{\"id\":2}");
    /* A gap before the first bytes: read as JSON lines from a newline. */
    mt_stream_gap(r->s, &r->f, 1);
    assert_int_equal(r->f.d[1].framer, MT_FR_JSONL);
    sr_free(r);
    /* HTTP cannot resync: the direction stops, counted. */
    r = sr_new(40000, 80);
    sr_feed_str(r, 0, "GET / HTTP/1.1\r\nHo");
    mt_stream_gap(r->s, &r->f, 0);
    assert_int_equal(r->f.d[0].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->gap_stopped, 1);
    assert_int_equal(sr_stats(r)->gap_dropped, 1);
    sr_free(r);
}

static void test_partial_at_end_and_unrecognised(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 5000);
    sr_feed_str(r, 0, "{\"id\":1,");
    sr_feed_str(r, 1, "\x01\x02\x03\x04 binary");
    assert_int_equal(r->f.d[1].framer, MT_FR_STOP);
    assert_int_equal(sr_stats(r)->unrecognised, 1);
    mt_stream_release(r->s, &r->f);
    assert_int_equal(sr_stats(r)->partial_at_end, 1);
    char out[2048];
    FILE *f = fmemopen(out, sizeof out, "w");
    mt_stream_print_stats(r->s, f);
    fclose(f);
    assert_non_null(strstr(out, "stream not inspected: over_limit 0, malformed 0, pool_exhausted 0"));
    assert_non_null(strstr(out, "partial_at_end 1, unrecognised 1"));
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_inspect_budget),
        cmocka_unit_test(test_pool_exhausted),
        cmocka_unit_test(test_big_pool_exhausted),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_partial_at_end_and_unrecognised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
