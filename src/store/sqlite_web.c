/* The website study's aggregates over SQLite (definitions as SQL:
 * docs/STORE.md, "The website study's aggregates").
 *
 * Unlike the traffic summary (sqlite_query.c), these are plain GROUP BY
 * queries: a crawl of the top million sites yields web findings for a few
 * thousand sites, not the tens of millions of rows a year of traffic
 * gives, so SQLite's sorting aggregation costs milliseconds and the SQL
 * in the documentation is exactly what runs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_store.h"

static mt_sqlite_store *S(mt_store *s) { return (mt_sqlite_store *)s; }

int mt_sqlite_web_present(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    if (!s->has_web) return 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM web_findings LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return mt_sqlite_fail(s->db, "web query");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 1;
    return rc == SQLITE_DONE ? 0 : mt_sqlite_fail(s->db, "web query");
}

/* W: the findings that count for sites. ?1, ?2: the range; ?3: the
 * confidence threshold; ?9 the sensors (MT_SQLITE_SEL). */
#define RANGE "ts >= ?1 AND ts < ?2 AND " MT_SQLITE_SEL("sensor")
#define W RANGE " AND confidence >= ?3"
#define KNOWN "provider NOT IN ('', 'unknown')"

typedef struct wq {
    sqlite3 *db;
    int64_t from, to;
    int minc;
    const mt_store_sensors *sensors;
} wq;

static sqlite3_stmt *wq_prepare(const wq *q, const char *sql)
{
    return mt_sqlite_prepare_range(q->db, sql, q->from, q->to, q->minc, q->sensors, "web query");
}

/* The integers of a one-row query into out[0..n). */
static int wq_row(const wq *q, const char *sql, uint64_t *out, int n)
{
    sqlite3_stmt *st = wq_prepare(q, sql);
    if (!st) return MT_EIO;
    int rc = sqlite3_step(st);
    for (int i = 0; i < n; i++) out[i] = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, i) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(q->db, "web query");
}

/* Rows (name, findings, sites[, provider]) into a group array. */
static int wq_groups(const wq *q, const char *sql, int with_provider, mt_store_web_group **out, size_t *nout)
{
    sqlite3_stmt *st = wq_prepare(q, sql);
    if (!st) return MT_EIO;
    size_t n = 0, cap = 0;
    mt_store_web_group *g = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            g = mt_xrealloc(g, cap * sizeof *g);
        }
        g[n].name = mt_sqlite_col_dup(st, 0);
        g[n].findings = (uint64_t)sqlite3_column_int64(st, 1);
        g[n].sites = (uint64_t)sqlite3_column_int64(st, 2);
        g[n].provider = with_provider ? mt_sqlite_col_dup(st, 3) : NULL;
        n++;
    }
    sqlite3_finalize(st);
    *out = g;
    *nout = n;
    return rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(q->db, "web query");
}

/* The interval of a site's rank: 0..nedges (nedges = above the last edge). */
static size_t rank_interval(const uint32_t *edges, size_t nedges, int64_t rank)
{
    size_t i = 0;
    while (i < nedges && rank > (int64_t)edges[i]) i++;
    return i;
}

int mt_sqlite_web_summary(mt_store *b, const mt_store_web_query *qq, mt_store_web_summary *out)
{
    mt_sqlite_store *s = S(b);
    if (!s->has_web) return MT_OK; /* an older database read as it is: no web findings */
    wq q = {s->db, qq->from, qq->to, qq->min_confidence, &qq->sensors};
    if (qq->from == 0 && qq->to == 0) {
        q.from = INT64_MIN;
        q.to = INT64_MAX;
    }
    uint64_t v[3];
    if (wq_row(&q, "SELECT count(*), coalesce(sum(confidence >= ?3), 0) FROM web_findings WHERE " RANGE, v, 2))
        return MT_EIO;
    out->findings = v[0];
    out->confident = v[1];
    if (wq_row(&q, "SELECT count(DISTINCT domain), count(DISTINCT url) FROM web_findings WHERE " W, v, 2))
        return MT_EIO;
    out->sites = v[0];
    out->pages = v[1];

    /* A site's rank is the best (lowest) rank among its findings. */
    sqlite3_stmt *st = wq_prepare(&q, "SELECT min(rank) FROM web_findings WHERE " W " GROUP BY domain");
    if (!st) return MT_EIO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
            out->unranked_sites++;
            continue;
        }
        out->rank_sites[rank_interval(qq->edges, qq->nedges, sqlite3_column_int64(st, 0))]++;
        out->ranked_sites++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return mt_sqlite_fail(s->db, "web query");

    /* A site's category: the greatest of its findings' (a named category
     * wins over unknown ''), so that each site counts once. */
    if (wq_groups(&q,
                  "SELECT c, sum(n), count(*) FROM (SELECT max(category) AS c, count(*) AS n FROM web_findings"
                  " WHERE " W " GROUP BY domain) GROUP BY c ORDER BY 3 DESC, 1",
                  0, &out->categories, &out->ncategories))
        return MT_EIO;
    /* Providers: sites with a finding naming it; "unknown": sites with none
     * that names a provider. */
    if (wq_groups(&q,
                  "SELECT provider, count(*), count(DISTINCT domain) FROM web_findings WHERE " W " AND " KNOWN
                  " GROUP BY provider"
                  " UNION ALL "
                  "SELECT 'unknown', sum(n), count(*) FROM (SELECT count(*) AS n, sum(" KNOWN ") AS k"
                  " FROM web_findings WHERE " W " GROUP BY domain) WHERE k = 0 HAVING count(*) > 0"
                  " ORDER BY 3 DESC, 1",
                  0, &out->providers, &out->nproviders))
        return MT_EIO;
    if (wq_groups(&q,
                  "SELECT kind, count(*), count(DISTINCT domain) FROM web_findings WHERE " W
                  " GROUP BY kind ORDER BY 3 DESC, 1",
                  0, &out->kinds, &out->nkinds))
        return MT_EIO;

    /* Site keys: one key on many sites is one campaign. */
    if (wq_row(&q,
               "SELECT count(DISTINCT site_key), count(DISTINCT domain) FROM web_findings WHERE " W
               " AND site_key <> ''",
               v, 2))
        return MT_EIO;
    out->distinct_keys = v[0];
    out->keyed_sites = v[1];
    if (wq_row(&q,
               "SELECT count(*) FROM (SELECT site_key FROM web_findings WHERE " W " AND site_key <> ''"
               " GROUP BY site_key HAVING count(DISTINCT domain) >= 2)",
               v, 1))
        return MT_EIO;
    out->campaigns = v[0];
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT site_key, count(*), count(DISTINCT domain),"
             " max(CASE WHEN " KNOWN " THEN provider ELSE '' END) FROM web_findings WHERE " W
             " AND site_key <> '' GROUP BY site_key ORDER BY 3 DESC, 2 DESC, 1 LIMIT %lld",
             qq->top_keys ? (long long)qq->top_keys : -1LL);
    return wq_groups(&q, sql, 1, &out->keys, &out->nkeys);
}
