/* Plain/gzip byte stream (see bytestream.h): read() into one input block,
 * inflate from there. Memory is fixed at open: the block and zlib's window. */
#include "util/bytestream.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "minetrace/common.h"

#define IN_BLOCK (256u * 1024u)

struct mt_bytestream {
    int fd;
    char *path;
    unsigned char *in;   /* IN_BLOCK bytes */
    size_t in_off, in_len;
    int in_eof;          /* read() returned 0 */
    int is_gzip;
    int between;         /* a member ended: what follows is another or the end */
    int done;            /* clean end reached */
    int err;             /* sticky failure code, 0 = none */
    char errmsg[200];
    unsigned members;
    z_stream z;
    uint64_t raw_read, raw_size, out;
};

/* Record the stream's (sticky) failure; fmt gets the path first. */
static int fail(mt_bytestream *s, int code, const char *fmt, ...) MT_PRINTF(3, 4);
static int fail(mt_bytestream *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    s->err = code;
    return mt_error_set(code, "%s", s->errmsg);
}

/* Read more input after what is buffered. 1 on data, 0 at EOF, < 0 on error. */
static int refill(mt_bytestream *s)
{
    if (s->in_eof) return 0;
    if (s->in_off > 0) {
        memmove(s->in, s->in + s->in_off, s->in_len - s->in_off);
        s->in_len -= s->in_off;
        s->in_off = 0;
    }
    for (;;) {
        ssize_t r = read(s->fd, s->in + s->in_len, IN_BLOCK - s->in_len);
        if (r > 0) {
            s->in_len += (size_t)r;
            s->raw_read += (uint64_t)r;
            return 1;
        }
        if (r == 0) {
            s->in_eof = 1;
            return 0;
        }
        if (errno != EINTR) return fail(s, MT_EIO, "cannot read %s: %s", s->path, strerror(errno));
    }
}

mt_bytestream *mt_bs_open(const char *path)
{
    int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        mt_error_set(MT_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = errno;
        mt_error_set(MT_EIO, "cannot read %s: %s", path,
                     S_ISDIR(st.st_mode) ? "is a directory" : strerror(e));
        close(fd);
        return NULL;
    }
    mt_bytestream *s = mt_xcalloc(1, sizeof *s);
    s->fd = fd;
    s->path = mt_xstrdup(strcmp(path, "-") == 0 ? "standard input" : path);
    s->in = mt_xmalloc(IN_BLOCK);
    s->raw_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    /* The magic decides; two bytes may take more than one read on a pipe. */
    while (s->in_len < 2 && refill(s) > 0) {}
    if (s->err) {
        char msg[sizeof s->errmsg];
        int code = s->err;
        mt_strlcpy(msg, s->errmsg, sizeof msg);
        mt_bs_close(s);
        mt_error_set(code, "%s", msg);
        return NULL;
    }
    if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        s->is_gzip = 1;
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) { /* gzip wrapper only */
            mt_bs_close(s);
            mt_error_set(MT_ENOMEM, "cannot open %s: out of memory", path);
            return NULL;
        }
        s->members = 1;
    }
    return s;
}

void mt_bs_close(mt_bytestream *s)
{
    if (!s) return;
    if (s->is_gzip) inflateEnd(&s->z);
    close(s->fd);
    free(s->in);
    free(s->path);
    free(s);
}

static long read_plain(mt_bytestream *s, unsigned char *buf, size_t n)
{
    if (s->in_off < s->in_len) { /* the bytes read to look for the magic */
        size_t k = s->in_len - s->in_off;
        if (k > n) k = n;
        memcpy(buf, s->in + s->in_off, k);
        s->in_off += k;
        return (long)k;
    }
    for (;;) {
        ssize_t r = read(s->fd, buf, n);
        if (r >= 0) {
            s->raw_read += (uint64_t)r;
            return (long)r;
        }
        if (errno != EINTR) return fail(s, MT_EIO, "cannot read %s: %s", s->path, strerror(errno));
    }
}

/* After a member's end: another member follows, or the stream is over.
 * 1 = go on inflating, 0 = end, < 0 = error. */
static int next_member(mt_bytestream *s)
{
    while (s->in_len - s->in_off < 2 && !s->in_eof) {
        int r = refill(s);
        if (r < 0) return r;
    }
    size_t k = s->in_len - s->in_off;
    if (k >= 2 && s->in[s->in_off] == 0x1f && s->in[s->in_off + 1] == 0x8b) {
        inflateReset(&s->z);
        s->between = 0;
        s->members++;
        return 1;
    }
    /* Nothing, or not a gzip member (trailing zeros from a block device,
     * garbage): the data ends with the last complete member. */
    s->in_off = s->in_len;
    return 0;
}

static long read_gzip(mt_bytestream *s, unsigned char *buf, size_t n)
{
    s->z.next_out = buf;
    s->z.avail_out = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
    uInt want = s->z.avail_out;
    while (s->z.avail_out == want) {
        if (s->between) {
            int r = next_member(s);
            if (r < 0) return r;
            if (r == 0) {
                s->done = 1;
                return 0;
            }
        }
        if (s->in_off == s->in_len) {
            int r = refill(s);
            if (r < 0) return r;
            if (r == 0)
                return fail(s, MT_ETRUNC,
                            "%s: truncated gzip stream (ends inside member %u, after %llu bytes)",
                            s->path, s->members, (unsigned long long)s->out);
        }
        s->z.next_in = s->in + s->in_off;
        s->z.avail_in = (uInt)(s->in_len - s->in_off);
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->in_off = s->in_len - s->z.avail_in;
        if (rc == Z_STREAM_END) {
            s->between = 1;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            int e = fail(s, MT_EIO, "%s: damaged gzip data in member %u (%s)", s->path, s->members,
                         s->z.msg ? s->z.msg : "inflate failed");
            /* Bytes decoded before the damage go out first; the failure
             * comes with the next call (it is sticky). */
            if (want == s->z.avail_out) return e;
            break;
        }
    }
    long got = (long)(want - s->z.avail_out);
    return got;
}

long mt_bs_read(mt_bytestream *s, void *buf, size_t n)
{
    if (s->err) return mt_error_set(s->err, "%s", s->errmsg);
    if (s->done || n == 0) return 0;
    long got = s->is_gzip ? read_gzip(s, buf, n) : read_plain(s, buf, n);
    if (got > 0) s->out += (uint64_t)got;
    return got;
}

int mt_bs_is_gzip(const mt_bytestream *s) { return s->is_gzip; }
uint64_t mt_bs_raw_size(const mt_bytestream *s) { return s->raw_size; }
uint64_t mt_bs_bytes(const mt_bytestream *s) { return s->out; }
unsigned mt_bs_members(const mt_bytestream *s) { return s->members; }
const char *mt_bs_path(const mt_bytestream *s) { return s->path; }

uint64_t mt_bs_raw_pos(const mt_bytestream *s)
{
    return s->raw_read - (uint64_t)(s->in_len - s->in_off);
}
