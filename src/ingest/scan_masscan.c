/* masscan's line formats: -oL (list), -oJ (a JSON array written one object
 * per line, with the quirk that the separating commas stand on their own
 * lines or after the object and the last object is followed by a comma
 * before the closing "]", so the array as a whole is not JSON) and -oD
 * (ndjson: one record per line, rec_type "status" or "banner").
 *
 *   -oL  open tcp 22 10.0.0.2 1700000000
 *        banner tcp 22 10.0.0.2 1700000005 ssh SSH-2.0-OpenSSH_9.2p1
 *        (banner text to the line end, non-printables as \xHH)
 *   -oJ  {   "ip": "10.0.0.2",   "timestamp": "1700000000", "ports": [ {"port": 22,
 *        "proto": "tcp", "status": "open", ...} ] }  or  ..."ports": [ {"port": 22,
 *        "proto": "tcp", "service": {"name": "ssh", "banner": "SSH-2.0-..."} } ]
 *   -oD  {"ip":"10.0.0.2","timestamp":"1700000000","port":22,"proto":"tcp",
 *        "rec_type":"status","data":{"status":"open",...}}  or  "rec_type":"banner",
 *        "data":{"service_name":"ssh","banner":"SSH-2.0-..."}
 *
 * Each line is read through util/linereader (gzip too) and each object
 * through util/json, so the array's brackets and commas are simply
 * trimmed off the line. Only TCP is kept (the contract is TCP ports); UDP
 * and closed ports are counted as unknown records. */
#include "ingest/scanres_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/linereader.h"

#define MAX_LINE (256u * 1024u)
#define MAX_TOKENS 4096 /* a masscan object has a dozen; more is not masscan */

static int port_of(uint64_t v, uint16_t *p)
{
    if (v == 0 || v > 65535) return 0;
    *p = (uint16_t)v;
    return 1;
}

static int port_str(const char *s, uint16_t *p)
{
    if (!s || *s < '0' || *s > '9') return 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || end - s > 5) return 0;
    return port_of(v, p);
}

/* ---- -oL ------------------------------------------------------------------ */

/* Next space-separated field of [*p, end): its start, *p past it and one space. */
static char *field(char **p, char *end)
{
    char *s = *p;
    if (s >= end) return NULL;
    char *sp = memchr(s, ' ', (size_t)(end - s));
    if (!sp) {
        *p = end;
        return s;
    }
    *sp = '\0';
    *p = sp + 1;
    return s;
}

static int list_line(mt_scanres *s, char *line, size_t len, mt_ingest_stats *st)
{
    char *p = line, *end = line + len;
    char *what = field(&p, end), *proto = field(&p, end), *port = field(&p, end);
    char *ip = field(&p, end), *ts = field(&p, end);
    if (!what || !proto || !port || !ip || !ts) return MT_EINVAL;
    /* the timestamp field is the last one on "open" lines */
    if (!strcmp(what, "open") && p < end) {
        /* nothing may follow but white space */
        for (char *q = p; q < end; q++)
            if (*q != ' ' && *q != '\r') return MT_EINVAL;
    }
    uint16_t pt;
    mt_addr a;
    if (!port_str(port, &pt) || mt_addr_parse(ip, &a) != MT_OK) return MT_EINVAL;
    for (char *q = ts; *q; q++)
        if ((*q < '0' || *q > '9') && *q != '\r') return MT_EINVAL;
    if (strcmp(proto, "tcp") != 0) {
        scan_note_unknown(st, proto);
        return MT_OK;
    }
    if (!strcmp(what, "open")) {
        scan_add_port(s, scan_host_of(s, &a), pt);
    } else if (!strcmp(what, "banner")) {
        char *svc = field(&p, end);
        if (!svc) return MT_EINVAL;
        char *text = p;
        size_t n = (size_t)(end - text);
        n = scan_unescape_hex(text, n);
        scan_host *h = scan_host_of(s, &a);
        /* a banner proves the port answered */
        scan_add_port(s, h, pt);
        scan_add_banner(s, h, pt, svc, text, n);
    } else {
        scan_note_unknown(st, what);
        return MT_OK;
    }
    st->used++;
    return MT_OK;
}

/* ---- -oJ / -oD ------------------------------------------------------------ */

static int json_port(mt_scanres *s, mt_jr_doc *d, const mt_addr *a, int po, uint16_t port,
                     mt_ingest_stats *st, int *used)
{
    (void)st;
    /* -oJ: {"port", "proto", "status"} or {"port", "proto", "service": {...}} */
    int svc = mt_jr_get(d, po, "service");
    if (svc >= 0) {
        if (!mt_jr_is(d, svc, MT_JR_OBJECT)) return MT_EINVAL;
        const char *name = mt_jr_gstr(d, svc, "name");
        int bt = mt_jr_get(d, svc, "banner");
        const char *ban = mt_jr_str(d, bt);
        if (!ban) return MT_EINVAL;
        scan_host *h = scan_host_of(s, a);
        scan_add_port(s, h, port);
        scan_add_banner(s, h, port, name ? name : "", ban, strlen(ban));
        *used = 1;
        return MT_OK;
    }
    int stt = mt_jr_get(d, po, "status");
    if (stt < 0) return MT_EINVAL;
    if (mt_jr_streq(d, stt, "open")) {
        scan_add_port(s, scan_host_of(s, a), port);
        *used = 1;
    }
    return MT_OK;
}

static int json_line(mt_scanres *s, mt_jr_doc *d, const char *line, size_t len,
                     mt_ingest_stats *st, int *ndjson)
{
    if (mt_jr_parse(d, line, len, MT_JR_LAX_CTRL, 8) != MT_OK) return MT_EINVAL;
    if (!mt_jr_is(d, 0, MT_JR_OBJECT)) return MT_EINVAL;
    const char *ip = mt_jr_gstr(d, 0, "ip");
    mt_addr a;
    if (!ip || mt_addr_parse(ip, &a) != MT_OK) return MT_EINVAL;
    int used = 0;
    int rt = mt_jr_get(d, 0, "rec_type");
    if (rt >= 0) { /* -oD */
        *ndjson = 1;
        uint16_t port;
        if (!port_of(mt_jr_gu64(d, 0, "port"), &port)) return MT_EINVAL;
        const char *proto = mt_jr_gstr(d, 0, "proto");
        if (!proto) return MT_EINVAL;
        if (strcmp(proto, "tcp") != 0) {
            scan_note_unknown(st, proto);
            return MT_OK;
        }
        int data = mt_jr_get(d, 0, "data");
        if (!mt_jr_is(d, data, MT_JR_OBJECT)) return MT_EINVAL;
        if (mt_jr_streq(d, rt, "status")) {
            int stt = mt_jr_get(d, data, "status");
            if (stt < 0) return MT_EINVAL;
            if (!mt_jr_streq(d, stt, "open")) {
                scan_note_unknown(st, "closed");
                return MT_OK;
            }
            scan_add_port(s, scan_host_of(s, &a), port);
        } else if (mt_jr_streq(d, rt, "banner")) {
            const char *name = mt_jr_gstr(d, data, "service_name");
            const char *ban = mt_jr_gstr(d, data, "banner");
            if (!ban) return MT_EINVAL;
            scan_host *h = scan_host_of(s, &a);
            scan_add_port(s, h, port);
            scan_add_banner(s, h, port, name ? name : "", ban, strlen(ban));
        } else {
            char nm[40];
            mt_jr_copy(d, rt, nm, sizeof nm);
            scan_note_unknown(st, nm);
            return MT_OK;
        }
        st->used++;
        return MT_OK;
    }
    int ports = mt_jr_get(d, 0, "ports");
    if (!mt_jr_is(d, ports, MT_JR_ARRAY)) return MT_EINVAL;
    int tcp = 0;
    for (int po = mt_jr_first(d, ports); po >= 0; po = mt_jr_next(d, ports, po)) {
        if (!mt_jr_is(d, po, MT_JR_OBJECT)) return MT_EINVAL;
        uint16_t port;
        if (!port_of(mt_jr_gu64(d, po, "port"), &port)) return MT_EINVAL;
        const char *proto = mt_jr_gstr(d, po, "proto");
        if (!proto) return MT_EINVAL;
        if (strcmp(proto, "tcp") != 0) {
            scan_note_unknown(st, proto);
            continue;
        }
        tcp = 1;
        int rc = json_port(s, d, &a, po, port, st, &used);
        if (rc < 0) return rc;
    }
    if (used) st->used++;
    else if (tcp) scan_note_unknown(st, "closed");
    return MT_OK;
}

/* Trim the array punctuation -oJ puts around and between its objects. */
static void trim_json(const char **p, size_t *n)
{
    const char *s = *p;
    size_t l = *n;
    while (l && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '[' || *s == ',')) { s++; l--; }
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r' || s[l - 1] == ']' ||
                 s[l - 1] == ','))
        l--;
    *p = s;
    *n = l;
}

int scan_read_masscan(mt_scanres *s, const char *path, int fmt, mt_ingest_stats *st)
{
    mt_linereader *lr = mt_lr_open(path, MAX_LINE);
    if (!lr) return mt_error_context(MT_EIO, path);
    mt_jr_tok *tok = NULL;
    char *scratch = NULL;
    mt_jr_doc d;
    if (fmt == SCAN_FMT_JSON) {
        tok = mt_xmalloc(MAX_TOKENS * sizeof *tok);
        scratch = mt_xmalloc(MAX_LINE + 1);
    }
    int ndjson = 0, rc;
    char *line;
    size_t len;
    int too_long;
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        uint64_t no = mt_lr_lineno(lr);
        if (too_long) {
            st->records++;
            st->too_long++;
            scan_note_malformed(st, no);
            continue;
        }
        int r;
        if (fmt == SCAN_FMT_JSON) {
            const char *p = line;
            size_t n = len;
            trim_json(&p, &n);
            if (n == 0) continue;
            st->records++;
            mt_jr_init(&d, tok, MAX_TOKENS, scratch, MAX_LINE + 1);
            r = json_line(s, &d, p, n, st, &ndjson);
        } else {
            while (len && line[len - 1] == '\r') line[--len] = '\0';
            if (len == 0 || line[0] == '#') continue;
            st->records++;
            r = list_line(s, line, len, st);
        }
        if (r < 0) scan_note_malformed(st, no);
    }
    st->bytes += mt_lr_bytes(lr);
    mt_lr_close(lr);
    free(tok);
    free(scratch);
    mt_strlcpy(st->format, fmt == SCAN_FMT_LIST ? "masscan-list" : ndjson ? "masscan-ndjson" : "masscan-json",
               sizeof st->format);
    return rc < 0 ? rc : MT_OK;
}
