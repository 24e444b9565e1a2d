/* Fuzz target: the campaign engine (botnet/botnet.h) on events built from
 * the input, then the clustering and every record. Each line is one event:
 * byte 0 the type, byte 1 the flags, byte 2 the source (one of 16
 * addresses, IPv4 and IPv6), byte 3 the day, byte 4 the count, then
 * tab-separated fields: session, user, pass, text, key, url, sha256, path.
 * Each field lives in its own exact-size buffer (as a reader's span would
 * be valid only during the call), so a read past a span is caught. The
 * sink reads every string of every record. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "botnet/botnet.h"

static unsigned sum;

static void rd(const char *s)
{
    if (!s) abort();
    for (; *s; s++) sum += (unsigned char)*s;
}

static void rd_items(const mt_count_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rd(it[i].name);
        sum += (unsigned)it[i].count;
    }
}

static void rd_list(const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++) rd(l[i]);
}

static int on_campaign(mt_botnet_sink *s, const mt_campaign *c)
{
    (void)s;
    rd(c->id);
    rd(c->family);
    rd(c->reason);
    rd(c->peak_day);
    for (size_t i = 0; i < c->nmarkers; i++) {
        rd(c->markers[i].type);
        rd(c->markers[i].value);
    }
    rd_list(c->members, c->nmembers);
    rd_items(c->active_per_day, c->ndays);
    rd_items(c->countries, c->ncountries);
    rd_items(c->asns, c->nasns);
    rd_items(c->top_credentials, c->ncredentials);
    rd_list(c->wallets, c->nwallets);
    rd_list(c->pools, c->npools);
    rd_list(c->downloads, c->ndownloads);
    if (c->nmembers < 1 || c->peak_active > c->nmembers) abort();
    return MT_OK;
}

static int on_source(mt_botnet_sink *s, const mt_botsource *b)
{
    (void)s;
    rd(b->ip);
    rd_items(b->credentials, b->ncred_listed);
    rd_list(b->commands, b->ncommands);
    rd_list(b->downloads, b->ndownloads);
    rd_list(b->uploads, b->nuploads);
    rd_list(b->keys, b->nkeys);
    rd_list(b->client_versions, b->nclient_versions);
    rd_list(b->hassh, b->nhassh);
    rd(b->country);
    rd(b->as_org);
    rd(b->device);
    rd_list(b->campaigns, b->ncampaigns);
    if (b->ncred_listed > b->ncredentials) abort();
    return MT_OK;
}

static int on_cred(mt_botnet_sink *s, const mt_credstat *c)
{
    (void)s;
    rd(c->username);
    rd(c->password);
    if (c->attempts < 1) abort();
    return MT_OK;
}

#define NFIELDS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_botnet_opts o = {.want_sources = 1, .min_sources = size ? 1 + data[0] % 3 : 2,
                        .min_credentials = size > 1 ? 1 + data[1] % 6 : 0,
                        .jaccard = size > 2 ? 0.05 + (data[2] % 20) / 20.0 : 0, .top_credentials = 5};
    mt_botnet *b = mt_botnet_new(&o);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        if (len >= 5) {
            const unsigned char *h = (const unsigned char *)p;
            mt_honey_event ev;
            memset(&ev, 0, sizeof ev);
            ev.type = (mt_honey_type)(1 + h[0] % 12);
            ev.flags = h[1] & 15;
            unsigned s = h[2] & 15;
            ev.src.family = (s & 8) ? 6 : 4;
            ev.src.b[0] = (s & 8) ? 0x20 : 198;
            ev.src.b[1] = (s & 8) ? 0x01 : 51;
            ev.src.b[3] = (uint8_t)(s & 7);
            if (h[2] & 16) ev.src.family = 0; /* no address */
            ev.ts = h[3] ? (int64_t)(19000 + h[3]) * 86400000000LL + h[2] : 0;
            ev.count = 1u + h[4];
            ev.protocol = h[1] >> 4;
            ev.duration_ms = -1;
            char *buf[NFIELDS] = {0};
            mt_span *f[NFIELDS] = {&ev.session, &ev.user, &ev.pass, &ev.text,
                                   &ev.key, &ev.url, &ev.sha256, &ev.path};
            const char *q = p + 5, *qe = p + len;
            for (int i = 0; i < NFIELDS && q <= qe; i++) {
                const char *t = memchr(q, '\t', (size_t)(qe - q));
                size_t n = t ? (size_t)(t - q) : (size_t)(qe - q);
                buf[i] = malloc(n ? n : 1);
                memcpy(buf[i], q, n);
                *f[i] = (mt_span){buf[i], n};
                if (!t) break;
                q = t + 1;
            }
            mt_botnet_event(b, &ev);
            for (int i = 0; i < NFIELDS; i++) free(buf[i]);
        }
        p += len + (e ? 1 : 0);
    }
    mt_botnet_sink sink = {.name = "fuzz", .campaign = on_campaign, .source = on_source, .credential = on_cred};
    mt_botnet_sink *sinks[1] = {&sink};
    if (mt_botnet_finish(b, sinks, 1) != MT_OK) abort();
    mt_botnet_stats st;
    mt_botnet_stats_get(b, &st);
    if (st.campaigns < st.mining_campaigns) abort();
    mt_botnet_free(b);
    return 0;
}
