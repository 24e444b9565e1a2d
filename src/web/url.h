/* URLs as pages write them: resolving a reference against its page, and
 * the host of a URL. Bounded copies, no allocation. */
#ifndef MT_WEB_URL_H
#define MT_WEB_URL_H

#include <stddef.h>

/* The host of an absolute URL (scheme://[user@]host[:port]/...), lower-cased,
 * without brackets for IPv6; 0 on success, -1 when there is none. */
int mt_url_host(const char *url, char *out, size_t cap);
/* ref resolved against base (RFC 3986 in the forms pages use: absolute,
 * scheme-relative //host/p, absolute-path /p, relative p or ../p, query ?q;
 * fragments dropped). HTML entities &amp; are decoded. 0 on success, -1 when
 * the result does not fit or ref is not a URL reference (javascript:,
 * data:, mailto:, empty). */
int mt_url_resolve(const char *base, const char *ref, char *out, size_t cap);

#endif
