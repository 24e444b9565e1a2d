/* The version-5 migration's promise (docs/STORE.md): of the old findings,
 * exactly the earliest of each identity (then the smallest evidence text,
 * then the lowest id) stays, with its columns unchanged and the identity
 * (mt_finding_identity_cols) as its uid. Checked against a copy of the
 * database taken before the migration. */
#ifndef MT_TEST_V5_CHECK_H
#define MT_TEST_V5_CHECK_H

#include <sqlite3.h>
#include <stdlib.h>

#include "minetrace/finding.h"

#define V5_COL(st, i) ((const char *)sqlite3_column_text(st, i))

/* Returns the number of rows kept. */
static long long v5_check_rows(const char *old_db, const char *new_db)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(new_db, &db), SQLITE_OK);
    char att[600];
    snprintf(att, sizeof att, "ATTACH '%s' AS o", old_db);
    assert_int_equal(sqlite3_exec(db, att, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st, *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, day, src_ip, dest_ip, dest_port, event_type, kind, protocol,"
                                        " pool, wallet, agent, evidence FROM o.findings ORDER BY ts, evidence, pool, agent, worker,"
                                        " wallet, algo, family, flow_id, src_port, confidence, source, id",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM main.findings m JOIN o.findings f USING(id)"
                                        " WHERE m.id = ?1 AND m.uid = ?2 AND m.ts = f.ts AND m.day = f.day"
                                        " AND m.flow_id IS f.flow_id AND m.src_ip IS f.src_ip"
                                        " AND m.dest_ip IS f.dest_ip AND m.src_port IS f.src_port"
                                        " AND m.dest_port IS f.dest_port AND m.kind IS f.kind"
                                        " AND m.protocol IS f.protocol AND m.pool IS f.pool"
                                        " AND m.wallet IS f.wallet AND m.agent IS f.agent"
                                        " AND m.family IS f.family AND m.confidence IS f.confidence"
                                        " AND m.evidence IS f.evidence AND m.source IS f.source",
                                        -1, &q, NULL), SQLITE_OK);
    uint64_t *seen = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t u = mt_finding_identity_cols(sqlite3_column_int64(st, 1), V5_COL(st, 2), V5_COL(st, 3),
                                              sqlite3_column_int(st, 4), V5_COL(st, 5), V5_COL(st, 6),
                                              V5_COL(st, 7), V5_COL(st, 8), V5_COL(st, 9), V5_COL(st, 10),
                                              V5_COL(st, 11));
        size_t i = 0;
        while (i < n && seen[i] != u) i++;
        if (i < n) continue; /* a later sighting of a kept identity */
        if (n == cap) seen = realloc(seen, (cap = cap ? 2 * cap : 64) * sizeof *seen);
        seen[n++] = u;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_int64(q, 2, (sqlite3_int64)u);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 1);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM main.findings", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long kept = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(seen);
    assert_int_equal(kept, (long long)n);
    return kept;
}

#undef V5_COL
#endif
