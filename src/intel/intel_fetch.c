/* The HTTP side of `minetrace intel update`: one conditional GET through
 * libcurl's easy interface, the body streamed to a file descriptor with
 * its SHA-256 taken on the way and the size limit enforced on the way (a
 * Content-Length over the limit stops the transfer before the body). */
#include "intel/intel_update.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "minetrace/version.h"

int mt_fetch_global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return mt_error_set(MT_ERR, "libcurl could not be initialised");
    return MT_OK;
}

typedef struct fetch_ctx {
    const mt_fetch_req *rq;
    mt_fetch_res *rs;
    CURL *e;
    mt_digest d;
    int too_large, write_failed;
    long code;                   /* of the response the headers belong to */
} fetch_ctx;

/* A header value, trimmed, into a result field. */
static void header_value(const char *h, size_t n, size_t skip, char *out)
{
    const char *v = h + skip;
    size_t vn = n - skip;
    while (vn && (*v == ' ' || *v == '\t')) { v++; vn--; }
    while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' ')) vn--;
    size_t k = 0;
    for (size_t i = 0; i < vn && k < MT_ICACHE_TEXT_MAX; i++)
        out[k++] = (unsigned char)v[i] >= ' ' && (unsigned char)v[i] < 0x7f ? v[i] : '?';
    out[k] = '\0';
}

static size_t on_header(char *h, size_t size, size_t nmemb, void *arg)
{
    fetch_ctx *x = arg;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(h, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100): its headers only */
        x->rs->etag[0] = x->rs->last_modified[0] = '\0';
        return n;
    }
    if (n > 5 && strncasecmp(h, "ETag:", 5) == 0) header_value(h, n, 5, x->rs->etag);
    else if (n > 14 && strncasecmp(h, "Last-Modified:", 14) == 0) header_value(h, n, 14, x->rs->last_modified);
    else if (n > 15 && strncasecmp(h, "Content-Length:", 15) == 0) {
        long code = 0;
        curl_easy_getinfo(x->e, CURLINFO_RESPONSE_CODE, &code);
        unsigned long long len = strtoull(h + 15, NULL, 10);
        if (code == 200 && len > x->rq->max_size) {
            x->too_large = 1;
            return 0; /* stops the transfer */
        }
    }
    return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
    fetch_ctx *x = arg;
    size_t n = size * nmemb;
    long code = 0;
    curl_easy_getinfo(x->e, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) return n; /* an error page: not kept */
    if (x->rs->size + n > x->rq->max_size) {
        x->too_large = 1;
        return 0;
    }
    for (size_t off = 0; off < n;) {
        ssize_t w = write(x->rq->fd, p + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            x->write_failed = errno ? errno : EIO;
            return 0;
        }
        off += (size_t)w;
    }
    mt_digest_update(&x->d, p, n);
    x->rs->size += n;
    return n;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    fetch_ctx *x = arg;
    (void)dt; (void)dn; (void)ut; (void)un;
    return x->rq->stop && *x->rq->stop ? 1 : 0;
}

int mt_fetch(const mt_fetch_req *rq, mt_fetch_res *rs)
{
    memset(rs, 0, sizeof *rs);
    fetch_ctx x = {rq, rs, NULL, {0}, 0, 0, 0};
    if (mt_digest_init(&x.d, MT_DIGEST_SHA256) != MT_OK) {
        snprintf(rs->error, sizeof rs->error, "SHA-256 not available");
        uint8_t h[MT_DIGEST_MAX];
        mt_digest_final(&x.d, h);
        return MT_ERR;
    }
    CURL *e = curl_easy_init();
    if (!e) {
        uint8_t h[MT_DIGEST_MAX];
        mt_digest_final(&x.d, h);
        snprintf(rs->error, sizeof rs->error, "libcurl: no handle");
        return MT_ERR;
    }
    x.e = e;
    char err[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdr = NULL;
    char line[MT_ICACHE_TEXT_MAX + 32];
    if (rq->etag && rq->etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", rq->etag);
        hdr = curl_slist_append(hdr, line);
    }
    if (rq->last_modified && rq->last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", rq->last_modified);
        hdr = curl_slist_append(hdr, line);
    }
    curl_easy_setopt(e, CURLOPT_URL, rq->url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT, rq->timeout_s > 0 ? rq->timeout_s : 120L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "minetrace/" MT_VERSION " (intel update)");
    /* Identity bodies: the SHA-256 and the size limit are of the list as
     * the server has it, and no decompression bomb gets past the limit. */
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    CURLcode cc = curl_easy_perform(e);
    long code = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    rs->http = code;
    uint8_t h[MT_DIGEST_MAX];
    mt_digest_final(&x.d, h);
    memcpy(rs->sha256, h, MT_SHA256_LEN);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(e);
    int rc = MT_ERR;
    if (x.too_large)
        snprintf(rs->error, sizeof rs->error, "larger than the limit of %llu bytes",
                 (unsigned long long)rq->max_size);
    else if (x.write_failed)
        snprintf(rs->error, sizeof rs->error, "cannot write the cache: %s", strerror(x.write_failed));
    else if (cc == CURLE_ABORTED_BY_CALLBACK)
        snprintf(rs->error, sizeof rs->error, "interrupted");
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        snprintf(rs->error, sizeof rs->error, "timed out after %ld s", rq->timeout_s > 0 ? rq->timeout_s : 120L);
    else if (cc != CURLE_OK)
        mt_strlcpy(rs->error, err[0] ? err : curl_easy_strerror(cc), sizeof rs->error);
    else if (code == 304) {
        rs->not_modified = 1;
        rc = MT_OK;
    } else if (code != 200)
        snprintf(rs->error, sizeof rs->error, "HTTP %ld", code);
    else
        rc = MT_OK;
    return rc;
}
