/* The botnet study's records in JSON and in the store (issue 9): the JSONL
 * writer (every field, stable key order, attacker bytes escaped so that an
 * independent parser, jansson, reads them back), schema version 4 (a
 * version-3 database migrates; read-only it has no botnet data), storing
 * again replaces (rows and counts exact), and the botnet aggregates on
 * the hand-built records of tests/unit/botnet_fixture.h against the
 * numbers worked out there and against the SQL of docs/STORE.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minetrace/store.h"
#include "store/botnet_json.h"
#include "unit/botnet_fixture.h"
#include "unit/v5_check.h"

static char db[256];

static void unlink_db(const char *p)
{
    char x[300];
    unlink(p);
    snprintf(x, sizeof x, "%s-wal", p);
    unlink(x);
    snprintf(x, sizeof x, "%s-shm", p);
    unlink(x);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/mt_test_store_botnet_%d.db", (int)getpid());
    unlink_db(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink_db(db);
    return 0;
}

static long long scalar(const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) print_message("%s: %s\n", sql, sqlite3_errmsg(h));
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* The rows of a query as one text (for before/after comparisons). */
static char *dump(const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    size_t n = 0, cap = 1;
    char *out = calloc(1, 1);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *t = (const char *)sqlite3_column_text(st, i);
            size_t l = t ? (size_t)sqlite3_column_bytes(st, i) : 4;
            out = realloc(out, cap + l + 2);
            cap += l + 2;
            memcpy(out + n, t ? t : "NULL", l);
            n += l;
            out[n++] = i + 1 < sqlite3_column_count(st) ? '|' : '\n';
        }
        out[n] = '\0';
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static void exec_on(const char *sql)
{
    sqlite3 *h = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) print_message("%s\n", err);
    sqlite3_free(err);
    sqlite3_close(h);
    assert_int_equal(rc, SQLITE_OK);
}

static json_t *parse_line(const char *line, size_t n)
{
    json_error_t e;
    json_t *j = json_loadb(line, n, JSON_REJECT_DUPLICATES, &e);
    if (!j) print_message("jansson: %s (line %d col %d)\n%.*s\n", e.text, e.line, e.column, (int)n, line);
    assert_non_null(j);
    return j;
}

static json_t *member(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!v) print_message("no member %s\n", k);
    assert_non_null(v);
    return v;
}

static long long jint(json_t *o, const char *k)
{
    json_t *v = member(o, k);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = member(o, k);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

/* The object's keys, in order, as "a,b,c" (jansson keeps insertion order). */
static void check_keys(json_t *o, const char *want)
{
    char got[1024] = "";
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (got[0]) strcat(got, ",");
        strcat(got, k);
    }
    assert_string_equal(got, want);
}

#define CAMPAIGN_KEYS                                                                                          \
    "id,mining,family,reason,markers,sources,members,sessions,events,first_seen,last_seen,active_per_day,"    \
    "peak_day,peak_active,countries,geo_unknown,scanned,port22_open,iot,iot_unknown,wallets,pools,downloads," \
    "top_credentials"
#define SOURCE_KEYS                                                                                            \
    "ip,first_seen,last_seen,protocols,sessions,login_failed,login_success,credentials,top_credentials,"      \
    "commands_total,commands,downloads,uploads,keys,client_versions,hassh,country,asn,as_org,port22_open,iot," \
    "device,campaigns"
#define CREDENTIAL_KEYS "username,password,attempts,sources,days,first_seen,last_seen"

static void test_json(void **state)
{
    (void)state;
    mt_campaign c[3];
    bf_campaigns(c);
    mt_buf b;
    mt_buf_init(&b);

    mt_campaign_to_json(&c[0], &b);
    json_t *j = parse_line(b.p, b.len);
    check_keys(j, "timestamp,event_type,campaign");
    assert_string_equal(jstr(j, "timestamp"), "2023-11-15T01:00:00.000000+0000");
    assert_string_equal(jstr(j, "event_type"), "campaign");
    json_t *o = member(j, "campaign");
    check_keys(o, CAMPAIGN_KEYS);
    assert_string_equal(jstr(o, "id"), "c-00000000000000a1");
    assert_true(json_is_true(member(o, "mining")));
    assert_string_equal(jstr(o, "family"), "outlaw");
    assert_int_equal(json_array_size(member(o, "markers")), 2);
    json_t *m = json_array_get(member(o, "markers"), 1);
    check_keys(m, "type,value,sources");
    assert_string_equal(jstr(m, "type"), "key");
    assert_string_equal(jstr(m, "value"), "SHA256:XqGq8dD+abcdef mdrfckr");
    assert_int_equal(jint(m, "sources"), 3);
    assert_int_equal(jint(o, "sources"), 3);
    assert_int_equal(json_array_size(member(o, "members")), 3);
    assert_string_equal(json_string_value(json_array_get(member(o, "members"), 2)), "3.3.3.3");
    assert_int_equal(jint(o, "sessions"), 10);
    assert_int_equal(jint(o, "events"), 100);
    assert_string_equal(jstr(o, "last_seen"), "2023-11-16T23:00:00.000000+0000");
    check_keys(member(o, "active_per_day"), "2023-11-15,2023-11-16");
    assert_int_equal(jint(member(o, "active_per_day"), "2023-11-16"), 3);
    assert_string_equal(jstr(o, "peak_day"), "2023-11-16");
    assert_int_equal(jint(o, "peak_active"), 3);
    assert_int_equal(jint(member(o, "countries"), "CN"), 2);
    assert_int_equal(jint(o, "scanned"), 2);
    assert_int_equal(jint(o, "port22_open"), 1);
    assert_int_equal(jint(o, "iot"), 1);
    assert_int_equal(jint(o, "iot_unknown"), 1);
    assert_int_equal(jint(o, "geo_unknown"), 0);
    assert_string_equal(json_string_value(json_array_get(member(o, "pools"), 0)), "pool.supportxmr.com:443");
    assert_int_equal(json_array_size(member(o, "wallets")), 1);
    json_t *tc = json_array_get(member(o, "top_credentials"), 0);
    check_keys(tc, "credential,attempts");
    assert_string_equal(jstr(tc, "credential"), "root:root");
    assert_int_equal(jint(tc, "attempts"), 5);
    json_decref(j);

    /* Hostile text in a campaign: parsed back as the bytes, invalid UTF-8
     * as U+FFFD, nothing raw in the line (no newline, no ESC, no C0). */
    mt_buf_reset(&b);
    mt_campaign_to_json(&c[1], &b);
    for (size_t i = 0; i < b.len; i++) assert_true((unsigned char)b.p[i] >= 0x20);
    j = parse_line(b.p, b.len);
    o = member(j, "campaign");
    assert_string_equal(jstr(o, "reason"), "xmrig in " BF_HOSTILE_DECODED);
    assert_string_equal(jstr(json_array_get(member(o, "markers"), 0), "value"), BF_HOSTILE_DECODED);
    assert_string_equal(json_string_value(json_array_get(member(o, "downloads"), 0)),
                        "http://198.51.100.9/" BF_HOSTILE_DECODED);
    assert_string_equal(jstr(json_array_get(member(o, "top_credentials"), 0), "credential"),
                        BF_USER_HOSTILE ":" BF_PASS_HOSTILE);
    assert_int_equal(json_array_size(member(o, "wallets")), 0);
    json_decref(j);

    /* Unknown times are null; the family of an engine that left it empty is "unknown". */
    mt_campaign z = c[2];
    z.first_seen = z.last_seen = 0;
    z.family = NULL;
    z.peak_day = "";
    mt_buf_reset(&b);
    mt_campaign_to_json(&z, &b);
    j = parse_line(b.p, b.len);
    o = member(j, "campaign");
    assert_true(json_is_null(member(o, "first_seen")));
    assert_string_equal(jstr(o, "family"), "unknown");
    assert_true(json_is_false(member(o, "mining")));
    json_decref(j);

    mt_botsource s[2];
    bf_sources(s);
    mt_buf_reset(&b);
    mt_botsource_to_json(&s[0], &b);
    j = parse_line(b.p, b.len);
    check_keys(j, "timestamp,event_type,source");
    assert_string_equal(jstr(j, "event_type"), "source");
    o = member(j, "source");
    check_keys(o, SOURCE_KEYS);
    assert_string_equal(jstr(o, "ip"), "1.1.1.1");
    assert_int_equal(json_array_size(member(o, "protocols")), 2);
    assert_string_equal(json_string_value(json_array_get(member(o, "protocols"), 1)), "telnet");
    assert_int_equal(jint(o, "login_failed"), 3);
    assert_int_equal(jint(o, "login_success"), 1);
    assert_int_equal(jint(o, "credentials"), 2);
    assert_int_equal(jint(o, "commands_total"), 7);
    assert_string_equal(json_string_value(json_array_get(member(o, "commands"), 1)), "echo " BF_HOSTILE_DECODED);
    assert_string_equal(jstr(o, "as_org"), "Chinanet " BF_HOSTILE_DECODED);
    assert_int_equal(jint(o, "asn"), 4134);
    assert_true(json_is_true(member(o, "port22_open")));
    assert_true(json_is_null(member(o, "iot")));
    assert_string_equal(json_string_value(json_array_get(member(o, "campaigns"), 0)), "c-00000000000000a1");
    json_decref(j);
    mt_buf_reset(&b);
    mt_botsource_to_json(&s[1], &b);
    j = parse_line(b.p, b.len);
    o = member(j, "source");
    assert_string_equal(jstr(o, "ip"), "2001:db8::1");
    assert_true(json_is_null(member(o, "port22_open")));
    assert_true(json_is_false(member(o, "iot")));
    assert_int_equal(json_array_size(member(o, "campaigns")), 0);
    json_decref(j);

    mt_credstat cr[4];
    bf_credentials(cr);
    mt_buf_reset(&b);
    mt_credstat_to_json(&cr[2], &b);
    j = parse_line(b.p, b.len);
    assert_string_equal(jstr(j, "event_type"), "credential");
    o = member(j, "credential");
    check_keys(o, CREDENTIAL_KEYS);
    assert_string_equal(jstr(o, "username"), BF_USER_HOSTILE);
    assert_string_equal(jstr(o, "password"), BF_PASS_HOSTILE);
    assert_int_equal(jint(o, "attempts"), 10);
    assert_int_equal(jint(o, "days"), 1);
    json_decref(j);

    /* Every byte value in a field: still one parseable line. */
    char all[256];
    for (int i = 0; i < 255; i++) all[i] = (char)(i + 1);
    all[255] = '\0';
    mt_credstat h = {all, all + 100, 1, 1, 1, 1, 2};
    mt_buf_reset(&b);
    mt_credstat_to_json(&h, &b);
    assert_null(memchr(b.p, '\n', b.len));
    json_decref(parse_line(b.p, b.len));
    mt_buf_free(&b);
}

/* The JSONL sink: one line per record, in the order given. */
static void test_jsonl_sink(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    mt_botnet_sink *k = mt_botnet_sink_jsonl_new(f, 0);
    mt_campaign c[3];
    mt_botsource s[2];
    mt_credstat cr[4];
    bf_campaigns(c);
    bf_sources(s);
    bf_credentials(cr);
    for (int i = 0; i < 3; i++) assert_int_equal(k->campaign(k, &c[i]), MT_OK);
    for (int i = 0; i < 2; i++) assert_int_equal(k->source(k, &s[i]), MT_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(k->credential(k, &cr[i]), MT_OK);
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lines = 0;
    static const char *const types[] = {"campaign", "campaign", "campaign", "source", "source",
                                        "credential", "credential", "credential", "credential"};
    while ((n = getline(&line, &cap, f)) > 0) {
        assert_true(lines < 9);
        assert_int_equal(line[n - 1], '\n');
        json_t *j = parse_line(line, (size_t)n - 1);
        assert_string_equal(jstr(j, "event_type"), types[lines]);
        json_decref(j);
        lines++;
    }
    assert_int_equal(lines, 9);
    free(line);
    fclose(f);
}

static void put_all(mt_store *s)
{
    mt_campaign c[3];
    mt_botsource src[2];
    mt_credstat cr[4];
    bf_campaigns(c);
    bf_sources(src);
    bf_credentials(cr);
    for (int i = 0; i < 3; i++) assert_int_equal(mt_store_put_campaign(s, &c[i]), MT_OK);
    for (int i = 0; i < 2; i++) assert_int_equal(mt_store_put_botsource(s, &src[i]), MT_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(mt_store_put_credstat(s, &cr[i]), MT_OK);
}

#define ALL_ROWS                                                                                           \
    "SELECT 'c', sensor, campaign, mining, family, reason, first_seen, last_seen, sources, sessions, events,"  \
    " peak_day, peak_active, scanned, port22_open, iot, iot_unknown, geo_unknown, marker_type, marker, record" \
    " FROM campaigns UNION ALL SELECT 'd', sensor, campaign, day, active, '', '', '', '', '', '', '', '', '', '',"\
    " '', '', '', '', '', '' FROM campaign_days UNION ALL SELECT 'k', sensor, campaign, country, sources, '', '', "\
    "'', '', '', '', '', '', '', '', '', '', '', '', '', '' FROM campaign_countries UNION ALL SELECT 'm', sensor,"\
    " campaign, ip, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '' FROM campaign_members"     \
    " UNION ALL SELECT 's', sensor, ip, sessions, port22_open, iot, campaigns, record, '', '', '', '', '', '', '',"\
    " '', '', '', '', '', '' FROM botnet_sources UNION ALL SELECT 'r', sensor, username, password, attempts,"    \
    " sources, days, first_seen, last_seen, '', '', '', '', '', '', '', '', '', '', '', '' FROM credentials"      \
    " ORDER BY 1, 2, 3, 4"

/* Storing the same records again (a re-run) leaves exactly the same rows;
 * storing a changed campaign replaces it and its day, country and member
 * rows. */
static void test_put_replace(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_botnet_present(s), 0);
    put_all(s);
    assert_int_equal(mt_store_commit(s), MT_OK);
    assert_int_equal(mt_store_botnet_present(s), 1);
    char *first = dump(ALL_ROWS);
    assert_int_equal(scalar("SELECT count(*) FROM campaigns"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_members"), 10);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_days"), 5);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_countries"), 4);
    assert_int_equal(scalar("SELECT count(*) FROM botnet_sources"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM credentials"), 4);
    assert_int_equal(scalar("SELECT count(*) FROM findings"), 0);
    uint64_t nn, nd;
    mt_store_counts(s, &nn, &nd);
    assert_int_equal(nn + nd, 0); /* records are not findings */
    put_all(s);
    put_all(s);
    assert_int_equal(mt_store_commit(s), MT_OK);
    char *again = dump(ALL_ROWS);
    assert_string_equal(first, again);
    free(again);

    /* A later run concludes A with two members and other days. */
    mt_campaign c[3];
    bf_campaigns(c);
    static const mt_count_item days[] = {{"2023-11-20", 2}};
    c[0].nmembers = 2;
    c[0].active_per_day = days;
    c[0].ndays = 1;
    c[0].ncountries = 1;
    c[0].mining = 0;
    assert_int_equal(mt_store_put_campaign(s, &c[0]), MT_OK);
    mt_credstat cr[4];
    bf_credentials(cr);
    cr[0].attempts = 51;
    assert_int_equal(mt_store_put_credstat(s, &cr[0]), MT_OK);
    mt_store_close(s);
    assert_int_equal(scalar("SELECT count(*) FROM campaigns"), 3);
    assert_int_equal(scalar("SELECT mining FROM campaigns WHERE campaign = 'c-00000000000000a1'"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_members WHERE campaign = 'c-00000000000000a1'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_members"), 9);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_days WHERE campaign = 'c-00000000000000a1'"), 1);
    assert_int_equal(scalar("SELECT day FROM campaign_days WHERE campaign = 'c-00000000000000a1'"), 19681);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_countries WHERE campaign = 'c-00000000000000a1'"), 1);
    assert_int_equal(scalar("SELECT attempts FROM credentials WHERE username = 'root'"), 51);
    assert_int_equal(scalar("SELECT count(*) FROM credentials"), 4);
    /* The stored record is the new one. */
    char *rec = dump("SELECT record FROM campaigns WHERE campaign = 'c-00000000000000a1'");
    json_t *j = parse_line(rec, strlen(rec) - 1);
    assert_int_equal(jint(member(j, "campaign"), "sources"), 2);
    assert_true(json_is_false(member(member(j, "campaign"), "mining")));
    json_decref(j);
    free(rec);
    free(first);
}

static void summary(mt_time_us from, mt_time_us to, size_t top, mt_store_botnet_summary *b)
{
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db, &ro);
    assert_non_null(s);
    mt_store_botnet_query q = {from, to, top, top, top, {NULL, 0}};
    assert_int_equal(mt_store_botnet_summary_get(s, &q, b), MT_OK);
    mt_store_close(s);
}

static void test_summary(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    put_all(s);
    mt_store_close(s);

    mt_store_botnet_summary b;
    summary(0, 0, 0, &b);
    assert_int_equal(b.campaigns, 3);
    assert_int_equal(b.mining_campaigns, 2);
    assert_int_equal(b.zombies, 4);
    assert_int_equal(b.members, 5);
    assert_int_equal(b.botnet_sources, 2);
    assert_int_equal(b.nrows, 3);
    assert_string_equal(b.rows[0].id, "c-00000000000000a1");
    assert_string_equal(b.rows[1].id, "c-00000000000000b2");
    assert_string_equal(b.rows[2].id, "c-00000000000000c3");
    assert_int_equal(b.rows[0].mining, 1);
    assert_int_equal(b.rows[2].mining, 0);
    assert_string_equal(b.rows[0].marker_type, "key"); /* carried by most members */
    assert_string_equal(b.rows[0].marker, "SHA256:XqGq8dD+abcdef mdrfckr");
    assert_string_equal(b.rows[0].family, "outlaw");
    assert_int_equal(b.rows[0].first_seen, BF_T(15, 1));
    assert_int_equal(b.rows[0].sessions, 10);
    assert_string_equal(b.rows[1].peak_day, "2023-11-18");
    /* Attacker bytes come back as stored. */
    assert_string_equal(b.rows[1].reason, "xmrig in " BF_HOSTILE);
    assert_string_equal(b.rows[1].marker, BF_HOSTILE);
    /* Days of the mining campaigns, summed. */
    assert_int_equal(b.ndays, 3);
    assert_int_equal(b.days[0].day, 19676);
    assert_int_equal(b.days[0].active, 2);
    assert_int_equal(b.days[1].day, 19677);
    assert_int_equal(b.days[1].active, 4);
    assert_int_equal(b.days[2].day, 19679);
    assert_int_equal(b.days[2].active, 2);
    assert_int_equal(b.peak_day, 19677);
    assert_int_equal(b.peak_active, 4);
    assert_int_equal(b.ncountries, 2);
    assert_int_equal(b.distinct_countries, 2);
    assert_string_equal(b.countries[0].code, "CN");
    assert_int_equal(b.countries[0].sources, 3);
    assert_string_equal(b.countries[1].code, "US");
    assert_int_equal(b.countries[1].sources, 1);
    assert_int_equal(b.geo_unknown, 1);
    assert_int_equal(b.scanned, 4);
    assert_int_equal(b.port22_open, 3);
    assert_int_equal(b.iot, 1);
    assert_int_equal(b.iot_unknown, 3);
    assert_int_equal(b.distinct_credentials, 4);
    assert_int_equal(b.ncredentials, 4);
    assert_string_equal(b.credentials[0].username, "nproc");
    assert_int_equal(b.credentials[0].attempts, 80);
    assert_int_equal(b.credentials[0].days, 80);
    assert_string_equal(b.credentials[1].username, "root");
    assert_string_equal(b.credentials[2].username, "admin"); /* 10 attempts, 2 sources */
    assert_string_equal(b.credentials[2].password, "");
    assert_string_equal(b.credentials[3].username, BF_USER_HOSTILE);
    assert_string_equal(b.credentials[3].password, BF_PASS_HOSTILE);
    /* The same numbers by the SQL of docs/STORE.md. */
    assert_int_equal(scalar("SELECT count(DISTINCT m.ip) FROM campaign_members m JOIN campaigns c"
                            " ON c.sensor = m.sensor AND c.campaign = m.campaign WHERE c.mining = 1"),
                     b.zombies);
    assert_int_equal(scalar("SELECT max(a) FROM (SELECT sum(d.active) AS a FROM campaign_days d JOIN campaigns c"
                            " ON c.sensor = d.sensor AND c.campaign = d.campaign WHERE c.mining = 1"
                            " GROUP BY d.day)"),
                     b.peak_active);
    assert_int_equal(scalar("SELECT sum(port22_open) FROM campaigns WHERE mining = 1"), b.port22_open);
    mt_store_botnet_summary_free(&b);

    /* Top N: the rows are cut, the totals are not. */
    summary(0, 0, 1, &b);
    assert_int_equal(b.nrows, 1);
    assert_int_equal(b.campaigns, 3);
    assert_int_equal(b.ncountries, 1);
    assert_int_equal(b.distinct_countries, 2);
    assert_int_equal(b.ncredentials, 1);
    assert_int_equal(b.distinct_credentials, 4);
    mt_store_botnet_summary_free(&b);

    /* A range: from 2023-11-17 on only B is active (A ended on the 16th,
     * C too); its day of the 16th is outside. */
    summary(BF_T(17, 0), INT64_MAX, 0, &b);
    assert_int_equal(b.campaigns, 1);
    assert_int_equal(b.mining_campaigns, 1);
    assert_int_equal(b.zombies, 2);
    assert_int_equal(b.ndays, 1);
    assert_int_equal(b.days[0].day, 19679);
    assert_int_equal(b.peak_day, 19679);
    assert_int_equal(b.distinct_credentials, 2); /* nproc (to the 18th), admin (the 17th) */
    assert_int_equal(b.botnet_sources, 1);
    mt_store_botnet_summary_free(&b);

    /* A second sensor storing the same campaign id and credential keeps its
     * own rows; the zombies stay distinct addresses, attempts add up. */
    mt_store_opts o2 = {MT_STORE_CREATE, "honeypot-2"};
    s = mt_store_open(db, &o2);
    assert_non_null(s);
    mt_campaign c[3];
    bf_campaigns(c);
    assert_int_equal(mt_store_put_campaign(s, &c[0]), MT_OK);
    mt_credstat cr[4];
    bf_credentials(cr);
    cr[1].attempts = 5;
    assert_int_equal(mt_store_put_credstat(s, &cr[1]), MT_OK);
    mt_store_close(s);
    summary(0, 0, 0, &b);
    assert_int_equal(b.campaigns, 4);
    assert_int_equal(b.zombies, 4);
    assert_int_equal(b.members, 8);
    assert_int_equal(b.distinct_credentials, 4);
    assert_string_equal(b.credentials[0].username, "nproc");
    assert_int_equal(b.credentials[0].attempts, 85);
    assert_string_equal(b.rows[0].id, "c-00000000000000a1");
    assert_string_equal(b.rows[1].id, "c-00000000000000a1");
    assert_true(strcmp(b.rows[0].sensor, b.rows[1].sensor) != 0);
    mt_store_botnet_summary_free(&b);
}

/* The store sink stores what the engine hands it and commits on close. */
static void test_store_sink(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_botnet_sink *k = mt_store_botnet_sink_new(s, 1);
    assert_string_equal(k->name, "store");
    mt_campaign c[3];
    mt_botsource src[2];
    mt_credstat cr[4];
    bf_campaigns(c);
    bf_sources(src);
    bf_credentials(cr);
    for (int i = 0; i < 3; i++) assert_int_equal(k->campaign(k, &c[i]), MT_OK);
    assert_int_equal(k->source(k, &src[0]), MT_OK);
    assert_int_equal(k->credential(k, &cr[0]), MT_OK);
    assert_int_equal(k->flush(k), MT_OK);
    k->close(k);
    assert_int_equal(scalar("SELECT count(*) FROM campaigns"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM botnet_sources"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM credentials"), 1);
    assert_int_equal(scalar("SELECT port22_open FROM botnet_sources"), 1);
    assert_int_equal(scalar("SELECT iot IS NULL FROM botnet_sources"), 1);
    char *rec = dump("SELECT record FROM botnet_sources");
    json_t *j = parse_line(rec, strlen(rec) - 1);
    assert_string_equal(jstr(member(j, "source"), "as_org"), "Chinanet " BF_HOSTILE_DECODED);
    json_decref(j);
    free(rec);
}

/* Bad records: a day that is not a date, a campaign without an id, a
 * source without an address: a message, nothing stored. Read-only: no
 * writes. */
static void test_bad_records(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_campaign c[3];
    bf_campaigns(c);
    static const mt_count_item bad[] = {{"2023-11-16", 1}, {"2023-02-29", 1}};
    c[0].active_per_day = bad;
    assert_int_equal(mt_store_put_campaign(s, &c[0]), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "campaign c-00000000000000a1: day '2023-02-29' is not YYYY-MM-DD"));
    c[1].id[0] = '\0';
    assert_int_equal(mt_store_put_campaign(s, &c[1]), MT_EINVAL);
    mt_botsource src[2];
    bf_sources(src);
    src[0].ip[0] = '\0';
    assert_int_equal(mt_store_put_botsource(s, &src[0]), MT_EINVAL);
    mt_store_close(s);
    assert_int_equal(scalar("SELECT count(*) FROM campaigns"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM campaign_days"), 0);
    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    s = mt_store_open(db, &ro);
    assert_non_null(s);
    bf_campaigns(c);
    assert_true(mt_store_put_campaign(s, &c[0]) < 0);
    mt_credstat cr[4];
    bf_credentials(cr);
    assert_true(mt_store_put_credstat(s, &cr[0]) < 0);
    assert_int_equal(mt_store_botnet_present(s), 0);
    mt_store_close(s);
}

/* A version-3 database (tests/data/store-v2.db brought to version 3 by
 * the statements minetrace 3 ran, schema_v3): read-only it has no botnet
 * data; a writable open migrates it to 4 keeping every row. */
static void test_migrate_v3(void **state)
{
    (void)state;
    const char *src = getenv("MT_SRC");
    char from[512];
    snprintf(from, sizeof from, "%s/tests/data/store-v2.db", src ? src : ".");
    FILE *in = fopen(from, "rb"), *out = fopen(db, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
    exec_on("BEGIN;"
            "CREATE TABLE IF NOT EXISTS web_findings( id INTEGER PRIMARY KEY, uid INTEGER UNIQUE NOT NULL,"
            " ts INTEGER NOT NULL, day INTEGER NOT NULL, domain TEXT NOT NULL, url TEXT NOT NULL,"
            " resource TEXT NOT NULL, rank INTEGER, category TEXT NOT NULL, provider TEXT NOT NULL,"
            " site_key TEXT NOT NULL, kind TEXT NOT NULL, confidence INTEGER NOT NULL, evidence TEXT NOT NULL,"
            " sensor TEXT NOT NULL DEFAULT '');"
            "CREATE INDEX IF NOT EXISTS web_findings_ts ON web_findings(ts);"
            "CREATE INDEX IF NOT EXISTS web_findings_domain ON web_findings(domain);"
            "CREATE INDEX IF NOT EXISTS web_findings_key ON web_findings(site_key);"
            "UPDATE meta SET value = '3' WHERE key = 'schema_version';"
            "INSERT INTO web_findings(uid, ts, day, domain, url, resource, rank, category, provider, site_key,"
            " kind, confidence, evidence) VALUES(1, 1517336012000000, 17561, 'example.com',"
            " 'https://example.com/', '', 48213, 'news', 'coinhive', 'k', 'api', 95, 'CoinHive.Anonymous');"
            "PRAGMA user_version = 3; COMMIT;");
    char *web_before = dump("SELECT * FROM web_findings ORDER BY id");
    /* A copy at version 3, to check the findings the migration keeps. */
    char old[300];
    snprintf(old, sizeof old, "%s.v3", db);
    {
        FILE *i3 = fopen(db, "rb"), *o3 = fopen(old, "wb");
        assert_non_null(i3);
        assert_non_null(o3);
        while ((n = fread(buf, 1, sizeof buf, i3)) > 0) assert_int_equal(fwrite(buf, 1, n, o3), n);
        fclose(i3);
        fclose(o3);
    }

    mt_store_opts ro = {MT_STORE_READONLY, NULL};
    mt_store *s = mt_store_open(db, &ro);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 3);
    assert_int_equal(mt_store_botnet_present(s), 0);
    assert_int_equal(mt_store_web_present(s), 1);
    mt_store_botnet_summary b;
    mt_store_botnet_query q = {0, 0, 10, 10, 10, {NULL, 0}};
    assert_int_equal(mt_store_botnet_summary_get(s, &q, &b), MT_OK);
    assert_int_equal(b.campaigns, 0);
    assert_int_equal(b.nrows, 0);
    assert_int_equal(b.ndays, 0);
    assert_int_equal(b.peak_day, -1);
    mt_store_botnet_summary_free(&b);
    mt_store_close(s);
    assert_int_equal(scalar("PRAGMA user_version"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM sqlite_master WHERE name = 'campaigns'"), 0);

    s = mt_store_open(db, NULL);
    assert_non_null(s);
    assert_int_equal(mt_store_schema_version(s), 6);
    assert_int_equal(mt_store_botnet_present(s), 0);
    put_all(s);
    mt_store_close(s);
    assert_int_equal(scalar("PRAGMA user_version"), 6);
    assert_int_equal(scalar("SELECT value FROM meta WHERE key = 'schema_version'"), 6);
    char *web_after = dump("SELECT * FROM web_findings ORDER BY id");
    assert_string_equal(web_before, web_after);
    long long kept = v5_check_rows(old, db); /* version 5: one row per identity */
    assert_true(kept > 0 && kept <= 30);
    unlink(old);
    assert_int_equal(scalar("SELECT count(*) FROM campaigns"), 3);
    char *ok = dump("PRAGMA integrity_check");
    assert_string_equal(ok, "ok\n");
    free(ok);
    free(web_before);
    free(web_after);

    /* A migration from 3 that fails (a table of that name in the way)
     * changes nothing. */
    unlink_db(db);
    in = fopen(from, "rb");
    out = fopen(db, "wb");
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
    exec_on("CREATE TABLE web_findings(id INTEGER PRIMARY KEY, ts, domain, site_key);"
            "CREATE TABLE campaign_members(x); PRAGMA user_version = 3;");
    assert_null(mt_store_open(db, NULL));
    assert_non_null(strstr(mt_error_msg(), "migrating the schema from version 3 to 6 failed"));
    assert_int_equal(scalar("PRAGMA user_version"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM sqlite_master WHERE name = 'campaigns'"), 0);
}

/* Daily aggregates give credentials without sources: botnet data all the
 * same, with no campaign. */
static void test_credentials_only(void **state)
{
    (void)state;
    mt_store *s = mt_store_open(db, NULL);
    assert_non_null(s);
    mt_credstat cr[4];
    bf_credentials(cr);
    assert_int_equal(mt_store_put_credstat(s, &cr[1]), MT_OK);
    mt_store_commit(s);
    assert_int_equal(mt_store_botnet_present(s), 1);
    mt_store_close(s);
    mt_store_botnet_summary b;
    summary(0, 0, 0, &b);
    assert_int_equal(b.campaigns, 0);
    assert_int_equal(b.ndays, 0);
    assert_int_equal(b.peak_day, -1);
    assert_int_equal(b.ncredentials, 1);
    assert_string_equal(b.credentials[0].password, "nproc");
    assert_int_equal(b.credentials[0].days, 80);
    mt_store_botnet_summary_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_jsonl_sink),
        cmocka_unit_test_setup_teardown(test_put_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_sink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
