/* Fuzz target: Zeek log lines. Input starting with '{' is Zeek JSON: each
 * line goes through the JSON reader as a Zeek record (the key cache carried
 * from line to line, as in a real log). Other input is TSV: input starting
 * with '#' supplies its own header (separators, #fields, #path), the rest
 * gets a dns.log header first. Each line is copied to its own exact-size
 * buffer, as the line reader delivers it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/zeek.h"

static void on_event(void *ctx, const mt_event *ev)
{
    size_t *n = ctx;
    (*n)++;
    if (ev->type == MT_EV_DNS && strlen(ev->u.dns->qname) >= MT_NAME_MAX) abort();
}

static void feed(zeek_tsv *t, const char *p, size_t n, const mt_ingest_out *out)
{
    char *line = malloc(n + 1);
    memcpy(line, p, n);
    line[n] = '\0';
    char unk[48];
    zeek_tsv_line(t, line, n, out, unk, sizeof unk);
    free(line);
}

static void json_lines(const uint8_t *data, size_t size, const mt_ingest_out *out)
{
    mt_json_reader *jr = mt_json_reader_new("dns.log");
    mt_json_reader_force(jr, MT_FMT_ZEEK_JSON);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        char *line = malloc(len ? len : 1);
        memcpy(line, p, len);
        char unk[48];
        mt_json_reader_line(jr, line, len, out, unk, sizeof unk, NULL);
        free(line);
        p += len + (e ? 1 : 0);
    }
    mt_json_reader_free(jr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const header[] = {
        "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
        "#unset_field\t-", "#path\tdns",
        ("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\t"
         "query\tqtype\trcode\tanswers\tTTLs"),
    };
    size_t n = 0;
    mt_ingest_out out = {on_event, NULL, &n, NULL};
    if (size > 0 && data[0] == '{') {
        json_lines(data, size, &out);
        return 0;
    }
    zeek_tsv *t = zeek_tsv_new("conn.log");
    if (size == 0 || data[0] != '#')
        for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
            feed(t, header[i], strlen(header[i]), &out);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        feed(t, p, len, &out);
        p += len + (e ? 1 : 0);
    }
    zeek_tsv_free(t);
    return 0;
}
