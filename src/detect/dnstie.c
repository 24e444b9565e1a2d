/* DNS tie table: open addressing keyed by address, fixed capacity chosen at
 * creation (no allocation afterwards). When the table is 3/4 full, the
 * insert replaces the entry in its probe window that expires first, so the
 * memory stays flat however many answers a capture holds. */
#include "detect/dnstie.h"

#include <stdlib.h>
#include <string.h>

#define PROBE_WINDOW 8

typedef struct slot {
    mt_addr addr;           /* family 0 = empty */
    mt_dnstie_entry e;
} slot;

struct mt_dnstie {
    slot *slots;
    size_t cap;   /* power of two */
    size_t used;
};

mt_dnstie *mt_dnstie_new(size_t max_entries)
{
    mt_dnstie *t = mt_xcalloc(1, sizeof *t);
    size_t cap = 16;
    while (cap < max_entries + max_entries / 3) cap <<= 1;
    t->cap = cap;
    t->slots = mt_xcalloc(cap, sizeof *t->slots);
    return t;
}

void mt_dnstie_free(mt_dnstie *t)
{
    if (!t) return;
    free(t->slots);
    free(t);
}

void mt_dnstie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)mt_addr_hash(addr, 0x7469650aULL) & mask;
    slot *victim = NULL;
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        slot *s = &t->slots[(i + k) & mask];
        if (s->addr.family == 0 || mt_addr_eq(&s->addr, addr)) {
            if (s->addr.family == 0) t->used++;
            victim = s;
            break;
        }
        if (!victim || s->e.expires < victim->e.expires) victim = s;
    }
    /* A listed name is never replaced by an unlisted one for the same
     * address while it is alive: CDNs serve pools and web sites alike. */
    if (victim->addr.family && mt_addr_eq(&victim->addr, addr) &&
        victim->e.weight > weight && victim->e.expires > expires - 3600000000LL)
        return;
    victim->addr = *addr;
    mt_strlcpy(victim->e.name, name, sizeof victim->e.name);
    victim->e.expires = expires;
    victim->e.weight = weight;
    victim->e.category = cat;
}

int mt_dnstie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)mt_addr_hash(addr, 0x7469650aULL) & mask;
    for (size_t k = 0; k < PROBE_WINDOW; k++) {
        const slot *s = &t->slots[(i + k) & mask];
        if (s->addr.family == 0) return 0;
        if (mt_addr_eq(&s->addr, addr)) {
            if (s->e.expires < now) return 0;
            *out = s->e;
            return 1;
        }
    }
    return 0;
}

size_t mt_dnstie_size(const mt_dnstie *t) { return t->used; }
