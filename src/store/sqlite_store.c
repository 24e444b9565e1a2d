/* The SQLite backend: opening, schema versions and migrations, writes
 * (schema and its reasons: docs/STORE.md; the analyses' queries are in
 * sqlite_query.c).
 *
 * Why it is built this way: scans and ingests of multi-GB logs write many
 * findings, and the same log is often ingested again (cron re-runs, rotated
 * files picked up twice), or a year is ingested month by month. So every
 * finding has a uid (mt_finding_uid: host, evidence, UTC day), and
 * (sensor, uid) is UNIQUE in the table (version 6); inserts are INSERT OR IGNORE and sqlite3_changes()
 * tells new from duplicate; a duplicate that was seen earlier in the day
 * than the stored row replaces it, so the rows do not depend on the order
 * in which runs stored them. Outside an explicit
 * transaction, inserts run in one transaction per batch of
 * MT_SQLITE_BATCH rows, with WAL journalling so a report can read while a
 * scan writes. Text fields are bound as parameters, never spliced into
 * SQL, and stored raw.
 *
 * Versions: PRAGMA user_version holds the schema version. Databases made
 * before it existed (meta.schema_version = 1, user_version 0) are version
 * 1. A writable open brings an older database up to date in one
 * transaction, so a failed or interrupted migration leaves it as it was.
 * Website findings (version 3) have their own table, web_findings, and
 * share the transaction, batches and new/duplicate counts of findings. */
#include "store/sqlite_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/finding_json.h"

#define MT_SQLITE_BATCH 10000
#define MT_SQLITE_BUSY_MS 10000 /* how long one statement waits for the lock */
#define MT_SQLITE_LOCK_WAIT_S 600 /* how long a batch waits for the write lock in all */

/* WAL frames (pages) after which a commit checkpoints: SQLite's own
 * automatic threshold, and the one past which a passive checkpoint has
 * evidently not let the WAL start over. */
#define MT_SQLITE_WAL_PASSIVE 1000
#define MT_SQLITE_WAL_RESTART 16384

/* Replaces SQLite's automatic checkpoint. A passive checkpoint copies
 * pages back but the WAL starts over from its beginning only when no other
 * connection is reading it at the next write; two writers in turn (two
 * sensors ingesting into one file) always have one waiting for the lock,
 * so the WAL grew without bound: 3.2 GB beside a 400 MB database at 1M
 * findings, and it filled the disk at 10M. Past MT_SQLITE_WAL_RESTART
 * frames a RESTART checkpoint, so that the next writer starts the WAL
 * over. It must not wait: it would hold the write lock while waiting for
 * readers, and a reader of the other connection that wants to write
 * waits for that lock (a deadlock until both busy timeouts end: an ingest
 * failed so with "database is locked"). Right after our commit the lock
 * is free and the other writer sleeps in its busy handler, so one try
 * mostly succeeds; when it does not (SQLITE_BUSY: it checkpointed what it
 * could, as a passive one) the next commit tries again. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)arg;
    if (frames >= MT_SQLITE_WAL_RESTART) {
        sqlite3_busy_timeout(db, 0);
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        sqlite3_busy_timeout(db, MT_SQLITE_BUSY_MS);
    } else if (frames >= MT_SQLITE_WAL_PASSIVE) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    return SQLITE_OK;
}

int mt_sqlite_fail(sqlite3 *db, const char *what)
{
    return mt_error_set(MT_EIO, "sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : "?");
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        mt_error_set(MT_EIO, "sqlite: %s", err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return MT_EIO;
    }
    return MT_OK;
}

/* Open a writing transaction. BEGIN IMMEDIATE takes the write lock before
 * any row: under a deferred BEGIN the first INSERT takes it, and when
 * another writer (a second sensor ingesting into the same file) keeps it
 * past the busy timeout the statement fails and the batch is lost (two
 * concurrent 5M-finding ingests lost 69 findings so). Nothing is held
 * while waiting here, so the wait goes on, MT_SQLITE_BUSY_MS at a time,
 * up to MT_SQLITE_LOCK_WAIT_S, before it is an error. */
static int begin_write(sqlite3 *db)
{
    for (unsigned waited_ms = 0;; waited_ms += MT_SQLITE_BUSY_MS) {
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return MT_OK;
        if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= MT_SQLITE_LOCK_WAIT_S * 1000u)
            return mt_error_set(MT_EIO, "sqlite: cannot begin writing%s: %s",
                                (rc & 0xff) == SQLITE_BUSY ? " (another process held the write lock "
                                                             "for 10 minutes)" : "",
                                sqlite3_errmsg(db));
    }
}

/* One integer from a query; `dflt` when it returns no row. <0: error. */
static int query_int(sqlite3 *db, const char *sql, const char *bind, int64_t dflt, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return mt_sqlite_fail(db, "read schema");
    if (bind) sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : dflt;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(db, "read schema");
}

/* ---- schema versions ------------------------------------------------------ */

/* Version 1: the schema minetrace wrote before versions were kept (its
 * tables exactly; IF NOT EXISTS so that it also completes a version-1
 * database that lacks a table). */
static int schema_v1(sqlite3 *db)
{
    static const char *const sql =
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
        "CREATE TABLE IF NOT EXISTS findings("
        " id INTEGER PRIMARY KEY,"
        " uid INTEGER UNIQUE NOT NULL,"
        " ts INTEGER NOT NULL,"
        " day INTEGER NOT NULL,"
        " flow_id INTEGER,"
        " src_ip TEXT, src_port INTEGER, dest_ip TEXT, dest_port INTEGER,"
        " proto TEXT, event_type TEXT, kind TEXT,"
        " protocol TEXT, pool TEXT, wallet TEXT, worker TEXT, agent TEXT,"
        " algo TEXT, family TEXT, confidence INTEGER, evidence TEXT, source TEXT);"
        "CREATE INDEX IF NOT EXISTS findings_ts ON findings(ts);"
        "CREATE INDEX IF NOT EXISTS findings_day_src ON findings(day, src_ip);"
        "CREATE INDEX IF NOT EXISTS findings_dport ON findings(dest_port);"
        "CREATE INDEX IF NOT EXISTS findings_family ON findings(family);"
        "CREATE INDEX IF NOT EXISTS findings_src ON findings(src_ip);"
        "CREATE TABLE IF NOT EXISTS ingest_log("
        " id INTEGER PRIMARY KEY, path TEXT, format TEXT, started INTEGER,"
        " finished INTEGER, records INTEGER, findings_new INTEGER,"
        " findings_dup INTEGER, skipped_malformed INTEGER,"
        " skipped_unknown INTEGER, status TEXT);"
        "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');";
    if (exec(db, sql) != MT_OK) return MT_EIO;
    char created[40];
    mt_time_format((mt_time_us)time(NULL) * 1000000, created, sizeof created);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO meta(key, value) VALUES('created', ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return mt_sqlite_fail(db, "write meta");
    sqlite3_bind_text(st, 1, created, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(db, "write meta");
}

/* Version 2: the sensor that wrote a row (one store for many sensors).
 * Rows from before carry "". ADD COLUMN with a constant default does not
 * rewrite the table, so this is instant on any size. */
static int schema_v2(sqlite3 *db)
{
    return exec(db, "ALTER TABLE findings ADD COLUMN sensor TEXT NOT NULL DEFAULT '';"
                    "ALTER TABLE ingest_log ADD COLUMN sensor TEXT NOT NULL DEFAULT '';"
                    "UPDATE meta SET value = '2' WHERE key = 'schema_version';");
}

/* Version 3: website findings (issue 8), in their own table: they have
 * no flow, addresses or ports, and the traffic analyses' covering index
 * stays as compact as it was. rank is NULL when unknown. */
static int schema_v3(sqlite3 *db)
{
    return exec(db, "CREATE TABLE IF NOT EXISTS web_findings("
                    " id INTEGER PRIMARY KEY,"
                    " uid INTEGER UNIQUE NOT NULL,"
                    " ts INTEGER NOT NULL,"
                    " day INTEGER NOT NULL,"
                    " domain TEXT NOT NULL, url TEXT NOT NULL, resource TEXT NOT NULL,"
                    " rank INTEGER, category TEXT NOT NULL, provider TEXT NOT NULL,"
                    " site_key TEXT NOT NULL, kind TEXT NOT NULL, confidence INTEGER NOT NULL,"
                    " evidence TEXT NOT NULL, sensor TEXT NOT NULL DEFAULT '');"
                    "CREATE INDEX IF NOT EXISTS web_findings_ts ON web_findings(ts);"
                    "CREATE INDEX IF NOT EXISTS web_findings_domain ON web_findings(domain);"
                    "CREATE INDEX IF NOT EXISTS web_findings_key ON web_findings(site_key);"
                    "UPDATE meta SET value = '3' WHERE key = 'schema_version';");
}

/* mt_uid5(day, src_ip, dest_ip, dest_port, event_type, kind, protocol,
 * pool, wallet, agent, evidence): the version-5 uid of a stored row, as
 * mt_finding_uid computes it for a new finding. */
static void sql_uid5(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *t[9];
    for (int i = 0; i < 11; i++)
        if (i != 0 && i != 3) t[i < 3 ? i - 1 : i - 2] = (const char *)sqlite3_value_text(v[i]);
    uint64_t u = mt_finding_identity_cols(sqlite3_value_int64(v[0]), t[0], t[1], sqlite3_value_int(v[3]),
                                          t[2], t[3], t[4], t[5], t[6], t[7], t[8]);
    sqlite3_result_int64(cx, (sqlite3_int64)u);
}

/* Version 5: the uid is the finding's identity (host, evidence, UTC day;
 * mt_finding_identity) instead of one sighting (time, flow, ports, evidence
 * text). Old rows get their new uid; of rows that now share one, the
 * earliest (then the smallest row, as the insert orders them) stays, as a new store would
 * have kept it. The table is copied, not updated in place, because the
 * UNIQUE uid would refuse the intermediate states; the analysis indexes go
 * with the old table and are made again by the next report. */
static int schema_v5(sqlite3 *db)
{
    if (sqlite3_create_function(db, "mt_uid5", 11, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_uid5, NULL,
                                NULL) != SQLITE_OK)
        return mt_sqlite_fail(db, "register mt_uid5");
    return exec(db, "CREATE TABLE findings_v5("
                    " id INTEGER PRIMARY KEY,"
                    " uid INTEGER UNIQUE NOT NULL,"
                    " ts INTEGER NOT NULL,"
                    " day INTEGER NOT NULL,"
                    " flow_id INTEGER,"
                    " src_ip TEXT, src_port INTEGER, dest_ip TEXT, dest_port INTEGER,"
                    " proto TEXT, event_type TEXT, kind TEXT,"
                    " protocol TEXT, pool TEXT, wallet TEXT, worker TEXT, agent TEXT,"
                    " algo TEXT, family TEXT, confidence INTEGER, evidence TEXT, source TEXT,"
                    " sensor TEXT NOT NULL DEFAULT '');"
                    "INSERT OR IGNORE INTO findings_v5(id, uid, ts, day, flow_id, src_ip, src_port, dest_ip,"
                    " dest_port, proto, event_type, kind, protocol, pool, wallet, worker, agent, algo, family,"
                    " confidence, evidence, source, sensor)"
                    " SELECT id, mt_uid5(day, src_ip, dest_ip, dest_port, event_type, kind, protocol, pool,"
                    " wallet, agent, evidence), ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto, event_type,"
                    " kind, protocol, pool, wallet, worker, agent, algo, family, confidence, evidence, source,"
                    " sensor FROM findings ORDER BY ts, evidence, pool, agent, worker, wallet, algo, family, flow_id,"
                    " src_port, confidence, source, sensor, id;"
                    "DROP TABLE findings;"
                    "ALTER TABLE findings_v5 RENAME TO findings;"
                    "CREATE INDEX findings_ts ON findings(ts);"
                    "CREATE INDEX findings_day_src ON findings(day, src_ip);"
                    "CREATE INDEX findings_dport ON findings(dest_port);"
                    "CREATE INDEX findings_family ON findings(family);"
                    "CREATE INDEX findings_src ON findings(src_ip);"
                    "UPDATE meta SET value = '5' WHERE key = 'schema_version';");
}

/* Version 6: the identity is (sensor, uid), so that two sensors (two
 * customers' networks) that see the same private address show the same
 * evidence on one day keep a row each. Versions 1 to 5 declared uid UNIQUE
 * inline, which no ALTER can undo, so findings and web_findings are copied
 * (every row, with its id: no two rows shared a uid, so none share
 * (sensor, uid)). The analysis indexes go with the old table, as in
 * version 5. */
static int schema_v6(sqlite3 *db)
{
    return exec(db, "CREATE TABLE findings_v6("
                    " id INTEGER PRIMARY KEY,"
                    " uid INTEGER NOT NULL,"
                    " ts INTEGER NOT NULL,"
                    " day INTEGER NOT NULL,"
                    " flow_id INTEGER,"
                    " src_ip TEXT, src_port INTEGER, dest_ip TEXT, dest_port INTEGER,"
                    " proto TEXT, event_type TEXT, kind TEXT,"
                    " protocol TEXT, pool TEXT, wallet TEXT, worker TEXT, agent TEXT,"
                    " algo TEXT, family TEXT, confidence INTEGER, evidence TEXT, source TEXT,"
                    " sensor TEXT NOT NULL DEFAULT '',"
                    " UNIQUE(sensor, uid));"
                    "INSERT INTO findings_v6(id, uid, ts, day, flow_id, src_ip, src_port, dest_ip, dest_port,"
                    " proto, event_type, kind, protocol, pool, wallet, worker, agent, algo, family, confidence,"
                    " evidence, source, sensor)"
                    " SELECT id, uid, ts, day, flow_id, src_ip, src_port, dest_ip, dest_port, proto, event_type,"
                    " kind, protocol, pool, wallet, worker, agent, algo, family, confidence, evidence, source,"
                    " sensor FROM findings ORDER BY id;"
                    "DROP TABLE findings;"
                    "ALTER TABLE findings_v6 RENAME TO findings;"
                    "CREATE INDEX findings_ts ON findings(ts);"
                    "CREATE INDEX findings_day_src ON findings(day, src_ip);"
                    "CREATE INDEX findings_dport ON findings(dest_port);"
                    "CREATE INDEX findings_family ON findings(family);"
                    "CREATE INDEX findings_src ON findings(src_ip);"
                    "CREATE TABLE web_findings_v6("
                    " id INTEGER PRIMARY KEY,"
                    " uid INTEGER NOT NULL,"
                    " ts INTEGER NOT NULL,"
                    " day INTEGER NOT NULL,"
                    " domain TEXT NOT NULL, url TEXT NOT NULL, resource TEXT NOT NULL,"
                    " rank INTEGER, category TEXT NOT NULL, provider TEXT NOT NULL,"
                    " site_key TEXT NOT NULL, kind TEXT NOT NULL, confidence INTEGER NOT NULL,"
                    " evidence TEXT NOT NULL, sensor TEXT NOT NULL DEFAULT '',"
                    " UNIQUE(sensor, uid));"
                    "INSERT INTO web_findings_v6(id, uid, ts, day, domain, url, resource, rank, category,"
                    " provider, site_key, kind, confidence, evidence, sensor)"
                    " SELECT id, uid, ts, day, domain, url, resource, rank, category, provider, site_key, kind,"
                    " confidence, evidence, sensor FROM web_findings ORDER BY id;"
                    "DROP TABLE web_findings;"
                    "ALTER TABLE web_findings_v6 RENAME TO web_findings;"
                    "CREATE INDEX web_findings_ts ON web_findings(ts);"
                    "CREATE INDEX web_findings_domain ON web_findings(domain);"
                    "CREATE INDEX web_findings_key ON web_findings(site_key);"
                    "UPDATE meta SET value = '6' WHERE key = 'schema_version';");
}

/* Version 4: the botnet study (issue 9): campaigns and their days,
 * countries and members, attack sources, credentials (sqlite_botnet.c).
 * Version 5: the uid is the finding's identity. Version 6: per sensor. */
static int (*const migrations[MT_SQLITE_SCHEMA_VERSION])(sqlite3 *db) = {
    schema_v1, schema_v2, schema_v3, mt_sqlite_schema_v4, schema_v5, schema_v6};

/* The schema version of the database: user_version, else 1 for a database
 * of the unversioned schema, 0 for an empty one. */
static int detect_version(sqlite3 *db, const char *path, int *ver)
{
    int64_t uv, tables, has_findings, has_meta;
    if (query_int(db, "PRAGMA user_version", NULL, 0, &uv) != MT_OK ||
        query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", NULL, 0, &tables) ||
        query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "findings", 0,
                  &has_findings) ||
        query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "meta", 0,
                  &has_meta))
        return MT_EIO;
    if (uv > 0) {
        /* Another program's database may have a user_version too. */
        if (!has_findings)
            return mt_error_set(MT_EINVAL, "%s is not a minetrace findings database (no findings table)", path);
        *ver = uv > 1000000 ? 1000000 : (int)uv;
        return MT_OK;
    }
    if (!has_findings) {
        if (tables) return mt_error_set(MT_EINVAL, "%s is not a minetrace findings database (no findings table)", path);
        *ver = 0;
        return MT_OK;
    }
    int64_t v = 1;
    if (has_meta && query_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
                              NULL, 1, &v) != MT_OK)
        return MT_EIO;
    if (v != 1)
        return mt_error_set(MT_EINVAL, "%s: meta.schema_version is %lld but user_version is 0: not a schema "
                            "minetrace wrote", path, (long long)v);
    *ver = 1;
    return MT_OK;
}

/* Bring the database to the current version, in one transaction. */
static int migrate(sqlite3 *db, const char *path, int *ver)
{
    /* IMMEDIATE: take the write lock first, then look again, so two
     * processes opening an old database do not both migrate it. */
    if (exec(db, "BEGIN IMMEDIATE") != MT_OK) return MT_EIO;
    int v, rc = detect_version(db, path, &v);
    int from = v;
    for (; rc == MT_OK && v < MT_SQLITE_SCHEMA_VERSION; v++) rc = migrations[v](db);
    if (rc == MT_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", MT_SQLITE_SCHEMA_VERSION);
        rc = exec(db, sql);
    }
    if (rc == MT_OK) rc = exec(db, "COMMIT");
    if (rc != MT_OK) {
        char why[200];
        mt_strlcpy(why, mt_error_msg(), sizeof why);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return mt_error_set(MT_EIO, "%s: migrating the schema from version %d to %d failed (nothing was "
                            "changed): %s", path, from, MT_SQLITE_SCHEMA_VERSION, why);
    }
    *ver = MT_SQLITE_SCHEMA_VERSION;
    return MT_OK;
}

/* ---- the ops -------------------------------------------------------------- */

static mt_sqlite_store *S(mt_store *s) { return (mt_sqlite_store *)s; }

static int sq_begin(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    if (s->txn == 2) return mt_error_set(MT_EINVAL, "store: a transaction is already open");
    if (s->txn == 1) {
        s->txn = 2; /* the implicit batch becomes part of it */
        return MT_OK;
    }
    if (begin_write(s->db) != MT_OK) return MT_EIO;
    s->txn = 2;
    return MT_OK;
}

static int sq_commit(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    if (!s->txn) return MT_OK;
    int rc = exec(s->db, "COMMIT");
    if (rc != MT_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->pend_new = s->pend_dup = 0;
    }
    s->txn = 0;
    s->batch = 0;
    s->base.n_new += s->pend_new;
    s->base.n_dup += s->pend_dup;
    s->pend_new = s->pend_dup = 0;
    return rc;
}

static int sq_rollback(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    if (!s->txn) return MT_OK;
    s->txn = 0;
    s->batch = 0;
    s->pend_new = s->pend_dup = 0;
    return exec(s->db, "ROLLBACK");
}

static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

/* The parameters of insert_sql and update_sql (the same numbers). */
static void bind_finding(mt_sqlite_store *s, sqlite3_stmt *st, const mt_finding *f, const char *src,
                         const char *dst)
{
    int64_t ts = f->ts;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mt_finding_uid(f));
    sqlite3_bind_int64(st, 2, ts);
    sqlite3_bind_int64(st, 3, mt_finding_day(ts));
    sqlite3_bind_int64(st, 4, (sqlite3_int64)f->flow_id);
    bind_str(st, 5, src);
    sqlite3_bind_int(st, 6, f->src_port);
    bind_str(st, 7, dst);
    sqlite3_bind_int(st, 8, f->dst_port);
    bind_str(st, 9, mt_ipproto_str(f->ipproto));
    bind_str(st, 10, f->event_type ? f->event_type : MT_EVENT_MINING);
    bind_str(st, 11, mt_finding_kind_str(f->kind));
    bind_str(st, 12, f->protocol);
    bind_str(st, 13, f->pool);
    bind_str(st, 14, f->wallet);
    bind_str(st, 15, f->worker);
    bind_str(st, 16, f->agent);
    bind_str(st, 17, f->algo);
    bind_str(st, 18, f->family);
    sqlite3_bind_int(st, 19, f->confidence);
    bind_str(st, 20, f->evidence);
    bind_str(st, 21, f->source);
    bind_str(st, 22, s->sensor);
}

static int step_finding(mt_sqlite_store *s, sqlite3_stmt *st, const mt_finding *f, const char *src,
                        const char *dst)
{
    sqlite3_reset(st);
    bind_finding(s, st, f, src, dst);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MT_OK : MT_EIO;
}

static int put_one(mt_sqlite_store *s, const mt_finding *f)
{
    char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    if (step_finding(s, s->ins, f, src, dst) != MT_OK) return mt_sqlite_fail(s->db, "insert finding");
    if (sqlite3_changes(s->db) > 0) {
        s->pend_new++;
        return MT_OK;
    }
    s->pend_dup++;
    /* Stored already: the earlier sighting of the day (on the same
     * microsecond, the smaller row: evidence, pool, agent, ...) is the row,
     * whichever run stored first. */
    if (step_finding(s, s->upd, f, src, dst) != MT_OK) return mt_sqlite_fail(s->db, "update finding");
    return MT_OK;
}

/* Before a row: open the implicit batch if no transaction is open. */
int mt_sqlite_row_begin(mt_sqlite_store *s)
{
    if (s->txn) return MT_OK;
    if (begin_write(s->db) != MT_OK) return MT_EIO;
    s->txn = 1;
    return MT_OK;
}

/* After a row: commit the implicit batch when it is full. */
int mt_sqlite_row_end(mt_sqlite_store *s)
{
    if (s->txn == 1 && ++s->batch >= MT_SQLITE_BATCH) return sq_commit(&s->base);
    return MT_OK;
}

static int sq_put(mt_store *b, const mt_finding *f, size_t n)
{
    mt_sqlite_store *s = S(b);
    if (!s->ins) return mt_error_set(MT_EINVAL, "store: opened read-only");
    for (size_t i = 0; i < n; i++)
        if (mt_sqlite_row_begin(s) != MT_OK || put_one(s, &f[i]) != MT_OK || mt_sqlite_row_end(s) != MT_OK) return MT_EIO;
    return MT_OK;
}

static int put_web_one(mt_sqlite_store *s, const mt_web_finding *f)
{
    int64_t ts = f->ts;
    int64_t day = ts >= 0 ? ts / 86400000000LL : (ts - 86399999999LL) / 86400000000LL;
    sqlite3_stmt *st = s->ins_web;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mt_web_finding_uid(f));
    sqlite3_bind_int64(st, 2, ts);
    sqlite3_bind_int64(st, 3, day);
    /* The arrays are bounded; a scanner that filled one to the brim without
     * a terminator still stores the bytes it has, no more. */
#define BIND_ARR(i, a) sqlite3_bind_text(st, i, (a), (int)strnlen((a), sizeof(a)), SQLITE_STATIC)
    BIND_ARR(4, f->domain);
    BIND_ARR(5, f->url);
    BIND_ARR(6, f->resource);
    if (f->rank) sqlite3_bind_int64(st, 7, f->rank);
    else sqlite3_bind_null(st, 7);
    BIND_ARR(8, f->category);
    if (f->provider[0]) BIND_ARR(9, f->provider);
    else bind_str(st, 9, MT_WEB_PROVIDER_UNKNOWN);
    BIND_ARR(10, f->site_key);
    BIND_ARR(11, f->kind);
    sqlite3_bind_int(st, 12, f->confidence);
    BIND_ARR(13, f->evidence);
#undef BIND_ARR
    bind_str(st, 14, s->sensor);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) return mt_sqlite_fail(s->db, "insert web finding");
    if (sqlite3_changes(s->db) > 0) s->pend_new++;
    else s->pend_dup++;
    return MT_OK;
}

static int sq_put_web(mt_store *b, const mt_web_finding *f, size_t n)
{
    mt_sqlite_store *s = S(b);
    if (!s->ins_web) return mt_error_set(MT_EINVAL, "store: opened read-only");
    for (size_t i = 0; i < n; i++)
        if (mt_sqlite_row_begin(s) != MT_OK || put_web_one(s, &f[i]) != MT_OK || mt_sqlite_row_end(s) != MT_OK) return MT_EIO;
    return MT_OK;
}

static int sq_put_ingest_log(mt_store *b, const mt_store_ingest_row *r)
{
    mt_sqlite_store *s = S(b);
    if (!s->ins) return mt_error_set(MT_EINVAL, "store: opened read-only");
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
            "INSERT INTO ingest_log(path, format, started, finished, records, findings_new,"
            " findings_dup, skipped_malformed, skipped_unknown, status, sensor)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
        return mt_sqlite_fail(s->db, "prepare ingest_log");
    bind_str(q, 1, r->path);
    bind_str(q, 2, r->format);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)r->started);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)r->finished);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)r->records);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)r->findings_new);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)r->findings_dup);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)r->malformed);
    sqlite3_bind_int64(q, 9, (sqlite3_int64)r->unknown);
    bind_str(q, 10, r->status ? r->status : "ok");
    bind_str(q, 11, s->sensor);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(s->db, "write ingest_log");
}

static void sq_close(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    sq_commit(b);
    mt_sqlite_botnet_free(s);
    sqlite3_finalize(s->ins);
    sqlite3_finalize(s->upd);
    sqlite3_finalize(s->ins_web);
    sqlite3_close(s->db);
    free(s->sensor);
    free(s);
}

static const mt_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .put = sq_put,
    .put_ingest_log = sq_put_ingest_log,
    .prepare = mt_sqlite_prepare,
    .time_range = mt_sqlite_time_range,
    .summary = mt_sqlite_summary,
    .top = mt_sqlite_top,
    .put_web = sq_put_web,
    .web_present = mt_sqlite_web_present,
    .web_summary = mt_sqlite_web_summary,
    .put_campaign = mt_sqlite_put_campaign,
    .put_botsource = mt_sqlite_put_botsource,
    .put_credstat = mt_sqlite_put_credstat,
    .botnet_present = mt_sqlite_botnet_present,
    .botnet_summary = mt_sqlite_botnet_summary,
    .indicators = mt_sqlite_indicators,
};

static const char *const insert_sql =
    "INSERT OR IGNORE INTO findings(uid, ts, day, flow_id, src_ip, src_port,"
    " dest_ip, dest_port, proto, event_type, kind, protocol, pool, wallet,"
    " worker, agent, algo, family, confidence, evidence, source, sensor)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static const char *const update_sql =
    "UPDATE findings SET ts = ?2, day = ?3, flow_id = ?4, src_ip = ?5, src_port = ?6, dest_ip = ?7,"
    " dest_port = ?8, proto = ?9, event_type = ?10, kind = ?11, protocol = ?12, pool = ?13, wallet = ?14,"
    " worker = ?15, agent = ?16, algo = ?17, family = ?18, confidence = ?19, evidence = ?20, source = ?21,"
    " sensor = ?22 WHERE sensor = ?22 AND uid = ?1 AND (ts, evidence, pool, agent, worker, wallet, algo, family,"
    " flow_id, src_port, confidence, source) > (?2, ?20, ?13, ?16, ?15, ?14, ?17, ?18, ?4, ?6, ?19, ?21)";

static const char *const insert_web_sql =
    "INSERT OR IGNORE INTO web_findings(uid, ts, day, domain, url, resource, rank,"
    " category, provider, site_key, kind, confidence, evidence, sensor)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

mt_store *mt_sqlite_store_open(const char *path, const mt_store_opts *o)
{
    int ro = (o->flags & MT_STORE_READONLY) != 0;
    int mode = ro ? SQLITE_OPEN_READONLY
                  : SQLITE_OPEN_READWRITE | ((o->flags & MT_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, mode, NULL) != SQLITE_OK) {
        mt_error_set(MT_EIO, "sqlite: cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, MT_SQLITE_BUSY_MS);
    /* A write-protected file opens read-only even when asked for writing. */
    if (!ro && sqlite3_db_readonly(db, "main") == 1) ro = 1;
    int ver = 0;
    if (detect_version(db, path, &ver) != MT_OK) goto fail;
    if (ver > MT_SQLITE_SCHEMA_VERSION) {
        mt_error_set(MT_EINVAL, "%s has schema version %d, newer than this minetrace knows (%d): use a "
                     "newer minetrace", path, ver, MT_SQLITE_SCHEMA_VERSION);
        goto fail;
    }
    if (ver == 0 && (ro || !(o->flags & MT_STORE_CREATE))) {
        mt_error_set(MT_EINVAL, "%s is not a minetrace findings database (it is empty)", path);
        goto fail;
    }
    if (!ro) {
        /* WAL fails on some filesystems; the store still works in rollback mode. */
        sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (exec(db, "PRAGMA synchronous=NORMAL") != MT_OK) goto fail;
        sqlite3_wal_hook(db, wal_hook, NULL);
        if (ver < MT_SQLITE_SCHEMA_VERSION && migrate(db, path, &ver) != MT_OK) goto fail;
    }
    /* The columns every version has and the analyses read. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT ts, event_type, kind, src_ip, dest_port, family, pool, wallet, agent "
                           "FROM findings LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
        mt_error_set(MT_EINVAL, "%s is not a minetrace findings database: %s", path, sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(st);

    mt_sqlite_store *s = mt_xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->base.version = ver;
    s->db = db;
    s->flags = o->flags | (ro ? MT_STORE_READONLY : 0);
    s->sensor = mt_xstrdup(o->sensor ? o->sensor : "");
    int64_t has_web = 0;
    if (query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "web_findings",
                  0, &has_web) != MT_OK) {
        free(s->sensor);
        free(s);
        goto fail;
    }
    s->has_web = has_web > 0;
    if (sqlite3_prepare_v2(db, "SELECT sensor FROM findings LIMIT 0", -1, &st, NULL) == SQLITE_OK) s->has_sensor = 1;
    sqlite3_finalize(st);
    st = NULL;
    if (!ro && (sqlite3_prepare_v2(db, insert_sql, -1, &s->ins, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(db, update_sql, -1, &s->upd, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(db, insert_web_sql, -1, &s->ins_web, NULL) != SQLITE_OK)) {
        mt_sqlite_fail(db, "prepare insert");
        sqlite3_finalize(s->ins);
        sqlite3_finalize(s->upd);
        free(s->sensor);
        free(s);
        goto fail;
    }
    return &s->base;
fail:
    sqlite3_close(db);
    return NULL;
}
