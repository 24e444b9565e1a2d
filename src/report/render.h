/* Renderers of the report model (analyze/analyze.h): terminal tables, JSON,
 * one CSV file per table, and one self-contained HTML page with inline SVG
 * charts. Every string that comes from the data goes through an escaper:
 * JSON/CSV/HTML ones from util/buf.h, and for the terminal mt_term_str(),
 * which replaces control characters and invalid UTF-8 so a hostile pool
 * name cannot drive the analyst's terminal. */
#ifndef MT_REPORT_RENDER_H
#define MT_REPORT_RENDER_H

#include <stdio.h>

#include "analyze/analyze.h"
#include "util/buf.h"

void mt_render_text(const mt_report *r, mt_buf *b);
void mt_render_json(const mt_report *r, mt_buf *b);
/* Writes DIR/<table>.csv for each analysis computed; creates DIR. */
int mt_render_csv(const mt_report *r, const char *dir);
void mt_render_html(const mt_report *r, mt_buf *b);

/* Shared helpers (render_util.c). */
/* Terminal-safe copy of s, at most `width` code points (0 = no limit);
 * control bytes and invalid UTF-8 become '?'; a cut string ends in '~'. */
void mt_term_str(mt_buf *b, const char *s, size_t width);
/* Display width (code points) of a string as mt_term_str prints it. */
size_t mt_term_width(const char *s, size_t width);
/* "2018-01-30" of a UTC-microsecond instant shown in the report's zone
 * (the bound is printed as given: local calendar). */
void mt_fmt_day(int64_t day, char *buf, size_t cap);
/* Numbers for JSON: NaN/inf become null. */
void mt_json_double(mt_buf *b, double v);
/* "12.3%" (one decimal) or "-" when the denominator was 0. */
void mt_fmt_pct(char *buf, size_t cap, uint64_t part, uint64_t whole);
/* "1,234,567". */
void mt_fmt_count(char *buf, size_t cap, uint64_t v);
/* Range label of port bucket i: "3000-3999". */
void mt_range_label(int i, char *buf, size_t cap);
/* Local first and last day of the report range. */
void mt_report_days(const mt_report *r, char *from, char *to, size_t cap);

#endif
