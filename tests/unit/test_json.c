/* Unit tests for the bounded JSON reader (src/proto/json.c): real Stratum
 * lines from the corpus captures, key order, whitespace, escapes, truncated
 * and malformed input, nesting limits, huge strings and raw non-UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "minetrace/common.h"
#include "proto/json.h"

static int parse(const char *s, mt_jv *root)
{
    return mt_jv_parse(s, strlen(s), root, NULL);
}

static void str_at(const mt_jv *root, const char *path, char *buf, size_t cap)
{
    mt_jv v;
    assert_true(mt_jv_path(root, path, &v));
    mt_jv_strcpy(&v, buf, cap);
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
    mt_jv root, v;
    char buf[256];
    assert_int_equal(parse(LOGIN_REPLY, &root), MT_OK);
    assert_int_equal(root.type, MT_JV_OBJECT);
    assert_int_equal(root.len, strlen(LOGIN_REPLY));
    str_at(&root, "result.job.job_id", buf, sizeof buf);
    assert_string_equal(buf, "722134174127131");
    str_at(&root, "result.job.target", buf, sizeof buf);
    assert_string_equal(buf, "dc460300");
    str_at(&root, "result.status", buf, sizeof buf);
    assert_string_equal(buf, "OK");
    assert_true(mt_jv_get(&root, "error", &v));
    assert_int_equal(v.type, MT_JV_NULL);
    int64_t id = 0;
    assert_true(mt_jv_get(&root, "id", &v));
    assert_true(mt_jv_int(&v, &id));
    assert_int_equal(id, 1);
    assert_int_equal(mt_jv_count(&root), 4);
    assert_false(mt_jv_path(&root, "result.job.nope", &v));
    assert_false(mt_jv_path(&root, "result.job.blob.x", &v));
}

/* cgminer's key order with spaces, nesfit cgminer.s0.pcapng. */
static void test_real_notify_params(void **st)
{
    (void)st;
    const char *s =
        "{\"params\": [\"1526710835_3306\", \"f3fbcb407fad7305f4194d095956d5ef4d8179aa8c2311520000001c"
        "00000000\", \"0100\", \"ffff\", [\"aa\", \"bb\"], \"20000000\", \"17514a49\", \"5aff03e3\", true], "
        "\"method\": \"mining.notify\", \"id\": null}";
    mt_jv root, v;
    char buf[64];
    assert_int_equal(parse(s, &root), MT_OK);
    assert_true(mt_jv_get(&root, "params", &v));
    assert_int_equal(v.type, MT_JV_ARRAY);
    assert_int_equal(mt_jv_count(&v), 9);
    str_at(&root, "params.0", buf, sizeof buf);
    assert_string_equal(buf, "1526710835_3306");
    str_at(&root, "params.4.1", buf, sizeof buf);
    assert_string_equal(buf, "bb");
    assert_true(mt_jv_path(&root, "params.8", &v));
    assert_int_equal(v.type, MT_JV_TRUE);
    assert_false(mt_jv_path(&root, "params.9", &v));
    assert_true(mt_jv_get(&root, "method", &v));
    assert_true(mt_jv_streq(&v, "mining.notify"));
    assert_true(mt_jv_strprefix(&v, "mining."));
    assert_false(mt_jv_streq(&v, "mining.notif"));
}

static void test_whitespace_and_order(void **st)
{
    (void)st;
    const char *a = " \r\n\t{ \"b\" :\t[ 1 , 2.5e3 , -0.25 ] ,\n \"a\" : { } , \"c\":[ ] }  trailing";
    mt_jv root, v;
    size_t end = 0;
    assert_int_equal(mt_jv_parse(a, strlen(a), &root, &end), MT_OK);
    assert_int_equal(a[end - 1], '}');
    assert_true(mt_jv_get(&root, "a", &v));
    assert_int_equal(v.type, MT_JV_OBJECT);
    assert_int_equal(mt_jv_count(&v), 0);
    assert_true(mt_jv_get(&root, "c", &v));
    assert_int_equal(mt_jv_count(&v), 0);
    assert_true(mt_jv_path(&root, "b.1", &v));
    assert_int_equal(v.type, MT_JV_NUMBER);
    int64_t x;
    assert_false(mt_jv_int(&v, &x)); /* not an integer */
    char buf[16];
    mt_jv_strcpy(&v, buf, sizeof buf);
    assert_string_equal(buf, "2.5e3");
    assert_true(mt_jv_path(&root, "b.0", &v));
    assert_true(mt_jv_int(&v, &x));
    assert_int_equal(x, 1);
}

static void test_escapes(void **st)
{
    (void)st;
    /* escaped key, \u escapes (BMP, surrogate pair, lone surrogate), \/ */
    const char *s = "{\"me\\u0074hod\":\"log\\u0069n\",\"t\":\"a\\\"b\\\\c\\/d\\n\","
                    "\"u\":\"\\u00e9\\u20ac\\ud83d\\ude00\",\"bad\":\"\\udc00x\"}";
    mt_jv root, v;
    char buf[64];
    assert_int_equal(parse(s, &root), MT_OK);
    assert_true(mt_jv_get(&root, "method", &v));
    assert_true(mt_jv_streq(&v, "login"));
    assert_true(mt_jv_strprefix(&v, "log"));
    assert_false(mt_jv_streq(&v, "logi"));
    str_at(&root, "t", buf, sizeof buf);
    assert_string_equal(buf, "a\"b\\c/d\n");
    str_at(&root, "u", buf, sizeof buf);
    assert_string_equal(buf, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    str_at(&root, "bad", buf, sizeof buf);
    assert_string_equal(buf, "\xef\xbf\xbdx");
    /* bounded copy never splits a decoded character */
    assert_true(mt_jv_get(&root, "u", &v));
    assert_int_equal(mt_jv_strcpy(&v, buf, 5), 2);
    assert_string_equal(buf, "\xc3\xa9");
}

static void test_bad_escapes(void **st)
{
    (void)st;
    mt_jv root;
    assert_int_equal(parse("{\"a\":\"\\x41\"}", &root), MT_EINVAL);
    assert_int_equal(parse("{\"a\":\"\\u12g4\"}", &root), MT_EINVAL);
    assert_int_equal(parse("{\"a\":\"\\u12", &root), MT_ETRUNC);
    assert_int_equal(parse("{\"a\":\"abc\\", &root), MT_ETRUNC);
}

static void test_truncated(void **st)
{
    (void)st;
    /* Every proper prefix of a real message is truncated, never accepted. */
    size_t n = strlen(LOGIN_REPLY);
    mt_jv root;
    for (size_t k = 0; k < n; k++) {
        int rc = mt_jv_parse(LOGIN_REPLY, k, &root, NULL);
        assert_true(rc == MT_ETRUNC);
    }
    assert_int_equal(parse("{\"a\":tru", &root), MT_ETRUNC);
    assert_int_equal(parse("{\"a\":-", &root), MT_ETRUNC);
    assert_int_equal(parse("{\"a\":1.", &root), MT_ETRUNC);
    assert_int_equal(parse("", &root), MT_ETRUNC);
}

static void test_malformed(void **st)
{
    (void)st;
    mt_jv root;
    const char *bad[] = {
        "{\"a\" 1}", "{\"a\":1,}", "{,}", "{\"a\":1]", "[1}", "{a:1}", "{\"a\":01x}",
        "{\"a\":tru}", "{\"a\":nul1}", "{\"a\":.5}", "{\"a\":1e}", "}", "{\"a\":[1 2]}",
        "{\"a\":--1}", "{\"a\":+1}", "{\"a\":1.e5}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i], &root);
        if (rc == MT_OK) fail_msg("accepted malformed: %s", bad[i]);
    }
}

static void test_depth_cap(void **st)
{
    (void)st;
    char buf[512];
    mt_jv root, v;
    /* exactly MT_JV_MAX_DEPTH levels parse */
    size_t w = 0;
    for (int i = 0; i < MT_JV_MAX_DEPTH; i++) buf[w++] = '[';
    for (int i = 0; i < MT_JV_MAX_DEPTH; i++) buf[w++] = ']';
    assert_int_equal(mt_jv_parse(buf, w, &root, NULL), MT_OK);
    /* one more is refused */
    w = 0;
    for (int i = 0; i <= MT_JV_MAX_DEPTH; i++) buf[w++] = '[';
    for (int i = 0; i <= MT_JV_MAX_DEPTH; i++) buf[w++] = ']';
    assert_int_equal(mt_jv_parse(buf, w, &root, NULL), MT_EINVAL);
    /* deep junk (a million brackets) is refused quickly */
    size_t big = 1000000;
    char *deep = malloc(big);
    memset(deep, '[', big);
    assert_int_equal(mt_jv_parse(deep, big, &root, NULL), MT_EINVAL);
    free(deep);
    /* nested junk inside a real message: lookups skip it */
    const char *s = "{\"junk\":[[[{\"a\":[[[\"]]]\"]]]}]]],\"method\":\"login\"}";
    assert_int_equal(parse(s, &root), MT_OK);
    assert_true(mt_jv_get(&root, "method", &v));
    assert_true(mt_jv_streq(&v, "login"));
}

static void test_huge_string_bounded(void **st)
{
    (void)st;
    size_t n = 1 << 20;
    char *s = malloc(n + 32);
    size_t w = 0;
    w += (size_t)sprintf(s, "{\"login\":\"");
    memset(s + w, 'A', n);
    w += n;
    memcpy(s + w, "\"}", 2);
    w += 2;
    mt_jv root, v;
    assert_int_equal(mt_jv_parse(s, w, &root, NULL), MT_OK);
    assert_true(mt_jv_get(&root, "login", &v));
    char small[16];
    memset(small, 'Z', sizeof small);
    assert_int_equal(mt_jv_strcpy(&v, small, sizeof small), 15);
    assert_int_equal(strlen(small), 15);
    assert_false(mt_jv_streq(&v, "AAAA"));
    assert_true(mt_jv_strprefix(&v, "AAAA"));
    free(s);
}

static void test_non_utf8(void **st)
{
    (void)st;
    const char s[] = "{\"agent\":\"\xff\xfe\xc3(\x80\",\"x\":\"\x01\x02\"}";
    mt_jv root, v;
    char buf[32];
    assert_int_equal(mt_jv_parse(s, sizeof s - 1, &root, NULL), MT_OK);
    assert_true(mt_jv_get(&root, "agent", &v));
    assert_int_equal(mt_jv_strcpy(&v, buf, sizeof buf), 5);
    assert_memory_equal(buf, "\xff\xfe\xc3(\x80", 5);
}

static void test_not_nul_terminated(void **st)
{
    (void)st;
    /* The message is followed by bytes that are not part of it. */
    const char s[] = "{\"id\":1,\"result\":true}{\"id\":2}";
    mt_jv root, v;
    size_t end;
    assert_int_equal(mt_jv_parse(s, 22, &root, &end), MT_OK);
    assert_int_equal(end, 22);
    assert_true(mt_jv_get(&root, "result", &v));
    assert_int_equal(v.type, MT_JV_TRUE);
    /* cut inside a literal at the buffer end */
    assert_int_equal(mt_jv_parse(s, 20, &root, NULL), MT_ETRUNC);
}

static void test_iter_and_dups(void **st)
{
    (void)st;
    const char *s = "{\"a\":1,\"a\":2,\"b\":{\"c\":[true,false,null]}}";
    mt_jv root, k, v;
    assert_int_equal(parse(s, &root), MT_OK);
    assert_true(mt_jv_get(&root, "a", &v));
    int64_t x;
    assert_true(mt_jv_int(&v, &x));
    assert_int_equal(x, 1); /* first wins */
    mt_jv_iter it;
    mt_jv_iter_init(&it, &root);
    int n = 0;
    while (mt_jv_iter_next(&it, &k, &v)) n++;
    assert_int_equal(n, 3);
    assert_true(mt_jv_path(&root, "b.c.2", &v));
    assert_int_equal(v.type, MT_JV_NULL);
    /* scalars have no members */
    mt_jv_iter_init(&it, &v);
    assert_false(mt_jv_iter_next(&it, NULL, NULL));
    assert_int_equal(mt_jv_count(&v), 0);
    /* int overflow refused */
    assert_int_equal(parse("{\"n\":99999999999999999999}", &root), MT_OK);
    assert_true(mt_jv_get(&root, "n", &v));
    assert_false(mt_jv_int(&v, &x));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_login_reply),
        cmocka_unit_test(test_real_notify_params),
        cmocka_unit_test(test_whitespace_and_order),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_huge_string_bounded),
        cmocka_unit_test(test_non_utf8),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_iter_and_dups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
