/* Error slot, allocators, addresses, hashing: the small things every module
 * uses. */
#include "minetrace/common.h"
#include "util/hash.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One slot per thread: worker threads (scan -j) report their own failures. */
static _Thread_local char g_errmsg[512];

int mt_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_errmsg, sizeof g_errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int mt_error_context(int code, const char *where)
{
    char msg[sizeof g_errmsg];
    mt_strlcpy(msg, g_errmsg, sizeof msg);
    size_t n = mt_strlcpy(g_errmsg, where, sizeof g_errmsg);
    if (n < sizeof g_errmsg) n += mt_strlcpy(g_errmsg + n, ": ", sizeof g_errmsg - n);
    if (n < sizeof g_errmsg) mt_strlcpy(g_errmsg + n, msg, sizeof g_errmsg - n);
    return code;
}

const char *mt_error_msg(void) { return g_errmsg[0] ? g_errmsg : "no error"; }

const char *mt_status_str(int code)
{
    switch (code) {
    case MT_OK: return "ok";
    case MT_ERR: return "error";
    case MT_ENOMEM: return "out of memory";
    case MT_EINVAL: return "invalid input";
    case MT_EIO: return "I/O error";
    case MT_ETRUNC: return "truncated input";
    case MT_EAGAIN: return "need more data";
    case MT_ENOTFOUND: return "not found";
    default: return "unknown status";
    }
}

static void oom(size_t n)
{
    fprintf(stderr, "minetrace: out of memory allocating %zu bytes\n", n);
    abort();
}

void *mt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *mt_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p) oom(nmemb * size);
    return p;
}

void *mt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *mt_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mt_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

size_t mt_strlcpy(char *dst, const char *src, size_t cap)
{
    if (cap == 0) return 0;
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

size_t mt_memlcpy(char *dst, size_t cap, const void *src, size_t n)
{
    if (cap == 0) return 0;
    if (n > cap - 1) n = cap - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

/* Dotted quad by hand: glibc's inet_ntop formats IPv4 with sprintf, and
 * every finding prints two addresses. Same text, same "too small" rule. */
static int ipv4_to_str(const uint8_t *b, char *buf, size_t cap)
{
    char t[16];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (i) t[n++] = '.';
        if (v >= 100) t[n++] = (char)('0' + v / 100);
        if (v >= 10) t[n++] = (char)('0' + v / 10 % 10);
        t[n++] = (char)('0' + v % 10);
    }
    if (n + 1 > cap) return MT_EINVAL;
    memcpy(buf, t, n);
    buf[n] = '\0';
    return MT_OK;
}

int mt_addr_to_str(const mt_addr *a, char *buf, size_t cap)
{
    if (cap == 0) return MT_EINVAL;
    buf[0] = '\0';
    if (a->family == 4) {
        return ipv4_to_str(a->b, buf, cap);
    } else if (a->family == 6) {
        if (!inet_ntop(AF_INET6, a->b, buf, (socklen_t)cap)) return MT_EINVAL;
    } else {
        return MT_EINVAL;
    }
    return MT_OK;
}

int mt_addr_parse(const char *s, mt_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, s, out->b) == 1) {
        out->family = 4;
        return MT_OK;
    }
    if (inet_pton(AF_INET6, s, out->b) == 1) {
        /* Keep IPv4-mapped addresses as IPv4 so both spellings match. */
        static const uint8_t mapped[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
        if (memcmp(out->b, mapped, 12) == 0) {
            memmove(out->b, out->b + 12, 4);
            memset(out->b + 4, 0, 12);
            out->family = 4;
        } else {
            out->family = 6;
        }
        return MT_OK;
    }
    return mt_error_set(MT_EINVAL, "not an IP address: '%.64s'", s);
}

int mt_addr_eq(const mt_addr *a, const mt_addr *b)
{
    if (a->family != b->family) return 0;
    return memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

int mt_addr_in_prefix(const mt_addr *a, const mt_addr *prefix, int bits)
{
    if (a->family != prefix->family) return 0;
    int max = a->family == 4 ? 32 : 128;
    if (bits < 0 || bits > max) return 0;
    int full = bits / 8, rem = bits % 8;
    if (memcmp(a->b, prefix->b, (size_t)full) != 0) return 0;
    if (rem) {
        uint8_t mask = (uint8_t)(0xff << (8 - rem));
        if ((a->b[full] & mask) != (prefix->b[full] & mask)) return 0;
    }
    return 1;
}

uint64_t mt_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    return mt_hash_bytes_inl(p, n, seed);
}

uint64_t mt_addr_hash(const mt_addr *a, uint64_t seed)
{
    return mt_addr_hash_inl(a, seed);
}
