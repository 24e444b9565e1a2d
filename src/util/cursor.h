/* A bounds-checked byte cursor with a sticky error, for every parser that
 * reads binary wire formats (packet headers, DNS, TLS, SMB, Stratum V2,
 * WebSocket, pcap records).
 *
 * The discipline is tcpdump's GET_U_1 / ND_TCHECK: every read checks the
 * bytes that remain, so no read can forget its bounds check. A read past
 * the end does not touch memory: it returns 0, empties the cursor and sets
 * its error, and from then on every read fails the same way. A parser
 * therefore reads a whole structure and tests mt_cur_ok() once, where the
 * answer matters, instead of guarding each field.
 *
 * Sizes are compared as remaining counts, never as pointers, so a length
 * field near SIZE_MAX cannot wrap a pointer comparison. All functions are
 * static inline: with the cursor in a local variable the compiler keeps it
 * in registers and merges the checks of consecutive fixed-size reads, so
 * the common path costs what hand-written `if (n < k)` + shifts cost.
 *
 * Usage:
 *     mt_cur c = mt_cur_make(p, n);
 *     uint16_t type = mt_cur_be16(&c);
 *     mt_cur body = mt_cur_block16(&c);     // 16-bit length, then that many bytes
 *     uint8_t flags = mt_cur_u8(&body);
 *     if (!mt_cur_ok(&c) || !mt_cur_ok(&body)) return MT_ETRUNC;
 */
#ifndef MT_UTIL_CURSOR_H
#define MT_UTIL_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "minetrace/common.h"

typedef struct mt_cur {
    const uint8_t *p; /* next byte */
    size_t n;         /* bytes left from p; 0 once failed */
    int bad;          /* sticky: some read ran past the end */
} mt_cur;

/* p may be NULL only when n is 0. */
static inline mt_cur mt_cur_make(const void *p, size_t n)
{
    mt_cur c;
    c.p = (const uint8_t *)p;
    c.n = n;
    c.bad = 0;
    return c;
}

/* Mark the cursor failed: for a caller that finds a value it cannot
 * accept and wants the same single check at the end. */
static inline void mt_cur_fail(mt_cur *c)
{
    c->n = 0;
    c->bad = 1;
}

static inline int mt_cur_ok(const mt_cur *c) { return !c->bad; }
static inline size_t mt_cur_left(const mt_cur *c) { return c->n; }
/* The next byte's address (meaningful while mt_cur_left() > 0). */
static inline const uint8_t *mt_cur_ptr(const mt_cur *c) { return c->p; }

/* Is there room for k more bytes? Fails the cursor when not. A failed
 * cursor has no bytes left, so every later step of k >= 1 fails too; a
 * zero-length step on it succeeds and changes nothing (the error stays). */
static inline int mt_cur_need(mt_cur *c, size_t k)
{
    if (MT_UNLIKELY(c->n < k)) {
        mt_cur_fail(c);
        return 0;
    }
    return 1;
}

static inline void mt_cur_adv_(mt_cur *c, size_t k)
{
    c->p += k;
    c->n -= k;
}

static inline void mt_cur_skip(mt_cur *c, size_t k)
{
    if (mt_cur_need(c, k)) mt_cur_adv_(c, k);
}

/* k bytes in place: their address, with the cursor moved past them; NULL
 * (and the cursor failed) when fewer than k remain. */
static inline const uint8_t *mt_cur_take(mt_cur *c, size_t k)
{
    if (!mt_cur_need(c, k)) return NULL;
    const uint8_t *q = c->p;
    mt_cur_adv_(c, k);
    return q;
}

/* k bytes copied out to dst; dst is zero-filled when fewer remain. */
static inline void mt_cur_copy(mt_cur *c, void *dst, size_t k)
{
    if (mt_cur_need(c, k)) {
        memcpy(dst, c->p, k);
        mt_cur_adv_(c, k);
    } else if (k) {
        memset(dst, 0, k);
    }
}

/* A cursor over the next k bytes, the parent moved past them. When fewer
 * remain, or the parent has failed, both are failed. */
static inline mt_cur mt_cur_sub(mt_cur *c, size_t k)
{
    mt_cur s;
    if (mt_cur_need(c, k)) {
        s.p = c->p;
        s.n = k;
        s.bad = c->bad;
        mt_cur_adv_(c, k);
    } else {
        s = *c;
    }
    return s;
}

/* Keep at most k bytes: for a length field that may claim less than the
 * buffer holds (IP total length under Ethernet padding). Never fails and
 * never grows the cursor. */
static inline void mt_cur_limit(mt_cur *c, size_t k)
{
    if (k < c->n) c->n = k;
}

/* ---- fixed-width reads ------------------------------------------------ */

static inline uint8_t mt_cur_u8(mt_cur *c)
{
    if (!mt_cur_need(c, 1)) return 0;
    uint8_t v = c->p[0];
    mt_cur_adv_(c, 1);
    return v;
}

static inline uint16_t mt_cur_be16(mt_cur *c)
{
    if (!mt_cur_need(c, 2)) return 0;
    uint16_t v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
    mt_cur_adv_(c, 2);
    return v;
}

static inline uint32_t mt_cur_be24(mt_cur *c)
{
    if (!mt_cur_need(c, 3)) return 0;
    uint32_t v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
    mt_cur_adv_(c, 3);
    return v;
}

static inline uint32_t mt_cur_be32(mt_cur *c)
{
    if (!mt_cur_need(c, 4)) return 0;
    const uint8_t *q = c->p;
    uint32_t v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
    mt_cur_adv_(c, 4);
    return v;
}

static inline uint64_t mt_cur_be64(mt_cur *c)
{
    if (!mt_cur_need(c, 8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | c->p[i];
    mt_cur_adv_(c, 8);
    return v;
}

static inline uint16_t mt_cur_le16(mt_cur *c)
{
    if (!mt_cur_need(c, 2)) return 0;
    uint16_t v = (uint16_t)(c->p[0] | (unsigned)c->p[1] << 8);
    mt_cur_adv_(c, 2);
    return v;
}

static inline uint32_t mt_cur_le24(mt_cur *c)
{
    if (!mt_cur_need(c, 3)) return 0;
    uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16;
    mt_cur_adv_(c, 3);
    return v;
}

static inline uint32_t mt_cur_le32(mt_cur *c)
{
    if (!mt_cur_need(c, 4)) return 0;
    const uint8_t *q = c->p;
    uint32_t v = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
    mt_cur_adv_(c, 4);
    return v;
}

static inline uint64_t mt_cur_le64(mt_cur *c)
{
    if (!mt_cur_need(c, 8)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | c->p[i];
    mt_cur_adv_(c, 8);
    return v;
}

/* For formats whose byte order is declared in the data (pcap's magic
 * number): big-endian when `big`, little-endian otherwise. */
static inline uint16_t mt_cur_u16_order(mt_cur *c, int big)
{
    return big ? mt_cur_be16(c) : mt_cur_le16(c);
}

static inline uint32_t mt_cur_u32_order(mt_cur *c, int big)
{
    return big ? mt_cur_be32(c) : mt_cur_le32(c);
}

/* ---- peeks: read at an offset from the current byte, without moving ---
 * Out of range is the same sticky failure as for a read. */

static inline uint8_t mt_cur_peek_u8(mt_cur *c, size_t off)
{
    if (MT_UNLIKELY(c->n <= off)) {
        mt_cur_fail(c);
        return 0;
    }
    return c->p[off];
}

static inline uint16_t mt_cur_peek_be16(mt_cur *c, size_t off)
{
    if (MT_UNLIKELY(c->n < 2 || c->n - 2 < off)) {
        mt_cur_fail(c);
        return 0;
    }
    return (uint16_t)((unsigned)c->p[off] << 8 | c->p[off + 1]);
}

static inline uint16_t mt_cur_peek_le16(mt_cur *c, size_t off)
{
    if (MT_UNLIKELY(c->n < 2 || c->n - 2 < off)) {
        mt_cur_fail(c);
        return 0;
    }
    return (uint16_t)(c->p[off] | (unsigned)c->p[off + 1] << 8);
}

/* ---- length-prefixed blocks ------------------------------------------- */

/* An 8/16/24-bit length, then a cursor over that many bytes. */
static inline mt_cur mt_cur_block8(mt_cur *c)
{
    size_t k = mt_cur_u8(c);
    return mt_cur_sub(c, k);
}

static inline mt_cur mt_cur_block16(mt_cur *c)
{
    size_t k = mt_cur_be16(c);
    return mt_cur_sub(c, k);
}

static inline mt_cur mt_cur_block24(mt_cur *c)
{
    size_t k = mt_cur_be24(c);
    return mt_cur_sub(c, k);
}

#endif
