/* libpcap sources. Offline reading uses pcap_next_ex in a tight loop (the
 * research measurements show libpcap already reads at ~2 GB/s, so a custom
 * reader buys little); live capture uses pcap_create/activate so snaplen,
 * promiscuous mode and buffer size can be set, then drops privileges. */
#include "capture/source.h"

#include "capture/pcapfile.h"

#include <errno.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void mt_source_opts_defaults(mt_source_opts *o)
{
    memset(o, 0, sizeof *o);
    o->snaplen = 65535;
    o->promisc = 1;
    o->progress_out = stderr;
}

static int apply_filter(pcap_t *pc, const char *bpf, const char *what)
{
    if (!bpf || !*bpf) return MT_OK;
    struct bpf_program prog;
    if (pcap_compile(pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0)
        return mt_error_set(MT_EINVAL, "%s: bad filter '%s': %s", what, bpf, pcap_geterr(pc));
    int rc = pcap_setfilter(pc, &prog);
    pcap_freecode(&prog);
    if (rc != 0)
        return mt_error_set(MT_EINVAL, "%s: cannot set filter: %s", what, pcap_geterr(pc));
    return MT_OK;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int unsupported_link(int lt, const char *path, const mt_source_opts *o)
{
    if (mt_decode_link_supported(lt)) return 0;
    const char *name = pcap_datalink_val_to_name(lt);
    if (!o->quiet)
        fprintf(stderr, "minetrace: %s: link type %d (%s) is not supported; skipping file\n",
                path, lt, name ? name : "?");
    return 1;
}

static double now_s(void);

/* Impossible packet times (a corrupt or hostile block says
 * 0x7fffffffffffffff or a negative second) would overflow the microsecond
 * arithmetic and print as garbage; they take the time of the packet before
 * them, so the packet still counts in its flow, and are counted. */
typedef struct ts_guard {
    mt_time_us last;     /* the last possible time seen */
    int have;
    uint64_t first_pkt;  /* 1-based number of the first impossible packet */
    long long first_s;   /* and its second */
} ts_guard;

/* 1: the packet's time is *ts; 0: skip the packet (no possible time yet). */
static int ts_take(ts_guard *g, int ok, long long sec, mt_time_us us, uint64_t pkt,
                   mt_source_result *res, mt_time_us *ts)
{
    if (ok) {
        *ts = us;
        g->last = us;
        g->have = 1;
        return 1;
    }
    if (!res->bad_ts_clamped && !res->bad_ts_skipped) {
        g->first_pkt = pkt;
        g->first_s = sec;
    }
    if (!g->have) {
        res->bad_ts_skipped++;
        return 0;
    }
    res->bad_ts_clamped++;
    *ts = g->last;
    return 1;
}

static int ts_from_timeval(ts_guard *g, const struct timeval *tv, uint64_t pkt,
                           mt_source_result *res, mt_time_us *ts)
{
    long long sec = (long long)tv->tv_sec, usec = (long long)tv->tv_usec;
    int ok = sec >= 0 && sec < MT_SOURCE_TS_LIMIT_S && usec >= 0 && usec < 1000000;
    return ts_take(g, ok, sec, ok ? (mt_time_us)sec * 1000000 + usec : 0, pkt, res, ts);
}

static int ts_from_us(ts_guard *g, mt_time_us us, uint64_t pkt, mt_source_result *res,
                      mt_time_us *ts)
{
    int ok = us >= 0 && us < MT_SOURCE_TS_LIMIT_S * 1000000;
    return ts_take(g, ok, (long long)(us / 1000000), us, pkt, res, ts);
}

static void ts_warn(const char *what, const ts_guard *g, const mt_source_result *res,
                    const mt_source_opts *o)
{
    uint64_t n = res->bad_ts_clamped + res->bad_ts_skipped;
    if (!n || o->quiet) return;
    fprintf(stderr, "minetrace: %s: %llu packet%s with impossible timestamps (first: packet %llu, "
                    "second %lld; possible: 1970 to 2099): %llu given the time of the packet "
                    "before, %llu skipped before any possible time\n",
            what, (unsigned long long)n, n == 1 ? "" : "s", (unsigned long long)g->first_pkt,
            g->first_s, (unsigned long long)res->bad_ts_clamped,
            (unsigned long long)res->bad_ts_skipped);
}

static inline void deliver(mt_pipeline *pl, const mt_source_opts *o, int lt, mt_time_us ts,
                           const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    if (o->packet) o->packet(o->packet_ctx, lt, ts, data, caplen, wirelen);
    else mt_pipeline_packet(pl, lt, ts, data, caplen, wirelen);
}

/* Periodic calls to the caller (flush and commit outputs) and SIGHUP
 * (reopen them). The handler only sets a flag: the call happens between
 * packets. */
static volatile sig_atomic_t g_hup;

static void on_hup(int sig)
{
    (void)sig;
    g_hup = 1;
}

typedef struct ticker {
    const mt_source_opts *o;
    double next;
    struct sigaction old_hup;
} ticker;

static void ticker_start(ticker *t, const mt_source_opts *o)
{
    t->o = o;
    t->next = o->tick_interval_s > 0 ? now_s() + o->tick_interval_s : 0;
    if (!o->tick) return;
    g_hup = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hup;
    sa.sa_flags = SA_RESTART; /* a read() of the capture must not fail with EINTR */
    sigaction(SIGHUP, &sa, &t->old_hup);
}

static void ticker_poll(ticker *t)
{
    const mt_source_opts *o = t->o;
    if (g_hup) {
        g_hup = 0;
        o->tick(o->tick_ctx, 1);
        return;
    }
    if (o->tick_interval_s <= 0) return;
    double n = now_s();
    if (n < t->next) return;
    t->next = n + o->tick_interval_s;
    o->tick(o->tick_ctx, 0);
}

static void ticker_stop(ticker *t)
{
    if (t->o->tick) sigaction(SIGHUP, &t->old_hup, NULL);
}

/* The closing progress line: the rate over the whole file and the share
 * read (100% unless the capture ended early), so a progress line never
 * stops at the last one-second tick. Only when a tick was printed. */
static void progress_close(const mt_source_opts *o, const char *path, double t0, double last,
                           unsigned long long packets, double pos, double total)
{
    if (!o->progress || last <= t0) return;
    double el = now_s() - t0;
    if (total > 0)
        fprintf(o->progress_out, "\rminetrace: %s: %.0f%%, %llu packets, %.0f MB/s   \n", path,
                100.0 * pos / total, packets, el > 0 ? pos / 1e6 / el : 0.0);
    else /* a pipe: no size to share against */
        fprintf(o->progress_out, "\rminetrace: %s: %llu packets, done   \n", path, packets);
    fflush(o->progress_out);
}

/* One walk over a mapped classic pcap file: read_mapped's, or, for scan
 * -j, each walker's (mt_source_walk_run). */
struct mt_source_walk {
    mt_pcapfile *pf;               /* the lead walks this one */
    mt_pcapfile origin;            /* the others a copy of it as it was at the start */
    const char *path;
    const mt_source_opts *o;
    const struct bpf_program *prog; /* NULL: no filter */
    mt_source_result *res;          /* the lead walker's */
};

/* Every walker sees the same packets with the same times (the guard and
 * the filter decide alike); only the lead counts, ticks, shows progress and
 * warns. `packet` NULL: straight into `pl`. */
static void walk_file(const mt_source_walk *sw, mt_source_packet_fn packet, void *packet_ctx,
                      mt_pipeline *pl, int lead)
{
    const mt_source_opts *o = sw->o;
    mt_pcapfile cur = sw->origin; /* another walker's own position in the shared map */
    mt_pcapfile *pf = lead ? sw->pf : &cur;
    mt_source_result scratch, *res = lead ? sw->res : &scratch;
    memset(&scratch, 0, sizeof scratch);
    const char *path = sw->path;
    double t0 = now_s(), last = t0;
    mt_pcaprec r;
    int st;
    ts_guard g = {0};
    ticker tk;
    if (lead) ticker_start(&tk, o);
    uint64_t seen = 0;
    /* Read once: the loop calls out per packet, so the compiler would
     * reload them (and the volatile flag) every time. A SIGHUP is seen at
     * the next 1024th record, well under a millisecond on a mapped file. */
    const int ticking = lead && o->tick != NULL, progress = lead && o->progress;
    const struct bpf_program *const prog = sw->prog;
    const int linktype = pf->linktype;
    while ((st = mt_pcapfile_next(pf, &r)) == 1) {
        seen++;
        if (ticking && (seen & 1023) == 0) ticker_poll(&tk);
        mt_time_us ts;
        if (!ts_from_us(&g, r.ts, seen, res, &ts)) continue;
        if (prog) {
            struct pcap_pkthdr h;
            h.ts.tv_sec = (time_t)(ts / 1000000);
            h.ts.tv_usec = (suseconds_t)(ts % 1000000);
            h.caplen = r.caplen;
            h.len = r.wirelen;
            if (!pcap_offline_filter(prog, &h, r.data)) continue;
        }
        if (packet) packet(packet_ctx, linktype, ts, r.data, r.caplen, r.wirelen);
        else mt_pipeline_packet(pl, linktype, ts, r.data, r.caplen, r.wirelen);
        res->packets++;
        if (progress && (res->packets & 0xffff) == 0) {
            double t = now_s();
            if (t - last >= 1.0) {
                last = t;
                fprintf(o->progress_out, "\rminetrace: %s: %.0f%%, %llu packets, %.0f MB/s   ",
                        path, 100.0 * (double)mt_pcapfile_offset(pf) / (double)pf->size,
                        (unsigned long long)res->packets,
                        (double)mt_pcapfile_offset(pf) / 1e6 / (t - t0));
                fflush(o->progress_out);
            }
        }
    }
    if (!lead) return;
    progress_close(o, path, t0, last, (unsigned long long)res->packets,
                   (double)mt_pcapfile_offset(pf), (double)pf->size);
    ticker_stop(&tk);
    ts_warn(path, &g, res, o);
    if (st < 0) {
        res->truncated = 1;
        mt_strlcpy(res->error, st == MT_ETRUNC ? "file ends inside a packet record"
                               : st == MT_EIO  ? mt_error_msg() /* pcapfile recorded why */
                                               : "corrupt packet record header",
                   sizeof res->error);
        if (!o->quiet)
            fprintf(stderr, "minetrace: %s: input ends early after %llu packets (%s); "
                            "findings up to that point are kept\n",
                    path, (unsigned long long)res->packets, res->error);
    }
}

void mt_source_walk_run(mt_source_walk *sw,
                        void (*packet)(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                                       uint32_t caplen, uint32_t wirelen),
                        void *ctx, int lead)
{
    walk_file(sw, packet, ctx, NULL, lead);
}

/* Classic pcap, mapped or read in chunks; BPF filters still apply
 * (pcap_offline_filter). */
static int read_mapped(mt_pipeline *pl, mt_pcapfile *pf, const char *path,
                       const mt_source_opts *o, mt_source_result *res)
{
    struct bpf_program prog;
    int filtered = 0;
    if (o->bpf && *o->bpf) {
        pcap_t *dead = pcap_open_dead(pf->linktype, 262144);
        if (!dead) return mt_error_set(MT_ENOMEM, "%s: cannot set up the filter", path);
        if (pcap_compile(dead, &prog, o->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            int rc = mt_error_set(MT_EINVAL, "%s: bad filter '%s': %s", path, o->bpf, pcap_geterr(dead));
            pcap_close(dead);
            return rc;
        }
        pcap_close(dead);
        filtered = 1;
    }
    if (unsupported_link(pf->linktype, path, o)) {
        if (filtered) pcap_freecode(&prog);
        return MT_OK;
    }
    mt_source_walk sw = {pf, *pf, path, o, filtered ? &prog : NULL, res};
    if (o->walk && pf->mapped) o->walk(o->packet_ctx, &sw);
    else walk_file(&sw, o->packet, o->packet_ctx, pl, 1);
    if (filtered) pcap_freecode(&prog);
    return MT_OK;
}

int mt_source_read_file(mt_pipeline *pl, const char *path, const mt_source_opts *o,
                        mt_source_result *res)
{
    mt_pcapfile pf;
    memset(res, 0, sizeof *res);
    if (strcmp(path, "-") != 0) {
        int rc = mt_pcapfile_open(&pf, path);
        if (rc == MT_OK) {
            if (o->walk && mt_pcapfile_map(&pf) == MT_OK) {
                rc = read_mapped(pl, &pf, path, o, res);
            } else if (o->packet_mapped && mt_pcapfile_map(&pf) == MT_OK) {
                mt_source_opts mo = *o;
                mo.packet = o->packet_mapped;
                rc = read_mapped(pl, &pf, path, &mo, res);
                if (o->release) o->release(o->packet_ctx);
            } else {
                rc = read_mapped(pl, &pf, path, o, res);
            }
            mt_pcapfile_close(&pf);
            return rc;
        }
        if (rc != MT_ENOTFOUND) return rc;
    }
    char err[PCAP_ERRBUF_SIZE] = "";
    /* Our own FILE with a 1 MiB buffer: 256x fewer read() calls than
     * stdio's default (Zeek made the same change for the same reason). */
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) return mt_error_set(MT_EIO, "%s: cannot open: %s", path, strerror(errno));
    setvbuf(in, NULL, _IOFBF, 1 << 20);
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_MICRO, err);
    if (!pc) {
        if (in != stdin) fclose(in);
        return mt_error_set(MT_EIO, "%s: cannot read capture: %s", path, err);
    }
    int rc = apply_filter(pc, o->bpf, path);
    if (rc != MT_OK) { pcap_close(pc); return rc; }
    int lt = pcap_datalink(pc);
    if (unsupported_link(lt, path, o)) {
        pcap_close(pc);
        return MT_OK;
    }
    struct stat st;
    off_t total = stat(path, &st) == 0 ? st.st_size : 0;
    /* A pipe (tcpdump -w - | minetrace scan -) may bring a packet a second:
     * look at the clock after every one. A file, every 1024. */
    struct stat ist;
    uint64_t tick_mask = fstat(fileno(in), &ist) == 0 && S_ISREG(ist.st_mode) ? 1023 : 0;
    FILE *fp = pcap_file(pc);
    double t0 = now_s(), last = t0;
    struct pcap_pkthdr *h;
    const u_char *data;
    int r;
    ts_guard g = {0};
    ticker tk;
    ticker_start(&tk, o);
    uint64_t seen = 0;
    while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
        seen++;
        if (o->tick && ((seen & tick_mask) == 0 || g_hup)) ticker_poll(&tk);
        mt_time_us ts;
        if (!ts_from_timeval(&g, &h->ts, seen, res, &ts)) continue;
        deliver(pl, o, lt, ts, data, h->caplen, h->len);
        res->packets++;
        if (o->progress && (res->packets & 0xffff) == 0) {
            double t = now_s();
            if (t - last >= 1.0) {
                last = t;
                long pos = fp ? ftell(fp) : -1;
                if (pos > 0 && total > 0)
                    fprintf(o->progress_out, "\rminetrace: %s: %.0f%%, %llu packets, %.0f MB/s   ",
                            path, 100.0 * (double)pos / (double)total,
                            (unsigned long long)res->packets, (double)pos / 1e6 / (t - t0));
                else
                    fprintf(o->progress_out, "\rminetrace: %s: %llu packets   ", path,
                            (unsigned long long)res->packets);
                fflush(o->progress_out);
            }
        }
    }
    long endpos = fp ? ftell(fp) : -1;
    progress_close(o, path, t0, last, (unsigned long long)res->packets,
                   r == PCAP_ERROR && endpos > 0 ? (double)endpos : (double)total, (double)total);
    ticker_stop(&tk);
    ts_warn(path, &g, res, o);
    if (r == PCAP_ERROR) {
        mt_strlcpy(res->error, pcap_geterr(pc), sizeof res->error);
        res->truncated = 1;
        if (!o->quiet)
            fprintf(stderr, "minetrace: %s: input ends early after %llu packets (%s); "
                            "findings up to that point are kept\n",
                    path, (unsigned long long)res->packets, res->error);
    }
    pcap_close(pc);
    return MT_OK;
}

static volatile sig_atomic_t g_stop;
static pcap_t *g_live;
static mt_afp *g_afp;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
    if (g_live) pcap_breakloop(g_live);
    if (g_afp) mt_afp_stop(g_afp);
}

static int drop_privileges(const char *user)
{
    struct passwd *pw = getpwnam(user);
    if (!pw) return mt_error_set(MT_EINVAL, "-Z: no such user '%s'", user);
    if (setgroups(0, NULL) != 0 && errno != EPERM)
        return mt_error_set(MT_ERR, "-Z: setgroups failed: %s", strerror(errno));
    if (setgid(pw->pw_gid) != 0)
        return mt_error_set(MT_ERR, "-Z: setgid(%u) failed: %s", (unsigned)pw->pw_gid, strerror(errno));
    if (setuid(pw->pw_uid) != 0)
        return mt_error_set(MT_ERR, "-Z: setuid(%u) failed: %s", (unsigned)pw->pw_uid, strerror(errno));
    if (setuid(0) == 0) return mt_error_set(MT_ERR, "-Z: privileges could be regained; refusing to run");
    return MT_OK;
}

static int live_pcap(mt_pipeline *pl, const char *iface, const mt_source_opts *o,
                     uint64_t max_packets, mt_source_result *res)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    res->capture = "pcap";
    pcap_t *pc = pcap_create(iface, err);
    if (!pc) return mt_error_set(MT_EIO, "%s: %s", iface, err);
    pcap_set_snaplen(pc, o->snaplen > 0 ? o->snaplen : 65535);
    pcap_set_promisc(pc, o->promisc);
    pcap_set_timeout(pc, 200);
    pcap_set_buffer_size(pc, 64 << 20);
    int rc = pcap_activate(pc);
    if (rc < 0) {
        int code = mt_error_set(MT_EIO, "%s: cannot capture: %s%s", iface, pcap_geterr(pc),
                                rc == PCAP_ERROR_PERM_DENIED ? " (run as root or grant CAP_NET_RAW)" : "");
        pcap_close(pc);
        return code;
    }
    if ((rc = apply_filter(pc, o->bpf, iface)) != MT_OK) { pcap_close(pc); return rc; }
    if (o->drop_user && (rc = drop_privileges(o->drop_user)) != MT_OK) { pcap_close(pc); return rc; }
    int lt = pcap_datalink(pc);
    if (!mt_decode_link_supported(lt)) {
        pcap_close(pc);
        return mt_error_set(MT_EINVAL, "%s: link type %d is not supported", iface, lt);
    }
    /* Non-blocking, waiting in poll() ourselves: a blocking read on Linux
     * (TPACKET_V3) sleeps until a packet comes, however long, and the
     * outputs must still be flushed every tick while the link is idle. */
    int fd = pcap_get_selectable_fd(pc);
    if (fd >= 0 && pcap_setnonblock(pc, 1, err) != 0) fd = -1;
    g_stop = 0;
    g_live = pc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct pcap_pkthdr *h;
    const u_char *data;
    ts_guard g = {0};
    ticker tk;
    ticker_start(&tk, o);
    uint64_t seen = 0;
    while (!g_stop) {
        int r = pcap_next_ex(pc, &h, &data);
        if (r == 1) seen++;
        if (o->tick && (r != 1 || (seen & 63) == 0 || g_hup)) ticker_poll(&tk);
        if (r == 1) {
            mt_time_us ts;
            if (!ts_from_timeval(&g, &h->ts, seen, res, &ts))
                continue;
            deliver(pl, o, lt, ts, data, h->caplen, h->len);
            res->packets++;
            if (max_packets && res->packets >= max_packets) break;
        } else if (r == 0) {
            /* Nothing ready: wait up to 200 ms (the ring's block timeout), or
             * until a signal interrupts, then look at the flags again. */
            if (fd >= 0) {
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                poll(&pfd, 1, 200);
            }
            continue;
        } else if (r == PCAP_ERROR_BREAK) {
            break;
        } else {
            mt_strlcpy(res->error, pcap_geterr(pc), sizeof res->error);
            break;
        }
    }
    struct pcap_stat ps;
    if (pcap_stats(pc, &ps) == 0) {
        res->recv = ps.ps_recv;
        res->drop = ps.ps_drop;
        res->ifdrop = ps.ps_ifdrop;
    }
    ticker_stop(&tk);
    ts_warn(iface, &g, res, o);
    g_live = NULL;
    pcap_close(pc);
    return res->error[0] ? mt_error_set(MT_EIO, "%s: %s", iface, res->error) : MT_OK;
}

void mt_source_ring_blocks(unsigned ring_mb, unsigned *block_kb, unsigned *blocks)
{
    uint64_t kb = ring_mb ? (uint64_t)ring_mb << 10
                          : (uint64_t)MT_AFP_BLOCK_KB_DEFAULT * MT_AFP_BLOCKS_DEFAULT;
    *block_kb = MT_AFP_BLOCK_KB_DEFAULT;
    uint64_t n = kb / *block_kb;
    *blocks = n < 2 ? 2 : n > 65536 ? 65536 : (unsigned)n;
}

/* One AF_PACKET socket feeding the pipeline on this thread. */
typedef struct afp_live {
    mt_pipeline *pl;
    mt_source_result *res;
    ts_guard g;
    ticker tk;
    const mt_source_opts *o;
    uint64_t seen, max_packets;
} afp_live;

static int afp_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *data, uint32_t caplen,
                     uint32_t wirelen)
{
    afp_live *l = ctx;
    l->seen++;
    mt_time_us t;
    if (!ts_from_us(&l->g, ts, l->seen, l->res, &t)) return 0;
    deliver(l->pl, l->o, lt, t, data, caplen, wirelen);
    l->res->packets++;
    return l->max_packets && l->res->packets >= l->max_packets;
}

static int afp_idle(void *ctx)
{
    afp_live *l = ctx;
    if (l->o->tick) ticker_poll(&l->tk);
    return g_stop;
}

static int live_afp(mt_pipeline *pl, mt_afp *a, const char *iface, const mt_source_opts *o,
                    uint64_t max_packets, mt_source_result *res)
{
    res->capture = "afpacket";
    afp_live l = {.pl = pl, .res = res, .o = o, .max_packets = max_packets};
    ticker_start(&l.tk, o);
    int rc = mt_afp_run(a, 0, afp_frame, &l, afp_idle, &l);
    ticker_stop(&l.tk);
    ts_warn(iface, &l.g, res, o);
    res->threads = mt_afp_threads(a);
    for (unsigned i = 0; i < res->threads; i++) {
        mt_afp_get_stats(a, i, &res->thread[i]);
        res->recv += res->thread[i].packets;
        res->drop += res->thread[i].drops;
    }
    res->ifdrop = mt_afp_ifdrop(a);
    return rc;
}

int mt_source_live(mt_pipeline *pl, const char *iface, const mt_source_opts *o,
                   uint64_t max_packets, mt_source_result *res)
{
    memset(res, 0, sizeof *res);
    if (o->capture == MT_CAPTURE_PCAP) return live_pcap(pl, iface, o, max_packets, res);
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    c.iface = iface;
    c.bpf = o->bpf;
    c.snaplen = o->snaplen;
    c.promisc = o->promisc;
    mt_source_ring_blocks(o->ring_mb, &c.block_kb, &c.blocks);
    mt_afp *a;
    int rc = mt_afp_open(&a, &c);
    if (rc == MT_ENOTFOUND && o->capture == MT_CAPTURE_AUTO) {
        if (!o->quiet)
            fprintf(stderr, "minetrace: %s; capturing with libpcap\n", mt_error_msg());
        return live_pcap(pl, iface, o, max_packets, res);
    }
    if (rc != MT_OK) return rc;
    if (o->drop_user && (rc = drop_privileges(o->drop_user)) != MT_OK) {
        mt_afp_close(a);
        return rc;
    }
    g_stop = 0;
    g_afp = a;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rc = live_afp(pl, a, iface, o, max_packets, res);
    g_afp = NULL;
    mt_afp_close(a);
    return rc;
}

/* Capture thread i of mt_source_live_threads: its own time guard and
 * counters (an mt_source_result of its own), summed when all are back. */
typedef struct afp_thread {
    mt_afp *a;
    unsigned i;
    mt_source_packet_fn fn;
    void *ctx;
    ts_guard g;
    mt_source_result res;
    uint64_t seen, max_packets;
    uint64_t *total;   /* packets of every thread, for -c */
    int *running;      /* threads not yet returned */
    int rc;
    char err[256];     /* the error slot is per thread */
} afp_thread;

static int afpt_frame(void *ctx, int lt, mt_time_us ts, const uint8_t *data, uint32_t caplen,
                      uint32_t wirelen)
{
    afp_thread *t = ctx;
    t->seen++;
    mt_time_us tt;
    if (!ts_from_us(&t->g, ts, t->seen, &t->res, &tt)) return 0;
    t->fn(t->ctx, lt, tt, data, caplen, wirelen);
    t->res.packets++;
    if (t->max_packets && __atomic_add_fetch(t->total, 1, __ATOMIC_RELAXED) >= t->max_packets) {
        mt_afp_stop(t->a);
        return 1;
    }
    return 0;
}

static void *afpt_main(void *arg)
{
    afp_thread *t = arg;
    t->rc = mt_afp_run(t->a, t->i, afpt_frame, t, NULL, NULL);
    if (t->rc != MT_OK) {
        mt_strlcpy(t->err, mt_error_msg(), sizeof t->err);
        mt_afp_stop(t->a); /* one socket failed: the capture is no longer whole */
    }
    __atomic_sub_fetch(t->running, 1, __ATOMIC_RELEASE);
    return NULL;
}

int mt_source_live_threads(const char *iface, const mt_source_opts *o, unsigned n,
                           mt_source_packet_fn fn, void *const *ctx, uint64_t max_packets,
                           mt_source_result *res)
{
    memset(res, 0, sizeof *res);
    if (n < 1 || n > MT_AFP_MAX_THREADS)
        return mt_error_set(MT_EINVAL, "%s: %u capture threads (1..%d)", iface, n,
                            MT_AFP_MAX_THREADS);
    if (o->capture == MT_CAPTURE_PCAP)
        return mt_error_set(MT_EINVAL, "%s: %u capture threads need AF_PACKET, not libpcap",
                            iface, n);
    mt_afp_config c;
    mt_afp_config_defaults(&c);
    c.iface = iface;
    c.threads = n;
    c.bpf = o->bpf;
    c.snaplen = o->snaplen;
    c.promisc = o->promisc;
    mt_source_ring_blocks(o->ring_mb, &c.block_kb, &c.blocks);
    mt_afp *a;
    int rc = mt_afp_open(&a, &c);
    if (rc != MT_OK) return rc;
    if (o->drop_user && (rc = drop_privileges(o->drop_user)) != MT_OK) {
        mt_afp_close(a);
        return rc;
    }
    res->capture = "afpacket";
    afp_thread *t = mt_xcalloc(n, sizeof *t);
    pthread_t *th = mt_xcalloc(n, sizeof *th);
    uint64_t total = 0;
    int running = (int)n;
    g_stop = 0;
    g_afp = a;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    unsigned started = 0;
    for (; started < n; started++) {
        afp_thread *ti = &t[started];
        ti->a = a;
        ti->i = started;
        ti->fn = fn;
        ti->ctx = ctx[started];
        ti->max_packets = max_packets;
        ti->total = &total;
        ti->running = &running;
        int e = pthread_create(&th[started], NULL, afpt_main, ti);
        if (e != 0) {
            rc = mt_error_set(MT_ERR, "%s: cannot start capture thread %u: %s", iface, started,
                              strerror(e));
            __atomic_sub_fetch(&running, (int)(n - started), __ATOMIC_RELAXED);
            mt_afp_stop(a);
            break;
        }
    }
    /* This thread keeps the clock: ticks and SIGHUP for the caller, while
     * the capture threads read. */
    ticker tk;
    ticker_start(&tk, o);
    while (!g_stop && __atomic_load_n(&running, __ATOMIC_ACQUIRE) > 0) {
        if (o->tick) ticker_poll(&tk);
        struct timespec nap = {.tv_sec = 0, .tv_nsec = 50 * 1000000L};
        nanosleep(&nap, NULL);
    }
    mt_afp_stop(a);
    for (unsigned i = 0; i < started; i++) pthread_join(th[i], NULL);
    ticker_stop(&tk);
    g_afp = NULL;
    res->threads = n;
    for (unsigned i = 0; i < n; i++) {
        if (i < started) {
            char what[96];
            snprintf(what, sizeof what, "%s (capture thread %u)", iface, i);
            ts_warn(what, &t[i].g, &t[i].res, o);
        }
        res->packets += t[i].res.packets;
        res->bad_ts_clamped += t[i].res.bad_ts_clamped;
        res->bad_ts_skipped += t[i].res.bad_ts_skipped;
        mt_afp_get_stats(a, i, &res->thread[i]);
        res->recv += res->thread[i].packets;
        res->drop += res->thread[i].drops;
        if (rc == MT_OK && t[i].rc != MT_OK) {
            mt_strlcpy(res->error, t[i].err, sizeof res->error);
            rc = mt_error_set(t[i].rc, "%s", t[i].err);
        }
    }
    res->ifdrop = mt_afp_ifdrop(a);
    free(th);
    free(t);
    mt_afp_close(a);
    return rc;
}

void mt_source_print_live(const char *iface, const mt_source_result *res, int per_thread,
                          FILE *out)
{
    fprintf(out, "minetrace: %s: %llu packets captured, %llu received by filter, "
                 "%llu dropped by kernel, %llu dropped by interface\n",
            iface, (unsigned long long)res->packets, (unsigned long long)res->recv,
            (unsigned long long)res->drop, (unsigned long long)res->ifdrop);
    if (!per_thread || !res->threads) return;
    fprintf(out, "capture %s, %u thread%s\n", res->capture ? res->capture : "?", res->threads,
            res->threads == 1 ? "" : "s");
    for (unsigned i = 0; i < res->threads; i++) {
        const mt_afp_stats *t = &res->thread[i];
        fprintf(out, "capture thread %u: %llu received by filter, %llu dropped by kernel, "
                     "%llu queue freezes, %llu frames read (%llu bytes, %llu blocks), "
                     "%llu refused\n",
                i, (unsigned long long)t->packets, (unsigned long long)t->drops,
                (unsigned long long)t->freezes, (unsigned long long)t->frames,
                (unsigned long long)t->bytes, (unsigned long long)t->blocks,
                (unsigned long long)t->bad_frames);
    }
}
