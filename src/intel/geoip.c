/* GeoIP and ASN answers through libmaxminddb (see geoip.h).
 *
 * Lookups go through MMDB_lookup_sockaddr from the mt_addr we already hold:
 * MMDB_lookup_string would run getaddrinfo per address. libmaxminddb maps
 * an AF_INET address into an IPv6 tree's ::/96 itself, so one code path
 * serves IPv4-only, IPv6-only and mixed databases; an IPv6 address asked of
 * an IPv4 database is "no answer", not an error.
 *
 * Field paths, tried in order, first present string/number wins:
 *   country: country.iso_code (GeoIP2/GeoLite2 Country and City),
 *            registered_country.iso_code (the same databases, for networks
 *            with only a registration country), country_code (ip-location-db
 *            flat schema).
 *   ASN:     autonomous_system_number / _organization (GeoLite2-ASN,
 *            GeoIP2-ISP, ip-location-db asn databases), asn / as_organization
 *            (flat "asn" schemas); the number may be stored as any unsigned
 *            type or as a decimal string ("AS13335" accepted). */
#include "intel/geoip.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct mt_geoip {
    MMDB_s db;
    char type[64];
};

mt_geoip *mt_geoip_open(const char *path)
{
    if (!path || !*path) {
        mt_error_set(MT_EINVAL, "GeoIP database: no path given");
        return NULL;
    }
    mt_geoip *g = mt_xcalloc(1, sizeof *g);
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->db);
    if (rc != MMDB_SUCCESS) {
        if (rc == MMDB_IO_ERROR)
            mt_error_set(MT_EIO, "%s: cannot open GeoIP database: %s", path, MMDB_strerror(rc));
        else
            mt_error_set(MT_EINVAL, "%s: not a usable MaxMind DB file: %s", path, MMDB_strerror(rc));
        free(g);
        return NULL;
    }
    const char *t = g->db.metadata.database_type;
    mt_strlcpy(g->type, t ? t : "", sizeof g->type);
    return g;
}

void mt_geoip_close(mt_geoip *g)
{
    if (!g) return;
    MMDB_close(&g->db);
    free(g);
}

const char *mt_geoip_type(const mt_geoip *g) { return g ? g->type : ""; }

/* Special-purpose space (RFC 6890 and successors): never a country nor
 * an AS, whatever a database says. Registry-derived databases do answer for
 * some of it (the pinned ip-location-db country database gives AU for
 * 192.168.0.0/16 and 172.16.0.0/12, from an APNIC record), and a private
 * address in a honeypot log is a NAT artefact, not a location. */
static int special(const mt_addr *a)
{
    const uint8_t *b = a->b;
    if (a->family == 4) {
        return b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 ||
               (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254) ||
               (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) ||
               (b[0] == 198 && (b[1] & 0xfe) == 18) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
               (b[0] == 203 && b[1] == 0 && b[2] == 113);
    }
    static const uint8_t zero15[15];
    if (memcmp(b, zero15, 15) == 0 && b[15] <= 1) return 1; /* :: and ::1 */
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff ||
           (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
}

/* 1: entry found, 0: no entry, <0: error. */
static int lookup(const mt_geoip *g, const mt_addr *a, MMDB_entry_s *e)
{
    if (!g || !a) return MT_EINVAL;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (a->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        memcpy(&s4->sin_addr, a->b, 4);
        if (special(a)) return 0;
    } else if (a->family == 6) {
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a->b, mapped, 12) == 0) { /* an unnormalised ::ffff:a.b.c.d */
            struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
            s4->sin_family = AF_INET;
            memcpy(&s4->sin_addr, a->b + 12, 4);
            mt_addr v4 = {.family = 4};
            memcpy(v4.b, a->b + 12, 4);
            if (special(&v4)) return 0;
        } else {
            if (special(a)) return 0;
            struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
            s6->sin6_family = AF_INET6;
            memcpy(&s6->sin6_addr, a->b, 16);
        }
    } else {
        return MT_EINVAL;
    }
    int merr = MMDB_SUCCESS;
    /* libmaxminddb's prototype takes a non-const MMDB_s; the lookup only reads it. */
    MMDB_lookup_result_s r =
        MMDB_lookup_sockaddr((MMDB_s *)&g->db, (const struct sockaddr *)&ss, &merr);
    if (merr == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) return 0;
    if (merr != MMDB_SUCCESS) return MT_EIO;
    if (!r.found_entry) return 0;
    *e = r.entry;
    return 1;
}

/* A string value at path, copied into out (cap > 0). 1 when present and non-empty. */
static int get_str(MMDB_entry_s *e, const char *const *path, char *out, size_t cap)
{
    MMDB_entry_data_s d;
    if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data) return 0;
    if (d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size == 0) return 0;
    mt_memlcpy(out, cap, d.utf8_string, d.data_size);
    return 1;
}

static int cc_ok(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

int mt_geoip_country(const mt_geoip *g, const mt_addr *a, char cc[3])
{
    cc[0] = '\0';
    MMDB_entry_s e;
    int rc = lookup(g, a, &e);
    if (rc <= 0) return rc;
    static const char *const p_country[] = {"country", "iso_code", NULL};
    static const char *const p_reg[] = {"registered_country", "iso_code", NULL};
    static const char *const p_flat[] = {"country_code", NULL};
    static const char *const *const paths[] = {p_country, p_reg, p_flat};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char buf[8];
        if (!get_str(&e, paths[i], buf, sizeof buf)) continue;
        if (buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 32);
        if (buf[1] >= 'a' && buf[1] <= 'z') buf[1] = (char)(buf[1] - 32);
        /* Anything but two letters (a database's "ZZ"-style filler is two
         * letters and kept; "" or "EU1" is not a country) is no answer. */
        if (!cc_ok(buf)) continue;
        memcpy(cc, buf, 3);
        return 1;
    }
    return 0;
}

static int get_u32(MMDB_entry_s *e, const char *const *path, uint32_t *out)
{
    MMDB_entry_data_s d;
    if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data) return 0;
    uint64_t v;
    switch (d.type) {
    case MMDB_DATA_TYPE_UINT16: v = d.uint16; break;
    case MMDB_DATA_TYPE_UINT32: v = d.uint32; break;
    case MMDB_DATA_TYPE_INT32: if (d.int32 < 0) return 0; v = (uint64_t)d.int32; break;
    case MMDB_DATA_TYPE_UINT64: v = d.uint64; break;
    case MMDB_DATA_TYPE_UTF8_STRING: {
        char buf[24];
        mt_memlcpy(buf, sizeof buf, d.utf8_string, d.data_size);
        const char *s = buf;
        if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) s += 2;
        if (*s < '0' || *s > '9') return 0;
        char *end;
        unsigned long long x = strtoull(s, &end, 10);
        if (*end) return 0;
        v = x;
        break;
    }
    default: return 0;
    }
    if (v == 0 || v > UINT32_MAX) return 0;
    *out = (uint32_t)v;
    return 1;
}

int mt_geoip_asn(const mt_geoip *g, const mt_addr *a, uint32_t *asn, char *org, size_t org_cap)
{
    *asn = 0;
    if (org && org_cap) org[0] = '\0';
    MMDB_entry_s e;
    int rc = lookup(g, a, &e);
    if (rc <= 0) return rc;
    static const char *const n_mm[] = {"autonomous_system_number", NULL};
    static const char *const o_mm[] = {"autonomous_system_organization", NULL};
    static const char *const n_flat[] = {"asn", NULL};
    static const char *const o_flat[] = {"as_organization", NULL};
    static const char *const o_flat2[] = {"as_name", NULL};
    const char *const *org_path = NULL, *const *org_alt = NULL;
    if (get_u32(&e, n_mm, asn)) {
        org_path = o_mm;
    } else if (get_u32(&e, n_flat, asn)) {
        org_path = o_flat;
        org_alt = o_flat2;
    } else {
        return 0;
    }
    if (org && org_cap) {
        if (!get_str(&e, org_path, org, org_cap) && org_alt) get_str(&e, org_alt, org, org_cap);
    }
    return 1;
}
