/* Tests for src/intel: suffix matching, allowlists, strongest hit, IPs and
 * CIDRs, ports, agents, the per-line list loader (hand-written lines and
 * every real list of the shared corpus), spec parsing, the builtin list,
 * and a micro-benchmark at 1M names (printed, not asserted). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "intel/intel_internal.h"
#include "minetrace/intel.h"

static const char *corpus_dir(void)
{
    const char *c = getenv("MT_CORPUS");
    return c && *c ? c : NULL;
}

static char *tmp_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/mt_intel_test_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static void test_categories(void **st)
{
    (void)st;
    assert_string_equal(mt_intel_category_str(MT_CAT_POOL), "pool");
    assert_string_equal(mt_intel_category_str(MT_CAT_BROWSER_MINER), "browser-miner");
    assert_string_equal(mt_intel_category_str(MT_CAT_MINER_C2), "miner-c2");
    assert_string_equal(mt_intel_category_str(MT_CAT_CRYPTO), "crypto");
    assert_string_equal(mt_intel_category_str(MT_CAT_ALLOW), "allow");
    assert_string_equal(mt_intel_category_str((mt_intel_category)99), "unknown");
    assert_int_equal(mt_intel_category_parse("pool"), MT_CAT_POOL);
    assert_int_equal(mt_intel_category_parse("browser-miner"), MT_CAT_BROWSER_MINER);
    assert_int_equal(mt_intel_category_parse("miner-c2"), MT_CAT_MINER_C2);
    assert_int_equal(mt_intel_category_parse("crypto"), MT_CAT_CRYPTO);
    assert_int_equal(mt_intel_category_parse("allow"), MT_CAT_ALLOW);
    assert_int_equal(mt_intel_category_parse("nonsense"), 0);
    assert_int_equal(mt_intel_category_parse(NULL), 0);
}

static void test_suffix_match(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_intel_hit h;
    assert_int_equal(mt_intel_match_domain(in, "minergate.com", &h), 0); /* empty set */
    assert_int_equal(mt_intel_add_domain(in, "MinerGate.com.", 80, MT_CAT_POOL, "t", "fam"), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "*.coinhive.com", 85, MT_CAT_BROWSER_MINER, "t", NULL), MT_OK);
    assert_int_equal(mt_intel_domain_count(in), 2);

    assert_int_equal(mt_intel_match_domain(in, "xmr.pool.minergate.com", &h), 1);
    assert_int_equal(h.weight, 80);
    assert_int_equal(h.category, MT_CAT_POOL);
    assert_string_equal(h.matched, "minergate.com");
    assert_string_equal(h.source, "t");
    assert_string_equal(h.family, "fam");
    assert_int_equal(mt_intel_match_domain(in, "XMR.Pool.MINERGATE.com.", &h), 1);
    assert_int_equal(mt_intel_match_domain(in, "minergate.com", &h), 1);
    assert_int_equal(mt_intel_match_domain(in, "ws001.coinhive.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_null(h.family);
    assert_int_equal(mt_intel_match_domain(in, "coinhive.com", NULL), 1);
    /* Label boundaries: no partial-label matches. */
    assert_int_equal(mt_intel_match_domain(in, "notminergate.com", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, "minergate.com.evil.org", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, "com", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, "", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, ".", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, "...", &h), 0);
    /* Overlong input does not crash and does not match. */
    char big[600];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = '\0';
    assert_int_equal(mt_intel_match_domain(in, big, &h), 0);
    /* Worst case for the per-suffix arrays: a 253-byte name of dots. */
    memset(big, '.', 253);
    big[0] = 'a';
    big[253] = '\0';
    assert_int_equal(mt_intel_match_domain(in, big, &h), 0);
    for (int i = 0; i < 253; i += 2) big[i] = 'a';
    big[252] = 'm';
    assert_int_equal(mt_intel_match_domain(in, big, &h), 0);

    /* Bad arguments are errors with a message. */
    assert_int_equal(mt_intel_add_domain(in, "com", 80, MT_CAT_POOL, "t", NULL), MT_EINVAL);
    assert_int_equal(mt_intel_add_domain(in, "a b.com", 80, MT_CAT_POOL, "t", NULL), MT_EINVAL);
    assert_int_equal(mt_intel_add_domain(in, "x.com", 0, MT_CAT_POOL, "t", NULL), MT_EINVAL);
    assert_int_equal(mt_intel_add_domain(in, "x.com", 101, MT_CAT_POOL, "t", NULL), MT_EINVAL);
    assert_int_equal(mt_intel_add_domain(in, "x.com", 50, (mt_intel_category)0, "t", NULL), MT_EINVAL);
    assert_int_equal(mt_intel_add_domain(in, "1.2.3.4", 50, MT_CAT_POOL, "t", NULL), MT_EINVAL);
    mt_intel_free(in);
}

static void test_strongest_and_allow(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_intel_hit h;
    /* Same name from two sources: the heavier wins whatever the order. */
    mt_intel_add_domain(in, "nanopool.org", 60, MT_CAT_POOL, "weak", NULL);
    mt_intel_add_domain(in, "nanopool.org", 90, MT_CAT_POOL, "strong", NULL);
    mt_intel_add_domain(in, "nanopool.org", 70, MT_CAT_POOL, "middle", NULL);
    assert_int_equal(mt_intel_match_domain(in, "xmr-eu1.nanopool.org", &h), 1);
    assert_int_equal(h.weight, 90);
    assert_string_equal(h.source, "strong");
    /* Parent vs child: the strongest over all suffixes. */
    mt_intel_add_domain(in, "eth-eu1.nanopool.org", 50, MT_CAT_POOL, "child", NULL);
    assert_int_equal(mt_intel_match_domain(in, "eth-eu1.nanopool.org", &h), 1);
    assert_int_equal(h.weight, 90);
    mt_intel_add_domain(in, "zec-eu1.nanopool.org", 95, MT_CAT_POOL, "child", NULL);
    assert_int_equal(mt_intel_match_domain(in, "zec-eu1.nanopool.org", &h), 1);
    assert_int_equal(h.weight, 95);
    assert_string_equal(h.matched, "zec-eu1.nanopool.org");
    /* A mining category outranks CRYPTO even when CRYPTO is heavier. */
    mt_intel_add_domain(in, "2miners.com", 95, MT_CAT_CRYPTO, "exchanges", NULL);
    mt_intel_add_domain(in, "2miners.com", 70, MT_CAT_POOL, "pools", NULL);
    assert_int_equal(mt_intel_match_domain(in, "xmr.2miners.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_POOL);
    assert_int_equal(h.weight, 70);
    mt_intel_add_domain(in, "binance.com", 30, MT_CAT_CRYPTO, "exchanges", NULL);
    assert_int_equal(mt_intel_match_domain(in, "api.binance.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_CRYPTO);

    /* Allow: suppresses the same name and longer names below it... */
    mt_intel_add_domain(in, "ntp.org", 50, MT_CAT_POOL, "bad-list", NULL);
    assert_int_equal(mt_intel_match_domain(in, "1.debian.pool.ntp.org", &h), 1);
    mt_intel_add_domain(in, "pool.ntp.org", 100, MT_CAT_ALLOW, "allow", NULL);
    assert_int_equal(mt_intel_match_domain(in, "pool.ntp.org", &h), 0);
    assert_int_equal(mt_intel_match_domain(in, "1.debian.pool.ntp.org", &h), 0);
    /* ...but not the listed parent itself or siblings. */
    assert_int_equal(mt_intel_match_domain(in, "ntp.org", &h), 1);
    assert_int_equal(mt_intel_match_domain(in, "www.ntp.org", &h), 1);
    /* Allow before block, and block of a name under an allowed parent. */
    mt_intel_add_domain(in, "gus.host", 100, MT_CAT_ALLOW, "allow", NULL);
    mt_intel_add_domain(in, "google.gus.host", 80, MT_CAT_POOL, "bl", NULL);
    assert_int_equal(mt_intel_match_domain(in, "google.gus.host", &h), 0);
    mt_intel_free(in);
}

static void test_ip_cidr(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_addr a, p;
    mt_intel_hit h;
    assert_int_equal(mt_addr_parse("203.0.113.7", &a), MT_OK);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    assert_int_equal(mt_intel_add_cidr(in, &a, 32, 70, MT_CAT_POOL, "ips"), MT_OK);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    assert_int_equal(h.weight, 70);
    assert_string_equal(h.matched, "203.0.113.7");
    assert_string_equal(h.source, "ips");
    mt_addr_parse("203.0.113.8", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    /* CIDR, host bits in the prefix are ignored. */
    mt_addr_parse("198.51.100.77", &p);
    assert_int_equal(mt_intel_add_cidr(in, &p, 24, 60, MT_CAT_MINER_C2, "nets"), MT_OK);
    mt_addr_parse("198.51.100.1", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    assert_int_equal(h.category, MT_CAT_MINER_C2);
    assert_string_equal(h.matched, "198.51.100.0/24");
    mt_addr_parse("198.51.101.1", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    /* Allow one host inside the listed net. */
    mt_addr_parse("198.51.100.9", &a);
    assert_int_equal(mt_intel_add_cidr(in, &a, 32, 100, MT_CAT_ALLOW, "allow"), MT_OK);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    mt_addr_parse("198.51.100.10", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    /* IPv6 exact and prefix. */
    mt_addr_parse("2001:db8::1", &a);
    assert_int_equal(mt_intel_add_cidr(in, &a, 128, 75, MT_CAT_POOL, "v6"), MT_OK);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    mt_addr_parse("2001:db8:aa00::", &p);
    assert_int_equal(mt_intel_add_cidr(in, &p, 40, 55, MT_CAT_POOL, "v6"), MT_OK);
    mt_addr_parse("2001:db8:aa12::5", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    assert_int_equal(h.weight, 55);
    mt_addr_parse("2001:db8:ab00::5", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    /* v4 never matches v6 entries and vice versa. */
    mt_addr_parse("32.1.13.184", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    /* Bad arguments. */
    assert_int_equal(mt_intel_add_cidr(in, &p, 129, 50, MT_CAT_POOL, "x"), MT_EINVAL);
    mt_addr_parse("1.2.3.4", &p);
    assert_int_equal(mt_intel_add_cidr(in, &p, 33, 50, MT_CAT_POOL, "x"), MT_EINVAL);
    mt_addr z;
    memset(&z, 0, sizeof z);
    assert_int_equal(mt_intel_add_cidr(in, &z, 8, 50, MT_CAT_POOL, "x"), MT_EINVAL);
    assert_int_equal(mt_intel_match_ip(in, &z, &h), 0);
    /* Many IPs force table growth. */
    for (int i = 0; i < 5000; i++) {
        char s[32];
        snprintf(s, sizeof s, "10.%d.%d.1", i / 256, i % 256);
        mt_addr_parse(s, &a);
        assert_int_equal(mt_intel_add_cidr(in, &a, 32, 40, MT_CAT_POOL, "many"), MT_OK);
    }
    mt_addr_parse("10.19.135.1", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    mt_addr_parse("10.19.135.2", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    mt_intel_free(in);
}

static void test_builtin(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    assert_true(mt_intel_domain_count(in) >= 150);
    mt_intel_hit h;
    static const char *const pools[] = {
        "pool.supportxmr.com", "gulf.moneroocean.stream", "xmr-eu1.nanopool.org",
        "xmr.2miners.com", "eth.f2pool.com", "de.monero.herominers.com",
        "pool.hashvault.pro", "pool.minexmr.com", "mine.c3pool.com", "xmrpool.eu",
        "xmr.pool.minergate.com", "eu1.ethermine.org", "eth-us-east.flexpool.io",
        "randomxmonero.auto.nicehash.com", "stratum-btm.antpool.com", "btc.viabtc.com",
        "eu.stratum.slushpool.com", "stratum.braiins.com", "mint.bitminter.com",
        "litecoinpool.org", "eu1-zcash.flypool.org", "xmr.suprnova.cc",
        "eth-eu.dwarfpool.com", "us-east.ethash-hub.miningpoolhub.com",
        "rx.unmineable.com", "donate.v2.xmrig.com", "donate.ssl.xmrig.com",
        "xmr.kryptex.network", "scrypt.mine.zpool.ca",
    };
    for (size_t i = 0; i < sizeof pools / sizeof pools[0]; i++) {
        if (!mt_intel_match_domain(in, pools[i], &h)) fail_msg("builtin misses %s", pools[i]);
        assert_int_equal(h.category, MT_CAT_POOL);
        assert_true(h.weight >= 60);
        assert_string_equal(h.source, "builtin");
    }
    static const char *const web[] = {
        "coinhive.com", "ws014.coinhive.com", "coin-hive.com", "authedmine.com",
        "cnhv.co", "ws3.crypto-loot.com", "www.coinimp.com", "webmine.cz",
        "load.jsecoin.com", "minero.cc",
    };
    for (size_t i = 0; i < sizeof web / sizeof web[0]; i++) {
        if (!mt_intel_match_domain(in, web[i], &h)) fail_msg("builtin misses %s", web[i]);
        assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
        assert_string_equal(h.family, "browser-miner");
    }
    assert_int_equal(mt_intel_match_domain(in, "t.zer2.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_MINER_C2);
    assert_string_equal(h.family, "lemonduck");
    assert_int_equal(mt_intel_match_domain(in, "pool.supportxmr.com", &h), 1);
    assert_string_equal(h.family, "monero-miner");
    assert_int_equal(mt_intel_match_domain(in, "eu1.ethermine.org", &h), 1);
    assert_string_equal(h.family, "ethereum-miner");
    /* False-positive bait from real traffic. */
    static const char *const clean[] = {
        "1.debian.pool.ntp.org", "pool.ntp.org", "time.windows.com", "www.google.com",
        "github.com", "objects.githubusercontent.com", "www.binance.com",
        "cdn.jsdelivr.net", "pool.example.com", "stratum.example.org", "btc.com",
        "www.mining.com", "getmonero.org", "bitcoin.org", "ethereum.org",
    };
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++)
        if (mt_intel_match_domain(in, clean[i], &h))
            fail_msg("builtin matches benign %s (%s)", clean[i], h.matched);

    /* Ports: pool conventions weigh, common services do not. */
    assert_true(mt_intel_port_weight(in, 3333) > 0);
    assert_true(mt_intel_port_weight(in, 14444) > 0);
    assert_true(mt_intel_port_weight(in, 45700) > 0);
    assert_true(mt_intel_port_weight(in, 10128) > 0);
    assert_true(mt_intel_port_weight(in, 34254) > 0);
    assert_int_equal(mt_intel_port_weight(in, 443), 0);
    assert_int_equal(mt_intel_port_weight(in, 80), 0);
    assert_int_equal(mt_intel_port_weight(in, 25), 0);
    assert_int_equal(mt_intel_port_weight(in, 8080), 0);
    assert_int_equal(mt_intel_port_weight(in, 8333), 0);
    assert_int_equal(mt_intel_port_weight(in, 53), 0);
    mt_intel_free(in);
}

static void test_agents(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    const char *name = NULL, *fam = NULL;
    assert_int_equal(mt_intel_match_agent(in, "XMRig/6.21.0", &name, &fam), 0); /* no builtin */
    mt_intel_load_builtin(in);
    static const struct { const char *ua, *name, *fam; } cases[] = {
        {"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0", "XMRig", "monero-miner"},
        {"xmrig-proxy/6.21.0 (Linux x86_64)", "XMRig-Proxy", "monero-miner"},
        {"XMRigCC/3.3.3", "XMRigCC", "monero-miner"},
        {"xmr-stak-cpu/1.3.0-1.5.0/xmr/cpu", "xmr-stak-cpu", "monero-miner"},
        {"xmr-stak/2.10.8/c5fa0f6/master/lin/nvidia-amd-cpu/monero/20", "xmr-stak", "monero-miner"},
        {"xmr/1.0", "xmr", "monero-miner"},
        {"cpuminer/2.5.1", "cpuminer", "bitcoin-miner"},
        {"cgminer/4.10.0", "cgminer", "bitcoin-miner"},
        {"bfgminer/5.5.0", "bfgminer", "bitcoin-miner"},
        {"ccminer/2.3.1", "ccminer", NULL},
        {"ethminer-0.19.0", "ethminer", "ethereum-miner"},
        {"Claymore ETH miner", "Claymore", "ethereum-miner"},
        {"EWBF Zcash CUDA miner 0.3.4b", "EWBF", "zcash-miner"},
        {"lolMiner 1.76", "lolMiner", "ethereum-miner"},
        {"T-Rex/0.26.8", "T-Rex", "ethereum-miner"},
        {"NBMiner/42.3", "NBMiner", "ethereum-miner"},
        {"PhoenixMiner/6.2c", "PhoenixMiner", "ethereum-miner"},
        {"TeamRedMiner/0.10.21", "TeamRedMiner", "ethereum-miner"},
        {"SRBMiner-MULTI/2.4.7", "SRBMiner", "monero-miner"},
        {"nanominer/3.8.5", "nanominer", "ethereum-miner"},
        {"GMiner/3.44", "GMiner", "ethereum-miner"},
        {"NiceHash/Excavator/1.7.0", "Excavator", NULL},
        {"rhminer/1.5.3", "rhminer", NULL},
        {"poclbm/20120920", "poclbm", "bitcoin-miner"},
        {"deepMiner", "deepMiner", "browser-miner"},
        {"Lemon-Duck-ABCD-EFGH", "Lemon-Duck", "lemonduck"},
        {"libredtail-http", "RedTail", "redtail"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        name = fam = NULL;
        if (!mt_intel_match_agent(in, cases[i].ua, &name, &fam))
            fail_msg("agent not recognised: %s", cases[i].ua);
        assert_string_equal(name, cases[i].name);
        if (cases[i].fam) assert_string_equal(fam, cases[i].fam);
        else assert_null(fam);
    }
    static const char *const benign[] = {
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36"),
        "curl/8.5.0", "Wget/1.21.3", "python-requests/2.31.0", "Go-http-client/1.1",
        "Microsoft-CryptoAPI/10.0", "Debian APT-HTTP/1.3 (2.6.1)", "okhttp/4.9.2", "",
        "Dalvik/2.1.0 (Linux; U; Android 11)", "git/2.39.2", "xmrnews reader",
    };
    for (size_t i = 0; i < sizeof benign / sizeof benign[0]; i++)
        if (mt_intel_match_agent(in, benign[i], &name, &fam))
            fail_msg("benign agent matched: '%s' as %s", benign[i], name);
    assert_int_equal(mt_intel_match_agent(in, NULL, &name, &fam), 0);
    mt_intel_free(in);
}

static void test_loader_formats(void **st)
{
    (void)st;
    const char *text =
        "\xef\xbb\xbf[Adblock Plus 2.0]\r\n"
        "! comment\n"
        "# comment\n"
        "\n"
        "   \n"
        "plain.example-pool.com\r\n"
        "UPPER.Example-Pool.NET.\n"
        "*.wild.example.org\n"
        ".dot.example.org\n"
        "0.0.0.0 hosts1.example.com\n"
        "127.0.0.1\thosts2.example.com hosts3.example.com # tail\n"
        "0.0.0.0 localhost\n"
        "::1 ip6-localhost\n"
        "||abp1.example.com^\n"
        "||abp2.example.com^$third-party\n"
        "||abp3.example.com$third-party\n"
        "||192.0.2.10^$third-party\n"
        "||abp.example.com/miner.js\n"        /* host + path: a URL rule only */
        "||abp-*.example.com^\n"              /* wildcard: a URL rule only */
        "||abp.example.com^*?proxy=\n"        /* pattern after anchor: a URL rule only */
        "@@||good.example.com^$websocket\n"   /* exception */
        "/coinhive.min.js\n"                  /* path-only: a URL rule */
        "-monero-miner-\n"                    /* path-only: a URL rule */
        "example.com##.ad\n"                  /* cosmetic: counted, skipped */
        "$websocket,domain=a.com|b.com\n"     /* option-only: a URL rule */
        "*://chrome1.example.com/lib*\n"
        "wss://*.chrome2.example.com/proxy*\n"
        "ws://chrome3.example.com:9333/proxy/*\n"
        "*://*/*plugins/ajcryptominer/assets/*\n" /* no host: a URL rule only */
        "198.51.100.23\n"
        "198.51.100.0/25\n"
        "2001:db8:1::/48\n"
        "2001:db8::99\n"
        "0.0.0.0\n"                           /* null address: skipped */
        "tsv1.example.com\tsid:1\tdns.query\n"
        ".tsv2.example.com\tsid:2\tdns.query\n"
        "3333\n"                              /* a port: skipped */
        "not a domain line\n"                 /* first token 'not': skipped */
        "bad_char$.example.com\n"             /* an Adblock substring rule */
        "1.2.3\n"                             /* dotted number: skipped */
        "server.com:1234\n";                  /* skipped */
    char *path = tmp_file(text);
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_file(in, path, 77, MT_CAT_POOL), MT_OK);
    const mt_intel_load_stats *s = mt_intel_last_load(in);
    assert_int_equal(s->domains, 15);
    assert_int_equal(s->ips, 3);
    assert_int_equal(s->cidrs, 2);
    assert_int_equal(s->skipped, 7);
    /* the 7 "||" rules, 2 path rules, 4 URL patterns, "bad_char$...",
     * "$websocket,domain=..." */
    assert_int_equal(s->url_rules, 15);
    assert_int_equal(s->exceptions, 1);
    assert_int_equal(s->inert, 0);
    assert_int_equal(s->cosmetic, 1);
    assert_int_equal(s->comments, 3);
    assert_int_equal(mt_intel_request_rule_count(in), 16);
    static const char *const want[] = {
        "plain.example-pool.com", "upper.example-pool.net", "x.wild.example.org",
        "dot.example.org", "hosts1.example.com", "hosts2.example.com", "hosts3.example.com",
        "abp1.example.com", "abp2.example.com", "abp3.example.com", "chrome1.example.com",
        "a.chrome2.example.com", "chrome3.example.com", "tsv1.example.com", "a.tsv2.example.com",
    };
    mt_intel_hit h;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!mt_intel_match_domain(in, want[i], &h)) fail_msg("loader missed %s", want[i]);
        assert_int_equal(h.weight, 77);
        assert_string_equal(h.source, strrchr(path, '/') + 1);
    }
    static const char *const not_want[] = {
        "localhost", "good.example.com", "abp.example.com", "example.com",
        "ip6-localhost", "tsv2.example.com.evil",
    };
    for (size_t i = 0; i < sizeof not_want / sizeof not_want[0]; i++)
        if (mt_intel_match_domain(in, not_want[i], &h)) fail_msg("loader added %s", not_want[i]);
    mt_addr a;
    mt_addr_parse("192.0.2.10", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    mt_addr_parse("198.51.100.100", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    mt_addr_parse("198.51.100.200", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    mt_addr_parse("2001:db8:1:ff::1", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 1);
    mt_addr_parse("0.0.0.0", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    mt_addr_parse("127.0.0.1", &a);
    assert_int_equal(mt_intel_match_ip(in, &a, &h), 0);
    unlink(path);
    mt_intel_free(in);
}

static void test_spec(void **st)
{
    (void)st;
    char *path = tmp_file("spec.example.com\n");
    char spec[256];
    mt_intel_hit h;
    mt_intel *in = mt_intel_new();
    /* FILE alone: pool, default weight. */
    assert_int_equal(mt_intel_load_spec(in, path), MT_OK);
    assert_int_equal(mt_intel_match_domain(in, "spec.example.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_POOL);
    assert_int_equal(h.weight, 80);
    mt_intel_free(in);

    in = mt_intel_new();
    snprintf(spec, sizeof spec, "%s:55", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_OK);
    assert_int_equal(mt_intel_match_domain(in, "spec.example.com", &h), 1);
    assert_int_equal(h.weight, 55);
    assert_int_equal(h.category, MT_CAT_POOL);
    mt_intel_free(in);

    in = mt_intel_new();
    snprintf(spec, sizeof spec, "%s:35:crypto", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_OK);
    assert_int_equal(mt_intel_match_domain(in, "spec.example.com", &h), 1);
    assert_int_equal(h.weight, 35);
    assert_int_equal(h.category, MT_CAT_CRYPTO);
    mt_intel_free(in);

    in = mt_intel_new();
    snprintf(spec, sizeof spec, "%s:browser-miner", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_OK);
    assert_int_equal(mt_intel_match_domain(in, "spec.example.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_int_equal(h.weight, 80);
    /* An allow list loaded after the block list silences it. */
    snprintf(spec, sizeof spec, "%s:allow", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_OK);
    assert_int_equal(mt_intel_match_domain(in, "spec.example.com", &h), 0);
    mt_intel_free(in);

    in = mt_intel_new();
    snprintf(spec, sizeof spec, "%s:0", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_EINVAL);
    snprintf(spec, sizeof spec, "%s:101:pool", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_EINVAL);
    snprintf(spec, sizeof spec, "%s:50:miners", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "miners"));
    assert_int_equal(mt_intel_load_spec(in, ""), MT_EINVAL);
    assert_int_equal(mt_intel_load_spec(in, "/nonexistent/list.txt:50:pool"), MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "/nonexistent/list.txt"));
    assert_int_equal(mt_intel_load_file(in, "/nonexistent/list.txt", 50, MT_CAT_POOL), MT_EIO);
    assert_int_equal(mt_intel_load_file(in, "/", 50, MT_CAT_POOL), MT_EIO); /* a directory */
    assert_int_equal(mt_intel_load_file(in, path, 50, (mt_intel_category)9), MT_EINVAL);
    assert_int_equal(mt_intel_domain_count(in), 0);
    mt_intel_free(in);
    unlink(path);
}

/* Every real list of the corpus loads with counts in the range read off
 * the file (lines minus headers, duplicates and the few junk lines). */
static void test_corpus_lists(void **st)
{
    (void)st;
    const char *dir = corpus_dir();
    if (!dir) { skip(); return; }
    static const struct {
        const char *file, *spec_tail;
        uint64_t dmin, dmax, imin, imax, smax;
    } lists[] = {
        {"anudeep_coinminer_hosts.txt", "", 5900, 5950, 0, 0, 5},
        {"blp_crypto_domains.txt", ":30:crypto", 1260, 1285, 0, 0, 5},
        {"blp_crypto_hosts.txt", ":30:crypto", 1260, 1280, 0, 0, 5},
        {"coinblocker_MiningServerIPList.txt", ":40", 0, 0, 1020, 1030, 5},
        {"coinblocker_list.txt", "", 5820, 5837, 0, 0, 10},
        {"coinblocker_list_browser.txt", ":browser-miner", 1690, 1705, 0, 0, 10},
        {"coinblocker_list_browser_UBO.txt", ":browser-miner", 725, 740, 0, 0, 10},
        {"coinblocker_list_optional.txt", ":50", 280, 297, 0, 0, 10},
        {"coinblocker_white_list.txt", ":allow", 14, 15, 0, 0, 0},
        {"coinblocker_white_list_IPs.txt", ":allow", 0, 0, 14, 15, 0},
        {"et_open_coinmining_rule_domains.tsv", ":90", 12, 12, 0, 0, 0},
        {"falco_miner_domains.txt", "", 60, 63, 0, 0, 0},
        {"falco_miner_ports.txt", "", 0, 0, 0, 0, 29},
        {"keraf_nocoin_url_patterns.txt", ":browser-miner", 150, 157, 0, 0, 5},
        {"mining_ports.tsv", "", 0, 0, 0, 0, 44},
        {"nocoin_adblock.txt", ":browser-miner", 180, 200, 5, 10, 130},
        {"nocoin_hosts.txt", ":browser-miner", 305, 315, 0, 0, 2},
        {"nocoin_ublock.txt", ":browser-miner", 0, 0, 0, 0, 11},
        {"sigma_mining_pool_domains.txt", "", 365, 369, 0, 0, 0},
        {"ut1_cryptojacking_domains.txt", ":60", 11400, 11491, 0, 0, 20},
    };
    mt_intel *all = mt_intel_new();
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        char spec[1024];
        snprintf(spec, sizeof spec, "%s/intel/%s%s", dir, lists[i].file, lists[i].spec_tail);
        int rc = mt_intel_load_spec(all, spec);
        if (rc != MT_OK) fail_msg("%s: %s", spec, mt_error_msg());
        const mt_intel_load_stats *s = mt_intel_last_load(all);
        printf("  %-40s domains %5llu ips %4llu cidrs %llu skipped %3llu\n", lists[i].file,
               (unsigned long long)s->domains, (unsigned long long)s->ips,
               (unsigned long long)s->cidrs, (unsigned long long)s->skipped);
        if (s->domains < lists[i].dmin || s->domains > lists[i].dmax ||
            s->ips + s->cidrs < lists[i].imin || s->ips + s->cidrs > lists[i].imax ||
            s->skipped > lists[i].smax)
            fail_msg("%s: unexpected counts", lists[i].file);
    }
    printf("  union: %zu distinct names\n", mt_intel_domain_count(all));
    assert_true(mt_intel_domain_count(all) > 15000);

    mt_intel_hit h;
    /* sigma: pool hosts */
    assert_int_equal(mt_intel_match_domain(all, "bcn.pool.minergate.com", &h), 1);
    assert_int_equal(mt_intel_match_domain(all, "auto.c3pool.org", &h), 1);
    assert_int_equal(h.category, MT_CAT_POOL);
    /* ET: leading-dot suffix entry and its weight */
    assert_int_equal(mt_intel_match_domain(all, "de.monero.herominers.com", &h), 1);
    assert_int_equal(h.weight, 90);
    /* nocoin adblock: domain and IP rules */
    assert_int_equal(mt_intel_match_domain(all, "besocial.online", &h), 1);
    assert_int_equal(mt_intel_match_domain(all, "x.mutuza.win", &h), 1);
    mt_addr a;
    mt_addr_parse("23.83.114.131", &a);
    assert_int_equal(mt_intel_match_ip(all, &a, &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    /* keraf URL patterns: the host of the coinhive proxy pattern */
    assert_int_equal(mt_intel_match_domain(all, "ws001.coinhive.com", &h), 1);
    /* coinblocker mining server IPs */
    mt_addr_parse("1.31.173.33", &a);
    assert_int_equal(mt_intel_match_ip(all, &a, &h), 1);
    mt_addr_parse("103.1.221.39", &a);
    assert_int_equal(mt_intel_match_ip(all, &a, &h), 1);
    /* coinblocker allowlists win */
    assert_int_equal(mt_intel_match_domain(all, "img.pr0gramm.com", &h), 0);
    mt_addr_parse("104.24.108.138", &a);
    assert_int_equal(mt_intel_match_ip(all, &a, &h), 0);
    /* blp: exchanges are crypto, and a pool listed elsewhere stays a pool */
    assert_int_equal(mt_intel_match_domain(all, "www.kraken.com", &h), 1);
    assert_int_equal(h.category, MT_CAT_CRYPTO);
    assert_int_equal(mt_intel_match_domain(all, "2miners.com", &h), 1);
    assert_true(h.category != MT_CAT_CRYPTO);
    /* and NTP stays clean even with every list loaded */
    assert_int_equal(mt_intel_match_domain(all, "1.debian.pool.ntp.org", &h), 0);
    mt_intel_free(all);
}

/* Micro-benchmark: 1M synthetic names, build time and ns per lookup with
 * ~10% hits. Printed for the record; no timing assertion. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- verdicts ---------------------------------------------------------- */

static void test_verdicts(void **st)
{
    (void)st;
    assert_true(mt_intel_category_is_mining(MT_CAT_POOL));
    assert_true(mt_intel_category_is_mining(MT_CAT_BROWSER_MINER));
    assert_true(mt_intel_category_is_mining(MT_CAT_MINER_C2));
    assert_false(mt_intel_category_is_mining(MT_CAT_CRYPTO));
    assert_false(mt_intel_category_is_mining(MT_CAT_ALLOW));
    assert_false(mt_intel_category_is_mining(0));
    assert_string_equal(mt_intel_category_family(MT_CAT_POOL), "coin-miner");
    assert_string_equal(mt_intel_category_family(MT_CAT_BROWSER_MINER), "browser-miner");
    assert_string_equal(mt_intel_category_family(MT_CAT_MINER_C2), "miner-malware");
    assert_string_equal(mt_intel_category_family(MT_CAT_CRYPTO), "coin-miner");
    assert_string_equal(mt_intel_category_noun(MT_CAT_POOL), "pool");
    assert_string_equal(mt_intel_category_noun(MT_CAT_BROWSER_MINER), "browser-miner");
    assert_string_equal(mt_intel_category_noun(MT_CAT_MINER_C2), "miner C2");
    assert_string_equal(mt_intel_category_noun(MT_CAT_CRYPTO), "crypto");
    assert_string_equal(mt_intel_category_noun((mt_intel_category)0), "pool");

    mt_intel_hit pool40 = {40, MT_CAT_POOL, NULL, NULL, NULL};
    mt_intel_hit pool80 = {80, MT_CAT_POOL, NULL, NULL, NULL};
    mt_intel_hit crypto99 = {99, MT_CAT_CRYPTO, NULL, NULL, NULL};
    assert_true(mt_intel_hit_stronger(&pool80, &pool40));
    assert_false(mt_intel_hit_stronger(&pool40, &pool80));
    assert_false(mt_intel_hit_stronger(&pool80, &pool80)); /* a tie keeps the first */
    /* "this is a pool" outranks a heavier "crypto" */
    assert_true(mt_intel_hit_stronger(&pool40, &crypto99));
    assert_false(mt_intel_hit_stronger(&crypto99, &pool40));
}

/* ---- ports ------------------------------------------------------------- */

static int port_in(uint16_t p, const uint16_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == p) return 1;
    return 0;
}

static void test_port_table(void **st)
{
    (void)st;
    /* The table is sorted and unique (binary search), and a weight is
     * exactly what makes a pool port. */
    for (size_t i = 0; i < mt_intel_builtin_ports_n; i++) {
        const mt_intel_builtin_port *p = &mt_intel_builtin_ports[i];
        if (i) assert_true(mt_intel_builtin_ports[i - 1].port < p->port);
        assert_true(p->roles != 0);
        assert_int_equal(p->weight > 0, (p->roles & MT_PORT_POOL) != 0);
        assert_int_equal(mt_intel_port_roles(p->port), p->roles);
    }
    assert_int_equal(mt_intel_port_roles(3333), MT_PORT_POOL);
    assert_int_equal(mt_intel_port_roles(3306), MT_PORT_SERVICE);
    assert_int_equal(mt_intel_port_roles(8888), MT_PORT_POOL | MT_PORT_SERVICE);
    assert_int_equal(mt_intel_port_roles(20580), MT_PORT_POOL);
    assert_int_equal(mt_intel_port_roles(443), 0);
    assert_int_equal(mt_intel_port_roles(0), 0);
    assert_int_equal(mt_intel_port_roles(1), 0);
    assert_int_equal(mt_intel_port_roles(65535), 0);
    assert_int_equal(mt_intel_port_roles(51234), 0);

    /* Server guess: below 1024, service ports, and the set's pool ports. */
    mt_intel *bare = mt_intel_new();
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    assert_true(mt_intel_port_is_server(NULL, 80));
    assert_true(mt_intel_port_is_server(NULL, 3306));
    assert_false(mt_intel_port_is_server(NULL, 3333));
    assert_true(mt_intel_port_is_server(bare, 3306));
    assert_false(mt_intel_port_is_server(bare, 3333)); /* pool weights come with the lists */
    assert_true(mt_intel_port_is_server(in, 3333));
    assert_true(mt_intel_port_is_server(in, 14444));
    assert_true(mt_intel_port_is_server(in, 9999));
    assert_false(mt_intel_port_is_server(in, 51234));
    assert_false(mt_intel_port_is_server(in, 1024));
    assert_int_equal(mt_intel_port_weight(bare, 3333), 0);
    assert_int_equal(mt_intel_port_weight(in, 3306), 0);
    mt_intel_free(bare);
    mt_intel_free(in);
}

/* Every port the references name is a pool port of ours or one we leave
 * out on purpose: SMTP, web, proxies, Bitcoin P2P, Tor (too common to
 * weigh), and Falco's generic 8000/8001, the historic 8082 and p2pool's
 * 9332 (nothing but a list entry says they are pools). A new reference
 * port fails here until it is decided. */
static void test_port_references(void **st)
{
    (void)st;
    const char *dir = corpus_dir();
    if (!dir) { skip(); return; }
    static const uint16_t left_out[] = {25, 443, 8080, 8118, 8333, 9050, 8000, 8001, 8082, 9332};
    static const char *const files[] = {"falco_miner_ports.txt", "mining_ports.tsv"};
    for (size_t f = 0; f < 2; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/intel/%s", dir, files[f]);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        char line[2048];
        unsigned n = 0;
        while (fgets(line, sizeof line, fp)) {
            if (line[0] < '0' || line[0] > '9') continue;
            long p = strtol(line, NULL, 10);
            assert_true(p > 0 && p < 65536);
            n++;
            int pool = (mt_intel_port_roles((uint16_t)p) & MT_PORT_POOL) != 0;
            int out = port_in((uint16_t)p, left_out, sizeof left_out / sizeof left_out[0]);
            if (pool == out) fail_msg("%s: port %ld is %s", files[f], p,
                                      pool ? "a pool port and left out" : "undecided");
        }
        fclose(fp);
        assert_true(n >= 29);
    }
}

/* ---- URL path rules ---------------------------------------------------- */

/* Reference matcher: '*'-glob anywhere in s, by plain recursion. */
static int ref_glob_at(const char *s, const char *p)
{
    if (!*p) return 1;
    if (*p == '*') {
        for (const char *t = s;; t++) {
            if (ref_glob_at(t, p + 1)) return 1;
            if (!*t) return 0;
        }
    }
    return *s == *p && ref_glob_at(s + 1, p + 1);
}

static int ref_glob(const char *s, const char *p)
{
    for (const char *t = s;; t++) {
        if (ref_glob_at(t, p)) return 1;
        if (!*t) return 0;
    }
}

static void test_url_rules(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_intel_hit h;
    assert_int_equal(mt_intel_match_path(in, "/coinhive.min.js", &h), 0); /* none loaded */
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    assert_int_equal(mt_intel_url_rule_count(in),
                     mt_intel_builtin_url_scripts_n + mt_intel_builtin_url_hints_n);

    assert_int_equal(mt_intel_match_path(in, "/lib/CoinHive.min.js?v=2", &h), 1);
    assert_string_equal(h.matched, "/coinhive.min.js");
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_int_equal(h.weight, 75);
    assert_string_equal(h.source, "builtin");
    assert_null(h.family);
    /* Adblock's trailing '*' is implicit: the rule text is kept without it */
    assert_int_equal(mt_intel_match_path(in, "/js/web_miner/w.js", &h), 1);
    assert_string_equal(h.matched, "/web_miner/");
    /* wildcards inside a rule */
    assert_int_equal(mt_intel_match_path(in, "/jsecoin.com/?ref=1", &h), 1);
    assert_string_equal(h.matched, "/jsecoin.*/?");
    assert_int_equal(mt_intel_match_path(in, "/?proxy=wss://x.example/p", &h), 1);
    assert_string_equal(h.matched, "?proxy=wss://");
    assert_int_equal(mt_intel_match_path(in, "/a?b=1&x.spacepools.org", &h), 1);
    assert_string_equal(h.matched, "?*.spacepools.");
    /* a generic name is only a hint */
    assert_int_equal(mt_intel_match_path(in, "/static/miner.js", &h), 1);
    assert_string_equal(h.matched, "/miner.js");
    assert_int_equal(h.category, MT_CAT_CRYPTO);
    /* a script rule beats a hint wherever it stands */
    assert_int_equal(mt_intel_match_path(in, "/miner.js?u=/xmr-monero.js", &h), 1);
    assert_string_equal(h.matched, "/xmr-monero.js");
    /* no match */
    static const char *const clean[] = {
        "/", "/index.html", "/api/v1/getwork", "/coinhive", "/minerjs", "/static/js/main.js",
        "/wp-content/themes/mine/style.css", "/c.was", "",
    };
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++)
        if (mt_intel_match_path(in, clean[i], &h))
            fail_msg("path rule %s matched %s", h.matched, clean[i]);
    assert_int_equal(mt_intel_match_path(in, NULL, &h), 0);
    assert_int_equal(mt_intel_match_path(NULL, "/x", &h), 0);

    /* The prefilter never changes the answer: every rule's own text (with
     * the wildcards filled in), embedded in a path, against a brute-force
     * scan of all rules in load order. */
    const char *const *lists[2] = {mt_intel_builtin_url_scripts, mt_intel_builtin_url_hints};
    const size_t ns[2] = {mt_intel_builtin_url_scripts_n, mt_intel_builtin_url_hints_n};
    const mt_intel_urules *u = in->urules;
    size_t tried = 0;
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; i < ns[l]; i++) {
            char path[600], *o = path;
            o += sprintf(o, "/x/");
            for (const char *p = lists[l][i]; *p; p++) *o++ = *p == '*' ? 'q' : (char)toupper(*p);
            sprintf(o, "&z=1");
            const mt_intel_urule *best = NULL;
            char low[600];
            size_t k = 0;
            for (; path[k]; k++) low[k] = (char)tolower((unsigned char)path[k]);
            low[k] = '\0';
            for (size_t r = 0; r < u->n; r++) {
                if (!ref_glob(low, u->r[r].pat)) continue;
                int mb = best && mt_intel_category_is_mining(best->cat);
                int mr = mt_intel_category_is_mining(u->r[r].cat);
                if (!best || (mr && !mb) || (mr == mb && u->r[r].weight > best->weight))
                    best = &u->r[r];
            }
            assert_non_null(best);
            assert_int_equal(mt_intel_match_path(in, path, &h), 1);
            if (strcmp(h.matched, best->pat) != 0)
                fail_msg("%s: prefilter gave %s, brute force %s", path, h.matched, best->pat);
            tried++;
        }
    }
    assert_int_equal(tried, u->n);

    /* Rule syntax */
    assert_int_equal(mt_intel_add_url_rule(in, "||coinhive.com^", 80, MT_CAT_BROWSER_MINER, "t"),
                     MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "@@/miner.js", 80, MT_CAT_BROWSER_MINER, "t"),
                     MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "/coin.*hive/", 80, MT_CAT_BROWSER_MINER, "t"),
                     MT_EINVAL); /* a regex */
    assert_int_equal(mt_intel_add_url_rule(in, "|https://a.example/", 80, MT_CAT_POOL, "t"),
                     MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "/a^b", 80, MT_CAT_POOL, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "example.com##.ad", 80, MT_CAT_POOL, "t"),
                     MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "***", 80, MT_CAT_POOL, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "/x.js", 80, MT_CAT_ALLOW, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_url_rule(in, "/x.js", 0, MT_CAT_POOL, "t"), MT_EINVAL);
    char longrun[100];
    memset(longrun, 'a', 80);
    longrun[80] = '\0';
    assert_int_equal(mt_intel_add_url_rule(in, longrun, 80, MT_CAT_POOL, "t"), MT_EINVAL);
    size_t before = mt_intel_url_rule_count(in);
    assert_int_equal(mt_intel_add_url_rule(in, "*/Evil-Miner.JS$script,third-party", 90,
                                           MT_CAT_MINER_C2, "t"), MT_OK);
    assert_int_equal(mt_intel_url_rule_count(in), before + 1);
    assert_int_equal(mt_intel_match_path(in, "/a/evil-miner.js", &h), 1);
    assert_string_equal(h.matched, "/evil-miner.js");
    assert_int_equal(h.category, MT_CAT_MINER_C2);
    assert_string_equal(h.source, "t");
    /* the same rule again: one entry, the stronger claim kept */
    assert_int_equal(mt_intel_add_url_rule(in, "/miner.js", 85, MT_CAT_BROWSER_MINER, "t2"),
                     MT_OK);
    assert_int_equal(mt_intel_url_rule_count(in), before + 1);
    assert_int_equal(mt_intel_match_path(in, "/miner.js", &h), 1);
    assert_int_equal(h.category, MT_CAT_BROWSER_MINER);
    assert_int_equal(h.weight, 85);
    assert_string_equal(h.source, "t2");
    assert_int_equal(mt_intel_add_url_rule(in, "/miner.js", 20, MT_CAT_CRYPTO, "t3"), MT_OK);
    assert_int_equal(mt_intel_match_path(in, "/miner.js", &h), 1);
    assert_string_equal(h.source, "t2");

    /* URL: host and path, the stronger wins, the host on a tie */
    assert_int_equal(mt_intel_add_domain(in, "miner.example.net", 75, MT_CAT_BROWSER_MINER,
                                         "t", NULL), MT_OK);
    assert_int_equal(mt_intel_match_url(in, "www.example.org", "/coinhive.min.js", &h), 1);
    assert_string_equal(h.matched, "/coinhive.min.js");
    assert_int_equal(mt_intel_match_url(in, "miner.example.net", "/index.html", &h), 1);
    assert_string_equal(h.matched, "miner.example.net");
    assert_int_equal(mt_intel_match_url(in, "miner.example.net", "/coinhive.min.js", &h), 1);
    assert_string_equal(h.matched, "miner.example.net");
    assert_int_equal(mt_intel_match_url(in, "miner.example.net", "/evil-miner.js", &h), 1);
    assert_string_equal(h.matched, "/evil-miner.js"); /* C2 90 over browser-miner 75 */
    assert_int_equal(mt_intel_match_url(in, NULL, "/index.html", &h), 0);
    assert_int_equal(mt_intel_match_url(in, "www.example.org", "/", &h), 0);
    mt_intel_free(in);
}

/* ---- wallets and site keys --------------------------------------------- */

#define XMR                                                                                        \
    "46WNbmwXpYxiBpkbHjAgjC65cyzAxtaaBQjcGpAZquhBKw2r8NtPQniEgMJcwFMCZzSBrEJtmPsTR54MoGBDbjTi2W1XmgM"
#define ETH "0x4b999ba68e017854ffb6b494bc2ddb9ef02bd745"
#define BTC "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
#define BECH "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
#define KEY "Xb3kP9qLm2Rt7Vw4Yz8Ac1De5Fg6Hj0K"

static void test_key_shapes(void **st)
{
    (void)st;
    assert_string_equal(mt_intel_wallet_shape(XMR), "monero");
    assert_string_equal(mt_intel_wallet_shape(ETH), "ethereum");
    assert_string_equal(mt_intel_wallet_shape("0X4B999BA68E017854FFB6B494BC2DDB9EF02BD745"),
                        "ethereum");
    assert_string_equal(mt_intel_wallet_shape(BTC), "bitcoin");
    assert_string_equal(mt_intel_wallet_shape(BECH), "bitcoin");
    static const char *const not_wallets[] = {
        "", "pool.example.com", "0x4b999ba68e017854ffb6b494bc2ddb9ef02bd74",   /* 39 hex */
        "0x4b999ba68e017854ffb6b494bc2ddb9ef02bd745a",                          /* 41 hex */
        "0x4b999ba68e017854ffb6b494bc2ddb9ef02bd74g",                           /* not hex */
        "12345678912345678912345678",                                            /* digits */
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0",                                    /* '0' */
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdb",                            /* 'b' */
        "kvetak", KEY, "d41d8cd98f00b204e9800998ecf8427e",
    };
    for (size_t i = 0; i < sizeof not_wallets / sizeof not_wallets[0]; i++)
        if (mt_intel_wallet_shape(not_wallets[i]))
            fail_msg("'%s' taken for a %s wallet", not_wallets[i],
                     mt_intel_wallet_shape(not_wallets[i]));
    char xmr_short[100];
    snprintf(xmr_short, sizeof xmr_short, "%s", XMR);
    xmr_short[94] = '\0';
    assert_null(mt_intel_wallet_shape(xmr_short));
    char xmr_bad[100];
    snprintf(xmr_bad, sizeof xmr_bad, "%s", XMR);
    xmr_bad[10] = 'l'; /* not base58 */
    assert_null(mt_intel_wallet_shape(xmr_bad));
    assert_null(mt_intel_wallet_shape(NULL));

    assert_true(mt_intel_sitekey_shape(KEY));
    assert_false(mt_intel_sitekey_shape("d41d8cd98f00b204e9800998ecf8427e")); /* MD5 hex */
    assert_false(mt_intel_sitekey_shape("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")); /* no digit */
    assert_false(mt_intel_sitekey_shape("Xb3kP9qLm2Rt7Vw4Yz8Ac1De5Fg6Hj0"));  /* 31 */
    assert_false(mt_intel_sitekey_shape("Xb3kP9qLm2Rt7Vw4Yz8Ac1De5Fg6Hj0KZ")); /* 33 */
    assert_false(mt_intel_sitekey_shape("Xb3kP9qLm2Rt7Vw4Yz8Ac1De5Fg6Hj-K"));
    assert_false(mt_intel_sitekey_shape(NULL));
}

static void test_keys(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_intel_hit h;
    /* Without a list nothing is listed: the detectors' findings stay as
     * they were. */
    assert_int_equal(mt_intel_match_wallet(in, XMR, &h), 0);
    assert_int_equal(mt_intel_match_sitekey(in, KEY, &h), 0);
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    assert_int_equal(mt_intel_wallet_count(in), 0);
    assert_int_equal(mt_intel_sitekey_count(in), 0);

    const char *text =
        "# campaign wallets and keys\n"
        XMR "\n"
        "0X4B999BA68E017854FFB6B494BC2DDB9EF02BD745 # upper case\n"
        BECH "\t2018\n"
        "Wallet: kvetak-rig-wallet\n"
        "sitekey:abc12345\n"
        KEY "\n"
        "wallet:\n"                 /* empty: skipped */
        "sitekey:a b\n"             /* 'a' is too short: skipped */
        "wallet:has/slash/in/it\n"  /* not a token: skipped */
        "pool.campaign.example\n"
        "d41d8cd98f00b204e9800998ecf8427e\n"; /* a digest: not a key, not a name */
    char *path = tmp_file(text);
    assert_int_equal(mt_intel_load_file(in, path, 90, MT_CAT_MINER_C2), MT_OK);
    const mt_intel_load_stats *ls = mt_intel_last_load(in);
    assert_int_equal(ls->wallets, 4);
    assert_int_equal(ls->sitekeys, 2);
    assert_int_equal(ls->domains, 1);
    assert_int_equal(ls->skipped, 4);
    assert_int_equal(mt_intel_wallet_count(in), 4);
    assert_int_equal(mt_intel_sitekey_count(in), 2);

    assert_int_equal(mt_intel_match_wallet(in, XMR, &h), 1);
    assert_string_equal(h.matched, XMR);
    assert_int_equal(h.weight, 90);
    assert_int_equal(h.category, MT_CAT_MINER_C2);
    assert_string_equal(h.source, strrchr(path, '/') + 1);
    assert_int_equal(mt_intel_match_wallet(in, ETH, &h), 1); /* hex: any case */
    assert_string_equal(h.matched, ETH);
    assert_int_equal(mt_intel_match_wallet(in, "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", &h),
                     1);
    assert_int_equal(mt_intel_match_wallet(in, "kvetak-rig-wallet", &h), 1);
    assert_int_equal(mt_intel_match_wallet(in, "KVETAK-RIG-WALLET", &h), 0); /* exact */
    char other[100];
    snprintf(other, sizeof other, "%s", XMR);
    other[94] = other[94] == 'M' ? 'N' : 'M';
    assert_int_equal(mt_intel_match_wallet(in, other, &h), 0);
    assert_int_equal(mt_intel_match_wallet(in, BTC, &h), 0);
    assert_int_equal(mt_intel_match_wallet(in, "", &h), 0);
    assert_int_equal(mt_intel_match_wallet(in, NULL, &h), 0);
    assert_int_equal(mt_intel_match_sitekey(in, KEY, &h), 1);
    assert_int_equal(mt_intel_match_sitekey(in, "abc12345", &h), 1);
    assert_int_equal(mt_intel_match_sitekey(in, "ABC12345", &h), 0);
    assert_int_equal(mt_intel_match_wallet(in, KEY, &h), 0); /* kinds are apart */
    assert_int_equal(mt_intel_match_domain(in, "x.pool.campaign.example", &h), 1);

    /* API: the stronger claim is kept; bad input is refused */
    assert_int_equal(mt_intel_add_wallet(in, XMR, 50, MT_CAT_POOL, "weak"), MT_OK);
    assert_int_equal(mt_intel_match_wallet(in, XMR, &h), 1);
    assert_int_equal(h.weight, 90);
    assert_int_equal(mt_intel_add_wallet(in, BTC, 95, MT_CAT_POOL, "api2"), MT_OK);
    assert_int_equal(mt_intel_match_wallet(in, BTC, &h), 1);
    assert_string_equal(h.source, "api2");
    assert_int_equal(mt_intel_add_wallet(in, "short", 80, MT_CAT_POOL, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_wallet(in, BTC, 80, MT_CAT_ALLOW, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_sitekey(in, KEY, 101, MT_CAT_POOL, "t"), MT_EINVAL);
    assert_int_equal(mt_intel_add_sitekey(NULL, KEY, 80, MT_CAT_POOL, "t"), MT_EINVAL);
    unlink(path);

    /* Many keys in random order stay findable (sorted inserts). */
    char key[40];
    for (unsigned i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "k%08x", (i * 2654435761u) ^ 0x5a5a5a5au);
        assert_int_equal(mt_intel_add_sitekey(in, key, 60, MT_CAT_BROWSER_MINER, "bulk"), MT_OK);
    }
    for (unsigned i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "k%08x", (i * 2654435761u) ^ 0x5a5a5a5au);
        if (!mt_intel_match_sitekey(in, key, &h)) fail_msg("lost %s", key);
    }
    assert_int_equal(mt_intel_sitekey_count(in), 2002);
    mt_intel_free(in);
}

static void test_bench_1m(void **st)
{
    (void)st;
    enum { N = 1000000, Q = 1000000 };
    static const char *const tlds[] = {"com", "net", "org", "io", "xyz", "pro", "cc", "de"};
    char name[128];
    mt_intel *in = mt_intel_new();
    double t0 = now_s();
    for (unsigned i = 0; i < N; i++) {
        unsigned x = i * 2654435761u;
        snprintf(name, sizeof name, "p%07u-%x.%s", i, x & 0xfff, tlds[i % 8]);
        if (mt_intel_add_domain(in, name, 80, MT_CAT_POOL, "bench", NULL) != MT_OK)
            fail_msg("add %s: %s", name, mt_error_msg());
    }
    double build = now_s() - t0;
    assert_int_equal(mt_intel_domain_count(in), N);
    /* Queries: 10% subdomains of listed names, 90% unlisted, 3-4 labels. */
    char (*q)[96] = malloc((size_t)Q * sizeof *q);
    assert_non_null(q);
    for (unsigned i = 0; i < Q; i++) {
        unsigned k = (i * 7919u) % N;
        unsigned x = k * 2654435761u;
        if (i % 10 == 0)
            snprintf(q[i], sizeof q[i], "xmr-eu1.p%07u-%x.%s", k, x & 0xfff, tlds[k % 8]);
        else
            snprintf(q[i], sizeof q[i], "www.cdn%u.site%u.%s", i, k, tlds[i % 8]);
    }
    unsigned hits = 0;
    t0 = now_s();
    for (unsigned i = 0; i < Q; i++) hits += (unsigned)mt_intel_match_domain(in, q[i], NULL);
    double look = now_s() - t0;
    assert_int_equal(hits, Q / 10);
    printf("  bench (CPU time): %u names built in %.3f s; %u lookups, %.0f ns/lookup (%u hits)\n",
           (unsigned)N, build, (unsigned)Q, look * 1e9 / Q, hits);
    free(q);
    mt_intel_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_suffix_match),
        cmocka_unit_test(test_strongest_and_allow),
        cmocka_unit_test(test_ip_cidr),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_agents),
        cmocka_unit_test(test_loader_formats),
        cmocka_unit_test(test_spec),
        cmocka_unit_test(test_corpus_lists),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_port_table),
        cmocka_unit_test(test_port_references),
        cmocka_unit_test(test_url_rules),
        cmocka_unit_test(test_key_shapes),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_bench_1m),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
