/* Zeek JSON logs (LogAscii::use_json, json-streaming-logs, or converted by
 * other tools): one object per line with the TSV column names as keys.
 * Values are turned into the strings the TSV form would hold (numbers
 * printed, booleans T/F, arrays joined with ','), so zeek_map.c serves both.
 * The log type comes from "_path", else from the file name, else from the
 * keys present. Unset fields are absent or null. */
#include "ingest/zeek.h"

#include <stdio.h>
#include <string.h>

static const char *scratch_put(zeek_rec *r, const char *s, size_t n)
{
    if (r->used + n + 1 > sizeof r->scratch) n = sizeof r->scratch - r->used - 1;
    if (r->used >= sizeof r->scratch - 1) return "";
    char *d = r->scratch + r->used;
    memcpy(d, s, n);
    d[n] = '\0';
    r->used += n + 1;
    return d;
}

/* A scalar as text into buf; NULL for null or unsupported types. */
static const char *scalar(json_t *v, char *buf, size_t cap)
{
    switch (json_typeof(v)) {
    case JSON_STRING: return json_string_value(v);
    case JSON_INTEGER:
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    case JSON_REAL:
        snprintf(buf, cap, "%.6f", json_real_value(v));
        return buf;
    case JSON_TRUE: return "T";
    case JSON_FALSE: return "F";
    default: return NULL;
    }
}

static const char *value_text(zeek_rec *r, json_t *v)
{
    char num[64];
    if (json_is_array(v)) {
        char joined[4096];
        size_t n = 0;
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) {
            const char *s = scalar(el, num, sizeof num);
            if (!s) continue;
            size_t sl = strlen(s);
            if (n + sl + 2 > sizeof joined) break;
            if (n) joined[n++] = ',';
            memcpy(joined + n, s, sl);
            n += sl;
        }
        return n ? scratch_put(r, joined, n) : NULL;
    }
    const char *s = scalar(v, num, sizeof num);
    if (!s) return NULL;
    if (s == num) return scratch_put(r, s, strlen(s));
    return s; /* jansson's own string, valid while the object lives */
}

static const char *infer_path(json_t *obj)
{
    if (json_object_get(obj, "query")) return "dns";
    if (json_object_get(obj, "server_name") || json_object_get(obj, "cipher")) return "ssl";
    if (json_object_get(obj, "method") || json_object_get(obj, "uri")) return "http";
    if (json_object_get(obj, "conn_state") || json_object_get(obj, "orig_pkts")) return "conn";
    if (json_object_get(obj, "note")) return "notice";
    return NULL;
}

int zeek_json_record(json_t *obj, const char *path_hint, const mt_ingest_out *out,
                     char *unk, size_t unk_cap)
{
    static zeek_rec rec;
    const char *path = json_string_value(json_object_get(obj, "_path"));
    if (!path && path_hint && zeek_log_by_path(path_hint) != ZL_UNKNOWN) path = path_hint;
    if (!path) path = infer_path(obj);
    if (!path && path_hint && path_hint[0]) path = path_hint;
    zeek_log kind = zeek_log_by_path(path);
    if (kind == ZL_UNKNOWN) {
        snprintf(unk, unk_cap, "zeek:%s", path ? path : "unknown-log");
        return MT_ENOTFOUND;
    }
    memset(rec.v, 0, sizeof rec.v);
    rec.set_sep = ',';
    rec.used = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int f = zeek_field_by_name(key);
        if (f >= 0) rec.v[f] = value_text(&rec, v);
    }
    return zeek_emit(kind, &rec, out);
}
