/* Detector 'tls': TLS ClientHellos to mining pools and browser-miner
 * services.
 *
 * Stratum over TLS hides everything but the handshake, so three signals,
 * strongest first, and at most one finding per ClientHello:
 *   1. SNI listed in the intel with a mining category (pool, browser miner,
 *      miner C2): confidence = the list weight.
 *   2. No SNI (XMRig sends none) or an unlisted SNI: the server address is
 *      looked up in the DNS tie; if the client earlier resolved a listed
 *      mining name to it, that is the finding (weight - 5 without SNI,
 *      weight - 25 when an unrelated SNI was sent, since shared hosting can
 *      put both names on one address).
 *   3. DeCrypto-style SNI keywords (Plny et al., NordSec 2022): labels split
 *      on '.' and '-' (trailing digits dropped) scored 0.5 for a mining word
 *      {mine, mining, miner, pool} and 0.5 for a coin ticker {xmr, btc, eth,
 *      etc, rvn, zec, ltc, monero}. Alone this is weak, so it is a finding
 *      only at the full score AND on a mining port (mt_intel_port_weight),
 *      with confidence 45 + port weight / 4. pool.ntp.org scores 0.5: no.
 * SNIs in an allow list suppress everything. Reports are de-duplicated per
 * (client, server, name) for the whole run with a bounded fingerprint set.
 * The evidence ends with "; JA3 <md5>; JA4 <ja4>"; JA4 is computed only
 * here, for hellos that become findings (see src/proto/tls.c). */
#include "detect/confidence.h"
#include "detect/detectors.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/dnstie.h"
#include "detect/flowmark.h"
#include "proto/tls.h"

#define SEEN_SLOTS (1u << 15)

/* Confidence of this detector's indirect evidence (scale: detect/confidence.h). */
enum {
    NO_SNI_DISCOUNT = 5,     /* DNS-tied address, hello without SNI (XMRig's way) */
    OTHER_SNI_DISCOUNT = 25, /* DNS-tied address, but the hello names another host */
    KEYWORD_BASE = 45,       /* unlisted SNI with mining words; + a quarter of the port weight */
};

static int init(mt_engine *e, void **state)
{
    (void)e;
    *state = mt_seenset_new(SEEN_SLOTS);
    return MT_OK;
}

static void free_state(void *state) { mt_seenset_free(state); }

/* Walk the labels of name (split on '.' and '-'), trailing digits removed,
 * lower-cased, into cb; stops early when cb returns nonzero. */
typedef int (*label_fn)(const char *lab, size_t n, void *ctx);

static int for_labels(const char *name, label_fn cb, void *ctx)
{
    const char *p = name;
    while (*p) {
        size_t n = strcspn(p, ".-");
        size_t k = n;
        while (k && p[k - 1] >= '0' && p[k - 1] <= '9') k--;
        if (k && k < 32) {
            char lab[32];
            for (size_t i = 0; i < k; i++)
                lab[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
            lab[k] = '\0';
            int r = cb(lab, k, ctx);
            if (r) return r;
        }
        p += n;
        if (*p) p++;
    }
    return 0;
}

static int in_list(const char *lab, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(lab, list[i]) == 0) return 1;
    return 0;
}

static const char *const mining_words[] = {"mine", "mining", "miner", "pool", NULL};
static const char *const tickers[] = {"xmr", "btc", "eth", "etc", "rvn", "zec", "ltc", "monero", NULL};

typedef struct kw {
    int word, ticker;
    const char *family;
} kw;

static const char *ticker_family(const char *t)
{
    if (!strcmp(t, "xmr") || !strcmp(t, "monero")) return "monero-miner";
    if (!strcmp(t, "btc")) return "bitcoin-miner";
    if (!strcmp(t, "eth") || !strcmp(t, "etc")) return "ethereum-miner";
    if (!strcmp(t, "zec")) return "zcash-miner";
    if (!strcmp(t, "ltc")) return "litecoin-miner";
    return NULL;
}

static int kw_label(const char *lab, size_t n, void *ctx)
{
    (void)n;
    kw *k = ctx;
    if (in_list(lab, mining_words)) k->word = 1;
    if (in_list(lab, tickers)) {
        k->ticker = 1;
        if (!k->family) k->family = ticker_family(lab);
    }
    return 0;
}

/* DeCrypto keyword score in {0, 50, 100} (percent). */
static int keyword_score(const char *sni, const char **family)
{
    kw k = {0, 0, NULL};
    for_labels(sni, kw_label, &k);
    *family = k.family;
    return 50 * k.word + 50 * k.ticker;
}

static int fam_label(const char *lab, size_t n, void *ctx)
{
    (void)n;
    const char **out = ctx;
    const char *f = ticker_family(lab);
    if (!f && (!strcmp(lab, "zcash"))) f = "zcash-miner";
    if (f) *out = f;
    return f != NULL;
}

static const char *guess_family(const char *name, const mt_intel_hit *hit)
{
    if (hit && hit->family) return hit->family;
    const char *f = NULL;
    for_labels(name, fam_label, &f);
    if (f) return f;
    return mt_intel_category_family(hit ? hit->category : MT_CAT_POOL);
}

static int already(mt_seenset *seen, const mt_event *ev, const char *name)
{
    uint64_t h = mt_addr_hash(&ev->cli, 0x746c7331ULL);
    h = mt_addr_hash(&ev->srv, h);
    h = mt_hash_bytes(name, strlen(name), h);
    return mt_seenset_test_add_day(seen, h, ev->ts);
}

/* "; JA3 <md5>; JA4 <ja4>" for the evidence, each part only when known.
 * Called only once a finding is certain: JA4 is built here, lazily, because
 * it costs a sort and two SHA-256 runs per hello. */
static void fp_note(char *buf, size_t cap, const mt_tls_hello *t)
{
    char ja3[33], ja4[37];
    int has3 = mt_tls_ja3(t, NULL, 0, ja3); /* also built only here */
    int has4 = mt_tls_ja4(t, ja4);
    snprintf(buf, cap, "%s%s%s%s", has3 ? "; JA3 " : "", has3 ? ja3 : "",
             has4 ? "; JA4 " : "", has4 ? ja4 : "");
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    if (ev->type != MT_EV_TLS_HELLO || !ev->u.tls) return;
    mt_seenset *seen = state;
    const mt_tls_hello *t = ev->u.tls;
    const mt_intel *intel = mt_engine_intel(e);
    char fp[112];
    mt_finding f;

    /* 1. SNI on a list */
    mt_intel_hit hit;
    int sni_listed = t->sni[0] && mt_intel_match_domain(intel, t->sni, &hit);
    if (sni_listed && hit.category == MT_CAT_ALLOW) return;
    if (sni_listed && mt_intel_category_is_mining(hit.category)) {
        if (already(seen, ev, t->sni)) return;
        mt_finding_from_event(&f, ev, MT_KIND_TLS);
        mt_strlcpy(f.protocol, "tls", sizeof f.protocol);
        mt_strlcpy(f.pool, t->sni, sizeof f.pool);
        mt_strlcpy(f.family, guess_family(t->sni, &hit), sizeof f.family);
        f.confidence = hit.weight;
        fp_note(fp, sizeof fp, t);
        snprintf(f.evidence, sizeof f.evidence,
                 "TLS ClientHello with SNI %.120s, a %s name (matched %.120s, list %.60s)%s", t->sni,
                 hit.category == MT_CAT_POOL ? "mining pool"
                                             : mt_intel_category_noun(hit.category),
                 hit.matched, hit.source, fp);
        mt_engine_emit(e, &f);
        return;
    }

    /* 2. DNS tie for the server address */
    mt_dnstie_entry te;
    if (mt_dnstie_get(mt_engine_dnstie(e), &ev->srv, ev->ts, &te) &&
        mt_intel_category_is_mining(te.category) && te.name[0]) {
        if (already(seen, ev, te.name)) return;
        char ip[MT_ADDR_STRLEN];
        mt_addr_to_str(&ev->srv, ip, sizeof ip);
        mt_finding_from_event(&f, ev, MT_KIND_TLS);
        mt_strlcpy(f.protocol, "tls", sizeof f.protocol);
        mt_strlcpy(f.pool, te.name, sizeof f.pool);
        mt_intel_hit th = {te.weight, te.category, NULL, NULL, NULL};
        mt_intel_hit nh; /* the list entry of the tied name carries the family */
        if (mt_intel_match_domain(intel, te.name, &nh) && nh.family) th.family = nh.family;
        mt_strlcpy(f.family, guess_family(te.name, &th), sizeof f.family);
        fp_note(fp, sizeof fp, t);
        if (!t->sni[0]) {
            f.confidence = te.weight > NO_SNI_DISCOUNT ? te.weight - NO_SNI_DISCOUNT : te.weight;
            snprintf(f.evidence, sizeof f.evidence,
                     "TLS to %s resolved from pool name %.150s (no SNI)%s", ip, te.name, fp);
        } else {
            f.confidence = te.weight > OTHER_SNI_DISCOUNT ? te.weight - OTHER_SNI_DISCOUNT : te.weight;
            snprintf(f.evidence, sizeof f.evidence,
                     "TLS to %s resolved from pool name %.150s (SNI %.150s is not listed)%s", ip,
                     te.name, t->sni, fp);
        }
        mt_engine_emit(e, &f);
        return;
    }

    /* 3. keyword score on an unlisted SNI, only with a mining port */
    if (!t->sni[0] || sni_listed) return;
    const char *fam = NULL;
    int score = keyword_score(t->sni, &fam);
    int pw = mt_intel_port_weight(intel, ev->srv_port);
    if (score < 100 || pw <= 0) return;
    if (already(seen, ev, t->sni)) return;
    mt_finding_from_event(&f, ev, MT_KIND_TLS);
    mt_strlcpy(f.protocol, "tls", sizeof f.protocol);
    mt_strlcpy(f.pool, t->sni, sizeof f.pool);
    mt_strlcpy(f.family, fam ? fam : "coin-miner", sizeof f.family);
    f.confidence = KEYWORD_BASE + (pw > 100 ? 100 : pw) / 4;
    fp_note(fp, sizeof fp, t);
    snprintf(f.evidence, sizeof f.evidence,
             "TLS ClientHello with SNI %.200s: mining word and coin ticker in the name, "
             "to mining port %u (keyword score 1.0)%s",
             t->sni, (unsigned)ev->srv_port, fp);
    mt_engine_emit(e, &f);
}

const mt_detector mt_detector_tls = {"tls", init, on_event, NULL, free_state,
                                     MT_EV_BIT(MT_EV_TLS_HELLO)};
