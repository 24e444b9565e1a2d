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
    size_t line;       /* 1-based line the record last read starts on */
    size_t next_line;  /* line the reader is on */
} mt_csvr;

/* Skipped rows, named: the first MT_CSV_SKIP_SHOW with their line and
 * reason, and a count of all. Reasons never hold the row's own text, so
 * printing them needs no escaping. */
#define MT_CSV_SKIP_SHOW 5
typedef struct mt_csv_skips {
    size_t n;
    unsigned shown;
    struct { size_t line; char why[64]; } first[MT_CSV_SKIP_SHOW];
} mt_csv_skips;
void mt_csv_skip(mt_csv_skips *s, size_t line, const char *why);
/* "line 4: no date; line 9: bad price; and 3 more" (cap >= 1). */
void mt_csv_skips_str(const mt_csv_skips *s, char *buf, size_t cap);

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
