/* Packet decoder: link layer -> IPv4/IPv6 -> TCP/UDP. Pure function of the
 * bytes: no state, no allocation. Every read is checked against caplen (the
 * bytes we have), never against lengths the packet claims.
 *
 * Link types: Ethernet (with 802.1Q / 802.1ad / QinQ tags), Linux cooked
 * SLL and SLL2, raw IP, BSD loopback/null (both byte orders), OpenBSD loop,
 * PPP, Cisco HDLC, IPv4/IPv6 link types. One level of IP-in-IP / IPv6-in-IP tunnelling is
 * followed. IPv4 fragments: the first fragment is decoded (its L4 header
 * and leading payload are real), later fragments are counted and skipped,
 * since without reassembly their bytes would be misread as headers. */
#ifndef MT_CAPTURE_DECODE_H
#define MT_CAPTURE_DECODE_H

#include "minetrace/common.h"

#define MT_TCP_FIN 0x01
#define MT_TCP_SYN 0x02
#define MT_TCP_RST 0x04
#define MT_TCP_PSH 0x08
#define MT_TCP_ACK 0x10

typedef struct mt_packet {
    mt_time_us ts;
    mt_addr src, dst;
    uint16_t sport, dport;
    uint8_t ipproto;       /* 6 or 17 when decoded to L4 */
    uint8_t tcp_flags;
    uint8_t is_first_fragment; /* payload may be partial */
    uint32_t seq;
    const uint8_t *payload; /* L4 payload (captured part) */
    uint32_t payload_len;   /* captured payload bytes */
    uint32_t payload_wire_len; /* payload length the IP header claims */
} mt_packet;

typedef enum mt_decode_result {
    MT_DEC_OK = 0,        /* TCP or UDP decoded */
    MT_DEC_OTHER,         /* valid but not TCP/UDP over IP (ARP, ICMP, ...) */
    MT_DEC_FRAGMENT,      /* non-first IP fragment, skipped */
    MT_DEC_TRUNCATED,     /* caplen too short for the headers */
    MT_DEC_MALFORMED,     /* impossible header values */
    MT_DEC_UNSUPPORTED_LINK
} mt_decode_result;

/* `linktype` is a DLT_/LINKTYPE_ value from libpcap. */
mt_decode_result mt_decode_packet(int linktype, const uint8_t *p, uint32_t caplen,
                                  mt_packet *out);
/* The same without the fast path for Ethernet/IPv4/TCP|UDP: for tests
 * that check both agree. */
mt_decode_result mt_decode_packet_general(int linktype, const uint8_t *p, uint32_t caplen,
                                          mt_packet *out);
int mt_decode_link_supported(int linktype);
const char *mt_decode_result_str(mt_decode_result r);

#endif
