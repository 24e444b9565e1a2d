/* HTTP/1.x request and response head decoder. */
#ifndef MT_PROTO_HTTP_H
#define MT_PROTO_HTTP_H
#include "minetrace/event.h"
/* Does the buffer start with an HTTP request method token and a space? */
int mt_http_looks_like_request(const uint8_t *p, size_t n);
int mt_http_looks_like_response(const uint8_t *p, size_t n);
/* Parse a request head. MT_OK with *head_len = bytes up to and including
 * the blank line; MT_EAGAIN when the head is incomplete; MT_ENOTFOUND when
 * not HTTP; MT_EINVAL when malformed. out->body is left NULL. */
int mt_http_parse_request(const uint8_t *p, size_t n, mt_http_request *out,
                          size_t *head_len);
/* Parse a response head: status code, Content-Length (0 if absent),
 * whether it switches to WebSocket, X-Stratum header presence. */
typedef struct mt_http_response {
    int status;
    uint64_t content_length;
    uint8_t has_content_length;
    uint8_t upgrade_websocket;
    uint8_t has_x_stratum;
    /* Sec-WebSocket-Extensions: permessage-deflate accepted, and which side
     * gave up context takeover ([0] client_, [1] server_no_context_takeover). */
    uint8_t ws_deflate;
    uint8_t ws_no_context[2];
    char x_stratum[256];
} mt_http_response;
int mt_http_parse_response(const uint8_t *p, size_t n, mt_http_response *out,
                           size_t *head_len);
#endif
