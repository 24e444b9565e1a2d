/* One query's rows from either backend, for the summaries both compute
 * with the same SQL (botnet_summary.c): the backend runs the statement with
 * the summary's parameters bound and hands out its columns; the dialect's
 * pieces (placeholders, the sensor condition) come with it. */
#ifndef MT_STORE_ROWS_H
#define MT_STORE_ROWS_H

#include <stdint.h>

typedef struct mt_rowsrc {
    void *ctx;
    /* Run `sql` with the parameters bound: MT_OK and a handle for the
     * calls below, or an error (recorded with mt_error_set). */
    int (*open)(void *ctx, const char *sql, void **rows);
    int (*next)(void *rows);           /* 1 a row, 0 the end, MT_EIO (recorded) */
    char *(*dup)(void *rows, int col); /* the column as a new string ("" for NULL) */
    int64_t (*i64)(void *rows, int col);
    void (*close)(void *rows);
    /* The range [from, to) and the sensors: `rc` of campaigns (alias c),
     * `rt` of the table queried; `from` and `to` the range's placeholders. */
    const char *rc, *rt, *from, *to;
} mt_rowsrc;

#endif
