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

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    char ts[40], src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    mt_time_format(f->ts, ts, sizeof ts);
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    mt_buf_putc(b, '{');
    mt_json_kv_str(b, 0, "timestamp", ts);
    mt_buf_puts(b, ",\"flow_id\":");
    mt_buf_put_int(b, (long long)f->flow_id);
    mt_json_kv_str(b, 1, "src_ip", src);
    mt_json_kv_int(b, 1, "src_port", f->src_port);
    mt_json_kv_str(b, 1, "dest_ip", dst);
    mt_json_kv_int(b, 1, "dest_port", f->dst_port);
    mt_json_kv_str(b, 1, "proto", mt_ipproto_str(f->ipproto));
    mt_json_kv_str(b, 1, "event_type", f->event_type ? f->event_type : MT_EVENT_MINING);
    mt_buf_puts(b, ",\"mining\":{");
    mt_json_kv_str(b, 0, "kind", mt_finding_kind_str(f->kind));
    mt_json_kv_str(b, 1, "protocol", f->protocol);
    mt_json_kv_str(b, 1, "pool", f->pool);
    mt_json_kv_str(b, 1, "wallet", f->wallet);
    mt_json_kv_str(b, 1, "worker", f->worker);
    mt_json_kv_str(b, 1, "agent", f->agent);
    mt_json_kv_str(b, 1, "algo", f->algo);
    mt_json_kv_str(b, 1, "family", f->family);
    mt_json_kv_int(b, 1, "confidence", f->confidence);
    mt_json_kv_str(b, 1, "evidence", f->evidence);
    mt_json_kv_str(b, 1, "source", f->source);
    mt_buf_puts(b, "}}");
}

typedef struct jsonl_ctx {
    FILE *out;
    int close_file;
    mt_buf line;
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
    mt_buf_free(&c->line);
    free(c);
    free(s);
}

mt_sink *mt_sink_jsonl_new(FILE *out, int close_file)
{
    jsonl_ctx *c = mt_xcalloc(1, sizeof *c);
    c->out = out;
    c->close_file = close_file;
    mt_buf_init(&c->line);
    mt_sink *s = mt_xcalloc(1, sizeof *s);
    s->name = "jsonl";
    s->emit = jsonl_emit;
    s->flush = jsonl_flush;
    s->close = jsonl_close;
    s->ctx = c;
    return s;
}
