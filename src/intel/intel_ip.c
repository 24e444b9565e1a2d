/* IP and CIDR indicators (IPv4 and IPv6).
 *
 * One util/hashmap table keyed by (masked address, prefix length). An exact IP is a /32 (or /128) entry. A lookup masks the
 * address to every prefix length that occurs in the set (a bitmap of at
 * most 33 + 129 lengths, in practice a handful) and probes once per length,
 * so cost does not depend on how many CIDRs are loaded. Any allow entry
 * covering the address suppresses the match, as for domains. */
#include "intel/intel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

#define IP_SEED 0x6970696e74656cULL

static void mask_addr(mt_addr *a, int bits)
{
    int max = a->family == 4 ? 32 : 128;
    if (bits >= max) return;
    int full = bits / 8, rem = bits % 8;
    if (rem) {
        a->b[full] &= (uint8_t)(0xff << (8 - rem));
        full++;
    }
    memset(a->b + full, 0, (size_t)(16 - full));
}

static uint64_t ip_hash(const mt_addr *a, int bits)
{
    return mt_addr_hash_inl(a, IP_SEED + (uint64_t)bits);
}

static uint64_t ikey_hash(const void *key)
{
    mt_intel_ikey k;
    memcpy(&k, key, sizeof k);
    return ip_hash(&k.prefix, k.bits);
}

void mt_intel_ip_init(mt_intel *in)
{
    mt_hmap_init(&in->imap, &(mt_hmap_cfg){.key_size = sizeof(mt_intel_ikey),
                                            .val_size = sizeof(mt_intel_ientry),
                                            .capacity = 256, .hash = ikey_hash});
}

/* The table key of a masked address: the address with its unused bytes
 * (a /24 keeps 3 of 16) zero. mask_addr already zeroes the tail. */
static mt_intel_ikey ikey(const mt_addr *masked, int bits)
{
    mt_intel_ikey k;
    k.prefix = mt_hmap_addr_key(masked);
    k.bits = (uint8_t)bits;
    return k;
}

static mt_intel_ientry *ifind(const mt_intel *in, const mt_addr *a, int bits)
{
    mt_intel_ikey k = ikey(a, bits);
    size_t i = mt_hmap_find(&in->imap, &k, ip_hash(a, bits));
    return i == MT_HMAP_NONE ? NULL : mt_hmap_val(&in->imap, i);
}

int mt_intel_add_cidr(mt_intel *in, const mt_addr *prefix, int bits, int weight,
                      mt_intel_category cat, const char *source)
{
    return mt_intel_add_cidr_flags(in, prefix, bits, weight, cat, source, MT_INTEL_F_HOST);
}

int mt_intel_add_cidr_flags(mt_intel *in, const mt_addr *prefix, int bits, int weight,
                            mt_intel_category cat, const char *source, unsigned flags)
{
    if (!prefix || (prefix->family != 4 && prefix->family != 6))
        return mt_error_set(MT_EINVAL, "intel: CIDR without an address family");
    int max = prefix->family == 4 ? 32 : 128;
    if (bits < 0 || bits > max)
        return mt_error_set(MT_EINVAL, "intel: prefix length %d out of range 0..%d", bits, max);
    if (cat < MT_CAT_POOL || cat > MT_CAT_ALLOW)
        return mt_error_set(MT_EINVAL, "intel: bad category %d", (int)cat);
    if (weight < 1 || weight > 100)
        return mt_error_set(MT_EINVAL, "intel: weight %d out of range 1..100", weight);
    if (in->names_len + MT_ADDR_STRLEN + 8 > UINT32_MAX)
        return mt_error_set(MT_ENOMEM, "intel: arena full");
    mt_addr a = *prefix;
    mask_addr(&a, bits);
    mt_intel_ikey key = ikey(&a, bits);
    int added;
    size_t slot = mt_hmap_put(&in->imap, &key, ip_hash(&a, bits), &added);
    mt_intel_ientry *e = mt_hmap_val(&in->imap, slot);
    if (added) {
        char txt[MT_ADDR_STRLEN + 8];
        mt_addr_to_str(&a, txt, sizeof txt);
        size_t tl = strlen(txt);
        if (bits != max) tl += (size_t)snprintf(txt + tl, sizeof txt - tl, "/%d", bits);
        e->text_off = mt_intel_arena_add(in, txt, tl);
        if (a.family == 4) in->v4_bits[bits] = 1;
        else in->v6_bits[bits] = 1;
    }
    if (cat == MT_CAT_ALLOW) {
        e->allow |= MT_INTEL_F_ALLOW;
        return MT_OK;
    }
    e->allow |= (uint8_t)(flags & MT_INTEL_F_HOST);
    if (mt_intel_stronger(weight, cat, e->weight, e->cat)) {
        e->weight = (uint8_t)weight;
        e->cat = (uint8_t)cat;
        e->source = mt_intel_intern(in, source ? source : "api");
    }
    return MT_OK;
}

int mt_intel_match_ip(const mt_intel *in, const mt_addr *addr, mt_intel_hit *hit)
{
    return mt_intel_match_ip_flags(in, addr, 0, hit) > 0;
}

int mt_intel_match_ip_flags(const mt_intel *in, const mt_addr *addr, unsigned need,
                            mt_intel_hit *hit)
{
    if (!in || !addr || mt_hmap_count(&in->imap) == 0) return 0;
    if (addr->family != 4 && addr->family != 6) return 0;
    const uint8_t *present = addr->family == 4 ? in->v4_bits : in->v6_bits;
    int max = addr->family == 4 ? 32 : 128;
    const mt_intel_ientry *best = NULL;
    for (int bits = max; bits >= 0; bits--) {
        if (!present[bits]) continue;
        mt_addr a = *addr;
        mask_addr(&a, bits);
        const mt_intel_ientry *e = ifind(in, &a, bits);
        if (!e) continue;
        if (e->allow & MT_INTEL_F_ALLOW) return -1;
        if ((e->allow & need) != need) continue;
        if (e->weight && (!best || mt_intel_stronger(e->weight, e->cat, best->weight, best->cat)))
            best = e;
    }
    if (!best) return 0;
    mt_intel_fill_hit(in, hit, best->weight, best->cat, in->names + best->text_off, best->source,
                      NULL);
    return 1;
}
