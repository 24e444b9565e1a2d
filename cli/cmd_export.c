/* minetrace export: the pool names, addresses and ports a network should
 * block, from stored findings and intel, as Suricata rules, a Zeek Intel
 * file, a DNS RPZ zone, a hosts file or CSV (report/export.h,
 * docs/EXPORT.md). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "analyze/period.h"
#include "commands.h"
#include "minetrace/store.h"
#include "report/export.h"

enum { O_FORMAT = MT_OPT_OWN, O_FROM, O_TO, O_ONLY, O_SID, O_ZONE };

static const mt_cli_opt export_opts[] = {
    {0, NULL, 0, NULL, "Input"},
    {MT_OPT_DB, NULL, 0, NULL,
     "The findings database (scan --db, ingest): its mining\n"
     "findings' pool names, pool addresses and ports. Required\n"
     "unless --only intel."},
    {MT_OPT_SENSOR_SELECT, NULL, 0, NULL,
     "Only the findings of sensor NAME. Repeatable or\n"
     "comma-separated (a,b); default: every sensor."},
    {MT_OPT_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_NO_BUILTIN_INTEL, NULL, 0, NULL, NULL},
    {O_ONLY, "only", 0, "WHAT",
     "findings (the store), intel (the built-in and --intel lists)\n"
     "or all (default)."},
    {O_FROM, "from", 0, "D",
     "Findings from this date (YYYY, YYYY-MM, YYYY-MM-DD or\n"
     "YYYY-MM-DDTHH:MM[:SS], UTC); default: the first."},
    {O_TO, "to", 0, "D", "Findings up to this date, inclusive; default: the last."},
    {MT_OPT_MIN_CONFIDENCE, NULL, 0, NULL,
     "Only findings of confidence >= N and list entries of\n"
     "weight >= N (0-100; default 0)."},
    {0, NULL, 0, NULL, "Output"},
    {O_FORMAT, "format", 0, "FMT", "suricata, zeek-intel, rpz, hosts or csv (required)."},
    {MT_OPT_OUTPUT, NULL, 0, NULL,
     "Write to FILE (replaced atomically: written beside it, then\n"
     "renamed) instead of standard output."},
    {O_SID, "sid-base", 0, "N",
     "First Suricata SID (default 1000000, the local-use range);\n"
     "rules get N, N+1, ... in the order of the file."},
    {O_ZONE, "zone", 0, "NAME", "Origin of the RPZ zone (default rpz.minetrace)."},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

enum { ONLY_FINDINGS = 1, ONLY_INTEL = 2 };

typedef struct export_args {
    mt_export_opts o;
    unsigned only;
    const char *from, *to, *zone;
    char zonebuf[256];
} export_args;

static int export_opt(void *ctx, int id, const char *arg)
{
    export_args *a = ctx;
    const mt_cli_cmd *cmd = &mt_cli_export;
    unsigned long v;
    switch (id) {
    case O_FORMAT:
        a->o.format = mt_export_format_parse(arg);
        if (!a->o.format)
            return mt_cli_usage(cmd, "--format wants suricata, zeek-intel, rpz, hosts or csv, not '%s'", arg);
        return 0;
    case O_FROM: a->from = arg; return 0;
    case O_TO: a->to = arg; return 0;
    case O_ONLY:
        if (strcmp(arg, "findings") == 0) a->only = ONLY_FINDINGS;
        else if (strcmp(arg, "intel") == 0) a->only = ONLY_INTEL;
        else if (strcmp(arg, "all") == 0) a->only = ONLY_FINDINGS | ONLY_INTEL;
        else return mt_cli_usage(cmd, "--only wants findings, intel or all, not '%s'", arg);
        return 0;
    case O_SID:
        if (mt_cli_uint(cmd, "--sid-base", arg, UINT32_MAX, &v)) return MT_EXIT_ERROR;
        if (v == 0) return mt_cli_usage(cmd, "--sid-base must be at least 1");
        a->o.sid_base = (uint32_t)v;
        return 0;
    case O_ZONE: a->zone = arg; return 0;
    }
    return mt_cli_usage(cmd, "unknown option");
}

static int write_stream(const mt_cli_cmd *cmd, FILE *f, const char *name, const mt_buf *b)
{
    if (fwrite(b->p ? b->p : "", 1, b->len, f) != b->len || fflush(f) != 0)
        return mt_cli_error(cmd, "cannot write %s: %s", name, strerror(errno));
    return 0;
}

/* Write the whole file beside the target, then rename: a DNS server or
 * IDS that reloads the list never reads half of one. Only a regular file
 * (or a missing one) is replaced that way: renaming over /dev/null, a FIFO
 * or /dev/stdout would put a regular file where the device was. A symlink
 * to a regular file is followed so that the link itself stays. */
static int write_out(const char *path, const mt_buf *b)
{
    const mt_cli_cmd *cmd = &mt_cli_export;
    if (!path || strcmp(path, "-") == 0) return write_stream(cmd, stdout, "standard output", b);
    struct stat st;
    char *real = NULL;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            FILE *f = fopen(path, "wb");
            if (!f) return mt_cli_error(cmd, "cannot open %s: %s", path, strerror(errno));
            int rc = write_stream(cmd, f, path, b);
            if (fclose(f) != 0 && rc == 0) rc = mt_cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
            return rc;
        }
        real = realpath(path, NULL);
        if (!real) return mt_cli_error(cmd, "cannot resolve %s: %s", path, strerror(errno));
    }
    const char *target = real ? real : path;
    size_t n = strlen(target) + 32;
    char *tmp = mt_xmalloc(n);
    snprintf(tmp, n, "%s.tmp.%ld", target, (long)getpid());
    FILE *f = fopen(tmp, "wbx");
    int bad = !f;
    if (f) {
        bad = fwrite(b->p ? b->p : "", 1, b->len, f) != b->len;
        bad |= fclose(f) != 0;
    }
    if (!bad && rename(tmp, target) != 0) bad = 1;
    int rc = 0;
    if (bad) {
        rc = mt_cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        if (f) remove(tmp);
    }
    free(tmp);
    free(real);
    return rc;
}

static int run_export(const mt_cli_common *co, export_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_export;
    if (co->nargs) return mt_cli_usage(cmd, "unexpected argument '%s'", co->args[0]);
    if (!a->o.format) return mt_cli_usage(cmd, "--format is required");
    if (!a->only) a->only = ONLY_FINDINGS | ONLY_INTEL;
    if ((a->only & ONLY_FINDINGS) && !co->db)
        return mt_cli_usage(cmd, "--db FILE is required (or --only intel)");
    if (!(a->only & ONLY_FINDINGS) && (co->db || a->from || a->to || co->nsensors))
        return mt_cli_usage(cmd, "--db, --from, --to and --sensor select findings; --only intel reads none");
    const char *zone = a->zone ? a->zone : "rpz.minetrace";
    if (!mt_export_hostname(zone, strlen(zone), a->zonebuf, sizeof a->zonebuf))
        return mt_cli_usage(cmd, "--zone '%s' is not a DNS name", zone);
    a->o.zone = a->zonebuf;
    if (!a->o.sid_base) a->o.sid_base = 1000000;
    a->o.serial = (uint32_t)time(NULL);
    mt_store_indicator_query q = {.min_confidence = co->min_confidence < 0 ? 0 : co->min_confidence,
                                  .sensors = {(const char *const *)co->sensors, co->nsensors}};
    mt_tz tz;
    if (mt_tz_parse(NULL, &tz)) return mt_cli_usage(cmd, "%s", mt_error_msg());
    if (a->from || a->to) {
        q.from = INT64_MIN;
        q.to = INT64_MAX;
        if (a->from && mt_date_bound_parse(a->from, &tz, 0, &q.from)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        if (a->to && mt_date_bound_parse(a->to, &tz, 1, &q.to)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        if (q.to <= q.from) return mt_cli_usage(cmd, "--to is before --from");
    }

    mt_export_set set;
    mt_export_set_init(&set);
    if (a->only & ONLY_FINDINGS) {
        mt_store *st = mt_store_open(co->db, &(mt_store_opts){.flags = MT_STORE_READONLY});
        if (!st) {
            mt_export_set_free(&set);
            return mt_cli_error(cmd, "%s", mt_error_msg());
        }
        mt_store_indicators x;
        int rc = mt_store_indicators_get(st, &q, &x);
        mt_store_close(st);
        if (rc) {
            mt_export_set_free(&set);
            char shown[512];
            return mt_cli_error(cmd, "%s: %s", mt_store_display_name(co->db, shown, sizeof shown), mt_error_msg());
        }
        mt_export_add_findings(&set, &x);
        mt_store_indicators_free(&x);
    }
    if (a->only & ONLY_INTEL) {
        mt_intel *in = mt_cli_intel(co);
        if (!in) {
            mt_export_set_free(&set);
            return MT_EXIT_ERROR;
        }
        mt_export_add_intel(&set, in, q.min_confidence);
        mt_intel_free(in);
    }
    mt_export_sort(&set);
    if (set.rejected && !co->quiet)
        fprintf(stderr, "minetrace export: %llu value%s left out: not a host name or address (first: \"%s\")\n",
                (unsigned long long)set.rejected, set.rejected == 1 ? "" : "s", set.first_rejected);
    mt_buf b;
    mt_buf_init(&b);
    size_t written = 0;
    int rc = mt_export_write(&set, &a->o, &b, &written);
    if (rc) {
        rc = mt_cli_error(cmd, "%s", mt_error_msg());
    } else {
        rc = write_out(co->output, &b);
        if (!rc && !co->quiet)
            fprintf(stderr, "minetrace export: %zu indicator%s written as %s\n", written, written == 1 ? "" : "s",
                    mt_export_format_str(a->o.format));
    }
    mt_buf_free(&b);
    mt_export_set_free(&set);
    if (rc) return rc;
    return mt_cli_exit(co, 0, 0, written);
}

static int run(int argc, char **argv)
{
    export_args a;
    memset(&a, 0, sizeof a);
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_export, argc, argv, &co, export_opt, &a);
    if (rc < 0) rc = run_export(&co, &a);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_export = {
    .name = "export",
    .summary = "block lists (Suricata, Zeek, RPZ, hosts, CSV) of pools",
    .run = run,
    .synopsis = "export --format suricata|zeek-intel|rpz|hosts|csv [--db FILE]\n"
                "       [--only findings|intel|all] [--from D] [--to D]\n"
                "       [-o FILE] [OPTIONS]",
    .description =
"Writes what a network should block - the pool names, pool addresses and\n"
"ports of the stored mining findings, and the mining entries of the intel\n"
"lists - in the format of the tool that blocks it:\n"
"  suricata    alert rules: a dns.query and a tls.sni rule per name\n"
"              (dotprefix; content; endswith: the name and its\n"
"              subdomains), an ip rule per address or network;\n"
"              classtype coin-mining, SIDs from --sid-base, rev 1.\n"
"  zeek-intel  an Intel framework file (Intel::DOMAIN, Intel::ADDR,\n"
"              Intel::SUBNET) for Intel::read_files.\n"
"  rpz         a DNS response policy zone: each name and *.name CNAME .\n"
"              (NXDOMAIN), addresses as rpz-ip triggers.\n"
"  hosts       0.0.0.0 NAME lines.\n"
"  csv         indicator,type,source,findings,first_seen,last_seen, with\n"
"              the ports too (a port alone is no block rule).\n"
"Names from findings are attacker-controlled: one that is not a valid\n"
"host name (letters, digits, '-', labels of 1-63, at most 253 bytes) is\n"
"left out and counted on standard error, never written. The output is\n"
"sorted, so the same indicators give the same file and SIDs.",
    .opts = export_opts,
    .exit_none = "Nothing to export: no indicator in the range and lists (the file\n"
                 "is written all the same, valid and empty).",
    .exit_found = "Indicators were written.",
    .reads_inputs = 0,
    .exit_notes = "A store that cannot be read, an unreadable --intel list, SIDs past\n"
                  "4294967295 and an output that cannot be written are errors (2).",
    .examples = "minetrace export --db findings.db --format suricata -o minetrace.rules\n"
                "minetrace export --db findings.db --format rpz --zone rpz.example -o db.rpz\n"
                "minetrace export --only intel --intel coinblocker.txt --format hosts\n"
                "minetrace export --db f.db --only findings --from 2018-01 --format csv",
    .see_also = "minetrace(1), minetrace-scan(1), minetrace-ingest(1), docs/EXPORT.md",
};
