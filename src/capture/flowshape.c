/* First-minute conversation shape (see flowshape.h). Size bands: a Monero
 * job (76-byte blob in hex, target, job id, algo, height, maybe a seed
 * hash) inside a TLS record is 250-700 bytes, a share submit (job id, nonce,
 * 32-byte result in hex) 150-400, a pool's status answer 40-160; a login
 * (agent, algorithm list) is 400 bytes or more. */
#include "capture/flowshape.h"

#include <string.h>

#include "proto/tls.h"

#define SILENCE_US 1000000 /* a payload after this much quiet starts a burst */
#define ANSWER_US 1000000  /* an answer comes within this */

void mt_flowshape_hello(mt_flow_shape *sh, const mt_tls_hello *t)
{
    sh->flags |= MT_SHAPE_HELLO;
    if (t->sni[0]) sh->flags |= MT_SHAPE_SNI;
    if (t->alpn[0]) sh->flags |= MT_SHAPE_ALPN;
    if (t->sni[0] || t->alpn[0]) return;
    /* JA4 is built only for hellos without SNI and ALPN (30 of the 837
     * corpus hellos), not for every hello. */
    char ja4[37];
    if (mt_tls_ja4(t, ja4)) sh->hello_fp = mt_flow_shape_fp(ja4, strlen(ja4));
}

void mt_flowshape_packet(mt_flow_shape *sh, int dir, uint32_t l, mt_time_us since_start,
                         mt_time_us gap, int has_prev, uint64_t client_payloads)
{
    if (since_start > MT_SHAPE_WINDOW_US) return;
    int pending = (sh->flags & MT_SHAPE_PENDING) != 0;
    int login = (sh->flags & MT_SHAPE_LOGIN_PENDING) != 0;
    int ping = (sh->flags & MT_SHAPE_PING_PENDING) != 0;
    sh->flags &= (uint8_t)~(MT_SHAPE_PENDING | MT_SHAPE_LOGIN_PENDING | MT_SHAPE_PING_PENDING);
    int silence = has_prev && gap >= SILENCE_US;
    if (dir == 0 && l >= 400 && client_payloads >= 2 && !(sh->flags & MT_SHAPE_LOGIN))
        sh->flags |= MT_SHAPE_LOGIN_PENDING;
    if (dir == 1) {
        if (login && gap <= ANSWER_US && l >= 200 && l <= 1400) sh->flags |= MT_SHAPE_LOGIN;
        if (l > 1400 && sh->bulk_s2c < UINT16_MAX) sh->bulk_s2c++;
        int short_answer = gap <= ANSWER_US && l >= 40 && l <= 160;
        if (pending || ping) {
            uint8_t *c = !short_answer ? &sh->client_led : pending ? &sh->pairs : &sh->pings;
            if (*c < UINT8_MAX) (*c)++;
        } else if (silence && l >= 150 && l <= 1400 && sh->pushes < UINT8_MAX) {
            sh->pushes++;
            if (!sh->push_min || l < sh->push_min) sh->push_min = (uint16_t)l;
            if (l > sh->push_max) sh->push_max = (uint16_t)l;
        }
    } else if (silence) {
        if (l >= 150 && l <= 400) sh->flags |= MT_SHAPE_PENDING;
        else if (l >= 90 && l < 150) sh->flags |= MT_SHAPE_PING_PENDING;
        else if (sh->client_led < UINT8_MAX) sh->client_led++;
    }
}
