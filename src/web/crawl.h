/* The live crawl: a list of domains or URLs fetched with libcurl's multi
 * interface, each page and the scripts and Wasm it references handed to a
 * record callback as WARC records would be (mt_web_record), so the website
 * scanner judges a live site exactly as a crawled one.
 *
 * A list line is a URL (http:// or https://), a bare domain (https://DOMAIN/,
 * then http://DOMAIN/ when https fails at the transport) or a rank,domain
 * line (the domain is taken); blank lines and # comments are skipped. Per
 * page, the script, worker and Wasm references are fetched (at most
 * max_resources per page, each once), and from a fetched script its own
 * worker, Wasm and script references, one level further and no deeper.
 *
 * Memory is bounded by the number of concurrent transfers: the list is read
 * as transfers finish, each transfer holds at most max_body bytes, and the
 * queue of resources waiting is capped at jobs * max_resources (no page is
 * started while it is full). */
#ifndef MT_WEB_CRAWL_H
#define MT_WEB_CRAWL_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/warc.h"

typedef struct mt_crawl_opts {
    unsigned jobs;              /* concurrent transfers (default 16) */
    unsigned timeout_s;         /* whole transfer (default 20) */
    unsigned connect_timeout_s; /* connection set-up (default: min(timeout, 10)) */
    size_t max_body;        /* body cap (default MT_WEB_MAX_BODY_DEFAULT); longer bodies are cut */
    unsigned max_resources; /* resources fetched per page (default 20; 0 = none) */
    int insecure;           /* do not verify TLS certificates */
    const char *const *resolve; /* HOST:PORT:ADDR entries (CURLOPT_RESOLVE), for tests */
    size_t n_resolve;
    int progress; /* a line on stderr about once a second */
} mt_crawl_opts;

/* Why a fetch failed (after the https -> http fallback of bare domains). */
enum {
    MT_CRAWL_FAIL_DNS,
    MT_CRAWL_FAIL_CONNECT,
    MT_CRAWL_FAIL_TIMEOUT,
    MT_CRAWL_FAIL_TLS,
    MT_CRAWL_FAIL_REDIRECTS, /* more than 5, or to a scheme other than http/https */
    MT_CRAWL_FAIL_HTTP4XX,
    MT_CRAWL_FAIL_HTTP5XX,
    MT_CRAWL_FAIL_OTHER,
    MT_CRAWL_FAIL_N
};
const char *mt_crawl_fail_name(unsigned reason); /* "dns", "connect", ..., "other" */

#define MT_CRAWL_FIRST_FAILS 4

typedef struct mt_crawl_stats {
    uint64_t lines, bad_lines, pages, pages_ok, resources, resources_ok, http_fallbacks, capped,
        bytes, redirected, resources_over_limit, failed;
    uint64_t fail[MT_CRAWL_FAIL_N];
    char first_fail[MT_CRAWL_FIRST_FAILS][320]; /* "URL: reason (curl's message)" */
    unsigned n_first_fail;
    uint64_t first_bad_line;
} mt_crawl_stats;

/* Fetches every line of list_path ("-" = standard input) and calls fn for
 * each successful 2xx response: uri = the final URL after redirects (for a
 * resource, the URL the page referenced it by, so the scanner links it to
 * the page), date = fetch time, http_status, content_type lower-case
 * without parameters, body decoded, MT_WEBREC_BODY_CAPPED when cut.
 * A non-zero return of fn stops the crawl. st is zeroed first. MT_OK, or
 * MT_EIO (message set) when the list cannot be read or libcurl cannot be
 * set up. */
int mt_crawl_run(const char *list_path, const mt_crawl_opts *o, mt_web_record_fn fn, void *ctx,
                 mt_crawl_stats *st);

#endif
