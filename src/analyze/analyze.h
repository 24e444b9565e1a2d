/* The `minetrace report` analyses: one model (mt_report) computed from a
 * findings store and rendered by src/report/.
 *
 * The counting is the store's: the analyses ask it for aggregates
 * (mt_store_summary_get, mt_store_top_get in include/minetrace/store.h:
 * totals, per-host counts, findings and distinct hosts per period, family,
 * kind, port, top values), which a database server computes where the data
 * is and the SQLite backend in one pass over its covering index (why:
 * docs/STORE.md). What stays here is what is not SQL: the periods of the
 * report's calendar and time zone (handed to the store as a map from time
 * to bucket), ranking and shares, the join with the asset inventory, the
 * price series and the statistics.
 * Definitions of every number: docs/REPORT.md. */
#ifndef MT_ANALYZE_ANALYZE_H
#define MT_ANALYZE_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/period.h"
#include "analyze/prices.h"
#include "minetrace/common.h"
#include "minetrace/store.h"

#define MT_REP_MAX_PRICES 4
#define MT_REP_LAGS 7      /* -3 .. +3 months */
#define MT_REP_NRANGES 66  /* 0-999 .. 65000-65535 */

enum {
    MT_AN_ACTIVITY = 1,
    MT_AN_MIX = 2,
    MT_AN_PORTS = 4,
    MT_AN_VICTIMS = 8,
    MT_AN_MARKET = 16,
    MT_AN_TOP = 32,
    MT_AN_ALL = 63
};

/* The HTML activity chart's count axis: logarithmic when the busiest
 * period holds more than MT_SCALE_AUTO_RATIO times the median of the
 * periods with findings (one busy month would flatten the rest), or as
 * asked (report --chart-scale). */
typedef enum { MT_SCALE_AUTO = 0, MT_SCALE_LINEAR, MT_SCALE_LOG } mt_chart_scale;
#define MT_SCALE_AUTO_RATIO 20

typedef struct mt_rep_opts {
    const char *db_path;          /* the store: a path or URI (mt_store_open) */
    mt_period_unit by;
    mt_tz tz;
    int has_from, has_to;
    mt_time_us from, to;          /* [from, to) in UTC microseconds */
    const char *assets_path;
    const char *price_paths[MT_REP_MAX_PRICES];
    int nprices;
    mt_price_opts price_opts;
    unsigned analyses;            /* MT_AN_* bits; 0 = all */
    int top_n;                    /* rows of the top tables; 0 = 10 */
    int no_index;                 /* open read-only: the store builds no index */
    int chart_scale;              /* mt_chart_scale */
    mt_store_sensors sensors;     /* report --sensor: every number is of these sensors (n = 0: all) */
} mt_rep_opts;

/* One row of a ranked table. */
typedef struct mt_rep_row {
    char *name;
    uint64_t findings, hosts, orgs;
    double share;                 /* of the table's `total` */
} mt_rep_row;

typedef struct mt_rep_table {
    mt_rep_row *v;
    size_t n;                     /* rows kept */
    size_t distinct;              /* distinct names before the top-N cut */
    uint64_t total;               /* denominator of `share` */
} mt_rep_table;

typedef struct mt_rep_period {
    int64_t key, first_day;       /* period key; its first local day */
    char label[16];
    uint64_t findings, hosts;     /* mining findings; distinct mining hosts */
} mt_rep_period;

typedef struct mt_rep_lag {
    int lag;                      /* activity(m) vs price(m + lag) */
    size_t n;                     /* months with both values */
    double pearson, pearson_p, spearman, spearman_p; /* NaN when undefined */
} mt_rep_lag;

typedef struct mt_rep_market {
    mt_price_series series;
    mt_rep_lag lags[MT_REP_LAGS];
    double *month_price;          /* per report month (NaN = no price) */
} mt_rep_market;

typedef struct mt_report {
    unsigned analyses;
    int chart_scale;              /* mt_chart_scale, as asked */
    mt_period_unit by;
    char tz[64];
    mt_time_us from, to;          /* effective range [from, to) */
    int empty;                    /* no findings in range */
    const char *scan_path;        /* how the store read ("covering-index", "table-scan") */
    double ms_pass_a, ms_pass_b;  /* time of the summary and the top values */

    uint64_t findings_total, findings_mining, findings_precursor;
    uint64_t hosts_all, hosts_mining;

    /* Activity. */
    mt_rep_period *periods;
    size_t nperiods;
    mt_rep_period *months;        /* always monthly, for the market */
    size_t nmonths;

    /* Behaviour mix (all findings, mining and precursor). */
    mt_rep_table families, kinds, behaviours;

    /* Ports (mining findings, kind != dns, dest_port > 0). */
    uint64_t port_findings, port_hosts;
    uint64_t p80, p443, p80_hosts, p443_hosts;
    mt_rep_table ports;           /* top ports other than 80 and 443 */
    uint64_t ranges[MT_REP_NRANGES];
    uint64_t ranges_total;        /* findings on ports other than 80/443 */
    size_t distinct_ports;

    /* Victims (hosts with mining findings). */
    int have_assets;
    size_t asset_entries, asset_bad, asset_dup, asset_bad_size;
    mt_csv_skips asset_skips;       /* the skipped inventory rows, named */
    mt_rep_table sectors, sizes;  /* hosts, orgs, findings per bucket */
    uint64_t victims, victims_known, victims_sme, orgs_known;

    /* Market. */
    mt_rep_market market[MT_REP_MAX_PRICES];
    int nmarket;

    /* Top tables (mining findings). */
    mt_rep_table pools, wallets, agents, hosts;

    /* Per sensor (the store's MT_SQ_SENSORS rows in range: most findings
     * first), and the selected names with no finding in range. */
    mt_store_sensor_row *sensors;
    size_t nsensors;
    const char **unmatched;       /* point into mt_rep_opts.sensors */
    size_t nunmatched;
} mt_report;

int mt_report_compute(const mt_rep_opts *o, mt_report *r);
void mt_report_free(mt_report *r);
/* Parse "activity,mix,ports,victims,market,top" (or "all"). */
int mt_analyses_parse(const char *s, unsigned *out);

#endif
