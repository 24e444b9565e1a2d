/* Rendering of the website scanner's per-site verdicts (web/scan.h). */
#include "report/sites_render.h"

#include "report/render.h"
#include "util/buf.h"

void mt_web_sites_render_json(const mt_web_site_verdict *v, size_t n, FILE *out)
{
    mt_buf b;
    mt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const mt_web_site_verdict *x = &v[i];
        char t1[40], t2[40];
        if (mt_time_format(x->first, t1, sizeof t1) != MT_OK) mt_strlcpy(t1, "-", sizeof t1);
        if (mt_time_format(x->last, t2, sizeof t2) != MT_OK) mt_strlcpy(t2, "-", sizeof t2);
        mt_buf_reset(&b);
        mt_buf_putc(&b, '{');
        mt_json_kv_str(&b, 0, "site", x->domain);
        if (x->rank) mt_json_kv_int(&b, 1, "rank", (long long)x->rank);
        else mt_buf_puts(&b, ",\"rank\":null");
        mt_json_kv_str(&b, 1, "category", x->category);
        mt_json_kv_int(&b, 1, "confidence", x->confidence);
        mt_json_kv_int(&b, 1, "findings", (long long)x->findings);
        mt_json_kv_str(&b, 1, "providers", x->providers);
        mt_json_kv_str(&b, 1, "site_keys", x->site_keys);
        mt_json_kv_str(&b, 1, "kinds", x->kinds);
        mt_json_kv_str(&b, 1, "first_seen", t1);
        mt_json_kv_str(&b, 1, "last_seen", t2);
        mt_buf_puts(&b, "}\n");
        fwrite(b.p, 1, b.len, out);
    }
    mt_buf_free(&b);
}

void mt_web_sites_render_text(const mt_web_site_verdict *v, size_t n, FILE *out)
{
    fprintf(out, "%-40s %8s %-14s %4s %8s  %s\n", "SITE", "RANK", "CATEGORY", "CONF", "FINDINGS",
            "PROVIDERS / SITE KEYS / KINDS");
    mt_buf site, cat, tail;
    mt_buf_init(&site);
    mt_buf_init(&cat);
    mt_buf_init(&tail);
    for (size_t i = 0; i < n; i++) {
        const mt_web_site_verdict *x = &v[i];
        char rank[16] = "-";
        if (x->rank) snprintf(rank, sizeof rank, "%u", x->rank);
        mt_buf_reset(&site);
        mt_buf_reset(&cat);
        mt_buf_reset(&tail);
        mt_term_str(&site, x->domain, 40);
        mt_term_str(&cat, x->category[0] ? x->category : "-", 14);
        mt_buf_puts(&tail, "providers=");
        mt_term_str(&tail, x->providers[0] ? x->providers : "-", 0);
        mt_buf_puts(&tail, " keys=");
        mt_term_str(&tail, x->site_keys[0] ? x->site_keys : "-", 0);
        mt_buf_puts(&tail, " kinds=");
        mt_term_str(&tail, x->kinds, 0);
        fprintf(out, "%-40s %8s %-14s %4d %8u  %s\n", mt_buf_cstr(&site), rank, mt_buf_cstr(&cat),
                x->confidence, x->findings, mt_buf_cstr(&tail));
    }
    mt_buf_free(&site);
    mt_buf_free(&cat);
    mt_buf_free(&tail);
}
