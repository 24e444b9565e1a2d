/* Tests for the SQLite findings store: schema, idempotent inserts (same
 * finding twice = one row, also across reopen), uid stability and
 * sensitivity, raw storage of hostile strings, the sink, ingest_log. */
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

#include "store/sqlite_store.h"

static char db_path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof db_path, "/tmp/mt_test_store_%d.db", (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[300];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
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

static long long scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_insert_idempotent(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_insert(s, &f), 1);
    assert_int_equal(mt_store_insert(s, &f), 0);
    /* The source label is not identifying: a scan and an ingest of its
     * JSONL output are the same finding. */
    mt_strlcpy(f.source, "jsonl", sizeof f.source);
    assert_int_equal(mt_store_insert(s, &f), 0);
    f.ts += 1;
    assert_int_equal(mt_store_insert(s, &f), 1);
    assert_int_equal(mt_store_commit(s), MT_OK);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 2);
    assert_int_equal(n_dup, 2);
    assert_int_equal(scalar(mt_store_db(s), "SELECT count(*) FROM findings"), 2);
    mt_store_close(s);

    /* Reopen: schema kept, the same finding is still a duplicate. */
    s = mt_store_open(db_path);
    assert_non_null(s);
    sample(&f);
    assert_int_equal(mt_store_insert(s, &f), 0);
    assert_int_equal(scalar(mt_store_db(s), "SELECT count(*) FROM findings"), 2);
    assert_int_equal(scalar(mt_store_db(s),
                            "SELECT value FROM meta WHERE key='schema_version'"), 1);
    assert_int_equal(scalar(mt_store_db(s), "SELECT count(*) FROM ingest_log"), 0);
    mt_store_close(s);
}

static void test_columns(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    assert_int_equal(mt_store_insert(s, &f), 1);
    mt_store_commit(s);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(mt_store_db(s),
        "SELECT ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto,"
        " event_type, kind, protocol, pool, wallet, family, confidence, source, uid"
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
    sqlite3_finalize(st);
    mt_store_close(s);
}

static void test_uid(void **state)
{
    (void)state;
    mt_finding a, b;
    sample(&a);
    sample(&b);
    assert_true(mt_finding_uid(&a) == mt_finding_uid(&b));
    /* Every identifying field changes the uid. */
    b.flow_id++;
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
    mt_strlcpy(b.evidence, "other", sizeof b.evidence);
    assert_true(mt_finding_uid(&a) != mt_finding_uid(&b));
    /* Non-identifying fields do not. */
    sample(&b);
    b.confidence = 10;
    mt_strlcpy(b.family, "x", sizeof b.family);
    assert_true(mt_finding_uid(&a) == mt_finding_uid(&b));
}

static void test_hostile_strings_raw(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path);
    assert_non_null(s);
    mt_finding f;
    sample(&f);
    const char *evil = "x'); DROP TABLE findings; --\"\n\t\xff\xfe<script>";
    mt_strlcpy(f.evidence, evil, sizeof f.evidence);
    mt_strlcpy(f.agent, "=cmd|' /C calc'!A0", sizeof f.agent);
    assert_int_equal(mt_store_insert(s, &f), 1);
    mt_store_commit(s);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(mt_store_db(s),
        "SELECT evidence, agent FROM findings", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), evil);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "=cmd|' /C calc'!A0");
    sqlite3_finalize(st);
    mt_store_close(s);
}

static void test_sink_and_batches(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path);
    assert_non_null(s);
    mt_sink *k = mt_sink_sqlite_new(s, 0);
    mt_finding f;
    sample(&f);
    /* More than one batch (10,000) so the batch commit path runs. */
    for (int i = 0; i < 25000; i++) {
        f.ts = 1517336012000000LL + i;
        assert_int_equal(k->emit(k, &f), MT_OK);
    }
    for (int i = 0; i < 100; i++) {
        f.ts = 1517336012000000LL + i;
        assert_int_equal(k->emit(k, &f), MT_OK); /* duplicates are fine */
    }
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    uint64_t n_new, n_dup;
    mt_store_counts(s, &n_new, &n_dup);
    assert_int_equal(n_new, 25000);
    assert_int_equal(n_dup, 100);
    assert_int_equal(scalar(mt_store_db(s), "SELECT count(*) FROM findings"), 25000);
    assert_int_equal(scalar(mt_store_db(s), "SELECT count(DISTINCT day) FROM findings"), 1);
    mt_store_close(s);
    /* An owning sink closes the store. */
    s = mt_store_open(db_path);
    k = mt_sink_sqlite_new(s, 1);
    k->close(k);
}

static void test_open_failure(void **state)
{
    (void)state;
    mt_store *s = mt_store_open("/nonexistent-dir/x/y.db");
    assert_null(s);
    assert_non_null(strstr(mt_error_msg(), "sqlite"));
    /* Not a database. */
    FILE *fp = fopen(db_path, "w");
    fputs("this is not an SQLite file, just text that is long enough......\n", fp);
    for (int i = 0; i < 100; i++) fputs("garbage garbage garbage garbage\n", fp);
    fclose(fp);
    assert_null(mt_store_open(db_path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
        cmocka_unit_test(test_uid),
        cmocka_unit_test_setup_teardown(test_hostile_strings_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_and_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
