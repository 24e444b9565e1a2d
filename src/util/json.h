/* The JSON reader: one allocation-free reader for every JSON the program
 * reads (Stratum and other stream messages, Suricata EVE, Zeek JSON,
 * minetrace JSONL, Cowrie logs).
 *
 * mt_jr_parse() validates one value in a single pass, with an explicit
 * stack (no recursion), into a token array the caller provides. Every
 * container token knows where its subtree ends, so a lookup skips a whole
 * member in O(1) and never re-reads the text. Nothing is copied at parse
 * time: a string is unescaped only when asked for, into a buffer the caller
 * provides (mt_jr_copy) or into the document's scratch area
 * (mt_jr_str, decoded once and then cached).
 *
 * Bounds: nesting at most `max_depth` (<= MT_JR_MAX_DEPTH), at most the
 * caller's token count, texts shorter than MT_JR_MAX_LEN. Past any of them
 * the input is refused with a status saying which, never cut silently.
 *
 * Grammar: RFC 8259, with three opt-in leniencies for stream data (flags).
 * Invalid UTF-8 inside strings is passed through (the sinks escape every
 * string they write). Duplicate keys: the first one wins. "\u0000" and lone
 * surrogates decode to U+FFFD, so decoded strings are always whole C
 * strings.
 *
 * The prefix is mt_jr_ (JSON reader): mt_json_* are the JSON writers in
 * util/buf.h. */
#ifndef MT_UTIL_JSON_H
#define MT_UTIL_JSON_H

#include <stddef.h>
#include <stdint.h>

#define MT_JR_MAX_DEPTH 64
#define MT_JR_MAX_LEN ((size_t)1 << 28) /* scratch offsets are 28-bit */

typedef enum mt_jr_type {
    MT_JR_NONE = 0, /* absent (a failed lookup) */
    MT_JR_OBJECT,
    MT_JR_ARRAY,
    MT_JR_STRING,
    MT_JR_NUMBER,
    MT_JR_TRUE,
    MT_JR_FALSE,
    MT_JR_NULL
} mt_jr_type;

/* Why a parse stopped. */
typedef enum mt_jr_status {
    MT_JR_OK = 0,
    MT_JR_TRUNCATED, /* the text ends inside the value */
    MT_JR_INVALID,   /* not JSON (or text after the value without MT_JR_TRAILING) */
    MT_JR_TOO_DEEP,  /* nesting deeper than max_depth */
    MT_JR_TOO_MANY,  /* more values than the caller's tokens */
    MT_JR_TOO_LONG   /* text of MT_JR_MAX_LEN bytes or more */
} mt_jr_status;

/* Parse flags. */
enum {
    /* Accept raw control characters inside strings (stream messages from
     * sloppy miners); strict by default. */
    MT_JR_LAX_CTRL = 1u << 0,
    /* Stop after the value: bytes after it are the caller's (doc->end says
     * where it ended). By default only whitespace may follow. */
    MT_JR_TRAILING = 1u << 1,
    /* A text cut short (by its end, or by running out of tokens) keeps what
     * was complete: open containers are closed at the cut, a member without
     * its whole value is dropped. The parse still fails (MT_ETRUNC /
     * MT_EINVAL with the status set), but the document can be read: a body
     * prefix that an HTTP parser cut short. */
    MT_JR_PARTIAL = 1u << 2
};

/* One value. Scalars occupy one token; a container is followed by its
 * subtree (objects: key, value, key, value...). */
typedef struct mt_jr_tok {
    uint32_t start;    /* offset in the text; strings: just after the quote */
    uint32_t len;      /* bytes of text; strings: raw contents without quotes */
    uint32_t next;     /* index of the token after this value's subtree */
    uint32_t type : 3; /* mt_jr_type */
    uint32_t esc : 1;  /* string with backslash escapes */
    uint32_t str : 28; /* strings: decoded offset in scratch + 1, 0 until
                          mt_jr_str() */
} mt_jr_tok;

typedef struct mt_jr_doc {
    const char *text;
    size_t len;
    size_t end;         /* offset just past the top-level value */
    mt_jr_tok *tok;   /* caller's storage */
    uint32_t cap, n;
    char *scratch;      /* caller's storage for mt_jr_str(); may be NULL */
    size_t scratch_cap, scratch_used;
    mt_jr_status status;
    size_t err_at;      /* offset where the parse stopped */
    const char *why;    /* what stopped it (static text) */
} mt_jr_doc;

/* Tokens for a text of n bytes: enough for any JSON of that length. */
#define MT_JR_TOKENS_FOR(n) ((n) / 2 + 1)

/* Attach storage. scratch may be NULL (then mt_jr_str() gives NULL);
 * scratch_cap >= text length + 1 is always enough for mt_jr_str() on
 * every string of the text. */
void mt_jr_init(mt_jr_doc *d, mt_jr_tok *tok, size_t ntok, char *scratch,
                  size_t scratch_cap);

/* Parse text[0..len) (not NUL-terminated; leading whitespace allowed).
 * max_depth 0 means MT_JR_MAX_DEPTH. Returns MT_OK, MT_ETRUNC (status
 * MT_JR_TRUNCATED) or MT_EINVAL (any other status). Token 0 is the
 * top-level value. The global error slot is not touched: a caller that
 * reports the failure formats it with mt_jr_strerror(). */
int mt_jr_parse(mt_jr_doc *d, const char *text, size_t len, unsigned flags,
                  unsigned max_depth);
/* "unterminated string at byte 17": what stopped the last parse. */
const char *mt_jr_strerror(const mt_jr_doc *d, char *buf, size_t cap);

/* ---- navigation: token indices, -1 = absent ------------------------------ */

static inline mt_jr_type mt_jr_type_of(const mt_jr_doc *d, int t)
{
    return (t >= 0 && (uint32_t)t < d->n) ? (mt_jr_type)d->tok[t].type : MT_JR_NONE;
}
static inline int mt_jr_is(const mt_jr_doc *d, int t, mt_jr_type ty)
{
    return mt_jr_type_of(d, t) == ty;
}
/* First child of a container (objects: the first key; its value is key+1),
 * or -1 when empty or not a container. */
static inline int mt_jr_first(const mt_jr_doc *d, int t)
{
    mt_jr_type ty = mt_jr_type_of(d, t);
    if (ty != MT_JR_OBJECT && ty != MT_JR_ARRAY) return -1;
    return d->tok[t].next > (uint32_t)t + 1 ? t + 1 : -1;
}
/* The child after c in container `parent` (objects: pass a key, get the next
 * key), or -1. */
static inline int mt_jr_next(const mt_jr_doc *d, int parent, int c)
{
    uint32_t nx = d->tok[parent].type == MT_JR_OBJECT ? d->tok[c + 1].next : d->tok[c].next;
    return nx < d->tok[parent].next ? (int)nx : -1;
}

/* Value of member `key` (compared after unescaping) of object obj, or -1. */
int mt_jr_get(const mt_jr_doc *d, int obj, const char *key);
/* Several members in one pass: out[j] is the value of keys[j] or -1.
 * Returns how many were found. */
size_t mt_jr_get_many(const mt_jr_doc *d, int obj, const char *const *keys, int *out,
                        size_t nkeys);
/* Element i of an array, or -1. */
int mt_jr_at(const mt_jr_doc *d, int arr, size_t i);
/* Dotted path from t: "result.job.blob", "params.0" (numeric segments index
 * arrays, others name members). A key that itself contains a dot (Zeek's
 * "id.orig_h") is reached with mt_jr_get(). -1 when absent. */
int mt_jr_path(const mt_jr_doc *d, int t, const char *path);
/* Elements of an array / members of an object; 0 for scalars. */
size_t mt_jr_count(const mt_jr_doc *d, int t);

/* ---- scalars ------------------------------------------------------------- */

/* Raw text of t: strings without quotes and still escaped, numbers and
 * literals as written. NULL (and *len 0) when absent. */
const char *mt_jr_raw(const mt_jr_doc *d, int t, size_t *len);
/* A scalar as text into dst (NUL-terminated when cap > 0): strings decoded,
 * numbers and literals as written, containers and absent values "". A
 * decoded character is never split; returns the bytes written. */
size_t mt_jr_copy(const mt_jr_doc *d, int t, char *dst, size_t cap);
/* String t decoded into the scratch area, NUL-terminated, valid until the
 * next parse; NULL when t is not a string or the scratch area is full. */
const char *mt_jr_str(mt_jr_doc *d, int t);
/* String t as its bytes, for readers that keep what the writer sent: the
 * text itself when t has no escapes, else decoded into dst (cap >= the raw
 * length always suffices) with "\u0000" kept as a NUL byte (mt_jr_str gives
 * U+FFFD there). Not NUL-terminated, not cached. NULL (and *len 0) when t
 * is not a string or dst is too small. */
const char *mt_jr_bytes(const mt_jr_doc *d, int t, char *dst, size_t cap, size_t *len);
/* String member shortcut: mt_jr_str(d, mt_jr_get(d, obj, key)). */
const char *mt_jr_gstr(mt_jr_doc *d, int obj, const char *key);
/* Is t a string equal to / starting with s (after unescaping)? */
int mt_jr_streq(const mt_jr_doc *d, int t, const char *s);
int mt_jr_strprefix(const mt_jr_doc *d, int t, const char *prefix);

/* Numbers. Integers must be written as integers (no fraction, no exponent).
 * MT_OK and *out set; MT_ENOTFOUND when t is not such a number; MT_ERR on
 * overflow (then *out is untouched). */
int mt_jr_i64(const mt_jr_doc *d, int t, int64_t *out);
int mt_jr_u64(const mt_jr_doc *d, int t, uint64_t *out);
/* Any number as a double (overflow gives +-HUGE_VAL and MT_ERR). */
int mt_jr_f64(const mt_jr_doc *d, int t, double *out);
/* Unsigned member, 0 when absent, not an integer or out of range. */
uint64_t mt_jr_gu64(const mt_jr_doc *d, int obj, const char *key);

#endif
