/* Tests of the report analyses (src/analyze/): a generated year of findings
 * with every answer computed independently here (libc calendar functions,
 * naive loops), both scan paths (covering index and table scan), time
 * zones, the statistics against closed forms, and the price/asset parsers
 * on the real price files of the corpus and on malformed input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "analyze/analyze.h"
#include "analyze/assets.h"
#include "analyze/prices.h"
#include "analyze/stats.h"

/* ---- the generated year ---- */

#define NF 30000
#define NH 400
#define NMON 12

static const char *FAMS[] = {"monero-miner", "wannamine", "browser-miner", "bitcoin-miner", ""};
static const char *KINDS[] = {"dns", "stratum", "tls", "http", "smb", "websocket"};
static const char *POOLS[] = {"", "pool.minexmr.com", "xmr.pool.minergate.com", "<b>evil</b>"};
static const char *AGENTS[] = {"", "XMRig/2.5.0", "xmr-stak/2.4"};

typedef struct gf {
    int64_t ts;
    int host, mining, fam, kind, port, pool, agent;
} gf;

static gf G[NF];
static char HOSTS[NH][48];
static char dbpath[256], assetpath[256], pricepath[256];
static double MONTH_PRICE[NMON + 6]; /* 2017-10 .. 2019-03 */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "sql: %s\n", err);
    assert_int_equal(rc, SQLITE_OK);
}

/* The schema of docs/STORE.md, written out here. */
static const char *SCHEMA =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE findings(id INTEGER PRIMARY KEY, uid INTEGER UNIQUE NOT NULL, ts INTEGER NOT NULL,"
    " day INTEGER NOT NULL, flow_id INTEGER, src_ip TEXT, dest_ip TEXT, src_port INTEGER,"
    " dest_port INTEGER, proto TEXT, event_type TEXT, kind TEXT, protocol TEXT, pool TEXT,"
    " wallet TEXT, worker TEXT, agent TEXT, algo TEXT, family TEXT, confidence INTEGER,"
    " evidence TEXT, source TEXT);"
    "CREATE INDEX findings_ts ON findings(ts); CREATE INDEX findings_day_src ON findings(day, src_ip);"
    "CREATE INDEX findings_port ON findings(dest_port); CREATE INDEX findings_family ON findings(family);"
    "CREATE INDEX findings_src ON findings(src_ip);"
    "CREATE TABLE ingest_log(path TEXT, started INTEGER, finished INTEGER, records INTEGER,"
    " findings_new INTEGER, findings_dup INTEGER, skipped_malformed INTEGER, skipped_unknown INTEGER);"
    "INSERT INTO meta VALUES('schema_version','1');";

static int64_t month_start_s(int y, int m)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm);
}

static int setup_year(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/mt_test_analyze_%d.db", (int)getpid());
    snprintf(assetpath, sizeof assetpath, "/tmp/mt_test_analyze_%d.assets.csv", (int)getpid());
    snprintf(pricepath, sizeof pricepath, "/tmp/mt_test_analyze_%d.prices.csv", (int)getpid());
    unlink(dbpath);
    for (int h = 0; h < NH; h++) {
        if (h % 50 == 49) snprintf(HOSTS[h], sizeof HOSTS[h], "2001:db8:%x::%x", h / 100, h + 1);
        else snprintf(HOSTS[h], sizeof HOSTS[h], "%d.%d.%d.%d", h % 4 == 3 ? 172 : 10, h % 4,
                      (h / 4) % 3 + (h >= 200 ? 5 : 0), h % 200 + 1);
    }
    /* Activity rises to a peak in month 3 then falls (weights), as in the study. */
    static const int W[NMON] = {5, 9, 14, 16, 12, 10, 8, 7, 6, 5, 4, 4};
    int wsum = 0;
    for (int m = 0; m < NMON; m++) wsum += W[m];
    for (int i = 0; i < NF; i++) {
        int pick = (int)(rnd() % (uint64_t)wsum), m = 0;
        while (pick >= W[m]) pick -= W[m++];
        int64_t a = month_start_s(2018, m), b = month_start_s(2018, m + 1);
        G[i].ts = (a + (int64_t)(rnd() % (uint64_t)(b - a))) * 1000000 + (int64_t)(rnd() % 1000000);
        G[i].host = (int)(rnd() % NH);
        G[i].mining = rnd() % 10 != 0;
        G[i].fam = (int)(rnd() % 5);
        G[i].kind = (int)(rnd() % 6);
        uint64_t p = rnd() % 20;
        G[i].port = p < 6 ? 3333 : p < 8 ? 5555 : p < 10 ? 443 : p < 11 ? 80 : p < 12 ? 0
                  : (int)(1 + rnd() % 65535);
        G[i].pool = (int)(rnd() % 4);
        G[i].agent = (int)(rnd() % 3);
    }
    /* Price: a known monthly series (one value per day, constant in a month
     * except one odd day, so the mean is checkable). */
    FILE *pf = fopen(pricepath, "w");
    assert_non_null(pf);
    fprintf(pf, "date,price,volume\n");
    for (int k = 0; k < NMON + 6; k++) {
        int y = 2017 + (k + 9) / 12, m = (k + 9) % 12;
        MONTH_PRICE[k] = 100.0 + 30.0 * sin(k * 0.7) + k * 2.0;
        fprintf(pf, "%04d-%02d-01 00:00:00.000,%.6f,1\n", y, m + 1, MONTH_PRICE[k] - 10);
        fprintf(pf, "%04d-%02d-02 00:00:00.000,%.6f,1\n", y, m + 1, MONTH_PRICE[k] + 10);
        fprintf(pf, "%04d-%02d-03 00:00:00.000,null,1\n", y, m + 1);
    }
    fclose(pf);
    FILE *af = fopen(assetpath, "w");
    assert_non_null(af);
    fprintf(af, "network,organisation,sector,size\n"
                "10.0.0.0/8,MegaCorp,manufacturing,large\n"
                "10.1.0.0/16,Shop One,retail,small\n"
                "10.1.1.0/24,Shop Two,retail,medium\n"
                "10.2.0.0/16,\"Clinic, Inc\",health,medium\n"
                "10.2.2.7,Doctor Home,health,small\n"
                "2001:db8::/32,V6 School,education,medium\n"
                "not-a-network,x,y,small\n");
    fclose(af);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    exec(db, SCHEMA);
    exec(db, "BEGIN");
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "INSERT INTO findings(uid, ts, day, src_ip, dest_ip, dest_port, proto, event_type, kind,"
        " protocol, pool, wallet, worker, agent, algo, family, confidence, evidence, source)"
        " VALUES(?,?,?,?,'198.51.100.1',?,'TCP',?,?,?,?,?,'',?,'',?,90,'gen','eve')",
        -1, &st, NULL), SQLITE_OK);
    for (int i = 0; i < NF; i++) {
        char wallet[64];
        snprintf(wallet, sizeof wallet, "4W%d", (int)(G[i].host % 7));
        sqlite3_bind_int64(st, 1, i + 1);
        sqlite3_bind_int64(st, 2, G[i].ts);
        sqlite3_bind_int64(st, 3, G[i].ts / 86400000000LL);
        sqlite3_bind_text(st, 4, HOSTS[G[i].host], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, G[i].port);
        sqlite3_bind_text(st, 6, G[i].mining ? "mining" : "precursor", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, KINDS[G[i].kind], -1, SQLITE_STATIC);
        /* Each generated finding is its own piece of evidence (the
         * protocol names it), so the version-5 migration, which keeps one
         * row per host, evidence and day, keeps them all. */
        char proto[32];
        snprintf(proto, sizeof proto, "gen-%d", i);
        sqlite3_bind_text(st, 8, proto, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 9, POOLS[G[i].pool], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, G[i].pool ? wallet : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 11, AGENTS[G[i].agent], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, FAMS[G[i].fam], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec(db, "COMMIT");
    sqlite3_close(db);
    return 0;
}

static int teardown_year(void **state)
{
    (void)state;
    char p[300];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
    unlink(assetpath);
    unlink(pricepath);
    return 0;
}

static void base_opts(mt_rep_opts *o, int no_index)
{
    memset(o, 0, sizeof *o);
    o->db_path = dbpath;
    o->by = MT_BY_MONTH;
    assert_int_equal(mt_tz_parse("UTC", &o->tz), MT_OK);
    o->no_index = no_index;
    o->top_n = 50;
}

/* Independent month index (0..11 for 2018) via libc. */
static int libc_month(int64_t ts_us, int local)
{
    time_t t = (time_t)(ts_us / 1000000);
    struct tm tm;
    if (local) localtime_r(&t, &tm);
    else gmtime_r(&t, &tm);
    return (tm.tm_year + 1900 - 2018) * 12 + tm.tm_mon;
}

static void check_activity(const mt_report *r)
{
    static uint64_t f[NMON];
    static unsigned char seen[NMON][NH];
    memset(f, 0, sizeof f);
    memset(seen, 0, sizeof seen);
    uint64_t hosts[NMON] = {0};
    for (int i = 0; i < NF; i++) {
        if (!G[i].mining) continue;
        int m = libc_month(G[i].ts, 0);
        f[m]++;
        if (!seen[m][G[i].host]) { seen[m][G[i].host] = 1; hosts[m]++; }
    }
    assert_int_equal(r->nperiods, NMON);
    for (int m = 0; m < NMON; m++) {
        char lab[16];
        snprintf(lab, sizeof lab, "2018-%02d", m + 1);
        assert_string_equal(r->periods[m].label, lab);
        assert_int_equal(r->periods[m].findings, f[m]);
        assert_int_equal(r->periods[m].hosts, hosts[m]);
    }
}

static void check_mix(const mt_report *r)
{
    uint64_t fam[5] = {0}, famh[5] = {0};
    static unsigned char seen[5][NH];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < NF; i++) {
        fam[G[i].fam]++;
        if (!seen[G[i].fam][G[i].host]) { seen[G[i].fam][G[i].host] = 1; famh[G[i].fam]++; }
    }
    assert_int_equal(r->families.n, 5);
    for (size_t j = 0; j < r->families.n; j++) {
        const mt_rep_row *w = &r->families.v[j];
        int idx = -1;
        for (int k = 0; k < 5; k++)
            if (strcmp(w->name, FAMS[k][0] ? FAMS[k] : "(unknown)") == 0) idx = k;
        assert_true(idx >= 0);
        assert_int_equal(w->findings, fam[idx]);
        assert_int_equal(w->hosts, famh[idx]);
        assert_true(fabs(w->share - (double)fam[idx] / NF) < 1e-12);
        if (j) assert_true(r->families.v[j - 1].findings >= w->findings);
    }
    /* Behaviour "monero-miner / dns" = pool-domain lookups by Monero miners. */
    uint64_t xd = 0;
    for (int i = 0; i < NF; i++) xd += G[i].fam == 0 && G[i].kind == 0;
    int found = 0;
    for (size_t j = 0; j < r->behaviours.n; j++)
        if (strcmp(r->behaviours.v[j].name, "monero-miner / dns") == 0) {
            assert_int_equal(r->behaviours.v[j].findings, xd);
            found = 1;
        }
    assert_true(found);
    assert_int_equal(r->kinds.n, 6);
}

static void check_ports(const mt_report *r)
{
    static uint64_t cnt[65536];
    memset(cnt, 0, sizeof cnt);
    uint64_t total = 0, ranges[66] = {0}, rtotal = 0;
    for (int i = 0; i < NF; i++) {
        if (!G[i].mining || G[i].port <= 0 || G[i].kind == 0) continue;
        cnt[G[i].port]++;
        total++;
        if (G[i].port != 80 && G[i].port != 443) {
            ranges[G[i].port / 1000]++;
            rtotal++;
        }
    }
    assert_int_equal(r->port_findings, total);
    assert_int_equal(r->p80, cnt[80]);
    assert_int_equal(r->p443, cnt[443]);
    assert_int_equal(r->ranges_total, rtotal);
    for (int i = 0; i < 66; i++) assert_int_equal(r->ranges[i], ranges[i]);
    assert_string_equal(r->ports.v[0].name, "3333");
    assert_int_equal(r->ports.v[0].findings, cnt[3333]);
    assert_string_equal(r->ports.v[1].name, "5555");
    assert_int_equal(r->ports.v[1].findings, cnt[5555]);
    for (size_t j = 0; j < r->ports.n; j++) {
        assert_string_not_equal(r->ports.v[j].name, "80");
        assert_string_not_equal(r->ports.v[j].name, "443");
    }
}

/* Naive longest-prefix match over the test's own inventory. */
static int naive_asset(const char *ip, const char **sector, const char **size, const char **org)
{
    unsigned a, b, c, d;
    if (strchr(ip, ':')) {
        if (strncmp(ip, "2001:db8:", 9) == 0) { *sector = "education"; *size = "medium"; *org = "V6 School"; return 1; }
        return 0;
    }
    if (sscanf(ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return 0;
    if (a != 10) return 0;
    if (b == 2 && c == 2 && d == 7) { *sector = "health"; *size = "small"; *org = "Doctor Home"; return 1; }
    if (b == 1 && c == 1) { *sector = "retail"; *size = "medium"; *org = "Shop Two"; return 1; }
    if (b == 1) { *sector = "retail"; *size = "small"; *org = "Shop One"; return 1; }
    if (b == 2) { *sector = "health"; *size = "medium"; *org = "Clinic, Inc"; return 1; }
    *sector = "manufacturing"; *size = "large"; *org = "MegaCorp";
    return 1;
}

static void check_victims(const mt_report *r)
{
    unsigned char mining_host[NH] = {0};
    for (int i = 0; i < NF; i++) if (G[i].mining) mining_host[G[i].host] = 1;
    uint64_t victims = 0, known = 0, sme = 0, retail = 0, unknown = 0;
    for (int h = 0; h < NH; h++) {
        if (!mining_host[h]) continue;
        victims++;
        const char *sec, *sz, *org;
        if (naive_asset(HOSTS[h], &sec, &sz, &org)) {
            known++;
            if (!strcmp(sz, "small") || !strcmp(sz, "medium")) sme++;
            if (!strcmp(sec, "retail")) retail++;
        } else {
            unknown++;
        }
    }
    assert_true(r->have_assets);
    assert_int_equal(r->asset_entries, 6);
    assert_int_equal(r->asset_bad, 1);
    assert_int_equal(r->victims, victims);
    assert_int_equal(r->victims_known, known);
    assert_int_equal(r->victims_sme, sme);
    int saw_retail = 0;
    for (size_t j = 0; j < r->sectors.n; j++) {
        if (!strcmp(r->sectors.v[j].name, "retail")) {
            assert_int_equal(r->sectors.v[j].hosts, retail);
            assert_int_equal(r->sectors.v[j].orgs, 2);
            saw_retail = 1;
        }
        if (!strcmp(r->sectors.v[j].name, "unknown")) assert_int_equal(r->sectors.v[j].hosts, unknown);
    }
    assert_true(saw_retail);
    assert_true(known < victims); /* 172.x hosts are outside the inventory */
}

/* Pearson in long double, two passes; Spearman with O(n^2) ranks. */
static double ref_pearson(const double *x, const double *y, int n)
{
    long double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= n;
    my /= n;
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return (double)(sxy / sqrtl(sxx * syy));
}

static void ref_ranks(const double *x, double *r, int n)
{
    for (int i = 0; i < n; i++) {
        int less = 0, eq = 0;
        for (int j = 0; j < n; j++) {
            if (x[j] < x[i]) less++;
            else if (x[j] == x[i]) eq++;
        }
        r[i] = less + (eq + 1) / 2.0;
    }
}

static void check_market(const mt_report *r)
{
    assert_int_equal(r->nmarket, 1);
    const mt_rep_market *m = &r->market[0];
    assert_int_equal(m->series.nulls, (size_t)(NMON + 6));
    assert_string_equal(m->series.price_col, "price");
    uint64_t f[NMON] = {0};
    for (int i = 0; i < NF; i++) if (G[i].mining) f[libc_month(G[i].ts, 0)]++;
    for (int lag = -3; lag <= 3; lag++) {
        double x[NMON], y[NMON], rx[NMON], ry[NMON];
        int n = 0;
        for (int k = 0; k < NMON; k++) {
            x[n] = (double)f[k];
            y[n] = MONTH_PRICE[k + 3 + lag]; /* MONTH_PRICE[3] = 2018-01 */
            n++;
        }
        const mt_rep_lag *L = &m->lags[lag + 3];
        assert_int_equal(L->lag, lag);
        assert_int_equal(L->n, (size_t)n);
        double pr = ref_pearson(x, y, n);
        assert_true(fabs(L->pearson - pr) < 1e-6);
        ref_ranks(x, rx, n);
        ref_ranks(y, ry, n);
        assert_true(fabs(L->spearman - ref_pearson(rx, ry, n)) < 1e-9);
        double t = pr * sqrt((n - 2) / (1 - pr * pr));
        assert_true(fabs(L->pearson_p - mt_t_two_sided_p(t, n - 2)) < 1e-6);
        assert_true(L->pearson_p >= 0 && L->pearson_p <= 1);
    }
    for (int k = 0; k < NMON; k++) assert_true(fabs(m->month_price[k] - MONTH_PRICE[k + 3]) < 1e-6);
}

static void check_top(const mt_report *r)
{
    uint64_t pool[4] = {0}, hostc[NH] = {0};
    for (int i = 0; i < NF; i++) {
        if (!G[i].mining) continue;
        pool[G[i].pool]++;
        hostc[G[i].host]++;
    }
    assert_int_equal(r->pools.n, 3);
    uint64_t sum = 0;
    for (size_t j = 0; j < r->pools.n; j++) {
        int idx = -1;
        for (int k = 1; k < 4; k++) if (!strcmp(r->pools.v[j].name, POOLS[k])) idx = k;
        assert_true(idx > 0);
        assert_int_equal(r->pools.v[j].findings, pool[idx]);
        sum += r->pools.v[j].findings;
    }
    assert_int_equal(r->pools.total, sum);
    int best = 0;
    for (int h = 1; h < NH; h++)
        if (hostc[h] > hostc[best] || (hostc[h] == hostc[best] && strcmp(HOSTS[h], HOSTS[best]) < 0)) best = h;
    assert_string_equal(r->hosts.v[0].name, HOSTS[best]);
    assert_int_equal(r->hosts.v[0].findings, hostc[best]);
    assert_int_equal(r->agents.n, 2);
}

static void run_year(int no_index)
{
    mt_rep_opts o;
    base_opts(&o, no_index);
    o.assets_path = assetpath;
    o.price_paths[0] = pricepath;
    o.nprices = 1;
    mt_report r;
    int rc = mt_report_compute(&o, &r);
    if (rc) fprintf(stderr, "%s\n", mt_error_msg());
    assert_int_equal(rc, MT_OK);
    assert_string_equal(r.scan_path, no_index ? "table-scan" : "covering-index");
    uint64_t mining = 0;
    for (int i = 0; i < NF; i++) mining += G[i].mining;
    assert_int_equal(r.findings_total, NF);
    assert_int_equal(r.findings_mining, mining);
    assert_int_equal(r.findings_precursor, NF - mining);
    check_activity(&r);
    check_mix(&r);
    check_ports(&r);
    check_victims(&r);
    check_market(&r);
    check_top(&r);
    mt_report_free(&r);
}

static void test_year_table_scan(void **state) { (void)state; run_year(1); }
static void test_year_indexed(void **state) { (void)state; run_year(0); }

/* Weeks (ISO, checked with strftime %G-W%V) and days. */
static void test_year_weeks_days(void **state)
{
    (void)state;
    mt_rep_opts o;
    base_opts(&o, 0);
    o.by = MT_BY_WEEK;
    o.analyses = MT_AN_ACTIVITY;
    mt_report r;
    assert_int_equal(mt_report_compute(&o, &r), MT_OK);
    uint64_t total = 0;
    for (size_t p = 0; p < r.nperiods; p++) {
        uint64_t want = 0;
        for (int i = 0; i < NF; i++) {
            if (!G[i].mining) continue;
            time_t t = (time_t)(G[i].ts / 1000000);
            struct tm tm;
            gmtime_r(&t, &tm);
            char lab[16];
            strftime(lab, sizeof lab, "%G-W%V", &tm);
            want += strcmp(lab, r.periods[p].label) == 0;
        }
        assert_int_equal(r.periods[p].findings, want);
        total += want;
    }
    assert_string_equal(r.periods[0].label, "2018-W01"); /* 2018-01-01 is a Monday */
    assert_string_equal(r.periods[r.nperiods - 1].label, "2019-W01"); /* 2018-12-31 */
    assert_int_equal(total, r.findings_mining);
    mt_report_free(&r);

    o.by = MT_BY_DAY;
    assert_int_equal(mt_date_bound_parse("2018-03-10", &o.tz, 0, &o.from), MT_OK);
    assert_int_equal(mt_date_bound_parse("2018-03-12", &o.tz, 1, &o.to), MT_OK);
    o.has_from = o.has_to = 1;
    assert_int_equal(mt_report_compute(&o, &r), MT_OK);
    assert_int_equal(r.nperiods, 3);
    assert_string_equal(r.periods[2].label, "2018-03-12");
    for (size_t p = 0; p < 3; p++) {
        uint64_t want = 0;
        for (int i = 0; i < NF; i++) {
            time_t t = (time_t)(G[i].ts / 1000000);
            struct tm tm;
            gmtime_r(&t, &tm);
            want += G[i].mining && tm.tm_mon == 2 && tm.tm_mday == 10 + (int)p;
        }
        assert_int_equal(r.periods[p].findings, want);
    }
    mt_report_free(&r);
}

/* Days in zones whose offset changes during the year (New York; Lord Howe,
 * whose daylight saving moves by half an hour; Kathmandu at +05:45): the
 * findings and distinct hosts of every local day, against localtime_r. */
static void test_year_days_dst(void **state)
{
    (void)state;
    const char *zones[] = {"America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"};
    static uint64_t want_f[400];
    static unsigned char seen[400][NH];
    for (int z = 0; z < 3; z++) {
        mt_rep_opts o;
        base_opts(&o, z == 1); /* both scan paths */
        o.by = MT_BY_DAY;
        o.analyses = MT_AN_ACTIVITY;
        assert_int_equal(mt_tz_parse(zones[z], &o.tz), MT_OK);
        assert_int_equal(mt_date_bound_parse("2018-01-01", &o.tz, 0, &o.from), MT_OK);
        assert_int_equal(mt_date_bound_parse("2018-12-31", &o.tz, 1, &o.to), MT_OK);
        o.has_from = o.has_to = 1;
        mt_report r;
        assert_int_equal(mt_report_compute(&o, &r), MT_OK);
        assert_int_equal(r.nperiods, 365);
        setenv("TZ", zones[z], 1);
        tzset();
        memset(want_f, 0, sizeof want_f);
        memset(seen, 0, sizeof seen);
        for (int i = 0; i < NF; i++) {
            if (!G[i].mining) continue;
            time_t t = (time_t)(G[i].ts / 1000000);
            struct tm tm;
            localtime_r(&t, &tm);
            if (tm.tm_year != 2018 - 1900) continue;
            want_f[tm.tm_yday]++;
            seen[tm.tm_yday][G[i].host] = 1;
        }
        unsetenv("TZ");
        tzset();
        for (size_t d = 0; d < 365; d++) {
            uint64_t want_h = 0;
            for (int h = 0; h < NH; h++) want_h += seen[d][h];
            if (r.periods[d].findings != want_f[d] || r.periods[d].hosts != want_h)
                print_message("%s %s: %llu/%llu findings, %llu/%llu hosts\n", zones[z], r.periods[d].label,
                              (unsigned long long)r.periods[d].findings, (unsigned long long)want_f[d],
                              (unsigned long long)r.periods[d].hosts, (unsigned long long)want_h);
            assert_int_equal(r.periods[d].findings, want_f[d]);
            assert_int_equal(r.periods[d].hosts, want_h);
        }
        mt_report_free(&r);
    }
}

/* --tz: a fixed offset and an IANA zone move findings across month ends. */
static void test_year_timezones(void **state)
{
    (void)state;
    const char *zones[] = {"+05:30", "America/New_York"};
    for (int z = 0; z < 2; z++) {
        mt_rep_opts o;
        base_opts(&o, z); /* also exercise both scan paths */
        o.analyses = MT_AN_ACTIVITY;
        assert_int_equal(mt_tz_parse(zones[z], &o.tz), MT_OK);
        assert_int_equal(mt_date_bound_parse("2018-02", &o.tz, 0, &o.from), MT_OK);
        assert_int_equal(mt_date_bound_parse("2018-11", &o.tz, 1, &o.to), MT_OK);
        o.has_from = o.has_to = 1;
        mt_report r;
        assert_int_equal(mt_report_compute(&o, &r), MT_OK);
        assert_int_equal(r.nperiods, 10);
        setenv("TZ", z == 0 ? "<IST>-05:30" : "America/New_York", 1);
        tzset();
        for (size_t p = 0; p < r.nperiods; p++) {
            uint64_t want = 0;
            for (int i = 0; i < NF; i++)
                want += G[i].mining && libc_month(G[i].ts, 1) == (int)p + 1;
            assert_int_equal(r.periods[p].findings, want);
        }
        unsetenv("TZ");
        tzset();
        mt_report_free(&r);
    }
    mt_tz tz;
    assert_int_not_equal(mt_tz_parse("Mars/Olympus", &tz), MT_OK);
    assert_int_not_equal(mt_tz_parse("../../etc/passwd", &tz), MT_OK);
    assert_int_not_equal(mt_tz_parse("+25:00", &tz), MT_OK);
}

static void test_empty_and_bad_db(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof p, "%s.empty", dbpath);
    unlink(p);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    exec(db, SCHEMA);
    sqlite3_close(db);
    mt_rep_opts o;
    base_opts(&o, 0);
    o.db_path = p;
    mt_report r;
    assert_int_equal(mt_report_compute(&o, &r), MT_OK);
    assert_true(r.empty);
    assert_int_equal(r.findings_total, 0);
    mt_report_free(&r);
    unlink(p);
    /* Not a findings database. */
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    exec(db, "CREATE TABLE x(a)");
    sqlite3_close(db);
    assert_int_not_equal(mt_report_compute(&o, &r), MT_OK);
    unlink(p);
    o.db_path = "/nonexistent/dir/x.db";
    assert_int_not_equal(mt_report_compute(&o, &r), MT_OK);
}

/* ---- statistics against closed forms and table values ---- */

static void test_stats(void **state)
{
    (void)state;
    /* df = 1 is Cauchy: P(|T| >= 1) = 0.5. df = 2: p = 1 - t / sqrt(t^2 + 2). */
    assert_true(fabs(mt_t_two_sided_p(1.0, 1) - 0.5) < 1e-12);
    for (double t = 0.1; t < 20; t *= 1.7)
        assert_true(fabs(mt_t_two_sided_p(t, 2) - (1 - t / sqrt(t * t + 2))) < 1e-10);
    /* Student t table, two-sided: t(0.05, 10) = 2.228, t(0.01, 10) = 3.169, t(0.05, 30) = 2.042. */
    assert_true(fabs(mt_t_two_sided_p(2.228139, 10) - 0.05) < 1e-5);
    assert_true(fabs(mt_t_two_sided_p(3.169273, 10) - 0.01) < 1e-5);
    assert_true(fabs(mt_t_two_sided_p(2.042272, 30) - 0.05) < 1e-5);
    assert_true(fabs(mt_t_two_sided_p(0, 5) - 1.0) < 1e-12);
    assert_true(isnan(mt_t_two_sided_p(1, 0)));
    /* I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b. */
    assert_true(fabs(mt_betainc(3, 1, 0.4) - pow(0.4, 3)) < 1e-12);
    assert_true(fabs(mt_betainc(1, 4, 0.3) - (1 - pow(0.7, 4))) < 1e-12);
    double x[] = {1, 2, 3, 4, 5}, y[] = {2, 4, 6, 8, 10}, z[] = {5, 4, 3, 2, 1}, c[] = {1, 1, 1, 1, 1};
    assert_true(fabs(mt_pearson(x, y, 5) - 1) < 1e-12);
    assert_true(fabs(mt_pearson(x, z, 5) + 1) < 1e-12);
    assert_true(isnan(mt_pearson(x, c, 5)));
    assert_true(isnan(mt_pearson(x, y, 1)));
    assert_true(mt_corr_p(1.0, 5) == 0.0);
    assert_true(isnan(mt_corr_p(0.5, 2)));
    /* Spearman is rank-based: monotone but non-linear gives 1; ties averaged. */
    double e[] = {1, 8, 27, 64, 125};
    assert_true(fabs(mt_spearman(x, e, 5) - 1) < 1e-12);
    double t1[] = {1, 2, 2, 3}, rk[4];
    mt_ranks(t1, rk, 4);
    assert_true(rk[0] == 1 && rk[1] == 2.5 && rk[2] == 2.5 && rk[3] == 4);
    /* A known r with n = 10: r = 0.6319 gives p = 0.05 (t = 2.306, df 8). */
    assert_true(fabs(mt_corr_p(0.631897, 10) - 0.05) < 1e-4);
}

/* ---- calendar ---- */

static void test_calendar(void **state)
{
    (void)state;
    char lab[16];
    /* ISO weeks at year ends: 2015-12-31 is 2015-W53; 2021-01-03 is 2020-W53. */
    int64_t d = mt_days_from_civil(2015, 12, 31);
    mt_period_label(MT_BY_WEEK, mt_period_key(MT_BY_WEEK, d), lab, sizeof lab);
    assert_string_equal(lab, "2015-W53");
    d = mt_days_from_civil(2021, 1, 3);
    mt_period_label(MT_BY_WEEK, mt_period_key(MT_BY_WEEK, d), lab, sizeof lab);
    assert_string_equal(lab, "2020-W53");
    d = mt_days_from_civil(2021, 1, 4);
    mt_period_label(MT_BY_WEEK, mt_period_key(MT_BY_WEEK, d), lab, sizeof lab);
    assert_string_equal(lab, "2021-W01");
    assert_int_equal(mt_period_first_day(MT_BY_WEEK, mt_period_key(MT_BY_WEEK, d)), d);
    /* Every day of 1990..2030 against strftime %G-W%V and the month key. */
    for (int64_t z = mt_days_from_civil(1990, 1, 1); z < mt_days_from_civil(2030, 1, 1); z += 1) {
        time_t t = (time_t)(z * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        char want[16];
        strftime(want, sizeof want, "%G-W%V", &tm);
        mt_period_label(MT_BY_WEEK, mt_period_key(MT_BY_WEEK, z), lab, sizeof lab);
        assert_string_equal(lab, want);
        assert_int_equal(mt_period_key(MT_BY_MONTH, z), (tm.tm_year + 1900) * 12 + tm.tm_mon);
    }
    mt_tz tz;
    mt_time_us a, b;
    assert_int_equal(mt_tz_parse("UTC", &tz), MT_OK);
    assert_int_equal(mt_date_bound_parse("2018-02-28", &tz, 1, &b), MT_OK);
    assert_int_equal(b, (int64_t)mt_days_from_civil(2018, 3, 1) * 86400 * 1000000);
    assert_int_equal(mt_date_bound_parse("2018-12", &tz, 1, &b), MT_OK);
    assert_int_equal(b, (int64_t)mt_days_from_civil(2019, 1, 1) * 86400 * 1000000);
    assert_int_equal(mt_date_bound_parse("2018-01-05T10:30", &tz, 1, &b), MT_OK);
    assert_int_equal(b, ((int64_t)mt_days_from_civil(2018, 1, 5) * 86400 + 37800) * 1000000);
    assert_int_equal(mt_tz_parse("-03:00", &tz), MT_OK);
    assert_int_equal(mt_date_bound_parse("2018", &tz, 0, &a), MT_OK);
    assert_int_equal(a, ((int64_t)mt_days_from_civil(2018, 1, 1) * 86400 + 3 * 3600) * 1000000);
    assert_int_not_equal(mt_date_bound_parse("2018-02-30", &tz, 0, &a), MT_OK);
    assert_int_not_equal(mt_date_bound_parse("18-01-01", &tz, 0, &a), MT_OK);
    assert_int_not_equal(mt_date_bound_parse("2018-01-01x", &tz, 0, &a), MT_OK);
    assert_int_not_equal(mt_date_bound_parse("", &tz, 0, &a), MT_OK);
    unsigned an;
    assert_int_equal(mt_analyses_parse("ports,market", &an), MT_OK);
    assert_int_equal(an, MT_AN_PORTS | MT_AN_MARKET);
    assert_int_not_equal(mt_analyses_parse("ports,bogus", &an), MT_OK);
}

/* ---- price series: the three real formats of the corpus ---- */

static void corpus_path(char *buf, size_t cap, const char *rel)
{
    const char *c = getenv("MT_CORPUS");
    snprintf(buf, cap, "%s/logs/prices/%s", c ? c : "../shared/corpus", rel);
}

static void test_prices_corpus(void **state)
{
    (void)state;
    char p[1024];
    mt_price_series s;
    memset(&s, 0, sizeof s);
    /* Yahoo closes "date,price", one literal null (2023-04-24). */
    corpus_path(p, sizeof p, "yahoo_close_coinsight/xmr.csv");
    if (access(p, R_OK) != 0) { skip(); }
    assert_int_equal(mt_prices_load(p, NULL, &s), MT_OK);
    assert_string_equal(s.name, "xmr");
    assert_int_equal(s.rows, 1994);
    assert_int_equal(s.nulls, 1);
    assert_int_equal(s.bad, 0);
    assert_string_equal(s.first_date, "2017-11-09");
    assert_string_equal(s.last_date, "2023-04-25");
    double v;
    assert_true(mt_prices_month(&s, 2017 * 12 + 10, &v)); /* 2017-11: 22 days */
    assert_int_equal(s.days[0], 22);
    mt_prices_free(&s);
    /* Coin Metrics: date,PriceUSD,CapMrktCurUSD -> PriceUSD picked. */
    corpus_path(p, sizeof p, "coinmetrics_snapshot_2020-02-09/btc_daily_usd.csv");
    assert_int_equal(mt_prices_load(p, NULL, &s), MT_OK);
    assert_string_equal(s.price_col, "PriceUSD");
    assert_int_equal(s.rows, 3494);
    assert_int_equal(s.used, 3494);
    assert_true(mt_prices_month(&s, 2017 * 12 + 11, &v)); /* Dec 2017 BTC peak */
    assert_true(v > 10000 && v < 20000);
    mt_prices_free(&s);
    /* CoinGecko style with "2015-01-01 00:00:00.000" dates; explicit columns. */
    corpus_path(p, sizeof p, "coingecko_style_patej744/monero.csv");
    mt_price_opts po = {"date", "price"};
    assert_int_equal(mt_prices_load(p, &po, &s), MT_OK);
    assert_int_equal(s.rows, 2997);
    assert_int_equal(s.used, 2997);
    assert_string_equal(s.first_date, "2015-01-01");
    assert_true(mt_prices_month(&s, 2015 * 12 + 0, &v));
    assert_int_equal(s.days[0], 30); /* 2015-01-28 is missing */
    mt_prices_free(&s);
    /* Column by number; a missing column is an error. */
    mt_price_opts pn = {"1", "3"};
    assert_int_equal(mt_prices_load(p, &pn, &s), MT_OK);
    assert_string_equal(s.price_col, "total_volume");
    mt_prices_free(&s);
    mt_price_opts px = {NULL, "nosuch"};
    assert_int_not_equal(mt_prices_load(p, &px, &s), MT_OK);
}

static void test_prices_malformed(void **state)
{
    (void)state;
    mt_price_series s;
    memset(&s, 0, sizeof s);
    /* No header, monthly dates, CRLF, quotes, bad rows counted. */
    const char *t1 = "2018-01,10\r\n2018-02,\"20\"\r\n2018-13,5\r\nxx,1\r\n2018-03,abc\r\n2018-03,-1\r\n"
                     "2018/04/02,40\n\n2018-05-31T00:00:00Z,50\n2018-06-31,1\n";
    assert_int_equal(mt_prices_parse(t1, strlen(t1), NULL, &s), MT_OK);
    assert_false(s.has_header);
    assert_int_equal(s.used, 4);
    assert_int_equal(s.bad, 5);
    double v;
    assert_true(mt_prices_month(&s, 2018 * 12 + 1, &v) && v == 20);
    assert_true(mt_prices_month(&s, 2018 * 12 + 3, &v) && v == 40);
    assert_false(mt_prices_month(&s, 2018 * 12 + 2, &v));
    /* Each bad row named by its line (blank line 8 counted) and why. */
    static const struct { size_t line; const char *why; } want[] = {
        {3, "date is not a date"}, {4, "date is not a date"}, {5, "price is not a number"},
        {6, "price out of range"}, {10, "date is not a date"}};
    assert_int_equal(s.skipped.n, 5);
    assert_int_equal(s.skipped.shown, 5);
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(s.skipped.first[i].line, want[i].line);
        assert_string_equal(s.skipped.first[i].why, want[i].why);
    }
    char named[512];
    mt_csv_skips_str(&s.skipped, named, sizeof named);
    assert_string_equal(named, "line 3: date is not a date; line 4: date is not a date; line 5: "
                               "price is not a number; line 6: price out of range; line 10: date "
                               "is not a date");
    mt_prices_free(&s);
    /* A repeated date is not averaged in: its first row is used, the
     * repeats are named; a quoted newline moves the line count on. */
    const char *td = "date,price\n2018-01-01,10\n2018-01-02,\"2\n0\"\n2018-01-01,30\n"
                     "2018-01-03,20\n2018-01-03,50\n2018-01-04,zz\n2018-01-05,1\n2018-01-06,1\n"
                     "2018-01-07,1\n2018-01-08,1\n2018-01-09,1\nx,1\n";
    assert_int_equal(mt_prices_parse(td, strlen(td), NULL, &s), MT_OK);
    assert_int_equal(s.dup_dates.n, 2);
    assert_int_equal(s.dup_dates.first[0].line, 5);
    assert_string_equal(s.dup_dates.first[0].why, "date 2018-01-01 already on line 2");
    assert_int_equal(s.dup_dates.first[1].line, 7);
    assert_string_equal(s.dup_dates.first[1].why, "date 2018-01-03 already on line 6");
    assert_int_equal(s.used, 7);
    assert_true(mt_prices_month(&s, 2018 * 12 + 0, &v));
    assert_true(fabs(v - (10 + 20 + 5) / 7.0) < 1e-9);
    assert_int_equal(s.bad, 3);
    assert_int_equal(s.skipped.first[0].line, 3);
    assert_int_equal(s.skipped.first[1].line, 8);
    assert_int_equal(s.skipped.first[2].line, 14);
    mt_prices_free(&s);
    /* Only the first few are named; the rest are counted. */
    mt_csv_skips many;
    memset(&many, 0, sizeof many);
    for (size_t i = 1; i <= 9; i++) mt_csv_skip(&many, i * 2, "bad");
    mt_csv_skips_str(&many, named, sizeof named);
    assert_string_equal(named, "line 2: bad; line 4: bad; line 6: bad; line 8: bad; line 10: bad; "
                               "and 4 more");
    const char *t2 = "date,price\nnull,null\n";
    assert_int_not_equal(mt_prices_parse(t2, strlen(t2), NULL, &s), MT_OK);
    assert_int_not_equal(mt_prices_parse("", 0, NULL, &s), MT_OK);
    /* Truncated in a quote, a huge field, binary junk: no crash, counted. */
    const char *t3 = "date,price\n2018-01-01,\"12";
    assert_int_equal(mt_prices_parse(t3, strlen(t3), NULL, &s), MT_OK);
    assert_int_equal(s.used, 1);
    mt_prices_free(&s);
    size_t big = 20000;
    char *t4 = malloc(big + 64);
    strcpy(t4, "date,price\n2018-01-01,");
    memset(t4 + strlen(t4), '9', big);
    strcpy(t4 + 22 + big, "\n2018-01-02,3\n");
    assert_int_equal(mt_prices_parse(t4, strlen(t4), NULL, &s), MT_OK);
    assert_int_equal(s.used, 1);
    assert_int_equal(s.bad, 1);
    mt_prices_free(&s);
    free(t4);
}

static void test_assets(void **state)
{
    (void)state;
    mt_assets a;
    const char *t = "network,organisation,sector,size\n"
                    "10.0.0.0/8,A,energy,large\n"
                    "10.20.0.0/16,B,finance,SMALL\n"
                    "10.20.30.0/24,C,finance,medium\n"
                    "10.20.30.40,D,home,huge\n"
                    "10.20.30.0/24,dup,x,small\n"
                    "2001:db8::/32,E,isp,large\n"
                    "2001:db8:1::/48,F,isp,small\n"
                    "::ffff:192.0.2.0/120,G,mapped,small\n" /* mapped = IPv4: /120 is bad */
                    "0.0.0.0/0,Internet,,\n"
                    "10.0.0.0/33,bad,x,small\n"
                    "10.0.0.0/x,bad,x,small\n"
                    ",,,\n";
    assert_int_equal(mt_assets_parse(t, strlen(t), &a), MT_OK);
    assert_int_equal(a.dup, 1);
    assert_int_equal(a.bad, 4);
    assert_int_equal(a.bad_size, 1);
    static const size_t bad_lines[] = {9, 11, 12, 13};
    assert_int_equal(a.skipped.n, 4);
    for (unsigned i = 0; i < 4; i++) assert_int_equal(a.skipped.first[i].line, bad_lines[i]);
    assert_string_equal(a.skipped.first[0].why, "network is not an address or CIDR");
    struct { const char *ip, *org; } cases[] = {
        {"10.1.2.3", "A"}, {"10.20.1.1", "B"}, {"10.20.30.1", "C"}, {"10.20.30.40", "D"},
        {"2001:db8:2::1", "E"}, {"2001:db8:1:ffff::1", "F"}, {"8.8.8.8", "Internet"},
        {"::ffff:10.20.30.40", "D"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mt_addr ad;
        assert_int_equal(mt_addr_parse(cases[i].ip, &ad), MT_OK);
        const mt_asset *e = mt_assets_lookup(&a, &ad);
        assert_non_null(e);
        assert_string_equal(e->org, cases[i].org);
    }
    mt_addr ad;
    assert_int_equal(mt_addr_parse("2001:db9::1", &ad), MT_OK);
    assert_null(mt_assets_lookup(&a, &ad));
    assert_int_equal(mt_addr_parse("10.20.30.40", &ad), MT_OK);
    assert_int_equal(mt_assets_lookup(&a, &ad)->size, MT_SIZE_UNKNOWN);
    mt_assets_free(&a);
    /* Header with other column order; headerless rows. */
    const char *t2 = "size,sector,organisation,network\nsmall,retail,Shop,192.0.2.0/24\n";
    assert_int_equal(mt_assets_parse(t2, strlen(t2), &a), MT_OK);
    assert_int_equal(mt_addr_parse("192.0.2.9", &ad), MT_OK);
    assert_string_equal(mt_assets_lookup(&a, &ad)->sector, "retail");
    mt_assets_free(&a);
    const char *t3 = "192.0.2.0/24,Shop,retail,small\n";
    assert_int_equal(mt_assets_parse(t3, strlen(t3), &a), MT_OK);
    assert_int_equal(a.n, 1);
    mt_assets_free(&a);
    const char *t4 = "net,org\n1.2.3.4,x\n";
    assert_int_not_equal(mt_assets_parse(t4, strlen(t4), &a), MT_OK);
}

/* Many networks over many prefix lengths (the index grows many times),
 * duplicates written differently (a host address with the network's
 * length masks to the same network) counted and the first row kept. */
static void test_assets_many(void **state)
{
    (void)state;
    const int n4 = 20000, n6 = 3000;
    size_t cap = (size_t)(n4 + n6) * 160, len = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    int dups = 0;
    len += (size_t)snprintf(t + len, cap - len, "network,organisation,sector,size\n");
    for (int i = 0; i < n4; i++) {
        int x = i >> 8, y = i & 255;
        len += (size_t)snprintf(t + len, cap - len, "10.%d.%d.0/24,n%d,s,small\n", x, y, i);
        if (i % 100 == 0)
            len += (size_t)snprintf(t + len, cap - len, "10.%d.%d.16/28,h%d,s,large\n", x, y, i);
        if (i % 7 == 0) {
            len += (size_t)snprintf(t + len, cap - len, "10.%d.%d.77/24,dup%d,s,medium\n", x, y, i);
            dups++;
        }
        if (i % 256 == 0) /* one /16 per x, and each /16 once more */
            len += (size_t)snprintf(t + len, cap - len, "10.%d.0.0/16,b%d,s,\n10.%d.9.9/16,bdup,s,\n",
                                    x, x, x), dups++;
    }
    for (int j = 0; j < n6; j++) {
        len += (size_t)snprintf(t + len, cap - len, "2001:db8:%x::/48,v%d,s,small\n", j, j);
        if (j % 3 == 0)
            len += (size_t)snprintf(t + len, cap - len, "2001:db8:%x:1::/64,w%d,s,small\n"
                                    "2001:db8:%x:1::5/64,wdup,s,small\n", j, j, j), dups++;
    }
    assert_true(len < cap);
    mt_assets a;
    assert_int_equal(mt_assets_parse(t, len, &a), MT_OK);
    free(t);
    assert_int_equal(a.dup, dups);
    assert_int_equal(a.bad, 0);
    assert_int_equal(a.n, a.rows - a.dup);
    char ip[64], want[32];
    mt_addr ad;
    for (int i = 0; i < n4; i++) {
        int x = i >> 8, y = i & 255;
        snprintf(ip, sizeof ip, "10.%d.%d.20", x, y); /* inside the /28 when there is one */
        assert_int_equal(mt_addr_parse(ip, &ad), MT_OK);
        const mt_asset *e = mt_assets_lookup(&a, &ad);
        assert_non_null(e);
        snprintf(want, sizeof want, i % 100 == 0 ? "h%d" : "n%d", i);
        assert_string_equal(e->org, want);
        snprintf(ip, sizeof ip, "10.%d.%d.200", x, y);
        assert_int_equal(mt_addr_parse(ip, &ad), MT_OK);
        e = mt_assets_lookup(&a, &ad);
        assert_non_null(e);
        snprintf(want, sizeof want, "n%d", i);
        assert_string_equal(e->org, want);
        assert_int_equal(e->bits, 24);
        assert_int_equal(e->size, MT_SIZE_SMALL);
    }
    /* a /16 holds addresses past the /24s it contains */
    assert_int_equal(mt_addr_parse("10.78.255.1", &ad), MT_OK);
    assert_string_equal(mt_assets_lookup(&a, &ad)->org, "b78");
    assert_int_equal(mt_addr_parse("10.200.0.1", &ad), MT_OK);
    assert_null(mt_assets_lookup(&a, &ad));
    for (int j = 0; j < n6; j++) {
        snprintf(ip, sizeof ip, "2001:db8:%x:1::9", j);
        assert_int_equal(mt_addr_parse(ip, &ad), MT_OK);
        const mt_asset *e = mt_assets_lookup(&a, &ad);
        assert_non_null(e);
        snprintf(want, sizeof want, j % 3 == 0 ? "w%d" : "v%d", j);
        assert_string_equal(e->org, want);
    }
    assert_int_equal(mt_addr_parse("2001:db9::1", &ad), MT_OK);
    assert_null(mt_assets_lookup(&a, &ad));
    mt_assets_free(&a);
    mt_assets_free(&a); /* freeing twice is harmless */
}

int main(void)
{
    const struct CMUnitTest year[] = {
        cmocka_unit_test(test_year_table_scan),
        cmocka_unit_test(test_year_indexed),
        cmocka_unit_test(test_year_weeks_days),
        cmocka_unit_test(test_year_timezones),
        cmocka_unit_test(test_year_days_dst),
        cmocka_unit_test(test_empty_and_bad_db),
    };
    const struct CMUnitTest unit[] = {
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_prices_corpus),
        cmocka_unit_test(test_prices_malformed),
        cmocka_unit_test(test_assets),
        cmocka_unit_test(test_assets_many),
    };
    int fails = cmocka_run_group_tests_name("analyze-year", year, setup_year, teardown_year);
    fails += cmocka_run_group_tests_name("analyze-unit", unit, NULL, NULL);
    return fails;
}
