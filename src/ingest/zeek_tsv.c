/* Zeek's TSV log format: a header of '#' directives (#separator,
 * #set_separator, #empty_field, #unset_field, #path, #fields, #types,
 * #open/#close), then one record per line. Columns are found by name from
 * #fields, so extra columns (_node_name from zeekctl clusters, label and
 * detailedlabel in labelled datasets) and version differences in column
 * order do not matter. A record whose column count differs from #fields is
 * malformed. Values use \xHH escapes for bytes that would clash with the
 * format; they are decoded in place. A new header (concatenated logs)
 * replaces the old one. */
#include "ingest/zeek.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TSV_MAX_COLS 512

struct zeek_tsv {
    char sep;
    char set_sep;
    char unset[32];
    char empty[32];
    char path[64];
    char path_hint[64];
    zeek_log kind;
    int have_fields;
    unsigned ncols;
    short col_field[TSV_MAX_COLS]; /* column -> zeek_field, -1 unused */
    zeek_rec rec;
};

zeek_tsv *zeek_tsv_new(const char *path_hint)
{
    zeek_tsv *t = mt_xcalloc(1, sizeof *t);
    t->sep = '\t';
    t->set_sep = ',';
    mt_strlcpy(t->unset, "-", sizeof t->unset);
    mt_strlcpy(t->empty, "(empty)", sizeof t->empty);
    zeek_path_from_filename(path_hint, t->path_hint, sizeof t->path_hint);
    mt_strlcpy(t->path, t->path_hint, sizeof t->path);
    t->kind = zeek_log_by_path(t->path);
    return t;
}

void zeek_tsv_free(zeek_tsv *t) { free(t); }
const char *zeek_tsv_path(const zeek_tsv *t) { return t->path; }

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decode \xHH in place; returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
            hexval((unsigned char)s[i + 2]) >= 0 && hexval((unsigned char)s[i + 3]) >= 0) {
            s[o++] = (char)(hexval((unsigned char)s[i + 2]) * 16 + hexval((unsigned char)s[i + 3]));
            i += 3;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

/* The value after a directive name: "#path\tconn" -> "conn". The
 * #separator line itself is space-separated ("#separator \x09"). */
static char *directive_value(char *line, size_t name_len, char sep)
{
    char *v = line + name_len;
    if (*v != '\0' && (*v == sep || *v == ' ' || *v == '\t')) return v + 1;
    return NULL;
}

static void set_fields(zeek_tsv *t, char *v)
{
    t->ncols = 0;
    t->have_fields = 1;
    char *p = v;
    for (;;) {
        char *e = strchr(p, t->sep);
        if (e) *e = '\0';
        if (t->ncols < TSV_MAX_COLS)
            t->col_field[t->ncols] = (short)zeek_field_by_name(p);
        t->ncols++;
        if (!e) break;
        p = e + 1;
    }
    if (t->ncols > TSV_MAX_COLS) t->have_fields = 0; /* refuse silly headers */
}

static void directive(zeek_tsv *t, char *line)
{
    char *v;
    if (strncmp(line, "#separator", 10) == 0 && (v = directive_value(line, 10, ' '))) {
        size_t n = unescape(v, strlen(v));
        if (n >= 1 && v[0] != '\0' && v[0] != '#') t->sep = v[0];
    } else if (strncmp(line, "#set_separator", 14) == 0 && (v = directive_value(line, 14, t->sep))) {
        size_t n = unescape(v, strlen(v));
        if (n >= 1 && v[0] != '\0') t->set_sep = v[0];
    } else if (strncmp(line, "#empty_field", 12) == 0 && (v = directive_value(line, 12, t->sep))) {
        mt_strlcpy(t->empty, v, sizeof t->empty);
    } else if (strncmp(line, "#unset_field", 12) == 0 && (v = directive_value(line, 12, t->sep))) {
        mt_strlcpy(t->unset, v, sizeof t->unset);
    } else if (strncmp(line, "#path", 5) == 0 && (v = directive_value(line, 5, t->sep))) {
        mt_strlcpy(t->path, v, sizeof t->path);
        t->kind = zeek_log_by_path(t->path);
    } else if (strncmp(line, "#fields", 7) == 0 && (v = directive_value(line, 7, t->sep))) {
        set_fields(t, v);
    }
    /* #types, #open, #close and comments carry nothing we need. */
}

int zeek_tsv_line(zeek_tsv *t, char *line, size_t len, const mt_ingest_out *out,
                  char *unk, size_t unk_cap)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i == len) return 1; /* blank */
    if (line[i] == '#') {
        directive(t, line + i);
        return 1;
    }
    if (!t->have_fields)
        return mt_error_set(MT_EINVAL, "record before a #fields header");
    zeek_rec *r = &t->rec;
    memset(r->v, 0, sizeof r->v);
    r->set_sep = t->set_sep;
    r->used = 0;
    unsigned col = 0;
    char *p = line, *end = line + len;
    for (;;) {
        char *e = memchr(p, t->sep, (size_t)(end - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
        if (col < t->ncols) {
            int f = t->col_field[col];
            if (f >= 0) {
                p[n] = '\0';
                if (strcmp(p, t->unset) == 0) {
                    r->v[f] = NULL;
                } else if (strcmp(p, t->empty) == 0) {
                    r->v[f] = "";
                } else {
                    if (memchr(p, '\\', n)) unescape(p, n);
                    r->v[f] = p;
                }
            }
        }
        col++;
        if (!e) break;
        p = e + 1;
    }
    if (col != t->ncols)
        return mt_error_set(MT_EINVAL, "%u columns, #fields has %u", col, t->ncols);
    if (t->kind == ZL_UNKNOWN) {
        snprintf(unk, unk_cap, "zeek:%s", t->path[0] ? t->path : "unknown-log");
        return MT_ENOTFOUND;
    }
    return zeek_emit(t->kind, r, out);
}
