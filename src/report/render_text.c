/* Terminal output of a report document (default output of `minetrace
 * report`): headings, lines and aligned tables. Names from the data are made
 * terminal-safe and cut to the column width; numbers are right-aligned. */
#include <string.h>

#include "report/render.h"

static void pad(mt_buf *b, size_t n)
{
    while (n--) mt_buf_putc(b, ' ');
}

static int is_left(const mt_rcol *c)
{
    return c->type == MT_RT_TEXT || c->type == MT_RT_DATE || (c->flags & MT_RCF_LEFT);
}

static void heading(mt_buf *b, const char *t)
{
    mt_buf_puts(b, "\n== ");
    mt_term_str(b, t, 0);
    mt_buf_puts(b, " ==\n");
}

static void table(mt_buf *b, const mt_rtable *t)
{
    int cols[MT_RTAB_MAXCOLS];
    size_t n = mt_rt_cols_for(t, mt_rf_index(MT_RF_TEXT), cols);
    if (t->show_empty && !t->nrows) {
        mt_buf_puts(b, "(none)\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const mt_rcol *c = &t->cols[cols[i]];
        if (i) mt_buf_puts(b, "  ");
        mt_buf_printf(b, is_left(c) ? "%-*s" : "%*s", c->width, c->label ? c->label : c->key);
    }
    mt_buf_putc(b, '\n');
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < n; i++) {
            const mt_rcol *c = &t->cols[cols[i]];
            const mt_rcell *v = mt_rt_cell(t, r, cols[i]);
            size_t w = c->width > 0 ? (size_t)c->width : 0;
            if (i) mt_buf_puts(b, "  ");
            if (c->type == MT_RT_TEXT && !v->null) {
                mt_term_str(b, v->v.s, w);
                size_t shown = mt_term_width(v->v.s, 0);
                if (w && shown > w) shown = w;
                pad(b, w > shown ? w - shown : 0);
                continue;
            }
            char s[64];
            mt_rcell_display(c, v, s, sizeof s);
            size_t len = strlen(s);
            if (!is_left(c)) pad(b, w > len ? w - len : 0);
            mt_buf_puts(b, s);
            if (is_left(c)) pad(b, w > len ? w - len : 0);
        }
        mt_buf_putc(b, '\n');
    }
    if (t->more) mt_buf_printf(b, "(%llu more)\n", (unsigned long long)t->more);
}

static void kv(mt_buf *b, const mt_rkv *k)
{
    for (size_t i = 0; i < k->n; i++) {
        if (!(k->fmt[i] & MT_RF_TEXT)) continue;
        const mt_rcol *c = &k->cols[i];
        mt_term_str(b, c->label ? c->label : c->key, 0);
        mt_buf_puts(b, ": ");
        if (c->type == MT_RT_TEXT && !k->vals[i].null) {
            mt_term_str(b, k->vals[i].v.s, 0);
        } else {
            char s[64];
            mt_rcell_display(c, &k->vals[i], s, sizeof s);
            mt_buf_puts(b, s);
        }
        mt_buf_putc(b, '\n');
    }
}

static void box(mt_buf *b, const mt_rbox *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const mt_rblock *k = x->v[i];
        if (!(k->fmt & MT_RF_TEXT)) continue;
        switch (k->kind) {
        case MT_RB_HEADING: heading(b, k->text); break;
        case MT_RB_PARA:
            for (size_t s = 0; s < k->nspans; s++) mt_term_str(b, k->spans[s].text, k->spans[s].width);
            mt_buf_putc(b, '\n');
            break;
        case MT_RB_KV: kv(b, &k->kv); break;
        case MT_RB_TABLE: table(b, &k->table); break;
        case MT_RB_GROUP: box(b, &k->box); break;
        case MT_RB_CHART:
        case MT_RB_HIGHLIGHTS: break;
        }
    }
}

void mt_render_text(const mt_rdoc *d, mt_buf *b)
{
    for (size_t i = 0; i < d->nsec; i++) {
        const mt_rsection *s = d->sec[i];
        if (s->title_fmt & MT_RF_TEXT) {
            if (s->title) heading(b, s->title);
            if (s->note) {
                mt_term_str(b, s->note, 0);
                mt_buf_putc(b, '\n');
            }
        }
        box(b, &s->box);
    }
}
