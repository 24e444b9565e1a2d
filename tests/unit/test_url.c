/* URL resolution and hosts: the reference forms pages use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "web/url.h"

static void test_resolve(void **st)
{
    (void)st;
    static const struct { const char *base, *ref, *want; } cases[] = {
        {"https://a.example/dir/page.html", "/static/js/analytics.js", "https://a.example/static/js/analytics.js"},
        {"https://a.example/dir/page.html", "lib/m.js", "https://a.example/dir/lib/m.js"},
        {"https://a.example/dir/sub/page.html", "../m.js?v=1&amp;k=2", "https://a.example/dir/m.js?v=1&k=2"},
        {"https://a.example/dir/page.html", "//cdn.example/x.js", "https://cdn.example/x.js"},
        {"http://a.example", "x.js", "http://a.example/x.js"},
        {"https://a.example/p?q=1", "?q=2", "https://a.example/p?q=2"},
        {"https://a.example/a/b/", "./c/../d.wasm#frag", "https://a.example/a/b/d.wasm"},
        {"https://a.example/", "wss://ws001.coinhive.com/proxy", "wss://ws001.coinhive.com/proxy"},
        {"https://a.example/x/y", "../../../../z.js", "https://a.example/z.js"},
        {"https://user@a.example:8443/x", "y.js", "https://user@a.example:8443/y.js"},
    };
    char out[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(mt_url_resolve(cases[i].base, cases[i].ref, out, sizeof out), 0);
        assert_string_equal(out, cases[i].want);
    }
    const char *not_urls[] = {"javascript:void(0)", "data:text/javascript,1", "mailto:a@b", "", "   "};
    for (size_t i = 0; i < sizeof not_urls / sizeof not_urls[0]; i++)
        assert_int_equal(mt_url_resolve("https://a.example/", not_urls[i], out, sizeof out), -1);
    assert_int_equal(mt_url_resolve("https://a.example/", "/a-long-path", out, 10), -1);
    assert_int_equal(mt_url_resolve("not a url", "x.js", out, sizeof out), -1);
}

static void test_host(void **st)
{
    (void)st;
    char h[256];
    assert_int_equal(mt_url_host("https://WWW.Example.COM:8443/x?y", h, sizeof h), 0);
    assert_string_equal(h, "www.example.com");
    assert_int_equal(mt_url_host("wss://user:pw@ws5.pool.example/proxy", h, sizeof h), 0);
    assert_string_equal(h, "ws5.pool.example");
    assert_int_equal(mt_url_host("http://[2001:db8::1]:80/", h, sizeof h), 0);
    assert_string_equal(h, "2001:db8::1");
    assert_int_equal(mt_url_host("file:///tmp/x", h, sizeof h), -1);
    assert_int_equal(mt_url_host("/relative", h, sizeof h), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_resolve), cmocka_unit_test(test_host)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
