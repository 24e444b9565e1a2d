/* Tests of the findings store through its interface (include/minetrace/
 * store.h) and of the SQLite backend's schema: idempotent writes (also
 * across reopen), transactions (rollback, a process killed inside one),
 * uid stability and sensitivity, raw storage of hostile strings, the sink,
 * ingest-log rows, schema versions and migrations (from a version-1
 * database made by minetrace before versions existed, a failed migration,
 * a newer version, version 2 to 3), the analyses' aggregates against their
 * definition in SQL (docs/STORE.md), on both read paths, and the website
 * findings: idempotent writes, their sink, their aggregates against the
 * definitions computed by hand (web_fixture.h) and as SQL, and their JSON
 * record to the byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "store/finding_json.h"
#include "unit/web_fixture.h"
#include "unit/v5_check.h"

static char db_path[256];

static void unlink_db(const char *p)
{
    char q[512];
    unlink(p);
    snprintf(q, sizeof q, "%s-wal", p);
    unlink(q);
    snprintf(q, sizeof q, "%s-shm", p);
    unlink(q);
    snprintf(q, sizeof q, "%s-journal", p);
    unlink(q);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof db_path, "/tmp/mt_test_store_%d.db", (int)getpid());
    unlink_db(db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink_db(db_path);
    return 0;
}

static void sample(mt_finding *f)
{
    mt_finding_init(f);
    f->ts = 1517336012123456LL;
    f->flow_id = 42;
    mt_addr_parse("10.0.0.5", &f->src);
    mt_addr_parse("2001:db8::1", &f->dst);
    f->src_port = 50000;
    f->dst_port = 3333;
    f->ipproto = 6;
    f->kind = MT_KIND_STRATUM;
    mt_strlcpy(f->protocol, "stratum-v1", sizeof f->protocol);
    mt_strlcpy(f->pool, "pool.supportxmr.com", sizeof f->pool);
    mt_strlcpy(f->wallet, "44AFFq5kSiGBoZ", sizeof f->wallet);
    mt_strlcpy(f->family, "monero-miner", sizeof f->family);
    f->confidence = 95;
    mt_strlcpy(f->evidence, "login with agent XMRig/6.18", sizeof f->evidence);
    mt_strlcpy(f->source, "pcap", sizeof f->source);
}

/* What the database file holds, read over a connection of its own. */
static long long scalar(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
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

/* One text value (the caller frees it). */
static char *text1(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *r = strdup(t ? t : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return r;
}

static void exec_on(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc) print_message("sql: %s\n", err);
    sqlite3_free(err);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

static void test_insert_idempotent(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_string_equal(mt_store_backend(s), "sqlite");
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    /* The source label is not identifying: a scan and an ingest of its
     * JSONL output are the same finding. */
    mt_strlcpy(f.source, "jsonl", sizeof f.source);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_finding two[2];
    two[0] = f;
    two[1] = f;
    two[1].ts += 86400000000LL; /* the next day: a finding of its own */
    assert_int_equal(mt_store_put(s, two, 2), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 2);
    assert_int_equal(n_dup, 3);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 2);
    mt_store_close(s);

    /* Reopen: schema kept, the same finding is still a duplicate. */
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    sample(&f);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_commit(s);
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 0);
    assert_int_equal(n_dup, 1);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 2);
    assert_int_equal(scalar(db_path, "SELECT value FROM meta WHERE key='schema_version'"), 6);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 6);
    assert_int_equal(mt_store_schema_version(s), 6);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM ingest_log"), 0);
    mt_store_close(s);
    /* "sqlite:" names the same backend. */
    char uri[300];
    snprintf(uri, sizeof uri, "sqlite:%s", db_path);
    s = mt_store_open(uri, NULL);
    assert_non_null(s);
    mt_time_us a, b;
    assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
    assert_int_equal(a, 1517336012123456LL);
    assert_int_equal(b, 1517336012123456LL + 86400000000LL);
    mt_store_close(s);
    snprintf(uri, sizeof uri, "sqlite://%s", db_path); /* db_path is absolute */
    s = mt_store_open(uri, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
    mt_store_close(s);
}

static void test_columns(void **state)
{
    (void)state;
    mt_store_opts o = {MT_STORE_CREATE, "sensor-7"};
    mt_store *s = mt_store_open(db_path, &o);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_close(s); /* commits */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto,"
        " event_type, kind, protocol, pool, wallet, family, confidence, source, uid, sensor"
        " FROM findings", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1517336012123456LL);
    assert_int_equal(sqlite3_column_int64(st, 1), 1517336012123456LL / 86400000000LL);
    assert_int_equal(sqlite3_column_int64(st, 2), 42);
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "10.0.0.5");
    assert_int_equal(sqlite3_column_int(st, 4), 50000);
    assert_string_equal((const char *)sqlite3_column_text(st, 5), "2001:db8::1");
    assert_int_equal(sqlite3_column_int(st, 6), 3333);
    assert_string_equal((const char *)sqlite3_column_text(st, 7), "TCP");
    assert_string_equal((const char *)sqlite3_column_text(st, 8), "mining");
    assert_string_equal((const char *)sqlite3_column_text(st, 9), "stratum");
    assert_string_equal((const char *)sqlite3_column_text(st, 10), "stratum-v1");
    assert_string_equal((const char *)sqlite3_column_text(st, 11), "pool.supportxmr.com");
    assert_string_equal((const char *)sqlite3_column_text(st, 12), "44AFFq5kSiGBoZ");
    assert_string_equal((const char *)sqlite3_column_text(st, 13), "monero-miner");
    assert_int_equal(sqlite3_column_int(st, 14), 95);
    assert_string_equal((const char *)sqlite3_column_text(st, 15), "pcap");
    assert_int_equal((uint64_t)sqlite3_column_int64(st, 16), mt_finding_uid(&f));
    assert_string_equal((const char *)sqlite3_column_text(st, 17), "sensor-7");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_uid(void **state)
{
    (void)state;
    mt_finding a, b;
    sample(&a);
    sample(&b);
    assert_true(mt_finding_uid(&a) == mt_finding_uid(&b));
    /* The identity: host, evidence, UTC day. Every part changes the uid. */
    b.ts += 86400000000LL;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    sample(&b);
    b.dst_port++;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    sample(&b);
    b.kind = MT_KIND_TLS;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    sample(&b);
    b.event_type = MT_EVENT_PRECURSOR;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    sample(&b);
    mt_strlcpy(b.pool, "pool.supportxmr.co", sizeof b.pool);
    mt_strlcpy(b.wallet, "m44AFFq5kSiGBoZ", sizeof b.wallet);
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b)); /* no field run-on */
    sample(&b);
    mt_addr_parse("10.0.0.6", &b.src);
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    /* The same evidence later that day, on another flow or port, in other
     * words or another case is the same finding. */
    sample(&b);
    b.ts += 3600000000LL;
    b.flow_id++;
    b.src_port++;
    mt_strlcpy(b.evidence, "other", sizeof b.evidence);
    mt_strlcpy(b.pool, "Pool.SupportXMR.com", sizeof b.pool);
    b.confidence = 10;
    mt_strlcpy(b.family, "x", sizeof b.family);
    assert_true(mt_finding_uid(&a) == mt_finding_uid(&b));
    /* The day is UTC: one microsecond before midnight and at midnight differ. */
    sample(&b);
    b.ts = 1517356800000000LL; /* 2018-01-31 00:00:00 */
    a.ts = b.ts - 1;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    /* A lookup's resolver is not evidence; an alert's signature is. */
    sample(&a);
    sample(&b);
    a.kind = b.kind = MT_KIND_DNS;
    mt_addr_parse("2001:db8::2", &b.dst);
    b.dst_port = 5353;
    assert_true(mt_finding_uid(&a) == mt_finding_uid(&b));
    a.kind = b.kind = MT_KIND_ALERT;
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    sample(&b);
    b.kind = MT_KIND_ALERT;
    mt_strlcpy(b.evidence, "IDS alert [2024792] ET POLICY Cryptocurrency Miner Checkin", sizeof b.evidence);
    mt_finding c = b;
    assert_true(mt_finding_uid(&c) == mt_finding_uid(&b));
    mt_strlcpy(c.evidence, "IDS alert [2024793] ET POLICY Cryptocurrency Miner Checkin", sizeof c.evidence);
    assert_true(mt_finding_uid(&c) != mt_finding_uid(&b));
    assert_true(mt_finding_day(-1) == -1 && mt_finding_day(0) == 0 && mt_finding_day(86400000000LL) == 1);
}

static void test_hostile_strings_raw(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    const char *evil = "x'); DROP TABLE findings; --\"\n\t\xff\xfe<script>";
    mt_strlcpy(f.evidence, evil, sizeof f.evidence);
    mt_strlcpy(f.agent, "=cmd|' /C calc'!A0", sizeof f.agent);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_ingest_row row = {.path = "x'); DROP TABLE ingest_log; --", .format = "eve", .status = "ok",
                               .started = 1, .finished = 2, .records = 7};
    assert_int_equal(mt_store_put_ingest_log(s, &row), MT_OK);
    mt_store_close(s);
    char *ev = text1(db_path, "SELECT evidence FROM findings");
    char *ag = text1(db_path, "SELECT agent FROM findings");
    char *pa = text1(db_path, "SELECT path FROM ingest_log");
    assert_string_equal(ev, evil);
    assert_string_equal(ag, "=cmd|' /C calc'!A0");
    assert_string_equal(pa, row.path);
    assert_int_equal(scalar(db_path, "SELECT records FROM ingest_log"), 7);
    free(ev);
    free(ag);
    free(pa);
}

static void test_sink_and_batches(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    mt_sink *k = mt_store_sink_new(s, 0);
    mt_finding f;
    sample(&f);
    /* More than one batch (10,000) so the batch commit path runs. */
    for (int i = 0; i < 25000; i++) {
        f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
        assert_int_equal(k->emit(k, &f), MT_OK);
    }
    /* Batches are committed as they fill: another connection sees them. */
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 20000);
    for (int i = 0; i < 100; i++) {
        f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
        assert_int_equal(k->emit(k, &f), MT_OK); /* duplicates are fine */
    }
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 25000);
    assert_int_equal(n_dup, 100);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 25000);
    assert_int_equal(scalar(db_path, "SELECT count(DISTINCT day) FROM findings"), 1);
    mt_store_close(s);
    /* An owning sink closes the store. */
    s = mt_store_open(db_path, NULL);
    k = mt_store_sink_new(s, 1);
    k->close(k);
}

static void test_transactions(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    /* An explicit transaction holds everything, also past a batch. */
    assert_int_equal(mt_store_begin(s), MT_OK);
    assert_int_not_equal(mt_store_begin(s), MT_OK); /* no nesting */
    for (int i = 0; i < 12000; i++) {
        f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
        assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    }
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(mt_store_rollback(s), MT_OK);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 0);
    assert_int_equal(n_dup, 0);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 0);
    /* The same rows again, committed. */
    assert_int_equal(mt_store_begin(s), MT_OK);
    for (int i = 0; i < 12000; i++) {
        f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
        assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    }
    assert_int_equal(mt_store_commit(s), MT_OK);
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 12000);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 12000);
    mt_store_close(s);
    /* A read-only store refuses writes. */
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    s = mt_store_open(db_path, &ro);
    assert_non_null(s);
    assert_int_not_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_close(s);
}

/* A process killed inside a transaction: what it committed is there, the
 * rest is not, the database is intact and takes the same rows again. */
static void test_killed_transaction(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    mt_store_close(s);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mt_store *c = mt_store_open(db_path, NULL);
        if (!c) _exit(3);
        mt_finding f;
        sample(&f);
        for (int i = 0; i < 300; i++) {
            f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
            if (mt_store_put(c, &f, 1) != MT_OK) _exit(4);
        }
        if (mt_store_commit(c) != MT_OK) _exit(5);
        if (mt_store_begin(c) != MT_OK) _exit(6);
        for (int i = 300; i < 5300; i++) {
            f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
            if (mt_store_put(c, &f, 1) != MT_OK) _exit(7);
        }
        raise(SIGKILL);
        _exit(8);
    }
    int wst = 0;
    assert_int_equal(waitpid(pid, &wst, 0), pid);
    assert_true(WIFSIGNALED(wst));
    assert_int_equal(WTERMSIG(wst), SIGKILL);
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 300);
    char *ok = text1(db_path, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    mt_finding f;
    sample(&f);
    for (int i = 0; i < 5300; i++) {
        f.ts = 1517336012000000LL + i;
        f.dst_port = (uint16_t)(1 + i); /* one piece of evidence each */
        assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    }
    assert_int_equal(mt_store_commit(s), MT_OK);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 5000);
    assert_int_equal(n_dup, 300);
    mt_store_close(s);
}

/* Messages name the store without its password. */
static void test_display_name(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(mt_store_display_name("/var/lib/mt.db", b, sizeof b), "/var/lib/mt.db");
    assert_string_equal(mt_store_display_name("postgresql://mt:s3cret@db.example:5432/fleet", b, sizeof b),
                        "postgresql://mt:***@db.example:5432/fleet");
    assert_string_equal(mt_store_display_name("postgresql://mt@db/fleet?sslmode=require", b, sizeof b),
                        "postgresql://mt@db/fleet?sslmode=require");
    assert_string_equal(
        mt_store_display_name("postgresql:///fleet?host=/tmp&password=s3cret&user=mt", b, sizeof b),
        "postgresql:///fleet?host=/tmp&password=***&user=mt");
    assert_string_equal(mt_store_display_name("postgres://a:b@h/d?password=c", b, sizeof b),
                        "postgres://a:***@h/d?password=***");
    /* An '@' after the path is not userinfo. */
    assert_string_equal(mt_store_display_name("postgresql://h/d?user=a:b@c", b, sizeof b),
                        "postgresql://h/d?user=a:b@c");
    char small[12];
    assert_string_equal(mt_store_display_name("postgresql://u:p@h/d", small, sizeof small), "postgresql:");
}

static void test_open_failure(void **state)
{
    (void)state;
    mt_store *s = mt_store_open("/nonexistent-dir/x/y.db", NULL);
    assert_null(s);
    assert_non_null(strstr(mt_error_msg(), "sqlite"));
    /* A server URI this build has no backend for. */
    assert_null(mt_store_open("mysql://localhost/minetrace", NULL));
    assert_non_null(strstr(mt_error_msg(), "mysql"));
    /* A PostgreSQL server that is not there (test_store_pg.c has one). */
    assert_null(mt_store_open("postgresql:///minetrace?host=/nonexistent-dir", NULL));
    assert_non_null(strstr(mt_error_msg(), "postgresql: cannot connect"));
    /* Not a database. */
    FILE *fp = fopen(db_path, "w");
    fputs("this is not an SQLite file, just text that is long enough......\n", fp);
    for (int i = 0; i < 100; i++) fputs("garbage garbage garbage garbage\n", fp);
    fclose(fp);
    assert_null(mt_store_open(db_path, NULL));
    unlink_db(db_path);
    /* An SQLite database of something else: not taken over. */
    exec_on(db_path, "CREATE TABLE x(a)");
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "not a minetrace findings database"));
    exec_on(db_path, "PRAGMA user_version = 1"); /* also with a version of its own */
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "not a minetrace findings database"));
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM sqlite_master"), 1);
    unlink_db(db_path);
    /* Without CREATE a missing or empty database is not made. */
    mt_store_opts noc = {0, NULL};
    assert_null(mt_store_open(db_path, &noc));
    exec_on(db_path, "PRAGMA user_version = 0");
    assert_null(mt_store_open(db_path, &noc));
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    assert_null(mt_store_open(db_path, &ro));
}

static void test_newer_version(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    mt_store_close(s);
    exec_on(db_path, "PRAGMA user_version = 7");
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "schema version 7, newer than this minetrace knows (6)"));
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    assert_null(mt_store_open(db_path, &ro));
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 7); /* left alone */
    /* A meta.schema_version we never wrote, without user_version. */
    unlink_db(db_path);
    exec_on(db_path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                     "INSERT INTO meta VALUES('schema_version', '7');"
                     "CREATE TABLE findings(id INTEGER PRIMARY KEY, ts INTEGER)");
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "schema_version is 7"));
}

/* Every row of the findings table as text, to compare before and after. */
#define ROWS_SQL "SELECT group_concat(r, char(10)) FROM (SELECT uid||'|'||ts||'|'||day||'|'||flow_id||'|'||" \
    "src_ip||'|'||dest_ip||'|'||src_port||'|'||dest_port||'|'||proto||'|'||event_type||'|'||kind||'|'||" \
    "protocol||'|'||pool||'|'||wallet||'|'||worker||'|'||agent||'|'||algo||'|'||family||'|'||" \
    "confidence||'|'||evidence||'|'||source AS r FROM findings ORDER BY uid)"

/* tests/data/store-v1.db: made by minetrace before schema versions existed
 * (`minetrace scan --db` over four corpus captures, then `minetrace ingest`
 * of an EVE alert; docs/STORE.md). */
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

static void copy_v1(const char *to) { copy_data("store-v1.db", to); }

static void test_migrate_v1(void **state)
{
    (void)state;
    copy_v1(db_path);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 0);
    long long rows = scalar(db_path, "SELECT count(*) FROM findings");
    assert_int_equal(rows, 30);
    char *before = text1(db_path, ROWS_SQL);
    char *log_before = text1(db_path, "SELECT path||format||records||findings_new||status FROM ingest_log");

    /* Read-only, the version-1 database is read as it is. */
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db_path, &ro);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 1);
    mt_time_us a, b;
    assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
    mt_store_query q = {a, b + 1, MT_SQ_MIX, {{0}}, {NULL, 0}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    assert_int_equal(sm.findings, 30);
    mt_store_summary_free(&sm);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 0);

    /* A writable open migrates it, and keeps one row per identity. */
    char old[300];
    snprintf(old, sizeof old, "%s.v1", db_path);
    copy_v1(old);
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 6);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 6);
    assert_int_equal(scalar(db_path, "SELECT value FROM meta WHERE key='schema_version'"), 6);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings"), 0);
    char *after = text1(db_path, ROWS_SQL);
    char *log_after = text1(db_path, "SELECT path||format||records||findings_new||status FROM ingest_log");
    rows = v5_check_rows(old, db_path);
    assert_true(rows > 0 && rows <= 30);
    unlink_db(old);
    assert_string_equal(log_before, log_after);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings WHERE sensor = ''"), rows);
    /* The old findings are still known: writing them again adds nothing. */
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    mt_store_commit(s);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 1);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), rows + 1);
    char *ok = text1(db_path, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    free(before);
    free(after);
    free(log_before);
    free(log_after);
}

/* A migration step that fails leaves the database as it was: here the
 * second ALTER of version 2 fails (the column is already there), and the
 * first one must be undone with it. */
static void test_migration_atomic(void **state)
{
    (void)state;
    copy_v1(db_path);
    exec_on(db_path, "ALTER TABLE ingest_log ADD COLUMN sensor TEXT");
    char *before = text1(db_path, ROWS_SQL);
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "migrating the schema from version 1 to 6 failed"));
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 0);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM pragma_table_info('findings') WHERE name = 'sensor'"),
                     0);
    assert_int_equal(scalar(db_path, "SELECT value FROM meta WHERE key='schema_version'"), 1);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'web_findings'"), 0);
    char *after = text1(db_path, ROWS_SQL);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* ---- the aggregates against their SQL definitions ---- */

#define AGG_N 4000
#define DAY 86400000000LL
#define T0 1514764800000000LL /* 2018-01-01 */
#define NDAYS 40

static const char *A_FAM[] = {"monero-miner", "", "wannamine", "(unknown)"};
static const char *A_POOL[] = {"", "pool.minexmr.com", "xmr.pool.minergate.com", "<b>"};
static const char *A_AGENT[] = {"", "XMRig/2.5.0", "xmr-stak"};
static const mt_finding_kind A_KIND[] = {MT_KIND_DNS, MT_KIND_STRATUM, MT_KIND_TLS, MT_KIND_HTTP, MT_KIND_IP};

static void fill_agg(const char *path)
{
    mt_store *s = mt_store_open(path, NULL);
    assert_non_null(s);
    uint64_t r = 0x9e3779b97f4a7c15ULL;
    mt_finding f;
    for (int i = 0; i < AGG_N; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        sample(&f);
        f.ts = T0 + (int64_t)(r % (uint64_t)(NDAYS * DAY));
        char ip[32];
        snprintf(ip, sizeof ip, "10.0.%d.%d", (int)(r >> 20) % 3, (int)(r >> 24) % 40);
        mt_addr_parse(ip, &f.src);
        f.event_type = (r >> 30) % 10 ? MT_EVENT_MINING : MT_EVENT_PRECURSOR;
        f.kind = A_KIND[(r >> 34) % 5];
        unsigned p = (unsigned)(r >> 38) % 10;
        f.dst_port = (uint16_t)(p < 4 ? 3333 : p < 6 ? 443 : p < 7 ? 80 : p < 8 ? 0 : 1 + (r >> 42) % 65535);
        mt_strlcpy(f.family, A_FAM[(r >> 44) % 4], sizeof f.family);
        mt_strlcpy(f.pool, A_POOL[(r >> 46) % 4], sizeof f.pool);
        mt_strlcpy(f.agent, A_AGENT[(r >> 48) % 3], sizeof f.agent);
        snprintf(f.wallet, sizeof f.wallet, "%s", (r >> 50) % 3 ? "" : (r >> 52) % 2 ? "4W1" : "4W2");
        assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
    }
    mt_store_close(s);
}

/* Does every row of `sql` (key[, key2], findings[, hosts]) match a group,
 * and are there as many groups as rows? */
static void check_groups(const char *path, const char *sql, int two_keys, int has_hosts,
                         const mt_store_group *g, size_t n)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) print_message("%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    size_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *k2 = two_keys ? (const char *)sqlite3_column_text(st, 1) : NULL;
        int c = two_keys ? 2 : 1;
        size_t i = 0;
        while (i < n && !(strcmp(g[i].name, k) == 0 && (!two_keys || strcmp(g[i].name2, k2) == 0))) i++;
        if (i == n) print_message("%s: no group '%s'\n", sql, k);
        assert_true(i < n);
        assert_int_equal(g[i].findings, sqlite3_column_int64(st, c));
        if (has_hosts) assert_int_equal(g[i].hosts, sqlite3_column_int64(st, c + 1));
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(rows, n);
}

#define RANGE " ts >= 1514937600000000 AND ts < 1517529600000000 " /* days 2 .. 31 */
#define MINING_CONN " event_type = 'mining' AND kind <> 'dns' AND dest_port BETWEEN 1 AND 65535 "

static void check_aggregates(const char *path, mt_store *s)
{
    /* Day pieces from day 1; day 5 belongs to no bucket; buckets repeat
     * (day mod 7), so one bucket is several pieces. */
    mt_time_us start[NDAYS];
    int32_t bucket[NDAYS];
    for (int d = 1; d < NDAYS; d++) {
        start[d - 1] = T0 + d * DAY;
        bucket[d - 1] = d == 5 ? -1 : d % 7;
    }
    mt_store_query q = {T0 + 2 * DAY, T0 + 32 * DAY, MT_SQ_BUCKETS | MT_SQ_MIX | MT_SQ_PORTS,
                        {{start, bucket, NDAYS - 1, 7}, {start, bucket, 3, 7}}, {NULL, 0}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    assert_int_equal(sm.findings, scalar(path, "SELECT count(*) FROM findings WHERE" RANGE));
    assert_int_equal(sm.mining, scalar(path, "SELECT count(*) FROM findings WHERE" RANGE
                                             "AND event_type = 'mining'"));
    assert_int_equal(sm.precursor, scalar(path, "SELECT count(*) FROM findings WHERE" RANGE
                                                "AND event_type = 'precursor'"));
    assert_int_equal(sm.nhosts, scalar(path, "SELECT count(DISTINCT src_ip) FROM findings WHERE" RANGE));
    for (size_t h = 0; h < sm.nhosts; h++) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) * 1000000000000 + sum(event_type = 'mining') * 1000000 + "
                 "sum(" MINING_CONN ") FROM findings WHERE" RANGE "AND src_ip = '%s'", sm.hosts[h].addr);
        assert_int_equal(scalar(path, sql), sm.hosts[h].findings * 1000000000000ULL +
                         sm.hosts[h].mining * 1000000ULL + sm.hosts[h].port_findings);
    }
    /* Buckets: map 0 is every piece; map 1 only its first three pieces
     * (days 1-3), the last of which runs to the end of the range. */
    for (int m = 0; m < 2; m++) {
        for (int k = 0; k < 7; k++) {
            char sql[512];
            const char *bexpr = m == 0
                ? "CASE WHEN (ts - 1514764800000000) / 86400000000 = 5 THEN -1 "
                  "ELSE (ts - 1514764800000000) / 86400000000 % 7 END"
                : "min((ts - 1514764800000000) / 86400000000, 3) % 7";
            snprintf(sql, sizeof sql, "SELECT count(*) * 1000000 + count(DISTINCT src_ip) FROM findings WHERE"
                     RANGE "AND event_type = 'mining' AND %s = %d", bexpr, k);
            assert_int_equal(scalar(path, sql), sm.bucket_findings[m][k] * 1000000 + sm.bucket_hosts[m][k]);
        }
    }
    check_groups(path, "SELECT family, count(*), count(DISTINCT src_ip) FROM findings WHERE" RANGE
                 "GROUP BY family", 0, 1, sm.families, sm.nfamilies);
    check_groups(path, "SELECT kind, count(*), count(DISTINCT src_ip) FROM findings WHERE" RANGE
                 "GROUP BY kind", 0, 1, sm.kinds, sm.nkinds);
    check_groups(path, "SELECT family, kind, count(*), count(DISTINCT src_ip) FROM findings WHERE" RANGE
                 "GROUP BY family, kind", 1, 1, sm.behaviours, sm.nbehaviours);
    size_t nports = 0;
    for (int p = 0; p < MT_STORE_NPORTS; p++) {
        if (!sm.port_findings[p]) continue;
        nports++;
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) * 1000000 + count(DISTINCT src_ip) FROM findings WHERE"
                 RANGE "AND" MINING_CONN "AND dest_port = %d", p);
        assert_int_equal(scalar(path, sql), sm.port_findings[p] * 1000000 + sm.port_hosts[p]);
    }
    assert_int_equal(nports, scalar(path, "SELECT count(DISTINCT dest_port) FROM findings WHERE" RANGE
                                          "AND" MINING_CONN));
    mt_store_summary_free(&sm);

    mt_store_top t;
    assert_int_equal(mt_store_top_get(s, &q, &t), MT_OK);
    static const char *col[] = {"pool", "wallet", "agent"};
    for (int c = 0; c < 3; c++) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT %s, count(*) FROM findings WHERE" RANGE "AND event_type = 'mining' "
                 "AND %s <> '' GROUP BY %s", col[c], col[c], col[c]);
        check_groups(path, sql, 0, 0, t.v[c], t.n[c]);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM findings WHERE" RANGE "AND event_type = 'mining' "
                 "AND %s <> ''", col[c]);
        assert_int_equal(t.total[c], scalar(path, sql));
    }
    mt_store_top_free(&t);
}

static void test_aggregates(void **state)
{
    (void)state;
    fill_agg(db_path);
    /* First without the analysis indexes (a full table scan), then with. */
    mt_store_opts noix = {MT_STORE_NO_INDEX, NULL};
    mt_store *s = mt_store_open(db_path, &noix);
    assert_non_null(s);
    const char *plan = NULL;
    assert_int_equal(mt_store_prepare(s, MT_SQ_MIX | MT_SQ_TOP, &plan), MT_OK);
    assert_string_equal(plan, "table-scan");
    check_aggregates(db_path, s);
    mt_store_close(s);
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_prepare(s, MT_SQ_MIX | MT_SQ_TOP, &plan), MT_OK);
    assert_string_equal(plan, "covering-index");
    check_aggregates(db_path, s);
    /* An empty range reads nothing. */
    mt_store_query q = {T0, T0, MT_SQ_MIX | MT_SQ_PORTS, {{0}}, {NULL, 0}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    assert_int_equal(sm.findings, 0);
    assert_int_equal(sm.nhosts, 0);
    mt_store_summary_free(&sm);
    mt_store_close(s);
}

/* ---- findings output: the EVE header and per-type bodies ---- */

/* A record type of its own, to show what a new one needs: its body. */
typedef struct test_rec { int n; const char *site; } test_rec;
static size_t test_room(const void *rec)
{
    return 32 + MT_EVE_STR_ROOM(strlen(((const test_rec *)rec)->site));
}
static char *test_write(char *o, const void *rec)
{
    const test_rec *r = rec;
    o = mt_eve_int(MT_EVE_LIT(o, "{\"n\":"), r->n);
    o = mt_eve_str(MT_EVE_LIT(o, ",\"site\":"), r->site, strlen(r->site), strlen(r->site));
    *o++ = '}';
    return o;
}

static void test_eve_records(void **state)
{
    (void)state;
    mt_finding f;
    sample(&f);
    mt_buf b;
    mt_buf_init(&b);
    mt_finding_to_json(&f, &b);
    mt_buf_putc(&b, '\0');
    assert_string_equal(b.p,
        "{\"timestamp\":\"2018-01-30T18:13:32.123456+0000\",\"flow_id\":42,\"src_ip\":\"10.0.0.5\","
        "\"src_port\":50000,\"dest_ip\":\"2001:db8::1\",\"dest_port\":3333,\"proto\":\"TCP\","
        "\"event_type\":\"mining\",\"mining\":{\"kind\":\"stratum\",\"protocol\":\"stratum-v1\","
        "\"pool\":\"pool.supportxmr.com\",\"wallet\":\"44AFFq5kSiGBoZ\",\"worker\":\"\",\"agent\":\"\","
        "\"algo\":\"\",\"family\":\"monero-miner\",\"confidence\":95,\"evidence\":\"login with agent "
        "XMRig/6.18\",\"source\":\"pcap\"}}");
    /* Another body under the same header. */
    mt_buf_reset(&b);
    test_rec r = {-3, "evil\"\n<site>"};
    mt_eve_header h = {f.ts, 7, &f.src, &f.dst, 1, 2, 17, "web"};
    mt_eve_write(&b, &h, &(mt_eve_body){"web", test_room, test_write}, &r);
    mt_buf_putc(&b, '\0');
    assert_string_equal(b.p,
        "{\"timestamp\":\"2018-01-30T18:13:32.123456+0000\",\"flow_id\":7,\"src_ip\":\"10.0.0.5\","
        "\"src_port\":1,\"dest_ip\":\"2001:db8::1\",\"dest_port\":2,\"proto\":\"UDP\","
        "\"event_type\":\"web\",\"web\":{\"n\":-3,\"site\":\"evil\\\"\\u000a<site>\"}}");
    /* Worst case: every text field full of bytes that need escaping. */
    memset(f.evidence, '\x01', sizeof f.evidence - 1);
    f.evidence[sizeof f.evidence - 1] = '\0';
    memset(f.pool, '"', sizeof f.pool - 1);
    f.pool[sizeof f.pool - 1] = '\0';
    mt_buf_reset(&b);
    mt_finding_to_json(&f, &b);
    assert_true(b.len > 6 * (sizeof f.evidence - 1));
    mt_buf_free(&b);
}


/* ---- website findings (schema version 3) ---- */

static mt_web_finding web_set[WEB_MAXF];

static void test_web_put_idempotent(void **state)
{
    (void)state;
    size_t n = web_fixture(web_set);
    assert_true(n > 900 && n <= WEB_MAXF);
    mt_store_opts o = {MT_STORE_CREATE, "crawler-1"};
    mt_store *s = mt_store_open(db_path, &o);
    assert_non_null(s);
    assert_int_equal(mt_store_web_present(s), 0);
    assert_int_equal(mt_store_put_web(s, web_set, n), MT_OK);
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK); /* traffic and web in one batch */
    assert_int_equal(mt_store_put_web(s, web_set, n), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, n + 1);
    assert_int_equal(n_dup, n);
    assert_int_equal(mt_store_web_present(s), 1);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings"), n);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), 1);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings WHERE sensor = 'crawler-1'"), n);
    /* rank 0 is stored as NULL (unknown), day from ts */
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings WHERE rank IS NULL OR rank = 0"),
                     scalar(db_path, "SELECT count(*) FROM web_findings WHERE rank IS NULL"));
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings WHERE day <> ts / 86400000000"), 0);

    /* A re-run (reopen, through the sink) adds nothing; a changed
     * identifying field is a new finding, a changed rank is not. */
    s = mt_store_open(db_path, &o);
    assert_non_null(s);
    mt_web_sink *k = mt_store_web_sink_new(s, 0);
    for (size_t i = 0; i < n; i++) assert_int_equal(k->emit_web(k, &web_set[i]), MT_OK);
    mt_web_finding w = web_set[5];
    w.rank = 7;
    mt_strlcpy(w.category, "other", sizeof w.category);
    w.confidence = 1;
    assert_int_equal(k->emit_web(k, &w), MT_OK);
    mt_strlcpy(w.site_key, "new-key", sizeof w.site_key);
    assert_int_equal(k->emit_web(k, &w), MT_OK);
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 1);
    assert_int_equal(n_dup, n + 1);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings"), n + 1);

    /* uid: every identifying field counts, the others do not */
    w = web_set[5];
    uint64_t u = mt_web_finding_uid(&w);
    char *fields[] = {w.url, w.resource, w.kind, w.provider, w.site_key, w.evidence};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        mt_web_finding v = w;
        char *p = (char *)&v + (fields[i] - (char *)&w);
        p[0] ^= 1;
        assert_true(mt_web_finding_uid(&v) != u);
    }
    mt_web_finding v = w;
    v.ts++;
    assert_true(mt_web_finding_uid(&v) != u);
    v = w;
    v.rank = 99;
    v.confidence = 0;
    mt_strlcpy(v.domain, "x.example", sizeof v.domain);
    mt_strlcpy(v.category, "x", sizeof v.category);
    assert_true(mt_web_finding_uid(&v) == u);
    /* fields filled to the brim without a terminator: hashed and stored
     * up to their array's end */
    v = w;
    memset(v.evidence, 'e', sizeof v.evidence);
    memset(v.kind, 'k', sizeof v.kind);
    mt_web_finding v2 = v;
    v2.kind[sizeof v2.kind - 1] = 'x';
    assert_true(mt_web_finding_uid(&v) != mt_web_finding_uid(&v2));
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_put_web(s, &v, 1), MT_OK);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "SELECT max(length(evidence)) * 1000 + max(length(kind)) FROM web_findings"),
                     512 * 1000 + 32);
    /* read-only: no writes */
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    s = mt_store_open(db_path, &ro);
    assert_non_null(s);
    assert_true(mt_store_put_web(s, &w, 1) < 0);
    mt_store_close(s);
}

#define V2_ROWS_SQL "SELECT group_concat(r, char(10)) FROM (SELECT uid||'|'||ts||'|'||src_ip||'|'||kind||'|'||" \
    "pool||'|'||evidence||'|'||source||'|'||sensor AS r FROM findings ORDER BY uid)"

/* tests/data/store-v2.db: made by minetrace at schema version 2 (`minetrace
 * scan --db` over the four captures of pcap/other/jsiwek_zeek-cryptomining:
 * 30 findings). */
static void test_migrate_v2(void **state)
{
    (void)state;
    copy_data("store-v2.db", db_path);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 2);
    long long rows = scalar(db_path, "SELECT count(*) FROM findings");
    assert_int_equal(rows, 30);
    char *before = text1(db_path, V2_ROWS_SQL);

    /* A v3 reader on a v2 file, read-only: traffic as before, no web. */
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db_path, &ro);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 2);
    assert_int_equal(mt_store_web_present(s), 0);
    mt_store_web_query wq = {0, 0, 50, {0}, 0, 0, {NULL, 0}};
    mt_store_web_summary ws;
    assert_int_equal(mt_store_web_summary_get(s, &wq, &ws), MT_OK);
    assert_int_equal(ws.findings, 0);
    assert_int_equal(ws.sites, 0);
    assert_int_equal(ws.nproviders, 0);
    assert_int_equal(ws.nedges, 3);
    mt_store_web_summary_free(&ws);
    mt_time_us a, b;
    assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
    mt_store_query q = {a, b + 1, MT_SQ_MIX, {{0}}, {NULL, 0}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_OK);
    assert_int_equal(sm.findings, 30);
    mt_store_summary_free(&sm);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 2);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'web_findings'"), 0);

    /* Writable: migrated to 5, one row per identity kept, web findings go in. */
    char old[300];
    snprintf(old, sizeof old, "%s.v2", db_path);
    copy_data("store-v2.db", old);
    s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 6);
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 6);
    assert_int_equal(scalar(db_path, "SELECT value FROM meta WHERE key='schema_version'"), 6);
    char *after = text1(db_path, V2_ROWS_SQL);
    rows = v5_check_rows(old, db_path);
    unlink_db(old);
    size_t n = web_fixture(web_set);
    assert_int_equal(mt_store_put_web(s, web_set, n), MT_OK);
    mt_store_close(s);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM web_findings"), n);
    assert_int_equal(scalar(db_path, "SELECT count(*) FROM findings"), rows);
    char *ok = text1(db_path, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    free(before);
    free(after);

    /* A migration from 2 that fails (the table is in the way) changes
     * nothing. */
    copy_data("store-v2.db", db_path);
    exec_on(db_path, "CREATE TABLE web_findings(x)"); /* no ts column to index */
    assert_null(mt_store_open(db_path, NULL));
    assert_non_null(strstr(mt_error_msg(), "migrating the schema from version 2 to 6 failed"));
    assert_int_equal(scalar(db_path, "PRAGMA user_version"), 2);
}

static const mt_store_web_group *web_group(const mt_store_web_group *g, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(g[i].name, name)) return &g[i];
    return NULL;
}

/* Groups sorted by sites, descending, then by name. */
static void check_web_order(const mt_store_web_group *g, size_t n)
{
    for (size_t i = 1; i < n; i++)
        assert_true(g[i - 1].sites > g[i].sites ||
                    (g[i - 1].sites == g[i].sites && strcmp(g[i - 1].name, g[i].name) < 0) ||
                    (g[i - 1].sites == g[i].sites && g[i - 1].findings > g[i].findings));
}

static void check_web(mt_store *s, const mt_web_finding *set, size_t n, int minc, const uint32_t *e, size_t ne)
{
    static const uint32_t def[] = {10000, 100000, 1000000};
    web_expect x;
    web_expected(set, n, minc, ne ? e : def, ne ? ne : 3, &x);
    mt_store_web_query q = {0, 0, minc, {0}, ne, 0, {NULL, 0}};
    if (ne) memcpy(q.edges, e, ne * sizeof *e);
    mt_store_web_summary w;
    assert_int_equal(mt_store_web_summary_get(s, &q, &w), MT_OK);
    assert_int_equal(w.findings, n);
    assert_int_equal(w.confident, x.confident);
    assert_int_equal(w.sites, x.sites);
    assert_int_equal(w.pages, x.pages);
    assert_int_equal(w.nedges, ne ? ne : 3);
    uint64_t ranked = 0;
    for (size_t b = 0; b <= w.nedges; b++) {
        assert_int_equal(w.rank_sites[b], x.rank[b]);
        ranked += w.rank_sites[b];
    }
    assert_int_equal(w.ranked_sites, ranked);
    assert_int_equal(w.unranked_sites, x.unranked);
    assert_int_equal(ranked + w.unranked_sites, w.sites);
    size_t ncat = 0;
    for (int c = 0; c < 5; c++) {
        const mt_store_web_group *g = web_group(w.categories, w.ncategories, WEB_CATS[c]);
        if (!x.cat_sites[c]) {
            assert_null(g);
            continue;
        }
        ncat++;
        assert_non_null(g);
        assert_int_equal(g->sites, x.cat_sites[c]);
        assert_int_equal(g->findings, x.cat_findings[c]);
    }
    assert_int_equal(w.ncategories, ncat);
    check_web_order(w.categories, w.ncategories);
    size_t nprov = 0;
    for (int p = 0; p < 6; p++) {
        const mt_store_web_group *g = web_group(w.providers, w.nproviders, WEB_PROVS[p]);
        if (!x.prov_sites[p]) {
            assert_null(g);
            continue;
        }
        nprov++;
        assert_non_null(g);
        assert_int_equal(g->sites, x.prov_sites[p]);
        assert_int_equal(g->findings, x.prov_findings[p]);
    }
    assert_int_equal(w.nproviders, nprov);
    check_web_order(w.providers, w.nproviders);
    assert_int_equal(w.distinct_keys, x.distinct_keys);
    assert_int_equal(w.campaigns, x.campaigns);
    assert_int_equal(w.keyed_sites, x.keyed_sites);
    assert_int_equal(w.nkeys, x.distinct_keys);
    for (size_t i = 0; i < w.nkeys; i++) {
        int k = atoi(w.keys[i].name + 1);
        assert_int_equal(w.keys[i].sites, x.key_sites[k]);
        assert_int_equal(w.keys[i].findings, x.key_findings[k]);
        assert_non_null(w.keys[i].provider);
        if (i) assert_true(w.keys[i - 1].sites >= w.keys[i].sites);
    }
    uint64_t kind_sites = 0;
    for (size_t i = 0; i < w.nkinds; i++) kind_sites += w.kinds[i].findings;
    assert_int_equal(kind_sites, x.confident);
    mt_store_web_summary_free(&w);
    /* a top-N cut keeps the counts of all keys */
    q.top_keys = 3;
    assert_int_equal(mt_store_web_summary_get(s, &q, &w), MT_OK);
    assert_int_equal(w.nkeys, 3);
    assert_int_equal(w.distinct_keys, x.distinct_keys);
    mt_store_web_summary_free(&w);
}

static void test_web_aggregates(void **state)
{
    (void)state;
    size_t n = web_fixture(web_set);
    fill_agg(db_path); /* traffic findings beside them change nothing */
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_put_web(s, web_set, n), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
    check_web(s, web_set, n, 50, NULL, 0);
    check_web(s, web_set, n, 0, NULL, 0);
    check_web(s, web_set, n, 90, NULL, 0);
    static const uint32_t e4[] = {100, 5000, 200000, 1000000};
    check_web(s, web_set, n, 60, e4, 4);
    static const uint32_t e1[] = {1};
    check_web(s, web_set, n, 50, e1, 1);

    /* The documented SQL gives the same numbers (docs/STORE.md). */
    mt_store_web_query q = {0, 0, 50, {0}, 0, 0, {NULL, 0}};
    mt_store_web_summary w;
    assert_int_equal(mt_store_web_summary_get(s, &q, &w), MT_OK);
    assert_int_equal(w.sites, scalar(db_path, "SELECT count(DISTINCT domain) FROM web_findings WHERE confidence >= 50"));
    assert_int_equal(w.rank_sites[0], scalar(db_path, "SELECT count(*) FROM (SELECT min(rank) AS r FROM web_findings"
                     " WHERE confidence >= 50 GROUP BY domain) WHERE r BETWEEN 1 AND 10000"));
    assert_int_equal(w.rank_sites[3], scalar(db_path, "SELECT count(*) FROM (SELECT min(rank) AS r FROM web_findings"
                     " WHERE confidence >= 50 GROUP BY domain) WHERE r > 1000000"));
    assert_int_equal(w.unranked_sites, scalar(db_path, "SELECT count(*) FROM (SELECT min(rank) AS r FROM web_findings"
                     " WHERE confidence >= 50 GROUP BY domain) WHERE r IS NULL"));
    assert_int_equal(w.campaigns, scalar(db_path, "SELECT count(*) FROM (SELECT site_key FROM web_findings WHERE"
                     " confidence >= 50 AND site_key <> '' GROUP BY site_key HAVING count(DISTINCT domain) >= 2)"));
    assert_int_equal(web_group(w.providers, w.nproviders, "coinhive")->sites,
                     scalar(db_path, "SELECT count(DISTINCT domain) FROM web_findings WHERE confidence >= 50 AND"
                     " provider = 'coinhive'"));
    mt_store_web_summary_free(&w);

    /* A time range: the first 100 domains (1 s apart each). */
    q.from = WEB_T0;
    q.to = WEB_T0 + 100 * 1000000LL;
    assert_int_equal(mt_store_web_summary_get(s, &q, &w), MT_OK);
    assert_int_equal(w.findings, scalar(db_path, "SELECT count(*) FROM web_findings WHERE domain < 'd100'"));
    assert_int_equal(w.sites, scalar(db_path, "SELECT count(DISTINCT domain) FROM web_findings WHERE"
                                              " confidence >= 50 AND domain < 'd100'"));
    mt_store_web_summary_free(&w);
    /* bad edges */
    static const uint32_t bad[] = {100, 100};
    memcpy(q.edges, bad, sizeof bad);
    q.nedges = 2;
    assert_true(mt_store_web_summary_get(s, &q, &w) < 0);
    mt_store_close(s);
}

/* The JSON record, to the byte, with hostile strings in every field. */
static void test_web_json(void **state)
{
    (void)state;
    mt_web_finding f;
    mt_web_finding_init(&f);
    assert_string_equal(f.provider, "unknown");
    f.ts = 1517336012123456LL;
    mt_strlcpy(f.domain, "ex\"ample.com", sizeof f.domain);
    mt_strlcpy(f.url, "https://ex.com/?q=</script><b>\\", sizeof f.url);
    mt_strlcpy(f.resource, "wss://p\x01.ex:5555/proxy\n", sizeof f.resource);
    f.rank = 1234;
    mt_strlcpy(f.category, "news\t", sizeof f.category);
    mt_strlcpy(f.provider, "coinhive", sizeof f.provider);
    mt_strlcpy(f.site_key, "k\xff\xfe", sizeof f.site_key);
    mt_strlcpy(f.kind, "api", sizeof f.kind);
    f.confidence = 95;
    mt_strlcpy(f.evidence, "CoinHive.Anonymous('k') \xe2\x80\xa8 \x7f", sizeof f.evidence);
    mt_buf b;
    mt_buf_init(&b);
    mt_web_finding_to_json(&f, &b);
    mt_buf_putc(&b, '\0');
    assert_string_equal(b.p,
        "{\"timestamp\":\"2018-01-30T18:13:32.123456+0000\",\"event_type\":\"web\",\"web\":{"
        "\"domain\":\"ex\\\"ample.com\",\"url\":\"https://ex.com/?q=</script><b>\\\\\","
        "\"resource\":\"wss://p\\u0001.ex:5555/proxy\\u000a\",\"rank\":1234,\"category\":\"news\\u0009\","
        "\"provider\":\"coinhive\",\"site_key\":\"k\\ufffd\\ufffd\",\"kind\":\"api\","
        "\"confidence\":95,\"evidence\":\"CoinHive.Anonymous('k') \xe2\x80\xa8 \\u007f\"}}");
    /* unknown rank: null; empty fields present */
    mt_web_finding_init(&f);
    f.ts = 0;
    mt_buf_reset(&b);
    mt_web_finding_to_json(&f, &b);
    mt_buf_putc(&b, '\0');
    assert_string_equal(b.p,
        "{\"timestamp\":\"1970-01-01T00:00:00.000000+0000\",\"event_type\":\"web\",\"web\":{"
        "\"domain\":\"\",\"url\":\"\",\"resource\":\"\",\"rank\":null,\"category\":\"\","
        "\"provider\":\"unknown\",\"site_key\":\"\",\"kind\":\"\",\"confidence\":0,\"evidence\":\"\"}}");
    /* fields filled to the brim (no terminator) are cut at their array */
    memset(f.evidence, 'e', sizeof f.evidence);
    memset(f.kind, 'k', sizeof f.kind);
    mt_buf_reset(&b);
    mt_web_finding_to_json(&f, &b);
    mt_buf_putc(&b, '\0');
    assert_non_null(strstr(b.p, "\"kind\":\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\","));
    mt_buf_free(&b);

    /* the JSONL sink: one line per finding */
    char *mem = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&mem, &len);
    assert_non_null(out);
    mt_web_sink *k = mt_web_sink_jsonl_new(out, 0); /* a memstream takes no setvbuf */
    mt_web_finding_init(&f);
    mt_strlcpy(f.domain, "a.example", sizeof f.domain);
    assert_int_equal(k->emit_web(k, &f), MT_OK);
    assert_int_equal(k->emit_web(k, &f), MT_OK);
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    fclose(out);
    assert_non_null(mem);
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += mem[i] == '\n';
    assert_int_equal(lines, 2);
    assert_non_null(strstr(mem, "\"domain\":\"a.example\""));
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
        cmocka_unit_test(test_uid),
        cmocka_unit_test(test_display_name),
        cmocka_unit_test_setup_teardown(test_hostile_strings_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_and_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aggregates, setup, teardown),
        cmocka_unit_test(test_eve_records),
        cmocka_unit_test_setup_teardown(test_web_put_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_aggregates, setup, teardown),
        cmocka_unit_test(test_web_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
