/* The alert detector: IDS alerts as findings of the kinds and families of
 * packet findings, and which end is the miner (issue 10, point 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect/alert.h"
#include "minetrace/engine.h"
#include "unit/collect_sink.h"

static mt_intel *intel;

static int setup(void **st)
{
    (void)st;
    intel = mt_intel_new();
    return mt_intel_load_builtin(intel) == MT_OK ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    mt_intel_free(intel);
    return 0;
}

static mt_engine *new_engine(got *g)
{
    mt_engine *e = mt_engine_new(intel, NULL);
    assert_non_null(e);
    mt_engine_add_sink(e, got_sink(g));
    return e;
}

/* One alert between cli:cp and srv:sp as the log ordered them. */
static void feed(mt_engine *e, const char *cli, uint16_t cp, const char *srv, uint16_t sp,
                 const mt_alert *a)
{
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_ALERT;
    ev.source = MT_SRC_EVE;
    ev.ts = 1700000000000000LL;
    ev.flow_id = (uint64_t)cp * 65536u + sp;
    ev.ipproto = 6;
    assert_int_equal(mt_addr_parse(cli, &ev.cli), MT_OK);
    assert_int_equal(mt_addr_parse(srv, &ev.srv), MT_OK);
    ev.cli_port = cp;
    ev.srv_port = sp;
    ev.u.alert = a;
    mt_engine_event(e, &ev);
}

static mt_alert alert(uint64_t sid, const char *sig, uint8_t ends)
{
    mt_alert a;
    memset(&a, 0, sizeof a);
    a.signature_id = sid;
    mt_strlcpy(a.signature, sig, sizeof a.signature);
    mt_strlcpy(a.category, "Crypto Currency Mining Activity Detected", sizeof a.category);
    a.severity = 1;
    a.ends = ends;
    return a;
}

static void src_is(const mt_finding *f, const char *want)
{
    char s[MT_ADDR_STRLEN];
    mt_addr_to_str(&f->src, s, sizeof s);
    assert_string_equal(s, want);
}

static const char login[] =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"4Wallet\","
    "\"pass\":\"x\",\"agent\":\"XMRig/6.16.4 (Linux x86_64) libuv/1.42.0\",\"algo\":[\"rx/0\"]}}";

/* The case: XMRig on source port 45700 (a mining port) logging in
 * to a pool on 3999. The login's sender is the miner. */
static void test_login_from_mining_port(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_alert a = alert(2024792, "ET POLICY Cryptocurrency Miner Checkin", MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.payload, login, sizeof a.payload);
    feed(e, "10.0.0.7", 45700, "203.0.113.9", 3999, &a);
    /* Without the payload, the rule's direction (to_server) says the same. */
    a.payload[0] = '\0';
    feed(e, "10.0.0.8", 45700, "203.0.113.9", 3999, &a);
    mt_engine_flush(e);
    assert_int_equal(g.n, 2);
    src_is(&g.f[0], "10.0.0.7");
    assert_int_equal(g.f[0].src_port, 45700);
    assert_int_equal(g.f[0].kind, MT_KIND_STRATUM);
    assert_string_equal(g.f[0].protocol, "xmrig");
    assert_string_equal(g.f[0].family, "monero-miner");
    assert_string_equal(g.f[0].wallet, "4Wallet");
    assert_string_equal(g.f[0].agent, "XMRig/6.16.4 (Linux x86_64) libuv/1.42.0");
    assert_non_null(strstr(g.f[0].evidence, "by payload"));
    src_is(&g.f[1], "10.0.0.8");
    assert_int_equal(g.f[1].kind, MT_KIND_STRATUM);
    assert_non_null(strstr(g.f[1].evidence, "by sid"));
    mt_engine_free(e);
}

/* Bytes the pool sent: the miner is the destination of the packet. */
static void test_pool_side_alerts(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_alert a = alert(2017873, "ET COINMINER W32/BitCoinMiner.MultiThreat Stratum Protocol "
                                "Mining.Notify Work Server Response", MT_ALERT_ENDS_PACKET);
    feed(e, "203.0.113.9", 3999, "10.0.0.7", 45700, &a); /* rule direction */
    a = alert(1000001, "LOCAL stratum job", MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.payload, "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"07\"}}",
               sizeof a.payload);
    feed(e, "203.0.113.9", 443, "10.0.0.8", 50000, &a); /* payload role */
    a.payload[0] = '\0';
    feed(e, "203.0.113.9", 3333, "10.0.0.9", 50001, &a); /* ports only */
    a.ends = MT_ALERT_ENDS_FLOW;
    feed(e, "10.0.0.10", 3333, "203.0.113.9", 50002, &a); /* the log's order */
    mt_engine_flush(e);
    assert_int_equal(g.n, 4);
    src_is(&g.f[0], "10.0.0.7");
    assert_int_equal(g.f[0].dst_port, 3999);
    assert_string_equal(g.f[0].family, "bitcoin-miner");
    src_is(&g.f[1], "10.0.0.8");
    assert_int_equal(g.f[1].kind, MT_KIND_STRATUM);
    assert_string_equal(g.f[1].family, "monero-miner");
    src_is(&g.f[2], "10.0.0.9");
    assert_non_null(strstr(g.f[2].evidence, "ends from ports"));
    src_is(&g.f[3], "10.0.0.10");
    assert_null(strstr(g.f[3].evidence, "ends from ports"));
    mt_engine_free(e);
}

/* EternalBlue alerts are WannaMine precursors as the SMB detector writes
 * them; the victim's later mining is WannaMine's. */
static void test_eternalblue_precursor(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_alert a = alert(2025650, "ET EXPLOIT ETERNALBLUE Probe Vulnerable System Response MS17-010",
                       MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.category, "A Network Trojan was detected", sizeof a.category);
    feed(e, "10.0.0.20", 445, "198.51.100.3", 50123, &a); /* the victim's reply */
    a = alert(1000002, "LOCAL Possible DOUBLEPULSAR ping", MT_ALERT_ENDS_PACKET);
    feed(e, "198.51.100.4", 50200, "10.0.0.21", 445, &a); /* name and ports */
    mt_alert m = alert(2036289, "ET COINMINER CoinMiner Domain in DNS Lookup (pool .hashvault .pro)",
                       MT_ALERT_ENDS_PACKET);
    mt_strlcpy(m.dns_query, "pool.hashvault.pro", sizeof m.dns_query);
    feed(e, "10.0.0.20", 53000, "10.0.0.1", 53, &m);
    mt_engine_flush(e);
    assert_int_equal(g.n, 3);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(g.f[i].event_type, MT_EVENT_PRECURSOR);
        assert_int_equal(g.f[i].kind, MT_KIND_SMB);
        assert_string_equal(g.f[i].protocol, "smb1");
        assert_string_equal(g.f[i].family, "wannamine");
        assert_int_equal(g.f[i].dst_port, 445);
    }
    src_is(&g.f[0], "198.51.100.3");
    src_is(&g.f[1], "198.51.100.4");
    assert_string_equal(g.f[2].event_type, MT_EVENT_MINING);
    assert_int_equal(g.f[2].kind, MT_KIND_DNS);
    assert_string_equal(g.f[2].pool, "pool.hashvault.pro");
    src_is(&g.f[2], "10.0.0.20");
    assert_string_equal(g.f[2].family, "wannamine");
    mt_engine_free(e);
}

/* Fields and words place alerts the table does not know; others are not
 * ours. */
static void test_fields_and_words(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_alert a = alert(2099001, "ET COINMINER Observed DNS Query to Mining Pool", MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.dns_query, "pool.supportxmr.com", sizeof a.dns_query);
    feed(e, "10.0.0.1", 53, "10.0.0.30", 40000, &a); /* a response: resolver first */
    a = alert(2099002, "ET COINMINER Observed Coin Miner Domain in TLS SNI", MT_ALERT_ENDS_FLOW);
    mt_strlcpy(a.tls_sni, "coinhive.com", sizeof a.tls_sni);
    feed(e, "10.0.0.31", 40001, "203.0.113.5", 443, &a);
    a = alert(0, "Cryptominer at 10.0.0.32, using Stratum protocol", MT_ALERT_ENDS_FLOW);
    mt_strlcpy(a.category, "Bitcoin::Miner", sizeof a.category);
    feed(e, "10.0.0.32", 40002, "203.0.113.6", 3333, &a);
    a = alert(2403388, "ET CINS Active Threat Intelligence Poor Reputation IP group 89",
              MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.category, "Misc Attack", sizeof a.category);
    feed(e, "10.0.0.33", 3333, "203.0.113.7", 40003, &a);
    /* A local rule reusing an ET SID is not taken for ET's. */
    a = alert(2024792, "local policy: printer checkin", MT_ALERT_ENDS_PACKET);
    mt_strlcpy(a.category, "Misc activity", sizeof a.category);
    feed(e, "10.0.0.34", 40004, "203.0.113.8", 9100, &a);
    mt_engine_flush(e);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.f[0].kind, MT_KIND_DNS);
    src_is(&g.f[0], "10.0.0.30");
    assert_string_equal(g.f[0].pool, "pool.supportxmr.com");
    assert_string_equal(g.f[0].family, "monero-miner"); /* the intel's, as the DNS detector */
    assert_int_equal(g.f[1].kind, MT_KIND_TLS);
    assert_string_equal(g.f[1].family, "browser-miner");
    assert_int_equal(g.f[2].kind, MT_KIND_STRATUM);
    assert_string_equal(g.f[2].protocol, "stratum-v1");
    assert_string_equal(g.f[2].family, "bitcoin-miner");
    mt_engine_free(e);
}

/* Cut or hostile payloads: no crash, no stray field. */
static void test_hostile_payloads(void **st)
{
    (void)st;
    static const char *const p[] = {
        "{\"method\":\"login", "\"method\"", "\"method\" : \"mining.subscribe\"",
        "{\"method\":\"login\",\"params\":{\"login\":\"", "\"agent\":\"\\\"x\"",
        "......\"method\":\"\"", "}{\"result\":{\"job\":\"blob\"}",
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        mt_alert a = alert(1000003, "LOCAL stratum", MT_ALERT_ENDS_PACKET);
        mt_strlcpy(a.payload, p[i], sizeof a.payload);
        mt_alert_class c;
        assert_int_equal(mt_alert_classify(&a, NULL, &c), 1);
        assert_true(strlen(c.wallet) < sizeof c.wallet);
        assert_non_null(c.protocol);
    }
    mt_alert a = alert(1000004, "LOCAL stratum", MT_ALERT_ENDS_PACKET);
    memset(a.payload, '"', sizeof a.payload - 1);
    mt_alert_class c;
    assert_int_equal(mt_alert_classify(&a, NULL, &c), 1);
    assert_int_equal(c.kind, MT_KIND_STRATUM); /* by the signature's word */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_from_mining_port),
        cmocka_unit_test(test_pool_side_alerts),
        cmocka_unit_test(test_eternalblue_precursor),
        cmocka_unit_test(test_fields_and_words),
        cmocka_unit_test(test_hostile_payloads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
