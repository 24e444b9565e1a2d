/* Packet pipeline: decode, find or create the flow, keep TCP order, hand
 * payload to stream inspection, end flows (FIN/RST, idle, LRU eviction,
 * end of input) with a MT_EV_FLOW_END event carrying their statistics.
 * DNS over UDP is handled without a flow entry: one message, one event. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/flowshape.h"
#include "capture/flowtable.h"
#include "capture/pipeline.h"
#include "capture/stream.h"
#include "proto/dns.h"
#include "proto/smb.h"
#include "util/hash.h"

struct mt_pipeline {
    mt_event_sink out;
    const mt_intel *intel;
    mt_pipeline_config cfg;
    mt_pipeline_stats st;
    mt_flowtable *flows;
    mt_stream *stream;
    uint64_t seq;      /* number of the packet in hand (mt_pipeline_set_seq) */
    int ext_ticks;     /* idle expiry every 64 packets is the caller's (scan -j) */
    uint64_t end_seq;  /* last_seq of the flow whose end is being emitted */
};

void mt_pipeline_set_seq(mt_pipeline *pl, uint64_t seq) { pl->seq = seq; }
void mt_pipeline_set_expiry_ticks(mt_pipeline *pl, int external) { pl->ext_ticks = external != 0; }
uint64_t mt_pipeline_end_seq(const mt_pipeline *pl) { return pl->end_seq; }

static void emit(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts, mt_event *ev);

static void stream_emit(void *ctx, mt_flow *f, int dir, mt_time_us ts, mt_event *ev)
{
    emit(ctx, f, dir, ts, ev);
}

void mt_pipeline_config_defaults(mt_pipeline_config *c)
{
    c->max_flows = 1u << 18;
    c->inspect_bytes = 16384;
    c->max_blocks = 16384;
    c->max_big_blocks = 1024;
    c->tcp_idle_s = 600;
    c->udp_idle_s = 120;
}

mt_pipeline *mt_pipeline_new(mt_event_sink out, const mt_intel *intel, const mt_pipeline_config *c)
{
    mt_pipeline *pl = mt_xcalloc(1, sizeof *pl);
    pl->out = out;
    pl->intel = intel;
    if (c) pl->cfg = *c; else mt_pipeline_config_defaults(&pl->cfg);
    pl->flows = mt_flowtable_new(pl->cfg.max_flows);
    mt_stream_config sc = {pl->cfg.inspect_bytes, pl->cfg.max_blocks, pl->cfg.max_big_blocks};
    pl->stream = mt_stream_new(&sc, stream_emit, pl);
    return pl;
}

void mt_pipeline_free(mt_pipeline *pl)
{
    if (!pl) return;
    mt_stream_free(pl->stream);
    mt_flowtable_free(pl->flows);
    free(pl);
}

const mt_pipeline_stats *mt_pipeline_get_stats(const mt_pipeline *pl) { return &pl->st; }

const mt_stream_stats *mt_pipeline_stream_stats(const mt_pipeline *pl)
{
    return mt_stream_get_stats(pl->stream);
}

static void emit(mt_pipeline *pl, mt_flow *f, int dir, mt_time_us ts, mt_event *ev)
{
    f->event_mask |= 1u << ev->type;
    if (ev->type == MT_EV_TLS_HELLO && ev->u.tls) mt_flowshape_hello(&f->shape, ev->u.tls);
    ev->source = MT_SRC_PCAP;
    ev->ts = ts;
    ev->flow_id = f->id;
    ev->ipproto = f->ipproto;
    ev->cli = f->cli;
    ev->srv = f->srv;
    ev->cli_port = f->cli_port;
    ev->srv_port = f->srv_port;
    ev->flags = (f->flags & MT_FLOW_GUESSED ? MT_EVF_GUESSED_DIR : 0) |
                (dir == 0 ? MT_EVF_TO_SERVER : 0);
    pl->out.event(pl->out.ctx, ev);
}

/* Written in place, not built aside and copied: the struct is 432 bytes
 * (most of it the SNI buffer), and this runs for every flow. */
static void fill_stats(const mt_flow *f, int evicted, mt_flow_stats *out)
{
    /* Zero all but the SNI buffer (most of the struct, and written only
     * for TLS flows). */
    memset(out, 0, offsetof(mt_flow_stats, sni));
    out->sni[0] = '\0';
    memset((char *)out + offsetof(mt_flow_stats, sni) + sizeof out->sni, 0,
           sizeof *out - offsetof(mt_flow_stats, sni) - sizeof out->sni);
    out->first_ts = f->first_ts;
    out->last_ts = f->last_ts;
    out->pkts_c2s = f->pkts[0];
    out->pkts_s2c = f->pkts[1];
    out->bytes_c2s = f->bytes[0];
    out->bytes_s2c = f->bytes[1];
    memcpy(out->first_sizes, f->sizes, sizeof out->first_sizes);
    out->n_first_sizes = f->n_sizes;
    out->data_pkts_c2s = f->data_pkts[0];
    out->data_pkts_s2c = f->data_pkts[1];
    out->max_size_c2s = f->max_size[0];
    out->max_size_s2c = f->max_size[1];
    out->small_pkts_c2s = f->small_pkts[0];
    out->small_pkts_s2c = f->small_pkts[1];
    out->pushes_s2c = f->pushes_s2c;
    out->bursts_c2s = f->bursts_c2s;
    out->max_gap_us = f->max_gap;
    out->saw_syn = (f->flags & MT_FLOW_SYN) != 0;
    out->saw_fin_or_rst = (f->flags & (MT_FLOW_FIN_C | MT_FLOW_FIN_S | MT_FLOW_RST)) != 0;
    out->app = f->app;
    out->evicted = (uint8_t)evicted;
    out->event_mask = f->event_mask;
    out->events_known = 1;
    out->shape = mt_flowshape_final(&f->shape);
    if (f->extra) mt_strlcpy(out->sni, f->extra->sni, sizeof out->sni);
}

static void end_flow(mt_pipeline *pl, mt_flow *f, int evicted)
{
    mt_flow_stats fs;
    fill_stats(f, evicted, &fs);
    mt_event ev = {0};
    ev.type = MT_EV_FLOW_END;
    ev.u.flow = &fs;
    pl->end_seq = f->last_seq;
    emit(pl, f, 0, f->last_ts, &ev);
    mt_stream_release(pl->stream, f);
    pl->st.flows_ended++;
    mt_flowtable_remove(pl->flows, f);
}

/* Ports that are servers when we must guess (no SYN seen): the intel's
 * port table knows the well-known and the mining ones. */
static int service_port(const mt_pipeline *pl, uint16_t p)
{
    return mt_intel_port_is_server(pl->intel, p);
}

static int guess_src_is_client(const mt_pipeline *pl, const mt_packet *pk)
{
    int s = service_port(pl, pk->sport), d = service_port(pl, pk->dport);
    if (d && !s) return 1;
    if (s && !d) return 0;
    return pk->sport > pk->dport;
}

/* mt_hash_bytes over the 45-byte key cli.b, srv.b, cli_port, srv_port,
 * ipproto, first_ts (host order), word by word from values: the flow was
 * just written by the insert, and 8-byte loads spanning its smaller stores
 * (or a key assembled on the stack) cannot be forwarded from the store
 * buffer, so they waited for the insert's cache-missing stores to drain, a
 * stall per new flow. The addresses come from the packet instead. */
static uint64_t flow_id_of(const mt_addr *cli, const mt_addr *srv, uint16_t cli_port,
                           uint16_t srv_port, uint8_t ipproto, mt_time_us first_ts)
{
    uint64_t w[4];
    memcpy(&w[0], cli->b, 8);
    memcpy(&w[1], cli->b + 8, 8);
    memcpy(&w[2], srv->b, 8);
    memcpy(&w[3], srv->b + 8, 8);
    uint64_t ts = (uint64_t)first_ts;
    uint64_t h = 0x6d74666cULL ^ (MT_HASH_GOLDEN * 46);
    for (int i = 0; i < 4; i++) h = mt_mix64(h ^ w[i]) + MT_HASH_GOLDEN;
    h = mt_mix64(h ^ (cli_port | (uint64_t)srv_port << 16 | (uint64_t)ipproto << 32 | ts << 40)) +
        MT_HASH_GOLDEN;
    /* the last 5 bytes: first_ts's upper five; 51 bits so that flow ids
     * stay exact in JSON consumers that use doubles */
    return mt_mix64(h ^ (ts >> 24) ^ (5ULL << 56)) & ((1ULL << 51) - 1);
}

static void expire_idle(mt_pipeline *pl, mt_time_us now)
{
    for (int i = 0; i < 4; i++) {
        mt_flow *f = mt_flowtable_oldest(pl->flows);
        if (!f) return;
        mt_time_us idle = (mt_time_us)(f->ipproto == 6 ? pl->cfg.tcp_idle_s : pl->cfg.udp_idle_s) * 1000000;
        if (now - f->last_ts <= idle) return;
        pl->st.flows_idle_expired++;
        end_flow(pl, f, 1);
    }
}

static void udp_dns(mt_pipeline *pl, const mt_packet *pk)
{
    mt_dns dns;
    pl->st.dns_msgs++;
    int rc = mt_dns_parse(pk->payload, pk->payload_len, &dns);
    /* A truncated message (first IP fragment, short snaplen) still has a
     * usable question and the answers before the cut. */
    if (rc != MT_OK && !(rc == MT_ETRUNC && dns.qname[0])) {
        pl->st.dns_errors++;
        return;
    }
    if (rc != MT_OK) pl->st.dns_truncated++;
    int src_is_client = pk->dport == 53 || pk->dport == 5353 ? 1 : (pk->sport == 53 ? 0 : !dns.is_response);
    mt_event ev = {0};
    ev.type = MT_EV_DNS;
    ev.source = MT_SRC_PCAP;
    ev.ts = pk->ts;
    ev.ipproto = 17;
    ev.cli = src_is_client ? pk->src : pk->dst;
    ev.srv = src_is_client ? pk->dst : pk->src;
    ev.cli_port = src_is_client ? pk->sport : pk->dport;
    ev.srv_port = src_is_client ? pk->dport : pk->sport;
    ev.flags = src_is_client ? MT_EVF_TO_SERVER : 0;
    uint8_t k[40];
    memcpy(k, ev.cli.b, 16);
    memcpy(k + 16, ev.srv.b, 16);
    memcpy(k + 32, &ev.cli_port, 2);
    memcpy(k + 34, &dns.id, 2);
    memset(k + 36, 0x35, 4);
    ev.flow_id = mt_hash_bytes(k, sizeof k, 0x646e73ULL) & ((1ULL << 51) - 1);
    ev.u.dns = &dns;
    pl->out.event(pl->out.ctx, &ev);
}

static void tcp_segment(mt_pipeline *pl, mt_flow *f, int dir, const mt_packet *pk)
{
    mt_dirstate *ds = &f->d[dir];
    const uint8_t *p = pk->payload;
    uint32_t len = pk->payload_len;
    uint32_t seq = pk->seq;
    if (pk->tcp_flags & MT_TCP_SYN) {
        ds->next_seq = seq + 1;
        ds->seq_known = 1;
        seq += 1;
    }
    if (pk->payload_wire_len == 0) return;
    if (!ds->seq_known) {
        ds->next_seq = seq;
        ds->seq_known = 1;
    }
    int32_t diff = (int32_t)(seq - ds->next_seq);
    uint32_t wire = pk->payload_wire_len;
    if (diff < 0) {
        uint32_t over = (uint32_t)(-(int64_t)diff);
        if (over >= wire) { pl->st.tcp_retrans_bytes += wire; return; }
        pl->st.tcp_retrans_bytes += over;
        if (over >= len) { len = 0; } else { p += over; len -= over; }
        wire -= over;
        seq += over;
    } else if (diff > 0) {
        pl->st.tcp_gaps++;
        mt_stream_gap(pl->stream, f, dir);
    }
    ds->next_seq = seq + wire;
    if (len) mt_stream_feed(pl->stream, f, dir, pk->ts, p, len);
    if (len < wire) { /* snaplen cut the segment: the rest is a gap */
        pl->st.tcp_gaps++;
        mt_stream_gap(pl->stream, f, dir);
    }
}

void mt_pipeline_packet(mt_pipeline *pl, int linktype, mt_time_us ts,
                        const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    mt_packet pk;
    mt_decode_result r = mt_decode_packet(linktype, data, caplen, &pk);
    mt_pipeline_decoded(pl, r, &pk, ts, wirelen);
}

void mt_pipeline_decoded(mt_pipeline *pl, mt_decode_result r, mt_packet *pk, mt_time_us ts,
                         uint32_t wirelen)
{
    pl->st.packets++;
    pl->st.bytes += wirelen;
    switch (r) {
    case MT_DEC_OK: pl->st.decoded++; break;
    case MT_DEC_OTHER: pl->st.not_ip++; return;
    case MT_DEC_FRAGMENT: pl->st.fragments++; return;
    case MT_DEC_TRUNCATED: pl->st.truncated++; return;
    case MT_DEC_MALFORMED: pl->st.malformed++; return;
    case MT_DEC_UNSUPPORTED_LINK: pl->st.unsupported_link++; return;
    }
    pk->ts = ts;
    if (((pl->st.packets & 63) == 0 && !pl->ext_ticks) ||
        mt_flowtable_count(pl->flows) == mt_flowtable_capacity(pl->flows))
        expire_idle(pl, ts);

    if (pk->ipproto == 17 && (pk->sport == 53 || pk->dport == 53)) {
        udp_dns(pl, pk);
        return;
    }
    int dir = 0;
    mt_flow *f = mt_flowtable_find(pl->flows, pk, &dir);
    if (!f) {
        int src_is_client, guessed = 0;
        if (pk->ipproto == 6) {
            uint8_t fl = pk->tcp_flags;
            if ((fl & MT_TCP_SYN) && !(fl & MT_TCP_ACK)) src_is_client = 1;
            else if ((fl & MT_TCP_SYN) && (fl & MT_TCP_ACK)) src_is_client = 0;
            else if (pk->payload_wire_len == 0 || (fl & MT_TCP_RST)) return; /* stray ACK/FIN/RST */
            else { src_is_client = guess_src_is_client(pl, pk); guessed = 1; }
        } else {
            src_is_client = !(pk->sport < 1024 && pk->dport >= 1024);
        }
        f = mt_flowtable_insert(pl->flows, pk, src_is_client);
        if (!f) {
            mt_flow *old = mt_flowtable_oldest(pl->flows);
            pl->st.flows_evicted_lru++;
            end_flow(pl, old, 1);
            f = mt_flowtable_insert(pl->flows, pk, src_is_client);
        }
        dir = src_is_client ? 0 : 1;
        f->first_ts = ts;
        f->id = src_is_client ? flow_id_of(&pk->src, &pk->dst, pk->sport, pk->dport, pk->ipproto, ts)
                              : flow_id_of(&pk->dst, &pk->src, pk->dport, pk->sport, pk->ipproto, ts);
        if (guessed) f->flags |= MT_FLOW_GUESSED;
        if (pk->ipproto == 6 && (pk->tcp_flags & MT_TCP_SYN)) f->flags |= MT_FLOW_SYN;
        pl->st.flows_created++;
        uint32_t n = mt_flowtable_count(pl->flows);
        if (n > pl->st.max_flows_in_use) pl->st.max_flows_in_use = n;
    } else {
        mt_flowtable_touch(pl->flows, f);
    }
    f->last_ts = ts > f->last_ts ? ts : f->last_ts;
    if (pl->ext_ticks) f->last_seq = pl->seq; /* scan -j only: another cache line */
    /* A TLS-only miner candidate past its first minute: judged now (the
     * rule looks at the first minute only), not when the session ends. */
    if (f->app == MT_APP_TLS &&
        (f->shape.flags & (MT_SHAPE_HELLO | MT_SHAPE_SNI | MT_SHAPE_ALPN | MT_SHAPE_MINUTE)) ==
            MT_SHAPE_HELLO &&
        ts - f->first_ts > MT_SHAPE_WINDOW_US) {
        f->shape.flags |= MT_SHAPE_MINUTE;
        mt_flow_stats fs;
        fill_stats(f, 0, &fs);
        mt_event ev = {0};
        ev.type = MT_EV_FLOW_MINUTE;
        ev.u.flow = &fs;
        emit(pl, f, dir, ts, &ev);
    }
    f->pkts[dir]++;
    f->bytes[dir] += pk->payload_wire_len;
    if (pk->payload_wire_len) {
        /* Shape of the conversation, for the behaviour detector: sizes,
         * silences, and who speaks after a silence (pool job pushes). */
        uint32_t l = pk->payload_wire_len;
        if (f->n_sizes < MT_FLOW_NSIZES)
            f->sizes[f->n_sizes++] = dir == 0 ? (int32_t)l : -(int32_t)l;
        mt_time_us gap = f->last_data_ts ? ts - f->last_data_ts : 0;
        f->data_pkts[dir]++;
        if (l > f->max_size[dir]) f->max_size[dir] = l;
        if (l <= 400) f->small_pkts[dir]++;
        if (f->last_data_ts && gap >= 1000000) {
            if (dir == 1) f->pushes_s2c++;
            else f->bursts_c2s++;
        }
        if (gap > f->max_gap) f->max_gap = gap;
        /* Only the rule's candidates pay: TLS flows whose hello had neither
         * SNI nor ALPN (the hello packet itself precedes the flag). */
        if (f->app == MT_APP_TLS && (f->shape.flags & (MT_SHAPE_HELLO | MT_SHAPE_SNI | MT_SHAPE_ALPN)) ==
                                        MT_SHAPE_HELLO)
            mt_flowshape_packet(&f->shape, dir, l, ts - f->first_ts, gap, f->last_data_ts != 0,
                                f->data_pkts[0]);
        f->last_data_ts = ts;
    }

    if (pk->ipproto != 6) return;
    if (pk->payload_len && (f->srv_port == 445 || f->srv_port == 139) && f->smb_pkts < 256) {
        f->smb_pkts++;
        mt_smb smb;
        if (mt_smb_inspect(pk->payload, pk->payload_len, dir == 0, &smb) == MT_OK) {
            mt_event ev = {0};
            ev.type = MT_EV_SMB;
            ev.u.smb = &smb;
            pl->st.smb_events++;
            f->app = MT_APP_SMB;
            emit(pl, f, dir, ts, &ev);
        }
    } else {
        tcp_segment(pl, f, dir, pk);
    }
    if (pk->tcp_flags & MT_TCP_RST) f->flags |= MT_FLOW_RST;
    if (pk->tcp_flags & MT_TCP_FIN) f->flags |= dir == 0 ? MT_FLOW_FIN_C : MT_FLOW_FIN_S;
    if ((f->flags & MT_FLOW_RST) || ((f->flags & MT_FLOW_FIN_C) && (f->flags & MT_FLOW_FIN_S)))
        end_flow(pl, f, 0);
}

void mt_pipeline_expire(mt_pipeline *pl, mt_time_us now) { expire_idle(pl, now); }

unsigned mt_pipeline_idle_head(mt_pipeline *pl, mt_time_us now, uint64_t seq[4], uint8_t idle[4])
{
    unsigned n = 0;
    for (mt_flow *f = mt_flowtable_oldest(pl->flows); f && n < 4; f = mt_flowtable_newer(pl->flows, f)) {
        mt_time_us lim = (mt_time_us)(f->ipproto == 6 ? pl->cfg.tcp_idle_s : pl->cfg.udp_idle_s) * 1000000;
        seq[n] = f->last_seq;
        idle[n] = now - f->last_ts > lim;
        n++;
    }
    return n;
}

void mt_pipeline_expire_oldest(mt_pipeline *pl, unsigned k)
{
    for (unsigned i = 0; i < k; i++) {
        mt_flow *f = mt_flowtable_oldest(pl->flows);
        if (!f) return;
        pl->st.flows_idle_expired++;
        end_flow(pl, f, 1);
    }
}

void mt_pipeline_finish(mt_pipeline *pl)
{
    mt_flow *f;
    mt_flowtable_drain_begin(pl->flows);
    while ((f = mt_flowtable_oldest(pl->flows)) != NULL) {
        /* The flows end in LRU order, scattered over the table: the next
         * one loads while this one's events go through the detectors. */
        const mt_flow *next = mt_flowtable_newer(pl->flows, f);
        if (next) mt_flow_prefetch(next);
        end_flow(pl, f, 0);
    }
    mt_flowtable_drain_end(pl->flows);
}

void mt_pipeline_add_stats(mt_pipeline *into, const mt_pipeline *from)
{
    const mt_pipeline_stats *b = &from->st;
    mt_pipeline_stats *a = &into->st;
#define ADD(x) a->x += b->x
    ADD(packets); ADD(bytes); ADD(decoded); ADD(not_ip); ADD(fragments); ADD(truncated);
    ADD(malformed); ADD(unsupported_link); ADD(flows_created); ADD(flows_ended);
    ADD(flows_idle_expired); ADD(flows_evicted_lru); ADD(tcp_gaps); ADD(tcp_retrans_bytes);
    ADD(dns_msgs); ADD(dns_errors); ADD(dns_truncated); ADD(smb_events); ADD(max_flows_in_use);
#undef ADD
    mt_stream_add_stats(into->stream, from->stream);
}

void mt_pipeline_print_stats(const mt_pipeline *pl, FILE *out)
{
    const mt_pipeline_stats *s = &pl->st;
    const mt_stream_stats *t = mt_stream_get_stats(pl->stream);
    fprintf(out,
            "packets %llu (%llu bytes): decoded %llu, not TCP/UDP %llu, fragments skipped %llu, "
            "truncated %llu, malformed %llu, unsupported link %llu\n"
            "flows %llu created, %llu ended (%llu idle-expired, %llu evicted at the cap of %u; peak %u)\n"
            "tcp gaps %llu, retransmitted bytes %llu\n"
            "messages: dns %llu (%llu malformed, %llu truncated), tls hello %llu, http %llu, json %llu, websocket %llu, smb %llu\n",
            (unsigned long long)s->packets, (unsigned long long)s->bytes,
            (unsigned long long)s->decoded, (unsigned long long)s->not_ip,
            (unsigned long long)s->fragments, (unsigned long long)s->truncated,
            (unsigned long long)s->malformed, (unsigned long long)s->unsupported_link,
            (unsigned long long)s->flows_created, (unsigned long long)s->flows_ended,
            (unsigned long long)s->flows_idle_expired, (unsigned long long)s->flows_evicted_lru,
            pl->cfg.max_flows, s->max_flows_in_use,
            (unsigned long long)s->tcp_gaps, (unsigned long long)s->tcp_retrans_bytes,
            (unsigned long long)(s->dns_msgs + t->msgs[MT_FR_DNS_TCP]),
            (unsigned long long)(s->dns_errors + t->malformed[MT_FR_DNS_TCP]),
            (unsigned long long)s->dns_truncated,
            (unsigned long long)t->events[MT_EV_TLS_HELLO],
            (unsigned long long)t->events[MT_EV_HTTP_REQUEST],
            (unsigned long long)t->events[MT_EV_JSON_MSG], (unsigned long long)t->events[MT_EV_WS_MSG],
            (unsigned long long)s->smb_events);
    mt_stream_print_stats(pl->stream, out);
}
