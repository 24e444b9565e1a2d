/* DNS tie table: a fixed util/hashmap table keyed by address, capacity
 * chosen at creation. When the probe window of an address is full, the
 * insert replaces the entry of that window that expires first, so the
 * memory stays flat however many answers a capture holds.
 *
 * Most captures resolve a few thousand addresses, and the fixed table's
 * puts land anywhere in it: each one faulted in a fresh page (tens of MiB
 * per run for a thousand answers). So the tie starts small, in a growing
 * map of its own, and moves into the fixed table only when that table's
 * behaviour could start to differ from the small one's: at its first
 * eviction, or once the small map holds a sixteenth of the capacity. Until
 * then both hold the same addresses with the same entries, and an
 * occupancy bitmap of the fixed table (one bit per slot: new addresses go
 * to the first free slot of their window, as in the table) says when the
 * first eviction would come. The move inserts the addresses in the order
 * they first came, so the fixed table ends up slot for slot as if it had
 * been used from the start; evictions, which depend on the slots, then
 * choose the same victims. */
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
/* scan -j (mt_dnstie_set_order): each slot's history, apart from the map
 * so that -j 1 reads and writes nothing more. A worker may be behind the
 * one that puts (its packets come earlier): it must read the tie as it was
 * at its packet, so a put keeps the slot's previous content and when it
 * happened, and waits only when a worker still behind could need the
 * version before that one (the same address answered twice within the
 * workers' distance: rare). */
typedef struct tie_hist {
    uint64_t seq_cur;      /* packet of the put that wrote the slot */
    uint64_t seq_prev;     /* packet of the put before, of prev */
    mt_addr prev_key;      /* prev's address (an evicted entry's is another) */
    mt_dnstie_entry prev;
    uint8_t prev_valid;
} tie_hist;

struct mt_dnstie {
    mt_hmap map; /* mt_addr (mt_hmap_addr_key) -> mt_dnstie_entry: the fixed
                    table, or while `small`, the growing map */
    int small;
    size_t cap;              /* the fixed table's slots */
    /* while small: the fixed table's occupied slots, and the addresses in
     * the order they were first put */
    uint64_t *occ;
    mt_addr *firsts;
    size_t n_firsts, firsts_cap;
    mt_dnstie_order order;
    int ordered;
    tie_hist *hist;          /* map capacity; only when ordered */
    uint64_t last_evict_seq; /* packet of the latest put that evicted another address */
};

static uint64_t tie_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    return mt_addr_hash_inl(&a, TIE_SEED);
}

#define SMALL_MAX(cap) ((cap) / 16) /* addresses the small map holds at most */

mt_dnstie *mt_dnstie_new(size_t max_entries)
{
    mt_dnstie *t = mt_xcalloc(1, sizeof *t);
    size_t cap = 16;
    while (cap < max_entries + max_entries / 3) cap <<= 1;
    t->cap = cap;
    t->small = 1;
    mt_hmap_init(&t->map, &(mt_hmap_cfg){.key_size = sizeof(mt_addr),
                                          .val_size = sizeof(mt_dnstie_entry),
                                          .capacity = 64, .hash = tie_hash});
    t->occ = mt_xcalloc((cap + 63) / 64, sizeof *t->occ);
    return t;
}

void mt_dnstie_free(mt_dnstie *t)
{
    if (!t) return;
    mt_hmap_free(&t->map);
    free(t->occ);
    free(t->firsts);
    free(t->hist);
    free(t);
}

/* Into the fixed table, addresses in the order they first came. */
static void go_fixed(mt_dnstie *t)
{
    if (!t->small) return;
    mt_hmap fixed;
    mt_hmap_init(&fixed, &(mt_hmap_cfg){.key_size = sizeof(mt_addr),
                                         .val_size = sizeof(mt_dnstie_entry),
                                         .capacity = t->cap, .fixed = 1, .window = PROBE_WINDOW,
                                         .huge_pages = 1, .hash = tie_hash});
    for (size_t k = 0; k < t->n_firsts; k++) {
        const mt_addr *key = &t->firsts[k];
        uint64_t h = tie_hash(key);
        int added;
        size_t i = mt_hmap_put(&fixed, key, h, &added);
        size_t j = mt_hmap_find(&t->map, key, h);
        /* The bitmap let every one of these in without an eviction. */
        assert(i != MT_HMAP_NONE && added && j != MT_HMAP_NONE);
        memcpy(mt_hmap_val(&fixed, i), mt_hmap_val(&t->map, j), sizeof(mt_dnstie_entry));
    }
    mt_hmap_free(&t->map);
    t->map = fixed;
    free(t->occ);
    free(t->firsts);
    t->occ = NULL;
    t->firsts = NULL;
    t->n_firsts = t->firsts_cap = 0;
    t->small = 0;
}

/* Small: may a new address go into the small map? Yes when the fixed table
 * would have taken it without an eviction (its slot is then marked). */
static int small_admits(mt_dnstie *t, const mt_addr *key, uint64_t h)
{
    if (t->n_firsts >= SMALL_MAX(t->cap)) return 0;
    size_t mask = t->cap - 1;
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        size_t j = ((size_t)h + k) & mask;
        uint64_t bit = 1ULL << (j & 63);
        if (t->occ[j >> 6] & bit) continue;
        t->occ[j >> 6] |= bit;
        if (t->n_firsts == t->firsts_cap) {
            t->firsts_cap = t->firsts_cap ? t->firsts_cap * 2 : 64;
            t->firsts = mt_xrealloc(t->firsts, t->firsts_cap * sizeof *t->firsts);
        }
        t->firsts[t->n_firsts++] = *key;
        return 1;
    }
    return 0;
}

static void tie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    if (addr->family != 4 && addr->family != 6) return; /* nothing to tie */
    mt_addr key = mt_hmap_addr_key(addr);
    uint64_t h = mt_addr_hash_inl(addr, TIE_SEED);
    if (t->small && mt_hmap_find(&t->map, &key, h) == MT_HMAP_NONE && !small_admits(t, &key, h))
        go_fixed(t);
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

/* The slot a put would write (an empty one, the address's own, or the
 * victim it would evict); MT_HMAP_NONE when it would not write (a listed
 * name kept). Reads only: the same choices as tie_put. */
static size_t put_target(const mt_dnstie *t, const mt_addr *key, uint64_t h, mt_time_us expires,
                         int weight)
{
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        size_t j = mt_hmap_window_slot(&t->map, h, k);
        const mt_addr *kj = mt_hmap_key(&t->map, j);
        if (kj->family == 0) return j;
        if (!memcmp(kj, key, sizeof *key)) {
            const mt_dnstie_entry *ve = mt_hmap_val(&t->map, j);
            if (ve->weight > weight && ve->expires > expires - 3600000000LL) return MT_HMAP_NONE;
            return j;
        }
    }
    size_t victim = mt_hmap_window_slot(&t->map, h, 0);
    for (size_t k = 1; k < PROBE_WINDOW; k++) {
        size_t j = mt_hmap_window_slot(&t->map, h, k);
        const mt_dnstie_entry *e = mt_hmap_val(&t->map, j), *v = mt_hmap_val(&t->map, victim);
        if (e->expires < v->expires) victim = j;
    }
    return victim;
}

static void put_ordered(mt_dnstie *t, const mt_addr *addr, const char *name, mt_time_us expires,
                        int weight, mt_intel_category cat)
{
    const mt_dnstie_order *o = &t->order;
    mt_addr key = mt_hmap_addr_key(addr);
    uint64_t h = mt_addr_hash_inl(addr, TIE_SEED);
    for (;;) {
        o->enter(o->ctx, 1);
        uint64_t seq = o->seq(o->ctx);
        size_t i = put_target(t, &key, h, expires, weight);
        if (i == MT_HMAP_NONE) {
            o->leave(o->ctx);
            return;
        }
        tie_hist *hi = &t->hist[i];
        const mt_addr *ki = mt_hmap_key(&t->map, i);
        int occupied = ki->family != 0;
        /* The version this put pushes out of the history may still be
         * wanted by a worker behind: let it pass first. */
        if (occupied && hi->prev_valid && hi->seq_cur >= o->oldest(o->ctx)) {
            uint64_t past = hi->seq_cur;
            o->leave(o->ctx);
            o->wait_past(o->ctx, past);
            continue;
        }
        if (occupied) {
            hi->prev_key = *ki;
            hi->prev = *(const mt_dnstie_entry *)mt_hmap_val(&t->map, i);
            hi->seq_prev = hi->seq_cur;
            hi->prev_valid = 1;
            if (memcmp(ki, &key, sizeof key)) t->last_evict_seq = seq;
        }
        hi->seq_cur = seq;
        tie_put(t, addr, name, expires, weight, cat);
        o->leave(o->ctx);
        return;
    }
}

/* The entry for key as it was at packet seq (history kept by put_ordered). */
static const mt_dnstie_entry *get_at(const mt_dnstie *t, const mt_addr *key, uint64_t h,
                                     uint64_t seq)
{
    size_t i = mt_hmap_find(&t->map, key, h);
    if (i != MT_HMAP_NONE) {
        const tie_hist *hi = &t->hist[i];
        if (hi->seq_cur <= seq) return mt_hmap_val(&t->map, i);
        if (hi->prev_valid && hi->seq_prev <= seq && !memcmp(&hi->prev_key, key, sizeof *key))
            return &hi->prev;
    } else if (t->last_evict_seq <= seq) {
        return NULL;
    }
    /* Evicted from a slot of the window after seq? */
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        const tie_hist *hj = &t->hist[mt_hmap_window_slot(&t->map, h, k)];
        if (hj->prev_valid && hj->seq_cur > seq && hj->seq_prev <= seq &&
            !memcmp(&hj->prev_key, key, sizeof *key))
            return &hj->prev;
    }
    return NULL;
}

void mt_dnstie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    if (!t->ordered) tie_put(t, addr, name, expires, weight, cat);
    else if (addr->family == 4 || addr->family == 6) put_ordered(t, addr, name, expires, weight, cat);
}

int mt_dnstie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out)
{
    if (!t->ordered) return tie_get(t, addr, now, out);
    if (addr->family != 4 && addr->family != 6) return 0;
    const mt_dnstie_order *o = &t->order;
    mt_addr key = mt_hmap_addr_key(addr);
    o->enter(o->ctx, 0);
    const mt_dnstie_entry *e = get_at(t, &key, mt_addr_hash_inl(addr, TIE_SEED), o->seq(o->ctx));
    int r = e && e->expires >= now;
    if (r) *out = *e;
    o->leave(o->ctx);
    return r;
}

void mt_dnstie_set_order(mt_dnstie *t, const mt_dnstie_order *o)
{
    free(t->hist);
    t->hist = NULL;
    t->ordered = o != NULL;
    if (!o) return;
    t->order = *o;
    go_fixed(t); /* the history follows the fixed table's slots */
    t->hist = mt_xcalloc(mt_hmap_capacity(&t->map), sizeof *t->hist);
    t->last_evict_seq = 0;
}

size_t mt_dnstie_size(const mt_dnstie *t) { return mt_hmap_count(&t->map); }
