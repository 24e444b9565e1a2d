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

static inline uint64_t mt_le32_(const uint8_t *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24;
}

static inline uint64_t mt_le64_(const uint8_t *s) { return mt_le32_(s) | mt_le32_(s + 4) << 32; }

/* The tail: the last n % 8 bytes as a little-endian word, the definition
 * being the byte loop `v |= s[i] << 8 * i`. Its bytes are read by
 * overlapping loads instead (a byte read twice ORs into the same place):
 * the last 8 bytes of the input shifted down when the input has 8, else
 * two 4-byte or three 1-byte loads. Short strings (names, addresses,
 * ports) are most of what the tables hash. */
static inline uint64_t mt_hash_tail_(const uint8_t *s, size_t total, size_t n)
{
    if (n == 0) return 0;
    if (total >= 8) return mt_le64_(s + n - 8) >> (8 * (8 - n));
    if (n >= 4) return mt_le32_(s) | mt_le32_(s + n - 4) << (8 * (n - 4));
    return (uint64_t)s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) | (uint64_t)s[n - 1] << (8 * (n - 1));
}

static inline uint64_t mt_hash_bytes_inl(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *s = p;
    const size_t total = n;
    uint64_t h = seed ^ (MT_HASH_GOLDEN * (n + 1));
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = mt_mix64(h ^ v) + MT_HASH_GOLDEN;
        s += 8;
        n -= 8;
    }
    return mt_mix64(h ^ mt_hash_tail_(s, total, n) ^ ((uint64_t)n << 56));
}

/* mt_addr_hash: the 4 bytes of an IPv4 address, else all 16. */
static inline uint64_t mt_addr_hash_inl(const mt_addr *a, uint64_t seed)
{
    if (a->family == 4) return mt_hash_bytes_inl(a->b, 4, seed ^ a->family);
    return mt_hash_bytes_inl(a->b, 16, seed ^ a->family);
}

#endif
