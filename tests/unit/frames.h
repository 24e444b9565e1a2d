/* Test helper (header-only): raw IPv4/TCP frames (link type 101) to push
 * through the packet pipeline, for tests that need exact control of
 * segments, sequence numbers and flags. */
#ifndef MT_TEST_FRAMES_H
#define MT_TEST_FRAMES_H

#include <stdint.h>
#include <string.h>

static inline void fr_put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24); b[1] = (uint8_t)(v >> 16); b[2] = (uint8_t)(v >> 8); b[3] = (uint8_t)v;
}

/* IPv4 src:sp -> dst:dp, TCP seq and flags, payload. Returns frame length. */
static inline size_t fr_tcp(uint8_t *b, uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp,
                            uint32_t seq, uint8_t flags, const void *payload, size_t pl)
{
    uint16_t total = (uint16_t)(40 + pl);
    memset(b, 0, 40);
    b[0] = 0x45; b[2] = (uint8_t)(total >> 8); b[3] = (uint8_t)total; b[8] = 64; b[9] = 6;
    fr_put32(b + 12, src);
    fr_put32(b + 16, dst);
    b[20] = (uint8_t)(sp >> 8); b[21] = (uint8_t)sp; b[22] = (uint8_t)(dp >> 8); b[23] = (uint8_t)dp;
    fr_put32(b + 24, seq);
    b[32] = 0x50; b[33] = flags;
    if (pl) memcpy(b + 40, payload, pl);
    return 40 + pl;
}

#define FR_IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#endif
