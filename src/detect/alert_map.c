/* Alerts of other IDSs mapped to the kinds and families of packet findings.
 *
 * Evidence, strongest first:
 *  1. the alert's payload (EVE payload_printable): a JSON-RPC mining
 *     message names its dialect (login/getjob/submit: XMRig, monero-miner;
 *     mining.*: Stratum V1, bitcoin-miner; eth_*: ethereum-miner), its
 *     agent (a miner program the intel knows names the family) and its
 *     role: a request travels from the miner, a job or notify from the pool.
 *  2. the signature id, for Emerging Threats Open's coin-mining and
 *     EternalBlue/DoublePulsar rules (the table below; SIDs, names and rule
 *     directions are facts read from ET Open's emerging-coinminer.rules and
 *     the mining / MS17-010 rules of its policy, exploit, user_agents,
 *     adware_pup, web_client and attack_response sets). A table hit needs
 *     an ET-style signature ("ET ..."), so a local rule that reuses a SID
 *     is not taken for ET's.
 *  3. the alert's own application fields: dns.query (kind dns), tls.sni
 *     (tls), http hostname/url/user agent (http), each also matched against
 *     the intel for the family, as the DNS, TLS and HTTP detectors do.
 *  4. words of the signature (DNS Lookup, TLS SNI, Stratum, User-Agent,
 *     ETERNALBLUE, ...), then the alert's app_proto.
 * What none of these places keeps kind "alert". */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/alert.h"
#include "minetrace/intel.h"

#define K_DNS MT_KIND_DNS
#define K_STR MT_KIND_STRATUM
#define K_TLS MT_KIND_TLS
#define K_HTTP MT_KIND_HTTP
#define K_WS MT_KIND_WEBSOCKET
#define K_SMB MT_KIND_SMB
#define K_ALERT MT_KIND_ALERT
#define C MT_AROLE_CLIENT
#define S MT_AROLE_SERVER

#define MONERO "monero-miner"
#define BITCOIN "bitcoin-miner"
#define BROWSER "browser-miner"
#define GENERIC "coin-miner"
#define C2 "miner-malware"

typedef struct sid_entry {
    uint32_t sid;
    uint8_t kind;
    uint8_t role;   /* who sends what the rule matches (flow:to_server = C) */
    uint8_t precursor;
    const char *family;   /* NULL: from the fields or the intel */
    const char *protocol;
} sid_entry;

/* Sorted by SID (binary search). */
static const sid_entry sids[] = {
    {2013059, K_HTTP, C, 0, BITCOIN, "getwork"},       /* ET POLICY BitCoin (getwork) */
    {2013391, K_HTTP, C, 0, BITCOIN, "http"},          /* Ufasoft bitcoin User-Agent */
    {2013457, K_HTTP, C, 0, BITCOIN, "http"},          /* BitCoin User-Agent */
    {2014535, K_HTTP, S, 0, BROWSER, "http"},          /* BitCoinPlus embedded miner */
    {2016067, K_HTTP, C, 0, BITCOIN, "http"},          /* BitCoin Miner User-Agent */
    {2016068, K_HTTP, C, 0, BITCOIN, "http"},          /* poclbm */
    {2016758, K_HTTP, C, 0, BITCOIN, "getblocktemplate"}, /* X-Mining-Extensions */
    {2017871, K_STR, C, 0, BITCOIN, "stratum-v1"},     /* Subscribe/Authorize */
    {2017872, K_STR, S, 0, BITCOIN, "stratum-v1"},     /* Mining.Notify initial */
    {2017873, K_STR, S, 0, BITCOIN, "stratum-v1"},     /* Mining.Notify work */
    {2017874, K_HTTP, C, 0, BITCOIN, "http"},          /* fake Flash Player miner */
    {2017878, K_HTTP, C, 0, BITCOIN, "getblocktemplate"},
    {2017879, K_HTTP, S, 0, BITCOIN, "getblocktemplate"},
    {2017960, K_HTTP, S, 0, BITCOIN, "http"},          /* X-Stratum header */
    {2018014, K_STR, C, 0, GENERIC, "protominer"},     /* PrimeCoin Protominer */
    {2019825, K_HTTP, C, 0, GENERIC, "http"},          /* Cryptexplorer API */
    {2022349, K_STR, C, 0, NULL, "stratum-v1"},        /* malicious authline (JAR) */
    {2022886, K_STR, C, 0, MONERO, "xmrig"},           /* Crypto Coin Miner Login */
    {2024216, K_SMB, S, 1, "wannamine", "smb1"},       /* DOUBLEPULSAR beacon response */
    {2024217, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE heap spray */
    {2024218, K_SMB, S, 1, "wannamine", "smb1"},       /* ETERNALBLUE echo response */
    {2024220, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE echo request */
    {2024297, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE exploit M2 */
    {2024430, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE exploit M3 */
    {2024454, K_STR, C, 0, NULL, "stratum-v1"},        /* malicious authline 2017-07-11 */
    {2024471, K_STR, C, 0, NULL, "stratum-v1"},        /* malicious authline 2017-07-17 */
    {2024720, K_TLS, S, 0, BROWSER, "tls"},            /* Coinhive Let's Encrypt cert */
    {2024721, K_HTTP, S, 0, BROWSER, "http"},          /* CoinHive in-browser miner */
    {2024766, K_SMB, C, 1, "wannamine", "smb1"},       /* DoublePulsar installation */
    {2024779, K_DNS, C, 0, BROWSER, "dns"},            /* browser mining domain */
    {2024785, K_TLS, C, 0, BROWSER, "tls"},            /* Coinhive SNI */
    {2024786, K_TLS, S, 0, BROWSER, "tls"},            /* Coinhive cert serial */
    {2024787, K_TLS, C, 0, BROWSER, "tls"},            /* Jsecoin SNI */
    {2024788, K_TLS, S, 0, BROWSER, "tls"},            /* Jsecoin cert serial */
    {2024792, K_STR, C, 0, MONERO, "xmrig"},           /* Cryptocurrency Miner Checkin */
    {2024828, K_DNS, C, 0, BROWSER, "dns"},            /* crypto-loot.com */
    {2025186, K_STR, C, 0, NULL, "stratum-v1"},        /* authline after CVE-2017-10271 */
    {2025451, K_DNS, C, 0, MONERO, "dns"},             /* xmr.pool.minergate.com */
    {2025535, K_TLS, C, 0, BROWSER, "tls"},            /* coin-hive.com SNI */
    {2025649, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE probe (MSF) */
    {2025650, K_SMB, S, 1, "wannamine", "smb1"},       /* vulnerable system response */
    {2025992, K_SMB, C, 1, "wannamine", "smb1"},       /* ETERNALBLUE probe (generic) */
    {2026474, K_HTTP, C, 0, GENERIC, "http"},          /* fake Flash update -> CoinMiner */
    {2026475, K_HTTP, C, 0, GENERIC, "http"},
    {2026750, K_STR, C, 0, GENERIC, "stratum-v1"},     /* rhminer (PascalCoin) */
    {2026867, K_DNS, C, 0, NULL, "dns"},               /* skypool.org */
    {2026868, K_WS, C, 0, BROWSER, "websocket"},       /* Nimiq miner to Skypool */
    {2027316, K_STR, C, 0, MONERO, "xmrig"},           /* Miner Checkin M2 */
    {2028623, K_TLS, S, 0, GENERIC, "tls"},            /* minerpool certificate */
    {2031464, K_HTTP, C, 0, C2, "http"},               /* Ymacco check-in */
    {2031465, K_HTTP, C, 0, C2, "http"},
    {2033268, K_DNS, C, 0, NULL, "dns"},               /* nanopool.org */
    {2033901, K_DNS, C, 0, NULL, "dns"},               /* herominers.com */
    {2034504, K_HTTP, S, 0, C2, "http"},               /* script killing other miners */
    {2035435, K_STR, C, 0, NULL, "stratum-v1"},        /* malicious authline 2022-03-11 */
    {2035436, K_STR, C, 0, NULL, "stratum-v1"},
    {2036289, K_DNS, C, 0, MONERO, "dns"},             /* pool.hashvault.pro */
    {2036997, K_ALERT, C, 0, C2, "ids-alert"},         /* Panchan mining rig CnC */
    {2040353, K_DNS, C, 0, MONERO, "dns"},             /* xmr.2miners.com */
    {2046702, K_ALERT, C, 0, C2, "ids-alert"},         /* Repl_it coin miner CnC */
    {2046703, K_STR, C, 0, GENERIC, "duino-coin"},     /* Duino-Coin miner */
    {2048922, K_DNS, C, 0, MONERO, "dns"},             /* monerohash.com */
    {2053874, K_DNS, C, 0, MONERO, "dns"},             /* xmrminingproxy.com */
    {2059794, K_HTTP, S, 0, C2, "http"},               /* CoinMiner config inbound */
};

static const sid_entry *sid_find(const mt_alert *a)
{
    if (a->signature_id < 2000000 || a->signature_id > 2999999) return NULL;
    if (strncmp(a->signature, "ET ", 3) != 0) return NULL;
    size_t lo = 0, hi = sizeof sids / sizeof sids[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sids[mid].sid == a->signature_id) return &sids[mid];
        if (sids[mid].sid < a->signature_id) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static int has_ci(const char *s, const char *w) { return strcasestr(s, w) != NULL; }

int mt_alert_is_precursor_name(const char *sig)
{
    return has_ci(sig, "eternalblue") || has_ci(sig, "doublepulsar") ||
           has_ci(sig, "ms17-010");
}

int mt_alert_sid_known(const mt_alert *a)
{
    const sid_entry *e = sid_find(a);
    return e != NULL;
}

/* The string value of the first "key": "value" in text (a payload, maybe cut
 * or with '.' for unprintable bytes); 1 when found. */
static int json_str(const char *text, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
        if (p == text || p[-1] != '"' || p[kl] != '"') continue;
        const char *q = p + kl + 1;
        while (*q == ' ' || *q == '\t') q++;
        if (*q++ != ':') continue;
        while (*q == ' ' || *q == '\t') q++;
        if (*q++ != '"') continue;
        size_t n = 0;
        while (*q && *q != '"' && *q != '\\' && n + 1 < cap) out[n++] = *q++;
        out[n] = '\0';
        return n > 0;
    }
    return 0;
}

typedef struct method_role {
    const char *method;
    uint8_t role;
    uint8_t kind;
    const char *family;
    const char *protocol;
} method_role;

/* Methods of the mining dialects (docs/PROTOCOLS.md), with who sends them. */
static const method_role methods[] = {
    {"login", C, K_STR, MONERO, "xmrig"},
    {"getjob", C, K_STR, MONERO, "xmrig"},
    {"submit", C, K_STR, MONERO, "xmrig"},
    {"keepalived", C, K_STR, MONERO, "xmrig"},
    {"job", S, K_STR, MONERO, "xmrig"},
    {"mining.subscribe", C, K_STR, BITCOIN, "stratum-v1"},
    {"mining.authorize", C, K_STR, BITCOIN, "stratum-v1"},
    {"mining.submit", C, K_STR, BITCOIN, "stratum-v1"},
    {"mining.extranonce.subscribe", C, K_STR, BITCOIN, "stratum-v1"},
    {"mining.notify", S, K_STR, BITCOIN, "stratum-v1"},
    {"mining.set_difficulty", S, K_STR, BITCOIN, "stratum-v1"},
    {"mining.set_target", S, K_STR, BITCOIN, "stratum-v1"},
    {"mining.set_extranonce", S, K_STR, BITCOIN, "stratum-v1"},
    {"eth_submitLogin", C, K_STR, "ethereum-miner", "eth-proxy"},
    {"eth_getWork", C, K_STR, "ethereum-miner", "eth-proxy"},
    {"eth_submitWork", C, K_STR, "ethereum-miner", "eth-proxy"},
    {"eth_submitHashrate", C, K_STR, "ethereum-miner", "eth-proxy"},
    {"getblocktemplate", C, K_HTTP, BITCOIN, "getblocktemplate"},
    {"getwork", C, K_HTTP, BITCOIN, "getwork"},
    {"submitblock", C, K_HTTP, BITCOIN, "getblocktemplate"},
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 1 when the payload is a mining JSON-RPC message. */
static int from_payload(const mt_alert *a, const mt_intel *in, mt_alert_class *c)
{
    if (!a->payload[0]) return 0;
    char m[64];
    const method_role *mr = NULL;
    if (json_str(a->payload, "method", m, sizeof m)) {
        for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
            if (strcmp(m, methods[i].method) == 0) { mr = &methods[i]; break; }
    } else if (strstr(a->payload, "\"result\"") && strstr(a->payload, "\"job\"") &&
               strstr(a->payload, "\"blob\"")) {
        mr = &methods[4]; /* XMRig login reply: a job from the pool */
    }
    if (!mr) return 0;
    c->kind = (mt_finding_kind)mr->kind;
    c->role = mr->role;
    c->family = mr->family;
    c->protocol = mr->protocol;
    c->basis = "payload";
    /* getwork/getblocktemplate in a raw Stratum-like stream stay stratum. */
    if (mr->kind == K_HTTP && strncmp(a->payload, "POST ", 5) != 0) c->kind = K_STR;
    json_str(a->payload, "agent", c->agent, sizeof c->agent);
    if (!json_str(a->payload, "login", c->wallet, sizeof c->wallet)) c->wallet[0] = '\0';
    const char *name = NULL, *fam = NULL;
    if (c->agent[0] && in && mt_intel_match_agent(in, c->agent, &name, &fam) && fam &&
        !ends_with(fam, "-miner"))
        c->family = fam; /* a named malware family beats the coin */
    return 1;
}

static int intel_name(const mt_intel *in, const char *name, mt_intel_hit *hit)
{
    return name[0] && in && mt_intel_match_domain(in, name, hit) &&
           mt_intel_category_is_mining(hit->category);
}

static const char *hit_family(const mt_intel_hit *h)
{
    return h->family ? h->family : mt_intel_category_family(h->category);
}

/* Kind (and family, pool) from the alert's application fields. */
static int from_fields(const mt_alert *a, const mt_intel *in, mt_alert_class *c)
{
    mt_intel_hit hit;
    if (a->dns_query[0]) {
        c->kind = K_DNS;
        c->protocol = "dns";
        mt_strlcpy(c->pool, a->dns_query, sizeof c->pool);
        if (intel_name(in, a->dns_query, &hit)) c->family = hit_family(&hit);
        return 1;
    }
    if (a->tls_sni[0]) {
        c->kind = K_TLS;
        c->protocol = "tls";
        mt_strlcpy(c->pool, a->tls_sni, sizeof c->pool);
        if (intel_name(in, a->tls_sni, &hit)) c->family = hit_family(&hit);
        return 1;
    }
    if (a->http_host[0] || a->http_url[0] || a->http_ua[0]) {
        c->kind = K_HTTP;
        c->protocol = "http";
        if (a->http_host[0]) mt_strlcpy(c->pool, a->http_host, sizeof c->pool);
        const char *name = NULL, *fam = NULL;
        if (a->http_ua[0] && in && mt_intel_match_agent(in, a->http_ua, &name, &fam)) {
            mt_strlcpy(c->agent, a->http_ua, sizeof c->agent);
            if (fam) c->family = fam;
        } else if (in && mt_intel_match_url(in, a->http_host[0] ? a->http_host : NULL,
                                            a->http_url, &hit) &&
                   mt_intel_category_is_mining(hit.category)) {
            c->family = hit_family(&hit);
        }
        return 1;
    }
    return 0;
}

/* Kind from the signature's words, then from app_proto. */
static void from_words(const mt_alert *a, mt_alert_class *c)
{
    const char *s = a->signature;
    if (!strncasecmp(a->category, "Bitcoin::Min", 12)) {
        /* Zeek's cryptomining package: its notices come from JSON-RPC
         * mining methods seen on the connection ("using Stratum / getwork /
         * MinerGate protocol"). */
        c->kind = K_STR;
        c->protocol = has_ci(s, "getwork") || has_ci(s, "getblocktemplate") ? "getwork"
                      : has_ci(s, "minergate")                              ? "xmrig"
                                                                            : "stratum-v1";
    } else if (mt_alert_is_precursor_name(s)) {
        c->kind = K_SMB;
        c->precursor = 1;
        c->protocol = "smb1";
        c->family = "wannamine";
    } else if (has_ci(s, "dns")) {
        c->kind = K_DNS, c->protocol = "dns";
    } else if (has_ci(s, "websocket")) {
        c->kind = K_WS, c->protocol = "websocket";
    } else if (has_ci(s, "tls") || has_ci(s, "ssl") || has_ci(s, "sni")) {
        c->kind = K_TLS, c->protocol = "tls";
    } else if (has_ci(s, "getblocktemplate")) {
        c->kind = K_HTTP, c->protocol = "getblocktemplate";
    } else if (has_ci(s, "getwork")) {
        c->kind = K_HTTP, c->protocol = "getwork";
    } else if (has_ci(s, "stratum") || has_ci(s, "login") || has_ci(s, "authline") ||
               has_ci(s, "mining.")) {
        c->kind = K_STR, c->protocol = "stratum-v1";
    } else if (has_ci(s, "user-agent") || has_ci(s, "http") || has_ci(s, "in-browser") ||
               has_ci(s, "script")) {
        c->kind = K_HTTP, c->protocol = "http";
    } else if (!strcmp(a->app_proto, "dns")) {
        c->kind = K_DNS, c->protocol = "dns";
    } else if (!strcmp(a->app_proto, "tls")) {
        c->kind = K_TLS, c->protocol = "tls";
    } else if (!strcmp(a->app_proto, "http") || !strcmp(a->app_proto, "http2")) {
        c->kind = K_HTTP, c->protocol = "http";
    } else if (!strcmp(a->app_proto, "websocket")) {
        c->kind = K_WS, c->protocol = "websocket";
    } else {
        return;
    }
    if (!c->basis) c->basis = "signature";
}

/* Family from the signature's words (coins and browser-miner names). */
static const char *family_words(const mt_alert *a)
{
    const char *s = a->signature;
    if (has_ci(s, "coinhive") || has_ci(s, "coin-hive") || has_ci(s, "crypto-loot") ||
        has_ci(s, "cryptoloot") || has_ci(s, "jsecoin") || has_ci(s, "browser"))
        return BROWSER;
    if (has_ci(s, "monero") || has_ci(s, "xmr") || has_ci(s, "cryptonight") ||
        has_ci(s, "minergate"))
        return MONERO;
    if (has_ci(s, "ethereum") || has_ci(s, "ethash")) return "ethereum-miner";
    if (has_ci(s, "bitcoin") || has_ci(s, "getblocktemplate") || has_ci(s, "getwork") ||
        has_ci(a->category, "bitcoin::"))
        return BITCOIN;
    return NULL;
}

int mt_alert_classify(const mt_alert *a, const mt_intel *in, mt_alert_class *c)
{
    memset(c, 0, sizeof *c);
    c->kind = K_ALERT;
    c->protocol = "ids-alert";
    const sid_entry *e = sid_find(a);
    int mining = e || mt_alert_is_mining(a);
    if (!mining) return 0;

    mt_alert_class f; /* what the fields say, consulted in order below */
    memset(&f, 0, sizeof f);
    int have_fields = from_fields(a, in, &f);
    if (from_payload(a, in, c)) {
        /* the payload decides kind, role and dialect family */
        if (!c->pool[0]) mt_strlcpy(c->pool, f.pool, sizeof c->pool);
    } else if (e) {
        c->kind = (mt_finding_kind)e->kind;
        c->role = e->role;
        c->precursor = e->precursor;
        c->protocol = e->protocol;
        c->basis = "sid";
        mt_strlcpy(c->pool, f.pool, sizeof c->pool);
        mt_strlcpy(c->agent, f.agent, sizeof c->agent);
        /* The rule's family when it names one (a Nimiq session to a pool
         * the intel lists for Monero is still Nimiq's browser miner), else
         * the intel's for the pool or agent. */
        c->family = e->family && strcmp(e->family, GENERIC) != 0 ? e->family
                    : f.family                                   ? f.family
                                                                 : e->family;
    } else if (have_fields) {
        *c = f;
        c->basis = a->dns_query[0] ? "dns.query" : a->tls_sni[0] ? "tls.sni" : "http";
    } else {
        from_words(a, c);
    }
    if (!c->family && !c->precursor) c->family = family_words(a);
    if (!c->family && c->kind != K_ALERT) c->family = GENERIC;
    if (c->kind == K_SMB) c->precursor = 1;
    return 1;
}
