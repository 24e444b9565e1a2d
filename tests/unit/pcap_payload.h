/* Test helper (header-only): walk a pcap/pcapng file with libpcap and hand
 * every TCP segment with payload to a callback, with the 1-based frame
 * number as tshark counts it. Ethernet (+VLAN), Linux SLL/SLL2, raw IP and
 * BSD loopback; IPv4 and IPv6 (no extension headers). Used by the protocol
 * tests to pull real ClientHellos and HTTP requests out of corpus captures. */
#ifndef MT_TEST_PCAP_PAYLOAD_H
#define MT_TEST_PCAP_PAYLOAD_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tp_seg {
    unsigned frame;
    uint8_t ipv;            /* 4 or 6 */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    uint32_t seq;
    const uint8_t *payload;
    size_t len;
} tp_seg;

typedef void (*tp_cb)(const tp_seg *s, void *ctx);

static int tp_l3_offset(int dlt, const uint8_t *p, size_t n, size_t *off)
{
    size_t o;
    uint16_t et;
    switch (dlt) {
    case DLT_EN10MB:
        if (n < 14) return -1;
        et = (uint16_t)((p[12] << 8) | p[13]);
        o = 14;
        while ((et == 0x8100 || et == 0x88a8) && n >= o + 4) {
            et = (uint16_t)((p[o + 2] << 8) | p[o + 3]);
            o += 4;
        }
        if (et != 0x0800 && et != 0x86dd) return -1;
        break;
    case DLT_LINUX_SLL:
        if (n < 16) return -1;
        o = 16;
        break;
    case 276: /* LINUX_SLL2 */
        if (n < 20) return -1;
        o = 20;
        break;
    case DLT_NULL:
        o = 4;
        break;
    case 12: case 14: case 101: case 228: case 229: /* raw IP variants */
        o = 0;
        break;
    default:
        return -1;
    }
    *off = o;
    return 0;
}

static int tp_walk(const char *path, tp_cb cb, void *ctx)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    if (!pc) {
        fprintf(stderr, "pcap %s: %s\n", path, err);
        return -1;
    }
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *p;
    unsigned frame = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &p)) == 1) {
        frame++;
        size_t n = h->caplen, o;
        if (tp_l3_offset(dlt, p, n, &o) != 0 || o >= n) continue;
        const uint8_t *ip = p + o;
        size_t ipn = n - o;
        tp_seg s;
        memset(&s, 0, sizeof s);
        s.frame = frame;
        size_t l4off, l4end;
        if ((ip[0] >> 4) == 4) {
            if (ipn < 20) continue;
            size_t ihl = (size_t)(ip[0] & 15) * 4;
            size_t tot = (size_t)((ip[2] << 8) | ip[3]);
            if (ip[9] != 6 || ihl < 20 || tot < ihl || tot > ipn) continue;
            if (((ip[6] & 0x1f) | ip[7]) != 0) continue; /* fragment */
            s.ipv = 4;
            memcpy(s.src, ip + 12, 4);
            memcpy(s.dst, ip + 16, 4);
            l4off = ihl;
            l4end = tot;
        } else if ((ip[0] >> 4) == 6) {
            if (ipn < 40 || ip[6] != 6) continue;
            size_t pl = (size_t)((ip[4] << 8) | ip[5]);
            if (40 + pl > ipn) continue;
            s.ipv = 6;
            memcpy(s.src, ip + 8, 16);
            memcpy(s.dst, ip + 24, 16);
            l4off = 40;
            l4end = 40 + pl;
        } else {
            continue;
        }
        if (l4end < l4off + 20) continue;
        const uint8_t *t = ip + l4off;
        size_t doff = (size_t)(t[12] >> 4) * 4;
        if (doff < 20 || l4off + doff > l4end) continue;
        s.sport = (uint16_t)((t[0] << 8) | t[1]);
        s.dport = (uint16_t)((t[2] << 8) | t[3]);
        s.seq = ((uint32_t)t[4] << 24) | ((uint32_t)t[5] << 16) | ((uint32_t)t[6] << 8) | t[7];
        s.payload = t + doff;
        s.len = l4end - l4off - doff;
        if (s.len) cb(&s, ctx);
    }
    pcap_close(pc);
    return 0;
}

/* "$MT_CORPUS/rel" into buf; NULL when MT_CORPUS is unset. */
static const char *tp_corpus_path(char *buf, size_t cap, const char *rel)
{
    const char *c = getenv("MT_CORPUS");
    if (!c || !*c) return NULL;
    snprintf(buf, cap, "%s/%s", c, rel);
    return buf;
}

/* The TCP payload of one frame (1-based frame number) of a corpus capture. */
typedef struct tp_grab {
    unsigned frame;
    uint8_t buf[8192];
    size_t len;
} tp_grab;

static void tp_grab_cb(const tp_seg *s, void *ctx)
{
    tp_grab *g = ctx;
    if (s->frame == g->frame && s->len <= sizeof g->buf) {
        memcpy(g->buf, s->payload, s->len);
        g->len = s->len;
    }
}

/* 0 and g filled, or -1 when the corpus is missing or the frame has no
 * TCP payload. */
static inline int tp_load_frame(const char *rel, unsigned frame, tp_grab *g)
{
    char path[1024];
    memset(g, 0, sizeof *g);
    if (!tp_corpus_path(path, sizeof path, rel)) return -1;
    g->frame = frame;
    if (tp_walk(path, tp_grab_cb, g) != 0 || g->len == 0) return -1;
    return 0;
}

#endif
