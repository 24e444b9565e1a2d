/* The report analyses over the findings store (design notes in analyze.h,
 * definitions in docs/REPORT.md). */
#include "analyze/analyze.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/assets.h"
#include "analyze/stats.h"
#include "minetrace/store.h"
#include "util/strtab.h"

#define MAX_PERIODS 200000   /* ~550 years of days: a bound, not a limit */
#define MIX_ROWS 100

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
    for (size_t i = 0; i < r->nsensors; i++) free(r->sensors[i].sensor);
    free(r->sensors);
    free(r->unmatched);
    memset(r, 0, sizeof *r);
}

/* The selected sensors without a finding in range (the report names them
 * rather than giving a silently empty report). */
static void unmatched(const mt_rep_opts *o, mt_report *r)
{
    for (size_t i = 0; i < o->sensors.n; i++) {
        size_t k = 0;
        while (k < r->nsensors && strcmp(r->sensors[k].sensor, o->sensors.names[i]) != 0) k++;
        if (k < r->nsensors) continue;
        if (!r->unmatched) r->unmatched = mt_xcalloc(o->sensors.n, sizeof *r->unmatched);
        r->unmatched[r->nunmatched++] = o->sensors.names[i];
    }
}

/* The store the report reads: writable when allowed, so that the store may
 * build the indexes its queries want, else read-only. */
static mt_store *open_store(const mt_rep_opts *o)
{
    mt_store_opts so = {o->no_index ? MT_STORE_READONLY | MT_STORE_NO_INDEX : 0, NULL};
    mt_store *s = mt_store_open(o->db_path, &so);
    if (!s && !o->no_index) {
        so.flags = MT_STORE_READONLY;
        s = mt_store_open(o->db_path, &so);
    }
    return s;
}

/* Effective range: the options, else the data's first and last finding. */
static int data_range(mt_store *st, const mt_rep_opts *o, mt_report *r)
{
    r->from = o->from;
    r->to = o->to;
    if (o->has_from && o->has_to) return MT_OK;
    mt_time_us first = 0, last = 0;
    int have = mt_store_time_range(st, &o->sensors, &first, &last);
    if (have < 0) return have;
    if (have) {
        if (!o->has_from) r->from = first;
        if (!o->has_to) r->to = last + 1;
    } else {
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

/* ---- periods as a map from time to bucket, for the store ---- */

/* The UTC offset in force during the 15-minute UTC slot that holds `sec`
 * (every real zone changes offset on a quarter hour). */
static int64_t slot_offset(mt_tz *tz, int64_t sec)
{
    int64_t a = mt_floor_div(sec, 900) * 900;
    return mt_tz_local(tz, a) - a;
}

typedef struct bucket_map {
    mt_time_us *start;
    int32_t *bucket;
    size_t n, cap;
} bucket_map;

static void map_push(bucket_map *m, mt_time_us start, int32_t b)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->start = mt_xrealloc(m->start, m->cap * sizeof *m->start);
        m->bucket = mt_xrealloc(m->bucket, m->cap * sizeof *m->bucket);
    }
    m->start[m->n] = start;
    m->bucket[m->n++] = b;
}

/* The pieces of [from, to) in which the local day (and so the period of
 * unit u, as an index from key0) stays the same: a finding at UTC second
 * s belongs to local day floor((s + offset) / 86400). The walk goes from
 * local midnight to local midnight and, where the offset changes within a
 * day, to the slot where it changes (found by bisection; a zone that
 * changes offset and back within one day is not seen). Pieces in which
 * the period does not change are merged. */
static void build_map(bucket_map *m, mt_tz *tz, mt_period_unit u, int64_t key0, size_t nkeys,
                      mt_time_us from, mt_time_us to)
{
    memset(m, 0, sizeof *m);
    if (to <= from || !nkeys) return;
    int64_t t = mt_floor_div(from, 1000000), end = mt_floor_div(to - 1, 1000000);
    int32_t cur = INT32_MIN;
    for (;;) {
        int64_t off = slot_offset(tz, t);
        int64_t day = mt_floor_div(t + off, 86400);
        int64_t k = mt_period_key(u, day) - key0;
        int32_t b = k >= 0 && (size_t)k < nkeys ? (int32_t)k : -1;
        if (b != cur) {
            map_push(m, m->n ? t * 1000000 : from, b);
            cur = b;
        }
        int64_t next = (day + 1) * 86400 - off; /* the next local midnight */
        int64_t s0 = mt_floor_div(t, 900), s1 = mt_floor_div((next <= end ? next : end + 1) - 1, 900);
        if (s1 > s0 && slot_offset(tz, s1 * 900) != off) {
            int64_t lo = s0, hi = s1; /* offset(lo) == off, offset(hi) != off */
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (slot_offset(tz, mid * 900) == off) lo = mid;
                else hi = mid;
            }
            next = hi * 900;
        }
        if (next > end) break;
        t = next;
    }
}

static void map_free(bucket_map *m)
{
    free(m->start);
    free(m->bucket);
}

/* Ranked table from the store's groups: rows sorted by findings, then by
 * the name shown; at most `keep` rows. */
static const mt_store_group *sort_groups;
static int cmp_group(const void *a, const void *b)
{
    const mt_store_group *x = &sort_groups[*(const uint32_t *)a], *y = &sort_groups[*(const uint32_t *)b];
    if (x->findings != y->findings) return x->findings > y->findings ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void table_from_groups(mt_rep_table *t, const mt_store_group *g, size_t n, size_t keep,
                              uint64_t total, int skip_empty, int with_hosts)
{
    memset(t, 0, sizeof *t);
    uint32_t *ids = mt_xmalloc((n ? n : 1) * sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!g[i].findings || (skip_empty && !g[i].name[0])) continue;
        ids[k++] = (uint32_t)i;
    }
    sort_groups = g;
    qsort(ids, k, sizeof *ids, cmp_group);
    t->distinct = k;
    t->total = total;
    t->n = k < keep ? k : keep;
    t->v = mt_xcalloc(t->n ? t->n : 1, sizeof *t->v);
    for (size_t i = 0; i < t->n; i++) {
        const mt_store_group *e = &g[ids[i]];
        t->v[i].name = mt_xstrdup(e->name[0] ? e->name : "(unknown)");
        t->v[i].findings = e->findings;
        t->v[i].hosts = with_hosts ? e->hosts : 0;
        t->v[i].share = total ? (double)e->findings / (double)total : 0.0;
    }
    free(ids);
}

/* Behaviour "family / kind", as the report names it. */
static size_t behaviour_label(const char *fam, const char *kind, char *bk)
{
    size_t famlen = strlen(fam), klen = strlen(kind);
    size_t fl = famlen < 96 ? famlen : 96;
    size_t kl = klen < 48 ? klen : 48;
    const char *fshow = fl ? fam : "(unknown)";
    if (!fl) fl = 9;
    memcpy(bk, fshow, fl);
    memcpy(bk + fl, " / ", 3);
    memcpy(bk + fl + 3, kl ? kind : "?", kl ? kl : 1);
    return fl + 3 + (kl ? kl : 1);
}

/* Victims: every host with mining findings, joined to the inventory. */
static int victims(const mt_rep_opts *o, mt_report *r, const mt_store_summary *sm)
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
        r->asset_skips = as.skipped;
    }
    mt_strtab sec, sz, orgs;
    mt_strtab_init(&sec);
    mt_strtab_init(&sz);
    mt_strtab_init(&orgs);
    mt_u64set seen;
    mt_u64set_init(&seen);
    static const char *sizes[] = {"small", "medium", "large", "unknown"};
    for (int i = 0; i < 4; i++) mt_strtab_intern(&sz, sizes[i], strlen(sizes[i]));
    for (size_t h = 0; h < sm->nhosts; h++) {
        uint64_t nf = sm->hosts[h].mining;
        if (!nf) continue;
        r->victims++;
        mt_addr a;
        const mt_asset *e = NULL;
        const char *ip = sm->hosts[h].addr;
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
    r->chart_scale = o->chart_scale;
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

    mt_store *st = open_store(o);
    if (!st) {
        mt_report_free(r);
        return MT_EIO; /* the store said why */
    }
    unsigned want = 0;
    if (r->analyses & (MT_AN_ACTIVITY | MT_AN_MARKET)) want |= MT_SQ_BUCKETS;
    if (r->analyses & MT_AN_MIX) want |= MT_SQ_MIX;
    if (r->analyses & MT_AN_PORTS) want |= MT_SQ_PORTS;
    const char *plan = NULL;
    int rc = mt_store_prepare(st, want | (r->analyses & MT_AN_TOP ? MT_SQ_TOP : 0), &plan);
    if (rc) goto out;
    r->scan_path = plan;
    rc = data_range(st, o, r);
    if (rc) goto out;
    r->empty = r->to <= r->from;

    int64_t pkey0 = 0, mkey0 = 0;
    r->periods = make_periods(r->by, &tz, r->from, r->to, &r->nperiods, &pkey0);
    r->months = make_periods(MT_BY_MONTH, &tz, r->from, r->to, &r->nmonths, &mkey0);

    /* The periods as the store sees them. A range of more local days than
     * MAX_PERIODS counts no period at all. */
    bucket_map pmap, mmap;
    memset(&pmap, 0, sizeof pmap);
    memset(&mmap, 0, sizeof mmap);
    if (!r->empty) {
        int64_t d0 = local_day(&tz, r->from), d1 = local_day(&tz, r->to - 1);
        if (d1 >= d0 && d1 - d0 < MAX_PERIODS) {
            if (r->analyses & MT_AN_ACTIVITY)
                build_map(&pmap, &tz, r->by, pkey0, r->nperiods, r->from, r->to);
            if (r->analyses & MT_AN_MARKET)
                build_map(&mmap, &tz, MT_BY_MONTH, mkey0, r->nmonths, r->from, r->to);
        }
    }
    mt_store_query q;
    memset(&q, 0, sizeof q);
    q.from = r->from;
    q.to = r->to;
    /* The breakdown by sensor is always asked for: the report shows it
     * when the range holds more than one sensor. */
    q.want = want | MT_SQ_SENSORS;
    q.sensors = o->sensors;
    q.buckets[0] = (mt_store_buckets){pmap.start, pmap.bucket, pmap.n, r->nperiods};
    q.buckets[1] = (mt_store_buckets){mmap.start, mmap.bucket, mmap.n, r->nmonths};

    mt_store_summary sm;
    memset(&sm, 0, sizeof sm);
    double t0 = now_ms();
    if (!r->empty) rc = mt_store_summary_get(st, &q, &sm);
    r->ms_pass_a = now_ms() - t0;
    map_free(&pmap);
    map_free(&mmap);
    if (rc) goto out;

    r->sensors = sm.sensors;
    r->nsensors = sm.nsensors;
    sm.sensors = NULL;
    sm.nsensors = 0;
    unmatched(o, r);
    r->findings_total = sm.findings;
    r->findings_mining = sm.mining;
    r->findings_precursor = sm.precursor;
    r->empty = r->findings_total == 0;
    for (size_t h = 0; h < sm.nhosts; h++) {
        r->hosts_all++;
        if (sm.hosts[h].mining) r->hosts_mining++;
    }
    for (size_t i = 0; sm.bucket_findings[0] && i < r->nperiods; i++) {
        r->periods[i].findings = sm.bucket_findings[0][i];
        r->periods[i].hosts = sm.bucket_hosts[0][i];
    }
    for (size_t i = 0; sm.bucket_findings[1] && i < r->nmonths; i++) {
        r->months[i].findings = sm.bucket_findings[1][i];
        r->months[i].hosts = sm.bucket_hosts[1][i];
    }
    if (r->analyses & MT_AN_MIX) {
        table_from_groups(&r->families, sm.families, sm.nfamilies, MIX_ROWS, r->findings_total, 0, 1);
        table_from_groups(&r->kinds, sm.kinds, sm.nkinds, MIX_ROWS, r->findings_total, 0, 1);
        mt_store_group *beh = mt_xcalloc(sm.nbehaviours ? sm.nbehaviours : 1, sizeof *beh);
        for (size_t i = 0; i < sm.nbehaviours; i++) {
            char bk[160];
            size_t n = behaviour_label(sm.behaviours[i].name, sm.behaviours[i].name2, bk);
            beh[i].name = mt_xmalloc(n + 1);
            memcpy(beh[i].name, bk, n);
            beh[i].name[n] = '\0';
            beh[i].findings = sm.behaviours[i].findings;
            beh[i].hosts = sm.behaviours[i].hosts;
        }
        table_from_groups(&r->behaviours, beh, sm.nbehaviours, MIX_ROWS, r->findings_total, 0, 1);
        for (size_t i = 0; i < sm.nbehaviours; i++) free(beh[i].name);
        free(beh);
    }
    if (r->analyses & MT_AN_PORTS) {
        for (size_t h = 0; h < sm.nhosts; h++) {
            r->port_findings += sm.hosts[h].port_findings;
            if (sm.hosts[h].port_findings) r->port_hosts++;
        }
        mt_strtab pt;
        mt_strtab_init(&pt);
        for (int p = 1; sm.port_findings && p < MT_STORE_NPORTS; p++) {
            if (!sm.port_findings[p]) continue;
            r->distinct_ports++;
            if (p == 80) { r->p80 = sm.port_findings[p]; r->p80_hosts = sm.port_hosts[p]; continue; }
            if (p == 443) { r->p443 = sm.port_findings[p]; r->p443_hosts = sm.port_hosts[p]; continue; }
            r->ranges[p / 1000] += sm.port_findings[p];
            r->ranges_total += sm.port_findings[p];
            char num[8];
            int n = snprintf(num, sizeof num, "%d", p);
            uint32_t id = mt_strtab_intern(&pt, num, (size_t)n);
            pt.cnt[id][0] = sm.port_findings[p];
            pt.cnt[id][1] = sm.port_hosts[p];
        }
        table_from(&r->ports, &pt, 0, 1, keep, r->port_findings, 0);
        mt_strtab_free(&pt);
    }
    if (r->analyses & MT_AN_VICTIMS) {
        rc = victims(o, r, &sm);
        if (rc) goto free_summary;
    }
    if (r->analyses & MT_AN_TOP) {
        mt_strtab ht;
        mt_strtab_init(&ht);
        for (size_t h = 0; h < sm.nhosts; h++) {
            uint32_t id = mt_strtab_intern(&ht, sm.hosts[h].addr, strlen(sm.hosts[h].addr));
            ht.cnt[id][0] = sm.hosts[h].mining;
        }
        table_from(&r->hosts, &ht, 0, -1, keep, r->findings_mining, 1);
        mt_strtab_free(&ht);
        mt_store_top top;
        memset(&top, 0, sizeof top);
        t0 = now_ms();
        if (!r->empty) rc = mt_store_top_get(st, &q, &top);
        r->ms_pass_b = now_ms() - t0;
        if (rc) goto free_summary;
        if (!r->empty) {
            table_from_groups(&r->pools, top.v[0], top.n[0], keep, top.total[0], 1, 0);
            table_from_groups(&r->wallets, top.v[1], top.n[1], keep, top.total[1], 1, 0);
            table_from_groups(&r->agents, top.v[2], top.n[2], keep, top.total[2], 1, 0);
        }
        mt_store_top_free(&top);
    }
    if (r->analyses & MT_AN_MARKET)
        for (int i = 0; i < r->nmarket; i++) market(o, r, mkey0, i);

free_summary:
    mt_store_summary_free(&sm);
out:
    mt_store_close(st);
    if (rc) mt_report_free(r);
    return rc;
}
