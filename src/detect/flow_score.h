/* Encrypted-Stratum flow behaviour score: a pure function of a few flow
 * statistics, shared by the flow detector (src/detect/flow.c) and by the
 * unit test that measures it on the labelled CESNET-MINER22 flows.
 *
 * What a pool connection looks like whatever the encryption: long-lived,
 * small records both ways, a low packet rate, and above all the SERVER
 * speaking after silences (job pushes) far more often than the client
 * (share submits), with more bytes down than up. The score says how much a
 * flow looks like that; it is never a finding alone (see mt_flow_decide). */
#ifndef MT_DETECT_FLOW_SCORE_H
#define MT_DETECT_FLOW_SCORE_H

#include <stdint.h>

#include "minetrace/event.h"

typedef struct mt_flow_features {
    double dur_s;             /* last - first packet */
    uint64_t pkts;            /* all packets, both directions (ACKs included) */
    uint64_t data_c2s, data_s2c;   /* payload packets per direction */
    uint64_t bytes_c2s, bytes_s2c; /* payload bytes of those packets */
    uint64_t small;           /* payload packets of 1..400 bytes, both directions */
    uint64_t pushes_s2c;      /* server payload packets >= 1 s after the previous payload packet */
    uint64_t bursts_c2s;      /* client payload packets >= 1 s after the previous payload packet */
} mt_flow_features;

/* Fill features from flow-end statistics. Returns 1 when the capture layer
 * filled the payload-packet fields, 0 when it did not (no scoring then). */
int mt_flow_features_from_stats(const mt_flow_stats *s, mt_flow_features *f);

/* 0..100; 0 also when the flow has too few payload packets to judge. */
int mt_flow_behaviour_score(const mt_flow_features *f);

#define MT_FLOW_BEHAVIOUR_MIN 70 /* behaviour score needed for a finding */

/* The decision: behaviour >= MT_FLOW_BEHAVIOUR_MIN AND at least one prior
 * (mining port weight > 0, pool-like SNI keyword). Returns the finding's
 * confidence (1..100) or 0 for no finding. */
int mt_flow_decide(int behaviour, int port_weight, int sni_keyword);

/* DeCrypto-style keyword test on an SNI / host name: labels such as
 * "pool", "mine", "mining", "xmr", "stratum" delimited by '.' or '-'.
 * 1 when one is present. */
int mt_flow_sni_keyword(const char *name);

#endif
