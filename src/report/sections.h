/* Section builders: each turns one study's analysis results into sections
 * of a report document (report/section.h), which any renderer then draws.
 * A new study adds its builder here and calls it after (or instead of) the
 * traffic one; the renderers do not change (docs/REPORT.md, "Adding a
 * section"). */
#ifndef MT_REPORT_SECTIONS_H
#define MT_REPORT_SECTIONS_H

#include "analyze/analyze.h"
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

#endif
