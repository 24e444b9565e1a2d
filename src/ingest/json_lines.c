/* JSON lines of every kind minetrace reads, told apart per line by their
 * keys: an object with a "mining" object is a minetrace finding
 * (docs/FINDINGS.md), one with "event_type" is Suricata EVE, one with
 * "_path", "uid" or "id.orig_h" is Zeek JSON. Deciding per line lets one
 * file mix them (e.g. several tools' output concatenated). Each line is
 * read by the JSON reader (util/json.h) into the tokens and scratch area
 * kept here, so nothing is allocated per line (the scratch area only grows
 * when a longer line than any before arrives); they live until the next
 * line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/eve.h"
#include "ingest/timeparse.h"
#include "ingest/ingest.h"
#include "ingest/zeek.h"

/* Values per line: past this a line is refused (counted malformed). */
#define JSONL_TOKENS 4096

struct mt_json_reader {
    char path_hint[64];
    mt_ingest_format force; /* AUTO: decide per line */
    eve_state eve;
    zeek_rec zeek;
    zeek_json_keys zeek_keys;
    mt_jr_doc doc;
    char *scratch; /* decoded strings of the current line */
    size_t scratch_cap;
    mt_jr_tok tok[JSONL_TOKENS];
};

void mt_json_reader_force(mt_json_reader *jr, mt_ingest_format f) { jr->force = f; }

mt_json_reader *mt_json_reader_new(const char *path_hint)
{
    mt_json_reader *jr = mt_xcalloc(1, sizeof *jr);
    zeek_path_from_filename(path_hint, jr->path_hint, sizeof jr->path_hint);
    jr->scratch_cap = 1u << 16;
    jr->scratch = mt_xmalloc(jr->scratch_cap);
    return jr;
}

void mt_json_reader_free(mt_json_reader *jr)
{
    if (!jr) return;
    free(jr->scratch);
    free(jr);
}

static void copy_field(mt_jr_doc *doc, char *dst, size_t cap, int o, const char *k)
{
    const char *s = mt_jr_gstr(doc, o, k);
    mt_strlcpy(dst, s ? s : "", cap);
}

static uint8_t proto_num(const char *p)
{
    if (!p) return 0;
    if (strcmp(p, "TCP") == 0) return 6;
    if (strcmp(p, "UDP") == 0) return 17;
    if (strcmp(p, "ICMP") == 0) return 1;
    if (strcmp(p, "IPv6-ICMP") == 0) return 58;
    return 0;
}

static uint16_t port_of(const mt_jr_doc *doc, int o, const char *k)
{
    uint64_t v = mt_jr_gu64(doc, o, k);
    return v <= 65535 ? (uint16_t)v : 0;
}

/* A minetrace finding line -> mt_finding, straight to the store. */
static int jsonl_finding(mt_jr_doc *doc, int obj, int m, const mt_ingest_out *out)
{
    mt_finding f;
    mt_finding_init(&f);
    const char *ts = mt_jr_gstr(doc, obj, "timestamp");
    if (!ts || ingest_time_parse(ts, &f.ts) != MT_OK)
        return mt_error_set(MT_EINVAL, "finding without a valid timestamp");
    f.flow_id = mt_jr_gu64(doc, obj, "flow_id");
    const char *s = mt_jr_gstr(doc, obj, "src_ip"), *d = mt_jr_gstr(doc, obj, "dest_ip");
    if (s && *s && mt_addr_parse(s, &f.src) != MT_OK) return MT_EINVAL;
    if (d && *d && mt_addr_parse(d, &f.dst) != MT_OK) return MT_EINVAL;
    f.src_port = port_of(doc, obj, "src_port");
    f.dst_port = port_of(doc, obj, "dest_port");
    f.ipproto = proto_num(mt_jr_gstr(doc, obj, "proto"));
    const char *et = mt_jr_gstr(doc, obj, "event_type");
    f.event_type = et && strcmp(et, MT_EVENT_PRECURSOR) == 0 ? MT_EVENT_PRECURSOR : MT_EVENT_MINING;
    const char *kind = mt_jr_gstr(doc, m, "kind");
    f.kind = kind ? (mt_finding_kind)mt_finding_kind_parse(kind) : 0;
    if (!f.kind) return mt_error_set(MT_EINVAL, "finding with unknown kind");
    copy_field(doc, f.protocol, sizeof f.protocol, m, "protocol");
    copy_field(doc, f.pool, sizeof f.pool, m, "pool");
    copy_field(doc, f.wallet, sizeof f.wallet, m, "wallet");
    copy_field(doc, f.worker, sizeof f.worker, m, "worker");
    copy_field(doc, f.agent, sizeof f.agent, m, "agent");
    copy_field(doc, f.algo, sizeof f.algo, m, "algo");
    copy_field(doc, f.family, sizeof f.family, m, "family");
    copy_field(doc, f.evidence, sizeof f.evidence, m, "evidence");
    copy_field(doc, f.source, sizeof f.source, m, "source");
    if (!f.source[0]) mt_strlcpy(f.source, "jsonl", sizeof f.source);
    int64_t c = 0;
    mt_jr_i64(doc, mt_jr_get(doc, m, "confidence"), &c);
    f.confidence = c < 0 ? 0 : c > 100 ? 100 : (int)c;
    if (!out->finding) return MT_OK;
    return out->finding(out->ctx, &f) < 0 ? MT_EIO : MT_OK;
}

/* A `minetrace web` finding line (docs/FINDINGS.md) -> mt_web_finding. */
static int jsonl_web_finding(mt_jr_doc *doc, int obj, int w, const mt_ingest_out *out)
{
    mt_web_finding f;
    mt_web_finding_init(&f);
    const char *ts = mt_jr_gstr(doc, obj, "timestamp");
    if (!ts || ingest_time_parse(ts, &f.ts) != MT_OK)
        return mt_error_set(MT_EINVAL, "web finding without a valid timestamp");
    copy_field(doc, f.domain, sizeof f.domain, w, "domain");
    copy_field(doc, f.url, sizeof f.url, w, "url");
    copy_field(doc, f.resource, sizeof f.resource, w, "resource");
    copy_field(doc, f.category, sizeof f.category, w, "category");
    copy_field(doc, f.provider, sizeof f.provider, w, "provider");
    if (!f.provider[0]) mt_strlcpy(f.provider, MT_WEB_PROVIDER_UNKNOWN, sizeof f.provider);
    copy_field(doc, f.site_key, sizeof f.site_key, w, "site_key");
    copy_field(doc, f.kind, sizeof f.kind, w, "kind");
    copy_field(doc, f.evidence, sizeof f.evidence, w, "evidence");
    if (!f.domain[0] || !f.kind[0]) return mt_error_set(MT_EINVAL, "web finding without domain or kind");
    uint64_t rank = mt_jr_gu64(doc, w, "rank");
    f.rank = rank <= UINT32_MAX ? (uint32_t)rank : 0;
    int64_t c = 0;
    mt_jr_i64(doc, mt_jr_get(doc, w, "confidence"), &c);
    f.confidence = c < 0 ? 0 : c > 100 ? 100 : (int)c;
    if (!out->web_finding) return MT_OK;
    return out->web_finding(out->ctx, &f) < 0 ? MT_EIO : MT_OK;
}

int mt_json_reader_line(mt_json_reader *jr, const char *line, size_t len,
                        const mt_ingest_out *out, char *unk, size_t unk_cap,
                        mt_ingest_format *kind_out)
{
    if (kind_out) *kind_out = MT_FMT_AUTO;
    mt_jr_doc *doc = &jr->doc;
    if (len + 1 > jr->scratch_cap) {
        size_t cap = jr->scratch_cap;
        while (cap < len + 1) cap *= 2;
        free(jr->scratch);
        jr->scratch = mt_xmalloc(cap);
        jr->scratch_cap = cap;
    }
    mt_jr_init(doc, jr->tok, JSONL_TOKENS, jr->scratch, jr->scratch_cap);
    if (mt_jr_parse(doc, line, len, 0, 0) != MT_OK) {
        char why[96];
        return mt_error_set(MT_EINVAL, "JSON: %s", mt_jr_strerror(doc, why, sizeof why));
    }
    if (!mt_jr_is(doc, 0, MT_JR_OBJECT)) return mt_error_set(MT_EINVAL, "JSON line is not an object");
    int m = mt_jr_get(doc, 0, "mining");
    int w = mt_jr_get(doc, 0, "web");
    int has_et = mt_jr_get(doc, 0, "event_type") >= 0;
    mt_ingest_format f = jr->force;
    if (f == MT_FMT_AUTO) {
        if ((mt_jr_is(doc, m, MT_JR_OBJECT) || mt_jr_is(doc, w, MT_JR_OBJECT)) && has_et) f = MT_FMT_JSONL;
        else if (has_et) f = MT_FMT_EVE;
        else if (mt_jr_get(doc, 0, "_path") >= 0 || mt_jr_get(doc, 0, "uid") >= 0 ||
                 mt_jr_get(doc, 0, "id.orig_h") >= 0 || mt_jr_get(doc, 0, "ts") >= 0)
            f = MT_FMT_ZEEK_JSON;
    }
    if (kind_out) *kind_out = f;
    switch (f) {
    case MT_FMT_JSONL:
        if (mt_jr_is(doc, w, MT_JR_OBJECT) && !mt_jr_is(doc, m, MT_JR_OBJECT)) {
            if (!out->web_finding) {
                snprintf(unk, unk_cap, "jsonl:web");
                return MT_ENOTFOUND;
            }
            return jsonl_web_finding(doc, 0, w, out);
        }
        if (!mt_jr_is(doc, m, MT_JR_OBJECT))
            return mt_error_set(MT_EINVAL, "finding line without a mining object");
        return jsonl_finding(doc, 0, m, out);
    case MT_FMT_EVE: return eve_record(&jr->eve, doc, 0, out, unk, unk_cap);
    case MT_FMT_ZEEK_JSON: return zeek_json_record(doc, 0, &jr->zeek, &jr->zeek_keys, jr->path_hint, out, unk,
                                unk_cap);
    default:
        snprintf(unk, unk_cap, "json:unrecognised-object");
        return MT_ENOTFOUND;
    }
}
