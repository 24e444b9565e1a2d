/* Hand-built botnet records (include/minetrace/botnet.h) for the store and
 * report tests, with the numbers the botnet aggregates must give worked
 * out by hand (docs/STORE.md, "The botnet study"):
 *
 *   A  mining, outlaw:  1.1.1.1 2.2.2.2 3.3.3.3; days 11-15:2 11-16:3;
 *                       CN 2, US 1; scanned 2, port 22 1, IoT 1, IoT unknown 1
 *   B  mining, unknown: 3.3.3.3 4.4.4.4 (3.3.3.3 also in A); days 11-16:1
 *                       11-18:2; CN 1, no GeoIP 1; scanned 2, port 22 2,
 *                       IoT unknown 2; hostile marker, reason and download
 *   C  not mining:      five sources, day 11-16:10, DE 5 (counts nowhere)
 *
 *   campaigns 3, mining 2, zombies 4 (distinct), members 5 (summed);
 *   days 11-15:2, 11-16:4, 11-17:0 (filled), 11-18:2; peak 2023-11-16 = 4;
 *   countries CN 3, US 1, no answer 1; scanned 4, port 22 open 3,
 *   IoT 1 of 2 known, 3 unknown.
 *   credentials: nproc:nproc 80 (80 days), root:root 50, admin: 10 (2
 *   sources), hostile 10 (1 source). */
#ifndef MT_TEST_BOTNET_FIXTURE_H
#define MT_TEST_BOTNET_FIXTURE_H

#include "minetrace/botnet.h"

/* Attacker bytes: a spreadsheet formula, markup, a terminal escape,
 * invalid UTF-8 (\xff\xfe, a lone \xc3), quotes, a backslash, a newline
 * and a C0 control. */
#define BF_HOSTILE "=cmd|' /C calc'!A0<script>alert(1)</script>\x1b[31m\xff\xfe\"\\\n\x01\xc3"
/* What a JSON parser reads back: invalid bytes become U+FFFD. */
#define BF_HOSTILE_DECODED "=cmd|' /C calc'!A0<script>alert(1)</script>\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\"\\\n\x01\xef\xbf\xbd"
#define BF_USER_HOSTILE "@SUM(1+1)*cmd|<b>"
#define BF_PASS_HOSTILE "<img src=x onerror=alert(1)>"

#define BF_T(d, h) ((mt_time_us)(19676 + (d) - 15) * 86400000000LL + (mt_time_us)(h) * 3600000000LL) /* 2023-11-d */

static const mt_marker bf_markers_a[] = {
    {"file_hash", "a8460f446be540410004b1a8db4083773fa46f7fe76fa84219c93daa1669f8f2", 2},
    {"key", "SHA256:XqGq8dD+abcdef mdrfckr", 3},
};
static const char *const bf_members_a[] = {"1.1.1.1", "2.2.2.2", "3.3.3.3"};
static const mt_count_item bf_days_a[] = {{"2023-11-15", 2}, {"2023-11-16", 3}};
static const mt_count_item bf_countries_a[] = {{"CN", 2}, {"US", 1}};
static const char *const bf_wallets_a[] = {"4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge"};
static const char *const bf_pools_a[] = {"pool.supportxmr.com:443"};
static const char *const bf_downloads_a[] = {"http://192.0.2.7/dota3.tar.gz#a8460f44"};
static const mt_count_item bf_creds_a[] = {{"root:root", 5}, {"nproc:nproc", 4}};

static const mt_marker bf_markers_b[] = {{"credential", BF_HOSTILE, 2}};
static const char *const bf_members_b[] = {"3.3.3.3", "4.4.4.4"};
static const mt_count_item bf_days_b[] = {{"2023-11-16", 1}, {"2023-11-18", 2}};
static const mt_count_item bf_countries_b[] = {{"CN", 1}};
static const char *const bf_downloads_b[] = {"http://198.51.100.9/" BF_HOSTILE};
static const mt_count_item bf_creds_b[] = {{BF_USER_HOSTILE ":" BF_PASS_HOSTILE, 10}};

static const char *const bf_members_c[] = {"5.5.5.1", "5.5.5.2", "5.5.5.3", "5.5.5.4", "5.5.5.5"};
static const mt_count_item bf_days_c[] = {{"2023-11-16", 10}};
static const mt_count_item bf_countries_c[] = {{"DE", 5}};
static const mt_marker bf_markers_c[] = {{"credential_cluster", "jaccard>=0.6:admin,1234,ubnt", 5}};

static inline void bf_campaigns(mt_campaign out[3])
{
    mt_campaign a = {
        .id = "c-00000000000000a1", .mining = 1, .family = "outlaw", .reason = "mdrfckr key; dota3 upload",
        .markers = bf_markers_a, .nmarkers = 2, .members = bf_members_a, .nmembers = 3,
        .sessions = 10, .events = 100, .first_seen = BF_T(15, 1), .last_seen = BF_T(16, 23),
        .active_per_day = bf_days_a, .ndays = 2, .peak_day = "2023-11-16", .peak_active = 3,
        .countries = bf_countries_a, .ncountries = 2, .geo_unknown = 0, .scanned = 2, .port22_open = 1,
        .iot = 1, .iot_unknown = 1, .wallets = bf_wallets_a, .nwallets = 1, .pools = bf_pools_a, .npools = 1,
        .downloads = bf_downloads_a, .ndownloads = 1, .top_credentials = bf_creds_a, .ncredentials = 2,
    };
    mt_campaign b = {
        .id = "c-00000000000000b2", .mining = 1, .family = "unknown", .reason = "xmrig in " BF_HOSTILE,
        .markers = bf_markers_b, .nmarkers = 1, .members = bf_members_b, .nmembers = 2,
        .sessions = 4, .events = 40, .first_seen = BF_T(16, 2), .last_seen = BF_T(18, 5),
        .active_per_day = bf_days_b, .ndays = 2, .peak_day = "2023-11-18", .peak_active = 2,
        .countries = bf_countries_b, .ncountries = 1, .geo_unknown = 1, .scanned = 2, .port22_open = 2,
        .iot = 0, .iot_unknown = 2, .downloads = bf_downloads_b, .ndownloads = 1,
        .top_credentials = bf_creds_b, .ncredentials = 1,
    };
    mt_campaign c = {
        .id = "c-00000000000000c3", .mining = 0, .family = "unknown", .reason = "",
        .markers = bf_markers_c, .nmarkers = 1, .members = bf_members_c, .nmembers = 5,
        .sessions = 50, .events = 500, .first_seen = BF_T(16, 0), .last_seen = BF_T(16, 12),
        .active_per_day = bf_days_c, .ndays = 1, .peak_day = "2023-11-16", .peak_active = 10,
        .countries = bf_countries_c, .ncountries = 1, .scanned = 5, .port22_open = 5, .iot = 5,
    };
    out[0] = a;
    out[1] = b;
    out[2] = c;
}

static inline void bf_credentials(mt_credstat out[4])
{
    out[0] = (mt_credstat){"root", "root", 50, 3, 2, BF_T(15, 1), BF_T(16, 3)};
    out[1] = (mt_credstat){"nproc", "nproc", 80, 2, 80, BF_T(15, 2), BF_T(18, 4)};
    out[2] = (mt_credstat){BF_USER_HOSTILE, BF_PASS_HOSTILE, 10, 1, 1, BF_T(16, 2), BF_T(16, 3)};
    out[3] = (mt_credstat){"admin", "", 10, 2, 1, BF_T(17, 2), BF_T(17, 3)};
}

static const mt_count_item bf_src_creds[] = {{"root:root", 3}, {BF_USER_HOSTILE ":x", 1}};
static const char *const bf_src_cmds[] = {"cd ~; chattr -ia .ssh; lockr -ia .ssh", "echo " BF_HOSTILE};
static const char *const bf_src_keys[] = {"SHA256:XqGq8dD+abcdef mdrfckr"};
static const char *const bf_src_versions[] = {"SSH-2.0-Go"};
static const char *const bf_src_hassh[] = {"4e066189c3bbeec38c99b1855113733a"};
static const char *const bf_src_campaigns[] = {"c-00000000000000a1"};
static const char *const bf_src_uploads[] = {"dota3.tar.gz#a8460f44"};

static inline void bf_sources(mt_botsource out[2])
{
    mt_botsource a = {
        .ip = "1.1.1.1", .first_seen = BF_T(15, 1), .last_seen = BF_T(16, 3),
        .protocols = (1u << MT_HP_SSH) | (1u << MT_HP_TELNET), .sessions = 4, .login_failed = 3,
        .login_success = 1, .ncredentials = 2, .credentials = bf_src_creds, .ncred_listed = 2,
        .commands = bf_src_cmds, .ncommands = 2, .commands_total = 7, .uploads = bf_src_uploads, .nuploads = 1,
        .keys = bf_src_keys, .nkeys = 1, .client_versions = bf_src_versions, .nclient_versions = 1,
        .hassh = bf_src_hassh, .nhassh = 1, .country = "CN", .asn = 4134, .as_org = "Chinanet " BF_HOSTILE,
        .port22_open = 1, .iot = -1, .device = "", .campaigns = bf_src_campaigns, .ncampaigns = 1,
    };
    mt_botsource b = {
        .ip = "2001:db8::1", .first_seen = BF_T(17, 1), .last_seen = BF_T(17, 2), .protocols = 1u << MT_HP_SSH,
        .sessions = 1, .login_failed = 1, .ncredentials = 1, .country = "", .as_org = "", .port22_open = -1,
        .iot = 0, .device = "",
    };
    out[0] = a;
    out[1] = b;
}

#endif
