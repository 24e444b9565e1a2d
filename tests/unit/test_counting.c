/* What one finding counts (docs/STORE.md, "Identity of a finding"): the
 * engine passes each (host, evidence, UTC day) on once, a persistent host
 * is counted on each day, an earlier sighting read late is passed on, and
 * the store keeps the same rows whichever order or batches stored them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "unit/capture_engine.h"

#define DAY (86400LL * 1000000LL)
#define T0 (1500000000LL * 1000000LL) /* 2017-07-14 02:40 UTC */

static void dns_query(ce *c, const char *cli, const char *name, mt_time_us ts)
{
    static mt_dns d;
    mt_event ev;
    ce_event(&ev, MT_EV_DNS, 0, cli, 40000, "192.0.2.53", 53);
    memset(&d, 0, sizeof d);
    d.qtype = 1;
    mt_strlcpy(d.qname, name, sizeof d.qname);
    ev.u.dns = &d;
    ev.ts = ts;
    mt_engine_event(c->e, &ev);
}

static void alert(ce *c, const char *cli, uint64_t sid, mt_time_us ts, uint64_t flow)
{
    static mt_alert a;
    mt_event ev;
    ce_event(&ev, MT_EV_ALERT, flow, cli, (uint16_t)(40000 + flow), "203.0.113.9", 3333);
    memset(&a, 0, sizeof a);
    a.signature_id = sid;
    snprintf(a.signature, sizeof a.signature, "ET POLICY Cryptocurrency Miner Checkin %llu", (unsigned long long)sid);
    mt_strlcpy(a.category, "Potential Corporate Privacy Violation", sizeof a.category);
    a.severity = 1;
    ev.u.alert = &a;
    ev.ts = ts;
    mt_engine_event(c->e, &ev);
}

static void test_per_day(void **state)
{
    (void)state;
    ce *c = ce_new();
    /* A miner resolving its pool every minute for three days from 02:40
     * UTC: four UTC days, four findings, one a day; another host the same
     * day: its own. */
    for (int m = 0; m < 3 * 1440; m++) dns_query(c, "10.0.0.5", "pool.supportxmr.com", T0 + m * 60000000LL);
    dns_query(c, "10.0.0.6", "POOL.supportxmr.com", T0);
    assert_int_equal(c->n, 5);
    assert_int_equal(mt_finding_day(c->f[3].ts) - mt_finding_day(c->f[0].ts), 3);
    assert_int_equal(mt_finding_day(c->f[1].ts) - mt_finding_day(c->f[0].ts), 1);
    assert_int_equal(mt_finding_day(c->f[2].ts) - mt_finding_day(c->f[0].ts), 2);
    /* The same name in another case is the same evidence. */
    dns_query(c, "10.0.0.6", "pool.supportxmr.com", T0 + 1);
    assert_int_equal(c->n, 5);
    /* Alerts: one per host, signature and day, whatever the flow. */
    size_t n0 = c->n;
    for (uint64_t i = 0; i < 500; i++) alert(c, "10.0.0.7", 2024792, T0 + (mt_time_us)i * 1000000, i + 1);
    assert_int_equal(c->n, n0 + 1);
    alert(c, "10.0.0.7", 2024793, T0 + 5, 900);
    alert(c, "10.0.0.7", 2024792, T0 + DAY, 901);
    assert_int_equal(c->n, n0 + 3);
    /* An earlier sighting read after a later one (an input out of time
     * order) is passed on; the store keeps it instead. */
    alert(c, "10.0.0.7", 2024792, T0 - 10, 902);
    assert_int_equal(c->n, n0 + 4);
    /* The DNS detector's own per-day memory drops the lookups before the
     * engine sees them; the alert detector reports each alert, and the
     * engine drops the 499 repeats. */
    assert_int_equal(mt_engine_get_stats(c->e)->repeats, 499);
    ce_free(c);
}

/* The store keeps the earliest sighting of an identity, whatever order the
 * runs stored them in. */
static void test_store_order(void **state)
{
    (void)state;
    char path[2][128];
    mt_finding f[3];
    for (int i = 0; i < 3; i++) {
        mt_finding_init(&f[i]);
        mt_addr_parse("10.0.0.5", &f[i].src);
        mt_addr_parse("192.0.2.53", &f[i].dst);
        f[i].dst_port = 53;
        f[i].kind = MT_KIND_DNS;
        mt_strlcpy(f[i].protocol, "dns", sizeof f[i].protocol);
        mt_strlcpy(f[i].pool, "pool.supportxmr.com", sizeof f[i].pool);
        f[i].ts = T0 + i * 3600000000LL;
        snprintf(f[i].evidence, sizeof f[i].evidence, "sighting %d", i);
        f[i].confidence = 90;
    }
    uint64_t n_new[2], n_dup[2];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "/tmp/mt_test_counting_%d_%d.db", (int)getpid(), k);
        unlink(path[k]);
        mt_store *s = mt_store_open(path[k], NULL);
        assert_non_null(s);
        for (int i = 0; i < 3; i++) assert_int_equal(mt_store_put(s, &f[k ? 2 - i : i], 1), MT_OK);
        assert_int_equal(mt_store_commit(s), MT_OK);
        mt_store_counts(s, &n_new[k], &n_dup[k]);
        mt_time_us a, b;
        assert_int_equal(mt_store_time_range(s, NULL, &a, &b), 1);
        assert_int_equal(a, T0);
        assert_int_equal(b, T0);
        mt_store_close(s);
    }
    assert_int_equal(n_new[0], 1);
    assert_int_equal(n_new[1], 1);
    assert_int_equal(n_dup[0], 2);
    assert_int_equal(n_dup[1], 2);
    for (int k = 0; k < 2; k++) {
        char w[300];
        unlink(path[k]);
        snprintf(w, sizeof w, "%s-wal", path[k]);
        unlink(w);
        snprintf(w, sizeof w, "%s-shm", path[k]);
        unlink(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_day),
        cmocka_unit_test(test_store_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
