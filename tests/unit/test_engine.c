/* The engine's cross-detector rule and the host verdicts, on real traffic:
 * the EternalBlue capture from the corpus (victim 192.168.198.203) is
 * scanned, then the victim opens an XMRig session; its mining finding must
 * be attributed to WannaMine, while another miner's must not. Host verdicts
 * list both miners and not the attacker (precursor findings only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/pipeline.h"
#include "capture/source.h"
#include "detect/hosts.h"
#include "report/hosts_render.h"
#include "unit/capture_engine.h"
#include "unit/frames.h"

static const char *LOGIN =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":"
    "\"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A\","
    "\"pass\":\"x\",\"agent\":\"XMRig/6.16.0 (Windows NT 6.1; Win64; x64) libuv/1.42.0 msvc/2019\"}}\n";
static const char *REPLY =
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"1\",\"job\":{\"blob\":\"0606"
    "e898a4e5\",\"job_id\":\"7\",\"target\":\"b88d0600\",\"algo\":\"cn/1\"},\"status\":\"OK\"}}\n";

static void session(mt_pipeline *pl, uint32_t miner, mt_time_us t)
{
    uint8_t b[2048];
    uint32_t pool = FR_IP(10, 9, 9, 9);
    size_t n;
    n = fr_tcp(b, miner, 50000, pool, 3333, 100, 0x02, "", 0);
    mt_pipeline_packet(pl, 101, t, b, (uint32_t)n, (uint32_t)n);
    n = fr_tcp(b, pool, 3333, miner, 50000, 900, 0x12, "", 0);
    mt_pipeline_packet(pl, 101, t + 10, b, (uint32_t)n, (uint32_t)n);
    n = fr_tcp(b, miner, 50000, pool, 3333, 101, 0x18, LOGIN, strlen(LOGIN));
    mt_pipeline_packet(pl, 101, t + 20, b, (uint32_t)n, (uint32_t)n);
    n = fr_tcp(b, pool, 3333, miner, 50000, 901, 0x18, REPLY, strlen(REPLY));
    mt_pipeline_packet(pl, 101, t + 30, b, (uint32_t)n, (uint32_t)n);
}

static void test_wannamine_chain_and_verdicts(void **state)
{
    (void)state;
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) corpus = "../shared/corpus";
    char path[1024];
    snprintf(path, sizeof path, "%s/pcap/other/3CORESec_testmynids_eternalblue/"
             "eternalblue-success-unpatched-win7.pcap", corpus);
    ce *c = ce_new();
    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(c->e), mt_engine_intel(c->e), NULL);
    mt_source_opts o;
    mt_source_opts_defaults(&o);
    o.quiet = 1;
    mt_source_result res;
    assert_int_equal(mt_source_read_file(pl, path, &o, &res), MT_OK);
    mt_pipeline_finish(pl);
    size_t n_prec = c->n;
    assert_true(n_prec >= 1);
    for (size_t i = 0; i < n_prec; i++) assert_string_equal(c->f[i].event_type, MT_EVENT_PRECURSOR);

    /* After the exploit (April 2017), the victim and an unrelated host mine. */
    session(pl, FR_IP(192, 168, 198, 203), 1492400000000000LL);
    session(pl, FR_IP(192, 168, 198, 50), 1492400001000000LL);
    mt_pipeline_finish(pl);
    mt_engine_flush(c->e);
    assert_int_equal(c->n, n_prec + 2);
    int seen_victim = 0, seen_other = 0;
    for (size_t i = n_prec; i < c->n; i++) {
        char a[MT_ADDR_STRLEN];
        mt_addr_to_str(&c->f[i].src, a, sizeof a);
        assert_int_equal(c->f[i].kind, MT_KIND_STRATUM);
        if (strcmp(a, "192.168.198.203") == 0) {
            seen_victim = 1;
            assert_string_equal(c->f[i].family, "wannamine");
            assert_non_null(strstr(c->f[i].evidence, "EternalBlue"));
        } else {
            seen_other = 1;
            assert_string_equal(a, "192.168.198.50");
            assert_string_equal(c->f[i].family, "monero-miner");
        }
    }
    assert_true(seen_victim && seen_other);

    /* Verdicts: both miners, not the attacker (precursors only). */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    size_t hosts = mt_hosts_render_json(mt_engine_hosts(c->e), m, 0);
    fclose(m);
    assert_int_equal(hosts, 2);
    assert_non_null(strstr(buf, "\"host\":\"192.168.198.203\""));
    assert_non_null(strstr(buf, "\"families\":[\"wannamine\"]"));
    assert_non_null(strstr(buf, "\"host\":\"192.168.198.50\""));
    assert_null(strstr(buf, "192.168.198.204"));
    free(buf);
    mt_pipeline_free(pl);
    ce_free(c);
}

/* Scores combine independent evidence: 1 - prod(1 - c). */
static void test_host_score_combines(void **state)
{
    (void)state;
    mt_hosts *h = mt_hosts_new();
    mt_finding f;
    mt_finding_init(&f);
    mt_addr_parse("10.0.0.1", &f.src);
    f.confidence = 50;
    f.kind = MT_KIND_DNS;
    mt_hosts_add(h, &f);
    f.kind = MT_KIND_TLS;
    mt_hosts_add(h, &f);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    mt_hosts_render_json(h, m, 0);
    fclose(m);
    assert_non_null(strstr(buf, "\"score\":75"));
    assert_non_null(strstr(buf, "\"findings\":2"));
    free(buf);
    /* min_score filters. */
    m = open_memstream(&buf, &len);
    assert_int_equal(mt_hosts_render_json(h, m, 80), 0);
    fclose(m);
    free(buf);
    mt_hosts_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wannamine_chain_and_verdicts),
        cmocka_unit_test(test_host_score_combines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
