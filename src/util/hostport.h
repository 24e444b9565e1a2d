/* One parser for the "where to connect" strings that reach minetrace from the
 * network and from logs: HTTP Host headers ("pool.example:8080",
 * "[2001:db8::1]:3333", a bare "2001:db8::1"), and miner pool URLs with a
 * scheme ("stratum+tcp://user@pool.example:3333/path"). Nothing is copied:
 * the result points into the input. */
#ifndef MT_UTIL_HOSTPORT_H
#define MT_UTIL_HOSTPORT_H

#include <stddef.h>

typedef struct mt_hostport {
    const char *scheme;  /* "stratum+tcp" without "://"; NULL when none */
    size_t scheme_len;
    const char *host;    /* without brackets; never NULL */
    size_t host_len;
    int port;            /* 0..65535, or -1 when none was given */
    int bracketed;       /* the host was written "[...]" (an IPv6 literal) */
} mt_hostport;

/* Accept a leading "scheme://" (and "user[:pass]@" and a "/path" after the
 * authority, which are skipped) in mt_hostport_parse. */
#define MT_HP_SCHEME 1u

/* Split s[0..n) into host and port. Rules: "[v6]" or "[v6]:port"; a string
 * with two or more colons and no brackets is a bare IPv6 address (no port);
 * otherwise "host" or "host:port". The port is 1-5 digits, at most 65535.
 * Returns MT_OK, or MT_EINVAL (with mt_error_set) when the text is
 * malformed: empty host, a bad port, a missing "]", junk after "]". Even then
 * out->host holds the best guess of the host part (the text before a bad
 * port, the rest after an unclosed "["), which is what callers that only
 * display or match the host want from attacker-written headers. */
int mt_hostport_parse(const char *s, size_t n, unsigned flags, mt_hostport *out);

/* The host part of a NUL-terminated Host-style string (no scheme), copied
 * into out (cut to cap - 1 bytes, always terminated); returns its length. */
size_t mt_hostport_host(const char *s, char *out, size_t cap);

#endif
