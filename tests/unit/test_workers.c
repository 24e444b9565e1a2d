/* The worker set of scan -j (cli/workers.c) on real captures: through the
 * rings (2 and 3 workers, and rings pushed round many times) the findings
 * are those of one pipeline, in the same order once sorted by the packet
 * they came from; fed directly from one thread per worker (the AF_PACKET
 * fanout shape), the same set of findings. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/decode.h"
#include "capture/source.h"
#include "collect_sink.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"
#include "util/hash.h"
#include "workers.h"

static const char *corpus(void)
{
    const char *c = getenv("MT_CORPUS");
    return c && *c ? c : "../shared/corpus";
}

static mt_intel *intel_builtin(void)
{
    mt_intel *in = mt_intel_new();
    assert_non_null(in);
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    return in;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Each finding as one number: identity, time and flow. */
static size_t keys_of(const got *g, uint64_t *k)
{
    for (int i = 0; i < g->n; i++)
        k[i] = mt_finding_identity(&g->f[i]) ^ (uint64_t)g->f[i].ts * 31 ^ g->f[i].flow_id * 7;
    qsort(k, (size_t)g->n, sizeof *k, cmp_u64);
    return (size_t)g->n;
}

static mt_engine *engine_with(const mt_intel *in, got *g, mt_engine_config *ec)
{
    mt_engine_config_defaults(ec);
    mt_engine *e = mt_engine_new(in, ec);
    assert_non_null(e);
    mt_engine_add_sink(e, got_sink(g));
    return e;
}

static void one_pipeline(const mt_intel *in, const char *path, got *g)
{
    mt_engine_config ec;
    mt_engine *e = engine_with(in, g, &ec);
    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(e), in, NULL);
    mt_source_opts so;
    mt_source_opts_defaults(&so);
    so.quiet = 1;
    mt_source_result res;
    assert_int_equal(mt_source_read_file(pl, path, &so, &res), MT_OK);
    mt_pipeline_finish(pl);
    mt_engine_flush(e);
    mt_pipeline_free(pl);
    mt_engine_free(e);
}

static void with_rings(const mt_intel *in, const char *path, unsigned n, got *g)
{
    mt_engine_config ec;
    mt_engine *e = engine_with(in, g, &ec);
    mt_workers *w = mt_workers_new(n, e, &ec, NULL);
    assert_non_null(w);
    assert_int_equal(mt_workers_count(w), n);
    mt_source_opts so;
    mt_source_opts_defaults(&so);
    so.quiet = 1;
    so.packet = mt_workers_packet;
    so.packet_ctx = w;
    mt_source_result res;
    /* Read twice: the second pass pushes every ring round again. */
    assert_int_equal(mt_source_read_file(NULL, path, &so, &res), MT_OK);
    mt_workers_drain(w);
    assert_int_equal(mt_source_read_file(NULL, path, &so, &res), MT_OK);
    mt_workers_finish(w);
    mt_engine_flush(e);
    mt_workers_free(w);
    mt_engine_free(e);
}

static void test_rings_match_one_pipeline(void **state)
{
    (void)state;
    mt_intel *in = intel_builtin();
    const char *caps[] = {"ndpi/mining.pcapng", "ndpi/monero-mining_ndpi4.2.pcap", "ndpi/zcash_ndpi4.2.pcap"};
    for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/pcap/%s", corpus(), caps[c]);
        static got g1, g2, gn;
        /* The reference: one pipeline over the file read twice. */
        mt_engine_config ec;
        mt_engine *e = engine_with(in, &g1, &ec);
        mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(e), in, NULL);
        mt_source_opts so;
        mt_source_opts_defaults(&so);
        so.quiet = 1;
        mt_source_result res;
        assert_int_equal(mt_source_read_file(pl, path, &so, &res), MT_OK);
        assert_int_equal(mt_source_read_file(pl, path, &so, &res), MT_OK);
        mt_pipeline_finish(pl);
        mt_engine_flush(e);
        mt_pipeline_free(pl);
        mt_engine_free(e);
        assert_true(g1.n > 0);
        for (unsigned n = 2; n <= 3; n++) {
            got *g = n == 2 ? &g2 : &gn;
            with_rings(in, path, n, g);
            uint64_t a[64], b[64];
            assert_int_equal(keys_of(&g1, a), keys_of(g, b));
            assert_memory_equal(a, b, (size_t)g1.n * sizeof *a);
        }
    }
    mt_intel_free(in);
}

/* Direct feeding: thread i reads the whole file and feeds worker i the
 * packets of its flows (a symmetric hash, as a fanout would). */
typedef struct feeder {
    mt_workers *w;
    unsigned i, n;
    const char *path;
    int rc;
} feeder;

static void feed(void *ctx, int lt, mt_time_us ts, const uint8_t *data, uint32_t caplen,
                 uint32_t wirelen)
{
    feeder *fd = ctx;
    mt_packet pk;
    unsigned to = 0;
    if (mt_decode_packet(lt, data, caplen, &pk) == MT_DEC_OK)
        to = (unsigned)((mt_addr_hash(&pk.src, pk.sport) + mt_addr_hash(&pk.dst, pk.dport)) % fd->n);
    if (to == fd->i) mt_workers_direct_packet(fd->w, fd->i, lt, ts, data, caplen, wirelen);
}

static void *feeder_main(void *arg)
{
    feeder *fd = arg;
    mt_source_opts so;
    mt_source_opts_defaults(&so);
    so.quiet = 1;
    so.packet = feed;
    so.packet_ctx = fd;
    mt_source_result res;
    fd->rc = mt_source_read_file(NULL, fd->path, &so, &res);
    return NULL;
}

static void test_direct_feeding(void **state)
{
    (void)state;
    mt_intel *in = intel_builtin();
    char path[1024];
    snprintf(path, sizeof path, "%s/pcap/ndpi/mining.pcapng", corpus());
    static got g1, g2;
    one_pipeline(in, path, &g1);
    mt_engine_config ec;
    mt_engine *e = engine_with(in, &g2, &ec);
    mt_workers *w = mt_workers_new_direct(2, e, &ec, NULL);
    assert_non_null(w);
    feeder fd[2];
    pthread_t th[2];
    for (unsigned i = 0; i < 2; i++) {
        fd[i] = (feeder){w, i, 2, path, -1};
        assert_int_equal(pthread_create(&th[i], NULL, feeder_main, &fd[i]), 0);
    }
    for (unsigned i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(fd[i].rc, MT_OK);
    }
    mt_workers_drain(w);
    mt_workers_finish(w);
    mt_engine_flush(e);
    mt_workers_free(w);
    mt_engine_free(e);
    uint64_t a[64], b[64];
    assert_true(g1.n > 0);
    assert_int_equal(keys_of(&g1, a), keys_of(&g2, b));
    assert_memory_equal(a, b, (size_t)g1.n * sizeof *a);
    mt_intel_free(in);
}

static void test_bad_counts(void **state)
{
    (void)state;
    mt_intel *in = intel_builtin();
    static got g;
    mt_engine_config ec;
    mt_engine *e = engine_with(in, &g, &ec);
    assert_null(mt_workers_new(1, e, &ec, NULL));
    assert_null(mt_workers_new(MT_WORKERS_MAX + 1, e, &ec, NULL));
    assert_non_null(strstr(mt_error_msg(), "workers"));
    mt_engine_free(e);
    mt_intel_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rings_match_one_pipeline),
        cmocka_unit_test(test_direct_feeding),
        cmocka_unit_test(test_bad_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
