/* Terminal tables for `minetrace report` (default output). Names from the
 * data are made terminal-safe and cut to the column width. */
#include <math.h>
#include <string.h>

#include "report/render.h"

static void pad(mt_buf *b, size_t n)
{
    while (n--) mt_buf_putc(b, ' ');
}

/* Left-aligned name cell of `w` columns. */
static void cell_name(mt_buf *b, const char *s, size_t w)
{
    mt_term_str(b, s, w);
    size_t shown = mt_term_width(s, 0);
    if (shown > w) shown = w;
    pad(b, w - shown + 2);
}

static void cell_num(mt_buf *b, uint64_t v, int w)
{
    char n[32];
    mt_fmt_count(n, sizeof n, v);
    mt_buf_printf(b, "%*s", w, n);
}

static void cell_pct(mt_buf *b, double share, int w)
{
    mt_buf_printf(b, "%*.1f%%", w - 1, share * 100.0);
}

static void heading(mt_buf *b, const char *t)
{
    mt_buf_printf(b, "\n== %s ==\n", t);
}

static void table(mt_buf *b, const char *title, const char *namecol, const mt_rep_table *t,
                  int with_hosts)
{
    heading(b, title);
    if (!t->n) {
        mt_buf_puts(b, "(none)\n");
        return;
    }
    mt_buf_printf(b, "%-40s  %12s  %7s", namecol, "findings", "share");
    if (with_hosts) mt_buf_printf(b, "  %9s", "hosts");
    mt_buf_putc(b, '\n');
    for (size_t i = 0; i < t->n; i++) {
        cell_name(b, t->v[i].name, 40);
        cell_num(b, t->v[i].findings, 12);
        mt_buf_puts(b, "  ");
        cell_pct(b, t->v[i].share, 7);
        if (with_hosts) {
            mt_buf_puts(b, "  ");
            cell_num(b, t->v[i].hosts, 9);
        }
        mt_buf_putc(b, '\n');
    }
    if (t->distinct > t->n) mt_buf_printf(b, "(%zu more)\n", t->distinct - t->n);
}

/* A coefficient (%9.3f) or a p-value (%9.3g); "-" when undefined. */
static void fmt_r(mt_buf *b, double v, int is_p)
{
    if (isnan(v)) mt_buf_printf(b, "%9s", "-");
    else if (is_p) mt_buf_printf(b, "%9.3g", v);
    else mt_buf_printf(b, "%9.3f", v);
}

void mt_render_text(const mt_report *r, mt_buf *b)
{
    char from[16], to[16], n1[32], n2[32], n3[32];
    mt_report_days(r, from, to, sizeof from);
    mt_buf_printf(b, "minetrace report: %s to %s (%s), grouped by %s\n", from, to, r->tz,
                  mt_period_unit_str(r->by));
    mt_fmt_count(n1, sizeof n1, r->findings_total);
    mt_fmt_count(n2, sizeof n2, r->findings_mining);
    mt_fmt_count(n3, sizeof n3, r->findings_precursor);
    mt_buf_printf(b, "findings: %s (mining %s, precursor %s)\n", n1, n2, n3);
    mt_fmt_count(n1, sizeof n1, r->hosts_mining);
    mt_fmt_count(n2, sizeof n2, r->hosts_all);
    mt_buf_printf(b, "hosts: %s mining (%s with any finding)\n", n1, n2);
    if (r->empty) mt_buf_puts(b, "(no findings in this range)\n");

    if (r->analyses & MT_AN_ACTIVITY) {
        heading(b, "Activity (mining findings and distinct mining hosts per period)");
        mt_buf_printf(b, "%-12s  %12s  %9s\n", mt_period_unit_str(r->by), "findings", "hosts");
        for (size_t i = 0; i < r->nperiods; i++) {
            mt_buf_printf(b, "%-12s  ", r->periods[i].label);
            cell_num(b, r->periods[i].findings, 12);
            mt_buf_puts(b, "  ");
            cell_num(b, r->periods[i].hosts, 9);
            mt_buf_putc(b, '\n');
        }
    }
    if (r->analyses & MT_AN_MIX) {
        table(b, "Families (share of all findings)", "family", &r->families, 1);
        table(b, "Kinds (share of all findings)", "kind", &r->kinds, 1);
        table(b, "Behaviours (family / kind)", "behaviour", &r->behaviours, 1);
    }
    if (r->analyses & MT_AN_PORTS) {
        heading(b, "Ports (mining connections: mining findings with dest_port > 0, not dns)");
        mt_fmt_count(n1, sizeof n1, r->port_findings);
        mt_fmt_count(n2, sizeof n2, r->port_hosts);
        mt_buf_printf(b, "connections: %s from %s hosts on %zu distinct ports\n", n1, n2,
                      r->distinct_ports);
        mt_fmt_pct(n1, sizeof n1, r->p80, r->port_findings);
        mt_fmt_pct(n2, sizeof n2, r->p443, r->port_findings);
        mt_fmt_count(n3, sizeof n3, r->p80);
        mt_buf_printf(b, "port 80:  %s findings (%s of connections), %llu hosts\n", n3, n1,
                      (unsigned long long)r->p80_hosts);
        mt_fmt_count(n3, sizeof n3, r->p443);
        mt_buf_printf(b, "port 443: %s findings (%s of connections), %llu hosts\n", n3, n2,
                      (unsigned long long)r->p443_hosts);
        table(b, "Top ports other than 80/443 (share of all connections)", "port", &r->ports, 1);
        heading(b, "Port ranges (share of connections to ports other than 80/443)");
        mt_buf_printf(b, "%-12s  %12s  %7s\n", "range", "findings", "share");
        for (int i = 0; i < MT_REP_NRANGES; i++) {
            if (!r->ranges[i]) continue;
            char lab[24];
            mt_range_label(i, lab, sizeof lab);
            mt_buf_printf(b, "%-12s  ", lab);
            cell_num(b, r->ranges[i], 12);
            mt_buf_puts(b, "  ");
            cell_pct(b, (double)r->ranges[i] / (double)r->ranges_total, 7);
            mt_buf_putc(b, '\n');
        }
    }
    if (r->analyses & MT_AN_VICTIMS) {
        heading(b, "Victims (hosts with mining findings, joined to the asset inventory)");
        if (!r->have_assets) mt_buf_puts(b, "(no --assets inventory: every host is unknown)\n");
        else
            mt_buf_printf(b, "inventory: %zu networks (%zu rows skipped, %zu duplicates, %zu unknown sizes)\n",
                          r->asset_entries, r->asset_bad, r->asset_dup, r->asset_bad_size);
        mt_fmt_pct(n1, sizeof n1, r->victims_known, r->victims);
        mt_fmt_pct(n2, sizeof n2, r->victims_sme, r->victims_known);
        mt_buf_printf(b, "hosts: %llu, in inventory: %llu (%s), organisations: %llu, "
                      "small+medium: %llu (%s of known hosts)\n",
                      (unsigned long long)r->victims, (unsigned long long)r->victims_known, n1,
                      (unsigned long long)r->orgs_known, (unsigned long long)r->victims_sme, n2);
        const mt_rep_table *ts[2] = {&r->sectors, &r->sizes};
        const char *names[2] = {"sector", "size"};
        for (int t = 0; t < 2; t++) {
            mt_buf_printf(b, "\n%-30s  %9s  %7s  %13s  %12s\n", names[t], "hosts", "share",
                          "organisations", "findings");
            for (size_t i = 0; i < ts[t]->n; i++) {
                const mt_rep_row *w = &ts[t]->v[i];
                cell_name(b, w->name, 30);
                cell_num(b, w->hosts, 9);
                mt_buf_puts(b, "  ");
                cell_pct(b, w->share, 7);
                mt_buf_puts(b, "  ");
                cell_num(b, w->orgs, 13);
                mt_buf_puts(b, "  ");
                cell_num(b, w->findings, 12);
                mt_buf_putc(b, '\n');
            }
        }
    }
    if (r->analyses & MT_AN_MARKET) {
        heading(b, "Market (monthly mining findings vs monthly mean price)");
        if (!r->nmarket) mt_buf_puts(b, "(no --prices series given)\n");
        for (int i = 0; i < r->nmarket; i++) {
            const mt_rep_market *m = &r->market[i];
            mt_buf_puts(b, "series ");
            mt_term_str(b, m->series.name, 60);
            mt_buf_puts(b, ": columns ");
            mt_term_str(b, m->series.date_col, 30);
            mt_buf_puts(b, ", ");
            mt_term_str(b, m->series.price_col, 30);
            mt_buf_printf(b, "; %zu rows, %zu used, %zu null, %zu bad; %s to %s\n", m->series.rows,
                          m->series.used, m->series.nulls, m->series.bad, m->series.first_date,
                          m->series.last_date);
            mt_buf_printf(b, "%5s  %4s  %9s  %9s  %9s  %9s\n", "lag", "n", "pearson", "p", "spearman", "p");
            for (int l = 0; l < MT_REP_LAGS; l++) {
                const mt_rep_lag *L = &m->lags[l];
                mt_buf_printf(b, "%+5d  %4zu  ", L->lag, L->n);
                fmt_r(b, L->pearson, 0);
                mt_buf_puts(b, "  ");
                fmt_r(b, L->pearson_p, 1);
                mt_buf_puts(b, "  ");
                fmt_r(b, L->spearman, 0);
                mt_buf_puts(b, "  ");
                fmt_r(b, L->spearman_p, 1);
                mt_buf_putc(b, '\n');
            }
            mt_buf_printf(b, "%-8s  %12s  %14s\n", "month", "findings", "mean price");
            for (size_t k = 0; k < r->nmonths; k++) {
                mt_buf_printf(b, "%-8s  ", r->months[k].label);
                cell_num(b, r->months[k].findings, 12);
                if (isnan(m->month_price[k])) mt_buf_printf(b, "  %14s\n", "-");
                else mt_buf_printf(b, "  %14.2f\n", m->month_price[k]);
            }
        }
    }
    if (r->analyses & MT_AN_TOP) {
        table(b, "Top pools (mining findings naming a pool)", "pool", &r->pools, 0);
        table(b, "Top wallets", "wallet", &r->wallets, 0);
        table(b, "Top agents", "agent", &r->agents, 0);
        table(b, "Top hosts (mining findings)", "host", &r->hosts, 0);
    }
}
