/* The hash map (and set) every table in minetrace is built on: open
 * addressing with linear probing over two parallel arrays, fixed-size keys
 * and values whose sizes the caller chooses.
 *
 * - Keys sit in one compact array and values in another, so a probe that
 *   misses (most lookups on the packet path: a flow to an address nobody
 *   resolved) touches only key bytes.
 * - The all-zero key marks an empty slot, so there is no occupancy array to
 *   read; callers keep it out of their key space (a hash tag that is never
 *   0, an address family that is never 0, an index stored as index + 1).
 *   Keys are compared byte for byte: callers clear padding and unused bytes
 *   (mt_hmap_addr_key does that for addresses).
 * - The caller passes the hash to every call. It can then hash once and use
 *   the value for several tables, prefetch, or keep a historical layout;
 *   the hash function given at init must compute the same value (growth and
 *   deletion use it to find a moved key's home slot).
 * - Two kinds of table. A growing table doubles at 70 % load and never
 *   refuses an insert. A fixed table is allocated once at init and never
 *   allocates again (tables on the packet path): an insert probes at most
 *   `window` slots, and when those are all taken mt_hmap_put returns
 *   MT_HMAP_NONE and the caller chooses which slot of the window to reuse
 *   (mt_hmap_window_slot, mt_hmap_evict): a memory of recent things keeps
 *   the newest, a DNS tie keeps the entries that expire last.
 * - Deletion shifts later keys of the same probe run back (no tombstones),
 *   so lookups stay as short as the table's load.
 *
 * The lookups are inline and take the key size from the key's type
 * (mt_hmap_find(m, &key, h) with `sizeof key` known where it is called), so
 * the compiler compares a 16-byte key as two words rather than calling
 * memcmp: these lookups run per packet and per log record. */
#ifndef MT_UTIL_HASHMAP_H
#define MT_UTIL_HASHMAP_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "minetrace/common.h"

#define MT_HMAP_NONE SIZE_MAX

typedef uint64_t (*mt_hmap_hash_fn)(const void *key);

typedef struct mt_hmap_cfg {
    size_t key_size;       /* bytes per key, >= 1 */
    size_t val_size;       /* bytes per value; 0 for a set */
    size_t capacity;       /* slots, rounded up to a power of two (>= 8); a
                              growing table starts there */
    int fixed;             /* 1: never grows nor allocates after init */
    size_t window;         /* fixed tables: longest probe (0 = 8) */
    int huge_pages;        /* keys array on transparent huge pages
                              (util/bigalloc.h): for big fixed tables whose
                              probes land anywhere */
    mt_hmap_hash_fn hash;  /* required */
} mt_hmap_cfg;

typedef struct mt_hmap {
    unsigned char *keys;   /* cap * ksize, zeroed = empty */
    unsigned char *vals;   /* cap * vsize, NULL for a set */
    size_t ksize, vsize;
    size_t cap, mask;      /* cap: power of two */
    size_t n;              /* used slots */
    size_t window;         /* probe bound: the window, or cap for growing tables */
    int fixed, huge;
    uint64_t evicted;      /* mt_hmap_evict calls that replaced a key */
    mt_hmap_hash_fn hash;
} mt_hmap;

void mt_hmap_init(mt_hmap *m, const mt_hmap_cfg *cfg);
void mt_hmap_free(mt_hmap *m);
/* Empty the table, keeping its memory. */
void mt_hmap_clear(mt_hmap *m);
/* Remove the key in slot i; later keys of its probe run move back. Slot
 * numbers of other keys may change. */
void mt_hmap_remove(mt_hmap *m, size_t i);
/* Double the slot count of a growing table (called by the inserts). */
void mt_hmap_grow_(mt_hmap *m);

static inline size_t mt_hmap_count(const mt_hmap *m) { return m->n; }
static inline size_t mt_hmap_capacity(const mt_hmap *m) { return m->cap; }
static inline uint64_t mt_hmap_evicted(const mt_hmap *m) { return m->evicted; }
static inline void *mt_hmap_key(const mt_hmap *m, size_t i) { return m->keys + i * m->ksize; }
static inline void *mt_hmap_val(const mt_hmap *m, size_t i) { return m->vals + i * m->vsize; }
/* First slot of hash h's probe run, and slot k of it (k < window). */
static inline size_t mt_hmap_home(const mt_hmap *m, uint64_t h) { return (size_t)h & m->mask; }
static inline size_t mt_hmap_window_slot(const mt_hmap *m, uint64_t h, size_t k)
{
    return ((size_t)h + k) & m->mask;
}

/* Word-wise helpers; with a constant size they compile to a few loads. */
static inline int mt_hmap_iszero_(const unsigned char *p, size_t n)
{
    uint64_t acc = 0;
    for (; n >= 8; p += 8, n -= 8) { uint64_t w; memcpy(&w, p, 8); acc |= w; }
    if (n >= 4) { uint32_t w; memcpy(&w, p, 4); acc |= w; p += 4; n -= 4; }
    if (n >= 2) { uint16_t w; memcpy(&w, p, 2); acc |= w; p += 2; n -= 2; }
    if (n) acc |= *p;
    return acc == 0;
}

static inline int mt_hmap_eq_(const unsigned char *a, const unsigned char *b, size_t n)
{
    uint64_t acc = 0;
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        acc |= x ^ y;
    }
    if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        acc |= x ^ y;
        a += 4; b += 4; n -= 4;
    }
    if (n >= 2) {
        uint16_t x, y;
        memcpy(&x, a, 2);
        memcpy(&y, b, 2);
        acc |= (uint16_t)(x ^ y);
        a += 2; b += 2; n -= 2;
    }
    if (n) acc |= (uint8_t)(*a ^ *b);
    return acc == 0;
}

/* Zero a value: the common small sizes as stores, not a memset call. */
static inline void mt_hmap_zero_(unsigned char *p, size_t n)
{
    static const uint64_t z[2];
    if (n == 4) memcpy(p, z, 4);
    else if (n == 8) memcpy(p, z, 8);
    else if (n == 16) memcpy(p, z, 16);
    else memset(p, 0, n);
}

/* Is slot i empty? */
static inline int mt_hmap_empty_at_(const mt_hmap *m, size_t i, size_t ksize)
{
    return mt_hmap_iszero_(m->keys + i * ksize, ksize);
}
#define mt_hmap_empty_at(m, i) mt_hmap_empty_at_((m), (i), (m)->ksize)


/* Slot holding key, or MT_HMAP_NONE. */
static inline size_t mt_hmap_find_(const mt_hmap *m, const void *key, uint64_t h, size_t ksize)
{
    assert(ksize == m->ksize);
    size_t i = (size_t)h & m->mask;
    for (size_t k = 0; k < m->window; k++, i = (i + 1) & m->mask) {
        const unsigned char *s = m->keys + i * ksize;
        if (mt_hmap_iszero_(s, ksize)) return MT_HMAP_NONE;
        if (mt_hmap_eq_(s, key, ksize)) return i;
    }
    return MT_HMAP_NONE;
}
#define mt_hmap_find(m, key, h) mt_hmap_find_((m), (key), (h), sizeof *(key))

/* Fill the empty slot i (key bytes at s) with key and a zeroed value. */
static inline size_t mt_hmap_claim_(mt_hmap *m, size_t i, unsigned char *s, const void *key,
                                    size_t ksize)
{
    memcpy(s, key, ksize);
    if (m->vsize) mt_hmap_zero_(m->vals + i * m->vsize, m->vsize);
    m->n++;
    return i;
}

/* Slot holding key, inserting it (value bytes zeroed) when absent; *added
 * says which. MT_HMAP_NONE only from a fixed table whose window is full:
 * the caller then evicts (or gives up). */
static inline size_t mt_hmap_put_(mt_hmap *m, const void *key, uint64_t h, int *added,
                                  size_t ksize)
{
    assert(ksize == m->ksize);
    *added = 0;
    if (!m->fixed && (m->n + 1) * 10 > m->cap * 7) mt_hmap_grow_(m);
    size_t i = (size_t)h & m->mask;
    for (size_t k = 0; k < m->window; k++, i = (i + 1) & m->mask) {
        unsigned char *s = m->keys + i * ksize;
        if (mt_hmap_iszero_(s, ksize)) {
            *added = 1;
            return mt_hmap_claim_(m, i, s, key, ksize);
        }
        if (mt_hmap_eq_(s, key, ksize)) return i;
    }
    return MT_HMAP_NONE;
}
#define mt_hmap_put(m, key, h, added) mt_hmap_put_((m), (key), (h), (added), sizeof *(key))

/* Insert key without looking for an equal one (the caller knows it is new,
 * or keeps several keys per hash, as tables of variable-length strings do
 * with a (hash, index) key). Same MT_HMAP_NONE rule as mt_hmap_put. */
static inline size_t mt_hmap_add_(mt_hmap *m, const void *key, uint64_t h, size_t ksize)
{
    assert(ksize == m->ksize);
    if (!m->fixed && (m->n + 1) * 10 > m->cap * 7) mt_hmap_grow_(m);
    size_t i = (size_t)h & m->mask;
    for (size_t k = 0; k < m->window; k++, i = (i + 1) & m->mask) {
        unsigned char *s = m->keys + i * ksize;
        if (mt_hmap_iszero_(s, ksize)) return mt_hmap_claim_(m, i, s, key, ksize);
    }
    return MT_HMAP_NONE;
}
#define mt_hmap_add(m, key, h) mt_hmap_add_((m), (key), (h), sizeof *(key))

/* Put key into slot i (one of its window), replacing what was there; the
 * value bytes are zeroed. Counts an eviction when a key was replaced. */
static inline size_t mt_hmap_evict_(mt_hmap *m, size_t i, const void *key, size_t ksize)
{
    assert(ksize == m->ksize);
    unsigned char *s = m->keys + i * ksize;
    if (mt_hmap_iszero_(s, ksize)) m->n++;
    else m->evicted++;
    memcpy(s, key, ksize);
    if (m->vsize) mt_hmap_zero_(m->vals + i * m->vsize, m->vsize);
    return i;
}
#define mt_hmap_evict(m, i, key) mt_hmap_evict_((m), (i), (key), sizeof *(key))

/* Walking the probe run of a hash, for keys that need more than byte
 * equality (a (hash, index) key whose string lives elsewhere):
 *   for (size_t i = mt_hmap_run_first(m, h, T), k = 0; i != MT_HMAP_NONE;
 *        i = mt_hmap_run_next(m, i, &k, T)) ...
 * visits the used slots from the home slot to the first empty one; T is the
 * key type (its size must be the table's key size). */
static inline size_t mt_hmap_run_first_(const mt_hmap *m, uint64_t h, size_t ksize)
{
    assert(ksize == m->ksize);
    size_t i = (size_t)h & m->mask;
    return mt_hmap_empty_at_(m, i, ksize) ? MT_HMAP_NONE : i;
}

static inline size_t mt_hmap_run_next_(const mt_hmap *m, size_t i, size_t *k, size_t ksize)
{
    if (++*k >= m->window) return MT_HMAP_NONE;
    i = (i + 1) & m->mask;
    return mt_hmap_empty_at_(m, i, ksize) ? MT_HMAP_NONE : i;
}
#define mt_hmap_run_first(m, h, T) mt_hmap_run_first_((m), (h), sizeof(T))
#define mt_hmap_run_next(m, i, k, T) mt_hmap_run_next_((m), (i), (k), sizeof(T))

/* Iteration in slot order: the first used slot at index >= i, or
 * MT_HMAP_NONE.  for (i = mt_hmap_next(m, 0); i != MT_HMAP_NONE;
 * i = mt_hmap_next(m, i + 1)) ... Removing the current slot during the walk
 * may move a later key into it: walk again from i after mt_hmap_remove. */
size_t mt_hmap_next(const mt_hmap *m, size_t i);

/* An address as a map key: family and only the bytes it uses (4 for IPv4,
 * else 16), the rest zero, so byte equality is mt_addr_eq. An unset address
 * (family 0, all bytes zero) gives the empty key: callers keep it out. */
static inline mt_addr mt_hmap_addr_key(const mt_addr *a)
{
    mt_addr k;
    k.family = a->family;
    memcpy(k.b, a->b, 16);
    if (a->family == 4) memset(k.b + 4, 0, 12);
    return k;
}

#endif
