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
/* scan -j: called from the calling thread before (end 0) and after (end 1)
 * every put (put 1) and get; the worker set waits there until no other
 * worker holds a packet before the caller's that could change the answer,
 * so the tie sees puts and gets in the order of -j 1 (cli/workers.c).
 * NULL: none (the default). */
void mt_dnstie_set_sync(mt_dnstie *t, void (*sync)(void *ctx, int put, int end), void *ctx);

#endif
