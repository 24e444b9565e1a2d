/* The botnet study's tables over PostgreSQL: writes (a record whose key is
 * stored replaces it, with a campaign's days, countries and members) and
 * the SQL of docs/STORE.md ("The botnet study's aggregates") with the
 * sensors filter. A campaign is two statements: the upsert with the
 * deletion of its rows (data-modifying WITH), then its days, countries and
 * members sent as arrays and unnested by the server (a repeated day or
 * country adds up, a repeated member counts once, as in SQLite). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/botnet_json.h"
#include "store/botnet_summary.h"
#include "store/pg_store.h"

static mt_pg_store *S(mt_store *s) { return (mt_pg_store *)s; }

/* "YYYY-MM-DD" as days since 1970-01-01; MT_EINVAL when it is not a date. */
static int day_of(const char *d, int64_t *out)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return MT_EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return MT_EINVAL;
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
    if (m < 1 || m > 12 || dd < 1 || dd > 31) return MT_EINVAL;
    int64_t z = mt_days_from_civil(y, (unsigned)m, (unsigned)dd);
    int y2, m2, d2;
    mt_civil_from_days(z, &y2, &m2, &d2); /* 2023-02-30 comes back as March */
    if (y2 != y || m2 != m || d2 != dd) return MT_EINVAL;
    *out = z;
    return MT_OK;
}

/* Parameters of one statement, as text in one buffer (offsets, since the
 * buffer may move while it grows). */
typedef struct params {
    mt_buf *b;
    size_t off[24];
    int n;
} params;

static void p_start(params *p, mt_buf *b)
{
    p->b = b;
    mt_buf_reset(b);
    p->n = 0;
}

static void p_str(params *p, const char *v, size_t len)
{
    p->off[p->n++] = p->b->len;
    if (v) mt_pg_put_utf8(p->b, v, len, 0);
    mt_buf_putc(p->b, '\0');
}

static void p_s(params *p, const char *v) { p_str(p, v, v ? strlen(v) : 0); }

static void p_i(params *p, int64_t v)
{
    p->off[p->n++] = p->b->len;
    mt_buf_put_int(p->b, (long long)v);
    mt_buf_putc(p->b, '\0');
}

static void p_u(params *p, uint64_t v) { p_i(p, v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v); }

static void p_null(params *p) { p->off[p->n++] = (size_t)-1; }

static int p_exec(mt_pg_store *s, params *p, const char *sql, const char *what)
{
    const char *v[24];
    for (int i = 0; i < p->n; i++) v[i] = p->off[i] == (size_t)-1 ? NULL : p->b->p + p->off[i];
    return mt_pg_params(s, sql, p->n, v, what, NULL);
}

/* An array literal of strings or of integers into p. */
static void p_text_array(params *p, const mt_count_item *items, const char *const *strs, size_t n)
{
    p->off[p->n++] = p->b->len;
    mt_buf_putc(p->b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) mt_buf_putc(p->b, ',');
        mt_buf_putc(p->b, '"');
        const char *v = items ? items[i].name : strs[i];
        mt_buf tmp;
        mt_buf_init(&tmp);
        mt_pg_put_utf8(&tmp, v ? v : "", v ? strlen(v) : 0, 0);
        for (size_t k = 0; k < tmp.len; k++) {
            if (tmp.p[k] == '"' || tmp.p[k] == '\\') mt_buf_putc(p->b, '\\');
            mt_buf_putc(p->b, tmp.p[k]);
        }
        mt_buf_free(&tmp);
        mt_buf_putc(p->b, '"');
    }
    mt_buf_puts(p->b, "}");
    mt_buf_putc(p->b, '\0');
}

static void p_count_array(params *p, const mt_count_item *items, size_t n, const int64_t *days)
{
    p->off[p->n++] = p->b->len;
    mt_buf_putc(p->b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) mt_buf_putc(p->b, ',');
        if (days) mt_buf_put_int(p->b, (long long)days[i]);
        else mt_buf_put_int(p->b, (long long)(items[i].count > (uint64_t)INT64_MAX ? INT64_MAX : items[i].count));
    }
    mt_buf_putc(p->b, '}');
    mt_buf_putc(p->b, '\0');
}

static const mt_marker *top_marker(const mt_campaign *c)
{
    const mt_marker *best = NULL;
    for (size_t i = 0; i < c->nmarkers; i++)
        if (!best || c->markers[i].sources > best->sources) best = &c->markers[i];
    return best;
}

static const char *const camp_sql =
    "WITH c AS (INSERT INTO campaigns(sensor, campaign, mining, family, reason, first_seen, last_seen, sources,"
    " sessions, events, peak_day, peak_active, scanned, port22_open, iot, iot_unknown, geo_unknown,"
    " marker_type, marker, record) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)"
    " ON CONFLICT(sensor, campaign) DO UPDATE SET mining = excluded.mining, family = excluded.family,"
    " reason = excluded.reason, first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
    " sources = excluded.sources, sessions = excluded.sessions, events = excluded.events,"
    " peak_day = excluded.peak_day, peak_active = excluded.peak_active, scanned = excluded.scanned,"
    " port22_open = excluded.port22_open, iot = excluded.iot, iot_unknown = excluded.iot_unknown,"
    " geo_unknown = excluded.geo_unknown, marker_type = excluded.marker_type,"
    " marker = excluded.marker, record = excluded.record RETURNING 1),"
    " d AS (DELETE FROM campaign_days WHERE sensor = $1 AND campaign = $2),"
    " k AS (DELETE FROM campaign_countries WHERE sensor = $1 AND campaign = $2)"
    " DELETE FROM campaign_members WHERE sensor = $1 AND campaign = $2";

static const char *const camp_rows_sql =
    "WITH d AS (INSERT INTO campaign_days(sensor, campaign, day, active) SELECT $1::text, $2::text, u.day,"
    " sum(u.active) FROM unnest($3::bigint[], $4::bigint[]) AS u(day, active) GROUP BY u.day),"
    " k AS (INSERT INTO campaign_countries(sensor, campaign, country, sources) SELECT $1::text, $2::text, u.c,"
    " sum(u.n) FROM unnest($5::text[], $6::bigint[]) AS u(c, n) GROUP BY u.c)"
    " INSERT INTO campaign_members(sensor, campaign, ip) SELECT DISTINCT $1::text, $2::text, u.ip"
    " FROM unnest($7::text[]) AS u(ip)";

int mt_pg_put_campaign(mt_store *b, const mt_campaign *c)
{
    mt_pg_store *s = S(b);
    if (s->flags & MT_STORE_READONLY) return mt_error_set(MT_EINVAL, "store: opened read-only");
    size_t nid = strnlen(c->id, sizeof c->id);
    if (!nid) return mt_error_set(MT_EINVAL, "store: a campaign without an id");
    int64_t *days = mt_xcalloc(c->ndays ? c->ndays : 1, sizeof *days);
    for (size_t i = 0; i < c->ndays; i++)
        if (day_of(c->active_per_day[i].name, &days[i]) != MT_OK) {
            free(days);
            return mt_error_set(MT_EINVAL, "store: campaign %.*s: day '%.40s' is not YYYY-MM-DD", (int)nid, c->id,
                                c->active_per_day[i].name ? c->active_per_day[i].name : "");
        }
    if (mt_pg_row_begin(s) != MT_OK) {
        free(days);
        return MT_EIO;
    }
    mt_buf json;
    mt_buf_init(&json);
    mt_campaign_to_json(c, &json);
    const mt_marker *tm = top_marker(c);
    params p;
    p_start(&p, &s->tmp);
    p_s(&p, s->sensor);
    p_str(&p, c->id, nid);
    p_i(&p, c->mining ? 1 : 0);
    p_s(&p, c->family && *c->family ? c->family : "unknown");
    p_s(&p, c->reason);
    p_i(&p, c->first_seen);
    p_i(&p, c->last_seen);
    p_u(&p, c->nmembers);
    p_u(&p, c->sessions);
    p_u(&p, c->events);
    p_s(&p, c->peak_day);
    p_u(&p, c->peak_active);
    p_u(&p, c->scanned);
    p_u(&p, c->port22_open);
    p_u(&p, c->iot);
    p_u(&p, c->iot_unknown);
    p_u(&p, c->geo_unknown);
    p_s(&p, tm ? tm->type : "");
    p_s(&p, tm ? tm->value : "");
    p_str(&p, json.p, json.len);
    mt_buf_free(&json);
    int rc = p_exec(s, &p, camp_sql, "store campaign");
    if (rc == MT_OK) {
        p_start(&p, &s->tmp);
        p_s(&p, s->sensor);
        p_str(&p, c->id, nid);
        p_count_array(&p, NULL, c->ndays, days);
        p_count_array(&p, c->active_per_day, c->ndays, NULL);
        p_text_array(&p, c->countries, NULL, c->ncountries);
        p_count_array(&p, c->countries, c->ncountries, NULL);
        p_text_array(&p, NULL, c->members, c->nmembers);
        rc = p_exec(s, &p, camp_rows_sql, "store campaign rows");
    }
    free(days);
    return rc == MT_OK ? mt_pg_row_end(s) : MT_EIO;
}

int mt_pg_put_botsource(mt_store *b, const mt_botsource *src)
{
    mt_pg_store *s = S(b);
    if (s->flags & MT_STORE_READONLY) return mt_error_set(MT_EINVAL, "store: opened read-only");
    size_t nip = strnlen(src->ip, sizeof src->ip);
    if (!nip) return mt_error_set(MT_EINVAL, "store: an attack source without an address");
    if (mt_pg_row_begin(s) != MT_OK) return MT_EIO;
    mt_buf json, ids;
    mt_buf_init(&json);
    mt_buf_init(&ids);
    mt_botsource_to_json(src, &json);
    for (size_t i = 0; i < src->ncampaigns; i++) {
        if (i) mt_buf_putc(&ids, ' ');
        mt_buf_puts(&ids, src->campaigns[i] ? src->campaigns[i] : "");
    }
    params p;
    p_start(&p, &s->tmp);
    p_s(&p, s->sensor);
    p_str(&p, src->ip, nip);
    p_i(&p, src->first_seen);
    p_i(&p, src->last_seen);
    p_i(&p, src->protocols);
    p_u(&p, src->sessions);
    p_u(&p, src->login_failed);
    p_u(&p, src->login_success);
    p_u(&p, src->ncredentials);
    p_u(&p, src->commands_total);
    p_u(&p, src->ndownloads);
    p_u(&p, src->nuploads);
    p_u(&p, src->nkeys);
    p_s(&p, src->country);
    p_i(&p, src->asn);
    p_s(&p, src->as_org);
    if (src->port22_open < 0) p_null(&p);
    else p_i(&p, src->port22_open ? 1 : 0);
    if (src->iot < 0) p_null(&p);
    else p_i(&p, src->iot ? 1 : 0);
    p_s(&p, src->device);
    p_str(&p, ids.p, ids.len);
    p_str(&p, json.p, json.len);
    mt_buf_free(&json);
    mt_buf_free(&ids);
    int rc = p_exec(s, &p,
                    "INSERT INTO botnet_sources(sensor, ip, first_seen, last_seen, protocols, sessions, login_failed,"
                    " login_success, credentials, commands, downloads, uploads, keys, country, asn, as_org,"
                    " port22_open, iot, device, campaigns, record) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,"
                    "$13,$14,$15,$16,$17,$18,$19,$20,$21)"
                    " ON CONFLICT(sensor, ip) DO UPDATE SET first_seen = excluded.first_seen,"
                    " last_seen = excluded.last_seen, protocols = excluded.protocols, sessions = excluded.sessions,"
                    " login_failed = excluded.login_failed, login_success = excluded.login_success,"
                    " credentials = excluded.credentials, commands = excluded.commands,"
                    " downloads = excluded.downloads, uploads = excluded.uploads, keys = excluded.keys,"
                    " country = excluded.country, asn = excluded.asn, as_org = excluded.as_org,"
                    " port22_open = excluded.port22_open, iot = excluded.iot, device = excluded.device,"
                    " campaigns = excluded.campaigns, record = excluded.record",
                    "store attack source");
    return rc == MT_OK ? mt_pg_row_end(s) : MT_EIO;
}

int mt_pg_put_credstat(mt_store *b, const mt_credstat *c)
{
    mt_pg_store *s = S(b);
    if (mt_pg_row_begin(s) != MT_OK) return MT_EIO;
    params p;
    p_start(&p, &s->tmp);
    p_s(&p, s->sensor);
    p_s(&p, c->username);
    p_s(&p, c->password);
    p_u(&p, c->attempts);
    p_u(&p, c->sources);
    p_u(&p, c->days);
    p_i(&p, c->first_seen);
    p_i(&p, c->last_seen);
    int rc = p_exec(s, &p,
                    "INSERT INTO credentials(sensor, username, password, attempts, sources, days, first_seen,"
                    " last_seen) VALUES($1,$2,$3,$4,$5,$6,$7,$8)"
                    " ON CONFLICT(sensor, username, password) DO UPDATE SET attempts = excluded.attempts,"
                    " sources = excluded.sources, days = excluded.days, first_seen = excluded.first_seen,"
                    " last_seen = excluded.last_seen",
                    "store credential");
    return rc == MT_OK ? mt_pg_row_end(s) : MT_EIO;
}

/* ---- reading --------------------------------------------------------------- */

int mt_pg_botnet_present(mt_store *b)
{
    mt_pg_store *s = S(b);
    PGresult *r;
    if (mt_pg_params(s, "SELECT 1 FROM campaigns UNION ALL SELECT 1 FROM botnet_sources"
                        " UNION ALL SELECT 1 FROM credentials LIMIT 1", 0, NULL, "botnet query", &r) != MT_OK)
        return MT_EIO;
    int have = PQntuples(r) > 0;
    PQclear(r);
    return have;
}

/* $1, $2: the range; $3: the sensors. */
#define SN(t) "(cardinality($3::text[]) = 0 OR " t "sensor = ANY($3::text[]))"
#define RC "c.first_seen < $2 AND c.last_seen >= $1 AND " SN("c.")
#define RT "first_seen < $2 AND last_seen >= $1 AND " SN("")

typedef struct bq {
    mt_pg_store *s;
    const char *v[3];
} bq;

/* A result is fetched whole (PQexecParams); the handle walks its rows. */
typedef struct bq_rows {
    PGresult *r;
    int row, n;
} bq_rows;

static int rows_open(void *ctx, const char *sql, void **rows)
{
    bq *q = ctx;
    PGresult *r;
    if (mt_pg_params(q->s, sql, 3, q->v, "botnet query", &r) != MT_OK) return MT_EIO;
    bq_rows *h = mt_xmalloc(sizeof *h);
    h->r = r;
    h->row = -1;
    h->n = PQntuples(r);
    *rows = h;
    return MT_OK;
}

static int rows_next(void *rows)
{
    bq_rows *h = rows;
    return ++h->row < h->n;
}

static char *rows_dup(void *rows, int col)
{
    bq_rows *h = rows;
    return mt_pg_dup(h->r, h->row, col);
}

static int64_t rows_i64(void *rows, int col)
{
    bq_rows *h = rows;
    return mt_pg_i64(h->r, h->row, col);
}

static void rows_close(void *rows)
{
    bq_rows *h = rows;
    PQclear(h->r);
    free(h);
}

int mt_pg_botnet_summary(mt_store *b, const mt_store_botnet_query *qq, mt_store_botnet_summary *out)
{
    mt_pg_store *s = S(b);
    char from[24], to[24];
    int64_t f = qq->from, t = qq->to;
    if (f == 0 && t == 0) {
        f = INT64_MIN;
        t = INT64_MAX;
    }
    snprintf(from, sizeof from, "%lld", (long long)f);
    snprintf(to, sizeof to, "%lld", (long long)t);
    mt_buf sens;
    mt_buf_init(&sens);
    mt_pg_text_array(&sens, qq->sensors.names, qq->sensors.n);
    bq q = {s, {from, to, mt_buf_cstr(&sens)}};
    mt_rowsrc src = {&q, rows_open, rows_next, rows_dup, rows_i64, rows_close, RC, RT, "$1", "$2"};
    int rc = mt_botnet_summary_run(&src, qq, out);
    mt_buf_free(&sens);
    return rc;
}
