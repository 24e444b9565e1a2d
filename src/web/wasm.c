/* WebAssembly module parser and CryptoNight recogniser (see wasm.h for what
 * decides, docs/WEB.md for the reasoning). */
#include "web/wasm.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/cursor.h"

/* ---- LEB128 over the cursor ---------------------------------------------
 * The unused high bits of the last byte must be zero (sign copies for the
 * signed forms), as the spec requires: a value that does not fit fails the
 * cursor like a read past the end. */

static uint32_t leb_u32(mt_cur *c)
{
    uint32_t v = 0;
    for (int i = 0; i < 5; i++) {
        uint8_t b = mt_cur_u8(c);
        if (i == 4 && (b & 0xF0)) break;
        v |= (uint32_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) return v;
    }
    mt_cur_fail(c);
    return 0;
}

static uint64_t leb_u64(mt_cur *c)
{
    uint64_t v = 0;
    for (int i = 0; i < 10; i++) {
        uint8_t b = mt_cur_u8(c);
        if (i == 9 && (b & 0xFE)) break;
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) return v;
    }
    mt_cur_fail(c);
    return 0;
}

/* Signed LEB of `bits` (32, 33 or 64) bits. */
static int64_t leb_s(mt_cur *c, int bits)
{
    uint64_t v = 0;
    int shift = 0, maxb = (bits + 6) / 7;
    for (int i = 0; i < maxb; i++) {
        uint8_t b = mt_cur_u8(c);
        if (i == maxb - 1) {
            /* bits left for the last byte: the rest must copy the sign */
            int used = bits - 7 * i;
            if (used < 7) {
                int sign = (b >> (used - 1)) & 1;
                uint8_t rest = (uint8_t)((b & 0x7F) >> used);
                uint8_t want = sign ? (uint8_t)(0x7F >> used) : 0;
                if ((b & 0x80) || rest != want) break;
            } else if (b & 0x80) {
                break;
            }
        }
        v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
            return (int64_t)v;
        }
    }
    mt_cur_fail(c);
    return 0;
}

/* ---- constant tables ------------------------------------------------------
 * Algorithm constants from the published specifications (FIPS 197, FIPS 202,
 * the BLAKE, Groestl, JH and Skein submissions), searched for in data segments
 * and immediates. */

static const uint64_t KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

/* BLAKE-256's constants: the first digits of pi. */
static const uint32_t BLAKE_C[16] = {0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0,
                                     0x082EFA98, 0xEC4E6C89, 0x452821E6, 0x38D01377, 0xBE5466CF, 0x34E90C6C,
                                     0xC0AC29B7, 0xC97C50DD, 0x3F84D5B5, 0xB5470917};

#define SKEIN_KS_PARITY 0x1BD11BDAA9FC1A22ULL
static const uint8_t JH_E8_C0[8] = {0x72, 0xd5, 0xde, 0xa2, 0xdf, 0x15, 0xf8, 0x67};
static const uint8_t AES_SBOX16[16] = {0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5,
                                       0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76};

/* Kinds of constant tables found in data. */
enum { TB_AES, TB_KECCAK, TB_BLAKE, TB_SKEIN, TB_JH, TB_GROESTL, TB_NKIND };

/* A byte pattern searched for in data; `span` is how far the table it
 * starts may extend (for tying a function's addresses to it). */
typedef struct pat {
    uint8_t b[16];
    uint8_t len, kind;
    uint16_t span;
    uint8_t back; /* the table starts this many bytes before the pattern */
} pat;

#define MAX_PATS 96
static pat g_pats[MAX_PATS];
static int g_npats;
/* index of the first pattern whose first four bytes hash to the slot */
#define PSLOTS 256
static int16_t g_pslot[PSLOTS][4];

static uint8_t xt(uint8_t x) { return (uint8_t)((x << 1) ^ ((x & 0x80) ? 0x1b : 0)); }
static uint8_t gmul(uint8_t x, int m)
{
    uint8_t r = 0, a = x;
    for (; m; m >>= 1, a = xt(a))
        if (m & 1) r ^= a;
    return r;
}

static uint32_t pslot_of(const uint8_t *b)
{
    uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return (v * 2654435761u) >> 24;
}

static void add_pat(const uint8_t *b, int len, int kind, int span, int back)
{
    if (g_npats >= MAX_PATS) return;
    pat *p = &g_pats[g_npats];
    memcpy(p->b, b, (size_t)len);
    p->len = (uint8_t)len;
    p->kind = (uint8_t)kind;
    p->span = (uint16_t)span;
    p->back = (uint8_t)back;
    uint32_t s = pslot_of(b);
    for (int i = 0; i < 4; i++)
        if (g_pslot[s][i] < 0) {
            g_pslot[s][i] = (int16_t)g_npats++;
            return;
        }
}

/* A T-table's first two entries, each the S-box value times the column
 * multipliers, in every rotation and both directions (tables differ in how
 * they rotate a column and in which byte they put first). */
static void add_ttable(const int *mul, int cols, int kind, int span)
{
    const uint8_t s0 = 0x63, s1 = 0x7c;
    for (int dir = 0; dir < 2; dir++)
        for (int rot = 0; rot < cols; rot++) {
            uint8_t b[16];
            for (int i = 0; i < cols; i++) {
                int k = dir ? (rot - i + 2 * cols) % cols : (rot + i) % cols;
                b[i] = gmul(s0, mul[k]);
                b[cols + i] = gmul(s1, mul[k]);
            }
            add_pat(b, 2 * cols, kind, span, 0);
        }
}

static void le64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
}

static void init_pats(void)
{
    memset(g_pslot, 0xff, sizeof g_pslot);
    g_npats = 0;
    static const int aes_mul[4] = {2, 1, 1, 3};
    static const int groestl_mul[8] = {2, 2, 3, 4, 5, 3, 5, 7};
    add_ttable(aes_mul, 4, TB_AES, 4096);
    add_ttable(groestl_mul, 8, TB_GROESTL, 16384);
    add_pat(AES_SBOX16, 16, TB_AES, 256, 0);
    uint8_t b[16];
    /* from the second constant: the first (1) starts too many other tables */
    le64(b, KECCAK_RC[1]);
    le64(b + 8, KECCAK_RC[2]);
    add_pat(b, 16, TB_KECCAK, 192, 8);
    for (int i = 0; i < 2; i++) {
        uint32_t v0 = BLAKE_C[0], v1 = BLAKE_C[1];
        for (int k = 0; k < 4; k++) {
            b[k] = (uint8_t)(v0 >> (i ? 24 - 8 * k : 8 * k));
            b[4 + k] = (uint8_t)(v1 >> (i ? 24 - 8 * k : 8 * k));
        }
        add_pat(b, 8, TB_BLAKE, 64, 0);
    }
    le64(b, SKEIN_KS_PARITY);
    add_pat(b, 8, TB_SKEIN, 8, 0);
    add_pat(JH_E8_C0, 8, TB_JH, 42 * 32, 0);
}

/* ---- module state --------------------------------------------------------- */

#define MAX_RANGES 32
typedef struct range {
    uint32_t lo, hi; /* memory addresses [lo, hi) */
    uint8_t kind;
} range;

/* Per-function summary kept for the call graph pass. */
enum {
    F_AES = 1u << 0,
    F_KECCAK = 1u << 1,
    F_SCRATCH = 1u << 2,
    F_BLAKE = 1u << 3,
    F_SKEIN = 1u << 4,
    F_JH = 1u << 5,
    F_GROESTL = 1u << 6,
    F_MINE_INLINE = 1u << 7, /* a mining-shaped loop around a nested scratchpad loop */
    F_MINE_STRONG = 1u << 8, /* ... that stores its increment (the nonce) */
    /* reach marks, set by the call graph pass */
    R_SCRATCH = 1u << 12,
    R_AES = 1u << 13,
    R_KECCAK = 1u << 14,
    F_EXPORTED = 1u << 16,
};

typedef struct fsum {
    uint32_t flags;
} fsum;

/* A direct call: caller and callee as function indices (imports first). */
typedef struct edge {
    uint32_t from, to;
    uint8_t loop; /* 0, or 1 = from a mining-shaped loop, 2 = ... that stores its increment */
} edge;

#define MAX_EDGES (4u << 20)
#define MAX_FUNCS (1u << 20)
#define CTRL_DEPTH 256

typedef struct loopst {
    uint32_t loads, stores, mask_and, inc, inc_store, cmp_br, load_cmp;
    uint32_t nested_scratch;
    uint32_t edge_start;
    int parent; /* index of the enclosing loop on the control stack, or -1 */
    int is_loop;
} loopst;

typedef struct fstat {
    uint32_t ops, i32_xor, i32_rot, blake_rot, i64_xor, i64_rot, i64_add, i64_andnot, i64_mul;
    uint32_t lookups, byte_lookups, xtime;
    uint32_t blake_consts, rc_consts, skein_const;
    uint32_t ref_kind; /* bit per TB_* table whose address range the function uses */
    uint32_t scratch_loops, mine_inline, mine_strong;
} fstat;

typedef struct modstate {
    mt_wasm_info *out;
    mt_textbuf err;
    uint32_t n_types;
    uint32_t n_func_imports, n_defined;
    uint32_t n_all; /* imports + defined */
    fsum *f;
    edge *e;
    uint32_t n_edges, cap_edges;
    uint64_t mark_budget; /* edge visits left for marking loop calls (nested loops revisit) */
    range r[MAX_RANGES];
    int nr;
    uint32_t r_lo, r_hi; /* bounds over all ranges */
    uint32_t tables_found; /* bit per TB_* seen in data at all */
    int has_grow;
    uint32_t data_off_known;
    /* decisions */
    uint32_t n_aes, n_keccak, n_scratch, fin_bits;
    uint32_t scratch_mask;
    int mine, mine_strong;
} modstate;

static int fail(modstate *m, const char *what, size_t at)
{
    mt_textbuf_puts(&m->err, "invalid: ");
    mt_textbuf_puts(&m->err, what);
    mt_textbuf_puts(&m->err, " (at byte ");
    mt_textbuf_put_u(&m->err, at);
    mt_textbuf_puts(&m->err, ")");
    return MT_EINVAL;
}

/* ---- instruction decoding ------------------------------------------------- */

/* Immediate shapes of the one-byte opcodes. */
enum {
    IM_BAD = 0,
    IM_NONE,
    IM_BT,      /* block type */
    IM_U32,     /* one index */
    IM_U32x2,   /* two indices (call_indirect, ...) */
    IM_BRTABLE, /* vec(label) label */
    IM_MEM,     /* memarg */
    IM_I32,
    IM_I64,
    IM_F32,
    IM_F64,
    IM_SELT,    /* vec(valtype) */
    IM_HEAP,    /* heap type (s33) */
    IM_FC,
    IM_FD,
    IM_FE,
};

static uint8_t g_imm[256];

static void init_imm(void)
{
    uint8_t *t = g_imm;
    memset(t, IM_BAD, 256);
    t[0x00] = t[0x01] = IM_NONE;
    t[0x02] = t[0x03] = t[0x04] = IM_BT;
    t[0x05] = IM_NONE;                   /* else */
    t[0x06] = IM_BT;                     /* try (legacy exceptions) */
    t[0x07] = t[0x08] = t[0x09] = IM_U32; /* catch, throw, rethrow */
    t[0x0A] = IM_NONE;                   /* throw_ref */
    t[0x0B] = IM_NONE;                   /* end */
    t[0x0C] = t[0x0D] = IM_U32;          /* br, br_if */
    t[0x0E] = IM_BRTABLE;
    t[0x0F] = IM_NONE;
    t[0x10] = IM_U32;                    /* call */
    t[0x11] = IM_U32x2;                  /* call_indirect type table */
    t[0x12] = IM_U32;                    /* return_call */
    t[0x13] = IM_U32x2;                  /* return_call_indirect */
    t[0x14] = t[0x15] = IM_U32;          /* call_ref, return_call_ref */
    t[0x18] = IM_U32;                    /* delegate */
    t[0x19] = IM_NONE;                   /* catch_all */
    t[0x1A] = t[0x1B] = IM_NONE;
    t[0x1C] = IM_SELT;
    for (int o = 0x20; o <= 0x26; o++) t[o] = IM_U32;
    for (int o = 0x28; o <= 0x3E; o++) t[o] = IM_MEM;
    t[0x3F] = t[0x40] = IM_U32;          /* memory.size/grow memidx */
    t[0x41] = IM_I32;
    t[0x42] = IM_I64;
    t[0x43] = IM_F32;
    t[0x44] = IM_F64;
    for (int o = 0x45; o <= 0xC4; o++) t[o] = IM_NONE;
    t[0xD0] = IM_HEAP;
    t[0xD1] = IM_NONE;
    t[0xD2] = IM_U32;
    t[0xD3] = t[0xD4] = IM_NONE;          /* ref.eq, ref.as_non_null */
    t[0xD5] = t[0xD6] = IM_U32;           /* br_on_null, br_on_non_null */
    t[0xFC] = IM_FC;
    t[0xFD] = IM_FD;
    t[0xFE] = IM_FE;
}

/* The tables are built once per process, whichever thread comes first. */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void init_tables(void)
{
    init_pats();
    init_imm();
}

/* Tags the pattern matcher gives an instruction's result. */
enum { T_NONE, T_CONST, T_BYTE, T_BYTE_ADDR, T_SCALED, T_SCALED_ADDR, T_LOAD, T_INC, T_CMP, T_OPERAND };

typedef struct prevop {
    uint16_t op;
    uint8_t tag;
    int64_t val; /* the constant, for const ops */
} prevop;

static int is_scratch_mask(uint64_t v)
{
    /* (2^k - 1) << 4 for scratchpads of 256 KiB (k = 14) to 4 MiB (k = 18) */
    for (int k = 14; k <= 18; k++)
        if (v == ((((uint64_t)1 << k) - 1) << 4)) return k;
    return 0;
}

static int is_scratch_mask_unshifted(uint64_t v)
{
    for (int k = 14; k <= 18; k++)
        if (v == (((uint64_t)1 << k) - 1)) return k;
    return 0;
}

static int blake_rot_amount(int left, int64_t a)
{
    int r = (int)(a & 31);
    if (left) r = (32 - r) & 31;
    return r == 16 || r == 12 || r == 8 || r == 7;
}

static void note_addr(modstate *m, fstat *fs, uint64_t a)
{
    if (a < m->r_lo || a >= m->r_hi) return;
    for (int i = 0; i < m->nr; i++)
        if (a >= m->r[i].lo && a < m->r[i].hi) fs->ref_kind |= 1u << m->r[i].kind;
}

static void add_edge(modstate *m, uint32_t from, uint32_t to)
{
    if (m->n_edges && m->e[m->n_edges - 1].from == from && m->e[m->n_edges - 1].to == to) return;
    if (m->n_edges == m->cap_edges) {
        if (m->cap_edges >= MAX_EDGES) return;
        uint32_t nc = m->cap_edges ? m->cap_edges * 2 : 1024;
        edge *ne = realloc(m->e, (size_t)nc * sizeof *ne);
        if (!ne) return; /* the graph is partial; the decision just sees fewer calls */
        m->e = ne;
        m->cap_edges = nc;
    }
    m->e[m->n_edges++] = (edge){from, to, 0};
}

static int is_load(uint16_t op) { return op >= 0x28 && op <= 0x35; }
static int is_store(uint16_t op) { return op >= 0x36 && op <= 0x3E; }
static int is_cmp(uint16_t op)
{
    return (op >= 0x46 && op <= 0x4F) || (op >= 0x51 && op <= 0x5A);
}
static int is_ordered_cmp(uint16_t op)
{
    return (op >= 0x48 && op <= 0x4F) || (op >= 0x53 && op <= 0x5A);
}

/* Decode one function body (locals already read); fills fs. Returns 0, or
 * -1 when an unknown opcode stopped the decoding, -2 when the body is
 * malformed. */
static int decode_body(modstate *m, mt_cur *c, uint32_t fidx, fstat *fs)
{
    loopst ctl[CTRL_DEPTH];
    int depth = 0, over = 0; /* over: nesting beyond CTRL_DEPTH, not tracked */
    int cur_loop = -1;
    prevop pv[3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    uint64_t rc_seen = 0;
    uint32_t blake_seen = 0;
    int ended = 0;

    while (mt_cur_left(c)) {
        uint8_t b = mt_cur_u8(c);
        uint16_t op = b;
        uint8_t tag = T_NONE;
        int64_t val = 0;
        fs->ops++;
        switch (g_imm[b]) {
        case IM_BAD:
            return -1;
        case IM_NONE:
            break;
        case IM_BT: {
            /* 0x40, a value type (one negative byte), or a type index (s33) */
            uint8_t t = mt_cur_peek_u8(c, 0);
            if (t == 0x40 || (t >= 0x69 && t <= 0x7F))
                mt_cur_skip(c, 1);
            else if (t == 0x63 || t == 0x64) {
                mt_cur_skip(c, 1);
                leb_s(c, 33);
            } else if (leb_s(c, 33) < 0)
                mt_cur_fail(c);
            break;
        }
        case IM_U32:
            val = leb_u32(c);
            break;
        case IM_U32x2:
            leb_u32(c);
            leb_u32(c);
            break;
        case IM_BRTABLE: {
            uint32_t k = leb_u32(c);
            if (k > mt_cur_left(c)) mt_cur_fail(c);
            for (uint32_t i = 0; i <= k && mt_cur_ok(c); i++) leb_u32(c);
            break;
        }
        case IM_MEM: {
            uint32_t align = leb_u32(c);
            if (align & 0x40) leb_u32(c); /* multi-memory index */
            uint64_t off = leb_u64(c);
            val = (int64_t)off;
            note_addr(m, fs, off);
            break;
        }
        case IM_I32:
            val = (int32_t)leb_s(c, 32);
            tag = T_CONST;
            note_addr(m, fs, (uint32_t)val);
            break;
        case IM_I64:
            val = leb_s(c, 64);
            tag = T_CONST;
            break;
        case IM_F32:
            mt_cur_skip(c, 4);
            break;
        case IM_F64:
            mt_cur_skip(c, 8);
            break;
        case IM_SELT: {
            uint32_t k = leb_u32(c);
            if (k > mt_cur_left(c)) mt_cur_fail(c);
            mt_cur_skip(c, k);
            break;
        }
        case IM_HEAP: {
            uint8_t t = mt_cur_peek_u8(c, 0);
            if (t >= 0x69 && t <= 0x74)
                mt_cur_skip(c, 1);
            else
                leb_s(c, 33);
            break;
        }
        case IM_FC: {
            uint32_t s = leb_u32(c);
            op = (uint16_t)(0x100 + (s & 0xFF));
            if (s <= 7 || s == 18 || s == 19) {
                /* saturating truncations; 18/19 unused */
            } else if (s == 8 || s == 10 || s == 12 || s == 14) {
                leb_u32(c);
                leb_u32(c);
            } else if (s == 9 || s == 11 || s == 13 || (s >= 15 && s <= 17)) {
                leb_u32(c);
            } else {
                return -1;
            }
            break;
        }
        case IM_FD: {
            uint32_t s = leb_u32(c);
            op = 0x200;
            if (s <= 11 || s == 92 || s == 93) {
                uint32_t align = leb_u32(c);
                if (align & 0x40) leb_u32(c);
                leb_u32(c);
                op = s == 11 ? 0x201 : 0x202; /* store : load */
            } else if (s == 12 || s == 13) {
                mt_cur_skip(c, 16);
            } else if (s >= 21 && s <= 34) {
                mt_cur_skip(c, 1);
            } else if (s >= 84 && s <= 91) {
                uint32_t align = leb_u32(c);
                if (align & 0x40) leb_u32(c);
                leb_u32(c);
                mt_cur_skip(c, 1);
                op = s >= 88 ? 0x201 : 0x202;
            } else if (s > 0x113) {
                return -1;
            }
            break;
        }
        case IM_FE: {
            uint32_t s = leb_u32(c);
            if (s == 3) {
                mt_cur_skip(c, 1);
            } else if (s <= 2 || (s >= 0x10 && s <= 0x4E)) {
                uint32_t align = leb_u32(c);
                if (align & 0x40) leb_u32(c);
                leb_u32(c);
            } else {
                return -1;
            }
            op = 0x300;
            break;
        }
        }
        if (!mt_cur_ok(c)) return -2;

        loopst *L = cur_loop >= 0 ? &ctl[cur_loop] : NULL;
        /* ---- structure ---- */
        if (op == 0x02 || op == 0x03 || op == 0x04 || op == 0x06) {
            if (depth >= CTRL_DEPTH) {
                over++;
            } else {
                loopst *n = &ctl[depth];
                memset(n, 0, sizeof *n);
                n->is_loop = op == 0x03;
                n->parent = cur_loop;
                n->edge_start = m->n_edges;
                if (n->is_loop) cur_loop = depth;
                depth++;
            }
        } else if (op == 0x0B || op == 0x18 /* delegate ends a try */) {
            if (over) {
                over--;
            } else if (depth == 0) {
                ended = 1; /* the body's final end */
                if (mt_cur_left(c)) return -2;
                break;
            } else {
                loopst *n = &ctl[--depth];
                if (n->is_loop) {
                    cur_loop = n->parent;
                    int scratch = n->mask_and && n->loads >= 2 && n->stores >= 2;
                    int mineshape = n->inc && n->cmp_br && (n->inc_store || n->load_cmp);
                    if (scratch) fs->scratch_loops++;
                    if (mineshape) {
                        uint8_t lv = n->inc_store ? 2 : 1;
                        for (uint32_t i = n->edge_start; i < m->n_edges && m->mark_budget; i++, m->mark_budget--)
                            if (m->e[i].from == fidx && m->e[i].loop < lv) m->e[i].loop = lv;
                        if (n->nested_scratch) {
                            fs->mine_inline++;
                            if (n->inc_store) fs->mine_strong++;
                        }
                    }
                    if (cur_loop >= 0) {
                        loopst *p = &ctl[cur_loop];
                        p->loads += n->loads;
                        p->stores += n->stores;
                        p->inc += n->inc;
                        p->inc_store += n->inc_store;
                        p->cmp_br += n->cmp_br;
                        p->load_cmp += n->load_cmp;
                        /* the scratchpad loop's own mask is not the parent's addressing */
                        if (scratch || n->nested_scratch) p->nested_scratch++;
                        else p->mask_and += n->mask_and;
                    }
                }
            }
        } else if (op == 0x10 || op == 0x12) {
            if ((uint64_t)val < m->n_all) add_edge(m, fidx, (uint32_t)val);
        } else if (op == 0x40) {
            m->has_grow = 1;
        }

        /* ---- the instruction mix ---- */
        switch (op) {
        case 0x73: /* i32.xor */
            fs->i32_xor++;
            break;
        case 0x77: /* i32.rotl */
        case 0x78: /* i32.rotr */
            fs->i32_rot++;
            if (pv[0].tag == T_CONST && blake_rot_amount(op == 0x77, pv[0].val)) fs->blake_rot++;
            break;
        case 0x85: /* i64.xor */
            fs->i64_xor++;
            if (pv[0].tag == T_CONST && pv[0].val == -1) fs->i64_andnot++;
            break;
        case 0x83: /* i64.and */
            fs->i64_andnot++;
            break;
        case 0x89: /* i64.rotl */
        case 0x8A: /* i64.rotr */
            fs->i64_rot++;
            break;
        case 0x7C: /* i64.add */
            fs->i64_add++;
            break;
        case 0x7E: /* i64.mul */
            fs->i64_mul++;
            break;
        case 0x41: /* i32.const */
            for (int i = 0; i < 16; i++)
                if ((uint32_t)val == BLAKE_C[i]) blake_seen |= 1u << i;
            if ((uint32_t)val == 0x1b || (uint32_t)val == 0x11b) fs->xtime++;
            break;
        case 0x42: /* i64.const */
            for (int i = 0; i < 24; i++)
                if ((uint64_t)val == KECCAK_RC[i] && KECCAK_RC[i] > 0xFFFF) rc_seen |= 1ull << i;
            if ((uint64_t)val == SKEIN_KS_PARITY) fs->skein_const = 1;
            break;
        default:
            break;
        }

        /* byte-index provenance for table lookups */
        if (op == 0x71 /* i32.and */ && pv[0].tag == T_CONST) {
            int64_t k = pv[0].val;
            if (k == 255)
                tag = T_BYTE;
            else if (k == 1020 || k == 2040)
                tag = T_SCALED;
            if (is_scratch_mask((uint64_t)(uint32_t)k) && L) L->mask_and++;
            if (is_scratch_mask((uint64_t)(uint32_t)k) && !m->scratch_mask) m->scratch_mask = (uint32_t)k;
        } else if (op == 0x83 /* i64.and */ && pv[0].tag == T_CONST) {
            if (is_scratch_mask((uint64_t)pv[0].val) && L) L->mask_and++;
            if (is_scratch_mask((uint64_t)pv[0].val) && !m->scratch_mask) m->scratch_mask = (uint32_t)pv[0].val;
        } else if ((op == 0x74 /* i32.shl */ || op == 0x86 /* i64.shl */) && pv[0].tag == T_CONST) {
            if ((pv[0].val == 2 || pv[0].val == 3) && pv[1].tag == T_BYTE) tag = T_SCALED;
            /* ((x >> 4) & (2^k - 1)) << 4: the mask before the shift */
            if (pv[0].val == 4 && pv[1].tag == T_OPERAND && L) L->mask_and++;
        } else if (op == 0x76 /* i32.shr_u */ && pv[0].tag == T_CONST && pv[0].val == 24) {
            tag = T_BYTE;
        } else if (op == 0x6A /* i32.add */) {
            int base = pv[0].op == 0x41 || pv[0].op == 0x20 || pv[0].op == 0x23; /* const, local, global */
            if (pv[0].tag == T_SCALED || (pv[1].tag == T_SCALED && base))
                tag = T_SCALED_ADDR;
            else if (pv[0].tag == T_BYTE || (pv[1].tag == T_BYTE && base))
                tag = T_BYTE_ADDR; /* an S-box indexed by a byte */
            if (pv[0].tag == T_CONST && pv[0].val == 1) tag = T_INC;
        } else if (op == 0x7C /* i64.add */) {
            if (pv[0].tag == T_CONST && pv[0].val == 1) tag = T_INC;
        } else if (op == 0x6B /* i32.sub */ || op == 0x7D /* i64.sub */) {
            if (pv[0].tag == T_CONST && pv[0].val == -1) tag = T_INC;
        }
        if ((op == 0x71 || op == 0x83) && pv[0].tag == T_CONST &&
            is_scratch_mask_unshifted((uint64_t)(op == 0x71 ? (uint32_t)pv[0].val : (uint64_t)pv[0].val)))
            tag = T_OPERAND;
        if (op == 0x28 || op == 0x29) { /* i32.load, i64.load */
            if (pv[0].tag == T_SCALED || pv[0].tag == T_SCALED_ADDR) fs->lookups++;
            tag = T_LOAD;
        } else if (op == 0x2D) { /* i32.load8_u */
            if (pv[0].tag == T_BYTE || pv[0].tag == T_BYTE_ADDR) fs->byte_lookups++;
            tag = T_BYTE;
        } else if (is_load(op) || op == 0x202) {
            tag = T_LOAD;
        }
        if (L) {
            if (is_load(op) || op == 0x202) L->loads++;
            if (is_store(op) || op == 0x201) {
                L->stores++;
                if (pv[0].tag == T_INC || (pv[0].op == 0x22 /* local.tee */ && pv[1].tag == T_INC)) L->inc_store++;
            }
            if (tag == T_INC) L->inc++;
            if ((op == 0x0D || op == 0x04) && (pv[0].tag == T_CMP || (pv[0].op == 0x45 || pv[0].op == 0x50)))
                L->cmp_br++;
            if (is_ordered_cmp(op) && (pv[0].tag == T_LOAD || pv[1].tag == T_LOAD)) L->load_cmp++;
        }
        if (is_cmp(op)) tag = T_CMP;

        pv[2] = pv[1];
        pv[1] = pv[0];
        pv[0].op = op;
        pv[0].tag = tag;
        pv[0].val = val;
    }
    if (!ended) return -2;
    int nrc = __builtin_popcountll(rc_seen);
    fs->rc_consts = (uint32_t)nrc;
    fs->blake_consts = (uint32_t)__builtin_popcount(blake_seen);
    return 0;
}

/* ---- per-function classification ------------------------------------------ */

static uint32_t classify(const modstate *m, const fstat *s)
{
    uint32_t fl = 0;
    /* AES rounds: T-table lookups with xors; byte-wise S-box rounds with xtime */
    if ((s->lookups >= 16 && s->i32_xor >= 12) ||
        (s->lookups >= 8 && s->i32_xor >= 8 && (s->ref_kind & (1u << TB_AES))) ||
        (s->byte_lookups >= 16 && s->i32_xor >= 16 && s->xtime) ||
        /* a rolled byte-wise round reading the S-box found in data */
        (s->byte_lookups && s->xtime && s->i32_xor >= 4 && (s->ref_kind & (1u << TB_AES))))
        fl |= F_AES;
    /* Keccak-f: unrolled rotate/xor/and-not chains (no additions, unlike
     * BLAKE2b, Skein or SHA-512), or the round constants with xors */
    if ((s->i64_rot >= 20 && s->i64_xor >= 40 && s->i64_andnot >= 10 && s->i64_add * 8 <= s->i64_xor) ||
        ((s->ref_kind & (1u << TB_KECCAK)) && s->i64_xor >= 5) || (s->rc_consts >= 8 && s->i64_xor >= 20))
        fl |= F_KECCAK;
    if (s->scratch_loops) fl |= F_SCRATCH;
    if (s->blake_rot >= 16 && (s->blake_consts >= 4 || (s->ref_kind & (1u << TB_BLAKE)) ||
                               (m->tables_found & (1u << TB_BLAKE))))
        fl |= F_BLAKE;
    /* Skein: Threefish's add/rotate/xor MIX with its key-schedule parity
     * constant, unrolled, or rolled with the constant in the function */
    if ((s->i64_rot >= 16 && s->i64_add >= 16 && s->i64_xor >= 16 &&
         (s->skein_const || (s->ref_kind & (1u << TB_SKEIN)) || (m->tables_found & (1u << TB_SKEIN)))) ||
        ((s->skein_const || (s->ref_kind & (1u << TB_SKEIN))) && s->i64_rot && s->i64_add >= 2 && s->i64_xor >= 2))
        fl |= F_SKEIN;
    if ((s->ref_kind & (1u << TB_JH)) && s->i64_xor + s->i32_xor >= 16) fl |= F_JH;
    if ((s->ref_kind & (1u << TB_GROESTL)) && s->lookups >= 16) fl |= F_GROESTL;
    if (s->mine_inline) fl |= F_MINE_INLINE;
    if (s->mine_strong) fl |= F_MINE_STRONG;
    return fl;
}

/* ---- sections ------------------------------------------------------------- */

static int skip_name(mt_cur *c)
{
    uint32_t k = leb_u32(c);
    mt_cur_skip(c, k);
    return mt_cur_ok(c);
}

static int read_limits(mt_cur *c, uint64_t *min)
{
    uint8_t fl = mt_cur_u8(c);
    if (fl > 7) {
        mt_cur_fail(c);
        return 0;
    }
    *min = (fl & 4) ? leb_u64(c) : leb_u32(c);
    if (fl & 1) (void)((fl & 4) ? leb_u64(c) : leb_u32(c));
    return mt_cur_ok(c);
}

static int valtype_ok(uint8_t t) { return (t >= 0x7B && t <= 0x7F) || t == 0x70 || t == 0x6F; }

static void read_reftype(mt_cur *c)
{
    uint8_t t = mt_cur_u8(c);
    if (t == 0x63 || t == 0x64) leb_s(c, 33);
    else if (!(t >= 0x69 && t <= 0x74)) mt_cur_fail(c);
}

/* A constant expression up to its end; *i32 gets the value when it is one
 * i32.const (a data segment's address). */
static int const_expr(mt_cur *c, int64_t *i32, int *known)
{
    *known = 0;
    int n = 0;
    for (;;) {
        uint8_t op = mt_cur_u8(c);
        if (!mt_cur_ok(c)) return 0;
        if (op == 0x0B) return 1;
        n++;
        switch (op) {
        case 0x41: {
            int64_t v = (int32_t)leb_s(c, 32);
            if (n == 1) {
                *i32 = v;
                *known = 1;
            } else {
                *known = 0;
            }
            break;
        }
        case 0x42: leb_s(c, 64); *known = 0; break;
        case 0x43: mt_cur_skip(c, 4); break;
        case 0x44: mt_cur_skip(c, 8); break;
        case 0x23: leb_u32(c); *known = 0; break; /* global.get */
        case 0xD0: read_reftype(c); break;
        case 0xD2: leb_u32(c); break;
        case 0x6A: case 0x6B: case 0x6C: case 0x7C: case 0x7D: case 0x7E: /* extended const */
            *known = 0;
            break;
        case 0xFD: /* v128.const */
            if (leb_u32(c) != 12) return 0;
            mt_cur_skip(c, 16);
            break;
        default:
            return 0;
        }
        if (n > 4096) return 0;
    }
}

static void add_range(modstate *m, uint32_t lo, uint32_t span, int kind)
{
    m->tables_found |= 1u << kind;
    for (int i = 0; i < m->nr; i++)
        if (m->r[i].lo == lo && m->r[i].kind == kind) return;
    if (m->nr >= MAX_RANGES) return;
    uint32_t hi = lo + span < lo ? UINT32_MAX : lo + span;
    m->r[m->nr++] = (range){lo, hi, (uint8_t)kind};
    if (m->nr == 1 || lo < m->r_lo) m->r_lo = lo;
    if (hi > m->r_hi) m->r_hi = hi;
}

/* Constant tables in one data segment's bytes (at memory address `base`
 * when known). */
static void scan_data(modstate *m, const uint8_t *d, size_t len, int64_t base, int known)
{
    if (len < 8) return;
    for (size_t i = 0; i + 8 <= len; i++) {
        uint32_t s = pslot_of(d + i);
        for (int k = 0; k < 4 && g_pslot[s][k] >= 0; k++) {
            const pat *p = &g_pats[g_pslot[s][k]];
            if (i + p->len > len || memcmp(d + i, p->b, p->len) != 0) continue;
            uint32_t addr = known ? (uint32_t)(base + (int64_t)i) : 0;
            if (addr >= p->back) addr -= p->back;
            if (known)
                add_range(m, addr, p->span, p->kind);
            else
                m->tables_found |= 1u << p->kind;
        }
    }
}

static int parse_data(modstate *m, mt_cur c)
{
    uint32_t n = leb_u32(&c);
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        uint32_t form = leb_u32(&c);
        int64_t base = 0;
        int known = 0;
        if (form == 2) leb_u32(&c);
        if (form == 0 || form == 2) {
            if (!const_expr(&c, &base, &known)) mt_cur_fail(&c);
        } else if (form != 1) {
            mt_cur_fail(&c);
        }
        uint32_t len = leb_u32(&c);
        const uint8_t *d = mt_cur_take(&c, len);
        if (d) scan_data(m, d, len, base, known && form != 1);
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_types(modstate *m, mt_cur c)
{
    uint32_t n = leb_u32(&c);
    m->n_types = n;
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        uint8_t form = mt_cur_u8(&c);
        if (form != 0x60) return 0; /* GC type forms are not read */
        for (int side = 0; side < 2; side++) {
            uint32_t k = leb_u32(&c);
            if (k > mt_cur_left(&c)) return 0;
            for (uint32_t j = 0; j < k; j++)
                if (!valtype_ok(mt_cur_u8(&c))) return 0;
        }
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_imports(modstate *m, mt_cur c)
{
    uint32_t n = leb_u32(&c);
    m->out->n_imports = 0;
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        if (!skip_name(&c) || !skip_name(&c)) return 0;
        uint8_t kind = mt_cur_u8(&c);
        uint64_t min = 0;
        switch (kind) {
        case 0: leb_u32(&c); m->n_func_imports++; break;
        case 1: read_reftype(&c); read_limits(&c, &min); break;
        case 2:
            if (read_limits(&c, &min) && !m->out->memory_pages_min)
                m->out->memory_pages_min = min > UINT32_MAX ? UINT32_MAX : (uint32_t)min;
            break;
        case 3: if (!valtype_ok(mt_cur_u8(&c))) return 0; mt_cur_u8(&c); break;
        case 4: mt_cur_u8(&c); leb_u32(&c); break;
        default: return 0;
        }
        m->out->n_imports++;
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_memory(modstate *m, mt_cur c)
{
    uint32_t n = leb_u32(&c);
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        uint64_t min = 0;
        if (read_limits(&c, &min) && !m->out->memory_pages_min)
            m->out->memory_pages_min = min > UINT32_MAX ? UINT32_MAX : (uint32_t)min;
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_globals(mt_cur c)
{
    uint32_t n = leb_u32(&c);
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        if (!valtype_ok(mt_cur_u8(&c))) return 0;
        if (mt_cur_u8(&c) > 1) return 0;
        int64_t v;
        int known;
        if (!const_expr(&c, &v, &known)) return 0;
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_tables(mt_cur c)
{
    uint32_t n = leb_u32(&c);
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        uint64_t min;
        read_reftype(&c);
        read_limits(&c, &min);
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int parse_elements(mt_cur c)
{
    uint32_t n = leb_u32(&c);
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        uint32_t form = leb_u32(&c);
        int64_t v;
        int known;
        if (form > 7) return 0;
        if (form == 2 || form == 6) leb_u32(&c);               /* table index */
        if (!(form & 1) && !const_expr(&c, &v, &known)) return 0; /* active: offset */
        if (form & 3) {
            if (form & 4) read_reftype(&c);
            else mt_cur_u8(&c);                               /* elemkind 0x00 */
        }
        uint32_t k = leb_u32(&c);
        if (k > mt_cur_left(&c)) return 0;
        for (uint32_t j = 0; j < k && mt_cur_ok(&c); j++) {
            if (form & 4) {
                if (!const_expr(&c, &v, &known)) return 0;
            } else {
                leb_u32(&c);
            }
        }
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

static int name_looks_cn(const uint8_t *s, size_t k)
{
    static const char *const marks[] = {"cryptonight", "cn_", "_cn", "hash_cn", "slow_hash", "cryptonite"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        size_t ml = strlen(marks[i]);
        for (size_t j = 0; j + ml <= k; j++)
            if (strncasecmp((const char *)s + j, marks[i], ml) == 0) return 1;
    }
    return 0;
}

typedef struct exports_view {
    const uint8_t *p;
    size_t n;
} exports_view;

static int parse_exports(modstate *m, mt_cur c)
{
    uint32_t n = leb_u32(&c);
    m->out->n_exports = 0;
    for (uint32_t i = 0; i < n && mt_cur_ok(&c); i++) {
        if (!skip_name(&c)) return 0;
        uint8_t kind = mt_cur_u8(&c);
        uint32_t idx = leb_u32(&c);
        if (kind > 4) return 0;
        if (kind == 0 && m->f && idx < m->n_all) m->f[idx].flags |= F_EXPORTED;
        m->out->n_exports++;
    }
    return mt_cur_ok(&c) && mt_cur_left(&c) == 0;
}

/* ---- the module ----------------------------------------------------------- */

enum { S_CUSTOM = 0, S_TYPE, S_IMPORT, S_FUNC, S_TABLE, S_MEMORY, S_GLOBAL, S_EXPORT, S_START, S_ELEM, S_CODE,
       S_DATA, S_DATACOUNT, S_TAG, S_N };

/* Section order of the non-custom sections (datacount sits before code, tag
 * between memory and global). */
static int order_of(int id)
{
    static const int ord[S_N] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
    return ord[id];
}

static void evidence(modstate *m, mt_wasm_info *o, int names_cn)
{
    mt_textbuf t = mt_textbuf_start(o->evidence, sizeof o->evidence);
    int first = 1;
#define SEP() do { if (!first) mt_textbuf_puts(&t, ", "); first = 0; } while (0)
    if (m->n_aes) {
        SEP();
        mt_textbuf_puts(&t, "AES-round mix in ");
        mt_textbuf_put_u(&t, m->n_aes);
        mt_textbuf_puts(&t, m->n_aes == 1 ? " function" : " functions");
    }
    if (m->n_keccak) {
        SEP();
        mt_textbuf_puts(&t, "Keccak-f rounds");
    }
    if (m->n_scratch) {
        SEP();
        uint32_t kib = m->scratch_mask ? (m->scratch_mask + 16) >> 10 : 0;
        if (kib >= 1024) {
            mt_textbuf_put_u(&t, kib >> 10);
            mt_textbuf_puts(&t, " MiB scratchpad loop");
        } else if (kib) {
            mt_textbuf_put_u(&t, kib);
            mt_textbuf_puts(&t, " KiB scratchpad loop");
        } else {
            mt_textbuf_puts(&t, "scratchpad loop");
        }
    }
    static const struct { uint32_t bit; const char *name; } fin[] = {
        {F_BLAKE, "BLAKE-256"}, {F_GROESTL, "Groestl"}, {F_JH, "JH"}, {F_SKEIN, "Skein"}};
    int nf = 0;
    for (size_t i = 0; i < 4; i++)
        if (m->fin_bits & fin[i].bit) {
            if (nf++ == 0) SEP(); else mt_textbuf_puts(&t, "/");
            mt_textbuf_puts(&t, fin[i].name);
        }
    if (nf) mt_textbuf_puts(&t, nf == 1 ? " finaliser" : " finalisers");
    if (o->cn_hash) {
        if (m->mine) {
            SEP();
            mt_textbuf_puts(&t, m->mine_strong ? "mining loop (nonce store)" : "mining loop");
        } else {
            SEP();
            mt_textbuf_puts(&t, o->hash_export[0] ? "hash exported, no loop in module" : "no mining loop");
        }
        if (!names_cn) {
            SEP();
            mt_textbuf_puts(&t, "exports renamed");
        }
    }
    if (!m->n_aes && !m->n_keccak && !m->n_scratch && !nf) {
        SEP();
        mt_textbuf_puts(&t, "no CryptoNight primitives");
    }
    if (o->n_unknown_ops) {
        SEP();
        mt_textbuf_put_u(&t, o->n_unknown_ops);
        mt_textbuf_puts(&t, " bodies with unknown opcodes");
    }
#undef SEP
}

static void copy_name(char *dst, size_t cap, const uint8_t *s, size_t k)
{
    size_t j = 0;
    for (size_t i = 0; i < k && j + 1 < cap; i++) dst[j++] = (s[i] >= 0x20 && s[i] < 0x7F) ? (char)s[i] : '?';
    dst[j] = '\0';
}

int mt_wasm_probe(const uint8_t *p, size_t n)
{
    mt_cur c = mt_cur_make(p, n);
    const uint8_t *magic = mt_cur_take(&c, 4);
    if (!magic || memcmp(magic, "\0asm", 4) != 0 || mt_cur_le32(&c) != 1) return 0;
    while (mt_cur_left(&c)) {
        uint8_t id = mt_cur_u8(&c);
        uint32_t len = leb_u32(&c);
        if (id >= S_N || !mt_cur_ok(&c) || len > mt_cur_left(&c)) return 0;
        mt_cur_skip(&c, len);
    }
    return mt_cur_ok(&c);
}

int mt_wasm_analyze(const uint8_t *p, size_t n, mt_wasm_info *out)
{
    pthread_once(&g_once, init_tables);
    memset(out, 0, sizeof *out);
    modstate ms;
    memset(&ms, 0, sizeof ms);
    modstate *m = &ms;
    m->out = out;
    m->mark_budget = (uint64_t)1 << 24;
    m->err = mt_textbuf_start(out->evidence, sizeof out->evidence);

    mt_cur c = mt_cur_make(p, n);
    const uint8_t *magic = mt_cur_take(&c, 4);
    if (!magic || memcmp(magic, "\0asm", 4) != 0) return fail(m, "no \\0asm magic", 0);
    if (mt_cur_le32(&c) != 1) return fail(m, "not version 1", 4);

    /* the section directory first: data before code, so functions can be
     * tied to the constant tables they read */
    mt_cur sec[S_N];
    int have[S_N] = {0};
    int last = 0;
    exports_view ex = {NULL, 0};
    int names_cn = 0;
    while (mt_cur_left(&c)) {
        size_t at = n - mt_cur_left(&c);
        uint8_t id = mt_cur_u8(&c);
        uint32_t len = leb_u32(&c);
        if (!mt_cur_ok(&c)) return fail(m, "section header cut", at);
        if (len > mt_cur_left(&c)) return fail(m, "section runs past the end", at);
        mt_cur body = mt_cur_sub(&c, len);
        if (id >= S_N) return fail(m, "unknown section id", at);
        if (id == S_CUSTOM) {
            if (!skip_name(&body)) return fail(m, "custom section name", at);
            continue;
        }
        if (have[id] || order_of(id) < last) return fail(m, "section out of order or repeated", at);
        last = order_of(id);
        have[id] = 1;
        sec[id] = body;
    }

    if (have[S_TYPE] && !parse_types(m, sec[S_TYPE])) return fail(m, "type section", 0);
    if (have[S_IMPORT] && !parse_imports(m, sec[S_IMPORT])) return fail(m, "import section", 0);
    uint32_t n_defined = 0;
    mt_cur funcs = {0};
    if (have[S_FUNC]) {
        funcs = sec[S_FUNC];
        n_defined = leb_u32(&funcs);
        if (!mt_cur_ok(&funcs) || n_defined > mt_cur_left(&funcs) || n_defined > MAX_FUNCS)
            return fail(m, "function section", 0);
        for (uint32_t i = 0; i < n_defined; i++)
            if (leb_u32(&funcs) >= m->n_types && mt_cur_ok(&funcs)) return fail(m, "function type index", 0);
        if (!mt_cur_ok(&funcs) || mt_cur_left(&funcs)) return fail(m, "function section", 0);
    }
    m->n_defined = n_defined;
    m->n_all = m->n_func_imports + n_defined;
    out->n_funcs = n_defined;
    if (have[S_TABLE] && !parse_tables(sec[S_TABLE])) return fail(m, "table section", 0);
    if (have[S_MEMORY] && !parse_memory(m, sec[S_MEMORY])) return fail(m, "memory section", 0);
    if (have[S_GLOBAL] && !parse_globals(sec[S_GLOBAL])) return fail(m, "global section", 0);
    if (have[S_ELEM] && !parse_elements(sec[S_ELEM])) return fail(m, "element section", 0);
    if (have[S_DATA] && !parse_data(m, sec[S_DATA])) return fail(m, "data section", 0);

    m->f = calloc(m->n_all ? m->n_all : 1, sizeof *m->f);
    if (!m->f) return MT_ENOMEM;
    int rc = MT_OK;
    if (have[S_EXPORT]) {
        ex.p = mt_cur_ptr(&sec[S_EXPORT]);
        ex.n = mt_cur_left(&sec[S_EXPORT]);
        if (!parse_exports(m, sec[S_EXPORT])) {
            rc = fail(m, "export section", 0);
            goto done;
        }
    }
    if (have[S_START]) {
        mt_cur s = sec[S_START];
        leb_u32(&s);
        if (!mt_cur_ok(&s) || mt_cur_left(&s)) {
            rc = fail(m, "start section", 0);
            goto done;
        }
    }

    if (have[S_CODE]) {
        mt_cur code = sec[S_CODE];
        out->code_bytes = (uint32_t)mt_cur_left(&code);
        uint32_t nb = leb_u32(&code);
        if (!mt_cur_ok(&code) || nb != n_defined) {
            rc = fail(m, "code section count differs from the function section", 0);
            goto done;
        }
        for (uint32_t i = 0; i < nb; i++) {
            size_t at = n - mt_cur_left(&code);
            uint32_t sz = leb_u32(&code);
            if (!mt_cur_ok(&code) || sz > mt_cur_left(&code)) {
                rc = fail(m, "function body runs past its section", at);
                goto done;
            }
            mt_cur body = mt_cur_sub(&code, sz);
            uint32_t groups = leb_u32(&body);
            uint64_t nloc = 0;
            if (groups > mt_cur_left(&body)) mt_cur_fail(&body);
            for (uint32_t g = 0; g < groups && mt_cur_ok(&body); g++) {
                nloc += leb_u32(&body);
                if (!valtype_ok(mt_cur_u8(&body))) mt_cur_fail(&body);
            }
            if (!mt_cur_ok(&body) || nloc > 50000) {
                rc = fail(m, "function locals", at);
                goto done;
            }
            fstat fs;
            memset(&fs, 0, sizeof fs);
            uint32_t fidx = m->n_func_imports + i;
            int r = decode_body(m, &body, fidx, &fs);
            if (r == -2) {
                rc = fail(m, "function body", at);
                goto done;
            }
            if (r == -1) out->n_unknown_ops++;
            m->f[fidx].flags |= classify(m, &fs);
        }
    } else if (n_defined) {
        rc = fail(m, "functions without a code section", 0);
        goto done;
    }
    out->valid = 1;
    m->err.p[0] = '\0';

    /* ---- the call graph: reach marks over at most four call levels ---- */
    for (uint32_t i = 0; i < m->n_all; i++) {
        uint32_t fl = m->f[i].flags;
        if (fl & F_SCRATCH) m->f[i].flags |= R_SCRATCH;
        if (fl & F_AES) m->f[i].flags |= R_AES;
        if (fl & F_KECCAK) m->f[i].flags |= R_KECCAK;
        if (fl & F_AES) m->n_aes++;
        if (fl & F_KECCAK) m->n_keccak++;
        if (fl & F_SCRATCH) m->n_scratch++;
        m->fin_bits |= fl & (F_BLAKE | F_SKEIN | F_JH | F_GROESTL);
    }
    for (int level = 0; level < 4; level++) {
        int changed = 0;
        for (uint32_t i = 0; i < m->n_edges; i++) {
            uint32_t add = m->f[m->e[i].to].flags & (R_SCRATCH | R_AES | R_KECCAK);
            if ((m->f[m->e[i].from].flags | add) != m->f[m->e[i].from].flags) {
                m->f[m->e[i].from].flags |= add;
                changed = 1;
            }
        }
        if (!changed) break;
    }
    const uint32_t ALL = R_SCRATCH | R_AES | R_KECCAK;
    int hash = 0;
    for (uint32_t i = 0; i < m->n_all; i++)
        if ((m->f[i].flags & ALL) == ALL) hash = 1;
    out->cn_hash = hash;
    if (hash) {
        /* a mining-shaped loop calling into the hash, or around its inlined
         * scratchpad loop */
        for (uint32_t i = 0; i < m->n_edges; i++)
            if (m->e[i].loop && (m->f[m->e[i].to].flags & R_SCRATCH) && (m->f[m->e[i].from].flags & ALL) == ALL) {
                m->mine = 1;
                if (m->e[i].loop == 2) m->mine_strong = 1;
            }
        for (uint32_t i = 0; i < m->n_all; i++)
            if ((m->f[i].flags & F_MINE_INLINE) && (m->f[i].flags & ALL) == ALL) {
                m->mine = 1;
                if (m->f[i].flags & F_MINE_STRONG) m->mine_strong = 1;
            }
    }
    /* the exports: one that reaches the hash, and whether any name says so */
    if (ex.p) {
        mt_cur e = mt_cur_make(ex.p, ex.n);
        uint32_t k = leb_u32(&e);
        for (uint32_t i = 0; i < k && mt_cur_ok(&e); i++) {
            uint32_t l = leb_u32(&e);
            const uint8_t *nm = mt_cur_take(&e, l);
            uint8_t kind = mt_cur_u8(&e);
            uint32_t idx = leb_u32(&e);
            if (!nm) break;
            if (name_looks_cn(nm, l)) names_cn = 1;
            if (hash && kind == 0 && idx < m->n_all && (m->f[idx].flags & ALL) == ALL && !out->hash_export[0])
                copy_name(out->hash_export, sizeof out->hash_export, nm, l);
        }
    }
    out->cryptonight = hash && m->mine;

    int score = 0;
    if (m->n_scratch) score += 30;
    if (m->n_aes) score += 25;
    if (m->n_keccak) score += 20;
    int nf = __builtin_popcount(m->fin_bits);
    score += 5 * (nf > 3 ? 3 : nf);
    uint32_t need_pages = m->scratch_mask ? (m->scratch_mask + 16) >> 16 : 32;
    if (m->n_scratch && (out->memory_pages_min >= need_pages || m->has_grow)) score += 5;
    if (out->cryptonight) score += m->mine_strong ? 10 : 5;
    if (!hash && score > 60) score = 60; /* pieces that do not connect are not the hash */
    if (hash && !out->cryptonight && score > 70) score = 70; /* the hash alone: a wallet, or a loop in JS */
    out->score = score > 100 ? 100 : score;
    evidence(m, out, names_cn);

done:
    free(m->f);
    free(m->e);
    if (rc != MT_OK) out->valid = 0;
    return rc;
}
