/* Fuzz target for util/hostport: host:port, [v6]:port and scheme:// parsing
 * of arbitrary bytes. Checks the invariants callers rely on: the host lies
 * inside the input, the port is -1 or 0..65535, and the one-pass copy used
 * for Host headers gives the parser's host. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hostport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    for (unsigned flags = 0; flags <= MT_HP_SCHEME; flags += MT_HP_SCHEME) {
        mt_hostport hp;
        (void)mt_hostport_parse(s, size, flags, &hp);
        if (hp.host < s || hp.host + hp.host_len > s + size) abort();
        if (hp.port < -1 || hp.port > 65535) abort();
        if (hp.scheme && (hp.scheme != s || hp.scheme_len >= size)) abort();
    }
    /* The NUL-terminated form, up to the first NUL of the input. */
    char *z = malloc(size + 1);
    if (!z) return 0;
    memcpy(z, data, size);
    z[size] = '\0';
    size_t n = strlen(z);
    mt_hostport hp;
    (void)mt_hostport_parse(z, n, 0, &hp);
    char out[512];
    size_t got = mt_hostport_host(z, out, sizeof out);
    size_t want = hp.host_len < sizeof out ? hp.host_len : sizeof out - 1;
    if (got != want) abort();
    if (memcmp(out, hp.host, want) != 0) abort();
    free(z);
    return 0;
}
