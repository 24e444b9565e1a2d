/* HTTP/1.x: request heads (client) and response heads (server) become
 * events; bodies are read for JSON objects (getwork, getblocktemplate,
 * eth_getWork), plain or chunked. A request's small body is waited for so
 * the request event carries it (miners often send it in the next segment).
 * A WebSocket Upgrade answered with 101 hands both directions to the
 * WebSocket framer; a CONNECT answered with 2xx hands both directions back
 * to the probes (the tunnelled TLS hello, HTTP or Stratum is then read as
 * usual). Keep-alive connections are followed head after head. */
#include <string.h>
#include <strings.h>

#include "capture/framer.h"
#include "proto/http.h"
#include "proto/json_span.h"

/* The head parser's own cap (proto/http.c); a longer head is over limit. */
#define HTTP_HEAD_MAX 16384u
/* A request body up to this size is waited for and attached to the event. */
#define HTTP_BODY_WAIT 4096u
/* Bodies (and chunks) up to this size are held whole and read for JSON; a
 * longer one is read in its first segment only, and counted. */
#define HTTP_BODY_MAX 8192u

enum { PH_HEAD = 0, PH_BODY, PH_CHUNK };

typedef struct http_state {
    uint32_t body_left; /* body bytes still to come (clamped: see mt_dirstate.skip_bytes) */
    uint8_t phase;      /* PH_*; heads are requests in direction 0, responses in 1 */
} http_state;
MT_FRAMER_STATE_CHECK(http_state);

static int http_probe(const mt_flow *f, int dir, const uint8_t *p, size_t n)
{
    (void)f;
    if (dir == 0) return mt_http_looks_like_request(p, n) ? MT_PROBE_YES : MT_PROBE_NO;
    return mt_http_looks_like_response(p, n) ? MT_PROBE_YES : MT_PROBE_NO;
}

static uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

/* JSON objects inside a body. */
static void body_json(mt_stream_cx *cx, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && mt_stream_is_ws(p[i])) i++;
        if (i >= n || p[i] != '{') return;
        size_t span = mt_json_object_span((const char *)p + i, n - i);
        if (span == MT_JSON_SPAN_INCOMPLETE || span == MT_JSON_SPAN_INVALID) return;
        mt_stream_emit_json(cx, p + i, span, 1);
        i += span;
    }
}

/* Does a response head say "Transfer-Encoding: chunked"? (Pools answering
 * getwork often do; the JSON is inside the chunks.) */
static int head_is_chunked(const uint8_t *p, size_t n)
{
    static const char name[] = "transfer-encoding:";
    /* From line start to line start. */
    for (size_t i = 0; i + sizeof name < n;) {
        size_t k = 0;
        while (k < sizeof name - 1 && (p[i + k] | 0x20) == (uint8_t)name[k]) k++;
        if (k == sizeof name - 1)
            for (size_t j = i + k; j + 7 <= n && p[j] != '\n'; j++)
                if (strncasecmp((const char *)p + j, "chunked", 7) == 0) return 1;
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        if (!nl) break;
        i = (size_t)(nl - p) + 1;
    }
    return 0;
}

/* A head the parser refused: too long, or not HTTP after all. */
static size_t give_up(mt_stream_cx *cx, size_t m)
{
    if (m >= HTTP_HEAD_MAX) mt_stream_count_over_limit(cx);
    else mt_stream_count_malformed(cx);
    mt_stream_stop(cx, cx->dir);
    return m;
}

/* What follows a head that is not HTTP: the WebSocket after an Upgrade,
 * JSON lines, or nothing we read. */
static size_t not_http(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    if (m < 8) return MT_FR_MORE;
    if (cx->f->flags & MT_FLOW_CONNECT_PENDING) mt_stream_switch(cx, cx->dir, MT_FR_DETECT);
    else if (cx->f->flags & MT_FLOW_WS_PENDING) mt_stream_switch(cx, cx->dir, MT_FR_WEBSOCKET);
    else if (cx->dir == 0 && q[0] == '{') mt_stream_switch(cx, cx->dir, MT_FR_JSONL);
    else {
        mt_stream_count_malformed(cx);
        mt_stream_stop(cx, cx->dir);
    }
    return 0;
}

/* Out of line: the head structs are large, and most calls of http_parse
 * are for bodies and blank lines. */
__attribute__((noinline)) static size_t request(mt_stream_cx *cx, http_state *st, const uint8_t *q, size_t m)
{
    if (!mt_http_looks_like_request(q, m)) return not_http(cx, q, m);
    mt_http_request req;
    size_t hl = 0;
    int r = mt_http_parse_request(q, m, &req, &hl);
    if (r == MT_EAGAIN) return MT_FR_MORE;
    if (r != MT_OK) return give_up(cx, m);
    size_t avail = m - hl;
    if (req.content_length && req.content_length <= HTTP_BODY_WAIT && avail < req.content_length)
        return MT_FR_MORE;
    req.body = req.content_length ? q + hl : NULL;
    req.body_len = req.content_length < avail ? (size_t)req.content_length : avail;
    mt_event ev = {0};
    ev.type = MT_EV_HTTP_REQUEST;
    ev.u.http = &req;
    mt_flow *f = cx->f;
    f->app = MT_APP_HTTP;
    if (req.upgrade_websocket) {
        f->flags |= MT_FLOW_WS_PENDING;
        mt_flow_extra *x = mt_stream_extra(f);
        mt_strlcpy(x->ws_host, req.host, sizeof x->ws_host);
        mt_strlcpy(x->ws_uri, req.uri, sizeof x->ws_uri);
    }
    if (strcmp(req.method, "CONNECT") == 0) f->flags |= MT_FLOW_CONNECT_PENDING;
    mt_stream_count_msg(cx);
    mt_stream_emit(cx, &ev);
    if (req.content_length) {
        st->body_left = clamp32(req.content_length);
        st->phase = PH_BODY;
    } else if (req.upgrade_websocket) {
        mt_stream_switch(cx, cx->dir, MT_FR_WEBSOCKET);
    }
    return hl;
}

__attribute__((noinline)) static size_t response(mt_stream_cx *cx, http_state *st, const uint8_t *q, size_t m)
{
    if (!mt_http_looks_like_response(q, m)) return not_http(cx, q, m);
    mt_http_response resp;
    size_t hl = 0;
    int r = mt_http_parse_response(q, m, &resp, &hl);
    if (r == MT_EAGAIN) return MT_FR_MORE;
    if (r != MT_OK) return give_up(cx, m);
    mt_stream_count_msg(cx);
    mt_flow *f = cx->f;
    if ((f->flags & MT_FLOW_CONNECT_PENDING) && resp.status >= 200 && resp.status < 300) {
        /* The tunnel is open: what follows in both directions is the
         * client's own protocol. The client may already have sent it (its
         * direction then went to the probes in not_http()). */
        f->flags &= (uint8_t)~MT_FLOW_CONNECT_PENDING;
        mt_stream_switch(cx, cx->dir, MT_FR_DETECT);
        if (f->d[0].framer == MT_FR_HTTP) mt_stream_switch(cx, 0, MT_FR_DETECT);
        return hl;
    }
    if (resp.status == 101 && (f->flags & MT_FLOW_WS_PENDING)) {
        f->app = MT_APP_WEBSOCKET;
        if (resp.ws_deflate) {
            /* Directions that keep their compression context need one
             * inflater each (framer_websocket.c); the others decode
             * message by message. */
            mt_flow_extra *x = mt_stream_extra(f);
            for (int d = 0; d < 2; d++)
                x->ws_ctx[d] = resp.ws_no_context[d] ? WS_CTX_NONE : WS_CTX_WANTED;
        }
        mt_stream_switch(cx, cx->dir, MT_FR_WEBSOCKET);
        /* The client side follows, unless it is still sending a body. */
        const mt_dirstate *c = &f->d[0];
        if (!(c->framer == MT_FR_HTTP && ((const http_state *)(const void *)c->fs.u8)->phase == PH_BODY))
            mt_stream_switch(cx, 0, MT_FR_WEBSOCKET);
    } else if (resp.has_content_length && resp.content_length) {
        st->body_left = clamp32(resp.content_length);
        st->phase = PH_BODY;
    } else if (!resp.has_content_length && head_is_chunked(q, hl)) {
        st->phase = PH_CHUNK;
    } else if (!resp.has_content_length && resp.status >= 200 && resp.status != 204 &&
               resp.status != 304) {
        /* A body delimited by the end of the connection: unbounded. */
        mt_stream_count_over_limit(cx);
        mt_stream_stop(cx, cx->dir);
        return m;
    }
    return hl;
}

static size_t body(mt_stream_cx *cx, http_state *st, const uint8_t *q, size_t m)
{
    size_t left = st->body_left;
    st->body_left = 0;
    st->phase = PH_HEAD;
    if (left > HTTP_BODY_MAX) {
        /* Too big to hold: look at what we have, skip the rest. */
        mt_stream_count_over_limit(cx);
        body_json(cx, q, m < left ? m : left);
        mt_stream_skip(cx, left);
        return 0;
    }
    if (m < left) {
        st->body_left = (uint32_t)left;
        st->phase = PH_BODY;
        return MT_FR_MORE;
    }
    body_json(cx, q, left);
    if (cx->dir == 0 && (cx->f->flags & MT_FLOW_WS_PENDING))
        mt_stream_switch(cx, cx->dir, MT_FR_WEBSOCKET);
    return left;
}

/* One chunk of a chunked body: "<hex size>[;ext]\r\n<data>\r\n". */
static size_t chunk(mt_stream_cx *cx, http_state *st, const uint8_t *q, size_t m)
{
    const uint8_t *nl = memchr(q, '\n', m < 64 ? m : 64);
    if (!nl) {
        if (m < 64) return MT_FR_MORE;
        mt_stream_count_malformed(cx);
        mt_stream_stop(cx, cx->dir);
        return m;
    }
    uint64_t size = 0;
    size_t i = 0, line = (size_t)(nl - q) + 1;
    int digits = 0;
    for (; q + i < nl; i++) {
        int c = q[i], v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = (c | 0x20) - 'a' + 10;
        else break;
        if (++digits > 12) break;
        size = size * 16 + (uint64_t)v;
    }
    if (!digits || digits > 12) {
        mt_stream_count_malformed(cx);
        mt_stream_stop(cx, cx->dir);
        return m;
    }
    if (size == 0) {
        /* Last chunk; skip an empty trailer line if it is here. */
        st->phase = PH_HEAD;
        if (m >= line + 2 && q[line] == '\r' && q[line + 1] == '\n') return line + 2;
        return line;
    }
    if (line + size + 2 > HTTP_BODY_MAX) {
        mt_stream_count_over_limit(cx);
        mt_stream_skip(cx, size + 2);
        return line;
    }
    if (m < line + size + 2) return MT_FR_MORE;
    body_json(cx, q + line, (size_t)size);
    return line + (size_t)size + 2;
}

static size_t http_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    http_state *st = MT_FRAMER_STATE(cx, http_state);
    switch (st->phase) {
    case PH_BODY: return body(cx, st, q, m);
    case PH_CHUNK: return chunk(cx, st, q, m);
    default: break;
    }
    /* Blank lines between keep-alive messages. */
    size_t i = 0;
    while (i < m && (q[i] == '\r' || q[i] == '\n')) i++;
    if (i) return i;
    return cx->dir == 0 ? request(cx, st, q, m) : response(cx, st, q, m);
}

const mt_framer mt_framer_http = {
    .name = "http",
    .id = MT_FR_HTTP,
    .state_size = sizeof(http_state),
    .resync_nl = 0,
    .max_msg = HTTP_HEAD_MAX + HTTP_BODY_WAIT,
    .first_lo = 'C', /* CONNECT .. UNSUBSCRIBE, and HTTP/1.x */
    .first_hi = 'U',
    .probe = http_probe,
    .parse = http_parse,
};
