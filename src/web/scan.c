/* The website scanner's body (web/scan.h): records -> pages, scripts and
 * Wasm -> evidence -> web findings for the site that loads them.
 *
 * Tables (all fixed at start, no allocation per record):
 *   sites    domain hash -> slot: the site's first page, rank, category and
 *            verdict; a full probe window gives way to the oldest slot
 *   refs     resource URL hash -> (site slot, generation): which site's page
 *            referenced it; a reused slot's old references are ignored
 *   pending  a ring of findings from resources no page had referenced yet,
 *            claimed when a page does
 *   seen     one finding per (site, kind, provider, key, resource) */
#include "web/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/flowmark.h"
#include "minetrace/store.h"
#include "util/hash.h"
#include "util/hashmap.h"
#include "web/jsscan.h"
#include "web/url.h"
#include "web/wasm.h"

#define MAX_HITS 64
#define MAX_REFS 256
#define PENDING 1024
/* A CryptoNight hash in Wasm without a mining loop: evidence, not a verdict
 * (below MT_STORE_WEB_MIN_CONFIDENCE, the report's and --sites' threshold). */
#define HASH_ONLY_CONFIDENCE 40

typedef struct site {
    char domain[256];
    char page[512];          /* the first page of the site seen */
    char category[64];
    uint32_t rank, gen;
    uint64_t hash;           /* 0 = free */
    mt_web_site_verdict v;
} site;

typedef struct ref_val {
    uint32_t slot, gen;
} ref_val;

typedef struct pend {
    uint64_t url_hash, seq;  /* seq 0 = empty */
    int64_t prev;            /* older entry for the same URL, -1 = none */
    uint64_t child;          /* a link: url_hash's resource loads this URL (hash); 0 = a finding */
    mt_web_finding f;        /* domain/url/rank/category filled when claimed */
} pend;

struct mt_webscan {
    mt_webscan_opts o;
    mt_web_sink *sinks[4];
    size_t n_sinks;
    unsigned char sink_failed[4]; /* gets no more findings (mt_webscan_sink_error) */
    int sink_error;
    char sink_msg[512];
    mt_jsscan *js;
    site *sites;
    size_t n_sites, clock;
    mt_hmap site_index;      /* uint64 domain hash -> uint32 slot + 1 */
    mt_hmap refs;            /* uint64 URL hash -> ref_val */
    mt_hmap pend_index;      /* uint64 URL hash -> uint64 newest ring seq */
    pend *ring;
    uint64_t ring_seq;
    mt_seenset *seen;
    mt_webscan_stats st;
    uint64_t unflushed;      /* findings emitted since the sinks last flushed */
    struct timespec flushed; /* when they did */
    /* per-record scratch */
    mt_web_hit hits[MAX_HITS];
    char (*ref_urls)[512];
    unsigned char *ref_types;
    size_t ref_cap; /* the collector grows the arrays past MAX_REFS: keep what it returns */
};

static uint64_t key_hash(const void *k) { return mt_hash_bytes_inl(k, sizeof(uint64_t), 0x57eb); }

static uint64_t str_hash(const char *s)
{
    uint64_t h = mt_hash_bytes_inl(s, strlen(s), 0x5eed0f);
    return h ? h : 1; /* 0 is the empty key */
}

mt_webscan *mt_webscan_new(const mt_webscan_opts *o, mt_web_sink **sinks, size_t n_sinks)
{
    mt_webscan *w = mt_xcalloc(1, sizeof *w);
    w->o = *o;
    if (!w->o.max_sites) w->o.max_sites = 65536;
    if (!w->o.max_refs) w->o.max_refs = 262144;
    for (size_t i = 0; i < n_sinks && i < 4; i++) w->sinks[w->n_sinks++] = sinks[i];
    w->js = mt_jsscan_new(o->rules_path);
    if (!w->js) {
        free(w);
        return NULL;
    }
    w->n_sites = w->o.max_sites;
    w->sites = mt_xcalloc(w->n_sites, sizeof *w->sites);
    mt_hmap_init(&w->site_index, &(mt_hmap_cfg){.key_size = 8, .val_size = 4, .capacity = w->n_sites * 2,
                                                .fixed = 1, .hash = key_hash});
    mt_hmap_init(&w->refs, &(mt_hmap_cfg){.key_size = 8, .val_size = sizeof(ref_val),
                                          .capacity = w->o.max_refs, .fixed = 1, .hash = key_hash});
    mt_hmap_init(&w->pend_index, &(mt_hmap_cfg){.key_size = 8, .val_size = 8, .capacity = PENDING * 2,
                                                .fixed = 1, .hash = key_hash});
    w->ring = mt_xcalloc(PENDING, sizeof *w->ring);
    w->seen = mt_seenset_new(1u << 18);
    w->ref_urls = mt_xcalloc(MAX_REFS, sizeof *w->ref_urls);
    w->ref_types = mt_xcalloc(MAX_REFS, 1);
    clock_gettime(CLOCK_MONOTONIC, &w->flushed);
    w->ref_cap = MAX_REFS;
    return w;
}

void mt_webscan_free(mt_webscan *w)
{
    if (!w) return;
    mt_jsscan_free(w->js);
    mt_hmap_free(&w->site_index);
    mt_hmap_free(&w->refs);
    mt_hmap_free(&w->pend_index);
    mt_seenset_free(w->seen);
    free(w->sites);
    free(w->ring);
    free(w->ref_urls);
    free(w->ref_types);
    free(w);
}

const mt_webscan_stats *mt_webscan_get_stats(const mt_webscan *w) { return &w->st; }

static void sink_failed(mt_webscan *w, size_t i)
{
    w->sink_failed[i] = 1;
    if (w->sink_error) return;
    w->sink_error = 1;
    const char *m = mt_error_msg();
    mt_strlcpy(w->sink_msg, m && m[0] ? m : "a finding sink failed", sizeof w->sink_msg);
}

static void flush_sinks(mt_webscan *w)
{
    for (size_t i = 0; i < w->n_sinks; i++)
        if (w->sinks[i]->flush && !w->sink_failed[i] && w->sinks[i]->flush(w->sinks[i]) != MT_OK)
            sink_failed(w, i);
}

const char *mt_webscan_sink_error(const mt_webscan *w) { return w->sink_error ? w->sink_msg : NULL; }

/* ---- sites ------------------------------------------------------------- */

static site *site_of(mt_webscan *w, const char *host, const char *page_url, uint32_t *slot_out)
{
    char dom[256];
    if (mt_siteinfo_site(w->o.si, host, dom, sizeof dom) != 0) return NULL;
    uint64_t h = str_hash(dom);
    size_t i = mt_hmap_find(&w->site_index, &h, h);
    if (i != MT_HMAP_NONE) {
        uint32_t slot = *(uint32_t *)mt_hmap_val(&w->site_index, i) - 1;
        if (w->sites[slot].hash == h && strcmp(w->sites[slot].domain, dom) == 0) {
            site *s = &w->sites[slot];
            if (!s->page[0] && page_url) mt_strlcpy(s->page, page_url, sizeof s->page);
            *slot_out = slot;
            return s;
        }
    }
    /* A new site takes the next slot of the clock; its previous owner, if
     * any, is forgotten (counted) with its references. */
    uint32_t slot = (uint32_t)(w->clock++ % w->n_sites);
    site *s = &w->sites[slot];
    if (s->hash) {
        w->st.sites_evicted++;
        size_t j = mt_hmap_find(&w->site_index, &s->hash, s->hash);
        if (j != MT_HMAP_NONE) mt_hmap_remove(&w->site_index, j);
    }
    uint32_t gen = s->gen + 1;
    memset(s, 0, sizeof *s);
    s->gen = gen;
    s->hash = h;
    mt_strlcpy(s->domain, dom, sizeof s->domain);
    if (page_url) mt_strlcpy(s->page, page_url, sizeof s->page);
    s->rank = mt_siteinfo_rank(w->o.si, host);
    mt_strlcpy(s->category, mt_siteinfo_category(w->o.si, host), sizeof s->category);
    int added;
    size_t k = mt_hmap_put(&w->site_index, &h, h, &added);
    if (k == MT_HMAP_NONE) k = mt_hmap_evict(&w->site_index, mt_hmap_window_slot(&w->site_index, h, 0), &h);
    uint32_t v = slot + 1;
    memcpy(mt_hmap_val(&w->site_index, k), &v, sizeof v);
    w->st.sites_seen++;
    *slot_out = slot;
    return s;
}

static void list_add(char *list, size_t cap, const char *item)
{
    if (!item[0]) return;
    size_t n = strlen(list), m = strlen(item);
    /* already there? (items are short; lists hold four) */
    for (const char *p = list; (p = strstr(p, item)) != NULL; p += m)
        if ((p == list || p[-1] == ',') && (p[m] == ',' || p[m] == '\0')) return;
    int commas = 0;
    for (const char *p = list; *p; p++) commas += *p == ',';
    if (n && commas >= 3) return;
    if (n + m + 2 > cap) return;
    if (n) list[n++] = ',';
    memcpy(list + n, item, m + 1);
}

/* ---- findings ---------------------------------------------------------- */

static void emit(mt_webscan *w, site *s, mt_web_finding *f)
{
    mt_strlcpy(f->domain, s->domain, sizeof f->domain);
    if (!f->url[0]) mt_strlcpy(f->url, s->page, sizeof f->url);
    f->rank = s->rank;
    mt_strlcpy(f->category, s->category, sizeof f->category);
    if (f->confidence < w->o.min_confidence) {
        w->st.findings_dropped++;
        return;
    }
    uint64_t k = mt_hash_bytes_inl(f->kind, strlen(f->kind), s->hash);
    k = mt_hash_bytes_inl(f->provider, strlen(f->provider), k);
    k = mt_hash_bytes_inl(f->site_key, strlen(f->site_key), k);
    k = mt_hash_bytes_inl(f->resource, strlen(f->resource), k);
    if (mt_seenset_test_add(w->seen, k ? k : 1)) {
        w->st.duplicates++;
        return;
    }
    w->st.findings++;
    w->unflushed++;
    mt_web_site_verdict *v = &s->v;
    if (!v->findings) {
        mt_strlcpy(v->domain, s->domain, sizeof v->domain);
        v->rank = s->rank;
        mt_strlcpy(v->category, s->category, sizeof v->category);
        v->first = f->ts;
    }
    v->findings++;
    if (f->confidence > v->confidence) v->confidence = f->confidence;
    if (f->ts && (!v->first || f->ts < v->first)) v->first = f->ts;
    if (f->ts > v->last) v->last = f->ts;
    if (strcmp(f->provider, MT_WEB_PROVIDER_UNKNOWN) != 0) list_add(v->providers, sizeof v->providers, f->provider);
    list_add(v->site_keys, sizeof v->site_keys, f->site_key);
    list_add(v->kinds, sizeof v->kinds, f->kind);
    for (size_t i = 0; i < w->n_sinks; i++)
        if (!w->sink_failed[i] && w->sinks[i]->emit_web(w->sinks[i], f) != MT_OK) sink_failed(w, i);
}

static void finding_from_hit(mt_web_finding *f, const mt_web_hit *h, const mt_web_record *r,
                             const char *resource)
{
    mt_web_finding_init(f);
    f->ts = r->date;
    mt_strlcpy(f->provider, h->provider, sizeof f->provider);
    mt_strlcpy(f->kind, h->kind, sizeof f->kind);
    mt_strlcpy(f->site_key, h->site_key, sizeof f->site_key);
    mt_strlcpy(f->evidence, h->evidence, sizeof f->evidence);
    f->confidence = h->confidence;
    if (resource) mt_strlcpy(f->resource, resource, sizeof f->resource);
}

/* Evidence of a resource whose page is not known yet, or a link from such
 * a resource to one it loads (a boot script fetching the Wasm): kept in
 * the ring until a page claims the resource. */
static void pend_put(mt_webscan *w, uint64_t url_hash, const mt_web_finding *f, uint64_t child)
{
    pend *p = &w->ring[w->ring_seq % PENDING];
    if (p->seq) w->st.pending_unclaimed++; /* an older one gives way */
    uint64_t seq = ++w->ring_seq;
    int added;
    size_t i = mt_hmap_put(&w->pend_index, &url_hash, url_hash, &added);
    if (i == MT_HMAP_NONE)
        i = mt_hmap_evict(&w->pend_index, mt_hmap_window_slot(&w->pend_index, url_hash, 0), &url_hash),
        added = 1;
    uint64_t *newest = mt_hmap_val(&w->pend_index, i);
    p->prev = added ? -1 : (int64_t)*newest;
    *newest = seq;
    p->url_hash = url_hash;
    p->seq = seq;
    p->child = child;
    if (f) p->f = *f;
    w->st.pending_used++;
}

static void pend_add(mt_webscan *w, uint64_t url_hash, const mt_web_finding *f)
{
    pend_put(w, url_hash, f, 0);
}

static void ref_remember(mt_webscan *w, uint64_t url_hash, uint32_t slot);

/* A page of site s references url: findings that resource already showed
 * become the site's, and so do those of what it loads (to a bounded depth:
 * page -> script -> worker -> Wasm). */
static void pend_claim_depth(mt_webscan *w, site *s, uint32_t slot, uint64_t url_hash,
                             const char *page, int depth)
{
    size_t i = mt_hmap_find(&w->pend_index, &url_hash, url_hash);
    if (i == MT_HMAP_NONE) return;
    int64_t seq = (int64_t)*(uint64_t *)mt_hmap_val(&w->pend_index, i);
    while (seq > 0 && (uint64_t)seq + PENDING > w->ring_seq) {
        pend *p = &w->ring[(uint64_t)(seq - 1) % PENDING];
        if (p->seq != (uint64_t)seq || p->url_hash != url_hash) break;
        if (p->child) {
            ref_remember(w, p->child, slot);
            if (depth > 0) pend_claim_depth(w, s, slot, p->child, page, depth - 1);
        } else {
            mt_web_finding f = p->f;
            mt_strlcpy(f.url, page, sizeof f.url);
            emit(w, s, &f);
        }
        seq = p->prev;
    }
}

static void pend_claim(mt_webscan *w, site *s, uint64_t url_hash, const char *page)
{
    pend_claim_depth(w, s, (uint32_t)(s - w->sites), url_hash, page, 3);
}

/* The site whose page referenced url, or NULL. */
static site *ref_owner(mt_webscan *w, uint64_t url_hash)
{
    size_t i = mt_hmap_find(&w->refs, &url_hash, url_hash);
    if (i == MT_HMAP_NONE) return NULL;
    const ref_val *v = mt_hmap_val(&w->refs, i);
    site *s = &w->sites[v->slot];
    return s->gen == v->gen && s->hash ? s : NULL;
}

static void ref_remember(mt_webscan *w, uint64_t url_hash, uint32_t slot)
{
    int added;
    size_t i = mt_hmap_put(&w->refs, &url_hash, url_hash, &added);
    if (i == MT_HMAP_NONE) {
        w->st.refs_evicted++;
        i = mt_hmap_evict(&w->refs, mt_hmap_window_slot(&w->refs, url_hash, 0), &url_hash);
    }
    ref_val v = {slot, w->sites[slot].gen};
    memcpy(mt_hmap_val(&w->refs, i), &v, sizeof v);
}

/* ---- what a record holds ------------------------------------------------ */

enum { REC_OTHER, REC_PAGE, REC_SCRIPT, REC_WASM };

static int classify(const mt_web_record *r)
{
    const char *ct = r->content_type ? r->content_type : "";
    if (r->body_len >= 4 && memcmp(r->body, "\0asm", 4) == 0) return REC_WASM;
    if (!strcmp(ct, "application/wasm")) return REC_WASM;
    if (strstr(ct, "html")) return REC_PAGE;
    if (strstr(ct, "javascript") || strstr(ct, "ecmascript")) return REC_SCRIPT;
    /* No or a generic type: sniff the first bytes. */
    size_t n = r->body_len < 512 ? r->body_len : 512;
    for (size_t i = 0; i + 5 < n; i++) {
        if (r->body[i] != '<') continue;
        const char *p = (const char *)r->body + i + 1;
        if (!strncasecmp(p, "html", 4) || !strncasecmp(p, "!doctype", 8) || !strncasecmp(p, "script", 6) ||
            !strncasecmp(p, "head", 4))
            return REC_PAGE;
    }
    const char *u = r->uri ? r->uri : "";
    size_t ul = strcspn(u, "?#");
    if (ul > 3 && !strncmp(u + ul - 3, ".js", 3)) return REC_SCRIPT;
    if (ul > 5 && !strncmp(u + ul - 5, ".wasm", 5)) return REC_WASM;
    return REC_OTHER;
}

/* Block lists on a referenced URL (type: the kind of request a browser
 * would make for it). */
static int ref_request_type(unsigned char ref_type)
{
    switch (ref_type) {
    case MT_REF_SCRIPT: return MT_REQ_SCRIPT;
    case MT_REF_WORKER: return MT_REQ_SCRIPT;
    case MT_REF_WEBSOCKET: return MT_REQ_WEBSOCKET;
    case MT_REF_IFRAME: return MT_REQ_SUBDOCUMENT;
    case MT_REF_WASM: return MT_REQ_XHR;
    }
    return MT_REQ_OTHER;
}

/* Miner services by the hosts of their scripts and sockets (web.md 2), to
 * name the provider of a block-list hit. */
static const char *provider_of_host(const char *host)
{
    static const struct { const char *suffix, *provider; } tab[] = {
        {"coinhive.com", "coinhive"},       {"coin-hive.com", "coinhive"},   {"cnhv.co", "coinhive"},
        {"authedmine.com", "authedmine"},   {"crypto-loot.com", "cryptoloot"}, {"cryptaloot.pro", "cryptoloot"},
        {"webmine.pro", "cryptoloot"},      {"coinimp.com", "coinimp"},      {"hostingcloud.racing", "coinimp"},
        {"webminepool.com", "webminepool"}, {"jsecoin.com", "jsecoin"},      {"minero.cc", "minero"},
        {"cryptonoter.com", "cryptonoter"}, {"deepminer", "deepminer"},      {"coinhave.com", "coinhave"},
    };
    size_t hn = strlen(host);
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        size_t sn = strlen(tab[i].suffix);
        if (hn >= sn && !strcmp(host + hn - sn, tab[i].suffix) && (hn == sn || host[hn - sn - 1] == '.'))
            return tab[i].provider;
    }
    return MT_WEB_PROVIDER_UNKNOWN;
}

typedef struct wasm_ctx {
    mt_webscan *w;
    const mt_web_record *r;
    site *owner;             /* NULL: pending under url_hash */
    uint64_t url_hash;
    const char *resource;    /* where the module sits */
    const char *provider;
} wasm_ctx;

static void wasm_finding(wasm_ctx *c, const uint8_t *mod, size_t n, const char *how)
{
    mt_wasm_info info;
    if (mt_wasm_analyze(mod, n, &info) != MT_OK || !info.valid) {
        c->w->st.wasm_invalid++;
        return;
    }
    if (!info.cryptonight && !info.cn_hash) return;
    mt_web_finding f;
    mt_web_finding_init(&f);
    f.ts = c->r->date;
    mt_strlcpy(f.kind, "wasm", sizeof f.kind);
    mt_strlcpy(f.provider, c->provider ? c->provider : MT_WEB_PROVIDER_UNKNOWN, sizeof f.provider);
    if (info.cryptonight) {
        f.confidence = info.score;
        snprintf(f.evidence, sizeof f.evidence, "CryptoNight-family WebAssembly with a mining loop (%s): %s",
                 how, info.evidence);
    } else {
        /* The hash alone: Coinhive-style miners loop in their JS worker,
         * but a Monero wallet library carries the same hash. Reported
         * below the site verdict's threshold; the site is judged a miner
         * only with other evidence (its API, a pool socket). */
        f.confidence = HASH_ONLY_CONFIDENCE;
        snprintf(f.evidence, sizeof f.evidence,
                 "CryptoNight-family hash in WebAssembly (%s, export %.60s), no mining loop in the module: %s",
                 how, info.hash_export[0] ? info.hash_export : "?", info.evidence);
    }
    if (c->resource) mt_strlcpy(f.resource, c->resource, sizeof f.resource);
    if (c->owner) emit(c->w, c->owner, &f);
    else pend_add(c->w, c->url_hash, &f);
}

static int on_embedded(void *ctx, const uint8_t *mod, size_t n, const char *how, size_t offset)
{
    (void)offset;
    wasm_ctx *c = ctx;
    c->w->st.embedded_wasm++;
    wasm_finding(c, mod, n, how);
    return 0;
}

static void scan_page(mt_webscan *w, const mt_web_record *r, const char *host)
{
    uint32_t slot;
    site *s = site_of(w, host, r->uri, &slot);
    if (!s) return;
    w->st.pages++;
    mt_web_refs refs = {w->ref_urls, w->ref_types, 0, w->ref_cap};
    size_t n = mt_jsscan_text(w->js, (const char *)r->body, r->body_len, 1, w->hits, MAX_HITS, &refs);
    w->ref_urls = refs.url;
    w->ref_types = refs.type;
    w->ref_cap = refs.cap;
    const char *provider = NULL;
    for (size_t i = 0; i < n && i < MAX_HITS; i++) {
        mt_web_finding f;
        finding_from_hit(&f, &w->hits[i], r, NULL);
        mt_strlcpy(f.url, r->uri, sizeof f.url);
        if (!provider && strcmp(w->hits[i].provider, MT_WEB_PROVIDER_UNKNOWN)) provider = w->hits[i].provider;
        emit(w, s, &f);
    }
    wasm_ctx wc = {w, r, s, 0, NULL, provider};
    mt_wasm_find_embedded((const char *)r->body, r->body_len, on_embedded, &wc);
    for (size_t i = 0; i < refs.n; i++) {
        char abs[2048], rhost[256];
        if (mt_url_resolve(r->uri, refs.url[i], abs, sizeof abs) != 0) continue;
        w->st.refs++;
        uint64_t h = str_hash(abs);
        ref_remember(w, h, slot);
        pend_claim(w, s, h, r->uri);
        mt_intel_hit hit;
        if (w->o.intel && mt_url_host(abs, rhost, sizeof rhost) == 0 &&
            mt_intel_match_request(w->o.intel, abs, host, ref_request_type(refs.type[i]), &hit)) {
            mt_web_finding f;
            mt_web_finding_init(&f);
            f.ts = r->date;
            mt_strlcpy(f.url, r->uri, sizeof f.url);
            mt_strlcpy(f.resource, abs, sizeof f.resource);
            mt_strlcpy(f.kind, "blocklist", sizeof f.kind);
            mt_strlcpy(f.provider, provider_of_host(rhost), sizeof f.provider);
            f.confidence = hit.weight;
            snprintf(f.evidence, sizeof f.evidence, "blocked by %.200s (rule %.200s)",
                     hit.source ? hit.source : "a list", hit.matched ? hit.matched : "?");
            emit(w, s, &f);
        }
    }
}

/* A script or Wasm file: the site whose page referenced it owns its
 * evidence; before any page did, the evidence waits in the ring. */
static void scan_resource(mt_webscan *w, const mt_web_record *r, int kind)
{
    uint64_t h = str_hash(r->uri);
    site *owner = ref_owner(w, h);
    if (owner) w->st.refs_followed++;
    if (kind == REC_WASM) {
        w->st.wasm_files++;
        wasm_ctx wc = {w, r, owner, h, r->uri, NULL};
        wasm_finding(&wc, r->body, r->body_len, "file");
        return;
    }
    w->st.scripts++;
    mt_web_refs refs = {w->ref_urls, w->ref_types, 0, w->ref_cap};
    size_t n = mt_jsscan_text(w->js, (const char *)r->body, r->body_len, 0, w->hits, MAX_HITS, &refs);
    w->ref_urls = refs.url;
    w->ref_types = refs.type;
    w->ref_cap = refs.cap;
    const char *provider = NULL;
    for (size_t i = 0; i < n && i < MAX_HITS; i++) {
        mt_web_finding f;
        finding_from_hit(&f, &w->hits[i], r, r->uri);
        if (!provider && strcmp(w->hits[i].provider, MT_WEB_PROVIDER_UNKNOWN)) provider = w->hits[i].provider;
        if (owner) emit(w, owner, &f);
        else pend_add(w, h, &f);
    }
    wasm_ctx wc = {w, r, owner, h, r->uri, provider};
    mt_wasm_find_embedded((const char *)r->body, r->body_len, on_embedded, &wc);
    /* Workers, Wasm and sockets a script loads belong to the same site;
     * before its page is known, the links wait with its evidence. */
    for (size_t i = 0; i < refs.n; i++) {
        char abs[2048];
        if (mt_url_resolve(r->uri, refs.url[i], abs, sizeof abs) != 0) continue;
        uint64_t rh = str_hash(abs);
        if (owner) {
            ref_remember(w, rh, (uint32_t)(owner - w->sites));
            pend_claim(w, owner, rh, owner->page);
        } else {
            pend_put(w, h, NULL, rh);
        }
    }
}

/* A long or live scan writes and commits what it found at least once a
 * second, so a killed run loses at most that second. */
static void flush_if_due(mt_webscan *w)
{
    if (!w->unflushed) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - w->flushed.tv_sec < 1) return;
    w->flushed = now;
    w->unflushed = 0;
    flush_sinks(w);
}

int mt_webscan_record(void *ctx, const mt_web_record *r)
{
    mt_webscan *w = ctx;
    w->st.records++;
    flush_if_due(w);
    if (r->flags & MT_WEBREC_REVISIT) {
        w->st.skipped_revisit++;
        return 0;
    }
    if (r->http_status && (r->http_status < 200 || r->http_status >= 300)) {
        w->st.skipped_status++;
        return 0;
    }
    if (!r->uri || !r->body_len) return 0;
    char host[256];
    int kind = classify(r);
    if (kind == REC_OTHER) {
        w->st.other++;
        return 0;
    }
    if (kind == REC_PAGE) {
        /* file:// pages (a directory of saved pages) are their own site,
         * named by the directory layout: the first path element. */
        if (mt_url_host(r->uri, host, sizeof host) != 0) {
            const char *p = r->uri;
            if (!strncmp(p, "file://", 7)) p += 7;
            size_t n = strcspn(p, "/");
            if (n == 0 || n >= sizeof host) return 0;
            memcpy(host, p, n);
            host[n] = '\0';
        }
        scan_page(w, r, host);
    } else {
        scan_resource(w, r, kind);
    }
    return 0;
}

void mt_webscan_finish(mt_webscan *w)
{
    flush_sinks(w);
}

static int cmp_verdict(const void *a, const void *b)
{
    const mt_web_site_verdict *x = a, *y = b;
    if (x->confidence != y->confidence) return y->confidence - x->confidence;
    return strcmp(x->domain, y->domain);
}

size_t mt_webscan_sites(const mt_webscan *w, mt_web_site_verdict **out)
{
    size_t n = 0;
    mt_web_site_verdict *v = mt_xcalloc(w->n_sites + 1, sizeof *v);
    for (size_t i = 0; i < w->n_sites; i++)
        if (w->sites[i].hash && w->sites[i].v.findings &&
            w->sites[i].v.confidence >= MT_STORE_WEB_MIN_CONFIDENCE)
            v[n++] = w->sites[i].v;
    qsort(v, n, sizeof *v, cmp_verdict);
    *out = v;
    return n;
}
