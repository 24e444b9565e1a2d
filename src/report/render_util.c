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

void mt_range_label(int i, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d-%d", i * 1000, i == 65 ? 65535 : i * 1000 + 999);
}

void mt_report_days(const mt_report *r, char *from, char *to, size_t cap)
{
    mt_tz tz;
    if (mt_tz_parse(r->tz, &tz) != MT_OK) mt_tz_parse("UTC", &tz);
    int64_t f = mt_floor_div(mt_tz_local(&tz, mt_floor_div(r->from, 1000000)), 86400);
    int64_t t = r->to > r->from ? mt_floor_div(mt_tz_local(&tz, mt_floor_div(r->to - 1, 1000000)), 86400) : f;
    mt_fmt_day(f, from, cap);
    mt_fmt_day(t, to, cap);
}
