/* Components into campaign records, and the records to the sinks
 * (botnet_int.h).
 *
 * A campaign is a union-find component with at least opts.min_sources
 * members that was joined by a marker or by credential similarity (a lone
 * source counts only with a marker, when min_sources is 1). Its id is
 * stable: "c-" and the first 16 hex digits of the SHA-256 of its defining
 * marker ("type", NUL, "value"), the marker carried by most members (ties:
 * marker type order, then value); a campaign joined by similarity alone
 * takes "source", NUL and its smallest member address instead. The same
 * input gives the same ids whatever the order of the events. */
#include <stdlib.h>
#include <string.h>

#include "botnet_int.h"
#include "util/digest.h"

#define MAX_CAMPAIGN_MARKERS 256

static const char *type_str(mt_marker_type t)
{
    return mt_marker_type_str(t);
}

typedef struct mk_count {
    uint32_t id, n;
} mk_count;

static const mt_botnet *sort_b;

static int cmp_marker(const void *x, const void *y)
{
    const mk_count *a = x, *c = y;
    if (a->n != c->n) return a->n > c->n ? -1 : 1;
    mt_marker_type ta = bn_marker_type(sort_b, a->id), tc = bn_marker_type(sort_b, c->id);
    if (ta != tc) return ta < tc ? -1 : 1;
    return strcmp(bn_marker_value(sort_b, a->id), bn_marker_value(sort_b, c->id));
}

static void make_id(char out[32], const char *kind, const char *value)
{
    size_t kn = strlen(kind), vn = strlen(value);
    char *buf = mt_xmalloc(kn + vn + 1);
    memcpy(buf, kind, kn);
    buf[kn] = '\0';
    memcpy(buf + kn + 1, value, vn);
    char hex[2 * MT_SHA256_LEN + 1];
    if (mt_digest_hex(MT_DIGEST_SHA256, buf, kn + vn + 1, hex) != MT_OK) {
        /* libcrypto without SHA-256: our own hash, still stable. */
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)mt_hash_bytes(buf, kn + vn + 1, 0));
    }
    free(buf);
    snprintf(out, 32, "c-%.16s", hex);
}

static void campaign_markers(mt_botnet *b, bn_campaign *cp, uint32_t *mcount, uint32_t *touched)
{
    size_t nt = 0;
    for (size_t k = 0; k < cp->nmembers; k++) {
        const bn_source *s = &b->src[cp->members[k]];
        for (unsigned m = 0; m < s->markers.n; m++)
            if (!mcount[s->markers.v[m]]++) touched[nt++] = s->markers.v[m];
    }
    mk_count *mc = mt_xmalloc((nt + 1) * sizeof *mc);
    for (size_t i = 0; i < nt; i++) {
        mc[i].id = touched[i];
        mc[i].n = mcount[touched[i]];
        mcount[touched[i]] = 0;
    }
    sort_b = b;
    qsort(mc, nt, sizeof *mc, cmp_marker);
    size_t keep = nt < MAX_CAMPAIGN_MARKERS ? nt : MAX_CAMPAIGN_MARKERS;
    cp->markers = mt_xcalloc(keep + 2, sizeof *cp->markers);
    size_t nw = 0, np = 0;
    for (size_t i = 0; i < nt; i++) {
        mt_marker_type t = bn_marker_type(b, mc[i].id);
        nw += t == MT_MK_WALLET;
        np += t == MT_MK_POOL;
    }
    cp->wallets = mt_xcalloc(nw + 1, sizeof *cp->wallets);
    cp->pools = mt_xcalloc(np + 1, sizeof *cp->pools);
    for (size_t i = 0; i < nt; i++) {
        mt_marker_type t = bn_marker_type(b, mc[i].id);
        const char *v = bn_marker_value(b, mc[i].id);
        if (t == MT_MK_WALLET) cp->wallets[cp->rec.nwallets++] = v;
        if (t == MT_MK_POOL) cp->pools[cp->rec.npools++] = v;
        if (i < keep) {
            cp->markers[i].type = type_str(t);
            cp->markers[i].value = v;
            cp->markers[i].sources = mc[i].n;
        }
    }
    size_t nm = keep;
    char addr[MT_ADDR_STRLEN];
    if (cp->similarity) {
        /* The credential-set cluster: the threshold and the smallest
         * member joined by similarity name it. */
        uint32_t sims = 0;
        const bn_source *first = NULL;
        for (size_t k = 0; k < cp->nmembers; k++)
            if (b->simjoined[cp->members[k]]) {
                if (!first) first = &b->src[cp->members[k]];
                sims++;
            }
        mt_addr_to_str(&first->addr, addr, sizeof addr);
        snprintf(cp->simval, sizeof cp->simval, "jaccard>=%.2f:%s", b->o.jaccard, addr);
        cp->markers[nm].type = type_str(MT_MK_CRED_CLUSTER);
        cp->markers[nm].value = cp->simval;
        cp->markers[nm].sources = sims;
        nm++;
    }
    cp->rec.markers = cp->markers;
    cp->rec.nmarkers = nm;
    cp->rec.wallets = cp->wallets;
    cp->rec.pools = cp->pools;
    if (nt) {
        make_id(cp->rec.id, type_str(bn_marker_type(b, mc[0].id)), bn_marker_value(b, mc[0].id));
    } else {
        mt_addr_to_str(&b->src[cp->members[0]].addr, addr, sizeof addr);
        make_id(cp->rec.id, "source", addr);
    }
    free(mc);
}

void bn_campaigns_build(mt_botnet *b, const uint32_t *order)
{
    size_t n = b->nsrc;
    b->camp_of = mt_xmalloc((n ? n : 1) * sizeof *b->camp_of);
    uint32_t *size = mt_xcalloc(n ? n : 1, sizeof *size);
    uint8_t *flags = mt_xcalloc(n ? n : 1, 1); /* 1 a member has markers, 2 similarity */
    for (size_t i = 0; i < n; i++) {
        uint32_t r = bn_find(b, (uint32_t)i);
        size[r]++;
        if (b->src[i].markers.n) flags[r] |= 1;
        if (b->simjoined[i]) flags[r] |= 2;
        b->camp_of[i] = -1;
    }
    int32_t *rootcamp = mt_xmalloc((n ? n : 1) * sizeof *rootcamp);
    memset(rootcamp, 0xff, (n ? n : 1) * sizeof *rootcamp);
    size_t cap = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t si = order[k], r = bn_find(b, si);
        if (size[r] < b->o.min_sources || !flags[r] || (size[r] < 2 && !(flags[r] & 1))) continue;
        if (rootcamp[r] < 0) {
            if (b->ncamp == cap) {
                cap = cap ? cap * 2 : 16;
                b->camp = mt_xrealloc(b->camp, cap * sizeof *b->camp);
            }
            bn_campaign *cp = &b->camp[b->ncamp];
            memset(cp, 0, sizeof *cp);
            cp->root = r;
            cp->members = mt_xmalloc(size[r] * sizeof *cp->members);
            cp->similarity = (flags[r] & 2) != 0;
            rootcamp[r] = (int32_t)b->ncamp++;
        }
        bn_campaign *cp = &b->camp[rootcamp[r]];
        cp->members[cp->nmembers++] = si;
        b->camp_of[si] = rootcamp[r];
    }
    free(rootcamp);
    free(size);
    free(flags);

    uint32_t *mcount = mt_xcalloc(b->marks.n + 1, sizeof *mcount);
    uint32_t *touched = mt_xmalloc((b->marks.n + 1) * sizeof *touched);
    for (size_t c = 0; c < b->ncamp; c++) {
        bn_campaign *cp = &b->camp[c];
        mt_campaign *r = &cp->rec;
        r->peak_day = "";
        cp->member_str = mt_xcalloc(cp->nmembers + 1, sizeof *cp->member_str);
        for (size_t k = 0; k < cp->nmembers; k++) {
            const bn_source *s = &b->src[cp->members[k]];
            char a[MT_ADDR_STRLEN];
            mt_addr_to_str(&s->addr, a, sizeof a);
            cp->member_str[k] = mt_xstrdup(a);
            cp->signals |= s->signals;
            r->sessions += s->sessions;
            r->events += s->events;
            if (s->first && (!r->first_seen || s->first < r->first_seen)) r->first_seen = s->first;
            if (s->last > r->last_seen) r->last_seen = s->last;
        }
        r->members = (const char *const *)cp->member_str;
        r->nmembers = cp->nmembers;
        campaign_markers(b, cp, mcount, touched);
        mt_family_decide(cp->signals, &cp->verdict);
        r->mining = cp->verdict.mining;
        r->family = cp->verdict.family ? cp->verdict.family : "unknown";
        r->reason = cp->verdict.mining ? cp->verdict.reason : "";
        b->st.clustered_sources += cp->nmembers;
        b->st.campaigns++;
        if (r->mining) b->st.mining_campaigns++;
    }
    free(mcount);
    free(touched);
}

void bn_campaigns_free(mt_botnet *b)
{
    for (size_t c = 0; c < b->ncamp; c++) {
        bn_campaign *cp = &b->camp[c];
        for (size_t k = 0; k < cp->nmembers; k++) free(cp->member_str[k]);
        for (size_t k = 0; k < cp->rec.ncredentials; k++) free(cp->cred_names[k]);
        free(cp->member_str);
        free(cp->members);
        free(cp->markers);
        free(cp->days);
        free(cp->day_names);
        free(cp->countries);
        free(cp->cc_names);
        free(cp->asns);
        free(cp->asn_names);
        free(cp->creds);
        free(cp->cred_names);
        free(cp->wallets);
        free(cp->pools);
        free(cp->downloads);
    }
    free(b->camp);
    b->camp = NULL;
    b->ncamp = 0;
}

/* ---- to the sinks ------------------------------------------------------ */

static const mt_botnet *cmp_b;

static int cmp_campaign(const void *x, const void *y)
{
    const bn_campaign *a = &cmp_b->camp[*(const uint32_t *)x], *c = &cmp_b->camp[*(const uint32_t *)y];
    if (a->rec.mining != c->rec.mining) return a->rec.mining ? -1 : 1;
    if (a->nmembers != c->nmembers) return a->nmembers > c->nmembers ? -1 : 1;
    return strcmp(a->rec.id, c->rec.id);
}

static int cmp_cred(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;
    uint64_t na = cmp_b->creds.cnt[a][0], nc = cmp_b->creds.cnt[c][0];
    if (na != nc) return na > nc ? -1 : 1;
    size_t la = cmp_b->creds.len[a], lc = cmp_b->creds.len[c];
    int r = memcmp(mt_strtab_str(&cmp_b->creds, a), mt_strtab_str(&cmp_b->creds, c), la < lc ? la : lc);
    if (r) return r;
    return la < lc ? -1 : la > lc;
}

/* A sink that failed is not written to again; the first error is kept. */
static void sink_rc(int rc, int *first, uint8_t *dead, size_t i)
{
    if (rc == MT_OK) return;
    dead[i] = 1;
    if (*first == MT_OK) *first = rc;
}

static void str_of(const mt_botnet *b, const bn_vec *v, const char **out)
{
    for (unsigned i = 0; i < v->n; i++) out[i] = mt_strtab_str(&b->strs, v->v[i]);
}

static void emit_source(mt_botnet *b, uint32_t si, mt_botnet_sink *const *sinks, size_t n, int *first,
                        uint8_t *dead)
{
    const bn_source *s = &b->src[si];
    mt_botsource r;
    memset(&r, 0, sizeof r);
    mt_addr_to_str(&s->addr, r.ip, sizeof r.ip);
    r.first_seen = s->first;
    r.last_seen = s->last;
    r.protocols = s->protocols;
    r.sessions = s->sessions;
    r.login_failed = s->login_failed;
    r.login_success = s->login_success;
    r.ncredentials = s->ncred;
    mt_count_item creds[BN_MAX_CREDS_LISTED];
    char names[BN_MAX_CREDS_LISTED][2 * 128 + 2];
    for (unsigned i = 0; i < s->creds.n; i++) {
        const char *u, *p;
        size_t un, pn;
        bn_cred_split(b, s->creds.v[i], &u, &un, &p, &pn);
        if (un > 128) un = 128;
        if (pn > 128) pn = 128;
        memcpy(names[i], u, un);
        names[i][un] = ':';
        memcpy(names[i] + un + 1, p, pn);
        names[i][un + 1 + pn] = '\0';
        creds[i].name = names[i];
        creds[i].count = bn_pair_attempts(b, si, s->creds.v[i]);
    }
    r.credentials = creds;
    r.ncred_listed = s->creds.n;
    const char *cmds[BN_MAX_COMMANDS], *dl[BN_MAX_DOWNLOADS], *ul[BN_MAX_UPLOADS], *keys[BN_MAX_KEYS],
        *cv[BN_MAX_CLIENTS], *hs[BN_MAX_HASSH];
    str_of(b, &s->commands, cmds);
    str_of(b, &s->downloads, dl);
    str_of(b, &s->uploads, ul);
    str_of(b, &s->keys, keys);
    str_of(b, &s->clients, cv);
    str_of(b, &s->hassh, hs);
    r.commands = cmds;
    r.ncommands = s->commands.n;
    r.commands_total = s->commands_total;
    r.downloads = dl;
    r.ndownloads = s->downloads.n;
    r.uploads = ul;
    r.nuploads = s->uploads.n;
    r.keys = keys;
    r.nkeys = s->keys.n;
    r.client_versions = cv;
    r.nclient_versions = s->clients.n;
    r.hassh = hs;
    r.nhassh = s->hassh.n;
    char cc[3], org[256];
    const char *device;
    bn_source_enrich(b, s, &r, cc, org, sizeof org, &device);
    const char *cid[1];
    if (b->camp_of[si] >= 0) {
        cid[0] = b->camp[b->camp_of[si]].rec.id;
        r.campaigns = cid;
        r.ncampaigns = 1;
    } else {
        r.campaigns = cid;
    }
    for (size_t i = 0; i < n; i++)
        if (!dead[i] && sinks[i]->source) sink_rc(sinks[i]->source(sinks[i], &r), first, dead, i);
}

int bn_emit(mt_botnet *b, const uint32_t *order, mt_botnet_sink *const *sinks, size_t n)
{
    int first = MT_OK;
    uint8_t *dead = mt_xcalloc(n + 1, 1);
    uint32_t *co = mt_xmalloc((b->ncamp + 1) * sizeof *co);
    for (size_t c = 0; c < b->ncamp; c++) co[c] = (uint32_t)c;
    cmp_b = b;
    qsort(co, b->ncamp, sizeof *co, cmp_campaign);
    for (size_t c = 0; c < b->ncamp; c++)
        for (size_t i = 0; i < n; i++)
            if (!dead[i] && sinks[i]->campaign)
                sink_rc(sinks[i]->campaign(sinks[i], &b->camp[co[c]].rec), &first, dead, i);
    free(co);
    if (b->o.want_sources)
        for (size_t k = 0; k < b->nsrc; k++) emit_source(b, order[k], sinks, n, &first, dead);

    uint32_t nc = b->creds.n;
    uint32_t *ids = mt_xmalloc((nc + 1) * sizeof *ids);
    for (uint32_t i = 0; i < nc; i++) ids[i] = i;
    cmp_b = b;
    qsort(ids, nc, sizeof *ids, cmp_cred);
    size_t top = nc < b->o.top_credentials ? nc : b->o.top_credentials;
    for (size_t k = 0; k < top; k++) {
        uint32_t id = ids[k];
        const char *u, *p;
        size_t un, pn;
        bn_cred_split(b, id, &u, &un, &p, &pn);
        char user[BN_MAX_STR + 1], pass[BN_MAX_STR + 1];
        mt_memlcpy(user, sizeof user, u, un);
        mt_memlcpy(pass, sizeof pass, p, pn);
        mt_credstat cs = {.username = user, .password = pass, .attempts = b->creds.cnt[id][0],
                          .sources = b->creds.cnt[id][1], .days = b->creds.cnt[id][2],
                          .first_seen = b->credx[id].first, .last_seen = b->credx[id].last};
        for (size_t i = 0; i < n; i++)
            if (!dead[i] && sinks[i]->credential) sink_rc(sinks[i]->credential(sinks[i], &cs), &first, dead, i);
    }
    free(ids);
    for (size_t i = 0; i < n; i++)
        if (!dead[i] && sinks[i]->flush) sink_rc(sinks[i]->flush(sinks[i]), &first, dead, i);
    free(dead);
    return first;
}
