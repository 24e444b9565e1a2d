/* Live capture with AF_PACKET (Linux): N sockets in one PACKET_FANOUT group
 * (hash of the flow, both directions to the same socket, IP fragments
 * reassembled first), each with its own TPACKET_V3 receive ring, so N
 * threads each read their share of the link with no lock and no copy.
 * Elsewhere (not Linux) mt_afp_open fails with MT_ENOTFOUND ("not
 * available here") and the caller falls back to libpcap.
 *
 * Thread i calls mt_afp_run(a, i, ...) and gets every frame of socket i in
 * its callback, pointing into the ring; the frame is valid until the
 * callback returns. Counters are read from the kernel by the thread that
 * owns the socket (PACKET_STATISTICS resets on read, so they are summed
 * into 64-bit totals) and may be read by anyone once the threads have
 * returned from mt_afp_run. */
#ifndef MT_CAPTURE_AFPACKET_H
#define MT_CAPTURE_AFPACKET_H

#include <stddef.h>
#include <stdint.h>
#include "minetrace/common.h"

#define MT_AFP_MAX_THREADS 64
/* Per socket: blocks of block_kb KiB; the defaults give 32 MiB a thread.
 * Small blocks are read soon after the kernel wrote them, while the frames
 * are still in the cache: on a veth at 100k packets/s, 4 MiB blocks cost
 * the reader six times the CPU of 1 MiB ones (docs/CAPTURE.md). */
#define MT_AFP_BLOCK_KB_DEFAULT 1024
#define MT_AFP_BLOCKS_DEFAULT 32

typedef struct mt_afp mt_afp;

typedef struct mt_afp_config {
    const char *iface;
    unsigned threads;       /* sockets in the fanout group, 1..MT_AFP_MAX_THREADS */
    unsigned block_kb;      /* ring block size in KiB: a power of two, 4..131072 (0: default) */
    unsigned blocks;        /* ring blocks per socket, 2..65536 (0: default) */
    unsigned retire_ms;     /* a block not full is handed over after this (0: 100) */
    int snaplen;            /* bytes kept of each frame (<= 0: 262144) */
    int promisc;
    const char *bpf;        /* filter expression (libpcap syntax), NULL = all */
} mt_afp_config;

/* One socket's counters. `packets`/`drops`/`freezes` are the kernel's
 * (tpacket_stats_v3: packets that passed the filter, of which `drops` found
 * no room in the ring; `freezes` times the queue was frozen). `frames` were
 * handed to the callback; `bad_frames` were refused by the bounds checks of
 * the block walk (a kernel bug, never seen: counted, not trusted). */
typedef struct mt_afp_stats {
    uint64_t packets, drops, freezes;
    uint64_t frames, bytes, blocks, bad_frames;
} mt_afp_stats;

/* Called with each frame; a non-zero return stops thread i's loop. */
typedef int (*mt_afp_frame_fn)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                               uint32_t caplen, uint32_t wirelen);
/* Called from thread i at least every 100 ms while it waits, and after
 * every block; a non-zero return stops the loop. May be NULL. */
typedef int (*mt_afp_idle_fn)(void *ctx);

void mt_afp_config_defaults(mt_afp_config *c);
/* Opens and binds every socket (needs CAP_NET_RAW): the caller may drop
 * privileges afterwards. MT_ENOTFOUND: AF_PACKET is not available (not
 * Linux, socket() refused with EAFNOSUPPORT/EPERM/EACCES, or an interface
 * whose link layer we do not map); the message says which, and a libpcap
 * capture may still work. Other codes: the interface, the filter or the
 * ring is wrong, and libpcap would fail the same way. */
int mt_afp_open(mt_afp **out, const mt_afp_config *c);
void mt_afp_close(mt_afp *a);
unsigned mt_afp_threads(const mt_afp *a);
int mt_afp_linktype(const mt_afp *a); /* a libpcap DLT_ value */
/* Thread i's loop: until mt_afp_stop, or a callback asks to stop. MT_OK, or
 * MT_EIO when the socket failed (mt_error_msg() says why). */
int mt_afp_run(mt_afp *a, unsigned i, mt_afp_frame_fn fn, void *fn_ctx, mt_afp_idle_fn idle,
               void *idle_ctx);
/* Every thread stops within 100 ms. Async-signal-safe. */
void mt_afp_stop(mt_afp *a);
/* Socket i's counters (see above for when). */
void mt_afp_get_stats(const mt_afp *a, unsigned i, mt_afp_stats *out);
/* Packets dropped by the interface (its rx_dropped) since mt_afp_open. */
uint64_t mt_afp_ifdrop(const mt_afp *a);

/* The walk over one TPACKET_V3 block, for the loop and for tests: every
 * frame's offsets and lengths are checked against the block's own length
 * (`len`, at most the ring's block size) before it is handed to `fn`.
 * Returns the frames refused (0 on a sound block); *stop is set when `fn`
 * asked to stop. Ethernet frames whose VLAN tag the kernel took out have it
 * put back in place (the ring is writable), as libpcap does. */
uint64_t mt_afp_walk_block(uint8_t *block, size_t len, int linktype, mt_afp_frame_fn fn,
                           void *ctx, mt_afp_stats *st, int *stop);

#endif
