/* The botnet study's aggregates, one set of SQL for both backends
 * (docs/STORE.md defines them); each backend runs it through an
 * mt_rowsrc. */
#include "store/botnet_summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "minetrace/common.h"

#define JOIN(t) " JOIN campaigns c ON c.sensor = " t ".sensor AND c.campaign = " t ".campaign"

/* Grow an array by one element when full. */
#define PUSH(arr, n, cap)                                      \
    do {                                                       \
        if ((n) == (cap)) {                                    \
            (cap) = (cap) ? 2 * (cap) : 16;                    \
            (arr) = mt_xrealloc((arr), (cap) * sizeof *(arr)); \
        }                                                      \
    } while (0)

/* `fmt` with the range condition(s) in place, then LIMIT n unless n is 0. */
static void sql_of(char *sql, size_t cap, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void sql_of(char *sql, size_t cap, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(sql, cap, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k + 32 > cap) abort(); /* the queries here fit: a programming error */
    if (n) snprintf(sql + k, cap - (size_t)k, " LIMIT %zu", n);
}

/* The first row's first n columns (0 when there is no row). */
static int one_row(const mt_rowsrc *src, const char *sql, uint64_t *v, int n)
{
    void *r;
    if (src->open(src->ctx, sql, &r) != MT_OK) return MT_EIO;
    int st = src->next(r);
    for (int i = 0; i < n; i++) v[i] = st == 1 ? (uint64_t)src->i64(r, i) : 0;
    src->close(r);
    return st < 0 ? MT_EIO : MT_OK;
}

/* Every row of `sql` to `row`. */
typedef void (*row_fn)(const mt_rowsrc *src, void *r, mt_store_botnet_summary *out, size_t *cap);
static int each_row(const mt_rowsrc *src, const char *sql, row_fn row, mt_store_botnet_summary *out)
{
    void *r;
    if (src->open(src->ctx, sql, &r) != MT_OK) return MT_EIO;
    size_t cap = 0;
    int st;
    while ((st = src->next(r)) == 1) row(src, r, out, &cap);
    src->close(r);
    return st < 0 ? MT_EIO : MT_OK;
}

static void campaign_row(const mt_rowsrc *src, void *r, mt_store_botnet_summary *out, size_t *cap)
{
    PUSH(out->rows, out->nrows, *cap);
    mt_store_campaign_row *x = &out->rows[out->nrows++];
    x->sensor = src->dup(r, 0);
    x->id = src->dup(r, 1);
    x->family = src->dup(r, 2);
    x->reason = src->dup(r, 3);
    x->mining = (int)src->i64(r, 4);
    x->sources = (uint64_t)src->i64(r, 5);
    x->sessions = (uint64_t)src->i64(r, 6);
    x->events = (uint64_t)src->i64(r, 7);
    x->peak_active = (uint64_t)src->i64(r, 8);
    x->scanned = (uint64_t)src->i64(r, 9);
    x->port22_open = (uint64_t)src->i64(r, 10);
    x->iot = (uint64_t)src->i64(r, 11);
    x->iot_unknown = (uint64_t)src->i64(r, 12);
    x->geo_unknown = (uint64_t)src->i64(r, 13);
    x->first_seen = src->i64(r, 14);
    x->last_seen = src->i64(r, 15);
    x->peak_day = src->dup(r, 16);
    x->marker_type = src->dup(r, 17);
    x->marker = src->dup(r, 18);
}

static int campaigns(const mt_rowsrc *src, const mt_store_botnet_query *qq,
                     mt_store_botnet_summary *out)
{
    char sql[1024];
    sql_of(sql, sizeof sql, qq->top_campaigns,
           "SELECT sensor, campaign, family, reason, mining, sources, sessions, events, "
           "peak_active, scanned,"
           " port22_open, iot, iot_unknown, geo_unknown, first_seen, last_seen, peak_day, "
           "marker_type, marker"
           " FROM campaigns c WHERE %s ORDER BY mining DESC, sources DESC, sessions DESC, "
           "campaign, sensor",
           src->rc);
    return each_row(src, sql, campaign_row, out);
}

static void day_row(const mt_rowsrc *src, void *r, mt_store_botnet_summary *out, size_t *cap)
{
    PUSH(out->days, out->ndays, *cap);
    mt_store_botnet_day *dd = &out->days[out->ndays++];
    dd->day = src->i64(r, 0);
    dd->active = (uint64_t)src->i64(r, 1);
    if (dd->active > out->peak_active || out->peak_day < 0) {
        out->peak_active = dd->active;
        out->peak_day = dd->day;
    }
}

/* Active sources per day of the mining campaigns: the engine's distinct
 * active members per campaign and day, summed over the campaigns. */
static int days(const mt_rowsrc *src, mt_store_botnet_summary *out)
{
    char sql[1024];
    sql_of(sql, sizeof sql, 0,
           "SELECT d.day, sum(d.active) FROM campaign_days d" JOIN(
               "d") " WHERE c.mining = 1 AND %s AND (d.day + 1) * 86400000000 > %s"
                    " AND d.day * 86400000000 < %s GROUP BY d.day ORDER BY d.day",
           src->rc, src->from, src->to);
    return each_row(src, sql, day_row, out);
}

static void country_row(const mt_rowsrc *src, void *r, mt_store_botnet_summary *out, size_t *cap)
{
    PUSH(out->countries, out->ncountries, *cap);
    out->countries[out->ncountries].code = src->dup(r, 0);
    out->countries[out->ncountries++].sources = (uint64_t)src->i64(r, 1);
}

static int countries(const mt_rowsrc *src, const mt_store_botnet_query *qq,
                     mt_store_botnet_summary *out)
{
    char sql[1024];
    uint64_t v[1];
    sql_of(sql, sizeof sql, 0,
           "SELECT count(DISTINCT k.country) FROM campaign_countries k" JOIN(
               "k") " WHERE c.mining = 1 AND %s",
           src->rc);
    if (one_row(src, sql, v, 1)) return MT_EIO;
    out->distinct_countries = v[0];
    sql_of(sql, sizeof sql, qq->top_countries,
           "SELECT k.country, sum(k.sources) FROM campaign_countries k" JOIN(
               "k") " WHERE c.mining = 1 AND %s GROUP BY k.country ORDER BY 2 DESC, 1",
           src->rc);
    return each_row(src, sql, country_row, out);
}

static void cred_row(const mt_rowsrc *src, void *r, mt_store_botnet_summary *out, size_t *cap)
{
    PUSH(out->credentials, out->ncredentials, *cap);
    mt_store_botnet_cred *c = &out->credentials[out->ncredentials++];
    c->username = src->dup(r, 0);
    c->password = src->dup(r, 1);
    c->attempts = (uint64_t)src->i64(r, 2);
    c->sources = (uint64_t)src->i64(r, 3);
    c->days = (uint64_t)src->i64(r, 4);
    c->first_seen = src->i64(r, 5);
    c->last_seen = src->i64(r, 6);
}

static int credentials(const mt_rowsrc *src, const mt_store_botnet_query *qq,
                       mt_store_botnet_summary *out)
{
    char sql[1024];
    uint64_t v[1];
    sql_of(
        sql, sizeof sql, 0,
        "SELECT count(*) FROM (SELECT 1 FROM credentials WHERE %s GROUP BY username, password) x",
        src->rt);
    if (one_row(src, sql, v, 1)) return MT_EIO;
    out->distinct_credentials = v[0];
    sql_of(sql, sizeof sql, qq->top_credentials,
           "SELECT username, password, sum(attempts), sum(sources), max(days), min(first_seen), "
           "max(last_seen)"
           " FROM credentials WHERE %s GROUP BY username, password ORDER BY 3 DESC, 4 DESC, 1, 2",
           src->rt);
    return each_row(src, sql, cred_row, out);
}

int mt_botnet_summary_run(const mt_rowsrc *src, const mt_store_botnet_query *qq,
                          mt_store_botnet_summary *out)
{
    char sql[1024];
    uint64_t v[8];
    out->peak_day = -1;
    sql_of(sql, sizeof sql, 0,
           "SELECT count(*), coalesce(sum(mining), 0), coalesce(sum(mining * sources), 0),"
           " coalesce(sum(mining * geo_unknown), 0), coalesce(sum(mining * scanned), 0),"
           " coalesce(sum(mining * port22_open), 0), coalesce(sum(mining * iot), 0),"
           " coalesce(sum(mining * iot_unknown), 0) FROM campaigns c WHERE %s",
           src->rc);
    if (one_row(src, sql, v, 8)) return MT_EIO;
    out->campaigns = v[0];
    out->mining_campaigns = v[1];
    out->members = v[2];
    out->geo_unknown = v[3];
    out->scanned = v[4];
    out->port22_open = v[5];
    out->iot = v[6];
    out->iot_unknown = v[7];
    sql_of(sql, sizeof sql, 0,
           "SELECT count(DISTINCT m.ip) FROM campaign_members m" JOIN(
               "m") " WHERE c.mining = 1 AND %s",
           src->rc);
    if (one_row(src, sql, v, 1)) return MT_EIO;
    out->zombies = v[0];
    sql_of(sql, sizeof sql, 0, "SELECT count(*) FROM botnet_sources WHERE %s", src->rt);
    if (one_row(src, sql, v, 1)) return MT_EIO;
    out->botnet_sources = v[0];
    if (campaigns(src, qq, out) || days(src, out) || countries(src, qq, out) ||
        credentials(src, qq, out))
        return MT_EIO;
    return MT_OK;
}
