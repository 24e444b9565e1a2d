/* Top-level JSON object boundary finder (see json_span.h). A tiny state
 * machine, not a parser: it only tracks strings, escapes and nesting. */
#include "proto/json_span.h"

size_t mt_json_object_span(const char *p, size_t n)
{
    if (n == 0 || p[0] != '{') return MT_JSON_SPAN_INVALID;
    int depth = 0, in_str = 0, esc = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (esc) esc = 0;
            else if (c == '\\') esc = 1;
            else if (c == '"') in_str = 0;
            continue;
        }
        switch (c) {
        case '"': in_str = 1; break;
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
