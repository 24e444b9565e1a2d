/* Flow table: lookups in both directions, deletion that keeps probe chains
 * intact (checked against a reference array over many random operations),
 * LRU order, the hard cap, and a drain that leaves the table whole (the
 * index keeps stale slots that only the occupancy bitmap says are free). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/flowtable.h"

static mt_packet pkt(uint32_t a, uint16_t ap, uint32_t b, uint16_t bp)
{
    mt_packet p;
    memset(&p, 0, sizeof p);
    p.ipproto = 6;
    p.src.family = p.dst.family = 4;
    memcpy(p.src.b, &a, 4);
    memcpy(p.dst.b, &b, 4);
    p.sport = ap;
    p.dport = bp;
    return p;
}

static void test_both_directions(void **state)
{
    (void)state;
    mt_flowtable *t = mt_flowtable_new(64);
    mt_packet p = pkt(1, 1000, 2, 3333), r = pkt(2, 3333, 1, 1000);
    int dir = -1;
    assert_null(mt_flowtable_find(t, &p, &dir));
    mt_flow *f = mt_flowtable_insert(t, &p, 1);
    assert_non_null(f);
    assert_ptr_equal(mt_flowtable_find(t, &p, &dir), f);
    assert_int_equal(dir, 0);
    assert_ptr_equal(mt_flowtable_find(t, &r, &dir), f);
    assert_int_equal(dir, 1);
    /* Oriented the other way: the packet's source is the server. */
    mt_packet q = pkt(5, 80, 6, 50000);
    mt_flow *g = mt_flowtable_insert(t, &q, 0);
    assert_int_equal(g->srv_port, 80);
    assert_int_equal(g->cli_port, 50000);
    assert_ptr_equal(mt_flowtable_find(t, &q, &dir), g);
    assert_int_equal(dir, 1);
    mt_flowtable_free(t);
}

static void test_random_ops_against_reference(void **state)
{
    (void)state;
    enum { CAP = 512, KEYS = 2000 };
    mt_flowtable *t = mt_flowtable_new(CAP);
    mt_flow *ref[KEYS] = {0};
    unsigned live = 0;
    srand(7);
    for (int step = 0; step < 200000; step++) {
        int k = rand() % KEYS;
        mt_packet p = pkt((uint32_t)k, (uint16_t)(k * 7), 99, 3333);
        int dir;
        mt_flow *f = mt_flowtable_find(t, &p, &dir);
        assert_ptr_equal(f, ref[k]);
        if (f && rand() % 2) {
            mt_flowtable_remove(t, f);
            ref[k] = NULL;
            live--;
        } else if (!f && live < CAP) {
            ref[k] = mt_flowtable_insert(t, &p, 1);
            assert_non_null(ref[k]);
            live++;
        }
        assert_int_equal(mt_flowtable_count(t), live);
    }
    mt_flowtable_free(t);
}

static void test_lru_and_cap(void **state)
{
    (void)state;
    mt_flowtable *t = mt_flowtable_new(16);
    mt_flow *fl[16];
    for (int i = 0; i < 16; i++) {
        mt_packet p = pkt((uint32_t)i + 1, 1000, 2, 3333);
        fl[i] = mt_flowtable_insert(t, &p, 1);
        assert_non_null(fl[i]);
    }
    mt_packet extra = pkt(100, 1000, 2, 3333);
    assert_null(mt_flowtable_insert(t, &extra, 1)); /* full: caller evicts */
    assert_ptr_equal(mt_flowtable_oldest(t), fl[0]);
    mt_flowtable_touch(t, fl[0]);
    assert_ptr_equal(mt_flowtable_oldest(t), fl[1]);
    mt_flowtable_remove(t, fl[1]);
    assert_ptr_equal(mt_flowtable_oldest(t), fl[2]);
    assert_non_null(mt_flowtable_insert(t, &extra, 1));
    mt_flowtable_free(t);
}

static void test_drain_then_reuse(void **state)
{
    (void)state;
    enum { CAP = 256, KEYS = 600 };
    mt_flowtable *t = mt_flowtable_new(CAP);
    mt_flow *ref[KEYS] = {0};
    unsigned live = 0;
    srand(11);
    for (int round = 0; round < 20; round++) {
        for (int step = 0; step < 3000; step++) {
            int k = rand() % KEYS;
            mt_packet p = pkt((uint32_t)k, (uint16_t)(k * 3), 7, 443);
            int dir;
            mt_flow *f = mt_flowtable_find(t, &p, &dir);
            assert_ptr_equal(f, ref[k]);
            if (f && rand() % 3 == 0) {
                mt_flowtable_remove(t, f);
                ref[k] = NULL;
                live--;
            } else if (!f && live < CAP) {
                ref[k] = mt_flowtable_insert(t, &p, 1);
                assert_non_null(ref[k]);
                live++;
            }
        }
        /* Drain about half the flows from the LRU tail, as the end of a
         * capture does, then go on using the table. */
        mt_flowtable_drain_begin(t);
        for (unsigned n = live / 2; n > 0; n--) {
            mt_flow *f = mt_flowtable_oldest(t);
            for (int k = 0; k < KEYS; k++)
                if (ref[k] == f) ref[k] = NULL;
            mt_flowtable_remove(t, f);
            live--;
        }
        mt_flowtable_drain_end(t);
        assert_int_equal(mt_flowtable_count(t), live);
        for (int k = 0; k < KEYS; k++) {
            mt_packet p = pkt(7, 443, (uint32_t)k, (uint16_t)(k * 3)); /* the reply direction */
            int dir = -1;
            assert_ptr_equal(mt_flowtable_find(t, &p, &dir), ref[k]);
            if (ref[k]) assert_int_equal(dir, 1);
        }
    }
    mt_flowtable_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_directions),
        cmocka_unit_test(test_random_ops_against_reference),
        cmocka_unit_test(test_lru_and_cap),
        cmocka_unit_test(test_drain_then_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
