/* Fuzz target: the asset inventory CSV reader and the longest-prefix
 * lookup over what it loaded (a few fixed addresses of both families). */
#include <stdint.h>
#include <string.h>

#include "analyze/assets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_assets a;
    if (mt_assets_parse((const char *)data, size, &a) != 0) return 0;
    static const char *ips[] = {"10.1.2.3", "192.168.0.1", "0.0.0.0", "255.255.255.255",
                                "2001:db8::1", "::", "::ffff:10.1.2.3"};
    for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        mt_addr ad;
        if (mt_addr_parse(ips[i], &ad) == 0) {
            const mt_asset *e = mt_assets_lookup(&a, &ad);
            if (e && (!e->org || !e->sector)) __builtin_trap();
        }
    }
    for (size_t i = 0; i < a.n; i++) {
        const mt_asset *e = mt_assets_lookup(&a, &a.v[i].net);
        if (!e || e->bits < a.v[i].bits) __builtin_trap(); /* a network finds itself or longer */
    }
    mt_assets_free(&a);
    return 0;
}
