/* The shared body of the line-reader fuzz targets (fuzz_login_csv.c,
 * fuzz_authlog.c): the probe on the whole input, then every line through
 * begin/line/end, each line in its own exact-size buffer as the line reader
 * delivers it. The sink checks that every span of every event lies inside
 * the line it came from (or, for a session, inside the reader's state),
 * that counts are at least 1, and reads every byte a span claims. */
#ifndef MT_FUZZ_HONEY_LINES_H
#define MT_FUZZ_HONEY_LINES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/honey_reader.h"

typedef struct fz_line {
    const char *p;
    size_t n;
    unsigned sum;
} fz_line;

static void fz_span(fz_line *l, mt_span s, int may_be_elsewhere)
{
    if (!s.p) {
        if (s.n) abort();
        return;
    }
    if (!may_be_elsewhere && (s.p < l->p || s.p + s.n > l->p + l->n)) abort();
    for (size_t i = 0; i < s.n; i++) l->sum += (unsigned char)s.p[i];
}

static void fz_event(void *ctx, const mt_honey_event *ev)
{
    fz_line *l = ctx;
    if (ev->count < 1 || ev->type < MT_HE_CONNECT || ev->type > MT_HE_PARAMS) abort();
    if (ev->src.family != 4 && ev->src.family != 6) abort();
    fz_span(l, ev->session, 1);
    fz_span(l, ev->sensor, 0);
    fz_span(l, ev->user, 0);
    fz_span(l, ev->pass, 0);
    fz_span(l, ev->text, 0);
    fz_span(l, ev->key, 0);
}

static void fz_run(const mt_honey_reader *r, const mt_honey_opts *o, const uint8_t *data,
                   size_t size)
{
    int score = r->probe((const char *)data, size);
    if (score < 0 || score > 100) abort();
    void *st = r->begin("fuzz-input", o);
    if (!st) abort();
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        char *line = malloc(len ? len : 1);
        memcpy(line, p, len);
        fz_line l = {line, len, 0};
        mt_honey_sink to = {fz_event, &l};
        char unk[48];
        unk[0] = '\0';
        int rc = r->line(st, line, len, &to, unk, sizeof unk);
        if (rc != MT_OK && rc != MT_EINVAL && rc != MT_ENOTFOUND) abort();
        if (rc == MT_ENOTFOUND && strnlen(unk, sizeof unk) == sizeof unk) abort();
        free(line);
        p += len + (e ? 1 : 0);
    }
    r->end(st);
}

#endif
