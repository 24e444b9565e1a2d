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
 *   PATH   miner script / Wasm path in the URI, from the NoCoin adblock
 *          list's "General blocking" path rules (facts re-typed into our
 *          table): distinctive names 75; generic names ("/miner.js",
 *          "/hash.wasm") only count together with another indicator.
 *   HOST   Host header listed with a mining category               weight
 * Protocol: "getblocktemplate" / "getwork" when the body says so, else
 * "http". agent = User-Agent, pool = Host (or the server address).
 * The same evidence (agent, rule, method, Host) from the same client to the
 * same server and port is reported once per run (cgminer opens a new
 * connection for every getwork request). */
#include "detect/detectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/flowmark.h"
#include "util/json.h"

enum { I_AGENT = 1u << 0, I_XME = 1u << 1, I_XSTR = 1u << 2, I_RPC = 1u << 3,
       I_PATH = 1u << 4, I_HOST = 1u << 5 };

#define FLOW_SLOTS (1u << 14)
#define SEEN_SLOTS (1u << 15)

/* Path patterns: ABP substring rules, '*' = any run of characters. */
typedef struct path_rule {
    const char *pat;
    int strong; /* 0: only alongside another indicator */
} path_rule;

static const path_rule path_rules[] = {
    {"-coin-hive.js", 1},       {"-crypto-miner/", 1},      {"-monero-miner-", 1},
    {"-monero-miner.", 1},      {"-monero-miner/", 1},      {"/authedmine.", 1},
    {"/authedminer.js", 1},     {"/bitcoin-plus-miner/", 1}, {"/bitcoincore/?ref=", 0},
    {"/bootstrap.wasm", 0},     {"/browsermine.js", 1},     {"/c-hive.js", 1},
    {"/c.wasm", 0},             {"/cloudcoins.js", 1},      {"/cloudcoins.min.js", 1},
    {"/cn.wasm", 1},            {"/coin-hive-proxy-", 1},   {"/coinblind.js", 1},
    {"/coinblind_beta.", 1},    {"/coingofile.", 1},        {"/coinhive-proxy-", 1},
    {"/coinhive.min.js", 1},    {"/coinlab.js", 1},         {"/compact_miner?", 0},
    {"/crn.wasm", 1},           {"/crypta.js", 1},          {"/crypto-webminer.", 1},
    {"/cryptocpu.js", 1},       {"/cryptonight-worker.", 1}, {"/cryptonight.wasm", 1},
    {"/cryptonoter.", 1},       {"/deepminer.js", 1},       {"/deepminer.min.js", 1},
    {"/dprocessor.js", 0},      {"/hash.wasm", 0},          {"/helper.wasm", 0},
    {"/inject.js?key=", 0},     {"/jsecoin.*/?", 1},        {"/lhnhelpouttab-current.min.js", 0},
    {"/lib/crlt.js", 1},        {"/media/miner.", 0},       {"/mine/bitcoincore/", 1},
    {"/miner_proxy", 1},        {"/miner-ui.js", 1},        {"/miner.*/crypto-", 0},
    {"/miner.*/loader.", 0},    {"/miner.full.js", 0},      {"/miner.js", 0},
    {"/miner.min.js", 0},       {"/miner?key=", 1},         {"/minera.js", 1},
    {"/minero-proxy-", 1},      {"/minescripts.js", 1},     {"/nano.wasm", 0},
    {"/noblock.js", 0},         {"/obfus.min.js", 0},       {"/projectpoi.min.js", 1},
    {"/poolstatus?", 0},        {"/safelinkconverter.js", 0}, {"/script_cry.js", 1},
    {"/web_miner/", 1},         {"/webcoin.js", 1},         {"/webcoin.min.js", 1},
    {"/webmr.js", 1},           {"/webxmr.js", 1},          {"/wproxy", 0},
    {"/xminer.js", 1},          {"/xminer.min.js", 1},      {"/xmr-monero.js", 1},
    {"/xmr.js", 0},             {"/xmr.min.js", 0},         {"?*.spacepools.", 1},
    {".spacepools.*:", 1},      {".aspx?poolid=", 0},       {".cfm?poolid=", 0},
    {"=ws://*?pool=", 1},       {"=ws://*?pools=", 1},      {"=wss://*?pool=", 1},
    {"=wss://*?pools=", 1},     {"?proxy=*?pool=", 1},      {"?proxy=*?pools=", 1},
    {"?proxy=ws://", 1},        {"?proxy=wss://", 1},
    /* not in the adblock list's path section but named in its domain rules
     * and in ET sid 2024721 / the brief */
    {"/coinhive.js", 1},        {"/coin-hive.js", 1},       {"/cryptoloot.", 1},
    {"/crypto-loot.", 1},
};

static int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Does the glob ('*' wildcard) occur anywhere in the lower-cased s?
 * Segments are found left to right with strstr (leftmost match first is
 * enough for patterns whose only wildcard is '*'); no backtracking. */
static int glob_in(const char *s, const char *pat)
{
    const char *from = s;
    char seg[64];
    while (*pat) {
        size_t n = strcspn(pat, "*");
        if (n) {
            if (n >= sizeof seg) return 0;
            memcpy(seg, pat, n);
            seg[n] = '\0';
            const char *hit = strstr(from, seg);
            if (!hit) return 0;
            from = hit + n;
        }
        pat += n;
        if (*pat == '*') pat++;
    }
    return 1;
}

/* Trigram prefilter: a rule can only match if the first three bytes of its
 * first literal segment occur in the URI. Trigrams are hashed into 4096
 * slots; match_path collects, in one pass over the URI, the rules whose
 * slot occurs and tries only those (with a strstr per segment). Rules whose
 * first segment is shorter are always tried. */
#define N_RULES (sizeof path_rules / sizeof path_rules[0])
static inline unsigned trigram(const char *p)
{
    return ((unsigned)(unsigned char)p[0] * 961u + (unsigned)(unsigned char)p[1] * 31u +
            (unsigned char)p[2]) & 4095u;
}

static int rule_trigram(const char *pat)
{
    size_t n = strcspn(pat, "*");
    return n >= 3 ? (int)trigram(pat) : -1;
}

/* Candidate rules as a bit set over the rule table (two words). */
#define MASK_WORDS ((N_RULES + 63) / 64)
typedef struct rule_mask {
    uint64_t w[MASK_WORDS];
} rule_mask;

/* Built once: for each trigram that starts some rule's first segment, the
 * set of those rules (tri_slot[t] = index + 1 into tri_masks; 0 = none);
 * and the rules that are always tried. */
static uint8_t tri_slot[4096];
static rule_mask tri_masks[N_RULES];
static rule_mask always_rules;
static int rules_ready;

static void rules_init(void)
{
    size_t used = 0;
    for (size_t i = 0; i < N_RULES; i++) {
        int t = rule_trigram(path_rules[i].pat);
        rule_mask *m = &always_rules;
        if (t >= 0) {
            if (!tri_slot[t]) tri_slot[t] = (uint8_t)++used;
            m = &tri_masks[tri_slot[t] - 1];
        }
        m->w[i / 64] |= 1ULL << (i % 64);
    }
    rules_ready = 1;
}

/* One pass over the lower-cased URI collects the rules whose first trigram
 * occurs in it; only those are tried, in table order (strong rules win, then
 * the first weak one). The trigram check used to run per rule, for all of
 * them, on every request. */
static const path_rule *match_path(const char *uri_raw)
{
    _Static_assert(N_RULES < 255, "tri_slot holds rule-set indexes in a byte");
    if (!rules_ready) rules_init();
    char uri[sizeof ((mt_http_request *)0)->uri];
    size_t k = 0;
    for (; uri_raw[k] && k + 1 < sizeof uri; k++) uri[k] = (char)lc((unsigned char)uri_raw[k]);
    uri[k] = '\0';
    rule_mask cand = always_rules;
    for (size_t j = 0; j + 3 <= k; j++) {
        unsigned slot = tri_slot[trigram(uri + j)];
        if (slot)
            for (size_t w = 0; w < MASK_WORDS; w++) cand.w[w] |= tri_masks[slot - 1].w[w];
    }
    const path_rule *weak = NULL;
    for (size_t w = 0; w < MASK_WORDS; w++) {
        for (uint64_t bits = cand.w[w]; bits; bits &= bits - 1) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
            if (glob_in(uri, path_rules[i].pat)) {
                if (path_rules[i].strong) return &path_rules[i];
                if (!weak) weak = &path_rules[i];
            }
        }
    }
    return weak;
}

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

/* Host without port / brackets, into out. */
static void host_only(const char *h, char *out, size_t cap)
{
    if (h[0] == '[') {
        const char *e = strchr(h, ']');
        size_t n = e ? (size_t)(e - h - 1) : strlen(h + 1);
        mt_memlcpy(out, cap, h + 1, n);
        return;
    }
    const char *c = strchr(h, ':');
    if (c && strchr(c + 1, ':')) c = NULL; /* bare IPv6: leave as is */
    mt_memlcpy(out, cap, h, c ? (size_t)(c - h) : strlen(h));
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

/* Bounded text building by plain copies instead of snprintf: a capture of
 * getwork miners yields one finding per request, and the two formatted
 * strings each cost a visible share of the run. put_str(b, s, max) appends
 * at most max bytes of s, as "%.<max>s" would; like snprintf, the result is
 * cut at cap - 1 bytes and always terminated. */
typedef struct textbuf {
    char *p;
    size_t cap, n;
} textbuf;

static textbuf text_start(char *p, size_t cap)
{
    p[0] = '\0';
    return (textbuf){p, cap, 0};
}

static void put_str(textbuf *b, const char *str, size_t max)
{
    if (b->n + 1 >= b->cap) return;
    size_t l = strnlen(str, max), room = b->cap - 1 - b->n;
    if (l > room) l = room;
    memcpy(b->p + b->n, str, l);
    b->n += l;
    b->p[b->n] = '\0';
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
    host_only(r->host, host, sizeof host);

    const char *aname = NULL, *afam = NULL;
    if (r->user_agent[0] && match_agent(st, intel, r->user_agent, &aname, &afam)) {
        found |= I_AGENT;
        int c = (afam && (!strcmp(afam, "lemonduck") || !strcmp(afam, "redtail"))) ? 90 : 80;
        if (c > conf) conf = c;
        family = afam;
        char t[256];
        textbuf tb = text_start(t, sizeof t);
        put_str(&tb, "miner User-Agent ", SIZE_MAX);
        put_str(&tb, r->user_agent, 200);
        add_ev(evidence, sizeof evidence, t);
    }
    if (r->has_x_mining_extensions) {
        found |= I_XME;
        if (90 > conf) conf = 90;
        add_ev(evidence, sizeof evidence, "X-Mining-Extensions header");
    }
    if (r->has_x_stratum) {
        found |= I_XSTR;
        if (70 > conf) conf = 70;
        add_ev(evidence, sizeof evidence, "X-Stratum request header");
    }
    const rpc_method *rm = match_rpc(r);
    if (rm) {
        found |= I_RPC;
        if (85 > conf) conf = 85;
        protocol = rm->protocol;
        if (!family) family = rm->family;
        char t[96];
        textbuf tb = text_start(t, sizeof t);
        put_str(&tb, "JSON-RPC ", SIZE_MAX);
        put_str(&tb, rm->name, SIZE_MAX);
        put_str(&tb, " in the request body", SIZE_MAX);
        add_ev(evidence, sizeof evidence, t);
    }
    mt_intel_hit hit;
    int host_hit = host[0] && mt_intel_match_domain(intel, host, &hit);
    if (host_hit && hit.category == MT_CAT_ALLOW) return;
    if (host_hit && (hit.category == MT_CAT_POOL || hit.category == MT_CAT_BROWSER_MINER ||
                     hit.category == MT_CAT_MINER_C2)) {
        found |= I_HOST;
        if (hit.weight > conf) conf = hit.weight;
        if (!family && hit.family) family = hit.family;
        if (!family && hit.category == MT_CAT_BROWSER_MINER) family = "browser-miner";
        char t[200];
        textbuf tb = text_start(t, sizeof t);
        put_str(&tb, "Host ", SIZE_MAX);
        put_str(&tb, host, 150);
        put_str(&tb, " is a listed mining name", SIZE_MAX);
        add_ev(evidence, sizeof evidence, t);
    }
    const path_rule *pr = r->uri[0] ? match_path(r->uri) : NULL;
    if (pr && (pr->strong || found)) {
        found |= I_PATH;
        if (pr->strong && 75 > conf) conf = 75;
        if (!family) family = "browser-miner";
        char t[128];
        textbuf tb = text_start(t, sizeof t);
        put_str(&tb, "browser-miner path rule ", SIZE_MAX);
        put_str(&tb, pr->pat, SIZE_MAX);
        put_str(&tb, " in the URI", SIZE_MAX);
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
    if (mt_seenset_test_add(st->seen, key)) return;
    for (uint32_t b = found; b; b &= b - 1) n_ind++;
    conf += 5 * (n_ind - 1);
    if (conf > 99) conf = 99;

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
    textbuf eb = text_start(f.evidence, sizeof f.evidence);
    put_str(&eb, "HTTP ", SIZE_MAX);
    put_str(&eb, r->method, 15);
    put_str(&eb, " ", SIZE_MAX);
    put_str(&eb, r->uri, 120);
    put_str(&eb, ": ", SIZE_MAX);
    put_str(&eb, evidence, 360);
    mt_engine_emit(e, &f);
}

const mt_detector mt_detector_http = {"http", init, on_event, NULL, free_state,
                                      MT_EV_BIT(MT_EV_HTTP_REQUEST) | MT_EV_BIT(MT_EV_FLOW_END)};
