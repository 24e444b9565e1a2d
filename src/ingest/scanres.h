/* Port-scan results as asset data for the botnet study: nmap XML (-oX),
 * masscan XML (-oX), masscan JSON (-oJ, and the ndjson -oD) and masscan
 * list output (-oL). Recognised by content. Each host gets its open TCP
 * ports and the banners the scanner grabbed (service name and text), kept
 * in a table keyed by address; a host seen in several files or lines is
 * merged. Bad input is counted with line numbers (mt_ingest_stats), never
 * fatal. XML through libxml2's streaming reader. */
#ifndef MT_INGEST_SCANRES_H
#define MT_INGEST_SCANRES_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "minetrace/common.h"

typedef struct mt_scan_banner {
    uint16_t port;
    const char *service;     /* "ssh", "telnet", "http", ... ("" unknown) */
    const char *text;        /* the banner / service line / title as grabbed */
    const char *kind;        /* the Recog kind it should match: "ssh.banner",
                                "telnet.banner", "http_header.server", "html_title", or "" */
} mt_scan_banner;

typedef struct mt_scan_host {
    mt_addr addr;
    const uint16_t *open;    /* open TCP ports, sorted, distinct */
    size_t nopen;
    const mt_scan_banner *banners;
    size_t nbanners;
    const char *device;      /* a device type the scanner itself named (nmap devicetype); "" */
} mt_scan_host;

typedef struct mt_scanres mt_scanres;

mt_scanres *mt_scanres_new(void);
void mt_scanres_free(mt_scanres *s);
/* Load one file (format by content; gzip accepted). MT_OK or MT_E* (st->error). */
int mt_scanres_load(mt_scanres *s, const char *path, mt_ingest_stats *st);
size_t mt_scanres_hosts(const mt_scanres *s);
/* NULL when the address was not in any scan. */
const mt_scan_host *mt_scanres_get(const mt_scanres *s, const mt_addr *a);
/* 1 when the host has TCP port p open. */
int mt_scan_host_open(const mt_scan_host *h, uint16_t p);

#endif
