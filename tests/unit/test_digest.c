/* The digest wrapper (util/digest.h, libcrypto underneath) against known
 * vectors: MD5 from the RFC 1321 appendix A.5 suite and a JA3 printed by
 * tshark, SHA-256 from FIPS 180-4 / NIST examples and the JA4 spec; plus
 * streaming in odd piece sizes across the wrapper's gather buffer and the
 * block-boundary lengths where padding spills over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "minetrace/common.h"
#include "util/digest.h"

static const struct { const char *in, *hex; } md5_rfc[] = {
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

static const struct { const char *in, *hex; } sha_fips[] = {
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

static void test_md5_vectors(void **st)
{
    (void)st;
    char hex[2 * MT_MD5_LEN + 1];
    for (size_t i = 0; i < sizeof md5_rfc / sizeof md5_rfc[0]; i++) {
        assert_int_equal(mt_digest_hex(MT_DIGEST_MD5, md5_rfc[i].in, strlen(md5_rfc[i].in), hex),
                         MT_OK);
        assert_string_equal(hex, md5_rfc[i].hex);
    }
    /* JA3 of coinhive.pcap frame 22 as printed by tshark 4.0. */
    const char *s = "771,4865-4867-4866-49195-49199-52393-52392-49196-49200-49171-49172-47-53-10,"
                    "0-23-65281-10-11-35-16-5-51-43-13-45,29-23-24-25-256-257,0";
    mt_digest_hex(MT_DIGEST_MD5, s, strlen(s), hex);
    assert_string_equal(hex, "e539cf186447573e3ac2e0b10e262bd1");
}

static void test_sha256_vectors(void **st)
{
    (void)st;
    char hex[2 * MT_SHA256_LEN + 1];
    for (size_t i = 0; i < sizeof sha_fips / sizeof sha_fips[0]; i++) {
        assert_int_equal(
            mt_digest_hex(MT_DIGEST_SHA256, sha_fips[i].in, strlen(sha_fips[i].in), hex), MT_OK);
        assert_string_equal(hex, sha_fips[i].hex);
    }
    char *m = malloc(1000000);
    assert_non_null(m);
    memset(m, 'a', 1000000);
    mt_digest_hex(MT_DIGEST_SHA256, m, 1000000, hex);
    free(m);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* bytes (i*7+3) & 255, lengths where the padding spills into a new block */
static const struct { size_t n; const char *hex; } sha_edge[] = {
    {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
    {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
    {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
    {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
    {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
    {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
};

static void test_sha256_padding_boundaries(void **st)
{
    (void)st;
    uint8_t buf[128];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
    char hex[2 * MT_SHA256_LEN + 1];
    for (size_t i = 0; i < sizeof sha_edge / sizeof sha_edge[0]; i++) {
        mt_digest_hex(MT_DIGEST_SHA256, buf, sha_edge[i].n, hex);
        assert_string_equal(hex, sha_edge[i].hex);
    }
}

/* Fed in pieces of every size from 1 to past the gather buffer, the
 * digest equals the one-shot digest, for both algorithms, at every length
 * up to 600 bytes (so the buffer fills, flushes and is bypassed). */
static void test_streaming_matches_oneshot(void **st)
{
    (void)st;
    static const mt_digest_alg algs[] = {MT_DIGEST_MD5, MT_DIGEST_SHA256};
    uint8_t buf[600];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t a = 0; a < 2; a++) {
        size_t len = mt_digest_len(algs[a]);
        for (size_t n = 0; n <= sizeof buf; n += 7) {
            char one[2 * MT_DIGEST_MAX + 1], two[2 * MT_DIGEST_MAX + 1];
            assert_int_equal(mt_digest_hex(algs[a], buf, n, one), MT_OK);
            assert_int_equal(strlen(one), 2 * len);
            for (size_t chunk = 1; chunk < 300; chunk += 37) {
                mt_digest d;
                uint8_t out[MT_DIGEST_MAX];
                assert_int_equal(mt_digest_init(&d, algs[a]), MT_OK);
                for (size_t off = 0; off < n; off += chunk)
                    mt_digest_update(&d, buf + off, (n - off < chunk) ? n - off : chunk);
                assert_int_equal(mt_digest_final(&d, out), MT_OK);
                for (size_t k = 0; k < len; k++) snprintf(two + 2 * k, 3, "%02x", out[k]);
                assert_string_equal(one, two);
                /* the bytes past the digest length are zero */
                for (size_t k = len; k < MT_DIGEST_MAX; k++) assert_int_equal(out[k], 0);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_vectors),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_padding_boundaries),
        cmocka_unit_test(test_streaming_matches_oneshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
