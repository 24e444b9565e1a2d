/* Shared utilities: time parsing/formatting, addresses, output escapers, bounded text. */
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
    /* Leading TAB and CR start formulas too; an inner TAB stays plain. */
    static const struct { const char *in, *out; } defuse[] = {
        {"\t=1+1", "\"'\t=1+1\""}, {"\r=1+1", "\"'\r=1+1\""},
        {"+1", "\"'+1\""}, {"-1", "\"'-1\""}, {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"a\tb", "a\tb"}, {"plain", "plain"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof defuse / sizeof defuse[0]; i++) {
        mt_buf_reset(&b);
        mt_csv_str(&b, defuse[i].in);
        assert_string_equal(mt_buf_cstr(&b), defuse[i].out);
    }
    mt_buf_reset(&b);
    mt_buf_put_int(&b, -9223372036854775807LL - 1);
    assert_string_equal(mt_buf_cstr(&b), "-9223372036854775808");
    mt_buf_free(&b);
}

/* The plain byte-at-a-time escaper the fast one must agree with. */
static void ref_json(mt_buf *b, const unsigned char *u, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    mt_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c == '"' || c == '\\') {
            mt_buf_putc(b, '\\');
            mt_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            mt_buf_put(b, e, 6);
            i++;
        } else if (c < 0x80) {
            mt_buf_putc(b, (char)c);
            i++;
        } else {
            size_t l = mt_utf8_seq_len(u + i, n - i);
            if (l == 0) { mt_buf_puts(b, "\\ufffd"); i++; }
            else { mt_buf_put(b, u + i, l); i += l; }
        }
    }
    mt_buf_putc(b, '"');
}

/* Random strings with escapes, UTF-8 (valid and cut) and plain runs at
 * every alignment, short and longer than the escaper's 4 KiB chunk. */
static void test_json_escape_differential(void **state)
{
    (void)state;
    static const unsigned char alpha[] = {'a', 'Z', '0', ' ', '~', '"', '\\', '\n', 0x01, 0x1f,
                                          0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0,
                                          0x9f, 0x98, 0x80, 0xff, '/', '<'};
    unsigned char in[9000];
    mt_buf got, want;
    mt_buf_init(&got);
    mt_buf_init(&want);
    uint64_t r = 0x9e3779b97f4a7c15ULL;
    for (int it = 0; it < 20000; it++) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        size_t n = it % 500 == 0 ? 4096 + (size_t)(r % 4000) : (size_t)(r % 48);
        int plain_bias = (int)((r >> 20) % 4); /* 0: all random; higher: mostly plain */
        for (size_t i = 0; i < n; i++) {
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            if (plain_bias && (r >> 33) % 8 < (uint64_t)plain_bias * 2) in[i] = (unsigned char)('a' + (r >> 40) % 26);
            else in[i] = alpha[(r >> 40) % sizeof alpha];
        }
        mt_buf_reset(&got);
        mt_buf_reset(&want);
        mt_json_strn(&got, (const char *)in, n);
        ref_json(&want, in, n);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.p, want.p, want.len);
        /* the in-place form, allowed to read past n into other bytes */
        size_t readable = n + (size_t)((r >> 50) % 16);
        if (readable > sizeof in) readable = sizeof in;
        for (size_t i = n; i < readable; i++) in[i] = alpha[(i * 7 + (size_t)it) % sizeof alpha];
        char *room = mt_buf_room(&got, 6 * n + 8 + 2);
        char *end = mt_json_escape_raw(room + 1, (const char *)in, n, readable);
        room[0] = '"';
        *end++ = '"';
        assert_int_equal((size_t)(end - room), want.len);
        assert_memory_equal(room, want.p, want.len);
    }
    mt_buf_free(&got);
    mt_buf_free(&want);
}

static void test_textbuf(void **state)
{
    (void)state;
    char t[12];
    mt_textbuf b = mt_textbuf_start(t, sizeof t);
    assert_string_equal(t, "");
    mt_textbuf_puts(&b, "ab");
    mt_textbuf_put(&b, "cdefgh", 2);
    mt_textbuf_put_u(&b, 0);
    mt_textbuf_put_u(&b, 4096);
    assert_string_equal(t, "abcd04096");
    mt_textbuf_puts(&b, "xyzzy"); /* cut at cap - 1, like snprintf */
    assert_string_equal(t, "abcd04096xy");
    mt_textbuf_puts(&b, "more");
    assert_string_equal(t, "abcd04096xy");
    char u[24];
    b = mt_textbuf_start(u, sizeof u);
    mt_textbuf_put_u(&b, UINT64_MAX);
    assert_string_equal(u, "18446744073709551615");
    char one[1];
    b = mt_textbuf_start(one, sizeof one);
    mt_textbuf_puts(&b, "x");
    assert_string_equal(one, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_addr),
        cmocka_unit_test(test_escapers),
        cmocka_unit_test(test_textbuf),
        cmocka_unit_test(test_json_escape_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
