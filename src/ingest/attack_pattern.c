/* The killchain per-IP attack-pattern JSON (CyDefOps project-killchain,
 * IOCs/network-indicators/honeypot/attack-pattern): one pretty-printed
 * object keyed by source IP, each an array of Cowrie post-login events
 *
 *   {"timestamp": "2023-11-16T00:02:18.256909Z", "event": "command_input",
 *    "input": "uname -a", "session": "d3063ba7ef60"}
 *
 * with `event` one of command_input (input), file_download (details "File
 * downloaded: /root/.ssh/authorized_keys (SHA-256: <hex>)", the path
 * "unknown" when Cowrie did not know it) and direct_tcpip_data (details
 * "TCP/IP Data: b'...'"). The whole document is parsed at once, with
 * tokens sized from its text; a document cut short is read up to the cut
 * (MT_JR_PARTIAL) and reported. Records are the events of the arrays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"
#include "util/json.h"

enum { A_TIMESTAMP, A_EVENT, A_INPUT, A_DETAILS, A_SESSION, A_N };
static const char *const ap_names[A_N] = {"timestamp", "event", "input", "details", "session"};
static mt_honey_fields ap_fields;

typedef struct ap_state {
    char path[512];
} ap_state;

/* The text after a fixed prefix, or an empty span when it is not there. */
static int after_prefix(mt_span s, const char *prefix, mt_span *rest)
{
    size_t l = strlen(prefix);
    if (s.n < l || memcmp(s.p, prefix, l) != 0) return 0;
    rest->p = s.p + l;
    rest->n = s.n - l;
    return 1;
}

/* "File downloaded: PATH (SHA-256: HEX)" -> path (or URL) and sha256. */
static int parse_download(mt_span details, mt_honey_event *ev)
{
    mt_span rest;
    if (!after_prefix(details, "File downloaded: ", &rest)) return MT_EINVAL;
    static const char tag[] = " (SHA-256: ";
    const size_t tl = sizeof tag - 1;
    mt_span what = rest;
    if (rest.n > tl && rest.p[rest.n - 1] == ')') {
        /* The last tag: a path may itself hold " (SHA-256: ". */
        for (size_t i = rest.n - 1; i-- > 0;) {
            if (i + tl <= rest.n - 1 && memcmp(rest.p + i, tag, tl) == 0) {
                what.n = i;
                ev->sha256.p = rest.p + i + tl;
                ev->sha256.n = rest.n - 1 - (i + tl);
                break;
            }
        }
    }
    if (what.n == 7 && memcmp(what.p, "unknown", 7) == 0) what.n = 0;
    if (mt_honey_has(what.p, what.n, "://")) ev->url = what;
    else ev->path = what;
    return MT_OK;
}

/* One event of an IP's array. */
static int read_event(const mt_jr_doc *d, int e, const mt_addr *src, mt_honey_arena *a,
                      const mt_honey_sink *to, char *unk, size_t unk_cap)
{
    if (!mt_jr_is(d, e, MT_JR_OBJECT)) return MT_EINVAL;
    int f[A_N];
    mt_honey_fields_find(&ap_fields, d, e, f);
    a->used = 0;
    mt_span name = {0}, sp = {0};
    if (!mt_jr_is(d, f[A_EVENT], MT_JR_STRING) || mt_honey_jtext(d, f[A_EVENT], a, &name) != 1)
        return MT_EINVAL;
    mt_honey_event ev;
    mt_honey_event_init(&ev, MT_HE_COMMAND);
    ev.src = *src;
    int r = mt_honey_jtext(d, f[A_TIMESTAMP], a, &sp);
    if (r < 0 || (r == 1 && mt_honey_time(sp.p, sp.n, &ev.ts) != MT_OK)) return MT_EINVAL;
    if (mt_honey_jtext(d, f[A_SESSION], a, &ev.session) < 0) return MT_EINVAL;
    mt_span details = {0};
    if (name.n == 13 && memcmp(name.p, "command_input", 13) == 0) {
        if (mt_honey_jtext(d, f[A_INPUT], a, &ev.text) != 1) return MT_EINVAL;
    } else if (name.n == 13 && memcmp(name.p, "file_download", 13) == 0) {
        ev.type = MT_HE_DOWNLOAD;
        if (mt_honey_jtext(d, f[A_DETAILS], a, &details) != 1) return MT_EINVAL;
        if (parse_download(details, &ev) != MT_OK) return MT_EINVAL;
    } else if (name.n == 17 && memcmp(name.p, "direct_tcpip_data", 17) == 0) {
        ev.type = MT_HE_TCPIP;
        ev.protocol = MT_HP_SSH;
        if (mt_honey_jtext(d, f[A_DETAILS], a, &details) != 1) return MT_EINVAL;
        if (!after_prefix(details, "TCP/IP Data: ", &ev.text)) ev.text = details;
    } else {
        mt_honey_name(unk, unk_cap, name.p, name.n);
        return MT_ENOTFOUND;
    }
    to->event(to->ctx, &ev);
    return MT_OK;
}

static int ap_document(void *state, const char *buf, size_t n, const mt_honey_sink *to,
                       mt_ingest_stats *st)
{
    ap_state *s = state;
    mt_honey_jdoc j;
    if (mt_honey_jdoc_parse(&j, s->path, buf, n, MT_JR_OBJECT, "an attack-pattern object", st) !=
        MT_OK) {
        mt_honey_jdoc_end(&j, s->path, st);
        return MT_EINVAL;
    }
    const mt_jr_doc *d = &j.d;
    char unk[48];
    for (int k = mt_jr_first(d, 0); k >= 0; k = mt_jr_next(d, 0, k)) {
        int v = k + 1;
        mt_span ip = {0};
        mt_addr src;
        j.arena.used = 0;
        int ok_ip = mt_honey_jtext(d, k, &j.arena, &ip) == 1 &&
                    mt_honey_addr(ip.p, ip.n, &src) == MT_OK;
        if (!mt_jr_is(d, v, MT_JR_ARRAY) || !ok_ip) {
            /* Its events cannot be attributed: each one is a skipped record. */
            size_t cnt = mt_jr_is(d, v, MT_JR_ARRAY) ? mt_jr_count(d, v) : 1;
            uint64_t ln = mt_honey_line_at(&j.lines, d->tok[k].start);
            for (size_t i = 0; i < cnt; i++) {
                st->records++;
                mt_ingest_note_malformed(st, ln);
            }
            continue;
        }
        for (int e = mt_jr_first(d, v); e >= 0; e = mt_jr_next(d, v, e)) {
            st->records++;
            unk[0] = '\0';
            int r = read_event(d, e, &src, &j.arena, to, unk, sizeof unk);
            if (r == MT_OK) st->used++;
            else if (r == MT_ENOTFOUND) mt_ingest_note_unknown(st, unk[0] ? unk : "unknown");
            else mt_ingest_note_malformed(st, mt_honey_line_at(&j.lines, d->tok[e].start));
        }
    }
    return mt_honey_jdoc_end(&j, s->path, st);
}

/* `{`, an IP address as the first key, then `[` and `{` or `]`. */
static int ap_probe(const char *head, size_t n)
{
    size_t i = 0;
#define WS() while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++
    WS();
    if (i >= n || head[i] != '{') return 0;
    i++;
    WS();
    if (i >= n || head[i] != '"') return 0;
    size_t a = ++i;
    while (i < n && head[i] != '"' && i - a < MT_ADDR_STRLEN) i++;
    mt_addr ip;
    if (i >= n || head[i] != '"' || mt_honey_addr(head + a, i - a, &ip) != MT_OK) return 0;
    i++;
    WS();
    if (i >= n || head[i] != ':') return 0;
    i++;
    WS();
    if (i >= n || head[i] != '[') return 0;
    i++;
    WS();
    if (i >= n || (head[i] != '{' && head[i] != ']')) return 0;
#undef WS
    return mt_honey_has(head, n, "\"event\"") ? 90 : 50;
}

static void *ap_begin(const char *path, const mt_honey_opts *o)
{
    (void)o;
    if (!ap_fields.n) mt_honey_fields_init(&ap_fields, ap_names, A_N);
    ap_state *s = mt_xcalloc(1, sizeof *s);
    mt_strlcpy(s->path, path, sizeof s->path);
    return s;
}

static void ap_end(void *state) { free(state); }

const mt_honey_reader mt_honey_reader_attack_pattern = {
    .name = "attack-pattern",
    .probe = ap_probe,
    .begin = ap_begin,
    .line = NULL,
    .document = ap_document,
    .end = ap_end,
};
