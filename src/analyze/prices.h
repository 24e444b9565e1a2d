/* Coin price series for the market analysis: a CSV of (date, price) rows,
 * daily or monthly, reduced to the mean price per calendar month (UTC
 * dates as written in the file).
 *
 * The header is detected (a first row whose date field is not a date is a
 * header); columns are picked by name or 1-based number, defaulting to a
 * column named "date" and one named "price" (else the first whose name
 * contains "price", e.g. Coin Metrics' PriceUSD, else "close"). Dates may be
 * "2017-11-09", "2015-01-01 00:00:00.000", "2018-01-30T00:00:00Z",
 * "2018/01/30" or "2018-01" (monthly). Empty, "null", "NaN", "NA", "-"
 * prices are skipped and counted as nulls; anything else unparsable is
 * counted as bad and named (line, reason). A date given twice keeps its
 * first row; the repeats are named in dup_dates, not averaged in. */
#ifndef MT_ANALYZE_PRICES_H
#define MT_ANALYZE_PRICES_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/csvread.h"

typedef struct mt_price_opts {
    const char *date_col;  /* name or 1-based number; NULL = auto */
    const char *price_col; /* name or 1-based number; NULL = auto */
} mt_price_opts;

typedef struct mt_price_series {
    char name[128];          /* label (file base name) */
    char date_col[64], price_col[64]; /* the columns used */
    int64_t *month;          /* year*12 + month-1, ascending */
    double *mean;            /* mean price of that month */
    uint32_t *days;          /* values averaged into that month */
    size_t nmonths;
    size_t rows, used, nulls, bad; /* data rows; used; null prices; bad rows */
    mt_csv_skips skipped;    /* the bad rows, named (line, reason) */
    mt_csv_skips dup_dates;  /* rows whose date an earlier row already gave:
                              * the first row of a date is used, not a mean */
    int has_header;
    char first_date[16], last_date[16];
} mt_price_series;

int mt_prices_parse(const char *data, size_t n, const mt_price_opts *o, mt_price_series *out);
int mt_prices_load(const char *path, const mt_price_opts *o, mt_price_series *out);
void mt_prices_free(mt_price_series *s);
/* Mean price of a month; returns 1 and sets *v when the month is present. */
int mt_prices_month(const mt_price_series *s, int64_t month, double *v);

/* Read a whole (regular) file into memory, at most max bytes. */
int mt_read_file(const char *path, size_t max, char **data, size_t *n);

#endif
