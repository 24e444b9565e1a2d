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
    if (t.n) o = mt_json_escape_raw(o, t.s, t.n, t.readable); /* many fields are empty */
    *o++ = '"';
    return o;
}

/* One output field: its key literal (with the punctuation before it) and
 * either a text value or a number. */
typedef struct out_field {
    const char *key;
    size_t key_len;
    int is_num;
    text t;
    long long num;
} out_field;

#define TXT(k, v) {k, sizeof(k) - 1, 0, (v), 0}
#define NUM(k, v) {k, sizeof(k) - 1, 1, {NULL, 0, 0}, (long long)(v)}

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    /* zeroed: their whole arrays are read (see str) */
    char ts[40] = {0}, src[MT_ADDR_STRLEN] = {0}, dst[MT_ADDR_STRLEN] = {0};
    if (mt_time_format(f->ts, ts, sizeof ts) != MT_OK) ts[0] = '\0';
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    const char *ev = f->event_type ? f->event_type : MT_EVENT_MINING;
    /* The field order is the documented, stable one (docs/FINDINGS.md). */
    const out_field fields[] = {
        TXT("{\"timestamp\":", FIELD(ts)),
        NUM(",\"flow_id\":", f->flow_id),
        TXT(",\"src_ip\":", FIELD(src)),
        NUM(",\"src_port\":", f->src_port),
        TXT(",\"dest_ip\":", FIELD(dst)),
        NUM(",\"dest_port\":", f->dst_port),
        TXT(",\"proto\":", txt(mt_ipproto_str(f->ipproto), 64)),
        TXT(",\"event_type\":", txt(ev, 64)),
        TXT(",\"mining\":{\"kind\":", txt(mt_finding_kind_str(f->kind), 64)),
        TXT(",\"protocol\":", FIELD(f->protocol)),
        TXT(",\"pool\":", FIELD(f->pool)),
        TXT(",\"wallet\":", FIELD(f->wallet)),
        TXT(",\"worker\":", FIELD(f->worker)),
        TXT(",\"agent\":", FIELD(f->agent)),
        TXT(",\"algo\":", FIELD(f->algo)),
        TXT(",\"family\":", FIELD(f->family)),
        NUM(",\"confidence\":", f->confidence),
        TXT(",\"evidence\":", FIELD(f->evidence)),
        TXT(",\"source\":", FIELD(f->source)),
    };
    const size_t n = sizeof fields / sizeof fields[0];
    size_t room = sizeof "}}";
    for (size_t i = 0; i < n; i++)
        room += fields[i].key_len + (fields[i].is_num ? 21 : 2 + 6 * fields[i].t.n + 8);
    char *o = mt_buf_room(b, room);
    for (size_t i = 0; i < n; i++) {
        const out_field *x = &fields[i];
        memcpy(o, x->key, x->key_len);
        o += x->key_len;
        if (!x->is_num) {
            o = str(o, x->t);
        } else if (x->num < 0) {
            *o++ = '-';
            o = mt_put_u64(o, 0ULL - (unsigned long long)x->num);
        } else {
            o = mt_put_u64(o, (uint64_t)x->num);
        }
    }
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
