/* The campaign engine (botnet.h): events in, then at the end clustering
 * (cluster.c), campaign records (records.c) and figures (figures.c) to the
 * sinks. Per-source state lives in sources.c. */
#include "botnet/botnet.h"

#include <stdlib.h>
#include <string.h>

#include "botnet_int.h"

mt_botnet *mt_botnet_new(const mt_botnet_opts *o)
{
    mt_botnet *b = mt_xcalloc(1, sizeof *b);
    if (o) b->o = *o;
    if (!b->o.min_sources) b->o.min_sources = 2;
    if (!(b->o.jaccard > 0)) b->o.jaccard = 0.5;
    if (b->o.jaccard > 1) b->o.jaccard = 1;
    if (!b->o.min_credentials) b->o.min_credentials = 5;
    if (!b->o.top_credentials) b->o.top_credentials = 20;
    bn_sources_init(b);
    return b;
}

void mt_botnet_free(mt_botnet *b)
{
    if (!b) return;
    bn_campaigns_free(b);
    bn_sources_free(b);
    free(b->parent);
    free(b->simjoined);
    free(b->camp_of);
    free(b->stamp);
    free(b);
}

void mt_botnet_event(mt_botnet *b, const mt_honey_event *ev)
{
    if (b->finished) return;
    b->st.events++;
    /* Aggregates without a source (daily top lists), and any event whose
     * reader had no address: global credential statistics only. */
    if ((ev->flags & MT_HEF_NOSRC) || (ev->src.family != 4 && ev->src.family != 6)) {
        bn_nosrc_event(b, ev);
        return;
    }
    bn_source_event(b, bn_source_get(b, &ev->src), ev);
}

static void honey_event(void *ctx, const mt_honey_event *ev)
{
    mt_botnet_event(ctx, ev);
}

mt_honey_sink mt_botnet_honey_sink(mt_botnet *b)
{
    return (mt_honey_sink){.event = honey_event, .ctx = b};
}

static const mt_botnet *order_b;

static int cmp_order(const void *x, const void *y)
{
    return bn_addr_cmp(&order_b->src[*(const uint32_t *)x].addr, &order_b->src[*(const uint32_t *)y].addr);
}

static size_t hmap_bytes(const mt_hmap *m)
{
    return mt_hmap_capacity(m) * (m->ksize + m->vsize);
}

static size_t strtab_bytes(const mt_strtab *t)
{
    return t->arena_cap + (size_t)t->idcap * (2 * sizeof(uint32_t) + sizeof *t->cnt) + hmap_bytes(&t->index);
}

static size_t memory(const mt_botnet *b)
{
    size_t m = sizeof *b + b->capsrc * sizeof *b->src;
    for (size_t i = 0; i < b->nsrc; i++) {
        const bn_source *s = &b->src[i];
        m += bn_vec_bytes(&s->creds) + bn_vec_bytes(&s->commands) + bn_vec_bytes(&s->downloads) +
             bn_vec_bytes(&s->uploads) + bn_vec_bytes(&s->keys) + bn_vec_bytes(&s->clients) +
             bn_vec_bytes(&s->hassh) + bn_vec_bytes(&s->markers) + (s->mh ? BN_MH * sizeof *s->mh : 0);
    }
    m += hmap_bytes(&b->by_addr) + hmap_bytes(&b->pairs) + hmap_bytes(&b->sessions.map) +
         hmap_bytes(&b->days.map) + hmap_bytes(&b->cred_days.map);
    m += strtab_bytes(&b->creds) + strtab_bytes(&b->strs) + strtab_bytes(&b->marks) + strtab_bytes(&b->cmds);
    m += b->capcredx * sizeof *b->credx + b->capcmdx * sizeof *b->cmdx;
    m += b->nsrc * (sizeof *b->parent + 1 + sizeof *b->camp_of);
    for (size_t c = 0; c < b->ncamp; c++) m += b->camp[c].nmembers * (sizeof(uint32_t) + sizeof(char *) + 16);
    return m + b->lsh_bytes;
}

int mt_botnet_finish(mt_botnet *b, mt_botnet_sink *const *sinks, size_t n)
{
    if (b->finished) return MT_OK;
    b->finished = 1;
    uint32_t *order = mt_xmalloc((b->nsrc ? b->nsrc : 1) * sizeof *order);
    for (size_t i = 0; i < b->nsrc; i++) order[i] = (uint32_t)i;
    order_b = b;
    qsort(order, b->nsrc, sizeof *order, cmp_order);
    bn_cluster(b, order);
    bn_campaigns_build(b, order);
    bn_figures(b);
    if (b->progress_printed) {
        fprintf(b->o.progress_out ? b->o.progress_out : stderr, "\rclustering %zu sources: done%20s\n",
                b->nsrc, "");
        b->progress_printed = 0;
    }
    b->st.memory = memory(b);
    int rc = bn_emit(b, order, sinks, n);
    free(order);
    return rc;
}

void mt_botnet_stats_get(const mt_botnet *b, mt_botnet_stats *out)
{
    *out = b->st;
    if (!b->finished) out->memory = memory(b);
}
