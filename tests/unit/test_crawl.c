/* The live crawl's list reading (web/crawl.c), without any network: lines
 * that are not sites are counted with the first one's number and nothing is
 * fetched; comments and blank lines are not lines of the list; a list that
 * cannot be opened is an error with its name. The fetching itself is tested
 * against our own server in a network namespace
 * (tests/integration/web_crawl.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minetrace/common.h"
#include "web/crawl.h"

static int calls;

static int on_record(void *ctx, const mt_web_record *r)
{
    (void)ctx;
    (void)r;
    calls++;
    return 0;
}

static void write_list(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_bad_lines_counted_nothing_fetched(void **state)
{
    (void)state;
    char path[] = "/tmp/mt_crawl_listXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_list(path, "# a comment\n"
                     "\n"
                     "   \t\n"
                     "ftp://files.example/\n" /* line 4: not http(s) */
                     "not a domain\n"         /* spaces */
                     "12,\n"                  /* a rank without a domain */
                     "http://\n"              /* no host */
                     "# the end\n");
    mt_crawl_opts o = {.jobs = 2, .timeout_s = 1};
    mt_crawl_stats st;
    calls = 0;
    assert_int_equal(mt_crawl_run(path, &o, on_record, NULL, &st), MT_OK);
    assert_int_equal(st.lines, 4);
    assert_int_equal(st.bad_lines, 4);
    assert_int_equal(st.first_bad_line, 4);
    assert_int_equal(st.pages, 0);
    assert_int_equal(st.failed, 0);
    assert_int_equal(calls, 0);
    unlink(path);
}

static void test_missing_list_is_an_error(void **state)
{
    (void)state;
    mt_crawl_opts o = {0};
    mt_crawl_stats st;
    assert_int_equal(mt_crawl_run("/nonexistent/list.txt", &o, on_record, NULL, &st), MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "/nonexistent/list.txt"));
}

static void test_fail_names(void **state)
{
    (void)state;
    assert_string_equal(mt_crawl_fail_name(MT_CRAWL_FAIL_DNS), "dns");
    assert_string_equal(mt_crawl_fail_name(MT_CRAWL_FAIL_TIMEOUT), "timeout");
    assert_string_equal(mt_crawl_fail_name(MT_CRAWL_FAIL_HTTP5XX), "http-5xx");
    assert_string_equal(mt_crawl_fail_name(MT_CRAWL_FAIL_N), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_lines_counted_nothing_fetched),
        cmocka_unit_test(test_missing_list_is_an_error),
        cmocka_unit_test(test_fail_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
