/* The finding identity (mt_finding_identity, docs/STORE.md) is the store's
 * uid: rows written by earlier builds must keep matching the findings of
 * later ones, so its values are pinned here, computed by the string form
 * the identity was defined with (the formatted addresses, the kind's name).
 * Each case changes one rule of the definition: the address families, the
 * day boundary, the kinds whose resolver, pool, agent or signature are left
 * out or kept, case folding, a missing event type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "minetrace/finding.h"
#include "util/hash.h"

#define DAY (86400LL * 1000000LL)
#define T0 (1500000000LL * 1000000LL) /* 2017-07-14 02:40 UTC */

typedef struct icase {
    const char *name;
    mt_time_us ts;
    const char *src, *dst;
    int dst_port;
    const char *event_type; /* NULL: left unset */
    mt_finding_kind kind;
    const char *protocol, *pool, *wallet, *agent, *evidence;
    uint64_t want;
} icase;

static const icase cases[] = {
    {"stratum v4", T0, "192.168.1.100", "54.64.97.77", 443, MT_EVENT_MINING, MT_KIND_STRATUM,
     "stratum-v1", "54.64.97.77:443", "Bitcoin", "cgminer/3.7.2", "stratum-v1 mining.subscribe",
     0xbde5dca5215837a6ULL},
    {"stratum later the same day", T0 + 20 * 3600000000LL, "192.168.1.100", "54.64.97.77", 443,
     MT_EVENT_MINING, MT_KIND_STRATUM, "stratum-v1", "other.pool:443", "Bitcoin", "other agent",
     "other text", 0xbde5dca5215837a6ULL},
    {"stratum next day", T0 + 22 * 3600000000LL, "192.168.1.100", "54.64.97.77", 443,
     MT_EVENT_MINING, MT_KIND_STRATUM, "stratum-v1", "54.64.97.77:443", "Bitcoin", "", "",
     0x07963d0c6e9d2b05ULL},
    {"dns any resolver", T0, "10.0.0.5", "192.0.2.53", 53, MT_EVENT_MINING, MT_KIND_DNS, "dns",
     "pool.supportxmr.com", "", "", "A query", 0x3961b17e0979fcfeULL},
    {"dns other resolver, name in capitals", T0, "10.0.0.5", "198.51.100.1", 5353, MT_EVENT_MINING,
     MT_KIND_DNS, "dns", "POOL.SupportXMR.com", "", "", "AAAA query", 0x3961b17e0979fcfeULL},
    {"tls v6", T0, "2001:db8::1", "2001:db8:0:1::25", 443, MT_EVENT_MINING, MT_KIND_TLS, "tls",
     "xmr.pool.minergate.com", "", "", "SNI xmr.pool.minergate.com", 0x0499962ae1754046ULL},
    {"http agent kept", T0, "172.16.0.9", "203.0.113.7", 8080, MT_EVENT_MINING, MT_KIND_HTTP,
     "getwork", "203.0.113.7", "", "cpuminer/2.5.0", "POST / getwork", 0x1c83a8fdf78eb149ULL},
    {"http other agent", T0, "172.16.0.9", "203.0.113.7", 8080, MT_EVENT_MINING, MT_KIND_HTTP,
     "getwork", "203.0.113.7", "", "cpuminer/2.5.1", "POST / getwork", 0x48bd3bac1b73ca15ULL},
    {"ip pool left out", T0, "10.1.2.3", "198.51.100.200", 3333, MT_EVENT_MINING, MT_KIND_IP, "tcp",
     "some.name", "", "", "pool address", 0xcf7c66b0569e7374ULL},
    {"behaviour", T0 - 1, "10.1.2.3", "198.51.100.200", 3333, NULL, MT_KIND_BEHAVIOUR, "stratum-tls",
     "", "", "", "flow shape", 0x833bdd2eb872c1b9ULL},
    {"alert signature kept", T0, "10.9.8.7", "203.0.113.9", 3333, MT_EVENT_MINING, MT_KIND_ALERT,
     "alert", "", "", "", "ET POLICY Cryptocurrency Miner Checkin", 0x6fdcd1ae116eae7bULL},
    {"smb up to the colon", T0, "10.0.0.20", "10.0.0.30", 445, MT_EVENT_PRECURSOR, MT_KIND_SMB,
     "smb1", "", "", "", "eternalblue: trans2 overflow, 3 requests", 0xf68e60ba0a7d0867ULL},
    {"websocket, negative time", -5 * DAY + 7, "0.0.0.0", "255.255.255.255", 0, MT_EVENT_MINING,
     MT_KIND_WEBSOCKET, "coinhive-ws", "ws.coinhive.com", "SITEKEY123", "", "auth", 0x2c87ff735b2e4b8cULL},
};

static void build(const icase *c, mt_finding *f)
{
    mt_finding_init(f);
    f->ts = c->ts;
    assert_int_equal(mt_addr_parse(c->src, &f->src), MT_OK);
    assert_int_equal(mt_addr_parse(c->dst, &f->dst), MT_OK);
    f->dst_port = (uint16_t)c->dst_port;
    f->src_port = 40001;
    f->flow_id = 77;
    f->confidence = 90;
    f->event_type = c->event_type;
    f->kind = c->kind;
    mt_strlcpy(f->protocol, c->protocol, sizeof f->protocol);
    mt_strlcpy(f->pool, c->pool, sizeof f->pool);
    mt_strlcpy(f->wallet, c->wallet, sizeof f->wallet);
    mt_strlcpy(f->agent, c->agent, sizeof f->agent);
    mt_strlcpy(f->evidence, c->evidence, sizeof f->evidence);
}

static void test_pinned(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mt_finding f;
        build(&cases[i], &f);
        uint64_t got = mt_finding_identity(&f);
        if (got != cases[i].want) {
            printf("%s: 0x%016llxULL\n", cases[i].name, (unsigned long long)got);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The stored text columns give the finding's value (migrations and the
 * SQL function compute uids from them). */
static void test_cols(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const icase *c = &cases[i];
        mt_finding f;
        build(c, &f);
        char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
        assert_int_equal(mt_addr_to_str(&f.src, src, sizeof src), MT_OK);
        assert_int_equal(mt_addr_to_str(&f.dst, dst, sizeof dst), MT_OK);
        uint64_t cols = mt_finding_identity_cols(mt_finding_day(c->ts), src, dst, c->dst_port,
                                                 c->event_type, mt_finding_kind_str(c->kind), c->protocol,
                                                 c->pool, c->wallet, c->agent, c->evidence);
        assert_true(cols == mt_finding_identity(&f));
    }
    /* NULL columns are empty strings. */
    assert_true(mt_finding_identity_cols(17000, "10.0.0.1", NULL, 0, NULL, "ip", NULL, NULL, NULL, NULL, NULL) ==
                mt_finding_identity_cols(17000, "10.0.0.1", "", 0, "", "ip", "", "", "", "", ""));
}

/* Addresses of every shape and length: the identity of a finding equals
 * the one computed from the text inet_ntop gives (the stored columns). */
static void test_addresses(void **state)
{
    (void)state;
    static const char *const addrs[] = {
        "0.0.0.0", "1.2.3.4", "9.99.100.255", "10.0.0.1", "100.64.10.9", "255.255.255.255",
        "::", "::1", "2001:db8::", "fe80::1:2:3:4", "2001:db8:1:2:3:4:5:6", "::ffff:0:1.2.3.4",
        "64:ff9b::c000:221", "1::", "1:0:0:1::1", "ff02::fb",
    };
    const size_t n = sizeof addrs / sizeof addrs[0];
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            mt_finding f;
            mt_finding_init(&f);
            f.ts = T0;
            f.kind = MT_KIND_IP;
            assert_int_equal(mt_addr_parse(addrs[i], &f.src), MT_OK);
            assert_int_equal(mt_addr_parse(addrs[k], &f.dst), MT_OK);
            f.dst_port = 3333;
            char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
            assert_int_equal(mt_addr_to_str(&f.src, src, sizeof src), MT_OK);
            assert_int_equal(mt_addr_to_str(&f.dst, dst, sizeof dst), MT_OK);
            assert_true(mt_finding_identity(&f) ==
                        mt_finding_identity_cols(mt_finding_day(f.ts), src, dst, 3333, MT_EVENT_MINING, "ip",
                                                 "", "", "", "", ""));
        }
    /* An unset address counts as the empty text. */
    mt_finding f;
    mt_finding_init(&f);
    f.ts = T0;
    f.kind = MT_KIND_TLS;
    mt_strlcpy(f.pool, "pool.example", sizeof f.pool);
    assert_true(mt_finding_identity(&f) == mt_finding_identity_cols(mt_finding_day(T0), "", "", 0, "mining",
                                                                     "tls", "", "pool.example", "", "", ""));
}

/* The byte hash the identity is built on, as it was defined: 8-byte words,
 * then the tail gathered byte by byte. Its values are stored (uids), so a
 * faster tail must give the same words for every length and alignment. */
static uint64_t hash_by_definition(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *s = p;
    uint64_t h = seed ^ (MT_HASH_GOLDEN * (n + 1));
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = mt_mix64(h ^ v) + MT_HASH_GOLDEN;
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)s[i] << (8 * i);
    return mt_mix64(h ^ v ^ ((uint64_t)n << 56));
}

static void test_hash_bytes(void **state)
{
    (void)state;
    unsigned char buf[80];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131 + 7);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; off + n <= 64; n++) {
            uint64_t want = hash_by_definition(buf + off, n, 0x1234 + n);
            assert_true(mt_hash_bytes_inl(buf + off, n, 0x1234 + n) == want);
            assert_true(mt_hash_bytes(buf + off, n, 0x1234 + n) == want);
        }
    /* The high bit of every byte, and zero bytes, in the tail. */
    memset(buf, 0xff, sizeof buf);
    buf[3] = 0;
    for (size_t n = 0; n <= 16; n++) assert_true(mt_hash_bytes(buf, n, 9) == hash_by_definition(buf, n, 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned),
        cmocka_unit_test(test_cols),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_hash_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
