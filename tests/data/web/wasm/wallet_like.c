/* wallet_like.c: a wallet-shaped module for minetrace's tests. It carries
 * the same CryptoNight-style hash as cn_mini.c (a wallet library checks a
 * block's proof of work, and Monero's crypto library ships the slow hash),
 * but no mining loop: key derivations hash in loops with Keccak only, and
 * the proof-of-work check hashes one blob once. */
#define CN_NO_MINER
#include "cn_mini.c"

/* Keys for `n` outputs: Keccak over (secret || index). */
EXPORT void wallet_derive_keys(const u8 *secret, u32 n, u8 *out)
{
    for (u32 i = 0; i < n; i++) {
        u64 st[25];
        memset(st, 0, sizeof st);
        for (int k = 0; k < 32; k++) ((u8 *)st)[k] = secret[k];
        ((u32 *)st)[8] = i;
        ((u8 *)st)[36] ^= 0x01;
        ((u8 *)st)[135] ^= 0x80;
        keccakf(st);
        memcpy(out + 32 * i, st, 32);
    }
}

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/* not a constant to the compiler: a division by 58 would become a 128-bit
 * multiply, which needs compiler-rt's __multi3 (not linked here) */
u64 b58_base = 58;

/* Base58 of a 64-byte address, 8 bytes at a time as Monero does. */
EXPORT u32 wallet_address(const u8 *keys, char *out)
{
    u32 o = 0;
    for (u32 blk = 0; blk < 8; blk++) {
        u64 v = 0;
        for (int k = 0; k < 8; k++) v = v << 8 | keys[8 * blk + (u32)k];
        char tmp[11];
        for (int k = 10; k >= 0; k--) {
            tmp[k] = B58[v % b58_base];
            v /= b58_base;
        }
        for (int k = 0; k < 11; k++) out[o++] = tmp[k];
    }
    out[o] = 0;
    return o;
}

/* Whether a block blob's proof of work meets `difficulty`: one hash. */
EXPORT int wallet_check_pow(const u8 *blob, u32 len, u64 difficulty)
{
    u8 h[32];
    cn_hash(blob, len, h);
    u64 hi;
    (void)mul128(*(const u64 *)(h + 24), difficulty, &hi); /* hash * difficulty < 2^64 */
    return hi == 0;
}
