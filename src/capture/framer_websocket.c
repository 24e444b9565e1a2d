/* WebSocket (RFC 6455), entered from the HTTP framer after an Upgrade that
 * the server accepted with 101: each data frame (text, binary,
 * continuation) becomes a message event with its payload unmasked, tagged
 * with the host and URI of the Upgrade request. Control frames are passed
 * over. Compressed payloads (permessage-deflate) of a direction that
 * keeps its compression context (negotiated without *_no_context_takeover)
 * are inflated here, in order, through a context the stream layer lends
 * (MT_WS_CTX_MAX at most, counted when none is free): later messages refer
 * back into earlier ones and decode only so. Other compressed payloads are
 * handed on as they are; the detector inflates them one by one. */
#include <string.h>

#include "capture/framer.h"
#include "proto/websocket.h"

/* Browser-miner job and submit messages are well under this. */
#define WS_MAX MT_STREAM_SCRATCH

static size_t ws_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    mt_ws_frame fr;
    int r = mt_ws_frame_parse(q, m, &fr);
    if (r == MT_EAGAIN) return MT_FR_MORE;
    if (r != MT_OK) {
        mt_stream_count_malformed(cx);
        mt_stream_stop(cx, cx->dir);
        return m;
    }
    uint64_t total = fr.header_len + fr.payload_len;
    if (total > WS_MAX) {
        mt_stream_count_over_limit(cx);
        mt_stream_skip(cx, total);
        /* A kept compression context cannot skip a message: it is lost. */
        mt_flow_extra *x = cx->f->extra;
        if (x && x->ws_ctx[cx->dir] == WS_CTX_WANTED && (fr.rsv1 || x->ws_in_msg[cx->dir])) {
            if (x->wsz[cx->dir]) cx->st->ws_ctx_broken++;
            x->ws_ctx[cx->dir] = WS_CTX_GONE;
            mt_stream_ws_ctx_drop(cx, cx->dir);
        }
        return 0;
    }
    if (m < total) return MT_FR_MORE;
    mt_stream_count_msg(cx);
    if (fr.opcode == 1 || fr.opcode == 0 || fr.opcode == 2) {
        size_t len = (size_t)fr.payload_len;
        uint8_t *buf = mt_stream_scratch(cx);
        memcpy(buf, q + fr.header_len, len);
        if (fr.masked) mt_ws_unmask(buf, len, fr.mask, 0);
        mt_ws_msg wm;
        memset(&wm, 0, sizeof wm);
        wm.text = (const char *)buf;
        wm.len = len;
        mt_flow_extra *xc = cx->f->extra;
        int dir = cx->dir;
        /* A compressed message starts with RSV1 on its first frame; its
         * continuation frames belong to it. */
        int compressed = fr.opcode != 0 ? fr.rsv1 : xc && xc->ws_in_msg[dir];
        if (compressed && xc && xc->ws_ctx[dir] == WS_CTX_WANTED) {
            if (fr.opcode != 0) xc->ws_in_msg[dir] = !fr.fin;
            else if (fr.fin) xc->ws_in_msg[dir] = 0;
            mt_ws_inflater *z = mt_stream_ws_ctx(cx, dir);
            size_t n = 0;
            int cut = 0;
            uint8_t *out = mt_stream_scratch2(cx);
            if (!z) {
                xc->ws_ctx[dir] = WS_CTX_GONE; /* passed on as it is, like before */
            } else if (mt_ws_inflate_more(z, buf, len, fr.fin, out, MT_STREAM_SCRATCH, &n, &cut) != MT_OK) {
                cx->st->ws_ctx_broken++;
                xc->ws_ctx[dir] = WS_CTX_GONE;
                mt_stream_ws_ctx_drop(cx, dir);
            } else {
                cx->st->ws_inflated++;
                if (cut) mt_stream_count_over_limit(cx);
                wm.text = (const char *)out;
                wm.len = n;
                wm.inflated = 1;
            }
        }
        const mt_flow_extra *x = cx->f->extra;
        if (x) {
            mt_strlcpy(wm.host, x->ws_host, sizeof wm.host);
            mt_strlcpy(wm.uri, x->ws_uri, sizeof wm.uri);
        }
        mt_event ev = {0};
        ev.type = MT_EV_WS_MSG;
        ev.u.ws = &wm;
        cx->f->app = MT_APP_WEBSOCKET;
        mt_stream_emit(cx, &ev);
    }
    return (size_t)total;
}

const mt_framer mt_framer_websocket = {
    .name = "websocket",
    .id = MT_FR_WEBSOCKET,
    .state_size = 0,
    .resync_nl = 0,
    .max_msg = WS_MAX,
    .probe = NULL,
    .parse = ws_parse,
};
