/* A byte stream over a plain or gzip-compressed file, the layer under the
 * line reader (util/linereader.h) and any reader of logs, lists or pages.
 *
 * gzip is recognised by its magic bytes (1f 8b) at the start of the stream,
 * for pipes as well as files, and decoded with zlib's inflate: concatenated
 * members (the output of `cat a.gz b.gz`, or of log rotation appending) are
 * read as one stream; data after the last member that is not another member
 * is ignored, as gzip(1) does with trailing zeros. A stream that ends inside
 * a member is reported as MT_ETRUNC, and damaged compressed data as MT_EIO,
 * with the file name in the message, after every byte that could be decoded
 * was delivered. Anything else passes through unchanged. */
#ifndef MT_UTIL_BYTESTREAM_H
#define MT_UTIL_BYTESTREAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_bytestream mt_bytestream;

/* Open `path` ("-" = standard input). NULL on failure (missing, a
 * directory, unreadable), mt_error_msg() says why. */
mt_bytestream *mt_bs_open(const char *path);
/* Up to n (> 0) decoded bytes into buf. Returns the count (> 0), 0 at the
 * end of the stream, or a negative MT_E* code (mt_error_set) once the bytes
 * before the failure have been returned; a failure is sticky. */
long mt_bs_read(mt_bytestream *s, void *buf, size_t n);
int mt_bs_is_gzip(const mt_bytestream *s);
uint64_t mt_bs_raw_pos(const mt_bytestream *s);  /* file bytes consumed */
uint64_t mt_bs_raw_size(const mt_bytestream *s); /* file size, 0 if unknown */
uint64_t mt_bs_bytes(const mt_bytestream *s);    /* decoded bytes returned */
unsigned mt_bs_members(const mt_bytestream *s);  /* gzip members begun */
const char *mt_bs_path(const mt_bytestream *s);
void mt_bs_close(mt_bytestream *s);

#endif
