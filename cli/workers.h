/* scan -j N: the worker set. One reader thread (the caller's) walks the
 * capture and hands each packet to worker i = symmetric flow hash mod N, so
 * both directions of a flow meet the same flow table. Worker 0 is the
 * reader itself (on a 2-core machine a third busy thread would only
 * oversubscribe); workers 1..N-1 are threads fed through bounded
 * single-producer/single-consumer byte rings (C11 atomics, no lock, no
 * allocation per packet: the record is copied into the ring, because the
 * reader's read() buffer is reused). Each worker owns one mt_pipeline and
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
 *   - the DNS tie is the caller's engine's, shared: every put and get waits
 *     (mt_dnstie_set_sync) until no other worker holds an unprocessed packet
 *     that could change the answer: for a put, any earlier packet; for a
 *     get, an earlier DNS packet (port 53). So the tie sees its puts and
 *     gets in the order -j 1 does (proof in workers.c). UDP DNS needs no flow
 *     entry and goes to worker 0.
 * Per-detector memories that span flows (the TLS, HTTP and DNS detectors'
 * "reported today" sets) are per worker: a repeat they would have caught
 * across workers reaches the identity set instead, which drops it (same
 * host, evidence and day, later time).
 *
 * -j 1 does not use this: the caller feeds its pipeline directly. */
#ifndef MT_CLI_WORKERS_H
#define MT_CLI_WORKERS_H

#include "capture/pipeline.h"
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
/* Pass on the findings whose turn has come (reader's thread; the CLI's
 * flush tick calls it before flushing the sinks). */
void mt_workers_drain(mt_workers *w);
/* End of input: workers end their open flows and flush their detectors;
 * every remaining finding is passed on; threads are joined. The back
 * engine's sinks are not flushed (mt_engine_flush on it does that). */
void mt_workers_finish(mt_workers *w);
unsigned mt_workers_count(const mt_workers *w);
mt_pipeline *mt_workers_pipeline(mt_workers *w, unsigned i);
mt_engine *mt_workers_engine(mt_workers *w, unsigned i);
/* Worker i's counters added into `into` (for one --stats). */
void mt_workers_add_stats(mt_workers *w, mt_pipeline *into);
void mt_workers_free(mt_workers *w);

#endif
