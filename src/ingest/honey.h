/* Honeypot and authentication logs for the botnet study (issue 9): Cowrie
 * JSON (SSH and Telnet, every version), the killchain login-attempt CSV
 * feed, per-IP attack-pattern JSON, OpenSSH auth.log / journal text and
 * Cowrie daily top-N aggregates. Each input is recognised by its content
 * (honey_reader.h: one reader per format, in one table), streamed (gzip or
 * plain, util/linereader) where it is line-based, and turned into
 * mt_honey_event values (include/minetrace/botnet.h) for the caller's
 * sink. What cannot be used is counted, with the first line numbers, in
 * the same mt_ingest_stats the traffic logs use; never fatal. */
#ifndef MT_INGEST_HONEY_H
#define MT_INGEST_HONEY_H

#include <stdio.h>

#include "ingest/honey_opts.h"
#include "ingest/ingest.h"
#include "minetrace/botnet.h"

/* Read one input ("-" = stdin) and deliver its events to `to`. Returns
 * MT_OK or the MT_E* of an input that could not be read (st->error names
 * the file and says why); what was delivered before stays delivered.
 * st->format gets the reader's name. */
int mt_honey_read_file(const char *path, const mt_honey_opts *o, const mt_honey_sink *to,
                       mt_ingest_stats *st);

/* The reader names, for --help and error messages ("cowrie, login-csv, ..."). */
const char *mt_honey_format_names(void);

#endif
