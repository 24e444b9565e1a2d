/* The static script/HTML analyser of the website scanner: miner API calls
 * and configuration (with the site key, wallet or publisher id), captcha and
 * hidden-miner markup, WordPress miner plugin options, Stratum-over-WebSocket
 * endpoints, pool names, MinerBlock's duck-typed miner shapes read
 * statically, and the same again inside packed scripts (unpack.h). The
 * signatures are YARA rules (rules/web_miners.yar, built into the program;
 * users add theirs), and one Hyperscan pass over the text decides which
 * rules run, where packers start and where references lie, so a page with
 * no trigger costs that one pass. docs/WEB.md "Script signatures" lists the
 * rules' metadata. */
#ifndef MT_WEB_JSSCAN_H
#define MT_WEB_JSSCAN_H

#include <stddef.h>
#include <stdint.h>

#define MT_WEB_KEY_MAX 128
#define MT_WEB_EVIDENCE_MAX 200
#define MT_WEB_URL_MAX 512

typedef struct mt_web_hit {
    const char *provider;   /* coinhive, authedmine, cryptoloot, coinimp, webminepool, webminerpool, jsecoin,
                               deepminer, cryptonoter, minero, ppoi, ..., "unknown" (static string) */
    const char *kind;       /* "api", "config", "captcha", "websocket", "packed", "pool", "wordpress",
                               "ducktype"; "yara" for a user rule without a kind (static) */
    char site_key[MT_WEB_KEY_MAX]; /* extracted key / wallet / publisher id, "" if none;
                                      128 so that a Monero address (95, integrated 106) fits whole;
                                      a longer value ends in "..." */
    char evidence[MT_WEB_EVIDENCE_MAX]; /* what matched, e.g. "CoinHive.Anonymous('<key>') call" */
    int confidence;         /* 0-100, src/detect/confidence.h's scale */
    uint32_t offset;        /* byte offset in the scanned text (for a packed hit: of the packer) */
} mt_web_hit;

enum { MT_REF_SCRIPT = 1, MT_REF_WORKER, MT_REF_WASM, MT_REF_WEBSOCKET, MT_REF_IFRAME };

/* URLs found in a page or script, as written (relative URLs stay relative;
 * HTML entities &amp; are decoded). The caller owns the arrays; set n = 0 to
 * reuse them, mt_web_refs_free releases them. The collector grows them
 * (realloc: a caller keeps the pointers it gets back) up to MT_WEB_REFS_MAX
 * URLs per text, so a page of a million script tags costs bounded memory
 * and time; the URLs past it are not collected. */
#define MT_WEB_REFS_MAX 4096
typedef struct mt_web_refs {
    char (*url)[MT_WEB_URL_MAX];
    unsigned char *type; /* MT_REF_* */
    size_t n, cap;
} mt_web_refs;

void mt_web_refs_free(mt_web_refs *r);
const char *mt_web_ref_type_name(unsigned type); /* "script", "worker", "wasm", "websocket", "iframe" */

typedef struct mt_jsscan mt_jsscan; /* compiled rules and scratch; one per thread */

/* Compiles the built-in rules and, if extra_yara_path is not NULL, the
 * user's file beside them. NULL with mt_error_set() on a rule file that does
 * not compile (the YARA message with file and line). */
mt_jsscan *mt_jsscan_new(const char *extra_yara_path);
void mt_jsscan_free(mt_jsscan *s);

/* Scans HTML or JS text; fills up to max hits, returns the number found
 * (more than max: counted, not stored). refs may be NULL. The references
 * are <script src>, <iframe src>, new Worker(...), importScripts(...),
 * WebSocket URLs (passed to WebSocket() or written as "wss://" literals) and
 * ".wasm" literals (fetched or instantiated); tags are read in scripts too,
 * which write them with document.write. An HTML page is scanned whole: its
 * inline <script> bodies and its markup (captcha and hidden-miner divs) at
 * once. is_html is kept for callers' clarity and future HTML-only rules. */
size_t mt_jsscan_text(mt_jsscan *s, const char *text, size_t n, int is_html, mt_web_hit *hits, size_t max,
                      mt_web_refs *refs);

/* Counters of the unpacker's bounds, cumulative over the scanner's life. */
typedef struct mt_jsscan_stats {
    uint64_t texts, bytes, yara_runs, unpacked, unpack_bytes, unpack_cut;
} mt_jsscan_stats;
void mt_jsscan_get_stats(const mt_jsscan *s, mt_jsscan_stats *out);

#endif
