/* Finding helpers: kind names (stable strings used in JSON, SQLite, CSV). */
#include "minetrace/finding.h"

#include <string.h>

#include "util/hash.h"

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
    return mt_hash_bytes_inl(s, n, h ^ (0x9e3779b97f4a7c15ULL * (n + 1)));
}

/* Which fields of the evidence a kind keeps (the rules in finding.h). */
enum {
    ID_NO_OTHER_END = 1, /* dns: dst and dst_port are the resolver */
    ID_NO_POOL = 2,      /* stratum, ip, behaviour: the pool depends on the run */
    ID_AGENT = 4,        /* http: the User-Agent */
    ID_SIGNATURE = 8,    /* alert: the whole evidence text */
    ID_SIGNATURE_HEAD = 16 /* smb: the evidence up to its first ':' */
};

static unsigned rules_of_name(const char *k)
{
    if (!strcmp(k, "dns")) return ID_NO_OTHER_END;
    if (!strcmp(k, "stratum") || !strcmp(k, "ip") || !strcmp(k, "behaviour")) return ID_NO_POOL;
    if (!strcmp(k, "http")) return ID_AGENT;
    if (!strcmp(k, "alert")) return ID_SIGNATURE;
    if (!strcmp(k, "smb")) return ID_SIGNATURE_HEAD;
    return 0;
}

typedef struct id_text {
    const char *s;
    size_t n;
} id_text;

#define ID_TEXT(x) ((id_text){(x), strlen(x)})

/* The identity over the fields as text with their lengths. Both entry
 * points come here: the stored columns (migrations, the store's SQL
 * function) and a finding's binary fields, so they agree by construction. */
static uint64_t identity(int64_t day, id_text src, id_text dst, int dst_port, id_text event_type,
                         id_text kind, unsigned rules, id_text protocol, const char *pool,
                         id_text wallet, id_text agent, id_text evidence)
{
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)((uint64_t)day >> (8 * i));
    uint64_t h = mt_hash_bytes_inl(le, sizeof le, 0x6d696e6574726335ULL /* "minetrc5" */);
    h = field(h, src.s, src.n);
    /* A lookup is the same evidence whichever resolver answered it. */
    int other_end = !(rules & ID_NO_OTHER_END);
    h = field(h, dst.s, other_end ? dst.n : 0);
    int port = other_end ? dst_port : 0;
    uint8_t pb[2] = {(uint8_t)port, (uint8_t)(port >> 8)};
    h = field(h, (const char *)pb, sizeof pb);
    if (!event_type.n) event_type = (id_text){MT_EVENT_MINING, sizeof MT_EVENT_MINING - 1};
    h = field(h, event_type.s, event_type.n);
    h = field(h, kind.s, kind.n);
    h = field(h, protocol.s, protocol.n);
    /* Host names in any case are one name. A Stratum session, a
     * connection to a pool address and a flow's behaviour name the other
     * end by address and port; their pool is then what the client named or
     * what a DNS answer read earlier in the run said, which depends on what
     * else the run read, so it is left out. */
    char low[512];
    const char *p = (rules & ID_NO_POOL) ? "" : pool;
    size_t n = 0;
    for (; p[n] && n < sizeof low; n++) low[n] = (p[n] >= 'A' && p[n] <= 'Z') ? (char)(p[n] + 32) : p[n];
    h = field(h, low, n);
    h = field(h, wallet.s, wallet.n);
    /* A miner's User-Agent is what an HTTP finding saw. */
    h = field(h, agent.s, (rules & ID_AGENT) ? agent.n : 0);
    /* The signature names the evidence of an alert or an SMB pattern; the
     * other kinds' evidence text describes one sighting (counts, URI,
     * fingerprints) and is left out. */
    size_t en = 0;
    if (rules & ID_SIGNATURE) en = evidence.n;
    else if (rules & ID_SIGNATURE_HEAD) en = strcspn(evidence.s, ":");
    h = field(h, evidence.s, en);
    return h ? h : 1;
}

uint64_t mt_finding_identity_cols(int64_t day, const char *src, const char *dst, int dst_port,
                                  const char *event_type, const char *kind, const char *protocol,
                                  const char *pool, const char *wallet, const char *agent,
                                  const char *evidence)
{
#define S(x) ((x) ? (x) : "")
    return identity(day, ID_TEXT(S(src)), ID_TEXT(S(dst)), dst_port, ID_TEXT(S(event_type)),
                    ID_TEXT(S(kind)), rules_of_name(S(kind)), ID_TEXT(S(protocol)), S(pool),
                    ID_TEXT(S(wallet)), ID_TEXT(S(agent)), ID_TEXT(S(evidence)));
#undef S
}

/* The kinds' names and rules as tables: a finding names its kind by
 * number, so no name is compared. */
static unsigned rules_of_kind(mt_finding_kind k)
{
    switch (k) {
    case MT_KIND_DNS: return ID_NO_OTHER_END;
    case MT_KIND_STRATUM: case MT_KIND_IP: case MT_KIND_BEHAVIOUR: return ID_NO_POOL;
    case MT_KIND_HTTP: return ID_AGENT;
    case MT_KIND_ALERT: return ID_SIGNATURE;
    case MT_KIND_SMB: return ID_SIGNATURE_HEAD;
    default: return 0;
    }
}

/* An address as the text the stored column holds (empty when unset). */
static id_text addr_text(const mt_addr *a, char *buf)
{
    if (mt_addr_to_str(a, buf, MT_ADDR_STRLEN) != MT_OK) buf[0] = '\0';
    return ID_TEXT(buf);
}

uint64_t mt_finding_identity(const mt_finding *f)
{
    char src[MT_ADDR_STRLEN], dst[MT_ADDR_STRLEN];
    const char *kind = mt_finding_kind_str(f->kind);
    unsigned rules = rules_of_kind(f->kind);
    /* The resolver's address is not hashed: not formatted either. */
    id_text d = (rules & ID_NO_OTHER_END) ? (id_text){"", 0} : addr_text(&f->dst, dst);
    /* Evidence is hashed only for alerts (whole) and SMB (up to ':'). */
    id_text ev = {f->evidence, (rules & ID_SIGNATURE) ? strlen(f->evidence) : 0};
    return identity(mt_finding_day(f->ts), addr_text(&f->src, src), d, f->dst_port,
                    ID_TEXT(f->event_type ? f->event_type : ""), ID_TEXT(kind), rules,
                    ID_TEXT(f->protocol), f->pool, ID_TEXT(f->wallet),
                    (rules & ID_AGENT) ? ID_TEXT(f->agent) : (id_text){"", 0}, ev);
}
