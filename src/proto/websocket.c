/* RFC 6455 framing: header decode and XOR unmasking; RFC 7692
 * permessage-deflate: one message inflated with zlib (raw DEFLATE).
 *
 * Two ways to inflate. mt_ws_inflate() decodes one message alone (the
 * first message of each side, a miner's auth or login with the site key or
 * wallet, never has earlier context, and senders that negotiated
 * no_context_takeover are fully decodable; a message that refers back
 * fails cleanly with MT_EINVAL). mt_ws_inflate_more() keeps a direction's
 * context (its 32 KB window) across messages, for flows that negotiated
 * context takeover: the stream layer holds a bounded number of them. */
#include "proto/websocket.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

#include "util/cursor.h"

int mt_ws_frame_parse(const uint8_t *p, size_t n, mt_ws_frame *f)
{
    mt_cur c = mt_cur_make(p, n);
    uint8_t b0 = mt_cur_u8(&c), b1 = mt_cur_u8(&c);
    if (!mt_cur_ok(&c)) return MT_EAGAIN;
    f->fin = b0 >> 7;
    if (b0 & 0x30) return MT_EINVAL; /* RSV2/RSV3: no extension we know sets them */
    f->rsv1 = (b0 >> 6) & 1;
    f->opcode = b0 & 0x0f;
    f->masked = b1 >> 7;
    uint64_t len = b1 & 0x7f;
    if (len == 126) len = mt_cur_be16(&c);
    else if (len == 127) len = mt_cur_be64(&c);
    if (!mt_cur_ok(&c)) return MT_EAGAIN;
    if (len >> 63) return MT_EINVAL; /* RFC 6455 5.2: the top bit must be 0 */
    if (f->masked) mt_cur_copy(&c, f->mask, 4);
    if (!mt_cur_ok(&c)) return MT_EAGAIN;
    f->payload_len = len;
    f->header_len = n - mt_cur_left(&c);
    return MT_OK;
}

void mt_ws_unmask(uint8_t *buf, size_t n, const uint8_t mask[4], uint64_t offset)
{
    for (size_t i = 0; i < n; i++) buf[i] ^= mask[(offset + i) & 3];
}

struct mt_ws_inflater {
    z_stream s;
    size_t bytes; /* what zlib holds for it (its state and window), and this struct */
};

/* zlib's allocations, counted so the cost of a context is measured. */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    mt_ws_inflater *z = opaque;
    size_t n = (size_t)items * size;
    size_t *p = malloc(sizeof(size_t) * 2 + n); /* two words keep zlib's alignment */
    if (!p) return Z_NULL;
    p[0] = n;
    z->bytes += n;
    return p + 2;
}

static void z_free(voidpf opaque, voidpf addr)
{
    mt_ws_inflater *z = opaque;
    if (!addr) return;
    size_t *p = (size_t *)addr - 2;
    z->bytes -= p[0];
    free(p);
}

size_t mt_ws_inflater_bytes(const mt_ws_inflater *z) { return z ? z->bytes : 0; }

mt_ws_inflater *mt_ws_inflater_new(void)
{
    mt_ws_inflater *z = calloc(1, sizeof *z);
    if (!z) {
        mt_error_set(MT_ENOMEM, "websocket: out of memory for the inflater");
        return NULL;
    }
    z->bytes = sizeof *z;
    z->s.zalloc = z_alloc;
    z->s.zfree = z_free;
    z->s.opaque = z;
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
    if (!z || (!in && n) || !out || !cap) return MT_EINVAL;
    if (inflateReset(&z->s) != Z_OK) return MT_EINVAL;
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
                return MT_EINVAL; /* not decodable alone (refers to earlier messages) */
            }
        }
        if (z->s.avail_out == 0) {
            /* out is full: the message is at least cap bytes long */
            *outlen = cap;
            return MT_ENOMEM;
        }
    }
    *outlen = cap - z->s.avail_out;
    return MT_OK;
}

int mt_ws_inflater_reset(mt_ws_inflater *z)
{
    return z && inflateReset(&z->s) == Z_OK ? MT_OK : MT_EINVAL;
}

int mt_ws_inflate_more(mt_ws_inflater *z, const uint8_t *in, size_t n, int fin, uint8_t *out,
                       size_t cap, size_t *outlen, int *cut)
{
    static const uint8_t tail[4] = {0x00, 0x00, 0xff, 0xff};
    *outlen = 0;
    *cut = 0;
    if (!z || (!in && n) || !out || !cap) return MT_EINVAL;
    if (cap > UINT_MAX) cap = UINT_MAX;
    z->s.next_out = out;
    z->s.avail_out = (uInt)cap;
    const uint8_t *piece[2] = {in, tail};
    size_t plen[2] = {n, fin ? sizeof tail : 0};
    for (int k = 0; k < 2; k++) {
        const uint8_t *q = piece[k];
        size_t left = plen[k];
        while (left > 0) {
            if (z->s.avail_out == 0) {
                /* Past cap: inflate on into the same buffer and keep only
                 * the first cap bytes, so the window still sees it all. */
                *cut = 1;
                *outlen = cap;
                z->s.next_out = out;
                z->s.avail_out = (uInt)cap;
            }
            uInt chunk = left > UINT_MAX ? UINT_MAX : (uInt)left;
            z->s.next_in = (Bytef *)(uintptr_t)q;
            z->s.avail_in = chunk;
            int r = inflate(&z->s, Z_SYNC_FLUSH);
            size_t used = chunk - z->s.avail_in;
            q += used;
            left -= used;
            if (r == Z_STREAM_END) return MT_EINVAL; /* a final block: the stream cannot go on */
            if (r != Z_OK && r != Z_BUF_ERROR) return MT_EINVAL;
            if (used == 0 && z->s.avail_out != 0) return MT_EINVAL; /* no progress */
        }
    }
    if (!*cut) *outlen = cap - z->s.avail_out;
    return MT_OK;
}
