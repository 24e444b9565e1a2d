/* The engine's identity memory (mt_firstset, detect/flowmark.h) answers as
 * a table keyed by the identity with the earliest time as its value:
 * linear probing from the identity's home slot over a window of 8, the
 * slot (h >> 32) % 8 of the window replaced when all 8 are taken. A model
 * of that table, written here from the definition, and the set must give
 * the same answer for every sighting and count the same evictions: on a
 * small table filled far past its window, with repeated identities,
 * sightings out of time order and at equal times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "detect/flowmark.h"

#include <stdlib.h>

#define WINDOW 8

typedef struct model {
    size_t slots;
    uint64_t *key;
    mt_time_us *first;
    uint64_t evicted;
} model;

static int model_later(model *m, uint64_t h, mt_time_us ts)
{
    if (h == 0) h = 1;
    const size_t mask = m->slots - 1;
    size_t home = (size_t)h & mask;
    for (size_t k = 0; k < WINDOW; k++) {
        size_t i = (home + k) & mask;
        if (m->key[i] == 0) {
            m->key[i] = h;
            m->first[i] = ts;
            return 0;
        }
        if (m->key[i] == h) {
            if (m->first[i] < ts) return 1;
            m->first[i] = ts;
            return 0;
        }
    }
    size_t i = (home + (h >> 32) % WINDOW) & mask;
    m->key[i] = h;
    m->first[i] = ts;
    m->evicted++;
    return 0;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* n sightings: mostly a few identities seen again, the others new, their
 * homes among `homes` slots so that runs fill their windows; times a little
 * out of order, with ties. */
static void run_model(size_t slots, size_t homes, int n)
{
    mt_firstset *fs = mt_firstset_new(slots);
    model m = {slots, calloc(slots, sizeof(uint64_t)), calloc(slots, sizeof(mt_time_us)), 0};
    assert_non_null(m.key);
    assert_non_null(m.first);
    uint64_t seed = 0x9e3779b97f4a7c15ULL ^ slots;
    uint64_t hot[16];
    for (size_t i = 0; i < 16; i++) hot[i] = rnd(&seed);
    hot[3] = 0; /* the identity 0 is taken as 1 */
    hot[4] = 1;
    int drops = 0;
    for (int i = 0; i < n; i++) {
        uint64_t r = rnd(&seed);
        uint64_t h = hot[(r >> 8) & 15];
        if ((r & 3) == 0) {
            h = rnd(&seed);
            h = (h & ~(uint64_t)(slots - 1)) | ((h % homes) * (slots / homes));
        }
        mt_time_us ts = (mt_time_us)i * 10 - (mt_time_us)((r >> 20) % 4) * 15;
        int want = model_later(&m, h, ts);
        assert_int_equal(mt_firstset_later(fs, h, ts), want);
        drops += want;
        if (i % 997 == 0) assert_int_equal(mt_firstset_evicted(fs), m.evicted);
    }
    assert_true(drops > n / 4);
    assert_true(m.evicted > 100);
    assert_int_equal(mt_firstset_evicted(fs), m.evicted);
    free(m.key);
    free(m.first);
    mt_firstset_free(fs);
}

static void test_firstset_model(void **state)
{
    (void)state;
    run_model(64, 64, 20000);      /* its filter mostly set: the table answers */
    run_model(1u << 12, 64, 40000); /* a sparse filter: most new identities wait */
}

/* The documented answers on one identity. */
static void test_firstset_rules(void **state)
{
    (void)state;
    mt_firstset *fs = mt_firstset_new(1u << 10);
    const uint64_t id = 0x1234567890abcdefULL;
    assert_int_equal(mt_firstset_later(fs, id, 1000), 0); /* new */
    assert_int_equal(mt_firstset_later(fs, id, 2000), 1); /* later: dropped */
    assert_int_equal(mt_firstset_later(fs, id, 1000), 0); /* the same time: passed on */
    assert_int_equal(mt_firstset_later(fs, id, 500), 0);  /* earlier: passed on, remembered */
    assert_int_equal(mt_firstset_later(fs, id, 800), 1);
    assert_int_equal(mt_firstset_later(fs, id + 1, 800), 0);
    assert_int_equal(mt_firstset_evicted(fs), 0);
    mt_firstset_free(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_firstset_model),
        cmocka_unit_test(test_firstset_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
