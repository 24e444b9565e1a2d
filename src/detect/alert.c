/* Detector 'alert': other IDSs' coin-mining alerts become findings.
 *
 * Suricata's ET Open rules name mining in the signature text ("ET COINMINER
 * ...", "ET POLICY Crypto Coin Miner Login", "ET POLICY Cryptocurrency Miner
 * Checkin", "... Monero Mining Pool DNS Lookup") and in the category of
 * classtype coin-mining ("Crypto Currency Mining Activity Detected"); Zeek's
 * cryptomining package raises notices "Bitcoin::Miner" /
 * "Bitcoin::Mining_Pool_Server" with "Cryptominer at ..." messages. We
 * match those phrases case-insensitively on signature and category. An
 * alert that matches none is not ours: it is ignored (and counted).
 * Confidence follows the alert's severity (1 = high). */
#include "detect/alert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/confidence.h"
#include "detect/detectors.h"

static const char *const mining_phrases[] = {
    "coinminer", "coin miner", "coin-miner", "coin mining", "coin-mining",
    "cryptominer", "crypto miner", "crypto-miner", "cryptomining",
    "crypto mining", "crypto-mining", "crypto currency mining",
    "cryptocurrency miner", "cryptocurrency mining", "mining pool",
    "mining_pool", "miner checkin", "miner login", "miner check-in",
    "bitcoin::miner", "stratum", "xmrig", "cryptonight", "coinhive",
    "coin-hive", "cryptojack", "crypto-loot", "cryptoloot", "jsecoin",
    "minergate", "nicehash", "monero mining", "mining activity",
};

int mt_alert_is_mining(const mt_alert *a)
{
    /* One lower-cased copy, then plain strstr per phrase (not strcasestr,
     * which folds the haystack again for every phrase): this runs for every
     * alert of a busy sensor. */
    char low[sizeof a->signature + sizeof a->category + 2];
    size_t n = 0;
    for (const char *p = a->signature; *p && n < sizeof a->signature; p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n++] = '\n';
    for (const char *p = a->category; *p && n < sizeof low - 1; p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof mining_phrases / sizeof mining_phrases[0]; i++)
        if (strstr(low, mining_phrases[i])) return 1;
    return 0;
}

int mt_alert_confidence(int severity)
{
    switch (severity) {
    case 1: return MT_CONF_STRONG;
    case 2: return MT_CONF_LIKELY;
    case 3: return MT_CONF_SUGGESTIVE;
    default: return MT_CONF_WEAK;
    }
}

/* Family and protocol hints from the signature text. */
static void classify(const mt_alert *a, mt_finding *f)
{
    const char *s = a->signature;
    if (strcasestr(s, "coinhive") || strcasestr(s, "coin-hive") ||
        strcasestr(s, "crypto-loot") || strcasestr(s, "cryptoloot") ||
        strcasestr(s, "jsecoin") || strcasestr(s, "browser"))
        mt_strlcpy(f->family, "browser-miner", sizeof f->family);
    else if (strcasestr(s, "monero") || strcasestr(s, "xmr") ||
             strcasestr(s, "cryptonight") || strcasestr(s, "minergate"))
        mt_strlcpy(f->family, "monero-miner", sizeof f->family);
    else if (strcasestr(s, "ethereum") || strcasestr(s, "ethash"))
        mt_strlcpy(f->family, "ethereum-miner", sizeof f->family);
    else if (strcasestr(s, "bitcoin") || strcasestr(s, "getblocktemplate") ||
             strcasestr(s, "getwork") || strcasestr(a->category, "bitcoin::"))
        mt_strlcpy(f->family, "bitcoin-miner", sizeof f->family);

    if (strcasestr(s, "dns")) mt_strlcpy(f->protocol, "dns", sizeof f->protocol);
    else if (strcasestr(s, "tls") || strcasestr(s, "ssl") || strcasestr(s, "sni"))
        mt_strlcpy(f->protocol, "tls", sizeof f->protocol);
    else if (strcasestr(s, "stratum")) mt_strlcpy(f->protocol, "stratum-v1", sizeof f->protocol);
    else if (strcasestr(s, "getblocktemplate")) mt_strlcpy(f->protocol, "getblocktemplate", sizeof f->protocol);
    else if (strcasestr(s, "getwork")) mt_strlcpy(f->protocol, "getwork", sizeof f->protocol);
    else mt_strlcpy(f->protocol, "ids-alert", sizeof f->protocol);
}

typedef struct alert_state {
    uint64_t mining, ignored;
} alert_state;

static int init(mt_engine *e, void **state)
{
    (void)e;
    *state = mt_xcalloc(1, sizeof(alert_state));
    return MT_OK;
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    alert_state *st = state;
    if (ev->type != MT_EV_ALERT || !ev->u.alert) return;
    const mt_alert *a = ev->u.alert;
    if (!mt_alert_is_mining(a)) {
        st->ignored++;
        return;
    }
    st->mining++;
    mt_finding f;
    mt_finding_from_event(&f, ev, MT_KIND_ALERT);
    f.confidence = mt_alert_confidence(a->severity);
    classify(a, &f);
    if (a->signature_id)
        snprintf(f.evidence, sizeof f.evidence, "IDS alert [%llu] %.300s (%.120s)",
                 (unsigned long long)a->signature_id, a->signature, a->category);
    else
        snprintf(f.evidence, sizeof f.evidence, "IDS notice %.120s: %.300s",
                 a->category, a->signature);
    mt_engine_emit(e, &f);
}

static void free_state(void *state) { free(state); }

const mt_detector mt_detector_alert = {"alert", init, on_event, NULL, free_state,
                                       MT_EV_BIT(MT_EV_ALERT)};
