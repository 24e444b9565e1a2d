/* MD5 against the RFC 1321 appendix A.5 test suite, plus streaming in odd
 * chunk sizes and the block-boundary lengths where padding spills over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/md5.h"

static const struct { const char *in, *hex; } rfc[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
     "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

static void test_rfc_vectors(void **st)
{
    (void)st;
    char hex[33];
    for (size_t i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
        mt_md5_hex(rfc[i].in, strlen(rfc[i].in), hex);
        assert_string_equal(hex, rfc[i].hex);
    }
}

static void test_streaming_matches_oneshot(void **st)
{
    (void)st;
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
    /* lengths around the 56/64-byte padding boundaries */
    for (size_t n = 0; n < sizeof buf; n++) {
        char one[33], two[33];
        mt_md5_hex(buf, n, one);
        for (size_t chunk = 1; chunk < 70; chunk += 13) {
            mt_md5 c;
            uint8_t d[16];
            mt_md5_init(&c);
            for (size_t off = 0; off < n; off += chunk)
                mt_md5_update(&c, buf + off, (n - off < chunk) ? n - off : chunk);
            mt_md5_final(&c, d);
            for (int k = 0; k < 16; k++) snprintf(two + 2 * k, 3, "%02x", d[k]);
            assert_string_equal(one, two);
        }
    }
}

static void test_ja3_known(void **st)
{
    (void)st;
    /* JA3 of coinhive.pcap frame 22 as printed by tshark 4.0. */
    const char *s = "771,4865-4867-4866-49195-49199-52393-52392-49196-49200-49171-49172-47-53-10,"
                    "0-23-65281-10-11-35-16-5-51-43-13-45,29-23-24-25-256-257,0";
    char hex[33];
    mt_md5_hex(s, strlen(s), hex);
    assert_string_equal(hex, "e539cf186447573e3ac2e0b10e262bd1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_vectors),
        cmocka_unit_test(test_streaming_matches_oneshot),
        cmocka_unit_test(test_ja3_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
