/* The zombie figures of each campaign (botnet_int.h): active sources per
 * day and the peak, countries and ASNs (GeoIP), scan coverage and port 22,
 * IoT share, wallets, pools, downloads and the top credentials. A figure
 * that cannot be computed for a member (no GeoIP answer, no scan, no
 * device evidence) is counted as unknown for it, never guessed.
 *
 * IoT evidence for one source, any of:
 * - its SSH client is an embedded stack (dropbear and the like: firmware
 *   ships it), or a Recog ssh.banner fingerprint of an IoT class matches
 *   its client version;
 * - a scan banner matches a Recog fingerprint of an IoT class (the banner's
 *   own kind: ssh.banner, telnet.banner, http_header.server, html_title),
 *   or nmap named an IoT device type;
 * - its open ports have the IoT profile: 7547 (TR-069 CPE management),
 *   37215 (Huawei HG532 UPnP), 52869 (Realtek UPnP), 554 (RTSP cameras),
 *   37777 (Dahua DVRs), 8291 (MikroTik Winbox), 23 or 2323 (Telnet).
 * A scanned host without any of that counts as not IoT; a host neither
 * scanned nor with an embedded client is unknown. */
#include <stdlib.h>
#include <string.h>

#include "botnet_int.h"

static const uint16_t iot_ports[] = {7547, 37215, 52869, 554, 37777, 8291, 23, 2323};

/* Recog's ssh.banner patterns match the software part ("dropbear_2019.78"),
 * not the "SSH-2.0-" in front of it. */
static void recog_text(const char *kind, const char **p, size_t *n)
{
    if (strcmp(kind, "ssh.banner") != 0 || *n < 8 || memcmp(*p, "SSH-", 4) != 0) return;
    const char *dash = memchr(*p + 4, '-', *n - 4);
    if (!dash) return;
    *n -= (size_t)(dash + 1 - *p);
    *p = dash + 1;
}

static int recog_try(const mt_recog *r, const char *kind, const char *p, size_t n, const char **device)
{
    if (!r || !kind || !*kind) return -1;
    recog_text(kind, &p, &n);
    mt_recog_hit m;
    if (mt_recog_match(r, kind, p, n, &m) != 1) return -1;
    if (m.device && *m.device && !**device) *device = m.device;
    return m.iot ? 1 : 0;
}

/* -1 unknown, 0 not IoT, 1 IoT; *device: a device type named by the
 * evidence ("" none). */
static int source_iot(const mt_botnet *b, const bn_source *s, const mt_scan_host *h, const char **device)
{
    int iot = -1;
    *device = "";
    if (s->iot_client) iot = 1;
    for (unsigned i = 0; i < s->clients.n; i++) {
        const char *v = mt_strtab_str(&b->strs, s->clients.v[i]);
        if (recog_try(b->o.recog, "ssh.banner", v, strlen(v), device) == 1) iot = 1;
    }
    if (!h) return iot;
    if (iot < 0) iot = 0;
    if (h->device && *h->device) {
        if (!**device) *device = h->device;
        if (mt_recog_device_is_iot(h->device)) iot = 1;
    }
    for (size_t i = 0; i < h->nbanners; i++) {
        const mt_scan_banner *bn = &h->banners[i];
        if (!bn->text) continue;
        if (recog_try(b->o.recog, bn->kind, bn->text, strlen(bn->text), device) == 1) iot = 1;
    }
    for (size_t i = 0; i < sizeof iot_ports / sizeof iot_ports[0]; i++)
        if (mt_scan_host_open(h, iot_ports[i])) iot = 1;
    return iot;
}

static const mt_geoip *asn_db(const mt_botnet *b)
{
    return b->o.asn ? b->o.asn : b->o.geo;
}

void bn_source_enrich(const mt_botnet *b, const bn_source *s, mt_botsource *out, char cc[3], char *org,
                      size_t org_cap, const char **device)
{
    cc[0] = '\0';
    org[0] = '\0';
    out->country = cc;
    out->as_org = org;
    out->asn = 0;
    if (b->o.geo && mt_geoip_country(b->o.geo, &s->addr, cc) != 1) cc[0] = '\0';
    uint32_t asn = 0;
    if (asn_db(b) && mt_geoip_asn(asn_db(b), &s->addr, &asn, org, org_cap) == 1) out->asn = asn;
    else org[0] = '\0';
    const mt_scan_host *h = b->o.scans ? mt_scanres_get(b->o.scans, &s->addr) : NULL;
    out->port22_open = h ? mt_scan_host_open(h, 22) != 0 : -1;
    out->iot = source_iot(b, s, h, device);
    out->device = *device;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;
    return a < c ? -1 : a > c;
}

static int cmp_items(const void *x, const void *y)
{
    const mt_count_item *a = x, *c = y;
    if (a->count != c->count) return a->count > c->count ? -1 : 1;
    return strcmp(a->name, c->name);
}

/* Active members per day: one walk over the (source, day) keys. */
static void campaign_days(mt_botnet *b)
{
    size_t n = 0, cap = 1024;
    uint64_t *cd = mt_xmalloc(cap * sizeof *cd);
    const mt_hmap *m = &b->days.map;
    for (size_t i = mt_hmap_next(m, 0); i != MT_HMAP_NONE; i = mt_hmap_next(m, i + 1)) {
        uint64_t k;
        memcpy(&k, mt_hmap_key(m, i), sizeof k);
        k--;
        uint32_t si = (uint32_t)(k >> 32);
        if (si >= b->nsrc || b->camp_of[si] < 0) continue;
        if (n == cap) cd = mt_xrealloc(cd, (cap *= 2) * sizeof *cd);
        cd[n++] = (uint64_t)(uint32_t)b->camp_of[si] << 32 | (k & 0xffffffffu);
    }
    qsort(cd, n, sizeof *cd, cmp_u64);
    for (size_t i = 0; i < n;) {
        size_t c = (size_t)(cd[i] >> 32), j = i, nd = 0;
        while (j < n && (cd[j] >> 32) == c) {
            size_t e = j;
            while (e < n && cd[e] == cd[j]) e++;
            nd++;
            j = e;
        }
        bn_campaign *cp = &b->camp[c];
        cp->days = mt_xcalloc(nd, sizeof *cp->days);
        cp->day_names = mt_xcalloc(nd, sizeof *cp->day_names);
        size_t d = 0;
        uint64_t peak = 0;
        for (size_t e = i; e < j;) {
            size_t f = e;
            while (f < j && cd[f] == cd[e]) f++;
            int64_t day = (int64_t)(cd[e] & 0xffffffffu) - 0x80000000LL;
            bn_day_str(day, cp->day_names[d]);
            cp->days[d].name = cp->day_names[d];
            cp->days[d].count = f - e;
            if (f - e > peak) {
                peak = f - e;
                memcpy(cp->peak, cp->day_names[d], 11);
            }
            d++;
            e = f;
        }
        cp->rec.active_per_day = cp->days;
        cp->rec.ndays = nd;
        cp->rec.peak_active = peak;
        i = j;
    }
    free(cd);
}

/* Credential attempts of the members, summed per campaign: one walk over
 * the (source, credential) pairs; the top opts.top_credentials each. */
static void campaign_creds(mt_botnet *b)
{
    typedef struct { uint64_t cc; uint64_t attempts; } acc;
    mt_hmap sum;
    mt_hmap_init(&sum, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(uint64_t),
                                      .capacity = 1024, .hash = b->pairs.hash});
    const mt_hmap *m = &b->pairs;
    for (size_t i = mt_hmap_next(m, 0); i != MT_HMAP_NONE; i = mt_hmap_next(m, i + 1)) {
        uint64_t k;
        memcpy(&k, mt_hmap_key(m, i), sizeof k);
        uint32_t si = (uint32_t)(k >> 32) - 1;
        if (si >= b->nsrc || b->camp_of[si] < 0) continue;
        uint64_t ck = ((uint64_t)(uint32_t)b->camp_of[si] + 1) << 32 | (k & 0xffffffffu);
        int added;
        size_t slot = mt_hmap_put(&sum, &ck, mt_mix64(ck), &added);
        *(uint64_t *)mt_hmap_val(&sum, slot) += *(const uint32_t *)mt_hmap_val(m, i);
    }
    size_t n = 0;
    acc *all = mt_xmalloc((mt_hmap_count(&sum) + 1) * sizeof *all);
    for (size_t i = mt_hmap_next(&sum, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&sum, i + 1)) {
        memcpy(&all[n].cc, mt_hmap_key(&sum, i), sizeof all[n].cc);
        all[n].attempts = *(uint64_t *)mt_hmap_val(&sum, i);
        n++;
    }
    mt_hmap_free(&sum);
    /* Group by campaign, then keep the most tried (names decide ties). */
    size_t *per = mt_xcalloc(b->ncamp + 1, sizeof *per);
    for (size_t i = 0; i < n; i++) per[(all[i].cc >> 32) - 1]++;
    mt_count_item **items = mt_xcalloc(b->ncamp + 1, sizeof *items);
    size_t *fill = mt_xcalloc(b->ncamp + 1, sizeof *fill);
    for (size_t c = 0; c < b->ncamp; c++) items[c] = mt_xcalloc(per[c] + 1, sizeof **items);
    char **names = mt_xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)(all[i].cc >> 32) - 1;
        uint32_t id = (uint32_t)all[i].cc;
        const char *u, *p;
        size_t un, pn;
        bn_cred_split(b, id, &u, &un, &p, &pn);
        names[i] = mt_xmalloc(un + pn + 2);
        memcpy(names[i], u, un);
        names[i][un] = ':';
        memcpy(names[i] + un + 1, p, pn);
        names[i][un + 1 + pn] = '\0';
        items[c][fill[c]].name = names[i];
        items[c][fill[c]].count = all[i].attempts;
        fill[c]++;
    }
    size_t top = b->o.top_credentials;
    for (size_t c = 0; c < b->ncamp; c++) {
        bn_campaign *cp = &b->camp[c];
        qsort(items[c], fill[c], sizeof **items, cmp_items);
        size_t keep = fill[c] < top ? fill[c] : top;
        cp->creds = mt_xcalloc(keep + 1, sizeof *cp->creds);
        cp->cred_names = mt_xcalloc(keep + 1, sizeof *cp->cred_names);
        for (size_t k = 0; k < keep; k++) {
            cp->cred_names[k] = mt_xstrdup(items[c][k].name);
            cp->creds[k].name = cp->cred_names[k];
            cp->creds[k].count = items[c][k].count;
        }
        cp->rec.top_credentials = cp->creds;
        cp->rec.ncredentials = keep;
        free(items[c]);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(items);
    free(fill);
    free(per);
    free(all);
}

#define MAX_DOWNLOADS 100

/* Countries, ASNs, scans and IoT of the members; downloads. */
static void campaign_members(mt_botnet *b, bn_campaign *cp, size_t ci)
{
    static uint32_t cc_count[26 * 26];
    memset(cc_count, 0, sizeof cc_count);
    mt_count_item *asn = mt_xcalloc(cp->nmembers + 1, sizeof *asn);
    uint32_t *asn_num = mt_xcalloc(cp->nmembers + 1, sizeof *asn_num);
    size_t nasn = 0, ncc = 0;
    cp->downloads = mt_xcalloc(MAX_DOWNLOADS + 1, sizeof *cp->downloads);
    for (size_t k = 0; k < cp->nmembers; k++) {
        const bn_source *s = &b->src[cp->members[k]];
        char cc[3];
        if (b->o.geo && mt_geoip_country(b->o.geo, &s->addr, cc) == 1 && cc[0] >= 'A' && cc[0] <= 'Z' &&
            cc[1] >= 'A' && cc[1] <= 'Z') {
            if (!cc_count[(cc[0] - 'A') * 26 + (cc[1] - 'A')]++) ncc++;
        } else {
            cp->rec.geo_unknown++;
        }
        uint32_t a = 0;
        if (asn_db(b) && mt_geoip_asn(asn_db(b), &s->addr, &a, NULL, 0) == 1 && a) {
            size_t j = 0;
            while (j < nasn && asn_num[j] != a) j++;
            if (j == nasn) asn_num[nasn++] = a;
            asn[j].count++;
        } else {
            cp->rec.asn_unknown++;
        }
        const mt_scan_host *h = b->o.scans ? mt_scanres_get(b->o.scans, &s->addr) : NULL;
        if (h) {
            cp->rec.scanned++;
            if (mt_scan_host_open(h, 22)) cp->rec.port22_open++;
        }
        const char *device;
        int iot = source_iot(b, s, h, &device);
        if (iot == 1) cp->rec.iot++;
        else if (iot < 0) cp->rec.iot_unknown++;
        for (unsigned d = 0; d < s->downloads.n && cp->rec.ndownloads < MAX_DOWNLOADS; d++) {
            uint32_t id = s->downloads.v[d];
            if (b->stamp[id] == ci + 1) continue;
            b->stamp[id] = (uint32_t)ci + 1;
            cp->downloads[cp->rec.ndownloads++] = mt_strtab_str(&b->strs, id);
        }
    }
    cp->countries = mt_xcalloc(ncc + 1, sizeof *cp->countries);
    cp->cc_names = mt_xcalloc(ncc + 1, sizeof *cp->cc_names);
    size_t j = 0;
    for (unsigned i = 0; i < 26 * 26; i++) {
        if (!cc_count[i]) continue;
        cp->cc_names[j][0] = (char)('A' + i / 26);
        cp->cc_names[j][1] = (char)('A' + i % 26);
        cp->cc_names[j][2] = '\0';
        cp->countries[j].name = cp->cc_names[j];
        cp->countries[j].count = cc_count[i];
        j++;
    }
    qsort(cp->countries, ncc, sizeof *cp->countries, cmp_items);
    cp->rec.countries = cp->countries;
    cp->rec.ncountries = ncc;
    cp->asn_names = mt_xcalloc(nasn + 1, sizeof *cp->asn_names);
    for (size_t i = 0; i < nasn; i++) {
        snprintf(cp->asn_names[i], sizeof cp->asn_names[i], "AS%u", (unsigned)asn_num[i]);
        asn[i].name = cp->asn_names[i];
    }
    qsort(asn, nasn, sizeof *asn, cmp_items);
    free(asn_num);
    cp->asns = asn;
    cp->rec.asns = asn;
    cp->rec.nasns = nasn;
    cp->rec.downloads = cp->downloads;
    b->st.geo_unknown += cp->rec.geo_unknown;
    b->st.asn_unknown += cp->rec.asn_unknown;
    b->st.scanned += cp->rec.scanned;
}

void bn_figures(mt_botnet *b)
{
    b->stamp = mt_xcalloc(b->strs.n + 1, sizeof *b->stamp);
    for (size_t c = 0; c < b->ncamp; c++) {
        campaign_members(b, &b->camp[c], c);
        b->camp[c].rec.peak_day = b->camp[c].peak;
    }
    campaign_days(b);
    campaign_creds(b);
}
