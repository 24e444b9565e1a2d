/* Fuzz target: bytes as a scan-result file (nmap or masscan XML, masscan
 * JSON, ndjson or list, plain or gzip: the loader decides by content),
 * written to a temporary file because the loader reads paths through
 * util/bytestream. Every host and banner delivered is checked: ports
 * sorted and distinct, strings whole, kinds from the fixed set. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/scanres.h"

static char path[64];

static void check_host(const mt_scan_host *h)
{
    if (!h->device || (h->nopen && !h->open) || (h->nbanners && !h->banners)) abort();
    for (size_t i = 1; i < h->nopen; i++)
        if (h->open[i - 1] >= h->open[i]) abort();
    for (size_t i = 0; i < h->nbanners; i++) {
        const mt_scan_banner *b = &h->banners[i];
        if (!b->service || !b->text || !b->kind || !b->text[0]) abort();
        if (!mt_scan_host_open(h, b->port)) abort(); /* a banner's port is open */
        if (b->kind[0] && strcmp(b->kind, "ssh.banner") && strcmp(b->kind, "telnet.banner") &&
            strcmp(b->kind, "http_header.server") && strcmp(b->kind, "html_title"))
            abort();
        volatile size_t n = strlen(b->text) + strlen(b->service);
        (void)n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) snprintf(path, sizeof path, "/tmp/fuzz_scanres_%ld.in", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);
    mt_scanres *s = mt_scanres_new();
    mt_ingest_stats st;
    memset(&st, 0, sizeof st);
    mt_scanres_load(s, path, &st);
    if (st.error[sizeof st.error - 1] != '\0') abort();
    if (st.n_malformed_lines > MT_INGEST_MAX_LINENOS) abort();
    if (st.used > st.records) abort();
    /* load twice: every host merges with itself */
    size_t n1 = mt_scanres_hosts(s);
    memset(&st, 0, sizeof st);
    mt_scanres_load(s, path, &st);
    if (mt_scanres_hosts(s) != n1) abort();
    /* look every host up by the addresses in the input's lines */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *p = text; *p; p++)
        if (*p == '"' || *p == ' ' || *p == '\n' || *p == '=' || *p == '<' || *p == '>') *p = '\0';
    for (size_t i = 0; i < size; i++) {
        if (text[i] && (i == 0 || !text[i - 1])) {
            mt_addr a;
            if (mt_addr_parse(text + i, &a) == MT_OK) {
                const mt_scan_host *h = mt_scanres_get(s, &a);
                if (h) check_host(h);
            }
        }
    }
    free(text);
    mt_scanres_free(s);
    unlink(path);
    return 0;
}
