/* First-minute conversation shape of a flow (mt_flow_shape in
 * include/minetrace/event.h), counted packet by packet: job pushes, share
 * submit/accept pairs, a login answered by a job, client-led bursts, bulk.
 * From payload sizes and silences only, so TLS hides none of it. Used by
 * the packet pipeline and, on recorded packet sequences, by the unit tests
 * (tests/unit/test_tls_shape.c). No allocation, 16 bytes of state. */
#ifndef MT_CAPTURE_FLOWSHAPE_H
#define MT_CAPTURE_FLOWSHAPE_H

#include "minetrace/event.h"

/* One payload packet: dir 0 client->server, 1 server->client; `since_start`
 * = time since the flow's first packet; `gap` = time since the previous
 * payload packet of either direction, `has_prev` 0 for the first payload
 * packet; `client_payloads` = client payload packets so far, this one
 * included. Packets after MT_SHAPE_WINDOW_US are ignored. */
void mt_flowshape_packet(mt_flow_shape *sh, int dir, uint32_t len, mt_time_us since_start,
                         mt_time_us gap, int has_prev, uint64_t client_payloads);

/* What the hello says (SNI, ALPN; the JA4 hash for hellos with neither). */
void mt_flowshape_hello(mt_flow_shape *sh, const mt_tls_hello *t);

/* The shape as a flow-end statistic (packet-path-only bits cleared). */
static inline mt_flow_shape mt_flowshape_final(const mt_flow_shape *sh)
{
    mt_flow_shape s = *sh;
    s.flags &= (uint8_t)~(MT_SHAPE_PENDING | MT_SHAPE_LOGIN_PENDING | MT_SHAPE_PING_PENDING);
    return s;
}

#endif
