/* The live crawl (crawl.h) on libcurl's multi interface. */
#include "web/crawl.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "minetrace/common.h"
#include "minetrace/version.h"
#include "util/hash.h"
#include "util/linereader.h"
#include "web/jsscan.h"
#include "web/url.h"

#define URL_CAP    2048
#define MAX_REDIRS 5L
#define DEPTH_MAX  2 /* page (0) -> its scripts (1) -> what those load (2) */

static const char *const fail_names[MT_CRAWL_FAIL_N] = {
    "dns", "connect", "timeout", "tls", "redirects", "http-4xx", "http-5xx", "other"};

const char *mt_crawl_fail_name(unsigned reason)
{
    return reason < MT_CRAWL_FAIL_N ? fail_names[reason] : "other";
}

/* A page whose resources are being fetched: their budget and the URLs
 * already taken, so each is fetched once. Freed when its last resource is
 * done. */
typedef struct group {
    char page[URL_CAP];
    unsigned used, refs;
    uint64_t seen[]; /* max_resources hashes */
} group;

typedef struct qitem {
    char url[URL_CAP];
    group *g;
    unsigned char depth;
} qitem;

typedef struct xfer {
    CURL *e;
    int busy;
    int fallback; /* a bare domain tried over https: http next */
    char domain[256];
    char url[URL_CAP]; /* as requested */
    group *g;          /* resources: their page */
    unsigned char depth;
    uint8_t *buf;
    size_t len, cap, max;
    int capped;
    char err[CURL_ERROR_SIZE];
} xfer;

typedef struct crawl {
    const mt_crawl_opts *o;
    mt_crawl_stats *st;
    mt_web_record_fn fn;
    void *ctx;
    CURLM *m;
    struct curl_slist *resolve;
    char ua[96];
    xfer *x;
    unsigned active;
    qitem *q;
    size_t qcap, qhead, qlen;
    mt_jsscan *js;
    mt_web_refs refs;
    int stop;
} crawl;

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb, room = x->max - x->len, take = n < room ? n : room;
    if (x->len + take > x->cap) {
        size_t nc = x->cap ? x->cap : 65536;
        while (nc < x->len + take) nc *= 2;
        if (nc > x->max) nc = x->max;
        uint8_t *nb = realloc(x->buf, nc);
        if (!nb) return 0;
        x->buf = nb;
        x->cap = nc;
    }
    memcpy(x->buf + x->len, data, take);
    x->len += take;
    if (take < n) {
        /* The cap: keep what fits and end the transfer (a write error that
         * the completion handler knows to be the cut, not a failure). */
        x->capped = 1;
        return 0;
    }
    return n;
}

static void start(crawl *c, xfer *x, const char *url)
{
    const mt_crawl_opts *o = c->o;
    CURL *e = x->e;
    curl_easy_reset(e);
    mt_strlcpy(x->url, url, sizeof x->url);
    x->len = 0;
    x->capped = 0;
    x->err[0] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, x->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->err);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, MAX_REDIRS);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)o->timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)o->connect_timeout_s);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->ua);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    /* No cookie engine: nothing a site sets reaches another. */
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
    if (c->resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, c->resolve);
    if (x->g) curl_easy_setopt(e, CURLOPT_REFERER, x->g->page);
    curl_multi_add_handle(c->m, e);
    x->busy = 1;
    c->active++;
}

static xfer *free_slot(crawl *c)
{
    for (unsigned i = 0; i < c->o->jobs; i++)
        if (!c->x[i].busy) return &c->x[i];
    return NULL;
}

static void group_release(crawl *c, group *g)
{
    (void)c;
    if (g && --g->refs == 0) free(g);
}

/* A list line to a URL: 1 with out filled (and domain for a bare domain),
 * 0 to skip silently, -1 for a bad line. */
static int parse_line(char *line, char *out, size_t cap, char *domain, size_t dcap)
{
    domain[0] = '\0';
    char *p = line;
    while (isspace((unsigned char)*p)) p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1])) p[--n] = '\0';
    if (!n || *p == '#') return 0;
    char *comma = strchr(p, ',');
    if (comma) {
        char *d = p;
        while (d < comma && isdigit((unsigned char)*d)) d++;
        if (d == comma && d > p) { /* rank,domain */
            p = comma + 1;
            char *end = strchr(p, ',');
            if (end) *end = '\0';
        } else { /* domain,anything */
            *comma = '\0';
        }
        while (isspace((unsigned char)*p)) p++;
        n = strlen(p);
        while (n && isspace((unsigned char)p[n - 1])) p[--n] = '\0';
        if (!n) return -1;
    }
    if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8)) {
        char host[256];
        if (mt_url_host(p, host, sizeof host) != 0 || !host[0]) return -1;
        return mt_strlcpy(out, p, cap) < cap ? 1 : -1;
    }
    if (strstr(p, "://")) return -1;
    if (n >= dcap || n > 253) return -1;
    for (const char *s = p; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_' && *s != ':')
            return -1;
    for (size_t i = 0; i < n; i++) domain[i] = (char)tolower((unsigned char)p[i]);
    domain[n] = '\0';
    snprintf(out, cap, "https://%s/", domain);
    return 1;
}

static unsigned fail_reason(CURLcode rc, long code)
{
    if (rc == CURLE_OK)
        return code >= 500   ? MT_CRAWL_FAIL_HTTP5XX
               : code >= 400 ? MT_CRAWL_FAIL_HTTP4XX
                             : MT_CRAWL_FAIL_OTHER;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return MT_CRAWL_FAIL_DNS;
    case CURLE_COULDNT_CONNECT:
        return MT_CRAWL_FAIL_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return MT_CRAWL_FAIL_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
        return MT_CRAWL_FAIL_TLS;
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return MT_CRAWL_FAIL_REDIRECTS;
    default:
        return MT_CRAWL_FAIL_OTHER;
    }
}

static void count_fail(crawl *c, const xfer *x, unsigned reason, CURLcode rc, long code)
{
    mt_crawl_stats *st = c->st;
    st->failed++;
    st->fail[reason]++;
    if (st->n_first_fail < MT_CRAWL_FIRST_FAILS) {
        char *d = st->first_fail[st->n_first_fail++];
        if (rc == CURLE_OK)
            snprintf(d, sizeof st->first_fail[0], "%.200s: %s (HTTP %ld)", x->url,
                     fail_names[reason], code);
        else
            snprintf(d, sizeof st->first_fail[0], "%.200s: %s (%.80s)", x->url, fail_names[reason],
                     x->err[0] ? x->err : curl_easy_strerror(rc));
    }
}

static void enqueue(crawl *c, group *g, const char *url, unsigned char depth)
{
    uint64_t h = mt_hash_bytes_inl(url, strlen(url), 0xc4a1);
    for (unsigned i = 0; i < g->used; i++)
        if (g->seen[i] == h) return;
    if (g->used >= c->o->max_resources || c->qlen == c->qcap) {
        c->st->resources_over_limit++;
        return;
    }
    g->seen[g->used++] = h;
    qitem *it = &c->q[(c->qhead + c->qlen++) % c->qcap];
    mt_strlcpy(it->url, url, sizeof it->url);
    it->g = g;
    it->depth = depth;
    g->refs++;
}

/* The scripts, workers and Wasm a fetched page or script references, into
 * the queue under the page's budget. */
static void follow(crawl *c, xfer *x, const char *base, int is_html)
{
    if (!c->o->max_resources || x->depth >= DEPTH_MAX) return;
    group *g = x->g;
    c->refs.n = 0;
    mt_jsscan_text(c->js, (const char *)x->buf, x->len, is_html, NULL, 0, &c->refs);
    for (size_t i = 0; i < c->refs.n; i++) {
        unsigned t = c->refs.type[i];
        if (t != MT_REF_SCRIPT && t != MT_REF_WORKER && t != MT_REF_WASM) continue;
        char abs[URL_CAP];
        if (mt_url_resolve(base, c->refs.url[i], abs, sizeof abs) != 0) continue;
        if (strncasecmp(abs, "http://", 7) && strncasecmp(abs, "https://", 8)) continue;
        if (!g) {
            g = calloc(1, sizeof *g + c->o->max_resources * sizeof(uint64_t));
            if (!g) return;
            mt_strlcpy(g->page, base, sizeof g->page);
            g->refs = 1; /* held until this loop ends */
        }
        enqueue(c, g, abs, (unsigned char)(x->depth + 1));
    }
    if (g && !x->g) group_release(c, g);
}

static void copy_type(char *out, size_t cap, const char *ct)
{
    size_t n = 0;
    if (ct) {
        while (isspace((unsigned char)*ct)) ct++;
        for (; *ct && *ct != ';' && !isspace((unsigned char)*ct) && n + 1 < cap; ct++)
            out[n++] = (char)tolower((unsigned char)*ct);
    }
    out[n] = '\0';
}

static void done(crawl *c, xfer *x, CURLcode rc)
{
    mt_crawl_stats *st = c->st;
    long code = 0;
    curl_easy_getinfo(x->e, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_WRITE_ERROR && x->capped) rc = CURLE_OK;
    int is_page = x->depth == 0;
    if (rc != CURLE_OK && x->fallback) {
        /* https refused or broken for a bare domain: the site over http. */
        x->fallback = 0;
        st->http_fallbacks++;
        char url[300];
        snprintf(url, sizeof url, "http://%s/", x->domain);
        c->active--; /* start() counts it again */
        start(c, x, url);
        return;
    }
    if (rc != CURLE_OK || code < 200 || code >= 300) {
        count_fail(c, x, fail_reason(rc, code), rc, code);
    } else {
        char *eff = NULL, ctype[128];
        curl_easy_getinfo(x->e, CURLINFO_EFFECTIVE_URL, &eff);
        char *ct = NULL;
        curl_easy_getinfo(x->e, CURLINFO_CONTENT_TYPE, &ct);
        copy_type(ctype, sizeof ctype, ct);
        long redirs = 0;
        curl_easy_getinfo(x->e, CURLINFO_REDIRECT_COUNT, &redirs);
        if (redirs > 0) st->redirected++;
        char final[URL_CAP];
        mt_strlcpy(final, is_page && eff ? eff : x->url, sizeof final);
        if (is_page)
            st->pages_ok++;
        else
            st->resources_ok++;
        if (x->capped) st->capped++;
        st->bytes += x->len;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        mt_web_record r = {.uri = final,
                           .date = (mt_time_us)now.tv_sec * 1000000 + now.tv_nsec / 1000,
                           .http_status = (int)code,
                           .content_type = ctype,
                           .body = x->buf ? x->buf : (const uint8_t *)"",
                           .body_len = x->len,
                           .flags = x->capped ? MT_WEBREC_BODY_CAPPED : 0,
                           .warc_file = "crawl",
                           .offset = 0};
        if (c->fn(c->ctx, &r)) c->stop = 1;
        int wasm =
            (x->len >= 4 && !memcmp(x->buf, "\0asm", 4)) || !strcmp(ctype, "application/wasm");
        if (!c->stop && !wasm) follow(c, x, final, is_page && strstr(ctype, "html") != NULL);
    }
    group_release(c, x->g);
    x->g = NULL;
    x->busy = 0;
    c->active--;
}

static void progress(crawl *c, struct timespec *last, int *printed, int final)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!final && now.tv_sec - last->tv_sec < 1) return;
    if (final && !*printed) return;
    *last = now;
    *printed = 1;
    const mt_crawl_stats *s = c->st;
    fprintf(
        stderr,
        "\rminetrace web: crawl: %llu sites, %llu pages, %llu resources, %llu failed, %u active%s",
        (unsigned long long)s->lines, (unsigned long long)s->pages_ok,
        (unsigned long long)s->resources_ok, (unsigned long long)s->failed, c->active,
        final ? "   \n" : "   ");
}

int mt_crawl_run(const char *list_path, const mt_crawl_opts *oin, mt_web_record_fn fn, void *ctx,
                 mt_crawl_stats *st)
{
    memset(st, 0, sizeof *st);
    mt_crawl_opts o = *oin;
    if (!o.jobs) o.jobs = 16;
    if (!o.timeout_s) o.timeout_s = 20;
    if (!o.connect_timeout_s) o.connect_timeout_s = o.timeout_s < 10 ? o.timeout_s : 10;
    if (!o.max_body) o.max_body = MT_WEB_MAX_BODY_DEFAULT;
    mt_linereader *lr = mt_lr_open(list_path, 8192);
    if (!lr) return MT_EIO;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        mt_lr_close(lr);
        return mt_error_set(MT_EIO, "libcurl cannot be initialised");
    }
    crawl c;
    memset(&c, 0, sizeof c);
    c.o = &o;
    c.st = st;
    c.fn = fn;
    c.ctx = ctx;
    snprintf(c.ua, sizeof c.ua, "minetrace/%s (+cryptojacking research crawler)", MT_VERSION);
    int rc = MT_OK;
    c.m = curl_multi_init();
    c.x = calloc(o.jobs, sizeof *c.x);
    c.qcap = (size_t)o.jobs * (o.max_resources ? o.max_resources : 1);
    c.q = calloc(c.qcap, sizeof *c.q);
    c.js = mt_jsscan_new(NULL);
    if (!c.m || !c.x || !c.q || !c.js) {
        rc = mt_error_set(MT_EIO, "cannot set up the crawl: %s",
                          c.js ? "out of memory" : mt_error_msg());
        goto out;
    }
    for (size_t i = 0; i < o.n_resolve; i++) {
        struct curl_slist *l = curl_slist_append(c.resolve, o.resolve[i]);
        if (!l) {
            rc = MT_EIO;
            goto out;
        }
        c.resolve = l;
    }
    curl_multi_setopt(c.m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o.jobs);
    curl_multi_setopt(c.m, CURLMOPT_MAXCONNECTS, (long)o.jobs);
    for (unsigned i = 0; i < o.jobs; i++) {
        c.x[i].max = o.max_body;
        if (!(c.x[i].e = curl_easy_init())) {
            rc = mt_error_set(MT_EIO, "libcurl: cannot create a transfer");
            goto out;
        }
    }
    int eof = 0, printed = 0;
    struct timespec last;
    clock_gettime(CLOCK_MONOTONIC, &last);
    while (!c.stop) {
        xfer *x;
        while ((x = free_slot(&c)) != NULL) {
            if (c.qlen) {
                qitem *it = &c.q[c.qhead];
                c.qhead = (c.qhead + 1) % c.qcap;
                c.qlen--;
                x->g = it->g;
                x->depth = it->depth;
                x->fallback = 0;
                st->resources++;
                start(&c, x, it->url);
                continue;
            }
            /* A new page only when its resources will find room. */
            if (eof || c.qcap - c.qlen < (o.max_resources ? o.max_resources : 1)) break;
            char *line, url[URL_CAP];
            size_t len;
            int too_long;
            int r = mt_lr_next(lr, &line, &len, &too_long);
            if (r <= 0) {
                eof = 1;
                if (r < 0) rc = r;
                break;
            }
            int p = too_long ? -1 : parse_line(line, url, sizeof url, x->domain, sizeof x->domain);
            if (p == 0) continue;
            st->lines++;
            if (p < 0) {
                if (!st->bad_lines++) st->first_bad_line = mt_lr_lineno(lr);
                continue;
            }
            x->g = NULL;
            x->depth = 0;
            x->fallback = x->domain[0] != '\0';
            st->pages++;
            start(&c, x, url);
        }
        if (!c.active) break;
        int running = 0;
        curl_multi_perform(c.m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(c.m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            xfer *dx = NULL;
            CURL *e = msg->easy_handle;
            CURLcode res = msg->data.result;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&dx);
            curl_multi_remove_handle(c.m, e);
            if (dx) done(&c, dx, res);
        }
        if (o.progress) progress(&c, &last, &printed, 0);
        if (c.active && !c.qlen) curl_multi_poll(c.m, NULL, 0, 500, NULL);
    }
    if (o.progress) progress(&c, &last, &printed, 1);
out:
    if (c.x) {
        for (unsigned i = 0; i < o.jobs; i++) {
            if (c.x[i].e) {
                if (c.x[i].busy) {
                    curl_multi_remove_handle(c.m, c.x[i].e);
                    group_release(&c, c.x[i].g);
                }
                curl_easy_cleanup(c.x[i].e);
            }
            free(c.x[i].buf);
        }
    }
    for (size_t i = 0; c.q && i < c.qlen; i++) group_release(&c, c.q[(c.qhead + i) % c.qcap].g);
    free(c.x);
    free(c.q);
    mt_web_refs_free(&c.refs);
    mt_jsscan_free(c.js);
    curl_slist_free_all(c.resolve);
    if (c.m) curl_multi_cleanup(c.m);
    curl_global_cleanup();
    mt_lr_close(lr);
    return rc;
}
