/* Which alerts of other IDSs (Suricata/Snort signatures, Zeek notices) are
 * about coin mining, and what they say in the terms of packet findings
 * (kind, family, protocol, which end is the miner). Shared by the alert
 * detector and by ingest, which counts the alerts it passes on by this
 * verdict. */
#ifndef MT_DETECT_ALERT_H
#define MT_DETECT_ALERT_H

#include "minetrace/event.h"
#include "minetrace/finding.h"
#include "minetrace/intel.h"

/* 1 when the signature or category names coin mining, or the alert is an
 * EternalBlue/DoublePulsar precursor or a known ET coin-mining SID. */
int mt_alert_is_mining(const mt_alert *a);
/* Confidence (0..100) for a mining alert of this severity (1 = highest). */
int mt_alert_confidence(int severity);

/* Who sent what the alert matched. */
enum { MT_AROLE_UNKNOWN = 0, MT_AROLE_CLIENT, MT_AROLE_SERVER };

typedef struct mt_alert_class {
    mt_finding_kind kind;  /* MT_KIND_ALERT when nothing places it */
    const char *family;    /* NULL: unknown */
    const char *protocol;  /* static text */
    const char *basis;     /* what decided the kind: "payload", "sid", "dns.query",
                              "tls.sni", "http", "signature"; NULL for none */
    int precursor;         /* EternalBlue/DoublePulsar: src attacker, dst victim */
    int role;              /* MT_AROLE_*: who sent the matched bytes */
    char pool[MT_NAME_MAX];   /* dns.query / tls.sni / http hostname */
    char agent[256];
    char wallet[256];
} mt_alert_class;

/* Classify a; in (may be NULL) names families of pools and agents. 1 when
 * the alert is about mining or a mining worm's precursor (c filled), 0 when
 * it is not ours. */
int mt_alert_classify(const mt_alert *a, const mt_intel *in, mt_alert_class *c);
/* 1 for signature names of the EternalBlue / DoublePulsar family. */
int mt_alert_is_precursor_name(const char *signature);
/* 1 when a is one of the built-in table's ET Open SIDs. */
int mt_alert_sid_known(const mt_alert *a);

#endif
