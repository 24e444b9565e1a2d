/* Fuzz target: the per-line list loader on arbitrary bytes (fed from
 * memory), then each input line as a URL path rule, and domain, IP,
 * agent, path, URL, wallet and site-key matching on each line, and each
 * line as a request URL against the loaded block-list rules (every type,
 * with and without a page host, the line itself as the page host). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_intel *in = mt_intel_new();
    mt_intel_load_builtin(in);
    if (size) {
        FILE *f = fmemopen((void *)data, size, "r");
        if (f) {
            mt_intel_load_stream(in, f, "fuzz", 50, MT_CAT_POOL);
            fclose(f);
        }
    }
    /* Every line of the input, as a name, an address and an agent. */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        mt_intel_hit h;
        const char *name, *fam;
        mt_addr a;
        mt_intel_match_domain(in, line, &h);
        if (mt_addr_parse(line, &a) == MT_OK) mt_intel_match_ip(in, &a, &h);
        mt_intel_match_agent(in, line, &name, &fam);
        mt_intel_add_url_rule(in, line, 50, MT_CAT_BROWSER_MINER, "fuzz");
        mt_intel_match_path(in, line, &h);
        mt_intel_match_url(in, line, line, &h);
        for (int t = 0; t <= MT_REQ_DOCUMENT + 1; t++) {
            mt_intel_match_request(in, line, t & 1 ? "www.example.org" : NULL, t, &h);
            if (t == MT_REQ_SCRIPT) mt_intel_match_request(in, line, line, t, &h);
        }
        mt_intel_match_wallet(in, line, &h);
        mt_intel_match_sitekey(in, line, &h);
        mt_intel_wallet_shape(line);
        mt_intel_sitekey_shape(line);
    }
    free(text);
    mt_intel_free(in);
    return 0;
}
