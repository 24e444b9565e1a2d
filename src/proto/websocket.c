/* RFC 6455 framing: header decode and XOR unmasking. */
#include "proto/websocket.h"

int mt_ws_frame_parse(const uint8_t *p, size_t n, mt_ws_frame *f)
{
    if (n < 2) return MT_EAGAIN;
    f->fin = p[0] >> 7;
    if (p[0] & 0x70) return mt_error_set(MT_EINVAL, "websocket: reserved bits set");
    f->opcode = p[0] & 0x0f;
    f->masked = p[1] >> 7;
    uint64_t len = p[1] & 0x7f;
    size_t h = 2;
    if (len == 126) {
        if (n < 4) return MT_EAGAIN;
        len = ((uint64_t)p[2] << 8) | p[3];
        h = 4;
    } else if (len == 127) {
        if (n < 10) return MT_EAGAIN;
        len = 0;
        for (int i = 0; i < 8; i++) len = (len << 8) | p[2 + i];
        if (len >> 63) return mt_error_set(MT_EINVAL, "websocket: length has the top bit set");
        h = 10;
    }
    if (f->masked) {
        if (n < h + 4) return MT_EAGAIN;
        for (int i = 0; i < 4; i++) f->mask[i] = p[h + i];
        h += 4;
    }
    f->payload_len = len;
    f->header_len = h;
    return MT_OK;
}

void mt_ws_unmask(uint8_t *buf, size_t n, const uint8_t mask[4], uint64_t offset)
{
    for (size_t i = 0; i < n; i++) buf[i] ^= mask[(offset + i) & 3];
}
