/* The botnet study's records as EVE-style JSON lines (schema and examples:
 * docs/FINDINGS.md, event_type "campaign", "source", "credential"): one
 * body writer per record type behind the one EVE header writer
 * (eve_json.c), and the JSONL botnet sink. Field order is fixed; every
 * field is always present. */
#ifndef MT_STORE_BOTNET_JSON_H
#define MT_STORE_BOTNET_JSON_H

#include <stdio.h>

#include "minetrace/botnet.h"
#include "store/eve_json.h"
#include "util/buf.h"

extern const mt_eve_body mt_eve_campaign_body;   /* "campaign":{...} */
extern const mt_eve_body mt_eve_source_body;     /* "source":{...} */
extern const mt_eve_body mt_eve_credential_body; /* "credential":{...} */

/* Append one JSON object (no newline): {"timestamp":<first seen>,
 * "event_type":"campaign","campaign":{...}} and likewise. */
void mt_campaign_to_json(const mt_campaign *c, mt_buf *out);
void mt_botsource_to_json(const mt_botsource *s, mt_buf *out);
void mt_credstat_to_json(const mt_credstat *c, mt_buf *out);

/* A botnet sink writing one line per record (campaigns, sources,
 * credentials as they come). `own`: fclose `out` on close. */
mt_botnet_sink *mt_botnet_sink_jsonl_new(FILE *out, int own);

#endif
