/* Suricata EVE JSON -> events.
 *
 * alert -> MT_EV_ALERT; dns -> MT_EV_DNS (v1: one event per query/answer
 * record; v2: answers[] / grouped; v3: queries[] + answers[]); tls ->
 * MT_EV_TLS_HELLO (sni, ja3, ja4); http -> MT_EV_HTTP_REQUEST (hostname, url,
 * user agent, method, request headers when logged); flow -> MT_EV_FLOW_END
 * (packets/bytes per direction, start/end, app_proto). Other event types
 * (fileinfo, anomaly, stats, ...) are named and counted by the caller.
 *
 * Orientation: EVE's src/dest follow the flow (client/server) for dns, tls,
 * http and flow events. DNS answers from some versions are written from
 * the server's side (src_port 53) and are turned round. Alerts follow the
 * packet that matched: with direction "to_client" they are turned round;
 * without a direction they are passed on in packet order (mt_alert.ends)
 * for the alert detector to orient (src/detect/alert.c).
 * Note: EVE flow byte counts include IP/transport headers (Zeek's conn.log
 * counts payload), so flow-size heuristics see slightly larger numbers. */
#include "ingest/eve.h"
#include "ingest/timeparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t proto_num(const char *p)
{
    if (!p) return 0;
    if (strcmp(p, "TCP") == 0 || strcmp(p, "006") == 0) return 6;
    if (strcmp(p, "UDP") == 0 || strcmp(p, "017") == 0) return 17;
    if (strcmp(p, "ICMP") == 0 || strcmp(p, "001") == 0) return 1;
    if (strcmp(p, "IPv6-ICMP") == 0 || strcmp(p, "058") == 0) return 58;
    return 0;
}

static void copy_name(char *dst, size_t cap, const char *s)
{
    if (!s) { dst[0] = '\0'; return; }
    size_t n = mt_strlcpy(dst, s, cap);
    for (size_t i = 0; i < n; i++) dst[i] = (char)tolower((unsigned char)dst[i]);
    if (n && dst[n - 1] == '.') dst[n - 1] = '\0';
}

static void swap_ends(mt_event *ev)
{
    mt_addr a = ev->cli;
    ev->cli = ev->srv;
    ev->srv = a;
    uint16_t p = ev->cli_port;
    ev->cli_port = ev->srv_port;
    ev->srv_port = p;
}

static int base_event(mt_jr_doc *doc, mt_event *ev, mt_event_type type, int obj)
{
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->source = MT_SRC_EVE;
    const char *ts = mt_jr_gstr(doc, obj, "timestamp");
    if (!ts || ingest_time_parse(ts, &ev->ts) != MT_OK)
        return mt_error_set(MT_EINVAL, "bad or missing timestamp");
    ev->flow_id = mt_jr_gu64(doc, obj, "flow_id");
    ev->ipproto = proto_num(mt_jr_gstr(doc, obj, "proto"));
    const char *s = mt_jr_gstr(doc, obj, "src_ip"), *d = mt_jr_gstr(doc, obj, "dest_ip");
    if (s && mt_addr_parse(s, &ev->cli) != MT_OK) return MT_EINVAL;
    if (d && mt_addr_parse(d, &ev->srv) != MT_OK) return MT_EINVAL;
    uint64_t sp = mt_jr_gu64(doc, obj, "src_port"), dp = mt_jr_gu64(doc, obj, "dest_port");
    ev->cli_port = sp <= 65535 ? (uint16_t)sp : 0;
    ev->srv_port = dp <= 65535 ? (uint16_t)dp : 0;
    return MT_OK;
}

static uint16_t rrtype_num(const char *t)
{
    static const struct { const char *n; uint16_t v; } types[] = {
        {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"PTR", 12}, {"MX", 15},
        {"TXT", 16}, {"AAAA", 28}, {"SRV", 33}, {"NAPTR", 35}, {"DS", 43},
        {"SVCB", 64}, {"HTTPS", 65}, {"ANY", 255}, {"NULL", 10}};
    if (!t) return 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].n, t) == 0) return types[i].v;
    return 0;
}

static uint8_t rcode_num(const char *r)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL",
                                        "NXDOMAIN", "NOTIMP", "REFUSED"};
    if (!r) return 0;
    for (uint8_t i = 0; i < 6; i++)
        if (strcmp(names[i], r) == 0) return i;
    return 0;
}

static void add_answer(mt_dns *dns, const char *owner, const char *type, uint32_t ttl,
                       const char *rdata)
{
    dns->n_answers_total++;
    if (dns->n_answers >= MT_DNS_MAX_ANSWERS || !rdata) return;
    mt_dns_answer *an = &dns->answers[dns->n_answers];
    memset(an, 0, sizeof *an);
    copy_name(an->name, sizeof an->name, owner ? owner : dns->qname);
    an->type = rrtype_num(type);
    an->ttl = ttl;
    if (an->type == 1 || an->type == 28) {
        if (mt_addr_parse(rdata, &an->addr) != MT_OK) return;
    } else if (an->type == 5) {
        copy_name(an->target, sizeof an->target, rdata);
    } else {
        return; /* other record types carry nothing detectors use */
    }
    dns->n_answers++;
}

static int eve_dns(mt_jr_doc *doc, eve_state *st, int obj, const mt_ingest_out *out)
{
    static mt_dns dns;
    mt_event ev;
    int rc = base_event(doc, &ev, MT_EV_DNS, obj);
    if (rc != MT_OK) return rc;
    if (!ev.ipproto) ev.ipproto = 17;
    int d = mt_jr_get(doc, obj, "dns");
    if (!mt_jr_is(doc, d, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "dns event without dns object");
    const char *type = mt_jr_gstr(doc, d, "type");
    if (!type) return mt_error_set(MT_EINVAL, "dns event without type");
    memset(&dns, 0, sizeof dns);
    dns.is_response = strcmp(type, "answer") == 0 || strcmp(type, "response") == 0;
    dns.id = (uint16_t)mt_jr_gu64(doc, d, "id");
    dns.rcode = rcode_num(mt_jr_gstr(doc, d, "rcode"));
    int queries = mt_jr_get(doc, d, "queries");
    const char *rrname = mt_jr_gstr(doc, d, "rrname"), *rrtype = mt_jr_gstr(doc, d, "rrtype");
    int q0 = mt_jr_is(doc, queries, MT_JR_ARRAY) ? mt_jr_first(doc, queries) : -1;
    if (q0 >= 0) { /* v3 */
        rrname = mt_jr_gstr(doc, q0, "rrname");
        rrtype = mt_jr_gstr(doc, q0, "rrtype");
    }
    copy_name(dns.qname, sizeof dns.qname, rrname);
    dns.qtype = rrtype_num(rrtype);

    int answers = mt_jr_get(doc, d, "answers");
    int grouped = mt_jr_get(doc, d, "grouped");
    if (dns.is_response && mt_jr_is(doc, answers, MT_JR_ARRAY)) { /* v2, v3 */
        for (int a = mt_jr_first(doc, answers); a >= 0; a = mt_jr_next(doc, answers, a))
            add_answer(&dns, mt_jr_gstr(doc, a, "rrname"), mt_jr_gstr(doc, a, "rrtype"),
                       (uint32_t)mt_jr_gu64(doc, a, "ttl"), mt_jr_gstr(doc, a, "rdata"));
    } else if (dns.is_response && mt_jr_is(doc, grouped, MT_JR_OBJECT)) { /* v2 grouped only */
        for (int k = mt_jr_first(doc, grouped); k >= 0; k = mt_jr_next(doc, grouped, k)) {
            int list = k + 1;
            if (!mt_jr_is(doc, list, MT_JR_ARRAY)) continue;
            const char *gtype = mt_jr_str(doc, k);
            for (int a = mt_jr_first(doc, list); a >= 0; a = mt_jr_next(doc, list, a))
                add_answer(&dns, NULL, gtype, 0, mt_jr_str(doc, a));
        }
    } else if (dns.is_response && mt_jr_get(doc, d, "rdata") >= 0) { /* v1 */
        /* The owner name is this record's; the query is the first record's
         * owner in this transaction. */
        if (st->last_flow == ev.flow_id && st->last_id == dns.id && st->last_qname[0]) {
            mt_strlcpy(dns.qname, st->last_qname, sizeof dns.qname);
        } else {
            st->last_flow = ev.flow_id;
            st->last_id = dns.id;
            mt_strlcpy(st->last_qname, dns.qname, sizeof st->last_qname);
        }
        add_answer(&dns, rrname, rrtype, (uint32_t)mt_jr_gu64(doc, d, "ttl"), mt_jr_gstr(doc, d, "rdata"));
    }
    if (ev.cli_port == 53 && ev.srv_port != 53) swap_ends(&ev);
    ev.flags = dns.is_response ? 0 : MT_EVF_TO_SERVER;
    ev.u.dns = &dns;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static uint16_t tls_version(const char *v)
{
    if (!v) return 0;
    if (strstr(v, "1.3") || strstr(v, "1.2")) return 0x0303;
    if (strstr(v, "1.1")) return 0x0302;
    if (strstr(v, "1.0") || strcmp(v, "TLSv1") == 0) return 0x0301;
    if (strstr(v, "SSL")) return 0x0300;
    return 0;
}

static int eve_tls(mt_jr_doc *doc, int obj, const mt_ingest_out *out)
{
    static mt_tls_hello tls;
    mt_event ev;
    int rc = base_event(doc, &ev, MT_EV_TLS_HELLO, obj);
    if (rc != MT_OK) return rc;
    int t = mt_jr_get(doc, obj, "tls");
    if (!mt_jr_is(doc, t, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "tls event without tls object");
    memset(&tls, 0, sizeof tls);
    copy_name(tls.sni, sizeof tls.sni, mt_jr_gstr(doc, t, "sni"));
    tls.version = tls_version(mt_jr_gstr(doc, t, "version"));
    int ja3 = mt_jr_get(doc, t, "ja3");
    if (mt_jr_is(doc, ja3, MT_JR_OBJECT)) {
        const char *s;
        if ((s = mt_jr_gstr(doc, ja3, "string"))) mt_strlcpy(tls.ja3, s, sizeof tls.ja3);
        if ((s = mt_jr_gstr(doc, ja3, "hash"))) mt_strlcpy(tls.ja3_hash, s, sizeof tls.ja3_hash);
    } else if (mt_jr_is(doc, ja3, MT_JR_STRING)) {
        mt_strlcpy(tls.ja3_hash, mt_jr_str(doc, ja3), sizeof tls.ja3_hash);
    }
    int ja4 = mt_jr_get(doc, t, "ja4"); /* Suricata 7.0+ with JA4 on: the fingerprint string */
    if (mt_jr_is(doc, ja4, MT_JR_STRING)) mt_strlcpy(tls.ja4, mt_jr_str(doc, ja4), sizeof tls.ja4);
    int alpns = mt_jr_get(doc, t, "client_alpns");
    if (mt_jr_is(doc, alpns, MT_JR_ARRAY)) {
        size_t n = 0;
        for (int a = mt_jr_first(doc, alpns); a >= 0; a = mt_jr_next(doc, alpns, a)) {
            const char *s = mt_jr_str(doc, a);
            if (!s) continue;
            size_t sl = strlen(s);
            if (n + sl + 2 > sizeof tls.alpn) break;
            if (n) tls.alpn[n++] = ',';
            memcpy(tls.alpn + n, s, sl);
            n += sl;
            tls.alpn[n] = '\0';
        }
    }
    ev.flags = MT_EVF_TO_SERVER;
    ev.u.tls = &tls;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static int eve_http(mt_jr_doc *doc, int obj, const mt_ingest_out *out)
{
    static mt_http_request http;
    mt_event ev;
    int rc = base_event(doc, &ev, MT_EV_HTTP_REQUEST, obj);
    if (rc != MT_OK) return rc;
    if (!ev.ipproto) ev.ipproto = 6;
    int h = mt_jr_get(doc, obj, "http");
    if (!mt_jr_is(doc, h, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "http event without http object");
    memset(&http, 0, sizeof http);
    const char *s;
    if ((s = mt_jr_gstr(doc, h, "http_method"))) mt_strlcpy(http.method, s, sizeof http.method);
    if ((s = mt_jr_gstr(doc, h, "url"))) mt_strlcpy(http.uri, s, sizeof http.uri);
    copy_name(http.host, sizeof http.host, mt_jr_gstr(doc, h, "hostname"));
    if ((s = mt_jr_gstr(doc, h, "http_user_agent"))) mt_strlcpy(http.user_agent, s, sizeof http.user_agent);
    int hdrs = mt_jr_get(doc, h, "request_headers");
    if (mt_jr_is(doc, hdrs, MT_JR_ARRAY)) {
        for (int kv = mt_jr_first(doc, hdrs); kv >= 0; kv = mt_jr_next(doc, hdrs, kv)) {
            const char *n = mt_jr_gstr(doc, kv, "name"), *v = mt_jr_gstr(doc, kv, "value");
            if (!n || !v) continue;
            if (strcasecmp(n, "X-Mining-Extensions") == 0) http.has_x_mining_extensions = 1;
            else if (strcasecmp(n, "X-Stratum") == 0) http.has_x_stratum = 1;
            else if (strcasecmp(n, "Upgrade") == 0 && strcasecmp(v, "websocket") == 0)
                http.upgrade_websocket = 1;
            else if (strcasecmp(n, "Content-Type") == 0)
                mt_strlcpy(http.content_type, v, sizeof http.content_type);
            else if (strcasecmp(n, "Content-Length") == 0)
                http.content_length = strtoull(v, NULL, 10);
        }
    }
    ev.flags = MT_EVF_TO_SERVER;
    ev.u.http = &http;
    out->event(out->ctx, &ev);
    return MT_OK;
}

static uint8_t app_num(const char *a)
{
    if (!a) return MT_APP_UNKNOWN;
    if (strcmp(a, "tls") == 0) return MT_APP_TLS;
    if (strcmp(a, "http") == 0 || strcmp(a, "http2") == 0) return MT_APP_HTTP;
    if (strcmp(a, "dns") == 0) return MT_APP_DNS;
    if (strcmp(a, "smb") == 0) return MT_APP_SMB;
    if (strcmp(a, "websocket") == 0) return MT_APP_WEBSOCKET;
    return MT_APP_UNKNOWN;
}

static int eve_flow(mt_jr_doc *doc, int obj, const mt_ingest_out *out)
{
    static mt_flow_stats fs;
    mt_event ev;
    int rc = base_event(doc, &ev, MT_EV_FLOW_END, obj);
    if (rc != MT_OK) return rc;
    int f = mt_jr_get(doc, obj, "flow");
    if (!mt_jr_is(doc, f, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "flow event without flow object");
    memset(&fs, 0, sizeof fs);
    fs.pkts_c2s = mt_jr_gu64(doc, f, "pkts_toserver");
    fs.pkts_s2c = mt_jr_gu64(doc, f, "pkts_toclient");
    fs.bytes_c2s = mt_jr_gu64(doc, f, "bytes_toserver");
    fs.bytes_s2c = mt_jr_gu64(doc, f, "bytes_toclient");
    const char *s;
    fs.first_ts = fs.last_ts = ev.ts;
    if ((s = mt_jr_gstr(doc, f, "start"))) ingest_time_parse(s, &fs.first_ts);
    if ((s = mt_jr_gstr(doc, f, "end"))) ingest_time_parse(s, &fs.last_ts);
    fs.app = app_num(mt_jr_gstr(doc, obj, "app_proto"));
    s = mt_jr_gstr(doc, f, "reason");
    fs.evicted = s && strcmp(s, "timeout") != 0 && strcmp(s, "shutdown") != 0;
    int tcp = mt_jr_get(doc, obj, "tcp");
    if (mt_jr_is(doc, tcp, MT_JR_OBJECT)) {
        fs.saw_syn = mt_jr_is(doc, mt_jr_get(doc, tcp, "syn"), MT_JR_TRUE);
        fs.saw_fin_or_rst = mt_jr_is(doc, mt_jr_get(doc, tcp, "fin"), MT_JR_TRUE) || mt_jr_is(doc, mt_jr_get(doc, tcp, "rst"), MT_JR_TRUE);
    }
    ev.ts = fs.last_ts;
    ev.u.flow = &fs;
    out->event(out->ctx, &ev);
    return MT_OK;
}

/* The alert's first DNS query name: Suricata 5/6 "dns":{"query":[{...}]},
 * 7 "dns":{"queries":[{...}]}, or a flat "rrname". */
static const char *alert_dns_query(mt_jr_doc *doc, int d)
{
    static const char *const lists[] = {"query", "queries"};
    for (size_t i = 0; i < 2; i++) {
        int q = mt_jr_get(doc, d, lists[i]);
        if (mt_jr_is(doc, q, MT_JR_ARRAY)) q = mt_jr_first(doc, q);
        if (q >= 0 && mt_jr_is(doc, q, MT_JR_OBJECT)) {
            const char *n = mt_jr_gstr(doc, q, "rrname");
            if (n) return n;
        }
    }
    return mt_jr_gstr(doc, d, "rrname");
}

static int eve_alert(mt_jr_doc *doc, int obj, const mt_ingest_out *out)
{
    static mt_alert al;
    mt_event ev;
    int rc = base_event(doc, &ev, MT_EV_ALERT, obj);
    if (rc != MT_OK) return rc;
    int a = mt_jr_get(doc, obj, "alert");
    if (!mt_jr_is(doc, a, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "alert event without alert object");
    memset(&al, 0, sizeof al);
    al.signature_id = mt_jr_gu64(doc, a, "signature_id");
    const char *s;
    if ((s = mt_jr_gstr(doc, a, "signature"))) mt_strlcpy(al.signature, s, sizeof al.signature);
    if ((s = mt_jr_gstr(doc, a, "category"))) mt_strlcpy(al.category, s, sizeof al.category);
    al.severity = (int)mt_jr_gu64(doc, a, "severity");
    if ((s = mt_jr_gstr(doc, obj, "app_proto"))) mt_strlcpy(al.app_proto, s, sizeof al.app_proto);
    int sub = mt_jr_get(doc, obj, "dns");
    if (mt_jr_is(doc, sub, MT_JR_OBJECT))
        copy_name(al.dns_query, sizeof al.dns_query, alert_dns_query(doc, sub));
    sub = mt_jr_get(doc, obj, "tls");
    if (mt_jr_is(doc, sub, MT_JR_OBJECT))
        copy_name(al.tls_sni, sizeof al.tls_sni, mt_jr_gstr(doc, sub, "sni"));
    sub = mt_jr_get(doc, obj, "http");
    if (mt_jr_is(doc, sub, MT_JR_OBJECT)) {
        copy_name(al.http_host, sizeof al.http_host, mt_jr_gstr(doc, sub, "hostname"));
        if ((s = mt_jr_gstr(doc, sub, "url"))) mt_strlcpy(al.http_url, s, sizeof al.http_url);
        if ((s = mt_jr_gstr(doc, sub, "http_user_agent")))
            mt_strlcpy(al.http_ua, s, sizeof al.http_ua);
    }
    if ((s = mt_jr_gstr(doc, obj, "payload_printable"))) mt_strlcpy(al.payload, s, sizeof al.payload);
    /* With "direction" (Suricata 7) the ends are put in flow order here.
     * Without it they stay in packet order and the alert detector decides
     * which end is the miner: from the payload's role, the rule's
     * direction, and only then from the ports. */
    const char *dir = mt_jr_gstr(doc, obj, "direction");
    if (!dir) dir = mt_jr_gstr(doc, a, "direction");
    if (dir && strcmp(dir, "to_client") == 0) swap_ends(&ev);
    al.ends = dir && (strcmp(dir, "to_client") == 0 || strcmp(dir, "to_server") == 0)
                  ? MT_ALERT_ENDS_FLOW
                  : MT_ALERT_ENDS_PACKET;
    ev.u.alert = &al;
    out->event(out->ctx, &ev);
    return MT_OK;
}

int eve_record(eve_state *st, mt_jr_doc *doc, int obj, const mt_ingest_out *out, char *unk,
               size_t unk_cap)
{
    const char *t = mt_jr_gstr(doc, obj, "event_type");
    if (!t) return mt_error_set(MT_EINVAL, "no event_type");
    if (strcmp(t, "flow") == 0) return eve_flow(doc, obj, out);
    if (strcmp(t, "dns") == 0) return eve_dns(doc, st, obj, out);
    if (strcmp(t, "alert") == 0) return eve_alert(doc, obj, out);
    if (strcmp(t, "tls") == 0) return eve_tls(doc, obj, out);
    if (strcmp(t, "http") == 0) return eve_http(doc, obj, out);
    snprintf(unk, unk_cap, "eve:%.32s", t);
    return MT_ENOTFOUND;
}
