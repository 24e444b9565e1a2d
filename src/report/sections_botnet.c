/* The botnet study (issue 9): campaigns found in honeypot and brute-force
 * logs, the zombies of the mining ones per day (peak marked) and per
 * country, how many had port 22 open or were IoT devices (and for how many
 * that is unknown), and the credentials tried most. From the store's
 * botnet aggregates (mt_store_botnet_summary; each number is defined as
 * SQL in docs/STORE.md). One section, "botnet", the same in every format. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "report/sections.h"

#define T MT_RF_TEXT
#define J MT_RF_JSON
#define C MT_RF_CSV
#define H MT_RF_HTML

/* Beyond this many days (ten years) the day table lists stored days only
 * instead of every day of the span. */
#define MAX_FILLED_DAYS 3660

static double share(uint64_t part, uint64_t whole) { return whole ? (double)part / (double)whole : NAN; }

static int64_t day_of(mt_time_us t)
{
    const int64_t d = 86400000000LL;
    return t >= 0 ? t / d : (t - d + 1) / d;
}

static void rt_time_day(mt_rtable *t, mt_time_us ts)
{
    if (ts) mt_rt_date(t, day_of(ts));
    else mt_rt_null(t);
}

static void hbars(mt_rblock *ch, const mt_rtable *t, int label, int value, int note)
{
    mt_rchart *c = &ch->chart;
    c->t = t;
    c->label_col = label;
    c->value_col = value;
    c->note_col = note;
    c->accent_col = -1;
    c->max_rows = 20;
}

static void campaigns_table(const mt_store_botnet_summary *b, mt_rdoc *d, mt_rbox *x)
{
    mt_rb_heading(d, x, T | H, "Campaigns (mining first, then by sources)");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "campaigns", "botnet_campaigns", "t-botnet-campaigns")->table;
    mt_rt_col(d, t, "id", MT_RT_TEXT, 18);
    mt_rt_col(d, t, "sensor", MT_RT_TEXT, 12);
    mt_rt_col(d, t, "family", MT_RT_TEXT, 10);
    mt_rt_col(d, t, "mining", MT_RT_BOOL, 6);
    mt_rt_col(d, t, "reason", MT_RT_TEXT, 30);
    mt_rt_col(d, t, "sources", MT_RT_COUNT, 8);
    mt_rt_col(d, t, "sessions", MT_RT_COUNT, 9);
    int c_first = mt_rt_col(d, t, "first_seen", MT_RT_DATE, 10);
    int c_last = mt_rt_col(d, t, "last_seen", MT_RT_DATE, 10);
    mt_rt_col_label(d, t, c_first, "first", NULL);
    mt_rt_col_label(d, t, c_last, "last", NULL);
    mt_rt_col(d, t, "peak_day", MT_RT_TEXT, 10);
    int c_peak = mt_rt_col(d, t, "peak_active", MT_RT_COUNT, 6);
    mt_rt_col_label(d, t, c_peak, "peak", NULL);
    mt_rt_col(d, t, "marker_type", MT_RT_TEXT, 18);
    int c_marker = mt_rt_col(d, t, "marker", MT_RT_TEXT, 34);
    mt_rt_col_label(d, t, c_marker, "top marker", NULL);
    mt_rt_view(t, T | H, "id family mining sources sessions first_seen last_seen peak_active marker_type marker");
    for (size_t i = 0; i < b->nrows; i++) {
        const mt_store_campaign_row *r = &b->rows[i];
        mt_rt_text(d, t, r->id);
        mt_rt_text(d, t, r->sensor);
        mt_rt_text(d, t, r->family);
        mt_rt_int(t, r->mining ? 1 : 0);
        mt_rt_text(d, t, r->reason);
        mt_rt_count(t, r->sources);
        mt_rt_count(t, r->sessions);
        rt_time_day(t, r->first_seen);
        rt_time_day(t, r->last_seen);
        mt_rt_text(d, t, r->peak_day);
        mt_rt_count(t, r->peak_active);
        mt_rt_text(d, t, r->marker_type);
        mt_rt_text(d, t, r->marker);
    }
    t->show_empty = 1;
    t->more = b->campaigns > b->nrows ? b->campaigns - b->nrows : 0;
}

/* Zombies per day: every day from the first to the last (days without an
 * active member are 0), bars, and the peak day drawn as a second series
 * in the accent colour. */
static void days_chart(const mt_store_botnet_summary *b, mt_rdoc *d, mt_rbox *x)
{
    char day[16], n1[32];
    mt_rb_heading(d, x, T | H, "Zombies per day (active sources of the mining campaigns)");
    mt_rblock *ch = mt_rb_chart(d, x, MT_RCHART_TIME, "chart-botnet-days",
                                "Active sources of mining campaigns per day");
    /* Readers get the days with activity only: a span of years with a few
     * active days would be pages of zeros. JSON and CSV get every day of
     * the span (the chart's data). */
    mt_rtable *tt = &mt_rb_table(d, x, T | H, "days", "botnet_days", "t-botnet-days-active")->table;
    mt_rt_col(d, tt, "day", MT_RT_DATE, 10);
    mt_rt_col(d, tt, "active", MT_RT_COUNT, 9);
    mt_rt_col(d, tt, "peak", MT_RT_BOOL, 5);
    for (size_t k = 0; k < b->ndays; k++) {
        if (!b->days[k].active) continue;
        mt_rt_date(tt, b->days[k].day);
        mt_rt_count(tt, b->days[k].active);
        mt_rt_int(tt, b->days[k].day == b->peak_day);
    }
    tt->show_empty = 1;
    mt_rtable *t = &mt_rb_table(d, x, J | C, "days", "botnet_days", "t-botnet-days")->table;
    int c_day = mt_rt_col(d, t, "day", MT_RT_DATE, 10);
    int c_act = mt_rt_col(d, t, "active", MT_RT_COUNT, 9);
    mt_rt_col(d, t, "peak", MT_RT_BOOL, 5);
    int c_pk = mt_rt_col(d, t, "peak_bar", MT_RT_COUNT, 0); /* chart data: the peak's bar */
    mt_rt_view(t, J | C, "day active peak");
    int fill = b->ndays && b->days[b->ndays - 1].day - b->days[0].day < MAX_FILLED_DAYS;
    size_t j = 0;
    int64_t first = b->ndays ? b->days[0].day : 0, last = b->ndays ? b->days[b->ndays - 1].day : -1;
    for (int64_t dd = first; dd <= last; dd++) {
        uint64_t v = 0;
        if (j < b->ndays && b->days[j].day == dd) v = b->days[j++].active;
        else if (!fill) {
            dd = b->days[j].day - 1; /* jump to the next stored day */
            continue;
        }
        int peak = dd == b->peak_day;
        mt_rt_date(t, dd);
        mt_rt_count(t, v);
        mt_rt_int(t, peak);
        if (peak) mt_rt_count(t, v);
        else mt_rt_null(t);
    }
    t->show_empty = 1;
    mt_rchart *c = &ch->chart;
    c->t = t;
    c->xcol = c_day;
    c->label_col = c_day;
    c->period_days = 1;
    mt_rchart_series(d, c, t, c_day, c_act, MT_RS_BAR, MT_RAXIS_LEFT, "active sources")->at_mid = 1;
    if (b->peak_day >= 0) {
        mt_fmt_day(b->peak_day, day, sizeof day);
        mt_fmt_count(n1, sizeof n1, b->peak_active);
        mt_rchart_series(d, c, t, c_day, c_pk, MT_RS_BAR, MT_RAXIS_LEFT, mt_rdoc_printf(d, "peak %s: %s", day, n1))
            ->at_mid = 1;
    }
}

static void countries_table(const mt_store_botnet_summary *b, mt_rdoc *d, mt_rbox *x)
{
    mt_rb_heading(d, x, T | H, "Zombies by country (GeoIP)");
    mt_rblock *ch = mt_rb_chart(d, x, MT_RCHART_HBARS, "chart-botnet-countries", "Zombies per country");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "countries", "botnet_countries", "t-botnet-countries")->table;
    int c_cc = mt_rt_col(d, t, "country", MT_RT_TEXT, 18);
    int c_n = mt_rt_col(d, t, "sources", MT_RT_COUNT, 9);
    int c_sh = mt_rt_col(d, t, "share", MT_RT_SHARE, 7);
    for (size_t i = 0; i < b->ncountries; i++) {
        mt_rt_text(d, t, b->countries[i].code[0] ? b->countries[i].code : "(unknown)");
        mt_rt_count(t, b->countries[i].sources);
        mt_rt_share(t, share(b->countries[i].sources, b->members));
    }
    if (b->geo_unknown) {
        mt_rt_text(d, t, "(no GeoIP answer)");
        mt_rt_count(t, b->geo_unknown);
        mt_rt_share(t, share(b->geo_unknown, b->members));
    }
    t->show_empty = 1;
    t->more = b->distinct_countries > b->ncountries ? b->distinct_countries - b->ncountries : 0;
    hbars(ch, t, c_cc, c_n, c_sh);
}

static void exposure_row(mt_rdoc *d, mt_rtable *t, const char *what, uint64_t n, uint64_t of, uint64_t unknown)
{
    mt_rt_text(d, t, what);
    mt_rt_count(t, n);
    mt_rt_count(t, of);
    mt_rt_share(t, share(n, of));
    mt_rt_count(t, unknown);
}

static void exposure_table(const mt_store_botnet_summary *b, mt_rdoc *d, mt_rbox *x)
{
    mt_rb_heading(d, x, T | H, "Open port 22, IoT devices, GeoIP (members of mining campaigns)");
    mt_rblock *ch = mt_rb_chart(d, x, MT_RCHART_HBARS, "chart-botnet-exposure", "Share of the members it is known for");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "exposure", "botnet_exposure", "t-botnet-exposure")->table;
    int c_what = mt_rt_col(d, t, "figure", MT_RT_TEXT, 16);
    mt_rt_col(d, t, "count", MT_RT_COUNT, 9);
    int c_of = mt_rt_col(d, t, "of", MT_RT_COUNT, 9);
    mt_rt_col_label(d, t, c_of, "known for", NULL);
    int c_sh = mt_rt_col(d, t, "share", MT_RT_SHARE, 7);
    mt_rt_col(d, t, "unknown", MT_RT_COUNT, 9);
    uint64_t m = b->members;
    uint64_t not_scanned = m > b->scanned ? m - b->scanned : 0;
    uint64_t iot_known = m > b->iot_unknown ? m - b->iot_unknown : 0;
    uint64_t geo_known = m > b->geo_unknown ? m - b->geo_unknown : 0;
    exposure_row(d, t, "port 22 open", b->port22_open, b->scanned, not_scanned);
    exposure_row(d, t, "IoT device", b->iot, iot_known, b->iot_unknown);
    exposure_row(d, t, "GeoIP country", geo_known, m, b->geo_unknown);
    hbars(ch, t, c_what, c_sh, c_sh);
}

static void credentials_table(const mt_store_botnet_summary *b, mt_rdoc *d, mt_rbox *x)
{
    mt_rb_heading(d, x, T | H, "Credentials tried most");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "credentials", "botnet_credentials", "t-botnet-credentials")->table;
    int c_rank = mt_rt_col(d, t, "rank", MT_RT_INT, 3);
    mt_rt_col_label(d, t, c_rank, "#", NULL);
    mt_rt_col_format(t, c_rank, 0, MT_RCF_LEFT);
    mt_rt_col(d, t, "username", MT_RT_TEXT, 20);
    mt_rt_col(d, t, "password", MT_RT_TEXT, 24);
    mt_rt_col(d, t, "attempts", MT_RT_COUNT, 10);
    mt_rt_col(d, t, "sources", MT_RT_COUNT, 8);
    mt_rt_col(d, t, "days", MT_RT_COUNT, 5);
    int c_first = mt_rt_col(d, t, "first_seen", MT_RT_DATE, 10);
    int c_last = mt_rt_col(d, t, "last_seen", MT_RT_DATE, 10);
    mt_rt_col_label(d, t, c_first, "first", NULL);
    mt_rt_col_label(d, t, c_last, "last", NULL);
    mt_rt_view(t, J, "username password attempts sources days first_seen last_seen");
    for (size_t i = 0; i < b->ncredentials; i++) {
        const mt_store_botnet_cred *c = &b->credentials[i];
        mt_rt_int(t, (int64_t)i + 1);
        mt_rt_text(d, t, c->username);
        mt_rt_text(d, t, c->password);
        mt_rt_count(t, c->attempts);
        mt_rt_count(t, c->sources);
        mt_rt_count(t, c->days);
        rt_time_day(t, c->first_seen);
        rt_time_day(t, c->last_seen);
    }
    t->show_empty = 1;
    t->more = b->distinct_credentials > b->ncredentials ? b->distinct_credentials - b->ncredentials : 0;
}

void mt_sec_botnet(const mt_store_botnet_summary *b, mt_rdoc *d)
{
    char n1[32], n2[32], n3[32], n4[32], day[16], pct[16];
    mt_rsection *s = mt_rdoc_section(
        d, "botnet", "Cryptomining botnets (honeypot and brute-force logs)",
        "Zombies: distinct member addresses of the mining campaigns. Per day, per country and for port 22 "
        "and IoT devices the campaigns' own figures are summed over the mining campaigns; \"unknown\" "
        "counts the members a figure could not be computed for.");
    mt_rbox *x = &s->box;
    if (b->peak_day >= 0) mt_fmt_day(b->peak_day, day, sizeof day);
    else snprintf(day, sizeof day, "-");
    mt_fmt_count(n1, sizeof n1, b->campaigns);
    mt_fmt_count(n2, sizeof n2, b->mining_campaigns);
    mt_fmt_count(n3, sizeof n3, b->zombies);
    mt_fmt_count(n4, sizeof n4, b->peak_active);
    mt_rblock *p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_spanf(d, p, "%s campaigns, %s of them mining, with %s zombies; peak %s active on %s.", n1, n2, n3, n4,
                day);
    uint64_t m = b->members;
    mt_fmt_count(n1, sizeof n1, b->port22_open);
    mt_fmt_count(n2, sizeof n2, b->scanned);
    mt_fmt_pct(pct, sizeof pct, b->port22_open, b->scanned);
    mt_fmt_count(n3, sizeof n3, m > b->scanned ? m - b->scanned : 0);
    p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_spanf(d, p, "Port 22 open on %s of %s scanned members (%s); %s not scanned.", n1, n2, pct, n3);
    uint64_t iot_known = m > b->iot_unknown ? m - b->iot_unknown : 0;
    mt_fmt_count(n1, sizeof n1, b->iot);
    mt_fmt_count(n2, sizeof n2, iot_known);
    mt_fmt_pct(pct, sizeof pct, b->iot, iot_known);
    mt_fmt_count(n3, sizeof n3, b->iot_unknown);
    mt_fmt_count(n4, sizeof n4, b->geo_unknown);
    p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_spanf(d, p, "IoT devices: %s of %s members with device evidence (%s); %s without any. "
                      "No GeoIP answer for %s members.", n1, n2, pct, n3, n4);

    mt_rblock *kv = mt_rb_kv(d, &mt_rb_group(d, x, J | C, "totals", 0)->box, J | C, "botnet_summary");
    mt_rkv_count(d, kv, J | C, "campaigns", b->campaigns);
    mt_rkv_count(d, kv, J | C, "mining_campaigns", b->mining_campaigns);
    mt_rkv_count(d, kv, J | C, "zombies", b->zombies);
    mt_rkv_count(d, kv, J | C, "members", m);
    mt_rkv_count(d, kv, J | C, "attack_sources", b->botnet_sources);
    mt_rkv_text(d, kv, J | C, "peak_day", b->peak_day >= 0 ? day : "");
    mt_rkv_count(d, kv, J | C, "peak_active", b->peak_active);
    mt_rkv_count(d, kv, J | C, "scanned", b->scanned);
    mt_rkv_count(d, kv, J | C, "port22_open", b->port22_open);
    mt_rkv_share(d, kv, J | C, "port22_share", share(b->port22_open, b->scanned));
    mt_rkv_count(d, kv, J | C, "iot", b->iot);
    mt_rkv_count(d, kv, J | C, "iot_unknown", b->iot_unknown);
    mt_rkv_share(d, kv, J | C, "iot_share", share(b->iot, iot_known));
    mt_rkv_count(d, kv, J | C, "geo_unknown", b->geo_unknown);
    mt_rkv_count(d, kv, J | C, "countries", b->distinct_countries);
    mt_rkv_count(d, kv, J | C, "credentials", b->distinct_credentials);

    campaigns_table(b, d, x);
    days_chart(b, d, x);
    countries_table(b, d, x);
    exposure_table(b, d, x);
    credentials_table(b, d, x);

    mt_fmt_count(n1, sizeof n1, b->zombies);
    mt_rsec_highlight(d, s, "k-botnet-zombies", "zombies of mining botnets", n1);
    mt_fmt_count(n2, sizeof n2, b->peak_active);
    mt_rsec_highlight(d, s, "k-botnet-peak", mt_rdoc_printf(d, "peak active per day (%s)", day), n2);
    /* A share says what it is of: a share of three scanned members is not
     * one of thousands. */
    mt_fmt_pct(pct, sizeof pct, b->port22_open, b->scanned);
    mt_fmt_count(n3, sizeof n3, b->scanned);
    mt_rsec_highlight(d, s, "k-botnet-port22", mt_rdoc_printf(d, "with port 22 open (of %s scanned)", n3), pct);
    mt_fmt_pct(pct, sizeof pct, b->iot, iot_known);
    mt_fmt_count(n4, sizeof n4, iot_known);
    mt_rsec_highlight(d, s, "k-botnet-iot", mt_rdoc_printf(d, "IoT devices (of %s with device evidence)", n4), pct);
}
