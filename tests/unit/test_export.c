/* minetrace export (report/export.c): the store's indicator query against
 * its SQL definition, the host-name gate, every writer's output read back
 * by a strict reader of its format, and hostile names from findings that
 * must never reach a rule, a zone record or an intel row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "minetrace/intel.h"
#include "minetrace/store.h"
#include "report/export.h"

static char db_path[64];

#define T0 1517306400000000LL /* 2018-01-30T10:00:00Z */
#define DAY 86400000000LL

/* A value too long for any DNS name: 70-byte labels. */
static char long_name[300];

static const char *const hostile[] = {
    "evil.example\"; sid:1; rev:1;) alert ip any any -> any any (msg:\"x",
    "a.example\n@ IN NS attacker.example.",
    "x.example\tIntel::ADDR\t10.0.0.1",
    "b.example; rm",
    "*.wild.example",
    "under_score.example",
    long_name,
    "1.2.3",
};

static void add(mt_store *s, const char *pool, const char *dst, uint16_t port, mt_finding_kind kind, int conf,
                mt_time_us ts, const char *et)
{
    mt_finding f;
    mt_finding_init(&f);
    f.ts = ts;
    f.flow_id = (uint64_t)ts ^ port;
    mt_addr_parse("10.0.0.7", &f.src);
    mt_addr_parse(dst, &f.dst);
    f.src_port = 40000;
    f.dst_port = port;
    f.ipproto = 6;
    f.event_type = et;
    f.kind = kind;
    snprintf(f.pool, sizeof f.pool, "%s", pool);
    snprintf(f.evidence, sizeof f.evidence, "test %s", pool);
    f.confidence = conf;
    assert_int_equal(mt_store_put(s, &f, 1), MT_OK);
}

static int setup(void **state)
{
    (void)state;
    memset(long_name, 'a', 70);
    memcpy(long_name + 70, ".", 1);
    memset(long_name + 71, 'b', 70);
    memcpy(long_name + 141, ".example", 9);
    snprintf(db_path, sizeof db_path, "/tmp/mt_test_export_%d.db", (int)getpid());
    unlink(db_path);
    mt_store *s = mt_store_open(db_path, NULL);
    assert_non_null(s);
    add(s, "Pool.Example.COM:3333", "203.0.113.5", 3333, MT_KIND_STRATUM, 95, T0, MT_EVENT_MINING);
    add(s, "pool.example.com", "203.0.113.5", 3333, MT_KIND_STRATUM, 95, T0 + DAY, MT_EVENT_MINING);
    /* a lookup: its dest is the resolver, never a pool address */
    add(s, "pool.example.com.", "192.0.2.53", 53, MT_KIND_DNS, 90, T0 + 2 * DAY, MT_EVENT_MINING);
    add(s, "stratum+tcp://198.51.100.9:4444", "198.51.100.9", 4444, MT_KIND_STRATUM, 98, T0, MT_EVENT_MINING);
    add(s, "[2001:db8::7]:3333", "2001:db8::7", 3333, MT_KIND_STRATUM, 98, T0, MT_EVENT_MINING);
    add(s, "weak.example", "203.0.113.77", 8080, MT_KIND_IP, 40, T0, MT_EVENT_MINING);
    add(s, "notmining.example", "203.0.113.88", 445, MT_KIND_SMB, 90, T0, MT_EVENT_PRECURSOR);
    add(s, "late.example", "203.0.113.99", 5555, MT_KIND_TLS, 90, T0 + 400 * DAY, MT_EVENT_MINING);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        add(s, hostile[i], "192.0.2.53", 53, MT_KIND_DNS, 90, T0 + (mt_time_us)i, MT_EVENT_MINING);
    mt_store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(db_path);
    return 0;
}

/* ---- the store query against its SQL ------------------------------------ */

static void test_store_query_is_its_sql(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, &(mt_store_opts){.flags = MT_STORE_READONLY});
    assert_non_null(s);
    mt_store_indicator_query q = {T0, T0 + 100 * DAY, 50, {NULL, 0}};
    mt_store_indicators x;
    assert_int_equal(mt_store_indicators_get(s, &q, &x), MT_OK);
    mt_store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *const sql[3] = {
        "SELECT pool, count(*), min(ts), max(ts) FROM findings WHERE ts >= ?1 AND ts < ?2 AND event_type = "
        "'mining' AND confidence >= ?3 AND pool <> '' GROUP BY pool ORDER BY pool",
        "SELECT dest_ip, count(*), min(ts), max(ts) FROM findings WHERE ts >= ?1 AND ts < ?2 AND event_type = "
        "'mining' AND confidence >= ?3 AND kind <> 'dns' AND dest_ip <> '' GROUP BY dest_ip ORDER BY dest_ip",
        "SELECT CAST(dest_port AS TEXT), count(*), min(ts), max(ts) FROM findings WHERE ts >= ?1 AND ts < ?2 AND "
        "event_type = 'mining' AND confidence >= ?3 AND kind <> 'dns' AND dest_port BETWEEN 1 AND 65535 "
        "GROUP BY dest_port ORDER BY dest_port",
    };
    size_t k = 0;
    for (int t = 0; t < 3; t++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, sql[t], -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, q.from);
        sqlite3_bind_int64(st, 2, q.to);
        sqlite3_bind_int(st, 3, q.min_confidence);
        while (sqlite3_step(st) == SQLITE_ROW) {
            assert_true(k < x.n);
            assert_int_equal(x.v[k].type, t + 1);
            assert_string_equal(x.v[k].value, (const char *)sqlite3_column_text(st, 0));
            assert_int_equal(x.v[k].findings, sqlite3_column_int64(st, 1));
            assert_int_equal(x.v[k].first_seen, sqlite3_column_int64(st, 2));
            assert_int_equal(x.v[k].last_seen, sqlite3_column_int64(st, 3));
            k++;
        }
        sqlite3_finalize(st);
    }
    assert_int_equal(k, x.n);
    sqlite3_close(db);
    /* the resolver of the lookups is no pool address; the weak, the late
     * and the precursor finding are out */
    for (size_t i = 0; i < x.n; i++) {
        assert_string_not_equal(x.v[i].value, "192.0.2.53");
        assert_null(strstr(x.v[i].value, "weak"));
        assert_null(strstr(x.v[i].value, "late"));
        assert_null(strstr(x.v[i].value, "notmining"));
    }
    mt_store_indicators_free(&x);
}

/* ---- the gate ------------------------------------------------------------- */

static void test_hostname_gate(void **state)
{
    (void)state;
    char out[256];
    static const char *const good[] = {"pool.example.com", "POOL.Example.com.", "xn--bcher-kva.example",
                                       "a-b.c1.example", "x.y"};
    static const char *const want[] = {"pool.example.com", "pool.example.com", "xn--bcher-kva.example",
                                       "a-b.c1.example", "x.y"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(mt_export_hostname(good[i], strlen(good[i]), out, sizeof out), 1);
        assert_string_equal(out, want[i]);
    }
    static const char *const bad[] = {"", ".", "localhost", "1.2.3.4", "-a.example", "a-.example", "a..example",
                                      ".a.example", "a.example..", "a b.example", "a\".example", "a;b.example",
                                      "a\\.example", "\xc3\xa9.example", "a.example\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(mt_export_hostname(bad[i], strlen(bad[i]), out, sizeof out), 0);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        assert_int_equal(mt_export_hostname(hostile[i], strlen(hostile[i]), out, sizeof out), 0);
    /* 253 bytes is a name, 254 is not; a 63-byte label is, 64 not */
    char n[300];
    memset(n, 'a', sizeof n);
    for (int i = 63; i < 253; i += 64) n[i] = '.';
    memcpy(n + 250, "com", 3);
    assert_int_equal(mt_export_hostname(n, 253, out, sizeof out), 1);
    n[253] = 'm';
    assert_int_equal(mt_export_hostname(n, 254, out, sizeof out), 0);
    char l[80] = {0};
    memset(l, 'a', 64);
    memcpy(l + 64, ".example", 9);
    assert_int_equal(mt_export_hostname(l, strlen(l), out, sizeof out), 0);
    assert_int_equal(mt_export_hostname(l + 1, strlen(l + 1), out, sizeof out), 1);
}

/* ---- strict readers of the formats ---------------------------------------- */

/* The set every format may name: the valid pools of the fixture (and the
 * intel's, added below). */
static const char *const names_ok[] = {"pool.example.com", "late.example", "weak.example", "list.example",
                                       "c2.example"};
static const char *const addrs_ok[] = {"203.0.113.5", "198.51.100.9", "2001:db8::7", "203.0.113.77",
                                       "203.0.113.99", "192.0.2.200", "198.18.0.0/15"};

static int in_set(const char *v, size_t n, const char *const *set, size_t ns)
{
    for (size_t i = 0; i < ns; i++)
        if (strlen(set[i]) == n && memcmp(set[i], v, n) == 0) return 1;
    return 0;
}

static void no_hostile(const char *out)
{
    assert_null(strstr(out, "evil"));
    assert_null(strstr(out, "attacker"));
    assert_null(strstr(out, "x.example"));
    assert_null(strstr(out, "b.example"));
    assert_null(strstr(out, "wild"));
    assert_null(strstr(out, "under_score"));
    assert_null(strstr(out, "aaaaaaaaaa"));
    assert_null(strstr(out, "notmining"));
}

/* One Suricata rule: ACTION PROTO SRC SPORT -> DST DPORT (k:v; k; ...;)
 * with quoted values free of unescaped quotes and semicolons; returns the
 * sid, checks the content is ".NAME" of an allowed name. */
static unsigned long check_rule(const char *l, size_t len)
{
    char proto[8], dst[64];
    int used = 0;
    assert_int_equal(sscanf(l, "alert %7s $HOME_NET any -> %63s any (%n", proto, dst, &used), 2);
    assert_true(used > 0);
    assert_true(strcmp(proto, "dns") == 0 || strcmp(proto, "tls") == 0 || strcmp(proto, "ip") == 0);
    if (strcmp(proto, "ip") == 0) {
        size_t dl = strlen(dst);
        const char *d = dst;
        if (d[0] == '[') {
            d++;
            dl -= 2;
        }
        assert_true(in_set(d, dl, addrs_ok, sizeof addrs_ok / sizeof addrs_ok[0]));
    } else {
        assert_string_equal(dst, "any");
    }
    const char *p = l + used, *end = l + len;
    unsigned long sid = 0;
    int have_msg = 0, have_class = 0, have_rev = 0;
    static const char *const keys[] = {"msg", "dns.query", "tls.sni", "dotprefix", "content", "nocase",
                                       "endswith", "classtype", "sid", "rev"};
    while (p < end && *p != ')') {
        const char *k = p;
        while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '.')) p++;
        assert_true(in_set(k, (size_t)(p - k), keys, sizeof keys / sizeof keys[0]));
        const char *v = NULL;
        size_t vl = 0;
        if (*p == ':') {
            p++;
            if (*p == '"') {
                v = ++p;
                while (p < end && *p != '"') {
                    assert_true(*p != ';' && *p != '\\' && (unsigned char)*p >= 0x20);
                    p++;
                }
                assert_true(p < end);
                vl = (size_t)(p - v);
                p++;
            } else {
                v = p;
                while (p < end && *p != ';') p++;
                vl = (size_t)(p - v);
            }
        }
        assert_true(p < end && *p == ';');
        p++;
        if (*p == ' ') p++;
        if (strncmp(k, "msg:", 4) == 0) {
            assert_true(vl > 10 && strncmp(v, "minetrace ", 10) == 0);
            have_msg = 1;
        } else if (strncmp(k, "content:", 8) == 0) {
            assert_true(vl > 1 && v[0] == '.');
            assert_true(in_set(v + 1, vl - 1, names_ok, sizeof names_ok / sizeof names_ok[0]));
        } else if (strncmp(k, "classtype:", 10) == 0) {
            assert_true(vl == 11 && memcmp(v, "coin-mining", 11) == 0);
            have_class = 1;
        } else if (strncmp(k, "sid:", 4) == 0) {
            sid = strtoul(v, NULL, 10);
        } else if (strncmp(k, "rev:", 4) == 0) {
            assert_true(vl == 1 && v[0] == '1');
            have_rev = 1;
        }
    }
    assert_true(p + 1 == end && *p == ')');
    assert_true(have_msg && have_class && have_rev && sid > 0);
    return sid;
}

static void test_writers_read_back(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db_path, &(mt_store_opts){.flags = MT_STORE_READONLY});
    mt_store_indicator_query q = {0, 0, 0, {NULL, 0}};
    mt_store_indicators x;
    assert_int_equal(mt_store_indicators_get(s, &q, &x), MT_OK);
    mt_store_close(s);
    mt_export_set set;
    mt_export_set_init(&set);
    mt_export_add_findings(&set, &x);
    mt_store_indicators_free(&x);
    /* every hostile pool is refused; nothing else is */
    assert_int_equal(set.rejected, sizeof hostile / sizeof hostile[0]);

    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_add_domain(in, "list.example", 80, MT_CAT_POOL, "mylist", NULL), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "c2.example", 90, MT_CAT_MINER_C2, "mylist", NULL), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "exchange.example", 90, MT_CAT_CRYPTO, "mylist", NULL), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "allowed.example", 90, MT_CAT_POOL, "mylist", NULL), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "allowed.example", 90, MT_CAT_ALLOW, "allow", NULL), MT_OK);
    assert_int_equal(mt_intel_add_domain(in, "pool.example.com", 60, MT_CAT_POOL, "bad\"list;\n", NULL), MT_OK);
    mt_addr a;
    mt_addr_parse("192.0.2.200", &a);
    assert_int_equal(mt_intel_add_cidr(in, &a, 32, 70, MT_CAT_POOL, "ips"), MT_OK);
    mt_addr_parse("198.18.0.0", &a);
    assert_int_equal(mt_intel_add_cidr(in, &a, 15, 70, MT_CAT_POOL, "ips"), MT_OK);
    mt_export_add_intel(&set, in, 0);
    mt_intel_free(in);
    mt_export_sort(&set);

    size_t domains = 0, addrs = 0, subnets = 0;
    for (size_t i = 0; i < set.n; i++) {
        const mt_export_ind *e = &set.v[i];
        if (e->type == MT_EXP_DOMAIN) {
            domains++;
            assert_true(in_set(e->value, strlen(e->value), names_ok, sizeof names_ok / sizeof names_ok[0]));
        } else if (e->type == MT_EXP_ADDR) {
            addrs++;
        } else if (e->type == MT_EXP_SUBNET) {
            subnets++;
            assert_string_equal(e->value, "198.18.0.0/15");
        }
        if (strcmp(e->value, "pool.example.com") == 0) {
            /* three findings under three spellings, and a list */
            assert_int_equal(e->findings, 3);
            assert_int_equal(e->first_seen, T0);
            assert_int_equal(e->last_seen, T0 + 2 * DAY);
            assert_non_null(e->list);
        }
    }
    assert_int_equal(domains, 5);
    assert_int_equal(addrs, 6);
    assert_int_equal(subnets, 1);

    mt_export_opts o = {.sid_base = 5000000, .zone = "rpz.test", .serial = 2018013001};
    mt_buf b;
    mt_buf_init(&b);
    size_t written;

    /* Suricata: every rule parses, SIDs run from the base without a gap */
    o.format = MT_EXPORT_SURICATA;
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_OK);
    const char *out = mt_buf_cstr(&b);
    no_hostile(out);
    unsigned long next = o.sid_base;
    size_t rules = 0;
    for (const char *l = out; *l;) {
        const char *e = strchr(l, '\n');
        assert_non_null(e);
        if (*l != '#') {
            assert_int_equal(check_rule(l, (size_t)(e - l)), next);
            next++;
            rules++;
        }
        l = e + 1;
    }
    assert_int_equal(rules, 2 * domains + addrs + subnets);
    assert_int_equal(written, domains + addrs + subnets);
    assert_non_null(strstr(out, "tls.sni; dotprefix; content:\".pool.example.com\"; nocase; endswith;"));
    assert_non_null(strstr(out, "-> [2001:db8::7] any"));
    assert_non_null(strstr(out, "3 mining findings 2018-01-30..2018-02-01"));

    /* the SIDs must fit in 32 bits */
    o.sid_base = UINT32_MAX - 3;
    mt_buf_reset(&b);
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_EINVAL);
    o.sid_base = 5000000;

    /* Zeek Intel: the #fields header, then four tab-separated fields of
     * printable ASCII; types DOMAIN/ADDR/SUBNET matching the value */
    o.format = MT_EXPORT_ZEEK;
    mt_buf_reset(&b);
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_OK);
    out = mt_buf_cstr(&b);
    no_hostile(out);
    const char *hdr = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n";
    assert_int_equal(strncmp(out, hdr, strlen(hdr)), 0);
    size_t rows = 0;
    for (const char *l = out + strlen(hdr); *l;) {
        const char *e = strchr(l, '\n');
        assert_non_null(e);
        const char *f[5];
        size_t fl[5], nf = 0;
        const char *p = l;
        while (nf < 5) {
            const char *t = p;
            while (t < e && *t != '\t') {
                assert_true((unsigned char)*t >= 0x20 && (unsigned char)*t < 0x7f);
                t++;
            }
            f[nf] = p;
            fl[nf++] = (size_t)(t - p);
            if (t == e) break;
            p = t + 1;
        }
        assert_int_equal(nf, 4);
        int dom = fl[1] == 13 && memcmp(f[1], "Intel::DOMAIN", 13) == 0;
        int ad = fl[1] == 11 && memcmp(f[1], "Intel::ADDR", 11) == 0;
        int sub = fl[1] == 13 && memcmp(f[1], "Intel::SUBNET", 13) == 0;
        assert_true(dom || ad || sub);
        if (dom) assert_true(in_set(f[0], fl[0], names_ok, sizeof names_ok / sizeof names_ok[0]));
        else assert_true(in_set(f[0], fl[0], addrs_ok, sizeof addrs_ok / sizeof addrs_ok[0]));
        assert_true(fl[2] > 10 && memcmp(f[2], "minetrace:", 10) == 0);
        assert_true(fl[3] > 0);
        rows++;
        l = e + 1;
    }
    assert_int_equal(rows, domains + addrs + subnets);
    /* the list name's quote, semicolon and newline did not survive */
    assert_non_null(strstr(out, "minetrace:findings+bad_list__\t"));

    /* RPZ: SOA and NS at the apex, then only NAME / *.NAME / rpz-ip CNAME . */
    o.format = MT_EXPORT_RPZ;
    mt_buf_reset(&b);
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_OK);
    out = mt_buf_cstr(&b);
    no_hostile(out);
    assert_non_null(strstr(out, "$ORIGIN rpz.test.\n@ IN SOA localhost. hostmaster.localhost. ( 2018013001 "));
    assert_non_null(strstr(out, "\n@ IN NS localhost.\n"));
    size_t records = 0;
    for (const char *l = out; *l;) {
        const char *e = strchr(l, '\n');
        assert_non_null(e);
        if (*l != ';' && *l != '$' && *l != '@') {
            const char *sp = memchr(l, ' ', (size_t)(e - l));
            assert_non_null(sp);
            assert_int_equal(strncmp(sp, " CNAME .\n", 9), 0);
            const char *own = l;
            if (strncmp(own, "*.", 2) == 0) own += 2;
            size_t ol = (size_t)(sp - own);
            int ip = ol > 7 && memcmp(sp - 7, ".rpz-ip", 7) == 0;
            assert_true(ip || in_set(own, ol, names_ok, sizeof names_ok / sizeof names_ok[0]));
            records++;
        }
        l = e + 1;
    }
    assert_int_equal(records, 2 * domains + addrs + subnets);
    assert_non_null(strstr(out, "\n32.5.113.0.203.rpz-ip CNAME .\n"));
    assert_non_null(strstr(out, "\n15.0.0.18.198.rpz-ip CNAME .\n"));
    assert_non_null(strstr(out, "\n128.7.0.0.0.0.0.db8.2001.rpz-ip CNAME .\n"));

    /* hosts: names only */
    o.format = MT_EXPORT_HOSTS;
    mt_buf_reset(&b);
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_OK);
    out = mt_buf_cstr(&b);
    no_hostile(out);
    assert_int_equal(written, domains);
    assert_non_null(strstr(out, "\n0.0.0.0 pool.example.com\n"));

    /* CSV: the header, one row per indicator, ports too */
    o.format = MT_EXPORT_CSV;
    mt_buf_reset(&b);
    assert_int_equal(mt_export_write(&set, &o, &b, &written), MT_OK);
    out = mt_buf_cstr(&b);
    no_hostile(out);
    assert_int_equal(strncmp(out, "indicator,type,source,findings,first_seen,last_seen\n", 52), 0);
    assert_int_equal(written, set.n);
    assert_non_null(strstr(out, "\n3333,port,findings,"));
    assert_non_null(strstr(out, "\nlist.example,domain,mylist,0,,\n"));
    /* the list name goes through the CSV escaper (quoted, quote doubled) */
    assert_non_null(strstr(out, "\npool.example.com,domain,\"findings+bad\"\"list;\n\",3,"));

    mt_buf_free(&b);
    mt_export_set_free(&set);
}

/* An empty set still writes a valid file of each format. */
static void test_empty(void **state)
{
    (void)state;
    mt_export_set set;
    mt_export_set_init(&set);
    mt_export_opts o = {.sid_base = 1000000, .zone = "rpz.minetrace", .serial = 1};
    for (int f = MT_EXPORT_SURICATA; f <= MT_EXPORT_CSV; f++) {
        mt_buf b;
        mt_buf_init(&b);
        size_t w = 99;
        o.format = f;
        assert_int_equal(mt_export_write(&set, &o, &b, &w), MT_OK);
        assert_int_equal(w, 0);
        assert_true(b.len > 0);
        mt_buf_free(&b);
    }
    assert_int_equal(mt_export_format_parse("zeek-intel"), MT_EXPORT_ZEEK);
    assert_int_equal(mt_export_format_parse("snort"), 0);
    mt_export_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_query_is_its_sql),
        cmocka_unit_test(test_hostname_gate),
        cmocka_unit_test(test_writers_read_back),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
