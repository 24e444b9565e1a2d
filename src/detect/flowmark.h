/* Small bounded memories shared by the TLS, HTTP and WebSocket detectors to
 * report each thing once:
 *   - mt_flowmark: per flow, a bit mask of indicator kinds already reported
 *     on the event's UTC day (direct-mapped on the flow key; a collision
 *     evicts the older flow and is counted), cleared when the flow ends or
 *     the day changes;
 *   - mt_seenset: 64-bit fingerprints of (client, server, name) style keys,
 *     with a short probe window and counted eviction; the detectors key
 *     them per UTC day (mt_seenset_test_add_day), the period one finding
 *     counts (mt_finding_identity, docs/STORE.md).
 * Both are fixed util/hashmap tables allocated once at detector init. */
#ifndef MT_DETECT_FLOWMARK_H
#define MT_DETECT_FLOWMARK_H

#include "minetrace/event.h"

typedef struct mt_flowmark mt_flowmark;
mt_flowmark *mt_flowmark_new(size_t slots); /* slots: power of two */
void mt_flowmark_free(mt_flowmark *m);
/* Bits already reported for the event's flow (0 when none). */
uint32_t mt_flowmark_get(const mt_flowmark *m, const mt_event *ev);
void mt_flowmark_set(mt_flowmark *m, const mt_event *ev, uint32_t bits);
void mt_flowmark_drop(mt_flowmark *m, const mt_event *ev);
uint64_t mt_flowmark_evicted(const mt_flowmark *m);

typedef struct mt_seenset mt_seenset;
mt_seenset *mt_seenset_new(size_t slots); /* power of two */
void mt_seenset_free(mt_seenset *s);
/* 1 if h was seen before; otherwise remembers it and returns 0. */
int mt_seenset_test_add(mt_seenset *s, uint64_t h);
/* The same for h on the UTC day of ts: a host seen again the next day is
 * reported again. */
int mt_seenset_test_add_day(mt_seenset *s, uint64_t h, mt_time_us ts);
/* Fingerprints forgotten to make room (the window of 8 slots was full). */
uint64_t mt_seenset_evicted(const mt_seenset *s);
/* scan -j (cli/workers.c): sets made on this thread after this call, until
 * it is called with NULL, do not answer themselves: test_add_day hands fn
 * the set's ordinal (0, 1, ... in the order made since the call), its size
 * and the day key, and returns 0 ("new"); the detector then emits its
 * finding as if first, and the worker set asks one set per ordinal
 * (mt_seenset_test_add with the key) in -j 1's order, dropping the finding
 * when the key was seen. Valid because every detector emits right after a
 * "new" answer and does nothing else on a "seen" one. */
typedef void (*mt_seenset_defer_fn)(void *ctx, unsigned ordinal, size_t slots, uint64_t key);
void mt_seenset_defer_new(mt_seenset_defer_fn fn, void *ctx);

/* The engine's memory of the identities it passed on (mt_finding_identity)
 * with the time of the earliest: 1 when h was passed on with a time before
 * ts (a later sighting: drop it); else remembers ts and returns 0, also for
 * a sighting at the same time or earlier than the one passed on (inputs
 * read out of time order), which the store then orders. Fixed size, window
 * of 8, counted eviction. */
typedef struct mt_firstset mt_firstset;
mt_firstset *mt_firstset_new(size_t slots); /* power of two */
void mt_firstset_free(mt_firstset *s);
int mt_firstset_later(mt_firstset *s, uint64_t h, mt_time_us ts);
uint64_t mt_firstset_evicted(const mt_firstset *s);

#endif
