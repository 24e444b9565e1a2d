/* Rapid7 Recog fingerprints (see recog.h).
 *
 * XML: libxml2's tree reader (files are a few hundred KB), with XML_PARSE_NONET
 * and without XML_PARSE_NOENT/XML_PARSE_DTDLOAD, so a hostile file neither
 * fetches anything nor expands entities; XML_PARSE_HUGE is not set, so
 * libxml2's own depth and size limits hold.
 *
 * Regex semantics follow Recog's reference implementation, which is Ruby:
 *   - in Ruby `^` and `$` always match at line boundaries (there is no
 *     single-line mode for them; Recog's telnet patterns use \A for that
 *     reason), so every pattern is compiled with PCRE2_MULTILINE;
 *   - Recog's flags map as Ruby's regexp factory does: REG_ICASE ->
 *     caseless, REG_DOT_NEWLINE and REG_MULTILINE -> Ruby's /m, which is
 *     "dot matches newline" (PCRE2_DOTALL); REG_LINE_ANY_CRLF, REG_EXTENDED
 *     and REG_NOSUB change nothing there and here;
 *   - Ruby matches UTF-8 strings by character (html_title.xml's GitLab
 *     pattern has "Sign in . GitLab" for a middle dot), so patterns are
 *     compiled in UTF mode with PCRE2_MATCH_INVALID_UTF: banners are
 *     attacker-controlled and need not be valid UTF-8, and invalid
 *     sequences then simply match nothing instead of failing the match.
 *     A pattern that is not valid UTF-8 itself is compiled bytewise.
 * Every match runs under a match and depth limit (as intel_abp.c), so a
 * pathological pattern or banner costs bounded time; a limit hit is "no
 * match".
 *
 * Kinds: a file's `matches` attribute; telnet_banners.xml has none, only
 * protocol="telnet", so a file without `matches` takes "<protocol>.banner".
 *
 * Banners are normalised per kind the way Recog's databases expect them:
 * "ssh.banner" is the text after "SSH-<version>-" without the line end;
 * "telnet.banner" has CR/LF/whitespace trimmed from both ends (the file's
 * own header says so); other kinds have surrounding CR/LF removed. */
#include "intel/recog.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pcre2.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "minetrace/common.h"

#define MATCH_LIMIT 100000
#define DEPTH_LIMIT 1000
#define MAX_BANNER 8192 /* longer banners are matched on their first bytes */
#define MAX_PAT 8192    /* longer patterns are refused (real ones are < 1 KB) */

typedef struct cparam { /* a parameter filled from a capture group (pos > 0) */
    char *name;
    unsigned pos;
} cparam;

typedef struct fparam { /* a fixed parameter (pos = 0) */
    char *name, *value;
} fparam;

typedef struct example {
    char *text;
    size_t len;
    long line;
    char **attr; /* name, value, name, value, ... (without _encoding) */
    size_t nattr;
} example;

typedef struct fingerprint {
    pcre2_code *re;
    unsigned kind;      /* index into r->kinds */
    unsigned file;      /* index into r->files */
    long line;
    mt_recog_hit m;   /* description, vendor, product, device, iot */
    cparam *cp;
    size_t ncp;
    fparam *fp;
    size_t nfp;
    example *ex;
    size_t nex;
} fingerprint;

struct mt_recog {
    fingerprint *f;
    size_t n, cap;
    size_t rejected;
    char **kinds;
    size_t nkinds;
    char **files;
    size_t nfiles;
};

static const char EMPTY[] = "";

mt_recog *mt_recog_new(void) { return mt_xcalloc(1, sizeof(mt_recog)); }

static void fp_free(fingerprint *f)
{
    if (f->re) pcre2_code_free(f->re);
    if (f->m.description != EMPTY) free((char *)f->m.description);
    for (size_t i = 0; i < f->ncp; i++) free(f->cp[i].name);
    free(f->cp);
    for (size_t i = 0; i < f->nfp; i++) {
        free(f->fp[i].name);
        free(f->fp[i].value);
    }
    free(f->fp);
    for (size_t i = 0; i < f->nex; i++) {
        free(f->ex[i].text);
        for (size_t k = 0; k < f->ex[i].nattr; k++) free(f->ex[i].attr[k]);
        free(f->ex[i].attr);
    }
    free(f->ex);
}

void mt_recog_free(mt_recog *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) fp_free(&r->f[i]);
    free(r->f);
    for (size_t i = 0; i < r->nkinds; i++) free(r->kinds[i]);
    free(r->kinds);
    for (size_t i = 0; i < r->nfiles; i++) free(r->files[i]);
    free(r->files);
    free(r);
}

size_t mt_recog_count(const mt_recog *r) { return r ? r->n : 0; }
size_t mt_recog_rejected(const mt_recog *r) { return r ? r->rejected : 0; }

static unsigned intern(char ***arr, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], s) == 0) return (unsigned)i;
    *arr = mt_xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[*n] = mt_xstrdup(s);
    return (unsigned)(*n)++;
}

/* ---- IoT vocabulary ------------------------------------------------------ */

/* Device classes (Recog's hw.device / os.device values) counted as IoT:
 * embedded devices with vendor firmware that sit on consumer, SOHO or
 * building networks and that IoT botnets (Mirai and kin) recruit: routers
 * and other CPE, cameras and recorders, media and home devices, printers
 * and NAS boxes, VoIP phones and gateways, and building/OT controllers.
 * Not counted: enterprise network and server infrastructure (Switch,
 * Firewall, VPN, Security Appliance, Lights Out Management, Hypervisor,
 * Wireless Controller, SD-WAN and other appliances), general-purpose
 * computers and instruments. */
static const char *const IOT[] = {
    "Router", "Broadband Router", "WAP", "WLAN Repeater", "Cable Modem", "DOCSIS Cable Modem",
    "DSL Modem", "Modem", "Powerline", "IP Camera", "Camera", "Web Cam", "DVR", "NVR",
    "Video Encoder", "Video Decoder", "Audio Encoder", "IPTV", "Media Receiver", "Media Server",
    "Network Audio", "AV Receiver", "Light Bulb", "Printer", "Print Server",
    "Multifunction Device", "NAS", "VoIP", "VoIP Gateway", "SIP Gateway", "Sensor",
    "Environment Control", "Building Automation", "Alarm Panel", "Access Control",
    "Power Device", "UPS", "Power Relay", "Relay Controller", "PLC", "HMI Controller",
    "Industrial Control", "Device Server", "Ethernet Adapter", "Embedded",
};

int mt_recog_device_is_iot(const char *device)
{
    if (!device || !*device) return 0;
    for (size_t i = 0; i < sizeof IOT / sizeof IOT[0]; i++)
        if (strcasecmp(device, IOT[i]) == 0) return 1;
    return 0;
}

/* ---- loading ------------------------------------------------------------- */

static char *xml_attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = mt_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *xml_text(xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = mt_xstrdup(v ? (const char *)v : "");
    if (v) xmlFree(v);
    return s;
}

/* Base64 (RFC 4648, whitespace skipped), decoded in place. -1 when malformed. */
static long b64_decode(char *s)
{
    static signed char map[256];
    static int init;
    if (!init) {
        memset(map, -1, sizeof map);
        const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; a[i]; i++) map[(unsigned char)a[i]] = (signed char)i;
        init = 1; /* the table is idempotent: a race writes the same bytes */
    }
    unsigned long acc = 0;
    int bits = 0;
    size_t o = 0, pad = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') continue;
        if (*p == '=') { pad++; continue; }
        if (pad || map[*p] < 0) return -1;
        acc = (acc << 6) | (unsigned long)map[*p];
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            s[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    s[o] = '\0';
    return (long)o;
}

static uint32_t parse_flags(const char *f)
{
    uint32_t opt = PCRE2_MULTILINE;
    if (!f) return opt;
    if (strstr(f, "REG_ICASE") || strstr(f, "IGNORECASE")) opt |= PCRE2_CASELESS;
    if (strstr(f, "REG_DOT_NEWLINE") || strstr(f, "REG_MULTILINE")) opt |= PCRE2_DOTALL;
    return opt;
}

static const char *first_fixed(const fingerprint *f, const char *const *names)
{
    for (; *names; names++)
        for (size_t i = 0; i < f->nfp; i++)
            if (strcmp(f->fp[i].name, *names) == 0 && f->fp[i].value[0]) return f->fp[i].value;
    return EMPTY;
}

static void add_fingerprint(mt_recog *r, xmlNode *n, unsigned kind, unsigned file)
{
    char *pat = xml_attr(n, "pattern");
    if (!pat) { r->rejected++; return; }
    fingerprint f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    f.file = file;
    f.line = (long)xmlGetLineNo(n);
    char *flags = xml_attr(n, "flags");
    size_t plen = strlen(pat);
    if (plen <= MAX_PAT) {
        int err;
        PCRE2_SIZE at;
        uint32_t opt = parse_flags(flags);
        f.re = pcre2_compile((PCRE2_SPTR)pat, plen, opt | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err,
                             &at, NULL);
        if (!f.re) f.re = pcre2_compile((PCRE2_SPTR)pat, plen, opt, &err, &at, NULL);
    }
    free(flags);
    free(pat);
    if (!f.re) { r->rejected++; return; }
    f.m.description = EMPTY;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *nm = (const char *)c->name;
        if (strcmp(nm, "description") == 0) {
            if (f.m.description == EMPTY) {
                char *d = xml_text(c);
                /* descriptions are wrapped over lines: one line of words */
                char *w = d;
                int sp = 1;
                for (char *p = d; *p; p++) {
                    int ws = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
                    if (ws) { if (!sp) *w++ = ' '; sp = 1; }
                    else { *w++ = *p; sp = 0; }
                }
                if (w > d && w[-1] == ' ') w--;
                *w = '\0';
                f.m.description = d;
            }
        } else if (strcmp(nm, "param") == 0) {
            char *pos = xml_attr(c, "pos"), *name = xml_attr(c, "name");
            char *value = xml_attr(c, "value");
            char *end = NULL;
            unsigned long p = pos ? strtoul(pos, &end, 10) : 0;
            if (name && pos && end && *end == '\0' && p == 0 && value) {
                f.fp = mt_xrealloc(f.fp, (f.nfp + 1) * sizeof *f.fp);
                f.fp[f.nfp].name = name;
                f.fp[f.nfp++].value = value;
                name = value = NULL;
            } else if (name && pos && end && *end == '\0' && p > 0 && p < 1000) {
                f.cp = mt_xrealloc(f.cp, (f.ncp + 1) * sizeof *f.cp);
                f.cp[f.ncp].name = name;
                f.cp[f.ncp++].pos = (unsigned)p;
                name = NULL;
            }
            free(pos);
            free(name);
            free(value);
        } else if (strcmp(nm, "example") == 0) {
            example e;
            memset(&e, 0, sizeof e);
            e.line = (long)xmlGetLineNo(c);
            e.text = xml_text(c);
            e.len = strlen(e.text);
            int b64 = 0;
            for (xmlAttr *a = c->properties; a; a = a->next) {
                char *v = xml_attr(c, (const char *)a->name);
                if (!v) continue;
                if (strcmp((const char *)a->name, "_encoding") == 0) {
                    b64 = strcmp(v, "base64") == 0;
                    free(v);
                    continue;
                }
                e.attr = mt_xrealloc(e.attr, (e.nattr + 2) * sizeof *e.attr);
                e.attr[e.nattr++] = mt_xstrdup((const char *)a->name);
                e.attr[e.nattr++] = v;
            }
            if (b64) {
                long k = b64_decode(e.text);
                if (k < 0) { /* kept, so the check reports it */
                    e.line = -e.line;
                    k = 0;
                }
                e.len = (size_t)k;
            }
            f.ex = mt_xrealloc(f.ex, (f.nex + 1) * sizeof *f.ex);
            f.ex[f.nex++] = e;
        }
    }
    static const char *const vend[] = {"hw.vendor", "os.vendor", "service.vendor", NULL};
    static const char *const prod[] = {"hw.product", "os.product", "service.product", NULL};
    static const char *const dev[] = {"hw.device", "os.device", NULL};
    f.m.vendor = first_fixed(&f, vend);
    f.m.product = first_fixed(&f, prod);
    f.m.device = first_fixed(&f, dev);
    f.m.iot = mt_recog_device_is_iot(f.m.device);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->f = mt_xrealloc(r->f, r->cap * sizeof *r->f);
    }
    r->f[r->n++] = f;
}

#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static int load_doc(mt_recog *r, xmlDoc *doc, const char *path)
{
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        if (e && e->line > 0)
            return mt_error_set(MT_EINVAL, "%s:%d: not a Recog XML file: %.120s", path, e->line,
                                e->message ? e->message : "parse error");
        return mt_error_set(MT_EINVAL, "%s: not a readable Recog XML file", path);
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "fingerprints") != 0) {
        long line = root ? (long)xmlGetLineNo(root) : 0;
        xmlFreeDoc(doc);
        return mt_error_set(MT_EINVAL, "%s:%ld: root element is not <fingerprints>", path, line);
    }
    char *matches = xml_attr(root, "matches");
    if (!matches || !*matches) {
        free(matches);
        char *proto = xml_attr(root, "protocol");
        if (!proto || !*proto) {
            free(proto);
            xmlFreeDoc(doc);
            return mt_error_set(MT_EINVAL, "%s: <fingerprints> has neither matches= nor protocol=",
                                path);
        }
        size_t n = strlen(proto) + sizeof ".banner";
        matches = mt_xmalloc(n);
        snprintf(matches, n, "%s.banner", proto);
        free(proto);
    }
    unsigned kind = intern(&r->kinds, &r->nkinds, matches);
    free(matches);
    unsigned file = intern(&r->files, &r->nfiles, path);
    for (xmlNode *c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "fingerprint") == 0)
            add_fingerprint(r, c, kind, file);
    xmlFreeDoc(doc);
    return MT_OK;
}

static int load_file(mt_recog *r, const char *path)
{
    xmlResetLastError(); /* so an old error's line is not reported for this file */
    return load_doc(r, xmlReadFile(path, NULL, XML_OPTS), path);
}

int mt_recog_load_mem(mt_recog *r, const char *xml, size_t n, const char *name)
{
    if (n > (size_t)INT32_MAX) return mt_error_set(MT_EINVAL, "%s: too large", name);
    xmlResetLastError();
    return load_doc(r, xmlReadMemory(xml, (int)n, name, NULL, XML_OPTS), name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mt_recog_load(mt_recog *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return mt_error_set(MT_EIO, "%s: cannot open Recog fingerprints", path);
    if (!S_ISDIR(st.st_mode)) return load_file(r, path);
    DIR *d = opendir(path);
    if (!d) return mt_error_set(MT_EIO, "%s: cannot read directory", path);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || e->d_name[0] == '.' || strcmp(e->d_name + l - 4, ".xml") != 0) continue;
        names = mt_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = mt_xstrdup(e->d_name);
    }
    closedir(d);
    /* A fixed order, so "first match wins" does not depend on readdir. */
    qsort(names, n, sizeof *names, cmp_str);
    int rc = MT_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == MT_OK) {
            size_t l = strlen(path) + strlen(names[i]) + 2;
            char *p = mt_xmalloc(l);
            snprintf(p, l, "%s/%s", path, names[i]);
            rc = load_file(r, p);
            free(p);
        }
        free(names[i]);
    }
    free(names);
    if (rc == MT_OK && n == 0) return mt_error_set(MT_ENOTFOUND, "%s: no *.xml fingerprint files", path);
    return rc;
}

/* ---- matching ------------------------------------------------------------ */

typedef struct mctx {
    pcre2_match_data *md;
    pcre2_match_context *mc;
} mctx;

static mctx *match_ctx(void)
{
    static _Thread_local mctx m;
    if (!m.md) {
        m.md = pcre2_match_data_create(32, NULL);
        m.mc = pcre2_match_context_create(NULL);
        if (!m.md || !m.mc) {
            if (m.md) pcre2_match_data_free(m.md);
            if (m.mc) pcre2_match_context_free(m.mc);
            m.md = NULL;
            m.mc = NULL;
            return NULL;
        }
        pcre2_set_match_limit(m.mc, MATCH_LIMIT);
        pcre2_set_depth_limit(m.mc, DEPTH_LIMIT);
    }
    return &m;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; }

/* The part of a banner a kind's fingerprints are written against. */
static void normalise(const char *kind, const char **b, size_t *n)
{
    const char *s = *b;
    size_t l = *n;
    if (kind && strcmp(kind, "ssh.banner") == 0) {
        if (l >= 4 && memcmp(s, "SSH-", 4) == 0) {
            const char *dash = memchr(s + 4, '-', l - 4);
            if (dash) {
                l -= (size_t)(dash + 1 - s);
                s = dash + 1;
            }
        }
        while (l && (s[l - 1] == '\r' || s[l - 1] == '\n')) l--;
    } else if (kind && strcmp(kind, "telnet.banner") == 0) {
        while (l && is_space(*s)) { s++; l--; }
        while (l && is_space(s[l - 1])) l--;
    } else {
        while (l && (*s == '\r' || *s == '\n')) { s++; l--; }
        while (l && (s[l - 1] == '\r' || s[l - 1] == '\n')) l--;
    }
    *b = s;
    *n = l;
}

static int kind_index(const mt_recog *r, const char *matches)
{
    for (size_t i = 0; i < r->nkinds; i++)
        if (strcmp(r->kinds[i], matches) == 0) return (int)i;
    return -1;
}

/* pcre2_match's count: > 0 on a match (highest set group + 1), else <= 0.
 * (0 only when the ovector is too small, which 32 pairs are not for a
 * pattern the file's params can name; treated as a match without groups.) */
static int run_rc(const fingerprint *f, mctx *m, const char *b, size_t n)
{
    int rc = pcre2_match(f->re, (PCRE2_SPTR)b, n, 0, 0, m->md, m->mc);
    return rc == 0 ? 1 : rc;
}

static int run(const fingerprint *f, mctx *m, const char *b, size_t n)
{
    return run_rc(f, m, b, n) > 0;
}

int mt_recog_match(const mt_recog *r, const char *matches, const char *banner, size_t n,
                   mt_recog_hit *out)
{
    if (!r || !banner) return 0;
    if (n > MAX_BANNER) n = MAX_BANNER;
    mctx *m = match_ctx();
    if (!m) return 0;
    int k = -1;
    if (matches) {
        k = kind_index(r, matches);
        if (k < 0) return 0;
    }
    const char *b = banner;
    size_t bl = n;
    if (matches) normalise(matches, &b, &bl);
    for (size_t i = 0; i < r->n; i++) {
        const fingerprint *f = &r->f[i];
        if (k >= 0 && f->kind != (unsigned)k) continue;
        const char *fb = b;
        size_t fl = bl;
        if (k < 0) { /* every kind: each normalised its own way */
            fb = banner;
            fl = n;
            normalise(r->kinds[f->kind], &fb, &fl);
        }
        if (run(f, m, fb, fl)) {
            if (out) *out = f->m;
            return 1;
        }
    }
    return 0;
}

/* ---- Recog's own test: every example matches its fingerprint ------------- */

/* The value the fingerprint gives param `name` on the last match, into buf. */
static int param_value(const fingerprint *f, const mctx *m, int rc, const char *subj, size_t n,
                       const char *name, char *buf, size_t cap)
{
    for (size_t i = 0; i < f->ncp; i++) {
        if (strcmp(f->cp[i].name, name) != 0) continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        unsigned p = f->cp[i].pos;
        /* groups past the match's count hold stale offsets; \K can put a
         * group's start after its end */
        if (p >= (unsigned)rc || ov[2 * p] == PCRE2_UNSET || ov[2 * p + 1] < ov[2 * p] ||
            ov[2 * p + 1] > n) {
            buf[0] = '\0';
            return 1;
        }
        mt_memlcpy(buf, cap, subj + ov[2 * p], ov[2 * p + 1] - ov[2 * p]);
        return 1;
    }
    for (size_t i = 0; i < f->nfp; i++) {
        if (strcmp(f->fp[i].name, name) != 0) continue;
        if (strchr(f->fp[i].value, '{')) return 2; /* interpolated: not compared */
        mt_strlcpy(buf, f->fp[i].value, cap);
        return 1;
    }
    return 0;
}

size_t mt_recog_check_examples(const mt_recog *r, mt_recog_check_cb cb, void *ctx,
                               size_t *checked)
{
    size_t bad = 0, n = 0;
    mctx *m = match_ctx();
    if (!r || !m) return 0;
    char why[512], got[256];
    for (size_t i = 0; i < r->n; i++) {
        const fingerprint *f = &r->f[i];
        const char *kind = r->kinds[f->kind];
        for (size_t j = 0; j < f->nex; j++) {
            const example *e = &f->ex[j];
            n++;
            long line = e->line < 0 ? -e->line : e->line;
            if (e->line < 0) {
                bad++;
                if (cb) cb(ctx, r->files[f->file], line, f->m.description, "example is not valid base64");
                continue;
            }
            const char *b = e->text;
            size_t bl = e->len;
            normalise(kind, &b, &bl);
            int mrc = run_rc(f, m, b, bl);
            if (mrc <= 0) {
                bad++;
                if (cb) cb(ctx, r->files[f->file], line, f->m.description, "example does not match its pattern");
                continue;
            }
            for (size_t a = 0; a + 1 < e->nattr; a += 2) {
                int rc = param_value(f, m, mrc, b, bl, e->attr[a], got, sizeof got);
                if (rc == 2) continue;
                if (rc == 0) {
                    snprintf(why, sizeof why, "example names %.64s, which the fingerprint does not set",
                             e->attr[a]);
                } else if (strcmp(got, e->attr[a + 1]) != 0) {
                    snprintf(why, sizeof why, "%.64s is '%.100s', the example expects '%.100s'",
                             e->attr[a], got, e->attr[a + 1]);
                } else {
                    continue;
                }
                bad++;
                if (cb) cb(ctx, r->files[f->file], line, f->m.description, why);
                break;
            }
        }
    }
    if (checked) *checked = n;
    return bad;
}
