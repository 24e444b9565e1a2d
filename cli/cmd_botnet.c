/* minetrace botnet: cryptomining botnets from honeypot and brute-force
 * logs (issue 9). Options, enrichment set-up, the inputs and the exit
 * status live here; reading is ingest/honey.h's, the campaigns
 * botnet/botnet.h's, the JSONL writer and the store store/'s. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "botnet/botnet.h"
#include "commands.h"
#include "ingest/honey.h"
#include "minetrace/store.h"
#include "store/botnet_json.h"

enum {
    O_GEOIP = MT_OPT_OWN, O_ASN, O_SCAN, O_RECOG, O_MIN_SOURCES, O_SOURCES, O_FORMAT, O_YEAR,
    O_JACCARD, O_TOP, O_MIN_CREDS
};

static const mt_cli_opt botnet_opts[] = {
    {0, NULL, 0, NULL, "Enrichment"},
    {O_GEOIP, "geoip", 0, "FILE.mmdb",
     "Countries of the sources from a MaxMind DB file (MaxMind or\nip-location-db schema)."},
    {O_ASN, "asn", 0, "FILE.mmdb", "Autonomous systems of the sources from a MaxMind DB file\n(default: --geoip, when it answers ASNs)."},
    {O_SCAN, "scan", 0, "FILE",
     "Port-scan results of the sources (nmap -oX, masscan -oX, -oJ,\n-oD or -oL; recognised by content): port 22, open-port\nprofile, banners. Repeatable."},
    {O_RECOG, "recog", 0, "DIR", "Rapid7 Recog fingerprint XML (a directory or one file): device\ntypes from scan banners and client versions."},
    {0, NULL, 0, NULL, "Analysis"},
    {O_MIN_SOURCES, "min-sources", 0, "N", "Smallest campaign, in sources (default 2)."},
    {O_JACCARD, "jaccard", 0, "X",
     "Credential-set similarity threshold, 0.05..1 (default 0.5):\nsources whose MinHash estimate of the Jaccard index reaches X\nare joined."},
    {O_MIN_CREDS, "min-credentials", 0, "N",
     "Distinct credentials a source needs to be compared by\nsimilarity (default 5)."},
    {O_TOP, "top", 0, "N", "Credential records and top credentials per campaign (default\n20)."},
    {0, NULL, 0, NULL, "Input"},
    {O_FORMAT, "format", 0, "NAME", "Do not recognise by content: read every input as NAME (see\nDESCRIPTION)."},
    {O_YEAR, "year", 0, "N", "The year of auth.log time stamps, which have none (default:\nfrom the file's modification time)."},
    {0, NULL, 0, NULL, "Output"},
    {MT_OPT_OUTPUT, NULL, 0, NULL, "Write the JSON lines to FILE (default: standard output)."},
    {MT_OPT_DB, NULL, 0, NULL, "Also store campaigns, sources and credentials in the database\nFILE (docs/STORE.md)."},
    {MT_OPT_SENSOR, NULL, 0, NULL, NULL},
    {O_SOURCES, "sources", 0, NULL, "Also write one record per attack source."},
    {MT_OPT_STATS, NULL, 0, NULL,
     "Print reader and engine counters to stderr: events, sources,\nsessions, campaigns, joins, unknowns, memory, seconds."},
    {MT_OPT_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_NO_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_STRICT, NULL, 0, NULL,
     "Treat a damaged or unreadable input as an error: exit status\n2 instead of a warning."},
    {0, NULL, 0, NULL, "Help"},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

#define MAX_SCANS 64

typedef struct botnet_args {
    const char *geoip, *asn, *recog, *format;
    const char *scans[MAX_SCANS];
    int n_scans, sources;
    unsigned long min_sources, year, top, min_creds;
    double jaccard;
} botnet_args;

static int botnet_opt(void *ctx, int id, const char *arg)
{
    botnet_args *a = ctx;
    const mt_cli_cmd *cmd = &mt_cli_botnet;
    switch (id) {
    case O_GEOIP: a->geoip = arg; return 0;
    case O_ASN: a->asn = arg; return 0;
    case O_RECOG: a->recog = arg; return 0;
    case O_SCAN:
        if (a->n_scans == MAX_SCANS) return mt_cli_usage(cmd, "at most %d --scan", MAX_SCANS);
        a->scans[a->n_scans++] = arg;
        return 0;
    case O_MIN_SOURCES:
        if (mt_cli_uint(cmd, "--min-sources", arg, 1UL << 24, &a->min_sources)) return MT_EXIT_ERROR;
        if (!a->min_sources) return mt_cli_usage(cmd, "--min-sources wants 1..%lu", 1UL << 24);
        return 0;
    case O_MIN_CREDS:
        if (mt_cli_uint(cmd, "--min-credentials", arg, 1UL << 20, &a->min_creds)) return MT_EXIT_ERROR;
        if (!a->min_creds) return mt_cli_usage(cmd, "--min-credentials wants 1..%lu", 1UL << 20);
        return 0;
    case O_TOP:
        if (mt_cli_uint(cmd, "--top", arg, 1UL << 20, &a->top)) return MT_EXIT_ERROR;
        if (!a->top) return mt_cli_usage(cmd, "--top wants 1..%lu", 1UL << 20);
        return 0;
    case O_YEAR:
        if (mt_cli_uint(cmd, "--year", arg, 9999, &a->year)) return MT_EXIT_ERROR;
        if (a->year < 1970) return mt_cli_usage(cmd, "--year wants 1970..9999");
        return 0;
    case O_FORMAT: a->format = arg; return 0;
    case O_SOURCES: a->sources = 1; return 0;
    case O_JACCARD: {
        char *end;
        errno = 0;
        double v = strtod(arg, &end);
        if (errno || end == arg || *end || !(v >= 0.05 && v <= 1.0))
            return mt_cli_usage(cmd, "--jaccard wants a number 0.05..1, not '%s'", arg);
        a->jaccard = v;
        return 0;
    }
    }
    return MT_EXIT_ERROR;
}

/* Is NAME one of the readers? The list is "a, b, c". */
static int known_format(const char *name)
{
    const char *list = mt_honey_format_names();
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t w = strcspn(p, ", ");
        if (w == n && strncmp(p, name, n) == 0) return 1;
        p += w;
        p += strspn(p, ", ");
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void print_reader(const char *in, const mt_ingest_stats *st)
{
    fprintf(stderr, "minetrace botnet: %s: %s, %llu records, %llu used, %llu events, %llu malformed, "
                    "%llu unknown, %.1f MB\n",
            in, st->format[0] ? st->format : "?", (unsigned long long)st->records,
            (unsigned long long)st->used, (unsigned long long)st->events,
            (unsigned long long)st->malformed, (unsigned long long)st->unknown, (double)st->bytes / 1e6);
}

static void print_stats(const mt_botnet_stats *s, double secs, uint64_t inputs_bad)
{
    fprintf(stderr,
            "minetrace botnet: events %llu (without a source %llu), sources %llu, sessions %llu, "
            "%.0f events/s\n",
            (unsigned long long)s->events, (unsigned long long)s->events_nosrc, (unsigned long long)s->sources,
            (unsigned long long)s->sessions, secs > 0 ? (double)s->events / secs : 0.0);
    fprintf(stderr,
            "minetrace botnet: campaigns %llu (mining %llu) of %llu sources; joins: marker %llu, "
            "similarity %llu (%llu pairs compared)\n",
            (unsigned long long)s->campaigns, (unsigned long long)s->mining_campaigns,
            (unsigned long long)s->clustered_sources, (unsigned long long)s->marker_joins,
            (unsigned long long)s->similarity_joins, (unsigned long long)s->lsh_candidates);
    fprintf(stderr,
            "minetrace botnet: unknown among campaign members: country %llu, ASN %llu; scanned %llu; "
            "list entries dropped %llu; inputs not read %llu\n",
            (unsigned long long)s->geo_unknown, (unsigned long long)s->asn_unknown,
            (unsigned long long)s->scanned, (unsigned long long)s->dropped_lists,
            (unsigned long long)inputs_bad);
    fprintf(stderr, "minetrace botnet: memory %.1f MiB (%.0f bytes per source), %.2f s\n",
            (double)s->memory / 1048576.0, s->sources ? (double)s->memory / (double)s->sources : 0.0, secs);
}

typedef struct enrich {
    mt_geoip *geo, *asn;
    mt_recog *recog;
    mt_scanres *scans;
} enrich;

static void enrich_free(enrich *e)
{
    if (e->geo) mt_geoip_close(e->geo);
    if (e->asn) mt_geoip_close(e->asn);
    if (e->recog) mt_recog_free(e->recog);
    if (e->scans) mt_scanres_free(e->scans);
}

/* Databases and scans; MT_EXIT_ERROR after saying why, else 0. */
static int enrich_open(const mt_cli_common *co, const botnet_args *a, enrich *e, unsigned *damaged)
{
    const mt_cli_cmd *cmd = &mt_cli_botnet;
    if (a->geoip && !(e->geo = mt_geoip_open(a->geoip)))
        return mt_cli_error(cmd, "--geoip %s: %s", a->geoip, mt_error_msg());
    if (a->asn && !(e->asn = mt_geoip_open(a->asn)))
        return mt_cli_error(cmd, "--asn %s: %s", a->asn, mt_error_msg());
    if (a->recog) {
        e->recog = mt_recog_new();
        if (mt_recog_load(e->recog, a->recog) != MT_OK)
            return mt_cli_error(cmd, "--recog %s: %s", a->recog, mt_error_msg());
        if (mt_recog_rejected(e->recog) && !co->quiet)
            fprintf(stderr, "minetrace botnet: --recog %s: %zu fingerprints, %zu regexes refused\n", a->recog,
                    mt_recog_count(e->recog), mt_recog_rejected(e->recog));
    }
    if (a->n_scans) e->scans = mt_scanres_new();
    for (int i = 0; i < a->n_scans; i++) {
        mt_ingest_stats st;
        memset(&st, 0, sizeof st);
        if (mt_scanres_load(e->scans, a->scans[i], &st) != MT_OK)
            return mt_cli_error(cmd, "--scan %s: %s", a->scans[i], st.error[0] ? st.error : mt_error_msg());
        if (st.malformed) {
            (*damaged)++;
            mt_cli_damaged(co, a->scans[i], st.n_malformed_lines ? st.malformed_lines[0] : 0,
                           "%llu malformed record%s skipped", (unsigned long long)st.malformed,
                           st.malformed == 1 ? "" : "s");
        }
    }
    return 0;
}

static int botnet(const mt_cli_common *co, botnet_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_botnet;
    double t0 = now_s();
    unsigned errors = 0, damaged = 0;
    enrich e;
    memset(&e, 0, sizeof e);
    if (enrich_open(co, a, &e, &damaged)) {
        enrich_free(&e);
        return MT_EXIT_ERROR;
    }
    mt_botnet_sink *sinks[2];
    size_t n_sinks = 0;
    if (co->output && strcmp(co->output, "-") != 0) {
        FILE *f = fopen(co->output, "w");
        if (!f) {
            mt_cli_error(cmd, "cannot write %s: %s", co->output, strerror(errno));
            enrich_free(&e);
            return MT_EXIT_ERROR;
        }
        sinks[n_sinks++] = mt_botnet_sink_jsonl_new(f, 1);
    } else {
        sinks[n_sinks++] = mt_botnet_sink_jsonl_new(stdout, 0);
    }
    if (co->db) {
        mt_store *st = mt_store_open(co->db, &(mt_store_opts){.flags = MT_STORE_CREATE, .sensor = co->sensor});
        if (!st) {
            char shown[512];
            mt_cli_error(cmd, "--db %s: %s", mt_store_display_name(co->db, shown, sizeof shown), mt_error_msg());
            for (size_t i = 0; i < n_sinks; i++) sinks[i]->close(sinks[i]);
            enrich_free(&e);
            return MT_EXIT_ERROR;
        }
        sinks[n_sinks++] = mt_store_botnet_sink_new(st, 1); /* the sink commits and closes it */
    }
    int progress = mt_cli_progress(co);
    mt_botnet_opts bo = {.min_sources = (unsigned)a->min_sources, .jaccard = a->jaccard,
                         .min_credentials = (unsigned)a->min_creds, .want_sources = a->sources,
                         .top_credentials = a->top, .geo = e.geo, .asn = e.asn, .scans = e.scans,
                         .recog = e.recog, .progress = progress, .progress_out = stderr};
    mt_botnet *b = mt_botnet_new(&bo);
    mt_honey_sink hs = mt_botnet_honey_sink(b);
    mt_honey_opts ho = {.format = a->format, .year = (int)a->year, .progress = progress,
                        .progress_out = stderr};
    uint64_t not_read = 0, read_ok = 0;
    for (int i = 0; i < co->nargs; i++) {
        const char *in = co->args[i];
        mt_ingest_stats st;
        memset(&st, 0, sizeof st);
        int rc = mt_honey_read_file(in, &ho, &hs, &st);
        if (co->stats) print_reader(in, &st);
        if (rc != MT_OK && st.records == 0 && st.bytes == 0) {
            /* Not fatal: the other inputs still count; --strict makes it so. */
            not_read++;
            damaged++;
            mt_cli_damaged(co, in, 0, "not read: %s", st.error[0] ? st.error : mt_error_msg());
            continue;
        }
        read_ok++;
        if (rc != MT_OK || st.malformed) {
            damaged++;
            mt_cli_damaged(co, in, st.n_malformed_lines ? st.malformed_lines[0] : 0,
                           "%llu malformed record%s skipped%s%s", (unsigned long long)st.malformed,
                           st.malformed == 1 ? "" : "s", st.error[0] ? "; " : "", st.error);
        }
    }
    if (!read_ok) errors++;
    int rc = mt_botnet_finish(b, sinks, n_sinks);
    if (rc != MT_OK) {
        mt_cli_error(cmd, "writing the records: %s", mt_error_msg());
        errors++;
    }
    mt_botnet_stats bs;
    mt_botnet_stats_get(b, &bs);
    if (co->stats) print_stats(&bs, now_s() - t0, not_read);
    for (size_t i = 0; i < n_sinks; i++) sinks[i]->close(sinks[i]);
    mt_botnet_free(b);
    enrich_free(&e);
    if (!read_ok) mt_cli_error(cmd, "no input could be read");
    if (fflush(stdout) != 0) errors++;
    return mt_cli_exit(co, errors, damaged, bs.mining_campaigns);
}

static int run(int argc, char **argv)
{
    botnet_args a;
    memset(&a, 0, sizeof a);
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_botnet, argc, argv, &co, botnet_opt, &a);
    if (rc < 0 && co.nargs == 0)
        rc = mt_cli_usage(&mt_cli_botnet, "no input: give honeypot or authentication logs");
    if (rc < 0 && a.format && !known_format(a.format))
        rc = mt_cli_usage(&mt_cli_botnet, "unknown format '%s' (one of: %s)", a.format, mt_honey_format_names());
    if (rc < 0) rc = botnet(&co, &a);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_botnet = {
    .name = "botnet",
    .summary = "find mining botnets in honeypot and brute-force logs",
    .run = run,
    .synopsis = "botnet [OPTIONS] INPUT...",
    .description =
"Joins the attack sources of honeypot and authentication logs into\n"
"campaigns and says which campaigns mine cryptocurrency. Each INPUT is\n"
"recognised by its content (gzip accepted; - is standard input):\n"
"  cowrie          Cowrie JSON logs, SSH and Telnet, every version\n"
"  login-csv       the killchain login-attempt CSV feed\n"
"  attack-pattern  per-IP attack-pattern JSON (one object keyed by IP)\n"
"  authlog         OpenSSH auth.log or journal text\n"
"  daily-top       Cowrie daily top-N aggregates (credentials only: they\n"
"                  have no source addresses)\n"
"\n"
"Sources are joined first by exact markers: a planted SSH key and its\n"
"comment, a file hash, a download host or URL, an uploaded file name, a\n"
"wallet, a pool, a rare marker credential (345gs5662d34). Then by the\n"
"similarity of their credential sets: MinHash signatures of 64 values,\n"
"LSH with 32 bands of 2 rows at the default threshold 0.5 (more rows for\n"
"higher thresholds), pairs joined when the estimated Jaccard index\n"
"reaches --jaccard; only sources with --min-credentials distinct\n"
"credentials take part. A campaign is a joined group of at least\n"
"--min-sources sources; its id (\"c-\" and 16 hex digits) comes from its\n"
"most shared marker and is the same on every run over the same input.\n"
"Its verdict (mining or not, family) comes from its members' commands,\n"
"downloads and uploads; grepping for rival miners is not mining.\n"
"\n"
"Each campaign is one JSON line with event_type \"campaign\"; with\n"
"--sources each source and then the top credentials follow\n"
"(event_type \"source\", \"credential\"; docs/FINDINGS.md). Members\n"
"without a GeoIP answer, a scan or device evidence are counted as\n"
"unknown, not guessed.",
    .opts = botnet_opts,
    .exit_none = "The inputs were read and no campaign mines.",
    .exit_found = "At least one mining campaign was found.",
    .reads_inputs = 1,
    .exit_notes = "An input that cannot be read at all is named in a warning and\n"
                  "skipped (an error with --strict); when no input can be read the exit\n"
                  "status is 2, as when the --db store or -o file cannot be written.",
    .examples = "minetrace botnet cowrie.json.2023-11-*\n"
                "minetrace botnet --geoip country.mmdb --sources -o out.json logs/*.gz\n"
                "minetrace botnet --scan hosts.xml --recog recog/xml --db bot.db feed.csv\n"
                "minetrace botnet --year 2024 --stats /var/log/auth.log",
    .see_also = "minetrace(1), minetrace-report(1), docs/FINDINGS.md, docs/STORE.md",
};
