/* EVE-style JSON for findings. Field order is fixed (stable output). */
#include "store/finding_json.h"

#include <stddef.h>
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

/* The text members of mt_finding written from a table: key literal (with
 * the punctuation before it), offset and array size. Built once, at
 * compile time; a table made per finding cost 15% more instructions. */
typedef struct member {
    const char *key;
    size_t key_len, off, cap;
} member;

#define MEMBER(k, m) {k, sizeof(k) - 1, offsetof(mt_finding, m), sizeof(((mt_finding *)0)->m)}
static const member members[] = {
    MEMBER(",\"protocol\":", protocol), MEMBER(",\"pool\":", pool),
    MEMBER(",\"wallet\":", wallet),     MEMBER(",\"worker\":", worker),
    MEMBER(",\"agent\":", agent),       MEMBER(",\"algo\":", algo),
    MEMBER(",\"family\":", family),     /* then confidence */
    MEMBER(",\"evidence\":", evidence), MEMBER(",\"source\":", source),
};
#define N_MEMBERS (sizeof members / sizeof members[0])
#define MEMBERS_BEFORE_CONFIDENCE 7

static char *put_members(char *o, const mt_finding *f, const size_t *len, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const member *m = &members[i];
        memcpy(o, m->key, m->key_len);
        o += m->key_len;
        o = str(o, (text){(const char *)f + m->off, len[i], m->cap});
    }
    return o;
}

static char *put_int(char *o, long long v)
{
    if (v < 0) {
        *o++ = '-';
        return mt_put_u64(o, 0ULL - (unsigned long long)v);
    }
    return mt_put_u64(o, (uint64_t)v);
}

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    /* zeroed: their whole arrays are read (see str) */
    char ts[40] = {0}, src[MT_ADDR_STRLEN] = {0}, dst[MT_ADDR_STRLEN] = {0};
    if (mt_time_format(f->ts, ts, sizeof ts) != MT_OK) ts[0] = '\0';
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    text t_ts = FIELD(ts), t_src = FIELD(src), t_dst = FIELD(dst),
         t_proto = txt(mt_ipproto_str(f->ipproto), 64),
         t_ev = txt(f->event_type ? f->event_type : MT_EVENT_MINING, 64),
         t_kind = txt(mt_finding_kind_str(f->kind), 64);
    size_t len[N_MEMBERS], text_bytes = t_ts.n + t_src.n + t_dst.n + t_proto.n + t_ev.n + t_kind.n;
    for (size_t i = 0; i < N_MEMBERS; i++) {
        len[i] = strnlen((const char *)f + members[i].off, members[i].cap);
        text_bytes += len[i];
    }
    /* keys and punctuation (~250 bytes), four numbers, escaped text and
     * up to 8 bytes of escaper slack per field */
    char *o = mt_buf_room(b, 512 + 6 * text_bytes);
    /* The order is the documented, stable one (docs/FINDINGS.md). */
    o = str(LIT(o, "{\"timestamp\":"), t_ts);
    o = put_int(LIT(o, ",\"flow_id\":"), (long long)f->flow_id);
    o = str(LIT(o, ",\"src_ip\":"), t_src);
    o = put_int(LIT(o, ",\"src_port\":"), f->src_port);
    o = str(LIT(o, ",\"dest_ip\":"), t_dst);
    o = put_int(LIT(o, ",\"dest_port\":"), f->dst_port);
    o = str(LIT(o, ",\"proto\":"), t_proto);
    o = str(LIT(o, ",\"event_type\":"), t_ev);
    o = str(LIT(o, ",\"mining\":{\"kind\":"), t_kind);
    o = put_members(o, f, len, 0, MEMBERS_BEFORE_CONFIDENCE);
    o = put_int(LIT(o, ",\"confidence\":"), f->confidence);
    o = put_members(o, f, len, MEMBERS_BEFORE_CONFIDENCE, N_MEMBERS);
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
