/* The botnet study's records as EVE-style JSON (see botnet_json.h; schema:
 * docs/FINDINGS.md). Each body is written, like the mining body, with one
 * reservation for its worst case: `room` walks the record once adding up
 * the escaped worst case of every string, `write` stores. Records are
 * written once per run (campaigns, sources, credentials), so the second
 * walk costs nothing that matters, and it keeps every record on the one
 * header writer. */
#include "store/botnet_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys and punctuation around one value: the longest key here is 20
 * bytes (",\"top_credentials\":"), so 40 bytes cover key, quotes and commas. */
#define KEY_ROOM 40
#define NUM_ROOM (KEY_ROOM + 24)
#define TIME_ROOM (KEY_ROOM + MT_EVE_STR_ROOM(40))

static size_t str_room(const char *s) { return KEY_ROOM + MT_EVE_STR_ROOM(s ? strlen(s) : 0); }

static size_t list_room(const char *const *v, size_t n)
{
    size_t r = KEY_ROOM;
    for (size_t i = 0; i < n; i++) r += str_room(v[i]);
    return r;
}

static size_t items_room(const mt_count_item *v, size_t n)
{
    size_t r = KEY_ROOM;
    for (size_t i = 0; i < n; i++) r += str_room(v[i].name) + NUM_ROOM;
    return r;
}

static char *str(char *o, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return mt_eve_str(o, s ? s : "", n, n);
}

static char *u64(char *o, uint64_t v) { return mt_put_u64(o, v); }

/* A time as the header writes it; null when unknown (0). */
static char *tstamp(char *o, mt_time_us t)
{
    char b[40] = {0}; /* zeroed: mt_eve_str may read the whole array */
    if (!t || mt_time_format(t, b, sizeof b) != MT_OK) return MT_EVE_LIT(o, "null");
    return mt_eve_str(o, b, strnlen(b, sizeof b), sizeof b);
}

static char *boolean(char *o, int v) { return v ? MT_EVE_LIT(o, "true") : MT_EVE_LIT(o, "false"); }

/* -1 unknown, 0, 1 */
static char *tri(char *o, int v) { return v < 0 ? MT_EVE_LIT(o, "null") : boolean(o, v); }

static char *strlist(char *o, const char *const *v, size_t n)
{
    *o++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i) *o++ = ',';
        o = str(o, v[i]);
    }
    *o++ = ']';
    return o;
}

/* {"name":count,...}: days and country codes, which are unique keys. */
static char *countobj(char *o, const mt_count_item *v, size_t n)
{
    *o++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i) *o++ = ',';
        o = str(o, v[i].name);
        *o++ = ':';
        o = u64(o, v[i].count);
    }
    *o++ = '}';
    return o;
}

/* [{"credential":"user:pass","attempts":n},...]: a list, not an object,
 * so that the order (most first) survives and attacker text never has to
 * be a unique key. */
static char *credlist(char *o, const mt_count_item *v, size_t n)
{
    *o++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i) *o++ = ',';
        o = str(MT_EVE_LIT(o, "{\"credential\":"), v[i].name);
        o = u64(MT_EVE_LIT(o, ",\"attempts\":"), v[i].count);
        *o++ = '}';
    }
    *o++ = ']';
    return o;
}

/* ---- campaign ---------------------------------------------------------- */

static size_t campaign_room(const void *rec)
{
    const mt_campaign *c = rec;
    size_t r = 256 + 20 * NUM_ROOM + 2 * TIME_ROOM;
    r += KEY_ROOM + MT_EVE_STR_ROOM(sizeof c->id); /* a fixed array, maybe without a terminator */
    r += str_room(c->family) + str_room(c->reason) + str_room(c->peak_day);
    r += KEY_ROOM;
    for (size_t i = 0; i < c->nmarkers; i++)
        r += str_room(c->markers[i].type) + str_room(c->markers[i].value) + NUM_ROOM + 16;
    r += list_room(c->members, c->nmembers);
    r += items_room(c->active_per_day, c->ndays) + items_room(c->countries, c->ncountries);
    r += list_room(c->wallets, c->nwallets) + list_room(c->pools, c->npools) +
         list_room(c->downloads, c->ndownloads);
    r += items_room(c->top_credentials, c->ncredentials);
    return r;
}

static char *campaign_write(char *o, const void *rec)
{
    const mt_campaign *c = rec;
    size_t nid = strnlen(c->id, sizeof c->id);
    o = mt_eve_str(MT_EVE_LIT(o, "{\"id\":"), c->id, nid, sizeof c->id);
    o = boolean(MT_EVE_LIT(o, ",\"mining\":"), c->mining);
    o = str(MT_EVE_LIT(o, ",\"family\":"), c->family && *c->family ? c->family : "unknown");
    o = str(MT_EVE_LIT(o, ",\"reason\":"), c->reason);
    o = MT_EVE_LIT(o, ",\"markers\":[");
    for (size_t i = 0; i < c->nmarkers; i++) {
        if (i) *o++ = ',';
        o = str(MT_EVE_LIT(o, "{\"type\":"), c->markers[i].type);
        o = str(MT_EVE_LIT(o, ",\"value\":"), c->markers[i].value);
        o = u64(MT_EVE_LIT(o, ",\"sources\":"), c->markers[i].sources);
        *o++ = '}';
    }
    *o++ = ']';
    o = u64(MT_EVE_LIT(o, ",\"sources\":"), c->nmembers);
    o = strlist(MT_EVE_LIT(o, ",\"members\":"), c->members, c->nmembers);
    o = u64(MT_EVE_LIT(o, ",\"sessions\":"), c->sessions);
    o = u64(MT_EVE_LIT(o, ",\"events\":"), c->events);
    o = tstamp(MT_EVE_LIT(o, ",\"first_seen\":"), c->first_seen);
    o = tstamp(MT_EVE_LIT(o, ",\"last_seen\":"), c->last_seen);
    o = countobj(MT_EVE_LIT(o, ",\"active_per_day\":"), c->active_per_day, c->ndays);
    o = str(MT_EVE_LIT(o, ",\"peak_day\":"), c->peak_day);
    o = u64(MT_EVE_LIT(o, ",\"peak_active\":"), c->peak_active);
    o = countobj(MT_EVE_LIT(o, ",\"countries\":"), c->countries, c->ncountries);
    o = u64(MT_EVE_LIT(o, ",\"geo_unknown\":"), c->geo_unknown);
    o = u64(MT_EVE_LIT(o, ",\"scanned\":"), c->scanned);
    o = u64(MT_EVE_LIT(o, ",\"port22_open\":"), c->port22_open);
    o = u64(MT_EVE_LIT(o, ",\"iot\":"), c->iot);
    o = u64(MT_EVE_LIT(o, ",\"iot_unknown\":"), c->iot_unknown);
    o = strlist(MT_EVE_LIT(o, ",\"wallets\":"), c->wallets, c->nwallets);
    o = strlist(MT_EVE_LIT(o, ",\"pools\":"), c->pools, c->npools);
    o = strlist(MT_EVE_LIT(o, ",\"downloads\":"), c->downloads, c->ndownloads);
    o = credlist(MT_EVE_LIT(o, ",\"top_credentials\":"), c->top_credentials, c->ncredentials);
    *o++ = '}';
    return o;
}

const mt_eve_body mt_eve_campaign_body = {MT_EVENT_CAMPAIGN, campaign_room, campaign_write};

/* ---- source ------------------------------------------------------------- */

static size_t source_room(const void *rec)
{
    const mt_botsource *s = rec;
    size_t r = 256 + 16 * NUM_ROOM + 2 * TIME_ROOM + 3 * KEY_ROOM;
    r += KEY_ROOM + MT_EVE_STR_ROOM(sizeof s->ip);
    r += items_room(s->credentials, s->ncred_listed);
    r += list_room(s->commands, s->ncommands) + list_room(s->downloads, s->ndownloads) +
         list_room(s->uploads, s->nuploads) + list_room(s->keys, s->nkeys) +
         list_room(s->client_versions, s->nclient_versions) + list_room(s->hassh, s->nhassh) +
         list_room(s->campaigns, s->ncampaigns);
    r += str_room(s->country) + str_room(s->as_org) + str_room(s->device);
    return r;
}

static char *source_write(char *o, const void *rec)
{
    const mt_botsource *s = rec;
    o = mt_eve_str(MT_EVE_LIT(o, "{\"ip\":"), s->ip, strnlen(s->ip, sizeof s->ip), sizeof s->ip);
    o = tstamp(MT_EVE_LIT(o, ",\"first_seen\":"), s->first_seen);
    o = tstamp(MT_EVE_LIT(o, ",\"last_seen\":"), s->last_seen);
    o = MT_EVE_LIT(o, ",\"protocols\":[");
    int any = 0;
    if (s->protocols & (1u << MT_HP_SSH)) {
        o = MT_EVE_LIT(o, "\"ssh\"");
        any = 1;
    }
    if (s->protocols & (1u << MT_HP_TELNET)) {
        if (any) *o++ = ',';
        o = MT_EVE_LIT(o, "\"telnet\"");
    }
    *o++ = ']';
    o = u64(MT_EVE_LIT(o, ",\"sessions\":"), s->sessions);
    o = u64(MT_EVE_LIT(o, ",\"login_failed\":"), s->login_failed);
    o = u64(MT_EVE_LIT(o, ",\"login_success\":"), s->login_success);
    o = u64(MT_EVE_LIT(o, ",\"credentials\":"), s->ncredentials);
    o = credlist(MT_EVE_LIT(o, ",\"top_credentials\":"), s->credentials, s->ncred_listed);
    o = u64(MT_EVE_LIT(o, ",\"commands_total\":"), s->commands_total);
    o = strlist(MT_EVE_LIT(o, ",\"commands\":"), s->commands, s->ncommands);
    o = strlist(MT_EVE_LIT(o, ",\"downloads\":"), s->downloads, s->ndownloads);
    o = strlist(MT_EVE_LIT(o, ",\"uploads\":"), s->uploads, s->nuploads);
    o = strlist(MT_EVE_LIT(o, ",\"keys\":"), s->keys, s->nkeys);
    o = strlist(MT_EVE_LIT(o, ",\"client_versions\":"), s->client_versions, s->nclient_versions);
    o = strlist(MT_EVE_LIT(o, ",\"hassh\":"), s->hassh, s->nhassh);
    o = str(MT_EVE_LIT(o, ",\"country\":"), s->country);
    o = u64(MT_EVE_LIT(o, ",\"asn\":"), s->asn);
    o = str(MT_EVE_LIT(o, ",\"as_org\":"), s->as_org);
    o = tri(MT_EVE_LIT(o, ",\"port22_open\":"), s->port22_open);
    o = tri(MT_EVE_LIT(o, ",\"iot\":"), s->iot);
    o = str(MT_EVE_LIT(o, ",\"device\":"), s->device);
    o = strlist(MT_EVE_LIT(o, ",\"campaigns\":"), s->campaigns, s->ncampaigns);
    *o++ = '}';
    return o;
}

const mt_eve_body mt_eve_source_body = {MT_EVENT_SOURCE, source_room, source_write};

/* ---- credential ---------------------------------------------------------- */

static size_t credential_room(const void *rec)
{
    const mt_credstat *c = rec;
    return 64 + str_room(c->username) + str_room(c->password) + 3 * NUM_ROOM + 2 * TIME_ROOM;
}

static char *credential_write(char *o, const void *rec)
{
    const mt_credstat *c = rec;
    o = str(MT_EVE_LIT(o, "{\"username\":"), c->username);
    o = str(MT_EVE_LIT(o, ",\"password\":"), c->password);
    o = u64(MT_EVE_LIT(o, ",\"attempts\":"), c->attempts);
    o = u64(MT_EVE_LIT(o, ",\"sources\":"), c->sources);
    o = u64(MT_EVE_LIT(o, ",\"days\":"), c->days);
    o = tstamp(MT_EVE_LIT(o, ",\"first_seen\":"), c->first_seen);
    o = tstamp(MT_EVE_LIT(o, ",\"last_seen\":"), c->last_seen);
    *o++ = '}';
    return o;
}

const mt_eve_body mt_eve_credential_body = {MT_EVENT_CREDENTIAL, credential_room, credential_write};

/* ---- records and the sink ---------------------------------------------------- */

static void record(mt_buf *b, mt_time_us ts, const mt_eve_body *body, const void *rec)
{
    /* No flow: the header is timestamp and event_type (as for web records). */
    mt_eve_header h = {ts, 0, NULL, NULL, 0, 0, 0, body->key};
    mt_eve_write(b, &h, body, rec);
}

void mt_campaign_to_json(const mt_campaign *c, mt_buf *b) { record(b, c->first_seen, &mt_eve_campaign_body, c); }
void mt_botsource_to_json(const mt_botsource *s, mt_buf *b) { record(b, s->first_seen, &mt_eve_source_body, s); }
void mt_credstat_to_json(const mt_credstat *c, mt_buf *b)
{
    record(b, c->first_seen, &mt_eve_credential_body, c);
}

typedef struct bjsonl {
    FILE *out;
    int own;
    mt_buf line;
} bjsonl;

static int put_line(mt_botnet_sink *k)
{
    bjsonl *c = k->ctx;
    mt_buf_putc(&c->line, '\n');
    if (fwrite(c->line.p, 1, c->line.len, c->out) != c->line.len)
        return mt_error_set(MT_EIO, "writing botnet records failed: %s", strerror(errno));
    return MT_OK;
}

static int j_campaign(mt_botnet_sink *k, const mt_campaign *c)
{
    bjsonl *x = k->ctx;
    mt_buf_reset(&x->line);
    mt_campaign_to_json(c, &x->line);
    return put_line(k);
}

static int j_source(mt_botnet_sink *k, const mt_botsource *s)
{
    bjsonl *x = k->ctx;
    mt_buf_reset(&x->line);
    mt_botsource_to_json(s, &x->line);
    return put_line(k);
}

static int j_credential(mt_botnet_sink *k, const mt_credstat *c)
{
    bjsonl *x = k->ctx;
    mt_buf_reset(&x->line);
    mt_credstat_to_json(c, &x->line);
    return put_line(k);
}

static int j_flush(mt_botnet_sink *k)
{
    bjsonl *x = k->ctx;
    return fflush(x->out) == 0 ? MT_OK : mt_error_set(MT_EIO, "writing botnet records failed: %s", strerror(errno));
}

static void j_close(mt_botnet_sink *k)
{
    bjsonl *x = k->ctx;
    fflush(x->out);
    if (x->own) fclose(x->out);
    mt_buf_free(&x->line);
    free(x);
    free(k);
}

mt_botnet_sink *mt_botnet_sink_jsonl_new(FILE *out, int own)
{
    bjsonl *x = mt_xcalloc(1, sizeof *x);
    x->out = out;
    x->own = own;
    mt_buf_init(&x->line);
    mt_botnet_sink *k = mt_xcalloc(1, sizeof *k);
    k->name = "jsonl";
    k->campaign = j_campaign;
    k->source = j_source;
    k->credential = j_credential;
    k->flush = j_flush;
    k->close = j_close;
    k->ctx = x;
    return k;
}
