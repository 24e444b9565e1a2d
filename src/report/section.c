/* The report document model (see section.h). Everything a builder adds is
 * owned by the document: strings and blocks live in an arena freed at
 * once; table cells and item arrays grow with realloc and are freed with
 * their block. */
#include "report/section.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

#define ARENA_CHUNK 65536

struct mt_rarena {
    mt_rarena *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char mem[];
};

static void *arena_alloc(mt_rdoc *d, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    mt_rarena *a = d->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        mt_rarena *c = mt_xmalloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        /* A large request gets its own chunk behind the current one, so the
         * current chunk's free space stays usable. */
        if (a && n > ARENA_CHUNK) {
            c->next = a->next;
            a->next = c;
        } else {
            c->next = a;
            d->arena = c;
        }
        a = c;
    }
    void *p = a->mem + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

static void grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap * 2 : 8;
    while (c < need) c *= 2;
    *v = mt_xrealloc(*v, c * elem);
    *cap = c;
}

void mt_rdoc_init(mt_rdoc *d)
{
    memset(d, 0, sizeof *d);
}

static void box_free(mt_rbox *b);

static void block_free(mt_rblock *b)
{
    free(b->spans);
    free(b->kv.cols);
    free(b->kv.vals);
    free(b->kv.fmt);
    free(b->table.cells);
    box_free(&b->box);
}

static void box_free(mt_rbox *b)
{
    for (size_t i = 0; i < b->n; i++) block_free(b->v[i]);
    free(b->v);
}

void mt_rdoc_free(mt_rdoc *d)
{
    for (size_t i = 0; i < d->nsec; i++) {
        box_free(&d->sec[i]->box);
        free(d->sec[i]->hl);
    }
    free(d->sec);
    mt_rarena *a = d->arena;
    while (a) {
        mt_rarena *n = a->next;
        free(a);
        a = n;
    }
    memset(d, 0, sizeof *d);
}

const char *mt_rdoc_str(mt_rdoc *d, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *p = arena_alloc(d, n + 1);
    memcpy(p, s, n + 1);
    return p;
}

__attribute__((format(printf, 2, 0))) static const char *vfmt(mt_rdoc *d, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = arena_alloc(d, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

const char *mt_rdoc_printf(mt_rdoc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vfmt(d, fmt, ap);
    va_end(ap);
    return s;
}

void mt_rdoc_titles(mt_rdoc *d, const char *title, const char *doc_title, const char *sub,
                    const char *sub_id)
{
    d->title = mt_rdoc_str(d, title);
    d->doc_title = mt_rdoc_str(d, doc_title);
    d->sub = mt_rdoc_str(d, sub);
    d->sub_id = mt_rdoc_str(d, sub_id);
}

mt_rsection *mt_rdoc_section(mt_rdoc *d, const char *id, const char *title, const char *note)
{
    mt_rsection *s = arena_alloc(d, sizeof *s);
    s->id = mt_rdoc_str(d, id);
    s->title = mt_rdoc_str(d, title);
    s->note = mt_rdoc_str(d, note);
    s->title_fmt = MT_RF_TEXT | MT_RF_HTML;
    s->json = MT_RJ_OBJECT;
    grow((void **)&d->sec, &d->capsec, d->nsec + 1, sizeof *d->sec);
    d->sec[d->nsec++] = s;
    return s;
}

void mt_rsec_highlight(mt_rdoc *d, mt_rsection *s, const char *id, const char *label, const char *value)
{
    grow((void **)&s->hl, &s->caphl, s->nhl + 1, sizeof *s->hl);
    s->hl[s->nhl++] = (mt_rhighlight){mt_rdoc_str(d, id), mt_rdoc_str(d, label), mt_rdoc_str(d, value)};
}

static mt_rblock *block(mt_rdoc *d, mt_rbox *in, mt_rblock_kind kind, unsigned fmt)
{
    mt_rblock *b = arena_alloc(d, sizeof *b);
    b->kind = kind;
    b->fmt = fmt;
    grow((void **)&in->v, &in->cap, in->n + 1, sizeof *in->v);
    in->v[in->n++] = b;
    return b;
}

mt_rblock *mt_rb_heading(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *text)
{
    mt_rblock *b = block(d, in, MT_RB_HEADING, fmt);
    b->text = mt_rdoc_str(d, text);
    return b;
}

mt_rblock *mt_rb_para(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *klass)
{
    mt_rblock *b = block(d, in, MT_RB_PARA, fmt);
    b->klass = mt_rdoc_str(d, klass ? klass : "note");
    return b;
}

void mt_rb_span(mt_rdoc *d, mt_rblock *p, const char *text, size_t width, const char *id)
{
    grow((void **)&p->spans, &p->capspans, p->nspans + 1, sizeof *p->spans);
    p->spans[p->nspans++] = (mt_rspan){mt_rdoc_str(d, text), width, mt_rdoc_str(d, id)};
}

void mt_rb_spanf(mt_rdoc *d, mt_rblock *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vfmt(d, fmt, ap);
    va_end(ap);
    grow((void **)&p->spans, &p->capspans, p->nspans + 1, sizeof *p->spans);
    p->spans[p->nspans++] = (mt_rspan){s, 0, NULL};
}

mt_rblock *mt_rb_group(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *json, int array)
{
    mt_rblock *b = block(d, in, MT_RB_GROUP, fmt);
    b->json = mt_rdoc_str(d, json);
    b->array = array;
    return b;
}

mt_rblock *mt_rb_kv(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *csv)
{
    mt_rblock *b = block(d, in, MT_RB_KV, fmt);
    b->csv = mt_rdoc_str(d, csv);
    return b;
}

mt_rblock *mt_rb_table(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *json, const char *csv,
                       const char *html_id)
{
    mt_rblock *b = block(d, in, MT_RB_TABLE, fmt);
    b->json = mt_rdoc_str(d, json);
    b->csv = mt_rdoc_str(d, csv);
    b->html_id = mt_rdoc_str(d, html_id);
    for (int f = 0; f < MT_RF_N; f++) b->table.nview[f] = -1;
    return b;
}

mt_rblock *mt_rb_chart(mt_rdoc *d, mt_rbox *in, mt_rchart_kind kind, const char *id, const char *title)
{
    mt_rblock *b = block(d, in, MT_RB_CHART, MT_RF_HTML);
    b->chart.kind = kind;
    b->chart.id = mt_rdoc_str(d, id);
    b->chart.title = mt_rdoc_str(d, title);
    b->chart.note_col = b->chart.accent_col = -1;
    b->chart.period_days = 1;
    return b;
}

mt_rblock *mt_rb_highlights(mt_rdoc *d, mt_rbox *in)
{
    return block(d, in, MT_RB_HIGHLIGHTS, MT_RF_HTML);
}

static mt_rcell *kv_item(mt_rdoc *d, mt_rblock *b, unsigned fmt, const char *key, mt_rtype type)
{
    mt_rkv *kv = &b->kv;
    size_t c1 = kv->cap, c2 = kv->cap, c3 = kv->cap;
    grow((void **)&kv->cols, &c1, kv->n + 1, sizeof *kv->cols);
    grow((void **)&kv->vals, &c2, kv->n + 1, sizeof *kv->vals);
    grow((void **)&kv->fmt, &c3, kv->n + 1, sizeof *kv->fmt);
    kv->cap = c1;
    memset(&kv->cols[kv->n], 0, sizeof kv->cols[kv->n]);
    kv->cols[kv->n].key = mt_rdoc_str(d, key);
    kv->cols[kv->n].type = type;
    kv->fmt[kv->n] = fmt;
    mt_rcell *c = &kv->vals[kv->n++];
    memset(c, 0, sizeof *c);
    return c;
}

void mt_rkv_text(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, const char *v)
{
    kv_item(d, kv, fmt, key, MT_RT_TEXT)->v.s = mt_rdoc_str(d, v ? v : "");
}

void mt_rkv_count(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, uint64_t v)
{
    kv_item(d, kv, fmt, key, MT_RT_COUNT)->v.u = v;
}

void mt_rkv_int(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, int64_t v)
{
    kv_item(d, kv, fmt, key, MT_RT_INT)->v.i = v;
}

void mt_rkv_share(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, double v)
{
    kv_item(d, kv, fmt, key, MT_RT_SHARE)->v.d = v;
}

void mt_rkv_ms(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, double v)
{
    kv_item(d, kv, fmt, key, MT_RT_MS)->v.d = v;
}

void mt_rkv_bool(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, int v)
{
    kv_item(d, kv, fmt, key, MT_RT_BOOL)->v.i = v != 0;
}

int mt_rt_col(mt_rdoc *d, mt_rtable *t, const char *key, mt_rtype type, int width)
{
    if (t->ncols == MT_RTAB_MAXCOLS || t->nrows) abort(); /* a builder bug, not input */
    mt_rcol *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->key = mt_rdoc_str(d, key);
    c->type = type;
    c->width = width;
    return (int)t->ncols++;
}

void mt_rt_col_label(mt_rdoc *d, mt_rtable *t, int col, const char *label, const char *html)
{
    t->cols[col].label = mt_rdoc_str(d, label);
    t->cols[col].html = html; /* a constant by contract */
}

void mt_rt_col_format(mt_rtable *t, int col, int digits, unsigned flags)
{
    t->cols[col].digits = digits;
    t->cols[col].flags = flags;
}

void mt_rt_view(mt_rtable *t, unsigned fmt, const char *keys)
{
    int idx[MT_RTAB_MAXCOLS], n = 0;
    const char *p = keys;
    while (*p) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (!len) break;
        int found = -1;
        for (size_t c = 0; c < t->ncols; c++)
            if (strlen(t->cols[c].key) == len && !memcmp(t->cols[c].key, p, len)) found = (int)c;
        if (found < 0 || n == MT_RTAB_MAXCOLS) abort(); /* a builder bug */
        idx[n++] = found;
        p += len;
    }
    for (int f = 0; f < MT_RF_N; f++) {
        if (!(fmt & (1u << f))) continue;
        memcpy(t->view[f], idx, sizeof idx);
        t->nview[f] = n;
    }
}

size_t mt_rt_cols_for(const mt_rtable *t, int f, int *out)
{
    if (t->nview[f] < 0) {
        for (size_t c = 0; c < t->ncols; c++) out[c] = (int)c;
        return t->ncols;
    }
    memcpy(out, t->view[f], (size_t)t->nview[f] * sizeof *out);
    return (size_t)t->nview[f];
}

static mt_rcell *next_cell(mt_rtable *t)
{
    if (!t->ncols) abort();
    if (t->filled % t->ncols == 0) {
        size_t cap = t->cap;
        grow((void **)&t->cells, &cap, (t->nrows + 1) * t->ncols, sizeof *t->cells);
        t->cap = cap;
        /* A row a builder leaves short shows null cells, not stale memory. */
        for (size_t i = 0; i < t->ncols; i++) t->cells[t->nrows * t->ncols + i] = (mt_rcell){.null = 1};
        t->nrows++;
    }
    mt_rcell *c = &t->cells[t->filled++];
    memset(c, 0, sizeof *c);
    return c;
}

void mt_rt_text(mt_rdoc *d, mt_rtable *t, const char *s)
{
    next_cell(t)->v.s = mt_rdoc_str(d, s ? s : "");
}

void mt_rt_count(mt_rtable *t, uint64_t v) { next_cell(t)->v.u = v; }
void mt_rt_int(mt_rtable *t, int64_t v) { next_cell(t)->v.i = v; }
void mt_rt_share(mt_rtable *t, double v) { next_cell(t)->v.d = v; }
void mt_rt_float(mt_rtable *t, double v) { next_cell(t)->v.d = v; }
void mt_rt_date(mt_rtable *t, int64_t day) { next_cell(t)->v.i = day; }
void mt_rt_null(mt_rtable *t) { next_cell(t)->null = 1; }

const mt_rcell *mt_rt_cell(const mt_rtable *t, size_t row, int col)
{
    return &t->cells[row * t->ncols + (size_t)col];
}

mt_rseries *mt_rchart_series(mt_rdoc *d, mt_rchart *c, const mt_rtable *t, int xcol, int ycol,
                             mt_rstyle style, mt_raxis axis, const char *label)
{
    if (c->nseries == MT_RCHART_MAXSERIES) abort(); /* a builder bug */
    mt_rseries *s = &c->series[c->nseries++];
    memset(s, 0, sizeof *s);
    s->t = t;
    s->xcol = xcol;
    s->ycol = ycol;
    s->style = style;
    s->axis = axis;
    s->label = mt_rdoc_str(d, label);
    return s;
}

int mt_rf_index(unsigned f)
{
    for (int i = 0; i < MT_RF_N; i++)
        if (f == (1u << i)) return i;
    return 0;
}
