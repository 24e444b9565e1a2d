/* What one attacker action reveals (issue 9): the markers that tie sources
 * into a campaign and the signals that decide whether a campaign mines and
 * which family it is. Pure functions over one command line, download or
 * upload (attacker-controlled bytes of any kind; never trusted to be
 * NUL-terminated or valid UTF-8); no state, no allocation.
 *
 * A signal counts only in an executing context: `./xmrig -o pool`, a
 * download of xmrig, a c3pool installer piped to a shell, a wallet in argv.
 * A bot that greps for rival miners (`ps | grep '[Mm]iner'`, `pkill -f
 * xmrig`) earns MT_SIG_KILLS_RIVALS, which is not mining. Shared
 * infrastructure (raw.githubusercontent.com, github.com, a lone /dev/null,
 * the empty file's hash) never becomes a marker: it would join unrelated
 * actors. */
#ifndef MT_BOTNET_ACTIONS_H
#define MT_BOTNET_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef enum mt_marker_type {
    MT_MK_KEY = 0,          /* planted key fingerprint "SHA256:<base64, no padding>" (OpenSSH form) */
    MT_MK_KEY_COMMENT,      /* the planted key's comment ("mdrfckr") */
    MT_MK_FILE_HASH,        /* SHA-256 (lower-case hex) of a downloaded/uploaded file */
    MT_MK_DOWNLOAD_HOST,    /* host[:port] a payload was fetched from */
    MT_MK_DOWNLOAD_URL,     /* scheme://host[:port]/path (query dropped) */
    MT_MK_UPLOAD_NAME,      /* a distinctive uploaded file name (dota3.tar.gz) */
    MT_MK_WALLET,           /* a coin address in a command line (Monero 4.../8..., ...) */
    MT_MK_POOL,             /* a pool host:port from -o / --url / stratum+tcp:// */
    MT_MK_CREDENTIAL,       /* a rare marker credential ("345gs5662d34") */
    MT_MK_CRED_CLUSTER,     /* credential-set similarity (given by the engine, not here) */
    MT_MK_NTYPES
} mt_marker_type;
const char *mt_marker_type_str(mt_marker_type t); /* "key", "key_comment", ... as in botnet.h */

/* Signals: bits OR-ed over a source and then over a campaign. */
enum {
    MT_SIG_MINER_BINARY = 1u << 0,    /* xmrig/minerd/cpuminer/... fetched or run */
    MT_SIG_MINER_INSTALLER = 1u << 1, /* c3pool / moneroocean setup scripts */
    MT_SIG_POOL = 1u << 2,            /* a pool URL or -o host:port in argv */
    MT_SIG_WALLET = 1u << 3,          /* a wallet in argv */
    MT_SIG_RENAMED_MINER = 1u << 4,   /* kswapd0, kdevtmpfsi, ... run from odd places */
    MT_SIG_OUTLAW_KEY = 1u << 5,      /* the mdrfckr key planted */
    MT_SIG_OUTLAW_TARBALL = 1u << 6,  /* dota*.tar.gz uploaded or unpacked */
    MT_SIG_OUTLAW_PATH = 1u << 7,     /* .X25-unix / .rsync / .configrc paths */
    MT_SIG_REDTAIL = 1u << 8,         /* redtail.* drops / setup.sh of Redtail */
    MT_SIG_KINSING = 1u << 9,         /* kinsing / kdevtmpfsi */
    MT_SIG_MIRAI = 1u << 10,          /* /bin/busybox <TAG>, ECCHI-style loaders (not mining) */
    MT_SIG_KILLS_RIVALS = 1u << 11,   /* greps for / kills rival miners (not mining by itself) */
    MT_SIG_KEY_PLANT = 1u << 12,      /* any key written to authorized_keys */
    MT_SIG_MARKER_CRED = 1u << 13,    /* an Outlaw marker credential (345gs5662d34, ...) */
    MT_SIG_DIICOT = 1u << 14,         /* Diicot/Mexals artefacts */
    MT_SIG_RECON_CPU = 1u << 15,      /* cpuinfo/nproc/lscpu recon (context only, not mining) */
};

#define MT_ACTION_MAX_MARKERS 8
#define MT_MARKER_VALUE_MAX 256

typedef struct mt_action_marker {
    mt_marker_type type;
    char value[MT_MARKER_VALUE_MAX]; /* NUL-terminated; cut where longer */
} mt_action_marker;

typedef struct mt_action_info {
    mt_action_marker m[MT_ACTION_MAX_MARKERS];
    size_t n;
    unsigned signals;                /* MT_SIG_* */
    /* a wallet / pool seen (also in m[]); "" when none */
    char wallet[128];
    char pool[128];
    char key_comment[64];            /* a planted key's comment, "" when none */
} mt_action_info;

/* Each fills `out` (zeroed first). */
void mt_action_command(const char *s, size_t n, mt_action_info *out);
/* url may be empty (Cowrie logs authorized_keys writes as downloads without
 * a URL); sha256 hex or empty; path = destfile/outfile or empty. */
void mt_action_download(const char *url, size_t url_n, const char *sha, size_t sha_n,
                        const char *path, size_t path_n, mt_action_info *out);
void mt_action_upload(const char *name, size_t name_n, const char *sha, size_t sha_n,
                      mt_action_info *out);
/* A known marker credential (user or password): its family ("outlaw") and
 * the marker value; NULL when none. The table, and why nproc:nproc is not
 * in it, are in families.c. */
const char *mt_action_marker_credential(const char *user, size_t user_n, const char *pass,
                                        size_t pass_n, char *value, size_t cap);

/* The verdict over a campaign's OR-ed signals: mining 1/0, the family
 * ("outlaw", "redtail", "kinsing", "diicot", "mirai", "unknown") and a
 * short reason ("mdrfckr key planted; dota tarball; mining by family
 * (outlaw is a known miner)"), "" when not mining (as mt_campaign.reason).
 * The rule table is in families.c. */
typedef struct mt_family_verdict {
    int mining;
    const char *family;
    char reason[160];
} mt_family_verdict;
void mt_family_decide(unsigned signals, mt_family_verdict *out);

#endif
