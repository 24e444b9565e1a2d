/* The byte hash behind mt_hash_bytes and mt_addr_hash (include/minetrace/
 * common.h), inline, for the table lookups on the packet path: an address
 * or a flow key hashed with a size known where it is called compiles to a
 * few multiplies instead of a call and a byte loop. common.c defines the
 * out-of-line functions with these, so both give the same values. */
#ifndef MT_UTIL_HASH_H
#define MT_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "minetrace/common.h"

#define MT_HASH_GOLDEN 0x9e3779b97f4a7c15ULL

static inline uint64_t mt_hash_bytes_inl(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *s = p;
    uint64_t h = seed ^ (MT_HASH_GOLDEN * (n + 1));
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = mt_mix64(h ^ v) + MT_HASH_GOLDEN;
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)s[i] << (8 * i);
    return mt_mix64(h ^ v ^ ((uint64_t)n << 56));
}

/* mt_addr_hash: the 4 bytes of an IPv4 address, else all 16. */
static inline uint64_t mt_addr_hash_inl(const mt_addr *a, uint64_t seed)
{
    if (a->family == 4) return mt_hash_bytes_inl(a->b, 4, seed ^ a->family);
    return mt_hash_bytes_inl(a->b, 16, seed ^ a->family);
}

#endif
