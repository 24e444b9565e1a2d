/* Detector 'flow': conclusions drawn at flow end, for traffic whose content
 * other detectors cannot read.
 *
 *   (d) Stratum V2: plaintext SetupConnection (app = MT_APP_SV2 from the
 *       capture layer) or the Noise NX handshake sizes (client 64 bytes,
 *       server 234 bytes as first payloads).
 *   (a) non-TLS, non-JSON, non-HTTP TCP flows to an address in the intel
 *       IP/CIDR lists with a mining category;
 *   (b) the same flows to an address the DNS tie resolved from a listed pool
 *       name ("connection to address resolved from pool name X");
 *   (c) encrypted Stratum by behaviour (TLS or unknown app): the score of
 *       flow_score.c combined with priors (mining port, SNI keyword); the
 *       behaviour alone, like a port alone, is never a finding.
 *   (e) TLS-only miners, before (c): a TLS flow without SNI and ALPN whose
 *       first-minute shape (job pushes, submit/accept pairs, the hello's
 *       JA4) scores >= MT_TLS_SHAPE_MIN in tls_shape.c; this one decides
 *       alone, at MT_EV_FLOW_MINUTE for flows that outlive the minute.
 * TLS flows are left to the TLS detector for names/tie, JSON flows to the
 * Stratum detector, HTTP/WebSocket flows to theirs (their Host header names
 * the site; an address shared by a CDN would mislead us). One finding per
 * flow, the strongest reason first. No per-flow state. */
#include <stdio.h>
#include <string.h>

#include "detect/confidence.h"
#include "detect/detectors.h"
#include "detect/dnstie.h"
#include "detect/flow_score.h"
#include "detect/tls_shape.h"
#include "proto/sv2.h"

/* Confidence adjustments of this detector (scale: detect/confidence.h). */
enum {
    SV2_NOISE_BASE = 55,    /* Noise handshake sizes alone; + half the port weight */
    SV2_TALKED_ON = 10,     /* ... when both sides went on exchanging frames */
    WEB_PORT_DISCOUNT = 25, /* a tied pool address on 80/443 may be a shared web host */
};

static void start(mt_finding *f, const mt_event *ev, mt_finding_kind kind,
                  const char *protocol, int confidence)
{
    mt_finding_from_event(f, ev, kind);
    f->event_type = MT_EVENT_MINING;
    f->confidence = confidence;
    mt_strlcpy(f->protocol, protocol, sizeof f->protocol);
    mt_addr_to_str(&ev->srv, f->pool, sizeof f->pool);
}

static size_t n_sizes(const mt_flow_stats *s)
{
    return s->n_first_sizes < MT_FLOW_NSIZES ? s->n_first_sizes : MT_FLOW_NSIZES;
}

static int check_sv2(mt_engine *e, const mt_event *ev, const mt_flow_stats *s, int pw)
{
    int32_t sz[MT_FLOW_NSIZES];
    size_t n = n_sizes(s);
    for (size_t i = 0; i < n; i++) sz[i] = (int32_t)s->first_sizes[i];
    mt_finding f;
    if (s->app == MT_APP_SV2) {
        start(&f, ev, MT_KIND_BEHAVIOUR, "stratum-v2", MT_CONF_LIKELY);
        snprintf(f.evidence, sizeof f.evidence,
                 "plaintext Stratum V2 SetupConnection to port %u", (unsigned)ev->srv_port);
    } else if (s->app == MT_APP_UNKNOWN && mt_sv2_is_noise_handshake(sz, n)) {
        /* sizes alone are a moderate signal; more with a client that kept
         * talking in SV2 frames and a mining port */
        int c = SV2_NOISE_BASE + pw / 2;
        if (s->pkts_c2s >= 4 && s->pkts_s2c >= 4) c += SV2_TALKED_ON;
        start(&f, ev, MT_KIND_BEHAVIOUR, "stratum-v2", c > MT_CONF_WORK ? MT_CONF_WORK : c);
        snprintf(f.evidence, sizeof f.evidence,
                 "Stratum V2 Noise NX handshake sizes (client %d, server %d bytes) to port %u",
                 MT_SV2_NOISE_ACT1, MT_SV2_NOISE_ACT2, (unsigned)ev->srv_port);
    } else {
        return 0;
    }
    mt_engine_emit(e, &f);
    return 1;
}

static int check_ip(mt_engine *e, const mt_event *ev, const mt_flow_stats *s)
{
    if (s->app != MT_APP_UNKNOWN && s->app != MT_APP_SV2) return 0;
    if (ev->ipproto != 6) return 0;
    const mt_intel *in = mt_engine_intel(e);
    mt_intel_hit hit;
    mt_finding f;
    int answered = s->pkts_s2c > 0;
    if (in && mt_intel_match_ip(in, &ev->srv, &hit) && mt_intel_category_is_mining(hit.category)) {
        int c = hit.weight;
        if (!answered) c = c * 2 / 3;
        start(&f, ev, MT_KIND_IP, "tcp", c < 1 ? 1 : c);
        snprintf(f.evidence, sizeof f.evidence,
                 "connection to listed %s address (%s, list %s)%s",
                 mt_intel_category_str(hit.category), hit.matched ? hit.matched : "?",
                 hit.source ? hit.source : "?", answered ? "" : ", unanswered");
        if (hit.family) mt_strlcpy(f.family, hit.family, sizeof f.family);
        mt_engine_emit(e, &f);
        return 1;
    }
    mt_dnstie_entry te;
    if (mt_dnstie_get(mt_engine_dnstie(e), &ev->srv, ev->ts, &te) && te.weight > 0 &&
        mt_intel_category_is_mining(te.category)) {
        int c = te.weight;
        if (!answered) c = c * 2 / 3;
        /* web ports: likely the pool's web site or a TLS flow caught
         * mid-stream, on an address a CDN may share with other sites */
        int web = ev->srv_port == 443 || ev->srv_port == 80;
        if (web) c -= WEB_PORT_DISCOUNT;
        start(&f, ev, MT_KIND_IP, "tcp", c < 1 ? 1 : c);
        mt_strlcpy(f.pool, te.name, sizeof f.pool);
        /* The tie keeps weight and category only; the family comes from
         * the listed name itself. */
        mt_intel_hit nh;
        if (in && mt_intel_match_domain(in, te.name, &nh) && nh.family)
            mt_strlcpy(f.family, nh.family, sizeof f.family);
        snprintf(f.evidence, sizeof f.evidence,
                 "connection to address resolved from pool name %.300s (%s)%s%s", te.name,
                 mt_intel_category_str(te.category), answered ? "" : ", unanswered",
                 web ? ", web port (shared hosting possible)" : "");
        mt_engine_emit(e, &f);
        return 1;
    }
    return 0;
}

/* TLS-only miners (tls_shape.h): a TLS flow without SNI and ALPN whose
 * first minute has a miner's shape. Flows with an SNI are the TLS
 * detector's (names, keywords) and the behaviour score's. */
static int check_tls_shape(mt_engine *e, const mt_event *ev, const mt_flow_stats *s, int pw)
{
    if (ev->ipproto != 6) return 0;
    mt_tls_shape_verdict v;
    mt_tls_shape_score(s, &v);
    int c = mt_tls_shape_confidence(&v, pw);
    if (!c) return 0;
    mt_finding f;
    start(&f, ev, MT_KIND_BEHAVIOUR, "tls", c);
    mt_tls_shape_explain(s, &v, f.evidence, sizeof f.evidence);
    size_t n = strlen(f.evidence);
    if (pw > 0 && n + 16 < sizeof f.evidence)
        snprintf(f.evidence + n, sizeof f.evidence - n, "; mining port %u", (unsigned)ev->srv_port);
    mt_engine_emit(e, &f);
    return 1;
}

static int check_behaviour(mt_engine *e, const mt_event *ev, const mt_flow_stats *s, int pw)
{
    if (s->app != MT_APP_TLS && s->app != MT_APP_UNKNOWN) return 0;
    if (ev->ipproto != 6) return 0;
    mt_flow_features ff;
    if (!mt_flow_features_from_stats(s, &ff)) return 0;
    int b = mt_flow_behaviour_score(&ff);
    if (b < MT_FLOW_BEHAVIOUR_MIN) return 0;
    const mt_intel *in = mt_engine_intel(e);
    mt_intel_hit hit;
    if (s->sni[0] && in && mt_intel_match_domain(in, s->sni, &hit)) return 0; /* TLS detector's */
    int kw = s->sni[0] && mt_flow_sni_keyword(s->sni);
    int c = mt_flow_decide(b, pw, kw);
    if (!c) return 0;
    mt_finding f;
    start(&f, ev, MT_KIND_BEHAVIOUR, s->app == MT_APP_TLS ? "tls" : "tcp", c);
    if (s->sni[0]) mt_strlcpy(f.pool, s->sni, sizeof f.pool);
    snprintf(f.evidence, sizeof f.evidence,
             "encrypted-Stratum-like flow: score %d (%.0f s, %llu/%llu payload packets up/down, "
             "%llu server pushes after silence, %llu client bursts), %s%s%s",
             b, ff.dur_s, (unsigned long long)ff.data_c2s, (unsigned long long)ff.data_s2c,
             (unsigned long long)ff.pushes_s2c, (unsigned long long)ff.bursts_c2s,
             pw > 0 ? "mining port" : "", pw > 0 && kw ? ", " : "",
             kw ? "pool-like SNI keyword" : "");
    mt_engine_emit(e, &f);
    return 1;
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    (void)state;
    if (!ev->u.flow) return;
    const mt_flow_stats *s = ev->u.flow;
    if (ev->type == MT_EV_FLOW_MINUTE) { /* TLS-only miner candidates, at one minute */
        const mt_intel *in = mt_engine_intel(e);
        check_tls_shape(e, ev, s, in ? mt_intel_port_weight(in, ev->srv_port) : 0);
        return;
    }
    if (ev->type != MT_EV_FLOW_END) return;
    if (s->app == MT_APP_JSON || s->app == MT_APP_DNS || s->app == MT_APP_SMB) return;
    const mt_intel *in = mt_engine_intel(e);
    int pw = in ? mt_intel_port_weight(in, ev->srv_port) : 0;
    if (check_sv2(e, ev, s, pw)) return;
    if (check_ip(e, ev, s)) return;
    if (s->events_known && (s->event_mask & MT_EV_BIT(MT_EV_FLOW_MINUTE))) {
        /* judged at one minute on the same (frozen) shape: a finding then
         * was the flow's one finding */
        mt_tls_shape_verdict v;
        mt_tls_shape_score(s, &v);
        if (mt_tls_shape_confidence(&v, pw)) return;
    } else if (check_tls_shape(e, ev, s, pw)) {
        return;
    }
    check_behaviour(e, ev, s, pw);
}

const mt_detector mt_detector_flow = {"flow", NULL, on_event, NULL, NULL,
                                      MT_EV_BIT(MT_EV_FLOW_END) | MT_EV_BIT(MT_EV_FLOW_MINUTE)};
