/* Detector 'alert': other IDSs' coin-mining alerts become findings.
 *
 * Suricata's ET Open rules name mining in the signature text ("ET COINMINER
 * ...", "ET POLICY Crypto Coin Miner Login", "ET POLICY Cryptocurrency Miner
 * Checkin", "... Monero Mining Pool DNS Lookup") and in the category of
 * classtype coin-mining ("Crypto Currency Mining Activity Detected"); Zeek's
 * cryptomining package raises notices "Bitcoin::Miner" /
 * "Bitcoin::Mining_Pool_Server" with "Cryptominer at ..." messages. We
 * match those phrases case-insensitively on signature and category, plus
 * ET's EternalBlue/DoublePulsar alerts (WannaMine's spreading vector) and
 * the ET SIDs of alert_map.c. An alert that matches none is not ours: it is
 * ignored (and counted). alert_map.c gives the finding the kind, family
 * and protocol a packet finding of the same behaviour has; precursors are
 * "precursor" events of kind smb, family wannamine, as the SMB detector
 * writes them. Confidence follows the alert's severity (1 = high).
 *
 * Orientation: the finding's src is the miner (for a precursor the
 * attacker). Alerts logged in packet order (EVE without "direction") are
 * turned by who sent the matched bytes: a mining request in the payload
 * comes from the miner, a job or notify from the pool; else the rule's own
 * direction (alert_map.c); only when neither is known do the ports decide
 * (a pool port on the source side only, or SMB's 445/139), and the evidence
 * says so. */
#include "detect/alert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/confidence.h"
#include "detect/detectors.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"

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

static int phrase_match(const mt_alert *a);

int mt_alert_is_mining(const mt_alert *a)
{
    return phrase_match(a) || mt_alert_is_precursor_name(a->signature) ||
           mt_alert_sid_known(a);
}

static int phrase_match(const mt_alert *a)
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

typedef struct alert_state {
    uint64_t mining, ignored;
} alert_state;

static int init(mt_engine *e, void **state)
{
    (void)e;
    *state = mt_xcalloc(1, sizeof(alert_state));
    return MT_OK;
}

static int is_mining_port(uint16_t p)
{
    return (mt_intel_port_roles(p) & MT_PORT_POOL) != 0;
}

static int is_smb_port(uint16_t p) { return p == 445 || p == 139; }

/* 1 when the packet-order ends must be swapped for src = miner/attacker;
 * *guessed when only the ports said so. */
static int turn_round(const mt_event *ev, const mt_alert_class *c, int *guessed)
{
    *guessed = 0;
    if (ev->u.alert->ends != MT_ALERT_ENDS_PACKET) return 0;
    if (c->kind == MT_KIND_DNS && (ev->cli_port == 53) != (ev->srv_port == 53))
        return ev->cli_port == 53; /* the resolver's end, as for DNS records */
    if (c->role == MT_AROLE_SERVER) return 1;
    if (c->role == MT_AROLE_CLIENT) return 0;
    int swap = c->precursor ? is_smb_port(ev->cli_port) && !is_smb_port(ev->srv_port)
                            : is_mining_port(ev->cli_port) && !is_mining_port(ev->srv_port);
    *guessed = 1;
    return swap;
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    alert_state *st = state;
    if (ev->type != MT_EV_ALERT || !ev->u.alert) return;
    const mt_alert *a = ev->u.alert;
    mt_alert_class c;
    if (!mt_alert_classify(a, mt_engine_intel(e), &c)) {
        st->ignored++;
        return;
    }
    st->mining++;
    mt_finding f;
    mt_finding_from_event(&f, ev, c.kind);
    int guessed;
    if (turn_round(ev, &c, &guessed)) {
        f.src = ev->srv;
        f.dst = ev->cli;
        f.src_port = ev->srv_port;
        f.dst_port = ev->cli_port;
    }
    if (c.precursor) f.event_type = MT_EVENT_PRECURSOR;
    f.confidence = mt_alert_confidence(a->severity);
    if (c.family) mt_strlcpy(f.family, c.family, sizeof f.family);
    mt_strlcpy(f.protocol, c.protocol, sizeof f.protocol);
    mt_strlcpy(f.pool, c.pool, sizeof f.pool);
    mt_strlcpy(f.agent, c.agent, sizeof f.agent);
    mt_strlcpy(f.wallet, c.wallet, sizeof f.wallet);
    const char *how = guessed ? "; ends from ports" : "";
    if (a->signature_id)
        snprintf(f.evidence, sizeof f.evidence, "IDS alert [%llu] %.300s (%.100s)%s%s%s",
                 (unsigned long long)a->signature_id, a->signature, a->category,
                 c.basis ? "; by " : "", c.basis ? c.basis : "", how);
    else
        snprintf(f.evidence, sizeof f.evidence, "IDS notice %.100s: %.300s%s%s%s", a->category,
                 a->signature, c.basis ? "; by " : "", c.basis ? c.basis : "", how);
    mt_engine_emit(e, &f);
}

static void free_state(void *state) { free(state); }

const mt_detector mt_detector_alert = {"alert", init, on_event, NULL, free_state,
                                       MT_EV_BIT(MT_EV_ALERT)};
