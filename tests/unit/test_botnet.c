/* The campaign engine (src/botnet/botnet.h) on synthetic honeypot events:
 * marker joins, MinHash LSH joins at and below the threshold, the
 * min_sources and min_credentials bounds, stable ids, per-day counts,
 * sessions, credential statistics of aggregates, and the same campaigns
 * whatever the order of the events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "botnet/botnet.h"
#include "botnet/botnet_int.h"
#include "util/digest.h"

/* ---- a sink that keeps copies of what it was given ------------------- */

#define MAXC 32
#define MAXM 64

typedef struct got_campaign {
    uint64_t scanned, port22_open, iot, iot_unknown, geo_unknown, asn_unknown;
    char countries[8][3];
    uint64_t country_n[8];
    size_t ncountries, nasns;
    char asn0[16];
    char id[32];
    int mining;
    char family[32];
    size_t nmembers;
    char members[MAXM][MT_ADDR_STRLEN];
    uint64_t sessions, events, peak_active;
    char peak_day[11];
    size_t ndays;
    char days[16][11];
    uint64_t day_count[16];
    size_t nmarkers;
    char mtype[8][32], mvalue[8][300];
    char top_cred[64];
    uint64_t top_cred_n;
} got_campaign;

typedef struct got {
    got_campaign c[MAXC];
    size_t nc, nsrc, ncred;
    char cred_user[32][64], cred_pass[32][64];
    uint64_t cred_days[32], cred_attempts[32], cred_sources[32];
    char src_ip[64][MT_ADDR_STRLEN];
    uint64_t src_ncred[64], src_sessions[64];
    size_t src_ncampaigns[64];
    int order_ok; /* campaigns came mining first, then by size */
} got;

static int on_campaign(mt_botnet_sink *s, const mt_campaign *c)
{
    got *g = s->ctx;
    assert_true(g->nc < MAXC);
    got_campaign *o = &g->c[g->nc++];
    snprintf(o->id, sizeof o->id, "%s", c->id);
    o->mining = c->mining;
    snprintf(o->family, sizeof o->family, "%s", c->family);
    o->nmembers = c->nmembers;
    for (size_t i = 0; i < c->nmembers && i < MAXM; i++) snprintf(o->members[i], MT_ADDR_STRLEN, "%s", c->members[i]);
    o->sessions = c->sessions;
    o->events = c->events;
    o->peak_active = c->peak_active;
    snprintf(o->peak_day, sizeof o->peak_day, "%s", c->peak_day);
    o->ndays = c->ndays;
    for (size_t i = 0; i < c->ndays && i < 16; i++) {
        snprintf(o->days[i], 11, "%s", c->active_per_day[i].name);
        o->day_count[i] = c->active_per_day[i].count;
    }
    o->scanned = c->scanned;
    o->port22_open = c->port22_open;
    o->iot = c->iot;
    o->iot_unknown = c->iot_unknown;
    o->geo_unknown = c->geo_unknown;
    o->asn_unknown = c->asn_unknown;
    o->ncountries = c->ncountries;
    for (size_t i = 0; i < c->ncountries && i < 8; i++) {
        snprintf(o->countries[i], 3, "%s", c->countries[i].name);
        o->country_n[i] = c->countries[i].count;
    }
    o->nasns = c->nasns;
    if (c->nasns) snprintf(o->asn0, sizeof o->asn0, "%s", c->asns[0].name);
    o->nmarkers = c->nmarkers;
    for (size_t i = 0; i < c->nmarkers && i < 8; i++) {
        snprintf(o->mtype[i], 32, "%s", c->markers[i].type);
        snprintf(o->mvalue[i], 300, "%s", c->markers[i].value);
    }
    if (c->ncredentials) {
        snprintf(o->top_cred, sizeof o->top_cred, "%s", c->top_credentials[0].name);
        o->top_cred_n = c->top_credentials[0].count;
    }
    if (g->nc > 1) {
        got_campaign *p = &g->c[g->nc - 2];
        if (p->mining < o->mining || (p->mining == o->mining && p->nmembers < o->nmembers)) g->order_ok = 0;
    }
    return MT_OK;
}

static int on_source(mt_botnet_sink *s, const mt_botsource *src)
{
    got *g = s->ctx;
    assert_true(g->nsrc < 64);
    snprintf(g->src_ip[g->nsrc], MT_ADDR_STRLEN, "%s", src->ip);
    g->src_ncred[g->nsrc] = src->ncredentials;
    g->src_sessions[g->nsrc] = src->sessions;
    g->src_ncampaigns[g->nsrc] = src->ncampaigns;
    g->nsrc++;
    return MT_OK;
}

static int on_cred(mt_botnet_sink *s, const mt_credstat *c)
{
    got *g = s->ctx;
    if (g->ncred >= 32) return MT_OK;
    snprintf(g->cred_user[g->ncred], 64, "%s", c->username);
    snprintf(g->cred_pass[g->ncred], 64, "%s", c->password);
    g->cred_days[g->ncred] = c->days;
    g->cred_attempts[g->ncred] = c->attempts;
    g->cred_sources[g->ncred] = c->sources;
    g->ncred++;
    return MT_OK;
}

static int on_flush(mt_botnet_sink *s)
{
    (void)s;
    return MT_OK;
}

static got *run_events(const mt_botnet_opts *o, const mt_honey_event *ev, size_t n, mt_botnet_stats *st)
{
    got *g = calloc(1, sizeof *g);
    g->order_ok = 1;
    mt_botnet_sink sink = {.name = "test", .campaign = on_campaign, .source = on_source, .credential = on_cred,
                           .flush = on_flush, .ctx = g};
    mt_botnet_sink *sinks[1] = {&sink};
    mt_botnet *b = mt_botnet_new(o);
    mt_honey_sink hs = mt_botnet_honey_sink(b);
    for (size_t i = 0; i < n; i++) hs.event(hs.ctx, &ev[i]);
    assert_int_equal(mt_botnet_finish(b, sinks, 1), MT_OK);
    if (st) mt_botnet_stats_get(b, st);
    mt_botnet_free(b);
    return g;
}

/* ---- building events ---------------------------------------------------- */

#define DAY_US 86400000000LL
/* 2023-11-10T00:00:00Z */
#define T0 (1699574400LL * 1000000LL)

typedef struct evbuf {
    mt_honey_event *ev;
    size_t n, cap;
    char **strs;
    size_t nstrs, capstrs;
} evbuf;

static const char *keep(evbuf *eb, const char *s)
{
    if (eb->nstrs == eb->capstrs) {
        eb->capstrs = eb->capstrs ? eb->capstrs * 2 : 256;
        eb->strs = realloc(eb->strs, eb->capstrs * sizeof *eb->strs);
    }
    eb->strs[eb->nstrs] = strdup(s);
    return eb->strs[eb->nstrs++];
}

static mt_span sp(evbuf *eb, const char *s)
{
    if (!s) return (mt_span){NULL, 0};
    const char *k = keep(eb, s);
    return (mt_span){k, strlen(k)};
}

static mt_honey_event *add(evbuf *eb, mt_honey_type t, const char *ip, mt_time_us ts, const char *session)
{
    if (eb->n == eb->cap) {
        eb->cap = eb->cap ? eb->cap * 2 : 64;
        eb->ev = realloc(eb->ev, eb->cap * sizeof *eb->ev);
    }
    mt_honey_event *e = &eb->ev[eb->n++];
    memset(e, 0, sizeof *e);
    e->type = t;
    e->ts = ts;
    e->count = 1;
    e->duration_ms = -1;
    e->protocol = MT_HP_SSH;
    if (ip) assert_int_equal(mt_addr_parse(ip, &e->src), MT_OK);
    else e->flags |= MT_HEF_NOSRC;
    e->session = sp(eb, session);
    return e;
}

static void login(evbuf *eb, const char *ip, mt_time_us ts, const char *session, const char *u, const char *p)
{
    mt_honey_event *e = add(eb, MT_HE_LOGIN_FAILED, ip, ts, session);
    e->user = sp(eb, u);
    e->pass = sp(eb, p);
}

static void download(evbuf *eb, const char *ip, mt_time_us ts, const char *session, const char *url,
                     const char *sha)
{
    mt_honey_event *e = add(eb, MT_HE_DOWNLOAD, ip, ts, session);
    e->url = sp(eb, url);
    e->sha256 = sp(eb, sha);
    e->path = sp(eb, "/tmp/x");
}

static void command(evbuf *eb, const char *ip, mt_time_us ts, const char *session, const char *cmd)
{
    mt_honey_event *e = add(eb, MT_HE_COMMAND, ip, ts, session);
    e->text = sp(eb, cmd);
}

static void evbuf_free(evbuf *eb)
{
    for (size_t i = 0; i < eb->nstrs; i++) free(eb->strs[i]);
    free(eb->strs);
    free(eb->ev);
    memset(eb, 0, sizeof *eb);
}

static const char *const SHA_A = "1111111111111111111111111111111111111111111111111111111111111111";
static const char *const SHA_B = "2222222222222222222222222222222222222222222222222222222222222222";

#define MDRFCKR                                                                                         \
    "cd ~ && rm -rf .ssh && mkdir .ssh && echo \"ssh-rsa "                                          \
    "AAAAB3NzaC1yc2EAAAABJQAAAQEArDp4cun2lhr4KUhBGE7VvAcwdli2a8dbnrTOrbMz1+5O73fcBOx8NVbUT0bUanUV9tJ2/" \
    "9p7+vD0EpZ3Tz/+0kX34uAx1RV/75GVOmNx+9EuWOnvNoaJe0QXxziIg9eLBHpgLMuakb5+BgTFB+rKJAw9u9FSTDengvS8" \
    "hX1kNFS4Mjux0hJOK8rvcEmPecjdySYMb66nylAKGwCEE6WEQHmd1mUPgHwGQ0hWCwsQk13yCGPK5w6hYp5zYkFnvlC8hGmd" \
    "4Ww+u97k6pfTGTUbJk14ujvcD9iUKQTTWYYjIIu5PmUux5bsZ0R4WFwdIe6+i6rBLAsPKgAySVKPRK+oRw== "           \
    "mdrfckr\">>.ssh/authorized_keys && chmod -R go= ~/.ssh && cd ~"

static const got_campaign *find_member(const got *g, const char *ip)
{
    for (size_t c = 0; c < g->nc; c++)
        for (size_t m = 0; m < g->c[c].nmembers && m < MAXM; m++)
            if (strcmp(g->c[c].members[m], ip) == 0) return &g->c[c];
    return NULL;
}

/* ---- the tests ------------------------------------------------------------ */

/* A shared file hash joins its sources; an unrelated source stays out; the
 * id is c- and the SHA-256 of "file_hash\0<hash>". */
static void test_marker_join_and_id(void **state)
{
    (void)state;
    evbuf eb = {0};
    download(&eb, "198.51.100.7", T0, "s1", "http://203.0.113.5/a.sh", SHA_A);
    download(&eb, "198.51.100.3", T0 + 10, "s2", "http://203.0.113.9/b.sh", SHA_A);
    download(&eb, "198.51.100.5", T0 + 20, "s3", "http://203.0.113.99/c.sh", SHA_A);
    download(&eb, "192.0.2.44", T0 + 30, "s4", "http://203.0.113.77/d.sh", SHA_B);
    mt_botnet_stats st;
    got *g = run_events(&(mt_botnet_opts){0}, eb.ev, eb.n, &st);
    assert_int_equal(g->nc, 1);
    assert_int_equal(g->c[0].nmembers, 3);
    assert_string_equal(g->c[0].members[0], "198.51.100.3");
    assert_string_equal(g->c[0].members[1], "198.51.100.5");
    assert_string_equal(g->c[0].members[2], "198.51.100.7");
    assert_string_equal(g->c[0].mtype[0], "file_hash");
    assert_string_equal(g->c[0].mvalue[0], SHA_A);
    assert_null(find_member(g, "192.0.2.44"));
    char buf[128], hex[65], want[32];
    size_t n = (size_t)snprintf(buf, sizeof buf, "file_hash%c%s", 0, SHA_A);
    assert_int_equal(mt_digest_hex(MT_DIGEST_SHA256, buf, n, hex), MT_OK);
    snprintf(want, sizeof want, "c-%.16s", hex);
    assert_string_equal(g->c[0].id, want);
    assert_int_equal(st.campaigns, 1);
    assert_int_equal(st.sources, 4);
    assert_int_equal(st.marker_joins, 2);
    assert_int_equal(g->c[0].sessions, 3);
    free(g);
    evbuf_free(&eb);
}

/* The mdrfckr key: an Outlaw mining campaign; min_sources bounds it. */
static void test_outlaw_key_and_min_sources(void **state)
{
    (void)state;
    evbuf eb = {0};
    const char *ips[] = {"203.0.113.1", "203.0.113.2", "203.0.113.3"};
    for (int i = 0; i < 3; i++) {
        char s[16];
        snprintf(s, sizeof s, "k%d", i);
        command(&eb, ips[i], T0 + i, s, "cd ~; chattr -ia .ssh; lockr -ia .ssh");
        command(&eb, ips[i], T0 + i + 1, s, MDRFCKR);
    }
    command(&eb, "203.0.113.50", T0, "z", "uname -a");
    got *g = run_events(&(mt_botnet_opts){.min_sources = 3}, eb.ev, eb.n, NULL);
    assert_int_equal(g->nc, 1);
    assert_int_equal(g->c[0].nmembers, 3);
    assert_int_equal(g->c[0].mining, 1);
    assert_string_equal(g->c[0].family, "outlaw");
    free(g);
    g = run_events(&(mt_botnet_opts){.min_sources = 4}, eb.ev, eb.n, NULL);
    assert_int_equal(g->nc, 0);
    free(g);
    evbuf_free(&eb);
}

/* Credential sets: `shared` of `total` credentials in common with a base
 * set. */
static void cred_set(evbuf *eb, const char *ip, int base, int total, mt_time_us ts)
{
    char u[32], p[32], s[64];
    snprintf(s, sizeof s, "sess-%s", ip);
    for (int i = 0; i < total; i++) {
        snprintf(u, sizeof u, "user%d", base + i);
        snprintf(p, sizeof p, "pw%d!", base + i);
        login(eb, ip, ts + i, s, u, p);
    }
}

static void test_lsh_threshold(void **state)
{
    (void)state;
    unsigned bands, rows;
    bn_lsh_params(0.5, &bands, &rows);
    assert_int_equal(bands, 32);
    assert_int_equal(rows, 2);
    bn_lsh_params(0.9, &bands, &rows);
    assert_int_equal(bands * rows, BN_MH);
    assert_true(rows >= 4);

    evbuf eb = {0};
    /* A and B: 40 credentials, 36 shared: J = 36/44 = 0.82. */
    cred_set(&eb, "198.51.100.10", 0, 40, T0);
    cred_set(&eb, "198.51.100.11", 4, 40, T0);
    /* C: 40 credentials, 8 shared with A: J = 8/72 = 0.11. */
    cred_set(&eb, "198.51.100.12", 32, 40, T0);
    /* D, E: the same 3 credentials, below min_credentials. */
    cred_set(&eb, "198.51.100.13", 1000, 3, T0);
    cred_set(&eb, "198.51.100.14", 1000, 3, T0);
    mt_botnet_stats st;
    got *g = run_events(&(mt_botnet_opts){0}, eb.ev, eb.n, &st);
    assert_int_equal(g->nc, 1);
    assert_int_equal(g->c[0].nmembers, 2);
    assert_string_equal(g->c[0].members[0], "198.51.100.10");
    assert_string_equal(g->c[0].members[1], "198.51.100.11");
    assert_int_equal(g->c[0].mining, 0);
    assert_string_equal(g->c[0].mtype[0], "credential_cluster");
    assert_int_equal(st.similarity_joins, 1);
    assert_int_equal(st.marker_joins, 0);
    free(g);
    /* With a threshold of 0.95 A and B (0.82) stay apart. */
    g = run_events(&(mt_botnet_opts){.jaccard = 0.95}, eb.ev, eb.n, NULL);
    assert_int_equal(g->nc, 0);
    free(g);
    /* With min_credentials 3, D and E (identical sets) join. */
    g = run_events(&(mt_botnet_opts){.min_credentials = 3}, eb.ev, eb.n, NULL);
    assert_int_equal(g->nc, 2);
    assert_non_null(find_member(g, "198.51.100.13"));
    free(g);
    evbuf_free(&eb);
}

/* Pairs at the default threshold: of 20 pairs with J = 0.6 almost all
 * join (the estimate's error is about 0.06), of 20 with J = 0.3 none. */
static void test_lsh_at_and_below(void **state)
{
    (void)state;
    evbuf eb = {0};
    char a[32], c[32];
    for (int i = 0; i < 20; i++) {
        /* 48 credentials each, 36 shared: J = 36/60 = 0.6 */
        snprintf(a, sizeof a, "10.1.%d.1", i);
        snprintf(c, sizeof c, "10.1.%d.2", i);
        cred_set(&eb, a, i * 1000, 48, T0);
        cred_set(&eb, c, i * 1000 + 12, 48, T0);
        /* 40 each, 18 shared: J = 18/62 = 0.29 */
        snprintf(a, sizeof a, "10.2.%d.1", i);
        snprintf(c, sizeof c, "10.2.%d.2", i);
        cred_set(&eb, a, 100000 + i * 1000, 40, T0);
        cred_set(&eb, c, 100000 + i * 1000 + 22, 40, T0);
    }
    got *g = run_events(&(mt_botnet_opts){0}, eb.ev, eb.n, NULL);
    size_t high = 0, low = 0;
    for (size_t k = 0; k < g->nc; k++) {
        assert_int_equal(g->c[k].nmembers, 2);
        if (strncmp(g->c[k].members[0], "10.1.", 5) == 0) high++;
        else low++;
    }
    assert_true(high >= 17);
    assert_int_equal(low, 0);
    free(g);
    evbuf_free(&eb);
}

/* Active members per day, the peak, sessions before and after logins. */
static void test_days_and_sessions(void **state)
{
    (void)state;
    evbuf eb = {0};
    const char *ips[] = {"203.0.113.10", "203.0.113.11", "203.0.113.12"};
    for (int i = 0; i < 3; i++) {
        /* day 0: all three; day 1: the first two; day 3: the first */
        for (int d = 0; d < 4; d++) {
            if (d == 2 || (d == 1 && i == 2) || (d == 3 && i > 0)) continue;
            char s[32];
            snprintf(s, sizeof s, "s-%d-%d", i, d);
            add(&eb, MT_HE_CONNECT, ips[i], T0 + d * DAY_US + 3600000000LL, s);
            download(&eb, ips[i], T0 + d * DAY_US + 3600000001LL, s, "http://203.0.113.200/x", SHA_A);
            /* the same session again, and a login after the download */
            login(&eb, ips[i], T0 + d * DAY_US + 3600000002LL, s, "root", "root");
        }
    }
    got *g = run_events(&(mt_botnet_opts){.want_sources = 1}, eb.ev, eb.n, NULL);
    assert_int_equal(g->nc, 1);
    assert_int_equal(g->c[0].ndays, 3);
    assert_string_equal(g->c[0].days[0], "2023-11-10");
    assert_int_equal(g->c[0].day_count[0], 3);
    assert_string_equal(g->c[0].days[1], "2023-11-11");
    assert_int_equal(g->c[0].day_count[1], 2);
    assert_string_equal(g->c[0].days[2], "2023-11-13");
    assert_int_equal(g->c[0].day_count[2], 1);
    assert_string_equal(g->c[0].peak_day, "2023-11-10");
    assert_int_equal(g->c[0].peak_active, 3);
    assert_int_equal(g->c[0].sessions, 6);
    assert_string_equal(g->c[0].top_cred, "root:root");
    assert_int_equal(g->c[0].top_cred_n, 6);
    /* source records, in address order, with their campaign */
    assert_int_equal(g->nsrc, 3);
    assert_string_equal(g->src_ip[0], "203.0.113.10");
    assert_int_equal(g->src_sessions[0], 3);
    assert_int_equal(g->src_ncampaigns[0], 1);
    free(g);
    evbuf_free(&eb);
}

/* Aggregates without a source: attempts (count field) and days per
 * credential, no source. */
static void test_nosrc_credentials(void **state)
{
    (void)state;
    evbuf eb = {0};
    for (int d = 0; d < 80; d++) {
        mt_honey_event *e = add(&eb, MT_HE_LOGIN_FAILED, NULL, T0 + d * DAY_US, NULL);
        e->user = sp(&eb, "nproc");
        e->pass = sp(&eb, "nproc");
        e->count = 100;
        e = add(&eb, MT_HE_LOGIN_FAILED, NULL, T0 + d * DAY_US + 5, NULL);
        e->user = sp(&eb, "nproc");
        e->pass = sp(&eb, "nproc");
        e->count = 2;
    }
    login(&eb, "198.51.100.1", T0, "x", "root", "1234");
    mt_botnet_stats st;
    got *g = run_events(&(mt_botnet_opts){.want_sources = 1}, eb.ev, eb.n, &st);
    assert_int_equal(g->nc, 0);
    assert_int_equal(g->nsrc, 1);
    assert_int_equal(g->ncred, 2);
    assert_string_equal(g->cred_user[0], "nproc");
    assert_string_equal(g->cred_pass[0], "nproc");
    assert_int_equal(g->cred_days[0], 80);
    assert_int_equal(g->cred_attempts[0], 80 * 102);
    assert_int_equal(g->cred_sources[0], 0);
    assert_int_equal(g->cred_sources[1], 1);
    assert_int_equal(st.events_nosrc, 160);
    free(g);
    evbuf_free(&eb);
}

static int same_campaigns(const got *a, const got *b)
{
    if (a->nc != b->nc) return 0;
    for (size_t i = 0; i < a->nc; i++) {
        const got_campaign *x = &a->c[i], *y = &b->c[i];
        if (strcmp(x->id, y->id) || x->nmembers != y->nmembers || x->sessions != y->sessions ||
            x->events != y->events || x->ndays != y->ndays || x->peak_active != y->peak_active ||
            x->mining != y->mining || strcmp(x->top_cred, y->top_cred))
            return 0;
        for (size_t m = 0; m < x->nmembers && m < MAXM; m++)
            if (strcmp(x->members[m], y->members[m])) return 0;
    }
    return 1;
}

/* The same events in another order give the same campaigns, ids and
 * figures. */
static void test_order_independence(void **state)
{
    (void)state;
    evbuf eb = {0};
    char ip[32], s[32];
    for (int i = 0; i < 12; i++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", 10 + i);
        snprintf(s, sizeof s, "o%d", i);
        if (i < 4) download(&eb, ip, T0 + i * DAY_US, s, "http://203.0.113.1/x", SHA_A);
        else if (i < 6) command(&eb, ip, T0 + i, s, MDRFCKR);
        else cred_set(&eb, ip, i < 9 ? 0 : 500, 30, T0 + (i % 3) * DAY_US);
        login(&eb, ip, T0 + 7, s, "admin", i % 2 ? "admin" : "1234");
    }
    got *ref = run_events(&(mt_botnet_opts){.min_sources = 2}, eb.ev, eb.n, NULL);
    assert_true(ref->nc >= 3);
    assert_true(ref->order_ok);
    assert_int_equal(ref->c[0].mining, 1);
    srand(7);
    for (int round = 0; round < 5; round++) {
        for (size_t i = eb.n - 1; i > 0; i--) {
            size_t j = (size_t)rand() % (i + 1);
            mt_honey_event t = eb.ev[i];
            eb.ev[i] = eb.ev[j];
            eb.ev[j] = t;
        }
        got *g = run_events(&(mt_botnet_opts){.min_sources = 2}, eb.ev, eb.n, NULL);
        assert_true(same_campaigns(ref, g));
        free(g);
    }
    free(ref);
    evbuf_free(&eb);
}

/* Hostile bytes: NULs and a ':' inside user names, unknown passwords,
 * strings over the bounds, an event without any address. */
static void test_hostile_values(void **state)
{
    (void)state;
    evbuf eb = {0};
    static char big[5000];
    memset(big, 'A', sizeof big - 1);
    mt_honey_event *e = add(&eb, MT_HE_LOGIN_FAILED, "198.51.100.1", T0, "h");
    e->user = (mt_span){"a\0b:c", 5};
    e->pass = (mt_span){NULL, 0};
    e = add(&eb, MT_HE_LOGIN_FAILED, "198.51.100.1", T0, "h");
    e->user = (mt_span){"a\0b", 3};
    e->pass = (mt_span){"c", 1};
    e = add(&eb, MT_HE_COMMAND, "198.51.100.1", T0, "h");
    e->text = (mt_span){big, sizeof big - 1};
    e = add(&eb, MT_HE_CLIENT_VERSION, "198.51.100.1", T0, "h");
    e->text = (mt_span){big, sizeof big - 1};
    for (int i = 0; i < 100; i++) {
        char c[32];
        snprintf(c, sizeof c, "echo %d", i);
        command(&eb, "198.51.100.1", T0 + i, "h", c);
    }
    e = add(&eb, MT_HE_LOGIN_FAILED, "198.51.100.9", 0, NULL);
    e->src.family = 0;
    memset(e->src.b, 0, sizeof e->src.b);
    mt_botnet_stats st;
    got *g = run_events(&(mt_botnet_opts){.want_sources = 1}, eb.ev, eb.n, &st);
    assert_int_equal(g->nsrc, 1);
    assert_int_equal(g->src_ncred[0], 2);
    assert_true(st.dropped_lists > 0);
    assert_int_equal(st.events_nosrc, 1);
    assert_true(st.memory > 0);
    free(g);
    evbuf_free(&eb);
}

/* Figures from enrichment: the MaxMind test databases of the corpus, the
 * scan recordings of tests/data/botnet/scans (10.77.0.2: sshd and
 * lighttpd; 10.77.0.3: telnet and a DVR's web server) and Recog. */
static void test_enrichment(void **state)
{
    (void)state;
    const char *corpus = getenv("MT_CORPUS"), *src = getenv("MT_SRC");
    if (!corpus || !src) skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/botnet/mmdb/GeoIP2-Country-Test.mmdb", corpus);
    mt_geoip *geo = mt_geoip_open(path);
    if (!geo) fail_msg("%s", mt_error_msg());
    snprintf(path, sizeof path, "%s/botnet/mmdb/GeoLite2-ASN-Test.mmdb", corpus);
    mt_geoip *asn = mt_geoip_open(path);
    if (!asn) fail_msg("%s", mt_error_msg());
    mt_scanres *scans = mt_scanres_new();
    mt_ingest_stats st;
    memset(&st, 0, sizeof st);
    snprintf(path, sizeof path, "%s/tests/data/botnet/scans/nmap.xml", src);
    assert_int_equal(mt_scanres_load(scans, path, &st), MT_OK);
    mt_recog *recog = mt_recog_new();
    snprintf(path, sizeof path, "%s/botnet/recog", corpus);
    assert_int_equal(mt_recog_load(recog, path), MT_OK);

    evbuf eb = {0};
    const char *ips[] = {"81.2.69.142", "81.2.69.143", "175.16.199.1", "1.128.0.1", "10.77.0.2", "10.77.0.3",
                         "192.0.2.1"};
    for (int i = 0; i < 7; i++) {
        char s[16];
        snprintf(s, sizeof s, "e%d", i);
        download(&eb, ips[i], T0, s, "http://203.0.113.1/x", SHA_A);
    }
    /* an embedded client: IoT without a scan */
    mt_honey_event *e = add(&eb, MT_HE_CLIENT_VERSION, "192.0.2.1", T0, "e6");
    e->text = sp(&eb, "SSH-2.0-dropbear_2019.78");
    got *g = run_events(&(mt_botnet_opts){.geo = geo, .asn = asn, .scans = scans, .recog = recog}, eb.ev, eb.n,
                        NULL);
    assert_int_equal(g->nc, 1);
    const got_campaign *c = &g->c[0];
    assert_int_equal(c->nmembers, 7);
    assert_int_equal(c->ncountries, 2);
    assert_string_equal(c->countries[0], "GB");
    assert_int_equal(c->country_n[0], 2);
    assert_string_equal(c->countries[1], "CN");
    assert_int_equal(c->geo_unknown, 4);
    assert_int_equal(c->nasns, 1);
    assert_string_equal(c->asn0, "AS1221");
    assert_int_equal(c->asn_unknown, 6);
    assert_int_equal(c->scanned, 2);
    assert_int_equal(c->port22_open, 1);
    /* 10.77.0.3 (telnet open, a DVR) and 192.0.2.1 (dropbear) */
    assert_int_equal(c->iot, 2);
    /* the five neither scanned nor with a client version */
    assert_int_equal(c->iot_unknown, 4);
    free(g);
    evbuf_free(&eb);
    mt_recog_free(recog);
    mt_scanres_free(scans);
    mt_geoip_close(geo);
    mt_geoip_close(asn);
}

/* Memory follows sources, not events: fifty times the events from the
 * same sources (repeating what bots repeat: commands, credentials,
 * sessions, days) hold no more memory. */
static size_t memory_for(int rounds)
{
    mt_botnet *b = mt_botnet_new(&(mt_botnet_opts){0});
    mt_honey_event e;
    memset(&e, 0, sizeof e);
    char ip[32], cmd[64], u[32], sess[16];
    for (int r = 0; r < rounds; r++)
        for (int k = 0; k < 10; k++) {
            snprintf(ip, sizeof ip, "198.51.100.%d", k + 1);
            memset(&e, 0, sizeof e);
            assert_int_equal(mt_addr_parse(ip, &e.src), MT_OK);
            e.ts = T0 + (r % 3600) * 1000000LL;
            e.count = 1;
            int n = snprintf(sess, sizeof sess, "s%d", r % 5);
            e.session = (mt_span){sess, (size_t)n};
            e.type = MT_HE_COMMAND;
            n = snprintf(cmd, sizeof cmd, "cat /proc/cpuinfo | grep name | head -n %d", r % 40);
            e.text = (mt_span){cmd, (size_t)n};
            mt_botnet_event(b, &e);
            e.type = MT_HE_LOGIN_FAILED;
            n = snprintf(u, sizeof u, "user%d", r % 100);
            e.user = (mt_span){u, (size_t)n};
            e.pass = (mt_span){"123456", 6};
            mt_botnet_event(b, &e);
        }
    mt_botnet_stats st;
    mt_botnet_stats_get(b, &st);
    assert_int_equal(st.sources, 10);
    mt_botnet_free(b);
    return st.memory;
}

static void test_memory_follows_sources(void **state)
{
    (void)state;
    size_t small = memory_for(1000), big = memory_for(50000);
    if (big > small + small / 4) fail_msg("memory %zu for 1M events, %zu for 20k", big, small);
}

/* A sink that fails stops getting records; the others still get all of
 * them; finish returns the failure. */
static int failing_campaign(mt_botnet_sink *s, const mt_campaign *c)
{
    (void)c;
    (*(int *)s->ctx)++;
    return MT_EIO;
}

static void test_sink_failure(void **state)
{
    (void)state;
    evbuf eb = {0};
    download(&eb, "198.51.100.1", T0, "a", "http://203.0.113.1/x", SHA_A);
    download(&eb, "198.51.100.2", T0, "b", "http://203.0.113.2/x", SHA_A);
    download(&eb, "198.51.100.3", T0, "c", "http://203.0.113.3/y", SHA_B);
    download(&eb, "198.51.100.4", T0, "d", "http://203.0.113.4/y", SHA_B);
    int calls = 0;
    got *g = calloc(1, sizeof *g);
    mt_botnet_sink bad = {.name = "bad", .campaign = failing_campaign, .ctx = &calls};
    mt_botnet_sink good = {.name = "good", .campaign = on_campaign, .flush = on_flush, .ctx = g};
    mt_botnet_sink *sinks[2] = {&bad, &good};
    mt_botnet *b = mt_botnet_new(NULL);
    for (size_t i = 0; i < eb.n; i++) mt_botnet_event(b, &eb.ev[i]);
    assert_int_equal(mt_botnet_finish(b, sinks, 2), MT_EIO);
    assert_int_equal(calls, 1);
    assert_int_equal(g->nc, 2);
    mt_botnet_free(b);
    free(g);
    evbuf_free(&eb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_join_and_id),
        cmocka_unit_test(test_outlaw_key_and_min_sources),
        cmocka_unit_test(test_lsh_threshold),
        cmocka_unit_test(test_lsh_at_and_below),
        cmocka_unit_test(test_days_and_sessions),
        cmocka_unit_test(test_nosrc_credentials),
        cmocka_unit_test(test_order_independence),
        cmocka_unit_test(test_hostile_values),
        cmocka_unit_test(test_enrichment),
        cmocka_unit_test(test_memory_follows_sources),
        cmocka_unit_test(test_sink_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
