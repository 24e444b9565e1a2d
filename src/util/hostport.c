/* host:port splitting (see hostport.h). */
#include "util/hostport.h"

#include <string.h>

#include "minetrace/common.h"

static int is_scheme_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '-' || c == '.';
}

/* Length of a leading "scheme://" (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" /
 * "-" / "." )), 0 when there is none. */
static size_t scheme_prefix(const char *s, size_t n, size_t *name_len)
{
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
    size_t i = 1;
    while (i < n && is_scheme_char(s[i])) i++;
    if (i + 3 > n || memcmp(s + i, "://", 3) != 0) return 0;
    *name_len = i;
    return i + 3;
}

static int parse_port(const char *p, size_t n, int *port)
{
    if (n == 0 || n > 5) return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        v = v * 10 + (p[i] - '0');
    }
    if (v > 65535) return 0;
    *port = v;
    return 1;
}

/* The parse without touching the error slot (Host headers are split on the
 * packet path; a malformed one is data, not an error to format). Returns
 * NULL or what is wrong. */
static const char *split(const char *s, size_t n, unsigned flags, mt_hostport *out)
{
    memset(out, 0, sizeof *out);
    out->port = -1;
    out->host = s;
    if (flags & MT_HP_SCHEME) {
        size_t nl = 0, skip = scheme_prefix(s, n, &nl);
        if (skip) {
            out->scheme = s;
            out->scheme_len = nl;
            s += skip;
            n -= skip;
            /* The authority ends at the path, query or fragment. */
            for (size_t i = 0; i < n; i++)
                if (s[i] == '/' || s[i] == '?' || s[i] == '#') { n = i; break; }
            /* Credentials go before the last '@' of the authority. */
            for (size_t i = n; i > 0; i--)
                if (s[i - 1] == '@') { s += i; n -= i; break; }
        }
    }
    out->host = s;
    if (n && s[0] == '[') {
        const char *e = memchr(s, ']', n);
        out->bracketed = 1;
        out->host = s + 1;
        if (!e) {
            out->host_len = n - 1;
            return "'[' without ']'";
        }
        out->host_len = (size_t)(e - s) - 1;
        size_t rest = n - (size_t)(e - s) - 1;
        const char *r = e + 1;
        if (out->host_len == 0) return "empty address in []";
        if (rest == 0) return NULL;
        if (r[0] != ':') return "junk after ']'";
        if (!parse_port(r + 1, rest - 1, &out->port)) return "bad port";
        return NULL;
    }
    const char *c = memchr(s, ':', n);
    if (c && memchr(c + 1, ':', n - (size_t)(c - s) - 1)) c = NULL; /* bare IPv6 */
    out->host_len = c ? (size_t)(c - s) : n;
    if (out->host_len == 0) return "empty host";
    if (c && !parse_port(c + 1, n - (size_t)(c - s) - 1, &out->port)) return "bad port";
    return NULL;
}

int mt_hostport_parse(const char *s, size_t n, unsigned flags, mt_hostport *out)
{
    const char *why = split(s, n, flags, out);
    if (why) return mt_error_set(MT_EINVAL, "host:port: %s", why);
    return MT_OK;
}

/* Out of line: the common path then needs no stack frame for hp. */
static __attribute__((noinline)) size_t host_bracketed(const char *s, char *out, size_t cap)
{
    mt_hostport hp;
    (void)split(s, strlen(s), 0, &hp); /* the host guess is wanted either way */
    return mt_memlcpy(out, cap, hp.host, hp.host_len);
}

size_t mt_hostport_host(const char *s, char *out, size_t cap)
{
    if (s[0] == '[') return host_bracketed(s, out, cap);
    /* The same rules as split() without brackets, in one pass over a
     * NUL-terminated string: this runs once per HTTP request. */
    const char *c = strchrnul(s, ':');
    if (*c && strchr(c + 1, ':')) c += strlen(c); /* bare IPv6: all of it */
    return mt_memlcpy(out, cap, s, (size_t)(c - s));
}
