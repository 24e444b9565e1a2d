/* xxh_mod.c: a benign non-cryptographic hash module for minetrace's tests,
 * in the shape of XXH64 (multiply-rotate lanes over 32-byte stripes). */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
#define EXPORT __attribute__((visibility("default")))

void *memcpy(void *d, const void *s, unsigned long n)
{
    u8 *o = d;
    const u8 *i = s;
    while (n--) *o++ = *i++;
    return d;
}

void *memset(void *d, int c, unsigned long n)
{
    u8 *o = d;
    while (n--) *o++ = (u8)c;
    return d;
}

static const u64 P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL, P3 = 0x165667B19E3779F9ULL,
                 P4 = 0x85EBCA77C2B2AE63ULL, P5 = 0x27D4EB2F165667C5ULL;

static inline u64 rol(u64 v, int r) { return (v << r) | (v >> (64 - r)); }
static inline u64 rd64(const u8 *p)
{
    u64 v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static inline u64 round1(u64 acc, u64 in) { return rol(acc + in * P2, 31) * P1; }

EXPORT u64 xxh64(const u8 *p, u32 len, u64 seed)
{
    u64 h;
    u32 i = 0;
    if (len >= 32) {
        u64 v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        for (; i + 32 <= len; i += 32) {
            v1 = round1(v1, rd64(p + i));
            v2 = round1(v2, rd64(p + i + 8));
            v3 = round1(v3, rd64(p + i + 16));
            v4 = round1(v4, rd64(p + i + 24));
        }
        h = rol(v1, 1) + rol(v2, 7) + rol(v3, 12) + rol(v4, 18);
    } else {
        h = seed + P5;
    }
    h += len;
    for (; i + 8 <= len; i += 8) h = rol(h ^ round1(0, rd64(p + i)), 27) * P1 + P4;
    for (; i < len; i++) h = rol(h ^ (p[i] * P5), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* A hash table probe loop: hash, compare, step. */
EXPORT int lookup(const u8 *keys, u32 n, u32 klen, const u8 *key, u64 *table, u32 mask)
{
    u64 h = xxh64(key, klen, 0);
    for (u32 i = 0; i < n; i++) {
        u32 slot = (u32)(h + i) & mask;
        if (table[slot] == h) return (int)slot;
        if (table[slot] == 0) { table[slot] = h; return (int)slot; }
    }
    (void)keys;
    return -1;
}
