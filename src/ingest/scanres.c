/* Port-scan results (see scanres.h): the host table, the banner kinds and
 * format detection. The readers are scan_xml.c (nmap and masscan -oX) and
 * scan_masscan.c (masscan -oJ, -oD, -oL).
 *
 * Hosts live in a growing util/hashmap table keyed by address (value: the
 * host's index + 1), each host allocated once so the pointers
 * mt_scanres_get hands out stay valid while more files are loaded. Ports
 * are kept sorted and distinct on insert (a host has a handful); banner
 * strings go to a block arena that never moves them. */
#include "ingest/scanres_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/bytestream.h"
#include "util/hashmap.h"

#define ARENA_BLOCK 65536
#define MAX_BANNER_TEXT 8192 /* longer banners are kept cut (masscan's are < 4 KB) */
#define HOST_SEED 0x7363616e686f7374ULL /* "scanhost" */

struct scan_host {
    mt_scan_host h; /* the public view: open/banners point into the arrays below */
    uint16_t *ports;
    size_t pcap;
    mt_scan_banner *ban;
    size_t bcap;
};

typedef struct ablock {
    struct ablock *next;
    size_t used, cap;
    char data[];
} ablock;

struct mt_scanres {
    mt_hmap index; /* mt_addr -> uint32 host index + 1 */
    scan_host **hosts;
    size_t n, cap;
    ablock *arena;
};

static uint64_t addr_hash(const void *k) { return mt_addr_hash(k, HOST_SEED); }

mt_scanres *mt_scanres_new(void)
{
    mt_scanres *s = mt_xcalloc(1, sizeof *s);
    mt_hmap_cfg cfg = {.key_size = sizeof(mt_addr), .val_size = sizeof(uint32_t),
                       .capacity = 64, .hash = addr_hash};
    mt_hmap_init(&s->index, &cfg);
    return s;
}

void mt_scanres_free(mt_scanres *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->hosts[i]->ports);
        free(s->hosts[i]->ban);
        free(s->hosts[i]);
    }
    free(s->hosts);
    for (ablock *b = s->arena, *nx; b; b = nx) {
        nx = b->next;
        free(b);
    }
    mt_hmap_free(&s->index);
    free(s);
}

size_t mt_scanres_hosts(const mt_scanres *s) { return s ? s->n : 0; }

const mt_scan_host *mt_scanres_get(const mt_scanres *s, const mt_addr *a)
{
    if (!s || !a || (a->family != 4 && a->family != 6)) return NULL;
    mt_addr k = mt_hmap_addr_key(a);
    size_t i = mt_hmap_find(&s->index, &k, addr_hash(&k));
    if (i == MT_HMAP_NONE) return NULL;
    uint32_t v;
    memcpy(&v, mt_hmap_val(&s->index, i), sizeof v);
    return &s->hosts[v - 1]->h;
}

int mt_scan_host_open(const mt_scan_host *h, uint16_t p)
{
    if (!h) return 0;
    size_t lo = 0, hi = h->nopen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->open[mid] == p) return 1;
        if (h->open[mid] < p) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

/* ---- building ------------------------------------------------------------ */

static const char *arena_str(mt_scanres *s, const char *t, size_t n)
{
    if (n == 0) return "";
    size_t need = n + 1;
    ablock *b = s->arena;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        ablock *nb = mt_xmalloc(sizeof *nb + cap);
        nb->used = 0;
        nb->cap = cap;
        /* a block made for one big string goes behind the current one, so
         * the current block's free space stays usable */
        if (b && cap > ARENA_BLOCK) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            s->arena = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, t, n);
    p[n] = '\0';
    b->used += need;
    return p;
}

scan_host *scan_host_of(mt_scanres *s, const mt_addr *a)
{
    mt_addr k = mt_hmap_addr_key(a);
    uint64_t h = addr_hash(&k);
    int added;
    size_t i = mt_hmap_put(&s->index, &k, h, &added);
    if (!added) {
        uint32_t v;
        memcpy(&v, mt_hmap_val(&s->index, i), sizeof v);
        return s->hosts[v - 1];
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->hosts = mt_xrealloc(s->hosts, s->cap * sizeof *s->hosts);
    }
    scan_host *sh = mt_xcalloc(1, sizeof *sh);
    sh->h.addr = k;
    sh->h.device = "";
    s->hosts[s->n++] = sh;
    uint32_t v = (uint32_t)s->n;
    memcpy(mt_hmap_val(&s->index, i), &v, sizeof v);
    return sh;
}

void scan_add_port(mt_scanres *s, scan_host *h, uint16_t port)
{
    (void)s;
    size_t n = h->h.nopen, lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->ports[mid] == port) return;
        if (h->ports[mid] < port) lo = mid + 1;
        else hi = mid;
    }
    if (n == h->pcap) {
        h->pcap = h->pcap ? h->pcap * 2 : 4;
        h->ports = mt_xrealloc(h->ports, h->pcap * sizeof *h->ports);
    }
    memmove(h->ports + lo + 1, h->ports + lo, (n - lo) * sizeof *h->ports);
    h->ports[lo] = port;
    h->h.nopen = n + 1;
    h->h.open = h->ports;
}

void scan_set_device(mt_scanres *s, scan_host *h, const char *device)
{
    if (!device || !*device || h->h.device[0]) return; /* the first one named stays */
    size_t n = strnlen(device, 64);
    h->h.device = arena_str(s, device, n);
}

/* The Recog kind a banner should be matched as. */
static const char *kind_of(const char *service, uint16_t port)
{
    if (!strcasecmp(service, "ssh")) return "ssh.banner";
    if (!strcasecmp(service, "telnet")) return "telnet.banner";
    if (!strcasecmp(service, "http.server") || !strcasecmp(service, "http-server-header"))
        return "http_header.server";
    if (!strcasecmp(service, "title") || !strcasecmp(service, "http-title")) return "html_title";
    /* masscan names what it could not classify "unknown": on the telnet
     * ports that is a device's greeting (masscan's telnet parser only
     * claims banners that start with option negotiation) */
    if ((!*service || !strcasecmp(service, "unknown")) && (port == 23 || port == 2323))
        return "telnet.banner";
    return "";
}

void scan_add_banner_kind(mt_scanres *s, scan_host *h, uint16_t port, const char *service,
                          const char *text, size_t n, const char *kind)
{
    if (n > MAX_BANNER_TEXT) n = MAX_BANNER_TEXT;
    /* NUL bytes cannot live in a C string; a banner is text, so they go */
    char stackbuf[MAX_BANNER_TEXT];
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (text[i]) stackbuf[m++] = text[i];
    if (m == 0) return;
    for (size_t i = 0; i < h->h.nbanners; i++) {
        const mt_scan_banner *b = &h->ban[i];
        if (b->port == port && !strcmp(b->kind, kind) && !strcmp(b->service, service) &&
            strlen(b->text) == m && !memcmp(b->text, stackbuf, m))
            return;
    }
    if (h->h.nbanners == h->bcap) {
        h->bcap = h->bcap ? h->bcap * 2 : 4;
        h->ban = mt_xrealloc(h->ban, h->bcap * sizeof *h->ban);
    }
    mt_scan_banner *b = &h->ban[h->h.nbanners++];
    b->port = port;
    b->service = arena_str(s, service, strnlen(service, 64));
    b->text = arena_str(s, stackbuf, m);
    b->kind = kind;
    h->h.banners = h->ban;
}

/* The Server header of an HTTP response head, or NULL. */
static const char *server_header(const char *t, size_t n, size_t *len)
{
    if (n < 5 || memcmp(t, "HTTP/", 5) != 0) return NULL;
    const char *end = t + n;
    for (const char *p = t; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le - p >= 7 && strncasecmp(p, "server:", 7) == 0) {
            const char *v = p + 7;
            while (v < le && (*v == ' ' || *v == '\t')) v++;
            const char *ve = le;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
            *len = (size_t)(ve - v);
            return *len ? v : NULL;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return NULL;
}

void scan_add_banner(mt_scanres *s, scan_host *h, uint16_t port, const char *service,
                     const char *text, size_t n)
{
    scan_add_banner_kind(s, h, port, service, text, n, kind_of(service, port));
    size_t sl;
    const char *sv = server_header(text, n, &sl);
    if (sv) scan_add_banner_kind(s, h, port, "http.server", sv, sl, "http_header.server");
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t scan_unescape_hex(char *t, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (t[i] == '\\' && i + 3 < n && t[i + 1] == 'x' && (hi = hexval(t[i + 2])) >= 0 &&
            (lo = hexval(t[i + 3])) >= 0) {
            t[o++] = (char)(hi * 16 + lo);
            i += 3;
        } else {
            t[o++] = t[i];
        }
    }
    return o;
}

void scan_note_malformed(mt_ingest_stats *st, uint64_t line)
{
    st->malformed++;
    if (st->n_malformed_lines < MT_INGEST_MAX_LINENOS)
        st->malformed_lines[st->n_malformed_lines++] = line;
}

void scan_note_unknown(mt_ingest_stats *st, const char *name)
{
    st->unknown++;
    for (unsigned i = 0; i < st->n_unknown_names; i++) {
        if (strcmp(st->unknown_names[i].name, name) == 0) {
            st->unknown_names[i].n++;
            return;
        }
    }
    if (st->n_unknown_names < MT_INGEST_MAX_NAMES) {
        mt_strlcpy(st->unknown_names[st->n_unknown_names].name, name,
                   sizeof st->unknown_names[0].name);
        st->unknown_names[st->n_unknown_names++].n = 1;
    } else {
        st->unknown_unnamed++;
    }
}

/* ---- loading ------------------------------------------------------------- */

/* The format from the first bytes (after a UTF-8 BOM and white space). */
static int sniff(const char *path, mt_ingest_stats *st)
{
    mt_bytestream *bs = mt_bs_open(path);
    if (!bs) {
        st->read_error = MT_EIO;
        mt_strlcpy(st->error, mt_error_msg(), sizeof st->error);
        return MT_EIO;
    }
    char buf[512];
    long n = mt_bs_read(bs, buf, sizeof buf);
    mt_bs_close(bs);
    if (n < 0) {
        st->read_error = (int)n;
        mt_strlcpy(st->error, mt_error_msg(), sizeof st->error);
        return (int)n;
    }
    size_t i = 0, len = (size_t)n;
    if (len >= 3 && (unsigned char)buf[0] == 0xef && (unsigned char)buf[1] == 0xbb &&
        (unsigned char)buf[2] == 0xbf)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (i == len) return 0; /* empty: nothing to read */
    const char *p = buf + i;
    size_t r = len - i;
    if (*p == '<') return SCAN_FMT_XML;
    if (*p == '[' || *p == '{') return SCAN_FMT_JSON;
    if ((r >= 8 && !memcmp(p, "#masscan", 8)) || (r >= 5 && !memcmp(p, "open ", 5)) ||
        (r >= 7 && !memcmp(p, "banner ", 7)) || (r >= 7 && !memcmp(p, "closed ", 7)))
        return SCAN_FMT_LIST;
    st->read_error = MT_EINVAL;
    return mt_error_set(MT_EINVAL, "%s: not nmap or masscan output (XML, JSON or list)", path);
}

int mt_scanres_load(mt_scanres *s, const char *path, mt_ingest_stats *st)
{
    if (!s || !path || !st) return MT_EINVAL;
    int fmt = sniff(path, st);
    if (fmt < 0) {
        if (!st->error[0]) mt_strlcpy(st->error, mt_error_msg(), sizeof st->error);
        return fmt;
    }
    if (fmt == 0) {
        mt_strlcpy(st->format, "empty", sizeof st->format);
        return MT_OK;
    }
    int rc = fmt == SCAN_FMT_XML ? scan_read_xml(s, path, st) : scan_read_masscan(s, path, fmt, st);
    if (rc < 0) {
        st->read_error = rc;
        if (!st->error[0]) mt_strlcpy(st->error, mt_error_msg(), sizeof st->error);
    }
    return rc;
}
