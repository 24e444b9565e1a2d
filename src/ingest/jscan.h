/* A flat, allocation-free JSON tokenizer for one log line at a time.
 *
 * Ingest spends most of its time on JSON. A DOM library allocates a tree
 * per line and frees it again; this scanner instead validates the line in
 * one pass into a fixed token array (each token knows where its subtree
 * ends, so lookups skip whole values in O(1)), and decodes a string only
 * when a reader asks for it, in place in its own copy of the line. Limits:
 * JS_MAX_TOKENS tokens and JS_MAX_DEPTH nesting per line; past them the
 * line is refused (counted malformed), never truncated silently. */
#ifndef MT_INGEST_JSCAN_H
#define MT_INGEST_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"

#define JS_MAX_TOKENS 4096
#define JS_MAX_DEPTH 64

enum { JS_OBJECT = 1, JS_ARRAY, JS_STRING, JS_NUMBER, JS_TRUE, JS_FALSE, JS_NULL };

typedef struct js_tok {
    uint8_t type;
    uint8_t decoded;  /* string already unescaped in place */
    uint8_t escaped;  /* string contains backslash escapes */
    uint32_t start;   /* strings: first byte after the quote */
    uint32_t len;     /* strings: raw length; others: text length */
    uint32_t next;    /* index of the token after this value's subtree */
    uint32_t count;   /* objects: members; arrays: elements */
} js_tok;

typedef struct js_doc {
    char *buf;       /* private copy of the line (strings decoded in it) */
    size_t cap;
    int n;
    js_tok tok[JS_MAX_TOKENS];
    char err[64];
} js_doc;

void js_init(js_doc *d);
void js_free(js_doc *d);
/* MT_OK, or MT_EINVAL with d->err set. Token 0 is the top-level value. */
int js_parse(js_doc *d, const char *s, size_t n);

/* Value of member `key` of object token `obj`, or -1. */
int js_get(js_doc *d, int obj, const char *key);
/* A string token as a NUL-terminated C string (decoded); NULL if `t` is
 * not a string (or t < 0). */
const char *js_str(js_doc *d, int t);
/* Member shortcuts. */
const char *js_gstr(js_doc *d, int obj, const char *key);
/* Integer value: 1 and *out set if `t` is a number that fits (fractions
 * are truncated, negative numbers refused). */
int js_u64(js_doc *d, int t, uint64_t *out);
int js_i64(js_doc *d, int t, int64_t *out);
int js_f64(js_doc *d, int t, double *out);
uint64_t js_gu64(js_doc *d, int obj, const char *key); /* 0 when absent */
int js_type(const js_doc *d, int t);
/* Raw text of a scalar token (numbers, true/false/null), not terminated. */
const char *js_raw(const js_doc *d, int t, size_t *len);
/* Iteration: first child of a container, then js_next(). For objects the
 * child is the key; its value is key + 1. */
static inline int js_first(const js_doc *d, int t)
{
    return (t >= 0 && (d->tok[t].type == JS_OBJECT || d->tok[t].type == JS_ARRAY) &&
            d->tok[t].count > 0) ? t + 1 : -1;
}
/* Next element of container `parent` after child `c` (for objects pass the
 * key; returns the next key). */
static inline int js_next(const js_doc *d, int parent, int c)
{
    int nx = d->tok[parent].type == JS_OBJECT ? (int)d->tok[c + 1].next : (int)d->tok[c].next;
    return nx < (int)d->tok[parent].next ? nx : -1;
}

#endif
