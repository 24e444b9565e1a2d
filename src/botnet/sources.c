/* Per-source state and the global credential statistics (botnet_int.h).
 *
 * A credential is interned once as a key that keeps "no password known"
 * (auth.log) apart from an empty password and cannot be confused by a ':'
 * or a NUL inside a user name: one flag byte ('P' password known, 'N'
 * not), the user's length (4 bytes, little-endian), the user, the password.
 *
 * The MinHash of a source's credential set is updated when a credential is
 * new for that source (the (source, credential) pair table says so), from
 * the credential's content hash, so it is exact and the same whatever the
 * order of the events: signature[i] = min over the set of
 * (hash * a_i + b_i) >> 32, with odd 64-bit multipliers a_i. */
#include <stdlib.h>
#include <string.h>

#include "botnet_int.h"
#include "util/hash.h"

#define ADDR_SEED 0xb07e7ULL
#define SESSION_SEED 0x5e55ULL
#define CRED_SEED 0xc4edULL

static uint64_t addr_key_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    return mt_addr_hash_inl(&a, ADDR_SEED);
}

static uint64_t u64_key_hash(const void *key)
{
    uint64_t k;
    memcpy(&k, key, sizeof k);
    return mt_mix64(k);
}

void bn_sources_init(mt_botnet *b)
{
    mt_hmap_init(&b->by_addr, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .val_size = sizeof(uint32_t),
                                             .capacity = 1024, .hash = addr_key_hash});
    mt_hmap_init(&b->pairs, &(mt_hmap_cfg){.key_size = sizeof(uint64_t), .val_size = sizeof(uint32_t),
                                           .capacity = 4096, .hash = u64_key_hash});
    mt_u64set_init(&b->sessions);
    mt_u64set_init(&b->days);
    mt_u64set_init(&b->cred_days);
    mt_strtab_init(&b->creds);
    mt_strtab_init(&b->strs);
    mt_strtab_init(&b->marks);
    mt_strtab_init(&b->cmds);
    for (unsigned i = 0; i < BN_MH; i++) {
        b->mh_a[i] = mt_mix64(0x6d696e68617368ULL + 2 * i) | 1;
        b->mh_b[i] = mt_mix64(0x6d696e68617368ULL + 2 * i + 1);
    }
}

static void vec_free(bn_vec *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

void bn_sources_free(mt_botnet *b)
{
    for (size_t i = 0; i < b->nsrc; i++) {
        bn_source *s = &b->src[i];
        vec_free(&s->creds);
        vec_free(&s->commands);
        vec_free(&s->downloads);
        vec_free(&s->uploads);
        vec_free(&s->keys);
        vec_free(&s->clients);
        vec_free(&s->hassh);
        vec_free(&s->markers);
        free(s->mh);
    }
    free(b->src);
    free(b->credx);
    free(b->cmdx);
    mt_hmap_free(&b->by_addr);
    mt_hmap_free(&b->pairs);
    mt_u64set_free(&b->sessions);
    mt_u64set_free(&b->days);
    mt_u64set_free(&b->cred_days);
    mt_strtab_free(&b->creds);
    mt_strtab_free(&b->strs);
    mt_strtab_free(&b->marks);
    mt_strtab_free(&b->cmds);
}

size_t bn_vec_bytes(const bn_vec *v)
{
    return (size_t)v->cap * sizeof *v->v;
}

/* Append id unless present; 0 when the list is full (the caller counts the
 * drop), 1 added, 2 already there. */
static int vec_add(bn_vec *v, uint32_t id, unsigned bound)
{
    for (unsigned i = 0; i < v->n; i++)
        if (v->v[i] == id) return 2;
    if (v->n >= bound) return 0;
    if (v->n == v->cap) {
        unsigned cap = v->cap ? v->cap * 2u : 2u;
        if (cap > bound) cap = bound;
        v->v = mt_xrealloc(v->v, cap * sizeof *v->v);
        v->cap = (uint16_t)cap;
    }
    v->v[v->n++] = id;
    return 1;
}

int bn_addr_cmp(const mt_addr *a, const mt_addr *b)
{
    if (a->family != b->family) return a->family < b->family ? -1 : 1;
    return memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

int64_t bn_day_of(mt_time_us t)
{
    if (t == 0) return INT64_MIN;
    int64_t d = t / 86400000000LL;
    if (t < 0 && d * 86400000000LL != t) d--;
    return d;
}

void bn_day_str(int64_t day, char out[11])
{
    int y, m, d;
    mt_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* Days as 32-bit keys: every time stamp in a signed 64-bit µs count fits. */
static uint64_t day_key(uint32_t hi, int64_t day)
{
    return ((uint64_t)hi << 32) | (uint32_t)(day + 0x80000000LL);
}

uint32_t bn_source_get(mt_botnet *b, const mt_addr *a)
{
    mt_addr k = mt_hmap_addr_key(a);
    uint64_t h = mt_addr_hash_inl(&k, ADDR_SEED);
    int added;
    size_t slot = mt_hmap_put(&b->by_addr, &k, h, &added);
    uint32_t *v = mt_hmap_val(&b->by_addr, slot);
    if (!added) return *v;
    if (b->nsrc == b->capsrc) {
        b->capsrc = b->capsrc ? b->capsrc * 2 : 256;
        b->src = mt_xrealloc(b->src, b->capsrc * sizeof *b->src);
    }
    uint32_t si = (uint32_t)b->nsrc++;
    *v = si;
    bn_source *s = &b->src[si];
    memset(s, 0, sizeof *s);
    s->addr = k;
    b->st.sources++;
    return si;
}

/* ---- strings and markers --------------------------------------------- */

static uint32_t str_intern(mt_botnet *b, const char *p, size_t n)
{
    if (n > BN_MAX_STR) n = BN_MAX_STR;
    return mt_strtab_intern(&b->strs, p ? p : "", p ? n : 0);
}

static uint32_t marker_intern(mt_botnet *b, mt_marker_type t, const char *v)
{
    char key[1 + MT_MARKER_VALUE_MAX];
    size_t n = strnlen(v, MT_MARKER_VALUE_MAX - 1);
    key[0] = (char)('A' + (int)t);
    memcpy(key + 1, v, n);
    return mt_strtab_intern(&b->marks, key, n + 1);
}

mt_marker_type bn_marker_type(const mt_botnet *b, uint32_t id)
{
    return (mt_marker_type)(mt_strtab_str(&b->marks, id)[0] - 'A');
}

const char *bn_marker_value(const mt_botnet *b, uint32_t id)
{
    return mt_strtab_str(&b->marks, id) + 1;
}

static void source_marker(mt_botnet *b, bn_source *s, uint32_t mk)
{
    int r = vec_add(&s->markers, mk, BN_MAX_MARKERS);
    if (r == 1) b->marks.cnt[mk][0]++;
    else if (r == 0) b->st.dropped_lists++;
}

static void list_add(mt_botnet *b, bn_vec *v, unsigned bound, const char *p, size_t n)
{
    if (v->n >= bound) {
        /* Full: whether it is a repeat is not worth an intern to know. */
        b->st.dropped_lists++;
        return;
    }
    vec_add(v, str_intern(b, p, n), bound);
}

static void action_intern(mt_botnet *b, const mt_action_info *in, bn_action *out)
{
    out->signals = in->signals;
    out->n = 0;
    for (size_t i = 0; i < in->n && i < MT_ACTION_MAX_MARKERS; i++)
        out->mk[out->n++] = marker_intern(b, in->m[i].type, in->m[i].value);
}

/* Markers and signals of one action; planted keys also go to the keys
 * list as "fingerprint comment". */
static void apply_action(mt_botnet *b, bn_source *s, const bn_action *a)
{
    s->signals |= a->signals;
    const char *comment = "";
    for (unsigned i = 0; i < a->n; i++)
        if (bn_marker_type(b, a->mk[i]) == MT_MK_KEY_COMMENT) comment = bn_marker_value(b, a->mk[i]);
    for (unsigned i = 0; i < a->n; i++) {
        source_marker(b, s, a->mk[i]);
        if (bn_marker_type(b, a->mk[i]) != MT_MK_KEY) continue;
        char line[MT_MARKER_VALUE_MAX + 80];
        int k = snprintf(line, sizeof line, "%s%s%s", bn_marker_value(b, a->mk[i]), *comment ? " " : "",
                         comment);
        list_add(b, &s->keys, BN_MAX_KEYS, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1);
    }
}

/* The action cache: a command line seen before (bots type the same lines
 * on every host) is not parsed again. Bounded, so that lines made unique
 * by random passwords cannot make it grow with the events. */
#define CMD_CACHE_MAX_LINES (1u << 20)
#define CMD_CACHE_MAX_BYTES ((size_t)64 << 20)

static void command_action(mt_botnet *b, const char *p, size_t n, bn_action *tmp, const bn_action **out)
{
    int64_t id = mt_strtab_find(&b->cmds, p, n);
    if (id >= 0) {
        *out = &b->cmdx[id];
        return;
    }
    mt_action_info info;
    mt_action_command(p, n, &info);
    if (b->cmds.n >= CMD_CACHE_MAX_LINES || b->cmd_bytes + n > CMD_CACHE_MAX_BYTES) {
        action_intern(b, &info, tmp);
        *out = tmp;
        return;
    }
    uint32_t nid = mt_strtab_intern(&b->cmds, p, n);
    b->cmd_bytes += n + 1;
    if (nid >= b->capcmdx) {
        b->capcmdx = b->capcmdx ? b->capcmdx * 2 : 256;
        b->cmdx = mt_xrealloc(b->cmdx, b->capcmdx * sizeof *b->cmdx);
    }
    action_intern(b, &info, &b->cmdx[nid]);
    *out = &b->cmdx[nid];
}

/* ---- credentials ------------------------------------------------------ */

static uint32_t cred_intern(mt_botnet *b, const mt_honey_event *ev, int *isnew)
{
    char key[1 + 4 + 2 * BN_MAX_STR];
    size_t un = ev->user.p ? ev->user.n : 0, pn = ev->pass.p ? ev->pass.n : 0;
    if (un > BN_MAX_STR) un = BN_MAX_STR;
    if (pn > BN_MAX_STR) pn = BN_MAX_STR;
    key[0] = ev->pass.p ? 'P' : 'N';
    uint32_t u32 = (uint32_t)un;
    key[1] = (char)(u32 & 0xff);
    key[2] = (char)(u32 >> 8 & 0xff);
    key[3] = (char)(u32 >> 16 & 0xff);
    key[4] = (char)(u32 >> 24);
    if (un) memcpy(key + 5, ev->user.p, un);
    if (pn) memcpy(key + 5 + un, ev->pass.p, pn);
    size_t n = 5 + un + pn;
    uint32_t before = b->creds.n;
    uint32_t id = mt_strtab_intern(&b->creds, key, n);
    *isnew = b->creds.n != before;
    if (*isnew) {
        if (id >= b->capcredx) {
            b->capcredx = b->capcredx ? b->capcredx * 2 : 1024;
            b->credx = mt_xrealloc(b->credx, b->capcredx * sizeof *b->credx);
        }
        bn_cred *c = &b->credx[id];
        memset(c, 0, sizeof *c);
        c->hash = mt_hash_bytes_inl(key, n, CRED_SEED);
    }
    return id;
}

int bn_cred_split(const mt_botnet *b, uint32_t id, const char **user, size_t *un, const char **pass,
                  size_t *pn)
{
    const char *k = mt_strtab_str(&b->creds, id);
    size_t n = b->creds.len[id];
    uint32_t u = (uint32_t)(unsigned char)k[1] | (uint32_t)(unsigned char)k[2] << 8 |
                 (uint32_t)(unsigned char)k[3] << 16 | (uint32_t)(unsigned char)k[4] << 24;
    *user = k + 5;
    *un = u;
    *pass = k + 5 + u;
    *pn = n - 5 - u;
    return k[0] == 'P';
}

uint32_t bn_pair_attempts(const mt_botnet *b, uint32_t si, uint32_t cred)
{
    uint64_t k = ((uint64_t)(si + 1) << 32) | cred;
    size_t slot = mt_hmap_find(&b->pairs, &k, mt_mix64(k));
    return slot == MT_HMAP_NONE ? 0 : *(uint32_t *)mt_hmap_val(&b->pairs, slot);
}

/* What every login counts globally: attempts, days, first and last. */
static uint32_t cred_global(mt_botnet *b, const mt_honey_event *ev, uint32_t count, int *isnew)
{
    uint32_t id = cred_intern(b, ev, isnew);
    bn_cred *c = &b->credx[id];
    b->creds.cnt[id][0] += count;
    int64_t day = bn_day_of(ev->ts);
    if (day != INT64_MIN) {
        uint64_t dk = day_key(id, day);
        if ((uint32_t)dk != c->last_day_key) {
            c->last_day_key = (uint32_t)dk;
            if (mt_u64set_add(&b->cred_days, dk)) b->creds.cnt[id][2]++;
        }
        if (!c->first || ev->ts < c->first) c->first = ev->ts;
        if (ev->ts > c->last) c->last = ev->ts;
    }
    return id;
}

void bn_nosrc_event(mt_botnet *b, const mt_honey_event *ev)
{
    b->st.events_nosrc++;
    if (ev->type != MT_HE_LOGIN_FAILED && ev->type != MT_HE_LOGIN_SUCCESS) return;
    int isnew;
    cred_global(b, ev, ev->count ? ev->count : 1, &isnew);
}

static void source_login(mt_botnet *b, uint32_t si, const mt_honey_event *ev)
{
    bn_source *s = &b->src[si];
    uint32_t count = ev->count ? ev->count : 1;
    if (ev->type == MT_HE_LOGIN_SUCCESS) s->login_success += count;
    else s->login_failed += count;
    int isnew;
    uint32_t id = cred_global(b, ev, count, &isnew);
    bn_cred *c = &b->credx[id];
    uint64_t k = ((uint64_t)(si + 1) << 32) | id;
    int added;
    size_t slot = mt_hmap_put(&b->pairs, &k, mt_mix64(k), &added);
    uint32_t *att = mt_hmap_val(&b->pairs, slot);
    *att = *att > UINT32_MAX - count ? UINT32_MAX : *att + count;
    if (added) {
        s->ncred++;
        b->creds.cnt[id][1]++;
        if (!s->mh) {
            s->mh = mt_xmalloc(BN_MH * sizeof *s->mh);
            memset(s->mh, 0xff, BN_MH * sizeof *s->mh);
        }
        for (unsigned i = 0; i < BN_MH; i++) {
            uint32_t v = (uint32_t)((c->hash * b->mh_a[i] + b->mh_b[i]) >> 32);
            if (v < s->mh[i]) s->mh[i] = v;
        }
        /* The first ones are listed; all are counted (ncred), none dropped. */
        if (s->creds.n < BN_MAX_CREDS_LISTED) vec_add(&s->creds, id, BN_MAX_CREDS_LISTED);
    }
    if (!c->checked) {
        char value[MT_MARKER_VALUE_MAX];
        c->checked = 1;
        if (mt_action_marker_credential(ev->user.p ? ev->user.p : "", ev->user.p ? ev->user.n : 0,
                                        ev->pass.p ? ev->pass.p : "", ev->pass.p ? ev->pass.n : 0, value,
                                        sizeof value))
            c->marker1 = marker_intern(b, MT_MK_CREDENTIAL, value) + 1;
    }
    if (c->marker1) {
        s->signals |= MT_SIG_MARKER_CRED;
        source_marker(b, s, c->marker1 - 1);
    }
    if (ev->type == MT_HE_LOGIN_SUCCESS && ev->key.p && ev->key.n) {
        char v[MT_MARKER_VALUE_MAX];
        mt_memlcpy(v, sizeof v, ev->key.p, ev->key.n);
        source_marker(b, s, marker_intern(b, MT_MK_KEY, v));
    }
}

/* Embedded SSH stacks in a client version: the attacking host is a router,
 * camera or similar device (dropbear is what such firmware ships). */
static int embedded_client(const char *p, size_t n)
{
    static const char *const stacks[] = {"dropbear", "rosssh", "zyxel", "mocana", "lancom"};
    for (size_t k = 0; k < sizeof stacks / sizeof stacks[0]; k++) {
        size_t m = strlen(stacks[k]);
        for (size_t i = 0; i + m <= n; i++) {
            size_t j = 0;
            while (j < m && (p[i + j] | 0x20) == stacks[k][j]) j++;
            if (j == m) return 1;
        }
    }
    return 0;
}

static void download_line(mt_botnet *b, bn_vec *v, unsigned bound, mt_span what, mt_span sha)
{
    char line[BN_MAX_STR + 80];
    size_t wn = what.p ? (what.n > BN_MAX_STR ? BN_MAX_STR : what.n) : 0;
    size_t sn = sha.p ? (sha.n > 64 ? 64 : sha.n) : 0;
    if (wn) memcpy(line, what.p, wn);
    size_t k = wn;
    if (sn) {
        line[k++] = '#';
        memcpy(line + k, sha.p, sn);
        k += sn;
    }
    list_add(b, v, bound, line, k);
}

void bn_source_event(mt_botnet *b, uint32_t si, const mt_honey_event *ev)
{
    bn_source *s = &b->src[si];
    s->events++;
    if (ev->ts) {
        if (!s->first || ev->ts < s->first) s->first = ev->ts;
        if (ev->ts > s->last) s->last = ev->ts;
        uint64_t dk = day_key(si, bn_day_of(ev->ts));
        if ((uint32_t)dk != s->last_day_key) {
            s->last_day_key = (uint32_t)dk;
            if (mt_u64set_add(&b->days, dk)) s->ndays++;
        }
    }
    if (ev->protocol && ev->protocol < 32) s->protocols |= 1u << ev->protocol;
    if (ev->session.p && ev->session.n) {
        uint64_t h = mt_mix64(mt_hash_bytes_inl(ev->session.p, ev->session.n, SESSION_SEED) ^
                              ((uint64_t)(si + 1) * MT_HASH_GOLDEN));
        if (h != s->last_session) {
            s->last_session = h;
            if (mt_u64set_add(&b->sessions, h)) {
                s->sessions++;
                b->st.sessions++;
            }
        }
    }
    /* Cowrie's command.failed/.success after the command.input, log.closed
     * before session.closed: the action was counted once already. */
    if (ev->flags & MT_HEF_REPEAT) return;
    bn_action tmp;
    const bn_action *a;
    mt_action_info info;
    switch (ev->type) {
    case MT_HE_CLIENT_VERSION:
        if (!ev->text.p || !ev->text.n) break;
        list_add(b, &s->clients, BN_MAX_CLIENTS, ev->text.p, ev->text.n);
        if (embedded_client(ev->text.p, ev->text.n)) s->iot_client = 1;
        break;
    case MT_HE_KEX:
        if (ev->text.p && ev->text.n) list_add(b, &s->hassh, BN_MAX_HASSH, ev->text.p, ev->text.n);
        break;
    case MT_HE_LOGIN_FAILED:
    case MT_HE_LOGIN_SUCCESS:
        source_login(b, si, ev);
        break;
    case MT_HE_KEY_OFFERED:
        /* A client key is the operator's: the same key from two hosts is
         * one operator. */
        if (ev->key.p && ev->key.n) {
            char v[MT_MARKER_VALUE_MAX];
            mt_memlcpy(v, sizeof v, ev->key.p, ev->key.n);
            source_marker(b, s, marker_intern(b, MT_MK_KEY, v));
        }
        break;
    case MT_HE_COMMAND:
        s->commands_total++;
        if (!ev->text.p || !ev->text.n) break;
        command_action(b, ev->text.p, ev->text.n, &tmp, &a);
        apply_action(b, s, a);
        list_add(b, &s->commands, BN_MAX_COMMANDS, ev->text.p, ev->text.n);
        break;
    case MT_HE_DOWNLOAD:
        mt_action_download(ev->url.p ? ev->url.p : "", ev->url.p ? ev->url.n : 0, ev->sha256.p ? ev->sha256.p : "",
                           ev->sha256.p ? ev->sha256.n : 0, ev->path.p ? ev->path.p : "",
                           ev->path.p ? ev->path.n : 0, &info);
        action_intern(b, &info, &tmp);
        apply_action(b, s, &tmp);
        download_line(b, &s->downloads, BN_MAX_DOWNLOADS, ev->url.p && ev->url.n ? ev->url : ev->path,
                      ev->sha256);
        break;
    case MT_HE_UPLOAD:
        mt_action_upload(ev->path.p ? ev->path.p : "", ev->path.p ? ev->path.n : 0,
                         ev->sha256.p ? ev->sha256.p : "", ev->sha256.p ? ev->sha256.n : 0, &info);
        action_intern(b, &info, &tmp);
        apply_action(b, s, &tmp);
        download_line(b, &s->uploads, BN_MAX_UPLOADS, ev->path, ev->sha256);
        break;
    default:
        /* CONNECT (protocol, above), TCPIP (proxy use), CLOSED: counted.
         * PARAMS: Cowrie's session.params arch is the architecture the
         * honeypot itself pretends to be, not the attacker's: no device
         * evidence. */
        break;
    }
}
