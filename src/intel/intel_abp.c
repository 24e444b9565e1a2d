/* Block-list network rules (Adblock Plus / uBlock Origin syntax, and
 * Chrome extension match patterns) for mt_intel_match_request.
 *
 * A rule is compiled once into a glob over the lower-cased request URL
 * ('*' any run, '^' one separator or the end, as in Adblock) with an
 * anchor (none, "|" URL start, "||" a host label start, or the path start
 * of a match pattern), an end anchor, and option filters (request types,
 * party, $domain= page domains, schemes). "/.../" rules are JavaScript
 * regexes, compiled by PCRE2, whose syntax covers what lists write (\d \w
 * \b \/, lookarounds, backreferences, lazy quantifiers); every match runs
 * under a match and depth limit, so a hostile regex costs bounded time, and
 * rules with stacked quantifiers or large counted repetitions are inert
 * before they are compiled.
 *
 * Speed: rules are found through two indexes, so a URL costs a few hash
 * probes and a pass over its bytes whatever the number of rules:
 *   - rules anchored at a literal host ("||coinhive.com^", a match pattern's host)
 *     are filed under the host: each label suffix of the URL's host is one
 *     probe;
 *   - the others under one trigram of their literal runs (the least used
 *     one when added, shunning trigrams every URL has), as the path rules
 *     of intel_url.c are; one pass over the URL visits the rule list of
 *     each trigram slot it contains (each slot once). Regexes are filed
 *     under a trigram of a literal every match must contain, when they
 *     have one.
 * Only the few rules found are checked, cheap filters (type, scheme) first,
 * then party and page domain, then the pattern. */
#include "intel/intel_internal.h"

#include <libpsl.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hash.h"

#define MAX_URL 4096
/* Longest glob pattern taken: matching is O(URL * pattern) at worst, so a
 * bound keeps a hostile list from making each URL slow (real rules are
 * under 200 bytes). Longer rules are inert. */
#define MAX_PAT 1024
#define TEXT_SEED 0x6d746162707431ULL /* "mtabpt1" */
#define HOST_SEED 0x6d746162706831ULL /* "mtabph1" */

enum { A_NONE, A_START, A_HOST, A_PATH };
enum {
    F_END = 1u << 0,       /* pattern ends with '|' (or is a match pattern) */
    F_EXCEPT = 1u << 1,    /* "@@" */
    F_CASE = 1u << 2,      /* $match-case */
    F_IMPORTANT = 1u << 3, /* $important: exceptions do not lift it */
    F_3P = 1u << 4,        /* $third-party */
    F_1P = 1u << 5,        /* $~third-party */
    F_HOST_EXACT = 1u << 6, /* match pattern host "h" (not "*.h") */
};
enum { S_HTTP = 1, S_HTTPS = 2, S_WS = 4, S_WSS = 8, S_OTHER = 16 };
#define ALL_TYPES 0xfeu /* bits 1..7: MT_REQ_SCRIPT..MT_REQ_DOCUMENT */

typedef struct arule {
    char *text;       /* as listed: hit->matched */
    char *pat;        /* the glob; lower-case unless F_CASE */
    char *host;       /* match pattern host; NULL: any */
    char *doms;       /* $domain= entries, NUL-separated, '~' kept */
    pcre2_code *re;
    uint16_t n_doms;
    uint16_t source;  /* interned */
    uint8_t types, anchor, flags, schemes, weight, cat;
} arule;

typedef struct idlist {
    uint32_t *id;
    uint32_t n, cap;
} idlist;

typedef struct mt_intel_abp {
    arule *r;
    size_t n, cap, n_except;
    uint16_t tri_slot[4096]; /* trigram -> index + 1 into lists */
    idlist *lists;
    size_t n_lists;
    idlist always;           /* rules with no literal to file them under */
    mt_hmap hosts;           /* mt_intel_dslot {hash(host), rule + 1} */
    mt_hmap texts;           /* mt_intel_dslot {hash(text), rule + 1}: one rule per text */
} mt_intel_abp;

static inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

static int is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* Adblock's separator: anything but a letter, digit, '_', '-', '.', '%'. */
static inline int is_sep(unsigned char c)
{
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-' || c == '.' || c == '%');
}

static uint64_t dslot_hash(const void *key)
{
    mt_intel_dslot d;
    memcpy(&d, key, sizeof d);
    return d.tag;
}

static uint64_t shash(const char *p, size_t n, uint64_t seed)
{
    uint64_t h = mt_hash_bytes_inl(p, n, seed);
    return h ? h : 1;
}

void mt_intel_abp_free(mt_intel *in)
{
    mt_intel_abp *a = in->abp;
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->r[i].text);
        free(a->r[i].pat);
        free(a->r[i].host);
        free(a->r[i].doms);
        if (a->r[i].re) pcre2_code_free(a->r[i].re);
    }
    free(a->r);
    for (size_t i = 0; i < a->n_lists; i++) free(a->lists[i].id);
    free(a->lists);
    free(a->always.id);
    mt_hmap_free(&a->hosts);
    mt_hmap_free(&a->texts);
    free(a);
    in->abp = NULL;
}

size_t mt_intel_request_rule_count(const mt_intel *in)
{
    return in && in->abp ? in->abp->n : 0;
}

static void list_push(idlist *l, uint32_t id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->id = mt_xrealloc(l->id, l->cap * sizeof *l->id);
    }
    l->id[l->n++] = id;
}

/* ---- the glob ------------------------------------------------------------ */

/* Does pat match s from its first byte? '*' any run, '^' one separator or
 * the end of s; without end the pattern may stop before s does. The one
 * remembered star is enough (every other token takes one byte), so this is
 * O(|s| * |pat|) at worst, without recursion. */
static int glob_at(const char *s, const char *pat, int end)
{
    const char *sp = NULL, *ss = NULL;
    const char *p = pat;
    for (;;) {
        if (*p == '*') {
            while (*p == '*') p++;
            if (!*p) return 1;
            sp = p;
            /* a literal after the star: jump to where it next occurs */
            if (*p != '^' && !(s = strchr(s, *p))) return 0;
            ss = s;
            continue;
        }
        if (!*p) {
            if (!end || !*s) return 1;
        } else if (*s && (*p == '^' ? is_sep((unsigned char)*s) : *p == *s)) {
            p++;
            s++;
            continue;
        } else if (!*s && *p == '^') {
            p++; /* the end of the URL is a separator */
            continue;
        }
        if (!sp || !*ss) return 0;
        p = sp;
        s = ++ss;
        if (*p != '^') {
            if (!(s = strchr(s, *p))) return 0;
            ss = s;
        }
    }
}

/* ---- regexes ----------------------------------------------------------- */

/* Is the JavaScript regex body [s, s+n) within the bounds a block list's
 * regex needs? Stacked quantifiers ("a+++"), more than 64 quantifiers,
 * counts over 64 or nested counts whose product passes 4096 are what a
 * hostile list would use to make compiling or matching expensive. */
static int regex_bounded(const char *s, size_t n)
{
    int braces = 1, quants = 0, after = 0; /* after: 1 a quantifier, 2 a lazy one */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\') { /* an escaped character is a literal */
            i++;
            after = 0;
            continue;
        }
        if (c == '(' && i + 1 < n && s[i + 1] == '?') { /* (?: (?= (?! (?<=: not a quantifier */
            i++;
            after = 0;
            continue;
        }
        if (c == '?' && after == 1) { /* lazy: the same yes/no answer */
            after = 2;
            continue;
        }
        if (c != '*' && c != '+' && c != '?' && c != '{') {
            after = 0;
            continue;
        }
        if (after || ++quants > 64) return 0;
        after = 1;
        if (c == '{') {
            char *e;
            unsigned long lo = strtoul(s + i + 1, &e, 10), hi = lo;
            if (*e == ',') hi = e[1] == '}' ? lo : strtoul(e + 1, &e, 10);
            if (hi < lo) hi = lo;
            braces *= hi ? (int)hi : 1; /* the product bounds any nesting */
            if (lo > 64 || hi > 64 || braces > 4096) return 0;
            while (i < n && s[i] != '}') i++;
        }
    }
    return 1;
}

/* One regex match under PCRE2's match and depth limits (a rule that hits
 * them does not match). The match data is made once per thread. */
static int regex_match(const pcre2_code *re, const char *u)
{
    static _Thread_local pcre2_match_data *md;
    static _Thread_local pcre2_match_context *mc;
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        mc = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(mc, 100000);
        pcre2_set_depth_limit(mc, 1000);
    }
    return pcre2_match(re, (PCRE2_SPTR)u, PCRE2_ZERO_TERMINATED, 0, 0, md, mc) >= 0;
}

/* A literal run every match of the regex contains, for the trigram index:
 * the longest run of plain or escaped characters outside groups and
 * classes, when the regex has no top-level alternation. Written lower-case
 * into out; returns its length (0: none). */
static size_t regex_literal(const char *s, size_t n, char *out, size_t cap)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') { i++; continue; }
        if (s[i] == '[') { while (i < n && s[i] != ']') i += s[i] == '\\' ? 2 : 1; continue; }
        if (s[i] == '(') depth++;
        else if (s[i] == ')') depth--;
        else if (s[i] == '|' && depth == 0) return 0;
    }
    size_t best = 0, run = 0;
    char cur[256];
    depth = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : '\0';
        int lit = 0;
        char v = 0;
        size_t w = 1;
        if (i < n && depth == 0) {
            if (c == '\\' && i + 1 < n && strchr("/.-=:&%,_?+*()[]{}|^$#!~@", s[i + 1])) {
                lit = 1;
                v = s[i + 1];
                w = 2;
            } else if (!strchr("\\.^$|?*+()[]{}", c)) {
                lit = 1;
                v = c;
            }
            /* a quantifier after it makes the byte optional or repeated */
            char q = i + w < n ? s[i + w] : '\0';
            if (lit && (q == '?' || q == '*' || q == '{' || q == '+')) lit = 0;
        }
        if (lit && run + 1 < sizeof cur) {
            cur[run++] = lower(v);
            i += w - 1;
            continue;
        }
        if (run > best && run < cap) {
            memcpy(out, cur, run);
            best = run;
        }
        run = 0;
        if (i >= n) break;
        if (c == '\\') { i++; continue; }
        if (c == '[') { while (i < n && s[i] != ']') i += s[i] == '\\' ? 2 : 1; continue; }
        if (c == '{') { while (i < n && s[i] != '}') i++; continue; } /* a count, not text */
        if (c == '(') depth++;
        else if (c == ')') depth--;
    }
    return best;
}

/* ---- adding rules ---------------------------------------------------- */

static mt_intel_abp *abp_get(mt_intel *in)
{
    if (!in->abp) {
        in->abp = mt_xcalloc(1, sizeof *in->abp);
        mt_hmap_init(&in->abp->hosts, &(mt_hmap_cfg){.key_size = sizeof(mt_intel_dslot),
                                                    .capacity = 256, .hash = dslot_hash});
        mt_hmap_init(&in->abp->texts, &(mt_hmap_cfg){.key_size = sizeof(mt_intel_dslot),
                                                    .capacity = 256, .hash = dslot_hash});
    }
    return in->abp;
}

/* Trigrams every URL has: a rule filed under one would be tried always. */
static int common_trigram(const char *t)
{
    static const char *const common[] = {"htt", "ttp", "tps", "ps:", "p:/", "s:/", "://", "www",
                                         "ww.", ".co", "com", "om/", "/wp", ".js", "js?", "net",
                                         ".ne", "org", ".or", "/js"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (memcmp(common[i], t, 3) == 0) return 1;
    return 0;
}

/* File rule id under the least used trigram of the literal runs of pat
 * (runs are split at '*' and '^'); the always list when it has none. */
static void file_by_trigram(mt_intel_abp *a, const char *pat, uint32_t id)
{
    int best = -1;
    long best_cost = 0;
    size_t run = 0;
    for (size_t i = 0; pat[i]; i++) {
        if (pat[i] == '*' || pat[i] == '^') { run = 0; continue; }
        if (++run < 3) continue;
        char t[3] = {lower(pat[i - 2]), lower(pat[i - 1]), lower(pat[i])};
        unsigned slot = mt_intel_trigram((unsigned char)t[0], (unsigned char)t[1], (unsigned char)t[2]);
        long cost = a->tri_slot[slot] ? (long)a->lists[a->tri_slot[slot] - 1].n : 0;
        if (common_trigram(t)) cost += 100000;
        if (best < 0 || cost < best_cost) { best = (int)slot; best_cost = cost; }
    }
    if (best < 0) { list_push(&a->always, id); return; }
    if (!a->tri_slot[best]) {
        a->lists = mt_xrealloc(a->lists, (a->n_lists + 1) * sizeof *a->lists);
        memset(&a->lists[a->n_lists], 0, sizeof *a->lists);
        a->tri_slot[best] = (uint16_t)++a->n_lists;
    }
    list_push(&a->lists[a->tri_slot[best] - 1], id);
}

/* Parse "$opts" into r. 0, or -1 when an option is unknown (the rule is
 * inert: its meaning would be lost). */
static int parse_options(arule *r, const char *o)
{
    uint8_t pos = 0, neg = 0;
    char tok[64];
    while (*o) {
        size_t n = strcspn(o, ",");
        const char *opt = o;
        o += n;
        if (*o == ',') o++;
        if (n == 0) continue;
        if (n >= 7 && (strncasecmp(opt, "domain=", 7) == 0 || strncasecmp(opt, "from=", 5) == 0)) {
            const char *v = opt + (lower(opt[0]) == 'd' ? 7 : 5);
            size_t vl = (size_t)(opt + n - v);
            free(r->doms);
            r->doms = mt_xcalloc(1, vl + 2);
            r->n_doms = 0;
            /* an entry that is no host name ("example.*", "a\\.b") is
             * dropped; the rule goes inert only when none is left */
            size_t k = 0, start = 0;
            int bad = 0;
            for (size_t i = 0; i <= vl; i++) {
                if (i == vl || v[i] == '|') {
                    if (bad || k == start || (k == start + 1 && r->doms[start] == '~')) k = start;
                    else { r->doms[k++] = '\0'; r->n_doms++; }
                    start = k;
                    bad = 0;
                    continue;
                }
                char c = lower(v[i]);
                if (!(is_host_char(c) || (c == '~' && k == start))) bad = 1;
                else r->doms[k++] = c;
            }
            if (r->n_doms == 0) return -1;
            continue;
        }
        if (n >= sizeof tok) return -1;
        int not = opt[0] == '~';
        memcpy(tok, opt + not, n - (size_t)not);
        tok[n - (size_t)not] = '\0';
        int type = 0;
        if (!strcasecmp(tok, "script")) type = MT_REQ_SCRIPT;
        else if (!strcasecmp(tok, "websocket")) type = MT_REQ_WEBSOCKET;
        else if (!strcasecmp(tok, "xmlhttprequest") || !strcasecmp(tok, "xhr")) type = MT_REQ_XHR;
        else if (!strcasecmp(tok, "subdocument") || !strcasecmp(tok, "frame")) type = MT_REQ_SUBDOCUMENT;
        else if (!strcasecmp(tok, "image")) type = MT_REQ_IMAGE;
        else if (!strcasecmp(tok, "document") || !strcasecmp(tok, "doc")) type = MT_REQ_DOCUMENT;
        /* types the scanner does not tell apart are all "other" */
        else if (!strcasecmp(tok, "other") || !strcasecmp(tok, "object") ||
                 !strcasecmp(tok, "media") || !strcasecmp(tok, "font") ||
                 !strcasecmp(tok, "stylesheet") || !strcasecmp(tok, "css") ||
                 !strcasecmp(tok, "ping"))
            type = MT_REQ_OTHER;
        if (type) {
            if (not) neg |= (uint8_t)(1u << type);
            else pos |= (uint8_t)(1u << type);
        } else if (!strcasecmp(tok, "third-party") || !strcasecmp(tok, "3p")) {
            r->flags |= not ? F_1P : F_3P;
        } else if (!strcasecmp(tok, "first-party") || !strcasecmp(tok, "1p")) {
            r->flags |= not ? F_3P : F_1P;
        } else if (!not && !strcasecmp(tok, "match-case")) {
            r->flags |= F_CASE;
        } else if (!not && !strcasecmp(tok, "important")) {
            r->flags |= F_IMPORTANT;
        } else if (!not && !strcasecmp(tok, "all")) {
            pos |= ALL_TYPES;
        } else {
            return -1;
        }
    }
    r->types = (uint8_t)((pos ? pos : ALL_TYPES) & ~neg);
    if ((r->flags & F_1P) && (r->flags & F_3P)) return -1; /* matches nothing */
    return r->types ? 0 : -1;
}

static uint8_t scheme_bits(const char *s, size_t n)
{
    if (n == 1 && s[0] == '*') return S_HTTP | S_HTTPS | S_WS | S_WSS;
    if (n == 4 && !strncasecmp(s, "http", 4)) return S_HTTP;
    if (n == 5 && !strncasecmp(s, "https", 5)) return S_HTTPS;
    if (n == 2 && !strncasecmp(s, "ws", 2)) return S_WS;
    if (n == 3 && !strncasecmp(s, "wss", 3)) return S_WSS;
    return S_OTHER;
}

/* "scheme://host/path" (Chrome match pattern): host "*", "*.h" or "h",
 * the path a glob over path and query, anchored at both ends. */
static int compile_chrome(arule *r, const char *s)
{
    const char *sep = strstr(s, "://");
    if (!sep) return -1;
    r->schemes = scheme_bits(s, (size_t)(sep - s));
    const char *h = sep + 3;
    size_t hl = strcspn(h, "/");
    if (!h[hl]) return -1;
    if (hl == 1 && h[0] == '*') {
        r->host = NULL;
    } else {
        if (hl >= 2 && h[0] == '*' && h[1] == '.') { h += 2; hl -= 2; }
        else r->flags |= F_HOST_EXACT;
        if (hl == 0) return -1;
        r->host = mt_xcalloc(1, hl + 1);
        for (size_t i = 0; i < hl; i++) {
            char c = lower(h[i]);
            if (!is_host_char(c)) return -1; /* ports, wildcards inside */
            r->host[i] = c;
        }
    }
    const char *path = h + hl;
    size_t pl = strlen(path);
    if (pl > MAX_PAT) return -2;
    r->pat = mt_xcalloc(1, pl + 1);
    for (size_t i = 0; i < pl; i++) {
        char c = lower(path[i]);
        if (c == '^' || c == '|') return -1; /* not match-pattern syntax */
        r->pat[i] = c;
    }
    r->anchor = A_PATH;
    r->flags |= F_END;
    r->types = ALL_TYPES;
    return 0;
}

/* An Adblock network rule (after "@@"). 0, -1 junk, -2 inert. */
static int compile_abp(arule *r, const char *s, int *regex)
{
    size_t n = strlen(s);
    /* Options start at the last '$' that is not inside a regex body. */
    const char *opts = NULL;
    int is_re = s[0] == '/' && n >= 2;
    if (is_re) {
        const char *close = strrchr(s + 1, '/');
        if (close && close > s + 1 && (close[1] == '\0' || close[1] == '$')) {
            if (close[1] == '$') opts = close + 1;
            n = (size_t)(close + 1 - s);
        } else {
            is_re = 0;
        }
    }
    if (!is_re) {
        const char *d = strrchr(s, '$');
        /* "$" followed by a letter or '~' starts options; "$" in a URL
         * rule otherwise stays literal */
        if (d && (d[1] == '~' || (lower(d[1]) >= 'a' && lower(d[1]) <= 'z') || d[1] == '1' ||
                  d[1] == '3')) {
            opts = d;
            n = (size_t)(d - s);
        }
    }
    if (opts && parse_options(r, opts + 1) < 0) return -2;
    if (!opts) r->types = ALL_TYPES;
    if (is_re) {
        *regex = 1;
        if (n < 3 || !regex_bounded(s + 1, n - 2)) return -2;
        int err;
        PCRE2_SIZE at;
        uint32_t fl = (r->flags & F_CASE) ? 0 : PCRE2_CASELESS;
        r->re = pcre2_compile((PCRE2_SPTR)(s + 1), n - 2, fl, &err, &at, NULL);
        if (!r->re) return -2;
        char lit[128];
        size_t ll = regex_literal(s + 1, n - 2, lit, sizeof lit);
        r->pat = mt_xcalloc(1, ll + 1);
        memcpy(r->pat, lit, ll); /* for the index only */
        r->anchor = A_NONE;
        return 0;
    }
    const char *p = s;
    if (n >= 2 && p[0] == '|' && p[1] == '|') { r->anchor = A_HOST; p += 2; n -= 2; }
    else if (n >= 1 && p[0] == '|') { r->anchor = A_START; p++; n--; }
    if (n >= 1 && p[n - 1] == '|') { r->flags |= F_END; n--; }
    /* An unanchored rule is a substring: a leading '*' says so to the glob;
     * a trailing '*' adds nothing. */
    while (n && p[n - 1] == '*' && !(r->flags & F_END)) n--;
    if (n > MAX_PAT) return -2;
    if (n == 0) {
        /* "$websocket,domain=x.com": every such request of those pages;
         * without a page domain it would be every request anywhere */
        if (!opts || !r->n_doms) return opts ? -2 : -1;
        r->pat = mt_xstrdup("*");
        r->anchor = A_NONE;
        return 0;
    }
    size_t lead = r->anchor == A_NONE && p[0] != '*';
    r->pat = mt_xcalloc(1, n + lead + 1);
    if (lead) r->pat[0] = '*';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= ' ' || c == 0x7f) return -1;
        r->pat[lead + i] = (r->flags & F_CASE) ? (char)c : lower((char)c);
    }
    /* nothing literal at all ("*^*"): not a usable rule */
    for (size_t i = 0; r->pat[i]; i++)
        if (r->pat[i] != '*' && r->pat[i] != '^') return 0;
    return -1;
}

static void rule_clear(arule *r)
{
    free(r->text);
    free(r->pat);
    free(r->host);
    free(r->doms);
    if (r->re) pcre2_code_free(r->re);
    memset(r, 0, sizeof *r);
}

int mt_intel_abp_add(mt_intel *in, const char *line, int chrome, int weight,
                     mt_intel_category cat, const char *source, int *regex)
{
    int dummy;
    if (!regex) regex = &dummy;
    *regex = 0;
    if (!in || !line) return -1;
    arule r;
    memset(&r, 0, sizeof r);
    const char *s = line;
    if (s[0] == '@' && s[1] == '@') { r.flags |= F_EXCEPT; s += 2; }
    if (cat == MT_CAT_ALLOW) r.flags |= F_EXCEPT; /* an allowlist's rules allow */
    int rc = chrome ? compile_chrome(&r, s) : compile_abp(&r, s, regex);
    if (rc < 0) {
        rule_clear(&r);
        return rc == -2 ? 0 : -1;
    }
    mt_intel_abp *a = abp_get(in);
    /* The same rule text from another list: keep the stronger claim. */
    size_t tl = strlen(line);
    uint64_t th = shash(line, tl, TEXT_SEED ^ (r.flags & F_EXCEPT));
    size_t k = 0;
    for (size_t i = mt_hmap_run_first(&a->texts, th, mt_intel_dslot); i != MT_HMAP_NONE;
         i = mt_hmap_run_next(&a->texts, i, &k, mt_intel_dslot)) {
        const mt_intel_dslot *d = mt_hmap_key(&a->texts, i);
        if (d->tag != th) continue;
        arule *e = &a->r[d->idx - 1];
        if (strcmp(e->text, line) != 0 || (e->flags & F_EXCEPT) != (r.flags & F_EXCEPT)) continue;
        if (!(e->flags & F_EXCEPT) && mt_intel_stronger(weight, cat, e->weight, e->cat)) {
            e->weight = (uint8_t)weight;
            e->cat = (uint8_t)cat;
            e->source = mt_intel_intern(in, source ? source : "api");
        }
        rule_clear(&r);
        return (e->flags & F_EXCEPT) ? 2 : 1;
    }
    r.text = mt_xstrdup(line);
    r.weight = (uint8_t)weight;
    r.cat = (uint8_t)(cat == MT_CAT_ALLOW ? MT_CAT_ALLOW : cat);
    r.source = mt_intel_intern(in, source ? source : "api");
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->r = mt_xrealloc(a->r, a->cap * sizeof *a->r);
    }
    uint32_t id = (uint32_t)a->n++;
    a->r[id] = r;
    if (r.flags & F_EXCEPT) a->n_except++;
    mt_intel_dslot tk = {th, id + 1, 0};
    mt_hmap_add(&a->texts, &tk, th);

    /* Index: under a literal host when it has one, else a trigram. */
    const char *host = NULL;
    size_t hl = 0;
    if (r.anchor == A_PATH && r.host) {
        host = r.host;
        hl = strlen(host);
    } else if (r.anchor == A_HOST && !(r.flags & F_CASE)) {
        while (is_host_char(r.pat[hl])) hl++;
        char after = r.pat[hl];
        if (hl && (after == '^' || after == '/' || after == ':' || (!after && (r.flags & F_END))))
            host = r.pat;
        else
            hl = 0;
    }
    if (host) {
        uint64_t hh = shash(host, hl, HOST_SEED);
        mt_intel_dslot key = {hh, id + 1, 0};
        mt_hmap_add(&a->hosts, &key, hh);
    } else {
        file_by_trigram(a, r.pat, id);
    }
    return (r.flags & F_EXCEPT) ? 2 : 1;
}

/* ---- matching -------------------------------------------------------- */

typedef struct req {
    const char *low, *orig;  /* the URL, lower-cased and as given (same offsets) */
    size_t host_off, host_len, path_off;
    uint8_t scheme, type;
    const char *page;        /* lower-cased page host or NULL */
    int party;               /* -1 unknown yet, 0 first, 1 third */
    const arule *best;       /* strongest blocking rule */
    uint32_t best_id;
    const arule *except;     /* an exception that matched */
} req;

static const char *reg_domain(const char *host, char *buf, size_t cap)
{
    mt_addr a;
    if (mt_addr_parse(host, &a) == MT_OK) return host;
    const psl_ctx_t *psl = psl_builtin();
    const char *r = psl ? psl_registrable_domain(psl, host) : NULL;
    if (r) return r;
    if (!psl) {
        /* no suffix data: the last two labels */
        const char *dot = strrchr(host, '.');
        if (dot && dot > host) {
            const char *p = dot - 1;
            while (p > host && *p != '.') p--;
            return *p == '.' ? p + 1 : p;
        }
    }
    (void)buf;
    (void)cap;
    return host;
}

static int third_party(req *q)
{
    if (q->party < 0) {
        char host[MT_INTEL_MAX_NAME + 1];
        size_t n = q->host_len < sizeof host ? q->host_len : sizeof host - 1;
        memcpy(host, q->low + q->host_off, n);
        host[n] = '\0';
        const char *a = reg_domain(host, NULL, 0);
        const char *b = reg_domain(q->page, NULL, 0);
        q->party = strcmp(a, b) != 0;
    }
    return q->party;
}

/* Is the page host d or under it? */
static int host_under(const char *h, const char *d)
{
    size_t hl = strlen(h), dl = strlen(d);
    if (dl > hl) return 0;
    if (memcmp(h + hl - dl, d, dl) != 0) return 0;
    return hl == dl || h[hl - dl - 1] == '.';
}

/* $domain=: the most specific entry naming the page decides; with no
 * entry naming it, the rule applies when it lists only exclusions. */
static int domains_ok(const arule *r, const char *page)
{
    int any_inc = 0, best_len = -1, best_neg = 0;
    const char *d = r->doms;
    for (uint16_t i = 0; i < r->n_doms; i++) {
        int neg = d[0] == '~';
        const char *name = d + neg;
        if (!neg) any_inc = 1;
        if (page && host_under(page, name) && (int)strlen(name) > best_len) {
            best_len = (int)strlen(name);
            best_neg = neg;
        }
        d += strlen(d) + 1;
    }
    if (best_len >= 0) return !best_neg;
    return !any_inc && page != NULL;
}

static int rule_matches(req *q, const arule *r, long host_pos)
{
    if (!(r->types & (1u << q->type))) return 0;
    if (r->schemes && !(r->schemes & q->scheme)) return 0;
    if (r->flags & (F_1P | F_3P)) {
        if (!q->page) return 0;
        if (third_party(q) != !!(r->flags & F_3P)) return 0;
    }
    if (r->n_doms && !domains_ok(r, q->page)) return 0;
    const char *u = (r->flags & F_CASE) ? q->orig : q->low;
    if (r->re) return regex_match(r->re, u);
    int end = (r->flags & F_END) != 0;
    switch (r->anchor) {
    case A_START:
        return glob_at(u, r->pat, end);
    case A_PATH:
        if (r->host) {
            const char *h = q->low + q->host_off;
            size_t hl = strlen(r->host);
            if (hl > q->host_len || memcmp(h + q->host_len - hl, r->host, hl) != 0) return 0;
            if (hl != q->host_len && ((r->flags & F_HOST_EXACT) || h[q->host_len - hl - 1] != '.'))
                return 0;
        }
        return glob_at(u + q->path_off, r->pat, end);
    case A_HOST:
        if (host_pos >= 0) return glob_at(u + q->host_off + host_pos, r->pat, end);
        for (size_t i = 0; i < q->host_len; i++)
            if ((i == 0 || q->low[q->host_off + i - 1] == '.') &&
                glob_at(u + q->host_off + i, r->pat, end))
                return 1;
        return 0;
    default:
        return glob_at(u, r->pat, end);
    }
}

static void consider(req *q, const mt_intel_abp *a, uint32_t id, long host_pos)
{
    const arule *r = &a->r[id];
    if (r->flags & F_EXCEPT) {
        if (!q->except && rule_matches(q, r, host_pos)) q->except = r;
        return;
    }
    /* only a stronger rule can change the answer (ties: the earlier) */
    if (q->best) {
        const arule *b = q->best;
        int ri = (r->flags & F_IMPORTANT) != 0, bi = (b->flags & F_IMPORTANT) != 0;
        int better;
        if (ri != bi) better = ri;
        else if (mt_intel_stronger(r->weight, r->cat, b->weight, b->cat)) better = 1;
        else if (mt_intel_stronger(b->weight, b->cat, r->weight, r->cat)) better = 0;
        else better = id < q->best_id;
        if (!better) return;
    }
    if (rule_matches(q, r, host_pos)) {
        q->best = r;
        q->best_id = id;
    }
}

int mt_intel_match_request(const mt_intel *in, const char *url, const char *page_host, int type,
                           mt_intel_hit *hit)
{
    if (hit) memset(hit, 0, sizeof *hit);
    if (!in || !url) return 0;
    char low[MAX_URL + 1], orig[MAX_URL + 1], page[MT_INTEL_MAX_NAME + 1];
    req q;
    memset(&q, 0, sizeof q);
    q.type = (uint8_t)(type >= MT_REQ_SCRIPT && type <= MT_REQ_DOCUMENT ? type : MT_REQ_OTHER);
    q.party = -1;
    if (page_host && page_host[0]) {
        size_t n = strnlen(page_host, sizeof page - 1);
        for (size_t i = 0; i < n; i++) page[i] = lower(page_host[i]);
        while (n && page[n - 1] == '.') n--;
        page[n] = '\0';
        if (n) q.page = page;
    }
    /* Copy: scheme and host lower-cased in both copies, a '/' after the
     * host when the URL has no path, the fragment dropped. */
    size_t o = 0, i = 0;
    const char *sep = strstr(url, "://");
    size_t scheme_len = sep && (size_t)(sep - url) < 16 ? (size_t)(sep - url) : 0;
    for (size_t k = 0; k < scheme_len; k++)
        if (!((lower(url[k]) >= 'a' && lower(url[k]) <= 'z') || url[k] == '+' || url[k] == '-' ||
              url[k] == '.' || (k && url[k] >= '0' && url[k] <= '9')))
            scheme_len = 0; /* "?u=http://..." in a relative URL */
    if (scheme_len) {
        q.scheme = scheme_bits(url, scheme_len);
        for (; i < scheme_len + 3; i++) low[o] = orig[o] = lower(url[i]), o++;
        /* user info is not part of the host */
        size_t hend = strcspn(url + i, "/?#");
        const char *at = memchr(url + i, '@', hend);
        if (at) i = (size_t)(at - url) + 1;
        q.host_off = o;
        if (url[i] == '[') /* an IPv6 literal */
            for (; url[i] && url[i] != ']' && o < MAX_URL; i++) low[o] = orig[o] = lower(url[i]), o++;
        for (; url[i] && !strchr(":/?#", url[i]) && o < MAX_URL; i++) low[o] = orig[o] = lower(url[i]), o++;
        q.host_len = o - q.host_off;
        if (url[i] == ':') { /* the port */
            low[o] = orig[o] = url[i++];
            o++;
            while (url[i] >= '0' && url[i] <= '9' && o < MAX_URL) low[o] = orig[o] = url[i++], o++;
        }
        q.path_off = o;
        if (url[i] != '/' && o < MAX_URL) low[o] = orig[o] = '/', o++;
    } else {
        q.scheme = S_OTHER;
    }
    for (; url[i] && url[i] != '#' && o < MAX_URL; i++) {
        orig[o] = url[i];
        low[o] = lower(url[i]);
        o++;
    }
    low[o] = orig[o] = '\0';
    /* the host without a trailing dot */
    while (q.host_len && low[q.host_off + q.host_len - 1] == '.') q.host_len--;
    q.low = low;
    q.orig = orig;

    const mt_intel_abp *a = in->abp;
    if (a && a->n) {
        /* rules filed under a label suffix of the host */
        if (q.host_len && mt_hmap_count(&a->hosts)) {
            for (size_t p = 0; p < q.host_len;) {
                const char *hs = low + q.host_off + p;
                size_t hl = q.host_len - p;
                uint64_t hh = shash(hs, hl, HOST_SEED);
                size_t k = 0;
                for (size_t s = mt_hmap_run_first(&a->hosts, hh, mt_intel_dslot); s != MT_HMAP_NONE;
                     s = mt_hmap_run_next(&a->hosts, s, &k, mt_intel_dslot)) {
                    const mt_intel_dslot *d = mt_hmap_key(&a->hosts, s);
                    if (d->tag == hh) consider(&q, a, d->idx - 1, (long)p);
                }
                const char *dot = memchr(hs, '.', hl);
                if (!dot) break;
                p = (size_t)(dot - (low + q.host_off)) + 1;
            }
        }
        /* rules filed under a trigram of the URL, each slot visited once */
        if (a->n_lists) {
            uint64_t seen[4096 / 64] = {0};
            for (size_t k = 2; k < o; k++) {
                unsigned t = mt_intel_trigram((unsigned char)low[k - 2], (unsigned char)low[k - 1],
                                              (unsigned char)low[k]);
                unsigned slot = a->tri_slot[t];
                if (!slot || (seen[t >> 6] >> (t & 63) & 1)) continue;
                seen[t >> 6] |= 1ULL << (t & 63);
                const idlist *l = &a->lists[slot - 1];
                for (uint32_t j = 0; j < l->n; j++) consider(&q, a, l->id[j], -1);
            }
        }
        for (uint32_t j = 0; j < a->always.n; j++) consider(&q, a, a->always.id[j], -1);
    }

    /* whole hosts of hosts files and plain lists, and the path rules */
    mt_intel_hit dh, best;
    int have = 0, allowed = 0;
    if (q.best) {
        mt_intel_fill_hit(in, &best, q.best->weight, q.best->cat, q.best->text, q.best->source, NULL);
        have = 1;
    }
    if (q.host_len && q.host_len <= MT_INTEL_MAX_NAME) {
        char host[MT_INTEL_MAX_NAME + 1];
        memcpy(host, low + q.host_off, q.host_len);
        host[q.host_len] = '\0';
        mt_addr ad;
        int m;
        if (host[0] == '[') {
            size_t hl = strcspn(host + 1, "]");
            host[1 + hl] = '\0';
            m = mt_addr_parse(host + 1, &ad) == MT_OK ? mt_intel_match_ip_flags(in, &ad, MT_INTEL_F_HOST, &dh) : 0;
        } else if (mt_addr_parse(host, &ad) == MT_OK) {
            m = mt_intel_match_ip_flags(in, &ad, MT_INTEL_F_HOST, &dh);
        } else {
            m = mt_intel_match_domain_flags(in, host, MT_INTEL_F_HOST, &dh);
        }
        if (m < 0) allowed = 1;
        else if (m > 0 && (!have || mt_intel_hit_stronger(&dh, &best))) { best = dh; have = 1; }
    }
    if (in->urules && mt_intel_match_path(in, low + q.path_off, &dh) &&
        (!have || mt_intel_hit_stronger(&dh, &best))) {
        best = dh;
        have = 1;
    }
    if (!have) return 0;
    int important = q.best && (q.best->flags & F_IMPORTANT) && best.matched == q.best->text;
    if ((q.except || allowed) && !important) {
        if (hit) {
            hit->category = MT_CAT_ALLOW;
            hit->matched = q.except ? q.except->text : "allowlist";
            hit->source = q.except ? mt_intel_str(in, q.except->source) : "allowlist";
        }
        return 0;
    }
    if (hit) *hit = best;
    return 1;
}
