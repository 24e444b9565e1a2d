/* Stratum / mining JSON-RPC message classifier.
 *
 * mt_stratum_parse() reads ONE JSON object (as cut from a TCP stream or an
 * HTTP body, not NUL-terminated) with the JSON reader in util/json.h and
 * says what it is: which mining dialect (Bitcoin-style Stratum v1, the
 * XMRig/CryptoNote dialect, eth-proxy, EthereumStratum 1.0.0/2.0.0,
 * getwork/getblocktemplate), which role (client request, server
 * notification, response), how strong the evidence is on its own, and the
 * fields worth reporting (wallet, worker, agent, algorithms, pool host, job
 * and submit details). Classification is on parsed structure, never on byte
 * patterns, so key order, whitespace and escapes do not matter.
 *
 * Generic JSON-RPC (eth_blockNumber, LSP, web APIs) is valid JSON but not
 * mining: it returns MT_ENOTFOUND with kind MT_SK_GENERIC. See
 * docs/STRATUM.md for the rules. */
#ifndef MT_PROTO_STRATUM_H
#define MT_PROTO_STRATUM_H

#include <stdint.h>

#include "minetrace/common.h"

typedef enum mt_stratum_dialect {
    MT_SD_UNKNOWN = 0,
    MT_SD_STRATUM_V1,   /* Bitcoin-style mining.* (also Zcash/Equihash variant) */
    MT_SD_XMRIG,        /* CryptoNote login/job/submit/keepalived/getjob */
    MT_SD_ETH_PROXY,    /* eth_submitLogin/eth_getWork/eth_submitWork/... */
    MT_SD_ETHSTRATUM,   /* EthereumStratum/1.0.0 (NiceHash) */
    MT_SD_ETHSTRATUM2,  /* EthereumStratum/2.0.0 (mining.hello, mining.set) */
    MT_SD_GETWORK,      /* getwork (Bitcoin, over HTTP) */
    MT_SD_GBT           /* getblocktemplate / submitblock */
} mt_stratum_dialect;

typedef enum mt_stratum_role {
    MT_SR_UNKNOWN = 0,
    MT_SR_REQUEST,      /* client -> server method call */
    MT_SR_NOTIFY,       /* server -> client push (job, notify, set_*) */
    MT_SR_RESPONSE      /* result/error reply */
} mt_stratum_role;

/* How much one message says on its own. */
typedef enum mt_stratum_strength {
    MT_SS_NONE = 0,
    MT_SS_WEAK,   /* response-shaped ({"id":3,"result":true}); only counts in a session */
    MT_SS_MEDIUM, /* a mining method without the defining fields (keepalived, eth_getWork) */
    MT_SS_STRONG  /* enough alone: login with agent/algo, subscribe, job with blob, ... */
} mt_stratum_strength;

typedef enum mt_stratum_kind {
    MT_SK_OTHER = 0,
    MT_SK_GENERIC,         /* JSON-RPC / JSON that is not mining */
    MT_SK_LOGIN,           /* xmrig login, eth_submitLogin */
    MT_SK_SUBSCRIBE,       /* mining.subscribe */
    MT_SK_AUTHORIZE,       /* mining.authorize */
    MT_SK_HELLO,           /* EthereumStratum/2.0.0 mining.hello */
    MT_SK_GETWORK,         /* getwork / getblocktemplate / eth_getWork request */
    MT_SK_SUBMIT,          /* submit / mining.submit / eth_submitWork / submitblock */
    MT_SK_KEEPALIVE,       /* keepalived, getjob, mining.ping, ... */
    MT_SK_HASHRATE,        /* eth_submitHashrate, mining.hashrate */
    MT_SK_EXTRANONCE,      /* mining.extranonce.subscribe / set_extranonce (NiceHash) */
    MT_SK_CONTROL,         /* other mining.* / client.* methods */
    MT_SK_JOB,             /* xmrig job push, mining.notify */
    MT_SK_SET_DIFF,        /* mining.set_difficulty / set_target / mining.set */
    MT_SK_LOGIN_REPLY,     /* login result with job */
    MT_SK_SUBSCRIBE_REPLY, /* [[["mining.notify",..]..],"xn1",N] */
    MT_SK_WORK_RESULT,     /* eth_getWork / getwork / GBT result */
    MT_SK_STATUS_REPLY,    /* {"result":{"status":"OK"|"KEEPALIVED"}} */
    MT_SK_BARE_REPLY,      /* any other result/error reply */
    MT_SK__COUNT
} mt_stratum_kind;

/* Field order matters to reset_msg() in stratum.c: scalars first, then the
 * strings from id_str on, then has_job/has_submit. */
typedef struct mt_stratum_msg {
    mt_stratum_dialect dialect;
    mt_stratum_role role;
    mt_stratum_strength strength;
    mt_stratum_kind kind;
    uint8_t nicehash;      /* NiceHash extranonce extension */
    uint8_t tentative;     /* a CryptoNote-shaped "login" with nothing that
                              only a miner sends (no agent, no algo list):
                              strength WEAK; mining only if the account is a
                              coin address or the session shows mining work */
    uint8_t has_id;        /* "id" present */
    uint8_t id_is_null;
    uint8_t id_is_string;  /* mid-stream XMRig uses string ids */
    int64_t id_num;        /* when numeric */
    char id_str[40];       /* the id as text (string or number) */
    char method[64];
    char wallet[256];      /* account part of the login/user */
    char worker[128];      /* worker / rig id */
    char password[64];
    char agent[256];
    char algo[128];        /* comma-separated algorithm names */
    char pool_host[256];   /* host the client says it connects to */
    char job_id[64];       /* job announced or submitted */
    char nonce[64];        /* submitted nonce */
    uint8_t has_job;       /* job data: blob/job_id/target, notify, work result */
    uint8_t has_submit;    /* submit with job id + nonce (+ result) */
} mt_stratum_msg;

/* Classify one JSON object text[0..len). Returns MT_OK for a mining-shaped
 * message (m->strength WEAK..STRONG), MT_ENOTFOUND for valid JSON that is
 * not mining (m->kind GENERIC or OTHER, m->method filled when present),
 * MT_EINVAL/MT_ETRUNC for malformed or truncated JSON. *m is always reset.
 * No message is recorded: this runs on every JSON line of every stream. */
int mt_stratum_parse(const char *text, size_t len, mt_stratum_msg *m);

const char *mt_stratum_dialect_str(mt_stratum_dialect d);
const char *mt_stratum_role_str(mt_stratum_role r);
const char *mt_stratum_kind_str(mt_stratum_kind k);

/* Split a pool login ("wallet.worker", "0xabc/worker/email", "user+diff",
 * "wallet.paymentid.worker") into account and worker. */
void mt_stratum_split_login(const char *login, char *wallet, size_t wcap,
                            char *worker, size_t kcap);

#endif
