/* `minetrace ingest` wired up: log records through the detection engine
 * (whose sinks should include a store sink), JSONL findings into the store
 * as they are, and one ingest-log row per input. This is the one place that
 * knows all three; src/ingest/ itself only reads and delivers. */
#ifndef MT_STORE_INGEST_STORE_H
#define MT_STORE_INGEST_STORE_H

#include "ingest/ingest.h"
#include "minetrace/engine.h"
#include "minetrace/store.h"

typedef struct mt_store_ingest mt_store_ingest;

/* The engine and store are borrowed. */
mt_store_ingest *mt_store_ingest_new(mt_engine *e, mt_store *s, const mt_ingest_opts *o);
void mt_store_ingest_free(mt_store_ingest *si);
/* mt_ingest_file, then: the engine flushed, the store committed, the new
 * and duplicate findings and the alerts counted into `st`, and the
 * ingest-log row written (also for an input that could not be read).
 * Findings are counted as new or duplicate by the store, so ingesting the
 * same file twice adds nothing the second time. */
int mt_store_ingest_file(mt_store_ingest *si, const char *path, mt_ingest_stats *st);
/* NULL, or the message of the first store write that failed (in any input
 * so far: a put, a commit, the engine's store sink). Unlike a damaged
 * input this is an error: the caller stops and exits 2. */
const char *mt_store_ingest_store_error(const mt_store_ingest *si);

#endif
