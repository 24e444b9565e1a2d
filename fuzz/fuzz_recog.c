/* Fuzz target: a Recog fingerprint file and a banner. The input is the XML
 * text, a NUL byte, then the banner (no NUL: the whole input is XML and the
 * banner is empty). The file is loaded from memory, the banner matched
 * against every kind and against each kind the file declares, and the
 * file's own examples checked, so hostile patterns, flags, params and
 * base64 examples all run under the match limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/recog.h"
#include "minetrace/common.h"

static void check_hit(const mt_recog_hit *m)
{
    if (!m->description || !m->vendor || !m->product || !m->device) abort();
    if (m->iot != mt_recog_device_is_iot(m->device)) abort();
    volatile size_t n = strlen(m->description) + strlen(m->vendor) + strlen(m->product);
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t xn = nul ? (size_t)(nul - data) : size;
    const char *banner = nul ? (const char *)nul + 1 : "";
    size_t bn = nul ? size - xn - 1 : 0;
    mt_recog *r = mt_recog_new();
    if (mt_recog_load_mem(r, (const char *)data, xn, "fuzz.xml") == MT_OK) {
        static const char *const kinds[] = {NULL, "ssh.banner", "telnet.banner",
                                            "http_header.server", "html_title", "x.banner"};
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            mt_recog_hit m;
            if (mt_recog_match(r, kinds[k], banner, bn, &m)) check_hit(&m);
        }
        size_t checked = 0;
        size_t bad = mt_recog_check_examples(r, NULL, NULL, &checked);
        if (bad > checked) abort();
    }
    mt_recog_free(r);
    return 0;
}
