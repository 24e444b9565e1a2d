/* Fuzz target for the JSON reader (src/util/json.c): parse in each mode,
 * then exercise every accessor on whatever was accepted, checking that
 * decoded strings are whole C strings of bounded length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"
#include "util/json.h"

static void walk(mt_jr_doc *d, int t, int depth)
{
    char buf[64];
    int64_t x;
    uint64_t u;
    double f;
    size_t len;
    if (depth > MT_JR_MAX_DEPTH + 1) abort();
    size_t w = mt_jr_copy(d, t, buf, sizeof buf);
    if (w >= sizeof buf || strlen(buf) > w) abort(); /* < w: a raw NUL (lax mode) */
    mt_jr_i64(d, t, &x);
    mt_jr_u64(d, t, &u);
    mt_jr_f64(d, t, &f);
    mt_jr_raw(d, t, &len);
    const char *s = mt_jr_str(d, t);
    if (s && strlen(s) > d->tok[t].len) abort(); /* decoding only shrinks */
    mt_jr_streq(d, t, "mining.subscribe");
    mt_jr_strprefix(d, t, "mining.");
    mt_jr_at(d, t, 1);
    mt_jr_count(d, t);
    mt_jr_get(d, t, "method");
    for (int c = mt_jr_first(d, t); c >= 0; c = mt_jr_next(d, t, c)) {
        if ((uint32_t)c >= d->n) abort();
        if (mt_jr_is(d, t, MT_JR_OBJECT)) {
            if (!mt_jr_is(d, c, MT_JR_STRING)) abort();
            walk(d, c, depth + 1);
            walk(d, c + 1, depth + 1);
        } else {
            walk(d, c, depth + 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_jr_tok tok[1024];
    static char scratch[1 << 16];
    static const unsigned modes[] = {0, MT_JR_LAX_CTRL | MT_JR_TRAILING,
                                     MT_JR_PARTIAL | MT_JR_LAX_CTRL | MT_JR_TRAILING};
    if (size >= sizeof scratch) return 0;
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        mt_jr_doc d;
        mt_jr_init(&d, tok, sizeof tok / sizeof tok[0], scratch, sizeof scratch);
        int rc = mt_jr_parse(&d, (const char *)data, size, modes[m], m == 1 ? 32 : 0);
        char why[96];
        mt_jr_strerror(&d, why, sizeof why);
        if (rc != MT_OK && d.n == 0) continue;
        if (rc == MT_OK && d.end > size) abort();
        walk(&d, 0, 0);
        mt_jr_path(&d, 0, "params.0");
        mt_jr_path(&d, 0, "result.job.blob");
        const char *keys[] = {"id", "method", "params", "result"};
        int out[4];
        mt_jr_get_many(&d, 0, keys, out, 4);
    }
    return 0;
}
