/* The stream driver: the framer table, the probes that pick a framer for
 * each direction, the --inspect-bytes budget, skips and resynchronisation,
 * and the block pool that holds a partial message until the rest arrives.
 * Data is processed in place from the packet while it holds whole
 * messages; only a trailing partial message is copied, into an 8 KiB block,
 * or into a large block (sized for the largest framer limit) when the
 * framer's messages may be longer. Limits are the framers' own (max_msg);
 * everything not inspected is counted. */
#include <stdlib.h>
#include <string.h>

#include "capture/stream.h"
#include "proto/websocket.h"

/* Registration: the table by id, and the order the probes run in. Port
 * rules first (DNS), then the byte signatures; the JSON-lines probe last,
 * because it also claims mid-stream directions of guessed flows. */
static const mt_framer *const framers[MT_FR_COUNT] = {
    [MT_FR_DNS_TCP] = &mt_framer_dns_tcp, [MT_FR_TLS] = &mt_framer_tls,
    [MT_FR_HTTP] = &mt_framer_http,       [MT_FR_SV2] = &mt_framer_sv2,
    [MT_FR_JSONL] = &mt_framer_jsonl,     [MT_FR_WEBSOCKET] = &mt_framer_websocket,
    [MT_FR_SOCKS] = &mt_framer_socks,
};
static const uint8_t probe_order[] = {MT_FR_DNS_TCP, MT_FR_TLS, MT_FR_HTTP, MT_FR_SV2,
                                      MT_FR_SOCKS, MT_FR_JSONL};
_Static_assert(sizeof probe_order <= 8, "mt_stream.cand holds 8 probe bits");

const mt_framer *mt_framer_get(unsigned id) { return id < MT_FR_COUNT ? framers[id] : NULL; }

const mt_framer *mt_framer_by_name(const char *name)
{
    for (unsigned i = 1; i < MT_FR_COUNT; i++)
        if (framers[i] && strcmp(framers[i]->name, name) == 0) return framers[i];
    return NULL;
}

#define BIG_FLAG 0x80000000u

struct mt_stream {
    mt_stream_config cfg;
    mt_stream_cx cx;     /* the call in progress (its emit and stats fixed) */
    mt_stream_stats st;
    uint8_t cand[256];   /* first byte -> bit i: probe_order[i] may claim it */
    uint8_t probe_min[256]; /* first byte -> bytes needed before its probes run */
    uint8_t n_port;      /* framers with a port rule, in probe order */
    uint8_t port_id[MT_FR_COUNT];
    uint16_t port[MT_FR_COUNT];
    uint32_t big_size;   /* the largest max_msg of any framer */
    uint8_t **blocks;    /* allocated lazily, reused through free_blocks */
    uint32_t *free_blocks;
    uint32_t n_blocks, n_free_blocks;
    uint8_t **big;
    uint32_t *free_big;
    uint32_t n_big, n_free_big;
    uint8_t scratch[MT_STREAM_SCRATCH];
    uint8_t scratch2[MT_STREAM_SCRATCH];
    /* WebSocket inflate contexts: made on demand up to MT_WS_CTX_MAX, lent
     * to flow directions, reused after their flow ends. */
    mt_ws_inflater *wsz_free[MT_WS_CTX_MAX];
    uint32_t n_wsz_free, n_wsz_lent;
};

mt_stream *mt_stream_new(const mt_stream_config *c, mt_stream_emit_fn emit, void *ctx)
{
    mt_stream *s = mt_xcalloc(1, sizeof *s);
    s->cfg = *c;
    if (s->cfg.max_blocks == 0) s->cfg.max_blocks = 1;
    if (s->cfg.max_big_blocks == 0) s->cfg.max_big_blocks = 1;
    s->cx.s = s;
    s->cx.st = &s->st;
    s->cx.emit = emit;
    s->cx.emit_ctx = ctx;
    memset(s->probe_min, MT_PROBE_MIN, sizeof s->probe_min);
    for (size_t i = 0; i < sizeof probe_order; i++) {
        const mt_framer *fr = framers[probe_order[i]];
        if (fr->port) {
            s->port_id[s->n_port] = fr->id;
            s->port[s->n_port++] = fr->port;
        }
        if (fr->probe)
            for (unsigned b = fr->first_lo; b <= fr->first_hi; b++) {
                s->cand[b] |= (uint8_t)(1u << i);
                if (fr->probe_min && fr->probe_min < s->probe_min[b]) s->probe_min[b] = fr->probe_min;
            }
    }
    s->big_size = MT_STREAM_BLOCK;
    for (unsigned i = 1; i < MT_FR_COUNT; i++)
        if (framers[i]->max_msg > s->big_size) s->big_size = framers[i]->max_msg;
    s->blocks = mt_xcalloc(s->cfg.max_blocks, sizeof *s->blocks);
    s->free_blocks = mt_xmalloc(sizeof *s->free_blocks * s->cfg.max_blocks);
    s->big = mt_xcalloc(s->cfg.max_big_blocks, sizeof *s->big);
    s->free_big = mt_xmalloc(sizeof *s->free_big * s->cfg.max_big_blocks);
    return s;
}

void mt_stream_free(mt_stream *s)
{
    if (!s) return;
    for (uint32_t i = 0; i < s->n_blocks; i++) free(s->blocks[i]);
    for (uint32_t i = 0; i < s->n_big; i++) free(s->big[i]);
    /* Contexts still lent belong to flows that never ended (the caller
     * ends them all first); those in the pool are freed here. */
    for (uint32_t i = 0; i < s->n_wsz_free; i++) mt_ws_inflater_free(s->wsz_free[i]);
    free(s->blocks);
    free(s->free_blocks);
    free(s->big);
    free(s->free_big);
    free(s);
}

const mt_stream_stats *mt_stream_get_stats(const mt_stream *s) { return &s->st; }

void mt_stream_block_counts(const mt_stream *s, uint32_t *small, uint32_t *big, uint32_t *big_size)
{
    *small = s->n_blocks;
    *big = s->n_big;
    *big_size = s->big_size;
}

/* ---- blocks ------------------------------------------------------------ */

static uint8_t *block_ptr(const mt_stream *s, uint32_t blk)
{
    return blk & BIG_FLAG ? s->big[(blk & ~BIG_FLAG) - 1] : s->blocks[blk - 1];
}

static size_t block_cap(const mt_stream *s, uint32_t blk)
{
    return blk & BIG_FLAG ? s->big_size : MT_STREAM_BLOCK;
}

/* A free block of the class (big or not), or 0 when the class is at its cap. */
static uint32_t block_take(mt_stream *s, int big)
{
    if (big) {
        uint32_t idx;
        if (s->n_free_big) idx = s->free_big[--s->n_free_big];
        else if (s->n_big < s->cfg.max_big_blocks) {
            idx = s->n_big++;
            s->big[idx] = mt_xmalloc(s->big_size);
        } else return 0;
        return (idx + 1) | BIG_FLAG;
    }
    uint32_t idx;
    if (s->n_free_blocks) idx = s->free_blocks[--s->n_free_blocks];
    else if (s->n_blocks < s->cfg.max_blocks) {
        idx = s->n_blocks++;
        s->blocks[idx] = mt_xmalloc(MT_STREAM_BLOCK);
    } else return 0;
    return idx + 1;
}

static void block_give(mt_stream *s, uint32_t blk)
{
    if (blk & BIG_FLAG) s->free_big[s->n_free_big++] = (blk & ~BIG_FLAG) - 1;
    else s->free_blocks[s->n_free_blocks++] = blk - 1;
}

static void block_put(mt_stream *s, mt_dirstate *ds)
{
    if (!ds->blk) return;
    block_give(s, ds->blk);
    ds->blk = 0;
    ds->blk_len = 0;
}

/* Move the held bytes into a large block. 0 when none is free. */
static int block_grow(mt_stream *s, mt_dirstate *ds)
{
    uint32_t nb = block_take(s, 1);
    if (!nb) return 0;
    memcpy(block_ptr(s, nb), block_ptr(s, ds->blk), ds->blk_len);
    block_give(s, ds->blk);
    ds->blk = nb;
    return 1;
}

static void ws_ctx_give(mt_stream *s, mt_flow_extra *x, int d)
{
    if (!x->wsz[d]) return;
    size_t b = mt_ws_inflater_bytes(x->wsz[d]);
    if (b > s->st.ws_ctx_bytes) s->st.ws_ctx_bytes = b;
    if (mt_ws_inflater_reset(x->wsz[d]) == MT_OK) s->wsz_free[s->n_wsz_free++] = x->wsz[d];
    else { mt_ws_inflater_free(x->wsz[d]); s->st.ws_ctx_made--; }
    x->wsz[d] = NULL;
    s->n_wsz_lent--;
}

void mt_stream_release_(mt_stream *s, mt_flow *f)
{
    for (int d = 0; d < 2; d++) {
        if (f->d[d].blk_len) s->st.partial_at_end++;
        block_put(s, &f->d[d]);
        if (f->extra) ws_ctx_give(s, f->extra, d);
    }
    f->flags &= (uint8_t)~MT_FLOW_WS_INFLATE;
}

mt_ws_inflater *mt_stream_ws_ctx(mt_stream_cx *cx, int dir)
{
    mt_stream *s = cx->s;
    mt_flow_extra *x = mt_stream_extra(cx->f);
    if (x->wsz[dir]) return x->wsz[dir];
    mt_ws_inflater *z = NULL;
    if (s->n_wsz_free) z = s->wsz_free[--s->n_wsz_free];
    else if (s->st.ws_ctx_made < MT_WS_CTX_MAX && (z = mt_ws_inflater_new())) s->st.ws_ctx_made++;
    if (!z) {
        s->st.ws_ctx_refused++;
        return NULL;
    }
    x->wsz[dir] = z;
    cx->f->flags |= MT_FLOW_WS_INFLATE;
    if (++s->n_wsz_lent > s->st.ws_ctx_peak) s->st.ws_ctx_peak = s->n_wsz_lent;
    return z;
}

void mt_stream_ws_ctx_drop(mt_stream_cx *cx, int dir)
{
    mt_flow_extra *x = cx->f->extra;
    if (!x || !x->wsz[dir]) return;
    ws_ctx_give(cx->s, x, dir);
}

/* ---- services to the framers ------------------------------------------- */

void mt_stream_switch(mt_stream_cx *cx, int dir, unsigned id)
{
    mt_dirstate *ds = &cx->f->d[dir];
    if (ds->framer == MT_FR_CUT) return;
    ds->framer = (uint8_t)id;
    memset(&ds->fs, 0, sizeof ds->fs);
}

void mt_stream_stop(mt_stream_cx *cx, int dir)
{
    mt_dirstate *ds = &cx->f->d[dir];
    if (ds->framer != MT_FR_CUT) ds->framer = MT_FR_STOP;
    /* The current direction's block is in use until process() returns;
     * feed() releases it. The other one can go now. */
    if (dir != cx->dir) block_put(cx->s, ds);
}

void mt_stream_skip(mt_stream_cx *cx, uint64_t n)
{
    cx->ds->skip_bytes = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint8_t *mt_stream_scratch(mt_stream_cx *cx) { return cx->s->scratch; }
uint8_t *mt_stream_scratch2(mt_stream_cx *cx) { return cx->s->scratch2; }

mt_flow_extra *mt_stream_extra(mt_flow *f)
{
    if (!f->extra) f->extra = mt_xcalloc(1, sizeof *f->extra);
    return f->extra;
}

/* ---- the driver ------------------------------------------------------- */

static void claim(mt_dirstate *ds, unsigned id)
{
    ds->framer = (uint8_t)id;
    memset(&ds->fs, 0, sizeof ds->fs);
}

/* Pick the framer of a direction from its ports and first bytes. 0 when
 * more bytes are needed to tell. (Inlined: once per direction, but there
 * are as many directions as data packets in short flows.) */
static inline __attribute__((always_inline)) int detect(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    mt_stream *s = cx->s;
    mt_dirstate *ds = cx->ds;
    const mt_flow *f = cx->f;
    for (unsigned i = 0; i < s->n_port; i++)
        if (f->srv_port == s->port[i] || f->cli_port == s->port[i]) {
            claim(ds, s->port_id[i]);
            return 1;
        }
    if (m < s->probe_min[q[0]]) return 0;
    for (unsigned c = s->cand[q[0]]; c; c &= c - 1) {
        const mt_framer *fr = framers[probe_order[__builtin_ctz(c)]];
        int r = fr->probe(f, cx->dir, q, m);
        if (r == MT_PROBE_NO) continue;
        if (r == MT_PROBE_MORE) return 0;
        claim(ds, fr->id);
        if (r == MT_PROBE_MIDSTREAM) ds->skip_to_nl = 1;
        return 1;
    }
    s->st.unrecognised++;
    ds->framer = MT_FR_STOP;
    return 1;
}

/* Process as much of p[0..n) as forms whole messages; return bytes used. */
/* Inlined into its two callers in mt_stream_feed_: it runs for every
 * segment of a direction still being read. */
static inline __attribute__((always_inline)) size_t process(mt_stream_cx *cx, const uint8_t *p,
                                                            size_t n)
{
    mt_dirstate *ds = cx->ds;
    size_t off = 0;
    while (off < n) {
        const uint8_t *q = p + off;
        size_t m = n - off;
        if (ds->skip_bytes) {
            size_t k = ds->skip_bytes < m ? ds->skip_bytes : m;
            ds->skip_bytes -= (uint32_t)k;
            off += k;
            continue;
        }
        if (ds->skip_to_nl) {
            const uint8_t *nl = memchr(q, '\n', m);
            if (!nl) return n;
            off += (size_t)(nl - q) + 1;
            ds->skip_to_nl = 0;
            continue;
        }
        if (ds->framer >= MT_FR_COUNT) return n;
        if (ds->framer == MT_FR_DETECT) {
            if (!detect(cx, q, m)) return off;
            continue;
        }
        size_t c = framers[ds->framer]->parse(cx, q, m);
        if (c >= MT_FR_MORE) return off + (c - MT_FR_MORE);
        off += c;
    }
    return off;
}

/* The largest partial message the direction's current reader may hold. */
static size_t limit_of(const mt_dirstate *ds)
{
    return ds->framer < MT_FR_COUNT && ds->framer != MT_FR_DETECT ? framers[ds->framer]->max_msg
                                                                  : MT_STREAM_BLOCK;
}

/* A partial message reached its framer's limit: count it, drop what is
 * held, and resync at the next newline (line protocols) or stop. */
static void overflow(mt_stream *s, mt_dirstate *ds)
{
    if (ds->framer == MT_FR_DETECT) { /* no probe waits this long; defensive */
        block_put(s, ds);
        s->st.unrecognised++;
        ds->framer = MT_FR_STOP;
        return;
    }
    s->st.over_limit[ds->framer]++;
    block_put(s, ds);
    if (framers[ds->framer]->resync_nl) ds->skip_to_nl = 1;
    else ds->framer = MT_FR_STOP;
}

void mt_stream_gap(mt_stream *s, mt_flow *f, int dir)
{
    mt_dirstate *ds = &f->d[dir];
    if (ds->framer >= MT_FR_COUNT) return;
    if (ds->blk_len) s->st.gap_dropped++;
    block_put(s, ds);
    ds->skip_bytes = 0;
    /* A direction whose first bytes were lost is read as JSON lines from
     * the next newline: mid-stream Stratum is what we look for there. */
    if (ds->framer == MT_FR_DETECT) {
        ds->framer = MT_FR_JSONL;
        memset(&ds->fs, 0, sizeof ds->fs);
    }
    if (framers[ds->framer]->resync_nl) {
        ds->skip_to_nl = 1;
    } else {
        s->st.gap_stopped++;
        ds->framer = MT_FR_STOP;
    }
}

/* Out of line even with link-time optimisation: inlined into the packet
 * loop it would crowd the registers of every packet's path for the few
 * that reach a framer. */
__attribute__((noinline)) void mt_stream_feed_(mt_stream *s, mt_flow *f, int dir, mt_time_us ts,
                                               const uint8_t *p, size_t n)
{
    mt_dirstate *ds = &f->d[dir];
    if (ds->framer >= MT_FR_COUNT) {
        if (ds->framer == MT_FR_CUT) s->st.past_inspect_bytes += n;
        return;
    }
    size_t budget = s->cfg.inspect_bytes - ds->inspected;
    int cut = 0;
    if (n >= budget) {
        s->st.past_inspect_bytes += n - budget;
        n = budget;
        cut = 1;
    }
    ds->inspected += (uint32_t)n;
    mt_stream_cx *cx = &s->cx;
    cx->f = f;
    cx->ds = ds;
    cx->dir = dir;
    cx->ts = ts;
    while (n > 0 && ds->framer < MT_FR_COUNT) {
        if (ds->blk_len == 0) {
            size_t c = process(cx, p, n);
            p += c;
            n -= c;
            if (n == 0 || ds->framer >= MT_FR_COUNT) break;
            if (n > limit_of(ds)) {
                overflow(s, ds);
                break; /* the rest of this segment goes with the message */
            }
            uint32_t b = block_take(s, n > MT_STREAM_BLOCK);
            if (!b) {
                s->st.pool_exhausted++;
                ds->framer = MT_FR_STOP;
                break;
            }
            ds->blk = b;
            memcpy(block_ptr(s, b), p, n);
            ds->blk_len = (uint32_t)n;
            n = 0;
        } else {
            size_t lim = limit_of(ds), cap = block_cap(s, ds->blk);
            if (lim > cap && ds->blk_len + n > cap && !block_grow(s, ds)) {
                s->st.pool_exhausted++;
                block_put(s, ds);
                ds->framer = MT_FR_STOP;
                break;
            }
            uint8_t *b = block_ptr(s, ds->blk);
            /* The other direction may have switched this one to a framer
             * with a smaller limit than what is held: then add nothing,
             * let the framer read what is there, and overflow if need be. */
            size_t room = lim > ds->blk_len ? lim - ds->blk_len : 0;
            size_t k = n < room ? n : room;
            memcpy(b + ds->blk_len, p, k);
            ds->blk_len += (uint32_t)k;
            p += k;
            n -= k;
            size_t c = process(cx, b, ds->blk_len);
            if (ds->framer >= MT_FR_COUNT) {
                block_put(s, ds);
                break;
            }
            if (ds->blk_len - c >= limit_of(ds)) {
                overflow(s, ds);
                continue;
            }
            if (c < ds->blk_len) memmove(b, b + c, ds->blk_len - c);
            ds->blk_len -= (uint32_t)c;
            if (ds->blk_len == 0) block_put(s, ds);
        }
    }
    if (ds->framer >= MT_FR_COUNT) {
        block_put(s, ds);
    } else if (cut) {
        if (ds->blk_len) s->st.inspect_cut++;
        block_put(s, ds);
        ds->framer = MT_FR_CUT;
    }
}

/* ---- --stats ----------------------------------------------------------- */

static void per_framer(FILE *out, const char *what, const uint64_t *v)
{
    uint64_t sum = 0;
    for (unsigned i = 1; i < MT_FR_COUNT; i++) sum += v[i];
    fprintf(out, "%s %llu", what, (unsigned long long)sum);
    if (!sum) return;
    const char *sep = " (";
    for (unsigned i = 1; i < MT_FR_COUNT; i++) {
        if (!v[i]) continue;
        fprintf(out, "%s%s %llu", sep, framers[i]->name, (unsigned long long)v[i]);
        sep = ", ";
    }
    fputc(')', out);
}

void mt_stream_add_stats(mt_stream *into, const mt_stream *from)
{
    /* Every field is a uint64_t count (peaks and sizes add up to the sum
     * over the workers, which is what the memory in use was). */
    uint64_t *a = (uint64_t *)&into->st;
    const uint64_t *b = (const uint64_t *)&from->st;
    for (size_t i = 0; i < sizeof into->st / sizeof *a; i++) a[i] += b[i];
    if (from->st.ws_ctx_bytes) into->st.ws_ctx_bytes = from->st.ws_ctx_bytes;
    into->n_blocks += from->n_blocks;
    into->n_big += from->n_big;
}

void mt_stream_print_stats(const mt_stream *s, FILE *out)
{
    const mt_stream_stats *t = &s->st;
    fputs("stream messages: ", out);
    for (unsigned i = 1; i < MT_FR_COUNT; i++)
        fprintf(out, "%s%s %llu", i > 1 ? ", " : "", framers[i]->name,
                (unsigned long long)t->msgs[i]);
    fprintf(out, "; blocks allocated %u of %u B, %u of %u B\n", s->n_blocks, MT_STREAM_BLOCK,
            s->n_big, s->big_size);
    fputs("stream not inspected: ", out);
    per_framer(out, "over_limit", t->over_limit);
    fputs(", ", out);
    per_framer(out, "malformed", t->malformed);
    fprintf(out,
            ", pool_exhausted %llu, inspect_cut %llu, past_inspect_bytes %llu, gap_dropped %llu, "
            "gap_stopped %llu, partial_at_end %llu, unrecognised %llu\n",
            (unsigned long long)t->pool_exhausted, (unsigned long long)t->inspect_cut,
            (unsigned long long)t->past_inspect_bytes, (unsigned long long)t->gap_dropped,
            (unsigned long long)t->gap_stopped, (unsigned long long)t->partial_at_end,
            (unsigned long long)t->unrecognised);
    if (t->ws_ctx_made || t->ws_ctx_refused)
        fprintf(out,
                "websocket inflate contexts (context takeover): %llu made (cap %d, peak %llu lent, "
                "%llu bytes each in use), %llu frames inflated, %llu directions refused at the "
                "cap, %llu broken\n",
                (unsigned long long)t->ws_ctx_made, MT_WS_CTX_MAX, (unsigned long long)t->ws_ctx_peak,
                (unsigned long long)t->ws_ctx_bytes, (unsigned long long)t->ws_inflated,
                (unsigned long long)t->ws_ctx_refused, (unsigned long long)t->ws_ctx_broken);
}
