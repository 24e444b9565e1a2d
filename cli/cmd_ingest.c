/* minetrace ingest: read Suricata EVE JSON, Zeek logs (TSV or JSON) and
 * minetrace JSONL findings into a findings database. Option parsing, intel
 * setup, the per-input summary and the exit status live here; the reading
 * itself is src/ingest/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"
#include "minetrace/store.h"
#include "store/ingest_store.h"

enum { O_FORMAT = MT_OPT_OWN, O_MAXLINE };

static const mt_cli_opt ingest_opts[] = {
    {MT_OPT_DB, NULL, 0, NULL, "The findings database (required; created if missing)."},
    {MT_OPT_SENSOR, NULL, 0, NULL, NULL},
    {MT_OPT_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_NO_BUILTIN_INTEL, NULL, 0, NULL, NULL},
    {O_FORMAT, "format", 0, "FMT",
     "Do not detect: read every input as FMT, one of\neve, zeek-tsv, zeek-json, jsonl."},
    {MT_OPT_MIN_CONFIDENCE, NULL, 0, NULL, NULL},
    {O_MAXLINE, "max-line", 0, "BYTES",
     "Longest line read (64..1073741824, default 1048576);\nlonger lines are skipped as malformed."},
    {MT_OPT_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_NO_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, "Print no per-input summary, no progress and no warnings."},
    {MT_OPT_STRICT, NULL, 0, NULL,
     "Treat a damaged input (truncated or corrupt gzip, malformed\n"
     "lines) as an error: exit status 2 instead of a warning."},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

static int ingest_opt(void *ctx, int id, const char *arg)
{
    mt_ingest_opts *opts = ctx;
    unsigned long v;
    switch (id) {
    case O_FORMAT: {
        int f = mt_ingest_format_parse(arg);
        if (f < 0) return mt_cli_usage(&mt_cli_ingest, "unknown format '%s'", arg);
        opts->format = (mt_ingest_format)f;
        return 0;
    }
    case O_MAXLINE:
        if (mt_cli_uint(&mt_cli_ingest, "--max-line", arg, 1UL << 30, &v)) return MT_EXIT_ERROR;
        if (v < 64) return mt_cli_usage(&mt_cli_ingest, "--max-line must be 64..1073741824");
        opts->max_line = (size_t)v;
        return 0;
    }
    return MT_EXIT_ERROR;
}

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
        for (unsigned i = 0; i < st->n_malformed_lines; i++) {
            printf("%s %llu", i ? "," : "", (unsigned long long)st->malformed_lines[i]);
            if (st->malformed_why[i][0]) printf(" (%s)", st->malformed_why[i]);
        }
        if (st->malformed > st->n_malformed_lines)
            printf(", and %llu more", (unsigned long long)(st->malformed - st->n_malformed_lines));
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

/* An input that failed part-way was read in part (damaged); one that
 * failed before a byte was read could not be read at all (an error). */
static int read_in_part(int rc, const mt_ingest_stats *st)
{
    return rc == MT_ETRUNC || st->bytes > 0 || st->records > 0;
}

static int ingest(const mt_cli_common *co, mt_ingest_opts *opts)
{
    const mt_cli_cmd *cmd = &mt_cli_ingest;
    mt_engine_config cfg;
    mt_engine_config_defaults(&cfg);
    cfg.source = "eve";
    if (co->min_confidence >= 0) cfg.min_confidence = co->min_confidence;
    opts->progress = mt_cli_progress(co);

    mt_intel *intel = mt_cli_intel(co);
    if (!intel) return MT_EXIT_ERROR;
    mt_store *store = mt_store_open(co->db, &(mt_store_opts){.flags = MT_STORE_CREATE, .sensor = co->sensor});
    if (!store) {
        mt_cli_error(cmd, "%s", mt_error_msg());
        mt_intel_free(intel);
        return MT_EXIT_ERROR;
    }
    mt_engine *e = mt_engine_new(intel, &cfg);
    if (!e) {
        mt_cli_error(cmd, "%s", mt_error_msg());
        mt_store_close(store);
        mt_intel_free(intel);
        return MT_EXIT_ERROR;
    }
    mt_cli_trace(e);
    mt_engine_add_sink(e, mt_store_sink_new(store, 0));
    mt_store_ingest *ig = mt_store_ingest_new(e, store, opts);

    mt_ingest_stats total = {0}, st;
    int n_inputs = 0, n_failed = 0;
    unsigned errors = 0, damaged = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < co->nargs; i++) {
            const char *path = co->args[i];
            if (is_dns_name(path) != (pass == 0)) continue;
            int rc = mt_store_ingest_file(ig, path, &st);
            n_inputs++;
            const char *store_err = mt_store_ingest_store_error(ig);
            if (store_err) {
                /* The store cannot write: the rest of the input could not be
                 * kept, so the run stops here (exit 2), said once. */
                n_failed++;
                errors++;
                mt_cli_error(cmd, "%s", store_err);
                if (!co->quiet) print_summary(path, &st);
                goto stop;
            }
            if (rc != MT_OK) {
                n_failed++;
                if (read_in_part(rc, &st)) {
                    damaged++;
                    mt_cli_damaged(co, path, 0, "%s; what was read before is kept", st.error);
                } else {
                    errors++;
                    mt_cli_error(cmd, "%s: %s", path, st.error);
                }
            } else if (st.malformed) {
                damaged++;
                mt_cli_damaged(co, path, st.n_malformed_lines ? st.malformed_lines[0] : 0,
                               "%llu malformed line%s skipped%s%s%s", (unsigned long long)st.malformed,
                               st.malformed == 1 ? "" : "s",
                               st.n_malformed_lines && st.malformed_why[0][0] ? " (first: " : "",
                               st.n_malformed_lines ? st.malformed_why[0] : "",
                               st.n_malformed_lines && st.malformed_why[0][0] ? ")" : "");
            }
            if (!co->quiet) print_summary(path, &st);
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
stop:
    if (!co->quiet && n_inputs > 1)
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
    if (fflush(stdout) != 0) errors++;
    return mt_cli_exit(co, errors, damaged, total.findings_new + total.findings_dup);
}

static int run(int argc, char **argv)
{
    const mt_cli_cmd *cmd = &mt_cli_ingest;
    mt_ingest_opts opts = {0};
    mt_cli_common co;
    int rc = mt_cli_parse(cmd, argc, argv, &co, ingest_opt, &opts);
    if (rc < 0 && !co.db) rc = mt_cli_usage(cmd, "--db FILE is required");
    else if (rc < 0 && co.nargs == 0) rc = mt_cli_usage(cmd, "no INPUT given");
    if (rc < 0) rc = ingest(&co, &opts);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_ingest = {
    .name = "ingest",
    .summary = "read IDS logs and findings into a findings database",
    .run = run,
    .synopsis = "ingest --db FILE [OPTIONS] INPUT...",
    .description =
"Reads each INPUT (a file, or - for standard input; gzip-compressed or\n"
"plain) and stores the mining findings it yields in the SQLite database\n"
"FILE (created if missing; schema in docs/STORE.md). Inputs may be:\n"
"\n"
"Suricata EVE JSON   event types alert, dns, tls, http and flow are read.\n"
"                    Coin-mining alerts (ET COINMINER, classtype\n"
"                    coin-mining, ...) become findings of the kind and\n"
"                    family a packet would give (dns, stratum, http, tls,\n"
"                    websocket; EternalBlue/DoublePulsar alerts: WannaMine\n"
"                    precursors), from the SID, the alert's dns/tls/http\n"
"                    fields and its payload; dns/tls/http/flow records\n"
"                    pass through the same detectors as packets (pool\n"
"                    domains, SNI, miner user agents, pool addresses,\n"
"                    DNS-tied flows).\n"
"Zeek logs           conn, dns, ssl, http and notice logs, in the TSV form\n"
"                    (#separator/#fields header; extra columns such as\n"
"                    _node_name or label are fine) or as JSON lines.\n"
"minetrace JSONL     findings written by `minetrace scan` (docs/FINDINGS.md)\n"
"                    are stored as they are.\n"
"\n"
"The format is detected per file (a Zeek TSV header, else JSON lines\n"
"recognised per line by their keys). Files are streamed: memory use does\n"
"not grow with input size. Give dns logs before conn/ssl logs of the same\n"
"capture (inputs whose name starts with \"dns\" are read first anyway) so\n"
"that flows to resolved pool addresses are attributed to the pool name.\n"
"\n"
"Ingest is idempotent: every finding has a uid hashed from its identifying\n"
"fields, so ingesting the same input twice stores each finding once; the\n"
"summary reports new and duplicate findings. Lines that cannot be parsed\n"
"(bad JSON, wrong column count, over-long lines) are skipped, counted,\n"
"named in the summary and warned about (the input is damaged); records of\n"
"types not read (e.g. EVE fileinfo, Zeek files.log) are counted and named.\n"
"One row per input is written to the ingest_log table.\n"
"\n"
"Output: one summary line per input on standard output, e.g.\n"
"  eve.json: eve, 5000 records, 4994 used, 0 malformed, 6 unknown\n"
"    (eve:fileinfo 3, eve:anomaly 3), alerts 0 mining / 745 other,\n"
"    findings 0 new / 0 duplicate, 2.8 MB in 0.05 s\n"
"followed by the first line numbers of malformed lines, and a total.",
    .opts = ingest_opts,
    .exit_none = "Every input was read; it yielded no finding.",
    .exit_found = "Every input was read; it yielded findings (new ones, or ones the\n"
                  "database already held).",
    .reads_inputs = 1,
    .exit_notes = "A missing --db, a database that cannot be opened and an input that\n"
                  "cannot be opened are errors (2); the other inputs are still read. A\n"
                  "store write that fails (disk full, server gone) is said once and ends\n"
                  "the run: the remaining inputs are not read; exit status 2.",
    .examples = "minetrace ingest --db findings.db /var/log/suricata/eve.json\n"
                "minetrace ingest --db findings.db zeek/2024-04-19/*.log.gz\n"
                "zcat eve.json.gz | minetrace ingest --db findings.db -\n"
                "minetrace ingest --db findings.db --intel mypools.txt:90:pool eve.json\n"
                "minetrace ingest -q --strict --db findings.db eve.json; echo $?",
    .see_also = "minetrace(1), minetrace-scan(1), minetrace-report(1), docs/INGEST.md,\n"
                "docs/STORE.md",
};
