/* Detector 'stratum': mining JSON-RPC sessions seen in clear.
 *
 * Every MT_EV_JSON_MSG is classified by proto/stratum.c; messages that are
 * mining-shaped (even weakly) are folded into a per-flow session: dialect,
 * agent, wallet, worker, algorithms, pool host, counts per role, which
 * strong messages each side sent, and which way they travelled. The
 * decision is taken once, when the flow ends (MT_EV_FLOW_END, eviction of
 * the session, or flush at end of input), so the single finding per flow
 * carries everything the session showed — except for long sessions: a
 * miner's connection can last days, and a live sensor must not wait for it
 * to close. A session already sure (MT_CONF_PROBABLE or more) that has run for
 * REPORT_AFTER_US or shown REPORT_AFTER_MSGS messages is reported then, and
 * only then (the flow end adds nothing more). Rules and confidences are in
 * docs/STRATUM.md.
 *
 * State is bounded: a fixed pool of sessions with an open-addressing index
 * keyed by flow_id (linear probing, backward-shift deletion, no
 * tombstones), kept apart from util/hashmap because that map's generic
 * deletion costs this per-flow-end path twice the instructions. When the
 * pool is full, a clock hand picks the next session to evict (roughly the
 * oldest created); its finding is emitted first and the eviction is
 * counted. The pool is calloc'd once; pages are only
 * touched as sessions are used. A tiny direct-mapped cache remembers the
 * Host and User-Agent of HTTP requests so getwork bodies get a pool name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/confidence.h"
#include "detect/detectors.h"
#include "detect/dnstie.h"
#include "proto/stratum.h"
#include "util/buf.h"
#include "util/hostport.h"

#define MAX_SESSIONS 65536u      /* live sessions */
#define INDEX_SLOTS (MAX_SESSIONS * 2u)
#define LIVE_FILTER_BITS 18u   /* counting filter in front of the index */
#define HTTP_CACHE 1024u
#define REPORT_AFTER_US (60LL * 1000000) /* early report of long sessions */
#define REPORT_AFTER_MSGS 64u
/* A session opened by a login-shaped line only (sess.waiting, on_json) waits
 * this many messages, both ways and of any kind, for mining work. */
#define LOGIN_WAIT_MSGS 16u

typedef struct sess {
    uint64_t flow_id;
    uint8_t live;
    uint8_t reported;       /* finding already emitted (long session) */
    uint8_t dialect;        /* first dialect seen (mt_stratum_dialect) */
    uint8_t in_http;        /* messages came from HTTP bodies */
    uint8_t eth_methods;    /* eth_* seen (getwork over HTTP is Ethereum) */
    uint8_t nicehash;
    uint8_t cli_strong, srv_strong, cli_medium, srv_medium, submit_seen;
    uint8_t guessed;        /* orientation was guessed by the decoder */
    uint8_t tentative;      /* a login-shaped request (no agent, no algo, no
                               coin address) was seen */
    uint8_t waiting;        /* ... and the session has shown nothing that
                               decides yet (bounded by LOGIN_WAIT_MSGS) */
    uint8_t dismissed;      /* decided: an application's JSON-RPC, not mining;
                               nothing later reopens it */
    uint8_t ipproto;
    mt_time_us first_ts, last_ts;
    mt_addr cli, srv;
    uint16_t cli_port, srv_port;
    uint32_t kinds;         /* bit per mt_stratum_kind seen */
    uint32_t n_req, n_notify, n_resp, n_submit, n_job, n_generic;
    uint32_t n_to_srv, n_to_cli;
    int32_t fwd, rev;       /* orientation votes */
    char agent[128];
    char wallet[256];
    char worker[64];
    char algo[128];         /* algorithm in use (job, submit, reply) */
    char algos[128];        /* algorithms the miner offered at login */
    char pool[128];
    char first_method[40];  /* the first strong request's method */
    char any_method[40];    /* the first mining method of any strength */
} sess;

typedef struct http_note {
    uint64_t flow_id;
    char host[128];
    char ua[128];
} http_note;

typedef struct state {
    sess *pool;             /* MAX_SESSIONS */
    uint32_t *index;        /* INDEX_SLOTS; pool index + 1, 0 = empty */
    uint64_t *keys;         /* INDEX_SLOTS; flow_id of the session in that
                               slot, so a probe (most flows have no session)
                               never touches the session pool */
    uint8_t *live;          /* 2^LIVE_FILTER_BITS counters: live sessions whose
                               flow_id maps there (255 = saturated, sticky).
                               0 means "no session" without an index probe:
                               most flow ends and generic JSON have none,
                               and the index probe is a cache miss each. */
    uint32_t *free_list;    /* stack of free pool indexes */
    uint32_t n_free;
    uint32_t high;          /* pool entries ever handed out (flush scans these) */
    uint32_t hand;          /* eviction clock */
    char last_agent[128];   /* the last agent matched against the intel and */
    int last_agent_known;   /* its answer: sessions of one miner repeat it */
    const char *last_agent_fam;
    sess *last;             /* the session of the previous lookup: messages
                               of one flow come in runs (a segment holds
                               several, replies follow requests) */
    uint64_t evicted;
    http_note http[HTTP_CACHE];
} state;

/* ---- session table --------------------------------------------------------- */

static uint32_t slot_of(uint64_t flow_id)
{
    uint64_t h = flow_id * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return (uint32_t)(h & (INDEX_SLOTS - 1));
}

static uint8_t *live_count(const state *st, uint64_t flow_id)
{
    return &st->live[(flow_id * 0xC2B2AE3D27D4EB4FULL) >> (64 - LIVE_FILTER_BITS)];
}

static uint32_t find_slot(const state *st, uint64_t flow_id)
{
    for (uint32_t i = slot_of(flow_id), k = 0; k < INDEX_SLOTS; k++, i = (i + 1) & (INDEX_SLOTS - 1)) {
        if (st->index[i] == 0) return UINT32_MAX;
        if (st->keys[i] == flow_id) return i;
    }
    return UINT32_MAX;
}

static sess *lookup(state *st, uint64_t flow_id)
{
    if (st->last && st->last->flow_id == flow_id) return st->last;
    if (*live_count(st, flow_id) == 0) return NULL;
    uint32_t i = find_slot(st, flow_id);
    if (i == UINT32_MAX) return NULL;
    st->last = &st->pool[st->index[i] - 1];
    return st->last;
}

/* Remove the index entry at slot i, shifting later entries of the same
 * probe chain back so lookups never need tombstones. */
static void index_delete(state *st, uint32_t i)
{
    const uint32_t mask = INDEX_SLOTS - 1;
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        uint32_t v = st->index[j];
        if (v == 0) break;
        uint32_t home = slot_of(st->keys[j]);
        /* can the entry at j move to i? (home not cyclically in (i, j]) */
        int between = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            st->index[i] = v;
            st->keys[i] = st->keys[j];
            i = j;
        }
    }
    st->index[i] = 0;
    st->keys[i] = 0;
}

static void release(state *st, sess *s)
{
    uint32_t i = find_slot(st, s->flow_id);
    if (i != UINT32_MAX) index_delete(st, i);
    uint8_t *c = live_count(st, s->flow_id);
    if (*c != 255) (*c)--;
    s->live = 0;
    if (st->last == s) st->last = NULL;
    st->free_list[st->n_free++] = (uint32_t)(s - st->pool);
}

static void finish(mt_engine *e, state *st, sess *s);

static sess *create(mt_engine *e, state *st, const mt_event *ev)
{
    if (st->n_free == 0) {
        /* Full: evict by clock (roughly oldest first), reporting it first. */
        sess *victim = &st->pool[st->hand];
        st->hand = (st->hand + 1) % MAX_SESSIONS;
        st->evicted++;
        finish(e, st, victim);
        release(st, victim);
    }
    uint32_t pi = st->free_list[--st->n_free];
    if (pi + 1 > st->high) st->high = pi + 1;
    sess *s = &st->pool[pi];
    memset(s, 0, sizeof *s);
    s->live = 1;
    s->flow_id = ev->flow_id;
    s->first_ts = s->last_ts = ev->ts;
    s->cli = ev->cli;
    s->srv = ev->srv;
    s->cli_port = ev->cli_port;
    s->srv_port = ev->srv_port;
    s->ipproto = ev->ipproto;
    s->guessed = (ev->flags & MT_EVF_GUESSED_DIR) != 0;
    uint32_t i = slot_of(ev->flow_id);
    while (st->index[i]) i = (i + 1) & (INDEX_SLOTS - 1);
    st->index[i] = pi + 1;
    st->keys[i] = ev->flow_id;
    uint8_t *c = live_count(st, ev->flow_id);
    if (*c != 255) (*c)++;
    return s;
}

/* ---- deciding and reporting --------------------------------------------- */

static int lower_ascii(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive substring test for a lower-case needle: the first byte
 * is compared before anything else (a strncasecmp per position showed in
 * profiles: every Stratum v1 finding asks four of these). */
static int contains_ci(const char *hay, const char *needle)
{
    const unsigned char *h = (const unsigned char *)hay, *nd = (const unsigned char *)needle;
    if (!nd[0]) return 1;
    for (; *h; h++) {
        if (lower_ascii(*h) != nd[0]) continue;
        size_t i = 1;
        while (nd[i] && lower_ascii(h[i]) == nd[i]) i++;
        if (!nd[i]) return 1;
    }
    return 0;
}

static const char *protocol_of(const sess *s)
{
    if (s->in_http) {
        if (s->dialect == MT_SD_GBT) return "getblocktemplate";
        return "getwork";
    }
    return mt_stratum_dialect_str((mt_stratum_dialect)s->dialect);
}

/* Family by agent when the dialect does not say and no intel is loaded
 * (our own short table; facts: miner program names and their coins). */
static const char *family_by_agent(const char *agent)
{
    static const struct { const char *prefix, *family; } t[] = {
        {"xmrig", "monero-miner"},     {"xmr-stak", "monero-miner"},
        {"xmr/", "monero-miner"},      {"cpuminer", "bitcoin-miner"},
        {"cgminer", "bitcoin-miner"},  {"bfgminer", "bitcoin-miner"},
        {"ethminer", "ethereum-miner"}, {"claymore", "ethereum-miner"},
        {"ewbf", "zcash-miner"},       {"equihash", "zcash-miner"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strncasecmp(agent, t[i].prefix, strlen(t[i].prefix)) == 0) return t[i].family;
    return NULL;
}

/* 1 when the intel knows the agent; *fam may still be NULL. The answer
 * for the previous agent is kept (the engine's intel is fixed for a run). */
static int intel_agent_family(mt_engine *e, state *st, const char *agent, const char **fam)
{
    const mt_intel *in = mt_engine_intel(e);
    *fam = NULL;
    if (!agent[0] || !in) return 0;
    if (strcmp(agent, st->last_agent) != 0) {
        const char *name = NULL;
        st->last_agent_fam = NULL;
        st->last_agent_known = mt_intel_match_agent(in, agent, &name, &st->last_agent_fam);
        mt_strlcpy(st->last_agent, agent, sizeof st->last_agent);
    }
    *fam = st->last_agent_fam;
    return st->last_agent_known;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *family_of(mt_engine *e, state *st, const sess *s)
{
    const char *ifam = NULL;
    int known = intel_agent_family(e, st, s->agent, &ifam);
    /* A named malware family from the agent (e.g. "Lemon-Duck-") beats
     * the coin family the dialect implies. */
    if (known && ifam && !ends_with(ifam, "-miner")) return ifam;
    switch (s->dialect) {
    case MT_SD_XMRIG: return "monero-miner";
    case MT_SD_ETH_PROXY: case MT_SD_ETHSTRATUM: case MT_SD_ETHSTRATUM2:
        return "ethereum-miner";
    case MT_SD_STRATUM_V1:
        if (strncmp(s->wallet, "t1", 2) == 0 || strncmp(s->wallet, "t3", 2) == 0 ||
            contains_ci(s->pool, "zcash") || contains_ci(s->pool, "zec") ||
            contains_ci(s->agent, "ewbf") || contains_ci(s->agent, "equihash"))
            return "zcash-miner";
        return "bitcoin-miner";
    case MT_SD_GETWORK: case MT_SD_GBT:
        return s->eth_methods ? "ethereum-miner" : "bitcoin-miner";
    default: break;
    }
    if (s->eth_methods) return "ethereum-miner";
    if (known && ifam) return ifam;
    return s->agent[0] ? family_by_agent(s->agent) : NULL;
}

/* Mining work or a mining-only method, beside a login-shaped line: the
 * pool's job (login reply with a job, job push, notify, work), a submit
 * with nonce and result, a strong client request, or a mining-only client
 * method (keepalived, getjob, mining.*). A server's medium message (a
 * {"status":"OK"} reply, a job without blob) is what apps answer too. */
static int decides_login(const sess *s)
{
    return s->cli_strong || s->srv_strong || s->submit_seen || s->cli_medium;
}

static int confidence_of(const sess *s)
{
    if (s->dismissed) return 0;
    int both = s->n_to_srv > 0 && s->n_to_cli > 0;
    /* A login-shaped line counts as the miner's login once the pool
     * answered it with work or the client submitted a share. */
    int cli_strong = s->cli_strong || (s->tentative && (s->srv_strong || s->submit_seen));
    if (s->tentative && !decides_login(s)) {
        /* Only the login-shaped line (and replies that are not jobs): a
         * miner cut off after its login, or an app's login never followed
         * by anything; other methods in the session say application. */
        return s->n_generic ? 0 : MT_CONF_WEAK;
    }
    if (cli_strong && s->srv_strong) return MT_CONF_CERTAIN;
    if ((cli_strong || s->srv_strong) && both) return MT_CONF_CONFIRMED;
    if (cli_strong) return MT_CONF_CLIENT_ONLY;
    if (s->srv_strong) return MT_CONF_WORK;
    if (s->submit_seen) {
        /* one point per submit seen, up to five */
        uint32_t extra = s->n_submit > 5 ? 5 : s->n_submit;
        return (both ? MT_CONF_LIKELY : MT_CONF_PROBABLE) + (int)extra;
    }
    if ((s->cli_medium || s->srv_medium) && both) return MT_CONF_INDICATIVE;
    /* getwork-style calls in HTTP request bodies: chunked replies are not
     * decoded, so the client's calls may be all there is to see. */
    if (s->in_http && s->cli_medium) return MT_CONF_INDICATIVE;
    return 0;
}

static void finish(mt_engine *e, state *st, sess *s)
{
    int conf = confidence_of(s);
    if (conf == 0 || s->reported) return;

    mt_finding f;
    mt_finding_init(&f);
    f.kind = MT_KIND_STRATUM;
    f.ts = s->first_ts;
    f.flow_id = s->flow_id;
    f.ipproto = s->ipproto;
    int swapped = s->rev > s->fwd;
    f.src = swapped ? s->srv : s->cli;
    f.dst = swapped ? s->cli : s->srv;
    f.src_port = swapped ? s->srv_port : s->cli_port;
    f.dst_port = swapped ? s->cli_port : s->srv_port;
    f.confidence = conf;
    mt_strlcpy(f.protocol, protocol_of(s), sizeof f.protocol);
    mt_strlcpy(f.wallet, s->wallet, sizeof f.wallet);
    mt_strlcpy(f.worker, s->worker, sizeof f.worker);
    mt_strlcpy(f.agent, s->agent, sizeof f.agent);
    mt_strlcpy(f.algo, s->algo[0] ? s->algo : s->algos, sizeof f.algo);

    /* Pool: what the client named, else the DNS tie, else IP:port. */
    if (s->pool[0]) {
        mt_strlcpy(f.pool, s->pool, sizeof f.pool);
    } else {
        mt_dnstie_entry te;
        if (mt_dnstie_get(mt_engine_dnstie(e), &f.dst, s->last_ts, &te) && te.name[0]) {
            mt_strlcpy(f.pool, te.name, sizeof f.pool);
        } else {
            char a[MT_ADDR_STRLEN];
            mt_addr_to_str(&f.dst, a, sizeof a);
            mt_textbuf pb = mt_textbuf_start(f.pool, sizeof f.pool);
            if (f.dst.family == 6) mt_textbuf_puts(&pb, "[");
            mt_textbuf_puts(&pb, a);
            mt_textbuf_puts(&pb, f.dst.family == 6 ? "]:" : ":");
            mt_textbuf_put_u(&pb, f.dst_port);
        }
    }
    const char *fam = family_of(e, st, s);
    if (fam) mt_strlcpy(f.family, fam, sizeof f.family);

    /* Evidence: what was seen, in one line. */
    mt_textbuf b = mt_textbuf_start(f.evidence, sizeof f.evidence);
    mt_textbuf_puts(&b, f.protocol);
    if (s->first_method[0] && strcmp(s->first_method, f.protocol) != 0) {
        mt_textbuf_puts(&b, " ");
        mt_textbuf_puts(&b, s->first_method);
    } else if (s->first_method[0]) {
        mt_textbuf_puts(&b, " request");
    } else if (s->kinds & (1u << MT_SK_JOB)) {
        mt_textbuf_puts(&b, " job push");
    } else if (s->kinds & (1u << MT_SK_SUBMIT)) {
        mt_textbuf_puts(&b, " submit");
    } else if (s->any_method[0]) {
        mt_textbuf_puts(&b, " ");
        mt_textbuf_puts(&b, s->any_method);
    }
    if (s->agent[0]) {
        mt_textbuf_puts(&b, " from agent ");
        mt_textbuf_put(&b, s->agent, 80);
    }
    /* a {"id","status"} answer to a login-shaped line is what apps send
     * too: it is only called a login reply once the session mined */
    int undecided = s->tentative && !decides_login(s);
    if ((s->kinds & (1u << MT_SK_LOGIN_REPLY)) && !undecided) mt_textbuf_puts(&b, "; login reply");
    if (s->kinds & (1u << MT_SK_SUBSCRIBE_REPLY)) mt_textbuf_puts(&b, "; subscribe reply");
    if (s->kinds & (1u << MT_SK_WORK_RESULT)) mt_textbuf_puts(&b, "; work result");
    mt_textbuf_puts(&b, "; ");
    mt_textbuf_put_u(&b, s->n_submit);
    mt_textbuf_puts(&b, " submit, ");
    mt_textbuf_put_u(&b, s->n_job);
    mt_textbuf_puts(&b, " job, ");
    mt_textbuf_put_u(&b, s->n_req);
    mt_textbuf_puts(&b, " req, ");
    mt_textbuf_put_u(&b, s->n_notify);
    mt_textbuf_puts(&b, " notify, ");
    mt_textbuf_put_u(&b, s->n_resp);
    mt_textbuf_puts(&b, " resp");
    if (s->nicehash) mt_textbuf_puts(&b, "; nicehash extranonce");
    if (s->n_generic) {
        mt_textbuf_puts(&b, "; ");
        mt_textbuf_put_u(&b, s->n_generic);
        mt_textbuf_puts(&b, " non-mining msgs");
    }
    if (undecided) {
        mt_textbuf_puts(&b, "; login-shaped line only (no agent, algo, job or submit)");
    } else if (!s->cli_strong && !s->srv_strong && !s->in_http && !s->tentative) {
        mt_textbuf_puts(&b, "; mid-stream");
    }
    if (s->in_http && !s->n_resp) mt_textbuf_puts(&b, "; replies not decoded");
    if (swapped) mt_textbuf_puts(&b, "; direction from messages");
    /* A wallet on a loaded list (a campaign's payout address): only such a
     * list changes the finding. */
    mt_intel_hit wh;
    if (s->wallet[0] && mt_intel_match_wallet(mt_engine_intel(e), s->wallet, &wh)) {
        if (mt_intel_category_is_mining(wh.category) && wh.weight > f.confidence)
            f.confidence = wh.weight;
        mt_textbuf_puts(&b, "; listed wallet (list ");
        mt_textbuf_puts(&b, wh.source);
        mt_textbuf_puts(&b, ")");
    }
    mt_engine_emit(e, &f);
}

/* ---- folding messages into sessions ------------------------------------ */

static void keep(char *dst, size_t cap, const char *src)
{
    if (!dst[0] && src[0]) mt_strlcpy(dst, src, cap);
}

static const http_note *http_for(const state *st, uint64_t flow_id)
{
    const http_note *h = &st->http[flow_id % HTTP_CACHE];
    return h->flow_id == flow_id ? h : NULL;
}

static void fold(state *st, sess *s, const mt_event *ev, const mt_stratum_msg *m, int mining)
{
    int to_srv = (ev->flags & MT_EVF_TO_SERVER) != 0;
    s->last_ts = ev->ts;
    if (to_srv) s->n_to_srv++; else s->n_to_cli++;
    if (s->dismissed) return;
    if (!mining) {
        s->n_generic++;
        return;
    }
    if (ev->u.json->in_http_body) s->in_http = 1;
    if (m->dialect != MT_SD_UNKNOWN &&
        (s->dialect == MT_SD_UNKNOWN ||
         /* a more specific dialect refines the generic v1 guess */
         (s->dialect == MT_SD_STRATUM_V1 &&
          (m->dialect == MT_SD_ETHSTRATUM || m->dialect == MT_SD_ETHSTRATUM2))))
        s->dialect = (uint8_t)m->dialect;
    if (strncmp(m->method, "eth_", 4) == 0 || m->dialect == MT_SD_ETH_PROXY) s->eth_methods = 1;
    if (m->nicehash) s->nicehash = 1;
    s->kinds |= 1u << m->kind;
    if (!s->any_method[0] && m->method[0]) mt_strlcpy(s->any_method, m->method, sizeof s->any_method);

    switch (m->role) {
    case MT_SR_REQUEST: s->n_req++; break;
    case MT_SR_NOTIFY: s->n_notify++; break;
    case MT_SR_RESPONSE: s->n_resp++; break;
    default: break;
    }
    if (m->has_submit || m->kind == MT_SK_SUBMIT) s->n_submit++;
    if (m->has_job) s->n_job++;

    int client_side = m->role == MT_SR_REQUEST;
    int server_side = m->role == MT_SR_NOTIFY ||
                      (m->role == MT_SR_RESPONSE && m->strength >= MT_SS_MEDIUM);
    if (m->strength == MT_SS_STRONG) {
        if (m->kind == MT_SK_SUBMIT) {
            s->submit_seen = 1;
        } else if (client_side) {
            s->cli_strong = 1;
            if (!s->first_method[0]) mt_strlcpy(s->first_method, m->method, sizeof s->first_method);
        } else if (server_side) {
            s->srv_strong = 1;
        }
    } else if (m->strength == MT_SS_MEDIUM) {
        if (client_side) s->cli_medium = 1;
        else if (server_side) s->srv_medium = 1;
    } else if (m->tentative) {
        if (!s->tentative) s->waiting = 1;
        s->tentative = 1;
        if (!s->first_method[0]) mt_strlcpy(s->first_method, m->method, sizeof s->first_method);
        /* it is the client's, whichever way the decoder guessed */
        if (to_srv) s->fwd++;
        else s->rev++;
    }
    /* Orientation: requests travel to the server, pushes and mining-shaped
     * replies to the client. */
    if (m->strength >= MT_SS_MEDIUM && (client_side || server_side)) {
        if (client_side == to_srv) s->fwd++;
        else s->rev++;
    }

    keep(s->agent, sizeof s->agent, m->agent);
    keep(s->wallet, sizeof s->wallet, m->wallet);
    keep(s->worker, sizeof s->worker, m->worker);
    if (m->kind == MT_SK_LOGIN) keep(s->algos, sizeof s->algos, m->algo);
    else keep(s->algo, sizeof s->algo, m->algo);
    keep(s->pool, sizeof s->pool, m->pool_host);

    if (s->in_http) {
        const http_note *h = http_for(st, ev->flow_id);
        if (h) {
            keep(s->pool, sizeof s->pool, h->host);
            keep(s->agent, sizeof s->agent, h->ua);
        }
    }
}

static void on_json(mt_engine *e, state *st, const mt_event *ev)
{
    const mt_json_msg *j = ev->u.json;
    if (!j || !j->text) return;
    mt_stratum_msg m;
    int rc = mt_stratum_parse(j->text, j->len, &m);
    int mining = rc == MT_OK;
    if (rc != MT_OK && rc != MT_ENOTFOUND) return; /* malformed: not ours */
    if (m.tentative && mt_intel_wallet_shape(m.wallet)) {
        /* a coin address as the account: a pool login */
        m.tentative = 0;
        m.strength = MT_SS_STRONG;
    }

    if (ev->flow_id == 0) {
        /* No flow to collect into (some log sources): a strong message
         * alone is reported right away. */
        if (!mining || m.strength != MT_SS_STRONG) return;
        sess tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.first_ts = tmp.last_ts = ev->ts;
        tmp.cli = ev->cli;
        tmp.srv = ev->srv;
        tmp.cli_port = ev->cli_port;
        tmp.srv_port = ev->srv_port;
        tmp.ipproto = ev->ipproto;
        fold(st, &tmp, ev, &m, 1);
        finish(e, st, &tmp);
        return;
    }

    sess *s = lookup(st, ev->flow_id);
    if (!s) {
        if (!mining) return; /* generic JSON never opens a session */
        s = create(e, st, ev);
    }
    fold(st, s, ev, &m, mining);
    if (s->waiting) {
        /* The bounded wait of a login-shaped session: decided at the first
         * job, submit or mining method; after LOGIN_WAIT_MSGS messages
         * without one, other methods mean an application's session, and
         * nothing later in the flow changes that. Otherwise (only the
         * login and its replies) the flow end decides. */
        if (decides_login(s)) {
            s->waiting = 0;
        } else if (s->n_to_srv + s->n_to_cli >= LOGIN_WAIT_MSGS) {
            s->waiting = 0;
            if (s->n_generic) s->dismissed = 1;
        }
    }
    if (!s->reported && confidence_of(s) >= MT_CONF_PROBABLE &&
        (s->last_ts - s->first_ts >= REPORT_AFTER_US ||
         s->n_req + s->n_notify + s->n_resp >= REPORT_AFTER_MSGS)) {
        finish(e, st, s);
        s->reported = 1;
    }
}

static void on_event(mt_engine *e, void *vst, const mt_event *ev)
{
    state *st = vst;
    switch (ev->type) {
    case MT_EV_JSON_MSG:
        on_json(e, st, ev);
        break;
    case MT_EV_HTTP_REQUEST:
        if (ev->flow_id && ev->u.http) {
            http_note *h = &st->http[ev->flow_id % HTTP_CACHE];
            h->flow_id = ev->flow_id;
            mt_hostport_host(ev->u.http->host, h->host, sizeof h->host);
            mt_strlcpy(h->ua, ev->u.http->user_agent, sizeof h->ua);
        }
        break;
    case MT_EV_FLOW_END: {
        /* Sessions come from JSON messages, notes from HTTP requests. */
        if (!mt_flow_may_have(ev->u.flow, MT_EV_JSON_MSG) &&
            !mt_flow_may_have(ev->u.flow, MT_EV_HTTP_REQUEST))
            break;
        sess *s = lookup(st, ev->flow_id);
        if (s) {
            finish(e, st, s);
            release(st, s);
        }
        http_note *h = &st->http[ev->flow_id % HTTP_CACHE];
        if (h->flow_id == ev->flow_id) memset(h, 0, sizeof *h);
        break;
    }
    default:
        break;
    }
}

static void flush(mt_engine *e, void *vst)
{
    state *st = vst;
    for (uint32_t i = 0; i < st->high; i++) {
        sess *s = &st->pool[i];
        if (!s->live) continue;
        finish(e, st, s);
        release(st, s);
    }
    memset(st->http, 0, sizeof st->http);
}

static int init(mt_engine *e, void **out)
{
    (void)e;
    state *st = mt_xcalloc(1, sizeof *st);
    st->pool = mt_xcalloc(MAX_SESSIONS, sizeof *st->pool);
    st->index = mt_xcalloc(INDEX_SLOTS, sizeof *st->index);
    st->keys = mt_xcalloc(INDEX_SLOTS, sizeof *st->keys);
    st->live = mt_xcalloc((size_t)1 << LIVE_FILTER_BITS, 1);
    st->free_list = mt_xmalloc(MAX_SESSIONS * sizeof *st->free_list);
    for (uint32_t i = 0; i < MAX_SESSIONS; i++) st->free_list[i] = MAX_SESSIONS - 1 - i;
    st->n_free = MAX_SESSIONS;
    *out = st;
    return MT_OK;
}

static void free_state(void *vst)
{
    state *st = vst;
    if (!st) return;
    free(st->pool);
    free(st->index);
    free(st->keys);
    free(st->live);
    free(st->free_list);
    free(st);
}

const mt_detector mt_detector_stratum = {
    "stratum", init, on_event, flush, free_state,
    MT_EV_BIT(MT_EV_JSON_MSG) | MT_EV_BIT(MT_EV_HTTP_REQUEST) | MT_EV_BIT(MT_EV_FLOW_END)};
