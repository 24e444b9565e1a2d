/* DNS message decoder (RFC 1035): header, first question, answer section
 * (A, AAAA, CNAME kept; others skipped). Bounds-checked against `n`; names
 * lower-cased, labels <= 63, names <= 255, compression pointers must move
 * strictly backwards (no loops). For DNS over TCP pass the message without
 * its 2-byte length prefix. */
#ifndef MT_PROTO_DNS_H
#define MT_PROTO_DNS_H
#include "minetrace/event.h"
/* MT_OK, or MT_ETRUNC / MT_EINVAL on bad input (a status only: no
 * message is recorded, the caller counts it). On
 * MT_ETRUNC inside the answer section, `out` holds what was decoded. */
int mt_dns_parse(const uint8_t *p, size_t n, mt_dns *out);
#endif
