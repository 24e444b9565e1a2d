/* minetrace — shared basics: status codes, the error convention, addresses.
 *
 * The error convention, one for the whole project:
 *
 * 1. A function that can fail returns an int status: MT_OK (0) on success
 *    or a negative MT_E* code (a function that returns a count or a pointer
 *    says in its header what it returns on failure). The codes are the
 *    whole answer a caller acts on.
 *
 * 2. Parsers and decoders on the packet and record path (src/proto/,
 *    capture/decode.c, the stream framers, the log line readers) return
 *    plain statuses and never format a message: "not this protocol"
 *    (MT_ENOTFOUND), "need more bytes" (MT_EAGAIN), "cut short"
 *    (MT_ETRUNC) and "malformed" (MT_EINVAL) are everyday answers about
 *    attacker-controlled bytes, and the caller counts them (--stats).
 *
 * 3. Only a failure a person will read records a message, with
 *    mt_error_set() just before returning the code: a file or device that
 *    cannot be opened or read, a corrupt input file, a bad option, filter,
 *    intel list or store. The caller that reports it reads mt_error_msg().
 *    The header of such a function says that it sets the message; after
 *    any other failure mt_error_msg() is not about that failure.
 *
 * minetrace is single-threaded per process, so one message slot is enough. */
#ifndef MINETRACE_COMMON_H
#define MINETRACE_COMMON_H

#include <stddef.h>
#include <stdint.h>

enum {
    MT_OK = 0,
    MT_ERR = -1,      /* generic failure; see mt_error_msg() */
    MT_ENOMEM = -2,   /* allocation failed or a configured cap was hit */
    MT_EINVAL = -3,   /* malformed input or bad argument */
    MT_EIO = -4,      /* file or device error */
    MT_ETRUNC = -5,   /* input ends before the structure does */
    MT_EAGAIN = -6,   /* need more bytes (stream parsers) */
    MT_ENOTFOUND = -7 /* not this protocol / no match */
};

#if defined(__GNUC__)
#define MT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define MT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MT_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define MT_PRINTF(a, b)
#define MT_UNLIKELY(x) (x)
#define MT_LIKELY(x) (x)
#endif

/* Record the message for the failure about to be returned (rule 3 above:
 * never on the packet or record path). Returns `code` so callers can write
 * `return mt_error_set(MT_EIO, "...", ...)`. */
int mt_error_set(int code, const char *fmt, ...) MT_PRINTF(2, 3);
/* Put `where` (a file name, say) in front of the recorded message, for a
 * caller that knows the context its callee did not; returns `code`. */
int mt_error_context(int code, const char *where);
const char *mt_error_msg(void);
const char *mt_status_str(int code);

/* Abort-on-OOM allocators for control-plane memory (never on the packet
 * hot path, which uses preallocated tables). */
void *mt_xmalloc(size_t n);
void *mt_xcalloc(size_t nmemb, size_t size);
void *mt_xrealloc(void *p, size_t n);
char *mt_xstrdup(const char *s);

/* Bounded copy that always NUL-terminates; returns bytes copied. */
size_t mt_strlcpy(char *dst, const char *src, size_t cap);
/* Copy n raw bytes into a C string buffer, truncating to cap-1. Bytes are
 * copied as they are (escaping happens in the sinks). */
size_t mt_memlcpy(char *dst, size_t cap, const void *src, size_t n);

/* An IPv4 or IPv6 address. IPv4 lives in b[0..3]; the rest is zero. */
typedef struct mt_addr {
    uint8_t family; /* 4 or 6; 0 = unset */
    uint8_t b[16];
} mt_addr;

#define MT_ADDR_STRLEN 46
int mt_addr_to_str(const mt_addr *a, char *buf, size_t cap);
int mt_addr_parse(const char *s, mt_addr *out); /* MT_OK or MT_EINVAL */
int mt_addr_eq(const mt_addr *a, const mt_addr *b);
uint64_t mt_addr_hash(const mt_addr *a, uint64_t seed);
/* Is the address in prefix/bits? */
int mt_addr_in_prefix(const mt_addr *a, const mt_addr *prefix, int bits);

/* Time: microseconds since the Unix epoch, UTC. */
typedef int64_t mt_time_us;
/* ISO 8601 with microseconds and "Z" / "+0000" suffix as EVE does:
 * 2018-01-30T10:11:12.123456+0000 */
int mt_time_format(mt_time_us t, char *buf, size_t cap);
/* Parses ISO 8601 (date, date+time, fractional seconds, Z or +hh:mm / +hhmm)
 * or a decimal epoch (seconds with optional fraction). */
int mt_time_parse(const char *s, mt_time_us *out);

/* 64-bit hash used across tables (multiply-xorshift mixing of our own). */
uint64_t mt_hash_bytes(const void *p, size_t n, uint64_t seed);
/* The finaliser behind it: spreads a 64-bit key over all bits. One
 * definition for every table that hashes integers. */
static inline uint64_t mt_mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

/* Proleptic Gregorian calendar <-> days since 1970-01-01 (no timegm). */
int64_t mt_days_from_civil(int64_t y, unsigned m, unsigned d);
void mt_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
