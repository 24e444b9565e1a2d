/* Host verdicts as text and JSON. The JSON lists every kept value of a set;
 * the text table also says how many were not kept (",+N"). */
#include "report/hosts_render.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* A verdict's address and first/last times as text. */
typedef struct host_strs {
    char addr[MT_ADDR_STRLEN], first[40], last[40];
} host_strs;

/* A time that cannot be written (the sources keep impossible ones out, but
 * a verdict may come from elsewhere) is "-", never an unfilled buffer. */
static void host_strings(const mt_host_verdict *x, host_strs *o)
{
    mt_addr_to_str(&x->addr, o->addr, sizeof o->addr);
    if (mt_time_format(x->first, o->first, sizeof o->first) != MT_OK)
        mt_strlcpy(o->first, "-", sizeof o->first);
    if (mt_time_format(x->last, o->last, sizeof o->last) != MT_OK)
        mt_strlcpy(o->last, "-", sizeof o->last);
}

static void json_time(mt_buf *b, const char *key, const char *t)
{
    if (t[0] == '-') mt_buf_printf(b, ",\"%s\":null", key);
    else mt_json_kv_str(b, 1, key, t);
}

static void set_json(mt_buf *b, const char *key, const mt_host_strset *s)
{
    mt_buf_printf(b, ",\"%s\":[", key);
    for (unsigned i = 0; i < s->n; i++) {
        if (i) mt_buf_putc(b, ',');
        mt_json_str(b, s->v[i]);
    }
    mt_buf_putc(b, ']');
}

size_t mt_hosts_render_json(const mt_hosts *h, FILE *out, int min_score)
{
    mt_host_verdict *v;
    size_t n = mt_hosts_verdicts(h, min_score, &v);
    mt_buf b;
    mt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const mt_host_verdict *x = &v[i];
        host_strs hs;
        host_strings(x, &hs);
        mt_buf_reset(&b);
        mt_buf_putc(&b, '{');
        mt_json_kv_str(&b, 0, "host", hs.addr);
        json_time(&b, "first_seen", hs.first);
        json_time(&b, "last_seen", hs.last);
        mt_json_kv_int(&b, 1, "score", x->score);
        mt_json_kv_int(&b, 1, "findings", (long long)x->findings);
        mt_json_kv_int(&b, 1, "precursor_findings", (long long)x->precursor_findings);
        set_json(&b, "pools", x->pools);
        mt_buf_puts(&b, ",\"ports\":[");
        for (unsigned j = 0; j < x->n_ports; j++) mt_buf_printf(&b, "%s%u", j ? "," : "", x->ports[j]);
        mt_buf_putc(&b, ']');
        set_json(&b, "wallets", x->wallets);
        set_json(&b, "families", x->families);
        set_json(&b, "agents", x->agents);
        set_json(&b, "kinds", x->kinds);
        mt_buf_puts(&b, "}\n");
        fwrite(b.p, 1, b.len, out);
    }
    mt_buf_free(&b);
    free(v);
    return n;
}

static void set_text(mt_buf *b, const mt_host_strset *s, mt_buf *tmp)
{
    if (s->n == 0) { mt_buf_putc(b, '-'); return; }
    for (unsigned i = 0; i < s->n; i++) {
        if (i) mt_buf_putc(b, ',');
        /* Terminal output: escape like JSON minus the quotes, so hostile
         * strings cannot inject terminal control sequences. */
        mt_buf_reset(tmp);
        mt_json_str(tmp, s->v[i]);
        mt_buf_put(b, tmp->p + 1, tmp->len - 2);
    }
    if (s->overflow) mt_buf_printf(b, ",+%u", s->overflow);
}

size_t mt_hosts_render_text(const mt_hosts *h, FILE *out, int min_score)
{
    mt_host_verdict *v;
    size_t n = mt_hosts_verdicts(h, min_score, &v);
    /* Columns as wide as their widest value or heading. */
    host_strs *hs = mt_xcalloc(n + 1, sizeof *hs);
    int wa = 4, wf = 10, wl = 9;
    for (size_t i = 0; i < n; i++) {
        host_strings(&v[i], &hs[i]);
        int a = (int)strlen(hs[i].addr), f = (int)strlen(hs[i].first), l = (int)strlen(hs[i].last);
        if (a > wa) wa = a;
        if (f > wf) wf = f;
        if (l > wl) wl = l;
    }
    fprintf(out, "%-*s %5s %8s  %-*s %-*s %s\n", wa, "HOST", "SCORE", "FINDINGS",
            wf, "FIRST SEEN", wl, "LAST SEEN", "POOLS / PORTS / WALLETS / FAMILIES");
    mt_buf b, tmp;
    mt_buf_init(&b);
    mt_buf_init(&tmp);
    for (size_t i = 0; i < n; i++) {
        const mt_host_verdict *x = &v[i];
        mt_buf_reset(&b);
        mt_buf_puts(&b, "pools=");
        set_text(&b, x->pools, &tmp);
        mt_buf_puts(&b, " ports=");
        for (unsigned j = 0; j < x->n_ports; j++) mt_buf_printf(&b, "%s%u", j ? "," : "", x->ports[j]);
        if (!x->n_ports) mt_buf_putc(&b, '-');
        mt_buf_puts(&b, " wallets=");
        set_text(&b, x->wallets, &tmp);
        mt_buf_puts(&b, " families=");
        set_text(&b, x->families, &tmp);
        fprintf(out, "%-*s %5d %8llu  %-*s %-*s %s\n", wa, hs[i].addr, x->score,
                (unsigned long long)x->findings, wf, hs[i].first, wl, hs[i].last, mt_buf_cstr(&b));
    }
    free(hs);
    mt_buf_free(&tmp);
    mt_buf_free(&b);
    free(v);
    return n;
}
