/* Timestamps as logs write them, checked before mt_time_parse(): epoch
 * seconds with more than 11 integer digits (past year 5000, or 1e300 from a
 * hostile JSON number) are refused here rather than overflowing. */
#ifndef MT_INGEST_TIMEPARSE_H
#define MT_INGEST_TIMEPARSE_H

#include <ctype.h>

#include "minetrace/common.h"

static inline int ingest_time_parse(const char *s, mt_time_us *out)
{
    if (!s) return MT_EINVAL;
    const char *p = s;
    while (*p == ' ' || *p == '"') p++;
    size_t digits = 0;
    while (isdigit((unsigned char)p[digits])) digits++;
    if (digits > 11)
        return mt_error_set(MT_EINVAL, "timestamp out of range '%.40s'", s);
    return mt_time_parse(s, out);
}

#endif
