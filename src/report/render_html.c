/* The self-contained HTML page of a report document (`--html FILE`): the
 * key figures as cards, every section with its tables, and charts drawn as
 * inline SVG. No scripts, no external fetches (a Content-Security-Policy
 * forbids them), and every string from the data is HTML-escaped
 * (mt_html_str / mt_svg_label). */
#include <math.h>
#include <stdlib.h>
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

/* Prose of a builder in element content: escaped by mt_html_str, except
 * that an apostrophe stays one (it only needs escaping inside attributes). */
static void html_text(mt_buf *b, const char *s)
{
    char piece[256];
    while (*s) {
        size_t n = strcspn(s, "'");
        while (n) {
            size_t k = n < sizeof piece - 8 ? n : sizeof piece - 8;
            /* Never cut inside a UTF-8 sequence. */
            size_t cut = k;
            while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80) k--;
            if (!k) k = cut; /* a run of stray continuation bytes: the escaper replaces them */
            memcpy(piece, s, k);
            piece[k] = '\0';
            mt_html_str(b, piece);
            s += k;
            n -= k;
        }
        if (*s == '\'') {
            mt_buf_putc(b, '\'');
            s++;
        }
    }
}

static int is_left(const mt_rcol *c)
{
    return c->type == MT_RT_TEXT || c->type == MT_RT_DATE || (c->flags & MT_RCF_LEFT);
}

static void td(mt_buf *b, const mt_rcol *c, const mt_rcell *v)
{
    mt_buf_puts(b, is_left(c) ? "<td>" : "<td class=\"n\">");
    if (c->type == MT_RT_TEXT && !v->null) {
        mt_svg_label(b, v->v.s, 100);
    } else {
        char s[64];
        mt_rcell_display(c, v, s, sizeof s);
        mt_html_str(b, s);
    }
    mt_buf_puts(b, "</td>");
}

static void table(mt_buf *b, const mt_rblock *k)
{
    const mt_rtable *t = &k->table;
    int cols[MT_RTAB_MAXCOLS];
    size_t n = mt_rt_cols_for(t, mt_rf_index(MT_RF_HTML), cols);
    if (k->html_id) {
        mt_buf_puts(b, "<table id=\"");
        mt_html_str(b, k->html_id);
        mt_buf_puts(b, "\"><tr>");
    } else {
        mt_buf_puts(b, "<table><tr>");
    }
    for (size_t i = 0; i < n; i++) {
        const mt_rcol *c = &t->cols[cols[i]];
        mt_buf_puts(b, is_left(c) ? "<th>" : "<th class=\"n\">");
        if (c->html) mt_buf_puts(b, c->html); /* a constant of the builder */
        else mt_html_str(b, c->label ? c->label : c->key);
        mt_buf_puts(b, "</th>");
    }
    mt_buf_puts(b, "</tr>");
    for (size_t r = 0; r < t->nrows; r++) {
        mt_buf_puts(b, "<tr>");
        for (size_t i = 0; i < n; i++) td(b, &t->cols[cols[i]], mt_rt_cell(t, r, cols[i]));
        mt_buf_puts(b, "</tr>");
    }
    if (t->show_empty && !t->nrows)
        mt_buf_printf(b, "<tr><td colspan=\"%zu\" class=\"muted\">none</td></tr>", n);
    mt_buf_puts(b, "</table>");
    if (t->more) mt_buf_printf(b, "<p class=\"note\">%llu more not shown.</p>", (unsigned long long)t->more);
}

static void kv(mt_buf *b, const mt_rkv *k)
{
    mt_buf_puts(b, "<table class=\"kv\">");
    for (size_t i = 0; i < k->n; i++) {
        if (!(k->fmt[i] & MT_RF_HTML)) continue;
        const mt_rcol *c = &k->cols[i];
        mt_buf_puts(b, "<tr><th>");
        mt_html_str(b, c->label ? c->label : c->key);
        mt_buf_puts(b, "</th>");
        td(b, c, &k->vals[i]);
        mt_buf_puts(b, "</tr>");
    }
    mt_buf_puts(b, "</table>");
}

/* A cell as a chart value: shares in percent. */
static double chart_value(const mt_rcol *c, const mt_rcell *v)
{
    if (v->null) return NAN;
    switch (c->type) {
    case MT_RT_COUNT: return (double)v->v.u;
    case MT_RT_INT:
    case MT_RT_DATE:
    case MT_RT_BOOL: return (double)v->v.i;
    case MT_RT_SHARE: return v->v.d * 100.0;
    case MT_RT_FLOAT:
    case MT_RT_MS: return v->v.d;
    case MT_RT_TEXT: return NAN;
    }
    return NAN;
}

static void bars(mt_buf *b, const mt_rchart *c)
{
    const mt_rtable *t = c->t;
    size_t n = t->nrows;
    if (c->max_rows && n > c->max_rows) n = c->max_rows;
    mt_bar *v = mt_xmalloc((n ? n : 1) * sizeof *v);
    char (*lab)[64] = mt_xmalloc((n ? n : 1) * sizeof *lab);
    char (*note)[64] = mt_xmalloc((n ? n : 1) * sizeof *note);
    for (size_t i = 0; i < n; i++) {
        const mt_rcell *l = mt_rt_cell(t, i, c->label_col);
        if (t->cols[c->label_col].type == MT_RT_TEXT && !l->null) {
            v[i].label = l->v.s;
        } else {
            mt_rcell_display(&t->cols[c->label_col], l, lab[i], sizeof lab[i]);
            v[i].label = lab[i];
        }
        v[i].value = chart_value(&t->cols[c->value_col], mt_rt_cell(t, i, c->value_col));
        if (!isfinite(v[i].value)) v[i].value = 0;
        v[i].note = NULL;
        if (c->note_col >= 0) {
            const mt_rcell *nc = mt_rt_cell(t, i, c->note_col);
            if (t->cols[c->note_col].type == MT_RT_TEXT && !nc->null) {
                v[i].note = nc->v.s;
            } else {
                mt_rcell_display(&t->cols[c->note_col], nc, note[i], sizeof note[i]);
                v[i].note = note[i];
            }
        }
        v[i].accent = c->accent_col >= 0 && chart_value(&t->cols[c->accent_col],
                                                        mt_rt_cell(t, i, c->accent_col)) != 0;
    }
    if (c->kind == MT_RCHART_HBARS) mt_svg_hbars(b, c->id, c->title, v, n);
    else mt_svg_vbars(b, c->id, c->title, v, n);
    free(v);
    free(lab);
    free(note);
}

static void timechart(mt_buf *b, const mt_rchart *c)
{
    const mt_rtable *t = c->t;
    size_t n = t->nrows, ns = c->nseries;
    int64_t *start = mt_xmalloc((n ? n : 1) * sizeof *start);
    const char **labels = mt_xmalloc((n ? n : 1) * sizeof *labels);
    char (*lab)[32] = mt_xmalloc((n ? n : 1) * sizeof *lab);
    for (size_t i = 0; i < n; i++) {
        start[i] = mt_rt_cell(t, i, c->xcol)->v.i;
        const mt_rcell *l = mt_rt_cell(t, i, c->label_col);
        if (t->cols[c->label_col].type == MT_RT_TEXT && !l->null) {
            labels[i] = l->v.s;
        } else {
            mt_rcell_display(&t->cols[c->label_col], l, lab[i], sizeof lab[i]);
            labels[i] = lab[i];
        }
    }
    mt_svg_series s[MT_RCHART_MAXSERIES];
    double *y[MT_RCHART_MAXSERIES];
    int64_t *x[MT_RCHART_MAXSERIES];
    for (size_t k = 0; k < ns; k++) {
        const mt_rseries *r = &c->series[k];
        size_t m = r->t->nrows;
        y[k] = mt_xmalloc((m ? m : 1) * sizeof *y[k]);
        x[k] = r->at_mid ? NULL : mt_xmalloc((m ? m : 1) * sizeof *x[k]);
        for (size_t i = 0; i < m; i++) {
            y[k][i] = chart_value(&r->t->cols[r->ycol], mt_rt_cell(r->t, i, r->ycol));
            if (x[k]) x[k][i] = mt_rt_cell(r->t, i, r->xcol)->v.i;
        }
        s[k] = (mt_svg_series){y[k], x[k], m, r->style == MT_RS_BAR, r->axis == MT_RAXIS_OWN,
                               r->label ? r->label : "", r->label_max, r->suffix, r->log, r->axis_title};
    }
    mt_svg_time(b, c->id, c->alt ? c->alt : c->title, c->title, start, labels, n, c->period_days, s, ns);
    for (size_t k = 0; k < ns; k++) {
        free(y[k]);
        free(x[k]);
    }
    free(start);
    free(labels);
    free(lab);
}

static void highlights(mt_buf *b, const mt_rdoc *d)
{
    mt_buf_puts(b, "<section id=\"summary\"><div class=\"cards\">");
    for (size_t i = 0; i < d->nsec; i++)
        for (size_t j = 0; j < d->sec[i]->nhl; j++) {
            const mt_rhighlight *h = &d->sec[i]->hl[j];
            mt_buf_puts(b, "<div class=\"card\"><div class=\"v\" id=\"");
            mt_html_str(b, h->id);
            mt_buf_puts(b, "\">");
            mt_html_str(b, h->value);
            mt_buf_puts(b, "</div><div class=\"k\">");
            mt_html_str(b, h->label);
            mt_buf_puts(b, "</div></div>");
        }
    mt_buf_puts(b, "</div></section>\n");
}

static void box(mt_buf *b, const mt_rdoc *d, const mt_rbox *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const mt_rblock *k = x->v[i];
        if (!(k->fmt & MT_RF_HTML)) continue;
        switch (k->kind) {
        case MT_RB_HEADING:
            mt_buf_puts(b, "<h3>");
            mt_html_str(b, k->text);
            mt_buf_puts(b, "</h3>");
            break;
        case MT_RB_PARA:
            mt_buf_puts(b, "<p class=\"");
            mt_html_str(b, k->klass);
            mt_buf_puts(b, "\">");
            for (size_t s = 0; s < k->nspans; s++) {
                if (k->spans[s].id) {
                    mt_buf_puts(b, "<b id=\"");
                    mt_html_str(b, k->spans[s].id);
                    mt_buf_puts(b, "\">");
                }
                mt_html_str(b, k->spans[s].text);
                if (k->spans[s].id) mt_buf_puts(b, "</b>");
            }
            mt_buf_puts(b, "</p>");
            break;
        case MT_RB_KV: kv(b, &k->kv); break;
        case MT_RB_TABLE: table(b, k); break;
        case MT_RB_CHART:
            if (!k->chart.t) break;
            if (k->chart.kind == MT_RCHART_TIME) timechart(b, &k->chart);
            else bars(b, &k->chart);
            break;
        case MT_RB_GROUP: box(b, d, &k->box); break;
        case MT_RB_HIGHLIGHTS: highlights(b, d); break;
        }
    }
}

void mt_render_html(const mt_rdoc *d, mt_buf *b)
{
    mt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; img-src data:\">"
                "<meta name=\"viewport\" content=\"width=device-width\">");
    mt_buf_puts(b, "<title>");
    mt_html_str(b, d->doc_title ? d->doc_title : "minetrace report");
    mt_buf_printf(b, "</title><style>%s</style></head><body>\n", CSS);
    mt_buf_puts(b, "<h1>");
    mt_html_str(b, d->title ? d->title : "minetrace report");
    mt_buf_puts(b, "</h1>");
    if (d->sub) {
        mt_buf_puts(b, "<p class=\"sub\"");
        if (d->sub_id) {
            mt_buf_puts(b, " id=\"");
            mt_html_str(b, d->sub_id);
            mt_buf_putc(b, '"');
        }
        mt_buf_putc(b, '>');
        mt_html_str(b, d->sub);
        mt_buf_puts(b, "</p>\n");
    }
    for (size_t i = 0; i < d->nsec; i++) {
        const mt_rsection *s = d->sec[i];
        int titled = s->title && (s->title_fmt & MT_RF_HTML);
        if (titled) {
            mt_buf_puts(b, "<section id=\"");
            mt_html_str(b, s->id);
            mt_buf_puts(b, "\"><h2>");
            mt_html_str(b, s->title);
            mt_buf_puts(b, "</h2>");
            if (s->note) {
                mt_buf_puts(b, "<p class=\"note\">");
                html_text(b, s->note);
                mt_buf_puts(b, "</p>");
            }
        }
        box(b, d, &s->box);
        if (titled) mt_buf_puts(b, "</section>\n");
    }
    mt_buf_puts(b, "</body></html>\n");
}
