/* Interning tables for the report aggregates (the store's and the
 * analyses'): a string table that gives each distinct string a small dense
 * id with per-id counters, and a set of 64-bit keys for "distinct (period,
 * host)"-style counting.
 *
 * Both are growing util/hashmap tables: a report scans millions of rows and
 * these lookups are its inner loop, so there is no allocation per row once
 * a string has been seen. */
#ifndef MT_UTIL_STRTAB_H
#define MT_UTIL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "util/hashmap.h"

typedef struct mt_strtab {
    char *arena;          /* all strings, NUL-terminated, back to back */
    size_t arena_len, arena_cap;
    uint32_t *off;        /* id -> arena offset */
    uint32_t *len;        /* id -> length */
    uint64_t (*cnt)[3];   /* id -> three free counters for the caller */
    uint32_t n, idcap;
    mt_hmap index;        /* (hash, id + 1) keys; several ids may share a hash */
} mt_strtab;

void mt_strtab_init(mt_strtab *t);
void mt_strtab_free(mt_strtab *t);
/* Id of the string s[0..n), inserting it when new. */
uint32_t mt_strtab_intern(mt_strtab *t, const char *s, size_t n);
/* Id or -1 when absent. */
int64_t mt_strtab_find(const mt_strtab *t, const char *s, size_t n);
const char *mt_strtab_str(const mt_strtab *t, uint32_t id);

typedef struct mt_u64set {
    mt_hmap map;      /* keys stored as key + 1 so 0 means empty; key ~0 unusable */
} mt_u64set;

void mt_u64set_init(mt_u64set *s);
void mt_u64set_free(mt_u64set *s);
/* 1 when the key was new, 0 when already present. */
int mt_u64set_add(mt_u64set *s, uint64_t key);

#endif
