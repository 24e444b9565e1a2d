/* The botnet study's report section (report/sections_botnet.c) on the
 * hand-built records of tests/unit/botnet_fixture.h: every renderer shows
 * the numbers worked out there; attacker text is escaped in HTML, defused
 * in CSV and made safe in the terminal; `minetrace report` adds the
 * section only when the store holds campaigns and leaves the traffic
 * report as it was. */
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
#include "unit/botnet_fixture.h"

static char db[256];

static void put_records(void)
{
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_campaign c[3];
    mt_botsource src[2];
    mt_credstat cr[4];
    bf_campaigns(c);
    bf_sources(src);
    bf_credentials(cr);
    for (int i = 0; i < 3; i++) assert_int_equal(mt_store_put_campaign(s, &c[i]), MT_OK);
    for (int i = 0; i < 2; i++) assert_int_equal(mt_store_put_botsource(s, &src[i]), MT_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(mt_store_put_credstat(s, &cr[i]), MT_OK);
    mt_store_close(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/mt_test_report_botnet_%d.db", (int)getpid());
    unlink(db);
    put_records();
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

static void summary(size_t top, mt_store_botnet_summary *b)
{
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db, &ro);
    assert_non_null(s);
    mt_store_botnet_query q = {0, 0, top, top, top, {NULL, 0}};
    assert_int_equal(mt_store_botnet_summary_get(s, &q, b), MT_OK);
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
static const char *jstr(json_t *o, const char *k) { return json_string_value(member(o, k)); }

static void doc_of(const mt_store_botnet_summary *b, mt_rdoc *d)
{
    mt_rdoc_init(d);
    mt_rsection *o = mt_rdoc_section(d, "overview", NULL, NULL); /* for the cards */
    o->json = MT_RJ_INLINE;
    mt_rb_highlights(d, &o->box);
    mt_sec_botnet(b, d);
}

static void test_json(void **state)
{
    (void)state;
    mt_store_botnet_summary b;
    summary(0, &b);
    mt_rdoc d;
    doc_of(&b, &d);
    mt_buf out;
    mt_buf_init(&out);
    mt_render_json(&d, &out);
    json_error_t e;
    json_t *root = json_loadb(out.p, out.len, 0, &e);
    if (!root) print_message("%s\n%.*s\n", e.text, (int)out.len, out.p);
    assert_non_null(root);
    json_t *bo = member(root, "botnet");
    json_t *t = member(bo, "totals");
    assert_int_equal(jint(t, "campaigns"), 3);
    assert_int_equal(jint(t, "mining_campaigns"), 2);
    assert_int_equal(jint(t, "zombies"), 4);
    assert_int_equal(jint(t, "members"), 5);
    assert_int_equal(jint(t, "attack_sources"), 2);
    assert_string_equal(jstr(t, "peak_day"), "2023-11-16");
    assert_int_equal(jint(t, "peak_active"), 4);
    assert_int_equal(jint(t, "scanned"), 4);
    assert_int_equal(jint(t, "port22_open"), 3);
    assert_true(json_real_value(member(t, "port22_share")) == 0.75);
    assert_int_equal(jint(t, "iot"), 1);
    assert_int_equal(jint(t, "iot_unknown"), 3);
    assert_true(json_real_value(member(t, "iot_share")) == 0.5);
    assert_int_equal(jint(t, "geo_unknown"), 1);
    assert_int_equal(jint(t, "countries"), 2);
    assert_int_equal(jint(t, "credentials"), 4);

    json_t *c = member(bo, "campaigns");
    assert_int_equal(json_array_size(c), 3);
    json_t *a = json_array_get(c, 0);
    assert_string_equal(jstr(a, "id"), "c-00000000000000a1");
    assert_string_equal(jstr(a, "family"), "outlaw");
    assert_true(json_is_true(member(a, "mining")));
    assert_int_equal(jint(a, "sources"), 3);
    assert_int_equal(jint(a, "sessions"), 10);
    assert_string_equal(jstr(a, "first_seen"), "2023-11-15");
    assert_string_equal(jstr(a, "last_seen"), "2023-11-16");
    assert_int_equal(jint(a, "peak_active"), 3);
    assert_string_equal(jstr(a, "marker_type"), "key");
    assert_string_equal(jstr(a, "marker"), "SHA256:XqGq8dD+abcdef mdrfckr");
    assert_string_equal(jstr(json_array_get(c, 1), "marker"), BF_HOSTILE_DECODED);
    assert_true(json_is_false(member(json_array_get(c, 2), "mining")));

    /* Every day from the first to the last, the peak marked. */
    json_t *days = member(bo, "days");
    assert_int_equal(json_array_size(days), 4);
    static const char *const dn[] = {"2023-11-15", "2023-11-16", "2023-11-17", "2023-11-18"};
    static const int dv[] = {2, 4, 0, 2};
    for (int i = 0; i < 4; i++) {
        json_t *r = json_array_get(days, (size_t)i);
        assert_string_equal(jstr(r, "day"), dn[i]);
        assert_int_equal(jint(r, "active"), dv[i]);
        assert_true(json_is_true(member(r, "peak")) == (i == 1));
        assert_null(json_object_get(r, "peak_bar")); /* chart data only */
    }
    json_t *cc = member(bo, "countries");
    assert_int_equal(json_array_size(cc), 3);
    assert_string_equal(jstr(json_array_get(cc, 0), "country"), "CN");
    assert_int_equal(jint(json_array_get(cc, 0), "sources"), 3);
    assert_true(json_real_value(member(json_array_get(cc, 0), "share")) == 0.6);
    assert_string_equal(jstr(json_array_get(cc, 2), "country"), "(no GeoIP answer)");
    assert_int_equal(jint(json_array_get(cc, 2), "sources"), 1);
    json_t *x = member(bo, "exposure");
    assert_int_equal(json_array_size(x), 3);
    assert_string_equal(jstr(json_array_get(x, 1), "figure"), "IoT device");
    assert_int_equal(jint(json_array_get(x, 1), "count"), 1);
    assert_int_equal(jint(json_array_get(x, 1), "of"), 2);
    assert_int_equal(jint(json_array_get(x, 1), "unknown"), 3);
    json_t *cr = member(bo, "credentials");
    assert_int_equal(json_array_size(cr), 4);
    assert_string_equal(jstr(json_array_get(cr, 0), "username"), "nproc");
    assert_int_equal(jint(json_array_get(cr, 0), "days"), 80);
    assert_int_equal(jint(json_array_get(cr, 0), "attempts"), 80);
    assert_string_equal(jstr(json_array_get(cr, 3), "password"), BF_PASS_HOSTILE);
    assert_null(json_object_get(json_array_get(cr, 0), "rank"));
    json_decref(root);
    mt_buf_free(&out);
    mt_rdoc_free(&d);
    mt_store_botnet_summary_free(&b);
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
    mt_store_botnet_summary b;
    summary(3, &b);
    mt_rdoc d;
    doc_of(&b, &d);
    mt_buf out;
    mt_buf_init(&out);
    mt_render_text(&d, &out);
    mt_buf_putc(&out, '\0');
    assert_non_null(strstr(out.p, "3 campaigns, 2 of them mining, with 4 zombies; peak 4 active on 2023-11-16."));
    assert_non_null(strstr(out.p, "Port 22 open on 3 of 4 scanned members (75.0%); 1 not scanned."));
    assert_non_null(strstr(out.p, "IoT devices: 1 of 2 members with device evidence (50.0%); 3 without any."));
    assert_non_null(strstr(out.p, "(1 more)")); /* credentials cut to 3 of 4 */
    assert_null(strchr(out.p, '\x1b'));       /* terminal escapes never reach the terminal */
    assert_null(strstr(out.p, "\xff"));
    mt_buf_reset(&out);

    mt_render_html(&d, &out);
    mt_buf_putc(&out, '\0');
    const char *h = out.p;
    assert_non_null(strstr(h, "id=\"chart-botnet-days\""));
    assert_non_null(strstr(h, "class=\"bar2\"")); /* the peak */
    assert_non_null(strstr(h, "peak 2023-11-16: 4"));
    assert_non_null(strstr(h, "id=\"chart-botnet-countries\""));
    assert_non_null(strstr(h, "id=\"t-botnet-campaigns\""));
    assert_non_null(strstr(h, "id=\"t-botnet-credentials\""));
    assert_non_null(strstr(h, "id=\"k-botnet-zombies\">4<"));
    assert_non_null(strstr(h, "id=\"k-botnet-port22\">75.0%<"));
    assert_non_null(strstr(h, "id=\"k-botnet-iot\">50.0%<"));
    assert_null(strstr(h, "<script>"));
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "<b>"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)"));
    mt_buf_reset(&out);

    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s.csv", db);
    assert_int_equal(mt_render_csv(&d, dir), MT_OK);
    snprintf(path, sizeof path, "%s/botnet_summary.csv", dir);
    char *csv = slurp(path);
    assert_non_null(strstr(csv, "\nzombies,4\r\n"));
    assert_non_null(strstr(csv, "\npeak_day,2023-11-16\r\n"));
    assert_non_null(strstr(csv, "\nport22_share,0.75\r\n"));
    unlink(path);
    snprintf(path, sizeof path, "%s/botnet_days.csv", dir);
    csv = slurp(path);
    static const char want_days[] =
        "day,active,peak\r\n2023-11-15,2,false\r\n2023-11-16,4,true\r\n2023-11-17,0,false\r\n";
    if (strncmp(csv, want_days, sizeof want_days - 1)) print_message("%s\n", csv);
    assert_int_equal(strncmp(csv, want_days, sizeof want_days - 1), 0);
    unlink(path);
    snprintf(path, sizeof path, "%s/botnet_campaigns.csv", dir);
    csv = slurp(path);
    /* Formula text is defused: a leading = gets a quote. */
    assert_non_null(strstr(csv, ",\"'=cmd|"));
    assert_null(strstr(csv, ",=cmd"));
    unlink(path);
    snprintf(path, sizeof path, "%s/botnet_credentials.csv", dir);
    csv = slurp(path);
    assert_non_null(strstr(csv, "\n1,nproc,nproc,80,2,80,2023-11-15,2023-11-18\r\n"));
    unlink(path);
    static const char *others[] = {"botnet_countries", "botnet_exposure"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, others[i]);
        assert_int_equal(access(path, R_OK), 0);
        unlink(path);
    }
    rmdir(dir);

    /* The hostile credential is at rank 4: defused in its own file. */
    mt_store_botnet_summary_free(&b);
    mt_rdoc_free(&d);
    summary(0, &b);
    doc_of(&b, &d);
    assert_int_equal(mt_render_csv(&d, dir), MT_OK);
    snprintf(path, sizeof path, "%s/botnet_credentials.csv", dir);
    csv = slurp(path);
    assert_non_null(strstr(csv, "\n4,\"'@SUM(1+1)*cmd|<b>\","));
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    mt_buf_free(&out);
    mt_rdoc_free(&d);
    mt_store_botnet_summary_free(&b);
}

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

/* The command: with campaigns the section follows the traffic report,
 * which stays exactly as it was without them; mining campaigns make the
 * exit status 1. */
static void test_cli(void **state)
{
    (void)state;
    static char out[1 << 20], before[1 << 20];
    teardown(NULL);
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_finding f;
    mt_finding_init(&f);
    f.ts = BF_T(16, 5);
    mt_addr_parse("10.0.0.5", &f.src);
    mt_addr_parse("192.0.2.1", &f.dst);
    f.src_port = 50000;
    f.dst_port = 3333;
    f.ipproto = 6;
    f.kind = MT_KIND_STRATUM;
    mt_strlcpy(f.pool, "pool.supportxmr.com", sizeof f.pool);
    mt_strlcpy(f.family, "monero-miner", sizeof f.family);
    f.confidence = 95;
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_close(s);
    assert_int_equal(run("", before, sizeof before), 1);
    assert_null(strstr(before, "botnet"));
    put_records();
    assert_int_equal(run("", out, sizeof out), 1);
    size_t nb = strlen(before);
    assert_int_equal(strncmp(out, before, nb), 0); /* the traffic report, unchanged */
    assert_non_null(strstr(out + nb, "== Cryptomining botnets (honeypot and brute-force logs) =="));
    assert_int_equal(run("--json", out, sizeof out), 1);
    json_t *root = json_loads(out, 0, NULL);
    if (!root) print_message("%s\n", out);
    assert_non_null(root);
    assert_int_equal(jint(member(member(root, "botnet"), "totals"), "zombies"), 4);
    json_decref(root);
    /* --top cuts the tables, --from/--to the campaigns. */
    assert_int_equal(run("--json --top 1 --from 2023-11-17", out, sizeof out), 1);
    root = json_loads(out, 0, NULL);
    assert_non_null(root);
    json_t *bo = member(root, "botnet");
    assert_int_equal(jint(member(bo, "totals"), "campaigns"), 1);
    assert_int_equal(json_array_size(member(bo, "credentials")), 1);
    assert_string_equal(jstr(json_array_get(member(bo, "campaigns"), 0), "id"), "c-00000000000000b2");
    json_decref(root);

    /* Campaigns only, none mining: the section, and exit status 0. */
    teardown(NULL);
    s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_campaign c[3];
    bf_campaigns(c);
    assert_int_equal(mt_store_put_campaign(s, &c[2]), MT_OK);
    mt_store_close(s);
    assert_int_equal(run("", out, sizeof out), 0);
    assert_non_null(strstr(out, "1 campaigns, 0 of them mining, with 0 zombies; peak 0 active on -."));

    /* Credentials only (daily aggregates): the section with its list. */
    teardown(NULL);
    s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_credstat cr[4];
    bf_credentials(cr);
    assert_int_equal(mt_store_put_credstat(s, &cr[1]), MT_OK);
    mt_store_close(s);
    assert_int_equal(run("--json", out, sizeof out), 0);
    root = json_loads(out, 0, NULL);
    assert_non_null(root);
    bo = member(root, "botnet");
    assert_int_equal(jint(member(bo, "totals"), "campaigns"), 0);
    assert_int_equal(jint(json_array_get(member(bo, "credentials"), 0), "days"), 80);
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
