/* WebSocket (RFC 6455), entered from the HTTP framer after an Upgrade that
 * the server accepted with 101: each data frame (text, binary,
 * continuation) becomes a message event with its payload unmasked, tagged
 * with the host and URI of the Upgrade request. Control frames are passed
 * over. Compressed payloads (permessage-deflate) are handed on as they are;
 * the detector inflates them. */
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
