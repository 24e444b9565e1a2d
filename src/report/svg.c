/* SVG bar charts for the HTML report (see svg.h). */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double mt_svg_nice(double v, double *step)
{
    if (!(v > 0) || !isfinite(v)) {
        *step = 1;
        return 1;
    }
    /* About five ticks: the smallest 1/2/2.5/5 x 10^k step >= v/5, and the
     * axis ends at the first multiple of it that reaches v. */
    double raw = v / 5, mag = pow(10, floor(log10(raw)));
    static const double f[] = {1, 2, 2.5, 5, 10};
    double st = mag * 10;
    for (int i = 0; i < 5; i++)
        if (f[i] * mag >= raw) { st = f[i] * mag; break; }
    *step = st;
    return ceil(v / st - 1e-9) * st;
}

void mt_svg_num(char *buf, size_t cap, double v)
{
    double a = fabs(v);
    if (a >= 1e9) snprintf(buf, cap, "%.3gG", v / 1e9);
    else if (a >= 1e6) snprintf(buf, cap, "%.3gM", v / 1e6);
    else if (a >= 1e4) snprintf(buf, cap, "%.3gk", v / 1e3);
    else if (a >= 100 || a == floor(a)) snprintf(buf, cap, "%.0f", v);
    else snprintf(buf, cap, "%.3g", v);
}

void mt_svg_label(mt_buf *b, const char *s, size_t max)
{
    char tmp[512];
    size_t o = 0, cols = 0, n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (n && cols < max && o + 4 < sizeof tmp - 4) {
        size_t k = mt_utf8_seq_len(p, n);
        if (!k) k = 1; /* invalid byte: copied, the escaper replaces it */
        memcpy(tmp + o, p, k);
        o += k;
        p += k;
        n -= k;
        cols++;
    }
    if (n) {
        memcpy(tmp + o, "\xe2\x80\xa6", 3);
        o += 3;
    }
    tmp[o] = '\0';
    mt_html_str(b, tmp);
}

#define HB_W 760
#define HB_LABEL 230
#define HB_ROW 22

void mt_svg_hbars(mt_buf *b, const char *id, const char *title, const mt_bar *bars, size_t n)
{
    double max = 0, step;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max) max = bars[i].value;
    max = mt_svg_nice(max, &step);
    int plot = HB_W - HB_LABEL - 90;
    int h = 40 + (int)n * HB_ROW + 24;
    mt_buf_printf(b, "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", id, HB_W, h, HB_W, h);
    mt_buf_puts(b, "<title>");
    mt_html_str(b, title);
    mt_buf_puts(b, "</title><text x=\"4\" y=\"18\" class=\"ct\">");
    mt_html_str(b, title);
    mt_buf_puts(b, "</text>");
    int y0 = 30, y1 = 30 + (int)n * HB_ROW;
    for (double t = 0; t <= max * 1.0001; t += step) {
        double x = HB_LABEL + t / max * plot;
        char num[32];
        mt_svg_num(num, sizeof num, t);
        mt_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>"
                      "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                      x, y0, x, y1, x, y1 + 14, num);
    }
    for (size_t i = 0; i < n; i++) {
        int y = y0 + (int)i * HB_ROW;
        double w = max > 0 ? bars[i].value / max * plot : 0;
        mt_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lab\" text-anchor=\"end\">", HB_LABEL - 6, y + 15);
        mt_svg_label(b, bars[i].label, 32);
        mt_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"%s\"/>",
                      HB_LABEL, y + 3, w, HB_ROW - 6, bars[i].accent ? "bar2" : "bar");
        if (bars[i].note) {
            mt_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" class=\"val\">", HB_LABEL + w + 5, y + 15);
            mt_html_str(b, bars[i].note);
            mt_buf_puts(b, "</text>");
        }
    }
    mt_buf_puts(b, "</svg>\n");
}

#define VB_W 1000
#define VB_H 300

void mt_svg_vbars(mt_buf *b, const char *id, const char *title, const mt_bar *bars, size_t n)
{
    double max = 0, step;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max) max = bars[i].value;
    max = mt_svg_nice(max, &step);
    int left = 60, right = 20, top = 30, bottom = 90;
    double pw = VB_W - left - right, ph = VB_H - top - bottom;
    mt_buf_printf(b, "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", id, VB_W, VB_H,
                  VB_W, VB_H);
    mt_buf_puts(b, "<title>");
    mt_html_str(b, title);
    mt_buf_puts(b, "</title><text x=\"4\" y=\"18\" class=\"ct\">");
    mt_html_str(b, title);
    mt_buf_puts(b, "</text>");
    for (double t = 0; t <= max * 1.0001; t += step) {
        double y = top + ph - t / max * ph;
        char num[32];
        mt_svg_num(num, sizeof num, t);
        mt_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                      "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>",
                      left, y, left + pw, y, left - 4, y + 4, num);
    }
    double slot = n ? pw / (double)n : pw;
    for (size_t i = 0; i < n; i++) {
        double x = left + slot * (double)i;
        double hgt = max > 0 ? bars[i].value / max * ph : 0;
        mt_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"%s\"/>",
                      x + slot * 0.1, top + ph - hgt, slot * 0.8, hgt, bars[i].accent ? "bar2" : "bar");
        if (bars[i].note && n <= 24) {
            mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\" text-anchor=\"middle\">",
                          x + slot / 2, top + ph - hgt - 4);
            mt_html_str(b, bars[i].note);
            mt_buf_puts(b, "</text>");
        }
        double lx = x + slot / 2, ly = top + ph + 12;
        mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\" "
                      "transform=\"rotate(-45 %.1f %.1f)\">", lx, ly, lx, ly);
        mt_svg_label(b, bars[i].label, 14);
        mt_buf_puts(b, "</text>");
    }
    mt_buf_puts(b, "</svg>\n");
}

static const char *OWN_COLOURS[] = {"#c0392b", "#8e44ad", "#b8860b", "#7f8c8d"};

/* The x axis of a time chart: periods start[0..n), the last ending on d1. */
typedef struct time_axis {
    const int64_t *start;
    size_t n;
    int64_t d0, d1;
    double left, width, span;
} time_axis;

/* x of point i of a series: at its own day (kept inside the plot), or in
 * the middle of period i. */
static double point_x(const time_axis *g, const mt_svg_series *s, size_t i)
{
    if (s->x) {
        double x = g->left + (double)(s->x[i] - g->d0) / g->span * g->width;
        if (x < g->left) x = g->left;
        if (x > g->left + g->width) x = g->left + g->width;
        return x;
    }
    int64_t next = i + 1 < g->n ? g->start[i + 1] : g->d1;
    return g->left + ((double)(g->start[i] - g->d0) + (double)(next - g->start[i]) / 2) / g->span * g->width;
}

/* A y axis: linear from 0 to a nice maximum, or logarithmic over 1 + v
 * (so 0 stays on the baseline and 1 stands above it) up to a power of ten. */
typedef struct y_axis {
    double max, step;
    int log;
    double top, height;
} y_axis;

static void y_axis_fit(y_axis *a, double vmax, int log, double top, double height)
{
    a->log = log;
    a->top = top;
    a->height = height;
    if (log) {
        double p = 10;
        while (p < vmax && p < 1e18) p *= 10;
        a->max = p;
        a->step = 10; /* ticks at 0, 1, 10, 100, ... */
    } else {
        a->max = mt_svg_nice(vmax, &a->step);
    }
}

static double y_of(const y_axis *a, double v)
{
    double f = 0;
    if (!(v > 0)) f = 0;
    else if (a->log) f = log10(1 + v) / log10(1 + a->max);
    else f = v / a->max;
    if (f > 1) f = 1;
    return a->top + a->height - f * a->height;
}

/* The tick values of an axis, in order; returns how many (at most cap). */
static size_t y_ticks(const y_axis *a, double *t, size_t cap)
{
    size_t k = 0;
    if (a->log) {
        t[k++] = 0;
        for (double v = 1; v <= a->max * 1.0001 && k < cap; v *= 10) t[k++] = v;
    } else {
        for (double v = 0; v <= a->max * 1.0001 && k < cap; v += a->step) t[k++] = v;
    }
    return k;
}

static void legend_text(mt_buf *b, const mt_svg_series *s)
{
    if (s->label_max) mt_svg_label(b, s->label, s->label_max);
    else mt_html_str(b, s->label);
    if (s->suffix) mt_html_str(b, s->suffix);
}

/* Legend width estimate (about 6.5 px per code point at the tick size). */
static double legend_width(const mt_svg_series *s)
{
    size_t n = 0;
    const char *p = s->label;
    for (; *p; p++) n += ((unsigned char)*p & 0xc0) != 0x80;
    if (s->label_max && n > s->label_max) n = s->label_max + 1;
    if (s->suffix) n += strlen(s->suffix);
    if (s->own) n += 13; /* " (right axis)" */
    return 30 + 6.5 * (double)n;
}

#define OWN_AXIS_W 64

void mt_svg_time(mt_buf *b, const char *id, const char *alt, const char *title, const int64_t *start,
                 const char *const *labels, size_t n, int period_days, const mt_svg_series *s,
                 size_t ns)
{
    if (!n) return;
    /* Every own-scale series gets its own labelled axis on the right, one
     * beside the other, so no line is drawn against an axis it does not
     * share. */
    size_t nown = 0;
    int left_log = 0;
    for (size_t k = 0; k < ns; k++) {
        if (s[k].own) nown++;
        else if (s[k].log) left_log = 1;
    }
    const int W = 1000, L = 70, T = 40, B = 50;
    int R = nown > 1 ? 6 + OWN_AXIS_W * (int)nown : 70;
    /* Legend entries left to right, wrapping onto more rows. */
    double lx[MT_SVG_MAXSERIES];
    int lrow[MT_SVG_MAXSERIES], rows = 1;
    {
        double x = L;
        for (size_t k = 0; k < ns && k < MT_SVG_MAXSERIES; k++) {
            double w = legend_width(&s[k]);
            if (x > L && x + w > W - 10) { rows++; x = L; }
            lx[k] = x;
            lrow[k] = rows - 1;
            x += w + 16;
        }
    }
    const int H = 340 + 16 * (rows - 1);
    double pw = W - L - R, ph = 340 - T - B;
    int64_t d0 = start[0];
    int64_t d1 = n > 1 ? 2 * start[n - 1] - start[n - 2] : d0 + period_days;
    if (d1 <= d0) d1 = d0 + 1;
    double span = (double)(d1 - d0);
    time_axis g = {start, n, d0, d1, L, pw, span};
    double max = 0;
    for (size_t k = 0; k < ns; k++)
        if (!s[k].own)
            for (size_t i = 0; i < s[k].n; i++)
                if (isfinite(s[k].y[i]) && s[k].y[i] > max) max = s[k].y[i];
    y_axis ya;
    y_axis_fit(&ya, max, left_log, T, ph);
    mt_buf_printf(b, "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>", id, W, H, W, H);
    mt_html_str(b, alt);
    mt_buf_puts(b, "</title><text x=\"4\" y=\"18\" class=\"ct\">");
    mt_html_str(b, title);
    if (left_log) mt_buf_puts(b, " (log scale)");
    mt_buf_puts(b, "</text>");
    double tk[24];
    size_t nt = y_ticks(&ya, tk, 24);
    for (size_t j = 0; j < nt; j++) {
        double y = y_of(&ya, tk[j]);
        char num[32];
        mt_svg_num(num, sizeof num, tk[j]);
        mt_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                      "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>",
                      L, y, L + pw, y, L - 4, y + 4, num);
    }
    /* Bars and x labels (one label per ~70 px). */
    size_t every = (size_t)((double)n * 70.0 / pw) + 1;
    for (size_t i = 0; i < n; i++) {
        int64_t next = i + 1 < n ? start[i + 1] : d1;
        double x0 = L + (double)(start[i] - d0) / span * pw;
        double x1 = L + (double)(next - d0) / span * pw;
        int nbar = 0;
        for (size_t k = 0; k < ns; k++) {
            if (!s[k].bar || s[k].own || i >= s[k].n) continue;
            /* Later bar series mark some periods over the first (the peak
             * day): drawn in the accent colour, only where they have a value. */
            if (nbar++ && !isfinite(s[k].y[i])) continue;
            double v = isfinite(s[k].y[i]) ? s[k].y[i] : 0;
            double y = y_of(&ya, v);
            double w = (x1 - x0) * 0.85;
            mt_buf_printf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" class=\"%s\"/>",
                          x0 + (x1 - x0) * 0.075, y, w > 0.5 ? w : 0.5, T + ph - y, nbar > 1 ? "bar2" : "bar");
        }
        if (i % every == 0) {
            mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">",
                          (x0 + x1) / 2, T + ph + 16);
            mt_html_str(b, labels[i]);
            mt_buf_puts(b, "</text>");
        }
    }
    for (size_t k = 0; k < ns; k++) {
        if (s[k].bar || s[k].own) continue;
        mt_buf_puts(b, "<polyline class=\"hl\" points=\"");
        for (size_t i = 0; i < s[k].n && (s[k].x || i < n); i++) {
            if (!isfinite(s[k].y[i])) continue;
            mt_buf_printf(b, "%.1f,%.1f ", point_x(&g, &s[k], i), y_of(&ya, s[k].y[i]));
        }
        mt_buf_puts(b, "\"/>");
    }
    /* Own-scale series: an axis each (a coloured rule, its ticks and a
     * title naming the series), then the line. They keep their slot and
     * colour even when they draw nothing. */
    int own = -1;
    for (size_t k = 0; k < ns; k++) {
        if (!s[k].own) continue;
        own++;
        double pmax = 0;
        for (size_t i = 0; i < s[k].n; i++)
            if (isfinite(s[k].y[i]) && s[k].y[i] > pmax) pmax = s[k].y[i];
        if (pmax <= 0) continue;
        y_axis pa;
        y_axis_fit(&pa, pmax, s[k].log, T, ph);
        const char *col = OWN_COLOURS[own % 4];
        double ax = L + pw + 8 + OWN_AXIS_W * own;
        mt_buf_printf(b, "<g class=\"yaxis\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"%s\"/><text x=\"%.1f\" y=\"%d\" class=\"tick\" fill=\"%s\">", ax, T, ax,
                      T + ph, col, ax, T - 6, col);
        if (s[k].axis) mt_html_str(b, s[k].axis);
        else mt_svg_label(b, s[k].label, 8);
        if (s[k].log) mt_buf_puts(b, " (log)");
        mt_buf_puts(b, "</text>");
        nt = y_ticks(&pa, tk, 24);
        for (size_t j = 0; j < nt; j++) {
            char num[32];
            mt_svg_num(num, sizeof num, tk[j]);
            mt_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" fill=\"%s\">%s</text>",
                          ax + 4, y_of(&pa, tk[j]) + 4, col, num);
        }
        mt_buf_puts(b, "</g>");
        mt_buf_printf(b, "<polyline class=\"pl\" stroke=\"%s\" points=\"", col);
        for (size_t i = 0; i < s[k].n && (s[k].x || i < n); i++) {
            if (!isfinite(s[k].y[i])) continue;
            mt_buf_printf(b, "%.1f,%.1f ", point_x(&g, &s[k], i), y_of(&pa, s[k].y[i]));
        }
        mt_buf_puts(b, "\"/>");
    }
    /* The legend. */
    int lbar = 0;
    own = -1;
    for (size_t k = 0; k < ns && k < MT_SVG_MAXSERIES; k++) {
        int x = (int)lx[k], ly = 340 - 8 + 16 * lrow[k];
        if (s[k].own) {
            own++;
            mt_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>"
                          "<text x=\"%d\" y=\"%d\" class=\"tick\">", x, ly - 4, x + 20, ly - 4,
                          OWN_COLOURS[own % 4], x + 25, ly);
        } else if (s[k].bar) {
            mt_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" class=\"%s\"/>"
                          "<text x=\"%d\" y=\"%d\" class=\"tick\">", x, ly - 9, lbar++ ? "bar2" : "bar",
                          x + 16, ly);
        } else {
            mt_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"hl\"/>"
                          "<text x=\"%d\" y=\"%d\" class=\"tick\">", x, ly - 4, x + 20, ly - 4, x + 25, ly);
        }
        legend_text(b, &s[k]);
        if (s[k].own) mt_buf_puts(b, " (right axis)");
        mt_buf_puts(b, "</text>");
    }
    mt_buf_puts(b, "</svg>\n");
}
