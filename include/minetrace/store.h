/* The findings store: the contract every backend implements (SQLite today,
 * PostgreSQL next), and the calls the rest of minetrace makes. Callers ask
 * the store; no caller writes SQL against its tables. Schema, versions and
 * migrations: docs/STORE.md.
 *
 * Writes: findings go in through put (or the store sink below) inside a
 * transaction. Outside an explicit begin/commit the backend opens one
 * itself and commits it every few thousand rows, so a long capture is
 * stored in batches; a backend may also hold rows back and send them in
 * bulk (multi-row insert, COPY) when it commits. Re-writing a finding is
 * harmless: each finding has a uid (mt_finding_uid) and a second copy is
 * counted as a duplicate, not stored. The new/duplicate counts are exact
 * after commit.
 *
 * Reads: the analyses ask for aggregates (counts, distinct hosts, counts
 * per time bucket), never for rows, so that a database server can compute
 * them where the data is. The exact definition of every number, as SQL,
 * is in docs/STORE.md; a backend must give the same numbers. */
#ifndef MINETRACE_STORE_H
#define MINETRACE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/botnet.h"
#include "minetrace/common.h"
#include "minetrace/engine.h"
#include "minetrace/finding.h"
#include "minetrace/web.h"

typedef struct mt_store mt_store;

/* Which sensors a read looks at (`minetrace report --sensor`): the rows
 * whose sensor column equals one of names[0..n-1]; n = 0: every sensor.
 * Every query structure below carries one, and every backend applies it
 * to every number of that query (docs/STORE.md: "S"). */
typedef struct mt_store_sensors {
    const char *const *names;
    size_t n;
} mt_store_sensors;

/* ---- opening -------------------------------------------------------------- */

enum {
    MT_STORE_CREATE = 1,   /* create the database if missing */
    MT_STORE_READONLY = 2, /* never write (no migration, no index); older schema versions are read as they are */
    MT_STORE_NO_INDEX = 4, /* queries never build indexes, even when writable */
};

typedef struct mt_store_opts {
    unsigned flags;        /* MT_STORE_* */
    const char *sensor;    /* name written with every row; NULL = "" */
} mt_store_opts;

/* Open a store. `where` is a path (SQLite) or a URI: "sqlite:PATH", and
 * later "postgresql://..." for the server backend. A writable open
 * migrates an older schema to the current version (one transaction); a
 * schema newer than this program knows is an error. NULL on failure
 * (mt_error_msg() says why). `o` may be NULL (defaults: CREATE). */
mt_store *mt_store_open(const char *where, const mt_store_opts *o);
void mt_store_close(mt_store *s); /* commits an open transaction */
/* `where` fit for a message: a server URI's password (the one in
 * "user:password@" and any "password=" parameter) shown as "***". Returns
 * buf (NUL-terminated, cut to n bytes). */
const char *mt_store_display_name(const char *where, char *buf, size_t n);
/* The schema version of the open database and the newest this program
 * knows (the same after a writable open). */
int mt_store_schema_version(const mt_store *s);
const char *mt_store_backend(const mt_store *s); /* "sqlite", ... */

/* ---- writing -------------------------------------------------------------- */

int mt_store_begin(mt_store *s);    /* an explicit transaction: nothing is committed before mt_store_commit */
int mt_store_commit(mt_store *s);   /* also ends an implicit batch */
int mt_store_rollback(mt_store *s); /* discards everything since the last commit */
/* Store n findings. MT_OK or a negative MT_E* (the transaction is then
 * unusable: roll back). */
int mt_store_put(mt_store *s, const mt_finding *f, size_t n);
/* Findings stored as new / ignored as already stored since open. */
void mt_store_counts(const mt_store *s, uint64_t *n_new, uint64_t *n_dup);

/* One row per input of `minetrace ingest` (table ingest_log). */
typedef struct mt_store_ingest_row {
    const char *path, *format, *status; /* status: "ok" or why the input failed */
    int64_t started, finished;          /* Unix seconds */
    uint64_t records, findings_new, findings_dup, malformed, unknown;
} mt_store_ingest_row;
int mt_store_put_ingest_log(mt_store *s, const mt_store_ingest_row *row);

/* The identifying hash used as uid (stable across runs, versions and
 * backends; docs/STORE.md lists the fields). */
uint64_t mt_finding_uid(const mt_finding *f);

/* A sink that stores every finding it is given; it owns the store (closes
 * it on close) when `own` is set. */
mt_sink *mt_store_sink_new(mt_store *s, int own);

/* ---- website findings (issue 8; table web_findings, schema version 3) ---- */

/* Store n web findings; as mt_store_put (same transaction, batches and
 * new/duplicate counts; identity: mt_web_finding_uid). */
int mt_store_put_web(mt_store *s, const mt_web_finding *f, size_t n);
/* The identifying hash of a web finding: ts, url, resource, kind,
 * provider, site_key, evidence (docs/STORE.md). */
uint64_t mt_web_finding_uid(const mt_web_finding *f);
/* A web sink that stores every web finding it is given; it owns the store
 * (closes it on close) when `own` is set. */
mt_web_sink *mt_store_web_sink_new(mt_store *s, int own);

/* The website study's aggregates (definitions as SQL: docs/STORE.md). A
 * site is a distinct domain with a web finding at confidence >=
 * min_confidence in [from, to). */
#define MT_STORE_WEB_MAX_EDGES 15
/* The threshold `minetrace report` counts sites at. */
#define MT_STORE_WEB_MIN_CONFIDENCE 50

typedef struct mt_store_web_query {
    mt_time_us from, to;           /* from = to = 0: every web finding */
    int min_confidence;            /* a site needs a finding at least this confident */
    /* Rank intervals: [1, edge[0]], [edge[0]+1, edge[1]], ..., and
     * (edge[n-1], inf); increasing. n = 0: the default 10000, 100000, 1000000. */
    uint32_t edges[MT_STORE_WEB_MAX_EDGES];
    size_t nedges;
    size_t top_keys;               /* site keys listed (0 = all) */
    mt_store_sensors sensors;
} mt_store_web_query;

typedef struct mt_store_web_group {
    char *name;                    /* the value ("" = unknown) */
    char *provider;                /* site keys: their provider ("" when only unknown); else NULL */
    uint64_t findings, sites;      /* findings at the threshold; distinct domains */
} mt_store_web_group;

typedef struct mt_store_web_summary {
    uint64_t findings;             /* all web findings in range */
    uint64_t confident;            /* ... at confidence >= min_confidence */
    uint64_t sites, pages;         /* distinct domains, urls of those */
    uint64_t ranked_sites;         /* sites with a rank */
    /* Sites per rank interval: nedges + 1 intervals, then unranked. */
    uint32_t edges[MT_STORE_WEB_MAX_EDGES];
    size_t nedges;
    uint64_t rank_sites[MT_STORE_WEB_MAX_EDGES + 1];
    uint64_t unranked_sites;
    mt_store_web_group *categories, *providers, *kinds, *keys;
    size_t ncategories, nproviders, nkinds, nkeys;
    uint64_t distinct_keys;        /* site keys at the threshold (keys[] may be cut to top_keys) */
    uint64_t campaigns;            /* site keys seen on two or more sites */
    uint64_t keyed_sites;          /* sites with a site key */
} mt_store_web_summary;

/* Returns 1 when the store holds web findings at all (in any range), 0 when
 * not (also for a database older than version 3), <0 on error. */
int mt_store_web_present(mt_store *s);
int mt_store_web_summary_get(mt_store *s, const mt_store_web_query *q, mt_store_web_summary *out);
void mt_store_web_summary_free(mt_store_web_summary *w);

/* ---- the botnet study (issue 9; schema version 4) -------------------------- */

/* Campaign, source and credential records (include/minetrace/botnet.h) as
 * the engine concludes them at the end of a run. Unlike findings they are
 * conclusions, not observations: storing a record whose key is already
 * stored (campaign id, source ip, (username, password); each per sensor)
 * replaces it, and a campaign's day, country and member rows with it, so a
 * re-run over the same logs leaves the same rows. Same transaction and
 * batches as mt_store_put; they do not count in mt_store_counts. */
int mt_store_put_campaign(mt_store *s, const mt_campaign *c);
int mt_store_put_botsource(mt_store *s, const mt_botsource *src);
int mt_store_put_credstat(mt_store *s, const mt_credstat *c);
/* A botnet sink that stores every record it is given; it owns the store
 * (closes it on close) when `own` is set, else commits on close. */
mt_botnet_sink *mt_store_botnet_sink_new(mt_store *s, int own);

/* 1 when the store holds botnet records (a campaign, a source or a
 * credential), 0 when not (also for a database older than version 4 read
 * as it is), <0 on error. */
int mt_store_botnet_present(mt_store *s);

/* The botnet study's aggregates (definitions as SQL: docs/STORE.md). A
 * campaign is in range when [first_seen, last_seen] meets [from, to);
 * days and credentials likewise. */
typedef struct mt_store_botnet_query {
    mt_time_us from, to;           /* from = to = 0: everything */
    size_t top_campaigns;          /* campaign rows listed (0 = all) */
    size_t top_countries;          /* 0 = all */
    size_t top_credentials;        /* 0 = all */
    mt_store_sensors sensors;
} mt_store_botnet_query;

typedef struct mt_store_campaign_row {
    char *sensor, *id, *family, *reason;
    int mining;
    uint64_t sources, sessions, events, peak_active;
    uint64_t scanned, port22_open, iot, iot_unknown, geo_unknown;
    mt_time_us first_seen, last_seen; /* 0 = unknown */
    char *peak_day;                /* "YYYY-MM-DD" or "" */
    char *marker_type, *marker;    /* the marker carried by most members ("" when none) */
} mt_store_campaign_row;

typedef struct mt_store_botnet_day {
    int64_t day;                   /* days since 1970-01-01 (UTC) */
    uint64_t active;               /* active sources of mining campaigns that day */
} mt_store_botnet_day;

typedef struct mt_store_botnet_country {
    char *code;
    uint64_t sources;
} mt_store_botnet_country;

typedef struct mt_store_botnet_cred {
    char *username, *password;
    uint64_t attempts, sources, days;
    mt_time_us first_seen, last_seen;
} mt_store_botnet_cred;

typedef struct mt_store_botnet_summary {
    uint64_t campaigns, mining_campaigns;
    uint64_t zombies;              /* distinct member IPs of mining campaigns */
    uint64_t members;              /* sum of sources over mining campaigns */
    uint64_t botnet_sources;       /* source records stored */
    mt_store_campaign_row *rows;   /* mining first, then by sources */
    size_t nrows;
    mt_store_botnet_day *days;     /* by day */
    size_t ndays;
    int64_t peak_day;              /* of days[]; -1 when no day */
    uint64_t peak_active;
    mt_store_botnet_country *countries; /* most first */
    size_t ncountries;
    uint64_t distinct_countries;
    /* Over the mining campaigns (sums of the campaign figures). */
    uint64_t geo_unknown, scanned, port22_open, iot, iot_unknown;
    mt_store_botnet_cred *credentials; /* most attempts first */
    size_t ncredentials;
    uint64_t distinct_credentials;
} mt_store_botnet_summary;

int mt_store_botnet_summary_get(mt_store *s, const mt_store_botnet_query *q, mt_store_botnet_summary *out);
void mt_store_botnet_summary_free(mt_store_botnet_summary *b);

/* ---- the analyses' aggregates ---------------------------------------------- */

/* A map from time to bucket (periods of the report in its time zone, which
 * the store does not need to know): piece i covers [start[i], start[i+1])
 * (the last one runs to the end of the query range) and belongs to bucket
 * bucket[i] (0 .. nbuckets-1, or -1: none). Starts are increasing. */
typedef struct mt_store_buckets {
    const mt_time_us *start;
    const int32_t *bucket;
    size_t n, nbuckets;
} mt_store_buckets;

enum {
    MT_SQ_BUCKETS = 1, /* mining findings and distinct mining hosts per bucket */
    MT_SQ_MIX = 2,     /* families, kinds, (family, kind): findings and distinct hosts */
    MT_SQ_PORTS = 4,   /* destination ports of mining connections */
    MT_SQ_TOP = 8,     /* pools, wallets, agents of mining findings */
    MT_SQ_SENSORS = 16, /* per sensor: findings, mining, hosts (mt_store_sensor_row) */
};

/* What a query reads: findings with from <= ts < to. Filters that select
 * findings (e.g. sensors) belong here, so every query honours them. */
typedef struct mt_store_query {
    mt_time_us from, to;
    unsigned want;                 /* MT_SQ_BUCKETS | MT_SQ_MIX | MT_SQ_PORTS */
    mt_store_buckets buckets[2];   /* with MT_SQ_BUCKETS; n = 0: unused */
    mt_store_sensors sensors;      /* n = 0: every sensor */
} mt_store_query;

/* One sensor's share of the findings in range (MT_SQ_SENSORS). */
typedef struct mt_store_sensor_row {
    char *sensor;                  /* as stored ("" = rows written without a name) */
    uint64_t findings, mining, precursor;
    uint64_t hosts, mining_hosts;  /* distinct src_ip: all, of mining findings */
    mt_time_us first, last;        /* min(ts), max(ts) */
} mt_store_sensor_row;

typedef struct mt_store_group {
    char *name;                    /* the value ("" when empty) */
    char *name2;                   /* second key of a two-key group, else NULL */
    uint64_t findings, hosts;      /* hosts: distinct src_ip */
} mt_store_group;

typedef struct mt_store_host {
    char *addr;                    /* src_ip as stored */
    uint64_t findings, mining;     /* all findings; mining findings */
    uint64_t port_findings;        /* mining connections with a port (MT_SQ_PORTS) */
} mt_store_host;

#define MT_STORE_NPORTS 65536

typedef struct mt_store_summary {
    uint64_t findings, mining, precursor;   /* by event_type */
    mt_store_host *hosts;                   /* every src_ip in range, in no order */
    size_t nhosts;
    uint64_t *bucket_findings[2], *bucket_hosts[2]; /* [nbuckets] per map */
    mt_store_group *families, *kinds, *behaviours;  /* behaviours: (family, kind) */
    size_t nfamilies, nkinds, nbehaviours;
    /* Mining findings of kind other than dns with 1 <= dest_port <= 65535:
     * findings and distinct hosts per port ([MT_STORE_NPORTS]). */
    uint64_t *port_findings, *port_hosts;
    /* With MT_SQ_SENSORS: one row per sensor with findings in range, most
     * findings first, then by name. */
    mt_store_sensor_row *sensors;
    size_t nsensors;
} mt_store_summary;

typedef struct mt_store_top {
    /* [0] pool, [1] wallet, [2] agent: mining findings per non-empty value */
    mt_store_group *v[3];
    size_t n[3];
    uint64_t total[3];             /* mining findings with a non-empty value */
} mt_store_top;

/* Get ready for the queries in `want` (MT_SQ_*): a backend may build the
 * indexes they need unless opened READONLY or NO_INDEX. `plan` (may be
 * NULL) names how the summary will read ("covering-index", "table-scan"). */
int mt_store_prepare(mt_store *s, unsigned want, const char **plan);
/* First and last ts of the findings of `sensors` (NULL or n = 0: of all
 * findings); returns 1 when there are findings, 0 when there are none, <0
 * on error. */
int mt_store_time_range(mt_store *s, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last);
int mt_store_summary_get(mt_store *s, const mt_store_query *q, mt_store_summary *out);
void mt_store_summary_free(mt_store_summary *sm);
/* Reads q->from, q->to (and later filters); q->want and buckets are unused. */
int mt_store_top_get(mt_store *s, const mt_store_query *q, mt_store_top *out);
void mt_store_top_free(mt_store_top *t);

/* ---- block indicators (minetrace export, issue 11) --------------------------- */

/* What mining findings point at, for a block list: the pool names, the
 * pool addresses and the destination ports of mining findings at
 * confidence >= min_confidence in [from, to) (from = to = 0: every
 * finding). Definitions as SQL: docs/STORE.md. Values are as stored
 * (attacker-controlled: the caller validates before writing them). */
typedef enum mt_store_ind_type {
    MT_STORE_IND_POOL = 1,  /* pool column: a name, an address, either with ":port" */
    MT_STORE_IND_ADDR,      /* dest_ip of connection findings (kind <> 'dns') */
    MT_STORE_IND_PORT       /* dest_port of connection findings, in decimal */
} mt_store_ind_type;

typedef struct mt_store_indicator_query {
    mt_time_us from, to;
    int min_confidence;
    mt_store_sensors sensors;
} mt_store_indicator_query;

typedef struct mt_store_indicator {
    mt_store_ind_type type;
    char *value;
    uint64_t findings;
    mt_time_us first_seen, last_seen;
} mt_store_indicator;

typedef struct mt_store_indicators {
    mt_store_indicator *v;          /* by type, then value */
    size_t n;
} mt_store_indicators;

int mt_store_indicators_get(mt_store *s, const mt_store_indicator_query *q, mt_store_indicators *out);
void mt_store_indicators_free(mt_store_indicators *x);

/* ---- for backends ---------------------------------------------------------- */

typedef struct mt_store_ops {
    const char *name;
    void (*close)(mt_store *s);
    int (*begin)(mt_store *s);
    int (*commit)(mt_store *s);
    int (*rollback)(mt_store *s);
    int (*put)(mt_store *s, const mt_finding *f, size_t n);
    int (*put_ingest_log)(mt_store *s, const mt_store_ingest_row *row);
    int (*prepare)(mt_store *s, unsigned want, const char **plan);
    int (*time_range)(mt_store *s, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last);
    int (*summary)(mt_store *s, const mt_store_query *q, mt_store_summary *out);
    int (*top)(mt_store *s, const mt_store_query *q, mt_store_top *out);
    int (*put_web)(mt_store *s, const mt_web_finding *f, size_t n);
    int (*web_present)(mt_store *s);
    int (*web_summary)(mt_store *s, const mt_store_web_query *q, mt_store_web_summary *out);
    int (*put_campaign)(mt_store *s, const mt_campaign *c);
    int (*put_botsource)(mt_store *s, const mt_botsource *src);
    int (*put_credstat)(mt_store *s, const mt_credstat *c);
    int (*botnet_present)(mt_store *s);
    int (*botnet_summary)(mt_store *s, const mt_store_botnet_query *q, mt_store_botnet_summary *out);
    int (*indicators)(mt_store *s, const mt_store_indicator_query *q, mt_store_indicators *out);
} mt_store_ops;

/* The part of every backend's handle the generic layer reads; a backend's
 * own struct starts with it. */
struct mt_store {
    const mt_store_ops *ops;
    int version;                   /* schema version of the database */
    uint64_t n_new, n_dup;         /* kept by the backend */
};

#endif
