/* Internal layout of mt_intel, shared by the files of src/intel/ only.
 *
 * Domains: one arena of NUL-terminated lower-case names, an entry array
 * (offset + best hit per name) and a util/hashmap set of 16-byte keys
 * (64-bit hash tag + entry index) probed once per suffix of a looked-up name.
 * IPs and CIDRs: one util/hashmap keyed by (masked address, prefix length);
 * a lookup probes each prefix length present in the set, so an exact IP is
 * just a /32 or /128 entry. Strings such as source and family
 * names are interned so entries stay small. */
#ifndef MT_INTEL_INTERNAL_H
#define MT_INTEL_INTERNAL_H

#include <stdio.h>

#include "minetrace/intel.h"
#include "util/hashmap.h"

#define MT_INTEL_MAX_NAME 253 /* text form of a DNS name, no trailing dot */

typedef struct mt_intel_dentry {
    uint32_t name_off;   /* into names arena */
    uint8_t len;         /* name length (<= 253) */
    uint8_t weight;      /* best non-allow hit; 0 when only allowed */
    uint8_t cat;         /* category of that hit */
    uint8_t allow;       /* MT_INTEL_F_* */
    uint16_t source;     /* interned string index */
    uint16_t family;     /* interned string index, 0 = none */
} mt_intel_dentry;

/* Entry flags of names and addresses. ALLOW: also on an allowlist. HOST:
 * listed as a whole host (hosts file, plain list, the API), so every
 * request to it is blocked; names that only come from Adblock rules or URL
 * patterns lack it, their rules (with options and paths) decide instead. */
#define MT_INTEL_F_ALLOW 1u
#define MT_INTEL_F_HOST 2u

typedef struct mt_intel_dslot {
    uint64_t tag;        /* full 64-bit hash of the name (never 0) */
    uint32_t idx;        /* entry index + 1 */
    uint32_t pad;
} mt_intel_dslot;

typedef struct mt_intel_ikey {
    mt_addr prefix;      /* masked, unused bytes zero */
    uint8_t bits;
} mt_intel_ikey;

typedef struct mt_intel_ientry {
    uint8_t weight;
    uint8_t cat;
    uint8_t allow;       /* MT_INTEL_F_* */
    uint16_t source;
    uint32_t text_off;   /* "a.b.c.d/nn" in the names arena */
} mt_intel_ientry;

typedef struct mt_intel_agent {
    const char *pattern;  /* lower-case */
    int prefix_only;      /* 1: agent must start with pattern; 0: substring */
    const char *name;     /* display name, e.g. "XMRig" */
    const char *family;
} mt_intel_agent;

/* URL path rules: Adblock-style substring patterns with '*' wildcards,
 * in load order, and a trigram prefilter over them (intel_url.c). */
#define MT_INTEL_URL_MAX_RULES 1024
#define MT_INTEL_URL_WORDS (MT_INTEL_URL_MAX_RULES / 64)
#define MT_INTEL_URL_MAX_SEG 63 /* longest literal run of a pattern */

typedef struct mt_intel_urule {
    char *pat;          /* lower-case, no leading/trailing '*', no options */
    uint8_t weight;
    uint8_t cat;
    uint16_t source;    /* interned */
} mt_intel_urule;

typedef struct mt_intel_urules {
    mt_intel_urule *r;
    size_t n, cap;
    /* tri_slot[trigram] = index + 1 into masks (0: no rule starts so);
     * masks are rows of MT_INTEL_URL_WORDS words, one bit per rule */
    uint16_t tri_slot[4096];
    uint64_t *masks;
    size_t n_masks;
    uint64_t always[MT_INTEL_URL_WORDS]; /* rules with no 3-byte prefix */
} mt_intel_urules;

/* Wallets and site keys: one sorted array per kind, binary-searched
 * (lookups are per Stratum login or WebSocket job, not per packet). */
typedef struct mt_intel_key {
    char *key;          /* normalised */
    uint8_t weight;
    uint8_t cat;
    uint16_t source;    /* interned */
} mt_intel_key;

typedef struct mt_intel_keys {
    mt_intel_key *k[2]; /* [0] wallets, [1] site keys */
    size_t n[2], cap[2];
} mt_intel_keys;

/* Network rules for mt_intel_match_request (intel_abp.c). */
struct mt_intel_abp;
void mt_intel_abp_free(mt_intel *in);
/* Add one Adblock network rule (chrome 0) or Chrome match pattern
 * (chrome 1) from a list line. Returns 1 (blocking rule), 2 (exception),
 * 0 inert (unknown option, unsupported regex) or -1 (not a rule); *regex
 * is set for "/.../" rules. A list of category ALLOW adds its rules as
 * exceptions. */
int mt_intel_abp_add(mt_intel *in, const char *line, int chrome, int weight,
                     mt_intel_category cat, const char *source, int *regex);
/* Domain and address lookups with the entry flags (intel.c, intel_ip.c):
 * 1 and hit filled on a match of an entry that has all of need's flags,
 * -1 when an allowed name suppresses the match, 0 otherwise. */
int mt_intel_match_domain_flags(const mt_intel *in, const char *name, unsigned need,
                                mt_intel_hit *hit);
int mt_intel_match_ip_flags(const mt_intel *in, const mt_addr *a, unsigned need,
                            mt_intel_hit *hit);
/* Add with explicit flags (MT_INTEL_F_HOST or 0); the public adders pass
 * MT_INTEL_F_HOST. */
int mt_intel_add_domain_flags(mt_intel *in, const char *name, int weight, mt_intel_category cat,
                              const char *source, const char *family, unsigned flags);
int mt_intel_add_cidr_flags(mt_intel *in, const mt_addr *prefix, int bits, int weight,
                            mt_intel_category cat, const char *source, unsigned flags);

/* The trigram of the prefilters (intel_url.c, intel_abp.c): three bytes
 * hashed into 4096 slots. */
static inline unsigned mt_intel_trigram(unsigned a, unsigned b, unsigned c)
{
    return (a * 961u + b * 31u + c) & 4095u;
}

void mt_intel_url_free(mt_intel *in);
void mt_intel_keys_free(mt_intel *in);

struct mt_intel {
    /* domains */
    char *names;
    size_t names_len, names_cap;
    mt_intel_dentry *dents;
    size_t n_dents, cap_dents;
    mt_hmap dmap;        /* mt_intel_dslot keys, no values */
    /* IPs and CIDRs */
    mt_hmap imap;        /* mt_intel_ikey -> mt_intel_ientry */
    uint8_t v4_bits[33];  /* prefix lengths present (count > 0) */
    uint8_t v6_bits[129];
    /* interned strings; index 0 is "" */
    char **strs;
    size_t n_strs, cap_strs;
    mt_hmap strmap;      /* mt_intel_dslot keys (hash, index) over strs: every
                            added entry interns its source and family */
    /* ports and agents */
    uint8_t port_w[65536];
    uint8_t port_roles[65536]; /* MT_PORT_* of the builtin table, set by mt_intel_new */
    const mt_intel_agent *agents;
    size_t n_agents;
    mt_intel_load_stats last;
    /* URL path rules (intel_url.c) */
    mt_intel_urules *urules;
    /* wallets and site keys (intel_keys.c) */
    mt_intel_keys *keys;
    /* network rules of block lists (intel_abp.c) */
    struct mt_intel_abp *abp;
};

/* Set up the empty IP/CIDR table (intel_ip.c; called by mt_intel_new). */
void mt_intel_ip_init(mt_intel *in);

/* Intern a string (copied); returns its index. Index 0 is the empty
 * string and stands for NULL. */
uint16_t mt_intel_intern(mt_intel *in, const char *s);
const char *mt_intel_str(const mt_intel *in, uint16_t idx);
/* Append n bytes + NUL to the names arena; returns the offset. */
uint32_t mt_intel_arena_add(mt_intel *in, const char *p, size_t n);

/* Normalise a domain into out (lower-case, no leading "*." or ".", no
 * trailing dot) and check it looks like a host name with at least two
 * labels. Returns its length, or -1 when it is not a usable name. */
int mt_intel_norm_domain(const char *s, size_t n, char *out, size_t cap);

/* Load list lines from an open stream (mt_intel_load_file's core; the
 * fuzzer feeds it from memory). MT_OK or MT_EIO on a read error. */
int mt_intel_load_stream(mt_intel *in, FILE *f, const char *source, int weight,
                         mt_intel_category cat);

/* Default weight of a category when a spec gives none. */
int mt_intel_default_weight(mt_intel_category c);

/* Builtin tables (builtin_*.c). */
typedef struct mt_intel_builtin_domain {
    const char *name;
    uint8_t weight;
    uint8_t cat;
    const char *family;
} mt_intel_builtin_domain;

typedef struct mt_intel_builtin_port {
    uint16_t port;
    uint8_t weight;      /* > 0 exactly for MT_PORT_POOL entries */
    uint8_t roles;       /* MT_PORT_* */
} mt_intel_builtin_port;

extern const mt_intel_builtin_domain mt_intel_builtin_domains[];
extern const size_t mt_intel_builtin_domains_n;
extern const mt_intel_agent mt_intel_builtin_agents[];
extern const size_t mt_intel_builtin_agents_n;
extern const mt_intel_builtin_port mt_intel_builtin_ports[];
extern const size_t mt_intel_builtin_ports_n;
extern const char *const mt_intel_builtin_url_scripts[];
extern const size_t mt_intel_builtin_url_scripts_n;
extern const char *const mt_intel_builtin_url_hints[];
extern const size_t mt_intel_builtin_url_hints_n;
#define MT_INTEL_URL_SCRIPT_WEIGHT 75
#define MT_INTEL_URL_HINT_WEIGHT 30

/* Is hit (w2, c2) stronger than (w1, c1)? A mining category outranks
 * CRYPTO whatever the weights: "this is a pool" is the stronger claim. */
static inline int mt_intel_stronger(int w2, int c2, int w1, int c1)
{
    if (w1 == 0) return w2 > 0;
    if (mt_intel_category_is_mining(c2) != mt_intel_category_is_mining(c1)) return mt_intel_category_is_mining(c2);
    return w2 > w1;
}

/* Fill a caller's hit from the winning entry's fields (shared by the name
 * and address lookups). */
static inline void mt_intel_fill_hit(const mt_intel *in, mt_intel_hit *hit, int weight, int cat,
                                     const char *matched, uint16_t source, const char *family)
{
    if (!hit) return;
    hit->weight = weight;
    hit->category = (mt_intel_category)cat;
    hit->matched = matched;
    hit->source = mt_intel_str(in, source);
    if (!hit->source) hit->source = "unknown";
    hit->family = family;
}

#endif
