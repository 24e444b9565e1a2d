/* Indicator sets: domain suffix table, category names, ports and agents.
 *
 * A looked-up name is lower-cased once into a stack buffer, then the whole
 * name and each parent suffix ("a.b.c", "b.c") is hashed and probed in one
 * open-addressing table: O(labels) probes, no allocation. Each table entry
 * keeps the strongest hit any source gave that exact name plus an "allowed"
 * flag; an allowed name or parent suppresses the whole match, so allowlists
 * can carve holes (pool.example.org allowed under a listed example.org) and
 * silence known false positives. IPs/CIDRs live in intel_ip.c, file loading
 * in intel_load.c, the curated defaults in builtin_*.c. */
#include "intel/intel_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

#define NAME_SEED 0x6d74696e74656c31ULL /* "mtintel1" */
#define STR_SEED 0x6d74737472ULL       /* "mtstr" */
#define MAX_STRS 65535u

static const char *const cat_names[] = {
    [MT_CAT_POOL] = "pool",
    [MT_CAT_BROWSER_MINER] = "browser-miner",
    [MT_CAT_MINER_C2] = "miner-c2",
    [MT_CAT_CRYPTO] = "crypto",
    [MT_CAT_ALLOW] = "allow",
};

const char *mt_intel_category_str(mt_intel_category c)
{
    if ((unsigned)c < sizeof cat_names / sizeof cat_names[0] && cat_names[c])
        return cat_names[c];
    return "unknown";
}

int mt_intel_category_parse(const char *s)
{
    if (!s) return 0;
    for (unsigned i = 1; i < sizeof cat_names / sizeof cat_names[0]; i++)
        if (strcmp(cat_names[i], s) == 0) return (int)i;
    /* Friendly aliases. */
    if (strcmp(s, "browser") == 0 || strcmp(s, "webminer") == 0)
        return MT_CAT_BROWSER_MINER;
    if (strcmp(s, "c2") == 0) return MT_CAT_MINER_C2;
    if (strcmp(s, "allowlist") == 0 || strcmp(s, "whitelist") == 0)
        return MT_CAT_ALLOW;
    return 0;
}

int mt_intel_default_weight(mt_intel_category c)
{
    switch (c) {
    case MT_CAT_POOL: return 80;
    case MT_CAT_BROWSER_MINER: return 80;
    case MT_CAT_MINER_C2: return 90;
    case MT_CAT_CRYPTO: return 30;
    case MT_CAT_ALLOW: return 100;
    }
    return 50;
}

/* ---- lifetime ----------------------------------------------------------- */

static uint64_t dslot_hash(const void *key)
{
    mt_intel_dslot d;
    memcpy(&d, key, sizeof d);
    return d.tag;
}

mt_intel *mt_intel_new(void)
{
    mt_intel *in = mt_xcalloc(1, sizeof *in);
    mt_hmap_init(&in->dmap, &(mt_hmap_cfg){.key_size = sizeof(mt_intel_dslot), .capacity = 1024,
                                            .hash = dslot_hash});
    mt_intel_ip_init(in);
    in->cap_strs = 16;
    in->strs = mt_xcalloc(in->cap_strs, sizeof *in->strs);
    in->strs[0] = mt_xstrdup("");
    in->n_strs = 1;
    mt_hmap_init(&in->strmap, &(mt_hmap_cfg){.key_size = sizeof(mt_intel_dslot), .capacity = 64,
                                              .hash = dslot_hash});
    /* Port roles are facts, not indicators: present without any list. */
    for (size_t i = 0; i < mt_intel_builtin_ports_n; i++)
        in->port_roles[mt_intel_builtin_ports[i].port] = mt_intel_builtin_ports[i].roles;
    return in;
}

void mt_intel_free(mt_intel *in)
{
    if (!in) return;
    free(in->names);
    free(in->dents);
    mt_hmap_free(&in->dmap);
    mt_hmap_free(&in->imap);
    for (size_t i = 0; i < in->n_strs; i++) free(in->strs[i]);
    free(in->strs);
    mt_hmap_free(&in->strmap);
    mt_intel_url_free(in);
    mt_intel_keys_free(in);
    mt_intel_abp_free(in);
    free(in);
}

uint16_t mt_intel_intern(mt_intel *in, const char *s)
{
    if (!s || !*s) return 0;
    uint64_t h = mt_hash_bytes_inl(s, strlen(s), STR_SEED);
    size_t k = 0;
    for (size_t i = mt_hmap_run_first(&in->strmap, h, mt_intel_dslot); i != MT_HMAP_NONE;
         i = mt_hmap_run_next(&in->strmap, i, &k, mt_intel_dslot)) {
        const mt_intel_dslot *d = mt_hmap_key(&in->strmap, i);
        /* Loaders pass back strings they got from here: same pointer. */
        if (d->tag == h && (in->strs[d->idx] == s || strcmp(in->strs[d->idx], s) == 0))
            return (uint16_t)d->idx;
    }
    if (in->n_strs >= MAX_STRS) return 0; /* absurd; the hit just loses its label */
    if (in->n_strs == in->cap_strs) {
        in->cap_strs *= 2;
        in->strs = mt_xrealloc(in->strs, in->cap_strs * sizeof *in->strs);
    }
    in->strs[in->n_strs] = mt_xstrdup(s);
    mt_intel_dslot key = {h, (uint32_t)in->n_strs, 0}; /* index >= 1: never the empty key */
    mt_hmap_add(&in->strmap, &key, h);
    return (uint16_t)in->n_strs++;
}

const char *mt_intel_str(const mt_intel *in, uint16_t idx)
{
    if (idx == 0 || idx >= in->n_strs) return NULL;
    return in->strs[idx];
}

const mt_intel_load_stats *mt_intel_last_load(const mt_intel *in) { return &in->last; }
size_t mt_intel_domain_count(const mt_intel *in) { return in->n_dents; }

/* ---- domain names ------------------------------------------------------- */

static inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

int mt_intel_norm_domain(const char *s, size_t n, char *out, size_t cap)
{
    /* Trim surrounding blanks, wildcard and dots. */
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    if (n >= 2 && s[0] == '*' && s[1] == '.') { s += 2; n -= 2; }
    while (n && *s == '.') { s++; n--; }
    while (n && s[n - 1] == '.') n--;
    if (n == 0 || n > MT_INTEL_MAX_NAME || n + 1 > cap) return -1;
    int dots = 0, label = 0, tld_alpha = 0;
    for (size_t i = 0; i < n; i++) {
        char c = lower(s[i]);
        if (c == '.') {
            if (label == 0) return -1; /* empty label */
            dots++;
            label = 0;
            tld_alpha = 0;
        } else if ((c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
                   (c >= '0' && c <= '9')) {
            if (++label > 63) return -1;
            if (!(c >= '0' && c <= '9')) tld_alpha = 1;
        } else {
            return -1;
        }
        out[i] = c;
    }
    out[n] = '\0';
    /* Two labels at least, and a top label that is not all digits (that
     * would be a dotted number such as a partial IP). */
    if (dots == 0 || label == 0 || !tld_alpha) return -1;
    return (int)n;
}

static uint64_t name_hash(const char *p, size_t n)
{
    uint64_t h = mt_hash_bytes_inl(p, n, NAME_SEED);
    return h ? h : 1;
}

static inline mt_intel_dentry *dfind(const mt_intel *in, const char *p, size_t n, uint64_t h)
{
    size_t k = 0;
    for (size_t i = mt_hmap_run_first(&in->dmap, h, mt_intel_dslot); i != MT_HMAP_NONE;
         i = mt_hmap_run_next(&in->dmap, i, &k, mt_intel_dslot)) {
        const mt_intel_dslot *s = mt_hmap_key(&in->dmap, i);
        if (s->tag == h) {
            mt_intel_dentry *e = &in->dents[s->idx - 1];
            if (e->len == n && memcmp(in->names + e->name_off, p, n) == 0) return e;
        }
    }
    return NULL;
}

uint32_t mt_intel_arena_add(mt_intel *in, const char *p, size_t n)
{
    if (in->names_len + n + 1 > in->names_cap) {
        size_t cap = in->names_cap ? in->names_cap * 2 : 4096;
        while (cap < in->names_len + n + 1) cap *= 2;
        in->names = mt_xrealloc(in->names, cap);
        in->names_cap = cap;
    }
    uint32_t off = (uint32_t)in->names_len;
    memcpy(in->names + off, p, n);
    in->names[off + n] = '\0';
    in->names_len += n + 1;
    return off;
}

/* Insert a normalised name (or find it); returns its entry. */
static mt_intel_dentry *dinsert(mt_intel *in, const char *p, size_t n)
{
    uint64_t h = name_hash(p, n);
    mt_intel_dentry *e = dfind(in, p, n, h);
    if (e) return e;
    if (in->n_dents == in->cap_dents) {
        in->cap_dents = in->cap_dents ? in->cap_dents * 2 : 256;
        in->dents = mt_xrealloc(in->dents, in->cap_dents * sizeof *in->dents);
    }
    e = &in->dents[in->n_dents++];
    memset(e, 0, sizeof *e);
    e->name_off = mt_intel_arena_add(in, p, n);
    e->len = (uint8_t)n;
    mt_intel_dslot key = {h, (uint32_t)in->n_dents, 0};
    mt_hmap_add(&in->dmap, &key, h);
    return e;
}

int mt_intel_add_domain(mt_intel *in, const char *name, int weight,
                        mt_intel_category cat, const char *source,
                        const char *family)
{
    return mt_intel_add_domain_flags(in, name, weight, cat, source, family, MT_INTEL_F_HOST);
}

int mt_intel_add_domain_flags(mt_intel *in, const char *name, int weight, mt_intel_category cat,
                              const char *source, const char *family, unsigned flags)
{
    char norm[MT_INTEL_MAX_NAME + 1];
    if (!name) return mt_error_set(MT_EINVAL, "intel: no domain name given");
    if (cat < MT_CAT_POOL || cat > MT_CAT_ALLOW)
        return mt_error_set(MT_EINVAL, "intel: bad category %d for '%.64s'", (int)cat, name);
    if (weight < 1 || weight > 100)
        return mt_error_set(MT_EINVAL, "intel: weight %d out of range 1..100", weight);
    int n = mt_intel_norm_domain(name, strlen(name), norm, sizeof norm);
    if (n < 0) return mt_error_set(MT_EINVAL, "intel: not a domain name: '%.64s'", name);
    if (in->names_len + (size_t)n + 1 > UINT32_MAX)
        return mt_error_set(MT_ENOMEM, "intel: domain arena full");
    mt_intel_dentry *e = dinsert(in, norm, (size_t)n);
    if (cat == MT_CAT_ALLOW) {
        e->allow |= MT_INTEL_F_ALLOW;
        return MT_OK;
    }
    e->allow |= (uint8_t)(flags & MT_INTEL_F_HOST);
    if (mt_intel_stronger(weight, cat, e->weight, e->cat)) {
        e->weight = (uint8_t)weight;
        e->cat = (uint8_t)cat;
        e->source = mt_intel_intern(in, source ? source : "api");
        e->family = mt_intel_intern(in, family);
    } else if (!e->family && family && e->cat == cat) {
        e->family = mt_intel_intern(in, family); /* keep the best hint */
    }
    return MT_OK;
}

int mt_intel_match_domain(const mt_intel *in, const char *name, mt_intel_hit *hit)
{
    return mt_intel_match_domain_flags(in, name, 0, hit) > 0;
}

int mt_intel_match_domain_flags(const mt_intel *in, const char *name, unsigned need,
                                mt_intel_hit *hit)
{
    char buf[MT_INTEL_MAX_NAME + 1];
    if (!in || !name || in->n_dents == 0) return 0;
    size_t n = strnlen(name, 300);
    while (n && name[n - 1] == '.') n--;
    if (n == 0 || n > MT_INTEL_MAX_NAME) return 0;
    for (size_t i = 0; i < n; i++) buf[i] = lower(name[i]);
    buf[n] = '\0';

    /* Hash every suffix that still has a dot first and prefetch its slot,
     * so the (cache-missing) probes of the labels overlap. */
    size_t off[MT_INTEL_MAX_NAME]; /* one per dot at most */
    uint64_t hs[MT_INTEL_MAX_NAME];
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        const char *dot = memchr(buf + i, '.', n - i);
        if (!dot) break; /* single labels (TLDs) are never listed */
        off[k] = i;
        hs[k] = name_hash(buf + i, n - i);
#if defined(__GNUC__)
        __builtin_prefetch(mt_hmap_key(&in->dmap, mt_hmap_home(&in->dmap, hs[k])));
#endif
        k++;
        i = (size_t)(dot - buf) + 1;
    }
    const mt_intel_dentry *best = NULL;
    for (size_t j = 0; j < k; j++) {
        const mt_intel_dentry *e = dfind(in, buf + off[j], n - off[j], hs[j]);
        if (e) {
            if (e->allow & MT_INTEL_F_ALLOW) return -1;
            if ((e->allow & need) != need) continue;
            if (e->weight && (!best || mt_intel_stronger(e->weight, e->cat, best->weight, best->cat)))
                best = e;
        }
    }
    if (!best) return 0;
    mt_intel_fill_hit(in, hit, best->weight, best->cat, in->names + best->name_off, best->source,
                      mt_intel_str(in, best->family));
    return 1;
}

/* ---- ports and agents --------------------------------------------------- */

int mt_intel_port_weight(const mt_intel *in, uint16_t port)
{
    return in ? in->port_w[port] : 0;
}

/* Agents are matched against every HTTP request and every Stratum login,
 * with dozens of patterns each. A filter of the agent's byte pairs (one
 * pass; 4096 hashed bits) lets a pattern whose first two bytes never occur
 * be skipped without a strstr; prefix patterns compare their first byte
 * first. First match in list order wins, as before. */
static inline unsigned pair_hash(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 31u + b) & 4095u;
}

int mt_intel_match_agent(const mt_intel *in, const char *agent,
                         const char **name, const char **family)
{
    char buf[512];
    if (!in || !agent || !in->agents) return 0;
    size_t n = strnlen(agent, sizeof buf - 1);
    for (size_t i = 0; i < n; i++) buf[i] = lower(agent[i]);
    buf[n] = '\0';
    /* Skip leading blanks some clients send. */
    const char *s = buf;
    while (*s == ' ' || *s == '\t') s++;
    size_t sl = n - (size_t)(s - buf);
    uint64_t pairs[64] = {0};
    for (size_t i = 0; i + 1 < sl; i++) {
        unsigned h = pair_hash((unsigned char)s[i], (unsigned char)s[i + 1]);
        pairs[h >> 6] |= 1ULL << (h & 63);
    }
    for (size_t i = 0; i < in->n_agents; i++) {
        const mt_intel_agent *a = &in->agents[i];
        const unsigned char *p = (const unsigned char *)a->pattern;
        int ok;
        if (a->prefix_only) {
            ok = p[0] == (unsigned char)s[0] && strncmp(s, a->pattern, strlen(a->pattern)) == 0;
        } else {
            if (p[0] && p[1]) {
                unsigned h = pair_hash(p[0], p[1]);
                if (!(pairs[h >> 6] & (1ULL << (h & 63)))) continue;
            }
            ok = strstr(s, a->pattern) != NULL;
        }
        if (ok) {
            if (name) *name = a->name;
            if (family) *family = a->family;
            return 1;
        }
    }
    return 0;
}
