/* CSV output of a report document (`minetrace report --csv DIR`): one
 * RFC 4180 file per table, named by the table's CSV name, and key/value
 * files ("key,value"); consecutive key/value blocks with the same name
 * share one file. Shares are fractions, undefined numbers empty fields.
 * Every data string goes through mt_csv_str, which also defuses
 * spreadsheet formulas. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "report/render.h"

typedef struct csv_out {
    const char *dir;
    const char *open; /* name of the key/value file being filled, or NULL */
    mt_buf b;
    int rc;
} csv_out;

static void flush(csv_out *o)
{
    if (!o->open) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", o->dir, o->open);
    o->open = NULL;
    FILE *f = fopen(path, "wb");
    if (!f) {
        o->rc = mt_error_set(MT_EIO, "cannot write %s: %s", path, strerror(errno));
        return;
    }
    size_t w = fwrite(o->b.p ? o->b.p : "", 1, o->b.len, f);
    int bad = w != o->b.len;
    if (fclose(f) != 0) bad = 1;
    mt_buf_reset(&o->b);
    if (bad) o->rc = mt_error_set(MT_EIO, "cannot write %s", path);
}

static void field(mt_buf *b, const mt_rcol *c, const mt_rcell *v)
{
    if (c->type == MT_RT_TEXT) {
        if (!v->null) mt_csv_str(b, v->v.s);
        return;
    }
    char s[64];
    if (mt_rcell_plain(c, v, s, sizeof s)) mt_buf_puts(b, s);
}

static void table(csv_out *o, const char *name, const mt_rtable *t)
{
    flush(o);
    int cols[MT_RTAB_MAXCOLS];
    size_t n = mt_rt_cols_for(t, mt_rf_index(MT_RF_CSV), cols);
    for (size_t i = 0; i < n; i++) {
        if (i) mt_buf_putc(&o->b, ',');
        mt_csv_str(&o->b, t->cols[cols[i]].key);
    }
    mt_buf_puts(&o->b, "\r\n");
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < n; i++) {
            if (i) mt_buf_putc(&o->b, ',');
            field(&o->b, &t->cols[cols[i]], mt_rt_cell(t, r, cols[i]));
        }
        mt_buf_puts(&o->b, "\r\n");
    }
    o->open = name;
    flush(o);
}

static void kv(csv_out *o, const char *name, const mt_rkv *k)
{
    if (!o->open || strcmp(o->open, name) != 0) {
        flush(o);
        mt_buf_puts(&o->b, "key,value\r\n");
        o->open = name;
    }
    for (size_t i = 0; i < k->n; i++) {
        if (!(k->fmt[i] & MT_RF_CSV)) continue;
        mt_csv_str(&o->b, k->cols[i].key);
        mt_buf_putc(&o->b, ',');
        field(&o->b, &k->cols[i], &k->vals[i]);
        mt_buf_puts(&o->b, "\r\n");
    }
}

static void box(csv_out *o, const mt_rbox *x)
{
    for (size_t i = 0; i < x->n && !o->rc; i++) {
        const mt_rblock *k = x->v[i];
        if (!(k->fmt & MT_RF_CSV)) continue;
        if (k->kind == MT_RB_GROUP) box(o, &k->box);
        else if (k->kind == MT_RB_TABLE && k->csv) table(o, k->csv, &k->table);
        else if (k->kind == MT_RB_KV && k->csv) kv(o, k->csv, &k->kv);
    }
}

int mt_render_csv(const mt_rdoc *d, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return mt_error_set(MT_EIO, "cannot create %s: %s", dir, strerror(errno));
    csv_out o = {dir, NULL, {NULL, 0, 0}, MT_OK};
    mt_buf_init(&o.b);
    for (size_t i = 0; i < d->nsec && !o.rc; i++) box(&o, &d->sec[i]->box);
    if (!o.rc) flush(&o);
    mt_buf_free(&o.b);
    return o.rc;
}
