/* The ingest driver: one input at a time, streamed through the line reader;
 * Zeek TSV is recognised by its '#' header on the first non-blank line,
 * everything else is taken as JSON lines (decided per line). It counts what
 * it reads, skips and delivers, and prints progress about once a second
 * when asked. What becomes of the events and findings (detection, storage,
 * the ingest_log row) is the consumer's business: store/ingest_store.c. */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/linereader.h"
#include "ingest/zeek.h"

struct mt_ingest {
    mt_ingest_out to;       /* the caller's consumer */
    mt_ingest_opts opts;
    mt_ingest_stats *cur;
    mt_ingest_out out;      /* what the readers deliver to: counts, then `to` */
};

static const char *const format_names[] = {
    [MT_FMT_AUTO] = "auto", [MT_FMT_EVE] = "eve", [MT_FMT_ZEEK_TSV] = "zeek-tsv",
    [MT_FMT_ZEEK_JSON] = "zeek-json", [MT_FMT_JSONL] = "jsonl",
};

const char *mt_ingest_format_str(mt_ingest_format f)
{
    return (unsigned)f <= MT_FMT_JSONL ? format_names[f] : "unknown";
}

int mt_ingest_format_parse(const char *s)
{
    for (int i = 0; i <= MT_FMT_JSONL; i++)
        if (strcmp(s, format_names[i]) == 0) return i;
    if (strcmp(s, "zeek") == 0) return MT_FMT_AUTO; /* TSV/JSON told apart anyway */
    return -1;
}

static void on_event(void *ctx, const mt_event *ev)
{
    mt_ingest *ig = ctx;
    mt_ingest_stats *st = ig->cur;
    st->events++;
    if (ig->to.event) ig->to.event(ig->to.ctx, ev);
}

static int on_finding(void *ctx, const mt_finding *f)
{
    mt_ingest *ig = ctx;
    ig->cur->events++;
    return ig->to.finding ? ig->to.finding(ig->to.ctx, f) : MT_OK;
}

static int on_web_finding(void *ctx, const mt_web_finding *f)
{
    mt_ingest *ig = ctx;
    ig->cur->events++;
    return ig->to.web_finding(ig->to.ctx, f);
}

mt_ingest *mt_ingest_new(const mt_ingest_out *to, const mt_ingest_opts *o)
{
    mt_ingest *ig = mt_xcalloc(1, sizeof *ig);
    if (to) ig->to = *to;
    if (o) ig->opts = *o;
    if (!ig->opts.progress_out) ig->opts.progress_out = stderr;
    ig->out.event = on_event;
    ig->out.finding = on_finding;
    ig->out.web_finding = ig->to.web_finding ? on_web_finding : NULL;
    ig->out.ctx = ig;
    return ig;
}

void mt_ingest_free(mt_ingest *ig) { free(ig); }

double mt_ingest_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void mt_ingest_note_malformed_why(mt_ingest_stats *st, uint64_t lineno, const char *why)
{
    st->malformed++;
    if (st->n_malformed_lines >= MT_INGEST_MAX_LINENOS) return;
    char *w = st->malformed_why[st->n_malformed_lines];
    size_t i = 0;
    for (; why && why[i] && i + 1 < sizeof st->malformed_why[0]; i++) {
        unsigned char c = (unsigned char)why[i];
        w[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    w[i] = '\0';
    st->malformed_lines[st->n_malformed_lines++] = lineno;
}

void mt_ingest_note_malformed(mt_ingest_stats *st, uint64_t lineno)
{
    mt_ingest_note_malformed_why(st, lineno, NULL);
}

void mt_ingest_note_unknown(mt_ingest_stats *st, const char *name)
{
    st->unknown++;
    for (unsigned i = 0; i < st->n_unknown_names; i++) {
        if (strcmp(st->unknown_names[i].name, name) == 0) {
            st->unknown_names[i].n++;
            return;
        }
    }
    if (st->n_unknown_names < MT_INGEST_MAX_NAMES) {
        mt_strlcpy(st->unknown_names[st->n_unknown_names].name, name,
                   sizeof st->unknown_names[0].name);
        st->unknown_names[st->n_unknown_names++].n = 1;
    } else {
        st->unknown_unnamed++;
    }
}

void mt_ingest_progress(FILE *out, const char *path, const mt_ingest_stats *st, uint64_t bytes,
                        uint64_t raw_pos, uint64_t raw_size, double el, int final)
{
    double mb = (double)bytes / 1e6;
    char pct[16] = "";
    if (raw_size) snprintf(pct, sizeof pct, " %3.0f%%", 100.0 * (double)raw_pos / (double)raw_size);
    fprintf(out, "\r%s:%s %llu records, %.1f MB, %.1f MB/s, %.0f rec/s%s",
            path, pct, (unsigned long long)st->records, mb, el > 0 ? mb / el : 0.0,
            el > 0 ? (double)st->records / el : 0.0, final ? "\n" : "   ");
    fflush(out);
}

static void progress(mt_ingest *ig, const char *path, mt_linereader *lr, double t0, int final)
{
    mt_ingest_progress(ig->opts.progress_out, path, ig->cur, mt_lr_bytes(lr), mt_lr_raw_pos(lr),
                       mt_lr_raw_size(lr), mt_ingest_now() - t0, final);
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

static void set_format(mt_ingest_stats *st, mt_ingest_format f)
{
    const char *name = mt_ingest_format_str(f);
    if (!st->format[0]) mt_strlcpy(st->format, name, sizeof st->format);
    else if (strcmp(st->format, name) != 0) mt_strlcpy(st->format, "mixed", sizeof st->format);
}

int mt_ingest_file(mt_ingest *ig, const char *path, mt_ingest_stats *st)
{
    memset(st, 0, sizeof *st);
    ig->cur = st;
    double t0 = mt_ingest_now(), last = t0;

    mt_linereader *lr = mt_lr_open(path, ig->opts.max_line);
    if (!lr) {
        st->read_error = MT_EIO;
        mt_strlcpy(st->error, mt_error_msg(), sizeof st->error);
        mt_strlcpy(st->format, "-", sizeof st->format);
        ig->cur = NULL;
        return MT_EIO;
    }
    zeek_tsv *tsv = NULL;
    mt_json_reader *jr = NULL;
    int decided = 0;
    char unk[48];
    char *line;
    size_t len;
    int too_long, rc, clear_err = 1;
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        if (!decided) {
            if (is_blank(line, len)) continue;
            size_t i = 0;
            while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
            mt_ingest_format f = ig->opts.format;
            if (f == MT_FMT_AUTO) f = line[i] == '#' ? MT_FMT_ZEEK_TSV : MT_FMT_AUTO;
            if (f == MT_FMT_ZEEK_TSV) {
                tsv = zeek_tsv_new(path);
                mt_strlcpy(st->format, "zeek-tsv", sizeof st->format);
            } else {
                jr = mt_json_reader_new(path);
                mt_json_reader_force(jr, f);
            }
            decided = 1;
        }
        if (too_long) {
            st->records++;
            st->too_long++;
            mt_ingest_note_malformed_why(st, mt_lr_lineno(lr), "longer than --max-line");
            continue;
        }
        unk[0] = '\0';
        /* The parsers say why a line is malformed through mt_error_set();
         * an empty message before each line keeps a stale one out. Only
         * after a failed line, so good lines pay nothing. */
        if (clear_err) { mt_error_set(MT_OK, "%s", ""); clear_err = 0; }
        if (tsv) {
            rc = zeek_tsv_line(tsv, line, len, &ig->out, unk, sizeof unk);
            if (rc == 1) continue; /* header or blank */
        } else {
            if (is_blank(line, len)) continue;
            mt_ingest_format kind;
            rc = mt_json_reader_line(jr, line, len, &ig->out, unk, sizeof unk, &kind);
            if (kind != MT_FMT_AUTO) set_format(st, kind);
        }
        st->records++;
        if (rc == MT_OK) st->used++;
        else if (rc == MT_ENOTFOUND) mt_ingest_note_unknown(st, unk[0] ? unk : "unknown");
        else {
            const char *why = mt_error_msg();
            mt_ingest_note_malformed_why(st, mt_lr_lineno(lr),
                                         why && *why ? why : "not a record of this format");
        }
        if (rc != MT_OK) clear_err = 1;

        if (ig->opts.progress && (st->records & 4095) == 0) {
            double t = mt_ingest_now();
            if (t - last >= 1.0) {
                progress(ig, path, lr, t0, 0);
                last = t;
            }
        }
    }
    if (rc < 0) {
        st->read_error = rc;
        snprintf(st->error, sizeof st->error, "%s after line %llu (%s)",
                 rc == MT_ETRUNC ? "input truncated" : "read error",
                 (unsigned long long)mt_lr_lineno(lr), mt_error_msg());
    }
    st->bytes = mt_lr_bytes(lr);
    st->seconds = mt_ingest_now() - t0;
    if (!st->format[0]) mt_strlcpy(st->format, tsv ? "zeek-tsv" : "empty", sizeof st->format);
    if (ig->opts.progress && st->seconds >= 1.0) progress(ig, path, lr, t0, 1);
    zeek_tsv_free(tsv);
    mt_json_reader_free(jr);
    mt_lr_close(lr);
    ig->cur = NULL;
    return st->read_error ? st->read_error : MT_OK;
}
