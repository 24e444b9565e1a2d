/* minetrace — findings: what detectors conclude, as sinks receive it.
 *
 * A finding is one piece of evidence that a host mines (event_type "mining")
 * or was hit by a mining worm's spreading vector (event_type "precursor").
 * The JSON form is EVE-style and documented in docs/FINDINGS.md; the SQLite
 * form in docs/STORE.md. Every text field may hold attacker-controlled bytes:
 * sinks escape them, detectors never do. */
#ifndef MINETRACE_FINDING_H
#define MINETRACE_FINDING_H

#include "minetrace/common.h"

typedef enum mt_finding_kind {
    MT_KIND_DNS = 1,   /* lookup of a pool / browser-miner domain */
    MT_KIND_STRATUM,   /* Stratum / mining JSON-RPC seen in clear */
    MT_KIND_TLS,       /* TLS to a pool (SNI, or DNS tie when no SNI) */
    MT_KIND_HTTP,      /* miner HTTP: getwork/GBT, miner User-Agent, script paths */
    MT_KIND_WEBSOCKET, /* browser miner WebSocket protocol */
    MT_KIND_SMB,       /* EternalBlue / DoublePulsar precursor */
    MT_KIND_IP,        /* connection to a pool IP (list or DNS tie) */
    MT_KIND_BEHAVIOUR, /* flow behaviour: encrypted Stratum, Stratum V2 */
    MT_KIND_ALERT      /* another IDS said so (EVE alert) */
} mt_finding_kind;

const char *mt_finding_kind_str(mt_finding_kind k);
int mt_finding_kind_parse(const char *s); /* 0 when unknown */

#define MT_EVENT_MINING "mining"
#define MT_EVENT_PRECURSOR "precursor"

typedef struct mt_finding {
    mt_time_us ts;
    uint64_t flow_id;
    mt_addr src, dst;          /* src = the (suspected) miner / victim */
    uint16_t src_port, dst_port;
    uint8_t ipproto;
    const char *event_type;    /* MT_EVENT_MINING or MT_EVENT_PRECURSOR */
    mt_finding_kind kind;
    char protocol[32];         /* stratum-v1, xmrig, eth-proxy, ethereumstratum,
                                  getwork, getblocktemplate, coinhive-ws, tls,
                                  dns, smb1, stratum-v2, ... */
    char pool[256];            /* pool host name or address */
    char wallet[256];
    char worker[128];
    char agent[256];
    char algo[128];
    char family[64];           /* monero-miner, bitcoin-miner, ethereum-miner,
                                  browser-miner, wannamine, lemonduck, ... */
    int confidence;            /* 0..100 */
    char evidence[512];        /* short human text: what was seen */
    char source[64];           /* "pcap", "live", "eve", "zeek", "jsonl" */
} mt_finding;

void mt_finding_init(mt_finding *f);

/* What one finding counts (docs/STORE.md, "Identity of a finding"): one
 * host (src) showing one piece of evidence in one period, the UTC day of
 * ts. The evidence is event_type, kind, protocol, pool (ASCII case folded;
 * not for kinds stratum, ip, behaviour), wallet and the other end (dst and dst_port; not for kind dns, where they
 * are the resolver); for kind http also the User-Agent, for kinds alert
 * and smb the signature (the evidence text; for smb its part before the
 * first ':'). Time within the day, flow, source port, confidence and the
 * other descriptive fields are not part of it. The engine
 * passes each identity on once (again only for an earlier sighting), the
 * store keeps one row per identity (its uid; the earliest), so counts do
 * not depend on how inputs are batched into runs. */
int64_t mt_finding_day(mt_time_us ts); /* floor(ts / 86400 s) */
uint64_t mt_finding_identity(const mt_finding *f);
/* The same from the stored text columns (NULL = ""), for migrations. */
uint64_t mt_finding_identity_cols(int64_t day, const char *src, const char *dst, int dst_port,
                                  const char *event_type, const char *kind, const char *protocol,
                                  const char *pool, const char *wallet, const char *agent,
                                  const char *evidence);

#endif
