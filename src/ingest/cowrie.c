/* Cowrie JSON logs (one JSON object per line, every version from 2017 on),
 * SSH and Telnet, to honeypot events. Each line is parsed by the JSON
 * reader into tokens kept here; the members the events need are found in
 * one walk over the top-level object, and strings are handed on as spans
 * of the line (decoded into the per-line arena only when they hold
 * escapes, with "\u0000" kept as the NUL byte the attacker sent).
 *
 * Version drift read as one: `protocol` missing in 2017-2018 logs (then
 * told by `system`, or by the event being SSH-only), the kex lists inside
 * `cowrie.client.version` before `cowrie.client.kex` existed (the HASSH is
 * computed from them), `duration` in float seconds or `duration_ms`,
 * `unique: false` or `duplicate: true`, `url` absent or a local path (what
 * a shell redirection wrote: authorized_keys, /dev/null), version strings
 * written as Python bytes (b'SSH-2.0-Go'), numbers as ints or floats,
 * extra keys anywhere. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/linereader.h"

/* Values per line: a Cowrie line has tens (the kex lists of an old
 * client.version up to ~100); past this a line is malformed. */
#define CW_TOKENS 16384
/* Clients repeat their kex lists, so recent HASSH inputs are remembered
 * (this spares a libcrypto context per line of a 2018 log). */
#define KEX_CACHE 64
#define KEX_CACHE_STR 2048

enum field {
    F_EVENTID, F_TIMESTAMP, F_SRC_IP, F_SRC_PORT, F_DST_IP, F_DST_PORT, F_PROTOCOL, F_SYSTEM,
    F_SESSION, F_SENSOR, F_USERNAME, F_PASSWORD, F_FINGERPRINT, F_KEY, F_INPUT, F_URL,
    F_SHASUM, F_OUTFILE, F_DESTFILE, F_FILENAME, F_DUPLICATE, F_UNIQUE, F_DURATION,
    F_DURATION_MS, F_ARCH, F_VERSION, F_HASSH, F_KEXALGS, F_ENCCS, F_MACCS, F_COMPCS, F_DATA,
    F_N
};

static const char *const field_names[F_N] = {
    "eventid", "timestamp", "src_ip", "src_port", "dst_ip", "dst_port", "protocol", "system",
    "session", "sensor", "username", "password", "fingerprint", "key", "input", "url",
    "shasum", "outfile", "destfile", "filename", "duplicate", "unique", "duration",
    "duration_ms", "arch", "version", "hassh", "kexAlgs", "encCS", "macCS", "compCS", "data",
};

typedef enum cw_kind {
    K_CONNECT, K_VERSION, K_KEX, K_LOGIN_FAILED, K_LOGIN_SUCCESS, K_FINGERPRINT, K_CMD_INPUT,
    K_CMD_FAILED, K_CMD_SUCCESS, K_DOWNLOAD, K_DOWNLOAD_FAILED, K_UPLOAD, K_TCPIP_REQUEST,
    K_TCPIP_DATA, K_CLOSED, K_LOG_CLOSED, K_PARAMS, K_N
} cw_kind;

/* The eventids read, after "cowrie.". Every other eventid is a well-formed
 * record of a kind not read (counted by name). */
static const char *const kind_names[K_N] = {
    "session.connect", "client.version", "client.kex", "login.failed", "login.success",
    "client.fingerprint", "command.input", "command.failed", "command.success",
    "session.file_download", "session.file_download.failed", "session.file_upload",
    "direct-tcpip.request", "direct-tcpip.data", "session.closed", "log.closed",
    "session.params",
};

typedef struct kex_entry {
    uint64_t h;
    size_t len;
    char hex[33];
    char *str;
} kex_entry;

static mt_honey_fields fields;

typedef struct cw_state {
    mt_jr_doc doc;
    mt_jr_tok *tok;
    mt_honey_arena arena; /* decoded strings of the current line */
    char *kexbuf; /* the HASSH input being built */
    size_t kexbuf_cap;
    char hassh[33];
    kex_entry cache[KEX_CACHE];
    char *cache_mem;
} cw_state;

/* ---- values ------------------------------------------------------------------ */

static int span_eq(mt_span s, const char *lit)
{
    size_t l = strlen(lit);
    return s.n == l && memcmp(s.p, lit, l) == 0;
}

static int is_hex32(mt_span s)
{
    if (s.n != 32) return 0;
    for (size_t i = 0; i < 32; i++) {
        char c = s.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

/* Python 3 wrote some strings as bytes reprs: b'SSH-2.0-libssh-0.6.3'. */
static mt_span unwrap_bytes_repr(mt_span s)
{
    if (s.n >= 3 && s.p[0] == 'b' && (s.p[1] == '\'' || s.p[1] == '"') && s.p[s.n - 1] == s.p[1]) {
        s.p += 2;
        s.n -= 3;
    }
    return s;
}

/* ---- HASSH from the kex lists ------------------------------------------------- */

/* Appends the comma-joined strings of list t (an array of strings, or one
 * string already joined) to kexbuf. 0 or -1 (not a list of strings). */
static int join_list(cw_state *s, int t, size_t *w)
{
    mt_jr_doc *d = &s->doc;
    if (mt_jr_is(d, t, MT_JR_STRING) || mt_jr_is(d, t, MT_JR_ARRAY)) {
        int single = mt_jr_is(d, t, MT_JR_STRING);
        int e = single ? t : mt_jr_first(d, t);
        int first = 1;
        while (e >= 0) {
            if (!mt_jr_is(d, e, MT_JR_STRING)) return -1;
            size_t n;
            /* Raw length + 1 fits: the buffer holds the whole line. */
            char *dst = s->kexbuf + *w + !first;
            const char *p = mt_jr_bytes(d, e, dst, s->kexbuf_cap - *w - 1, &n);
            if (!p) return -1;
            if (!first) s->kexbuf[(*w)++] = ',';
            if (p != s->kexbuf + *w) memmove(s->kexbuf + *w, p, n);
            *w += n;
            first = 0;
            if (single) break;
            e = mt_jr_next(d, t, e);
        }
        return 0;
    }
    return mt_jr_type_of(d, t) == MT_JR_NONE || mt_jr_is(d, t, MT_JR_NULL) ? 0 : -1;
}

/* HASSH = MD5("kexAlgs;encCS;macCS;compCS"), each list comma-joined. 1 into
 * s->hassh, 0 when the line has none of the lists, -1 when they are not
 * lists of strings. */
static int hassh_of(cw_state *s, const int *f)
{
    static const enum field lists[4] = {F_KEXALGS, F_ENCCS, F_MACCS, F_COMPCS};
    if (f[F_KEXALGS] < 0 && f[F_ENCCS] < 0 && f[F_MACCS] < 0 && f[F_COMPCS] < 0) return 0;
    size_t w = 0;
    for (int i = 0; i < 4; i++) {
        if (i) s->kexbuf[w++] = ';';
        if (join_list(s, f[lists[i]], &w) < 0) return -1;
    }
    uint64_t h = mt_hash_bytes(s->kexbuf, w, 0x6861737368ULL);
    kex_entry *c = &s->cache[h % KEX_CACHE];
    if (c->h == h && c->len == w && memcmp(c->str, s->kexbuf, w) == 0) {
        memcpy(s->hassh, c->hex, sizeof s->hassh);
        return 1;
    }
    if (mt_digest_hex(MT_DIGEST_MD5, s->kexbuf, w, s->hassh) != MT_OK) return -1;
    if (w <= KEX_CACHE_STR) {
        c->h = h;
        c->len = w;
        memcpy(c->str, s->kexbuf, w);
        memcpy(c->hex, s->hassh, sizeof c->hex);
    }
    return 1;
}

/* ---- a line ------------------------------------------------------------------- */

static cw_kind kind_of(mt_span id)
{
    if (id.n <= 7 || memcmp(id.p, "cowrie.", 7) != 0) return K_N;
    const char *p = id.p + 7;
    size_t n = id.n - 7;
    for (int k = 0; k < K_N; k++)
        if (strlen(kind_names[k]) == n && memcmp(kind_names[k], p, n) == 0) return (cw_kind)k;
    return K_N;
}

#define TAKE(fid, dst)                                        \
    do {                                                      \
        if (mt_honey_jtext(d, f[fid], &s->arena, &(dst)) < 0) return MT_EINVAL; \
    } while (0)

static int cowrie_line(void *state, const char *line, size_t len, const mt_honey_sink *to,
                       char *unk, size_t unk_cap)
{
    cw_state *s = state;
    mt_jr_doc *d = &s->doc;
    if (len >= s->arena.cap) return MT_EINVAL; /* longer than max_line: not from the line reader */
    if (mt_jr_parse(d, line, len, MT_JR_LAX_CTRL, 0) != MT_OK || !mt_jr_is(d, 0, MT_JR_OBJECT))
        return MT_EINVAL;
    s->arena.used = 0;
    int f[F_N];
    mt_honey_fields_find(&fields, d, 0, f);

    mt_span id = {0};
    if (mt_honey_jtext(d, f[F_EVENTID], &s->arena, &id) != 1 || mt_jr_type_of(d, f[F_EVENTID]) != MT_JR_STRING)
        return MT_EINVAL; /* not a Cowrie record */
    cw_kind kind = kind_of(id);
    if (kind == K_N) {
        mt_honey_name(unk, unk_cap, id.p, id.n);
        return MT_ENOTFOUND;
    }

    mt_honey_event ev;
    mt_honey_event_init(&ev, MT_HE_CONNECT);
    mt_span sp = {0};
    int r = mt_honey_jtext(d, f[F_TIMESTAMP], &s->arena, &sp);
    if (r < 0 || (r == 1 && mt_honey_time(sp.p, sp.n, &ev.ts) != MT_OK)) return MT_EINVAL;
    r = mt_honey_jtext(d, f[F_SRC_IP], &s->arena, &sp);
    if (r < 0 || (r == 1 && mt_honey_addr(sp.p, sp.n, &ev.src) != MT_OK)) return MT_EINVAL;
    if (r == 0) ev.flags |= MT_HEF_NOSRC;
    uint64_t v;
    r = mt_honey_juint(d, f[F_SRC_PORT], 65535, &v);
    if (r < 0) return MT_EINVAL;
    if (r == 1) ev.src_port = (uint16_t)v;
    TAKE(F_SESSION, ev.session);
    TAKE(F_SENSOR, ev.sensor);
    mt_span proto = {0};
    TAKE(F_PROTOCOL, proto);
    if (proto.n) {
        if (span_eq(proto, "ssh") || span_eq(proto, "SSH")) ev.protocol = MT_HP_SSH;
        else if (span_eq(proto, "telnet") || span_eq(proto, "Telnet")) ev.protocol = MT_HP_TELNET;
    } else {
        /* A hint only: "HoneyPotSSHTransport,3,1.2.3.4", "CowrieTelnetTransport,..." */
        mt_span sys = {0};
        if (mt_honey_jtext(d, f[F_SYSTEM], &s->arena, &sys) < 0) sys.n = 0;
        if (mt_honey_has(sys.p, sys.n, "SSH")) ev.protocol = MT_HP_SSH;
        else if (mt_honey_has(sys.p, sys.n, "Telnet")) ev.protocol = MT_HP_TELNET;
    }

    switch (kind) {
    case K_CONNECT:
        ev.type = MT_HE_CONNECT;
        r = mt_honey_juint(d, f[F_DST_PORT], 65535, &v);
        if (r < 0) return MT_EINVAL;
        if (r == 1) ev.dst_port = (uint16_t)v;
        break;
    case K_VERSION:
    case K_KEX: {
        /* Both are SSH-only; client.version carried the kex lists before
         * client.kex existed. */
        ev.protocol = MT_HP_SSH;
        int hr = hassh_of(s, f);
        if (hr < 0) return MT_EINVAL;
        mt_span given = {0};
        TAKE(F_HASSH, given);
        if (!is_hex32(given)) given.n = 0; /* not a HASSH: the lists, if any, say */
        if (kind == K_VERSION) {
            TAKE(F_VERSION, ev.text);
            ev.text = unwrap_bytes_repr(ev.text);
            ev.type = MT_HE_CLIENT_VERSION;
            to->event(to->ctx, &ev);
            if (hr == 0 && !given.n) return MT_OK;
        } else if (hr == 0 && !given.n) {
            return MT_EINVAL; /* a kex record with neither a HASSH nor lists */
        }
        ev.type = MT_HE_KEX;
        ev.text = given.n ? given : (mt_span){s->hassh, 32};
        break;
    }
    case K_LOGIN_FAILED:
    case K_LOGIN_SUCCESS:
        ev.type = kind == K_LOGIN_FAILED ? MT_HE_LOGIN_FAILED : MT_HE_LOGIN_SUCCESS;
        TAKE(F_USERNAME, ev.user);
        if (mt_honey_jtext(d, f[F_PASSWORD], &s->arena, &ev.pass) < 0) return MT_EINVAL;
        TAKE(F_FINGERPRINT, ev.key); /* public-key logins */
        break;
    case K_FINGERPRINT:
        ev.type = MT_HE_KEY_OFFERED;
        ev.protocol = MT_HP_SSH;
        TAKE(F_USERNAME, ev.user);
        TAKE(F_FINGERPRINT, ev.key);
        TAKE(F_KEY, ev.text);
        break;
    case K_CMD_INPUT:
    case K_CMD_FAILED:
    case K_CMD_SUCCESS:
        ev.type = MT_HE_COMMAND;
        TAKE(F_INPUT, ev.text);
        /* Cowrie's found / not-found verdict on one command of a line it
         * already logged as command.input. */
        if (kind == K_CMD_FAILED) ev.flags |= MT_HEF_FAILED | MT_HEF_REPEAT;
        if (kind == K_CMD_SUCCESS) ev.flags |= MT_HEF_REPEAT;
        break;
    case K_DOWNLOAD:
    case K_DOWNLOAD_FAILED:
    case K_UPLOAD: {
        ev.type = kind == K_UPLOAD ? MT_HE_UPLOAD : MT_HE_DOWNLOAD;
        if (kind == K_DOWNLOAD_FAILED) ev.flags |= MT_HEF_FAILED;
        mt_span url = {0}, outfile = {0}, dest = {0};
        TAKE(F_URL, url);
        TAKE(F_SHASUM, ev.sha256);
        TAKE(F_OUTFILE, outfile);
        TAKE(F_DESTFILE, dest);
        if (kind == K_UPLOAD) TAKE(F_FILENAME, ev.path);
        mt_honey_download(&ev, url, outfile, dest);
        int b;
        r = mt_honey_jbool(d, f[F_DUPLICATE], &b);
        if (r == 1 && b) ev.flags |= MT_HEF_DUPLICATE;
        r = mt_honey_jbool(d, f[F_UNIQUE], &b);
        if (r == 1 && !b) ev.flags |= MT_HEF_DUPLICATE;
        break;
    }
    case K_TCPIP_REQUEST:
    case K_TCPIP_DATA:
        ev.type = MT_HE_TCPIP;
        ev.protocol = MT_HP_SSH;
        if (kind == K_TCPIP_REQUEST) TAKE(F_DST_IP, ev.text);
        else TAKE(F_DATA, ev.text);
        r = mt_honey_juint(d, f[F_DST_PORT], 65535, &v);
        if (r < 0) return MT_EINVAL;
        if (r == 1) ev.dst_port = (uint16_t)v;
        break;
    case K_CLOSED:
    case K_LOG_CLOSED: {
        ev.type = MT_HE_CLOSED;
        /* log.closed ends the session's TTY log; session.closed follows. */
        if (kind == K_LOG_CLOSED) ev.flags |= MT_HEF_REPEAT;
        r = mt_honey_juint(d, f[F_DURATION_MS], (uint64_t)1 << 50, &v);
        if (r < 0) return MT_EINVAL;
        if (r == 1) {
            ev.duration_ms = (int64_t)v;
        } else if (mt_jr_is(d, f[F_DURATION], MT_JR_NUMBER)) {
            double sec;
            if (mt_jr_f64(d, f[F_DURATION], &sec) != MT_OK || !(sec >= 0) || sec > 1e12)
                return MT_EINVAL;
            ev.duration_ms = (int64_t)llround(sec * 1000.0);
        } else if (f[F_DURATION] >= 0 && !mt_jr_is(d, f[F_DURATION], MT_JR_NULL)) {
            return MT_EINVAL;
        }
        break;
    }
    case K_PARAMS:
        ev.type = MT_HE_PARAMS;
        TAKE(F_ARCH, ev.text);
        break;
    case K_N:
        return MT_EINVAL;
    }
    to->event(to->ctx, &ev);
    return MT_OK;
}

/* ---- probe, state ------------------------------------------------------------- */

static int cowrie_probe(const char *head, size_t n)
{
    /* The first few lines parsed: a record with a "cowrie.*" eventid is
     * certain. A first line cut by the head's end leaves the keys to look
     * for. */
    enum { PROBE_TOKENS = 4096 };
    mt_jr_tok *tok = mt_xmalloc(PROBE_TOKENS * sizeof *tok);
    mt_jr_doc d;
    mt_jr_init(&d, tok, PROBE_TOKENS, NULL, 0);
    int score = 0;
    size_t i = 0;
    for (int lines = 0; i < n && lines < 4 && score == 0;) {
        const char *nl = memchr(head + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - head) : n;
        size_t a = i;
        while (a < e && (head[a] == ' ' || head[a] == '\t' || head[a] == '\r')) a++;
        if (a < e) {
            lines++;
            if (head[a] != '{') break;
            if (mt_jr_parse(&d, head + a, e - a, MT_JR_LAX_CTRL, 0) == MT_OK &&
                mt_jr_strprefix(&d, mt_jr_get(&d, 0, "eventid"), "cowrie."))
                score = 95;
            else if (mt_honey_has(head + a, e - a, "\"eventid\"") && mt_honey_has(head + a, e - a, "\"cowrie."))
                score = 60;
        }
        i = e + 1;
    }
    free(tok);
    return score;
}

static void *cowrie_begin(const char *path, const mt_honey_opts *o)
{
    (void)path;
    if (!fields.n) mt_honey_fields_init(&fields, field_names, F_N);
    cw_state *s = mt_xcalloc(1, sizeof *s);
    size_t max_line = o && o->max_line ? o->max_line : MT_LR_DEFAULT_MAX_LINE;
    s->tok = mt_xmalloc(CW_TOKENS * sizeof *s->tok);
    mt_jr_init(&s->doc, s->tok, CW_TOKENS, NULL, 0);
    s->arena.cap = max_line + 1;
    s->arena.p = mt_xmalloc(s->arena.cap);
    s->kexbuf_cap = max_line + 8;
    s->kexbuf = mt_xmalloc(s->kexbuf_cap);
    s->cache_mem = mt_xmalloc((size_t)KEX_CACHE * KEX_CACHE_STR);
    for (int i = 0; i < KEX_CACHE; i++) s->cache[i].str = s->cache_mem + (size_t)i * KEX_CACHE_STR;
    return s;
}

static void cowrie_end(void *state)
{
    cw_state *s = state;
    if (!s) return;
    free(s->tok);
    free(s->arena.p);
    free(s->kexbuf);
    free(s->cache_mem);
    free(s);
}

const mt_honey_reader mt_honey_reader_cowrie = {
    .name = "cowrie",
    .probe = cowrie_probe,
    .begin = cowrie_begin,
    .line = cowrie_line,
    .document = NULL,
    .end = cowrie_end,
};
