/* TLS ClientHello decoder: SNI, ALPN, JA3 (string and MD5). `p` is the start
 * of the client's byte stream (the first TLS record). */
#ifndef MT_PROTO_TLS_H
#define MT_PROTO_TLS_H
#include "minetrace/event.h"
/* Does the stream start like a TLS handshake record (0x16 0x03 0x0X)? */
int mt_tls_looks_like(const uint8_t *p, size_t n);
/* MT_OK when a full ClientHello was decoded; MT_EAGAIN when more bytes are
 * needed (the record spans segments); MT_ENOTFOUND when this is not a
 * ClientHello; MT_EINVAL when malformed. */
int mt_tls_parse_client_hello(const uint8_t *p, size_t n, mt_tls_hello *out);
#endif
