/* Streaming line reader: the byte stream read into one fixed buffer,
 * memchr() for line ends, compaction when a line straddles the buffer end.
 * Memory is fixed at open (max_line plus a read block), whatever the size of
 * the input. The stream passes plain files through unchanged, so one code
 * path reads eve.json, conn.log and conn.log.gz alike. */
#include "util/linereader.h"

#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"
#include "util/bytestream.h"

#define READ_BLOCK (256u * 1024u)

struct mt_linereader {
    mt_bytestream *in;
    char *buf;
    size_t cap, start, end, scan;
    size_t max_line;
    int eof, err, skipping;
    uint64_t lineno;
    char errmsg[240];
};

mt_linereader *mt_lr_open_stream(mt_bytestream *in, const void *head, size_t n,
                                 size_t max_line)
{
    if (n > READ_BLOCK) {
        mt_error_set(MT_EINVAL, "%s: a look-ahead of %zu bytes is more than a read block",
                     mt_bs_path(in), n);
        return NULL;
    }
    mt_linereader *r = mt_xcalloc(1, sizeof *r);
    r->in = in;
    r->max_line = max_line ? max_line : MT_LR_DEFAULT_MAX_LINE;
    r->cap = r->max_line + READ_BLOCK + 1;
    r->buf = mt_xmalloc(r->cap);
    if (n) memcpy(r->buf, head, n);
    r->end = n;
    return r;
}

mt_linereader *mt_lr_open(const char *path, size_t max_line)
{
    mt_bytestream *in = mt_bs_open(path);
    return in ? mt_lr_open_stream(in, NULL, 0, max_line) : NULL;
}

void mt_lr_close(mt_linereader *r)
{
    if (!r) return;
    mt_bs_close(r->in);
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
    long n = mt_bs_read(r->in, r->buf + r->end, room);
    if (n > 0) {
        r->end += (size_t)n;
        return 0;
    }
    r->eof = 1;
    if (n < 0) {
        r->err = (int)n;
        mt_strlcpy(r->errmsg, mt_error_msg(), sizeof r->errmsg);
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
uint64_t mt_lr_raw_size(const mt_linereader *r) { return mt_bs_raw_size(r->in); }
uint64_t mt_lr_bytes(const mt_linereader *r) { return mt_bs_bytes(r->in); }
int mt_lr_is_gzip(const mt_linereader *r) { return mt_bs_is_gzip(r->in); }
uint64_t mt_lr_raw_pos(const mt_linereader *r) { return mt_bs_raw_pos(r->in); }
