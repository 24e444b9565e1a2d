/* Which alerts of other IDSs (Suricata/Snort signatures, Zeek notices) are
 * about coin mining. Shared by the alert detector and by ingest, which
 * counts the alerts it passes on by this verdict. */
#ifndef MT_DETECT_ALERT_H
#define MT_DETECT_ALERT_H

#include "minetrace/event.h"

/* 1 when the signature or category names coin mining. */
int mt_alert_is_mining(const mt_alert *a);
/* Confidence (0..100) for a mining alert of this severity (1 = highest). */
int mt_alert_confidence(int severity);

#endif
