/* SHA-256 against the FIPS 180-4 example vectors (NIST "SHA256.pdf": "abc",
 * the 448- and 896-bit messages, one million 'a'), the empty string, the
 * lengths around the 56/64-byte padding boundary (digests from Python's
 * hashlib), and streaming in odd chunk sizes against the one-shot digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/sha256.h"

static const struct { const char *in, *hex; } fips[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    /* the JA4 spec's cipher list example: its JA4_b is 8daaf6152771 */
    {"002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9",
     "8daaf6152771e33e12d734f9bc6478ed341f16cde27aee3aa36f2402f2c53b44"},
};

static void test_fips_vectors(void **st)
{
    (void)st;
    char hex[65];
    for (size_t i = 0; i < sizeof fips / sizeof fips[0]; i++) {
        mt_sha256_hex(fips[i].in, strlen(fips[i].in), hex);
        assert_string_equal(hex, fips[i].hex);
    }
}

static void test_million_a(void **st)
{
    (void)st;
    char *m = malloc(1000000);
    assert_non_null(m);
    memset(m, 'a', 1000000);
    char hex[65];
    mt_sha256_hex(m, 1000000, hex);
    free(m);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* bytes (i*7+3) & 255, lengths where the padding spills into a new block */
static const struct { size_t n; const char *hex; } edge[] = {
    {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
    {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
    {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
    {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
    {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
    {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
};

static void test_padding_boundaries(void **st)
{
    (void)st;
    uint8_t buf[128];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
    char hex[65];
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        mt_sha256_hex(buf, edge[i].n, hex);
        assert_string_equal(hex, edge[i].hex);
    }
}

static void test_streaming_matches_oneshot(void **st)
{
    (void)st;
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t n = 0; n < sizeof buf; n++) {
        char one[65];
        mt_sha256_hex(buf, n, one);
        for (size_t chunk = 1; chunk < 70; chunk += 13) {
            mt_sha256 c;
            uint8_t d[32];
            mt_sha256_init(&c);
            for (size_t off = 0; off < n; off += chunk)
                mt_sha256_update(&c, buf + off, (n - off < chunk) ? n - off : chunk);
            mt_sha256_final(&c, d);
            char two[65];
            for (int i = 0; i < 32; i++) snprintf(two + 2 * i, 3, "%02x", d[i]);
            assert_string_equal(one, two);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_streaming_matches_oneshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
