/* The WebSocket framer with permessage-deflate and context takeover:
 * after a 101 that accepted the extension, each direction that keeps its
 * context is inflated in order through a context lent by the stream layer
 * (later messages refer back into earlier ones); a direction that gave up
 * context takeover is passed on as it is; contexts are capped per stream
 * (MT_WS_CTX_MAX), counted when refused, and returned at flow end.
 * Frames are compressed here with zlib, as a browser does (raw DEFLATE,
 * a sync flush per message, the 00 00 ff ff tail removed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "unit/test_stream_rig.h"

static const char *MSG1 = "{\"type\":\"auth\",\"params\":{\"site_key\":\"abcdefghijklmnopqrstuvwxyz0123456789\","
                          "\"type\":\"anonymous\",\"user\":null,\"goal\":0}}";
static const char *MSG2 = "{\"type\":\"submit\",\"params\":{\"site_key\":\"abcdefghijklmnopqrstuvwxyz0123456789\","
                          "\"job_id\":\"1\",\"nonce\":\"00000000\",\"result\":\"ff\"}}";

/* One message compressed on the sender's running stream, framed (RSV1,
 * FIN, masked when from the client). Returns the frame length. */
static size_t frame(z_stream *zs, const char *msg, int masked, uint8_t *out, size_t cap)
{
    uint8_t comp[1024];
    zs->next_in = (Bytef *)(uintptr_t)msg;
    zs->avail_in = (uInt)strlen(msg);
    zs->next_out = comp;
    zs->avail_out = sizeof comp;
    assert_int_equal(deflate(zs, Z_SYNC_FLUSH), Z_OK);
    size_t n = sizeof comp - zs->avail_out;
    assert_true(n >= 4 && memcmp(comp + n - 4, "\x00\x00\xff\xff", 4) == 0);
    n -= 4;
    assert_true(n < 126 && n + 6 <= cap);
    size_t o = 0;
    out[o++] = 0xc1; /* FIN, RSV1, text */
    out[o++] = (uint8_t)((masked ? 0x80 : 0) | n);
    static const uint8_t mask[4] = {0x11, 0x22, 0x33, 0x44};
    if (masked) { memcpy(out + o, mask, 4); o += 4; }
    for (size_t i = 0; i < n; i++) out[o + i] = (uint8_t)(comp[i] ^ (masked ? mask[i & 3] : 0));
    return o + n;
}

static void deflater(z_stream *zs)
{
    memset(zs, 0, sizeof *zs);
    assert_int_equal(deflateInit2(zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
}

static void upgrade(sr *r, const char *ext)
{
    sr_feed_str(r, 0, "GET /proxy HTTP/1.1\r\nHost: ws.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
    char resp[512];
    snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: %s\r\n\r\n", ext);
    sr_feed_str(r, 1, resp);
}

static void test_context_takeover(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8892);
    upgrade(r, "permessage-deflate");
    z_stream zc;
    deflater(&zc);
    uint8_t f[256];
    sr_feed(r, 0, f, frame(&zc, MSG1, 1, f, sizeof f));
    sr_feed(r, 0, f, frame(&zc, MSG2, 1, f, sizeof f)); /* refers back into MSG1 */
    deflateEnd(&zc);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 2);
    assert_string_equal(r->ev[r->n - 2].text, MSG1);
    assert_string_equal(r->ev[r->n - 1].text, MSG2);
    assert_int_equal(sr_stats(r)->ws_inflated, 2);
    assert_int_equal(sr_stats(r)->ws_ctx_made, 1);
    assert_true(r->f.flags & MT_FLOW_WS_INFLATE);
    mt_stream_release(r->s, &r->f);
    assert_false(r->f.flags & MT_FLOW_WS_INFLATE);
    /* Measured once returned: zlib's state and its 32 KB window. */
    assert_true(sr_stats(r)->ws_ctx_bytes > 32768 && sr_stats(r)->ws_ctx_bytes < 48 * 1024);
    sr_free(r);
}

/* client_no_context_takeover: the client's messages are left to the
 * detector's one-message inflation (no context lent). */
static void test_no_context_takeover(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8892);
    upgrade(r, "permessage-deflate; client_no_context_takeover");
    z_stream zc;
    deflater(&zc);
    uint8_t f[256];
    sr_feed(r, 0, f, frame(&zc, MSG1, 1, f, sizeof f));
    deflateEnd(&zc);
    assert_int_equal(sr_count(r, MT_EV_WS_MSG), 1);
    assert_int_not_equal(r->ev[r->n - 1].text[0], '{'); /* still compressed */
    assert_int_equal(sr_stats(r)->ws_ctx_made, 0);
    assert_int_equal(sr_stats(r)->ws_inflated, 0);
    sr_free(r);
}

/* More flows than contexts: the last ones are refused and counted, their
 * messages passed on as they are; contexts come back at flow end. */
static void test_cap(void **state)
{
    (void)state;
    sr *r = sr_new(40000, 8892);
    enum { NF = MT_WS_CTX_MAX + 3 };
    mt_flow *flows = calloc(NF, sizeof *flows);
    uint8_t f[256];
    for (int i = 0; i < NF; i++) {
        mt_flow *fl = &flows[i];
        fl->ipproto = 6;
        fl->cli_port = (uint16_t)(30000 + i);
        fl->srv_port = 8892;
        fl->in_use = 1;
        mt_flow keep = r->f;
        r->f = *fl;
        upgrade(r, "permessage-deflate");
        z_stream zc;
        deflater(&zc);
        mt_stream_feed(r->s, &r->f, 0, 0, f, frame(&zc, MSG1, 1, f, sizeof f));
        deflateEnd(&zc);
        *fl = r->f;
        r->f = keep;
    }
    assert_int_equal(sr_stats(r)->ws_ctx_made, MT_WS_CTX_MAX);
    assert_int_equal(sr_stats(r)->ws_ctx_peak, MT_WS_CTX_MAX);
    assert_int_equal(sr_stats(r)->ws_ctx_refused, 3);
    assert_int_equal(sr_stats(r)->ws_inflated, MT_WS_CTX_MAX);
    for (int i = 0; i < NF; i++) {
        mt_stream_release(r->s, &flows[i]);
        free(flows[i].extra);
    }
    /* Reused, not made again, by the next flow. */
    r->f.extra = NULL;
    r->n = 0;
    upgrade(r, "permessage-deflate");
    z_stream zc;
    deflater(&zc);
    sr_feed(r, 0, f, frame(&zc, MSG1, 1, f, sizeof f));
    deflateEnd(&zc);
    assert_int_equal(sr_stats(r)->ws_ctx_made, MT_WS_CTX_MAX);
    assert_string_equal(r->ev[r->n - 1].text, MSG1);
    free(flows);
    sr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_takeover),
        cmocka_unit_test(test_no_context_takeover),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
