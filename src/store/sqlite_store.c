/* The SQLite findings store: schema creation, idempotent batched inserts and
 * the sink that feeds it (schema and reasons: docs/STORE.md).
 *
 * Why it is built this way: scans and ingests of multi-GB logs write many
 * findings, and the same log is often ingested again (cron re-runs, rotated
 * files picked up twice). So every finding gets a uid, a 64-bit hash of its
 * identifying fields (not of the source label, so a pcap scan and the
 * ingest of its JSONL output meet), which is UNIQUE in the table; inserts
 * are INSERT OR IGNORE and sqlite3_changes() tells new from duplicate.
 * Inserts run inside one transaction per batch of MT_STORE_BATCH rows, with
 * WAL journalling so a report can read while a scan writes. Text fields are
 * bound as parameters, never spliced into SQL, and stored raw. */
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/finding_json.h"

#define MT_STORE_BATCH 10000
#define MT_STORE_SCHEMA_VERSION "1"

struct mt_store {
    sqlite3 *db;
    sqlite3_stmt *ins;
    int in_txn;
    unsigned batch;
    uint64_t n_new, n_dup;
};

static const char *const schema_sql =
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
    " skipped_unknown INTEGER, status TEXT);";

static const char *const insert_sql =
    "INSERT OR IGNORE INTO findings(uid, ts, day, flow_id, src_ip, src_port,"
    " dest_ip, dest_port, proto, event_type, kind, protocol, pool, wallet,"
    " worker, agent, algo, family, confidence, evidence, source)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static int db_fail(sqlite3 *db, const char *what)
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

mt_store *mt_store_open(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        db_fail(db, path);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    /* WAL fails on some filesystems; the store still works in rollback mode. */
    sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (exec(db, "PRAGMA synchronous=NORMAL") != MT_OK || exec(db, schema_sql) != MT_OK) {
        sqlite3_close(db);
        return NULL;
    }
    char created[40];
    mt_time_format((mt_time_us)time(NULL) * 1000000, created, sizeof created);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO meta(key, value) VALUES"
                               "('schema_version', '" MT_STORE_SCHEMA_VERSION "'),"
                               "('created', ?)", -1, &st, NULL) != SQLITE_OK) {
        db_fail(db, "prepare meta");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_bind_text(st, 1, created, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_fail(db, "write meta");
        sqlite3_close(db);
        return NULL;
    }
    mt_store *s = mt_xcalloc(1, sizeof *s);
    s->db = db;
    if (sqlite3_prepare_v2(db, insert_sql, -1, &s->ins, NULL) != SQLITE_OK) {
        db_fail(db, "prepare insert");
        sqlite3_close(db);
        free(s);
        return NULL;
    }
    return s;
}

int mt_store_commit(mt_store *s)
{
    if (!s->in_txn) return MT_OK;
    s->in_txn = 0;
    s->batch = 0;
    return exec(s->db, "COMMIT");
}

void mt_store_close(mt_store *s)
{
    if (!s) return;
    mt_store_commit(s);
    sqlite3_finalize(s->ins);
    sqlite3_close(s->db);
    free(s);
}

/* Length-prefixed so that ("ab","c") and ("a","bc") hash differently. */
static void hash_str(mt_buf *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    mt_buf_put(b, &n, sizeof n);
    mt_buf_put(b, s, n);
}

static void hash_u64(mt_buf *b, uint64_t v)
{
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(v >> (8 * i));
    mt_buf_put(b, le, sizeof le);
}

uint64_t mt_finding_uid(const mt_finding *f)
{
    /* Serialised little-endian field by field, so the uid does not depend on
     * struct layout, padding or host byte order. */
    mt_buf b;
    mt_buf_init(&b);
    hash_u64(&b, (uint64_t)f->ts);
    hash_u64(&b, f->flow_id);
    mt_buf_putc(&b, (char)f->src.family);
    mt_buf_put(&b, f->src.b, 16);
    mt_buf_putc(&b, (char)f->dst.family);
    mt_buf_put(&b, f->dst.b, 16);
    hash_u64(&b, ((uint64_t)f->src_port << 24) | ((uint64_t)f->dst_port << 8) | f->ipproto);
    hash_str(&b, f->event_type ? f->event_type : MT_EVENT_MINING);
    hash_str(&b, mt_finding_kind_str(f->kind));
    hash_str(&b, f->protocol);
    hash_str(&b, f->pool);
    hash_str(&b, f->wallet);
    hash_str(&b, f->evidence);
    uint64_t h = mt_hash_bytes(b.p, b.len, 0x6d696e6574726163ULL /* "minetrac" */);
    mt_buf_free(&b);
    return h;
}

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

int mt_store_insert(mt_store *s, const mt_finding *f)
{
    if (!s->in_txn) {
        if (exec(s->db, "BEGIN") != MT_OK) return MT_EIO;
        s->in_txn = 1;
    }
    char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    int64_t ts = f->ts;
    int64_t day = ts >= 0 ? ts / 86400000000LL : (ts - 86399999999LL) / 86400000000LL;
    sqlite3_stmt *st = s->ins;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mt_finding_uid(f));
    sqlite3_bind_int64(st, 2, ts);
    sqlite3_bind_int64(st, 3, day);
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
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) return db_fail(s->db, "insert finding");
    int added = sqlite3_changes(s->db) > 0;
    if (added) s->n_new++; else s->n_dup++;
    if (++s->batch >= MT_STORE_BATCH && mt_store_commit(s) != MT_OK) return MT_EIO;
    return added;
}

struct sqlite3 *mt_store_db(mt_store *s) { return s->db; }

void mt_store_counts(const mt_store *s, uint64_t *n_new, uint64_t *n_dup)
{
    if (n_new) *n_new = s->n_new;
    if (n_dup) *n_dup = s->n_dup;
}

/* ---- the sink ----------------------------------------------------------- */

typedef struct sqlite_sink_ctx {
    mt_store *store;
    int own;
    uint64_t errors;
} sqlite_sink_ctx;

static int sink_emit(mt_sink *s, const mt_finding *f)
{
    sqlite_sink_ctx *c = s->ctx;
    int rc = mt_store_insert(c->store, f);
    if (rc < 0) {
        c->errors++;
        return rc;
    }
    return MT_OK;
}

static int sink_flush(mt_sink *s)
{
    sqlite_sink_ctx *c = s->ctx;
    return mt_store_commit(c->store);
}

static void sink_close(mt_sink *s)
{
    sqlite_sink_ctx *c = s->ctx;
    if (c->own) mt_store_close(c->store);
    else mt_store_commit(c->store);
    free(c);
    free(s);
}

mt_sink *mt_sink_sqlite_new(mt_store *store, int own)
{
    sqlite_sink_ctx *c = mt_xcalloc(1, sizeof *c);
    c->store = store;
    c->own = own;
    mt_sink *s = mt_xcalloc(1, sizeof *s);
    s->name = "sqlite";
    s->emit = sink_emit;
    s->flush = sink_flush;
    s->close = sink_close;
    s->ctx = c;
    return s;
}
