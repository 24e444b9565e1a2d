/* Shared by the scan-result readers (scanres.c: the host table and format
 * detection; scan_xml.c: nmap and masscan XML; scan_masscan.c: masscan
 * JSON, ndjson and list output). Not a public interface. */
#ifndef MT_INGEST_SCANRES_INTERNAL_H
#define MT_INGEST_SCANRES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/scanres.h"

typedef struct scan_host scan_host;

/* The host for address a, created (with no ports) when new. */
scan_host *scan_host_of(mt_scanres *s, const mt_addr *a);
void scan_add_port(mt_scanres *s, scan_host *h, uint16_t port);
/* A banner as the scanner wrote it: service name, text (already unescaped,
 * n bytes; NUL bytes are dropped). The Recog kind is chosen from the
 * service name and port; an HTTP response head also gives its Server
 * header as an http_header.server banner. Duplicates are kept once. */
void scan_add_banner(mt_scanres *s, scan_host *h, uint16_t port, const char *service,
                     const char *text, size_t n);
/* A banner whose kind the reader knows (nmap's http-server-header script). */
void scan_add_banner_kind(mt_scanres *s, scan_host *h, uint16_t port, const char *service,
                          const char *text, size_t n, const char *kind);
void scan_set_device(mt_scanres *s, scan_host *h, const char *device);

/* Decode the \xHH escapes masscan and nmap's banner script write, in place
 * (other backslashes stay). Returns the new length. */
size_t scan_unescape_hex(char *t, size_t n);

void scan_note_malformed(mt_ingest_stats *st, uint64_t line);
void scan_note_unknown(mt_ingest_stats *st, const char *name);

enum { SCAN_FMT_XML = 1, SCAN_FMT_JSON, SCAN_FMT_LIST };

int scan_read_xml(mt_scanres *s, const char *path, mt_ingest_stats *st);
int scan_read_masscan(mt_scanres *s, const char *path, int fmt, mt_ingest_stats *st);

#endif
