/* cn_mini.c: a small CryptoNight-style hash and mining loop, written for
 * minetrace's tests (not Monero-exact; the structure is what matters):
 * Keccak-f[1600] over the input, AES rounds with 4 T-tables, a 2 MiB
 * scratchpad filled by AES and walked by a masked-address loop with a
 * 64x64->128 multiply, Keccak again and a BLAKE-256 or Threefish-512 (Skein)
 * finaliser chosen by the state; `mine` tries
 * nonces until the hash's top 64 bits fall below a target.
 *
 * Built for wasm32 by tests/data/web/wasm/build.sh with:
 *   CN_STATIC_TABLES  AES tables as data (cn_tables.h, generated) instead of
 *                     computed at run time
 *   CN_GROW           the scratchpad from memory.grow instead of static memory
 *   CN_RENAME         innocuous names for every function
 *   CN_NO_MINER       no mining loop (the wallet-like module includes this)
 *   CN_PRIMITIVES_ONLY  only Keccak, AES and BLAKE (for benign modules)
 *   CN_BYTE_AES       a byte-wise AES round (S-box, ShiftRows, MixColumns
 *                     with xtime) instead of T-tables
 *   CN_LITE           a 1 MiB scratchpad (the "lite" variants) */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifdef CN_RENAME
#define cn_hash render_frame
#define mine update_layout
#define keccakf mix_colors
#define aes_round blend_pixels
#define blake_final draw_glyphs
#define cn_tables_init load_fonts
#endif

#define EXPORT __attribute__((visibility("default")))

void *memcpy(void *d, const void *s, unsigned long n)
{
    u8 *o = d;
    const u8 *i = s;
    while (n--) *o++ = *i++;
    return d;
}

void *memset(void *d, int c, unsigned long n)
{
    u8 *o = d;
    while (n--) *o++ = (u8)c;
    return d;
}

/* ---- Keccak-f[1600] ---- */
static const u64 RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
static const u8 RHO[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

static inline u64 rol64(u64 v, u32 r) { return (v << (r & 63)) | (v >> ((64 - r) & 63)); }

EXPORT void keccakf(u64 a[25])
{
    for (int round = 0; round < 24; round++) {
        u64 c[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) {
            u64 d = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rol64(a[x + 5 * y], RHO[x + 5 * y]);
        for (int y = 0; y < 25; y += 5)
            for (int x = 0; x < 5; x++) a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        a[0] ^= RC[round];
    }
}

/* ---- AES round with 4 T-tables ---- */
#ifdef CN_STATIC_TABLES
#include "cn_tables.h"
static void cn_tables_init(void) {}
#else
static u32 T0[256], T1[256], T2[256], T3[256];
static u8 SB[256];
static int tables_ready;

static u8 xtime(u8 x) { return (u8)((x << 1) ^ ((x & 0x80) ? 0x1b : 0)); }
static u8 rotl8(u8 x, int s) { return (u8)((x << s) | (x >> (8 - s))); }

/* The S-box from the multiplicative inverse and the affine map: p walks the
 * field by multiplying by 3, q by dividing by 3, so q = 1/p. */
static void cn_tables_init(void)
{
    if (tables_ready) return;
    u8 p = 1, q = 1;
    do {
        p = (u8)(p ^ (p << 1) ^ ((p & 0x80) ? 0x1b : 0));
        q ^= (u8)(q << 1);
        q ^= (u8)(q << 2);
        q ^= (u8)(q << 4);
        if (q & 0x80) q ^= 0x09;
        SB[p] = (u8)(q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63);
    } while (p != 1);
    SB[0] = 0x63;
    for (int i = 0; i < 256; i++) {
        u8 s = SB[i], s2 = xtime(s), s3 = (u8)(s2 ^ s);
        u32 w = (u32)s2 | (u32)s << 8 | (u32)s << 16 | (u32)s3 << 24;
        T0[i] = w;
        T1[i] = w << 8 | w >> 24;
        T2[i] = w << 16 | w >> 16;
        T3[i] = w << 24 | w >> 8;
    }
    tables_ready = 1;
}
#endif

#ifdef CN_BYTE_AES
static u8 xt8(u8 x) { return (u8)((x << 1) ^ ((x & 0x80) ? 0x1b : 0)); }

EXPORT void aes_round(u32 s[4], const u32 k[4])
{
    u8 *b = (u8 *)s, t[16];
    for (int i = 0; i < 16; i++) t[i] = SB[b[(i + 4 * (i & 3)) & 15]]; /* SubBytes, ShiftRows */
    for (int c = 0; c < 4; c++) {
        u8 a0 = t[4 * c], a1 = t[4 * c + 1], a2 = t[4 * c + 2], a3 = t[4 * c + 3], x = (u8)(a0 ^ a1 ^ a2 ^ a3);
        b[4 * c] = (u8)(a0 ^ x ^ xt8((u8)(a0 ^ a1)));
        b[4 * c + 1] = (u8)(a1 ^ x ^ xt8((u8)(a1 ^ a2)));
        b[4 * c + 2] = (u8)(a2 ^ x ^ xt8((u8)(a2 ^ a3)));
        b[4 * c + 3] = (u8)(a3 ^ x ^ xt8((u8)(a3 ^ a0)));
    }
    for (int i = 0; i < 4; i++) s[i] ^= k[i];
}
#else
EXPORT void aes_round(u32 s[4], const u32 k[4])
{
    u32 a = s[0], b = s[1], c = s[2], d = s[3];
    s[0] = T0[a & 255] ^ T1[(b >> 8) & 255] ^ T2[(c >> 16) & 255] ^ T3[d >> 24] ^ k[0];
    s[1] = T0[b & 255] ^ T1[(c >> 8) & 255] ^ T2[(d >> 16) & 255] ^ T3[a >> 24] ^ k[1];
    s[2] = T0[c & 255] ^ T1[(d >> 8) & 255] ^ T2[(a >> 16) & 255] ^ T3[b >> 24] ^ k[2];
    s[3] = T0[d & 255] ^ T1[(a >> 8) & 255] ^ T2[(b >> 16) & 255] ^ T3[c >> 24] ^ k[3];
}
#endif

/* ---- BLAKE-256 compression as the finaliser ---- */
static const u32 BC[16] = {0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0,
                           0x082EFA98, 0xEC4E6C89, 0x452821E6, 0x38D01377, 0xBE5466CF, 0x34E90C6C,
                           0xC0AC29B7, 0xC97C50DD, 0x3F84D5B5, 0xB5470917};
static const u32 BIV[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                           0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};
static const u8 SIGMA[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

static inline u32 ror32(u32 v, int r) { return (v >> r) | (v << (32 - r)); }

#define G(a, b, c, d, e)                                                                  \
    do {                                                                                  \
        v[a] += (m[s[e]] ^ BC[s[e + 1]]) + v[b];                                          \
        v[d] = ror32(v[d] ^ v[a], 16);                                                    \
        v[c] += v[d];                                                                     \
        v[b] = ror32(v[b] ^ v[c], 12);                                                    \
        v[a] += (m[s[e + 1]] ^ BC[s[e]]) + v[b];                                          \
        v[d] = ror32(v[d] ^ v[a], 8);                                                     \
        v[c] += v[d];                                                                     \
        v[b] = ror32(v[b] ^ v[c], 7);                                                     \
    } while (0)

EXPORT void blake_final(const u8 *in, u32 len, u8 *out)
{
    u32 h[8], v[16], m[16];
    for (int i = 0; i < 8; i++) h[i] = BIV[i];
    u32 done = 0;
    while (done < len) {
        for (int i = 0; i < 16; i++) {
            u32 w = 0;
            for (int k = 0; k < 4; k++) {
                u32 at = done + 4 * (u32)i + (u32)k;
                w = w << 8 | (at < len ? in[at] : 0);
            }
            m[i] = w;
        }
        done += 64;
        for (int i = 0; i < 8; i++) v[i] = h[i];
        for (int i = 0; i < 8; i++) v[8 + i] = BC[i];
        v[12] ^= done * 8;
        v[13] ^= done * 8;
        for (int r = 0; r < 14; r++) {
            const u8 *s = SIGMA[r % 10];
            G(0, 4, 8, 12, 0);
            G(1, 5, 9, 13, 2);
            G(2, 6, 10, 14, 4);
            G(3, 7, 11, 15, 6);
            G(0, 5, 10, 15, 8);
            G(1, 6, 11, 12, 10);
            G(2, 7, 8, 13, 12);
            G(3, 4, 9, 14, 14);
        }
        for (int i = 0; i < 8; i++) h[i] ^= v[i] ^ v[8 + i];
    }
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 4; k++) out[4 * i + k] = (u8)(h[i] >> (24 - 8 * k));
}

/* ---- Threefish-512 (Skein's block cipher) as the second finaliser ---- */
static const u8 R512[8][4] = {{46, 36, 19, 37}, {33, 27, 14, 42}, {17, 49, 36, 39}, {44, 9, 54, 56},
                              {39, 30, 34, 24}, {13, 50, 10, 17}, {25, 29, 39, 43}, {8, 35, 56, 22}};

EXPORT void skein_final(const u8 *in, u32 len, u8 *out)
{
    u64 k[9], t[3] = {32, 0xF000000000000000ULL, 0}, x[8], m[8];
    for (int i = 0; i < 8; i++) k[i] = 0;
    for (u32 done = 0; done < len; done += 64) {
        for (int i = 0; i < 8; i++) {
            u64 w = 0;
            for (int b = 7; b >= 0; b--) {
                u32 at = done + 8 * (u32)i + (u32)b;
                w = w << 8 | (at < len ? in[at] : 0);
            }
            m[i] = x[i] = w;
        }
        k[8] = 0x1BD11BDAA9FC1A22ULL;
        for (int i = 0; i < 8; i++) k[8] ^= k[i];
        t[0] += 64;
        t[2] = t[0] ^ t[1];
        for (int r = 0; r < 72; r++) {
            if (r % 4 == 0) {
                int s = r / 4;
                for (int i = 0; i < 8; i++) x[i] += k[(s + i) % 9];
                x[5] += t[s % 3];
                x[6] += t[(s + 1) % 3];
                x[7] += (u64)s;
            }
            const u8 *rot = R512[r % 8];
            for (int i = 0; i < 4; i++) {
                x[2 * i] += x[2 * i + 1];
                x[2 * i + 1] = rol64(x[2 * i + 1], rot[i]) ^ x[2 * i];
            }
            u64 y0 = x[0], y3 = x[3];
            x[0] = x[2]; x[2] = x[4]; x[4] = x[6]; x[6] = y0;
            x[3] = x[7]; x[7] = y3;
        }
        for (int i = 0; i < 8; i++) k[i] = x[i] ^ m[i];
        t[1] &= ~0x4000000000000000ULL;
    }
    for (int i = 0; i < 32; i++) out[i] = (u8)(k[i / 8] >> (8 * (i % 8)));
}

#ifndef CN_PRIMITIVES_ONLY
/* ---- the scratchpad hash ---- */
#ifdef CN_LITE
#define SCRATCH (1u << 20)
#define ITERATIONS (1u << 18)
#else
#define SCRATCH (1u << 21)
#define ITERATIONS (1u << 19)
#endif

#ifdef CN_GROW
static u8 *scratch;
static u8 *pad(void)
{
    if (!scratch) scratch = (u8 *)(unsigned long)(__builtin_wasm_memory_grow(0, SCRATCH >> 16) * 65536u);
    return scratch;
}
#else
static u8 scratch_mem[SCRATCH];
static u8 *pad(void) { return scratch_mem; }
#endif

static u64 mul128(u64 x, u64 y, u64 *hi)
{
    u64 xl = (u32)x, xh = x >> 32, yl = (u32)y, yh = y >> 32;
    u64 ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
    u64 mid = (ll >> 32) + (u32)lh + (u32)hl;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return (mid << 32) | (u32)ll;
}

EXPORT void cn_hash(const u8 *in, u32 len, u8 *out)
{
    u64 st[25];
    u8 *sp = pad();
    cn_tables_init();
    memset(st, 0, sizeof st);
    for (u32 i = 0; i < len && i < 136; i++) ((u8 *)st)[i] ^= in[i];
    ((u8 *)st)[len < 136 ? len : 135] ^= 0x01;
    ((u8 *)st)[135] ^= 0x80;
    keccakf(st);

    /* round keys from the first 32 state bytes, text from bytes 64..191 */
    u32 rk[10][4], text[32];
    for (int r = 0; r < 10; r++)
        for (int i = 0; i < 4; i++) rk[r][i] = ((u32 *)st)[(4 * r + i) & 7] ^ (u32)(r * 0x01010101u);
    for (int i = 0; i < 32; i++) text[i] = ((u32 *)st)[16 + i];

    for (u32 off = 0; off < SCRATCH; off += 128) {
        for (int blk = 0; blk < 8; blk++)
            for (int r = 0; r < 10; r++) aes_round(&text[4 * blk], rk[r]);
        memcpy(sp + off, text, 128);
    }

    u64 a[2] = {st[0] ^ st[4], st[1] ^ st[5]}, b[2] = {st[2] ^ st[6], st[3] ^ st[7]};
    for (u32 i = 0; i < ITERATIONS; i++) {
        u32 j = (u32)a[0] & (SCRATCH - 16);
        u64 *p = (u64 *)(sp + j);
        u32 c[4] = {(u32)p[0], (u32)(p[0] >> 32), (u32)p[1], (u32)(p[1] >> 32)};
        aes_round(c, (const u32 *)a);
        u64 c0 = c[0] | (u64)c[1] << 32, c1 = c[2] | (u64)c[3] << 32;
        p[0] = b[0] ^ c0;
        p[1] = b[1] ^ c1;
        b[0] = c0;
        b[1] = c1;
        j = (u32)c0 & (SCRATCH - 16);
        p = (u64 *)(sp + j);
        u64 hi, lo = mul128(c0, p[0], &hi);
        a[0] += hi;
        a[1] += lo;
        u64 d0 = p[0], d1 = p[1];
        p[0] = a[0];
        p[1] = a[1];
        a[0] ^= d0;
        a[1] ^= d1;
    }

    for (u32 off = 0; off < SCRATCH; off += 128) {
        for (int i = 0; i < 32; i++) text[i] ^= ((u32 *)(sp + off))[i];
        for (int blk = 0; blk < 8; blk++)
            for (int r = 0; r < 10; r++) aes_round(&text[4 * blk], rk[r]);
    }
    for (int i = 0; i < 32; i++) ((u32 *)st)[16 + i] = text[i];
    keccakf(st);
    /* the finaliser chosen by the state, as CryptoNight does */
    if (st[0] & 1)
        blake_final((const u8 *)st, 200, out);
    else
        skein_final((const u8 *)st, 200, out);
}

#ifndef CN_NO_MINER
/* Tries `count` nonces from `start` in the blob's nonce field (byte 39, as
 * in a Monero block blob); returns the first whose hash meets the target. */
EXPORT u32 mine(u8 *blob, u32 len, u64 target, u32 start, u32 count, u8 *out)
{
    for (u32 n = start; n != start + count; n++) {
        blob[39] = (u8)n;
        blob[40] = (u8)(n >> 8);
        blob[41] = (u8)(n >> 16);
        blob[42] = (u8)(n >> 24);
        cn_hash(blob, len, out);
        if (*(const u64 *)(out + 24) < target) return n;
    }
    return 0xFFFFFFFFu;
}
#endif
#endif
