/* EVE-style JSON for findings. Field order is fixed (stable output). */
#include "store/finding_json.h"

#include <stdlib.h>
#include <string.h>

const char *mt_ipproto_str(uint8_t p)
{
    switch (p) {
    case 6: return "TCP";
    case 17: return "UDP";
    case 1: return "ICMP";
    case 58: return "IPv6-ICMP";
    default: return "IP";
    }
}

/* Keys are fixed ASCII: written as literals (with their quotes, colon and
 * any leading comma) instead of going through the string escaper, which
 * the values still do. Same bytes as mt_json_kv_str / mt_json_kv_int. */
static inline void kv_str(mt_buf *b, const char *lit, size_t n, const char *val)
{
    mt_buf_put(b, lit, n);
    mt_json_str(b, val);
}

static inline void kv_int(mt_buf *b, const char *lit, size_t n, long long val)
{
    mt_buf_put(b, lit, n);
    mt_buf_put_int(b, val);
}

#define put_kv_str(b, lit, val) kv_str((b), lit, sizeof lit - 1, (val))
#define put_kv_int(b, lit, val) kv_int((b), lit, sizeof lit - 1, (val))

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    char ts[40], src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    mt_time_format(f->ts, ts, sizeof ts);
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    mt_buf_putc(b, '{');
    put_kv_str(b, "\"timestamp\":", ts);
    mt_buf_puts(b, ",\"flow_id\":");
    mt_buf_put_int(b, (long long)f->flow_id);
    put_kv_str(b, ",\"src_ip\":", src);
    put_kv_int(b, ",\"src_port\":", f->src_port);
    put_kv_str(b, ",\"dest_ip\":", dst);
    put_kv_int(b, ",\"dest_port\":", f->dst_port);
    put_kv_str(b, ",\"proto\":", mt_ipproto_str(f->ipproto));
    put_kv_str(b, ",\"event_type\":", f->event_type ? f->event_type : MT_EVENT_MINING);
    mt_buf_puts(b, ",\"mining\":{");
    put_kv_str(b, "\"kind\":", mt_finding_kind_str(f->kind));
    put_kv_str(b, ",\"protocol\":", f->protocol);
    put_kv_str(b, ",\"pool\":", f->pool);
    put_kv_str(b, ",\"wallet\":", f->wallet);
    put_kv_str(b, ",\"worker\":", f->worker);
    put_kv_str(b, ",\"agent\":", f->agent);
    put_kv_str(b, ",\"algo\":", f->algo);
    put_kv_str(b, ",\"family\":", f->family);
    put_kv_int(b, ",\"confidence\":", f->confidence);
    put_kv_str(b, ",\"evidence\":", f->evidence);
    put_kv_str(b, ",\"source\":", f->source);
    mt_buf_puts(b, "}}");
}

typedef struct jsonl_ctx {
    FILE *out;
    int close_file;
    mt_buf line;
    char *obuf;    /* stdio buffer of a file we opened (see mt_sink_jsonl_new) */
} jsonl_ctx;

static int jsonl_emit(mt_sink *s, const mt_finding *f)
{
    jsonl_ctx *c = s->ctx;
    mt_buf_reset(&c->line);
    mt_finding_to_json(f, &c->line);
    mt_buf_putc(&c->line, '\n');
    if (fwrite(c->line.p, 1, c->line.len, c->out) != c->line.len)
        return mt_error_set(MT_EIO, "writing findings failed");
    return MT_OK;
}

static int jsonl_flush(mt_sink *s)
{
    jsonl_ctx *c = s->ctx;
    return fflush(c->out) == 0 ? MT_OK : MT_EIO;
}

static void jsonl_close(mt_sink *s)
{
    jsonl_ctx *c = s->ctx;
    fflush(c->out);
    if (c->close_file) fclose(c->out);
    free(c->obuf);
    mt_buf_free(&c->line);
    free(c);
    free(s);
}

mt_sink *mt_sink_jsonl_new(FILE *out, int close_file)
{
    jsonl_ctx *c = mt_xcalloc(1, sizeof *c);
    c->out = out;
    c->close_file = close_file;
    /* A capture can yield tens of thousands of findings: stdio's default
     * 4 KiB buffer costs one write(2) per ~8 lines. A file handed to us to
     * own has not been written yet, so it can take a 64 KiB buffer (16x
     * fewer system calls); a borrowed stream (stdout) keeps its buffering,
     * which may be line-buffered on purpose. */
    if (close_file) {
        c->obuf = mt_xmalloc(64 * 1024);
        if (setvbuf(out, c->obuf, _IOFBF, 64 * 1024) != 0) {
            free(c->obuf);
            c->obuf = NULL;
        }
    }
    mt_buf_init(&c->line);
    mt_sink *s = mt_xcalloc(1, sizeof *s);
    s->name = "jsonl";
    s->emit = jsonl_emit;
    s->flush = jsonl_flush;
    s->close = jsonl_close;
    s->ctx = c;
    return s;
}
