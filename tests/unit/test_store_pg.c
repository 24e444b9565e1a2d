/* The PostgreSQL store against a real PostgreSQL 15 server (started here
 * in a temporary directory with scripts/pg_test_server.sh, or the one
 * MT_PG_TEST_DIR names) and against the SQLite store: the same findings,
 * web findings and botnet records (the hand-built fixtures of
 * tests/unit/web_fixture.h and botnet_fixture.h, and a seeded mix of
 * traffic findings like test_store.c's) give the same summary, top values,
 * indicators, time range, web and botnet summaries in both backends, field
 * by field; the sensors filter and the per-sensor rows; exact new and
 * duplicate counts; the earliest sighting replaces the row; transactions;
 * two writers at once give the rows of two writers one after the other; a
 * writer killed with SIGKILL leaves its committed batches and nothing
 * else; a server that goes away makes writes fail with libpq's message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "unit/botnet_fixture.h"
#include "unit/web_fixture.h"
#include "util/buf.h"

static char server_dir[128]; /* the server's socket directory */
static int own_server;       /* started here: stopped at the end */
static char lite[256];       /* the SQLite store of the running test */
static int dbn;              /* databases made so far */

static void run_server(const char *cmd)
{
    const char *src = getenv("MT_SRC") ? getenv("MT_SRC") : ".";
    char sh[512];
    snprintf(sh, sizeof sh, "bash '%s/scripts/pg_test_server.sh' %s '%s'", src, cmd, server_dir);
    int rc = system(sh);
    if (strcmp(cmd, "start") == 0 && rc != 0) {
        int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
        const char *ci = getenv("CI");
        if (code == 3 && !(ci && strcmp(ci, "true") == 0)) {
            fprintf(stderr, "test_store_pg: SKIPPED: no PostgreSQL 15 server binaries (install postgresql-15)\n");
            exit(77);
        }
        fprintf(stderr, "test_store_pg: FAIL: cannot start the PostgreSQL test server (%s)\n",
                code == 3 ? "the server binaries are missing, and in CI these tests are required" : "see above");
        exit(1);
    }
}

static void stop_server(void)
{
    if (own_server) {
        own_server = 0;
        run_server("stop");
    }
}

static void uri_of(const char *db, char *out, size_t cap)
{
    snprintf(out, cap, "postgresql:///%s?host=%s&user=minetrace", db, server_dir);
}

static PGconn *admin(const char *db)
{
    char u[256];
    uri_of(db, u, sizeof u);
    PGconn *c = PQconnectdb(u);
    if (PQstatus(c) != CONNECTION_OK) print_message("%s\n", PQerrorMessage(c));
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    return c;
}

static void sql_on(const char *db, const char *sql)
{
    PGconn *c = admin(db);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        print_message("%s: %s\n", sql, PQerrorMessage(c));
    assert_true(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    PQclear(r);
    PQfinish(c);
}

static long long pg_scalar(const char *db, const char *sql)
{
    PGconn *c = admin(db);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) print_message("%s: %s\n", sql, PQerrorMessage(c));
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    long long v = PQgetisnull(r, 0, 0) ? -1 : atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* Every row of a query as one text (fields '|', rows '\n'). */
static char *pg_dump(const char *db, const char *sql)
{
    PGconn *c = admin(db);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) print_message("%s: %s\n", sql, PQerrorMessage(c));
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    size_t cap = 1 << 16, n = 0;
    char *o = malloc(cap);
    o[0] = '\0';
    for (int i = 0; i < PQntuples(r); i++)
        for (int j = 0; j < PQnfields(r); j++) {
            const char *v = PQgetvalue(r, i, j);
            size_t k = strlen(v) + 2;
            while (n + k + 1 > cap) o = realloc(o, cap *= 2);
            n += (size_t)sprintf(o + n, "%s%c", v, j + 1 == PQnfields(r) ? '\n' : '|');
        }
    PQclear(r);
    PQfinish(c);
    return o;
}

static char *lite_dump(const char *sql)
{
    sqlite3 *d;
    assert_int_equal(sqlite3_open_v2(lite, &d, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
    size_t cap = 1 << 16, n = 0;
    char *o = malloc(cap);
    o[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int j = 0; j < sqlite3_column_count(st); j++) {
            const char *v = (const char *)sqlite3_column_text(st, j);
            if (!v) v = "";
            size_t k = strlen(v) + 2;
            while (n + k + 1 > cap) o = realloc(o, cap *= 2);
            n += (size_t)sprintf(o + n, "%s%c", v, j + 1 == sqlite3_column_count(st) ? '\n' : '|');
        }
    sqlite3_finalize(st);
    sqlite3_close(d);
    return o;
}

/* A new, empty database; its URI in out. */
static void new_db(char *name, size_t ncap, char *uri, size_t ucap)
{
    snprintf(name, ncap, "t%d_%d", (int)getpid(), ++dbn);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    sql_on("postgres", sql);
    uri_of(name, uri, ucap);
}

static int setup(void **state)
{
    (void)state;
    snprintf(lite, sizeof lite, "/tmp/mt_test_store_pg_%d.db", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char x[300];
    unlink(lite);
    snprintf(x, sizeof x, "%s-wal", lite);
    unlink(x);
    snprintf(x, sizeof x, "%s-shm", lite);
    unlink(x);
    return 0;
}

static mt_store *open_as(const char *where, const char *sensor)
{
    mt_store_opts o = {MT_STORE_CREATE, sensor};
    mt_store *s = mt_store_open(where, &o);
    if (!s) print_message("%s\n", mt_error_msg());
    assert_non_null(s);
    return s;
}

/* ---- the traffic fixture: test_store.c's mix, seeded ---- */

#define DAY 86400000000LL
#define T0 1514764800000000LL /* 2018-01-01 */
#define NDAYS 70              /* three months: three partitions */

static const char *A_FAM[] = {"monero-miner", "", "wannamine", "(unknown)"};
static const char *A_POOL[] = {"", "pool.minexmr.com", "xmr.pool.minergate.com", "<b>", "Pool.MineXMR.com"};
static const char *A_AGENT[] = {"", "XMRig/2.5.0", "xmr-stak", "ag\tent\\with\nnewline"};
static const mt_finding_kind A_KIND[] = {MT_KIND_DNS, MT_KIND_STRATUM, MT_KIND_TLS, MT_KIND_HTTP, MT_KIND_IP};

static void sample(mt_finding *f)
{
    mt_finding_init(f);
    f->flow_id = 42;
    mt_addr_parse("2001:db8::1", &f->dst);
    f->src_port = 50000;
    f->ipproto = 6;
    mt_strlcpy(f->protocol, "stratum-v1", sizeof f->protocol);
    f->confidence = 95;
    mt_strlcpy(f->evidence, "login with agent XMRig/6.18", sizeof f->evidence);
    mt_strlcpy(f->source, "pcap", sizeof f->source);
}

/* n findings from seed; many share an identity (a host's same evidence on
 * one day), at different times of the day. */
static void fixture(uint64_t seed, mt_finding *out, size_t n)
{
    uint64_t r = seed;
    for (size_t i = 0; i < n; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        mt_finding *f = &out[i];
        sample(f);
        f->ts = T0 + (int64_t)(r % (uint64_t)(NDAYS * DAY));
        char ip[32];
        snprintf(ip, sizeof ip, "10.0.%d.%d", (int)(r >> 20) % 3, (int)(r >> 24) % 40);
        mt_addr_parse(ip, &f->src);
        f->event_type = (r >> 30) % 10 ? MT_EVENT_MINING : MT_EVENT_PRECURSOR;
        f->kind = A_KIND[(r >> 34) % 5];
        unsigned p = (unsigned)(r >> 38) % 10;
        f->dst_port = (uint16_t)(p < 4 ? 3333 : p < 6 ? 443 : p < 7 ? 80 : p < 8 ? 0 : 1 + (r >> 42) % 65535);
        mt_strlcpy(f->family, A_FAM[(r >> 44) % 4], sizeof f->family);
        mt_strlcpy(f->pool, A_POOL[(r >> 46) % 5], sizeof f->pool);
        mt_strlcpy(f->agent, A_AGENT[(r >> 48) % 4], sizeof f->agent);
        snprintf(f->wallet, sizeof f->wallet, "%s", (r >> 50) % 3 ? "" : (r >> 52) % 2 ? "4W1" : "4W2");
        f->src_port = (uint16_t)(1024 + (r >> 53) % 60000);
        f->confidence = 40 + (int)((r >> 56) % 61);
        if ((r >> 58) % 16 == 0) mt_strlcpy(f->evidence, "bad \xff\xfe utf-8", sizeof f->evidence);
    }
}

#define NF 12000 /* more than one batch */
static mt_finding fa[NF], fb[NF];

static void put_all_findings(mt_store *s, const mt_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) assert_int_equal(mt_store_put(s, &f[i], 1), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
}

/* ---- comparing results ---- */

static int cmp_group(const void *a, const void *b)
{
    const mt_store_group *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->name2 ? x->name2 : "", y->name2 ? y->name2 : "");
}

static int cmp_host(const void *a, const void *b)
{
    return strcmp(((const mt_store_host *)a)->addr, ((const mt_store_host *)b)->addr);
}

/* Text as the server holds it: invalid UTF-8 bytes become U+FFFD. */
static void fold_utf8(const char *in, char *out, size_t cap)
{
    mt_buf b;
    mt_buf_init(&b);
    const unsigned char *u = (const unsigned char *)in;
    size_t n = strlen(in);
    for (size_t i = 0; i < n;) {
        size_t k = u[i] < 0x80 ? 1 : mt_utf8_seq_len(u + i, n - i);
        if (k) mt_buf_put(&b, u + i, k);
        else mt_buf_put(&b, "\xef\xbf\xbd", 3);
        i += k ? k : 1;
    }
    mt_strlcpy(out, mt_buf_cstr(&b), cap);
    mt_buf_free(&b);
}

static void same_groups(mt_store_group *a, size_t na, mt_store_group *b, size_t nb)
{
    assert_int_equal(na, nb);
    qsort(a, na, sizeof *a, cmp_group);
    qsort(b, nb, sizeof *b, cmp_group);
    for (size_t i = 0; i < na; i++) {
        char fa_[600], fb_[600];
        fold_utf8(a[i].name, fa_, sizeof fa_);
        fold_utf8(b[i].name, fb_, sizeof fb_);
        assert_string_equal(fa_, fb_);
        assert_true((a[i].name2 == NULL) == (b[i].name2 == NULL));
        if (a[i].name2) assert_string_equal(a[i].name2, b[i].name2);
        assert_int_equal(a[i].findings, b[i].findings);
        assert_int_equal(a[i].hosts, b[i].hosts);
    }
}

static void same_summary(mt_store_summary *a, mt_store_summary *b, const mt_store_query *q)
{
    assert_int_equal(a->findings, b->findings);
    assert_int_equal(a->mining, b->mining);
    assert_int_equal(a->precursor, b->precursor);
    assert_int_equal(a->nhosts, b->nhosts);
    qsort(a->hosts, a->nhosts, sizeof *a->hosts, cmp_host);
    qsort(b->hosts, b->nhosts, sizeof *b->hosts, cmp_host);
    for (size_t i = 0; i < a->nhosts; i++) {
        assert_string_equal(a->hosts[i].addr, b->hosts[i].addr);
        assert_int_equal(a->hosts[i].findings, b->hosts[i].findings);
        assert_int_equal(a->hosts[i].mining, b->hosts[i].mining);
        assert_int_equal(a->hosts[i].port_findings, b->hosts[i].port_findings);
    }
    if (q->want & MT_SQ_BUCKETS)
        for (int m = 0; m < 2; m++)
            for (size_t k = 0; k < q->buckets[m].nbuckets; k++) {
                assert_int_equal(a->bucket_findings[m][k], b->bucket_findings[m][k]);
                assert_int_equal(a->bucket_hosts[m][k], b->bucket_hosts[m][k]);
            }
    if (q->want & MT_SQ_MIX) {
        same_groups(a->families, a->nfamilies, b->families, b->nfamilies);
        same_groups(a->kinds, a->nkinds, b->kinds, b->nkinds);
        same_groups(a->behaviours, a->nbehaviours, b->behaviours, b->nbehaviours);
    }
    if (q->want & MT_SQ_PORTS)
        for (int p = 0; p < MT_STORE_NPORTS; p++) {
            assert_int_equal(a->port_findings[p], b->port_findings[p]);
            assert_int_equal(a->port_hosts[p], b->port_hosts[p]);
        }
}

/* Summary, top, indicators and time range of store a and store b (b read
 * with sensors sb) are the same, over several ranges and bucket maps. */
static void same_traffic(mt_store *a, mt_store *b, mt_store_sensors sb)
{
    mt_time_us start[NDAYS];
    int32_t bucket[NDAYS];
    for (int d = 1; d < NDAYS; d++) {
        start[d - 1] = T0 + d * DAY + 3600000000LL * (d % 5); /* pieces not on UTC midnight */
        bucket[d - 1] = d == 5 ? -1 : d % 7;
    }
    const mt_time_us ranges[][2] = {{T0 + 2 * DAY, T0 + 32 * DAY}, {0, INT64_MAX}, {T0 + 40 * DAY, T0 + 40 * DAY},
                                    {T0 + 10 * DAY + 12345, T0 + 65 * DAY - 1}};
    for (size_t ri = 0; ri < sizeof ranges / sizeof ranges[0]; ri++) {
        mt_store_query q = {ranges[ri][0], ranges[ri][1], MT_SQ_BUCKETS | MT_SQ_MIX | MT_SQ_PORTS | MT_SQ_TOP,
                            {{start, bucket, NDAYS - 1, 7}, {start, bucket, 3, 7}}, {NULL, 0}};
        mt_store_summary sa, sb_;
        assert_int_equal(mt_store_summary_get(a, &q, &sa), MT_OK);
        q.sensors = sb;
        assert_int_equal(mt_store_summary_get(b, &q, &sb_), MT_OK);
        same_summary(&sa, &sb_, &q);
        mt_store_summary_free(&sa);
        mt_store_summary_free(&sb_);
        mt_store_top ta, tb;
        q.sensors = (mt_store_sensors){NULL, 0};
        assert_int_equal(mt_store_top_get(a, &q, &ta), MT_OK);
        q.sensors = sb;
        assert_int_equal(mt_store_top_get(b, &q, &tb), MT_OK);
        for (int c = 0; c < 3; c++) {
            assert_int_equal(ta.total[c], tb.total[c]);
            same_groups(ta.v[c], ta.n[c], tb.v[c], tb.n[c]);
        }
        mt_store_top_free(&ta);
        mt_store_top_free(&tb);
    }
    for (int minc = 0; minc <= 90; minc += 45) {
        mt_store_indicator_query iq = {0, 0, minc, {NULL, 0}};
        mt_store_indicators ia, ib;
        assert_int_equal(mt_store_indicators_get(a, &iq, &ia), MT_OK);
        iq.sensors = sb;
        assert_int_equal(mt_store_indicators_get(b, &iq, &ib), MT_OK);
        assert_int_equal(ia.n, ib.n);
        for (size_t i = 0; i < ia.n; i++) {
            assert_int_equal(ia.v[i].type, ib.v[i].type);
            char x[600];
            fold_utf8(ia.v[i].value, x, sizeof x);
            assert_string_equal(x, ib.v[i].value); /* the same order too */
            assert_int_equal(ia.v[i].findings, ib.v[i].findings);
            assert_int_equal(ia.v[i].first_seen, ib.v[i].first_seen);
            assert_int_equal(ia.v[i].last_seen, ib.v[i].last_seen);
        }
        mt_store_indicators_free(&ia);
        mt_store_indicators_free(&ib);
    }
    mt_time_us f1, l1, f2, l2;
    assert_int_equal(mt_store_time_range(a, NULL, &f1, &l1), 1);
    assert_int_equal(mt_store_time_range(b, &sb, &f2, &l2), 1);
    assert_int_equal(f1, f2);
    assert_int_equal(l1, l2);
}

#define ROWS "SELECT uid, ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto, event_type, kind, protocol," \
    " pool, wallet, worker, agent, algo, family, confidence, evidence, source, sensor FROM findings"

/* The same findings in SQLite and PostgreSQL: every aggregate the same;
 * stored again: no new rows, every one a duplicate; the rows themselves
 * (the earliest sighting of each identity) the same. */
static void test_traffic_same_as_sqlite(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    fixture(0x9e3779b97f4a7c15ULL, fa, NF);
    mt_store *a = open_as(lite, "");
    mt_store *b = open_as(uri, "");
    assert_string_equal(mt_store_backend(b), "postgresql");
    put_all_findings(a, fa, NF);
    put_all_findings(b, fa, NF);
    uint64_t na, da, nb, db_;
    mt_store_counts(a, &na, &da);
    mt_store_counts(b, &nb, &db_);
    assert_int_equal(na, nb);
    assert_int_equal(da, db_);
    assert_true(da > 0 && na > 1000); /* the fixture has duplicates within and across batches */
    const char *plan;
    assert_int_equal(mt_store_prepare(a, MT_SQ_MIX | MT_SQ_TOP, &plan), MT_OK);
    assert_int_equal(mt_store_prepare(b, MT_SQ_MIX | MT_SQ_TOP, &plan), MT_OK);
    assert_string_equal(plan, "server-aggregate");
    same_traffic(a, b, (mt_store_sensors){NULL, 0});
    mt_store_close(b);
    /* Again, in reverse order, one batch per call: nothing new. */
    b = open_as(uri, "");
    for (size_t i = NF; i-- > 0;) assert_int_equal(mt_store_put(b, &fa[i], 1), MT_OK);
    assert_int_equal(mt_store_commit(b), MT_OK);
    mt_store_counts(b, &nb, &db_);
    assert_int_equal(nb, 0);
    assert_int_equal(db_, NF);
    mt_store_close(b);
    mt_store_close(a);
    /* Row by row (bad UTF-8 folded as the server holds it). */
    char *rl = lite_dump(ROWS " ORDER BY uid");
    char *rp = pg_dump(db, ROWS " ORDER BY uid");
    size_t n = strlen(rl) * 2 + 1;
    char *fl = malloc(n);
    fold_utf8(rl, fl, n);
    /* SQLite prints integers the same; the uid is signed in both. */
    assert_string_equal(fl, rp);
    free(fl);
    free(rl);
    free(rp);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'findings'::regclass"), 3);
}

/* The families' and kinds' hosts come from one bit per (family, kind) cell
 * in each host's row while there are at most 64 cells, else from
 * count(DISTINCT): 16 families x 4 kinds (the last bit, 63, in use) and
 * 13 x 5 (65 cells) give SQLite's numbers both ways. */
static void test_many_families(void **state)
{
    (void)state;
    static const struct {
        int nfam, nkind;
    } mixes[] = {{16, 4}, {13, 5}};
    for (size_t m = 0; m < sizeof mixes / sizeof mixes[0]; m++) {
        char db[64], uri[256];
        new_db(db, sizeof db, uri, sizeof uri);
        teardown(NULL); /* a new SQLite file too */
        fixture(0x0123456789abcdefULL + m, fa, NF);
        for (size_t i = 0; i < NF; i++) {
            snprintf(fa[i].family, sizeof fa[i].family, "family-%02d", (int)(i % (size_t)mixes[m].nfam));
            fa[i].kind = A_KIND[(i / (size_t)mixes[m].nfam) % (size_t)mixes[m].nkind];
        }
        mt_store *a = open_as(lite, "");
        mt_store *b = open_as(uri, "");
        put_all_findings(a, fa, NF);
        put_all_findings(b, fa, NF);
        mt_store_query q = {0, INT64_MAX, MT_SQ_MIX, {{NULL, NULL, 0, 0}, {NULL, NULL, 0, 0}}, {NULL, 0}};
        mt_store_summary sb;
        assert_int_equal(mt_store_summary_get(b, &q, &sb), MT_OK);
        assert_int_equal(sb.nfamilies, (size_t)mixes[m].nfam);
        assert_int_equal(sb.nkinds, (size_t)mixes[m].nkind);
        assert_int_equal(sb.nbehaviours, (size_t)(mixes[m].nfam * mixes[m].nkind));
        mt_store_summary_free(&sb);
        same_traffic(a, b, (mt_store_sensors){NULL, 0});
        mt_store_close(a);
        mt_store_close(b);
    }
}

/* A later sighting stored first is replaced by the earlier one, within a
 * batch and across runs; an equal or later one changes nothing. */
static void test_earliest_replaces(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    mt_finding f[3];
    for (int i = 0; i < 3; i++) {
        sample(&f[i]);
        mt_addr_parse("10.1.1.1", &f[i].src);
        f[i].kind = MT_KIND_STRATUM;
        mt_strlcpy(f[i].pool, "pool.example", sizeof f[i].pool);
    }
    f[0].ts = T0 + 50000000;
    f[0].src_port = 1000;
    f[1].ts = T0 + 10000000; /* the earliest */
    f[1].src_port = 2000;
    f[2].ts = T0 + 30000000;
    f[2].src_port = 3000;
    mt_store *a = open_as(lite, "s"), *b = open_as(uri, "s");
    for (mt_store *s = a; s; s = s == a ? b : NULL) {
        assert_int_equal(mt_store_put(s, &f[0], 1), MT_OK);
        assert_int_equal(mt_store_commit(s), MT_OK);
        assert_int_equal(mt_store_put(s, &f[2], 1), MT_OK);
        assert_int_equal(mt_store_put(s, &f[1], 1), MT_OK);
        assert_int_equal(mt_store_commit(s), MT_OK);
        assert_int_equal(mt_store_put(s, &f[2], 1), MT_OK);
        assert_int_equal(mt_store_commit(s), MT_OK);
        uint64_t nn, dd;
        mt_store_counts(s, &nn, &dd);
        assert_int_equal(nn, 1);
        assert_int_equal(dd, 3);
    }
    mt_store_close(a);
    mt_store_close(b);
    assert_int_equal(pg_scalar(db, "SELECT src_port FROM findings"), 2000);
    char *rl = lite_dump(ROWS), *rp = pg_dump(db, ROWS);
    assert_string_equal(rl, rp);
    free(rl);
    free(rp);
}

/* Sensors: a store of two sensors read for one is that sensor's store;
 * the per-sensor rows. */
static void test_sensors(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    fixture(0x1234567887654321ULL, fa, NF);
    fixture(0x0fedcba987654321ULL, fb, NF);
    mt_store *a = open_as(lite, "north");
    put_all_findings(a, fa, NF);
    mt_store *b1 = open_as(uri, "north"), *b2 = open_as(uri, "south");
    put_all_findings(b1, fa, NF / 2);
    put_all_findings(b2, fb, NF);
    put_all_findings(b1, fa + NF / 2, NF - NF / 2);
    mt_store_close(b2);
    const char *north[] = {"north"};
    same_traffic(a, b1, (mt_store_sensors){north, 1});
    mt_store_close(a);
    /* Both sensors: the counts add up (the addresses are the same hosts
     * in two networks: distinct per sensor, one host when both are read). */
    const char *both[] = {"south", "north"};
    mt_store_query q = {0, INT64_MAX, MT_SQ_SENSORS, {{0}}, {both, 2}};
    mt_store_summary all, one;
    assert_int_equal(mt_store_summary_get(b1, &q, &all), MT_OK);
    assert_int_equal(all.nsensors, 2);
    uint64_t sum = 0;
    for (size_t i = 0; i < 2; i++) {
        mt_store_query q1 = {0, INT64_MAX, 0, {{0}}, {(const char *const *)&all.sensors[i].sensor, 1}};
        assert_int_equal(mt_store_summary_get(b1, &q1, &one), MT_OK);
        assert_int_equal(all.sensors[i].findings, one.findings);
        assert_int_equal(all.sensors[i].mining, one.mining);
        assert_int_equal(all.sensors[i].precursor, one.precursor);
        assert_int_equal(all.sensors[i].hosts, one.nhosts);
        uint64_t mh = 0;
        for (size_t h = 0; h < one.nhosts; h++) mh += one.hosts[h].mining > 0;
        assert_int_equal(all.sensors[i].mining_hosts, mh);
        mt_time_us f, l;
        assert_int_equal(mt_store_time_range(b1, &q1.sensors, &f, &l), 1);
        assert_int_equal(all.sensors[i].first, f);
        assert_int_equal(all.sensors[i].last, l);
        sum += one.findings;
        mt_store_summary_free(&one);
        if (i) assert_true(all.sensors[i - 1].findings >= all.sensors[i].findings); /* most first */
    }
    assert_int_equal(all.findings, sum);
    mt_store_summary_free(&all);
    /* A sensor that wrote nothing has nothing. */
    const char *none[] = {"east"};
    mt_time_us f, l;
    assert_int_equal(mt_store_time_range(b1, &(mt_store_sensors){none, 1}, &f, &l), 0);
    mt_store_close(b1);
}

/* Transactions: nothing before commit, rollback discards (also rows
 * already sent to the server), counts only what was committed. */
static void test_transactions(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    fixture(0x5555555555555555ULL, fa, NF);
    mt_store *s = open_as(uri, "");
    assert_int_equal(mt_store_begin(s), MT_OK);
    assert_int_equal(mt_store_begin(s), MT_EINVAL);
    for (size_t i = 0; i < NF; i++) assert_int_equal(mt_store_put(s, &fa[i], 1), MT_OK);
    assert_int_equal(mt_store_rollback(s), MT_OK);
    uint64_t n, d;
    mt_store_counts(s, &n, &d);
    assert_int_equal(n + d, 0);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(mt_store_begin(s), MT_OK);
    for (size_t i = 0; i < 100; i++) assert_int_equal(mt_store_put(s, &fa[i], 1), MT_OK);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(mt_store_commit(s), MT_OK);
    mt_store_counts(s, &n, &d);
    assert_int_equal(n + d, 100);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM findings"), (long long)n);
    mt_store_ingest_row row = {"in\tput.json", "eve", "ok", 1, 2, 3, 4, 5, 6, 7};
    assert_int_equal(mt_store_put_ingest_log(s, &row), MT_OK);
    mt_store_close(s);
    char *r = pg_dump(db, "SELECT path, format, status, started, finished, records, findings_new, findings_dup,"
                          " skipped_malformed, skipped_unknown, sensor FROM ingest_log");
    assert_string_equal(r, "in\tput.json|eve|ok|1|2|3|4|5|6|7|\n");
    free(r);
    /* Read-only: no writes. */
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    s = mt_store_open(uri, &ro);
    assert_non_null(s);
    assert_int_equal(mt_store_put(s, fa, 1), MT_EINVAL);
    mt_store_close(s);
}

/* Two writers at once (each its sensor, into a new database: both make the
 * schema and the same month partitions at the same time) store the rows
 * two writers one after the other store; again: nothing new. */
static void write_child(const char *uri, const char *sensor, const mt_finding *f, size_t n, int expect_new)
{
    pid_t p = fork();
    assert_true(p >= 0);
    if (p) return;
    mt_store_opts o = {MT_STORE_CREATE, sensor};
    mt_store *s = mt_store_open(uri, &o);
    if (!s) {
        fprintf(stderr, "child: %s\n", mt_error_msg());
        _exit(3);
    }
    for (size_t i = 0; i < n; i++)
        if (mt_store_put(s, &f[i], 1) != MT_OK) {
            fprintf(stderr, "child: %s\n", mt_error_msg());
            _exit(4);
        }
    int rc = mt_store_commit(s);
    if (rc != MT_OK) fprintf(stderr, "child: %s\n", mt_error_msg());
    uint64_t nn, dd;
    mt_store_counts(s, &nn, &dd);
    mt_store_close(s);
    _exit(rc != MT_OK ? 5 : expect_new >= 0 ? (nn == (uint64_t)expect_new ? 0 : 6) : (nn > 0 ? 0 : 6));
}

static void wait_children(int n)
{
    for (int i = 0; i < n; i++) {
        int st;
        assert_true(wait(&st) > 0);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    char d1[64], u1[256], d2[64], u2[256];
    new_db(d1, sizeof d1, u1, sizeof u1);
    new_db(d2, sizeof d2, u2, sizeof u2);
    fixture(0xabcdef0123456789ULL, fa, NF);
    fixture(0x13579bdf2468ace0ULL, fb, NF);
    write_child(u1, "s1", fa, NF, -1);
    write_child(u1, "s2", fb, NF, -1);
    wait_children(2);
    write_child(u2, "s1", fa, NF, -1);
    wait_children(1);
    write_child(u2, "s2", fb, NF, -1);
    wait_children(1);
    char *r1 = pg_dump(d1, ROWS " ORDER BY sensor, uid"), *r2 = pg_dump(d2, ROWS " ORDER BY sensor, uid");
    assert_true(strlen(r1) > 1000);
    assert_string_equal(r1, r2);
    free(r1);
    free(r2);
    /* Both again at once: no new row. */
    write_child(u1, "s1", fa, NF, 0);
    write_child(u1, "s2", fb, NF, 0);
    wait_children(2);
    assert_int_equal(pg_scalar(d1, "SELECT count(*) FROM findings"), pg_scalar(d2, "SELECT count(*) FROM findings"));
}

/* A writer killed (SIGKILL) inside a transaction whose rows were partly
 * sent already: its committed batches are there, nothing of the open one,
 * and the lost rows can be written again. */
static void test_killed_writer(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    fixture(0x2468ace013579bdfULL, fa, NF);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t p = fork();
    assert_true(p >= 0);
    if (!p) {
        close(pfd[0]);
        mt_store *s = mt_store_open(uri, NULL);
        if (!s) _exit(3);
        for (size_t i = 0; i < 3000; i++) mt_store_put(s, &fa[i], 1);
        if (mt_store_commit(s) != MT_OK) _exit(4);
        mt_store_begin(s);
        for (size_t i = 3000; i < NF; i++) mt_store_put(s, &fa[i], 1); /* one batch sent, uncommitted */
        if (write(pfd[1], "x", 1) != 1) _exit(5);
        pause();
        _exit(0);
    }
    close(pfd[1]);
    char c;
    assert_int_equal(read(pfd[0], &c, 1), 1);
    close(pfd[0]);
    kill(p, SIGKILL);
    int st;
    waitpid(p, &st, 0);
    assert_true(WIFSIGNALED(st));
    /* The server notices the dead client and rolls back. */
    long long active = 1;
    for (int i = 0; i < 100 && active; i++) {
        active = pg_scalar(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND"
                               " pid <> pg_backend_pid() AND backend_type = 'client backend'");
        if (active) usleep(50000);
    }
    mt_store *s = open_as(uri, "");
    uint64_t n, d;
    for (size_t i = 0; i < 3000; i++) assert_int_equal(mt_store_put(s, &fa[i], 1), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
    mt_store_counts(s, &n, &d);
    assert_int_equal(n, 0); /* the first batch was committed */
    long long have = pg_scalar(db, "SELECT count(*) FROM findings");
    assert_int_equal(d, 3000);
    put_all_findings(s, fa + 3000, NF - 3000);
    mt_store_counts(s, &n, &d);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM findings"), have + (long long)n);
    assert_true(n > 0);
    mt_store_close(s);
}

/* The server goes away mid-run: the write fails with a message, no crash,
 * and the store closes. */
static void test_server_gone(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    fixture(0x1111222233334444ULL, fa, NF);
    mt_store *s = open_as(uri, "");
    put_all_findings(s, fa, 100);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' AND"
             " pid <> pg_backend_pid()", db);
    sql_on("postgres", sql);
    int rc = MT_OK;
    for (size_t i = 100; i < NF && rc == MT_OK; i++) rc = mt_store_put(s, &fa[i], 1);
    if (rc == MT_OK) rc = mt_store_commit(s);
    assert_int_equal(rc, MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "postgresql"));
    assert_int_not_equal(mt_store_put(s, fa, 1) == MT_OK && mt_store_commit(s) == MT_OK, 1);
    mt_store_query q = {0, INT64_MAX, MT_SQ_MIX, {{0}}, {NULL, 0}};
    mt_store_summary sm;
    assert_int_equal(mt_store_summary_get(s, &q, &sm), MT_EIO);
    mt_store_close(s);
}

/* Opening: no server, an empty database read-only, a database of someone
 * else's findings table, a newer schema, two openers of a new database. */
static void test_open(void **state)
{
    (void)state;
    char db[64], uri[256], bad[300];
    snprintf(bad, sizeof bad, "postgresql:///postgres?host=/nonexistent-dir&user=minetrace");
    assert_null(mt_store_open(bad, NULL));
    assert_non_null(strstr(mt_error_msg(), "postgresql: cannot connect"));
    new_db(db, sizeof db, uri, sizeof uri);
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    assert_null(mt_store_open(uri, &ro));
    assert_non_null(strstr(mt_error_msg(), "empty"));
    sql_on(db, "CREATE TABLE findings(x int)");
    assert_null(mt_store_open(uri, NULL));
    assert_non_null(strstr(mt_error_msg(), "not a minetrace store"));
    new_db(db, sizeof db, uri, sizeof uri);
    write_child(uri, "a", fa, 10, -1);
    write_child(uri, "b", fa, 10, -1);
    write_child(uri, "c", fa, 10, -1);
    wait_children(3);
    mt_store *s = mt_store_open(uri, &ro);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 1);
    mt_store_close(s);
    sql_on(db, "UPDATE mt_schema SET version = 99");
    assert_null(mt_store_open(uri, NULL));
    assert_non_null(strstr(mt_error_msg(), "newer than this minetrace knows"));
    assert_null(mt_store_open(uri, &ro));
    /* The short scheme. */
    char alt[300];
    snprintf(alt, sizeof alt, "postgres:///%s?host=%s&user=minetrace", db, server_dir);
    assert_null(mt_store_open(alt, &ro));
    assert_non_null(strstr(mt_error_msg(), "newer"));
}

/* ---- web findings ---- */

static mt_web_finding web_set[WEB_MAXF];

static void same_web_groups(mt_store_web_group *a, size_t na, mt_store_web_group *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) { /* both sorted by the SQL */
        assert_string_equal(a[i].name, b[i].name);
        assert_true((a[i].provider == NULL) == (b[i].provider == NULL));
        if (a[i].provider) assert_string_equal(a[i].provider, b[i].provider);
        assert_int_equal(a[i].findings, b[i].findings);
        assert_int_equal(a[i].sites, b[i].sites);
    }
}

static void same_web(mt_store *a, mt_store *b, mt_store_sensors sb)
{
    static const uint32_t e1[] = {100, 1000, 100000}, e2[] = {1};
    const struct { const uint32_t *e; size_t n; int minc; mt_time_us from, to; size_t top; } qs[] = {
        {NULL, 0, 50, 0, 0, 0}, {e1, 3, 0, 0, 0, 5}, {e2, 1, 80, WEB_T0 + 50000000, WEB_T0 + 200000000, 0}};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        mt_store_web_query q = {qs[i].from, qs[i].to, qs[i].minc, {0}, qs[i].n, qs[i].top, {NULL, 0}};
        if (qs[i].n) memcpy(q.edges, qs[i].e, qs[i].n * sizeof *q.edges);
        mt_store_web_summary wa, wb;
        assert_int_equal(mt_store_web_summary_get(a, &q, &wa), MT_OK);
        q.sensors = sb;
        assert_int_equal(mt_store_web_summary_get(b, &q, &wb), MT_OK);
        assert_true(wa.sites > 0 || i == 2);
        assert_int_equal(wa.findings, wb.findings);
        assert_int_equal(wa.confident, wb.confident);
        assert_int_equal(wa.sites, wb.sites);
        assert_int_equal(wa.pages, wb.pages);
        assert_int_equal(wa.ranked_sites, wb.ranked_sites);
        assert_int_equal(wa.unranked_sites, wb.unranked_sites);
        for (size_t k = 0; k <= wa.nedges; k++) assert_int_equal(wa.rank_sites[k], wb.rank_sites[k]);
        same_web_groups(wa.categories, wa.ncategories, wb.categories, wb.ncategories);
        same_web_groups(wa.providers, wa.nproviders, wb.providers, wb.nproviders);
        same_web_groups(wa.kinds, wa.nkinds, wb.kinds, wb.nkinds);
        same_web_groups(wa.keys, wa.nkeys, wb.keys, wb.nkeys);
        assert_int_equal(wa.distinct_keys, wb.distinct_keys);
        assert_int_equal(wa.campaigns, wb.campaigns);
        assert_int_equal(wa.keyed_sites, wb.keyed_sites);
        mt_store_web_summary_free(&wa);
        mt_store_web_summary_free(&wb);
    }
}

static void test_web_same_as_sqlite(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    size_t n = web_fixture(web_set);
    mt_store *a = open_as(lite, "w1");
    mt_store *b = open_as(uri, "w1"), *b2 = open_as(uri, "w2");
    assert_int_equal(mt_store_web_present(b), 0);
    assert_int_equal(mt_store_put_web(a, web_set, n), MT_OK);
    assert_int_equal(mt_store_put_web(b, web_set, n), MT_OK);
    assert_int_equal(mt_store_put_web(b2, web_set, n / 2), MT_OK); /* another sensor's share */
    assert_int_equal(mt_store_put_web(b, web_set, 10), MT_OK);     /* repeated in the batch */
    assert_int_equal(mt_store_commit(a), MT_OK);
    assert_int_equal(mt_store_commit(b), MT_OK);
    assert_int_equal(mt_store_commit(b2), MT_OK);
    uint64_t nn, dd;
    mt_store_counts(b, &nn, &dd);
    assert_int_equal(nn, n);
    assert_int_equal(dd, 10);
    assert_int_equal(mt_store_web_present(b), 1);
    const char *w1[] = {"w1"};
    same_web(a, b, (mt_store_sensors){w1, 1});
    /* And the numbers worked out by hand from the fixture. */
    static const uint32_t def[] = {10000, 100000, 1000000};
    web_expect x;
    web_expected(web_set, n, 50, def, 3, &x);
    mt_store_web_query q = {0, 0, 50, {0}, 0, 0, {w1, 1}};
    mt_store_web_summary w;
    assert_int_equal(mt_store_web_summary_get(b, &q, &w), MT_OK);
    assert_int_equal(w.sites, x.sites);
    assert_int_equal(w.pages, x.pages);
    assert_int_equal(w.confident, x.confident);
    assert_int_equal(w.unranked_sites, x.unranked);
    for (int k = 0; k < 4; k++) assert_int_equal(w.rank_sites[k], x.rank[k]);
    assert_int_equal(w.distinct_keys, x.distinct_keys);
    assert_int_equal(w.campaigns, x.campaigns);
    assert_int_equal(w.keyed_sites, x.keyed_sites);
    mt_store_web_summary_free(&w);
    mt_store_close(b2);
    mt_store_close(b);
    mt_store_close(a);
    b = open_as(uri, "w1");
    assert_int_equal(mt_store_put_web(b, web_set, n), MT_OK);
    assert_int_equal(mt_store_commit(b), MT_OK);
    mt_store_counts(b, &nn, &dd);
    assert_int_equal(nn, 0);
    assert_int_equal(dd, n);
    mt_store_close(b);
}

/* ---- botnet records ---- */

static void put_botnet(mt_store *s)
{
    mt_campaign c[3];
    mt_botsource src[2];
    mt_credstat cr[4];
    bf_campaigns(c);
    bf_sources(src);
    bf_credentials(cr);
    for (int i = 0; i < 3; i++) assert_int_equal(mt_store_put_campaign(s, &c[i]), MT_OK);
    for (int i = 0; i < 2; i++) assert_int_equal(mt_store_put_botsource(s, &src[i]), MT_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(mt_store_put_credstat(s, &cr[i]), MT_OK);
    assert_int_equal(mt_store_commit(s), MT_OK);
}

static void same_str(const char *a, const char *b)
{
    char x[1024];
    fold_utf8(a, x, sizeof x);
    assert_string_equal(x, b);
}

static void same_botnet(mt_store *a, mt_store *b, mt_store_sensors sb)
{
    const mt_time_us rg[][2] = {{0, 0}, {BF_T(16, 0), BF_T(17, 0)}, {BF_T(18, 0), BF_T(30, 0)}};
    for (size_t i = 0; i < 3; i++)
        for (size_t top = 0; top < 3; top += 2) {
            mt_store_botnet_query q = {rg[i][0], rg[i][1], top, top, top, {NULL, 0}};
            mt_store_botnet_summary x, y;
            assert_int_equal(mt_store_botnet_summary_get(a, &q, &x), MT_OK);
            q.sensors = sb;
            assert_int_equal(mt_store_botnet_summary_get(b, &q, &y), MT_OK);
            assert_true(x.campaigns > 0 || i == 2);
            assert_int_equal(x.campaigns, y.campaigns);
            assert_int_equal(x.mining_campaigns, y.mining_campaigns);
            assert_int_equal(x.zombies, y.zombies);
            assert_int_equal(x.members, y.members);
            assert_int_equal(x.botnet_sources, y.botnet_sources);
            assert_int_equal(x.nrows, y.nrows);
            for (size_t k = 0; k < x.nrows; k++) {
                mt_store_campaign_row *r = &x.rows[k], *t = &y.rows[k];
                assert_string_equal(r->sensor, t->sensor);
                assert_string_equal(r->id, t->id);
                same_str(r->family, t->family);
                same_str(r->reason, t->reason);
                assert_int_equal(r->mining, t->mining);
                assert_int_equal(r->sources, t->sources);
                assert_int_equal(r->sessions, t->sessions);
                assert_int_equal(r->events, t->events);
                assert_int_equal(r->peak_active, t->peak_active);
                assert_int_equal(r->scanned, t->scanned);
                assert_int_equal(r->port22_open, t->port22_open);
                assert_int_equal(r->iot, t->iot);
                assert_int_equal(r->iot_unknown, t->iot_unknown);
                assert_int_equal(r->geo_unknown, t->geo_unknown);
                assert_int_equal(r->first_seen, t->first_seen);
                assert_int_equal(r->last_seen, t->last_seen);
                assert_string_equal(r->peak_day, t->peak_day);
                same_str(r->marker_type, t->marker_type);
                same_str(r->marker, t->marker);
            }
            assert_int_equal(x.ndays, y.ndays);
            for (size_t k = 0; k < x.ndays; k++) {
                assert_int_equal(x.days[k].day, y.days[k].day);
                assert_int_equal(x.days[k].active, y.days[k].active);
            }
            assert_int_equal(x.peak_day, y.peak_day);
            assert_int_equal(x.peak_active, y.peak_active);
            assert_int_equal(x.ncountries, y.ncountries);
            for (size_t k = 0; k < x.ncountries; k++) {
                assert_string_equal(x.countries[k].code, y.countries[k].code);
                assert_int_equal(x.countries[k].sources, y.countries[k].sources);
            }
            assert_int_equal(x.distinct_countries, y.distinct_countries);
            assert_int_equal(x.geo_unknown, y.geo_unknown);
            assert_int_equal(x.scanned, y.scanned);
            assert_int_equal(x.port22_open, y.port22_open);
            assert_int_equal(x.iot, y.iot);
            assert_int_equal(x.iot_unknown, y.iot_unknown);
            assert_int_equal(x.ncredentials, y.ncredentials);
            for (size_t k = 0; k < x.ncredentials; k++) {
                same_str(x.credentials[k].username, y.credentials[k].username);
                same_str(x.credentials[k].password, y.credentials[k].password);
                assert_int_equal(x.credentials[k].attempts, y.credentials[k].attempts);
                assert_int_equal(x.credentials[k].sources, y.credentials[k].sources);
                assert_int_equal(x.credentials[k].days, y.credentials[k].days);
                assert_int_equal(x.credentials[k].first_seen, y.credentials[k].first_seen);
                assert_int_equal(x.credentials[k].last_seen, y.credentials[k].last_seen);
            }
            assert_int_equal(x.distinct_credentials, y.distinct_credentials);
            mt_store_botnet_summary_free(&x);
            mt_store_botnet_summary_free(&y);
        }
}

#define BOT_ROWS                                                                                           \
    "SELECT 'c', sensor, campaign, CAST(mining AS text), family, reason, CAST(first_seen AS text),"            \
    " CAST(last_seen AS text), CAST(sources AS text), CAST(sessions AS text), CAST(events AS text), peak_day,"  \
    " CAST(peak_active AS text), CAST(scanned AS text), CAST(port22_open AS text), CAST(iot AS text),"        \
    " CAST(iot_unknown AS text), CAST(geo_unknown AS text), marker_type, marker, record"                      \
    " FROM campaigns UNION ALL SELECT 'd', sensor, campaign, CAST(day AS text), CAST(active AS text), '', '', '', '', '', '',"   \
    " '', '', '', '', '', '', '', '', '', '' FROM campaign_days UNION ALL SELECT 'k', sensor, campaign, country,"\
    " CAST(sources AS text), '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '' FROM campaign_countries"\
    " UNION ALL SELECT 'm', sensor, campaign, ip, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',"\
    " '' FROM campaign_members ORDER BY 1, 2, 3, 4"

static void test_botnet_same_as_sqlite(void **state)
{
    (void)state;
    char db[64], uri[256];
    new_db(db, sizeof db, uri, sizeof uri);
    mt_store *a = open_as(lite, "h1");
    mt_store *b = open_as(uri, "h1"), *b2 = open_as(uri, "h2");
    assert_int_equal(mt_store_botnet_present(b), 0);
    put_botnet(a);
    put_botnet(b);
    put_botnet(b2);
    put_botnet(b); /* a re-run replaces */
    assert_int_equal(mt_store_botnet_present(b), 1);
    const char *h1[] = {"h1"};
    same_botnet(a, b, (mt_store_sensors){h1, 1});
    mt_store_close(b2);
    mt_store_close(b);
    mt_store_close(a);
    char *rl = lite_dump(BOT_ROWS), *rp = pg_dump(db, "SELECT * FROM (" BOT_ROWS ") x WHERE sensor = 'h1'");
    size_t n = strlen(rl) * 3 + 1;
    char *fl = malloc(n);
    fold_utf8(rl, fl, n);
    assert_string_equal(fl, rp);
    free(fl);
    free(rl);
    free(rp);
    /* A bad record stores nothing. */
    b = open_as(uri, "h1");
    mt_campaign c[3];
    bf_campaigns(c);
    mt_count_item badday[] = {{"2023-02-30", 1}};
    c[0].active_per_day = badday;
    c[0].ndays = 1;
    assert_int_equal(mt_store_put_campaign(b, &c[0]), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "2023-02-30"));
    mt_store_close(b);
    assert_int_equal(pg_scalar(db, "SELECT count(*) FROM campaign_days WHERE day = 19418"), 0);
}

int main(void)
{
    const char *dir = getenv("MT_PG_TEST_DIR");
    if (dir && *dir) {
        snprintf(server_dir, sizeof server_dir, "%s", dir);
    } else {
        snprintf(server_dir, sizeof server_dir, "/tmp/mtpg.XXXXXX");
        if (!mkdtemp(server_dir)) {
            perror("mkdtemp");
            return 1;
        }
        run_server("start");
        own_server = 1;
        atexit(stop_server);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_traffic_same_as_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_families, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earliest_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sensors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_same_as_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_botnet_same_as_sqlite, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    stop_server();
    return rc;
}
