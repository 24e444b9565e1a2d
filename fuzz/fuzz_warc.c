/* Fuzz target: bytes as a WARC/ARC file (plain, or gzip when they start
 * with the magic), read from memory with a small body cap so capping and
 * cutting paths run too; every delivered record is checked for sane
 * strings and lengths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/warc.h"

static int on_record(void *ctx, const mt_web_record *r)
{
    size_t *cap = ctx;
    if (!r->uri || !r->content_type || !r->warc_file) abort();
    if (strlen(r->uri) >= 8192 || strlen(r->content_type) >= 128) abort();
    if (r->body_len > *cap) abort();
    if (r->body_len && !r->body) abort();
    volatile uint8_t sink = 0;
    if (r->body_len) sink ^= r->body[0] ^ r->body[r->body_len - 1];
    (void)sink;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the cap: the default, or a few hundred bytes. */
    size_t cap = size && (data[0] & 1) ? (size_t)64 + data[0] : (size_t)MT_WEB_MAX_BODY_DEFAULT;
    mt_web_read_opts o = {cap};
    mt_web_stats st;
    memset(&st, 0, sizeof st);
    mt_warc_read_mem(data, size, "fuzz.warc", &o, on_record, &cap, &st);
    if (st.first_error[sizeof st.first_error - 1] != '\0') abort();
    if (st.bytes_in != size) abort();
    return 0;
}
