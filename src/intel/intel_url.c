/* URL path rules: the NoCoin-style "General blocking" rules (miner scripts
 * and Wasm modules by file name) as indicator data, for the HTTP detector
 * now and the website scanner next.
 *
 * A rule is an Adblock substring pattern over the lower-cased request path
 * (or full URL), '*' standing for any run of characters. Rules are tried
 * in load order; the strongest match wins (a mining category over the
 * others, then the higher weight; on a tie the earlier rule), so a
 * category decides, as for names, whether a path alone is a finding.
 *
 * Speed: every HTTP request is matched. A rule can only match if each of
 * its literal runs occurs in the path, so each rule is filed under the
 * first three bytes of its first run of three bytes or more (hashed into
 * 4096 slots); one pass over the path ORs together the rule sets of the
 * trigrams it contains, and only those rules are tried, with one strstr
 * per literal run. Most paths have no candidate and are not even copied.
 * Rules with no run of three bytes are always tried. */
#include "intel/intel_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PATH 2048 /* longer paths are matched on their first 2047 bytes */

static inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

static inline unsigned trigram(const char *p)
{
    return mt_intel_trigram((unsigned char)p[0], (unsigned char)p[1], (unsigned char)p[2]);
}

/* The trigram a rule is filed under: the first three bytes of its first
 * literal run of three bytes or more (every run must occur in a matching
 * path, so any one will do); -1 when it has none and is always tried. */
static int rule_trigram(const char *pat)
{
    while (*pat) {
        size_t n = strcspn(pat, "*");
        if (n >= 3) return (int)trigram(pat);
        pat += n;
        while (*pat == '*') pat++;
    }
    return -1;
}

void mt_intel_url_free(mt_intel *in)
{
    mt_intel_urules *u = in->urules;
    if (!u) return;
    for (size_t i = 0; i < u->n; i++) free(u->r[i].pat);
    free(u->r);
    free(u->masks);
    free(u);
    in->urules = NULL;
}

size_t mt_intel_url_rule_count(const mt_intel *in)
{
    return in && in->urules ? in->urules->n : 0;
}

/* Normalise an Adblock path rule into out: drop "$options", leading and
 * trailing '*' (implicit in a substring rule), lower-case. Returns the
 * length, or -1 for what is not a plain path rule: host rules ("||"),
 * exceptions ("@@"), cosmetic rules, anchors ('|'), separators ('^'),
 * regexes ("/.../"), or literal runs longer than the matcher takes. */
static int norm_rule(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strcspn(s, "$\r\n");
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n == 0 || s[0] == '|' || s[0] == '@' || s[0] == '!' || s[0] == '#') return -1;
    /* "/.../" is a regex in Adblock syntax; path rules end in '*' instead */
    if (n >= 2 && s[0] == '/' && s[n - 1] == '/') return -1;
    while (n && *s == '*') { s++; n--; }
    while (n && s[n - 1] == '*') n--;
    if (n == 0 || n + 1 > cap) return -1;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = lower(s[i]);
        if (c == '|' || c == '^' || c == ' ' || c == '\t' || (unsigned char)c < 0x20) return -1;
        if (i + 1 < n && c == '#' && (s[i + 1] == '#' || s[i + 1] == '@' || s[i + 1] == '?'))
            return -1; /* cosmetic */
        run = c == '*' ? 0 : run + 1;
        if (run > MT_INTEL_URL_MAX_SEG) return -1;
        out[i] = c;
    }
    out[n] = '\0';
    return (int)n;
}

int mt_intel_add_url_rule(mt_intel *in, const char *rule, int weight, mt_intel_category cat,
                          const char *source)
{
    char pat[512];
    if (!in || !rule) return mt_error_set(MT_EINVAL, "intel: no URL rule given");
    if (cat < MT_CAT_POOL || cat > MT_CAT_CRYPTO)
        return mt_error_set(MT_EINVAL, "intel: bad category %d for URL rule '%.64s'", (int)cat,
                            rule);
    if (weight < 1 || weight > 100)
        return mt_error_set(MT_EINVAL, "intel: weight %d out of range 1..100", weight);
    int n = norm_rule(rule, pat, sizeof pat);
    if (n < 0) return mt_error_set(MT_EINVAL, "intel: not a URL path rule: '%.64s'", rule);
    if (!in->urules) in->urules = mt_xcalloc(1, sizeof *in->urules);
    mt_intel_urules *u = in->urules;
    if (u->n >= MT_INTEL_URL_MAX_RULES)
        return mt_error_set(MT_ENOMEM, "intel: more than %d URL rules", MT_INTEL_URL_MAX_RULES);
    /* An equal rule is filed under the same trigram (or none). */
    int t = rule_trigram(pat);
    const uint64_t *same = u->always;
    if (t >= 0)
        same = u->tri_slot[t] ? u->masks + (size_t)(u->tri_slot[t] - 1) * MT_INTEL_URL_WORDS
                              : NULL;
    for (size_t w = 0; same && w < (u->n + 63) / 64; w++) {
        for (uint64_t bits = same[w]; bits; bits &= bits - 1) {
            mt_intel_urule *e = &u->r[w * 64 + (size_t)__builtin_ctzll(bits)];
            if (strcmp(e->pat, pat) != 0) continue;
            /* the same rule from another list: keep the stronger claim */
            mt_intel_hit a = {weight, cat, NULL, NULL, NULL};
            mt_intel_hit b = {e->weight, (mt_intel_category)e->cat, NULL, NULL, NULL};
            if (mt_intel_hit_stronger(&a, &b)) {
                e->weight = (uint8_t)weight;
                e->cat = (uint8_t)cat;
                e->source = mt_intel_intern(in, source ? source : "api");
            }
            return MT_OK;
        }
    }
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 128;
        u->r = mt_xrealloc(u->r, u->cap * sizeof *u->r);
    }
    size_t idx = u->n++;
    mt_intel_urule *r = &u->r[idx];
    r->pat = mt_xstrdup(pat);
    r->weight = (uint8_t)weight;
    r->cat = (uint8_t)cat;
    r->source = mt_intel_intern(in, source ? source : "api");

    uint64_t *m = u->always;
    if (t >= 0) {
        if (!u->tri_slot[t]) {
            u->masks = mt_xrealloc(u->masks, (u->n_masks + 1) * MT_INTEL_URL_WORDS * sizeof *m);
            memset(u->masks + u->n_masks * MT_INTEL_URL_WORDS, 0, MT_INTEL_URL_WORDS * sizeof *m);
            u->tri_slot[t] = (uint16_t)++u->n_masks;
        }
        m = u->masks + (size_t)(u->tri_slot[t] - 1) * MT_INTEL_URL_WORDS;
    }
    m[idx / 64] |= 1ULL << (idx % 64);
    return MT_OK;
}

/* Does the glob ('*' wildcard) occur anywhere in the lower-cased s?
 * Literal runs are found left to right with strstr: for patterns whose
 * only wildcard is '*', the leftmost match of each run is enough, so no
 * backtracking. */
static int glob_in(const char *s, const char *pat)
{
    const char *from = s;
    char seg[MT_INTEL_URL_MAX_SEG + 1];
    while (*pat) {
        size_t n = strcspn(pat, "*");
        if (n) {
            if (n >= sizeof seg) return 0; /* refused at load; keeps the copy bounded */
            memcpy(seg, pat, n);
            seg[n] = '\0';
            const char *hit = strstr(from, seg);
            if (!hit) return 0;
            from = hit + n;
        }
        pat += n;
        if (*pat == '*') pat++;
    }
    return 1;
}

int mt_intel_match_path(const mt_intel *in, const char *path, mt_intel_hit *hit)
{
    if (!in || !in->urules || !path || !path[0]) return 0;
    const mt_intel_urules *u = in->urules;
    const size_t words = (u->n + 63) / 64;
    uint64_t cand[MT_INTEL_URL_WORDS], any = 0;
    for (size_t w = 0; w < words; w++) any |= cand[w] = u->always[w];
    /* First pass: the candidates, from the trigram ending at each byte
     * (formed from the two bytes before it, lower-cased on the fly). */
    size_t k = 0;
    unsigned c0 = 0, c1 = 0;
    for (; path[k] && k + 1 < MAX_PATH; k++) {
        unsigned c2 = (unsigned char)lower(path[k]);
        if (k >= 2) {
            unsigned slot = u->tri_slot[mt_intel_trigram(c0, c1, c2)];
            if (slot) {
                const uint64_t *m = u->masks + (size_t)(slot - 1) * MT_INTEL_URL_WORDS;
                for (size_t w = 0; w < words; w++) cand[w] |= m[w];
                any = 1;
            }
        }
        c0 = c1;
        c1 = c2;
    }
    if (!any) return 0; /* the common case: no rule can match */
    /* Second pass, for the few paths that have candidates. */
    char low[MAX_PATH];
    for (size_t i = 0; i < k; i++) low[i] = lower(path[i]);
    low[k] = '\0';
    const mt_intel_urule *best = NULL;
    for (size_t w = 0; w < words; w++) {
        for (uint64_t bits = cand[w]; bits; bits &= bits - 1) {
            const mt_intel_urule *r = &u->r[w * 64 + (size_t)__builtin_ctzll(bits)];
            if (best && !mt_intel_stronger(r->weight, r->cat, best->weight, best->cat)) continue;
            if (glob_in(low, r->pat)) best = r;
        }
    }
    if (!best) return 0;
    mt_intel_fill_hit(in, hit, best->weight, best->cat, best->pat, best->source, NULL);
    return 1;
}

int mt_intel_match_url(const mt_intel *in, const char *host, const char *path,
                       mt_intel_hit *hit)
{
    mt_intel_hit h, p;
    int hm = host && host[0] && mt_intel_match_domain(in, host, &h);
    int pm = mt_intel_match_path(in, path, &p);
    if (!hm && !pm) return 0;
    if (hit) *hit = (hm && (!pm || !mt_intel_hit_stronger(&p, &h))) ? h : p;
    return 1;
}
