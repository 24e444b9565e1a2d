/* Fuzz target for the TLS ClientHello decoder: the whole input is the
 * client's stream prefix; every prefix length is also tried so the
 * MT_EAGAIN paths get exercised. Decoded hellos also get their JA3 and JA4 built. */
#include <stdint.h>
#include <string.h>

#include "proto/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_tls_hello h;
    int rc = mt_tls_parse_client_hello(data, size, &h);
    if (rc == MT_OK) { /* JA3 on demand, or made while parsing: an MD5 either way */
        char ja3[1024], hash[33];
        if (!mt_tls_ja3(&h, ja3, sizeof ja3, hash) || strlen(hash) != 32) __builtin_trap();
    }
    if (rc == MT_OK) { /* JA4 from the recorded lists: always 36 characters */
        char ja4[37];
        if (!mt_tls_ja4(&h, ja4) || strlen(ja4) != 36 || ja4[10] != '_' || ja4[23] != '_')
            __builtin_trap();
    }
    /* a few prefixes */
    for (size_t k = size / 2; k < size; k += 1 + size / 8)
        (void)mt_tls_parse_client_hello(data, k, &h);
    (void)mt_tls_looks_like(data, size);
    return 0;
}
