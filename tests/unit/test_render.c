/* Tests of the report document model (report/section.h) and of the four
 * renderers on a synthetic document that no analysis produces: every block
 * kind, every value type, per-format views, hostile strings. The renderers
 * must draw it without knowing what it is. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report/render.h"
#include "report/section.h"
#include "report/svg.h"

/* A synthetic document: every block kind, every value type, hostile text. */
#define HOSTILE "<b>\"x'&\x1b[2J\xff"
static void build_demo(mt_rdoc *d)
{
    char tmp[64];
    mt_rdoc_titles(d, "Demo <report>", "demo & co", "from a to b", "range");
    /* An untitled section holding the key-figure cards of every section. */
    mt_rsection *o = mt_rdoc_section(d, "overview", NULL, NULL);
    o->json = MT_RJ_INLINE;
    mt_rb_highlights(d, &o->box);
    mt_rsection *s = mt_rdoc_section(d, "demo", "Demo", "It's a <note>");
    mt_rb_heading(d, &s->box, MT_RF_ALL, "Sub " HOSTILE);
    mt_rblock *p = mt_rb_para(d, &s->box, MT_RF_ALL, NULL);
    mt_rb_span(d, p, "seen ", 0, NULL);
    mt_rb_span(d, p, "42", 0, "k-x");
    mt_rb_span(d, p, " by abcdefgh", 6, NULL);
    mt_rblock *kv = mt_rb_kv(d, &s->box, MT_RF_ALL, "demo_kv");
    strcpy(tmp, HOSTILE);
    mt_rkv_text(d, kv, MT_RF_ALL, "name", tmp);
    strcpy(tmp, "overwritten");  /* the document kept its own copy */
    mt_rkv_count(d, kv, MT_RF_ALL, "n", 1234567);
    mt_rkv_share(d, kv, MT_RF_TEXT | MT_RF_JSON, "s", 0.5);
    mt_rkv_share(d, kv, MT_RF_JSON | MT_RF_CSV, "undef", NAN);
    mt_rkv_bool(d, kv, MT_RF_JSON | MT_RF_CSV, "ok", 1);
    mt_rkv_ms(d, kv, MT_RF_JSON, "ms", 1.25);
    mt_rkv_int(d, kv, MT_RF_JSON, "neg", -3);
    mt_rblock *kv2 = mt_rb_kv(d, &s->box, MT_RF_CSV, "demo_kv");
    mt_rkv_count(d, kv2, MT_RF_CSV, "more", 7);
    mt_rblock *ch = mt_rb_chart(d, &s->box, MT_RCHART_HBARS, "chart-demo", "Demo bars");
    mt_rblock *g = mt_rb_group(d, &s->box, MT_RF_ALL, "things", 0);
    mt_rtable *t = &mt_rb_table(d, &g->box, MT_RF_ALL, "rows", "demo_rows", "t-demo")->table;
    int c_name = mt_rt_col(d, t, "name", MT_RT_TEXT, 6);
    int c_n = mt_rt_col(d, t, "n", MT_RT_COUNT, 9);
    int c_sh = mt_rt_col(d, t, "share", MT_RT_SHARE, 6);
    int c_f = mt_rt_col(d, t, "f", MT_RT_FLOAT, 6);
    mt_rt_col_format(t, c_f, 2, 0);
    int c_p = mt_rt_col(d, t, "p", MT_RT_FLOAT, 8);
    mt_rt_col_format(t, c_p, 3, MT_RCF_G);
    mt_rt_col_label(d, t, c_p, "p-value", "<i>p</i>");
    mt_rt_col(d, t, "day", MT_RT_DATE, 10);
    int c_lag = mt_rt_col(d, t, "lag", MT_RT_INT, 4);
    mt_rt_col_format(t, c_lag, 0, MT_RCF_SIGN);
    mt_rt_view(t, MT_RF_TEXT | MT_RF_HTML, "name n share f p lag");
    mt_rt_view(t, MT_RF_CSV, "day name n");
    mt_rt_text(d, t, "abcdefgh");
    mt_rt_count(t, 1234567);
    mt_rt_share(t, 0.123);
    mt_rt_float(t, 3.14159);
    mt_rt_float(t, 0.000123);
    mt_rt_date(t, 17557);
    mt_rt_int(t, 3);
    mt_rt_text(d, t, "=1+2");
    mt_rt_count(t, 0);
    mt_rt_share(t, NAN);
    mt_rt_null(t);
    mt_rt_float(t, NAN);
    mt_rt_date(t, 0);
    mt_rt_int(t, -2);
    t->more = 5;
    ch->chart.t = t;
    ch->chart.label_col = c_name;
    ch->chart.value_col = c_n;
    ch->chart.note_col = c_sh;
    mt_rsec_highlight(d, s, "k-demo", "demo " HOSTILE, "1 <2>");
    mt_rtable *e = &mt_rb_table(d, &s->box, MT_RF_ALL, "empty", "demo_empty", NULL)->table;
    mt_rt_col(d, e, "x", MT_RT_TEXT, 3);
    e->show_empty = 1;

    mt_rsection *s2 = mt_rdoc_section(d, "series", "Series", NULL);
    s2->json = MT_RJ_VALUE;
    s2->title_fmt = MT_RF_HTML;
    mt_rblock *list = mt_rb_group(d, &s2->box, MT_RF_ALL, "list", 1);
    for (int i = 0; i < 2; i++) {
        mt_rblock *item = mt_rb_group(d, &list->box, MT_RF_ALL, NULL, 0);
        mt_rkv_count(d, mt_rb_kv(d, &item->box, MT_RF_JSON, NULL), MT_RF_JSON, "i", (uint64_t)i);
    }
    mt_rblock *tc = mt_rb_chart(d, &s2->box, MT_RCHART_TIME, "chart-time", "Over time");
    mt_rtable *tt = &mt_rb_table(d, &s2->box, 0, NULL, NULL, NULL)->table;
    mt_rt_col(d, tt, "label", MT_RT_TEXT, 0);
    mt_rt_col(d, tt, "start", MT_RT_DATE, 0);
    mt_rt_col(d, tt, "v", MT_RT_COUNT, 0);
    for (int i = 0; i < 3; i++) {
        mt_rt_text(d, tt, i == 1 ? "<w2>" : "w");
        mt_rt_date(tt, 17532 + 7 * i);
        mt_rt_count(tt, (uint64_t)(10 * i + 5));
    }
    tc->chart.t = tt;
    tc->chart.xcol = 1;
    tc->chart.label_col = 0;
    mt_rchart_series(d, &tc->chart, tt, 1, 2, MT_RS_BAR, MT_RAXIS_LEFT, "events")->at_mid = 1;
    mt_rseries *own = mt_rchart_series(d, &tc->chart, tt, 1, 2, MT_RS_LINE, MT_RAXIS_OWN, HOSTILE "long label");
    own->label_max = 5;

    mt_rsection *s3 = mt_rdoc_section(d, "meta", NULL, NULL);
    s3->json = MT_RJ_INLINE;
    mt_rkv_text(d, mt_rb_kv(d, &s3->box, MT_RF_JSON, NULL), MT_RF_JSON, "version", "1");
}

static const char *EXPECT_TEXT =
    "\n== Demo ==\n"
    "It's a <note>\n"
    "\n== Sub <b>\"x'&?[2J? ==\n"
    "seen 42 by a~\n"
    "name: <b>\"x'&?[2J?\n"
    "n: 1,234,567\n"
    "s: 50.0%\n"
    "name            n   share       f   p-value   lag\n"
    "abcde~  1,234,567   12.3%    3.14  0.000123    +3\n"
    "=1+2            0       -       -         -    -2\n"
    "(5 more)\n"
    "(none)\n";

static const char *EXPECT_JSON =
    "{\"demo\":{\"name\":\"<b>\\\"x'&\\u001b[2J\\ufffd\",\"n\":1234567,\"s\":0.5,\"undef\":null,"
    "\"ok\":true,\"ms\":1.2,\"neg\":-3,\"things\":{\"rows\":[{\"name\":\"abcdefgh\",\"n\":1234567,"
    "\"share\":0.123,\"f\":3.14159,\"p\":0.000123,\"day\":\"2018-01-26\",\"lag\":3},{\"name\":\"=1+2\","
    "\"n\":0,\"share\":null,\"f\":null,\"p\":null,\"day\":\"1970-01-01\",\"lag\":-2}]},\"empty\":[]},"
    "\"series\":[{\"i\":0},{\"i\":1}],\"version\":\"1\"}\n";

static void test_text(void **state)
{
    (void)state;
    mt_rdoc d;
    mt_rdoc_init(&d);
    build_demo(&d);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_text(&d, &b);
    assert_string_equal(mt_buf_cstr(&b), EXPECT_TEXT);
    mt_buf_free(&b);
    mt_rdoc_free(&d);
}

static void test_json(void **state)
{
    (void)state;
    mt_rdoc d;
    mt_rdoc_init(&d);
    build_demo(&d);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_json(&d, &b);
    assert_string_equal(mt_buf_cstr(&b), EXPECT_JSON);
    mt_buf_free(&b);
    mt_rdoc_free(&d);
}

static void test_html(void **state)
{
    (void)state;
    mt_rdoc d;
    mt_rdoc_init(&d);
    build_demo(&d);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_html(&d, &b);
    const char *h = mt_buf_cstr(&b);
    assert_null(strstr(h, "\x1b"));
    assert_null(strstr(h, "<b>\"x"));
    assert_null(strstr(h, "<w2>"));
    assert_non_null(strstr(h, "<title>demo &amp; co</title>"));
    /* Cards of every section's highlights, escaped. */
    assert_non_null(strstr(h, "<h1>Demo &lt;report&gt;</h1><p class=\"sub\" id=\"range\">from a to b</p>\n"
                              "<section id=\"summary\"><div class=\"cards\"><div class=\"card\"><div "
                              "class=\"v\" id=\"k-demo\">1 &lt;2&gt;</div><div class=\"k\">demo &lt;b&gt;"
                              "&quot;x&#39;&amp;&#xfffd;[2J&#xfffd;</div></div></div></section>\n"));
    assert_non_null(strstr(h, "<section id=\"demo\"><h2>Demo</h2><p class=\"note\">It's a &lt;note&gt;</p>"
                              "<h3>Sub &lt;b&gt;&quot;x&#39;&amp;&#xfffd;[2J&#xfffd;</h3>"
                              "<p class=\"note\">seen <b id=\"k-x\">42</b> by abcdefgh</p>"));
    /* Only the items shown in HTML. */
    assert_non_null(strstr(h, "<table class=\"kv\"><tr><th>name</th><td>&lt;b&gt;&quot;x&#39;&amp;&#xfffd;"
                              "[2J&#xfffd;</td></tr><tr><th>n</th><td class=\"n\">1,234,567</td></tr></table>"));
    assert_non_null(strstr(h, "<table id=\"t-demo\"><tr><th>name</th><th class=\"n\">n</th><th class=\"n\">"
                              "share</th><th class=\"n\">f</th><th class=\"n\"><i>p</i></th><th class=\"n\">"
                              "lag</th></tr><tr><td>abcdefgh</td><td class=\"n\">1,234,567</td><td class=\"n\">"
                              "12.3%</td><td class=\"n\">3.14</td><td class=\"n\">0.000123</td><td class=\"n\">"
                              "+3</td></tr><tr><td>=1+2</td><td class=\"n\">0</td><td class=\"n\">-</td><td "
                              "class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-2</td></tr></table>"
                              "<p class=\"note\">5 more not shown.</p>"));
    assert_non_null(strstr(h, "<tr><td colspan=\"1\" class=\"muted\">none</td></tr>"));
    /* Bars from the table's columns: label, value, share as the note. */
    assert_non_null(strstr(h, "<svg id=\"chart-demo\""));
    assert_non_null(strstr(h, "class=\"lab\" text-anchor=\"end\">abcdefgh</text><rect x=\"230\" y=\"33\" "
                              "width=\"434.6\" height=\"16\" class=\"bar\"/><text x=\"669.6\" y=\"45\" "
                              "class=\"val\">12.3%</text>"));
    /* The time chart: three weekly bars, tick labels escaped, the own-scale
     * line on the right axis with its label cut to 5 code points. */
    const char *tc = strstr(h, "<svg id=\"chart-time\"");
    assert_non_null(tc);
    assert_non_null(strstr(tc, "<rect x=\"91.50\" y=\"240.00\" width=\"243.67\" height=\"50.00\" class=\"bar\"/>"));
    assert_non_null(strstr(tc, "text-anchor=\"middle\">&lt;w2&gt;</text>"));
    assert_non_null(strstr(tc, "<polyline class=\"pl\" stroke=\"#c0392b\" points=\"70.0,240.0 356.7,140.0 "
                               "643.3,40.0 \"/>"));
    assert_non_null(strstr(tc, "class=\"tick\">&lt;b&gt;&quot;x\xe2\x80\xa6 (right axis)</text></svg>"));
    /* The "series" section has no table or paragraph in HTML: only its chart. */
    assert_non_null(strstr(h, "<section id=\"series\"><h2>Series</h2><svg id=\"chart-time\""));
    assert_non_null(strstr(h, "</svg>\n</section>\n</body></html>\n"));
    mt_buf_free(&b);
    mt_rdoc_free(&d);
}

static size_t count_of(const char *h, const char *needle)
{
    size_t n = 0;
    for (const char *p = h; (p = strstr(p, needle)); p++) n++;
    return n;
}

/* The activity chart's axes: hosts and every price series get an axis of
 * their own, labelled, on the right; a log axis keeps a busy period from
 * flattening the rest. */
static void test_time_axes(void **state)
{
    (void)state;
    int64_t start[4] = {17532, 17563, 17591, 17622};
    const char *labels[4] = {"2018-01", "2018-02", "2018-03", "2018-04"};
    double findings[4] = {1, 0, 1000, 3}, hosts[4] = {1, 0, 4, 2};
    double p1[4] = {100, 200, 300, 400}, p2[4] = {0.5, 1, 1.5, 2};
    mt_svg_series s[4] = {
        {findings, NULL, 4, 1, 0, "mining findings", 0, NULL, 1, NULL},
        {hosts, NULL, 4, 0, 1, "distinct mining hosts", 0, NULL, 1, "hosts"},
        {p1, NULL, 4, 0, 1, "btc", 0, " price", 0, NULL},
        {p2, NULL, 4, 0, 1, "<xmr>long name", 6, " price", 0, NULL},
    };
    mt_buf b;
    mt_buf_init(&b);
    mt_svg_time(&b, "c", "alt", "Mining findings per month", start, labels, 4, 31, s, 4);
    const char *h = mt_buf_cstr(&b);
    assert_non_null(strstr(h, ">Mining findings per month (log scale)</text>"));
    /* Left log axis: 0, 1, 10, 100, 1000 over 1 + v; 1000 fills the plot
     * (T = 40, height 250), 1 stands at log(2)/log(1001) of it. */
    for (int t = 0; t < 5; t++) {
        static const char *tick[] = {">0<", ">1<", ">10<", ">100<", ">1000<"};
        assert_non_null(strstr(h, tick[t]));
    }
    assert_non_null(strstr(h, "y=\"40.00\" width=\"") );
    assert_non_null(strstr(h, "height=\"25.08\" class=\"bar\""));
    /* Three own axes, side by side right of the plot (R = 6 + 3 x 64). */
    assert_int_equal(count_of(h, "<g class=\"yaxis\">"), 3);
    assert_non_null(strstr(h, "<g class=\"yaxis\"><line x1=\"810.0\" y1=\"40\" x2=\"810.0\" y2=\"290.0\" "
                              "stroke=\"#c0392b\"/><text x=\"810.0\" y=\"34\" class=\"tick\" "
                              "fill=\"#c0392b\">hosts (log)</text>"));
    assert_non_null(strstr(h, "<line x1=\"874.0\" y1=\"40\" x2=\"874.0\" y2=\"290.0\" stroke=\"#8e44ad\"/>"
                              "<text x=\"874.0\" y=\"34\" class=\"tick\" fill=\"#8e44ad\">btc</text>"));
    /* The second price series has its axis too: title escaped and cut,
     * ticks 0..2 in its colour. */
    assert_non_null(strstr(h, "<line x1=\"938.0\" y1=\"40\" x2=\"938.0\" y2=\"290.0\" stroke=\"#b8860b\"/>"
                              "<text x=\"938.0\" y=\"34\" class=\"tick\" fill=\"#b8860b\">&lt;xmr&gt;lon\xe2\x80\xa6"
                              "</text>"));
    assert_non_null(strstr(h, "<text x=\"942.0\" y=\"44.0\" class=\"tick\" fill=\"#b8860b\">2</text>"));
    assert_null(strstr(h, "(scaled)"));
    assert_int_equal(count_of(h, " (right axis)</text>"), 3);
    /* Linear: no log word, hosts still on their own axis. */
    s[0].log = s[1].log = 0;
    mt_buf_reset(&b);
    mt_svg_time(&b, "c", "alt", "Mining findings per month", start, labels, 4, 31, s, 2);
    h = mt_buf_cstr(&b);
    assert_null(strstr(h, "log"));
    assert_int_equal(count_of(h, "<g class=\"yaxis\">"), 1);
    assert_non_null(strstr(h, "fill=\"#c0392b\">hosts</text>"));
    mt_buf_free(&b);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_csv(void **state)
{
    (void)state;
    char dir[256], p[512];
    snprintf(dir, sizeof dir, "/tmp/mt_test_render_%d", (int)getpid());
    mt_rdoc d;
    mt_rdoc_init(&d);
    build_demo(&d);
    assert_int_equal(mt_render_csv(&d, dir), MT_OK);
    /* Consecutive key/value blocks with one name share a file. */
    snprintf(p, sizeof p, "%s/demo_kv.csv", dir);
    assert_string_equal(slurp(p), "key,value\r\nname,\"<b>\"\"x'& [2J\xef\xbf\xbd\"\r\nn,1234567\r\n"
                                  "undef,\r\nok,true\r\nmore,7\r\n");
    /* The CSV view: its own columns and order; formulas defused. */
    snprintf(p, sizeof p, "%s/demo_rows.csv", dir);
    assert_string_equal(slurp(p), "day,name,n\r\n2018-01-26,abcdefgh,1234567\r\n1970-01-01,\"'=1+2\",0\r\n");
    snprintf(p, sizeof p, "%s/demo_empty.csv", dir);
    assert_string_equal(slurp(p), "x\r\n");
    /* Nothing else: charts, prose and chart-only tables have no file. */
    DIR *dd = opendir(dir);
    assert_non_null(dd);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dd))) {
        if (e->d_name[0] == '.') continue;
        files++;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(dd);
    rmdir(dir);
    assert_int_equal(files, 3);
    assert_int_not_equal(mt_render_csv(&d, "/proc/version/x"), MT_OK);
    mt_rdoc_free(&d);
}

static void test_model(void **state)
{
    (void)state;
    mt_rdoc d;
    mt_rdoc_init(&d);
    mt_rsection *s = mt_rdoc_section(&d, "big", "Big", NULL);
    mt_rtable *t = &mt_rb_table(&d, &s->box, MT_RF_ALL, "rows", "big", NULL)->table;
    assert_int_equal(mt_rt_col(&d, t, "a", MT_RT_TEXT, 4), 0);
    assert_int_equal(mt_rt_col(&d, t, "b", MT_RT_COUNT, 4), 1);
    assert_int_equal(mt_rt_col(&d, t, "c", MT_RT_INT, 4), 2);
    int cols[MT_RTAB_MAXCOLS];
    /* Default view: every column in declared order, in every format. */
    assert_int_equal(mt_rt_cols_for(t, mt_rf_index(MT_RF_CSV), cols), 3);
    assert_int_equal(cols[2], 2);
    mt_rt_view(t, MT_RF_TEXT | MT_RF_HTML, "c a");
    assert_int_equal(mt_rt_cols_for(t, mt_rf_index(MT_RF_HTML), cols), 2);
    assert_int_equal(cols[0], 2);
    assert_int_equal(cols[1], 0);
    assert_int_equal(mt_rt_cols_for(t, mt_rf_index(MT_RF_JSON), cols), 3);
    /* Many rows and strings larger than an arena chunk. */
    char *huge = malloc(200000);
    memset(huge, 'x', 199999);
    huge[199999] = '\0';
    for (int i = 0; i < 20000; i++) {
        char name[32];
        snprintf(name, sizeof name, "row%d", i);
        mt_rt_text(&d, t, i == 777 ? huge : name);
        mt_rt_count(t, (uint64_t)i);
        mt_rt_int(t, -i);
    }
    free(huge);
    assert_int_equal(t->nrows, 20000);
    assert_string_equal(mt_rt_cell(t, 19999, 0)->v.s, "row19999");
    assert_int_equal(strlen(mt_rt_cell(t, 777, 0)->v.s), 199999);
    assert_true(mt_rt_cell(t, 5, 2)->v.i == -5);
    assert_string_equal(mt_rdoc_printf(&d, "%d-%s", 7, "x"), "7-x");
    /* A short last row: the missing cells are null. */
    mt_rtable *sh = &mt_rb_table(&d, &s->box, MT_RF_JSON, "short", NULL, NULL)->table;
    mt_rt_col(&d, sh, "a", MT_RT_TEXT, 0);
    mt_rt_col(&d, sh, "b", MT_RT_COUNT, 0);
    mt_rt_text(&d, sh, "only a");
    assert_int_equal(sh->nrows, 1);
    assert_true(mt_rt_cell(sh, 0, 1)->null);
    /* Highlights keep section order. */
    mt_rsection *s2 = mt_rdoc_section(&d, "two", NULL, NULL);
    mt_rsec_highlight(&d, s2, "k2", "second", "2");
    mt_rsec_highlight(&d, s, "k1", "first", "1");
    mt_rb_highlights(&d, &s2->box);
    mt_buf b;
    mt_buf_init(&b);
    mt_render_html(&d, &b);
    const char *h = mt_buf_cstr(&b);
    assert_true(strstr(h, "id=\"k1\"") < strstr(h, "id=\"k2\""));
    mt_buf_reset(&b);
    mt_render_text(&d, &b);
    assert_non_null(strstr(mt_buf_cstr(&b), "\n== Big ==\n   c  a   \n   0  row0\n  -1  row1\n"));
    mt_buf_free(&b);
    mt_rdoc_free(&d);
    /* An empty document renders as an empty page / object. */
    mt_rdoc_init(&d);
    mt_buf_init(&b);
    mt_render_json(&d, &b);
    assert_string_equal(mt_buf_cstr(&b), "{}\n");
    mt_buf_reset(&b);
    mt_render_text(&d, &b);
    assert_string_equal(mt_buf_cstr(&b), "");
    mt_buf_free(&b);
    mt_rdoc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text), cmocka_unit_test(test_json), cmocka_unit_test(test_html),
        cmocka_unit_test(test_csv),  cmocka_unit_test(test_model), cmocka_unit_test(test_time_axes),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
