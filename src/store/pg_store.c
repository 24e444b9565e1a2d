/* The PostgreSQL backend: connection, transactions, batches and the
 * statement helpers the other pg_*.c files share (schema: pg_schema.c,
 * writes: pg_write.c, aggregates: pg_query.c, pg_web.c, pg_botnet.c;
 * docs/STORE.md, "PostgreSQL").
 *
 * Why it is built this way: many sensors write one store over the network,
 * and a round trip per finding would cost more than the detection. So
 * findings and web findings are held back as COPY text and sent as one
 * COPY into a temporary staging table per batch (MT_PG_BATCH rows), from
 * which one INSERT ... SELECT ... ON CONFLICT moves them into the table
 * and says how many were new. BEGIN is sent only when the first statement
 * of a transaction goes out, so that the partitions a batch needs can be
 * made in a short transaction of their own before it (pg_schema.c).
 * Every text value is a parameter or COPY data, never SQL text. */
#include "store/pg_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mt_pg_store *S(mt_store *s) { return (mt_pg_store *)s; }

int mt_pg_fail(mt_pg_store *s, const char *what, const PGresult *r)
{
    const char *m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !*m) m = PQerrorMessage(s->conn);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (s->open) s->broken = 1;
    return mt_error_set(MT_EIO, "postgresql: %s: %.*s", what, (int)(n > 400 ? 400 : n), n ? m : "connection lost");
}

static int ok_status(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

int mt_pg_exec(mt_pg_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    int rc = r && ok_status(r) ? MT_OK : mt_pg_fail(s, what, r);
    PQclear(r);
    return rc;
}

int mt_pg_params(mt_pg_store *s, const char *sql, int n, const char *const *v, const char *what, PGresult **out)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, v, NULL, NULL, 0);
    if (!r || !ok_status(r)) {
        int rc = mt_pg_fail(s, what, r);
        PQclear(r);
        if (out) *out = NULL;
        return rc;
    }
    if (out) *out = r;
    else PQclear(r);
    return MT_OK;
}

void mt_pg_text_array(mt_buf *b, const char *const *v, size_t n)
{
    mt_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) mt_buf_putc(b, ',');
        mt_buf_putc(b, '"');
        for (const char *p = v[i] ? v[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\') mt_buf_putc(b, '\\');
            mt_buf_putc(b, *p);
        }
        mt_buf_putc(b, '"');
    }
    mt_buf_putc(b, '}');
}

uint64_t mt_pg_u64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    const char *v = PQgetvalue(r, row, col);
    return *v == '-' ? 0 : strtoull(v, NULL, 10);
}

int64_t mt_pg_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *mt_pg_dup(const PGresult *r, int row, int col)
{
    return mt_xstrdup(PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

void mt_pg_put_utf8(mt_buf *b, const char *p, size_t n, int copy_escape)
{
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if (copy_escape && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
                mt_buf_putc(b, '\\');
                mt_buf_putc(b, c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
            } else {
                mt_buf_putc(b, (char)c);
            }
            i++;
            continue;
        }
        size_t k = mt_utf8_seq_len(u + i, n - i);
        if (k) {
            mt_buf_put(b, u + i, k);
            i += k;
        } else {
            mt_buf_put(b, "\xef\xbf\xbd", 3);
            i++;
        }
    }
}

/* ---- transactions ---------------------------------------------------------- */

static int txn_open(mt_pg_store *s)
{
    if (s->open) return MT_OK;
    if (mt_pg_exec(s, "BEGIN", "begin a transaction") != MT_OK) return MT_EIO;
    s->open = 1;
    s->broken = 0;
    return MT_OK;
}

int mt_pg_row_begin(mt_pg_store *s)
{
    if (s->flags & MT_STORE_READONLY) return mt_error_set(MT_EINVAL, "store: opened read-only");
    if (!s->txn) s->txn = 1;
    return txn_open(s);
}

static int pg_commit(mt_store *b);

int mt_pg_row_end(mt_pg_store *s)
{
    if (s->txn == 1 && ++s->batch >= MT_PG_BATCH) return pg_commit(&s->base);
    return MT_OK;
}

static void discard(mt_pg_store *s)
{
    mt_buf_reset(&s->f.copy);
    mt_buf_reset(&s->w.copy);
    s->f.rows = s->w.rows = 0;
    s->f.nmonths = s->w.nmonths = 0;
    s->pend_new = s->pend_dup = 0;
    s->batch = 0;
}

static int pg_begin(mt_store *b)
{
    mt_pg_store *s = S(b);
    if (s->txn == 2) return mt_error_set(MT_EINVAL, "store: a transaction is already open");
    s->txn = 2; /* an implicit batch becomes part of it */
    return MT_OK;
}

int mt_pg_lost(mt_pg_store *s)
{
    if (PQstatus(s->conn) == CONNECTION_OK) return MT_OK;
    return mt_pg_fail(s, "the connection to the server is lost", NULL);
}

static int pg_commit(mt_store *b)
{
    mt_pg_store *s = S(b);
    /* Also with nothing held back: a writer whose batches failed learns it
     * at its last commit too. */
    if (!s->txn) return (s->flags & MT_STORE_READONLY) ? MT_OK : mt_pg_lost(s);
    int rc = s->broken ? MT_EIO : mt_pg_flush(s);
    if (s->broken && rc == MT_OK) rc = MT_EIO;
    if (s->open) {
        if (rc == MT_OK) {
            rc = mt_pg_exec(s, "COMMIT", "commit");
        } else {
            /* Keep the message of what failed, not of the rollback. */
            PQclear(PQexec(s->conn, "ROLLBACK"));
        }
    }
    if (rc == MT_OK) {
        s->base.n_new += s->pend_new;
        s->base.n_dup += s->pend_dup;
    } else {
        s->nknown[0] = s->nknown[1] = 0; /* partitions made in it are gone */
    }
    discard(s);
    s->txn = 0;
    s->open = 0;
    s->broken = 0;
    return rc;
}

static int pg_rollback(mt_store *b)
{
    mt_pg_store *s = S(b);
    if (!s->txn) return MT_OK;
    int rc = s->open ? mt_pg_exec(s, "ROLLBACK", "roll back") : MT_OK;
    discard(s);
    s->nknown[0] = s->nknown[1] = 0;
    s->txn = 0;
    s->open = 0;
    s->broken = 0;
    return rc;
}

static void pg_close(mt_store *b)
{
    mt_pg_store *s = S(b);
    /* New rows: fresh statistics for the reports that follow. Autovacuum
     * analyses new partitions only later and the partitioned parent never,
     * and without statistics the planner sizes every hash aggregate for 200
     * groups and spills to disk.
     * ANALYZE samples (30,000 rows a partition), so this is about a second
     * even for 10M rows; a failure (no privilege) costs only speed. */
    if (pg_commit(b) == MT_OK && s->base.n_new > 0 && PQstatus(s->conn) == CONNECTION_OK) {
        PQclear(PQexec(s->conn, "ANALYZE findings, web_findings"));
    }
    PQfinish(s->conn);
    for (int i = 0; i < s->naux; i++) PQfinish(s->aux[i]);
    free(s->uri);
    mt_pg_stage_free(&s->f);
    mt_pg_stage_free(&s->w);
    mt_buf_free(&s->sql);
    mt_buf_free(&s->tmp);
    free(s->sensor);
    free(s);
}

/* Before a batch's first statement: the partitions it needs, in their own
 * transaction when none is open yet (so the lock that serialises their
 * making is held for milliseconds, not for the batch), then BEGIN. */
int mt_pg_txn_for_flush(mt_pg_store *s)
{
    if (!s->open) {
        for (int t = 0; t < 2; t++) {
            mt_pg_stage *st = t ? &s->w : &s->f;
            if (!st->nmonths) continue;
            if (mt_pg_exec(s, "BEGIN", "begin a transaction") != MT_OK) return MT_EIO;
            int rc = mt_pg_partitions(s, t, st->months, st->nmonths);
            rc = rc == MT_OK ? mt_pg_exec(s, "COMMIT", "commit the partitions") : rc;
            if (rc != MT_OK) {
                PQclear(PQexec(s->conn, "ROLLBACK"));
                return MT_EIO;
            }
            st->nmonths = 0;
        }
    }
    if (txn_open(s) != MT_OK) return MT_EIO;
    for (int t = 0; t < 2; t++) {
        mt_pg_stage *st = t ? &s->w : &s->f;
        if (st->nmonths && mt_pg_partitions(s, t, st->months, st->nmonths) != MT_OK) return MT_EIO;
        st->nmonths = 0;
    }
    return MT_OK;
}

static const mt_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .put = mt_pg_put,
    .put_ingest_log = mt_pg_put_ingest_log,
    .prepare = mt_pg_prepare,
    .time_range = mt_pg_time_range,
    .summary = mt_pg_summary,
    .top = mt_pg_top,
    .put_web = mt_pg_put_web,
    .web_present = mt_pg_web_present,
    .web_summary = mt_pg_web_summary,
    .put_campaign = mt_pg_put_campaign,
    .put_botsource = mt_pg_put_botsource,
    .put_credstat = mt_pg_put_credstat,
    .botnet_present = mt_pg_botnet_present,
    .botnet_summary = mt_pg_botnet_summary,
    .indicators = mt_pg_indicators,
};

/* The server's notices ("relation already exists, skipping") are not the
 * user's business; errors come back as results. */
static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* A connection's settings: what each connection of a store runs first. */
static int session(PGconn *c, int readonly)
{
    static const char *const set[] = {
        "SET client_encoding = 'UTF8'",
        /* The aggregates hash millions of (key, host) pairs: give them
         * memory unless the server or the URI (options=-c work_mem=...)
         * gave more. */
        ("SELECT set_config('work_mem', '64MB', false) WHERE pg_size_bytes(current_setting('work_mem'))"
         " < 64 * 1024 * 1024"),
        "SET default_transaction_read_only = on",
    };
    for (size_t i = 0; i < sizeof set / sizeof *set - (readonly ? 0 : 1); i++) {
        PGresult *r = PQexec(c, set[i]);
        int ok = r && ok_status(r);
        PQclear(r);
        if (!ok) return 0;
    }
    return 1;
}

int mt_pg_aux(mt_pg_store *s)
{
    if (s->naux || s->aux_failed) return s->naux;
    for (int i = 0; i < MT_PG_AUX; i++) {
        PGconn *c = PQconnectdb(s->uri);
        if (!c || PQstatus(c) != CONNECTION_OK || !session(c, 1)) {
            /* No more server slots (max_connections) or the like: the
             * queries run one after the other instead. */
            PQfinish(c);
            break;
        }
        PQsetNoticeProcessor(c, quiet, NULL);
        s->aux[s->naux++] = c;
    }
    if (!s->naux) s->aux_failed = 1;
    return s->naux;
}

mt_store *mt_pg_store_open(const char *uri, const mt_store_opts *o)
{
    /* The URI may hold a password: messages name the server by libpq's
     * own words, never by the URI. */
    PGconn *c = PQconnectdb(uri);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        const char *m = c ? PQerrorMessage(c) : "out of memory";
        size_t n = strlen(m);
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
        mt_error_set(MT_EIO, "postgresql: cannot connect: %.*s", (int)(n > 400 ? 400 : n), m);
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    mt_pg_store *s = mt_xcalloc(1, sizeof *s);
    s->base.ops = &pg_ops;
    s->conn = c;
    s->flags = o->flags;
    s->sensor = mt_xstrdup(o->sensor ? o->sensor : "");
    s->uri = mt_xstrdup(uri);
    mt_buf_init(&s->f.copy);
    mt_buf_init(&s->w.copy);
    mt_buf_init(&s->sql);
    mt_buf_init(&s->tmp);
    int ver = 0;
    if (!session(c, (s->flags & MT_STORE_READONLY) != 0)) {
        mt_pg_fail(s, "set up the session", NULL);
        pg_close(&s->base);
        return NULL;
    }
    if (mt_pg_schema_open(s, "the PostgreSQL store", &ver) != MT_OK) {
        pg_close(&s->base);
        return NULL;
    }
    s->base.version = ver;
    return &s->base;
}
