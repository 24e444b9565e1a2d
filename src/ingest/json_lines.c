/* JSON lines of every kind minetrace reads, told apart per line by their
 * keys: an object with a "mining" object is a minetrace finding
 * (docs/FINDINGS.md), one with "event_type" is Suricata EVE, one with
 * "_path", "uid" or "id.orig_h" is Zeek JSON. Deciding per line lets one
 * file mix them (e.g. several tools' output concatenated). jansson parses
 * each line; the object lives only for that line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/eve.h"
#include "ingest/timeparse.h"
#include "ingest/ingest.h"
#include "ingest/zeek.h"

struct mt_json_reader {
    char path_hint[64];
    mt_ingest_format force; /* AUTO: decide per line */
    eve_state eve;
};

void mt_json_reader_force(mt_json_reader *jr, mt_ingest_format f) { jr->force = f; }

mt_json_reader *mt_json_reader_new(const char *path_hint)
{
    mt_json_reader *jr = mt_xcalloc(1, sizeof *jr);
    zeek_path_from_filename(path_hint, jr->path_hint, sizeof jr->path_hint);
    return jr;
}

void mt_json_reader_free(mt_json_reader *jr) { free(jr); }

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void copy_field(char *dst, size_t cap, json_t *o, const char *k)
{
    const char *s = jstr(o, k);
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

static uint16_t port_of(json_t *o, const char *k)
{
    json_int_t v = json_integer_value(json_object_get(o, k));
    return v > 0 && v <= 65535 ? (uint16_t)v : 0;
}

/* A minetrace finding line -> mt_finding, straight to the store. */
static int jsonl_finding(json_t *obj, json_t *m, const mt_ingest_out *out)
{
    mt_finding f;
    mt_finding_init(&f);
    const char *ts = jstr(obj, "timestamp");
    if (!ts || ingest_time_parse(ts, &f.ts) != MT_OK)
        return mt_error_set(MT_EINVAL, "finding without a valid timestamp");
    json_t *fid = json_object_get(obj, "flow_id");
    if (json_is_integer(fid)) f.flow_id = (uint64_t)json_integer_value(fid);
    else if (json_is_real(fid)) f.flow_id = (uint64_t)json_real_value(fid);
    const char *s = jstr(obj, "src_ip"), *d = jstr(obj, "dest_ip");
    if (s && *s && mt_addr_parse(s, &f.src) != MT_OK) return MT_EINVAL;
    if (d && *d && mt_addr_parse(d, &f.dst) != MT_OK) return MT_EINVAL;
    f.src_port = port_of(obj, "src_port");
    f.dst_port = port_of(obj, "dest_port");
    f.ipproto = proto_num(jstr(obj, "proto"));
    const char *et = jstr(obj, "event_type");
    f.event_type = et && strcmp(et, MT_EVENT_PRECURSOR) == 0 ? MT_EVENT_PRECURSOR : MT_EVENT_MINING;
    const char *kind = jstr(m, "kind");
    f.kind = kind ? (mt_finding_kind)mt_finding_kind_parse(kind) : 0;
    if (!f.kind) return mt_error_set(MT_EINVAL, "finding with unknown kind");
    copy_field(f.protocol, sizeof f.protocol, m, "protocol");
    copy_field(f.pool, sizeof f.pool, m, "pool");
    copy_field(f.wallet, sizeof f.wallet, m, "wallet");
    copy_field(f.worker, sizeof f.worker, m, "worker");
    copy_field(f.agent, sizeof f.agent, m, "agent");
    copy_field(f.algo, sizeof f.algo, m, "algo");
    copy_field(f.family, sizeof f.family, m, "family");
    copy_field(f.evidence, sizeof f.evidence, m, "evidence");
    copy_field(f.source, sizeof f.source, m, "source");
    if (!f.source[0]) mt_strlcpy(f.source, "jsonl", sizeof f.source);
    json_int_t c = json_integer_value(json_object_get(m, "confidence"));
    f.confidence = c < 0 ? 0 : c > 100 ? 100 : (int)c;
    if (!out->finding) return MT_OK;
    return out->finding(out->ctx, &f) < 0 ? MT_EIO : MT_OK;
}

int mt_json_reader_line(mt_json_reader *jr, const char *line, size_t len,
                        const mt_ingest_out *out, char *unk, size_t unk_cap,
                        mt_ingest_format *kind_out)
{
    json_error_t err;
    if (kind_out) *kind_out = MT_FMT_AUTO;
    json_t *obj = json_loadb(line, len, 0, &err);
    if (!obj) return mt_error_set(MT_EINVAL, "JSON: %s", err.text);
    int rc;
    if (!json_is_object(obj)) {
        rc = mt_error_set(MT_EINVAL, "JSON line is not an object");
    } else {
        json_t *m = json_object_get(obj, "mining");
        mt_ingest_format f = jr->force;
        if (f == MT_FMT_AUTO) {
            if (json_is_object(m) && json_object_get(obj, "event_type")) f = MT_FMT_JSONL;
            else if (json_object_get(obj, "event_type")) f = MT_FMT_EVE;
            else if (json_object_get(obj, "_path") || json_object_get(obj, "uid") ||
                     json_object_get(obj, "id.orig_h") || json_object_get(obj, "ts"))
                f = MT_FMT_ZEEK_JSON;
        }
        if (f == MT_FMT_JSONL && !json_is_object(m)) {
            rc = mt_error_set(MT_EINVAL, "finding line without a mining object");
        } else if (f == MT_FMT_JSONL) {
            if (kind_out) *kind_out = MT_FMT_JSONL;
            rc = jsonl_finding(obj, m, out);
        } else if (f == MT_FMT_EVE) {
            if (kind_out) *kind_out = MT_FMT_EVE;
            rc = eve_record(&jr->eve, obj, out, unk, unk_cap);
        } else if (f == MT_FMT_ZEEK_JSON) {
            if (kind_out) *kind_out = MT_FMT_ZEEK_JSON;
            rc = zeek_json_record(obj, jr->path_hint, out, unk, unk_cap);
        } else {
            snprintf(unk, unk_cap, "json:unrecognised-object");
            rc = MT_ENOTFOUND;
        }
    }
    json_decref(obj);
    return rc;
}
