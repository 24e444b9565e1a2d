/* What the OpenSSH auth-log reader (authlog.c, reader "authlog") exposes
 * beyond its reader struct, for tests: the year its RFC 3164 stamps start
 * in, after begin() chose it. */
#ifndef MT_INGEST_AUTHLOG_H
#define MT_INGEST_AUTHLOG_H

/* `state` is what mt_honey_reader_authlog.begin returned. */
int mt_authlog_start_year(const void *state);

#endif
