/* First-minute conversation shape of a flow (mt_flow_shape in
 * include/minetrace/event.h), counted packet by packet: job pushes, share
 * submit/accept pairs, a login answered by a job, client-led bursts, bulk,
 * pushes the client answers at once.
 * From payload sizes and silences only, so TLS hides none of it. Used by
 * the packet pipeline and, on recorded packet sequences, by the unit tests
 * (tests/unit/test_tls_shape.c). No allocation, 16 bytes of state. */
#ifndef MT_CAPTURE_FLOWSHAPE_H
#define MT_CAPTURE_FLOWSHAPE_H

#include "minetrace/event.h"

/* What the hello says (SNI, ALPN; the JA4 hash for hellos with neither). */
void mt_flowshape_hello(mt_flow_shape *sh, const mt_tls_hello *t);

/* The shape as a flow-end statistic (packet-path-only bits cleared). */
static inline mt_flow_shape mt_flowshape_final(const mt_flow_shape *sh)
{
    mt_flow_shape s = *sh;
    s.flags &= (uint8_t)~(MT_SHAPE_PENDING | MT_SHAPE_LOGIN_PENDING | MT_SHAPE_PING_PENDING |
                          MT_SHAPE_MINUTE);
    s.answered &= (uint8_t)~MT_SHAPE_PUSH_PENDING;
    return s;
}

/* Size bands: a Monero job (76-byte blob in hex, target, job id, algo,
 * height, maybe a seed hash) inside a TLS record is 250-700 bytes, a share
 * submit (job id, nonce, 32-byte result in hex) 150-400, a pool's status
 * answer 40-160, a keepalive 90-149; a login (agent, algorithm list) is
 * 400 bytes or more. Inline: it runs for every payload packet. */
#define MT_SHAPE_SILENCE_US 1000000 /* a payload after this much quiet starts a burst */
#define MT_SHAPE_ANSWER_US 1000000  /* an answer comes within this */
#define MT_SHAPE_POLL_US 100000     /* a client reply this soon after a push answers a poll */
/* One payload packet: dir 0 client->server, 1 server->client; `since_start`
 * = time since the flow's first packet; `gap` = time since the previous
 * payload packet of either direction, `has_prev` 0 for the first payload
 * packet; `client_payloads` = client payload packets so far, this one
 * included. Packets after MT_SHAPE_WINDOW_US are ignored. */
static inline void mt_flowshape_packet(mt_flow_shape *sh, int dir, uint32_t l,
                                       mt_time_us since_start, mt_time_us gap, int has_prev,
                                       uint64_t client_payloads)
{
    if (since_start > MT_SHAPE_WINDOW_US) return; /* the common case of a long flow */
    int pending = (sh->flags & MT_SHAPE_PENDING) != 0;
    int login = (sh->flags & MT_SHAPE_LOGIN_PENDING) != 0;
    int ping = (sh->flags & MT_SHAPE_PING_PENDING) != 0;
    int push = (sh->answered & MT_SHAPE_PUSH_PENDING) != 0;
    sh->flags &= (uint8_t)~(MT_SHAPE_PENDING | MT_SHAPE_LOGIN_PENDING | MT_SHAPE_PING_PENDING);
    sh->answered &= (uint8_t)~MT_SHAPE_PUSH_PENDING;
    int silence = has_prev && gap >= MT_SHAPE_SILENCE_US;
    if (dir == 0 && l >= 400 && client_payloads >= 2 && !(sh->flags & MT_SHAPE_LOGIN))
        sh->flags |= MT_SHAPE_LOGIN_PENDING;
    if (dir == 1) {
        if (login && gap <= MT_SHAPE_ANSWER_US && l >= 200 && l <= 1400) sh->flags |= MT_SHAPE_LOGIN;
        if (l > 1400 && sh->bulk_s2c < UINT16_MAX) sh->bulk_s2c++;
        int short_answer = gap <= MT_SHAPE_ANSWER_US && l >= 40 && l <= 160;
        if (pending || ping) {
            uint8_t *c = !short_answer ? &sh->client_led : pending ? &sh->pairs : &sh->pings;
            if (*c < UINT8_MAX) (*c)++;
        } else if (silence && l >= 150 && l <= 1400 && sh->pushes < UINT8_MAX) {
            sh->pushes++;
            sh->answered |= MT_SHAPE_PUSH_PENDING;
            if (!sh->push_min || l < sh->push_min) sh->push_min = (uint16_t)l;
            if (l > sh->push_max) sh->push_max = (uint16_t)l;
        }
        return;
    }
    /* a server that pushes and a client that answers at once is a poll
     * (the CESNET "Other" flows that looked most like job pushes) */
    if (push && gap <= MT_SHAPE_POLL_US && sh->answered < 127) sh->answered++;
    if (silence) {
        if (l >= 150 && l <= 400) sh->flags |= MT_SHAPE_PENDING;
        else if (l >= 90 && l < 150) sh->flags |= MT_SHAPE_PING_PENDING;
        else if (sh->client_led < UINT8_MAX) sh->client_led++;
    }
}

#endif
