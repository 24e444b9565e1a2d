/* Fuzz target for botnet/actions: an attacker's command line, download or
 * upload (any bytes) into markers and signals. The first byte picks the
 * entry point; for downloads and uploads the rest is split at the first
 * two 0x01 bytes into url / sha256 / path. Checks the invariants the
 * engine relies on: at most MT_ACTION_MAX_MARKERS markers, each a
 * NUL-terminated value shorter than MT_MARKER_VALUE_MAX with a known type,
 * terminated wallet / pool / comment fields, and a verdict with a family
 * and a terminated reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "botnet/actions.h"

static void check(const mt_action_info *a)
{
    if (a->n > MT_ACTION_MAX_MARKERS) abort();
    for (size_t i = 0; i < a->n; i++) {
        if ((unsigned)a->m[i].type >= MT_MK_NTYPES) abort();
        if (memchr(a->m[i].value, '\0', MT_MARKER_VALUE_MAX) == NULL) abort();
        if (a->m[i].value[0] == '\0') abort();
    }
    if (!memchr(a->wallet, '\0', sizeof a->wallet) || !memchr(a->pool, '\0', sizeof a->pool) ||
        !memchr(a->key_comment, '\0', sizeof a->key_comment))
        abort();
    mt_family_verdict v;
    mt_family_decide(a->signals, &v);
    if (!v.family || !memchr(v.reason, '\0', sizeof v.reason)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    mt_action_info a;
    switch (data[0] % 4) {
    case 0:
    case 1: mt_action_command(s, n, &a); break;
    default: {
        const char *f[3] = {s, NULL, NULL};
        size_t fl[3] = {n, 0, 0};
        for (int k = 1; k < 3; k++) {
            const char *sep = memchr(f[k - 1], 1, fl[k - 1]);
            if (!sep) break;
            f[k] = sep + 1;
            fl[k] = fl[k - 1] - (size_t)(f[k] - f[k - 1]);
            fl[k - 1] = (size_t)(sep - f[k - 1]);
        }
        if (data[0] % 4 == 2)
            mt_action_download(f[0], fl[0], f[1], fl[1], f[2], fl[2], &a);
        else
            mt_action_upload(f[0], fl[0], f[1], fl[1], &a);
        char v[64];
        (void)mt_action_marker_credential(f[0], fl[0], f[1], fl[1], v, sizeof v);
        if (!memchr(v, '\0', sizeof v)) abort();
        break;
    }
    }
    check(&a);
    return 0;
}
