/* Asset inventory CSV and longest-prefix match (see assets.h). */
#include "analyze/assets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/csvread.h"
#include "analyze/prices.h"

#define MAXF 16
#define RECCAP 4096
#define MAX_ENTRIES (1u << 24)
#define PRESIZE_MAX ((size_t)1 << 18) /* rows the index is first sized for, at most */

const char *mt_size_str(int size)
{
    switch (size) {
    case MT_SIZE_SMALL: return "small";
    case MT_SIZE_MEDIUM: return "medium";
    case MT_SIZE_LARGE: return "large";
    default: return "unknown";
    }
}

static void mask_addr(mt_addr *a, int bits)
{
    int max = a->family == 4 ? 4 : 16;
    for (int i = 0; i < max; i++) {
        int keep = bits - i * 8;
        if (keep >= 8) continue;
        a->b[i] &= keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
    }
    for (int i = max; i < 16; i++) a->b[i] = 0;
}

/* The index key: family (4 or 6, so never the all-zero empty key), prefix
 * length, address masked to it. */
typedef struct asset_key {
    uint8_t family;
    uint8_t bits;
    uint8_t b[16];
} asset_key;
_Static_assert(sizeof(asset_key) == 18, "asset_key has no padding to clear");

static asset_key make_key(const mt_addr *masked, int bits)
{
    asset_key k;
    k.family = masked->family;
    k.bits = (uint8_t)bits;
    memcpy(k.b, masked->b, sizeof k.b);
    return k;
}

static uint64_t key_hash(const void *key)
{
    return mt_hash_bytes(key, sizeof(asset_key), 0xa55e7);
}

static int parse_net(char *s, mt_addr *a, int *bits)
{
    char *slash = strchr(s, '/');
    int b = -1;
    if (slash) {
        *slash = '\0';
        const char *q = slash + 1;
        if (!*q || strlen(q) > 3) return 0;
        b = 0;
        for (; *q; q++) {
            if (!isdigit((unsigned char)*q)) return 0;
            b = b * 10 + (*q - '0');
        }
    }
    if (strlen(s) >= MT_ADDR_STRLEN || mt_addr_parse(s, a) != MT_OK) return 0;
    int max = a->family == 4 ? 32 : 128;
    if (b < 0) b = max;
    if (b > max) return 0;
    *bits = b;
    mask_addr(a, b);
    return 1;
}

static int parse_size(const char *s)
{
    if (strcasecmp(s, "small") == 0) return MT_SIZE_SMALL;
    if (strcasecmp(s, "medium") == 0) return MT_SIZE_MEDIUM;
    if (strcasecmp(s, "large") == 0) return MT_SIZE_LARGE;
    return -1;
}

static char *dup_field(const char *s)
{
    char tmp[257];
    mt_strlcpy(tmp, s, sizeof tmp);
    return mt_xstrdup(tmp);
}

int mt_assets_parse(const char *data, size_t n, mt_assets *out)
{
    memset(out, 0, sizeof *out);
    mt_csvr r;
    mt_csvr_init(&r, data, n);
    char *buf = mt_xmalloc(RECCAP);
    char *f[MAXF];
    int cnet = 0, corg = 1, csec = 2, csize = 3;
    int first = 1, nf;
    /* Sized for the line count, so a big inventory is not rehashed as it
     * loads; the bound keeps a file of blank lines from reserving much. */
    size_t lines = 0;
    for (const char *p = data, *end = data + n; p < end && lines < PRESIZE_MAX; p++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p) break;
        lines++;
    }
    mt_hmap_cfg cfg = {.key_size = sizeof(asset_key),
                       .val_size = sizeof(uint32_t),
                       .capacity = lines * 10 / 7 + 1,
                       .hash = key_hash};
    mt_hmap_init(&out->index, &cfg);
    while ((nf = mt_csvr_next(&r, buf, RECCAP, f, MAXF)) != 0) {
        if (nf < 0) {
            out->rows++;
            out->bad++;
            first = 0;
            mt_csv_skip(&out->skipped, r.line, "row too long or too many fields");
            continue;
        }
        for (int i = 0; i < nf; i++) f[i] = mt_csv_trim(f[i]);
        if (first) {
            first = 0;
            mt_addr probe;
            int pb;
            char tmp[128];
            mt_strlcpy(tmp, f[0], sizeof tmp);
            if (!parse_net(tmp, &probe, &pb)) {
                /* A header: find the columns by name. */
                out->has_header = 1;
                cnet = corg = csec = csize = -1;
                for (int i = 0; i < nf; i++) {
                    const char *h = f[i];
                    if (!strcasecmp(h, "network") || !strcasecmp(h, "cidr") || !strcasecmp(h, "ip") ||
                        !strcasecmp(h, "prefix") || !strcasecmp(h, "address")) cnet = i;
                    else if (!strcasecmp(h, "organisation") || !strcasecmp(h, "organization") ||
                             !strcasecmp(h, "org")) corg = i;
                    else if (!strcasecmp(h, "sector")) csec = i;
                    else if (!strcasecmp(h, "size") || !strcasecmp(h, "size_class")) csize = i;
                }
                if (cnet < 0) {
                    free(buf);
                    mt_assets_free(out);
                    return mt_error_set(MT_EINVAL, "asset inventory: no 'network' column in the header "
                                        "(want network,organisation,sector,size)");
                }
                continue;
            }
        }
        out->rows++;
        mt_asset e;
        memset(&e, 0, sizeof e);
        if (cnet >= nf || !parse_net(f[cnet], &e.net, &e.bits)) {
            out->bad++;
            mt_csv_skip(&out->skipped, r.line,
                        cnet >= nf ? "no network column" : "network is not an address or CIDR");
            continue;
        }
        const char *org = corg >= 0 && corg < nf ? f[corg] : "";
        const char *sec = csec >= 0 && csec < nf ? f[csec] : "";
        const char *sz = csize >= 0 && csize < nf ? f[csize] : "";
        e.size = *sz ? parse_size(sz) : MT_SIZE_UNKNOWN;
        if (e.size < 0) { out->bad_size++; e.size = MT_SIZE_UNKNOWN; }
        asset_key k = make_key(&e.net, e.bits);
        uint64_t h = key_hash(&k);
        if (out->n >= MAX_ENTRIES) {
            if (mt_hmap_find(&out->index, &k, h) != MT_HMAP_NONE) out->dup++;
            else {
                out->bad++;
                mt_csv_skip(&out->skipped, r.line, "inventory full (16777216 networks)");
            }
            continue;
        }
        int added;
        size_t slot = mt_hmap_put(&out->index, &k, h, &added);
        if (!added) { out->dup++; continue; } /* first row for a network wins */
        e.org = dup_field(org);
        e.sector = dup_field(sec);
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->v = mt_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        uint32_t idx = (uint32_t)out->n;
        out->v[out->n++] = e;
        memcpy(mt_hmap_val(&out->index, slot), &idx, sizeof idx);
        if (e.net.family == 4) out->len4[e.bits] = 1;
        else out->len6[e.bits] = 1;
    }
    free(buf);
    return MT_OK;
}

int mt_assets_load(const char *path, mt_assets *out)
{
    char *data;
    size_t n;
    int rc = mt_read_file(path, (size_t)512 << 20, &data, &n);
    if (rc) return rc;
    rc = mt_assets_parse(data, n, out);
    free(data);
    if (rc) return mt_error_context(rc, path);
    return MT_OK;
}

void mt_assets_free(mt_assets *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].org);
        free(a->v[i].sector);
    }
    free(a->v);
    mt_hmap_free(&a->index);
    memset(a, 0, sizeof *a);
}

const mt_asset *mt_assets_lookup(const mt_assets *a, const mt_addr *addr)
{
    if (!a || !a->n || (addr->family != 4 && addr->family != 6)) return NULL;
    int max = addr->family == 4 ? 32 : 128;
    const uint8_t *present = addr->family == 4 ? a->len4 : a->len6;
    for (int bits = max; bits >= 0; bits--) {
        if (!present[bits]) continue;
        mt_addr m = *addr;
        mask_addr(&m, bits);
        asset_key k = make_key(&m, bits);
        size_t i = mt_hmap_find(&a->index, &k, key_hash(&k));
        if (i != MT_HMAP_NONE) {
            uint32_t idx;
            memcpy(&idx, mt_hmap_val(&a->index, i), sizeof idx);
            return &a->v[idx];
        }
    }
    return NULL;
}
