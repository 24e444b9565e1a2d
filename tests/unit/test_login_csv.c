/* Tests for the login-attempt CSV reader (src/ingest/login_csv.c), called
 * through its reader struct as the dispatcher calls it: probe, begin, line,
 * end. Synthetic rows for the split rules (commas in the version and the
 * password, raw bytes, a BOM, malformed rows), then the real killchain feed
 * with its exact figures: 210,894 rows, 8,098 addresses, 3,767 addresses
 * using the 345gs5662d34 / 3245gs5662d34 marker as user or password, 5
 * nproc:nproc rows, 121 rows whose user/password split is a guess, none
 * malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/honey_reader.h"
#include "ingest/login_csv.h"
#include "util/hashmap.h"
#include "util/linereader.h"

static const mt_honey_reader *R = &mt_honey_reader_login_csv;

/* ---- a sink that keeps the last row's events as text -------------------- */

typedef struct cap {
    int n;
    mt_honey_event ev[4];
    char text[4][512], user[512], pass[512];
} cap;

static void cap_event(void *ctx, const mt_honey_event *ev)
{
    cap *c = ctx;
    if (c->n >= 4) fail();
    c->ev[c->n] = *ev;
    mt_memlcpy(c->text[c->n], sizeof c->text[0], ev->text.p, ev->text.n);
    if (ev->type == MT_HE_LOGIN_FAILED || ev->type == MT_HE_LOGIN_SUCCESS) {
        mt_memlcpy(c->user, sizeof c->user, ev->user.p, ev->user.n);
        mt_memlcpy(c->pass, sizeof c->pass, ev->pass.p, ev->pass.n);
    }
    c->n++;
}

static int row(void *st, cap *c, const char *line, size_t n)
{
    memset(c, 0, sizeof *c);
    mt_honey_sink to = {cap_event, c};
    char unk[48] = "";
    /* An exact-size copy, as a fuzzer would hand it: the reader must not
     * read past n. */
    char *copy = malloc(n ? n : 1);
    memcpy(copy, line, n);
    int rc = R->line(st, copy, n, &to, unk, sizeof unk);
    free(copy);
    return rc;
}

#define ROW(st, c, s) row((st), (c), (s), sizeof(s) - 1)

static void test_split(void **state)
{
    (void)state;
    void *st = R->begin("x.csv", NULL);
    assert_non_null(st);
    cap c;
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,43.243.74.20,SSH-2.0-libssh_0.9.6,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,Naseer@123,failed"),
                     MT_OK);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.ev[0].type, MT_HE_CLIENT_VERSION);
    assert_string_equal(c.text[0], "SSH-2.0-libssh_0.9.6");
    assert_int_equal(c.ev[1].type, MT_HE_KEX);
    assert_string_equal(c.text[1], "f555226df1963d1d3c09daf865abdc9a");
    assert_int_equal(c.ev[2].type, MT_HE_LOGIN_FAILED);
    assert_string_equal(c.user, "root");
    assert_string_equal(c.pass, "Naseer@123");
    assert_int_equal(c.ev[2].protocol, MT_HP_SSH);
    assert_int_equal(c.ev[2].count, 1);
    assert_int_equal(c.ev[2].src.family, 4);
    assert_int_equal(c.ev[2].ts, (int64_t)1699012828 * 1000000); /* taken as UTC */
    assert_int_equal(c.ev[2].session.n, 0);
    assert_int_equal(mt_login_csv_ambiguous(st), 0);

    /* Commas in the password: the user runs to the first comma. */
    assert_int_equal(ROW(st, &c, "2023-12-27T14:58:55,159.65.127.234,SSH-2.0-libssh_0.9.6,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,111qqq,,,,succeeded"),
                     MT_OK);
    assert_int_equal(c.ev[2].type, MT_HE_LOGIN_SUCCESS);
    assert_string_equal(c.user, "root");
    assert_string_equal(c.pass, "111qqq,,,");
    assert_int_equal(mt_login_csv_ambiguous(st), 1);
    /* One comma only: an empty password is an empty password. */
    assert_int_equal(ROW(st, &c, "2023-12-27T14:58:55,159.65.127.234,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,,failed"),
                     MT_OK);
    assert_string_equal(c.pass, "");
    assert_non_null(c.ev[2].pass.p);

    /* Commas, NUL and raw bytes in the client version: the HASSH anchors
     * the split. A password that is itself 32 hex stays the password. */
    static const char tls[] = "2023-11-04T06:13:18,80.82.77.202,\x16\x03\x02\x00,\xc5\x1a,x,"
                              "f555226df1963d1d3c09daf865abdc9a,admin,"
                              "e10adc3949ba59abbe56e057f20f883e,failed";
    assert_int_equal(ROW(st, &c, tls), MT_OK);
    assert_int_equal(c.ev[0].text.n, 9);
    assert_string_equal(c.text[1], "f555226df1963d1d3c09daf865abdc9a");
    assert_string_equal(c.user, "admin");
    assert_string_equal(c.pass, "e10adc3949ba59abbe56e057f20f883e");
    /* A BOM before the row; an IPv6 source; fractional seconds and a zone. */
    assert_int_equal(ROW(st, &c, "\xef\xbb\xbf" "2024-01-19T10:09:57.5+01:00,2001:db8::1,,"
                                 "4e066189c3bbeec38c99b1855113733a,nproc,nproc,failed"),
                     MT_OK);
    assert_int_equal(c.n, 2); /* no client version, no event for it */
    assert_int_equal(c.ev[1].src.family, 6);
    assert_int_equal(c.ev[1].ts, (int64_t)(1705658997 - 3600) * 1000000 + 500000);

    /* Malformed: each anchor broken once. */
    assert_int_equal(ROW(st, &c, "2023-13-03T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,x,failed"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-02-29T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,x,failed"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,1.2.3.400,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,x,failed"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,root,x,maybe"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "F555226DF1963D1D3C09DAF865ABDC9A,root,x,failed"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,rootx,failed"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28,1.2.3.4,SSH-2.0-Go,"
                                 "f555226df1963d1d3c09daf865abdc9a,"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, "2023-11-03T12:00:28"), MT_EINVAL);
    assert_int_equal(ROW(st, &c, "ts,src_ip,client_version,hassh,username,password,status"),
                     MT_EINVAL);
    assert_int_equal(ROW(st, &c, ""), MT_ENOTFOUND);
    assert_int_equal(c.n, 0);
    R->end(st);
}

static void test_probe(void **state)
{
    (void)state;
    static const char feed[] =
        "2023-11-03T12:00:28,43.243.74.20,SSH-2.0-libssh_0.9.6,f555226df1963d1d3c09daf865abdc9a,"
        "root,Naseer@123,failed\n"
        "2023-11-03T12:00:30,43.243.74.20,SSH-2.0-libssh_0.9.6,f555226df1963d1d3c09daf865abdc9a,"
        "345gs5662d34,345gs5662d34,failed\n"
        "2023-11-03T12:00:32,43.243.7";
    assert_true(R->probe(feed, sizeof feed - 1) >= 90);
    static const char other[] = "{\"eventid\":\"cowrie.login.failed\",\"src_ip\":\"1.2.3.4\"}\n"
                                "Mar  3 10:00:00 host sshd[1]: Invalid user a from 1.2.3.4 port 1\n";
    assert_int_equal(R->probe(other, sizeof other - 1), 0);
    assert_int_equal(R->probe("", 0), 0);
    static const char hdr[] = "ts,src_ip,client_version,hassh,username,password,status\n";
    assert_int_equal(R->probe(hdr, sizeof hdr - 1), 0);
}

/* ---- the real feed -------------------------------------------------------- */

typedef struct tally {
    uint64_t logins, failed, success, kex, versions, nproc;
    mt_hmap ips, marker_ips;
} tally;

static uint64_t addr_hash(const void *k) { return mt_addr_hash(k, 0x9e3779b97f4a7c15ULL); }

static int is_marker(mt_span s)
{
    return (s.n == 12 && memcmp(s.p, "345gs5662d34", 12) == 0) ||
           (s.n == 13 && memcmp(s.p, "3245gs5662d34", 13) == 0);
}

static void tally_event(void *ctx, const mt_honey_event *ev)
{
    tally *t = ctx;
    mt_addr k = mt_hmap_addr_key(&ev->src);
    uint64_t h = addr_hash(&k);
    int added;
    switch (ev->type) {
    case MT_HE_CLIENT_VERSION: t->versions++; break;
    case MT_HE_KEX: t->kex++; break;
    case MT_HE_LOGIN_FAILED:
    case MT_HE_LOGIN_SUCCESS:
        t->logins++;
        if (ev->type == MT_HE_LOGIN_FAILED) t->failed++;
        else t->success++;
        mt_hmap_put(&t->ips, &k, h, &added);
        if (is_marker(ev->user) || is_marker(ev->pass)) mt_hmap_put(&t->marker_ips, &k, h, &added);
        if (ev->user.n == 5 && ev->pass.n == 5 && memcmp(ev->user.p, "nproc", 5) == 0 &&
            memcmp(ev->pass.p, "nproc", 5) == 0)
            t->nproc++;
        break;
    default: fail();
    }
}

static void test_corpus(void **state)
{
    (void)state;
    const char *c = getenv("MT_CORPUS");
    char path[1024];
    snprintf(path, sizeof path, "%s/botnet/killchain_2023/iocs_merged_2023-11-03_2024-01-19.csv",
             c ? c : "../shared/corpus");
    if (access(path, R_OK) != 0) skip();

    mt_linereader *lr = mt_lr_open(path, 0);
    assert_non_null(lr);
    char *line;
    size_t len;
    int too_long;
    /* The probe sees the first lines as the dispatcher hands them. */
    char head[4096];
    size_t hn = 0;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    hn = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_true(R->probe(head, hn) >= 90);

    tally t;
    memset(&t, 0, sizeof t);
    mt_hmap_init(&t.ips, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .capacity = 1024,
                                        .hash = addr_hash});
    mt_hmap_init(&t.marker_ips, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .capacity = 1024,
                                               .hash = addr_hash});
    void *st = R->begin(path, NULL);
    mt_honey_sink to = {tally_event, &t};
    uint64_t rows = 0, malformed = 0, unknown = 0;
    char unk[48];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    while (mt_lr_next(lr, &line, &len, &too_long) == 1) {
        rows++;
        int rc = R->line(st, line, len, &to, unk, sizeof unk);
        if (rc == MT_EINVAL) malformed++;
        else if (rc == MT_ENOTFOUND) unknown++;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    print_message("login-csv: %llu lines in %.3f s (%.0f lines/s, with the test's tally)\n",
                  (unsigned long long)rows, secs, (double)rows / secs);
    assert_int_equal(rows, 210894);
    assert_int_equal(malformed, 0);
    assert_int_equal(unknown, 0);
    assert_int_equal(t.logins, 210894);
    assert_int_equal(t.kex, 210894);
    assert_int_equal(t.versions, 210894);
    assert_int_equal(t.success, 41785);
    assert_int_equal(t.failed, 169109);
    assert_int_equal(mt_hmap_count(&t.ips), 8098);
    assert_int_equal(mt_hmap_count(&t.marker_ips), 3767);
    assert_int_equal(t.nproc, 5);
    assert_int_equal(mt_login_csv_ambiguous(st), 121);
    R->end(st);
    mt_lr_close(lr);
    mt_hmap_free(&t.ips);
    mt_hmap_free(&t.marker_ips);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
