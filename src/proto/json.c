/* Bounded JSON value reader (see json.h). One validating pass with an
 * explicit nesting stack; afterwards views are walked again on demand, each
 * walk bounded by the view it starts from. Nothing here allocates or
 * recurses, so hostile input costs at most a linear scan. */
#include "proto/json.h"
#include "proto/json_span.h"

#include <string.h>

#include "minetrace/common.h"

/* JSON whitespace. The first test settles almost every byte: all four
 * are at or below ' ', and the readers call this before every token. */
static int is_ws(char c)
{
    unsigned char u = (unsigned char)c;
    return u <= ' ' && (u == ' ' || u == '\t' || u == '\n' || u == '\r');
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && is_ws(p[i])) i++;
    return i;
}

/* p[*i] == '"'. Advance past the closing quote, checking escapes. Runs of
 * plain bytes are skipped with memchr (most Stratum strings are long hex). */
static int scan_string(const char *p, size_t n, size_t *i)
{
    size_t k = *i + 1;
    for (;;) {
        if (k >= n) return MT_ETRUNC;
        const char *q = memchr(p + k, '"', n - k);
        if (!q) return MT_ETRUNC;
        const char *b = memchr(p + k, '\\', (size_t)(q - (p + k)));
        if (!b) {
            *i = (size_t)(q - p) + 1;
            return MT_OK;
        }
        k = (size_t)(b - p);
        if (k + 1 >= n) return MT_ETRUNC;
        char e = p[k + 1];
        if (e == 'u') {
            if (n - k < 6) return MT_ETRUNC;
            for (size_t j = 2; j < 6; j++)
                if (hexval(p[k + j]) < 0) return MT_EINVAL;
            k += 6;
        } else if (e != '\0' && strchr("\"\\/bfnrt", e)) {
            k += 2;
        } else {
            return MT_EINVAL;
        }
    }
}

/* JSON number grammar. At the end of input a number may be cut short, so
 * running out of bytes there is MT_ETRUNC. */
static int scan_number(const char *p, size_t n, size_t *i)
{
    size_t k = *i;
    if (k < n && p[k] == '-') k++;
    if (k >= n) return MT_ETRUNC;
    if (p[k] == '0') k++;
    else if (is_digit(p[k])) { while (k < n && is_digit(p[k])) k++; }
    else return MT_EINVAL;
    if (k < n && p[k] == '.') {
        k++;
        if (k >= n) return MT_ETRUNC;
        if (!is_digit(p[k])) return MT_EINVAL;
        while (k < n && is_digit(p[k])) k++;
    }
    if (k < n && (p[k] == 'e' || p[k] == 'E')) {
        k++;
        if (k < n && (p[k] == '+' || p[k] == '-')) k++;
        if (k >= n) return MT_ETRUNC;
        if (!is_digit(p[k])) return MT_EINVAL;
        while (k < n && is_digit(p[k])) k++;
    }
    *i = k;
    return MT_OK;
}

static int scan_literal(const char *p, size_t n, size_t *i, const char *lit)
{
    size_t l = strlen(lit);
    size_t have = n - *i;
    if (have < l) return memcmp(p + *i, lit, have) == 0 ? MT_ETRUNC : MT_EINVAL;
    if (memcmp(p + *i, lit, l) != 0) return MT_EINVAL;
    *i += l;
    return MT_OK;
}

static mt_jv_type type_of(char c)
{
    switch (c) {
    case '{': return MT_JV_OBJECT;
    case '[': return MT_JV_ARRAY;
    case '"': return MT_JV_STRING;
    case 't': return MT_JV_TRUE;
    case 'f': return MT_JV_FALSE;
    case 'n': return MT_JV_NULL;
    default: return (c == '-' || is_digit(c)) ? MT_JV_NUMBER : MT_JV_NONE;
    }
}

/* Expect `"key" ws : ws` at *i. */
static int scan_key(const char *p, size_t n, size_t *i)
{
    if (*i >= n) return MT_ETRUNC;
    if (p[*i] != '"') return MT_EINVAL;
    int rc = scan_string(p, n, i);
    if (rc != MT_OK) return rc;
    *i = skip_ws(p, *i, n);
    if (*i >= n) return MT_ETRUNC;
    if (p[*i] != ':') return MT_EINVAL;
    *i = skip_ws(p, *i + 1, n);
    return MT_OK;
}

int mt_jv_parse(const char *p, size_t n, mt_jv *root, size_t *end)
{
    char stack[MT_JV_MAX_DEPTH];
    size_t depth = 0;
    int rc;
    if (!p) return mt_error_set(MT_EINVAL, "json: no input");
    size_t i = skip_ws(p, 0, n);
    size_t start = i;

    for (;;) {
        /* ---- a value starts at i ---- */
        if (i >= n) return mt_error_set(MT_ETRUNC, "json: input ends before a value");
        char c = p[i];
        if (c == '{' || c == '[') {
            if (depth >= MT_JV_MAX_DEPTH)
                return mt_error_set(MT_EINVAL, "json: nesting deeper than %d", MT_JV_MAX_DEPTH);
            stack[depth++] = c;
            i = skip_ws(p, i + 1, n);
            if (i >= n) return mt_error_set(MT_ETRUNC, "json: input ends inside a container");
            if (p[i] == (c == '{' ? '}' : ']')) {
                depth--;
                i++;
            } else {
                if (c == '{' && (rc = scan_key(p, n, &i)) != MT_OK)
                    return mt_error_set(rc, "json: bad object key at offset %zu", i);
                continue; /* parse the first member value */
            }
        } else {
            switch (type_of(c)) {
            case MT_JV_STRING: rc = scan_string(p, n, &i); break;
            case MT_JV_NUMBER: rc = scan_number(p, n, &i); break;
            case MT_JV_TRUE: rc = scan_literal(p, n, &i, "true"); break;
            case MT_JV_FALSE: rc = scan_literal(p, n, &i, "false"); break;
            case MT_JV_NULL: rc = scan_literal(p, n, &i, "null"); break;
            default: rc = MT_EINVAL; break;
            }
            if (rc != MT_OK) return mt_error_set(rc, "json: bad value at offset %zu", i);
        }
        /* ---- a value ended at i: close containers or go to the next ---- */
        for (;;) {
            if (depth == 0) {
                root->p = p + start;
                root->len = i - start;
                root->type = type_of(p[start]);
                if (end) *end = i;
                return MT_OK;
            }
            i = skip_ws(p, i, n);
            if (i >= n) return mt_error_set(MT_ETRUNC, "json: input ends inside a container");
            char top = stack[depth - 1];
            if (p[i] == ',') {
                i = skip_ws(p, i + 1, n);
                if (top == '{' && (rc = scan_key(p, n, &i)) != MT_OK)
                    return mt_error_set(rc, "json: bad object key at offset %zu", i);
                break; /* next value */
            }
            if (p[i] == (top == '{' ? '}' : ']')) {
                depth--;
                i++;
                continue;
            }
            return mt_error_set(MT_EINVAL, "json: unexpected byte at offset %zu", i);
        }
    }
}

/* ---- walking validated views --------------------------------------------- */

/* Skip one value starting at p[i] (bounded by n); returns the offset past it.
 * The view was validated, but every step still checks the bound. */
static size_t skip_value(const char *p, size_t i, size_t n)
{
    if (i >= n) return n;
    char c = p[i];
    if (c == '"') {
        size_t k = i;
        if (scan_string(p, n, &k) != MT_OK) return n;
        return k;
    }
    if (c == '{' || c == '[') {
        size_t depth = 0;
        for (size_t k = i; k < n; k++) {
            char d = p[k];
            if (d == '"') {
                k = mt_json_string_end(p, n, k);
                if (k >= n) return n;
                continue;
            }
            if (d == '{' || d == '[') depth++;
            else if (d == '}' || d == ']') {
                if (depth <= 1) return k + 1;
                depth--;
            }
        }
        return n;
    }
    while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && !is_ws(p[i])) i++;
    return i;
}

void mt_jv_iter_init(mt_jv_iter *it, const mt_jv *v)
{
    memset(it, 0, sizeof *it);
    if (!v || (v->type != MT_JV_OBJECT && v->type != MT_JV_ARRAY) || v->len < 2) {
        it->done = 1;
        return;
    }
    it->p = v->p;
    it->n = v->len - 1; /* stop before the closing bracket */
    it->is_obj = v->type == MT_JV_OBJECT;
    it->i = skip_ws(it->p, 1, it->n);
    if (it->i >= it->n) it->done = 1;
}

int mt_jv_iter_next(mt_jv_iter *it, mt_jv *key, mt_jv *val)
{
    if (it->done) return 0;
    const char *p = it->p;
    size_t i = it->i, n = it->n;
    if (key) memset(key, 0, sizeof *key);
    if (it->is_obj) {
        if (i >= n || p[i] != '"') { it->done = 1; return 0; }
        size_t ks = i;
        if (scan_string(p, n, &i) != MT_OK) { it->done = 1; return 0; }
        if (key) { key->p = p + ks; key->len = i - ks; key->type = MT_JV_STRING; }
        i = skip_ws(p, i, n);
        if (i >= n || p[i] != ':') { it->done = 1; return 0; }
        i = skip_ws(p, i + 1, n);
    }
    if (i >= n) { it->done = 1; return 0; }
    size_t vs = i;
    i = skip_value(p, i, n);
    mt_jv tmp;
    if (!val) val = &tmp;
    val->p = p + vs;
    val->len = i - vs;
    val->type = type_of(p[vs]);
    i = skip_ws(p, i, n);
    if (i < n && p[i] == ',') i = skip_ws(p, i + 1, n);
    else it->done = 1;
    it->i = i;
    return 1;
}

static int none(mt_jv *out)
{
    if (out) memset(out, 0, sizeof *out);
    return 0;
}

int mt_jv_get(const mt_jv *obj, const char *key, mt_jv *out)
{
    if (!obj || obj->type != MT_JV_OBJECT) return none(out);
    mt_jv_iter it;
    mt_jv k, v;
    mt_jv_iter_init(&it, obj);
    while (mt_jv_iter_next(&it, &k, &v)) {
        if (mt_jv_streq(&k, key)) {
            if (out) *out = v;
            return 1;
        }
    }
    return none(out);
}

size_t mt_jv_get_many(const mt_jv *obj, const char *const *keys, mt_jv *outs, size_t nkeys)
{
    size_t klen[MT_JV_MANY_MAX];
    size_t found = 0;
    if (nkeys > MT_JV_MANY_MAX) nkeys = MT_JV_MANY_MAX;
    for (size_t j = 0; j < nkeys; j++) {
        none(&outs[j]);
        klen[j] = strlen(keys[j]);
    }
    if (!obj || obj->type != MT_JV_OBJECT) return 0;
    mt_jv_iter it;
    mt_jv k, v;
    mt_jv_iter_init(&it, obj);
    while (found < nkeys && mt_jv_iter_next(&it, &k, &v)) {
        const char *ks;
        size_t kn;
        if (!mt_jv_raw_str(&k, &ks, &kn)) continue;
        int escaped = memchr(ks, '\\', kn) != NULL;
        for (size_t j = 0; j < nkeys; j++) {
            if (outs[j].type != MT_JV_NONE) continue; /* first wins */
            if (escaped ? mt_jv_streq(&k, keys[j])
                        : (kn == klen[j] && memcmp(ks, keys[j], kn) == 0)) {
                outs[j] = v;
                found++;
                break;
            }
        }
    }
    return found;
}

int mt_jv_at(const mt_jv *arr, size_t idx, mt_jv *out)
{
    if (!arr || arr->type != MT_JV_ARRAY) return none(out);
    mt_jv_iter it;
    mt_jv v;
    mt_jv_iter_init(&it, arr);
    for (size_t k = 0; mt_jv_iter_next(&it, NULL, &v); k++) {
        if (k == idx) {
            if (out) *out = v;
            return 1;
        }
    }
    return none(out);
}

size_t mt_jv_count(const mt_jv *v)
{
    mt_jv_iter it;
    size_t k = 0;
    mt_jv_iter_init(&it, v);
    while (mt_jv_iter_next(&it, NULL, NULL)) k++;
    return k;
}

int mt_jv_path(const mt_jv *root, const char *path, mt_jv *out)
{
    if (!root || !path) return none(out);
    mt_jv cur = *root;
    const char *s = path;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        char seg[64];
        if (l == 0 || l >= sizeof seg) return none(out);
        memcpy(seg, s, l);
        seg[l] = '\0';
        mt_jv next;
        if (cur.type == MT_JV_ARRAY) {
            size_t idx = 0;
            for (size_t k = 0; k < l; k++) {
                if (!is_digit(seg[k]) || idx > 100000) return none(out);
                idx = idx * 10 + (size_t)(seg[k] - '0');
            }
            if (!mt_jv_at(&cur, idx, &next)) return none(out);
        } else if (cur.type == MT_JV_OBJECT) {
            if (!mt_jv_get(&cur, seg, &next)) return none(out);
        } else {
            return none(out);
        }
        cur = next;
        if (!dot) break;
        s = dot + 1;
    }
    if (out) *out = cur;
    return 1;
}

/* ---- strings ------------------------------------------------------------- */

static size_t put_utf8(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) { out[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t hex4(const char *p)
{
    uint32_t v = 0;
    for (int j = 0; j < 4; j++) {
        int h = hexval(p[j]);
        v = (v << 4) | (uint32_t)(h < 0 ? 0 : h);
    }
    return v;
}

/* Decode the next character of raw string contents s[*i..n) into out;
 * returns the byte count (1..4), 0 at the end. */
static size_t next_decoded(const char *s, size_t n, size_t *i, unsigned char out[4])
{
    if (*i >= n) return 0;
    char c = s[*i];
    if (c != '\\') { out[0] = (unsigned char)c; (*i)++; return 1; }
    if (*i + 1 >= n) { (*i) = n; return 0; }
    char e = s[*i + 1];
    *i += 2;
    switch (e) {
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': {
        if (n - *i < 4) { *i = n; return 0; }
        uint32_t cp = hex4(s + *i);
        *i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (n - *i >= 6 && s[*i] == '\\' && s[*i + 1] == 'u') {
                uint32_t lo = hex4(s + *i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    *i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    return put_utf8(cp, out);
                }
            }
            cp = 0xFFFD; /* lone high surrogate */
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD; /* lone low surrogate */
        }
        return put_utf8(cp, out);
    }
    default: out[0] = (unsigned char)e; return 1; /* \" \\ \/ */
    }
}

int mt_jv_raw_str(const mt_jv *v, const char **s, size_t *n)
{
    if (!v || v->type != MT_JV_STRING || v->len < 2) return 0;
    *s = v->p + 1;
    *n = v->len - 2;
    return 1;
}

size_t mt_jv_strcpy(const mt_jv *v, char *dst, size_t cap)
{
    if (!dst || cap == 0) return 0;
    dst[0] = '\0';
    if (!v) return 0;
    if (v->type == MT_JV_NUMBER || v->type == MT_JV_TRUE || v->type == MT_JV_FALSE ||
        v->type == MT_JV_NULL)
        return mt_memlcpy(dst, cap, v->p, v->len);
    const char *s;
    size_t n;
    if (!mt_jv_raw_str(v, &s, &n)) return 0;
    if (!memchr(s, '\\', n)) return mt_memlcpy(dst, cap, s, n); /* nothing escaped */
    size_t i = 0, w = 0;
    unsigned char ch[4];
    size_t k;
    while ((k = next_decoded(s, n, &i, ch)) > 0) {
        if (w + k > cap - 1) break; /* never split a decoded character */
        memcpy(dst + w, ch, k);
        w += k;
    }
    dst[w] = '\0';
    return w;
}

static int str_cmp_prefix(const mt_jv *v, const char *want, int exact)
{
    const char *s;
    size_t n;
    if (!mt_jv_raw_str(v, &s, &n)) return 0;
    size_t wl = strlen(want);
    if (!memchr(s, '\\', n)) { /* fast path: nothing escaped */
        if (exact) return n == wl && memcmp(s, want, wl) == 0;
        return n >= wl && memcmp(s, want, wl) == 0;
    }
    size_t i = 0, w = 0;
    unsigned char ch[4];
    size_t k;
    while ((k = next_decoded(s, n, &i, ch)) > 0) {
        if (w + k > wl) return exact ? 0 : (w == wl);
        if (memcmp(want + w, ch, k) != 0) return 0;
        w += k;
        if (!exact && w == wl) return 1;
    }
    return w == wl;
}

int mt_jv_streq(const mt_jv *v, const char *s) { return str_cmp_prefix(v, s, 1); }
int mt_jv_strprefix(const mt_jv *v, const char *prefix) { return str_cmp_prefix(v, prefix, 0); }

int mt_jv_int(const mt_jv *v, int64_t *out)
{
    if (!v || v->type != MT_JV_NUMBER || v->len == 0) return 0;
    size_t i = 0;
    int neg = 0;
    if (v->p[0] == '-') { neg = 1; i = 1; }
    if (i >= v->len) return 0;
    uint64_t acc = 0;
    for (; i < v->len; i++) {
        char c = v->p[i];
        if (!is_digit(c)) return 0;
        if (acc > (UINT64_MAX - 9) / 10) return 0;
        acc = acc * 10 + (uint64_t)(c - '0');
    }
    if (acc > (uint64_t)INT64_MAX) return 0;
    *out = neg ? -(int64_t)acc : (int64_t)acc;
    return 1;
}
