/* Findings as EVE-style JSON lines (schema: docs/FINDINGS.md), and the JSONL
 * sink that writes them to a FILE. */
#ifndef MT_STORE_FINDING_JSON_H
#define MT_STORE_FINDING_JSON_H

#include <stdio.h>
#include "minetrace/engine.h"
#include "util/buf.h"

const char *mt_ipproto_str(uint8_t p);
/* Append one JSON object (no newline). */
void mt_finding_to_json(const mt_finding *f, mt_buf *out);
/* A sink writing one line per finding. `close_file`: fclose on close. */
mt_sink *mt_sink_jsonl_new(FILE *out, int close_file);

#endif
