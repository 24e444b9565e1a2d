/* RFC 6455 framing: header decode and XOR unmasking; RFC 7692
 * permessage-deflate: one message inflated with zlib (raw DEFLATE).
 *
 * Why inflation is per message and stateless: with context takeover a
 * compressed message may point back up to 32 KB into earlier messages of
 * its direction, so exact decoding needs a 32 KB window per flow direction.
 * We keep none. The first message each side sends (a miner's auth / login,
 * which carries the site key or wallet) never has earlier context, and
 * senders that negotiated no_context_takeover are fully decodable; later
 * messages that refer back fail cleanly with MT_EINVAL. */
#include "proto/websocket.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

int mt_ws_frame_parse(const uint8_t *p, size_t n, mt_ws_frame *f)
{
    if (n < 2) return MT_EAGAIN;
    f->fin = p[0] >> 7;
    if (p[0] & 0x30) return mt_error_set(MT_EINVAL, "websocket: RSV2/RSV3 bits set");
    f->rsv1 = (p[0] >> 6) & 1;
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

struct mt_ws_inflater {
    z_stream s;
};

mt_ws_inflater *mt_ws_inflater_new(void)
{
    mt_ws_inflater *z = calloc(1, sizeof *z);
    if (!z) {
        mt_error_set(MT_ENOMEM, "websocket: out of memory for the inflater");
        return NULL;
    }
    /* negative window bits: raw DEFLATE, no zlib header (RFC 7692 7.2.2) */
    if (inflateInit2(&z->s, -15) != Z_OK) {
        free(z);
        mt_error_set(MT_ENOMEM, "websocket: zlib inflateInit2 failed");
        return NULL;
    }
    return z;
}

void mt_ws_inflater_free(mt_ws_inflater *z)
{
    if (!z) return;
    inflateEnd(&z->s);
    free(z);
}

int mt_ws_inflate(mt_ws_inflater *z, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen)
{
    static const uint8_t tail[4] = {0x00, 0x00, 0xff, 0xff};
    *outlen = 0;
    if (!z || (!in && n) || !out || !cap)
        return mt_error_set(MT_EINVAL, "websocket: inflate: bad argument");
    if (inflateReset(&z->s) != Z_OK)
        return mt_error_set(MT_EINVAL, "websocket: inflate: zlib reset failed");
    if (cap > UINT_MAX) cap = UINT_MAX;
    z->s.next_out = out;
    z->s.avail_out = (uInt)cap;
    /* the message, then the 4 bytes the sender removed (RFC 7692 7.2.2) */
    const uint8_t *piece[2] = {in, tail};
    size_t plen[2] = {n, sizeof tail};
    int ended = 0;
    for (int k = 0; k < 2 && !ended; k++) {
        const uint8_t *q = piece[k];
        size_t left = plen[k];
        while (left > 0 && !ended) {
            uInt chunk = left > UINT_MAX ? UINT_MAX : (uInt)left;
            z->s.next_in = (Bytef *)(uintptr_t)q; /* zlib does not write input */
            z->s.avail_in = chunk;
            int r = inflate(&z->s, Z_SYNC_FLUSH);
            size_t used = chunk - z->s.avail_in;
            q += used;
            left -= used;
            if (r == Z_STREAM_END) {
                ended = 1; /* a final block: anything after it is ignored */
            } else if (r == Z_OK || r == Z_BUF_ERROR) {
                if (used == 0) break; /* no progress: out is full or input is done */
            } else {
                return mt_error_set(MT_EINVAL, "websocket: not decodable alone (%s)",
                                    z->s.msg ? z->s.msg : "zlib error");
            }
        }
        if (z->s.avail_out == 0) {
            /* out is full: the message is at least cap bytes long */
            *outlen = cap;
            return mt_error_set(MT_ENOMEM, "websocket: inflated message of %zu bytes or more", cap);
        }
    }
    *outlen = cap - z->s.avail_out;
    return MT_OK;
}
