/* Fuzz target for report/export: attacker-controlled pool names and
 * addresses (any bytes; lines of the input, each line's first byte picks
 * pool, address or port) through the gate and every writer. Checks what
 * the formats rely on: every output line is a comment, a header or one
 * record of the format's grammar, and no value that the gate refused
 * appears in any output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/export.h"

static int starts(const char *l, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(l, p, k) == 0;
}

/* Each line of out is of one of the shapes the writer makes. */
static void check_lines(int format, const char *out, size_t len)
{
    const char *l = out, *end = out + len;
    while (l < end) {
        const char *e = memchr(l, '\n', (size_t)(end - l));
        if (!e) abort(); /* every line ends with a newline */
        size_t n = (size_t)(e - l);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)l[i];
            if (c == '\r' || c == 0 || c >= 0x7f) abort();
            if (c < 0x20 && !(c == '\t' && format == MT_EXPORT_ZEEK)) abort();
        }
        switch (format) {
        case MT_EXPORT_SURICATA:
            if (!(starts(l, n, "#") || (starts(l, n, "alert ") && l[n - 1] == ')'))) abort();
            break;
        case MT_EXPORT_ZEEK: {
            size_t tabs = 0;
            for (size_t i = 0; i < n; i++) tabs += l[i] == '\t';
            if (tabs != (starts(l, n, "#fields") ? 4u : 3u)) abort();
            break;
        }
        case MT_EXPORT_RPZ:
            if (!(starts(l, n, ";") || starts(l, n, "$") || starts(l, n, "@ IN ") ||
                  (n > 8 && memcmp(l + n - 8, " CNAME .", 8) == 0 && memchr(l, ' ', n) == l + n - 8)))
                abort();
            break;
        case MT_EXPORT_HOSTS:
            if (!(starts(l, n, "#") || (starts(l, n, "0.0.0.0 ") && !memchr(l + 8, ' ', n - 8)))) abort();
            break;
        default: break; /* CSV: quoting is util/buf's, fuzzed with it */
        }
        l = e + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_store_indicators x = {0};
    x.v = calloc(size + 1, sizeof *x.v);
    if (!x.v) return 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (e > p) {
            mt_store_indicator *r = &x.v[x.n++];
            r->type = (mt_store_ind_type)(1 + ((unsigned char)*p + 2) % 3); /* 1 pool, 2 address, 3 port */
            r->value = strndup(p + 1, (size_t)(e - p - 1));
            r->findings = 1;
            r->first_seen = 1517306400000000LL;
            r->last_seen = r->first_seen + (e - p);
        }
        p = e + 1;
    }
    mt_export_set set;
    mt_export_set_init(&set);
    mt_export_add_findings(&set, &x);
    mt_export_sort(&set);
    for (size_t i = 0; i < set.n; i++) {
        char out[256];
        if (set.v[i].type == MT_EXP_DOMAIN &&
            (!mt_export_hostname(set.v[i].value, strlen(set.v[i].value), out, sizeof out) ||
             strcmp(out, set.v[i].value) != 0))
            abort();
    }
    mt_export_opts o = {.sid_base = 1000000, .zone = "rpz.fuzz", .serial = 1};
    for (int f = MT_EXPORT_SURICATA; f <= MT_EXPORT_CSV; f++) {
        mt_buf b;
        mt_buf_init(&b);
        size_t w;
        o.format = f;
        if (mt_export_write(&set, &o, &b, &w) != MT_OK) abort();
        check_lines(f, b.p ? b.p : "", b.len);
        mt_buf_free(&b);
    }
    mt_export_set_free(&set);
    mt_store_indicators_free(&x);
    return 0;
}
