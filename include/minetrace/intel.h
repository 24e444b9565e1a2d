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

/* Does a match of this category alone make a finding? (pool, browser
 * miner, miner C2; not crypto, allow or 0 = no match). Inline: the
 * detectors ask it for every looked-up name. */
static inline int mt_intel_category_is_mining(int c)
{
    return c == MT_CAT_POOL || c == MT_CAT_BROWSER_MINER || c == MT_CAT_MINER_C2;
}
/* The family a finding gets from the category when neither the list nor
 * the name says more: "browser-miner", "miner-malware" (C2) or
 * "coin-miner". */
const char *mt_intel_category_family(mt_intel_category c);
/* The category as a noun for evidence text: "pool", "browser-miner",
 * "miner C2", "crypto", "allowed" ("pool" when unknown). */
const char *mt_intel_category_noun(mt_intel_category c);

typedef struct mt_intel_hit {
    int weight;                 /* 1..100 */
    mt_intel_category category;
    const char *matched;        /* the list entry that matched (owned by intel) */
    const char *source;         /* list name (file base name or "builtin") */
    const char *family;         /* family hint, may be NULL */
} mt_intel_hit;

/* Is hit a stronger than hit b? A mining category outranks the others
 * whatever the weights ("this is a pool" is the stronger claim), then the
 * higher weight wins; on a tie b stays. */
int mt_intel_hit_stronger(const mt_intel_hit *a, const mt_intel_hit *b);

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
    uint64_t wallets, sitekeys;
    /* Adblock and URL-pattern lines (mt_intel_match_request). A host-only
     * rule ("||name^", or a URL pattern with the name as its host) also adds its name to the domain
     * table, so it counts in `domains` too; every other line counts once. */
    uint64_t url_rules;   /* blocking network rules, Chrome match patterns */
    uint64_t exceptions;  /* "@@" rules */
    uint64_t regexes;     /* "/.../" rules among url_rules + exceptions */
    uint64_t inert;       /* network rules not taken: an unknown option, a
                             regex beyond POSIX ERE (lookaround, backrefs) */
    uint64_t cosmetic;    /* "##", "#@#", "#?#", "#$#" element rules */
    uint64_t scriptlets;  /* "##+js(...)" */
    uint64_t comments;    /* "!", "#" and "[Adblock ...]" lines */
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
/* Ports. One builtin table (builtin_ports.c) describes every port we know
 * something about; each entry has roles:
 *   MT_PORT_POOL     a pool or miner convention; its weight is a score
 *                    feature (a port alone is never a finding) and it marks
 *                    the pool side of a connection whose direction is
 *                    unknown;
 *   MT_PORT_SERVICE  the well-known server port of some other service
 *                    (databases, proxies, Bitcoin P2P, ...): only a hint
 *                    of which end is the server.
 * Pool weights are indicators: they come with mt_intel_load_builtin() (and
 * go with --no-builtin-intel). The roles are facts about ports and need no
 * indicator set. */
enum { MT_PORT_POOL = 1u << 0, MT_PORT_SERVICE = 1u << 1 };
/* Roles of a port in the builtin table (0 = not listed). */
unsigned mt_intel_port_roles(uint16_t port);
/* Weight (0 = not a mining port) of a destination port in this set. */
int mt_intel_port_weight(const mt_intel *in, uint16_t port);
/* Is the port a server's when the handshake was not seen? Ports below
 * 1024, MT_PORT_SERVICE ports and the set's weighted pool ports (in may
 * be NULL: no pool ports). */
int mt_intel_port_is_server(const mt_intel *in, uint16_t port);
/* Miner software recognised from a User-Agent / Stratum agent string:
 * returns 1 and fills name (e.g. "XMRig") and family. */
int mt_intel_match_agent(const mt_intel *in, const char *agent,
                         const char **name, const char **family);

/* URL path rules: Adblock substring patterns ('*' = any run) over a
 * request path or URL, such as NoCoin's "/coinhive.min.js" or
 * "?proxy=wss://". The builtin set (mt_intel_load_builtin) holds miner
 * script names as browser-miner (a finding alone) and generic names as
 * crypto (only alongside other evidence). "$options" and leading/trailing
 * '*' are dropped; host rules ("||"), exceptions, anchors, '^' and regexes
 * are refused (MT_EINVAL). At most 1024 rules. */
int mt_intel_add_url_rule(mt_intel *in, const char *rule, int weight, mt_intel_category cat,
                          const char *source);
/* The strongest rule matching the path (case-insensitive): hit->matched is
 * the normalised rule text, hit->family NULL. 1 on match, 0 otherwise. */
int mt_intel_match_path(const mt_intel *in, const char *path, mt_intel_hit *hit);
/* A page or request URL: the host against the names, the path against the
 * path rules; the stronger hit (the host's on a tie). host may be NULL. */
int mt_intel_match_url(const mt_intel *in, const char *host, const char *path,
                       mt_intel_hit *hit);
size_t mt_intel_url_rule_count(const mt_intel *in);

/* Wallets (payout addresses) and browser-miner site keys as indicators.
 * In a list file a line "wallet:ADDR" or "sitekey:KEY" names one
 * explicitly (any coin: 8..128 letters, digits, '-' or '_'); a bare token
 * is taken by its shape: a Monero (95/106 base58, '4' or '8'), Ethereum
 * (0x + 40 hex) or Bitcoin (base58 '1'/'3', bech32 "bc1") address, or a
 * 32-character site key of mixed-case letters and digits. Ethereum and
 * bech32 addresses compare case-insensitively, the others exactly. */
int mt_intel_add_wallet(mt_intel *in, const char *wallet, int weight, mt_intel_category cat,
                        const char *source);
int mt_intel_add_sitekey(mt_intel *in, const char *key, int weight, mt_intel_category cat,
                         const char *source);
/* 1 and hit filled when the wallet / site key is listed (hit->matched is
 * the listed spelling), else 0. */
int mt_intel_match_wallet(const mt_intel *in, const char *wallet, mt_intel_hit *hit);
int mt_intel_match_sitekey(const mt_intel *in, const char *key, mt_intel_hit *hit);
size_t mt_intel_wallet_count(const mt_intel *in);
size_t mt_intel_sitekey_count(const mt_intel *in);
/* "monero", "ethereum", "bitcoin" when s has the shape of such an
 * address, else NULL; 1 when s looks like a Coinhive-style site key. */
const char *mt_intel_wallet_shape(const char *s);
int mt_intel_sitekey_shape(const char *s);

/* Every listed name and address, for writing block lists (minetrace
 * export): fn is called once per domain (in insertion order) and once per
 * IP/CIDR (in no order) with its strongest entry. text is the normalised
 * name or "ADDR" / "ADDR/BITS"; hit.matched == text. allowed: the name or
 * network is also on an allowlist; host: listed as a whole host (a hosts
 * file, a plain list, the built-in set), not only through an Adblock rule.
 * Entries only on allowlists are not given. fn returns 0 to go on; its
 * non-zero value stops the walk and is returned. */
typedef struct mt_intel_entry {
    int is_addr;                /* 0: domain, 1: IP or CIDR */
    int bits;                   /* prefix length of an address (32/128: one host) */
    const char *text;
    mt_intel_hit hit;
    int allowed, host;
} mt_intel_entry;
int mt_intel_each(const mt_intel *in, int (*fn)(void *ctx, const mt_intel_entry *e), void *ctx);

size_t mt_intel_domain_count(const mt_intel *in);

/* ---- Requests against block lists (Adblock Plus / uBlock syntax) --------
 *
 * The website scanner asks, for each script, frame, worker, XHR or
 * WebSocket URL a page loads: would a block list stop it? Loaded lists give
 * network rules ("||host^", "||host/path", "|https://...", substrings with
 * '*' and '^', "/regex/", options $script, $websocket, $xmlhttprequest,
 * $subdocument, $image, $document, $third-party / $~third-party,
 * $domain=a.com|~b.com, $match-case, $important) and "@@" exceptions,
 * Chrome match patterns ("wss://" "*.host/proxy*"), and the whole-host names
 * of hosts files and plain domain lists. docs/WEB.md, "Block lists". */
typedef enum mt_intel_request_type {
    MT_REQ_SCRIPT = 1,
    MT_REQ_WEBSOCKET,
    MT_REQ_XHR,
    MT_REQ_SUBDOCUMENT,   /* iframe */
    MT_REQ_IMAGE,
    MT_REQ_OTHER,         /* anything else: workers, Wasm fetches, styles... */
    MT_REQ_DOCUMENT       /* the page itself */
} mt_intel_request_type;

/* 1 when a rule blocks the request: hit gets the category, weight and
 * list of the strongest blocking rule, hit->matched its text (the name for
 * a hosts-list entry). 0 otherwise, also when an exception ("@@" rule,
 * allowlisted name) matched: then, if hit is given, hit->category is
 * MT_CAT_ALLOW, hit->weight 0 and hit->matched the exception; when nothing
 * matched hit->weight is 0 and hit->matched NULL. url is absolute
 * (scheme://host/...); page_host is the host of the page that loads it
 * (NULL: unknown, then $third-party, $~third-party and $domain=a rules do
 * not apply). type is an mt_intel_request_type (unknown values: OTHER).
 * URLs longer than 4095 bytes are matched on their first 4095. */
int mt_intel_match_request(const mt_intel *in, const char *url, const char *page_host, int type,
                           mt_intel_hit *hit);
/* Number of network rules and exceptions in the request rule set. */
size_t mt_intel_request_rule_count(const mt_intel *in);

#endif
