/* Wasm modules carried inside text (scripts, HTML, JSON): base64 strings
 * and data: URIs, gzip+base64, and JavaScript byte arrays. See wasm.h.
 *
 * Base64 runs may be split across string concatenations ("AGFz" + "bQ...",
 * a bundler's line-wrapped literal): a quote, blanks, '+', blanks and the
 * same quote continue the run. Decoding goes through libcrypto
 * (EVP_DecodeBlock), inflating through zlib; the run is only gathered here. */
#include "web/wasm.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char WASM_B64[] = "AGFzbQEAAAA"; /* "\0asm" 01 00 00 00 */
static const char WASM_B64_ANCHOR[] = "AGFz";  /* "\0as": a split literal may break right after it */
static const char GZIP_B64[] = "H4sI";        /* 1f 8b 08 */

static int b64char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '-' || c == '_';
}

static int blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* After a closing quote at s[i]: the offset of the next run's first
 * character when a concatenation continues the string, else 0. */
static size_t join_after(const char *s, size_t n, size_t i)
{
    char q = s[i];
    size_t j = i + 1;
    while (j < n && blank((unsigned char)s[j])) j++;
    if (j >= n || s[j] != '+') return 0;
    j++;
    while (j < n && blank((unsigned char)s[j])) j++;
    if (j >= n || s[j] != q) return 0;
    return j + 1;
}

/* Gathers the base64 run starting at s[i] into buf (at most cap chars,
 * URL-safe letters mapped to the standard ones, '=' padding kept); returns
 * the chars gathered and sets *end past the run. With buf NULL it only
 * measures. */
static size_t gather_b64(const char *s, size_t n, size_t i, char *buf, size_t cap, size_t *end)
{
    size_t k = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (b64char(c)) {
            if (k == cap) break;
            if (buf) buf[k] = c == '-' ? '+' : c == '_' ? '/' : (char)c;
            k++;
            i++;
        } else if (c == '=') {
            while (i < n && s[i] == '=' && k < cap) {
                if (buf) buf[k] = '=';
                k++;
                i++;
            }
            break;
        } else if (c == '"' || c == '\'' || c == '`') {
            size_t j = join_after(s, n, i);
            if (!j) break;
            i = j;
        } else if (c == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == '\n')) {
            i += 2; /* a wrapped literal's escaped or continued newline */
        } else {
            break;
        }
    }
    *end = i;
    return k;
}

/* base64 chars to bytes in out (room for 3 * k / 4 + 3); returns the byte
 * count, or 0 when the run is not base64. */
static size_t decode_b64(char *chars, size_t k, uint8_t *out)
{
    size_t pad = 0;
    while (k && chars[k - 1] == '=') {
        k--;
        pad++;
    }
    size_t whole = k & ~(size_t)3, rest = k - whole;
    if (rest == 1) return 0;
    /* the tail group padded back to four, as EVP_DecodeBlock wants */
    if (rest) {
        for (size_t j = rest; j < 4; j++) chars[whole + j] = '=';
        whole += 4;
    }
    if (whole > (size_t)INT32_MAX) return 0;
    int got = EVP_DecodeBlock(out, (const unsigned char *)chars, (int)whole);
    if (got < 0) return 0;
    size_t len = (size_t)got;
    size_t drop = rest ? 4 - rest : (pad > 2 ? 2 : pad);
    (void)pad;
    return len >= drop ? len - drop : 0;
}

/* gzip member in[0..n) inflated into out (at most cap bytes); returns the
 * bytes produced, 0 when it is not gzip or does not start a module. */
static size_t gunzip(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return 0;
    z.next_in = (Bytef *)in;
    z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
    size_t got = 0;
    int rc = Z_OK;
    while (got < cap && rc == Z_OK) {
        size_t room = cap - got;
        z.next_out = out + got;
        z.avail_out = room > (1u << 20) ? (1u << 20) : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        got += before - z.avail_out;
        if (got >= 8 && memcmp(out, "\0asm", 4) != 0) break; /* compressed, but not Wasm */
        if (rc == Z_BUF_ERROR && before == z.avail_out) break;
    }
    inflateEnd(&z);
    if (got < 8 || memcmp(out, "\0asm", 4) != 0) return 0;
    return got;
}

/* A JS array of byte values at s[i] == '[': decimal or 0x hex, separated by
 * commas and blanks. Returns the bytes decoded into out (at most cap; with
 * out NULL only counted) when it starts with the Wasm magic and ends with
 * ']', else 0. *end is where reading stopped either way, so no later
 * candidate re-reads the list. */
static size_t parse_bytes(const char *s, size_t n, size_t i, uint8_t *out, size_t cap, size_t *end)
{
    size_t k = 0;
    uint8_t head[4];
    i++;
    *end = i;
    for (;;) {
        while (i < n && (blank((unsigned char)s[i]) || s[i] == ',')) i++;
        if (i >= n) break;
        if (s[i] == ']') {
            *end = i + 1;
            return k >= 8 ? k : 0;
        }
        unsigned v = 0;
        int digits = 0;
        if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            i += 2;
            while (i < n && digits < 3) {
                char c = s[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) break;
                v = v * 16 + (unsigned)d;
                digits++;
                i++;
            }
        } else {
            while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
                v = v * 10 + (unsigned)(s[i] - '0');
                digits++;
                i++;
            }
        }
        if (!digits || v > 255 || k == cap) break;
        if (k < 4) head[k] = (uint8_t)v;
        if (out) out[k] = (uint8_t)v;
        k++;
        if (k == 4 && memcmp(head, "\0asm", 4) != 0) break;
        if (i < n && !(blank((unsigned char)s[i]) || s[i] == ',' || s[i] == ']')) break;
    }
    *end = i;
    return 0;
}

/* Cheap first look at a '[': does a 0 (decimal or hex) begin a list whose
 * second value is 97 / 0x61? */
static int bytes_start(const char *s, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && blank((unsigned char)s[j])) j++;
    if (j >= n || s[j] != '0') return 0;
    j++;
    if (j < n && (s[j] == 'x' || s[j] == 'X')) {
        j++;
        while (j < n && s[j] == '0') j++;
    }
    while (j < n && (blank((unsigned char)s[j]) || s[j] == ',')) j++;
    if (j + 2 > n) return 0;
    return (s[j] == '9' && s[j + 1] == '7') || (s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'));
}

/* One candidate at text[i]: the decoded module in a buffer the caller
 * frees, sized to what the encoded form can hold. */
static uint8_t *decode_at(const char *text, size_t n, size_t i, int kind, size_t *len, size_t *end,
                          const char **how)
{
    const size_t cap = MT_WASM_EMBED_MAX_BYTES;
    uint8_t *mod = NULL;
    *len = 0;
    if (kind == 2) {
        /* counted first, so the buffer is the module's size */
        *how = "bytes";
        size_t k = parse_bytes(text, n, i, NULL, cap, end);
        if (!k || !(mod = malloc(k))) return NULL;
        *len = parse_bytes(text, n, i, mod, k, end);
        return mod;
    }
    if (kind == 0) {
        char head[sizeof WASM_B64];
        size_t hk = gather_b64(text, n, i, head, sizeof WASM_B64 - 1, end);
        if (hk != sizeof WASM_B64 - 1 || memcmp(head, WASM_B64, hk) != 0) return NULL;
    }
    size_t k = gather_b64(text, n, i, NULL, cap / 3 * 4 + 4, end);
    if (k < sizeof WASM_B64 - 1) return NULL;
    char *chars = malloc(k + 4);
    uint8_t *raw = malloc(k / 4 * 3 + 6);
    if (!chars || !raw) {
        free(chars);
        free(raw);
        return NULL;
    }
    gather_b64(text, n, i, chars, k, end);
    size_t got = decode_b64(chars, k, raw);
    free(chars);
    if (kind == 0) {
        *how = "base64";
        *len = got;
        return raw;
    }
    *how = "gzip+base64";
    /* Wasm compresses about 3:1; 16:1 leaves room and bounds a gzip bomb */
    size_t room = got > cap / 16 ? cap : got * 16 + 64;
    if (got && (mod = malloc(room))) *len = gunzip(raw, got, mod, room);
    free(raw);
    return mod;
}

size_t mt_wasm_find_embedded(const char *text, size_t n, mt_wasm_fn fn, void *ctx)
{
    if (!text || !n || !fn) return 0;
    size_t found = 0;
    int stop = 0;
    const char *w = memmem(text, n, WASM_B64_ANCHOR, sizeof WASM_B64_ANCHOR - 1);
    const char *g = memmem(text, n, GZIP_B64, sizeof GZIP_B64 - 1);
    const char *a = memchr(text, '[', n);
    size_t pos = 0;
    while (!stop && found < MT_WASM_EMBED_MAX_MODULES && (w || g || a)) {
        /* the earliest candidate next */
        const char *c = w;
        int kind = 0;
        if (g && (!c || g < c)) { c = g; kind = 1; }
        if (a && (!c || a < c)) { c = a; kind = 2; }
        size_t i = (size_t)(c - text), end = i + 1;
        int at_start = i == 0 || !b64char((unsigned char)text[i - 1]);
        if (i >= pos && (kind == 2 ? bytes_start(text, n, i) : at_start)) {
            size_t got = 0;
            const char *how = "";
            uint8_t *mod = decode_at(text, n, i, kind, &got, &end, &how);
            if (mod && got >= 8 && mt_wasm_probe(mod, got)) {
                found++;
                if (fn(ctx, mod, got, how, i)) stop = 1;
            }
            /* what was read is not read again: candidates inside a run or a
             * list that failed would make the search quadratic */
            pos = end;
            free(mod);
        }
        /* the next occurrence of the candidate just looked at */
        size_t from = i + 1;
        if (kind == 0) w = from < n ? memmem(text + from, n - from, WASM_B64_ANCHOR, sizeof WASM_B64_ANCHOR - 1) : NULL;
        if (kind == 1) g = from < n ? memmem(text + from, n - from, GZIP_B64, sizeof GZIP_B64 - 1) : NULL;
        if (kind == 2) a = from < n ? memchr(text + from, '[', n - from) : NULL;
    }
    return found;
}
