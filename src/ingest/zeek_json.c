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
static const char *scalar(js_doc *d, int t, size_t *len)
{
    switch (js_type(d, t)) {
    case JS_STRING: {
        const char *s = js_str(d, t);
        *len = strlen(s);
        return s;
    }
    case JS_NUMBER: return js_raw(d, t, len);
    case JS_TRUE: *len = 1; return "T";
    case JS_FALSE: *len = 1; return "F";
    default: return NULL;
    }
}

static const char *value_text(zeek_rec *r, js_doc *d, int v)
{
    size_t n;
    if (js_type(d, v) == JS_ARRAY) {
        char joined[4096];
        size_t o = 0;
        for (int el = js_first(d, v); el >= 0; el = js_next(d, v, el)) {
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
    if (js_type(d, v) == JS_STRING) return s; /* decoded, NUL-terminated in d */
    return scratch_put(r, s, n);
}

static const char *infer_path(js_doc *d, int obj)
{
    if (js_get(d, obj, "query") >= 0) return "dns";
    if (js_get(d, obj, "server_name") >= 0 || js_get(d, obj, "cipher") >= 0) return "ssl";
    if (js_get(d, obj, "method") >= 0 || js_get(d, obj, "uri") >= 0) return "http";
    if (js_get(d, obj, "conn_state") >= 0 || js_get(d, obj, "orig_pkts") >= 0) return "conn";
    if (js_get(d, obj, "note") >= 0) return "notice";
    return NULL;
}

int zeek_json_record(js_doc *d, int obj, const char *path_hint, const mt_ingest_out *out,
                     char *unk, size_t unk_cap)
{
    static zeek_rec rec;
    const char *path = js_gstr(d, obj, "_path");
    if (!path && path_hint && zeek_log_by_path(path_hint) != ZL_UNKNOWN) path = path_hint;
    if (!path) path = infer_path(d, obj);
    if (!path && path_hint && path_hint[0]) path = path_hint;
    zeek_log kind = zeek_log_by_path(path);
    if (kind == ZL_UNKNOWN) {
        snprintf(unk, unk_cap, "zeek:%.32s", path ? path : "unknown-log");
        return MT_ENOTFOUND;
    }
    memset(rec.v, 0, sizeof rec.v);
    rec.set_sep = ',';
    rec.used = 0;
    for (int k = js_first(d, obj); k >= 0; k = js_next(d, obj, k)) {
        int f = zeek_field_by_name(js_str(d, k));
        if (f >= 0) rec.v[f] = value_text(&rec, d, k + 1);
    }
    return zeek_emit(kind, &rec, out);
}
