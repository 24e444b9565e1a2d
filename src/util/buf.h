/* A growable byte buffer and escaping writers for JSON, CSV and HTML.
 * Every string that may come from the network or a log goes through one of
 * the *_str escapers: control characters, quotes and invalid UTF-8 never
 * reach an output raw (invalid bytes become U+FFFD). */
#ifndef MT_UTIL_BUF_H
#define MT_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* Bounded text into a caller's fixed array (a finding's evidence, pool):
 * plain copies rather than snprintf, because detectors build one or two of
 * these per finding. mt_textbuf_put(b, s, max) appends at most max bytes of
 * s, as "%.<max>s" would; like snprintf, the text is cut at cap - 1 bytes
 * and always NUL-terminated. cap must be at least 1. */
typedef struct mt_textbuf {
    char *p;
    size_t cap, n;
} mt_textbuf;

static inline mt_textbuf mt_textbuf_start(char *p, size_t cap)
{
    p[0] = '\0';
    return (mt_textbuf){p, cap, 0};
}

static inline void mt_textbuf_put(mt_textbuf *b, const char *str, size_t max)
{
    if (b->n + 1 >= b->cap) return;
    size_t l = strnlen(str, max), room = b->cap - 1 - b->n;
    if (l > room) l = room;
    memcpy(b->p + b->n, str, l);
    b->n += l;
    b->p[b->n] = '\0';
}

static inline void mt_textbuf_puts(mt_textbuf *b, const char *str)
{
    mt_textbuf_put(b, str, SIZE_MAX);
}

/* Decimal digits of v. */
static inline void mt_textbuf_put_u(mt_textbuf *b, uint64_t v)
{
    char t[20];
    size_t i = sizeof t;
    do t[--i] = (char)('0' + v % 10); while ((v /= 10) != 0);
    mt_textbuf_put(b, t + i, sizeof t - i);
}

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
/* CSV field, quoted when needed (RFC 4180); leading = + - @ TAB CR are
 * prefixed with ' so spreadsheets do not evaluate attacker text as formulas. */
void mt_csv_str(mt_buf *b, const char *s);

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t mt_utf8_seq_len(const unsigned char *s, size_t n);

#endif
