/* The walk over every listed name and address (mt_intel_each), for the
 * block lists minetrace export writes. */
#include <string.h>

#include "intel/intel_internal.h"

int mt_intel_each(const mt_intel *in, int (*fn)(void *ctx, const mt_intel_entry *e), void *ctx)
{
    for (size_t i = 0; i < in->n_dents; i++) {
        const mt_intel_dentry *d = &in->dents[i];
        if (d->weight == 0) continue; /* only on an allowlist */
        mt_intel_entry e;
        memset(&e, 0, sizeof e);
        e.text = in->names + d->name_off;
        mt_intel_fill_hit(in, &e.hit, d->weight, d->cat, e.text, d->source,
                          d->family ? mt_intel_str(in, d->family) : NULL);
        e.allowed = (d->allow & MT_INTEL_F_ALLOW) != 0;
        e.host = (d->allow & MT_INTEL_F_HOST) != 0;
        int rc = fn(ctx, &e);
        if (rc) return rc;
    }
    for (size_t i = mt_hmap_next(&in->imap, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&in->imap, i + 1)) {
        const mt_intel_ikey *k = mt_hmap_key(&in->imap, i);
        const mt_intel_ientry *v = mt_hmap_val(&in->imap, i);
        if (v->weight == 0) continue;
        mt_intel_entry e;
        memset(&e, 0, sizeof e);
        e.is_addr = 1;
        e.bits = k->bits;
        e.text = in->names + v->text_off;
        mt_intel_fill_hit(in, &e.hit, v->weight, v->cat, e.text, v->source, NULL);
        e.allowed = (v->allow & MT_INTEL_F_ALLOW) != 0;
        e.host = (v->allow & MT_INTEL_F_HOST) != 0;
        int rc = fn(ctx, &e);
        if (rc) return rc;
    }
    return 0;
}
