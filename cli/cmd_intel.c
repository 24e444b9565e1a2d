/* minetrace intel: keep the public indicator lists fresh in a cache
 * directory (update), say how fresh they are (list), print the sources
 * (sources). The other commands load the cache with --intel DIR. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

#include "intel/intel_update.h"
#include "minetrace/common.h"
#include "util/buf.h"

enum { OPT_DIR = MT_OPT_OWN, OPT_SOURCES, OPT_TIMEOUT, OPT_FORCE };

static const mt_cli_opt intel_opts[] = {
    {0, NULL, 0, NULL, "Cache and sources:"},
    {OPT_DIR, "dir", 0, "DIR",
     "The cache directory (default\n${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/intel)."},
    {OPT_SOURCES, "sources", 0, "FILE",
     "The sources file (format in docs/INTEL.md; default: the\nbuilt-in list, `minetrace intel sources`)."},
    {0, NULL, 0, NULL, "Update:"},
    {OPT_TIMEOUT, "timeout", 0, "SECONDS", "Give up on a source after SECONDS (default 120)."},
    {OPT_FORCE, "force", 0, NULL, "Fetch every list whole (no If-None-Match or\nIf-Modified-Since)."},
    {0, NULL, 0, NULL, "Output:"},
    {MT_OPT_JSON, NULL, 0, NULL, "list: one JSON object per source, one per line."},
    {MT_OPT_OUTPUT, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, "update: print nothing but errors."},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

typedef struct intel_args {
    const char *dir, *sources;
    unsigned long timeout;
    int force;
} intel_args;

static int own(void *ctx, int id, const char *arg)
{
    intel_args *a = ctx;
    switch (id) {
    case OPT_DIR: a->dir = arg; return 0;
    case OPT_SOURCES: a->sources = arg; return 0;
    case OPT_TIMEOUT:
        if (mt_cli_uint(&mt_cli_intel_cmd, "--timeout", arg, 86400, &a->timeout)) return MT_EXIT_ERROR;
        if (!a->timeout) return mt_cli_usage(&mt_cli_intel_cmd, "--timeout must be at least 1");
        return 0;
    case OPT_FORCE: a->force = 1; return 0;
    }
    return MT_EXIT_ERROR;
}

static volatile int stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int load_sources(const intel_args *a, mt_isrc_list *l)
{
    memset(l, 0, sizeof *l);
    if (!a->sources) {
        mt_isrc_default(l);
        return MT_OK;
    }
    int rc = mt_isrc_load(l, a->sources);
    if (rc == MT_OK && l->n) return MT_OK;
    if (rc != MT_OK) mt_cli_error(&mt_cli_intel_cmd, "%s", mt_error_msg());
    else mt_cli_error(&mt_cli_intel_cmd, "%s names no source", a->sources);
    mt_isrc_free(l);
    return MT_EXIT_ERROR;
}

static FILE *open_out(const mt_cli_common *co)
{
    if (!co->output) return stdout;
    FILE *f = fopen(co->output, "w");
    if (!f) mt_cli_error(&mt_cli_intel_cmd, "cannot write '%s': %s", co->output, strerror(errno));
    return f;
}

static int close_out(const mt_cli_common *co, FILE *f, int rc)
{
    int bad = fflush(f) != 0 || ferror(f);
    if (f != stdout && fclose(f) != 0) bad = 1;
    if (bad) return mt_cli_error(&mt_cli_intel_cmd, "cannot write the output");
    return rc;
}

static int run_update(const mt_cli_common *co, const intel_args *a, const char *dir)
{
    mt_isrc_list l;
    if (load_sources(a, &l) != MT_OK) return MT_EXIT_ERROR;
    /* NAME operands: only those sources. */
    for (int i = 1; i < co->nargs; i++)
        if (!mt_isrc_find(&l, co->args[i])) {
            mt_isrc_free(&l);
            return mt_cli_usage(&mt_cli_intel_cmd, "no source named '%s'", co->args[i]);
        }
    mt_icache c;
    if (mt_icache_open(&c, dir, 1) != MT_OK || mt_icache_lock(&c) != MT_OK) {
        mt_cli_error(&mt_cli_intel_cmd, "%s", mt_error_msg());
        mt_icache_close(&c);
        mt_isrc_free(&l);
        return MT_EXIT_ERROR;
    }
    if (c.bad_lines && !co->quiet)
        fprintf(stderr, "minetrace intel: %s/state.tsv: warning: %llu damaged lines skipped (those lists are fetched afresh)\n",
                c.dir, (unsigned long long)c.bad_lines);
    if (mt_fetch_global_init() != MT_OK) {
        mt_cli_error(&mt_cli_intel_cmd, "%s", mt_error_msg());
        mt_icache_close(&c);
        mt_isrc_free(&l);
        return MT_EXIT_ERROR;
    }
    mt_icache_sweep(&c);
    if (co->nargs <= 1) mt_icache_prune(&c, &l);
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    mt_update_opts uo = {a->timeout ? (long)a->timeout : 120L, a->force, &stop_flag};
    unsigned failed = 0, errors = 0;
    for (size_t i = 0; i < l.n && !stop_flag; i++) {
        const mt_isrc *s = &l.v[i];
        int want = co->nargs <= 1;
        for (int k = 1; k < co->nargs; k++) want |= strcmp(co->args[k], s->name) == 0;
        if (!want) continue;
        int rc = mt_icache_update(&c, s, &uo);
        if (rc == MT_EIO) {
            errors++;
            mt_cli_error(&mt_cli_intel_cmd, "%s: %s", s->name, mt_error_msg());
        } else if (rc != MT_OK) {
            failed++;
        }
        const mt_icache_entry *e = mt_icache_find(&c, s->name);
        if (!co->quiet || rc != MT_OK)
            fprintf(rc == MT_OK ? stdout : stderr, "%s%s: %s\n", rc == MT_OK ? "" : "minetrace intel: ", s->name,
                    e ? e->status : "?");
        /* The state after every source: a kill loses at most the one in flight. */
        if (mt_icache_save(&c) != MT_OK) {
            errors++;
            mt_cli_error(&mt_cli_intel_cmd, "%s", mt_error_msg());
            break;
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (stop_flag) {
        mt_cli_error(&mt_cli_intel_cmd, "interrupted; finished lists are saved");
        errors++;
    }
    mt_icache_close(&c);
    mt_isrc_free(&l);
    fflush(stdout);
    if (errors) return MT_EXIT_ERROR;
    return failed ? MT_EXIT_FOUND : MT_EXIT_NONE;
}

static void age(char *out, size_t cap, int64_t then, int64_t now)
{
    if (!then) { snprintf(out, cap, "never"); return; }
    int64_t d = now - then;
    if (d < 0) d = 0;
    if (d < 120) snprintf(out, cap, "%llds", (long long)d);
    else if (d < 7200) snprintf(out, cap, "%lldm", (long long)(d / 60));
    else if (d < 172800) snprintf(out, cap, "%lldh", (long long)(d / 3600));
    else snprintf(out, cap, "%lldd", (long long)(d / 86400));
}

static void json_entry(FILE *out, const mt_icache_entry *e, int configured, int64_t now)
{
    mt_buf b;
    mt_buf_init(&b);
    const mt_intel_load_stats *s = &e->counts;
    mt_buf_puts(&b, "{\"name\":");
    mt_json_str(&b, e->src.name);
    mt_buf_printf(&b, ",\"kind\":\"%s\",\"category\":\"%s\",\"weight\":%d,\"url\":", mt_isrc_kind_str(e->src.kind),
                  mt_intel_category_str(e->src.cat), e->src.weight);
    mt_json_str(&b, e->src.url);
    mt_buf_printf(&b, ",\"configured\":%s,\"have_copy\":%s", configured ? "true" : "false",
                  e->have_copy ? "true" : "false");
    if (e->have_copy) {
        mt_buf_puts(&b, ",\"etag\":");
        mt_json_str(&b, e->etag);
        mt_buf_puts(&b, ",\"last_modified\":");
        mt_json_str(&b, e->last_modified);
        mt_buf_puts(&b, ",\"sha256\":\"");
        for (size_t k = 0; k < MT_SHA256_LEN; k++) mt_buf_printf(&b, "%02x", e->sha256[k]);
        mt_buf_printf(&b, "\",\"size\":%llu,\"entries\":%llu,\"domains\":%llu,\"ips\":%llu,\"cidrs\":%llu,"
                          "\"url_rules\":%llu,\"exceptions\":%llu,\"skipped\":%llu",
                      (unsigned long long)e->size, (unsigned long long)mt_isrc_entries(e->src.kind, s),
                      (unsigned long long)s->domains, (unsigned long long)s->ips, (unsigned long long)s->cidrs,
                      (unsigned long long)s->url_rules, (unsigned long long)s->exceptions,
                      (unsigned long long)s->skipped);
    }
    mt_buf_printf(&b, ",\"fetched\":%lld,\"checked\":%lld,\"age_s\":%lld,\"ok\":%s,\"status\":", (long long)e->fetched,
                  (long long)e->checked, e->fetched ? (long long)(now - e->fetched) : -1LL, e->ok ? "true" : "false");
    mt_json_str(&b, e->status[0] ? e->status : "never updated");
    mt_buf_puts(&b, "}\n");
    fwrite(b.p, 1, b.len, out);
    mt_buf_free(&b);
}

static int run_list(const mt_cli_common *co, const intel_args *a, const char *dir)
{
    mt_isrc_list l;
    if (load_sources(a, &l) != MT_OK) return MT_EXIT_ERROR;
    mt_icache c;
    if (mt_icache_open(&c, dir, 0) != MT_OK) {
        /* No cache yet: every source is listed as never fetched. */
        mt_icache_close(&c);
        memset(&c, 0, sizeof c);
        c.lock_fd = -1;
        c.dir = mt_xstrdup(dir);
    }
    FILE *out = open_out(co);
    if (!out) {
        mt_icache_close(&c);
        mt_isrc_free(&l);
        return MT_EXIT_ERROR;
    }
    int64_t now = (int64_t)time(NULL);
    unsigned stale = 0;
    if (!co->json) {
        fprintf(out, "cache %s\n", c.dir);
        fprintf(out, "%-20s %-8s %-17s %6s %8s %9s %8s  %s\n", "NAME", "KIND", "CATEGORY:WEIGHT", "AGE", "CHECKED",
                "SIZE", "ENTRIES", "STATUS");
    }
    /* The configured sources in their order, then what the cache holds
     * beyond them (another --sources file's). */
    size_t total = l.n + c.n;
    for (size_t i = 0; i < total; i++) {
        mt_icache_entry blank;
        const mt_icache_entry *e;
        int configured = i < l.n;
        if (configured) {
            e = mt_icache_find(&c, l.v[i].name);
            if (!e) {
                memset(&blank, 0, sizeof blank);
                blank.src = l.v[i];
                e = &blank;
            }
        } else {
            e = &c.v[i - l.n];
            if (mt_isrc_find(&l, e->src.name)) continue;
        }
        if (configured && (!e->have_copy || !e->ok)) stale++;
        if (co->json) {
            json_entry(out, e, configured, now);
            continue;
        }
        char cw[48], ag[32], ck[32], sz[24], en[24];
        snprintf(cw, sizeof cw, "%s:%d", mt_intel_category_str(e->src.cat), e->src.weight);
        age(ag, sizeof ag, e->have_copy ? e->fetched : 0, now);
        age(ck, sizeof ck, e->checked, now);
        if (e->have_copy) {
            snprintf(sz, sizeof sz, "%llu", (unsigned long long)e->size);
            snprintf(en, sizeof en, "%llu", (unsigned long long)mt_isrc_entries(e->src.kind, &e->counts));
        } else {
            snprintf(sz, sizeof sz, "-");
            snprintf(en, sizeof en, "-");
        }
        fprintf(out, "%-20s %-8s %-17s %6s %8s %9s %8s  %s%s\n", e->src.name, mt_isrc_kind_str(e->src.kind), cw, ag,
                ck, sz, en, e->status[0] ? e->status : "never updated", configured ? "" : " [not configured]");
    }
    mt_icache_close(&c);
    mt_isrc_free(&l);
    return close_out(co, out, stale ? MT_EXIT_FOUND : MT_EXIT_NONE);
}

static int run_sources(const mt_cli_common *co, const intel_args *a)
{
    mt_isrc_list l;
    if (load_sources(a, &l) != MT_OK) return MT_EXIT_ERROR;
    FILE *out = open_out(co);
    if (!out) {
        mt_isrc_free(&l);
        return MT_EXIT_ERROR;
    }
    mt_isrc_write(&l, out);
    mt_isrc_free(&l);
    return close_out(co, out, MT_EXIT_NONE);
}

static int run(int argc, char **argv)
{
    mt_cli_common co;
    intel_args a = {0};
    int rc = mt_cli_parse(&mt_cli_intel_cmd, argc, argv, &co, own, &a);
    if (rc >= 0) {
        mt_cli_common_free(&co);
        return rc;
    }
    const char *sub = co.nargs ? co.args[0] : NULL;
    char *dflt = NULL;
    const char *dir = a.dir;
    if (!sub) rc = mt_cli_usage(&mt_cli_intel_cmd, "name a subcommand: update, list or sources");
    else if (strcmp(sub, "update") && strcmp(sub, "list") && strcmp(sub, "sources"))
        rc = mt_cli_usage(&mt_cli_intel_cmd, "unknown subcommand '%s' (update, list or sources)", sub);
    else if (strcmp(sub, "update") && co.nargs > 1)
        rc = mt_cli_usage(&mt_cli_intel_cmd, "unexpected argument '%s'", co.args[1]);
    else if (!dir && strcmp(sub, "sources") && !(dir = dflt = mt_icache_default_dir()))
        rc = mt_cli_error(&mt_cli_intel_cmd, "%s", mt_error_msg());
    else if (strcmp(sub, "update") == 0)
        rc = run_update(&co, &a, dir);
    else if (strcmp(sub, "list") == 0)
        rc = run_list(&co, &a, dir);
    else
        rc = run_sources(&co, &a);
    free(dflt);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_intel_cmd = {
    .name = "intel",
    .summary = "fetch public indicator lists and keep them fresh",
    .run = run,
    .synopsis = "intel update [--dir DIR] [--sources FILE] [--timeout SECONDS]\n"
                "             [--force] [-q] [NAME...]\n"
                "intel list [--dir DIR] [--sources FILE] [--json] [-o FILE]\n"
                "intel sources [--sources FILE] [-o FILE]",
    .description =
        "update fetches each configured list source (Adblock lists, hosts\n"
        "lists, domain and IP lists, ET Open coin-miner rules) into the cache\n"
        "directory, with a conditional GET (If-None-Match, If-Modified-Since):\n"
        "a 304 keeps the copy. A new body is written to a temporary file,\n"
        "synced, checked against the size limit and the pinned SHA-256 if the\n"
        "source has one, and read with the list loaders; only a list that\n"
        "gives entries replaces the copy, by rename. A failed fetch, an\n"
        "oversized, unparsable or mismatching body keeps the last good copy\n"
        "and records why. With NAME operands only those sources are updated;\n"
        "without, copies of sources no longer configured are removed.\n"
        "\n"
        "list shows each source: kind, category and weight, the age of its\n"
        "copy, when it was last checked, size, entries and last status.\n"
        "sources prints the sources in the sources-file format (the built-in\n"
        "list without --sources): a start for your own file.\n"
        "\n"
        "scan, ingest and web load every fetched list with\n"
        "--intel DIR (the cache directory), each with its source's category\n"
        "and weight.",
    .opts = intel_opts,
    .exit_none = "update: every source is fresh (fetched, not modified or unchanged). "
                 "list: every source has a copy and its last update succeeded.",
    .exit_found = "update: some source failed (its last good copy, if any, is kept; "
                  "the reason is printed and recorded). list: some source has no copy "
                  "or its last update failed.",
    .exit_notes = "2 also when the cache directory cannot be created, locked (another\n"
                  "update runs) or written, when the sources file is bad (the message\n"
                  "names the file and line), or when the update was interrupted.",
    .examples = "minetrace intel update\n"
                "minetrace intel list\n"
                "minetrace intel update --dir /var/cache/minetrace nocoin et-open-coinminer\n"
                "minetrace intel sources -o my-sources\n"
                "minetrace intel update --sources my-sources\n"
                "minetrace scan --intel ~/.cache/minetrace/intel capture.pcap",
    .see_also = "minetrace(1), minetrace-scan(1), minetrace-web(1), docs/INTEL.md",
};
