/* DNS tie: the tie starts in a small growing map and moves into its fixed
 * table later (dnstie.c). It must answer exactly as a tie that used the
 * fixed table from the start, evictions included. The reference here is a
 * tie with an order set (scan -j's mode, which uses the fixed table from
 * the first put) whose order is that of a single worker, so it answers as
 * -j 1 would: the same puts go to both and every address is asked at
 * several times after each batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/dnstie.h"
#include "util/hash.h"

/* One worker: nothing to wait for, every packet at 0, nobody behind. */
static void o_enter(void *ctx, int put) { (void)ctx; (void)put; }
static void o_leave(void *ctx) { (void)ctx; }
static uint64_t o_seq(void *ctx) { (void)ctx; return 0; }
static uint64_t o_oldest(void *ctx) { (void)ctx; return UINT64_MAX; }
static void o_wait(void *ctx, uint64_t seq) { (void)ctx; (void)seq; }

static const mt_dnstie_order one_worker = {NULL, o_enter, o_leave, o_seq, o_oldest, o_wait};

static mt_addr v4(uint32_t x)
{
    mt_addr a;
    memset(&a, 0, sizeof a);
    a.family = 4;
    memcpy(a.b, &x, 4);
    return a;
}

static void same_answers(const mt_dnstie *a, const mt_dnstie *b, const mt_addr *addrs, size_t n,
                         mt_time_us now)
{
    assert_int_equal(mt_dnstie_size(a), mt_dnstie_size(b));
    for (size_t i = 0; i < n; i++) {
        for (int dt = 0; dt < 3; dt++) {
            mt_time_us t = now + dt * 40;
            mt_dnstie_entry ea, eb;
            memset(&ea, 0, sizeof ea);
            memset(&eb, 0, sizeof eb);
            int ra = mt_dnstie_get(a, &addrs[i], t, &ea);
            int rb = mt_dnstie_get(b, &addrs[i], t, &eb);
            assert_int_equal(ra, rb);
            if (!ra) continue;
            assert_string_equal(ea.name, eb.name);
            assert_int_equal(ea.expires, eb.expires);
            assert_int_equal(ea.weight, eb.weight);
            assert_int_equal(ea.category, eb.category);
        }
    }
}

/* Random puts over more addresses than the table holds: the small map
 * moves at its size limit, and the fixed table then evicts. */
static void test_growing_matches_fixed(void **state)
{
    (void)state;
    enum { KEYS = 9000, BATCH = 250, BATCHES = 60 };
    mt_dnstie *small = mt_dnstie_new(3000), *fixed = mt_dnstie_new(3000);
    mt_dnstie_set_order(fixed, &one_worker);
    static mt_addr addrs[KEYS];
    for (uint32_t i = 0; i < KEYS; i++) addrs[i] = v4(0x0a000000u + i * 2654435761u);
    srand(5);
    mt_time_us now = 1000;
    size_t used = 40; /* addresses in play: widens batch by batch */
    for (int b = 0; b < BATCHES; b++) {
        for (int k = 0; k < BATCH; k++) {
            size_t i = (size_t)rand() % used;
            char name[32];
            snprintf(name, sizeof name, "n%d.%d.example", b, k);
            mt_time_us exp = now + rand() % 400;
            int weight = rand() % 3 == 0 ? 90 : 0;
            mt_intel_category cat = weight ? MT_CAT_POOL : 0;
            mt_dnstie_put(small, &addrs[i], name, exp, weight, cat);
            mt_dnstie_put(fixed, &addrs[i], name, exp, weight, cat);
            now += 1;
        }
        same_answers(small, fixed, addrs, used, now);
        used = used * 3 / 2 < KEYS ? used * 3 / 2 : KEYS;
    }
    mt_dnstie_free(small);
    mt_dnstie_free(fixed);
}

/* Addresses sharing a home slot of the fixed table: the ninth would evict
 * there, so the small map moves at that put, long before its size limit. */
static void test_first_eviction_moves(void **state)
{
    (void)state;
    mt_dnstie *small = mt_dnstie_new(3000), *fixed = mt_dnstie_new(3000);
    mt_dnstie_set_order(fixed, &one_worker);
    const size_t cap = 4096; /* the slots a 3000-entry tie gets */
    enum { N = 40 };
    mt_addr addrs[N];
    size_t n = 0;
    /* The tie's hash (dnstie.c's seed) of the first address picks the home
     * that the others are searched to share. */
    const uint64_t seed = 0x7469650aULL;
    uint64_t home = 0;
    for (uint32_t x = 1; n < 12; x++) {
        mt_addr a = v4(x);
        uint64_t h = mt_addr_hash_inl(&a, seed) & (cap - 1);
        if (n == 0) home = h;
        if (h == home) addrs[n++] = a;
    }
    for (uint32_t x = 100000; n < N; x++) addrs[n++] = v4(x);
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < N; i++) {
            char name[32];
            snprintf(name, sizeof name, "r%zu.%zu.example", round, i);
            mt_time_us exp = 5000 + (mt_time_us)((i * 37 + round * 11) % 23);
            mt_dnstie_put(small, &addrs[i], name, exp, (int)(i % 2) * 90, 0);
            mt_dnstie_put(fixed, &addrs[i], name, exp, (int)(i % 2) * 90, 0);
            same_answers(small, fixed, addrs, N, 4990);
        }
    /* Twelve addresses for one window of eight: some were evicted. */
    assert_true(mt_dnstie_size(small) < N);
    mt_dnstie_free(small);
    mt_dnstie_free(fixed);
}

/* IPv6 and IPv4 side by side, the kept-name rule, expiry. */
static void test_small_rules(void **state)
{
    (void)state;
    mt_dnstie *t = mt_dnstie_new(1u << 17);
    mt_addr a = v4(0x01020304u), b;
    memset(&b, 0, sizeof b);
    b.family = 6;
    memcpy(b.b, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    mt_dnstie_put(t, &a, "pool.supportxmr.com", 1000000, 90, MT_CAT_POOL);
    mt_dnstie_put(t, &b, "pool.supportxmr.com", 1000000, 90, MT_CAT_POOL);
    /* An unlisted name does not replace a listed one that is still alive. */
    mt_dnstie_put(t, &a, "www.example.org", 1000001, 0, 0);
    mt_dnstie_entry e;
    assert_int_equal(mt_dnstie_get(t, &a, 999999, &e), 1);
    assert_string_equal(e.name, "pool.supportxmr.com");
    assert_int_equal(mt_dnstie_get(t, &b, 1000000, &e), 1);
    assert_int_equal(e.category, MT_CAT_POOL);
    assert_int_equal(mt_dnstie_get(t, &b, 1000001, &e), 0); /* expired */
    mt_addr none;
    memset(&none, 0, sizeof none);
    mt_dnstie_put(t, &none, "x.example", 5, 0, 0); /* no address: nothing to tie */
    assert_int_equal(mt_dnstie_size(t), 2);
    mt_dnstie_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growing_matches_fixed),
        cmocka_unit_test(test_first_eviction_moves),
        cmocka_unit_test(test_small_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
