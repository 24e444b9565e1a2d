/* Site metadata on the real lists of the corpus: the Tranco sample, UT1's
 * category lists, and registrable domains from the public suffix list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "minetrace/common.h"
#include "web/siteinfo.h"

static const char *corpus(void)
{
    const char *c = getenv("MT_CORPUS");
    return c ? c : "../shared/corpus";
}

static void test_ranks_tranco_sample(void **st)
{
    (void)st;
    char path[4096];
    snprintf(path, sizeof path, "%s/web/lists/tranco_sample_top100.csv", corpus());
    mt_siteinfo *si = mt_siteinfo_new();
    mt_siteinfo_load_stats ls;
    assert_int_equal(mt_siteinfo_load_ranks(si, path, &ls), MT_OK);
    /* The sample is the first 100 rows of a Tranco list: ranks 1..100. */
    assert_int_equal(ls.used, 100);
    assert_int_equal(ls.skipped, 0);
    assert_int_equal(mt_siteinfo_rank(si, "google.com"), 1);
    assert_int_equal(mt_siteinfo_rank(si, "cloudflare.com"), 3);
    /* A host takes its nearest listed parent's rank. */
    assert_int_equal(mt_siteinfo_rank(si, "WWW.Google.COM."), 1);
    assert_int_equal(mt_siteinfo_rank(si, "no-such-site.example"), 0);
    mt_siteinfo_free(si);
}

static void test_ranks_bad_lines(void **st)
{
    (void)st;
    char path[] = "/tmp/mt_ranks_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "rank,domain\n1,a.example\n2,b.example\nx,c.example\n3,bad domain!\n4,a.example\n"
                        "0,zero.example\n5\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    mt_siteinfo *si = mt_siteinfo_new();
    mt_siteinfo_load_stats ls;
    assert_int_equal(mt_siteinfo_load_ranks(si, path, &ls), MT_OK);
    assert_int_equal(ls.used, 2);
    assert_int_equal(ls.duplicates, 1);     /* a.example again: the first rank wins */
    assert_int_equal(ls.skipped, 4);        /* x, bad domain, rank 0, no comma */
    assert_int_equal(ls.first_bad_line, 4); /* named by line */
    assert_int_equal(mt_siteinfo_rank(si, "a.example"), 1);
    mt_siteinfo_free(si);
    unlink(path);
    si = mt_siteinfo_new();
    assert_int_not_equal(mt_siteinfo_load_ranks(si, "/nonexistent/ranks.csv", &ls), MT_OK);
    mt_siteinfo_free(si);
}

static void test_categories_ut1(void **st)
{
    (void)st;
    char path[4096];
    snprintf(path, sizeof path, "%s/web/lists/ut1", corpus());
    mt_siteinfo *si = mt_siteinfo_new();
    mt_siteinfo_load_stats ls;
    assert_int_equal(mt_siteinfo_load_categories(si, path, &ls), MT_OK);
    assert_true(ls.used > 10000);
    assert_true(mt_siteinfo_n_categorised(si) == ls.used);
    /* First lines of two of the lists, read here rather than assumed. */
    const char *cats[] = {"press", "cryptojacking"};
    for (size_t i = 0; i < 2; i++) {
        char file[4200], line[512];
        snprintf(file, sizeof file, "%s/%s_domains.txt", path, cats[i]);
        FILE *f = fopen(file, "r");
        assert_non_null(f);
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] && line[0] != '#') break;
        }
        fclose(f);
        /* A domain listed in two categories keeps the first in sorted
         * order; the first cryptojacking or press line may be such. */
        const char *got = mt_siteinfo_category(si, line);
        assert_true(got[0] != '\0');
        if (strcmp(got, cats[i]) != 0) print_message("%s: %s (listed earlier)\n", line, got);
    }
    assert_string_equal(mt_siteinfo_category(si, "no-such-site.example"), "");
    mt_siteinfo_free(si);
}

static void test_categories_csv(void **st)
{
    (void)st;
    char path[] = "/tmp/mt_cats_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "domain,category\nnews.example,press\nshop.example, business \nbroken\n"
                        "news.example,other\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    mt_siteinfo *si = mt_siteinfo_new();
    mt_siteinfo_load_stats ls;
    assert_int_equal(mt_siteinfo_load_categories(si, path, &ls), MT_OK);
    assert_int_equal(ls.used, 2);
    assert_int_equal(ls.skipped, 1);
    assert_int_equal(ls.duplicates, 1);
    assert_string_equal(mt_siteinfo_category(si, "www.news.example"), "press");
    assert_string_equal(mt_siteinfo_category(si, "shop.example"), "business");
    mt_siteinfo_free(si);
    unlink(path);
}

static void test_registrable_domain(void **st)
{
    (void)st;
    mt_siteinfo *si = mt_siteinfo_new();
    char out[256];
    struct { const char *host, *site; } cases[] = {
        {"www.bbc.co.uk", "bbc.co.uk"},   {"a.b.example.com", "example.com"},
        {"Example.COM.", "example.com"},  {"foo.github.io", "foo.github.io"},
        {"192.0.2.7", "192.0.2.7"},       {"co.uk", "co.uk"},
        {"ws001.coinhive.com", "coinhive.com"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(mt_siteinfo_site(si, cases[i].host, out, sizeof out), 0);
        assert_string_equal(out, cases[i].site);
    }
    assert_int_equal(mt_siteinfo_site(si, "", out, sizeof out), -1);
    assert_int_equal(mt_siteinfo_site(si, "www.example.com", out, 4), -1);
    mt_siteinfo_free(si);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranks_tranco_sample), cmocka_unit_test(test_ranks_bad_lines),
        cmocka_unit_test(test_categories_ut1),      cmocka_unit_test(test_categories_csv),
        cmocka_unit_test(test_registrable_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
