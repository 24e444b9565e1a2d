/* The SQLite findings store (schema and its reasons: docs/STORE.md).
 * WAL journal, batched transactions, idempotent inserts (a finding's uid is
 * a hash of its identifying fields, UNIQUE in the table). */
#ifndef MT_STORE_SQLITE_STORE_H
#define MT_STORE_SQLITE_STORE_H

#include "minetrace/engine.h"

typedef struct mt_store mt_store;

/* Open or create the database and its schema. NULL on failure
 * (mt_error_msg() says why). */
mt_store *mt_store_open(const char *path);
void mt_store_close(mt_store *s); /* commits the open batch */
/* Insert one finding; returns 1 if new, 0 if already stored, <0 on error.
 * Inserts are batched; mt_store_commit() ends the batch. */
int mt_store_insert(mt_store *s, const mt_finding *f);
int mt_store_commit(mt_store *s);
/* The identifying hash used as uid (stable across runs and versions). */
uint64_t mt_finding_uid(const mt_finding *f);
struct sqlite3 *mt_store_db(mt_store *s);
/* Findings inserted as new / ignored as already stored since open. */
void mt_store_counts(const mt_store *s, uint64_t *n_new, uint64_t *n_dup);

/* A sink that inserts into an open store; the sink does not own the store
 * unless `own` is set. */
mt_sink *mt_sink_sqlite_new(mt_store *s, int own);

#endif
