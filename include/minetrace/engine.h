/* minetrace — the engine: events in, findings out.
 *
 *   sources -> mt_event -> mt_engine_event() -> detectors -> mt_engine_emit()
 *           -> host verdicts + sinks (JSONL, SQLite, ...)
 *
 * Detectors are small modules with one mt_detector each (src/detect/). The
 * engine owns their state, the DNS tie (name <-> address memory shared by the
 * DNS, TLS and flow detectors), the host verdict table and the sinks. */
#ifndef MINETRACE_ENGINE_H
#define MINETRACE_ENGINE_H

#include "minetrace/common.h"
#include "minetrace/event.h"
#include "minetrace/finding.h"
#include "minetrace/intel.h"

typedef struct mt_engine mt_engine;
struct mt_dnstie;
struct mt_hosts;

/* A sink receives every finding the engine accepts. */
typedef struct mt_sink {
    const char *name;
    int (*emit)(struct mt_sink *s, const mt_finding *f);
    int (*flush)(struct mt_sink *s);  /* may be NULL */
    void (*close)(struct mt_sink *s); /* frees ctx and the sink itself */
    void *ctx;
} mt_sink;

/* A detector: init/free its state, see every event, flush at end of input. */
typedef struct mt_detector {
    const char *name;
    int (*init)(mt_engine *e, void **state);   /* may be NULL */
    void (*on_event)(mt_engine *e, void *state, const mt_event *ev);
    void (*flush)(mt_engine *e, void *state);  /* may be NULL */
    void (*free_state)(void *state);           /* may be NULL */
    /* The event types on_event acts on, as bits MT_EV_BIT(type); 0 = all.
     * The engine calls a detector only for those (hundreds of thousands of
     * events per capture, most of them of interest to one detector). */
    uint32_t events;
} mt_detector;

#define MT_EV_BIT(t) (1u << (t))

typedef struct mt_engine_config {
    int min_confidence;   /* findings below are dropped (default 0) */
    size_t dnstie_max;    /* max remembered name<->address pairs */
    const char *source;   /* stamped into findings ("pcap", "eve", ...) */
} mt_engine_config;

void mt_engine_config_defaults(mt_engine_config *c);

/* `intel` is borrowed and must outlive the engine. */
mt_engine *mt_engine_new(const mt_intel *intel, const mt_engine_config *cfg);
void mt_engine_free(mt_engine *e); /* closes sinks */
/* The engine takes ownership of the sink. */
void mt_engine_add_sink(mt_engine *e, mt_sink *s);
void mt_engine_set_source(mt_engine *e, const char *source);

void mt_engine_event(mt_engine *e, const mt_event *ev);
/* The engine as the consumer of a source's events (capture/pipeline.h). */
mt_event_sink mt_engine_event_sink(mt_engine *e);
/* An observer called with every event before the detectors see it (tests,
 * tracing, exporting events). One at a time; NULL removes it. */
typedef void (*mt_event_observer)(void *ctx, const mt_event *ev);
void mt_engine_set_observer(mt_engine *e, mt_event_observer fn, void *ctx);
/* An observer that prints every event to stderr (ctx unused): the CLI
 * installs it when MT_TRACE_EVENTS=1, a debugging aid for decoder and
 * detector work ("what did the parser see?"). */
void mt_event_trace(void *ctx, const mt_event *ev);
/* End of input: detectors flush pending sessions, sinks flush. */
void mt_engine_flush(mt_engine *e);
/* NULL, or the message of the first sink failure (a store that cannot
 * write, a full disk under -o FILE): the failed sink gets no more
 * findings, and the caller ends the run with exit status 2. */
const char *mt_engine_sink_error(const mt_engine *e);

/* ---- for detectors ------------------------------------------------------ */
/* Completes f in place (source, event type, the cross-detector rules) and
 * hands it to host verdicts and sinks: f is the caller's scratch, not
 * copied (a finding is 2 KB and a capture can yield tens of thousands). */
void mt_engine_emit(mt_engine *e, mt_finding *f);
const mt_intel *mt_engine_intel(const mt_engine *e);

/* ---- for scan -j (cli/workers.h) ----------------------------------------
 * A worker's engine runs the detectors (the front half) and hands each
 * finding to the hook instead of its own back half; the finding is the
 * detector's scratch (copy it). mt_engine_emit_back() is that back half
 * (confidence floor, finding rules, identity set, host verdicts, sinks):
 * the worker set calls it on one engine, in the order -j 1 would. */
typedef void (*mt_emit_hook)(void *ctx, const mt_finding *f);
void mt_engine_set_emit_hook(mt_engine *e, mt_emit_hook fn, void *ctx);
void mt_engine_emit_back(mt_engine *e, mt_finding *f);
/* Use another engine's DNS tie (which must outlive this engine). */
void mt_engine_borrow_dnstie(mt_engine *e, struct mt_dnstie *tie);
/* The detectors' end-of-input flush alone (mt_engine_flush without sinks). */
void mt_engine_flush_detectors(mt_engine *e);
struct mt_dnstie *mt_engine_dnstie(mt_engine *e);
struct mt_hosts *mt_engine_hosts(mt_engine *e);
/* Start a finding from an event: time, flow, src = client, dst = server. */
void mt_finding_from_event(mt_finding *f, const mt_event *ev, mt_finding_kind kind);

typedef struct mt_engine_stats {
    uint64_t events[16];   /* by mt_event_type */
    uint64_t findings;
    uint64_t dropped_low_confidence;
    uint64_t repeats;      /* findings of an identity already reported (mt_finding_identity) */
} mt_engine_stats;
/* Pass every finding a detector makes to the sinks, also those of an
 * identity already reported (for tests of one detector's own output; the
 * store still keeps one row per identity). Off by default. */
void mt_engine_set_keep_repeats(mt_engine *e, int keep);
const mt_engine_stats *mt_engine_get_stats(const mt_engine *e);

#endif
