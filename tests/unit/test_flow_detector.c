/* Tests for the flow detector (src/detect/flow.c), its behaviour score
 * (src/detect/flow_score.c) and the Stratum V2 recognisers (src/proto/sv2.c).
 *
 * The behaviour score is measured on real labelled flows: the 3,999-flow
 * CESNET-MINER22 sample (Miner/Other, ipfixprobe export with the first 30
 * payload packets' sizes, directions and times). Features are computed
 * from those 30 packets the way the capture layer computes them for a whole
 * flow, and the measured precision/recall are asserted (printed too). The
 * nesfit Weka vectors (miners only) check two feature thresholds on an
 * independent data set. SV2 cases are built from the spec facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit/collect_sink.h"

#include "detect/dnstie.h"
#include "detect/flow_score.h"
#include "minetrace/engine.h"
#include "proto/sv2.h"

static const char *corpus(void)
{
    const char *c = getenv("MT_CORPUS");
    return c && *c ? c : "../shared/corpus";
}

/* Mining-port prior for the offline evaluation: the ports of the builtin
 * intel table (pool conventions, protocols.md §6) with weight > 0. */
static int port_prior(unsigned p)
{
    static const unsigned ports[] = {3333, 3334, 3335, 3336, 3353, 3357, 4444, 5555, 5556,
                                     5588, 5730, 6099, 6666, 7777, 7778, 8008, 8005, 8181,
                                     8888, 8899, 9999, 10128, 20128, 13333, 13531, 14433,
                                     14444, 2020, 2222, 20535, 34254, 45560, 45700, 18081, 8220};
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        if (ports[i] == p) return 30;
    return 0;
}

/* Split "[a|b|c]" into up to cap numbers. */
static size_t parse_arr(const char *s, double *out, size_t cap, int times)
{
    size_t n = 0;
    if (*s == '[') s++;
    while (*s && *s != ']' && n < cap) {
        char tok[64];
        size_t k = 0;
        while (*s && *s != '|' && *s != ']' && k + 1 < sizeof tok) tok[k++] = *s++;
        tok[k] = 0;
        if (k) {
            if (times) {
                mt_time_us t = 0;
                if (mt_time_parse(tok, &t) != MT_OK) return n;
                out[n++] = (double)t / 1e6;
            } else {
                out[n++] = atof(tok);
            }
        }
        if (*s == '|') s++;
    }
    return n;
}

typedef struct eval {
    int tp, fp, fn, tn;
} eval;

static void eval_add(eval *e, int label, int pred)
{
    if (label && pred) e->tp++;
    else if (!label && pred) e->fp++;
    else if (label) e->fn++;
    else e->tn++;
}
static double prec(const eval *e) { return e->tp + e->fp ? (double)e->tp / (e->tp + e->fp) : 0; }
static double rec(const eval *e) { return e->tp + e->fn ? (double)e->tp / (e->tp + e->fn) : 0; }

static void test_cesnet_miner22(void **st)
{
    (void)st;
    char path[1024];
    snprintf(path, sizeof path, "%s/logs/flows/cesnet-miner22_sampled/miner22-sampled.csv", corpus());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char line[65536];
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    eval beh = {0}, dec = {0}, port = {0};
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        char *col[16];
        int nc = 0;
        char *p = line;
        col[nc++] = p;
        while (*p && nc < 16) {
            if (*p == ',') { *p = 0; col[nc++] = p + 1; }
            p++;
        }
        if (nc < 16) continue;
        col[15][strcspn(col[15], "\r\n")] = 0;
        int label = strcmp(col[11], "Miner") == 0;
        mt_time_us t0, t1;
        assert_int_equal(mt_time_parse(col[2], &t0), MT_OK);
        assert_int_equal(mt_time_parse(col[3], &t1), MT_OK);
        double dir[32], len[32], tm[32];
        size_t nd = parse_arr(col[12], dir, 32, 0);
        size_t nl = parse_arr(col[14], len, 32, 0);
        size_t nt = parse_arr(col[15], tm, 32, 1);
        size_t n = nd < nl ? nd : nl;
        if (nt < n) n = nt;
        mt_flow_features ff;
        memset(&ff, 0, sizeof ff);
        ff.dur_s = (double)(t1 - t0) / 1e6;
        ff.pkts = strtoull(col[4], NULL, 10) + strtoull(col[5], NULL, 10);
        for (size_t i = 0; i < n; i++) {
            int up = dir[i] > 0;
            uint64_t l = (uint64_t)len[i];
            if (up) { ff.data_c2s++; ff.bytes_c2s += l; } else { ff.data_s2c++; ff.bytes_s2c += l; }
            if (l >= 1 && l <= 400) ff.small++;
            if (i > 0 && tm[i] - tm[i - 1] >= 1.0) {
                if (up) ff.bursts_c2s++; else ff.pushes_s2c++;
            }
        }
        int b = mt_flow_behaviour_score(&ff);
        int pw = port_prior((unsigned)atoi(col[6]));
        eval_add(&beh, label, b >= MT_FLOW_BEHAVIOUR_MIN);
        eval_add(&dec, label, mt_flow_decide(b, pw, 0) > 0);
        eval_add(&port, label, pw > 0);
        rows++;
    }
    fclose(f);
    printf("CESNET-MINER22 sample, %d flows (%d Miner)\n", rows, beh.tp + beh.fn);
    printf("  behaviour score >= %d alone : precision %.3f recall %.3f (tp %d fp %d)\n",
           MT_FLOW_BEHAVIOUR_MIN, prec(&beh), rec(&beh), beh.tp, beh.fp);
    printf("  decision (behaviour + port) : precision %.3f recall %.3f (tp %d fp %d)\n",
           prec(&dec), rec(&dec), dec.tp, dec.fp);
    printf("  mining port alone (never a finding; dataset bias): precision %.3f recall %.3f\n",
           prec(&port), rec(&port));
    assert_int_equal(rows, 3999);
    /* measured: behaviour alone 0.857/0.783, decision 1.000/0.767 */
    assert_true(prec(&beh) >= 0.85 && rec(&beh) >= 0.70);
    assert_true(prec(&dec) >= 0.99 && rec(&dec) >= 0.70);
}

/* nesfit Weka vectors (miners only): bytes per packet and packets per
 * minute support the "small records" and "low rate" thresholds. */
static void test_nesfit_weka(void **st)
{
    (void)st;
    char path[1024];
    snprintf(path, sizeof path, "%s/logs/flows/nesfit_weka_miners/wekaready_miners.csv", corpus());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int n = 0, small = 0, slow = 0;
    while (fgets(line, sizeof line, f)) {
        double v[8];
        if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]) != 8)
            continue;
        n++;
        if (v[1] <= 300) small++;     /* bpp: mean <= 300 bytes */
        if (v[3] <= 5 * 60) slow++;   /* ppm: <= 5 packets/s */
    }
    fclose(f);
    printf("nesfit miners: %d vectors, bpp<=300: %d, ppm<=300: %d\n", n, small, slow);
    assert_int_equal(n, 273);
    assert_int_equal(small, n);
    assert_true(slow * 10 >= n * 7);
}

static void test_score_edges(void **st)
{
    (void)st;
    mt_flow_features ff;
    memset(&ff, 0, sizeof ff);
    assert_int_equal(mt_flow_behaviour_score(&ff), 0);
    /* a miner-like TLS flow: 10 minutes, pushes every ~30 s */
    ff.dur_s = 600; ff.pkts = 200; ff.data_c2s = 30; ff.data_s2c = 50;
    ff.bytes_c2s = 30 * 150; ff.bytes_s2c = 50 * 350; ff.small = 80;
    ff.pushes_s2c = 20; ff.bursts_c2s = 2;
    int b = mt_flow_behaviour_score(&ff);
    assert_true(b >= MT_FLOW_BEHAVIOUR_MIN);
    assert_int_equal(mt_flow_decide(b, 0, 0), 0); /* behaviour alone: never */
    assert_true(mt_flow_decide(b, 35, 0) > 0);
    assert_true(mt_flow_decide(b, 0, 1) > 0);
    assert_int_equal(mt_flow_decide(10, 40, 1), 0); /* priors alone: never */
    /* a download: big records, client-led */
    ff.bytes_s2c = 50 * 1400; ff.small = 30; ff.pushes_s2c = 0; ff.bursts_c2s = 10;
    assert_true(mt_flow_behaviour_score(&ff) < MT_FLOW_BEHAVIOUR_MIN);

    assert_true(mt_flow_sni_keyword("xmr-eu1.nanopool.org"));
    assert_true(mt_flow_sni_keyword("pool.example"));
    assert_true(mt_flow_sni_keyword("RVN.Pool.Example"));
    assert_true(mt_flow_sni_keyword("0.pool.ntp.org")); /* hence only a prior */
    assert_false(mt_flow_sni_keyword("www.example.com"));
    assert_false(mt_flow_sni_keyword("mempool.space"));
    assert_false(mt_flow_sni_keyword(""));
    assert_false(mt_flow_sni_keyword(NULL));
}

/* ---- Stratum V2 --------------------------------------------------------- */

/* SetupConnection as the spec lays it out: protocol 0 (Mining), versions
 * 2..2, flags, endpoint "pool.example.com":34254, vendor/hw/fw/device. */
static size_t build_setup(uint8_t *b)
{
    uint8_t m[256];
    size_t n = 0;
    m[n++] = 0;          /* protocol */
    m[n++] = 2; m[n++] = 0; /* min_version */
    m[n++] = 2; m[n++] = 0; /* max_version */
    m[n++] = 1; m[n++] = 0; m[n++] = 0; m[n++] = 0; /* flags */
    const char *host = "pool.example.com";
    m[n++] = (uint8_t)strlen(host);
    memcpy(m + n, host, strlen(host)); n += strlen(host);
    m[n++] = 0xce; m[n++] = 0x85; /* 34254 LE */
    const char *strs[] = {"vendor", "hw1", "fw1", "dev"};
    for (int i = 0; i < 4; i++) {
        m[n++] = (uint8_t)strlen(strs[i]);
        memcpy(m + n, strs[i], strlen(strs[i])); n += strlen(strs[i]);
    }
    b[0] = 0; b[1] = 0; b[2] = 0; /* extension_type 0, msg_type SetupConnection */
    b[3] = (uint8_t)n; b[4] = 0; b[5] = 0;
    memcpy(b + 6, m, n);
    return n + 6;
}

static void test_sv2_recognisers(void **st)
{
    (void)st;
    uint8_t b[300];
    size_t n = build_setup(b);
    assert_true(mt_sv2_is_setup_connection(b, n));
    for (size_t i = 0; i < n; i++) { /* every truncation: no crash */
        uint8_t *c = malloc(i ? i : 1);
        memcpy(c, b, i);
        (void)mt_sv2_is_setup_connection(c, i);
        free(c);
    }
    assert_false(mt_sv2_is_setup_connection(b, 10));
    uint8_t c[300];
    memcpy(c, b, n); c[2] = 1;   /* other message type */
    assert_false(mt_sv2_is_setup_connection(c, n));
    memcpy(c, b, n); c[7] = 1;   /* min_version 1 */
    assert_false(mt_sv2_is_setup_connection(c, n));
    memcpy(c, b, n); c[6] = 7;   /* unknown protocol */
    assert_false(mt_sv2_is_setup_connection(c, n));
    memcpy(c, b, n); c[15] = 200; /* host longer than the message */
    assert_false(mt_sv2_is_setup_connection(c, n));
    memcpy(c, b, n); c[17] = 0x01; /* control byte in host */
    assert_false(mt_sv2_is_setup_connection(c, n));
    static const uint8_t json[] = "{\"id\":1,\"method\":\"mining.subscribe\"}";
    assert_false(mt_sv2_is_setup_connection(json, sizeof json - 1));
    static const uint8_t tls[] = {0x16, 3, 1, 0, 0xc8, 1, 0, 0, 0xc4, 3, 3, 0, 0, 0, 0, 0, 0};
    assert_false(mt_sv2_is_setup_connection(tls, sizeof tls));

    int32_t hs[] = {64, -234, 100, -100};
    assert_true(mt_sv2_is_noise_handshake(hs, 4));
    int32_t hs2[] = {64, -233};
    assert_false(mt_sv2_is_noise_handshake(hs2, 2));
    int32_t hs3[] = {-234, 64};
    assert_false(mt_sv2_is_noise_handshake(hs3, 2));
    assert_false(mt_sv2_is_noise_handshake(hs, 1));
}

/* ---- detector through the engine ---------------------------------------- */

static mt_engine *new_engine(got *g)
{
    mt_engine *e = mt_engine_new(NULL, NULL);
    assert_non_null(e);
    mt_engine_add_sink(e, got_sink(g));
    return e;
}

static void flow_end(mt_engine *e, const char *srv, uint16_t port, const mt_flow_stats *fs)
{
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_FLOW_END;
    ev.source = MT_SRC_PCAP;
    ev.ts = fs->last_ts;
    ev.flow_id = 77;
    ev.ipproto = 6;
    mt_addr_parse("10.1.2.3", &ev.cli);
    mt_addr_parse(srv, &ev.srv);
    ev.cli_port = 50000;
    ev.srv_port = port;
    ev.u.flow = fs;
    mt_engine_event(e, &ev);
}

static void base_stats(mt_flow_stats *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->first_ts = 1700000000000000LL;
    fs->last_ts = fs->first_ts + 5000000;
    fs->pkts_c2s = 5; fs->pkts_s2c = 5;
    fs->bytes_c2s = 300; fs->bytes_s2c = 900;
    fs->saw_syn = 1;
}

static void test_detector_sv2(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_flow_stats fs;
    base_stats(&fs);
    fs.n_first_sizes = 4;
    fs.first_sizes[0] = 64;
    fs.first_sizes[1] = (uint32_t)-234;
    fs.first_sizes[2] = 70;
    fs.first_sizes[3] = (uint32_t)-90;
    flow_end(e, "192.0.2.10", 34254, &fs);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.f[0].protocol, "stratum-v2");
    assert_int_equal(g.f[0].kind, MT_KIND_BEHAVIOUR);
    assert_string_equal(g.f[0].event_type, MT_EVENT_MINING);
    assert_non_null(strstr(g.f[0].evidence, "Noise"));

    base_stats(&fs); /* plaintext SV2, as recognised by the capture layer */
    fs.app = MT_APP_SV2;
    flow_end(e, "192.0.2.11", 34250, &fs);
    assert_int_equal(g.n, 2);
    assert_non_null(strstr(g.f[1].evidence, "SetupConnection"));

    base_stats(&fs); /* 64/234 in a TLS flow: not SV2 */
    fs.app = MT_APP_TLS;
    fs.n_first_sizes = 2;
    fs.first_sizes[0] = 64;
    fs.first_sizes[1] = (uint32_t)-234;
    flow_end(e, "192.0.2.12", 443, &fs);
    assert_int_equal(g.n, 2);
    mt_engine_free(e);
}

static void test_detector_dns_tie(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_addr a;
    mt_addr_parse("198.51.100.7", &a);
    mt_flow_stats fs;
    base_stats(&fs);
    mt_dnstie_put(mt_engine_dnstie(e), &a, "pool.supportxmr.com", fs.last_ts + 600000000LL, 90,
                  MT_CAT_POOL);
    fs.app = MT_APP_UNKNOWN;
    flow_end(e, "198.51.100.7", 443, &fs);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.f[0].kind, MT_KIND_IP);
    assert_string_equal(g.f[0].pool, "pool.supportxmr.com");
    assert_non_null(strstr(g.f[0].evidence, "resolved from pool name pool.supportxmr.com"));
    assert_int_equal(g.f[0].confidence, 90 - 25); /* web port: shared hosting possible */
    flow_end(e, "198.51.100.7", 3333, &fs);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.f[1].confidence, 90);
    g.n = 1;

    /* TLS, JSON, HTTP flows to the same address: other detectors' business */
    int apps[] = {MT_APP_TLS, MT_APP_JSON, MT_APP_HTTP, MT_APP_WEBSOCKET};
    for (size_t i = 0; i < 4; i++) {
        fs.app = (uint8_t)apps[i];
        flow_end(e, "198.51.100.7", 443, &fs);
    }
    assert_int_equal(g.n, 1);
    /* a "crypto" (not mining) name does not count; neither does an expired tie */
    mt_addr b;
    mt_addr_parse("198.51.100.8", &b);
    mt_dnstie_put(mt_engine_dnstie(e), &b, "exchange.example", fs.last_ts + 600000000LL, 20,
                  MT_CAT_CRYPTO);
    fs.app = MT_APP_UNKNOWN;
    flow_end(e, "198.51.100.8", 443, &fs);
    mt_addr c;
    mt_addr_parse("198.51.100.9", &c);
    mt_dnstie_put(mt_engine_dnstie(e), &c, "pool.example", fs.first_ts - 1, 90, MT_CAT_POOL);
    flow_end(e, "198.51.100.9", 443, &fs);
    assert_int_equal(g.n, 1);
    mt_engine_free(e);
}

static void test_detector_behaviour(void **st)
{
    (void)st;
    got g;
    mt_engine *e = new_engine(&g);
    mt_flow_stats fs;
    base_stats(&fs);
    fs.app = MT_APP_TLS;
    fs.last_ts = fs.first_ts + 900LL * 1000000; /* 15 minutes */
    fs.pkts_c2s = 120; fs.pkts_s2c = 110;
    fs.data_pkts_c2s = 40; fs.data_pkts_s2c = 60;
    fs.bytes_c2s = 40 * 180; fs.bytes_s2c = 60 * 400;
    fs.small_pkts_c2s = 40; fs.small_pkts_s2c = 54;
    fs.max_size_c2s = 517; fs.max_size_s2c = 1448;
    fs.pushes_s2c = 30; fs.bursts_c2s = 3;
    fs.max_gap_us = 60LL * 1000000;
    /* no prior (port 443, no SNI): nothing, whatever the behaviour */
    flow_end(e, "203.0.113.5", 443, &fs);
    assert_int_equal(g.n, 0);
    /* pool-like SNI keyword: finding */
    mt_strlcpy(fs.sni, "xmr.pool.example", sizeof fs.sni);
    flow_end(e, "203.0.113.5", 443, &fs);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.f[0].kind, MT_KIND_BEHAVIOUR);
    assert_string_equal(g.f[0].protocol, "tls");
    assert_non_null(strstr(g.f[0].evidence, "SNI keyword"));
    /* stats not filled by the source (logs): no behaviour verdict */
    fs.data_pkts_c2s = fs.data_pkts_s2c = 0;
    flow_end(e, "203.0.113.5", 443, &fs);
    assert_int_equal(g.n, 1);
    /* a busy web-like flow with the keyword: no */
    base_stats(&fs);
    fs.app = MT_APP_TLS;
    mt_strlcpy(fs.sni, "pool.example", sizeof fs.sni);
    fs.last_ts = fs.first_ts + 30LL * 1000000;
    fs.pkts_c2s = 400; fs.pkts_s2c = 900;
    fs.data_pkts_c2s = 100; fs.data_pkts_s2c = 800;
    fs.bytes_c2s = 100 * 300; fs.bytes_s2c = 800 * 1400;
    fs.small_pkts_c2s = 100; fs.small_pkts_s2c = 10;
    fs.pushes_s2c = 1; fs.bursts_c2s = 12;
    flow_end(e, "203.0.113.6", 443, &fs);
    assert_int_equal(g.n, 1);
    mt_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cesnet_miner22),
        cmocka_unit_test(test_nesfit_weka),
        cmocka_unit_test(test_score_edges),
        cmocka_unit_test(test_sv2_recognisers),
        cmocka_unit_test(test_detector_sv2),
        cmocka_unit_test(test_detector_dns_tie),
        cmocka_unit_test(test_detector_behaviour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
