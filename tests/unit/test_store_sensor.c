/* One store for many sensors (issue 11), SQLite backend: the identity of a
 * finding is (sensor, uid); every query's sensors selection ("S" in
 * docs/STORE.md) gives the numbers of the SQL definitions with `AND sensor
 * IN (...)`; MT_SQ_SENSORS gives the per-sensor rows of their SQL; the
 * version-6 migration from a version-5 store made by minetrace 5
 * (tests/data/store-v5.db) keeps every row and is atomic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "unit/web_fixture.h"

static char db_path[256];

static void unlink_db(const char *p)
{
    char q[512];
    static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "%s%s", p, ext[i]);
        unlink(q);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof db_path, "/tmp/mt_test_store_sensor_%d.db", (int)getpid());
    unlink_db(db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink_db(db_path);
    return 0;
}

static long long scalar(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) print_message("%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Every row of a query as text, one line each (the caller frees it). */
static char *dump(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t len = 0, cap = 1024;
    char *out = malloc(cap);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            size_t n = t ? strlen(t) : 4;
            while (len + n + 3 > cap) out = realloc(out, cap *= 2);
            memcpy(out + len, t ? t : "NULL", n);
            len += n;
            out[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
            out[len] = '\0';
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void exec_on(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc) print_message("sql: %s\n", err);
    sqlite3_free(err);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

#define DAY 86400000000LL
#define T0 1514764800000000LL /* 2018-01-01 */
#define NDAYS 30
#define NF 3000

static const char *const SENSORS[] = {"acme-1", "globex", "", "o'brien \"dmz\""};
static const mt_finding_kind KINDS[] = {MT_KIND_DNS, MT_KIND_STRATUM, MT_KIND_TLS, MT_KIND_HTTP};
static const char *const FAMS[] = {"monero-miner", "wannamine", ""};
static const char *const POOLS[] = {"", "pool.minexmr.com", "xmr.example"};

/* Finding i of a fixed pseudo-random sequence: the same i is the same
 * identity whichever sensor stores it. */
static void finding(int i, mt_finding *f)
{
    uint64_t r = (uint64_t)i * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
    r ^= r >> 29;
    r *= 0xbf58476d1ce4e5b9ULL;
    r ^= r >> 32;
    mt_finding_init(f);
    f->ts = T0 + (int64_t)(r % (uint64_t)(NDAYS * DAY));
    char ip[32];
    snprintf(ip, sizeof ip, "10.0.%d.%d", (int)(r >> 8) % 2, (int)(r >> 12) % 50);
    mt_addr_parse(ip, &f->src);
    mt_addr_parse("192.0.2.7", &f->dst);
    f->src_port = 40000;
    f->dst_port = (uint16_t)((r >> 20) % 3 ? 3333 : 443);
    f->ipproto = 6;
    f->event_type = (r >> 24) % 8 ? MT_EVENT_MINING : MT_EVENT_PRECURSOR;
    f->kind = KINDS[(r >> 28) % 4];
    mt_strlcpy(f->family, FAMS[(r >> 32) % 3], sizeof f->family);
    mt_strlcpy(f->pool, POOLS[(r >> 36) % 3], sizeof f->pool);
    mt_strlcpy(f->agent, (r >> 40) % 2 ? "XMRig/6.16" : "", sizeof f->agent);
    snprintf(f->evidence, sizeof f->evidence, "evidence %d", (int)((r >> 44) % 500));
    f->confidence = 50 + (int)((r >> 50) % 50);
    mt_strlcpy(f->source, "pcap", sizeof f->source);
}

/* Sensor k stores findings [lo_k, hi_k): overlapping ranges, so many
 * identities are stored by two or three sensors. */
static const int LO[] = {0, NF / 3, NF / 2, 2 * NF / 3}, HI[] = {2 * NF / 3, NF, 3 * NF / 4, 3 * NF / 4 + 10};

static void fill(void)
{
    for (int k = 0; k < 4; k++) {
        mt_store_opts o = {MT_STORE_CREATE, SENSORS[k]};
        mt_store *s = mt_store_open(db_path, &o);
        assert_non_null(s);
        mt_finding f;
        for (int i = LO[k]; i < HI[k]; i++) {
            finding(i, &f);
            assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
        }
        mt_store_close(s);
    }
}

/* " AND sensor IN ('a', ...)" for a selection (names quoted for SQL). */
static void in_list(const mt_store_sensors *sel, char *out, size_t cap)
{
    out[0] = '\0';
    if (!sel->n) return;
    size_t len = (size_t)snprintf(out, cap, " AND sensor IN (");
    for (size_t i = 0; i < sel->n; i++) {
        if (i) out[len++] = ',';
        out[len++] = '\'';
        for (const char *p = sel->names[i]; *p; p++) {
            if (*p == '\'') out[len++] = '\'';
            out[len++] = *p;
        }
        out[len++] = '\'';
    }
    out[len++] = ')';
    out[len] = '\0';
    assert_true(len < cap);
}

static void check_groups(const char *sql, const mt_store_group *g, size_t n, int has_hosts)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        size_t i = 0;
        while (i < n && strcmp(g[i].name, k) != 0) i++;
        assert_true(i < n);
        assert_int_equal(g[i].findings, sqlite3_column_int64(st, 1));
        if (has_hosts) assert_int_equal(g[i].hosts, sqlite3_column_int64(st, 2));
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(rows, n);
}

#define RANGE " ts >= 1514937600000000 AND ts < 1517097600000000 " /* days 2 .. 26 */

static void check_selection(mt_store *s, const mt_store_sensors *sel)
{
    char in[512], sql[2048];
    in_list(sel, in, sizeof in);
    mt_store_query q = {T0 + 2 * DAY, T0 + 27 * DAY, MT_SQ_MIX | MT_SQ_PORTS | MT_SQ_SENSORS, {{0}}, *sel};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE" RANGE "%s", in);
    assert_int_equal(sm.findings, scalar(sql));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE" RANGE "AND event_type = 'mining'%s", in);
    assert_int_equal(sm.mining, scalar(sql));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE" RANGE "AND event_type = 'precursor'%s", in);
    assert_int_equal(sm.precursor, scalar(sql));
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT src_ip) FROM findings WHERE" RANGE "%s", in);
    assert_int_equal(sm.nhosts, scalar(sql));
    snprintf(sql, sizeof sql, "SELECT family, count(*), count(DISTINCT src_ip) FROM findings WHERE" RANGE
             "%s GROUP BY family", in);
    check_groups(sql, sm.families, sm.nfamilies, 1);
    snprintf(sql, sizeof sql, "SELECT kind, count(*), count(DISTINCT src_ip) FROM findings WHERE" RANGE
             "%s GROUP BY kind", in);
    check_groups(sql, sm.kinds, sm.nkinds, 1);
    for (int p = 1; p < MT_STORE_NPORTS; p++) {
        if (!sm.port_findings[p] && p != 443 && p != 3333) continue;
        snprintf(sql, sizeof sql, "SELECT count(*) * 1000000 + count(DISTINCT src_ip) FROM findings WHERE" RANGE
                 "AND event_type = 'mining' AND kind <> 'dns' AND dest_port = %d%s", p, in);
        assert_int_equal(scalar(sql), sm.port_findings[p] * 1000000 + sm.port_hosts[p]);
    }
    /* MT_SQ_SENSORS: its SQL, most findings first, then by name. */
    snprintf(sql, sizeof sql,
             "SELECT sensor, count(*), sum(event_type = 'mining'), sum(event_type = 'precursor'),"
             " count(DISTINCT src_ip), count(DISTINCT CASE WHEN event_type = 'mining' THEN src_ip END),"
             " min(ts), max(ts) FROM findings WHERE" RANGE "%s GROUP BY sensor ORDER BY 2 DESC, 1", in);
    char *want = dump(sql);
    size_t len = 0;
    char got[4096];
    got[0] = '\0';
    for (size_t i = 0; i < sm.nsensors; i++) {
        const mt_store_sensor_row *w = &sm.sensors[i];
        len += (size_t)snprintf(got + len, sizeof got - len, "%s|%llu|%llu|%llu|%llu|%llu|%lld|%lld\n", w->sensor,
                                (unsigned long long)w->findings, (unsigned long long)w->mining,
                                (unsigned long long)w->precursor, (unsigned long long)w->hosts,
                                (unsigned long long)w->mining_hosts, (long long)w->first, (long long)w->last);
    }
    assert_string_equal(got, want);
    free(want);
    mt_store_summary_free(&sm);

    /* The same selection without MT_SQ_SENSORS gives the same numbers. */
    mt_store_query q2 = q;
    q2.want = MT_SQ_MIX;
    assert_int_equal(mt_store_summary_get(s, &q2, &sm), MT_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE" RANGE "%s", in);
    assert_int_equal(sm.findings, scalar(sql));
    assert_int_equal(sm.nsensors, 0);
    mt_store_summary_free(&sm);

    mt_store_top t;
    assert_int_equal(mt_store_top_get(s, &q, &t), MT_OK);
    static const char *col[] = {"pool", "wallet", "agent"};
    for (int c = 0; c < 3; c++) {
        snprintf(sql, sizeof sql, "SELECT %s, count(*) FROM findings WHERE" RANGE "AND event_type = 'mining'"
                 " AND %s <> ''%s GROUP BY %s", col[c], col[c], in, col[c]);
        check_groups(sql, t.v[c], t.n[c], 0);
    }
    mt_store_top_free(&t);

    mt_time_us a = 0, b = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE 1%s", in);
    long long n = scalar(sql);
    assert_int_equal(mt_store_time_range(s, sel, &a, &b), n ? 1 : 0);
    if (n) {
        snprintf(sql, sizeof sql, "SELECT min(ts) FROM findings WHERE 1%s", in);
        assert_int_equal(a, scalar(sql));
        snprintf(sql, sizeof sql, "SELECT max(ts) FROM findings WHERE 1%s", in);
        assert_int_equal(b, scalar(sql));
    }

    mt_store_indicator_query iq = {0, 0, 60, *sel};
    mt_store_indicators x;
    assert_int_equal(mt_store_indicators_get(s, &iq, &x), MT_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT pool FROM findings WHERE event_type = 'mining' AND confidence >= 60"
             " AND pool <> ''%s GROUP BY pool)", in);
    long long pools = scalar(sql);
    long long seen = 0;
    for (size_t i = 0; i < x.n; i++) {
        if (x.v[i].type != MT_STORE_IND_POOL) continue;
        seen++;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE event_type = 'mining' AND confidence >= 60"
                 " AND pool = '%s'%s", x.v[i].value, in);
        assert_int_equal(x.v[i].findings, scalar(sql));
    }
    assert_int_equal(seen, pools);
    mt_store_indicators_free(&x);
}

static void test_identity_and_selection(void **state)
{
    (void)state;
    fill();
    /* One row per (sensor, identity). */
    long long rows = 0;
    for (int k = 0; k < 4; k++) rows += HI[k] - LO[k];
    long long per_sensor = scalar("SELECT count(*) FROM (SELECT DISTINCT sensor, uid FROM findings)");
    assert_int_equal(scalar("SELECT count(*) FROM findings"), per_sensor);
    assert_true(per_sensor <= rows);
    assert_true(scalar("SELECT count(*) FROM (SELECT uid FROM findings GROUP BY uid HAVING count(*) > 1)") > 100);
    /* Re-running a sensor is idempotent. */
    char *before = dump("SELECT * FROM findings ORDER BY id");
    fill();
    char *after = dump("SELECT * FROM findings ORDER BY id");
    assert_string_equal(before, after);
    free(before);
    free(after);

    static const char *const one[] = {"globex"};
    static const char *const two[] = {"o'brien \"dmz\"", "acme-1"};
    static const char *const unnamed[] = {""};
    static const char *const none[] = {"nobody"};
    const mt_store_sensors sels[] = {{NULL, 0}, {one, 1}, {two, 2}, {unnamed, 1}, {none, 1}};
    /* Without the analysis indexes (table scans), then with them. */
    for (int pass = 0; pass < 2; pass++) {
        mt_store_opts o = {pass ? 0 : MT_STORE_NO_INDEX, NULL};
        mt_store *s = mt_store_open(db_path, &o);
        assert_non_null(s);
        const char *plan = NULL;
        assert_int_equal(mt_store_prepare(s, MT_SQ_MIX | MT_SQ_TOP, &plan), MT_OK);
        assert_string_equal(plan, pass ? "covering-index" : "table-scan");
        for (size_t i = 0; i < sizeof sels / sizeof sels[0]; i++) check_selection(s, &sels[i]);
        mt_store_close(s);
    }
    /* The index carries the sensor: a selected pass reads it alone. */
    assert_int_equal(scalar("SELECT count(*) FROM sqlite_master WHERE name = 'mt_report_scan'"
                            " AND sql LIKE '%family, sensor)'"), 1);
}

static void test_web_selection(void **state)
{
    (void)state;
    static mt_web_finding set[WEB_MAXF];
    size_t n = web_fixture(set);
    /* "a" stores every finding, "b" the first half: the same evidence
     * under two sensors is two rows. */
    for (int k = 0; k < 2; k++) {
        mt_store_opts o = {MT_STORE_CREATE, k ? "b" : "a"};
        mt_store *s = mt_store_open(db_path, &o);
        assert_non_null(s);
        assert_int_equal(mt_store_put_web(s, set, k ? n / 2 : n), MT_OK);
        assert_int_equal(mt_store_put_web(s, set, k ? n / 2 : n), MT_OK); /* idempotent */
        mt_store_close(s);
    }
    assert_int_equal(scalar("SELECT count(*) FROM web_findings"), n + n / 2);
    static const char *const b[] = {"b"}, *const ab[] = {"a", "b"};
    const mt_store_sensors sels[] = {{NULL, 0}, {b, 1}, {ab, 2}};
    const char *ins[] = {"", " AND sensor IN ('b')", " AND sensor IN ('a','b')"};
    mt_store *s = mt_store_open(db_path, &(mt_store_opts){MT_STORE_READONLY, NULL});
    assert_non_null(s);
    for (int i = 0; i < 3; i++) {
        mt_store_web_query q = {0, 0, 50, {0}, 0, 0, sels[i]};
        mt_store_web_summary w;
        assert_int_equal(mt_store_web_summary_get(s, &q, &w), MT_OK);
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM web_findings WHERE 1%s", ins[i]);
        assert_int_equal(w.findings, scalar(sql));
        snprintf(sql, sizeof sql, "SELECT count(DISTINCT domain) FROM web_findings WHERE confidence >= 50%s",
                 ins[i]);
        assert_int_equal(w.sites, scalar(sql));
        snprintf(sql, sizeof sql,
                 "SELECT count(DISTINCT site_key) FROM web_findings WHERE confidence >= 50 AND site_key <> ''%s",
                 ins[i]);
        assert_int_equal(w.distinct_keys, scalar(sql));
        if (i == 1) { /* b alone: the definitions computed in C over what b stored */
            web_expect x;
            static const uint32_t e[] = {10000, 100000, 1000000};
            web_expected(set, n / 2, 50, e, 3, &x);
            assert_int_equal(w.sites, x.sites);
            assert_int_equal(w.confident, x.confident);
        }
        mt_store_web_summary_free(&w);
    }
    mt_store_close(s);
}

static void copy_data(const char *name, const char *to)
{
    const char *src = getenv("MT_SRC");
    char from[512];
    snprintf(from, sizeof from, "%s/tests/data/%s", src ? src : ".", name);
    FILE *in = fopen(from, "rb");
    if (!in) print_message("no %s\n", from);
    assert_non_null(in);
    unlink_db(to);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

#define FROWS "SELECT * FROM findings ORDER BY id"
#define WROWS "SELECT * FROM web_findings ORDER BY id"

/* tests/data/store-v5.db: made by minetrace at schema version 5 (`scan
 * --db` over the four captures of pcap/other/jsiwek_zeek-cryptomining:
 * 27 findings; `web --db` over tests/data/web/miners: 38 web findings;
 * `botnet --db` over tests/data/botnet/authlog: 14 credentials). */
static void test_migrate_v5(void **state)
{
    (void)state;
    copy_data("store-v5.db", db_path);
    assert_int_equal(scalar("PRAGMA user_version"), 5);
    assert_int_equal(scalar("SELECT count(*) FROM findings"), 27);
    assert_int_equal(scalar("SELECT count(*) FROM web_findings"), 38);
    /* Two sensors' rows, as a fleet's version-5 store has them. */
    exec_on("UPDATE findings SET sensor = 'edge' WHERE id % 2 = 0;"
            "UPDATE web_findings SET sensor = 'crawler' WHERE id % 3 = 0;");
    char *f_before = dump(FROWS), *w_before = dump(WROWS);
    char *c_before = dump("SELECT * FROM credentials ORDER BY id");

    /* Read-only: read as it is, the selection applies. */
    mt_store *s = mt_store_open(db_path, &(mt_store_opts){MT_STORE_READONLY, NULL});
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 5);
    static const char *const edge[] = {"edge"};
    mt_time_us a, b;
    assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
    mt_store_query q = {a, b + 1, MT_SQ_SENSORS, {{0}}, {edge, 1}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    assert_int_equal(sm.findings, scalar("SELECT count(*) FROM findings WHERE sensor = 'edge'"));
    assert_int_equal(sm.nsensors, 1);
    mt_store_summary_free(&sm);
    mt_store_close(s);
    assert_int_equal(scalar("PRAGMA user_version"), 5);

    /* A failed step (a table in the way) changes nothing. */
    exec_on("CREATE TABLE web_findings_v6(x);");
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "migrating the schema from version 5 to 6 failed"));
    assert_int_equal(scalar("PRAGMA user_version"), 5);
    char *f_mid = dump(FROWS);
    assert_string_equal(f_before, f_mid);
    free(f_mid);
    exec_on("DROP TABLE web_findings_v6;");

    /* Writable: version 6, every row kept as it was. */
    mt_store_opts o = {MT_STORE_CREATE, "edge"};
    s = mt_store_open(db_path, &o);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 6);
    mt_store_close(s);
    assert_int_equal(scalar("PRAGMA user_version"), 6);
    assert_int_equal(scalar("SELECT value FROM meta WHERE key = 'schema_version'"), 6);
    char *f_after = dump(FROWS), *w_after = dump(WROWS), *c_after = dump("SELECT * FROM credentials ORDER BY id");
    assert_string_equal(f_before, f_after);
    assert_string_equal(w_before, w_after);
    assert_string_equal(c_before, c_after);
    free(f_after);
    free(w_after);
    free(c_after);
    /* The rule: UNIQUE(sensor, uid), and uid alone is not. */
    for (int t = 0; t < 2; t++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(c.name, ',') FROM pragma_index_list('%s') l,"
                 " pragma_index_info(l.name) c WHERE l.\"unique\" = 1 AND l.origin = 'u'", t ? "web_findings" : "findings");
        char *cols = dump(sql);
        assert_string_equal(cols, "sensor,uid\n");
        free(cols);
    }
    char *ok = dump("PRAGMA integrity_check");
    assert_string_equal(ok, "ok\n");
    free(ok);

    /* A stored row's identity under another sensor is a new row; under its
     * own, a duplicate. */
    char *one = dump("SELECT uid FROM findings WHERE sensor = 'edge' ORDER BY id LIMIT 1");
    long long n0 = scalar("SELECT count(*) FROM findings");
    exec_on("INSERT INTO findings(uid, ts, day, sensor) SELECT uid, ts, day, 'other' FROM findings"
            " WHERE sensor = 'edge' ORDER BY id LIMIT 1;");
    assert_int_equal(scalar("SELECT count(*) FROM findings"), n0 + 1);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO findings(uid, ts, day, sensor) SELECT uid, ts, day, 'edge'"
                                      " FROM findings WHERE sensor = 'edge' ORDER BY id LIMIT 1", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
    free(one);
    free(f_before);
    free(w_before);
    free(c_before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_and_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v5, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
