/* Zeek logs, format-neutral: a record is the set of columns minetrace uses,
 * each a C string or NULL when unset. The TSV reader (zeek_tsv.c) and the
 * JSON reader (zeek_json.c) fill the same zeek_rec, and zeek_map.c turns it
 * into events, so dns.log from TSV and from JSON take one path. */
#ifndef MT_INGEST_ZEEK_H
#define MT_INGEST_ZEEK_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest_out.h"
#include "util/json.h"

typedef enum zeek_field {
    ZF_TS, ZF_UID, ZF_ORIG_H, ZF_ORIG_P, ZF_RESP_H, ZF_RESP_P, ZF_PROTO,
    ZF_TRANS_ID, ZF_QUERY, ZF_QTYPE, ZF_RCODE, ZF_ANSWERS, ZF_TTLS,
    ZF_VERSION, ZF_SERVER_NAME, ZF_JA3, ZF_NEXT_PROTOCOL,
    ZF_METHOD, ZF_HOST, ZF_URI, ZF_USER_AGENT, ZF_REQ_BODY_LEN,
    ZF_SERVICE, ZF_DURATION, ZF_ORIG_BYTES, ZF_RESP_BYTES, ZF_ORIG_PKTS,
    ZF_RESP_PKTS, ZF_HISTORY,
    ZF_NOTE, ZF_MSG, ZF_SRC, ZF_DST, ZF_P,
    ZF_COUNT
} zeek_field;

typedef enum zeek_log {
    ZL_UNKNOWN = 0, ZL_CONN, ZL_DNS, ZL_SSL, ZL_HTTP, ZL_NOTICE
} zeek_log;

#define ZEEK_SCRATCH 8192

typedef struct zeek_rec {
    const char *v[ZF_COUNT]; /* NULL = unset / absent */
    char set_sep;            /* separator inside set/vector values */
    char scratch[ZEEK_SCRATCH];
    size_t used;
} zeek_rec;

/* Column name ("id.orig_h") -> field, or -1 when minetrace does not use it. */
int zeek_field_by_name(const char *name);
/* Log path ("conn", "dns", ...) -> kind. */
zeek_log zeek_log_by_path(const char *path);
/* The path implied by a file name: "conn.10:00:00-11:00:00.log.gz" -> conn,
 * "dns.json.gz" -> dns, "ssl.log.labeled" -> ssl. Writes "" if none. */
void zeek_path_from_filename(const char *file, char *out, size_t cap);

/* Events for one record: MT_OK, or MT_EINVAL (malformed: bad time or
 * address). */
int zeek_emit(zeek_log kind, zeek_rec *r, const mt_ingest_out *out);

/* ---- TSV -------------------------------------------------------------- */
typedef struct zeek_tsv zeek_tsv;
zeek_tsv *zeek_tsv_new(const char *path_hint);
void zeek_tsv_free(zeek_tsv *t);
/* One line (writable, NUL-terminated). Returns MT_OK for a record turned
 * into events, 1 for a header/comment line (not a record), MT_EINVAL for a
 * malformed record, MT_ENOTFOUND for a record of a log type minetrace does
 * not read (its name in `unk`). */
int zeek_tsv_line(zeek_tsv *t, char *line, size_t len, const mt_ingest_out *out,
                  char *unk, size_t unk_cap);
const char *zeek_tsv_path(const zeek_tsv *t);

/* ---- JSON ------------------------------------------------------------- */
/* The lines of one Zeek JSON log repeat their keys in one order, so the
 * column of the key seen at each position is remembered: a key equal to the
 * one before it at its position costs one memcmp instead of a search. */
#define ZEEK_KEY_SLOTS 48
typedef struct zeek_json_keys {
    struct {
        uint8_t len1; /* key length + 1; 0 = empty slot */
        int8_t f;     /* zeek_field, or -1 */
        char name[30];
    } slot[ZEEK_KEY_SLOTS];
} zeek_json_keys;

/* One parsed JSON object from a Zeek JSON log, its columns gathered in
 * the caller's `r` (the strings point into d's scratch area and r); `keys`
 * is the caller's key cache (zeroed before the first record); `path_hint`
 * from the file name is used when the record has no "_path". Same returns
 * as above. */
int zeek_json_record(mt_jr_doc *d, int obj, zeek_rec *r, zeek_json_keys *keys,
                     const char *path_hint, const mt_ingest_out *out, char *unk,
                     size_t unk_cap);

#endif
