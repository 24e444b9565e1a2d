/* Bounded "already reported" memories (see flowmark.h). Direct-mapped per
 * flow table and a fingerprint set with an 8-slot probe window: constant
 * time, no allocation after init, eviction counted rather than growing. */
#include "detect/flowmark.h"

#include <stdlib.h>

struct mt_flowmark {
    size_t mask;
    size_t live;      /* slots in use: 0 lets a flow end skip the probe (a
                         cache miss per ended flow per detector otherwise) */
    uint64_t evicted;
    struct fm_slot {
        uint64_t key; /* 0 = empty */
        uint32_t bits;
    } *slots;
};

/* Flow key: the flow id when the source has one, else the 5-tuple. */
static uint64_t flow_key(const mt_event *ev)
{
    uint64_t k = ev->flow_id;
    if (k == 0) {
        k = mt_addr_hash(&ev->cli, 0x666d6b31ULL) ^ (mt_addr_hash(&ev->srv, 0x666d6b32ULL) * 3);
        k ^= ((uint64_t)ev->cli_port << 32) | ((uint64_t)ev->srv_port << 16) | ev->ipproto;
        k = mt_hash_bytes(&k, sizeof k, 0x666d6b33ULL);
    }
    return k ? k : 1;
}

mt_flowmark *mt_flowmark_new(size_t slots)
{
    mt_flowmark *m = mt_xcalloc(1, sizeof *m);
    m->slots = mt_xcalloc(slots, sizeof *m->slots);
    m->mask = slots - 1;
    return m;
}

void mt_flowmark_free(mt_flowmark *m)
{
    if (!m) return;
    free(m->slots);
    free(m);
}

static struct fm_slot *slot_of(const mt_flowmark *m, uint64_t k)
{
    return &m->slots[(size_t)mt_hash_bytes(&k, sizeof k, 0x666d6b34ULL) & m->mask];
}

uint32_t mt_flowmark_get(const mt_flowmark *m, const mt_event *ev)
{
    uint64_t k = flow_key(ev);
    const struct fm_slot *s = slot_of(m, k);
    return s->key == k ? s->bits : 0;
}

void mt_flowmark_set(mt_flowmark *m, const mt_event *ev, uint32_t bits)
{
    uint64_t k = flow_key(ev);
    struct fm_slot *s = slot_of(m, k);
    if (s->key != k) {
        if (s->key) m->evicted++;
        else m->live++;
        s->key = k;
        s->bits = 0;
    }
    s->bits |= bits;
}

void mt_flowmark_drop(mt_flowmark *m, const mt_event *ev)
{
    if (m->live == 0) return;
    uint64_t k = flow_key(ev);
    struct fm_slot *s = slot_of(m, k);
    if (s->key == k) {
        s->key = 0;
        s->bits = 0;
        m->live--;
    }
}

uint64_t mt_flowmark_evicted(const mt_flowmark *m) { return m->evicted; }

struct mt_seenset {
    size_t mask;
    uint64_t *h;
};

mt_seenset *mt_seenset_new(size_t slots)
{
    mt_seenset *s = mt_xcalloc(1, sizeof *s);
    s->h = mt_xcalloc(slots, sizeof *s->h);
    s->mask = slots - 1;
    return s;
}

void mt_seenset_free(mt_seenset *s)
{
    if (!s) return;
    free(s->h);
    free(s);
}

int mt_seenset_test_add(mt_seenset *s, uint64_t h)
{
    if (h == 0) h = 1;
    size_t i0 = (size_t)h & s->mask;
    for (size_t k = 0; k < 8; k++) {
        uint64_t *slot = &s->h[(i0 + k) & s->mask];
        if (*slot == h) return 1;
        if (*slot == 0) {
            *slot = h;
            return 0;
        }
    }
    s->h[(i0 + (h >> 32) % 8) & s->mask] = h; /* evict one in the window */
    return 0;
}
