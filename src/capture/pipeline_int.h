/* Internals shared by pipeline.c and stream.c only. */
#ifndef MT_CAPTURE_PIPELINE_INT_H
#define MT_CAPTURE_PIPELINE_INT_H

#include <stdio.h>
#include "capture/flowtable.h"
#include "capture/pipeline.h"

#define MT_BLOCK_SIZE 8192

struct mt_pipeline {
    mt_engine *engine;
    mt_pipeline_config cfg;
    mt_pipeline_stats st;
    mt_flowtable *flows;
    uint8_t **blocks;       /* allocated lazily, reused through free_blocks */
    uint32_t n_blocks;
    uint32_t *free_blocks;
    uint32_t n_free_blocks;
    uint8_t scratch[MT_BLOCK_SIZE]; /* unmasked WebSocket payloads */
};

/* Feed in-order payload bytes of one direction (dir 0 = client->server). */
void mt_stream_feed(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                    const uint8_t *p, size_t n);
/* A sequence gap: buffered partial data is useless now; resynchronise. */
void mt_stream_gap(mt_pipeline *pl, mt_flow *f, int dir);
/* Release both directions' buffers (flow end). */
void mt_stream_release(mt_pipeline *pl, mt_flow *f);
/* Build and deliver an event for flow f. */
void mt_pipeline_emit(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts,
                      mt_event *ev);

#endif
