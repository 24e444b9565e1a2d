/* The small lexers of the line-based honeypot and auth-log readers (time
 * stamps, addresses, ports), on (pointer, length) spans of
 * attacker-reachable lines: strict (every field range-checked, the day
 * checked against its month), no message formatted on failure (the caller
 * counts the line), nothing past the span read.
 *
 *   honey_iso_time   2023-11-03T12:00:10, 2024-03-03T10:00:00.123456+01:00,
 *                    2024-03-03T10:00:00+0100, ...Z, a space for the T;
 *                    no zone = UTC
 *   honey_month      "Jan".."Dec" -> 1..12
 *   honey_addr       an IPv4 or IPv6 literal (an IPv6 zone "%eth0" dropped)
 *   honey_port       1..65535 */
#ifndef MT_INGEST_HONEY_LEX_H
#define MT_INGEST_HONEY_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "minetrace/common.h"

static inline int honey_digits(const char *p, int k, int *out)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        unsigned d = (unsigned)(unsigned char)p[i] - '0';
        if (d > 9) return 0;
        v = v * 10 + (int)d;
    }
    *out = v;
    return 1;
}

static inline int honey_days_in_month(int y, int m)
{
    static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

/* Seconds since the epoch of a civil UTC time whose fields are in range. */
static inline int64_t honey_civil_secs(int y, int mo, int d, int h, int mi, int s)
{
    return mt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600LL + mi * 60LL + s;
}

static inline int honey_clock_ok(int h, int mi, int s) { return h <= 23 && mi <= 59 && s <= 60; }

/* HH:MM:SS[.fraction] at p (n bytes available): seconds of the day and
 * microseconds; returns the bytes used, 0 when malformed. */
static inline size_t honey_clock(const char *p, size_t n, int64_t *secs, int64_t *us)
{
    int h, mi, s;
    if (n < 8 || !honey_digits(p, 2, &h) || p[2] != ':' || !honey_digits(p + 3, 2, &mi) ||
        p[5] != ':' || !honey_digits(p + 6, 2, &s) || !honey_clock_ok(h, mi, s))
        return 0;
    size_t i = 8;
    int64_t frac = 0;
    if (i < n && (p[i] == '.' || p[i] == ',')) {
        i++;
        int nd = 0;
        while (i < n && (unsigned)(unsigned char)p[i] - '0' <= 9) {
            if (nd < 6) { frac = frac * 10 + (p[i] - '0'); nd++; }
            i++;
        }
        if (nd == 0) return 0;
        while (nd < 6) { frac *= 10; nd++; }
    }
    *secs = h * 3600LL + mi * 60LL + s;
    *us = frac;
    return i;
}

/* An ISO 8601 date and time at p (n bytes). Returns the bytes used (the
 * stamp ends there), 0 when it is not one. */
static inline size_t honey_iso_time(const char *p, size_t n, mt_time_us *out)
{
    int y, mo, d;
    if (n < 19 || !honey_digits(p, 4, &y) || p[4] != '-' || !honey_digits(p + 5, 2, &mo) ||
        p[7] != '-' || !honey_digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != ' ') ||
        mo < 1 || mo > 12 || d < 1 || d > honey_days_in_month(y, mo) || y < 1)
        return 0;
    int64_t secs, us;
    size_t k = honey_clock(p + 11, n - 11, &secs, &us);
    if (!k) return 0;
    size_t i = 11 + k;
    int64_t off = 0;
    if (i < n && p[i] == 'Z') {
        i++;
    } else if (i < n && (p[i] == '+' || p[i] == '-')) {
        int sign = p[i] == '-' ? -1 : 1, oh, om = 0;
        if (i + 3 > n || !honey_digits(p + i + 1, 2, &oh) || oh > 23) return 0;
        i += 3;
        if (i < n && p[i] == ':') {
            if (i + 3 > n || !honey_digits(p + i + 1, 2, &om)) return 0;
            i += 3;
        } else if (i + 2 <= n && honey_digits(p + i, 2, &om)) {
            i += 2;
        }
        if (om > 59) return 0;
        off = sign * (oh * 3600LL + om * 60LL);
    }
    *out = (honey_civil_secs(y, mo, d, 0, 0, 0) + secs - off) * 1000000 + us;
    return i;
}

static inline int honey_month(const char *p, size_t n)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (n < 3) return 0;
    for (int m = 0; m < 12; m++)
        if (memcmp(p, names + 3 * m, 3) == 0) return m + 1;
    return 0;
}

/* An address literal [p, e): only the characters one may hold, then the
 * common parser on a NUL-terminated copy (so a bad one formats nothing). */
static inline int honey_addr(const char *p, const char *e, mt_addr *a)
{
    char buf[MT_ADDR_STRLEN];
    size_t n = (size_t)(e - p);
    const char *zone = memchr(p, '%', n);
    if (zone) n = (size_t)(zone - p);
    if (n == 0 || n >= sizeof buf) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
              c == '.' || c == ':'))
            return 0;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    return mt_addr_parse(buf, a) == MT_OK;
}

static inline int honey_port(const char *p, const char *e, uint16_t *port)
{
    if (e - p < 1 || e - p > 5) return 0;
    unsigned v = 0;
    for (; p < e; p++) {
        unsigned d = (unsigned)(unsigned char)*p - '0';
        if (d > 9) return 0;
        v = v * 10 + d;
    }
    if (v == 0 || v > 65535) return 0;
    *port = (uint16_t)v;
    return 1;
}

#endif
