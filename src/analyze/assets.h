/* The asset inventory for the victims analysis: CSV rows
 * `network,organisation,sector,size` (network = an IPv4/IPv6 address or
 * CIDR; size = small, medium or large) and a longest-prefix-match lookup.
 *
 * Prefixes live in one util/hashmap keyed by (family, prefix length, masked
 * address); a lookup masks the address for each prefix length present in
 * the inventory, longest first — at most 33 (IPv4) or 129 (IPv6) probes,
 * independent of the inventory's size. */
#ifndef MT_ANALYZE_ASSETS_H
#define MT_ANALYZE_ASSETS_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/csvread.h"
#include "minetrace/common.h"
#include "util/hashmap.h"

enum { MT_SIZE_UNKNOWN = 0, MT_SIZE_SMALL, MT_SIZE_MEDIUM, MT_SIZE_LARGE };

typedef struct mt_asset {
    mt_addr net;   /* masked to bits */
    int bits;
    char *org;     /* never NULL; "" when the row left it empty */
    char *sector;
    int size;      /* MT_SIZE_* */
} mt_asset;

typedef struct mt_assets {
    mt_asset *v;
    size_t n, cap;
    mt_hmap index;     /* mt_asset_key -> uint32_t index into v */
    uint8_t len4[33], len6[129]; /* prefix lengths present */
    size_t rows, bad, dup, bad_size; /* data rows; skipped; duplicate nets; unknown size words */
    mt_csv_skips skipped;            /* the skipped rows, named (line, reason) */
    int has_header;
} mt_assets;

int mt_assets_parse(const char *data, size_t n, mt_assets *out);
int mt_assets_load(const char *path, mt_assets *out);
void mt_assets_free(mt_assets *a);
/* The most specific entry containing addr, or NULL. */
const mt_asset *mt_assets_lookup(const mt_assets *a, const mt_addr *addr);
const char *mt_size_str(int size);

#endif
