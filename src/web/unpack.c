/* Script unpackers (unpack.h). Each reads the packed text the way the
 * browser's own code would (the packer's decoder is not run, its algorithm
 * is redone in C) and writes into a fixed buffer. */
#include "web/unpack.h"

#include <string.h>

const char *mt_pack_name(int kind)
{
    switch (kind) {
    case MT_PACK_EVAL: return "eval(function(p,a,c,k,e,d)) packer";
    case MT_PACK_ATOB: return "atob() payload";
    case MT_PACK_STRARRAY: return "obfuscator.io string array";
    case MT_PACK_CHARCODE: return "String.fromCharCode() run";
    case MT_PACK_ESCSTR: return "escaped string";
    default: return "packer";
    }
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t skip_ws(const char *t, size_t n, size_t i)
{
    while (i < n && is_ws(t[i])) i++;
    return i;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends code point cp as UTF-8 (lone surrogates as their 3-byte form, as
 * the text only needs to be scanned, not validated). */
static size_t put_cp(char *out, size_t o, size_t cap, uint32_t cp, int *full)
{
    unsigned char b[4];
    size_t k;
    if (cp < 0x80) { b[0] = (unsigned char)cp; k = 1; }
    else if (cp < 0x800) { b[0] = (unsigned char)(0xC0 | (cp >> 6)); b[1] = (unsigned char)(0x80 | (cp & 0x3F)); k = 2; }
    else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12)); b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F)); k = 3;
    } else {
        if (cp > 0x10FFFF) cp = 0xFFFD;
        b[0] = (unsigned char)(0xF0 | (cp >> 18)); b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (unsigned char)(0x80 | (cp & 0x3F)); k = 4;
    }
    if (o + k > cap) { *full = 1; return o; }
    memcpy(out + o, b, k);
    return o + k;
}

size_t mt_js_string(const char *t, size_t n, size_t q, char *out, size_t cap, size_t *end)
{
    if (q >= n) return (size_t)-1;
    char quote = t[q];
    if (quote != '\'' && quote != '"' && quote != '`') return (size_t)-1;
    size_t i = q + 1, o = 0;
    int full = 0;
    while (i < n) {
        char c = t[i];
        if (c == quote) { *end = i + 1; return o; }
        if (c == '\n' && quote != '`') return (size_t)-1;
        if (c != '\\') {
            if (o < cap) out[o++] = c; else full = 1;
            i++;
            continue;
        }
        if (i + 1 >= n) return (size_t)-1;
        char e = t[i + 1];
        uint32_t cp;
        i += 2;
        switch (e) {
        case 'n': cp = '\n'; break;
        case 't': cp = '\t'; break;
        case 'r': cp = '\r'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'v': cp = '\v'; break;
        case '0': cp = 0; break;
        case '\r': if (i < n && t[i] == '\n') i++; continue; /* line continuation */
        case '\n': continue;
        case 'x':
            if (i + 2 <= n && hexval(t[i]) >= 0 && hexval(t[i + 1]) >= 0) {
                cp = (uint32_t)(hexval(t[i]) << 4 | hexval(t[i + 1]));
                i += 2;
            } else cp = 'x';
            break;
        case 'u':
            if (i < n && t[i] == '{') {
                size_t j = i + 1;
                cp = 0;
                while (j < n && j < i + 8 && hexval(t[j]) >= 0) cp = cp << 4 | (uint32_t)hexval(t[j++]);
                if (j < n && t[j] == '}') i = j + 1; else cp = 'u';
            } else if (i + 4 <= n && hexval(t[i]) >= 0 && hexval(t[i + 1]) >= 0 && hexval(t[i + 2]) >= 0 &&
                       hexval(t[i + 3]) >= 0) {
                cp = (uint32_t)(hexval(t[i]) << 12 | hexval(t[i + 1]) << 8 | hexval(t[i + 2]) << 4 |
                                hexval(t[i + 3]));
                i += 4;
            } else cp = 'u';
            break;
        default: cp = (unsigned char)e; break;
        }
        if (cp < 0x80) {
            if (o < cap) out[o++] = (char)cp; else full = 1;
        } else o = put_cp(out, o, cap, cp, &full);
    }
    (void)full;
    return (size_t)-1;
}

size_t mt_base64_decode(const char *in, size_t n, unsigned char *out, size_t cap, int swapped)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;
        if (c >= 'A' && c <= 'Z') v = swapped ? c - 'A' + 26 : c - 'A';
        else if (c >= 'a' && c <= 'z') v = swapped ? c - 'a' : c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62;
        else if (c == '/' || c == '_') v = 63;
        else if (c == '=') break;
        else if (is_ws((char)c)) continue;
        else return (size_t)-1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap) return o;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    return o;
}

/* Next UTF-8 code point of s[*i..n) as a UTF-16 code unit sequence: returns
 * the unit and keeps the low surrogate pending in *pend. */
static uint32_t next_unit(const unsigned char *s, size_t n, size_t *i, uint32_t *pend)
{
    if (*pend) { uint32_t u = *pend; *pend = 0; return u; }
    unsigned char c = s[(*i)++];
    uint32_t cp;
    int more;
    if (c < 0x80) return c;
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; more = 1; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; more = 2; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; more = 3; }
    else return 0xFFFD;
    while (more-- > 0 && *i < n && (s[*i] & 0xC0) == 0x80) cp = cp << 6 | (s[(*i)++] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
        cp -= 0x10000;
        *pend = 0xDC00 | (cp & 0x3FF);
        return 0xD800 | (cp >> 10);
    }
    return cp;
}

/* The LZW decoder of the wrapper AuthedMine's packed build used (codes >= 256
 * are dictionary entries, each one the previous phrase plus the first
 * character of the next). Phrases are contiguous runs of the output, so an
 * entry is an (offset, length) pair into it. Characters >= 256 become '?'
 * one for one so offsets stay valid. Returns the output length, or 0 if the
 * input does not decode (a code beyond the next free one). */
static size_t lzw_decode(const unsigned char *s, size_t n, char *out, size_t cap, mt_unpack_work *w, int *cut)
{
    size_t i = 0, o = 0;
    uint32_t pend = 0;
    if (n == 0 || cap == 0) return 0;
    uint32_t first = next_unit(s, n, &i, &pend);
    if (first >= 256) return 0;
    out[o++] = (char)first;
    size_t old_off = 0, old_len = 1;
    uint32_t code = 256;
    while (i < n || pend) {
        uint32_t cu = next_unit(s, n, &i, &pend);
        size_t ph_off = o, ph_len;
        if (cu < 256) {
            if (o >= cap) { *cut = 1; break; }
            out[o++] = (char)cu;
            ph_len = 1;
        } else if (cu < code && cu - 256 < MT_LZW_DICT) {
            uint32_t off = w->lzw_off[cu - 256], len = w->lzw_len[cu - 256];
            if (o + len > cap) { *cut = 1; break; }
            memcpy(out + o, out + off, len);
            o += len;
            ph_len = len;
        } else if (cu == code) {
            if (o + old_len + 1 > cap) { *cut = 1; break; }
            memcpy(out + o, out + old_off, old_len);
            out[o + old_len] = out[old_off];
            o += old_len + 1;
            ph_len = old_len + 1;
        } else {
            return 0;
        }
        if (code - 256 < MT_LZW_DICT) {
            w->lzw_off[code - 256] = (uint32_t)old_off;
            w->lzw_len[code - 256] = (uint32_t)(old_len + 1);
        }
        code++;
        old_off = ph_off;
        old_len = ph_len;
    }
    return o;
}

/* ---- Dean Edwards' packer ---- */

static int digit62(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 36;
    return -1;
}

static int is_word(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static size_t parse_uint(const char *t, size_t n, size_t i, long *v)
{
    long x = 0;
    size_t j = i;
    while (j < n && t[j] >= '0' && t[j] <= '9' && x < 100000000) x = x * 10 + (t[j++] - '0');
    *v = j > i ? x : -1;
    return j;
}

/* The packed call ends the function: }('payload',a,c,'w|o|r|d|s'.split('|'),0,{})). The payload and
 * the word list are decoded in place in out: the words first at the end of
 * out, then the payload expanded at its start. */
static size_t unpack_eval(const char *t, size_t n, size_t at, char *out, size_t cap, int *cut)
{
    size_t lim = at + 4096 < n ? at + 4096 : n, i = at;
    /* Skip the decoder's body: find "}(" followed by a quote. */
    for (;; i++) {
        if (i + 2 >= lim) return 0;
        if (t[i] == '}') {
            size_t q = skip_ws(t, n, i + 1);
            if (q >= n || t[q] != '(') continue;
            q = skip_ws(t, n, q + 1);
            if (q < n && (t[q] == '\'' || t[q] == '"')) { i = q; break; }
        }
    }
    /* Payload into the first half of out, words into the second. */
    size_t half = cap / 2, end;
    char *pay = out + half;
    size_t plen = mt_js_string(t, n, i, pay, half / 2, &end);
    if (plen == (size_t)-1) return 0;
    long a, c;
    i = skip_ws(t, n, end);
    if (i >= n || t[i] != ',') return 0;
    i = parse_uint(t, n, skip_ws(t, n, i + 1), &a);
    i = skip_ws(t, n, i);
    if (a < 2 || a > 62 || i >= n || t[i] != ',') return 0;
    i = parse_uint(t, n, skip_ws(t, n, i + 1), &c);
    i = skip_ws(t, n, i);
    if (c < 0 || i >= n || t[i] != ',') return 0;
    i = skip_ws(t, n, i + 1);
    char *words = pay + plen;
    size_t wcap = cap - half - plen;
    size_t wlen = mt_js_string(t, n, i, words, wcap, &end);
    if (wlen == (size_t)-1) return 0;
    /* Word table: start/end offsets of the '|'-separated words, in the
     * unused tail of out (aligned); at most c words are indexed. */
    uintptr_t tail = ((uintptr_t)(words + wlen) + 3) & ~(uintptr_t)3;
    uintptr_t top = (uintptr_t)(out + cap);
    size_t wi_cap = tail < top ? (size_t)(top - tail) / (2 * sizeof(uint32_t)) : 0;
    uint32_t *woff = (uint32_t *)tail;
    uint32_t *wend = woff + wi_cap;
    size_t nw = 0, ws = 0;
    for (size_t k = 0; k <= wlen && nw < wi_cap; k++) {
        if (k == wlen || words[k] == '|') {
            woff[nw] = (uint32_t)ws;
            wend[nw] = (uint32_t)k;
            nw++;
            ws = k + 1;
        }
    }
    if ((long)nw > c) nw = (size_t)c;
    /* Expand: every word token whose base-a value is below the count and
     * whose word is non-empty is replaced. */
    size_t o = 0;
    for (size_t k = 0; k < plen;) {
        if (!is_word(pay[k])) {
            if (o >= half) { *cut = 1; break; }
            out[o++] = pay[k++];
            continue;
        }
        size_t s = k;
        while (k < plen && is_word(pay[k])) k++;
        long v = 0;
        int ok = !(k - s > 1 && pay[s] == '0');
        for (size_t j = s; j < k && ok; j++) {
            int d = digit62(pay[j]);
            if (d < 0 || d >= a || v > 100000000) ok = 0;
            else v = v * a + d;
        }
        const char *src = pay + s;
        size_t len = k - s;
        if (ok && (size_t)v < nw && wend[v] > woff[v]) {
            src = words + woff[v];
            len = wend[v] - woff[v];
        }
        if (o + len > half) { *cut = 1; break; }
        memmove(out + o, src, len);
        o += len;
    }
    return o;
}

/* ---- atob() ---- */

static int preceded_by(const char *t, size_t start, size_t back, const char *lit)
{
    size_t l = strlen(lit), from = start > back ? start - back : 0;
    for (size_t i = from; i + l <= start; i++)
        if (memcmp(t + i, lit, l) == 0) return 1;
    return 0;
}

static size_t unpack_atob(const char *t, size_t n, size_t at, char *out, size_t cap, mt_unpack_work *w,
                          int *cut)
{
    size_t q = skip_ws(t, n, at), end;
    if (q >= n || (t[q] != '\'' && t[q] != '"' && t[q] != '`')) return 0;
    /* The literal into the top of out, the bytes below it, the result at
     * the start: each stage is shorter than the one before except LZW. */
    size_t third = cap / 3;
    char *lit = out + 2 * third;
    size_t ll = mt_js_string(t, n, q, lit, cap - 2 * third, &end);
    if (ll == (size_t)-1 || ll < 16) return 0;
    unsigned char *bytes = (unsigned char *)out + third;
    size_t bl = mt_base64_decode(lit, ll, bytes, third, 0);
    if (bl == (size_t)-1 || bl == 0) return 0;
    /* decodeURIComponent(escape(s)) reads s as UTF-8. Code units >= 256 then
     * mean the LZW wrapper; otherwise the text is the payload. */
    int utf8 = preceded_by(t, at, 40, "escape(");
    if (utf8) {
        int wide = 0;
        size_t i = 0;
        uint32_t pend = 0;
        while (i < bl || pend)
            if (next_unit(bytes, bl, &i, &pend) >= 256) { wide = 1; break; }
        if (wide) {
            size_t o = lzw_decode(bytes, bl, out, third, w, cut);
            if (o) return o;
        }
    }
    memmove(out, bytes, bl);
    return bl;
}

/* ---- obfuscator.io string arrays ---- */

static int printable(const unsigned char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

static int b64_shaped(const char *s, size_t n)
{
    if (n < 4) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '/' || c == '='))
            return 0;
    }
    return 1;
}

/* Writes each element on its own line, and, for base64-shaped elements, the
 * printable decodings (standard and swapped-case alphabet) on lines after
 * it; the text starts with a newline so every string is "\n...\n". */
static size_t unpack_strarray(const char *t, size_t n, size_t at, char *out, size_t cap, int *cut,
                              size_t *start)
{
    /* The trigger ends at the first element's quote; the array starts at
     * the '[' before it. */
    if (at == 0 || at > n) return 0;
    size_t i = at - 1;
    while (i > 0 && t[i] != '[' && at - i < 64) i--;
    if (t[i] != '[') return 0;
    *start = i;
    i++;
    size_t o = 0, count = 0;
    if (cap < 2) return 0;
    out[o++] = '\n';
    for (;;) {
        i = skip_ws(t, n, i);
        if (i >= n || t[i] == ']') break;
        if (t[i] != '\'' && t[i] != '"') return count ? o : 0;
        size_t end, room = cap - o;
        if (room < 4) { *cut = 1; break; }
        size_t l = mt_js_string(t, n, i, out + o, room - 1, &end);
        if (l == (size_t)-1) return count ? o : 0;
        char *el = out + o;
        o += l;
        out[o++] = '\n';
        count++;
        if (b64_shaped(el, l)) {
            for (int sw = 0; sw < 2; sw++) {
                if (o + l >= cap) { *cut = 1; break; }
                size_t d = mt_base64_decode(el, l, (unsigned char *)out + o, cap - o - 1, sw);
                if (d != (size_t)-1 && d >= 2 && printable((unsigned char *)out + o, d)) {
                    o += d;
                    out[o++] = '\n';
                }
            }
        }
        i = skip_ws(t, n, end);
        if (i < n && t[i] == ',') i++;
        else break;
    }
    return count ? o : 0;
}

/* ---- String.fromCharCode(...) ---- */

static size_t unpack_charcode(const char *t, size_t n, size_t at, char *out, size_t cap, int *cut)
{
    size_t i = at, lim = at + 32 < n ? at + 32 : n;
    /* fromCharCode(99,...) or fromCharCode.apply(null, [99, ...]) */
    while (i < lim && !(t[i] >= '0' && t[i] <= '9')) {
        if (t[i] == ')' || t[i] == ';') return 0;
        i++;
    }
    size_t o = 0, count = 0;
    int full = 0;
    while (i < n) {
        i = skip_ws(t, n, i);
        uint32_t v = 0;
        size_t s = i;
        if (i + 1 < n && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
            i += 2;
            while (i < n && hexval(t[i]) >= 0 && v < 0x110000) v = v << 4 | (uint32_t)hexval(t[i++]);
        } else {
            while (i < n && t[i] >= '0' && t[i] <= '9' && v < 0x110000) v = v * 10 + (uint32_t)(t[i++] - '0');
        }
        if (i == s) break;
        o = put_cp(out, o, cap, v & 0xFFFF, &full);
        if (full) { *cut = 1; break; }
        count++;
        i = skip_ws(t, n, i);
        if (i < n && t[i] == ',') i++;
        else break;
    }
    return count >= 8 ? o : 0;
}

size_t mt_unpack(int kind, const char *t, size_t n, size_t at, char *out, size_t cap, mt_unpack_work *w,
                 int *cut, size_t *start)
{
    *cut = 0;
    *start = at;
    if (at > n || cap < 64) return 0;
    switch (kind) {
    case MT_PACK_EVAL: {
        /* The construct starts at "function" (or the "eval(" before it). */
        for (size_t b = at; b > 0 && at - b < 96; b--)
            if (b >= 8 && memcmp(t + b - 8, "function", 8) == 0) {
                *start = b - 8;
                if (b >= 13 && memcmp(t + b - 13, "eval(", 5) == 0) *start = b - 13;
                break;
            }
        return unpack_eval(t, n, at, out, cap, cut);
    }
    case MT_PACK_ATOB: return unpack_atob(t, n, at, out, cap, w, cut);
    case MT_PACK_STRARRAY: return unpack_strarray(t, n, at, out, cap, cut, start);
    case MT_PACK_CHARCODE: return unpack_charcode(t, n, at, out, cap, cut);
    case MT_PACK_ESCSTR: {
        size_t end, q = at;
        /* The trigger is a quote and eight escapes (4 or 6 characters
         * each), which hold no quote: the nearest one back opens it. */
        while (q > 0 && at - q < 50 && t[q - 1] != '\'' && t[q - 1] != '"') q--;
        if (q == 0 || at - q >= 50) return 0;
        *start = --q;
        size_t l = mt_js_string(t, n, q, out, cap, &end);
        if (l == (size_t)-1) return 0;
        if (l >= cap) *cut = 1;
        return l;
    }
    default: return 0;
    }
}
