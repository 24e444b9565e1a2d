/* JSON output of a report document (`minetrace report --json`): one
 * object; a section is a member (an object, an array, or members merged
 * into the top level: mt_rjson), a group a nested object or array, a table
 * an array of row objects. Shares are fractions (0..1), undefined numbers
 * are null. Every string goes through mt_json_str. */
#include "report/render.h"

static void value(mt_buf *b, const mt_rcol *c, const mt_rcell *v)
{
    if (c->type == MT_RT_TEXT) {
        if (v->null) mt_buf_puts(b, "null");
        else mt_json_str(b, v->v.s);
        return;
    }
    char s[64];
    if (!mt_rcell_plain(c, v, s, sizeof s)) mt_buf_puts(b, "null");
    else if (c->type == MT_RT_DATE) mt_json_str(b, s);
    else mt_buf_puts(b, s);
}

static void key(mt_buf *b, int *first, const char *k)
{
    if (!*first) mt_buf_putc(b, ',');
    *first = 0;
    mt_json_str(b, k ? k : "");
    mt_buf_putc(b, ':');
}

static void rows(mt_buf *b, const mt_rtable *t)
{
    int cols[MT_RTAB_MAXCOLS];
    size_t n = mt_rt_cols_for(t, mt_rf_index(MT_RF_JSON), cols);
    mt_buf_putc(b, '[');
    for (size_t r = 0; r < t->nrows; r++) {
        if (r) mt_buf_putc(b, ',');
        mt_buf_putc(b, '{');
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            key(b, &first, t->cols[cols[i]].key);
            value(b, &t->cols[cols[i]], mt_rt_cell(t, r, cols[i]));
        }
        mt_buf_putc(b, '}');
    }
    mt_buf_putc(b, ']');
}

static void members(mt_buf *b, const mt_rbox *x, int *first);

static void group_value(mt_buf *b, const mt_rblock *g)
{
    if (g->array) {
        mt_buf_putc(b, '[');
        int n = 0;
        for (size_t i = 0; i < g->box.n; i++) {
            const mt_rblock *k = g->box.v[i];
            if (!(k->fmt & MT_RF_JSON) || k->kind != MT_RB_GROUP) continue;
            if (n++) mt_buf_putc(b, ',');
            group_value(b, k);
        }
        mt_buf_putc(b, ']');
        return;
    }
    int first = 1;
    mt_buf_putc(b, '{');
    members(b, &g->box, &first);
    mt_buf_putc(b, '}');
}

static void members(mt_buf *b, const mt_rbox *x, int *first)
{
    for (size_t i = 0; i < x->n; i++) {
        const mt_rblock *k = x->v[i];
        if (!(k->fmt & MT_RF_JSON)) continue;
        switch (k->kind) {
        case MT_RB_KV:
            for (size_t j = 0; j < k->kv.n; j++) {
                if (!(k->kv.fmt[j] & MT_RF_JSON)) continue;
                key(b, first, k->kv.cols[j].key);
                value(b, &k->kv.cols[j], &k->kv.vals[j]);
            }
            break;
        case MT_RB_TABLE:
            key(b, first, k->json);
            rows(b, &k->table);
            break;
        case MT_RB_GROUP:
            key(b, first, k->json);
            group_value(b, k);
            break;
        default: break; /* prose and charts are for readers, not programs */
        }
    }
}

void mt_render_json(const mt_rdoc *d, mt_buf *b)
{
    int first = 1;
    mt_buf_putc(b, '{');
    for (size_t i = 0; i < d->nsec; i++) {
        const mt_rsection *s = d->sec[i];
        if (s->json == MT_RJ_INLINE) {
            members(b, &s->box, &first);
            continue;
        }
        key(b, &first, s->id);
        if (s->json == MT_RJ_OBJECT) {
            int f2 = 1;
            mt_buf_putc(b, '{');
            members(b, &s->box, &f2);
            mt_buf_putc(b, '}');
            continue;
        }
        const mt_rblock *v = NULL; /* MT_RJ_VALUE: the first table or group shown in JSON */
        for (size_t j = 0; j < s->box.n && !v; j++) {
            const mt_rblock *k = s->box.v[j];
            if ((k->fmt & MT_RF_JSON) && (k->kind == MT_RB_TABLE || k->kind == MT_RB_GROUP)) v = k;
        }
        if (!v) mt_buf_puts(b, "null");
        else if (v->kind == MT_RB_TABLE) rows(b, &v->table);
        else group_value(b, v);
    }
    mt_buf_puts(b, "}\n");
}
