/* The one contract between the log readers (eve.c, zeek_*.c, json_lines.c)
 * and whoever consumes what they read: the readers know nothing of the
 * detection engine or the store (ingest is below both; the wiring is
 * store/ingest_store.c). */
#ifndef MT_INGEST_INGEST_OUT_H
#define MT_INGEST_INGEST_OUT_H

#include "minetrace/event.h"
#include "minetrace/finding.h"
#include "minetrace/web.h"

/* Where readers deliver what they make of a record. */
typedef struct mt_ingest_out {
    void (*event)(void *ctx, const mt_event *ev);
    int (*finding)(void *ctx, const mt_finding *f); /* JSONL findings; <0: not stored */
    void *ctx;
    /* JSONL web findings (minetrace web); NULL: such lines are skipped as
     * unknown records. */
    int (*web_finding)(void *ctx, const mt_web_finding *f);
} mt_ingest_out;

#endif
