/* aes_sha3.c: a benign hard negative for minetrace's tests: the same AES
 * rounds and Keccak-f as cn_mini.c (an authenticated cipher: AES in counter
 * mode, a SHA-3-style MAC), with counter loops, but no scratchpad. */
#define CN_PRIMITIVES_ONLY
#include "cn_mini.c"

EXPORT void seal(u8 *buf, u32 len, const u32 key[40], u8 *tag)
{
    u32 ctr[4] = {0, 0, 0, 0};
    cn_tables_init();
    for (u32 off = 0; off < len; off += 16) {
        u32 ks[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
        for (int r = 0; r < 10; r++) aes_round(ks, key + 4 * r);
        for (u32 k = 0; k < 16 && off + k < len; k++) buf[off + k] ^= ((const u8 *)ks)[k];
        ctr[0]++;
    }
    u64 st[25];
    memset(st, 0, sizeof st);
    for (u32 off = 0; off < len; off += 136) {
        for (u32 k = 0; k < 136 && off + k < len; k++) ((u8 *)st)[k] ^= buf[off + k];
        keccakf(st);
    }
    memcpy(tag, st, 32);
    blake_final(tag, 32, tag);
}
