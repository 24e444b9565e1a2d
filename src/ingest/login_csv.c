/* The killchain login-attempt feed (CyDefOps project-killchain
 * iocs-14d.csv): one SSH login attempt per line,
 *
 *   ts,src_ip,client_version,hassh,username,password,status
 *
 * no header, no quoting, no time zone (the stamps are taken as UTC), status
 * "succeeded" or "failed". Nothing in a field is escaped, so a comma may sit
 * in the client version (TLS ClientHellos and RDP cookies sent to the SSH
 * port, with NUL and raw bytes) and in the password. The split is anchored
 * where it cannot move: time stamp and address from the left, status from
 * the right, the HASSH as the first 32-lowercase-hex field after the
 * client version; the user name runs to the first comma after the HASSH and
 * the password takes the rest, commas included. When more than one comma
 * remains there, the split is a guess and the row is counted as ambiguous
 * (in the real feed those user names are root, ubuntu, admin: the commas
 * are the password's). The feed writes bytes that are not UTF-8 as the text
 * "\xNN"; those stay as they are (a typed backslash looks the same).
 *
 * Each row gives MT_HE_CLIENT_VERSION, MT_HE_KEX (the HASSH) and
 * MT_HE_LOGIN_FAILED or MT_HE_LOGIN_SUCCESS, protocol SSH, no session. */
#include "ingest/login_csv.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"
#include "ingest/honey_lex.h"

typedef struct login_csv {
    uint64_t ambiguous;
} login_csv;

uint64_t mt_login_csv_ambiguous(const void *state)
{
    return state ? ((const login_csv *)state)->ambiguous : 0;
}

static int is_hex32(const char *p, const char *e)
{
    if (e - p != 32) return 0;
    for (; p < e; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

static const char *find_comma(const char *p, const char *e)
{
    const char *c = memchr(p, ',', (size_t)(e - p));
    return c ? c : e;
}

static const char *find_last_comma(const char *p, const char *e)
{
    while (e > p)
        if (*--e == ',') return e;
    return NULL;
}

typedef struct csv_row {
    mt_time_us ts;
    mt_addr src;
    mt_span version, hassh, user, pass;
    int success;
    int ambiguous;
} csv_row;

/* The split described at the top. 1 when the line is a row. */
static int split_row(const char *line, size_t n, csv_row *r)
{
    const char *p = line, *e = line + n;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;
    while (e > p && (e[-1] == '\r' || e[-1] == ' ')) e--;
    const char *c1 = find_comma(p, e);
    if (c1 == e || honey_iso_time(p, (size_t)(c1 - p), &r->ts) != (size_t)(c1 - p)) return 0;
    const char *ip = c1 + 1, *c2 = find_comma(ip, e);
    if (c2 == e || !honey_addr(ip, c2, &r->src)) return 0;
    const char *last = find_last_comma(c2 + 1, e);
    if (!last) return 0;
    size_t sn = (size_t)(e - last - 1);
    if (sn == 9 && memcmp(last + 1, "succeeded", 9) == 0) r->success = 1;
    else if (sn == 6 && memcmp(last + 1, "failed", 6) == 0) r->success = 0;
    else return 0;
    /* The HASSH: the first 32-hex field after the version field, with at
     * least the user/password comma after it. */
    const char *ver = c2 + 1, *f = find_comma(ver, last);
    while (f < last) {
        const char *hs = f + 1, *he = find_comma(hs, last);
        if (he == last) return 0;
        if (is_hex32(hs, he)) {
            r->version = (mt_span){ver, (size_t)(f - ver)};
            r->hassh = (mt_span){hs, 32};
            const char *us = he + 1, *ue = find_comma(us, last);
            if (ue == last) return 0;
            r->user = (mt_span){us, (size_t)(ue - us)};
            r->pass = (mt_span){ue + 1, (size_t)(last - ue - 1)};
            r->ambiguous = memchr(ue + 1, ',', (size_t)(last - ue - 1)) != NULL;
            return 1;
        }
        f = he;
    }
    return 0;
}

static int csv_probe(const char *head, size_t n)
{
    const char *p = head, *e = head + n;
    int good = 0, bad = 0;
    while (p < e && good + bad < 32) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) break; /* a cut last line says nothing */
        size_t len = (size_t)(nl - p);
        if (len > 0) {
            csv_row r;
            if (split_row(p, len, &r)) good++;
            else bad++;
        }
        p = nl + 1;
    }
    if (good + bad == 0 && p < e) { /* one line, no newline yet */
        csv_row r;
        return split_row(p, (size_t)(e - p), &r) ? 60 : 0;
    }
    if (good == 0) return 0;
    /* The feed carries the odd hostile row; a file mostly of rows is it. */
    return good * 10 >= (good + bad) * 8 ? 90 : (good * 2 >= good + bad ? 50 : 0);
}

static void *csv_begin(const char *path, const mt_honey_opts *o)
{
    (void)path;
    (void)o;
    return mt_xcalloc(1, sizeof(login_csv));
}

static int csv_line(void *state, const char *line, size_t n, const mt_honey_sink *to, char *unk,
                    size_t unk_cap)
{
    login_csv *st = state;
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
    if (k == n) {
        mt_strlcpy(unk, "blank line", unk_cap);
        return MT_ENOTFOUND;
    }
    csv_row r;
    if (!split_row(line, n, &r)) return MT_EINVAL;
    st->ambiguous += (uint64_t)r.ambiguous;
    mt_honey_event ev;
    memset(&ev, 0, sizeof ev);
    ev.ts = r.ts;
    ev.src = r.src;
    ev.protocol = MT_HP_SSH;
    ev.count = 1;
    ev.duration_ms = -1;
    if (r.version.n) {
        ev.type = MT_HE_CLIENT_VERSION;
        ev.text = r.version;
        to->event(to->ctx, &ev);
    }
    ev.type = MT_HE_KEX;
    ev.text = r.hassh;
    to->event(to->ctx, &ev);
    ev.text = (mt_span){NULL, 0};
    ev.type = r.success ? MT_HE_LOGIN_SUCCESS : MT_HE_LOGIN_FAILED;
    ev.user = r.user;
    ev.pass = r.pass;
    to->event(to->ctx, &ev);
    return MT_OK;
}

static void csv_end(void *state) { free(state); }

const mt_honey_reader mt_honey_reader_login_csv = {
    .name = "login-csv",
    .probe = csv_probe,
    .begin = csv_begin,
    .line = csv_line,
    .document = NULL,
    .end = csv_end,
};
