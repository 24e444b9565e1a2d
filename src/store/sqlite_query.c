/* The analyses' aggregates over SQLite (definitions as SQL: docs/STORE.md).
 *
 * Why not GROUP BY: SQLite has no hash aggregation; every GROUP BY and
 * count(DISTINCT) sorts its input. The report's aggregates written as
 * plain SQL took six times the CPU time of one sequential pass on a
 * million findings (docs/STORE.md), which would put 10M findings far over
 * the 5 s budget per analysis. So this backend computes the same
 * aggregates in one pass over a covering index, grouping in hash tables
 * (util/strtab.h). A server backend computes them with GROUP BY where the
 * data is; tests/unit/test_store.c checks this pass against the SQL.
 *
 * The summary reads only compact columns (ts, event_type, kind, src_ip,
 * dest_port, family) through the covering index `mt_report_scan`, which is
 * ordered by (src_ip, ts): each host's rows come together, so "distinct
 * hosts" needs one "last host" slot per key instead of a set of pairs. A
 * ts-range query through the plain ts index would do one random row read
 * per finding (74 s for 10M rows), so without our index the pass is a full
 * table scan. The top values read the index `mt_report_top` (pool, wallet,
 * agent, ...), in which equal values arrive together. Both indexes are
 * built by mt_store_prepare when the database is writable (CREATE INDEX IF
 * NOT EXISTS: about 80 s and 44 s once for 10M rows). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_store.h"
#include "util/buf.h"
#include "util/strtab.h"

static mt_sqlite_store *S(mt_store *s) { return (mt_sqlite_store *)s; }

/* Is the index there, with the column order the passes rely on? (A
 * read-only database may still have it from before.) */
static int have_index(sqlite3 *db, const char *name, const char *cols)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        ok = sql && strstr(sql, cols) != NULL;
    }
    sqlite3_finalize(st);
    return ok;
}

/* The sensor is the last column: unused, it costs nothing but its bytes in
 * the index; selected (report --sensor) or broken down by (MT_SQ_SENSORS),
 * it is read from the index, so the pass stays index-only and each host's
 * rows still come together. The column lists of version 5 (without it) are
 * still used when a read-only older database has them and the query needs
 * no sensor. */
#define SCAN_COLS "(src_ip, ts, event_type, kind, dest_port, family, sensor)"
#define TOP_COLS "(pool, wallet, agent, event_type, ts, sensor)"
#define SCAN_COLS5 "(src_ip, ts, event_type, kind, dest_port, family)"
#define TOP_COLS5 "(pool, wallet, agent, event_type, ts)"

/* Which index a pass may read: 2 with the sensor, 1 without (when the
 * query needs none), 0 none. */
static int index_level(sqlite3 *db, const char *name, const char *cols, const char *cols5)
{
    if (have_index(db, name, cols)) return 2;
    return have_index(db, name, cols5) ? 1 : 0;
}

char *mt_sqlite_sensors_json(const mt_store_sensors *sel)
{
    if (!sel || !sel->n) return NULL;
    mt_buf b;
    mt_buf_init(&b);
    mt_buf_putc(&b, '[');
    for (size_t i = 0; i < sel->n; i++) {
        if (i) mt_buf_putc(&b, ',');
        mt_json_str(&b, sel->names[i] ? sel->names[i] : "");
    }
    mt_buf_putc(&b, ']');
    char *r = mt_xstrdup(mt_buf_cstr(&b));
    mt_buf_free(&b);
    return r;
}

int mt_sqlite_bind_sensors(sqlite3_stmt *st, int param, const mt_store_sensors *sel)
{
    if (sqlite3_bind_parameter_count(st) < param) return MT_OK;
    char *j = mt_sqlite_sensors_json(sel);
    if (!j) return sqlite3_bind_null(st, param) == SQLITE_OK ? MT_OK : MT_EIO;
    return sqlite3_bind_text(st, param, j, -1, free) == SQLITE_OK ? MT_OK : MT_EIO;
}

sqlite3_stmt *mt_sqlite_prepare_range(sqlite3 *db, const char *sql, int64_t from, int64_t to, int p3,
                                      const mt_store_sensors *sel, const char *what)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        mt_sqlite_fail(db, what);
        return NULL;
    }
    /* Binding a number past the statement's last parameter is an error:
     * bind only those it has (a query may read the range alone). */
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1) sqlite3_bind_int64(st, 1, from);
    if (np >= 2) sqlite3_bind_int64(st, 2, to);
    if (np >= 3) sqlite3_bind_int(st, 3, p3);
    if (mt_sqlite_bind_sensors(st, MT_SQLITE_SEL_PARAM, sel) != MT_OK) {
        mt_sqlite_fail(db, what);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

char *mt_sqlite_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    char *p = mt_xmalloc((size_t)n + 1);
    if (n) memcpy(p, t, (size_t)n);
    p[n] = '\0';
    return p;
}

int mt_sqlite_prepare(mt_store *b, unsigned want, const char **plan)
{
    mt_sqlite_store *s = S(b);
    if (!(s->flags & (MT_STORE_READONLY | MT_STORE_NO_INDEX))) {
        /* Failure is not an error (a writer holds the lock, the medium is
         * read-only): the passes fall back to table scans. */
        sqlite3_exec(s->db, "CREATE INDEX IF NOT EXISTS mt_report_scan ON findings" SCAN_COLS, NULL, NULL,
                     NULL);
        if (want & MT_SQ_TOP)
            sqlite3_exec(s->db, "CREATE INDEX IF NOT EXISTS mt_report_top ON findings" TOP_COLS, NULL, NULL,
                         NULL);
    }
    s->scan_index = index_level(s->db, "mt_report_scan", SCAN_COLS, SCAN_COLS5);
    s->top_index = index_level(s->db, "mt_report_top", TOP_COLS, TOP_COLS5);
    *plan = s->scan_index ? "covering-index" : "table-scan";
    return MT_OK;
}

int mt_sqlite_time_range(mt_store *b, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last)
{
    mt_sqlite_store *s = S(b);
    sqlite3_stmt *st;
    mt_buf sql;
    mt_buf_init(&sql);
    mt_buf_puts(&sql, "SELECT min(ts), max(ts) FROM findings");
    /* Unfiltered, min and max come from the ts index; filtered, the
     * covering index holds both columns and is smaller than the table. */
    if (sensors->n && s->scan_index == 2) mt_buf_puts(&sql, " INDEXED BY mt_report_scan");
    for (size_t i = 0; i < sensors->n; i++)
        mt_buf_puts(&sql, i ? ", ?" : s->has_sensor ? " WHERE sensor IN (?" : " WHERE '' IN (?");
    if (sensors->n) mt_buf_puts(&sql, ")");
    int prc = sqlite3_prepare_v2(s->db, mt_buf_cstr(&sql), -1, &st, NULL);
    mt_buf_free(&sql);
    if (prc != SQLITE_OK) return mt_sqlite_fail(s->db, "range query");
    for (size_t i = 0; i < sensors->n; i++)
        sqlite3_bind_text(st, (int)i + 1, sensors->names[i], -1, SQLITE_STATIC);
    int have = 0, rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
        have = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return mt_sqlite_fail(s->db, "range query");
    return have;
}

/* ---- the summary pass ----------------------------------------------------- */

enum { TAG_B0 = 1, TAG_B1, TAG_FAMILY, TAG_KIND, TAG_BEH, TAG_PORT, TAG_SENS, TAG_SENS_M };

/* One sensor's figures during the pass (MT_SQ_SENSORS). */
typedef struct sensor_acc {
    uint64_t findings, mining, precursor, hosts, mining_hosts;
    uint64_t last_host, last_mhost; /* last host + 1 (grouped rows) */
    mt_time_us first, last;
    int selected;                 /* one of q->sensors (or no selection) */
} sensor_acc;

static uint64_t pair_key(unsigned tag, uint64_t a, uint32_t host)
{
    return ((uint64_t)tag << 56) | ((a & 0xffffffULL) << 32) | host;
}

typedef struct bucket_state {
    const mt_store_buckets *m;
    size_t piece;                 /* the last row's piece: the next row is most often in it */
    uint64_t *findings, *hosts;
    uint32_t *last;               /* per bucket: last host + 1 (grouped rows) */
} bucket_state;

/* Bucket of ts, or -1. */
static int32_t bucket_of(bucket_state *b, mt_time_us ts)
{
    const mt_store_buckets *m = b->m;
    if (!m->n || ts < m->start[0]) return -1;
    size_t i = b->piece;
    if (!(ts >= m->start[i] && (i + 1 == m->n || ts < m->start[i + 1]))) {
        size_t lo = 0, hi = m->n; /* the last piece with start <= ts */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->start[mid] <= ts) lo = mid;
            else hi = mid;
        }
        b->piece = i = lo;
    }
    int32_t k = m->bucket[i];
    return k >= 0 && (size_t)k < m->nbuckets ? k : -1;
}

typedef struct scan_state {
    int grouped;
    mt_strtab hosts, fams, kinds, behs;
    mt_u64set pairs;              /* distinct pairs when rows are not grouped */
    uint32_t *beh_of;             /* (family id, kind id) -> behaviour id + 1, small ids */
    uint64_t *port_cnt, *port_hosts;
    uint32_t *port_last;
    bucket_state bk[2];
    mt_strtab sens;               /* MT_SQ_SENSORS: names */
    sensor_acc *sacc;
    size_t nsacc;
    const mt_store_sensors *sel;
} scan_state;

#define BEH_F 256
#define BEH_K 64

/* Is (key, host) new? With host-grouped rows a per-key "last host" slot is
 * exact and needs no memory per pair; otherwise a set of pairs. */
static int new_pair(scan_state *s, uint64_t *last, unsigned tag, uint64_t a, uint32_t h)
{
    if (s->grouped) {
        if (*last == (uint64_t)h + 1) return 0;
        *last = (uint64_t)h + 1;
        return 1;
    }
    return mt_u64set_add(&s->pairs, pair_key(tag, a, h));
}

static int new_pair32(scan_state *s, uint32_t *last, unsigned tag, uint64_t a, uint32_t h)
{
    uint64_t l = *last;
    int r = new_pair(s, &l, tag, a, h);
    *last = (uint32_t)l;
    return r;
}

static void groups_from(const mt_strtab *t, mt_store_group **out, size_t *n)
{
    *n = t->n;
    *out = mt_xcalloc(t->n ? t->n : 1, sizeof **out);
    for (uint32_t i = 0; i < t->n; i++) {
        (*out)[i].name = mt_xstrdup(mt_strtab_str(t, i));
        (*out)[i].findings = t->cnt[i][0];
        (*out)[i].hosts = t->cnt[i][1];
    }
}

/* Rows come grouped by host through our index; the version-5 index (no
 * sensor) serves only a query that needs no sensor. */
static int z_grouped(const mt_sqlite_store *s, int need_sensor)
{
    return s->scan_index == 2 || (s->scan_index == 1 && !need_sensor);
}

/* The pass's statement: the sensor column when the pass tests it (several
 * selected) or breaks down by it. */
static int scan_prepare(mt_sqlite_store *s, const mt_store_query *q, int need_sensor, sqlite3_stmt **st)
{
    mt_buf sql;
    mt_buf_init(&sql);
    mt_buf_puts(&sql, "SELECT ts, event_type, kind, src_ip, dest_port, family");
    if (need_sensor) mt_buf_puts(&sql, s->has_sensor ? ", sensor" : ", ''");
    mt_buf_puts(&sql, " FROM findings");
    mt_buf_puts(&sql, z_grouped(s, need_sensor || q->sensors.n) ? " INDEXED BY mt_report_scan" : " NOT INDEXED");
    mt_buf_puts(&sql, " WHERE ts >= ?1 AND ts < ?2");
    /* One sensor: an equality on the index entry, so the other sensors'
     * rows are never decoded. Several: the pass tests the sensor column
     * itself (sensor_of), once per run of rows of one sensor, which costs
     * far less than an IN lookup per row. */
    if (q->sensors.n == 1) mt_buf_puts(&sql, s->has_sensor ? " AND sensor = ?3" : " AND '' = ?3");
    int rc = sqlite3_prepare_v2(s->db, mt_buf_cstr(&sql), -1, st, NULL);
    mt_buf_free(&sql);
    if (rc != SQLITE_OK) return mt_sqlite_fail(s->db, "scan");
    sqlite3_bind_int64(*st, 1, q->from);
    sqlite3_bind_int64(*st, 2, q->to);
    if (q->sensors.n == 1) sqlite3_bind_text(*st, 3, q->sensors.names[0], -1, SQLITE_STATIC);
    return MT_OK;
}

/* The sensor of the row, and its figures. */
static sensor_acc *sensor_of(scan_state *z, const char *name, int len)
{
    uint32_t id = mt_strtab_intern(&z->sens, name ? name : "", name ? (size_t)len : 0);
    if (id >= z->nsacc) {
        size_t n = z->nsacc ? z->nsacc * 2 : 8;
        while (n <= id) n *= 2;
        z->sacc = mt_xrealloc(z->sacc, n * sizeof *z->sacc);
        memset(z->sacc + z->nsacc, 0, (n - z->nsacc) * sizeof *z->sacc);
        z->nsacc = n;
    }
    sensor_acc *a = &z->sacc[id];
    if (!a->selected && !a->findings) {
        a->selected = z->sel->n == 0;
        for (size_t i = 0; i < z->sel->n && !a->selected; i++)
            a->selected = strlen(z->sel->names[i]) == (size_t)len && memcmp(z->sel->names[i], name, (size_t)len) == 0;
        if (!a->selected) a->selected = -1; /* looked at, not selected */
    }
    return a;
}

static int scan(mt_sqlite_store *s, const mt_store_query *q, scan_state *z, mt_store_summary *out)
{
    const int want_s = (q->want & MT_SQ_SENSORS) != 0;
    sqlite3_stmt *st;
    if (scan_prepare(s, q, want_s || q->sensors.n > 1, &st) != MT_OK) return MT_EIO;
    const int want_b = (q->want & MT_SQ_BUCKETS) != 0, want_mix = (q->want & MT_SQ_MIX) != 0,
              want_ports = (q->want & MT_SQ_PORTS) != 0;
    char prev[MT_ADDR_STRLEN + 16];
    int prevlen = -1;
    uint32_t h = 0;
    /* Rows of one sensor come in runs (a host seen by one sensor), so the
     * last sensor's name is compared before it is looked up. */
    char prevs[80];
    int prevslen = -1;
    sensor_acc *sa = NULL;
    int rc;
    const int need_s = want_s || q->sensors.n > 1;
    z->sel = &q->sensors;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (need_s) {
            const char *sn = (const char *)sqlite3_column_text(st, 6);
            int snlen = sqlite3_column_bytes(st, 6);
            if (!sn) sn = "";
            if (!sa || snlen != prevslen || memcmp(prevs, sn, (size_t)snlen) != 0) {
                sa = sensor_of(z, sn, snlen);
                if ((size_t)snlen < sizeof prevs) {
                    memcpy(prevs, sn, (size_t)snlen);
                    prevslen = snlen;
                } else {
                    prevslen = -1;
                }
            }
            if (sa->selected < 0) continue;
        }
        mt_time_us ts = sqlite3_column_int64(st, 0);
        const char *et = (const char *)sqlite3_column_text(st, 1);
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const char *src = (const char *)sqlite3_column_text(st, 3);
        int srclen = sqlite3_column_bytes(st, 3);
        if (!et) et = "";
        if (!kind) kind = "";
        if (!src) src = "";
        int mining = et[0] == 'm' && strcmp(et, "mining") == 0;
        out->findings++;
        if (mining) out->mining++;
        else if (strcmp(et, "precursor") == 0) out->precursor++;

        if (srclen != prevlen || memcmp(prev, src, (size_t)srclen) != 0) {
            h = mt_strtab_intern(&z->hosts, src, (size_t)srclen);
            if ((size_t)srclen < sizeof prev) {
                memcpy(prev, src, (size_t)srclen);
                prevlen = srclen;
            } else {
                prevlen = -1;
            }
        }
        z->hosts.cnt[h][1]++;
        if (mining) z->hosts.cnt[h][0]++;

        if (mining && want_b) {
            for (int m = 0; m < 2; m++) {
                bucket_state *b = &z->bk[m];
                int32_t k = bucket_of(b, ts);
                if (k < 0) continue;
                b->findings[k]++;
                if (new_pair32(z, &b->last[k], TAG_B0 + (unsigned)m, (uint64_t)k, h)) b->hosts[k]++;
            }
        }
        if (want_mix) {
            const char *fam = (const char *)sqlite3_column_text(st, 5);
            int famlen = sqlite3_column_bytes(st, 5);
            if (!fam) fam = "";
            uint32_t f = mt_strtab_intern(&z->fams, fam, (size_t)famlen);
            z->fams.cnt[f][0]++;
            if (new_pair(z, &z->fams.cnt[f][2], TAG_FAMILY, f, h)) z->fams.cnt[f][1]++;
            uint32_t k = mt_strtab_intern(&z->kinds, kind, strlen(kind));
            z->kinds.cnt[k][0]++;
            if (new_pair(z, &z->kinds.cnt[k][2], TAG_KIND, k, h)) z->kinds.cnt[k][1]++;
            uint32_t bh;
            uint32_t *slot = f < BEH_F && k < BEH_K ? &z->beh_of[f * BEH_K + k] : NULL;
            if (slot && *slot) {
                bh = *slot - 1;
            } else {
                uint32_t key[2] = {f, k};
                bh = mt_strtab_intern(&z->behs, (const char *)key, sizeof key);
                if (slot) *slot = bh + 1;
            }
            z->behs.cnt[bh][0]++;
            if (new_pair(z, &z->behs.cnt[bh][2], TAG_BEH, bh, h)) z->behs.cnt[bh][1]++;
        }
        if (want_ports && mining) {
            int port = sqlite3_column_int(st, 4);
            if (port > 0 && port <= 65535 && strcmp(kind, "dns") != 0) {
                z->port_cnt[port]++;
                if (new_pair32(z, &z->port_last[port], TAG_PORT, (uint64_t)port, h)) z->port_hosts[port]++;
                z->hosts.cnt[h][2]++;
            }
        }
        if (want_s) {
            if (!sa->findings++ || ts < sa->first) sa->first = ts;
            if (sa->findings == 1 || ts > sa->last) sa->last = ts;
            uint64_t sid = (uint64_t)(sa - z->sacc);
            if (new_pair(z, &sa->last_host, TAG_SENS, sid, h)) sa->hosts++;
            if (mining) {
                sa->mining++;
                if (new_pair(z, &sa->last_mhost, TAG_SENS_M, sid, h)) sa->mining_hosts++;
            } else if (strcmp(et, "precursor") == 0) {
                sa->precursor++;
            }
        }
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) mt_sqlite_fail(s->db, "scan");
    sqlite3_finalize(st);
    return ok ? MT_OK : MT_EIO;
}

static int sensor_cmp(const void *a, const void *b)
{
    const mt_store_sensor_row *x = a, *y = b;
    if (x->findings != y->findings) return x->findings > y->findings ? -1 : 1;
    return strcmp(x->sensor, y->sensor);
}

/* One row per sensor with findings, most findings first, then by name. */
static void sensor_rows(const scan_state *z, mt_store_summary *out)
{
    out->nsensors = 0;
    out->sensors = mt_xcalloc(z->sens.n ? z->sens.n : 1, sizeof *out->sensors);
    for (uint32_t i = 0; i < z->sens.n; i++) {
        const sensor_acc *a = &z->sacc[i];
        if (!a->findings) continue; /* not selected */
        mt_store_sensor_row *r = &out->sensors[out->nsensors++];
        r->sensor = mt_xstrdup(mt_strtab_str(&z->sens, i));
        r->findings = a->findings;
        r->mining = a->mining;
        r->precursor = a->precursor;
        r->hosts = a->hosts;
        r->mining_hosts = a->mining_hosts;
        r->first = a->first;
        r->last = a->last;
    }
    if (out->nsensors > 1) qsort(out->sensors, out->nsensors, sizeof *out->sensors, sensor_cmp);
}

int mt_sqlite_summary(mt_store *b, const mt_store_query *q, mt_store_summary *out)
{
    mt_sqlite_store *s = S(b);
    scan_state z;
    memset(&z, 0, sizeof z);
    z.grouped = z_grouped(s, (q->want & MT_SQ_SENSORS) || q->sensors.n);
    mt_strtab_init(&z.sens);
    mt_strtab_init(&z.hosts);
    mt_strtab_init(&z.fams);
    mt_strtab_init(&z.kinds);
    mt_strtab_init(&z.behs);
    mt_u64set_init(&z.pairs);
    if (q->want & MT_SQ_MIX) z.beh_of = mt_xcalloc(BEH_F * BEH_K, sizeof *z.beh_of);
    if (q->want & MT_SQ_PORTS) {
        z.port_cnt = mt_xcalloc(MT_STORE_NPORTS, sizeof *z.port_cnt);
        z.port_hosts = mt_xcalloc(MT_STORE_NPORTS, sizeof *z.port_hosts);
        z.port_last = mt_xcalloc(MT_STORE_NPORTS, sizeof *z.port_last);
    }
    for (int m = 0; m < 2; m++) {
        size_t nb = q->want & MT_SQ_BUCKETS ? q->buckets[m].nbuckets : 0;
        z.bk[m].m = &q->buckets[m];
        z.bk[m].findings = mt_xcalloc(nb ? nb : 1, sizeof *z.bk[m].findings);
        z.bk[m].hosts = mt_xcalloc(nb ? nb : 1, sizeof *z.bk[m].hosts);
        z.bk[m].last = mt_xcalloc(nb ? nb : 1, sizeof *z.bk[m].last);
    }
    /* An empty range reads nothing (and needs no index). */
    int rc = q->to > q->from ? scan(s, q, &z, out) : MT_OK;
    if (rc == MT_OK) {
        out->nhosts = z.hosts.n;
        out->hosts = mt_xcalloc(z.hosts.n ? z.hosts.n : 1, sizeof *out->hosts);
        for (uint32_t i = 0; i < z.hosts.n; i++) {
            out->hosts[i].addr = mt_xstrdup(mt_strtab_str(&z.hosts, i));
            out->hosts[i].mining = z.hosts.cnt[i][0];
            out->hosts[i].findings = z.hosts.cnt[i][1];
            out->hosts[i].port_findings = q->want & MT_SQ_PORTS ? z.hosts.cnt[i][2] : 0;
        }
        for (int m = 0; m < 2; m++) {
            if (!(q->want & MT_SQ_BUCKETS)) break;
            out->bucket_findings[m] = z.bk[m].findings;
            out->bucket_hosts[m] = z.bk[m].hosts;
            z.bk[m].findings = z.bk[m].hosts = NULL;
        }
        if (q->want & MT_SQ_MIX) {
            groups_from(&z.fams, &out->families, &out->nfamilies);
            groups_from(&z.kinds, &out->kinds, &out->nkinds);
            out->nbehaviours = z.behs.n;
            out->behaviours = mt_xcalloc(z.behs.n ? z.behs.n : 1, sizeof *out->behaviours);
            for (uint32_t i = 0; i < z.behs.n; i++) {
                uint32_t key[2];
                memcpy(key, mt_strtab_str(&z.behs, i), sizeof key);
                out->behaviours[i].name = mt_xstrdup(mt_strtab_str(&z.fams, key[0]));
                out->behaviours[i].name2 = mt_xstrdup(mt_strtab_str(&z.kinds, key[1]));
                out->behaviours[i].findings = z.behs.cnt[i][0];
                out->behaviours[i].hosts = z.behs.cnt[i][1];
            }
        }
        if (q->want & MT_SQ_SENSORS) sensor_rows(&z, out);
        if (q->want & MT_SQ_PORTS) {
            out->port_findings = z.port_cnt;
            out->port_hosts = z.port_hosts;
            z.port_cnt = z.port_hosts = NULL;
        }
    }
    mt_strtab_free(&z.hosts);
    mt_strtab_free(&z.fams);
    mt_strtab_free(&z.kinds);
    mt_strtab_free(&z.behs);
    mt_strtab_free(&z.sens);
    free(z.sacc);
    mt_u64set_free(&z.pairs);
    free(z.beh_of);
    free(z.port_cnt);
    free(z.port_hosts);
    free(z.port_last);
    for (int m = 0; m < 2; m++) {
        free(z.bk[m].findings);
        free(z.bk[m].hosts);
        free(z.bk[m].last);
    }
    return rc;
}

/* ---- top values ----------------------------------------------------------- */

/* Pools, wallets and agents of mining findings. Through mt_report_top rows
 * come ordered by (pool, wallet, agent), so a value equal to the previous
 * row's is counted without hashing; without it, a full table scan. */
int mt_sqlite_top(mt_store *b, const mt_store_query *q, mt_store_top *out)
{
    mt_sqlite_store *s = S(b);
    mt_time_us from = q->from, to = q->to;
    if (to <= from) {
        for (int c = 0; c < 3; c++) out->v[c] = mt_xcalloc(1, sizeof *out->v[c]);
        return MT_OK;
    }
    sqlite3_stmt *st;
    int filtered = q->sensors.n > 0;
    int indexed = s->top_index == 2 || (s->top_index == 1 && !filtered);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT pool, wallet, agent FROM findings %s WHERE event_type = 'mining' AND"
             " ts >= ?1 AND ts < ?2%s", indexed ? "INDEXED BY mt_report_top" : "NOT INDEXED",
             !filtered ? "" : s->has_sensor ? " AND sensor IN (SELECT value FROM json_each(?3))"
                                            : " AND '' IN (SELECT value FROM json_each(?3))");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return mt_sqlite_fail(s->db, "top scan");
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    if (mt_sqlite_bind_sensors(st, 3, &q->sensors) != MT_OK) {
        sqlite3_finalize(st);
        return mt_sqlite_fail(s->db, "top scan");
    }
    mt_strtab t[3];
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
            out->total[c]++;
        }
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) mt_sqlite_fail(s->db, "top scan");
    sqlite3_finalize(st);
    for (int c = 0; c < 3; c++) {
        t[c].n = ok ? t[c].n : 0;
        for (uint32_t i = 0; i < t[c].n; i++) t[c].cnt[i][1] = 0;
        groups_from(&t[c], &out->v[c], &out->n[c]);
        mt_strtab_free(&t[c]);
    }
    return ok ? MT_OK : MT_EIO;
}

/* ---- block indicators ----------------------------------------------------- */

/* Exactly the SQL of docs/STORE.md ("Block indicators"). An export runs
 * once per block-list refresh, not per report view, so GROUP BY's sort is
 * acceptable here where the report's passes avoid it. */
int mt_sqlite_indicators(mt_store *b, const mt_store_indicator_query *q, mt_store_indicators *out)
{
    mt_sqlite_store *s = S(b);
/* A version-1 database read as it is has no sensor column: its rows are
 * those of the unnamed sensor ''. */
#define IND_WHERE(col)                                                                                     \
    " FROM findings WHERE ((?1 = 0 AND ?2 = 0) OR (ts >= ?1 AND ts < ?2)) AND event_type = 'mining'"     \
    " AND confidence >= ?3 AND " MT_SQLITE_SEL(col)
#define IND_SQL(col)                                                                                       \
        "SELECT 1, pool, count(*), min(ts), max(ts), 0" IND_WHERE(col) " AND pool <> '' GROUP BY pool"     \
        " UNION ALL SELECT 2, dest_ip, count(*), min(ts), max(ts), 0" IND_WHERE(col)                     \
        " AND kind <> 'dns' AND dest_ip <> '' GROUP BY dest_ip"                                            \
        " UNION ALL SELECT 3, CAST(dest_port AS TEXT), count(*), min(ts), max(ts), dest_port" IND_WHERE(col) \
        " AND kind <> 'dns' AND dest_port BETWEEN 1 AND 65535 GROUP BY dest_port"                           \
        " ORDER BY 1, 6, 2"
    static const char with_sensor[] = IND_SQL("sensor"), unnamed[] = IND_SQL("''");
    const char *sql = s->has_sensor ? with_sensor : unnamed;
#undef IND_SQL
#undef IND_WHERE
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return mt_sqlite_fail(s->db, "indicator query");
    sqlite3_bind_int64(st, 1, q->from);
    sqlite3_bind_int64(st, 2, q->to);
    sqlite3_bind_int(st, 3, q->min_confidence);
    if (mt_sqlite_bind_sensors(st, MT_SQLITE_SEL_PARAM, &q->sensors) != MT_OK) {
        sqlite3_finalize(st);
        return mt_sqlite_fail(s->db, "indicator query");
    }
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!v) continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->v = mt_xrealloc(out->v, cap * sizeof *out->v);
        }
        mt_store_indicator *x = &out->v[out->n++];
        x->type = (mt_store_ind_type)sqlite3_column_int(st, 0);
        x->value = mt_xstrdup(v);
        x->findings = (uint64_t)sqlite3_column_int64(st, 2);
        x->first_seen = sqlite3_column_int64(st, 3);
        x->last_seen = sqlite3_column_int64(st, 4);
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) mt_sqlite_fail(s->db, "indicator query");
    sqlite3_finalize(st);
    return ok ? MT_OK : MT_EIO;
}
