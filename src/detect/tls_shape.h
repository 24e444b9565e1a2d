/* TLS-only miners: the first-minute shape rule of the flow detector.
 *
 * A miner speaking Stratum inside TLS to an unlisted name or a bare IP
 * shows no name and no content, but it cannot hide (a) its ClientHello:
 * XMRig sends neither SNI nor ALPN, with the cipher and extension set of
 * its statically linked OpenSSL (JA4 below), and (b) the conversation: the
 * pool pushes job-sized records after silences, at its own pace, with
 * nearly the same size each time (a blob, a target, a job id), and every
 * share the miner submits (a fixed-size record: nonce and 32-byte result in
 * hex) is answered at once by a short status. Downloads (bulk records),
 * chats and heartbeats (the client speaks first, answers are not
 * submit-sized) and browsers (ALPN) have another shape.
 *
 * Two deciders over the same first minute: integer points (the hello
 * fingerprint among them) and a learned model without the fingerprint
 * (logistic regression, scripts/train_tls_shape.py), either decides.
 *
 * Pure functions of mt_flow_stats.shape and first_sizes (counted over the
 * first minute by src/capture/pipeline.c), unit-tested in
 * tests/unit/test_tls_shape.c. */
#ifndef MT_DETECT_TLS_SHAPE_H
#define MT_DETECT_TLS_SHAPE_H

#include <stddef.h>

#include "minetrace/event.h"

#define MT_TLS_SHAPE_MIN 60 /* score needed for a finding */

typedef struct mt_tls_shape_verdict {
    int score;              /* 0..100 */
    int gate;               /* 1: a no-SNI, no-ALPN TLS flow with a decoded hello */
    const char *fp_name;    /* known miner hello matched, else NULL */
    const char *fp_ja4;     /* its JA4 */
    int pushes_steady;      /* >= 2 pushes within MT_TLS_SHAPE_PUSH_SPREAD bytes of each other */
    double window_s;        /* first-minute time covered by the flow */
    int fp_points;          /* points of the score that came from the fingerprint */
    double model_logit;     /* learned shape model (no fingerprint), see tls_shape.c */
    int model_hit;          /* model_logit reached its threshold */
    const char *model_top[2]; /* the model's two largest positive contributions, or NULL */
} mt_tls_shape_verdict;

#define MT_TLS_SHAPE_PUSH_SPREAD 128

/* Score a flow; fills v (always). Returns v->score. */
int mt_tls_shape_score(const mt_flow_stats *s, mt_tls_shape_verdict *v);

/* 1 when the flow is a TLS-only miner: points >= MT_TLS_SHAPE_MIN, or the
 * learned shape model alone. */
int mt_tls_shape_decides(const mt_tls_shape_verdict *v);

/* Finding confidence for a decided flow (0 otherwise), with the
 * port weight of the intel's port table as a small prior. */
int mt_tls_shape_confidence(const mt_tls_shape_verdict *v, int port_weight);

/* The deciding features as text for the evidence. */
void mt_tls_shape_explain(const mt_flow_stats *s, const mt_tls_shape_verdict *v, char *buf,
                          size_t cap);

#endif
