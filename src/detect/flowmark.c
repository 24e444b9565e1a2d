/* Bounded "already reported" memories (see flowmark.h), both fixed
 * util/hashmap tables: constant time, no allocation after init, eviction
 * counted rather than growing. */
#include "detect/flowmark.h"

#include <stdlib.h>

#include "util/hash.h"
#include "util/hashmap.h"
#include "minetrace/finding.h"

#define FM_SEED 0x666d6b34ULL
#define SEEN_WINDOW 8

/* Direct-mapped (a window of one slot): the newer flow takes the slot. */
struct mt_flowmark {
    mt_hmap map;      /* flow key -> fm_val */
};

/* The bits hold for one UTC day: a connection that lasts past midnight
 * reports its evidence again on the new day, as a new one would. */
typedef struct fm_val {
    uint32_t bits;
    int32_t day;
} fm_val;

static int32_t day_of(mt_time_us ts) { return (int32_t)mt_finding_day(ts); }

static uint64_t fm_hash(const void *key)
{
    return mt_hash_bytes_inl(key, sizeof(uint64_t), FM_SEED);
}

/* Flow key: the flow id when the source has one, else the 5-tuple. */
static uint64_t flow_key(const mt_event *ev)
{
    uint64_t k = ev->flow_id;
    if (k == 0) {
        k = mt_addr_hash_inl(&ev->cli, 0x666d6b31ULL) ^ (mt_addr_hash_inl(&ev->srv, 0x666d6b32ULL) * 3);
        k ^= ((uint64_t)ev->cli_port << 32) | ((uint64_t)ev->srv_port << 16) | ev->ipproto;
        k = mt_hash_bytes_inl(&k, sizeof k, 0x666d6b33ULL);
    }
    return k ? k : 1;
}

mt_flowmark *mt_flowmark_new(size_t slots)
{
    mt_flowmark *m = mt_xcalloc(1, sizeof *m);
    mt_hmap_init(&m->map, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(fm_val),
                                          .capacity = slots, .fixed = 1, .window = 1,
                                          .hash = fm_hash});
    return m;
}

void mt_flowmark_free(mt_flowmark *m)
{
    if (!m) return;
    mt_hmap_free(&m->map);
    free(m);
}

uint32_t mt_flowmark_get(const mt_flowmark *m, const mt_event *ev)
{
    uint64_t k = flow_key(ev);
    size_t i = mt_hmap_find(&m->map, &k, fm_hash(&k));
    if (i == MT_HMAP_NONE) return 0;
    fm_val v;
    memcpy(&v, mt_hmap_val(&m->map, i), sizeof v);
    return v.day == day_of(ev->ts) ? v.bits : 0;
}

void mt_flowmark_set(mt_flowmark *m, const mt_event *ev, uint32_t bits)
{
    uint64_t k = flow_key(ev), h = fm_hash(&k);
    int added;
    size_t i = mt_hmap_put(&m->map, &k, h, &added);
    if (i == MT_HMAP_NONE) {
        i = mt_hmap_evict(&m->map, mt_hmap_home(&m->map, h), &k);
        added = 1; /* the slot's old value was another flow's */
    }
    fm_val v;
    memcpy(&v, mt_hmap_val(&m->map, i), sizeof v);
    int32_t d = day_of(ev->ts);
    if (added || v.day != d) v.bits = 0;
    v.bits |= bits;
    v.day = d;
    memcpy(mt_hmap_val(&m->map, i), &v, sizeof v);
}

void mt_flowmark_drop(mt_flowmark *m, const mt_event *ev)
{
    /* Most flows were never marked: an empty table skips the probe (a cache
     * miss per ended flow per detector otherwise). */
    if (mt_hmap_count(&m->map) == 0) return;
    uint64_t k = flow_key(ev);
    size_t i = mt_hmap_find(&m->map, &k, fm_hash(&k));
    if (i != MT_HMAP_NONE) mt_hmap_remove(&m->map, i);
}

uint64_t mt_flowmark_evicted(const mt_flowmark *m) { return mt_hmap_evicted(&m->map); }

/* Fingerprints are their own hash: the key is already well mixed. */
struct mt_seenset {
    mt_hmap map;
    size_t slots;
    unsigned ordinal;           /* made the ordinal-th since mt_seenset_defer_new */
    mt_seenset_defer_fn defer;  /* scan -j: the answer is the back half's */
    void *defer_ctx;
};

static _Thread_local mt_seenset_defer_fn tl_defer;
static _Thread_local void *tl_defer_ctx;
static _Thread_local unsigned tl_ordinal;

void mt_seenset_defer_new(mt_seenset_defer_fn fn, void *ctx)
{
    tl_defer = fn;
    tl_defer_ctx = ctx;
    tl_ordinal = 0;
}

static uint64_t seen_hash(const void *key)
{
    uint64_t h;
    memcpy(&h, key, sizeof h);
    return h;
}

mt_seenset *mt_seenset_new(size_t slots)
{
    mt_seenset *s = mt_xcalloc(1, sizeof *s);
    s->slots = slots;
    s->ordinal = tl_ordinal++;
    s->defer = tl_defer;
    s->defer_ctx = tl_defer_ctx;
    /* A deferring set never holds a key: no table. */
    if (!s->defer)
        mt_hmap_init(&s->map, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .capacity = slots,
                                              .fixed = 1, .window = SEEN_WINDOW, .hash = seen_hash});
    return s;
}

void mt_seenset_free(mt_seenset *s)
{
    if (!s) return;
    if (!s->defer) mt_hmap_free(&s->map);
    free(s);
}

int mt_seenset_test_add(mt_seenset *s, uint64_t h)
{
    if (h == 0) h = 1;
    int added;
    if (mt_hmap_put(&s->map, &h, h, &added) != MT_HMAP_NONE) return !added;
    /* Window full: replace one of it, chosen by other bits of the hash. */
    mt_hmap_evict(&s->map, mt_hmap_window_slot(&s->map, h, (h >> 32) % SEEN_WINDOW), &h);
    return 0;
}

int mt_seenset_test_add_day(mt_seenset *s, uint64_t h, mt_time_us ts)
{
    /* The day mixed in and the result remixed: keys of one thing on two
     * days land in unrelated slots. */
    uint64_t k = h ^ ((uint64_t)mt_finding_day(ts) * 0x9e3779b97f4a7c15ULL);
    k ^= k >> 31;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 29;
    if (s->defer) {
        s->defer(s->defer_ctx, s->ordinal, s->slots, k);
        return 0;
    }
    return mt_seenset_test_add(s, k);
}

uint64_t mt_seenset_evicted(const mt_seenset *s) { return s->defer ? 0 : mt_hmap_evicted(&s->map); }

/* Identity -> the earliest time passed on; the key is its own hash. */
struct mt_firstset {
    mt_hmap map;
};

mt_firstset *mt_firstset_new(size_t slots)
{
    mt_firstset *s = mt_xcalloc(1, sizeof *s);
    mt_hmap_init(&s->map, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(mt_time_us),
                                          .capacity = slots, .fixed = 1, .window = SEEN_WINDOW,
                                          .hash = seen_hash});
    return s;
}

void mt_firstset_free(mt_firstset *s)
{
    if (!s) return;
    mt_hmap_free(&s->map);
    free(s);
}

int mt_firstset_later(mt_firstset *s, uint64_t h, mt_time_us ts)
{
    if (h == 0) h = 1;
    int added;
    size_t i = mt_hmap_put(&s->map, &h, h, &added);
    if (i == MT_HMAP_NONE) {
        i = mt_hmap_evict(&s->map, mt_hmap_window_slot(&s->map, h, (h >> 32) % SEEN_WINDOW), &h);
        added = 1;
    }
    mt_time_us first;
    memcpy(&first, mt_hmap_val(&s->map, i), sizeof first);
    if (!added && first < ts) return 1;
    memcpy(mt_hmap_val(&s->map, i), &ts, sizeof ts);
    return 0;
}

uint64_t mt_firstset_evicted(const mt_firstset *s) { return mt_hmap_evicted(&s->map); }
