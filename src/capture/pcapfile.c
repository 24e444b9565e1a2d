/* Buffered reader for classic pcap; see pcapfile.h. */
#include "capture/pcapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cursor.h"

#define CHUNK (256u << 10) /* small enough that the buffer stays in the L2 cache */
#define MAX_RECORD (16u + 262144u)


int mt_pcapfile_open(mt_pcapfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return mt_error_set(MT_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    uint8_t hdr[24];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
        pread(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr) {
        close(fd);
        return MT_ENOTFOUND; /* pipes, devices, tiny files: let libpcap say */
    }
    mt_cur h = mt_cur_make(hdr, sizeof hdr);
    switch (mt_cur_le32(&h)) {
    case 0xa1b2c3d4: break;
    case 0xd4c3b2a1: f->swapped = 1; break;
    case 0xa1b23c4d: f->nanos = 1; break;
    case 0x4d3cb2a1: f->swapped = 1; f->nanos = 1; break;
    default: close(fd); return MT_ENOTFOUND;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (lseek(fd, 24, SEEK_SET) != 24) {
        close(fd);
        return mt_error_set(MT_EIO, "%s: cannot seek: %s", path, strerror(errno));
    }
    f->fd = fd;
    f->cap = CHUNK + MAX_RECORD;
    f->buf = mt_xmalloc(f->cap);
    f->size = (size_t)st.st_size;
    f->base = 24;
    /* A swapped file is big-endian: the magic was read little-endian. */
    mt_cur_skip(&h, 12); /* version, thiszone, sigfigs */
    f->snaplen = mt_cur_u32_order(&h, f->swapped);
    /* The link type's upper bits carry FCS flags; keep the type. */
    f->linktype = (int)(mt_cur_u32_order(&h, f->swapped) & 0x0fffffff);
    return MT_OK;
}

/* Make at least `need` bytes available at buf[pos], unless the file ends.
 * Returns the bytes available (may be less at the end), or -1 on error. */
static long fill(mt_pcapfile *f, size_t need)
{
    if (f->len - f->pos >= need || f->eof) return (long)(f->len - f->pos);
    /* Slide the unread tail to the front, then read whole chunks. */
    size_t keep = f->len - f->pos;
    memmove(f->buf, f->buf + f->pos, keep);
    f->base += f->pos;
    f->len = keep;
    f->pos = 0;
    while (f->len < need || f->len < CHUNK) {
        size_t want = f->cap - f->len;
        if (want > CHUNK) want = CHUNK;
        if (want == 0) break;
        ssize_t n = read(f->fd, f->buf + f->len, want);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) {
            f->eof = 1;
            break;
        }
        f->len += (size_t)n;
        if (f->len >= need) break;
    }
    return (long)(f->len - f->pos);
}

int mt_pcapfile_next_slow(mt_pcapfile *f, mt_pcaprec *r)
{
    long have = fill(f, 16);
    if (have < 0) return mt_error_set(MT_EIO, "read error: %s", strerror(errno));
    if (have == 0) return 0;
    if (have < 16) return MT_ETRUNC;
    mt_cur h = mt_cur_make(f->buf + f->pos, 16);
    mt_cur_skip(&h, 8);
    uint32_t cap = mt_cur_u32_order(&h, f->swapped);
    if (cap > 262144) return MT_EINVAL;
    have = fill(f, 16 + (size_t)cap);
    if (have < 0) return mt_error_set(MT_EIO, "read error: %s", strerror(errno));
    if ((size_t)have < 16 + (size_t)cap) return MT_ETRUNC;
    h = mt_cur_make(f->buf + f->pos, 16 + (size_t)cap);
    uint32_t sec = mt_cur_u32_order(&h, f->swapped), frac = mt_cur_u32_order(&h, f->swapped);
    mt_cur_skip(&h, 4); /* caplen, read above */
    uint32_t wire = mt_cur_u32_order(&h, f->swapped);
    r->ts = (mt_time_us)sec * 1000000 + (f->nanos ? frac / 1000 : frac);
    r->caplen = cap;
    r->wirelen = wire < cap ? cap : wire;
    r->data = mt_cur_ptr(&h);
    f->pos += 16 + (size_t)cap;
    return 1;
}

int mt_pcapfile_map(mt_pcapfile *f)
{
    if (f->mapped || f->base != 24 || f->len) return MT_EINVAL; /* only right after open */
    void *m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, f->fd, 0);
    if (m == MAP_FAILED) return mt_error_set(MT_EIO, "cannot map: %s", strerror(errno));
    madvise(m, f->size, MADV_SEQUENTIAL);
    free(f->buf);
    /* The whole file is "held": fill() never reads, next() walks the map. */
    f->buf = m;
    f->cap = f->len = f->size;
    f->pos = 24;
    f->base = 0;
    f->eof = 1;
    f->mapped = 1;
    return MT_OK;
}

void mt_pcapfile_close(mt_pcapfile *f)
{
    if (f->fd >= 0) close(f->fd);
    if (f->mapped) munmap(f->buf, f->size);
    else free(f->buf);
    memset(f, 0, sizeof *f);
    f->fd = -1;
}
