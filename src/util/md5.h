/* MD5 (RFC 1321), used only for JA3 fingerprints, which are defined as the
 * MD5 of the JA3 string. Not for any security purpose. Our own small
 * implementation so the core needs no crypto library. */
#ifndef MT_UTIL_MD5_H
#define MT_UTIL_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_md5 {
    uint32_t s[4];
    uint64_t total;    /* bytes fed so far */
    uint8_t blk[64];
    size_t used;       /* bytes pending in blk */
} mt_md5;

void mt_md5_init(mt_md5 *c);
void mt_md5_update(mt_md5 *c, const void *p, size_t n);
void mt_md5_final(mt_md5 *c, uint8_t out[16]);
/* One-shot digest as 32 lower-case hex characters plus NUL. */
void mt_md5_hex(const void *p, size_t n, char out[33]);

#endif
