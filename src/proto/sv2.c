/* Stratum V2 recognisers (see sv2.h). Frame header (plaintext):
 * extension_type U16 LE | msg_type U8 | msg_length U24 LE | payload.
 * SetupConnection payload: protocol U8 | min_version U16 | max_version U16 |
 * flags U32 | endpoint_host STR0_255 | endpoint_port U16 | vendor,
 * hardware_version, firmware, device_id STR0_255. Every field is checked
 * against both the segment length and the announced message length. */
#include "proto/sv2.h"

#include "util/cursor.h"

static int printable_str(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] > 0x7e) return 0;
    return 1;
}

int mt_sv2_is_setup_connection(const uint8_t *p, size_t n)
{
    if (!p || n < 6 + 11) return 0;
    mt_cur c = mt_cur_make(p, n);
    uint16_t ext = mt_cur_le16(&c);
    uint8_t type = mt_cur_u8(&c);
    uint32_t mlen = mt_cur_le24(&c);
    if (ext != 0 || type != 0x00) return 0; /* core extension, SetupConnection */
    /* fixed part 9 + host len byte 1 + port 2 + four STR0_255 len bytes */
    if (mlen < 16 || mlen > 9 + 5 * 256 + 2) return 0;
    mt_cur m = c;
    mt_cur_limit(&m, mlen); /* the message, or the part of it in this segment */
    uint8_t proto = mt_cur_u8(&m);
    unsigned minv = mt_cur_le16(&m), maxv = mt_cur_le16(&m);
    mt_cur_skip(&m, 4); /* flags */
    size_t hl = mt_cur_u8(&m);
    if (!mt_cur_ok(&m)) return 0;
    if (proto > 2) return 0; /* Mining, JobDeclaration, TemplateDistribution */
    if (minv != 2 || maxv < minv || maxv > 16) return 0;
    if (hl == 0) return 0; /* a client names the endpoint it dialled */
    if (10 + hl + 2 > mlen) return 0;  /* host and port must fit the message */
    /* A host cut by the segment end: judge the part present. */
    if (hl > mt_cur_left(&m)) return printable_str(mt_cur_ptr(&m), mt_cur_left(&m));
    return printable_str(mt_cur_take(&m, hl), hl);
}

int mt_sv2_is_noise_handshake(const int32_t *sizes, size_t n)
{
    if (!sizes || n < 2) return 0;
    return sizes[0] == MT_SV2_NOISE_ACT1 && sizes[1] == -MT_SV2_NOISE_ACT2;
}
