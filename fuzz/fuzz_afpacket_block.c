/* Fuzz the walk over one TPACKET_V3 block (capture/afpacket.c): the input is
 * the block as the ring would hold it, header and frames. The walk must
 * read nothing outside it, whatever its counts and offsets say, and hand
 * over only frames that lie inside; each frame handed over is read whole,
 * so a bad length shows under ASan. The
 * first input byte picks the link type (Ethernet, with the VLAN tag put
 * back, or raw IP). */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/afpacket.h"

static int on_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *data, uint32_t caplen,
                    uint32_t wirelen)
{
    uint64_t *sum = ctx;
    (void)lt; (void)ts;
    for (uint32_t i = 0; i < caplen; i++) *sum += data[i];
    *sum += wirelen;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20)) return 0;
    int lt = data[0] & 1 ? 12 /* DLT_RAW */ : 1 /* DLT_EN10MB */;
    size_t n = size - 1;
    /* A copy of its own, aligned as a ring block is: the walk may write
     * (VLAN tags go back in place). */
    uint8_t *blk = malloc(n ? n : 1);
    if (!blk) return 0;
    memcpy(blk, data + 1, n);
    mt_afp_stats st;
    memset(&st, 0, sizeof st);
    uint64_t sum = 0;
    int stop = 0;
    uint64_t bad = mt_afp_walk_block(blk, n, lt, on_frame, &sum, &st, &stop);
    /* each frame the block declares is handed over or refused, never both
     * nor more than declared (a refused header counts one) */
    uint32_t declared = 0;
    if (n >= 16) memcpy(&declared, blk + 12, sizeof declared);
    if (st.frames + bad > (declared ? declared : 1)) abort();
    free(blk);
    return 0;
}
