/* The website scanner's body: crawl records in, web findings out.
 *
 * A site is a registrable domain. A page alone often shows nothing: the
 * miner sits in a same-site script under a harmless name, or in a Wasm
 * module that script loads. So each page's references (script, worker,
 * Wasm, WebSocket URLs) are remembered for the site, and when the crawl
 * holds the referenced resource its evidence is the site's, whichever
 * record comes first. Memory is bounded: sites, references and pending
 * resource evidence live in fixed tables whose oldest entries give way
 * (counted), so a top-1M crawl runs in the same memory as a small one. */
#ifndef MT_WEB_SCAN_H
#define MT_WEB_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/warc.h"
#include "minetrace/intel.h"
#include "minetrace/web.h"
#include "web/siteinfo.h"

typedef struct mt_webscan mt_webscan;

typedef struct mt_webscan_opts {
    const mt_intel *intel;   /* block lists and URL rules (may be NULL) */
    const mt_siteinfo *si;   /* ranks, categories, registrable domains (required) */
    const char *rules_path;  /* extra YARA rules (may be NULL) */
    int min_confidence;      /* findings below are dropped (counted) */
    size_t max_sites;        /* sites remembered for verdicts and references (default 65536) */
    size_t max_refs;         /* resource URLs remembered (default 262144) */
} mt_webscan_opts;

typedef struct mt_webscan_stats {
    uint64_t records, pages, scripts, wasm_files, other, skipped_revisit, skipped_status;
    uint64_t embedded_wasm, wasm_invalid, refs, refs_followed, pending_used, pending_unclaimed;
    uint64_t findings, findings_dropped, duplicates, sites_seen, sites_evicted, refs_evicted;
} mt_webscan_stats;

/* One verdict per site that has findings (scan --sites style). */
typedef struct mt_web_site_verdict {
    char domain[256];
    uint32_t rank;
    char category[64];
    int confidence;          /* the strongest finding's */
    uint32_t findings;
    char providers[128];     /* comma-separated, first four */
    char site_keys[256];     /* comma-separated, first four */
    char kinds[128];
    mt_time_us first, last;
} mt_web_site_verdict;

/* NULL and mt_error_msg() when the rules cannot be compiled. Sinks are
 * borrowed. */
mt_webscan *mt_webscan_new(const mt_webscan_opts *o, mt_web_sink **sinks, size_t n_sinks);
void mt_webscan_free(mt_webscan *w);
/* An mt_web_record_fn: ctx is the mt_webscan. */
int mt_webscan_record(void *ctx, const mt_web_record *r);
/* End of input: flushes the sinks. */
void mt_webscan_finish(mt_webscan *w);
/* NULL, or the message of the first sink failure (a store that cannot
 * write, a full disk): that sink gets no more findings and the caller
 * ends the run with exit status 2. */
const char *mt_webscan_sink_error(const mt_webscan *w);
const mt_webscan_stats *mt_webscan_get_stats(const mt_webscan *w);
/* Verdicts of the sites still remembered whose strongest finding reaches
 * MT_STORE_WEB_MIN_CONFIDENCE (the report's threshold for a mining site),
 * strongest first; *out to free(). */
size_t mt_webscan_sites(const mt_webscan *w, mt_web_site_verdict **out);

#endif
