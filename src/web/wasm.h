/* WebAssembly analysis for the website scanner: parse a module and decide
 * whether its code is CryptoNight-family mining, from the instruction mix of
 * its functions (MineSweeper's idea), never from its names.
 *
 * The parser reads every section through the byte cursor (util/cursor.h),
 * LEB128 with overflow checks, and decodes every function body's
 * instructions: the MVP set, sign extension, the 0xFC group (saturating
 * conversions, bulk memory, tables), SIMD (0xFD, immediates by their
 * defined lengths), threads (0xFE), tail calls and exception handling.
 * An opcode it does not know ends the decoding of that one body (the body's
 * size is known, so the next body is still read) and is counted.
 *
 * What decides (docs/WEB.md, section "WebAssembly"):
 *  - an AES-round mix: T-table lookups (a byte index scaled by 4 or 8 feeding
 *    a load) with xors, or S-box byte lookups, in a function;
 *  - Keccak-f[1600]: 64-bit rotate/xor/and-not chains, or a function reading
 *    the 24 round constants (as a table in memory or as immediates);
 *  - a scratchpad loop: a loop addressing memory through an and with a
 *    CryptoNight scratchpad mask ((2^k - 1) << 4, 256 KiB .. 4 MiB) with loads
 *    and stores in it;
 *  - the finalisers (BLAKE-256, Groestl, JH, Skein) by their constants and
 *    rotate mixes, and a memory large enough for the scratchpad;
 *  - connected: one function reaches (itself or through at most four call
 *    levels) the scratchpad loop, the AES rounds and Keccak. That is the
 *    CryptoNight hash (cn_hash);
 *  - a mining loop: a loop that reaches that hash (a call chain, or the
 *    scratchpad loop nested in it), increments by one and branches on a
 *    comparison, and either stores the increment to memory (the nonce in the
 *    blob) or compares a loaded value (the hash against the target).
 * cryptonight = cn_hash and a mining loop. A Monero wallet library carries
 * the hash (cn_hash = 1) but no mining loop; the browser miners of 2017-2019
 * (Coinhive and its clones) export the hash and run the nonce loop in their
 * JavaScript worker, so their modules give cn_hash = 1, cryptonight = 0 and
 * name the export in hash_export: the site's script decides (a worker calling
 * that export, a pool WebSocket).
 *
 * Work is linear in the module's size; one allocation per module (a summary
 * per function and the call edges), freed before returning. */
#ifndef MT_WEB_WASM_H
#define MT_WEB_WASM_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"

typedef struct mt_wasm_info {
    int valid;                 /* a well-formed module (magic, version, sections in bounds) */
    uint32_t n_funcs, n_imports, n_exports, code_bytes, memory_pages_min;
    int cryptonight;           /* 1: CryptoNight-family hashing with a mining loop recognised */
    int score;                 /* 0-100, how strongly the instruction mix matches */
    char evidence[200];        /* the features that decided, or where parsing stopped */
    /* Beyond the brief's interface (appended, so code using the fields above
     * by name is unaffected): */
    int cn_hash;               /* the CryptoNight hash is there, with or without a loop */
    char hash_export[64];      /* an exported function that reaches the hash ("" if none) */
    uint32_t n_unknown_ops;    /* bodies whose decoding stopped at an unknown opcode */
} mt_wasm_info;

/* n_funcs counts the functions defined in the module (with bodies), not the
 * imported ones. Returns MT_OK for a well-formed module (info filled), or
 * MT_EINVAL for not-a-module (valid = 0, evidence says where parsing
 * stopped, the counts say how far it got), MT_ENOMEM if the per-module
 * summary could not be allocated. */
int mt_wasm_analyze(const uint8_t *p, size_t n, mt_wasm_info *out);

/* 1 when p[0..n) starts like a module: the magic, version 1 and a section
 * directory whose sizes stay in bounds (no decoding; for filtering). */
int mt_wasm_probe(const uint8_t *p, size_t n);

/* Wasm embedded in text: raw "\0asm" is binary; base64 ("AGFzbQ..."),
 * gzip+base64 ("H4sI...") in data: URIs or strings, and JS byte arrays
 * ([0,97,115,109,...] / Uint8Array.from(...), decimal or hex). Calls fn for
 * each decoded module that passes mt_wasm_probe (at most
 * MT_WASM_EMBED_MAX_MODULES per text, each at most MT_WASM_EMBED_MAX_BYTES
 * decoded); decoded blobs that fail the probe are not handed over and do not
 * count, so decoys cannot use up the budget. A non-zero return from fn stops
 * the search. Returns the number of modules handed to fn. `offset` is where
 * the encoded form starts in text. The work is linear in n: what a candidate
 * read is not read again. fn runs mt_wasm_analyze to judge each module. */
typedef int (*mt_wasm_fn)(void *ctx, const uint8_t *mod, size_t n, const char *how /* "base64", "gzip+base64", "bytes" */, size_t offset);
size_t mt_wasm_find_embedded(const char *text, size_t n, mt_wasm_fn fn, void *ctx);

#define MT_WASM_EMBED_MAX_MODULES 64
#define MT_WASM_EMBED_MAX_BYTES (16u << 20)

#endif
