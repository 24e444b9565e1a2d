/* Test helper (header-only): a sink that keeps the findings an engine emits,
 * for detector tests that build their own engine. */
#ifndef MT_TEST_COLLECT_SINK_H
#define MT_TEST_COLLECT_SINK_H

#include <stdlib.h>
#include <string.h>

#include "minetrace/engine.h"

typedef struct got {
    mt_finding f[64];
    int n;
} got;

static inline int got_emit(mt_sink *s, const mt_finding *f)
{
    got *g = s->ctx;
    if (g->n < 64) g->f[g->n++] = *f;
    return MT_OK;
}

static inline void got_close(mt_sink *s) { free(s); }

/* A new sink filling g (cleared first); the engine takes ownership. */
static inline mt_sink *got_sink(got *g)
{
    memset(g, 0, sizeof *g);
    mt_sink *s = calloc(1, sizeof *s);
    s->name = "test";
    s->emit = got_emit;
    s->close = got_close;
    s->ctx = g;
    return s;
}

#endif
