/* IP and CIDR indicators (IPv4 and IPv6).
 *
 * One open-addressing table keyed by (family, prefix length, masked
 * address). An exact IP is a /32 (or /128) entry. A lookup masks the
 * address to every prefix length that occurs in the set (a bitmap of at
 * most 33 + 129 lengths, in practice a handful) and probes once per length,
 * so cost does not depend on how many CIDRs are loaded. Any allow entry
 * covering the address suppresses the match, as for domains. */
#include "intel/intel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return mt_addr_hash(a, IP_SEED + (uint64_t)bits);
}

static mt_intel_ientry *ifind(const mt_intel *in, const mt_addr *a, int bits)
{
    if (!in->islots) return NULL;
    size_t mask = in->islot_cap - 1;
    for (size_t i = (size_t)ip_hash(a, bits) & mask;; i = (i + 1) & mask) {
        mt_intel_ientry *s = &in->islots[i];
        if (s->prefix.family == 0) return NULL;
        if (s->bits == bits && mt_addr_eq(&s->prefix, a)) return s;
    }
}

static mt_intel_ientry *islot_new(mt_intel_ientry *slots, size_t cap,
                                  const mt_addr *a, int bits)
{
    size_t mask = cap - 1;
    size_t i = (size_t)ip_hash(a, bits) & mask;
    while (slots[i].prefix.family) i = (i + 1) & mask;
    return &slots[i];
}

static void igrow(mt_intel *in)
{
    size_t cap = in->islot_cap ? in->islot_cap * 2 : 256;
    mt_intel_ientry *ns = mt_xcalloc(cap, sizeof *ns);
    for (size_t i = 0; i < in->islot_cap; i++) {
        const mt_intel_ientry *s = &in->islots[i];
        if (s->prefix.family) *islot_new(ns, cap, &s->prefix, s->bits) = *s;
    }
    free(in->islots);
    in->islots = ns;
    in->islot_cap = cap;
}

int mt_intel_add_cidr(mt_intel *in, const mt_addr *prefix, int bits, int weight,
                      mt_intel_category cat, const char *source)
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
    mt_intel_ientry *e = ifind(in, &a, bits);
    if (!e) {
        if ((in->n_ients + 1) * 10 > in->islot_cap * 7) igrow(in);
        e = islot_new(in->islots, in->islot_cap, &a, bits);
        memset(e, 0, sizeof *e);
        e->prefix = a;
        e->bits = (uint8_t)bits;
        in->n_ients++;
        char txt[MT_ADDR_STRLEN + 8];
        mt_addr_to_str(&a, txt, sizeof txt);
        size_t tl = strlen(txt);
        if (bits != max) tl += (size_t)snprintf(txt + tl, sizeof txt - tl, "/%d", bits);
        e->text_off = mt_intel_arena_add(in, txt, tl);
        if (a.family == 4) in->v4_bits[bits] = 1;
        else in->v6_bits[bits] = 1;
    }
    if (cat == MT_CAT_ALLOW) {
        e->allow = 1;
    } else if (mt_intel_stronger(weight, cat, e->weight, e->cat)) {
        e->weight = (uint8_t)weight;
        e->cat = (uint8_t)cat;
        e->source = mt_intel_intern(in, source ? source : "api");
    }
    return MT_OK;
}

int mt_intel_match_ip(const mt_intel *in, const mt_addr *addr, mt_intel_hit *hit)
{
    if (!in || !addr || in->n_ients == 0) return 0;
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
        if (e->allow) return 0;
        if (e->weight && (!best || mt_intel_stronger(e->weight, e->cat, best->weight, best->cat)))
            best = e;
    }
    if (!best) return 0;
    mt_intel_fill_hit(in, hit, best->weight, best->cat, in->names + best->text_off, best->source,
                      NULL);
    return 1;
}
