/* EVE-style JSON records (schema: docs/FINDINGS.md): one header writer for
 * what every record has (timestamp, flow_id, src/dest ip and port, proto,
 * event_type), and one body writer per record type, which writes the
 * object under its key ("mining":{...}, "web":{...}; campaign records
 * next). A new record type adds only its body writer.
 *
 * Each record is written with one buffer reservation for its worst case
 * and plain stores after it: a capture can yield tens of thousands of
 * findings, and per-call buffer upkeep, not bytes, was the cost of writing
 * them. Every text value goes through the JSON escaper. */
#ifndef MT_STORE_EVE_JSON_H
#define MT_STORE_EVE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"
#include "util/buf.h"

typedef struct mt_eve_header {
    mt_time_us ts;
    uint64_t flow_id;
    /* NULL src: a record without a flow (web): only timestamp and
     * event_type are written, flow_id to proto are left out. */
    const mt_addr *src, *dst;
    uint16_t src_port, dst_port;
    uint8_t ipproto;
    const char *event_type;
} mt_eve_header;

typedef struct mt_eve_body {
    const char *key;                          /* "mining" */
    size_t (*room)(const void *rec);          /* worst-case bytes `write` may store */
    char *(*write)(char *o, const void *rec); /* the object, "{...}"; returns the end */
} mt_eve_body;

/* Append one record (no newline): header, then "key": and the body. */
void mt_eve_write(mt_buf *b, const mt_eve_header *h, const mt_eve_body *body, const void *rec);

const char *mt_ipproto_str(uint8_t p);

/* For body writers. */
#define MT_EVE_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)
/* Worst case of mt_eve_str for n bytes of text. */
#define MT_EVE_STR_ROOM(n) (6 * (n) + 10)
/* A JSON string of s[0..n); `readable` bytes of s's array may be read
 * (the escaper reads ahead in whole words). */
char *mt_eve_str(char *o, const char *s, size_t n, size_t readable);
char *mt_eve_int(char *o, long long v);

#endif
