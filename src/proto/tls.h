/* TLS ClientHello decoder: SNI, ALPN, JA3 (string and MD5), JA4 on demand. `p` is the start
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
/* JA4 fingerprint of a decoded hello ("t13d1516h2_8daaf6152771_e5627efa2ab1",
 * 36 characters + NUL) into out: built here from the lists the parser
 * recorded (a sort and two SHA-256 runs: call it only when the value is
 * going to be used), or copied when the hello came with one as text.
 * Returns 1, or 0 with out = "" when the hello carries no JA4 inputs
 * (e.g. from a log without a ja4 field) or libcrypto could not hash. */
int mt_tls_ja4(const mt_tls_hello *t, char out[37]);
/* JA3 string (into str, cut to cap; str may be NULL with cap 0) and its MD5
 * hex (into hash): built from the recorded lists, or copied when the hello
 * carries them as text (logs, oversized lists). Returns 1, or 0 with an
 * empty hash when the hello has no JA3 (a log without one) or libcrypto
 * could not hash. */
int mt_tls_ja3(const mt_tls_hello *t, char *str, size_t cap, char hash[33]);
#endif
