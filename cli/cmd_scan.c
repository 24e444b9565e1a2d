/* minetrace scan: pcap/pcapng files or a live interface -> findings. */
#include <errno.h>
#include <getopt.h>
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
#include "store/finding_json.h"
#include "minetrace/store.h"

static const char scan_help[] =
"Usage: minetrace scan [OPTIONS] FILE...\n"
"       minetrace scan -i IFACE [OPTIONS]\n"
"\n"
"Detect cryptocurrency mining in packet captures (pcap or pcapng) or on a\n"
"live interface. Every finding names the host, the pool, the port, and\n"
"where the traffic shows them the wallet, worker, miner agent and family,\n"
"with a confidence (0-100) and a line of evidence.\n"
"\n"
"What is detected:\n"
"  dns        lookups of mining-pool and browser-miner domains (suffix match\n"
"             against the built-in list and any --intel lists); answers are\n"
"             remembered so later flows to those addresses are tied to the pool\n"
"  stratum    Stratum in clear: Bitcoin-style v1, XMRig/CryptoNote login/job/\n"
"             submit, Ethereum (eth-proxy, EthereumStratum/1.0.0 and 2.0.0),\n"
"             NiceHash extensions, sessions captured mid-stream\n"
"  http       getwork/getblocktemplate, miner User-Agents, miner scripts/Wasm\n"
"  websocket  browser-miner protocols (Coinhive model, webminerpool)\n"
"  tls        SNI of pools; without SNI, the DNS tie to a pool name\n"
"  ip, behaviour  pool address lists, encrypted Stratum by flow shape,\n"
"             Stratum V2 handshakes\n"
"  smb        EternalBlue / DoublePulsar (WannaMine precursors; reported with\n"
"             event_type \"precursor\", not \"mining\")\n"
"A port alone is never a finding. Generic JSON-RPC (an Ethereum node's\n"
"eth_blockNumber, LSP, web APIs) and crypto-currency P2P node traffic are\n"
"not mining.\n"
"\n"
"Input:\n"
"  -i, --interface IFACE   capture live from IFACE until SIGINT/SIGTERM\n"
"  -f, --filter EXPR       BPF filter expression (files and live)\n"
"  -s, --snaplen N         live snap length (default 65535)\n"
"      --no-promisc        do not put the interface in promiscuous mode\n"
"  -Z, --user USER         drop privileges to USER once the interface is open\n"
"  -c, --count N           stop a live capture after N packets\n"
"\n"
"Output:\n"
"  -o, --output FILE       write findings as EVE-style JSON lines to FILE\n"
"                          (default: standard output, unless --hosts is given)\n"
"      --db FILE           also store findings in the SQLite database FILE\n"
"                          (created if needed; see docs/STORE.md)\n"
"      --hosts             after the scan, list each host judged to be mining:\n"
"                          first/last seen, score, findings, pools, ports,\n"
"                          wallets, families\n"
"      --json              with --hosts: one JSON object per host\n"
"      --min-score N       with --hosts: only hosts scoring at least N (default 50)\n"
"      --min-confidence N  drop findings below confidence N (default 0)\n"
"      --stats             print packet, flow and message counters to stderr\n"
"      --progress          report progress on stderr (default when a terminal)\n"
"  -q, --quiet             no progress, no warnings except errors\n"
"\n"
"Intel:\n"
"      --intel FILE[:WEIGHT[:CATEGORY]]\n"
"                          add an indicator list (domains, hosts file, Adblock\n"
"                          rules, IPs/CIDRs, URL patterns); WEIGHT 1-100\n"
"                          (default 70); CATEGORY pool, browser-miner,\n"
"                          miner-c2, crypto or allow (default pool). Repeatable.\n"
"      --no-builtin-intel  do not load the built-in lists\n"
"\n"
"Limits:\n"
"      --max-flows N       flow table cap (default 262144); the least recently\n"
"                          active flow is evicted when full (counted)\n"
"      --inspect-bytes N   payload bytes inspected per direction (default 16384)\n"
"      --tcp-timeout S     idle timeout of TCP flows in seconds (default 600)\n"
"\n"
"Exit status: 0 on success, 1 if an input could not be read, 2 on usage errors.\n"
"\n"
"Examples:\n"
"  minetrace scan capture.pcapng\n"
"  minetrace scan --db findings.db --hosts *.pcap\n"
"  minetrace scan -i eth0 -f 'not port 22' -Z nobody -o /var/log/minetrace.json\n";

enum {
    OPT_DB = 256, OPT_HOSTS, OPT_JSON, OPT_MIN_SCORE, OPT_MIN_CONF, OPT_STATS, OPT_PROGRESS,
    OPT_INTEL, OPT_NO_BUILTIN, OPT_MAX_FLOWS, OPT_INSPECT, OPT_TCP_TIMEOUT, OPT_NO_PROMISC
};

static int parse_uint(const char *s, const char *what, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > max || s[0] == '-') {
        fprintf(stderr, "minetrace scan: %s must be a number up to %lu, not '%s'\n", what, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

int mt_cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"interface", required_argument, 0, 'i'}, {"filter", required_argument, 0, 'f'},
        {"snaplen", required_argument, 0, 's'},   {"user", required_argument, 0, 'Z'},
        {"count", required_argument, 0, 'c'},     {"output", required_argument, 0, 'o'},
        {"quiet", no_argument, 0, 'q'},           {"help", no_argument, 0, 'h'},
        {"db", required_argument, 0, OPT_DB},     {"hosts", no_argument, 0, OPT_HOSTS},
        {"json", no_argument, 0, OPT_JSON},       {"min-score", required_argument, 0, OPT_MIN_SCORE},
        {"min-confidence", required_argument, 0, OPT_MIN_CONF},
        {"stats", no_argument, 0, OPT_STATS},     {"progress", no_argument, 0, OPT_PROGRESS},
        {"intel", required_argument, 0, OPT_INTEL},
        {"no-builtin-intel", no_argument, 0, OPT_NO_BUILTIN},
        {"max-flows", required_argument, 0, OPT_MAX_FLOWS},
        {"inspect-bytes", required_argument, 0, OPT_INSPECT},
        {"tcp-timeout", required_argument, 0, OPT_TCP_TIMEOUT},
        {"no-promisc", no_argument, 0, OPT_NO_PROMISC},
        {0, 0, 0, 0}};
    mt_source_opts so;
    mt_source_opts_defaults(&so);
    mt_pipeline_config pc;
    mt_pipeline_config_defaults(&pc);
    mt_engine_config ec;
    mt_engine_config_defaults(&ec);
    const char *iface = NULL, *output = NULL, *db = NULL;
    const char *intel_specs[64];
    int n_intel = 0, hosts = 0, hosts_json = 0, stats = 0, quiet = 0, builtin = 1;
    int progress = isatty(2);
    unsigned long min_score = 50, count = 0, v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:f:s:Z:c:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': iface = optarg; break;
        case 'f': so.bpf = optarg; break;
        case 's': if (parse_uint(optarg, "--snaplen", 262144, &v)) return 2; so.snaplen = (int)v; break;
        case 'Z': so.drop_user = optarg; break;
        case 'c': if (parse_uint(optarg, "--count", ~0UL, &count)) return 2; break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; progress = 0; break;
        case 'h': fputs(scan_help, stdout); return 0;
        case OPT_DB: db = optarg; break;
        case OPT_HOSTS: hosts = 1; break;
        case OPT_JSON: hosts_json = 1; break;
        case OPT_MIN_SCORE: if (parse_uint(optarg, "--min-score", 100, &min_score)) return 2; break;
        case OPT_MIN_CONF: if (parse_uint(optarg, "--min-confidence", 100, &v)) return 2; ec.min_confidence = (int)v; break;
        case OPT_STATS: stats = 1; break;
        case OPT_PROGRESS: progress = 1; break;
        case OPT_INTEL:
            if (n_intel == 64) { fprintf(stderr, "minetrace scan: too many --intel lists (max 64)\n"); return 2; }
            intel_specs[n_intel++] = optarg;
            break;
        case OPT_NO_BUILTIN: builtin = 0; break;
        case OPT_MAX_FLOWS: if (parse_uint(optarg, "--max-flows", 1UL << 26, &v) || v < 16) { fprintf(stderr, "minetrace scan: --max-flows must be 16..%lu\n", 1UL << 26); return 2; } pc.max_flows = (uint32_t)v; break;
        case OPT_INSPECT: if (parse_uint(optarg, "--inspect-bytes", 1UL << 24, &v)) return 2; pc.inspect_bytes = (uint32_t)v; break;
        case OPT_TCP_TIMEOUT: if (parse_uint(optarg, "--tcp-timeout", 86400 * 7, &v)) return 2; pc.tcp_idle_s = (uint32_t)v; break;
        case OPT_NO_PROMISC: so.promisc = 0; break;
        default:
            fputs("Try 'minetrace scan --help'.\n", stderr);
            return 2;
        }
    }
    if (!iface && optind >= argc) {
        fputs("minetrace scan: no input: give capture files or -i IFACE.\n"
              "Try 'minetrace scan --help'.\n", stderr);
        return 2;
    }
    if (iface && optind < argc) {
        fputs("minetrace scan: give either -i IFACE or files, not both.\n", stderr);
        return 2;
    }
    so.progress = progress;
    so.quiet = quiet;

    mt_intel *intel = mt_intel_new();
    if (builtin && mt_intel_load_builtin(intel) != MT_OK) {
        fprintf(stderr, "minetrace scan: built-in intel: %s\n", mt_error_msg());
        mt_intel_free(intel);
        return 1;
    }
    for (int i = 0; i < n_intel; i++) {
        if (mt_intel_load_spec(intel, intel_specs[i]) != MT_OK) {
            fprintf(stderr, "minetrace scan: --intel %s: %s\n", intel_specs[i], mt_error_msg());
            mt_intel_free(intel);
            return 1;
        }
        if (!quiet) {
            const mt_intel_load_stats *ls = mt_intel_last_load(intel);
            fprintf(stderr, "minetrace: %s: %llu domains, %llu addresses, %llu networks, %llu lines skipped\n",
                    intel_specs[i], (unsigned long long)ls->domains, (unsigned long long)ls->ips,
                    (unsigned long long)ls->cidrs, (unsigned long long)ls->skipped);
        }
    }

    ec.source = iface ? "live" : "pcap";
    mt_engine *eng = mt_engine_new(intel, &ec);
    if (!eng) {
        fprintf(stderr, "minetrace scan: %s\n", mt_error_msg());
        mt_intel_free(intel);
        return 1;
    }
    if (output && strcmp(output, "-") != 0) {
        FILE *f = fopen(output, "w");
        if (!f) {
            fprintf(stderr, "minetrace scan: cannot write %s: %s\n", output, strerror(errno));
            mt_engine_free(eng);
            mt_intel_free(intel);
            return 1;
        }
        mt_engine_add_sink(eng, mt_sink_jsonl_new(f, 1));
    } else if (output || !hosts) {
        mt_engine_add_sink(eng, mt_sink_jsonl_new(stdout, 0));
    }
    if (db) {
        mt_store *st = mt_store_open(db, NULL);
        if (!st) {
            fprintf(stderr, "minetrace scan: --db %s: %s\n", db, mt_error_msg());
            mt_engine_free(eng);
            mt_intel_free(intel);
            return 1;
        }
        mt_engine_add_sink(eng, mt_store_sink_new(st, 1));
    }

    mt_pipeline *pl = mt_pipeline_new(eng, &pc);
    int rc = 0;
    mt_source_result res;
    if (iface) {
        if (mt_source_live(pl, iface, &so, count, &res) != MT_OK) {
            fprintf(stderr, "minetrace scan: %s\n", mt_error_msg());
            rc = 1;
        }
        if (!quiet || stats)
            fprintf(stderr, "minetrace: %s: %llu packets captured, %llu received by filter, "
                            "%llu dropped by kernel, %llu dropped by interface\n",
                    iface, (unsigned long long)res.packets, (unsigned long long)res.recv,
                    (unsigned long long)res.drop, (unsigned long long)res.ifdrop);
    } else {
        for (int i = optind; i < argc; i++) {
            if (mt_source_read_file(pl, argv[i], &so, &res) != MT_OK) {
                fprintf(stderr, "minetrace scan: %s\n", mt_error_msg());
                rc = 1;
            }
        }
    }
    mt_pipeline_finish(pl);
    mt_engine_flush(eng);
    if (stats) {
        mt_pipeline_print_stats(pl, stderr);
        const mt_engine_stats *es = mt_engine_get_stats(eng);
        fprintf(stderr, "findings %llu (%llu dropped below --min-confidence)\n",
                (unsigned long long)es->findings, (unsigned long long)es->dropped_low_confidence);
    }
    if (hosts) {
        if (hosts_json) mt_hosts_write_json(mt_engine_hosts(eng), stdout, (int)min_score);
        else mt_hosts_write_text(mt_engine_hosts(eng), stdout, (int)min_score);
    }
    fflush(stdout);
    mt_pipeline_free(pl);
    mt_engine_free(eng);
    mt_intel_free(intel);
    return rc;
}
