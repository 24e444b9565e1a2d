/* minetrace report: the yearly-study analyses over a findings database.
 * Parses options, computes the model (analyze/analyze.h), turns it into
 * report sections (report/sections.h) and hands them to one renderer
 * (report/render.h). Definitions: docs/REPORT.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "commands.h"
#include "report/render.h"
#include "report/sections.h"

static void usage(FILE *out)
{
    fputs(
"Usage: minetrace report --db FILE [--by day|week|month] [--from D] [--to D]\n"
"                        [--tz ZONE] [--assets FILE] [--prices FILE]...\n"
"                        [--json | --csv DIR | --html FILE]\n"
"\n"
"Compute the yearly-study analyses from the findings stored by `scan` or\n"
"`ingest`, over a period, and print them as terminal tables (default),\n"
"JSON, one CSV file per table, or one self-contained HTML page with charts.\n"
"\n"
"Analyses (all by default; pick some with --only LIST):\n"
"  activity  Mining findings and distinct mining hosts (src_ip) per day,\n"
"            ISO week (Monday-Sunday, labelled 2018-W05) or month.\n"
"  mix       Behaviour mix: share of ALL findings (mining and precursor) per\n"
"            family (monero-miner, wannamine, browser-miner, ...), per kind\n"
"            (dns = pool-domain lookups, stratum sessions, tls, http, smb, ...)\n"
"            and per family/kind pair, with distinct hosts of each.\n"
"  ports     Mining connections = mining findings with dest_port > 0, except\n"
"            kind dns (a lookup has no mining port). Ports 80 and 443 are\n"
"            reported apart; top other ports; share of findings per 1000-wide\n"
"            range (0-999, 1000-1999, ...) among ports other than 80/443.\n"
"  victims   Hosts with mining findings joined to --assets (longest prefix\n"
"            match): hosts and organisations by sector and by size class;\n"
"            hosts not in the inventory form the 'unknown' bucket.\n"
"  market    Monthly mining findings vs the monthly mean of each --prices\n"
"            series: Pearson r and Spearman rho for lags -3..+3 (activity of\n"
"            month m vs price of month m+lag), months used (n), and two-sided\n"
"            p-values from Student's t with n-2 degrees of freedom.\n"
"  top       Top pools, wallets, agents (mining findings naming one) and top\n"
"            hosts by mining findings.\n"
"\n"
"Options:\n"
"  --db FILE             findings database (required)\n"
"  --by UNIT             day, week (ISO) or month (default month)\n"
"  --from D, --to D      range, inclusive: YYYY, YYYY-MM, YYYY-MM-DD or\n"
"                        YYYY-MM-DDTHH:MM[:SS] (a time in --to is exclusive);\n"
"                        default: the first to the last stored finding\n"
"  --tz ZONE             calendar for dates and periods: UTC (default), a\n"
"                        fixed offset +HH:MM, or an IANA name (Europe/Berlin)\n"
"  --assets FILE         CSV network,organisation,sector,size (network = IP\n"
"                        or CIDR; size = small, medium or large)\n"
"  --prices FILE         CSV date,price (daily or monthly; up to 4 files);\n"
"                        'null' prices are skipped and counted\n"
"  --price-date-col C    date column of --prices, by name or 1-based number\n"
"  --price-col C         price column (default: 'price', else the first\n"
"                        column whose name contains 'price', else 'close')\n"
"  --only LIST           comma-separated analyses (activity,mix,ports,victims,\n"
"                        market,top)\n"
"  --top N               rows in the top tables (default 10)\n"
"  --json                JSON on stdout\n"
"  --csv DIR             one CSV file per table into DIR\n"
"  --html FILE           one self-contained HTML file with SVG charts\n"
"  --no-index            do not create the covering indexes mt_report_scan and\n"
"                        mt_report_top\n"
"                        (report then scans the whole table; see docs/REPORT.md)\n"
"  -h, --help            this text\n", out);
}

int mt_cmd_report(int argc, char **argv)
{
    enum { O_DB = 256, O_BY, O_FROM, O_TO, O_TZ, O_ASSETS, O_PRICES, O_PDATE, O_PCOL, O_ONLY,
           O_TOP, O_JSON, O_CSV, O_HTML, O_NOINDEX };
    static const struct option opts[] = {
        {"db", required_argument, NULL, O_DB},
        {"by", required_argument, NULL, O_BY},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"tz", required_argument, NULL, O_TZ},
        {"assets", required_argument, NULL, O_ASSETS},
        {"prices", required_argument, NULL, O_PRICES},
        {"price-date-col", required_argument, NULL, O_PDATE},
        {"price-col", required_argument, NULL, O_PCOL},
        {"only", required_argument, NULL, O_ONLY},
        {"top", required_argument, NULL, O_TOP},
        {"json", no_argument, NULL, O_JSON},
        {"csv", required_argument, NULL, O_CSV},
        {"html", required_argument, NULL, O_HTML},
        {"no-index", no_argument, NULL, O_NOINDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    mt_rep_opts o;
    memset(&o, 0, sizeof o);
    o.by = MT_BY_MONTH;
    const char *from = NULL, *to = NULL, *tz = NULL, *csv = NULL, *html = NULL;
    int json = 0, c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: o.db_path = optarg; break;
        case O_BY:
            if (mt_period_unit_parse(optarg, &o.by)) goto bad;
            break;
        case O_FROM: from = optarg; break;
        case O_TO: to = optarg; break;
        case O_TZ: tz = optarg; break;
        case O_ASSETS: o.assets_path = optarg; break;
        case O_PRICES:
            if (o.nprices == MT_REP_MAX_PRICES) {
                fprintf(stderr, "minetrace report: at most %d --prices files\n", MT_REP_MAX_PRICES);
                return 2;
            }
            o.price_paths[o.nprices++] = optarg;
            break;
        case O_PDATE: o.price_opts.date_col = optarg; break;
        case O_PCOL: o.price_opts.price_col = optarg; break;
        case O_ONLY:
            if (mt_analyses_parse(optarg, &o.analyses)) goto bad;
            break;
        case O_TOP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100000) {
                fprintf(stderr, "minetrace report: --top wants 1..100000\n");
                return 2;
            }
            o.top_n = (int)v;
            break;
        }
        case O_JSON: json = 1; break;
        case O_CSV: csv = optarg; break;
        case O_HTML: html = optarg; break;
        case O_NOINDEX: o.no_index = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "minetrace report: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!o.db_path) {
        fprintf(stderr, "minetrace report: --db FILE is required\n\n");
        usage(stderr);
        return 2;
    }
    if (json + (csv != NULL) + (html != NULL) > 1) {
        fprintf(stderr, "minetrace report: choose one of --json, --csv, --html\n");
        return 2;
    }
    if (mt_tz_parse(tz, &o.tz)) goto bad;
    if (from) {
        if (mt_date_bound_parse(from, &o.tz, 0, &o.from)) goto bad;
        o.has_from = 1;
    }
    if (to) {
        if (mt_date_bound_parse(to, &o.tz, 1, &o.to)) goto bad;
        o.has_to = 1;
    }
    if (o.has_from && o.has_to && o.to <= o.from) {
        fprintf(stderr, "minetrace report: --to is before --from\n");
        return 2;
    }

    mt_report r;
    if (mt_report_compute(&o, &r)) {
        fprintf(stderr, "minetrace report: %s\n", mt_error_msg());
        return 1;
    }
    int rc = 0;
    mt_rdoc doc;
    mt_rdoc_init(&doc);
    mt_traffic_sections(&r, &doc);
    if (csv) {
        if (mt_render_csv(&doc, csv)) {
            fprintf(stderr, "minetrace report: %s\n", mt_error_msg());
            rc = 1;
        }
    } else {
        mt_buf b;
        mt_buf_init(&b);
        if (json) mt_render_json(&doc, &b);
        else if (html) mt_render_html(&doc, &b);
        else mt_render_text(&doc, &b);
        FILE *out = html ? fopen(html, "wb") : stdout;
        if (!out) {
            fprintf(stderr, "minetrace report: cannot write %s\n", html);
            rc = 1;
        } else {
            if (fwrite(b.p ? b.p : "", 1, b.len, out) != b.len) rc = 1;
            if (html ? fclose(out) != 0 : fflush(out) != 0) rc = 1;
            if (rc) fprintf(stderr, "minetrace report: write failed\n");
        }
        mt_buf_free(&b);
    }
    mt_rdoc_free(&doc);
    mt_report_free(&r);
    return rc;
bad:
    fprintf(stderr, "minetrace report: %s\n", mt_error_msg());
    return 2;
}
