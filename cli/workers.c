/* scan -j N: the worker set (workers.h says what and why).
 *
 * Why the DNS tie answers as with -j 1. Packets are numbered in read order
 * (seq). Worker 0 is the reader: it processes its packet k before reading
 * k+1, so when packet q is pushed to a worker, every worker-0 packet before
 * q is done, and the push's release makes that visible to the worker that
 * pops q. Each worker processes its own packets in seq order. A tie
 * operation is numbered with the packet being processed. Puts come only
 * from DNS packets (UDP or TCP with port 53 either side: the pipeline's
 * udp_dns and the DNS-over-TCP framer's port rule); UDP DNS, which needs no
 * flow entry, all goes to worker 0.
 *   - Every operation numbered s first waits until no other worker holds a
 *     DNS packet before s (wait_dns_before: the last DNS packet pushed to
 *     that worker is done, or, when one after s was pushed, all its packets
 *     before s are). With UDP DNS on worker 0 this almost never waits. So
 *     every put numbered below s is done, and puts run in seq order.
 *   - Puts numbered after s may be done too (a worker behind the reader).
 *     The tie keeps, per slot, the previous version and when each was put,
 *     and a get numbered s reads the version of its packet
 *     (mt_dnstie_set_order). A put that would drop a version a worker
 *     behind might still read waits, unlocked, until the others are past it
 *     (the same slot written twice within the workers' distance).
 *   - Operations run under one mutex (the tie is a plain hash map).
 * Deadlock: a worker waits only for packets numbered below the one it
 * holds; the worker holding the lowest unprocessed packet never waits. At
 * the end (flows ended, detectors flushed: numbered after every packet)
 * each worker first waits until every ring is empty.
 *
 * Findings: each worker appends copies under its own mutex (findings are
 * rare), keyed (phase, packet seq or ended flow's last packet, worker,
 * order), with the detectors' seen-set questions in the same list; the
 * reader passes them on below the lowest packet any worker may still be
 * processing, and all at the end. */
#include "workers.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/decode.h"
#include "detect/dnstie.h"
#include "detect/flowmark.h"
#include "util/hash.h"

#define RING_BYTES (1u << 20) /* per worker; ~1500 full-size frames */
#define RING_MASK (RING_BYTES - 1)
#define REC_ALIGN 64u
#define DRAIN_EVERY 16384u
enum { REC_PACKET, REC_WRAP, REC_TICK, REC_PACKET_AT, REC_WALK };
/* A REC_WALK record's seq carries this bit: the worker is walking the
 * mapped file itself, and its progress is its `pos`, not the record's. */
#define WALK_BIT (1ULL << 63)
#define TICK_SLOTS 1024u /* ticks a worker may be ahead of another: one ring's records / 64, well under */

/* A worker's view of its table at one idle tick: its up to 4 oldest flows. */
typedef struct tick_pub {
    _Atomic uint64_t id;
    _Atomic uint64_t seq[4];
    _Atomic uint8_t idle[4];
    _Atomic uint32_t n;
} tick_pub;   /* packets between passes over pending findings */

typedef struct rec_hdr {
    _Atomic uint64_t seq;  /* read by other workers waiting (relaxed) */
    mt_time_us ts;
    uint32_t caplen, wirelen;
    int32_t linktype;
    uint32_t size;         /* bytes of the record, header included */
    uint32_t kind;         /* REC_PACKET (data follows), REC_PACKET_AT (data at `at`, in the
                              mapped file), REC_WRAP (filler to the ring's end), REC_TICK */
    const uint8_t *at;
} rec_hdr;

/* A mapped file every worker walks (mt_workers_walk). */
typedef struct walkjob {
    mt_source_walk *sw;
    uint64_t start;                 /* number of its first packet */
    uint64_t dns0[MT_WORKERS_MAX];  /* each worker's dns_pushed before it */
    _Atomic unsigned done;          /* workers 1..N-1 that have finished it */
} walkjob;

typedef struct fnd {
    uint32_t phase;        /* 0 packets, 1 flows ended at the end, 2 detector flush */
    uint32_t worker;
    uint8_t check;         /* a deferred "reported today?" question, not a finding */
    uint8_t gated;         /* a finding that follows such a question */
    uint16_t ordinal;      /* check: which detector's set (mt_seenset_defer_new) */
    uint32_t slots;        /* check: that set's size */
    uint64_t seen_key;
    uint64_t key2;         /* idle expiry at a tick: the ended flow's last packet; else max */
    uint64_t key;          /* phase 0: packet seq; 1: the ended flow's last packet; 2: time */
    uint64_t sub;          /* order of emission within the worker */
    mt_finding f;
} fnd;

typedef struct wk {
    /* consumer side (the worker thread) */
    _Alignas(64) _Atomic uint64_t head; /* bytes consumed: advanced after a packet is done */
    _Atomic uint64_t done;              /* seq of the last packet done, +1 (0: none) */
    _Atomic uint64_t tick_done;         /* the last idle tick published */
    _Atomic uint64_t pos;               /* walking: every packet below this is done */
    uint64_t tail_seen;
    /* producer side (the reader) */
    _Alignas(64) _Atomic uint64_t tail;
    _Atomic uint64_t dns_pushed;        /* seq+1 of the last DNS packet pushed (0: none) */
    uint64_t head_seen, tail_local;
    _Alignas(64) struct mt_workers *w;
    unsigned idx;
    uint8_t *ring;
    mt_engine *eng;
    mt_pipeline *pl;
    pthread_t th;
    int started;
    /* what the worker is doing, for the emit hook and the tie */
    uint64_t cur_seq;
    uint64_t end_seq;      /* at the end: last packet of the flow being ended */
    int phase;
    int gated;             /* a seen-set question was asked since the event began */
    int ticking;           /* ending idle flows at a tick */
    uint64_t tick_key;     /* ... the flow being ended's last packet */
    tick_pub *ticks;       /* TICK_SLOTS */
    uint64_t sub;
    /* walking a mapped file (walkers.c comment at mt_workers_walk) */
    int walking;
    uint64_t wseq;         /* number of the next packet of the walk */
    uint64_t wdns[MT_WORKERS_MAX]; /* per other worker: its last DNS packet before wseq, +1 */
    double cpu_s;          /* thread CPU time at its end (MT_JOBS_DEBUG) */
    unsigned long yields, sleeps; /* ... and its waits that gave the core up */
    pthread_mutex_t mu;    /* the finding list */
    fnd *fv;
    size_t nf, capf;
} wk;

struct mt_workers {
    unsigned n;
    wk *wk[MT_WORKERS_MAX];
    mt_engine *back;
    mt_dnstie *tie;
    uint64_t next_seq;       /* seq of the next packet read */
    uint32_t share0;         /* worker 0's share of the flows, of 2^32 */
    uint32_t wshare0;        /* ... when every worker walks the file */
    _Atomic int walking0;    /* worker 0 is walking: its progress is its pos */
    _Atomic int eof;
    unsigned spin;           /* pause_once's spin: SPIN_OWN_CORES when every thread has a core */
    int direct;              /* mt_workers_new_direct: no reader, no rings */
    pthread_mutex_t tie_mu;  /* the tie after the last packet */
    fnd *scratch;
    size_t nscratch, capscratch;
    mt_seenset *canon[16];   /* the detectors' seen sets, answered in order */
    uint8_t gate[MT_WORKERS_MAX]; /* the last answer per worker */
};

static _Thread_local wk *tl_self;

/* Waiting: a spin (the other side is usually a few packets away), then
 * give the core up: on a machine with fewer cores than busy threads a
 * spinning waiter takes the time of the thread it waits for. With a core
 * for every worker the spin is long (about a millisecond): the waits for
 * the tie's order are many and short, and a sleep of the shortest length
 * the kernel gives (about 100 us) cost -j 2 a tenth of its time on the
 * bench capture (bench/RESULTS.md). */
#define SPIN_SHARED 32u
#define SPIN_OWN_CORES 20000u
static _Thread_local unsigned long tl_yields, tl_sleeps; /* MT_JOBS_DEBUG */

static void pause_once(unsigned *spins)
{
    unsigned limit = tl_self ? tl_self->w->spin : SPIN_SHARED;
    if (++*spins < limit) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        return;
    }
    if (*spins < limit + 16) {
        tl_yields++;
        sched_yield();
        return;
    }
    tl_sleeps++;
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

/* ---- ordering the tie ------------------------------------------------ */

/* Lowest seq worker j may still process (UINT64_MAX: its ring is empty). */
static uint64_t lowest_pending(wk *j)
{
    for (;;) {
        uint64_t h = atomic_load_explicit(&j->head, memory_order_acquire);
        uint64_t t = atomic_load_explicit(&j->tail, memory_order_acquire);
        if (h == t) return UINT64_MAX;
        const rec_hdr *r = (const rec_hdr *)(j->ring + (h & RING_MASK));
        uint64_t s = atomic_load_explicit(&((rec_hdr *)r)->seq, memory_order_relaxed);
        uint64_t p = atomic_load_explicit(&j->pos, memory_order_acquire);
        if (atomic_load_explicit(&j->head, memory_order_acquire) == h) return s & WALK_BIT ? p : s;
    }
}

/* The same for any worker: worker 0 (the reader) is never behind the
 * others, except while it walks a file beside them. */
static uint64_t lowest_of(mt_workers *w, unsigned j)
{
    if (j == 0)
        return atomic_load_explicit(&w->walking0, memory_order_acquire)
                   ? atomic_load_explicit(&w->wk[0]->pos, memory_order_acquire)
                   : UINT64_MAX;
    return lowest_pending(w->wk[j]);
}

static void wait_before_of(mt_workers *w, unsigned j, uint64_t s)
{
    unsigned spins = 0;
    while (lowest_of(w, j) < s) pause_once(&spins);
}

static void wait_before(wk *j, uint64_t s) { wait_before_of(j->w, j->idx, s); }

static void wait_dns_before(wk *j, uint64_t s)
{
    uint64_t d = atomic_load_explicit(&j->dns_pushed, memory_order_acquire);
    if (!d) return;
    if (d - 1 >= s) { /* a DNS packet after s is queued there: wait for all before s */
        wait_before(j, s);
        return;
    }
    unsigned spins = 0;
    while (atomic_load_explicit(&j->done, memory_order_acquire) < d) pause_once(&spins);
}

static void tie_enter(void *ctx, int put)
{
    (void)put;
    mt_workers *w = ctx;
    wk *me = tl_self;
    if (me->phase || w->direct) {
        /* After the last packet every ring is empty (wk_main, finish);
         * direct feeding has no order to keep. */
        pthread_mutex_lock(&w->tie_mu);
        return;
    }
    if (me->walking) {
        /* A walker has seen every packet before its own, so it knows each
         * other worker's last DNS packet before it. */
        for (unsigned j = 0; j < w->n; j++)
            if (j != me->idx && me->wdns[j]) wait_before_of(w, j, me->wdns[j]);
    } else {
        for (unsigned j = 1; j < w->n; j++)
            if (j != me->idx) wait_dns_before(w->wk[j], me->cur_seq);
    }
    pthread_mutex_lock(&w->tie_mu);
}

static void tie_leave(void *ctx)
{
    mt_workers *w = ctx;
    pthread_mutex_unlock(&w->tie_mu);
}

static uint64_t tie_seq(void *ctx)
{
    mt_workers *w = ctx;
    if (w->direct) return 0; /* every get reads the newest version */
    return tl_self->phase ? UINT64_MAX : tl_self->cur_seq;
}

/* Worker 0 (the reader) is never behind another: it has done every packet
 * before the ones it handed out. */
static uint64_t tie_oldest(void *ctx)
{
    mt_workers *w = ctx;
    uint64_t m = UINT64_MAX;
    for (unsigned j = 0; j < w->n; j++) {
        if (j == tl_self->idx) continue;
        uint64_t l = lowest_of(w, j);
        if (l < m) m = l;
    }
    return m;
}

static void tie_wait_past(void *ctx, uint64_t seq)
{
    mt_workers *w = ctx;
    for (unsigned j = 0; j < w->n; j++)
        if (j != tl_self->idx) wait_before_of(w, j, seq + 1);
}

/* ---- findings ---------------------------------------------------------- */

/* The next item of the worker's list (under its lock). */
static fnd *wk_item(wk *me)
{
    if (me->nf == me->capf) {
        me->capf = me->capf ? me->capf * 2 : 64;
        me->fv = mt_xrealloc(me->fv, me->capf * sizeof *me->fv);
    }
    fnd *x = &me->fv[me->nf++];
    x->phase = (uint32_t)me->phase;
    x->worker = me->idx;
    x->key = me->phase == 0 ? me->cur_seq : me->phase == 1 ? me->end_seq : 0;
    x->sub = me->sub++;
    x->key2 = me->ticking ? me->tick_key : UINT64_MAX;
    x->check = x->gated = 0;
    return x;
}

static void wk_emit(void *ctx, const mt_finding *f)
{
    wk *me = ctx;
    pthread_mutex_lock(&me->mu);
    fnd *x = wk_item(me);
    x->gated = (uint8_t)me->gated;
    me->gated = 0;
    x->f = *f;
    pthread_mutex_unlock(&me->mu);
}

static void wk_seen(void *ctx, unsigned ordinal, size_t slots, uint64_t key)
{
    (void)ctx;
    wk *me = tl_self;
    pthread_mutex_lock(&me->mu);
    fnd *x = wk_item(me);
    x->check = 1;
    x->ordinal = (uint16_t)ordinal;
    x->slots = (uint32_t)slots;
    x->seen_key = key;
    me->gated = 1;
    pthread_mutex_unlock(&me->mu);
}

static void wk_event(void *ctx, const mt_event *ev)
{
    wk *me = ctx;
    if (me->phase == 1) me->end_seq = mt_pipeline_end_seq(me->pl);
    if (me->ticking) me->tick_key = mt_pipeline_end_seq(me->pl);
    me->gated = 0;
    mt_engine_event(me->eng, ev);
}

static int fnd_cmp(const void *a, const void *b)
{
    const fnd *x = a, *y = b;
    if (x->phase != y->phase) return x->phase < y->phase ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->key2 != y->key2) return x->key2 < y->key2 ? -1 : 1;
    if (x->worker != y->worker) return x->worker < y->worker ? -1 : 1;
    return x->sub < y->sub ? -1 : x->sub > y->sub;
}

/* Move worker findings of phase 0 with key below `bound` (all, when bound
 * is UINT64_MAX and all phases) to scratch, sort, pass on. */
static void pass_on(mt_workers *w, uint64_t bound, int all)
{
    w->nscratch = 0;
    for (unsigned i = 0; i < w->n; i++) {
        wk *k = w->wk[i];
        pthread_mutex_lock(&k->mu);
        size_t m = 0;
        if (all) m = k->nf;
        else
            while (m < k->nf && k->fv[m].phase == 0 && k->fv[m].key < bound) m++;
        if (m) {
            if (w->nscratch + m > w->capscratch) {
                w->capscratch = (w->nscratch + m) * 2;
                w->scratch = mt_xrealloc(w->scratch, w->capscratch * sizeof *w->scratch);
            }
            memcpy(w->scratch + w->nscratch, k->fv, m * sizeof *k->fv);
            w->nscratch += m;
            memmove(k->fv, k->fv + m, (k->nf - m) * sizeof *k->fv);
            k->nf -= m;
        }
        pthread_mutex_unlock(&k->mu);
    }
    if (!w->nscratch) return;
    qsort(w->scratch, w->nscratch, sizeof *w->scratch, fnd_cmp);
    for (size_t i = 0; i < w->nscratch; i++) {
        fnd *x = &w->scratch[i];
        if (x->check) {
            if (x->ordinal >= sizeof w->canon / sizeof *w->canon) abort(); /* detectors make 3 */
            mt_seenset **c = &w->canon[x->ordinal];
            if (!*c) *c = mt_seenset_new(x->slots);
            w->gate[x->worker] = (uint8_t)mt_seenset_test_add(*c, x->seen_key);
            continue;
        }
        if (x->gated && w->gate[x->worker]) continue; /* -j 1's detector would not have emitted */
        mt_engine_emit_back(w->back, &x->f);
    }
    w->nscratch = 0;
}

void mt_workers_drain(mt_workers *w)
{
    if (w->direct) {
        pass_on(w, UINT64_MAX, 0);
        return;
    }
    /* worker 0 is done with everything read, or walked */
    uint64_t bound = w->wk[0]->walking ? w->wk[0]->wseq : w->next_seq;
    for (unsigned j = 1; j < w->n; j++) {
        uint64_t l = lowest_of(w, j);
        if (l < bound) bound = l;
    }
    pass_on(w, bound, 0);
}

/* ---- idle ticks -------------------------------------------------------- */

/* -j 1 looks, before every 64th packet that decodes, at its least recently
 * active flows and ends up to 4 of them while they are idle, oldest first.
 * Here each worker publishes its own 4 oldest at that point of its packets;
 * one whose oldest is idle merges every worker's (waiting for the others
 * to reach the tick: only then) and ends its share of the idle prefix.
 * Findings of those ends sort by the flow's last packet, as -j 1 ends them. */
static void do_tick(wk *me, uint64_t seq, mt_time_us ts)
{
    mt_workers *w = me->w;
    uint64_t t = (seq + 1) >> 6;
    uint64_t sq[4];
    uint8_t id[4];
    unsigned n = mt_pipeline_idle_head(me->pl, ts, sq, id);
    tick_pub *p = &me->ticks[t % TICK_SLOTS];
    if (me->walking) {
        /* Walkers are not held together by a ring: stay within half the
         * slots of every other worker, so none reads a slot rewritten. */
        for (unsigned j = 0; j < w->n; j++) {
            if (j == me->idx) continue;
            unsigned spins = 0;
            while (atomic_load_explicit(&w->wk[j]->tick_done, memory_order_acquire) + TICK_SLOTS / 2 < t)
                pause_once(&spins);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        atomic_store_explicit(&p->seq[i], sq[i], memory_order_relaxed);
        atomic_store_explicit(&p->idle[i], id[i], memory_order_relaxed);
    }
    atomic_store_explicit(&p->n, n, memory_order_relaxed);
    atomic_store_explicit(&p->id, t, memory_order_relaxed);
    atomic_store_explicit(&me->tick_done, t, memory_order_release);
    if (n == 0 || !id[0]) return;
    uint64_t es[4 * MT_WORKERS_MAX];
    uint8_t ei[4 * MT_WORKERS_MAX], eo[4 * MT_WORKERS_MAX];
    unsigned m = 0;
    for (unsigned j = 0; j < w->n; j++) {
        wk *k = w->wk[j];
        if (k != me) {
            unsigned spins = 0;
            while (atomic_load_explicit(&k->tick_done, memory_order_acquire) < t) pause_once(&spins);
        }
        const tick_pub *q = &k->ticks[t % TICK_SLOTS];
        if (atomic_load_explicit(&q->id, memory_order_relaxed) != t) abort(); /* TICK_SLOTS too small */
        unsigned qn = atomic_load_explicit(&q->n, memory_order_relaxed);
        for (unsigned i = 0; i < qn; i++) {
            uint64_t v = atomic_load_explicit(&q->seq[i], memory_order_relaxed);
            uint8_t vi = atomic_load_explicit(&q->idle[i], memory_order_relaxed);
            unsigned at = m++;
            while (at && es[at - 1] > v) { /* insertion: at most 4 per worker */
                es[at] = es[at - 1];
                ei[at] = ei[at - 1];
                eo[at] = eo[at - 1];
                at--;
            }
            es[at] = v;
            ei[at] = vi;
            eo[at] = (uint8_t)j;
        }
    }
    unsigned mine = 0;
    for (unsigned i = 0; i < 4 && i < m && ei[i]; i++)
        if (eo[i] == me->idx) mine++;
    me->ticking = 1;
    mt_pipeline_expire_oldest(me->pl, mine);
    me->ticking = 0;
}

/* ---- the worker of a packet ---------------------------------------------- */

static uint64_t side_hash(const mt_addr *a, uint16_t port)
{
    return mt_addr_hash_inl(a, 0x6a6f6273ULL + port) * 0x9e3779b97f4a7c15ULL;
}

/* UDP DNS has no flow entry: worker 0 takes it (and what does not decode).
 * Everything else by the flow's addresses and ports, the same both ways;
 * worker 0 gets the share `share0` of 2^32. */
static unsigned owner_of(const mt_workers *w, const mt_packet *pk, int dns, uint32_t share0)
{
    if (dns && pk->ipproto == 17) return 0;
    uint64_t h = side_hash(&pk->src, pk->sport) + side_hash(&pk->dst, pk->dport) + pk->ipproto;
    h ^= h >> 29;
    if ((uint32_t)(h >> 32) < share0) return 0;
    return 1 + (unsigned)(((h & 0xffffffffu) * (w->n - 1)) >> 32);
}

static int is_dns(const mt_packet *pk)
{
    return (pk->ipproto == 6 || pk->ipproto == 17) && (pk->sport == 53 || pk->dport == 53);
}

/* ---- walking a mapped file ------------------------------------------------
 *
 * A classic pcap file is mapped whole; rather than have one thread read,
 * decode, hash and hand over every packet (as much work as processing
 * it), every worker walks the whole map itself, decodes each packet to
 * find its worker, and processes its own. They number the packets alike
 * (the source gives every walker the same packets), tick at the same
 * packets, and are each other's "ring": a walker's `pos` says which
 * packets it is done with, and, having seen every packet before its own,
 * it knows every other worker's last DNS packet before it (wdns), which
 * is all the tie's order needs (the proof at the top holds with "pushed"
 * read as "walked past"). Worker 0 takes part and is the lead (counts,
 * progress, ticks, draining findings); the others get a REC_WALK record
 * in their ring, after whatever was pushed before. */

static void push(wk *k, uint32_t kind, uint64_t seq, int linktype, mt_time_us ts,
                 const uint8_t *data, uint32_t caplen, uint32_t wirelen);

static void walk_begin(wk *me, const walkjob *job)
{
    me->walking = 1;
    me->wseq = job->start;
    for (unsigned j = 0; j < me->w->n; j++)
        me->wdns[j] = j && j != me->idx ? job->dns0[j] : 0;
}

static void walk_end(wk *me)
{
    /* It has done every packet of the walk; what follows is numbered later. */
    atomic_store_explicit(&me->pos, me->wseq, memory_order_release);
    me->walking = 0;
}

static void walk_packet(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                        uint32_t caplen, uint32_t wirelen)
{
    wk *me = ctx;
    mt_workers *w = me->w;
    uint64_t seq = me->wseq++;
    mt_packet pk;
    mt_decode_result r = mt_decode_packet(linktype, data, caplen, &pk);
    unsigned to = 0;
    int dns = 0;
    if (r == MT_DEC_OK) {
        if (((seq + 1) & 63) == 0) { /* as dispatch does */
            me->cur_seq = seq;
            mt_pipeline_set_seq(me->pl, seq);
            do_tick(me, seq, ts);
        }
        dns = is_dns(&pk);
        to = owner_of(w, &pk, dns, w->wshare0);
    }
    if (to == me->idx) {
        me->cur_seq = seq;
        mt_pipeline_set_seq(me->pl, seq);
        mt_pipeline_decoded(me->pl, r, &pk, ts, wirelen);
    } else if (dns) {
        me->wdns[to] = seq + 1;
    }
    atomic_store_explicit(&me->pos, seq + 1, memory_order_release);
    if (me->idx == 0 && ((seq + 1) & (DRAIN_EVERY - 1)) == 0) mt_workers_drain(w);
}

void mt_workers_walk(void *ctx, mt_source_walk *sw)
{
    mt_workers *w = ctx;
    wk *me = w->wk[0];
    walkjob job;
    job.sw = sw;
    job.start = w->next_seq;
    atomic_init(&job.done, 0);
    job.dns0[0] = 0; /* worker 0 has done every packet before the walk */
    for (unsigned j = 1; j < w->n; j++) {
        job.dns0[j] = atomic_load_explicit(&w->wk[j]->dns_pushed, memory_order_relaxed);
        atomic_store_explicit(&w->wk[j]->pos, job.start, memory_order_relaxed);
    }
    atomic_store_explicit(&me->pos, job.start, memory_order_relaxed);
    atomic_store_explicit(&w->walking0, 1, memory_order_release);
    for (unsigned j = 1; j < w->n; j++)
        push(w->wk[j], REC_WALK, job.start | WALK_BIT, 0, 0, (const uint8_t *)&job, 0, 0);
    walk_begin(me, &job);
    mt_source_walk_run(sw, walk_packet, me, 1);
    uint64_t end = me->wseq;
    walk_end(me);
    atomic_store_explicit(&me->pos, UINT64_MAX, memory_order_release);
    unsigned spins = 0;
    while (atomic_load_explicit(&job.done, memory_order_acquire) < w->n - 1) pause_once(&spins);
    w->next_seq = end;
    atomic_store_explicit(&w->walking0, 0, memory_order_release);
}

/* ---- workers ------------------------------------------------------------ */

static void *wk_main(void *arg)
{
    wk *me = arg;
    mt_workers *w = me->w;
    tl_self = me;
    uint64_t head = atomic_load_explicit(&me->head, memory_order_relaxed);
    unsigned spins = 0;
    for (;;) {
        if (head == me->tail_seen) {
            me->tail_seen = atomic_load_explicit(&me->tail, memory_order_acquire);
            if (head == me->tail_seen) {
                if (atomic_load_explicit(&w->eof, memory_order_acquire)) {
                    me->tail_seen = atomic_load_explicit(&me->tail, memory_order_acquire);
                    if (head == me->tail_seen) break;
                    continue;
                }
                pause_once(&spins);
                continue;
            }
        }
        spins = 0;
        const rec_hdr *r = (const rec_hdr *)(me->ring + (head & RING_MASK));
        if (r->kind == REC_PACKET || r->kind == REC_PACKET_AT) {
            me->cur_seq = atomic_load_explicit(&((rec_hdr *)r)->seq, memory_order_relaxed);
            mt_pipeline_set_seq(me->pl, me->cur_seq);
            mt_pipeline_packet(me->pl, r->linktype, r->ts,
                               r->kind == REC_PACKET ? (const uint8_t *)(r + 1) : r->at, r->caplen,
                               r->wirelen);
            atomic_store_explicit(&me->done, me->cur_seq + 1, memory_order_release);
        } else if (r->kind == REC_WALK) {
            walkjob *job = (walkjob *)r->at;
            walk_begin(me, job);
            mt_source_walk_run(job->sw, walk_packet, me, 0);
            walk_end(me);
            head += r->size;
            atomic_store_explicit(&me->head, head, memory_order_release);
            atomic_fetch_add_explicit(&job->done, 1, memory_order_release);
            continue;
        } else if (r->kind == REC_TICK) {
            /* not "done": the tick's packet may still follow here */
            me->cur_seq = atomic_load_explicit(&((rec_hdr *)r)->seq, memory_order_relaxed);
            mt_pipeline_set_seq(me->pl, me->cur_seq);
            do_tick(me, me->cur_seq, r->ts);
        }
        head += r->size;
        atomic_store_explicit(&me->head, head, memory_order_release);
    }
    /* The end: numbered after every packet; wait until no worker holds one. */
    for (unsigned j = 1; j < w->n; j++)
        if (j != me->idx) wait_before(w->wk[j], UINT64_MAX);
    me->phase = 1;
    mt_pipeline_finish(me->pl);
    me->phase = 2;
    mt_engine_flush_detectors(me->eng);
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) me->cpu_s = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    me->yields = tl_yields;
    me->sleeps = tl_sleeps;
    return NULL;
}

static void push(wk *k, uint32_t kind, uint64_t seq, int linktype, mt_time_us ts,
                 const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    uint32_t held = kind == REC_PACKET ? caplen : 0;
    uint32_t size = (uint32_t)((sizeof(rec_hdr) + held + REC_ALIGN - 1) & ~(uint64_t)(REC_ALIGN - 1));
    uint64_t t = k->tail_local;
    uint32_t off = (uint32_t)(t & RING_MASK);
    uint32_t pad = off + size > RING_BYTES ? RING_BYTES - off : 0;
    unsigned spins = 0;
    while (t + pad + size - k->head_seen > RING_BYTES) {
        k->head_seen = atomic_load_explicit(&k->head, memory_order_acquire);
        if (t + pad + size - k->head_seen <= RING_BYTES) break;
        pause_once(&spins);
    }
    if (pad) {
        rec_hdr *f = (rec_hdr *)(k->ring + off);
        atomic_store_explicit(&f->seq, seq, memory_order_relaxed);
        f->size = pad;
        f->kind = REC_WRAP;
        t += pad;
        off = 0;
    }
    rec_hdr *r = (rec_hdr *)(k->ring + off);
    atomic_store_explicit(&r->seq, seq, memory_order_relaxed);
    r->ts = ts;
    r->caplen = caplen;
    r->wirelen = wirelen;
    r->linktype = linktype;
    r->size = size;
    r->kind = kind;
    r->at = data;
    if (held) memcpy(r + 1, data, held);
    k->tail_local = t + size;
    atomic_store_explicit(&k->tail, k->tail_local, memory_order_release);
}

static void dispatch(mt_workers *w, uint32_t kind, int linktype, mt_time_us ts,
                     const uint8_t *data, uint32_t caplen, uint32_t wirelen);

void mt_workers_packet(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                       uint32_t caplen, uint32_t wirelen)
{
    dispatch(ctx, REC_PACKET, linktype, ts, data, caplen, wirelen);
}

void mt_workers_packet_mapped(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                              uint32_t caplen, uint32_t wirelen)
{
    dispatch(ctx, REC_PACKET_AT, linktype, ts, data, caplen, wirelen);
}

void mt_workers_release(void *ctx)
{
    mt_workers *w = ctx;
    for (unsigned j = 1; j < w->n; j++) wait_before(w->wk[j], UINT64_MAX);
}

static void dispatch(mt_workers *w, uint32_t kind, int linktype, mt_time_us ts,
                     const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    uint64_t seq = w->next_seq;
    mt_packet pk;
    unsigned to = 0;
    int dns = 0;
    mt_decode_result r = mt_decode_packet(linktype, data, caplen, &pk);
    if (r == MT_DEC_OK) {
        /* -j 1 looks for idle flows before every 64th packet that decodes:
         * every worker does, in its place among the packets. */
        if (((seq + 1) & 63) == 0) {
            for (unsigned j = 1; j < w->n; j++) push(w->wk[j], REC_TICK, seq, 0, ts, NULL, 0, 0);
            wk *me = w->wk[0];
            me->cur_seq = seq;
            mt_pipeline_set_seq(me->pl, seq);
            do_tick(me, seq, ts);
        }
        dns = is_dns(&pk);
        to = owner_of(w, &pk, dns, w->share0);
    }
    if (to == 0) {
        wk *me = w->wk[0];
        me->cur_seq = seq;
        mt_pipeline_set_seq(me->pl, seq);
        mt_pipeline_decoded(me->pl, r, &pk, ts, wirelen);
    } else {
        wk *k = w->wk[to];
        if (dns) atomic_store_explicit(&k->dns_pushed, seq + 1, memory_order_relaxed);
        push(k, kind, seq, linktype, ts, data, caplen, wirelen);
    }
    w->next_seq = seq + 1;
    if ((w->next_seq & (DRAIN_EVERY - 1)) == 0) mt_workers_drain(w);
}

static wk *wk_new(mt_workers *w, unsigned idx, const mt_engine_config *ec,
                  const mt_pipeline_config *pc)
{
    wk *k;
    if (posix_memalign((void **)&k, 64, sizeof *k) != 0) abort();
    memset(k, 0, sizeof *k);
    k->w = w;
    k->idx = idx;
    pthread_mutex_init(&k->mu, NULL);
    k->ticks = mt_xcalloc(TICK_SLOTS, sizeof *k->ticks);
    mt_seenset_defer_new(wk_seen, w);
    k->eng = mt_engine_new(mt_engine_intel(w->back), ec);
    mt_seenset_defer_new(NULL, NULL);
    if (!k->eng) {
        pthread_mutex_destroy(&k->mu);
        free(k->ticks);
        free(k);
        return NULL;
    }
    mt_engine_borrow_dnstie(k->eng, w->tie);
    mt_engine_set_emit_hook(k->eng, wk_emit, k);
    k->pl = mt_pipeline_new((mt_event_sink){wk_event, k}, mt_engine_intel(w->back), pc);
    if (!w->direct) mt_pipeline_set_expiry_ticks(k->pl, 1);
    if (idx && !w->direct) {
        if (posix_memalign((void **)&k->ring, 4096, RING_BYTES) != 0) abort();
    }
    return k;
}

static void wk_free(wk *k)
{
    if (!k) return;
    mt_pipeline_free(k->pl);
    mt_engine_free(k->eng);
    pthread_mutex_destroy(&k->mu);
    free(k->fv);
    free(k->ticks);
    free(k->ring);
    free(k);
}

static mt_workers *workers_new(unsigned n, int direct, mt_engine *back,
                               const mt_engine_config *ec, const mt_pipeline_config *pc);

mt_workers *mt_workers_new(unsigned n, mt_engine *back, const mt_engine_config *ec,
                           const mt_pipeline_config *pc)
{
    return workers_new(n, 0, back, ec, pc);
}

mt_workers *mt_workers_new_direct(unsigned n, mt_engine *back, const mt_engine_config *ec,
                                  const mt_pipeline_config *pc)
{
    return workers_new(n, 1, back, ec, pc);
}

void mt_workers_direct_packet(mt_workers *w, unsigned i, int linktype, mt_time_us ts,
                              const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    wk *me = w->wk[i];
    tl_self = me;
    me->cur_seq = (uint64_t)ts; /* findings are ordered by time at each drain */
    mt_pipeline_set_seq(me->pl, me->cur_seq);
    mt_pipeline_packet(me->pl, linktype, ts, data, caplen, wirelen);
}

/* CPUs this process may run on (its affinity mask, as taskset sets it). */
static unsigned cores_usable(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return (unsigned)CPU_COUNT(&set);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static mt_workers *workers_new(unsigned n, int direct, mt_engine *back,
                               const mt_engine_config *ec, const mt_pipeline_config *pc)
{
    if (n < (direct ? 1u : 2u) || n > MT_WORKERS_MAX) {
        mt_error_set(MT_EINVAL, "-j: %u workers (2..%d)", n, MT_WORKERS_MAX);
        return NULL;
    }
    mt_workers *w = mt_xcalloc(1, sizeof *w);
    w->n = n;
    w->direct = direct;
    w->back = back;
    w->tie = mt_engine_dnstie(back);
    /* The reader also reads, decodes once more, hashes and copies every
     * packet: it takes a smaller share of the flows (MT_JOBS_SHARE0). */
    double share = 0.2 / n;
    const char *env = getenv("MT_JOBS_SHARE0");
    if (env) share = atof(env);
    w->share0 = share <= 0 ? 0 : share >= 1 ? UINT32_MAX : (uint32_t)(share * 4294967296.0);
    /* Walking, worker 0 also passes the findings on and writes them
     * (about a sixth of the work on the bench capture). */
    share = 0.7 / n;
    env = getenv("MT_JOBS_WALKSHARE0");
    if (env) share = atof(env);
    w->wshare0 = share <= 0 ? 0 : share >= 1 ? UINT32_MAX : (uint32_t)(share * 4294967296.0);
    w->spin = n <= cores_usable() ? SPIN_OWN_CORES : SPIN_SHARED;
    env = getenv("MT_JOBS_SPIN");
    if (env) w->spin = (unsigned)strtoul(env, NULL, 10);
    pthread_mutex_init(&w->tie_mu, NULL);
    for (unsigned i = 0; i < n; i++) {
        w->wk[i] = wk_new(w, i, ec, pc);
        if (!w->wk[i]) {
            mt_workers_free(w);
            return NULL;
        }
    }
    mt_dnstie_set_order(w->tie, &(mt_dnstie_order){w, tie_enter, tie_leave, tie_seq, tie_oldest,
                                                   tie_wait_past});
    tl_self = w->wk[0];
    for (unsigned i = 1; i < n && !direct; i++) {
        int rc = pthread_create(&w->wk[i]->th, NULL, wk_main, w->wk[i]);
        if (rc != 0) {
            mt_error_set(MT_ERR, "-j: cannot start a worker thread: %s", strerror(rc));
            mt_workers_finish(w);
            mt_workers_free(w);
            return NULL;
        }
        w->wk[i]->started = 1;
    }
    return w;
}

void mt_workers_finish(mt_workers *w)
{
    if (atomic_load(&w->eof)) return;
    atomic_store_explicit(&w->eof, 1, memory_order_release);
    if (w->direct) {
        pass_on(w, UINT64_MAX, 0);
        for (unsigned i = 0; i < w->n; i++) {
            wk *k = w->wk[i];
            tl_self = k;
            k->phase = 1;
            mt_pipeline_finish(k->pl);
            k->phase = 2;
            mt_engine_flush_detectors(k->eng);
        }
        tl_self = w->wk[0];
        pass_on(w, UINT64_MAX, 1);
        return;
    }
    wk *me = w->wk[0];
    for (unsigned j = 1; j < w->n; j++) wait_before(w->wk[j], UINT64_MAX);
    /* Everything numbered below the end is with the workers' lists now. */
    mt_workers_drain(w);
    me->phase = 1;
    mt_pipeline_finish(me->pl);
    me->phase = 2;
    mt_engine_flush_detectors(me->eng);
    if (getenv("MT_JOBS_DEBUG")) {
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        fprintf(stderr, "jobs: reader cpu %.3f s, waits: %lu yields, %lu sleeps\n",
                ts.tv_sec + ts.tv_nsec / 1e9, tl_yields, tl_sleeps);
    }
    for (unsigned j = 1; j < w->n; j++)
        if (w->wk[j]->started) {
            pthread_join(w->wk[j]->th, NULL);
            w->wk[j]->started = 0;
        }
    pass_on(w, UINT64_MAX, 1);
    if (getenv("MT_JOBS_DEBUG"))
        for (unsigned j = 1; j < w->n; j++)
            fprintf(stderr, "jobs: worker %u cpu %.3f s, waits: %lu yields, %lu sleeps\n", j,
                    w->wk[j]->cpu_s, w->wk[j]->yields, w->wk[j]->sleeps);
}

unsigned mt_workers_count(const mt_workers *w) { return w->n; }
mt_pipeline *mt_workers_pipeline(mt_workers *w, unsigned i) { return i < w->n ? w->wk[i]->pl : NULL; }
mt_engine *mt_workers_engine(mt_workers *w, unsigned i) { return i < w->n ? w->wk[i]->eng : NULL; }

void mt_workers_add_stats(mt_workers *w, mt_pipeline *into)
{
    for (unsigned i = 0; i < w->n; i++) mt_pipeline_add_stats(into, w->wk[i]->pl);
}

void mt_workers_free(mt_workers *w)
{
    if (!w) return;
    mt_workers_finish(w);
    mt_dnstie_set_order(w->tie, NULL);
    if (tl_self && tl_self->w == w) tl_self = NULL;
    for (unsigned i = 0; i < w->n; i++) wk_free(w->wk[i]);
    pthread_mutex_destroy(&w->tie_mu);
    for (size_t i = 0; i < sizeof w->canon / sizeof *w->canon; i++) mt_seenset_free(w->canon[i]);
    free(w->scratch);
    free(w);
}
