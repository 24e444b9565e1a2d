/* Fuzz target for the Stratum classifier (src/proto/stratum.c): any bytes,
 * any length; every string field must stay NUL-terminated in its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/stratum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_stratum_msg m;
    mt_stratum_parse((const char *)data, size, &m);
    if (memchr(m.wallet, 0, sizeof m.wallet) == NULL || memchr(m.agent, 0, sizeof m.agent) == NULL ||
        memchr(m.worker, 0, sizeof m.worker) == NULL || memchr(m.algo, 0, sizeof m.algo) == NULL ||
        memchr(m.pool_host, 0, sizeof m.pool_host) == NULL || memchr(m.method, 0, sizeof m.method) == NULL)
        abort();
    /* a login-shaped line is WEAK and nothing else claims it */
    if (m.tentative && (m.strength != MT_SS_WEAK || m.kind != MT_SK_LOGIN)) abort();
    (void)mt_stratum_dialect_str(m.dialect);
    (void)mt_stratum_kind_str(m.kind);
    (void)mt_stratum_role_str(m.role);
    return 0;
}
