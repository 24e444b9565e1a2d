/* WebAssembly analysis (web/wasm.c, web/wasm_embed.c): the parser on
 * hand-made and malformed modules, every prefix and byte flips of a real
 * one, the decoder over every immediate shape (ops.wat), the labelled set
 * built from our own C at test time (tests/data/web/wasm/build.sh: the
 * CryptoNight-style miner at -O1..-Oz, renamed, stripped, SIMD, static
 * tables, memory.grow, embedded in JS four ways; a wallet-like module with
 * the hash and no loop; benign hashing modules), the benign npm modules
 * (tests/data/web/wasm/fetch_npm.sh, skipped only when npm is unreachable),
 * and the speed of mt_wasm_analyze (printed, not asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "web/wasm.h"

static char g_set[256];   /* the labelled set's directory, "" if not built */
static char g_npm[1024];  /* unpacked npm packages, "" if npm unreachable */
static int g_build_rc = -1;

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(l > 0 ? (size_t)l + 1 : 1);
    *n = l > 0 ? fread(p, 1, (size_t)l, f) : 0;
    p[*n] = 0;
    fclose(f);
    return p;
}

static int setup_set(void **state)
{
    (void)state;
    const char *src = getenv("MT_SRC");
    if (!src) return 0;
    char tmpl[] = "/tmp/mt_wasm_XXXXXX";
    if (!mkdtemp(tmpl)) return 0;
    snprintf(g_set, sizeof g_set, "%s", tmpl);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s/tests/data/web/wasm/build.sh' '%s' >'%s/build.log' 2>&1", src, g_set, g_set);
    int rc = system(cmd);
    g_build_rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
    snprintf(cmd, sizeof cmd, "bash '%s/tests/data/web/wasm/fetch_npm.sh' 2>'%s/npm.log'", src, g_set);
    FILE *p = popen(cmd, "r");
    if (p) {
        if (!fgets(g_npm, sizeof g_npm, p)) g_npm[0] = 0;
        int prc = pclose(p);
        if (!WIFEXITED(prc) || WEXITSTATUS(prc) != 0) g_npm[0] = 0;
        g_npm[strcspn(g_npm, "\n")] = 0;
    }
    return 0;
}

static int teardown_set(void **state)
{
    (void)state;
    if (g_set[0]) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_set);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_set);
    }
    return 0;
}

static void need_set(void)
{
    if (!getenv("MT_SRC")) skip();
    if (g_build_rc != 0) {
        char log[512];
        snprintf(log, sizeof log, "%s/build.log", g_set);
        size_t n = 0;
        uint8_t *t = slurp(log, &n);
        fail_msg("tests/data/web/wasm/build.sh failed (exit %d; clang, lld and wabt are in scripts/deps.txt): %s",
                 g_build_rc, t ? (char *)t : "(no log)");
    }
}

/* ---- hand-made modules -------------------------------------------------- */

static const uint8_t HDR[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

static void test_minimal_and_malformed(void **state)
{
    (void)state;
    mt_wasm_info w;
    assert_int_equal(mt_wasm_analyze(HDR, sizeof HDR, &w), MT_OK);
    assert_true(w.valid);
    assert_int_equal(w.n_funcs, 0);
    assert_false(w.cryptonight);
    assert_int_equal(w.score, 0);

    /* not a module: the evidence says where it stopped */
    assert_int_equal(mt_wasm_analyze((const uint8_t *)"\0asn\1\0\0\0", 8, &w), MT_EINVAL);
    assert_false(w.valid);
    assert_non_null(strstr(w.evidence, "magic"));
    assert_int_equal(mt_wasm_analyze(HDR, 4, &w), MT_EINVAL);
    assert_int_equal(mt_wasm_analyze(NULL, 0, &w), MT_EINVAL);
    static const uint8_t v2[8] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    assert_int_equal(mt_wasm_analyze(v2, 8, &w), MT_EINVAL);
    assert_non_null(strstr(w.evidence, "version"));

    /* one function (type () -> i32, body i32.const 42 end), exported */
    static const uint8_t one[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,       /* type */
                                  0x03, 0x02, 0x01, 0x00,                         /* function */
                                  0x05, 0x03, 0x01, 0x00, 0x21,                   /* memory min 33 */
                                  0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,        /* export "f" */
                                  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b}; /* code */
    assert_int_equal(mt_wasm_analyze(one, sizeof one, &w), MT_OK);
    assert_true(w.valid);
    assert_int_equal(w.n_funcs, 1);
    assert_int_equal(w.n_exports, 1);
    assert_int_equal(w.memory_pages_min, 33);
    assert_int_equal(w.n_unknown_ops, 0);

    uint8_t bad[sizeof one];
    /* the body's size one too large: runs past its section */
    memcpy(bad, one, sizeof one);
    bad[sizeof one - 5] = 0x05;
    assert_int_equal(mt_wasm_analyze(bad, sizeof bad, &w), MT_EINVAL);
    assert_non_null(strstr(w.evidence, "invalid"));
    /* the final end missing (a nop instead) */
    memcpy(bad, one, sizeof one);
    bad[sizeof one - 1] = 0x01;
    assert_int_equal(mt_wasm_analyze(bad, sizeof bad, &w), MT_EINVAL);
    /* an unknown opcode ends that body's decoding and is counted */
    memcpy(bad, one, sizeof one);
    bad[sizeof one - 3] = 0xe5;
    assert_int_equal(mt_wasm_analyze(bad, sizeof bad, &w), MT_OK);
    assert_int_equal(w.n_unknown_ops, 1);
    /* sections out of order: memory (5) after export (7) */
    static const uint8_t order[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00,
                                    0x05, 0x03, 0x01, 0x00, 0x01};
    assert_int_equal(mt_wasm_analyze(order, sizeof order, &w), MT_EINVAL);
    assert_non_null(strstr(w.evidence, "order"));
    /* a section claiming more bytes than remain */
    static const uint8_t past[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f, 0x00};
    assert_int_equal(mt_wasm_analyze(past, sizeof past, &w), MT_EINVAL);
    /* LEB128 overflow: a 5-byte u32 with bits above 32 */
    static const uint8_t leb[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x7f};
    assert_int_equal(mt_wasm_analyze(leb, sizeof leb, &w), MT_EINVAL);
    /* ... and a LEB that never ends */
    static const uint8_t leb2[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
    assert_int_equal(mt_wasm_analyze(leb2, sizeof leb2, &w), MT_EINVAL);
    /* a custom section is skipped by its size */
    static const uint8_t custom[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 'h', 'i', 0x99};
    assert_int_equal(mt_wasm_analyze(custom, sizeof custom, &w), MT_OK);
}

/* ---- the labelled set ------------------------------------------------- */

typedef struct hit {
    int n, cn, hash;
    char how[16];
    uint32_t score;
} hit;

static int on_mod(void *ctx, const uint8_t *m, size_t n, const char *how, size_t off)
{
    hit *h = ctx;
    mt_wasm_info w;
    (void)off;
    if (mt_wasm_analyze(m, n, &w) != MT_OK) return 0;
    h->n++;
    h->cn |= w.cryptonight;
    h->hash |= w.cn_hash;
    if ((uint32_t)w.score > h->score) h->score = (uint32_t)w.score;
    snprintf(h->how, sizeof h->how, "%s", how);
    return 0;
}

static void test_decoder_ops(void **state)
{
    (void)state;
    need_set();
    char path[512];
    snprintf(path, sizeof path, "%s/ops.wasm", g_set);
    size_t n;
    uint8_t *p = slurp(path, &n);
    if (!p) fail_msg("ops.wasm was not built (wat2wasm from wabt is in scripts/deps.txt)");
    mt_wasm_info w;
    assert_int_equal(mt_wasm_analyze(p, n, &w), MT_OK);
    /* every group decoded: MVP, sign extension, 0xFC, SIMD, atomics, tail
     * calls, exceptions; two imports (a function and a shared memory) */
    assert_int_equal(w.n_unknown_ops, 0);
    assert_int_equal(w.n_funcs, 6);
    assert_int_equal(w.n_imports, 2);
    assert_int_equal(w.memory_pages_min, 1);
    assert_false(w.cryptonight);
    free(p);
}

static void test_labelled_set(void **state)
{
    (void)state;
    need_set();
    char path[512];
    snprintf(path, sizeof path, "%s/labels.tsv", g_set);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int tp = 0, fp = 0, fn = 0, tn = 0, wallets = 0, files = 0, miners = 0, misses = 0;
    while (fgets(line, sizeof line, f)) {
        char name[256], label[32];
        if (sscanf(line, "%255s %31s", name, label) != 2) continue;
        snprintf(path, sizeof path, "%s/%s", g_set, name);
        size_t n;
        uint8_t *p = slurp(path, &n);
        assert_non_null(p);
        int cn, hash;
        char why[220];
        if (strstr(name, ".js")) {
            hit h;
            memset(&h, 0, sizeof h);
            size_t k = mt_wasm_find_embedded((const char *)p, n, on_mod, &h);
            assert_int_equal(k, 1);
            cn = h.cn;
            hash = h.hash;
            snprintf(why, sizeof why, "embedded (%s), score %u", h.how, h.score);
            if (strstr(name, "gzip")) assert_string_equal(h.how, "gzip+base64");
            else if (strstr(name, "bytes")) assert_string_equal(h.how, "bytes");
            else assert_string_equal(h.how, "base64");
        } else {
            mt_wasm_info w;
            assert_int_equal(mt_wasm_analyze(p, n, &w), MT_OK);
            assert_int_equal(w.valid, 1);
            cn = w.cryptonight;
            hash = w.cn_hash;
            snprintf(why, sizeof why, "score %d: %s", w.score, w.evidence);
            if (!strcmp(label, "miner")) {
                assert_true(w.score >= 80);
                /* names decide nothing: the renamed ones say so */
                if (strstr(name, "renamed") || strstr(name, "nonames")) assert_non_null(strstr(w.evidence, "exports renamed"));
                assert_true(w.hash_export[0] != 0);
            }
            /* both finalisers of the -O2 build: BLAKE-256 by its rotations
             * and pi constants, Skein by Threefish's parity constant */
            if (!strcmp(name, "cn_mini_O2.wasm")) assert_non_null(strstr(w.evidence, "BLAKE-256/Skein finalisers"));
            if (!strcmp(label, "hash")) {
                assert_true(w.score <= 70);
                assert_string_equal(w.hash_export, "cn_hash");
            }
        }
        printf("  %-24s %-6s cryptonight=%d cn_hash=%d  %s\n", name, label, cn, hash, why);
        files++;
        if (!strcmp(label, "miner")) {
            miners++;
            if (cn) tp++; else fn++;
            assert_true(cn);
        } else if (!strcmp(label, "miss")) {
            misses++;
            if (cn) tp++; else fn++;
        } else {
            if (cn) fp++; else tn++;
            assert_false(cn);
            if (!strcmp(label, "hash")) {
                wallets++;
                assert_true(hash); /* the hash is there, the loop is not */
            } else {
                assert_false(hash);
            }
        }
        free(p);
    }
    fclose(f);
    printf("  labelled set: %d files, %d miners (+%d known misses); TP %d FP %d FN %d TN %d; precision %.3f recall %.3f\n",
           files, miners, misses, tp, fp, fn, tn, tp + fp ? (double)tp / (tp + fp) : 1.0,
           tp + fn ? (double)tp / (tp + fn) : 0.0);
    assert_true(miners >= 15);
    assert_true(wallets >= 2);
}

/* Every prefix of a real module and 2,000 single-byte corruptions: a
 * verdict or MT_EINVAL, never a crash (ASan builds check the reads). */
static void test_prefixes_and_flips(void **state)
{
    (void)state;
    need_set();
    char path[512];
    snprintf(path, sizeof path, "%s/cn_mini_Os.wasm", g_set);
    size_t n;
    uint8_t *p = slurp(path, &n);
    assert_non_null(p);
    mt_wasm_info w;
    int ok = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t *q = malloc(k ? k : 1);
        memcpy(q, p, k);
        int rc = mt_wasm_analyze(q, k, &w);
        assert_true(rc == MT_OK || rc == MT_EINVAL);
        if (rc == MT_OK) ok++;
        /* a cut inside the code is no verdict (a cut at a section boundary
         * after the code is a whole module without its trailing sections) */
        if (k < n / 2) assert_false(w.cryptonight);
        free(q);
    }
    assert_true(ok >= 1); /* the 8-byte header alone is a module */
    uint32_t seed = 12345;
    uint8_t *q = malloc(n);
    for (int i = 0; i < 2000; i++) {
        memcpy(q, p, n);
        seed = seed * 1103515245u + 12345u;
        size_t at = 8 + (seed >> 8) % (n - 8);
        q[at] ^= (uint8_t)(1u << ((seed >> 4) & 7));
        int rc = mt_wasm_analyze(q, n, &w);
        assert_true(rc == MT_OK || rc == MT_EINVAL);
        assert_true(w.score >= 0 && w.score <= 100);
    }
    free(q);
    free(p);
}

/* ---- embedded forms ---------------------------------------------------- */

static int count_only(void *ctx, const uint8_t *m, size_t n, const char *how, size_t off)
{
    (void)m;
    (void)how;
    (void)off;
    size_t *total = ctx;
    *total += n;
    return 0;
}

static int stop_first(void *ctx, const uint8_t *m, size_t n, const char *how, size_t off)
{
    (void)m;
    (void)n;
    (void)how;
    (void)off;
    (*(int *)ctx)++;
    return 1;
}

static void test_embedded_edges(void **state)
{
    (void)state;
    size_t total = 0;
    /* the header as base64 in a data: URI, as a decimal and a hex array */
    const char *t1 = "x='data:application/wasm;base64,AGFzbQEAAAA=';y=[0, 97,115, 109,1,0,0,0];"
                     "z=Uint8Array.from([0x00,0x61,0x73,0x6D,0x01,0x00,0x00,0x00])";
    assert_int_equal(mt_wasm_find_embedded(t1, strlen(t1), count_only, &total), 3);
    assert_int_equal(total, 24);
    /* URL-safe letters and a split literal decode the same */
    const char *t2 = "s = \"AGFz\" +\n \"bQEAAAA\";";
    total = 0;
    assert_int_equal(mt_wasm_find_embedded(t2, strlen(t2), count_only, &total), 1);
    assert_int_equal(total, 8);
    /* not modules: mid-run magic, wrong second byte, an array of other
     * numbers, unclosed arrays, values over 255, lone anchors */
    const char *t3 = "QQAGFzbQEAAAA [0,98,115,109,1,0,0,0] [0,97,115,109,1,0,0 [0,97,115,109,1,0,0,300] "
                     "AGFzbQEAAA H4sIAAAAAAAAA////////////////////////////// [[[[ [0 [0x [0,97";
    total = 0;
    assert_int_equal(mt_wasm_find_embedded(t3, strlen(t3), count_only, &total), 0);
    assert_int_equal(mt_wasm_find_embedded(NULL, 0, count_only, &total), 0);
    /* the callback stops the search */
    int calls = 0;
    assert_int_equal(mt_wasm_find_embedded(t1, strlen(t1), stop_first, &calls), 1);
    assert_int_equal(calls, 1);

    /* hostile repetition: unclosed lists and joined literals that each
     * start a candidate; the search stays linear (seconds would mean not) */
    size_t hn = 4u << 20, ho = 0;
    char *ht = malloc(hn);
    static const char *const rep[] = {"[0,97,115,109,1,0,0,", "'AGFzbQEAAAAB'+'", "\"H4sIAAAAAAAA\" + \""};
    for (int r = 0; ho + 32 < hn; r++) {
        size_t l = strlen(rep[r % 3]);
        memcpy(ht + ho, rep[r % 3], l);
        ho += l;
    }
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    total = 0;
    mt_wasm_find_embedded(ht, ho, count_only, &total);
    double dt = (double)clock() / CLOCKS_PER_SEC - t0;
    printf("  hostile 4 MiB text searched in %.3f s\n", dt);
    assert_true(dt < 5.0);
    assert_int_equal(total, 0); /* headers followed by junk are not modules */
    free(ht);
    /* decoys do not use up the budget: 200 junk headers, then a module */
    {
        size_t dn = 0;
        char *dt2 = malloc(200 * 20 + 64);
        for (int i = 0; i < 200; i++) dn += (size_t)sprintf(dt2 + dn, "'AGFzbQEAAAAB' ");
        dn += (size_t)sprintf(dt2 + dn, "'AGFzbQEAAAA='");
        total = 0;
        assert_int_equal(mt_wasm_find_embedded(dt2, dn, count_only, &total), 1);
        free(dt2);
    }

    /* gzip+base64 of a header and 64 MiB of zeros: the bomb is cut at 16
     * times its compressed size, never near its full size */
    size_t big = 64u << 20;
    uint8_t *z = calloc(1, big);
    memcpy(z, HDR, 8);
    uLongf zl = compressBound(big);
    uint8_t *gz = malloc(zl + 32);
    z_stream s;
    memset(&s, 0, sizeof s);
    assert_int_equal(deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = z;
    s.avail_in = (uInt)big;
    s.next_out = gz;
    s.avail_out = (uInt)zl;
    assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
    size_t gzn = s.total_out;
    deflateEnd(&s);
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *txt = malloc(gzn / 3 * 4 + 16);
    size_t o = 0;
    txt[o++] = '"';
    for (size_t i = 0; i < gzn; i += 3) {
        uint32_t v = (uint32_t)gz[i] << 16 | (i + 1 < gzn ? (uint32_t)gz[i + 1] << 8 : 0) | (i + 2 < gzn ? gz[i + 2] : 0);
        txt[o++] = b64[v >> 18 & 63];
        txt[o++] = b64[v >> 12 & 63];
        txt[o++] = i + 1 < gzn ? b64[v >> 6 & 63] : '=';
        txt[o++] = i + 2 < gzn ? b64[v & 63] : '=';
    }
    txt[o++] = '"';
    total = 0;
    assert_int_equal(mt_wasm_find_embedded(txt, o, count_only, &total), 1);
    assert_true(total > 8 && total <= gzn * 16 + 64);
    free(txt);
    free(gz);
    free(z);
}

/* ---- benign npm modules ---------------------------------------------- */

typedef struct npm_case {
    const char *path; /* under the unpacked package directory */
    int embedded;     /* 0: a .wasm file; 1: modules inside JS */
    int min_modules;
} npm_case;

static void test_npm_benign(void **state)
{
    (void)state;
    need_set();
    if (!g_npm[0]) {
        char log[512];
        snprintf(log, sizeof log, "%s/npm.log", g_set);
        size_t n = 0;
        uint8_t *t = slurp(log, &n);
        printf("  SKIP: npm unreachable, benign npm modules not checked: %s\n", t ? (char *)t : "");
        free(t);
        skip();
    }
    static const npm_case cases[] = {
        {"argon2-browser@1.18.0/package/dist/argon2.wasm", 0, 1},
        {"argon2-browser@1.18.0/package/dist/argon2-simd.wasm", 0, 1},
        {"blake3-wasm@2.1.5/package/dist/wasm/web/blake3_js_bg.wasm", 0, 1},
        {"sql.js@1.10.3/package/dist/sql-wasm.wasm", 0, 1},
        {"hash-wasm@4.11.0/package/dist/index.umd.min.js", 1, 20},
        {"xxhash-wasm@1.0.2/package/umd/xxhash-wasm.js", 1, 1},
        {"libsodium@0.7.13/package/dist/modules/libsodium.js", 1, 1},
        /* a Monero wallet: cn_slow_hash inside, no mining loop */
        {"monero-ts@0.11.15/package/dist/monero.js", 1, 1},
    };
    int modules = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", g_npm, cases[i].path);
        size_t n;
        uint8_t *p = slurp(path, &n);
        if (!p) fail_msg("%s missing from the npm package", path);
        hit h;
        memset(&h, 0, sizeof h);
        if (cases[i].embedded) {
            mt_wasm_find_embedded((const char *)p, n, on_mod, &h);
        } else {
            mt_wasm_info w;
            assert_int_equal(mt_wasm_analyze(p, n, &w), MT_OK);
            h.n = 1;
            h.cn = w.cryptonight;
            h.hash = w.cn_hash;
            h.score = (uint32_t)w.score;
        }
        printf("  %-58s %2d modules, cryptonight=%d, top score %u\n", cases[i].path, h.n, h.cn, h.score);
        assert_true(h.n >= cases[i].min_modules);
        assert_false(h.cn);
        modules += h.n;
        free(p);
    }
    printf("  npm benign: %d modules, 0 flagged\n", modules);
}

/* ---- speed (printed for the report; not a timed test) ----------------- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void speed_of(const char *label, const uint8_t *p, size_t n)
{
    mt_wasm_info w;
    int runs = 0;
    double t0 = now(), t;
    do {
        assert_int_equal(mt_wasm_analyze(p, n, &w), MT_OK);
        runs++;
    } while ((t = now() - t0) < 0.3);
    printf("  speed %-22s %8zu B: %9.0f modules/s, %7.1f MB/s\n", label, n, runs / t, runs * (double)n / t / 1e6);
}

static void test_speed(void **state)
{
    (void)state;
    need_set();
    char path[1400];
    size_t n;
    snprintf(path, sizeof path, "%s/cn_mini_O2.wasm", g_set);
    uint8_t *p = slurp(path, &n);
    assert_non_null(p);
    speed_of("cn_mini_O2.wasm", p, n);
    free(p);
    if (g_npm[0]) {
        snprintf(path, sizeof path, "%s/sql.js@1.10.3/package/dist/sql-wasm.wasm", g_npm);
        if ((p = slurp(path, &n))) {
            speed_of("sql-wasm.wasm", p, n);
            free(p);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_and_malformed),
        cmocka_unit_test(test_embedded_edges),
        cmocka_unit_test(test_decoder_ops),
        cmocka_unit_test(test_labelled_set),
        cmocka_unit_test(test_prefixes_and_flips),
        cmocka_unit_test(test_npm_benign),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, setup_set, teardown_set);
}
