/* The list sources of `minetrace intel update`: the sources file, the
 * built-in default list, and reading each kind of list (the list kinds
 * through the per-line loader, Suricata rules through the rule reader
 * below). */
#include "intel/intel_update.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intel/intel_internal.h"

static const char *const kind_names[] = {NULL, "adblock", "hosts", "domains", "ips", "et-rules"};

const char *mt_isrc_kind_str(mt_isrc_kind k)
{
    return k >= MT_ISRC_ADBLOCK && k <= MT_ISRC_ET_RULES ? kind_names[k] : "?";
}

int mt_isrc_kind_parse(const char *s)
{
    for (int k = MT_ISRC_ADBLOCK; k <= MT_ISRC_ET_RULES; k++)
        if (strcmp(s, kind_names[k]) == 0) return k;
    return 0;
}

/* The default categories of the kinds: block lists of browser miners are
 * browser-miner lists; everything else names pools until said otherwise. */
static mt_intel_category kind_category(mt_isrc_kind k)
{
    return k == MT_ISRC_ADBLOCK ? MT_CAT_BROWSER_MINER : MT_CAT_POOL;
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || n > MT_ISRC_NAME_MAX || s[0] == '.' || s[0] == '-') return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int valid_url(const char *s, size_t n)
{
    if (n > MT_ISRC_URL_MAX) return 0;
    size_t skip;
    if (n > 7 && strncasecmp(s, "http://", 7) == 0) skip = 7;
    else if (n > 8 && strncasecmp(s, "https://", 8) == 0) skip = 8;
    else return 0;
    if (skip >= n || s[skip] == '/') return 0; /* no host */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f) return 0;
    return 1;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* 64 hex digits into 32 bytes; 0 on success. */
int mt_isrc_hex32(const char *s, size_t n, uint8_t out[MT_SHA256_LEN]);
int mt_isrc_hex32(const char *s, size_t n, uint8_t out[MT_SHA256_LEN])
{
    if (n != 2 * MT_SHA256_LEN) return -1;
    for (size_t i = 0; i < MT_SHA256_LEN; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* "32M", "512k", "1000": bytes, 1..MT_ISRC_MAX_SIZE_LIMIT; 0 when bad. */
static uint64_t parse_size(const char *s, size_t n)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > MT_ISRC_MAX_SIZE_LIMIT) return 0;
    }
    if (i == 0) return 0;
    if (i + 1 == n && (s[i] == 'k' || s[i] == 'K')) v <<= 10;
    else if (i + 1 == n && s[i] == 'M') v <<= 20;
    else if (i != n) return 0;
    return v >= 1 && v <= MT_ISRC_MAX_SIZE_LIMIT ? v : 0;
}

static mt_isrc *push(mt_isrc_list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = mt_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    mt_isrc *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    return s;
}

const mt_isrc *mt_isrc_find(const mt_isrc_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return &l->v[i];
    return NULL;
}

static int line_error(const char *file, size_t line, const char *what, const char *tok, size_t tn)
{
    if (tn > 80) tn = 80;
    /* The token may be anything: print its printable bytes only. */
    char t[81];
    size_t k = 0;
    for (size_t i = 0; i < tn; i++) t[k++] = (unsigned char)tok[i] > ' ' && (unsigned char)tok[i] < 0x7f ? tok[i] : '?';
    t[k] = '\0';
    return mt_error_set(MT_EINVAL, "%s:%zu: %s%s%s%s", file, line, what, k ? " '" : "", t, k ? "'" : "");
}

/* One line (not NUL-terminated: s[0..n)) of the sources file. */
static int parse_line(mt_isrc_list *l, const char *s, size_t n, const char *file, size_t lineno)
{
    const char *tok[8];
    size_t tl[8], nt = 0, i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
        if (i >= n) break;
        if (nt == 8) return line_error(file, lineno, "too many fields", "", 0);
        tok[nt] = s + i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') i++;
        tl[nt] = (size_t)(s + i - tok[nt]);
        nt++;
    }
    if (nt == 0 || tok[0][0] == '#') return MT_OK;
    if (nt < 3) return line_error(file, lineno, "want NAME KIND URL [key=value...]", "", 0);
    if (!valid_name(tok[0], tl[0]))
        return line_error(file, lineno, "bad source name (letters, digits, . _ -, up to 48)", tok[0], tl[0]);
    char name[MT_ISRC_NAME_MAX + 1], kind[16];
    memcpy(name, tok[0], tl[0]);
    name[tl[0]] = '\0';
    if (mt_isrc_find(l, name)) return line_error(file, lineno, "source named twice:", tok[0], tl[0]);
    int k = 0;
    if (tl[1] < sizeof kind) {
        memcpy(kind, tok[1], tl[1]);
        kind[tl[1]] = '\0';
        k = mt_isrc_kind_parse(kind);
    }
    if (!k) return line_error(file, lineno, "unknown kind (adblock, hosts, domains, ips, et-rules)", tok[1], tl[1]);
    if (!valid_url(tok[2], tl[2])) return line_error(file, lineno, "not an http:// or https:// URL", tok[2], tl[2]);
    mt_isrc src = {0};
    memcpy(src.name, name, tl[0] + 1);
    memcpy(src.url, tok[2], tl[2]);
    src.kind = (mt_isrc_kind)k;
    src.cat = kind_category(src.kind);
    src.weight = 0;
    src.max_size = MT_ISRC_DEFAULT_MAX_SIZE;
    for (size_t t = 3; t < nt; t++) {
        const char *eq = memchr(tok[t], '=', tl[t]);
        if (!eq) return line_error(file, lineno, "want key=value:", tok[t], tl[t]);
        size_t kl = (size_t)(eq - tok[t]), vl = tl[t] - kl - 1;
        const char *v = eq + 1;
        char val[32];
        if (kl == 8 && strncmp(tok[t], "category", 8) == 0) {
            int c = 0;
            if (vl < sizeof val) {
                memcpy(val, v, vl);
                val[vl] = '\0';
                c = mt_intel_category_parse(val);
            }
            if (!c) return line_error(file, lineno, "unknown category:", v, vl);
            src.cat = (mt_intel_category)c;
        } else if (kl == 6 && strncmp(tok[t], "weight", 6) == 0) {
            uint64_t w = 0;
            size_t j = 0;
            for (; j < vl && j < 4 && v[j] >= '0' && v[j] <= '9'; j++) w = w * 10 + (uint64_t)(v[j] - '0');
            if (j == 0 || j != vl || w < 1 || w > 100) return line_error(file, lineno, "weight must be 1..100:", v, vl);
            src.weight = (int)w;
        } else if (kl == 8 && strncmp(tok[t], "max-size", 8) == 0) {
            if (!(src.max_size = parse_size(v, vl)))
                return line_error(file, lineno, "max-size must be 1 byte..1024M (suffix k or M):", v, vl);
        } else if (kl == 6 && strncmp(tok[t], "sha256", 6) == 0) {
            if (mt_isrc_hex32(v, vl, src.sha256)) return line_error(file, lineno, "sha256 must be 64 hex digits:", v, vl);
            src.pinned = 1;
        } else {
            return line_error(file, lineno, "unknown key (category, weight, max-size, sha256):", tok[t], kl);
        }
    }
    if (!src.weight) src.weight = mt_intel_default_weight(src.cat);
    *push(l) = src;
    return MT_OK;
}

int mt_isrc_parse(mt_isrc_list *l, const char *text, size_t len, const char *file)
{
    size_t lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        lineno++;
        if (memchr(text + i, '\0', n)) return line_error(file, lineno, "NUL byte in the line", "", 0);
        int rc = parse_line(l, text + i, n, file, lineno);
        if (rc != MT_OK) return rc;
        i += n + 1;
    }
    return MT_OK;
}

int mt_isrc_load(mt_isrc_list *l, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return mt_error_set(MT_EIO, "cannot read sources file '%s': %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got > (1u << 20)) {
            fclose(f);
            free(text);
            return mt_error_set(MT_EINVAL, "sources file '%s' is over 1 MiB", path);
        }
        if (len + got > cap) {
            cap = (len + got) * 2;
            text = mt_xrealloc(text, cap);
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(text);
        return mt_error_set(MT_EIO, "read error in sources file '%s'", path);
    }
    int rc = mt_isrc_parse(l, text ? text : "", len, path);
    free(text);
    return rc;
}

/* Where each default came from: ../shared/corpus/intel/README.md records
 * the snapshots the tests use. */
static const char default_sources[] =
    "nocoin          adblock  https://raw.githubusercontent.com/hoshsadiq/adblock-nocoin-list/master/nocoin.txt category=browser-miner weight=80\n"
    "nocoin-hosts    hosts    https://raw.githubusercontent.com/hoshsadiq/adblock-nocoin-list/master/hosts.txt category=browser-miner weight=80\n"
    "keraf-nocoin    adblock  https://raw.githubusercontent.com/keraf/NoCoin/master/src/blacklist.txt category=browser-miner weight=80\n"
    "coinblocker     domains  https://zerodot1.gitlab.io/CoinBlockerLists/list.txt category=pool weight=50\n"
    "coinblocker-browser hosts https://zerodot1.gitlab.io/CoinBlockerLists/hosts_browser category=browser-miner weight=70\n"
    "coinblocker-ips ips      https://zerodot1.gitlab.io/CoinBlockerLists/MiningServerIPList.txt category=pool weight=40\n"
    "et-open-coinminer et-rules https://rules.emergingthreats.net/open/suricata-7.0.3/rules/emerging-coinminer.rules category=pool weight=90\n"
    "ut1-cryptojacking domains https://raw.githubusercontent.com/olbat/ut1-blacklists/master/blacklists/cryptojacking/domains category=pool weight=60\n"
    "blp-crypto      domains  https://raw.githubusercontent.com/blocklistproject/Lists/master/alt-version/crypto-nl.txt category=crypto weight=30\n";

void mt_isrc_default(mt_isrc_list *l)
{
    int rc = mt_isrc_parse(l, default_sources, sizeof default_sources - 1, "built-in sources");
    (void)rc; /* the table is checked by test_intel_update */
}

void mt_isrc_write(const mt_isrc_list *l, FILE *out)
{
    fputs("# NAME KIND URL [category=C] [weight=N] [max-size=N[k|M]] [sha256=HEX]\n", out);
    for (size_t i = 0; i < l->n; i++) {
        const mt_isrc *s = &l->v[i];
        fprintf(out, "%s %s %s category=%s weight=%d", s->name, mt_isrc_kind_str(s->kind), s->url,
                mt_intel_category_str(s->cat), s->weight);
        if (s->max_size != MT_ISRC_DEFAULT_MAX_SIZE) fprintf(out, " max-size=%llu", (unsigned long long)s->max_size);
        if (s->pinned) {
            fputs(" sha256=", out);
            for (size_t k = 0; k < MT_SHA256_LEN; k++) fprintf(out, "%02x", s->sha256[k]);
        }
        fputc('\n', out);
    }
}

void mt_isrc_free(mt_isrc_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- Suricata rules ------------------------------------------------------ */

/* The value of `key:` in a rule's options, up to its ';' (quotes kept
 * whole); NULL when absent. */
static const char *opt_value(const char *opts, const char *key, size_t *vn)
{
    size_t kl = strlen(key);
    for (const char *p = opts; (p = strstr(p, key)) != NULL; p += kl) {
        if (p != opts && p[-1] != ' ' && p[-1] != ';' && p[-1] != '(') continue;
        if (p[kl] != ':') continue;
        const char *v = p + kl + 1;
        while (*v == ' ') v++;
        *vn = strcspn(v, ";");
        return v;
    }
    return NULL;
}

/* Sticky buffers whose content is a host name, and the prefix a content
 * has there ("CN=" in a certificate subject). */
static const char *host_buffer(const char *kw, size_t n)
{
    static const char *const bufs[][2] = {
        {"dns.query", ""}, {"dns_query", ""}, {"tls.sni", ""}, {"tls_sni", ""},
        {"tls.cert_subject", "CN="}, {"tls_cert_subject", "CN="}, {"http.host", ""}, {"http_host", ""},
    };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        if (strlen(bufs[i][0]) == n && memcmp(kw, bufs[i][0], n) == 0) return bufs[i][1];
    return NULL;
}

typedef struct et_ctx {
    mt_intel *in;
    int weight;
    mt_intel_category cat;
    const char *source;
    mt_intel_load_stats st;
} et_ctx;

/* One content of a host buffer: a name when it is one (a leading '.' is
 * the suffix form "endswith" rules use). */
static int et_content(et_ctx *c, const char *v, size_t n, const char *prefix)
{
    if (n < 2 || v[0] != '"') return 0;
    v++;
    const char *q = memchr(v, '"', n - 1);
    if (!q) return 0;
    n = (size_t)(q - v);
    size_t pl = strlen(prefix);
    if (pl && n > pl && strncasecmp(v, prefix, pl) == 0) { v += pl; n -= pl; }
    if (n && v[0] == '.') { v++; n--; }
    if (memchr(v, '|', n) || memchr(v, '\\', n) || !memchr(v, '.', n)) return 0; /* hex bytes, escapes, a TLD */
    char norm[MT_INTEL_MAX_NAME + 1];
    if (mt_intel_norm_domain(v, n, norm, sizeof norm) < 0) return 0;
    const char *last = strrchr(norm, '.');
    if (!last || !last[1] || strspn(last + 1, "0123456789") == strlen(last + 1)) return 0;
    return mt_intel_add_domain(c->in, norm, c->weight, c->cat, c->source, NULL) == MT_OK;
}

static void et_rule(et_ctx *c, char *line)
{
    char *open = strchr(line, '(');
    if (!open) { c->st.skipped++; return; } /* no options: not a rule */
    const char *opts = open + 1;
    size_t vn;
    const char *ct = opt_value(opts, "classtype", &vn);
    if (!ct || vn != 11 || strncmp(ct, "coin-mining", 11) != 0) return; /* not ours: not counted */
    /* Walk the options in order: a sticky buffer applies to the contents
     * after it until the next buffer keyword. */
    const char *prefix = NULL;
    int names = 0;
    const char *p = opts;
    while (*p && *p != ')') {
        while (*p == ' ') p++;
        const char *kw = p;
        size_t kl = strcspn(p, ":;");
        if (!p[kl]) break;
        if (p[kl] == ';') {
            const char *hb = host_buffer(kw, kl);
            /* Any other no-argument keyword that names a buffer ends the
             * host one; modifiers (nocase, endswith, fast_pattern) do not. */
            if (hb) prefix = hb;
            else if (memchr(kw, '.', kl) || (kl > 5 && strncmp(kw, "http_", 5) == 0) ||
                     (kl > 4 && strncmp(kw, "tls_", 4) == 0) || (kl > 4 && strncmp(kw, "dns_", 4) == 0))
                prefix = NULL;
            p += kl + 1;
            continue;
        }
        /* key:value; the value may hold quoted ';' */
        const char *v = p + kl + 1;
        while (*v == ' ') v++;
        const char *e = v;
        int inq = 0;
        for (; *e && (inq || *e != ';'); e++) {
            if (*e == '\\' && e[1]) { e++; continue; }
            if (*e == '"') inq = !inq;
        }
        if (prefix && kl == 7 && strncmp(kw, "content", 7) == 0)
            names += et_content(c, v, (size_t)(e - v), prefix);
        p = *e ? e + 1 : e;
    }
    if (names) c->st.domains += (uint64_t)names;
    else c->st.inert++; /* a coin-mining rule on content other than a name */
}

int mt_intel_load_et_rules(mt_intel *in, FILE *f, const char *source, int weight,
                           mt_intel_category cat)
{
    et_ctx c = {in, weight, cat, NULL, {0}};
    c.source = mt_intel_str(in, mt_intel_intern(in, source));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        if (memchr(line, '\0', (size_t)got)) { c.st.skipped++; continue; }
        char *l = line;
        while (*l == ' ' || *l == '\t') l++;
        size_t n = strlen(l);
        while (n && (l[n - 1] == '\n' || l[n - 1] == '\r' || l[n - 1] == ' ')) l[--n] = '\0';
        if (!n) continue;
        if (l[0] == '#') { c.st.comments++; continue; }
        static const char *const actions[] = {"alert ", "drop ", "reject ", "pass ", "rejectsrc ",
                                              "rejectdst ", "rejectboth "};
        int rule = 0;
        for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
            rule |= strncmp(l, actions[i], strlen(actions[i])) == 0;
        if (!rule) { c.st.skipped++; continue; }
        et_rule(&c, l);
    }
    free(line);
    in->last = c.st;
    return ferror(f) ? MT_EIO : MT_OK;
}

int mt_intel_load_kind(mt_intel *in, const char *path, mt_isrc_kind kind, int weight,
                       mt_intel_category cat, const char *source)
{
    memset(&in->last, 0, sizeof in->last);
    FILE *f = fopen(path, "r");
    if (!f) return mt_error_set(MT_EIO, "intel: cannot read list '%s': %s", path, strerror(errno));
    int rc = kind == MT_ISRC_ET_RULES ? mt_intel_load_et_rules(in, f, source, weight, cat)
                                      : mt_intel_load_stream(in, f, source, weight, cat);
    int err = errno;
    fclose(f);
    if (rc != MT_OK) return mt_error_set(MT_EIO, "intel: read error in '%s': %s", path, strerror(err));
    return MT_OK;
}

uint64_t mt_isrc_entries(mt_isrc_kind kind, const mt_intel_load_stats *st)
{
    switch (kind) {
    case MT_ISRC_ADBLOCK:
        /* the network rules; a host rule's name (in domains too) is one of them */
        return st->url_rules + st->exceptions;
    case MT_ISRC_IPS: return st->ips + st->cidrs;
    case MT_ISRC_ET_RULES: return st->domains;
    default: return st->domains + st->ips + st->cidrs;
    }
}
