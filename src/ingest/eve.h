/* Suricata EVE JSON records -> events (alert, dns, tls, http, flow). */
#ifndef MT_INGEST_EVE_H
#define MT_INGEST_EVE_H


#include "ingest/ingest_out.h"
#include "util/json.h"

typedef struct eve_state {
    /* EVE dns v1 logs one answer record per event, named by its own owner
     * name; the first answer of a transaction names the query, so it is
     * remembered per (flow, DNS id) for the records that follow. */
    uint64_t last_flow;
    uint16_t last_id;
    char last_qname[MT_NAME_MAX];
} eve_state;

/* Returns MT_OK, MT_EINVAL (malformed), MT_ENOTFOUND (event type not read;
 * "eve:<type>" in unk). */
int eve_record(eve_state *st, mt_jr_doc *doc, int obj, const mt_ingest_out *out, char *unk,
               size_t unk_cap);

#endif
