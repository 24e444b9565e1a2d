/* minetrace ingest: logs other tools wrote (Suricata EVE JSON, Zeek TSV and
 * JSON) and minetrace's own JSONL findings.
 *
 * Each input is streamed line by line (gzip or plain); its format is
 * detected per file (Zeek TSV by its '#' header, JSON lines per line by
 * their keys). Log records become mt_event values, JSONL findings stay
 * mt_finding values; both go to the consumer the caller gives
 * (mt_ingest_out: in minetrace, the detection engine and the store, wired
 * by store/ingest_store.h). What cannot be used is counted and named,
 * never fatal. */
#ifndef MT_INGEST_INGEST_H
#define MT_INGEST_INGEST_H

#include <stdint.h>
#include <stdio.h>

#include "ingest/ingest_out.h"

typedef enum mt_ingest_format {
    MT_FMT_AUTO = 0,
    MT_FMT_EVE,
    MT_FMT_ZEEK_TSV,
    MT_FMT_ZEEK_JSON,
    MT_FMT_JSONL
} mt_ingest_format;
const char *mt_ingest_format_str(mt_ingest_format f);
int mt_ingest_format_parse(const char *s); /* -1 when unknown */

typedef struct mt_ingest_opts {
    mt_ingest_format format; /* AUTO: detect per file */
    int progress;            /* 1: progress lines on `progress_out` */
    FILE *progress_out;      /* default stderr */
    size_t max_line;         /* 0 = default (1 MiB) */
} mt_ingest_opts;

#define MT_INGEST_MAX_LINENOS 8
#define MT_INGEST_MAX_NAMES 12

typedef struct mt_ingest_stats {
    char format[24];          /* what was detected: eve, zeek-tsv, ... ("mixed") */
    uint64_t records;         /* data lines (headers and blank lines excluded) */
    uint64_t used;            /* records turned into events or findings */
    uint64_t events;
    uint64_t malformed;       /* unparsable lines (too long ones included) */
    uint64_t too_long;
    uint64_t unknown;         /* well-formed records of types not read */
    /* Filled by the consumer's wiring (store/ingest_store.h), which knows
     * what a mining alert is and what the store already had: */
    uint64_t alerts_mining, alerts_other; /* IDS alerts: coin-mining or not */
    uint64_t findings_new, findings_dup;
    uint64_t bytes;           /* decompressed bytes read */
    double seconds;
    uint64_t malformed_lines[MT_INGEST_MAX_LINENOS];
    char malformed_why[MT_INGEST_MAX_LINENOS][64]; /* why each was skipped ("" unknown) */
    unsigned n_malformed_lines;
    struct { char name[40]; uint64_t n; } unknown_names[MT_INGEST_MAX_NAMES];
    unsigned n_unknown_names;
    uint64_t unknown_unnamed;
    int read_error;           /* MT_E* when the input failed part-way or at open */
    char error[256];
} mt_ingest_stats;

typedef struct mt_ingest mt_ingest;

/* The counting and progress every reader driver shares (this one and the
 * honeypot driver, ingest/honey.h): a malformed record with its line
 * number (the first MT_INGEST_MAX_LINENOS kept), a well-formed record of
 * a kind not read, by name; and the progress line ("\r" while running,
 * "\n" when final) from what the reader consumed so far. */
void mt_ingest_note_malformed(mt_ingest_stats *st, uint64_t lineno);
/* The same with the reason (printable ASCII kept, the rest '?': reasons
 * can quote the input). */
void mt_ingest_note_malformed_why(mt_ingest_stats *st, uint64_t lineno, const char *why);
void mt_ingest_note_unknown(mt_ingest_stats *st, const char *name);
void mt_ingest_progress(FILE *out, const char *path, const mt_ingest_stats *st, uint64_t bytes,
                        uint64_t raw_pos, uint64_t raw_size, double elapsed, int final);
double mt_ingest_now(void); /* monotonic seconds */

/* Events and JSONL findings go to `to` (copied; its ctx is borrowed). */
mt_ingest *mt_ingest_new(const mt_ingest_out *to, const mt_ingest_opts *o);
void mt_ingest_free(mt_ingest *ig);
/* Read one input ("-" = stdin). Returns MT_OK, or the MT_E* code of an
 * input that could not be read (st->error says why); what was delivered
 * before a failure stays delivered. */
int mt_ingest_file(mt_ingest *ig, const char *path, mt_ingest_stats *st);

/* ---- building blocks (also used by tests and fuzzers) ------------------ */
/* One JSON line of any supported kind (EVE, Zeek JSON, minetrace JSONL).
 * Returns MT_OK, MT_EINVAL (malformed), MT_ENOTFOUND (unknown type; name in
 * unk). `kind_out` (may be NULL) gets the format the line was taken as. */
typedef struct mt_json_reader mt_json_reader;
mt_json_reader *mt_json_reader_new(const char *path_hint);
void mt_json_reader_free(mt_json_reader *jr);
/* Take every line as format `f` instead of deciding per line. */
void mt_json_reader_force(mt_json_reader *jr, mt_ingest_format f);
int mt_json_reader_line(mt_json_reader *jr, const char *line, size_t len,
                        const mt_ingest_out *out, char *unk, size_t unk_cap,
                        mt_ingest_format *kind_out);

#endif
