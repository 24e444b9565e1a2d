/* The honeypot-log driver (honey.h): one input at a time. The first bytes
 * (up to HEAD_MAX) are read from the byte stream and shown to every reader
 * of the table; the surest one reads the input, either line by line (the
 * same bytes handed on to the line reader, so pipes work too) or as one
 * document held whole. Counting, skips and progress are those of the
 * traffic-log driver (ingest.c), through its shared helpers. */
#include "ingest/honey.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_lex.h"
#include "ingest/honey_reader.h"
#include "util/bytestream.h"
#include "util/linereader.h"

#define HEAD_MAX (64u * 1024u)
#define DEFAULT_MAX_DOCUMENT ((size_t)1 << 30)

/* One table, searched in order; a tie goes to the earlier reader. */
static const mt_honey_reader *const readers[] = {
    &mt_honey_reader_cowrie,
    &mt_honey_reader_login_csv,
    &mt_honey_reader_attack_pattern,
    &mt_honey_reader_authlog,
    &mt_honey_reader_daily_top,
};
#define NREADERS (sizeof readers / sizeof readers[0])

const char *mt_honey_format_names(void)
{
    static char names[160];
    if (!names[0]) {
        size_t w = 0;
        for (size_t i = 0; i < NREADERS; i++)
            w += (size_t)snprintf(names + w, sizeof names - w, "%s%s", i ? ", " : "",
                                  readers[i]->name);
    }
    return names;
}

/* ---- what readers share ----------------------------------------------------- */

void mt_honey_event_init(mt_honey_event *ev, mt_honey_type type)
{
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->count = 1;
    ev->duration_ms = -1;
}

int mt_honey_time(const char *s, size_t n, mt_time_us *out)
{
    if (n == 10) { /* a day: the aggregates' "2021-06-16" */
        int y, mo, d;
        if (!honey_digits(s, 4, &y) || s[4] != '-' || !honey_digits(s + 5, 2, &mo) ||
            s[7] != '-' || !honey_digits(s + 8, 2, &d) || y < 1 || mo < 1 || mo > 12 || d < 1 ||
            d > honey_days_in_month(y, mo))
            return MT_EINVAL;
        *out = honey_civil_secs(y, mo, d, 0, 0, 0) * 1000000;
        return MT_OK;
    }
    mt_time_us t = 0;
    if (honey_iso_time(s, n, &t) != n) return MT_EINVAL; /* nothing may follow the stamp */
    *out = t;
    return MT_OK;
}

int mt_honey_addr(const char *s, size_t n, mt_addr *out)
{
    return honey_addr(s, s + n, out) ? MT_OK : MT_EINVAL;
}

void mt_honey_lines_init(mt_honey_lines *l, const char *buf)
{
    l->buf = buf;
    l->pos = 0;
    l->line = 1;
}

uint64_t mt_honey_line_at(mt_honey_lines *l, size_t off)
{
    while (l->pos < off) {
        const char *nl = memchr(l->buf + l->pos, '\n', off - l->pos);
        if (!nl) {
            l->pos = off;
            break;
        }
        l->line++;
        l->pos = (size_t)(nl - l->buf) + 1;
    }
    return l->line;
}

void mt_honey_name(char *unk, size_t cap, const char *p, size_t n)
{
    if (!unk || cap == 0) return;
    size_t w = 0;
    for (size_t i = 0; i < n && w + 1 < cap; i++) {
        unsigned char c = (unsigned char)p[i];
        unk[w++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    unk[w] = '\0';
}

static int is_hex64(const char *p)
{
    for (size_t i = 0; i < 64; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

void mt_honey_download(mt_honey_event *ev, mt_span url, mt_span outfile, mt_span dest)
{
    if (!ev->path.n) ev->path = dest;
    if (url.n && url.p[0] == '/') {
        if (!ev->path.n) ev->path = url;
    } else {
        ev->url = url;
    }
    if (!ev->sha256.n && outfile.n >= 64 && is_hex64(outfile.p + outfile.n - 64) &&
        (outfile.n == 64 || outfile.p[outfile.n - 65] == '/'))
        ev->sha256 = (mt_span){outfile.p + outfile.n - 64, 64};
}

int mt_honey_has(const char *p, size_t n, const char *needle)
{
    size_t l = strlen(needle);
    if (l == 0) return 1;
    for (size_t i = 0; i + l <= n; i++) {
        const char *c = memchr(p + i, needle[0], n - l + 1 - i);
        if (!c) return 0;
        i = (size_t)(c - p);
        if (memcmp(c, needle, l) == 0) return 1;
    }
    return 0;
}

int mt_honey_jtext(const mt_jr_doc *d, int t, mt_honey_arena *a, mt_span *out)
{
    mt_jr_type ty = mt_jr_type_of(d, t);
    if (ty == MT_JR_NONE || ty == MT_JR_NULL) return 0;
    size_t n;
    const char *p;
    if (ty == MT_JR_STRING) {
        char *dst = a->p + a->used;
        p = mt_jr_bytes(d, t, dst, a->cap - a->used, &n);
        if (!p) return -1;
        if (p == dst) a->used += n;
    } else if (ty == MT_JR_NUMBER) {
        p = mt_jr_raw(d, t, &n);
    } else {
        return -1;
    }
    out->p = p;
    out->n = n;
    return 1;
}

int mt_honey_juint(const mt_jr_doc *d, int t, uint64_t max, uint64_t *out)
{
    mt_jr_type ty = mt_jr_type_of(d, t);
    if (ty == MT_JR_NONE || ty == MT_JR_NULL) return 0;
    uint64_t v;
    if (ty == MT_JR_NUMBER) {
        int rc = mt_jr_u64(d, t, &v);
        if (rc == MT_ENOTFOUND) {
            double f;
            if (mt_jr_f64(d, t, &f) != MT_OK || !(f >= 0) || f > (double)max || f != floor(f))
                return -1;
            v = (uint64_t)f;
        } else if (rc != MT_OK) {
            return -1;
        }
    } else if (ty == MT_JR_STRING) {
        size_t n;
        const char *p = mt_jr_raw(d, t, &n);
        if (n == 0 || n > 19) return -1;
        v = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] < '0' || p[i] > '9') return -1;
            v = v * 10 + (uint64_t)(p[i] - '0');
        }
    } else {
        return -1;
    }
    if (v > max) return -1;
    *out = v;
    return 1;
}

int mt_honey_jbool(const mt_jr_doc *d, int t, int *out)
{
    mt_jr_type ty = mt_jr_type_of(d, t);
    if (ty == MT_JR_NONE || ty == MT_JR_NULL) return 0;
    if (ty == MT_JR_TRUE || ty == MT_JR_FALSE) {
        *out = ty == MT_JR_TRUE;
        return 1;
    }
    uint64_t v;
    if (mt_honey_juint(d, t, 1, &v) == 1) {
        *out = (int)v;
        return 1;
    }
    return -1;
}

void mt_honey_fields_init(mt_honey_fields *f, const char *const *names, unsigned n)
{
    memset(f, 0, sizeof *f);
    f->names = names;
    f->n = n;
    for (unsigned i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        /* A reader's own constant table: a name too long or a bucket too
         * full is a programming error, caught by every test run. */
        if (l == 0 || l > MT_HONEY_MAX_KEY || f->n_by_len[l] >= sizeof f->by_len[0]) abort();
        f->by_len[l][f->n_by_len[l]++] = (uint8_t)i;
    }
}

void mt_honey_fields_find(const mt_honey_fields *f, const mt_jr_doc *d, int obj, int *out)
{
    for (unsigned i = 0; i < f->n; i++) out[i] = -1;
    if (!mt_jr_is(d, obj, MT_JR_OBJECT)) return;
    const mt_jr_tok *tk = d->tok;
    for (uint32_t k = (uint32_t)obj + 1, end = tk[obj].next; k < end; k = tk[k + 1].next) {
        size_t kl = tk[k].len;
        const char *ks = d->text + tk[k].start;
        if (MT_UNLIKELY(tk[k].esc)) { /* "\u0075rl": compared decoded */
            for (unsigned i = 0; i < f->n; i++)
                if (out[i] < 0 && mt_jr_streq(d, (int)k, f->names[i])) {
                    out[i] = (int)k + 1;
                    break;
                }
            continue;
        }
        if (kl > MT_HONEY_MAX_KEY) continue;
        for (unsigned j = 0; j < f->n_by_len[kl]; j++) {
            unsigned i = f->by_len[kl][j];
            if (memcmp(f->names[i], ks, kl) == 0) {
                if (out[i] < 0) out[i] = (int)k + 1;
                break;
            }
        }
    }
}

/* An upper bound on the values of a JSON text: every value after the first
 * follows one of { [ , : (strings holding them only raise the bound). */
static size_t tokens_needed(const char *buf, size_t n)
{
    size_t k = 1;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        k += c == '{' || c == '[' || c == ',' || c == ':';
    }
    return k < MT_JR_TOKENS_FOR(n) ? k : MT_JR_TOKENS_FOR(n);
}

int mt_honey_jdoc_parse(mt_honey_jdoc *j, const char *path, const char *buf, size_t n,
                        mt_jr_type top, const char *what, mt_ingest_stats *st)
{
    memset(j, 0, sizeof *j);
    mt_honey_lines_init(&j->lines, buf);
    if (n >= MT_JR_MAX_LEN) {
        snprintf(st->error, sizeof st->error, "%s: %zu bytes, more than the JSON reader takes",
                 path, n);
        return MT_EINVAL;
    }
    size_t ntok = tokens_needed(buf, n);
    mt_jr_init(&j->d, mt_xmalloc(ntok * sizeof(mt_jr_tok)), ntok, NULL, 0);
    j->arena.p = mt_xmalloc(n + 1);
    j->arena.cap = n + 1;
    j->parse_rc = mt_jr_parse(&j->d, buf, n, MT_JR_PARTIAL | MT_JR_LAX_CTRL, 0);
    if (mt_jr_is(&j->d, 0, top)) return MT_OK;
    char why[96];
    snprintf(st->error, sizeof st->error, "%s: line %llu: not %s (%s)", path,
             (unsigned long long)mt_honey_line_at(&j->lines, j->parse_rc ? j->d.err_at : 0), what,
             j->parse_rc ? mt_jr_strerror(&j->d, why, sizeof why) : "another JSON value");
    j->parse_rc = MT_OK; /* reported */
    return MT_EINVAL;
}

int mt_honey_jdoc_end(mt_honey_jdoc *j, const char *path, mt_ingest_stats *st)
{
    int rc = MT_OK;
    if (j->parse_rc != MT_OK) {
        char why[96];
        snprintf(st->error, sizeof st->error, "%s: line %llu: %s (the records before it were read)",
                 path, (unsigned long long)mt_honey_line_at(&j->lines, j->d.err_at),
                 mt_jr_strerror(&j->d, why, sizeof why));
        rc = j->parse_rc == MT_ETRUNC ? MT_ETRUNC : MT_EINVAL;
    }
    free(j->d.tok);
    free(j->arena.p);
    memset(j, 0, sizeof *j);
    return rc;
}

/* ---- the driver ----------------------------------------------------------------- */

typedef struct counting {
    const mt_honey_sink *to;
    mt_ingest_stats *st;
} counting;

static void count_event(void *ctx, const mt_honey_event *ev)
{
    counting *c = ctx;
    c->st->events++;
    if (c->to && c->to->event) c->to->event(c->to->ctx, ev);
}

static int fail(mt_ingest_stats *st, int code, const char *msg)
{
    st->read_error = code;
    mt_strlcpy(st->error, msg, sizeof st->error);
    if (!st->format[0]) mt_strlcpy(st->format, "-", sizeof st->format);
    return mt_error_set(code, "%s", msg);
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

/* The reader for an input starting with head[0..n): forced by name, or the
 * surest probe. NULL (st->error set) when none fits. */
static const mt_honey_reader *choose(const char *path, const mt_honey_opts *o, const char *head,
                                     size_t n, mt_ingest_stats *st)
{
    char msg[256];
    if (o->format) {
        for (size_t i = 0; i < NREADERS; i++)
            if (strcmp(readers[i]->name, o->format) == 0) return readers[i];
        snprintf(msg, sizeof msg, "%s: unknown honeypot log format '%.40s' (formats: %s)", path,
                 o->format, mt_honey_format_names());
        fail(st, MT_EINVAL, msg);
        return NULL;
    }
    /* Probes see whole lines where the head has any. */
    size_t pn = n;
    if (n == HEAD_MAX) {
        const char *nl = NULL;
        for (size_t i = n; i > 0; i--)
            if (head[i - 1] == '\n') { nl = head + i - 1; break; }
        if (nl) pn = (size_t)(nl - head) + 1;
    }
    const mt_honey_reader *best = NULL;
    int best_score = 0;
    for (size_t i = 0; i < NREADERS; i++) {
        int sc = readers[i]->probe(head, pn);
        if (sc > best_score) {
            best_score = sc;
            best = readers[i];
        }
    }
    if (!best) {
        snprintf(msg, sizeof msg, "%s: not a honeypot or authentication log minetrace reads "
                 "(formats: %s)", path, mt_honey_format_names());
        fail(st, MT_EINVAL, msg);
    }
    return best;
}

static void read_failed(mt_ingest_stats *st, int rc, const char *where)
{
    if (st->read_error) return;
    st->read_error = rc;
    snprintf(st->error, sizeof st->error, "%s %s (%s)",
             rc == MT_ETRUNC ? "input truncated" : "read error", where, mt_error_msg());
}

static int read_lines(const mt_honey_reader *r, void *state, const char *path,
                      const mt_honey_opts *o, mt_bytestream *bs, const char *head, size_t hn,
                      const mt_honey_sink *sink, mt_ingest_stats *st, double t0)
{
    mt_linereader *lr = mt_lr_open_stream(bs, head, hn, o->max_line);
    if (!lr) {
        mt_bs_close(bs);
        return fail(st, MT_EINVAL, mt_error_msg());
    }
    double last = t0;
    char unk[48], *line;
    size_t len;
    int too_long, rc;
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        if (too_long) {
            st->records++;
            st->too_long++;
            mt_ingest_note_malformed(st, mt_lr_lineno(lr));
            continue;
        }
        if (is_blank(line, len)) continue;
        unk[0] = '\0';
        st->records++;
        int lrc = r->line(state, line, len, sink, unk, sizeof unk);
        if (lrc == MT_OK) st->used++;
        else if (lrc == MT_ENOTFOUND) mt_ingest_note_unknown(st, unk[0] ? unk : "unknown");
        else mt_ingest_note_malformed(st, mt_lr_lineno(lr));
        if (o->progress && (st->records & 4095) == 0) {
            double t = mt_ingest_now();
            if (t - last >= 1.0) {
                mt_ingest_progress(o->progress_out, path, st, mt_lr_bytes(lr), mt_lr_raw_pos(lr),
                                   mt_lr_raw_size(lr), t - t0, 0);
                last = t;
            }
        }
    }
    if (rc < 0) {
        char where[64];
        snprintf(where, sizeof where, "after line %llu", (unsigned long long)mt_lr_lineno(lr));
        read_failed(st, rc, where);
    }
    st->bytes = mt_lr_bytes(lr);
    st->seconds = mt_ingest_now() - t0;
    if (o->progress && st->seconds >= 1.0)
        mt_ingest_progress(o->progress_out, path, st, st->bytes, mt_lr_raw_pos(lr),
                           mt_lr_raw_size(lr), st->seconds, 1);
    mt_lr_close(lr);
    return st->read_error ? st->read_error : MT_OK;
}

static int read_document(const mt_honey_reader *r, void *state, const char *path,
                         const mt_honey_opts *o, mt_bytestream *bs, const char *head, size_t hn,
                         const mt_honey_sink *sink, mt_ingest_stats *st, double t0)
{
    size_t max = o->max_document ? o->max_document : DEFAULT_MAX_DOCUMENT;
    if (max > SIZE_MAX / 4) max = SIZE_MAX / 4; /* the doubling below stays in range */
    double last = t0;
    size_t cap = hn < HEAD_MAX ? hn + 1 : (size_t)4 << 20, n = hn;
    if (cap > max + 1) cap = max + 1;
    if (cap < hn + 1) cap = hn + 1;
    char *buf = mt_xmalloc(cap);
    memcpy(buf, head, hn);
    long got = 0;
    int too_big = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max) { too_big = 1; break; }
            cap = cap > max / 2 ? max + 1 : cap * 2;
            buf = mt_xrealloc(buf, cap);
        }
        /* Read in pieces so that a long document shows its progress. */
        size_t want = cap - n < ((size_t)16 << 20) ? cap - n : (size_t)16 << 20;
        got = mt_bs_read(bs, buf + n, want);
        if (got <= 0) break;
        n += (size_t)got;
        if (o->progress) {
            double t = mt_ingest_now();
            if (t - last >= 1.0) {
                mt_ingest_progress(o->progress_out, path, st, mt_bs_bytes(bs), mt_bs_raw_pos(bs),
                                   mt_bs_raw_size(bs), t - t0, 0);
                last = t;
            }
        }
    }
    st->bytes = mt_bs_bytes(bs);
    if (too_big || n > max) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: %s is read whole, and this input is larger than %zu bytes "
                 "(max_document)", path, r->name, max);
        free(buf);
        mt_bs_close(bs);
        return fail(st, MT_EINVAL, msg);
    }
    if (got < 0) {
        char where[64];
        snprintf(where, sizeof where, "after byte %zu", n);
        read_failed(st, (int)got, where);
    }
    /* A stream that failed keeps its message: the document's own (where
     * the text stops) follows from it. */
    char stream_error[sizeof st->error];
    mt_strlcpy(stream_error, st->error, sizeof stream_error);
    int drc = r->document(state, buf, n, sink, st);
    if (st->read_error) mt_strlcpy(st->error, stream_error, sizeof st->error);
    else if (drc != MT_OK) st->read_error = drc;
    st->seconds = mt_ingest_now() - t0;
    if (o->progress && st->seconds >= 1.0)
        mt_ingest_progress(o->progress_out, path, st, st->bytes, mt_bs_raw_pos(bs),
                           mt_bs_raw_size(bs), st->seconds, 1);
    free(buf);
    mt_bs_close(bs);
    return st->read_error ? st->read_error : MT_OK;
}

int mt_honey_read_file(const char *path, const mt_honey_opts *o, const mt_honey_sink *to,
                       mt_ingest_stats *st)
{
    mt_honey_opts opts;
    if (o) opts = *o;
    else memset(&opts, 0, sizeof opts);
    if (!opts.progress_out) opts.progress_out = stderr;
    memset(st, 0, sizeof *st);
    double t0 = mt_ingest_now();

    mt_bytestream *bs = mt_bs_open(path);
    if (!bs) return fail(st, MT_EIO, mt_error_msg());
    char *head = mt_xmalloc(HEAD_MAX);
    size_t hn = 0;
    long got = 0;
    while (hn < HEAD_MAX && (got = mt_bs_read(bs, head + hn, HEAD_MAX - hn)) > 0) hn += (size_t)got;
    if (hn < HEAD_MAX && is_blank(head, hn)) {
        /* Nothing to recognise: an empty input reads as nothing, unless it
         * failed (a gzip stream cut before its first line). */
        int rc = MT_OK;
        if (got < 0) {
            read_failed(st, (int)got, "before its first line");
            rc = st->read_error;
        }
        st->bytes = mt_bs_bytes(bs);
        mt_strlcpy(st->format, "empty", sizeof st->format);
        free(head);
        mt_bs_close(bs);
        st->seconds = mt_ingest_now() - t0;
        return rc;
    }
    const mt_honey_reader *r = choose(path, &opts, head, hn, st);
    if (!r) {
        free(head);
        mt_bs_close(bs);
        return st->read_error;
    }
    mt_strlcpy(st->format, r->name, sizeof st->format);
    void *state = r->begin(path, &opts);
    if (!state) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: %s", path, mt_error_msg());
        free(head);
        mt_bs_close(bs);
        return fail(st, MT_EIO, msg);
    }
    counting c = {to, st};
    mt_honey_sink sink = {count_event, &c};
    int rc = r->line ? read_lines(r, state, path, &opts, bs, head, hn, &sink, st, t0)
                     : read_document(r, state, path, &opts, bs, head, hn, &sink, st, t0);
    r->end(state);
    free(head);
    return rc;
}
