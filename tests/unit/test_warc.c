/* ingest/warc + webdir: every file of the shared corpus's web/warc directory
 * (record counts by type, the delivered records' payload bytes, the first
 * delivered record's URI/date/status/payload prefix, truncated and
 * malformed counters), the same files re-packed at test time (one gzip
 * member for the whole file, one member per record, ARC in gzip, read
 * through a pipe), and hand-made bad inputs: cut at every offset, garbage
 * between records, bad and over-long Content-Length, damaged members,
 * chunked/gzip/deflate payloads, folded headers, Common Crawl's renamed
 * headers, WARC-Truncated, the body cap, a stopping callback, and
 * directories of saved pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/warc.h"
#include "minetrace/common.h"

/* ---- helpers ------------------------------------------------------- */

#define KEEP 64

typedef struct seen {
    size_t n;
    uint64_t payload_bytes;
    char uri[KEEP][256];
    char ctype[KEEP][64];
    char prefix[KEEP][64];
    size_t len[KEEP];
    int status[KEEP];
    unsigned flags[KEEP];
    mt_time_us date[KEEP];
    uint64_t offset[KEEP];
    size_t stop_after; /* 0 = never */
    size_t n_revisit, n_cc, n_truncated;
} seen;

static int collect(void *ctx, const mt_web_record *r)
{
    seen *s = ctx;
    /* What every consumer relies on: NUL-terminated strings, a body. */
    assert_non_null(r->uri);
    assert_non_null(r->content_type);
    assert_non_null(r->warc_file);
    assert_true(r->body != NULL || r->body_len == 0);
    for (const char *c = r->content_type; *c; c++) assert_false(*c >= 'A' && *c <= 'Z');
    assert_null(strchr(r->content_type, ';'));
    if (s->n < KEEP) {
        mt_strlcpy(s->uri[s->n], r->uri, sizeof s->uri[0]);
        mt_strlcpy(s->ctype[s->n], r->content_type, sizeof s->ctype[0]);
        mt_memlcpy(s->prefix[s->n], sizeof s->prefix[0], r->body,
                   r->body_len < sizeof s->prefix[0] - 1 ? r->body_len : sizeof s->prefix[0] - 1);
        s->len[s->n] = r->body_len;
        s->status[s->n] = r->http_status;
        s->flags[s->n] = r->flags;
        s->date[s->n] = r->date;
        s->offset[s->n] = r->offset;
    }
    s->n++;
    s->payload_bytes += r->body_len;
    s->n_revisit += !!(r->flags & MT_WEBREC_REVISIT);
    s->n_cc += !!(r->flags & MT_WEBREC_CC_DECODED);
    s->n_truncated += !!(r->flags & MT_WEBREC_TRUNCATED);
    return s->stop_after && s->n >= s->stop_after;
}

static const char *corpus_dir(void)
{
    static char p[1024];
    const char *c = getenv("MT_CORPUS");
    snprintf(p, sizeof p, "%s/web/warc", c ? c : "../shared/corpus");
    return p;
}

static char tmpdir[128];

static const char *tmp(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)l + 1);
    assert_int_equal(fread(b, 1, (size_t)l, f), (size_t)l);
    fclose(f);
    *n = (size_t)l;
    return b;
}

static void spill(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d, 1, n, f), n);
    fclose(f);
}

/* Append one gzip member of d[0..n) to *out. */
static void gz_member(uint8_t **out, size_t *olen, const void *d, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)n);
    *out = realloc(*out, *olen + cap);
    z.next_in = (Bytef *)(uintptr_t)d;
    z.avail_in = (uInt)n;
    z.next_out = *out + *olen;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *olen += cap - z.avail_out;
    deflateEnd(&z);
}

/* zlib-wrapped (wbits 15) or raw (-15) deflate of a string. */
static size_t deflate_str(const char *s, uint8_t *out, size_t cap, int wbits)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

/* A WARC record around a block. */
static size_t warc_rec(char *out, size_t cap, const char *type, const char *uri, const char *extra,
                       const void *block, size_t n)
{
    int h = snprintf(
        out, cap,
        "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
        "WARC-Date: 2020-01-02T03:04:05Z\r\n%sContent-Type: %s\r\n"
        "Content-Length: %zu\r\n\r\n",
        type, uri, extra ? extra : "",
        strcmp(type, "response") == 0 ? "application/http; msgtype=response" : "text/html", n);
    assert_true(h > 0 && (size_t)h + n + 4 <= cap);
    memcpy(out + h, block, n);
    memcpy(out + h + n, "\r\n\r\n", 4);
    return (size_t)h + n + 4;
}

static mt_time_us iso(const char *s)
{
    mt_time_us t = 0;
    if (*s) assert_int_equal(mt_time_parse(s, &t), MT_OK);
    return t;
}

/* ---- the corpus ------------------------------------------------------ */

/* Expected numbers computed independently at test-writing time by a small
 * Python script (gzip.decompress of the whole file, its own framing by
 * "WARC/1." + Content-Length, its own ARC line parser, de-chunking only
 * when the body starts with a chunk-size line, zlib for Content-Encoding:
 * gzip, malformed = a block not followed by CRLFCRLF, truncated = a
 * WARC-Truncated header or a gzip payload that does not reach its end).
 * "delivered" = response + resource + revisit records; payload_bytes =
 * the sum of their decoded payload lengths. The first delivered record's
 * URI, date, status, first bytes and length are the script's too. */
static const struct corpus_exp {
    const char *file;
    uint64_t records, responses, resources, requests, revisits, metadata, other;
    size_t delivered;
    uint64_t payload_bytes, truncated, malformed;
    const char *uri, *date;
    int status;
    const char *prefix;
    size_t len;
} corpus[] = {
    {"ccwhirlwind_whirlwind.warc.gz", 4, 1, 0, 1, 0, 1, 1, 1, 72848, 0, 0,
     "https://an.wikipedia.org/wiki/Escopete", "2024-05-18T01:58:10Z", 200, "<!DOCTYPE html>\n",
     72848},
    {"ccwhirlwind_whirlwind.warc.wat.gz", 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, "", "", 0, "", 0},
    {"ccwhirlwind_whirlwind.warc.wet.gz", 2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, "", "", 0, "", 0},
    {"jwarc_cc.warc.gz", 1, 1, 0, 0, 0, 0, 0, 1, 20289, 0, 0, "http://commoncrawl.org/",
     "2019-12-10T10:00:01Z", 200, "\n<!DOCTYPE html>", 20289},
    {"pywb_dupes.warc.gz", 25, 3, 0, 12, 9, 0, 1, 12, 1270, 0, 0, "http://example.com",
     "2014-01-27T17:12:00Z", 200, "<!doctype html>\n", 1270},
    {"pywb_example-wpull.warc.gz", 4, 1, 1, 1, 0, 0, 1, 2, 1990, 0, 0, "http://example.com/",
     "2015-03-30T23:50:46Z", 200, "<!doctype html>\n", 1270},
    {"pywb_iana.warc.gz", 343, 48, 0, 171, 123, 0, 1, 171, 2069892, 0, 0, "http://www.iana.org/",
     "2014-01-26T20:06:24Z", 200, "<!doctype html>\n", 5678},
    {"warcio_example-digest.warc", 4, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, "", "", 0, "", 0},
    {"warcio_example-iana.org-chunked.warc", 3, 1, 0, 1, 0, 0, 1, 1, 7223, 0, 0,
     "http://www.iana.org/", "2017-03-06T16:54:09Z", 200, "<!doctype html>\n", 7223},
    {"warcio_example-resource.warc.gz", 3, 0, 1, 0, 0, 0, 2, 1, 1303, 0, 0, "http://example.com/",
     "2017-04-29T01:30:30Z", 0, "<!DOCTYPE html><", 1303},
    {"warcio_example-trunc.warc", 4, 1, 0, 1, 0, 0, 2, 1, 1270, 1, 1, "http://example.com/",
     "2017-03-06T04:02:06Z", 200, "<!doctype html>\n", 1270},
    {"warcio_example-wget-bad-target-uri.warc.gz", 6, 1, 2, 1, 0, 1, 1, 3, 1790, 0, 0,
     "http://example.com/", "2018-02-09T15:12:11Z", 200, "<!doctype html>\n", 1270},
    {"warcio_example.arc", 2, 1, 0, 0, 0, 0, 1, 1, 1270, 0, 0, "http://example.com/",
     "2014-02-16T05:02:21Z", 200, "<!doctype html>\n", 1270},
    {"warcio_example.warc", 6, 1, 0, 2, 1, 0, 2, 2, 1270, 0, 0, "http://example.com/",
     "2017-03-06T04:02:06Z", 200, "<!doctype html>\n", 1270},
    {"warcio_example.warc.gz", 6, 1, 0, 2, 1, 0, 2, 2, 1270, 0, 0, "http://example.com/",
     "2017-03-06T04:02:06Z", 200, "<!doctype html>\n", 1270},
    {"warcio_post-test.warc.gz", 6, 3, 0, 3, 0, 0, 0, 3, 1648, 0, 0, "http://httpbin.org/post",
     "2014-06-10T00:08:59Z", 200, "{\n  \"args\": {}, ", 545},
};

static void read_corpus_file(const struct corpus_exp *e, const char *path)
{
    seen s = {0};
    mt_web_stats st = {0};
    assert_int_equal(mt_warc_read_file(path, NULL, collect, &s, &st), MT_OK);
    if (st.records != e->records)
        fail_msg("%s: %llu records", path, (unsigned long long)st.records);
    assert_int_equal(st.responses, e->responses);
    assert_int_equal(st.resources, e->resources);
    assert_int_equal(st.requests, e->requests);
    assert_int_equal(st.revisits, e->revisits);
    assert_int_equal(st.metadata, e->metadata);
    assert_int_equal(st.other, e->other);
    assert_int_equal(s.n, e->delivered);
    assert_int_equal(s.payload_bytes, e->payload_bytes);
    assert_int_equal(st.truncated, e->truncated);
    assert_int_equal(st.malformed, e->malformed);
    assert_int_equal(st.decode_errors, 0);
    assert_int_equal(s.n_revisit, e->revisits);
    assert_int_equal(s.n_truncated, e->truncated);
    /* Common Crawl's two files rename the coding headers (X-Crawler-*) */
    assert_int_equal(s.n_cc, strncmp(e->file, "jwarc_cc", 8) == 0 ||
                                 strcmp(e->file, "ccwhirlwind_whirlwind.warc.gz") == 0);
    if (e->malformed == 0)
        assert_string_equal(st.first_error, "");
    else
        assert_non_null(strstr(st.first_error, "offset"));
    if (e->delivered) {
        assert_string_equal(s.uri[0], e->uri);
        assert_int_equal(s.date[0], iso(e->date));
        assert_int_equal(s.status[0], e->status);
        assert_int_equal(s.len[0], e->len);
        assert_memory_equal(s.prefix[0], e->prefix, strlen(e->prefix));
        assert_string_equal(s.ctype[0], strstr(e->uri, "/post") ? "application/json" : "text/html");
    }
}

static void test_corpus_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", corpus_dir(), corpus[i].file);
        read_corpus_file(&corpus[i], path);
    }
}

static const struct corpus_exp *find_exp(const char *file)
{
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++)
        if (strcmp(corpus[i].file, file) == 0) return &corpus[i];
    fail_msg("no expectation for %s", file);
    return NULL;
}

/* The same records in other wrappings give the same answers. */
static void test_corpus_repacked(void **state)
{
    (void)state;
    static const char *plain[] = {"warcio_example.warc", "warcio_example-iana.org-chunked.warc",
                                  "warcio_example.arc", "warcio_example-digest.warc"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", corpus_dir(), plain[i]);
        size_t n;
        uint8_t *d = slurp(path, &n);
        /* one member for the whole file */
        uint8_t *gz = NULL;
        size_t gl = 0;
        gz_member(&gz, &gl, d, n);
        spill(tmp("whole.gz"), gz, gl);
        read_corpus_file(find_exp(plain[i]), tmp("whole.gz"));
        /* one member per record (ARC: per line-framed record, cut at each
         * header start; WARC: at each "WARC/1.") */
        free(gz);
        gz = NULL;
        gl = 0;
        size_t start = 0;
        for (size_t k = 1; k <= n; k++) {
            int cut = k == n;
            if (!cut && plain[i][strlen(plain[i]) - 1] == 'c')
                cut = d[k - 1] == '\n' && k + 7 < n && memcmp(d + k, "http://", 7) == 0;
            else if (!cut)
                cut = k + 7 < n && memcmp(d + k, "WARC/1.", 7) == 0;
            if (cut) {
                gz_member(&gz, &gl, d + start, k - start);
                start = k;
            }
        }
        spill(tmp("perrec.gz"), gz, gl);
        read_corpus_file(find_exp(plain[i]), tmp("perrec.gz"));
        /* in memory, as the fuzz target reads */
        seen s = {0};
        mt_web_stats st = {0};
        assert_int_equal(mt_warc_read_mem(gz, gl, "mem", NULL, collect, &s, &st), MT_OK);
        assert_int_equal(st.records, find_exp(plain[i])->records);
        free(gz);
        free(d);
    }
}

/* A pipe goes through util/bytestream (gzip streamed by zlib). */
static void test_corpus_pipe(void **state)
{
    (void)state;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", corpus_dir(), "pywb_iana.warc.gz");
    const char *fifo = tmp("fifo");
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t n;
        uint8_t *d = slurp(path, &n);
        int fd = open(fifo, O_WRONLY);
        size_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, d + off, n - off > 3000 ? 3000 : n - off);
            if (w <= 0) _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    read_corpus_file(find_exp("pywb_iana.warc.gz"), fifo);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink(fifo);
}

/* ---- hand-made records ----------------------------------------------- */

static const char page[] = "<html><script src=\"/js/a.js\"></script>hello</html>";

static size_t simple_response(char *out, size_t cap, const char *uri)
{
    char blk[512];
    int n = snprintf(blk, sizeof blk,
                     "HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; charset=utf-8\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(page), page);
    return warc_rec(out, cap, "response", uri, NULL, blk, (size_t)n);
}

static void read_mem(const void *d, size_t n, seen *s, mt_web_stats *st, size_t max_body)
{
    mt_web_read_opts o = {max_body};
    memset(st, 0, sizeof *st);
    assert_int_equal(mt_warc_read_mem(d, n, "test.warc", &o, collect, s, st), MT_OK);
}

static void test_simple_and_types(void **state)
{
    (void)state;
    char buf[8192];
    size_t n = simple_response(buf, sizeof buf, "<http://a.example/>");
    n += warc_rec(buf + n, sizeof buf - n, "resource", "http://a.example/js/a.js", NULL, "var x=1;",
                  8);
    n += warc_rec(buf + n, sizeof buf - n, "request", "http://a.example/", NULL,
                  "GET / HTTP/1.1\r\n\r\n", 18);
    n += warc_rec(buf + n, sizeof buf - n, "metadata", "http://a.example/", NULL, "k: v\r\n", 6);
    n += warc_rec(buf + n, sizeof buf - n, "conversion", "http://a.example/", NULL, "text", 4);
    n += warc_rec(buf + n, sizeof buf - n, "warcinfo", "", NULL, "software: x\r\n", 13);
    n += warc_rec(buf + n, sizeof buf - n, "revisit", "http://a.example/", NULL,
                  "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", 49);
    seen s = {0};
    mt_web_stats st;
    read_mem(buf, n, &s, &st, 0);
    assert_int_equal(st.records, 7);
    assert_int_equal(st.responses, 1);
    assert_int_equal(st.resources, 1);
    assert_int_equal(st.requests, 1);
    assert_int_equal(st.metadata, 1);
    assert_int_equal(st.other, 2);
    assert_int_equal(st.revisits, 1);
    assert_int_equal(st.malformed + st.truncated + st.decode_errors, 0);
    assert_int_equal(st.bytes_in, n);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.uri[0], "http://a.example/"); /* <> stripped */
    assert_int_equal(s.status[0], 200);
    assert_string_equal(s.ctype[0], "text/html");
    assert_string_equal(s.prefix[0], page);
    assert_int_equal(s.date[0], iso("2020-01-02T03:04:05Z"));
    assert_int_equal(s.offset[0], 0);
    assert_string_equal(s.uri[1], "http://a.example/js/a.js");
    assert_int_equal(s.status[1], 0);
    assert_string_equal(s.ctype[1], "text/html");
    assert_string_equal(s.prefix[1], "var x=1;");
    assert_true(s.offset[1] > 0);
    assert_int_equal(s.flags[2], MT_WEBREC_REVISIT); /* no payload is no truncation */
    assert_int_equal(s.status[2], 304);
    assert_int_equal(s.len[2], 0);
}

/* Cut a small file at every offset: never a crash, never a hang, and a
 * cut inside a record is counted (delivered truncated when the header
 * made it). Plain, and one gzip member per record. */
static void test_cut_everywhere(void **state)
{
    (void)state;
    char buf[4096];
    size_t one = simple_response(buf, sizeof buf, "http://a.example/");
    size_t n = one + simple_response(buf + one, sizeof buf - one, "http://b.example/");
    for (size_t cut = 0; cut <= n; cut++) {
        seen s = {0};
        mt_web_stats st;
        uint8_t *exact = malloc(cut ? cut : 1);
        memcpy(exact, buf, cut);
        read_mem(exact, cut, &s, &st, 0);
        free(exact);
        int whole_first = cut >= one - 4, whole_both = cut >= n - 4;
        if (cut == 0 || (cut >= one - 4 && cut <= one) || whole_both) { /* at a boundary */
            assert_int_equal(st.malformed, 0);
        } else {
            assert_int_equal(st.malformed, 1);
        }
        assert_int_equal(s.n + (st.malformed && !s.n ? 1 : 0) >= (cut > 0), 1);
        if (whole_first) assert_string_equal(s.uri[0], "http://a.example/");
        if (whole_both) assert_int_equal(s.n, 2);
        if (st.malformed) assert_non_null(strstr(st.first_error, "test.warc: offset"));
        /* a record cut after its header is delivered, flagged */
        if (st.malformed && cut < one && s.n) assert_true(s.flags[0] & MT_WEBREC_TRUNCATED);
        if (st.malformed && cut > one && s.n == 2) assert_true(s.flags[1] & MT_WEBREC_TRUNCATED);
        if (cut > one) assert_false(s.flags[0] & MT_WEBREC_TRUNCATED);
    }
    /* gzip: cut the concatenated members at every offset */
    uint8_t *gz = NULL;
    size_t gl = 0;
    gz_member(&gz, &gl, buf, one);
    size_t m1 = gl;
    gz_member(&gz, &gl, buf + one, n - one);
    for (size_t cut = 0; cut <= gl; cut++) {
        seen s = {0};
        mt_web_stats st;
        uint8_t *exact = malloc(cut ? cut : 1);
        memcpy(exact, gz, cut);
        read_mem(exact, cut, &s, &st, 0);
        free(exact);
        if (cut == m1 || cut == gl || cut == 0) {
            assert_int_equal(st.malformed + st.decode_errors, 0);
            assert_int_equal(s.n, cut == 0 ? 0 : cut == m1 ? 1 : 2);
        } else {
            assert_true(st.malformed + st.decode_errors >= 1);
            assert_true(s.n <= 2);
        }
    }
    free(gz);
}

static void test_garbage_and_bad_lengths(void **state)
{
    (void)state;
    char buf[8192];
    size_t n = simple_response(buf, sizeof buf, "http://a.example/");
    n += (size_t)snprintf(buf + n, sizeof buf - n, "garbage between records\r\n");
    n += simple_response(buf + n, sizeof buf - n, "http://b.example/");
    /* a bad Content-Length: counted, the header skipped */
    n += (size_t)snprintf(
        buf + n, sizeof buf - n,
        "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 12x\r\n\r\nbody\r\n\r\n");
    n += simple_response(buf + n, sizeof buf - n, "http://c.example/");
    seen s = {0};
    mt_web_stats st;
    read_mem(buf, n, &s, &st, 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.uri[2], "http://c.example/");
    assert_int_equal(st.malformed, 2);
    assert_non_null(strstr(st.first_error, "not a WARC record header"));

    /* Content-Length too long: the record is cut where the next begins */
    char big[4096];
    int h = snprintf(big, sizeof big,
                     "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x/\r\n"
                     "Content-Length: 500\r\n\r\nshort body\r\n\r\n");
    size_t m = (size_t)h + simple_response(big + h, sizeof big - (size_t)h, "http://y/");
    memset(&s, 0, sizeof s);
    read_mem(big, m, &s, &st, 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(st.malformed, 1);
    assert_true(s.flags[0] & MT_WEBREC_TRUNCATED);
    assert_true(strncmp(s.prefix[0], "short body", 10) == 0);
    assert_string_equal(s.uri[1], "http://y/");
    assert_non_null(strstr(st.first_error, "runs into the next record"));

    /* a header that never ends, and only garbage */
    static const char nohead[] = "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n";
    memset(&s, 0, sizeof s);
    read_mem(nohead, sizeof nohead - 1, &s, &st, 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(st.malformed, 1);
    memset(&s, 0, sizeof s);
    read_mem("\x00\x01garbage only", 14, &s, &st, 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(st.malformed, 1);
}

static void test_payload_codings(void **state)
{
    (void)state;
    char blk[4096], buf[16384];
    size_t n = 0;
    /* chunked, with an extension and a folded Transfer-Encoding */
    int b = snprintf(
        blk, sizeof blk,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n  chunked\r\nContent-Type: text/html\r\n\r\n"
        "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://chunked/", NULL, blk, (size_t)b);
    /* chunked then gzip */
    uint8_t *gz = NULL;
    size_t gl = 0;
    gz_member(&gz, &gl, page, strlen(page));
    b = snprintf(blk, sizeof blk,
                 "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n%zx\r\n",
                 gl);
    memcpy(blk + b, gz, gl);
    b += (int)gl;
    b += snprintf(blk + b, sizeof blk - (size_t)b, "\r\n0\r\n\r\n");
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://gzip/", NULL, blk, (size_t)b);
    /* deflate: zlib-wrapped, then raw */
    for (int wbits = 15; wbits >= -15; wbits -= 30) {
        uint8_t z[1024];
        size_t zl = deflate_str(page, z, sizeof z, wbits);
        b = snprintf(blk, sizeof blk, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
        memcpy(blk + b, z, zl);
        n += warc_rec(buf + n, sizeof buf - n, "response", "http://deflate/", NULL, blk,
                      (size_t)b + zl);
    }
    /* Common Crawl: renamed headers, the body stored decoded; bytes that
     * happen to look like gzip are not decoded again */
    b = snprintf(blk, sizeof blk,
                 "HTTP/1.1 200 OK\r\nX-Crawler-Content-Encoding: gzip\r\n"
                 "X-Crawler-Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n");
    memcpy(blk + b, gz, gl);
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://cc/", NULL, blk, (size_t)b + gl);
    /* WARC-Truncated */
    b = snprintf(blk, sizeof blk, "HTTP/1.1 404 Not Found\r\n\r\npartial");
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://trunc/",
                  "WARC-Truncated: length\r\n", blk, (size_t)b);
    /* a gzip body cut short */
    b = snprintf(blk, sizeof blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    memcpy(blk + b, gz, gl - 12);
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://cutgz/", NULL, blk,
                  (size_t)b + gl - 12);
    /* a damaged gzip body */
    b = snprintf(blk, sizeof blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    memcpy(blk + b, gz, gl);
    memset(blk + b + 10, 0xff, 6);
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://badgz/", NULL, blk, (size_t)b + gl);
    /* brotli: not decoded, counted */
    b = snprintf(blk, sizeof blk, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x8b\x02\x80");
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://br/", NULL, blk, (size_t)b);
    /* chunked declared but stored de-chunked (pywb's iana.org does this) */
    b = snprintf(blk, sizeof blk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s", page);
    n += warc_rec(buf + n, sizeof buf - n, "response", "http://dechunked/", NULL, blk, (size_t)b);

    seen s = {0};
    mt_web_stats st;
    read_mem(buf, n, &s, &st, 0);
    assert_int_equal(s.n, 10);
    assert_string_equal(s.prefix[0], "hello, world");
    assert_int_equal(s.flags[0], 0);
    assert_string_equal(s.prefix[1], page);
    assert_string_equal(s.prefix[2], page);
    assert_string_equal(s.prefix[3], page);
    assert_int_equal(s.flags[4], MT_WEBREC_CC_DECODED);
    assert_int_equal(s.len[4], gl);
    assert_memory_equal(s.prefix[4], gz, 8);
    assert_int_equal(s.flags[5], MT_WEBREC_TRUNCATED);
    assert_int_equal(s.status[5], 404);
    assert_string_equal(s.prefix[5], "partial");
    assert_true(s.flags[6] & MT_WEBREC_TRUNCATED);
    assert_true(s.len[6] < strlen(page) && s.len[6] > 0);
    assert_int_equal(s.len[9], strlen(page));
    assert_string_equal(s.prefix[9], page);
    assert_int_equal(st.truncated, 2);
    assert_int_equal(st.decode_errors, 2); /* the damaged gzip body, br */
    assert_int_equal(st.malformed, 0);
    free(gz);
}

static void test_body_cap(void **state)
{
    (void)state;
    size_t body = 100000;
    char *blk = malloc(body + 100), *buf = malloc(body + 1000);
    int h = snprintf(blk, body + 100, "HTTP/1.1 200 OK\r\n\r\n");
    memset(blk + h, 'a', body);
    size_t n = warc_rec(buf, body + 1000, "response", "http://big/", NULL, blk, (size_t)h + body);
    n += simple_response(buf + n, body + 1000 - n, "http://after/");
    seen s = {0};
    mt_web_stats st;
    read_mem(buf, n, &s, &st, 1000);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.len[0], 1000);
    assert_true(s.flags[0] & MT_WEBREC_BODY_CAPPED);
    assert_string_equal(s.uri[1], "http://after/");
    assert_int_equal(st.malformed, 0);
    /* the cap holds for decoded bodies too */
    uint8_t *gz = NULL;
    size_t gl = 0;
    gz_member(&gz, &gl, blk + h, body);
    h = snprintf(blk, body + 100, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    memcpy(blk + h, gz, gl);
    n = warc_rec(buf, body + 1000, "response", "http://biggz/", NULL, blk, (size_t)h + gl);
    memset(&s, 0, sizeof s);
    read_mem(buf, n, &s, &st, 1000);
    assert_int_equal(s.len[0], 1000);
    assert_true(s.flags[0] & MT_WEBREC_BODY_CAPPED);
    /* and for de-chunked ones: 2 x 800 bytes is capped, 2 x 500 is not */
    for (size_t csz = 500; csz <= 800; csz += 300) {
        h = snprintf(blk, body + 100, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int c = 0; c < 2; c++) {
            h += snprintf(blk + h, body + 100 - (size_t)h, "%zx\r\n", csz);
            memset(blk + h, 'c', csz);
            h += (int)csz;
            h += snprintf(blk + h, body + 100 - (size_t)h, "\r\n");
        }
        h += snprintf(blk + h, body + 100 - (size_t)h, "0\r\n\r\n");
        n = warc_rec(buf, body + 1000, "response", "http://chunks/", NULL, blk, (size_t)h);
        memset(&s, 0, sizeof s);
        read_mem(buf, n, &s, &st, 1000);
        assert_int_equal(s.len[0], 1000);
        assert_int_equal(s.flags[0], csz == 500 ? 0 : MT_WEBREC_BODY_CAPPED);
    }
    /* stop after the first record */
    n = simple_response(buf, body + 1000, "http://1/");
    n += simple_response(buf + n, body + 1000 - n, "http://2/");
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    read_mem(buf, n, &s, &st, 0);
    assert_int_equal(s.n, 1);
    free(gz);
    free(blk);
    free(buf);
}

/* A damaged member in a per-record gzip file: the records around it are
 * still read, the damage counted; the record in the damaged member does
 * not swallow the next member's. */
static void test_damaged_member(void **state)
{
    (void)state;
    char r[3][2048];
    size_t rl[3];
    uint8_t *gz = NULL;
    size_t gl = 0, starts[3];
    char big[1500];
    memset(big, 'z', sizeof big);
    for (int i = 0; i < 3; i++) {
        char uri[32];
        snprintf(uri, sizeof uri, "http://%d.example/", i);
        rl[i] = warc_rec(r[i], sizeof r[i], "resource", uri, NULL, big, sizeof big);
        starts[i] = gl;
        gz_member(&gz, &gl, r[i], rl[i]);
    }
    gz[starts[1] + 14] ^= 0x55;
    gz[starts[1] + 15] ^= 0xaa;
    seen s = {0};
    mt_web_stats st;
    read_mem(gz, gl, &s, &st, 0);
    assert_true(st.decode_errors >= 1);
    assert_true(s.n >= 2);
    assert_string_equal(s.uri[0], "http://0.example/");
    assert_string_equal(s.uri[s.n - 1], "http://2.example/");
    assert_int_equal(s.len[s.n - 1], sizeof big);
    assert_int_equal(s.offset[s.n - 1], starts[2]);
    assert_int_equal(s.offset[0], 0);
    /* trailing garbage after the last member is counted */
    gz = realloc(gz, gl + 5);
    memcpy(gz + gl, "junk!", 5);
    memset(&s, 0, sizeof s);
    gz[starts[1] + 14] ^= 0x55;
    gz[starts[1] + 15] ^= 0xaa;
    read_mem(gz, gl + 5, &s, &st, 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(st.malformed, 1);
    assert_int_equal(s.offset[1], starts[1]);
    free(gz);
}

static void test_arc_gzip(void **state)
{
    (void)state;
    static const char arc[] =
        "filedesc://t.arc 0.0.0.0 20200102030405 text/plain 9\n1 0 Test\n\n"
        "http://a.example/app.js 1.2.3.4 20200102030406 application/javascript 8\nvar a=1;\n"
        "http://a.example/ 1.2.3.4 20200102030407 text/html 48\nHTTP/1.0 200 OK\r\n"
        "Content-Type: text/html\r\n\r\n<p>\n";
    uint8_t *gz = NULL;
    size_t gl = 0;
    const char *p2 = strstr(arc, "http://a.example/app.js"),
               *p3 = strstr(arc, "http://a.example/ ");
    gz_member(&gz, &gl, arc, (size_t)(p2 - arc));
    gz_member(&gz, &gl, p2, (size_t)(p3 - p2));
    gz_member(&gz, &gl, p3, strlen(p3));
    for (int z = 0; z < 2; z++) {
        seen s = {0};
        mt_web_stats st;
        if (z)
            read_mem(gz, gl, &s, &st, 0);
        else
            read_mem(arc, sizeof arc - 1, &s, &st, 0);
        assert_int_equal(st.records, 3);
        assert_int_equal(st.other, 1);
        assert_int_equal(st.resources, 1);
        assert_int_equal(st.responses, 1);
        assert_int_equal(st.malformed, 0);
        assert_int_equal(s.n, 2);
        assert_string_equal(s.uri[0], "http://a.example/app.js");
        assert_string_equal(s.ctype[0], "application/javascript");
        assert_string_equal(s.prefix[0], "var a=1;");
        assert_int_equal(s.date[0], iso("2020-01-02T03:04:06Z"));
        assert_int_equal(s.status[1], 200);
        assert_string_equal(s.prefix[1], "<p>\n");
        assert_string_equal(s.ctype[1], "text/html");
    }
    free(gz);
}

static void test_sniff_and_errors(void **state)
{
    (void)state;
    assert_true(mt_warc_sniff((const uint8_t *)"WARC/1.1\r\n", 10));
    assert_true(mt_warc_sniff((const uint8_t *)"filedesc://x", 12));
    assert_false(mt_warc_sniff((const uint8_t *)"<html>", 6));
    uint8_t *gz = NULL;
    size_t gl = 0;
    gz_member(&gz, &gl, "WARC/1.0\r\n", 10);
    assert_true(mt_warc_sniff(gz, gl));
    free(gz);
    mt_web_stats st = {0};
    seen s = {0};
    assert_int_equal(mt_warc_read_file(tmp("missing.warc"), NULL, collect, &s, &st), MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "missing.warc"));
    assert_int_equal(mt_warc_read_file(tmpdir, NULL, collect, &s, &st), MT_EIO);
    assert_int_equal(mt_webdir_read(tmp("missing"), NULL, collect, &s, &st), MT_EIO);
    /* an empty file is no records and no error */
    spill(tmp("empty.warc"), "", 0);
    assert_int_equal(mt_warc_read_file(tmp("empty.warc"), NULL, collect, &s, &st), MT_OK);
    assert_int_equal(st.records + st.malformed, 0);
}

static void test_webdir(void **state)
{
    (void)state;
    char root[600];
    snprintf(root, sizeof root, "%s", tmp("site"));
    assert_int_equal(mkdir(root, 0700), 0);
    char p[900];
    snprintf(p, sizeof p, "%s/js", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/index.html", root);
    spill(p, page, strlen(page));
    snprintf(p, sizeof p, "%s/js/app.js", root);
    spill(p, "var a=1;", 8);
    snprintf(p, sizeof p, "%s/js/m.wasm", root);
    spill(p, "\0asm\1\0\0\0", 8);
    snprintf(p, sizeof p, "%s/noext", root);
    spill(p, "  <!DOCTYPE html><p>", 20);
    snprintf(p, sizeof p, "%s/blob", root);
    spill(p, "\x01\x02", 2);
    char w[4096];
    size_t wn = simple_response(w, sizeof w, "http://inner.example/");
    uint8_t *gz = NULL;
    size_t gl = 0;
    gz_member(&gz, &gl, w, wn);
    snprintf(p, sizeof p, "%s/js/crawl.dat", root); /* by content, not by name */
    spill(p, gz, gl);
    free(gz);
    char target[900];
    snprintf(target, sizeof target, "%s/index.html", root);
    snprintf(p, sizeof p, "%s/link.html", root);
    assert_int_equal(symlink(target, p), 0);
    snprintf(p, sizeof p, "%s/loop", root);
    assert_int_equal(symlink(root, p), 0);

    seen s = {0};
    mt_web_stats st = {0};
    char withslash[700];
    snprintf(withslash, sizeof withslash, "%s/", root);
    assert_int_equal(mt_webdir_read(withslash, NULL, collect, &s, &st), MT_OK);
    assert_int_equal(s.n, 6);
    /* sorted: blob, index.html, js/app.js, js/crawl.dat (its record),
     * js/m.wasm, noext */
    assert_string_equal(s.uri[0], "file://blob");
    assert_string_equal(s.ctype[0], "");
    assert_string_equal(s.uri[1], "file://index.html");
    assert_string_equal(s.ctype[1], "text/html");
    assert_string_equal(s.prefix[1], page);
    assert_string_equal(s.uri[2], "file://js/app.js");
    assert_string_equal(s.ctype[2], "application/javascript");
    assert_string_equal(s.uri[3], "http://inner.example/");
    assert_int_equal(s.status[3], 200);
    assert_string_equal(s.uri[4], "file://js/m.wasm");
    assert_string_equal(s.ctype[4], "application/wasm");
    assert_int_equal(s.len[4], 8);
    assert_string_equal(s.uri[5], "file://noext");
    assert_string_equal(s.ctype[5], "text/html");
    assert_int_equal(s.status[5], 0);
    assert_true(s.date[5] > 0);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.resources, 5);
    assert_int_equal(st.responses, 1);
    assert_int_equal(st.malformed, 0);
    /* the cap applies to files */
    memset(&s, 0, sizeof s);
    memset(&st, 0, sizeof st);
    mt_web_read_opts o = {4};
    assert_int_equal(mt_webdir_read(root, &o, collect, &s, &st), MT_OK);
    assert_int_equal(s.len[1], 4);
    assert_true(s.flags[1] & MT_WEBREC_BODY_CAPPED);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mt_test_warc.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_files),     cmocka_unit_test(test_corpus_repacked),
        cmocka_unit_test(test_corpus_pipe),      cmocka_unit_test(test_simple_and_types),
        cmocka_unit_test(test_cut_everywhere),   cmocka_unit_test(test_garbage_and_bad_lengths),
        cmocka_unit_test(test_payload_codings),  cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_damaged_member),   cmocka_unit_test(test_arc_gzip),
        cmocka_unit_test(test_sniff_and_errors), cmocka_unit_test(test_webdir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
