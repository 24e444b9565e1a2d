/* A directory of saved pages and their resources (see warc.h): walked in
 * sorted path order so runs are reproducible, symbolic links not followed
 * (a link loop or a link out of the tree is not the site's content). One
 * file buffer is reused for every file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/warc.h"

#define DEPTH_MAX 64
#define PATH_CAP  4096

typedef struct walk {
    mt_web_reader *rd;
    mt_web_record_fn fn;
    void *ctx;
    mt_web_stats *st;
    size_t root_len; /* bytes of the root and its slash in path */
    char path[PATH_CAP];
    uint8_t *buf;
    size_t buf_cap;
    char uri[PATH_CAP + 8];
    int stop;
} walk;

static const struct {
    const char *ext, *type;
} ext_types[] = {
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xhtml", "application/xhtml+xml"},
    {"shtml", "text/html"},
    {"php", "text/html"},
    {"asp", "text/html"},
    {"aspx", "text/html"},
    {"js", "application/javascript"},
    {"mjs", "application/javascript"},
    {"cjs", "application/javascript"},
    {"wasm", "application/wasm"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"css", "text/css"},
    {"txt", "text/plain"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
};

static const char *ext_type(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');
    if (!dot || !dot[1]) return NULL;
    for (size_t i = 0; i < sizeof ext_types / sizeof ext_types[0]; i++)
        if (strcasecmp(dot + 1, ext_types[i].ext) == 0) return ext_types[i].type;
    return NULL;
}

/* What the first bytes say, for a file without a known extension. */
static const char *sniff_type(const uint8_t *p, size_t n)
{
    if (n >= 4 && memcmp(p, "\0asm", 4) == 0) return "application/wasm";
    size_t i = 0;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    static const char *html[] = {"<!doctype html", "<html", "<head", "<body", "<script", "<!--"};
    for (size_t k = 0; k < sizeof html / sizeof html[0]; k++) {
        size_t l = strlen(html[k]);
        if (n - i >= l && strncasecmp((const char *)p + i, html[k], l) == 0) return "text/html";
    }
    if (n - i >= 5 && memcmp(p + i, "<?xml", 5) == 0) return "application/xml";
    return "";
}

/* Read up to max bytes of the file into w->buf; the file's size in *size. */
static int slurp(walk *w, int fd, size_t max, size_t *got, uint64_t size)
{
    size_t want = size < max ? (size_t)size : max;
    if (w->buf_cap < want + 1) {
        w->buf = mt_xrealloc(w->buf, want + 1);
        w->buf_cap = want + 1;
    }
    size_t n = 0;
    while (n < want) {
        ssize_t r = read(fd, w->buf + n, want - n);
        if (r == 0) break;
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        n += (size_t)r;
    }
    *got = n;
    return 0;
}

static void one_file(walk *w, const struct stat *sb)
{
    int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        w->st->malformed++;
        mt_web_reader_note(w->rd, w->path, 0, strerror(errno));
        return;
    }
    uint8_t head[512];
    ssize_t hn = pread(fd, head, sizeof head, 0);
    if (hn > 0 && mt_warc_sniff(head, (size_t)hn)) {
        close(fd);
        int stopped = 0;
        if (mt_web_reader_file(w->rd, w->path, &stopped) != MT_OK) {
            w->st->malformed++;
            mt_web_reader_note(w->rd, w->path, 0, mt_error_msg());
        }
        if (stopped) w->stop = 1;
        return;
    }
    size_t max = mt_web_reader_max_body(w->rd), n = 0;
    int rc = slurp(w, fd, max, &n, (uint64_t)sb->st_size);
    close(fd);
    if (rc < 0) {
        w->st->malformed++;
        mt_web_reader_note(w->rd, w->path, 0, strerror(errno));
        return;
    }
    w->st->records++;
    w->st->resources++;
    w->st->bytes_in += n;
    snprintf(w->uri, sizeof w->uri, "file://%s", w->path + w->root_len);
    const char *ct = ext_type(w->path);
    mt_web_record r = {0};
    r.uri = w->uri;
    r.date = (mt_time_us)sb->st_mtim.tv_sec * 1000000 + sb->st_mtim.tv_nsec / 1000;
    r.content_type = ct ? ct : sniff_type(w->buf, n);
    r.body = w->buf;
    r.body_len = n;
    if ((uint64_t)sb->st_size > n) {
        r.flags |= (uint64_t)sb->st_size > max ? MT_WEBREC_BODY_CAPPED : MT_WEBREC_TRUNCATED;
        if (r.flags & MT_WEBREC_TRUNCATED) w->st->truncated++;
    }
    r.warc_file = w->path;
    if (w->fn(w->ctx, &r)) w->stop = 1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walk *w, int depth)
{
    DIR *d = opendir(w->path);
    if (!d) {
        w->st->malformed++;
        mt_web_reader_note(w->rd, w->path, 0, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = mt_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = mt_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    size_t base = strlen(w->path);
    for (size_t i = 0; i < n && !w->stop; i++) {
        size_t l = strlen(names[i]);
        if (base + 1 + l >= sizeof w->path) {
            w->st->malformed++;
            mt_web_reader_note(w->rd, w->path, 0, "path too long, skipped");
            continue;
        }
        w->path[base] = '/';
        memcpy(w->path + base + 1, names[i], l + 1);
        struct stat sb;
        if (lstat(w->path, &sb) != 0) {
            w->st->malformed++;
            mt_web_reader_note(w->rd, w->path, 0, strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            if (depth < DEPTH_MAX)
                walk_dir(w, depth + 1);
            else {
                w->st->malformed++;
                mt_web_reader_note(w->rd, w->path, 0, "directories nested too deep, skipped");
            }
        } else if (S_ISREG(sb.st_mode)) {
            one_file(w, &sb);
        }
        w->path[base] = '\0';
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

int mt_webdir_read(const char *dir, const mt_web_read_opts *o, mt_web_record_fn fn, void *ctx,
                   mt_web_stats *st)
{
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return mt_error_set(MT_EIO, "cannot open %s: %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode)) return mt_error_set(MT_EIO, "%s is not a directory", dir);
    DIR *d = opendir(dir);
    if (!d) return mt_error_set(MT_EIO, "cannot open %s: %s", dir, strerror(errno));
    closedir(d);
    walk *w = mt_xcalloc(1, sizeof *w);
    size_t l = strlen(dir);
    while (l > 1 && dir[l - 1] == '/') l--;
    if (l + 2 >= sizeof w->path) {
        free(w);
        return mt_error_set(MT_EINVAL, "path too long: %s", dir);
    }
    memcpy(w->path, dir, l);
    w->path[l] = '\0';
    w->root_len = l + 1;
    w->rd = mt_web_reader_new(o, fn, ctx, st);
    w->fn = fn;
    w->ctx = ctx;
    w->st = st;
    walk_dir(w, 0);
    mt_web_reader_free(w->rd);
    free(w->buf);
    free(w);
    return MT_OK;
}
