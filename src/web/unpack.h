/* Unpackers for the script packers miners hid behind. Each one takes the
 * position where the prefilter saw the packer's mark and writes what the
 * browser would have evaluated (or, for string arrays, the decoded strings
 * one per line) into a caller-given buffer of fixed size: the output is cut
 * at the cap, never grown, so a hostile script bounds its own cost. The
 * scanner (jsscan.c) bounds depth, count and time on top. */
#ifndef MT_WEB_UNPACK_H
#define MT_WEB_UNPACK_H

#include <stddef.h>
#include <stdint.h>

enum {
    MT_PACK_EVAL = 1,   /* Dean Edwards: eval(function(p,a,c,k,e,d){...}('payload',a,c,'k|e|y|s'.split('|'),0,{})) */
    MT_PACK_ATOB,       /* atob("...") fed to eval / new Function; with decodeURIComponent(escape(...)) the
                           bytes are UTF-8 and, when they carry code units >= 256, LZW codes */
    MT_PACK_STRARRAY,   /* obfuscator.io: var _0x12ab = ['\x..', ...]; plain and base64 strings */
    MT_PACK_CHARCODE,   /* String.fromCharCode(99, 0x6f, ...) runs */
    MT_PACK_ESCSTR,     /* a string literal made of \xHH / \uHHHH escapes */
    MT_PACK_COUNT
};

const char *mt_pack_name(int kind); /* "eval packer", "atob", ... for the evidence */

/* The LZW dictionary the ATOB unpacker needs (offset/length pairs), owned by
 * the caller so the unpacker allocates nothing. */
#define MT_LZW_DICT 65536
typedef struct mt_unpack_work {
    uint32_t *lzw_off, *lzw_len; /* MT_LZW_DICT entries each */
} mt_unpack_work;

/* Unpacks the construct of the given kind that the prefilter found ending
 * at text[at] (the end of its trigger). Returns the bytes written to out
 * (0: not this packer after all, or nothing inside); *cut is set when the
 * output reached cap; *start receives where the construct begins. */
size_t mt_unpack(int kind, const char *text, size_t n, size_t at, char *out, size_t cap, mt_unpack_work *w,
                 int *cut, size_t *start);

/* Parses the JavaScript string literal whose quote is at text[q]: escapes
 * decoded, code points as UTF-8, cut at cap. Returns the decoded length and
 * sets *end past the closing quote, or returns (size_t)-1 if the literal is
 * not closed within the text. */
size_t mt_js_string(const char *text, size_t n, size_t q, char *out, size_t cap, size_t *end);

/* Base64 (standard or the swapped-case alphabet obfuscator.io uses),
 * whitespace skipped, padding optional. Returns the decoded length or
 * (size_t)-1 on a character outside the alphabet. */
size_t mt_base64_decode(const char *in, size_t n, unsigned char *out, size_t cap, int swapped_case);

#endif
