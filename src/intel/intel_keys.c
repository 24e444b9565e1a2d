/* Wallets and site keys as indicators: the payout addresses of known
 * miner campaigns and the browser-miner site keys (Coinhive-style) a
 * botnet or a cryptojacked site uses. A list names them one per line,
 * recognised by shape or by an explicit "wallet:" / "sitekey:" prefix
 * (intel_load.c); the Stratum and WebSocket detectors look up the wallet
 * or site key a login names.
 *
 * Each kind is one array kept sorted on insertion and binary-searched:
 * lists of this kind are small, loading is control plane, and a lookup
 * happens once per login, not per packet. Keys are normalised first:
 * Ethereum hex and bech32 addresses are case-insensitive (lower-cased),
 * base58 addresses and site keys are case-sensitive (kept). */
#include "intel/intel_internal.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128

enum { K_WALLET = 0, K_SITEKEY = 1 };

static int is_b58(char c)
{
    return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N') ||
           (c >= 'P' && c <= 'Z') || (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int all_of(const char *s, size_t n, int (*pred)(char))
{
    for (size_t i = 0; i < n; i++)
        if (!pred(s[i])) return 0;
    return 1;
}

static int is_bech32(char c)
{
    c = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    return c && strchr("qpzry9x8gf2tvdw0s3jn54khce6mua7l", c) != NULL;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Characters a wallet of any coin or a site key may use in a list. */
static int is_token(char c)
{
    return is_alnum(c) || c == '_' || c == '-';
}

static const char *shape_of(const char *s, size_t n)
{
    /* Monero: base58, 95 characters (standard '4', subaddress '8'), 106
     * for integrated addresses ('4'). */
    if ((n == 95 && (s[0] == '4' || s[0] == '8')) || (n == 106 && s[0] == '4'))
        return all_of(s, n, is_b58) ? "monero" : NULL;
    /* Ethereum: 0x and 40 hex digits. */
    if (n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return all_of(s + 2, 40, is_hex) ? "ethereum" : NULL;
    /* Bitcoin bech32 (segwit v0 42 or 62, taproot 62 characters). */
    if (n >= 42 && n <= 62 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'c' || s[1] == 'C') &&
        s[2] == '1')
        return all_of(s + 3, n - 3, is_bech32) ? "bitcoin" : NULL;
    /* Bitcoin base58 P2PKH ('1') or P2SH ('3'), 26..35 characters, with a
     * letter (a long run of digits is a number, not an address). */
    if (n >= 26 && n <= 35 && (s[0] == '1' || s[0] == '3') && all_of(s, n, is_b58)) {
        for (size_t i = 1; i < n; i++)
            if (s[i] > '9') return "bitcoin";
    }
    return NULL;
}

const char *mt_intel_wallet_shape(const char *s)
{
    return s ? shape_of(s, strnlen(s, KEY_MAX + 1)) : NULL;
}

int mt_intel_sitekey_shape(const char *s)
{
    /* Coinhive-era site keys: 32 random base62 characters. Mixed case and
     * a digit tell one from a hex digest or a word. */
    if (!s || strnlen(s, 33) != 32 || !all_of(s, 32, is_alnum)) return 0;
    int up = 0, low = 0, dig = 0;
    for (size_t i = 0; i < 32; i++) {
        up |= s[i] >= 'A' && s[i] <= 'Z';
        low |= s[i] >= 'a' && s[i] <= 'z';
        dig |= s[i] >= '0' && s[i] <= '9';
    }
    return up && low && dig;
}

/* Normalise a key of kind k into out; -1 when it cannot be one. */
static int norm_key(int k, const char *s, char *out)
{
    size_t n = strnlen(s, KEY_MAX + 1);
    if (n < 8 || n > KEY_MAX || !all_of(s, n, is_token)) return -1;
    memcpy(out, s, n + 1);
    if (k == K_WALLET) {
        const char *shape = shape_of(s, n);
        int fold = shape && (strcmp(shape, "ethereum") == 0 ||
                             (strcmp(shape, "bitcoin") == 0 && (s[0] == 'b' || s[0] == 'B')));
        if (fold)
            for (size_t i = 0; i < n; i++)
                if (out[i] >= 'A' && out[i] <= 'Z') out[i] = (char)(out[i] + 32);
    }
    return (int)n;
}

/* Index of key in the sorted array, or where it would go (*found = 0). */
static size_t find(const mt_intel_keys *ks, int k, const char *key, int *found)
{
    size_t lo = 0, hi = ks->n[k];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ks->k[k][mid].key, key);
        if (c == 0) { *found = 1; return mid; }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = 0;
    return lo;
}

static int add_key(mt_intel *in, int k, const char *key, int weight, mt_intel_category cat,
                   const char *source)
{
    char norm[KEY_MAX + 1];
    const char *what = k == K_WALLET ? "wallet" : "site key";
    if (!in || !key) return mt_error_set(MT_EINVAL, "intel: no %s given", what);
    if (cat < MT_CAT_POOL || cat > MT_CAT_CRYPTO)
        return mt_error_set(MT_EINVAL, "intel: bad category %d for %s '%.64s'", (int)cat, what,
                            key);
    if (weight < 1 || weight > 100)
        return mt_error_set(MT_EINVAL, "intel: weight %d out of range 1..100", weight);
    if (norm_key(k, key, norm) < 0)
        return mt_error_set(MT_EINVAL, "intel: not a %s: '%.64s'", what, key);
    if (!in->keys) in->keys = mt_xcalloc(1, sizeof *in->keys);
    mt_intel_keys *ks = in->keys;
    int found;
    size_t at = find(ks, k, norm, &found);
    if (found) {
        mt_intel_key *e = &ks->k[k][at];
        if (mt_intel_stronger(weight, cat, e->weight, e->cat)) {
            e->weight = (uint8_t)weight;
            e->cat = (uint8_t)cat;
            e->source = mt_intel_intern(in, source ? source : "api");
        }
        return MT_OK;
    }
    if (ks->n[k] == ks->cap[k]) {
        ks->cap[k] = ks->cap[k] ? ks->cap[k] * 2 : 64;
        ks->k[k] = mt_xrealloc(ks->k[k], ks->cap[k] * sizeof *ks->k[k]);
    }
    mt_intel_key *e = &ks->k[k][at];
    memmove(e + 1, e, (ks->n[k] - at) * sizeof *e);
    ks->n[k]++;
    e->key = mt_xstrdup(norm);
    e->weight = (uint8_t)weight;
    e->cat = (uint8_t)cat;
    e->source = mt_intel_intern(in, source ? source : "api");
    return MT_OK;
}

int mt_intel_add_wallet(mt_intel *in, const char *wallet, int weight, mt_intel_category cat,
                        const char *source)
{
    return add_key(in, K_WALLET, wallet, weight, cat, source);
}

int mt_intel_add_sitekey(mt_intel *in, const char *key, int weight, mt_intel_category cat,
                         const char *source)
{
    return add_key(in, K_SITEKEY, key, weight, cat, source);
}

static int match_key(const mt_intel *in, int k, const char *key, mt_intel_hit *hit)
{
    char norm[KEY_MAX + 1];
    if (!in || !in->keys || !in->keys->n[k] || !key || norm_key(k, key, norm) < 0) return 0;
    int found;
    size_t at = find(in->keys, k, norm, &found);
    if (!found) return 0;
    const mt_intel_key *e = &in->keys->k[k][at];
    mt_intel_fill_hit(in, hit, e->weight, e->cat, e->key, e->source, NULL);
    return 1;
}

int mt_intel_match_wallet(const mt_intel *in, const char *wallet, mt_intel_hit *hit)
{
    return match_key(in, K_WALLET, wallet, hit);
}

int mt_intel_match_sitekey(const mt_intel *in, const char *key, mt_intel_hit *hit)
{
    return match_key(in, K_SITEKEY, key, hit);
}

size_t mt_intel_wallet_count(const mt_intel *in)
{
    return in && in->keys ? in->keys->n[K_WALLET] : 0;
}

size_t mt_intel_sitekey_count(const mt_intel *in)
{
    return in && in->keys ? in->keys->n[K_SITEKEY] : 0;
}

void mt_intel_keys_free(mt_intel *in)
{
    mt_intel_keys *ks = in->keys;
    if (!ks) return;
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < ks->n[k]; i++) free(ks->k[k][i].key);
        free(ks->k[k]);
    }
    free(ks);
    in->keys = NULL;
}
