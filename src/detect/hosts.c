/* Host verdicts. A util/hashmap keyed by address, capped at `max` hosts
 * with a list in order of last activity for evicting the least recently
 * active one (hosts.h says what that loses); each host keeps a
 * few distinct values per attribute (bounded: a host talking to thousands of
 * pools keeps the first ones and counts the rest). The score combines the
 * findings' confidences as independent evidence: 1 - prod(1 - c_i).
 * Rendering the verdicts is the report layer's (report/hosts_render.c). */
#include "detect/hosts.h"

#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"
#include "util/hash.h"
#include "util/hashmap.h"

typedef mt_host_strset strset;

typedef struct host {
    mt_addr addr;
    mt_time_us first, last;
    uint64_t n_findings, n_precursor;
    double miss;           /* prod(1 - c_i) over mining findings */
    int precursor_victim;
    strset pools, wallets, families, kinds, agents;
    uint16_t ports[MT_HOST_PORTS_MAX];
    unsigned n_ports;
    struct host *newer, *older; /* activity list */
} host;

struct mt_hosts {
    mt_hmap map; /* mt_addr (mt_hmap_addr_key) -> host * */
    host *newest, *oldest;
    size_t max, peak;
    uint64_t evicted;
};

static uint64_t host_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    if (a.family == 0xff) a.family = 0; /* see get() */
    return mt_addr_hash_inl(&a, 0);
}

mt_hosts *mt_hosts_new(void)
{
    mt_hosts *h = mt_xcalloc(1, sizeof *h);
    mt_hmap_init(&h->map, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .val_size = sizeof(host *),
                                          .capacity = 1024, .hash = host_hash});
    h->max = MT_HOSTS_MAX_DEFAULT;
    return h;
}

static void set_free(strset *s)
{
    for (unsigned i = 0; i < s->n; i++) free(s->v[i]);
}

static host *host_at(const mt_hosts *h, size_t i)
{
    host *x;
    memcpy(&x, mt_hmap_val(&h->map, i), sizeof x);
    return x;
}

static void host_free(host *x)
{
    set_free(&x->pools); set_free(&x->wallets); set_free(&x->families);
    set_free(&x->kinds); set_free(&x->agents);
    free(x);
}

void mt_hosts_free(mt_hosts *h)
{
    if (!h) return;
    for (host *x = h->newest, *next; x; x = next) {
        next = x->older;
        host_free(x);
    }
    mt_hmap_free(&h->map);
    free(h);
}

static mt_addr host_key(const mt_addr *a)
{
    mt_addr key = mt_hmap_addr_key(a);
    /* A finding without an address (family 0) is a host too; its key must
     * not be the all-zero empty key. */
    if (key.family == 0) key.family = 0xff;
    return key;
}

static void unlink_host(mt_hosts *h, host *x)
{
    if (x->newer) x->newer->older = x->older; else h->newest = x->older;
    if (x->older) x->older->newer = x->newer; else h->oldest = x->newer;
    x->newer = x->older = NULL;
}

static void push_newest(mt_hosts *h, host *x)
{
    x->older = h->newest;
    x->newer = NULL;
    if (h->newest) h->newest->newer = x; else h->oldest = x;
    h->newest = x;
}

static void evict_oldest(mt_hosts *h)
{
    host *x = h->oldest;
    mt_addr key = host_key(&x->addr);
    size_t i = mt_hmap_find(&h->map, &key, mt_addr_hash_inl(&x->addr, 0));
    if (i != MT_HMAP_NONE) mt_hmap_remove(&h->map, i);
    unlink_host(h, x);
    host_free(x);
    h->evicted++;
}

void mt_hosts_set_max(mt_hosts *h, size_t max)
{
    h->max = max ? max : 1;
    while (mt_hmap_count(&h->map) > h->max) evict_oldest(h);
}

void mt_hosts_get_stats(const mt_hosts *h, mt_hosts_stats *out)
{
    out->count = mt_hmap_count(&h->map);
    out->peak = h->peak;
    out->max = h->max;
    out->evicted = h->evicted;
}

/* create = 1: find or make the host and mark it the most recently active. */
static host *get(mt_hosts *h, const mt_addr *a, int create)
{
    mt_addr key = host_key(a);
    uint64_t hv = mt_addr_hash_inl(a, 0);
    size_t i = mt_hmap_find(&h->map, &key, hv);
    if (i != MT_HMAP_NONE) {
        host *x = host_at(h, i);
        if (create && h->newest != x) {
            unlink_host(h, x);
            push_newest(h, x);
        }
        return x;
    }
    if (!create) return NULL;
    if (mt_hmap_count(&h->map) >= h->max) evict_oldest(h);
    int added;
    i = mt_hmap_put(&h->map, &key, hv, &added); /* a growing table: never NONE */
    host *x = mt_xcalloc(1, sizeof *x);
    x->addr = *a;
    x->miss = 1.0;
    memcpy(mt_hmap_val(&h->map, i), &x, sizeof x);
    push_newest(h, x);
    if (mt_hmap_count(&h->map) > h->peak) h->peak = mt_hmap_count(&h->map);
    return x;
}

static void set_add(strset *s, const char *v)
{
    if (!v || !v[0]) return;
    for (unsigned i = 0; i < s->n; i++) /* first byte first: one call per finding per set */
        if (s->v[i][0] == v[0] && strcmp(s->v[i], v) == 0) return;
    if (s->n == MT_HOST_SET_MAX) { s->overflow++; return; }
    s->v[s->n++] = mt_xstrdup(v);
}

void mt_hosts_add(mt_hosts *h, const mt_finding *f)
{
    host *x = get(h, &f->src, 1);
    if (x->n_findings + x->n_precursor == 0 || f->ts < x->first) x->first = f->ts;
    if (f->ts > x->last) x->last = f->ts;
    if (f->event_type && strcmp(f->event_type, MT_EVENT_PRECURSOR) == 0) {
        x->n_precursor++;
        set_add(&x->kinds, mt_finding_kind_str(f->kind));
        return;
    }
    x->n_findings++;
    int c = f->confidence < 0 ? 0 : f->confidence > 100 ? 100 : f->confidence;
    x->miss *= 1.0 - c / 100.0;
    set_add(&x->pools, f->pool[0] ? f->pool : NULL);
    set_add(&x->wallets, f->wallet);
    set_add(&x->families, f->family);
    set_add(&x->kinds, mt_finding_kind_str(f->kind));
    set_add(&x->agents, f->agent);
    if (f->dst_port) {
        unsigned i;
        for (i = 0; i < x->n_ports; i++) if (x->ports[i] == f->dst_port) break;
        if (i == x->n_ports && x->n_ports < MT_HOST_PORTS_MAX) x->ports[x->n_ports++] = f->dst_port;
    }
}

int mt_hosts_is_precursor_victim(const mt_hosts *h, const mt_addr *a)
{
    host *x = get((mt_hosts *)h, a, 0);
    return x && x->precursor_victim;
}

void mt_hosts_mark_precursor_victim(mt_hosts *h, const mt_addr *a)
{
    host *x = get(h, a, 1);
    x->precursor_victim = 1;
}

static int score(const host *x)
{
    if (x->n_findings == 0) return 0;
    int s = (int)((1.0 - x->miss) * 100.0 + 0.5);
    return s > 100 ? 100 : s;
}

/* Hosts sorted by score then address, so output is stable. */
static int cmp_host(const void *a, const void *b)
{
    const host *x = *(const host *const *)a, *y = *(const host *const *)b;
    int sx = score(x), sy = score(y);
    if (sx != sy) return sy - sx;
    if (x->addr.family != y->addr.family) return x->addr.family - y->addr.family;
    return memcmp(x->addr.b, y->addr.b, 16);
}

size_t mt_hosts_verdicts(const mt_hosts *h, int min_score, mt_host_verdict **out)
{
    host **v = mt_xcalloc(mt_hmap_count(&h->map) + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = mt_hmap_next(&h->map, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&h->map, i + 1)) {
        host *x = host_at(h, i);
        if (x->n_findings > 0 && score(x) >= min_score) v[k++] = x;
    }
    qsort(v, k, sizeof *v, cmp_host);
    mt_host_verdict *r = mt_xcalloc(k + 1, sizeof *r);
    for (size_t i = 0; i < k; i++) {
        const host *x = v[i];
        r[i] = (mt_host_verdict){
            .addr = x->addr, .first = x->first, .last = x->last, .score = score(x),
            .findings = x->n_findings, .precursor_findings = x->n_precursor,
            .pools = &x->pools, .wallets = &x->wallets, .families = &x->families,
            .kinds = &x->kinds, .agents = &x->agents, .ports = x->ports, .n_ports = x->n_ports,
        };
    }
    free(v);
    *out = r;
    return k;
}

