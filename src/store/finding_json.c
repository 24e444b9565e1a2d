/* Findings as EVE-style JSON: the "mining" and "web" record bodies (the
 * header is eve_json.c's) and the JSONL sinks. Field order is fixed
 * (stable output). */
#include "store/finding_json.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The "mining" body: the text members of mt_finding written from a table
 * (key literal with the punctuation before it, offset and array size),
 * built at compile time rather than per finding. */
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

static size_t mining_room(const void *rec)
{
    const mt_finding *f = rec;
    /* keys and punctuation (~130 bytes), the confidence, the kind */
    size_t room = 160 + MT_EVE_STR_ROOM(strnlen(mt_finding_kind_str(f->kind), 64));
    for (size_t i = 0; i < N_MEMBERS; i++)
        room += MT_EVE_STR_ROOM(strnlen((const char *)f + members[i].off, members[i].cap));
    return room;
}

static char *put_members(char *o, const mt_finding *f, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const member *m = &members[i];
        const char *v = (const char *)f + m->off;
        memcpy(o, m->key, m->key_len);
        o = mt_eve_str(o + m->key_len, v, strnlen(v, m->cap), m->cap);
    }
    return o;
}

static char *mining_write(char *o, const void *rec)
{
    const mt_finding *f = rec;
    const char *kind = mt_finding_kind_str(f->kind);
    size_t n_kind = strnlen(kind, 64);
    o = mt_eve_str(MT_EVE_LIT(o, "{\"kind\":"), kind, n_kind, n_kind);
    o = put_members(o, f, 0, MEMBERS_BEFORE_CONFIDENCE);
    o = mt_eve_int(MT_EVE_LIT(o, ",\"confidence\":"), f->confidence);
    o = put_members(o, f, MEMBERS_BEFORE_CONFIDENCE, N_MEMBERS);
    *o++ = '}';
    return o;
}

const mt_eve_body mt_eve_mining_body = {"mining", mining_room, mining_write};

void mt_finding_to_json(const mt_finding *f, mt_buf *b)
{
    mt_eve_header h = {f->ts, f->flow_id, &f->src, &f->dst, f->src_port, f->dst_port, f->ipproto,
                       f->event_type ? f->event_type : MT_EVENT_MINING};
    mt_eve_write(b, &h, &mt_eve_mining_body, f);
}

/* ---- the "web" body ------------------------------------------------------- */

#define WMEMBER(k, m) {k, sizeof(k) - 1, offsetof(mt_web_finding, m), sizeof(((mt_web_finding *)0)->m)}
static const member web_members[] = {
    WMEMBER("{\"domain\":", domain),   WMEMBER(",\"url\":", url),
    WMEMBER(",\"resource\":", resource), /* then rank */
    WMEMBER(",\"category\":", category), WMEMBER(",\"provider\":", provider),
    WMEMBER(",\"site_key\":", site_key), WMEMBER(",\"kind\":", kind), /* then confidence */
    WMEMBER(",\"evidence\":", evidence),
};
#define N_WEB_MEMBERS (sizeof web_members / sizeof web_members[0])
#define WEB_BEFORE_RANK 3
#define WEB_BEFORE_CONFIDENCE 7

static size_t web_room(const void *rec)
{
    /* keys and punctuation (~110 bytes), rank and confidence */
    size_t room = 160;
    for (size_t i = 0; i < N_WEB_MEMBERS; i++)
        room += MT_EVE_STR_ROOM(strnlen((const char *)rec + web_members[i].off, web_members[i].cap));
    return room;
}

static char *put_web_members(char *o, const mt_web_finding *f, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const member *m = &web_members[i];
        const char *v = (const char *)f + m->off;
        memcpy(o, m->key, m->key_len);
        o = mt_eve_str(o + m->key_len, v, strnlen(v, m->cap), m->cap);
    }
    return o;
}

static char *web_write(char *o, const void *rec)
{
    const mt_web_finding *f = rec;
    o = put_web_members(o, f, 0, WEB_BEFORE_RANK);
    if (f->rank) o = mt_put_u64(MT_EVE_LIT(o, ",\"rank\":"), f->rank);
    else o = MT_EVE_LIT(o, ",\"rank\":null");
    o = put_web_members(o, f, WEB_BEFORE_RANK, WEB_BEFORE_CONFIDENCE);
    o = mt_eve_int(MT_EVE_LIT(o, ",\"confidence\":"), f->confidence);
    o = put_web_members(o, f, WEB_BEFORE_CONFIDENCE, N_WEB_MEMBERS);
    *o++ = '}';
    return o;
}

const mt_eve_body mt_eve_web_body = {"web", web_room, web_write};

void mt_web_finding_to_json(const mt_web_finding *f, mt_buf *b)
{
    mt_eve_header h = {f->ts, 0, NULL, NULL, 0, 0, 0, MT_EVENT_WEB};
    mt_eve_write(b, &h, &mt_eve_web_body, f);
}

/* ---- the JSONL sinks ------------------------------------------------------- */

typedef struct jsonl_ctx {
    FILE *out;
    int close_file;
    mt_buf line;
    char *obuf;    /* stdio buffer of a file we opened (see mt_sink_jsonl_new) */
} jsonl_ctx;

static int jsonl_put_line(jsonl_ctx *c)
{
    mt_buf_putc(&c->line, '\n');
    if (fwrite(c->line.p, 1, c->line.len, c->out) != c->line.len)
        return mt_error_set(MT_EIO, "writing findings failed: %s", strerror(errno));
    return MT_OK;
}

static int jsonl_emit(mt_sink *s, const mt_finding *f)
{
    jsonl_ctx *c = s->ctx;
    mt_buf_reset(&c->line);
    mt_finding_to_json(f, &c->line);
    return jsonl_put_line(c);
}

static int jsonl_ctx_flush(jsonl_ctx *c)
{
    if (fflush(c->out) == 0) return MT_OK;
    return mt_error_set(MT_EIO, "writing findings failed: %s", strerror(errno));
}

static void jsonl_ctx_free(jsonl_ctx *c)
{
    fflush(c->out);
    if (c->close_file) fclose(c->out);
    free(c->obuf);
    mt_buf_free(&c->line);
    free(c);
}

static int jsonl_flush(mt_sink *s) { return jsonl_ctx_flush(s->ctx); }

static void jsonl_close(mt_sink *s)
{
    jsonl_ctx_free(s->ctx);
    free(s);
}

static jsonl_ctx *jsonl_ctx_new(FILE *out, int close_file)
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
    return c;
}

mt_sink *mt_sink_jsonl_new(FILE *out, int close_file)
{
    jsonl_ctx *c = jsonl_ctx_new(out, close_file);
    mt_sink *s = mt_xcalloc(1, sizeof *s);
    s->name = "jsonl";
    s->emit = jsonl_emit;
    s->flush = jsonl_flush;
    s->close = jsonl_close;
    s->ctx = c;
    return s;
}

static int web_jsonl_emit(mt_web_sink *s, const mt_web_finding *f)
{
    jsonl_ctx *c = s->ctx;
    mt_buf_reset(&c->line);
    mt_web_finding_to_json(f, &c->line);
    return jsonl_put_line(c);
}

static int web_jsonl_flush(mt_web_sink *s) { return jsonl_ctx_flush(s->ctx); }

static void web_jsonl_close(mt_web_sink *s)
{
    jsonl_ctx_free(s->ctx);
    free(s);
}

mt_web_sink *mt_web_sink_jsonl_new(FILE *out, int close_file)
{
    mt_web_sink *s = mt_xcalloc(1, sizeof *s);
    s->name = "jsonl";
    s->emit_web = web_jsonl_emit;
    s->flush = web_jsonl_flush;
    s->close = web_jsonl_close;
    s->ctx = jsonl_ctx_new(out, close_file);
    return s;
}
