/* Finds where a top-level JSON object ends in a byte stream, so TCP streams
 * can be cut into messages whether or not they are newline-delimited (HTTP
 * getwork bodies are not). Strings and escapes are honoured; nesting depth is
 * capped. */
#ifndef MT_PROTO_JSON_SPAN_H
#define MT_PROTO_JSON_SPAN_H
#include <stddef.h>
#define MT_JSON_SPAN_INCOMPLETE ((size_t)0)
#define MT_JSON_SPAN_INVALID ((size_t)-1)
/* p[0] must be '{'. Returns the object's length, MT_JSON_SPAN_INCOMPLETE, or
 * MT_JSON_SPAN_INVALID (depth > 64 or a stray closing bracket). */
size_t mt_json_object_span(const char *p, size_t n);
/* Index of the quote closing the string whose opening quote is at p[open],
 * or n when it does not close within p[0..n). memchr to each quote, which
 * ends the string unless an odd run of backslashes stands right before it
 * (long hex strings are crossed in one call). Shared with proto/json.c. */
size_t mt_json_string_end(const char *p, size_t n, size_t open);
#endif
