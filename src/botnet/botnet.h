/* The campaign engine (issue 9): honeypot events in, campaigns out.
 *
 * Per attack source (an IP) it keeps what the records need, in memory
 * proportional to the number of sources, not events: counters, a MinHash
 * signature of its credential set, the first few credentials, commands,
 * downloads, keys and client versions (bounded lists), its markers and
 * signals (botnet/actions.h) and its active days. At the end
 * (mt_botnet_finish) sources are joined into campaigns with union-find:
 * first by exact markers (same planted key, file hash, download host/URL,
 * wallet, pool, marker credential), then by credential-set similarity
 * (MinHash LSH, Jaccard >= opts.jaccard among sources with at least
 * opts.min_credentials distinct credentials); the union of both. Each
 * campaign with >= min_sources members gets its verdict (mt_family_decide)
 * and figures (active per day and peak, countries, port 22, IoT, top
 * credentials), and goes to the sinks with its members' source records. */
#ifndef MT_BOTNET_BOTNET_H
#define MT_BOTNET_BOTNET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/scanres.h"
#include "intel/geoip.h"
#include "intel/recog.h"
#include "minetrace/botnet.h"

typedef struct mt_botnet_opts {
    unsigned min_sources;        /* smallest campaign; 0 = 2 */
    double jaccard;              /* credential-set threshold; 0 = 0.5 */
    unsigned min_credentials;    /* sources clustered by credentials need this many; 0 = 5 */
    int want_sources;            /* 1: source records for every source (--sources) */
    size_t top_credentials;      /* credential records and per-campaign top list; 0 = 20 */
    const mt_geoip *geo;         /* country; may be NULL */
    const mt_geoip *asn;         /* ASN; may be NULL (geo is asked when it answers ASNs) */
    const mt_scanres *scans;     /* may be NULL */
    const mt_recog *recog;       /* may be NULL */
    int progress;                /* 1: "clustering N sources" lines about once a second */
    FILE *progress_out;          /* NULL = stderr */
} mt_botnet_opts;

typedef struct mt_botnet_stats {
    uint64_t events, events_nosrc, sources, sessions;
    uint64_t campaigns, mining_campaigns, clustered_sources;
    uint64_t marker_joins, similarity_joins;  /* union operations that merged two sets */
    uint64_t lsh_candidates;                  /* pairs compared */
    uint64_t geo_unknown, asn_unknown, scanned;
    uint64_t dropped_lists;                   /* list entries beyond a source's bounds */
    size_t memory;                            /* bytes held at the end (approx.) */
} mt_botnet_stats;

typedef struct mt_botnet mt_botnet;

mt_botnet *mt_botnet_new(const mt_botnet_opts *o);
void mt_botnet_free(mt_botnet *b);
/* The sink readers deliver to (ctx = b). */
mt_honey_sink mt_botnet_honey_sink(mt_botnet *b);
void mt_botnet_event(mt_botnet *b, const mt_honey_event *ev);
/* Cluster, decide, compute and emit: campaigns (mining first, then by
 * size), then with want_sources the source records, then the top
 * credential records, to each of the n sinks. MT_OK or the first sink's
 * error. Call once. */
int mt_botnet_finish(mt_botnet *b, mt_botnet_sink *const *sinks, size_t n);
void mt_botnet_stats_get(const mt_botnet *b, mt_botnet_stats *out);

#endif
