/* The breakdown by sensor (issue 11: one store for a fleet, a sensor per
 * customer network): one row per sensor with traffic findings in the
 * report's range, from the store's MT_SQ_SENSORS rows (docs/STORE.md), and
 * the selected sensors (report --sensor) that have none. Sensor names are
 * user input: they go into the document as data and every renderer escapes
 * them. */
#include <math.h>
#include <stdio.h>

#include "report/render.h"
#include "report/sections.h"

#define T MT_RF_TEXT
#define J MT_RF_JSON
#define C MT_RF_CSV
#define H MT_RF_HTML

static int64_t utc_day(mt_time_us ts)
{
    return ts >= 0 ? ts / 86400000000LL : -((-ts + 86399999999LL) / 86400000000LL);
}

int mt_sec_sensors_wanted(const mt_report *r, int always)
{
    return always || r->nsensors > 1 || r->nunmatched > 0;
}

void mt_sec_sensors(const mt_report *r, mt_rdoc *d)
{
    mt_rsection *s = mt_rdoc_section(d, "sensors", "Sensors",
                                     "Traffic findings in the range per sensor (the name scan, ingest, web and "
                                     "botnet store with every row); hosts are distinct source addresses seen "
                                     "by that sensor, so a host seen by two sensors counts in each; first and last are UTC days.");
    s->title_fmt = H;
    mt_rbox *x = &s->box;
    mt_rb_heading(d, x, T, "Sensors (traffic findings in the range per sensor; days in UTC)");
    mt_rb_para(d, x, T, NULL);
    mt_rb_span(d, x->v[x->n - 1], "m.hosts: hosts with mining findings; a host seen by two sensors counts in each.",
               0, NULL);
    uint64_t total = 0;
    for (size_t i = 0; i < r->nsensors; i++) total += r->sensors[i].findings;
    mt_rblock *ch = mt_rb_chart(d, x, MT_RCHART_HBARS, "chart-sensors", "Findings per sensor");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "rows", "sensors", "t-sensors")->table;
    int c_name = mt_rt_col(d, t, "sensor", MT_RT_TEXT, 14);
    int c_find = mt_rt_col(d, t, "findings", MT_RT_COUNT, 8);
    int c_share = mt_rt_col(d, t, "share", MT_RT_SHARE, 7);
    mt_rt_col(d, t, "mining", MT_RT_COUNT, 8);
    mt_rt_col(d, t, "precursor", MT_RT_COUNT, 9);
    mt_rt_col(d, t, "hosts", MT_RT_COUNT, 6);
    int c_mh = mt_rt_col(d, t, "mining_hosts", MT_RT_COUNT, 7);
    mt_rt_col_label(d, t, c_mh, "m.hosts", NULL);
    mt_rt_col(d, t, "first", MT_RT_DATE, 10);
    mt_rt_col(d, t, "last", MT_RT_DATE, 10);
    /* A terminal line stays within 79 columns; the shares and precursors
     * are in the other formats. */
    mt_rt_view(t, T, "sensor findings mining hosts mining_hosts first last");
    for (size_t i = 0; i < r->nsensors; i++) {
        const mt_store_sensor_row *w = &r->sensors[i];
        mt_rt_text(d, t, w->sensor[0] ? w->sensor : "(unnamed)");
        mt_rt_count(t, w->findings);
        mt_rt_share(t, total ? (double)w->findings / (double)total : NAN);
        mt_rt_count(t, w->mining);
        mt_rt_count(t, w->precursor);
        mt_rt_count(t, w->hosts);
        mt_rt_count(t, w->mining_hosts);
        mt_rt_date(t, utc_day(w->first));
        mt_rt_date(t, utc_day(w->last));
    }
    t->show_empty = 1;
    mt_rchart *c = &ch->chart;
    c->t = t;
    c->label_col = c_name;
    c->value_col = c_find;
    c->note_col = c_share;
    c->accent_col = -1;
    c->max_rows = 20;

    if (!r->nunmatched) return;
    mt_rblock *p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_span(d, p, r->nunmatched == 1 ? "No finding in the range for the selected sensor "
                                        : "No finding in the range for the selected sensors ", 0, NULL);
    for (size_t i = 0; i < r->nunmatched; i++) {
        if (i) mt_rb_span(d, p, ", ", 0, NULL);
        mt_rb_span(d, p, r->unmatched[i], 0, NULL);
    }
    mt_rb_span(d, p, ".", 0, NULL);
    mt_rtable *u = &mt_rb_table(d, x, J | C, "unmatched", "sensors_unmatched", NULL)->table;
    mt_rt_col(d, u, "sensor", MT_RT_TEXT, 24);
    for (size_t i = 0; i < r->nunmatched; i++) mt_rt_text(d, u, r->unmatched[i]);
}
