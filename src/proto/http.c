/* HTTP/1.x request and response head decoder (RFC 9112 message syntax).
 *
 * Built for miner traffic and tolerant the way servers are: bare LF line
 * ends are accepted, obsolete line folding (continuation lines starting with
 * SP/HT) is appended to the previous header, lines without a colon are
 * skipped. It is also strictly bounded: a head longer than MT_HTTP_MAX_HEAD
 * is rejected, every copied field is truncated to its buffer, numbers are
 * overflow-checked. Only the headers miner detection needs are kept; values
 * are stored raw (sinks escape them). */
#include "proto/http.h"

#include <string.h>

#define MT_HTTP_MAX_HEAD 16384u

static int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int tchar(uint8_t c)
{
    /* RFC 9110 token characters */
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Case-insensitive: does [p, p+n) equal s (k bytes)? Called through ieq()
 * with lower-case literals, so the length is known at compile time and
 * only the input needs folding: every header line is compared against
 * several names, and a strlen per try showed in profiles of getwork
 * captures. */
static inline int ieq_n(const uint8_t *p, size_t n, const char *s, size_t k)
{
    if (k != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lc(p[i]) != (unsigned char)s[i]) return 0;
    return 1;
}

#define ieq(p, n, lit) ieq_n((p), (n), "" lit, sizeof(lit) - 1)

/* Case-insensitive substring search within [p, p+n). */
static int icontains(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    if (k == 0) return 1;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && lc(p[i + j]) == lc((unsigned char)s[j])) j++;
        if (j == k) return 1;
    }
    return 0;
}

#define M(s) {s, sizeof(s) - 1}
static const struct method {
    const char *name;
    size_t len;
} methods[] = {
    M("GET"), M("POST"), M("PUT"), M("HEAD"), M("OPTIONS"), M("DELETE"), M("PATCH"),
    M("CONNECT"), M("TRACE"), M("PROPFIND"), M("PROPPATCH"), M("MKCOL"), M("COPY"),
    M("MOVE"), M("LOCK"), M("UNLOCK"), M("REPORT"), M("SEARCH"), M("NOTIFY"),
    M("SUBSCRIBE"), M("UNSUBSCRIBE"), M("MSEARCH"), M("M-SEARCH"),
};
#undef M

/* Asked of the first bytes of every TCP direction: the first byte rules
 * out most methods before any compare. */
int mt_http_looks_like_request(const uint8_t *p, size_t n)
{
    if (n < 4 || p[0] < 'C' || p[0] > 'U') return 0;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        const struct method *m = &methods[i];
        if ((uint8_t)m->name[0] == p[0] && n > m->len && memcmp(p, m->name, m->len) == 0 &&
            p[m->len] == ' ')
            return 1;
    }
    return 0;
}

int mt_http_looks_like_response(const uint8_t *p, size_t n)
{
    return n >= 9 && memcmp(p, "HTTP/1.", 7) == 0 && (p[7] == '0' || p[7] == '1') && p[8] == ' ';
}

/* Find the end of the head: the first empty line. Returns the offset just
 * past it, 0 when not found within n. Accepts CRLF and bare LF. */
static size_t head_end(const uint8_t *p, size_t n)
{
    if (n == 0) return 0;
    /* memchr jumps from line end to line end instead of testing each byte */
    for (const uint8_t *e = p, *end = p + n; (e = memchr(e, '\n', (size_t)(end - e))) != NULL; e++) {
        size_t i = (size_t)(e - p);
        /* line ending at i; is the next line empty? */
        if (i + 1 < n && p[i + 1] == '\n') return i + 2;
        if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n') return i + 3;
    }
    return 0;
}

/* Next line in [*off, end): sets line start/len (without CR/LF). */
static int next_line(const uint8_t *p, size_t end, size_t *off, const uint8_t **ls, size_t *ll)
{
    if (*off >= end) return 0;
    size_t s = *off;
    const uint8_t *nl = memchr(p + s, '\n', end - s);
    size_t e = nl ? (size_t)(nl - p) : end;
    *ls = p + s;
    *ll = e - s;
    if (*ll && (*ls)[*ll - 1] == '\r') (*ll)--;
    *off = e < end ? e + 1 : end;
    return 1;
}

static void trim(const uint8_t **v, size_t *n)
{
    while (*n && (**v == ' ' || **v == '\t')) { (*v)++; (*n)--; }
    while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t')) (*n)--;
}

/* Decimal without sign; 0 on success, -1 on junk or overflow. */
static int parse_u64(const uint8_t *v, size_t n, uint64_t *out)
{
    if (n == 0) return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') return -1;
        unsigned d = (unsigned)(v[i] - '0');
        if (x > (UINT64_MAX - d) / 10) return -1;
        x = x * 10 + d;
    }
    *out = x;
    return 0;
}

/* Append a folded continuation to a string field: " " + text, bounded. */
static void append_fold(char *dst, size_t cap, const uint8_t *v, size_t n)
{
    size_t have = strlen(dst);
    if (have + 2 >= cap) return;
    dst[have++] = ' ';
    dst[have] = '\0';
    mt_memlcpy(dst + have, cap - have, v, n);
}

/* Common head walk: the caller's callback sees each header (name, value);
 * folded continuations arrive with name == NULL. */
typedef void (*hdr_fn)(void *ctx, const uint8_t *name, size_t nn, const uint8_t *val, size_t vn);

static void walk_headers(const uint8_t *p, size_t off, size_t end, hdr_fn fn, void *ctx)
{
    const uint8_t *ls;
    size_t ll;
    int have_prev = 0;
    while (next_line(p, end, &off, &ls, &ll)) {
        if (ll == 0) break; /* the blank line */
        if (ls[0] == ' ' || ls[0] == '\t') {
            if (have_prev) {
                const uint8_t *v = ls;
                size_t vn = ll;
                trim(&v, &vn);
                fn(ctx, NULL, 0, v, vn);
            }
            continue;
        }
        const uint8_t *colon = memchr(ls, ':', ll);
        if (!colon) { have_prev = 0; continue; } /* junk line: skipped */
        size_t nn = (size_t)(colon - ls);
        const uint8_t *v = colon + 1;
        size_t vn = ll - nn - 1;
        while (nn && (ls[nn - 1] == ' ' || ls[nn - 1] == '\t')) nn--;
        trim(&v, &vn);
        fn(ctx, ls, nn, v, vn);
        have_prev = 1;
    }
}

/* ---- requests ----------------------------------------------------------- */
typedef struct req_ctx {
    mt_http_request *r;
    char *last;      /* string field the previous header filled, for folding */
    size_t last_cap;
    int have_cl;
} req_ctx;

static void req_hdr(void *vctx, const uint8_t *name, size_t nn, const uint8_t *v, size_t vn)
{
    req_ctx *c = vctx;
    mt_http_request *r = c->r;
    if (!name) {
        if (c->last) append_fold(c->last, c->last_cap, v, vn);
        return;
    }
    c->last = NULL;
    char *dst = NULL;
    size_t cap = 0;
    if (ieq(name, nn, "host")) { dst = r->host; cap = sizeof r->host; }
    else if (ieq(name, nn, "user-agent")) { dst = r->user_agent; cap = sizeof r->user_agent; }
    else if (ieq(name, nn, "content-type")) { dst = r->content_type; cap = sizeof r->content_type; }
    else if (ieq(name, nn, "content-length")) {
        uint64_t x;
        if (!c->have_cl && parse_u64(v, vn, &x) == 0) {
            r->content_length = x;
            c->have_cl = 1;
        }
    } else if (ieq(name, nn, "upgrade")) {
        if (icontains(v, vn, "websocket")) r->upgrade_websocket = 1;
    } else if (ieq(name, nn, "x-mining-extensions")) {
        r->has_x_mining_extensions = 1;
    } else if (ieq(name, nn, "x-stratum")) {
        r->has_x_stratum = 1;
    }
    if (dst && !dst[0]) { /* first occurrence wins */
        mt_memlcpy(dst, cap, v, vn);
        c->last = dst;
        c->last_cap = cap;
    }
}

/* Validate as much of the request line as is present. MT_OK when a full,
 * valid line was found (fields filled), MT_EAGAIN when what is there is a
 * valid beginning, MT_ENOTFOUND otherwise. */
static int request_line(const uint8_t *p, size_t n, mt_http_request *out, size_t *line_end)
{
    size_t i = 0;
    while (i < n && i < sizeof out->method && tchar(p[i])) i++;
    if (i == n) return i < sizeof out->method ? MT_EAGAIN : MT_ENOTFOUND;
    if (i == 0 || i >= sizeof out->method || p[i] != ' ')
        return MT_ENOTFOUND;
    size_t mlen = i++;
    size_t us = i;
    while (i < n && p[i] != ' ' && p[i] != '\r' && p[i] != '\n') {
        if (p[i] < 0x20 || p[i] == 0x7f) return MT_ENOTFOUND;
        i++;
        if (i - us > MT_HTTP_MAX_HEAD) return MT_EINVAL;
    }
    if (i == n) return MT_EAGAIN;
    size_t ulen = i - us;
    if (ulen == 0 || p[i] != ' ') return MT_ENOTFOUND;
    i++;
    static const char ver[] = "HTTP/";
    for (size_t k = 0; k < 5; k++, i++) {
        if (i == n) return MT_EAGAIN;
        if (p[i] != (uint8_t)ver[k]) return MT_ENOTFOUND;
    }
    /* digits '.' digits, then CRLF or LF */
    size_t vs = i;
    while (i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.') && i - vs < 8) i++;
    if (i == n) return MT_EAGAIN;
    if (i == vs) return MT_ENOTFOUND;
    if (p[i] == '\r') {
        if (++i == n) return MT_EAGAIN;
    }
    if (p[i] != '\n') return MT_ENOTFOUND;
    mt_memlcpy(out->method, sizeof out->method, p, mlen);
    mt_memlcpy(out->uri, sizeof out->uri, p + us, ulen);
    *line_end = i + 1;
    return MT_OK;
}

int mt_http_parse_request(const uint8_t *p, size_t n, mt_http_request *out, size_t *head_len)
{
    memset(out, 0, sizeof *out);
    size_t line_end = 0;
    int rc = request_line(p, n, out, &line_end);
    if (rc == MT_EAGAIN && n >= MT_HTTP_MAX_HEAD) return MT_EINVAL;
    if (rc != MT_OK) return rc;
    /* The head may end right after the request line ("GET / HTTP/1.0\r\n\r\n"). */
    size_t end = head_end(p + line_end - 1, n - line_end + 1);
    if (end == 0) {
        if (n >= MT_HTTP_MAX_HEAD) return MT_EINVAL;
        return MT_EAGAIN;
    }
    end += line_end - 1;
    if (end > MT_HTTP_MAX_HEAD) return MT_EINVAL;
    req_ctx c = {out, NULL, 0, 0};
    walk_headers(p, line_end, end, req_hdr, &c);
    if (head_len) *head_len = end;
    return MT_OK;
}

/* ---- responses ---------------------------------------------------------- */
typedef struct resp_ctx {
    mt_http_response *r;
    int last_xs;
} resp_ctx;

static void resp_hdr(void *vctx, const uint8_t *name, size_t nn, const uint8_t *v, size_t vn)
{
    resp_ctx *c = vctx;
    mt_http_response *r = c->r;
    if (!name) {
        if (c->last_xs) append_fold(r->x_stratum, sizeof r->x_stratum, v, vn);
        return;
    }
    c->last_xs = 0;
    if (ieq(name, nn, "content-length")) {
        uint64_t x;
        if (!r->has_content_length && parse_u64(v, vn, &x) == 0) {
            r->content_length = x;
            r->has_content_length = 1;
        }
    } else if (ieq(name, nn, "upgrade")) {
        if (icontains(v, vn, "websocket")) r->upgrade_websocket = 1;
    } else if (ieq(name, nn, "sec-websocket-extensions")) {
        if (icontains(v, vn, "permessage-deflate")) r->ws_deflate = 1;
        if (icontains(v, vn, "client_no_context_takeover")) r->ws_no_context[0] = 1;
        if (icontains(v, vn, "server_no_context_takeover")) r->ws_no_context[1] = 1;
    } else if (ieq(name, nn, "x-stratum")) {
        if (!r->has_x_stratum) {
            r->has_x_stratum = 1;
            mt_memlcpy(r->x_stratum, sizeof r->x_stratum, v, vn);
            c->last_xs = 1;
        }
    }
}

int mt_http_parse_response(const uint8_t *p, size_t n, mt_http_response *out, size_t *head_len)
{
    memset(out, 0, sizeof *out);
    static const char pre[] = "HTTP/1.";
    for (size_t k = 0; k < 7; k++) {
        if (k == n) return MT_EAGAIN;
        if (p[k] != (uint8_t)pre[k]) return MT_ENOTFOUND;
    }
    if (n < 13) return MT_EAGAIN;
    if ((p[7] != '0' && p[7] != '1') || p[8] != ' ')
        return MT_ENOTFOUND;
    int st = 0;
    for (size_t k = 9; k < 12; k++) {
        if (p[k] < '0' || p[k] > '9') return MT_EINVAL;
        st = st * 10 + (p[k] - '0');
    }
    if (p[12] != ' ' && p[12] != '\r' && p[12] != '\n') return MT_EINVAL;
    size_t end = head_end(p, n);
    if (end == 0) {
        if (n >= MT_HTTP_MAX_HEAD) return MT_EINVAL;
        return MT_EAGAIN;
    }
    if (end > MT_HTTP_MAX_HEAD) return MT_EINVAL;
    out->status = st;
    /* skip the status line */
    size_t off = 0;
    while (off < end && p[off] != '\n') off++;
    resp_ctx c = {out, 0};
    walk_headers(p, off + 1, end, resp_hdr, &c);
    if (head_len) *head_len = end;
    return MT_OK;
}
