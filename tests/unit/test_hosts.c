/* The host-verdict cap: the least recently active host is evicted (a host
 * seen again moves to the front), evictions are counted, an evicted host
 * loses its verdict and its EternalBlue-victim mark and starts afresh, and
 * lowering the cap evicts at once. The text table's columns fit its times,
 * and a time that cannot be written is "-" (JSON null), never garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/hosts.h"
#include "report/hosts_render.h"

static void add(mt_hosts *h, const char *ip, mt_time_us ts, int confidence)
{
    mt_finding f;
    mt_finding_init(&f);
    mt_addr_parse(ip, &f.src);
    f.ts = ts;
    f.confidence = confidence;
    f.kind = MT_KIND_DNS;
    mt_strlcpy(f.pool, "pool.supportxmr.com", sizeof f.pool);
    mt_hosts_add(h, &f);
}

/* The rendering in a heap string the caller frees. */
static char *render(const mt_hosts *h, int json)
{
    FILE *m = tmpfile();
    assert_non_null(m);
    if (json) mt_hosts_render_json(h, m, 0);
    else mt_hosts_render_text(h, m, 0);
    long n = ftell(m);
    rewind(m);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, m), (size_t)n);
    fclose(m);
    return s;
}

static void test_lru_eviction(void **state)
{
    (void)state;
    mt_hosts *h = mt_hosts_new();
    mt_hosts_stats st;
    mt_hosts_get_stats(h, &st);
    assert_int_equal(st.max, MT_HOSTS_MAX_DEFAULT);
    mt_hosts_set_max(h, 3);
    add(h, "10.0.0.1", 1000000, 50);
    add(h, "10.0.0.2", 2000000, 50);
    add(h, "10.0.0.3", 3000000, 50);
    add(h, "10.0.0.1", 4000000, 50); /* .1 active again: .2 is now the oldest */
    add(h, "10.0.0.4", 5000000, 50);
    mt_hosts_get_stats(h, &st);
    assert_int_equal(st.count, 3);
    assert_int_equal(st.peak, 3);
    assert_int_equal(st.evicted, 1);
    char *j = render(h, 1);
    assert_non_null(strstr(j, "\"host\":\"10.0.0.1\""));
    assert_null(strstr(j, "\"host\":\"10.0.0.2\""));
    assert_non_null(strstr(j, "\"host\":\"10.0.0.3\""));
    assert_non_null(strstr(j, "\"host\":\"10.0.0.4\""));
    /* .1 kept both findings: score 1 - 0.5^2. */
    assert_non_null(strstr(j, "\"host\":\"10.0.0.1\",\"first_seen\":\"1970-01-01T00:00:01.000000+0000\","
                              "\"last_seen\":\"1970-01-01T00:00:04.000000+0000\",\"score\":75,\"findings\":2"));
    free(j);
    /* .2 comes back: a new verdict from its next finding only. */
    add(h, "10.0.0.2", 6000000, 50);
    j = render(h, 1);
    assert_non_null(strstr(j, "\"host\":\"10.0.0.2\",\"first_seen\":\"1970-01-01T00:00:06.000000+0000\","
                              "\"last_seen\":\"1970-01-01T00:00:06.000000+0000\",\"score\":50,\"findings\":1"));
    assert_null(strstr(j, "\"host\":\"10.0.0.3\"")); /* the oldest then */
    free(j);
    /* Lowering the cap evicts down to it, oldest first. */
    mt_hosts_set_max(h, 1);
    mt_hosts_get_stats(h, &st);
    assert_int_equal(st.count, 1);
    assert_int_equal(st.evicted, 4);
    j = render(h, 1);
    assert_non_null(strstr(j, "\"host\":\"10.0.0.2\""));
    free(j);
    mt_hosts_free(h);
}

static void test_eviction_loses_victim_mark(void **state)
{
    (void)state;
    mt_hosts *h = mt_hosts_new();
    mt_hosts_set_max(h, 2);
    mt_addr v;
    mt_addr_parse("192.168.198.203", &v);
    mt_hosts_mark_precursor_victim(h, &v);
    assert_true(mt_hosts_is_precursor_victim(h, &v));
    add(h, "10.0.0.1", 1000000, 50);
    assert_true(mt_hosts_is_precursor_victim(h, &v)); /* looking does not refresh */
    add(h, "10.0.0.2", 2000000, 50);
    assert_false(mt_hosts_is_precursor_victim(h, &v));
    mt_hosts_free(h);
}

static void test_text_columns_fit(void **state)
{
    (void)state;
    mt_hosts *h = mt_hosts_new();
    add(h, "10.0.0.1", 1709287200123456LL, 90);
    add(h, "2001:db8::1", 1709287201000000LL, 90);
    add(h, "10.0.0.9", INT64_MAX, 90); /* not writable as a time */
    char *t = render(h, 0);
    /* Each row's LAST SEEN starts under its heading. */
    const char *head_last = strstr(t, "LAST SEEN");
    assert_non_null(head_last);
    size_t col = (size_t)(head_last - t);
    const char *row = strchr(t, '\n') + 1;
    int rows = 0;
    for (; *row; row = strchr(row, '\n') + 1, rows++) {
        const char *eol = strchr(row, '\n');
        assert_true((size_t)(eol - row) > col);
        assert_true(row[col] == '2' || row[col] == '-');
        assert_true(row[col - 1] == ' ');
    }
    assert_int_equal(rows, 3);
    assert_non_null(strstr(t, "2024-03-01T10:00:00.123456+0000 2024-03-01T10:00:00.123456+0000 pools="));
    free(t);
    char *j = render(h, 1);
    assert_non_null(strstr(j, "\"host\":\"10.0.0.9\",\"first_seen\":null,\"last_seen\":null"));
    free(j);
    mt_hosts_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lru_eviction),
        cmocka_unit_test(test_eviction_loses_victim_mark),
        cmocka_unit_test(test_text_columns_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
