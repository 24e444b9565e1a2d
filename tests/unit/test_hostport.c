/* host:port splitting (util/hostport.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "minetrace/common.h"
#include "util/hostport.h"

/* Parse s and compare host text, port and status. */
static void check(const char *s, unsigned flags, int rc, const char *host, int port)
{
    mt_hostport hp;
    int got = mt_hostport_parse(s, strlen(s), flags, &hp);
    if (got != rc) fail_msg("'%s': status %d, want %d", s, got, rc);
    if (hp.host_len != strlen(host) || memcmp(hp.host, host, hp.host_len) != 0)
        fail_msg("'%s': host '%.*s', want '%s'", s, (int)hp.host_len, hp.host, host);
    if (hp.port != port) fail_msg("'%s': port %d, want %d", s, hp.port, port);
}

static void test_plain(void **state)
{
    (void)state;
    check("pool.example.org", 0, MT_OK, "pool.example.org", -1);
    check("pool.example.org:3333", 0, MT_OK, "pool.example.org", 3333);
    check("10.0.0.1:80", 0, MT_OK, "10.0.0.1", 80);
    check("h:0", 0, MT_OK, "h", 0);
    check("h:65535", 0, MT_OK, "h", 65535);
    /* Bad ports: the host is still the text before the colon. */
    check("h:65536", 0, MT_EINVAL, "h", -1);
    check("h:", 0, MT_EINVAL, "h", -1);
    check("h:80x", 0, MT_EINVAL, "h", -1);
    check("h:-1", 0, MT_EINVAL, "h", -1);
    check("h:000080", 0, MT_EINVAL, "h", -1); /* more than five digits */
    check("", 0, MT_EINVAL, "", -1);
    check(":80", 0, MT_EINVAL, "", -1);
}

static void test_ipv6(void **state)
{
    (void)state;
    check("[2001:db8::1]:3333", 0, MT_OK, "2001:db8::1", 3333);
    check("[::1]", 0, MT_OK, "::1", -1);
    check("2001:db8::1", 0, MT_OK, "2001:db8::1", -1); /* bare: no port */
    check("::", 0, MT_OK, "::", -1);
    check("[2001:db8::1", 0, MT_EINVAL, "2001:db8::1", -1); /* unclosed */
    check("[]:80", 0, MT_EINVAL, "", -1);
    check("[::1]x", 0, MT_EINVAL, "::1", -1);
    check("[::1]:", 0, MT_EINVAL, "::1", -1);
    check("[::1]:99999", 0, MT_EINVAL, "::1", -1);
    mt_hostport hp;
    assert_int_equal(mt_hostport_parse("[::1]:1", 7, 0, &hp), MT_OK);
    assert_int_equal(hp.bracketed, 1);
    assert_int_equal(mt_hostport_parse("a:1", 3, 0, &hp), MT_OK);
    assert_int_equal(hp.bracketed, 0);
}

static void test_scheme(void **state)
{
    (void)state;
    check("stratum+tcp://pool.example.org:3333", MT_HP_SCHEME, MT_OK, "pool.example.org", 3333);
    check("stratum+ssl://user.rig:x@pool.example.org:443/path?q", MT_HP_SCHEME, MT_OK,
          "pool.example.org", 443);
    check("wss://[2001:db8::2]:8443/proxy", MT_HP_SCHEME, MT_OK, "2001:db8::2", 8443);
    check("ws://miner.example", MT_HP_SCHEME, MT_OK, "miner.example", -1);
    mt_hostport hp;
    const char *u = "stratum+tcp://p.example:1";
    assert_int_equal(mt_hostport_parse(u, strlen(u), MT_HP_SCHEME, &hp), MT_OK);
    assert_int_equal(hp.scheme_len, strlen("stratum+tcp"));
    assert_memory_equal(hp.scheme, "stratum+tcp", hp.scheme_len);
    /* Without the flag a scheme is not special. */
    check("tcp://h:1", 0, MT_OK, "tcp://h:1", -1); /* two colons: the bare-IPv6 rule */
    /* Not a scheme: no "://", or starts with a digit. */
    check("h:1/x", MT_HP_SCHEME, MT_EINVAL, "h", -1);
    check("1a://h", MT_HP_SCHEME, MT_EINVAL, "1a", -1);
    assert_int_equal(mt_hostport_parse("h:1", 3, MT_HP_SCHEME, &hp), MT_OK);
    assert_null(hp.scheme);
    /* A scheme with nothing after it. */
    check("ws://", MT_HP_SCHEME, MT_EINVAL, "", -1);
    /* Length-bounded: the bytes after n are not read. */
    assert_int_equal(mt_hostport_parse("host:80garbage", 7, 0, &hp), MT_OK);
    assert_int_equal(hp.port, 80);
}

static void test_host_copy(void **state)
{
    (void)state;
    char o[8];
    assert_int_equal(mt_hostport_host("[::1]:80", o, sizeof o), 3);
    assert_string_equal(o, "::1");
    assert_int_equal(mt_hostport_host("example.org:80", o, sizeof o), 7);
    assert_string_equal(o, "example"); /* cut to the buffer, terminated */
    mt_hostport_host("a:b:c", o, sizeof o);
    assert_string_equal(o, "a:b:c");
    mt_hostport_host("[v6", o, sizeof o);
    assert_string_equal(o, "v6");
    mt_hostport_host("h:bad", o, sizeof o);
    assert_string_equal(o, "h");
    mt_hostport_host("", o, sizeof o);
    assert_string_equal(o, "");
}

/* mt_hostport_host takes a one-pass path for Host headers: it must give the
 * host of mt_hostport_parse for every string over a small alphabet. */
static void test_host_copy_matches_parse(void **state)
{
    (void)state;
    const char alpha[] = "a:[]1";
    char s[7], o[16];
    for (unsigned len = 0; len <= 6; len++) {
        unsigned total = 1;
        for (unsigned i = 0; i < len; i++) total *= 5;
        for (unsigned v = 0; v < total; v++) {
            unsigned x = v;
            for (unsigned i = 0; i < len; i++, x /= 5) s[i] = alpha[x % 5];
            s[len] = '\0';
            mt_hostport hp;
            (void)mt_hostport_parse(s, len, 0, &hp);
            size_t n = mt_hostport_host(s, o, sizeof o);
            if (n != hp.host_len || memcmp(o, hp.host, n) != 0)
                fail_msg("'%s': host copy '%s', parse '%.*s'", s, o, (int)hp.host_len, hp.host);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),     cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_scheme),    cmocka_unit_test(test_host_copy),
        cmocka_unit_test(test_host_copy_matches_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
