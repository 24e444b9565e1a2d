/* Tests for the block-list request rules (src/intel/intel_abp.c and the
 * loader's Adblock classes): matching semantics on hand-written rules, the
 * real lists of the shared corpus (rule counts per class, miner URLs
 * blocked, every src=/href= URL of the real benign pages not blocked), and
 * a throughput measurement over 1M URLs (printed, not asserted). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "intel/intel_internal.h"
#include "minetrace/intel.h"

static const char *corpus_dir(void)
{
    const char *c = getenv("MT_CORPUS");
    return c && *c ? c : NULL;
}

static mt_intel *load_text(const char *text, int weight, mt_intel_category cat)
{
    mt_intel *in = mt_intel_new();
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    assert_int_equal(mt_intel_load_stream(in, f, "t", weight, cat), MT_OK);
    fclose(f);
    return in;
}

static int blocks(const mt_intel *in, const char *url, const char *page, int type)
{
    mt_intel_hit h;
    return mt_intel_match_request(in, url, page, type, &h);
}

/* The rule that blocked (or the exception that allowed) url. */
static const char *why(const mt_intel *in, const char *url, const char *page, int type)
{
    static mt_intel_hit h;
    mt_intel_match_request(in, url, page, type, &h);
    return h.matched ? h.matched : "";
}

static void test_anchors_and_separators(void **st)
{
    (void)st;
    mt_intel *in = load_text("[Adblock Plus 2.0]\n"
                             "! anchors\n"
                             "||coinhive.com^\n"
                             "||cdn.example.org/miner/\n"
                             "|https://start.example/x\n"
                             "/end.js|\n"
                             "/sep^\n"
                             "/wild*card.js\n"
                             "||part\n"
                             "sub*str^q=\n",
                             80, MT_CAT_BROWSER_MINER);
    const mt_intel_load_stats *s = mt_intel_last_load(in);
    assert_int_equal(s->url_rules, 8);
    assert_int_equal(s->comments, 2);
    /* coinhive.com and start.example, for the traffic detectors */
    assert_int_equal(s->domains, 2);
    const char *pg = "www.example.net";
    int T = MT_REQ_SCRIPT;
    /* "||": the host or a subdomain, then a separator, any port */
    assert_true(blocks(in, "https://coinhive.com/lib/coinhive.min.js", pg, T));
    assert_string_equal(why(in, "https://coinhive.com/lib/coinhive.min.js", pg, T), "||coinhive.com^");
    assert_true(blocks(in, "wss://WS1.CoinHive.com:443/proxy", pg, MT_REQ_WEBSOCKET));
    assert_true(blocks(in, "https://coinhive.com", pg, T)); /* '^' matches the end */
    assert_false(blocks(in, "https://notcoinhive.com/lib.js", pg, T));
    assert_false(blocks(in, "https://coinhive.com.evil.org/lib.js", pg, T));
    assert_false(blocks(in, "https://example.org/?u=coinhive.com", pg, T));
    /* "||host/path" */
    assert_true(blocks(in, "https://cdn.example.org/miner/a.js", pg, T));
    assert_true(blocks(in, "https://eu.cdn.example.org/miner/a.js", pg, T));
    assert_false(blocks(in, "https://cdn.example.org/js/miner/a.js", pg, T));
    assert_false(blocks(in, "https://xcdn.example.org/miner/a.js", pg, T));
    /* "||part": a label start, the label may go on */
    assert_true(blocks(in, "https://partner.example/a", pg, T));
    assert_true(blocks(in, "https://a.partly.example/a", pg, T));
    assert_false(blocks(in, "https://apart.example/a", pg, T));
    /* "|": the URL's start */
    assert_true(blocks(in, "https://start.example/x.js", pg, T));
    assert_false(blocks(in, "http://start.example/x.js", pg, T));
    assert_false(blocks(in, "https://a.example/?https://start.example/x", pg, T));
    /* end anchor; the fragment is not part of the URL */
    assert_true(blocks(in, "https://a.example/lib/end.js", pg, T));
    assert_true(blocks(in, "https://a.example/lib/end.js#frag", pg, T));
    assert_false(blocks(in, "https://a.example/lib/end.js?v=1", pg, T));
    /* separators: '/', '?', ':', the end; not letters, digits, "_-.%" */
    assert_true(blocks(in, "https://a.example/sep/x", pg, T));
    assert_true(blocks(in, "https://a.example/sep?x", pg, T));
    assert_true(blocks(in, "https://a.example/sep", pg, T));
    assert_false(blocks(in, "https://a.example/sepx", pg, T));
    assert_false(blocks(in, "https://a.example/sep.js", pg, T));
    assert_false(blocks(in, "https://a.example/sep_x", pg, T));
    assert_false(blocks(in, "https://a.example/sep%20", pg, T));
    /* wildcards, across '/', with backtracking */
    assert_true(blocks(in, "https://a.example/wild-x/card.js", pg, T));
    assert_true(blocks(in, "https://a.example/wildcard.js", pg, T));
    assert_true(blocks(in, "https://a.example/wild/card.jx/card.js", pg, T));
    assert_false(blocks(in, "https://a.example/card.js/wild", pg, T));
    assert_true(blocks(in, "https://a.example/substr?q=1", pg, T));
    assert_true(blocks(in, "https://a.example/sub/a/str/b/str&q=1", pg, T));
    assert_false(blocks(in, "https://a.example/substrq=1", pg, T));
    /* not absolute, empty, NULL */
    assert_false(blocks(in, "", pg, T));
    assert_false(blocks(in, NULL, pg, T));
    assert_false(blocks(NULL, "https://coinhive.com/", pg, T));
    mt_intel_free(in);
}

static void test_regex(void **st)
{
    (void)st;
    mt_intel *in = load_text("/\\/mine[0-9]+\\.js$/\n"
                             "/^wss?:\\/\\/[a-z]+\\.pool\\d+\\.example\\//$websocket\n"
                             "/(?:coin|crypto)-?loot\\.(js|wasm)/\n"
                             "/[\\w.-]+\\.miner\\.example/\n"
                             "/^(?!https:).*tracker/\n" /* lookahead (PCRE2 takes it) */
                             "/a(b)\\1/\n",             /* backreference */
                             80, MT_CAT_BROWSER_MINER);
    const mt_intel_load_stats *s = mt_intel_last_load(in);
    assert_int_equal(s->url_rules, 6);
    assert_int_equal(s->regexes, 6);
    assert_int_equal(s->inert, 0);
    const char *pg = "site.example";
    assert_true(blocks(in, "https://x.example/js/mine12.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/js/mine.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/js/mine12.js?v", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "wss://eu.pool42.example/", pg, MT_REQ_WEBSOCKET));
    assert_true(blocks(in, "WS://EU.POOL42.EXAMPLE/", pg, MT_REQ_WEBSOCKET)); /* case-insensitive */
    assert_false(blocks(in, "wss://eu.pool42.example/", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "wss://eu.pool.example/", pg, MT_REQ_WEBSOCKET));
    assert_true(blocks(in, "https://cdn.example/crypto-loot.wasm", pg, MT_REQ_OTHER));
    assert_true(blocks(in, "https://cdn.example/coinloot.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://a_b-c.miner.example/", pg, MT_REQ_SCRIPT));
    /* the lookahead: a tracker path on anything but https */
    assert_true(blocks(in, "http://x.example/tracker", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/tracker", pg, MT_REQ_SCRIPT));
    /* the backreference: "abb" */
    assert_true(blocks(in, "https://x.example/abb.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/abc.js", pg, MT_REQ_SCRIPT));
    mt_intel_free(in);

    /* Bounds against hostile lists: nested large counted repetitions
     * (regcomp would expand them), stacked quantifiers (regcomp's memory
     * grows with each) and overlong globs are inert. */
    char big[1200 + 64];
    memset(big, 'a', 1200);
    big[0] = '/';
    strcpy(big + 1200, "\n/((a{1,60}){1,60}){1,60}/\n/x{1,100}/\n/x{2,8}y/\n/x++++/\n");
    in = load_text(big, 80, MT_CAT_BROWSER_MINER);
    s = mt_intel_last_load(in);
    assert_int_equal(s->inert, 4);
    assert_int_equal(s->url_rules, 1);
    assert_true(blocks(in, "https://x.example/xxxy", pg, MT_REQ_SCRIPT));
    mt_intel_free(in);
}

static void test_options(void **st)
{
    (void)st;
    mt_intel *in = load_text("/opt-script.js$script\n"
                             "||ws.example^$websocket\n"
                             "/api/hash$xmlhttprequest\n"
                             "||frame.example^$subdocument\n"
                             "/pixel.gif$image\n"
                             "/not-script.js$~script\n"
                             "||tp.example^$third-party\n"
                             "||fp.example^$~third-party\n"
                             "/dom.js$domain=a.com|~b.a.com\n"
                             "/nodom.js$domain=~c.com\n"
                             "/CaseJS.js$match-case\n"
                             "/nocase.js\n"
                             "/unk.js$popup\n"
                             "/unk2.js$script,redirect=noop.js\n"
                             "$websocket,domain=pirate.example\n",
                             70, MT_CAT_BROWSER_MINER);
    const mt_intel_load_stats *s = mt_intel_last_load(in);
    assert_int_equal(s->url_rules, 13);
    assert_int_equal(s->inert, 2);
    const char *pg = "page.example";
    /* request types */
    assert_true(blocks(in, "https://x.example/opt-script.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/opt-script.js", pg, MT_REQ_IMAGE));
    assert_true(blocks(in, "wss://ws.example/socket", pg, MT_REQ_WEBSOCKET));
    assert_false(blocks(in, "https://ws.example/socket.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://x.example/api/hash", pg, MT_REQ_XHR));
    assert_false(blocks(in, "https://x.example/api/hash", pg, MT_REQ_DOCUMENT));
    assert_true(blocks(in, "https://frame.example/f.html", pg, MT_REQ_SUBDOCUMENT));
    assert_false(blocks(in, "https://frame.example/f.html", pg, MT_REQ_XHR));
    assert_true(blocks(in, "https://x.example/pixel.gif", pg, MT_REQ_IMAGE));
    assert_false(blocks(in, "https://x.example/not-script.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://x.example/not-script.js", pg, MT_REQ_OTHER));
    assert_true(blocks(in, "https://x.example/not-script.js", pg, 99)); /* unknown: other */
    /* third party: by registrable domain (public suffix list) */
    assert_true(blocks(in, "https://cdn.tp.example/a.js", "news.site.co.uk", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://cdn.tp.example/a.js", "www.tp.example", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://cdn.tp.example/a.js", NULL, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://fp.example/a.js", "www.fp.example", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://fp.example/a.js", "other.example", MT_REQ_SCRIPT));
    /* two sites under one public suffix are third parties to each other */
    assert_true(blocks(in, "https://tp.example/a.js", "tp.example.co.uk", MT_REQ_SCRIPT));
    /* $domain=: the page, the most specific entry decides */
    assert_true(blocks(in, "https://x.example/dom.js", "a.com", MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://x.example/dom.js", "www.a.com", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/dom.js", "b.a.com", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/dom.js", "x.b.a.com", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/dom.js", "ca.com", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/dom.js", NULL, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://x.example/nodom.js", "d.com", MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/nodom.js", "www.c.com", MT_REQ_SCRIPT));
    /* an option-only rule: every websocket of the page */
    assert_true(blocks(in, "wss://anything.example:8443/", "www.pirate.example", MT_REQ_WEBSOCKET));
    assert_false(blocks(in, "wss://anything.example:8443/", "other.example", MT_REQ_WEBSOCKET));
    assert_false(blocks(in, "https://anything.example/", "www.pirate.example", MT_REQ_SCRIPT));
    /* case */
    assert_true(blocks(in, "https://x.example/CaseJS.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/casejs.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://x.example/NoCase.JS", pg, MT_REQ_SCRIPT));
    /* inert rules block nothing */
    assert_false(blocks(in, "https://x.example/unk.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://x.example/unk2.js", pg, MT_REQ_SCRIPT));
    mt_intel_free(in);
}

static void test_exceptions_and_hosts(void **st)
{
    (void)st;
    mt_intel *in = load_text("||exc.example^\n"
                             "@@||good.exc.example^\n"
                             "@@||exc.example/ok/$script\n"
                             "||imp.example^$important\n"
                             "@@||imp.example^\n"
                             "0.0.0.0 hosts.example\n"
                             "plain.example\n"
                             "@@||fine.plain.example^\n"
                             "wss://*.cp.example/proxy*\n"
                             "*://exact.example/lib*\n"
                             "*://*/*cryptonight.wasm\n"
                             "example.com##.ad\n"
                             "example.com#@#.ad\n"
                             "example.com#?#div:has(.x)\n"
                             "example.com##+js(aopr, miner)\n"
                             "###banner\n"
                             "######## a hosts-file banner\n",
                             80, MT_CAT_BROWSER_MINER);
    const mt_intel_load_stats *s = mt_intel_last_load(in);
    assert_int_equal(s->exceptions, 4);
    assert_int_equal(s->cosmetic, 4);
    assert_int_equal(s->scriptlets, 1);
    assert_int_equal(s->comments, 1);
    assert_int_equal(s->url_rules, 5);
    const char *pg = "page.example";
    mt_intel_hit h;
    /* exceptions win, and say which */
    assert_true(blocks(in, "https://bad.exc.example/a.js", pg, MT_REQ_SCRIPT));
    assert_int_equal(mt_intel_match_request(in, "https://good.exc.example/a.js", pg, MT_REQ_SCRIPT, &h), 0);
    assert_int_equal(h.category, MT_CAT_ALLOW);
    assert_int_equal(h.weight, 0);
    assert_string_equal(h.matched, "@@||good.exc.example^");
    assert_false(blocks(in, "https://exc.example/ok/a.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://exc.example/ok/a.png", pg, MT_REQ_IMAGE));
    /* ... unless the block is $important */
    assert_true(blocks(in, "https://imp.example/a.js", pg, MT_REQ_SCRIPT));
    /* nothing matched: hit cleared */
    assert_int_equal(mt_intel_match_request(in, "https://clean.example/", pg, MT_REQ_SCRIPT, &h), 0);
    assert_int_equal(h.weight, 0);
    assert_null(h.matched);
    /* whole hosts of hosts files and plain lists: every request */
    assert_int_equal(mt_intel_match_request(in, "https://x.hosts.example/a.png", pg, MT_REQ_IMAGE, &h), 1);
    assert_string_equal(h.matched, "hosts.example");
    assert_int_equal(h.weight, 80);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_string_equal(h.source, "t");
    assert_true(blocks(in, "https://plain.example/", pg, MT_REQ_DOCUMENT));
    assert_false(blocks(in, "https://fine.plain.example/", pg, MT_REQ_DOCUMENT));
    /* Chrome match patterns: scheme, host ("*." or exact), whole path */
    assert_true(blocks(in, "wss://a.cp.example:8443/proxy?pool=x", pg, MT_REQ_WEBSOCKET));
    assert_true(blocks(in, "wss://cp.example/proxy", pg, MT_REQ_WEBSOCKET));
    assert_false(blocks(in, "https://a.cp.example/proxy", pg, MT_REQ_WEBSOCKET));
    assert_false(blocks(in, "wss://a.cp.example/other/proxy", pg, MT_REQ_WEBSOCKET));
    assert_true(blocks(in, "http://exact.example/lib/x.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "wss://exact.example/lib", pg, MT_REQ_WEBSOCKET)); /* '*' takes ws too */
    assert_false(blocks(in, "https://sub.exact.example/lib/x.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "ftp://exact.example/lib/x.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "https://cdn.any.example/a/cryptonight.wasm", pg, MT_REQ_OTHER));
    assert_false(blocks(in, "https://cdn.any.example/a/cryptonight.wasm.map", pg, MT_REQ_OTHER));
    /* the traffic detectors' tables see the hosts, not the URL rules */
    assert_int_equal(mt_intel_match_domain(in, "ws1.cp.example", &h), 1);
    assert_int_equal(mt_intel_match_path(in, "/a/cryptonight.wasm", &h), 0);
    mt_intel_free(in);

    /* A list loaded as an allowlist: its rules are exceptions. */
    in = load_text("||miner.example^\n", 80, MT_CAT_BROWSER_MINER);
    FILE *f = fmemopen((void *)"||ok.miner.example^\n", 20, "r");
    assert_int_equal(mt_intel_load_stream(in, f, "allow", 100, MT_CAT_ALLOW), MT_OK);
    fclose(f);
    assert_int_equal(mt_intel_last_load(in)->exceptions, 1);
    assert_true(blocks(in, "https://miner.example/a.js", pg, MT_REQ_SCRIPT));
    assert_false(blocks(in, "https://ok.miner.example/a.js", pg, MT_REQ_SCRIPT));
    /* The same rule from two lists is one rule, with the stronger claim. */
    f = fmemopen((void *)"||miner.example^\n", 17, "r");
    assert_int_equal(mt_intel_load_stream(in, f, "strong", 95, MT_CAT_BROWSER_MINER), MT_OK);
    fclose(f);
    assert_int_equal(mt_intel_request_rule_count(in), 2);
    assert_int_equal(mt_intel_match_request(in, "https://miner.example/a.js", pg, MT_REQ_SCRIPT, &h), 1);
    assert_int_equal(h.weight, 95);
    assert_string_equal(h.source, "strong");
    mt_intel_free(in);
}

/* Builtin path rules take part; the HTTP detector's path matching does not
 * see the lists' URL rules. */
static void test_builtin_paths(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    mt_intel_hit h;
    assert_int_equal(mt_intel_match_request(in, "https://self.example/js/coinhive.min.js", "self.example",
                                            MT_REQ_SCRIPT, &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    size_t paths = mt_intel_url_rule_count(in);
    FILE *f = fmemopen((void *)"/evil-path.js\n", 14, "r");
    mt_intel_load_stream(in, f, "list", 80, MT_CAT_BROWSER_MINER);
    fclose(f);
    assert_int_equal(mt_intel_url_rule_count(in), paths);
    assert_int_equal(mt_intel_match_path(in, "/evil-path.js", &h), 0);
    assert_true(blocks(in, "https://x.example/evil-path.js", "p.example", MT_REQ_SCRIPT));
    mt_intel_free(in);
}

/* ---- the real lists ---------------------------------------------------- */

/* Expected counts per class, computed independently of the loader with
 * grep over each file (in ../shared/corpus/web/lists):
 *   nonblank  grep -c '[^[:space:]]'
 *   comments  grep -cE '^[[:space:]]*[!#[]'
 *   cosmetic  grep -c '##'  (scriptlets: grep -c '##+js(')
 *   exc       grep -c '^@@'
 *   regexes   grep -cE '^(@@)?/.*\/(\$.*)?$'  (PCRE2 takes their lookarounds too)
 *   inert     grep -c '\$csp='
 *   hosts     grep -cE '^0\.0\.0\.0 '
 *   url_rules nonblank - comments - cosmetic - exc - inert - hosts
 * and domains/ips as the loader has always counted them (unchanged by the
 * request rules: compared against the previous build's --intel output). */
static const struct listcount {
    const char *file;
    uint64_t url_rules, exceptions, regexes, inert, cosmetic, scriptlets, comments, domains, ips;
} real_lists[] = {
    {"web/lists/hoshsadiq_nocoin.txt", 306, 8, 5, 3, 0, 0, 25, 191, 7},
    {"web/lists/hoshsadiq_nocoin_2018-05.txt", 325, 9, 3, 0, 0, 0, 29, 215, 1},
    {"web/lists/hoshsadiq_nocoin-ublock.txt", 0, 0, 0, 0, 0, 8, 2, 0, 0},
    {"web/lists/hoshsadiq_hosts.txt", 0, 0, 0, 0, 0, 0, 10, 313, 0},
    {"web/lists/xd4rker_MinerBlock_filters.txt", 737, 0, 0, 0, 0, 0, 5, 700, 8},
    {"web/lists/fhstp_CoinEater_blacklist.txt", 210, 0, 0, 0, 0, 0, 0, 198, 12},
    {"web/lists/keraf_NoCoin_blacklist.txt", 158, 0, 0, 0, 0, 0, 0, 157, 0},
    {"web/lists/ut1/cryptojacking_domains.txt", 0, 0, 0, 0, 0, 0, 0, 11491, 0},
    {"intel/nocoin_adblock.txt", 306, 8, 5, 3, 0, 0, 25, 191, 7},
    {"intel/keraf_nocoin_url_patterns.txt", 158, 0, 0, 0, 0, 0, 0, 157, 0},
    {"intel/nocoin_ublock.txt", 0, 0, 0, 0, 0, 8, 2, 0, 0},
};

static mt_intel *load_real_lists(const char *dir, int check)
{
    mt_intel *in = mt_intel_new();
    for (size_t i = 0; i < sizeof real_lists / sizeof real_lists[0]; i++) {
        const struct listcount *e = &real_lists[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->file);
        if (mt_intel_load_file(in, path, 80, MT_CAT_BROWSER_MINER) != MT_OK)
            fail_msg("%s: %s", path, mt_error_msg());
        const mt_intel_load_stats *s = mt_intel_last_load(in);
        if (!check) continue;
        printf("  %-44s url %3llu exc %2llu re %llu inert %llu cos %llu js %llu com %2llu dom %5llu ip %2llu skip %llu\n",
               e->file, (unsigned long long)s->url_rules, (unsigned long long)s->exceptions,
               (unsigned long long)s->regexes, (unsigned long long)s->inert,
               (unsigned long long)s->cosmetic, (unsigned long long)s->scriptlets,
               (unsigned long long)s->comments, (unsigned long long)s->domains,
               (unsigned long long)s->ips, (unsigned long long)s->skipped);
        if (s->url_rules != e->url_rules || s->exceptions != e->exceptions ||
            s->regexes != e->regexes || s->inert != e->inert || s->cosmetic != e->cosmetic ||
            s->scriptlets != e->scriptlets || s->comments != e->comments ||
            s->domains != e->domains || s->ips != e->ips || s->skipped != 0)
            fail_msg("%s: unexpected counts", e->file);
    }
    return in;
}

static void test_real_lists(void **st)
{
    (void)st;
    const char *dir = corpus_dir();
    if (!dir) { skip(); return; }
    mt_intel *in = load_real_lists(dir, 1);
    printf("  %zu request rules in all\n", mt_intel_request_rule_count(in));
    mt_intel_hit h;
    const char *pg = "example.org";
    /* nocoin: the Coinhive script as a third-party script */
    assert_int_equal(mt_intel_match_request(in, "https://coinhive.com/lib/coinhive.min.js", pg,
                                            MT_REQ_SCRIPT, &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    printf("  coinhive.min.js: %s (%s)\n", h.matched, h.source);
    /* keraf's match patterns: the Coinhive proxy WebSocket */
    mt_intel *k = mt_intel_new();
    char path[1024];
    snprintf(path, sizeof path, "%s/web/lists/keraf_NoCoin_blacklist.txt", dir);
    assert_int_equal(mt_intel_load_file(k, path, 80, MT_CAT_BROWSER_MINER), MT_OK);
    assert_int_equal(mt_intel_match_request(k, "wss://ws005.coinhive.com/proxy", pg, MT_REQ_WEBSOCKET, &h), 1);
    assert_string_equal(h.matched, "wss://*.coinhive.com/proxy*");
    assert_false(blocks(k, "https://ws005.coinhive.com/proxy", pg, MT_REQ_WEBSOCKET));
    mt_intel_free(k);
    /* MinerBlock's any-host patterns, CoinEater's WebSocket patterns */
    assert_true(blocks(in, "https://static.example.net/js/cryptonight.wasm", pg, MT_REQ_OTHER));
    assert_true(blocks(in, "https://cdn.example.net/a/deepMiner.min.js", pg, MT_REQ_SCRIPT));
    assert_true(blocks(in, "ws://a.1q2w3.life/proxy/x", pg, MT_REQ_WEBSOCKET));
    /* a path rule with an option of nocoin */
    assert_true(blocks(in, "https://x.example.net/?proxy=wss://pool.example:8080", pg, MT_REQ_WEBSOCKET));
    /* nocoin's ERE-expressible regex: third-party scripts from cheap TLDs
     * written with a trailing dot */
    assert_int_equal(mt_intel_match_request(in, "https://cdn.miner.xyz./m.js", pg, MT_REQ_SCRIPT, &h), 1);
    assert_true(h.matched[0] == '/');
    /* hosts list and UT1 domain list: whole hosts */
    assert_true(blocks(in, "https://ad-miner.com/x.png", pg, MT_REQ_IMAGE));
    assert_true(blocks(in, "https://www.01crypto.net/", pg, MT_REQ_DOCUMENT));
    /* nocoin's exceptions: WebSockets of services it names */
    assert_false(blocks(in, "wss://quiknode.pro/ws", pg, MT_REQ_WEBSOCKET));
    mt_intel_free(in);

    /* The UT1 category lists load as plain domain lists. */
    static const char *const ut1[] = {"audio-video", "blog", "filehosting", "forums", "press",
                                      "social_networks", "sports", "warez"};
    for (size_t i = 0; i < sizeof ut1 / sizeof ut1[0]; i++) {
        mt_intel *u = mt_intel_new();
        snprintf(path, sizeof path, "%s/web/lists/ut1/%s_domains.txt", dir, ut1[i]);
        assert_int_equal(mt_intel_load_file(u, path, 50, MT_CAT_CRYPTO), MT_OK);
        const mt_intel_load_stats *s = mt_intel_last_load(u);
        assert_true(s->domains + s->ips > 100);
        assert_int_equal(s->url_rules + s->exceptions + s->inert, 0);
        mt_intel_free(u);
    }
}

/* ---- the benign pages -------------------------------------------------- */

typedef struct urlset {
    char **u;
    char **page; /* host of the page each came from (shared strings) */
    int *type;
    size_t n, cap;
} urlset;

static void urlset_add(urlset *s, const char *u, size_t n, char *page, int type)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->u = realloc(s->u, s->cap * sizeof *s->u);
        s->page = realloc(s->page, s->cap * sizeof *s->page);
        s->type = realloc(s->type, s->cap * sizeof *s->type);
    }
    char *c = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) { /* &amp; as in HTML attributes */
        if (strncmp(u + i, "&amp;", 5) == 0) { c[k++] = '&'; i += 4; }
        else c[k++] = u[i];
    }
    c[k] = '\0';
    s->u[s->n] = c;
    s->page[s->n] = page;
    s->type[s->n] = type;
    s->n++;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

/* Every src= and href= attribute value of the pages, made absolute
 * (protocol-relative with https:, relative against the page's canonical
 * URL or a stand-in host), typed by the tag it sits in. */
static size_t page_urls(const char *dir, urlset *out, size_t *pages)
{
    char pdir[1024];
    snprintf(pdir, sizeof pdir, "%s/web/pages", dir);
    DIR *d = opendir(pdir);
    if (!d) return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".html")) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", pdir, de->d_name);
        size_t len;
        char *html = read_all(path, &len);
        if (!html) continue;
        (*pages)++;
        /* the page's host: its canonical link, else a stand-in */
        char *page = malloc(256);
        snprintf(page, 256, "www.%.*s.example", (int)strcspn(de->d_name, "."), de->d_name);
        const char *canon = strstr(html, "rel=\"canonical\"");
        const char *ch = canon ? strstr(canon > html + 300 ? canon - 300 : html, "href=\"") : NULL;
        if (ch && (ch = strstr(ch, "://"))) {
            size_t hl = strcspn(ch + 3, "/\"");
            if (hl && hl < 255) snprintf(page, 256, "%.*s", (int)hl, ch + 3);
        }
        char base[300];
        snprintf(base, sizeof base, "https://%s", page);
        for (const char *p = html; (p = strpbrk(p, "sShH"));) {
            size_t al = !strncasecmp(p, "src=", 4) ? 4 : !strncasecmp(p, "href=", 5) ? 5 : 0;
            if (!al || (p > html && (p[-1] != ' ' && p[-1] != '\n' && p[-1] != '\t'))) { p++; continue; }
            const char *v = p + al;
            char q = *v == '"' || *v == '\'' ? *v++ : ' ';
            size_t vl = q == ' ' ? strcspn(v, " >\t\n") : strcspn(v, q == '"' ? "\"" : "'");
            /* the tag it sits in */
            const char *lt = p;
            while (lt > html && *lt != '<') lt--;
            int type = MT_REQ_OTHER;
            if (!strncasecmp(lt, "<script", 7)) type = MT_REQ_SCRIPT;
            else if (!strncasecmp(lt, "<iframe", 7)) type = MT_REQ_SUBDOCUMENT;
            else if (!strncasecmp(lt, "<img", 4)) type = MT_REQ_IMAGE;
            else if (!strncasecmp(lt, "<a ", 3)) type = MT_REQ_DOCUMENT;
            if (vl && vl < 4000 && strncasecmp(v, "javascript:", 11) && strncasecmp(v, "data:", 5) &&
                strncasecmp(v, "mailto:", 7) && v[0] != '#') {
                char abs[4200];
                if (strstr(v, "://") && strstr(v, "://") < v + vl && (!strncasecmp(v, "http", 4) || !strncasecmp(v, "ws", 2)))
                    snprintf(abs, sizeof abs, "%.*s", (int)vl, v);
                else if (v[0] == '/' && v[1] == '/')
                    snprintf(abs, sizeof abs, "https:%.*s", (int)vl, v);
                else if (v[0] == '/')
                    snprintf(abs, sizeof abs, "%s%.*s", base, (int)vl, v);
                else
                    snprintf(abs, sizeof abs, "%s/%.*s", base, (int)vl, v);
                urlset_add(out, abs, strlen(abs), page, type);
            }
            p = v + vl;
        }
        free(html);
    }
    closedir(d);
    return out->n;
}

static void urlset_free(urlset *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->u[i]);
    /* page strings are shared: free each once */
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || s->page[i] != s->page[i - 1]) {
            int seen = 0;
            for (size_t j = 0; j < i && !seen; j++) seen = s->page[j] == s->page[i];
            if (!seen) free(s->page[i]);
        }
    free(s->u);
    free(s->page);
    free(s->type);
}

static void test_benign_pages(void **st)
{
    (void)st;
    const char *dir = corpus_dir();
    if (!dir) { skip(); return; }
    urlset us = {0};
    size_t pages = 0;
    page_urls(dir, &us, &pages);
    assert_int_equal(pages, 16);
    assert_true(us.n > 1000);
    mt_intel *in = load_real_lists(dir, 0);
    mt_intel *bi = mt_intel_new();
    mt_intel_load_builtin(bi);
    size_t bad = 0;
    for (size_t i = 0; i < us.n; i++) {
        mt_intel_hit h;
        /* as the tag's type and, harder, as a script (not as a WebSocket:
         * nocoin blocks third-party WebSockets to whole hosting domains
         * such as github.io, rightly, and these are links and scripts) */
        int types[] = {us.type[i], MT_REQ_SCRIPT};
        for (size_t t = 0; t < 2; t++) {
            if (mt_intel_match_request(in, us.u[i], us.page[i], types[t], &h)) {
                printf("  blocked: %s on %s by %s (%s)\n", us.u[i], us.page[i], h.matched, h.source);
                bad++;
            }
            if (mt_intel_match_request(bi, us.u[i], us.page[i], types[t], &h) &&
                mt_intel_category_is_mining(h.category)) {
                printf("  builtin: %s by %s\n", us.u[i], h.matched);
                bad++;
            }
        }
    }
    printf("  %zu URLs from %zu benign pages checked against every list: %zu blocked\n", us.n,
           pages, bad);
    assert_int_equal(bad, 0);
    mt_intel_free(bi);
    mt_intel_free(in);
    urlset_free(&us);
}

/* ---- throughput ------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1M requests, every list loaded: the real pages' URLs (cycled) and one in
 * eight a generated miner URL (scripts, Wasm, pool WebSockets on random
 * hosts). Printed for the record; no timing assertion. */
static void test_bench_1m_urls(void **st)
{
    (void)st;
    const char *dir = corpus_dir();
    if (!dir) { skip(); return; }
    urlset us = {0};
    size_t pages = 0;
    page_urls(dir, &us, &pages);
    assert_true(us.n > 0);
    mt_intel *in = load_real_lists(dir, 0);
    mt_intel_load_builtin(in);
    static const char *const miner_fmt[][2] = { /* text before and after a number */
        {"https://coinhive.com/lib/coinhive.min.js?v=", ""},
        {"wss://ws", ".coinhive.com/proxy"},
        {"https://cdn", ".example-site.net/js/cryptonight.wasm"},
        {"https://static", ".blog.example/wp-content/plugins/x/deepMiner.js"},
        {"wss://pool", ".webminer.example:8443/?proxy=wss://xmr.pool.example"},
        {"https://a", ".1q2w3.life/proxy/lib.js"},
        {"https://www.site", ".example/js/analytics.min.js"},
        {"https://crypto-loot.com/lib/crlt.js?x=", ""},
    };
    char buf[512];
    size_t blocked = 0, n = 1000000;
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        const char *u;
        const char *pg = "www.news.example";
        int type = MT_REQ_SCRIPT;
        if (i % 8 == 7) {
            size_t k = (i / 8) % (sizeof miner_fmt / sizeof miner_fmt[0]);
            snprintf(buf, sizeof buf, "%s%u%s", miner_fmt[k][0], (unsigned)(i % 1000), miner_fmt[k][1]);
            u = buf;
            if (k == 1 || k == 4) type = MT_REQ_WEBSOCKET;
        } else {
            size_t k = i % us.n;
            u = us.u[k];
            pg = us.page[k];
            type = us.type[k];
        }
        mt_intel_hit h;
        blocked += (size_t)mt_intel_match_request(in, u, pg, type, &h);
    }
    double dt = now_s() - t0;
    printf("  bench (CPU time): %zu requests (%zu real-page URLs cycled, 1 in 8 generated miner"
           " URLs), %zu request rules + builtin: %.3f s, %.0f URLs/s, %.0f ns/URL; %zu blocked\n",
           n, us.n, mt_intel_request_rule_count(in), dt, (double)n / dt, dt * 1e9 / (double)n,
           blocked);
    assert_true(blocked >= n / 8 - n / 64); /* the miner URLs (the analytics.min.js one is clean) */
    mt_intel_free(in);
    urlset_free(&us);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors_and_separators),
        cmocka_unit_test(test_regex),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_exceptions_and_hosts),
        cmocka_unit_test(test_builtin_paths),
        cmocka_unit_test(test_real_lists),
        cmocka_unit_test(test_benign_pages),
        cmocka_unit_test(test_bench_1m_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
