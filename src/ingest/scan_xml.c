/* nmap -oX and masscan -oX (which imitates nmap's format) through
 * libxml2's streaming reader fed from util/bytestream (gzip too), so a
 * large scan is never held whole. No network, no DTD loading, no entity
 * substitution (XML_PARSE_NONET without NOENT/DTDLOAD); nmap's
 * <!DOCTYPE nmaprun> names no file.
 *
 * What is read, in document order (both scanners write <address> before
 * <ports>, and a port's <state> before its <service> and <script>s):
 *   host/status state      hosts that are not "up" are skipped (nmap's
 *                          <hosthint> blocks outside <host> are not hosts)
 *   host/address           addrtype ipv4/ipv6 (mac ignored)
 *   port protocol/portid   TCP only
 *   port/state state       "open" only (closed, filtered: not kept)
 *   port/service           name, devicetype (nmap -sV), banner (masscan)
 *   port/script            id "banner" (nmap's banner script, \xHH escapes),
 *                          "http-server-header", "http-title"
 * A document that breaks off (an interrupted scan) keeps the hosts before
 * the break and counts one malformed record at the line libxml2 names. */
#include "ingest/scanres_internal.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytestream.h"

typedef struct xctx {
    mt_scanres *s;
    mt_ingest_stats *st;
    mt_bytestream *bs;
    int io_err;          /* MT_E* from the byte stream */
    int xml_err_line;
    char xml_err[160];
    /* the element being read */
    int in_host, host_skip;
    scan_host *host;
    int in_port, port_ok, port_open;
    uint16_t port;
    char service[64];
    int masscan;
    char small[3][256]; /* attr() storage */
    char *big;
    size_t bigcap;
} xctx;

static int read_cb(void *p, char *buf, int len)
{
    xctx *x = p;
    long n = mt_bs_read(x->bs, buf, (size_t)len);
    if (n < 0) {
        x->io_err = (int)n;
        return -1;
    }
    return (int)n;
}

static int close_cb(void *p)
{
    (void)p;
    return 0;
}

static void on_error(void *p, const xmlError *e)
{
    xctx *x = p;
    if (x->xml_err[0] || !e) return; /* the first error says where it broke */
    x->xml_err_line = e->line;
    mt_strlcpy(x->xml_err, e->message ? e->message : "XML error", sizeof x->xml_err);
    size_t l = strlen(x->xml_err);
    if (l && x->xml_err[l - 1] == '\n') x->xml_err[l - 1] = '\0';
}

/* libxml2 >= 2.12 passes a const error; older ones a mutable one. */
static void on_error_shim(void *p, xmlErrorPtr e) { on_error(p, e); }

/* An attribute's value copied into the reader's own storage: slot 0..2 for
 * short values (cut at 255 bytes), BIG for banners and script output; no
 * allocation per element once the big buffer has grown. NULL when absent. */
#define BIG (-1)
static char *attr(xctx *x, xmlTextReaderPtr r, const char *name, int slot)
{
    if (xmlTextReaderMoveToAttribute(r, (const xmlChar *)name) != 1) return NULL;
    const char *v = (const char *)xmlTextReaderConstValue(r);
    char *out = NULL;
    if (v) {
        size_t n = strlen(v);
        if (slot == BIG) {
            if (n + 1 > x->bigcap) {
                x->bigcap = n + 1 > 2 * x->bigcap ? n + 1 : 2 * x->bigcap;
                x->big = mt_xrealloc(x->big, x->bigcap);
            }
            out = x->big;
        } else {
            out = x->small[slot];
            if (n >= sizeof x->small[0]) n = sizeof x->small[0] - 1;
        }
        memcpy(out, v, n);
        out[n] = '\0';
    }
    xmlTextReaderMoveToElement(r);
    return out;
}

static int streq(const char *a, const char *b) { return a && strcmp(a, b) == 0; }

static void host_start(xctx *x)
{
    x->in_host = 1;
    x->host_skip = 0;
    x->host = NULL;
    x->st->records++;
}

static void host_end(xctx *x, long line)
{
    if (!x->in_host) return;
    if (x->host_skip) {
        /* counted where it was skipped */
    } else if (!x->host) {
        scan_note_malformed(x->st, (uint64_t)line); /* no address */
    } else {
        x->st->used++;
    }
    x->in_host = 0;
    x->host = NULL;
}

static void on_address(xctx *x, xmlTextReaderPtr r, long line)
{
    if (!x->in_host || x->host_skip || x->host) return;
    char *type = attr(x, r, "addrtype", 0), *a = attr(x, r, "addr", 1);
    if (type && (streq(type, "ipv4") || streq(type, "ipv6"))) {
        mt_addr ad;
        if (a && mt_addr_parse(a, &ad) == MT_OK) x->host = scan_host_of(x->s, &ad);
        else { scan_note_malformed(x->st, (uint64_t)line); x->host_skip = 1; }
    }
}

static void on_port(xctx *x, xmlTextReaderPtr r, long line)
{
    x->in_port = 1;
    x->port_ok = 0;
    x->port_open = 0;
    x->service[0] = '\0';
    if (!x->in_host || x->host_skip) return;
    if (!x->host) { /* a port before any address */
        scan_note_malformed(x->st, (uint64_t)line);
        x->host_skip = 1;
        return;
    }
    char *proto = attr(x, r, "protocol", 0), *id = attr(x, r, "portid", 1);
    char *end = NULL;
    unsigned long p = id ? strtoul(id, &end, 10) : 0;
    if (!id || !end || *end || p == 0 || p > 65535) {
        scan_note_malformed(x->st, (uint64_t)line);
    } else if (!streq(proto, "tcp")) {
        scan_note_unknown(x->st, proto ? proto : "no protocol");
    } else {
        x->port_ok = 1;
        x->port = (uint16_t)p;
    }
}

static void on_state(xctx *x, xmlTextReaderPtr r)
{
    if (!x->in_port || !x->port_ok) return;
    char *st = attr(x, r, "state", 0);
    if (streq(st, "open")) {
        x->port_open = 1;
        scan_add_port(x->s, x->host, x->port);
    }
}

static void on_service(xctx *x, xmlTextReaderPtr r)
{
    if (!x->in_port || !x->port_open) return;
    char *name = attr(x, r, "name", 0), *dev = attr(x, r, "devicetype", 1);
    char *ban = attr(x, r, "banner", BIG);
    mt_strlcpy(x->service, name ? name : "", sizeof x->service);
    if (dev) scan_set_device(x->s, x->host, dev);
    if (ban) {
        size_t n = scan_unescape_hex(ban, strlen(ban));
        scan_add_banner(x->s, x->host, x->port, x->service, ban, n);
    }
}

static void on_script(xctx *x, xmlTextReaderPtr r)
{
    if (!x->in_port || !x->port_open) return;
    char *id = attr(x, r, "id", 0), *out = attr(x, r, "output", BIG);
    if (id && out) {
        size_t n = strlen(out);
        if (streq(id, "banner")) {
            n = scan_unescape_hex(out, n);
            scan_add_banner(x->s, x->host, x->port, x->service, out, n);
        } else if (streq(id, "http-server-header")) {
            /* one header per line when the server sent several answers */
            char *nl = memchr(out, '\n', n);
            scan_add_banner_kind(x->s, x->host, x->port, x->service, out, nl ? (size_t)(nl - out) : n,
                                 "http_header.server");
        } else if (streq(id, "http-title")) {
            /* the title is the first line; nmap adds "Requested resource
             * was ..." lines after redirects */
            char *nl = memchr(out, '\n', n);
            scan_add_banner_kind(x->s, x->host, x->port, x->service, out, nl ? (size_t)(nl - out) : n,
                                 "html_title");
        }
    }
}

int scan_read_xml(mt_scanres *s, const char *path, mt_ingest_stats *st)
{
    xctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.st = st;
    x.bs = mt_bs_open(path);
    if (!x.bs) return MT_EIO;
    xmlTextReaderPtr r = xmlReaderForIO(read_cb, close_cb, &x, path, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                            XML_PARSE_NOCDATA);
    if (!r) {
        mt_bs_close(x.bs);
        return mt_error_set(MT_ENOMEM, "%s: cannot start the XML reader", path);
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error_shim, &x);
    int rc, seen_root = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (!name) continue;
        /* the node's own line: the parser itself may be further on */
        xmlNodePtr cur = xmlTextReaderCurrentNode(r);
        long line = cur ? xmlGetLineNo(cur) : xmlTextReaderGetParserLineNumber(r);
        if (line <= 0) line = xmlTextReaderGetParserLineNumber(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(r);
            if (!seen_root) {
                seen_root = 1;
                if (strcmp(name, "nmaprun") != 0) {
                    /* the name lives in the reader's dictionary: report first */
                    int e = mt_error_set(MT_EINVAL, "%s:%ld: not nmap/masscan XML (root <%.40s>)",
                                         path, line, name);
                    xmlFreeTextReader(r);
                    free(x.big);
                    mt_bs_close(x.bs);
                    return e;
                }
                char *sc = attr(&x, r, "scanner", 0);
                x.masscan = streq(sc, "masscan");
                continue;
            }
            if (!strcmp(name, "host")) {
                host_end(&x, line);
                host_start(&x);
                if (empty) host_end(&x, line);
            } else if (!strcmp(name, "status")) {
                char *state = attr(&x, r, "state", 0);
                if (x.in_host && state && !streq(state, "up")) {
                    x.host_skip = 1;
                    scan_note_unknown(st, "host not up");
                }
            } else if (!strcmp(name, "address")) {
                on_address(&x, r, line);
            } else if (!strcmp(name, "port")) {
                on_port(&x, r, line);
                if (empty) x.in_port = 0;
            } else if (!strcmp(name, "state")) {
                on_state(&x, r);
            } else if (!strcmp(name, "service")) {
                on_service(&x, r);
            } else if (!strcmp(name, "script")) {
                on_script(&x, r);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (!strcmp(name, "host")) host_end(&x, line);
            else if (!strcmp(name, "port")) x.in_port = 0;
        }
    }
    long line = xmlTextReaderGetParserLineNumber(r);
    host_end(&x, line);
    xmlFreeTextReader(r);
    free(x.big);
    st->bytes += mt_bs_bytes(x.bs);
    mt_bs_close(x.bs);
    mt_strlcpy(st->format, x.masscan ? "masscan-xml" : "nmap-xml", sizeof st->format);
    if (x.io_err) return x.io_err; /* the byte stream said why (mt_error_msg) */
    if (rc < 0) {
        /* an interrupted scan: what came before the break is kept */
        long el = x.xml_err_line > 0 ? x.xml_err_line : line;
        scan_note_malformed(st, (uint64_t)el);
        snprintf(st->error, sizeof st->error, "%s:%ld: XML breaks off: %s", path, el,
                 x.xml_err[0] ? x.xml_err : "parse error");
    }
    if (!seen_root && rc == 0) scan_note_malformed(st, 1);
    return MT_OK;
}
