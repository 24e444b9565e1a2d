/* JSON output of `minetrace report --json`: one object, one member per
 * analysis computed; shares are fractions (0..1), undefined statistics are
 * null. Every string goes through mt_json_str. */
#include <math.h>

#include "report/render.h"

static void rows(mt_buf *b, const mt_rep_table *t, const char *namekey, int hosts, int orgs)
{
    mt_buf_putc(b, '[');
    for (size_t i = 0; i < t->n; i++) {
        const mt_rep_row *w = &t->v[i];
        if (i) mt_buf_putc(b, ',');
        mt_buf_putc(b, '{');
        mt_json_kv_str(b, 0, namekey, w->name);
        mt_json_kv_int(b, 1, "findings", (long long)w->findings);
        if (hosts) mt_json_kv_int(b, 1, "hosts", (long long)w->hosts);
        if (orgs) mt_json_kv_int(b, 1, "organisations", (long long)w->orgs);
        mt_buf_puts(b, ",\"share\":");
        mt_json_double(b, w->share);
        mt_buf_putc(b, '}');
    }
    mt_buf_putc(b, ']');
}

static void share(mt_buf *b, const char *key, uint64_t part, uint64_t whole)
{
    mt_buf_printf(b, ",\"%s\":", key);
    mt_json_double(b, whole ? (double)part / (double)whole : NAN);
}

static void ranked(mt_buf *b, const char *key, const mt_rep_table *t, const char *namekey,
                   int hosts)
{
    mt_buf_printf(b, "\"%s\":{", key);
    mt_json_kv_int(b, 0, "distinct", (long long)t->distinct);
    mt_json_kv_int(b, 1, "total", (long long)t->total);
    mt_buf_puts(b, ",\"rows\":");
    rows(b, t, namekey, hosts, 0);
    mt_buf_putc(b, '}');
}

void mt_render_json(const mt_report *r, mt_buf *b)
{
    char from[16], to[16];
    mt_report_days(r, from, to, sizeof from);
    mt_buf_puts(b, "{\"report\":{");
    mt_json_kv_str(b, 0, "from", from);
    mt_json_kv_str(b, 1, "to", to);
    mt_json_kv_int(b, 1, "from_us", (long long)r->from);
    mt_json_kv_int(b, 1, "to_us", (long long)r->to);
    mt_json_kv_str(b, 1, "by", mt_period_unit_str(r->by));
    mt_json_kv_str(b, 1, "tz", r->tz);
    mt_json_kv_str(b, 1, "scan", r->scan_path ? r->scan_path : "");
    mt_buf_printf(b, ",\"scan_ms\":%.1f,\"top_scan_ms\":%.1f}", r->ms_pass_a, r->ms_pass_b);
    mt_buf_puts(b, ",\"totals\":{");
    mt_json_kv_int(b, 0, "findings", (long long)r->findings_total);
    mt_json_kv_int(b, 1, "mining", (long long)r->findings_mining);
    mt_json_kv_int(b, 1, "precursor", (long long)r->findings_precursor);
    mt_json_kv_int(b, 1, "hosts", (long long)r->hosts_all);
    mt_json_kv_int(b, 1, "mining_hosts", (long long)r->hosts_mining);
    mt_buf_putc(b, '}');

    if (r->analyses & MT_AN_ACTIVITY) {
        mt_buf_puts(b, ",\"activity\":[");
        for (size_t i = 0; i < r->nperiods; i++) {
            char d[16];
            mt_fmt_day(r->periods[i].first_day, d, sizeof d);
            if (i) mt_buf_putc(b, ',');
            mt_buf_putc(b, '{');
            mt_json_kv_str(b, 0, "period", r->periods[i].label);
            mt_json_kv_str(b, 1, "start", d);
            mt_json_kv_int(b, 1, "findings", (long long)r->periods[i].findings);
            mt_json_kv_int(b, 1, "hosts", (long long)r->periods[i].hosts);
            mt_buf_putc(b, '}');
        }
        mt_buf_putc(b, ']');
    }
    if (r->analyses & MT_AN_MIX) {
        mt_buf_puts(b, ",\"mix\":{");
        ranked(b, "families", &r->families, "family", 1);
        mt_buf_putc(b, ',');
        ranked(b, "kinds", &r->kinds, "kind", 1);
        mt_buf_putc(b, ',');
        ranked(b, "behaviours", &r->behaviours, "behaviour", 1);
        mt_buf_putc(b, '}');
    }
    if (r->analyses & MT_AN_PORTS) {
        mt_buf_puts(b, ",\"ports\":{");
        mt_json_kv_int(b, 0, "connections", (long long)r->port_findings);
        mt_json_kv_int(b, 1, "hosts", (long long)r->port_hosts);
        mt_json_kv_int(b, 1, "distinct_ports", (long long)r->distinct_ports);
        mt_buf_puts(b, ",\"port_80\":{");
        mt_json_kv_int(b, 0, "findings", (long long)r->p80);
        mt_json_kv_int(b, 1, "hosts", (long long)r->p80_hosts);
        share(b, "share", r->p80, r->port_findings);
        mt_buf_puts(b, "},\"port_443\":{");
        mt_json_kv_int(b, 0, "findings", (long long)r->p443);
        mt_json_kv_int(b, 1, "hosts", (long long)r->p443_hosts);
        share(b, "share", r->p443, r->port_findings);
        mt_buf_puts(b, "},");
        ranked(b, "top", &r->ports, "port", 1);
        mt_json_kv_int(b, 1, "ranges_total", (long long)r->ranges_total);
        mt_buf_puts(b, ",\"ranges\":[");
        int first = 1;
        for (int i = 0; i < MT_REP_NRANGES; i++) {
            if (!r->ranges[i]) continue;
            char lab[24];
            mt_range_label(i, lab, sizeof lab);
            if (!first) mt_buf_putc(b, ',');
            first = 0;
            mt_buf_putc(b, '{');
            mt_json_kv_str(b, 0, "range", lab);
            mt_json_kv_int(b, 1, "first", i * 1000);
            mt_json_kv_int(b, 1, "last", i == 65 ? 65535 : i * 1000 + 999);
            mt_json_kv_int(b, 1, "findings", (long long)r->ranges[i]);
            share(b, "share", r->ranges[i], r->ranges_total);
            mt_buf_putc(b, '}');
        }
        mt_buf_puts(b, "]}");
    }
    if (r->analyses & MT_AN_VICTIMS) {
        mt_buf_puts(b, ",\"victims\":{");
        mt_buf_printf(b, "\"inventory\":%s", r->have_assets ? "true" : "false");
        mt_json_kv_int(b, 1, "inventory_networks", (long long)r->asset_entries);
        mt_json_kv_int(b, 1, "inventory_skipped", (long long)r->asset_bad);
        mt_json_kv_int(b, 1, "inventory_duplicates", (long long)r->asset_dup);
        mt_json_kv_int(b, 1, "inventory_unknown_sizes", (long long)r->asset_bad_size);
        mt_json_kv_int(b, 1, "hosts", (long long)r->victims);
        mt_json_kv_int(b, 1, "known_hosts", (long long)r->victims_known);
        mt_json_kv_int(b, 1, "organisations", (long long)r->orgs_known);
        mt_json_kv_int(b, 1, "sme_hosts", (long long)r->victims_sme);
        share(b, "sme_share_of_known", r->victims_sme, r->victims_known);
        mt_buf_puts(b, ",\"by_sector\":");
        rows(b, &r->sectors, "sector", 1, 1);
        mt_buf_puts(b, ",\"by_size\":");
        rows(b, &r->sizes, "size", 1, 1);
        mt_buf_putc(b, '}');
    }
    if (r->analyses & MT_AN_MARKET) {
        mt_buf_puts(b, ",\"market\":[");
        for (int i = 0; i < r->nmarket; i++) {
            const mt_rep_market *m = &r->market[i];
            if (i) mt_buf_putc(b, ',');
            mt_buf_putc(b, '{');
            mt_json_kv_str(b, 0, "series", m->series.name);
            mt_json_kv_str(b, 1, "date_column", m->series.date_col);
            mt_json_kv_str(b, 1, "price_column", m->series.price_col);
            mt_json_kv_int(b, 1, "rows", (long long)m->series.rows);
            mt_json_kv_int(b, 1, "used", (long long)m->series.used);
            mt_json_kv_int(b, 1, "nulls", (long long)m->series.nulls);
            mt_json_kv_int(b, 1, "bad", (long long)m->series.bad);
            mt_json_kv_str(b, 1, "first", m->series.first_date);
            mt_json_kv_str(b, 1, "last", m->series.last_date);
            mt_buf_puts(b, ",\"correlations\":[");
            for (int l = 0; l < MT_REP_LAGS; l++) {
                const mt_rep_lag *L = &m->lags[l];
                if (l) mt_buf_putc(b, ',');
                mt_buf_printf(b, "{\"lag\":%d,\"n\":%zu,\"pearson\":", L->lag, L->n);
                mt_json_double(b, L->pearson);
                mt_buf_puts(b, ",\"pearson_p\":");
                mt_json_double(b, L->pearson_p);
                mt_buf_puts(b, ",\"spearman\":");
                mt_json_double(b, L->spearman);
                mt_buf_puts(b, ",\"spearman_p\":");
                mt_json_double(b, L->spearman_p);
                mt_buf_putc(b, '}');
            }
            mt_buf_puts(b, "],\"months\":[");
            for (size_t k = 0; k < r->nmonths; k++) {
                if (k) mt_buf_putc(b, ',');
                mt_buf_putc(b, '{');
                mt_json_kv_str(b, 0, "month", r->months[k].label);
                mt_json_kv_int(b, 1, "findings", (long long)r->months[k].findings);
                mt_json_kv_int(b, 1, "hosts", (long long)r->months[k].hosts);
                mt_buf_puts(b, ",\"price\":");
                mt_json_double(b, m->month_price[k]);
                mt_buf_putc(b, '}');
            }
            mt_buf_puts(b, "]}");
        }
        mt_buf_putc(b, ']');
    }
    if (r->analyses & MT_AN_TOP) {
        mt_buf_puts(b, ",\"top\":{");
        ranked(b, "pools", &r->pools, "pool", 0);
        mt_buf_putc(b, ',');
        ranked(b, "wallets", &r->wallets, "wallet", 0);
        mt_buf_putc(b, ',');
        ranked(b, "agents", &r->agents, "agent", 0);
        mt_buf_putc(b, ',');
        ranked(b, "hosts", &r->hosts, "host", 0);
        mt_buf_putc(b, '}');
    }
    mt_buf_puts(b, "}\n");
}
