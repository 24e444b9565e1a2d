/* The analyses' aggregates over PostgreSQL (definitions as SQL:
 * docs/STORE.md, "The analyses' aggregates"; how each is computed here:
 * "PostgreSQL").
 *
 * Unlike SQLite, the server has hash aggregation and parallel scans, so
 * the definitions run as SQL where the data is and only the groups come
 * back: one row per host, family, kind, port, bucket or sensor, never a
 * finding. The report's time buckets are sent as two arrays (piece starts,
 * bucket of each piece) and width_bucket(ts, starts) finds a row's piece,
 * so the server needs no time-zone data. Every query carries the sensors
 * filter `sensor = ANY($3)` (an empty array: every sensor). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_store.h"

static mt_pg_store *S(mt_store *s) { return (mt_pg_store *)s; }

#define R "ts >= $1 AND ts < $2"
#define SENS "(cardinality($3::text[]) = 0 OR sensor = ANY($3::text[]))"
#define M "event_type = 'mining'"
#define C M " AND kind <> 'dns' AND dest_port BETWEEN 1 AND 65535"

/* The parameters every query starts with: from, to, sensors. */
typedef struct qp {
    char from[24], to[24];
    mt_buf sens;
    const char *v[8];
    int n;
} qp;

static void qp_init(qp *p, mt_time_us from, mt_time_us to, const mt_store_sensors *sn)
{
    snprintf(p->from, sizeof p->from, "%lld", (long long)from);
    snprintf(p->to, sizeof p->to, "%lld", (long long)to);
    mt_buf_init(&p->sens);
    mt_pg_text_array(&p->sens, sn ? sn->names : NULL, sn ? sn->n : 0);
    p->v[0] = p->from;
    p->v[1] = p->to;
    p->v[2] = mt_buf_cstr(&p->sens);
    p->n = 3;
}

int mt_pg_prepare(mt_store *b, unsigned want, const char **plan)
{
    (void)b;
    (void)want;
    /* The server plans each query itself (hash aggregates over the month
     * partitions in range); there is no index to build. */
    *plan = "server-aggregate";
    return MT_OK;
}

int mt_pg_time_range(mt_store *b, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last)
{
    mt_pg_store *s = S(b);
    qp p;
    qp_init(&p, 0, 0, sensors);
    PGresult *r;
    int rc = mt_pg_params(s, "SELECT min(ts), max(ts) FROM findings WHERE (cardinality($1::text[]) = 0 OR sensor"
                          " = ANY($1::text[]))", 1, &p.v[2], "range query", &r);
    mt_buf_free(&p.sens);
    if (rc != MT_OK) return MT_EIO;
    int have = !PQgetisnull(r, 0, 0);
    if (have) {
        *first = mt_pg_i64(r, 0, 0);
        *last = mt_pg_i64(r, 0, 1);
    }
    PQclear(r);
    return have;
}

static int query(mt_pg_store *s, qp *p, const char *sql, const char *what, PGresult **r)
{
    return mt_pg_params(s, sql, p->n, p->v, what, r);
}

static mt_store_group *groups_alloc(size_t n) { return mt_xcalloc(n ? n : 1, sizeof(mt_store_group)); }

/* Most findings first, then by name (bytewise, as the "C" collation). */
static int cmp_sensor(const void *a, const void *b)
{
    const mt_store_sensor_row *x = a, *y = b;
    if (x->findings != y->findings) return x->findings > y->findings ? -1 : 1;
    return strcmp(x->sensor, y->sensor);
}

/* One of the summary's queries: its text and parameters, its result. */
typedef struct job {
    const char *sql, *what;
    const char *v[8];
    int n;
    PGresult *r;
} job;

static void job_init(job *j, const qp *p, const char *sql, const char *what)
{
    memset(j, 0, sizeof *j);
    j->sql = sql;
    j->what = what;
    for (int i = 0; i < p->n; i++) j->v[i] = p->v[i];
    j->n = p->n;
}

static int aux_fail(PGconn *c, const char *what, const PGresult *r)
{
    const char *m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !*m) m = PQerrorMessage(c);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    return mt_error_set(MT_EIO, "postgresql: %s: %.*s", what, (int)(n > 400 ? 400 : n), n ? m : "connection lost");
}

static int aux_exec(PGconn *c, const char *sql, PGresult **out)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        aux_fail(c, "share the report's snapshot", r);
        PQclear(r);
        return MT_EIO;
    }
    if (out) *out = r;
    else PQclear(r);
    return MT_OK;
}

/* The extra connections that will run jobs, each in a repeatable-read
 * transaction on the main connection's snapshot (pg_export_snapshot), so
 * every number of one summary is of the same rows even while writers
 * commit. 0: run on the main connection alone (inside a write transaction
 * of this store, whose rows only it sees; or no extra connection). */
static int snapshot_share(mt_pg_store *s, int want)
{
    if (s->open || s->txn || want < 1) return 0;
    int n = mt_pg_aux(s);
    if (n > want) n = want;
    if (!n) return 0;
    PGresult *r = NULL;
    if (aux_exec(s->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", NULL) != MT_OK) return 0;
    if (aux_exec(s->conn, "SELECT pg_export_snapshot()", &r) != MT_OK) {
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return 0;
    }
    char set[128];
    const char *id = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
    /* The id is the server's (hex digits and dashes); it is checked anyway
     * before it goes into the statement, which takes no parameter. */
    int okid = *id && strlen(id) < 64 && strspn(id, "0123456789ABCDEFabcdef-") == strlen(id);
    snprintf(set, sizeof set, "SET TRANSACTION SNAPSHOT '%s'", okid ? id : "");
    PQclear(r);
    int i = 0;
    for (; okid && i < n; i++) {
        if (aux_exec(s->aux[i], "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", NULL) != MT_OK) break;
        if (aux_exec(s->aux[i], set, NULL) != MT_OK) {
            PQclear(PQexec(s->aux[i], "ROLLBACK"));
            break;
        }
    }
    if (i < n) {
        for (int k = 0; k < i; k++) PQclear(PQexec(s->aux[k], "ROLLBACK"));
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return 0;
    }
    return n;
}

static void snapshot_end(mt_pg_store *s, int n)
{
    for (int i = 0; i < n; i++) PQclear(PQexec(s->aux[i], "COMMIT"));
    if (n) PQclear(PQexec(s->conn, "COMMIT"));
}

/* Run the jobs: at once on the main and the extra connections when there
 * are some (the server runs each in a process of its own, so the summary
 * takes about as long as its longest query given the cores), else one
 * after the other. All results are taken before any failure is reported. */
static int run_jobs(mt_pg_store *s, job *jobs, int nj)
{
    int naux = snapshot_share(s, nj - 1);
    if (!naux) {
        for (int i = 0; i < nj; i++)
            if (mt_pg_params(s, jobs[i].sql, jobs[i].n, jobs[i].v, jobs[i].what, &jobs[i].r) != MT_OK) return MT_EIO;
        return MT_OK;
    }
    int rc = MT_OK;
    for (int i0 = 0; i0 < nj; i0 += naux + 1) {
        int m = nj - i0 < naux + 1 ? nj - i0 : naux + 1;
        int sent[MT_PG_AUX + 1] = {0};
        for (int k = 0; k < m; k++) {
            PGconn *c = k ? s->aux[k - 1] : s->conn;
            job *j = &jobs[i0 + k];
            sent[k] = PQsendQueryParams(c, j->sql, j->n, NULL, j->v, NULL, NULL, 0);
            if (!sent[k] && rc == MT_OK) rc = aux_fail(c, j->what, NULL);
        }
        for (int k = 0; k < m; k++) {
            if (!sent[k]) continue;
            PGconn *c = k ? s->aux[k - 1] : s->conn;
            job *j = &jobs[i0 + k];
            for (PGresult *r; (r = PQgetResult(c));) {
                if (!j->r) j->r = r;
                else PQclear(r);
            }
            if (!j->r || PQresultStatus(j->r) != PGRES_TUPLES_OK) {
                if (rc == MT_OK) rc = aux_fail(c, j->what, j->r);
                PQclear(j->r);
                j->r = NULL;
            }
        }
    }
    snapshot_end(s, naux);
    return rc;
}

enum { J_HOSTS, J_PERIOD0, J_PERIOD1, J_PORTS, NJOBS };

/* The families, kinds and behaviours folded into the hosts query. Their
 * host counts were count(DISTINCT src_ip) per group, each a sort of every
 * finding (with grouping sets, three such sorts and a second sort of the
 * rows): the costliest query of the summary (8.1 of 18.7 CPU seconds of
 * the server at 3M findings). Instead, `c` counts the findings per group
 * (a hash aggregate, no DISTINCT), `d` lists the families and kinds, and
 * each host's row in the hosts query carries a bigint with the bit
 * family * nkinds + kind set for each (family, kind) it has; the client
 * counts each group's hosts from the host rows it gets anyway. All of it
 * is one statement, so one snapshot. With more than 64 (family, kind)
 * cells the masks are NULL and the old grouping-sets query runs instead
 * (its one-time filter on `d` skips it otherwise). */
#define MIX_CTES                                                                                           \
    "c AS MATERIALIZED (SELECT GROUPING(family, kind) AS g, family, kind, count(*) AS n FROM findings WHERE " R \
    " AND " SENS " GROUP BY GROUPING SETS ((family), (kind), (family, kind))),"                              \
    " d AS MATERIALIZED (SELECT coalesce(array_agg(family ORDER BY family) FILTER (WHERE g = 1), '{}') AS fa," \
    " coalesce(array_agg(kind ORDER BY kind) FILTER (WHERE g = 2), '{}') AS ka FROM c),"                     \
    " w AS MATERIALIZED (SELECT cardinality(fa) * cardinality(ka) <= 64 AS fit FROM d), "
#define MIX_MASK                                                                                            \
    "bit_or(CASE WHEN w.fit THEN 1::bigint << ((array_position(d.fa, family) - 1) * cardinality(d.ka) +"    \
    " array_position(d.ka, kind) - 1) END)"
#define MIX_ROWS                                                                                            \
    " UNION ALL SELECT 2 + g, family, n, 0, 0, 0, 0, 0, 0, 0, CASE g WHEN 1 THEN array_position(d.fa, family)" \
    " - 1 WHEN 2 THEN array_position(d.ka, kind) - 1 ELSE (array_position(d.fa, family) - 1) *"              \
    " cardinality(d.ka) + array_position(d.ka, kind) - 1 END, kind FROM c, d, w WHERE w.fit"                \
    " UNION ALL SELECT 5 + GROUPING(family, kind), family, count(*), count(DISTINCT src_ip), 0, 0, 0, 0, 0,"  \
    " 0, NULL, kind FROM findings WHERE NOT (SELECT fit FROM w) AND " R " AND " SENS                          \
    " GROUP BY GROUPING SETS ((family), (kind), (family, kind))"

/* Rows: 0 host (name, findings, mining, precursor, port findings, mask),
 * 1 sensor (name, findings, mining, precursor, -, hosts, mining hosts,
 * first, last), 2 + g a group's findings and its bit (g as GROUPING(family,
 * kind)), 5 + g a group with its hosts (more than 64 cells). */
static void hosts_sql(mt_buf *b, int sens, int mix)
{
    mt_buf_puts(b, "WITH ");
    if (mix) mt_buf_puts(b, MIX_CTES);
    mt_buf_puts(b, sens ? "x AS MATERIALIZED (SELECT sensor, " : "x AS MATERIALIZED (SELECT ");
    mt_buf_puts(b, "src_ip, count(*) AS n, count(*) FILTER (WHERE " M ") AS m, count(*) FILTER (WHERE event_type ="
                   " 'precursor') AS p, count(*) FILTER (WHERE " C ") AS c, min(ts) AS f, max(ts) AS l, ");
    mt_buf_puts(b, mix ? MIX_MASK " AS k FROM findings, d, w" : "NULL::bigint AS k FROM findings");
    mt_buf_puts(b, " WHERE " R " AND " SENS);
    mt_buf_puts(b, sens ? " GROUP BY sensor, src_ip)" : " GROUP BY src_ip)");
    mt_buf_puts(b, " SELECT 0, src_ip, sum(n), sum(m), sum(p), sum(c), 0, 0, 0, 0, bit_or(k), '' FROM x GROUP BY src_ip");
    if (sens)
        mt_buf_puts(b, " UNION ALL SELECT 1, sensor, sum(n), sum(m), sum(p), 0, count(*), count(*) FILTER (WHERE"
                       " m > 0), min(f), max(l), NULL, '' FROM x GROUP BY sensor");
    if (mix) mt_buf_puts(b, MIX_ROWS);
}

/* The groups of the rows 2 + g, their hosts from the host rows' masks. */
typedef struct mixcell {
    int bit;
    mt_store_group *g;
} mixcell;

/* The next behaviour (g 0), family (1) or kind (2) group, named and counted
 * from row i (columns 1/11 the names, 2 the findings); hosts are the caller's. */
static mt_store_group *group_row(mt_store_summary *out, int g, const PGresult *r, int i)
{
    mt_store_group *x = g == 1   ? &out->families[out->nfamilies++]
                        : g == 2 ? &out->kinds[out->nkinds++]
                                 : &out->behaviours[out->nbehaviours++];
    x->name = mt_pg_dup(r, i, g == 2 ? 11 : 1);
    x->name2 = g == 0 ? mt_pg_dup(r, i, 11) : NULL;
    x->findings = mt_pg_u64(r, i, 2);
    return x;
}

static void mix_from_masks(const PGresult *r, mt_store_summary *out)
{
    int n = PQntuples(r), nf = 0, nk = 0;
    for (int i = 0; i < n; i++) {
        int64_t t = mt_pg_i64(r, i, 0);
        nf += t == 3;
        nk += t == 4;
    }
    uint64_t fam[64] = {0}, kind[64] = {0}, cell[64] = {0};
    uint64_t row = nk >= 64 ? ~0ULL : (1ULL << nk) - 1;
    for (int i = 0; i < n; i++) {
        if (mt_pg_i64(r, i, 0) != 0 || PQgetisnull(r, i, 10)) continue;
        uint64_t m = (uint64_t)mt_pg_i64(r, i, 10), ks = 0;
        for (int b = 0; b < 64; b++)
            if (m >> b & 1) cell[b]++;
        for (int f = 0; f < nf && nk; f++) {
            uint64_t x = m >> (f * nk) & row;
            if (x) fam[f]++;
            ks |= x;
        }
        for (int k = 0; k < nk; k++)
            if (ks >> k & 1) kind[k]++;
    }
    for (int i = 0; i < n; i++) {
        int64_t t = mt_pg_i64(r, i, 0), bit = mt_pg_i64(r, i, 10);
        if (t < 2 || t > 4 || bit < 0 || bit >= 64) continue;
        int g = (int)(t - 2);
        mt_store_group *x = group_row(out, g, r, i);
        x->hosts = g == 1 ? fam[bit] : g == 2 ? kind[bit] : cell[bit];
    }
}

static int summary(mt_pg_store *s, const mt_store_query *q, qp *p, mt_store_summary *out)
{
    PGresult *r;
    int ports = (q->want & MT_SQ_PORTS) != 0;
    /* Hosts and sensors from one pass: per (sensor, host) first (a hash
     * aggregate to as many rows as hosts), then summed per host and per
     * sensor, so "distinct hosts of a sensor" is a count of rows, not a
     * count(DISTINCT) that sorts every finding. */
    int sens = (q->want & MT_SQ_SENSORS) != 0;
    job jobs[NJOBS];
    int order[NJOBS], nj = 0;
    int mix = (q->want & MT_SQ_MIX) != 0;
    mt_buf hsql;
    mt_buf_init(&hsql);
    hosts_sql(&hsql, sens, mix);
    job_init(&jobs[J_HOSTS], p, mt_buf_cstr(&hsql), "summary (hosts, families and kinds)");
    order[nj++] = J_HOSTS;

    /* The bucket maps: piece starts and their buckets as arrays. */
    mt_buf starts[2], ids[2];
    char nbs[2][24];
    for (int m = 0; m < 2; m++) {
        mt_buf_init(&starts[m]);
        mt_buf_init(&ids[m]);
        const mt_store_buckets *bk = &q->buckets[m];
        size_t nb = bk->nbuckets;
        if (!(q->want & MT_SQ_BUCKETS)) continue;
        out->bucket_findings[m] = mt_xcalloc(nb ? nb : 1, sizeof *out->bucket_findings[m]);
        out->bucket_hosts[m] = mt_xcalloc(nb ? nb : 1, sizeof *out->bucket_hosts[m]);
        if (!bk->n || !nb) continue;
        for (size_t i = 0; i < bk->n; i++) {
            mt_buf_putc(&starts[m], i ? ',' : '{');
            mt_buf_put_int(&starts[m], (long long)bk->start[i]);
            mt_buf_putc(&ids[m], i ? ',' : '{');
            mt_buf_put_int(&ids[m], bk->bucket[i]);
        }
        mt_buf_putc(&starts[m], '}');
        mt_buf_putc(&ids[m], '}');
        snprintf(nbs[m], sizeof nbs[m], "%zu", nb);
        job *j = &jobs[J_PERIOD0 + m];
        job_init(j, p,
                 "SELECT b, count(*), count(DISTINCT src_ip) FROM (SELECT ($5::integer[])"
                 "[width_bucket(ts, $4::bigint[])] AS b, src_ip FROM findings WHERE " R " AND " SENS
                 " AND " M ") x WHERE b >= 0 AND b < $6::integer GROUP BY b",
                 "summary (periods)");
        j->v[3] = mt_buf_cstr(&starts[m]);
        j->v[4] = mt_buf_cstr(&ids[m]);
        j->v[5] = nbs[m];
        j->n = 6;
        order[nj++] = J_PERIOD0 + m;
    }
    if (ports) {
        job_init(&jobs[J_PORTS], p,
                 "SELECT dest_port, count(*), count(DISTINCT src_ip) FROM findings WHERE " R " AND " SENS
                 " AND " C " GROUP BY dest_port",
                 "summary (ports)");
        order[nj++] = J_PORTS;
    }
    /* The longest first, so that the others run beside it. */
    job run[NJOBS];
    static const int longest[NJOBS] = {J_HOSTS, J_PORTS, J_PERIOD1, J_PERIOD0};
    int nrun = 0, slot[NJOBS];
    for (int k = 0; k < NJOBS; k++)
        for (int i = 0; i < nj; i++)
            if (order[i] == longest[k]) {
                slot[longest[k]] = nrun;
                run[nrun++] = jobs[longest[k]];
            }
    int rc = run_jobs(s, run, nrun);
    mt_buf_free(&hsql);
    for (int m = 0; m < 2; m++) {
        mt_buf_free(&starts[m]);
        mt_buf_free(&ids[m]);
    }
    if (rc != MT_OK) {
        for (int i = 0; i < nrun; i++) PQclear(run[i].r);
        return MT_EIO;
    }

    r = run[slot[J_HOSTS]].r;
    int n = PQntuples(r);
    out->hosts = mt_xcalloc(n ? (size_t)n : 1, sizeof *out->hosts);
    if (sens) out->sensors = mt_xcalloc(n ? (size_t)n : 1, sizeof *out->sensors);
    if (mix) {
        out->families = groups_alloc((size_t)n);
        out->kinds = groups_alloc((size_t)n);
        out->behaviours = groups_alloc((size_t)n);
        mix_from_masks(r, out);
    }
    for (int i = 0; i < n; i++) {
        int64_t t = mt_pg_i64(r, i, 0);
        if (t >= 5) { /* more than 64 cells: the groups with their hosts */
            int g = (int)(t - 5);
            mt_store_group *x = group_row(out, g, r, i);
            x->hosts = mt_pg_u64(r, i, 3);
            continue;
        }
        if (t >= 2) continue;
        if (t == 1) {
            mt_store_sensor_row *x = &out->sensors[out->nsensors++];
            x->sensor = mt_pg_dup(r, i, 1);
            x->findings = mt_pg_u64(r, i, 2);
            x->mining = mt_pg_u64(r, i, 3);
            x->precursor = mt_pg_u64(r, i, 4);
            x->hosts = mt_pg_u64(r, i, 6);
            x->mining_hosts = mt_pg_u64(r, i, 7);
            x->first = mt_pg_i64(r, i, 8);
            x->last = mt_pg_i64(r, i, 9);
            continue;
        }
        mt_store_host *h = &out->hosts[out->nhosts++];
        h->addr = mt_pg_dup(r, i, 1);
        h->findings = mt_pg_u64(r, i, 2);
        h->mining = mt_pg_u64(r, i, 3);
        h->port_findings = ports ? mt_pg_u64(r, i, 5) : 0;
        out->findings += h->findings;
        out->mining += h->mining;
        out->precursor += mt_pg_u64(r, i, 4);
    }
    PQclear(r);
    if (sens) qsort(out->sensors, out->nsensors, sizeof *out->sensors, cmp_sensor);

    for (int i = 0; i < nj; i++) {
        int m = order[i] - J_PERIOD0;
        if (m < 0 || m > 1) continue;
        size_t nb = q->buckets[m].nbuckets;
        r = run[slot[order[i]]].r;
        for (int k = 0; k < PQntuples(r); k++) {
            int64_t b = mt_pg_i64(r, k, 0);
            if (b < 0 || (size_t)b >= nb) continue;
            out->bucket_findings[m][b] = mt_pg_u64(r, k, 1);
            out->bucket_hosts[m][b] = mt_pg_u64(r, k, 2);
        }
        PQclear(r);
    }

    if (ports) {
        out->port_findings = mt_xcalloc(MT_STORE_NPORTS, sizeof *out->port_findings);
        out->port_hosts = mt_xcalloc(MT_STORE_NPORTS, sizeof *out->port_hosts);
        r = run[slot[J_PORTS]].r;
        for (int i = 0; i < PQntuples(r); i++) {
            int64_t port = mt_pg_i64(r, i, 0);
            if (port < 1 || port >= MT_STORE_NPORTS) continue;
            out->port_findings[port] = mt_pg_u64(r, i, 1);
            out->port_hosts[port] = mt_pg_u64(r, i, 2);
        }
        PQclear(r);
    }

    return MT_OK;
}

int mt_pg_summary(mt_store *b, const mt_store_query *q, mt_store_summary *out)
{
    mt_pg_store *s = S(b);
    qp p;
    qp_init(&p, q->from, q->to, &q->sensors);
    /* An empty range has nothing (the arrays are still there, zeroed). */
    mt_store_query empty = *q;
    if (q->to <= q->from) {
        snprintf(p.from, sizeof p.from, "1");
        snprintf(p.to, sizeof p.to, "0");
    }
    int rc = summary(s, &empty, &p, out);
    mt_buf_free(&p.sens);
    return rc;
}

int mt_pg_top(mt_store *b, const mt_store_query *q, mt_store_top *out)
{
    mt_pg_store *s = S(b);
    qp p;
    qp_init(&p, q->from, q->to, &q->sensors);
    PGresult *r;
    int rc = query(s, &p,
                   "SELECT GROUPING(pool, wallet, agent), pool, wallet, agent, count(*) FROM findings WHERE " R
                   " AND " SENS " AND " M " GROUP BY GROUPING SETS ((pool), (wallet), (agent))",
                   "top values", &r);
    mt_buf_free(&p.sens);
    if (rc != MT_OK) return MT_EIO;
    int n = PQntuples(r);
    for (int c = 0; c < 3; c++) out->v[c] = groups_alloc((size_t)n);
    for (int i = 0; i < n; i++) {
        int g = (int)mt_pg_i64(r, i, 0);
        int c = g == 3 ? 0 : g == 5 ? 1 : g == 6 ? 2 : -1; /* the one column grouped by */
        if (c < 0 || PQgetisnull(r, i, 1 + c) || !*PQgetvalue(r, i, 1 + c)) continue;
        mt_store_group *x = &out->v[c][out->n[c]++];
        x->name = mt_pg_dup(r, i, 1 + c);
        x->findings = mt_pg_u64(r, i, 4);
        out->total[c] += x->findings;
    }
    PQclear(r);
    return MT_OK;
}

int mt_pg_indicators(mt_store *b, const mt_store_indicator_query *q, mt_store_indicators *out)
{
    mt_pg_store *s = S(b);
    qp p;
    qp_init(&p, q->from, q->to, &q->sensors);
    char minc[16];
    snprintf(minc, sizeof minc, "%d", q->min_confidence);
    p.v[3] = minc;
    p.n = 4;
#define IND_WHERE                                                                                          \
    " FROM findings WHERE (($1::bigint = 0 AND $2::bigint = 0) OR (" R ")) AND " SENS " AND " M              \
    " AND confidence >= $4::integer"
    static const char sql[] =
        "SELECT 1, pool, count(*), min(ts), max(ts), 0" IND_WHERE " AND pool <> '' GROUP BY pool"
        " UNION ALL SELECT 2, dest_ip, count(*), min(ts), max(ts), 0" IND_WHERE
        " AND kind <> 'dns' AND dest_ip <> '' GROUP BY dest_ip"
        " UNION ALL SELECT 3, CAST(dest_port AS text) COLLATE \"C\", count(*), min(ts), max(ts), dest_port"
        IND_WHERE " AND kind <> 'dns' AND dest_port BETWEEN 1 AND 65535 GROUP BY dest_port"
        " ORDER BY 1, 6, 2";
#undef IND_WHERE
    PGresult *r;
    int rc = query(s, &p, sql, "indicator query", &r);
    mt_buf_free(&p.sens);
    if (rc != MT_OK) return MT_EIO;
    int n = PQntuples(r);
    out->v = mt_xcalloc(n ? (size_t)n : 1, sizeof *out->v);
    for (int i = 0; i < n; i++) {
        mt_store_indicator *x = &out->v[out->n++];
        x->type = (mt_store_ind_type)mt_pg_i64(r, i, 0);
        x->value = mt_pg_dup(r, i, 1);
        x->findings = mt_pg_u64(r, i, 2);
        x->first_seen = mt_pg_i64(r, i, 3);
        x->last_seen = mt_pg_i64(r, i, 4);
    }
    PQclear(r);
    return MT_OK;
}
