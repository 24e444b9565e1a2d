/* Findings as EVE-style JSON lines (schema: docs/FINDINGS.md), and the JSONL
 * sinks that write them to a FILE: traffic findings (mining body) and
 * website findings (web body). */
#ifndef MT_STORE_FINDING_JSON_H
#define MT_STORE_FINDING_JSON_H

#include <stdio.h>
#include "minetrace/engine.h"
#include "minetrace/web.h"
#include "store/eve_json.h"
#include "util/buf.h"

/* The body writer of findings (event_type mining and precursor). */
extern const mt_eve_body mt_eve_mining_body;
/* Append one JSON object (no newline). */
void mt_finding_to_json(const mt_finding *f, mt_buf *out);
/* A sink writing one line per finding. `close_file`: fclose on close. */
mt_sink *mt_sink_jsonl_new(FILE *out, int close_file);

/* The body writer of website findings (event_type web). */
extern const mt_eve_body mt_eve_web_body;
/* Append one JSON object (no newline):
 * {"timestamp":...,"event_type":"web","web":{"domain":...,...}}. */
void mt_web_finding_to_json(const mt_web_finding *f, mt_buf *out);
/* A web sink writing one line per finding. `close_file`: fclose on close. */
mt_web_sink *mt_web_sink_jsonl_new(FILE *out, int close_file);

#endif
