/* Stratum / mining JSON-RPC classifier (see stratum.h, docs/STRATUM.md).
 *
 * One table maps method names to dialect, role and kind; the generic words
 * of the CryptoNote dialect ("login", "submit", "job") only count when the
 * params carry the fields that dialect defines, so a web API's "login" call
 * stays generic. Responses carry no method, so they are recognised by the
 * shape of "result" (login reply with a job, subscribe reply, work arrays). */
#include "proto/stratum.h"

#include <stddef.h>
#include <string.h>

#include "util/json.h"

/* Tokens for one message: a Stratum message is a few dozen values, a
 * getblocktemplate reply a few thousand; past this the message is refused
 * like any malformed one. 48 KiB of stack, touched only as far as used. */
#define MT_STRATUM_TOKENS 4096
#define MT_STRATUM_MAX_DEPTH 32

typedef struct method_info {
    const char *name;
    mt_stratum_dialect dialect;
    mt_stratum_role role;
    mt_stratum_kind kind;
} method_info;

static const method_info methods[] = {
    {"mining.subscribe", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_SUBSCRIBE},
    {"mining.authorize", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_AUTHORIZE},
    {"mining.submit", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_SUBMIT},
    {"mining.extranonce.subscribe", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_EXTRANONCE},
    {"mining.configure", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_CONTROL},
    {"mining.suggest_difficulty", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_CONTROL},
    {"mining.suggest_target", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_CONTROL},
    {"mining.get_transactions", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_CONTROL},
    {"mining.multi_version", MT_SD_STRATUM_V1, MT_SR_REQUEST, MT_SK_CONTROL},
    {"mining.hello", MT_SD_ETHSTRATUM2, MT_SR_REQUEST, MT_SK_HELLO},
    {"mining.hashrate", MT_SD_ETHSTRATUM2, MT_SR_REQUEST, MT_SK_HASHRATE},
    {"mining.noop", MT_SD_ETHSTRATUM2, MT_SR_REQUEST, MT_SK_KEEPALIVE},
    {"mining.notify", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_JOB},
    {"mining.set_difficulty", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_SET_DIFF},
    {"mining.set_target", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_SET_DIFF},
    {"mining.set_extranonce", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_EXTRANONCE},
    {"mining.set", MT_SD_ETHSTRATUM2, MT_SR_NOTIFY, MT_SK_SET_DIFF},
    {"mining.set_version_mask", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_CONTROL},
    {"mining.ping", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_KEEPALIVE},
    {"mining.bye", MT_SD_ETHSTRATUM2, MT_SR_NOTIFY, MT_SK_CONTROL},
    {"client.reconnect", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_CONTROL},
    {"client.get_version", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_CONTROL},
    {"client.show_message", MT_SD_STRATUM_V1, MT_SR_NOTIFY, MT_SK_CONTROL},
    {"login", MT_SD_XMRIG, MT_SR_REQUEST, MT_SK_LOGIN},
    {"submit", MT_SD_XMRIG, MT_SR_REQUEST, MT_SK_SUBMIT},
    {"keepalived", MT_SD_XMRIG, MT_SR_REQUEST, MT_SK_KEEPALIVE},
    {"getjob", MT_SD_XMRIG, MT_SR_REQUEST, MT_SK_KEEPALIVE},
    {"job", MT_SD_XMRIG, MT_SR_NOTIFY, MT_SK_JOB},
    {"eth_submitLogin", MT_SD_ETH_PROXY, MT_SR_REQUEST, MT_SK_LOGIN},
    {"eth_login", MT_SD_ETH_PROXY, MT_SR_REQUEST, MT_SK_LOGIN},
    {"eth_getWork", MT_SD_ETH_PROXY, MT_SR_REQUEST, MT_SK_GETWORK},
    {"eth_submitWork", MT_SD_ETH_PROXY, MT_SR_REQUEST, MT_SK_SUBMIT},
    {"eth_submitHashrate", MT_SD_ETH_PROXY, MT_SR_REQUEST, MT_SK_HASHRATE},
    {"getwork", MT_SD_GETWORK, MT_SR_REQUEST, MT_SK_GETWORK},
    {"getblocktemplate", MT_SD_GBT, MT_SR_REQUEST, MT_SK_GETWORK},
    {"submitblock", MT_SD_GBT, MT_SR_REQUEST, MT_SK_SUBMIT},
};

const char *mt_stratum_dialect_str(mt_stratum_dialect d)
{
    switch (d) {
    case MT_SD_STRATUM_V1: return "stratum-v1";
    case MT_SD_XMRIG: return "xmrig";
    case MT_SD_ETH_PROXY: return "eth-proxy";
    case MT_SD_ETHSTRATUM: return "ethereumstratum";
    case MT_SD_ETHSTRATUM2: return "ethereumstratum2";
    case MT_SD_GETWORK: return "getwork";
    case MT_SD_GBT: return "getblocktemplate";
    default: return "unknown";
    }
}

const char *mt_stratum_role_str(mt_stratum_role r)
{
    switch (r) {
    case MT_SR_REQUEST: return "request";
    case MT_SR_NOTIFY: return "notify";
    case MT_SR_RESPONSE: return "response";
    default: return "unknown";
    }
}

static const char *const kind_names[MT_SK__COUNT] = {
    [MT_SK_OTHER] = "other", [MT_SK_GENERIC] = "generic", [MT_SK_LOGIN] = "login",
    [MT_SK_SUBSCRIBE] = "subscribe", [MT_SK_AUTHORIZE] = "authorize",
    [MT_SK_HELLO] = "hello", [MT_SK_GETWORK] = "getwork", [MT_SK_SUBMIT] = "submit",
    [MT_SK_KEEPALIVE] = "keepalive", [MT_SK_HASHRATE] = "hashrate",
    [MT_SK_EXTRANONCE] = "extranonce", [MT_SK_CONTROL] = "control", [MT_SK_JOB] = "job",
    [MT_SK_SET_DIFF] = "set-difficulty", [MT_SK_LOGIN_REPLY] = "login-reply",
    [MT_SK_SUBSCRIBE_REPLY] = "subscribe-reply", [MT_SK_WORK_RESULT] = "work-result",
    [MT_SK_STATUS_REPLY] = "status-reply", [MT_SK_BARE_REPLY] = "reply",
};

const char *mt_stratum_kind_str(mt_stratum_kind k)
{
    if ((unsigned)k < MT_SK__COUNT && kind_names[k]) return kind_names[k];
    return "unknown";
}

/* ---- helpers ------------------------------------------------------------- */

static int is_hexc(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* String of hex digits (optionally 0x-prefixed), length in [minlen, maxlen]
 * counted without the prefix. Raw bytes are checked, so an escaped string
 * is never "hex". */
static int is_hex_str(const mt_jr_doc *d, int v, size_t minlen, size_t maxlen, int want_0x)
{
    size_t n;
    if (!mt_jr_is(d, v, MT_JR_STRING)) return 0;
    const char *s = mt_jr_raw(d, v, &n);
    if (want_0x) {
        if (n < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return 0;
        s += 2;
        n -= 2;
    }
    if (n < minlen || n > maxlen) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_hexc(s[i])) return 0;
    return 1;
}

static int get_str(const mt_jr_doc *d, int obj, const char *key, char *dst, size_t cap)
{
    int v = mt_jr_get(d, obj, key);
    if (!mt_jr_is(d, v, MT_JR_STRING)) return 0;
    mt_jr_copy(d, v, dst, cap);
    return 1;
}

static int at_str(const mt_jr_doc *d, int arr, size_t i, char *dst, size_t cap)
{
    int v = mt_jr_at(d, arr, i);
    if (!mt_jr_is(d, v, MT_JR_STRING)) return 0;
    mt_jr_copy(d, v, dst, cap);
    return 1;
}

static int has_str(const mt_jr_doc *d, int obj, const char *key)
{
    return mt_jr_is(d, mt_jr_get(d, obj, key), MT_JR_STRING);
}

/* Join the strings of an array (or a single string) with ','. */
static void join_algos(const mt_jr_doc *d, int v, char *dst, size_t cap)
{
    if (mt_jr_is(d, v, MT_JR_STRING)) {
        mt_jr_copy(d, v, dst, cap);
        return;
    }
    size_t w = 0;
    dst[0] = '\0';
    for (int e = mt_jr_first(d, v); e >= 0; e = mt_jr_next(d, v, e)) {
        if (!mt_jr_is(d, e, MT_JR_STRING)) continue;
        /* whole names only: stop before one that does not fit */
        size_t need = d->tok[e].len + (w ? 1 : 0);
        if (w + need + 1 > cap) break;
        if (w) dst[w++] = ',';
        w += mt_jr_copy(d, e, dst + w, cap - w);
        dst[w] = '\0';
    }
}

/* A host name as a pool would be named: letters, digits, '-', '.', with at
 * least one dot. */
static int looks_like_host(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 253 || !strchr(s, '.')) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_'))
            return 0;
    }
    return 1;
}

static int all_digits(const char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_hexc(s[i])) return 0;
    return 1;
}

void mt_stratum_split_login(const char *login, char *wallet, size_t wcap,
                            char *worker, size_t kcap)
{
    if (wcap) wallet[0] = '\0';
    if (kcap) worker[0] = '\0';
    if (!login) return;
    size_t n = strlen(login);
    /* An e-mail login (MinerGate style) is the account itself. */
    const char *at = strchr(login, '@');
    const char *slash = strchr(login, '/');
    size_t cut = strcspn(login, "./+");
    if (at && !slash && (size_t)(at - login) < n) cut = n;
    mt_memlcpy(wallet, wcap, login, cut);
    if (cut >= n) return;
    /* Walk the remaining segments: skip payment ids (64 hex) and fixed
     * difficulties ("+50000"); the first other segment is the worker. The
     * eth-proxy form "wallet/worker/email" ends the worker at the next '/'. */
    const char *s = login + cut;
    while (*s) {
        char sep = *s++;
        size_t l = strcspn(s, sep == '/' ? "/+" : "./+");
        if (sep == '/' && l > 0) {
            mt_memlcpy(worker, kcap, s, l);
            return;
        }
        int skip = (l == 64 && all_hex(s, l)) || (sep == '+' && all_digits(s, l)) || l == 0;
        if (!skip) {
            /* worker names may themselves contain '.' after the first one */
            size_t wl = strcspn(s, "/+");
            mt_memlcpy(worker, kcap, s, wl);
            return;
        }
        s += l;
    }
}

static void set_login(const mt_jr_doc *d, mt_stratum_msg *m, int v)
{
    char login[512];
    if (!mt_jr_is(d, v, MT_JR_STRING)) return;
    mt_jr_copy(d, v, login, sizeof login);
    mt_stratum_split_login(login, m->wallet, sizeof m->wallet, m->worker, sizeof m->worker);
}

/* Top-level members, read in one pass. */
enum { RF_ID, RF_METHOD, RF_PARAMS, RF_RESULT, RF_ERROR, RF_WORKER, RF__N };
static const char *const root_keys[RF__N] = {"id", "method", "params", "result", "error", "worker"};

static int has(int v) { return v >= 0; }
static int is_str(const mt_jr_doc *d, int v) { return mt_jr_is(d, v, MT_JR_STRING); }

/* ---- requests and notifications ------------------------------------------ */

static void classify_method(const mt_jr_doc *d, mt_stratum_msg *m, const int *rf,
                            const method_info *mi)
{
    int params = rf[RF_PARAMS], v;
    int parr = mt_jr_is(d, params, MT_JR_ARRAY);
    int pobj = mt_jr_is(d, params, MT_JR_OBJECT);
    size_t np = parr ? mt_jr_count(d, params) : 0;

    m->dialect = mi->dialect;
    m->role = mi->role;
    m->kind = mi->kind;
    m->strength = MT_SS_MEDIUM;

    switch (mi->kind) {
    case MT_SK_SUBSCRIBE:
        m->strength = MT_SS_STRONG;
        if (parr) {
            at_str(d, params, 0, m->agent, sizeof m->agent);
            if (((v = mt_jr_at(d, params, 1)) >= 0) && mt_jr_strprefix(d, v, "EthereumStratum/")) {
                m->dialect = mt_jr_strprefix(d, v, "EthereumStratum/2") ? MT_SD_ETHSTRATUM2
                                                                       : MT_SD_ETHSTRATUM;
            }
            char host[256];
            if (at_str(d, params, 2, host, sizeof host) && looks_like_host(host))
                mt_strlcpy(m->pool_host, host, sizeof m->pool_host);
        }
        break;
    case MT_SK_AUTHORIZE:
        m->strength = MT_SS_STRONG;
        if (parr) {
            if (((v = mt_jr_at(d, params, 0)) >= 0)) set_login(d, m, v);
            at_str(d, params, 1, m->password, sizeof m->password);
        }
        break;
    case MT_SK_HELLO:
        m->strength = MT_SS_STRONG;
        m->dialect = MT_SD_ETHSTRATUM2;
        if (pobj) {
            get_str(d, params, "agent", m->agent, sizeof m->agent);
            char host[256];
            if (get_str(d, params, "host", host, sizeof host) && looks_like_host(host))
                mt_strlcpy(m->pool_host, host, sizeof m->pool_host);
        }
        break;
    case MT_SK_LOGIN:
        if (mi->dialect == MT_SD_XMRIG) {
            /* {"login":..,"pass":..,"agent":..,"rigid":..,"algo":[..]} */
            static const char *const lk[] = {"login", "agent", "pass", "rigid", "algo"};
            int lv[5];
            mt_jr_get_many(d, params, lk, lv, 5);
            if (!pobj || !is_str(d, lv[0])) {
                m->kind = MT_SK_GENERIC;
                m->strength = MT_SS_NONE;
                return;
            }
            set_login(d, m, lv[0]);
            mt_jr_copy(d, lv[1], m->agent, sizeof m->agent);
            mt_jr_copy(d, lv[2], m->password, sizeof m->password);
            if (is_str(d, lv[3]) && d->tok[lv[3]].len > 0) mt_jr_copy(d, lv[3], m->worker, sizeof m->worker);
            if (has(lv[4])) join_algos(d, lv[4], m->algo, sizeof m->algo);
            /* "login" with "login" and "pass" is also how games and web
             * apps open a JSON-RPC session (nDPI 4.2's false positive).
             * What only a miner sends: its program name (agent) or the
             * algorithms it can mine. Without them the line is only
             * login-shaped (tentative) and the session decides; a coin
             * address as the account (the pool convention for the payout
             * address) is the detector's test, with the intel's shapes. */
            if (m->agent[0] || m->algo[0]) {
                m->strength = MT_SS_STRONG;
            } else {
                m->strength = MT_SS_WEAK;
                m->tentative = 1;
            }
        } else {
            /* eth_submitLogin ["wallet[/worker[/email]]", "pass"] */
            if (parr && ((v = mt_jr_at(d, params, 0)) >= 0) && mt_jr_is(d, v, MT_JR_STRING)) {
                set_login(d, m, v);
                at_str(d, params, 1, m->password, sizeof m->password);
                m->strength = MT_SS_STRONG;
            }
            char w[128];
            if (!m->worker[0] && is_str(d, rf[RF_WORKER])) {
                mt_jr_copy(d, rf[RF_WORKER], w, sizeof w);
                if (w[0] && strcmp(w, "eth1.0") != 0) mt_strlcpy(m->worker, w, sizeof m->worker);
            }
        }
        break;
    case MT_SK_SUBMIT:
        if (mi->dialect == MT_SD_XMRIG) {
            /* {"id":"<session>","job_id":..,"nonce":..,"result":..} */
            static const char *const sk[] = {"job_id", "nonce", "result", "algo"};
            int sv[4];
            mt_jr_get_many(d, params, sk, sv, 4);
            if (!pobj || !is_str(d, sv[0]) || !is_str(d, sv[1])) {
                m->kind = MT_SK_GENERIC;
                m->strength = MT_SS_NONE;
                return;
            }
            mt_jr_copy(d, sv[0], m->job_id, sizeof m->job_id);
            mt_jr_copy(d, sv[1], m->nonce, sizeof m->nonce);
            if (has(sv[3])) join_algos(d, sv[3], m->algo, sizeof m->algo);
            m->has_submit = is_str(d, sv[2]);
            m->strength = m->has_submit ? MT_SS_STRONG : MT_SS_MEDIUM;
        } else if (mi->dialect == MT_SD_STRATUM_V1) {
            /* [worker, job_id, extranonce2, ntime, nonce(, version)] */
            if (np >= 3) {
                if (((v = mt_jr_at(d, params, 0)) >= 0)) set_login(d, m, v);
                at_str(d, params, 1, m->job_id, sizeof m->job_id);
                if (!at_str(d, params, 4, m->nonce, sizeof m->nonce))
                    at_str(d, params, 2, m->nonce, sizeof m->nonce);
                m->has_submit = 1;
                m->strength = MT_SS_STRONG;
            }
        } else if (mi->dialect == MT_SD_ETH_PROXY) {
            /* ["0x<nonce>", "0x<header>", "0x<mix>"] */
            if (np >= 3 && ((v = mt_jr_at(d, params, 0)) >= 0) && is_hex_str(d, v, 1, 64, 1)) {
                mt_jr_copy(d, v, m->nonce, sizeof m->nonce);
                m->has_submit = 1;
                m->strength = MT_SS_STRONG;
            }
        }
        break;
    case MT_SK_GETWORK:
        /* getwork and getblocktemplate are mining by definition;
         * eth_getWork is also what a node's monitoring might poll. */
        m->strength = mi->dialect == MT_SD_ETH_PROXY ? MT_SS_MEDIUM : MT_SS_STRONG;
        break;
    case MT_SK_EXTRANONCE:
        m->nicehash = 1;
        break;
    case MT_SK_JOB:
        if (mi->dialect == MT_SD_XMRIG) {
            static const char *const jk[] = {"job_id", "blob", "target", "algo"};
            int jv[4];
            mt_jr_get_many(d, params, jk, jv, 4);
            if (!pobj || !is_str(d, jv[0])) {
                m->kind = MT_SK_GENERIC;
                m->strength = MT_SS_NONE;
                return;
            }
            mt_jr_copy(d, jv[0], m->job_id, sizeof m->job_id);
            if (has(jv[3])) join_algos(d, jv[3], m->algo, sizeof m->algo);
            if (is_str(d, jv[1]) && is_str(d, jv[2])) {
                m->has_job = 1;
                m->strength = MT_SS_STRONG;
            }
        } else if (np >= 4 && ((v = mt_jr_at(d, params, 0)) >= 0) && mt_jr_is(d, v, MT_JR_STRING)) {
            /* v1: 9 params (Bitcoin) or 8 (Zcash); EthereumStratum/1.0.0:
             * [job, seedhash, headerhash, clean] */
            mt_jr_copy(d, v, m->job_id, sizeof m->job_id);
            int last;
            if (np == 4 && ((last = mt_jr_at(d, params, 3)) >= 0) &&
                (mt_jr_is(d, last, MT_JR_TRUE) || mt_jr_is(d, last, MT_JR_FALSE)))
                m->dialect = MT_SD_ETHSTRATUM;
            m->has_job = 1;
            m->strength = MT_SS_STRONG;
        }
        break;
    case MT_SK_SET_DIFF:
        if (mi->dialect == MT_SD_ETHSTRATUM2) {
            if (pobj) m->strength = MT_SS_STRONG;
            if (pobj && ((v = mt_jr_get(d, params, "algo")) >= 0)) join_algos(d, v, m->algo, sizeof m->algo);
        } else if (np >= 1 && ((v = mt_jr_at(d, params, 0)) >= 0) &&
                   (mt_jr_is(d, v, MT_JR_NUMBER) || is_hex_str(d, v, 1, 66, 0) ||
                    is_hex_str(d, v, 1, 64, 1))) {
            m->strength = MT_SS_STRONG;
        }
        break;
    default:
        break;
    }
}

/* ---- responses ----------------------------------------------------------- */

static int is_work_array(const mt_jr_doc *d, int res)
{
    size_t n = mt_jr_count(d, res);
    if (n < 3 || n > 4) return 0;
    for (size_t i = 0; i < 3; i++) {
        if (!is_hex_str(d, mt_jr_at(d, res, i), 64, 64, 1)) return 0;
    }
    return 1;
}

/* [[["mining.set_difficulty",..],["mining.notify",..]],"xn1",N]
 * [["mining.notify","subid"],"xn1",N]
 * [["mining.notify","subid","EthereumStratum/1.0.0"],"xn"] */
static int is_subscribe_reply(const mt_jr_doc *d, int res, mt_stratum_msg *m)
{
    int first, inner, name;
    if (!mt_jr_is(d, (first = mt_jr_at(d, res, 0)), MT_JR_ARRAY)) return 0;
    if (!((inner = mt_jr_at(d, first, 0)) >= 0)) return 0;
    if (mt_jr_is(d, inner, MT_JR_ARRAY)) {
        if (((name = mt_jr_at(d, inner, 0)) >= 0) && mt_jr_strprefix(d, name, "mining.")) return 1;
        return 0;
    }
    if (!mt_jr_strprefix(d, inner, "mining.")) return 0;
    int proto;
    if (((proto = mt_jr_at(d, first, 2)) >= 0) && mt_jr_strprefix(d, proto, "EthereumStratum/"))
        m->dialect = MT_SD_ETHSTRATUM;
    return 1;
}

static void classify_response(const mt_jr_doc *d, mt_stratum_msg *m, const int *rf)
{
    int res = rf[RF_RESULT], job, v;
    m->role = MT_SR_RESPONSE;
    m->kind = MT_SK_BARE_REPLY;
    m->strength = MT_SS_WEAK;
    if (!has(res)) return;

    if (mt_jr_is(d, res, MT_JR_OBJECT)) {
        if (((job = mt_jr_get(d, res, "job")) >= 0) && mt_jr_is(d, job, MT_JR_OBJECT)) {
            m->dialect = MT_SD_XMRIG;
            m->kind = MT_SK_LOGIN_REPLY;
            get_str(d, job, "job_id", m->job_id, sizeof m->job_id);
            if (((v = mt_jr_get(d, job, "algo")) >= 0)) join_algos(d, v, m->algo, sizeof m->algo);
            if (has_str(d, job, "blob") && has_str(d, job, "job_id") && has_str(d, job, "target")) {
                m->has_job = 1;
                m->strength = MT_SS_STRONG;
            } else {
                m->strength = MT_SS_MEDIUM;
            }
            return;
        }
        if (((v = mt_jr_get(d, res, "status")) >= 0) && mt_jr_is(d, v, MT_JR_STRING)) {
            m->dialect = MT_SD_XMRIG;
            if (has_str(d, res, "id")) {
                m->kind = MT_SK_LOGIN_REPLY; /* login accepted, job follows */
                m->strength = MT_SS_MEDIUM;
            } else {
                m->kind = MT_SK_STATUS_REPLY;
                m->strength = mt_jr_streq(d, v, "KEEPALIVED") ? MT_SS_MEDIUM : MT_SS_WEAK;
            }
            return;
        }
        if (has_str(d, res, "data") && has_str(d, res, "target")) {
            m->dialect = MT_SD_GETWORK;
            m->kind = MT_SK_WORK_RESULT;
            m->has_job = 1;
            m->strength = MT_SS_STRONG;
            return;
        }
        if (has_str(d, res, "previousblockhash") &&
            ((mt_jr_get(d, res, "coinbasevalue") >= 0) || (mt_jr_get(d, res, "transactions") >= 0))) {
            m->dialect = MT_SD_GBT;
            m->kind = MT_SK_WORK_RESULT;
            m->has_job = 1;
            m->strength = MT_SS_STRONG;
            return;
        }
        if ((mt_jr_get(d, res, "version-rolling") >= 0)) {
            m->dialect = MT_SD_STRATUM_V1;
            m->kind = MT_SK_CONTROL;
            m->strength = MT_SS_MEDIUM;
        }
        return;
    }
    if (mt_jr_is(d, res, MT_JR_ARRAY)) {
        if (is_subscribe_reply(d, res, m)) {
            if (m->dialect == MT_SD_UNKNOWN) m->dialect = MT_SD_STRATUM_V1;
            m->kind = MT_SK_SUBSCRIBE_REPLY;
            m->strength = MT_SS_STRONG;
            return;
        }
        if (is_work_array(d, res)) {
            m->dialect = MT_SD_ETH_PROXY;
            m->kind = MT_SK_WORK_RESULT;
            m->has_job = 1;
            m->strength = MT_SS_STRONG;
            if (((v = mt_jr_at(d, res, 0)) >= 0)) mt_jr_copy(d, v, m->job_id, sizeof m->job_id);
        }
    }
}

/* ---- entry point ----------------------------------------------------------- */

/* Empty message: the scalars zeroed, every string cut to "". Not a memset
 * of the whole 1.3 KB: this runs for every JSON message of every flow, and
 * nothing reads a string past its terminator. */
static void reset_msg(mt_stratum_msg *m)
{
    memset(m, 0, offsetof(mt_stratum_msg, id_str));
    m->id_str[0] = m->method[0] = m->wallet[0] = m->worker[0] = m->password[0] = '\0';
    m->agent[0] = m->algo[0] = m->pool_host[0] = m->job_id[0] = m->nonce[0] = '\0';
    m->has_job = m->has_submit = 0;
}

int mt_stratum_parse(const char *text, size_t len, mt_stratum_msg *m)
{
    reset_msg(m);
    mt_jr_tok tok[MT_STRATUM_TOKENS];
    mt_jr_doc doc, *d = &doc;
    int root = 0, v;
    mt_jr_init(d, tok, MT_STRATUM_TOKENS, NULL, 0);
    /* Stream messages: raw control characters tolerated, bytes after the
     * object left to the framer. */
    int rc = mt_jr_parse(d, text, len, MT_JR_LAX_CTRL | MT_JR_TRAILING, MT_STRATUM_MAX_DEPTH);
    if (rc != MT_OK) return rc;
    if (!mt_jr_is(d, root, MT_JR_OBJECT)) {
        m->kind = MT_SK_OTHER;
        return MT_ENOTFOUND; /* not a JSON object */
    }

    int rf[RF__N];
    mt_jr_get_many(d, root, root_keys, rf, RF__N);
    v = rf[RF_ID];
    if (has(v)) {
        m->has_id = 1;
        if (mt_jr_is(d, v, MT_JR_NULL)) {
            m->id_is_null = 1;
        } else {
            m->id_is_string = mt_jr_is(d, v, MT_JR_STRING);
            mt_jr_i64(d, v, &m->id_num);
            mt_jr_copy(d, v, m->id_str, sizeof m->id_str);
        }
    }

    if (has(rf[RF_METHOD])) {
        mt_jr_copy(d, rf[RF_METHOD], m->method, sizeof m->method);
        const method_info *mi = NULL;
        /* every table name is plain ASCII, so the decoded copy compares
         * exactly (a name longer than the buffer cannot match) */
        if (is_str(d, rf[RF_METHOD]) && d->tok[rf[RF_METHOD]].len < sizeof m->method) {
            for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
                /* first byte first: this runs for every message */
                if (methods[i].name[0] == m->method[0] && strcmp(m->method, methods[i].name) == 0) {
                    mi = &methods[i];
                    break;
                }
            }
        }
        if (mi) {
            classify_method(d, m, rf, mi);
        } else if (is_str(d, rf[RF_METHOD]) && strncmp(m->method, "mining.", 7) == 0) {
            /* an unknown mining.* method: Zeek's "possible mining" */
            m->dialect = MT_SD_STRATUM_V1;
            m->kind = MT_SK_CONTROL;
            m->role = (m->has_id && !m->id_is_null) ? MT_SR_REQUEST : MT_SR_NOTIFY;
            m->strength = MT_SS_MEDIUM;
        } else {
            m->kind = MT_SK_GENERIC;
        }
        if (m->kind == MT_SK_GENERIC) {
            m->strength = MT_SS_NONE;
            m->role = (m->has_id && !m->id_is_null) ? MT_SR_REQUEST : MT_SR_NOTIFY;
            return MT_ENOTFOUND; /* a method, not a mining one */
        }
        return MT_OK;
    }

    if (has(rf[RF_RESULT]) || has(rf[RF_ERROR])) {
        classify_response(d, m, rf);
        return MT_OK;
    }
    m->kind = MT_SK_OTHER;
    return MT_ENOTFOUND; /* neither a method call nor a reply */
}
