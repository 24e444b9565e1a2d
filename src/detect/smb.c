/* Detector 'smb': EternalBlue / DoublePulsar precursors (WannaMine's
 * spreading vector) from the SMB1 patterns src/proto/smb.c recognises.
 *
 * Findings are "precursor" events, never "mining": src = the ATTACKER (the
 * side that sends the SMB requests), dst = the VICTIM (the SMB server). The
 * engine remembers dst as a precursor victim, so that host's later mining
 * findings are attributed to WannaMine. Orientation comes from the SMB reply
 * flag and the segment's direction, not from the flow's guessed roles.
 *
 * One finding per (flow, pattern). A DoublePulsar ping is reported only once
 * the victim answered it (with the implant's MID+16 answer or a plain
 * STATUS_NOT_IMPLEMENTED): an unanswered ping in a cut capture is only a
 * scan attempt and says nothing about the target. Per-flow memory lives in
 * a small fixed table (no allocation per packet); a collision evicts the
 * older flow (counted), and FLOW_END / flush drop entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/confidence.h"
#include "detect/detectors.h"
#include "detect/smb.h"
#include "util/hashmap.h"

#define SMB_SLOTS 1024u
#define SMB_PROBE 8u

/* The value of a flow's slot; the key is its flow_id (never 0). */
typedef struct smb_flow {
    uint32_t emitted;  /* bit per mt_smb_sig already reported */
    uint8_t ping_pending;
    uint8_t ping_swapped; /* attacker was the flow's srv side */
    uint16_t ping_mid;
    mt_time_us ping_ts;
    char ping_detail[128];
} smb_flow;

typedef struct smb_state {
    mt_hmap flows; /* fixed: SMB_SLOTS slots, SMB_PROBE window */
} smb_state;

static uint64_t flow_hash(const void *key)
{
    return mt_hash_bytes(key, sizeof(uint64_t), 0x5eed);
}

static int init(mt_engine *e, void **state)
{
    (void)e;
    smb_state *st = mt_xcalloc(1, sizeof *st);
    mt_hmap_cfg cfg = {.key_size = sizeof(uint64_t),
                       .val_size = sizeof(smb_flow),
                       .capacity = SMB_SLOTS,
                       .fixed = 1,
                       .window = SMB_PROBE,
                       .hash = flow_hash};
    mt_hmap_init(&st->flows, &cfg);
    *state = st;
    return MT_OK;
}

static void free_state(void *state)
{
    smb_state *st = state;
    if (!st) return;
    mt_hmap_free(&st->flows);
    free(st);
}

uint64_t mt_detect_smb_evicted(const void *state)
{
    return mt_hmap_evicted(&((const smb_state *)state)->flows);
}

/* Unknown flows (flow_id 0) share one pseudo-id, keeping the empty key out. */
static uint64_t flow_key(uint64_t flow_id) { return flow_id ? flow_id : 1; }

/* The flow's memory, created (zeroed) when absent; a full window gives its
 * home slot to the new flow. */
static smb_flow *flow_get(smb_state *st, uint64_t flow_id)
{
    uint64_t key = flow_key(flow_id);
    uint64_t h = flow_hash(&key);
    int added;
    size_t i = mt_hmap_put(&st->flows, &key, h, &added);
    if (i == MT_HMAP_NONE)
        i = mt_hmap_evict(&st->flows, mt_hmap_window_slot(&st->flows, h, 0), &key);
    return mt_hmap_val(&st->flows, i);
}

static void flow_drop(smb_state *st, uint64_t flow_id)
{
    uint64_t key = flow_key(flow_id);
    size_t i = mt_hmap_find(&st->flows, &key, flow_hash(&key));
    if (i != MT_HMAP_NONE) mt_hmap_remove(&st->flows, i);
}

static const char *sig_name(mt_smb_sig s)
{
    switch (s) {
    case MT_SMB_ETERNALBLUE_PROBE: return "EternalBlue probe (MS17-010 check)";
    case MT_SMB_ETERNALBLUE_VULN_REPLY: return "MS17-010 vulnerable reply";
    case MT_SMB_ETERNALBLUE_EXPLOIT: return "EternalBlue exploit traffic";
    case MT_SMB_DOUBLEPULSAR_PING: return "DoublePulsar ping answered by the target";
    case MT_SMB_DOUBLEPULSAR_RESPONSE: return "DoublePulsar implant answered";
    case MT_SMB_DOUBLEPULSAR_NO_IMPLANT: return "DoublePulsar ping, no implant";
    }
    return "SMB1 exploit pattern";
}

static int sig_confidence(mt_smb_sig s)
{
    switch (s) {
    case MT_SMB_ETERNALBLUE_PROBE: return MT_CONF_WEAK;
    case MT_SMB_ETERNALBLUE_VULN_REPLY: return MT_CONF_WORK;
    case MT_SMB_ETERNALBLUE_EXPLOIT: return MT_CONF_STRONG;
    case MT_SMB_DOUBLEPULSAR_PING: return MT_CONF_PROBABLE;
    case MT_SMB_DOUBLEPULSAR_RESPONSE: return MT_CONF_CONFIRMED;
    case MT_SMB_DOUBLEPULSAR_NO_IMPLANT: return 0; /* not reported */
    }
    return MT_CONF_WEAK;
}

static void emit(mt_engine *e, const mt_event *ev, int swapped, mt_smb_sig sig,
                 const char *detail, mt_time_us ts)
{
    mt_finding f;
    mt_finding_from_event(&f, ev, MT_KIND_SMB);
    if (swapped) {
        f.src = ev->srv;
        f.dst = ev->cli;
        f.src_port = ev->srv_port;
        f.dst_port = ev->cli_port;
    }
    if (ts) f.ts = ts;
    f.event_type = MT_EVENT_PRECURSOR;
    f.confidence = sig_confidence(sig);
    mt_strlcpy(f.protocol, "smb1", sizeof f.protocol);
    mt_strlcpy(f.family, "wannamine", sizeof f.family);
    snprintf(f.evidence, sizeof f.evidence, "%s: %s", sig_name(sig), detail);
    mt_engine_emit(e, &f);
}

static void on_smb(mt_engine *e, smb_state *st, const mt_event *ev)
{
    const mt_smb *m = ev->u.smb;
    if (!m || m->sig < MT_SMB_ETERNALBLUE_PROBE || m->sig > MT_SMB_DOUBLEPULSAR_NO_IMPLANT)
        return;
    /* The sender of a request is the attacker; the sender of a reply the
     * victim. swapped = the attacker is the flow's srv side. */
    int from_cli = (ev->flags & MT_EVF_TO_SERVER) != 0;
    int sender_is_attacker = !m->is_reply;
    int swapped = from_cli ? !sender_is_attacker : sender_is_attacker;
    if (ev->source != MT_SRC_PCAP && ev->source != MT_SRC_LIVE) swapped = 0;

    smb_flow *s = flow_get(st, ev->flow_id);
    uint32_t bit = 1u << m->sig;
    switch (m->sig) {
    case MT_SMB_DOUBLEPULSAR_PING:
        if (!s->ping_pending && !(s->emitted & bit)) {
            s->ping_pending = 1;
            s->ping_swapped = (uint8_t)swapped;
            s->ping_mid = m->mid;
            s->ping_ts = ev->ts;
            mt_strlcpy(s->ping_detail, m->detail, sizeof s->ping_detail);
        }
        return;
    case MT_SMB_DOUBLEPULSAR_NO_IMPLANT:
    case MT_SMB_DOUBLEPULSAR_RESPONSE: {
        uint32_t pbit = 1u << MT_SMB_DOUBLEPULSAR_PING;
        int answers_ping = s->ping_pending &&
                           (m->mid == s->ping_mid || m->mid == (uint16_t)(s->ping_mid + 16));
        if (answers_ping && !(s->emitted & pbit)) {
            char d[200];
            snprintf(d, sizeof d, "%s; answered with MID %u", s->ping_detail, (unsigned)m->mid);
            emit(e, ev, s->ping_swapped, MT_SMB_DOUBLEPULSAR_PING, d, s->ping_ts);
            s->emitted |= pbit;
        }
        if (answers_ping) s->ping_pending = 0;
        if (m->sig == MT_SMB_DOUBLEPULSAR_NO_IMPLANT) return;
        break;
    }
    default:
        break;
    }
    if (s->emitted & bit) return;
    s->emitted |= bit;
    emit(e, ev, swapped, m->sig, m->detail, 0);
}

static void on_event(mt_engine *e, void *state, const mt_event *ev)
{
    smb_state *st = state;
    if (ev->type == MT_EV_SMB) {
        on_smb(e, st, ev);
    } else if (ev->type == MT_EV_FLOW_END && mt_flow_may_have(ev->u.flow, MT_EV_SMB)) {
        flow_drop(st, ev->flow_id);
    }
}

static void flush(mt_engine *e, void *state)
{
    (void)e;
    smb_state *st = state;
    mt_hmap_clear(&st->flows);
}

const mt_detector mt_detector_smb = {"smb", init, on_event, flush, free_state,
                                     MT_EV_BIT(MT_EV_SMB) | MT_EV_BIT(MT_EV_FLOW_END)};
