/* A small RFC 4180 CSV record reader over a memory buffer, for the two
 * report inputs (asset inventory, price series). Quoted fields may hold
 * commas, doubled quotes and newlines; CRLF and LF both end a record; a
 * UTF-8 BOM at the start is skipped. Every step is bounded by the buffer
 * end and the caller's field buffer, so hostile files only produce counted
 * skips. */
#ifndef MT_ANALYZE_CSVREAD_H
#define MT_ANALYZE_CSVREAD_H

#include <stddef.h>

typedef struct mt_csvr {
    const char *p, *end;
    size_t record;     /* 1-based number of the record last read */
} mt_csvr;

void mt_csvr_init(mt_csvr *r, const char *data, size_t n);
/* Read the next record: fields are NUL-terminated copies inside buf (cap
 * bytes), at most maxf of them (extra fields are dropped). Returns the
 * number of fields (>= 1), 0 at end of input, or -1 when the record did not
 * fit in buf or had more than maxf fields (it is consumed either way).
 * Blank lines are skipped. */
int mt_csvr_next(mt_csvr *r, char *buf, size_t cap, char **fields, int maxf);
/* Trim ASCII spaces and tabs in place; returns s. */
char *mt_csv_trim(char *s);

#endif
