/* A zero-copy reader for classic pcap files (all four magic numbers:
 * microsecond and nanosecond, both byte orders) over mmap. libpcap copies
 * every record through stdio (two fread calls per packet); mapping the file
 * lets the decoder read frames where they lie. pcapng and anything else go
 * through libpcap (source.c). Every record header is checked against the
 * bytes that remain, so a truncated or corrupt file ends cleanly. */
#ifndef MT_CAPTURE_PCAPFILE_H
#define MT_CAPTURE_PCAPFILE_H

#include "minetrace/common.h"

typedef struct mt_pcapfile {
    const uint8_t *map;
    size_t size, off;
    int swapped, nanos;
    int linktype;
    uint32_t snaplen;
} mt_pcapfile;

typedef struct mt_pcaprec {
    mt_time_us ts;
    uint32_t caplen, wirelen;
    const uint8_t *data;
} mt_pcaprec;

/* MT_OK; MT_ENOTFOUND when the file is not classic pcap (use libpcap);
 * MT_EIO when it cannot be opened or mapped. */
int mt_pcapfile_open(mt_pcapfile *f, const char *path);
/* 1 = a record, 0 = clean end, MT_ETRUNC = the file ends inside a record,
 * MT_EINVAL = a record header that cannot be right (caplen > 256 KiB). */
int mt_pcapfile_next(mt_pcapfile *f, mt_pcaprec *r);
void mt_pcapfile_close(mt_pcapfile *f);

#endif
