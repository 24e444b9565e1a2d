/* Flow table: fixed arrays, linear probing, LRU list. See flowtable.h. */
#include "capture/flowtable.h"

#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"

struct mt_flowtable {
    mt_flow *last;      /* the flow of the previous lookup (packets come in bursts) */
    mt_flow *flows;     /* max entries */
    uint64_t *index;    /* slot -> hash << 32 | (flow index + 1), valid only
                           where the slot's occ bit is set:
                           the hash beside the index lets probes skip
                           other flows' slots without touching their flow */
    uint64_t *occ;      /* one bit per index slot: in use. 64 KiB for the
                           default table, so it stays in the L2 cache where
                           the 4 MiB index does not: a new flow's lookup
                           (an empty home slot) and its insert then touch
                           no index line before the store */
    uint32_t *free_list;
    uint32_t n_free;
    uint32_t max, index_mask, count;
    uint32_t high;      /* slots ever handed out: the free list gives low
                           indexes first, so pages above were never touched */
    uint32_t lru_head, lru_tail; /* flow index + 1 */
    int draining;       /* removals leave the index alone (see drain_begin) */
};

static inline int occupied(const mt_flowtable *t, uint32_t i)
{
    return (int)(t->occ[i >> 6] >> (i & 63)) & 1;
}
static inline void occ_set(mt_flowtable *t, uint32_t i) { t->occ[i >> 6] |= 1ULL << (i & 63); }
static inline void occ_clear(mt_flowtable *t, uint32_t i) { t->occ[i >> 6] &= ~(1ULL << (i & 63)); }

mt_flowtable *mt_flowtable_new(uint32_t max_flows)
{
    if (max_flows < 16) max_flows = 16;
    mt_flowtable *t = mt_xcalloc(1, sizeof *t);
    t->max = max_flows;
    uint32_t cap = 32;
    while (cap < max_flows * 2u) cap <<= 1;
    t->index_mask = cap - 1;
    t->flows = mt_big_calloc((size_t)max_flows * sizeof *t->flows);
    t->index = mt_big_calloc((size_t)cap * sizeof *t->index);
    t->occ = mt_xcalloc((cap + 63) / 64, sizeof *t->occ);
    t->free_list = mt_xmalloc(sizeof *t->free_list * max_flows);
    for (uint32_t i = 0; i < max_flows; i++) t->free_list[i] = max_flows - 1 - i;
    t->n_free = max_flows;
    return t;
}

void mt_flowtable_free(mt_flowtable *t)
{
    if (!t) return;
    for (uint32_t i = 0; i < t->high; i++) free(t->flows[i].extra);
    mt_big_free(t->flows, (size_t)t->max * sizeof *t->flows);
    mt_big_free(t->index, ((size_t)t->index_mask + 1) * sizeof *t->index);
    free(t->occ);
    free(t->free_list);
    free(t);
}

/* Direction-independent hash: the sum of per-endpoint hashes, so both
 * directions of a flow hash alike without ordering the endpoints first.
 * One 64-bit mix per endpoint (the address halves folded with a multiply,
 * the port and family in the top bits) and none after the sum: this runs
 * for every packet.
 *
 * An IPv4 address is read as its 4 bytes (the other 12 are zero in every
 * mt_packet and flow, so the value is that of the 16-byte read): the
 * decoder writes the packet's addresses with a 4-byte copy over a cleared
 * field, and an 8-byte load over those smaller stores cannot be forwarded
 * from the store buffer; it waited for all older stores to reach the
 * cache, the previous packet's cache-missing flow updates among them. */
static inline void addr_words(const mt_addr *a, uint64_t *lo, uint64_t *hi)
{
    if (a->family == 4) {
        uint32_t v;
        memcpy(&v, a->b, 4);
        *lo = v;
        *hi = 0;
    } else {
        memcpy(lo, a->b, 8);
        memcpy(hi, a->b + 8, 8);
    }
}

/* A packet's address into a zeroed flow key, read as addr_words does: a
 * whole-struct copy loads 16 bytes over the decoder's smaller stores and
 * waited behind the memset of the (cache-cold) flow just before it. */
static inline void addr_copy(mt_addr *dst, const mt_addr *src)
{
    dst->family = src->family;
    memcpy(dst->b, src->b, src->family == 4 ? 4 : 16);
}

static inline uint64_t endpoint_hash(const mt_addr *a, uint16_t port)
{
    uint64_t lo, hi;
    addr_words(a, &lo, &hi);
    return mt_mix64(lo ^ hi * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)port << 48 | (uint64_t)a->family << 40));
}

static uint32_t key_hash(const mt_addr *a, uint16_t ap, const mt_addr *b, uint16_t bp,
                         uint8_t proto)
{
    uint64_t x = endpoint_hash(a, ap) + endpoint_hash(b, bp) + proto * 0xc2b2ae3d27d4eb4fULL;
    return (uint32_t)(x >> 32) ^ (uint32_t)x;
}

/* Address equality inline (family and the address bytes, as mt_addr_eq,
 * with IPv4 read as above): this runs for every packet, where a call and
 * memcmp showed in profiles. */
static inline int addr_eq(const mt_addr *a, const mt_addr *b)
{
    if (a->family != b->family) return 0;
    if (a->family == 4) {
        uint32_t x, y;
        memcpy(&x, a->b, 4);
        memcpy(&y, b->b, 4);
        return x == y;
    }
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->b, 8);
    memcpy(&a1, a->b + 8, 8);
    memcpy(&b0, b->b, 8);
    memcpy(&b1, b->b + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static int flow_matches(const mt_flow *f, const mt_packet *pk, int *dir)
{
    /* The packet's ports as two values of their own: compared as fields,
     * the compiler folds both port tests into one 8-byte load of the
     * packet that the store buffer cannot forward (see addr_words). */
    uint16_t sport = pk->sport, dport = pk->dport;
    if (f->ipproto != pk->ipproto) return 0;
    if (f->cli_port == sport && f->srv_port == dport &&
        addr_eq(&f->cli, &pk->src) && addr_eq(&f->srv, &pk->dst)) {
        *dir = 0;
        return 1;
    }
    if (f->cli_port == dport && f->srv_port == sport &&
        addr_eq(&f->cli, &pk->dst) && addr_eq(&f->srv, &pk->src)) {
        *dir = 1;
        return 1;
    }
    return 0;
}

mt_flow *mt_flowtable_find(mt_flowtable *t, const mt_packet *pk, int *dir)
{
    if (t->last && t->last->in_use && flow_matches(t->last, pk, dir)) return t->last;
    uint32_t h = key_hash(&pk->src, pk->sport, &pk->dst, pk->dport, pk->ipproto);
    for (uint32_t i = h & t->index_mask;; i = (i + 1) & t->index_mask) {
        if (!occupied(t, i)) return NULL;
        uint64_t v = t->index[i];
        if ((uint32_t)(v >> 32) != h) continue;
        mt_flow *f = &t->flows[(uint32_t)v - 1];
        if (flow_matches(f, pk, dir)) {
            t->last = f;
            return f;
        }
    }
}

static void lru_unlink(mt_flowtable *t, mt_flow *f)
{
    uint32_t me = (uint32_t)(f - t->flows) + 1;
    if (f->lru_prev) t->flows[f->lru_prev - 1].lru_next = f->lru_next;
    else if (t->lru_head == me) t->lru_head = f->lru_next;
    if (f->lru_next) t->flows[f->lru_next - 1].lru_prev = f->lru_prev;
    else if (t->lru_tail == me) t->lru_tail = f->lru_prev;
    f->lru_prev = f->lru_next = 0;
}

static void lru_push_head(mt_flowtable *t, mt_flow *f)
{
    uint32_t me = (uint32_t)(f - t->flows) + 1;
    f->lru_prev = 0;
    f->lru_next = t->lru_head;
    if (t->lru_head) t->flows[t->lru_head - 1].lru_prev = me;
    t->lru_head = me;
    if (!t->lru_tail) t->lru_tail = me;
}

void mt_flowtable_touch(mt_flowtable *t, mt_flow *f)
{
    uint32_t me = (uint32_t)(f - t->flows) + 1;
    if (t->lru_head == me) return;
    lru_unlink(t, f);
    lru_push_head(t, f);
}

mt_flow *mt_flowtable_insert(mt_flowtable *t, const mt_packet *pk, int src_is_client)
{
    if (t->n_free == 0) return NULL;
    uint32_t idx = t->free_list[--t->n_free];
    mt_flow *f = &t->flows[idx];
    if (idx >= t->high) {
        /* Never used: still zero from mt_big_calloc. Clearing it would
         * first load a cache-cold line (the parked extra pointer). */
        t->high = idx + 1;
    } else {
        mt_flow_extra *keep = f->extra; /* reuse an extra block if one is parked */
        memset(f, 0, sizeof *f);
        f->extra = keep;
        if (keep) memset(keep, 0, sizeof *keep);
    }
    f->in_use = 1;
    f->ipproto = pk->ipproto;
    if (src_is_client) {
        addr_copy(&f->cli, &pk->src); addr_copy(&f->srv, &pk->dst);
        f->cli_port = pk->sport; f->srv_port = pk->dport;
    } else {
        addr_copy(&f->cli, &pk->dst); addr_copy(&f->srv, &pk->src);
        f->cli_port = pk->dport; f->srv_port = pk->sport;
    }
    f->hash = key_hash(&pk->src, pk->sport, &pk->dst, pk->dport, pk->ipproto);
    uint32_t i = f->hash & t->index_mask;
    while (occupied(t, i)) i = (i + 1) & t->index_mask;
    t->index[i] = (uint64_t)f->hash << 32 | (idx + 1);
    occ_set(t, i);
    lru_push_head(t, f);
    t->count++;
    return f;
}

static void index_delete(mt_flowtable *t, uint32_t idx, uint32_t hash)
{
    uint32_t i = hash & t->index_mask;
    while ((uint32_t)t->index[i] != idx + 1) i = (i + 1) & t->index_mask;
    /* Backward-shift deletion keeps probe chains intact without tombstones. */
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & t->index_mask;
        if (!occupied(t, j)) break;
        uint64_t v = t->index[j];
        uint32_t home = (uint32_t)(v >> 32) & t->index_mask;
        /* Move v into the hole at i if its home is not in (i, j]. */
        int in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_range) {
            t->index[i] = v;
            i = j;
        }
    }
    t->index[i] = 0;
    occ_clear(t, i);
}

void mt_flowtable_remove(mt_flowtable *t, mt_flow *f)
{
    uint32_t idx = (uint32_t)(f - t->flows);
    if (!t->draining) index_delete(t, idx, f->hash);
    lru_unlink(t, f);
    f->in_use = 0;
    if (t->last == f) t->last = NULL;
    t->free_list[t->n_free++] = idx;
    t->count--;
}

void mt_flowtable_drain_begin(mt_flowtable *t) { t->draining = 1; }

void mt_flowtable_drain_end(mt_flowtable *t)
{
    if (!t->draining) return;
    t->draining = 0;
    /* Removals skipped the index: clearing the occupancy bitmap empties it
     * (cheaper than the random writes, one cache miss per flow, of keeping
     * it exact). Index slots whose bit is clear are never read, so their
     * stale values need no zeroing, and no fresh index memory is faulted
     * in at the end of a capture. */
    size_t cap = (size_t)t->index_mask + 1;
    memset(t->occ, 0, (cap + 63) / 64 * sizeof *t->occ);
    for (uint32_t i = 0; i < t->high; i++)
        if (t->flows[i].in_use) {
            uint32_t j = t->flows[i].hash & t->index_mask;
            while (occupied(t, j)) j = (j + 1) & t->index_mask;
            t->index[j] = (uint64_t)t->flows[i].hash << 32 | (i + 1);
            occ_set(t, j);
        }
    t->last = NULL;
}

mt_flow *mt_flowtable_oldest(mt_flowtable *t)
{
    return t->lru_tail ? &t->flows[t->lru_tail - 1] : NULL;
}

mt_flow *mt_flowtable_newer(mt_flowtable *t, const mt_flow *f)
{
    return f->lru_prev ? &t->flows[f->lru_prev - 1] : NULL;
}

uint32_t mt_flowtable_count(const mt_flowtable *t) { return t->count; }
uint32_t mt_flowtable_capacity(const mt_flowtable *t) { return t->max; }
