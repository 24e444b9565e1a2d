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

/* JSON string literal with quotes: "..." */
void mt_json_str(mt_buf *b, const char *s);
void mt_json_strn(mt_buf *b, const char *s, size_t n);
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
