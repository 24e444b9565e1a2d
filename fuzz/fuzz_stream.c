/* Fuzz target for the stream layer: arbitrary segments, in both directions,
 * with gaps and flow ends, fed to the driver and its framers.
 *   byte 0: the flow: bits 0-2 pick the server port (53, 80, 443, 3333,
 *           8332, 3336, 445, 9999), bit 3 marks it captured mid-stream,
 *           bits 4-5 pick the --inspect-bytes budget (1 MiB, 16 KiB, 300, 0)
 *   then records: ctl (bit 0 direction, bit 1 a gap before, bit 2 the flow
 *           ends first and a new one starts), length (2 bytes, big-endian),
 *           that many bytes (fewer if the input ends).
 * After every record the per-direction state must be consistent: a known
 * framer, a block exactly when bytes are held, the budget respected.
 * Seeds (fuzz/corpus/fuzz_stream/) are TCP streams of corpus captures
 * (cgminer getwork over HTTP, Stratum v1, Ethereum stratum, a TLS hello,
 * mid-stream XMRig, DNS over TCP), converted by fuzz/stream_seeds.py, and
 * tunnels written by hand (socks*.bin, http_connect_tls.bin: SOCKS 4a/5 and
 * HTTP CONNECT handshakes from RFC 1928/1929, then TLS, HTTP or Stratum). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stream.h"

static const uint16_t ports[8] = {53, 80, 443, 3333, 8332, 3336, 445, 9999};
static const uint32_t budgets[4] = {1u << 20, 16384, 300, 0};

static void sink(void *ctx, mt_flow *f, int dir, mt_time_us ts, mt_event *ev)
{
    (void)ctx;
    (void)f;
    (void)ts;
    /* Touch what a detector reads, so ASan sees any bad span. */
    volatile uint8_t x = (uint8_t)dir;
    if (ev->type == MT_EV_JSON_MSG && ev->u.json->len)
        x ^= (uint8_t)(ev->u.json->text[0] ^ ev->u.json->text[ev->u.json->len - 1]);
    if (ev->type == MT_EV_WS_MSG && ev->u.ws->len)
        x ^= (uint8_t)(ev->u.ws->text[0] ^ ev->u.ws->text[ev->u.ws->len - 1]);
    if (ev->type == MT_EV_HTTP_REQUEST && ev->u.http->body_len)
        x ^= ev->u.http->body[ev->u.http->body_len - 1];
    (void)x;
}

static void check(const mt_flow *f, uint32_t budget)
{
    for (int d = 0; d < 2; d++) {
        const mt_dirstate *ds = &f->d[d];
        if (ds->framer >= MT_FR_COUNT && ds->framer != MT_FR_STOP && ds->framer != MT_FR_CUT)
            __builtin_trap();
        if ((ds->blk == 0) != (ds->blk_len == 0)) __builtin_trap();
        if (ds->inspected > budget) __builtin_trap();
    }
}

static void flow_init(mt_flow *f, uint8_t setup)
{
    memset(f, 0, sizeof *f);
    f->ipproto = 6;
    f->cli_port = 40000;
    f->srv_port = ports[setup & 7];
    if (setup & 8) f->flags |= MT_FLOW_GUESSED;
    f->in_use = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t setup = data[0];
    uint32_t budget = budgets[(setup >> 4) & 3];
    /* Few blocks, so pool exhaustion is reached too. */
    mt_stream_config c = {budget, 4, 2};
    mt_stream *s = mt_stream_new(&c, sink, NULL);
    mt_flow f;
    flow_init(&f, setup);
    mt_time_us t = 1500000000000000LL;
    size_t i = 1;
    while (i + 3 <= size) {
        uint8_t ctl = data[i];
        size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i) len = size - i;
        int dir = ctl & 1;
        if (ctl & 4) {
            mt_stream_release(s, &f);
            free(f.extra);
            flow_init(&f, setup);
        }
        if (ctl & 2) mt_stream_gap(s, &f, dir);
        /* An exact-size copy, so reads past the segment are caught. */
        uint8_t *seg = malloc(len ? len : 1);
        memcpy(seg, data + i, len);
        if (len) mt_stream_feed(s, &f, dir, t += 1000, seg, len);
        free(seg);
        i += len;
        check(&f, budget);
    }
    mt_stream_release(s, &f);
    free(f.extra);
    mt_stream_free(s);
    return 0;
}
