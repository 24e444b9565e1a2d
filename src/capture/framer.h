/* Stream framers: one per protocol read from TCP streams, registered in one
 * table (stream.c), after Suricata's app-layer parser registration. A
 * framer declares
 *   - a probe: does a direction that starts with these bytes (and has these
 *     ports) speak my protocol?
 *   - a parse step that cuts whole messages from in-order bytes and turns
 *     them into events,
 *   - the size of the per-direction state it keeps (mt_dirstate.fs),
 *   - its message limit: the largest message the stream driver holds for it
 *     while the message arrives in pieces; a larger one is skipped and
 *     counted (mt_stream_stats.over_limit), never dropped silently.
 * The driver (stream.c) owns the buffers, the --inspect-bytes budget, gaps,
 * skips and resynchronisation; a framer only sees bytes and says how many
 * it used. */
#ifndef MT_CAPTURE_FRAMER_H
#define MT_CAPTURE_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#include "capture/flowtable.h"
#include "minetrace/event.h"

/* Framer ids (mt_dirstate.framer). DETECT: not decided yet (the probes run);
 * STOP and CUT: nothing more is read in this direction, CUT because the
 * --inspect-bytes budget is spent (later bytes are counted). */
enum {
    MT_FR_DETECT = 0,
    MT_FR_DNS_TCP,
    MT_FR_TLS,
    MT_FR_HTTP,
    MT_FR_SV2,
    MT_FR_JSONL,
    MT_FR_WEBSOCKET,
    MT_FR_SOCKS,
    MT_FR_COUNT,
    MT_FR_STOP = 0xfe,
    MT_FR_CUT = 0xff
};

typedef struct mt_stream mt_stream;

typedef struct mt_stream_stats {
    uint64_t events[MT_EV_ALERT + 1];     /* events delivered, by MT_EV_* */
    uint64_t msgs[MT_FR_COUNT];           /* messages cut, by framer */
    uint64_t over_limit[MT_FR_COUNT];     /* messages over the framer's limit */
    uint64_t malformed[MT_FR_COUNT];      /* messages that did not parse */
    uint64_t unrecognised;                /* directions no framer claimed */
    uint64_t pool_exhausted;              /* partial messages dropped: no block free */
    uint64_t inspect_cut;                 /* partial messages dropped at --inspect-bytes */
    uint64_t past_inspect_bytes;          /* bytes after --inspect-bytes, in directions
                                             still being read */
    uint64_t gap_dropped;                 /* partial messages dropped at a sequence gap */
    uint64_t gap_stopped;                 /* directions no longer read after a gap */
    uint64_t partial_at_end;              /* partial messages pending when the flow ended */
    /* WebSocket permessage-deflate with context takeover (framer_websocket.c) */
    uint64_t ws_ctx_made;                 /* inflate contexts allocated (at most MT_WS_CTX_MAX) */
    uint64_t ws_ctx_peak;                 /* most lent at once */
    uint64_t ws_ctx_refused;              /* directions left without one: the pool was empty */
    uint64_t ws_ctx_broken;               /* directions whose stream stopped decoding */
    uint64_t ws_inflated;                 /* frames inflated through a context */
    uint64_t ws_ctx_bytes;                /* bytes one used context holds (zlib state + window) */
} mt_stream_stats;

/* Inflate contexts the stream layer lends at most (two per flow that
 * negotiated context takeover both ways; about 40 KB each once used). */
#define MT_WS_CTX_MAX 128
/* mt_flow_extra.ws_ctx[dir] */
enum { WS_CTX_NONE = 0, WS_CTX_WANTED, WS_CTX_GONE };

typedef void (*mt_stream_emit_fn)(void *ctx, mt_flow *f, int dir, mt_time_us ts, mt_event *ev);

/* One call into the stream layer: which flow, direction and time, and
 * where events and counts go. */
typedef struct mt_stream_cx {
    mt_flow *f;
    mt_dirstate *ds;
    int dir; /* 0 = client->server */
    mt_time_us ts;
    mt_stream *s;
    mt_stream_stats *st;
    mt_stream_emit_fn emit;
    void *emit_ctx;
} mt_stream_cx;

/* Bytes a direction must have before the byte probes run: enough to tell
 * an HTTP method, a TLS record header or a JSON object apart. */
#define MT_PROBE_MIN 4

/* Probe answers. MIDSTREAM: mine, but the direction was joined inside a
 * message: read from the next newline. */
enum { MT_PROBE_NO = 0, MT_PROBE_MORE, MT_PROBE_YES, MT_PROBE_MIDSTREAM };

/* parse() result MT_FR_MORE + k: k bytes were used, and the bytes from
 * p + k on start an incomplete message; call again when more have arrived
 * (the driver holds up to max_msg bytes). */
#define MT_FR_MORE ((size_t)1 << (sizeof(size_t) * 8 - 1))

typedef struct mt_framer {
    const char *name;   /* in --stats and docs */
    uint8_t id;         /* MT_FR_* */
    uint8_t state_size; /* bytes of mt_dirstate.fs used, <= MT_FRAMER_STATE_MAX */
    uint8_t resync_nl;  /* after an over-limit message or a gap, resume at the
                           next newline (line protocols) instead of stopping */
    uint32_t max_msg;   /* largest message held while it arrives in pieces */
    /* Port rule: a flow with this port on either side is this framer's,
     * whatever its bytes (0: none). */
    uint16_t port;
    /* Byte rule: the probe runs only on directions whose first byte lies
     * in [first_lo, first_hi], once MT_PROBE_MIN bytes are there. */
    uint8_t first_lo, first_hi;
    /* Bytes the probe needs at least (0: MT_PROBE_MIN). A SOCKS5 greeting
     * is 3 bytes and the client then waits for the answer. */
    uint8_t probe_min;
    /* Probe the first bytes p[0..n) of direction dir; NULL for a framer that
     * is only entered from another (WebSocket after an HTTP Upgrade) or by
     * its port alone. */
    int (*probe)(const mt_flow *f, int dir, const uint8_t *p, size_t n);
    /* Cut messages from p[0..n) (n >= 1): return the bytes used (0 only
     * after changing the direction's framer or skip state), or MT_FR_MORE
     * plus the bytes used before an incomplete message. */
    size_t (*parse)(mt_stream_cx *cx, const uint8_t *p, size_t n);
} mt_framer;

extern const mt_framer mt_framer_dns_tcp, mt_framer_tls, mt_framer_http, mt_framer_sv2,
    mt_framer_jsonl, mt_framer_websocket, mt_framer_socks;

/* The registered framer with this id, or NULL. */
const mt_framer *mt_framer_get(unsigned id);
/* The registered framer with this name ("http", ...), or NULL. */
const mt_framer *mt_framer_by_name(const char *name);

/* ---- services of the stream driver to the framers (stream.c) ---------- */

/* Deliver an event of this flow and direction (counted by type). */
static inline void mt_stream_emit(mt_stream_cx *cx, mt_event *ev)
{
    cx->st->events[ev->type]++;
    cx->emit(cx->emit_ctx, cx->f, cx->dir, cx->ts, ev);
}
/* Hand direction dir of the flow to framer id (its state starts zeroed). A
 * direction whose --inspect-bytes budget is spent stays cut. */
void mt_stream_switch(mt_stream_cx *cx, int dir, unsigned id);
/* Nothing more to read in direction dir (encrypted, unframed, not ours). */
void mt_stream_stop(mt_stream_cx *cx, int dir);
/* Pass over the next n bytes of this direction. */
void mt_stream_skip(mt_stream_cx *cx, uint64_t n);
/* Counters of the current framer: a message over its limit (skipped or
 * inspected only in part), a message that did not parse, a message cut. */
static inline void mt_stream_count_over_limit(mt_stream_cx *cx) { cx->st->over_limit[cx->ds->framer]++; }
static inline void mt_stream_count_malformed(mt_stream_cx *cx) { cx->st->malformed[cx->ds->framer]++; }
static inline void mt_stream_count_msg(mt_stream_cx *cx) { cx->st->msgs[cx->ds->framer]++; }
/* A scratch buffer of MT_STREAM_SCRATCH bytes (one message at a time). */
#define MT_STREAM_SCRATCH 8192
uint8_t *mt_stream_scratch(mt_stream_cx *cx);
/* The flow's extra block (SNI, WebSocket host and URI), made on first use. */
mt_flow_extra *mt_stream_extra(mt_flow *f);
/* An inflate context for direction dir of the flow (fresh stream), or NULL
 * when all MT_WS_CTX_MAX are lent (counted); returned at flow end. */
struct mt_ws_inflater *mt_stream_ws_ctx(mt_stream_cx *cx, int dir);
/* Give a direction's context back early (its stream broke). */
void mt_stream_ws_ctx_drop(mt_stream_cx *cx, int dir);
/* A second scratch buffer of MT_STREAM_SCRATCH bytes, for inflated text. */
uint8_t *mt_stream_scratch2(mt_stream_cx *cx);

/* The framer state of the current direction as type T. */
#define MT_FRAMER_STATE(cx, T) ((T *)(void *)(cx)->ds->fs.u8)
#define MT_FRAMER_STATE_CHECK(T)                                                  \
    _Static_assert(sizeof(T) <= MT_FRAMER_STATE_MAX && _Alignof(T) <= 4,         \
                   #T " does not fit mt_dirstate.fs")

/* Shared by the JSON-lines and HTTP framers: one JSON object as an event. */
void mt_stream_emit_json(mt_stream_cx *cx, const uint8_t *p, size_t n, int in_body);

static inline int mt_stream_is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

#endif
