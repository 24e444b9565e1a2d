/* Test helper (header-only) for the stream framer tests: a stream layer
 * with an event collector, one flow whose ports and flags the test sets,
 * feeding helpers (whole, or cut into segments), and a TLS ClientHello
 * builder for hellos of any size. */
#ifndef MT_TEST_STREAM_RIG_H
#define MT_TEST_STREAM_RIG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stream.h"

#define SR_MAX 64

typedef struct sr_event {
    int type, dir;
    char text[512];   /* JSON / WebSocket text, HTTP URI, TLS SNI, DNS name */
    char extra[256];  /* HTTP User-Agent, WebSocket host */
    size_t len;       /* JSON / WebSocket / HTTP body length */
} sr_event;

typedef struct sr {
    mt_stream *s;
    mt_flow f;
    sr_event ev[SR_MAX];
    int n;
    mt_time_us t;
} sr;

static inline void sr_copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static inline void sr_collect(void *ctx, mt_flow *f, int dir, mt_time_us ts, mt_event *ev)
{
    (void)f;
    (void)ts;
    sr *r = ctx;
    if (r->n >= SR_MAX) return;
    sr_event *e = &r->ev[r->n++];
    memset(e, 0, sizeof *e);
    e->type = ev->type;
    e->dir = dir;
    switch (ev->type) {
    case MT_EV_JSON_MSG:
        sr_copy(e->text, sizeof e->text, ev->u.json->text, ev->u.json->len);
        e->len = ev->u.json->len;
        break;
    case MT_EV_WS_MSG:
        sr_copy(e->text, sizeof e->text, ev->u.ws->text, ev->u.ws->len);
        sr_copy(e->extra, sizeof e->extra, ev->u.ws->host, strlen(ev->u.ws->host));
        e->len = ev->u.ws->len;
        break;
    case MT_EV_HTTP_REQUEST:
        sr_copy(e->text, sizeof e->text, ev->u.http->uri, strlen(ev->u.http->uri));
        sr_copy(e->extra, sizeof e->extra, ev->u.http->user_agent, strlen(ev->u.http->user_agent));
        e->len = ev->u.http->body_len;
        break;
    case MT_EV_TLS_HELLO:
        sr_copy(e->text, sizeof e->text, ev->u.tls->sni, strlen(ev->u.tls->sni));
        break;
    case MT_EV_DNS:
        sr_copy(e->text, sizeof e->text, ev->u.dns->qname, strlen(ev->u.dns->qname));
        break;
    default:
        break;
    }
}

/* A stream with default limits and one flow cli:cport -> srv:sport. */
static inline sr *sr_new_cfg(uint16_t cport, uint16_t sport, uint32_t inspect, uint32_t blocks,
                             uint32_t big)
{
    sr *r = calloc(1, sizeof *r);
    mt_stream_config c = {inspect, blocks, big};
    r->s = mt_stream_new(&c, sr_collect, r);
    r->f.ipproto = 6;
    r->f.cli_port = cport;
    r->f.srv_port = sport;
    r->f.in_use = 1;
    r->t = 1500000000000000LL;
    return r;
}

static inline sr *sr_new(uint16_t cport, uint16_t sport)
{
    return sr_new_cfg(cport, sport, 1u << 20, 64, 8);
}

static inline void sr_free(sr *r)
{
    mt_stream_release(r->s, &r->f);
    free(r->f.extra);
    mt_stream_free(r->s);
    free(r);
}

static inline void sr_feed(sr *r, int dir, const void *p, size_t n)
{
    r->t += 1000;
    mt_stream_feed(r->s, &r->f, dir, r->t, p, n);
}

static inline void sr_feed_str(sr *r, int dir, const char *p) { sr_feed(r, dir, p, strlen(p)); }

/* p[0..n) in segments of seg bytes (the last may be shorter). */
static inline void sr_feed_split(sr *r, int dir, const void *p, size_t n, size_t seg)
{
    const uint8_t *b = p;
    for (size_t off = 0; off < n; off += seg) sr_feed(r, dir, b + off, n - off < seg ? n - off : seg);
}

static inline const mt_stream_stats *sr_stats(const sr *r) { return mt_stream_get_stats(r->s); }

static inline int sr_count(const sr *r, int type)
{
    int k = 0;
    for (int i = 0; i < r->n; i++) k += r->ev[i].type == type;
    return k;
}

/* ---- ClientHello builder ----------------------------------------------- */

static inline size_t sr_put16(uint8_t *b, size_t o, unsigned v)
{
    b[o] = (uint8_t)(v >> 8);
    b[o + 1] = (uint8_t)v;
    return o + 2;
}

/* A TLS 1.3-style ClientHello for `sni` with `n_pad_ext` extra extensions
 * of `pad_len` bytes each (the unassigned-type extensions, post-quantum
 * key shares and padding that push real hellos past 8 KiB), cut into
 * records of at most rec_max handshake bytes. Returns the stream length. */
static inline size_t sr_client_hello(uint8_t *out, size_t cap, const char *sni, unsigned n_pad_ext,
                                     size_t pad_len, size_t rec_max)
{
    uint8_t *hs = malloc(cap);
    size_t o = 4;
    o = sr_put16(hs, o, 0x0303);
    memset(hs + o, 0x11, 32);
    o += 32;
    hs[o++] = 32; /* session id */
    memset(hs + o, 0x22, 32);
    o += 32;
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030};
    o = sr_put16(hs, o, sizeof suites);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) o = sr_put16(hs, o, suites[i]);
    hs[o++] = 1;
    hs[o++] = 0; /* null compression */
    size_t ext_len_at = o;
    o += 2;
    size_t sl = strlen(sni);
    o = sr_put16(hs, o, 0x0000); /* server_name */
    o = sr_put16(hs, o, (unsigned)(sl + 5));
    o = sr_put16(hs, o, (unsigned)(sl + 3));
    hs[o++] = 0;
    o = sr_put16(hs, o, (unsigned)sl);
    memcpy(hs + o, sni, sl);
    o += sl;
    o = sr_put16(hs, o, 0x000a); /* supported_groups: X25519MLKEM768, x25519 */
    o = sr_put16(hs, o, 6);
    o = sr_put16(hs, o, 4);
    o = sr_put16(hs, o, 0x11ec);
    o = sr_put16(hs, o, 0x001d);
    o = sr_put16(hs, o, 0x0010); /* ALPN h2 */
    o = sr_put16(hs, o, 5);
    o = sr_put16(hs, o, 3);
    hs[o++] = 2;
    hs[o++] = 'h';
    hs[o++] = '2';
    for (unsigned i = 0; i < n_pad_ext; i++) {
        o = sr_put16(hs, o, 0xfe00 + i); /* private-use types: skipped by parsers */
        o = sr_put16(hs, o, (unsigned)pad_len);
        memset(hs + o, (int)(0x40 + (i & 0x3f)), pad_len);
        o += pad_len;
    }
    sr_put16(hs, ext_len_at, (unsigned)(o - ext_len_at - 2));
    size_t body = o - 4;
    hs[0] = 1;
    hs[1] = (uint8_t)(body >> 16);
    hs[2] = (uint8_t)(body >> 8);
    hs[3] = (uint8_t)body;
    size_t w = 0;
    for (size_t off = 0; off < o; off += rec_max) {
        size_t len = o - off < rec_max ? o - off : rec_max;
        out[w++] = 0x16;
        out[w++] = 0x03;
        out[w++] = 0x01;
        w = sr_put16(out, w, (unsigned)len);
        memcpy(out + w, hs + off, len);
        w += len;
    }
    free(hs);
    return w;
}

#endif
