/* Crawl records: WARC (1.0/1.1) and ARC (v1) files, plain or gzip (one
 * member per record as Common Crawl writes them, or one member for the
 * whole file), and directories of saved pages (webdir.c). The format is
 * decided by content, not by name.
 *
 * Delivered: response, resource and revisit records (and ARC URL records),
 * with the HTTP head parsed and the payload de-chunked and decoded (gzip,
 * deflate). Counted only: request, metadata, warcinfo, conversion (WET) and
 * any other type. Malformed framing is counted, the first message kept in
 * mt_web_stats.first_error with file and offset, and reading resumes at the
 * next `WARC/1.` header; a record cut by the end of the data or by damaged
 * gzip data is delivered with MT_WEBREC_TRUNCATED and counted malformed.
 *
 * Every pointer in an mt_web_record is valid only during the callback:
 * buffers are reused from one record to the next. */
#ifndef MT_INGEST_WARC_H
#define MT_INGEST_WARC_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"

#define MT_WEBREC_TRUNCATED   0x1u /* WARC-Truncated, or the block or the body was cut */
#define MT_WEBREC_REVISIT     0x2u /* a revisit record: the payload is (usually) absent */
#define MT_WEBREC_CC_DECODED  0x4u /* X-Crawler-* headers: the crawler stored the body decoded */
#define MT_WEBREC_BODY_CAPPED 0x8u /* the body was longer than max_body and was cut there */

typedef struct mt_web_record {
    const char *uri; /* WARC-Target-URI / ARC URL / file path turned into a URL; NUL-terminated */
    mt_time_us date; /* WARC-Date (ARC: its 14-digit date); 0 if absent */
    int http_status; /* HTTP status of a response record; 0 for resource records and files */
    const char
        *content_type;   /* lower-case media type without parameters ("text/html"), "" if unknown */
    const uint8_t *body; /* the payload: HTTP head stripped, de-chunked, gzip/deflate decoded */
    size_t body_len;
    unsigned flags;        /* MT_WEBREC_* */
    const char *warc_file; /* the input path, for messages */
    uint64_t offset;       /* the record's offset in the (compressed) file, for messages */
} mt_web_record;

/* Non-zero stops the read. */
typedef int (*mt_web_record_fn)(void *ctx, const mt_web_record *r);

/* Counters add up over calls (zero the struct before the first).
 * records: every record framed (all types; files of a directory count as
 * records and resources); other: warcinfo, conversion, continuation and
 * unknown types, ARC version blocks; truncated: records carrying
 * MT_WEBREC_TRUNCATED; malformed: framing errors (bad or missing
 * Content-Length, an over-long or cut header, garbage between records, a
 * cut record, data after the last gzip member); decode_errors: damaged
 * gzip members, bad chunked coding, damaged or unsupported
 * Content-Encoding; bytes_in: input bytes read. */
typedef struct mt_web_stats {
    uint64_t records, responses, resources, requests, revisits, metadata, other, truncated,
        malformed, decode_errors, bytes_in;
    char first_error[256];
} mt_web_stats;

typedef struct mt_web_read_opts {
    size_t max_body; /* default (0 or no opts) 8 MiB; bodies beyond are cut and flagged */
} mt_web_read_opts;

#define MT_WEB_MAX_BODY_DEFAULT (8u * 1024u * 1024u)

/* Read one WARC/ARC file (plain or gzip; "-" or a pipe is read as a
 * stream). Returns MT_OK after the whole file or after the callback asked
 * to stop; MT_EIO (message set) when the file cannot be opened or read.
 * Damaged content is counted in *st, never returned as an error. */
int mt_warc_read_file(const char *path, const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                      mt_web_stats *st);

/* The same over bytes in memory (tests, fuzzing); `name` is used in
 * messages and as warc_file. */
int mt_warc_read_mem(const uint8_t *data, size_t len, const char *name, const mt_web_read_opts *o,
                     mt_web_record_fn fn, void *ctx, mt_web_stats *st);

/* Does this data start like a WARC or ARC file (after gzip decoding of the
 * first bytes when it starts with the gzip magic)? 1 or 0. */
int mt_warc_sniff(const uint8_t *data, size_t len);

/* Every regular file below `dir` (recursive, in sorted path order,
 * symbolic links not followed): WARC/ARC files (by content) are read as
 * such, any other file is one record with uri "file://<relative path>",
 * date = its modification time, the content type from the extension or
 * sniffed, the body its bytes up to max_body. A directory that cannot be
 * opened is MT_EIO (message set); unreadable files below it are counted
 * malformed and skipped. Returns as mt_warc_read_file. */
int mt_webdir_read(const char *dir, const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                   mt_web_stats *st);

/* For webdir.c: one reader (its reused buffers) over many inputs. */
typedef struct mt_web_reader mt_web_reader;
mt_web_reader *mt_web_reader_new(const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                                 mt_web_stats *st);
/* Read a file as WARC/ARC (`path` also names it in messages). MT_OK,
 * MT_EIO (message set). *stopped is set when the callback asked to stop. */
int mt_web_reader_file(mt_web_reader *rd, const char *path, int *stopped);
size_t mt_web_reader_max_body(const mt_web_reader *rd);
/* Note a malformed input (first message kept). */
void mt_web_reader_note(mt_web_reader *rd, const char *path, uint64_t off, const char *msg);
void mt_web_reader_free(mt_web_reader *rd);

#endif
