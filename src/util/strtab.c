/* String interning table and 64-bit key set (see strtab.h for why). */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "minetrace/common.h"

#define STR_SEED 0x5eed

typedef struct str_key {
    uint64_t hash;
    uint32_t id1;   /* id + 1: never 0, so a used key is never all zero */
    uint32_t pad;
} str_key;

static uint64_t str_key_hash(const void *key)
{
    str_key k;
    memcpy(&k, key, sizeof k);
    return k.hash;
}

void mt_strtab_init(mt_strtab *t)
{
    memset(t, 0, sizeof *t);
    mt_hmap_init(&t->index, &(mt_hmap_cfg){.key_size = sizeof(str_key), .capacity = 64,
                                            .hash = str_key_hash});
}

void mt_strtab_free(mt_strtab *t)
{
    free(t->arena);
    free(t->off);
    free(t->len);
    free(t->cnt);
    mt_hmap_free(&t->index);
    memset(t, 0, sizeof *t);
}

static int64_t lookup(const mt_strtab *t, const char *s, size_t n, uint64_t h)
{
    size_t k = 0;
    for (size_t i = mt_hmap_run_first(&t->index, h, str_key); i != MT_HMAP_NONE;
         i = mt_hmap_run_next(&t->index, i, &k, str_key)) {
        const str_key *sk = mt_hmap_key(&t->index, i);
        uint32_t id = sk->id1 - 1;
        if (sk->hash == h && t->len[id] == n && memcmp(t->arena + t->off[id], s, n) == 0)
            return id;
    }
    return -1;
}

int64_t mt_strtab_find(const mt_strtab *t, const char *s, size_t n)
{
    if (!t->index.keys) return -1;
    return lookup(t, s, n, mt_hash_bytes(s, n, STR_SEED));
}

uint32_t mt_strtab_intern(mt_strtab *t, const char *s, size_t n)
{
    uint64_t h = mt_hash_bytes(s, n, STR_SEED);
    int64_t found = lookup(t, s, n, h);
    if (found >= 0) return (uint32_t)found;
    if (t->n == t->idcap) {
        uint32_t cap = t->idcap ? t->idcap * 2 : 32;
        t->off = mt_xrealloc(t->off, (size_t)cap * sizeof *t->off);
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
    t->len[id] = (uint32_t)n;
    memset(t->cnt[id], 0, sizeof t->cnt[id]);
    str_key k = {h, id + 1, 0};
    mt_hmap_add(&t->index, &k, h);
    return id;
}

const char *mt_strtab_str(const mt_strtab *t, uint32_t id)
{
    return id < t->n ? t->arena + t->off[id] : "";
}

static uint64_t u64_hash(const void *key)
{
    uint64_t k;
    memcpy(&k, key, sizeof k);
    return mt_mix64(k);
}

void mt_u64set_init(mt_u64set *s)
{
    mt_hmap_init(&s->map, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .capacity = 1024,
                                          .hash = u64_hash});
}

void mt_u64set_free(mt_u64set *s)
{
    mt_hmap_free(&s->map);
}

int mt_u64set_add(mt_u64set *s, uint64_t key)
{
    uint64_t k = key + 1;
    int added;
    mt_hmap_put(&s->map, &k, mt_mix64(k), &added);
    return added;
}
