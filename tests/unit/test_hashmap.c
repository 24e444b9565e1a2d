/* util/hashmap: growing and fixed tables, checked against a plain array
 * model under random inserts and deletions, with colliding hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "minetrace/common.h"
#include "util/hash.h"
#include "util/hashmap.h"

typedef struct key24 {
    uint64_t a, b;
    uint8_t c[7]; /* odd size: exercises the 4/2/1-byte compare tails */
} key24;

static uint64_t key24_hash(const void *key)
{
    key24 k;
    memcpy(&k, key, sizeof k);
    return mt_mix64(k.a * 31 + k.b);
}

/* Only 16 distinct hashes: long probe runs and many moves on deletion. */
static uint64_t bad_hash(const void *key)
{
    uint64_t k;
    memcpy(&k, key, sizeof k);
    return k % 16;
}

static uint64_t rng_state = 0x1234567;
static uint64_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 17;
}

static void test_growing_basic(void **state)
{
    (void)state;
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(key24), .val_size = sizeof(int),
                                     .capacity = 2, .hash = key24_hash});
    assert_int_equal(mt_hmap_capacity(&m), 8);
    for (int i = 0; i < 1000; i++) {
        key24 k;
        memset(&k, 0, sizeof k);
        k.a = (uint64_t)i + 1;
        k.c[6] = (uint8_t)i;
        int added;
        size_t s = mt_hmap_put(&m, &k, key24_hash(&k), &added);
        assert_int_not_equal(s, MT_HMAP_NONE);
        assert_int_equal(added, 1);
        int *v = mt_hmap_val(&m, s);
        assert_int_equal(*v, 0); /* new values start zeroed */
        *v = i * 3;
    }
    assert_int_equal(mt_hmap_count(&m), 1000);
    assert_true(mt_hmap_capacity(&m) * 7 >= 1000 * 10); /* grew, load <= 70 % */
    for (int i = 0; i < 1000; i++) {
        key24 k;
        memset(&k, 0, sizeof k);
        k.a = (uint64_t)i + 1;
        k.c[6] = (uint8_t)i;
        size_t s = mt_hmap_find(&m, &k, key24_hash(&k));
        assert_int_not_equal(s, MT_HMAP_NONE);
        assert_int_equal(*(int *)mt_hmap_val(&m, s), i * 3);
        int added;
        assert_int_equal(mt_hmap_put(&m, &k, key24_hash(&k), &added), s);
        assert_int_equal(added, 0);
        k.c[5] = 1; /* differs in a tail byte only */
        assert_int_equal(mt_hmap_find(&m, &k, key24_hash(&k)), MT_HMAP_NONE);
    }
    /* Iteration visits every key once. */
    size_t seen = 0;
    long sum = 0;
    for (size_t i = mt_hmap_next(&m, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&m, i + 1)) {
        seen++;
        sum += *(int *)mt_hmap_val(&m, i);
    }
    assert_int_equal(seen, 1000);
    assert_int_equal(sum, 3L * 999 * 1000 / 2);
    mt_hmap_clear(&m);
    assert_int_equal(mt_hmap_count(&m), 0);
    assert_int_equal(mt_hmap_next(&m, 0), MT_HMAP_NONE);
    mt_hmap_free(&m);
    mt_hmap_free(&m); /* idempotent */
}

/* Random puts and removes against a model array, with a hash that makes
 * every key collide with many others. */
static void test_growing_random_removals(void **state)
{
    (void)state;
    enum { UNIVERSE = 600, OPS = 20000 };
    static int model[UNIVERSE + 1]; /* key -> value, 0 = absent */
    memset(model, 0, sizeof model);
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(int),
                                     .capacity = 8, .hash = bad_hash});
    size_t live = 0;
    for (int op = 0; op < OPS; op++) {
        uint64_t k = 1 + rnd() % UNIVERSE;
        int added;
        if (rnd() % 3) {
            size_t s = mt_hmap_put(&m, &k, bad_hash(&k), &added);
            assert_int_equal(added, model[k] == 0);
            if (added) live++;
            model[k] = op + 1;
            *(int *)mt_hmap_val(&m, s) = op + 1;
        } else {
            size_t s = mt_hmap_find(&m, &k, bad_hash(&k));
            assert_int_equal(s != MT_HMAP_NONE, model[k] != 0);
            if (s != MT_HMAP_NONE) {
                mt_hmap_remove(&m, s);
                model[k] = 0;
                live--;
            }
        }
        assert_int_equal(mt_hmap_count(&m), live);
    }
    for (uint64_t k = 1; k <= UNIVERSE; k++) {
        size_t s = mt_hmap_find(&m, &k, bad_hash(&k));
        if (model[k]) {
            assert_int_not_equal(s, MT_HMAP_NONE);
            assert_int_equal(*(int *)mt_hmap_val(&m, s), model[k]);
        } else {
            assert_int_equal(s, MT_HMAP_NONE);
        }
    }
    mt_hmap_free(&m);
}

static uint64_t ident_hash(const void *key)
{
    uint64_t k;
    memcpy(&k, key, sizeof k);
    return k;
}

static void test_fixed_window(void **state)
{
    (void)state;
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .capacity = 64, .fixed = 1,
                                     .window = 4, .hash = ident_hash});
    void *keys = m.keys;
    /* Keys 8, 72, 136, ... share home slot 8 (64 slots). */
    int added;
    for (uint64_t j = 0; j < 4; j++) {
        uint64_t k = 8 + 64 * j;
        assert_int_equal(mt_hmap_put(&m, &k, k, &added), 8 + j);
        assert_int_equal(added, 1);
    }
    uint64_t k5 = 8 + 64 * 4;
    assert_int_equal(mt_hmap_put(&m, &k5, k5, &added), MT_HMAP_NONE); /* window full */
    assert_int_equal(mt_hmap_add(&m, &k5, k5), MT_HMAP_NONE);
    assert_int_equal(mt_hmap_find(&m, &k5, k5), MT_HMAP_NONE);
    /* The caller evicts one of the window. */
    size_t s = mt_hmap_evict(&m, mt_hmap_window_slot(&m, k5, 2), &k5);
    assert_int_equal(s, 10);
    assert_int_equal(mt_hmap_evicted(&m), 1);
    assert_int_equal(mt_hmap_count(&m), 4);
    uint64_t gone = 8 + 64 * 2;
    assert_int_equal(mt_hmap_find(&m, &gone, gone), MT_HMAP_NONE);
    assert_int_equal(mt_hmap_find(&m, &k5, k5), 10);
    /* A key whose home is in the run: slot 9 is taken, it goes past the run. */
    uint64_t k9 = 9;
    assert_int_equal(mt_hmap_put(&m, &k9, k9, &added), 12);
    /* Removing slot 8 moves later keys of the run back, never beyond
     * the window; every key stays findable. */
    uint64_t first = 8;
    mt_hmap_remove(&m, mt_hmap_find(&m, &first, first));
    assert_int_equal(mt_hmap_count(&m), 4);
    uint64_t rest[] = {72, 8 + 64 * 4, 200, 9};
    for (size_t i = 0; i < 4; i++)
        assert_int_not_equal(mt_hmap_find(&m, &rest[i], rest[i]), MT_HMAP_NONE);
    assert_int_equal(mt_hmap_find(&m, &first, first), MT_HMAP_NONE);
    /* Fill far beyond the capacity: no growth, no new memory. */
    for (uint64_t k = 1; k < 10000; k++)
        if (mt_hmap_put(&m, &k, k, &added) == MT_HMAP_NONE)
            mt_hmap_evict(&m, mt_hmap_window_slot(&m, k, k % 4), &k);
    assert_int_equal(mt_hmap_capacity(&m), 64);
    assert_ptr_equal(m.keys, keys);
    assert_true(mt_hmap_count(&m) <= 64);
    mt_hmap_free(&m);
}

/* Direct-mapped (window 1) with removal, as the flow marks use it. */
static void test_fixed_direct(void **state)
{
    (void)state;
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = 4, .capacity = 16,
                                     .fixed = 1, .window = 1, .hash = ident_hash});
    int added;
    uint64_t a = 3, b = 19, c = 4;
    assert_int_equal(mt_hmap_put(&m, &a, a, &added), 3);
    assert_int_equal(mt_hmap_put(&m, &c, c, &added), 4);
    assert_int_equal(mt_hmap_put(&m, &b, b, &added), MT_HMAP_NONE); /* same slot as 3 */
    mt_hmap_evict(&m, mt_hmap_home(&m, b), &b);
    assert_int_equal(mt_hmap_find(&m, &a, a), MT_HMAP_NONE);
    assert_int_equal(mt_hmap_find(&m, &b, b), 3);
    mt_hmap_remove(&m, 3);
    assert_int_equal(mt_hmap_find(&m, &c, c), 4); /* the neighbour did not move */
    assert_int_equal(mt_hmap_count(&m), 1);
    mt_hmap_free(&m);
}

/* Several keys per hash (string tables): add + walking the run. */
typedef struct tagkey {
    uint64_t tag;
    uint32_t idx, pad;
} tagkey;

static uint64_t tag_hash(const void *key)
{
    tagkey k;
    memcpy(&k, key, sizeof k);
    return k.tag;
}

static void test_runs(void **state)
{
    (void)state;
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(tagkey), .capacity = 8, .hash = tag_hash});
    for (uint32_t i = 1; i <= 50; i++) {
        tagkey k = {i % 5 + 100, i, 0};
        assert_int_not_equal(mt_hmap_add(&m, &k, k.tag), MT_HMAP_NONE);
    }
    assert_int_equal(mt_hmap_count(&m), 50);
    for (uint64_t tag = 100; tag < 105; tag++) {
        unsigned found = 0;
        size_t k = 0;
        for (size_t i = mt_hmap_run_first(&m, tag, tagkey); i != MT_HMAP_NONE;
             i = mt_hmap_run_next(&m, i, &k, tagkey)) {
            const tagkey *t = mt_hmap_key(&m, i);
            if (t->tag == tag) found++;
        }
        assert_int_equal(found, 10);
    }
    /* 128 slots after growth; the runs start at 100..104 and wrap past 0
     * but not to 60: an empty home slot ends the walk at once. */
    assert_int_equal(mt_hmap_capacity(&m), 128);
    assert_int_equal(mt_hmap_run_first(&m, 60, tagkey), MT_HMAP_NONE);
    mt_hmap_free(&m);
}

static uint64_t addr_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    return mt_addr_hash(&a, 7);
}

static void test_addr_keys(void **state)
{
    (void)state;
    mt_hmap m;
    mt_hmap_init(&m, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .val_size = sizeof(int),
                                     .capacity = 16, .hash = addr_hash});
    mt_addr a, b;
    assert_int_equal(mt_addr_parse("192.0.2.7", &a), MT_OK);
    b = a;
    memset(b.b + 4, 0xee, 12); /* junk after an IPv4 address is not part of it */
    mt_addr ka = mt_hmap_addr_key(&a), kb = mt_hmap_addr_key(&b);
    int added;
    size_t s = mt_hmap_put(&m, &ka, mt_addr_hash(&a, 7), &added);
    assert_int_equal(mt_hmap_find(&m, &kb, mt_addr_hash(&b, 7)), s);
    mt_addr v6;
    assert_int_equal(mt_addr_parse("2001:db8::7", &v6), MT_OK);
    mt_addr k6 = mt_hmap_addr_key(&v6);
    assert_int_equal(mt_hmap_find(&m, &k6, mt_addr_hash(&v6, 7)), MT_HMAP_NONE);
    mt_hmap_free(&m);
}

/* The inline hashes give the out-of-line functions' values (a table may be
 * filled through one and probed through the other). */
static void test_hash_inline(void **state)
{
    (void)state;
    unsigned char buf[40];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof buf; n++)
        assert_true(mt_hash_bytes(buf, n, 0x5eed + n) == mt_hash_bytes_inl(buf, n, 0x5eed + n));
    mt_addr a;
    assert_int_equal(mt_addr_parse("192.0.2.1", &a), MT_OK);
    assert_true(mt_addr_hash(&a, 3) == mt_addr_hash_inl(&a, 3));
    assert_int_equal(mt_addr_parse("2001:db8::1", &a), MT_OK);
    assert_true(mt_addr_hash(&a, 3) == mt_addr_hash_inl(&a, 3));
    assert_true(mt_hash_bytes("", 0, 0) != mt_hash_bytes("a", 1, 0));
    assert_true(mt_hash_bytes("abcdefgh", 8, 0) != mt_hash_bytes("abcdefgi", 8, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growing_basic), cmocka_unit_test(test_growing_random_removals),
        cmocka_unit_test(test_fixed_window),  cmocka_unit_test(test_fixed_direct),
        cmocka_unit_test(test_runs),          cmocka_unit_test(test_addr_keys),
        cmocka_unit_test(test_hash_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
