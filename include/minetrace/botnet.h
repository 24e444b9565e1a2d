/* minetrace — the botnet study's contracts (issue 9): what honeypot and
 * authentication-log readers deliver (honeypot events), and what the
 * campaign engine concludes (campaigns, attack sources, credentials), as
 * sinks receive it.
 *
 *   ingest/ readers ──mt_honey_event──> botnet/ engine ──mt_campaign,
 *   (Cowrie, login feed, attack-pattern     (sources, markers,   mt_botsource,
 *    JSON, auth.log, daily aggregates)       clustering, figures) mt_credstat──> sinks
 *
 * Events are views: every string is a (pointer, length) span into the
 * reader's buffer, valid only during the callback, not NUL-terminated and
 * possibly holding any byte (NUL, invalid UTF-8, terminal escapes: the
 * attacker typed them). Whoever keeps a value copies it; whoever prints
 * one escapes it. Readers allocate nothing per event.
 *
 * Records (campaign, source, credential) are built by the engine once, at
 * the end of a run; their strings are NUL-terminated and owned by the
 * engine until the sink callback returns. JSON forms: docs/FINDINGS.md
 * (event_type "campaign", "source", "credential"). */
#ifndef MINETRACE_BOTNET_H
#define MINETRACE_BOTNET_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"

#define MT_EVENT_CAMPAIGN "campaign"
#define MT_EVENT_SOURCE "source"
#define MT_EVENT_CREDENTIAL "credential"

/* ---- honeypot events ------------------------------------------------------ */

typedef struct mt_span {
    const char *p; /* NULL or not NUL-terminated */
    size_t n;
} mt_span;

typedef enum mt_honey_type {
    MT_HE_CONNECT = 1,    /* a connection (Cowrie session.connect) */
    MT_HE_CLIENT_VERSION, /* text = client version string ("SSH-2.0-Go") */
    MT_HE_KEX,            /* text = HASSH (32 hex) */
    MT_HE_LOGIN_FAILED,   /* user, pass (pass.p == NULL: no password known, e.g. auth.log) */
    MT_HE_LOGIN_SUCCESS,  /* user, pass; publickey logins: key = fingerprint */
    MT_HE_KEY_OFFERED,    /* the client offered a public key: key = fingerprint, text = key */
    MT_HE_COMMAND,        /* text = the command line as typed */
    MT_HE_DOWNLOAD,       /* url (may be empty: authorized_keys writes), sha256, path (destfile) */
    MT_HE_UPLOAD,         /* path (filename), sha256 (SCP/SFTP upload) */
    MT_HE_TCPIP,          /* direct-tcpip (SSH used as a proxy): text = destination or data */
    MT_HE_CLOSED,         /* the session ended; duration_ms when known */
    MT_HE_PARAMS,         /* text = arch (Cowrie session.params) */
} mt_honey_type;

enum {
    MT_HP_UNKNOWN = 0,
    MT_HP_SSH = 1,
    MT_HP_TELNET = 2,
};

enum {
    MT_HEF_DUPLICATE = 1, /* a download Cowrie marks as already seen (duplicate / !unique) */
    MT_HEF_NOSRC = 2,     /* an aggregate without a source address (daily top lists) */
    MT_HEF_FAILED = 4,    /* a download that failed (file_download.failed); with
                             MT_HEF_REPEAT: a command Cowrie did not know */
    MT_HEF_REPEAT = 8,    /* restates what an earlier event of the session told
                             (Cowrie command.failed/.success after command.input,
                             log.closed before session.closed): not a new action */
};

typedef struct mt_honey_event {
    mt_honey_type type;
    unsigned flags;           /* MT_HEF_* */
    mt_time_us ts;            /* UTC µs; 0 = unknown (then the event counts for no day) */
    mt_addr src;              /* the attack source (unset with MT_HEF_NOSRC) */
    uint16_t src_port, dst_port; /* 0 = unknown */
    uint8_t protocol;         /* MT_HP_* */
    uint32_t count;           /* how many times this happened (auth.log "message repeated
                                 N times", aggregate counts); readers set >= 1 */
    int64_t duration_ms;      /* MT_HE_CLOSED; -1 = unknown */
    mt_span session;          /* the honeypot's session id; empty = none (auth.log: the sshd pid) */
    mt_span sensor;           /* the honeypot / host name; may be empty */
    mt_span user, pass;       /* logins */
    mt_span text;             /* command, client version, HASSH, arch, tcpip destination */
    mt_span key;              /* key fingerprint (logins and offered keys) */
    mt_span url, sha256, path;/* downloads and uploads */
} mt_honey_event;

/* Where readers deliver honeypot events. The reader tells, per input, what
 * it skipped through the ingest counters (malformed / unknown), not here. */
typedef struct mt_honey_sink {
    void (*event)(void *ctx, const mt_honey_event *ev);
    void *ctx;
} mt_honey_sink;

/* ---- the engine's records -------------------------------------------------- */

/* A marker: what joins sources into one campaign. type is one of
 * "key" (planted key fingerprint, SHA256:...), "key_comment", "file_hash"
 * (SHA-256 of a downloaded or uploaded file), "download_host",
 * "download_url", "upload_name", "wallet", "pool", "credential" (a rare
 * marker credential), "credential_cluster" (credential-set similarity). */
typedef struct mt_marker {
    const char *type;
    const char *value;
    uint32_t sources;         /* sources of the campaign that carry it */
} mt_marker;

typedef struct mt_count_item {
    const char *name;         /* day "YYYY-MM-DD", country code, credential "user:pass", ... */
    uint64_t count;
} mt_count_item;

typedef struct mt_campaign {
    char id[32];              /* stable: derived from the defining marker ("c-" + 16 hex) */
    int mining;               /* 1: the campaign mines (verdict from its actions) */
    const char *family;       /* outlaw, redtail, kinsing, diicot, mirai, ..., or "unknown" */
    const char *reason;       /* short text: what decided the verdict ("" when not mining) */
    const mt_marker *markers;
    size_t nmarkers;
    const char *const *members; /* every source IP, as text, sorted */
    size_t nmembers;          /* = sources */
    uint64_t sessions;        /* distinct sessions of the members */
    uint64_t events;
    mt_time_us first_seen, last_seen;
    const mt_count_item *active_per_day; /* day -> distinct sources, by day */
    size_t ndays;
    const char *peak_day;     /* "" when no day known */
    uint64_t peak_active;
    const mt_count_item *countries; /* code -> sources, most first */
    size_t ncountries;
    uint64_t geo_unknown;     /* members the GeoIP database did not answer (or no database) */
    uint64_t scanned;         /* members with scan results */
    uint64_t port22_open;     /* of the scanned */
    uint64_t iot;             /* members recognised as IoT devices (any evidence) */
    uint64_t iot_unknown;     /* members with no device evidence at all */
    const char *const *wallets; size_t nwallets;
    const char *const *pools; size_t npools;
    const char *const *downloads; size_t ndownloads; /* URLs (or paths) with "#sha256" when known */
    const mt_count_item *top_credentials; /* "user:pass" -> attempts */
    size_t ncredentials;
    const mt_count_item *asns;    /* "AS4134" -> sources, most first */
    size_t nasns;
    uint64_t asn_unknown;         /* members without an ASN answer (or no database) */
} mt_campaign;

typedef struct mt_botsource {
    char ip[MT_ADDR_STRLEN];
    mt_time_us first_seen, last_seen;
    unsigned protocols;       /* bit (1 << MT_HP_*) */
    uint64_t sessions, login_failed, login_success;
    uint64_t ncredentials;    /* distinct credentials tried */
    const mt_count_item *credentials; size_t ncred_listed; /* the first ones, with attempts */
    const char *const *commands; size_t ncommands; uint64_t commands_total;
    const char *const *downloads; size_t ndownloads;  /* "url#sha256" */
    const char *const *uploads; size_t nuploads;      /* "name#sha256" */
    const char *const *keys; size_t nkeys;            /* "SHA256:... comment" */
    const char *const *client_versions; size_t nclient_versions;
    const char *const *hassh; size_t nhassh;
    const char *country;      /* "" = unknown */
    uint32_t asn;             /* 0 = unknown */
    const char *as_org;
    int port22_open;          /* -1 unknown (not scanned), 0, 1 */
    int iot;                  /* -1 unknown, 0, 1 */
    const char *device;       /* device type from banners / client ("" = unknown) */
    const char *const *campaigns; size_t ncampaigns;  /* campaign ids */
} mt_botsource;

typedef struct mt_credstat {
    const char *username, *password; /* password "" when not known (auth.log) */
    uint64_t attempts, sources, days;
    mt_time_us first_seen, last_seen;
} mt_credstat;

/* Where the engine's records go: the JSONL writer and the store. Each
 * returns MT_OK or a negative MT_E*; close flushes and frees. */
typedef struct mt_botnet_sink mt_botnet_sink;
struct mt_botnet_sink {
    const char *name;
    int (*campaign)(mt_botnet_sink *s, const mt_campaign *c);
    int (*source)(mt_botnet_sink *s, const mt_botsource *src); /* NULL: not wanted */
    int (*credential)(mt_botnet_sink *s, const mt_credstat *c); /* NULL: not wanted */
    int (*flush)(mt_botnet_sink *s);
    void (*close)(mt_botnet_sink *s);
    void *ctx;
};

#endif
