/* Fuzz target: one JSON line through the ingest JSON reader (EVE, Zeek
 * JSON and minetrace JSONL are all decided per line), with events consumed
 * and checked for sane strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

static void on_event(void *ctx, const mt_event *ev)
{
    size_t *n = ctx;
    (*n)++;
    if (ev->type == MT_EV_DNS) {
        const mt_dns *d = ev->u.dns;
        if (strlen(d->qname) >= MT_NAME_MAX || d->n_answers > MT_DNS_MAX_ANSWERS) abort();
        for (unsigned i = 0; i < d->n_answers; i++)
            if (strlen(d->answers[i].name) >= MT_NAME_MAX) abort();
    } else if (ev->type == MT_EV_TLS_HELLO) {
        if (strlen(ev->u.tls->sni) >= MT_NAME_MAX) abort();
    } else if (ev->type == MT_EV_HTTP_REQUEST) {
        if (strlen(ev->u.http->user_agent) >= sizeof ev->u.http->user_agent) abort();
    }
}

static int on_finding(void *ctx, const mt_finding *f)
{
    size_t *n = ctx;
    (*n)++;
    return (strlen(f->evidence) < sizeof f->evidence) ? 1 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_json_reader *jr;
    if (!jr) jr = mt_json_reader_new("dns.log");
    size_t n = 0;
    mt_ingest_out out = {on_event, on_finding, &n, NULL};
    char unk[48];
    /* The reader sees what the line reader would give it: no newline. */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - data) : size;
    mt_json_reader_line(jr, (const char *)data, len, &out, unk, sizeof unk, NULL);
    return 0;
}
