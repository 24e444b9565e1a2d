/* The EVE record header and the record writer (see eve_json.h). Field
 * order is fixed: the documented, stable one (docs/FINDINGS.md). */
#include "store/eve_json.h"

#include <string.h>

const char *mt_ipproto_str(uint8_t p)
{
    switch (p) {
    case 6: return "TCP";
    case 17: return "UDP";
    case 1: return "ICMP";
    case 58: return "IPv6-ICMP";
    default: return "IP";
    }
}

char *mt_eve_str(char *o, const char *s, size_t n, size_t readable)
{
    *o++ = '"';
    if (n) o = mt_json_escape_raw(o, s, n, readable); /* many fields are empty */
    *o++ = '"';
    return o;
}

char *mt_eve_int(char *o, long long v)
{
    if (v < 0) {
        *o++ = '-';
        return mt_put_u64(o, 0ULL - (unsigned long long)v);
    }
    return mt_put_u64(o, (uint64_t)v);
}

void mt_eve_write(mt_buf *b, const mt_eve_header *h, const mt_eve_body *body, const void *rec)
{
    /* zeroed: their whole arrays are read (see mt_eve_str) */
    char ts[40] = {0}, src[MT_ADDR_STRLEN] = {0}, dst[MT_ADDR_STRLEN] = {0};
    int net = h->src != NULL; /* records of a site (web) have no flow */
    if (mt_time_format(h->ts, ts, sizeof ts) != MT_OK) ts[0] = '\0';
    if (net && mt_addr_to_str(h->src, src, sizeof src) != MT_OK) src[0] = '\0';
    if (net && mt_addr_to_str(h->dst, dst, sizeof dst) != MT_OK) dst[0] = '\0';
    const char *proto = mt_ipproto_str(h->ipproto);
    size_t n_ts = strnlen(ts, sizeof ts), n_src = strnlen(src, sizeof src), n_dst = strnlen(dst, sizeof dst);
    size_t n_proto = strnlen(proto, 64), n_ev = strnlen(h->event_type, 64), n_key = strlen(body->key);
    /* keys and punctuation (~120 bytes), three numbers, escaped text */
    size_t room = 160 + MT_EVE_STR_ROOM(n_ts) + MT_EVE_STR_ROOM(n_src) + MT_EVE_STR_ROOM(n_dst) +
                  MT_EVE_STR_ROOM(n_proto) + MT_EVE_STR_ROOM(n_ev) + n_key + body->room(rec);
    char *o = mt_buf_room(b, room);
    o = mt_eve_str(MT_EVE_LIT(o, "{\"timestamp\":"), ts, n_ts, sizeof ts);
    if (net) {
        o = mt_eve_int(MT_EVE_LIT(o, ",\"flow_id\":"), (long long)h->flow_id);
        o = mt_eve_str(MT_EVE_LIT(o, ",\"src_ip\":"), src, n_src, sizeof src);
        o = mt_eve_int(MT_EVE_LIT(o, ",\"src_port\":"), h->src_port);
        o = mt_eve_str(MT_EVE_LIT(o, ",\"dest_ip\":"), dst, n_dst, sizeof dst);
        o = mt_eve_int(MT_EVE_LIT(o, ",\"dest_port\":"), h->dst_port);
        o = mt_eve_str(MT_EVE_LIT(o, ",\"proto\":"), proto, n_proto, n_proto);
    }
    o = mt_eve_str(MT_EVE_LIT(o, ",\"event_type\":"), h->event_type, n_ev, n_ev);
    o = MT_EVE_LIT(o, ",\"");
    memcpy(o, body->key, n_key);
    o += n_key;
    o = MT_EVE_LIT(o, "\":");
    o = body->write(o, rec);
    *o++ = '}';
    mt_buf_commit(b, o);
}
