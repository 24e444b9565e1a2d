/* Builtin miner software names, matched against HTTP User-Agent headers and
 * the "agent" field of Stratum logins (XMRig sends "XMRig/6.21.0 (Linux
 * x86_64) libuv/1.44.2 gcc/12.2.0"). Patterns are lower-case; the matcher
 * lower-cases the agent. Order matters: the first match wins, so longer or
 * more specific names come before the names they contain (xmr-stak-cpu
 * before xmr-stak, cgminer before gminer). Substring patterns are used only
 * for names too distinctive to appear in a browser User-Agent. */
#include "intel/intel_internal.h"

#define P 1 /* prefix */
#define S 0 /* substring */

const mt_intel_agent mt_intel_builtin_agents[] = {
    /* CPU / CryptoNight / RandomX */
    {"xmrig-proxy", P, "XMRig-Proxy", "monero-miner"},
    {"xmrigcc", P, "XMRigCC", "monero-miner"},
    {"xmrig", S, "XMRig", "monero-miner"},
    {"xmr-stak-cpu", S, "xmr-stak-cpu", "monero-miner"},
    {"xmr-stak-amd", S, "xmr-stak-amd", "monero-miner"},
    {"xmr-stak-nvidia", S, "xmr-stak-nvidia", "monero-miner"},
    {"xmr-stak", S, "xmr-stak", "monero-miner"},
    {"srbminer", S, "SRBMiner", "monero-miner"},
    {"xmr/", P, "xmr", "monero-miner"}, /* nanopool's agent "xmr/1.0" */
    {"cast_xmr", S, "cast_xmr", "monero-miner"},
    {"jce/", P, "JCE", "monero-miner"},
    {"wildrig", S, "WildRig", NULL},
    {"deepminer", S, "deepMiner", "browser-miner"},
    /* Bitcoin and SHA-256 / scrypt */
    {"cpuminer-opt", S, "cpuminer-opt", NULL},
    {"cpuminer", S, "cpuminer", "bitcoin-miner"},
    {"cgminer", S, "cgminer", "bitcoin-miner"},
    {"bfgminer", S, "bfgminer", "bitcoin-miner"},
    {"sgminer", S, "sgminer", NULL},
    {"ccminer", S, "ccminer", NULL},
    {"poclbm", S, "poclbm", "bitcoin-miner"},
    {"bmminer", S, "bmminer", "bitcoin-miner"},
    /* GPU, Ethereum era */
    {"ethminer", S, "ethminer", "ethereum-miner"},
    {"claymore", S, "Claymore", "ethereum-miner"},
    {"phoenixminer", S, "PhoenixMiner", "ethereum-miner"},
    {"teamredminer", S, "TeamRedMiner", "ethereum-miner"},
    {"nbminer", S, "NBMiner", "ethereum-miner"},
    {"lolminer", S, "lolMiner", "ethereum-miner"},
    {"nanominer", S, "nanominer", "ethereum-miner"},
    {"t-rex", P, "T-Rex", "ethereum-miner"},
    {"gminer", P, "GMiner", "ethereum-miner"},
    {"bzminer", S, "BzMiner", NULL},
    {"rhminer", S, "rhminer", NULL},
    {"excavator", S, "Excavator", NULL}, /* NiceHash's miner */
    {"nheqminer", S, "nheqminer", "zcash-miner"},
    {"ewbf", P, "EWBF", "zcash-miner"},
    {"bminer", P, "Bminer", NULL},
    {"kawpowminer", S, "kawpowminer", NULL},
    /* Malware */
    {"lemon-duck-", P, "Lemon-Duck", "lemonduck"},
    {"libredtail-http", P, "RedTail", "redtail"},
};

const size_t mt_intel_builtin_agents_n =
    sizeof mt_intel_builtin_agents / sizeof mt_intel_builtin_agents[0];
