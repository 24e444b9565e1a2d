/* TEMPORARY: stands in for src/proto/http.c until that parser lands; CMake
 * compiles this file only while src/proto/http.c does not exist. Returns
 * "not this protocol" for everything, so no event is produced. */
#include <string.h>
#include "proto/http.h"
int mt_http_looks_like_request(const uint8_t *p, size_t n){return (n>=5&&(!memcmp(p,"GET ",4)||!memcmp(p,"POST ",5)));}
int mt_http_looks_like_response(const uint8_t *p, size_t n){return n>=5&&!memcmp(p,"HTTP/",5);}
int mt_http_parse_request(const uint8_t *p, size_t n, mt_http_request *out, size_t *hl){(void)p;(void)n;(void)out;(void)hl;return MT_ENOTFOUND;}
int mt_http_parse_response(const uint8_t *p, size_t n, mt_http_response *out, size_t *hl){(void)p;(void)n;(void)out;(void)hl;return MT_ENOTFOUND;}
