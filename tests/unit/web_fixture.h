/* A synthetic set of website findings for the store and report tests,
 * with the expected aggregates computed here in C, straight from the
 * definitions in docs/STORE.md (a site is a domain with a finding at
 * confidence >= the threshold; its rank the lowest known rank of those
 * findings; its category the greatest; providers: sites naming each;
 * unknown: sites naming none; site keys: distinct domains per key).
 *
 * WEB_NDOMAINS domains, 3 or 4 findings each (990 in all), with ranks
 * spread over 1..1.5M (every tenth domain unranked, every finding j = 3
 * without rank), five categories ("" among them, and every finding j = 2
 * without one), six providers (one "unknown"; finding 0 of every third
 * domain "unknown" too), site keys shared by several domains, and
 * confidences 20..100 (below 50 on every seventh domain). */
#ifndef MT_TEST_WEB_FIXTURE_H
#define MT_TEST_WEB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/web.h"

#define WEB_NDOMAINS 300
#define WEB_MAXF (WEB_NDOMAINS * 4)
#define WEB_T0 1514764800000000LL /* 2018-01-01 */

static const char *const WEB_CATS[] = {"business", "entertainment", "news", "", "adult"};
static const char *const WEB_PROVS[] = {"coinhive", "cryptoloot", "coinimp", "webminerpool", "unknown", "deepminer"};
static const char *const WEB_KINDS[] = {"blocklist", "api", "wasm", "websocket", "packed"};

static size_t web_fixture(mt_web_finding *out)
{
    size_t n = 0;
    for (int i = 0; i < WEB_NDOMAINS; i++) {
        int nf = 3 + (i % 10 < 3);
        uint32_t rank = i % 10 == 9 ? 0 : 1 + (uint32_t)(((uint64_t)i * 2654435761u) % 1500000u);
        for (int j = 0; j < nf; j++) {
            mt_web_finding *f = &out[n++];
            mt_web_finding_init(f);
            f->ts = WEB_T0 + (int64_t)i * 1000000 + j;
            snprintf(f->domain, sizeof f->domain, "d%03d.example", i);
            snprintf(f->url, sizeof f->url, "https://www.d%03d.example/%s", i, j % 2 ? "a.html" : "");
            if (j) snprintf(f->resource, sizeof f->resource, "https://cdn.d%03d.example/s%d.js", i, j);
            f->rank = j == 3 ? 0 : rank;
            snprintf(f->category, sizeof f->category, "%s", j == 2 ? "" : WEB_CATS[i % 5]);
            snprintf(f->provider, sizeof f->provider, "%s",
                     j == 0 && i % 3 == 0 ? "unknown" : WEB_PROVS[i % 6]);
            if (j == 1 && i % 4) snprintf(f->site_key, sizeof f->site_key, "K%02d", i % 23);
            snprintf(f->kind, sizeof f->kind, "%s", WEB_KINDS[(i + j) % 5]);
            /* every seventh domain stays below 50: not a mining site */
            f->confidence = 20 + (i * 7 + j * 31) % (i % 7 == 3 ? 30 : 81);
            snprintf(f->evidence, sizeof f->evidence, "finding %d of d%03d", j, i);
        }
    }
    return n;
}

/* Expected aggregates at threshold `minc` over rank edges e[0..ne). */
typedef struct web_expect {
    unsigned long sites, pages, confident, unranked;
    unsigned long rank[16];
    unsigned long cat_sites[5], cat_findings[5];   /* by WEB_CATS index */
    unsigned long prov_sites[6], prov_findings[6]; /* by WEB_PROVS index; [4] = unknown: sites naming none */
    unsigned long key_sites[23], key_findings[23];
    unsigned long distinct_keys, campaigns, keyed_sites;
} web_expect;

static int web_idx(const char *const *v, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return i;
    return -1;
}

static void web_expected(const mt_web_finding *f, size_t n, int minc, const uint32_t *e, size_t ne,
                         web_expect *x)
{
    memset(x, 0, sizeof *x);
    for (size_t k = 0; k < n; k++) x->confident += f[k].confidence >= minc;
    for (int i = 0; i < WEB_NDOMAINS; i++) {
        char dom[32];
        snprintf(dom, sizeof dom, "d%03d.example", i);
        uint32_t best = 0;
        const char *cat = NULL;
        int prov[6] = {0}, keys[23] = {0}, known = 0, nq = 0, haskey = 0;
        int page_root = 0, page_a = 0;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(f[k].domain, dom) || f[k].confidence < minc) continue;
            nq++;
            if (f[k].rank && (!best || f[k].rank < best)) best = f[k].rank;
            if (!cat || strcmp(f[k].category, cat) > 0) cat = f[k].category;
            int p = web_idx(WEB_PROVS, 6, f[k].provider);
            if (p != 4) {
                known = 1;
                if (!prov[p]++) x->prov_sites[p]++;
                x->prov_findings[p]++;
            }
            if (f[k].site_key[0]) {
                int kk = atoi(f[k].site_key + 1);
                if (!keys[kk]++) x->key_sites[kk]++;
                x->key_findings[kk]++;
                haskey = 1;
            }
            if (strstr(f[k].url, "a.html")) page_a = 1;
            else page_root = 1;
        }
        if (!nq) continue;
        x->sites++;
        x->pages += (unsigned long)(page_root + page_a);
        x->keyed_sites += (unsigned long)haskey;
        if (!best) x->unranked++;
        else {
            size_t b = 0;
            while (b < ne && best > e[b]) b++;
            x->rank[b]++;
        }
        int c = web_idx(WEB_CATS, 5, cat);
        x->cat_sites[c]++;
        x->cat_findings[c] += (unsigned long)nq;
        if (!known) {
            x->prov_sites[4]++;
            x->prov_findings[4] += (unsigned long)nq;
        }
    }
    for (int k = 0; k < 23; k++) {
        x->distinct_keys += x->key_sites[k] > 0;
        x->campaigns += x->key_sites[k] >= 2;
    }
}

#endif
