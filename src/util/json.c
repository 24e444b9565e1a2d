/* The JSON reader (see json.h). One validating pass over the text with an
 * explicit stack of open containers fills the caller's tokens; afterwards
 * every lookup walks tokens, skipping subtrees through their end index, and
 * strings are decoded only when read. Nothing here allocates or recurses,
 * so hostile input costs at most one linear scan. */
#include "util/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

/* Byte classes inside a string: 0 plain, 1 quote, 2 backslash, 3 control. */
static const uint8_t str_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
};

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

void mt_jr_init(mt_jr_doc *d, mt_jr_tok *tok, size_t ntok, char *scratch, size_t scratch_cap)
{
    memset(d, 0, sizeof *d);
    d->tok = tok;
    d->cap = ntok > UINT32_MAX ? UINT32_MAX : (uint32_t)ntok;
    d->scratch = scratch;
    d->scratch_cap = scratch ? scratch_cap : 0;
}

/* ---- the validating pass -------------------------------------------------- */

typedef struct pstate {
    mt_jr_doc *d;
    const char *p;
    size_t n;
    unsigned flags;
    const char *why;
} pstate;

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && is_ws(p[i])) i++;
    return i;
}

/* p[*i] == '"'. On MT_JR_OK *i is past the closing quote and *esc says
 * whether a backslash occurred. */
static mt_jr_status scan_string(pstate *s, size_t *i, int *esc)
{
    const char *p = s->p;
    size_t n = s->n, k = *i + 1;
    int lax = (s->flags & MT_JR_LAX_CTRL) != 0;
    *esc = 0;
    for (;;) {
        if (lax) {
            /* Long hex blobs dominate stream messages: jump quote to quote. */
            const char *q = k < n ? memchr(p + k, '"', n - k) : NULL;
            if (!q) break;
            const char *b = memchr(p + k, '\\', (size_t)(q - (p + k)));
            if (!b) {
                *i = (size_t)(q - p) + 1;
                return MT_JR_OK;
            }
            k = (size_t)(b - p);
        } else {
            const unsigned char *u = (const unsigned char *)p;
            while (k + 4 <= n && (str_class[u[k]] | str_class[u[k + 1]] | str_class[u[k + 2]] |
                                  str_class[u[k + 3]]) == 0)
                k += 4;
            while (k < n && str_class[u[k]] == 0) k++;
            if (k >= n) break;
            uint8_t c = str_class[(unsigned char)p[k]];
            if (c == 1) {
                *i = k + 1;
                return MT_JR_OK;
            }
            if (c == 3) {
                s->why = "control character in string";
                *i = k;
                return MT_JR_INVALID;
            }
        }
        /* p[k] is a backslash */
        *esc = 1;
        if (k + 1 >= n) break;
        char e = p[k + 1];
        if (e == 'u') {
            for (size_t j = 2; j < 6; j++) {
                if (k + j >= n) goto trunc;
                if (hexval(p[k + j]) < 0) {
                    s->why = "bad \\u escape";
                    *i = k;
                    return MT_JR_INVALID;
                }
            }
            k += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                   e == 'r' || e == 't') {
            k += 2;
        } else {
            s->why = "bad escape";
            *i = k;
            return MT_JR_INVALID;
        }
    }
trunc:
    s->why = "unterminated string";
    return MT_JR_TRUNCATED;
}

static mt_jr_status scan_number(pstate *s, size_t *i)
{
    const char *p = s->p;
    size_t n = s->n, k = *i;
    s->why = "bad number";
    if (k < n && p[k] == '-') k++;
    if (k >= n) return MT_JR_TRUNCATED;
    if (p[k] == '0') k++;
    else if (is_digit(p[k])) { while (k < n && is_digit(p[k])) k++; }
    else return MT_JR_INVALID;
    if (k < n && p[k] == '.') {
        k++;
        if (k >= n) return MT_JR_TRUNCATED;
        if (!is_digit(p[k])) return MT_JR_INVALID;
        while (k < n && is_digit(p[k])) k++;
    }
    if (k < n && (p[k] == 'e' || p[k] == 'E')) {
        k++;
        if (k < n && (p[k] == '+' || p[k] == '-')) k++;
        if (k >= n) return MT_JR_TRUNCATED;
        if (!is_digit(p[k])) return MT_JR_INVALID;
        while (k < n && is_digit(p[k])) k++;
    }
    *i = k;
    return MT_JR_OK;
}

static mt_jr_status scan_literal(pstate *s, size_t *i, const char *lit, size_t l)
{
    size_t have = s->n - *i;
    s->why = "unexpected character";
    if (have < l) return memcmp(s->p + *i, lit, have) == 0 ? MT_JR_TRUNCATED : MT_JR_INVALID;
    if (memcmp(s->p + *i, lit, l) != 0) return MT_JR_INVALID;
    *i += l;
    return MT_JR_OK;
}

static int add_tok(mt_jr_doc *d, mt_jr_type type, size_t start, size_t len)
{
    if (d->n >= d->cap) return -1;
    mt_jr_tok *t = &d->tok[d->n];
    t->start = (uint32_t)start;
    t->len = (uint32_t)len;
    t->type = type;
    t->next = d->n + 1;
    t->esc = 0;
    t->str = 0;
    return (int)d->n++;
}

/* `"key" ws : ws` at *i, the key stored as a string token. */
static mt_jr_status scan_key(pstate *s, size_t *i)
{
    size_t n = s->n;
    if (*i >= n) { s->why = "input ends before a key"; return MT_JR_TRUNCATED; }
    if (s->p[*i] != '"') { s->why = "expected a key"; return MT_JR_INVALID; }
    size_t st = *i;
    int esc;
    mt_jr_status rc = scan_string(s, i, &esc);
    if (rc != MT_JR_OK) return rc;
    int t = add_tok(s->d, MT_JR_STRING, st + 1, *i - st - 2);
    if (t < 0) { s->why = "too many values"; return MT_JR_TOO_MANY; }
    s->d->tok[t].esc = (uint32_t)esc;
    *i = skip_ws(s->p, *i, n);
    if (*i >= n) { s->why = "input ends after a key"; return MT_JR_TRUNCATED; }
    if (s->p[*i] != ':') { s->why = "expected ':'"; return MT_JR_INVALID; }
    *i = skip_ws(s->p, *i + 1, n);
    return MT_JR_OK;
}

/* After a truncated parse with MT_JR_PARTIAL: keep the complete members,
 * close what is open at the cut. */
static void keep_partial(mt_jr_doc *d, const uint32_t *stack, unsigned depth, int pending_key,
                         size_t cut)
{
    if (pending_key >= 0) {
        d->n = (uint32_t)pending_key;
    } else if (cut == d->len && depth > 0 && d->n > 0) {
        /* a number running to the cut may have lost digits */
        mt_jr_tok *last = &d->tok[d->n - 1];
        if (last->type == MT_JR_NUMBER && (size_t)last->start + last->len == d->len &&
            d->n - 1 > stack[depth - 1]) {
            d->n--;
            if (d->tok[stack[depth - 1]].type == MT_JR_OBJECT) d->n--;
        }
    }
    for (unsigned k = 0; k < depth; k++) {
        mt_jr_tok *c = &d->tok[stack[k]];
        c->next = d->n;
        c->len = (uint32_t)(cut - c->start);
    }
}

int mt_jr_parse(mt_jr_doc *d, const char *text, size_t len, unsigned flags, unsigned max_depth)
{
    uint32_t stack[MT_JR_MAX_DEPTH];
    unsigned depth = 0;
    int pending_key = -1; /* a key whose value has not started yet */
    pstate s = {d, text, len, flags, NULL};
    mt_jr_status rc = MT_JR_OK;
    size_t i = 0;

    d->text = text;
    d->len = len;
    d->n = 0;
    d->end = 0;
    d->scratch_used = 0;
    if (max_depth == 0 || max_depth > MT_JR_MAX_DEPTH) max_depth = MT_JR_MAX_DEPTH;
    if (len >= MT_JR_MAX_LEN) { rc = MT_JR_TOO_LONG; s.why = "text too long"; goto fail; }
    if (!text) len = s.n = 0;
    i = skip_ws(text, 0, len);

    for (;;) {
        /* ---- a value starts at i ---- */
        if (i >= len) {
            rc = MT_JR_TRUNCATED;
            s.why = d->n ? "input ends before a value" : "empty";
            goto fail;
        }
        char c = text[i];
        int t;
        if (c == '{' || c == '[') {
            if (depth >= max_depth) { rc = MT_JR_TOO_DEEP; s.why = "nested too deep"; goto fail; }
            t = add_tok(d, c == '{' ? MT_JR_OBJECT : MT_JR_ARRAY, i, 1);
            if (t < 0) { rc = MT_JR_TOO_MANY; s.why = "too many values"; goto fail; }
            pending_key = -1;
            stack[depth++] = (uint32_t)t;
            i = skip_ws(text, i + 1, len);
            if (i >= len) { rc = MT_JR_TRUNCATED; s.why = "input ends inside a container"; goto fail; }
            if (text[i] == (c == '{' ? '}' : ']')) {
                i++;
                d->tok[t].next = d->n;
                d->tok[t].len = (uint32_t)(i - d->tok[t].start);
                depth--;
            } else {
                if (c == '{') {
                    pending_key = (int)d->n; /* before the scan: it may fail after the key */
                    if ((rc = scan_key(&s, &i)) != MT_JR_OK) goto fail;
                }
                continue; /* the first member's value */
            }
        } else {
            size_t st = i;
            mt_jr_type ty;
            int esc = 0;
            switch (c) {
            case '"': ty = MT_JR_STRING; rc = scan_string(&s, &i, &esc); break;
            case 't': ty = MT_JR_TRUE; rc = scan_literal(&s, &i, "true", 4); break;
            case 'f': ty = MT_JR_FALSE; rc = scan_literal(&s, &i, "false", 5); break;
            case 'n': ty = MT_JR_NULL; rc = scan_literal(&s, &i, "null", 4); break;
            default:
                ty = MT_JR_NUMBER;
                if (c == '-' || is_digit(c)) {
                    rc = scan_number(&s, &i);
                } else {
                    rc = MT_JR_INVALID;
                    s.why = "unexpected character";
                }
                break;
            }
            if (rc != MT_JR_OK) {
                if (i < st) i = st;
                goto fail;
            }
            t = ty == MT_JR_STRING ? add_tok(d, ty, st + 1, i - st - 2) : add_tok(d, ty, st, i - st);
            if (t < 0) { rc = MT_JR_TOO_MANY; s.why = "too many values"; i = st; goto fail; }
            d->tok[t].esc = (uint32_t)esc;
            pending_key = -1;
        }
        /* ---- a value ended at i: close containers or go to the next ---- */
        for (;;) {
            if (depth == 0) {
                d->end = i;
                if (!(flags & MT_JR_TRAILING)) {
                    i = skip_ws(text, i, len);
                    if (i < len) { rc = MT_JR_INVALID; s.why = "text after the value"; goto fail; }
                }
                d->status = MT_JR_OK;
                d->err_at = 0;
                return MT_OK;
            }
            i = skip_ws(text, i, len);
            if (i >= len) { rc = MT_JR_TRUNCATED; s.why = "input ends inside a container"; goto fail; }
            mt_jr_tok *top = &d->tok[stack[depth - 1]];
            int is_obj = top->type == MT_JR_OBJECT;
            if (text[i] == ',') {
                i = skip_ws(text, i + 1, len);
                if (is_obj) {
                    pending_key = (int)d->n; /* before the scan: it may fail after the key */
                    if ((rc = scan_key(&s, &i)) != MT_JR_OK) goto fail;
                }
                break; /* the next value */
            }
            if (text[i] == (is_obj ? '}' : ']')) {
                i++;
                top->next = d->n;
                top->len = (uint32_t)(i - top->start);
                depth--;
                continue;
            }
            rc = MT_JR_INVALID;
            s.why = "expected ',' or a closing bracket";
            goto fail;
        }
    }

fail:
    d->status = rc;
    d->err_at = i;
    d->why = s.why;
    if ((rc == MT_JR_TRUNCATED || rc == MT_JR_TOO_MANY) && (flags & MT_JR_PARTIAL) && d->n > 0) {
        size_t cut = rc == MT_JR_TRUNCATED ? len : i;
        keep_partial(d, stack, depth, pending_key, cut);
        d->end = cut;
    } else {
        d->n = 0;
    }
    return rc == MT_JR_TRUNCATED ? MT_ETRUNC : MT_EINVAL;
}

const char *mt_jr_strerror(const mt_jr_doc *d, char *buf, size_t cap)
{
    if (!buf || cap == 0) return "";
    if (d->status == MT_JR_OK) snprintf(buf, cap, "no error");
    else snprintf(buf, cap, "%s at byte %zu", d->why ? d->why : "invalid JSON", d->err_at);
    return buf;
}

/* ---- navigation ------------------------------------------------------------ */

static const char *tok_text(const mt_jr_doc *d, int t) { return d->text + d->tok[t].start; }

int mt_jr_get(const mt_jr_doc *d, int obj, const char *key)
{
    if (!mt_jr_is(d, obj, MT_JR_OBJECT) || !key) return -1;
    size_t kl = strlen(key);
    const mt_jr_tok *tk = d->tok;
    for (uint32_t k = (uint32_t)obj + 1, end = tk[obj].next; k < end; k = tk[k + 1].next) {
        const mt_jr_tok *t = &tk[k];
        if (!t->esc) {
            if (t->len == kl && memcmp(d->text + t->start, key, kl) == 0) return (int)k + 1;
        } else if (mt_jr_streq(d, (int)k, key)) {
            return (int)k + 1;
        }
    }
    return -1;
}

size_t mt_jr_get_many(const mt_jr_doc *d, int obj, const char *const *keys, int *out,
                      size_t nkeys)
{
    size_t found = 0;
    for (size_t j = 0; j < nkeys; j++) out[j] = -1;
    if (!mt_jr_is(d, obj, MT_JR_OBJECT)) return 0;
    const mt_jr_tok *tk = d->tok;
    for (uint32_t k = (uint32_t)obj + 1, end = tk[obj].next; k < end && found < nkeys;
         k = tk[k + 1].next) {
        const mt_jr_tok *t = &tk[k];
        const char *ks = d->text + t->start;
        for (size_t j = 0; j < nkeys; j++) {
            if (out[j] >= 0) continue; /* the first one wins */
            if (t->esc ? mt_jr_streq(d, (int)k, keys[j])
                       : (t->len > 0 && ks[0] == keys[j][0] && strlen(keys[j]) == t->len &&
                          memcmp(ks, keys[j], t->len) == 0)) {
                out[j] = (int)k + 1;
                found++;
                break;
            }
        }
    }
    return found;
}

int mt_jr_at(const mt_jr_doc *d, int arr, size_t idx)
{
    if (!mt_jr_is(d, arr, MT_JR_ARRAY)) return -1;
    size_t k = 0;
    for (int e = mt_jr_first(d, arr); e >= 0; e = mt_jr_next(d, arr, e), k++)
        if (k == idx) return e;
    return -1;
}

size_t mt_jr_count(const mt_jr_doc *d, int t)
{
    size_t k = 0;
    for (int e = mt_jr_first(d, t); e >= 0; e = mt_jr_next(d, t, e)) k++;
    return k;
}

int mt_jr_path(const mt_jr_doc *d, int t, const char *path)
{
    if (!path || mt_jr_type_of(d, t) == MT_JR_NONE) return -1;
    const char *s = path;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        if (l == 0) return -1;
        if (mt_jr_is(d, t, MT_JR_ARRAY)) {
            size_t idx = 0;
            for (size_t k = 0; k < l; k++) {
                if (!is_digit(s[k]) || idx > 100000000) return -1;
                idx = idx * 10 + (size_t)(s[k] - '0');
            }
            t = mt_jr_at(d, t, idx);
        } else if (mt_jr_is(d, t, MT_JR_OBJECT)) {
            int found = -1;
            for (int k = mt_jr_first(d, t); k >= 0; k = mt_jr_next(d, t, k)) {
                const mt_jr_tok *kt = &d->tok[k];
                int eq;
                if (kt->esc) {
                    char seg[256];
                    if (l >= sizeof seg) return -1;
                    memcpy(seg, s, l);
                    seg[l] = '\0';
                    eq = mt_jr_streq(d, k, seg);
                } else {
                    eq = kt->len == l && memcmp(tok_text(d, k), s, l) == 0;
                }
                if (eq) { found = k + 1; break; }
            }
            t = found;
        } else {
            return -1;
        }
        if (t < 0) return -1;
        if (!dot) return t;
        s = dot + 1;
    }
}

/* ---- strings --------------------------------------------------------------- */

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
    for (int j = 0; j < 4; j++) v = (v << 4) | (uint32_t)hexval(p[j]);
    return v;
}

/* The next character of validated raw string contents s[*i..n) into out:
 * 1..4 bytes, 0 at the end. A surrogate pair becomes one code point; a lone
 * surrogate becomes U+FFFD, and so does U+0000 unless keep_nul. */
static size_t next_char_x(const char *s, size_t n, size_t *i, unsigned char out[4], int keep_nul)
{
    if (*i >= n) return 0;
    char c = s[*i];
    if (c != '\\') { out[0] = (unsigned char)c; (*i)++; return 1; }
    char e = s[*i + 1];
    *i += 2;
    switch (e) {
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': {
        uint32_t cp = hex4(s + *i);
        *i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && n - *i >= 6 && s[*i] == '\\' && s[*i + 1] == 'u') {
            uint32_t lo = hex4(s + *i + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                *i += 6;
                return put_utf8(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), out);
            }
        }
        if ((cp == 0 && !keep_nul) || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        return put_utf8(cp, out);
    }
    default: out[0] = (unsigned char)e; return 1; /* " \ / */
    }
}

static size_t next_char(const char *s, size_t n, size_t *i, unsigned char out[4])
{
    return next_char_x(s, n, i, out, 0);
}

const char *mt_jr_raw(const mt_jr_doc *d, int t, size_t *len)
{
    if (mt_jr_type_of(d, t) == MT_JR_NONE) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = d->tok[t].len;
    return tok_text(d, t);
}

/* Decode string t into dst (room for cap-1 bytes, no NUL written). */
static size_t decode(const mt_jr_doc *d, int t, char *dst, size_t cap)
{
    const char *s = tok_text(d, t);
    size_t n = d->tok[t].len;
    if (!d->tok[t].esc) return mt_memlcpy(dst, cap, s, n); /* NUL-terminates */
    size_t i = 0, w = 0, k;
    unsigned char ch[4];
    while ((k = next_char(s, n, &i, ch)) > 0) {
        if (w + k > cap - 1) break; /* never split a decoded character */
        memcpy(dst + w, ch, k);
        w += k;
    }
    dst[w] = '\0';
    return w;
}

const char *mt_jr_bytes(const mt_jr_doc *d, int t, char *dst, size_t cap, size_t *len)
{
    *len = 0;
    if (!mt_jr_is(d, t, MT_JR_STRING)) return NULL;
    const char *s = tok_text(d, t);
    size_t n = d->tok[t].len;
    if (!d->tok[t].esc) {
        *len = n;
        return s;
    }
    if (!dst || cap < n) return NULL;
    size_t i = 0, w = 0, k;
    unsigned char ch[4];
    while ((k = next_char_x(s, n, &i, ch, 1)) > 0) { /* decoded never outgrows raw */
        memcpy(dst + w, ch, k);
        w += k;
    }
    *len = w;
    return dst;
}

size_t mt_jr_copy(const mt_jr_doc *d, int t, char *dst, size_t cap)
{
    if (!dst || cap == 0) return 0;
    mt_jr_type ty = mt_jr_type_of(d, t);
    if (ty == MT_JR_NONE || ty == MT_JR_OBJECT || ty == MT_JR_ARRAY) {
        dst[0] = '\0';
        return 0;
    }
    const mt_jr_tok *k = &d->tok[t];
    if (ty == MT_JR_STRING && k->esc) return decode(d, t, dst, cap);
    size_t n = k->len < cap ? k->len : cap - 1; /* as written */
    memcpy(dst, d->text + k->start, n);
    dst[n] = '\0';
    return n;
}

const char *mt_jr_str(mt_jr_doc *d, int t)
{
    if (!mt_jr_is(d, t, MT_JR_STRING)) return NULL;
    mt_jr_tok *k = &d->tok[t];
    if (k->str) return d->scratch + k->str - 1;
    size_t n = k->len;
    if (d->scratch_cap - d->scratch_used < n + 1) return NULL;
    char *dst = d->scratch + d->scratch_used;
    size_t w = n;
    if (!k->esc) {
        memcpy(dst, d->text + k->start, n);
        dst[n] = '\0';
    } else {
        w = decode(d, t, dst, n + 1);
    }
    k->str = (uint32_t)d->scratch_used + 1;
    d->scratch_used += w + 1;
    return dst;
}

const char *mt_jr_gstr(mt_jr_doc *d, int obj, const char *key)
{
    return mt_jr_str(d, mt_jr_get(d, obj, key));
}

static int cmp_str(const mt_jr_doc *d, int t, const char *want, int exact)
{
    if (!mt_jr_is(d, t, MT_JR_STRING) || !want) return 0;
    const char *s = tok_text(d, t);
    size_t n = d->tok[t].len, wl = strlen(want);
    if (!d->tok[t].esc) {
        if (exact) return n == wl && memcmp(s, want, wl) == 0;
        return n >= wl && memcmp(s, want, wl) == 0;
    }
    size_t i = 0, w = 0, k;
    unsigned char ch[4];
    while ((k = next_char(s, n, &i, ch)) > 0) {
        if (w + k > wl) return exact ? 0 : w == wl;
        if (memcmp(want + w, ch, k) != 0) return 0;
        w += k;
        if (!exact && w == wl) return 1;
    }
    return w == wl;
}

int mt_jr_streq(const mt_jr_doc *d, int t, const char *s) { return cmp_str(d, t, s, 1); }
int mt_jr_strprefix(const mt_jr_doc *d, int t, const char *prefix)
{
    return cmp_str(d, t, prefix, 0);
}

/* ---- numbers --------------------------------------------------------------- */

/* Integer syntax (no fraction, no exponent): magnitude and sign. MT_OK,
 * MT_ENOTFOUND (not an integer), MT_ERR (more than 64 bits). */
static int int_parts(const mt_jr_doc *d, int t, uint64_t *mag, int *neg)
{
    if (!mt_jr_is(d, t, MT_JR_NUMBER)) return MT_ENOTFOUND;
    const char *p = tok_text(d, t);
    size_t n = d->tok[t].len, i = 0;
    *neg = p[0] == '-';
    if (*neg) i = 1;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (!is_digit(p[i])) return MT_ENOTFOUND;
        unsigned dg = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - dg) / 10) return MT_ERR;
        v = v * 10 + dg;
    }
    *mag = v;
    return MT_OK;
}

int mt_jr_i64(const mt_jr_doc *d, int t, int64_t *out)
{
    uint64_t m;
    int neg, rc = int_parts(d, t, &m, &neg);
    if (rc != MT_OK) return rc;
    if (neg ? m > (uint64_t)INT64_MAX + 1 : m > (uint64_t)INT64_MAX) return MT_ERR;
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return MT_OK;
}

int mt_jr_u64(const mt_jr_doc *d, int t, uint64_t *out)
{
    uint64_t m;
    int neg, rc = int_parts(d, t, &m, &neg);
    if (rc != MT_OK) return rc;
    if (neg && m != 0) return MT_ERR;
    *out = m;
    return MT_OK;
}

int mt_jr_f64(const mt_jr_doc *d, int t, double *out)
{
    if (!mt_jr_is(d, t, MT_JR_NUMBER)) return MT_ENOTFOUND;
    /* strtod needs a terminated copy. A long number is rewritten as its
     * first 20 significant digits and a decimal exponent, which keeps the
     * value to double precision whatever its length. */
    const char *p = tok_text(d, t);
    size_t n = d->tok[t].len, i = 0;
    char buf[64];
    if (n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = '\0';
    } else {
        size_t w = 0;
        long exp10 = 0;
        int sig = 0;
        if (p[i] == '-') { buf[w++] = '-'; i++; }
        for (; i < n && is_digit(p[i]); i++) {
            if (sig == 0 && p[i] == '0') continue;
            if (sig < 20) { buf[w++] = p[i]; sig++; } else exp10++;
        }
        if (i < n && p[i] == '.') {
            for (i++; i < n && is_digit(p[i]); i++) {
                if (sig == 0 && p[i] == '0') { exp10--; continue; }
                if (sig < 20) { buf[w++] = p[i]; sig++; exp10--; }
            }
        }
        if (sig == 0) buf[w++] = '0';
        if (i < n && (p[i] == 'e' || p[i] == 'E')) {
            int eneg = 0;
            long e = 0;
            i++;
            if (i < n && (p[i] == '+' || p[i] == '-')) eneg = p[i++] == '-';
            for (; i < n && is_digit(p[i]); i++)
                if (e < 100000000) e = e * 10 + (p[i] - '0');
            exp10 += eneg ? -e : e;
        }
        snprintf(buf + w, sizeof buf - w, "e%ld", exp10);
    }
    errno = 0;
    *out = strtod(buf, NULL);
    return errno == ERANGE && (*out == HUGE_VAL || *out == -HUGE_VAL) ? MT_ERR : MT_OK;
}

uint64_t mt_jr_gu64(const mt_jr_doc *d, int obj, const char *key)
{
    uint64_t v = 0;
    return mt_jr_u64(d, mt_jr_get(d, obj, key), &v) == MT_OK ? v : 0;
}
