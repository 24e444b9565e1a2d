/* The self-contained HTML report (`--html FILE`): summary figures, every
 * analysis as a table, and charts drawn as inline SVG. No scripts, no
 * external fetches (a Content-Security-Policy forbids them), and every
 * string from the data is HTML-escaped (mt_html_str / mt_svg_label). */
#include <math.h>
#include <string.h>

#include "report/render.h"
#include "report/svg.h"

static const char *CSS =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d2330;"
    "background:#fff;max-width:1100px}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid "
    "#dde3ec;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}"
    ".sub{color:#5a6478;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:10px}"
    ".card{border:1px solid #dde3ec;border-radius:8px;padding:10px 14px;min-width:150px;"
    "background:#f7f9fc}.card .v{font-size:22px;font-weight:600}.card .k{font-size:12px;"
    "color:#5a6478}table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}"
    "th,td{border-bottom:1px solid #e6eaf0;padding:3px 10px;text-align:left}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f3f8}"
    ".chart{display:block;margin:8px 0}.chart .bar{fill:#3b6fd8}.chart .bar2{fill:#e08a1e}"
    ".chart .grid{stroke:#e3e7ee;stroke-width:1}.chart .tick{font-size:11px;fill:#5a6478}"
    ".chart .lab{font-size:12px;fill:#1d2330}.chart .val{font-size:11px;fill:#1d2330}"
    ".chart .ct{font-size:14px;font-weight:600;fill:#1d2330}.chart .hl{fill:none;stroke:#2a9d5c;"
    "stroke-width:2}.chart .pl{fill:none;stroke-width:2.5}.note{color:#5a6478;font-size:13px}"
    ".muted{color:#8a93a5}";

static const char *PRICE_COLOURS[] = {"#c0392b", "#8e44ad", "#b8860b", "#7f8c8d"};

static void num_td(mt_buf *b, uint64_t v)
{
    char n[32];
    mt_fmt_count(n, sizeof n, v);
    mt_buf_printf(b, "<td class=\"n\">%s</td>", n);
}

static void pct_td(mt_buf *b, double share)
{
    if (isfinite(share)) mt_buf_printf(b, "<td class=\"n\">%.1f%%</td>", share * 100.0);
    else mt_buf_puts(b, "<td class=\"n\">-</td>");
}

static void dbl_td(mt_buf *b, double v, int is_p)
{
    if (!isfinite(v)) mt_buf_puts(b, "<td class=\"n\">-</td>");
    else if (is_p) mt_buf_printf(b, "<td class=\"n\">%.3g</td>", v);
    else mt_buf_printf(b, "<td class=\"n\">%.3f</td>", v);
}

static void card(mt_buf *b, const char *id, const char *key, const char *val_raw)
{
    mt_buf_printf(b, "<div class=\"card\"><div class=\"v\" id=\"%s\">", id);
    mt_html_str(b, val_raw);
    mt_buf_puts(b, "</div><div class=\"k\">");
    mt_html_str(b, key);
    mt_buf_puts(b, "</div></div>");
}

static void table(mt_buf *b, const char *id, const char *namecol, const mt_rep_table *t, int hosts)
{
    mt_buf_printf(b, "<table id=\"%s\"><tr><th>#</th><th>", id);
    mt_html_str(b, namecol);
    mt_buf_puts(b, "</th><th class=\"n\">findings</th><th class=\"n\">share</th>");
    if (hosts) mt_buf_puts(b, "<th class=\"n\">hosts</th>");
    mt_buf_puts(b, "</tr>");
    for (size_t i = 0; i < t->n; i++) {
        mt_buf_printf(b, "<tr><td>%zu</td><td>", i + 1);
        mt_svg_label(b, t->v[i].name, 100);
        mt_buf_puts(b, "</td>");
        num_td(b, t->v[i].findings);
        pct_td(b, t->v[i].share);
        if (hosts) num_td(b, t->v[i].hosts);
        mt_buf_puts(b, "</tr>");
    }
    if (!t->n) mt_buf_printf(b, "<tr><td colspan=\"%d\" class=\"muted\">none</td></tr>", hosts ? 5 : 4);
    mt_buf_puts(b, "</table>");
    if (t->distinct > t->n) mt_buf_printf(b, "<p class=\"note\">%zu more not shown.</p>", t->distinct - t->n);
}

static void bars_from(mt_bar *bars, char (*notes)[32], const mt_rep_table *t, size_t max, size_t *n,
                      int by_hosts)
{
    *n = t->n < max ? t->n : max;
    for (size_t i = 0; i < *n; i++) {
        bars[i].label = t->v[i].name;
        bars[i].value = by_hosts ? (double)t->v[i].hosts : (double)t->v[i].findings;
        snprintf(notes[i], 32, "%.1f%%", t->v[i].share * 100.0);
        bars[i].note = notes[i];
        bars[i].accent = 0;
    }
}

/* Activity over time: bars of mining findings per period, a line of
 * distinct hosts, and each price series (monthly mean) on its own scale. */
static void activity_chart(mt_buf *b, const mt_report *r)
{
    const int W = 1000, H = 340, L = 70, R = 70, T = 40, B = 50;
    double pw = W - L - R, ph = H - T - B;
    if (!r->nperiods) return;
    int64_t d0 = r->periods[0].first_day;
    int64_t d1 = r->nperiods > 1 ? 2 * r->periods[r->nperiods - 1].first_day - r->periods[r->nperiods - 2].first_day
                                 : d0 + (r->by == MT_BY_MONTH ? 31 : r->by == MT_BY_WEEK ? 7 : 1);
    if (d1 <= d0) d1 = d0 + 1;
    double span = (double)(d1 - d0);
    double max = 0, step;
    for (size_t i = 0; i < r->nperiods; i++)
        if ((double)r->periods[i].findings > max) max = (double)r->periods[i].findings;
    max = mt_svg_nice(max, &step);
    mt_buf_printf(b, "<svg id=\"chart-activity\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>Mining activity "
                  "per %s</title><text x=\"4\" y=\"18\" class=\"ct\">Mining findings per %s",
                  W, H, W, H, mt_period_unit_str(r->by), mt_period_unit_str(r->by));
    if ((r->analyses & MT_AN_MARKET) && r->nmarket) mt_buf_puts(b, " and monthly mean price");
    mt_buf_puts(b, "</text>");
    for (double t = 0; t <= max * 1.0001; t += step) {
        double y = T + ph - t / max * ph;
        char num[32];
        mt_svg_num(num, sizeof num, t);
        mt_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                      "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>",
                      L, y, L + pw, y, L - 4, y + 4, num);
    }
    /* Bars and x labels (one label per ~70 px). */
    size_t every = (size_t)((double)r->nperiods * 70.0 / pw) + 1;
    for (size_t i = 0; i < r->nperiods; i++) {
        const mt_rep_period *p = &r->periods[i];
        int64_t next = i + 1 < r->nperiods ? r->periods[i + 1].first_day : d1;
        double x0 = L + (double)(p->first_day - d0) / span * pw;
        double x1 = L + (double)(next - d0) / span * pw;
        double hgt = (double)p->findings / max * ph;
        double w = (x1 - x0) * 0.85;
        mt_buf_printf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" class=\"bar\"/>",
                      x0 + (x1 - x0) * 0.075, T + ph - hgt, w > 0.5 ? w : 0.5, hgt);
        if (i % every == 0)
            mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                          (x0 + x1) / 2, T + ph + 16, p->label);
    }
    /* Hosts line. */
    mt_buf_puts(b, "<polyline class=\"hl\" points=\"");
    for (size_t i = 0; i < r->nperiods; i++) {
        const mt_rep_period *p = &r->periods[i];
        int64_t next = i + 1 < r->nperiods ? r->periods[i + 1].first_day : d1;
        double x = L + ((double)(p->first_day - d0) + (double)(next - p->first_day) / 2) / span * pw;
        mt_buf_printf(b, "%.1f,%.1f ", x, T + ph - (double)p->hosts / max * ph);
    }
    mt_buf_puts(b, "\"/>");
    /* Price lines: the monthly means of each series, on its own scale. */
    int legend_y = H - 8;
    mt_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" class=\"bar\"/>"
                  "<text x=\"%d\" y=\"%d\" class=\"tick\">mining findings</text>"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"hl\"/>"
                  "<text x=\"%d\" y=\"%d\" class=\"tick\">distinct mining hosts</text>",
                  L, legend_y - 9, L + 16, legend_y, L + 130, legend_y - 4, L + 150, legend_y - 4,
                  L + 155, legend_y);
    if (!(r->analyses & MT_AN_MARKET)) goto done;
    for (int s = 0; s < r->nmarket; s++) {
        const mt_rep_market *m = &r->market[s];
        double pmax = 0, pstep;
        for (size_t k = 0; k < r->nmonths; k++)
            if (isfinite(m->month_price[k]) && m->month_price[k] > pmax) pmax = m->month_price[k];
        if (pmax <= 0) continue;
        pmax = mt_svg_nice(pmax, &pstep);
        const char *col = PRICE_COLOURS[s % 4];
        if (s == 0) {
            for (double t = 0; t <= pmax * 1.0001; t += pstep) {
                char num[32];
                mt_svg_num(num, sizeof num, t);
                mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" fill=\"%s\">%s</text>",
                              L + pw + 4, T + ph - t / pmax * ph + 4, col, num);
            }
        }
        mt_buf_printf(b, "<polyline class=\"pl\" stroke=\"%s\" points=\"", col);
        for (size_t k = 0; k < r->nmonths; k++) {
            if (!isfinite(m->month_price[k])) continue;
            int64_t mid = r->months[k].first_day + 14;
            double x = L + (double)(mid - d0) / span * pw;
            if (x < L) x = L;
            if (x > L + pw) x = L + pw;
            mt_buf_printf(b, "%.1f,%.1f ", x, T + ph - m->month_price[k] / pmax * ph);
        }
        mt_buf_puts(b, "\"/>");
        int lx = L + 330 + s * 170;
        mt_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>"
                      "<text x=\"%d\" y=\"%d\" class=\"tick\">", lx, legend_y - 4, lx + 20, legend_y - 4,
                      col, lx + 25, legend_y);
        mt_svg_label(b, m->series.name, 14);
        mt_buf_puts(b, s == 0 ? " price (right axis)" : " price (scaled)");
        mt_buf_puts(b, "</text>");
    }
done:
    mt_buf_puts(b, "</svg>\n");
}

static void summary(mt_buf *b, const mt_report *r)
{
    char v[160], n[32];
    mt_buf_puts(b, "<section id=\"summary\"><div class=\"cards\">");
    mt_fmt_count(v, sizeof v, r->findings_mining);
    card(b, "k-mining-findings", "mining findings", v);
    mt_fmt_count(v, sizeof v, r->hosts_mining);
    card(b, "k-mining-hosts", "distinct mining hosts", v);
    mt_fmt_count(v, sizeof v, r->findings_precursor);
    card(b, "k-precursor", "precursor findings", v);
    if ((r->analyses & MT_AN_MIX) && r->families.n) {
        snprintf(v, sizeof v, "%.1f%%", r->families.v[0].share * 100);
        char key[160];
        snprintf(key, sizeof key, "top family: %.100s", r->families.v[0].name);
        card(b, "k-top-family", key, v);
    }
    if ((r->analyses & MT_AN_PORTS) && r->ports.n) {
        snprintf(v, sizeof v, "%s", r->ports.v[0].name);
        card(b, "k-top-port", "top mining port (not 80/443)", v);
        mt_fmt_pct(v, sizeof v, r->ranges[3], r->ranges_total);
        card(b, "k-range-3000", "ports 3000-3999", v);
        mt_fmt_pct(v, sizeof v, r->ranges[5], r->ranges_total);
        card(b, "k-range-5000", "ports 5000-5999", v);
    }
    if ((r->analyses & MT_AN_VICTIMS) && r->have_assets) {
        mt_fmt_pct(v, sizeof v, r->victims_sme, r->victims_known);
        card(b, "k-sme", "small+medium among known victims", v);
    }
    if ((r->analyses & MT_AN_MARKET) && r->nmarket) {
        const mt_rep_lag *L = &r->market[0].lags[3];
        if (isfinite(L->pearson)) snprintf(v, sizeof v, "r = %.2f", L->pearson);
        else snprintf(v, sizeof v, "r = -");
        snprintf(n, sizeof n, "%.20s", r->market[0].series.name);
        char key[96];
        snprintf(key, sizeof key, "activity vs %s price (lag 0)", n);
        card(b, "k-corr", key, v);
    }
    mt_buf_puts(b, "</div></section>\n");
}

void mt_render_html(const mt_report *r, mt_buf *b)
{
    char from[16], to[16];
    mt_report_days(r, from, to, sizeof from);
    mt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; img-src data:\">"
                "<meta name=\"viewport\" content=\"width=device-width\">");
    mt_buf_printf(b, "<title>minetrace report %s to %s</title><style>%s</style></head><body>\n", from, to, CSS);
    mt_buf_printf(b, "<h1>Cryptomining report</h1><p class=\"sub\" id=\"range\">%s to %s (", from, to);
    mt_html_str(b, r->tz);
    mt_buf_printf(b, "), grouped by %s. Generated by minetrace from stored findings.</p>\n",
                  mt_period_unit_str(r->by));
    summary(b, r);
    if (r->empty) mt_buf_puts(b, "<p class=\"note\">No findings in this range.</p>");

    mt_bar bars[64];
    char notes[64][32];
    size_t n;

    if (r->analyses & MT_AN_ACTIVITY) {
        mt_buf_puts(b, "<section id=\"activity\"><h2>Activity</h2><p class=\"note\">Mining findings "
                    "and distinct mining hosts (source addresses) per period.</p>");
        activity_chart(b, r);
        mt_buf_printf(b, "<table id=\"t-activity\"><tr><th>%s</th><th class=\"n\">findings</th>"
                      "<th class=\"n\">hosts</th></tr>", mt_period_unit_str(r->by));
        for (size_t i = 0; i < r->nperiods; i++) {
            mt_buf_printf(b, "<tr><td>%s</td>", r->periods[i].label);
            num_td(b, r->periods[i].findings);
            num_td(b, r->periods[i].hosts);
            mt_buf_puts(b, "</tr>");
        }
        mt_buf_puts(b, "</table></section>\n");
    }
    if (r->analyses & MT_AN_MIX) {
        mt_buf_puts(b, "<section id=\"mix\"><h2>Behaviour mix</h2><p class=\"note\">Share of all "
                    "findings (mining and precursor) per family, per kind and per family/kind pair.</p>");
        bars_from(bars, notes, &r->families, 20, &n, 0);
        mt_svg_hbars(b, "chart-families", "Findings per family", bars, n);
        table(b, "t-families", "family", &r->families, 1);
        bars_from(bars, notes, &r->kinds, 20, &n, 0);
        mt_svg_hbars(b, "chart-kinds", "Findings per kind", bars, n);
        table(b, "t-kinds", "kind", &r->kinds, 1);
        mt_buf_puts(b, "<h3>Behaviours (family / kind)</h3>");
        table(b, "t-behaviours", "behaviour", &r->behaviours, 1);
        mt_buf_puts(b, "</section>\n");
    }
    if (r->analyses & MT_AN_PORTS) {
        char c1[32], c2[32], p1[32], p2[32];
        mt_buf_puts(b, "<section id=\"ports\"><h2>Ports</h2>");
        mt_fmt_count(c1, sizeof c1, r->port_findings);
        mt_fmt_count(c2, sizeof c2, r->port_hosts);
        mt_buf_printf(b, "<p class=\"note\">Mining connections: mining findings with a destination "
                      "port, DNS lookups excluded: <b id=\"k-port-conns\">%s</b> from %s hosts on %zu "
                      "ports.", c1, c2, r->distinct_ports);
        mt_fmt_pct(p1, sizeof p1, r->p80, r->port_findings);
        mt_fmt_pct(p2, sizeof p2, r->p443, r->port_findings);
        mt_fmt_count(c1, sizeof c1, r->p80);
        mt_fmt_count(c2, sizeof c2, r->p443);
        mt_buf_printf(b, " Web ports apart: 80 = <b id=\"k-p80\">%s</b> (%s), 443 = <b id=\"k-p443\">%s</b> "
                      "(%s). Range shares count the other ports only.</p>", c1, p1, c2, p2);
        n = 0;
        char webnotes[2][32];
        if (r->p80) {
            bars[n] = (mt_bar){"80 (web)", (double)r->p80, webnotes[0], 1};
            snprintf(webnotes[0], 32, "%s", p1);
            n++;
        }
        if (r->p443) {
            bars[n] = (mt_bar){"443 (web)", (double)r->p443, webnotes[1], 1};
            snprintf(webnotes[1], 32, "%s", p2);
            n++;
        }
        size_t m;
        bars_from(bars + n, notes, &r->ports, 20, &m, 0);
        mt_svg_hbars(b, "chart-ports", "Top destination ports of mining connections", bars, n + m);
        table(b, "t-ports", "port", &r->ports, 1);
        n = 0;
        for (int i = 0; i < MT_REP_NRANGES && n < 64; i++) {
            if (!r->ranges[i]) continue;
            mt_range_label(i, notes[n] + 16, 16);
            bars[n].label = notes[n] + 16;
            bars[n].value = (double)r->ranges[i] / (double)r->ranges_total * 100.0;
            snprintf(notes[n], 16, "%.1f%%", bars[n].value);
            bars[n].note = notes[n];
            bars[n].accent = 0;
            n++;
        }
        mt_svg_vbars(b, "chart-ranges", "Share of ports per 1000-wide range (%, ports 80/443 apart)", bars, n);
        mt_buf_puts(b, "<table id=\"t-ranges\"><tr><th>range</th><th class=\"n\">findings</th>"
                    "<th class=\"n\">share</th></tr>");
        for (int i = 0; i < MT_REP_NRANGES; i++) {
            if (!r->ranges[i]) continue;
            char lab[24];
            mt_range_label(i, lab, sizeof lab);
            mt_buf_printf(b, "<tr><td>%s</td>", lab);
            num_td(b, r->ranges[i]);
            pct_td(b, (double)r->ranges[i] / (double)r->ranges_total);
            mt_buf_puts(b, "</tr>");
        }
        mt_buf_puts(b, "</table></section>\n");
    }
    if (r->analyses & MT_AN_VICTIMS) {
        char p1[32], p2[32];
        mt_buf_puts(b, "<section id=\"victims\"><h2>Victims</h2><p class=\"note\">");
        if (!r->have_assets) mt_buf_puts(b, "No asset inventory given (--assets): every host is unknown. ");
        else mt_buf_printf(b, "Asset inventory: %zu networks (%zu rows skipped, %zu duplicates). ",
                           r->asset_entries, r->asset_bad, r->asset_dup);
        mt_fmt_pct(p1, sizeof p1, r->victims_known, r->victims);
        mt_fmt_pct(p2, sizeof p2, r->victims_sme, r->victims_known);
        mt_buf_printf(b, "%llu hosts with mining findings, %llu in the inventory (%s) in %llu "
                      "organisations; small and medium enterprises: <b id=\"k-sme-hosts\">%llu</b> "
                      "hosts (%s of known hosts).</p>",
                      (unsigned long long)r->victims, (unsigned long long)r->victims_known, p1,
                      (unsigned long long)r->orgs_known, (unsigned long long)r->victims_sme, p2);
        const mt_rep_table *ts[2] = {&r->sectors, &r->sizes};
        const char *ids[2] = {"sector", "size"};
        for (int t = 0; t < 2; t++) {
            bars_from(bars, notes, ts[t], 20, &n, 1);
            char id[32], title[64];
            snprintf(id, sizeof id, "chart-%ss", ids[t]);
            snprintf(title, sizeof title, "Victim hosts per %s", ids[t]);
            mt_svg_hbars(b, id, title, bars, n);
            mt_buf_printf(b, "<table id=\"t-%ss\"><tr><th>%s</th><th class=\"n\">hosts</th>"
                          "<th class=\"n\">share</th><th class=\"n\">organisations</th>"
                          "<th class=\"n\">findings</th></tr>", ids[t], ids[t]);
            for (size_t i = 0; i < ts[t]->n; i++) {
                const mt_rep_row *w = &ts[t]->v[i];
                mt_buf_puts(b, "<tr><td>");
                mt_svg_label(b, w->name, 100);
                mt_buf_puts(b, "</td>");
                num_td(b, w->hosts);
                pct_td(b, w->share);
                num_td(b, w->orgs);
                num_td(b, w->findings);
                mt_buf_puts(b, "</tr>");
            }
            mt_buf_puts(b, "</table>");
        }
        mt_buf_puts(b, "</section>\n");
    }
    if (r->analyses & MT_AN_MARKET) {
        mt_buf_puts(b, "<section id=\"market\"><h2>Market</h2><p class=\"note\">Monthly mining "
                    "findings against the monthly mean price; lag L pairs activity of month m with "
                    "the price of month m+L. p: two-sided, Student's t with n-2 degrees of freedom.</p>");
        if (!r->nmarket) mt_buf_puts(b, "<p class=\"muted\">No price series given (--prices).</p>");
        for (int s = 0; s < r->nmarket; s++) {
            const mt_rep_market *m = &r->market[s];
            mt_buf_puts(b, "<h3>");
            mt_html_str(b, m->series.name);
            mt_buf_printf(b, "</h3><p class=\"note\">%zu rows, %zu used, %zu null, %zu bad; %s to %s.</p>",
                          m->series.rows, m->series.used, m->series.nulls, m->series.bad,
                          m->series.first_date, m->series.last_date);
            mt_buf_printf(b, "<table id=\"t-market-%d\"><tr><th class=\"n\">lag</th><th class=\"n\">n</th>"
                          "<th class=\"n\">Pearson r</th><th class=\"n\">p</th><th class=\"n\">Spearman "
                          "&rho;</th><th class=\"n\">p</th></tr>", s);
            for (int l = 0; l < MT_REP_LAGS; l++) {
                const mt_rep_lag *L = &m->lags[l];
                mt_buf_printf(b, "<tr><td class=\"n\">%+d</td><td class=\"n\">%zu</td>", L->lag, L->n);
                dbl_td(b, L->pearson, 0);
                dbl_td(b, L->pearson_p, 1);
                dbl_td(b, L->spearman, 0);
                dbl_td(b, L->spearman_p, 1);
                mt_buf_puts(b, "</tr>");
            }
            mt_buf_puts(b, "</table>");
        }
        mt_buf_puts(b, "</section>\n");
    }
    if (r->analyses & MT_AN_TOP) {
        mt_buf_puts(b, "<section id=\"top\"><h2>Top pools, wallets, agents and hosts</h2>");
        mt_buf_puts(b, "<h3>Pools</h3>");
        table(b, "t-pools", "pool", &r->pools, 0);
        mt_buf_puts(b, "<h3>Wallets</h3>");
        table(b, "t-wallets", "wallet", &r->wallets, 0);
        mt_buf_puts(b, "<h3>Agents</h3>");
        table(b, "t-agents", "agent", &r->agents, 0);
        mt_buf_puts(b, "<h3>Hosts</h3>");
        table(b, "t-hosts", "host", &r->hosts, 0);
        mt_buf_puts(b, "</section>\n");
    }
    mt_buf_puts(b, "</body></html>\n");
}
