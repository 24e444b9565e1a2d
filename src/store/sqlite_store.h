/* The SQLite backend of the store (include/minetrace/store.h; schema,
 * versions and migrations: docs/STORE.md). Private to src/store/: everyone
 * else opens a store with mt_store_open(). */
#ifndef MT_STORE_SQLITE_STORE_H
#define MT_STORE_SQLITE_STORE_H

#include <sqlite3.h>

#include "minetrace/store.h"

/* The newest schema version this program writes (PRAGMA user_version). */
#define MT_SQLITE_SCHEMA_VERSION 6

typedef struct mt_sqlite_store {
    mt_store base;
    sqlite3 *db;
    sqlite3_stmt *ins;
    sqlite3_stmt *upd;     /* an earlier sighting of a stored identity replaces the row (version 5) */
    sqlite3_stmt *ins_web; /* web_findings (version 3) */
    int has_web;           /* the database has web_findings (an older one read-only may not) */
    int has_sensor;        /* findings has the sensor column (version 1 read-only has not) */
    unsigned flags;        /* MT_STORE_* it was opened with */
    char *sensor;
    int txn;               /* 0 none, 1 implicit batch, 2 explicit */
    unsigned batch;        /* rows in the implicit batch */
    uint64_t pend_new, pend_dup; /* of the open transaction: counted at commit, dropped at rollback */
    int scan_index, top_index; /* the analysis indexes: 2 with the sensor, 1 version 5's, 0 none */
    struct mt_sqlite_botnet *botnet; /* the botnet tables' statements (sqlite_botnet.c), made on first use */
} mt_sqlite_store;

mt_store *mt_sqlite_store_open(const char *path, const mt_store_opts *o);

/* sqlite_query.c: the analyses' aggregates. */
int mt_sqlite_prepare(mt_store *s, unsigned want, const char **plan);
int mt_sqlite_time_range(mt_store *s, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last);
int mt_sqlite_summary(mt_store *s, const mt_store_query *q, mt_store_summary *out);
int mt_sqlite_top(mt_store *s, const mt_store_query *q, mt_store_top *out);
int mt_sqlite_indicators(mt_store *s, const mt_store_indicator_query *q, mt_store_indicators *out);
/* sqlite_web.c: the website study's aggregates. */
int mt_sqlite_web_present(mt_store *s);
int mt_sqlite_web_summary(mt_store *s, const mt_store_web_query *q, mt_store_web_summary *out);

/* sqlite_botnet.c: the botnet study's tables (version 4), writes and aggregates. */
int mt_sqlite_schema_v4(sqlite3 *db);
int mt_sqlite_put_campaign(mt_store *s, const mt_campaign *c);
int mt_sqlite_put_botsource(mt_store *s, const mt_botsource *src);
int mt_sqlite_put_credstat(mt_store *s, const mt_credstat *c);
int mt_sqlite_botnet_present(mt_store *s);
int mt_sqlite_botnet_summary(mt_store *s, const mt_store_botnet_query *q, mt_store_botnet_summary *out);
void mt_sqlite_botnet_free(mt_sqlite_store *s);

int mt_sqlite_fail(sqlite3 *db, const char *what); /* sets the error, returns MT_EIO */

/* The sensors selection ("S", docs/STORE.md) in the statements that are
 * not built per query: true when parameter ?9 is NULL (every sensor), else
 * the row's sensor is one of the JSON array bound to it. */
#define MT_SQLITE_SEL_PARAM 9
#define MT_SQLITE_SEL(col) "(?9 IS NULL OR " col " IN (SELECT value FROM json_each(?9)))"
/* The selection as a JSON array of strings; NULL when it selects all. */
char *mt_sqlite_sensors_json(const mt_store_sensors *sel);
/* Bind it to `param` (NULL for every sensor) when the statement has it. */
int mt_sqlite_bind_sensors(sqlite3_stmt *st, int param, const mt_store_sensors *sel);
/* Prepare `sql` and bind what it has of the range [?1, ?2), an integer ?3
 * and the sensors (?9): the summaries' queries. NULL with the error set
 * (naming `what`). */
sqlite3_stmt *mt_sqlite_prepare_range(sqlite3 *db, const char *sql, int64_t from, int64_t to, int p3,
                                      const mt_store_sensors *sel, const char *what);
/* Column i as a new string ("" for NULL). */
char *mt_sqlite_col_dup(sqlite3_stmt *st, int i);
/* Around each written row: open the implicit batch when no transaction is
 * open; commit it when it is full. */
int mt_sqlite_row_begin(mt_sqlite_store *s);
int mt_sqlite_row_end(mt_sqlite_store *s);

#endif
