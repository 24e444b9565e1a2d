/* A streaming line reader over plain or gzip-compressed files (the byte
 * stream of util/bytestream.h beneath it), with a hard cap on line length
 * so a multi-GB log or a file without newlines never needs more than a
 * fixed buffer. Used by every log reader (src/ingest/ today; the website
 * and botnet analysers next). */
#ifndef MT_UTIL_LINEREADER_H
#define MT_UTIL_LINEREADER_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_linereader mt_linereader;

#define MT_LR_DEFAULT_MAX_LINE (1u << 20) /* 1 MiB */

/* Open `path` ("-" = standard input). NULL on failure, mt_error_msg() says
 * why. `max_line` bytes at most are delivered per line (0 = default). */
mt_linereader *mt_lr_open(const char *path, size_t max_line);
/* The same over a stream already open, whose first n bytes (head, at most
 * 256 KiB) the caller has read to look at: they are delivered first. Takes
 * the stream (closed with the reader); NULL (stream not taken) when n is
 * larger. */
typedef struct mt_bytestream mt_bytestream;
mt_linereader *mt_lr_open_stream(mt_bytestream *in, const void *head, size_t n,
                                 size_t max_line);
/* Next line, without its "\n" / "\r\n", NUL-terminated in a buffer owned by
 * the reader (valid until the next call). Returns 1 for a line, 0 at the end,
 * or a negative MT_E* code when the input failed (MT_ETRUNC for a truncated
 * gzip stream, MT_EIO for damaged data or a read error; the message names
 * the file) after every complete line was delivered. A line
 * longer than max_line is delivered as its first max_line bytes with
 * *too_long = 1; the rest of it is skipped. */
int mt_lr_next(mt_linereader *r, char **line, size_t *len, int *too_long);
uint64_t mt_lr_lineno(const mt_linereader *r);   /* number of the last line */
uint64_t mt_lr_raw_pos(const mt_linereader *r);  /* file bytes consumed */
uint64_t mt_lr_raw_size(const mt_linereader *r); /* file size, 0 if unknown */
uint64_t mt_lr_bytes(const mt_linereader *r);    /* decompressed bytes read */
int mt_lr_is_gzip(const mt_linereader *r);
void mt_lr_close(mt_linereader *r);

#endif
