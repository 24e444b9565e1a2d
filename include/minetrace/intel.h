/* minetrace — indicator sets: pool domains, miner IPs/CIDRs, ports, agents.
 *
 * Domains are matched by suffix, label by label: "xmr.pool.minergate.com"
 * is looked up as the whole name, then "pool.minergate.com", then
 * "minergate.com", ... each one hash probe (O(labels)). Many sources can be
 * loaded at once; each entry keeps the source's weight and category, and the
 * strongest match wins. */
#ifndef MINETRACE_INTEL_H
#define MINETRACE_INTEL_H

#include "minetrace/common.h"

typedef struct mt_intel mt_intel;

/* Categories say what a listed name is, which decides whether a match alone
 * is a finding: POOL/BROWSER_MINER/MINER_C2 are; CRYPTO (exchanges, wallets,
 * scams) only raises a score. ALLOW entries suppress matches. */
typedef enum mt_intel_category {
    MT_CAT_POOL = 1,
    MT_CAT_BROWSER_MINER,
    MT_CAT_MINER_C2,
    MT_CAT_CRYPTO,
    MT_CAT_ALLOW
} mt_intel_category;

const char *mt_intel_category_str(mt_intel_category c);
int mt_intel_category_parse(const char *s); /* 0 when unknown */

typedef struct mt_intel_hit {
    int weight;                 /* 1..100 */
    mt_intel_category category;
    const char *matched;        /* the list entry that matched (owned by intel) */
    const char *source;         /* list name (file base name or "builtin") */
    const char *family;         /* family hint, may be NULL */
} mt_intel_hit;

mt_intel *mt_intel_new(void);
void mt_intel_free(mt_intel *in);

/* Our own curated defaults (major pools, browser miners, miner agents,
 * mining ports), written from public facts. */
int mt_intel_load_builtin(mt_intel *in);

/* Load a list file; format is detected per line: plain domains, hosts files
 * ("0.0.0.0 name"), Adblock rules ("||name^..."), IPs and CIDRs, Chrome URL
 * patterns (scheme://host/path). Comments (#, !) and junk lines are counted
 * and skipped. `spec` is "FILE[:WEIGHT[:CATEGORY]]". */
int mt_intel_load_spec(mt_intel *in, const char *spec);
int mt_intel_load_file(mt_intel *in, const char *path, int weight,
                       mt_intel_category cat);
/* Counters of the last load, for progress/reporting. */
typedef struct mt_intel_load_stats {
    uint64_t domains, ips, cidrs, skipped;
} mt_intel_load_stats;
const mt_intel_load_stats *mt_intel_last_load(const mt_intel *in);

int mt_intel_add_domain(mt_intel *in, const char *name, int weight,
                        mt_intel_category cat, const char *source,
                        const char *family);
int mt_intel_add_cidr(mt_intel *in, const mt_addr *prefix, int bits, int weight,
                      mt_intel_category cat, const char *source);

/* 1 on match (hit filled), 0 otherwise. The name is compared
 * case-insensitively; a trailing dot is ignored. */
int mt_intel_match_domain(const mt_intel *in, const char *name, mt_intel_hit *hit);
int mt_intel_match_ip(const mt_intel *in, const mt_addr *a, mt_intel_hit *hit);
/* Weight (0 = not a mining port) of a destination port. */
int mt_intel_port_weight(const mt_intel *in, uint16_t port);
/* Miner software recognised from a User-Agent / Stratum agent string:
 * returns 1 and fills name (e.g. "XMRig") and family. */
int mt_intel_match_agent(const mt_intel *in, const char *agent,
                         const char **name, const char **family);

size_t mt_intel_domain_count(const mt_intel *in);

#endif
