/* Detector 'websocket': browser-miner protocols inside WebSocket text
 * messages (already unmasked by the stream layer).
 *
 * Recognised message shapes (parsed with the bounded JSON reader):
 *   Coinhive model (also deepMiner, CryptoLoot and other clones):
 *     {"type":"auth","params":{"site_key":K,"user":U,..}}   C->S  90, wallet K,
 *                                                            worker U (User mode)
 *     {"type":"submit","params":{"job_id","nonce","result"}} C->S  85
 *     {"type":"job","params":{"blob","job_id"|"target"}}     S->C  85
 *     {"type":"authed","params":{"token"|"hashes"}}          S->C  80
 *     {"type":"hash_accepted","params":{"hashes"}}           S->C  85
 *   webminerpool:
 *     {"identifier":"handshake","pool","login",..}    90, wallet login, pool
 *     {"identifier":"job","blob",..} / "solved" / "hashsolved"           85
 *   Stratum tunnelled in WebSocket (deepMiner-style proxies, xmrig-proxy
 *   behind a WS bridge): "method" login / submit / job / keepalived /
 *   getjob / mining.* / eth_submitLogin with the usual params       85
 * Each flow reports at most twice: once for the first mining message and
 * once more when a message names a wallet / site key not yet reported.
 * Per-flow memory is dropped at MT_EV_FLOW_END.
 *
 * permessage-deflate (RFC 7692): every browser offers it; when the server
 * accepts, the browser compresses all it sends (RSV1 frames), which the
 * stream layer passes on as they are. A message that does not start like
 * JSON is therefore tried as one raw-DEFLATE message (proto/websocket.c,
 * one reusable inflater, no per-flow window): that decodes the first
 * message of a direction, which is the auth / login with the site key or
 * wallet; later messages that refer back into earlier ones stay unread.
 * Seen with Chromium against coin-hive-stratum (tests/data/wsminer). */
#include "detect/confidence.h"
#include "detect/detectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/flowmark.h"
#include "util/json.h"
#include "proto/websocket.h"
#include "util/hostport.h"

#define FLOW_SLOTS (1u << 14)
#define INFLATE_CAP 16384 /* miner messages are < 2 KB; a job with a long blob fits */
#define WS_TOKENS MT_JR_TOKENS_FOR(INFLATE_CAP) /* any inflated message; more values: refused */

typedef struct ws_state {
    mt_flowmark *fm;
    mt_ws_inflater *z; /* NULL if zlib could not start: no inflation */
    uint8_t out[INFLATE_CAP];
    mt_jr_tok tok[WS_TOKENS];
} ws_state;
enum { R_WORK = 1u << 0, R_WALLET = 1u << 1 };

typedef struct ws_hit {
    const char *protocol;
    const char *what;      /* message name for the evidence */
    int confidence;
    char wallet[256];
    char worker[128];
    char pool[256];
    char agent[256];
} ws_hit;

static int has(const mt_jr_doc *d, int o, const char *k)
{
    return mt_jr_get(d, o, k) >= 0;
}

static void copy_str(const mt_jr_doc *d, int o, const char *k, char *dst, size_t cap)
{
    int v = mt_jr_get(d, o, k);
    if (mt_jr_is(d, v, MT_JR_STRING)) mt_jr_copy(d, v, dst, cap);
}

static int coinhive(const mt_jr_doc *d, int root, ws_hit *h)
{
    int type, params;
    if (!mt_jr_is(d, (type = mt_jr_get(d, root, "type")), MT_JR_STRING)) return 0;
    if (!mt_jr_is(d, (params = mt_jr_get(d, root, "params")), MT_JR_OBJECT)) return 0;
    h->protocol = "coinhive-ws";
    if (mt_jr_streq(d, type, "auth") && has(d, params, "site_key")) {
        h->what = "auth";
        h->confidence = MT_CONF_STRONG;
        copy_str(d, params, "site_key", h->wallet, sizeof h->wallet);
        /* CoinHive.User(key, name): the name is the pool-side worker (the
         * coin-hive-stratum proxy logs in as "key.name"); null otherwise. */
        copy_str(d, params, "user", h->worker, sizeof h->worker);
        return 1;
    }
    if (mt_jr_streq(d, type, "submit") && has(d, params, "job_id") &&
        (has(d, params, "nonce") || has(d, params, "result"))) {
        h->what = "submit";
        h->confidence = MT_CONF_WORK;
        return 1;
    }
    if (mt_jr_streq(d, type, "job") && has(d, params, "blob") &&
        (has(d, params, "job_id") || has(d, params, "target"))) {
        h->what = "job";
        h->confidence = MT_CONF_WORK;
        return 1;
    }
    if (mt_jr_streq(d, type, "authed") && (has(d, params, "token") || has(d, params, "hashes"))) {
        h->what = "authed";
        h->confidence = MT_CONF_LIKELY;
        return 1;
    }
    if (mt_jr_streq(d, type, "hash_accepted") && has(d, params, "hashes")) {
        h->what = "hash_accepted";
        h->confidence = MT_CONF_WORK;
        return 1;
    }
    return 0;
}

static int webminerpool(const mt_jr_doc *d, int root, ws_hit *h)
{
    int id;
    if (!mt_jr_is(d, (id = mt_jr_get(d, root, "identifier")), MT_JR_STRING)) return 0;
    h->protocol = "webminerpool-ws";
    if (mt_jr_streq(d, id, "handshake") && (has(d, root, "login") || has(d, root, "pool"))) {
        h->what = "handshake";
        h->confidence = MT_CONF_STRONG;
        copy_str(d, root, "login", h->wallet, sizeof h->wallet);
        copy_str(d, root, "pool", h->pool, sizeof h->pool);
        return 1;
    }
    if (mt_jr_streq(d, id, "job") && has(d, root, "blob")) {
        h->what = "job";
        h->confidence = MT_CONF_WORK;
        return 1;
    }
    if (mt_jr_streq(d, id, "solved") && has(d, root, "job_id") && has(d, root, "nonce")) {
        h->what = "solved";
        h->confidence = MT_CONF_WORK;
        return 1;
    }
    if (mt_jr_streq(d, id, "hashsolved")) {
        h->what = "hashsolved";
        h->confidence = MT_CONF_LIKELY;
        return 1;
    }
    return 0;
}

static int stratum(const mt_jr_doc *d, int root, ws_hit *h)
{
    int m, params;
    if (!mt_jr_is(d, (m = mt_jr_get(d, root, "method")), MT_JR_STRING)) return 0;
    int hp = ((params = mt_jr_get(d, root, "params")) >= 0);
    h->protocol = "stratum-ws";
    h->confidence = MT_CONF_WORK;
    if (mt_jr_streq(d, m, "login") && hp && mt_jr_is(d, params, MT_JR_OBJECT) && has(d, params, "login")) {
        h->what = "login";
        copy_str(d, params, "login", h->wallet, sizeof h->wallet);
        copy_str(d, params, "agent", h->agent, sizeof h->agent);
        return 1;
    }
    if ((mt_jr_streq(d, m, "submit") || mt_jr_streq(d, m, "keepalived")) && hp &&
        mt_jr_is(d, params, MT_JR_OBJECT) && has(d, params, "id")) {
        h->what = "submit";
        return 1;
    }
    if (mt_jr_streq(d, m, "job") && hp && mt_jr_is(d, params, MT_JR_OBJECT) && has(d, params, "blob")) {
        h->what = "job";
        return 1;
    }
    static const char *const m_arr[] = {"mining.subscribe", "mining.authorize", "mining.submit",
                                        "mining.notify", "mining.set_difficulty",
                                        "eth_submitLogin", "eth_getWork", "eth_submitWork"};
    for (size_t i = 0; i < sizeof m_arr / sizeof m_arr[0]; i++) {
        if (mt_jr_streq(d, m, m_arr[i]) && hp && mt_jr_is(d, params, MT_JR_ARRAY)) {
            h->what = m_arr[i];
            if (!strcmp(m_arr[i], "mining.authorize") || !strcmp(m_arr[i], "eth_submitLogin")) {
                int p0;
                if (((p0 = mt_jr_at(d, params, 0)) >= 0) && mt_jr_is(d, p0, MT_JR_STRING))
                    mt_jr_copy(d, p0, h->wallet, sizeof h->wallet);
            }
            return 1;
        }
    }
    return 0;
}

static int init(mt_engine *e, void **state)
{
    (void)e;
    ws_state *st = calloc(1, sizeof *st);
    if (!st) return mt_error_set(MT_ENOMEM, "websocket detector: out of memory");
    st->fm = mt_flowmark_new(FLOW_SLOTS);
    st->z = mt_ws_inflater_new();
    *state = st;
    return MT_OK;
}

static void free_state(void *state)
{
    ws_state *st = state;
    if (!st) return;
    mt_flowmark_free(st->fm);
    mt_ws_inflater_free(st->z);
    free(st);
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    ws_state *st = state;
    mt_flowmark *fm = st->fm;
    if (ev->type == MT_EV_FLOW_END) {
        if (mt_flow_may_have(ev->u.flow, MT_EV_WS_MSG)) mt_flowmark_drop(fm, ev);
        return;
    }
    if (ev->type != MT_EV_WS_MSG || !ev->u.ws || !ev->u.ws->text) return;
    const mt_ws_msg *w = ev->u.ws;
    const char *text = w->text;
    size_t len = w->len;
    int inflated = w->inflated; /* by the stream layer, through a kept context */
    /* skip leading whitespace; only objects are of interest */
    size_t off = 0;
    while (off < len && (text[off] == ' ' || text[off] == '\n' || text[off] == '\r' ||
                         text[off] == '\t')) off++;
    if (off < len && text[off] != '{' && st->z) {
        /* maybe a permessage-deflate message: decodable alone? */
        size_t n = 0;
        if (mt_ws_inflate(st->z, (const uint8_t *)text, len, st->out, sizeof st->out, &n) != MT_OK)
            return;
        text = (const char *)st->out;
        len = n;
        inflated = 1;
        off = 0;
        while (off < len && (text[off] == ' ' || text[off] == '\n' || text[off] == '\r' ||
                             text[off] == '\t')) off++;
    }
    if (off >= len || text[off] != '{') return;
    mt_jr_doc doc, *d = &doc;
    mt_jr_init(d, st->tok, WS_TOKENS, NULL, 0);
    if (mt_jr_parse(d, text + off, len - off, MT_JR_LAX_CTRL | MT_JR_TRAILING, 32) != MT_OK ||
        !mt_jr_is(d, 0, MT_JR_OBJECT))
        return;
    ws_hit h;
    memset(&h, 0, sizeof h);
    if (!coinhive(d, 0, &h) && !webminerpool(d, 0, &h) && !stratum(d, 0, &h)) return;

    uint32_t bits = R_WORK | (h.wallet[0] ? R_WALLET : 0);
    uint32_t done = mt_flowmark_get(fm, ev);
    if (!(bits & ~done)) return;
    mt_flowmark_set(fm, ev, bits);

    mt_finding f;
    mt_finding_from_event(&f, ev, MT_KIND_WEBSOCKET);
    mt_strlcpy(f.protocol, h.protocol, sizeof f.protocol);
    mt_strlcpy(f.wallet, h.wallet, sizeof f.wallet);
    mt_strlcpy(f.agent, h.agent, sizeof f.agent);
    mt_strlcpy(f.worker, h.worker, sizeof f.worker);
    if (h.pool[0]) {
        mt_strlcpy(f.pool, h.pool, sizeof f.pool);
    } else if (w->host[0]) {
        mt_hostport_host(w->host, f.pool, sizeof f.pool);
    } else {
        mt_addr_to_str(&ev->srv, f.pool, sizeof f.pool);
    }
    const char *aname = NULL, *afam = NULL;
    if (h.agent[0] && mt_intel_match_agent(mt_engine_intel(e), h.agent, &aname, &afam) && afam)
        mt_strlcpy(f.family, afam, sizeof f.family);
    else
        mt_strlcpy(f.family, "browser-miner", sizeof f.family);
    f.confidence = h.confidence;
    snprintf(f.evidence, sizeof f.evidence, "WebSocket %s message \"%s\"%s %s %.100s%.100s%s%.60s",
             h.protocol, h.what, inflated ? " (permessage-deflate)" : "",
             (ev->flags & MT_EVF_TO_SERVER) ? "to" : "from", w->host[0] ? w->host : f.pool, w->uri,
             h.wallet[0] ? ", key/wallet " : "", h.wallet);
    /* A site key or wallet on a loaded list: only such a list changes the
     * finding. */
    const mt_intel *in = mt_engine_intel(e);
    mt_intel_hit kh;
    int site = h.wallet[0] && mt_intel_match_sitekey(in, h.wallet, &kh);
    if (site || (h.wallet[0] && mt_intel_match_wallet(in, h.wallet, &kh))) {
        if (mt_intel_category_is_mining(kh.category) && kh.weight > f.confidence)
            f.confidence = kh.weight;
        size_t n = strlen(f.evidence);
        snprintf(f.evidence + n, sizeof f.evidence - n, "; listed %s (list %.60s)",
                 site ? "site key" : "wallet", kh.source);
    }
    mt_engine_emit(e, &f);
}

const mt_detector mt_detector_websocket = {"websocket", init, on_event, NULL, free_state,
                                           MT_EV_BIT(MT_EV_WS_MSG) | MT_EV_BIT(MT_EV_FLOW_END)};
