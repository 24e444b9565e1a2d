/* The engine: runs every event through the detectors and every finding
 * through the cross-detector rules (finding_rules.h), host verdicts and
 * sinks. It holds no detection policy of its own. */
#include "minetrace/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detectors.h"
#include "detect/dnstie.h"
#include "detect/finding_rules.h"
#include "detect/flowmark.h"
#include "detect/hosts.h"
#include "proto/tls.h"

static const mt_detector *const registry[] = {
    &mt_detector_dns,  &mt_detector_stratum,   &mt_detector_tls,
    &mt_detector_http, &mt_detector_websocket, &mt_detector_smb,
    &mt_detector_flow, &mt_detector_alert,
};
#define N_DETECTORS (sizeof registry / sizeof registry[0])
static const mt_finding_rule *const finding_rules[] = {&mt_rule_wannamine};
#define N_FINDING_RULES (sizeof finding_rules / sizeof finding_rules[0])
#define MAX_SINKS 8
#define N_EVENT_TYPES 16
#define IDENTITY_SLOTS (1u << 18) /* identities passed on: 4 MiB, allocated once */

/* For each event type, the detectors that act on it, in registry order. */
typedef struct route {
    uint8_t n;
    uint8_t det[N_DETECTORS];
} route;

struct mt_engine {
    const mt_intel *intel;
    mt_engine_config cfg;
    char source[64];
    void *state[N_DETECTORS];
    route routes[N_EVENT_TYPES];
    mt_sink *sinks[MAX_SINKS];
    size_t n_sinks;
    /* A sink that failed gets no more findings; the first failure's
     * message is kept for the caller, which ends the run (exit 2). */
    unsigned char sink_failed[MAX_SINKS];
    int sink_error;
    char sink_msg[512];
    mt_dnstie *tie;
    mt_hosts *hosts;
    mt_firstset *reported; /* identities passed on (mt_finding_identity), earliest time */
    int keep_repeats;
    mt_engine_stats stats;
    mt_event_observer observer;
    void *observer_ctx;
    int tie_borrowed;     /* tie belongs to another engine (mt_engine_borrow_dnstie) */
    mt_emit_hook emit_hook; /* findings leave before the back half (scan -j) */
    void *emit_ctx;
};

void mt_engine_set_observer(mt_engine *e, mt_event_observer fn, void *ctx)
{
    e->observer = fn;
    e->observer_ctx = ctx;
}

void mt_engine_config_defaults(mt_engine_config *c)
{
    memset(c, 0, sizeof *c);
    c->min_confidence = 0;
    c->dnstie_max = 1u << 17;
    c->source = "pcap";
}

mt_engine *mt_engine_new(const mt_intel *intel, const mt_engine_config *cfg)
{
    mt_engine *e = mt_xcalloc(1, sizeof *e);
    e->intel = intel;
    if (cfg) e->cfg = *cfg; else mt_engine_config_defaults(&e->cfg);
    mt_strlcpy(e->source, e->cfg.source ? e->cfg.source : "pcap", sizeof e->source);
    e->tie = mt_dnstie_new(e->cfg.dnstie_max ? e->cfg.dnstie_max : (1u << 18));
    e->hosts = mt_hosts_new();
    e->reported = mt_firstset_new(IDENTITY_SLOTS);
    for (unsigned t = 0; t < N_EVENT_TYPES; t++)
        for (size_t i = 0; i < N_DETECTORS; i++)
            if (!registry[i]->events || (registry[i]->events & MT_EV_BIT(t)))
                e->routes[t].det[e->routes[t].n++] = (uint8_t)i;
    for (size_t i = 0; i < N_DETECTORS; i++) {
        if (registry[i]->init && registry[i]->init(e, &e->state[i]) != MT_OK) {
            mt_engine_free(e);
            return NULL;
        }
    }
    return e;
}

void mt_engine_free(mt_engine *e)
{
    if (!e) return;
    for (size_t i = 0; i < N_DETECTORS; i++)
        if (registry[i]->free_state && e->state[i]) registry[i]->free_state(e->state[i]);
    for (size_t i = 0; i < e->n_sinks; i++)
        if (e->sinks[i]->close) e->sinks[i]->close(e->sinks[i]);
    if (!e->tie_borrowed) mt_dnstie_free(e->tie);
    mt_hosts_free(e->hosts);
    mt_firstset_free(e->reported);
    free(e);
}

void mt_engine_add_sink(mt_engine *e, mt_sink *s)
{
    if (e->n_sinks == MAX_SINKS) {
        if (s->close) s->close(s);
        return;
    }
    e->sinks[e->n_sinks++] = s;
}

void mt_engine_set_source(mt_engine *e, const char *source)
{
    mt_strlcpy(e->source, source, sizeof e->source);
}

void mt_event_trace(void *ctx, const mt_event *ev)
{
    (void)ctx;
    char c[MT_ADDR_STRLEN], s[MT_ADDR_STRLEN];
    mt_addr_to_str(&ev->cli, c, sizeof c);
    mt_addr_to_str(&ev->srv, s, sizeof s);
    fprintf(stderr, "event type=%d flow=%llu %s:%u %s %s:%u%s", (int)ev->type,
            (unsigned long long)ev->flow_id, c, ev->cli_port,
            (ev->flags & MT_EVF_TO_SERVER) ? "->" : "<-", s, ev->srv_port,
            (ev->flags & MT_EVF_GUESSED_DIR) ? " (guessed)" : "");
    if (ev->type == MT_EV_JSON_MSG)
        fprintf(stderr, " json[%zu]=%.*s", ev->u.json->len,
                (int)(ev->u.json->len > 160 ? 160 : ev->u.json->len), ev->u.json->text);
    if (ev->type == MT_EV_DNS) fprintf(stderr, " dns qname=%s resp=%d", ev->u.dns->qname, ev->u.dns->is_response);
    if (ev->type == MT_EV_TLS_HELLO) {
        char ja3[33], ja4[37]; /* built here only because tracing is on */
        mt_tls_ja3(ev->u.tls, NULL, 0, ja3);
        mt_tls_ja4(ev->u.tls, ja4);
        fprintf(stderr, " sni=%s ja3=%s ja4=%s", ev->u.tls->sni, ja3, ja4);
    }
    if (ev->type == MT_EV_HTTP_REQUEST) fprintf(stderr, " http %s %s host=%s", ev->u.http->method, ev->u.http->uri, ev->u.http->host);
    fputc('\n', stderr);
}

void mt_engine_event(mt_engine *e, const mt_event *ev)
{
    if ((unsigned)ev->type >= N_EVENT_TYPES) return; /* no detector knows it */
    e->stats.events[ev->type]++;
    if (e->observer) e->observer(e->observer_ctx, ev);
    const route *r = &e->routes[ev->type];
    for (unsigned k = 0; k < r->n; k++) {
        unsigned i = r->det[k];
        registry[i]->on_event(e, e->state[i], ev);
    }
}

static void engine_event(void *ctx, const mt_event *ev) { mt_engine_event(ctx, ev); }

mt_event_sink mt_engine_event_sink(mt_engine *e)
{
    return (mt_event_sink){engine_event, e};
}

static void sink_failed(mt_engine *e, size_t i)
{
    e->sink_failed[i] = 1;
    if (e->sink_error) return;
    e->sink_error = 1;
    const char *m = mt_error_msg();
    mt_strlcpy(e->sink_msg, m && m[0] ? m : "a finding sink failed", sizeof e->sink_msg);
}

const char *mt_engine_sink_error(const mt_engine *e)
{
    return e->sink_error ? e->sink_msg : NULL;
}

void mt_engine_flush(mt_engine *e)
{
    mt_engine_flush_detectors(e);
    for (size_t i = 0; i < e->n_sinks; i++)
        if (e->sinks[i]->flush && !e->sink_failed[i] && e->sinks[i]->flush(e->sinks[i]) != MT_OK)
            sink_failed(e, i);
}

void mt_engine_set_emit_hook(mt_engine *e, mt_emit_hook fn, void *ctx)
{
    e->emit_hook = fn;
    e->emit_ctx = ctx;
}

void mt_engine_borrow_dnstie(mt_engine *e, struct mt_dnstie *tie)
{
    if (!e->tie_borrowed) mt_dnstie_free(e->tie);
    e->tie = tie;
    e->tie_borrowed = 1;
}

void mt_engine_flush_detectors(mt_engine *e)
{
    for (size_t i = 0; i < N_DETECTORS; i++)
        if (registry[i]->flush) registry[i]->flush(e, e->state[i]);
}

void mt_engine_emit(mt_engine *e, mt_finding *f)
{
    if (e->emit_hook) {
        e->emit_hook(e->emit_ctx, f);
        return;
    }
    mt_engine_emit_back(e, f);
}

void mt_engine_emit_back(mt_engine *e, mt_finding *f)
{
    if (f->confidence < e->cfg.min_confidence) {
        e->stats.dropped_low_confidence++;
        return;
    }
    if (!f->source[0]) mt_strlcpy(f->source, e->source, sizeof f->source);
    if (!f->event_type) f->event_type = MT_EVENT_MINING;
    for (size_t i = 0; i < N_FINDING_RULES; i++) finding_rules[i]->apply(e, f);
    /* One finding per host, evidence and UTC day, whatever the detector
     * (some report per flow or per alert): the store's uid is the same
     * identity, so a run over a year and runs over its months count alike.
     * A sighting no later than the one passed on (inputs out of time
     * order), or of a forgotten identity (bounded set), is passed on too:
     * the store keeps one row, the earliest. */
    if (!e->keep_repeats && mt_firstset_later(e->reported, mt_finding_identity(f), f->ts)) {
        e->stats.repeats++;
        return;
    }
    e->stats.findings++;
    mt_hosts_add(e->hosts, f);
    for (size_t i = 0; i < e->n_sinks; i++)
        if (!e->sink_failed[i] && e->sinks[i]->emit(e->sinks[i], f) != MT_OK) sink_failed(e, i);
}

void mt_engine_set_keep_repeats(mt_engine *e, int keep) { e->keep_repeats = keep != 0; }

const mt_intel *mt_engine_intel(const mt_engine *e) { return e->intel; }
struct mt_dnstie *mt_engine_dnstie(mt_engine *e) { return e->tie; }
struct mt_hosts *mt_engine_hosts(mt_engine *e) { return e->hosts; }
const mt_engine_stats *mt_engine_get_stats(const mt_engine *e) { return &e->stats; }

void mt_finding_from_event(mt_finding *f, const mt_event *ev, mt_finding_kind kind)
{
    mt_finding_init(f);
    f->ts = ev->ts;
    f->flow_id = ev->flow_id;
    f->src = ev->cli;
    f->dst = ev->srv;
    f->src_port = ev->cli_port;
    f->dst_port = ev->srv_port;
    f->ipproto = ev->ipproto;
    f->kind = kind;
}
