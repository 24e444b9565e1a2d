/* scan -j N: the worker set. One reader thread (the caller's) walks the
 * capture and hands each packet to worker i = symmetric flow hash mod N, so
 * both directions of a flow meet the same flow table. Worker 0 is the
 * reader itself (on a 2-core machine a third busy thread would only
 * oversubscribe); workers 1..N-1 are threads fed through bounded
 * single-producer/single-consumer byte rings (C11 atomics, no lock, no
 * allocation per packet): a classic pcap file is mapped whole and the ring
 * holds a pointer into it; other inputs (pcapng through libpcap, whose
 * buffer is reused) are copied into the ring. A classic pcap file is not
 * handed over at all: every worker walks its mapping (mt_workers_walk), as
 * reading and hashing a packet costs about as much as processing it.
 * Each worker owns one mt_pipeline and
 * one mt_engine running the detectors (the front half).
 *
 * Output is the same as with -j 1 (order aside) because
 *   - findings leave each worker's engine through mt_engine_set_emit_hook
 *     tagged with the number of the packet being processed, and the back
 *     half (confidence floor, finding rules, identity set, host verdicts,
 *     sinks: mt_engine_emit_back on the caller's engine) takes them in that
 *     packet order, on the reader's thread, once no worker can still make
 *     an earlier one. Flows still open at the end are ended per worker and
 *     their findings ordered by flow end time, then worker;
 *   - the DNS tie is the caller's engine's, shared, and answers each get as
 *     it stood at the getter's packet (mt_dnstie_set_order: versions per
 *     slot, earlier DNS packets of other workers waited for; proof in
 *     workers.c). UDP DNS needs no flow entry and goes to worker 0;
 *   - the detectors' "reported today" sets that span flows (DNS, TLS,
 *     HTTP) are asked in that same order by the back half
 *     (mt_seenset_defer_new): a worker's detector emits as if new and the
 *     finding is dropped when -j 1's set would have said "seen".
 * Flow tables, stream blocks and the other per-flow state are per worker;
 * a table that fills (--max-flows, stratum sessions) evicts other flows
 * than -j 1's would.
 *
 * Environment (measurements): MT_JOBS_SHARE0=F gives the reader the share F
 * of the flows (default 0.2/N: it also reads, decodes once more, hashes and
 * copies every packet), MT_JOBS_WALKSHARE0=F when the workers walk a mapped
 * file (default 0.7/N); MT_JOBS_NOWALK=1 (read by scan) hands a mapped file's
 * packets over the rings instead, as pointers (for comparison);
 * MT_JOBS_DEBUG=1 prints each thread's CPU time.
 *
 * -j 1 does not use this: the caller feeds its pipeline directly. */
#ifndef MT_CLI_WORKERS_H
#define MT_CLI_WORKERS_H

#include "capture/pipeline.h"
#include "capture/source.h"
#include "minetrace/engine.h"

typedef struct mt_workers mt_workers;

#define MT_WORKERS_MAX 64

/* n workers (2..MT_WORKERS_MAX). `back` is the caller's engine: its sinks,
 * host verdicts, identity set and DNS tie serve every worker; its own
 * detectors see no event. `ec` and `pc` configure each worker's engine and
 * pipeline (--max-flows is per worker). Threads start here. */
mt_workers *mt_workers_new(unsigned n, mt_engine *back, const mt_engine_config *ec,
                           const mt_pipeline_config *pc);
/* The reader's entry, one captured frame (the signature of
 * mt_source_opts.packet; ctx is the worker set). Call from one thread. */
void mt_workers_packet(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                       uint32_t caplen, uint32_t wirelen);
/* The same for data that stays where it is until mt_workers_release
 * (mt_source_opts.packet_mapped / .release: a mapped capture file): the
 * ring holds a pointer, not a copy. Release returns once no worker holds
 * one any more. */
void mt_workers_packet_mapped(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                              uint32_t caplen, uint32_t wirelen);
void mt_workers_release(void *ctx);
/* mt_source_opts.walk: a mapped classic pcap file is walked by every
 * worker at once, each decoding every packet and processing its own (no
 * reader, no copies, no ring); returns when all have finished it. Output
 * as above. Call from the reader's thread. */
void mt_workers_walk(void *ctx, mt_source_walk *sw);
/* Pass on the findings whose turn has come (reader's thread; the CLI's
 * flush tick calls it before flushing the sinks). */
void mt_workers_drain(mt_workers *w);
/* End of input: workers end their open flows and flush their detectors;
 * every remaining finding is passed on; threads are joined. The back
 * engine's sinks are not flushed (mt_engine_flush on it does that). */
void mt_workers_finish(mt_workers *w);
/* For a live source that splits packets per thread itself (AF_PACKET
 * fanout): no reader thread, no rings; n (1..MT_WORKERS_MAX) workers, and
 * thread i feeds worker i with mt_workers_direct_packet (one thread per
 * worker, each its own). Exactly one thread calls mt_workers_drain now and
 * then (the flush tick) and mt_workers_finish once the feeding threads
 * have stopped. -j 1's order does not exist here (the kernel's): the tie
 * answers as it stands, and each drain passes findings on by packet time. */
mt_workers *mt_workers_new_direct(unsigned n, mt_engine *back, const mt_engine_config *ec,
                                  const mt_pipeline_config *pc);
void mt_workers_direct_packet(mt_workers *w, unsigned i, int linktype, mt_time_us ts,
                              const uint8_t *data, uint32_t caplen, uint32_t wirelen);
unsigned mt_workers_count(const mt_workers *w);
mt_pipeline *mt_workers_pipeline(mt_workers *w, unsigned i);
mt_engine *mt_workers_engine(mt_workers *w, unsigned i);
/* Worker i's counters added into `into` (for one --stats). */
void mt_workers_add_stats(mt_workers *w, mt_pipeline *into);
void mt_workers_free(mt_workers *w);

#endif
