/* Time zones, periods and date bounds for the report (see period.h). */
#include "analyze/period.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int parse_offset(const char *s, int32_t *off)
{
    int sign = s[0] == '-' ? -1 : 1;
    if (s[0] != '+' && s[0] != '-') return 0;
    s++;
    int hh, mm = 0;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])) return 0;
    hh = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    if (*s == ':') s++;
    if (*s) {
        if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2]) return 0;
        mm = (s[0] - '0') * 10 + (s[1] - '0');
    }
    if (hh > 14 || mm > 59) return 0;
    *off = sign * (hh * 3600 + mm * 60);
    return 1;
}

int mt_tz_parse(const char *s, mt_tz *tz)
{
    memset(tz, 0, sizeof *tz);
    tz->cache_slot = INT64_MIN;
    if (!s || !*s || strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "utc") == 0) {
        mt_strlcpy(tz->name, "UTC", sizeof tz->name);
        return MT_OK;
    }
    if (strlen(s) >= sizeof tz->name)
        return mt_error_set(MT_EINVAL, "time zone name too long");
    mt_strlcpy(tz->name, s, sizeof tz->name);
    if (s[0] == '+' || s[0] == '-') {
        if (!parse_offset(s, &tz->offset_s))
            return mt_error_set(MT_EINVAL, "bad time zone offset '%s' (want +HH:MM)", s);
        return MT_OK;
    }
    /* An IANA name: letters, digits, '/', '_', '-', '+'; no "..". */
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
            return mt_error_set(MT_EINVAL, "bad time zone name '%s'", s);
    if (strstr(s, "..") || s[0] == '/')
        return mt_error_set(MT_EINVAL, "bad time zone name '%s'", s);
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", s);
    if (access(path, R_OK) != 0)
        return mt_error_set(MT_EINVAL, "unknown time zone '%s' (not in %s)", s,
                            dir && *dir ? dir : "/usr/share/zoneinfo");
    if (setenv("TZ", s, 1) != 0)
        return mt_error_set(MT_ERR, "cannot set TZ");
    tzset();
    tz->iana = 1;
    return MT_OK;
}

int64_t mt_tz_local(mt_tz *tz, int64_t utc_s)
{
    if (!tz->iana) return utc_s + tz->offset_s;
    int64_t slot = mt_floor_div(utc_s, 900);
    if (slot != tz->cache_slot) {
        time_t t = (time_t)utc_s;
        struct tm tm;
        tz->cache_off = localtime_r(&t, &tm) ? (int32_t)tm.tm_gmtoff : 0;
        tz->cache_slot = slot;
    }
    return utc_s + tz->cache_off;
}

int64_t mt_tz_to_utc(mt_tz *tz, int y, int mon, int d, int hh, int mm, int ss)
{
    int64_t local = mt_days_from_civil(y, (unsigned)mon, (unsigned)d) * 86400 +
                    hh * 3600 + mm * 60 + ss;
    if (!tz->iana) return local - tz->offset_s;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1) return local;
    return (int64_t)t;
}

int64_t mt_period_key(mt_period_unit u, int64_t day)
{
    switch (u) {
    case MT_BY_WEEK:
        /* Day 0 (1970-01-01) is a Thursday; day -3 is Monday 1969-12-29. */
        return mt_floor_div(day + 3, 7);
    case MT_BY_MONTH: {
        int y, m, d;
        mt_civil_from_days(day, &y, &m, &d);
        return (int64_t)y * 12 + (m - 1);
    }
    default:
        return day;
    }
}

int64_t mt_period_first_day(mt_period_unit u, int64_t key)
{
    switch (u) {
    case MT_BY_WEEK:
        return key * 7 - 3;
    case MT_BY_MONTH:
        return mt_days_from_civil(mt_floor_div(key, 12), (unsigned)(key - mt_floor_div(key, 12) * 12 + 1), 1);
    default:
        return key;
    }
}

void mt_period_label(mt_period_unit u, int64_t key, char *buf, size_t cap)
{
    int y, m, d;
    switch (u) {
    case MT_BY_WEEK: {
        /* ISO week: the week's Thursday decides the year. */
        int64_t thu = key * 7 - 3 + 3;
        mt_civil_from_days(thu, &y, &m, &d);
        int64_t jan1 = mt_days_from_civil(y, 1, 1);
        snprintf(buf, cap, "%04d-W%02d", y, (int)((thu - jan1) / 7 + 1));
        break;
    }
    case MT_BY_MONTH:
        snprintf(buf, cap, "%04d-%02d", (int)mt_floor_div(key, 12),
                 (int)(key - mt_floor_div(key, 12) * 12 + 1));
        break;
    default:
        mt_civil_from_days(key, &y, &m, &d);
        snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
    }
}

const char *mt_period_unit_str(mt_period_unit u)
{
    return u == MT_BY_WEEK ? "week" : u == MT_BY_MONTH ? "month" : "day";
}

int mt_period_unit_parse(const char *s, mt_period_unit *u)
{
    if (strcmp(s, "day") == 0) *u = MT_BY_DAY;
    else if (strcmp(s, "week") == 0) *u = MT_BY_WEEK;
    else if (strcmp(s, "month") == 0) *u = MT_BY_MONTH;
    else return mt_error_set(MT_EINVAL, "--by wants day, week or month, not '%s'", s);
    return MT_OK;
}

static int num(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

int mt_date_bound_parse(const char *s, mt_tz *tz, int is_end, mt_time_us *out)
{
    const char *p = s;
    int y, m = 1, d = 1, hh = 0, mi = 0, ss = 0;
    int level = 0; /* 1 year, 2 month, 3 day, 4 time */
    if (!num(&p, 4, &y)) goto bad;
    level = 1;
    if (*p == '-') {
        p++;
        if (!num(&p, 2, &m) || m < 1 || m > 12) goto bad;
        level = 2;
        if (*p == '-') {
            p++;
            if (!num(&p, 2, &d) || d < 1 || d > 31) goto bad;
            level = 3;
            if (*p == 'T' || *p == ' ') {
                p++;
                if (!num(&p, 2, &hh) || *p != ':') goto bad;
                p++;
                if (!num(&p, 2, &mi)) goto bad;
                if (*p == ':') {
                    p++;
                    if (!num(&p, 2, &ss)) goto bad;
                }
                if (hh > 23 || mi > 59 || ss > 60) goto bad;
                level = 4;
            }
        }
    }
    if (*p) goto bad;
    int64_t day = mt_days_from_civil(y, (unsigned)m, (unsigned)d);
    int cy, cm, cd;
    mt_civil_from_days(day, &cy, &cm, &cd);
    if (cy != y || cm != m || cd != d) goto bad; /* e.g. 2018-02-30 */
    if (is_end && level < 4) {
        if (level == 1) { y++; }
        else if (level == 2) { if (++m > 12) { m = 1; y++; } }
        else {
            mt_civil_from_days(day + 1, &y, &m, &d);
        }
    }
    *out = (mt_time_us)mt_tz_to_utc(tz, y, m, d, hh, mi, ss) * 1000000;
    return MT_OK;
bad:
    return mt_error_set(MT_EINVAL, "bad date '%s' (want YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])", s);
}
