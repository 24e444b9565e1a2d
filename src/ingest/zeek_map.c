/* Zeek records -> events. conn.log becomes MT_EV_FLOW_END, dns.log a query
 * and (when answered) a response MT_EV_DNS as the packet path produces,
 * ssl.log MT_EV_TLS_HELLO, http.log MT_EV_HTTP_REQUEST, notice.log
 * MT_EV_ALERT. id.orig_h/id.resp_h are client/server; the flow id is a hash
 * of the connection uid, so every log line of one connection shares it. */
#include "ingest/zeek.h"
#include "ingest/timeparse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int f; } field_names[] = {
    /* sorted by name for bsearch */
    {"TTLs", ZF_TTLS},
    {"answers", ZF_ANSWERS},
    {"dst", ZF_DST},
    {"duration", ZF_DURATION},
    {"history", ZF_HISTORY},
    {"host", ZF_HOST},
    {"id.orig_h", ZF_ORIG_H},
    {"id.orig_p", ZF_ORIG_P},
    {"id.resp_h", ZF_RESP_H},
    {"id.resp_p", ZF_RESP_P},
    {"ja3", ZF_JA3},
    {"method", ZF_METHOD},
    {"msg", ZF_MSG},
    {"next_protocol", ZF_NEXT_PROTOCOL},
    {"note", ZF_NOTE},
    {"orig_bytes", ZF_ORIG_BYTES},
    {"orig_pkts", ZF_ORIG_PKTS},
    {"p", ZF_P},
    {"proto", ZF_PROTO},
    {"qtype", ZF_QTYPE},
    {"query", ZF_QUERY},
    {"rcode", ZF_RCODE},
    {"request_body_len", ZF_REQ_BODY_LEN},
    {"resp_bytes", ZF_RESP_BYTES},
    {"resp_pkts", ZF_RESP_PKTS},
    {"server_name", ZF_SERVER_NAME},
    {"service", ZF_SERVICE},
    {"src", ZF_SRC},
    {"trans_id", ZF_TRANS_ID},
    {"ts", ZF_TS},
    {"uid", ZF_UID},
    {"uri", ZF_URI},
    {"user_agent", ZF_USER_AGENT},
    {"version", ZF_VERSION},
};

int zeek_field_by_name(const char *name)
{
    size_t lo = 0, hi = sizeof field_names / sizeof field_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, field_names[mid].name);
        if (c == 0) return field_names[mid].f;
        if (c < 0) hi = mid; else lo = mid + 1;
    }
    return -1;
}

zeek_log zeek_log_by_path(const char *path)
{
    if (!path) return ZL_UNKNOWN;
    if (strcmp(path, "conn") == 0) return ZL_CONN;
    if (strcmp(path, "dns") == 0) return ZL_DNS;
    if (strcmp(path, "ssl") == 0) return ZL_SSL;
    if (strcmp(path, "http") == 0) return ZL_HTTP;
    if (strcmp(path, "notice") == 0) return ZL_NOTICE;
    return ZL_UNKNOWN;
}

void zeek_path_from_filename(const char *file, char *out, size_t cap)
{
    out[0] = '\0';
    if (!file || cap == 0) return;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = 0;
    while (base[n] && (isalnum((unsigned char)base[n]) || base[n] == '_')) n++;
    if (n == 0 || (base[n] != '.' && base[n] != '\0')) return;
    mt_memlcpy(out, cap, base, n);
}

/* ---- value helpers ------------------------------------------------------ */

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s)) return 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' && *end != '.') return 0;
    *out = v;
    return 1;
}

static uint16_t parse_port(const char *s)
{
    uint64_t v = 0;
    return parse_u64(s, &v) && v <= 65535 ? (uint16_t)v : 0;
}

static uint8_t parse_proto(const char *s)
{
    if (!s) return 0;
    if (strcmp(s, "tcp") == 0) return 6;
    if (strcmp(s, "udp") == 0) return 17;
    if (strcmp(s, "icmp") == 0) return 1;
    return 0;
}

/* Lower-case, no trailing dot. */
static void copy_name(char *dst, size_t cap, const char *s)
{
    size_t n = mt_strlcpy(dst, s, cap);
    for (size_t i = 0; i < n; i++) dst[i] = (char)tolower((unsigned char)dst[i]);
    if (n && dst[n - 1] == '.') dst[n - 1] = '\0';
}

static uint64_t uid_flow_id(const char *uid)
{
    if (!uid || !*uid) return 0;
    return mt_hash_bytes(uid, strlen(uid), 0x7a65656b /* "zeek" */);
}

/* Common part of every event: time, flow, endpoints. */
static int base_event(mt_event *ev, mt_event_type type, const zeek_rec *r)
{
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->source = MT_SRC_ZEEK;
    if (!r->v[ZF_TS] || ingest_time_parse(r->v[ZF_TS], &ev->ts) != MT_OK)
        return mt_error_set(MT_EINVAL, "bad or missing ts");
    ev->flow_id = uid_flow_id(r->v[ZF_UID]);
    ev->ipproto = parse_proto(r->v[ZF_PROTO]);
    if (r->v[ZF_ORIG_H] && mt_addr_parse(r->v[ZF_ORIG_H], &ev->cli) != MT_OK)
        return MT_EINVAL;
    if (r->v[ZF_RESP_H] && mt_addr_parse(r->v[ZF_RESP_H], &ev->srv) != MT_OK)
        return MT_EINVAL;
    ev->cli_port = parse_port(r->v[ZF_ORIG_P]);
    ev->srv_port = parse_port(r->v[ZF_RESP_P]);
    return MT_OK;
}

/* Next element of a set/vector value; advances *p. */
static int next_elem(const char **p, char sep, char *out, size_t cap)
{
    const char *s = *p;
    if (!s || !*s) return 0;
    const char *e = strchr(s, sep);
    size_t n = e ? (size_t)(e - s) : strlen(s);
    mt_memlcpy(out, cap, s, n);
    *p = e ? e + 1 : s + n;
    return 1;
}

static int emit_dns(zeek_rec *r, const mt_ingest_out *out)
{
    static mt_dns dns; /* large: kept off the stack */
    mt_event ev;
    int rc = base_event(&ev, MT_EV_DNS, r);
    if (rc != MT_OK) return rc;
    if (!ev.ipproto) ev.ipproto = 17;
    memset(&dns, 0, sizeof dns);
    uint64_t v = 0;
    if (parse_u64(r->v[ZF_TRANS_ID], &v)) dns.id = (uint16_t)v;
    if (parse_u64(r->v[ZF_QTYPE], &v)) dns.qtype = (uint16_t)v;
    if (r->v[ZF_QUERY]) copy_name(dns.qname, sizeof dns.qname, r->v[ZF_QUERY]);
    ev.u.dns = &dns;
    ev.flags = MT_EVF_TO_SERVER;
    out->event(out->ctx, &ev);

    if (!r->v[ZF_RCODE] && !r->v[ZF_ANSWERS]) return MT_OK;
    dns.is_response = 1;
    if (parse_u64(r->v[ZF_RCODE], &v)) dns.rcode = (uint8_t)v;
    const char *ap = r->v[ZF_ANSWERS], *tp = r->v[ZF_TTLS];
    char a[MT_NAME_MAX], t[32];
    while (next_elem(&ap, r->set_sep, a, sizeof a)) {
        dns.n_answers_total++;
        uint32_t ttl = 0;
        if (next_elem(&tp, r->set_sep, t, sizeof t)) {
            double d = strtod(t, NULL);
            ttl = d > 0 && d < 4294967295.0 ? (uint32_t)d : 0;
        }
        if (dns.n_answers >= MT_DNS_MAX_ANSWERS) continue;
        mt_dns_answer *an = &dns.answers[dns.n_answers];
        memset(an, 0, sizeof *an);
        mt_strlcpy(an->name, dns.qname, sizeof an->name);
        an->ttl = ttl;
        if (mt_addr_parse(a, &an->addr) == MT_OK) {
            an->type = an->addr.family == 4 ? 1 : 28;
        } else if (strchr(a, ' ')) {
            continue; /* "TXT 12 ...", "SOA ..." and the like: not used */
        } else {
            an->type = 5; /* a name in the answer list: CNAME-like target */
            copy_name(an->target, sizeof an->target, a);
        }
        dns.n_answers++;
    }
    ev.flags = 0;
    ev.ts += 1; /* the answer follows the query */
    out->event(out->ctx, &ev);
    return MT_OK;
}

static uint16_t tls_version(const char *s)
{
    if (!s) return 0;
    if (strcmp(s, "SSLv3") == 0) return 0x0300;
    if (strcmp(s, "TLSv10") == 0) return 0x0301;
    if (strcmp(s, "TLSv11") == 0) return 0x0302;
    if (strcmp(s, "TLSv12") == 0 || strcmp(s, "TLSv13") == 0) return 0x0303;
    return 0;
}

static int is_md5_hex(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!isxdigit((unsigned char)s[i])) return 0;
    return i == 32;
}

static int emit_ssl(zeek_rec *r, const mt_ingest_out *out)
{
    static mt_tls_hello tls;
    mt_event ev;
    int rc = base_event(&ev, MT_EV_TLS_HELLO, r);
    if (rc != MT_OK) return rc;
    memset(&tls, 0, sizeof tls);
    tls.version = tls_version(r->v[ZF_VERSION]);
    if (r->v[ZF_SERVER_NAME]) copy_name(tls.sni, sizeof tls.sni, r->v[ZF_SERVER_NAME]);
    if (r->v[ZF_NEXT_PROTOCOL]) mt_strlcpy(tls.alpn, r->v[ZF_NEXT_PROTOCOL], sizeof tls.alpn);
    if (r->v[ZF_JA3]) {
        if (is_md5_hex(r->v[ZF_JA3])) mt_strlcpy(tls.ja3_hash, r->v[ZF_JA3], sizeof tls.ja3_hash);
        else mt_strlcpy(tls.ja3, r->v[ZF_JA3], sizeof tls.ja3);
    }
    ev.u.tls = &tls;
    ev.flags = MT_EVF_TO_SERVER;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static int emit_http(zeek_rec *r, const mt_ingest_out *out)
{
    static mt_http_request http;
    mt_event ev;
    int rc = base_event(&ev, MT_EV_HTTP_REQUEST, r);
    if (rc != MT_OK) return rc;
    if (!ev.ipproto) ev.ipproto = 6;
    memset(&http, 0, sizeof http);
    if (r->v[ZF_METHOD]) mt_strlcpy(http.method, r->v[ZF_METHOD], sizeof http.method);
    if (r->v[ZF_URI]) mt_strlcpy(http.uri, r->v[ZF_URI], sizeof http.uri);
    if (r->v[ZF_HOST]) copy_name(http.host, sizeof http.host, r->v[ZF_HOST]);
    if (r->v[ZF_USER_AGENT]) mt_strlcpy(http.user_agent, r->v[ZF_USER_AGENT], sizeof http.user_agent);
    uint64_t v = 0;
    if (parse_u64(r->v[ZF_REQ_BODY_LEN], &v)) http.content_length = v;
    ev.u.http = &http;
    ev.flags = MT_EVF_TO_SERVER;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static uint8_t app_from_service(const char *s)
{
    if (!s) return MT_APP_UNKNOWN;
    if (strncmp(s, "ssl", 3) == 0 || strncmp(s, "tls", 3) == 0) return MT_APP_TLS;
    if (strncmp(s, "http", 4) == 0) return MT_APP_HTTP;
    if (strncmp(s, "dns", 3) == 0) return MT_APP_DNS;
    if (strncmp(s, "smb", 3) == 0 || strstr(s, ",smb")) return MT_APP_SMB;
    return MT_APP_UNKNOWN;
}

static int emit_conn(zeek_rec *r, const mt_ingest_out *out)
{
    static mt_flow_stats fs;
    mt_event ev;
    int rc = base_event(&ev, MT_EV_FLOW_END, r);
    if (rc != MT_OK) return rc;
    memset(&fs, 0, sizeof fs);
    fs.first_ts = fs.last_ts = ev.ts;
    if (r->v[ZF_DURATION]) {
        double d = strtod(r->v[ZF_DURATION], NULL);
        if (d > 0 && d < 1e9) fs.last_ts = ev.ts + (mt_time_us)(d * 1e6);
    }
    uint64_t v = 0;
    if (parse_u64(r->v[ZF_ORIG_PKTS], &v)) fs.pkts_c2s = v;
    if (parse_u64(r->v[ZF_RESP_PKTS], &v)) fs.pkts_s2c = v;
    if (parse_u64(r->v[ZF_ORIG_BYTES], &v)) fs.bytes_c2s = v;
    if (parse_u64(r->v[ZF_RESP_BYTES], &v)) fs.bytes_s2c = v;
    fs.app = app_from_service(r->v[ZF_SERVICE]);
    const char *h = r->v[ZF_HISTORY];
    if (h) {
        fs.saw_syn = strchr(h, 'S') != NULL;
        fs.saw_fin_or_rst = strpbrk(h, "FfRr") != NULL;
    }
    ev.ts = fs.last_ts;
    ev.u.flow = &fs;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static int emit_notice(zeek_rec *r, const mt_ingest_out *out)
{
    static mt_alert al;
    mt_event ev;
    int rc = base_event(&ev, MT_EV_ALERT, r);
    if (rc != MT_OK) return rc;
    /* Notices without a connection name the hosts in src/dst/p. */
    if (!ev.cli.family && r->v[ZF_SRC] && mt_addr_parse(r->v[ZF_SRC], &ev.cli) != MT_OK)
        return MT_EINVAL;
    if (!ev.srv.family && r->v[ZF_DST] && mt_addr_parse(r->v[ZF_DST], &ev.srv) != MT_OK)
        return MT_EINVAL;
    if (!ev.srv_port) ev.srv_port = parse_port(r->v[ZF_P]);
    memset(&al, 0, sizeof al);
    mt_strlcpy(al.category, r->v[ZF_NOTE] ? r->v[ZF_NOTE] : "", sizeof al.category);
    mt_strlcpy(al.signature, r->v[ZF_MSG] ? r->v[ZF_MSG] : "", sizeof al.signature);
    al.severity = 2;
    ev.u.alert = &al;
    out->event(out->ctx, &ev);
    return MT_OK;
}

int zeek_emit(zeek_log kind, zeek_rec *r, const mt_ingest_out *out)
{
    switch (kind) {
    case ZL_CONN: return emit_conn(r, out);
    case ZL_DNS: return emit_dns(r, out);
    case ZL_SSL: return emit_ssl(r, out);
    case ZL_HTTP: return emit_http(r, out);
    case ZL_NOTICE: return emit_notice(r, out);
    default: return MT_ENOTFOUND;
    }
}
