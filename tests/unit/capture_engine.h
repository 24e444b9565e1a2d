/* Test helper (header-only): an engine with the builtin intel and a sink
 * that keeps the findings in memory, plus event builders. Used by the TLS,
 * HTTP and WebSocket detector tests. */
#ifndef MT_TEST_CAPTURE_ENGINE_H
#define MT_TEST_CAPTURE_ENGINE_H

#include <stdlib.h>
#include <string.h>

#include "minetrace/engine.h"

#define CE_MAX 64
typedef struct ce {
    mt_intel *intel;
    mt_engine *e;
    mt_finding f[CE_MAX];
    size_t n;
} ce;

static inline int ce_emit(mt_sink *s, const mt_finding *f)
{
    ce *c = s->ctx;
    if (c->n < CE_MAX) c->f[c->n] = *f;
    c->n++;
    return MT_OK;
}

static inline void ce_close(mt_sink *s) { free(s); }

static inline ce *ce_new(void)
{
    ce *c = calloc(1, sizeof *c);
    c->intel = mt_intel_new();
    mt_intel_load_builtin(c->intel);
    c->e = mt_engine_new(c->intel, NULL);
    mt_sink *s = calloc(1, sizeof *s);
    s->name = "capture";
    s->emit = ce_emit;
    s->close = ce_close;
    s->ctx = c;
    mt_engine_add_sink(c->e, s);
    return c;
}

static inline void ce_free(ce *c)
{
    mt_engine_free(c->e);
    mt_intel_free(c->intel);
    free(c);
}

/* An event between cli:cport and srv:sport (IPv4 dotted strings). */
static inline void ce_event(mt_event *ev, mt_event_type t, uint64_t flow, const char *cli,
                     uint16_t cport, const char *srv, uint16_t sport)
{
    memset(ev, 0, sizeof *ev);
    ev->type = t;
    ev->source = MT_SRC_PCAP;
    ev->ts = 1500000000LL * 1000000LL;
    ev->flow_id = flow;
    ev->ipproto = 6;
    mt_addr_parse(cli, &ev->cli);
    mt_addr_parse(srv, &ev->srv);
    ev->cli_port = cport;
    ev->srv_port = sport;
    ev->flags = MT_EVF_TO_SERVER;
}

#endif
