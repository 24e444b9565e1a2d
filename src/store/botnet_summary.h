/* The botnet summary (mt_store_botnet_summary_get) as one set of SQL that
 * both backends run through their mt_rowsrc. */
#ifndef MT_STORE_BOTNET_SUMMARY_H
#define MT_STORE_BOTNET_SUMMARY_H

#include "minetrace/store.h"
#include "store/rows.h"

/* Fills `out` (zeroed by the caller); MT_OK or MT_EIO with the error
 * recorded. What was filled before an error is the caller's to free. */
int mt_botnet_summary_run(const mt_rowsrc *src, const mt_store_botnet_query *q,
                          mt_store_botnet_summary *out);

#endif
