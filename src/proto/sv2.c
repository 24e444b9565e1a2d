/* Stratum V2 recognisers (see sv2.h). Frame header (plaintext):
 * extension_type U16 LE | msg_type U8 | msg_length U24 LE | payload.
 * SetupConnection payload: protocol U8 | min_version U16 | max_version U16 |
 * flags U32 | endpoint_host STR0_255 | endpoint_port U16 | vendor,
 * hardware_version, firmware, device_id STR0_255. Every field is checked
 * against both the segment length and the announced message length. */
#include "proto/sv2.h"

static int printable_str(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] > 0x7e) return 0;
    return 1;
}

int mt_sv2_is_setup_connection(const uint8_t *p, size_t n)
{
    if (!p || n < 6 + 11) return 0;
    if (p[0] != 0 || p[1] != 0 || p[2] != 0x00) return 0; /* core ext, SetupConnection */
    uint32_t mlen = (uint32_t)p[3] | ((uint32_t)p[4] << 8) | ((uint32_t)p[5] << 16);
    /* fixed part 9 + host len byte 1 + port 2 + four STR0_255 len bytes */
    if (mlen < 16 || mlen > 9 + 5 * 256 + 2) return 0;
    const uint8_t *m = p + 6;
    size_t avail = n - 6 < mlen ? n - 6 : mlen;
    if (avail < 10) return 0;
    if (m[0] > 2) return 0; /* Mining, JobDeclaration, TemplateDistribution */
    unsigned minv = (unsigned)m[1] | ((unsigned)m[2] << 8);
    unsigned maxv = (unsigned)m[3] | ((unsigned)m[4] << 8);
    if (minv != 2 || maxv < minv || maxv > 16) return 0;
    size_t hl = m[9];
    if (hl == 0) return 0; /* a client names the endpoint it dialled */
    if (10 + hl + 2 > mlen) return 0;  /* host and port must fit the message */
    if (10 + hl > avail) return hl > 0 && printable_str(m + 10, avail - 10);
    return printable_str(m + 10, hl);
}

int mt_sv2_is_noise_handshake(const int32_t *sizes, size_t n)
{
    if (!sizes || n < 2) return 0;
    return sizes[0] == MT_SV2_NOISE_ACT1 && sizes[1] == -MT_SV2_NOISE_ACT2;
}
