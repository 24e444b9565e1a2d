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

/* One reservation per finding for its worst case, then plain stores: the
 * keys are literals (with their quotes, colon and leading comma), numbers
 * are written by hand and every text value goes through the JSON escaper
 * (attacker-controlled or not). A capture can yield tens of thousands of
 * findings, and per-call buffer upkeep, not bytes, was the cost of writing
 * them. Same bytes as the field-by-field writers (mt_json_kv_*). */
#define LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

typedef struct text {
    const char *s;
    size_t n, readable; /* length; bytes of its array that may be read */
} text;

static text txt(const char *s, size_t cap) { size_t n = strnlen(s, cap); return (text){s, n, n}; }
#define FIELD(f) ((text){(f), strnlen((f), sizeof(f)), sizeof(f)})

static char *str(char *o, text t)
{
    *o++ = '"';
    o = mt_json_escape_raw(o, t.s, t.n, t.readable);
    *o++ = '"';
    return o;
}

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    /* zeroed: their whole arrays are read (see str) */
    char ts[40] = {0}, src[MT_ADDR_STRLEN] = {0}, dst[MT_ADDR_STRLEN] = {0};
    if (mt_time_format(f->ts, ts, sizeof ts) != MT_OK) ts[0] = '\0';
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    const char *ev = f->event_type ? f->event_type : MT_EVENT_MINING;
    const char *kind = mt_finding_kind_str(f->kind), *proto = mt_ipproto_str(f->ipproto);
    text t_ts = FIELD(ts), t_src = FIELD(src), t_dst = FIELD(dst), t_proto = txt(proto, 64),
         t_ev = txt(ev, 64), t_kind = txt(kind, 64), t_protocol = FIELD(f->protocol),
         t_pool = FIELD(f->pool), t_wallet = FIELD(f->wallet), t_worker = FIELD(f->worker),
         t_agent = FIELD(f->agent), t_algo = FIELD(f->algo), t_family = FIELD(f->family),
         t_evidence = FIELD(f->evidence), t_source = FIELD(f->source);
    size_t text_bytes = t_ts.n + t_src.n + t_dst.n + t_proto.n + t_ev.n + t_kind.n +
                        t_protocol.n + t_pool.n + t_wallet.n + t_worker.n + t_agent.n +
                        t_algo.n + t_family.n + t_evidence.n + t_source.n;
    /* keys and punctuation (~250 bytes), four numbers, escaped text */
    char *o = mt_buf_room(b, 512 + 6 * text_bytes);
    o = LIT(o, "{\"timestamp\":");
    o = str(o, t_ts);
    o = LIT(o, ",\"flow_id\":");
    o = mt_put_u64(o, f->flow_id);
    o = LIT(o, ",\"src_ip\":");
    o = str(o, t_src);
    o = LIT(o, ",\"src_port\":");
    o = mt_put_u64(o, f->src_port);
    o = LIT(o, ",\"dest_ip\":");
    o = str(o, t_dst);
    o = LIT(o, ",\"dest_port\":");
    o = mt_put_u64(o, f->dst_port);
    o = LIT(o, ",\"proto\":");
    o = str(o, t_proto);
    o = LIT(o, ",\"event_type\":");
    o = str(o, t_ev);
    o = LIT(o, ",\"mining\":{\"kind\":");
    o = str(o, t_kind);
    o = LIT(o, ",\"protocol\":");
    o = str(o, t_protocol);
    o = LIT(o, ",\"pool\":");
    o = str(o, t_pool);
    o = LIT(o, ",\"wallet\":");
    o = str(o, t_wallet);
    o = LIT(o, ",\"worker\":");
    o = str(o, t_worker);
    o = LIT(o, ",\"agent\":");
    o = str(o, t_agent);
    o = LIT(o, ",\"algo\":");
    o = str(o, t_algo);
    o = LIT(o, ",\"family\":");
    o = str(o, t_family);
    o = LIT(o, ",\"confidence\":");
    if (f->confidence < 0) {
        *o++ = '-';
        o = mt_put_u64(o, 0ULL - (unsigned long long)(long long)f->confidence);
    } else {
        o = mt_put_u64(o, (uint64_t)f->confidence);
    }
    o = LIT(o, ",\"evidence\":");
    o = str(o, t_evidence);
    o = LIT(o, ",\"source\":");
    o = str(o, t_source);
    o = LIT(o, "}}");
    mt_buf_commit(b, o);
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
