/* The store's generic layer: opening by path or URI, the calls every
 * caller makes (which go through the backend's ops table), the finding
 * uids, the store sinks (traffic and web), and freeing query results. Nothing here knows a
 * backend's schema. */
#include "minetrace/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "util/buf.h"

/* The backends this build has, by URI scheme. A server backend adds a
 * row (its scheme, e.g. "postgresql", its open function, and whether it
 * takes the whole URI). */
static const struct {
    const char *scheme;
    mt_store *(*open)(const char *target, const mt_store_opts *o);
    int whole_uri;
} backends[] = {
    {"sqlite", mt_sqlite_store_open, 0},
    {"postgresql", mt_pg_store_open, 1},
    {"postgres", mt_pg_store_open, 1},
};
#define N_BACKENDS (sizeof backends / sizeof backends[0])

mt_store *mt_store_open(const char *where, const mt_store_opts *o)
{
    mt_store_opts def = {MT_STORE_CREATE, NULL};
    if (!o) o = &def;
    if (!where || !*where) {
        mt_error_set(MT_EINVAL, "no store given");
        return NULL;
    }
    /* "scheme:rest" names a backend: "sqlite:PATH" (or "sqlite://PATH")
     * takes the rest as its path, a server backend the whole URI
     * ("postgresql://..."). Anything else is an SQLite file name. */
    for (size_t i = 0; i < N_BACKENDS; i++) {
        size_t n = strlen(backends[i].scheme);
        if (strncmp(where, backends[i].scheme, n) != 0 || where[n] != ':') continue;
        if (backends[i].whole_uri) return backends[i].open(where, o);
        const char *rest = where + n + 1;
        if (rest[0] == '/' && rest[1] == '/') rest += 2;
        return backends[i].open(rest, o);
    }
    const char *sep = strstr(where, "://");
    if (sep) {
        mt_error_set(MT_EINVAL, "store '%.*s://...': unknown or not built in (this build has: sqlite, postgresql)",
                     (int)(sep - where > 32 ? 32 : sep - where), where);
        return NULL;
    }
    return mt_sqlite_store_open(where, o);
}

const char *mt_store_display_name(const char *where, char *buf, size_t n)
{
    mt_buf b;
    mt_buf_init(&b);
    const char *p = where ? where : "";
    const char *sep = strstr(p, "://");
    const char *auth = sep ? sep + 3 : NULL;
    const char *at = auth ? strpbrk(auth, "@/?") : NULL;
    if (at && *at == '@') {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            mt_buf_put(&b, p, (size_t)(colon + 1 - p));
            mt_buf_puts(&b, "***");
            p = at;
        }
    }
    /* Parameters: key=value pairs after '?', separated by '&'. */
    const char *q = strchr(p, '?');
    while (q) {
        const char *key = q + 1;
        const char *next = strchr(key, '&');
        const char *eq = strchr(key, '=');
        if (eq && (!next || eq < next) && (size_t)(eq - key) == 8 && strncmp(key, "password", 8) == 0) {
            mt_buf_put(&b, p, (size_t)(eq + 1 - p));
            mt_buf_puts(&b, "***");
            p = next ? next : eq + strlen(eq);
        }
        q = next;
    }
    mt_buf_puts(&b, p);
    mt_strlcpy(buf, mt_buf_cstr(&b), n);
    mt_buf_free(&b);
    return buf;
}

void mt_store_close(mt_store *s)
{
    if (s) s->ops->close(s);
}

int mt_store_schema_version(const mt_store *s) { return s->version; }
const char *mt_store_backend(const mt_store *s) { return s->ops->name; }
int mt_store_begin(mt_store *s) { return s->ops->begin(s); }
int mt_store_commit(mt_store *s) { return s->ops->commit(s); }
int mt_store_rollback(mt_store *s) { return s->ops->rollback(s); }

int mt_store_put(mt_store *s, const mt_finding *f, size_t n)
{
    return n ? s->ops->put(s, f, n) : MT_OK;
}

void mt_store_counts(const mt_store *s, uint64_t *n_new, uint64_t *n_dup)
{
    if (n_new) *n_new = s->n_new;
    if (n_dup) *n_dup = s->n_dup;
}

int mt_store_put_ingest_log(mt_store *s, const mt_store_ingest_row *row)
{
    return s->ops->put_ingest_log(s, row);
}

int mt_store_prepare(mt_store *s, unsigned want, const char **plan)
{
    const char *p = NULL;
    int rc = s->ops->prepare(s, want, &p);
    if (plan) *plan = p;
    return rc;
}

int mt_store_time_range(mt_store *s, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last)
{
    static const mt_store_sensors all = {NULL, 0};
    return s->ops->time_range(s, sensors ? sensors : &all, first, last);
}

int mt_store_summary_get(mt_store *s, const mt_store_query *q, mt_store_summary *out)
{
    memset(out, 0, sizeof *out);
    int rc = s->ops->summary(s, q, out);
    if (rc) mt_store_summary_free(out);
    return rc;
}

static void groups_free(mt_store_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        free(g[i].name2);
    }
    free(g);
}

void mt_store_summary_free(mt_store_summary *sm)
{
    for (size_t i = 0; i < sm->nhosts; i++) free(sm->hosts[i].addr);
    free(sm->hosts);
    for (int i = 0; i < 2; i++) {
        free(sm->bucket_findings[i]);
        free(sm->bucket_hosts[i]);
    }
    groups_free(sm->families, sm->nfamilies);
    groups_free(sm->kinds, sm->nkinds);
    groups_free(sm->behaviours, sm->nbehaviours);
    free(sm->port_findings);
    free(sm->port_hosts);
    for (size_t i = 0; i < sm->nsensors; i++) free(sm->sensors[i].sensor);
    free(sm->sensors);
    memset(sm, 0, sizeof *sm);
}

int mt_store_top_get(mt_store *s, const mt_store_query *q, mt_store_top *out)
{
    memset(out, 0, sizeof *out);
    int rc = s->ops->top(s, q, out);
    if (rc) mt_store_top_free(out);
    return rc;
}

int mt_store_indicators_get(mt_store *s, const mt_store_indicator_query *q, mt_store_indicators *out)
{
    memset(out, 0, sizeof *out);
    if (!s->ops->indicators) return mt_error_set(MT_EINVAL, "store: the %s backend has no indicator query", s->ops->name);
    int rc = s->ops->indicators(s, q, out);
    if (rc) mt_store_indicators_free(out);
    return rc;
}

void mt_store_indicators_free(mt_store_indicators *x)
{
    for (size_t i = 0; i < x->n; i++) free(x->v[i].value);
    free(x->v);
    memset(x, 0, sizeof *x);
}

void mt_store_top_free(mt_store_top *t)
{
    for (int i = 0; i < 3; i++) groups_free(t->v[i], t->n[i]);
    memset(t, 0, sizeof *t);
}

int mt_store_put_web(mt_store *s, const mt_web_finding *f, size_t n)
{
    return n ? s->ops->put_web(s, f, n) : MT_OK;
}

int mt_store_web_present(mt_store *s) { return s->ops->web_present(s); }

int mt_store_web_summary_get(mt_store *s, const mt_store_web_query *q, mt_store_web_summary *out)
{
    memset(out, 0, sizeof *out);
    mt_store_web_query def;
    if (q->nedges > MT_STORE_WEB_MAX_EDGES)
        return mt_error_set(MT_EINVAL, "at most %d rank interval edges", MT_STORE_WEB_MAX_EDGES);
    for (size_t i = 1; i < q->nedges; i++)
        if (q->edges[i] <= q->edges[i - 1]) return mt_error_set(MT_EINVAL, "rank interval edges must increase");
    if (q->nedges && q->edges[0] < 1) return mt_error_set(MT_EINVAL, "rank interval edges start at 1");
    if (!q->nedges) {
        def = *q;
        def.edges[0] = 10000;
        def.edges[1] = 100000;
        def.edges[2] = 1000000;
        def.nedges = 3;
        q = &def;
    }
    memcpy(out->edges, q->edges, sizeof out->edges);
    out->nedges = q->nedges;
    int rc = s->ops->web_summary(s, q, out);
    if (rc) mt_store_web_summary_free(out);
    return rc;
}

static void web_groups_free(mt_store_web_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        free(g[i].provider);
    }
    free(g);
}

void mt_store_web_summary_free(mt_store_web_summary *w)
{
    web_groups_free(w->categories, w->ncategories);
    web_groups_free(w->providers, w->nproviders);
    web_groups_free(w->kinds, w->nkinds);
    web_groups_free(w->keys, w->nkeys);
    memset(w, 0, sizeof *w);
}

/* ---- the finding uid ------------------------------------------------------ */

uint64_t mt_finding_uid(const mt_finding *f)
{
    /* The finding's identity (host, evidence, UTC day): a finding seen again
     * that day, in this run or another, is the same row (docs/STORE.md). */
    return mt_finding_identity(f);
}

/* A string field of a fixed array (a scanner may have filled it to the
 * brim without a terminator), length-prefixed, at o. */
static uint8_t *put_arr(uint8_t *o, const char *s, size_t cap)
{
    uint32_t n = (uint32_t)strnlen(s, cap);
    for (int i = 0; i < 4; i++) *o++ = (uint8_t)(n >> (8 * i));
    memcpy(o, s, n);
    return o + n;
}

uint64_t mt_web_finding_uid(const mt_web_finding *f)
{
    /* As mt_finding_uid (length-prefixed strings, little-endian integers),
     * with its own seed so that a web finding and a traffic finding never
     * share a uid by construction. Serialised on the stack: a crawl stores
     * findings one by one. Rank, category, domain and confidence are not
     * part of it: they come from the lists and scores of the run, and a
     * re-run with other lists finds the same evidence. */
    uint8_t buf[8 + 6 * 4 + sizeof f->url + sizeof f->resource + sizeof f->kind + sizeof f->provider +
                sizeof f->site_key + sizeof f->evidence];
    uint8_t *o = buf;
    for (int i = 0; i < 8; i++) *o++ = (uint8_t)((uint64_t)f->ts >> (8 * i));
    o = put_arr(o, f->url, sizeof f->url);
    o = put_arr(o, f->resource, sizeof f->resource);
    o = put_arr(o, f->kind, sizeof f->kind);
    o = put_arr(o, f->provider, sizeof f->provider);
    o = put_arr(o, f->site_key, sizeof f->site_key);
    o = put_arr(o, f->evidence, sizeof f->evidence);
    return mt_hash_bytes(buf, (size_t)(o - buf), 0x7765626d696e6521ULL /* "webmine!" */);
}

/* ---- the sinks ------------------------------------------------------------- */

typedef struct store_sink_ctx {
    mt_store *store;
    int own;
} store_sink_ctx;

/* The traffic sink and the web sink share their context and its end. */
static store_sink_ctx *ctx_new(mt_store *store, int own)
{
    store_sink_ctx *c = mt_xcalloc(1, sizeof *c);
    c->store = store;
    c->own = own;
    return c;
}

static void ctx_close(store_sink_ctx *c)
{
    if (c->own) mt_store_close(c->store);
    else mt_store_commit(c->store);
    free(c);
}

static int sink_emit(mt_sink *k, const mt_finding *f)
{
    store_sink_ctx *c = k->ctx;
    return mt_store_put(c->store, f, 1);
}

static int sink_flush(mt_sink *k) { return mt_store_commit(((store_sink_ctx *)k->ctx)->store); }

static void sink_close(mt_sink *k)
{
    ctx_close(k->ctx);
    free(k);
}

mt_sink *mt_store_sink_new(mt_store *store, int own)
{
    mt_sink *k = mt_xcalloc(1, sizeof *k);
    k->name = "store";
    k->emit = sink_emit;
    k->flush = sink_flush;
    k->close = sink_close;
    k->ctx = ctx_new(store, own);
    return k;
}

static int web_sink_emit(mt_web_sink *k, const mt_web_finding *f)
{
    store_sink_ctx *c = k->ctx;
    return mt_store_put_web(c->store, f, 1);
}

static int web_sink_flush(mt_web_sink *k) { return mt_store_commit(((store_sink_ctx *)k->ctx)->store); }

static void web_sink_close(mt_web_sink *k)
{
    ctx_close(k->ctx);
    free(k);
}

mt_web_sink *mt_store_web_sink_new(mt_store *store, int own)
{
    mt_web_sink *k = mt_xcalloc(1, sizeof *k);
    k->name = "store";
    k->emit_web = web_sink_emit;
    k->flush = web_sink_flush;
    k->close = web_sink_close;
    k->ctx = ctx_new(store, own);
    return k;
}

/* ---- the botnet study ------------------------------------------------------ */

int mt_store_put_campaign(mt_store *s, const mt_campaign *c) { return s->ops->put_campaign(s, c); }
int mt_store_put_botsource(mt_store *s, const mt_botsource *src) { return s->ops->put_botsource(s, src); }
int mt_store_put_credstat(mt_store *s, const mt_credstat *c) { return s->ops->put_credstat(s, c); }
int mt_store_botnet_present(mt_store *s) { return s->ops->botnet_present(s); }

int mt_store_botnet_summary_get(mt_store *s, const mt_store_botnet_query *q, mt_store_botnet_summary *out)
{
    memset(out, 0, sizeof *out);
    out->peak_day = -1;
    int rc = s->ops->botnet_summary(s, q, out);
    if (rc) mt_store_botnet_summary_free(out);
    return rc;
}

void mt_store_botnet_summary_free(mt_store_botnet_summary *b)
{
    for (size_t i = 0; i < b->nrows; i++) {
        mt_store_campaign_row *r = &b->rows[i];
        free(r->sensor);
        free(r->id);
        free(r->family);
        free(r->reason);
        free(r->peak_day);
        free(r->marker_type);
        free(r->marker);
    }
    free(b->rows);
    free(b->days);
    for (size_t i = 0; i < b->ncountries; i++) free(b->countries[i].code);
    free(b->countries);
    for (size_t i = 0; i < b->ncredentials; i++) {
        free(b->credentials[i].username);
        free(b->credentials[i].password);
    }
    free(b->credentials);
    memset(b, 0, sizeof *b);
    b->peak_day = -1;
}

static int bsink_campaign(mt_botnet_sink *k, const mt_campaign *c)
{
    return mt_store_put_campaign(((store_sink_ctx *)k->ctx)->store, c);
}

static int bsink_source(mt_botnet_sink *k, const mt_botsource *src)
{
    return mt_store_put_botsource(((store_sink_ctx *)k->ctx)->store, src);
}

static int bsink_credential(mt_botnet_sink *k, const mt_credstat *c)
{
    return mt_store_put_credstat(((store_sink_ctx *)k->ctx)->store, c);
}

static int bsink_flush(mt_botnet_sink *k) { return mt_store_commit(((store_sink_ctx *)k->ctx)->store); }

static void bsink_close(mt_botnet_sink *k)
{
    ctx_close(k->ctx);
    free(k);
}

mt_botnet_sink *mt_store_botnet_sink_new(mt_store *store, int own)
{
    mt_botnet_sink *k = mt_xcalloc(1, sizeof *k);
    k->name = "store";
    k->campaign = bsink_campaign;
    k->source = bsink_source;
    k->credential = bsink_credential;
    k->flush = bsink_flush;
    k->close = bsink_close;
    k->ctx = ctx_new(store, own);
    return k;
}
