/* String interning table and 64-bit key set (see strtab.h for why). */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

void mt_strtab_init(mt_strtab *t)
{
    memset(t, 0, sizeof *t);
}

void mt_strtab_free(mt_strtab *t)
{
    free(t->arena);
    free(t->off);
    free(t->hash);
    free(t->len);
    free(t->cnt);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static void rehash(mt_strtab *t, uint32_t nslots)
{
    free(t->slots);
    t->slots = mt_xcalloc(nslots, sizeof *t->slots);
    t->nslots = nslots;
    for (uint32_t id = 0; id < t->n; id++) {
        uint32_t i = (uint32_t)t->hash[id] & (nslots - 1);
        while (t->slots[i]) i = (i + 1) & (nslots - 1);
        t->slots[i] = id + 1;
    }
}

int64_t mt_strtab_find(const mt_strtab *t, const char *s, size_t n)
{
    if (!t->nslots) return -1;
    uint64_t h = mt_hash_bytes(s, n, 0x5eed);
    uint32_t i = (uint32_t)h & (t->nslots - 1);
    while (t->slots[i]) {
        uint32_t id = t->slots[i] - 1;
        if (t->hash[id] == h && t->len[id] == n && memcmp(t->arena + t->off[id], s, n) == 0)
            return id;
        i = (i + 1) & (t->nslots - 1);
    }
    return -1;
}

uint32_t mt_strtab_intern(mt_strtab *t, const char *s, size_t n)
{
    if (!t->nslots) rehash(t, 64);
    uint64_t h = mt_hash_bytes(s, n, 0x5eed);
    uint32_t i = (uint32_t)h & (t->nslots - 1);
    while (t->slots[i]) {
        uint32_t id = t->slots[i] - 1;
        if (t->hash[id] == h && t->len[id] == n && memcmp(t->arena + t->off[id], s, n) == 0)
            return id;
        i = (i + 1) & (t->nslots - 1);
    }
    if (t->n == t->idcap) {
        uint32_t cap = t->idcap ? t->idcap * 2 : 32;
        t->off = mt_xrealloc(t->off, (size_t)cap * sizeof *t->off);
        t->hash = mt_xrealloc(t->hash, (size_t)cap * sizeof *t->hash);
        t->len = mt_xrealloc(t->len, (size_t)cap * sizeof *t->len);
        t->cnt = mt_xrealloc(t->cnt, (size_t)cap * sizeof *t->cnt);
        t->idcap = cap;
    }
    if (t->arena_len + n + 1 > t->arena_cap) {
        size_t cap = t->arena_cap ? t->arena_cap : 4096;
        while (cap < t->arena_len + n + 1) cap *= 2;
        t->arena = mt_xrealloc(t->arena, cap);
        t->arena_cap = cap;
    }
    uint32_t id = t->n++;
    if (n) memcpy(t->arena + t->arena_len, s, n);
    t->arena[t->arena_len + n] = '\0';
    t->off[id] = (uint32_t)t->arena_len;
    t->arena_len += n + 1;
    t->hash[id] = h;
    t->len[id] = (uint32_t)n;
    memset(t->cnt[id], 0, sizeof t->cnt[id]);
    t->slots[i] = id + 1;
    if ((uint64_t)t->n * 2 > t->nslots) rehash(t, t->nslots * 2);
    return id;
}

const char *mt_strtab_str(const mt_strtab *t, uint32_t id)
{
    return id < t->n ? t->arena + t->off[id] : "";
}

void mt_u64set_init(mt_u64set *s)
{
    memset(s, 0, sizeof *s);
}

void mt_u64set_free(mt_u64set *s)
{
    free(s->keys);
    memset(s, 0, sizeof *s);
}

static void set_grow(mt_u64set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    uint64_t *k = mt_xcalloc(cap, sizeof *k);
    for (size_t j = 0; j < s->cap; j++) {
        if (!s->keys[j]) continue;
        size_t i = (size_t)mt_mix64(s->keys[j]) & (cap - 1);
        while (k[i]) i = (i + 1) & (cap - 1);
        k[i] = s->keys[j];
    }
    free(s->keys);
    s->keys = k;
    s->cap = cap;
}

int mt_u64set_add(mt_u64set *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) set_grow(s);
    uint64_t k = key + 1;
    size_t i = (size_t)mt_mix64(k) & (s->cap - 1);
    while (s->keys[i]) {
        if (s->keys[i] == k) return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->keys[i] = k;
    s->n++;
    return 1;
}
