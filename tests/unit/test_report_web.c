/* The website study's report section (report/sections_web.c) on the
 * synthetic set of tests/unit/web_fixture.h: the store's aggregates go into
 * the section, and each renderer (text, JSON, CSV, HTML) shows exactly the
 * numbers computed by hand from the definitions; `minetrace report` adds
 * the section only when the store holds web findings, with the rank
 * intervals of --rank-intervals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "report/render.h"
#include "report/sections.h"
#include "unit/web_fixture.h"

static mt_web_finding set[WEB_MAXF];
static size_t nset;
static char db[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/mt_test_report_web_%d.db", (int)getpid());
    unlink(db);
    nset = web_fixture(set);
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_put_web(s, set, nset), MT_OK);
    mt_store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[300];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    return 0;
}

static void summary(const uint32_t *e, size_t ne, size_t top, mt_store_web_summary *w)
{
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db, &ro);
    assert_non_null(s);
    mt_store_web_query q = {0, 0, MT_STORE_WEB_MIN_CONFIDENCE, {0}, ne, top, {NULL, 0}};
    if (ne) memcpy(q.edges, e, ne * sizeof *e);
    assert_int_equal(mt_store_web_summary_get(s, &q, w), MT_OK);
    mt_store_close(s);
}

static json_t *member(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!v) print_message("no member %s\n", k);
    assert_non_null(v);
    return v;
}

static long long jint(json_t *o, const char *k) { return json_integer_value(member(o, k)); }

/* The row of a JSON table whose `key` member is `name`. */
static json_t *jrow(json_t *rows, const char *key, const char *name)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) if (!strcmp(json_string_value(member(r, key)), name)) return r;
    print_message("no row %s = %s\n", key, name);
    fail();
    return NULL;
}

static const uint32_t DEF[] = {10000, 100000, 1000000};

static void test_json(void **state)
{
    (void)state;
    web_expect x;
    web_expected(set, nset, MT_STORE_WEB_MIN_CONFIDENCE, DEF, 3, &x);
    mt_store_web_summary w;
    summary(NULL, 0, 5, &w);
    mt_rdoc d;
    mt_rdoc_init(&d);
    mt_sec_web(&w, MT_STORE_WEB_MIN_CONFIDENCE, &d);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_json(&d, &b);
    json_error_t err;
    json_t *root = json_loadb(b.p, b.len, 0, &err);
    if (!root) print_message("%s\n%.*s\n", err.text, (int)b.len, b.p);
    assert_non_null(root);
    json_t *web = member(root, "web");
    json_t *tot = member(web, "totals");
    assert_int_equal(jint(tot, "findings"), nset);
    assert_int_equal(jint(tot, "confident_findings"), x.confident);
    assert_int_equal(jint(tot, "sites"), x.sites);
    assert_int_equal(jint(tot, "pages"), x.pages);
    assert_int_equal(jint(tot, "unranked_sites"), x.unranked);
    assert_int_equal(jint(tot, "campaigns"), x.campaigns);
    assert_int_equal(jint(tot, "site_keys"), x.distinct_keys);
    assert_int_equal(jint(tot, "keyed_sites"), x.keyed_sites);
    assert_int_equal(jint(tot, "min_confidence"), MT_STORE_WEB_MIN_CONFIDENCE);
    /* ranks: 1-10k, 10k-100k, 100k-1M, >1M, unranked */
    json_t *ranks = member(web, "ranks");
    assert_int_equal(json_array_size(ranks), 5);
    static const char *lab[] = {"1-10k", "10k-100k", "100k-1M", ">1M", "unranked"};
    for (size_t i = 0; i < 5; i++) {
        json_t *r = json_array_get(ranks, i);
        assert_string_equal(json_string_value(member(r, "interval")), lab[i]);
        assert_int_equal(jint(r, "sites"), i < 4 ? x.rank[i] : x.unranked);
        double sh = json_real_value(member(r, "share"));
        double want = (double)(i < 4 ? x.rank[i] : x.unranked) / (double)x.sites;
        assert_true(sh > want - 1e-6 && sh < want + 1e-6);
    }
    assert_int_equal(jint(json_array_get(ranks, 1), "from"), 10001);
    assert_int_equal(jint(json_array_get(ranks, 1), "to"), 100000);
    assert_true(json_is_null(member(json_array_get(ranks, 3), "to")));
    json_t *cats = member(web, "categories");
    size_t ncat = 0;
    for (int c = 0; c < 5; c++) {
        if (!x.cat_sites[c]) continue;
        ncat++;
        json_t *r = jrow(cats, "category", WEB_CATS[c][0] ? WEB_CATS[c] : "(unknown)");
        assert_int_equal(jint(r, "sites"), x.cat_sites[c]);
        assert_int_equal(jint(r, "findings"), x.cat_findings[c]);
    }
    assert_int_equal(json_array_size(cats), ncat);
    json_t *provs = member(web, "providers");
    for (int p = 0; p < 6; p++) {
        if (!x.prov_sites[p]) continue;
        json_t *r = jrow(provs, "provider", WEB_PROVS[p]);
        assert_int_equal(jint(r, "sites"), x.prov_sites[p]);
        assert_int_equal(jint(r, "findings"), x.prov_findings[p]);
    }
    json_t *camp = member(web, "campaigns");
    assert_int_equal(jint(camp, "distinct"), x.distinct_keys);
    assert_int_equal(jint(camp, "campaigns"), x.campaigns);
    json_t *rows = member(camp, "rows");
    assert_int_equal(json_array_size(rows), 5); /* top 5 */
    uint64_t prev = UINT64_MAX;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        int k = atoi(json_string_value(member(r, "site_key")) + 1);
        assert_int_equal(jint(r, "sites"), x.key_sites[k]);
        assert_int_equal(jint(r, "findings"), x.key_findings[k]);
        assert_true((uint64_t)jint(r, "sites") <= prev);
        prev = (uint64_t)jint(r, "sites");
        /* the best-known keys: none of the other keys has more sites */
        for (int o = 0; o < 23; o++) assert_true(i > 0 || x.key_sites[o] <= x.key_sites[k]);
    }
    json_decref(root);
    mt_buf_free(&b);
    mt_rdoc_free(&d);
    mt_store_web_summary_free(&w);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) print_message("cannot read %s\n", path);
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_text_csv_html(void **state)
{
    (void)state;
    static const uint32_t e[] = {1000, 50000};
    web_expect x;
    web_expected(set, nset, MT_STORE_WEB_MIN_CONFIDENCE, e, 2, &x);
    mt_store_web_summary w;
    summary(e, 2, 0, &w);
    mt_rdoc d;
    mt_rdoc_init(&d);
    /* without the traffic overview, the cards need a section of their own */
    mt_rsection *o = mt_rdoc_section(&d, "overview", NULL, NULL);
    o->json = MT_RJ_INLINE;
    mt_rb_highlights(&d, &o->box);
    mt_sec_web(&w, MT_STORE_WEB_MIN_CONFIDENCE, &d);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_text(&d, &b);
    mt_buf_putc(&b, '\0');
    char want[256], n1[32], n2[32], n3[32];
    mt_fmt_count(n1, sizeof n1, x.sites);
    mt_fmt_count(n2, sizeof n2, x.pages);
    mt_fmt_count(n3, sizeof n3, nset);
    snprintf(want, sizeof want, "%s mining sites on %s pages, from %s web findings", n1, n2, n3);
    if (!strstr(b.p, want)) print_message("%s\nnot in:\n%s\n", want, b.p);
    assert_non_null(strstr(b.p, want));
    assert_non_null(strstr(b.p, "1-1k"));
    assert_non_null(strstr(b.p, "1k-50k"));
    assert_non_null(strstr(b.p, ">50k"));
    assert_non_null(strstr(b.p, "(unknown)"));
    mt_buf_reset(&b);
    mt_render_html(&d, &b);
    mt_buf_putc(&b, '\0');
    assert_non_null(strstr(b.p, "id=\"chart-web-ranks\""));
    assert_non_null(strstr(b.p, "id=\"t-web-providers\""));
    assert_non_null(strstr(b.p, "id=\"k-web-sites\""));
    assert_non_null(strstr(b.p, "mining sites in the top 50k"));

    char dir[300];
    snprintf(dir, sizeof dir, "%s.csv", db);
    assert_int_equal(mt_render_csv(&d, dir), MT_OK);
    char path[400];
    snprintf(path, sizeof path, "%s/web_ranks.csv", dir);
    char *csv = slurp(path);
    char line[128];
    assert_int_equal(strncmp(csv, "interval,from,to,sites,share\r\n", 30), 0); /* RFC 4180 lines */
    snprintf(line, sizeof line, "\n1k-50k,1001,50000,%lu,", x.rank[1]);
    assert_non_null(strstr(csv, line));
    snprintf(line, sizeof line, "\nunranked,,,%lu,", x.unranked);
    assert_non_null(strstr(csv, line));
    unlink(path);
    snprintf(path, sizeof path, "%s/web_summary.csv", dir);
    csv = slurp(path);
    snprintf(line, sizeof line, "\nsites,%lu\r\n", x.sites);
    assert_non_null(strstr(csv, line));
    unlink(path);
    static const char *others[] = {"web_categories", "web_providers", "web_kinds", "web_campaigns"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, others[i]);
        assert_int_equal(access(path, R_OK), 0);
        unlink(path);
    }
    rmdir(dir);
    mt_buf_free(&b);
    mt_rdoc_free(&d);
    mt_store_web_summary_free(&w);
}

/* The command: the section appears with web findings, --rank-intervals
 * sets the intervals, bad lists are usage errors, and a store without web
 * findings gives no "web" member. */
static int run(const char *args, char *out, size_t cap)
{
    const char *bin = getenv("MT_BIN");
    if (!bin) skip();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s report --db %s %s 2>&1", bin, db, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void **state)
{
    (void)state;
    static char out[1 << 20];
    assert_int_equal(run("--json --rank-intervals 5000,20000", out, sizeof out), 1); /* findings: 1 */
    json_t *root = json_loads(out, 0, NULL);
    if (!root) print_message("%s\n", out);
    assert_non_null(root);
    json_t *ranks = member(member(root, "web"), "ranks");
    assert_int_equal(json_array_size(ranks), 4);
    assert_string_equal(json_string_value(member(json_array_get(ranks, 1), "interval")), "5k-20k");
    json_decref(root);
    assert_int_equal(run("--rank-intervals 100,100", out, sizeof out), 2);
    assert_non_null(strstr(out, "must increase"));
    assert_int_equal(run("--rank-intervals 10,x", out, sizeof out), 2);
    assert_int_equal(run("--rank-intervals 0", out, sizeof out), 2);
    assert_int_equal(run("", out, sizeof out), 1);
    assert_non_null(strstr(out, "Website cryptojacking"));

    /* no web findings: no section */
    teardown(NULL);
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_store_close(s);
    assert_int_equal(run("--json", out, sizeof out), 0);
    root = json_loads(out, 0, NULL);
    assert_non_null(root);
    assert_null(json_object_get(root, "web"));
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_csv_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
