/* Intel that stays fresh: the configured list sources, the cache of their
 * last good copies, and `minetrace intel update` (docs/INTEL.md, "Keeping
 * lists fresh").
 *
 * A source is a name, a URL, a kind (adblock, hosts, domains, ips,
 * et-rules), the category and weight its entries get, an optional pinned
 * SHA-256 and a size limit. The cache is a directory holding one copy per
 * source (NAME.list) and a state file (state.tsv) recording, per source,
 * the validators of the copy (ETag, Last-Modified), its SHA-256, size,
 * entry counts and the last update's status. A copy is only ever replaced
 * by rename(2) of a fetched file that was written, fsync'ed and validated
 * with the list loaders, so a failed or killed update leaves the last good
 * copy in place.
 *
 * The fetch (intel_fetch.c) is the one part that talks HTTP, through
 * libcurl; everything else here works on files and is tested without a
 * network. */
#ifndef MT_INTEL_UPDATE_H
#define MT_INTEL_UPDATE_H

#include <stdint.h>
#include <stdio.h>

#include "minetrace/intel.h"
#include "util/digest.h"

typedef enum mt_isrc_kind {
    MT_ISRC_ADBLOCK = 1, /* Adblock Plus / uBlock lists, Chrome match patterns */
    MT_ISRC_HOSTS,       /* hosts files ("0.0.0.0 name") */
    MT_ISRC_DOMAINS,     /* one name per line */
    MT_ISRC_IPS,         /* addresses and CIDRs */
    MT_ISRC_ET_RULES     /* Suricata rules: the names of coin-mining rules */
} mt_isrc_kind;

const char *mt_isrc_kind_str(mt_isrc_kind k);
int mt_isrc_kind_parse(const char *s); /* 0 when unknown */

#define MT_ISRC_NAME_MAX 48
#define MT_ISRC_URL_MAX 1024
#define MT_ISRC_DEFAULT_MAX_SIZE (32u << 20)
#define MT_ISRC_MAX_SIZE_LIMIT (1024u << 20)

typedef struct mt_isrc {
    char name[MT_ISRC_NAME_MAX + 1]; /* [A-Za-z0-9._-], not starting with '.' */
    char url[MT_ISRC_URL_MAX + 1];   /* http:// or https:// */
    mt_isrc_kind kind;
    mt_intel_category cat;
    int weight;                      /* 1..100 */
    uint64_t max_size;               /* bytes */
    int pinned;                      /* sha256 given */
    uint8_t sha256[MT_SHA256_LEN];
} mt_isrc;

typedef struct mt_isrc_list {
    mt_isrc *v;
    size_t n, cap;
} mt_isrc_list;

/* The sources file: one source a line,
 *     NAME KIND URL [category=C] [weight=N] [max-size=N[k|M]] [sha256=HEX]
 * '#' starts a comment line. Errors name `file` and the line. */
int mt_isrc_parse(mt_isrc_list *l, const char *text, size_t len, const char *file);
int mt_isrc_load(mt_isrc_list *l, const char *path);
/* The built-in list: the real upstream URLs (docs/INTEL.md). */
void mt_isrc_default(mt_isrc_list *l);
/* In the sources file's format (parseable by mt_isrc_parse). */
void mt_isrc_write(const mt_isrc_list *l, FILE *out);
const mt_isrc *mt_isrc_find(const mt_isrc_list *l, const char *name);
void mt_isrc_free(mt_isrc_list *l);

/* ---- the cache ---------------------------------------------------------- */

#define MT_ICACHE_TEXT_MAX 200

typedef struct mt_icache_entry {
    mt_isrc src;                    /* as configured at the last update */
    int have_copy;                  /* NAME.list holds a validated copy */
    char etag[MT_ICACHE_TEXT_MAX + 1];
    char last_modified[MT_ICACHE_TEXT_MAX + 1];
    uint8_t sha256[MT_SHA256_LEN];  /* of the copy */
    uint64_t size;
    mt_intel_load_stats counts;     /* the loader's counts on the copy */
    int64_t fetched;                /* unix time the copy was fetched (0: never) */
    int64_t checked;                /* unix time of the last update attempt */
    int ok;                         /* the last attempt succeeded */
    char status[MT_ICACHE_TEXT_MAX + 1]; /* printable ASCII */
} mt_icache_entry;

typedef struct mt_icache {
    char *dir;
    mt_icache_entry *v;
    size_t n, cap;
    int lock_fd;                    /* -1: not locked */
    uint64_t bad_lines;             /* state lines skipped when read */
} mt_icache;

/* The default directory: ${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/intel
 * (malloc'ed; NULL with an error when neither variable is set). */
char *mt_icache_default_dir(void);
/* Read DIR/state.tsv (missing: an empty cache). `create` makes DIR (and
 * its parents) when missing. A damaged state line is skipped and counted
 * (its source is then fetched afresh). */
int mt_icache_open(mt_icache *c, const char *dir, int create);
/* Parse state text (the file's body); for the fuzz target and tests. */
int mt_icache_parse(mt_icache *c, const char *text, size_t len);
/* Write the state atomically (temp file, fsync, rename, fsync of DIR). */
int mt_icache_save(const mt_icache *c);
/* An exclusive lock on DIR/.lock, without waiting: MT_EBUSY-like error
 * when another update holds it. Released by mt_icache_close. */
int mt_icache_lock(mt_icache *c);
void mt_icache_close(mt_icache *c);
mt_icache_entry *mt_icache_find(mt_icache *c, const char *name);
/* DIR/NAME.list, the copy of a source. */
void mt_icache_copy_path(const mt_icache *c, const char *name, char *out, size_t cap);

/* Load every entry with a copy into `in` with its kind's loader, weight and
 * category; `each` (may be NULL) is told of every entry loaded, with the
 * loader's counts. An unreadable copy is an error naming it. */
int mt_icache_load(mt_intel *in, const mt_icache *c,
                   void (*each)(void *ctx, const mt_icache_entry *e, const mt_intel_load_stats *st),
                   void *ctx);

/* One list file into `in` by kind: mt_intel_load_file for the list kinds,
 * the rule reader for et-rules. `source` names the entries. */
int mt_intel_load_kind(mt_intel *in, const char *path, mt_isrc_kind kind, int weight,
                       mt_intel_category cat, const char *source);
/* Suricata/Snort rules: the names in the dns.query, tls.sni,
 * tls.cert_subject (CN=) and http.host contents of active rules with
 * classtype:coin-mining, as domains (docs/INTEL.md). Stats as the list
 * loader's: domains, inert (coin-mining rules that gave no name),
 * skipped (lines that are no rule), comments (commented-out rules and
 * comment lines). */
int mt_intel_load_et_rules(mt_intel *in, FILE *f, const char *source, int weight,
                           mt_intel_category cat);
/* Entries a load gave that count for the kind: nothing counted means the
 * file did not parse as that kind. */
uint64_t mt_isrc_entries(mt_isrc_kind kind, const mt_intel_load_stats *st);

/* ---- the update --------------------------------------------------------- */

typedef struct mt_fetch_req {
    const char *url;
    const char *etag, *last_modified; /* conditional GET when set */
    uint64_t max_size;
    long timeout_s;
    int fd;                          /* the body goes here */
    volatile int *stop;              /* set from a signal handler: abort */
} mt_fetch_req;

typedef struct mt_fetch_res {
    long http;                       /* status code, 0 when none */
    int not_modified;                /* 304 */
    uint64_t size;
    uint8_t sha256[MT_SHA256_LEN];
    char etag[MT_ICACHE_TEXT_MAX + 1], last_modified[MT_ICACHE_TEXT_MAX + 1];
    char error[MT_ICACHE_TEXT_MAX + 1]; /* why it failed */
} mt_fetch_res;

/* Process-wide libcurl set-up, once before any fetch. */
int mt_fetch_global_init(void);
/* GET req->url into req->fd: MT_OK with res filled (a 304 writes
 * nothing), else an error code with res->error. */
int mt_fetch(const mt_fetch_req *req, mt_fetch_res *res);

typedef struct mt_update_opts {
    long timeout_s;                  /* per source */
    int force;                       /* no conditional GET */
    volatile int *stop;
} mt_update_opts;

/* Update one source in the (locked) cache: fetch, validate, replace or
 * keep. The entry's status says what happened. Returns MT_OK when the
 * source is fresh (fetched, not modified or unchanged), MT_ERR when it
 * failed and the last good copy (if any) stays, MT_EIO when the cache
 * itself could not be written. */
int mt_icache_update(mt_icache *c, const mt_isrc *src, const mt_update_opts *o);
/* Remove temp files (".NAME.*.part") a killed update left. */
void mt_icache_sweep(const mt_icache *c);
/* Drop entries (and their copies) of sources not in `l`. */
void mt_icache_prune(mt_icache *c, const mt_isrc_list *l);

#endif
