/* Finding helpers: kind names (stable strings used in JSON, SQLite, CSV). */
#include "minetrace/finding.h"

#include <string.h>

static const char *const kind_names[] = {
    [MT_KIND_DNS] = "dns",         [MT_KIND_STRATUM] = "stratum",
    [MT_KIND_TLS] = "tls",         [MT_KIND_HTTP] = "http",
    [MT_KIND_WEBSOCKET] = "websocket", [MT_KIND_SMB] = "smb",
    [MT_KIND_IP] = "ip",           [MT_KIND_BEHAVIOUR] = "behaviour",
    [MT_KIND_ALERT] = "alert",
};

const char *mt_finding_kind_str(mt_finding_kind k)
{
    if ((unsigned)k < sizeof kind_names / sizeof kind_names[0] && kind_names[k])
        return kind_names[k];
    return "unknown";
}

int mt_finding_kind_parse(const char *s)
{
    for (unsigned i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (kind_names[i] && strcmp(kind_names[i], s) == 0) return (int)i;
    return 0;
}

void mt_finding_init(mt_finding *f)
{
    memset(f, 0, sizeof *f);
    f->event_type = MT_EVENT_MINING;
}

int64_t mt_finding_day(mt_time_us ts)
{
    const int64_t d = 86400000000LL;
    return ts >= 0 ? ts / d : (ts - (d - 1)) / d;
}

/* Each field hashed into the next one's seed with its length, so that
 * ("ab", "c") and ("a", "bc") differ and no buffer is needed. */
static uint64_t field(uint64_t h, const char *s, size_t n)
{
    return mt_hash_bytes(s, n, h ^ (0x9e3779b97f4a7c15ULL * (n + 1)));
}

uint64_t mt_finding_identity_cols(int64_t day, const char *src, const char *dst, int dst_port,
                                  const char *event_type, const char *kind, const char *protocol,
                                  const char *pool, const char *wallet, const char *agent,
                                  const char *evidence)
{
#define S(x) ((x) ? (x) : "")
    const char *k = S(kind);
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)((uint64_t)day >> (8 * i));
    uint64_t h = mt_hash_bytes(le, sizeof le, 0x6d696e6574726335ULL /* "minetrc5" */);
    h = field(h, S(src), strlen(S(src)));
    /* A lookup is the same evidence whichever resolver answered it. */
    int dns = strcmp(k, "dns") == 0;
    const char *d = dns ? "" : S(dst);
    h = field(h, d, strlen(d));
    uint8_t port[2] = {(uint8_t)(dns ? 0 : dst_port), (uint8_t)((dns ? 0 : dst_port) >> 8)};
    h = field(h, (const char *)port, sizeof port);
    h = field(h, S(event_type)[0] ? S(event_type) : MT_EVENT_MINING,
              strlen(S(event_type)[0] ? S(event_type) : MT_EVENT_MINING));
    h = field(h, k, strlen(k));
    h = field(h, S(protocol), strlen(S(protocol)));
    /* Host names in any case are one name. A Stratum session, a
     * connection to a pool address and a flow's behaviour name the other
     * end by address and port; their pool is then what the client named or
     * what a DNS answer read earlier in the run said, which depends on what
     * else the run read, so it is left out. */
    char low[512];
    const char *p = (!strcmp(k, "stratum") || !strcmp(k, "ip") || !strcmp(k, "behaviour")) ? "" : S(pool);
    size_t n = 0;
    for (; p[n] && n < sizeof low; n++) low[n] = (p[n] >= 'A' && p[n] <= 'Z') ? (char)(p[n] + 32) : p[n];
    h = field(h, low, n);
    h = field(h, S(wallet), strlen(S(wallet)));
    /* A miner's User-Agent is what an HTTP finding saw. */
    const char *ag = strcmp(k, "http") == 0 ? S(agent) : "";
    h = field(h, ag, strlen(ag));
    /* The signature names the evidence of an alert or an SMB pattern; the
     * other kinds' evidence text describes one sighting (counts, URI,
     * fingerprints) and is left out. */
    const char *ev = S(evidence);
    size_t en = 0;
    if (strcmp(k, "alert") == 0) en = strlen(ev);
    else if (strcmp(k, "smb") == 0) en = strcspn(ev, ":");
    h = field(h, ev, en);
#undef S
    return h ? h : 1;
}

uint64_t mt_finding_identity(const mt_finding *f)
{
    char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    if (mt_addr_to_str(&f->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (mt_addr_to_str(&f->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    return mt_finding_identity_cols(mt_finding_day(f->ts), src, dst, f->dst_port, f->event_type,
                                    mt_finding_kind_str(f->kind), f->protocol, f->pool, f->wallet,
                                    f->agent, f->evidence);
}
