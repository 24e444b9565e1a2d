/* One reader per honeypot/auth-log format, registered in one table in
 * honey.c (after Suricata's app-layer registration): a content probe, and
 * either a per-line parser (streamed through util/linereader) or a
 * whole-document parser. Readers keep per-input state in their own struct
 * (begin/end) and allocate nothing per line. */
#ifndef MT_INGEST_HONEY_READER_H
#define MT_INGEST_HONEY_READER_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/honey.h"

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

extern const mt_honey_reader mt_honey_reader_cowrie;
extern const mt_honey_reader mt_honey_reader_login_csv;
extern const mt_honey_reader mt_honey_reader_attack_pattern;
extern const mt_honey_reader mt_honey_reader_authlog;
extern const mt_honey_reader mt_honey_reader_daily_top;

#endif
