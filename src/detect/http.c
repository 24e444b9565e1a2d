/* Detector 'http': miners talking HTTP, and browser-miner scripts fetched
 * over HTTP.
 *
 * Indicators of one request (each is reported at most once per flow; the
 * new indicators of a request are folded into one finding whose confidence
 * is the strongest one, +5 per extra indicator, capped at 99):
 *   AGENT  User-Agent of miner software (mt_intel_match_agent): XMRig/,
 *          xmr-stak, cpuminer, cgminer, bfgminer, ccminer, ethminer, poclbm,
 *          rhminer, Lemon-Duck-*, libredtail-http ...            80 (C2 90)
 *   XME    X-Mining-Extensions request header (getwork/GBT miners)    90
 *   XSTR   X-Stratum request header                                    70
 *   RPC    JSON-RPC method in the body prefix: getwork,
 *          getblocktemplate, submitblock, eth_getWork, eth_submitWork,
 *          eth_submitHashrate, eth_submitLogin                          85
 *   PATH   miner script / Wasm path in the URI: the intel's URL path
 *          rules (mt_intel_match_path; the builtin ones restate the NoCoin
 *          adblock list's "General blocking" rules): distinctive names,
 *          category browser-miner, their weight (75); generic names
 *          ("/miner.js", "/hash.wasm") only count together with another
 *          indicator.
 *   HOST   Host header listed with a mining category               weight
 * Protocol: "getblocktemplate" / "getwork" when the body says so, else
 * "http". agent = User-Agent, pool = Host (or the server address).
 * The same evidence (agent, rule, method, Host) from the same client to the
 * same server and port is reported once per run (cgminer opens a new
 * connection for every getwork request). */
#include "detect/confidence.h"
#include "detect/detectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/flowmark.h"
#include "util/buf.h"
#include "util/hostport.h"
#include "util/json.h"

enum { I_AGENT = 1u << 0, I_XME = 1u << 1, I_XSTR = 1u << 2, I_RPC = 1u << 3,
       I_PATH = 1u << 4, I_HOST = 1u << 5 };

#define FLOW_SLOTS (1u << 14)
#define SEEN_SLOTS (1u << 15)

/* JSON-RPC "method" of the body prefix (an object, or the first call of a
 * batch). The prefix is often cut, so the reader keeps what was complete;
 * a method too long for out is no method. */
#define BODY_TOKENS 512
static int body_method(const uint8_t *b, size_t n, char *out, size_t cap)
{
    if (!b || n == 0) return 0;
    mt_jr_tok tok[BODY_TOKENS];
    mt_jr_doc d;
    mt_jr_init(&d, tok, BODY_TOKENS, NULL, 0);
    mt_jr_parse(&d, (const char *)b, n, MT_JR_PARTIAL | MT_JR_LAX_CTRL | MT_JR_TRAILING, 0);
    int call = mt_jr_is(&d, 0, MT_JR_ARRAY) ? mt_jr_first(&d, 0) : 0;
    int m = mt_jr_get(&d, call, "method");
    if (!mt_jr_is(&d, m, MT_JR_STRING) || cap == 0) return 0;
    /* decoded with room for one more character, to tell a cut from a fit */
    char tmp[128];
    if (cap > sizeof tmp - 4) cap = sizeof tmp - 4;
    size_t w = mt_jr_copy(&d, m, tmp, cap + 4);
    if (w >= cap) return 0;
    memcpy(out, tmp, w + 1);
    return 1;
}

typedef struct rpc_method {
    const char *name;
    const char *protocol;
    const char *family;
} rpc_method;

static const rpc_method rpc_methods[] = {
    {"getwork", "getwork", "bitcoin-miner"},
    {"getblocktemplate", "getblocktemplate", "bitcoin-miner"},
    {"submitblock", "getblocktemplate", "bitcoin-miner"},
    {"eth_getWork", "getwork", "ethereum-miner"},
    {"eth_submitWork", "getwork", "ethereum-miner"},
    {"eth_submitHashrate", "getwork", "ethereum-miner"},
    {"eth_submitLogin", "getwork", "ethereum-miner"},
};

static const rpc_method *match_rpc(const mt_http_request *r)
{
    char m[64];
    if (!body_method(r->body, r->body_len, m, sizeof m)) return NULL;
    for (size_t i = 0; i < sizeof rpc_methods / sizeof rpc_methods[0]; i++)
        if (strcmp(m, rpc_methods[i].name) == 0) return &rpc_methods[i];
    return NULL;
}

/* Ethereum getwork miners put the wallet in the URI: /?miner=30@0x<40 hex>@rig
 * or /0x<40 hex>/rig. First 0x + 40 hex digits. */
static void uri_wallet(const char *uri, char *out, size_t cap)
{
    for (const char *p = uri; *p; p++) {
        if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) continue;
        size_t k = 0;
        while (k < 40 && p[2 + k] && strchr("0123456789abcdefABCDEF", p[2 + k])) k++;
        if (k == 40 && !(p[42] && strchr("0123456789abcdefABCDEF", p[42]))) {
            mt_memlcpy(out, cap, p, 42);
            return;
        }
    }
}

typedef struct http_state {
    mt_flowmark *flows; /* indicator bits reported per flow */
    mt_seenset *seen;   /* (client, server, port, bits, agent) across flows */
    /* The last User-Agent matched and its answer: a miner sends the same
     * agent with every request (cgminer opens a connection per getwork), and
     * matching it against the agent list is the detector's largest cost.
     * The engine's intel does not change during a run. */
    char last_ua[sizeof ((mt_http_request *)0)->user_agent];
    int last_hit;
    const char *last_name, *last_fam;
} http_state;

static int match_agent(http_state *st, const mt_intel *intel, const char *ua,
                       const char **name, const char **fam)
{
    if (strcmp(ua, st->last_ua) != 0) {
        st->last_hit = mt_intel_match_agent(intel, ua, &st->last_name, &st->last_fam);
        mt_strlcpy(st->last_ua, ua, sizeof st->last_ua);
    }
    *name = st->last_name;
    *fam = st->last_fam;
    return st->last_hit;
}

static int init(mt_engine *e, void **state)
{
    (void)e;
    http_state *s = mt_xcalloc(1, sizeof *s);
    s->flows = mt_flowmark_new(FLOW_SLOTS);
    s->seen = mt_seenset_new(SEEN_SLOTS);
    *state = s;
    return MT_OK;
}

static void free_state(void *state)
{
    http_state *s = state;
    if (!s) return;
    mt_flowmark_free(s->flows);
    mt_seenset_free(s->seen);
    free(s);
}

/* Append "; text" (or "text" when empty) to the evidence, bounded. */
static void add_ev(char *ev, size_t cap, const char *text)
{
    size_t n = strlen(ev);
    if (n + 3 >= cap) return;
    if (n) { ev[n++] = ';'; ev[n++] = ' '; ev[n] = '\0'; }
    mt_strlcpy(ev + n, text, cap - n);
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    http_state *st = state;
    mt_flowmark *fm = st->flows;
    if (ev->type == MT_EV_FLOW_END) {
        if (mt_flow_may_have(ev->u.flow, MT_EV_HTTP_REQUEST)) mt_flowmark_drop(fm, ev);
        return;
    }
    if (ev->type != MT_EV_HTTP_REQUEST || !ev->u.http) return;
    const mt_http_request *r = ev->u.http;
    const mt_intel *intel = mt_engine_intel(e);

    uint32_t found = 0;
    int conf = 0, n_ind = 0;
    const char *family = NULL, *protocol = "http";
    char evidence[512];
    evidence[0] = '\0'; /* no memset of all 512 bytes per request */
    char host[MT_NAME_MAX];
    mt_hostport_host(r->host, host, sizeof host);

    const char *aname = NULL, *afam = NULL;
    if (r->user_agent[0] && match_agent(st, intel, r->user_agent, &aname, &afam)) {
        found |= I_AGENT;
        int c = (afam && (!strcmp(afam, "lemonduck") || !strcmp(afam, "redtail"))) ? MT_CONF_STRONG : MT_CONF_LIKELY;
        if (c > conf) conf = c;
        family = afam;
        char t[256];
        mt_textbuf tb = mt_textbuf_start(t, sizeof t);
        mt_textbuf_puts(&tb, "miner User-Agent ");
        mt_textbuf_put(&tb, r->user_agent, 200);
        add_ev(evidence, sizeof evidence, t);
    }
    if (r->has_x_mining_extensions) {
        found |= I_XME;
        if (MT_CONF_STRONG > conf) conf = MT_CONF_STRONG;
        add_ev(evidence, sizeof evidence, "X-Mining-Extensions header");
    }
    if (r->has_x_stratum) {
        found |= I_XSTR;
        if (MT_CONF_INDICATIVE > conf) conf = MT_CONF_INDICATIVE;
        add_ev(evidence, sizeof evidence, "X-Stratum request header");
    }
    const rpc_method *rm = match_rpc(r);
    if (rm) {
        found |= I_RPC;
        if (MT_CONF_WORK > conf) conf = MT_CONF_WORK;
        protocol = rm->protocol;
        if (!family) family = rm->family;
        char t[96];
        mt_textbuf tb = mt_textbuf_start(t, sizeof t);
        mt_textbuf_puts(&tb, "JSON-RPC ");
        mt_textbuf_puts(&tb, rm->name);
        mt_textbuf_puts(&tb, " in the request body");
        add_ev(evidence, sizeof evidence, t);
    }
    mt_intel_hit hit;
    int host_hit = host[0] && mt_intel_match_domain(intel, host, &hit);
    if (host_hit && hit.category == MT_CAT_ALLOW) return;
    if (host_hit && mt_intel_category_is_mining(hit.category)) {
        found |= I_HOST;
        if (hit.weight > conf) conf = hit.weight;
        if (!family && hit.family) family = hit.family;
        if (!family && hit.category == MT_CAT_BROWSER_MINER) family = "browser-miner";
        char t[200];
        mt_textbuf tb = mt_textbuf_start(t, sizeof t);
        mt_textbuf_puts(&tb, "Host ");
        mt_textbuf_put(&tb, host, 150);
        mt_textbuf_puts(&tb, " is a listed mining name");
        add_ev(evidence, sizeof evidence, t);
    }
    /* A path rule of a mining category is evidence alone; the others
     * (generic script names) only alongside another indicator. */
    mt_intel_hit ph;
    int path_hit = r->uri[0] && mt_intel_match_path(intel, r->uri, &ph);
    int path_alone = path_hit && mt_intel_category_is_mining(ph.category);
    if (path_hit && (path_alone || found)) {
        found |= I_PATH;
        if (path_alone && ph.weight > conf) conf = ph.weight;
        if (!family) family = "browser-miner";
        char t[128];
        mt_textbuf tb = mt_textbuf_start(t, sizeof t);
        mt_textbuf_puts(&tb, "browser-miner path rule ");
        mt_textbuf_puts(&tb, ph.matched);
        mt_textbuf_puts(&tb, " in the URI");
        add_ev(evidence, sizeof evidence, t);
    }
    if (!found) return;

    uint32_t done = mt_flowmark_get(fm, ev);
    uint32_t fresh = found & ~done;
    if (!fresh) return;
    mt_flowmark_set(fm, ev, found);
    /* miners that open a connection per request (cgminer getwork) would
     * otherwise repeat the same finding for every flow */
    uint64_t key = mt_addr_hash(&ev->cli, 0x68747470ULL);
    key = mt_addr_hash(&ev->srv, key) ^ ((uint64_t)ev->srv_port << 40) ^ ((uint64_t)found << 20);
    key = mt_hash_bytes(evidence, strlen(evidence), key); /* agent, rule, host, method */
    key = mt_hash_bytes(host, strlen(host), key);
    if (mt_seenset_test_add_day(st->seen, key, ev->ts)) return;
    for (uint32_t b = found; b; b &= b - 1) n_ind++;
    conf += MT_CONF_STEP * (n_ind - 1);
    if (conf > MT_CONF_CAP) conf = MT_CONF_CAP;

    mt_finding f;
    mt_finding_from_event(&f, ev, MT_KIND_HTTP);
    mt_strlcpy(f.protocol, protocol, sizeof f.protocol);
    mt_strlcpy(f.agent, r->user_agent, sizeof f.agent);
    if (host[0]) mt_strlcpy(f.pool, host, sizeof f.pool);
    else mt_addr_to_str(&ev->srv, f.pool, sizeof f.pool);
    mt_strlcpy(f.family, family ? family : "coin-miner", sizeof f.family);
    if (rm && rm->family && !strcmp(rm->family, "ethereum-miner"))
        uri_wallet(r->uri, f.wallet, sizeof f.wallet);
    f.confidence = conf;
    /* Truncation is intended: evidence is one bounded line. */
    mt_textbuf eb = mt_textbuf_start(f.evidence, sizeof f.evidence);
    mt_textbuf_puts(&eb, "HTTP ");
    mt_textbuf_put(&eb, r->method, 15);
    mt_textbuf_puts(&eb, " ");
    mt_textbuf_put(&eb, r->uri, 120);
    mt_textbuf_puts(&eb, ": ");
    mt_textbuf_put(&eb, evidence, 360);
    mt_engine_emit(e, &f);
}

const mt_detector mt_detector_http = {"http", init, on_event, NULL, free_state,
                                      MT_EV_BIT(MT_EV_HTTP_REQUEST) | MT_EV_BIT(MT_EV_FLOW_END)};
