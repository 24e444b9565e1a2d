/* Formatting helpers shared by the renderers (see render.h). */
#include <math.h>
#include <string.h>

#include "analyze/period.h"
#include "report/render.h"

void mt_term_str(mt_buf *b, const char *s, size_t width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), cols = 0;
    size_t limit = width && mt_term_width(s, 0) > width ? width - 1 : (size_t)-1;
    while (n && cols < limit) {
        size_t k = mt_utf8_seq_len(p, n);
        if (k == 0 || (k == 1 && (*p < 0x20 || *p == 0x7f)) ||
            (k == 2 && p[0] == 0xc2 && p[1] < 0xa0)) { /* C0/C1 controls, bad UTF-8 */
            mt_buf_putc(b, '?');
            k = k ? k : 1;
        } else {
            mt_buf_put(b, p, k);
        }
        p += k;
        n -= k;
        cols++;
    }
    if (n) mt_buf_putc(b, '~');
}

size_t mt_term_width(const char *s, size_t width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), cols = 0;
    while (n && (!width || cols < width)) {
        size_t k = mt_utf8_seq_len(p, n);
        if (!k) k = 1;
        p += k;
        n -= k;
        cols++;
    }
    return cols;
}

void mt_fmt_day(int64_t day, char *buf, size_t cap)
{
    int y, m, d;
    mt_civil_from_days(day, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

void mt_json_double(mt_buf *b, double v)
{
    if (!isfinite(v)) mt_buf_puts(b, "null");
    else mt_buf_printf(b, "%.6g", v);
}

void mt_fmt_pct(char *buf, size_t cap, uint64_t part, uint64_t whole)
{
    if (!whole) snprintf(buf, cap, "-");
    else snprintf(buf, cap, "%.1f%%", 100.0 * (double)part / (double)whole);
}

void mt_fmt_count(char *buf, size_t cap, uint64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < cap; i++) {
        if (i && (n - i) % 3 == 0 && o + 2 < cap) buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o < cap ? o : cap - 1] = '\0';
}

void mt_rcell_display(const mt_rcol *c, const mt_rcell *v, char *buf, size_t cap)
{
    if (v->null) {
        snprintf(buf, cap, "-");
        return;
    }
    switch (c->type) {
    case MT_RT_TEXT: snprintf(buf, cap, "%s", v->v.s); break;
    case MT_RT_COUNT: mt_fmt_count(buf, cap, v->v.u); break;
    case MT_RT_INT:
        snprintf(buf, cap, (c->flags & MT_RCF_SIGN) ? "%+lld" : "%lld", (long long)v->v.i);
        break;
    case MT_RT_SHARE:
        if (isfinite(v->v.d)) snprintf(buf, cap, "%.1f%%", v->v.d * 100.0);
        else snprintf(buf, cap, "-");
        break;
    case MT_RT_FLOAT:
        if (!isfinite(v->v.d)) snprintf(buf, cap, "-");
        else snprintf(buf, cap, (c->flags & MT_RCF_G) ? "%.*g" : "%.*f", c->digits, v->v.d);
        break;
    case MT_RT_DATE: mt_fmt_day(v->v.i, buf, cap); break;
    case MT_RT_MS: snprintf(buf, cap, "%.1f", v->v.d); break;
    case MT_RT_BOOL: snprintf(buf, cap, "%s", v->v.i ? "yes" : "no"); break;
    }
}

int mt_rcell_plain(const mt_rcol *c, const mt_rcell *v, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (v->null) return 0;
    switch (c->type) {
    case MT_RT_TEXT: snprintf(buf, cap, "%s", v->v.s); break;
    case MT_RT_COUNT: snprintf(buf, cap, "%llu", (unsigned long long)v->v.u); break;
    case MT_RT_INT: snprintf(buf, cap, "%lld", (long long)v->v.i); break;
    case MT_RT_SHARE:
    case MT_RT_FLOAT:
        if (!isfinite(v->v.d)) return 0;
        snprintf(buf, cap, "%.6g", v->v.d);
        break;
    case MT_RT_DATE: mt_fmt_day(v->v.i, buf, cap); break;
    case MT_RT_MS: snprintf(buf, cap, "%.1f", v->v.d); break;
    case MT_RT_BOOL: snprintf(buf, cap, "%s", v->v.i ? "true" : "false"); break;
    }
    return 1;
}
