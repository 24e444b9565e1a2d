/* Bounded CSV record reader (see csvread.h). */
#include "analyze/csvread.h"

#include <stdio.h>
#include <string.h>

#include "minetrace/common.h"

void mt_csvr_init(mt_csvr *r, const char *data, size_t n)
{
    r->p = data;
    r->end = data + n;
    r->record = 0;
    r->line = 0;
    r->next_line = 1;
    if (n >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        r->p += 3;
}

int mt_csvr_next(mt_csvr *r, char *buf, size_t cap, char **fields, int maxf)
{
    /* Skip blank lines. */
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        /* CRLF, LF and a lone CR each end one line. */
        if (*r->p == '\n' || r->p + 1 >= r->end || r->p[1] != '\n') r->next_line++;
        r->p++;
    }
    if (r->p >= r->end || cap == 0 || maxf <= 0) return 0;
    r->record++;
    r->line = r->next_line;
    size_t o = 0;
    int nf = 0, overflow = 0;
    int quoted = 0, field_start = 1;
    fields[nf++] = buf;
    while (r->p < r->end) {
        char c = *r->p++;
        if (c == '\n' || (c == '\r' && (r->p >= r->end || *r->p != '\n'))) r->next_line++;
        if (quoted) {
            if (c == '"') {
                if (r->p < r->end && *r->p == '"') { r->p++; }
                else { quoted = 0; continue; }
            }
        } else {
            if (c == '"' && field_start) { quoted = 1; field_start = 0; continue; }
            if (c == '\n') break;
            if (c == '\r') {
                if (r->p < r->end && *r->p == '\n') { r->p++; r->next_line++; }
                break;
            }
            if (c == ',') {
                if (o < cap) buf[o++] = '\0'; else overflow = 1;
                if (nf < maxf && !overflow) fields[nf++] = buf + o;
                else overflow = 1;
                field_start = 1;
                continue;
            }
        }
        field_start = 0;
        if (o + 1 < cap) buf[o++] = c; else overflow = 1;
    }
    if (o < cap) buf[o] = '\0'; else { buf[cap - 1] = '\0'; overflow = 1; }
    return overflow ? -1 : nf;
}

char *mt_csv_trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

void mt_csv_skip(mt_csv_skips *s, size_t line, const char *why)
{
    s->n++;
    if (s->shown >= MT_CSV_SKIP_SHOW) return;
    s->first[s->shown].line = line;
    mt_strlcpy(s->first[s->shown].why, why, sizeof s->first[0].why);
    s->shown++;
}

void mt_csv_skips_str(const mt_csv_skips *s, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < s->shown && o < cap; i++) {
        int k = snprintf(buf + o, cap - o, "%sline %zu: %s", i ? "; " : "", s->first[i].line,
                         s->first[i].why);
        if (k < 0) break;
        o += (size_t)k;
    }
    if (s->n > s->shown && o < cap)
        snprintf(buf + o, cap - o, "; and %zu more", s->n - s->shown);
}
