/* CSV output of `minetrace report --csv DIR`: one RFC 4180 file per table
 * (names in docs/REPORT.md), shares as fractions. Every data string goes
 * through mt_csv_str, which also defuses spreadsheet formulas. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "report/render.h"

static int write_file(const char *dir, const char *name, mt_buf *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return mt_error_set(MT_EIO, "cannot write %s: %s", path, strerror(errno));
    size_t w = fwrite(b->p ? b->p : "", 1, b->len, f);
    int bad = w != b->len;
    if (fclose(f) != 0) bad = 1;
    mt_buf_reset(b);
    if (bad) return mt_error_set(MT_EIO, "cannot write %s", path);
    return MT_OK;
}

static void dbl(mt_buf *b, double v)
{
    if (isfinite(v)) mt_buf_printf(b, "%.6g", v);
}

static int table(const char *dir, const char *file, const char *namecol, const mt_rep_table *t,
                 int hosts, int orgs, mt_buf *b)
{
    mt_buf_printf(b, "rank,%s,findings%s%s,share\r\n", namecol, hosts ? ",hosts" : "",
                  orgs ? ",organisations" : "");
    for (size_t i = 0; i < t->n; i++) {
        const mt_rep_row *w = &t->v[i];
        mt_buf_printf(b, "%zu,", i + 1);
        mt_csv_str(b, w->name);
        mt_buf_printf(b, ",%llu", (unsigned long long)w->findings);
        if (hosts) mt_buf_printf(b, ",%llu", (unsigned long long)w->hosts);
        if (orgs) mt_buf_printf(b, ",%llu", (unsigned long long)w->orgs);
        mt_buf_putc(b, ',');
        dbl(b, w->share);
        mt_buf_puts(b, "\r\n");
    }
    return write_file(dir, file, b);
}

int mt_render_csv(const mt_report *r, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return mt_error_set(MT_EIO, "cannot create %s: %s", dir, strerror(errno));
    mt_buf b;
    mt_buf_init(&b);
    int rc = MT_OK;
    char from[16], to[16];
    mt_report_days(r, from, to, sizeof from);
    mt_buf_puts(&b, "key,value\r\n");
    mt_buf_printf(&b, "from,%s\r\nto,%s\r\nby,%s\r\ntz,", from, to, mt_period_unit_str(r->by));
    mt_csv_str(&b, r->tz);
    mt_buf_printf(&b, "\r\nfindings,%llu\r\nmining,%llu\r\nprecursor,%llu\r\nhosts,%llu\r\n"
                  "mining_hosts,%llu\r\n", (unsigned long long)r->findings_total,
                  (unsigned long long)r->findings_mining, (unsigned long long)r->findings_precursor,
                  (unsigned long long)r->hosts_all, (unsigned long long)r->hosts_mining);
    rc = write_file(dir, "summary.csv", &b);

    if (!rc && (r->analyses & MT_AN_ACTIVITY)) {
        mt_buf_puts(&b, "period,start,findings,hosts\r\n");
        for (size_t i = 0; i < r->nperiods; i++) {
            char d[16];
            mt_fmt_day(r->periods[i].first_day, d, sizeof d);
            mt_buf_printf(&b, "%s,%s,%llu,%llu\r\n", r->periods[i].label, d,
                          (unsigned long long)r->periods[i].findings,
                          (unsigned long long)r->periods[i].hosts);
        }
        rc = write_file(dir, "activity.csv", &b);
    }
    if (!rc && (r->analyses & MT_AN_MIX)) {
        rc = table(dir, "families.csv", "family", &r->families, 1, 0, &b);
        if (!rc) rc = table(dir, "kinds.csv", "kind", &r->kinds, 1, 0, &b);
        if (!rc) rc = table(dir, "behaviours.csv", "behaviour", &r->behaviours, 1, 0, &b);
    }
    if (!rc && (r->analyses & MT_AN_PORTS)) {
        mt_buf_puts(&b, "rank,port,group,findings,hosts,share\r\n");
        mt_buf_printf(&b, ",80,web,%llu,%llu,", (unsigned long long)r->p80, (unsigned long long)r->p80_hosts);
        dbl(&b, r->port_findings ? (double)r->p80 / (double)r->port_findings : NAN);
        mt_buf_printf(&b, "\r\n,443,web,%llu,%llu,", (unsigned long long)r->p443,
                      (unsigned long long)r->p443_hosts);
        dbl(&b, r->port_findings ? (double)r->p443 / (double)r->port_findings : NAN);
        mt_buf_puts(&b, "\r\n");
        for (size_t i = 0; i < r->ports.n; i++) {
            const mt_rep_row *w = &r->ports.v[i];
            mt_buf_printf(&b, "%zu,%s,other,%llu,%llu,", i + 1, w->name, (unsigned long long)w->findings,
                          (unsigned long long)w->hosts);
            dbl(&b, w->share);
            mt_buf_puts(&b, "\r\n");
        }
        rc = write_file(dir, "ports.csv", &b);
        if (!rc) {
            mt_buf_puts(&b, "range,first,last,findings,share\r\n");
            for (int i = 0; i < MT_REP_NRANGES; i++) {
                if (!r->ranges[i]) continue;
                char lab[24];
                mt_range_label(i, lab, sizeof lab);
                mt_buf_printf(&b, "%s,%d,%d,%llu,", lab, i * 1000, i == 65 ? 65535 : i * 1000 + 999,
                              (unsigned long long)r->ranges[i]);
                dbl(&b, (double)r->ranges[i] / (double)r->ranges_total);
                mt_buf_puts(&b, "\r\n");
            }
            rc = write_file(dir, "port_ranges.csv", &b);
        }
    }
    if (!rc && (r->analyses & MT_AN_VICTIMS)) {
        /* Rows rank by hosts; the `findings` column is the hosts' mining findings. */
        const mt_rep_table *ts[2] = {&r->sectors, &r->sizes};
        const char *files[2] = {"victims_sector.csv", "victims_size.csv"};
        const char *cols[2] = {"sector", "size"};
        for (int t = 0; t < 2 && !rc; t++) {
            mt_buf_printf(&b, "%s,hosts,organisations,findings,share\r\n", cols[t]);
            for (size_t i = 0; i < ts[t]->n; i++) {
                const mt_rep_row *w = &ts[t]->v[i];
                mt_csv_str(&b, w->name);
                mt_buf_printf(&b, ",%llu,%llu,%llu,", (unsigned long long)w->hosts,
                              (unsigned long long)w->orgs, (unsigned long long)w->findings);
                dbl(&b, w->share);
                mt_buf_puts(&b, "\r\n");
            }
            rc = write_file(dir, files[t], &b);
        }
    }
    if (!rc && (r->analyses & MT_AN_MARKET)) {
        mt_buf_puts(&b, "series,lag,n,pearson,pearson_p,spearman,spearman_p\r\n");
        for (int i = 0; i < r->nmarket; i++) {
            for (int l = 0; l < MT_REP_LAGS; l++) {
                const mt_rep_lag *L = &r->market[i].lags[l];
                mt_csv_str(&b, r->market[i].series.name);
                mt_buf_printf(&b, ",%d,%zu,", L->lag, L->n);
                dbl(&b, L->pearson);
                mt_buf_putc(&b, ',');
                dbl(&b, L->pearson_p);
                mt_buf_putc(&b, ',');
                dbl(&b, L->spearman);
                mt_buf_putc(&b, ',');
                dbl(&b, L->spearman_p);
                mt_buf_puts(&b, "\r\n");
            }
        }
        rc = write_file(dir, "market_correlation.csv", &b);
        if (!rc) {
            mt_buf_puts(&b, "series,month,findings,hosts,price\r\n");
            for (int i = 0; i < r->nmarket; i++)
                for (size_t k = 0; k < r->nmonths; k++) {
                    mt_csv_str(&b, r->market[i].series.name);
                    mt_buf_printf(&b, ",%s,%llu,%llu,", r->months[k].label,
                                  (unsigned long long)r->months[k].findings,
                                  (unsigned long long)r->months[k].hosts);
                    dbl(&b, r->market[i].month_price[k]);
                    mt_buf_puts(&b, "\r\n");
                }
            rc = write_file(dir, "market_monthly.csv", &b);
        }
    }
    if (!rc && (r->analyses & MT_AN_TOP)) {
        rc = table(dir, "top_pools.csv", "pool", &r->pools, 0, 0, &b);
        if (!rc) rc = table(dir, "top_wallets.csv", "wallet", &r->wallets, 0, 0, &b);
        if (!rc) rc = table(dir, "top_agents.csv", "agent", &r->agents, 0, 0, &b);
        if (!rc) rc = table(dir, "top_hosts.csv", "host", &r->hosts, 0, 0, &b);
    }
    mt_buf_free(&b);
    return rc;
}
