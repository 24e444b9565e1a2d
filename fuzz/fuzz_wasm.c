/* Fuzz target for the WebAssembly analysis: the input is analysed as a
 * module (web/wasm.c) and searched as text for embedded modules
 * (web/wasm_embed.c), each of which is analysed too. Seeds in
 * fuzz/corpus/fuzz_wasm are small modules built from our own C
 * (tests/data/web/wasm) and their embedded forms. */
#include <stdint.h>
#include <stdlib.h>

#include "web/wasm.h"

static int on_module(void *ctx, const uint8_t *m, size_t n, const char *how, size_t off)
{
    (void)ctx;
    (void)how;
    (void)off;
    mt_wasm_info w;
    int rc = mt_wasm_analyze(m, n, &w);
    if (rc != MT_OK && rc != MT_EINVAL && rc != MT_ENOMEM) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_wasm_info w;
    int rc = mt_wasm_analyze(data, size, &w);
    if (rc != MT_OK && rc != MT_EINVAL && rc != MT_ENOMEM) abort();
    if (w.score < 0 || w.score > 100 || (w.cryptonight && !w.cn_hash)) abort();
    mt_wasm_find_embedded((const char *)data, size, on_module, NULL);
    return 0;
}
