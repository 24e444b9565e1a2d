/* A fast reader for classic pcap files (all four magic numbers:
 * microsecond and nanosecond, both byte orders). libpcap copies every
 * record through stdio with two fread calls per packet; this reader pulls
 * the file in 256 KiB read() calls and hands out records where they lie
 * in that buffer (memory stays at the buffer size whatever the file size; a
 * mapping would have cost page faults and counted the file as resident).
 * The chunk is small on purpose: the buffer stays in the L2 cache, so the
 * kernel's copy and the decoder's reads do not evict the flow and session
 * tables (the chunk sizes tried are in bench/RESULTS.md).
 * pcapng and anything else go through libpcap (source.c). Every record
 * header is checked against the bytes that remain, so a truncated or
 * corrupt file ends cleanly. */
#ifndef MT_CAPTURE_PCAPFILE_H
#define MT_CAPTURE_PCAPFILE_H

#include <string.h>

#include "minetrace/common.h"

typedef struct mt_pcapfile {
    int fd;
    uint8_t *buf;
    size_t cap, len, pos;  /* buffer capacity, bytes held, next record */
    size_t size, base;     /* file size; file offset of buf[0] */
    int eof;
    int swapped, nanos;
    int mapped;            /* buf is the whole file, mapped (mt_pcapfile_map) */
    int linktype;
    uint32_t snaplen;
} mt_pcapfile;

typedef struct mt_pcaprec {
    mt_time_us ts;
    uint32_t caplen, wirelen;
    const uint8_t *data;   /* valid until the next mt_pcapfile_next() */
} mt_pcaprec;

/* MT_OK; MT_ENOTFOUND when the file is not classic pcap (use libpcap);
 * MT_EIO when it cannot be opened. */
int mt_pcapfile_open(mt_pcapfile *f, const char *path);
/* 1 = a record, 0 = clean end, MT_ETRUNC = the file ends inside a record,
 * MT_EINVAL = a record header that cannot be right (caplen > 256 KiB),
 * MT_EIO = a read error. */
int mt_pcapfile_next_slow(mt_pcapfile *f, mt_pcaprec *r);

/* The common case inline: a little-endian file on a little-endian host
 * with the whole record already in the buffer (all but one record per
 * 256 KiB chunk). Everything else, including every check that can fail,
 * is the out-of-line path's. */
static inline int mt_pcapfile_next(mt_pcapfile *f, mt_pcaprec *r)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    size_t avail = f->len - f->pos;
    if (avail >= 16 && !f->swapped) {
        const uint8_t *h = f->buf + f->pos;
        uint32_t hdr[4]; /* sec, frac, caplen, wirelen */
        memcpy(hdr, h, sizeof hdr);
        if (hdr[2] <= 262144u && avail - 16 >= hdr[2]) {
            r->ts = (mt_time_us)hdr[0] * 1000000 + (f->nanos ? hdr[1] / 1000 : hdr[1]);
            r->caplen = hdr[2];
            r->wirelen = hdr[3] < hdr[2] ? hdr[2] : hdr[3];
            r->data = h + 16;
            f->pos += 16 + (size_t)hdr[2];
            return 1;
        }
    }
#endif
    return mt_pcapfile_next_slow(f, r);
}
/* Map the whole file instead (scan -j): every record then stays where it
 * is until close, so the reader can hand records to other threads without
 * copying them. MT_OK, or an error with the buffered reader kept. */
int mt_pcapfile_map(mt_pcapfile *f);
void mt_pcapfile_close(mt_pcapfile *f);
/* File offset of the next record (for progress). */
static inline size_t mt_pcapfile_offset(const mt_pcapfile *f) { return f->base + f->pos; }

#endif
