/* Stratum V2 without encryption: a client that opens with a plaintext
 * SetupConnection marks the flow as SV2 (the flow detector scores it), and
 * both directions are cut into SV2 frames (extension_type U16 | msg_type
 * U8 | msg_length U24, little-endian) and counted. SV2 messages have no
 * event of their own yet; encrypted SV2 (Noise) is recognised by the flow
 * detector from the handshake sizes. */
#include "capture/framer.h"
#include "util/cursor.h"
#include "proto/sv2.h"

/* NewTemplate and SetCustomMiningJob carry a coinbase and a merkle path:
 * a few hundred bytes to a few KB. */
#define SV2_MAX 8192u
#define SV2_HEADER 6u

static int sv2_probe(const mt_flow *f, int dir, const uint8_t *p, size_t n)
{
    if (dir == 0) return mt_sv2_is_setup_connection(p, n) ? MT_PROBE_YES : MT_PROBE_NO;
    return f->d[0].framer == MT_FR_SV2 ? MT_PROBE_YES : MT_PROBE_NO;
}

static size_t sv2_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    /* The probe saw a SetupConnection: SV2 even if the rest never comes. */
    if (cx->dir == 0) cx->f->app = MT_APP_SV2;
    if (m < SV2_HEADER) return MT_FR_MORE;
    mt_cur c = mt_cur_make(q + 3, 3); /* extension type, message type, then the 24-bit length */
    size_t total = SV2_HEADER + mt_cur_le24(&c);
    if (total > SV2_MAX) {
        mt_stream_count_over_limit(cx);
        mt_stream_skip(cx, total);
        return 0;
    }
    if (m < total) return MT_FR_MORE;
    mt_stream_count_msg(cx);
    return total;
}

const mt_framer mt_framer_sv2 = {
    .name = "sv2",
    .id = MT_FR_SV2,
    .state_size = 0,
    .resync_nl = 0,
    .max_msg = SV2_MAX,
    .first_lo = 0x00, /* extension_type 0x0000 */
    .first_hi = 0x00,
    .probe = sv2_probe,
    .parse = sv2_parse,
};
