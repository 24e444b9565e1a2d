/* Stream inspection: turns the first bytes of each TCP direction into
 * events. A small per-direction state machine picks the protocol from the
 * first bytes (TLS, HTTP, JSON lines, DNS over TCP) and then cuts the
 * stream into messages. Data is processed in place from the packet when it
 * holds whole messages; only a trailing partial message is copied into an
 * 8 KiB block from a pooled set (no malloc per packet), and joined with the
 * next segment. Anything larger than a block is skipped over, counted. */
#include <string.h>
#include <strings.h>

#include "capture/pipeline_int.h"
#include "proto/dns.h"
#include "proto/http.h"
#include "proto/json_span.h"
#include "proto/tls.h"
#include "proto/websocket.h"

enum {
    MT_SM_DETECT = 0, MT_SM_TLS, MT_SM_HTTP_REQ, MT_SM_HTTP_RESP, MT_SM_HTTP_BODY,
    MT_SM_JSON, MT_SM_WS, MT_SM_DNS_TCP, MT_SM_SKIP, MT_SM_HTTP_CHUNK
};

static uint8_t *block_get(mt_pipeline *pl, mt_dirstate *ds)
{
    if (ds->blk) return pl->blocks[ds->blk - 1];
    uint32_t idx;
    if (pl->n_free_blocks) {
        idx = pl->free_blocks[--pl->n_free_blocks];
    } else if (pl->n_blocks < pl->cfg.max_blocks) {
        idx = pl->n_blocks++;
        pl->blocks[idx] = mt_xmalloc(MT_BLOCK_SIZE);
    } else {
        pl->st.blocks_exhausted++;
        return NULL;
    }
    ds->blk = idx + 1;
    ds->blk_len = 0;
    return pl->blocks[idx];
}

static void block_put(mt_pipeline *pl, mt_dirstate *ds)
{
    if (!ds->blk) return;
    pl->free_blocks[pl->n_free_blocks++] = ds->blk - 1;
    ds->blk = 0;
    ds->blk_len = 0;
}

void mt_stream_release(mt_pipeline *pl, mt_flow *f)
{
    block_put(pl, &f->d[0]);
    block_put(pl, &f->d[1]);
}

static mt_flow_extra *extra(mt_flow *f)
{
    if (!f->extra) f->extra = mt_xcalloc(1, sizeof *f->extra);
    return f->extra;
}

static int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int detect_mode(mt_flow *f, int dir, const uint8_t *q, size_t m)
{
    if (f->srv_port == 53 || f->cli_port == 53) return MT_SM_DNS_TCP;
    if (m < 4) return MT_SM_DETECT; /* too few bytes to tell; wait */
    if (mt_tls_looks_like(q, m)) return dir == 0 ? MT_SM_TLS : MT_SM_SKIP;
    if (dir == 0 && mt_http_looks_like_request(q, m)) return MT_SM_HTTP_REQ;
    if (dir == 1 && mt_http_looks_like_response(q, m)) return MT_SM_HTTP_RESP;
    size_t i = 0;
    while (i < m && is_ws(q[i])) i++;
    if (i < m && q[i] == '{') return MT_SM_JSON;
    if (f->srv_port == 445 || f->srv_port == 139) return MT_SM_SKIP;
    /* Captured mid-stream: we may be inside a line; resync on a newline. */
    if (f->flags & MT_FLOW_GUESSED) return MT_SM_JSON | 0x80;
    return MT_SM_SKIP;
}

static void emit_json(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                      const uint8_t *p, size_t n, int in_body)
{
    mt_json_msg jm = {(const char *)p, n, (uint8_t)in_body};
    mt_event ev = {0};
    ev.type = MT_EV_JSON_MSG;
    ev.u.json = &jm;
    pl->st.json_msgs++;
    if (f->app == MT_APP_UNKNOWN) f->app = MT_APP_JSON;
    mt_pipeline_emit(pl, f, dir, ts, &ev);
}

/* JSON objects inside an HTTP body (getwork/getblocktemplate). */
static void body_json(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                      const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_ws(p[i])) i++;
        if (i >= n || p[i] != '{') return;
        size_t span = mt_json_object_span((const char *)p + i, n - i);
        if (span == MT_JSON_SPAN_INCOMPLETE || span == MT_JSON_SPAN_INVALID) return;
        emit_json(pl, f, dir, ts, p + i, span, 1);
        i += span;
    }
}

/* Does a response head say "Transfer-Encoding: chunked"? (Pools answering
 * HTTP getwork often do; the JSON is inside the chunks.) */
static int head_is_chunked(const uint8_t *p, size_t n)
{
    static const char name[] = "transfer-encoding:";
    for (size_t i = 0; i + sizeof name < n; i++) {
        if (i && p[i - 1] != '\n') continue;
        size_t k = 0;
        while (k < sizeof name - 1 && (p[i + k] | 0x20) == (uint8_t)name[k]) k++;
        if (k < sizeof name - 1) continue;
        for (size_t j = i + k; j + 7 <= n && p[j] != '\n'; j++)
            if (strncasecmp((const char *)p + j, "chunked", 7) == 0) return 1;
    }
    return 0;
}

/* One chunk of a chunked body: "<hex size>[;ext]\r\n<data>\r\n". Returns the
 * bytes consumed, 0 when more are needed, or (size_t)-1 when malformed. */
static size_t chunk(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                    const uint8_t *q, size_t m)
{
    mt_dirstate *ds = &f->d[dir];
    const uint8_t *nl = memchr(q, '\n', m < 64 ? m : 64);
    if (!nl) return m >= 64 ? (size_t)-1 : 0;
    uint64_t size = 0;
    size_t i = 0, line = (size_t)(nl - q) + 1;
    int digits = 0;
    for (; q + i < nl; i++) {
        int c = q[i], v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = (c | 0x20) - 'a' + 10;
        else break;
        if (++digits > 12) return (size_t)-1;
        size = size * 16 + (uint64_t)v;
    }
    if (!digits) return (size_t)-1;
    if (size == 0) {
        /* Last chunk; skip an empty trailer line if it is here. */
        ds->mode = MT_SM_HTTP_RESP;
        if (m >= line + 2 && q[line] == '\r' && q[line + 1] == '\n') return line + 2;
        return line;
    }
    if (line + size + 2 > MT_BLOCK_SIZE) {
        ds->skip_bytes = size + 2;
        return line;
    }
    if (m < line + size + 2) return 0;
    body_json(pl, f, dir, ts, q + line, (size_t)size);
    return line + (size_t)size + 2;
}

/* Process as much of p[0..n) as forms whole messages; return bytes used. */
static size_t process(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                      const uint8_t *p, size_t n)
{
    mt_dirstate *ds = &f->d[dir];
    size_t off = 0;
    while (off < n) {
        const uint8_t *q = p + off;
        size_t m = n - off;
        if (ds->skip_bytes) {
            size_t k = ds->skip_bytes < m ? (size_t)ds->skip_bytes : m;
            ds->skip_bytes -= k;
            off += k;
            continue;
        }
        if (ds->skip_to_nl) {
            const uint8_t *nl = memchr(q, '\n', m);
            if (!nl) return n;
            off += (size_t)(nl - q) + 1;
            ds->skip_to_nl = 0;
            continue;
        }
        switch (ds->mode) {
        case MT_SM_DETECT: {
            int mode = detect_mode(f, dir, q, m);
            if (mode == MT_SM_DETECT) return off;
            if (mode & 0x80) ds->skip_to_nl = 1;
            ds->mode = (uint8_t)(mode & 0x7f);
            continue;
        }
        case MT_SM_SKIP:
            return n;
        case MT_SM_TLS: {
            mt_tls_hello hello;
            int r = mt_tls_parse_client_hello(q, m, &hello);
            if (r == MT_EAGAIN && m < MT_BLOCK_SIZE) return off;
            if (r == MT_OK) {
                mt_event ev = {0};
                ev.type = MT_EV_TLS_HELLO;
                ev.u.tls = &hello;
                pl->st.tls_hellos++;
                if (hello.sni[0]) mt_strlcpy(extra(f)->sni, hello.sni, sizeof f->extra->sni);
                f->app = MT_APP_TLS;
                mt_pipeline_emit(pl, f, dir, ts, &ev);
            }
            /* After the hello everything is encrypted: stop both ways. */
            ds->mode = MT_SM_SKIP;
            f->d[1].mode = MT_SM_SKIP;
            if (f->app == MT_APP_UNKNOWN) f->app = MT_APP_TLS;
            return n;
        }
        case MT_SM_HTTP_REQ: {
            size_t i = 0;
            while (i < m && (q[i] == '\r' || q[i] == '\n')) i++;
            if (i) { off += i; continue; }
            if (!mt_http_looks_like_request(q, m)) {
                if (m < 8) return off;
                if (f->flags & MT_FLOW_WS_PENDING) { ds->mode = MT_SM_WS; continue; }
                ds->mode = q[0] == '{' ? MT_SM_JSON : MT_SM_SKIP;
                continue;
            }
            mt_http_request req;
            size_t hl = 0;
            int r = mt_http_parse_request(q, m, &req, &hl);
            if (r == MT_EAGAIN && m < MT_BLOCK_SIZE) return off;
            if (r != MT_OK) { ds->mode = MT_SM_SKIP; return n; }
            size_t avail = m - hl;
            /* Miners often send the body in the next segment (cgminer,
             * bfgminer): wait for a small body so the request event carries
             * it (getwork / getblocktemplate methods are in the body). */
            if (req.content_length && req.content_length <= 4096 && avail < req.content_length &&
                hl + req.content_length <= MT_BLOCK_SIZE)
                return off;
            req.body = req.content_length ? q + hl : NULL;
            req.body_len = req.content_length < avail ? (size_t)req.content_length : avail;
            mt_event ev = {0};
            ev.type = MT_EV_HTTP_REQUEST;
            ev.u.http = &req;
            pl->st.http_requests++;
            f->app = MT_APP_HTTP;
            if (req.upgrade_websocket) {
                f->flags |= MT_FLOW_WS_PENDING;
                mt_strlcpy(extra(f)->ws_host, req.host, sizeof f->extra->ws_host);
                mt_strlcpy(f->extra->ws_uri, req.uri, sizeof f->extra->ws_uri);
            }
            mt_pipeline_emit(pl, f, dir, ts, &ev);
            off += hl;
            if (req.content_length) {
                ds->body_left = req.content_length;
                ds->mode = MT_SM_HTTP_BODY;
            } else if (req.upgrade_websocket) {
                ds->mode = MT_SM_WS;
            }
            continue;
        }
        case MT_SM_HTTP_RESP: {
            size_t i = 0;
            while (i < m && (q[i] == '\r' || q[i] == '\n')) i++;
            if (i) { off += i; continue; }
            if (!mt_http_looks_like_response(q, m)) {
                if (m < 8) return off;
                ds->mode = (f->flags & MT_FLOW_WS_PENDING) ? MT_SM_WS : MT_SM_SKIP;
                continue;
            }
            mt_http_response resp;
            size_t hl = 0;
            int r = mt_http_parse_response(q, m, &resp, &hl);
            if (r == MT_EAGAIN && m < MT_BLOCK_SIZE) return off;
            if (r != MT_OK) { ds->mode = MT_SM_SKIP; return n; }
            off += hl;
            if (resp.status == 101 && (f->flags & MT_FLOW_WS_PENDING)) {
                ds->mode = MT_SM_WS;
                f->app = MT_APP_WEBSOCKET;
                if (f->d[0].mode != MT_SM_HTTP_BODY) f->d[0].mode = MT_SM_WS;
            } else if (resp.has_content_length && resp.content_length) {
                ds->body_left = resp.content_length;
                ds->mode = MT_SM_HTTP_BODY;
            } else if (!resp.has_content_length && head_is_chunked(q, hl)) {
                ds->mode = MT_SM_HTTP_CHUNK;
            } else if (!resp.has_content_length && resp.status >= 200 &&
                       resp.status != 204 && resp.status != 304) {
                /* Chunked or close-delimited body: we do not de-chunk. */
                ds->mode = MT_SM_SKIP;
                return n;
            }
            continue;
        }
        case MT_SM_HTTP_BODY: {
            if (ds->body_left > MT_BLOCK_SIZE) {
                /* Too big to hold: look at what we have, skip the rest. */
                body_json(pl, f, dir, ts, q, m < ds->body_left ? m : (size_t)ds->body_left);
                ds->skip_bytes = ds->body_left;
                ds->body_left = 0;
                ds->mode = dir == 0 ? MT_SM_HTTP_REQ : MT_SM_HTTP_RESP;
                continue;
            }
            if (m < ds->body_left) return off;
            body_json(pl, f, dir, ts, q, (size_t)ds->body_left);
            off += (size_t)ds->body_left;
            ds->body_left = 0;
            ds->mode = dir == 0 ? MT_SM_HTTP_REQ : MT_SM_HTTP_RESP;
            if (dir == 0 && (f->flags & MT_FLOW_WS_PENDING)) ds->mode = MT_SM_WS;
            continue;
        }
        case MT_SM_HTTP_CHUNK: {
            size_t c = chunk(pl, f, dir, ts, q, m);
            if (c == (size_t)-1) { ds->mode = MT_SM_SKIP; return n; }
            if (c == 0) return off;
            off += c;
            continue;
        }
        case MT_SM_JSON: {
            size_t i = 0;
            while (i < m && is_ws(q[i])) i++;
            if (i) { off += i; continue; }
            if (q[0] != '{') {
                if (dir == 0 && mt_http_looks_like_request(q, m)) { ds->mode = MT_SM_HTTP_REQ; continue; }
                ds->skip_to_nl = 1;
                continue;
            }
            size_t span = mt_json_object_span((const char *)q, m);
            if (span == MT_JSON_SPAN_INCOMPLETE) return off;
            if (span == MT_JSON_SPAN_INVALID) { ds->skip_to_nl = 1; off += 1; continue; }
            emit_json(pl, f, dir, ts, q, span, 0);
            off += span;
            continue;
        }
        case MT_SM_WS: {
            mt_ws_frame fr;
            int r = mt_ws_frame_parse(q, m, &fr);
            if (r == MT_EAGAIN) return off;
            if (r != MT_OK) { ds->mode = MT_SM_SKIP; return n; }
            uint64_t total = fr.header_len + fr.payload_len;
            if (total > MT_BLOCK_SIZE) { ds->skip_bytes = total; continue; }
            if (m < total) return off;
            if (fr.opcode == 1 || fr.opcode == 0 || fr.opcode == 2) {
                size_t len = (size_t)fr.payload_len;
                memcpy(pl->scratch, q + fr.header_len, len);
                if (fr.masked) mt_ws_unmask(pl->scratch, len, fr.mask, 0);
                mt_ws_msg wm;
                memset(&wm, 0, sizeof wm);
                wm.text = (const char *)pl->scratch;
                wm.len = len;
                if (f->extra) {
                    mt_strlcpy(wm.host, f->extra->ws_host, sizeof wm.host);
                    mt_strlcpy(wm.uri, f->extra->ws_uri, sizeof wm.uri);
                }
                mt_event ev = {0};
                ev.type = MT_EV_WS_MSG;
                ev.u.ws = &wm;
                pl->st.ws_msgs++;
                f->app = MT_APP_WEBSOCKET;
                mt_pipeline_emit(pl, f, dir, ts, &ev);
            }
            off += (size_t)total;
            continue;
        }
        case MT_SM_DNS_TCP: {
            if (m < 2) return off;
            size_t len = (size_t)q[0] << 8 | q[1];
            if (len + 2 > MT_BLOCK_SIZE) { ds->skip_bytes = len + 2; continue; }
            if (m < len + 2) return off;
            mt_dns dns;
            pl->st.dns_msgs++;
            int rc = mt_dns_parse(q + 2, len, &dns);
            if (rc == MT_OK || (rc == MT_ETRUNC && dns.qname[0])) {
                mt_event ev = {0};
                ev.type = MT_EV_DNS;
                ev.u.dns = &dns;
                f->app = MT_APP_DNS;
                mt_pipeline_emit(pl, f, dir, ts, &ev);
            } else {
                pl->st.dns_errors++;
            }
            off += len + 2;
            continue;
        }
        default:
            return n;
        }
    }
    return off;
}

/* Buffer overflow: a message larger than a block. Resync where we can. */
static void overflow(mt_pipeline *pl, mt_dirstate *ds)
{
    pl->st.buffer_overflows++;
    block_put(pl, ds);
    if (ds->mode == MT_SM_JSON) ds->skip_to_nl = 1;
    else ds->mode = MT_SM_SKIP;
}

void mt_stream_gap(mt_pipeline *pl, mt_flow *f, int dir)
{
    mt_dirstate *ds = &f->d[dir];
    block_put(pl, ds);
    ds->skip_bytes = 0;
    if (ds->mode == MT_SM_JSON || ds->mode == MT_SM_DETECT) {
        ds->mode = MT_SM_JSON;
        ds->skip_to_nl = 1;
    } else {
        ds->mode = MT_SM_SKIP;
    }
}

void mt_stream_feed(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                    const uint8_t *p, size_t n)
{
    mt_dirstate *ds = &f->d[dir];
    if (ds->mode == MT_SM_SKIP) return;
    if (ds->inspected >= pl->cfg.inspect_bytes) {
        block_put(pl, ds);
        ds->mode = MT_SM_SKIP;
        return;
    }
    if (n > pl->cfg.inspect_bytes - ds->inspected) n = pl->cfg.inspect_bytes - ds->inspected;
    ds->inspected += (uint32_t)n;
    while (n > 0 && ds->mode != MT_SM_SKIP) {
        if (ds->blk_len == 0) {
            size_t c = process(pl, f, dir, ts, p, n);
            p += c;
            n -= c;
            if (n == 0 || ds->mode == MT_SM_SKIP) break;
            if (n > MT_BLOCK_SIZE) { overflow(pl, ds); p += n; n = 0; break; }
            uint8_t *b = block_get(pl, ds);
            if (!b) { ds->mode = MT_SM_SKIP; break; }
            memcpy(b, p, n);
            ds->blk_len = (uint32_t)n;
            n = 0;
        } else {
            uint8_t *b = pl->blocks[ds->blk - 1];
            size_t room = MT_BLOCK_SIZE - ds->blk_len;
            size_t k = n < room ? n : room;
            memcpy(b + ds->blk_len, p, k);
            ds->blk_len += (uint32_t)k;
            p += k;
            n -= k;
            size_t c = process(pl, f, dir, ts, b, ds->blk_len);
            if (ds->mode == MT_SM_SKIP) { block_put(pl, ds); break; }
            if (c == 0 && ds->blk_len == MT_BLOCK_SIZE) { overflow(pl, ds); continue; }
            if (c < ds->blk_len) memmove(b, b + c, ds->blk_len - c);
            ds->blk_len -= (uint32_t)c;
            if (ds->blk_len == 0) block_put(pl, ds);
        }
    }
    if (ds->mode == MT_SM_SKIP) block_put(pl, ds);
}
