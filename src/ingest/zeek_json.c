/* Zeek JSON logs (LogAscii::use_json, json-streaming-logs, or converted by
 * other tools): one object per line with the TSV column names as keys.
 * Values are turned into the strings the TSV form would hold (numbers as
 * written, booleans T/F, arrays joined with ','), so zeek_map.c serves both.
 * The log type comes from "_path", else from the file name, else from the
 * keys present. Unset fields are absent or null. */
#include "ingest/zeek.h"

#include <stdio.h>
#include <string.h>

static const char *scratch_put(zeek_rec *r, const char *s, size_t n)
{
    if (r->used >= sizeof r->scratch - 1) return "";
    if (r->used + n + 1 > sizeof r->scratch) n = sizeof r->scratch - r->used - 1;
    char *d = r->scratch + r->used;
    memcpy(d, s, n);
    d[n] = '\0';
    r->used += n + 1;
    return d;
}

/* A scalar as text; NULL for null, objects and arrays. */
static const char *scalar(mt_jr_doc *d, int t, size_t *len)
{
    switch (mt_jr_type_of(d, t)) {
    case MT_JR_STRING: {
        const char *s = mt_jr_str(d, t);
        if (!s) return NULL;
        *len = strlen(s);
        return s;
    }
    case MT_JR_NUMBER: return mt_jr_raw(d, t, len);
    case MT_JR_TRUE: *len = 1; return "T";
    case MT_JR_FALSE: *len = 1; return "F";
    default: return NULL;
    }
}

static const char *value_text(zeek_rec *r, mt_jr_doc *d, int v)
{
    size_t n;
    if (mt_jr_is(d, v, MT_JR_ARRAY)) {
        char joined[4096];
        size_t o = 0;
        for (int el = mt_jr_first(d, v); el >= 0; el = mt_jr_next(d, v, el)) {
            const char *s = scalar(d, el, &n);
            if (!s) continue;
            if (o + n + 2 > sizeof joined) break;
            if (o) joined[o++] = ',';
            memcpy(joined + o, s, n);
            o += n;
        }
        return o ? scratch_put(r, joined, o) : NULL;
    }
    const char *s = scalar(d, v, &n);
    if (!s) return NULL;
    if (mt_jr_is(d, v, MT_JR_STRING)) return s; /* decoded, NUL-terminated in d's scratch */
    return scratch_put(r, s, n);
}

static const char *infer_path(mt_jr_doc *d, int obj)
{
    if (mt_jr_get(d, obj, "query") >= 0) return "dns";
    if (mt_jr_get(d, obj, "server_name") >= 0 || mt_jr_get(d, obj, "cipher") >= 0) return "ssl";
    if (mt_jr_get(d, obj, "method") >= 0 || mt_jr_get(d, obj, "uri") >= 0) return "http";
    if (mt_jr_get(d, obj, "conn_state") >= 0 || mt_jr_get(d, obj, "orig_pkts") >= 0) return "conn";
    if (mt_jr_get(d, obj, "note") >= 0) return "notice";
    return NULL;
}

/* Column of key token k, the pos-th member. */
static int key_field(const mt_jr_doc *d, int k, size_t pos, zeek_json_keys *keys)
{
    size_t n;
    const char *raw = mt_jr_raw(d, k, &n);
    int cacheable = pos < ZEEK_KEY_SLOTS && !d->tok[k].esc && n < sizeof keys->slot[0].name;
    if (cacheable && keys->slot[pos].len1 == n + 1 && memcmp(keys->slot[pos].name, raw, n) == 0)
        return keys->slot[pos].f;
    /* column names are short: a longer key, cut here, matches none */
    char name[64];
    mt_jr_copy(d, k, name, sizeof name);
    int f = zeek_field_by_name(name);
    if (cacheable) {
        memcpy(keys->slot[pos].name, raw, n);
        keys->slot[pos].len1 = (uint8_t)(n + 1);
        keys->slot[pos].f = (int8_t)f;
    }
    return f;
}

int zeek_json_record(mt_jr_doc *d, int obj, zeek_rec *r, zeek_json_keys *keys,
                     const char *path_hint, const mt_ingest_out *out, char *unk,
                     size_t unk_cap)
{
    const char *path = mt_jr_gstr(d, obj, "_path");
    if (!path && path_hint && zeek_log_by_path(path_hint) != ZL_UNKNOWN) path = path_hint;
    if (!path) path = infer_path(d, obj);
    if (!path && path_hint && path_hint[0]) path = path_hint;
    zeek_log kind = zeek_log_by_path(path);
    if (kind == ZL_UNKNOWN) {
        snprintf(unk, unk_cap, "zeek:%.32s", path ? path : "unknown-log");
        return MT_ENOTFOUND;
    }
    memset(r->v, 0, sizeof r->v);
    r->set_sep = ',';
    r->used = 0;
    size_t pos = 0;
    for (int k = mt_jr_first(d, obj); k >= 0; k = mt_jr_next(d, obj, k), pos++) {
        int f = key_field(d, k, pos, keys);
        if (f >= 0) r->v[f] = value_text(r, d, k + 1);
    }
    return zeek_emit(kind, r, out);
}
