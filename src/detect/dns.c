/* Detector 'dns': lookups of pool / browser-miner / miner-C2 names, and the
 * feed of the DNS tie.
 *
 * A query or response whose name (or a CNAME in the answer chain) matches
 * the indicator set with a mining category is a finding, reported once per
 * (client, name) per UTC day: a bounded set of 64-bit fingerprints remembers
 * what was reported, so the response that follows a query, or a client
 * that resolves the same pool every minute, adds nothing. Names in
 * category "crypto" (exchanges, wallets) are not findings. Only lookups a
 * client makes before connecting count: address queries (A, AAAA, CNAME,
 * SVCB/HTTPS, ANY, or a type the log did not say); a mail server asking
 * for the MX, SPF (TXT) or "_dmarc." record of a pool's newsletter domain
 * is not mining.
 *
 * Every A/AAAA answer goes into the DNS tie (address -> query name, with
 * the intel weight of the name or of any CNAME on its chain), listed or
 * not: the TLS and flow detectors use it to name connections that carry no
 * SNI. Entries live for the TTL plus an hour of grace, because clients
 * (and miners, which resolve once at start) keep addresses far longer than
 * the TTL says. */
#include "detect/detectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/dnstie.h"
#include "detect/flowmark.h"

#define SEEN_SLOTS (1u << 16) /* fingerprints; 512 KiB */
#define TIE_GRACE_US (3600LL * 1000000LL)
#define TIE_MAX_TTL_S (7LL * 86400LL)
#define CHAIN_MAX (MT_DNS_MAX_ANSWERS + 1)

typedef struct dns_state {
    mt_seenset *seen;   /* (client, name) already reported */
} dns_state;

static int init(mt_engine *e, void **state)
{
    (void)e;
    dns_state *s = mt_xcalloc(1, sizeof *s);
    s->seen = mt_seenset_new(SEEN_SLOTS);
    *state = s;
    return MT_OK;
}

static void free_state(void *state)
{
    dns_state *s = state;
    if (!s) return;
    mt_seenset_free(s->seen);
    free(s);
}

/* 1 if (client, name) was already reported on the UTC day of ts; else
 * remembers it and returns 0 (a bounded memory: see mt_seenset). */
static int seen_before(dns_state *s, const mt_addr *cli, const char *name, mt_time_us ts)
{
    /* Logs may spell a name in any case; fold it so they dedupe alike. */
    char low[MT_NAME_MAX];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof low; n++)
        low[n] = (name[n] >= 'A' && name[n] <= 'Z') ? (char)(name[n] + 32) : name[n];
    while (n && low[n - 1] == '.') n--;
    return mt_seenset_test_add_day(s->seen, mt_hash_bytes(low, n, mt_addr_hash(cli, 0x646e7321ULL)), ts);
}

/* Family from the host labels when the list gives none: pools name their
 * stratum hosts after the coin ("xmr-eu1", "eu1-zcash", "eth-us2"). */
static const char *guess_family(const char *name)
{
    static const struct { const char *tok; const char *family; } toks[] = {
        {"xmr", "monero-miner"},      {"monero", "monero-miner"},
        {"randomx", "monero-miner"},  {"randomxmonero", "monero-miner"},
        {"cryptonight", "monero-miner"}, {"rx", "monero-miner"},
        {"eth", "ethereum-miner"},    {"etc", "ethereum-miner"},
        {"ethash", "ethereum-miner"}, {"etchash", "ethereum-miner"},
        {"daggerhashimoto", "ethereum-miner"},
        {"zec", "zcash-miner"},       {"zcash", "zcash-miner"},
        {"equihash", "zcash-miner"},
        {"btc", "bitcoin-miner"},     {"bitcoin", "bitcoin-miner"},
        {"sha256", "bitcoin-miner"},  {"bch", "bitcoin-miner"},
        {"ltc", "litecoin-miner"},    {"litecoin", "litecoin-miner"},
        {"scrypt", "litecoin-miner"},
    };
    const char *p = name;
    while (*p) {
        size_t n = strcspn(p, ".-");
        size_t k = n;
        while (k && p[k - 1] >= '0' && p[k - 1] <= '9') k--; /* "eu1" -> "eu" */
        for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++)
            if (strlen(toks[i].tok) == k && strncmp(p, toks[i].tok, k) == 0)
                return toks[i].family;
        p += n;
        if (*p) p++;
    }
    return NULL;
}

/* Is this a lookup made to connect to the name? */
static int connect_lookup(const mt_dns *d, const char *name)
{
    switch (d->qtype) {
    case 0: case 1: case 5: case 28: case 64: case 65: case 255: break;
    default: return 0;
    }
    /* Service labels (_dmarc, _domainkey, _acme-challenge, SRV names). */
    for (const char *p = name; *p; p++)
        if (*p == '_' && (p == name || p[-1] == '.')) return 0;
    return 1;
}

static int in_chain(const char *const *chain, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(chain[i], name) == 0) return 1;
    return 0;
}

/* The names the query resolved through: qname, then each CNAME target
 * whose owner is already on the chain (answers may come in any order). */
static size_t build_chain(const mt_dns *d, const char **chain)
{
    size_t n = 0;
    chain[n++] = d->qname[0] ? d->qname
                             : (d->n_answers ? d->answers[0].name : "");
    for (int pass = 0; pass < MT_DNS_MAX_ANSWERS; pass++) {
        int added = 0;
        for (size_t i = 0; i < d->n_answers && n < CHAIN_MAX; i++) {
            const mt_dns_answer *a = &d->answers[i];
            if (a->type != 5 || !a->target[0]) continue;
            if (in_chain(chain, n, a->name) && !in_chain(chain, n, a->target)) {
                chain[n++] = a->target;
                added = 1;
            }
        }
        if (!added) break;
    }
    return n;
}

static void report(mt_engine *e, dns_state *s, const mt_event *ev, const mt_dns *d,
                   const char *qname, const mt_intel_hit *hit, const char *via)
{
    if (!qname[0] || seen_before(s, &ev->cli, qname, ev->ts)) return;
    mt_finding f;
    mt_finding_from_event(&f, ev, MT_KIND_DNS);
    mt_strlcpy(f.protocol, "dns", sizeof f.protocol);
    mt_strlcpy(f.pool, qname, sizeof f.pool);
    const char *fam = hit->family;
    if (!fam) fam = guess_family(qname);
    if (!fam && via) fam = guess_family(via);
    if (!fam) fam = mt_intel_category_family(hit->category);
    mt_strlcpy(f.family, fam, sizeof f.family);
    f.confidence = hit->weight;
    const char *what = d->is_response ? "response" : "query";
    const char *nx = (d->is_response && d->rcode == 3) ? ", NXDOMAIN" : "";
    if (via)
        snprintf(f.evidence, sizeof f.evidence,
                 "DNS %s for %s: CNAME to %s, a %s domain (matched %s, list %s%s)", what,
                 qname, via, mt_intel_category_noun(hit->category), hit->matched, hit->source,
                 nx);
    else
        snprintf(f.evidence, sizeof f.evidence,
                 "DNS %s for %s domain %s (matched %s, list %s%s)", what,
                 mt_intel_category_noun(hit->category), qname, hit->matched, hit->source, nx);
    mt_engine_emit(e, &f);
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    if (ev->type != MT_EV_DNS || !ev->u.dns) return;
    dns_state *s = state;
    const mt_dns *d = ev->u.dns;
    const mt_intel *intel = mt_engine_intel(e);

    const char *chain[CHAIN_MAX];
    size_t nchain = build_chain(d, chain);

    /* Strongest hit over the chain; remember which name gave it. */
    mt_intel_hit best = {0, 0, NULL, NULL, NULL};
    const char *best_name = NULL;
    for (size_t i = 0; i < nchain; i++) {
        mt_intel_hit h;
        if (chain[i][0] && mt_intel_match_domain(intel, chain[i], &h) &&
            (!best_name || mt_intel_hit_stronger(&h, &best))) {
            best = h;
            best_name = chain[i];
        }
    }
    if (best_name && mt_intel_category_is_mining(best.category) && connect_lookup(d, chain[0]))
        report(e, s, ev, d, chain[0], &best, best_name == chain[0] ? NULL : best_name);

    if (!d->is_response) return;
    mt_dnstie *tie = mt_engine_dnstie(e);
    for (size_t i = 0; i < d->n_answers; i++) {
        const mt_dns_answer *a = &d->answers[i];
        if (a->type != 1 && a->type != 28) continue;
        if (a->addr.family != 4 && a->addr.family != 6) continue;
        int64_t ttl = a->ttl < TIE_MAX_TTL_S ? (int64_t)a->ttl : TIE_MAX_TTL_S;
        mt_time_us expires = ev->ts + ttl * 1000000LL + TIE_GRACE_US;
        if (in_chain(chain, nchain, a->name)) {
            mt_dnstie_put(tie, &a->addr, chain[0][0] ? chain[0] : a->name, expires,
                          best_name ? best.weight : 0, best_name ? best.category : 0);
        } else {
            /* An address record off the chain: tie it to its own name. */
            mt_intel_hit h;
            int m = mt_intel_match_domain(intel, a->name, &h);
            mt_dnstie_put(tie, &a->addr, a->name, expires, m ? h.weight : 0,
                          m ? h.category : 0);
        }
    }
}

const mt_detector mt_detector_dns = {"dns", init, on_event, NULL, free_state,
                                     MT_EV_BIT(MT_EV_DNS)};
