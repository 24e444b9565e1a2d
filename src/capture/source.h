/* Packet sources: pcap/pcapng files and live interfaces (libpcap), feeding
 * a pipeline. Bad input is reported, never fatal to the whole run: a
 * truncated file keeps everything read before the cut. */
#ifndef MT_CAPTURE_SOURCE_H
#define MT_CAPTURE_SOURCE_H

#include <stdio.h>
#include "capture/decode.h"
#include "capture/pipeline.h"

typedef struct mt_source_opts {
    const char *bpf;        /* BPF filter, NULL = none */
    int snaplen;            /* live only; default 65535 */
    int promisc;            /* live only; default 1 */
    const char *drop_user;  /* live only: setuid to this user after open */
    int progress;           /* print progress to stderr */
    int quiet;              /* no warnings (errors still reported) */
    FILE *progress_out;
} mt_source_opts;

typedef struct mt_source_result {
    uint64_t packets;
    int truncated;          /* file ended inside a record */
    char error[256];        /* last libpcap error, "" if none */
    /* live only: kernel counters */
    uint64_t recv, drop, ifdrop;
} mt_source_result;

void mt_source_opts_defaults(mt_source_opts *o);
/* MT_OK when the file was read (possibly truncated: see res->truncated);
 * MT_EIO when it could not be opened (mt_error_msg() says why). */
int mt_source_read_file(mt_pipeline *pl, const char *path, const mt_source_opts *o,
                        mt_source_result *res);
/* Capture until SIGINT/SIGTERM (or `max_packets` > 0 reached). */
int mt_source_live(mt_pipeline *pl, const char *iface, const mt_source_opts *o,
                   uint64_t max_packets, mt_source_result *res);

#endif
