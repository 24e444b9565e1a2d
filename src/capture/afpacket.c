/* AF_PACKET fanout capture with TPACKET_V3 rings (see afpacket.h). */
#include "capture/afpacket.h"

#include <string.h>

void mt_afp_config_defaults(mt_afp_config *c)
{
    memset(c, 0, sizeof *c);
    c->threads = 1;
    c->block_kb = MT_AFP_BLOCK_KB_DEFAULT;
    c->blocks = MT_AFP_BLOCKS_DEFAULT;
    c->retire_ms = 100;
    c->snaplen = 262144;
    c->promisc = 1;
}

#if defined(__linux__)

/* glibc's net/if.h first: the kernel headers then leave its names alone */
#include <net/if.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VLAN_TAG_LEN 4

typedef struct afp_sock {
    int fd;
    uint8_t *ring;
    size_t ring_len;
    unsigned cur; /* the block to look at next */
    mt_afp_stats st;
} afp_sock;

struct mt_afp {
    char iface[IF_NAMESIZE];
    int ifindex, linktype;
    unsigned n, blocks;
    size_t block_size;
    int stop; /* set by mt_afp_stop, from any thread or a signal handler */
    uint64_t ifdrop0;
    afp_sock s[];
};

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

uint64_t mt_afp_walk_block(uint8_t *block, size_t len, int linktype, mt_afp_frame_fn fn,
                           void *ctx, mt_afp_stats *st, int *stop)
{
    const struct tpacket_block_desc *bd = (const void *)block;
    if (len < sizeof *bd) return 1;
    uint32_t n = bd->hdr.bh1.num_pkts;
    uint64_t end = bd->hdr.bh1.blk_len;
    if (end > len || end < sizeof *bd) return n ? n : 1;
    uint64_t off = bd->hdr.bh1.offset_to_first_pkt, bad = 0;
    /* Room the kernel leaves before the frame (the header, the sockaddr_ll
     * and PACKET_RESERVE's 4 bytes): where a VLAN tag can be put back. */
    const uint64_t vlan_room = TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) +
                               sizeof(struct sockaddr_ll) + VLAN_TAG_LEN;
    for (uint32_t k = 0; k < n; k++) {
        if (off < sizeof *bd || off % _Alignof(struct tpacket3_hdr) != 0 ||
            off + sizeof(struct tpacket3_hdr) > end)
            return bad + (n - k);
        struct tpacket3_hdr *h = (void *)(block + off);
        uint64_t mac = h->tp_mac, cap = h->tp_snaplen, wire = h->tp_len;
        if (mac < sizeof *h || off + mac + cap > end || wire < cap) {
            bad++;
        } else {
            uint8_t *data = block + off + mac;
            if (linktype == DLT_EN10MB && (h->tp_status & TP_STATUS_VLAN_VALID) &&
                cap >= 2 * ETH_ALEN && mac >= vlan_room) {
                uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) && h->hv1.tp_vlan_tpid
                                    ? h->hv1.tp_vlan_tpid
                                    : ETH_P_8021Q;
                uint16_t tci = (uint16_t)h->hv1.tp_vlan_tci;
                data -= VLAN_TAG_LEN;
                memmove(data, data + VLAN_TAG_LEN, 2 * ETH_ALEN);
                data[12] = (uint8_t)(tpid >> 8);
                data[13] = (uint8_t)tpid;
                data[14] = (uint8_t)(tci >> 8);
                data[15] = (uint8_t)tci;
                cap += VLAN_TAG_LEN;
                wire += VLAN_TAG_LEN;
            }
            st->frames++;
            st->bytes += wire;
            mt_time_us ts = (mt_time_us)h->tp_sec * 1000000 + h->tp_nsec / 1000;
            if (fn(ctx, linktype, ts, data, (uint32_t)cap, (uint32_t)wire)) {
                *stop = 1;
                return bad;
            }
        }
        if (k + 1 < n) {
            uint32_t next = h->tp_next_offset;
            if (next < sizeof *h) return bad + (n - k - 1);
            off += next;
        }
    }
    return bad;
}

static int iface_ifdrop(const char *iface, uint64_t *v)
{
    char path[96];
    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/rx_dropped", iface);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    unsigned long long x;
    int ok = fscanf(f, "%llu", &x) == 1;
    fclose(f);
    if (!ok) return -1;
    *v = x;
    return 0;
}

static void read_kernel_stats(afp_sock *s)
{
    struct tpacket_stats_v3 ks;
    socklen_t len = sizeof ks;
    memset(&ks, 0, sizeof ks);
    if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len) != 0) return;
    /* The kernel zeroes its counters on every read, and they are 32 bits:
     * read often enough (every second) and sum. */
    s->st.packets += ks.tp_packets;
    s->st.drops += ks.tp_drops;
    s->st.freezes += ks.tp_freeze_q_cnt;
}

/* The link types we map; others go to libpcap, which knows them all. */
static int link_of(int arphrd)
{
    switch (arphrd) {
    case ARPHRD_ETHER:
    case ARPHRD_LOOPBACK: /* Linux loopback frames carry an Ethernet header */
        return DLT_EN10MB;
    case ARPHRD_NONE: /* tun, WireGuard: the frame starts at the IP header */
#ifdef ARPHRD_RAWIP
    case ARPHRD_RAWIP:
#endif
        return DLT_RAW;
    default:
        return -1;
    }
}

static int sock_open(mt_afp *a, afp_sock *s, const struct sock_fprog *none, unsigned retire_ms)
{
    s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (s->fd < 0) {
        int e = errno;
        if (e == EAFNOSUPPORT || e == EPERM || e == EACCES || e == EPROTONOSUPPORT)
            return mt_error_set(MT_ENOTFOUND, "%s: AF_PACKET socket refused: %s", a->iface,
                                strerror(e));
        return mt_error_set(MT_EIO, "%s: AF_PACKET socket: %s", a->iface, strerror(e));
    }
    /* Nothing passes until every socket is in the fanout group: a socket
     * bound but not yet a member would get its own copy of everything. */
    if (setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, none, sizeof *none) != 0)
        return mt_error_set(MT_EIO, "%s: cannot attach a filter: %s", a->iface, strerror(errno));
    int v = TPACKET_V3;
    if (setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) != 0)
        return mt_error_set(MT_ENOTFOUND, "%s: the kernel has no TPACKET_V3: %s", a->iface,
                            strerror(errno));
    v = VLAN_TAG_LEN;
    if (setsockopt(s->fd, SOL_PACKET, PACKET_RESERVE, &v, sizeof v) != 0)
        return mt_error_set(MT_EIO, "%s: PACKET_RESERVE: %s", a->iface, strerror(errno));
    struct tpacket_req3 req;
    memset(&req, 0, sizeof req);
    req.tp_block_size = (unsigned)a->block_size;
    req.tp_block_nr = a->blocks;
    req.tp_frame_size = 2048; /* V3 packs frames of any size; this only has to divide */
    req.tp_frame_nr = (unsigned)(a->block_size / req.tp_frame_size) * a->blocks;
    req.tp_retire_blk_tov = retire_ms;
    if (setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0)
        return mt_error_set(errno == ENOMEM ? MT_ENOMEM : MT_EIO,
                            "%s: cannot set up a receive ring of %u blocks of %zu KiB: %s (try "
                            "a smaller --ring-mb)", a->iface, a->blocks, a->block_size >> 10,
                            strerror(errno));
    s->ring_len = a->block_size * a->blocks;
    void *m = mmap(NULL, s->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (m == MAP_FAILED) {
        s->ring = NULL;
        return mt_error_set(MT_ENOMEM, "%s: cannot map the receive ring: %s", a->iface,
                            strerror(errno));
    }
    s->ring = m;
    struct sockaddr_ll ll;
    memset(&ll, 0, sizeof ll);
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = a->ifindex;
    if (bind(s->fd, (struct sockaddr *)&ll, sizeof ll) != 0)
        return mt_error_set(MT_EIO, "%s: cannot bind: %s", a->iface, strerror(errno));
    return MT_OK;
}

/* The first socket asks the kernel for a group id nobody uses (so two
 * captures on one host never share a group); older kernels without
 * PACKET_FANOUT_FLAG_UNIQUEID get one made of the process id. */
/* The option word: group id in the low 16 bits, type and flags above (the
 * flags reach bit 31, so it is built unsigned). */
static int fanout_arg(uint32_t id, uint32_t type_flags)
{
    uint32_t u = (id & 0xffffu) | type_flags << 16;
    int arg;
    memcpy(&arg, &u, sizeof arg);
    return arg;
}

static int join_fanout(mt_afp *a, afp_sock *s, int *id)
{
    uint32_t type = PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;
    if (*id < 0) {
#ifdef PACKET_FANOUT_FLAG_UNIQUEID
        int arg = fanout_arg(0, type | PACKET_FANOUT_FLAG_UNIQUEID);
        if (setsockopt(s->fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) == 0) {
            int got = 0;
            socklen_t len = sizeof got;
            if (getsockopt(s->fd, SOL_PACKET, PACKET_FANOUT, &got, &len) != 0)
                return mt_error_set(MT_EIO, "%s: cannot read the fanout group: %s", a->iface,
                                    strerror(errno));
            *id = got & 0xffff;
            return MT_OK;
        }
#endif
        *id = (int)(getpid() & 0xffff);
    }
    int arg = fanout_arg((uint32_t)*id, type);
    if (setsockopt(s->fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) != 0)
        return mt_error_set(MT_EIO, "%s: cannot join fanout group %d: %s", a->iface, *id,
                            strerror(errno));
    return MT_OK;
}

int mt_afp_open(mt_afp **out, const mt_afp_config *c)
{
    *out = NULL;
    if (!c->iface || !*c->iface) return mt_error_set(MT_EINVAL, "no interface given");
    if (strlen(c->iface) >= IF_NAMESIZE)
        return mt_error_set(MT_EINVAL, "%s: interface name too long", c->iface);
    if (c->threads < 1 || c->threads > MT_AFP_MAX_THREADS)
        return mt_error_set(MT_EINVAL, "%s: %u capture threads (1..%d)", c->iface, c->threads,
                            MT_AFP_MAX_THREADS);
    unsigned bkb = c->block_kb ? c->block_kb : MT_AFP_BLOCK_KB_DEFAULT;
    unsigned nb = c->blocks ? c->blocks : MT_AFP_BLOCKS_DEFAULT;
    long page = sysconf(_SC_PAGESIZE);
    if (bkb < 4 || bkb > 131072 || (bkb & (bkb - 1)) || nb < 2 || nb > 65536 ||
        (page > 0 && ((size_t)bkb << 10) % (size_t)page))
        return mt_error_set(MT_EINVAL, "%s: ring of %u blocks of %u KiB (blocks: a power of two "
                            "of 4..131072 KiB and of whole pages; 2..65536 of them)",
                            c->iface, nb, bkb);
    mt_afp *a = mt_xcalloc(1, sizeof *a + c->threads * sizeof a->s[0]);
    memcpy(a->iface, c->iface, strlen(c->iface) + 1);
    a->n = c->threads;
    a->blocks = nb;
    a->block_size = (size_t)bkb << 10;
    for (unsigned i = 0; i < a->n; i++) a->s[i].fd = -1;
    int rc;
    int snap = c->snaplen > 0 ? c->snaplen : 262144;
    struct bpf_program prog = {0};
    int compiled = 0;

    /* The first socket also answers what the interface is. */
    struct sock_filter none_insn = BPF_STMT(BPF_RET | BPF_K, 0);
    struct sock_fprog none = {.len = 1, .filter = &none_insn};
    a->ifindex = (int)if_nametoindex(c->iface);
    if (a->ifindex == 0) {
        if (errno == ENODEV || errno == ENXIO) {
            rc = mt_error_set(MT_EIO, "%s: no such interface", c->iface);
            goto fail;
        }
        /* if_nametoindex needs a socket of its own; let sock_open say why */
    }
    if ((rc = sock_open(a, &a->s[0], &none, c->retire_ms ? c->retire_ms : 100)) != MT_OK)
        goto fail;
    if (a->ifindex == 0) {
        rc = mt_error_set(MT_EIO, "%s: no such interface", c->iface);
        goto fail;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, c->iface, strlen(c->iface) + 1);
    if (ioctl(a->s[0].fd, SIOCGIFHWADDR, &ifr) != 0) {
        rc = mt_error_set(MT_EIO, "%s: cannot read the link type: %s", c->iface, strerror(errno));
        goto fail;
    }
    a->linktype = link_of(ifr.ifr_hwaddr.sa_family);
    if (a->linktype < 0) {
        rc = mt_error_set(MT_ENOTFOUND, "%s: link type ARPHRD %d is not mapped for AF_PACKET",
                          c->iface, (int)ifr.ifr_hwaddr.sa_family);
        goto fail;
    }
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, c->iface, strlen(c->iface) + 1);
    if (ioctl(a->s[0].fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        rc = mt_error_set(MT_EIO, "%s: the interface is down", c->iface);
        goto fail;
    }
    /* The filter as libpcap compiles it for this link type; its accept
     * value is the snap length, which is how the kernel cuts frames. */
    pcap_t *dead = pcap_open_dead(a->linktype, snap);
    if (!dead) {
        rc = mt_error_set(MT_ENOMEM, "%s: cannot set up the filter", c->iface);
        goto fail;
    }
    if (pcap_compile(dead, &prog, c->bpf ? c->bpf : "", 1, PCAP_NETMASK_UNKNOWN) != 0) {
        rc = mt_error_set(MT_EINVAL, "%s: bad filter '%s': %s", c->iface, c->bpf ? c->bpf : "",
                          pcap_geterr(dead));
        pcap_close(dead);
        goto fail;
    }
    pcap_close(dead);
    compiled = 1;
    for (unsigned i = 1; i < a->n; i++)
        if ((rc = sock_open(a, &a->s[i], &none, c->retire_ms ? c->retire_ms : 100)) != MT_OK)
            goto fail;
    if (c->promisc) {
        struct packet_mreq mr;
        memset(&mr, 0, sizeof mr);
        mr.mr_ifindex = a->ifindex;
        mr.mr_type = PACKET_MR_PROMISC;
        if (setsockopt(a->s[0].fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
            rc = mt_error_set(MT_EIO, "%s: cannot enter promiscuous mode: %s", c->iface,
                              strerror(errno));
            goto fail;
        }
    }
    int id = -1;
    for (unsigned i = 0; i < a->n; i++)
        if ((rc = join_fanout(a, &a->s[i], &id)) != MT_OK) goto fail;
    /* struct bpf_insn and struct sock_filter are the same four fields. */
    struct sock_fprog fp = {.len = (unsigned short)prog.bf_len, .filter = (void *)prog.bf_insns};
    for (unsigned i = 0; i < a->n; i++) {
        if (setsockopt(a->s[i].fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) != 0) {
            rc = mt_error_set(MT_EIO, "%s: cannot attach the filter: %s", c->iface,
                              strerror(errno));
            goto fail;
        }
        read_kernel_stats(&a->s[i]);
        memset(&a->s[i].st, 0, sizeof a->s[i].st);
    }
    pcap_freecode(&prog);
    if (iface_ifdrop(a->iface, &a->ifdrop0) != 0) a->ifdrop0 = UINT64_MAX;
    *out = a;
    return MT_OK;
fail:
    if (compiled) pcap_freecode(&prog);
    mt_afp_close(a);
    return rc;
}

void mt_afp_close(mt_afp *a)
{
    if (!a) return;
    for (unsigned i = 0; i < a->n; i++) {
        if (a->s[i].ring) munmap(a->s[i].ring, a->s[i].ring_len);
        if (a->s[i].fd >= 0) close(a->s[i].fd);
    }
    free(a);
}

unsigned mt_afp_threads(const mt_afp *a) { return a->n; }
int mt_afp_linktype(const mt_afp *a) { return a->linktype; }

void mt_afp_stop(mt_afp *a)
{
    __atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
}

void mt_afp_get_stats(const mt_afp *a, unsigned i, mt_afp_stats *out)
{
    if (i < a->n) *out = a->s[i].st;
    else memset(out, 0, sizeof *out);
}

uint64_t mt_afp_ifdrop(const mt_afp *a)
{
    uint64_t now;
    if (a->ifdrop0 == UINT64_MAX || iface_ifdrop(a->iface, &now) != 0 || now < a->ifdrop0)
        return 0;
    return now - a->ifdrop0;
}

int mt_afp_run(mt_afp *a, unsigned i, mt_afp_frame_fn fn, void *fn_ctx, mt_afp_idle_fn idle,
               void *idle_ctx)
{
    if (i >= a->n) return mt_error_set(MT_EINVAL, "%s: no capture thread %u", a->iface, i);
    afp_sock *s = &a->s[i];
    double next_stats = mono_s() + 1.0;
    int stop = 0, rc = MT_OK;
    while (!stop && !__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
        struct tpacket_block_desc *bd = (void *)(s->ring + (size_t)s->cur * a->block_size);
        uint32_t status = __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE);
        if (status & TP_STATUS_USER) {
            s->st.bad_frames +=
                mt_afp_walk_block((uint8_t *)bd, a->block_size, a->linktype, fn, fn_ctx, &s->st, &stop);
            s->st.blocks++;
            __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
            s->cur = (s->cur + 1) % a->blocks;
        } else {
            /* The kernel hands a block over when it is full or after the
             * retire timeout, so an idle link still wakes us; the poll
             * timeout bounds how late a stop or a tick is seen. */
            struct pollfd p = {.fd = s->fd, .events = POLLIN | POLLERR};
            int r = poll(&p, 1, 100);
            if (r < 0 && errno != EINTR) {
                rc = mt_error_set(MT_EIO, "%s: poll: %s", a->iface, strerror(errno));
                break;
            }
            if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err || (p.revents & POLLNVAL)) {
                    rc = mt_error_set(MT_EIO, "%s: capture failed: %s", a->iface,
                                      err == ENETDOWN ? "the interface went down"
                                                      : strerror(err ? err : EBADF));
                    break;
                }
            }
        }
        if (idle && idle(idle_ctx)) break;
        double t = mono_s();
        if (t >= next_stats) {
            next_stats = t + 1.0;
            read_kernel_stats(s);
        }
    }
    read_kernel_stats(s);
    return rc;
}

#else /* not Linux */

struct mt_afp {
    int unused;
};

uint64_t mt_afp_walk_block(uint8_t *block, size_t len, int linktype, mt_afp_frame_fn fn,
                           void *ctx, mt_afp_stats *st, int *stop)
{
    (void)block; (void)len; (void)linktype; (void)fn; (void)ctx; (void)st; (void)stop;
    return 0;
}

int mt_afp_open(mt_afp **out, const mt_afp_config *c)
{
    *out = NULL;
    return mt_error_set(MT_ENOTFOUND, "%s: AF_PACKET capture is Linux only",
                        c->iface ? c->iface : "?");
}

void mt_afp_close(mt_afp *a) { (void)a; }
unsigned mt_afp_threads(const mt_afp *a) { (void)a; return 0; }
int mt_afp_linktype(const mt_afp *a) { (void)a; return -1; }
void mt_afp_stop(mt_afp *a) { (void)a; }
void mt_afp_get_stats(const mt_afp *a, unsigned i, mt_afp_stats *out)
{
    (void)a; (void)i;
    memset(out, 0, sizeof *out);
}
uint64_t mt_afp_ifdrop(const mt_afp *a) { (void)a; return 0; }
int mt_afp_run(mt_afp *a, unsigned i, mt_afp_frame_fn fn, void *fn_ctx, mt_afp_idle_fn idle,
               void *idle_ctx)
{
    (void)a; (void)i; (void)fn; (void)fn_ctx; (void)idle; (void)idle_ctx;
    return mt_error_set(MT_ENOTFOUND, "AF_PACKET capture is Linux only");
}

#endif
