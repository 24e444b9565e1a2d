/* Tests of the report renderers (src/report/): JSON that parses and keeps
 * hostile strings intact, CSV files with RFC 4180 quoting and defused
 * formulas, HTML with every data string escaped and the charts present,
 * terminal output without control bytes, and empty reports. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "analyze/analyze.h"
#include "report/render.h"
#include "report/sections.h"
#include "report/svg.h"

static char dbpath[256], dir[256];

static const char *HOSTILE_POOL = "<script>alert(1)</script>\"'&.pool";
static const char *FORMULA_WALLET = "=HYPERLINK(\"http://x\",\"y\")";
static const char *ESC_AGENT = "XMRig\x1b[2J\x07/6.0\xc2\x9b";
static const char *BAD_UTF8_FAMILY = "fam\xff\xfe<b>";

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, SQLITE_OK);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/mt_test_report_%d.db", (int)getpid());
    snprintf(dir, sizeof dir, "/tmp/mt_test_report_%d.csv", (int)getpid());
    unlink(dbpath);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    exec(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
             "CREATE TABLE findings(id INTEGER PRIMARY KEY, uid INTEGER UNIQUE NOT NULL, ts INTEGER NOT NULL,"
             " day INTEGER NOT NULL, flow_id INTEGER, src_ip TEXT, dest_ip TEXT, src_port INTEGER,"
             " dest_port INTEGER, proto TEXT, event_type TEXT, kind TEXT, protocol TEXT, pool TEXT,"
             " wallet TEXT, worker TEXT, agent TEXT, algo TEXT, family TEXT, confidence INTEGER,"
             " evidence TEXT, source TEXT); CREATE INDEX findings_ts ON findings(ts);");
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO findings(uid, ts, day, src_ip, dest_port,"
        " event_type, kind, pool, wallet, agent, family) VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL), 0);
    for (int i = 0; i < 60; i++) {
        int64_t ts = 1514764800000000LL + (int64_t)i * 5 * 86400000000LL;
        sqlite3_bind_int(st, 1, i + 1);
        sqlite3_bind_int64(st, 2, ts);
        sqlite3_bind_int64(st, 3, ts / 86400000000LL);
        sqlite3_bind_text(st, 4, i % 3 ? "10.0.0.1" : "192.0.2.7", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, i % 4 == 0 ? 443 : 3333);
        sqlite3_bind_text(st, 6, i % 10 ? "mining" : "precursor", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, i % 5 ? "stratum" : "dns", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, HOSTILE_POOL, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, FORMULA_WALLET, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, ESC_AGENT, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, i % 2 ? BAD_UTF8_FAMILY : "monero-miner", -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[600];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    rmdir(dir);
    return 0;
}

static void compute(mt_report *r, mt_period_unit by)
{
    mt_rep_opts o;
    memset(&o, 0, sizeof o);
    o.db_path = dbpath;
    o.by = by;
    assert_int_equal(mt_tz_parse("UTC", &o.tz), MT_OK);
    int rc = mt_report_compute(&o, r);
    if (rc) fprintf(stderr, "%s\n", mt_error_msg());
    assert_int_equal(rc, MT_OK);
}

/* The traffic sections of r, rendered in one format ('t', 'j', 'h'). */
static void render(const mt_report *r, int fmt, mt_buf *b)
{
    mt_rdoc d;
    mt_rdoc_init(&d);
    mt_traffic_sections(r, &d);
    if (fmt == 'j') mt_render_json(&d, b);
    else if (fmt == 'h') mt_render_html(&d, b);
    else mt_render_text(&d, b);
    mt_rdoc_free(&d);
}

static int render_csv(const mt_report *r, const char *to)
{
    mt_rdoc d;
    mt_rdoc_init(&d);
    mt_traffic_sections(r, &d);
    int rc = mt_render_csv(&d, to);
    mt_rdoc_free(&d);
    return rc;
}

static void test_json(void **state)
{
    (void)state;
    mt_report r;
    compute(&r, MT_BY_MONTH);
    mt_buf b;
    mt_buf_init(&b);
    render(&r, 'j', &b);
    json_error_t err;
    json_t *j = json_loads(mt_buf_cstr(&b), 0, &err);
    if (!j) fprintf(stderr, "json: %s at %d\n", err.text, err.position);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "totals"), "findings")), 60);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "totals"), "mining")), 54);
    json_t *pools = json_object_get(json_object_get(json_object_get(j, "top"), "pools"), "rows");
    assert_string_equal(json_string_value(json_object_get(json_array_get(pools, 0), "pool")), HOSTILE_POOL);
    json_t *act = json_object_get(j, "activity");
    assert_int_equal(json_array_size(act), 10); /* 2018-01 .. 2018-10 */
    /* Market without prices: an empty list, not missing. */
    assert_true(json_is_array(json_object_get(j, "market")));
    json_t *ports = json_object_get(j, "ports");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ports, "port_443"), "findings")),
                     (long long)r.p443);
    json_decref(j);
    mt_buf_free(&b);
    mt_report_free(&r);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_csv(void **state)
{
    (void)state;
    mt_report r;
    compute(&r, MT_BY_WEEK);
    assert_int_equal(render_csv(&r, dir), MT_OK);
    static const char *files[] = {"summary.csv", "activity.csv", "families.csv", "kinds.csv",
        "behaviours.csv", "ports.csv", "port_ranges.csv", "victims_sector.csv", "victims_size.csv",
        "market_correlation.csv", "market_monthly.csv", "top_pools.csv", "top_wallets.csv",
        "top_agents.csv", "top_hosts.csv"};
    char p[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        assert_int_equal(access(p, R_OK), 0);
    }
    snprintf(p, sizeof p, "%s/top_wallets.csv", dir);
    char *s = slurp(p);
    assert_non_null(s);
    /* Formula defused with a leading quote, embedded quotes doubled. */
    assert_non_null(strstr(s, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));
    snprintf(p, sizeof p, "%s/activity.csv", dir);
    s = slurp(p);
    assert_non_null(strstr(s, "period,start,findings,hosts\r\n2018-W01,2018-01-01,"));
    snprintf(p, sizeof p, "%s/ports.csv", dir);
    s = slurp(p);
    assert_non_null(strstr(s, ",443,web,"));
    assert_non_null(strstr(s, "1,3333,other,"));
    /* Writing into a path that cannot be a directory fails cleanly. */
    assert_int_not_equal(render_csv(&r, "/proc/version/x"), MT_OK);
    mt_report_free(&r);
}

static void test_html(void **state)
{
    (void)state;
    mt_report r;
    compute(&r, MT_BY_DAY);
    mt_buf b;
    mt_buf_init(&b);
    render(&r, 'h', &b);
    const char *h = mt_buf_cstr(&b);
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "\x1b"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;.pool"));
    assert_non_null(strstr(h, "Content-Security-Policy"));
    assert_non_null(strstr(h, "<svg id=\"chart-activity\""));
    assert_non_null(strstr(h, "<svg id=\"chart-families\""));
    assert_non_null(strstr(h, "<svg id=\"chart-ports\""));
    assert_non_null(strstr(h, "<svg id=\"chart-ranges\""));
    assert_non_null(strstr(h, "<svg id=\"chart-sectors\""));
    assert_non_null(strstr(h, "id=\"k-mining-findings\">54<"));
    assert_non_null(strstr(h, "id=\"k-top-port\">3333<"));
    /* The invalid UTF-8 family is shown with U+FFFD references, its markup escaped. */
    assert_non_null(strstr(h, "fam&#xfffd;&#xfffd;&lt;b&gt;"));
    assert_null(strstr(h, "src=")); /* nothing is loaded from anywhere */
    assert_null(strstr(h, "href="));
    assert_null(strstr(h, "url("));
    /* Activity: findings bars on the left axis, hosts on an axis of their
     * own (not flat on the findings one); even periods: a linear axis. */
    const char *ac = strstr(h, "<svg id=\"chart-activity\"");
    const char *ac_end = strstr(ac, "</svg>");
    const char *hax = strstr(ac, "<g class=\"yaxis\">");
    assert_true(hax && hax < ac_end);
    assert_non_null(strstr(hax, "fill=\"#c0392b\">hosts</text>"));
    assert_true(strstr(ac, "distinct mining hosts (right axis)</text>") < ac_end);
    assert_true(strstr(ac, "(log scale)") == NULL || strstr(ac, "(log scale)") > ac_end);
    /* One period 1000 times busier than the median: log axis (auto). */
    uint64_t keep = r.periods[1].findings;
    r.periods[1].findings = 1000 * (keep ? keep : 1);
    mt_buf_reset(&b);
    render(&r, 'h', &b);
    h = mt_buf_cstr(&b);
    ac = strstr(h, "<svg id=\"chart-activity\"");
    assert_non_null(strstr(ac, " (log scale)</text>"));
    assert_non_null(strstr(ac, ">hosts (log)</text>"));
    /* --chart-scale linear keeps it linear; log forces it on even data. */
    r.chart_scale = MT_SCALE_LINEAR;
    mt_buf_reset(&b);
    render(&r, 'h', &b);
    ac = strstr(mt_buf_cstr(&b), "<svg id=\"chart-activity\"");
    ac_end = strstr(ac, "</svg>");
    assert_true(strstr(ac, "(log scale)") == NULL || strstr(ac, "(log scale)") > ac_end);
    r.periods[1].findings = keep;
    r.chart_scale = MT_SCALE_LOG;
    mt_buf_reset(&b);
    render(&r, 'h', &b);
    assert_non_null(strstr(strstr(mt_buf_cstr(&b), "<svg id=\"chart-activity\""), " (log scale)</text>"));
    mt_buf_free(&b);
    mt_report_free(&r);
}

static void test_text(void **state)
{
    (void)state;
    mt_report r;
    compute(&r, MT_BY_MONTH);
    mt_buf b;
    mt_buf_init(&b);
    render(&r, 't', &b);
    const char *t = mt_buf_cstr(&b);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        assert_true(*p >= 0x20 || *p == '\n');
    assert_non_null(strstr(t, "XMRig?[2J?/6.0?"));
    assert_non_null(strstr(t, "2018-10"));
    assert_non_null(strstr(t, "3333"));
    mt_buf_free(&b);
    mt_report_free(&r);
    /* mt_term_str: cut with '~', invalid bytes as '?'. */
    mt_buf_init(&b);
    mt_term_str(&b, "abcdefghij", 5);
    assert_string_equal(mt_buf_cstr(&b), "abcd~");
    mt_buf_reset(&b);
    mt_term_str(&b, "\xc3\xa9t\xc3\xa9\xff", 0);
    assert_string_equal(mt_buf_cstr(&b), "\xc3\xa9t\xc3\xa9?");
    mt_buf_reset(&b);
    mt_term_str(&b, "ab\xe2\x82", 0); /* truncated sequence */
    assert_string_equal(mt_buf_cstr(&b), "ab??");
    mt_buf_free(&b);
}

static void test_empty(void **state)
{
    (void)state;
    mt_rep_opts o;
    memset(&o, 0, sizeof o);
    o.db_path = dbpath;
    o.by = MT_BY_DAY;
    assert_int_equal(mt_tz_parse("UTC", &o.tz), MT_OK);
    assert_int_equal(mt_date_bound_parse("2030-01-01", &o.tz, 0, &o.from), MT_OK);
    assert_int_equal(mt_date_bound_parse("2030-01-02", &o.tz, 1, &o.to), MT_OK);
    o.has_from = o.has_to = 1;
    mt_report r;
    assert_int_equal(mt_report_compute(&o, &r), MT_OK);
    assert_true(r.empty);
    mt_buf b;
    mt_buf_init(&b);
    render(&r, 't', &b);
    assert_non_null(strstr(mt_buf_cstr(&b), "no findings"));
    mt_buf_reset(&b);
    render(&r, 'j', &b);
    json_t *j = json_loads(mt_buf_cstr(&b), 0, NULL);
    assert_non_null(j);
    json_decref(j);
    mt_buf_reset(&b);
    render(&r, 'h', &b);
    assert_non_null(strstr(mt_buf_cstr(&b), "</html>"));
    mt_buf_free(&b);
    mt_report_free(&r);
}

/* --only: the document has the overview and just the sections asked for. */
static void test_only(void **state)
{
    (void)state;
    mt_rep_opts o;
    memset(&o, 0, sizeof o);
    o.db_path = dbpath;
    o.by = MT_BY_MONTH;
    o.analyses = MT_AN_PORTS | MT_AN_TOP;
    assert_int_equal(mt_tz_parse("UTC", &o.tz), MT_OK);
    mt_report r;
    assert_int_equal(mt_report_compute(&o, &r), MT_OK);
    mt_rdoc d;
    mt_rdoc_init(&d);
    mt_traffic_sections(&r, &d);
    assert_int_equal(d.nsec, 3);
    assert_string_equal(d.sec[0]->id, "summary");
    assert_string_equal(d.sec[1]->id, "ports");
    assert_string_equal(d.sec[2]->id, "top");
    mt_buf b;
    mt_buf_init(&b);
    mt_render_json(&d, &b);
    json_t *j = json_loads(mt_buf_cstr(&b), 0, NULL);
    assert_non_null(j);
    assert_null(json_object_get(j, "activity"));
    assert_null(json_object_get(j, "mix"));
    assert_non_null(json_object_get(j, "ports"));
    assert_non_null(json_object_get(j, "top"));
    json_decref(j);
    /* Without the mix the HTML has no top-family card; the port cards stay. */
    mt_buf_reset(&b);
    mt_render_html(&d, &b);
    assert_null(strstr(mt_buf_cstr(&b), "k-top-family"));
    assert_non_null(strstr(mt_buf_cstr(&b), "id=\"k-top-port\">3333<"));
    assert_null(strstr(mt_buf_cstr(&b), "chart-activity"));
    mt_buf_free(&b);
    mt_rdoc_free(&d);
    mt_report_free(&r);
}

static void test_svg_helpers(void **state)
{
    (void)state;
    double step;
    assert_true(mt_svg_nice(7, &step) == 8 && step == 2);
    assert_true(mt_svg_nice(13, &step) == 15 && step == 5);
    assert_true(mt_svg_nice(230, &step) == 250 && step == 50);
    assert_true(mt_svg_nice(599, &step) == 600 && step == 200);
    assert_true(mt_svg_nice(10, &step) == 10 && step == 2);
    assert_true(mt_svg_nice(0, &step) == 1);
    char n[32];
    mt_svg_num(n, sizeof n, 15000);
    assert_string_equal(n, "15k");
    mt_buf b;
    mt_buf_init(&b);
    mt_svg_label(&b, "<abcdefgh>", 4);
    assert_string_equal(mt_buf_cstr(&b), "&lt;abc\xe2\x80\xa6");
    mt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),  cmocka_unit_test(test_csv),   cmocka_unit_test(test_html),
        cmocka_unit_test(test_text),  cmocka_unit_test(test_empty), cmocka_unit_test(test_only),
        cmocka_unit_test(test_svg_helpers),
    };
    return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
