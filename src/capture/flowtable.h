/* Bidirectional flow table with a hard memory cap.
 *
 * All flows live in one array allocated at start (max_flows entries); an
 * open-addressing index (linear probing, backward-shift deletion) maps the
 * direction-independent 5-tuple to a slot; a doubly linked LRU list orders
 * flows by last activity so idle flows can be expired from the tail and,
 * when the table is full, the least recently used flow is evicted. Nothing
 * is allocated per packet or per flow.
 *
 * Why this is not a util/hashmap table: it is looked up once per packet and
 * is the largest hash cost of a run (figures in bench/RESULTS.md). It
 * relies on three things the general map does not give: an occupancy
 * bitmap beside the index (64 KiB, stays in L2), so a new flow is found
 * absent and inserted without loading an index line;
 * index slots holding part of the hash beside the flow number, so probes
 * skip other flows without touching them; and a drain mode for the end of
 * a capture in which removals leave the index alone. The flows themselves
 * sit in a separate array threaded on the LRU list, where a map value would
 * move on every backward-shift deletion. */
#ifndef MT_CAPTURE_FLOWTABLE_H
#define MT_CAPTURE_FLOWTABLE_H

#include "capture/decode.h"
#include "capture/stream_types.h"
#include "minetrace/event.h"


#define MT_FLOW_GUESSED 0x01   /* client/server orientation guessed */
#define MT_FLOW_SYN 0x02       /* handshake seen */
#define MT_FLOW_FIN_C 0x04
#define MT_FLOW_FIN_S 0x08
#define MT_FLOW_RST 0x10
#define MT_FLOW_WS_PENDING 0x20 /* client asked for a WebSocket upgrade */
#define MT_FLOW_CONNECT_PENDING 0x40 /* client sent an HTTP CONNECT (a proxy tunnel) */
#define MT_FLOW_WS_INFLATE 0x80 /* holds WebSocket inflate contexts (stream.c) */

typedef struct mt_flow_extra {
    char sni[MT_NAME_MAX];
    char ws_host[MT_NAME_MAX];
    char ws_uri[256];
    /* permessage-deflate with context takeover, per direction: the
     * inflater lent by the stream layer's pool, whether the direction
     * negotiated it (WS_CTX_*), and whether a compressed message is in
     * the middle of its fragments. */
    struct mt_ws_inflater *wsz[2];
    uint8_t ws_ctx[2];
    uint8_t ws_in_msg[2];
} mt_flow_extra;

typedef struct mt_flow {
    mt_addr cli, srv;
    uint16_t cli_port, srv_port;
    uint8_t ipproto;
    uint8_t flags;
    uint8_t app;           /* MT_APP_* */
    uint8_t n_sizes;
    uint8_t in_use;        /* here, in the first cache line with the key: the
                              previous-flow check reads it for every packet */
    uint32_t hash;
    uint32_t lru_prev, lru_next; /* slot index + 1; 0 = none */
    uint32_t smb_pkts;
    uint32_t event_mask;   /* 1u << MT_EV_* of the events emitted so far */
    uint64_t id;
    mt_time_us first_ts, last_ts;
    uint64_t pkts[2], bytes[2];  /* [0] client->server, [1] server->client */
    int32_t sizes[MT_FLOW_NSIZES];
    /* behaviour statistics for the flow detector (payload packets only) */
    mt_time_us last_data_ts, max_gap;
    uint64_t data_pkts[2], small_pkts[2], pushes_s2c, bursts_c2s;
    uint32_t max_size[2];
    mt_flow_extra *extra;  /* allocated for TLS/WebSocket flows only */
    mt_dirstate d[2];
    mt_flow_shape shape;   /* first-minute shape (TLS-only miner rule) */
    uint64_t last_seq;     /* number of the flow's last packet (scan -j orders the
                              flows ended at the end by it, as the LRU does);
                              320 bytes: five whole cache lines per slot in
                              the (2 MiB aligned) table */
} mt_flow;
_Static_assert(sizeof(mt_flow) == 320, "mt_flow: keep five cache lines (adjust pad_)");

typedef struct mt_flowtable mt_flowtable;

mt_flowtable *mt_flowtable_new(uint32_t max_flows);
void mt_flowtable_free(mt_flowtable *t);
/* Find the flow of a packet; *dir = 0 when the packet goes client->server. */
mt_flow *mt_flowtable_find(mt_flowtable *t, const mt_packet *pk, int *dir);
/* Insert a new flow for this packet, oriented as given (cli = pk->src when
 * `src_is_client`). Returns NULL when the table is full: evict first. */
mt_flow *mt_flowtable_insert(mt_flowtable *t, const mt_packet *pk, int src_is_client);
void mt_flowtable_remove(mt_flowtable *t, mt_flow *f);
void mt_flowtable_touch(mt_flowtable *t, mt_flow *f);
/* Draining (end of input): between begin and end, removals skip the index,
 * and lookups and inserts must not happen; end rebuilds the index for the
 * flows still in use, so the table is whole again afterwards. */
void mt_flowtable_drain_begin(mt_flowtable *t);
void mt_flowtable_drain_end(mt_flowtable *t);
/* Least recently active flow, or NULL when empty. */
mt_flow *mt_flowtable_oldest(mt_flowtable *t);
/* The next more recently active flow after f, or NULL (f is the newest). */
mt_flow *mt_flowtable_newer(mt_flowtable *t, const mt_flow *f);
/* Start loading a flow's five lines: for walks along the LRU list, whose
 * next flow is a cache miss each. */
static inline void mt_flow_prefetch(const mt_flow *f)
{
    for (size_t off = 0; off < sizeof *f; off += 64) __builtin_prefetch((const char *)f + off);
}
uint32_t mt_flowtable_count(const mt_flowtable *t);
uint32_t mt_flowtable_capacity(const mt_flowtable *t);

#endif
