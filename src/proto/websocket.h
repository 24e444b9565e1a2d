/* RFC 6455 frame header decoder and unmasking; RFC 7692 permessage-deflate
 * message inflation: one message alone, or a direction's messages in order
 * through a kept context (context takeover). */
#ifndef MT_PROTO_WEBSOCKET_H
#define MT_PROTO_WEBSOCKET_H
#include "minetrace/common.h"
typedef struct mt_ws_frame {
    uint8_t fin, opcode, masked;
    uint8_t rsv1; /* "compressed" when permessage-deflate was negotiated */
    uint8_t mask[4];
    uint64_t payload_len;
    size_t header_len;
} mt_ws_frame;
/* MT_OK, MT_EAGAIN (header incomplete) or MT_EINVAL (RSV2/RSV3 set: no
 * extension in use defines them; too long a length). RSV1 is accepted and
 * reported: browsers offer permessage-deflate to every server, and a
 * server that accepts it gets all their messages compressed. */
int mt_ws_frame_parse(const uint8_t *p, size_t n, mt_ws_frame *f);
/* XOR-unmask in place; `offset` is the position of buf[0] in the payload. */
void mt_ws_unmask(uint8_t *buf, size_t n, const uint8_t mask[4], uint64_t offset);

/* Reusable raw-DEFLATE decoder for permessage-deflate payloads. One per
 * consumer, made once (zlib allocates its state and a 32 KB window then),
 * reset for each message: nothing is allocated per message. */
typedef struct mt_ws_inflater mt_ws_inflater;
mt_ws_inflater *mt_ws_inflater_new(void);
void mt_ws_inflater_free(mt_ws_inflater *z);
/* Inflate one compressed message `in` (the 00 00 ff ff tail already
 * stripped by the sender, RFC 7692 7.2.1) into out[0..cap). Decoded without
 * the sliding window of earlier messages, so it works for the first message
 * of each direction and for senders using no_context_takeover; a message
 * that refers back into an earlier one fails. MT_OK with *outlen (< cap)
 * bytes; MT_ENOMEM when the message needs cap bytes or more (out holds the
 * first cap bytes, *outlen = cap); MT_EINVAL when it is not decodable
 * alone or not DEFLATE data at all. */
int mt_ws_inflate(mt_ws_inflater *z, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen);

/* With context takeover (RFC 7692 7.2.3, negotiated without
 * *_no_context_takeover): a message may refer back up to 32 KB into the
 * earlier messages of its direction, so one inflater per direction is fed
 * every compressed frame in order and never reset between messages. `fin`
 * ends a message (the 00 00 ff ff tail is added). out[0..cap) gets the
 * first cap bytes (*cut = 1 when there were more: they are still inflated
 * so the window stays right). MT_OK, or MT_EINVAL when the stream does not
 * decode (the context is then useless: reset it before reuse). */
int mt_ws_inflate_more(mt_ws_inflater *z, const uint8_t *in, size_t n, int fin, uint8_t *out,
                       size_t cap, size_t *outlen, int *cut);
/* Back to a fresh stream (for the next flow), keeping zlib's memory. */
int mt_ws_inflater_reset(mt_ws_inflater *z);
/* Bytes a context holds: zlib's state and its window (once it inflated). */
size_t mt_ws_inflater_bytes(const mt_ws_inflater *z);
#endif
