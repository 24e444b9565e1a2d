/* minetrace web: scan crawled site sources (WARC/ARC files, directories of
 * saved pages) for in-browser miners. Options and wiring only; the work is
 * web/scan.h's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "ingest/warc.h"
#include "minetrace/store.h"
#include "minetrace/web.h"
#include "store/finding_json.h"
#include "report/sites_render.h"
#include "web/crawl.h"
#include "web/scan.h"
#include "web/siteinfo.h"

enum {
    O_RANKS = MT_OPT_OWN, O_CATEGORIES, O_LISTS, O_RULES, O_SITES, O_MAX_BODY, O_MAX_SITES,
    O_CRAWL, O_CRAWL_JOBS, O_TIMEOUT, O_MAX_RESOURCES, O_INSECURE, O_RESOLVE
};

static const mt_cli_opt web_opts[] = {
    {0, NULL, 0, NULL, "Live crawl"},
    {O_CRAWL, "crawl", 0, "FILE",
     "Fetch the domains or URLs listed in FILE (one a line; # comments;\na bare domain is https://DOMAIN/, then http://; rank,domain\nlines take the domain) with their scripts and Wasm, and scan them."},
    {O_CRAWL_JOBS, "crawl-jobs", 0, "N", "Concurrent transfers of --crawl (default 16)."},
    {O_TIMEOUT, "timeout", 0, "S", "Seconds per transfer of --crawl (default 20; connecting: at\nmost 10)."},
    {O_MAX_RESOURCES, "max-resources", 0, "N",
     "Scripts, workers and Wasm files fetched per page (default 20;\n0: pages only)."},
    {O_INSECURE, "insecure", 0, NULL, "Do not verify TLS certificates of crawled sites."},
    {O_RESOLVE, "resolve", 0, "HOST:PORT:ADDR",
     "Connect to ADDR for HOST:PORT instead of resolving it (curl's\n--resolve; for tests). Repeatable."},
    {0, NULL, 0, NULL, "Site data"},
    {O_RANKS, "ranks", 0, "FILE", "Site ranks as rank,domain lines (the Tranco and Alexa\nformat); findings carry the rank."},
    {O_CATEGORIES, "categories", 0, "DIR|FILE",
     "Site categories: a directory laid out like UT1's\n(DIR/<category>/domains or DIR/<category>_domains.txt) or a\ndomain,category CSV."},
    {0, NULL, 0, NULL, "Detection"},
    {O_LISTS, "lists", 0, "FILE",
     "A block list (Adblock syntax or a hosts file) applied to every\nscript, worker, Wasm, iframe and WebSocket URL a page loads.\nRepeatable."},
    {O_RULES, "rules", 0, "FILE.yar", "More YARA rules for scripts and pages (libyara syntax)."},
    {MT_OPT_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_NO_BUILTIN_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_MIN_CONFIDENCE, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, "Output"},
    {MT_OPT_OUTPUT, NULL, 0, NULL,
     "Write web findings as EVE-style JSON lines to FILE (- is\nstandard output; default: standard output, unless --sites)."},
    {MT_OPT_DB, NULL, 0, NULL, "Also store the findings in the database FILE (docs/STORE.md)."},
    {MT_OPT_SENSOR, NULL, 0, NULL, NULL},
    {O_SITES, "sites", 0, NULL,
     "After the scan, list each site judged to run a miner: rank,\ncategory, confidence, findings, providers, site keys."},
    {MT_OPT_JSON, NULL, 0, NULL, "With --sites: one JSON object per site."},
    {MT_OPT_STATS, NULL, 0, NULL, "Print record, page and finding counters to stderr."},
    {MT_OPT_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_NO_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_STRICT, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, "Limits"},
    {O_MAX_BODY, "max-body", 0, "BYTES", "Largest body read per record or fetched per transfer\n(default 8388608); longer bodies are cut and counted."},
    {O_MAX_SITES, "max-sites", 0, "N", "Sites remembered at once for references and verdicts\n(default 65536; the oldest give way, counted)."},
    {0, NULL, 0, NULL, "Help"},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

#define MAX_LISTS 32
#define MAX_RESOLVE 64

typedef struct web_args {
    const char *ranks, *categories, *rules;
    const char *lists[MAX_LISTS];
    int n_lists, sites;
    unsigned long max_body, max_sites;
    const char *crawl;
    const char *resolve[MAX_RESOLVE];
    int n_resolve, insecure, max_resources_set;
    unsigned long crawl_jobs, timeout, max_resources;
} web_args;

static int web_opt(void *ctx, int id, const char *arg)
{
    web_args *a = ctx;
    const mt_cli_cmd *cmd = &mt_cli_web;
    switch (id) {
    case O_RANKS: a->ranks = arg; return 0;
    case O_CATEGORIES: a->categories = arg; return 0;
    case O_RULES: a->rules = arg; return 0;
    case O_LISTS:
        if (a->n_lists == MAX_LISTS) return mt_cli_usage(cmd, "at most %d --lists", MAX_LISTS);
        a->lists[a->n_lists++] = arg;
        return 0;
    case O_SITES: a->sites = 1; return 0;
    case O_CRAWL: a->crawl = arg; return 0;
    case O_CRAWL_JOBS:
        if (mt_cli_uint(cmd, "--crawl-jobs", arg, 1024, &a->crawl_jobs)) return MT_EXIT_ERROR;
        if (!a->crawl_jobs) return mt_cli_usage(cmd, "--crawl-jobs wants 1..1024");
        return 0;
    case O_TIMEOUT:
        if (mt_cli_uint(cmd, "--timeout", arg, 3600, &a->timeout)) return MT_EXIT_ERROR;
        if (!a->timeout) return mt_cli_usage(cmd, "--timeout wants 1..3600");
        return 0;
    case O_MAX_RESOURCES:
        a->max_resources_set = 1;
        return mt_cli_uint(cmd, "--max-resources", arg, 1000, &a->max_resources);
    case O_INSECURE: a->insecure = 1; return 0;
    case O_RESOLVE: {
        const char *c1 = strchr(arg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c1 || !c2 || c1 == arg || c2 == c1 + 1 || !c2[1])
            return mt_cli_usage(cmd, "--resolve wants HOST:PORT:ADDR, not %s", arg);
        if (a->n_resolve == MAX_RESOLVE) return mt_cli_usage(cmd, "at most %d --resolve", MAX_RESOLVE);
        a->resolve[a->n_resolve++] = arg;
        return 0;
    }
    case O_MAX_BODY: return mt_cli_uint(cmd, "--max-body", arg, 1UL << 30, &a->max_body);
    case O_MAX_SITES:
        if (mt_cli_uint(cmd, "--max-sites", arg, 1UL << 24, &a->max_sites)) return MT_EXIT_ERROR;
        if (a->max_sites < 16) return mt_cli_usage(cmd, "--max-sites wants 16..%lu", 1UL << 24);
        return 0;
    }
    return MT_EXIT_ERROR;
}

static void print_stats(const mt_webscan *w, const mt_web_stats *rs, int had_inputs)
{
    const mt_webscan_stats *s = mt_webscan_get_stats(w);
    if (had_inputs)
        fprintf(stderr,
            "minetrace web: records %llu (responses %llu, resources %llu, revisits %llu, truncated %llu, "
            "malformed %llu, decode errors %llu)\n",
            (unsigned long long)rs->records, (unsigned long long)rs->responses,
            (unsigned long long)rs->resources, (unsigned long long)rs->revisits,
            (unsigned long long)rs->truncated, (unsigned long long)rs->malformed,
            (unsigned long long)rs->decode_errors);
    fprintf(stderr,
            "minetrace web: pages %llu, scripts %llu, wasm files %llu (embedded %llu, invalid %llu), other %llu, "
            "skipped: revisit %llu, status %llu\n",
            (unsigned long long)s->pages, (unsigned long long)s->scripts, (unsigned long long)s->wasm_files,
            (unsigned long long)s->embedded_wasm, (unsigned long long)s->wasm_invalid,
            (unsigned long long)s->other, (unsigned long long)s->skipped_revisit,
            (unsigned long long)s->skipped_status);
    fprintf(stderr,
            "minetrace web: sites %llu (evicted %llu), references %llu (followed %llu, evicted %llu), "
            "pending evidence %llu (unclaimed %llu), findings %llu (duplicates %llu, below "
            "--min-confidence %llu)\n",
            (unsigned long long)s->sites_seen, (unsigned long long)s->sites_evicted,
            (unsigned long long)s->refs, (unsigned long long)s->refs_followed,
            (unsigned long long)s->refs_evicted, (unsigned long long)s->pending_used,
            (unsigned long long)s->pending_unclaimed, (unsigned long long)s->findings,
            (unsigned long long)s->duplicates, (unsigned long long)s->findings_dropped);
}

static void print_crawl_stats(const mt_crawl_stats *c)
{
    fprintf(stderr,
            "minetrace web: crawl: %llu sites listed (bad lines %llu), pages %llu of %llu, resources %llu of "
            "%llu (over --max-resources %llu), redirected %llu, https->http %llu, cut at --max-body %llu\n",
            (unsigned long long)c->lines, (unsigned long long)c->bad_lines,
            (unsigned long long)c->pages_ok, (unsigned long long)c->pages,
            (unsigned long long)c->resources_ok, (unsigned long long)c->resources,
            (unsigned long long)c->resources_over_limit, (unsigned long long)c->redirected,
            (unsigned long long)c->http_fallbacks, (unsigned long long)c->capped);
    fprintf(stderr, "minetrace web: crawl: failed %llu", (unsigned long long)c->failed);
    const char *sep = " (";
    for (unsigned i = 0; i < MT_CRAWL_FAIL_N; i++) {
        if (!c->fail[i]) continue;
        fprintf(stderr, "%s%s %llu", sep, mt_crawl_fail_name(i), (unsigned long long)c->fail[i]);
        sep = ", ";
    }
    fprintf(stderr, "%s\n", c->failed ? ")" : "");
    for (unsigned i = 0; i < c->n_first_fail; i++) fprintf(stderr, "minetrace web: crawl: failed: %s\n", c->first_fail[i]);
}

/* Progress about once a second on long inputs: the input's name, how far
 * into it (records carry their offset), records and findings so far. */
typedef struct progress {
    mt_webscan *w;
    int on;
    const char *name;
    uint64_t size, records;
    struct timespec last;
    int printed;
} progress;

static int on_record(void *ctx, const mt_web_record *r)
{
    progress *p = ctx;
    int rc = mt_webscan_record(p->w, r);
    if (p->on && (++p->records & 255) == 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > p->last.tv_sec && now.tv_nsec >= p->last.tv_nsec) {
            p->last = now;
            double pct = p->size ? 100.0 * (double)r->offset / (double)p->size : 0;
            fprintf(stderr, "\rminetrace web: %s: %.0f%%, %llu records, %llu findings   ", p->name,
                    pct > 100 ? 100 : pct, (unsigned long long)p->records,
                    (unsigned long long)mt_webscan_get_stats(p->w)->findings);
            p->printed = 1;
        }
    }
    return rc;
}

static void progress_done(progress *p)
{
    if (!p->printed) return;
    fprintf(stderr, "\rminetrace web: %s: done, %llu records, %llu findings   \n", p->name,
            (unsigned long long)p->records, (unsigned long long)mt_webscan_get_stats(p->w)->findings);
}

static int web(const mt_cli_common *co, web_args *a)
{
    const mt_cli_cmd *cmd = &mt_cli_web;
    int status = MT_EXIT_NONE;
    mt_siteinfo *si = mt_siteinfo_new();
    mt_siteinfo_load_stats ls;
    if (a->ranks) {
        if (mt_siteinfo_load_ranks(si, a->ranks, &ls) != MT_OK) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            mt_siteinfo_free(si);
            return MT_EXIT_ERROR;
        }
        if (ls.skipped) mt_cli_damaged(co, a->ranks, ls.first_bad_line, "%llu line%s skipped (%s)",
                                       (unsigned long long)ls.skipped, ls.skipped == 1 ? "" : "s", ls.first_bad);
    }
    if (a->categories) {
        if (mt_siteinfo_load_categories(si, a->categories, &ls) != MT_OK) {
            mt_cli_error(cmd, "%s", mt_error_msg());
            mt_siteinfo_free(si);
            return MT_EXIT_ERROR;
        }
    }
    mt_intel *intel = mt_cli_intel(co);
    if (!intel) {
        mt_siteinfo_free(si);
        return MT_EXIT_ERROR;
    }
    for (int i = 0; i < a->n_lists; i++) {
        char spec[4200];
        snprintf(spec, sizeof spec, "%s:80:browser-miner", a->lists[i]);
        if (mt_intel_load_spec(intel, spec) != MT_OK) {
            mt_cli_error(cmd, "--lists %s: %s", a->lists[i], mt_error_msg());
            mt_intel_free(intel);
            mt_siteinfo_free(si);
            return MT_EXIT_ERROR;
        }
    }
    mt_web_sink *sinks[2];
    size_t n_sinks = 0;
    FILE *outf = NULL;
    const char *output = co->output;
    if (output && strcmp(output, "-") != 0) {
        outf = fopen(output, "w");
        if (!outf) {
            mt_cli_error(cmd, "cannot write %s: %s", output, strerror(errno));
            mt_intel_free(intel);
            mt_siteinfo_free(si);
            return MT_EXIT_ERROR;
        }
        sinks[n_sinks++] = mt_web_sink_jsonl_new(outf, 1);
    } else if (output || !a->sites) {
        sinks[n_sinks++] = mt_web_sink_jsonl_new(stdout, 0);
    }
    mt_store *st = NULL;
    if (co->db) {
        st = mt_store_open(co->db, &(mt_store_opts){.flags = MT_STORE_CREATE, .sensor = co->sensor});
        if (!st) {
            char shown[512];
            mt_cli_error(cmd, "--db %s: %s", mt_store_display_name(co->db, shown, sizeof shown), mt_error_msg());
            for (size_t i = 0; i < n_sinks; i++) sinks[i]->close(sinks[i]);
            mt_intel_free(intel);
            mt_siteinfo_free(si);
            return MT_EXIT_ERROR;
        }
        sinks[n_sinks++] = mt_store_web_sink_new(st, 1); /* the sink commits and closes it */
    }
    mt_webscan_opts wo = {.intel = intel, .si = si, .rules_path = a->rules,
                          .min_confidence = co->min_confidence > 0 ? co->min_confidence : 0,
                          .max_sites = a->max_sites};
    mt_webscan *w = mt_webscan_new(&wo, sinks, n_sinks);
    if (!w) {
        mt_cli_error(cmd, "%s", mt_error_msg());
        status = MT_EXIT_ERROR;
    }
    unsigned errors = 0, damaged = 0;
    mt_web_stats total;
    memset(&total, 0, sizeof total);
    mt_web_read_opts ro = {.max_body = a->max_body};
    for (int i = 0; w && i < co->nargs; i++) {
        const char *in = co->args[i];
        mt_web_stats rs;
        memset(&rs, 0, sizeof rs);
        struct stat sb;
        int rc, isdir = stat(in, &sb) == 0 && S_ISDIR(sb.st_mode);
        progress pg = {w, mt_cli_progress(co), in, isdir ? 0 : (uint64_t)sb.st_size, 0, {0, 0}, 0};
        clock_gettime(CLOCK_MONOTONIC, &pg.last);
        if (isdir) rc = mt_webdir_read(in, &ro, on_record, &pg, &rs);
        else rc = mt_warc_read_file(in, &ro, on_record, &pg, &rs);
        progress_done(&pg);
        if (rc != MT_OK && rs.records == 0) {
            errors++;
            mt_cli_error(cmd, "%s: %s", in, rs.first_error[0] ? rs.first_error : mt_error_msg());
        } else if (rc != MT_OK || rs.malformed || rs.decode_errors) {
            damaged++;
            mt_cli_damaged(co, in, 0, "%llu malformed record%s, %llu decode error%s%s%s",
                           (unsigned long long)rs.malformed, rs.malformed == 1 ? "" : "s",
                           (unsigned long long)rs.decode_errors, rs.decode_errors == 1 ? "" : "s",
                           rs.first_error[0] ? "; first: " : "", rs.first_error);
        }
        total.records += rs.records;
        total.responses += rs.responses;
        total.resources += rs.resources;
        total.revisits += rs.revisits;
        total.truncated += rs.truncated;
        total.malformed += rs.malformed;
        total.decode_errors += rs.decode_errors;
        total.bytes_in += rs.bytes_in;
        if (mt_webscan_sink_error(w)) break; /* the rest could not be kept */
    }
    mt_crawl_stats cs;
    memset(&cs, 0, sizeof cs);
    if (w && a->crawl && !mt_webscan_sink_error(w)) {
        mt_crawl_opts cro = {.jobs = (unsigned)a->crawl_jobs, .timeout_s = (unsigned)a->timeout,
                             .max_body = a->max_body,
                             .max_resources = a->max_resources_set ? (unsigned)a->max_resources : 20,
                             .insecure = a->insecure, .resolve = a->resolve, .n_resolve = (size_t)a->n_resolve,
                             .progress = mt_cli_progress(co)};
        int rc = mt_crawl_run(a->crawl, &cro, mt_webscan_record, w, &cs);
        if (rc != MT_OK) {
            mt_cli_error(cmd, "--crawl %s: %s", a->crawl, mt_error_msg());
            if (cs.lines == 0) errors++;
            else damaged++;
        }
        if (rc == MT_OK && cs.pages && !cs.pages_ok) {
            damaged++;
            mt_cli_damaged(co, a->crawl, 0, "no page of %llu could be fetched; first: %s",
                           (unsigned long long)cs.pages, cs.n_first_fail ? cs.first_fail[0] : "?");
        }
        if (cs.bad_lines) {
            damaged++;
            mt_cli_damaged(co, a->crawl, cs.first_bad_line, "%llu line%s skipped (not a domain or URL)",
                           (unsigned long long)cs.bad_lines, cs.bad_lines == 1 ? "" : "s");
        }
    }
    uint64_t findings = 0;
    if (w) {
        mt_webscan_finish(w);
        findings = mt_webscan_get_stats(w)->findings;
        if (mt_webscan_sink_error(w)) {
            mt_cli_error(cmd, "%s", mt_webscan_sink_error(w));
            errors++;
        }
        if (a->sites) {
            mt_web_site_verdict *v;
            size_t n = mt_webscan_sites(w, &v);
            if (co->json) mt_web_sites_render_json(v, n, stdout);
            else mt_web_sites_render_text(v, n, stdout);
            free(v);
        }
        if (co->stats) {
            print_stats(w, &total, co->nargs > 0);
            if (a->crawl) print_crawl_stats(&cs);
        }
    }
    for (size_t i = 0; i < n_sinks; i++) sinks[i]->close(sinks[i]);
    mt_webscan_free(w);
    mt_intel_free(intel);
    mt_siteinfo_free(si);
    if (status == MT_EXIT_ERROR) return status;
    if (fflush(stdout) != 0) errors++;
    return mt_cli_exit(co, errors, damaged, findings);
}

static int run(int argc, char **argv)
{
    web_args a;
    memset(&a, 0, sizeof a);
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_web, argc, argv, &co, web_opt, &a);
    if (rc < 0 && co.nargs == 0 && !a.crawl)
        rc = mt_cli_usage(&mt_cli_web, "no input: give WARC/ARC files or directories, or --crawl FILE");
    if (rc < 0) rc = web(&co, &a);
    mt_cli_common_free(&co);
    return rc;
}

const mt_cli_cmd mt_cli_web = {
    .name = "web",
    .summary = "find in-browser miners in crawled site sources",
    .run = run,
    .synopsis = "web [OPTIONS] INPUT...\nweb [OPTIONS] --crawl FILE",
    .description =
"Scans crawled site sources for in-browser cryptocurrency miners. Each\n"
"INPUT is a WARC or ARC file (.warc, .warc.gz with one gzip member per\n"
"record as Common Crawl writes them, .arc, .arc.gz; recognised by content)\n"
"or a directory of saved pages and their resources. With --crawl, a list\n"
"of sites is fetched live instead (or as well): each page, then the\n"
"scripts, workers and Wasm files it references and those they load.\n"
"\n"
"A site is the registrable domain of a page's host. Its pages' script,\n"
"worker, Wasm, iframe and WebSocket references are followed to the\n"
"resources the crawl holds, and the site is judged from all of them:\n"
"  blocklist  a referenced URL matches a --lists block list\n"
"  api        a miner's API call, with its site key (CoinHive.Anonymous,\n"
"             CRLT.Anonymous, Client.Anonymous, WMP.Anonymous, ...)\n"
"  config     a miner's configuration or a WordPress miner plugin\n"
"  captcha    the Coinhive captcha or Minero hidden elements\n"
"  websocket  a Stratum-over-WebSocket endpoint\n"
"  packed     any of these inside a packed script (eval packers,\n"
"             new Function(atob(...)), obfuscator string arrays)\n"
"  wasm       CryptoNight-family WebAssembly, found by the instruction mix\n"
"             of its functions (raw, base64, gzip+base64 or byte arrays)\n"
"Each finding is one EVE-style JSON line with event_type \"web\"\n"
"(docs/FINDINGS.md); --db stores them for `minetrace report`.",
    .opts = web_opts,
    .exit_none = "The inputs were scanned and no site shows a miner.",
    .exit_found = "At least one web finding was made.",
    .reads_inputs = 1,
    .examples = "minetrace web crawl.warc.gz\n"
                "minetrace web --db web.db -q *.warc.gz; minetrace report --db web.db\n"
                "minetrace web --ranks tranco.csv --categories ut1/ --sites *.warc.gz\n"
                "minetrace web --lists nocoin.txt --lists hosts.txt -o web.json saved-pages/\n"
                "minetrace web --crawl tranco.csv --crawl-jobs 32 --db web.db --stats",
    .see_also = "minetrace(1), minetrace-report(1), docs/WEB.md, docs/FINDINGS.md",
};
