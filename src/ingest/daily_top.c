/* Cowrie daily top-N aggregates (deroux/longitudinal-analysis-cowrie's
 * cowralyze output): a JSON array of sensor-days
 *
 *   {"date": "2021-06-16", "sensor": "...",
 *    "passwords": [{"username", "password", "count"}],
 *    "commands": [{"input", "count"}], "pre_disconnect_command": [...],
 *    "connect": [{"src_ip", "dst_port", "count"}],
 *    "session_closed": [{"src_ip", "robot", "count"}],
 *    "file_download": [{"url" (or null), "outfile", "scans", "count"}],
 *    "file_upload": [{"filename", "src_ip"?, "count"}],
 *    "proxy_request": [{"src_ip", "dst_ip", "dst_port", "count"}]}
 *
 * possibly with arrays of days nested inside the array (a merged file has
 * them) and days holding only some lists. Each list entry is one record and
 * one event: time stamp the day at 00:00 UTC, count the aggregate count,
 * MT_HEF_NOSRC unless the entry names its source. A last command before
 * disconnecting that the same day's command list already counts is read
 * but not delivered again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"
#include "util/json.h"

/* A day's pre-disconnect command is looked for among this many of the
 * day's commands (top lists hold 5; a hostile list costs no more). */
#define DEDUP_WINDOW 64

typedef enum dt_list {
    L_PASSWORDS, L_COMMANDS, L_PRE_DISCONNECT, L_CONNECT, L_CLOSED, L_DOWNLOAD, L_UPLOAD,
    L_PROXY, L_N
} dt_list;

enum { D_DATE = L_N, D_SENSOR, D_N };
static const char *const day_names[D_N] = {
    "passwords", "commands", "pre_disconnect_command", "connect", "session_closed",
    "file_download", "file_upload", "proxy_request", "date", "sensor",
};

enum { E_USERNAME, E_PASSWORD, E_COUNT, E_INPUT, E_SRC_IP, E_DST_IP, E_DST_PORT, E_URL,
       E_OUTFILE, E_FILENAME, E_SHASUM, E_N };
static const char *const entry_names[E_N] = {
    "username", "password", "count", "input", "src_ip", "dst_ip", "dst_port", "url",
    "outfile", "filename", "shasum",
};

static mt_honey_fields day_fields, entry_fields;

typedef struct dt_state {
    char path[512];
} dt_state;

typedef struct dt_day {
    mt_time_us ts;
    int ts_ok;
    mt_span sensor;
    int commands; /* token of the day's command list, or -1 */
} dt_day;

static int same_text(const mt_jr_doc *d, int a, int b, mt_honey_arena *ar)
{
    size_t keep = ar->used;
    mt_span x = {0}, y = {0};
    int same = mt_honey_jtext(d, a, ar, &x) == 1 && mt_honey_jtext(d, b, ar, &y) == 1 &&
               x.n == y.n && memcmp(x.p, y.p, x.n) == 0;
    ar->used = keep;
    return same;
}

/* One list entry. MT_OK (delivered or deliberately not), MT_EINVAL. */
static int read_entry(const mt_jr_doc *d, int e, dt_list list, const dt_day *day,
                      mt_honey_arena *a, const mt_honey_sink *to)
{
    if (!mt_jr_is(d, e, MT_JR_OBJECT) || !day->ts_ok) return MT_EINVAL;
    int f[E_N];
    mt_honey_fields_find(&entry_fields, d, e, f);
    a->used = 0;
    uint64_t count;
    if (mt_honey_juint(d, f[E_COUNT], UINT32_MAX, &count) != 1 || count == 0) return MT_EINVAL;
    mt_honey_event ev;
    mt_honey_event_init(&ev, MT_HE_CONNECT);
    ev.ts = day->ts;
    ev.sensor = day->sensor;
    ev.count = (uint32_t)count;
    mt_span ip = {0};
    int r = mt_honey_jtext(d, f[E_SRC_IP], a, &ip);
    if (r < 0 || (r == 1 && mt_honey_addr(ip.p, ip.n, &ev.src) != MT_OK)) return MT_EINVAL;
    if (r == 0) ev.flags |= MT_HEF_NOSRC;
    uint64_t port;
    r = mt_honey_juint(d, f[E_DST_PORT], 65535, &port);
    if (r < 0) return MT_EINVAL;
    if (r == 1) ev.dst_port = (uint16_t)port;

    switch (list) {
    case L_PASSWORDS:
        /* Attempts, successful or not: the aggregate does not say. */
        ev.type = MT_HE_LOGIN_FAILED;
        if (mt_honey_jtext(d, f[E_USERNAME], a, &ev.user) != 1) return MT_EINVAL;
        if (mt_honey_jtext(d, f[E_PASSWORD], a, &ev.pass) < 0) return MT_EINVAL;
        break;
    case L_COMMANDS:
    case L_PRE_DISCONNECT:
        ev.type = MT_HE_COMMAND;
        if (!mt_jr_is(d, f[E_INPUT], MT_JR_STRING) || mt_honey_jtext(d, f[E_INPUT], a, &ev.text) != 1)
            return MT_EINVAL;
        if (list == L_PRE_DISCONNECT && day->commands >= 0) {
            int k = 0;
            for (int c = mt_jr_first(d, day->commands); c >= 0 && k < DEDUP_WINDOW;
                 c = mt_jr_next(d, day->commands, c), k++)
                if (mt_jr_is(d, c, MT_JR_OBJECT) &&
                    same_text(d, mt_jr_get(d, c, "input"), f[E_INPUT], a))
                    return MT_OK; /* counted by the day's command list */
        }
        break;
    case L_CONNECT:
        if (ev.flags & MT_HEF_NOSRC) return MT_EINVAL; /* a connect list is by source */
        ev.type = MT_HE_CONNECT;
        break;
    case L_CLOSED:
        ev.type = MT_HE_CLOSED;
        break;
    case L_DOWNLOAD:
    case L_UPLOAD: {
        ev.type = list == L_DOWNLOAD ? MT_HE_DOWNLOAD : MT_HE_UPLOAD;
        mt_span url = {0}, outfile = {0};
        if (mt_honey_jtext(d, f[E_URL], a, &url) < 0 ||
            mt_honey_jtext(d, f[E_OUTFILE], a, &outfile) < 0 ||
            mt_honey_jtext(d, f[E_SHASUM], a, &ev.sha256) < 0 ||
            mt_honey_jtext(d, f[E_FILENAME], a, &ev.path) < 0)
            return MT_EINVAL;
        mt_honey_download(&ev, url, outfile, (mt_span){0});
        if (!ev.url.n && !ev.path.n && !ev.sha256.n) return MT_EINVAL;
        break;
    }
    case L_PROXY:
        ev.type = MT_HE_TCPIP;
        ev.protocol = MT_HP_SSH;
        if (mt_honey_jtext(d, f[E_DST_IP], a, &ev.text) != 1) return MT_EINVAL;
        break;
    case L_N:
        return MT_EINVAL;
    }
    to->event(to->ctx, &ev);
    return MT_OK;
}

static void count_skipped(mt_honey_jdoc *j, int v, int malformed, const char *name,
                          mt_ingest_stats *st)
{
    const mt_jr_doc *d = &j->d;
    size_t cnt = mt_jr_is(d, v, MT_JR_ARRAY) ? mt_jr_count(d, v) : 1;
    uint64_t ln = mt_honey_line_at(&j->lines, d->tok[v].start);
    for (size_t i = 0; i < cnt; i++) {
        st->records++;
        if (malformed) mt_ingest_note_malformed(st, ln);
        else mt_ingest_note_unknown(st, name);
    }
}

static void read_day(mt_honey_jdoc *j, int o, const mt_honey_sink *to, mt_ingest_stats *st)
{
    const mt_jr_doc *d = &j->d;
    int f[D_N];
    mt_honey_fields_find(&day_fields, d, o, f);
    dt_day day = {0, 0, {0}, -1};
    j->arena.used = 0;
    mt_span date = {0};
    if (mt_jr_is(d, f[D_DATE], MT_JR_STRING) && mt_honey_jtext(d, f[D_DATE], &j->arena, &date) == 1 &&
        date.n == 10 && mt_honey_time(date.p, date.n, &day.ts) == MT_OK)
        day.ts_ok = 1;
    if (mt_honey_jtext(d, f[D_SENSOR], &j->arena, &day.sensor) < 0) day.sensor = (mt_span){0};
    if (mt_jr_is(d, f[L_COMMANDS], MT_JR_ARRAY)) day.commands = f[L_COMMANDS];
    /* The sensor's bytes stay put across entries: the arena is reset per
     * entry, so a decoded sensor name is kept apart at its start. */
    size_t base = j->arena.used;
    mt_honey_arena ea = {j->arena.p + base, j->arena.cap - base, 0};

    for (int k = mt_jr_first(d, o); k >= 0; k = mt_jr_next(d, o, k)) {
        int v = k + 1, li = -1;
        for (int i = 0; i < D_N; i++)
            if (f[i] == v) { li = i; break; }
        if (li == D_DATE || li == D_SENSOR) continue;
        if (li < 0) { /* a list this version does not read, by name */
            char name[40];
            mt_span key = {0};
            size_t keep = ea.used;
            if (mt_honey_jtext(d, k, &ea, &key) != 1) key = (mt_span){"", 0};
            mt_honey_name(name, sizeof name, key.p, key.n);
            ea.used = keep;
            count_skipped(j, v, 0, name[0] ? name : "unknown", st);
            continue;
        }
        if (mt_jr_is(d, v, MT_JR_NULL)) continue;
        if (!mt_jr_is(d, v, MT_JR_ARRAY)) {
            count_skipped(j, v, 1, NULL, st);
            continue;
        }
        for (int e = mt_jr_first(d, v); e >= 0; e = mt_jr_next(d, v, e)) {
            st->records++;
            if (read_entry(d, e, (dt_list)li, &day, &ea, to) == MT_OK) st->used++;
            else mt_ingest_note_malformed(st, mt_honey_line_at(&j->lines, d->tok[e].start));
        }
    }
}

/* Days, and arrays of days, in order. The parser's depth limit bounds the
 * recursion. */
static void read_days(mt_honey_jdoc *j, int arr, const mt_honey_sink *to, mt_ingest_stats *st)
{
    const mt_jr_doc *d = &j->d;
    for (int e = mt_jr_first(d, arr); e >= 0; e = mt_jr_next(d, arr, e)) {
        if (mt_jr_is(d, e, MT_JR_OBJECT)) {
            read_day(j, e, to, st);
        } else if (mt_jr_is(d, e, MT_JR_ARRAY)) {
            read_days(j, e, to, st);
        } else {
            st->records++;
            mt_ingest_note_malformed(st, mt_honey_line_at(&j->lines, d->tok[e].start));
        }
    }
}

static int dt_document(void *state, const char *buf, size_t n, const mt_honey_sink *to,
                       mt_ingest_stats *st)
{
    dt_state *s = state;
    mt_honey_jdoc j;
    if (mt_honey_jdoc_parse(&j, s->path, buf, n, MT_JR_ARRAY, "an array of daily aggregates", st) !=
        MT_OK) {
        mt_honey_jdoc_end(&j, s->path, st);
        return MT_EINVAL;
    }
    read_days(&j, 0, to, st);
    return mt_honey_jdoc_end(&j, s->path, st);
}

/* `[`, then a day object (or arrays of them) with a date and a sensor. */
static int dt_probe(const char *head, size_t n)
{
    size_t i = 0;
    int brackets = 0;
    for (; i < n; i++) {
        char c = head[i];
        if (c == '[') brackets++;
        else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    }
    if (brackets == 0 || i >= n || head[i] != '{') return 0;
    if (!mt_honey_has(head, n, "\"date\"") || !mt_honey_has(head, n, "\"sensor\"")) return 0;
    static const char *const lists[] = {"\"passwords\"", "\"commands\"", "\"connect\"",
                                        "\"session_closed\"", "\"file_download\""};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        if (mt_honey_has(head, n, lists[k])) return 90;
    return 40;
}

static void *dt_begin(const char *path, const mt_honey_opts *o)
{
    (void)o;
    if (!day_fields.n) {
        mt_honey_fields_init(&day_fields, day_names, D_N);
        mt_honey_fields_init(&entry_fields, entry_names, E_N);
    }
    dt_state *s = mt_xcalloc(1, sizeof *s);
    mt_strlcpy(s->path, path, sizeof s->path);
    return s;
}

static void dt_end(void *state) { free(state); }

const mt_honey_reader mt_honey_reader_daily_top = {
    .name = "daily-top",
    .probe = dt_probe,
    .begin = dt_begin,
    .line = NULL,
    .document = dt_document,
    .end = dt_end,
};
