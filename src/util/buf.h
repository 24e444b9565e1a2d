/* A growable byte buffer and escaping writers for JSON, CSV and HTML.
 * Every string that may come from the network or a log goes through one of
 * the *_str escapers: control characters, quotes and invalid UTF-8 never
 * reach an output raw (invalid bytes become U+FFFD). */
#ifndef MT_UTIL_BUF_H
#define MT_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct mt_buf {
    char *p;
    size_t len, cap;
} mt_buf;

void mt_buf_init(mt_buf *b);
void mt_buf_free(mt_buf *b);
void mt_buf_reset(mt_buf *b);
void mt_buf_put(mt_buf *b, const void *p, size_t n);
void mt_buf_puts(mt_buf *b, const char *s);
void mt_buf_putc(mt_buf *b, char c);
void mt_buf_printf(mt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *mt_buf_cstr(mt_buf *b); /* NUL-terminated view */
/* Decimal integer without printf. */
void mt_buf_put_int(mt_buf *b, long long v);
/* Writing in place: room for `extra` more bytes, returned as where they
 * start; mt_buf_commit(b, end) then takes everything up to `end`. For
 * writers that know their worst-case size (one reservation per record). */
char *mt_buf_room(mt_buf *b, size_t extra);
void mt_buf_commit(mt_buf *b, const char *end);
/* Decimal digits of v at o; returns the end (at most 20 bytes). */
char *mt_put_u64(char *o, uint64_t v);

/* JSON string literal with quotes: "..." */
void mt_json_str(mt_buf *b, const char *s);
void mt_json_strn(mt_buf *b, const char *s, size_t n);
/* The escaped content of s[0..n) (no quotes) written at o, which must have
 * room for 6 * n + 8 bytes; returns the end. s may be read up to
 * `readable` bytes (>= n; e.g. the size of the array holding a shorter
 * string), which lets short strings go eight bytes at a time. */
char *mt_json_escape_raw(char *o, const char *s, size_t n, size_t readable);
/* "key":"value" (value escaped), with a leading comma when `comma`. */
void mt_json_kv_str(mt_buf *b, int comma, const char *key, const char *val);
void mt_json_kv_int(mt_buf *b, int comma, const char *key, long long val);

/* HTML text/attribute escaping (& < > " ' and invalid UTF-8). */
void mt_html_str(mt_buf *b, const char *s);
/* CSV field, quoted when needed (RFC 4180); leading = + - @ are prefixed
 * with ' so spreadsheets do not evaluate attacker text as formulas. */
void mt_csv_str(mt_buf *b, const char *s);

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t mt_utf8_seq_len(const unsigned char *s, size_t n);

#endif
