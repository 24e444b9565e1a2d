/* Packet sources: pcap/pcapng files and live interfaces (libpcap), feeding
 * a pipeline. Bad input is reported, never fatal to the whole run: a
 * truncated file keeps everything read before the cut. */
#ifndef MT_CAPTURE_SOURCE_H
#define MT_CAPTURE_SOURCE_H

#include <stdio.h>
#include "capture/afpacket.h"
#include "capture/decode.h"
#include "capture/pipeline.h"

typedef struct mt_source_walk mt_source_walk; /* below */

typedef struct mt_source_opts {
    const char *bpf;        /* BPF filter, NULL = none */
    int snaplen;            /* live only; default 65535 */
    int promisc;            /* live only; default 1 */
    const char *drop_user;  /* live only: setuid to this user after open */
    /* live only: AF_PACKET (Linux) unless unavailable, then libpcap, saying
     * why; or one of them, an error when it cannot be had */
    int capture;            /* MT_CAPTURE_AUTO, _AFPACKET, _PCAP */
    unsigned ring_mb;       /* AF_PACKET ring per thread in MiB; 0: 32 */
    int progress;           /* print progress to stderr */
    int quiet;              /* no warnings (errors still reported) */
    FILE *progress_out;
    /* Called about every tick_interval_s seconds of wall time while packets
     * are read (files and live, also while a live interface is idle) with
     * hup = 0, and soon after SIGHUP with hup = 1: the CLI flushes and
     * commits its outputs there, and reopens output files on hup (log
     * rotation). NULL: never; SIGHUP then keeps its default action. */
    void (*tick)(void *ctx, int hup);
    void *tick_ctx;
    double tick_interval_s;  /* <= 0: only SIGHUP calls tick */
    /* When set, every packet goes here instead of mt_pipeline_packet (the
     * pipeline argument is then unused): scan -j's dispatcher. */
    void (*packet)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                   uint32_t caplen, uint32_t wirelen);
    void *packet_ctx;
    /* When set, classic pcap files are mapped whole and their packets go
     * here (instead of `packet`) with data that stays valid until
     * `release` returns; release is called before the file is unmapped. */
    void (*packet_mapped)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                          uint32_t caplen, uint32_t wirelen);
    void (*release)(void *ctx);
    /* When set, a classic pcap file is mapped whole and, instead of being
     * fed packet by packet, handed to walk once: walk calls
     * mt_source_walk_run(w, ..., lead = 1) on this thread and may have
     * other threads walk the same file at the same time (lead = 0); it
     * returns once every walk has. Files that cannot be mapped use
     * packet_mapped or packet. */
    void (*walk)(void *ctx, mt_source_walk *w);
} mt_source_opts;

/* One mapped capture file being walked (scan -j). Each walker sees every
 * packet, with the same repaired times and filter verdicts, in file order,
 * and calls packet(ctx, ...) for each; only the lead counts packets into
 * the result, polls the tick, prints progress and warns. Walkers may run
 * concurrently (the map is read only). */
void mt_source_walk_run(mt_source_walk *w,
                        void (*packet)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                                       uint32_t caplen, uint32_t wirelen),
                        void *ctx, int lead);

enum { MT_CAPTURE_AUTO, MT_CAPTURE_AFPACKET, MT_CAPTURE_PCAP };
/* --ring-mb N as blocks of the default size (at least two). */
void mt_source_ring_blocks(unsigned ring_mb, unsigned *block_kb, unsigned *blocks);

/* Capture times from 1970-01-01 up to (not including) 2100-01-01 are
 * possible; others (negative, 0x7fffffffffffffff, far future) are not. */
#define MT_SOURCE_TS_LIMIT_S 4102444800LL

typedef struct mt_source_result {
    uint64_t packets;
    int truncated;          /* file ended inside a record */
    char error[256];        /* last libpcap error, "" if none */
    /* Packets with impossible timestamps: each takes the time of the
     * packet before it (bad_ts_clamped); those before any possible time
     * are skipped (bad_ts_skipped). */
    uint64_t bad_ts_clamped, bad_ts_skipped;
    /* live only: kernel counters (recv: passed the filter, drop: of those,
     * found no room in the kernel's buffer), summed over the threads */
    uint64_t recv, drop, ifdrop;
    const char *capture;    /* "afpacket" or "pcap" */
    unsigned threads;       /* AF_PACKET: one entry of `thread` each */
    mt_afp_stats thread[MT_AFP_MAX_THREADS];
} mt_source_result;

void mt_source_opts_defaults(mt_source_opts *o);
/* MT_OK when the file was read (possibly truncated: see res->truncated);
 * MT_EIO when it could not be opened (mt_error_msg() says why). */
int mt_source_read_file(mt_pipeline *pl, const char *path, const mt_source_opts *o,
                        mt_source_result *res);
/* Capture until SIGINT/SIGTERM (or `max_packets` > 0 reached). */
int mt_source_live(mt_pipeline *pl, const char *iface, const mt_source_opts *o,
                   uint64_t max_packets, mt_source_result *res);
/* One frame to a consumer (a worker of scan -j). */
typedef void (*mt_source_packet_fn)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                                    uint32_t caplen, uint32_t wirelen);
/* Live capture on n threads, AF_PACKET only (n sockets in one fanout
 * group: both directions of a flow reach the same thread). Capture thread i
 * calls fn(ctx[i], ...) with each of its frames, straight from its ring,
 * and never with another's: consumer i needs no lock against consumer j.
 * The calling thread keeps the clock (o->tick, SIGHUP, concurrently with
 * the capture threads) until SIGINT/SIGTERM or max_packets in all; then
 * every thread has returned. res->thread[i] are thread i's counters.
 * MT_ENOTFOUND when AF_PACKET cannot be had (the message says why; a
 * single-thread libpcap capture may still work). */
int mt_source_live_threads(const char *iface, const mt_source_opts *o, unsigned n,
                           mt_source_packet_fn fn, void *const *ctx, uint64_t max_packets,
                           mt_source_result *res);
/* The live counters for --stats and the closing line: the totals, and with
 * per_thread each AF_PACKET thread's (they sum to the totals). */
void mt_source_print_live(const char *iface, const mt_source_result *res, int per_thread,
                          FILE *out);

#endif
