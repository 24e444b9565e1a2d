/* DNS tie table: open addressing keyed by address, fixed capacity chosen at
 * creation (no allocation afterwards). When the table is 3/4 full, the
 * insert replaces the entry in its probe window that expires first, so the
 * memory stays flat however many answers a capture holds. */
#include "detect/dnstie.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"

#define PROBE_WINDOW 8

/* Keys and entries live in two arrays: a lookup (one per ended flow and per
 * TLS/HTTP event) probes only the compact key array, and reads the 144-byte
 * entry only on a match. With one array, most lookups touched a page of the
 * big table that no answer had ever been written to (a page fault each). */
struct mt_dnstie {
    mt_addr *keys;          /* family 0 = empty */
    mt_dnstie_entry *ents;
    size_t cap;   /* power of two */
    size_t used;
};

mt_dnstie *mt_dnstie_new(size_t max_entries)
{
    mt_dnstie *t = mt_xcalloc(1, sizeof *t);
    size_t cap = 16;
    while (cap < max_entries + max_entries / 3) cap <<= 1;
    t->cap = cap;
    t->keys = mt_big_calloc(cap * sizeof *t->keys);
    t->ents = mt_xcalloc(cap, sizeof *t->ents);
    return t;
}

void mt_dnstie_free(mt_dnstie *t)
{
    if (!t) return;
    mt_big_free(t->keys, t->cap * sizeof *t->keys);
    free(t->ents);
    free(t);
}

void mt_dnstie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)mt_addr_hash(addr, 0x7469650aULL) & mask;
    size_t victim = SIZE_MAX;
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        size_t j = (i + k) & mask;
        const mt_addr *key = &t->keys[j];
        if (key->family == 0 || mt_addr_eq(key, addr)) {
            if (key->family == 0) t->used++;
            victim = j;
            break;
        }
        if (victim == SIZE_MAX || t->ents[j].expires < t->ents[victim].expires) victim = j;
    }
    mt_addr *vk = &t->keys[victim];
    mt_dnstie_entry *ve = &t->ents[victim];
    /* A listed name is never replaced by an unlisted one for the same
     * address while it is alive: CDNs serve pools and web sites alike. */
    if (vk->family && mt_addr_eq(vk, addr) &&
        ve->weight > weight && ve->expires > expires - 3600000000LL)
        return;
    *vk = *addr;
    mt_strlcpy(ve->name, name, sizeof ve->name);
    ve->expires = expires;
    ve->weight = weight;
    ve->category = cat;
}

int mt_dnstie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)mt_addr_hash(addr, 0x7469650aULL) & mask;
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        size_t j = (i + k) & mask;
        const mt_addr *key = &t->keys[j];
        if (key->family == 0) return 0;
        if (mt_addr_eq(key, addr)) {
            const mt_dnstie_entry *e = &t->ents[j];
            if (e->expires < now) return 0;
            *out = *e;
            return 1;
        }
    }
    return 0;
}

size_t mt_dnstie_size(const mt_dnstie *t) { return t->used; }
