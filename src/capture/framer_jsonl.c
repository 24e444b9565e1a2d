/* JSON lines: Stratum (v1, Ethereum, Zcash dialects) and other JSON-RPC over
 * raw TCP, one object per message whether or not objects are newline
 * delimited. Joined mid-stream (a guessed flow), a direction is read from
 * the next newline. An object larger than the limit, or one that does not
 * parse, is skipped to the next newline. */
#include <string.h>

#include "capture/framer.h"
#include "proto/http.h"
#include "proto/json_span.h"

/* Stratum messages are small; mining.notify with a long merkle branch and
 * getblocktemplate replies (which come over HTTP) are the large ones. */
#define JSONL_MAX 8192u

void mt_stream_emit_json(mt_stream_cx *cx, const uint8_t *p, size_t n, int in_body)
{
    mt_json_msg jm = {(const char *)p, n, (uint8_t)in_body};
    mt_event ev = {0};
    ev.type = MT_EV_JSON_MSG;
    ev.u.json = &jm;
    if (cx->f->app == MT_APP_UNKNOWN) cx->f->app = MT_APP_JSON;
    mt_stream_emit(cx, &ev);
}

static int jsonl_probe(const mt_flow *f, int dir, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && mt_stream_is_ws(p[i])) i++;
    if (i < n && p[i] == '{') return MT_PROBE_YES;
    if (f->srv_port == 445 || f->srv_port == 139) return MT_PROBE_NO;
    /* Captured mid-stream: we may be inside a line. */
    if (f->flags & MT_FLOW_GUESSED) return MT_PROBE_MIDSTREAM;
    return MT_PROBE_NO;
}

/* Every whole object in q[0..m), one event each. */
static size_t jsonl_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    size_t i = 0;
    for (;;) {
        while (i < m && mt_stream_is_ws(q[i])) i++;
        if (i == m) return m;
        if (q[i] != '{') {
            /* HTTP on a connection that started with JSON (some proxies). */
            if (cx->dir == 0 && mt_http_looks_like_request(q + i, m - i))
                mt_stream_switch(cx, cx->dir, MT_FR_HTTP);
            else
                cx->ds->skip_to_nl = 1;
            return i;
        }
        size_t span = mt_json_object_span((const char *)q + i, m - i);
        if (span == MT_JSON_SPAN_INCOMPLETE) return MT_FR_MORE + i;
        if (span == MT_JSON_SPAN_INVALID) {
            mt_stream_count_malformed(cx);
            cx->ds->skip_to_nl = 1;
            return i + 1;
        }
        mt_stream_count_msg(cx);
        mt_stream_emit_json(cx, q + i, span, 0);
        i += span;
    }
}

const mt_framer mt_framer_jsonl = {
    .name = "jsonl",
    .id = MT_FR_JSONL,
    .state_size = 0,
    .resync_nl = 1,
    .max_msg = JSONL_MAX,
    .first_lo = 0x00, /* any: also the fallback for guessed mid-stream flows */
    .first_hi = 0xff,
    .probe = jsonl_probe,
    .parse = jsonl_parse,
};
