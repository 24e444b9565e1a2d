/* Encrypted-Stratum behaviour score (see flow_score.h). Integer points,
 * chosen on the CESNET-MINER22 sample (tests/unit/test_flow_detector.c
 * re-measures them): each feature is one line so the weights stay
 * readable and tunable. */
#include "detect/flow_score.h"

#include <ctype.h>
#include <string.h>

int mt_flow_features_from_stats(const mt_flow_stats *s, mt_flow_features *f)
{
    memset(f, 0, sizeof *f);
    if (!s) return 0;
    f->dur_s = s->last_ts > s->first_ts ? (double)(s->last_ts - s->first_ts) / 1e6 : 0.0;
    f->pkts = s->pkts_c2s + s->pkts_s2c;
    f->data_c2s = s->data_pkts_c2s;
    f->data_s2c = s->data_pkts_s2c;
    f->bytes_c2s = s->bytes_c2s;
    f->bytes_s2c = s->bytes_s2c;
    f->small = s->small_pkts_c2s + s->small_pkts_s2c;
    f->pushes_s2c = s->pushes_s2c;
    f->bursts_c2s = s->bursts_c2s;
    return (s->data_pkts_c2s + s->data_pkts_s2c) > 0;
}

int mt_flow_behaviour_score(const mt_flow_features *f)
{
    uint64_t n = f->data_c2s + f->data_s2c;
    if (n < 6 || f->data_s2c < 3 || f->data_c2s < 1) return 0;
    double mean = (double)(f->bytes_c2s + f->bytes_s2c) / (double)n;
    double mean_s2c = (double)f->bytes_s2c / (double)f->data_s2c;
    double rate = (double)f->pkts / (f->dur_s > 1.0 ? f->dur_s : 1.0);
    int s = 0;
    if (f->dur_s >= 20) s += 15;                         /* long-lived */
    if (f->dur_s >= 120) s += 10;
    if (f->pushes_s2c * 10 >= f->data_s2c * 3) s += 20;  /* server speaks after silences */
    if (f->pushes_s2c >= 3) s += 10;
    if (f->pushes_s2c >= 2 * f->bursts_c2s + 1) s += 15; /* server-led, not client-led */
    if (f->bursts_c2s > f->pushes_s2c) s -= 20;
    if (f->small * 10 >= n * 8) s += 10;                 /* small records */
    if (mean <= 300) s += 10;
    if (rate <= 5.0) s += 10;                            /* low rate */
    if (f->bytes_s2c * 2 >= f->bytes_c2s * 3) s += 10;   /* work flows down */
    if (mean_s2c < 60) s -= 20;                          /* bare keep-alive ping-pong */
    if (s < 0) s = 0;
    if (s > 100) s = 100;
    return s;
}

int mt_flow_decide(int behaviour, int port_weight, int sni_keyword)
{
    if (behaviour < MT_FLOW_BEHAVIOUR_MIN) return 0;
    if (port_weight <= 0 && !sni_keyword) return 0; /* behaviour alone: never */
    int c = 40 + (behaviour - MT_FLOW_BEHAVIOUR_MIN) / 2 + port_weight / 3 + (sni_keyword ? 15 : 0);
    return c > 85 ? 85 : c;
}

static const char *const keywords[] = {
    "pool", "pools", "mine", "miner", "mining", "stratum", "xmr", "monero",
    "eth", "etc", "btc", "rvn", "zec", "ltc", "nicehash", "hashvault", "nanopool",
};

int mt_flow_sni_keyword(const char *name)
{
    if (!name) return 0;
    const char *p = name;
    while (*p) {
        const char *q = p;
        while (*q && *q != '.' && *q != '-') q++;
        size_t len = (size_t)(q - p);
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
            size_t kl = strlen(keywords[k]);
            if (len != kl) continue;
            size_t i;
            for (i = 0; i < kl; i++)
                if (tolower((unsigned char)p[i]) != keywords[k][i]) break;
            if (i == kl) return 1;
        }
        p = *q ? q + 1 : q;
    }
    return 0;
}
