/* minetrace scan: pcap/pcapng files or a live interface -> findings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/pipeline.h"
#include "capture/source.h"
#include "commands.h"
#include "detect/hosts.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"
#include "report/hosts_render.h"
#include "workers.h"
#include "store/finding_json.h"
#include "minetrace/store.h"

enum { O_HOSTS = MT_OPT_OWN, O_MIN_SCORE, O_MAX_FLOWS, O_INSPECT, O_TCP_TIMEOUT, O_NO_PROMISC,
       O_FLUSH_INTERVAL, O_MAX_HOSTS, O_CAPTURE, O_RING_MB };

static const mt_cli_opt scan_opts[] = {
    {0, NULL, 0, NULL, "Input"},
    {'i', "interface", 'i', "IFACE", "Capture live from IFACE until SIGINT/SIGTERM."},
    {'f', "filter", 'f', "EXPR", "BPF filter expression (files and live)."},
    {'s', "snaplen", 's', "N", "Live snap length (default 65535)."},
    {O_NO_PROMISC, "no-promisc", 0, NULL, "Do not put the interface in promiscuous mode."},
    {'Z', "user", 'Z', "USER", "Drop privileges to USER once the interface is open."},
    {'c', "count", 'c', "N", "Stop a live capture after N packets."},
    {O_CAPTURE, "capture", 0, "HOW",
     "Live capture with afpacket (Linux AF_PACKET rings; the default\n"
     "there) or pcap (libpcap). Without this option, where AF_PACKET\n"
     "cannot be had, libpcap is used and a warning says why."},
    {O_RING_MB, "ring-mb", 0, "N",
     "AF_PACKET receive ring per capture thread in MiB (2..4096,\n"
     "default 32). Frames that find it full are dropped by the\n"
     "kernel and counted (--stats)."},
    {'j', "jobs", 'j', "N",
     "Spread the work over N threads (1..64, default 1; 0 = the\n"
     "online CPUs): one reads, every one inspects its share of the\n"
     "flows; the findings are those of -j 1. Live (-i), N AF_PACKET\n"
     "sockets in one fanout group, thread i feeding worker i."},
    {0, NULL, 0, NULL, "Output"},
    {MT_OPT_OUTPUT, NULL, 0, NULL,
     "Write findings as EVE-style JSON lines to FILE (- is standard\n"
     "output; default: standard output, unless --hosts is given)."},
    {MT_OPT_DB, NULL, 0, NULL,
     "Also store findings in the SQLite database FILE (created if\nmissing; see docs/STORE.md)."},
    {MT_OPT_SENSOR, NULL, 0, NULL, NULL},
    {O_FLUSH_INTERVAL, "flush-interval", 0, "S",
     "Write out and commit findings every S seconds while reading\n"
     "(files and live; default 1, 0 = only at the end). SIGHUP\n"
     "flushes and reopens the -o file (log rotation)."},
    {O_HOSTS, "hosts", 0, NULL,
     "After the scan, list each host judged to be mining: first and\n"
     "last seen, score, findings, pools, ports, wallets, families."},
    {MT_OPT_JSON, NULL, 0, NULL, "With --hosts: one JSON object per host."},
    {O_MIN_SCORE, "min-score", 0, "N", "With --hosts: only hosts scoring at least N (default 50)."},
    {MT_OPT_MIN_CONFIDENCE, NULL, 0, NULL, NULL},
    {MT_OPT_STATS, NULL, 0, NULL, "Print packet, flow and message counters to stderr."},
    {MT_OPT_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_NO_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_STRICT, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, "Intel"},
    {MT_OPT_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_NO_BUILTIN_INTEL, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, "Limits"},
    {O_MAX_FLOWS, "max-flows", 0, "N",
     "Flow table cap (16..67108864, default 262144); the least\n"
     "recently active flow is evicted when full (counted)."},
    {O_MAX_HOSTS, "max-hosts", 0, "N",
     "Host verdicts kept for --hosts (1..16777216, default 65536);\n"
     "the least recently active host is evicted when full (counted)."},
    {O_INSPECT, "inspect-bytes", 0, "N", "Payload bytes inspected per direction (default 16384)."},
    {O_TCP_TIMEOUT, "tcp-timeout", 0, "S", "Idle timeout of TCP flows in seconds (default 600)."},
    {0, NULL, 0, NULL, "Help"},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

typedef struct scan_args {
    mt_source_opts so;
    mt_pipeline_config pc;
    const char *iface;
    int hosts;
    unsigned long min_score, count, flush_interval, max_hosts, jobs;
} scan_args;

static int scan_opt(void *ctx, int id, const char *arg)
{
    scan_args *a = ctx;
    const mt_cli_cmd *cmd = &mt_cli_scan;
    unsigned long v;
    switch (id) {
    case 'i': a->iface = arg; return 0;
    case 'f': a->so.bpf = arg; return 0;
    case 's':
        if (mt_cli_uint(cmd, "--snaplen", arg, 262144, &v)) return MT_EXIT_ERROR;
        a->so.snaplen = (int)v;
        return 0;
    case 'Z': a->so.drop_user = arg; return 0;
    case 'c': return mt_cli_uint(cmd, "--count", arg, ~0UL, &a->count);
    case 'j':
        if (mt_cli_uint(cmd, "--jobs", arg, MT_WORKERS_MAX, &a->jobs)) return MT_EXIT_ERROR;
        if (a->jobs == 0) {
            long c = sysconf(_SC_NPROCESSORS_ONLN);
            a->jobs = c < 1 ? 1 : c > MT_WORKERS_MAX ? MT_WORKERS_MAX : (unsigned long)c;
        }
        return 0;
    case O_NO_PROMISC: a->so.promisc = 0; return 0;
    case O_CAPTURE:
        if (strcmp(arg, "afpacket") == 0) a->so.capture = MT_CAPTURE_AFPACKET;
        else if (strcmp(arg, "pcap") == 0) a->so.capture = MT_CAPTURE_PCAP;
        else return mt_cli_usage(cmd, "--capture must be afpacket or pcap, not '%s'", arg);
        return 0;
    case O_RING_MB:
        if (mt_cli_uint(cmd, "--ring-mb", arg, 4096, &v)) return MT_EXIT_ERROR;
        if (v < 2) return mt_cli_usage(cmd, "--ring-mb must be 2..4096");
        a->so.ring_mb = (unsigned)v;
        return 0;
    case O_HOSTS: a->hosts = 1; return 0;
    case O_MIN_SCORE: return mt_cli_uint(cmd, "--min-score", arg, 100, &a->min_score);
    case O_MAX_FLOWS:
        if (mt_cli_uint(cmd, "--max-flows", arg, 1UL << 26, &v)) return MT_EXIT_ERROR;
        if (v < 16) return mt_cli_usage(cmd, "--max-flows must be 16..%lu", 1UL << 26);
        a->pc.max_flows = (uint32_t)v;
        return 0;
    case O_FLUSH_INTERVAL: return mt_cli_uint(cmd, "--flush-interval", arg, 3600, &a->flush_interval);
    case O_MAX_HOSTS:
        if (mt_cli_uint(cmd, "--max-hosts", arg, 1UL << 24, &a->max_hosts)) return MT_EXIT_ERROR;
        if (a->max_hosts < 1) return mt_cli_usage(cmd, "--max-hosts must be 1..%lu", 1UL << 24);
        return 0;
    case O_INSPECT:
        if (mt_cli_uint(cmd, "--inspect-bytes", arg, 1UL << 24, &v)) return MT_EXIT_ERROR;
        a->pc.inspect_bytes = (uint32_t)v;
        return 0;
    case O_TCP_TIMEOUT:
        if (mt_cli_uint(cmd, "--tcp-timeout", arg, 86400 * 7, &v)) return MT_EXIT_ERROR;
        a->pc.tcp_idle_s = (uint32_t)v;
        return 0;
    }
    return MT_EXIT_ERROR;
}

/* The outputs while the scan runs: the source calls scan_tick every
 * --flush-interval seconds, so a killed run loses at most that much, and
 * on SIGHUP, when the -o file is reopened under its name (the old one may
 * have been moved away by log rotation; the store stays open). */
typedef struct scan_out {
    mt_sink *jsonl, *store; /* borrowed: the engine owns them */
    mt_workers *workers;    /* -j N: pending findings are passed on first */
    FILE *file;             /* the -o file, NULL for standard output */
    const char *path;
    int quiet;
} scan_out;

static void scan_reopen(scan_out *o)
{
    int fd = open(o->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
        fprintf(stderr, "minetrace scan: SIGHUP: cannot reopen %s: %s; still writing to the "
                        "file open before\n", o->path, strerror(errno));
        return;
    }
    /* The sink keeps its FILE; only the descriptor under it changes. */
    if (dup2(fd, fileno(o->file)) < 0)
        fprintf(stderr, "minetrace scan: SIGHUP: cannot reopen %s: %s\n", o->path, strerror(errno));
    else if (!o->quiet)
        fprintf(stderr, "minetrace scan: SIGHUP: reopened %s\n", o->path);
    close(fd);
}

static void scan_tick(void *ctx, int hup)
{
    scan_out *o = ctx;
    if (o->workers) mt_workers_drain(o->workers);
    if (o->jsonl && o->jsonl->flush(o->jsonl) != MT_OK && !o->quiet)
        fprintf(stderr, "minetrace scan: cannot write %s: %s\n", o->path ? o->path : "standard output",
                strerror(errno));
    if (o->store) o->store->flush(o->store);
    if (hup && o->file) scan_reopen(o);
}

/* -i -j N on AF_PACKET: capture thread i feeds worker i (its own socket of
 * the fanout group), no reader in between. */
typedef struct scan_feed {
    mt_workers *w;
    unsigned i;
} scan_feed;

static void scan_feed_packet(void *ctx, int linktype, mt_time_us ts, const uint8_t *data,
                             uint32_t caplen, uint32_t wirelen)
{
    scan_feed *f = ctx;
    mt_workers_direct_packet(f->w, f->i, linktype, ts, data, caplen, wirelen);
}

/* Returns the source's status; MT_ENOTFOUND: AF_PACKET cannot be had, the
 * worker set is gone and the caller goes on with libpcap (said unless -q). */
static int scan_live_fanout(scan_args *a, scan_out *out, mt_engine *eng,
                            const mt_engine_config *ec, mt_source_result *res)
{
    unsigned n = (unsigned)a->jobs;
    out->workers = mt_workers_new_direct(n, eng, ec, &a->pc);
    if (!out->workers) return MT_ERR;
    scan_feed feed[MT_WORKERS_MAX];
    void *ctx[MT_WORKERS_MAX];
    for (unsigned i = 0; i < n; i++) {
        feed[i].w = out->workers;
        feed[i].i = i;
        ctx[i] = &feed[i];
    }
    int rc = mt_source_live_threads(a->iface, &a->so, n, scan_feed_packet, ctx, a->count, res);
    if (rc == MT_ENOTFOUND && a->so.capture == MT_CAPTURE_AUTO) {
        mt_workers_free(out->workers);
        out->workers = NULL;
        if (!a->so.quiet)
            fprintf(stderr, "minetrace: %s; capturing with libpcap, one thread reading\n",
                    mt_error_msg());
    }
    return rc;
}

static int scan(const mt_cli_common *co, scan_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_scan;
    mt_engine_config ec;
    mt_engine_config_defaults(&ec);
    if (co->min_confidence >= 0) ec.min_confidence = co->min_confidence;
    a->so.progress = mt_cli_progress(co);
    a->so.quiet = co->quiet;

    mt_intel *intel = mt_cli_intel(co);
    if (!intel) return MT_EXIT_ERROR;

    ec.source = a->iface ? "live" : "pcap";
    mt_engine *eng = mt_engine_new(intel, &ec);
    if (!eng) {
        mt_cli_error(cmd, "%s", mt_error_msg());
        mt_intel_free(intel);
        return MT_EXIT_ERROR;
    }
    mt_cli_trace(eng);
    mt_hosts_set_max(mt_engine_hosts(eng), a->max_hosts);
    scan_out out = {.quiet = co->quiet};
    a->so.tick = scan_tick;
    a->so.tick_ctx = &out;
    a->so.tick_interval_s = (double)a->flush_interval;
    const char *output = co->output;
    if (output && strcmp(output, "-") != 0) {
        FILE *f = fopen(output, "w");
        if (!f) {
            mt_cli_error(cmd, "cannot write %s: %s", output, strerror(errno));
            mt_engine_free(eng);
            mt_intel_free(intel);
            return MT_EXIT_ERROR;
        }
        out.jsonl = mt_sink_jsonl_new(f, 1);
        out.file = f;
        out.path = output;
        mt_engine_add_sink(eng, out.jsonl);
    } else if (output || !a->hosts) {
        out.jsonl = mt_sink_jsonl_new(stdout, 0);
        mt_engine_add_sink(eng, out.jsonl);
    }
    if (co->db) {
        mt_store *st = mt_store_open(co->db, &(mt_store_opts){.flags = MT_STORE_CREATE, .sensor = co->sensor});
        if (!st) {
            char shown[512];
            mt_cli_error(cmd, "--db %s: %s", mt_store_display_name(co->db, shown, sizeof shown), mt_error_msg());
            mt_engine_free(eng);
            mt_intel_free(intel);
            return MT_EXIT_ERROR;
        }
        out.store = mt_store_sink_new(st, 1);
        mt_engine_add_sink(eng, out.store);
    }

    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(eng), mt_engine_intel(eng), &a->pc);
    mt_source_result res;
    int live_rc = MT_ENOTFOUND; /* -i -j N on AF_PACKET: its status once run */
    if (a->iface && a->jobs > 1 && a->so.capture != MT_CAPTURE_PCAP) {
        live_rc = scan_live_fanout(a, &out, eng, &ec, &res);
        if (live_rc == MT_ERR && !out.workers) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            mt_pipeline_free(pl);
            mt_engine_free(eng);
            mt_intel_free(intel);
            return MT_EXIT_ERROR;
        }
        if (live_rc == MT_ENOTFOUND && !out.workers) a->so.capture = MT_CAPTURE_PCAP;
    }
    if (a->jobs > 1 && !out.workers) {
        /* The worker set feeds the caller's engine's back half; `pl` only
         * collects the workers' counters for --stats. */
        out.workers = mt_workers_new((unsigned)a->jobs, eng, &ec, &a->pc);
        if (!out.workers) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            mt_pipeline_free(pl);
            mt_engine_free(eng);
            mt_intel_free(intel);
            return MT_EXIT_ERROR;
        }
        /* MT_TRACE_EVENTS: each worker's events (lines of workers interleave) */
        for (unsigned i = 0; i < mt_workers_count(out.workers); i++)
            mt_cli_trace(mt_workers_engine(out.workers, i));
        a->so.packet = mt_workers_packet;
        a->so.packet_mapped = mt_workers_packet_mapped;
        a->so.release = mt_workers_release;
        if (!getenv("MT_JOBS_NOWALK")) a->so.walk = mt_workers_walk;
        a->so.packet_ctx = out.workers;
    }
    unsigned errors = 0, damaged = 0, inputs = 0;
    uint64_t ts_clamped = 0, ts_skipped = 0;
    if (a->iface) {
        inputs = 1;
        if (out.workers && !a->so.packet) {
            if (live_rc != MT_OK) { /* the fanout capture ran, or failed */
                mt_cli_error(cmd, "%s", mt_error_msg());
                errors++;
            }
        } else if (mt_source_live(pl, a->iface, &a->so, a->count, &res) != MT_OK) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            errors++;
        }
        ts_clamped += res.bad_ts_clamped;
        ts_skipped += res.bad_ts_skipped;
        if (!co->quiet || co->stats) mt_source_print_live(a->iface, &res, co->stats, stderr);
    } else {
        for (int i = 0; i < co->nargs; i++) {
            inputs++;
            int rrc = mt_source_read_file(pl, co->args[i], &a->so, &res);
            ts_clamped += res.bad_ts_clamped;
            ts_skipped += res.bad_ts_skipped;
            if (rrc != MT_OK) {
                mt_cli_error(cmd, "%s", mt_error_msg());
                errors++;
            } else if (res.truncated) {
                damaged++;
                /* The source has already warned, unless -q; --strict makes
                 * it an error, which is said whatever -q says. */
                if (co->strict)
                    mt_cli_damaged(co, co->args[i], 0, "read only in part (%s) after %llu packets",
                                   res.error, (unsigned long long)res.packets);
            }
            /* A sink that cannot write (store gone, disk full) ends the
             * run: what the remaining inputs find could not be kept. The
             * workers' back half runs on this engine, so -j N looks only
             * after they have finished. */
            if (!out.workers && mt_engine_sink_error(eng)) break;
        }
    }
    if (out.workers) {
        mt_workers_finish(out.workers);
        mt_workers_add_stats(out.workers, pl);
    } else {
        mt_pipeline_finish(pl);
    }
    mt_engine_flush(eng);
    const char *sink_err = mt_engine_sink_error(eng);
    if (sink_err) {
        mt_cli_error(cmd, "%s", sink_err);
        errors++;
    }
    const mt_engine_stats *es = mt_engine_get_stats(eng);
    if (co->stats) {
        mt_pipeline_print_stats(pl, stderr);
        fprintf(stderr, "findings %llu (%llu dropped below --min-confidence)\n",
                (unsigned long long)es->findings, (unsigned long long)es->dropped_low_confidence);
        fprintf(stderr, "inputs %u (%u damaged, %u unreadable)\n", inputs, damaged, errors);
        fprintf(stderr, "timestamps %llu impossible (%llu given the previous packet's time, "
                        "%llu packets skipped)\n",
                (unsigned long long)(ts_clamped + ts_skipped), (unsigned long long)ts_clamped,
                (unsigned long long)ts_skipped);
        mt_hosts_stats hst;
        mt_hosts_get_stats(mt_engine_hosts(eng), &hst);
        fprintf(stderr, "hosts %zu with verdicts (peak %zu, %llu evicted at the cap of %zu)\n",
                hst.count, hst.peak, (unsigned long long)hst.evicted, hst.max);
    }
    if (a->hosts) {
        if (co->json) mt_hosts_render_json(mt_engine_hosts(eng), stdout, (int)a->min_score);
        else mt_hosts_render_text(mt_engine_hosts(eng), stdout, (int)a->min_score);
    }
    if (fflush(stdout) != 0) errors++;
    uint64_t findings = es->findings;
    mt_workers_free(out.workers);
    mt_pipeline_free(pl);
    mt_engine_free(eng);
    mt_intel_free(intel);
    return mt_cli_exit(co, errors, damaged, findings);
}

static int run(int argc, char **argv)
{
    const mt_cli_cmd *cmd = &mt_cli_scan;
    scan_args a;
    memset(&a, 0, sizeof a);
    mt_source_opts_defaults(&a.so);
    mt_pipeline_config_defaults(&a.pc);
    a.min_score = 50;
    a.flush_interval = 1;
    a.max_hosts = MT_HOSTS_MAX_DEFAULT;
    a.jobs = 1;
    mt_cli_common co;
    int rc = mt_cli_parse(cmd, argc, argv, &co, scan_opt, &a);
    if (rc < 0 && !a.iface && co.nargs == 0)
        rc = mt_cli_usage(cmd, "no input: give capture files or -i IFACE");
    if (rc < 0 && a.iface && co.nargs)
        rc = mt_cli_usage(cmd, "give either -i IFACE or files, not both");
    if (rc < 0) rc = scan(&co, &a);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_scan = {
    .name = "scan",
    .summary = "find cryptocurrency mining in captures and live traffic",
    .run = run,
    .synopsis = "scan [OPTIONS] FILE...\nscan -i IFACE [OPTIONS]",
    .description =
"Detects cryptocurrency mining in packet captures (pcap or pcapng; - is\n"
"standard input) or on a live interface. Every finding names the host,\n"
"the pool, the port, and where the traffic shows them the wallet, worker,\n"
"miner agent and family, with a confidence (0-100) and a line of evidence.\n"
"Findings are written as EVE-style JSON lines (docs/FINDINGS.md) and, with\n"
"--db, stored in SQLite.\n"
"\n"
"What is detected:\n"
"  dns        lookups of mining-pool and browser-miner domains (suffix\n"
"             match against the built-in list and any --intel lists);\n"
"             answers are remembered so later flows to those addresses\n"
"             are tied to the pool\n"
"  stratum    Stratum in clear: Bitcoin-style v1, XMRig/CryptoNote\n"
"             login/job/submit, Ethereum (eth-proxy, EthereumStratum\n"
"             1.0.0 and 2.0.0), NiceHash extensions, sessions captured\n"
"             mid-stream\n"
"  http       getwork/getblocktemplate, miner User-Agents, miner\n"
"             scripts and Wasm\n"
"  websocket  browser-miner protocols (Coinhive model, webminerpool)\n"
"  tls        SNI of pools; without SNI, the DNS tie to a pool name\n"
"  ip         pool address lists\n"
"  behaviour  encrypted Stratum by flow shape, Stratum V2 handshakes\n"
"  smb        EternalBlue / DoublePulsar (WannaMine precursors,\n"
"             reported with event_type \"precursor\", not \"mining\")\n"
"A port alone is never a finding. Generic JSON-RPC (an Ethereum node's\n"
"eth_blockNumber, LSP, web APIs) and crypto-currency P2P node traffic are\n"
"not mining.\n"
"\n"
"Files are read in order into one flow table, so a DNS answer in one file\n"
"ties flows in the next. A live capture runs until SIGINT or SIGTERM (or\n"
"-c N packets), then flushes pending findings and exits. On Linux it reads\n"
"an AF_PACKET ring (TPACKET_V3, in a PACKET_FANOUT group), elsewhere\n"
"libpcap; --stats gives the kernel's counters per capture thread. While\n"
"it runs, findings are written to the -o file and committed to the --db\n"
"store at least every --flush-interval seconds (files too), so SIGKILL\n"
"loses at most that much; SIGHUP reopens the -o file under its name for\n"
"log rotation (the store stays open). Packets with impossible timestamps\n"
"(before 1970, 2100 or later) take the previous packet's time and are\n"
"counted (--stats) with a warning naming the file.\n"
"\n"
"With -j N each packet goes to one of N workers by a hash of its flow's\n"
"addresses and ports (both directions alike): every worker walks a classic\n"
"pcap file itself and takes its own packets; from pcapng files and pipes\n"
"the reading thread hands them over. Each worker has its own flow table\n"
"(--max-flows each) and detectors.\n"
"Findings, host verdicts, the store and the --stats counters are those of\n"
"-j 1 (the flow peaks and blocks lines are summed over the workers): the\n"
"findings are passed on in the order -j 1 makes them, and the DNS tie\n"
"answers each worker as it stood at that worker's packet. That holds while\n"
"no table reaches its cap: each worker evicts from its own table, so a\n"
"capture that fills -j 1's table evicts fewer flows (and ends more as\n"
"idle) with -j N, and what follows an eviction may differ. A live capture\n"
"with -j N opens N AF_PACKET sockets in one fanout group instead: the\n"
"kernel hashes each flow to a socket, capture thread i feeds worker i, and\n"
"findings are passed on by packet time (with libpcap, one thread reads).\n"
"Every worker still decodes every packet of a file it walks, so -j pays\n"
"where each packet costs more than its decode: on two cores, two workers\n"
"scan a capture of a million short JSON-RPC flows in about 3/4 of the time,\n"
"but the project's 450 MB bench capture (mostly bulk bytes past\n"
"--inspect-bytes) in about the time of one.",
    .opts = scan_opts,
    .exit_none = "Every input was read; no finding (no mining, no precursor).",
    .exit_found = "Every input was read; at least one finding was written (precursor\n"
                  "findings count; --min-score does not).",
    .reads_inputs = 1,
    .exit_notes = "An interface that cannot be opened, a bad BPF filter or an output\n"
                  "that cannot be written is an error (2). A --db store or -o file that\n"
                  "fails while the run writes it (disk full, server gone) is said once and\n"
                  "ends the run: the remaining inputs are not read; exit status 2.",
    .examples = "minetrace scan capture.pcapng\n"
                "minetrace scan --db findings.db --hosts *.pcap\n"
                "minetrace scan -i eth0 -f 'not port 22' -Z nobody -o /var/log/mt.json\n"
                "minetrace scan -q --strict capture.pcap || echo \"exit status $?\"",
    .see_also = "minetrace(1), minetrace-ingest(1), minetrace-report(1), docs/FINDINGS.md,\n"
                "docs/DETECTORS.md, docs/INTEL.md",
};
