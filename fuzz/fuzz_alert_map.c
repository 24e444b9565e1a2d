/* Fuzz target: one EVE alert line through the EVE reader, then each alert
 * through the alert classifier (src/detect/alert_map.c: the payload's
 * JSON-RPC scan, the SID table, the dns/tls/http fields against the
 * built-in intel), with the class checked for sane strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/alert.h"
#include "ingest/ingest.h"

static mt_intel *intel;

static void on_event(void *ctx, const mt_event *ev)
{
    (void)ctx;
    if (ev->type != MT_EV_ALERT) return;
    const mt_alert *a = ev->u.alert;
    if (strlen(a->payload) >= sizeof a->payload || strlen(a->dns_query) >= MT_NAME_MAX ||
        strlen(a->http_ua) >= sizeof a->http_ua)
        abort();
    mt_alert_class c;
    int mining = mt_alert_classify(a, intel, &c);
    if (mining != mt_alert_is_mining(a)) abort();
    if (!mining) return;
    if (!c.protocol || c.kind < MT_KIND_DNS || c.kind > MT_KIND_ALERT) abort();
    if (strlen(c.pool) >= sizeof c.pool || strlen(c.agent) >= sizeof c.agent ||
        strlen(c.wallet) >= sizeof c.wallet)
        abort();
    if (c.precursor && c.kind != MT_KIND_SMB) abort();
}

static int on_finding(void *ctx, const mt_finding *f)
{
    (void)ctx;
    (void)f;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_json_reader *jr;
    if (!jr) {
        jr = mt_json_reader_new("eve.json");
        intel = mt_intel_new();
        mt_intel_load_builtin(intel);
    }
    mt_ingest_out out = {on_event, on_finding, NULL, NULL};
    char unk[48];
    const uint8_t *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - data) : size;
    mt_json_reader_line(jr, (const char *)data, len, &out, unk, sizeof unk, NULL);
    return 0;
}
