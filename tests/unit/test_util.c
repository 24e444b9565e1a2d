/* Shared utilities: time parsing/formatting, addresses, output escapers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "minetrace/common.h"
#include "util/buf.h"

static void test_time(void **state)
{
    (void)state;
    mt_time_us t;
    char b[40];
    assert_int_equal(mt_time_parse("2018-01-30T10:11:12.123456Z", &t), MT_OK);
    assert_int_equal(t, 1517307072123456LL);
    assert_int_equal(mt_time_format(t, b, sizeof b), MT_OK);
    assert_string_equal(b, "2018-01-30T10:11:12.123456+0000");
    /* Same second again: the cached calendar part must not leak old micros. */
    assert_int_equal(mt_time_format(t + 7, b, sizeof b), MT_OK);
    assert_string_equal(b, "2018-01-30T10:11:12.123463+0000");
    assert_int_equal(mt_time_parse("1517307072.123456", &t), MT_OK);
    assert_int_equal(t, 1517307072123456LL);
    assert_int_equal(mt_time_parse("2018-01-30 12:11:12+02:00", &t), MT_OK);
    assert_int_equal(t, 1517307072000000LL);
    assert_int_equal(mt_time_parse("2015-01-01 00:00:00.000", &t), MT_OK);
    assert_int_equal(t, 1420070400000000LL);
    assert_int_equal(mt_time_parse("2017-11-09", &t), MT_OK);
    assert_int_equal(t, 1510185600000000LL);
    assert_int_equal(mt_time_parse("1969-12-31T23:59:59.5Z", &t), MT_OK);
    assert_int_equal(t, -500000);
    assert_int_equal(mt_time_format(-500000, b, sizeof b), MT_OK);
    assert_string_equal(b, "1969-12-31T23:59:59.500000+0000");
    /* Garbage and overflow are errors, not wrapped numbers. */
    assert_int_equal(mt_time_parse("99999999999999999999", &t), MT_EINVAL);
    assert_int_equal(mt_time_parse("2018-13-01", &t), MT_EINVAL);
    assert_int_equal(mt_time_parse("null", &t), MT_EINVAL);
    assert_int_equal(mt_time_format(t, b, 10), MT_EINVAL);
}

static void test_addr(void **state)
{
    (void)state;
    mt_addr a, p, m;
    char s[MT_ADDR_STRLEN];
    assert_int_equal(mt_addr_parse("10.1.2.3", &a), MT_OK);
    assert_int_equal(mt_addr_parse("10.1.0.0", &p), MT_OK);
    assert_true(mt_addr_in_prefix(&a, &p, 16));
    assert_false(mt_addr_in_prefix(&a, &p, 24));
    assert_int_equal(mt_addr_parse("::ffff:10.1.2.3", &m), MT_OK);
    assert_true(mt_addr_eq(&a, &m));
    assert_int_equal(mt_addr_parse("2001:db8::1", &a), MT_OK);
    assert_int_equal(mt_addr_to_str(&a, s, sizeof s), MT_OK);
    assert_string_equal(s, "2001:db8::1");
    assert_int_equal(mt_addr_parse("10.1.2", &a), MT_EINVAL);
    assert_int_equal(mt_addr_parse("", &a), MT_EINVAL);
}

static void test_escapers(void **state)
{
    (void)state;
    mt_buf b;
    mt_buf_init(&b);
    mt_json_str(&b, "a\"b\\c\n\x01\x7f\xff\xc3\xa9<");
    assert_string_equal(mt_buf_cstr(&b), "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\ufffd\xc3\xa9<\"");
    mt_buf_reset(&b);
    mt_html_str(&b, "<script>alert('x')</script>&\"\xc0\xaf");
    assert_string_equal(mt_buf_cstr(&b),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;&#xfffd;&#xfffd;");
    mt_buf_reset(&b);
    mt_csv_str(&b, "=HYPERLINK(\"x\")");
    assert_string_equal(mt_buf_cstr(&b), "\"'=HYPERLINK(\"\"x\"\")\"");
    mt_buf_reset(&b);
    mt_buf_put_int(&b, -9223372036854775807LL - 1);
    assert_string_equal(mt_buf_cstr(&b), "-9223372036854775808");
    mt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_addr),
        cmocka_unit_test(test_escapers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
