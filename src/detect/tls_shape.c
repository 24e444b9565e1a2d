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

/* The learned part: a logistic regression over first-minute features
 * without the hello fingerprint, trained by scripts/train_tls_shape.py on
 * the CESNET-MINER22 sample (first 30 packets per flow), split by client:
 * the sample has no address, so a client is inferred from its ports (the
 * records of one connection share them, one client's reconnects take
 * nearly consecutive source ports); clients whose id % 10 < 7 train
 * (2,610 rows), the other 113 miner and 393 benign clients are held out
 * (1,389 rows; 2026-12-03). Threshold = just above the highest logit of an
 * "Other" flow of the training split and of a benign recording
 * (tests/data/tls_miner/: the price ticker sets it), so the model alone
 * flags none of them; held out: precision 1.000, recall 0.830 of the
 * flows, 0.487 of the miner clients. The features are the frozen shape
 * counters and the first MT_FLOW_NSIZES payload directions, so the verdict
 * at the flow's end equals the one at its minute. */
enum {
    F_PUSHES, F_STEADY, F_PAIRS, F_PAIRS3, F_LOGIN, F_HELD30, F_CLIENT_LED, F_CLIENT_LED3,
    F_PINGS3, F_CLIENT_MOST, F_BULK3, F_FIRST8_CLIENT, F_ANSWERED, F_ANSWERED_HALF, F_N
};
static const struct {
    const char *name;
    double w;
} model[F_N] = {
    {"job pushes", 3.1165},           {"steady push size", 2.0965},
    {"submit/accept pairs", 0.3853},  {">= 3 pairs", 0.3554},
    {"login answered by a job", -0.6988}, {"held 30 s", -0.4566},
    {"client-led bursts", -0.3844},   {">= 3 client-led bursts", -0.3142},
    {">= 3 pings", 0.0000},           {"client leads", -1.6747},
    {">= 3 bulk records", -0.9239},   {"client share of the first payloads", -1.9720},
    {"pushes answered at once", -0.8922}, {"half the pushes answered at once", -1.1057},
};
#define MODEL_BIAS (-0.1187)
#define MODEL_THRESHOLD 3.2004

static double min4(unsigned n) { return (n > 4 ? 4 : n) / 4.0; }

static void model_features(const mt_flow_stats *s, mt_time_us span, int steady, double *x)
{
    const mt_flow_shape *sh = &s->shape;
    x[F_PUSHES] = min4(sh->pushes);
    x[F_STEADY] = steady;
    x[F_PAIRS] = min4(sh->pairs);
    x[F_PAIRS3] = sh->pairs >= 3;
    x[F_LOGIN] = (sh->flags & MT_SHAPE_LOGIN) != 0;
    x[F_HELD30] = span >= 30 * 1000000LL && sh->bulk_s2c == 0;
    x[F_CLIENT_LED] = min4(sh->client_led);
    x[F_CLIENT_LED3] = sh->client_led >= 3;
    x[F_PINGS3] = sh->pings >= 3;
    x[F_CLIENT_MOST] = sh->client_led > sh->pushes + sh->pairs;
    x[F_BULK3] = sh->bulk_s2c >= 3;
    unsigned n = s->n_first_sizes > MT_FLOW_NSIZES ? MT_FLOW_NSIZES : s->n_first_sizes, up = 0;
    for (unsigned i = 0; i < n; i++) up += s->first_sizes[i] > 0;
    x[F_FIRST8_CLIENT] = n ? (double)up / n : 0;
    unsigned answered = sh->answered & (uint8_t)~MT_SHAPE_PUSH_PENDING;
    x[F_ANSWERED] = min4(answered);
    x[F_ANSWERED_HALF] = sh->pushes && 2 * answered >= sh->pushes;
}

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
    v->fp_points = v->fp_name ? P_FP : 0;
    double x[F_N];
    model_features(s, span, v->pushes_steady, x);
    double z = MODEL_BIAS;
    for (int i = 0; i < F_N; i++) z += model[i].w * x[i];
    v->model_logit = z;
    v->model_hit = z >= MODEL_THRESHOLD;
    /* the two strongest contributions, for the evidence */
    v->model_top[0] = v->model_top[1] = NULL;
    double best[2] = {0, 0};
    for (int i = 0; i < F_N; i++) {
        double c = model[i].w * x[i];
        if (c > best[0]) {
            best[1] = best[0], v->model_top[1] = v->model_top[0];
            best[0] = c, v->model_top[0] = model[i].name;
        } else if (c > best[1]) {
            best[1] = c, v->model_top[1] = model[i].name;
        }
    }
    return p;
}

int mt_tls_shape_decides(const mt_tls_shape_verdict *v)
{
    return v->gate && (v->score >= MT_TLS_SHAPE_MIN || v->model_hit);
}

int mt_tls_shape_confidence(const mt_tls_shape_verdict *v, int port_weight)
{
    if (!mt_tls_shape_decides(v)) return 0;
    /* a model-only decision counts as a score of 70: its threshold lies
     * above every benign training flow, not at the edge of the points */
    int sc = v->score >= MT_TLS_SHAPE_MIN ? v->score : 0;
    if (v->model_hit && sc < 70) sc = 70;
    int c = 50 + (sc - MT_TLS_SHAPE_MIN) / 2 + (port_weight > 0 ? port_weight / 4 : 0);
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
    char learned[160];
    if (v->model_hit)
        snprintf(learned, sizeof learned, "; learned shape model %.2f >= %.2f (%s%s%s)",
                 v->model_logit, MODEL_THRESHOLD, v->model_top[0] ? v->model_top[0] : "",
                 v->model_top[1] ? ", " : "", v->model_top[1] ? v->model_top[1] : "");
    else
        snprintf(learned, sizeof learned, "; learned shape model %.2f < %.2f", v->model_logit,
                 MODEL_THRESHOLD);
    snprintf(buf, cap,
             "TLS-only miner shape in the first %.0f s: score %d (%d without the fingerprint)%s; "
             "ClientHello without SNI and ALPN%s;%s %u job-sized server pushes after silence%s; "
             "%u answered at once; %u submit/accept pairs; %u pings; %u client-led bursts; "
             "%u bulk records",
             v->window_s, v->score, v->score - v->fp_points, learned, fp,
             (sh->flags & MT_SHAPE_LOGIN) ? " login-sized request answered by a job-sized reply;" : "",
             (unsigned)sh->pushes, pushes, (unsigned)(sh->answered & (uint8_t)~MT_SHAPE_PUSH_PENDING),
             (unsigned)sh->pairs,
             (unsigned)sh->pings, (unsigned)sh->client_led, (unsigned)sh->bulk_s2c);
}
