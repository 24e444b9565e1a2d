/* mmap reader for classic pcap; see pcapfile.h. */
#include "capture/pcapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rd32(const uint8_t *p, int swapped)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return swapped ? __builtin_bswap32(v) : v;
}

int mt_pcapfile_open(mt_pcapfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return mt_error_set(MT_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24) {
        close(fd);
        return MT_ENOTFOUND; /* pipes, devices, tiny files: let libpcap say */
    }
    uint8_t hdr[24];
    if (pread(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr) {
        close(fd);
        return MT_ENOTFOUND;
    }
    uint32_t magic = rd32(hdr, 0);
    switch (magic) {
    case 0xa1b2c3d4: break;
    case 0xd4c3b2a1: f->swapped = 1; break;
    case 0xa1b23c4d: f->nanos = 1; break;
    case 0x4d3cb2a1: f->swapped = 1; f->nanos = 1; break;
    default: close(fd); return MT_ENOTFOUND;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return MT_ENOTFOUND;
    madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL | MADV_WILLNEED);
    f->map = m;
    f->size = (size_t)st.st_size;
    f->off = 24;
    f->snaplen = rd32(hdr + 16, f->swapped);
    /* The link type's upper bits carry FCS flags; keep the type. */
    f->linktype = (int)(rd32(hdr + 20, f->swapped) & 0x0fffffff);
    return MT_OK;
}

int mt_pcapfile_next(mt_pcapfile *f, mt_pcaprec *r)
{
    if (f->off == f->size) return 0;
    if (f->size - f->off < 16) return MT_ETRUNC;
    const uint8_t *h = f->map + f->off;
    uint32_t sec = rd32(h, f->swapped), frac = rd32(h + 4, f->swapped);
    uint32_t cap = rd32(h + 8, f->swapped), wire = rd32(h + 12, f->swapped);
    if (cap > 262144) return MT_EINVAL;
    if (f->size - f->off - 16 < cap) return MT_ETRUNC;
    r->ts = (mt_time_us)sec * 1000000 + (f->nanos ? frac / 1000 : frac);
    r->caplen = cap;
    r->wirelen = wire < cap ? cap : wire;
    r->data = h + 16;
    f->off += 16 + (size_t)cap;
    return 1;
}

void mt_pcapfile_close(mt_pcapfile *f)
{
    if (f->map) munmap((void *)f->map, f->size);
    memset(f, 0, sizeof *f);
}
