/* The byte cursor (util/cursor.h): every width in both byte orders, a cut
 * at every offset of a record, the sticky error, sub-cursors and blocks,
 * peeks, limits and the in-place / copy-out byte accessors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/cursor.h"

static const uint8_t B[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                              0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0};

static void test_widths_both_orders(void **state)
{
    (void)state;
    mt_cur c = mt_cur_make(B, sizeof B);
    assert_int_equal(mt_cur_u8(&c), 0x01);
    assert_int_equal(mt_cur_left(&c), 15);

    c = mt_cur_make(B, sizeof B);
    assert_int_equal(mt_cur_be16(&c), 0x0102);
    assert_int_equal(mt_cur_be24(&c), 0x030405);
    assert_int_equal(mt_cur_be32(&c), 0x06070889u);
    assert_int_equal(mt_cur_left(&c), 7);
    c = mt_cur_make(B + 8, 8);
    assert_true(mt_cur_be64(&c) == 0x899aabbccddeeff0ULL);
    assert_int_equal(mt_cur_left(&c), 0);
    assert_true(mt_cur_ok(&c));

    c = mt_cur_make(B, sizeof B);
    assert_int_equal(mt_cur_le16(&c), 0x0201);
    assert_int_equal(mt_cur_le24(&c), 0x050403);
    assert_int_equal(mt_cur_le32(&c), 0x89080706u);
    c = mt_cur_make(B + 8, 8);
    assert_true(mt_cur_le64(&c) == 0xf0efdecdbcab9a89ULL);
    assert_true(mt_cur_ok(&c));

    /* Run-time order, as pcap declares it in its magic number. */
    c = mt_cur_make(B, sizeof B);
    assert_int_equal(mt_cur_u32_order(&c, 1), 0x01020304u);
    assert_int_equal(mt_cur_u32_order(&c, 0), 0x08070605u);
    assert_int_equal(mt_cur_u16_order(&c, 1), 0x899a);
    assert_int_equal(mt_cur_u16_order(&c, 0), 0xbcab);
    assert_true(mt_cur_ok(&c));

    /* High bits survive (no sign extension through int promotion). */
    static const uint8_t ff[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    c = mt_cur_make(ff, 8);
    assert_true(mt_cur_be64(&c) == UINT64_MAX);
    c = mt_cur_make(ff, 8);
    assert_true(mt_cur_le64(&c) == UINT64_MAX);
    c = mt_cur_make(ff, 4);
    assert_true(mt_cur_be32(&c) == UINT32_MAX);
    c = mt_cur_make(ff, 3);
    assert_true(mt_cur_le24(&c) == 0xffffffu);
}

/* Each reader, on every buffer shorter than its width: returns 0, fails
 * the cursor, leaves nothing readable. Exactly its width succeeds. */
static void test_each_width_truncated(void **state)
{
    (void)state;
    enum { U8, BE16, BE24, BE32, BE64, LE16, LE24, LE32, LE64, NREAD };
    static const size_t width[NREAD] = {1, 2, 3, 4, 8, 2, 3, 4, 8};
    for (int r = 0; r < NREAD; r++) {
        for (size_t n = 0; n <= width[r]; n++) {
            mt_cur c = mt_cur_make(B + 8, n); /* high bytes: 0 is never a right answer */
            uint64_t v = 0;
            switch (r) {
            case U8: v = mt_cur_u8(&c); break;
            case BE16: v = mt_cur_be16(&c); break;
            case BE24: v = mt_cur_be24(&c); break;
            case BE32: v = mt_cur_be32(&c); break;
            case BE64: v = mt_cur_be64(&c); break;
            case LE16: v = mt_cur_le16(&c); break;
            case LE24: v = mt_cur_le24(&c); break;
            case LE32: v = mt_cur_le32(&c); break;
            case LE64: v = mt_cur_le64(&c); break;
            }
            if (n < width[r]) {
                assert_false(mt_cur_ok(&c));
                assert_true(v == 0);
                assert_int_equal(mt_cur_left(&c), 0);
            } else {
                assert_true(mt_cur_ok(&c));
                assert_true(v != 0);
                assert_int_equal(mt_cur_left(&c), 0);
            }
        }
    }
}

/* A small record read field by field, the buffer cut at every offset:
 * the single check at the end says whether the whole record was there,
 * and the fields read before the cut are right. */
typedef struct rec {
    uint8_t kind;
    uint16_t len;
    uint32_t id;
    uint8_t tag[3];
    uint64_t stamp;
} rec;

static int read_rec(const uint8_t *p, size_t n, rec *r)
{
    mt_cur c = mt_cur_make(p, n);
    r->kind = mt_cur_u8(&c);
    r->len = mt_cur_be16(&c);
    r->id = mt_cur_le32(&c);
    mt_cur_copy(&c, r->tag, sizeof r->tag);
    mt_cur_skip(&c, 2);
    r->stamp = mt_cur_be64(&c);
    return mt_cur_ok(&c) ? MT_OK : MT_ETRUNC;
}

static void test_truncation_every_offset(void **state)
{
    (void)state;
    uint8_t w[1 + 2 + 4 + 3 + 2 + 8];
    for (size_t i = 0; i < sizeof w; i++) w[i] = (uint8_t)(0x10 + i);
    rec full;
    assert_int_equal(read_rec(w, sizeof w, &full), MT_OK);
    assert_int_equal(full.kind, 0x10);
    assert_int_equal(full.len, 0x1112);
    assert_int_equal(full.id, 0x16151413u);
    assert_memory_equal(full.tag, "\x17\x18\x19", 3);
    assert_true(full.stamp == 0x1c1d1e1f20212223ULL);
    for (size_t n = 0; n < sizeof w; n++) {
        rec r;
        memset(&r, 0x55, sizeof r);
        assert_int_equal(read_rec(w, n, &r), MT_ETRUNC);
        /* fields wholly before the cut are read, the others are 0 */
        assert_int_equal(r.kind, n >= 1 ? full.kind : 0);
        assert_int_equal(r.len, n >= 3 ? full.len : 0);
        assert_int_equal(r.id, n >= 7 ? full.id : 0);
        if (n >= 10) assert_memory_equal(r.tag, full.tag, 3);
        else assert_memory_equal(r.tag, "\0\0\0", 3);
        assert_true(r.stamp == 0);
    }
    /* The same with the buffer's own bytes ending at the cut (ASan sees
     * any read past it). */
    for (size_t n = 0; n < sizeof w; n++) {
        uint8_t *cut = test_malloc(n ? n : 1);
        memcpy(cut, w, n);
        rec r;
        assert_int_equal(read_rec(cut, n, &r), MT_ETRUNC);
        test_free(cut);
    }
}

static void test_sticky_error(void **state)
{
    (void)state;
    mt_cur c = mt_cur_make(B, 3);
    assert_int_equal(mt_cur_be16(&c), 0x0102);
    assert_int_equal(mt_cur_be16(&c), 0); /* one byte left: fails */
    assert_false(mt_cur_ok(&c));
    /* Everything after fails, even what would have fitted before. */
    assert_int_equal(mt_cur_u8(&c), 0);
    assert_int_equal(mt_cur_left(&c), 0);
    assert_null(mt_cur_take(&c, 1));
    /* zero-length steps do not clear the error */
    (void)mt_cur_take(&c, 0);
    mt_cur_skip(&c, 0);
    assert_false(mt_cur_ok(&c));
    mt_cur s = mt_cur_sub(&c, 0);
    assert_false(mt_cur_ok(&s));
    uint8_t d[2] = {9, 9};
    mt_cur_copy(&c, d, 2);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[1], 0);
    assert_int_equal(mt_cur_peek_u8(&c, 0), 0);

    /* mt_cur_fail: a value the caller rejects joins the same check. */
    c = mt_cur_make(B, sizeof B);
    mt_cur_fail(&c);
    assert_false(mt_cur_ok(&c));
    assert_int_equal(mt_cur_u8(&c), 0);

    /* An empty buffer (even NULL) reads as truncated, not as a crash. */
    c = mt_cur_make(NULL, 0);
    assert_true(mt_cur_ok(&c));
    assert_int_equal(mt_cur_u8(&c), 0);
    assert_false(mt_cur_ok(&c));
}

static void test_skip_take_copy(void **state)
{
    (void)state;
    mt_cur c = mt_cur_make(B, sizeof B);
    mt_cur_skip(&c, 0);
    assert_true(mt_cur_ok(&c));
    assert_ptr_equal(mt_cur_take(&c, 0), B);
    mt_cur_skip(&c, 3);
    assert_ptr_equal(mt_cur_ptr(&c), B + 3);
    const uint8_t *q = mt_cur_take(&c, 4);
    assert_ptr_equal(q, B + 3);
    assert_int_equal(mt_cur_left(&c), 9);
    uint8_t d[9];
    mt_cur_copy(&c, d, 9);
    assert_memory_equal(d, B + 7, 9);
    assert_true(mt_cur_ok(&c));
    assert_int_equal(mt_cur_left(&c), 0);

    /* A skip larger than what is left fails and moves nothing; a length
     * near SIZE_MAX cannot wrap the check. */
    c = mt_cur_make(B, sizeof B);
    mt_cur_skip(&c, 17);
    assert_false(mt_cur_ok(&c));
    c = mt_cur_make(B, sizeof B);
    mt_cur_u8(&c);
    assert_null(mt_cur_take(&c, SIZE_MAX));
    assert_false(mt_cur_ok(&c));
    c = mt_cur_make(B, sizeof B);
    assert_int_equal(mt_cur_peek_be16(&c, SIZE_MAX - 1), 0);
    assert_false(mt_cur_ok(&c));
}

static void test_sub_cursors_and_blocks(void **state)
{
    (void)state;
    /* [len8=3][a b c][len16=2][d e][len24=1][f][x] */
    static const uint8_t m[] = {3, 'a', 'b', 'c', 0, 2, 'd', 'e', 0, 0, 1, 'f', 'x'};
    mt_cur c = mt_cur_make(m, sizeof m);
    mt_cur b8 = mt_cur_block8(&c);
    mt_cur b16 = mt_cur_block16(&c);
    mt_cur b24 = mt_cur_block24(&c);
    assert_true(mt_cur_ok(&c) && mt_cur_ok(&b8) && mt_cur_ok(&b16) && mt_cur_ok(&b24));
    assert_int_equal(mt_cur_left(&b8), 3);
    assert_int_equal(mt_cur_left(&b16), 2);
    assert_int_equal(mt_cur_left(&b24), 1);
    assert_int_equal(mt_cur_u8(&c), 'x');

    /* A sub-cursor ends where its block ends, whatever follows it, and its
     * failure does not fail the parent. */
    assert_int_equal(mt_cur_be16(&b8), ('a' << 8) | 'b');
    assert_int_equal(mt_cur_be16(&b8), 0);
    assert_false(mt_cur_ok(&b8));
    assert_true(mt_cur_ok(&c));
    assert_int_equal(mt_cur_u8(&b24), 'f');
    assert_true(mt_cur_ok(&b24));

    /* A block longer than what is left fails both, at every cut. */
    for (size_t n = 0; n < 4; n++) {
        mt_cur p = mt_cur_make(m, n);
        mt_cur s = mt_cur_block8(&p);
        assert_false(mt_cur_ok(&p));
        assert_false(mt_cur_ok(&s));
        assert_int_equal(mt_cur_left(&s), 0);
    }
    /* A block whose length field itself is cut. */
    mt_cur p = mt_cur_make(m + 4, 1);
    mt_cur s = mt_cur_block16(&p);
    assert_false(mt_cur_ok(&p));
    assert_false(mt_cur_ok(&s));
    /* An empty block is fine. */
    static const uint8_t z[] = {0, 7};
    p = mt_cur_make(z, 2);
    s = mt_cur_block8(&p);
    assert_true(mt_cur_ok(&s));
    assert_int_equal(mt_cur_left(&s), 0);
    assert_int_equal(mt_cur_u8(&p), 7);

    /* Nested: a sub of a sub. */
    p = mt_cur_make(B, sizeof B);
    mt_cur outer = mt_cur_sub(&p, 8);
    mt_cur inner = mt_cur_sub(&outer, 4);
    assert_int_equal(mt_cur_be32(&inner), 0x01020304u);
    assert_int_equal(mt_cur_be32(&outer), 0x05060708u);
    assert_int_equal(mt_cur_be64(&p), 0x899aabbccddeeff0ULL);
    assert_true(mt_cur_ok(&p) && mt_cur_ok(&outer) && mt_cur_ok(&inner));
    mt_cur none = mt_cur_sub(&inner, 1);
    assert_false(mt_cur_ok(&none));
    assert_false(mt_cur_ok(&inner));
}

static void test_peek_and_limit(void **state)
{
    (void)state;
    mt_cur c = mt_cur_make(B, 4);
    assert_int_equal(mt_cur_peek_u8(&c, 3), 0x04);
    assert_int_equal(mt_cur_peek_be16(&c, 2), 0x0304);
    assert_int_equal(mt_cur_peek_le16(&c, 0), 0x0201);
    assert_int_equal(mt_cur_left(&c), 4); /* peeks do not move */
    assert_true(mt_cur_ok(&c));
    assert_int_equal(mt_cur_peek_be16(&c, 3), 0); /* one byte short */
    assert_false(mt_cur_ok(&c));
    c = mt_cur_make(B, 4);
    assert_int_equal(mt_cur_peek_u8(&c, 4), 0);
    assert_false(mt_cur_ok(&c));

    /* limit: shrinks, never grows, never fails */
    c = mt_cur_make(B, sizeof B);
    mt_cur_limit(&c, 100);
    assert_int_equal(mt_cur_left(&c), sizeof B);
    mt_cur_limit(&c, 5);
    assert_int_equal(mt_cur_left(&c), 5);
    mt_cur_skip(&c, 5);
    assert_true(mt_cur_ok(&c));
    assert_int_equal(mt_cur_u8(&c), 0);
    assert_false(mt_cur_ok(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_both_orders),
        cmocka_unit_test(test_each_width_truncated),
        cmocka_unit_test(test_truncation_every_offset),
        cmocka_unit_test(test_sticky_error),
        cmocka_unit_test(test_skip_take_copy),
        cmocka_unit_test(test_sub_cursors_and_blocks),
        cmocka_unit_test(test_peek_and_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
