/* Unit tests for the Stratum classifier (src/proto/stratum.c) and the
 * 'stratum' detector (src/detect/stratum.c).
 *
 * The message lines are real: extracted with tshark from the corpus
 * captures named beside each one. The corpus replay test at the end reads
 * the labelled captures themselves (via MT_CORPUS) with libpcap, cuts each
 * TCP direction into JSON lines, and feeds them to the engine as the
 * dispatcher would: every mining capture must give a finding with the right
 * dialect, the JSON-RPC negative must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "detect/dnstie.h"
#include "minetrace/engine.h"
#include "proto/stratum.h"

/* ---- real lines ------------------------------------------------------- */

/* ndpi/mining.pcapng, flow 3 (xmr-stak to 178.32.196.217:9050) */
static const char *XMRSTAK_LOGIN =
    "{\"method\":\"login\",\"params\":{\"login\":\"4BCeEPhodgPMbPWFN1dPwhWXdRX8q4mhhdZdA1dtSMLTLCEYvAj9"
    "QXjXAfF7CugEbmfBhgkqHbdgK9b2wKA6nqRZQCgvCDm.cb2b73415c4faf214035a73b9d947c202342f3bf3bdf632132"
    "bd6d7af98cb257.ryzen\",\"pass\":\"x\",\"agent\":\"xmr-stak-cpu/1.3.0-1.5.0\"},\"id\":1}";
static const char *XMRSTAK_REPLY =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"479059546883218\",\"job\":{\"blob\":"
    "\"0606e89883d205a65d8ee78991838a1cf3ec2ebbc5fb1fa43dec5fa1cd2bee4069212a549cd731000000005a882356"
    "53097aa3e97ef2ceef4aee610751a828f9be1a0758a78365fb0a4c8c05\",\"job_id\":\"722134174127131\","
    "\"target\":\"dc460300\"},\"status\":\"OK\"}}";
static const char *XMRSTAK_SUBMIT =
    "{\"method\":\"submit\",\"params\":{\"id\":\"479059546883218\",\"job_id\":\"722134174127131\","
    "\"nonce\":\"98024001\",\"result\":\"c9be9381a68d533c059d614d961e0534d7d8785dd5c339c2f9596eb95f3201"
    "00\"},\"id\":1}";
static const char *XMR_STATUS_OK = "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}";
static const char *XMRSTAK_JOB =
    "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"06069c9983d2052e885e6d1f99749ae1c263"
    "f36cb423bd1b71eafb4c84eeadb83b5dc8e1a84be60000000017a6f964a2409168ca9e88b304d405e6119728483fc40c"
    "588a9be058d78beaf904\",\"job_id\":\"652010620664805\",\"target\":\"dc460300\"}}";
/* ndpi/mining.pcapng, flow 1 (EWBF to 94.23.199.191:3333) */
static const char *EWBF_SUBSCRIBE =
    "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"EWBF 0.3.4b\",null,\"eu1-zcash.flypool.org\",\"3333\"]}";
static const char *EWBF_AUTHORIZE =
    "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"t1fAhZF5aUJdY7CikGULHmeYk7id8qmvbAd.rig4\",\"x\"]}";
static const char *EWBF_SUB_REPLY = "{\"id\":1,\"result\":[\"04d567b212\", \"04d567b212\"], \"error\": null}";
static const char *EWBF_SET_TARGET =
    "{\"id\":null,\"method\":\"mining.set_target\",\"params\":[\"0004189374bc6a7ef9db22d0e5604189374bc6a7"
    "ef9db22d0e5604189374bc6a\"]}";
static const char *EWBF_NOTIFY =
    "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"8c6f2d4c6d2c7014fb26\",\"04000000\",\"9e2fc768"
    "bd1977528c8d6096d46376758179e25bf3293428b65f120100000000\",\"35d341a8b19a38cd584cb5494185b4dbf1a7e"
    "aa91a9ff6541e851de50cbc88a2\",\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"a9cc405a\",\"09d8151c\",true]}";
static const char *EWBF_EXTRANONCE = "{\"id\":3,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}";
/* ndpi/mining.pcapng flow 2 = nesfit eth-eu1.nanopool.org.pcapng (185.71.66.39:9999) */
static const char *ETH_LOGIN =
    "{\"worker\": \"eth1.0\", \"jsonrpc\": \"2.0\", \"params\": [\"0x9c99d212f7e5daa18ab50810e0fd255d1f0430"
    "3b/kvetak.worker1/ivesely@mailinator\", \"x\"], \"id\": 2, \"method\": \"eth_submitLogin\"}";
static const char *ETH_GETWORK = "{\"worker\": \"\", \"jsonrpc\": \"2.0\", \"params\": [], \"id\": 3, \"method\": \"eth_getWork\"}";
static const char *ETH_WORK =
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":[\"0x415559c31768833f25b6dbfbb39be72e71375e14a3a711e589696850bc"
    "9431ec\",\"0x71a56feffb6f10ea9d76e1a9464eb0abd86e4349ae98fb794923a65b650282a3\",\"0x00000000dbe6fece"
    "bdedd5beb573440e5a884d1b2fbf06fcce912adcb8d8422e\"]}";
static const char *ETH_HASHRATE =
    "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitHashrate\",\"params\":[\"0x1d08a61\", \"0x00000000000"
    "00000000000000000000000000000000000000000000002df91be\"]}";
static const char *ETH_TRUE = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":true}";
/* nesfit xmr-eu1.nanopool.org.pcapng (:14444), spaces after colons */
static const char *XMR_NANOPOOL_LOGIN =
    "{\"method\": \"login\", \"params\": {\"login\": \"47mr7jYTroxQMwdKoPQuJoc9Vs9S9qCUAL6Ek4qyNFWJdqgBZRn4RY"
    "Y2QjQfqEMJZVWPscupSgaqmUn1dpdUTC4fQsu3yjN\", \"pass\": \"x\", \"agent\": \"xmr/1.0\"}, \"id\": 1}";
/* nesfit xmr.suprnova.cc.pcapng (:5222) */
static const char *SUPRNOVA_LOGIN =
    "{\"method\": \"login\", \"params\": {\"login\": \"kvetak.worker1\", \"pass\": \"password\", \"agent\": \"xmr/1.0\"}, \"id\": 1}";
/* nesfit zec-eu1.nanopool.org.pcapng: server pushes with "id":0, params first */
static const char *ZEC_NOTIFY_ID0 =
    "{\"id\":0,\"params\":[\"1484582181\",\"04000000\",\"225ff9589d1e119708ed631987823bfb84f758d92ab81a9545"
    "c0864700000000\",\"04b9b0f549e188b5477894a109d209c59c3880d665bea0deb7995f92f48a8140\",\"00000000000000"
    "00000000000000000000000000000000000000000000000000\",\"25ed7c58\",\"83837b1c\",true],\"method\":\"mining.notify\"}";
static const char *ZEC_SUBSCRIBE =
    "{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"equihashminer\", null, \"zec-eu1.nanopool.org\", \"6666\"]}";
/* jsiwek bitcoin-mining.pcap: bfgminer */
static const char *BFG_SUBSCRIBE = "{\"id\": 0, \"method\": \"mining.subscribe\", \"params\": [\"bfgminer/5.2.0\"]}";
static const char *BFG_SUB_REPLY =
    "{\"result\":[[[\"mining.notify\",\"1\"],[\"mining.set_difficulty\",\"2\"]],\"00b61738\",4],\"error\":null,\"id\":0}";
static const char *BFG_SET_DIFF_ID1 = "{\"method\":\"mining.set_difficulty\",\"params\":[4096],\"id\":1}";
static const char *BFG_GBT =
    "{\"id\": 0, \"method\": \"getblocktemplate\", \"params\": [{\"capabilities\": [\"coinbasetxn\", \"workid\", "
    "\"longpoll\", \"coinbase/append\", \"time/increment\", \"version/force\", \"version/reduce\", "
    "\"submit/coinbase\", \"submit/truncate\"], \"maxversion\": 4}]}";
static const char *PARSE_ERROR = "{\"id\":0,\"result\":null,\"error\":[20,\"Parse error\",null]}";
/* jsiwek bitcoin-mining-in-progress.pcap: mid-stream, string id */
static const char *GET_TXNS = "{\"params\": [\"26eb-2\"], \"id\": \"txlist26eb-2\", \"method\": \"mining.get_transactions\"}";
/* nesfit cgminer.s0.pcapng: p2pool-style subscribe reply */
static const char *P2POOL_SUB_REPLY =
    "{\"error\":null,\"id\":8,\"result\":[[\"mining.notify\",\"ae6812eb4cd7735a302a8a9dd95cf71f\"],\"00\",8]}";
/* jsiwek coinhive-stratum.pcap: login without agent */
static const char *COINHIVE_LOGIN =
    "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"46WNbmwXpYxiBpkbHjAgjC65cyzAxtaaBQjcGpAZquhBKw2r8Nt"
    "PQniEgMJcwFMCZzSBrEJtmPsTR54MoGBDbjTi2W1XmgM.coin-hive\",\"pass\":\"x\"}}";
/* TakeshiYoshikawa miner_9816a3d.pcap: XMRig mid-stream, string ids */
static const char *XMRIG_SUBMIT_STRID =
    "{\"id\":\"10\",\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"13320018489533132443\","
    "\"job_id\":\"11821045979610681239\",\"nonce\":\"90290080\",\"result\":\"c325b01400dd4fd6f8ebc5cf3404ab"
    "184ffec59b0c26e999b58e502c68f80500\"}}";
static const char *XMRIG_OK_STRID = "{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\"},\"id\":\"10\",\"error\":null}";
/* TakeshiYoshikawa miner_e52b224.pcap: job with algo and seed_hash */
static const char *XMRIG_JOB_RX =
    "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"0e0e90f6b0fd059d2599c05d4fb9dc87fc680eeda"
    "02ea3e08c9027aac5ad1f6f0c349db5cd7c80000000005723ce3311a6999189e5ca93b67ad886562851f191f4cde0e456c"
    "177d5013c8c0e\",\"target\":\"dcff1100\",\"job_id\":\"11821045979581693439\",\"time_to_live\":5,\"height\":"
    "2228481,\"algo\":\"rx/0\",\"seed_hash\":\"1d725bf87a3f3a26aace3f9abee5dba09cbf089552f7aa1543b7e8c6a2c"
    "359bd\"},\"error\":null}";
/* synthetic/jsonrpc_nonmining_synthetic.pcap: the negative */
static const char *ETH_BLOCKNUMBER = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}";
static const char *ETH_BLOCKNUMBER_REPLY = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x10d4f\"}";

static int parse(const char *s, mt_stratum_msg *m) { return mt_stratum_parse(s, strlen(s), m); }

/* ---- classifier -------------------------------------------------------- */

static void test_xmrstak_session_lines(void **st)
{
    (void)st;
    mt_stratum_msg m;
    assert_int_equal(parse(XMRSTAK_LOGIN, &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_XMRIG);
    assert_int_equal(m.role, MT_SR_REQUEST);
    assert_int_equal(m.kind, MT_SK_LOGIN);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.method, "login");
    assert_string_equal(m.agent, "xmr-stak-cpu/1.3.0-1.5.0");
    assert_string_equal(m.wallet, "4BCeEPhodgPMbPWFN1dPwhWXdRX8q4mhhdZdA1dtSMLTLCEYvAj9QXjXAfF7CugEbmfBhgkqHbdgK9b2wKA6nqRZQCgvCDm");
    assert_string_equal(m.worker, "ryzen"); /* payment id skipped */
    assert_string_equal(m.password, "x");
    assert_int_equal(m.id_num, 1);

    assert_int_equal(parse(XMRSTAK_REPLY, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_LOGIN_REPLY);
    assert_int_equal(m.role, MT_SR_RESPONSE);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_true(m.has_job);
    assert_string_equal(m.job_id, "722134174127131");

    assert_int_equal(parse(XMRSTAK_SUBMIT, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_SUBMIT);
    assert_true(m.has_submit);
    assert_string_equal(m.nonce, "98024001");

    assert_int_equal(parse(XMRSTAK_JOB, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_JOB);
    assert_int_equal(m.role, MT_SR_NOTIFY);
    assert_int_equal(m.strength, MT_SS_STRONG);

    assert_int_equal(parse(XMR_STATUS_OK, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_STATUS_REPLY);
    assert_int_equal(m.strength, MT_SS_WEAK);
}

static void test_zcash_stratum_lines(void **st)
{
    (void)st;
    mt_stratum_msg m;
    assert_int_equal(parse(EWBF_SUBSCRIBE, &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_STRATUM_V1);
    assert_int_equal(m.kind, MT_SK_SUBSCRIBE);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.agent, "EWBF 0.3.4b");
    assert_string_equal(m.pool_host, "eu1-zcash.flypool.org");

    assert_int_equal(parse(EWBF_AUTHORIZE, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_AUTHORIZE);
    assert_string_equal(m.wallet, "t1fAhZF5aUJdY7CikGULHmeYk7id8qmvbAd");
    assert_string_equal(m.worker, "rig4");

    assert_int_equal(parse(EWBF_SUB_REPLY, &m), MT_OK); /* ambiguous shape: weak */
    assert_int_equal(m.strength, MT_SS_WEAK);
    assert_int_equal(parse(EWBF_SET_TARGET, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_SET_DIFF);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_int_equal(m.role, MT_SR_NOTIFY);
    assert_true(m.id_is_null);
    assert_int_equal(parse(EWBF_NOTIFY, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_JOB);
    assert_int_equal(m.dialect, MT_SD_STRATUM_V1); /* 8 params: Zcash, not EthereumStratum */
    assert_true(m.has_job);
    assert_int_equal(parse(EWBF_EXTRANONCE, &m), MT_OK);
    assert_true(m.nicehash);
    assert_int_equal(m.strength, MT_SS_MEDIUM);

    /* nanopool pushes with "id":0 and params before method */
    assert_int_equal(parse(ZEC_NOTIFY_ID0, &m), MT_OK);
    assert_int_equal(m.role, MT_SR_NOTIFY);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.job_id, "1484582181");
    assert_int_equal(parse(ZEC_SUBSCRIBE, &m), MT_OK);
    assert_string_equal(m.pool_host, "zec-eu1.nanopool.org");
    assert_string_equal(m.agent, "equihashminer");
}

static void test_eth_proxy_lines(void **st)
{
    (void)st;
    mt_stratum_msg m;
    assert_int_equal(parse(ETH_LOGIN, &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_ETH_PROXY);
    assert_int_equal(m.kind, MT_SK_LOGIN);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.wallet, "0x9c99d212f7e5daa18ab50810e0fd255d1f04303b");
    assert_string_equal(m.worker, "kvetak.worker1");
    assert_int_equal(parse(ETH_GETWORK, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_GETWORK);
    assert_int_equal(m.strength, MT_SS_MEDIUM);
    assert_int_equal(parse(ETH_WORK, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_WORK_RESULT);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_int_equal(m.dialect, MT_SD_ETH_PROXY);
    assert_int_equal(parse(ETH_HASHRATE, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_HASHRATE);
    assert_int_equal(parse(ETH_TRUE, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_WEAK);
    assert_int_equal(m.kind, MT_SK_BARE_REPLY);
}

static void test_other_real_lines(void **st)
{
    (void)st;
    mt_stratum_msg m;
    assert_int_equal(parse(XMR_NANOPOOL_LOGIN, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.agent, "xmr/1.0");
    assert_string_equal(m.worker, "");
    assert_int_equal(parse(SUPRNOVA_LOGIN, &m), MT_OK);
    assert_string_equal(m.wallet, "kvetak");
    assert_string_equal(m.worker, "worker1");
    assert_string_equal(m.password, "password");

    assert_int_equal(parse(BFG_SUBSCRIBE, &m), MT_OK);
    assert_string_equal(m.agent, "bfgminer/5.2.0");
    assert_string_equal(m.pool_host, "");
    assert_int_equal(parse(BFG_SUB_REPLY, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_SUBSCRIBE_REPLY);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_int_equal(parse(P2POOL_SUB_REPLY, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_SUBSCRIBE_REPLY);
    assert_int_equal(parse(BFG_SET_DIFF_ID1, &m), MT_OK);
    assert_int_equal(m.role, MT_SR_NOTIFY); /* by method, though id is 1 */
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_int_equal(parse(BFG_GBT, &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_GBT);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_int_equal(parse(PARSE_ERROR, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_WEAK);
    assert_int_equal(parse(GET_TXNS, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_MEDIUM);
    assert_true(m.id_is_string);
    assert_string_equal(m.id_str, "txlist26eb-2");

    assert_int_equal(parse(COINHIVE_LOGIN, &m), MT_OK);
    /* login + pass, no agent, no algo: login-shaped only; the detector
     * takes its Monero address account (or the job reply) as the proof */
    assert_int_equal(m.strength, MT_SS_WEAK);
    assert_true(m.tentative);
    assert_string_equal(m.wallet, "46WNbmwXpYxiBpkbHjAgjC65cyzAxtaaBQjcGpAZquhBKw2r8NtPQniEgMJcwFMCZzSBrEJtmPsTR54MoGBDbjTi2W1XmgM");
    assert_string_equal(m.worker, "coin-hive");
    assert_string_equal(m.agent, "");

    assert_int_equal(parse(XMRIG_SUBMIT_STRID, &m), MT_OK);
    assert_true(m.id_is_string);
    assert_string_equal(m.id_str, "10");
    assert_int_equal(m.id_num, 0); /* id_num is for numeric ids only */
    assert_true(m.has_submit);
    assert_int_equal(parse(XMRIG_OK_STRID, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_STATUS_REPLY);
    assert_int_equal(parse(XMRIG_JOB_RX, &m), MT_OK);
    assert_string_equal(m.algo, "rx/0");
    assert_true(m.has_job);
}

static void test_generic_jsonrpc_not_mining(void **st)
{
    (void)st;
    mt_stratum_msg m;
    assert_int_equal(parse(ETH_BLOCKNUMBER, &m), MT_ENOTFOUND);
    assert_int_equal(m.kind, MT_SK_GENERIC);
    assert_string_equal(m.method, "eth_blockNumber");
    assert_int_equal(parse(ETH_BLOCKNUMBER_REPLY, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_WEAK);
    const char *generic[] = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"foo\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"processId\":1,\"rootUri\":null,\"capabilities\":{}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[\"0x407d73d8a49eeb85d32cf465507dd71d507100c1\",\"latest\"],\"id\":1}",
        /* words shared with the CryptoNote dialect but not its fields */
        "{\"id\":1,\"method\":\"login\",\"params\":{\"user\":\"bob\",\"password\":\"x\"}}",
        "{\"id\":1,\"method\":\"login\",\"params\":[\"bob\",\"x\"]}",
        "{\"id\":2,\"method\":\"submit\",\"params\":{\"form\":\"contact\"}}",
        "{\"method\":\"job\",\"params\":{\"name\":\"backup\"}}",
        "{\"status\":\"OK\",\"items\":[]}",
    };
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        int rc = parse(generic[i], &m);
        if (rc != MT_ENOTFOUND) fail_msg("classified as mining: %s", generic[i]);
    }
    assert_int_equal(parse("[1,2]", &m), MT_ENOTFOUND);
}

static void test_key_order_and_escapes(void **st)
{
    (void)st;
    mt_stratum_msg m;
    /* XMRig's login with keys reordered, spaces, \u escapes and extra fields */
    const char *s =
        "  { \"params\" : { \"algo\" : [ \"rx/0\" , \"cn/2\" , \"\\u0072x/wow\" ] , \"rigid\":\"rig-7\","
        "\"agent\" : \"XMRig/6.16.0 (Linux x86_64) libuv/1.42.0 gcc/9.3.0\", \"extra\":{\"a\":[1,{\"b\":null}]},"
        "\"pass\":\"x\", \"login\" : \"48W8\\u0041Q\" } , \"method\" : \"lo\\u0067in\" ,"
        " \"jsonrpc\":\"2.0\", \"id\" : 1 }";
    assert_int_equal(parse(s, &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_LOGIN);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.method, "login");
    assert_string_equal(m.wallet, "48W8AQ");
    assert_string_equal(m.worker, "rig-7");
    assert_string_equal(m.algo, "rx/0,cn/2,rx/wow");
    assert_string_equal(m.agent, "XMRig/6.16.0 (Linux x86_64) libuv/1.42.0 gcc/9.3.0");

    /* a long algo list is cut at whole names */
    char lg[2048];
    size_t w = (size_t)snprintf(lg, sizeof lg, "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"w\",\"pass\":\"x\",\"algo\":[");
    for (int i = 0; i < 60; i++) w += (size_t)snprintf(lg + w, sizeof lg - w, "%s\"cn-lite/%d\"", i ? "," : "", i);
    snprintf(lg + w, sizeof lg - w, "]}}");
    assert_int_equal(parse(lg, &m), MT_OK);
    size_t al = strlen(m.algo);
    assert_true(al > 100 && al < sizeof m.algo);
    assert_true(m.algo[al - 1] != ',');
    const char *last = strrchr(m.algo, ',');
    assert_non_null(last);
    assert_int_equal(strncmp(last + 1, "cn-lite/", 8), 0);
    assert_true(strlen(last + 1) >= 9);

    /* EthereumStratum/1.0.0 subscribe and 2.0.0 hello */
    assert_int_equal(parse("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"ethminer/0.19.0\",\"EthereumStratum/1.0.0\"]}", &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_ETHSTRATUM);
    assert_int_equal(parse("{\"id\":1,\"method\":\"mining.hello\",\"params\":{\"agent\":\"ethminer-0.19\",\"host\":\"eu1.ethermine.org\",\"port\":\"10f0\",\"proto\":\"EthereumStratum/2.0.0\"}}", &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_ETHSTRATUM2);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.pool_host, "eu1.ethermine.org");
    assert_string_equal(m.agent, "ethminer-0.19");
    assert_int_equal(parse("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"bf0488\",\"ad9eb5d8c2f4b2d1bbbd37d2fd4b1d02f5a3f85aef3f0f54b9e1e6a3d3a6c5e1\",\"3fa6b0ab0bd3d6d7e5ffbce3ad4e3f0cc5f7d9bd1e61cc88b6e2a3a0ad6b2f4c\",true]}", &m), MT_OK);
    assert_int_equal(m.dialect, MT_SD_ETHSTRATUM);
    assert_int_equal(parse("{\"id\":3,\"result\":[[\"mining.notify\",\"ae6812eb\",\"EthereumStratum/1.0.0\"],\"080c\"],\"error\":null}", &m), MT_OK);
    assert_int_equal(m.kind, MT_SK_SUBSCRIBE_REPLY);
    assert_int_equal(m.dialect, MT_SD_ETHSTRATUM);
    /* unknown mining.* method: medium */
    assert_int_equal(parse("{\"id\":9,\"method\":\"mining.future_thing\",\"params\":[]}", &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_MEDIUM);
}

static void test_malformed_and_hostile(void **st)
{
    (void)st;
    mt_stratum_msg m;
    size_t n = strlen(XMRSTAK_LOGIN);
    for (size_t k = 0; k < n; k++) {
        int rc = mt_stratum_parse(XMRSTAK_LOGIN, k, &m);
        assert_true(rc == MT_ETRUNC || rc == MT_EINVAL);
    }
    assert_int_equal(parse("{\"method\":\"login\",\"params\":{\"login\":\"a\"", &m), MT_ETRUNC);
    assert_int_equal(parse("{\"method\":\"login\" \"params\":1}", &m), MT_EINVAL);

    /* huge login and agent: bounded copies */
    size_t big = 100000;
    char *s = malloc(big * 2 + 200);
    size_t w = (size_t)sprintf(s, "{\"method\":\"login\",\"params\":{\"login\":\"");
    memset(s + w, 'W', big);
    w += big;
    w += (size_t)sprintf(s + w, ".worker\",\"pass\":\"x\",\"agent\":\"");
    memset(s + w, 'A', big);
    w += big;
    w += (size_t)sprintf(s + w, "\"}}");
    assert_int_equal(mt_stratum_parse(s, w, &m), MT_OK);
    assert_int_equal(strlen(m.agent), sizeof m.agent - 1);
    assert_true(strlen(m.wallet) < sizeof m.wallet);
    free(s);

    /* non-UTF-8 agent is kept raw */
    const char raw[] = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"\xff\xfeminer\"]}";
    assert_int_equal(mt_stratum_parse(raw, sizeof raw - 1, &m), MT_OK);
    assert_memory_equal(m.agent, "\xff\xfeminer", 7);

    /* deep junk in params */
    char deep[300];
    w = (size_t)sprintf(deep, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":");
    for (int i = 0; i < 100; i++) deep[w++] = '[';
    for (int i = 0; i < 100; i++) deep[w++] = ']';
    deep[w++] = '}';
    assert_int_equal(mt_stratum_parse(deep, w, &m), MT_EINVAL);
}

static void test_split_login(void **st)
{
    (void)st;
    char wa[128], wk[64];
    mt_stratum_split_login("wallet.rig1", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "wallet");
    assert_string_equal(wk, "rig1");
    mt_stratum_split_login("wallet+50000", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "wallet");
    assert_string_equal(wk, "");
    mt_stratum_split_login("wallet+rigA", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wk, "rigA");
    mt_stratum_split_login("user@mail.example.com", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "user@mail.example.com");
    assert_string_equal(wk, "");
    mt_stratum_split_login("0xabc/w1/me@x.org", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "0xabc");
    assert_string_equal(wk, "w1");
    mt_stratum_split_login("w.", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "w");
    assert_string_equal(wk, "");
    mt_stratum_split_login("", wa, sizeof wa, wk, sizeof wk);
    assert_string_equal(wa, "");
}

/* ---- detector through the engine ---------------------------------------- */

#define MAX_CAUGHT 64
static mt_finding caught[MAX_CAUGHT];
static int n_caught;

static int cap_emit(mt_sink *s, const mt_finding *f)
{
    (void)s;
    if (n_caught < MAX_CAUGHT) caught[n_caught] = *f;
    n_caught++;
    return MT_OK;
}
static void cap_close(mt_sink *s) { free(s); }

static mt_engine *new_engine(void)
{
    mt_engine *e = mt_engine_new(NULL, NULL);
    mt_engine_set_keep_repeats(e, 1); /* this detector's own findings, each */
    assert_non_null(e);
    mt_sink *s = calloc(1, sizeof *s);
    s->name = "capture";
    s->emit = cap_emit;
    s->close = cap_close;
    mt_engine_add_sink(e, s);
    n_caught = 0;
    memset(caught, 0, sizeof caught);
    return e;
}

typedef struct fake_flow {
    uint64_t id;
    mt_addr cli, srv;
    uint16_t cport, sport;
    uint32_t flags;
} fake_flow;

static void send_json(mt_engine *e, const fake_flow *fl, int to_server, const char *text,
                      int in_http, mt_time_us ts)
{
    mt_json_msg j = {text, strlen(text), (uint8_t)in_http};
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_JSON_MSG;
    ev.source = MT_SRC_PCAP;
    ev.flags = fl->flags | (to_server ? MT_EVF_TO_SERVER : 0);
    ev.ts = ts;
    ev.flow_id = fl->id;
    ev.ipproto = 6;
    ev.cli = fl->cli;
    ev.srv = fl->srv;
    ev.cli_port = fl->cport;
    ev.srv_port = fl->sport;
    ev.u.json = &j;
    mt_engine_event(e, &ev);
}

static void end_flow(mt_engine *e, const fake_flow *fl)
{
    mt_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_FLOW_END;
    ev.flow_id = fl->id;
    ev.cli = fl->cli;
    ev.srv = fl->srv;
    ev.u.flow = &fs;
    mt_engine_event(e, &ev);
}

static fake_flow mkflow(uint64_t id, const char *c, uint16_t cp, const char *s, uint16_t sp)
{
    fake_flow f;
    memset(&f, 0, sizeof f);
    f.id = id;
    assert_int_equal(mt_addr_parse(c, &f.cli), MT_OK);
    assert_int_equal(mt_addr_parse(s, &f.srv), MT_OK);
    f.cport = cp;
    f.sport = sp;
    return f;
}

static void test_detector_xmrstak_pair(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    fake_flow fl = mkflow(7, "192.168.2.92", 55190, "178.32.196.217", 9050);
    send_json(e, &fl, 1, XMRSTAK_LOGIN, 0, 1000);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 2000);
    for (int i = 0; i < 12; i++) {
        send_json(e, &fl, 1, XMRSTAK_SUBMIT, 0, 3000 + i);
        send_json(e, &fl, 0, XMR_STATUS_OK, 0, 3000 + i);
    }
    send_json(e, &fl, 0, XMRSTAK_JOB, 0, 5000);
    assert_int_equal(n_caught, 0); /* nothing until the flow ends */
    end_flow(e, &fl);
    assert_int_equal(n_caught, 1);
    mt_finding *f = &caught[0];
    assert_int_equal(f->kind, MT_KIND_STRATUM);
    assert_string_equal(f->protocol, "xmrig");
    assert_string_equal(f->family, "monero-miner");
    assert_string_equal(f->agent, "xmr-stak-cpu/1.3.0-1.5.0");
    assert_string_equal(f->worker, "ryzen");
    assert_true(f->confidence >= 95);
    assert_string_equal(f->pool, "178.32.196.217:9050");
    char a[64];
    mt_addr_to_str(&f->src, a, sizeof a);
    assert_string_equal(a, "192.168.2.92");
    assert_non_null(strstr(f->evidence, "12 submit"));
    assert_non_null(strstr(f->evidence, "login"));
    mt_engine_flush(e);
    assert_int_equal(n_caught, 1); /* emitted once */
    mt_engine_free(e);
}

static void test_detector_negative_jsonrpc(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    fake_flow fl = mkflow(9, "10.0.0.1", 40000, "10.0.0.2", 8545);
    send_json(e, &fl, 1, ETH_BLOCKNUMBER, 0, 1);
    send_json(e, &fl, 0, ETH_BLOCKNUMBER_REPLY, 0, 2);
    send_json(e, &fl, 1, ETH_BLOCKNUMBER, 0, 3);
    send_json(e, &fl, 0, ETH_BLOCKNUMBER_REPLY, 0, 4);
    /* weak replies alone are not mining either */
    fake_flow f2 = mkflow(10, "10.0.0.1", 40001, "10.0.0.3", 80);
    send_json(e, &f2, 0, "{\"id\":3,\"result\":true}", 0, 5);
    send_json(e, &f2, 0, "{\"result\":{\"status\":\"OK\"}}", 0, 6);
    end_flow(e, &fl);
    mt_engine_flush(e);
    assert_int_equal(n_caught, 0);
    mt_engine_free(e);
}

static void test_detector_midstream_submit_and_swap(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    /* The decoder guessed wrong: the miner (10.0.0.104) was taken as the
     * server, so submits travel "to the client". */
    fake_flow fl = mkflow(11, "49.12.80.39", 45700, "10.0.0.104", 42168);
    fl.flags = MT_EVF_GUESSED_DIR;
    for (int i = 0; i < 6; i++) {
        send_json(e, &fl, 0, XMRIG_SUBMIT_STRID, 0, 100 + i);
        send_json(e, &fl, 1, XMRIG_OK_STRID, 0, 100 + i);
    }
    mt_engine_flush(e);
    assert_int_equal(n_caught, 1);
    mt_finding *f = &caught[0];
    char a[64];
    mt_addr_to_str(&f->src, a, sizeof a);
    assert_string_equal(a, "10.0.0.104");
    assert_int_equal(f->src_port, 42168);
    assert_int_equal(f->dst_port, 45700);
    assert_string_equal(f->pool, "49.12.80.39:45700");
    assert_true(f->confidence >= 75 && f->confidence <= 85);
    assert_non_null(strstr(f->evidence, "mid-stream"));
    assert_non_null(strstr(f->evidence, "direction from messages"));
    mt_engine_free(e);
}

static void test_detector_pool_and_family(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    /* EWBF: pool host from subscribe params[2], Zcash family */
    fake_flow fl = mkflow(12, "192.168.2.148", 46838, "94.23.199.191", 3333);
    send_json(e, &fl, 1, EWBF_SUBSCRIBE, 0, 1);
    send_json(e, &fl, 0, EWBF_SUB_REPLY, 0, 2);
    send_json(e, &fl, 1, EWBF_AUTHORIZE, 0, 3);
    send_json(e, &fl, 0, EWBF_SET_TARGET, 0, 4);
    send_json(e, &fl, 1, EWBF_EXTRANONCE, 0, 5);
    send_json(e, &fl, 0, EWBF_NOTIFY, 0, 6);
    end_flow(e, &fl);
    assert_int_equal(n_caught, 1);
    assert_string_equal(caught[0].protocol, "stratum-v1");
    assert_string_equal(caught[0].pool, "eu1-zcash.flypool.org");
    assert_string_equal(caught[0].family, "zcash-miner");
    assert_string_equal(caught[0].wallet, "t1fAhZF5aUJdY7CikGULHmeYk7id8qmvbAd");
    assert_string_equal(caught[0].worker, "rig4");
    assert_int_equal(caught[0].confidence, 98);
    assert_non_null(strstr(caught[0].evidence, "nicehash"));

    /* eth-proxy, pool from the DNS tie */
    fake_flow f2 = mkflow(13, "147.229.13.222", 49307, "185.71.66.39", 9999);
    mt_dnstie_put(mt_engine_dnstie(e), &f2.srv, "eth-eu1.nanopool.org", 1000000000, 0, 0);
    send_json(e, &f2, 1, ETH_LOGIN, 0, 10);
    send_json(e, &f2, 0, ETH_TRUE, 0, 11);
    send_json(e, &f2, 1, ETH_GETWORK, 0, 12);
    send_json(e, &f2, 0, ETH_WORK, 0, 13);
    send_json(e, &f2, 1, ETH_HASHRATE, 0, 14);
    end_flow(e, &f2);
    assert_int_equal(n_caught, 2);
    assert_string_equal(caught[1].protocol, "eth-proxy");
    assert_string_equal(caught[1].family, "ethereum-miner");
    assert_string_equal(caught[1].pool, "eth-eu1.nanopool.org");
    assert_string_equal(caught[1].wallet, "0x9c99d212f7e5daa18ab50810e0fd255d1f04303b");

    /* getwork over HTTP: protocol getwork, pool from the Host header */
    fake_flow f3 = mkflow(14, "147.229.13.222", 49417, "88.198.15.41", 80);
    mt_http_request req;
    memset(&req, 0, sizeof req);
    strcpy(req.method, "POST");
    strcpy(req.uri, "/?miner=30@0x4b999ba68e017854ffb6b494bc2ddb9ef02bd745@OptionalRigName");
    strcpy(req.host, "pool.eth.pp.ua");
    mt_event hev;
    memset(&hev, 0, sizeof hev);
    hev.type = MT_EV_HTTP_REQUEST;
    hev.flow_id = f3.id;
    hev.cli = f3.cli;
    hev.srv = f3.srv;
    hev.u.http = &req;
    mt_engine_event(e, &hev);
    send_json(e, &f3, 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}", 1, 20);
    send_json(e, &f3, 0, "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":[\"0xd49408f639581e7c4daffd1b20ee981139ca96694a7e6460dad17a9bb45efcf6\",\"0x71a56feffb6f10ea9d76e1a9464eb0abd86e4349ae98fb794923a65b650282a3\",\"0x000000005ba03f80cf23190f76455c5b50637575fe8f983eab6727314d04c63e\"]}", 1, 21);
    end_flow(e, &f3);
    assert_int_equal(n_caught, 3);
    assert_string_equal(caught[2].protocol, "getwork");
    assert_string_equal(caught[2].pool, "pool.eth.pp.ua");
    assert_string_equal(caught[2].family, "ethereum-miner");
    assert_int_equal(caught[2].confidence, 95);

    /* the same without the (chunked, undecoded) replies: still getwork */
    fake_flow f4 = mkflow(15, "147.229.13.222", 49418, "88.198.15.41", 80);
    hev.flow_id = f4.id;
    mt_engine_event(e, &hev);
    send_json(e, &f4, 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitHashrate\",\"params\":[\"0x0\",\"0x595394dfcf62b8f99cf36dae818fa985a394c6ded5d59f8711e93d445ad257a0\"]}", 1, 30);
    send_json(e, &f4, 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}", 1, 31);
    end_flow(e, &f4);
    assert_int_equal(n_caught, 4);
    assert_string_equal(caught[3].protocol, "getwork");
    assert_string_equal(caught[3].pool, "pool.eth.pp.ua");
    assert_int_equal(caught[3].confidence, 70);
    /* but not over a plain TCP stream with nobody answering */
    fake_flow f5 = mkflow(16, "10.0.0.1", 40002, "10.0.0.2", 8545);
    send_json(e, &f5, 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\"}", 0, 40);
    end_flow(e, &f5);
    assert_int_equal(n_caught, 4);
    mt_engine_free(e);
}

static void test_detector_intel_agent_family(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    mt_engine *e = mt_engine_new(in, NULL);
    mt_engine_set_keep_repeats(e, 1); /* this detector's own findings, each */
    mt_sink *sk = calloc(1, sizeof *sk);
    sk->name = "capture";
    sk->emit = cap_emit;
    sk->close = cap_close;
    mt_engine_add_sink(e, sk);
    n_caught = 0;
    fake_flow fl = mkflow(21, "10.9.0.5", 50000, "10.9.0.1", 3333);
    send_json(e, &fl, 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"4abc\",\"pass\":\"x\",\"agent\":\"Lemon-Duck-Win-7.1\"}}", 0, 1);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 2);
    mt_engine_flush(e);
    assert_int_equal(n_caught, 1);
    assert_string_equal(caught[0].family, "lemonduck"); /* named family beats monero-miner */
    mt_engine_free(e);
    mt_intel_free(in);
}

/* A wallet on a loaded list raises the confidence and says so; without
 * such a list the same session gives the finding of test_detector_xmrstak_pair. */
static void test_detector_listed_wallet(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    assert_int_equal(mt_intel_add_wallet(in, "4BCeEPhodgPMbPWFN1dPwhWXdRX8q4mhhdZdA1dtSMLTLCEYvAj9"
                                             "QXjXAfF7CugEbmfBhgkqHbdgK9b2wKA6nqRZQCgvCDm",
                                         99, MT_CAT_MINER_C2, "campaign.txt"), MT_OK);
    mt_engine *e = mt_engine_new(in, NULL);
    mt_engine_set_keep_repeats(e, 1); /* this detector's own findings, each */
    mt_sink *sk = calloc(1, sizeof *sk);
    sk->name = "capture";
    sk->emit = cap_emit;
    sk->close = cap_close;
    mt_engine_add_sink(e, sk);
    n_caught = 0;
    fake_flow fl = mkflow(7, "192.168.2.92", 55190, "178.32.196.217", 9050);
    send_json(e, &fl, 1, XMRSTAK_LOGIN, 0, 1000);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 2000);
    end_flow(e, &fl);
    assert_int_equal(n_caught, 1);
    assert_int_equal(caught[0].confidence, 99);
    assert_non_null(strstr(caught[0].evidence, "; listed wallet (list campaign.txt)"));
    mt_engine_free(e);

    /* unlisted wallet: no mention */
    mt_intel *other = mt_intel_new();
    assert_int_equal(mt_intel_add_wallet(other, "wallet:not-this-one", 99, MT_CAT_POOL, "x"),
                     MT_EINVAL);
    assert_int_equal(mt_intel_add_wallet(other, "not-this-one", 99, MT_CAT_POOL, "x"), MT_OK);
    e = mt_engine_new(other, NULL);
    mt_engine_set_keep_repeats(e, 1); /* this detector's own findings, each */
    sk = calloc(1, sizeof *sk);
    sk->name = "capture";
    sk->emit = cap_emit;
    sk->close = cap_close;
    mt_engine_add_sink(e, sk);
    n_caught = 0;
    send_json(e, &fl, 1, XMRSTAK_LOGIN, 0, 1000);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 2000);
    end_flow(e, &fl);
    assert_int_equal(n_caught, 1);
    assert_null(strstr(caught[0].evidence, "listed"));
    assert_true(caught[0].confidence < 99);
    mt_engine_free(e);
    mt_intel_free(other);
    mt_intel_free(in);
}

static void test_detector_many_flows_bounded(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    /* More sessions than the table holds: the oldest are evicted (and
     * reported), the process neither grows nor crashes. */
    for (uint64_t i = 1; i <= 70000; i++) {
        fake_flow fl = mkflow(i, "10.1.0.1", 40000, "10.2.0.1", 3333);
        send_json(e, &fl, 0, "{\"id\":3,\"result\":true}", 0, (mt_time_us)i);
    }
    /* 70000 weak sessions: none is mining */
    mt_engine_flush(e);
    assert_int_equal(n_caught, 0);
    for (uint64_t i = 1; i <= 70000; i++) {
        fake_flow fl = mkflow(i, "10.1.0.1", 40000, "10.2.0.1", 3333);
        send_json(e, &fl, 1, BFG_SUBSCRIBE, 0, (mt_time_us)i);
        if (i % 3 == 0) end_flow(e, &fl);
    }
    mt_engine_flush(e);
    assert_int_equal(n_caught, 70000);
    mt_engine_free(e);
}

/* ---- corpus replay ------------------------------------------------------ */

#define MAX_FLOWS 512
#define DIR_CAP (64 * 1024)

typedef struct rflow {
    mt_addr a, b;      /* a = client (SYN sender or guessed) */
    uint16_t pa, pb;
    int guessed;
    uint64_t id;
    char buf[2][DIR_CAP]; /* 0: a->b, 1: b->a */
    size_t len[2];
    uint32_t next_seq[2];
    int seq_set[2];
    mt_time_us ts;
} rflow;

typedef struct replay {
    rflow *flows;
    int n;
} replay;

static int addr_from(const u_char *p, int fam, mt_addr *a)
{
    memset(a, 0, sizeof *a);
    a->family = (uint8_t)fam;
    memcpy(a->b, p, fam == 4 ? 4 : 16);
    return 0;
}

static void replay_packet(replay *r, const struct pcap_pkthdr *h, const u_char *pkt, int linktype)
{
    size_t off;
    if (linktype == DLT_EN10MB) off = 14;
    else if (linktype == DLT_LINUX_SLL) off = 16;
    else if (linktype == DLT_RAW) off = 0;
    else return;
    if (h->caplen < off + 20) return;
    uint16_t et = linktype == DLT_EN10MB ? (uint16_t)(pkt[12] << 8 | pkt[13]) : 0x0800;
    if (linktype == DLT_EN10MB && et == 0x8100) { off += 4; et = (uint16_t)(pkt[16] << 8 | pkt[17]); }
    const u_char *ip = pkt + off;
    size_t n = h->caplen - off;
    mt_addr src, dst;
    const u_char *tcp;
    size_t tl;
    if ((ip[0] >> 4) == 4) {
        size_t ihl = (size_t)(ip[0] & 15) * 4;
        if (ip[9] != 6 || n < ihl + 20) return;
        size_t tot = (size_t)(ip[2] << 8 | ip[3]);
        if (tot >= ihl + 20 && tot < n) n = tot; /* tot 0: segmentation offload */
        addr_from(ip + 12, 4, &src);
        addr_from(ip + 16, 4, &dst);
        tcp = ip + ihl;
        tl = n - ihl;
    } else if ((ip[0] >> 4) == 6) {
        if (n < 60 || ip[6] != 6) return;
        size_t plen6 = (size_t)(ip[4] << 8 | ip[5]);
        if (plen6 >= 20 && plen6 + 40 < n) n = plen6 + 40;
        addr_from(ip + 8, 6, &src);
        addr_from(ip + 24, 6, &dst);
        tcp = ip + 40;
        tl = n - 40;
    } else {
        return;
    }
    if (tl < 20) return;
    uint16_t sp = (uint16_t)(tcp[0] << 8 | tcp[1]), dp = (uint16_t)(tcp[2] << 8 | tcp[3]);
    uint32_t seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7];
    size_t doff = (size_t)(tcp[12] >> 4) * 4;
    int syn = (tcp[13] & 0x02) && !(tcp[13] & 0x10);
    if (doff < 20 || doff > tl) return;
    const u_char *pl = tcp + doff;
    size_t plen = tl - doff;

    rflow *f = NULL;
    int dir = 0;
    for (int i = 0; i < r->n; i++) {
        rflow *c = &r->flows[i];
        if (c->pa == sp && c->pb == dp && mt_addr_eq(&c->a, &src) && mt_addr_eq(&c->b, &dst)) { f = c; dir = 0; break; }
        if (c->pa == dp && c->pb == sp && mt_addr_eq(&c->a, &dst) && mt_addr_eq(&c->b, &src)) { f = c; dir = 1; break; }
    }
    if (!f) {
        if (r->n == MAX_FLOWS || (!syn && plen == 0)) return;
        f = &r->flows[r->n++];
        memset(f, 0, sizeof *f);
        f->id = (uint64_t)r->n;
        f->ts = (mt_time_us)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
        /* client = SYN sender; else guess: the higher port is the client */
        if (syn || sp > dp) { f->a = src; f->b = dst; f->pa = sp; f->pb = dp; dir = 0; }
        else { f->a = dst; f->b = src; f->pa = dp; f->pb = sp; dir = 1; }
        f->guessed = !syn;
    }
    if (syn) { f->next_seq[dir] = seq + 1; f->seq_set[dir] = 1; return; }
    if (plen == 0) return;
    if (f->seq_set[dir] && (int32_t)(seq - f->next_seq[dir]) < 0) return; /* retransmission */
    f->next_seq[dir] = seq + (uint32_t)plen;
    f->seq_set[dir] = 1;
    size_t room = DIR_CAP - f->len[dir];
    if (plen > room) plen = room;
    memcpy(f->buf[dir] + f->len[dir], pl, plen);
    f->len[dir] += plen;
}

/* Feed every JSON object line of every flow; returns findings emitted. */
static int replay_file(const char *path, mt_finding *first)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    if (!pc) fail_msg("cannot open %s: %s", path, err);
    replay *r = calloc(1, sizeof *r);
    r->flows = calloc(MAX_FLOWS, sizeof *r->flows);
    struct pcap_pkthdr *h;
    const u_char *pkt;
    int lt = pcap_datalink(pc);
    while (pcap_next_ex(pc, &h, &pkt) == 1) replay_packet(r, h, pkt, lt);
    pcap_close(pc);

    mt_engine *e = new_engine();
    for (int i = 0; i < r->n; i++) {
        rflow *f = &r->flows[i];
        fake_flow fl = {f->id, f->a, f->b, f->pa, f->pb, f->guessed ? MT_EVF_GUESSED_DIR : 0};
        for (int d = 0; d < 2; d++) {
            const char *b = f->buf[d];
            size_t n = f->len[d], p = 0;
            /* HTTP: feed the body after the blank line as one object */
            while (p < n) {
                const char *o = memchr(b + p, '{', n - p);
                if (!o) break;
                size_t s = (size_t)(o - b);
                const char *nl = memchr(b + s, '\n', n - s);
                size_t eol = nl ? (size_t)(nl - b) : n;
                char *line = malloc(eol - s + 1);
                memcpy(line, b + s, eol - s);
                line[eol - s] = '\0';
                /* bodies from HTTP requests are marked as such */
                int in_http = n > 5 && (memcmp(b, "POST ", 5) == 0 || memcmp(b, "HTTP/", 5) == 0);
                send_json(e, &fl, d == 0, line, in_http, f->ts);
                free(line);
                p = eol + 1;
            }
        }
        end_flow(e, &fl);
    }
    mt_engine_flush(e);
    int got = n_caught;
    if (got > 0 && first) *first = caught[0];
    mt_engine_free(e);
    free(r->flows);
    free(r);
    return got;
}

static void expect_file(const char *rel, int want_min, const char *protocol, const char *family)
{
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) corpus = "../shared/corpus";
    char path[1024];
    snprintf(path, sizeof path, "%s/pcap/%s", corpus, rel);
    FILE *t = fopen(path, "rb");
    if (!t) {
        print_message("corpus file missing, skipped: %s\n", path);
        return;
    }
    fclose(t);
    mt_finding f;
    memset(&f, 0, sizeof f);
    int got = replay_file(path, &f);
    print_message("%-70s findings=%d proto=%s family=%s conf=%d pool=%s\n", rel, got, f.protocol,
                  f.family, f.confidence, f.pool);
    if (want_min == 0) {
        if (got != 0) fail_msg("%s: expected no finding, got %d (%s)", rel, got, f.evidence);
        return;
    }
    if (got < want_min) fail_msg("%s: expected >= %d findings, got %d", rel, want_min, got);
    if (protocol) assert_string_equal(f.protocol, protocol);
    if (family) assert_string_equal(f.family, family);
}

static void test_corpus_replay(void **st)
{
    (void)st;
    expect_file("ndpi/mining.pcapng", 4, NULL, NULL);
    expect_file("other/nesfit_DI-cryptominingdetection/eth-eu1.nanopool.org.pcapng", 1, "eth-proxy", "ethereum-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/pool.eth.pp.ua.pcapng", 1, "getwork", "ethereum-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/xmr-eu1.nanopool.org.pcapng", 1, "xmrig", "monero-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/xmr.suprnova.cc.pcapng", 1, "xmrig", "monero-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/zec-eu.suprnova.cc.pcapng", 1, "stratum-v1", "zcash-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/zec-eu1.nanopool.org.pcapng", 1, "stratum-v1", "zcash-miner");
    expect_file("other/nesfit_DI-cryptominingdetection/cgminer.s0.pcapng", 1, NULL, NULL);
    expect_file("other/jsiwek_zeek-cryptomining/bitcoin-mining.pcap", 1, NULL, "bitcoin-miner");
    expect_file("other/jsiwek_zeek-cryptomining/bitcoin-mining-in-progress.pcap", 1, "stratum-v1", "bitcoin-miner");
    expect_file("other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap", 1, "xmrig", "monero-miner");
    expect_file("other/TakeshiYoshikawa_CryptominingDetector/miner_9816a3d.pcap", 1, "xmrig", "monero-miner");
    expect_file("other/TakeshiYoshikawa_CryptominingDetector/miner_e52b224.pcap", 1, "xmrig", "monero-miner");
    expect_file("synthetic/jsonrpc_nonmining_synthetic.pcap", 0, NULL, NULL);
    expect_file("ndpi/bitcoin.pcap", 0, NULL, NULL);
    expect_file("ndpi/ethereum.pcap", 0, NULL, NULL);
    expect_file("ndpi/monero.pcap", 0, NULL, NULL);

    /* Real XMRig 6.16.0 against the project's test pool (tests/data/xmrig,
     * recorded by tests/integration/xmrig/record.sh). */
    const char *src = getenv("MT_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/xmrig/xmrig616_clear.pcap", src ? src : ".");
    FILE *t = fopen(path, "rb");
    if (!t) {
        print_message("skipped (missing): %s\n", path);
        return;
    }
    fclose(t);
    mt_finding f;
    assert_int_equal(replay_file(path, &f), 1);
    assert_string_equal(f.protocol, "xmrig");
    assert_string_equal(f.family, "monero-miner");
    assert_string_equal(f.agent, "XMRig/6.16.0 (Linux x86_64) libuv/1.42.0 gcc/5.4.0");
    assert_string_equal(f.worker, "mt-e2e-rig");
    assert_string_equal(f.wallet, "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A");
    assert_string_equal(f.algo, "cn/1"); /* the algorithm in use, not the offered list */
    assert_int_equal(f.confidence, 98);
    print_message("xmrig616_clear: %s\n", f.evidence);
}

/* A miner's connection can stay open for days: once sure, a long session
 * is reported without waiting for the flow to end, and only once. */
static void test_detector_long_session_reported_early(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    fake_flow fl = mkflow(77, "192.168.2.92", 55190, "178.32.196.217", 9050);
    send_json(e, &fl, 1, XMRSTAK_LOGIN, 0, 1000000);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 1100000);
    send_json(e, &fl, 1, XMRSTAK_SUBMIT, 0, 30000000);
    assert_int_equal(n_caught, 0); /* 29 s in: still collecting */
    send_json(e, &fl, 1, XMRSTAK_SUBMIT, 0, 62000000);
    assert_int_equal(n_caught, 1); /* past a minute: reported */
    assert_int_equal(caught[0].kind, MT_KIND_STRATUM);
    assert_true(strncmp(caught[0].wallet, "4BCe", 4) == 0);
    for (int i = 0; i < 100; i++) send_json(e, &fl, 1, XMRSTAK_SUBMIT, 0, 63000000 + i);
    end_flow(e, &fl);
    mt_engine_flush(e);
    assert_int_equal(n_caught, 1); /* and not again */
    /* Many messages in a short time count too. */
    fake_flow f2 = mkflow(78, "192.168.2.93", 55191, "178.32.196.217", 9050);
    send_json(e, &f2, 1, XMRSTAK_LOGIN, 0, 1000);
    for (int i = 0; i < 70 && n_caught == 1; i++) send_json(e, &f2, 0, XMRSTAK_JOB, 0, 2000 + i);
    assert_int_equal(n_caught, 2);
    mt_engine_free(e);
}

/* Lines of tests/data/jsonrpc_negative/game_*.pcap (our own recording of a
 * game's JSON-RPC, jsonrpc_app.py): the login-shaped first line nDPI 4.2
 * calls XMRig, its session reply, and some of the methods that follow. */
static const char *GAME_LOGIN = "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"player\",\"pass\":\"x\"}}";
static const char *GAME_LOGIN_REPLY =
    "{\"id\":1,\"result\":{\"id\":\"s-5a1c2b3d\",\"status\":\"OK\",\"token\":\"3e0f9c1d2b4a59687a6b5c4d3e2f1a0b\","
    "\"player\":\"player\"},\"error\":null}";
static const char *GAME_CALLS[] = {
    "{\"id\":2,\"method\":\"getProfile\",\"params\":{}}",
    "{\"id\":3,\"method\":\"getInventory\",\"params\":{}}",
    "{\"id\":4,\"method\":\"move\",\"params\":{\"dx\":1,\"dy\":-2}}",
    "{\"id\":5,\"method\":\"chat\",\"params\":{\"channel\":\"world\",\"to\":\"bo\",\"text\":\"gg 5\"}}",
    "{\"id\":6,\"method\":\"submit\",\"params\":{\"form\":\"quest\",\"job_id\":\"q1\",\"answer\":\"done\"}}",
};
static const char *GAME_REPLY = "{\"id\":4,\"result\":{\"x\":11,\"y\":8,\"blocked\":false},\"error\":null}";
static const char *GAME_QUEST_JOB =
    "{\"method\":\"job\",\"params\":{\"job_id\":\"q1\",\"title\":\"Deliver the letter\",\"reward\":25}}";
/* the same login shape from a real pool client: nesfit xmr.suprnova.cc's
 * login without its agent */
static const char *BARE_POOL_LOGIN =
    "{\"method\": \"login\", \"params\": {\"login\": \"kvetak.worker1\", \"pass\": \"password\"}, \"id\": 1}";

static void test_detector_login_shaped_app(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    mt_stratum_msg m;
    assert_int_equal(parse(GAME_LOGIN, &m), MT_OK);
    assert_true(m.tentative);
    assert_int_equal(m.strength, MT_SS_WEAK);
    /* an algorithm list (or an agent) is what only a miner sends */
    assert_int_equal(parse("{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"rig7.w1\","
                           "\"pass\":\"x\",\"algo\":[\"cn/r\",\"rx/0\"]}}", &m), MT_OK);
    assert_false(m.tentative);
    assert_int_equal(m.strength, MT_SS_STRONG);
    assert_string_equal(m.algo, "cn/r,rx/0");
    assert_int_equal(parse("{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"p\",\"pass\":\"x\","
                           "\"agent\":\"\"}}", &m), MT_OK);
    assert_true(m.tentative); /* an empty agent names no program */
    assert_int_equal(parse(GAME_QUEST_JOB, &m), MT_OK);
    assert_int_equal(m.strength, MT_SS_MEDIUM); /* job_id, no blob/target */

    /* The game: login, a session reply that looks like a pool's
     * {"id","status"}, dozens of other methods, a quest "job". */
    fake_flow fl = mkflow(101, "10.77.24.2", 40100, "10.77.24.1", 3333);
    mt_time_us t = 1000;
    send_json(e, &fl, 1, GAME_LOGIN, 0, t++);
    send_json(e, &fl, 0, GAME_LOGIN_REPLY, 0, t++);
    for (int r = 0; r < 8; r++) {
        for (size_t i = 0; i < sizeof GAME_CALLS / sizeof GAME_CALLS[0]; i++) {
            send_json(e, &fl, 1, GAME_CALLS[i], 0, t++);
            send_json(e, &fl, 0, GAME_REPLY, 0, t++);
        }
        send_json(e, &fl, 0, GAME_QUEST_JOB, 0, t++);
    }
    end_flow(e, &fl);
    assert_int_equal(n_caught, 0);

    /* Other methods before the wait is over: still no finding. */
    fake_flow f2 = mkflow(102, "10.77.24.2", 40101, "10.77.24.1", 7777);
    send_json(e, &f2, 1, GAME_LOGIN, 0, t++);
    send_json(e, &f2, 0, GAME_LOGIN_REPLY, 0, t++);
    send_json(e, &f2, 1, GAME_CALLS[0], 0, t++);
    end_flow(e, &f2);
    assert_int_equal(n_caught, 0);

    /* Bounded wait: after 16 messages of an application the session is
     * decided, and a job-shaped push later does not reopen it. */
    fake_flow f3 = mkflow(103, "10.77.24.2", 40102, "10.77.24.1", 3333);
    send_json(e, &f3, 1, GAME_LOGIN, 0, t++);
    for (int i = 0; i < 16; i++) send_json(e, &f3, i % 2, i % 2 ? GAME_CALLS[2] : GAME_REPLY, 0, t++);
    send_json(e, &f3, 0, XMRSTAK_JOB, 0, t++);
    send_json(e, &f3, 1, XMRSTAK_SUBMIT, 0, t++);
    end_flow(e, &f3);
    mt_engine_flush(e);
    assert_int_equal(n_caught, 0);
    mt_engine_free(e);
}

static void test_detector_login_shaped_miner(void **st)
{
    (void)st;
    mt_engine *e = new_engine();
    /* A login-shaped line the pool answers with a job: the miner's login,
     * decided at the reply, at the login+job confidence. */
    fake_flow fl = mkflow(111, "192.168.2.92", 55190, "178.32.196.217", 5222);
    send_json(e, &fl, 1, BARE_POOL_LOGIN, 0, 1000);
    send_json(e, &fl, 0, XMRSTAK_REPLY, 0, 2000);
    send_json(e, &fl, 1, XMRSTAK_SUBMIT, 0, 3000);
    send_json(e, &fl, 0, XMR_STATUS_OK, 0, 4000);
    end_flow(e, &fl);
    assert_int_equal(n_caught, 1);
    assert_int_equal(caught[0].confidence, 98);
    assert_string_equal(caught[0].protocol, "xmrig");
    assert_string_equal(caught[0].wallet, "kvetak");
    assert_non_null(strstr(caught[0].evidence, "xmrig login; login reply"));
    assert_null(strstr(caught[0].evidence, "login-shaped"));

    /* ... or followed by a share submit, the pool's reply unseen. */
    fake_flow f2 = mkflow(112, "192.168.2.92", 55191, "178.32.196.217", 5222);
    send_json(e, &f2, 1, BARE_POOL_LOGIN, 0, 5000);
    send_json(e, &f2, 1, XMRSTAK_SUBMIT, 0, 6000);
    send_json(e, &f2, 0, XMR_STATUS_OK, 0, 7000);
    end_flow(e, &f2);
    assert_int_equal(n_caught, 2);
    assert_int_equal(caught[1].confidence, 95);

    /* A coin address as the account is a pool login by itself
     * (coin-hive-stratum sends no agent). */
    fake_flow f3 = mkflow(113, "192.168.2.92", 55192, "192.110.160.114", 3333);
    send_json(e, &f3, 1, COINHIVE_LOGIN, 0, 8000);
    end_flow(e, &f3);
    assert_int_equal(n_caught, 3);
    assert_int_equal(caught[2].confidence, 88);

    /* Only the login-shaped line and a reply that is not a job, nothing
     * else: a finding, at the lowest tier, saying so. */
    fake_flow f4 = mkflow(114, "192.168.2.92", 55193, "178.32.196.217", 5222);
    send_json(e, &f4, 1, BARE_POOL_LOGIN, 0, 9000);
    send_json(e, &f4, 0, XMR_STATUS_OK, 0, 9500);
    end_flow(e, &f4);
    assert_int_equal(n_caught, 4);
    assert_int_equal(caught[3].confidence, 60);
    assert_non_null(strstr(caught[3].evidence, "login-shaped line only"));
    char a[64];
    mt_addr_to_str(&caught[3].src, a, sizeof a);
    assert_string_equal(a, "192.168.2.92");

    /* A long wait for the job is fine: it decides whenever it comes. */
    fake_flow f5 = mkflow(115, "192.168.2.92", 55194, "178.32.196.217", 5222);
    send_json(e, &f5, 1, BARE_POOL_LOGIN, 0, 10000);
    for (int i = 0; i < 20; i++) send_json(e, &f5, 0, XMR_STATUS_OK, 0, 10001 + i);
    send_json(e, &f5, 0, XMRSTAK_JOB, 0, 11000);
    end_flow(e, &f5);
    mt_engine_flush(e);
    assert_int_equal(n_caught, 5);
    assert_int_equal(caught[4].confidence, 98);
    mt_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xmrstak_session_lines),
        cmocka_unit_test(test_zcash_stratum_lines),
        cmocka_unit_test(test_eth_proxy_lines),
        cmocka_unit_test(test_other_real_lines),
        cmocka_unit_test(test_generic_jsonrpc_not_mining),
        cmocka_unit_test(test_key_order_and_escapes),
        cmocka_unit_test(test_malformed_and_hostile),
        cmocka_unit_test(test_split_login),
        cmocka_unit_test(test_detector_xmrstak_pair),
        cmocka_unit_test(test_detector_negative_jsonrpc),
        cmocka_unit_test(test_detector_midstream_submit_and_swap),
        cmocka_unit_test(test_detector_pool_and_family),
        cmocka_unit_test(test_detector_intel_agent_family),
        cmocka_unit_test(test_detector_listed_wallet),
        cmocka_unit_test(test_detector_many_flows_bounded),
        cmocka_unit_test(test_corpus_replay),
        cmocka_unit_test(test_detector_long_session_reported_early),
        cmocka_unit_test(test_detector_login_shaped_app),
        cmocka_unit_test(test_detector_login_shaped_miner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
