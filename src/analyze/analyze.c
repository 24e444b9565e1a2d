/* The report analyses over the findings store (design notes in analyze.h,
 * definitions in docs/REPORT.md). */
#include "analyze/analyze.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/assets.h"
#include "analyze/stats.h"
#include "analyze/strtab.h"

#define MAX_PERIODS 200000   /* ~550 years of days: a bound, not a limit */
#define MIX_ROWS 100

/* Set-key tags for the distinct-pair sets. */
enum { TAG_PERIOD = 1, TAG_MONTH, TAG_FAMILY, TAG_KIND, TAG_BEH, TAG_PORT };

static uint64_t pair_key(unsigned tag, uint64_t a, uint32_t host)
{
    return ((uint64_t)tag << 56) | ((a & 0xffffffULL) << 32) | host;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int mt_analyses_parse(const char *s, unsigned *out)
{
    static const struct { const char *n; unsigned bit; } names[] = {
        {"activity", MT_AN_ACTIVITY}, {"mix", MT_AN_MIX}, {"ports", MT_AN_PORTS},
        {"victims", MT_AN_VICTIMS}, {"market", MT_AN_MARKET}, {"top", MT_AN_TOP},
        {"all", MT_AN_ALL}};
    unsigned bits = 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        unsigned found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].n) == n && strncmp(names[i].n, p, n) == 0) found = names[i].bit;
        if (!found)
            return mt_error_set(MT_EINVAL, "unknown analysis '%.*s' (want activity, mix, ports, "
                                "victims, market, top or all)", (int)(n > 64 ? 64 : n), p);
        bits |= found;
        p += n;
        if (*p == ',') p++;
    }
    if (!bits) return mt_error_set(MT_EINVAL, "no analysis named");
    *out = bits;
    return MT_OK;
}

/* Ranked table from a strtab: rows sorted by findings (counter `fc`), then
 * name; `hc` is the hosts counter (or -1); at most `keep` rows. */
typedef struct { uint32_t id; uint64_t f; } idcount;

static const mt_strtab *sort_tab;
static int cmp_idcount(const void *a, const void *b)
{
    const idcount *x = a, *y = b;
    if (x->f != y->f) return x->f > y->f ? -1 : 1;
    return strcmp(mt_strtab_str(sort_tab, x->id), mt_strtab_str(sort_tab, y->id));
}

static void table_from(mt_rep_table *t, const mt_strtab *s, int fc, int hc, size_t keep,
                       uint64_t total, int skip_empty)
{
    memset(t, 0, sizeof *t);
    idcount *ids = mt_xmalloc((s->n ? s->n : 1) * sizeof *ids);
    size_t n = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (!s->cnt[i][fc]) continue;
        if (skip_empty && s->len[i] == 0) continue;
        ids[n].id = i;
        ids[n].f = s->cnt[i][fc];
        n++;
    }
    sort_tab = s;
    qsort(ids, n, sizeof *ids, cmp_idcount);
    t->distinct = n;
    t->total = total;
    t->n = n < keep ? n : keep;
    t->v = mt_xcalloc(t->n ? t->n : 1, sizeof *t->v);
    for (size_t i = 0; i < t->n; i++) {
        const char *name = mt_strtab_str(s, ids[i].id);
        t->v[i].name = mt_xstrdup(*name ? name : "(unknown)");
        t->v[i].findings = ids[i].f;
        t->v[i].hosts = hc >= 0 ? s->cnt[ids[i].id][hc] : 0;
        t->v[i].share = total ? (double)ids[i].f / (double)total : 0.0;
    }
    free(ids);
}

static void table_free(mt_rep_table *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->v[i].name);
    free(t->v);
    memset(t, 0, sizeof *t);
}

void mt_report_free(mt_report *r)
{
    free(r->periods);
    free(r->months);
    table_free(&r->families);
    table_free(&r->kinds);
    table_free(&r->behaviours);
    table_free(&r->ports);
    table_free(&r->sectors);
    table_free(&r->sizes);
    table_free(&r->pools);
    table_free(&r->wallets);
    table_free(&r->agents);
    table_free(&r->hosts);
    for (int i = 0; i < r->nmarket; i++) {
        mt_prices_free(&r->market[i].series);
        free(r->market[i].month_price);
    }
    memset(r, 0, sizeof *r);
}

static int db_err(sqlite3 *db, const char *what)
{
    return mt_error_set(MT_EIO, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

static int open_db(const mt_rep_opts *o, unsigned analyses, sqlite3 **out, int *indexed, int *top_indexed)
{
    sqlite3 *db = NULL;
    *indexed = 0;
    *top_indexed = 0;
    int rw = !o->no_index;
    int rc = sqlite3_open_v2(o->db_path, &db, rw ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK && rw) {
        sqlite3_close(db);
        db = NULL;
        rw = 0;
        rc = sqlite3_open_v2(o->db_path, &db, SQLITE_OPEN_READONLY, NULL);
    }
    if (rc != SQLITE_OK) {
        int e = mt_error_set(MT_EIO, "cannot open database %s: %s", o->db_path,
                             db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return e;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT ts, event_type, kind, src_ip, dest_port, family, pool, "
                           "wallet, agent FROM findings LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
        int e = mt_error_set(MT_EINVAL, "%s is not a minetrace findings database: %s", o->db_path,
                             sqlite3_errmsg(db));
        sqlite3_close(db);
        return e;
    }
    sqlite3_finalize(st);
    if (rw) {
        /* The covering index for pass A (see analyze.h); created once. */
        if (sqlite3_exec(db, "CREATE INDEX IF NOT EXISTS mt_report_scan ON findings"
                         "(src_ip, ts, event_type, kind, dest_port, family)",
                         NULL, NULL, NULL) != SQLITE_OK)
            rw = 0; /* e.g. read-only medium or a writer holds the lock */
        /* The top tables' index: ordered by pool, wallet, agent so equal
         * values arrive together (see pass_b). Only when asked for. */
        if (rw && (analyses & MT_AN_TOP))
            sqlite3_exec(db, "CREATE INDEX IF NOT EXISTS mt_report_top ON findings"
                         "(pool, wallet, agent, event_type, ts)", NULL, NULL, NULL);
    }
    /* Use the index only when it is ours, with the column order the scan
     * relies on (a read-only database may still have it from before). */
    *indexed = 0;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type='index' AND "
                           "name='mt_report_scan'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *sql = (const char *)sqlite3_column_text(st, 0);
            *indexed = sql && strstr(sql, "(src_ip, ts, event_type, kind, dest_port, family)") != NULL;
        }
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type='index' AND "
                           "name='mt_report_top'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *sql = (const char *)sqlite3_column_text(st, 0);
            *top_indexed = sql && strstr(sql, "(pool, wallet, agent, event_type, ts)") != NULL;
        }
        sqlite3_finalize(st);
    }
    *out = db;
    return MT_OK;
}

/* Effective range: the options, else the data's first and last finding. */
static int data_range(sqlite3 *db, const mt_rep_opts *o, mt_report *r)
{
    r->from = o->from;
    r->to = o->to;
    if (o->has_from && o->has_to) return MT_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT min(ts), max(ts) FROM findings", -1, &st, NULL) != SQLITE_OK)
        return db_err(db, "range query");
    int have = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        if (!o->has_from) r->from = sqlite3_column_int64(st, 0);
        if (!o->has_to) r->to = sqlite3_column_int64(st, 1) + 1;
        have = 1;
    }
    sqlite3_finalize(st);
    if (!have) {
        if (!o->has_from) r->from = o->has_to ? o->to : 0;
        if (!o->has_to) r->to = r->from;
    }
    return MT_OK;
}

static int64_t local_day(mt_tz *tz, mt_time_us ts)
{
    int64_t s = mt_floor_div(ts, 1000000);
    return mt_floor_div(mt_tz_local(tz, s), 86400);
}

static mt_rep_period *make_periods(mt_period_unit u, mt_tz *tz, mt_time_us from, mt_time_us to,
                                   size_t *n, int64_t *key0)
{
    *n = 0;
    *key0 = 0;
    if (to <= from) return NULL;
    int64_t k0 = mt_period_key(u, local_day(tz, from));
    int64_t k1 = mt_period_key(u, local_day(tz, to - 1));
    if (k1 < k0 || k1 - k0 >= MAX_PERIODS) return NULL;
    size_t cnt = (size_t)(k1 - k0 + 1);
    mt_rep_period *p = mt_xcalloc(cnt, sizeof *p);
    for (size_t i = 0; i < cnt; i++) {
        p[i].key = k0 + (int64_t)i;
        p[i].first_day = mt_period_first_day(u, p[i].key);
        mt_period_label(u, p[i].key, p[i].label, sizeof p[i].label);
    }
    *n = cnt;
    *key0 = k0;
    return p;
}

typedef struct scan_state {
    mt_strtab hosts, fams, kinds, behs;
    uint32_t *last_p, *last_m;    /* per host: last period/month index + 1 */
    size_t hcap;
    mt_u64set pairs;              /* distinct pairs when rows are not grouped */
    uint64_t *port_cnt, *port_hosts;
    uint32_t *port_last;          /* per port: last host + 1 (grouped rows) */
    uint32_t *beh_of;             /* (family, kind) -> behaviour id + 1 */
    /* Calendar lookups precomputed for the range. */
    int64_t day0;
    size_t ndays;
    int32_t *day_pi, *day_mi;     /* local day -> period/month index or -1 */
    int64_t slot0;
    size_t nslots;
    int32_t *slot_off;            /* IANA zones: UTC offset per 15-minute slot */
} scan_state;

#define BEH_F 256
#define BEH_K 64

/* Is (a, host) new? With host-grouped rows the per-key "last host" array is
 * exact and needs no memory per pair; otherwise a set of pairs. */
static int new_pair(scan_state *s, int grouped, uint64_t *last, unsigned tag, uint64_t a, uint32_t h)
{
    if (grouped) {
        if (*last == (uint64_t)h + 1) return 0;
        *last = (uint64_t)h + 1;
        return 1;
    }
    return mt_u64set_add(&s->pairs, pair_key(tag, a, h));
}

static void prepare_calendar(scan_state *s, mt_tz *tz, const mt_report *r, int64_t pkey0, int64_t mkey0)
{
    if (r->to <= r->from) return;
    int64_t from_s = mt_floor_div(r->from, 1000000), to_s = mt_floor_div(r->to - 1, 1000000);
    if (tz->iana) {
        int64_t a = mt_floor_div(from_s, 900), b = mt_floor_div(to_s, 900);
        if (b - a < 4000000) {
            s->slot0 = a;
            s->nslots = (size_t)(b - a + 1);
            s->slot_off = mt_xmalloc(s->nslots * sizeof *s->slot_off);
            for (size_t i = 0; i < s->nslots; i++)
                s->slot_off[i] = (int32_t)(mt_tz_local(tz, (a + (int64_t)i) * 900) - (a + (int64_t)i) * 900);
        }
    }
    int64_t d0 = local_day(tz, r->from), d1 = local_day(tz, r->to - 1);
    if (d1 < d0 || d1 - d0 >= MAX_PERIODS) return;
    s->day0 = d0;
    s->ndays = (size_t)(d1 - d0 + 1);
    s->day_pi = mt_xmalloc(s->ndays * sizeof *s->day_pi);
    s->day_mi = mt_xmalloc(s->ndays * sizeof *s->day_mi);
    for (size_t i = 0; i < s->ndays; i++) {
        int64_t k = mt_period_key(r->by, d0 + (int64_t)i) - pkey0;
        int64_t mk = mt_period_key(MT_BY_MONTH, d0 + (int64_t)i) - mkey0;
        s->day_pi[i] = k >= 0 && (size_t)k < r->nperiods ? (int32_t)k : -1;
        s->day_mi[i] = mk >= 0 && (size_t)mk < r->nmonths ? (int32_t)mk : -1;
    }
}

static int64_t row_day(scan_state *s, mt_tz *tz, mt_time_us ts)
{
    int64_t sec = mt_floor_div(ts, 1000000);
    if (!tz->iana) return mt_floor_div(sec + tz->offset_s, 86400);
    int64_t slot = mt_floor_div(sec, 900) - s->slot0;
    if (slot >= 0 && (size_t)slot < s->nslots) return mt_floor_div(sec + s->slot_off[slot], 86400);
    return mt_floor_div(mt_tz_local(tz, sec), 86400);
}

static int pass_a(sqlite3 *db, int indexed, mt_report *r, scan_state *s, mt_tz *tz)
{
    const unsigned an = r->analyses;
    /* The covering index is ordered by (src_ip, ts): each host's rows come
     * together and in time order, which makes "distinct" counting exact
     * with one "last host" slot per key (see new_pair). */
    const char *sql = indexed
        ? "SELECT ts, event_type, kind, src_ip, dest_port, family FROM findings "
          "INDEXED BY mt_report_scan WHERE ts >= ?1 AND ts < ?2"
        : "SELECT ts, event_type, kind, src_ip, dest_port, family FROM findings "
          "NOT INDEXED WHERE ts >= ?1 AND ts < ?2";
    const int grouped = indexed;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return db_err(db, "scan");
    sqlite3_bind_int64(st, 1, r->from);
    sqlite3_bind_int64(st, 2, r->to);
    const int want_p = (an & MT_AN_ACTIVITY) != 0, want_m = (an & MT_AN_MARKET) != 0;
    const int want_mix = (an & MT_AN_MIX) != 0, want_ports = (an & MT_AN_PORTS) != 0;
    char prev[MT_ADDR_STRLEN + 16];
    int prevlen = -1;
    uint32_t h = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mt_time_us ts = sqlite3_column_int64(st, 0);
        const char *et = (const char *)sqlite3_column_text(st, 1);
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const char *src = (const char *)sqlite3_column_text(st, 3);
        int srclen = sqlite3_column_bytes(st, 3);
        if (!et) et = "";
        if (!kind) kind = "";
        if (!src) src = "";
        int mining = et[0] == 'm' && strcmp(et, "mining") == 0;
        r->findings_total++;
        if (mining) r->findings_mining++;
        else if (strcmp(et, "precursor") == 0) r->findings_precursor++;

        if (srclen != prevlen || memcmp(prev, src, (size_t)srclen) != 0) {
            h = mt_strtab_intern(&s->hosts, src, (size_t)srclen);
            if ((size_t)srclen < sizeof prev) {
                memcpy(prev, src, (size_t)srclen);
                prevlen = srclen;
            } else {
                prevlen = -1;
            }
            if (h >= s->hcap) {
                size_t cap = s->hcap ? s->hcap * 2 : 1024;
                while (cap <= h) cap *= 2;
                s->last_p = mt_xrealloc(s->last_p, cap * sizeof *s->last_p);
                s->last_m = mt_xrealloc(s->last_m, cap * sizeof *s->last_m);
                memset(s->last_p + s->hcap, 0, (cap - s->hcap) * sizeof *s->last_p);
                memset(s->last_m + s->hcap, 0, (cap - s->hcap) * sizeof *s->last_m);
                s->hcap = cap;
            }
        }
        s->hosts.cnt[h][1]++;
        if (mining) s->hosts.cnt[h][0]++;

        if (mining && (want_p || want_m)) {
            int64_t di = row_day(s, tz, ts) - s->day0;
            if (di >= 0 && (size_t)di < s->ndays) {
                int32_t pi = s->day_pi[di], mi = s->day_mi[di];
                if (want_p && pi >= 0) {
                    r->periods[pi].findings++;
                    if (s->last_p[h] != (uint32_t)pi + 1) {
                        s->last_p[h] = (uint32_t)pi + 1;
                        if (grouped || mt_u64set_add(&s->pairs, pair_key(TAG_PERIOD, (uint64_t)pi, h)))
                            r->periods[pi].hosts++;
                    }
                }
                if (want_m && mi >= 0) {
                    r->months[mi].findings++;
                    if (s->last_m[h] != (uint32_t)mi + 1) {
                        s->last_m[h] = (uint32_t)mi + 1;
                        if (grouped || mt_u64set_add(&s->pairs, pair_key(TAG_MONTH, (uint64_t)mi, h)))
                            r->months[mi].hosts++;
                    }
                }
            }
        }
        if (want_mix) {
            const char *fam = (const char *)sqlite3_column_text(st, 5);
            int famlen = sqlite3_column_bytes(st, 5);
            if (!fam) fam = "";
            uint32_t f = mt_strtab_intern(&s->fams, fam, (size_t)famlen);
            s->fams.cnt[f][0]++;
            if (new_pair(s, grouped, &s->fams.cnt[f][2], TAG_FAMILY, f, h)) s->fams.cnt[f][1]++;
            size_t klen = strlen(kind);
            uint32_t k = mt_strtab_intern(&s->kinds, kind, klen);
            s->kinds.cnt[k][0]++;
            if (new_pair(s, grouped, &s->kinds.cnt[k][2], TAG_KIND, k, h)) s->kinds.cnt[k][1]++;
            uint32_t b;
            uint32_t *slot = f < BEH_F && k < BEH_K ? &s->beh_of[f * BEH_K + k] : NULL;
            if (slot && *slot) {
                b = *slot - 1;
            } else {
                char bk[160];
                size_t fl = (size_t)famlen < 96 ? (size_t)famlen : 96;
                size_t kl = klen < 48 ? klen : 48;
                const char *fshow = fl ? fam : "(unknown)";
                if (!fl) fl = 9;
                memcpy(bk, fshow, fl);
                memcpy(bk + fl, " / ", 3);
                memcpy(bk + fl + 3, kl ? kind : "?", kl ? kl : 1);
                b = mt_strtab_intern(&s->behs, bk, fl + 3 + (kl ? kl : 1));
                if (slot) *slot = b + 1;
            }
            s->behs.cnt[b][0]++;
            if (new_pair(s, grouped, &s->behs.cnt[b][2], TAG_BEH, b, h)) s->behs.cnt[b][1]++;
        }
        if (want_ports && mining) {
            int port = sqlite3_column_int(st, 4);
            if (port > 0 && port <= 65535 && strcmp(kind, "dns") != 0) {
                s->port_cnt[port]++;
                uint64_t last = s->port_last[port];
                if (new_pair(s, grouped, &last, TAG_PORT, (uint64_t)port, h)) {
                    if (s->port_hosts[port]++ == 0) r->distinct_ports++;
                }
                s->port_last[port] = (uint32_t)last;
                if (s->hosts.cnt[h][2]++ == 0) r->port_hosts++;
                r->port_findings++;
            }
        }
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) db_err(db, "scan");
    sqlite3_finalize(st);
    return ok ? MT_OK : MT_EIO;
}

/* Pass B: top pools, wallets and agents of mining findings. Through the
 * index mt_report_top rows come ordered by (pool, wallet, agent), so a value
 * equal to the previous row's is counted without hashing; without it, a
 * full table scan. */
static int pass_b(sqlite3 *db, int indexed, mt_report *r, size_t keep)
{
    sqlite3_stmt *st;
    const char *sql = indexed
        ? "SELECT pool, wallet, agent FROM findings INDEXED BY mt_report_top "
          "WHERE event_type = 'mining' AND ts >= ?1 AND ts < ?2"
        : "SELECT pool, wallet, agent FROM findings NOT INDEXED "
          "WHERE event_type = 'mining' AND ts >= ?1 AND ts < ?2";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return db_err(db, "top scan");
    sqlite3_bind_int64(st, 1, r->from);
    sqlite3_bind_int64(st, 2, r->to);
    mt_strtab t[3];
    uint64_t tot[3] = {0, 0, 0};
    char prev[3][512];
    int prevlen[3] = {-1, -1, -1};
    uint32_t previd[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) mt_strtab_init(&t[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 3; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            int n = sqlite3_column_bytes(st, c);
            if (!v || n <= 0) continue;
            if (n > 4096) n = 4096;
            uint32_t id;
            if (n == prevlen[c] && memcmp(prev[c], v, (size_t)n) == 0) {
                id = previd[c];
            } else {
                id = mt_strtab_intern(&t[c], v, (size_t)n);
                if ((size_t)n <= sizeof prev[c]) {
                    memcpy(prev[c], v, (size_t)n);
                    prevlen[c] = n;
                    previd[c] = id;
                } else {
                    prevlen[c] = -1;
                }
            }
            t[c].cnt[id][0]++;
            tot[c]++;
        }
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) db_err(db, "top scan");
    sqlite3_finalize(st);
    if (ok) {
        table_from(&r->pools, &t[0], 0, -1, keep, tot[0], 1);
        table_from(&r->wallets, &t[1], 0, -1, keep, tot[1], 1);
        table_from(&r->agents, &t[2], 0, -1, keep, tot[2], 1);
    }
    for (int i = 0; i < 3; i++) mt_strtab_free(&t[i]);
    return ok ? MT_OK : MT_EIO;
}

/* Victims: every host with mining findings, joined to the inventory. */
static int victims(const mt_rep_opts *o, mt_report *r, scan_state *s)
{
    mt_assets as;
    memset(&as, 0, sizeof as);
    if (o->assets_path) {
        int rc = mt_assets_load(o->assets_path, &as);
        if (rc) return rc;
        r->have_assets = 1;
        r->asset_entries = as.n;
        r->asset_bad = as.bad;
        r->asset_dup = as.dup;
        r->asset_bad_size = as.bad_size;
    }
    mt_strtab sec, sz, orgs;
    mt_strtab_init(&sec);
    mt_strtab_init(&sz);
    mt_strtab_init(&orgs);
    mt_u64set seen;
    mt_u64set_init(&seen);
    static const char *sizes[] = {"small", "medium", "large", "unknown"};
    for (int i = 0; i < 4; i++) mt_strtab_intern(&sz, sizes[i], strlen(sizes[i]));
    for (uint32_t h = 0; h < s->hosts.n; h++) {
        uint64_t nf = s->hosts.cnt[h][0];
        if (!nf) continue;
        r->victims++;
        mt_addr a;
        const mt_asset *e = NULL;
        const char *ip = mt_strtab_str(&s->hosts, h);
        if (as.n && strlen(ip) < MT_ADDR_STRLEN && mt_addr_parse(ip, &a) == MT_OK)
            e = mt_assets_lookup(&as, &a);
        const char *sector = e && *e->sector ? e->sector : "unknown";
        const char *size = e ? mt_size_str(e->size) : "unknown";
        uint32_t si = mt_strtab_intern(&sec, sector, strlen(sector));
        uint32_t zi = mt_strtab_intern(&sz, size, strlen(size));
        sec.cnt[si][0]++;
        sec.cnt[si][2] += nf;
        sz.cnt[zi][0]++;
        sz.cnt[zi][2] += nf;
        if (e) {
            r->victims_known++;
            if (e->size == MT_SIZE_SMALL || e->size == MT_SIZE_MEDIUM) r->victims_sme++;
            const char *org = *e->org ? e->org : "(unnamed)";
            uint32_t oi = mt_strtab_intern(&orgs, org, strlen(org));
            if (mt_u64set_add(&seen, ((uint64_t)1 << 62) | oi)) r->orgs_known++;
            if (mt_u64set_add(&seen, ((uint64_t)2 << 62) | ((uint64_t)si << 32) | oi)) sec.cnt[si][1]++;
            if (mt_u64set_add(&seen, ((uint64_t)3 << 62) | ((uint64_t)zi << 32) | oi)) sz.cnt[zi][1]++;
        }
    }
    /* Rank by hosts (counter 0); `findings` of a row = hosts, see below. */
    table_from(&r->sectors, &sec, 0, -1, MIX_ROWS, r->victims, 0);
    table_from(&r->sizes, &sz, 0, -1, 4, r->victims, 0);
    mt_rep_table *tabs[2] = {&r->sectors, &r->sizes};
    mt_strtab *src[2] = {&sec, &sz};
    for (int t = 0; t < 2; t++) {
        for (size_t i = 0; i < tabs[t]->n; i++) {
            mt_rep_row *row = &tabs[t]->v[i];
            int64_t id = mt_strtab_find(src[t], row->name, strlen(row->name));
            row->hosts = row->findings;
            row->orgs = id >= 0 ? src[t]->cnt[id][1] : 0;
            row->findings = id >= 0 ? src[t]->cnt[id][2] : 0;
        }
    }
    mt_u64set_free(&seen);
    mt_strtab_free(&sec);
    mt_strtab_free(&sz);
    mt_strtab_free(&orgs);
    mt_assets_free(&as);
    return MT_OK;
}

static void market(const mt_rep_opts *o, mt_report *r, int64_t mkey0, int idx)
{
    mt_rep_market *mk = &r->market[idx];
    mk->month_price = mt_xmalloc((r->nmonths ? r->nmonths : 1) * sizeof *mk->month_price);
    for (size_t i = 0; i < r->nmonths; i++) {
        double v;
        mk->month_price[i] = mt_prices_month(&mk->series, mkey0 + (int64_t)i, &v) ? v : NAN;
    }
    double *x = mt_xmalloc((r->nmonths ? r->nmonths : 1) * sizeof *x);
    double *y = mt_xmalloc((r->nmonths ? r->nmonths : 1) * sizeof *y);
    for (int l = 0; l < MT_REP_LAGS; l++) {
        int lag = l - 3;
        size_t n = 0;
        for (size_t i = 0; i < r->nmonths; i++) {
            double v;
            if (!mt_prices_month(&mk->series, mkey0 + (int64_t)i + lag, &v)) continue;
            x[n] = (double)r->months[i].findings;
            y[n] = v;
            n++;
        }
        mt_rep_lag *L = &mk->lags[l];
        L->lag = lag;
        L->n = n;
        L->pearson = mt_pearson(x, y, n);
        L->spearman = mt_spearman(x, y, n);
        L->pearson_p = mt_corr_p(L->pearson, n);
        L->spearman_p = mt_corr_p(L->spearman, n);
    }
    free(x);
    free(y);
    (void)o;
}

int mt_report_compute(const mt_rep_opts *o, mt_report *r)
{
    memset(r, 0, sizeof *r);
    r->analyses = o->analyses ? o->analyses : MT_AN_ALL;
    r->by = o->by;
    mt_strlcpy(r->tz, o->tz.name[0] ? o->tz.name : "UTC", sizeof r->tz);
    mt_tz tz = o->tz;
    tz.cache_slot = INT64_MIN;
    if (!tz.name[0]) mt_tz_parse("UTC", &tz);
    size_t keep = o->top_n > 0 ? (size_t)o->top_n : 10;

    /* Price files first: a bad file should fail before a long scan. */
    if (r->analyses & MT_AN_MARKET) {
        for (int i = 0; i < o->nprices && i < MT_REP_MAX_PRICES; i++) {
            int rc = mt_prices_load(o->price_paths[i], &o->price_opts, &r->market[i].series);
            if (rc) { mt_report_free(r); return rc; }
            r->nmarket++;
        }
    }

    sqlite3 *db = NULL;
    int indexed, top_indexed;
    int rc = open_db(o, r->analyses, &db, &indexed, &top_indexed);
    if (rc) { mt_report_free(r); return rc; }
    r->scan_path = indexed ? "covering-index" : "table-scan";
    rc = data_range(db, o, r);
    if (rc) goto out;
    r->empty = r->to <= r->from;

    int64_t pkey0 = 0, mkey0 = 0;
    r->periods = make_periods(r->by, &tz, r->from, r->to, &r->nperiods, &pkey0);
    r->months = make_periods(MT_BY_MONTH, &tz, r->from, r->to, &r->nmonths, &mkey0);

    scan_state s;
    memset(&s, 0, sizeof s);
    mt_strtab_init(&s.hosts);
    mt_strtab_init(&s.fams);
    mt_strtab_init(&s.kinds);
    mt_strtab_init(&s.behs);
    mt_u64set_init(&s.pairs);
    s.port_cnt = mt_xcalloc(65536, sizeof *s.port_cnt);
    s.port_hosts = mt_xcalloc(65536, sizeof *s.port_hosts);
    s.port_last = mt_xcalloc(65536, sizeof *s.port_last);
    s.beh_of = mt_xcalloc(BEH_F * BEH_K, sizeof *s.beh_of);
    prepare_calendar(&s, &tz, r, pkey0, mkey0);

    double t0 = now_ms();
    if (!r->empty) rc = pass_a(db, indexed, r, &s, &tz);
    r->ms_pass_a = now_ms() - t0;
    if (rc) goto free_state;
    r->empty = r->findings_total == 0;
    for (uint32_t h = 0; h < s.hosts.n; h++) {
        r->hosts_all++;
        if (s.hosts.cnt[h][0]) r->hosts_mining++;
    }
    if (r->analyses & MT_AN_MIX) {
        table_from(&r->families, &s.fams, 0, 1, MIX_ROWS, r->findings_total, 0);
        table_from(&r->kinds, &s.kinds, 0, 1, MIX_ROWS, r->findings_total, 0);
        table_from(&r->behaviours, &s.behs, 0, 1, MIX_ROWS, r->findings_total, 0);
    }
    if (r->analyses & MT_AN_PORTS) {
        mt_strtab pt;
        mt_strtab_init(&pt);
        for (int p = 1; p < 65536; p++) {
            if (!s.port_cnt[p]) continue;
            if (p == 80) { r->p80 = s.port_cnt[p]; r->p80_hosts = s.port_hosts[p]; continue; }
            if (p == 443) { r->p443 = s.port_cnt[p]; r->p443_hosts = s.port_hosts[p]; continue; }
            r->ranges[p / 1000] += s.port_cnt[p];
            r->ranges_total += s.port_cnt[p];
            char num[8];
            int n = snprintf(num, sizeof num, "%d", p);
            uint32_t id = mt_strtab_intern(&pt, num, (size_t)n);
            pt.cnt[id][0] = s.port_cnt[p];
            pt.cnt[id][1] = s.port_hosts[p];
        }
        table_from(&r->ports, &pt, 0, 1, keep, r->port_findings, 0);
        mt_strtab_free(&pt);
    }
    if (r->analyses & MT_AN_VICTIMS) {
        rc = victims(o, r, &s);
        if (rc) goto free_state;
    }
    if (r->analyses & MT_AN_TOP) {
        table_from(&r->hosts, &s.hosts, 0, -1, keep, r->findings_mining, 1);
        t0 = now_ms();
        if (!r->empty) rc = pass_b(db, top_indexed, r, keep);
        r->ms_pass_b = now_ms() - t0;
        if (rc) goto free_state;
    }
    if (r->analyses & MT_AN_MARKET)
        for (int i = 0; i < r->nmarket; i++) market(o, r, mkey0, i);

free_state:
    mt_strtab_free(&s.hosts);
    mt_strtab_free(&s.fams);
    mt_strtab_free(&s.kinds);
    mt_strtab_free(&s.behs);
    mt_u64set_free(&s.pairs);
    free(s.last_p);
    free(s.last_m);
    free(s.port_cnt);
    free(s.port_hosts);
    free(s.port_last);
    free(s.beh_of);
    free(s.day_pi);
    free(s.day_mi);
    free(s.slot_off);
out:
    sqlite3_close(db);
    if (rc) mt_report_free(r);
    return rc;
}
