/* minetrace report: the yearly-study analyses over a findings database.
 * Parses options, computes the model (analyze/analyze.h), turns it into
 * report sections (report/sections.h) and hands them to one renderer
 * (report/render.h). Definitions: docs/REPORT.md. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "commands.h"
#include "minetrace/store.h"
#include "report/render.h"
#include "report/sections.h"

enum { O_BY = MT_OPT_OWN, O_FROM, O_TO, O_TZ, O_ASSETS, O_PRICES, O_PDATE, O_PCOL, O_ONLY,
       O_TOP, O_CSV, O_HTML, O_NOINDEX, O_RANKS, O_SCALE, O_BYSENSOR };

static const mt_cli_opt report_opts[] = {
    {0, NULL, 0, NULL, "Input"},
    {MT_OPT_DB, NULL, 0, NULL, "The findings database (required), as written by scan --db\nor ingest."},
    {MT_OPT_SENSOR_SELECT, NULL, 0, NULL,
     "Only the rows of sensor NAME, for every number of the report\n"
     "(traffic, web, botnet, the default range). Repeatable or\n"
     "comma-separated (a,b); default: every sensor."},
    {O_BY, "by", 0, "UNIT", "Period: day, week (ISO) or month (default month)."},
    {O_FROM, "from", 0, "D",
     "Start of the range, inclusive: YYYY, YYYY-MM, YYYY-MM-DD or\n"
     "YYYY-MM-DDTHH:MM[:SS]; default: the first stored finding."},
    {O_TO, "to", 0, "D",
     "End of the range, inclusive (a time in --to is exclusive);\n"
     "same forms; default: the last stored finding."},
    {O_TZ, "tz", 0, "ZONE",
     "Calendar for dates and periods: UTC (default), a fixed\n"
     "offset +HH:MM, or an IANA name (Europe/Berlin)."},
    {O_ASSETS, "assets", 0, "FILE",
     "CSV network,organisation,sector,size (network = IP or CIDR;\n"
     "size = small, medium or large)."},
    {O_PRICES, "prices", 0, "FILE",
     "CSV date,price (daily or monthly; up to 4 files); 'null'\nprices are skipped and counted."},
    {O_PDATE, "price-date-col", 0, "C", "Date column of --prices, by name or 1-based number."},
    {O_PCOL, "price-col", 0, "C",
     "Price column (default: 'price', else the first column whose\n"
     "name contains 'price', else 'close')."},
    {0, NULL, 0, NULL, "Analyses"},
    {O_ONLY, "only", 0, "LIST", "Comma-separated analyses (activity,mix,ports,victims,\nmarket,top)."},
    {O_TOP, "top", 0, "N", "Rows in the top tables (1..100000, default 10)."},
    {O_RANKS, "rank-intervals", 0, "LIST",
     "Website study: upper edges of the rank intervals, increasing\n"
     "(default 10000,100000,1000000: 1-10k, 10k-100k, 100k-1M, >1M,\n"
     "and unranked)."},
    {O_BYSENSOR, "by-sensor", 0, NULL,
     "Always show the Sensors section (findings, hosts, first and\n"
     "last day per sensor); by default it is shown when the range\n"
     "holds more than one sensor."},
    {O_NOINDEX, "no-index", 0, NULL,
     "Do not create the covering indexes mt_report_scan and\n"
     "mt_report_top (report then scans the whole table; see\ndocs/REPORT.md)."},
    {0, NULL, 0, NULL, "Output"},
    {MT_OPT_OUTPUT, NULL, 0, NULL, "Write the text or JSON report to FILE instead of standard\noutput."},
    {MT_OPT_JSON, NULL, 0, NULL, "JSON instead of terminal tables."},
    {O_CSV, "csv", 0, "DIR", "One CSV file per table into DIR (created if missing)."},
    {O_HTML, "html", 0, "FILE", "One self-contained HTML file with SVG charts."},
    {O_SCALE, "chart-scale", 0, "S",
     "Count axis of the HTML activity chart: auto (default: log\n"
     "when the busiest period has over 20 times the median of the\n"
     "periods with findings), linear or log."},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_STRICT, NULL, 0, NULL,
     "Treat skipped rows of --assets or --prices files as an error\n(exit status 2)."},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

typedef struct report_args {
    mt_rep_opts o;
    const char *from, *to, *tz, *csv, *html;
    int by_sensor;
    mt_store_web_query web;   /* the website study (when the store holds web findings) */
} report_args;

/* --rank-intervals 10000,100000,1000000 */
static int parse_rank_edges(const char *arg, mt_store_web_query *q)
{
    const mt_cli_cmd *cmd = &mt_cli_report;
    size_t n = 0;
    const char *p = arg;
    for (;;) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || errno || v < 1 || v > 4000000000ULL || (*end && *end != ',') || *p == '-' || *p == '+')
            return mt_cli_usage(cmd, "--rank-intervals wants increasing ranks like 10000,100000,1000000");
        if (n == MT_STORE_WEB_MAX_EDGES)
            return mt_cli_usage(cmd, "--rank-intervals: at most %d edges", MT_STORE_WEB_MAX_EDGES);
        if (n && v <= q->edges[n - 1])
            return mt_cli_usage(cmd, "--rank-intervals: the edges must increase (%llu after %u)", v,
                                (unsigned)q->edges[n - 1]);
        q->edges[n++] = (uint32_t)v;
        if (!*end) break;
        p = end + 1;
    }
    q->nedges = n;
    return 0;
}

/* Parse errors of the analyze layer are in mt_error_msg(). */
static int report_opt(void *ctx, int id, const char *arg)
{
    report_args *a = ctx;
    const mt_cli_cmd *cmd = &mt_cli_report;
    mt_rep_opts *o = &a->o;
    unsigned long v;
    switch (id) {
    case O_BY:
        if (mt_period_unit_parse(arg, &o->by)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        return 0;
    case O_FROM: a->from = arg; return 0;
    case O_TO: a->to = arg; return 0;
    case O_TZ: a->tz = arg; return 0;
    case O_ASSETS: o->assets_path = arg; return 0;
    case O_PRICES:
        if (o->nprices == MT_REP_MAX_PRICES)
            return mt_cli_usage(cmd, "at most %d --prices files", MT_REP_MAX_PRICES);
        o->price_paths[o->nprices++] = arg;
        return 0;
    case O_PDATE: o->price_opts.date_col = arg; return 0;
    case O_PCOL: o->price_opts.price_col = arg; return 0;
    case O_ONLY:
        if (mt_analyses_parse(arg, &o->analyses)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        return 0;
    case O_TOP:
        if (mt_cli_uint(cmd, "--top", arg, 100000, &v)) return MT_EXIT_ERROR;
        if (v < 1) return mt_cli_usage(cmd, "--top wants 1..100000");
        o->top_n = (int)v;
        return 0;
    case O_CSV: a->csv = arg; return 0;
    case O_HTML: a->html = arg; return 0;
    case O_NOINDEX: o->no_index = 1; return 0;
    case O_BYSENSOR: a->by_sensor = 1; return 0;
    case O_SCALE:
        if (!strcmp(arg, "auto")) o->chart_scale = MT_SCALE_AUTO;
        else if (!strcmp(arg, "linear")) o->chart_scale = MT_SCALE_LINEAR;
        else if (!strcmp(arg, "log")) o->chart_scale = MT_SCALE_LOG;
        else return mt_cli_usage(cmd, "--chart-scale wants auto, linear or log");
        return 0;
    case O_RANKS: return parse_rank_edges(arg, &a->web);
    }
    return MT_EXIT_ERROR;
}

/* The range and zone options, once all are known. */
static int check_args(const mt_cli_common *co, report_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_report;
    mt_rep_opts *o = &a->o;
    if (co->nargs) return mt_cli_usage(cmd, "unexpected argument '%s'", co->args[0]);
    if (!co->db) return mt_cli_usage(cmd, "--db FILE is required");
    o->db_path = co->db;
    o->sensors = (mt_store_sensors){(const char *const *)co->sensors, co->nsensors};
    if (co->json + (a->csv != NULL) + (a->html != NULL) > 1)
        return mt_cli_usage(cmd, "choose one of --json, --csv, --html");
    if (co->output && (a->csv || a->html))
        return mt_cli_usage(cmd, "-o is for the text and JSON report; --csv and --html name their own output");
    if (mt_tz_parse(a->tz, &o->tz)) return mt_cli_usage(cmd, "%s", mt_error_msg());
    if (a->from) {
        if (mt_date_bound_parse(a->from, &o->tz, 0, &o->from)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        o->has_from = 1;
    }
    if (a->to) {
        if (mt_date_bound_parse(a->to, &o->tz, 1, &o->to)) return mt_cli_usage(cmd, "%s", mt_error_msg());
        o->has_to = 1;
    }
    if (o->has_from && o->has_to && o->to <= o->from) return mt_cli_usage(cmd, "--to is before --from");
    return -1;
}

/* With --sensor, a study is in the report when the selected sensors have
 * its rows (in any range), as it is for a store of their own. */
static int selected_web(mt_store *st, const mt_store_sensors *sel)
{
    mt_store_web_query q;
    memset(&q, 0, sizeof q);
    q.sensors = *sel;
    mt_store_web_summary w;
    memset(&w, 0, sizeof w);
    int rc = mt_store_web_summary_get(st, &q, &w);
    if (rc == MT_OK) rc = w.findings > 0;
    mt_store_web_summary_free(&w);
    return rc;
}

static int selected_botnet(mt_store *st, const mt_store_sensors *sel)
{
    mt_store_botnet_query q = {0, 0, 1, 1, 1, *sel};
    mt_store_botnet_summary b;
    memset(&b, 0, sizeof b);
    int rc = mt_store_botnet_summary_get(st, &q, &b);
    if (rc == MT_OK) rc = b.campaigns + b.botnet_sources + b.distinct_credentials > 0;
    mt_store_botnet_summary_free(&b);
    return rc;
}

static int report(const mt_cli_common *co, report_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_report;
    const char *csv = a->csv, *html = a->html;
    int json = co->json;
    mt_report r;
    if (mt_report_compute(&a->o, &r)) return mt_cli_error(cmd, "%s", mt_error_msg());
    unsigned damaged = 0;
    /* Not damage (the store was read whole), but never a silently empty
     * report: the names are also in the Sensors section. */
    for (size_t i = 0; i < r.nunmatched && !co->quiet; i++) {
        char shown[MT_CLI_SENSOR_MAX + 1];
        mt_strlcpy(shown, r.unmatched[i], sizeof shown);
        fprintf(stderr, "minetrace report: warning: sensor '%s' has no traffic findings in the range\n", shown);
    }
    char named[MT_CSV_SKIP_SHOW * 96];
    if (r.have_assets && r.asset_bad) {
        damaged++;
        mt_csv_skips_str(&r.asset_skips, named, sizeof named);
        mt_cli_damaged(co, a->o.assets_path, 0,
                       "%zu row%s skipped (want network,organisation,sector,size): %s",
                       r.asset_bad, r.asset_bad == 1 ? "" : "s", named);
    }
    for (int i = 0; i < r.nmarket; i++) {
        const mt_price_series *ps = &r.market[i].series;
        if (ps->bad) {
            damaged++;
            mt_csv_skips_str(&ps->skipped, named, sizeof named);
            mt_cli_damaged(co, a->o.price_paths[i], 0,
                           "%zu row%s skipped (no date or price): %s", ps->bad,
                           ps->bad == 1 ? "" : "s", named);
        }
        if (ps->dup_dates.n) {
            /* Not damage: the first row of each date is used, as said. */
            mt_csv_skips_str(&ps->dup_dates, named, sizeof named);
            if (!co->quiet)
                fprintf(stderr, "minetrace report: %s: warning: %zu row%s repeat%s an earlier "
                                "date (the first row of a date is used): %s\n",
                        a->o.price_paths[i], ps->dup_dates.n,
                        ps->dup_dates.n == 1 ? "" : "s", ps->dup_dates.n == 1 ? "s" : "", named);
        }
    }
    /* The website study, when the store holds web findings (a store without
     * them gives the traffic report alone, unchanged). The range applies
     * only when given: the default range is that of the traffic findings. */
    mt_store_web_summary web;
    memset(&web, 0, sizeof web);
    int have_web = 0;
    mt_store_opts so = {MT_STORE_READONLY, NULL};
    mt_store *st = mt_store_open(a->o.db_path, &so);
    if (!st) {
        mt_report_free(&r);
        return mt_cli_error(cmd, "%s", mt_error_msg());
    }
    int present = mt_store_web_present(st);
    if (present > 0 && a->o.sensors.n) present = selected_web(st, &a->o.sensors);
    if (present > 0) {
        a->web.from = a->o.has_from ? a->o.from : INT64_MIN;
        a->web.to = a->o.has_to ? a->o.to : INT64_MAX;
        a->web.min_confidence = MT_STORE_WEB_MIN_CONFIDENCE;
        a->web.top_keys = a->o.top_n > 0 ? (size_t)a->o.top_n : 10;
        a->web.sensors = a->o.sensors;
        present = mt_store_web_summary_get(st, &a->web, &web);
        have_web = present == MT_OK;
    }
    /* The botnet study, likewise, when the store holds botnet records (a
     * database older than version 4 has none). */
    mt_store_botnet_summary bot;
    memset(&bot, 0, sizeof bot);
    int have_bot = 0;
    if (present >= 0) {
        present = mt_store_botnet_present(st);
        if (present > 0 && a->o.sensors.n) present = selected_botnet(st, &a->o.sensors);
        if (present > 0) {
            size_t top = a->o.top_n > 0 ? (size_t)a->o.top_n : 10;
            mt_store_botnet_query bq = {a->o.has_from ? a->o.from : INT64_MIN, a->o.has_to ? a->o.to : INT64_MAX,
                                        top, top, top, a->o.sensors};
            present = mt_store_botnet_summary_get(st, &bq, &bot);
            have_bot = present == MT_OK;
        }
    }
    mt_store_close(st);
    if (present < 0) {
        mt_store_web_summary_free(&web);
        mt_report_free(&r);
        return mt_cli_error(cmd, "%s", mt_error_msg());
    }
    int errors = 0;
    mt_rdoc doc;
    mt_rdoc_init(&doc);
    /* A store of website findings only: the overview (titles, the cards)
     * and the website study, without empty traffic tables. */
    if ((have_web || have_bot) && r.empty && !a->o.has_from && !a->o.has_to) mt_sec_overview(&r, &doc);
    else mt_traffic_sections(&r, &doc);
    if (mt_sec_sensors_wanted(&r, a->by_sensor)) mt_sec_sensors(&r, &doc);
    if (have_web) mt_sec_web(&web, a->web.min_confidence, &doc);
    if (have_bot) mt_sec_botnet(&bot, &doc);
    if (csv) {
        if (mt_render_csv(&doc, csv)) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            errors = 1;
        }
    } else {
        mt_buf b;
        mt_buf_init(&b);
        if (json) mt_render_json(&doc, &b);
        else if (html) mt_render_html(&doc, &b);
        else mt_render_text(&doc, &b);
        const char *path = html ? html : co->output && strcmp(co->output, "-") != 0 ? co->output : NULL;
        FILE *out = path ? fopen(path, "wb") : stdout;
        if (!out) {
            mt_cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
            errors = 1;
        } else {
            if (fwrite(b.p ? b.p : "", 1, b.len, out) != b.len) errors = 1;
            if (path ? fclose(out) != 0 : fflush(out) != 0) errors = 1;
            if (errors) mt_cli_error(cmd, "write failed");
        }
        mt_buf_free(&b);
    }
    /* Mining campaigns count as findings for the exit status. */
    uint64_t findings = (r.empty ? 0 : r.findings_total) + web.findings + bot.mining_campaigns;
    mt_store_web_summary_free(&web);
    mt_store_botnet_summary_free(&bot);
    mt_rdoc_free(&doc);
    mt_report_free(&r);
    return mt_cli_exit(co, (unsigned)errors, damaged, findings);
}

static int run(int argc, char **argv)
{
    report_args a;
    memset(&a, 0, sizeof a);
    a.o.by = MT_BY_MONTH;
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_report, argc, argv, &co, report_opt, &a);
    if (rc < 0) rc = check_args(&co, &a);
    if (rc < 0) rc = report(&co, &a);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_report = {
    .name = "report",
    .summary = "the yearly-study analyses of a findings database",
    .run = run,
    .synopsis = "report --db FILE [--by day|week|month] [--from D] [--to D]\n"
                "       [--tz ZONE] [--assets FILE] [--prices FILE]...\n"
                "       [--sensor NAME[,NAME...]]... [--by-sensor]\n"
                "       [--json | --csv DIR | --html FILE] [OPTIONS]",
    .description =
"Computes the yearly-study analyses from the findings stored by `scan` or\n"
"`ingest`, over a period, and prints them as terminal tables (default),\n"
"JSON, one CSV file per table, or one self-contained HTML page with charts.\n"
"\n"
"Analyses (all by default; pick some with --only LIST):\n"
"  activity  Mining findings and distinct mining hosts (src_ip) per\n"
"            day, ISO week (Monday-Sunday, labelled 2018-W05) or month.\n"
"  mix       Behaviour mix: share of ALL findings (mining and precursor)\n"
"            per family (monero-miner, wannamine, browser-miner, ...),\n"
"            per kind (dns = pool-domain lookups, stratum sessions, tls,\n"
"            http, smb, ...) and per family/kind pair, with distinct\n"
"            hosts of each.\n"
"  ports     Mining connections = mining findings with dest_port > 0,\n"
"            except kind dns (a lookup has no mining port).\n"
"            Ports 80 and 443 are reported apart; top other ports; share\n"
"            of findings per 1000-wide range (0-999, 1000-1999, ...) among\n"
"            ports other than 80/443.\n"
"  victims   Hosts with mining findings joined to --assets (longest\n"
"            prefix match): hosts and organisations by sector and by size\n"
"            class; hosts not in the inventory form the 'unknown' bucket.\n"
"  market    Monthly mining findings vs the monthly mean of each --prices\n"
"            series: Pearson r and Spearman rho for lags -3..+3 (activity\n"
"            of month m vs price of month m+lag), months used (n), and\n"
"            two-sided p-values from Student's t with n-2 degrees of\n"
"            freedom.\n"
"  top       Top pools, wallets, agents (mining findings naming one) and\n"
"            top hosts by mining findings.\n"
"\n"
"When the database holds website findings (minetrace web --db), the\n"
"website study follows: mining sites (domains with a web finding at\n"
"confidence >= 50) by rank interval (--rank-intervals), by category, by\n"
"provider and by kind of evidence, and site-key campaigns (sites per key).\n"
"\n"
"When it holds botnet records (minetrace botnet --db), the botnet study\n"
"follows: campaigns, zombies (members of mining campaigns) per day with\n"
"the peak, per country, with port 22 open and IoT devices (with the\n"
"members each is unknown for), and the credentials tried most.\n"
"\n"
"One store may hold many sensors (scan --sensor NAME, one per customer\n"
"network). --sensor selects some: every number above is then of their\n"
"rows only. The Sensors section breaks the traffic findings down by\n"
"sensor when the range holds more than one (always with --by-sensor); a\n"
"selected sensor without findings in the range is named in a warning.",
    .opts = report_opts,
    .exit_none = "The report was produced; there is no finding in the range (the\n"
                 "tables are empty).",
    .exit_found = "The report was produced with findings in the range.",
    .reads_inputs = 1,
    .exit_notes = "A database that cannot be opened, an --assets or --prices file that\n"
                  "cannot be read and an output that cannot be written are errors (2).\n"
                  "Rows of --assets and --prices files that cannot be used are the\n"
                  "damaged input here: counted in the report and warned about.",
    .examples = "minetrace report --db findings.db\n"
                "minetrace report --db findings.db --by week --from 2018-01 --to 2018-12\n"
                "minetrace report --db f.db --assets a.csv --prices xmr.csv --html r.html\n"
                "minetrace report --db findings.db --only top --top 20 -o top.txt\n"
                "minetrace report --db fleet.db --sensor acme-1,acme-2 --by-sensor",
    .see_also = "minetrace(1), minetrace-scan(1), minetrace-ingest(1), docs/REPORT.md",
};
