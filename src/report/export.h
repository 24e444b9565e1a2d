/* Block lists from findings and intel (minetrace export, docs/EXPORT.md):
 * the pool names, addresses and ports a network should block, written as
 * Suricata rules, a Zeek Intel file, a DNS RPZ zone, a hosts file or CSV.
 *
 * Names and addresses from findings are attacker-controlled (an SNI, a
 * Stratum URL, a Host header) and list entries are third-party text, so
 * every value goes through one gate before it reaches a set: a name must
 * be a host name (letters, digits and '-' in labels of 1..63, at least two
 * labels, at most 253 bytes, not all-numeric at the end), an address must
 * parse; everything else is counted and left out. The writers then only
 * ever see such values; the free text they add (evidence, list names) is
 * reduced to a safe alphabet per format. */
#ifndef MT_REPORT_EXPORT_H
#define MT_REPORT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "minetrace/intel.h"
#include "minetrace/store.h"
#include "util/buf.h"
#include "util/strtab.h"

typedef enum mt_export_format {
    MT_EXPORT_SURICATA = 1,
    MT_EXPORT_ZEEK,
    MT_EXPORT_RPZ,
    MT_EXPORT_HOSTS,
    MT_EXPORT_CSV
} mt_export_format;

/* "suricata", "zeek-intel", "rpz", "hosts", "csv"; 0 when unknown. */
int mt_export_format_parse(const char *s);
const char *mt_export_format_str(int f);

typedef enum mt_export_type {
    MT_EXP_DOMAIN = 1, /* a pool name: blocks it and its subdomains */
    MT_EXP_ADDR,       /* one address (text: canonical form) */
    MT_EXP_SUBNET,     /* a CIDR from a list ("ADDR/BITS") */
    MT_EXP_PORT        /* a destination port (CSV only: see docs/EXPORT.md) */
} mt_export_type;

typedef struct mt_export_ind {
    mt_export_type type;
    char *value;
    int from_findings;         /* seen in stored mining findings */
    char *list;                /* the intel list that names it (NULL: none) */
    char *category;            /* the list's category noun (with list) */
    int weight;                /* the list's weight (with list) */
    uint64_t findings;         /* stored mining findings naming it */
    mt_time_us first_seen, last_seen;
} mt_export_ind;

typedef struct mt_export_set {
    mt_export_ind *v;
    size_t n, cap;
    mt_strtab index;           /* "type:value" -> index into v */
    uint64_t rejected;         /* values refused by the gate */
    char first_rejected[80];   /* the first of them, printable, for the message */
} mt_export_set;

void mt_export_set_init(mt_export_set *s);
void mt_export_set_free(mt_export_set *s);

/* A host name as the gate accepts it, normalised into out (lower case, no
 * trailing dot; cap >= 254). 1 when valid, 0 when not. */
int mt_export_hostname(const char *s, size_t n, char *out, size_t cap);

/* The stored indicators (mt_store_indicators_get): pools become names or
 * addresses (a ":port" is dropped), dest_ip addresses, ports ports. */
void mt_export_add_findings(mt_export_set *s, const mt_store_indicators *x);
/* The mining entries of the intel (pool, browser miner, miner C2 lists; not
 * allowlisted ones) with weight >= min_weight, and the pool ports of its
 * port table. */
void mt_export_add_intel(mt_export_set *s, const mt_intel *in, int min_weight);
/* Sort by type, then value (names and addresses as text, ports by number),
 * so the same indicators give the same file and the same SIDs. */
void mt_export_sort(mt_export_set *s);

typedef struct mt_export_opts {
    int format;                /* mt_export_format */
    uint32_t sid_base;         /* first Suricata SID */
    const char *zone;          /* RPZ origin, validated host name (no trailing dot) */
    uint32_t serial;           /* RPZ SOA serial */
} mt_export_opts;

/* Write the set in the format; *written = indicators written (ports
 * count only in CSV; names too long for the zone are left out). MT_OK, or
 * MT_EINVAL when the SIDs would pass 2^32-1 (mt_error_set). */
int mt_export_write(const mt_export_set *s, const mt_export_opts *o, mt_buf *out, size_t *written);

#endif
