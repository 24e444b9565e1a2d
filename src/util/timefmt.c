/* Timestamps: formatting as EVE does and parsing the forms logs use. */
#include "minetrace/common.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t mt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void mt_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static void put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int mt_time_format(mt_time_us t, char *buf, size_t cap)
{
    int64_t secs = t >= 0 ? t / 1000000 : (t - 999999) / 1000000;
    int64_t us = t - secs * 1000000;
    /* Findings come in bursts within the same second: reuse the calendar
     * part (gmtime_r + formatting is most of the cost). */
    static int64_t cached_secs = INT64_MIN;
    static char cached[32];
    if (cap >= 32 && secs == cached_secs) {
        memcpy(buf, cached, 20);
        put_digits(buf + 20, (unsigned)us, 6);
        memcpy(buf + 26, "+0000", 6);
        return MT_OK;
    }
    time_t tt = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || cap < 32 || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
        return MT_EINVAL;
    char *p = buf;
    put_digits(p, (unsigned)(tm.tm_year + 1900), 4); p[4] = '-';
    put_digits(p + 5, (unsigned)(tm.tm_mon + 1), 2); p[7] = '-';
    put_digits(p + 8, (unsigned)tm.tm_mday, 2); p[10] = 'T';
    put_digits(p + 11, (unsigned)tm.tm_hour, 2); p[13] = ':';
    put_digits(p + 14, (unsigned)tm.tm_min, 2); p[16] = ':';
    put_digits(p + 17, (unsigned)tm.tm_sec, 2); p[19] = '.';
    put_digits(p + 20, (unsigned)us, 6);
    memcpy(p + 26, "+0000", 6);
    cached_secs = secs;
    memcpy(cached, buf, 32);
    return MT_OK;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int mt_time_parse(const char *s, mt_time_us *out)
{
    while (*s == ' ' || *s == '"') s++;
    /* Epoch seconds, e.g. Zeek TSV "1517336012.123456". */
    if (isdigit((unsigned char)s[0]) && !(strlen(s) >= 10 && s[4] == '-')) {
        char *end;
        long long whole = strtoll(s, &end, 10);
        long long frac_us = 0;
        if (*end == '.') {
            end++;
            int nd = 0;
            while (isdigit((unsigned char)*end)) {
                if (nd < 6) { frac_us = frac_us * 10 + (*end - '0'); nd++; }
                end++;
            }
            while (nd < 6) { frac_us *= 10; nd++; }
        }
        if (end == s) return mt_error_set(MT_EINVAL, "bad timestamp '%.40s'", s);
        /* Years 1..9999 only: anything else is garbage and would overflow
         * the microsecond arithmetic. */
        if (whole < -62135596800LL || whole > 253402300799LL)
            return mt_error_set(MT_EINVAL, "timestamp out of range '%.40s'", s);
        *out = (mt_time_us)whole * 1000000 + frac_us;
        return MT_OK;
    }
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return mt_error_set(MT_EINVAL, "bad date '%.40s'", s);
    const char *p = s + 10;
    long long us = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return mt_error_set(MT_EINVAL, "bad time in '%.40s'", s);
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se)) return mt_error_set(MT_EINVAL, "bad seconds in '%.40s'", s);
            p += 3;
        }
        if (*p == '.' || *p == ',') {
            p++;
            int nd = 0;
            while (isdigit((unsigned char)*p)) {
                if (nd < 6) { us = us * 10 + (*p - '0'); nd++; }
                p++;
            }
            while (nd < 6) { us *= 10; nd++; }
        }
    }
    long long off = 0;
    if (*p == '+' || *p == '-') {
        int oh = 0, om = 0, sign = *p == '-' ? -1 : 1;
        p++;
        if (!digits(p, 2, &oh)) return mt_error_set(MT_EINVAL, "bad offset in '%.40s'", s);
        p += 2;
        if (*p == ':') p++;
        if (isdigit((unsigned char)*p) && digits(p, 2, &om)) p += 2;
        off = sign * (oh * 3600LL + om * 60LL);
    }
    int64_t days = mt_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600LL + mi * 60LL + se - off;
    *out = secs * 1000000 + us;
    return MT_OK;
}
