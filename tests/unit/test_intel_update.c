/* The parts of `minetrace intel update` that need no network: the sources
 * file (the built-in list and errors naming file and line), the cache
 * state (round trip, damaged lines skipped), the ET Open rule reader on
 * the corpus rules, and the cache loaded into an indicator set. The fetch
 * itself is tested against a local server by tests/corpus/intel_update.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "intel/intel_update.h"

static void test_default_sources(void **state)
{
    (void)state;
    mt_isrc_list l = {0};
    mt_isrc_default(&l);
    assert_int_equal(l.n, 9);
    const mt_isrc *s = mt_isrc_find(&l, "nocoin");
    assert_non_null(s);
    assert_int_equal(s->kind, MT_ISRC_ADBLOCK);
    assert_int_equal(s->cat, MT_CAT_BROWSER_MINER);
    s = mt_isrc_find(&l, "et-open-coinminer");
    assert_non_null(s);
    assert_int_equal(s->kind, MT_ISRC_ET_RULES);
    assert_int_equal(s->weight, 90);
    assert_non_null(strstr(s->url, "rules.emergingthreats.net"));
    assert_int_equal(mt_isrc_find(&l, "blp-crypto")->cat, MT_CAT_CRYPTO);
    /* what `intel sources` prints parses back to the same list */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    mt_isrc_write(&l, f);
    fclose(f);
    mt_isrc_list b = {0};
    assert_int_equal(mt_isrc_parse(&b, text, len, "written"), MT_OK);
    assert_int_equal(b.n, l.n);
    for (size_t i = 0; i < l.n; i++) assert_memory_equal(&b.v[i], &l.v[i], sizeof l.v[i]);
    free(text);
    mt_isrc_free(&b);
    mt_isrc_free(&l);
}

static void test_sources_errors(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"a adblock http://x/\nb torrent http://x/y\n", "f:2: unknown kind"},
        {"a adblock ftp://x/y\n", "f:1: not an http:// or https:// URL"},
        {"../a adblock http://x/y\n", "f:1: bad source name"},
        {"a adblock http://x/y weight=0\n", "f:1: weight must be 1..100"},
        {"a adblock http://x/y weight=101\n", "f:1: weight must be 1..100"},
        {"a adblock http://x/y category=evil\n", "f:1: unknown category"},
        {"a adblock http://x/y max-size=2000M\n", "f:1: max-size must be"},
        {"a adblock http://x/y sha256=abc\n", "f:1: sha256 must be 64 hex digits"},
        {"a adblock http://x/y colour=red\n", "f:1: unknown key"},
        {"a adblock http://x/y\na hosts http://x/z\n", "f:2: source named twice"},
        {"a adblock\n", "f:1: want NAME KIND URL"},
        {"a adblock http://x/y\x01\n", "f:1: not an http"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mt_isrc_list l = {0};
        int rc = mt_isrc_parse(&l, bad[i][0], strlen(bad[i][0]), "f");
        if (rc == MT_OK || !strstr(mt_error_msg(), bad[i][1]))
            fail_msg("'%s': rc %d, '%s'", bad[i][0], rc, mt_error_msg());
        mt_isrc_free(&l);
    }
    mt_isrc_list l = {0};
    const char *ok = "# c\n\n  x hosts https://h.example/x.txt category=allow max-size=4k  \r\n"
                     "y ips http://h.example/i weight=7 sha256="
                     "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF\n";
    assert_int_equal(mt_isrc_parse(&l, ok, strlen(ok), "f"), MT_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].cat, MT_CAT_ALLOW);
    assert_int_equal(l.v[0].max_size, 4096);
    assert_int_equal(l.v[1].weight, 7);
    assert_int_equal(l.v[1].pinned, 1);
    assert_int_equal(l.v[1].sha256[31], 0xff);
    mt_isrc_free(&l);
}

static char tmpdir[64];

static void test_state_round_trip(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mt_iu_unit.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    mt_icache c;
    assert_int_equal(mt_icache_open(&c, tmpdir, 0), MT_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(mt_icache_lock(&c), MT_OK);
    mt_icache d;
    assert_int_equal(mt_icache_open(&d, tmpdir, 0), MT_OK);
    assert_int_not_equal(mt_icache_lock(&d), MT_OK); /* one update at a time */
    assert_non_null(strstr(mt_error_msg(), "another update holds"));
    mt_icache_close(&d);
    mt_isrc_list l = {0};
    mt_isrc_default(&l);
    for (size_t i = 0; i < 3; i++) {
        mt_icache_entry *e = &c.v[c.n];
        if (c.n == c.cap) { c.cap = 8; c.v = realloc(c.v, c.cap * sizeof *c.v); e = &c.v[c.n]; }
        memset(e, 0, sizeof *e);
        e->src = l.v[i];
        e->have_copy = i != 2;
        if (e->have_copy) memset(e->sha256, (int)i + 1, sizeof e->sha256);
        snprintf(e->etag, sizeof e->etag, "\"tag %zu\"", i);
        e->counts.domains = 100 + i;
        e->counts.url_rules = 7;
        e->fetched = 1700000000 + (int64_t)i;
        e->checked = 1800000000;
        e->ok = 1;
        snprintf(e->status, sizeof e->status, "not modified (HTTP 304)");
        c.n++;
    }
    assert_int_equal(mt_icache_save(&c), MT_OK);
    mt_icache_close(&c);
    assert_int_equal(mt_icache_open(&d, tmpdir, 0), MT_OK);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.bad_lines, 0);
    mt_icache_entry *e = mt_icache_find(&d, l.v[1].name);
    assert_non_null(e);
    assert_string_equal(e->etag, "\"tag 1\"");
    assert_int_equal(e->counts.domains, 101);
    assert_int_equal(e->fetched, 1700000001);
    assert_int_equal(e->sha256[0], 2);
    assert_memory_equal(&e->src, &l.v[1], sizeof e->src);
    assert_int_equal(mt_icache_find(&d, l.v[2].name)->have_copy, 0);
    mt_icache_close(&d);
    mt_isrc_free(&l);

    /* Damaged lines are skipped and counted, never trusted. */
    static const char *const damaged[] = {
        "x\tadblock\n",
        "../x\tadblock\tpool\t50\t100\t-\thttp://a/b\t0\t-\t-\t-\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n",
        "x\tadblock\tpool\t500\t100\t-\thttp://a/b\t0\t-\t-\t-\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n",
        "x\tadblock\tpool\t50\t100\t-\thttp://a/b\t1\t-\t-\t-\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n",
        "x\tadblock\tpool\t50\t100\t-\thttp://a/b\t0\t-\t-\t-\t-5\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n",
    };
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        mt_icache z;
        memset(&z, 0, sizeof z);
        mt_icache_parse(&z, damaged[i], strlen(damaged[i]));
        if (z.n != 0 || z.bad_lines != 1) fail_msg("damaged line %zu taken", i);
        free(z.v);
    }
    const char *good = "x\tadblock\tpool\t50\t100\t-\thttp://a/b\t0\t-\t-\t-\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n";
    mt_icache z;
    memset(&z, 0, sizeof z);
    mt_icache_parse(&z, good, strlen(good));
    assert_int_equal(z.n, 1);
    free(z.v);
}

/* The ET Open coin-miner rules of the corpus: the names of the coin-mining
 * rules' DNS and TLS buffers (the six listed here, read from the file's
 * rules by hand), nothing from rules of other classes. */
static void test_et_rules(void **state)
{
    (void)state;
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/intel/et_open/emerging-coinminer.rules", corpus);
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_kind(in, path, MT_ISRC_ET_RULES, 90, MT_CAT_POOL, "et"), MT_OK);
    const mt_intel_load_stats *st = mt_intel_last_load(in);
    assert_int_equal(st->domains, 6);
    assert_int_equal(st->skipped, 0);
    assert_true(st->inert > 0);   /* coin-mining rules on other contents */
    assert_true(st->comments > 0);
    static const char *const names[] = {"crypto-loot.com", "x.herominers.com", "pool.hashvault.pro",
                                        "xmr.2miners.com", "monerohash.com", "eu.minerpool.pw"};
    for (size_t i = 0; i < 6; i++) {
        mt_intel_hit h;
        if (!mt_intel_match_domain(in, names[i], &h)) fail_msg("%s not taken", names[i]);
        assert_int_equal(h.weight, 90);
        assert_string_equal(h.source, "et");
    }
    mt_intel_hit h;
    assert_false(mt_intel_match_domain(in, "coin-hive.com", &h)); /* classtype trojan-activity */
    assert_int_equal(mt_isrc_entries(MT_ISRC_ET_RULES, st), 6);
    mt_intel_free(in);

    /* Hostile rule text: no name from hex contents, TLDs alone, negations. */
    const char *rules = "alert dns any any -> any any (msg:\"x\"; dns.query; content:\"|00|a.com\"; classtype:coin-mining; sid:1;)\n"
                        "alert dns any any -> any any (msg:\"x\"; dns.query; content:\".coin\"; classtype:coin-mining; sid:2;)\n"
                        "alert dns any any -> any any (msg:\"x\"; dns.query; content:!\"b.com\"; classtype:coin-mining; sid:3;)\n"
                        "alert dns any any -> any any (msg:\"a;b\"; dns.query; content:\"c.example\"; classtype:coin-mining; sid:4;)\n"
                        "alert dns any any -> any any (msg:\"x\"; dns.query; content:\"1.2.3.4\"; classtype:coin-mining; sid:5;)\n"
                        "alert dns any any -> any any (msg:\"x\"; dns.query; content:\"\n"
                        "garbage\n";
    FILE *f = fmemopen((void *)rules, strlen(rules), "r");
    in = mt_intel_new();
    assert_int_equal(mt_intel_load_et_rules(in, f, "t", 50, MT_CAT_POOL), MT_OK);
    fclose(f);
    st = mt_intel_last_load(in);
    assert_int_equal(st->domains, 1);
    assert_true(mt_intel_match_domain(in, "c.example", &h));
    assert_int_equal(st->skipped, 1);
    mt_intel_free(in);
}

/* A cache whose copies are corpus lists loads each with its kind,
 * category and weight, counted as mt_intel_load_file counts it. */
static void test_cache_load(void **state)
{
    (void)state;
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) skip();
    char src[4096], dst[4200];
    snprintf(src, sizeof src, "%s/intel/nocoin_hosts.txt", corpus);
    mt_icache c;
    assert_int_equal(mt_icache_open(&c, tmpdir, 0), MT_OK);
    mt_icache_copy_path(&c, "hosts", dst, sizeof dst);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, dst);
    assert_int_equal(system(cmd), 0);
    c.n = 0;
    mt_icache_entry *e = &c.v[c.n++];
    memset(e, 0, sizeof *e);
    mt_isrc_list l = {0};
    const char *s = "hosts hosts http://h.example/x category=browser-miner weight=77\n";
    assert_int_equal(mt_isrc_parse(&l, s, strlen(s), "f"), MT_OK);
    e->src = l.v[0];
    e->have_copy = 1;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_icache_load(in, &c, NULL, NULL), MT_OK);
    assert_int_equal(mt_intel_last_load(in)->domains, 313);
    mt_intel_hit h;
    assert_true(mt_intel_match_domain(in, "ws1.coinhiveproxy.com", &h));
    assert_int_equal(h.weight, 77);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_string_equal(h.source, "hosts");
    mt_intel_free(in);
    mt_isrc_free(&l);
    mt_icache_close(&c);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_sources),
        cmocka_unit_test(test_sources_errors),
        cmocka_unit_test(test_state_round_trip),
        cmocka_unit_test(test_et_rules),
        cmocka_unit_test(test_cache_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
