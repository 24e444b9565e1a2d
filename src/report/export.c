/* Block lists from findings and intel (docs/EXPORT.md). */
#include "report/export.h"

#include <stdlib.h>
#include <string.h>

#include "util/hostport.h"

static const char *const fmt_names[] = {NULL, "suricata", "zeek-intel", "rpz", "hosts", "csv"};

int mt_export_format_parse(const char *s)
{
    for (int i = 1; i <= MT_EXPORT_CSV; i++)
        if (strcmp(s, fmt_names[i]) == 0) return i;
    return 0;
}

const char *mt_export_format_str(int f)
{
    return f >= 1 && f <= MT_EXPORT_CSV ? fmt_names[f] : "?";
}

void mt_export_set_init(mt_export_set *s)
{
    memset(s, 0, sizeof *s);
    mt_strtab_init(&s->index);
}

void mt_export_set_free(mt_export_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].value);
        free(s->v[i].list);
        free(s->v[i].category);
    }
    free(s->v);
    mt_strtab_free(&s->index);
    memset(s, 0, sizeof *s);
}

/* ---- the gate ------------------------------------------------------------- */

static int is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z'); }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

int mt_export_hostname(const char *s, size_t n, char *out, size_t cap)
{
    if (n && s[n - 1] == '.') n--;
    if (n == 0 || n > 253 || cap < n + 1) return 0;
    size_t lab = 0;
    int labels = 1, alpha = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if (c == '.') {
            if (lab == 0 || out[i - 1] == '-') return 0;
            labels++;
            lab = 0;
            alpha = 0;
        } else if (is_alpha(c) || is_digit(c) || c == '-') {
            if (c == '-' && lab == 0) return 0;
            if (++lab > 63) return 0;
            if (!is_digit(c)) alpha = 1;
        } else {
            return 0;
        }
        out[i] = (char)c;
    }
    out[n] = 0;
    /* an all-numeric last label is an address or junk, not a name */
    if (lab == 0 || out[n - 1] == '-' || labels < 2 || !alpha) return 0;
    return 1;
}

static void reject(mt_export_set *s, const char *v)
{
    if (s->rejected++ == 0) {
        size_t i = 0;
        for (; v[i] && i + 1 < sizeof s->first_rejected; i++) {
            unsigned char c = (unsigned char)v[i];
            s->first_rejected[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
        s->first_rejected[i] = 0;
    }
}

static mt_export_ind *get(mt_export_set *s, mt_export_type t, const char *v)
{
    char key[300];
    int kl = snprintf(key, sizeof key, "%d:%s", (int)t, v);
    if (kl < 0 || (size_t)kl >= sizeof key) return NULL;
    uint32_t id = mt_strtab_intern(&s->index, key, (size_t)kl);
    if (id < s->n) return &s->v[id];
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = mt_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    mt_export_ind *x = &s->v[s->n++];
    memset(x, 0, sizeof *x);
    x->type = t;
    x->value = mt_xstrdup(v);
    return x;
}

static void seen(mt_export_ind *x, const mt_store_indicator *r)
{
    if (!x->from_findings || r->first_seen < x->first_seen) x->first_seen = r->first_seen;
    if (!x->from_findings || r->last_seen > x->last_seen) x->last_seen = r->last_seen;
    x->from_findings = 1;
    x->findings += r->findings;
}

/* An address in canonical text; 0 when it is none or unspecified. */
static int canon_addr(const char *s, char *out, size_t cap, mt_addr *a)
{
    if (mt_addr_parse(s, a) != MT_OK) return 0;
    int zero = 1;
    for (int i = 0; i < 16; i++) zero &= a->b[i] == 0;
    if (zero) return 0;
    return mt_addr_to_str(a, out, cap) == MT_OK;
}

void mt_export_add_findings(mt_export_set *s, const mt_store_indicators *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const mt_store_indicator *r = &x->v[i];
        char name[256], addr[MT_ADDR_STRLEN];
        mt_addr a;
        mt_export_ind *e = NULL;
        switch (r->type) {
        case MT_STORE_IND_POOL: {
            mt_hostport hp;
            if (mt_hostport_parse(r->value, strlen(r->value), MT_HP_SCHEME, &hp) != MT_OK ||
                hp.host_len >= sizeof name) {
                break;
            }
            char host[256];
            memcpy(host, hp.host, hp.host_len);
            host[hp.host_len] = 0;
            if (canon_addr(host, addr, sizeof addr, &a)) e = get(s, MT_EXP_ADDR, addr);
            else if (mt_export_hostname(host, hp.host_len, name, sizeof name)) e = get(s, MT_EXP_DOMAIN, name);
            break;
        }
        case MT_STORE_IND_ADDR:
            if (canon_addr(r->value, addr, sizeof addr, &a)) e = get(s, MT_EXP_ADDR, addr);
            break;
        case MT_STORE_IND_PORT: {
            char *end;
            unsigned long p = strtoul(r->value, &end, 10);
            if (*end == 0 && p >= 1 && p <= 65535 && is_digit((unsigned char)r->value[0]))
                e = get(s, MT_EXP_PORT, r->value);
            break;
        }
        }
        if (e) seen(e, r);
        else reject(s, r->value);
    }
}

typedef struct intel_ctx {
    mt_export_set *s;
    int min_weight;
} intel_ctx;

static void listed(mt_export_ind *x, const char *list, const char *cat, int weight)
{
    if (x->list && weight <= x->weight) return;
    free(x->list);
    free(x->category);
    x->list = mt_xstrdup(list);
    x->category = mt_xstrdup(cat);
    x->weight = weight;
}

static int intel_one(void *ctx, const mt_intel_entry *en)
{
    intel_ctx *c = ctx;
    if (en->allowed || !mt_intel_category_is_mining(en->hit.category) || en->hit.weight < c->min_weight) return 0;
    mt_export_ind *x = NULL;
    if (!en->is_addr) {
        char name[256];
        if (mt_export_hostname(en->text, strlen(en->text), name, sizeof name))
            x = get(c->s, MT_EXP_DOMAIN, name);
    } else {
        char pfx[MT_ADDR_STRLEN + 8], addr[MT_ADDR_STRLEN];
        mt_strlcpy(pfx, en->text, sizeof pfx);
        char *slash = strchr(pfx, '/');
        if (slash) *slash = 0;
        mt_addr a;
        if (canon_addr(pfx, addr, sizeof addr, &a)) {
            int max = a.family == 4 ? 32 : 128;
            if (en->bits >= max) {
                x = get(c->s, MT_EXP_ADDR, addr);
            } else {
                char sub[MT_ADDR_STRLEN + 16];
                snprintf(sub, sizeof sub, "%s/%d", addr, en->bits);
                x = get(c->s, MT_EXP_SUBNET, sub);
            }
        }
    }
    if (x) listed(x, en->hit.source, mt_intel_category_noun(en->hit.category), en->hit.weight);
    else reject(c->s, en->text);
    return 0;
}

void mt_export_add_intel(mt_export_set *s, const mt_intel *in, int min_weight)
{
    intel_ctx c = {s, min_weight};
    mt_intel_each(in, intel_one, &c);
    for (unsigned p = 1; p <= 65535; p++) {
        int w = mt_intel_port_weight(in, (uint16_t)p);
        if (w <= 0 || w < min_weight) continue;
        char v[8];
        snprintf(v, sizeof v, "%u", p);
        listed(get(s, MT_EXP_PORT, v), "builtin", "pool port", w);
    }
}

static int cmp_ind(const void *pa, const void *pb)
{
    const mt_export_ind *a = pa, *b = pb;
    if (a->type != b->type) return a->type < b->type ? -1 : 1;
    if (a->type == MT_EXP_PORT) {
        long x = strtol(a->value, NULL, 10), y = strtol(b->value, NULL, 10);
        return x < y ? -1 : x > y;
    }
    return strcmp(a->value, b->value);
}

void mt_export_sort(mt_export_set *s)
{
    if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, cmp_ind);
    /* the index now points at the old order: rebuild it for later adds */
    mt_strtab_free(&s->index);
    mt_strtab_init(&s->index);
    for (size_t i = 0; i < s->n; i++) {
        char key[300];
        int kl = snprintf(key, sizeof key, "%d:%s", (int)s->v[i].type, s->v[i].value);
        mt_strtab_intern(&s->index, key, (size_t)kl);
    }
}

/* ---- writers -------------------------------------------------------------- */

/* Free text (list names come from file names; evidence is ours) reduced to
 * an alphabet no format gives a meaning to: no quote, semicolon,
 * backslash, tab, newline or control byte. */
static void safe_text(mt_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || strchr(" .,:_/()+=-", c);
        mt_buf_putc(b, ok && c ? (char)c : '_');
    }
}

static void day(mt_buf *b, mt_time_us t)
{
    char tb[40];
    mt_time_format(t, tb, sizeof tb);
    tb[10] = 0;
    mt_buf_puts(b, tb);
}

/* What the indicator rests on, in safe text: "3 mining findings
 * 2018-01-30..2018-02-01, listed by coinblocker_list.txt as pool (weight 90)". */
static void evidence(mt_buf *b, const mt_export_ind *x)
{
    if (x->from_findings) {
        mt_buf_printf(b, "%llu mining finding%s ", (unsigned long long)x->findings, x->findings == 1 ? "" : "s");
        day(b, x->first_seen);
        mt_buf_puts(b, "..");
        day(b, x->last_seen);
    }
    if (x->list) {
        if (x->from_findings) mt_buf_puts(b, ", ");
        mt_buf_puts(b, "listed by ");
        safe_text(b, x->list);
        mt_buf_puts(b, " as ");
        safe_text(b, x->category);
        mt_buf_printf(b, " (weight %d)", x->weight);
    }
}

static void count_types(const mt_export_set *s, size_t n[5])
{
    memset(n, 0, 5 * sizeof *n);
    for (size_t i = 0; i < s->n; i++) n[s->v[i].type]++;
}

static int write_suricata(const mt_export_set *s, const mt_export_opts *o, mt_buf *b, size_t *written)
{
    size_t n[5];
    count_types(s, n);
    uint64_t nrules = 2 * (uint64_t)n[MT_EXP_DOMAIN] + n[MT_EXP_ADDR] + n[MT_EXP_SUBNET];
    if ((uint64_t)o->sid_base + nrules > UINT32_MAX)
        return mt_error_set(MT_EINVAL, "export: %llu rules from --sid-base %u pass SID 4294967295",
                            (unsigned long long)nrules, o->sid_base);
    mt_buf_printf(b,
                  "# minetrace export: %zu pool names (a dns.query and a tls.sni rule each), %zu addresses,\n"
                  "# %zu networks; SIDs %u..%llu.\n"
                  "# classtype coin-mining is defined in Emerging Threats' classification.config:\n"
                  "#   config classification: coin-mining,Crypto Currency Mining Activity Detected,2\n",
                  n[MT_EXP_DOMAIN], n[MT_EXP_ADDR], n[MT_EXP_SUBNET], o->sid_base,
                  nrules ? (unsigned long long)o->sid_base + nrules - 1 : (unsigned long long)o->sid_base);
    uint64_t sid = o->sid_base;
    for (size_t i = 0; i < s->n; i++) {
        const mt_export_ind *x = &s->v[i];
        if (x->type == MT_EXP_DOMAIN) {
            static const char *const proto[2] = {"dns", "tls"};
            static const char *const buf[2] = {"dns.query", "tls.sni"};
            static const char *const what[2] = {"DNS lookup", "TLS SNI"};
            for (int k = 0; k < 2; k++) {
                mt_buf_printf(b, "alert %s $HOME_NET any -> any any (msg:\"minetrace mining pool %s %s - ", proto[k],
                              what[k], x->value);
                evidence(b, x);
                mt_buf_printf(b, "\"; %s; dotprefix; content:\".%s\"; nocase; endswith; classtype:coin-mining; "
                                 "sid:%llu; rev:1;)\n",
                              buf[k], x->value, (unsigned long long)sid++);
            }
        } else if (x->type == MT_EXP_ADDR || x->type == MT_EXP_SUBNET) {
            int v6 = strchr(x->value, ':') != NULL;
            mt_buf_printf(b, "alert ip $HOME_NET any -> %s%s%s any (msg:\"minetrace mining pool %s %s - ",
                          v6 ? "[" : "", x->value, v6 ? "]" : "", x->type == MT_EXP_ADDR ? "address" : "network",
                          x->value);
            evidence(b, x);
            mt_buf_printf(b, "\"; classtype:coin-mining; sid:%llu; rev:1;)\n", (unsigned long long)sid++);
        } else {
            continue;
        }
        (*written)++;
    }
    return MT_OK;
}

/* A Zeek ASCII-reader field: tab, newline, backslash and bytes outside
 * printable ASCII as \xHH (the reader unescapes them); "-" and "(empty)"
 * alone mean unset and empty, so their first byte is escaped too. */
static void zeek_field(mt_buf *b, const char *s)
{
    if (strcmp(s, "-") == 0 || strcmp(s, "(empty)") == 0) {
        mt_buf_printf(b, "\\x%02x%s", (unsigned char)s[0], s + 1);
        return;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f || c == '\\') mt_buf_printf(b, "\\x%02x", c);
        else mt_buf_putc(b, (char)c);
    }
}

static void write_zeek(const mt_export_set *s, mt_buf *b, size_t *written)
{
    mt_buf_puts(b, "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n");
    mt_buf desc;
    mt_buf_init(&desc);
    for (size_t i = 0; i < s->n; i++) {
        const mt_export_ind *x = &s->v[i];
        const char *type = x->type == MT_EXP_DOMAIN ? "Intel::DOMAIN"
                           : x->type == MT_EXP_ADDR ? "Intel::ADDR"
                           : x->type == MT_EXP_SUBNET ? "Intel::SUBNET"
                                                      : NULL;
        if (!type) continue;
        zeek_field(b, x->value);
        mt_buf_printf(b, "\t%s\t", type);
        mt_buf_reset(&desc);
        mt_buf_puts(&desc, "minetrace:");
        if (x->from_findings) mt_buf_puts(&desc, x->list ? "findings+" : "findings");
        if (x->list) safe_text(&desc, x->list);
        zeek_field(b, mt_buf_cstr(&desc));
        mt_buf_putc(b, '\t');
        mt_buf_reset(&desc);
        mt_buf_puts(&desc, "mining pool: ");
        evidence(&desc, x);
        zeek_field(b, mt_buf_cstr(&desc));
        mt_buf_putc(b, '\n');
        (*written)++;
    }
    mt_buf_free(&desc);
}

/* The rpz-ip owner of ADDR[/BITS]: BITS.reversed-octets (v4) or
 * BITS.reversed-16-bit-groups (v6, all eight written, no "zz"). */
static int rpz_ip_owner(const char *value, char *out, size_t cap)
{
    char a[MT_ADDR_STRLEN + 8];
    mt_strlcpy(a, value, sizeof a);
    char *slash = strchr(a, '/');
    int bits = -1;
    if (slash) {
        *slash = 0;
        bits = atoi(slash + 1);
    }
    mt_addr ad;
    if (mt_addr_parse(a, &ad) != MT_OK) return 0;
    if (bits < 0) bits = ad.family == 4 ? 32 : 128;
    int n;
    if (ad.family == 4) {
        n = snprintf(out, cap, "%d.%u.%u.%u.%u.rpz-ip", bits, ad.b[3], ad.b[2], ad.b[1], ad.b[0]);
    } else {
        n = snprintf(out, cap, "%d", bits);
        for (int g = 7; g >= 0 && n > 0 && (size_t)n < cap; g--)
            n += snprintf(out + n, cap - (size_t)n, ".%x", (unsigned)(ad.b[2 * g] << 8 | ad.b[2 * g + 1]));
        if (n > 0 && (size_t)n < cap) n += snprintf(out + n, cap - (size_t)n, ".rpz-ip");
    }
    return n > 0 && (size_t)n < cap;
}

static void write_rpz(const mt_export_set *s, const mt_export_opts *o, mt_buf *b, size_t *written)
{
    size_t zl = strlen(o->zone);
    mt_buf_printf(b,
                  "; minetrace export: a DNS response policy zone (RPZ). Each pool name and its\n"
                  "; subdomains answer NXDOMAIN (CNAME .); pool addresses in answers likewise (rpz-ip).\n"
                  "$TTL 300\n"
                  "$ORIGIN %s.\n"
                  "@ IN SOA localhost. hostmaster.localhost. ( %u 3600 600 86400 300 )\n"
                  "@ IN NS localhost.\n",
                  o->zone, o->serial);
    mt_buf ev;
    mt_buf_init(&ev);
    for (size_t i = 0; i < s->n; i++) {
        const mt_export_ind *x = &s->v[i];
        char owner[300];
        if (x->type == MT_EXP_DOMAIN) {
            /* "*." + name + "." + zone must stay a DNS name (253) */
            if (strlen(x->value) + 2 + 1 + zl > 253) continue;
            mt_buf_printf(b, "; ");
        } else if (x->type == MT_EXP_ADDR || x->type == MT_EXP_SUBNET) {
            if (!rpz_ip_owner(x->value, owner, sizeof owner) || strlen(owner) + 1 + zl > 253) continue;
            mt_buf_printf(b, "; %s: ", x->value);
        } else {
            continue;
        }
        mt_buf_reset(&ev);
        evidence(&ev, x);
        mt_buf_puts(b, mt_buf_cstr(&ev));
        mt_buf_putc(b, '\n');
        if (x->type == MT_EXP_DOMAIN) mt_buf_printf(b, "%s CNAME .\n*.%s CNAME .\n", x->value, x->value);
        else mt_buf_printf(b, "%s CNAME .\n", owner);
        (*written)++;
    }
    mt_buf_free(&ev);
}

static void write_hosts(const mt_export_set *s, mt_buf *b, size_t *written)
{
    mt_buf_puts(b, "# minetrace export: mining pool names, for /etc/hosts or a DNS sinkhole\n"
                   "# (a hosts file blocks each name exactly, not its subdomains).\n");
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].type != MT_EXP_DOMAIN) continue;
        mt_buf_printf(b, "0.0.0.0 %s\n", s->v[i].value);
        (*written)++;
    }
}

static void write_csv(const mt_export_set *s, mt_buf *b, size_t *written)
{
    static const char *const tn[] = {"", "domain", "addr", "subnet", "port"};
    mt_buf_puts(b, "indicator,type,source,findings,first_seen,last_seen\n");
    mt_buf src;
    mt_buf_init(&src);
    for (size_t i = 0; i < s->n; i++) {
        const mt_export_ind *x = &s->v[i];
        mt_csv_str(b, x->value);
        mt_buf_printf(b, ",%s,", tn[x->type]);
        mt_buf_reset(&src);
        if (x->from_findings) mt_buf_puts(&src, x->list ? "findings+" : "findings");
        if (x->list) mt_buf_puts(&src, x->list);
        mt_csv_str(b, mt_buf_cstr(&src));
        mt_buf_printf(b, ",%llu,", (unsigned long long)x->findings);
        if (x->from_findings) {
            char t[40];
            mt_time_format(x->first_seen, t, sizeof t);
            mt_buf_puts(b, t);
            mt_buf_putc(b, ',');
            mt_time_format(x->last_seen, t, sizeof t);
            mt_buf_puts(b, t);
        } else {
            mt_buf_putc(b, ',');
        }
        mt_buf_putc(b, '\n');
        (*written)++;
    }
    mt_buf_free(&src);
}

int mt_export_write(const mt_export_set *s, const mt_export_opts *o, mt_buf *out, size_t *written)
{
    *written = 0;
    switch (o->format) {
    case MT_EXPORT_SURICATA: return write_suricata(s, o, out, written);
    case MT_EXPORT_ZEEK: write_zeek(s, out, written); return MT_OK;
    case MT_EXPORT_RPZ: write_rpz(s, o, out, written); return MT_OK;
    case MT_EXPORT_HOSTS: write_hosts(s, out, written); return MT_OK;
    case MT_EXPORT_CSV: write_csv(s, out, written); return MT_OK;
    }
    return mt_error_set(MT_EINVAL, "export: unknown format %d", o->format);
}
