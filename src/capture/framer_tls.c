/* TLS: the client's ClientHello becomes an event (SNI, ALPN, JA3/JA4
 * inputs); after it everything is encrypted and neither direction is read
 * further. The hello may span several records and segments (post-quantum
 * key shares and many extensions make 2-10 KB hellos common); it is held
 * until complete, up to the parser's 16 KiB handshake cap plus room for the
 * record headers around it. */
#include "capture/framer.h"
#include "util/cursor.h"
#include "proto/tls.h"

/* The ClientHello cap of proto/tls.c (handshake header included). */
#define TLS_HELLO_MAX 16384u
/* Stream bytes held for one hello: the handshake plus the 5-byte headers
 * of up to 204 records carrying it. */
#define TLS_MSG_MAX (TLS_HELLO_MAX + 1024u)

static int tls_probe(const mt_flow *f, int dir, const uint8_t *p, size_t n)
{
    (void)f;
    (void)dir;
    return mt_tls_looks_like(p, n) ? MT_PROBE_YES : MT_PROBE_NO;
}

/* Walk the record headers: 1 when the whole hello is present or the
 * records are not what the parser accepts (it then says why), 0 when more
 * bytes are needed, -1 when the hello is larger than we hold. Saves
 * re-parsing (and re-gathering) a long hello on every segment. */
static int hello_ready(const uint8_t *p, size_t n)
{
    /* The handshake header must sit in the first record for this count. */
    mt_cur h = mt_cur_make(p, n);
    mt_cur_skip(&h, 3);
    size_t rl0 = mt_cur_be16(&h);
    unsigned type = mt_cur_u8(&h);
    size_t want = 4 + (size_t)mt_cur_be24(&h);
    if (!mt_cur_ok(&h) || type != 1 || rl0 < 4) return 1;
    if (want > TLS_HELLO_MAX) return -1;
    size_t have = 0, off = 0;
    for (;;) {
        mt_cur r = mt_cur_make(p + off, n - off);
        unsigned ct = mt_cur_u8(&r), major = mt_cur_u8(&r);
        mt_cur_skip(&r, 1);
        size_t rl = mt_cur_be16(&r);
        if (!mt_cur_ok(&r)) return 0;
        if (ct != 0x16 || major != 0x03) return 1;
        if (rl == 0 || rl > 16384 + 2048) return 1;
        if (have + rl >= want) return n - off - 5 >= want - have;
        if (n - off - 5 < rl) return 0;
        have += rl;
        off += 5 + rl;
        if (off > TLS_MSG_MAX) return -1;
    }
}

static size_t tls_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    mt_flow *f = cx->f;
    if (cx->dir == 1) {
        /* The server's hello and what follows: nothing we read. */
        mt_stream_stop(cx, 1);
        return m;
    }
    int ready = hello_ready(q, m);
    if (ready == 0) return MT_FR_MORE;
    if (ready < 0) {
        mt_stream_count_over_limit(cx);
    } else {
        mt_tls_hello hello;
        int r = mt_tls_parse_client_hello(q, m, &hello);
        if (r == MT_EAGAIN) return MT_FR_MORE;
        if (r == MT_OK) {
            mt_event ev = {0};
            ev.type = MT_EV_TLS_HELLO;
            ev.u.tls = &hello;
            if (hello.sni[0]) {
                mt_flow_extra *x = mt_stream_extra(f);
                mt_strlcpy(x->sni, hello.sni, sizeof x->sni);
            }
            f->app = MT_APP_TLS;
            mt_stream_count_msg(cx);
            mt_stream_emit(cx, &ev);
        } else {
            mt_stream_count_malformed(cx);
        }
    }
    /* After the hello everything is encrypted: stop both ways. */
    mt_stream_stop(cx, 0);
    mt_stream_stop(cx, 1);
    if (f->app == MT_APP_UNKNOWN) f->app = MT_APP_TLS;
    return m;
}

const mt_framer mt_framer_tls = {
    .name = "tls",
    .id = MT_FR_TLS,
    .state_size = 0,
    .resync_nl = 0,
    .max_msg = TLS_MSG_MAX,
    .first_lo = 0x16, /* handshake record */
    .first_hi = 0x16,
    .probe = tls_probe,
    .parse = tls_parse,
};
