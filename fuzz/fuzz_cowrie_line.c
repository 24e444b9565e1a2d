/* Fuzz target: one Cowrie JSON line through the Cowrie reader (as the line
 * reader hands it over: no newline), and the head through every probe.
 * Every span an event carries is read to its end, so a span past the line
 * or the arena shows under ASan. */
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
    (void)ctx;
    if (ev->type < MT_HE_CONNECT || ev->type > MT_HE_PARAMS || ev->count < 1) abort();
    if (ev->type == MT_HE_KEX && ev->text.n != 32) abort();
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
    static void *st;
    if (!st) st = mt_honey_reader_cowrie.begin("fuzz", NULL);
    const char *s = (const char *)data;
    mt_honey_reader_cowrie.probe(s, size < 65536 ? size : 65536);
    mt_honey_reader_attack_pattern.probe(s, size < 65536 ? size : 65536);
    mt_honey_reader_daily_top.probe(s, size < 65536 ? size : 65536);
    const uint8_t *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - data) : size;
    mt_honey_sink sink = {on_event, NULL};
    char unk[48];
    int rc = mt_honey_reader_cowrie.line(st, s, len, &sink, unk, sizeof unk);
    if (rc == MT_ENOTFOUND && strlen(unk) >= sizeof unk) abort();
    return 0;
}
