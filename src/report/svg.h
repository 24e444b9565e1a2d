/* Inline SVG charts for the HTML report: horizontal and vertical bar
 * charts and axis helpers. Charts are plain SVG elements inside the page
 * (no scripts, no external references); every label from the data is cut
 * to a display length and then HTML-escaped. */
#ifndef MT_REPORT_SVG_H
#define MT_REPORT_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct mt_bar {
    const char *label;   /* from the data: escaped here */
    double value;
    const char *note;    /* text after the bar, e.g. "43.0%" (escaped) */
    int accent;          /* draw in the accent colour (e.g. ports 80/443) */
} mt_bar;

/* "Nice" axis maximum >= v and its tick step (1, 2, 2.5, 5 x 10^k; ~5 ticks). */
double mt_svg_nice(double v, double *step);
/* Escaped, cut to at most `max` code points (a cut label ends in "…"). */
void mt_svg_label(mt_buf *b, const char *s, size_t max);
/* Number for axis ticks: 12, 1.5k, 2M. */
void mt_svg_num(char *buf, size_t cap, double v);

/* One series of a time chart. */
typedef struct mt_svg_series {
    const double *y;      /* n values; NaN = no point */
    const int64_t *x;     /* day of each point; NULL = the middle of period i */
    size_t n;
    int bar;              /* bars (one per period) instead of a line */
    int own;              /* own scale: the first gets the right axis, later ones are scaled */
    const char *label;    /* legend (escaped) */
    size_t label_max;     /* cut the label to this many code points (0 = whole) */
    const char *suffix;   /* after the label */
    int log;              /* logarithmic axis (over 1 + y; ticks 0, 1, 10, 100, ...) */
    const char *axis;     /* own axis title (escaped); NULL = the label cut short */
} mt_svg_series;

#define MT_SVG_MAXSERIES 8

/* Time chart over n periods starting on the days start[] (labels[] under
 * the axis; the last period lasts as long as the one before it, or
 * `period_days` when it is alone): bars and lines on a shared left axis
 * (logarithmic when any of them asks: the title says so), and lines on
 * their own scales, each with its own labelled axis on the right (at most
 * MT_SVG_MAXSERIES series). Draws nothing for n = 0. */
void mt_svg_time(mt_buf *b, const char *id, const char *alt, const char *title, const int64_t *start,
                 const char *const *labels, size_t n, int period_days, const mt_svg_series *s,
                 size_t ns);

void mt_svg_hbars(mt_buf *b, const char *id, const char *title, const mt_bar *bars, size_t n);
void mt_svg_vbars(mt_buf *b, const char *id, const char *title, const mt_bar *bars, size_t n);

#endif
