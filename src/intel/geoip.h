/* GeoIP and ASN answers from MaxMind DB files through libmaxminddb. Both
 * schemas are read: MaxMind's (country.iso_code, registered_country,
 * autonomous_system_number / _organization) and ip-location-db's flat one
 * (country_code; asn, as_organization or autonomous_system_*). A database
 * that has no answer for an address says so (0); callers report missing
 * answers, they never fill them in. An open database is read-only and may
 * be shared by threads. */
#ifndef MT_INTEL_GEOIP_H
#define MT_INTEL_GEOIP_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"

typedef struct mt_geoip mt_geoip;

/* NULL on failure (mt_error_msg() names the file and libmaxminddb's reason). */
mt_geoip *mt_geoip_open(const char *path);
void mt_geoip_close(mt_geoip *g);
const char *mt_geoip_type(const mt_geoip *g); /* metadata database_type */

/* 1: answered (cc = two upper-case letters + NUL), 0: no answer, <0 error. */
int mt_geoip_country(const mt_geoip *g, const mt_addr *a, char cc[3]);
/* 1: answered (asn > 0; org may be "" when the database has none), 0: no
 * answer, <0 error. org may be NULL. */
int mt_geoip_asn(const mt_geoip *g, const mt_addr *a, uint32_t *asn, char *org, size_t org_cap);

#endif
