/* AF_PACKET capture. The block walk on hand-made TPACKET_V3 blocks: sound
 * frames delivered in place, VLAN tags put back, and every kind of broken
 * offset or length refused and counted, never read past the block. Then,
 * as root in a network namespace of its own, the real thing on loopback:
 * two sockets in one fanout group, each flow on one thread only, every
 * frame delivered once, counters that add up, the BPF filter in the
 * kernel, a clear error for a missing or down interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/afpacket.h"
#include "capture/source.h"

#if defined(__linux__)
#include <net/if.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the block walk ---- */

typedef struct got {
    int n;
    uint32_t caplen[8], wirelen[8];
    mt_time_us ts[8];
    uint8_t first[8][20];
    int stop_after; /* ask to stop after this many frames (0: never) */
} got;

static int on_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *data, uint32_t caplen,
                    uint32_t wirelen)
{
    got *g = ctx;
    assert_int_equal(lt, DLT_EN10MB);
    if (g->n < 8) {
        g->caplen[g->n] = caplen;
        g->wirelen[g->n] = wirelen;
        g->ts[g->n] = ts;
        memcpy(g->first[g->n], data, caplen < 20 ? caplen : 20);
    }
    g->n++;
    return g->stop_after && g->n >= g->stop_after;
}

#define BLK 8192
/* Frames as the kernel lays them out: header, sockaddr_ll, reserve, then
 * the frame at tp_mac; each 16-aligned after the one before. */
#define MAC_OFF (TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) + sizeof(struct sockaddr_ll) + 4 + 2)

static uint8_t *block_new(void)
{
    uint8_t *b = aligned_alloc(4096, BLK);
    memset(b, 0, BLK);
    return b;
}

/* Append a frame of `len` bytes (byte i = base + i) at *off; returns its header. */
static struct tpacket3_hdr *put_frame(uint8_t *b, uint32_t *off, uint32_t len, uint8_t base,
                                      uint32_t sec)
{
    struct tpacket3_hdr *h = (void *)(b + *off);
    h->tp_mac = (uint16_t)MAC_OFF;
    h->tp_snaplen = len;
    h->tp_len = len + 100; /* cut by the snap length */
    h->tp_sec = sec;
    h->tp_nsec = 123456789;
    for (uint32_t i = 0; i < len; i++) b[*off + MAC_OFF + i] = (uint8_t)(base + i);
    uint32_t next = TPACKET_ALIGN((uint32_t)MAC_OFF + len);
    h->tp_next_offset = next;
    *off += next;
    return h;
}

static void block_close(uint8_t *b, uint32_t nframes, uint32_t end, struct tpacket3_hdr *last)
{
    struct tpacket_block_desc *bd = (void *)b;
    bd->hdr.bh1.num_pkts = nframes;
    bd->hdr.bh1.offset_to_first_pkt = TPACKET_ALIGN(sizeof *bd);
    bd->hdr.bh1.blk_len = end;
    if (last) last->tp_next_offset = 0;
}

static uint8_t *three_frames(struct tpacket3_hdr **hs, uint32_t *end)
{
    uint8_t *b = block_new();
    uint32_t off = TPACKET_ALIGN(sizeof(struct tpacket_block_desc));
    hs[0] = put_frame(b, &off, 60, 0x10, 1700000000);
    hs[1] = put_frame(b, &off, 100, 0x20, 1700000001);
    hs[2] = put_frame(b, &off, 42, 0x30, 1700000002);
    block_close(b, 3, off, hs[2]);
    *end = off;
    return b;
}

static void test_walk_sound_block(void **state)
{
    (void)state;
    struct tpacket3_hdr *hs[3];
    uint32_t end;
    uint8_t *b = three_frames(hs, &end);
    got g = {0};
    mt_afp_stats st = {0};
    int stop = 0;
    assert_int_equal(mt_afp_walk_block(b, BLK, DLT_EN10MB, on_frame, &g, &st, &stop), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(st.frames, 3);
    assert_int_equal(st.bytes, 160 + 200 + 142);
    assert_int_equal(g.caplen[1], 100);
    assert_int_equal(g.wirelen[1], 200);
    assert_int_equal(g.first[1][0], 0x20);
    assert_int_equal(g.first[2][5], 0x35);
    assert_true(g.ts[0] == 1700000000LL * 1000000 + 123456);
    assert_int_equal(stop, 0);

    /* the callback stops the walk after the second frame */
    got g2 = {.stop_after = 2};
    assert_int_equal(mt_afp_walk_block(b, BLK, DLT_EN10MB, on_frame, &g2, &st, &stop), 0);
    assert_int_equal(g2.n, 2);
    assert_int_equal(stop, 1);
    free(b);
}

static void test_walk_vlan_put_back(void **state)
{
    (void)state;
    struct tpacket3_hdr *hs[3];
    uint32_t end;
    uint8_t *b = three_frames(hs, &end);
    hs[0]->tp_status = TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID;
    hs[0]->hv1.tp_vlan_tci = 0x0123;
    hs[0]->hv1.tp_vlan_tpid = 0x88a8;
    hs[1]->tp_status = TP_STATUS_VLAN_VALID; /* no TPID: 802.1Q */
    hs[1]->hv1.tp_vlan_tci = 0x0042;
    got g = {0};
    mt_afp_stats st = {0};
    int stop = 0;
    assert_int_equal(mt_afp_walk_block(b, BLK, DLT_EN10MB, on_frame, &g, &st, &stop), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.caplen[0], 64);
    assert_int_equal(g.wirelen[0], 164);
    /* the twelve address bytes first, then the tag, then the rest */
    for (int i = 0; i < 12; i++) assert_int_equal(g.first[0][i], 0x10 + i);
    assert_int_equal(g.first[0][12], 0x88);
    assert_int_equal(g.first[0][13], 0xa8);
    assert_int_equal(g.first[0][14], 0x01);
    assert_int_equal(g.first[0][15], 0x23);
    assert_int_equal(g.first[0][16], 0x10 + 12);
    assert_int_equal(g.first[1][12], 0x81);
    assert_int_equal(g.first[1][13], 0x00);
    assert_int_equal(g.first[1][15], 0x42);
    assert_int_equal(g.caplen[2], 42); /* untagged frames as they are */
    free(b);
}

typedef void (*breaker)(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end);

static void brk_blk_len(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)hs; (void)end;
    ((struct tpacket_block_desc *)b)->hdr.bh1.blk_len = BLK + 1;
}
static void brk_first(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)hs;
    ((struct tpacket_block_desc *)b)->hdr.bh1.offset_to_first_pkt = end;
}
static void brk_first_small(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)hs; (void)end;
    ((struct tpacket_block_desc *)b)->hdr.bh1.offset_to_first_pkt = 4;
}
static void brk_snaplen(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b; (void)end;
    hs[1]->tp_snaplen = 0xffffff00u;
}
static void brk_mac(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b; (void)end;
    hs[1]->tp_mac = 3;
}
static void brk_len(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b; (void)end;
    hs[1]->tp_len = 10; /* less than what was captured */
}
static void brk_next_zero(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b; (void)end;
    hs[0]->tp_next_offset = 0;
}
static void brk_next_past(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b;
    hs[1]->tp_next_offset = end;
}
static void brk_next_odd(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)b; (void)end;
    hs[0]->tp_next_offset += 1;
}
static void brk_count(uint8_t *b, struct tpacket3_hdr **hs, uint32_t end)
{
    (void)end;
    ((struct tpacket_block_desc *)b)->hdr.bh1.num_pkts = 1000000;
    hs[2]->tp_next_offset = 64; /* into the zeroed rest of the block */
}

static void test_walk_broken_blocks(void **state)
{
    (void)state;
    static const struct {
        breaker f;
        uint64_t bad; /* frames refused */
        int good;     /* frames delivered */
    } cases[] = {
        {brk_blk_len, 3, 0},  {brk_first, 3, 0},     {brk_first_small, 3, 0},
        {brk_snaplen, 1, 2},  {brk_mac, 1, 2},       {brk_len, 1, 2},
        {brk_next_zero, 2, 1}, {brk_next_past, 1, 2}, {brk_next_odd, 2, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tpacket3_hdr *hs[3];
        uint32_t end;
        uint8_t *b = three_frames(hs, &end);
        cases[i].f(b, hs, end);
        got g = {0};
        mt_afp_stats st = {0};
        int stop = 0;
        uint64_t bad = mt_afp_walk_block(b, BLK, DLT_EN10MB, on_frame, &g, &st, &stop);
        if (bad != cases[i].bad || g.n != cases[i].good)
            fail_msg("case %zu: %llu refused, %d delivered", i, (unsigned long long)bad, g.n);
        free(b);
    }
    /* a count far beyond what the block holds: the walk ends at the block's end */
    struct tpacket3_hdr *hs[3];
    uint32_t end;
    uint8_t *b = three_frames(hs, &end);
    brk_count(b, hs, end);
    got g = {0};
    mt_afp_stats st = {0};
    int stop = 0;
    uint64_t bad = mt_afp_walk_block(b, BLK, DLT_EN10MB, on_frame, &g, &st, &stop);
    assert_true(g.n >= 3 && st.frames == (uint64_t)g.n);
    assert_int_equal(bad + (uint64_t)g.n, 1000000); /* each frame delivered or counted */
    /* a buffer smaller than a block header */
    assert_int_equal(mt_afp_walk_block(b, 8, DLT_EN10MB, on_frame, &g, &st, &stop), 1);
    free(b);
}

/* ---- the real sockets, in a namespace of our own ---- */

static int g_netns; /* 1: in a fresh namespace with lo up; 0: skip */

static int lo_flags(int up)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        if (up) ifr.ifr_flags |= IFF_UP;
        else ifr.ifr_flags &= ~IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}

static int setup_netns(void **state)
{
    (void)state;
    g_netns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0;
    return 0;
}

#define FLOWS 64
#define PER_FLOW 20

typedef struct worker {
    mt_afp *a;
    unsigned i;
    pthread_t self;
    int have_self; /* self is set by the first frame (mt_source_live_threads) */
    int wrong_thread;
    uint64_t frames, port9;
    uint32_t max_caplen, cut; /* the longest frame; frames cut by the snap length */
    uint32_t flow[FLOWS]; /* frames of each flow (source port 40000 + k) */
    int rc;
} worker;

static int count_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *d, uint32_t caplen,
                       uint32_t wirelen)
{
    worker *w = ctx;
    (void)ts; (void)wirelen;
    if (!w->have_self) {
        w->self = pthread_self();
        w->have_self = 1;
    }
    if (!pthread_equal(pthread_self(), w->self)) w->wrong_thread = 1;
    w->frames++;
    if (caplen > w->max_caplen) w->max_caplen = caplen;
    if (wirelen > caplen) w->cut++;
    if (lt != DLT_EN10MB || caplen < 14 + 20 + 8 || d[12] != 0x08 || d[13] != 0 || d[23] != 17)
        return 0;
    const uint8_t *udp = d + 14 + (d[14] & 15) * 4;
    if (udp + 8 > d + caplen) return 0;
    unsigned sport = (unsigned)udp[0] << 8 | udp[1], dport = (unsigned)udp[2] << 8 | udp[3];
    if (dport == 9) w->port9++;
    if (sport >= 40000 && sport < 40000 + FLOWS) w->flow[sport - 40000]++;
    return 0;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    w->self = pthread_self();
    w->have_self = 1;
    w->rc = mt_afp_run(w->a, w->i, count_frame, w, NULL, NULL);
    return NULL;
}

/* FLOWS flows of PER_FLOW datagrams each to 127.0.0.1:dport. */
static void send_flows(unsigned dport)
{
    for (int k = 0; k < FLOWS; k++) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        assert_true(fd >= 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(40000 + k)),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        sa.sin_port = htons((uint16_t)dport);
        for (int j = 0; j < PER_FLOW; j++)
            sendto(fd, "minetrace fanout", 16, 0, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
    }
}

static void sleep_ms(int ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

static void run_capture(const char *bpf, int snaplen, unsigned threads, worker *w,
                        unsigned dport, mt_afp_stats *st)
{
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    c.iface = "lo";
    c.threads = threads;
    c.block_kb = 1024;
    c.blocks = 4;
    c.bpf = bpf;
    if (snaplen) c.snaplen = snaplen;
    mt_afp *a;
    assert_int_equal(mt_afp_open(&a, &c), MT_OK);
    assert_int_equal(mt_afp_threads(a), threads);
    assert_int_equal(mt_afp_linktype(a), DLT_EN10MB);
    pthread_t th[4];
    for (unsigned i = 0; i < threads; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].a = a;
        w[i].i = i;
        assert_int_equal(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    sleep_ms(100);
    send_flows(dport);
    sleep_ms(400); /* past the 100 ms block retire timeout */
    mt_afp_stop(a);
    for (unsigned i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].rc, MT_OK);
        assert_int_equal(w[i].wrong_thread, 0);
        mt_afp_get_stats(a, i, &st[i]);
    }
    mt_afp_close(a);
}

static void test_fanout_on_loopback(void **state)
{
    (void)state;
    if (!g_netns) skip();
    assert_int_equal(lo_flags(1), 0);
    worker w[2];
    mt_afp_stats st[2];
    run_capture(NULL, 0, 2, w, 9, st);
    /* loopback shows each datagram twice: leaving and arriving */
    uint64_t total = 0, kernel = 0;
    for (int i = 0; i < 2; i++) {
        total += w[i].frames;
        kernel += st[i].packets;
        assert_int_equal(st[i].drops, 0);
        assert_int_equal(st[i].bad_frames, 0);
        assert_int_equal(st[i].frames, w[i].frames);
        assert_true(w[i].frames > 0); /* 64 flows: both threads have some */
    }
    assert_int_equal(w[0].port9 + w[1].port9, 2 * FLOWS * PER_FLOW);
    assert_int_equal(kernel, total);
    for (int k = 0; k < FLOWS; k++) {
        /* every frame of a flow on one thread */
        if (!((w[0].flow[k] == 2 * PER_FLOW && w[1].flow[k] == 0) ||
              (w[1].flow[k] == 2 * PER_FLOW && w[0].flow[k] == 0)))
            fail_msg("flow %d: %u and %u frames", k, w[0].flow[k], w[1].flow[k]);
    }
}

static void test_filter_in_kernel(void **state)
{
    (void)state;
    if (!g_netns) skip();
    assert_int_equal(lo_flags(1), 0);
    worker w[2];
    mt_afp_stats st[2];
    run_capture("udp dst port 9999", 0, 2, w, 9, st);
    assert_int_equal(w[0].frames + w[1].frames, 0);
    assert_int_equal(st[0].packets + st[1].packets, 0);
    run_capture("udp dst port 9999", 0, 1, w, 9999, st);
    assert_int_equal(w[0].frames, 2 * FLOWS * PER_FLOW);
    assert_int_equal(st[0].packets, 2 * FLOWS * PER_FLOW);
    assert_int_equal(w[0].max_caplen, 14 + 20 + 8 + 16);
    assert_int_equal(w[0].cut, 0);
    /* the snap length, which the filter's accept value carries */
    run_capture("udp", 40, 1, w, 9999, st);
    assert_int_equal(w[0].frames, 2 * FLOWS * PER_FLOW);
    assert_int_equal(w[0].max_caplen, 40);
    assert_int_equal(w[0].cut, 2 * FLOWS * PER_FLOW);
    /* a filter libpcap cannot compile */
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    c.iface = "lo";
    c.bpf = "not (";
    mt_afp *a;
    assert_int_equal(mt_afp_open(&a, &c), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "bad filter"));
}

static void test_open_errors(void **state)
{
    (void)state;
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    mt_afp *a;
    c.iface = "lo";
    c.threads = 0;
    assert_int_equal(mt_afp_open(&a, &c), MT_EINVAL);
    c.threads = 1;
    c.blocks = 1;
    assert_int_equal(mt_afp_open(&a, &c), MT_EINVAL);
    c.blocks = 0;
    c.block_kb = 768; /* not a power of two */
    assert_int_equal(mt_afp_open(&a, &c), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "power of two"));
    c.block_kb = 0;
    c.iface = "an-interface-name-far-too-long";
    assert_int_equal(mt_afp_open(&a, &c), MT_EINVAL);
    if (!g_netns) skip();
    c.iface = "no-such-if0";
    assert_int_equal(mt_afp_open(&a, &c), MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "no-such-if0: no such interface"));
    assert_int_equal(lo_flags(0), 0);
    c.iface = "lo";
    assert_int_equal(mt_afp_open(&a, &c), MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "down"));
    assert_int_equal(lo_flags(1), 0);
}

/* ---- mt_source_live_threads: capture threads to per-thread consumers ---- */

typedef struct live_run {
    mt_source_opts o;
    mt_source_result res;
    worker *w;
    uint64_t max;
    int rc;
    pthread_t self;
    int ticks, ticks_elsewhere;
} live_run;

static void live_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *d, uint32_t caplen,
                       uint32_t wirelen)
{
    (void)count_frame(ctx, lt, ts, d, caplen, wirelen);
}

static void live_tick(void *ctx, int hup)
{
    live_run *r = ctx;
    (void)hup;
    r->ticks++;
    if (!pthread_equal(pthread_self(), r->self)) r->ticks_elsewhere++;
}

static void *live_main(void *arg)
{
    live_run *r = arg;
    r->self = pthread_self();
    void *ctx[2] = {&r->w[0], &r->w[1]};
    r->rc = mt_source_live_threads("lo", &r->o, 2, live_frame, ctx, r->max, &r->res);
    return NULL;
}

static void live_threads(live_run *r, uint64_t max, int sigint)
{
    worker *w = r->w;
    memset(r, 0, sizeof *r);
    r->w = w;
    memset(w, 0, 2 * sizeof *w);
    mt_source_opts_defaults(&r->o);
    r->o.bpf = "udp"; /* not the ICMP port-unreachable answers */
    r->o.ring_mb = 2;
    r->o.tick = live_tick;
    r->o.tick_ctx = r;
    r->o.tick_interval_s = 0.1;
    r->max = max;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, live_main, r), 0);
    sleep_ms(200);
    send_flows(9);
    sleep_ms(500);
    if (sigint) kill(getpid(), SIGINT);
    pthread_join(th, NULL);
    assert_int_equal(r->rc, MT_OK);
    assert_int_equal(r->res.threads, 2);
    assert_string_equal(r->res.capture, "afpacket");
    uint64_t frames = w[0].frames + w[1].frames;
    assert_int_equal(frames, 2 * FLOWS * PER_FLOW);
    assert_int_equal(r->res.packets, frames);
    assert_int_equal(r->res.recv, r->res.thread[0].packets + r->res.thread[1].packets);
    assert_int_equal(r->res.recv, frames);
    assert_int_equal(r->res.drop, 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(w[i].wrong_thread, 0);
        assert_int_equal(r->res.thread[i].frames, w[i].frames);
        assert_true(w[i].frames > 0);
    }
    for (int k = 0; k < FLOWS; k++)
        if (!((w[0].flow[k] == 2 * PER_FLOW && w[1].flow[k] == 0) ||
              (w[1].flow[k] == 2 * PER_FLOW && w[0].flow[k] == 0)))
            fail_msg("flow %d: %u and %u frames", k, w[0].flow[k], w[1].flow[k]);
    /* the clock is kept on the calling thread, every 0.1 s (the run that
     * waits for SIGINT lasts 0.7 s; the counted one ends with its count) */
    if (sigint && r->ticks < 3) fail_msg("%d ticks in 0.7 s", r->ticks);
    assert_int_equal(r->ticks_elsewhere, 0);
}

static void test_live_threads(void **state)
{
    (void)state;
    if (!g_netns) skip();
    assert_int_equal(lo_flags(1), 0);
    worker w[2];
    live_run r = {.w = w};
    live_threads(&r, 0, 1);                        /* stopped by SIGINT */
    live_threads(&r, 2 * FLOWS * PER_FLOW, 0);     /* stopped by the count */
    /* libpcap cannot do threads; a missing interface is said */
    mt_source_opts o;
    mt_source_opts_defaults(&o);
    o.capture = MT_CAPTURE_PCAP;
    void *ctx[2] = {&w[0], &w[1]};
    mt_source_result res;
    assert_int_equal(mt_source_live_threads("lo", &o, 2, live_frame, ctx, 0, &res), MT_EINVAL);
    o.capture = MT_CAPTURE_AUTO;
    assert_int_equal(mt_source_live_threads("no-such-if0", &o, 2, live_frame, ctx, 0, &res),
                     MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "no-such-if0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_sound_block),
        cmocka_unit_test(test_walk_vlan_put_back),
        cmocka_unit_test(test_walk_broken_blocks),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_fanout_on_loopback),
        cmocka_unit_test(test_filter_in_kernel),
        cmocka_unit_test(test_live_threads),
    };
    return cmocka_run_group_tests(tests, setup_netns, NULL);
}

#else

static void test_unavailable(void **state)
{
    (void)state;
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    c.iface = "eth0";
    mt_afp *a;
    assert_int_equal(mt_afp_open(&a, &c), MT_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_unavailable)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
