/* Site metadata: ranks and categories keyed by domain in string tables
 * (util/strtab: counter 0 holds the rank, counter 1 the category id + 1),
 * registrable domains from the public suffix list (libpsl). */
#include "web/siteinfo.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "minetrace/common.h"
#include "util/linereader.h"
#include "util/strtab.h"

struct mt_siteinfo {
    mt_strtab domains;    /* domain -> cnt[0] rank, cnt[1] category id + 1 */
    mt_strtab categories; /* category names */
    size_t n_ranked, n_categorised;
    psl_ctx_t *psl_file;  /* the system's list, when it could be read */
    const psl_ctx_t *psl; /* that, or the list compiled into libpsl */
};

mt_siteinfo *mt_siteinfo_new(void)
{
    mt_siteinfo *si = mt_xcalloc(1, sizeof *si);
    mt_strtab_init(&si->domains);
    mt_strtab_init(&si->categories);
    /* The system's list (Debian's publicsuffix package) is newer than the
     * one compiled into libpsl. */
    si->psl_file = psl_latest(NULL);
    si->psl = si->psl_file ? si->psl_file : psl_builtin();
    return si;
}

void mt_siteinfo_free(mt_siteinfo *si)
{
    if (!si) return;
    mt_strtab_free(&si->domains);
    mt_strtab_free(&si->categories);
    if (si->psl_file) psl_free(si->psl_file);
    free(si);
}

/* Lower-case, trim spaces, one trailing dot and a leading "*." (lists write
 * wildcards so); "www." stays, a host like any other. 0 when nothing is
 * left or the text cannot be a host name. */
static size_t clean_domain(const char *s, size_t n, char *out, size_t cap)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n >= 2 && s[0] == '*' && s[1] == '.') s += 2, n -= 2;
    if (n && s[n - 1] == '.') n--;
    if (n == 0 || n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80)) return 0;
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return n;
}

static void bad_line(mt_siteinfo_load_stats *st, uint64_t lineno, const char *why)
{
    st->skipped++;
    if (!st->first_bad_line) {
        st->first_bad_line = lineno;
        mt_strlcpy(st->first_bad, why, sizeof st->first_bad);
    }
}

int mt_siteinfo_load_ranks(mt_siteinfo *si, const char *path, mt_siteinfo_load_stats *st)
{
    mt_siteinfo_load_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof *st);
    mt_linereader *lr = mt_lr_open(path, 4096);
    if (!lr) return mt_error_context(MT_EIO, "--ranks");
    char *line;
    size_t len;
    int too_long, rc;
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        st->lines++;
        if (len == 0) continue;
        uint64_t no = mt_lr_lineno(lr);
        const char *comma = memchr(line, ',', len);
        if (too_long || !comma) {
            if (no == 1 && !too_long) continue; /* a header without a comma */
            bad_line(st, no, too_long ? "line too long" : "no comma (want rank,domain)");
            continue;
        }
        char *end;
        errno = 0;
        unsigned long r = strtoul(line, &end, 10);
        if (end != comma || errno || r == 0 || r > UINT32_MAX) {
            if (no == 1) continue; /* a header such as rank,domain */
            bad_line(st, no, "rank is not a number 1..4294967295");
            continue;
        }
        char d[256];
        size_t dn = clean_domain(comma + 1, len - (size_t)(comma + 1 - line), d, sizeof d);
        if (!dn) {
            bad_line(st, no, "not a domain name");
            continue;
        }
        uint32_t id = mt_strtab_intern(&si->domains, d, dn);
        if (si->domains.cnt[id][0]) {
            st->duplicates++;
            continue;
        }
        si->domains.cnt[id][0] = r;
        si->n_ranked++;
        st->used++;
    }
    mt_lr_close(lr);
    return rc < 0 ? rc : MT_OK;
}

static int add_category(mt_siteinfo *si, const char *domain, size_t dn, const char *cat, size_t cn,
                        mt_siteinfo_load_stats *st)
{
    char d[256];
    size_t n = clean_domain(domain, dn, d, sizeof d);
    if (!n) return -1;
    uint32_t id = mt_strtab_intern(&si->domains, d, n);
    if (si->domains.cnt[id][1]) {
        st->duplicates++;
        return 0;
    }
    uint32_t cid = mt_strtab_intern(&si->categories, cat, cn);
    si->domains.cnt[id][1] = (uint64_t)cid + 1;
    si->n_categorised++;
    st->used++;
    return 0;
}

/* One list of domains, one per line ('#' comments), all of category cat. */
static int load_domain_list(mt_siteinfo *si, const char *path, const char *cat,
                            mt_siteinfo_load_stats *st)
{
    mt_linereader *lr = mt_lr_open(path, 4096);
    if (!lr) return MT_EIO;
    char *line;
    size_t len;
    int too_long, rc;
    size_t cn = strlen(cat);
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        st->lines++;
        if (len == 0 || line[0] == '#') continue;
        if (too_long || add_category(si, line, len, cat, cn, st) < 0)
            bad_line(st, mt_lr_lineno(lr), "not a domain name");
    }
    mt_lr_close(lr);
    return rc < 0 ? rc : MT_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_category_dir(mt_siteinfo *si, const char *dir, mt_siteinfo_load_stats *st)
{
    DIR *d = opendir(dir);
    if (!d) return mt_error_set(MT_EIO, "--categories %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = mt_xrealloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
        names[n++] = mt_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = MT_OK;
    size_t lists = 0;
    for (size_t i = 0; i < n && rc == MT_OK; i++) {
        char path[4096], cat[128];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            /* UT1: DIR/<category>/domains */
            mt_strlcpy(cat, names[i], sizeof cat);
            snprintf(path, sizeof path, "%s/%s/domains", dir, names[i]);
            if (stat(path, &sb) != 0) continue;
        } else {
            /* flattened: DIR/<category>_domains.txt */
            const char *suffix = strstr(names[i], "_domains");
            if (!suffix) continue;
            size_t cn = (size_t)(suffix - names[i]);
            if (cn == 0 || cn >= sizeof cat) continue;
            memcpy(cat, names[i], cn);
            cat[cn] = '\0';
        }
        lists++;
        rc = load_domain_list(si, path, cat, st);
        if (rc) rc = mt_error_context(rc, path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc == MT_OK && lists == 0)
        return mt_error_set(MT_EINVAL, "--categories %s: no <category>/domains or <category>_domains.txt lists", dir);
    return rc;
}

static int load_category_csv(mt_siteinfo *si, const char *path, mt_siteinfo_load_stats *st)
{
    mt_linereader *lr = mt_lr_open(path, 4096);
    if (!lr) return mt_error_context(MT_EIO, "--categories");
    char *line;
    size_t len;
    int too_long, rc;
    while ((rc = mt_lr_next(lr, &line, &len, &too_long)) == 1) {
        st->lines++;
        if (len == 0 || line[0] == '#') continue;
        const char *comma = memchr(line, ',', len);
        uint64_t no = mt_lr_lineno(lr);
        if (too_long || !comma) {
            bad_line(st, no, "want domain,category");
            continue;
        }
        const char *cat = comma + 1;
        size_t cn = len - (size_t)(cat - line);
        while (cn && isspace((unsigned char)*cat)) cat++, cn--;
        while (cn && isspace((unsigned char)cat[cn - 1])) cn--;
        if (no == 1 && (strncmp(line, "domain", 6) == 0)) continue; /* header */
        if (cn == 0 || add_category(si, line, (size_t)(comma - line), cat, cn, st) < 0)
            bad_line(st, no, "want domain,category");
    }
    mt_lr_close(lr);
    return rc < 0 ? rc : MT_OK;
}

int mt_siteinfo_load_categories(mt_siteinfo *si, const char *path, mt_siteinfo_load_stats *st)
{
    mt_siteinfo_load_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof *st);
    struct stat sb;
    if (stat(path, &sb) != 0) return mt_error_set(MT_EIO, "--categories %s: %s", path, strerror(errno));
    return S_ISDIR(sb.st_mode) ? load_category_dir(si, path, st) : load_category_csv(si, path, st);
}

/* The host's own entry, else the nearest parent's with counter k set. */
static uint64_t lookup(const mt_siteinfo *si, const char *host, int k)
{
    char h[256];
    size_t n = clean_domain(host, strlen(host), h, sizeof h);
    const char *p = h;
    while (n) {
        int64_t id = mt_strtab_find(&si->domains, p, n);
        if (id >= 0 && si->domains.cnt[id][k]) return si->domains.cnt[id][k];
        const char *dot = memchr(p, '.', n);
        if (!dot) break;
        n -= (size_t)(dot + 1 - p);
        p = dot + 1;
    }
    return 0;
}

uint32_t mt_siteinfo_rank(const mt_siteinfo *si, const char *host)
{
    return (uint32_t)lookup(si, host, 0);
}

const char *mt_siteinfo_category(const mt_siteinfo *si, const char *host)
{
    uint64_t c = lookup(si, host, 1);
    return c ? mt_strtab_str(&si->categories, (uint32_t)(c - 1)) : "";
}

size_t mt_siteinfo_n_ranked(const mt_siteinfo *si) { return si->n_ranked; }
size_t mt_siteinfo_n_categorised(const mt_siteinfo *si) { return si->n_categorised; }

int mt_siteinfo_site(const mt_siteinfo *si, const char *host, char *out, size_t cap)
{
    char h[256];
    size_t n = clean_domain(host, strlen(host), h, sizeof h);
    if (!n || cap == 0) return -1;
    const char *r = NULL;
    mt_addr a;
    if (mt_addr_parse(h, &a) != MT_OK && si->psl) r = psl_registrable_domain(si->psl, h);
    if (!r) r = h;
    if (strlen(r) >= cap) return -1;
    mt_strlcpy(out, r, cap);
    return 0;
}
