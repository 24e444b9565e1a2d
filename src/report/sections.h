/* Section builders: each turns one study's analysis results into sections
 * of a report document (report/section.h), which any renderer then draws.
 * A new study adds its builder here and calls it after (or instead of) the
 * traffic one; the renderers do not change (docs/REPORT.md, "Adding a
 * section"). */
#ifndef MT_REPORT_SECTIONS_H
#define MT_REPORT_SECTIONS_H

#include "analyze/analyze.h"
#include "minetrace/store.h"
#include "report/section.h"

/* The traffic study (analyze/analyze.h): the overview (range, totals, key
 * figures) and one section per analysis computed, in the order activity,
 * mix, ports, victims, market, top. Also sets the document's titles. */
void mt_traffic_sections(const mt_report *r, mt_rdoc *d);

/* The builders it is made of (sections_traffic.c). */
void mt_sec_overview(const mt_report *r, mt_rdoc *d);
void mt_sec_activity(const mt_report *r, mt_rdoc *d);
void mt_sec_mix(const mt_report *r, mt_rdoc *d);
void mt_sec_ports(const mt_report *r, mt_rdoc *d);
void mt_sec_victims(const mt_report *r, mt_rdoc *d);
void mt_sec_market(const mt_report *r, mt_rdoc *d);
void mt_sec_top(const mt_report *r, mt_rdoc *d);

/* The breakdown by sensor (sections_sensors.c): one section "sensors"
 * from the report's per-sensor rows (findings, mining, precursor, hosts,
 * mining hosts, first and last day) and the selected sensors without a
 * finding in range. Wanted when the range holds more than one sensor, a
 * selected sensor has none, or `always` (report --by-sensor); added after
 * the traffic sections. */
int mt_sec_sensors_wanted(const mt_report *r, int always);
void mt_sec_sensors(const mt_report *r, mt_rdoc *d);

/* The website study (sections_web.c): one section "web" from the store's
 * web aggregates (store.h, mt_store_web_summary_get): totals, sites by rank
 * interval, category, provider and kind of evidence, and site-key
 * campaigns. `min_confidence` is the threshold the summary was computed
 * with (it is shown). Add it after mt_traffic_sections() when the store
 * holds web findings. */
void mt_sec_web(const mt_store_web_summary *w, int min_confidence, mt_rdoc *d);

/* The botnet study (sections_botnet.c): one section "botnet" from the
 * store's botnet aggregates (store.h, mt_store_botnet_summary_get): key
 * figures, campaigns, zombies per day with the peak, countries, port 22
 * and IoT shares with their unknowns, credentials. Add it after the
 * traffic and web sections when the store holds botnet records. */
void mt_sec_botnet(const mt_store_botnet_summary *b, mt_rdoc *d);

#endif
