/* Fuzz target for the Stratum V2 recognisers (src/proto/sv2.c): any bytes
 * as a first client payload, and the same bytes read as signed sizes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/sv2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)mt_sv2_is_setup_connection(data, size);
    int32_t sz[8];
    size_t n = size / 4 < 8 ? size / 4 : 8;
    if (n) memcpy(sz, data, n * 4);
    (void)mt_sv2_is_noise_handshake(n ? sz : NULL, n);
    return 0;
}
