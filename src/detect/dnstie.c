/* DNS tie table: a fixed util/hashmap table keyed by address, capacity
 * chosen at creation (no allocation afterwards). When the probe window of an
 * address is full, the insert replaces the entry of that window that expires
 * first, so the memory stays flat however many answers a capture holds. */
#include "detect/dnstie.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/hashmap.h"

#define PROBE_WINDOW 8
#define TIE_SEED 0x7469650aULL

/* Keys (17-byte addresses) and entries live in the map's two arrays: a
 * lookup (one per ended flow and per TLS/HTTP event) probes only the compact
 * key array, on huge pages, and reads the 144-byte entry only on a match.
 * With one array, most lookups touched a page of the big table that no
 * answer had ever been written to (a page fault each). */
struct mt_dnstie {
    mt_hmap map; /* mt_addr (mt_hmap_addr_key) -> mt_dnstie_entry */
    void (*sync)(void *ctx, int put, int end);
    void *sync_ctx;
};

void mt_dnstie_set_sync(mt_dnstie *t, void (*sync)(void *ctx, int put, int end), void *ctx)
{
    t->sync = sync;
    t->sync_ctx = ctx;
}

static uint64_t tie_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    return mt_addr_hash_inl(&a, TIE_SEED);
}

mt_dnstie *mt_dnstie_new(size_t max_entries)
{
    mt_dnstie *t = mt_xcalloc(1, sizeof *t);
    size_t cap = 16;
    while (cap < max_entries + max_entries / 3) cap <<= 1;
    mt_hmap_init(&t->map, &(mt_hmap_cfg){.key_size = sizeof(mt_addr),
                                          .val_size = sizeof(mt_dnstie_entry),
                                          .capacity = cap, .fixed = 1, .window = PROBE_WINDOW,
                                          .huge_pages = 1, .hash = tie_hash});
    return t;
}

void mt_dnstie_free(mt_dnstie *t)
{
    if (!t) return;
    mt_hmap_free(&t->map);
    free(t);
}

static void tie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    if (addr->family != 4 && addr->family != 6) return; /* nothing to tie */
    mt_addr key = mt_hmap_addr_key(addr);
    uint64_t h = mt_addr_hash_inl(addr, TIE_SEED);
    int added;
    size_t i = mt_hmap_put(&t->map, &key, h, &added);
    mt_dnstie_entry *ve;
    if (i == MT_HMAP_NONE) {
        size_t victim = mt_hmap_window_slot(&t->map, h, 0);
        for (size_t k = 1; k < PROBE_WINDOW; k++) {
            size_t j = mt_hmap_window_slot(&t->map, h, k);
            const mt_dnstie_entry *e = mt_hmap_val(&t->map, j), *v = mt_hmap_val(&t->map, victim);
            if (e->expires < v->expires) victim = j;
        }
        ve = mt_hmap_val(&t->map, mt_hmap_evict(&t->map, victim, &key));
    } else {
        ve = mt_hmap_val(&t->map, i);
        /* A listed name is never replaced by an unlisted one for the same
         * address while it is alive: CDNs serve pools and web sites alike. */
        if (!added && ve->weight > weight && ve->expires > expires - 3600000000LL) return;
    }
    mt_strlcpy(ve->name, name, sizeof ve->name);
    ve->expires = expires;
    ve->weight = weight;
    ve->category = cat;
}

static int tie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out)
{
    if (addr->family != 4 && addr->family != 6) return 0;
    mt_addr key = mt_hmap_addr_key(addr);
    size_t i = mt_hmap_find(&t->map, &key, mt_addr_hash_inl(addr, TIE_SEED));
    if (i == MT_HMAP_NONE) return 0;
    const mt_dnstie_entry *e = mt_hmap_val(&t->map, i);
    if (e->expires < now) return 0;
    *out = *e;
    return 1;
}

void mt_dnstie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    if (!t->sync) {
        tie_put(t, addr, name, expires, weight, cat);
        return;
    }
    t->sync(t->sync_ctx, 1, 0);
    tie_put(t, addr, name, expires, weight, cat);
    t->sync(t->sync_ctx, 1, 1);
}

int mt_dnstie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out)
{
    if (!t->sync) return tie_get(t, addr, now, out);
    t->sync(t->sync_ctx, 0, 0);
    int r = tie_get(t, addr, now, out);
    t->sync(t->sync_ctx, 0, 1);
    return r;
}

size_t mt_dnstie_size(const mt_dnstie *t) { return mt_hmap_count(&t->map); }
