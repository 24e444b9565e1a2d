/* Fuzz target for the HTTP/1.x head decoder: the input is parsed as a
 * request and as a response; on success the head length must lie inside
 * the input. */
#include <stdint.h>

#include "proto/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_http_request r;
    mt_http_response rs;
    size_t hl = 0;
    (void)mt_http_looks_like_request(data, size);
    (void)mt_http_looks_like_response(data, size);
    if (mt_http_parse_request(data, size, &r, &hl) == MT_OK && hl > size) __builtin_trap();
    hl = 0;
    if (mt_http_parse_response(data, size, &rs, &hl) == MT_OK && hl > size) __builtin_trap();
    return 0;
}
