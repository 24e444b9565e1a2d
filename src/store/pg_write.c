/* Writes to the PostgreSQL store: findings and web findings held back as
 * COPY text and sent per batch, ingest_log rows (docs/STORE.md,
 * "PostgreSQL").
 *
 * A batch is one COPY into the connection's temporary staging table, then
 * INSERT ... SELECT ... ON CONFLICT DO NOTHING into the table, then, only
 * when some identity was stored before, one UPDATE ... FROM the stage. The
 * SELECT keeps, of the rows of one identity in the batch, the one that
 * sorts first by SQLite's order (ts, evidence, pool, agent, worker, wallet,
 * algo, family, flow_id, src_port, confidence, source; the sensor is part
 * of the key), and the UPDATE replaces a stored row only when that one
 * sorts before it: the stored row of each identity is its earliest
 * sighting, whatever the order of runs and batches. The INSERT counts the
 * rows it inserted, so the batch's new count is exact and the rest are
 * duplicates. (ON CONFLICT DO UPDATE cannot say which rows it inserted on
 * a partitioned table: PostgreSQL 15 refuses RETURNING xmax there.) Web
 * findings are never replaced (the first row stays, as SQLite's
 * INSERT OR IGNORE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/eve_json.h"
#include "store/pg_store.h"

static mt_pg_store *S(mt_store *s) { return (mt_pg_store *)s; }

void mt_pg_stage_free(mt_pg_stage *st)
{
    mt_buf_free(&st->copy);
    st->rows = 0;
}

static void put_field(mt_buf *b, const char *v, size_t cap, int last)
{
    if (v) mt_pg_put_utf8(b, v, strnlen(v, cap), 1);
    mt_buf_putc(b, last ? '\n' : '\t');
}

static void put_i64(mt_buf *b, int64_t v)
{
    mt_buf_put_int(b, (long long)v);
    mt_buf_putc(b, '\t');
}

/* Note the month of a held-back row unless its partition is known. */
static void need_month(mt_pg_store *s, int table, mt_pg_stage *st, int64_t day)
{
    int32_t mo = mt_pg_month_of_day(day);
    for (size_t i = 0; i < s->nknown[table]; i++)
        if (s->known[table][i] == mo) return;
    for (size_t i = 0; i < st->nmonths; i++)
        if (st->months[i] == mo) return;
    st->months[st->nmonths++] = mo;
}

#define FCOLS                                                                                                  \
    "uid, ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto, event_type, kind, protocol, pool, wallet," \
    " worker, agent, algo, family, confidence, evidence, source, sensor"
/* The stored row's order columns against a staged row's (SQLite's upd). */
#define ORDER_COLS(t) t "ts, " t "evidence, " t "pool, " t "agent, " t "worker, " t "wallet, " t "algo, " t "family, " \
    t "flow_id, " t "src_port, " t "confidence, " t "source"

/* The new rows: one per identity of the batch, the first by the order. */
static const char *const insert_findings =
    "WITH src AS (SELECT DISTINCT ON (sensor, day, uid) " FCOLS " FROM mt_stage_findings"
    " ORDER BY sensor, day, uid, " ORDER_COLS("") "),"
    " ins AS (INSERT INTO findings(" FCOLS ") SELECT " FCOLS " FROM src"
    " ON CONFLICT (sensor, day, uid) DO NOTHING RETURNING 1)"
    " SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM src)";

/* Identities stored before: the batch's row replaces the stored one when
 * it sorts first (rows inserted just now are equal and stay). */
static const char *const update_findings =
    "UPDATE findings f SET ts = s.ts, flow_id = s.flow_id, src_ip = s.src_ip, src_port = s.src_port,"
    " dest_ip = s.dest_ip, dest_port = s.dest_port, proto = s.proto, event_type = s.event_type, kind = s.kind,"
    " protocol = s.protocol, pool = s.pool, wallet = s.wallet, worker = s.worker, agent = s.agent, algo = s.algo,"
    " family = s.family, confidence = s.confidence, evidence = s.evidence, source = s.source"
    " FROM (SELECT DISTINCT ON (sensor, day, uid) " FCOLS " FROM mt_stage_findings"
    " ORDER BY sensor, day, uid, " ORDER_COLS("") ") s"
    " WHERE f.sensor = s.sensor AND f.day = s.day AND f.uid = s.uid"
    " AND (" ORDER_COLS("f.") ") > (" ORDER_COLS("s.") ")";

static const char *const insert_web =
    "WITH ins AS (INSERT INTO web_findings(uid, ts, day, domain, url, resource, rank, category, provider,"
    " site_key, kind, confidence, evidence, sensor)"
    " SELECT uid, ts, day, domain, url, resource, rank, category, provider, site_key, kind, confidence,"
    " evidence, sensor FROM mt_stage_web ORDER BY n"
    " ON CONFLICT (sensor, day, uid) DO NOTHING RETURNING 1)"
    " SELECT count(*), 0 FROM ins";

/* One stage: COPY in, move into the table, empty the stage. */
static int flush_stage(mt_pg_store *s, mt_pg_stage *st, const char *table, const char *insert,
                       const char *update)
{
    if (!st->rows) return MT_OK;
    char sql[96];
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", table);
    PGresult *r = PQexec(s->conn, sql);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = mt_pg_fail(s, "start sending rows", r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    const char *p = st->copy.p;
    size_t left = st->copy.len;
    int ok = 1;
    while (ok && left) {
        int n = left > (1u << 20) ? 1 << 20 : (int)left;
        ok = PQputCopyData(s->conn, p, n) == 1;
        p += n;
        left -= (size_t)n;
    }
    ok = PQputCopyEnd(s->conn, ok ? NULL : "client failed") == 1 && ok;
    int rc = MT_OK;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (rc == MT_OK && PQresultStatus(r) != PGRES_COMMAND_OK) rc = mt_pg_fail(s, "send rows", r);
        PQclear(r);
    }
    if (rc == MT_OK && !ok) rc = mt_pg_fail(s, "send rows", NULL);
    if (rc != MT_OK) return rc;
    if (mt_pg_params(s, insert, 0, NULL, "store rows", &r) != MT_OK) return MT_EIO;
    uint64_t n_new = mt_pg_u64(r, 0, 0), n_keys = mt_pg_u64(r, 0, 1);
    PQclear(r);
    /* Every identity new (a first ingest): nothing stored to replace. */
    if (update && n_new < n_keys && mt_pg_exec(s, update, "replace rows by earlier sightings") != MT_OK)
        return MT_EIO;
    snprintf(sql, sizeof sql, "TRUNCATE %s", table);
    if (mt_pg_exec(s, sql, "empty the staging table") != MT_OK) return MT_EIO;
    s->pend_new += n_new;
    s->pend_dup += st->rows > n_new ? st->rows - n_new : 0;
    mt_buf_reset(&st->copy);
    st->rows = 0;
    return MT_OK;
}

int mt_pg_flush(mt_pg_store *s)
{
    if (!s->f.rows && !s->w.rows) return MT_OK;
    if (mt_pg_txn_for_flush(s) != MT_OK) return MT_EIO;
    if (flush_stage(s, &s->f, "mt_stage_findings", insert_findings, update_findings) != MT_OK) return MT_EIO;
    return flush_stage(s, &s->w, "mt_stage_web", insert_web, NULL);
}

/* After a row is held back: commit the implicit batch when full; in an
 * explicit transaction, send the rows (they stay uncommitted). */
static int held(mt_pg_store *s, mt_pg_stage *st)
{
    st->rows++;
    if (s->txn == 1 && ++s->batch >= MT_PG_BATCH) return s->base.ops->commit(&s->base);
    if (st->rows >= MT_PG_BATCH || st->nmonths + 1 >= sizeof st->months / sizeof st->months[0])
        return mt_pg_flush(s);
    return MT_OK;
}

static int writable(mt_pg_store *s)
{
    if (s->flags & MT_STORE_READONLY) return mt_error_set(MT_EINVAL, "store: opened read-only");
    if (s->broken) return mt_error_set(MT_EIO, "postgresql: the transaction failed before: roll back");
    if (mt_pg_lost(s) != MT_OK) return MT_EIO;
    if (!s->txn) s->txn = 1;
    return MT_OK;
}

int mt_pg_put(mt_store *b, const mt_finding *f, size_t n)
{
    mt_pg_store *s = S(b);
    int rc = writable(s);
    if (rc != MT_OK) return rc;
    mt_buf *c = &s->f.copy;
    for (size_t i = 0; i < n; i++) {
        const mt_finding *x = &f[i];
        char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
        if (mt_addr_to_str(&x->src, src, sizeof src) != MT_OK) src[0] = '\0';
        if (mt_addr_to_str(&x->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
        int64_t day = mt_finding_day(x->ts);
        put_i64(c, (int64_t)mt_finding_uid(x));
        put_i64(c, x->ts);
        put_i64(c, day);
        put_i64(c, (int64_t)x->flow_id);
        put_field(c, src, sizeof src, 0);
        put_i64(c, x->src_port);
        put_field(c, dst, sizeof dst, 0);
        put_i64(c, x->dst_port);
        put_field(c, mt_ipproto_str(x->ipproto), 64, 0);
        put_field(c, x->event_type ? x->event_type : MT_EVENT_MINING, 64, 0);
        put_field(c, mt_finding_kind_str(x->kind), 64, 0);
        put_field(c, x->protocol, sizeof x->protocol, 0);
        put_field(c, x->pool, sizeof x->pool, 0);
        put_field(c, x->wallet, sizeof x->wallet, 0);
        put_field(c, x->worker, sizeof x->worker, 0);
        put_field(c, x->agent, sizeof x->agent, 0);
        put_field(c, x->algo, sizeof x->algo, 0);
        put_field(c, x->family, sizeof x->family, 0);
        put_i64(c, x->confidence);
        put_field(c, x->evidence, sizeof x->evidence, 0);
        put_field(c, x->source, sizeof x->source, 0);
        put_field(c, s->sensor, (size_t)-1, 1);
        need_month(s, 0, &s->f, day);
        if (held(s, &s->f) != MT_OK) return MT_EIO;
    }
    return MT_OK;
}

int mt_pg_put_web(mt_store *b, const mt_web_finding *f, size_t n)
{
    mt_pg_store *s = S(b);
    int rc = writable(s);
    if (rc != MT_OK) return rc;
    mt_buf *c = &s->w.copy;
    for (size_t i = 0; i < n; i++) {
        const mt_web_finding *x = &f[i];
        int64_t ts = x->ts;
        int64_t day = ts >= 0 ? ts / 86400000000LL : (ts - 86399999999LL) / 86400000000LL;
        put_i64(c, (int64_t)s->w.rows);
        put_i64(c, (int64_t)mt_web_finding_uid(x));
        put_i64(c, ts);
        put_i64(c, day);
        put_field(c, x->domain, sizeof x->domain, 0);
        put_field(c, x->url, sizeof x->url, 0);
        put_field(c, x->resource, sizeof x->resource, 0);
        if (x->rank) put_i64(c, x->rank);
        else mt_buf_puts(c, "\\N\t");
        put_field(c, x->category, sizeof x->category, 0);
        put_field(c, x->provider[0] ? x->provider : MT_WEB_PROVIDER_UNKNOWN, sizeof x->provider, 0);
        put_field(c, x->site_key, sizeof x->site_key, 0);
        put_field(c, x->kind, sizeof x->kind, 0);
        put_i64(c, x->confidence);
        put_field(c, x->evidence, sizeof x->evidence, 0);
        put_field(c, s->sensor, (size_t)-1, 1);
        need_month(s, 1, &s->w, day);
        if (held(s, &s->w) != MT_OK) return MT_EIO;
    }
    return MT_OK;
}

/* A text parameter as PostgreSQL takes it (valid UTF-8), in s->tmp at *off. */
static void param_text(mt_buf *b, size_t *off, const char *v)
{
    *off = b->len;
    mt_pg_put_utf8(b, v ? v : "", v ? strlen(v) : 0, 0);
    mt_buf_putc(b, '\0');
}

int mt_pg_put_ingest_log(mt_store *b, const mt_store_ingest_row *r)
{
    mt_pg_store *s = S(b);
    if (mt_pg_row_begin(s) != MT_OK) return MT_EIO;
    mt_buf *t = &s->tmp;
    mt_buf_reset(t);
    size_t off[11];
    param_text(t, &off[0], r->path);
    param_text(t, &off[1], r->format);
    char num[7][24];
    const int64_t nv[7] = {r->started, r->finished, (int64_t)r->records, (int64_t)r->findings_new,
                           (int64_t)r->findings_dup, (int64_t)r->malformed, (int64_t)r->unknown};
    for (int i = 0; i < 7; i++) snprintf(num[i], sizeof num[i], "%lld", (long long)nv[i]);
    param_text(t, &off[9], r->status ? r->status : "ok");
    param_text(t, &off[10], s->sensor);
    const char *v[11] = {t->p + off[0], t->p + off[1], num[0], num[1], num[2], num[3], num[4], num[5], num[6],
                         t->p + off[9], t->p + off[10]};
    if (mt_pg_params(s,
                     "INSERT INTO ingest_log(path, format, started, finished, records, findings_new,"
                     " findings_dup, skipped_malformed, skipped_unknown, status, sensor)"
                     " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                     11, v, "write ingest_log", NULL) != MT_OK)
        return MT_EIO;
    return mt_pg_row_end(s);
}
