/* minetrace — the event model.
 *
 * Every source (pcap decoder, live capture, Suricata EVE, Zeek logs) turns
 * what it sees into mt_event values and hands them to the engine. Detectors
 * only ever see events, so a DNS answer from a pcap and one from eve.json
 * take the same path into the same detector.
 *
 * Orientation: `cli`/`srv` are the connection initiator and responder when
 * known (SYN seen, or the log says so); for mid-stream TCP the decoder
 * guesses (lower well-known port = server) and sets MT_EVF_GUESSED_DIR.
 * `to_server` says which way the message itself travelled.
 *
 * Lifetime: an event and every pointer inside it are valid only during the
 * mt_engine_event() call. Detectors copy what they keep. */
#ifndef MINETRACE_EVENT_H
#define MINETRACE_EVENT_H

#include "minetrace/common.h"

typedef enum mt_event_type {
    MT_EV_DNS = 1,      /* DNS query or response */
    MT_EV_TLS_HELLO,    /* TLS ClientHello */
    MT_EV_HTTP_REQUEST, /* HTTP request line + headers (+ body prefix) */
    MT_EV_JSON_MSG,     /* one JSON object from a TCP stream (Stratum etc.) */
    MT_EV_WS_MSG,       /* one WebSocket text message (unmasked) */
    MT_EV_SMB,          /* an SMB1 pattern of interest (EternalBlue, ...) */
    MT_EV_FLOW_END,     /* flow finished or evicted, with statistics */
    MT_EV_ALERT,        /* an alert from another IDS (EVE alert, Zeek notice) */
    MT_EV_FLOW_MINUTE   /* packet path: a TLS flow without SNI and ALPN outlived its first
                           minute (MT_SHAPE_WINDOW_US); u.flow = its statistics so far, so
                           the TLS-only miner rule decides then, not at the flow's end */
} mt_event_type;

typedef enum mt_source_kind {
    MT_SRC_PCAP = 1,
    MT_SRC_LIVE,
    MT_SRC_EVE,
    MT_SRC_ZEEK
} mt_source_kind;

#define MT_EVF_GUESSED_DIR 0x01u /* client/server orientation was guessed */
#define MT_EVF_TO_SERVER 0x02u   /* this message travelled client -> server */

#define MT_NAME_MAX 256 /* DNS names, SNI, Host: 255 chars + NUL */

/* ---- DNS ---------------------------------------------------------------- */
#define MT_DNS_MAX_ANSWERS 16
typedef struct mt_dns_answer {
    char name[MT_NAME_MAX];   /* owner name, lower-case, no trailing dot */
    uint16_t type;            /* 1 A, 28 AAAA, 5 CNAME, ... */
    uint32_t ttl;
    mt_addr addr;             /* for A/AAAA */
    char target[MT_NAME_MAX]; /* for CNAME */
} mt_dns_answer;

typedef struct mt_dns {
    uint16_t id;
    uint8_t is_response;
    uint8_t rcode;
    uint16_t qtype;
    char qname[MT_NAME_MAX]; /* lower-case, no trailing dot */
    uint16_t n_answers;      /* entries filled in answers[] */
    uint16_t n_answers_total;/* as announced by the header (may be larger) */
    mt_dns_answer answers[MT_DNS_MAX_ANSWERS];
} mt_dns;

/* ---- TLS ---------------------------------------------------------------- */
#define MT_TLS_JA4_RAW 512      /* bytes kept for the JA4 lists */
#define MT_TLS_JA4_SNI 0x01     /* a server_name extension is present */
#define MT_TLS_JA4_ALPN 0x02    /* the first ALPN value is non-empty */
#define MT_TLS_JA4_LISTS 0x04   /* ja4_raw holds the lists */
typedef struct mt_tls_hello {
    uint16_t version;         /* legacy_version of the ClientHello */
    char sni[MT_NAME_MAX];    /* "" when the client sends none (XMRig) */
    char alpn[128];           /* comma-separated protocol list */
    /* JA3 as text: set by log readers, and by the parser only for hellos
     * whose lists overflow the buffers below. Otherwise ja3_lazy is set
     * and mt_tls_ja3() (src/proto/tls.h) builds it from the lists. */
    char ja3[1024];           /* JA3 string */
    char ja3_hash[33];        /* MD5 hex of ja3 */
    uint8_t ja3_lazy;         /* 1: ja3/ja3_hash empty, inputs recorded */
    uint8_t ja3_points_len;
    uint16_t ja3_groups_len;
    uint8_t ja3_groups[128];  /* supported_groups list (wire bytes) */
    uint8_t ja3_points[32];   /* ec_point_formats list */
    /* JA4 inputs, recorded while the ClientHello is walked (plain copies of
     * wire bytes, GREASE kept); the JA4 string itself is built only on
     * demand by mt_tls_ja4() in src/proto/tls.h, so hellos that lead to no
     * finding pay no hashing. */
    uint16_t ja4_version;     /* highest non-GREASE supported_versions, else legacy */
    uint8_t ja4_flags;        /* MT_TLS_JA4_* */
    uint8_t alpn0_first;      /* first and last byte of the first ALPN value */
    uint8_t alpn0_last;
    uint16_t ja4_cs_len;      /* bytes in ja4_raw: cipher suites, then */
    uint16_t ja4_ext_len;     /* extension types (2 bytes each), then */
    uint16_t ja4_sig_len;     /* signature_algorithms entries */
    uint8_t ja4_raw[MT_TLS_JA4_RAW];
    char ja4[37];             /* JA4 given as text (EVE ingest, or lists too
                                 long for ja4_raw); "" when computed lazily */
} mt_tls_hello;

/* ---- HTTP --------------------------------------------------------------- */
typedef struct mt_http_request {
    char method[16];
    char uri[1024];
    char host[MT_NAME_MAX];
    char user_agent[512];
    char content_type[128];
    uint8_t has_x_mining_extensions; /* X-Mining-Extensions: header */
    uint8_t has_x_stratum;           /* X-Stratum: header (request side) */
    uint8_t upgrade_websocket;       /* Upgrade: websocket */
    uint64_t content_length;
    const uint8_t *body;             /* prefix of the body seen, may be NULL */
    size_t body_len;
} mt_http_request;

/* ---- JSON messages on TCP streams (Stratum and friends) ------------------ */
typedef struct mt_json_msg {
    const char *text; /* one complete top-level JSON object, not NUL-terminated */
    size_t len;
    uint8_t in_http_body; /* came from an HTTP request/response body */
} mt_json_msg;

/* ---- WebSocket ---------------------------------------------------------- */
typedef struct mt_ws_msg {
    const char *text; /* unmasked payload of a text frame */
    size_t len;
    char host[MT_NAME_MAX]; /* Host: of the upgrade request when known */
    char uri[256];          /* request path of the upgrade */
    uint8_t inflated;       /* text was inflated by the stream layer (permessage-deflate
                               with context takeover) */
} mt_ws_msg;

/* ---- SMB1 patterns ------------------------------------------------------ */
typedef enum mt_smb_sig {
    MT_SMB_ETERNALBLUE_PROBE = 1,   /* PeekNamedPipe on FID 0 (MS17-010 check) */
    MT_SMB_ETERNALBLUE_VULN_REPLY,  /* STATUS_INSUFF_SERVER_RESOURCES reply */
    MT_SMB_ETERNALBLUE_EXPLOIT,     /* NT Trans / Trans2 secondary grooming */
    MT_SMB_DOUBLEPULSAR_PING,       /* Trans2 SESSION_SETUP, MID 65 */
    MT_SMB_DOUBLEPULSAR_RESPONSE,   /* Trans2 reply, STATUS_NOT_IMPLEMENTED, MID 81.. */
    MT_SMB_DOUBLEPULSAR_NO_IMPLANT  /* Trans2 reply, STATUS_NOT_IMPLEMENTED, MID 64..73:
                                       the answer to a ping from a host without the
                                       implant (meaningful only after a ping) */
} mt_smb_sig;

typedef struct mt_smb {
    mt_smb_sig sig;
    char detail[128];
    uint8_t command;  /* SMB1 command byte */
    uint8_t is_reply; /* SMB_FLAGS_REPLY set: the message came from the SMB server */
    uint16_t mid;     /* Multiplex ID */
    uint32_t status;  /* NT status of the header */
} mt_smb;

/* ---- Flow end ----------------------------------------------------------- */
#define MT_FLOW_NSIZES 8
/* First-minute conversation shape of a TCP flow, for the TLS-only miner
 * rule of the flow detector (src/detect/tls_shape.h). Counted by the packet
 * path over the first MT_SHAPE_WINDOW_US of the flow only, so a verdict on
 * it depends on the first minute whatever the flow's length. All zero from
 * logs (no verdict then). */
#define MT_SHAPE_WINDOW_US 60000000LL
#define MT_SHAPE_HELLO 0x01    /* a ClientHello was decoded */
#define MT_SHAPE_SNI 0x02      /* ... with a server_name */
#define MT_SHAPE_ALPN 0x04     /* ... with an ALPN list */
#define MT_SHAPE_PENDING 0x08  /* packet path only: the last payload was a submit-sized client burst */
#define MT_SHAPE_LOGIN_PENDING 0x10 /* packet path only: the last payload was a login-sized client record */
#define MT_SHAPE_LOGIN 0x20    /* a later client payload of >= 400 bytes (after the hello) answered
                                  within 1 s by 200..1400 server bytes: a login and its first job */
#define MT_SHAPE_PING_PENDING 0x40 /* packet path only: the last payload was a ping-sized client burst */
#define MT_SHAPE_MINUTE 0x80   /* packet path only: MT_EV_FLOW_MINUTE was emitted */
#define MT_SHAPE_PUSH_PENDING 0x80 /* in mt_flow_shape.answered, packet path only: the last payload
                                      was a counted push */
typedef struct mt_flow_shape {
    uint32_t hello_fp;   /* 32-bit hash of the JA4 string, only for hellos without SNI and ALPN; 0 = none */
    uint8_t flags;       /* MT_SHAPE_* */
    uint8_t pushes;      /* server payloads of 150..1400 bytes after >= 1 s of silence (job pushes) */
    uint8_t pairs;       /* client payloads of 150..400 bytes after >= 1 s of silence, answered within
                            1 s by a server payload of 40..160 bytes (share submit / accept) */
    uint8_t client_led;  /* other client payloads after >= 1 s of silence (client-driven talk) */
    uint8_t pings;       /* client payloads of 90..149 bytes after >= 1 s of silence answered within
                            1 s by 40..160 bytes (keepalives, heartbeats) */
    uint8_t answered;    /* pushes answered by a client payload within 0.1 s (a poll and its reply,
                            not a job: a share takes hashing time), at most 127; bit
                            MT_SHAPE_PUSH_PENDING is packet path only */
    uint16_t push_min, push_max; /* sizes of the pushes counted */
    uint16_t bulk_s2c;   /* server payloads > 1400 bytes (downloads) */
} mt_flow_shape;
/* The hash kept in mt_flow_shape.hello_fp for a JA4 string (never 0). */
static inline uint32_t mt_flow_shape_fp(const char *ja4, size_t len)
{
    uint32_t h = (uint32_t)mt_hash_bytes(ja4, len, 0x6a6134ULL);
    return h ? h : 1u;
}
typedef struct mt_flow_stats {
    mt_time_us first_ts, last_ts;
    uint64_t pkts_c2s, pkts_s2c;
    uint64_t bytes_c2s, bytes_s2c;       /* L4 payload bytes */
    int32_t first_sizes[MT_FLOW_NSIZES]; /* first payload sizes, sign = dir (+c2s, -s2c) */
    uint8_t n_first_sizes;
    uint8_t saw_syn, saw_fin_or_rst;
    uint8_t app;                          /* MT_APP_* guessed by the dispatcher */
    uint8_t evicted;                      /* ended by the flow table, not by the end of input */
    char sni[MT_NAME_MAX];                /* SNI if a ClientHello was seen */
    /* Payload-packet statistics for the flow-behaviour detector (flow.c).
     * "payload packet" = L4 payload > 0. All zero = not filled by the source
     * (logs): the detector then falls back to the totals above. */
    uint64_t data_pkts_c2s, data_pkts_s2c;   /* payload packets per direction */
    uint32_t max_size_c2s, max_size_s2c;     /* largest payload per direction */
    uint64_t small_pkts_c2s, small_pkts_s2c; /* payload packets of 1..400 bytes */
    uint64_t pushes_s2c;   /* s2c payload packets >= 1 s after the previous
                              payload packet of either direction (job push) */
    uint64_t bursts_c2s;   /* c2s payload packets >= 1 s after the previous
                              payload packet of either direction */
    mt_time_us max_gap_us; /* longest gap between consecutive payload packets */
    /* Which event types this flow produced before its end (bit 1u << type),
     * valid when events_known is set (the packet path); logs leave both 0.
     * Lets a detector skip its per-flow clean-up, a cache miss per ended
     * flow, for flows it never saw (mt_flow_may_have). */
    uint32_t event_mask;
    uint8_t events_known;
    mt_flow_shape shape;   /* first minute, packet path only */
} mt_flow_stats;

/* Could the flow behind this FLOW_END have produced an event of type t?
 * 1 when the source does not say. */
static inline int mt_flow_may_have(const mt_flow_stats *s, int t)
{
    return !s || !s->events_known || (s->event_mask & (1u << t)) != 0;
}

enum { MT_APP_UNKNOWN = 0, MT_APP_TLS, MT_APP_HTTP, MT_APP_JSON, MT_APP_SMB,
       MT_APP_DNS, MT_APP_WEBSOCKET, MT_APP_SV2 };

/* ---- Alerts from other tools ------------------------------------------- */
/* How an alert's cli/srv ends were set: from the connection (Zeek, EVE with
 * "direction"), or in the order of the packet that matched (older EVE
 * without "direction": either end may be the client). */
enum { MT_ALERT_ENDS_FLOW = 0, MT_ALERT_ENDS_PACKET };

typedef struct mt_alert {
    uint64_t signature_id;
    char signature[512];
    char category[128];
    int severity;
    uint8_t ends;            /* MT_ALERT_ENDS_* */
    /* What the IDS logged beside the alert, empty when absent (EVE:
     * app_proto, dns.query[0].rrname, tls.sni, http.*, payload_printable). */
    char app_proto[16];
    char dns_query[MT_NAME_MAX];
    char tls_sni[MT_NAME_MAX];
    char http_host[MT_NAME_MAX];
    char http_url[256];
    char http_ua[256];
    char payload[1024];      /* the start of payload_printable */
} mt_alert;

/* ---- The event ---------------------------------------------------------- */
typedef struct mt_event {
    mt_event_type type;
    mt_source_kind source;
    uint32_t flags;     /* MT_EVF_* */
    mt_time_us ts;
    uint64_t flow_id;   /* stable for the flow; 0 when unknown */
    uint8_t ipproto;    /* 6 TCP, 17 UDP */
    mt_addr cli, srv;
    uint16_t cli_port, srv_port;
    union {
        const mt_dns *dns;
        const mt_tls_hello *tls;
        const mt_http_request *http;
        const mt_json_msg *json;
        const mt_ws_msg *ws;
        const mt_smb *smb;
        const mt_flow_stats *flow;
        const mt_alert *alert;
    } u;
} mt_event;

/* Where a source delivers its events. In minetrace that is the detection
 * engine (mt_engine_event_sink); sources below the detectors know only this
 * contract, so they can feed a test, a tracer or another consumer alike. */
typedef struct mt_event_sink {
    void (*event)(void *ctx, const mt_event *ev);
    void *ctx;
} mt_event_sink;

#endif
