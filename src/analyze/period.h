/* Calendar arithmetic for the report: time zones, periods (day, ISO week,
 * month) and the --from/--to dates.
 *
 * A time zone is either a fixed offset (+HH:MM) or an IANA name. IANA names
 * go through the TZ environment variable and localtime_r/mktime; the UTC
 * offset is cached per 15-minute UTC slot (every real zone changes offset
 * on a quarter hour), so a scan of millions of time-ordered rows calls
 * localtime_r only when the slot changes. Days, weeks and months are counted
 * on the local calendar with our own civil-date arithmetic. */
#ifndef MT_ANALYZE_PERIOD_H
#define MT_ANALYZE_PERIOD_H

#include <stdint.h>

#include "minetrace/common.h"

typedef enum mt_period_unit { MT_BY_DAY = 0, MT_BY_WEEK, MT_BY_MONTH } mt_period_unit;

typedef struct mt_tz {
    int iana;            /* 0: fixed offset; 1: IANA name via TZ */
    int32_t offset_s;    /* fixed offset east of UTC */
    char name[64];       /* as given ("UTC", "+05:30", "Europe/Berlin") */
    int64_t cache_slot;  /* 15-minute UTC slot of the cached offset */
    int32_t cache_off;
} mt_tz;

/* Parse "UTC", "Z", "+HH:MM", "-HHMM", "+HH" or an IANA zone name (checked
 * against the zoneinfo directory). An IANA name sets TZ for this process. */
int mt_tz_parse(const char *s, mt_tz *tz);
/* Local seconds (UTC seconds + the zone's offset at that instant). */
int64_t mt_tz_local(mt_tz *tz, int64_t utc_s);
/* UTC seconds of a local wall-clock time (y, month 1-12, day, h, m, s). */
int64_t mt_tz_to_utc(mt_tz *tz, int y, int mon, int d, int hh, int mm, int ss);

/* Proleptic Gregorian helpers (days since 1970-01-01). */
/* mt_days_from_civil / mt_civil_from_days: include/minetrace/common.h */
static inline int64_t mt_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Period key of a local day number: the day itself, the index of its ISO
 * week (Monday-based), or year*12 + month-1. Keys of consecutive periods
 * are consecutive integers. */
int64_t mt_period_key(mt_period_unit u, int64_t local_day);
/* First local day of the period with this key. */
int64_t mt_period_first_day(mt_period_unit u, int64_t key);
/* "2018-01-30", "2018-W05" (ISO year and week), "2018-01". */
void mt_period_label(mt_period_unit u, int64_t key, char *buf, size_t cap);
const char *mt_period_unit_str(mt_period_unit u);
int mt_period_unit_parse(const char *s, mt_period_unit *u);

/* --from/--to: "YYYY", "YYYY-MM", "YYYY-MM-DD" or "YYYY-MM-DD[T ]HH:MM[:SS]",
 * read as local time in tz. For `is_end`, a date without a time means the
 * end of that whole year/month/day (exclusive bound); a time is the exclusive
 * end instant itself. Result in microseconds UTC. */
int mt_date_bound_parse(const char *s, mt_tz *tz, int is_end, mt_time_us *out);

#endif
