/* TLS-only miner shape score (see tls_shape.h). Integer points, one line
 * per feature so the weights stay readable; measured on the recordings in
 * tests/data/tls_miner/ and the corpus (docs/DETECTORS.md, "TLS-only
 * miners"). */
#include "detect/tls_shape.h"

#include <stdio.h>
#include <string.h>

/* Miner ClientHellos without SNI and ALPN, by JA4 (measured on our own
 * recordings of the real clients: tests/data/tls_miner/). */
static const struct {
    const char *name, *ja4;
} known_hellos[] = {
    {"XMRig 6.16 (OpenSSL)", "t13i310900_e8f1e7e78f70_5ac7197df9d2"},
};

enum {
    P_FP = 40,          /* hello of a known miner client */
    P_PUSHES_STEADY = 30, /* >= 2 job-sized pushes of near-equal size */
    P_PUSH_ONE = 15,    /* one push, or pushes of varied size */
    P_PAIR = 20,        /* a share submit answered by a short status */
    P_PAIRS_MORE = 10,  /* three or more */
    P_QUIET_LONG = 10,  /* held open >= 30 s of the minute, no bulk */
    P_LOGIN = 10,       /* a login-sized client record answered by a job-sized reply */
    N_CLIENT_LED = 30,  /* >= 3 client-led bursts: a heartbeat or chat */
    N_PINGS = 30,       /* >= 3 pings a minute: a heartbeat (a miner's keepalive
                           comes after a minute of quiet at most once) */
    N_CLIENT_MOST = 20, /* client leads more than the server pushes */
    N_BULK = 60,        /* >= 3 bulk records: a download */
};

int mt_tls_shape_score(const mt_flow_stats *s, mt_tls_shape_verdict *v)
{
    memset(v, 0, sizeof *v);
    if (!s || s->app != MT_APP_TLS) return 0;
    const mt_flow_shape *sh = &s->shape;
    if (!(sh->flags & MT_SHAPE_HELLO) || (sh->flags & (MT_SHAPE_SNI | MT_SHAPE_ALPN))) return 0;
    v->gate = 1;
    mt_time_us span = s->last_ts > s->first_ts ? s->last_ts - s->first_ts : 0;
    if (span > MT_SHAPE_WINDOW_US) span = MT_SHAPE_WINDOW_US;
    v->window_s = (double)span / 1e6;
    if (sh->hello_fp) {
        for (size_t i = 0; i < sizeof known_hellos / sizeof known_hellos[0]; i++) {
            if (mt_flow_shape_fp(known_hellos[i].ja4, strlen(known_hellos[i].ja4)) == sh->hello_fp) {
                v->fp_name = known_hellos[i].name;
                v->fp_ja4 = known_hellos[i].ja4;
                break;
            }
        }
    }
    int p = 0;
    if (v->fp_name) p += P_FP;
    v->pushes_steady = sh->pushes >= 2 && sh->push_max - sh->push_min <= MT_TLS_SHAPE_PUSH_SPREAD;
    if (v->pushes_steady) p += P_PUSHES_STEADY;
    else if (sh->pushes >= 1) p += P_PUSH_ONE;
    if (sh->pairs >= 1) p += P_PAIR;
    if (sh->pairs >= 3) p += P_PAIRS_MORE;
    if (span >= 30 * 1000000LL && sh->bulk_s2c == 0) p += P_QUIET_LONG;
    if (sh->flags & MT_SHAPE_LOGIN) p += P_LOGIN;
    if (sh->client_led >= 3) p -= N_CLIENT_LED;
    if (sh->pings >= 3) p -= N_PINGS;
    if (sh->client_led > sh->pushes + sh->pairs) p -= N_CLIENT_MOST;
    if (sh->bulk_s2c >= 3) p -= N_BULK;
    if (p < 0) p = 0;
    if (p > 100) p = 100;
    v->score = p;
    return p;
}

int mt_tls_shape_confidence(const mt_tls_shape_verdict *v, int port_weight)
{
    if (v->score < MT_TLS_SHAPE_MIN) return 0;
    int c = 50 + (v->score - MT_TLS_SHAPE_MIN) / 2 + (port_weight > 0 ? port_weight / 4 : 0);
    return c > 85 ? 85 : c;
}

void mt_tls_shape_explain(const mt_flow_stats *s, const mt_tls_shape_verdict *v, char *buf,
                          size_t cap)
{
    const mt_flow_shape *sh = &s->shape;
    char fp[96] = "";
    if (v->fp_name) snprintf(fp, sizeof fp, ", JA4 %s = %s", v->fp_ja4, v->fp_name);
    char pushes[64] = "";
    if (sh->pushes)
        snprintf(pushes, sizeof pushes, " (%u-%u bytes%s)", (unsigned)sh->push_min,
                 (unsigned)sh->push_max, v->pushes_steady ? ", steady" : "");
    snprintf(buf, cap,
             "TLS-only miner shape in the first %.0f s: score %d; ClientHello without SNI "
             "and ALPN%s;%s %u job-sized server pushes after silence%s; %u submit/accept "
             "pairs; %u pings; %u client-led bursts; %u bulk records",
             v->window_s, v->score, fp,
             (sh->flags & MT_SHAPE_LOGIN) ? " login-sized request answered by a job-sized reply;" : "",
             (unsigned)sh->pushes, pushes, (unsigned)sh->pairs,
             (unsigned)sh->pings, (unsigned)sh->client_led, (unsigned)sh->bulk_s2c);
}
