/* The mmap pcap reader: all four magic numbers, nanosecond timestamps,
 * truncation inside a record header and inside data, absurd caplen, and
 * pcapng being handed back to libpcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/pcapfile.h"

static void put32(uint8_t *p, uint32_t v, int be)
{
    for (int i = 0; i < 4; i++) p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Write a 2-record capture; returns its size. */
static size_t make(const char *path, uint32_t magic, int be, size_t cut)
{
    uint8_t b[256];
    memset(b, 0, sizeof b);
    put32(b, magic, be);
    b[be ? 5 : 4] = 2; b[be ? 7 : 6] = 4;
    put32(b + 16, 65535, be);
    put32(b + 20, 1, be);
    size_t o = 24;
    for (int i = 0; i < 2; i++) {
        put32(b + o, 1500000000 + (uint32_t)i, be);
        put32(b + o + 4, magic == 0xa1b23c4d ? 123456789 : 123456, be);
        put32(b + o + 8, 20, be);
        put32(b + o + 12, 60, be);
        memset(b + o + 16, 0xab, 20);
        o += 36;
    }
    size_t n = cut ? cut : o;
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
    return o;
}

static void test_magics(void **state)
{
    (void)state;
    const uint32_t magics[] = {0xa1b2c3d4, 0xa1b23c4d};
    for (int m = 0; m < 2; m++) {
        for (int be = 0; be < 2; be++) {
            char path[] = "/tmp/mt_pcapfile_XXXXXX";
            int fd = mkstemp(path);
            assert_true(fd >= 0);
            make(path, magics[m], be, 0);
            mt_pcapfile pf;
            assert_int_equal(mt_pcapfile_open(&pf, path), MT_OK);
            assert_int_equal(pf.linktype, 1);
            mt_pcaprec r;
            assert_int_equal(mt_pcapfile_next(&pf, &r), 1);
            assert_int_equal(r.caplen, 20);
            assert_int_equal(r.wirelen, 60);
            assert_int_equal(r.ts, 1500000000LL * 1000000 + 123456);
            assert_int_equal(r.data[0], 0xab);
            assert_int_equal(mt_pcapfile_next(&pf, &r), 1);
            assert_int_equal(mt_pcapfile_next(&pf, &r), 0);
            mt_pcapfile_close(&pf);
            remove(path);
        }
    }
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    char path[] = "/tmp/mt_pcapfile_XXXXXX";
    assert_true(mkstemp(path) >= 0);
    size_t full = make(path, 0xa1b2c3d4, 0, 0);
    for (size_t cut = 24 + 36 + 1; cut < full; cut++) {
        make(path, 0xa1b2c3d4, 0, cut);
        mt_pcapfile pf;
        assert_int_equal(mt_pcapfile_open(&pf, path), MT_OK);
        mt_pcaprec r;
        assert_int_equal(mt_pcapfile_next(&pf, &r), 1);
        assert_int_equal(mt_pcapfile_next(&pf, &r), MT_ETRUNC);
        mt_pcapfile_close(&pf);
    }
    /* caplen of 16 MiB: refused, not trusted */
    make(path, 0xa1b2c3d4, 0, 0);
    FILE *f = fopen(path, "r+b");
    fseek(f, 24 + 8, SEEK_SET);
    uint8_t big[4] = {0, 0, 0, 1};
    fwrite(big, 1, 4, f);
    fclose(f);
    mt_pcapfile pf;
    assert_int_equal(mt_pcapfile_open(&pf, path), MT_OK);
    mt_pcaprec r;
    assert_int_equal(mt_pcapfile_next(&pf, &r), MT_EINVAL);
    mt_pcapfile_close(&pf);
    /* pcapng (section header block) is not ours */
    f = fopen(path, "wb");
    uint8_t shb[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a};
    fwrite(shb, 1, sizeof shb, f);
    fclose(f);
    assert_int_equal(mt_pcapfile_open(&pf, path), MT_ENOTFOUND);
    remove(path);
    assert_int_equal(mt_pcapfile_open(&pf, "/nonexistent/x.pcap"), MT_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_magics),
        cmocka_unit_test(test_truncated_and_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
