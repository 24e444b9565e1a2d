/* Finds where a top-level JSON object ends in a byte stream, so TCP streams
 * can be cut into messages whether or not they are newline-delimited (HTTP
 * getwork bodies are not). Strings and escapes are honoured; nesting depth is
 * capped. A framer, not a reader: it validates nothing, the messages it cuts
 * are read by util/json.h. */
#ifndef MT_PROTO_JSON_SPAN_H
#define MT_PROTO_JSON_SPAN_H
#include <stddef.h>
#define MT_JSON_SPAN_INCOMPLETE ((size_t)0)
#define MT_JSON_SPAN_INVALID ((size_t)-1)
/* p[0] must be '{'. Returns the object's length, MT_JSON_SPAN_INCOMPLETE, or
 * MT_JSON_SPAN_INVALID (depth > 64 or a stray closing bracket). */
size_t mt_json_object_span(const char *p, size_t n);
#endif
