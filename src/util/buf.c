/* Growable buffer and output escapers. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

void mt_buf_init(mt_buf *b) { b->p = NULL; b->len = b->cap = 0; }
void mt_buf_free(mt_buf *b) { free(b->p); mt_buf_init(b); }
void mt_buf_reset(mt_buf *b) { b->len = 0; }

static void reserve(mt_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    b->p = mt_xrealloc(b->p, cap);
    b->cap = cap;
}

void mt_buf_put(mt_buf *b, const void *p, size_t n)
{
    reserve(b, n);
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
}

void mt_buf_puts(mt_buf *b, const char *s) { mt_buf_put(b, s, strlen(s)); }

void mt_buf_putc(mt_buf *b, char c)
{
    reserve(b, 1);
    b->p[b->len++] = c;
}

void mt_buf_printf(mt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        mt_buf_put(b, tmp, (size_t)n);
        return;
    }
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *mt_buf_cstr(mt_buf *b)
{
    reserve(b, 0);
    b->p[b->len] = '\0';
    return b->p;
}

size_t mt_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* Reject overlong forms, surrogates and out-of-range code points. */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Bytes that need no escaping in a JSON string: printable ASCII but '"'
 * and '\\'. */
static inline int json_plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

/* Per byte of x, a set high bit where the byte may need escaping: below
 * 0x20, 0x7f and above (control, DEL, non-ASCII), '"' or '\\'. Exact up to
 * the lowest flagged byte (borrows only run upwards). */
#define SWAR_ONES 0x0101010101010101ULL
#define SWAR_HIGH 0x8080808080808080ULL
static inline uint64_t swar_zero(uint64_t v) { return (v - SWAR_ONES) & ~v & SWAR_HIGH; }
static inline uint64_t swar_special(uint64_t x)
{
    uint64_t lt20 = (x - SWAR_ONES * 0x20) & ~x & SWAR_HIGH;
    uint64_t ge7f = ((x + SWAR_ONES * 0x01) | x) & SWAR_HIGH;
    return lt20 | ge7f | swar_zero(x ^ (SWAR_ONES * '"')) | swar_zero(x ^ (SWAR_ONES * '\\'));
}

/* Escaping writes straight into reserved memory: room for the worst case
 * (6 output bytes per input byte, "\u00XX") is reserved up front, so the
 * loop needs no bounds check per byte. Findings escape a dozen short
 * strings each; per-call overhead, not bytes, was the cost of writing them.
 * mt_json_strn reserves per 4 KiB chunk to keep reservations small for long
 * inputs. */
#define JSON_CHUNK 4096

/* Escape s[from..stop) (n = the whole string's length, so a UTF-8 sequence
 * starting before stop is read whole; it writes as many bytes as it
 * consumes). `readable` (>= stop) is how far the input may be read: words
 * of eight that run past stop are masked, so a short string or the tail of
 * a long one also goes eight at a time when its buffer is larger than the
 * string. Output: up to 7 bytes past the returned end may be scribbled
 * (callers reserve that slack). Returns the output end; *next = where it
 * stopped. */
static char *escape_span(char *o, const unsigned char *u, size_t i, size_t stop, size_t n,
                         size_t readable, size_t *next)
{
    static const char hex[] = "0123456789abcdef";
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    readable = stop; /* the tail mask below assumes little-endian words */
#endif
    while (i < stop) {
        /* Runs of plain bytes eight at a time: the first byte that needs
         * care is found exactly (later flags may be false positives,
         * which only send those bytes down the careful path). */
        while (readable - i >= 8) {
            uint64_t x;
            memcpy(&x, u + i, 8);
            uint64_t m = swar_special(x);
            size_t left = stop - i;
            if (left < 8) m |= SWAR_HIGH << (8 * left); /* stop at the end */
            memcpy(o, &x, 8); /* room is reserved; only plain bytes count */
            if (!m) {
                o += 8;
                i += 8;
                continue;
            }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            unsigned k = (unsigned)__builtin_clzll(m) >> 3;
#else
            unsigned k = (unsigned)__builtin_ctzll(m) >> 3;
#endif
            o += k;
            i += k;
            break;
        }
        if (i >= stop) break;
        unsigned char c = u[i];
        if (json_plain(c)) {
            *o++ = (char)c;
            i++;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
            i++;
        } else {
            size_t l = mt_utf8_seq_len(u + i, n - i);
            if (l == 0) {
                memcpy(o, "\\ufffd", 6);
                o += 6;
                i++;
            } else {
                memcpy(o, u + i, l);
                o += l;
                i += l;
            }
        }
    }
    *next = i;
    return o;
}

char *mt_json_escape_raw(char *o, const char *s, size_t n, size_t readable)
{
    size_t next;
    if (readable < n) readable = n;
    return escape_span(o, (const unsigned char *)s, 0, n, n, readable, &next);
}

char *mt_buf_room(mt_buf *b, size_t extra)
{
    reserve(b, extra);
    return b->p + b->len;
}

void mt_buf_commit(mt_buf *b, const char *end) { b->len = (size_t)(end - b->p); }

void mt_json_strn(mt_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t first = n > JSON_CHUNK ? JSON_CHUNK : n;
    reserve(b, 6 * first + 2 + 8);
    char *o = b->p + b->len;
    *o++ = '"';
    size_t i = 0;
    for (;;) {
        size_t stop = n - i > JSON_CHUNK ? i + JSON_CHUNK : n;
        o = escape_span(o, u, i, stop, n, n, &i);
        b->len = (size_t)(o - b->p);
        if (i >= n) break;
        size_t more = n - i > JSON_CHUNK ? JSON_CHUNK : n - i;
        reserve(b, 6 * more + 1 + 8);
        o = b->p + b->len;
    }
    reserve(b, 1);
    b->p[b->len++] = '"';
}

void mt_json_str(mt_buf *b, const char *s) { mt_json_strn(b, s, strlen(s)); }

void mt_json_kv_str(mt_buf *b, int comma, const char *key, const char *val)
{
    if (comma) mt_buf_putc(b, ',');
    mt_json_str(b, key);
    mt_buf_putc(b, ':');
    mt_json_str(b, val ? val : "");
}

/* Two digits per division: "00".."99". */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char *mt_put_u64(char *o, uint64_t v)
{
    char tmp[20];
    int i = sizeof tmp;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100);
        v /= 100;
        i -= 2;
        memcpy(tmp + i, digit_pairs + 2 * d, 2);
    }
    if (v >= 10) {
        i -= 2;
        memcpy(tmp + i, digit_pairs + 2 * v, 2);
    } else {
        tmp[--i] = (char)('0' + v);
    }
    memcpy(o, tmp + i, sizeof tmp - (size_t)i);
    return o + (sizeof tmp - (size_t)i);
}

void mt_buf_put_int(mt_buf *b, long long v)
{
    char *o = mt_buf_room(b, 21);
    if (v < 0) *o++ = '-';
    o = mt_put_u64(o, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
    mt_buf_commit(b, o);
}

void mt_json_kv_int(mt_buf *b, int comma, const char *key, long long val)
{
    if (comma) mt_buf_putc(b, ',');
    mt_json_str(b, key);
    mt_buf_putc(b, ':');
    mt_buf_put_int(b, val);
}

void mt_html_str(mt_buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        switch (c) {
        case '&': mt_buf_puts(b, "&amp;"); i++; continue;
        case '<': mt_buf_puts(b, "&lt;"); i++; continue;
        case '>': mt_buf_puts(b, "&gt;"); i++; continue;
        case '"': mt_buf_puts(b, "&quot;"); i++; continue;
        case '\'': mt_buf_puts(b, "&#39;"); i++; continue;
        default: break;
        }
        if (c < 0x20 && c != '\t' && c != '\n') { mt_buf_puts(b, "&#xfffd;"); i++; continue; }
        if (c < 0x80) { mt_buf_putc(b, (char)c); i++; continue; }
        size_t l = mt_utf8_seq_len(u + i, n - i);
        if (l == 0) { mt_buf_puts(b, "&#xfffd;"); i++; }
        else { mt_buf_put(b, u + i, l); i += l; }
    }
}

void mt_csv_str(mt_buf *b, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    /* A leading TAB or CR is also read as the start of a formula by some
     * spreadsheets (OWASP CSV injection), so it is defused like = + - @. */
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                  s[0] == '\t' || s[0] == '\r';
    if (quote || formula) mt_buf_putc(b, '"');
    if (formula) mt_buf_putc(b, '\'');
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c == '"') { mt_buf_puts(b, "\"\""); i++; continue; }
        if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') { mt_buf_putc(b, ' '); i++; continue; }
        if (c < 0x80) { mt_buf_putc(b, (char)c); i++; continue; }
        size_t l = mt_utf8_seq_len(u + i, n - i);
        if (l == 0) { mt_buf_puts(b, "\xef\xbf\xbd"); i++; }
        else { mt_buf_put(b, u + i, l); i += l; }
    }
    if (quote || formula) mt_buf_putc(b, '"');
}
