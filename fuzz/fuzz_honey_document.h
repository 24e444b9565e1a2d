/* The shared body of the document-reader fuzz targets
 * (fuzz_attack_pattern.c, fuzz_daily_top.c): every probe on the head, then
 * the whole input through the target's reader. Every span an event carries
 * is read to its end, and the counts must add up: each record used,
 * malformed or unknown. A target defines FUZZ_HONEY_READER and includes
 * this file. */
#ifndef MT_FUZZ_HONEY_DOCUMENT_H
#define MT_FUZZ_HONEY_DOCUMENT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"

static volatile unsigned char sink_byte;

static void touch(mt_span s)
{
    if (s.n && !s.p) abort();
    for (size_t i = 0; i < s.n; i++) sink_byte ^= (unsigned char)s.p[i];
}

static void on_event(void *ctx, const mt_honey_event *ev)
{
    (*(size_t *)ctx)++;
    if (ev->type < MT_HE_CONNECT || ev->type > MT_HE_PARAMS || ev->count < 1) abort();
    touch(ev->session);
    touch(ev->sensor);
    touch(ev->user);
    touch(ev->pass);
    touch(ev->text);
    touch(ev->key);
    touch(ev->url);
    touch(ev->sha256);
    touch(ev->path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t head = size < 65536 ? size : 65536;
    mt_honey_reader_cowrie.probe(s, head);
    mt_honey_reader_attack_pattern.probe(s, head);
    mt_honey_reader_daily_top.probe(s, head);
    const mt_honey_reader *r = &FUZZ_HONEY_READER;
    void *st = r->begin("fuzz", NULL);
    size_t events = 0;
    mt_honey_sink sink = {on_event, &events};
    mt_ingest_stats stats;
    memset(&stats, 0, sizeof stats);
    r->document(st, s, size, &sink, &stats);
    r->end(st);
    if (stats.used + stats.malformed + stats.unknown != stats.records) abort();
    if (events > stats.used) abort();
    return 0;
}

#endif
