/* Fuzz target for the SMB1 pattern inspector (src/proto/smb.c): any bytes,
 * both directions; the result must be MT_OK or MT_ENOTFOUND and the detail
 * string NUL-terminated. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/smb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_smb m;
    for (int dir = 0; dir < 2; dir++) {
        int rc = mt_smb_inspect(data, size, dir, &m);
        if (rc != MT_OK && rc != MT_ENOTFOUND) __builtin_trap();
        if (rc == MT_OK && memchr(m.detail, 0, sizeof m.detail) == NULL) __builtin_trap();
    }
    return 0;
}
