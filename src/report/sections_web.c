/* The website study (issue 8): mining sites by rank interval, by category,
 * by provider and by kind of evidence, and site-key campaigns, from the
 * store's web aggregates (mt_store_web_summary; every number is defined as
 * SQL in docs/STORE.md). One section, "web", shown the same way in every
 * format. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "report/sections.h"

#define T MT_RF_TEXT
#define J MT_RF_JSON
#define C MT_RF_CSV
#define H MT_RF_HTML

static double share(uint64_t part, uint64_t whole) { return whole ? (double)part / (double)whole : NAN; }

/* 10000 -> "10k", 1000000 -> "1M", 2500 -> "2500". */
static void short_num(char *b, size_t cap, uint32_t v)
{
    if (v >= 1000000 && v % 1000000 == 0) snprintf(b, cap, "%uM", v / 1000000);
    else if (v >= 1000 && v % 1000 == 0) snprintf(b, cap, "%uk", v / 1000);
    else snprintf(b, cap, "%u", v);
}

/* Horizontal bars over a table: label, value, share as the note. */
static void hbars(mt_rblock *ch, const mt_rtable *t, int label, int value, int note)
{
    mt_rchart *c = &ch->chart;
    c->t = t;
    c->label_col = label;
    c->value_col = value;
    c->note_col = note;
    c->accent_col = -1;
    c->max_rows = 20;
}

/* A table of groups: name, sites, share of all sites, findings. */
static void groups_table(mt_rdoc *d, mt_rbox *in, const char *heading, const char *chart_id,
                         const char *chart_title, const char *json, const char *csv, const char *html_id,
                         const char *name, const mt_store_web_group *g, size_t n, uint64_t sites)
{
    mt_rb_heading(d, in, T | H, heading);
    mt_rblock *ch = chart_id ? mt_rb_chart(d, in, MT_RCHART_HBARS, chart_id, chart_title) : NULL;
    mt_rtable *t = &mt_rb_table(d, in, MT_RF_ALL, json, csv, html_id)->table;
    int c_name = mt_rt_col(d, t, name, MT_RT_TEXT, 30);
    int c_sites = mt_rt_col(d, t, "sites", MT_RT_COUNT, 9);
    int c_share = mt_rt_col(d, t, "share", MT_RT_SHARE, 7);
    mt_rt_col(d, t, "findings", MT_RT_COUNT, 9);
    for (size_t i = 0; i < n; i++) {
        mt_rt_text(d, t, g[i].name[0] ? g[i].name : "(unknown)");
        mt_rt_count(t, g[i].sites);
        mt_rt_share(t, share(g[i].sites, sites));
        mt_rt_count(t, g[i].findings);
    }
    t->show_empty = 1;
    if (ch) hbars(ch, t, c_name, c_sites, c_share);
}

void mt_sec_web(const mt_store_web_summary *w, int min_confidence, mt_rdoc *d)
{
    char n1[32], n2[32], n3[32], n4[32], lo[16], hi[16];
    mt_rsection *s = mt_rdoc_section(
        d, "web", "Website cryptojacking",
        mt_rdoc_printf(d, "Mining sites: registrable domains with a web finding at confidence >= %d. "
                          "A site's rank is the best rank of those findings; shares are of all mining "
                          "sites.", min_confidence));
    s->title_fmt = H; /* the terminal gets the heading line below */
    mt_rbox *x = &s->box;
    mt_rb_heading(d, x, T, mt_rdoc_printf(d, "Website cryptojacking (sites with a web finding at confidence >= %d)",
                                          min_confidence));
    mt_fmt_count(n1, sizeof n1, w->findings);
    mt_fmt_count(n2, sizeof n2, w->confident);
    mt_fmt_count(n3, sizeof n3, w->sites);
    mt_fmt_count(n4, sizeof n4, w->pages);
    mt_rblock *p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_spanf(d, p, "%s mining sites on %s pages, from %s web findings (%s at confidence >= %d).", n3, n4, n1,
                n2, min_confidence);
    mt_fmt_count(n1, sizeof n1, w->distinct_keys);
    mt_fmt_count(n2, sizeof n2, w->campaigns);
    mt_fmt_count(n3, sizeof n3, w->keyed_sites);
    p = mt_rb_para(d, x, T | H, NULL);
    mt_rb_spanf(d, p, "%s site keys on %s sites; %s keys are campaigns (one key on two or more sites).", n1, n3,
                n2);

    mt_rblock *kv = mt_rb_kv(d, &mt_rb_group(d, x, J | C, "totals", 0)->box, J | C, "web_summary");
    mt_rkv_count(d, kv, J | C, "findings", w->findings);
    mt_rkv_int(d, kv, J | C, "min_confidence", min_confidence);
    mt_rkv_count(d, kv, J | C, "confident_findings", w->confident);
    mt_rkv_count(d, kv, J | C, "sites", w->sites);
    mt_rkv_count(d, kv, J | C, "pages", w->pages);
    mt_rkv_count(d, kv, J | C, "ranked_sites", w->ranked_sites);
    mt_rkv_count(d, kv, J | C, "unranked_sites", w->unranked_sites);
    mt_rkv_count(d, kv, J | C, "site_keys", w->distinct_keys);
    mt_rkv_count(d, kv, J | C, "keyed_sites", w->keyed_sites);
    mt_rkv_count(d, kv, J | C, "campaigns", w->campaigns);

    /* Rank intervals: [1, e0], [e0+1, e1], ..., (e_last, inf), unranked. */
    mt_rb_heading(d, x, T | H, "Sites by rank interval");
    mt_rblock *ch = mt_rb_chart(d, x, MT_RCHART_HBARS, "chart-web-ranks", "Mining sites per rank interval");
    mt_rtable *t = &mt_rb_table(d, x, MT_RF_ALL, "ranks", "web_ranks", "t-web-ranks")->table;
    int c_int = mt_rt_col(d, t, "interval", MT_RT_TEXT, 12);
    mt_rt_col(d, t, "from", MT_RT_INT, 8);
    mt_rt_col(d, t, "to", MT_RT_INT, 8);
    int c_sites = mt_rt_col(d, t, "sites", MT_RT_COUNT, 9);
    int c_share = mt_rt_col(d, t, "share", MT_RT_SHARE, 7);
    mt_rt_view(t, T | H, "interval sites share");
    uint32_t prev = 0;
    for (size_t i = 0; i <= w->nedges; i++) {
        short_num(lo, sizeof lo, prev ? prev : 1);
        if (i < w->nedges) {
            short_num(hi, sizeof hi, w->edges[i]);
            mt_rt_text(d, t, mt_rdoc_printf(d, "%s-%s", lo, hi));
            mt_rt_int(t, (int64_t)prev + 1);
            mt_rt_int(t, w->edges[i]);
            prev = w->edges[i];
        } else {
            mt_rt_text(d, t, mt_rdoc_printf(d, ">%s", lo));
            mt_rt_int(t, (int64_t)prev + 1);
            mt_rt_null(t);
        }
        mt_rt_count(t, w->rank_sites[i]);
        mt_rt_share(t, share(w->rank_sites[i], w->sites));
    }
    mt_rt_text(d, t, "unranked");
    mt_rt_null(t);
    mt_rt_null(t);
    mt_rt_count(t, w->unranked_sites);
    mt_rt_share(t, share(w->unranked_sites, w->sites));
    hbars(ch, t, c_int, c_sites, c_share);

    groups_table(d, x, "Sites by category", "chart-web-categories", "Mining sites per category", "categories",
                 "web_categories", "t-web-categories", "category", w->categories, w->ncategories, w->sites);
    groups_table(d, x, "Sites by provider", "chart-web-providers", "Mining sites per provider", "providers",
                 "web_providers", "t-web-providers", "provider", w->providers, w->nproviders, w->sites);
    groups_table(d, x, "Sites by kind of evidence", NULL, NULL, "kinds", "web_kinds", "t-web-kinds", "kind",
                 w->kinds, w->nkinds, w->sites);

    /* Site-key campaigns: the keys on most sites first. */
    mt_rb_heading(d, x, T | H, "Site-key campaigns (sites per site key)");
    mt_rblock *g = mt_rb_group(d, x, MT_RF_ALL, "campaigns", 0);
    kv = mt_rb_kv(d, &g->box, J, NULL);
    mt_rkv_count(d, kv, J, "distinct", w->distinct_keys);
    mt_rkv_count(d, kv, J, "campaigns", w->campaigns);
    ch = mt_rb_chart(d, &g->box, MT_RCHART_HBARS, "chart-web-keys", "Sites per site key");
    t = &mt_rb_table(d, &g->box, MT_RF_ALL, "rows", "web_campaigns", "t-web-campaigns")->table;
    int c_rank = mt_rt_col(d, t, "rank", MT_RT_INT, 3);
    mt_rt_col_label(d, t, c_rank, "#", NULL);
    mt_rt_col_format(t, c_rank, 0, MT_RCF_LEFT);
    int c_key = mt_rt_col(d, t, "site_key", MT_RT_TEXT, 40);
    mt_rt_col(d, t, "provider", MT_RT_TEXT, 14);
    c_sites = mt_rt_col(d, t, "sites", MT_RT_COUNT, 9);
    mt_rt_col(d, t, "findings", MT_RT_COUNT, 9);
    mt_rt_view(t, J, "site_key provider sites findings");
    for (size_t i = 0; i < w->nkeys; i++) {
        mt_rt_int(t, (int64_t)i + 1);
        mt_rt_text(d, t, w->keys[i].name);
        mt_rt_text(d, t, w->keys[i].provider ? w->keys[i].provider : "");
        mt_rt_count(t, w->keys[i].sites);
        mt_rt_count(t, w->keys[i].findings);
    }
    t->show_empty = 1;
    t->more = w->distinct_keys > w->nkeys ? w->distinct_keys - w->nkeys : 0;
    hbars(ch, t, c_key, c_sites, -1);

    mt_fmt_count(n1, sizeof n1, w->sites);
    mt_rsec_highlight(d, s, "k-web-sites", "mining sites", n1);
    if (w->nedges >= 2) {
        uint64_t top = w->rank_sites[0] + w->rank_sites[1];
        short_num(hi, sizeof hi, w->edges[1]);
        mt_fmt_count(n2, sizeof n2, top);
        mt_rsec_highlight(d, s, "k-web-top", mt_rdoc_printf(d, "mining sites in the top %s", hi), n2);
    }
    mt_fmt_count(n3, sizeof n3, w->campaigns);
    mt_rsec_highlight(d, s, "k-web-campaigns", "site-key campaigns", n3);
}
