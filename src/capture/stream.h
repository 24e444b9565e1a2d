/* Stream inspection: the first --inspect-bytes of each TCP direction, in
 * order, cut into messages by the framer that claims the direction
 * (framer.h) and turned into events. Whole messages are read in place from
 * the packet; only a trailing partial message is copied into a pooled block
 * (8 KiB, or a large block for framers whose messages may be larger) and
 * joined with the next segment. Nothing is allocated per packet. What is
 * not inspected for a reason other than "nothing more to read there" (the
 * encrypted rest of a TLS flow) is counted: mt_stream_stats, listed in
 * docs/ARCHITECTURE.md. */
#ifndef MT_CAPTURE_STREAM_H
#define MT_CAPTURE_STREAM_H

#include <stdio.h>

#include "capture/framer.h"

typedef struct mt_stream_config {
    uint32_t inspect_bytes;  /* payload bytes inspected per direction */
    uint32_t max_blocks;     /* cap on 8 KiB partial-message blocks in use */
    uint32_t max_big_blocks; /* cap on large blocks (messages over 8 KiB) in use */
} mt_stream_config;

#define MT_STREAM_BLOCK 8192u


/* emit receives every event, with the flow and direction it came from. */
mt_stream *mt_stream_new(const mt_stream_config *c, mt_stream_emit_fn emit, void *ctx);
void mt_stream_free(mt_stream *s);
void mt_stream_feed_(mt_stream *s, mt_flow *f, int dir, mt_time_us ts, const uint8_t *p,
                     size_t n);
/* In-order payload bytes of one direction (dir 0 = client->server). Most
 * packets belong to directions nothing reads any more: they return here. */
static inline void mt_stream_feed(mt_stream *s, mt_flow *f, int dir, mt_time_us ts,
                                  const uint8_t *p, size_t n)
{
    if (f->d[dir].framer != MT_FR_STOP) mt_stream_feed_(s, f, dir, ts, p, n);
}
/* A sequence gap before the next bytes: a held partial message is useless
 * now; line protocols resynchronise at the next newline, others stop. */
void mt_stream_gap(mt_stream *s, mt_flow *f, int dir);
void mt_stream_release_(mt_stream *s, mt_flow *f);
/* Flow end: release both directions' blocks and inflate contexts (most
 * flows hold none). */
static inline void mt_stream_release(mt_stream *s, mt_flow *f)
{
    if ((f->d[0].blk | f->d[1].blk) || (f->flags & MT_FLOW_WS_INFLATE)) mt_stream_release_(s, f);
}
const mt_stream_stats *mt_stream_get_stats(const mt_stream *s);
/* Blocks allocated so far (small, large) and the large block size. */
void mt_stream_block_counts(const mt_stream *s, uint32_t *small, uint32_t *big,
                            uint32_t *big_size);
/* Add from's counters and block counts to into's (scan -j: one --stats
 * for all workers). */
void mt_stream_add_stats(mt_stream *into, const mt_stream *from);
/* The "stream ..." lines of --stats. */
void mt_stream_print_stats(const mt_stream *s, FILE *out);

#endif
