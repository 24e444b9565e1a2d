/* The intel cache: a directory of last good copies (NAME.list) and their
 * state (state.tsv), and the update of one source into it.
 *
 * Replacing a copy: the body goes to a temp file ".NAME.XXXXXX.part" in the
 * same directory, is fsync'ed, loaded with the kind's loader into a
 * scratch indicator set (a list that gives nothing is no list), checked
 * against the pinned SHA-256, and only then renamed over NAME.list; the
 * directory is fsync'ed after. The state file is replaced the same way.
 * Whatever happens to the process, NAME.list is the old copy or the new
 * one, never a part. */
#include "intel/intel_update.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "intel/intel_internal.h"

int mt_isrc_hex32(const char *s, size_t n, uint8_t out[MT_SHA256_LEN]);

#define STATE_FILE "state.tsv"
#define STATE_HEADER "#minetrace-intel-state\t1"

char *mt_icache_default_dir(void)
{
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char buf[4096];
    if (x && x[0] == '/') snprintf(buf, sizeof buf, "%s/minetrace/intel", x);
    else if (home && *home) snprintf(buf, sizeof buf, "%s/.cache/minetrace/intel", home);
    else {
        mt_error_set(MT_EINVAL, "no cache directory: set HOME or XDG_CACHE_HOME, or give --dir");
        return NULL;
    }
    return mt_xstrdup(buf);
}

static int mkdirs(const char *dir)
{
    char p[4096];
    if (mt_strlcpy(p, dir, sizeof p) >= sizeof p - 1) return mt_error_set(MT_EINVAL, "cache directory name too long");
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return mt_error_set(MT_EIO, "cannot create '%s': %s", p, strerror(errno));
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        return mt_error_set(MT_EIO, "cannot create cache directory '%s': %s", p, strerror(errno));
    return MT_OK;
}

mt_icache_entry *mt_icache_find(mt_icache *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].src.name, name) == 0) return &c->v[i];
    return NULL;
}

static mt_icache_entry *add_entry(mt_icache *c)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->v = mt_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    mt_icache_entry *e = &c->v[c->n++];
    memset(e, 0, sizeof *e);
    return e;
}

void mt_icache_copy_path(const mt_icache *c, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s.list", c->dir, name);
}

/* Text from the network (ETag, Last-Modified, error messages) kept
 * printable ASCII without tabs, so the state stays one line per source and
 * no output receives control bytes. */
static void clean_copy(char *dst, const char *src, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; src[i] && k < n && k < MT_ICACHE_TEXT_MAX; i++)
        dst[k++] = (unsigned char)src[i] >= ' ' && (unsigned char)src[i] < 0x7f ? src[i] : '?';
    dst[k] = '\0';
}

/* ---- state.tsv ------------------------------------------------------------ */

enum {
    F_NAME, F_KIND, F_CAT, F_WEIGHT, F_MAXSIZE, F_PIN, F_URL, F_HAVE, F_ETAG, F_LASTMOD, F_SHA, F_SIZE,
    F_DOMAINS, F_IPS, F_CIDRS, F_SKIPPED, F_WALLETS, F_SITEKEYS, F_URLRULES, F_EXC, F_REGEX, F_INERT,
    F_COSMETIC, F_SCRIPTLETS, F_COMMENTS, F_FETCHED, F_CHECKED, F_GOOD, F_STATUS, F_N
};

static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s || strlen(s) > 19) return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static int parse_fields(mt_icache_entry *e, char **f)
{
    uint64_t v[F_N] = {0};
    static const int nums[] = {F_WEIGHT, F_MAXSIZE, F_HAVE, F_SIZE, F_DOMAINS, F_IPS, F_CIDRS, F_SKIPPED,
                               F_WALLETS, F_SITEKEYS, F_URLRULES, F_EXC, F_REGEX, F_INERT, F_COSMETIC,
                               F_SCRIPTLETS, F_COMMENTS, F_FETCHED, F_CHECKED, F_GOOD};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (parse_u64(f[nums[i]], &v[nums[i]])) return -1;
    size_t nl = strlen(f[F_NAME]);
    if (nl == 0 || nl > MT_ISRC_NAME_MAX || strchr(f[F_NAME], '/') || f[F_NAME][0] == '.') return -1;
    int kind = mt_isrc_kind_parse(f[F_KIND]), cat = mt_intel_category_parse(f[F_CAT]);
    if (!kind || !cat || v[F_WEIGHT] < 1 || v[F_WEIGHT] > 100 || v[F_HAVE] > 1 || v[F_GOOD] > 1) return -1;
    if (v[F_MAXSIZE] < 1 || v[F_MAXSIZE] > MT_ISRC_MAX_SIZE_LIMIT) return -1;
    if (strlen(f[F_URL]) > MT_ISRC_URL_MAX) return -1;
    memcpy(e->src.name, f[F_NAME], nl + 1);
    mt_strlcpy(e->src.url, f[F_URL], sizeof e->src.url);
    e->src.kind = (mt_isrc_kind)kind;
    e->src.cat = (mt_intel_category)cat;
    e->src.weight = (int)v[F_WEIGHT];
    e->src.max_size = v[F_MAXSIZE];
    if (strcmp(f[F_PIN], "-") != 0) {
        if (mt_isrc_hex32(f[F_PIN], strlen(f[F_PIN]), e->src.sha256)) return -1;
        e->src.pinned = 1;
    }
    e->have_copy = (int)v[F_HAVE];
    if (strcmp(f[F_SHA], "-") != 0 && mt_isrc_hex32(f[F_SHA], strlen(f[F_SHA]), e->sha256)) return -1;
    if (e->have_copy && strcmp(f[F_SHA], "-") == 0) return -1;
    clean_copy(e->etag, strcmp(f[F_ETAG], "-") ? f[F_ETAG] : "", MT_ICACHE_TEXT_MAX);
    clean_copy(e->last_modified, strcmp(f[F_LASTMOD], "-") ? f[F_LASTMOD] : "", MT_ICACHE_TEXT_MAX);
    clean_copy(e->status, strcmp(f[F_STATUS], "-") ? f[F_STATUS] : "", MT_ICACHE_TEXT_MAX);
    e->size = v[F_SIZE];
    mt_intel_load_stats *s = &e->counts;
    s->domains = v[F_DOMAINS]; s->ips = v[F_IPS]; s->cidrs = v[F_CIDRS]; s->skipped = v[F_SKIPPED];
    s->wallets = v[F_WALLETS]; s->sitekeys = v[F_SITEKEYS]; s->url_rules = v[F_URLRULES];
    s->exceptions = v[F_EXC]; s->regexes = v[F_REGEX]; s->inert = v[F_INERT]; s->cosmetic = v[F_COSMETIC];
    s->scriptlets = v[F_SCRIPTLETS]; s->comments = v[F_COMMENTS];
    e->fetched = (int64_t)(v[F_FETCHED] & INT64_MAX);
    e->checked = (int64_t)(v[F_CHECKED] & INT64_MAX);
    e->ok = (int)v[F_GOOD];
    return 0;
}

int mt_icache_parse(mt_icache *c, const char *text, size_t len)
{
    char *line = mt_xmalloc(len + 1);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        memcpy(line, text + i, n);
        line[n] = '\0';
        i += n + 1;
        if (n == 0 || line[0] == '#') continue;
        if (memchr(line, '\0', n)) { c->bad_lines++; continue; }
        char *f[F_N];
        size_t nf = 0;
        for (char *p = line;;) {
            if (nf == F_N) { nf++; break; }
            f[nf++] = p;
            char *t = strchr(p, '\t');
            if (!t) break;
            *t = '\0';
            p = t + 1;
        }
        mt_icache_entry tmp;
        memset(&tmp, 0, sizeof tmp);
        if (nf != F_N || parse_fields(&tmp, f) || mt_icache_find(c, tmp.src.name)) {
            c->bad_lines++;
            continue;
        }
        *add_entry(c) = tmp;
    }
    free(line);
    return MT_OK;
}

int mt_icache_open(mt_icache *c, const char *dir, int create)
{
    memset(c, 0, sizeof *c);
    c->lock_fd = -1;
    c->dir = mt_xstrdup(dir);
    size_t dl = strlen(c->dir);
    while (dl > 1 && c->dir[dl - 1] == '/') c->dir[--dl] = '\0';
    struct stat st;
    if (stat(c->dir, &st) != 0) {
        if (errno != ENOENT || !create) {
            int rc = mt_error_set(MT_EIO, "cache directory '%s': %s", c->dir, strerror(errno));
            return rc;
        }
        int rc = mkdirs(c->dir);
        if (rc != MT_OK) return rc;
    } else if (!S_ISDIR(st.st_mode)) {
        return mt_error_set(MT_EINVAL, "'%s' is not a directory", c->dir);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/" STATE_FILE, c->dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return MT_OK;
        return mt_error_set(MT_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[8192];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && len < (16u << 20)) {
        if (len + got > cap) text = mt_xrealloc(text, cap = 2 * (len + got));
        memcpy(text + len, chunk, got);
        len += got;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(text);
        return mt_error_set(MT_EIO, "read error in '%s'", path);
    }
    int rc = mt_icache_parse(c, text ? text : "", len);
    free(text);
    return rc;
}

static void put_field(FILE *f, const char *s)
{
    fputs(s && *s ? s : "-", f);
    fputc('\t', f);
}

static void put_hex(FILE *f, const uint8_t *h)
{
    for (size_t k = 0; k < MT_SHA256_LEN; k++) fprintf(f, "%02x", h[k]);
    fputc('\t', f);
}

/* fsync of a directory, so a rename in it survives a crash. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int mt_icache_save(const mt_icache *c)
{
    char tmp[4200], path[4200];
    snprintf(path, sizeof path, "%s/" STATE_FILE, c->dir);
    snprintf(tmp, sizeof tmp, "%s/." STATE_FILE ".XXXXXX.part", c->dir);
    int fd = mkstemps(tmp, 5);
    if (fd >= 0) (void)fchmod(fd, 0644);
    if (fd < 0) return mt_error_set(MT_EIO, "cannot write in '%s': %s", c->dir, strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return mt_error_set(MT_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    }
    fputs(STATE_HEADER "\n", f);
    fputs("#name\tkind\tcategory\tweight\tmax_size\tpinned_sha256\turl\thave_copy\tetag\tlast_modified\tsha256\tsize"
          "\tdomains\tips\tcidrs\tskipped\twallets\tsitekeys\turl_rules\texceptions\tregexes\tinert\tcosmetic"
          "\tscriptlets\tcomments\tfetched\tchecked\tok\tstatus\n", f);
    for (size_t i = 0; i < c->n; i++) {
        const mt_icache_entry *e = &c->v[i];
        const mt_intel_load_stats *s = &e->counts;
        fprintf(f, "%s\t%s\t%s\t%d\t%llu\t", e->src.name, mt_isrc_kind_str(e->src.kind),
                mt_intel_category_str(e->src.cat), e->src.weight, (unsigned long long)e->src.max_size);
        if (e->src.pinned) put_hex(f, e->src.sha256);
        else put_field(f, NULL);
        put_field(f, e->src.url);
        fprintf(f, "%d\t", e->have_copy);
        put_field(f, e->etag);
        put_field(f, e->last_modified);
        if (e->have_copy) put_hex(f, e->sha256);
        else put_field(f, NULL);
        fprintf(f, "%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%lld\t%lld\t%d\t",
                (unsigned long long)e->size, (unsigned long long)s->domains, (unsigned long long)s->ips,
                (unsigned long long)s->cidrs, (unsigned long long)s->skipped, (unsigned long long)s->wallets,
                (unsigned long long)s->sitekeys, (unsigned long long)s->url_rules,
                (unsigned long long)s->exceptions, (unsigned long long)s->regexes, (unsigned long long)s->inert,
                (unsigned long long)s->cosmetic, (unsigned long long)s->scriptlets,
                (unsigned long long)s->comments, (long long)e->fetched, (long long)e->checked, e->ok);
        fputs(e->status[0] ? e->status : "-", f);
        fputc('\n', f);
    }
    int bad = fflush(f) != 0 || ferror(f) || fsync(fd) != 0;
    int err = errno;
    if (fclose(f) != 0) bad = 1;
    if (bad || rename(tmp, path) != 0) {
        if (!bad) err = errno;
        unlink(tmp);
        return mt_error_set(MT_EIO, "cannot write '%s': %s", path, strerror(err));
    }
    sync_dir(c->dir);
    return MT_OK;
}

int mt_icache_lock(mt_icache *c)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.lock", c->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return mt_error_set(MT_EIO, "cannot open '%s': %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        close(fd);
        if (err == EWOULDBLOCK) return mt_error_set(MT_EIO, "another update holds '%s'", path);
        return mt_error_set(MT_EIO, "cannot lock '%s': %s", path, strerror(err));
    }
    c->lock_fd = fd;
    return MT_OK;
}

void mt_icache_close(mt_icache *c)
{
    if (c->lock_fd >= 0) close(c->lock_fd);
    free(c->dir);
    free(c->v);
    memset(c, 0, sizeof *c);
    c->lock_fd = -1;
}

int mt_icache_load(mt_intel *in, const mt_icache *c,
                   void (*each)(void *ctx, const mt_icache_entry *e, const mt_intel_load_stats *st),
                   void *ctx)
{
    for (size_t i = 0; i < c->n; i++) {
        const mt_icache_entry *e = &c->v[i];
        if (!e->have_copy) continue;
        char path[4200];
        mt_icache_copy_path(c, e->src.name, path, sizeof path);
        int rc = mt_intel_load_kind(in, path, e->src.kind, e->src.weight, e->src.cat, e->src.name);
        if (rc != MT_OK) return rc;
        if (each) each(ctx, e, mt_intel_last_load(in));
    }
    return MT_OK;
}

void mt_icache_sweep(const mt_icache *c)
{
    /* By pattern over the directory: parts of sources since removed too. */
    DIR *d = opendir(c->dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (de->d_name[0] != '.' || n < 6 || strcmp(de->d_name + n - 5, ".part") != 0) continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", c->dir, de->d_name);
        unlink(path);
    }
    closedir(d);
}

void mt_icache_prune(mt_icache *c, const mt_isrc_list *l)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (mt_isrc_find(l, c->v[i].src.name)) {
            c->v[k++] = c->v[i];
            continue;
        }
        char path[4200];
        mt_icache_copy_path(c, c->v[i].src.name, path, sizeof path);
        unlink(path);
    }
    c->n = k;
}

/* The SHA-256 of a file, streamed; 0 on success. */
static int file_sha256(const char *path, uint8_t out[MT_SHA256_LEN], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    mt_digest d;
    if (mt_digest_init(&d, MT_DIGEST_SHA256) != MT_OK) {
        close(fd);
        return -1;
    }
    char buf[65536];
    ssize_t got;
    uint64_t n = 0;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        mt_digest_update(&d, buf, (size_t)got);
        n += (uint64_t)got;
    }
    close(fd);
    uint8_t h[MT_DIGEST_MAX];
    if (mt_digest_final(&d, h) != MT_OK || got < 0) return -1;
    memcpy(out, h, MT_SHA256_LEN);
    *size = n;
    return 0;
}

/* Does the file's first non-blank byte (after a UTF-8 BOM) open a tag? */
static int starts_with_markup(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char b[512];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    size_t i = n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
    return i < n && b[i] == '<';
}

static void set_status(mt_icache_entry *e, int ok, const char *fmt, ...) MT_PRINTF(3, 4);
static void set_status(mt_icache_entry *e, int ok, const char *fmt, ...)
{
    char t[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    clean_copy(e->status, t, MT_ICACHE_TEXT_MAX);
    e->ok = ok;
}

int mt_icache_update(mt_icache *c, const mt_isrc *src, const mt_update_opts *o)
{
    mt_icache_entry *e = mt_icache_find(c, src->name);
    if (!e) e = add_entry(c);
    /* A changed URL or kind is another list: its validators do not apply. */
    int same = e->src.name[0] && strcmp(e->src.url, src->url) == 0 && e->src.kind == src->kind;
    e->src = *src;
    e->checked = (int64_t)time(NULL);
    char copy[4200], tmp[4200];
    mt_icache_copy_path(c, src->name, copy, sizeof copy);
    /* Send validators only for a copy that is still the one recorded. */
    int conditional = 0;
    if (e->have_copy) {
        uint8_t h[MT_SHA256_LEN];
        uint64_t sz = 0;
        if (file_sha256(copy, h, &sz) != 0 || memcmp(h, e->sha256, MT_SHA256_LEN) != 0 || sz != e->size) {
            e->have_copy = 0; /* gone or edited: fetch it whole */
        } else {
            /* a pin the copy does not meet: fetch whole, check the body */
            int pin_ok = !src->pinned || memcmp(src->sha256, e->sha256, MT_SHA256_LEN) == 0;
            conditional = same && pin_ok && !o->force && (e->etag[0] || e->last_modified[0]);
        }
    }
    if (!e->have_copy) {
        e->etag[0] = e->last_modified[0] = '\0';
        memset(&e->counts, 0, sizeof e->counts);
        e->size = 0;
    }
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX.part", c->dir, src->name);
    int fd = mkstemps(tmp, 5);
    if (fd >= 0) (void)fchmod(fd, 0644); /* a list is no secret; mkstemp makes 0600 */
    if (fd < 0) {
        set_status(e, 0, "failed: cannot create a file in the cache: %s", strerror(errno));
        return mt_error_set(MT_EIO, "cannot write in '%s': %s", c->dir, strerror(errno));
    }
    mt_fetch_req rq = {src->url, conditional ? e->etag : NULL, conditional ? e->last_modified : NULL,
                       src->max_size, o->timeout_s, fd, o->stop};
    mt_fetch_res rs;
    int rc = mt_fetch(&rq, &rs);
    int synced = rc == MT_OK && !rs.not_modified ? fsync(fd) == 0 : 1;
    int serr = errno;
    close(fd);
    const char *keep = e->have_copy ? "; last good copy kept" : "; no copy yet";
    if (rc != MT_OK) {
        unlink(tmp);
        set_status(e, 0, "failed: %s%s", rs.error, keep);
        return MT_ERR;
    }
    if (rs.not_modified) {
        unlink(tmp);
        if (!e->have_copy) {
            set_status(e, 0, "failed: 304 Not Modified without a copy%s", keep);
            return MT_ERR;
        }
        set_status(e, 1, "not modified (HTTP 304)");
        return MT_OK;
    }
    if (!synced) {
        unlink(tmp);
        set_status(e, 0, "failed: cannot write the cache: %s%s", strerror(serr), keep);
        return mt_error_set(MT_EIO, "cannot write '%s': %s", tmp, strerror(serr));
    }
    if (src->pinned && memcmp(rs.sha256, src->sha256, MT_SHA256_LEN) != 0) {
        unlink(tmp);
        set_status(e, 0, "failed: SHA-256 differs from the pinned sha256%s", keep);
        return MT_ERR;
    }
    if (e->have_copy && memcmp(rs.sha256, e->sha256, MT_SHA256_LEN) == 0) {
        unlink(tmp);
        clean_copy(e->etag, rs.etag, MT_ICACHE_TEXT_MAX);
        clean_copy(e->last_modified, rs.last_modified, MT_ICACHE_TEXT_MAX);
        set_status(e, 1, "unchanged (HTTP %ld, same SHA-256)", rs.http);
        return MT_OK;
    }
    /* Validate: no list of any kind starts with '<' (a login, error or
     * "moved" page served with 200), and the kind's loader must find
     * entries in it. */
    if (starts_with_markup(tmp)) {
        unlink(tmp);
        set_status(e, 0, "failed: does not parse as %s (an HTML or XML page)%s", mt_isrc_kind_str(src->kind), keep);
        return MT_ERR;
    }
    mt_intel *scratch = mt_intel_new();
    rc = mt_intel_load_kind(scratch, tmp, src->kind, src->weight, src->cat, src->name);
    mt_intel_load_stats st = *mt_intel_last_load(scratch);
    mt_intel_free(scratch);
    uint64_t entries = mt_isrc_entries(src->kind, &st);
    if (rc != MT_OK || entries == 0 || st.skipped > entries) {
        unlink(tmp);
        if (rc != MT_OK) set_status(e, 0, "failed: cannot read the fetched file%s", keep);
        else
            set_status(e, 0, "failed: does not parse as %s (%llu entries, %llu lines skipped)%s",
                       mt_isrc_kind_str(src->kind), (unsigned long long)entries,
                       (unsigned long long)st.skipped, keep);
        return MT_ERR;
    }
    if (rename(tmp, copy) != 0) {
        int err = errno;
        unlink(tmp);
        set_status(e, 0, "failed: cannot replace the copy: %s%s", strerror(err), keep);
        return mt_error_set(MT_EIO, "cannot rename to '%s': %s", copy, strerror(err));
    }
    sync_dir(c->dir);
    int had = e->have_copy;
    e->have_copy = 1;
    memcpy(e->sha256, rs.sha256, MT_SHA256_LEN);
    e->size = rs.size;
    e->counts = st;
    e->fetched = e->checked;
    clean_copy(e->etag, rs.etag, MT_ICACHE_TEXT_MAX);
    clean_copy(e->last_modified, rs.last_modified, MT_ICACHE_TEXT_MAX);
    set_status(e, 1, "%s (HTTP %ld, %llu entries)", had ? "replaced" : "fetched", rs.http,
               (unsigned long long)entries);
    return MT_OK;
}
