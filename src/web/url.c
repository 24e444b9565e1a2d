/* URL resolution for the references a page makes (script src, worker,
 * Wasm, WebSocket): the forms browsers accept, within fixed buffers. */
#include "web/url.h"

#include <ctype.h>
#include <string.h>

#include "minetrace/common.h"

/* s into out whole, or -1 when it does not fit. */
static int copy_out(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap) return -1;
    memcpy(out, s, n + 1);
    return 0;
}

/* Length of the "scheme:" prefix (with the colon), 0 when there is none. */
static size_t scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0])) return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') i++;
    return s[i] == ':' ? i + 1 : 0;
}

int mt_url_host(const char *url, char *out, size_t cap)
{
    size_t sl = scheme_len(url);
    if (!sl || url[sl] != '/' || url[sl + 1] != '/') return -1;
    const char *h = url + sl + 2;
    size_t n = strcspn(h, "/?#");
    const char *at = memchr(h, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    size_t hn;
    if (h[0] == '[') {
        const char *close = memchr(h, ']', n);
        if (!close) return -1;
        h++;
        hn = (size_t)(close - h);
    } else {
        const char *colon = memchr(h, ':', n);
        hn = colon ? (size_t)(colon - h) : n;
    }
    if (hn == 0 || hn >= cap) return -1;
    for (size_t i = 0; i < hn; i++) out[i] = (char)tolower((unsigned char)h[i]);
    out[hn] = '\0';
    return 0;
}

/* Copy ref into out with &amp; decoded and the fragment dropped. */
static size_t clean_ref(const char *ref, char *out, size_t cap)
{
    while (*ref && isspace((unsigned char)*ref)) ref++;
    size_t o = 0;
    for (const char *p = ref; *p && *p != '#'; p++) {
        char c = *p;
        if (c == '&' && strncmp(p, "&amp;", 5) == 0) p += 4;
        if (c == '\n' || c == '\r' || c == '\t') continue;
        if (o + 1 >= cap) return (size_t)-1;
        out[o++] = c;
    }
    while (o && isspace((unsigned char)out[o - 1])) o--;
    out[o] = '\0';
    return o;
}

/* Remove dot segments from an absolute path in place (RFC 3986 5.2.4),
 * segment by segment. */
static void remove_dots(char *path)
{
    char out[4096];
    size_t o = 0;
    const char *p = path;
    while (*p == '/') {
        const char *seg = p + 1;
        size_t n = strcspn(seg, "/");
        int last = seg[n] == '\0';
        if (n == 1 && seg[0] == '.') {
            if (last) out[o++] = '/';
        } else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[--o] != '/') {}
            if (last) out[o++] = '/';
        } else if (o + 1 + n < sizeof out) {
            out[o++] = '/';
            memcpy(out + o, seg, n);
            o += n;
        }
        p = seg + n;
    }
    if (o == 0) out[o++] = '/';
    out[o] = '\0';
    memcpy(path, out, o + 1);
}

int mt_url_resolve(const char *base, const char *ref, char *out, size_t cap)
{
    char r[2048];
    size_t rn = clean_ref(ref, r, sizeof r);
    if (rn == (size_t)-1 || rn == 0) return -1;
    size_t rs = scheme_len(r);
    if (rs) {
        /* absolute: only the schemes a page loads code or sockets from */
        if (strncasecmp(r, "http:", 5) && strncasecmp(r, "https:", 6) && strncasecmp(r, "ws:", 3) &&
            strncasecmp(r, "wss:", 4))
            return -1;
        return copy_out(r, out, cap);
    }
    size_t bs = scheme_len(base);
    if (!bs || base[bs] != '/' || base[bs + 1] != '/') return -1;
    const char *auth = base + bs + 2;
    size_t an = strcspn(auth, "/?#");
    char buf[4096];
    size_t prefix = bs + 2 + an; /* scheme://authority */
    if (r[0] == '/' && r[1] == '/') {
        if (bs + rn >= sizeof buf) return -1;
        memcpy(buf, base, bs);
        memcpy(buf + bs, r, rn + 1);
        return copy_out(buf, out, cap);
    }
    if (prefix + 1 + rn + strlen(base) >= sizeof buf) return -1;
    memcpy(buf, base, prefix);
    char *path = buf + prefix;
    if (r[0] == '/') {
        memcpy(path, r, rn + 1);
    } else if (r[0] == '?') {
        size_t pn = strcspn(auth + an, "?#");
        memcpy(path, auth + an, pn);
        if (pn == 0) path[pn++] = '/';
        memcpy(path + pn, r, rn + 1);
    } else {
        /* the base path up to its last '/' */
        const char *bp = auth + an;
        size_t bpn = strcspn(bp, "?#");
        size_t dir = 0;
        for (size_t i = 0; i < bpn; i++)
            if (bp[i] == '/') dir = i + 1;
        if (dir == 0) path[dir++] = '/';
        else memcpy(path, bp, dir);
        memcpy(path + dir, r, rn + 1);
    }
    /* dot segments in the path only, not the query */
    char *q = strchr(path, '?');
    char query[2048] = "";
    if (q) {
        mt_strlcpy(query, q, sizeof query);
        *q = '\0';
    }
    remove_dots(path);
    size_t pl = strlen(path), ql = strlen(query);
    if ((size_t)(path - buf) + pl + ql >= sizeof buf) return -1;
    memcpy(path + pl, query, ql + 1);
    return copy_out(buf, out, cap);
}
