/* Fuzz target for WebSocket framing and the browser-miner detector: the
 * input is a stream of frames; each complete text frame is unmasked and fed
 * to mt_detector_websocket as an MT_EV_WS_MSG event through a real engine
 * with builtin intel. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/engine.h"
#include "proto/websocket.h"

static mt_engine *engine(void)
{
    static mt_engine *e;
    static mt_intel *in;
    if (!e) {
        in = mt_intel_new();
        mt_intel_load_builtin(in);
        e = mt_engine_new(in, NULL);
    }
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    int frames = 0;
    while (off < size && frames++ < 64) {
        mt_ws_frame f;
        if (mt_ws_frame_parse(data + off, size - off, &f) != MT_OK) break;
        if (f.header_len > size - off || f.payload_len > size - off - f.header_len) break;
        size_t n = (size_t)f.payload_len;
        uint8_t *p = malloc(n ? n : 1);
        memcpy(p, data + off + f.header_len, n);
        if (f.masked) mt_ws_unmask(p, n, f.mask, 0);
        mt_ws_msg m;
        memset(&m, 0, sizeof m);
        m.text = (const char *)p;
        m.len = n;
        mt_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = MT_EV_WS_MSG;
        ev.flow_id = (uint64_t)frames;
        ev.flags = f.masked ? MT_EVF_TO_SERVER : 0;
        ev.cli.family = 4;
        ev.srv.family = 4;
        ev.u.ws = &m;
        mt_engine_event(engine(), &ev);
        free(p);
        off += f.header_len + n;
    }
    return 0;
}
