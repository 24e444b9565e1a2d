/* Unit tests for the JSON reader (src/util/json.c): real Stratum messages,
 * RFC 8259 edge cases, the leniency flags, depth and token limits, every
 * prefix of real corpus lines (EVE, Zeek JSON, Cowrie), escapes incl.
 * surrogates and \u0000, big numbers, duplicate keys, NUL in strings and
 * partial documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/linereader.h"
#include "minetrace/common.h"
#include "util/json.h"

#define NTOK 4096
static mt_jr_tok tok[NTOK];
static char scratch[1 << 20];
static mt_jr_doc D;

static int parse_f(const char *s, size_t n, unsigned flags)
{
    mt_jr_init(&D, tok, NTOK, scratch, sizeof scratch);
    return mt_jr_parse(&D, s, n, flags, 0);
}
static int parse(const char *s) { return parse_f(s, strlen(s), 0); }

static const char *path_str(const char *path)
{
    int t = mt_jr_path(&D, 0, path);
    assert_true(t >= 0);
    return mt_jr_str(&D, t);
}

/* xmr-stak login reply, ndpi/mining.pcapng (178.32.196.217:9050). */
static const char *LOGIN_REPLY =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"479059546883218\",\"job\":"
    "{\"blob\":\"0606e89883d205a65d8ee78991838a1cf3ec2ebbc5fb1fa43dec5fa1cd2bee4069212a549cd73100"
    "0000005a88235653097aa3e97ef2ceef4aee610751a828f9be1a0758a78365fb0a4c8c05\",\"job_id\":"
    "\"722134174127131\",\"target\":\"dc460300\"},\"status\":\"OK\"}}";

static void test_real_login_reply(void **st)
{
    (void)st;
    assert_int_equal(parse(LOGIN_REPLY), MT_OK);
    assert_int_equal(mt_jr_type_of(&D, 0), MT_JR_OBJECT);
    assert_int_equal(D.tok[0].len, strlen(LOGIN_REPLY));
    assert_int_equal(D.end, strlen(LOGIN_REPLY));
    assert_string_equal(path_str("result.job.job_id"), "722134174127131");
    assert_string_equal(path_str("result.job.target"), "dc460300");
    assert_string_equal(path_str("result.status"), "OK");
    assert_true(mt_jr_is(&D, mt_jr_get(&D, 0, "error"), MT_JR_NULL));
    int64_t id = 0;
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "id"), &id), MT_OK);
    assert_int_equal(id, 1);
    assert_int_equal(mt_jr_count(&D, 0), 4);
    assert_int_equal(mt_jr_path(&D, 0, "result.job.nope"), -1);
    assert_int_equal(mt_jr_path(&D, 0, "result.job.blob.x"), -1);
    assert_int_equal(mt_jr_path(&D, 0, "result..job"), -1);
    const char *keys[] = {"result", "id", "nope", "error"};
    int out[4];
    assert_int_equal(mt_jr_get_many(&D, 0, keys, out, 4), 3);
    assert_true(mt_jr_is(&D, out[0], MT_JR_OBJECT));
    assert_true(mt_jr_is(&D, out[1], MT_JR_NUMBER));
    assert_int_equal(out[2], -1);
    assert_true(mt_jr_is(&D, out[3], MT_JR_NULL));
}

/* cgminer's key order with spaces, nesfit cgminer.s0.pcapng. */
static void test_real_notify_params(void **st)
{
    (void)st;
    const char *s =
        "{\"params\": [\"1526710835_3306\", \"f3fbcb407fad7305f4194d095956d5ef4d8179aa8c2311520000001c"
        "00000000\", \"0100\", \"ffff\", [\"aa\", \"bb\"], \"20000000\", \"17514a49\", \"5aff03e3\", true], "
        "\"method\": \"mining.notify\", \"id\": null}";
    assert_int_equal(parse(s), MT_OK);
    int p = mt_jr_get(&D, 0, "params");
    assert_true(mt_jr_is(&D, p, MT_JR_ARRAY));
    assert_int_equal(mt_jr_count(&D, p), 9);
    assert_string_equal(path_str("params.0"), "1526710835_3306");
    assert_string_equal(path_str("params.4.1"), "bb");
    assert_true(mt_jr_is(&D, mt_jr_path(&D, 0, "params.8"), MT_JR_TRUE));
    assert_int_equal(mt_jr_path(&D, 0, "params.9"), -1);
    assert_int_equal(mt_jr_at(&D, p, 9), -1);
    int m = mt_jr_get(&D, 0, "method");
    assert_true(mt_jr_streq(&D, m, "mining.notify"));
    assert_true(mt_jr_strprefix(&D, m, "mining."));
    assert_false(mt_jr_streq(&D, m, "mining.notif"));
    assert_false(mt_jr_strprefix(&D, m, "mining.notify.x"));
    /* iteration visits keys in order, values at key + 1 */
    const char *want[] = {"params", "method", "id"};
    size_t k = 0;
    for (int c = mt_jr_first(&D, 0); c >= 0; c = mt_jr_next(&D, 0, c), k++)
        assert_true(mt_jr_streq(&D, c, want[k]));
    assert_int_equal(k, 3);
}

/* RFC 8259: what is JSON and what is not (strict mode). */
static void test_rfc8259(void **st)
{
    (void)st;
    const char *good[] = {
        "{}", "[]", " {\"a\" : [1, -2.5e+3, true, false, null, \"x\"] } ", "\"s\"", "0", "-0.0E-0",
        "{\"a\":{\"b\":{\"c\":[[],{}]}}}", "[\"\\u00e9\\ud83d\\ude00\\n\\\"\"]",
        "{\"k\":\"\xff\xfe raw bytes\"}", "\t\r\n 1 \t\r\n", "1e999", "[\"\\/\\b\\f\\r\\t\"]",
        "{\"\":\"\"}", "-0", "123456789012345678901234567890",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (parse(good[i]) != MT_OK) print_message("refused: '%s'\n", good[i]);
        assert_int_equal(parse(good[i]), MT_OK);
    }
    /* malformed: MT_EINVAL */
    const char *bad[] = {
        "}", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{1:2}", "[1 2]", "01", "\"a\\x\"",
        "\"\\u12G4\"", "\"tab\there\"", "{} {}", "[1]]", "{\"a\":1]", "[{]}", "+1", ".5",
        "[\"a\":1]", "{\"a\" 1}", "-a", "1.e5", "[01]", "nulL", "True", "1.5e+]", "[1,,2]", "'a'",
        "{,}", "[,1]", "\"nl\nin\"", "\x01", "[1]x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse(bad[i]) != MT_EINVAL) print_message("not refused: '%s'\n", bad[i]);
        assert_int_equal(parse(bad[i]), MT_EINVAL);
        assert_int_equal(D.n, 0);
    }
    /* cut short: MT_ETRUNC */
    const char *cut[] = {"", " ", "{", "[", "{\"a\"", "{\"a\":", "[1,", "\"abc", "tru", "nul", "f",
                         "-", "1.", "1e", "1e+", "1.5e+", "\"a\\", "\"\\u12", "{\"a\":[1,{\"b\":\"c\"}"};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        if (parse(cut[i]) != MT_ETRUNC) print_message("not truncated: '%s'\n", cut[i]);
        assert_int_equal(parse(cut[i]), MT_ETRUNC);
        assert_int_equal(D.status, MT_JR_TRUNCATED);
    }
    char why[96];
    assert_int_equal(parse("{\"a\":tx}"), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_INVALID);
    assert_int_equal(D.err_at, 5);
    assert_string_equal(mt_jr_strerror(&D, why, sizeof why), "unexpected character at byte 5");
}

/* The stream leniencies: raw control characters, bytes after the value. */
static void test_flags(void **st)
{
    (void)st;
    const char *s = "{\"a\":\"x\ty\x01\"} {\"b\":2}\n";
    assert_int_equal(parse(s), MT_EINVAL);
    assert_int_equal(parse_f(s, strlen(s), MT_JR_LAX_CTRL), MT_EINVAL); /* text after it */
    assert_int_equal(parse_f(s, strlen(s), MT_JR_LAX_CTRL | MT_JR_TRAILING), MT_OK);
    assert_int_equal(D.end, 12);
    assert_string_equal(mt_jr_gstr(&D, 0, "a"), "x\ty\x01");
    assert_int_equal(mt_jr_get(&D, 0, "b"), -1);
    /* lax strings still need valid escapes and a closing quote */
    assert_int_equal(parse_f("\"a\\q\"", 5, MT_JR_LAX_CTRL), MT_EINVAL);
    assert_int_equal(parse_f("\"a\\\"", 4, MT_JR_LAX_CTRL), MT_ETRUNC);
}

static void test_escapes(void **st)
{
    (void)st;
    const char *j = "{\"s\":\"a\\tb\\u00e9\\ud83d\\ude00\\u0000z\",\"lone\":\"\\ud800x\\udc00\","
                    "\"hi_hi\":\"\\ud83d\\ud83d\\ude00\",\"q\":\"\\\"\\\\\\/\",\"k\\u0065y\":1}";
    assert_int_equal(parse(j), MT_OK);
    /* U+0000 -> U+FFFD so the C string stays whole */
    assert_string_equal(mt_jr_gstr(&D, 0, "s"), "a\tb\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdz");
    assert_string_equal(mt_jr_gstr(&D, 0, "lone"), "\xef\xbf\xbdx\xef\xbf\xbd");
    assert_string_equal(mt_jr_gstr(&D, 0, "hi_hi"), "\xef\xbf\xbd\xf0\x9f\x98\x80");
    assert_string_equal(mt_jr_gstr(&D, 0, "q"), "\"\\/");
    /* keys compare after unescaping */
    assert_true(mt_jr_is(&D, mt_jr_get(&D, 0, "key"), MT_JR_NUMBER));
    assert_true(mt_jr_is(&D, mt_jr_path(&D, 0, "key"), MT_JR_NUMBER));
    const char *keys[] = {"key"};
    int out[1];
    assert_int_equal(mt_jr_get_many(&D, 0, keys, out, 1), 1);
    /* decoded once, cached */
    const char *a = mt_jr_gstr(&D, 0, "s");
    assert_ptr_equal(a, mt_jr_gstr(&D, 0, "s"));
    /* into a caller buffer: a decoded character is never split */
    char buf[8];
    int s = mt_jr_get(&D, 0, "s");
    assert_int_equal(mt_jr_copy(&D, s, buf, sizeof buf), 5); /* a \t b é, not half of 😀 */
    assert_string_equal(buf, "a\tb\xc3\xa9");
    assert_int_equal(mt_jr_copy(&D, s, buf, 1), 0);
    assert_string_equal(buf, "");
    assert_true(mt_jr_streq(&D, s, "a\tb\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdz"));
    assert_true(mt_jr_strprefix(&D, s, "a\tb\xc3\xa9"));
    assert_false(mt_jr_strprefix(&D, s, "a\tb\xc3\xa9\xf0\x9f\x98\x81"));
    /* raw text stays escaped */
    size_t n;
    const char *raw = mt_jr_raw(&D, mt_jr_get(&D, 0, "q"), &n);
    assert_int_equal(n, 6);
    assert_memory_equal(raw, "\\\"\\\\\\/", 6);
}

/* NUL bytes: "\u0000" decodes to U+FFFD; a raw NUL is a control character,
 * refused unless lax, and then the decoded C string ends there. */
static void test_nul(void **st)
{
    (void)st;
    const char s[] = "{\"a\":\"x\0y\",\"b\":\"\\u0000\"}";
    size_t n = sizeof s - 1;
    assert_int_equal(parse_f(s, n, 0), MT_EINVAL);
    assert_int_equal(parse_f(s, n, MT_JR_LAX_CTRL), MT_OK);
    assert_string_equal(mt_jr_gstr(&D, 0, "a"), "x");
    assert_int_equal(D.tok[mt_jr_get(&D, 0, "a")].len, 3);
    assert_string_equal(mt_jr_gstr(&D, 0, "b"), "\xef\xbf\xbd");
    assert_false(mt_jr_streq(&D, mt_jr_get(&D, 0, "b"), ""));
}

static void test_numbers(void **st)
{
    (void)st;
    const char *j = "{\"max\":18446744073709551615,\"over\":18446744073709551616,"
                    "\"i64max\":9223372036854775807,\"i64min\":-9223372036854775808,"
                    "\"i64under\":-9223372036854775809,\"neg\":-5,\"frac\":1.5,\"exp\":1e3,"
                    "\"big\":1e300,\"huge\":1e999,\"negzero\":-0,\"s\":\"5\","
                    "\"long\":1234567890123456789012345678901234567890123456789012345678901234567890.5e-60}";
    assert_int_equal(parse(j), MT_OK);
    uint64_t u = 0;
    int64_t i = 0;
    double f = 0;
    assert_int_equal(mt_jr_u64(&D, mt_jr_get(&D, 0, "max"), &u), MT_OK);
    assert_true(u == UINT64_MAX);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "max"), &i), MT_ERR);
    assert_int_equal(mt_jr_u64(&D, mt_jr_get(&D, 0, "over"), &u), MT_ERR);
    assert_true(u == UINT64_MAX); /* untouched */
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "i64max"), &i), MT_OK);
    assert_true(i == INT64_MAX);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "i64min"), &i), MT_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "i64under"), &i), MT_ERR);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "neg"), &i), MT_OK);
    assert_int_equal(i, -5);
    assert_int_equal(mt_jr_u64(&D, mt_jr_get(&D, 0, "neg"), &u), MT_ERR);
    assert_int_equal(mt_jr_u64(&D, mt_jr_get(&D, 0, "negzero"), &u), MT_OK);
    assert_int_equal(u, 0);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "frac"), &i), MT_ENOTFOUND);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "exp"), &i), MT_ENOTFOUND);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "s"), &i), MT_ENOTFOUND);
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "absent"), &i), MT_ENOTFOUND);
    assert_int_equal(mt_jr_f64(&D, mt_jr_get(&D, 0, "frac"), &f), MT_OK);
    assert_true(f == 1.5);
    assert_int_equal(mt_jr_f64(&D, mt_jr_get(&D, 0, "exp"), &f), MT_OK);
    assert_true(f == 1000.0);
    assert_int_equal(mt_jr_f64(&D, mt_jr_get(&D, 0, "big"), &f), MT_OK);
    assert_true(f == 1e300);
    assert_int_equal(mt_jr_f64(&D, mt_jr_get(&D, 0, "huge"), &f), MT_ERR);
    assert_int_equal(mt_jr_f64(&D, mt_jr_get(&D, 0, "long"), &f), MT_OK);
    assert_true(f > 1.2345678901234e9 && f < 1.2345678901235e9);
    assert_int_equal(mt_jr_gu64(&D, 0, "max"), UINT64_MAX);
    assert_int_equal(mt_jr_gu64(&D, 0, "over"), 0);
    assert_int_equal(mt_jr_gu64(&D, 0, "frac"), 0);
    /* a number as text */
    char buf[8];
    assert_int_equal(mt_jr_copy(&D, mt_jr_get(&D, 0, "frac"), buf, sizeof buf), 3);
    assert_string_equal(buf, "1.5");
}

static void test_duplicates_first_wins(void **st)
{
    (void)st;
    assert_int_equal(parse("{\"a\":1,\"b\":{\"a\":3},\"a\":2}"), MT_OK);
    int64_t v = 0;
    assert_int_equal(mt_jr_i64(&D, mt_jr_get(&D, 0, "a"), &v), MT_OK);
    assert_int_equal(v, 1);
    const char *keys[] = {"a"};
    int out[1];
    mt_jr_get_many(&D, 0, keys, out, 1);
    assert_int_equal(out[0], mt_jr_get(&D, 0, "a"));
    assert_int_equal(mt_jr_count(&D, 0), 3);
}

static void test_depth_and_tokens(void **st)
{
    (void)st;
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_int_equal(parse_f(deep, 200, 0), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_TOO_DEEP);
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    assert_int_equal(parse_f(deep, 128, 0), MT_OK);
    mt_jr_init(&D, tok, NTOK, NULL, 0);
    assert_int_equal(mt_jr_parse(&D, deep, 128, 0, 32), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_TOO_DEEP);
    memset(deep, '[', 32);
    memset(deep + 32, ']', 32);
    assert_int_equal(mt_jr_parse(&D, deep, 64, 0, 32), MT_OK);
    /* objects count too */
    char obj[400];
    size_t w = 0;
    for (int k = 0; k < 65; k++) w += (size_t)snprintf(obj + w, sizeof obj - w, "{\"a\":");
    obj[w++] = '1';
    for (int k = 0; k < 65; k++) obj[w++] = '}';
    assert_int_equal(parse_f(obj, w, 0), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_TOO_DEEP);
    /* token storage: exactly enough, then one short */
    mt_jr_tok small[5];
    mt_jr_init(&D, small, 5, NULL, 0);
    assert_int_equal(mt_jr_parse(&D, "[1,2,[3]]", 9, 0, 0), MT_OK);
    assert_int_equal(mt_jr_parse(&D, "[1,2,[3,4]]", 11, 0, 0), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_TOO_MANY);
    assert_int_equal(D.n, 0);
    /* MT_JR_TOKENS_FOR is enough for the densest text */
    const char *dense = "[1,1,1,1,1,1,1,1,1,1]";
    size_t dn = strlen(dense);
    mt_jr_tok fit[MT_JR_TOKENS_FOR(21)];
    mt_jr_init(&D, fit, MT_JR_TOKENS_FOR(dn), NULL, 0);
    assert_int_equal(mt_jr_parse(&D, dense, dn, 0, 0), MT_OK);
    /* no scratch: decoding into a caller buffer still works */
    assert_null(mt_jr_str(&D, 1));
}

static void test_huge_string_bounded(void **st)
{
    (void)st;
    size_t n = 300000;
    char *s = malloc(n + 16);
    s[0] = '[';
    s[1] = '"';
    memset(s + 2, 'a', n);
    memcpy(s + 2 + n, "\"]", 2);
    assert_int_equal(parse_f(s, n + 4, 0), MT_OK);
    char buf[16];
    assert_int_equal(mt_jr_copy(&D, 1, buf, sizeof buf), 15);
    assert_int_equal(strlen(mt_jr_str(&D, 1)), n);
    /* the scratch area too small: NULL, never an overrun */
    char tiny[16];
    mt_jr_init(&D, tok, NTOK, tiny, sizeof tiny);
    assert_int_equal(mt_jr_parse(&D, s, n + 4, 0, 0), MT_OK);
    assert_null(mt_jr_str(&D, 1));
    free(s);
}

static void test_not_nul_terminated(void **st)
{
    (void)st;
    /* the reader never looks past len, even when the byte after is valid */
    const char *s = "{\"a\":12}34";
    assert_int_equal(parse_f(s, 7, 0), MT_ETRUNC);
    assert_int_equal(parse_f("1234", 2, 0), MT_OK);
    int64_t v;
    assert_int_equal(mt_jr_i64(&D, 0, &v), MT_OK);
    assert_int_equal(v, 12);
    assert_int_equal(parse_f("\"ab\"", 3, 0), MT_ETRUNC);
}

/* MT_JR_PARTIAL keeps the complete members of a cut text. */
static void test_partial(void **st)
{
    (void)st;
    const char *s = "{\"id\":1,\"method\":\"getwork\",\"params\":[\"00ff\",12";
    size_t n = strlen(s);
    assert_int_equal(parse_f(s, n, 0), MT_ETRUNC);
    assert_int_equal(D.n, 0);
    assert_int_equal(parse_f(s, n, MT_JR_PARTIAL), MT_ETRUNC);
    assert_string_equal(mt_jr_gstr(&D, 0, "method"), "getwork");
    int p = mt_jr_get(&D, 0, "params");
    assert_int_equal(mt_jr_count(&D, p), 1); /* "12" may have lost digits */
    assert_int_equal(mt_jr_count(&D, 0), 3);
    /* a member without its whole value is dropped */
    const char *cuts[] = {"{\"id\":1,\"method\"", "{\"id\":1,\"method\":", "{\"id\":1,\"method\":\"get",
                          "{\"id\":1,\"method\":tr", "{\"id\":1,\"meth"};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(parse_f(cuts[i], strlen(cuts[i]), MT_JR_PARTIAL), MT_ETRUNC);
        assert_int_equal(mt_jr_count(&D, 0), 1);
        assert_int_equal(mt_jr_get(&D, 0, "method"), -1);
        assert_true(mt_jr_is(&D, mt_jr_get(&D, 0, "id"), MT_JR_NUMBER));
    }
    /* out of tokens: what fitted */
    mt_jr_tok small[6];
    mt_jr_init(&D, small, 6, NULL, 0);
    const char *big = "{\"method\":\"getwork\",\"params\":[1,2,3,4,5]}";
    assert_int_equal(mt_jr_parse(&D, big, strlen(big), MT_JR_PARTIAL, 0), MT_EINVAL);
    assert_int_equal(D.status, MT_JR_TOO_MANY);
    assert_true(mt_jr_streq(&D, mt_jr_get(&D, 0, "method"), "getwork"));
}

/* Every prefix of a real line is "truncated", never "invalid", and every
 * member a partial parse keeps reads as in the whole line. */
static size_t check_line(const char *line, size_t len)
{
    static mt_jr_tok t2[NTOK];
    static char s2[1 << 16];
    mt_jr_doc full;
    mt_jr_init(&full, t2, NTOK, s2, sizeof s2);
    if (mt_jr_parse(&full, line, len, 0, 0) != MT_OK) {
        char why[96];
        print_message("refused: %s: %.*s\n", mt_jr_strerror(&full, why, sizeof why), (int)len, line);
        fail();
    }
    assert_true(mt_jr_is(&full, 0, MT_JR_OBJECT));
    for (size_t k = 0; k < len; k++) {
        int rc = parse_f(line, k, 0);
        if (rc != MT_ETRUNC) {
            print_message("prefix %zu of %zu: %d\n", k, len, rc);
            fail();
        }
        if (k % 7 != 0) continue;
        assert_int_equal(parse_f(line, k, MT_JR_PARTIAL), MT_ETRUNC);
        for (int c = mt_jr_first(&D, 0); c >= 0; c = mt_jr_next(&D, 0, c)) {
            const char *key = mt_jr_str(&D, c);
            assert_non_null(key);
            int w = mt_jr_get(&full, 0, key);
            assert_true(w >= 0);
            if (mt_jr_is(&D, c + 1, MT_JR_STRING) || mt_jr_is(&D, c + 1, MT_JR_NUMBER))
                assert_string_equal(mt_jr_str(&D, c + 1) ? mt_jr_str(&D, c + 1) : "n",
                                    mt_jr_str(&full, w) ? mt_jr_str(&full, w) : "n");
        }
    }
    return full.n;
}

static size_t check_file(const char *rel, size_t max_lines, size_t max_len)
{
    const char *base = getenv("MT_CORPUS");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", base ? base : "../shared/corpus", rel);
    mt_linereader *r = mt_lr_open(path, 0);
    if (!r) {
        print_message("corpus file missing: %s\n", path);
        return 0;
    }
    size_t lines = 0;
    char *line;
    size_t len;
    int too_long;
    while (lines < max_lines && mt_lr_next(r, &line, &len, &too_long) == 1) {
        if (len == 0 || len > max_len) continue;
        check_line(line, len);
        lines++;
    }
    mt_lr_close(r);
    return lines;
}

static void test_corpus_prefixes(void **st)
{
    (void)st;
    size_t n = 0;
    n += check_file("logs/suricata/slips_test6-malicious_eve.json", 60, 4096);
    n += check_file("logs/zeek/wrccdc2018_zeek6.2_zed-sample-data/json/dns.json.gz", 40, 4096);
    n += check_file("logs/zeek/wrccdc2018_zeek6.2_zed-sample-data/json/ssl.json.gz", 40, 4096);
    n += check_file("botnet/cowrie_kareiva_2018/cowrie.json.2018-05-06", 80, 4096);
    if (n == 0) skip();
}

/* Cowrie (the next user): the whole of one day's log parses, and the
 * fields a botnet reader needs are there. */
static void test_cowrie_day(void **st)
{
    (void)st;
    const char *base = getenv("MT_CORPUS");
    char path[1024];
    snprintf(path, sizeof path, "%s/botnet/cowrie_kareiva_2018/cowrie.json.2018-05-06",
             base ? base : "../shared/corpus");
    mt_linereader *r = mt_lr_open(path, 0);
    if (!r) skip();
    char *line;
    int too_long;
    size_t len, lines = 0, commands = 0, logins = 0;
    while (mt_lr_next(r, &line, &len, &too_long) == 1) {
        if (len == 0) continue;
        if (parse_f(line, len, 0) != MT_OK) {
            char why[96];
            print_message("line %zu: %s\n", lines + 1, mt_jr_strerror(&D, why, sizeof why));
            fail();
        }
        lines++;
        const char *ev = mt_jr_gstr(&D, 0, "eventid");
        assert_non_null(ev);
        assert_non_null(mt_jr_gstr(&D, 0, "session"));
        assert_non_null(mt_jr_gstr(&D, 0, "timestamp"));
        if (strcmp(ev, "cowrie.command.input") == 0) {
            assert_non_null(mt_jr_gstr(&D, 0, "input"));
            commands++;
        }
        if (strncmp(ev, "cowrie.login.", 13) == 0) {
            assert_non_null(mt_jr_gstr(&D, 0, "username"));
            logins++;
        }
    }
    mt_lr_close(r);
    assert_true(lines > 100);
    assert_true(logins > 0);
    print_message("cowrie: %zu lines, %zu logins, %zu commands\n", lines, logins, commands);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_login_reply),
        cmocka_unit_test(test_real_notify_params),
        cmocka_unit_test(test_rfc8259),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_duplicates_first_wins),
        cmocka_unit_test(test_depth_and_tokens),
        cmocka_unit_test(test_huge_string_bounded),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_corpus_prefixes),
        cmocka_unit_test(test_cowrie_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
