/* One reader per honeypot/auth-log format, registered in one table in
 * honey.c (after Suricata's app-layer registration): a content probe, and
 * either a per-line parser (streamed through util/linereader) or a
 * whole-document parser. Readers keep per-input state in their own struct
 * (begin/end) and allocate nothing per line. */
#ifndef MT_INGEST_HONEY_READER_H
#define MT_INGEST_HONEY_READER_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/honey_opts.h"
#include "ingest/ingest.h"
#include "minetrace/botnet.h"
#include "util/json.h"

typedef struct mt_honey_reader {
    const char *name;      /* "cowrie", "login-csv", "attack-pattern", "authlog", "daily-top" */
    /* How sure (0..100) the reader is that an input starting with `head`
     * (up to the first 64 KiB, whole lines where possible) is its format. */
    int (*probe)(const char *head, size_t n);
    /* Per-input state; NULL on failure (mt_error_set). */
    void *(*begin)(const char *path, const mt_honey_opts *o);
    /* Line readers: one line without its newline. MT_OK (used), MT_EINVAL
     * (malformed: counted with its line number) or MT_ENOTFOUND (a
     * well-formed record of a kind not read: counted by name in unk). */
    int (*line)(void *state, const char *line, size_t n, const mt_honey_sink *to,
                char *unk, size_t unk_cap);
    /* Document readers (line == NULL): the whole input at once; counts
     * into st. MT_OK or MT_EINVAL (st->error says where). */
    int (*document)(void *state, const char *buf, size_t n, const mt_honey_sink *to,
                    mt_ingest_stats *st);
    void (*end)(void *state);
} mt_honey_reader;

/* ---- what readers share (honey.c) ---------------------------------------- */

/* A fresh event of `type`: count 1, duration unknown, everything else
 * empty. */
void mt_honey_event_init(mt_honey_event *ev, mt_honey_type type);
/* An ISO 8601 time stamp (date, time with seconds, optional fraction and
 * Z or offset; no zone = UTC) or a date alone, of exactly n bytes (not
 * NUL-terminated). Impossible fields (hour 24, minute 60, 30 February)
 * are refused. MT_OK or MT_EINVAL (no message: the caller counts). The
 * lexers of ingest/honey_lex.h beneath. */
int mt_honey_time(const char *s, size_t n, mt_time_us *out);
/* An IPv4/IPv6 address of n bytes (an IPv6 zone dropped). MT_OK or
 * MT_EINVAL. */
int mt_honey_addr(const char *s, size_t n, mt_addr *out);

/* Line numbers of offsets in a document, asked in increasing order (as a
 * reader walks it): each question counts only the newlines since the last. */
typedef struct mt_honey_lines {
    const char *buf;
    size_t pos;
    uint64_t line; /* line of buf[pos], from 1 */
} mt_honey_lines;
void mt_honey_lines_init(mt_honey_lines *l, const char *buf);
uint64_t mt_honey_line_at(mt_honey_lines *l, size_t off);

/* A record's kind as the name unknown records are counted by: p[0..n)
 * into unk, bytes outside printable ASCII as '?'. */
void mt_honey_name(char *unk, size_t cap, const char *p, size_t n);
/* Cowrie's download fields into ev: `url` (a local path when it starts
 * with '/': what a shell redirection wrote, such as .ssh/authorized_keys
 * or /dev/null, then it is the path and there is no URL), the SHA-256
 * from `outfile`'s name (dl/<sha>, var/lib/cowrie/downloads/<sha>) when
 * ev has none, `dest` as the path. */
void mt_honey_download(mt_honey_event *ev, mt_span url, mt_span outfile, mt_span dest);
/* A bounded search for needle in p[0..n). */
int mt_honey_has(const char *p, size_t n, const char *needle);

/* ---- JSON values as event fields (the JSON readers: Cowrie, attack
 * pattern, daily top) ---- */

/* Where the escaped strings of one record are decoded; reset per record.
 * cap >= the record's text length is always enough. */
typedef struct mt_honey_arena {
    char *p;
    size_t cap, used;
} mt_honey_arena;

/* A text value as a span: the text's own bytes, or decoded into the arena
 * when escaped ("\u0000" kept as NUL); numbers as written. 1 set, 0 absent
 * or null, -1 any other type. */
int mt_honey_jtext(const mt_jr_doc *d, int t, mt_honey_arena *a, mt_span *out);
/* An unsigned integer up to max: an integer, a float without fraction
 * (2222.0) or a string of digits. 1 set, 0 absent or null, -1 otherwise
 * (out of range included). */
int mt_honey_juint(const mt_jr_doc *d, int t, uint64_t max, uint64_t *out);
/* true / false (or 0 / 1). 1 set, 0 absent or null, -1 otherwise. */
int mt_honey_jbool(const mt_jr_doc *d, int t, int *out);

/* The members a reader wants from an object, found in one walk (names
 * matched by length, then bytes; the first of a duplicated key wins). */
#define MT_HONEY_MAX_KEY 31
typedef struct mt_honey_fields {
    const char *const *names;
    unsigned n;
    uint8_t by_len[MT_HONEY_MAX_KEY + 1][12];
    uint8_t n_by_len[MT_HONEY_MAX_KEY + 1];
} mt_honey_fields;
void mt_honey_fields_init(mt_honey_fields *f, const char *const *names, unsigned n);
/* out[i] = token of the value of names[i], or -1. */
void mt_honey_fields_find(const mt_honey_fields *f, const mt_jr_doc *d, int obj, int *out);

/* A whole document for a document reader: parsed at once with tokens
 * sized from its text (an upper bound counted from its brackets, commas
 * and colons), an arena as large as the text, line numbers for offsets.
 * A text cut short keeps its complete values (MT_JR_PARTIAL). */
typedef struct mt_honey_jdoc {
    mt_jr_doc d;
    mt_honey_arena arena;
    mt_honey_lines lines;
    int parse_rc; /* MT_OK, or why the text stopped early */
} mt_honey_jdoc;
/* MT_OK when the top value is of type `top` (its complete part at least),
 * else MT_EINVAL with st->error naming the file and line ("not a <what>");
 * either way mt_honey_jdoc_end follows. */
int mt_honey_jdoc_parse(mt_honey_jdoc *j, const char *path, const char *buf, size_t n,
                        mt_jr_type top, const char *what, mt_ingest_stats *st);
/* Frees; when the parse stopped early, st->error says where and the
 * return is MT_ETRUNC or MT_EINVAL, else MT_OK. */
int mt_honey_jdoc_end(mt_honey_jdoc *j, const char *path, mt_ingest_stats *st);

extern const mt_honey_reader mt_honey_reader_cowrie;
extern const mt_honey_reader mt_honey_reader_login_csv;
extern const mt_honey_reader mt_honey_reader_attack_pattern;
extern const mt_honey_reader mt_honey_reader_authlog;
extern const mt_honey_reader mt_honey_reader_daily_top;

#endif
