/* The website study's aggregates over PostgreSQL: the SQL of docs/STORE.md
 * ("The website study's aggregates"), with the sensors filter, run by the
 * server; rank intervals by width_bucket over the edges + 1 (a rank r is
 * in interval i when i edges are below it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_store.h"

static mt_pg_store *S(mt_store *s) { return (mt_pg_store *)s; }

int mt_pg_web_present(mt_store *b)
{
    mt_pg_store *s = S(b);
    PGresult *r;
    if (mt_pg_params(s, "SELECT 1 FROM web_findings LIMIT 1", 0, NULL, "web query", &r) != MT_OK) return MT_EIO;
    int have = PQntuples(r) > 0;
    PQclear(r);
    return have;
}

/* $1, $2: the range; $3: sensors; $4: the confidence threshold. */
#define RANGE "ts >= $1 AND ts < $2 AND (cardinality($3::text[]) = 0 OR sensor = ANY($3::text[]))"
#define W RANGE " AND confidence >= $4::integer"
#define KNOWN "provider NOT IN ('', 'unknown')"

typedef struct wq {
    mt_pg_store *s;
    const char *v[5];
    int n;
} wq;

static int wq_run(wq *q, const char *sql, PGresult **r) { return mt_pg_params(q->s, sql, q->n, q->v, "web query", r); }

static int wq_row(wq *q, const char *sql, uint64_t *out, int n)
{
    PGresult *r;
    if (wq_run(q, sql, &r) != MT_OK) return MT_EIO;
    for (int i = 0; i < n; i++) out[i] = PQntuples(r) ? mt_pg_u64(r, 0, i) : 0;
    PQclear(r);
    return MT_OK;
}

static int wq_groups(wq *q, const char *sql, int with_provider, mt_store_web_group **out, size_t *nout)
{
    PGresult *r;
    if (wq_run(q, sql, &r) != MT_OK) return MT_EIO;
    int n = PQntuples(r);
    mt_store_web_group *g = mt_xcalloc(n ? (size_t)n : 1, sizeof *g);
    for (int i = 0; i < n; i++) {
        g[i].name = mt_pg_dup(r, i, 0);
        g[i].findings = mt_pg_u64(r, i, 1);
        g[i].sites = mt_pg_u64(r, i, 2);
        g[i].provider = with_provider ? mt_pg_dup(r, i, 3) : NULL;
    }
    PQclear(r);
    *out = g;
    *nout = (size_t)n;
    return MT_OK;
}

int mt_pg_web_summary(mt_store *b, const mt_store_web_query *qq, mt_store_web_summary *out)
{
    mt_pg_store *s = S(b);
    char from[24], to[24], minc[16];
    int64_t f = qq->from, t = qq->to;
    if (f == 0 && t == 0) {
        f = INT64_MIN;
        t = INT64_MAX;
    }
    snprintf(from, sizeof from, "%lld", (long long)f);
    snprintf(to, sizeof to, "%lld", (long long)t);
    snprintf(minc, sizeof minc, "%d", qq->min_confidence);
    mt_buf sens, edges;
    mt_buf_init(&sens);
    mt_buf_init(&edges);
    mt_pg_text_array(&sens, qq->sensors.names, qq->sensors.n);
    mt_buf_putc(&edges, '{');
    for (size_t i = 0; i < qq->nedges; i++) {
        if (i) mt_buf_putc(&edges, ',');
        mt_buf_put_int(&edges, (long long)qq->edges[i] + 1);
    }
    mt_buf_putc(&edges, '}');
    wq q = {s, {from, to, mt_buf_cstr(&sens), minc, mt_buf_cstr(&edges)}, 4};
    int rc = MT_EIO;
    uint64_t v[3];
    PGresult *r;
    if (wq_row(&q, "SELECT count(*), count(*) FILTER (WHERE confidence >= $4::integer) FROM web_findings WHERE " RANGE,
               v, 2))
        goto done;
    out->findings = v[0];
    out->confident = v[1];
    if (wq_row(&q, "SELECT count(DISTINCT domain), count(DISTINCT url) FROM web_findings WHERE " W, v, 2)) goto done;
    out->sites = v[0];
    out->pages = v[1];

    /* A site's rank is the best (lowest) of its findings'. */
    q.n = 5;
    if (wq_run(&q,
               "SELECT width_bucket(r, $5::bigint[]), count(*) FROM (SELECT min(rank) AS r FROM web_findings"
               " WHERE " W " GROUP BY domain) x GROUP BY 1",
               &r))
        goto done;
    q.n = 4;
    for (int i = 0; i < PQntuples(r); i++) {
        uint64_t n = mt_pg_u64(r, i, 1);
        if (PQgetisnull(r, i, 0)) {
            out->unranked_sites += n;
            continue;
        }
        int64_t k = mt_pg_i64(r, i, 0);
        if (k < 0 || (size_t)k > qq->nedges) continue;
        out->rank_sites[k] += n;
        out->ranked_sites += n;
    }
    PQclear(r);

    if (wq_groups(&q,
                  "SELECT c, sum(n), count(*) FROM (SELECT max(category) AS c, count(*) AS n FROM web_findings"
                  " WHERE " W " GROUP BY domain) x GROUP BY c ORDER BY 3 DESC, 1",
                  0, &out->categories, &out->ncategories))
        goto done;
    if (wq_groups(&q,
                  "SELECT provider, count(*), count(DISTINCT domain) FROM web_findings WHERE " W " AND " KNOWN
                  " GROUP BY provider"
                  " UNION ALL "
                  "SELECT 'unknown' COLLATE \"C\", sum(n), count(*) FROM (SELECT count(*) AS n, count(*) FILTER"
                  " (WHERE " KNOWN ") AS k FROM web_findings WHERE " W " GROUP BY domain) x WHERE k = 0"
                  " HAVING count(*) > 0 ORDER BY 3 DESC, 1",
                  0, &out->providers, &out->nproviders))
        goto done;
    if (wq_groups(&q,
                  "SELECT kind, count(*), count(DISTINCT domain) FROM web_findings WHERE " W
                  " GROUP BY kind ORDER BY 3 DESC, 1",
                  0, &out->kinds, &out->nkinds))
        goto done;
    if (wq_row(&q,
               "SELECT count(DISTINCT site_key), count(DISTINCT domain) FROM web_findings WHERE " W
               " AND site_key <> ''",
               v, 2))
        goto done;
    out->distinct_keys = v[0];
    out->keyed_sites = v[1];
    if (wq_row(&q,
               "SELECT count(*) FROM (SELECT site_key FROM web_findings WHERE " W " AND site_key <> ''"
               " GROUP BY site_key HAVING count(DISTINCT domain) >= 2) x",
               v, 1))
        goto done;
    out->campaigns = v[0];
    char sql[640], lim[32];
    if (qq->top_keys) snprintf(lim, sizeof lim, "%zu", qq->top_keys);
    else snprintf(lim, sizeof lim, "ALL");
    snprintf(sql, sizeof sql,
             "SELECT site_key, count(*), count(DISTINCT domain),"
             " max(CASE WHEN " KNOWN " THEN provider ELSE '' END) FROM web_findings WHERE " W
             " AND site_key <> '' GROUP BY site_key ORDER BY 3 DESC, 2 DESC, 1 LIMIT %s",
             lim);
    rc = wq_groups(&q, sql, 1, &out->keys, &out->nkeys);
done:
    mt_buf_free(&sens);
    mt_buf_free(&edges);
    return rc;
}
