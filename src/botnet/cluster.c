/* Sources into campaigns: union-find over source indexes, joined first by
 * exact markers (every marker value, interned by type and value, joins all
 * the sources that carry it), then by credential-set similarity.
 *
 * Similarity is MinHash with locality-sensitive hashing. The 64 minima of
 * a signature are cut into `bands` bands of `rows` values (bands x rows =
 * 64); two sources whose signatures agree on a whole band are candidates,
 * and a candidate pair is joined when the signature estimate of its
 * Jaccard index (the share of equal minima) reaches opts.jaccard. A pair
 * with Jaccard index J is a candidate with probability 1 - (1 - J^rows)^bands;
 * the band layout is chosen so that pairs at the threshold are nearly
 * always candidates (bn_lsh_params): rows is the largest power of two whose
 * S-curve midpoint (1/bands)^(1/rows) lies at least 0.1 below the
 * threshold. For the default threshold 0.5 that is 32 bands of 2 rows
 * (midpoint 0.18): a pair at J = 0.5 is a candidate with probability
 * 0.9999, one at J = 0.2 with 0.73 (and is then refused by the estimate).
 * Only sources with at least opts.min_credentials distinct credentials take
 * part: a source that tried one or two passwords has no dictionary to
 * compare (marker credentials catch those bots).
 *
 * The work is done in address order, so the result does not depend on the
 * order the events came in. Inside a band bucket each new source is
 * compared with the bucket's first and its latest member, not with every
 * member: the bucket's members that pass are joined through those two, and
 * a bucket of thousands of hosts sharing a dictionary costs two
 * comparisons per host, not a million. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "botnet_int.h"
#include "util/hash.h"

uint32_t bn_find(mt_botnet *b, uint32_t x)
{
    uint32_t r = x;
    while (b->parent[r] != r) r = b->parent[r];
    while (b->parent[x] != r) {
        uint32_t n = b->parent[x];
        b->parent[x] = r;
        x = n;
    }
    return r;
}

/* 1 when two different sets were merged. The smaller index becomes the
 * root: with address order that is deterministic. */
static int unite(mt_botnet *b, uint32_t x, uint32_t y)
{
    x = bn_find(b, x);
    y = bn_find(b, y);
    if (x == y) return 0;
    if (x < y) b->parent[y] = x;
    else b->parent[x] = y;
    return 1;
}

void bn_lsh_params(double jaccard, unsigned *bands, unsigned *rows)
{
    unsigned best = 1;
    for (unsigned r = 2; r <= BN_MH; r *= 2) {
        double mid = 1.0;
        /* (1/b)^(1/r) without libm's pow: bisection on x^r = 1/b. */
        double lo = 0, hi = 1, target = (double)r / BN_MH;
        for (int it = 0; it < 60; it++) {
            mid = (lo + hi) / 2;
            double p = 1;
            for (unsigned k = 0; k < r; k++) p *= mid;
            if (p < target) lo = mid;
            else hi = mid;
        }
        if (mid <= jaccard - 0.1) best = r;
    }
    *rows = best;
    *bands = BN_MH / best;
}

double bn_mh_estimate(const uint32_t *a, const uint32_t *c)
{
    unsigned eq = 0;
    for (unsigned i = 0; i < BN_MH; i++) eq += a[i] == c[i];
    return (double)eq / BN_MH;
}

typedef struct bucket {
    uint32_t first, last;
} bucket;

static uint64_t bucket_hash(const void *key)
{
    uint64_t k;
    memcpy(&k, key, sizeof k);
    return mt_mix64(k);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress(mt_botnet *b, double *last, size_t done, const char *what)
{
    if (!b->o.progress) return;
    double t = now_s();
    if (t - *last < 1.0) return;
    *last = t;
    fprintf(b->o.progress_out ? b->o.progress_out : stderr, "\rclustering %zu sources: %s %zu   ",
            b->nsrc, what, done);
    b->progress_printed = 1;
}

static void try_join(mt_botnet *b, uint32_t x, uint32_t y)
{
    if (bn_find(b, x) == bn_find(b, y)) return;
    b->st.lsh_candidates++;
    if (bn_mh_estimate(b->src[x].mh, b->src[y].mh) + 1e-9 < b->o.jaccard) return;
    if (unite(b, x, y)) b->st.similarity_joins++;
    b->simjoined[x] = b->simjoined[y] = 1;
}

void bn_cluster(mt_botnet *b, const uint32_t *order)
{
    size_t n = b->nsrc;
    double last = now_s();
    b->parent = mt_xmalloc((n ? n : 1) * sizeof *b->parent);
    b->simjoined = mt_xcalloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++) b->parent[i] = (uint32_t)i;

    /* Exact markers. */
    uint32_t *first = mt_xmalloc((b->marks.n ? b->marks.n : 1) * sizeof *first);
    memset(first, 0xff, (b->marks.n ? b->marks.n : 1) * sizeof *first);
    for (size_t k = 0; k < n; k++) {
        uint32_t si = order[k];
        const bn_source *s = &b->src[si];
        for (unsigned m = 0; m < s->markers.n; m++) {
            uint32_t mk = s->markers.v[m];
            if (first[mk] == UINT32_MAX) first[mk] = si;
            else if (unite(b, si, first[mk])) b->st.marker_joins++;
        }
        if ((k & 4095) == 4095) progress(b, &last, k, "markers");
    }
    free(first);

    /* Credential similarity. */
    unsigned bands, rows;
    bn_lsh_params(b->o.jaccard, &bands, &rows);
    mt_hmap buckets;
    mt_hmap_init(&buckets, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(bucket),
                                          .capacity = 1024, .hash = bucket_hash});
    for (size_t k = 0; k < n; k++) {
        uint32_t si = order[k];
        const bn_source *s = &b->src[si];
        if (s->ncred < b->o.min_credentials || !s->mh) continue;
        for (unsigned band = 0; band < bands; band++) {
            uint64_t key = mt_hash_bytes_inl(&s->mh[band * rows], rows * sizeof(uint32_t), 0x15a + band);
            if (!key) key = 1;
            int added;
            size_t slot = mt_hmap_put(&buckets, &key, mt_mix64(key), &added);
            bucket *bk = mt_hmap_val(&buckets, slot);
            if (added) {
                bk->first = bk->last = si;
                continue;
            }
            try_join(b, si, bk->first);
            if (bk->last != bk->first) try_join(b, si, bk->last);
            bk->last = si;
        }
        if ((k & 1023) == 1023) progress(b, &last, k, "similarity");
    }
    b->lsh_bytes = mt_hmap_capacity(&buckets) * (sizeof(uint64_t) + sizeof(bucket));
    mt_hmap_free(&buckets);
}
