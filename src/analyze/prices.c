/* Price series CSV reader and monthly means (see prices.h). */
#include "analyze/prices.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/csvread.h"
#include "analyze/period.h"
#include "minetrace/common.h"

#define MAXF 64
#define RECCAP 8192

int mt_read_file(const char *path, size_t max, char **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return mt_error_set(MT_EIO, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 65536, len = 0;
    char *p = mt_xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap >= max) {
                free(p);
                fclose(f);
                return mt_error_set(MT_EINVAL, "%s is larger than %zu bytes", path, max);
            }
            cap = cap * 2 > max ? max : cap * 2;
            p = mt_xrealloc(p, cap);
        }
        size_t got = fread(p + len, 1, cap - len, f);
        if (got == 0) break;
        len += got;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(p);
        return mt_error_set(MT_EIO, "cannot read %s", path);
    }
    *data = p;
    *n = len;
    return MT_OK;
}

/* Date prefix to (year, month, day); day 0 for a "YYYY-MM" month. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    while (*s == ' ') s++;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    char sep = s[4];
    if (sep != '-' && sep != '/') return 0;
    if (!isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[6])) return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    if (*m < 1 || *m > 12) return 0;
    const char *p = s + 7;
    *d = 0;
    if (*p == sep) {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return 0;
        *d = (p[1] - '0') * 10 + (p[2] - '0');
        if (*d < 1 || *d > 31) return 0;
        int cy, cm, cd;
        mt_civil_from_days(mt_days_from_civil(*y, (unsigned)*m, (unsigned)*d), &cy, &cm, &cd);
        if (cd != *d) return 0;
        p += 3;
    }
    return *p == '\0' || *p == ' ' || *p == 'T';
}

static int is_null_word(const char *s)
{
    return !*s || strcasecmp(s, "null") == 0 || strcasecmp(s, "nan") == 0 ||
           strcasecmp(s, "na") == 0 || strcasecmp(s, "n/a") == 0 || strcmp(s, "-") == 0 ||
           strcasecmp(s, "none") == 0;
}

static int is_number_str(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

/* Column index for a selector (name or 1-based number) in a header. */
static int pick_col(const char *sel, char **hdr, int nh, int *col)
{
    if (is_number_str(sel)) {
        long v = strtol(sel, NULL, 10);
        if (v < 1 || v > MAXF) return 0;
        *col = (int)v - 1;
        return 1;
    }
    for (int i = 0; hdr && i < nh; i++)
        if (strcasecmp(mt_csv_trim(hdr[i]), sel) == 0) { *col = i; return 1; }
    return 0;
}

static int find_substr_col(char **hdr, int nh, const char *sub)
{
    for (int i = 0; i < nh; i++)
        if (strcasestr(hdr[i], sub)) return i;
    return -1;
}

typedef struct { int64_t month, day; size_t line; double v; } mpoint;

/* By day, then by line, so the first row of a repeated date comes first. */
static int cmp_mpoint(const void *a, const void *b)
{
    const mpoint *x = a, *y = b;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

int mt_prices_parse(const char *data, size_t n, const mt_price_opts *o, mt_price_series *out)
{
    char name[128];
    mt_strlcpy(name, out->name, sizeof name);
    memset(out, 0, sizeof *out);
    mt_strlcpy(out->name, name, sizeof out->name);
    mt_price_opts dflt = {NULL, NULL};
    if (!o) o = &dflt;

    mt_csvr r;
    mt_csvr_init(&r, data, n);
    char *buf = mt_xmalloc(RECCAP);
    char *f[MAXF];
    int dcol = 0, pcol = 1;
    int nf;
    /* First record: header or data? */
    while ((nf = mt_csvr_next(&r, buf, RECCAP, f, MAXF)) < 0) {
        out->bad++;
        mt_csv_skip(&out->skipped, r.line, "row too long or too many fields");
    }
    if (nf == 0) {
        free(buf);
        return mt_error_set(MT_EINVAL, "price series is empty");
    }
    int y, m, d;
    int first_is_header = 0;
    {
        int probe = 0;
        if (o->date_col && is_number_str(o->date_col)) pick_col(o->date_col, NULL, 0, &probe);
        first_is_header = !(probe < nf && parse_date(f[probe], &y, &m, &d));
    }
    if (first_is_header) {
        out->has_header = 1;
        if (o->date_col) {
            if (!pick_col(o->date_col, f, nf, &dcol)) goto nocol_date;
        } else {
            int c = -1;
            if (!pick_col("date", f, nf, &c)) c = find_substr_col(f, nf, "date");
            if (c < 0) c = find_substr_col(f, nf, "time");
            dcol = c >= 0 ? c : 0;
        }
        if (o->price_col) {
            if (!pick_col(o->price_col, f, nf, &pcol)) goto nocol_price;
        } else {
            int c = -1;
            if (!pick_col("price", f, nf, &c)) c = find_substr_col(f, nf, "price");
            if (c < 0 && !pick_col("close", f, nf, &c)) c = -1;
            pcol = c >= 0 ? c : 1;
        }
        mt_strlcpy(out->date_col, dcol < nf ? f[dcol] : "?", sizeof out->date_col);
        mt_strlcpy(out->price_col, pcol < nf ? f[pcol] : "?", sizeof out->price_col);
    } else {
        if (o->date_col && !pick_col(o->date_col, NULL, 0, &dcol)) goto nocol_date;
        if (o->price_col && !pick_col(o->price_col, NULL, 0, &pcol)) goto nocol_price;
        snprintf(out->date_col, sizeof out->date_col, "column %d", dcol + 1);
        snprintf(out->price_col, sizeof out->price_col, "column %d", pcol + 1);
    }

    size_t cap = 1024, np = 0;
    mpoint *pts = mt_xmalloc(cap * sizeof *pts);
    int64_t dmin = INT64_MAX, dmax = INT64_MIN;
    int have = !first_is_header;
    for (;;) {
        if (!have) {
            nf = mt_csvr_next(&r, buf, RECCAP, f, MAXF);
            if (nf == 0) break;
            if (nf < 0) {
                out->rows++;
                out->bad++;
                mt_csv_skip(&out->skipped, r.line, "row too long or too many fields");
                continue;
            }
        }
        have = 0;
        out->rows++;
        if (dcol >= nf || pcol >= nf) {
            out->bad++;
            mt_csv_skip(&out->skipped, r.line, dcol >= nf ? "no date column" : "no price column");
            continue;
        }
        if (!parse_date(f[dcol], &y, &m, &d)) {
            out->bad++;
            mt_csv_skip(&out->skipped, r.line, "date is not a date");
            continue;
        }
        char *ps = mt_csv_trim(f[pcol]);
        if (is_null_word(ps)) { out->nulls++; continue; }
        char *end;
        errno = 0;
        double v = strtod(ps, &end);
        if (end == ps || *end || errno == ERANGE || !isfinite(v) || v < 0) {
            out->bad++;
            mt_csv_skip(&out->skipped, r.line,
                        end == ps || *end ? "price is not a number" : "price out of range");
            continue;
        }
        if (np == cap) {
            cap *= 2;
            pts = mt_xrealloc(pts, cap * sizeof *pts);
        }
        int64_t key = mt_days_from_civil(y, (unsigned)m, (unsigned)(d ? d : 1));
        pts[np].month = (int64_t)y * 12 + (m - 1);
        pts[np].day = key;
        pts[np].line = r.line;
        pts[np].v = v;
        np++;
        if (key < dmin) { dmin = key; }
        if (key > dmax) { dmax = key; }
    }
    free(buf);
    out->used = np;
    if (np == 0) {
        free(pts);
        return mt_error_set(MT_EINVAL, "price series has no usable rows (%zu rows, %zu null, %zu bad)",
                            out->rows, out->nulls, out->bad);
    }
    int cy, cm, cd;
    mt_civil_from_days(dmin, &cy, &cm, &cd);
    snprintf(out->first_date, sizeof out->first_date, "%04d-%02d-%02d", cy, cm, cd);
    mt_civil_from_days(dmax, &cy, &cm, &cd);
    snprintf(out->last_date, sizeof out->last_date, "%04d-%02d-%02d", cy, cm, cd);
    qsort(pts, np, sizeof *pts, cmp_mpoint);
    /* A repeated date keeps its first row (in file order). */
    size_t kept = 0;
    for (size_t i = 0; i < np; i++) {
        if (kept && pts[kept - 1].day == pts[i].day) {
            char why[64];
            mt_civil_from_days(pts[i].day, &cy, &cm, &cd);
            snprintf(why, sizeof why, "date %04d-%02d-%02d already on line %zu", cy, cm, cd,
                     pts[kept - 1].line);
            mt_csv_skip(&out->dup_dates, pts[i].line, why);
            continue;
        }
        pts[kept++] = pts[i];
    }
    np = kept;
    out->used = np;
    out->month = mt_xmalloc(np * sizeof *out->month);
    out->mean = mt_xmalloc(np * sizeof *out->mean);
    out->days = mt_xmalloc(np * sizeof *out->days);
    for (size_t i = 0; i < np;) {
        size_t j = i;
        double sum = 0;
        while (j < np && pts[j].month == pts[i].month) sum += pts[j++].v;
        out->month[out->nmonths] = pts[i].month;
        out->mean[out->nmonths] = sum / (double)(j - i);
        out->days[out->nmonths] = (uint32_t)(j - i);
        out->nmonths++;
        i = j;
    }
    free(pts);
    return MT_OK;
nocol_date:
    free(buf);
    return mt_error_set(MT_EINVAL, "price series has no date column '%s'", o->date_col);
nocol_price:
    free(buf);
    return mt_error_set(MT_EINVAL, "price series has no price column '%s'", o->price_col);
}

int mt_prices_load(const char *path, const mt_price_opts *o, mt_price_series *out)
{
    char *data;
    size_t n;
    int rc = mt_read_file(path, (size_t)512 << 20, &data, &n);
    if (rc) return rc;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    mt_strlcpy(out->name, base, sizeof out->name);
    char *dot = strrchr(out->name, '.');
    if (dot && dot != out->name) *dot = '\0';
    rc = mt_prices_parse(data, n, o, out);
    free(data);
    if (rc) return mt_error_context(rc, path);
    return MT_OK;
}

void mt_prices_free(mt_price_series *s)
{
    free(s->month);
    free(s->mean);
    free(s->days);
    s->month = NULL;
    s->mean = NULL;
    s->days = NULL;
    s->nmonths = 0;
}

int mt_prices_month(const mt_price_series *s, int64_t month, double *v)
{
    size_t lo = 0, hi = s->nmonths;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->month[mid] < month) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->nmonths && s->month[lo] == month) {
        *v = s->mean[lo];
        return 1;
    }
    return 0;
}
