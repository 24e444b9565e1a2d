/* The PostgreSQL backend of the store (include/minetrace/store.h; schema,
 * partitions and how each aggregate is computed: docs/STORE.md,
 * "PostgreSQL"). Private to src/store/: everyone else opens a store with
 * mt_store_open("postgresql://..."). */
#ifndef MT_STORE_PG_STORE_H
#define MT_STORE_PG_STORE_H

#include <libpq-fe.h>

#include "minetrace/store.h"
#include "util/buf.h"

/* The newest schema version this program writes (table mt_schema). */
#define MT_PG_SCHEMA_VERSION 1

/* Rows sent per COPY (and, outside an explicit transaction, per commit). */
#define MT_PG_BATCH 10000

/* Months (year * 12 + month - 1) whose partitions are known to exist. */
#define MT_PG_MAX_KNOWN 512

/* The summary's independent queries run at once on this many extra
 * connections (one server process each) within one snapshot. */
#define MT_PG_AUX 4

typedef struct mt_pg_stage {
    mt_buf copy;              /* COPY text of the rows held back */
    size_t rows;
    int32_t months[64];       /* months the held rows need partitions for (not yet known) */
    size_t nmonths;
} mt_pg_stage;

typedef struct mt_pg_store {
    mt_store base;
    PGconn *conn;
    unsigned flags;           /* MT_STORE_* it was opened with */
    char *sensor;
    int txn;                  /* 0 none, 1 implicit batch, 2 explicit */
    int open;                 /* BEGIN has been sent for txn */
    int broken;               /* a statement of the open transaction failed: only rollback helps */
    unsigned batch;           /* rows in the implicit batch */
    uint64_t pend_new, pend_dup;
    int staged;               /* the temporary staging tables exist */
    mt_pg_stage f, w;         /* findings, web findings */
    int32_t known[2][MT_PG_MAX_KNOWN]; /* partitions known to exist: [0] findings, [1] web_findings */
    size_t nknown[2];
    mt_buf sql, tmp;          /* reused statement text and parameter scratch */
    char *uri;                /* for the report's extra connections (never printed: may hold a password) */
    PGconn *aux[MT_PG_AUX];   /* extra connections of the summary's concurrent queries */
    int naux;
    int aux_failed;           /* they could not be opened: the summary runs on one connection */
} mt_pg_store;

mt_store *mt_pg_store_open(const char *uri, const mt_store_opts *o);

/* pg_store.c: statements. Each sets the error (libpq's message with what
 * was being done) and returns MT_EIO on failure. */
int mt_pg_fail(mt_pg_store *s, const char *what, const PGresult *r);
int mt_pg_exec(mt_pg_store *s, const char *sql, const char *what);
/* A statement with text parameters; *out gets the result (PQclear it)
 * when out is not NULL. */
int mt_pg_params(mt_pg_store *s, const char *sql, int n, const char *const *v, const char *what, PGresult **out);
/* Inside the transaction the row belongs to (BEGIN sent when needed). */
int mt_pg_row_begin(mt_pg_store *s);
/* MT_EIO with the message once the server connection is gone. */
int mt_pg_lost(mt_pg_store *s);
/* The extra connections (up to MT_PG_AUX; opened once, with the settings
 * of the first): how many there are, 0 when they cannot be had. */
int mt_pg_aux(mt_pg_store *s);
int mt_pg_row_end(mt_pg_store *s);
/* Before sending held-back rows: their partitions, then BEGIN. */
int mt_pg_txn_for_flush(mt_pg_store *s);
/* A text[] literal of names (for sensor = ANY($n)). */
void mt_pg_text_array(mt_buf *b, const char *const *v, size_t n);
uint64_t mt_pg_u64(const PGresult *r, int row, int col);
int64_t mt_pg_i64(const PGresult *r, int row, int col);
char *mt_pg_dup(const PGresult *r, int row, int col);
/* Bytes as PostgreSQL takes them: valid UTF-8 kept, an invalid byte as
 * U+FFFD (a server database is UTF-8; the uid is of the raw bytes). */
void mt_pg_put_utf8(mt_buf *b, const char *p, size_t n, int copy_escape);

/* pg_schema.c */
int mt_pg_schema_open(mt_pg_store *s, const char *where, int *ver);
/* The partitions for the months of the rows held back (table 0 findings,
 * 1 web_findings); inside or outside the transaction. */
int mt_pg_partitions(mt_pg_store *s, int table, const int32_t *months, size_t n);
int32_t mt_pg_month_of_day(int64_t day);

/* pg_write.c */
int mt_pg_put(mt_store *s, const mt_finding *f, size_t n);
int mt_pg_put_web(mt_store *s, const mt_web_finding *f, size_t n);
int mt_pg_put_ingest_log(mt_store *s, const mt_store_ingest_row *row);
int mt_pg_flush(mt_pg_store *s); /* send the rows held back */
void mt_pg_stage_free(mt_pg_stage *st);

/* pg_query.c */
int mt_pg_prepare(mt_store *s, unsigned want, const char **plan);
int mt_pg_time_range(mt_store *s, const mt_store_sensors *sensors, mt_time_us *first, mt_time_us *last);
int mt_pg_summary(mt_store *s, const mt_store_query *q, mt_store_summary *out);
int mt_pg_top(mt_store *s, const mt_store_query *q, mt_store_top *out);
int mt_pg_indicators(mt_store *s, const mt_store_indicator_query *q, mt_store_indicators *out);

/* pg_web.c */
int mt_pg_web_present(mt_store *s);
int mt_pg_web_summary(mt_store *s, const mt_store_web_query *q, mt_store_web_summary *out);

/* pg_botnet.c */
int mt_pg_put_campaign(mt_store *s, const mt_campaign *c);
int mt_pg_put_botsource(mt_store *s, const mt_botsource *src);
int mt_pg_put_credstat(mt_store *s, const mt_credstat *c);
int mt_pg_botnet_present(mt_store *s);
int mt_pg_botnet_summary(mt_store *s, const mt_store_botnet_query *q, mt_store_botnet_summary *out);

#endif
