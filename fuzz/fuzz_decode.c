/* Fuzz the packet decoder and the whole packet pipeline (flows, stream
 * inspection, all parsers and detectors) one frame at a time. The first
 * input byte picks the link type; the rest is a sequence of frames, each
 * prefixed by a 2-byte length. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/pipeline.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int links[] = {1, 113, 276, 101, 0, 108, 228, 229};
    if (size < 1) return 0;
    int lt = links[data[0] % 8];
    static mt_intel *intel;
    if (!intel) {
        intel = mt_intel_new();
        mt_intel_load_builtin(intel);
    }
    /* One engine for the whole run: its tables are bounded, and building
     * them per input would dominate the fuzzer's time. */
    static mt_engine *e;
    if (!e) e = mt_engine_new(intel, NULL);
    mt_pipeline_config c;
    mt_pipeline_config_defaults(&c);
    c.max_flows = 64;
    c.max_blocks = 16;
    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(e), mt_engine_intel(e), &c);
    size_t off = 1;
    mt_time_us t = 1000000;
    while (off + 2 <= size) {
        size_t n = (size_t)data[off] << 8 | data[off + 1];
        off += 2;
        if (n > size - off) n = size - off;
        /* The fast path must agree with the general decoder. */
        mt_packet a, b;
        mt_decode_result ra = mt_decode_packet(lt, data + off, (uint32_t)n, &a);
        mt_decode_result rb = mt_decode_packet_general(lt, data + off, (uint32_t)n, &b);
        if (ra != rb ||
            (ra == MT_DEC_OK &&
             (a.ipproto != b.ipproto || a.sport != b.sport || a.dport != b.dport ||
              a.tcp_flags != b.tcp_flags || a.seq != b.seq || a.payload != b.payload ||
              a.payload_len != b.payload_len || a.payload_wire_len != b.payload_wire_len ||
              a.is_first_fragment != b.is_first_fragment ||
              memcmp(&a.src, &b.src, sizeof a.src) != 0 || memcmp(&a.dst, &b.dst, sizeof a.dst) != 0)))
            abort();
        mt_pipeline_packet(pl, lt, t, data + off, (uint32_t)n, (uint32_t)n);
        t += 1000;
        off += n;
    }
    mt_pipeline_finish(pl);
    mt_engine_flush(e);
    mt_pipeline_free(pl);
    return 0;
}
