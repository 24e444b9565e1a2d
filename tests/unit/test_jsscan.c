/* Tests for src/web/jsscan.c and unpack.c: every labelled sample of
 * tests/data/web (expect.tsv, written by make_samples.py) gives its provider,
 * kind and key; our own look-alike negatives, the 16 real pages of the
 * shared corpus and the benign npm packages of npm-benign.tsv (fetched with
 * npm at test time) give no hit; references, the unpackers' bounds, user
 * rules and their errors; and the scanning speed (printed, not asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "minetrace/common.h"
#include "web/jsscan.h"
#include "web/unpack.h"

#define MAXH 32

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    *n = fread(b, 1, (size_t)len, f);
    b[*n] = 0;
    fclose(f);
    return b;
}

static const char *src_dir(void)
{
    const char *s = getenv("MT_SRC");
    return s && *s ? s : ".";
}

static int is_html_path(const char *p)
{
    size_t l = strlen(p);
    return l > 5 && strcmp(p + l - 5, ".html") == 0;
}

static void print_hits(const char *what, const mt_web_hit *h, size_t n)
{
    for (size_t i = 0; i < n && i < MAXH; i++)
        fprintf(stderr, "  %s: %s %s key=%s conf=%d off=%u: %s\n", what, h[i].provider, h[i].kind, h[i].site_key,
                h[i].confidence, h[i].offset, h[i].evidence);
}

static mt_jsscan *scanner(void)
{
    mt_jsscan *s = mt_jsscan_new(NULL);
    if (!s) fprintf(stderr, "mt_jsscan_new: %s\n", mt_error_msg());
    assert_non_null(s);
    return s;
}

static void test_samples(void **st)
{
    (void)st;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/web/expect.tsv", src_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    mt_jsscan *s = scanner();
    char line[1024];
    int checked = 0, failed = 0, negatives = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\n")] = 0;
        char *rel = strtok(line, "\t"), *prov = strtok(NULL, "\t"), *kind = strtok(NULL, "\t"),
             *key = strtok(NULL, "\t");
        assert_non_null(key);
        char fp[1200];
        snprintf(fp, sizeof fp, "%s/tests/data/web/%s", src_dir(), rel);
        size_t n;
        char *text = slurp(fp, &n);
        assert_non_null(text);
        mt_web_hit h[MAXH];
        size_t nh = mt_jsscan_text(s, text, n, is_html_path(rel), h, MAXH, NULL);
        if (strcmp(prov, "-") == 0) {
            negatives++;
            if (nh) {
                fprintf(stderr, "FALSE POSITIVE %s\n", rel);
                print_hits("hit", h, nh);
                failed++;
            }
        } else {
            int ok = 0;
            for (size_t i = 0; i < nh && i < MAXH; i++) {
                if (strcmp(h[i].provider, prov) == 0 && strcmp(h[i].kind, kind) == 0 &&
                    (strcmp(key, "-") == 0 || strcmp(h[i].site_key, key) == 0) && h[i].evidence[0] &&
                    h[i].confidence >= 60 && h[i].offset < n)
                    ok = 1;
                /* Every hit's offset lies in the text, its evidence says something. */
                assert_true(h[i].offset < n);
                assert_true(h[i].evidence[0] != 0);
            }
            if (!ok) {
                fprintf(stderr, "MISSED %s (want %s %s %s)\n", rel, prov, kind, key);
                print_hits("got", h, nh);
                failed++;
            }
            checked++;
        }
        free(text);
    }
    fclose(f);
    mt_jsscan_free(s);
    fprintf(stderr, "samples: %d positives, %d negatives, %d failed\n", checked, negatives, failed);
    assert_true(checked >= 30);
    assert_true(negatives >= 5);
    assert_int_equal(failed, 0);
}

static void test_evidence_and_packed(void **st)
{
    (void)st;
    mt_jsscan *s = scanner();
    mt_web_hit h[MAXH];
    const char *t = "<script>var m = new CoinHive.Anonymous('abcdefghijklmnopqrstuvwxyz012345', {throttle:.3});</script>";
    size_t nh = mt_jsscan_text(s, t, strlen(t), 1, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].evidence, "CoinHive.Anonymous('abcdefghijklmnopqrstuvwxyz012345') call");
    assert_string_equal(h[0].provider, "coinhive");
    assert_string_equal(h[0].kind, "api");
    assert_int_equal(h[0].confidence, 90);
    assert_int_equal(h[0].offset, (uint32_t)(strstr(t, "CoinHive") - t));

    /* A key passed through a variable is resolved; a wrong shape is not a key. */
    t = "var cfg = {key: 'abcdefghijklmnopqrstuvwxyz012345'}; new CoinHive.User(cfg.key, 'u');";
    nh = mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].site_key, "abcdefghijklmnopqrstuvwxyz012345");
    assert_non_null(strstr(h[0].evidence, "cfg.key"));
    t = "new CoinHive.Anonymous('short');";
    nh = mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].site_key, "");
    assert_int_equal(h[0].confidence, 80);

    /* CoinImp's generic Client.Anonymous needs its 64-hex key to count. */
    t = "var c = new Client.Anonymous(options); c.connect();";
    assert_int_equal(mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL), 0);

    /* Packed: kind packed, the packer named, the offset the packer's. */
    char packed[512];
    snprintf(packed, sizeof packed, "var x = 1;\nnew Function(atob(\"%s\"))();",
             "bmV3IENSTFQuQW5vbnltb3VzKCcwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYicpOw==");
    nh = mt_jsscan_text(s, packed, strlen(packed), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].kind, "packed");
    assert_string_equal(h[0].provider, "cryptoloot");
    assert_string_equal(h[0].site_key, "0123456789abcdef0123456789abcdef0123456789ab");
    assert_non_null(strstr(h[0].evidence, "packed (atob() payload): CRLT.Anonymous("));
    assert_int_equal(h[0].offset, (uint32_t)(strstr(packed, "atob") - packed) + 5);

    /* The five-parameter form of the eval packer, with spaces. */
    t = "eval(function (p, a, c, k, e) {return p} ('0.1(\\'2\\')', 62, 3, "
        "'CoinHive|Anonymous|abcdefghijklmnopqrstuvwxyz012345'.split('|')))";
    nh = mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].site_key, "abcdefghijklmnopqrstuvwxyz012345");
    assert_int_equal(h[0].offset, 0);
    assert_non_null(strstr(h[0].evidence, "packed (eval(function(p,a,c,k,e,d)) packer): CoinHive.Anonymous('"));

    /* A literal of \uHHHH escapes. */
    const char *inner = "new Minero.Anonymous('0123456789abcdef0123456789abcdef');";
    char esc[1024];
    size_t eo = (size_t)sprintf(esc, "var q = 1; eval('");
    for (const char *p = inner; *p; p++) eo += (size_t)sprintf(esc + eo, "\\u%04x", (unsigned char)*p);
    sprintf(esc + eo, "');");
    nh = mt_jsscan_text(s, esc, strlen(esc), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].provider, "minero");
    assert_string_equal(h[0].site_key, "0123456789abcdef0123456789abcdef");
    assert_int_equal(h[0].offset, 16);
    assert_non_null(strstr(h[0].evidence, "packed (escaped string)"));

    /* YARA reads the span around the triggers: a first mention far from
     * the call and a call at the end of a large text are both inside it. */
    size_t bn = 300000;
    char *big = malloc(bn + 100);
    assert_non_null(big);
    memset(big, ' ', bn);
    memcpy(big, "/* CoinHive */", 14);
    const char *call = "new CoinHive.Anonymous('abcdefghijklmnopqrstuvwxyz012345');";
    memcpy(big + bn - strlen(call), call, strlen(call));
    nh = mt_jsscan_text(s, big, bn, 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_int_equal(h[0].offset, (uint32_t)(bn - strlen(call) + 4));
    free(big);

    /* A rule's strings other than the call say what they are. */
    t = "WMP.CONFIG = {};";
    nh = mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].evidence, "miner API: WMP.CONFIG");

    /* More hits than room: counted, not stored. */
    t = "CoinHive.CONFIG={}; new CRLT.Anonymous('x'); new Minero.Anonymous('y'); deepMiner.CONFIG={};";
    mt_web_hit one[1];
    nh = mt_jsscan_text(s, t, strlen(t), 0, one, 1, NULL);
    assert_int_equal(nh, 4);
    assert_int_equal(mt_jsscan_text(s, t, strlen(t), 0, NULL, 0, NULL), 4);
    mt_jsscan_free(s);
}

static int has_ref(const mt_web_refs *r, unsigned type, const char *url)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->type[i] == type && strcmp(r->url[i], url) == 0) return 1;
    return 0;
}

static void test_refs(void **st)
{
    (void)st;
    mt_jsscan *s = scanner();
    const char *t =
        "<html><head><SCRIPT type=\"text/javascript\" SRC=\"/static/js/analytics.js?v=1&amp;x=2\"></SCRIPT>\n"
        "<script src=//cdn.example.org/a.js async></script><script>var w = new Worker('/js/w.js');\n"
        "var b = new Worker(URL.createObjectURL(blob));\n"
        "WebAssembly.instantiateStreaming(fetch(\"/wasm/cn.wasm\"));\n"
        "var sock = new WebSocket('wss://ws.example.net/proxy');\n"
        "var shards = [[\"wss://ws001.example.net/proxy\", \"wss://ws002.example.net/proxy\"]];\n"
        "</script><iframe width=1 src='https://frame.example.com/m.html'></iframe>\n"
        "<script src=\"/static/js/analytics.js?v=1&amp;x=2\"></script></head></html>";
    mt_web_refs r = {0};
    mt_web_hit h[MAXH];
    (void)mt_jsscan_text(s, t, strlen(t), 1, h, MAXH, &r);
    for (size_t i = 0; i < r.n; i++) fprintf(stderr, "  ref %s %s\n", mt_web_ref_type_name(r.type[i]), r.url[i]);
    assert_true(has_ref(&r, MT_REF_SCRIPT, "/static/js/analytics.js?v=1&x=2"));
    assert_true(has_ref(&r, MT_REF_SCRIPT, "//cdn.example.org/a.js"));
    assert_true(has_ref(&r, MT_REF_WORKER, "/js/w.js"));
    assert_true(has_ref(&r, MT_REF_WASM, "/wasm/cn.wasm"));
    assert_true(has_ref(&r, MT_REF_WEBSOCKET, "wss://ws.example.net/proxy"));
    assert_true(has_ref(&r, MT_REF_WEBSOCKET, "wss://ws001.example.net/proxy"));
    assert_true(has_ref(&r, MT_REF_WEBSOCKET, "wss://ws002.example.net/proxy"));
    assert_true(has_ref(&r, MT_REF_IFRAME, "https://frame.example.com/m.html"));
    assert_int_equal(r.n, 8); /* the duplicate script and the blob worker are not listed */

    /* References inside a packed script are found too. */
    r.n = 0;
    const char *p = "eval(atob('dmFyIHcgPSBuZXcgV29ya2VyKCIvaGlkZGVuL3dvcmtlci5qcyIpOw=='))";
    (void)mt_jsscan_text(s, p, strlen(p), 0, h, MAXH, &r);
    assert_true(has_ref(&r, MT_REF_WORKER, "/hidden/worker.js"));
    mt_web_refs_free(&r);
    mt_jsscan_free(s);
}

static void test_unpack_units(void **st)
{
    (void)st;
    char out[256];
    size_t end;
    const char *lit = "'a\\x41\\u0042\\u{43}\\n\\'z'";
    size_t l = mt_js_string(lit, strlen(lit), 0, out, sizeof out, &end);
    assert_int_equal(l, 7);
    assert_memory_equal(out, "aABC\n'z", 7);
    assert_int_equal(end, strlen(lit));
    assert_int_equal(mt_js_string("'open", 5, 0, out, sizeof out, &end), (size_t)-1);
    unsigned char b[64];
    assert_int_equal(mt_base64_decode("Q29pbkhpdmU=", 12, b, sizeof b, 0), 8);
    assert_memory_equal(b, "CoinHive", 8);
    assert_int_equal(mt_base64_decode("q29PBKHPDMu=", 12, b, sizeof b, 1), 8);
    assert_memory_equal(b, "CoinHive", 8);
    assert_int_equal(mt_base64_decode("Q2*p", 4, b, sizeof b, 0), (size_t)-1);

    /* Output is cut at the cap, never past it. */
    static char big[1 << 16];
    size_t o = 0;
    o += (size_t)sprintf(big, "eval(String.fromCharCode(");
    for (int i = 0; i < 5000; i++) o += (size_t)sprintf(big + o, "%d,", 65 + i % 26);
    o += (size_t)sprintf(big + o, "65))");
    char small[100];
    int cut = 0;
    size_t start;
    mt_unpack_work w = {0};
    size_t got = mt_unpack(MT_PACK_CHARCODE, big, o, 17, small, sizeof small, &w, &cut, &start);
    assert_int_equal(got, sizeof small);
    assert_true(cut);
}

/* Many nested atob layers stop at the depth bound; many packers in one
 * text stop at the count bound, both counted. */
static void test_unpack_bounds(void **st)
{
    (void)st;
    mt_jsscan *s = scanner();
    static char a[1 << 16], b[1 << 16];
    strcpy(a, "new CoinHive.Anonymous('abcdefghijklmnopqrstuvwxyz012345');");
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int d = 0; d < 8; d++) {
        size_t n = strlen(a), o = 0;
        o += (size_t)sprintf(b, "eval(atob('");
        for (size_t i = 0; i < n; i += 3) {
            unsigned v = (unsigned char)a[i] << 16 | (i + 1 < n ? (unsigned char)a[i + 1] << 8 : 0) |
                         (i + 2 < n ? (unsigned char)a[i + 2] : 0);
            b[o++] = tbl[v >> 18];
            b[o++] = tbl[(v >> 12) & 63];
            b[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
            b[o++] = i + 2 < n ? tbl[v & 63] : '=';
        }
        o += (size_t)sprintf(b + o, "'))");
        memcpy(a, b, o + 1);
        mt_web_hit h[MAXH];
        size_t nh = mt_jsscan_text(s, a, o, 0, h, MAXH, NULL);
        /* Depth 1..4 unpack; deeper ones are not reached. */
        assert_int_equal(nh, d + 1 <= 4 ? 1 : 0);
    }
    /* 200 atob() calls: at most 64 unpacked, the rest counted as cut. */
    size_t o = 0;
    for (int i = 0; i < 200; i++) o += (size_t)sprintf(a + o, "x=atob('aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=');\n");
    mt_jsscan_stats before, after;
    mt_jsscan_get_stats(s, &before);
    mt_web_hit h[MAXH];
    assert_int_equal(mt_jsscan_text(s, a, o, 0, h, MAXH, NULL), 0);
    mt_jsscan_get_stats(s, &after);
    assert_true(after.unpacked - before.unpacked <= 64);
    assert_true(after.unpack_cut > before.unpack_cut);
    mt_jsscan_free(s);
}

static void test_user_rules(void **st)
{
    (void)st;
    char path[] = "/tmp/mt_jsscan_rules_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *rules = "rule my_miner { meta: provider = \"coinhive\" kind = \"config\" confidence = 77\n"
                        " strings: $a = \"MyPrivateMiner.begin\" condition: $a }\n"
                        "rule regex_only { strings: $r = /x[0-9]{3}zz/ condition: $r }\n";
    assert_int_equal(write(fd, rules, strlen(rules)), (ssize_t)strlen(rules));
    close(fd);
    mt_jsscan *s = mt_jsscan_new(path);
    assert_non_null(s);
    mt_web_hit h[MAXH];
    const char *t = "window.MyPrivateMiner.begin(); var q = 'x123zz';";
    size_t nh = mt_jsscan_text(s, t, strlen(t), 0, h, MAXH, NULL);
    print_hits("user", h, nh);
    assert_int_equal(nh, 2);
    assert_string_equal(h[0].provider, "coinhive");
    assert_string_equal(h[0].kind, "config");
    assert_int_equal(h[0].confidence, 77);
    assert_string_equal(h[1].provider, "unknown");
    assert_string_equal(h[1].kind, "yara");
    assert_non_null(strstr(h[1].evidence, "regex_only"));
    mt_jsscan_free(s);

    /* A rule that does not compile names the file and line. */
    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "rule ok { condition: true }\nrule broken { strings: $a = \"x\" condition: $b }\n";
    assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    assert_null(mt_jsscan_new(path));
    fprintf(stderr, "  error: %s\n", mt_error_msg());
    assert_non_null(strstr(mt_error_msg(), path));
    assert_non_null(strstr(mt_error_msg(), ":2:"));
    assert_null(mt_jsscan_new("/nonexistent/rules.yar"));
    unlink(path);
}

/* The real pages: no hit. Also the speed figure over them. */
static void test_real_pages(void **st)
{
    (void)st;
    const char *c = getenv("MT_CORPUS");
    if (!c || !*c) { fprintf(stderr, "no MT_CORPUS: real pages not read\n"); skip(); }
    static const char *pages[] = {"ars-1", "bbc-1", "blogger", "buzzfeed-1", "cnn", "engadget", "gmw", "heise",
                                  "lemonde-1", "medium-1", "nytimes-1", "qq", "seattletimes-1", "telegraph",
                                  "wikipedia", "wordpress"};
    mt_jsscan *s = scanner();
    char *text[16];
    size_t len[16], total = 0;
    int fp = 0;
    mt_web_refs r = {0};
    for (int i = 0; i < 16; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/web/pages/readability_%s.html", c, pages[i]);
        text[i] = slurp(p, &len[i]);
        assert_non_null(text[i]);
        total += len[i];
        mt_web_hit h[MAXH];
        r.n = 0;
        size_t nh = mt_jsscan_text(s, text[i], len[i], 1, h, MAXH, &r);
        if (nh) {
            fprintf(stderr, "FALSE POSITIVE on %s\n", pages[i]);
            print_hits("hit", h, nh);
            fp++;
        }
    }
    mt_web_refs_free(&r);
    assert_int_equal(fp, 0);
    struct timespec t0, t1;
    int rounds = 20;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < rounds; k++)
        for (int i = 0; i < 16; i++) {
            mt_web_hit h[MAXH];
            r.n = 0;
            (void)mt_jsscan_text(s, text[i], len[i], 1, h, MAXH, &r);
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    mt_jsscan_stats sst;
    mt_jsscan_get_stats(s, &sst);
    fprintf(stderr, "speed, real pages (with refs): %.0f MB/s, %.1f us per page (mean %zu KB); "
            "YARA ran on %llu of %llu texts, %llu unpacked\n",
            (double)total * rounds / secs / 1e6, secs / (rounds * 16) * 1e6, total / 16 / 1024,
            (unsigned long long)sst.yara_runs, (unsigned long long)sst.texts, (unsigned long long)sst.unpacked);
    /* The same pages with a miner call appended: the prefilter fires and
     * YARA runs over the whole page, the cost of a page that matches. */
    const char *tail = "<script>new CoinHive.Anonymous('abcdefghijklmnopqrstuvwxyz012345').start();</script>";
    for (int i = 0; i < 16; i++) {
        text[i] = realloc(text[i], len[i] + strlen(tail) + 1);
        assert_non_null(text[i]);
        memcpy(text[i] + len[i], tail, strlen(tail) + 1);
        len[i] += strlen(tail);
    }
    rounds = 5;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < rounds; k++)
        for (int i = 0; i < 16; i++) {
            mt_web_hit h[MAXH];
            r.n = 0;
            assert_int_equal(mt_jsscan_text(s, text[i], len[i], 1, h, MAXH, &r), 1);
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "speed, real pages with a miner call (YARA runs): %.0f MB/s, %.1f us per page\n",
            (double)total * rounds / secs / 1e6, secs / (rounds * 16) * 1e6);
    mt_web_refs_free(&r);
    for (int i = 0; i < 16; i++) free(text[i]);
    mt_jsscan_free(s);
}

/* A large generated JS corpus without miners: bytes per second. */
static void test_speed_generated(void **st)
{
    (void)st;
    size_t cap = 32u << 20, o = 0;
    char *js = malloc(cap);
    assert_non_null(js);
    unsigned x = 12345;
    while (o + 400 < cap) {
        x = x * 1103515245u + 12345u;
        o += (size_t)snprintf(js + o, cap - o,
                              "function f%u(a,b){var r=a*%u+b;if(r>%u){return document.getElementById('n%u');}"
                              "return window.fetch('/api/v%u/items?id='+r).then(function(x){return x.json();});}\n",
                              x % 100000, x % 97, x % 1000, x % 313, x % 7);
    }
    mt_jsscan *s = scanner();
    mt_web_hit h[MAXH];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t nh = mt_jsscan_text(s, js, o, 0, h, MAXH, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(nh, 0);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "speed, generated JS (%zu MB): %.0f MB/s\n", o >> 20, (double)o / secs / 1e6);
    mt_jsscan_free(s);
    free(js);
}

/* Benign npm packages, fetched now: no hit. The lists are the corpus's
 * npm-benign.tsv and tests/data/web/npm-benign-more.tsv (hashing, crypto
 * and WebSocket libraries); both start "package@version<TAB>path". */
static void scan_npm_list(mt_jsscan *s, const char *tsv, const char *dir, int *scanned, int *fp, int *unreachable)
{
    FILE *f = fopen(tsv, "r");
    assert_non_null(f);
    char line[1024], cmd[4096];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *pkg = strtok(line, "\t"), *path = strtok(NULL, "\t\n");
        if (!pkg || !path) continue;
        snprintf(cmd, sizeof cmd,
                 "cd %s && f=$(timeout 120 npm pack --silent '%s' 2>/dev/null | tail -1) && [ -n \"$f\" ] && "
                 "tar -xzf \"$f\" '%s' && mv '%s' cur.js && rm -rf package \"$f\"",
                 dir, pkg, path, path);
        if (system(cmd) != 0) {
            fprintf(stderr, "  npm pack %s failed\n", pkg);
            (*unreachable)++;
            if (*scanned == 0 && *unreachable >= 2) break; /* npm is unreachable */
            continue;
        }
        char cur[1100];
        snprintf(cur, sizeof cur, "%s/cur.js", dir);
        size_t n;
        char *text = slurp(cur, &n);
        assert_non_null(text);
        mt_web_hit h[MAXH];
        size_t nh = mt_jsscan_text(s, text, n, 0, h, MAXH, NULL);
        if (nh) {
            fprintf(stderr, "FALSE POSITIVE on %s %s\n", pkg, path);
            print_hits("hit", h, nh);
            (*fp)++;
        }
        (*scanned)++;
        free(text);
        unlink(cur);
    }
    fclose(f);
}

static void test_npm_benign(void **st)
{
    (void)st;
    const char *c = getenv("MT_CORPUS");
    if (!c || !*c) { fprintf(stderr, "no MT_CORPUS: npm list not read\n"); skip(); }
    char tsv[1024], dir[] = "/tmp/mt_jsscan_npm_XXXXXX", cmd[1100];
    assert_non_null(mkdtemp(dir));
    mt_jsscan *s = scanner();
    int scanned = 0, fp = 0, unreachable = 0;
    snprintf(tsv, sizeof tsv, "%s/web/npm-benign.tsv", c);
    scan_npm_list(s, tsv, dir, &scanned, &fp, &unreachable);
    if (scanned) {
        snprintf(tsv, sizeof tsv, "%s/tests/data/web/npm-benign-more.tsv", src_dir());
        scan_npm_list(s, tsv, dir, &scanned, &fp, &unreachable);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "  could not remove %s\n", dir);
    mt_jsscan_free(s);
    if (scanned == 0) { fprintf(stderr, "npm registry unreachable: benign packages not scanned\n"); skip(); }
    fprintf(stderr, "npm benign: %d files scanned, %d not fetched, %d with hits\n", scanned, unreachable, fp);
    assert_int_equal(fp, 0);
    assert_int_equal(unreachable, 0);
    assert_true(scanned >= 26);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),       cmocka_unit_test(test_evidence_and_packed),
        cmocka_unit_test(test_refs),          cmocka_unit_test(test_unpack_units),
        cmocka_unit_test(test_unpack_bounds), cmocka_unit_test(test_user_rules),
        cmocka_unit_test(test_real_pages),    cmocka_unit_test(test_speed_generated),
        cmocka_unit_test(test_npm_benign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
