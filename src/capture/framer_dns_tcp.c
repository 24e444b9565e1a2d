/* DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message carries a two-byte
 * length prefix. Chosen by port (53 either side), so zone transfers and
 * DNS over TCP from resolvers that fall back after truncation are read. */
#include "capture/framer.h"
#include "util/cursor.h"
#include "proto/dns.h"

/* Queries and answers are small; zone transfer messages are not, and are
 * not what we look for. */
#define DNS_TCP_MAX 8192u

static size_t dns_parse(mt_stream_cx *cx, const uint8_t *q, size_t m)
{
    mt_cur c = mt_cur_make(q, m);
    size_t len = mt_cur_be16(&c);
    if (!mt_cur_ok(&c)) return MT_FR_MORE;
    if (len + 2 > DNS_TCP_MAX) {
        mt_stream_count_over_limit(cx);
        mt_stream_skip(cx, len + 2);
        return 0;
    }
    if (m < len + 2) return MT_FR_MORE;
    mt_dns dns;
    mt_stream_count_msg(cx);
    int rc = mt_dns_parse(q + 2, len, &dns);
    if (rc == MT_OK || (rc == MT_ETRUNC && dns.qname[0])) {
        mt_event ev = {0};
        ev.type = MT_EV_DNS;
        ev.u.dns = &dns;
        cx->f->app = MT_APP_DNS;
        mt_stream_emit(cx, &ev);
    } else {
        mt_stream_count_malformed(cx);
    }
    return len + 2;
}

const mt_framer mt_framer_dns_tcp = {
    .name = "dns-tcp",
    .id = MT_FR_DNS_TCP,
    .state_size = 0,
    .resync_nl = 0,
    .max_msg = DNS_TCP_MAX,
    .port = 53,
    .probe = NULL,
    .parse = dns_parse,
};
