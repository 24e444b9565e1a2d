/* What the login-attempt CSV reader (login_csv.c, reader "login-csv")
 * knows beyond the common counters: rows whose user/password split is a
 * guess (more than one comma between the HASSH and the status; the user
 * is taken up to the first of them). */
#ifndef MT_INGEST_LOGIN_CSV_H
#define MT_INGEST_LOGIN_CSV_H

#include <stdint.h>

/* `state` is what mt_honey_reader_login_csv.begin returned. */
uint64_t mt_login_csv_ambiguous(const void *state);

#endif
