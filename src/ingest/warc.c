/* WARC/ARC reader (see warc.h).
 *
 * Input: a regular file is mapped; anything else (a pipe) is read through
 * util/bytestream. A gzip file is inflated member by member with libdeflate
 * into one window of decoded bytes (Common Crawl writes one member per
 * record, so a member is a record and is inflated in one call, which is
 * where the time goes); a member larger than the window's growth limit (one
 * member for the whole file) or damaged is streamed through zlib instead,
 * which also yields the bytes before damage. Damage puts a barrier in the
 * decoded stream: the record in progress ends there (cut), and parsing
 * goes on with the next member's bytes rather than reading them as the
 * rest of the damaged record.
 *
 * The record parser asks for n contiguous decoded bytes (src_fill), looks
 * at them in place and consumes them; the window is reused, so the steady
 * state allocates nothing. */
#include "ingest/warc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "util/bytestream.h"

#define HEAD_MAX        (64u * 1024u) /* WARC/ARC header block */
#define HTTP_HEAD_ALLOW (64u * 1024u)
#define URI_MAX         8192
#define FIRST_PULL      (1u << 20) /* free space offered to a member's first inflate */
#define MEMBER_MAX      (8u << 20) /* ... and to its second; beyond, zlib streams it */
#define STREAM_CHUNK    (1u << 20)
#define DONTNEED_STEP   (8u << 20)

enum { SRC_PLAIN, SRC_GZIP, SRC_STREAM };

typedef struct src {
    int mode;
    const uint8_t *in; /* whole input (mapped or in memory); PLAIN/GZIP */
    size_t in_len;
    size_t in_off; /* GZIP: raw offset of the next member */
    int mapped;
    size_t dontneed; /* mapped bytes already given back */
    uint8_t *buf;    /* decoded window; PLAIN: the input itself */
    size_t cap, pos, len;
    uint64_t base; /* decoded position of buf[0] */
    int eof, barrier;
    z_stream z;
    int z_init, z_active;
    size_t z_member;             /* raw offset of the member zlib is streaming */
    uint64_t m_dec[2], m_raw[2]; /* the last two members: decoded start, raw offset */
    mt_bytestream *bs;
} src;

struct mt_web_reader {
    mt_web_read_opts o;
    size_t block_cap; /* most of a record's block held at once */
    mt_web_record_fn fn;
    void *ctx;
    mt_web_stats *st;
    const char *path;
    src s;
    struct libdeflate_decompressor *ld;
    z_stream bz; /* body inflater (fallback) */
    int bz_init;
    uint8_t *chk, *dec; /* de-chunked and decoded bodies */
    size_t chk_cap, dec_cap;
    char uri[URI_MAX];
    char ctype[128];
    int stop;
    int resyncing; /* garbage after a counted malformed record is not counted again */
    int arc;       /* the input began with an ARC version block */
};

/* ---- messages and counters ---------------------------------------- */

void mt_web_reader_note(mt_web_reader *rd, const char *path, uint64_t off, const char *msg)
{
    if (rd->st->first_error[0]) return;
    snprintf(rd->st->first_error, sizeof rd->st->first_error, "%s: offset %llu: %s", path,
             (unsigned long long)off, msg);
}

static void note(mt_web_reader *rd, uint64_t off, const char *fmt, ...) MT_PRINTF(3, 4);
static void note(mt_web_reader *rd, uint64_t off, const char *fmt, ...)
{
    if (rd->st->first_error[0]) return;
    char m[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    mt_web_reader_note(rd, rd->path, off, m);
}

/* ---- the decoded byte source ------------------------------------- */

static void src_reserve(src *s, size_t free_want)
{
    if (s->cap - s->len >= free_want) return;
    size_t ncap = s->cap ? s->cap : 64 * 1024;
    while (ncap - s->len < free_want) ncap *= 2;
    s->buf = mt_xrealloc(s->buf, ncap);
    s->cap = ncap;
}

static void src_compact(src *s)
{
    if (s->pos == 0) return;
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->base += s->pos;
    s->len -= s->pos;
    s->pos = 0;
}

static void member_begins(src *s, size_t raw)
{
    s->m_dec[0] = s->m_dec[1];
    s->m_raw[0] = s->m_raw[1];
    s->m_dec[1] = s->base + s->len;
    s->m_raw[1] = raw;
}

/* Mapped input already inflated goes back to the kernel, so resident
 * memory stays flat on a long file. */
static void give_back(src *s, size_t done)
{
    if (!s->mapped || done < s->dontneed + DONTNEED_STEP) return;
    long pg = sysconf(_SC_PAGESIZE);
    size_t upto = done & ~((size_t)pg - 1);
    if (upto > s->dontneed) {
        madvise((void *)(uintptr_t)(s->in + s->dontneed), upto - s->dontneed, MADV_DONTNEED);
        s->dontneed = upto;
    }
}

/* After damage at member `start`: the next member begins at the next gzip
 * magic. */
static void resync_member(src *s, size_t start)
{
    static const uint8_t magic[3] = {0x1f, 0x8b, 0x08};
    const uint8_t *p = start + 1 < s->in_len
                           ? memmem(s->in + start + 1, s->in_len - start - 1, magic, sizeof magic)
                           : NULL;
    s->in_off = p ? (size_t)(p - s->in) : s->in_len;
    s->barrier = 1;
}

/* Stream the current member through zlib: one chunk. 1 when input was
 * used or the member ended (in damage too), 0 never: zlib always either
 * moves or fails. */
static int pull_zlib(mt_web_reader *rd, src *s)
{
    src_reserve(s, STREAM_CHUNK);
    size_t room = s->cap - s->len;
    s->z.next_out = s->buf + s->len;
    s->z.avail_out = (uInt)(room > UINT32_MAX ? UINT32_MAX : room);
    size_t before_in = s->z.avail_in;
    uInt before_out = s->z.avail_out;
    int rc = inflate(&s->z, Z_NO_FLUSH);
    size_t used = before_in - s->z.avail_in;
    size_t got = before_out - s->z.avail_out;
    s->len += got;
    s->in_off += used;
    if (rc == Z_STREAM_END) {
        s->z_active = 0;
        return 1;
    }
    if (rc == Z_OK && (got > 0 || used > 0)) return 1;
    rd->st->decode_errors++;
    if (rc == Z_BUF_ERROR || (rc == Z_OK && s->z.avail_in == 0)) {
        note(rd, s->z_member, "gzip member cut short");
        s->in_off = s->in_len;
    } else {
        note(rd, s->z_member, "damaged gzip member (%s)", s->z.msg ? s->z.msg : "inflate failed");
        resync_member(s, s->z_member);
    }
    s->z_active = 0;
    s->barrier = 1;
    return 1;
}

static void start_zlib(src *s)
{
    if (!s->z_init) {
        memset(&s->z, 0, sizeof s->z);
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) abort();
        s->z_init = 1;
    } else {
        inflateReset2(&s->z, 15 + 16);
    }
    s->z_active = 1;
    s->z_member = s->in_off;
    s->z.next_in = (Bytef *)(uintptr_t)(s->in + s->in_off);
    size_t rest = s->in_len - s->in_off;
    s->z.avail_in = (uInt)(rest > UINT32_MAX ? UINT32_MAX : rest);
}

/* One more step of decoded bytes; 0 when nothing could be added. */
static int src_pull(mt_web_reader *rd, src *s, size_t missing)
{
    if (s->mode == SRC_PLAIN) {
        s->eof = 1;
        return 0;
    }
    src_compact(s);
    if (s->mode == SRC_STREAM) {
        src_reserve(s, missing > STREAM_CHUNK ? missing : STREAM_CHUNK);
        long r = mt_bs_read(s->bs, s->buf + s->len, s->cap - s->len);
        if (r > 0) {
            s->len += (size_t)r;
            return 1;
        }
        if (r < 0) {
            rd->st->decode_errors++;
            note(rd, mt_bs_raw_pos(s->bs), "%s", mt_error_msg());
        }
        s->eof = 1;
        return 0;
    }
    if (s->z_active) {
        if (s->z.avail_in == 0 && s->in_off < s->in_len) { /* past 4 GiB of one member */
            s->z.next_in = (Bytef *)(uintptr_t)(s->in + s->in_off);
            size_t rest = s->in_len - s->in_off;
            s->z.avail_in = (uInt)(rest > UINT32_MAX ? UINT32_MAX : rest);
        }
        int moved = pull_zlib(rd, s);
        give_back(s, s->in_off);
        return moved;
    }
    if (s->in_off >= s->in_len) {
        s->eof = 1;
        return 0;
    }
    const uint8_t *m = s->in + s->in_off;
    size_t rest = s->in_len - s->in_off;
    if (rest < 2 || m[0] != 0x1f || m[1] != 0x8b) {
        for (size_t i = 0; i < rest; i++)
            if (m[i]) {
                rd->st->malformed++;
                note(rd, s->in_off, "data after the last gzip member");
                break;
            }
        s->in_off = s->in_len;
        s->eof = 1;
        return 0;
    }
    member_begins(s, s->in_off);
    size_t offer = missing > FIRST_PULL ? missing : FIRST_PULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        src_reserve(s, offer);
        size_t in_used = 0, out_got = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            rd->ld, m, rest, s->buf + s->len, s->cap - s->len, &in_used, &out_got);
        if (r == LIBDEFLATE_SUCCESS) {
            s->len += out_got;
            s->in_off += in_used;
            give_back(s, s->in_off);
            return 1;
        }
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE) break;
        offer = MEMBER_MAX > offer ? MEMBER_MAX : offer * 2;
    }
    /* Too large for one call, or damaged: zlib streams it, and says where
     * the damage is after giving the bytes before it. */
    start_zlib(s);
    return pull_zlib(rd, s);
}

/* At least `want` contiguous bytes at src_ptr(), unless the data ends (or
 * a barrier comes) first. Returns the bytes available. Pointers into the
 * window are invalid after a call. */
static size_t src_fill(mt_web_reader *rd, size_t want)
{
    src *s = &rd->s;
    while (s->len - s->pos < want && !s->eof && !s->barrier)
        if (!src_pull(rd, s, want - (s->len - s->pos))) break;
    return s->len - s->pos;
}

static inline const uint8_t *src_ptr(const src *s)
{
    return s->buf + s->pos;
}
static inline size_t src_avail(const src *s)
{
    return s->len - s->pos;
}
static inline void src_consume(src *s, size_t n)
{
    s->pos += n;
}
static inline uint64_t src_at(const src *s)
{
    return s->base + s->pos;
}

/* Consume n bytes, most of them not kept. Returns the bytes skipped. */
static uint64_t src_skip(mt_web_reader *rd, uint64_t n)
{
    src *s = &rd->s;
    uint64_t done = 0;
    while (done < n) {
        size_t a = src_avail(s);
        if (a == 0) {
            a = src_fill(rd, 1);
            if (a == 0) break;
        }
        size_t k = (n - done) < a ? (size_t)(n - done) : a;
        src_consume(s, k);
        done += k;
        if (s->mode == SRC_PLAIN) give_back(s, s->pos);
    }
    return done;
}

/* The file offset shown for a record starting at decoded position `at`. */
static uint64_t src_raw_of(const src *s, uint64_t at)
{
    switch (s->mode) {
    case SRC_PLAIN:
        return at;
    case SRC_GZIP:
        return at >= s->m_dec[1] ? s->m_raw[1] : s->m_raw[0];
    default:
        return mt_bs_is_gzip(s->bs) ? mt_bs_raw_pos(s->bs) : at;
    }
}

/* ---- small text helpers ------------------------------------------ */

static int ci_prefix(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower(p[i]) != lit[i]) return 0;
    return 1;
}

static int ci_eq(const uint8_t *p, size_t n, const char *lit)
{
    return strlen(lit) == n && ci_prefix(p, n, lit);
}

static void trim(const uint8_t **p, size_t *n)
{
    while (*n && (**p == ' ' || **p == '\t')) (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r')) (*n)--;
}

/* Decimal length, at most 2^50; -1 when not one. */
static int64_t parse_len(const uint8_t *p, size_t n)
{
    if (n == 0 || n > 15) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* The media type of a Content-Type value: lower case, no parameters. */
static void media_type(char *dst, size_t cap, const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != ';' && p[k] != ',') k++;
    trim(&p, &k);
    size_t j = 0;
    for (size_t i = 0; i < k && j + 1 < cap; i++) {
        if (p[i] == ' ' || p[i] == '\t') continue;
        dst[j++] = (char)tolower(p[i]);
    }
    dst[j] = '\0';
}

/* Where the head ends: the offset after the blank line, or 0. */
static size_t head_end(const uint8_t *p, size_t n)
{
    const uint8_t *q = p, *e = p + n;
    while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
        q++;
        if (q < e && *q == '\n') return (size_t)(q + 1 - p);
        if (q + 1 < e && q[0] == '\r' && q[1] == '\n') return (size_t)(q + 2 - p);
    }
    return 0;
}

static mt_time_us parse_date(const uint8_t *p, size_t n)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return 0;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    mt_time_us t;
    return mt_time_parse(tmp, &t) == MT_OK ? t : 0;
}

/* ARC's 14 digits (fewer are allowed: the rest is the start of the unit). */
static mt_time_us parse_arc_date(const uint8_t *p, size_t n)
{
    if (n < 4 || n > 17) return 0;
    char d[15] = "00000101000000";
    for (size_t i = 0; i < n && i < 14; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        d[i] = (char)p[i];
    }
    if (n < 6) d[4] = '0', d[5] = '1';
    if (n < 8) d[6] = '0', d[7] = '1';
    char iso[32];
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4, d + 6, d + 8, d + 10,
             d + 12);
    mt_time_us t;
    return mt_time_parse(iso, &t) == MT_OK ? t : 0;
}

static void set_uri(mt_web_reader *rd, const uint8_t *p, size_t n)
{
    /* WARC 1.0's grammar put the URI in <>; wget writes it so. */
    if (n >= 2 && p[0] == '<' && p[n - 1] == '>') p++, n -= 2;
    mt_memlcpy(rd->uri, sizeof rd->uri, p, n);
}

/* ---- payload decoding -------------------------------------------- */

static uint8_t *grow(uint8_t **b, size_t *cap, size_t want)
{
    if (*cap < want) {
        *b = mt_xrealloc(*b, want);
        *cap = want;
    }
    return *b;
}

/* De-chunk into rd->chk. 1 = done, 0 = the body is not chunked after
 * all (kept raw), -1 = bad or cut coding (what was decoded is kept). */
static int dechunk(mt_web_reader *rd, const uint8_t *p, size_t n, size_t *out_len, unsigned *flags)
{
    size_t max = rd->o.max_body;
    uint8_t *o = grow(&rd->chk, &rd->chk_cap, n < max ? (n ? n : 1) : max);
    size_t ol = 0, i = 0;
    int first = 1;
    for (;;) {
        size_t d = i;
        uint64_t sz = 0;
        while (d < n && isxdigit(p[d]) && d - i < 16) {
            int c = p[d];
            sz = sz * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            d++;
        }
        if (d == i) {
            if (first) return 0;
            if (i >= n) { /* no last chunk: cut */
                *flags |= MT_WEBREC_TRUNCATED;
                *out_len = ol;
                return 1;
            }
            *out_len = ol;
            return -1;
        }
        const uint8_t *nl = memchr(p + d, '\n', n - d);
        if (!nl) {
            if (first) return 0;
            *flags |= MT_WEBREC_TRUNCATED;
            *out_len = ol;
            return 1;
        }
        /* After the digits only extensions or spaces may stand. */
        if (d < n && p[d] != ';' && p[d] != '\r' && p[d] != '\n' && p[d] != ' ' && p[d] != '\t') {
            if (first) return 0;
            *out_len = ol;
            return -1;
        }
        first = 0;
        i = (size_t)(nl + 1 - p);
        if (sz == 0) break;
        size_t take = sz > n - i ? n - i : (size_t)sz;
        size_t room = max - ol;
        size_t put = take < room ? take : room;
        memcpy(o + ol, p + i, put);
        ol += put;
        if (put < take) { /* max_body reached */
            *flags |= MT_WEBREC_BODY_CAPPED;
            break;
        }
        if (take < sz) {
            *flags |= MT_WEBREC_TRUNCATED;
            break;
        }
        i += take;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
    }
    *out_len = ol;
    return 1;
}

enum { ENC_GZIP = 1, ENC_DEFLATE, ENC_BR, ENC_OTHER };

/* zlib over the body: gives the bytes before damage or the cut. */
static int inflate_partial(mt_web_reader *rd, const uint8_t *p, size_t n, int wbits, uint8_t *o,
                           size_t cap, size_t *got)
{
    if (!rd->bz_init) {
        memset(&rd->bz, 0, sizeof rd->bz);
        if (inflateInit2(&rd->bz, wbits) != Z_OK) abort();
        rd->bz_init = 1;
    } else {
        inflateReset2(&rd->bz, wbits);
    }
    rd->bz.next_in = (Bytef *)(uintptr_t)p;
    rd->bz.avail_in = (uInt)n;
    rd->bz.next_out = o;
    rd->bz.avail_out = (uInt)cap;
    int rc;
    do rc = inflate(&rd->bz, Z_NO_FLUSH);
    while (rc == Z_OK && rd->bz.avail_out > 0 && rd->bz.avail_in > 0);
    *got = cap - rd->bz.avail_out;
    return rc;
}

/* Decode a Content-Encoding into rd->dec. Returns 1 when *body now points
 * at decoded bytes, 0 when the body stays as it is. */
static int decode_body(mt_web_reader *rd, int enc, const uint8_t **body, size_t *blen,
                       unsigned *flags, uint64_t off)
{
    const uint8_t *p = *body;
    size_t n = *blen, max = rd->o.max_body;
    if (n == 0) return 0;
    if (enc == ENC_GZIP && (n < 2 || p[0] != 0x1f || p[1] != 0x8b))
        return 0; /* stored decoded, the header kept: nothing to undo */
    if (enc != ENC_GZIP && enc != ENC_DEFLATE) {
        rd->st->decode_errors++;
        note(rd, off, "Content-Encoding %s not decoded", enc == ENC_BR ? "br" : "(unknown)");
        return 0;
    }
    size_t cap = n < max / 8 ? n * 8 : max;
    if (cap < 64 * 1024) cap = max < 64 * 1024 ? max : 64 * 1024;
    if (enc == ENC_GZIP && n >= 18) {
        /* The trailer's ISIZE is the decoded size (mod 2^32) of a whole
         * member: the right buffer at once, or straight to the capped path. */
        uint32_t isize = (uint32_t)p[n - 4] | (uint32_t)p[n - 3] << 8 | (uint32_t)p[n - 2] << 16 |
                         (uint32_t)p[n - 1] << 24;
        if (isize > 0 && isize <= max) cap = isize > cap ? isize : cap;
    }
    for (;;) {
        uint8_t *o = grow(&rd->dec, &rd->dec_cap, cap);
        size_t got = 0;
        enum libdeflate_result r;
        if (enc == ENC_GZIP) {
            r = libdeflate_gzip_decompress(rd->ld, p, n, o, cap, &got);
        } else {
            r = libdeflate_zlib_decompress(rd->ld, p, n, o, cap, &got);
            if (r == LIBDEFLATE_BAD_DATA)
                r = libdeflate_deflate_decompress(rd->ld, p, n, o, cap, &got);
        }
        if (r == LIBDEFLATE_SUCCESS) {
            *body = o;
            *blen = got;
            return 1;
        }
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE && cap < max) {
            cap = cap * 4 < max ? cap * 4 : max;
            continue;
        }
        break;
    }
    /* Cut, damaged or longer than max_body: zlib keeps what it can. */
    uint8_t *o = grow(&rd->dec, &rd->dec_cap, max);
    size_t got = 0;
    int wb = enc == ENC_GZIP ? 15 + 16 : 15;
    int rc = inflate_partial(rd, p, n, wb, o, max, &got);
    if (enc == ENC_DEFLATE && rc == Z_DATA_ERROR && got == 0)
        rc = inflate_partial(rd, p, n, -15, o, max, &got);
    if (rc == Z_STREAM_END) {
    } else if (rd->bz.avail_out == 0) {
        *flags |= MT_WEBREC_BODY_CAPPED;
    } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR) {
        rd->st->decode_errors++;
        note(rd, off, "damaged %s body", enc == ENC_GZIP ? "gzip" : "deflate");
        if (got == 0) return 0;
    } else {
        *flags |= MT_WEBREC_TRUNCATED; /* the input ended first: a cut body */
    }
    *body = o;
    *blen = got;
    return 1;
}

/* ---- one record's payload ---------------------------------------- */

typedef struct hval {
    char v[128];
    int set;
} hval;

static void hval_put(hval *h, const uint8_t *p, size_t n, int append)
{
    size_t have = append ? strlen(h->v) : 0;
    if (append && have + 1 < sizeof h->v) h->v[have++] = ' ';
    mt_memlcpy(h->v + have, sizeof h->v - have, p, n);
    h->set = 1;
}

static int has_token(const char *v, const char *tok)
{
    size_t k = strlen(tok);
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t') p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ' && *e != ';') e++;
        if ((size_t)(e - p) == k && strncasecmp(p, tok, k) == 0) return 1;
        while (*e && *e != ',') e++;
        p = e;
    }
    return 0;
}

/* The encoding to undo: the last one listed ("identity" ignored). */
static int encoding_of(const char *v)
{
    const char *last = NULL;
    size_t lk = 0;
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t') p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ' && *e != ';') e++;
        if (e > p && !((size_t)(e - p) == 8 && strncasecmp(p, "identity", 8) == 0)) {
            last = p;
            lk = (size_t)(e - p);
        }
        while (*e && *e != ',') e++;
        p = e;
    }
    if (!last) return 0;
    if ((lk == 4 && strncasecmp(last, "gzip", 4) == 0) ||
        (lk == 6 && strncasecmp(last, "x-gzip", 6) == 0))
        return ENC_GZIP;
    if (lk == 7 && strncasecmp(last, "deflate", 7) == 0) return ENC_DEFLATE;
    if (lk == 2 && strncasecmp(last, "br", 2) == 0) return ENC_BR;
    return ENC_OTHER;
}

/* An HTTP response in a block: status, head, then the payload decoded. */
static void http_payload(mt_web_reader *rd, const uint8_t *b, size_t n, mt_web_record *r)
{
    /* "HTTP/d.d SP ddd" */
    size_t i = 5;
    while (i < n && i < 16 && b[i] != ' ') i++;
    while (i < n && b[i] == ' ') i++;
    int status = 0;
    if (i + 3 <= n && isdigit(b[i]) && isdigit(b[i + 1]) && isdigit(b[i + 2]) &&
        (i + 3 == n || !isdigit(b[i + 3])))
        status = (b[i] - '0') * 100 + (b[i + 1] - '0') * 10 + (b[i + 2] - '0');
    if (status < 100) { /* not a status line: the block is the payload */
        r->body = b;
        r->body_len = n;
        return;
    }
    r->http_status = status;
    size_t scan = n < HTTP_HEAD_ALLOW ? n : HTTP_HEAD_ALLOW;
    size_t he = head_end(b, scan);
    if (he == 0) { /* the head itself is cut */
        r->flags |= MT_WEBREC_TRUNCATED;
        r->body = b + n;
        r->body_len = 0;
        return;
    }
    hval ct = {{0}, 0}, ce = {{0}, 0}, te = {{0}, 0}, cl = {{0}, 0};
    hval *prev = NULL;
    const uint8_t *line = memchr(b, '\n', he);
    line = line ? line + 1 : b + he;
    while (line < b + he) {
        const uint8_t *nl = memchr(line, '\n', (size_t)(b + he - line));
        size_t ll = nl ? (size_t)(nl - line) : (size_t)(b + he - line);
        const uint8_t *lp = line;
        line = nl ? nl + 1 : b + he;
        if (ll == 0 || (ll == 1 && lp[0] == '\r')) break;
        if (lp[0] == ' ' || lp[0] == '\t') { /* folded: continues the previous field */
            const uint8_t *v = lp;
            size_t vn = ll;
            trim(&v, &vn);
            if (prev && vn) hval_put(prev, v, vn, 1);
            continue;
        }
        const uint8_t *colon = memchr(lp, ':', ll);
        prev = NULL;
        if (!colon) continue;
        size_t nn = (size_t)(colon - lp);
        const uint8_t *v = colon + 1;
        size_t vn = ll - nn - 1;
        trim(&v, &vn);
        if (ci_eq(lp, nn, "content-type"))
            prev = &ct;
        else if (ci_eq(lp, nn, "content-encoding"))
            prev = &ce;
        else if (ci_eq(lp, nn, "transfer-encoding"))
            prev = &te;
        else if (ci_eq(lp, nn, "content-length"))
            prev = &cl;
        else if (ci_prefix(lp, nn, "x-crawler-"))
            r->flags |= MT_WEBREC_CC_DECODED;
        if (prev) hval_put(prev, v, vn, 0);
    }
    if (ct.set) media_type(rd->ctype, sizeof rd->ctype, (const uint8_t *)ct.v, strlen(ct.v));
    const uint8_t *body = b + he;
    size_t blen = n - he;
    int chunked = te.set && has_token(te.v, "chunked");
    if (chunked) {
        size_t ol = 0;
        int dr = dechunk(rd, body, blen, &ol, &r->flags);
        if (dr != 0) {
            body = rd->chk;
            blen = ol;
        }
        if (dr < 0) {
            rd->st->decode_errors++;
            note(rd, r->offset, "bad chunked coding");
        }
    } else if (cl.set && !(r->flags & (MT_WEBREC_CC_DECODED | MT_WEBREC_REVISIT))) {
        /* A revisit keeps the head of a response whose payload it omits. */
        int64_t want = parse_len((const uint8_t *)cl.v, strlen(cl.v));
        if (want >= 0 && (uint64_t)want > blen) r->flags |= MT_WEBREC_TRUNCATED;
    }
    int enc = ce.set ? encoding_of(ce.v) : 0;
    if (enc) decode_body(rd, enc, &body, &blen, &r->flags, r->offset);
    r->body = body;
    r->body_len = blen;
}

enum { T_RESPONSE, T_RESOURCE, T_REQUEST, T_REVISIT, T_METADATA, T_OTHER };

static void count_type(mt_web_stats *st, int t)
{
    switch (t) {
    case T_RESPONSE:
        st->responses++;
        break;
    case T_RESOURCE:
        st->resources++;
        break;
    case T_REQUEST:
        st->requests++;
        break;
    case T_REVISIT:
        st->revisits++;
        break;
    case T_METADATA:
        st->metadata++;
        break;
    default:
        st->other++;
        break;
    }
}

/* Hand a framed record over (when its type carries a page or resource). */
static void deliver(mt_web_reader *rd, int type, const uint8_t *blk, size_t n, mt_web_record *r)
{
    rd->st->records++;
    count_type(rd->st, type);
    if (type == T_RESPONSE || type == T_REVISIT || type == T_RESOURCE) {
        if (type == T_REVISIT) r->flags |= MT_WEBREC_REVISIT;
        if (type != T_RESOURCE && n >= 5 && memcmp(blk, "HTTP/", 5) == 0) {
            http_payload(rd, blk, n, r);
        } else {
            r->body = blk;
            r->body_len = n;
        }
        if (r->body_len > rd->o.max_body) {
            r->body_len = rd->o.max_body;
            r->flags |= MT_WEBREC_BODY_CAPPED;
        }
        r->uri = rd->uri;
        r->content_type = rd->ctype;
        r->warc_file = rd->path;
        if (r->flags & MT_WEBREC_TRUNCATED) rd->st->truncated++;
        if (rd->fn(rd->ctx, r)) rd->stop = 1;
    } else if (r->flags & MT_WEBREC_TRUNCATED) {
        rd->st->truncated++;
    }
}

/* ---- framing ------------------------------------------------------ */

static const uint8_t *find_warc(const uint8_t *p, size_t n)
{
    return memmem(p, n, "WARC/1.", 7);
}

/* Skip to the next "WARC/1." (or, in an ARC file, the next line). */
static void resync(mt_web_reader *rd)
{
    src *s = &rd->s;
    if (rd->arc) {
        for (;;) {
            size_t a = src_fill(rd, 4096);
            if (a == 0) return;
            const uint8_t *nl = memchr(src_ptr(s), '\n', a);
            if (nl) {
                src_consume(s, (size_t)(nl + 1 - src_ptr(s)));
                return;
            }
            src_consume(s, a);
        }
    }
    src_consume(s, 1);
    for (;;) {
        size_t a = src_fill(rd, 64 * 1024);
        if (a == 0) return;
        const uint8_t *w = find_warc(src_ptr(s), a);
        if (w) {
            src_consume(s, (size_t)(w - src_ptr(s)));
            return;
        }
        if (a < 7) {
            src_consume(s, a);
            if (s->eof || s->barrier) return;
            continue;
        }
        src_consume(s, a - 6);
    }
}

static void malformed(mt_web_reader *rd, uint64_t off, const char *what)
{
    rd->st->malformed++;
    note(rd, off, "%s", what);
}

/* The block of a record whose header said `cl` bytes; then the trailer. */
static void read_block(mt_web_reader *rd, int type, int64_t cl, mt_web_record *r, uint64_t at)
{
    src *s = &rd->s;
    size_t keep = (uint64_t)cl <= rd->block_cap ? (size_t)cl : rd->block_cap;
    size_t a = src_fill(rd, keep + ((uint64_t)cl <= rd->block_cap ? 4 : 0));
    if (a >= keep + 4 && (uint64_t)cl == keep && memcmp(src_ptr(s) + keep, "\r\n\r\n", 4) == 0) {
        deliver(rd, type, src_ptr(s), keep, r);
        src_consume(s, keep + 4);
        return;
    }
    if ((uint64_t)cl == keep) a = src_fill(rd, keep + 16);
    const uint8_t *w;
    if (a < keep && (w = a > 1 ? find_warc(src_ptr(s) + 1, a - 1) : NULL) != NULL) {
        /* Content-Length too long: the next record starts inside */
        size_t cut = (size_t)(w - src_ptr(s));
        malformed(rd, r->offset, "Content-Length runs into the next record");
        r->flags |= MT_WEBREC_TRUNCATED;
        deliver(rd, type, src_ptr(s), cut, r);
        src_consume(s, cut);
        return;
    }
    if (a < keep) { /* the data (or the member) ends inside the block */
        malformed(rd, r->offset, "record cut short");
        r->flags |= MT_WEBREC_TRUNCATED;
        deliver(rd, type, src_ptr(s), a, r);
        src_consume(s, a);
        rd->resyncing = 1;
        return;
    }
    if ((uint64_t)cl > keep) { /* held in part: the rest is skipped */
        r->flags |= MT_WEBREC_BODY_CAPPED;
        deliver(rd, type, src_ptr(s), keep, r);
        src_consume(s, keep);
        if (src_skip(rd, (uint64_t)cl - keep) < (uint64_t)cl - keep)
            malformed(rd, r->offset, "record cut short");
        return;
    }
    const uint8_t *p = src_ptr(s);
    const uint8_t *t = p + keep;
    size_t tl = a - keep, k = 0;
    while (k < tl && k < 4 && (t[k] == '\r' || t[k] == '\n')) k++;
    /* CRLFCRLF ends the record; whatever follows is the next one's
     * business. Without it: the end of the data, the next header after
     * fewer newlines, or (ARC) one newline. */
    int ok = (tl >= 4 && memcmp(t, "\r\n\r\n", 4) == 0) || (k == tl && (tl < 16 || s->eof)) ||
             (tl - k >= 5 && memcmp(t + k, "WARC/", 5) == 0) || (rd->arc && k > 0) ||
             (tl - k < 5 && memcmp(t + k, "WARC/", tl - k) == 0);
    if (ok) {
        deliver(rd, type, p, keep, r);
        src_consume(s, keep + k);
        return;
    }
    /* Content-Length does not end at a record boundary. */
    w = keep > 1 ? find_warc(p + 1, keep - 1) : NULL;
    if (w) { /* too long: the next record starts inside */
        size_t cut = (size_t)(w - p);
        malformed(rd, r->offset, "Content-Length runs into the next record");
        r->flags |= MT_WEBREC_TRUNCATED;
        deliver(rd, type, p, cut, r);
        src_consume(s, cut);
        return;
    }
    malformed(rd, r->offset, "no record boundary after Content-Length");
    r->flags |= MT_WEBREC_TRUNCATED;
    deliver(rd, type, p, keep, r);
    src_consume(s, keep);
    rd->resyncing = 1;
}

static int warc_type(const uint8_t *v, size_t n)
{
    if (ci_eq(v, n, "response")) return T_RESPONSE;
    if (ci_eq(v, n, "resource")) return T_RESOURCE;
    if (ci_eq(v, n, "request")) return T_REQUEST;
    if (ci_eq(v, n, "revisit")) return T_REVISIT;
    if (ci_eq(v, n, "metadata")) return T_METADATA;
    return T_OTHER;
}

static void warc_record(mt_web_reader *rd, uint64_t at)
{
    src *s = &rd->s;
    mt_web_record r = {0};
    r.offset = src_raw_of(s, at);
    /* Look in what is decoded before decoding more: a member holds a
     * record, and pulling the next one early would blur the offsets. */
    size_t he = 0, a = src_avail(s);
    for (;;) {
        size_t scan = a < HEAD_MAX ? a : HEAD_MAX;
        he = head_end(src_ptr(s), scan);
        if (he || scan == HEAD_MAX) break;
        size_t more = src_fill(rd, a + 4096);
        if (more == a) break;
        a = more;
    }
    if (he == 0) {
        if (a < HEAD_MAX) {
            malformed(rd, r.offset, "record header cut short");
            src_consume(s, a);
            rd->resyncing = 1;
        } else {
            malformed(rd, r.offset, "record header longer than 64 KiB");
            rd->resyncing = 1;
            resync(rd);
        }
        return;
    }
    const uint8_t *h = src_ptr(s);
    int type = T_OTHER;
    int64_t cl = -1;
    rd->uri[0] = '\0';
    rd->ctype[0] = '\0';
    char payload_type[128] = "";
    const uint8_t *line = memchr(h, '\n', he);
    line = line ? line + 1 : h + he;
    while (line < h + he) {
        const uint8_t *nl = memchr(line, '\n', (size_t)(h + he - line));
        size_t ll = nl ? (size_t)(nl - line) : (size_t)(h + he - line);
        const uint8_t *lp = line;
        line = nl ? nl + 1 : h + he;
        const uint8_t *colon = memchr(lp, ':', ll);
        if (!colon || lp[0] == ' ' || lp[0] == '\t') continue;
        size_t nn = (size_t)(colon - lp);
        const uint8_t *v = colon + 1;
        size_t vn = ll - nn - 1;
        trim(&v, &vn);
        if (nn > 5 && ci_prefix(lp, nn, "warc-")) {
            const uint8_t *f = lp + 5;
            size_t fn = nn - 5;
            if (ci_eq(f, fn, "type"))
                type = warc_type(v, vn);
            else if (ci_eq(f, fn, "target-uri"))
                set_uri(rd, v, vn);
            else if (ci_eq(f, fn, "date"))
                r.date = parse_date(v, vn);
            else if (ci_eq(f, fn, "truncated"))
                r.flags |= MT_WEBREC_TRUNCATED;
            else if (ci_eq(f, fn, "identified-payload-type"))
                media_type(payload_type, sizeof payload_type, v, vn);
        } else if (ci_eq(lp, nn, "content-length")) {
            cl = parse_len(v, vn);
        } else if (ci_eq(lp, nn, "content-type") && type != T_RESPONSE && type != T_REVISIT) {
            media_type(rd->ctype, sizeof rd->ctype, v, vn);
        }
    }
    /* A response's record type is application/http; the payload's type
     * comes from the HTTP head, else from the crawler's identification. */
    if (type == T_RESPONSE || type == T_REVISIT || rd->ctype[0] == '\0' ||
        strncmp(rd->ctype, "application/http", 16) == 0)
        mt_strlcpy(rd->ctype, payload_type, sizeof rd->ctype);
    if (cl < 0) {
        malformed(rd, r.offset, "missing or bad Content-Length");
        rd->resyncing = 1;
        resync(rd);
        return;
    }
    src_consume(s, he);
    read_block(rd, type, cl, &r, at);
}

/* ARC: "URL IP DATE TYPE [...] LENGTH\n" then LENGTH bytes. */
static void arc_record(mt_web_reader *rd, uint64_t at)
{
    src *s = &rd->s;
    mt_web_record r = {0};
    r.offset = src_raw_of(s, at);
    size_t a = src_fill(rd, 8192);
    const uint8_t *p = src_ptr(s);
    const uint8_t *nl = memchr(p, '\n', a);
    if (!nl) {
        malformed(rd, r.offset, a < 8192 ? "ARC header cut short" : "ARC header line too long");
        rd->resyncing = 1;
        if (a < 8192)
            src_consume(s, a);
        else
            resync(rd);
        return;
    }
    size_t ll = (size_t)(nl - p);
    const uint8_t *f[16];
    size_t fl[16];
    int nf = 0;
    for (size_t i = 0; i < ll && nf < 16;) {
        while (i < ll && (p[i] == ' ' || p[i] == '\r')) i++;
        if (i >= ll) break;
        size_t j = i;
        while (j < ll && p[j] != ' ' && p[j] != '\r') j++;
        f[nf] = p + i;
        fl[nf++] = j - i;
        i = j;
    }
    int64_t cl = nf >= 5 ? parse_len(f[nf - 1], fl[nf - 1]) : -1;
    if (cl < 0 || memchr(f[0], ':', fl[0]) == NULL) {
        malformed(rd, r.offset, "bad ARC record header");
        rd->resyncing = 1;
        src_consume(s, ll + 1);
        return;
    }
    int type;
    if (ci_prefix(f[0], fl[0], "filedesc:")) {
        type = T_OTHER;
    } else {
        type = T_RESOURCE;
        media_type(rd->ctype, sizeof rd->ctype, f[3], fl[3]);
        if (strcmp(rd->ctype, "no-type") == 0 || strcmp(rd->ctype, "-") == 0) rd->ctype[0] = '\0';
    }
    set_uri(rd, f[0], fl[0]);
    r.date = parse_arc_date(f[2], fl[2]);
    src_consume(s, ll + 1);
    if (type == T_RESOURCE) {
        /* Only an HTTP head makes the record a response. */
        size_t b = src_fill(rd, 5);
        if (b >= 5 && (uint64_t)cl >= 5 && memcmp(src_ptr(s), "HTTP/", 5) == 0) {
            type = T_RESPONSE;
        }
    }
    if (type == T_RESPONSE) rd->ctype[0] = '\0'; /* the HTTP head says */
    read_block(rd, type, cl, &r, at);
}

static void read_records(mt_web_reader *rd)
{
    src *s = &rd->s;
    rd->resyncing = 0;
    rd->stop = 0;
    size_t a = src_fill(rd, 16);
    rd->arc = a >= 11 && memcmp(src_ptr(s), "filedesc://", 11) == 0;
    while (!rd->stop) {
        if (s->mode == SRC_PLAIN) give_back(s, s->pos);
        a = src_fill(rd, 1);
        const uint8_t *p = src_ptr(s);
        size_t k = 0;
        while (k < a && (p[k] == '\r' || p[k] == '\n' || p[k] == '\0')) k++;
        src_consume(s, k);
        if (k == a) {
            if (a == 0 && s->barrier)
                s->barrier = 0;
            else if (a == 0)
                break;
            continue;
        }
        a = src_fill(rd, 16);
        p = src_ptr(s);
        uint64_t at = src_at(s);
        if (a >= 7 && memcmp(p, "WARC/1.", 7) == 0) {
            rd->resyncing = 0;
            warc_record(rd, at);
        } else if (rd->arc) {
            arc_record(rd, at);
        } else {
            if (!rd->resyncing) malformed(rd, src_raw_of(s, at), "not a WARC record header");
            rd->resyncing = 1;
            resync(rd);
        }
    }
}

/* ---- entry points ------------------------------------------------ */

mt_web_reader *mt_web_reader_new(const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                                 mt_web_stats *st)
{
    mt_web_reader *rd = mt_xcalloc(1, sizeof *rd);
    rd->o.max_body = o && o->max_body ? o->max_body : MT_WEB_MAX_BODY_DEFAULT;
    rd->block_cap = rd->o.max_body + HTTP_HEAD_ALLOW;
    rd->fn = fn;
    rd->ctx = ctx;
    rd->st = st;
    rd->ld = libdeflate_alloc_decompressor();
    if (!rd->ld) abort();
    return rd;
}

size_t mt_web_reader_max_body(const mt_web_reader *rd)
{
    return rd->o.max_body;
}

void mt_web_reader_free(mt_web_reader *rd)
{
    if (!rd) return;
    if (rd->s.z_init) inflateEnd(&rd->s.z);
    if (rd->bz_init) inflateEnd(&rd->bz);
    if (rd->s.mode != SRC_PLAIN) free(rd->s.buf);
    libdeflate_free_decompressor(rd->ld);
    free(rd->chk);
    free(rd->dec);
    free(rd);
}

/* Set up the source over bytes in memory. The window buffer of a previous
 * gzip input is kept for reuse. */
static void src_over(mt_web_reader *rd, const uint8_t *data, size_t len, int mapped)
{
    src *s = &rd->s;
    uint8_t *keep = s->mode != SRC_PLAIN ? s->buf : NULL;
    size_t keep_cap = keep ? s->cap : 0;
    z_stream z = s->z;
    int z_init = s->z_init;
    memset(s, 0, sizeof *s);
    s->z = z;
    s->z_init = z_init;
    s->in = data;
    s->in_len = len;
    s->mapped = mapped;
    if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        s->mode = SRC_GZIP;
        s->buf = keep;
        s->cap = keep_cap;
    } else {
        free(keep);
        s->mode = SRC_PLAIN;
        s->buf = (uint8_t *)(uintptr_t)data;
        s->cap = s->len = len;
    }
}

static void src_done(mt_web_reader *rd)
{
    src *s = &rd->s;
    rd->st->bytes_in += s->mode == SRC_STREAM ? mt_bs_raw_pos(s->bs) : s->in_len;
    if (s->mode == SRC_STREAM) {
        mt_bs_close(s->bs);
        s->bs = NULL;
    }
    if (s->mode == SRC_PLAIN) { /* the window was the input */
        s->buf = NULL;
        s->cap = 0;
    }
}

int mt_web_reader_file(mt_web_reader *rd, const char *path, int *stopped)
{
    rd->path = path;
    int is_stdin = strcmp(path, "-") == 0;
    struct stat sb;
    /* stat, not open: a FIFO opened and closed to look at it would leave
     * its writer without a reader. */
    if (!is_stdin && stat(path, &sb) != 0)
        return mt_error_set(MT_EIO, "cannot open %s: %s", path, strerror(errno));
    if (!is_stdin && S_ISDIR(sb.st_mode))
        return mt_error_set(MT_EIO, "cannot read %s: is a directory", path);
    if (!is_stdin && S_ISREG(sb.st_mode)) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &sb) != 0) {
            int e = errno;
            if (fd >= 0) close(fd);
            return mt_error_set(MT_EIO, "cannot open %s: %s", path, strerror(e));
        }
        size_t len = (size_t)sb.st_size;
        void *m = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
        close(fd);
        if (len && m == MAP_FAILED)
            return mt_error_set(MT_EIO, "cannot map %s: %s", path, strerror(errno));
        if (m) madvise(m, len, MADV_SEQUENTIAL);
        src_over(rd, m, len, 1);
        read_records(rd);
        src_done(rd);
        if (m) munmap(m, len);
    } else {
        mt_bytestream *bs = mt_bs_open(path);
        if (!bs) return MT_EIO;
        src_over(rd, (const uint8_t *)"", 0, 0);
        src *s = &rd->s;
        s->mode = SRC_STREAM;
        s->buf = NULL;
        s->cap = s->len = 0;
        s->bs = bs;
        read_records(rd);
        src_done(rd);
    }
    if (stopped) *stopped = rd->stop;
    return MT_OK;
}

int mt_warc_read_file(const char *path, const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                      mt_web_stats *st)
{
    mt_web_reader *rd = mt_web_reader_new(o, fn, ctx, st);
    int rc = mt_web_reader_file(rd, path, NULL);
    mt_web_reader_free(rd);
    return rc;
}

int mt_warc_read_mem(const uint8_t *data, size_t len, const char *name, const mt_web_read_opts *o,
                     mt_web_record_fn fn, void *ctx, mt_web_stats *st)
{
    mt_web_reader *rd = mt_web_reader_new(o, fn, ctx, st);
    rd->path = name;
    src_over(rd, data, len, 0);
    read_records(rd);
    src_done(rd);
    mt_web_reader_free(rd);
    return MT_OK;
}

int mt_warc_sniff(const uint8_t *data, size_t len)
{
    uint8_t tmp[64];
    if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, 15 + 16) != Z_OK) return 0;
        z.next_in = (Bytef *)(uintptr_t)data;
        z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
        z.next_out = tmp;
        z.avail_out = sizeof tmp;
        inflate(&z, Z_SYNC_FLUSH);
        size_t got = sizeof tmp - z.avail_out;
        inflateEnd(&z);
        data = tmp;
        len = got;
    }
    size_t k = 0;
    while (k < len && (data[k] == '\r' || data[k] == '\n')) k++;
    data += k;
    len -= k;
    return (len >= 7 && memcmp(data, "WARC/1.", 7) == 0) ||
           (len >= 11 && memcmp(data, "filedesc://", 11) == 0);
}
