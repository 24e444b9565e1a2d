/* The botnet study's tables over SQLite (schema version 4; schema and the
 * SQL of every aggregate: docs/STORE.md, "The botnet study").
 *
 * Records are conclusions of a run, not observations: the engine builds
 * each campaign, source and credential once at the end of a run, and a
 * re-run over the same logs concludes them again. So their keys (campaign
 * id, source ip, username + password; each per sensor) are UNIQUE, and
 * storing a record again replaces it (INSERT ... ON CONFLICT DO UPDATE),
 * with a campaign's day, country and member rows deleted and written
 * anew, so that every count stays exact however often a run is stored.
 * The record's full JSON (botnet_json.c) is kept beside the columns the
 * aggregates read.
 *
 * The aggregates are plain SQL, as the website study's: a year of
 * honeypot logs yields thousands of campaigns and at most some hundred
 * thousand members and credentials, which SQLite's sorting GROUP BY
 * handles in well under a second. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/botnet_json.h"
#include "store/botnet_summary.h"
#include "store/sqlite_store.h"

static mt_sqlite_store *S(mt_store *s) { return (mt_sqlite_store *)s; }

int mt_sqlite_schema_v4(sqlite3 *db)
{
    static const char *const sql =
        "CREATE TABLE IF NOT EXISTS campaigns("
        " id INTEGER PRIMARY KEY,"
        " sensor TEXT NOT NULL DEFAULT '',"
        " campaign TEXT NOT NULL,"
        " mining INTEGER NOT NULL, family TEXT NOT NULL, reason TEXT NOT NULL,"
        " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        " sources INTEGER NOT NULL, sessions INTEGER NOT NULL, events INTEGER NOT NULL,"
        " peak_day TEXT NOT NULL, peak_active INTEGER NOT NULL,"
        " scanned INTEGER NOT NULL, port22_open INTEGER NOT NULL,"
        " iot INTEGER NOT NULL, iot_unknown INTEGER NOT NULL, geo_unknown INTEGER NOT NULL,"
        " marker_type TEXT NOT NULL, marker TEXT NOT NULL,"
        " record TEXT NOT NULL,"
        " UNIQUE(sensor, campaign));"
        "CREATE TABLE IF NOT EXISTS campaign_days("
        " sensor TEXT NOT NULL, campaign TEXT NOT NULL, day INTEGER NOT NULL, active INTEGER NOT NULL,"
        " PRIMARY KEY(sensor, campaign, day));"
        "CREATE TABLE IF NOT EXISTS campaign_countries("
        " sensor TEXT NOT NULL, campaign TEXT NOT NULL, country TEXT NOT NULL, sources INTEGER NOT NULL,"
        " PRIMARY KEY(sensor, campaign, country));"
        "CREATE TABLE IF NOT EXISTS campaign_members("
        " sensor TEXT NOT NULL, campaign TEXT NOT NULL, ip TEXT NOT NULL,"
        " PRIMARY KEY(sensor, campaign, ip));"
        "CREATE INDEX IF NOT EXISTS campaign_members_ip ON campaign_members(ip);"
        "CREATE TABLE IF NOT EXISTS botnet_sources("
        " id INTEGER PRIMARY KEY,"
        " sensor TEXT NOT NULL DEFAULT '',"
        " ip TEXT NOT NULL,"
        " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, protocols INTEGER NOT NULL,"
        " sessions INTEGER NOT NULL, login_failed INTEGER NOT NULL, login_success INTEGER NOT NULL,"
        " credentials INTEGER NOT NULL, commands INTEGER NOT NULL, downloads INTEGER NOT NULL,"
        " uploads INTEGER NOT NULL, keys INTEGER NOT NULL,"
        " country TEXT NOT NULL, asn INTEGER NOT NULL, as_org TEXT NOT NULL,"
        " port22_open INTEGER, iot INTEGER, device TEXT NOT NULL, campaigns TEXT NOT NULL,"
        " record TEXT NOT NULL,"
        " UNIQUE(sensor, ip));"
        "CREATE TABLE IF NOT EXISTS credentials("
        " id INTEGER PRIMARY KEY,"
        " sensor TEXT NOT NULL DEFAULT '',"
        " username TEXT NOT NULL, password TEXT NOT NULL,"
        " attempts INTEGER NOT NULL, sources INTEGER NOT NULL, days INTEGER NOT NULL,"
        " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
        " UNIQUE(sensor, username, password));"
        "UPDATE meta SET value = '4' WHERE key = 'schema_version';";
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        mt_error_set(MT_EIO, "sqlite: %s", err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return MT_EIO;
    }
    return MT_OK;
}

/* ---- writing ------------------------------------------------------------- */

enum { ST_CAMP, ST_DEL_DAYS, ST_DEL_COUNTRIES, ST_DEL_MEMBERS, ST_DAY, ST_COUNTRY, ST_MEMBER, ST_SOURCE, ST_CRED,
       ST_N };

static const char *const stmt_sql[ST_N] = {
    [ST_CAMP] = "INSERT INTO campaigns(sensor, campaign, mining, family, reason, first_seen, last_seen, sources,"
                " sessions, events, peak_day, peak_active, scanned, port22_open, iot, iot_unknown, geo_unknown,"
                " marker_type, marker, record) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                "?17,?18,?19,?20)"
                " ON CONFLICT(sensor, campaign) DO UPDATE SET mining = excluded.mining, family = excluded.family,"
                " reason = excluded.reason, first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
                " sources = excluded.sources, sessions = excluded.sessions, events = excluded.events,"
                " peak_day = excluded.peak_day, peak_active = excluded.peak_active, scanned = excluded.scanned,"
                " port22_open = excluded.port22_open, iot = excluded.iot, iot_unknown = excluded.iot_unknown,"
                " geo_unknown = excluded.geo_unknown, marker_type = excluded.marker_type,"
                " marker = excluded.marker, record = excluded.record",
    [ST_DEL_DAYS] = "DELETE FROM campaign_days WHERE sensor = ?1 AND campaign = ?2",
    [ST_DEL_COUNTRIES] = "DELETE FROM campaign_countries WHERE sensor = ?1 AND campaign = ?2",
    [ST_DEL_MEMBERS] = "DELETE FROM campaign_members WHERE sensor = ?1 AND campaign = ?2",
    /* A key repeated within one record adds up (members are a set). */
    [ST_DAY] = "INSERT INTO campaign_days(sensor, campaign, day, active) VALUES(?1,?2,?3,?4)"
               " ON CONFLICT(sensor, campaign, day) DO UPDATE SET active = active + excluded.active",
    [ST_COUNTRY] = "INSERT INTO campaign_countries(sensor, campaign, country, sources) VALUES(?1,?2,?3,?4)"
                   " ON CONFLICT(sensor, campaign, country) DO UPDATE SET sources = sources + excluded.sources",
    [ST_MEMBER] = "INSERT OR IGNORE INTO campaign_members(sensor, campaign, ip) VALUES(?1,?2,?3)",
    [ST_SOURCE] = "INSERT INTO botnet_sources(sensor, ip, first_seen, last_seen, protocols, sessions, login_failed,"
                  " login_success, credentials, commands, downloads, uploads, keys, country, asn, as_org,"
                  " port22_open, iot, device, campaigns, record) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
                  "?13,?14,?15,?16,?17,?18,?19,?20,?21)"
                  " ON CONFLICT(sensor, ip) DO UPDATE SET first_seen = excluded.first_seen,"
                  " last_seen = excluded.last_seen, protocols = excluded.protocols, sessions = excluded.sessions,"
                  " login_failed = excluded.login_failed, login_success = excluded.login_success,"
                  " credentials = excluded.credentials, commands = excluded.commands,"
                  " downloads = excluded.downloads, uploads = excluded.uploads, keys = excluded.keys,"
                  " country = excluded.country, asn = excluded.asn, as_org = excluded.as_org,"
                  " port22_open = excluded.port22_open, iot = excluded.iot, device = excluded.device,"
                  " campaigns = excluded.campaigns, record = excluded.record",
    [ST_CRED] = "INSERT INTO credentials(sensor, username, password, attempts, sources, days, first_seen,"
                " last_seen) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"
                " ON CONFLICT(sensor, username, password) DO UPDATE SET attempts = excluded.attempts,"
                " sources = excluded.sources, days = excluded.days, first_seen = excluded.first_seen,"
                " last_seen = excluded.last_seen",
};

struct mt_sqlite_botnet {
    sqlite3_stmt *st[ST_N];
    mt_buf json, ids; /* reused for every record */
};

void mt_sqlite_botnet_free(mt_sqlite_store *s)
{
    if (!s->botnet) return;
    for (int i = 0; i < ST_N; i++) sqlite3_finalize(s->botnet->st[i]);
    mt_buf_free(&s->botnet->json);
    mt_buf_free(&s->botnet->ids);
    free(s->botnet);
    s->botnet = NULL;
}

/* The statements, prepared on the first write (most stores never get a
 * campaign). */
static struct mt_sqlite_botnet *writer(mt_sqlite_store *s)
{
    if (!s->ins) {
        mt_error_set(MT_EINVAL, "store: opened read-only");
        return NULL;
    }
    if (s->botnet) return s->botnet;
    struct mt_sqlite_botnet *w = mt_xcalloc(1, sizeof *w);
    for (int i = 0; i < ST_N; i++)
        if (sqlite3_prepare_v2(s->db, stmt_sql[i], -1, &w->st[i], NULL) != SQLITE_OK) {
            mt_sqlite_fail(s->db, "prepare botnet insert");
            for (int j = 0; j < i; j++) sqlite3_finalize(w->st[j]);
            free(w);
            return NULL;
        }
    mt_buf_init(&w->json);
    mt_buf_init(&w->ids);
    s->botnet = w;
    return w;
}

static void bind_s(sqlite3_stmt *st, int i, const char *v, size_t n)
{
    sqlite3_bind_text(st, i, v ? v : "", v ? (int)n : 0, SQLITE_STATIC);
}

static void bind_str(sqlite3_stmt *st, int i, const char *v) { bind_s(st, i, v, v ? strlen(v) : 0); }

static void bind_u(sqlite3_stmt *st, int i, uint64_t v)
{
    /* Counts past INT64_MAX cannot happen; clamp rather than wrap to negative. */
    sqlite3_bind_int64(st, i, v > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)v);
}

static int step(mt_sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? MT_OK : mt_sqlite_fail(s->db, what);
}

/* "YYYY-MM-DD" as days since 1970-01-01; MT_EINVAL when it is not one. */
static int parse_day(const char *d, int64_t *out)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return MT_EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return MT_EINVAL;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0'), dd = (d[8] - '0') * 10 + (d[9] - '0');
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1] || (m == 2 && dd == 29 && !leap)) return MT_EINVAL;
    /* Days from civil (proleptic Gregorian), H. Hinnant's algorithm. */
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return MT_OK;
}

/* The marker carried by most members (the first on a tie). */
static const mt_marker *top_marker(const mt_campaign *c)
{
    const mt_marker *best = NULL;
    for (size_t i = 0; i < c->nmarkers; i++)
        if (!best || c->markers[i].sources > best->sources) best = &c->markers[i];
    return best;
}

int mt_sqlite_put_campaign(mt_store *b, const mt_campaign *c)
{
    mt_sqlite_store *s = S(b);
    struct mt_sqlite_botnet *w = writer(s);
    if (!w) return MT_EINVAL;
    size_t nid = strnlen(c->id, sizeof c->id);
    if (!nid) return mt_error_set(MT_EINVAL, "store: a campaign without an id");
    /* Days first: a bad one stores nothing of the campaign. */
    for (size_t i = 0; i < c->ndays; i++) {
        int64_t day;
        if (parse_day(c->active_per_day[i].name, &day) != MT_OK)
            return mt_error_set(MT_EINVAL, "store: campaign %.*s: day '%.40s' is not YYYY-MM-DD", (int)nid, c->id,
                                c->active_per_day[i].name ? c->active_per_day[i].name : "");
    }
    if (mt_sqlite_row_begin(s) != MT_OK) return MT_EIO;
    mt_buf_reset(&w->json);
    mt_campaign_to_json(c, &w->json);
    const mt_marker *tm = top_marker(c);
    sqlite3_stmt *st = w->st[ST_CAMP];
    bind_str(st, 1, s->sensor);
    bind_s(st, 2, c->id, nid);
    sqlite3_bind_int(st, 3, c->mining ? 1 : 0);
    bind_str(st, 4, c->family && *c->family ? c->family : "unknown");
    bind_str(st, 5, c->reason);
    sqlite3_bind_int64(st, 6, c->first_seen);
    sqlite3_bind_int64(st, 7, c->last_seen);
    bind_u(st, 8, c->nmembers);
    bind_u(st, 9, c->sessions);
    bind_u(st, 10, c->events);
    bind_str(st, 11, c->peak_day);
    bind_u(st, 12, c->peak_active);
    bind_u(st, 13, c->scanned);
    bind_u(st, 14, c->port22_open);
    bind_u(st, 15, c->iot);
    bind_u(st, 16, c->iot_unknown);
    bind_u(st, 17, c->geo_unknown);
    bind_str(st, 18, tm ? tm->type : "");
    bind_str(st, 19, tm ? tm->value : "");
    bind_s(st, 20, w->json.p, w->json.len);
    if (step(s, st, "store campaign") != MT_OK) return MT_EIO;
    for (int k = ST_DEL_DAYS; k <= ST_DEL_MEMBERS; k++) {
        bind_str(w->st[k], 1, s->sensor);
        bind_s(w->st[k], 2, c->id, nid);
        if (step(s, w->st[k], "replace campaign rows") != MT_OK) return MT_EIO;
    }
    for (size_t i = 0; i < c->ndays; i++) {
        int64_t day = 0;
        parse_day(c->active_per_day[i].name, &day);
        st = w->st[ST_DAY];
        bind_str(st, 1, s->sensor);
        bind_s(st, 2, c->id, nid);
        sqlite3_bind_int64(st, 3, day);
        bind_u(st, 4, c->active_per_day[i].count);
        if (step(s, st, "store campaign day") != MT_OK) return MT_EIO;
    }
    for (size_t i = 0; i < c->ncountries; i++) {
        st = w->st[ST_COUNTRY];
        bind_str(st, 1, s->sensor);
        bind_s(st, 2, c->id, nid);
        bind_str(st, 3, c->countries[i].name);
        bind_u(st, 4, c->countries[i].count);
        if (step(s, st, "store campaign country") != MT_OK) return MT_EIO;
    }
    for (size_t i = 0; i < c->nmembers; i++) {
        st = w->st[ST_MEMBER];
        bind_str(st, 1, s->sensor);
        bind_s(st, 2, c->id, nid);
        bind_str(st, 3, c->members[i]);
        if (step(s, st, "store campaign member") != MT_OK) return MT_EIO;
    }
    return mt_sqlite_row_end(s);
}

int mt_sqlite_put_botsource(mt_store *b, const mt_botsource *src)
{
    mt_sqlite_store *s = S(b);
    struct mt_sqlite_botnet *w = writer(s);
    if (!w) return MT_EINVAL;
    size_t nip = strnlen(src->ip, sizeof src->ip);
    if (!nip) return mt_error_set(MT_EINVAL, "store: an attack source without an address");
    if (mt_sqlite_row_begin(s) != MT_OK) return MT_EIO;
    mt_buf_reset(&w->json);
    mt_botsource_to_json(src, &w->json);
    /* The campaign ids, space-separated (ids are "c-" + hex). */
    mt_buf *ids = &w->ids;
    mt_buf_reset(ids);
    for (size_t i = 0; i < src->ncampaigns; i++) {
        if (i) mt_buf_putc(ids, ' ');
        mt_buf_puts(ids, src->campaigns[i] ? src->campaigns[i] : "");
    }
    sqlite3_stmt *st = w->st[ST_SOURCE];
    bind_str(st, 1, s->sensor);
    bind_s(st, 2, src->ip, nip);
    sqlite3_bind_int64(st, 3, src->first_seen);
    sqlite3_bind_int64(st, 4, src->last_seen);
    sqlite3_bind_int64(st, 5, src->protocols);
    bind_u(st, 6, src->sessions);
    bind_u(st, 7, src->login_failed);
    bind_u(st, 8, src->login_success);
    bind_u(st, 9, src->ncredentials);
    bind_u(st, 10, src->commands_total);
    bind_u(st, 11, src->ndownloads);
    bind_u(st, 12, src->nuploads);
    bind_u(st, 13, src->nkeys);
    bind_str(st, 14, src->country);
    sqlite3_bind_int64(st, 15, src->asn);
    bind_str(st, 16, src->as_org);
    if (src->port22_open < 0) sqlite3_bind_null(st, 17);
    else sqlite3_bind_int(st, 17, src->port22_open ? 1 : 0);
    if (src->iot < 0) sqlite3_bind_null(st, 18);
    else sqlite3_bind_int(st, 18, src->iot ? 1 : 0);
    bind_str(st, 19, src->device);
    bind_s(st, 20, ids->p, ids->len);
    bind_s(st, 21, w->json.p, w->json.len);
    if (step(s, st, "store attack source") != MT_OK) return MT_EIO;
    return mt_sqlite_row_end(s);
}

int mt_sqlite_put_credstat(mt_store *b, const mt_credstat *c)
{
    mt_sqlite_store *s = S(b);
    struct mt_sqlite_botnet *w = writer(s);
    if (!w) return MT_EINVAL;
    if (mt_sqlite_row_begin(s) != MT_OK) return MT_EIO;
    sqlite3_stmt *st = w->st[ST_CRED];
    bind_str(st, 1, s->sensor);
    bind_str(st, 2, c->username);
    bind_str(st, 3, c->password);
    bind_u(st, 4, c->attempts);
    bind_u(st, 5, c->sources);
    bind_u(st, 6, c->days);
    sqlite3_bind_int64(st, 7, c->first_seen);
    sqlite3_bind_int64(st, 8, c->last_seen);
    if (step(s, st, "store credential") != MT_OK) return MT_EIO;
    return mt_sqlite_row_end(s);
}

/* ---- reading --------------------------------------------------------------- */

static int has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return mt_sqlite_fail(db, "botnet query");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? n > 0 : mt_sqlite_fail(db, "botnet query");
}

int mt_sqlite_botnet_present(mt_store *b)
{
    mt_sqlite_store *s = S(b);
    int t = has_table(s->db, "campaigns");
    if (t <= 0) return t; /* a database older than version 4 read as it is: no botnet data */
    /* Any record: a run over daily aggregates (no source addresses) has
     * credentials but no campaign, and its credential figures are the
     * study's too. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM campaigns UNION ALL SELECT 1 FROM botnet_sources"
                                  " UNION ALL SELECT 1 FROM credentials LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return mt_sqlite_fail(s->db, "botnet query");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 1;
    return rc == SQLITE_DONE ? 0 : mt_sqlite_fail(s->db, "botnet query");
}

/* ?1, ?2: the range [from, to). A campaign (alias c), a source or a
 * credential is in range when its [first_seen, last_seen] meets it; a day
 * when its 24 hours do. ?9: the sensors (MT_SQLITE_SEL). */
#define RC "c.first_seen < ?2 AND c.last_seen >= ?1 AND " MT_SQLITE_SEL("c.sensor")
#define RT "first_seen < ?2 AND last_seen >= ?1 AND " MT_SQLITE_SEL("sensor")

typedef struct bq {
    sqlite3 *db;
    int64_t from, to;
    const mt_store_sensors *sensors;
} bq;

static sqlite3_stmt *bq_prepare(const bq *q, const char *sql)
{
    return mt_sqlite_prepare_range(q->db, sql, q->from, q->to, 0, q->sensors, "botnet query");
}

static int rows_open(void *ctx, const char *sql, void **rows)
{
    sqlite3_stmt *st = bq_prepare(ctx, sql);
    *rows = st;
    return st ? MT_OK : MT_EIO;
}

static int rows_next(void *rows)
{
    int rc = sqlite3_step(rows);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return mt_sqlite_fail(sqlite3_db_handle(rows), "botnet query");
}

static char *rows_dup(void *rows, int col) { return mt_sqlite_col_dup(rows, col); }
static int64_t rows_i64(void *rows, int col) { return sqlite3_column_int64(rows, col); }
static void rows_close(void *rows) { sqlite3_finalize(rows); }

int mt_sqlite_botnet_summary(mt_store *b, const mt_store_botnet_query *qq, mt_store_botnet_summary *out)
{
    mt_sqlite_store *s = S(b);
    out->peak_day = -1;
    int t = has_table(s->db, "campaigns");
    if (t < 0) return MT_EIO;
    if (!t) return MT_OK; /* version 3 or older, read as it is: no botnet data */
    bq q = {s->db, qq->from, qq->to, &qq->sensors};
    if (qq->from == 0 && qq->to == 0) {
        q.from = INT64_MIN;
        q.to = INT64_MAX;
    }
    mt_rowsrc src = {&q, rows_open, rows_next, rows_dup, rows_i64, rows_close, RC, RT, "?1", "?2"};
    return mt_botnet_summary_run(&src, qq, out);
}
