/* Findings as EVE-style JSON lines (schema: docs/FINDINGS.md), and the JSONL
 * sink that writes them to a FILE. */
#ifndef MT_STORE_FINDING_JSON_H
#define MT_STORE_FINDING_JSON_H

#include <stdio.h>
#include "minetrace/engine.h"
#include "store/eve_json.h"
#include "util/buf.h"

/* The body writer of findings (event_type mining and precursor). */
extern const mt_eve_body mt_eve_mining_body;
/* Append one JSON object (no newline). */
void mt_finding_to_json(const mt_finding *f, mt_buf *out);
/* A sink writing one line per finding. `close_file`: fclose on close. */
mt_sink *mt_sink_jsonl_new(FILE *out, int close_file);

#endif
