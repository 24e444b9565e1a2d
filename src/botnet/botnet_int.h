/* The campaign engine's insides (botnet.h is the interface), shared by its
 * files: botnet.c (events in, the run), sources.c (per-source state and
 * the global credential statistics), cluster.c (union-find, marker joins,
 * MinHash LSH), figures.c (per-campaign figures and enrichment) and
 * records.c (the records handed to the sinks).
 *
 * Memory follows sources, not events: every per-source list is bounded,
 * and the tables that grow with more than the sources (distinct
 * (source, credential) pairs, (source, day) and (source, session) keys)
 * hold 8 to 16 bytes per key. Strings are interned once (util/strtab). */
#ifndef MT_BOTNET_BOTNET_INT_H
#define MT_BOTNET_BOTNET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "botnet/actions.h"
#include "botnet/botnet.h"
#include "util/hashmap.h"
#include "util/strtab.h"

/* MinHash signature length: 64 independent 32-bit minima. The estimate of
 * a Jaccard index then has a standard error of about 0.06 at J = 0.5. */
#define BN_MH 64

/* Bounds of the per-source lists (beyond them entries are counted in
 * stats.dropped_lists, not kept). */
#define BN_MAX_CREDS_LISTED 16
#define BN_MAX_COMMANDS 32
#define BN_MAX_DOWNLOADS 16
#define BN_MAX_UPLOADS 16
#define BN_MAX_KEYS 8
#define BN_MAX_CLIENTS 8
#define BN_MAX_HASSH 8
#define BN_MAX_MARKERS 64
/* Longest list string kept (commands are cut there; the action was read
 * from the whole line). */
#define BN_MAX_STR 512

typedef struct bn_vec {
    uint32_t *v;
    uint16_t n, cap;
} bn_vec;

typedef struct bn_source {
    mt_addr addr;
    mt_time_us first, last;
    unsigned protocols, signals;
    uint64_t events, sessions, login_failed, login_success, ncred, commands_total;
    uint32_t ndays;
    uint32_t last_day_key;    /* the day and session of the previous event: most */
    uint64_t last_session;    /* events repeat both, and skip the set lookups */
    int8_t iot_client;        /* 1: an embedded client stack (dropbear, ...) was seen */
    uint32_t *mh;             /* MinHash of the credential set (BN_MH values); NULL
                                 until the first credential: scanners have none */
    bn_vec creds;             /* credential ids, the first BN_MAX_CREDS_LISTED */
    bn_vec commands, downloads, uploads, keys, clients, hassh; /* ids in b->strs */
    bn_vec markers;           /* marker ids in b->marks */
} bn_source;

/* What an interned command line revealed (the action cache). */
typedef struct bn_action {
    unsigned signals;
    uint8_t n;
    uint32_t mk[MT_ACTION_MAX_MARKERS]; /* marker ids */
} bn_action;

typedef struct bn_cred {
    uint64_t hash;            /* of the credential's bytes: the MinHash input */
    mt_time_us first, last;
    uint32_t marker1;         /* marker id + 1 of a marker credential, 0 none */
    uint32_t last_day_key;    /* the day of its previous attempt (skips the set) */
    uint8_t checked;          /* the marker-credential question was asked */
} bn_cred;

/* One campaign being built at the end. */
typedef struct bn_campaign {
    uint32_t root;            /* union-find root */
    uint32_t *members;        /* source indexes, sorted by address */
    size_t nmembers;
    int similarity;           /* joined (also) by credential similarity */
    unsigned signals;
    mt_campaign rec;          /* the record (pointers into the arrays below) */
    mt_family_verdict verdict;
    mt_marker *markers;
    char **member_str;
    mt_count_item *days, *countries, *creds;
    char (*day_names)[11];
    char (*cc_names)[3];
    mt_count_item *asns;
    char (*asn_names)[16];
    char **cred_names;
    const char **wallets, **pools, **downloads;
    char peak[11];
    char simval[80];          /* the credential_cluster marker's value */
} bn_campaign;

struct mt_botnet {
    mt_botnet_opts o;
    mt_botnet_stats st;
    /* sources */
    mt_hmap by_addr;          /* mt_addr -> uint32 index */
    bn_source *src;
    size_t nsrc, capsrc;
    mt_u64set sessions;       /* (source, session hash) */
    mt_u64set days;           /* (source, day) */
    mt_hmap pairs;            /* (source + 1) << 32 | credential -> uint32 attempts */
    mt_u64set cred_days;      /* (credential, day) */
    /* strings */
    mt_strtab creds;          /* credential keys (see sources.c); cnt: attempts, sources, days */
    bn_cred *credx;
    size_t capcredx;
    mt_strtab strs;           /* list strings (commands, "url#sha", keys, versions, HASSH) */
    mt_strtab marks;          /* markers: type byte + value; cnt[0] = sources carrying it */
    mt_strtab cmds;           /* the action cache: whole command lines */
    bn_action *cmdx;
    size_t capcmdx, cmd_bytes;
    uint64_t mh_a[BN_MH], mh_b[BN_MH]; /* the MinHash permutations */
    /* the end */
    uint32_t *parent;         /* union-find over source indexes */
    uint8_t *simjoined;       /* per root: a similarity join happened */
    bn_campaign *camp;
    size_t ncamp;
    int32_t *camp_of;         /* source -> campaign index or -1 */
    int finished;
    int progress_printed;     /* a progress line is open on the terminal */
    size_t lsh_bytes;         /* the LSH buckets' table at its largest */
    uint32_t *stamp;          /* scratch, per string id: campaign + 1 that listed it */
};

/* sources.c */
void bn_sources_init(mt_botnet *b);
void bn_sources_free(mt_botnet *b);
uint32_t bn_source_get(mt_botnet *b, const mt_addr *a);
void bn_source_event(mt_botnet *b, uint32_t si, const mt_honey_event *ev);
void bn_nosrc_event(mt_botnet *b, const mt_honey_event *ev);
/* credential key -> "user" and "pass" (pass "" when unknown); returns 1
 * when a password is known. */
int bn_cred_split(const mt_botnet *b, uint32_t id, const char **user, size_t *un,
                  const char **pass, size_t *pn);
uint32_t bn_pair_attempts(const mt_botnet *b, uint32_t si, uint32_t cred);
size_t bn_vec_bytes(const bn_vec *v);
/* A marker's type and value from its interned key. */
mt_marker_type bn_marker_type(const mt_botnet *b, uint32_t id);
const char *bn_marker_value(const mt_botnet *b, uint32_t id);
int bn_addr_cmp(const mt_addr *a, const mt_addr *b);
int64_t bn_day_of(mt_time_us t); /* INT64_MIN when unknown */
void bn_day_str(int64_t day, char out[11]);

/* cluster.c */
void bn_cluster(mt_botnet *b, const uint32_t *order);
uint32_t bn_find(mt_botnet *b, uint32_t x);
/* Bands and rows for a Jaccard threshold (documented there). */
void bn_lsh_params(double jaccard, unsigned *bands, unsigned *rows);
double bn_mh_estimate(const uint32_t *a, const uint32_t *c);

/* figures.c */
void bn_figures(mt_botnet *b);
void bn_source_enrich(const mt_botnet *b, const bn_source *s, mt_botsource *out, char cc[3],
                      char *org, size_t org_cap, const char **device);

/* records.c */
void bn_campaigns_build(mt_botnet *b, const uint32_t *order);
int bn_emit(mt_botnet *b, const uint32_t *order, mt_botnet_sink *const *sinks, size_t n);
void bn_campaigns_free(mt_botnet *b);

#endif
