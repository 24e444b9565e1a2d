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

#define SLOTS 64
#define WINDOW 8

typedef struct model {
    uint64_t key[SLOTS];
    mt_time_us first[SLOTS];
    uint64_t evicted;
} model;

static int model_later(model *m, uint64_t h, mt_time_us ts)
{
    if (h == 0) h = 1;
    size_t home = (size_t)h & (SLOTS - 1);
    for (size_t k = 0; k < WINDOW; k++) {
        size_t i = (home + k) & (SLOTS - 1);
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
    size_t i = (home + (h >> 32) % WINDOW) & (SLOTS - 1);
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

static void test_firstset_model(void **state)
{
    (void)state;
    mt_firstset *fs = mt_firstset_new(SLOTS);
    static model m;
    memset(&m, 0, sizeof m);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    uint64_t hot[16];
    for (size_t i = 0; i < 16; i++) hot[i] = rnd(&seed);
    hot[3] = 0; /* the identity 0 is taken as 1 */
    hot[4] = 1;
    int drops = 0;
    for (int n = 0; n < 20000; n++) {
        uint64_t r = rnd(&seed);
        /* Mostly a few identities seen again, some new ones that crowd
         * the windows; clustered homes (low bits alike) fill runs. */
        uint64_t h = (r & 3) ? hot[(r >> 8) & 15] : (rnd(&seed) & ~(uint64_t)0x30);
        mt_time_us ts = (mt_time_us)(n * 10) - (mt_time_us)((r >> 20) % 4) * 15; /* out of order, ties */
        int want = model_later(&m, h, ts);
        int got = mt_firstset_later(fs, h, ts);
        assert_int_equal(got, want);
        drops += got;
    }
    assert_true(drops > 1000);
    assert_true(m.evicted > 100);
    assert_int_equal(mt_firstset_evicted(fs), m.evicted);
    mt_firstset_free(fs);
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
