/* Streaming line reader: gzread() into one fixed buffer, memchr() for line
 * ends, compaction when a line straddles the buffer end. Memory is fixed at
 * open (max_line plus a read block), whatever the size of the input. zlib's
 * gz layer passes plain files through unchanged, so one code path reads
 * eve.json, conn.log and conn.log.gz alike. */
#include "ingest/linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "minetrace/common.h"

#define READ_BLOCK (256u * 1024u)

struct mt_linereader {
    gzFile gz;
    char *buf;
    size_t cap, start, end, scan;
    size_t max_line;
    int eof, err, skipping;
    uint64_t lineno, bytes, raw_size;
    int is_gzip;
    char errmsg[160];
};

mt_linereader *mt_lr_open(const char *path, size_t max_line)
{
    int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        mt_error_set(MT_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        mt_error_set(MT_EIO, "cannot read %s: %s", path,
                     S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
        close(fd);
        return NULL;
    }
    unsigned char magic[2] = {0, 0};
    if (S_ISREG(st.st_mode)) {
        if (pread(fd, magic, 2, 0) < 0) {
            mt_error_set(MT_EIO, "cannot read %s: %s", path, strerror(errno));
            close(fd);
            return NULL;
        }
    }
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        mt_error_set(MT_ENOMEM, "cannot open %s: out of memory", path);
        return NULL;
    }
    gzbuffer(gz, READ_BLOCK);
    mt_linereader *r = mt_xcalloc(1, sizeof *r);
    r->gz = gz;
    r->max_line = max_line ? max_line : MT_LR_DEFAULT_MAX_LINE;
    r->cap = r->max_line + READ_BLOCK + 1;
    r->buf = mt_xmalloc(r->cap);
    r->raw_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    r->is_gzip = magic[0] == 0x1f && magic[1] == 0x8b;
    return r;
}

void mt_lr_close(mt_linereader *r)
{
    if (!r) return;
    gzclose(r->gz);
    free(r->buf);
    free(r);
}

/* Read more data after `end`, compacting first. 0 on data, 1 at EOF/error. */
static int fill(mt_linereader *r)
{
    if (r->eof) return 1;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->scan -= r->start;
        r->end -= r->start;
        r->start = 0;
    }
    size_t room = r->cap - 1 - r->end;
    if (room == 0) return 0; /* caller handles a full buffer */
    if (room > READ_BLOCK) room = READ_BLOCK;
    int n = gzread(r->gz, r->buf + r->end, (unsigned)room);
    if (n > 0) {
        r->end += (size_t)n;
        r->bytes += (uint64_t)n;
        return 0;
    }
    r->eof = 1;
    if (n < 0) {
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        r->err = zerr == Z_BUF_ERROR ? MT_ETRUNC : MT_EIO;
        mt_strlcpy(r->errmsg, msg ? msg : "read error", sizeof r->errmsg);
    } else {
        /* gzread returns 0 at a clean end, but also at a truncated stream
         * in some zlib versions: gzerror() says which. */
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        if (zerr != Z_OK && zerr != Z_STREAM_END) {
            r->err = zerr == Z_BUF_ERROR ? MT_ETRUNC : MT_EIO;
            mt_strlcpy(r->errmsg, msg ? msg : "read error", sizeof r->errmsg);
        }
    }
    return 1;
}

int mt_lr_next(mt_linereader *r, char **line, size_t *len, int *too_long)
{
    *too_long = 0;
    for (;;) {
        char *nl = r->scan < r->end ? memchr(r->buf + r->scan, '\n', r->end - r->scan) : NULL;
        if (nl) {
            size_t ls = r->start, le = (size_t)(nl - r->buf);
            r->start = r->scan = le + 1;
            if (r->skipping) { /* tail of an over-long line */
                r->skipping = 0;
                continue;
            }
            r->lineno++;
            if (le > ls && r->buf[le - 1] == '\r') le--;
            r->buf[le] = '\0';
            *line = r->buf + ls;
            *len = le - ls;
            return 1;
        }
        r->scan = r->end;
        if (r->end - r->start >= r->max_line) {
            /* Over-long line: deliver its head, skip the rest. */
            if (r->skipping) {
                r->start = r->scan = r->end;
            } else {
                r->lineno++;
                r->skipping = 1;
                size_t ls = r->start;
                r->start = r->scan = r->end;
                /* The head stays in place until the next fill compacts. */
                char *head = r->buf + ls;
                size_t n = r->max_line;
                *too_long = 1;
                /* Keep a NUL-terminated copy at the head's end: the byte
                 * after max_line belongs to the skipped part. */
                head[n] = '\0';
                *line = head;
                *len = n;
                return 1;
            }
        }
        if (fill(r)) {
            if (r->end > r->start && !r->skipping) {
                size_t ls = r->start, le = r->end;
                r->start = r->scan = r->end;
                r->lineno++;
                if (le > ls && r->buf[le - 1] == '\r') le--;
                r->buf[le] = '\0';
                *line = r->buf + ls;
                *len = le - ls;
                return 1;
            }
            r->start = r->scan = r->end;
            if (r->err) return mt_error_set(r->err, "%s", r->errmsg);
            return 0;
        }
    }
}

uint64_t mt_lr_lineno(const mt_linereader *r) { return r->lineno; }
uint64_t mt_lr_raw_size(const mt_linereader *r) { return r->raw_size; }
uint64_t mt_lr_bytes(const mt_linereader *r) { return r->bytes; }
int mt_lr_is_gzip(const mt_linereader *r) { return r->is_gzip; }

uint64_t mt_lr_raw_pos(const mt_linereader *r)
{
    if (!r->is_gzip) return r->bytes;
    z_off_t o = gzoffset(r->gz);
    return o > 0 ? (uint64_t)o : 0;
}
