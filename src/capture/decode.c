/* Bounds-checked decoding of link, network and transport headers. Every
 * read goes through a byte cursor (util/cursor.h): a header is read whole,
 * then one test of the cursor says whether the frame held it (truncated)
 * before its values are judged (malformed). */
#include "capture/decode.h"

#include <string.h>

#include "util/cursor.h"

enum {
    LT_NULL = 0, LT_EN10MB = 1, LT_RAW_BSD = 12, LT_RAW_BSD2 = 14,
    LT_RAW = 101, LT_LOOP = 108, LT_LINUX_SLL = 113, LT_IPV4 = 228,
    LT_IPV6 = 229, LT_LINUX_SLL2 = 276,
    LT_PPP = 9, LT_C_HDLC = 104, LT_PPP_HDLC = 50
};

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
    mt_cur c = mt_cur_make(p, n);
    if (proto == 6) {
        if (!mt_cur_need(&c, 20)) return MT_DEC_TRUNCATED; /* one test for the fixed header */
        uint16_t sport = mt_cur_be16(&c), dport = mt_cur_be16(&c);
        uint32_t seq = mt_cur_be32(&c);
        mt_cur_skip(&c, 4); /* ack */
        uint32_t off = (uint32_t)(mt_cur_u8(&c) >> 4) * 4;
        uint8_t flags = mt_cur_u8(&c);
        mt_cur_skip(&c, 6); /* window, checksum, urgent pointer */
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        if (off < 20) return MT_DEC_MALFORMED;
        mt_cur_skip(&c, off - 20); /* options */
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        out->ipproto = 6;
        out->sport = sport;
        out->dport = dport;
        out->seq = seq;
        out->tcp_flags = flags;
        out->payload = mt_cur_ptr(&c);
        out->payload_len = (uint32_t)mt_cur_left(&c);
        out->payload_wire_len = wire_len >= off ? wire_len - off : 0;
        return MT_DEC_OK;
    }
    if (proto == 17) {
        if (!mt_cur_need(&c, 8)) return MT_DEC_TRUNCATED;
        uint16_t sport = mt_cur_be16(&c), dport = mt_cur_be16(&c);
        uint32_t ulen = mt_cur_be16(&c);
        mt_cur_skip(&c, 2); /* checksum */
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        out->ipproto = 17;
        out->sport = sport;
        out->dport = dport;
        out->tcp_flags = 0;
        out->seq = 0;
        out->payload = mt_cur_ptr(&c);
        out->payload_len = (uint32_t)mt_cur_left(&c);
        if (ulen >= 8 && ulen - 8 < out->payload_len) out->payload_len = ulen - 8;
        out->payload_wire_len = wire_len >= 8 ? wire_len - 8 : 0;
        return MT_DEC_OK;
    }
    return MT_DEC_OTHER;
}

/* The fixed 20 bytes of an IPv4 header. */
typedef struct ipv4_hdr {
    uint32_t ihl, total;
    uint16_t frag;
    uint8_t proto;
    const uint8_t *src, *dst;
} ipv4_hdr;

static inline void read_ipv4(mt_cur *c, ipv4_hdr *h)
{
    h->ihl = (uint32_t)(mt_cur_u8(c) & 0x0f) * 4;
    mt_cur_skip(c, 1); /* DSCP/ECN */
    h->total = mt_cur_be16(c);
    mt_cur_skip(c, 2); /* identification */
    h->frag = mt_cur_be16(c);
    mt_cur_skip(c, 1); /* TTL */
    h->proto = mt_cur_u8(c);
    mt_cur_skip(c, 2); /* checksum */
    h->src = mt_cur_take(c, 4);
    h->dst = mt_cur_take(c, 4);
}

static mt_decode_result decode_ipv4(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    mt_cur c = mt_cur_make(p, n);
    ipv4_hdr h;
    read_ipv4(&c, &h);
    if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
    if (h.ihl < 20) return MT_DEC_MALFORMED;
    mt_cur_skip(&c, h.ihl - 20); /* options */
    if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
    /* TSO/offload captures carry total length 0; trust caplen then. */
    if (h.total == 0) h.total = n;
    if (h.total < h.ihl) return MT_DEC_MALFORMED;
    uint32_t avail = n < h.total ? n : h.total; /* drop Ethernet padding */
    if (h.frag & 0x1fff) return MT_DEC_FRAGMENT;
    out->is_first_fragment = (h.frag & 0x2000) != 0;
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 4;
    memcpy(out->src.b, h.src, 4);
    memcpy(out->dst.b, h.dst, 4);
    return decode_l4(h.proto, mt_cur_ptr(&c), avail - h.ihl, h.total - h.ihl, out, depth);
}

static mt_decode_result decode_ipv6(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    mt_cur c = mt_cur_make(p, n);
    mt_cur_skip(&c, 4); /* version, traffic class, flow label */
    uint32_t plen = mt_cur_be16(&c);
    uint8_t next = mt_cur_u8(&c);
    mt_cur_skip(&c, 1); /* hop limit */
    const uint8_t *src = mt_cur_take(&c, 16), *dst = mt_cur_take(&c, 16);
    if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 6;
    memcpy(out->src.b, src, 16);
    memcpy(out->dst.b, dst, 16);
    /* jumbograms: plen 0 */
    uint32_t avail = plen != 0 && plen < n - 40 ? plen : n - 40;
    mt_cur e = mt_cur_make(mt_cur_ptr(&c), avail);
    uint32_t wire = plen ? plen : avail;
    /* Walk extension headers; at most 8 so a chain cannot loop us. */
    for (int i = 0; i < 8; i++) {
        uint32_t len;
        switch (next) {
        case 0: case 43: case 60: case 135: case 139: case 140: /* HBH, routing, dest opts, ... */
            len = ((uint32_t)mt_cur_peek_u8(&e, 1) + 1) * 8;
            break;
        case 51: /* AH: length in 4-octet units minus 2 */
            len = ((uint32_t)mt_cur_peek_u8(&e, 1) + 2) * 4;
            break;
        case 44: { /* fragment header */
            mt_cur fh = mt_cur_sub(&e, 8);
            uint8_t nx = mt_cur_u8(&fh);
            mt_cur_skip(&fh, 1);
            uint16_t fo = mt_cur_be16(&fh);
            if (!mt_cur_ok(&fh)) return MT_DEC_TRUNCATED;
            if ((fo & 0xfff8) != 0) return MT_DEC_FRAGMENT;
            out->is_first_fragment = (fo & 1) != 0;
            next = nx;
            wire = wire >= 8 ? wire - 8 : 0;
            continue;
        }
        default:
            return decode_l4(next, mt_cur_ptr(&e), (uint32_t)mt_cur_left(&e), wire, out, depth);
        }
        /* Generic extension header: next header, length, at least 8 bytes. */
        uint8_t nx = mt_cur_peek_u8(&e, 0);
        mt_cur_skip(&e, len);
        if (!mt_cur_ok(&e)) return MT_DEC_TRUNCATED;
        next = nx;
        wire = wire >= len ? wire - len : 0;
    }
    return MT_DEC_MALFORMED;
}

static mt_decode_result decode_ip(const uint8_t *p, uint32_t n, mt_packet *out, int depth)
{
    mt_cur c = mt_cur_make(p, n);
    uint8_t v = mt_cur_peek_u8(&c, 0);
    if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
    switch (v >> 4) {
    case 4: return decode_ipv4(p, n, out, depth);
    case 6: return decode_ipv6(p, n, out, depth);
    default: return MT_DEC_MALFORMED;
    }
}

/* p/n: the bytes after the EtherType `type`. */
static mt_decode_result decode_ethertype(uint16_t type, const uint8_t *p, uint32_t n,
                                         mt_packet *out)
{
    mt_cur c = mt_cur_make(p, n);
    /* VLAN tags (802.1Q, 802.1ad, old QinQ 0x9100): up to 4 stacked. */
    for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++) {
        mt_cur_skip(&c, 2); /* tag control */
        type = mt_cur_be16(&c);
    }
    if (type == 0x8864) { /* PPPoE session: 6-byte header + 2-byte PPP proto */
        mt_cur_skip(&c, 6);
        uint16_t ppp = mt_cur_be16(&c);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        if (ppp == 0x0021) type = 0x0800;
        else if (ppp == 0x0057) type = 0x86dd;
        else return MT_DEC_OTHER;
    }
    if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
    if (type == 0x0800) return decode_ipv4(mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out, 0);
    if (type == 0x86dd) return decode_ipv6(mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out, 0);
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
    mt_cur c = mt_cur_make(p, n);
    /* One check for Ethernet + the fixed IPv4 header lets the compiler
     * drop the per-field checks that follow it. */
    if (!mt_cur_need(&c, 14 + 20)) return 0;
    mt_cur_skip(&c, 12); /* MAC addresses */
    uint16_t type = mt_cur_be16(&c);
    ipv4_hdr h;
    mt_cur ip = c;
    read_ipv4(&ip, &h);
    if (!mt_cur_ok(&ip) || type != 0x0800 || h.ihl < 20 || (h.frag & 0x1fff)) return 0;
    mt_cur l4 = c;
    /* Drop Ethernet padding; total length 0 (TSO/offload) means trust caplen. */
    if (h.total) mt_cur_limit(&l4, h.total);
    mt_cur_skip(&l4, h.ihl);
    if (!mt_cur_ok(&l4)) return 0; /* also when total < ihl */
    uint32_t wire = h.total ? h.total - h.ihl : (uint32_t)mt_cur_left(&l4);
    mt_cur t = l4;
    if (!mt_cur_need(&t, h.proto == 6 ? 20 : 8)) return 0;
    uint16_t sport = mt_cur_be16(&t), dport = mt_cur_be16(&t);
    if (h.proto == 6) {
        uint32_t seq = mt_cur_be32(&t);
        mt_cur_skip(&t, 4);
        uint32_t off = (uint32_t)(mt_cur_u8(&t) >> 4) * 4;
        uint8_t flags = mt_cur_u8(&t);
        if (!mt_cur_ok(&t) || off < 20) return 0;
        mt_cur_skip(&l4, off);
        if (!mt_cur_ok(&l4)) return 0;
        out->tcp_flags = flags;
        out->seq = seq;
        out->payload = mt_cur_ptr(&l4);
        out->payload_len = (uint32_t)mt_cur_left(&l4);
        out->payload_wire_len = wire >= off ? wire - off : 0;
    } else if (h.proto == 17) {
        uint32_t ulen = mt_cur_be16(&t);
        mt_cur_skip(&l4, 8);
        if (!mt_cur_ok(&l4)) return 0;
        out->tcp_flags = 0;
        out->seq = 0;
        out->payload = mt_cur_ptr(&l4);
        out->payload_len = (uint32_t)mt_cur_left(&l4);
        if (ulen >= 8 && ulen - 8 < out->payload_len) out->payload_len = ulen - 8;
        out->payload_wire_len = wire >= 8 ? wire - 8 : 0;
    } else {
        return 0;
    }
    out->ipproto = h.proto;
    out->sport = sport;
    out->dport = dport;
    out->is_first_fragment = (h.frag & 0x2000) != 0;
    memset(&out->src, 0, sizeof out->src);
    memset(&out->dst, 0, sizeof out->dst);
    out->src.family = out->dst.family = 4;
    memcpy(out->src.b, h.src, 4);
    memcpy(out->dst.b, h.dst, 4);
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
    mt_cur c = mt_cur_make(p, n);
    switch (lt) {
    case LT_EN10MB: {
        mt_cur_skip(&c, 12); /* MAC addresses */
        uint16_t type = mt_cur_be16(&c);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        return decode_ethertype(type, mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out);
    }
    case LT_LINUX_SLL: {
        mt_cur_skip(&c, 14);
        uint16_t type = mt_cur_be16(&c);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        return decode_ethertype(type, mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out);
    }
    case LT_LINUX_SLL2: {
        uint16_t type = mt_cur_be16(&c);
        mt_cur_skip(&c, 18);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        return decode_ethertype(type, mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out);
    }
    case LT_NULL: case LT_LOOP: {
        /* Address family in host order of the capturing machine (NULL) or
         * network order (LOOP); accept either. */
        uint32_t af_le = mt_cur_le32(&c), af_be = __builtin_bswap32(af_le);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        uint32_t af = lt == LT_LOOP ? af_be : af_le;
        if (af > 0xffff) af = af_be;
        const uint8_t *ip = mt_cur_ptr(&c);
        uint32_t ipn = (uint32_t)mt_cur_left(&c);
        if (af == 2) return decode_ipv4(ip, ipn, out, 0);
        if (af == 24 || af == 28 || af == 30 || af == 10) return decode_ipv6(ip, ipn, out, 0);
        return MT_DEC_OTHER;
    }
    case LT_RAW: case LT_RAW_BSD: case LT_RAW_BSD2:
        return decode_ip(p, n, out, 0);
    case LT_PPP: case LT_PPP_HDLC: {
        /* Optional 0xff 0x03 address/control, then a 1- or 2-byte protocol. */
        if (mt_cur_left(&c) >= 2 && mt_cur_peek_u8(&c, 0) == 0xff && mt_cur_peek_u8(&c, 1) == 0x03)
            mt_cur_skip(&c, 2);
        uint16_t proto = mt_cur_u8(&c);
        if (!(proto & 1)) proto = (uint16_t)(proto << 8 | mt_cur_u8(&c));
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        const uint8_t *ip = mt_cur_ptr(&c);
        uint32_t ipn = (uint32_t)mt_cur_left(&c);
        if (proto == 0x0021) return decode_ipv4(ip, ipn, out, 0);
        if (proto == 0x0057) return decode_ipv6(ip, ipn, out, 0);
        return MT_DEC_OTHER;
    }
    case LT_C_HDLC: {
        mt_cur_skip(&c, 2); /* address, control */
        uint16_t type = mt_cur_be16(&c);
        if (!mt_cur_ok(&c)) return MT_DEC_TRUNCATED;
        return decode_ethertype(type, mt_cur_ptr(&c), (uint32_t)mt_cur_left(&c), out);
    }
    case LT_IPV4:
        return decode_ipv4(p, n, out, 0);
    case LT_IPV6:
        return decode_ipv6(p, n, out, 0);
    default:
        return MT_DEC_UNSUPPORTED_LINK;
    }
}
