/* TEMPORARY: stands in for src/proto/tls.c until that parser lands; CMake
 * compiles this file only while src/proto/tls.c does not exist. Returns
 * "not this protocol" for everything, so no event is produced. */
#include <string.h>
#include "proto/tls.h"
int mt_tls_looks_like(const uint8_t *p, size_t n){return n>=3&&p[0]==0x16&&p[1]==3;}
int mt_tls_parse_client_hello(const uint8_t *p, size_t n, mt_tls_hello *out){(void)p;(void)n;(void)out;return MT_ENOTFOUND;}
