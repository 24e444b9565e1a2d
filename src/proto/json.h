/* A small bounded JSON value reader for protocol messages (Stratum and
 * friends), written for speed and control rather than generality.
 *
 * No allocation and no recursion: mt_jv_parse() validates one JSON value in
 * a single pass with an explicit nesting stack capped at MT_JV_MAX_DEPTH, and
 * returns a view (pointer + length + type) into the caller's buffer. Every
 * later lookup (member by key, element by index, dotted path, iteration)
 * walks that view again, always bounded by the view's length, so nothing is
 * copied until a caller asks for a string with mt_jv_strcpy(), which decodes
 * escapes (\u sequences incl. surrogate pairs -> UTF-8) into a bounded buffer.
 *
 * Leniency, on purpose: raw bytes >= 0x80 (even invalid UTF-8) and raw
 * control characters inside strings are accepted and copied as they are;
 * escapes and numbers must be well-formed. Duplicate keys: the first wins.
 *
 * The names use the prefix mt_jv_ because mt_json_* are the JSON *writers*
 * in src/util/buf.h. */
#ifndef MT_PROTO_JSON_H
#define MT_PROTO_JSON_H

#include <stddef.h>
#include <stdint.h>

#define MT_JV_MAX_DEPTH 32

typedef enum mt_jv_type {
    MT_JV_NONE = 0,
    MT_JV_OBJECT,
    MT_JV_ARRAY,
    MT_JV_STRING,
    MT_JV_NUMBER,
    MT_JV_TRUE,
    MT_JV_FALSE,
    MT_JV_NULL
} mt_jv_type;

/* A view of one value inside the parsed text. For strings, p points at the
 * opening quote and len includes both quotes. */
typedef struct mt_jv {
    const char *p;
    size_t len;
    mt_jv_type type;
} mt_jv;

/* Validate one JSON value at the start of p[0..n) (leading whitespace
 * allowed). On MT_OK *root views it and *end (if not NULL) is the offset
 * just past it; trailing bytes are left to the caller. MT_ETRUNC when the
 * input ends inside the value, MT_EINVAL when it is malformed or nests
 * deeper than MT_JV_MAX_DEPTH. */
int mt_jv_parse(const char *p, size_t n, mt_jv *root, size_t *end);

/* Lookups return 1 and fill *out (NULL-able), or 0 and reset *out to an
 * empty MT_JV_NONE view, so a failed lookup never leaves stale data. */
/* Member `key` (compared after unescaping) of an object: 1 and *out, or 0. */
int mt_jv_get(const mt_jv *obj, const char *key, mt_jv *out);
/* Several members in one pass: outs[j] gets keys[j] (type MT_JV_NONE when
 * absent). At most MT_JV_MANY_MAX keys. Returns how many were found. */
#define MT_JV_MANY_MAX 16
size_t mt_jv_get_many(const mt_jv *obj, const char *const *keys, mt_jv *outs, size_t nkeys);
/* Element i of an array: 1 and *out, or 0. */
int mt_jv_at(const mt_jv *arr, size_t i, mt_jv *out);
/* Dotted path: "result.job.blob", "params.0"; numeric segments index
 * arrays, others are object keys. 1 and *out, or 0. */
int mt_jv_path(const mt_jv *root, const char *path, mt_jv *out);
/* Number of elements (array) or members (object); 0 for scalars. */
size_t mt_jv_count(const mt_jv *v);

/* Iteration over an object's members or an array's elements. */
typedef struct mt_jv_iter {
    const char *p;
    size_t i, n;
    int is_obj;
    int done;
} mt_jv_iter;
void mt_jv_iter_init(mt_jv_iter *it, const mt_jv *container);
/* 1 and the next member (key is NULL-able; left zeroed for arrays), or 0. */
int mt_jv_iter_next(mt_jv_iter *it, mt_jv *key, mt_jv *val);

/* Copy a scalar as text into dst (always NUL-terminated when cap > 0):
 * strings are unescaped, numbers/true/false/null copied raw, containers
 * give "". Returns bytes written (excluding NUL); stops at cap-1. */
size_t mt_jv_strcpy(const mt_jv *v, char *dst, size_t cap);
/* Is v a string equal (after unescaping) to s? */
int mt_jv_streq(const mt_jv *v, const char *s);
/* Does v, a string, start with prefix (after unescaping)? */
int mt_jv_strprefix(const mt_jv *v, const char *prefix);
/* Raw (still escaped) string contents without quotes; 0 when not a string. */
int mt_jv_raw_str(const mt_jv *v, const char **s, size_t *n);
/* Integer value of a number (fraction/exponent rejected): 1 and *out, or 0. */
int mt_jv_int(const mt_jv *v, int64_t *out);

#endif
