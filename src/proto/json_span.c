/* Top-level JSON object boundary finder (see json_span.h). A tiny state
 * machine, not a parser: it only tracks strings, escapes and nesting.
 * Strings (most of a mining message: job blobs, targets, hashes) are
 * skipped with memchr to the next quote; the quote ends the string unless
 * an odd run of backslashes stands right before it. */
#include "proto/json_span.h"

#include <string.h>

/* Index of the quote closing the string opened at p[open], or n. */
static size_t string_end(const char *p, size_t n, size_t open)
{
    size_t j = open + 1;
    while (j < n) {
        const char *q = memchr(p + j, '"', n - j);
        if (!q) return n;
        size_t k = (size_t)(q - p), bs = 0;
        while (k - bs > open + 1 && p[k - bs - 1] == '\\') bs++;
        if ((bs & 1) == 0) return k;
        j = k + 1;
    }
    return n;
}

size_t mt_json_object_span(const char *p, size_t n)
{
    if (n == 0 || p[0] != '{') return MT_JSON_SPAN_INVALID;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        switch (p[i]) {
        case '"':
            i = string_end(p, n, i);
            if (i >= n) return MT_JSON_SPAN_INCOMPLETE;
            break;
        case '{': case '[':
            if (++depth > 64) return MT_JSON_SPAN_INVALID;
            break;
        case '}': case ']':
            if (--depth < 0) return MT_JSON_SPAN_INVALID;
            if (depth == 0) return i + 1;
            break;
        default: break;
        }
    }
    return MT_JSON_SPAN_INCOMPLETE;
}
