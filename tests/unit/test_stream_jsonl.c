/* The JSON-lines framer: objects split across segments, several in one
 * segment, objects not delimited by newlines, mid-stream starts (guessed
 * flows resync at the next newline), invalid and over-limit objects
 * (counted, skipped to the next line), and HTTP after JSON. */
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
    const mt_framer *j = mt_framer_by_name("jsonl");
    assert_non_null(j);
    mt_flow f;
    memset(&f, 0, sizeof f);
    assert_int_equal(j->probe(&f, 0, (const uint8_t *)"  {\"id\"", 7), MT_PROBE_YES);
    assert_int_equal(j->probe(&f, 0, (const uint8_t *)"abcd", 4), MT_PROBE_NO);
    f.flags = MT_FLOW_GUESSED;
    assert_int_equal(j->probe(&f, 0, (const uint8_t *)"abcd", 4), MT_PROBE_MIDSTREAM);
    f.srv_port = 445;
    assert_int_equal(j->probe(&f, 0, (const uint8_t *)"abcd", 4), MT_PROBE_NO);
    assert_int_equal(j->resync_nl, 1);
}

static void test_split_and_batched(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3333);
    sr_feed_str(r, 0, "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"4abc\"}}\n{\"id\":2,");
    sr_feed_str(r, 0, "\"method\":\"submit\"}\n{\"id\":3}{\"id\":4}\n");
    assert_int_equal(r->n, 4);
    assert_string_equal(r->ev[0].text, "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"4abc\"}}");
    assert_string_equal(r->ev[1].text, "{\"id\":2,\"method\":\"submit\"}");
    assert_string_equal(r->ev[2].text, "{\"id\":3}");
    assert_string_equal(r->ev[3].text, "{\"id\":4}");
    assert_int_equal(sr_stats(r)->msgs[MT_FR_JSONL], 4);
    assert_int_equal(sr_stats(r)->events[MT_EV_JSON_MSG], 4);
    assert_int_equal(r->f.app, MT_APP_JSON);
    assert_int_equal(r->f.d[0].blk, 0);
    sr_free(r);
}

static void test_midstream(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3333);
    r->f.flags = MT_FLOW_GUESSED;
    sr_feed_str(r, 0, "8a\"}}\n{\"id\":\"10\",\"method\":\"submit\"}\n");
    assert_int_equal(r->n, 1);
    assert_string_equal(r->ev[0].text, "{\"id\":\"10\",\"method\":\"submit\"}");
    /* Not JSON on a line: skipped to the next one. */
    sr_feed_str(r, 0, "garbage line\n{\"id\":11}\n");
    assert_int_equal(r->n, 2);
    sr_free(r);
}

static void test_invalid_and_over_limit(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 3333);
    char deep[100];
    memset(deep, '{', 70); /* nesting over the span reader's depth cap */
    strcpy(deep + 70, "\n");
    sr_feed_str(r, 0, "{\"a\":1}\n");
    sr_feed_str(r, 0, deep);
    sr_feed_str(r, 0, "{\"id\":5}\n");
    assert_int_equal(r->n, 2);
    assert_int_equal(sr_stats(r)->malformed[MT_FR_JSONL], 1);
    /* An object that never closes within the 8 KiB limit. */
    static char big[1500];
    memset(big, 'x', sizeof big - 1);
    big[0] = '{';
    big[1] = '"';
    for (int i = 0; i < 8; i++) sr_feed_str(r, 0, big);
    sr_feed_str(r, 0, "\"}\n{\"id\":12}\n");
    assert_int_equal(sr_stats(r)->over_limit[MT_FR_JSONL], 1);
    assert_string_equal(r->ev[r->n - 1].text, "{\"id\":12}");
    sr_free(r);
}

static void test_http_after_json(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8080);
    sr_feed_str(r, 0, "{\"id\":1}\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_int_equal(sr_count(r, MT_EV_JSON_MSG), 1);
    assert_int_equal(sr_count(r, MT_EV_HTTP_REQUEST), 1);
    assert_int_equal(r->f.d[0].framer, MT_FR_HTTP);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_split_and_batched),
        cmocka_unit_test(test_midstream),
        cmocka_unit_test(test_invalid_and_over_limit),
        cmocka_unit_test(test_http_after_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
