/* Fuzz target for the script/HTML analyser and its unpackers: the input is
 * scanned as HTML and as JS with references collected; every stored hit
 * must point inside the input with terminated strings and ASCII evidence
 * (a packed hit's evidence quotes unpacked text), and every reference
 * must be a terminated URL of a known type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/jsscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_jsscan *s;
    static mt_web_refs refs;
    if (!s && !(s = mt_jsscan_new(NULL))) __builtin_trap();
    mt_web_hit h[8];
    for (int html = 0; html < 2; html++) {
        refs.n = 0;
        size_t n = mt_jsscan_text(s, (const char *)data, size, html, h, 8, &refs);
        for (size_t i = 0; i < n && i < 8; i++) {
            if (h[i].offset >= size || !h[i].provider || !h[i].kind) __builtin_trap();
            if (memchr(h[i].site_key, 0, sizeof h[i].site_key) == NULL) __builtin_trap();
            if (memchr(h[i].evidence, 0, sizeof h[i].evidence) == NULL || !h[i].evidence[0]) __builtin_trap();
            if (h[i].confidence < 0 || h[i].confidence > 100) __builtin_trap();
            for (const char *c = h[i].evidence; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) __builtin_trap();
        }
        for (size_t i = 0; i < refs.n; i++) {
            if (refs.type[i] < MT_REF_SCRIPT || refs.type[i] > MT_REF_IFRAME) __builtin_trap();
            if (memchr(refs.url[i], 0, sizeof refs.url[i]) == NULL || !refs.url[i][0]) __builtin_trap();
        }
    }
    return 0;
}
