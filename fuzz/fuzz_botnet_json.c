/* Fuzz target for the botnet record writers (src/store/botnet_json.c):
 * the input, cut at newlines, becomes every string of a campaign, a source
 * and a credential record (and its first bytes the counts); each body must
 * fit in the room its `room` function promised (one reservation per
 * record, plain stores after it), and each whole record must be one line
 * of valid JSON for the project's JSON reader. Strings of attacker bytes
 * (control characters, invalid UTF-8) are the point. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minetrace/botnet.h"
#include "store/botnet_json.h"
#include "util/json.h"

#define NSTR 64

static void check_body(const mt_eve_body *body, const void *rec)
{
    size_t room = body->room(rec);
    char *o = malloc(room);
    if (!o) abort();
    char *end = body->write(o, rec);
    if ((size_t)(end - o) > room) abort(); /* wrote past its reservation */
    free(o);
}

static void check_json(const mt_buf *b)
{
    if (memchr(b->p, '\n', b->len)) abort();
    size_t ntok = MT_JR_TOKENS_FOR(b->len);
    mt_jr_tok *tok = malloc(ntok * sizeof *tok);
    if (!tok) abort();
    mt_jr_doc d;
    mt_jr_init(&d, tok, ntok, NULL, 0);
    if (mt_jr_parse(&d, b->p, b->len, 0, 0) != MT_OK) abort();
    free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *s[NSTR];
    size_t ns = 0;
    char *p = text;
    while (ns < NSTR) {
        s[ns++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    for (size_t i = ns; i < NSTR; i++) s[i] = s[i % ns];
    uint64_t num = 0;
    for (size_t i = 0; i < size && i < 8; i++) num = num << 8 | data[i];

    mt_marker markers[4];
    mt_count_item items[8];
    for (int i = 0; i < 4; i++) markers[i] = (mt_marker){s[i], s[i + 4], (uint32_t)(num >> i)};
    for (int i = 0; i < 8; i++) items[i] = (mt_count_item){s[8 + i], num >> (i * 3)};
    size_t nl = 1 + num % 8;
    mt_campaign c = {
        .mining = (int)(num & 1), .family = s[16], .reason = s[17], .markers = markers, .nmarkers = 1 + num % 4,
        .members = s + 18, .nmembers = nl, .sessions = num, .events = ~num, .first_seen = (mt_time_us)num,
        .last_seen = -(mt_time_us)(num >> 1), .active_per_day = items, .ndays = nl, .peak_day = s[26],
        .peak_active = num >> 3, .countries = items + 8 - nl, .ncountries = nl, .geo_unknown = num,
        .scanned = num, .port22_open = num, .iot = num, .iot_unknown = num, .wallets = s + 27, .nwallets = nl,
        .pools = s + 35, .npools = nl, .downloads = s + 43, .ndownloads = nl, .top_credentials = items,
        .ncredentials = nl,
    };
    /* The id array may be filled to the brim without a terminator. */
    size_t idn = strlen(s[51]);
    memcpy(c.id, s[51], idn < sizeof c.id ? idn : sizeof c.id);
    mt_botsource src = {
        .first_seen = (mt_time_us)num, .last_seen = (mt_time_us)num, .protocols = (unsigned)num,
        .sessions = num, .ncredentials = num, .credentials = items, .ncred_listed = nl, .commands = s + 52,
        .ncommands = nl, .commands_total = num, .downloads = s + 20, .ndownloads = nl, .uploads = s + 30,
        .nuploads = nl, .keys = s + 40, .nkeys = nl, .client_versions = s + 50, .nclient_versions = nl,
        .hassh = s + 10, .nhassh = nl, .country = s[60], .asn = (uint32_t)num, .as_org = s[61],
        .port22_open = (int)(num % 3) - 1, .iot = (int)(num / 3 % 3) - 1, .device = s[62], .campaigns = s + 2,
        .ncampaigns = nl,
    };
    size_t ipn = strlen(s[63]);
    memcpy(src.ip, s[63], ipn < sizeof src.ip ? ipn : sizeof src.ip);
    mt_credstat cr = {s[0], s[1], num, num, num, (mt_time_us)num, (mt_time_us)~num};

    check_body(&mt_eve_campaign_body, &c);
    check_body(&mt_eve_source_body, &src);
    check_body(&mt_eve_credential_body, &cr);
    mt_buf b;
    mt_buf_init(&b);
    mt_campaign_to_json(&c, &b);
    check_json(&b);
    mt_buf_reset(&b);
    mt_botsource_to_json(&src, &b);
    check_json(&b);
    mt_buf_reset(&b);
    mt_credstat_to_json(&cr, &b);
    check_json(&b);
    mt_buf_free(&b);
    free(text);
    return 0;
}
