/* The packet pipeline: decoded packets -> flow table -> stream inspection
 * -> events for whoever consumes them (an mt_event_sink: the engine in
 * minetrace). Owns the flow table and the inspection buffer pool; knows
 * nothing about where packets come from (file or interface) nor where the
 * events go. */
#ifndef MT_CAPTURE_PIPELINE_H
#define MT_CAPTURE_PIPELINE_H

#include <stdio.h>
#include "capture/decode.h"
#include "capture/stream.h"
#include "minetrace/event.h"
#include "minetrace/intel.h"

typedef struct mt_pipeline mt_pipeline;

typedef struct mt_pipeline_config {
    uint32_t max_flows;        /* hard cap on tracked flows */
    uint32_t inspect_bytes;    /* payload bytes inspected per direction */
    uint32_t max_blocks;       /* cap on 8 KiB reassembly blocks in use */
    uint32_t max_big_blocks;   /* cap on large blocks (HTTP heads, TLS hellos over 8 KiB) */
    uint32_t tcp_idle_s;       /* idle timeout of open TCP flows */
    uint32_t udp_idle_s;
} mt_pipeline_config;

typedef struct mt_pipeline_stats {
    uint64_t packets, bytes;
    uint64_t decoded, not_ip, fragments, truncated, malformed, unsupported_link;
    uint64_t flows_created, flows_ended, flows_idle_expired, flows_evicted_lru;
    uint64_t tcp_gaps, tcp_retrans_bytes;
    /* DNS over UDP and SMB are read per packet here; TCP streams in stream.c */
    uint64_t dns_msgs, dns_errors, dns_truncated, smb_events;
    uint32_t max_flows_in_use;
} mt_pipeline_stats;

void mt_pipeline_config_defaults(mt_pipeline_config *c);
/* Events go to `out`; `intel` (borrowed, may be NULL) answers which ports
 * are servers when a flow's direction must be guessed. */
mt_pipeline *mt_pipeline_new(mt_event_sink out, const mt_intel *intel, const mt_pipeline_config *c);
void mt_pipeline_free(mt_pipeline *p);
/* One captured frame. */
void mt_pipeline_packet(mt_pipeline *p, int linktype, mt_time_us ts,
                        const uint8_t *data, uint32_t caplen, uint32_t wirelen);
/* The same for a frame its caller has decoded already (mt_decode_packet's
 * result and packet): scan -j's walkers decode every frame to choose its
 * worker and do not decode it twice. */
void mt_pipeline_decoded(mt_pipeline *p, mt_decode_result r, mt_packet *pk, mt_time_us ts,
                         uint32_t wirelen);
/* scan -j: the number of the next packet in the whole input (flows keep
 * their last packet's once mt_pipeline_set_expiry_ticks is on), and, while
 * a flow's end is being emitted, that flow's last number: the flows one
 * pipeline ends at the end of input go least recently active first, so
 * several pipelines' ends can be put in the order one pipeline would have
 * ended them. 0 unless set. */
void mt_pipeline_set_seq(mt_pipeline *p, uint64_t seq);
uint64_t mt_pipeline_end_seq(const mt_pipeline *p);
/* scan -j: idle flows are looked for every 64th packet of the input (when
 * it decodes), before it; with several pipelines that packet goes to one,
 * so the caller ticks them all (mt_pipeline_expire with its time) and
 * turns the pipeline's own count off. */
void mt_pipeline_set_expiry_ticks(mt_pipeline *p, int external);
void mt_pipeline_expire(mt_pipeline *p, mt_time_us now);
/* One look (at most 4 flows, least recently active first, the most one
 * look ends) split over several tables: the first up to 4 flows of this
 * table, their last packet numbers and whether each is idle at `now`; the
 * caller merges the tables' heads and ends the k oldest here. */
unsigned mt_pipeline_idle_head(mt_pipeline *p, mt_time_us now, uint64_t seq[4], uint8_t idle[4]);
void mt_pipeline_expire_oldest(mt_pipeline *p, unsigned k);
/* End every open flow (end of input); emits MT_EV_FLOW_END for each. */
void mt_pipeline_finish(mt_pipeline *p);
const mt_pipeline_stats *mt_pipeline_get_stats(const mt_pipeline *p);
/* The stream layer's counters (messages per framer, what was not inspected). */
const mt_stream_stats *mt_pipeline_stream_stats(const mt_pipeline *p);
/* Add from's counters (packets, flows, stream) to into's: scan -j prints
 * one --stats for all its workers. Peaks add up (per-worker tables). */
void mt_pipeline_add_stats(mt_pipeline *into, const mt_pipeline *from);
void mt_pipeline_print_stats(const mt_pipeline *p, FILE *out);

#endif
