/* OpenSSH's sshd messages in system logs: syslog auth.log and journal text.
 *
 * Line forms (the header before the message):
 *   RFC 3164     "Mar  3 10:00:00 host sshd[123]: msg" (rsyslog's traditional
 *                file format; journalctl's default "short": "Mar 03 ...";
 *                "short-precise" adds ".123456"), an optional "<pri>" first
 *   ISO 8601     "2024-03-03T10:00:00.123456+01:00 host sshd[123]: msg"
 *                (rsyslog's RSYSLOG_FileFormat; journalctl -o short-iso
 *                "2024-03-03T10:00:00+0100", short-iso-precise)
 * The program is sshd, or sshd-session / sshd-auth (OpenSSH 9.8 and later).
 * Lines of other programs are counted as unknown by program name; journal
 * markers ("-- Boot ... --", "-- No entries --") as "journal marker".
 *
 * RFC 3164 stamps have neither year nor zone. The zone: none is applied
 * (the stamp is the logging host's local time and is taken as UTC; the ISO
 * forms carry their offset). The year: mt_honey_opts.year when given, for
 * the first line, then one more each time the months run backwards (a
 * drop of two months or more, so that a line a second out of order across
 * a month end is not a new year). Otherwise it is inferred from the file's
 * modification time, the time its last line was written: begin() reads
 * the file once for its stamps, counts the year changes, and starts that
 * many years before the year of the modification time (one more if the
 * last stamp would lie more than a day after it). Standard input has no
 * modification time: the current time stands in for it, and the first
 * stamp decides (a stamp in the future belongs to last year).
 *
 * Messages read, and what they give (session = the sshd pid; a session's
 * child reports under its parent's pid: announced by "User child is on pid
 * N" at LogLevel VERBOSE, else the close with the address and port of an
 * accepted login; count = 1, or N for rsyslog's "message repeated N times:
 * [ msg]"):
 *   Failed password|keyboard-interactive/...|... for [invalid user ]U from IP port P ssh2
 *                                    -> MT_HE_LOGIN_FAILED (pass.p NULL: not logged)
 *   Accepted password|... for U from IP port P ssh2 -> MT_HE_LOGIN_SUCCESS
 *   Accepted publickey for U from IP port P ssh2: ED25519 SHA256:fp
 *                                    -> MT_HE_LOGIN_SUCCESS, key = SHA256:fp
 *   Failed publickey for U ... ssh2: RSA SHA256:fp
 *                                    -> MT_HE_KEY_OFFERED, key = fp, text = key type
 *   Connection from IP port P on IP port P -> MT_HE_CONNECT (LogLevel VERBOSE)
 *   Connection closed|reset by [invalid user U |authenticating user U |user U ]IP port P,
 *   Disconnected from ..., Disconnecting ...: reason, Received disconnect from IP port P:...,
 *   Timeout before authentication for IP port P
 *                                    -> MT_HE_CLOSED, once per session (OpenSSH logs
 *                                       "Received disconnect" and "Disconnected" for one)
 * Read without an event (each attempt was logged on its own line already):
 * "Invalid user U from IP port P", "Failed none for ...", "Postponed" and
 * "Partial" methods, "maximum authentication attempts exceeded for ...",
 * "PAM N more authentication failures". Other sshd lines are unknown
 * ("sshd: pam" for PAM module lines, "sshd: other"). A user name is
 * everything between "for " and the last " from IP port P ssh2" that
 * parses, so names with spaces (and sshd's \ooo escapes) survive. */
#include "ingest/authlog.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ingest/honey_lex.h"
#include "ingest/honey_reader.h"
#include "util/linereader.h"

#define CLOSED_RING 64
#define CHILD_RING 16

typedef struct child_map {
    uint32_t child;
    uint8_t n;
    char parent[11];
} child_map;

/* A logged-in connection: its session child closes it. */
typedef struct login_map {
    mt_addr src;
    uint16_t port;
    uint8_t n;
    char session[11];
} login_map;

typedef struct authlog {
    int start_year, year, prev_month;
    int lazy;           /* standard input: the first stamp decides the year */
    int64_t ref_secs;   /* ... against this time */
    uint32_t closed[CLOSED_RING];
    unsigned closed_i;
    child_map child[CHILD_RING];
    unsigned child_i;
    login_map login[CHILD_RING];
    unsigned login_i;
} authlog;

int mt_authlog_start_year(const void *state)
{
    return state ? ((const authlog *)state)->start_year : 0;
}

/* ---- the header ----------------------------------------------------------- */

typedef struct sl_head {
    int month, day;     /* RFC 3164; month 0 for ISO stamps (ts set) */
    int64_t day_secs, us;
    mt_time_us ts;
    mt_span host, prog, pid, msg;
} sl_head;

static int is_digit(char c) { return (unsigned)(unsigned char)c - '0' <= 9; }

static int parse_head(const char *p, size_t n, sl_head *h)
{
    const char *s = p, *e = p + n;
    if (s < e && *s == '<') { /* "<38>" as a raw syslog packet has it */
        const char *q = s + 1;
        while (q < e && q - s <= 4 && is_digit(*q)) q++;
        if (q == s + 1 || q >= e || *q != '>') return 0;
        s = q + 1;
    }
    if (s < e && is_digit(*s)) {
        size_t k = honey_iso_time(s, (size_t)(e - s), &h->ts);
        if (!k) return 0;
        s += k;
        h->month = 0;
    } else {
        int m = honey_month(s, (size_t)(e - s)), d = 0;
        if (!m || e - s < 4 || s[3] != ' ') return 0;
        s += 4;
        if (s < e && *s == ' ') s++;
        const char *ds = s;
        while (s < e && is_digit(*s) && s - ds < 2) d = d * 10 + (*s++ - '0');
        if (s == ds || d < 1 || d > 31 || s >= e || *s != ' ') return 0;
        s++;
        size_t k = honey_clock(s, (size_t)(e - s), &h->day_secs, &h->us);
        if (!k) return 0;
        s += k;
        h->month = m;
        h->day = d;
    }
    if (s >= e || *s != ' ') return 0;
    s++;
    const char *hs = s;
    while (s < e && *s != ' ') s++;
    if (s == hs || s >= e) return 0;
    h->host = (mt_span){hs, (size_t)(s - hs)};
    s++;
    const char *ts = s;
    while (s < e && *s != ':' && *s != ' ') s++;
    if (s == ts || s >= e || *s != ':') return 0;
    const char *te = s;
    h->pid = (mt_span){NULL, 0};
    if (te[-1] == ']') {
        const char *b = memchr(ts, '[', (size_t)(te - ts));
        if (!b || b == ts) return 0;
        h->pid = (mt_span){b + 1, (size_t)(te - 1 - (b + 1))};
        te = b;
    }
    h->prog = (mt_span){ts, (size_t)(te - ts)};
    s++;
    if (s < e && *s == ' ') s++;
    h->msg = (mt_span){s, (size_t)(e - s)};
    return 1;
}

static int is_sshd(mt_span prog)
{
    return (prog.n == 4 && memcmp(prog.p, "sshd", 4) == 0) ||
           (prog.n > 5 && memcmp(prog.p, "sshd-", 5) == 0);
}

static int64_t year_of(int64_t secs)
{
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int y, m, d;
    mt_civil_from_days(days, &y, &m, &d);
    return y;
}

/* The months ran backwards: a new year (see the top). */
static int year_turns(int prev, int month) { return prev && month < prev - 1; }

/* ---- begin: the start year ------------------------------------------------ */

static int stamp_after(int y, int m, int d, int64_t day_secs, int64_t ref)
{
    if (d > honey_days_in_month(y, m)) return 0;
    return honey_civil_secs(y, m, d, 0, 0, 0) + day_secs > ref + 86400;
}

static void infer_year(authlog *st, const char *path, const mt_honey_opts *o)
{
    struct stat sb;
    if (!path || strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st->lazy = 1;
        st->ref_secs = (int64_t)time(NULL);
        st->start_year = st->year = (int)year_of(st->ref_secs);
        return;
    }
    int64_t ref = (int64_t)sb.st_mtime;
    mt_linereader *lr = mt_lr_open(path, o ? o->max_line : 0);
    int turns = 0, prev = 0, lm = 0, ld = 0;
    int64_t lsecs = 0;
    if (lr) {
        char *line;
        size_t len;
        int too_long;
        sl_head h;
        while (mt_lr_next(lr, &line, &len, &too_long) == 1) {
            if (!parse_head(line, len, &h) || !h.month) continue;
            turns += year_turns(prev, h.month);
            prev = lm = h.month;
            ld = h.day;
            lsecs = h.day_secs;
        }
        mt_lr_close(lr);
    }
    int end = (int)year_of(ref);
    if (lm && stamp_after(end, lm, ld, lsecs, ref)) end--;
    st->start_year = st->year = end - turns;
}

static void *al_begin(const char *path, const mt_honey_opts *o)
{
    if (o && (o->year < 0 || o->year > 9999)) {
        mt_error_set(MT_EINVAL, "year %d out of range (1..9999)", o->year);
        return NULL;
    }
    authlog *st = mt_xcalloc(1, sizeof *st);
    if (o && o->year > 0) st->start_year = st->year = o->year;
    else infer_year(st, path, o);
    return st;
}

static void al_end(void *state) { free(state); }

/* ---- message pieces ------------------------------------------------------- */

static int starts(const char *s, const char *e, const char *lit, size_t k)
{
    return (size_t)(e - s) >= k && memcmp(s, lit, k) == 0;
}
#define STARTS(s, e, lit) starts((s), (e), (lit), sizeof(lit) - 1)

static int ends(const char *s, const char *e, const char *lit, size_t k)
{
    return (size_t)(e - s) >= k && memcmp(e - k, lit, k) == 0;
}
#define ENDS(s, e, lit) ends((s), (e), (lit), sizeof(lit) - 1)

/* The last occurrence of lit that starts before q and ends by e. */
static const char *rfind(const char *s, const char *q, const char *e, const char *lit, size_t k)
{
    if ((size_t)(e - s) < k) return NULL;
    const char *x = q;
    if (x > e - k) x = e - k + 1;
    while (x > s) {
        x--;
        if (*x == lit[0] && memcmp(x, lit, k) == 0) return x;
    }
    return NULL;
}

static const char *digits_end(const char *p, const char *e)
{
    while (p < e && is_digit(*p)) p++;
    return p;
}

/* "IP port P" at s: returns what follows P, NULL when it is not there. */
static const char *ip_port(const char *s, const char *e, mt_addr *ip, uint16_t *port)
{
    const char *sp = s;
    while (sp < e && *sp != ' ') sp++;
    if (!honey_addr(s, sp, ip)) return NULL;
    if (!STARTS(sp, e, " port ")) return NULL;
    const char *d = sp + 6, *de = digits_end(d, e);
    if (!honey_port(d, de, port)) return NULL;
    return de;
}

/* "... from IP port P[ ssh2][: extra][ [preauth]]" as the end of [s, e):
 * the rightmost " from " after which the rest parses. *user_end gets where
 * the " from " starts; extra the text after ": ". Old sshd wrote
 * "Invalid user U from IP" without a port: accepted when allow_bare. */
static int from_tail(const char *s, const char *e, int allow_bare, const char **user_end,
                     mt_addr *ip, uint16_t *port, mt_span *extra)
{
    const char *q = e;
    if (ENDS(s, e, " [preauth]")) e -= 10;
    while ((q = rfind(s, q, e, " from ", 6)) != NULL) {
        const char *a = q + 6;
        *port = 0;
        *extra = (mt_span){NULL, 0};
        const char *r = ip_port(a, e, ip, port);
        if (!r && allow_bare && honey_addr(a, e, ip)) r = e;
        if (!r) continue;
        if (STARTS(r, e, " ssh2")) r += 5;
        if (r == e) {
            *user_end = q;
            return 1;
        }
        if (STARTS(r, e, ": ")) {
            *extra = (mt_span){r + 2, (size_t)(e - r - 2)};
            *user_end = q;
            return 1;
        }
    }
    return 0;
}

/* "[invalid user U |authenticating user U |user U ]IP port P..." after a
 * close prefix: the address is the token before the last " port P" that
 * ends the message or is followed by ':' (Disconnecting's reason) or ' '. */
static int close_tail(const char *s, const char *e, mt_addr *ip, uint16_t *port)
{
    if (ENDS(s, e, " [preauth]")) e -= 10;
    int qualified = STARTS(s, e, "invalid user ") || STARTS(s, e, "authenticating user ") ||
                    STARTS(s, e, "user ");
    if (!qualified) return ip_port(s, e, ip, port) != NULL;
    const char *q = e;
    while ((q = rfind(s, q, e, " port ", 6)) != NULL) {
        const char *d = q + 6, *de = digits_end(d, e);
        if (!honey_port(d, de, port) || (de < e && *de != ':' && *de != ' ')) continue;
        const char *a = q;
        while (a > s && a[-1] != ' ') a--;
        if (honey_addr(a, q, ip)) return 1;
    }
    return 0;
}

/* The key fingerprint in "ED25519 SHA256:..." (or an MD5: one); type = the
 * first word. */
static void key_of(mt_span extra, mt_span *type, mt_span *fp)
{
    *type = *fp = (mt_span){NULL, 0};
    if (!extra.p) return;
    const char *s = extra.p, *e = extra.p + extra.n;
    const char *sp = memchr(s, ' ', extra.n);
    *type = (mt_span){s, sp ? (size_t)(sp - s) : extra.n};
    for (const char *t = s; t < e;) {
        const char *te = memchr(t, ' ', (size_t)(e - t));
        if (!te) te = e;
        if (STARTS(t, te, "SHA256:") || STARTS(t, te, "MD5:")) {
            *fp = (mt_span){t, (size_t)(te - t)};
            return;
        }
        t = te + 1;
    }
}

static uint32_t pid_num(mt_span pid)
{
    if (pid.n == 0 || pid.n > 10) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < pid.n; i++) {
        if (!is_digit(pid.p[i])) return 0;
        v = v * 10 + (uint64_t)(pid.p[i] - '0');
    }
    return v > UINT32_MAX ? 0 : (uint32_t)v;
}

/* One CLOSED per session: 1 the first time a pid closes. */
static int first_close(authlog *st, uint32_t pid)
{
    if (!pid) return 1;
    for (unsigned i = 0; i < CLOSED_RING; i++)
        if (st->closed[i] == pid) return 0;
    st->closed[st->closed_i++ % CLOSED_RING] = pid;
    return 1;
}

/* ---- the line ------------------------------------------------------------- */

static int unknown(char *unk, size_t cap, const char *name, size_t n)
{
    mt_memlcpy(unk, cap, name, n);
    return MT_ENOTFOUND;
}
#define UNKNOWN(lit) unknown(unk, unk_cap, (lit), sizeof(lit) - 1)

static int al_line(void *state, const char *line, size_t n, const mt_honey_sink *to, char *unk,
                   size_t unk_cap)
{
    authlog *st = state;
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
    if (k == n) return UNKNOWN("blank line");
    if (STARTS(line, line + n, "-- ")) return UNKNOWN("journal marker");
    while (n > 0 && line[n - 1] == '\r') n--;
    sl_head h;
    if (!parse_head(line, n, &h)) return MT_EINVAL;

    mt_honey_event ev;
    memset(&ev, 0, sizeof ev);
    if (h.month) {
        if (st->lazy) {
            int y = (int)year_of(st->ref_secs);
            if (stamp_after(y, h.month, h.day, h.day_secs, st->ref_secs)) y--;
            st->start_year = st->year = y;
            st->lazy = 0;
        } else if (year_turns(st->prev_month, h.month) && st->year <= 9999) {
            st->year++;
        }
        st->prev_month = h.month;
        if (st->year > 9999 || h.day > honey_days_in_month(st->year, h.month)) return MT_EINVAL;
        ev.ts = (honey_civil_secs(st->year, h.month, h.day, 0, 0, 0) + h.day_secs) * 1000000 + h.us;
    } else {
        ev.ts = h.ts;
    }
    if (!is_sshd(h.prog)) return unknown(unk, unk_cap, h.prog.p, h.prog.n);

    uint32_t pid = pid_num(h.pid);
    ev.session = h.pid;
    for (unsigned i = 0; pid && i < CHILD_RING; i++)
        if (st->child[i].child == pid) {
            ev.session = (mt_span){st->child[i].parent, st->child[i].n};
            break;
        }
    ev.sensor = h.host;
    ev.protocol = MT_HP_SSH;
    ev.count = 1;
    ev.duration_ms = -1;

    const char *s = h.msg.p, *e = h.msg.p + h.msg.n;
    if (STARTS(s, e, "message repeated ")) {
        const char *d = s + 17, *de = digits_end(d, e);
        uint64_t c = 0;
        for (const char *x = d; x < de && c <= UINT32_MAX; x++) c = c * 10 + (uint64_t)(*x - '0');
        if (de == d || c == 0 || c > UINT32_MAX || !STARTS(de, e, " times: [") || e[-1] != ']')
            return MT_EINVAL;
        ev.count = (uint32_t)c;
        s = de + 9;
        e--;
        if (s < e && *s == ' ') s++;
    }

    int failed = STARTS(s, e, "Failed "), accepted = STARTS(s, e, "Accepted ");
    if (failed || accepted || STARTS(s, e, "Postponed ") || STARTS(s, e, "Partial ")) {
        const char *m = s + (failed ? 7 : accepted ? 9 : STARTS(s, e, "Partial ") ? 8 : 10);
        const char *me = m;
        while (me < e && *me != ' ') me++;
        if (me == m || !STARTS(me, e, " for ")) {
            /* "Accepted key ED25519 SHA256:... found at ..." (VERBOSE): the
             * key matched; the "Accepted publickey" line follows. */
            if (accepted && STARTS(s, e, "Accepted key ")) return MT_OK;
            return MT_EINVAL;
        }
        mt_span method = {m, (size_t)(me - m)};
        const char *u = me + 5, *ue;
        mt_span extra;
        if (!from_tail(u, e, 0, &ue, &ev.src, &ev.src_port, &extra)) return MT_EINVAL;
        if (STARTS(u, ue, "invalid user ")) u += 13;
        if (!failed && !accepted) return MT_OK;
        ev.user = (mt_span){u, (size_t)(ue - u)};
        int pubkey = method.n == 9 && memcmp(method.p, "publickey", 9) == 0;
        if (method.n == 4 && memcmp(method.p, "none", 4) == 0) return MT_OK;
        mt_span type, fp;
        if (pubkey) key_of(extra, &type, &fp);
        if (failed && pubkey) {
            ev.type = MT_HE_KEY_OFFERED;
            ev.key = fp;
            ev.text = type;
        } else {
            ev.type = failed ? MT_HE_LOGIN_FAILED : MT_HE_LOGIN_SUCCESS;
            if (pubkey) ev.key = fp;
        }
        if (accepted && ev.session.n) {
            login_map *l = &st->login[st->login_i++ % CHILD_RING];
            l->src = ev.src;
            l->port = ev.src_port;
            l->n = (uint8_t)(ev.session.n < sizeof l->session ? ev.session.n : sizeof l->session);
            memcpy(l->session, ev.session.p, l->n);
        }
        to->event(to->ctx, &ev);
        return MT_OK;
    }
    if (STARTS(s, e, "Invalid user ")) {
        const char *ue;
        mt_span extra;
        return from_tail(s + 13, e, 1, &ue, &ev.src, &ev.src_port, &extra) ? MT_OK : MT_EINVAL;
    }
    if (STARTS(s, e, "error: maximum authentication attempts exceeded for ")) {
        const char *ue;
        mt_span extra;
        return from_tail(s + 52, e, 0, &ue, &ev.src, &ev.src_port, &extra) ? MT_OK : MT_EINVAL;
    }
    if (STARTS(s, e, "PAM ") && (digits_end(s + 4, e) > s + 4 || STARTS(s, e, "PAM service(")))
        return MT_OK;
    if (STARTS(s, e, "Connection from ")) {
        mt_addr dst;
        uint16_t dport;
        const char *r = ip_port(s + 16, e, &ev.src, &ev.src_port);
        if (!r || !STARTS(r, e, " on ") || !(r = ip_port(r + 4, e, &dst, &dport))) return MT_EINVAL;
        ev.type = MT_HE_CONNECT;
        ev.dst_port = dport;
        to->event(to->ctx, &ev);
        return MT_OK;
    }
    static const struct {
        const char *lit;
        size_t n;
    } closes[] = {
        {"Connection closed by ", 21}, {"Connection reset by ", 20}, {"Disconnected from ", 18},
        {"Disconnecting ", 14}, {"Received disconnect from ", 25},
        {"Timeout before authentication for ", 34},
    };
    for (size_t i = 0; i < sizeof closes / sizeof closes[0]; i++) {
        if (!starts(s, e, closes[i].lit, closes[i].n)) continue;
        const char *a = s + closes[i].n;
        int ok = i >= 4 ? ip_port(a, e, &ev.src, &ev.src_port) != NULL
                        : close_tail(a, e, &ev.src, &ev.src_port);
        if (!ok) return MT_EINVAL;
        /* At LogLevel INFO no "User child is on pid" line tells whose
         * child closes a logged-in connection: its address and port do. */
        for (unsigned j = 0; ev.session.p == h.pid.p && j < CHILD_RING; j++) {
            login_map *l = &st->login[j];
            if (l->n && l->port == ev.src_port && mt_addr_eq(&l->src, &ev.src)) {
                ev.session = (mt_span){l->session, l->n};
                break;
            }
        }
        if (first_close(st, pid)) {
            ev.type = MT_HE_CLOSED;
            to->event(to->ctx, &ev);
        }
        return MT_OK;
    }
    if (STARTS(s, e, "User child is on pid ")) {
        const char *d = s + 21, *de = digits_end(d, e);
        uint32_t child = pid_num((mt_span){d, (size_t)(de - d)});
        if (!child || de != e) return MT_EINVAL;
        child_map *c = &st->child[st->child_i++ % CHILD_RING];
        c->child = child;
        c->n = (uint8_t)(ev.session.n < sizeof c->parent ? ev.session.n : sizeof c->parent);
        if (c->n) memcpy(c->parent, ev.session.p, c->n);
        return MT_OK;
    }
    if (STARTS(s, e, "pam_")) return UNKNOWN("sshd: pam");
    return UNKNOWN("sshd: other");
}

/* ---- probe ---------------------------------------------------------------- */

static int al_probe(const char *head, size_t n)
{
    const char *p = head, *end = head + n;
    int syslog = 0, other = 0, sshd = 0;
    while (p < end && syslog + other < 64) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!nl && syslog + other > 0) break; /* a cut last line */
        sl_head h;
        if (len == 0 || STARTS(p, p + len, "-- ")) {
            /* journal markers and blank lines say nothing */
        } else if (parse_head(p, len, &h)) {
            syslog++;
            sshd += is_sshd(h.prog);
        } else {
            other++;
        }
        if (!nl) break;
        p = nl + 1;
    }
    if (syslog == 0 || syslog * 2 < syslog + other) return 0;
    return sshd ? 90 : 30;
}

const mt_honey_reader mt_honey_reader_authlog = {
    .name = "authlog",
    .probe = al_probe,
    .begin = al_begin,
    .line = al_line,
    .document = NULL,
    .end = al_end,
};
