/* The ClientHello part of the first-minute shape (see flowshape.h). */
#include "capture/flowshape.h"

#include <string.h>

#include "proto/tls.h"


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
