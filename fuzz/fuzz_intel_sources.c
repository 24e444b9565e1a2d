/* Fuzz target: the three readers of `minetrace intel update` on arbitrary
 * bytes: the sources file, the cache's state.tsv, and Suricata rules as an
 * et-rules list (then every name it took is matched). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel_update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_isrc_list l = {0};
    mt_isrc_parse(&l, (const char *)data, size, "fuzz");
    for (size_t i = 0; i < l.n; i++) {
        if (!memchr(l.v[i].name, '\0', sizeof l.v[i].name) || !memchr(l.v[i].url, '\0', sizeof l.v[i].url)) abort();
        if (l.v[i].weight < 1 || l.v[i].weight > 100) abort();
    }
    mt_isrc_free(&l);

    mt_icache c;
    memset(&c, 0, sizeof c);
    mt_icache_parse(&c, (const char *)data, size);
    for (size_t i = 0; i < c.n; i++)
        if (strchr(c.v[i].src.name, '/') || strchr(c.v[i].status, '\t')) abort();
    free(c.v);

    mt_intel *in = mt_intel_new();
    if (size) {
        FILE *f = fmemopen((void *)data, size, "r");
        if (f) {
            mt_intel_load_et_rules(in, f, "fuzz", 50, MT_CAT_POOL);
            fclose(f);
        }
    }
    mt_intel_hit h;
    mt_intel_match_domain(in, "pool.example.com", &h);
    mt_intel_free(in);
    return 0;
}
