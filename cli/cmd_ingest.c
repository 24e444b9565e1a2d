/* minetrace ingest: read Suricata EVE JSON, Zeek logs (TSV or JSON) and
 * minetrace JSONL findings into a findings database. Option parsing, intel
 * setup, the per-input summary and the exit status live here; the reading
 * itself is src/ingest/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"
#include "minetrace/store.h"
#include "store/ingest_store.h"

static void usage(FILE *out)
{
    fputs(
"NAME\n"
"    minetrace ingest - read IDS logs and findings into a findings database\n"
"\n"
"SYNOPSIS\n"
"    minetrace ingest --db FILE [OPTIONS] INPUT...\n"
"\n"
"DESCRIPTION\n"
"    Reads each INPUT (a file, or - for standard input; gzip-compressed or\n"
"    plain) and stores the mining findings it yields in the SQLite database\n"
"    FILE (created if missing; schema in docs/STORE.md). Inputs may be:\n"
"\n"
"    Suricata EVE JSON   event types alert, dns, tls, http and flow are read.\n"
"                        Coin-mining alerts (ET COINMINER, Crypto Coin Miner,\n"
"                        classtype coin-mining, ...) become findings of kind\n"
"                        'alert'; dns/tls/http/flow records pass through the\n"
"                        same detectors as packets (pool domains, SNI, miner\n"
"                        user agents, pool addresses, DNS-tied flows).\n"
"    Zeek logs           conn, dns, ssl, http and notice logs, in the TSV form\n"
"                        (#separator/#fields header; extra columns such as\n"
"                        _node_name or label are fine) or as JSON lines.\n"
"    minetrace JSONL     findings written by `minetrace scan` (docs/FINDINGS.md)\n"
"                        are stored as they are.\n"
"\n"
"    The format is detected per file (a Zeek TSV header, else JSON lines\n"
"    recognised per line by their keys). Files are streamed: memory use does\n"
"    not grow with input size. Give dns logs before conn/ssl logs of the same\n"
"    capture (inputs whose name starts with \"dns\" are read first anyway) so\n"
"    that flows to resolved pool addresses are attributed to the pool name.\n"
"\n"
"    Ingest is idempotent: every finding has a uid hashed from its identifying\n"
"    fields, so ingesting the same input twice stores each finding once; the\n"
"    summary reports new and duplicate findings. Lines that cannot be parsed\n"
"    (bad JSON, wrong column count, over-long lines) and records of types not\n"
"    read (e.g. EVE fileinfo, Zeek files.log) are skipped, counted and named\n"
"    in the summary; ingest never stops for them. One row per input is\n"
"    written to the ingest_log table.\n"
"\n"
"OPTIONS\n"
"    --db FILE             The findings database (required).\n"
"    --intel FILE[:W[:CAT]]\n"
"                          Load an extra indicator list (domains, hosts file,\n"
"                          Adblock rules, IPs/CIDRs) with weight W (1-100) and\n"
"                          category CAT (pool, browser-miner, miner-c2, crypto,\n"
"                          allow). Repeatable. Added to the built-in lists.\n"
"    --no-builtin-intel    Do not load the built-in indicator lists.\n"
"    --format FMT          Do not detect: read every input as FMT, one of\n"
"                          eve, zeek-tsv, zeek-json, jsonl.\n"
"    --min-confidence N    Drop findings below confidence N (0-100).\n"
"    --max-line BYTES      Longest line read (default 1048576); longer lines\n"
"                          are skipped as malformed.\n"
"    --progress            Report progress on stderr about once a second\n"
"                          (default when stderr is a terminal).\n"
"    --no-progress         Never report progress.\n"
"    -q, --quiet           Print no per-input summary.\n"
"    -h, --help            Print this help.\n"
"\n"
"OUTPUT\n"
"    One summary line per input on standard output, e.g.\n"
"      eve.json: eve, 5000 records, 4994 used, 0 malformed, 6 unknown\n"
"        (eve:fileinfo 3, eve:anomaly 3), alerts 0 mining / 745 other,\n"
"        findings 0 new / 0 duplicate, 2.8 MB in 0.05 s\n"
"    followed by the first line numbers of malformed lines, and a total.\n"
"\n"
"EXIT STATUS\n"
"    0  every input was read to its end (skipped lines do not count).\n"
"    1  an input could not be opened or failed part-way (e.g. a truncated\n"
"       gzip file); what was read before the failure is kept.\n"
"    2  usage error, or the database could not be opened.\n"
"\n"
"EXAMPLES\n"
"    minetrace ingest --db findings.db /var/log/suricata/eve.json\n"
"    minetrace ingest --db findings.db zeek/2024-04-19/*.log.gz\n"
"    zcat eve.json.gz | minetrace ingest --db findings.db -\n"
"    minetrace ingest --db findings.db --intel mypools.txt:90:pool eve.json\n"
"\n"
"SEE ALSO\n"
"    minetrace scan --help, minetrace report --help, docs/INGEST.md\n", out);
}

enum { OPT_DB = 256, OPT_INTEL, OPT_NO_BUILTIN, OPT_FORMAT, OPT_MINCONF,
       OPT_MAXLINE, OPT_PROGRESS, OPT_NO_PROGRESS };

static void print_summary(const char *path, const mt_ingest_stats *st)
{
    printf("%s: %s, %llu records, %llu used, %llu malformed, %llu unknown",
           path, st->format, (unsigned long long)st->records,
           (unsigned long long)st->used, (unsigned long long)st->malformed,
           (unsigned long long)st->unknown);
    if (st->n_unknown_names) {
        printf(" (");
        for (unsigned i = 0; i < st->n_unknown_names; i++)
            printf("%s%s %llu", i ? ", " : "", st->unknown_names[i].name,
                   (unsigned long long)st->unknown_names[i].n);
        if (st->unknown_unnamed)
            printf(", other %llu", (unsigned long long)st->unknown_unnamed);
        printf(")");
    }
    if (st->alerts_mining || st->alerts_other)
        printf(", alerts %llu mining / %llu other", (unsigned long long)st->alerts_mining,
               (unsigned long long)st->alerts_other);
    printf(", findings %llu new / %llu duplicate, %.1f MB in %.2f s\n",
           (unsigned long long)st->findings_new, (unsigned long long)st->findings_dup,
           (double)st->bytes / 1e6, st->seconds);
    if (st->n_malformed_lines) {
        printf("  malformed lines:");
        for (unsigned i = 0; i < st->n_malformed_lines; i++)
            printf(" %llu", (unsigned long long)st->malformed_lines[i]);
        if (st->malformed > st->n_malformed_lines) printf(" ...");
        if (st->too_long) printf(" (%llu too long)", (unsigned long long)st->too_long);
        printf("\n");
    }
}

/* Inputs named dns* first (stable otherwise): DNS answers feed the tie. */
static int is_dns_name(const char *p)
{
    const char *b = strrchr(p, '/');
    b = b ? b + 1 : p;
    return strncmp(b, "dns", 3) == 0;
}

int mt_cmd_ingest(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"intel", required_argument, NULL, OPT_INTEL},
        {"no-builtin-intel", no_argument, NULL, OPT_NO_BUILTIN},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"min-confidence", required_argument, NULL, OPT_MINCONF},
        {"max-line", required_argument, NULL, OPT_MAXLINE},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    const char **intel_specs = mt_xcalloc((size_t)argc + 1, sizeof *intel_specs);
    int n_intel = 0, builtin = 1, quiet = 0, prog = -1, status = 0;
    mt_ingest_opts opts = {0};
    mt_engine_config cfg;
    mt_engine_config_defaults(&cfg);
    cfg.source = "eve";

    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB: db = optarg; break;
        case OPT_INTEL: intel_specs[n_intel++] = optarg; break;
        case OPT_NO_BUILTIN: builtin = 0; break;
        case OPT_FORMAT: {
            int f = mt_ingest_format_parse(optarg);
            if (f < 0) {
                fprintf(stderr, "minetrace ingest: unknown format '%s'\n", optarg);
                free(intel_specs);
                return 2;
            }
            opts.format = (mt_ingest_format)f;
            break;
        }
        case OPT_MINCONF: cfg.min_confidence = atoi(optarg); break;
        case OPT_MAXLINE: {
            long long v = atoll(optarg);
            if (v < 64 || v > (1LL << 30)) {
                fprintf(stderr, "minetrace ingest: --max-line must be 64..1073741824\n");
                free(intel_specs);
                return 2;
            }
            opts.max_line = (size_t)v;
            break;
        }
        case OPT_PROGRESS: prog = 1; break;
        case OPT_NO_PROGRESS: prog = 0; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); free(intel_specs); return 0;
        default:
            fprintf(stderr, "Try 'minetrace ingest --help'.\n");
            free(intel_specs);
            return 2;
        }
    }
    if (!db || optind >= argc) {
        fprintf(stderr, "minetrace ingest: %s\nUsage: minetrace ingest --db FILE [OPTIONS] INPUT...\n"
                        "Try 'minetrace ingest --help'.\n",
                !db ? "--db FILE is required" : "no INPUT given");
        free(intel_specs);
        return 2;
    }
    opts.progress = prog >= 0 ? prog : isatty(2);

    mt_intel *intel = mt_intel_new();
    if (builtin && mt_intel_load_builtin(intel) != MT_OK) {
        fprintf(stderr, "minetrace ingest: built-in intel: %s\n", mt_error_msg());
        status = 2;
    }
    for (int i = 0; i < n_intel && status == 0; i++) {
        if (mt_intel_load_spec(intel, intel_specs[i]) != MT_OK) {
            fprintf(stderr, "minetrace ingest: --intel %s: %s\n", intel_specs[i], mt_error_msg());
            status = 2;
        }
    }
    free(intel_specs);
    mt_store *store = status ? NULL : mt_store_open(db, NULL);
    if (!status && !store) {
        fprintf(stderr, "minetrace ingest: %s\n", mt_error_msg());
        status = 2;
    }
    if (status) {
        mt_intel_free(intel);
        return status;
    }
    mt_engine *e = mt_engine_new(intel, &cfg);
    if (!e) {
        fprintf(stderr, "minetrace ingest: %s\n", mt_error_msg());
        mt_store_close(store);
        mt_intel_free(intel);
        return 2;
    }
    mt_engine_add_sink(e, mt_store_sink_new(store, 0));
    mt_store_ingest *ig = mt_store_ingest_new(e, store, &opts);

    mt_ingest_stats total = {0}, st;
    int n_inputs = 0, n_failed = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = optind; i < argc; i++) {
            if (is_dns_name(argv[i]) != (pass == 0)) continue;
            int rc = mt_store_ingest_file(ig, argv[i], &st);
            n_inputs++;
            if (rc != MT_OK) {
                n_failed++;
                fprintf(stderr, "minetrace ingest: %s: %s\n", argv[i], st.error);
            }
            if (!quiet) print_summary(argv[i], &st);
            total.records += st.records;
            total.used += st.used;
            total.malformed += st.malformed;
            total.unknown += st.unknown;
            total.findings_new += st.findings_new;
            total.findings_dup += st.findings_dup;
            total.bytes += st.bytes;
            total.seconds += st.seconds;
        }
    }
    if (!quiet && n_inputs > 1)
        printf("total: %d inputs (%d failed), %llu records, %llu used, %llu malformed, "
               "%llu unknown, findings %llu new / %llu duplicate, %.1f MB in %.2f s\n",
               n_inputs, n_failed, (unsigned long long)total.records,
               (unsigned long long)total.used, (unsigned long long)total.malformed,
               (unsigned long long)total.unknown, (unsigned long long)total.findings_new,
               (unsigned long long)total.findings_dup, (double)total.bytes / 1e6,
               total.seconds);
    mt_store_ingest_free(ig);
    mt_engine_free(e); /* closes the sink, which commits */
    mt_store_close(store);
    mt_intel_free(intel);
    fflush(stdout);
    return n_failed ? 1 : 0;
}
