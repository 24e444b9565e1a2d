/* DNS message decoder (RFC 1035 §4): header, first question, and the
 * answer section's A, AAAA and CNAME records.
 *
 * Every read is checked against the message length first. Names are read
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

#define DNS_HDR 12
#define MAX_JUMPS 32
#define MAX_WIRE_NAME 255

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decode the name at *off into out (cap >= MT_NAME_MAX). On success *off
 * is moved past the name as it sits in the record (a pointer takes two
 * bytes). Returns MT_OK, MT_ETRUNC or MT_EINVAL. */
static int read_name(const uint8_t *p, size_t n, size_t *off, char *out, size_t cap)
{
    size_t pos = *off;
    size_t end_after = 0;   /* where the record continues, set at first jump */
    size_t limit = pos;     /* pointers must go strictly below this */
    size_t olen = 0, wire = 0;
    int jumps = 0;
    out[0] = '\0';
    for (;;) {
        if (pos >= n) return mt_error_set(MT_ETRUNC, "dns: name runs past the message");
        uint8_t len = p[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= n) return mt_error_set(MT_ETRUNC, "dns: truncated compression pointer");
            size_t target = (size_t)(len & 0x3f) << 8 | p[pos + 1];
            if (target >= limit || target >= pos)
                return mt_error_set(MT_EINVAL, "dns: compression pointer does not point backwards");
            if (++jumps > MAX_JUMPS)
                return mt_error_set(MT_EINVAL, "dns: too many compression pointers");
            if (!end_after) end_after = pos + 2;
            limit = target;
            pos = target;
            continue;
        }
        if (len & 0xc0) return mt_error_set(MT_EINVAL, "dns: unsupported label type 0x%02x", len);
        if (len == 0) {
            wire += 1;
            pos += 1;
            break;
        }
        /* Label: len bytes follow. */
        if ((uint64_t)pos + 1 + len > n) return mt_error_set(MT_ETRUNC, "dns: label runs past the message");
        wire += 1u + len;
        if (wire + 1 > MAX_WIRE_NAME) return mt_error_set(MT_EINVAL, "dns: name longer than 255 bytes");
        if (olen && olen + 1 < cap) out[olen++] = '.';
        const uint8_t *lab = p + pos + 1;
        if (olen + len + 1 < cap) { /* room for all of it: no per-byte bound */
            if (memchr(lab, 0, len)) return mt_error_set(MT_EINVAL, "dns: NUL byte inside a label");
            for (size_t i = 0; i < len; i++) {
                uint8_t c = lab[i];
                out[olen + i] = (char)(c + (uint8_t)((unsigned)(c - 'A') < 26u ? 32 : 0));
            }
            olen += len;
            pos += 1u + len;
            continue;
        }
        for (size_t i = 0; i < len; i++) {
            uint8_t c = p[pos + 1 + i];
            if (c == 0) return mt_error_set(MT_EINVAL, "dns: NUL byte inside a label");
            if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
            if (olen + 1 < cap) out[olen++] = (char)c;
        }
        pos += 1u + len;
    }
    out[olen < cap ? olen : cap - 1] = '\0';
    *off = end_after ? end_after : pos;
    return MT_OK;
}

int mt_dns_parse(const uint8_t *p, size_t n, mt_dns *out)
{
    memset(out, 0, offsetof(mt_dns, answers));
    if (!p || n < DNS_HDR) return mt_error_set(MT_ETRUNC, "dns: message shorter than its header");
    out->id = rd16(p);
    uint16_t flags = rd16(p + 2);
    out->is_response = (uint8_t)(flags >> 15);
    out->rcode = (uint8_t)(flags & 0x0f);
    uint16_t qd = rd16(p + 4), an = rd16(p + 6);
    out->n_answers_total = an;
    size_t off = DNS_HDR;
    int rc;

    /* Questions: keep the first, skip the rest (rare, but legal). */
    for (unsigned i = 0; i < qd; i++) {
        char skip[MT_NAME_MAX];
        rc = read_name(p, n, &off, i == 0 ? out->qname : skip, MT_NAME_MAX);
        if (rc != MT_OK) return rc;
        if (off + 4 > n) return mt_error_set(MT_ETRUNC, "dns: question runs past the message");
        if (i == 0) out->qtype = rd16(p + off);
        off += 4;
    }

    /* Answers: A, AAAA, CNAME kept; everything else stepped over. */
    for (unsigned i = 0; i < an && out->n_answers < MT_DNS_MAX_ANSWERS; i++) {
        mt_dns_answer *a = &out->answers[out->n_answers];
        rc = read_name(p, n, &off, a->name, sizeof a->name);
        if (rc != MT_OK) return rc;
        if (off + 10 > n) return mt_error_set(MT_ETRUNC, "dns: answer header runs past the message");
        uint16_t type = rd16(p + off), klass = rd16(p + off + 2);
        uint32_t ttl = rd32(p + off + 4);
        uint16_t rdlen = rd16(p + off + 8);
        off += 10;
        if ((uint64_t)off + rdlen > n) return mt_error_set(MT_ETRUNC, "dns: rdata runs past the message");
        size_t rd = off;
        off += rdlen;
        if (klass != 1) continue; /* IN only */
        a->type = type;
        a->ttl = (ttl & 0x80000000u) ? 0 : ttl; /* RFC 2181 §8 */
        memset(&a->addr, 0, sizeof a->addr);
        a->target[0] = '\0';
        if (type == 1 && rdlen == 4) {
            a->addr.family = 4;
            memcpy(a->addr.b, p + rd, 4);
        } else if (type == 28 && rdlen == 16) {
            a->addr.family = 6;
            memcpy(a->addr.b, p + rd, 16);
        } else if (type == 5) {
            size_t t = rd;
            /* The target must lie inside this record's rdata. */
            rc = read_name(p, rd + rdlen, &t, a->target, sizeof a->target);
            if (rc != MT_OK) continue; /* a broken CNAME does not spoil the rest */
        } else {
            continue;
        }
        out->n_answers++;
    }
    return MT_OK;
}
