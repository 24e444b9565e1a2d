/* Bounds-checked decoding of link, network and transport headers. Reads go
 * through rd16/rd32 on a (pointer, remaining) pair that has been checked
 * first; lengths are compared as remaining sizes, never as pointers. */
#include "capture/decode.h"

#include <string.h>

enum {
    LT_NULL = 0, LT_EN10MB = 1, LT_RAW_BSD = 12, LT_RAW_BSD2 = 14,
    LT_RAW = 101, LT_LOOP = 108, LT_LINUX_SLL = 113, LT_IPV4 = 228,
    LT_IPV6 = 229, LT_LINUX_SLL2 = 276,
    LT_PPP = 9, LT_C_HDLC = 104, LT_PPP_HDLC = 50
};

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int mt_decode_link_supported(int lt)
{
    switch (lt) {
    case LT_NULL: case LT_EN10MB: case LT_RAW_BSD: case LT_RAW_BSD2: case LT_RAW:
    case LT_LOOP: case LT_LINUX_SLL: case LT_IPV4: case LT_IPV6: case LT_LINUX_SLL2:
    case LT_PPP: case LT_C_HDLC: case LT_PPP_HDLC:
        return 1;
    default:
        return 0;
    }
}

const char *mt_decode_result_str(mt_decode_result r)
{
    switch (r) {
    case MT_DEC_OK: return "ok";
    case MT_DEC_OTHER: return "not TCP/UDP over IP";
    case MT_DEC_FRAGMENT: return "non-first IP fragment";
    case MT_DEC_TRUNCATED: return "truncated";
    case MT_DEC_MALFORMED: return "malformed";
    case MT_DEC_UNSUPPORTED_LINK: return "unsupported link type";
    }
    return "?";
}

static mt_decode_result decode_ip(const uint8_t *p, uint32_t n, mt_packet *out, int depth);

static mt_decode_result decode_l4(uint8_t proto, const uint8_t *p, uint32_t n,
                                  uint32_t wire_len, mt_packet *out, int depth)
{
    if ((proto == 4 || proto == 41) && depth == 0) /* IPv4/IPv6 in IP */
        return decode_ip(p, n, out, depth + 1);
    if (proto == 6) {
        if (n < 20) return MT_DEC_TRUNCATED;
        uint32_t off = (uint32_t)(p[12] >> 4) * 4;
        if (off < 20) return MT_DEC_MALFORMED;
        if (n < off) return MT_DEC_TRUNCATED;
        out->ipproto = 6;
        out->sport = rd16(p);
        out->dport = rd16(p + 2);
        out->seq = rd32(p + 4);
        out->tcp_flags = p[13];
        out->payload = p + off;
        out->payload_len = n - off;
        out->payload_wire_len = wire_len >= off ? wire_len - off : 0;
        return MT_DEC_OK;
    }
    if (proto == 17) {
        if (n < 8) return MT_DEC_TRUNCATED;
        out->ipproto = 17;
        out->sport = rd16(p);
        out->dport = rd16(p + 2);
        out->tcp_flags = 0;
        out->seq = 0;
        out->payload = p + 8;
        out->payload_len = n - 8;
        uint32_t ulen = rd16(p + 4);
        if (ulen >= 8 && ulen - 8 < out->payload_len) out->payload_len = ulen - 8;
        out->payload_wire_len = wire_len >= 8 ? wire_len - 8 : 0;
        return MT_DEC_OK;
    }
    return MT_DEC_OTHER;
}

static mt_decode_result decode_ipv4(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    if (n < 20) return MT_DEC_TRUNCATED;
    uint32_t ihl = (uint32_t)(p[0] & 0x0f) * 4;
    if (ihl < 20) return MT_DEC_MALFORMED;
    if (n < ihl) return MT_DEC_TRUNCATED;
    uint32_t total = rd16(p + 2);
    /* TSO/offload captures carry total length 0; trust caplen then. */
    if (total == 0) total = n;
    if (total < ihl) return MT_DEC_MALFORMED;
    uint32_t avail = n < total ? n : total; /* drop Ethernet padding */
    uint16_t frag = rd16(p + 6);
    uint16_t offset = frag & 0x1fff;
    if (offset != 0) return MT_DEC_FRAGMENT;
    out->is_first_fragment = (frag & 0x2000) != 0;
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 4;
    memcpy(out->src.b, p + 12, 4);
    memcpy(out->dst.b, p + 16, 4);
    return decode_l4(p[9], p + ihl, avail - ihl, total - ihl, out, depth);
}

static mt_decode_result decode_ipv6(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    if (n < 40) return MT_DEC_TRUNCATED;
    uint32_t plen = rd16(p + 4);
    uint8_t next = p[6];
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 6;
    memcpy(out->src.b, p + 8, 16);
    memcpy(out->dst.b, p + 24, 16);
    uint32_t off = 40;
    uint32_t avail = n;
    if (plen != 0 && 40 + plen < avail) avail = 40 + plen; /* jumbograms: plen 0 */
    uint32_t wire = plen ? plen : avail - 40;
    /* Walk extension headers; at most 8 so a chain cannot loop us. */
    for (int i = 0; i < 8; i++) {
        switch (next) {
        case 0: case 43: case 60: case 135: case 139: case 140: { /* HBH, routing, dest opts, ... */
            if (avail - off < 8) return MT_DEC_TRUNCATED;
            uint32_t len = ((uint32_t)p[off + 1] + 1) * 8;
            if (avail - off < len) return MT_DEC_TRUNCATED;
            next = p[off];
            off += len;
            wire = wire >= len ? wire - len : 0;
            continue;
        }
        case 51: { /* AH: length in 4-octet units minus 2 */
            if (avail - off < 8) return MT_DEC_TRUNCATED;
            uint32_t len = ((uint32_t)p[off + 1] + 2) * 4;
            if (avail - off < len) return MT_DEC_TRUNCATED;
            next = p[off];
            off += len;
            wire = wire >= len ? wire - len : 0;
            continue;
        }
        case 44: { /* fragment header */
            if (avail - off < 8) return MT_DEC_TRUNCATED;
            uint16_t fo = rd16(p + off + 2);
            if ((fo & 0xfff8) != 0) return MT_DEC_FRAGMENT;
            out->is_first_fragment = (fo & 1) != 0;
            next = p[off];
            off += 8;
            wire = wire >= 8 ? wire - 8 : 0;
            continue;
        }
        default:
            return decode_l4(next, p + off, avail - off, wire, out, depth);
        }
    }
    return MT_DEC_MALFORMED;
}

static mt_decode_result decode_ip(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    if (n < 1) return MT_DEC_TRUNCATED;
    switch (p[0] >> 4) {
    case 4: return decode_ipv4(p, n, out, depth);
    case 6: return decode_ipv6(p, n, out, depth);
    default: return MT_DEC_MALFORMED;
    }
}

static mt_decode_result decode_ethertype(uint16_t type, const uint8_t *p, uint32_t n,
                                         mt_packet *out)
{
    /* VLAN tags (802.1Q, 802.1ad, old QinQ 0x9100): up to 4 stacked. */
    for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++) {
        if (n < 4) return MT_DEC_TRUNCATED;
        type = rd16(p + 2);
        p += 4;
        n -= 4;
    }
    if (type == 0x8864) { /* PPPoE session: 6-byte header + 2-byte PPP proto */
        if (n < 8) return MT_DEC_TRUNCATED;
        uint16_t ppp = rd16(p + 6);
        p += 8;
        n -= 8;
        if (ppp == 0x0021) type = 0x0800;
        else if (ppp == 0x0057) type = 0x86dd;
        else return MT_DEC_OTHER;
    }
    if (type == 0x0800) return decode_ipv4(p, n, out, 0);
    if (type == 0x86dd) return decode_ipv6(p, n, out, 0);
    return MT_DEC_OTHER;
}

/* The common case in one straight pass: Ethernet, IPv4 (any options),
 * TCP or UDP, no tunnel, not a later fragment, nothing cut short. Returns 0
 * without touching `out` whenever the frame is anything else, and the
 * general decoder (which also knows every error) takes it; the results are
 * the same either way (tests/unit/test_decode.c and fuzz_decode compare the
 * two on every input). The general path is a chain of calls made
 * recursive by tunnels; most frames need none of it. */
static int fast_ether_ipv4(const uint8_t *p, uint32_t n, mt_packet *out, mt_decode_result *r)
{
    if (n < 14 + 20 || p[12] != 0x08 || p[13] != 0x00) return 0;
    const uint8_t *ip = p + 14;
    uint32_t ipn = n - 14;
    uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
    if (ihl < 20 || ipn < ihl) return 0;
    uint32_t total = rd16(ip + 2);
    if (total == 0) total = ipn;
    if (total < ihl) return 0;
    uint16_t frag = rd16(ip + 6);
    if (frag & 0x1fff) return 0;
    uint8_t proto = ip[9];
    uint32_t avail = (ipn < total ? ipn : total) - ihl, wire = total - ihl;
    const uint8_t *l4 = ip + ihl;
    if (proto == 6) {
        if (avail < 20) return 0;
        uint32_t off = (uint32_t)(l4[12] >> 4) * 4;
        if (off < 20 || avail < off) return 0;
        out->tcp_flags = l4[13];
        out->seq = rd32(l4 + 4);
        out->payload = l4 + off;
        out->payload_len = avail - off;
        out->payload_wire_len = wire >= off ? wire - off : 0;
    } else if (proto == 17) {
        if (avail < 8) return 0;
        out->tcp_flags = 0;
        out->seq = 0;
        out->payload = l4 + 8;
        out->payload_len = avail - 8;
        uint32_t ulen = rd16(l4 + 4);
        if (ulen >= 8 && ulen - 8 < out->payload_len) out->payload_len = ulen - 8;
        out->payload_wire_len = wire >= 8 ? wire - 8 : 0;
    } else {
        return 0;
    }
    out->ipproto = proto;
    out->sport = rd16(l4);
    out->dport = rd16(l4 + 2);
    out->is_first_fragment = (frag & 0x2000) != 0;
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 4;
    memcpy(out->src.b, ip + 12, 4);
    memcpy(out->dst.b, ip + 16, 4);
    *r = MT_DEC_OK;
    return 1;
}

mt_decode_result mt_decode_packet(int lt, const uint8_t *p, uint32_t n, mt_packet *out)
{
    mt_decode_result r;
    if (lt == LT_EN10MB && fast_ether_ipv4(p, n, out, &r)) return r;
    return mt_decode_packet_general(lt, p, n, out);
}

mt_decode_result mt_decode_packet_general(int lt, const uint8_t *p, uint32_t n, mt_packet *out)
{
    out->payload = NULL;
    out->payload_len = 0;
    out->ipproto = 0;
    out->is_first_fragment = 0;
    switch (lt) {
    case LT_EN10MB:
        if (n < 14) return MT_DEC_TRUNCATED;
        return decode_ethertype(rd16(p + 12), p + 14, n - 14, out);
    case LT_LINUX_SLL:
        if (n < 16) return MT_DEC_TRUNCATED;
        return decode_ethertype(rd16(p + 14), p + 16, n - 16, out);
    case LT_LINUX_SLL2:
        if (n < 20) return MT_DEC_TRUNCATED;
        return decode_ethertype(rd16(p), p + 20, n - 20, out);
    case LT_NULL: case LT_LOOP: {
        if (n < 4) return MT_DEC_TRUNCATED;
        /* Address family in host order of the capturing machine (NULL) or
         * network order (LOOP); accept either. */
        uint32_t af_le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        uint32_t af = lt == LT_LOOP ? rd32(p) : af_le;
        if (af > 0xffff) af = rd32(p);
        if (af == 2) return decode_ipv4(p + 4, n - 4, out, 0);
        if (af == 24 || af == 28 || af == 30 || af == 10) return decode_ipv6(p + 4, n - 4, out, 0);
        return MT_DEC_OTHER;
    }
    case LT_RAW: case LT_RAW_BSD: case LT_RAW_BSD2:
        return decode_ip(p, n, out, 0);
    case LT_PPP: case LT_PPP_HDLC: {
        /* Optional 0xff 0x03 address/control, then a 1- or 2-byte protocol. */
        uint32_t o = 0;
        if (n >= 2 && p[0] == 0xff && p[1] == 0x03) o = 2;
        if (n < o + 1) return MT_DEC_TRUNCATED;
        uint16_t proto;
        if (p[o] & 1) { proto = p[o]; o += 1; }
        else { if (n < o + 2) return MT_DEC_TRUNCATED; proto = rd16(p + o); o += 2; }
        if (proto == 0x0021) return decode_ipv4(p + o, n - o, out, 0);
        if (proto == 0x0057) return decode_ipv6(p + o, n - o, out, 0);
        return MT_DEC_OTHER;
    }
    case LT_C_HDLC:
        if (n < 4) return MT_DEC_TRUNCATED;
        return decode_ethertype(rd16(p + 2), p + 4, n - 4, out);
    case LT_IPV4:
        return decode_ipv4(p, n, out, 0);
    case LT_IPV6:
        return decode_ipv6(p, n, out, 0);
    default:
        return MT_DEC_UNSUPPORTED_LINK;
    }
}
