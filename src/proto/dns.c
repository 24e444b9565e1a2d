/* DNS message decoder (RFC 1035 §4): header, first question, and the
 * answer section's A, AAAA and CNAME records.
 *
 * Every read goes through a byte cursor (util/cursor.h) over the message. Names are read
 * label by label into a fixed buffer: labels <= 63 bytes, names <= 255
 * bytes on the wire, lower-cased ASCII, other bytes kept as they are (the
 * sinks escape). A compression pointer must point strictly before the
 * pointer that was followed last, so a chain of pointers always moves
 * backwards and ends; the jump count is capped as well. Label types 0x40
 * and 0x80 (extended/binary labels, never deployed) are rejected.
 * Records past what fits in mt_dns.answers[] are not decoded; the header
 * count says how many there were. */
#include "proto/dns.h"

#include <string.h>

#include "util/cursor.h"

#define DNS_HDR 12
#define MAX_JUMPS 32
#define MAX_WIRE_NAME 255

/* Decode the name at msg[*pos] into out (cap >= MT_NAME_MAX); msg holds
 * the n bytes compression pointers may point into. On success *pos is
 * where the record continues after the name as it sits there (a pointer
 * takes two bytes). MT_OK, MT_ETRUNC or MT_EINVAL. The name is read with
 * a cursor of its own: the caller's stays in registers and moves by the
 * difference. */
static int read_name(const uint8_t *msg, size_t n, size_t *pos, char *out, size_t cap)
{
    out[0] = '\0';
    if (*pos > n) return MT_ETRUNC;
    mt_cur r = mt_cur_make(msg + *pos, n - *pos);
    const uint8_t *resume = NULL; /* where the record continues, set at the first jump */
    const uint8_t *limit = mt_cur_ptr(&r); /* pointers must go strictly below this */
    size_t olen = 0, wire = 0;
    int jumps = 0;
    for (;;) {
        uint8_t len = mt_cur_u8(&r);
        if (!mt_cur_ok(&r)) return MT_ETRUNC; /* the name runs past the message */
        if ((len & 0xc0) == 0xc0) {
            const uint8_t *here = mt_cur_ptr(&r) - 1;
            uint8_t lo = mt_cur_u8(&r);
            if (!mt_cur_ok(&r)) return MT_ETRUNC;
            size_t target = (size_t)(len & 0x3f) << 8 | lo;
            /* Strictly backwards; `here` and `limit` lie inside msg[0..n), so
             * target < n as well. */
            if (target >= (size_t)(limit - msg) || target >= (size_t)(here - msg)) return MT_EINVAL;
            if (++jumps > MAX_JUMPS) return MT_EINVAL;
            if (!resume) resume = mt_cur_ptr(&r);
            limit = msg + target;
            r = mt_cur_make(limit, n - target);
            continue;
        }
        if (len & 0xc0) return MT_EINVAL; /* label types 0x40, 0x80 */
        if (len == 0) {
            wire += 1;
            break;
        }
        const uint8_t *lab = mt_cur_take(&r, len);
        if (!lab) return MT_ETRUNC;
        wire += 1u + len;
        if (wire + 1 > MAX_WIRE_NAME) return MT_EINVAL;
        if (olen && olen + 1 < cap) out[olen++] = '.';
        if (olen + len + 1 < cap) { /* room for all of it: no per-byte bound */
            if (memchr(lab, 0, len)) return MT_EINVAL; /* NUL inside a label */
            for (size_t i = 0; i < len; i++) {
                uint8_t c = lab[i];
                out[olen + i] = (char)(c + (uint8_t)((unsigned)(c - 'A') < 26u ? 32 : 0));
            }
            olen += len;
            continue;
        }
        for (size_t i = 0; i < len; i++) {
            uint8_t c = lab[i];
            if (c == 0) return MT_EINVAL;
            if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
            if (olen + 1 < cap) out[olen++] = (char)c;
        }
    }
    out[olen < cap ? olen : cap - 1] = '\0';
    *pos = (size_t)((resume ? resume : mt_cur_ptr(&r)) - msg);
    return MT_OK;
}

int mt_dns_parse(const uint8_t *p, size_t n, mt_dns *out)
{
    memset(out, 0, offsetof(mt_dns, answers));
    if (!p) return MT_ETRUNC;
    mt_cur c = mt_cur_make(p, n);
    uint16_t id = mt_cur_be16(&c), flags = mt_cur_be16(&c);
    uint16_t qd = mt_cur_be16(&c), an = mt_cur_be16(&c);
    mt_cur_skip(&c, 4); /* authority and additional counts */
    if (!mt_cur_ok(&c)) return MT_ETRUNC; /* shorter than the header */
    out->id = id;
    out->is_response = (uint8_t)(flags >> 15);
    out->rcode = (uint8_t)(flags & 0x0f);
    out->n_answers_total = an;
    int rc;

    /* Questions: keep the first, skip the rest (rare, but legal). */
    for (unsigned i = 0; i < qd; i++) {
        char skip[MT_NAME_MAX];
        size_t at = (size_t)(mt_cur_ptr(&c) - p), end = at;
        rc = read_name(p, n, &end, i == 0 ? out->qname : skip, MT_NAME_MAX);
        if (rc != MT_OK) return rc;
        mt_cur_skip(&c, end - at);
        mt_cur q = mt_cur_sub(&c, 4); /* type, class */
        if (!mt_cur_ok(&q)) return MT_ETRUNC;
        if (i == 0) out->qtype = mt_cur_be16(&q);
    }

    /* Answers: A, AAAA, CNAME kept; everything else stepped over. */
    for (unsigned i = 0; i < an && out->n_answers < MT_DNS_MAX_ANSWERS; i++) {
        mt_dns_answer *a = &out->answers[out->n_answers];
        size_t at = (size_t)(mt_cur_ptr(&c) - p), end = at;
        rc = read_name(p, n, &end, a->name, sizeof a->name);
        if (rc != MT_OK) return rc;
        mt_cur_skip(&c, end - at);
        mt_cur h = mt_cur_sub(&c, 10);
        uint16_t type = mt_cur_be16(&h), klass = mt_cur_be16(&h);
        uint32_t ttl = mt_cur_be32(&h);
        uint16_t rdlen = mt_cur_be16(&h);
        if (!mt_cur_ok(&h)) return MT_ETRUNC;
        mt_cur rd = mt_cur_sub(&c, rdlen);
        if (!mt_cur_ok(&rd)) return MT_ETRUNC;
        if (klass != 1) continue; /* IN only */
        a->type = type;
        a->ttl = (ttl & 0x80000000u) ? 0 : ttl; /* RFC 2181 §8 */
        memset(&a->addr, 0, sizeof a->addr);
        a->target[0] = '\0';
        if (type == 1 && rdlen == 4) {
            a->addr.family = 4;
            mt_cur_copy(&rd, a->addr.b, 4);
        } else if (type == 28 && rdlen == 16) {
            a->addr.family = 6;
            mt_cur_copy(&rd, a->addr.b, 16);
        } else if (type == 5) {
            /* The target must lie inside this record's rdata. */
            size_t t = (size_t)(mt_cur_ptr(&rd) - p);
            rc = read_name(p, t + rdlen, &t, a->target, sizeof a->target);
            if (rc != MT_OK) continue; /* a broken CNAME does not spoil the rest */
        } else {
            continue;
        }
        out->n_answers++;
    }
    return MT_OK;
}
