/* DNS tie: remembers which name an address was resolved from (A/AAAA
 * answers, following CNAME chains), with the TTL, so that a later flow to
 * that address — TLS without SNI (XMRig sends none), or a raw TCP flow — is
 * attributed to the pool name. Bounded: when full, the oldest entry goes. */
#ifndef MT_DETECT_DNSTIE_H
#define MT_DETECT_DNSTIE_H

#include "minetrace/common.h"
#include "minetrace/intel.h"

typedef struct mt_dnstie mt_dnstie;

typedef struct mt_dnstie_entry {
    char name[128];        /* the name the client asked for (query name; names
                              longer than 127 bytes are kept cut: the weight and
                              category below were taken from the full name) */
    mt_time_us expires;    /* answer time + TTL (+ grace) */
    int weight;            /* intel weight of the name, 0 if not listed */
    mt_intel_category category; /* 0 if not listed */
} mt_dnstie_entry;

mt_dnstie *mt_dnstie_new(size_t max_entries);
void mt_dnstie_free(mt_dnstie *t);
/* Remember addr -> name, valid until `expires`. Replaces an older entry. */
void mt_dnstie_put(mt_dnstie *t, const mt_addr *addr, const char *name,
                   mt_time_us expires, int weight, mt_intel_category cat);
/* 1 and *out filled when a live entry exists at time `now`; else 0. */
int mt_dnstie_get(const mt_dnstie *t, const mt_addr *addr, mt_time_us now,
                  mt_dnstie_entry *out);
size_t mt_dnstie_size(const mt_dnstie *t);
/* scan -j (cli/workers.c): several workers share one tie, each reading
 * packets in capture order but some behind others. With an order set,
 * every put and get is numbered with the caller's packet (seq), runs
 * between enter and leave (which wait for the earlier DNS packets of other
 * workers and lock), and a get answers as the tie was at its packet: what
 * -j 1 would have answered there. A put that would drop a version some
 * worker behind may still need waits (wait_past, unlocked) until every
 * other worker is past it. oldest: the lowest packet another worker may
 * still be at. NULL turns it off (the default). */
typedef struct mt_dnstie_order {
    void *ctx;
    void (*enter)(void *ctx, int put);
    void (*leave)(void *ctx);
    uint64_t (*seq)(void *ctx);
    uint64_t (*oldest)(void *ctx);
    void (*wait_past)(void *ctx, uint64_t seq);
} mt_dnstie_order;
void mt_dnstie_set_order(mt_dnstie *t, const mt_dnstie_order *o);

#endif
