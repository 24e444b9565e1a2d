/* MD5 per RFC 1321: 64-byte blocks, four rounds of 16 steps, little-endian
 * words. Written from the RFC's description; the sine-derived constants are
 * the RFC's table T[i] = floor(2^32 * |sin(i)|). */
#include "util/md5.h"

#include <string.h>

static const uint32_t T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Per-round shift amounts (RFC 1321 section 3.4). */
static const uint8_t S[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static void block(uint32_t st[4], const uint8_t *p)
{
    uint32_t X[16];
    for (int i = 0; i < 16; i++)
        X[i] = (uint32_t)p[4 * i] | ((uint32_t)p[4 * i + 1] << 8) |
               ((uint32_t)p[4 * i + 2] << 16) | ((uint32_t)p[4 * i + 3] << 24);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int k, r = i / 16;
        switch (r) {
        case 0: f = (b & c) | (~b & d); k = i; break;
        case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) & 15; break;
        case 2: f = b ^ c ^ d; k = (3 * i + 5) & 15; break;
        default: f = c ^ (b | ~d); k = (7 * i) & 15; break;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rotl(a + f + X[k] + T[i], S[r][i & 3]);
        a = t;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
}

void mt_md5_init(mt_md5 *c)
{
    c->s[0] = 0x67452301;
    c->s[1] = 0xefcdab89;
    c->s[2] = 0x98badcfe;
    c->s[3] = 0x10325476;
    c->total = 0;
    c->used = 0;
}

void mt_md5_update(mt_md5 *c, const void *data, size_t n)
{
    const uint8_t *p = data;
    c->total += n;
    if (c->used) {
        size_t take = 64 - c->used;
        if (take > n) take = n;
        memcpy(c->blk + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used < 64) return;
        block(c->s, c->blk);
        c->used = 0;
    }
    while (n >= 64) {
        block(c->s, p);
        p += 64;
        n -= 64;
    }
    if (n) {
        memcpy(c->blk, p, n);
        c->used = n;
    }
}

void mt_md5_final(mt_md5 *c, uint8_t out[16])
{
    uint64_t bits = c->total * 8;
    uint8_t pad[72];
    size_t padn = (c->used < 56) ? 56 - c->used : 120 - c->used;
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (int i = 0; i < 8; i++) pad[padn + (size_t)i] = (uint8_t)(bits >> (8 * i));
    mt_md5_update(c, pad, padn + 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(c->s[i] >> (8 * j));
}

void mt_md5_hex(const void *p, size_t n, char out[33])
{
    static const char hx[] = "0123456789abcdef";
    mt_md5 c;
    uint8_t d[16];
    mt_md5_init(&c);
    mt_md5_update(&c, p, n);
    mt_md5_final(&c, d);
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[32] = '\0';
}
