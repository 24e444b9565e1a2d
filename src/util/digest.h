/* MD5 and SHA-256 through OpenSSL libcrypto (EVP), for the JA3 (MD5 of
 * the JA3 string) and JA4 (truncated SHA-256 of sorted lists)
 * fingerprints. Not for any security purpose.
 *
 * A context is created by mt_digest_init and released by
 * mt_digest_final, so every init must be followed by a final. Small
 * updates are gathered in the wrapper and handed to libcrypto a buffer at
 * a time: the fingerprints are fed piece by piece (a number, a comma),
 * and each EVP update is a call through libcrypto's dispatch. */
#ifndef MT_UTIL_DIGEST_H
#define MT_UTIL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

typedef enum mt_digest_alg { MT_DIGEST_MD5, MT_DIGEST_SHA256 } mt_digest_alg;

#define MT_MD5_LEN 16
#define MT_SHA256_LEN 32
#define MT_DIGEST_MAX 32

typedef struct mt_digest {
    struct evp_md_ctx_st *ctx; /* NULL once libcrypto refused: updates do nothing */
    size_t n;                  /* bytes gathered in buf */
    uint8_t buf[240];
} mt_digest;

/* MT_OK, or MT_ERR when libcrypto cannot provide the algorithm (e.g. MD5
 * under a FIPS-only configuration); the final then fails too. Aborts on
 * out of memory, like mt_xmalloc. */
int mt_digest_init(mt_digest *d, mt_digest_alg alg);
void mt_digest_update(mt_digest *d, const void *p, size_t n);
/* Writes the digest (MT_MD5_LEN or MT_SHA256_LEN bytes) to out and
 * releases the context. MT_OK or MT_ERR (out zero-filled to
 * MT_DIGEST_MAX bytes). */
int mt_digest_final(mt_digest *d, uint8_t out[MT_DIGEST_MAX]);
/* Length in bytes of the algorithm's digest. */
size_t mt_digest_len(mt_digest_alg alg);

/* One-shot digest as lower-case hex plus NUL (out holds 2 * len + 1
 * bytes). MT_OK, or MT_ERR with out = "". */
int mt_digest_hex(mt_digest_alg alg, const void *p, size_t n, char *out);

/* Base64 (RFC 4648, '+' '/', '=' padding) through libcrypto, for SSH key
 * blobs and their OpenSSH fingerprints: strict, unlike the website
 * scanner's lenient decoder for obfuscated scripts (web/unpack.h). Decode: n bytes of base64 with no
 * whitespace, a multiple of 4 long, into out; returns the decoded length
 * (padding removed) or -1 when the text is not base64 or out (cap bytes)
 * is too small (3 * n / 4 bytes always suffice). Encode: n bytes into out
 * as text plus NUL, without the '=' padding when nopad; returns the text
 * length or -1 when cap (4 * ((n + 2) / 3) + 1 bytes suffice) is short. */
long mt_b64_decode(const char *in, size_t n, uint8_t *out, size_t cap);
long mt_b64_encode(const void *in, size_t n, int nopad, char *out, size_t cap);

#endif
