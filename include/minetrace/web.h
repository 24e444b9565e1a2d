/* minetrace — website findings: what the website scanner concludes about a
 * site, as sinks receive it (issue 8).
 *
 * A web finding is one piece of evidence that a site runs a browser miner:
 * a block-list hit, a miner API call with its site key, a CryptoNight Wasm
 * module, a Stratum-over-WebSocket endpoint, ... The JSON form is an EVE
 * record with event_type "web" (docs/FINDINGS.md); the stored form is the
 * table web_findings (docs/STORE.md). Every text field may hold
 * attacker-controlled bytes: sinks escape them, the scanner never does.
 *
 * Fields are fixed-size arrays, as in mt_finding, so a scanner fills one
 * on the stack with no allocation per finding; longer values are cut
 * (mt_strlcpy). */
#ifndef MINETRACE_WEB_H
#define MINETRACE_WEB_H

#include <string.h>

#include "minetrace/common.h"

#define MT_EVENT_WEB "web"

/* provider when the miner family is not known */
#define MT_WEB_PROVIDER_UNKNOWN "unknown"

typedef struct mt_web_finding {
    mt_time_us ts;            /* the record's WARC-Date (or fetch time) */
    char domain[256];         /* the site: registrable domain of the page's host */
    char url[2048];           /* the page */
    char resource[2048];      /* script / Wasm / WebSocket URL holding the evidence; "" = the page */
    uint32_t rank;            /* popularity rank (Tranco/Alexa); 0 = unknown */
    char category[64];        /* site category (UT1-style); "" = unknown */
    char provider[32];        /* coinhive, cryptoloot, coinimp, webminerpool, jsecoin,
                                 deepminer, cryptonoter, ..., or "unknown" */
    char site_key[128];       /* the miner's site key / user; "" when none */
    char kind[32];            /* blocklist, api, config, wasm, websocket, packed, captcha, ... */
    int confidence;           /* 0..100 */
    char evidence[512];       /* short human text: what was seen */
} mt_web_finding;

/* Zeroes the finding and sets provider "unknown" (inline: the scanner's
 * layer sits below the store and links only util). */
static inline void mt_web_finding_init(mt_web_finding *f)
{
    memset(f, 0, sizeof *f);
    memcpy(f->provider, MT_WEB_PROVIDER_UNKNOWN, sizeof MT_WEB_PROVIDER_UNKNOWN);
}

/* Where web findings go: the JSONL writer (store/finding_json.h) and the
 * store (mt_store_web_sink_new in store.h). The parallel of the engine's
 * mt_sink for mt_finding, kept apart so that the traffic path and its
 * output do not change. emit and flush return MT_OK or a negative MT_E*;
 * close flushes and frees the sink. */
typedef struct mt_web_sink mt_web_sink;
struct mt_web_sink {
    const char *name;
    int (*emit_web)(mt_web_sink *s, const mt_web_finding *f);
    int (*flush)(mt_web_sink *s);
    void (*close)(mt_web_sink *s);
    void *ctx;
};

#endif
