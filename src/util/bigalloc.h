/* Zeroed allocations for the big fixed tables (flow table, the DNS tie once
 * it outgrows its small map, the engine's identity set), backed by
 * transparent huge pages where the kernel offers them.
 *
 * These tables are allocated once at their bound and touched at random
 * (hash-indexed) as the run goes: with 4 KiB pages every first touch is a
 * page fault, tens of thousands per capture, and every lookup risks a TLB
 * miss. A 2 MiB-aligned anonymous mapping with MADV_HUGEPAGE takes one
 * fault per 2 MiB instead. Memory is still only committed where touched
 * (at 2 MiB granularity) and the bound is the same. Small requests, and
 * systems without madvise, fall back to calloc. */
#ifndef MT_UTIL_BIGALLOC_H
#define MT_UTIL_BIGALLOC_H

#include <stddef.h>

/* Zeroed memory of `bytes` bytes; exits on out-of-memory like mt_xcalloc. */
void *mt_big_calloc(size_t bytes);
/* Frees memory from mt_big_calloc; `bytes` must be the size asked for. */
void mt_big_free(void *p, size_t bytes);

#endif
