/* RFC 6455 frame header decoder and unmasking. */
#ifndef MT_PROTO_WEBSOCKET_H
#define MT_PROTO_WEBSOCKET_H
#include "minetrace/common.h"
typedef struct mt_ws_frame {
    uint8_t fin, opcode, masked;
    uint8_t mask[4];
    uint64_t payload_len;
    size_t header_len;
} mt_ws_frame;
/* MT_OK, MT_EAGAIN (header incomplete) or MT_EINVAL. */
int mt_ws_frame_parse(const uint8_t *p, size_t n, mt_ws_frame *f);
/* XOR-unmask in place; `offset` is the position of buf[0] in the payload. */
void mt_ws_unmask(uint8_t *buf, size_t n, const uint8_t mask[4], uint64_t offset);
#endif
