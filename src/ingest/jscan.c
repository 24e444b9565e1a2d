/* The flat JSON tokenizer (see jscan.h). One pass, an explicit stack of
 * open containers (no recursion), strict grammar: strings with valid
 * escapes and no raw control characters, RFC 8259 numbers, literals,
 * nothing after the top-level value but whitespace. Invalid UTF-8 inside
 * strings is allowed through (strings are stored raw and escaped by the
 * sinks), as is "\u0000" (decoded to U+FFFD so C strings stay whole). */
#include "ingest/jscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void js_init(js_doc *d)
{
    d->buf = NULL;
    d->cap = 0;
    d->n = 0;
    d->err[0] = '\0';
}

void js_free(js_doc *d)
{
    free(d->buf);
    js_init(d);
}

static int fail(js_doc *d, const char *what, size_t at)
{
    snprintf(d->err, sizeof d->err, "%s at byte %zu", what, at);
    return MT_EINVAL;
}

static int add(js_doc *d, int type, size_t start, size_t len)
{
    if (d->n >= JS_MAX_TOKENS) return -1;
    js_tok *t = &d->tok[d->n];
    t->type = (uint8_t)type;
    t->decoded = t->escaped = 0;
    t->start = (uint32_t)start;
    t->len = (uint32_t)len;
    t->next = (uint32_t)d->n + 1;
    t->count = 0;
    return d->n++;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    return v;
}

int js_parse(js_doc *d, const char *s, size_t n)
{
    d->n = 0;
    d->err[0] = '\0';
    if (n >= UINT32_MAX - 1) return fail(d, "line too long", 0);
    if (d->cap < n + 1) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < n + 1) cap *= 2;
        free(d->buf);
        d->buf = mt_xmalloc(cap);
        d->cap = cap;
    }
    memcpy(d->buf, s, n);
    d->buf[n] = '\0';
    const char *b = d->buf;
    int stack[JS_MAX_DEPTH];
    int depth = 0;
    /* What the grammar expects next. */
    enum { VALUE, KEY_OR_END, KEY, COLON, COMMA_OR_END, VALUE_OR_END, DONE } want = VALUE;
    size_t i = 0;
    while (i < n) {
        char c = b[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { i++; continue; }
        if (want == DONE) return fail(d, "text after the value", i);
        if (want == COLON) {
            if (c != ':') return fail(d, "expected ':'", i);
            want = VALUE;
            i++;
            continue;
        }
        if (want == COMMA_OR_END || want == KEY_OR_END || want == VALUE_OR_END) {
            if (depth == 0) return fail(d, "internal state", i);
            int top = stack[depth - 1];
            char close = d->tok[top].type == JS_OBJECT ? '}' : ']';
            if (c == close) {
                d->tok[top].next = (uint32_t)d->n;
                depth--;
                want = depth ? COMMA_OR_END : DONE;
                i++;
                continue;
            }
            if (want == COMMA_OR_END) {
                if (c != ',') return fail(d, "expected ',' or end", i);
                want = close == '}' ? KEY : VALUE;
                i++;
                continue;
            }
            want = want == KEY_OR_END ? KEY : VALUE;
        }
        if (want == KEY && c != '"') return fail(d, "expected a key", i);
        /* A value (or a key, which is a string). */
        int parent = depth ? stack[depth - 1] : -1;
        int t;
        if (c == '{' || c == '[') {
            if (depth == JS_MAX_DEPTH) return fail(d, "nested too deep", i);
            if ((t = add(d, c == '{' ? JS_OBJECT : JS_ARRAY, i, 1)) < 0)
                return fail(d, "too many tokens", i);
            if (parent >= 0 && d->tok[parent].type == JS_ARRAY) d->tok[parent].count++;
            stack[depth++] = t;
            want = c == '{' ? KEY_OR_END : VALUE_OR_END;
            i++;
            continue;
        }
        if (c == '"') {
            size_t st = ++i;
            int esc = 0;
            while (i < n && b[i] != '"') {
                unsigned char u = (unsigned char)b[i];
                if (u < 0x20) return fail(d, "control character in string", i);
                if (u == '\\') {
                    esc = 1;
                    if (i + 1 >= n) return fail(d, "bad escape", i);
                    char e = b[i + 1];
                    if (e == 'u') {
                        if (i + 5 >= n || hex4(b + i + 2) < 0) return fail(d, "bad \\u escape", i);
                        i += 6;
                        continue;
                    }
                    if (!strchr("\"\\/bfnrt", e) || e == '\0') return fail(d, "bad escape", i);
                    i += 2;
                    continue;
                }
                i++;
            }
            if (i >= n) return fail(d, "unterminated string", st);
            if ((t = add(d, JS_STRING, st, i - st)) < 0) return fail(d, "too many tokens", st);
            d->tok[t].escaped = (uint8_t)esc;
            i++; /* closing quote */
            if (want == KEY) {
                if (parent >= 0) d->tok[parent].count++;
                want = COLON;
                continue;
            }
            if (parent >= 0 && d->tok[parent].type == JS_ARRAY) d->tok[parent].count++;
            want = depth ? COMMA_OR_END : DONE;
            continue;
        }
        size_t st = i;
        int type;
        if (c == '-' || (c >= '0' && c <= '9')) {
            if (b[i] == '-') i++;
            if (i >= n || !(b[i] >= '0' && b[i] <= '9')) return fail(d, "bad number", st);
            if (b[i] == '0') i++;
            else while (i < n && b[i] >= '0' && b[i] <= '9') i++;
            if (i < n && b[i] == '.') {
                i++;
                if (i >= n || !(b[i] >= '0' && b[i] <= '9')) return fail(d, "bad number", st);
                while (i < n && b[i] >= '0' && b[i] <= '9') i++;
            }
            if (i < n && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < n && (b[i] == '+' || b[i] == '-')) i++;
                if (i >= n || !(b[i] >= '0' && b[i] <= '9')) return fail(d, "bad number", st);
                while (i < n && b[i] >= '0' && b[i] <= '9') i++;
            }
            type = JS_NUMBER;
        } else if (n - i >= 4 && memcmp(b + i, "true", 4) == 0) {
            i += 4;
            type = JS_TRUE;
        } else if (n - i >= 5 && memcmp(b + i, "false", 5) == 0) {
            i += 5;
            type = JS_FALSE;
        } else if (n - i >= 4 && memcmp(b + i, "null", 4) == 0) {
            i += 4;
            type = JS_NULL;
        } else {
            return fail(d, "unexpected character", i);
        }
        if ((t = add(d, type, st, i - st)) < 0) return fail(d, "too many tokens", st);
        if (parent >= 0 && d->tok[parent].type == JS_ARRAY) d->tok[parent].count++;
        want = depth ? COMMA_OR_END : DONE;
    }
    if (want != DONE) return fail(d, d->n ? "unexpected end" : "empty", n);
    return MT_OK;
}

int js_type(const js_doc *d, int t) { return t >= 0 && t < d->n ? d->tok[t].type : 0; }

int js_get(js_doc *d, int obj, const char *key)
{
    if (js_type(d, obj) != JS_OBJECT) return -1;
    size_t kl = strlen(key);
    for (int k = js_first(d, obj); k >= 0; k = js_next(d, obj, k)) {
        const js_tok *t = &d->tok[k];
        /* Keys are compared as written; EVE and Zeek keys have no escapes.
         * A key decoded earlier compares by its decoded text. */
        if (t->decoded ? strcmp(d->buf + t->start, key) == 0
                       : (t->len == kl && memcmp(d->buf + t->start, key, kl) == 0))
            return k + 1;
    }
    return -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

const char *js_str(js_doc *d, int t)
{
    if (js_type(d, t) != JS_STRING) return NULL;
    js_tok *k = &d->tok[t];
    char *s = d->buf + k->start;
    if (k->decoded) return s;
    k->decoded = 1;
    if (!k->escaped) {
        s[k->len] = '\0'; /* the closing quote */
        return s;
    }
    /* Decoding only shrinks (a \u sequence = 6 bytes -> at most 3; a surrogate
     * pair = 12 bytes -> 4), so it is done in place. */
    size_t r = 0, w = 0, n = k->len;
    while (r < n) {
        char c = s[r];
        if (c != '\\') { s[w++] = c; r++; continue; }
        char e = s[r + 1];
        r += 2;
        switch (e) {
        case 'b': s[w++] = '\b'; break;
        case 'f': s[w++] = '\f'; break;
        case 'n': s[w++] = '\n'; break;
        case 'r': s[w++] = '\r'; break;
        case 't': s[w++] = '\t'; break;
        case 'u': {
            unsigned cp = (unsigned)hex4(s + r);
            r += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && r + 6 <= n && s[r] == '\\' && s[r + 1] == 'u') {
                int lo = hex4(s + r + 2);
                if (lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned)lo - 0xdc00);
                    r += 6;
                }
            }
            if (cp == 0 || (cp >= 0xd800 && cp < 0xe000)) cp = 0xfffd;
            w += put_utf8(s + w, cp);
            break;
        }
        default: s[w++] = e; break; /* " \ / */
        }
    }
    s[w] = '\0';
    return s;
}

const char *js_gstr(js_doc *d, int obj, const char *key) { return js_str(d, js_get(d, obj, key)); }

const char *js_raw(const js_doc *d, int t, size_t *len)
{
    if (t < 0 || t >= d->n) { *len = 0; return ""; }
    *len = d->tok[t].len;
    return d->buf + d->tok[t].start;
}

int js_f64(js_doc *d, int t, double *out)
{
    if (js_type(d, t) != JS_NUMBER) return 0;
    char tmp[64];
    size_t n = d->tok[t].len;
    if (n >= sizeof tmp) n = sizeof tmp - 1;
    memcpy(tmp, d->buf + d->tok[t].start, n);
    tmp[n] = '\0';
    *out = strtod(tmp, NULL);
    return 1;
}

int js_i64(js_doc *d, int t, int64_t *out)
{
    if (js_type(d, t) != JS_NUMBER) return 0;
    const char *p = d->buf + d->tok[t].start;
    size_t n = d->tok[t].len, i = 0;
    int neg = 0;
    if (p[0] == '-') { neg = 1; i = 1; }
    uint64_t v = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        unsigned dg = (unsigned)(p[i] - '0');
        if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && dg > UINT64_MAX % 10)) return 0;
        v = v * 10 + dg;
    }
    if (i < n && memchr(p + i, 'e', n - i) == NULL && memchr(p + i, 'E', n - i) == NULL) {
        /* a fraction only: truncated */
    } else if (i < n) {
        double dv;
        if (!js_f64(d, t, &dv) || dv > 9.2e18 || dv < -9.2e18) return 0;
        *out = (int64_t)dv;
        return 1;
    }
    if (v > (uint64_t)INT64_MAX) return 0;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

int js_u64(js_doc *d, int t, uint64_t *out)
{
    if (js_type(d, t) != JS_NUMBER) return 0;
    const char *p = d->buf + d->tok[t].start;
    size_t n = d->tok[t].len, i = 0;
    if (p[0] == '-') return 0;
    uint64_t v = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        unsigned dg = (unsigned)(p[i] - '0');
        if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && dg > UINT64_MAX % 10)) return 0;
        v = v * 10 + dg;
    }
    if (i < n && memchr(p + i, 'e', n - i) == NULL && memchr(p + i, 'E', n - i) == NULL) {
        /* a fraction only: truncated */
    } else if (i < n) {
        double dv;
        if (!js_f64(d, t, &dv) || dv < 0 || dv >= 1.8e19) return 0;
        v = (uint64_t)dv;
    }
    *out = v;
    return 1;
}

uint64_t js_gu64(js_doc *d, int obj, const char *key)
{
    uint64_t v = 0;
    return js_u64(d, js_get(d, obj, key), &v) ? v : 0;
}
