/* util/bytestream and util/linereader: plain passthrough, gzip, concatenated
 * gzip members, truncated and damaged gzip (reported with the file name,
 * after the good lines), trailing data after the last member, pipes, CRLF,
 * missing final newline, over-long lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "minetrace/common.h"
#include "util/bytestream.h"
#include "util/linereader.h"

static char tmpdir[128];

static const char *tmp(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void write_file(const char *path, const void *data, size_t n, const char *mode)
{
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* One gzip member of s, appended to path when mode is "ab". */
static void write_gz(const char *path, const char *s, size_t n, const char *mode)
{
    gzFile g = gzopen(path, mode);
    assert_non_null(g);
    if (n) assert_true(gzwrite(g, s, (unsigned)n) == (int)n);
    gzclose(g);
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)sz + 1);
    assert_int_equal(fread(d, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return d;
}

/* Many numbered lines: compressible, but not to nothing. */
static char *numbered(int lines, size_t *n)
{
    char *t = malloc((size_t)lines * 24 + 1);
    size_t o = 0;
    for (int i = 0; i < lines; i++)
        o += (size_t)sprintf(t + o, "line %d %08x\n", i, (unsigned)(i * 2654435761u));
    *n = o;
    return t;
}

static void test_plain_and_gzip(void **state)
{
    (void)state;
    const char *text = "one\r\ntwo\n\nthree-no-newline";
    write_file(tmp("lr.txt"), text, strlen(text), "wb");
    write_gz(tmp("lr.txt.gz"), text, strlen(text), "wb");
    const char *files[] = {tmp("lr.txt"), tmp("lr.txt.gz")};
    for (int k = 0; k < 2; k++) {
        mt_linereader *r = mt_lr_open(files[k], 0);
        assert_non_null(r);
        assert_int_equal(mt_lr_is_gzip(r), k);
        char *l;
        size_t n;
        int tl;
        const char *want[] = {"one", "two", "", "three-no-newline"};
        for (int i = 0; i < 4; i++) {
            assert_int_equal(mt_lr_next(r, &l, &n, &tl), 1);
            assert_string_equal(l, want[i]);
            assert_int_equal(n, strlen(want[i]));
            assert_int_equal(tl, 0);
        }
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 0);
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 0); /* the end stays the end */
        assert_int_equal(mt_lr_lineno(r), 4);
        assert_int_equal(mt_lr_bytes(r), strlen(text));
        assert_true(mt_lr_raw_pos(r) == mt_lr_raw_size(r)); /* all of the file read */
        mt_lr_close(r);
    }
    assert_null(mt_lr_open(tmp("does-not-exist"), 0));
    assert_non_null(strstr(mt_error_msg(), "does-not-exist"));
    assert_null(mt_lr_open(tmpdir, 0)); /* a directory */
    assert_non_null(strstr(mt_error_msg(), "directory"));
    /* Empty files, plain and gzip. */
    write_file(tmp("empty"), "", 0, "wb");
    write_gz(tmp("empty.gz"), "", 0, "wb");
    const char *empties[] = {tmp("empty"), tmp("empty.gz")};
    for (int k = 0; k < 2; k++) {
        mt_linereader *r = mt_lr_open(empties[k], 0);
        assert_non_null(r);
        char *l;
        size_t n;
        int tl;
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 0);
        assert_int_equal(mt_lr_lineno(r), 0);
        mt_lr_close(r);
    }
    /* A one-byte plain file: too short for the magic, still read. */
    write_file(tmp("one"), "x", 1, "wb");
    mt_linereader *r = mt_lr_open(tmp("one"), 0);
    char *l;
    size_t n;
    int tl;
    assert_int_equal(mt_lr_next(r, &l, &n, &tl), 1);
    assert_string_equal(l, "x");
    mt_lr_close(r);
}

static void test_huge_lines(void **state)
{
    (void)state;
    /* A 3 MB line without newline between two normal ones, max_line 1000. */
    size_t big = 3u << 20;
    char *data = malloc(big + 64);
    strcpy(data, "first\n");
    size_t o = strlen(data);
    memset(data + o, 'x', big);
    o += big;
    memcpy(data + o, "\nlast\n", 6);
    o += 6;
    write_file(tmp("huge.txt"), data, o, "wb");
    write_gz(tmp("huge.txt.gz"), data, o, "wb");
    free(data);
    const char *files[] = {tmp("huge.txt"), tmp("huge.txt.gz")};
    for (int k = 0; k < 2; k++) {
        mt_linereader *r = mt_lr_open(files[k], 1000);
        assert_non_null(r);
        char *l;
        size_t n;
        int tl;
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 1);
        assert_string_equal(l, "first");
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 1);
        assert_int_equal(tl, 1);
        assert_int_equal(n, 1000);
        assert_int_equal(l[0], 'x');
        assert_int_equal(l[1000], '\0');
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 1);
        assert_int_equal(tl, 0);
        assert_string_equal(l, "last");
        assert_int_equal(mt_lr_lineno(r), 3);
        assert_int_equal(mt_lr_next(r, &l, &n, &tl), 0);
        mt_lr_close(r);
    }
}

/* Count lines to the end; returns the final status. */
static int drain(mt_linereader *r, int *lines, char *last, size_t cap)
{
    char *l;
    size_t n;
    int tl, rc;
    *lines = 0;
    while ((rc = mt_lr_next(r, &l, &n, &tl)) == 1) {
        (*lines)++;
        mt_strlcpy(last, l, cap);
    }
    return rc;
}

static void test_multi_member(void **state)
{
    (void)state;
    /* Three members, the middle one empty, a line split across members: the
     * stream is their concatenation (what `cat a.gz b.gz` gives). */
    write_gz(tmp("multi.gz"), "alpha\nbra", 9, "wb");
    write_gz(tmp("multi.gz"), "", 0, "ab");
    write_gz(tmp("multi.gz"), "vo\ncharlie\n", 11, "ab");
    mt_bytestream *s = mt_bs_open(tmp("multi.gz"));
    assert_non_null(s);
    char buf[64];
    size_t got = 0;
    long n;
    while ((n = mt_bs_read(s, buf + got, sizeof buf - got)) > 0) got += (size_t)n;
    assert_int_equal(n, 0);
    assert_int_equal(got, 20);
    assert_memory_equal(buf, "alpha\nbravo\ncharlie\n", 20);
    assert_int_equal(mt_bs_members(s), 3);
    mt_bs_close(s);
    /* A big second member, read a line at a time. */
    size_t tn;
    char *text = numbered(30000, &tn);
    write_gz(tmp("multi2.gz"), "head\n", 5, "wb");
    write_gz(tmp("multi2.gz"), text, tn, "ab");
    free(text);
    mt_linereader *r = mt_lr_open(tmp("multi2.gz"), 0);
    int lines;
    char last[64];
    assert_int_equal(drain(r, &lines, last, sizeof last), 0);
    assert_int_equal(lines, 30001);
    assert_string_equal(last, "line 29999 66cd3c7f");
    mt_lr_close(r);
}

static void test_truncated_gzip(void **state)
{
    (void)state;
    size_t tn, gn;
    char *text = numbered(40000, &tn);
    write_gz(tmp("cut.gz"), text, tn, "wb");
    free(text);
    char *gz = read_all(tmp("cut.gz"), &gn);
    write_file(tmp("cut.gz"), gz, gn / 2, "wb");
    mt_linereader *r = mt_lr_open(tmp("cut.gz"), 0);
    assert_non_null(r);
    int lines;
    char last[64];
    int rc = drain(r, &lines, last, sizeof last);
    assert_int_equal(rc, MT_ETRUNC); /* the failure is reported, after the lines */
    assert_non_null(strstr(mt_error_msg(), "truncated gzip"));
    assert_non_null(strstr(mt_error_msg(), "cut.gz")); /* which file */
    assert_true(lines > 1000 && lines < 40000);
    /* The lines come in order; the last may be the cut head of a line. */
    char want[32];
    snprintf(want, sizeof want, "line %d %08x", lines - 1,
             (unsigned)((unsigned)(lines - 1) * 2654435761u));
    assert_true(last[0] && strncmp(last, want, strlen(last)) == 0);
    char *l;
    size_t n;
    int tl;
    assert_int_equal(mt_lr_next(r, &l, &n, &tl), MT_ETRUNC); /* sticky */
    mt_lr_close(r);
    /* Cut inside the header: still gzip, nothing decodable. */
    write_file(tmp("cut2.gz"), gz, 5, "wb");
    r = mt_lr_open(tmp("cut2.gz"), 0);
    assert_non_null(r);
    assert_int_equal(mt_lr_is_gzip(r), 1);
    assert_int_equal(drain(r, &lines, last, sizeof last), MT_ETRUNC);
    assert_int_equal(lines, 0);
    mt_lr_close(r);
    /* A second member cut short: the first member's lines all come out. */
    write_gz(tmp("cut3.gz"), "whole\nmember\n", 13, "wb");
    write_file(tmp("cut3.gz"), gz, gn / 3, "ab");
    r = mt_lr_open(tmp("cut3.gz"), 0);
    rc = drain(r, &lines, last, sizeof last);
    assert_int_equal(rc, MT_ETRUNC);
    assert_non_null(strstr(mt_error_msg(), "member 2"));
    assert_true(lines > 2);
    mt_lr_close(r);
    free(gz);
}

static void test_damaged_and_trailing(void **state)
{
    (void)state;
    size_t tn, gn;
    char *text = numbered(20000, &tn);
    write_gz(tmp("bad.gz"), text, tn, "wb");
    char *gz = read_all(tmp("bad.gz"), &gn);
    /* Flip bytes in the middle of the deflate data. */
    for (size_t i = gn / 2; i < gn / 2 + 16; i++) gz[i] ^= 0x5a;
    write_file(tmp("bad.gz"), gz, gn, "wb");
    mt_linereader *r = mt_lr_open(tmp("bad.gz"), 0);
    int lines;
    char last[64];
    int rc = drain(r, &lines, last, sizeof last);
    assert_int_equal(rc, MT_EIO);
    assert_non_null(strstr(mt_error_msg(), "bad.gz"));
    assert_true(lines < 20000);
    mt_lr_close(r);
    /* Zeros after the last member (block-device padding) are not data. */
    write_gz(tmp("pad.gz"), "a\nb\n", 4, "wb");
    static const char zeros[1000];
    write_file(tmp("pad.gz"), zeros, sizeof zeros, "ab");
    r = mt_lr_open(tmp("pad.gz"), 0);
    assert_int_equal(drain(r, &lines, last, sizeof last), 0);
    assert_int_equal(lines, 2);
    mt_lr_close(r);
    /* Gzip magic but not gzip: reported, not a crash. */
    write_file(tmp("fake.gz"), "\x1f\x8bnot really gzip\n", 18, "wb");
    r = mt_lr_open(tmp("fake.gz"), 0);
    assert_non_null(r);
    rc = drain(r, &lines, last, sizeof last);
    assert_true(rc < 0);
    assert_int_equal(lines, 0);
    mt_lr_close(r);
    free(gz);
    free(text);
}

/* Standard input, a pipe: no size, gzip found by its magic all the same. */
static void test_stdin_pipe(void **state)
{
    (void)state;
    write_gz(tmp("pipe.gz"), "p1\np2\n", 6, "wb");
    size_t gn;
    char *gz = read_all(tmp("pipe.gz"), &gn);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        /* Dribble the first bytes one at a time: the magic may come split. */
        for (size_t i = 0; i < gn; i++)
            if (write(fds[1], gz + i, 1) != 1) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    int saved = dup(0);
    dup2(fds[0], 0);
    close(fds[0]);
    mt_linereader *r = mt_lr_open("-", 0);
    dup2(saved, 0);
    close(saved);
    assert_non_null(r);
    assert_int_equal(mt_lr_is_gzip(r), 1);
    assert_int_equal(mt_lr_raw_size(r), 0);
    int lines;
    char last[16];
    assert_int_equal(drain(r, &lines, last, sizeof last), 0);
    assert_int_equal(lines, 2);
    assert_string_equal(last, "p2");
    mt_lr_close(r);
    int st;
    waitpid(pid, &st, 0);
    free(gz);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mt_test_lr_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_gzip),  cmocka_unit_test(test_huge_lines),
        cmocka_unit_test(test_multi_member),    cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_damaged_and_trailing), cmocka_unit_test(test_stdin_pipe),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
