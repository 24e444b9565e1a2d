/* Renderers of a report document (report/section.h): terminal tables,
 * JSON, one CSV file per table, and one self-contained HTML page with inline
 * SVG charts. They know blocks, columns and charts, not analyses. Every
 * string that comes from the data goes through an escaper: JSON/CSV/HTML
 * ones from util/buf.h, and for the terminal mt_term_str(), which replaces
 * control characters and invalid UTF-8 so a hostile pool name cannot drive
 * the analyst's terminal. */
#ifndef MT_REPORT_RENDER_H
#define MT_REPORT_RENDER_H

#include <stdio.h>

#include "minetrace/common.h"
#include "report/section.h"
#include "util/buf.h"

void mt_render_text(const mt_rdoc *d, mt_buf *b);
void mt_render_json(const mt_rdoc *d, mt_buf *b);
/* Writes DIR/<csv name>.csv for each table and key/value file; creates DIR. */
int mt_render_csv(const mt_rdoc *d, const char *dir);
void mt_render_html(const mt_rdoc *d, mt_buf *b);

/* Shared helpers (render_util.c). */
/* Terminal-safe copy of s, at most `width` code points (0 = no limit);
 * control bytes and invalid UTF-8 become '?'; a cut string ends in '~'. */
void mt_term_str(mt_buf *b, const char *s, size_t width);
/* Display width (code points) of a string as mt_term_str prints it. */
size_t mt_term_width(const char *s, size_t width);
/* "2018-01-30" of a local day number. */
void mt_fmt_day(int64_t day, char *buf, size_t cap);
/* Numbers for JSON: NaN/inf become null. */
void mt_json_double(mt_buf *b, double v);
/* "12.3%" (one decimal) or "-" when the denominator was 0. */
void mt_fmt_pct(char *buf, size_t cap, uint64_t part, uint64_t whole);
/* "1,234,567". */
void mt_fmt_count(char *buf, size_t cap, uint64_t v);
/* A non-text value as text and HTML show it: counts with thousands
 * separators, shares as "12.3%", undefined values as "-". */
void mt_rcell_display(const mt_rcol *c, const mt_rcell *v, char *buf, size_t cap);
/* A non-text value as JSON and CSV hold it (shares as fractions, %.6g);
 * returns 0 for null/undefined (JSON null, empty CSV field). */
int mt_rcell_plain(const mt_rcol *c, const mt_rcell *v, char *buf, size_t cap);

#endif
