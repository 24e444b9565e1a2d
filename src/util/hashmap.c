/* Open-addressing hash map (see hashmap.h): allocation, growth, deletion
 * and iteration; the lookups are inline in the header. */
#include "util/hashmap.h"

#include <stdlib.h>

#include "util/bigalloc.h"

#define MIN_CAP 8

static void alloc_arrays(mt_hmap *m)
{
    m->keys = m->huge ? mt_big_calloc(m->cap * m->ksize) : mt_xcalloc(m->cap, m->ksize);
    m->vals = m->vsize ? mt_xcalloc(m->cap, m->vsize) : NULL;
}

static void free_arrays(mt_hmap *m)
{
    if (m->huge) mt_big_free(m->keys, m->cap * m->ksize);
    else free(m->keys);
    free(m->vals);
}

void mt_hmap_init(mt_hmap *m, const mt_hmap_cfg *cfg)
{
    memset(m, 0, sizeof *m);
    if (cfg->key_size == 0 || !cfg->hash) abort(); /* a programming error, not input */
    m->ksize = cfg->key_size;
    m->vsize = cfg->val_size;
    m->fixed = cfg->fixed != 0;
    m->huge = cfg->huge_pages != 0;
    m->hash = cfg->hash;
    size_t cap = MIN_CAP;
    while (cap < cfg->capacity) cap <<= 1;
    m->cap = cap;
    m->mask = cap - 1;
    if (m->fixed) {
        m->window = cfg->window ? cfg->window : 8;
        if (m->window > cap) m->window = cap;
    } else {
        m->window = cap;
    }
    alloc_arrays(m);
}

void mt_hmap_free(mt_hmap *m)
{
    if (!m || !m->keys) return;
    free_arrays(m);
    memset(m, 0, sizeof *m);
}

void mt_hmap_clear(mt_hmap *m)
{
    memset(m->keys, 0, m->cap * m->ksize);
    if (m->vals) memset(m->vals, 0, m->cap * m->vsize);
    m->n = 0;
}

/* The loops over whole tables (growth, iteration) run with the key size
 * known at compile time for the sizes minetrace uses, as the inline lookups
 * do: with a run-time size every empty-slot test is a loop. */
#define BY_KSIZE(ks, CALL)                                                      \
    switch (ks) {                                                               \
    case 8: CALL(8); break;                                                     \
    case 16: CALL(16); break;                                                   \
    case 17: CALL(17); break;                                                   \
    case 18: CALL(18); break;                                                   \
    default: CALL(ks); break;                                                   \
    }

static inline void rehash_into(mt_hmap *m, const mt_hmap *old, size_t ks)
{
    for (size_t i = 0; i < old->cap; i++) {
        const unsigned char *k = old->keys + i * ks;
        if (mt_hmap_iszero_(k, ks)) continue;
        size_t j = (size_t)m->hash(k) & m->mask;
        while (!mt_hmap_iszero_(m->keys + j * ks, ks)) j = (j + 1) & m->mask;
        memcpy(m->keys + j * ks, k, ks);
        if (m->vsize) memcpy(m->vals + j * m->vsize, old->vals + i * m->vsize, m->vsize);
    }
}

void mt_hmap_grow_(mt_hmap *m)
{
    mt_hmap old = *m;
    m->cap = old.cap * 2;
    m->mask = m->cap - 1;
    m->window = m->cap;
    alloc_arrays(m);
#define REHASH(ks) rehash_into(m, &old, ks)
    BY_KSIZE(m->ksize, REHASH)
#undef REHASH
    free_arrays(&old);
}

void mt_hmap_remove(mt_hmap *m, size_t i)
{
    if (i >= m->cap || mt_hmap_empty_at(m, i)) return;
    if (m->window == 1) { /* direct-mapped: nothing can move */
        memset(m->keys + i * m->ksize, 0, m->ksize);
        if (m->vsize) mt_hmap_zero_(m->vals + i * m->vsize, m->vsize);
        m->n--;
        return;
    }
    /* Backward shift: a key at j may fill the hole at i when its home is not
     * cyclically inside (i, j]. No key sits `window` or more slots past its
     * home, so in a fixed table the scan stops there. */
    size_t j = i;
    for (size_t dist = 1;; dist++) {
        j = (j + 1) & m->mask;
        if (dist >= m->window || mt_hmap_empty_at(m, j)) break;
        const unsigned char *kj = m->keys + j * m->ksize;
        size_t home = (size_t)m->hash(kj) & m->mask;
        int stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        memcpy(m->keys + i * m->ksize, kj, m->ksize);
        if (m->vsize) memcpy(m->vals + i * m->vsize, m->vals + j * m->vsize, m->vsize);
        i = j;
        dist = 0;
    }
    memset(m->keys + i * m->ksize, 0, m->ksize);
    if (m->vsize) mt_hmap_zero_(m->vals + i * m->vsize, m->vsize);
    m->n--;
}

static inline size_t next_used(const mt_hmap *m, size_t i, size_t ks)
{
    for (; i < m->cap; i++)
        if (!mt_hmap_empty_at_(m, i, ks)) return i;
    return MT_HMAP_NONE;
}

size_t mt_hmap_next(const mt_hmap *m, size_t i)
{
#define NEXT(ks) return next_used(m, i, ks)
    BY_KSIZE(m->ksize, NEXT)
#undef NEXT
    return MT_HMAP_NONE;
}
