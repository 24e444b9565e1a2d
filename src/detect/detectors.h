/* The registry of detectors the engine runs, in order. Each lives in its
 * own file under src/detect/. */
#ifndef MT_DETECT_DETECTORS_H
#define MT_DETECT_DETECTORS_H

#include "minetrace/engine.h"

extern const mt_detector mt_detector_dns;       /* dns.c: pool lookups, feeds the DNS tie */
extern const mt_detector mt_detector_stratum;   /* stratum.c: Stratum/JSON-RPC mining dialects */
extern const mt_detector mt_detector_tls;       /* tls.c: SNI intel, DNS tie without SNI */
extern const mt_detector mt_detector_http;      /* http.c: miner agents, getwork, script paths */
extern const mt_detector mt_detector_websocket; /* websocket.c: browser-miner protocols */
extern const mt_detector mt_detector_smb;       /* smb.c: EternalBlue/DoublePulsar precursors */
extern const mt_detector mt_detector_flow;      /* flow.c: pool IPs, DNS tie, behaviour, SV2 */
extern const mt_detector mt_detector_alert;     /* alert.c: other IDSs' coin-mining alerts */

#endif
