/* Tests for the OpenSSH auth-log reader (src/ingest/authlog.c), called
 * through its reader struct as the dispatcher calls it (probe, begin, line,
 * end), on the fixtures of tests/data/botnet/authlog/:
 *   auth.log, auth-iso.log   recorded by record.sh from a real sshd (OpenSSH
 *                            9.2, LogLevel VERBOSE, PAM) attacked by real ssh
 *                            clients, written by rsyslog in its traditional
 *                            and its high-precision ISO form at once
 *   auth-info.log            the same attacks on the same sshd at the default
 *                            LogLevel INFO without PAM, where rsyslog folds one
 *                            connection's repeated failures into "message
 *                            repeated N times"
 *   journal-short.log, journal-short-iso.log, rollover.log, hostile.log
 *                            hand-written from the documented formats
 *                            (journalctl short / short-iso, rsyslog's
 *                            "message repeated", a year's end, hostile lines)
 * with exact counts per line kind and per event type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "ingest/authlog.h"
#include "ingest/honey_reader.h"
#include "util/linereader.h"

static const mt_honey_reader *R = &mt_honey_reader_authlog;

#define MAXEV 64

typedef struct rec {
    mt_honey_type type;
    mt_time_us ts;
    char ip[MT_ADDR_STRLEN];
    uint16_t src_port, dst_port;
    uint32_t count;
    int pass_null;
    char session[16], sensor[32], user[64], key[96], text[32];
} rec;

typedef struct run {
    int n;
    rec ev[MAXEV];
    int used, unknown, malformed, lines;
    char unk_names[16][48];
    int unk_counts[16], nunk;
    int malformed_lines[16], nmal;
} run;

static void span_cpy(char *dst, size_t cap, mt_span s) { mt_memlcpy(dst, cap, s.p, s.n); }

static void on_event(void *ctx, const mt_honey_event *ev)
{
    run *r = ctx;
    if (r->n >= MAXEV) fail();
    rec *x = &r->ev[r->n++];
    memset(x, 0, sizeof *x);
    x->type = ev->type;
    x->ts = ev->ts;
    mt_addr_to_str(&ev->src, x->ip, sizeof x->ip);
    x->src_port = ev->src_port;
    x->dst_port = ev->dst_port;
    x->count = ev->count;
    x->pass_null = ev->pass.p == NULL;
    span_cpy(x->session, sizeof x->session, ev->session);
    span_cpy(x->sensor, sizeof x->sensor, ev->sensor);
    span_cpy(x->user, sizeof x->user, ev->user);
    span_cpy(x->key, sizeof x->key, ev->key);
    span_cpy(x->text, sizeof x->text, ev->text);
    assert_int_equal(ev->protocol, MT_HP_SSH);
    assert_true(ev->count >= 1);
    assert_int_equal(ev->duration_ms, -1);
}

/* One line through the reader, from an exact-size copy (nothing past n). */
static int feed(void *st, run *r, const char *line, size_t n)
{
    mt_honey_sink to = {on_event, r};
    char unk[48] = "";
    char *copy = malloc(n ? n : 1);
    memcpy(copy, line, n);
    int rc = R->line(st, copy, n, &to, unk, sizeof unk);
    free(copy);
    r->lines++;
    if (rc == MT_OK) r->used++;
    else if (rc == MT_EINVAL) {
        r->malformed++;
        if (r->nmal < 16) r->malformed_lines[r->nmal++] = r->lines;
    } else {
        assert_int_equal(rc, MT_ENOTFOUND);
        assert_true(unk[0] != '\0');
        r->unknown++;
        int i;
        for (i = 0; i < r->nunk; i++)
            if (strcmp(r->unk_names[i], unk) == 0) break;
        if (i == r->nunk && r->nunk < 16) mt_strlcpy(r->unk_names[r->nunk++], unk, 48);
        if (i < 16) r->unk_counts[i]++;
    }
    return rc;
}

static const char *fixture(const char *name)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    const char *src = getenv("MT_SRC");
    snprintf(p[k], sizeof p[k], "%s/tests/data/botnet/authlog/%s", src ? src : ".", name);
    return p[k];
}

/* A whole file through begin/line/end; year 0 = infer. */
static int read_file(const char *path, int year, run *r)
{
    memset(r, 0, sizeof *r);
    mt_honey_opts o;
    memset(&o, 0, sizeof o);
    o.year = year;
    void *st = R->begin(path, &o);
    assert_non_null(st);
    int start = mt_authlog_start_year(st);
    mt_linereader *lr = mt_lr_open(path, 0);
    assert_non_null(lr);
    char *line;
    size_t len;
    int too_long;
    while (mt_lr_next(lr, &line, &len, &too_long) == 1) feed(st, r, line, len);
    mt_lr_close(lr);
    R->end(st);
    return start;
}

static int count_type(const run *r, mt_honey_type t)
{
    int n = 0;
    for (int i = 0; i < r->n; i++) n += r->ev[i].type == t;
    return n;
}

static int unk_count(const run *r, const char *name)
{
    for (int i = 0; i < r->nunk; i++)
        if (strcmp(r->unk_names[i], name) == 0) return r->unk_counts[i];
    return 0;
}

static const rec *nth(const run *r, mt_honey_type t, int k)
{
    for (int i = 0; i < r->n; i++)
        if (r->ev[i].type == t && k-- == 0) return &r->ev[i];
    fail();
    return NULL;
}

static mt_time_us utc(int y, int mo, int d, int h, int mi, int s)
{
    return (mt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600LL + mi * 60LL + s) *
           1000000;
}

static int distinct_sessions(const run *r)
{
    char sess[MAXEV][16];
    int ns = 0;
    for (int i = 0; i < r->n; i++) {
        int j;
        for (j = 0; j < ns; j++)
            if (strcmp(sess[j], r->ev[i].session) == 0) break;
        if (j == ns) mt_strlcpy(sess[ns++], r->ev[i].session, 16);
    }
    return ns;
}

/* ---- the recording ----------------------------------------------------------- */

static void check_recording(const run *r)
{
    assert_int_equal(r->lines, 75);
    assert_int_equal(r->malformed, 0);
    assert_int_equal(r->used, 52);
    assert_int_equal(r->unknown, 23);
    assert_int_equal(unk_count(r, "sshd: pam"), 16);  /* pam_unix(sshd:auth|session) */
    assert_int_equal(unk_count(r, "sshd: other"), 7); /* listening, kex errors, session lines */
    assert_int_equal(r->n, 38);
    assert_int_equal(count_type(r, MT_HE_CONNECT), 12);
    assert_int_equal(count_type(r, MT_HE_CLOSED), 12); /* one per connection */
    assert_int_equal(count_type(r, MT_HE_LOGIN_FAILED), 11);
    assert_int_equal(count_type(r, MT_HE_LOGIN_SUCCESS), 2);
    assert_int_equal(count_type(r, MT_HE_KEY_OFFERED), 1);
    /* Sessions: each connection's pid; a session child's lines report
     * under its parent (the CLOSED of a logged-in session). */
    assert_int_equal(distinct_sessions(r), 12);
    for (int i = 0; i < r->n; i++) {
        assert_string_equal(r->ev[i].sensor, "vm");
        assert_int_equal(r->ev[i].count, 1);
        if (r->ev[i].type == MT_HE_LOGIN_FAILED || r->ev[i].type == MT_HE_LOGIN_SUCCESS)
            assert_true(r->ev[i].pass_null);
    }
    /* attack 1: failed password, existing user */
    const rec *f = nth(r, MT_HE_LOGIN_FAILED, 0);
    assert_string_equal(f->user, "mtvictim");
    assert_string_equal(f->ip, "10.213.0.1");
    /* 2, 3: non-existent users, one with a space */
    assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, 1)->user, "admin");
    assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, 1)->ip, "10.213.0.5");
    assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, 2)->user, "oracle test");
    /* 4: three failures of one connection, then the disconnect */
    for (int k = 3; k < 6; k++) {
        assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, k)->user, "mtvictim");
        assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, k)->session, nth(r, MT_HE_LOGIN_FAILED, 3)->session);
    }
    for (int k = 6; k < 9; k++) assert_string_equal(nth(r, MT_HE_LOGIN_FAILED, k)->user, "test");
    /* 6, 7: password and publickey logins */
    const rec *s = nth(r, MT_HE_LOGIN_SUCCESS, 0);
    assert_string_equal(s->user, "mtvictim");
    assert_string_equal(s->key, "");
    s = nth(r, MT_HE_LOGIN_SUCCESS, 1);
    assert_string_equal(s->user, "mtkeyuser");
    assert_string_equal(s->key, "SHA256:/P1nztESXRB5p95w1I3OYnxcYhpIjOWEk2P497M7lts");
    /* 8: a refused key offer */
    const rec *k = nth(r, MT_HE_KEY_OFFERED, 0);
    assert_string_equal(k->user, "mtvictim");
    assert_string_equal(k->text, "ED25519");
    assert_string_equal(k->key, "SHA256:1kf2BEhgzuHcjySjQyWu1p8PFzvcLUq6syoirjJMSR0");
    /* 9: IPv6 */
    f = nth(r, MT_HE_LOGIN_FAILED, 10);
    assert_string_equal(f->user, "root");
    assert_string_equal(f->ip, "fd42:6d74:7263::1");
    assert_int_equal(f->src_port, 56655);
    const rec *c = nth(r, MT_HE_CONNECT, 0);
    assert_string_equal(c->ip, "10.213.0.1");
    assert_int_equal(c->src_port, 55718);
    assert_int_equal(c->dst_port, 2222);
}

static void test_recorded(void **state)
{
    (void)state;
    static run a, b;
    assert_int_equal(read_file(fixture("auth.log"), 2026, &a), 2026);
    check_recording(&a);
    /* The recording's first stamp, "Dec  3 12:37:07", is Berlin time taken
     * as UTC (no zone in the line). */
    assert_int_equal(a.ev[0].ts, utc(2026, 12, 3, 12, 37, 7));
    /* The same events from rsyslog's ISO file, whose stamps carry +01:00:
     * one hour earlier in UTC, with microseconds. */
    read_file(fixture("auth-iso.log"), 0, &b);
    check_recording(&b);
    for (int i = 0; i < a.n; i++) {
        assert_int_equal(a.ev[i].type, b.ev[i].type);
        assert_string_equal(a.ev[i].user, b.ev[i].user);
        assert_string_equal(a.ev[i].session, b.ev[i].session);
        assert_int_equal(a.ev[i].src_port, b.ev[i].src_port);
        assert_int_equal(a.ev[i].ts, b.ev[i].ts - b.ev[i].ts % 1000000 + 3600 * 1000000LL);
    }
    assert_int_equal(b.ev[0].ts, utc(2026, 12, 3, 11, 37, 7) + 68398);
}

static void test_recorded_info(void **state)
{
    (void)state;
    static run r;
    read_file(fixture("auth-info.log"), 2026, &r);
    assert_int_equal(r.lines, 38);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(r.used, 30);
    assert_int_equal(unk_count(&r, "sshd: other"), 8); /* incl. "Could not get shadow information" */
    assert_int_equal(r.unknown, 8);
    assert_int_equal(r.n, 23);
    assert_int_equal(count_type(&r, MT_HE_CONNECT), 0); /* "Connection from" is VERBOSE */
    assert_int_equal(count_type(&r, MT_HE_CLOSED), 12);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_SUCCESS), 2);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_FAILED), 9);
    /* Each logged-in connection closes under its own session, not its
     * child's pid: 12 connections, 12 sessions. */
    assert_string_equal(nth(&r, MT_HE_CLOSED, 6)->session, nth(&r, MT_HE_LOGIN_SUCCESS, 0)->session);
    assert_string_equal(nth(&r, MT_HE_CLOSED, 7)->session, nth(&r, MT_HE_LOGIN_SUCCESS, 1)->session);
    assert_int_equal(distinct_sessions(&r), 12);
    /* 9 lines, 11 attempts: the two MaxAuthTries connections log their
     * first failure, then "message repeated 2 times: [ ... ]" (the same 11
     * attempts as the VERBOSE run's 11 lines). */
    uint64_t attempts = 0;
    int repeated = 0;
    for (int i = 0; i < r.n; i++)
        if (r.ev[i].type == MT_HE_LOGIN_FAILED) {
            attempts += r.ev[i].count;
            repeated += r.ev[i].count == 2;
        }
    assert_int_equal(attempts, 11);
    assert_int_equal(repeated, 2);
    const rec *f = nth(&r, MT_HE_LOGIN_FAILED, 4);
    assert_int_equal(f->count, 2);
    assert_string_equal(f->user, "mtvictim");
    assert_string_equal(f->session, nth(&r, MT_HE_LOGIN_FAILED, 3)->session);
    f = nth(&r, MT_HE_LOGIN_FAILED, 6);
    assert_int_equal(f->count, 2);
    assert_string_equal(f->user, "test");
    assert_string_equal(nth(&r, MT_HE_LOGIN_SUCCESS, 1)->key,
                        "SHA256:/P1nztESXRB5p95w1I3OYnxcYhpIjOWEk2P497M7lts");
}

/* ---- hand-written forms -------------------------------------------------------- */

static void test_journal(void **state)
{
    (void)state;
    static run r;
    read_file(fixture("journal-short.log"), 2024, &r);
    assert_int_equal(r.lines, 14);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(unk_count(&r, "journal marker"), 2);
    assert_int_equal(unk_count(&r, "systemd"), 1);
    assert_int_equal(unk_count(&r, "sshd: other"), 1);
    assert_int_equal(unk_count(&r, "sshd: pam"), 1);
    assert_int_equal(r.used, 9);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_FAILED), 3);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_SUCCESS), 1);
    assert_int_equal(count_type(&r, MT_HE_CLOSED), 2); /* Received + Disconnected: one */
    assert_int_equal(r.n, 6);
    const rec *f = nth(&r, MT_HE_LOGIN_FAILED, 1);
    assert_string_equal(f->ip, "2001:db8:77::5");
    assert_int_equal(f->ts, utc(2024, 3, 3, 10, 2, 30));
    const rec *s = nth(&r, MT_HE_LOGIN_SUCCESS, 0);
    assert_string_equal(s->key, "SHA256:Qm9ndXNGaW5nZXJwcmludEZvclRlc3RzT25seTEyMzQ");
    assert_string_equal(s->sensor, "bastion");

    read_file(fixture("journal-short-iso.log"), 0, &r);
    assert_int_equal(r.lines, 8);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(unk_count(&r, "journal marker"), 1);
    assert_int_equal(unk_count(&r, "CRON"), 1);
    assert_int_equal(r.used, 6);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_FAILED), 2); /* password, keyboard-interactive */
    assert_int_equal(count_type(&r, MT_HE_LOGIN_SUCCESS), 1);
    assert_int_equal(count_type(&r, MT_HE_CLOSED), 2); /* one a timeout */
    assert_int_equal(nth(&r, MT_HE_LOGIN_FAILED, 0)->ts, utc(2024, 3, 3, 9, 1, 12));
    assert_int_equal(nth(&r, MT_HE_LOGIN_FAILED, 1)->ts, utc(2024, 3, 3, 9, 2, 30));
    assert_int_equal(nth(&r, MT_HE_LOGIN_SUCCESS, 0)->ts, utc(2024, 3, 3, 9, 4, 55) + 123456);
}

static void check_rollover(const run *r, int y0)
{
    assert_int_equal(nth(r, MT_HE_CONNECT, 0)->ts, utc(y0, 12, 31, 23, 59, 58));
    assert_int_equal(nth(r, MT_HE_LOGIN_FAILED, 1)->ts, utc(y0 + 1, 1, 1, 0, 0, 3));
}

static void test_rollover(void **state)
{
    (void)state;
    static run r;
    /* Given the year: it is the first line's. */
    assert_int_equal(read_file(fixture("rollover.log"), 2023, &r), 2023);
    assert_int_equal(r.lines, 11);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(unk_count(&r, "CRON"), 1);
    assert_int_equal(r.used, 10);
    check_rollover(&r, 2023);
    assert_int_equal(count_type(&r, MT_HE_LOGIN_FAILED), 5);
    /* message repeated N times: the attempt counted N times */
    const rec *f = nth(&r, MT_HE_LOGIN_FAILED, 1);
    assert_int_equal(f->count, 3);
    assert_string_equal(f->user, "root");
    f = nth(&r, MT_HE_LOGIN_FAILED, 3);
    assert_int_equal(f->count, 2);
    assert_string_equal(f->user, "oracle");
    assert_string_equal(nth(&r, MT_HE_LOGIN_FAILED, 2)->user, ""); /* an empty user name */
    uint64_t attempts = 0;
    for (int i = 0; i < r.n; i++)
        if (r.ev[i].type == MT_HE_LOGIN_FAILED) attempts += r.ev[i].count;
    assert_int_equal(attempts, 8);
    assert_int_equal(nth(&r, MT_HE_LOGIN_FAILED, 4)->ts, utc(2024, 2, 29, 10, 0, 0));
    /* Feb 29 needs a leap year: starting in 2022 it is malformed. */
    read_file(fixture("rollover.log"), 2022, &r);
    assert_int_equal(r.malformed, 1);
    assert_int_equal(r.malformed_lines[0], 11);

    /* Inferred from the modification time (copies with a set mtime). */
    char tmpl[] = "/tmp/mt-authlog-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char path[256];
    snprintf(path, sizeof path, "%s/auth.log", tmpl);
    FILE *in = fopen(fixture("rollover.log"), "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, k, out);
    fclose(in);
    fclose(out);
    struct utimbuf ut;
    ut.actime = ut.modtime = (time_t)(utc(2024, 3, 1, 12, 0, 0) / 1000000);
    assert_int_equal(utime(path, &ut), 0);
    assert_int_equal(read_file(path, 0, &r), 2023); /* one year change before March 2024 */
    assert_int_equal(r.malformed, 0);
    check_rollover(&r, 2023);
    /* Last stamp (Feb 29) more than a day after the mtime: a year earlier. */
    ut.actime = ut.modtime = (time_t)(utc(2024, 2, 1, 0, 0, 0) / 1000000);
    assert_int_equal(utime(path, &ut), 0);
    assert_int_equal(read_file(path, 0, &r), 2022);
    check_rollover(&r, 2022);
    assert_int_equal(r.malformed, 1); /* Feb 29 2023 */
    unlink(path);
    rmdir(tmpl);

    /* Standard input: no mtime; a first stamp of Jan 1 is never in the
     * future, so it is this year's. */
    void *st = R->begin("-", NULL);
    run *x = &r;
    memset(x, 0, sizeof *x);
    static const char l1[] = "Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 2 ssh2";
    assert_int_equal(feed(st, x, l1, sizeof l1 - 1), MT_OK);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    assert_int_equal(mt_authlog_start_year(st), tm.tm_year + 1900);
    assert_int_equal(x->ev[0].ts, utc(tm.tm_year + 1900, 1, 1, 0, 0, 1));
    R->end(st);
}

static void test_hostile(void **state)
{
    (void)state;
    static run r;
    read_file(fixture("hostile.log"), 2024, &r);
    assert_int_equal(r.lines, 17);
    assert_int_equal(r.malformed, 8);
    static const int bad[] = {6, 7, 8, 9, 10, 11, 12, 14};
    for (int i = 0; i < 8; i++) assert_int_equal(r.malformed_lines[i], bad[i]);
    assert_int_equal(r.unknown, 0);
    assert_int_equal(r.used, 9);
    /* sshd's octal escapes stay as written; a name holding its own
     * " from IP port P ssh2" does not move the split. */
    assert_string_equal(nth(&r, MT_HE_LOGIN_FAILED, 0)->user, "a\\033[31mb");
    const rec *f = nth(&r, MT_HE_LOGIN_FAILED, 1);
    assert_string_equal(f->user, "x from 9.9.9.9 port 1 ssh2");
    assert_string_equal(f->ip, "203.0.113.21");
    /* A disconnect reason with a fake "port" / "from" does not move the
     * address; nor does a user name holding " port 7". */
    assert_string_equal(nth(&r, MT_HE_CLOSED, 0)->ip, "203.0.113.23");
    assert_int_equal(nth(&r, MT_HE_CLOSED, 0)->src_port, 1114);
    assert_string_equal(nth(&r, MT_HE_CLOSED, 1)->ip, "203.0.113.24");
    assert_int_equal(nth(&r, MT_HE_CLOSED, 1)->src_port, 1115);
    /* An IPv6 zone is dropped; a tag without a pid has no session; a
     * "<pri>" prefix is skipped; raw bytes and a NUL stay in the name. */
    const rec *s = nth(&r, MT_HE_LOGIN_SUCCESS, 0);
    assert_string_equal(s->ip, "fe80::1");
    assert_string_equal(s->key, "SHA256:bm90QVJlYWxLZXlKdXN0QVRlc3RGaW5nZXJwcmludDA");
    assert_string_equal(nth(&r, MT_HE_LOGIN_FAILED, 2)->session, "");
    assert_string_equal(nth(&r, MT_HE_LOGIN_FAILED, 3)->ip, "203.0.113.28");
    assert_memory_equal(nth(&r, MT_HE_LOGIN_FAILED, 4)->user, "\xff\xfe", 3);
}

static void test_lines(void **state)
{
    (void)state;
    void *st = R->begin("-", &(mt_honey_opts){.year = 2024});
    static run r;
    memset(&r, 0, sizeof r);
#define FEED(s) feed(st, &r, (s), sizeof(s) - 1)
    assert_int_equal(FEED(""), MT_ENOTFOUND);
    assert_int_equal(FEED("   \r"), MT_ENOTFOUND);
    assert_int_equal(FEED("-- No entries --"), MT_ENOTFOUND);
    assert_int_equal(FEED("not a log line at all"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]:"), MT_ENOTFOUND);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: Failed password for"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: Failed password for root from"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: message repeated 2 times: ["), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: message repeated 2 times: []"), MT_ENOTFOUND);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: Connection closed by nowhere"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd[1]: User child is on pid x"), MT_EINVAL);
    assert_int_equal(FEED("2024-02-30T10:00:00Z h sshd[1]: Failed password for a from 1.2.3.4 port 5 ssh2"),
                     MT_EINVAL);
    assert_int_equal(FEED("2024-03-03T10:00:00+25:00 h sshd[1]: x"), MT_EINVAL);
    assert_int_equal(FEED("Mar  3 10:00:00 h sshd-session[7]: Accepted keyboard-interactive/pam for "
                          "u from 192.0.2.3 port 4 ssh2"),
                     MT_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.ev[0].type, MT_HE_LOGIN_SUCCESS);
    assert_string_equal(r.ev[0].session, "7");
    assert_int_equal(r.ev[0].ts, utc(2024, 3, 3, 10, 0, 0));
    assert_int_equal(r.malformed, 10);
    /* A publickey login logged without its key: no fingerprint. */
    assert_int_equal(FEED("Mar  3 10:00:01 h sshd[8]: Accepted publickey for u from 192.0.2.3 port 4 ssh2"),
                     MT_OK);
    assert_int_equal(r.ev[1].type, MT_HE_LOGIN_SUCCESS);
    assert_string_equal(r.ev[1].key, "");
    R->end(st);
#undef FEED
    /* A year the calendar arithmetic does not take is refused at begin. */
    assert_null(R->begin("auth.log", &(mt_honey_opts){.year = 10000}));
    assert_non_null(strstr(mt_error_msg(), "year 10000"));
}

static void test_probe(void **state)
{
    (void)state;
    char head[8192];
    FILE *f = fopen(fixture("auth.log"), "rb");
    assert_non_null(f);
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_true(R->probe(head, n) >= 90);
    f = fopen(fixture("journal-short-iso.log"), "rb");
    assert_non_null(f);
    n = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_true(R->probe(head, n) >= 90);
    static const char cron[] = "Mar  3 10:00:00 h CRON[4]: (root) CMD (true)\n";
    assert_int_equal(R->probe(cron, sizeof cron - 1), 30); /* syslog, but no sshd */
    static const char csv[] = "2023-11-03T12:00:28,43.243.74.20,SSH-2.0-Go,"
                              "f555226df1963d1d3c09daf865abdc9a,root,x,failed\n";
    assert_int_equal(R->probe(csv, sizeof csv - 1), 0);
    static const char json[] = "{\"eventid\":\"cowrie.session.connect\"}\n";
    assert_int_equal(R->probe(json, sizeof json - 1), 0);
    assert_int_equal(R->probe("", 0), 0);
    /* The login feed's reader does not take an auth.log either. */
    assert_int_equal(mt_honey_reader_login_csv.probe(head, n), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded), cmocka_unit_test(test_recorded_info),
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_rollover), cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_lines),    cmocka_unit_test(test_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
