/* SHA-256 (FIPS 180-4), used only for JA4 fingerprints, whose b and c parts
 * are truncated SHA-256 digests. Not for any security purpose. Our own small
 * implementation so the core needs no crypto library (same reason as md5.h). */
#ifndef MT_UTIL_SHA256_H
#define MT_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_sha256 {
    uint32_t h[8];
    uint64_t total;    /* bytes fed so far */
    uint8_t blk[64];
    size_t used;       /* bytes pending in blk */
} mt_sha256;

void mt_sha256_init(mt_sha256 *c);
void mt_sha256_update(mt_sha256 *c, const void *p, size_t n);
void mt_sha256_final(mt_sha256 *c, uint8_t out[32]);
/* One-shot digest as 64 lower-case hex characters plus NUL. */
void mt_sha256_hex(const void *p, size_t n, char out[65]);

#endif
