/* The digest wrapper over libcrypto's EVP interface; see digest.h. */
#include "util/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

size_t mt_digest_len(mt_digest_alg alg)
{
    return alg == MT_DIGEST_MD5 ? MT_MD5_LEN : MT_SHA256_LEN;
}

int mt_digest_init(mt_digest *d, mt_digest_alg alg)
{
    d->n = 0;
    /* Fingerprints need no configuration: without this, libcrypto's first
     * use reads openssl.cnf, and a system policy meant for security uses
     * (a FIPS-only provider set) could take MD5 away from JA3. Repeated
     * calls return at once. */
    if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1) {
        d->ctx = NULL;
        return MT_ERR;
    }
    d->ctx = EVP_MD_CTX_new();
    if (!d->ctx) {
        fprintf(stderr, "minetrace: out of memory for a digest context\n");
        abort();
    }
    const EVP_MD *md = alg == MT_DIGEST_MD5 ? EVP_md5() : EVP_sha256();
    if (EVP_DigestInit_ex(d->ctx, md, NULL) != 1) {
        EVP_MD_CTX_free(d->ctx);
        d->ctx = NULL;
        return MT_ERR;
    }
    return MT_OK;
}

static void feed(mt_digest *d, const void *p, size_t n)
{
    if (d->ctx && n && EVP_DigestUpdate(d->ctx, p, n) != 1) {
        EVP_MD_CTX_free(d->ctx);
        d->ctx = NULL;
    }
}

void mt_digest_update(mt_digest *d, const void *p, size_t n)
{
    if (n > sizeof d->buf - d->n) {
        feed(d, d->buf, d->n);
        d->n = 0;
        if (n > sizeof d->buf) {
            feed(d, p, n);
            return;
        }
    }
    if (n) memcpy(d->buf + d->n, p, n);
    d->n += n;
}

int mt_digest_final(mt_digest *d, uint8_t out[MT_DIGEST_MAX])
{
    memset(out, 0, MT_DIGEST_MAX);
    feed(d, d->buf, d->n);
    d->n = 0;
    if (!d->ctx) return MT_ERR;
    int ok = EVP_DigestFinal_ex(d->ctx, out, NULL) == 1;
    EVP_MD_CTX_free(d->ctx);
    d->ctx = NULL;
    if (!ok) memset(out, 0, MT_DIGEST_MAX);
    return ok ? MT_OK : MT_ERR;
}

int mt_digest_hex(mt_digest_alg alg, const void *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    mt_digest d;
    uint8_t dig[MT_DIGEST_MAX];
    int rc = mt_digest_init(&d, alg);
    mt_digest_update(&d, p, n);
    if (mt_digest_final(&d, dig) != MT_OK || rc != MT_OK) {
        out[0] = '\0';
        return MT_ERR;
    }
    size_t len = mt_digest_len(alg);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hx[dig[i] >> 4];
        out[2 * i + 1] = hx[dig[i] & 15];
    }
    out[2 * len] = '\0';
    return MT_OK;
}

long mt_b64_decode(const char *in, size_t n, uint8_t *out, size_t cap)
{
    if (n == 0) return 0;
    if (n % 4 != 0 || n > (size_t)INT32_MAX || cap < n / 4 * 3) return -1;
    /* EVP_DecodeBlock trims blanks at both ends and counts padding as zero
     * bytes; refuse blanks here so the padding count below is exact. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/' || (c == '=' && i >= n - 2);
        if (!ok) return -1;
    }
    if (in[n - 2] == '=' && in[n - 1] != '=') return -1;
    int got = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
    if (got < 0) return -1;
    size_t pad = (in[n - 1] == '=') + (in[n - 2] == '=');
    return (long)((size_t)got - pad);
}

long mt_b64_encode(const void *in, size_t n, int nopad, char *out, size_t cap)
{
    if (n > (size_t)INT32_MAX / 2 || cap < 4 * ((n + 2) / 3) + 1) return -1;
    int len = EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)in, (int)n);
    if (len < 0) return -1;
    while (nopad && len > 0 && out[len - 1] == '=') out[--len] = '\0';
    return len;
}
