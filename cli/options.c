/* The generic body of every command: one option parser built from the
 * command's table, the shared options, the exit status and --help. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "intel/intel_update.h"
#include "minetrace/common.h"

static const mt_cli_opt shared[] = {
    {MT_OPT_HELP, "help", 'h', NULL, "Print this help and exit."},
    {MT_OPT_OUTPUT, "output", 'o', "FILE", "Write the output to FILE instead of standard output."},
    {MT_OPT_QUIET, "quiet", 'q', NULL, "No progress and no warnings; errors are still printed."},
    {MT_OPT_INTEL, "intel", 0, "FILE[:WEIGHT[:CATEGORY]]",
     "Add an indicator list (domains, hosts file, Adblock rules,\n"
     "IPs/CIDRs, URL patterns) with WEIGHT 1-100 (default 70) and\n"
     "CATEGORY pool, browser-miner, miner-c2, crypto or allow\n"
     "(default pool). Repeatable; added to the built-in lists.\n"
     "A directory is an intel cache (minetrace intel update):\n"
     "every fetched list, each with its source's weight and category."},
    {MT_OPT_NO_BUILTIN_INTEL, "no-builtin-intel", 0, NULL, "Do not load the built-in indicator lists."},
    {MT_OPT_DB, "db", 0, "FILE", "The SQLite findings database (created if missing;\nschema in docs/STORE.md)."},
    {MT_OPT_JSON, "json", 0, NULL, "Write JSON instead of text."},
    {MT_OPT_PROGRESS, "progress", 0, NULL,
     "Report progress on stderr about once a second (default when\nstderr is a terminal and -q is not given)."},
    {MT_OPT_NO_PROGRESS, "no-progress", 0, NULL, "Never report progress."},
    {MT_OPT_STATS, "stats", 0, NULL, "Print counters to stderr at the end."},
    {MT_OPT_STRICT, "strict", 0, NULL,
     "Treat a damaged input (read only in part) as an error:\nexit status 2 instead of a warning."},
    {MT_OPT_MIN_CONFIDENCE, "min-confidence", 0, "N", "Drop findings below confidence N (0-100; default 0)."},
    {MT_OPT_SENSOR, "sensor", 0, "NAME",
     "The sensor name stored with every row of --db (1-64\n"
     "printable ASCII characters, no comma; default: the host name)."},
    {MT_OPT_SENSOR_SELECT, "sensor", 0, "NAME",
     "Only the rows of sensor NAME (scan/ingest/web/botnet\n"
     "--sensor). Repeatable or comma-separated (a,b); default: every\n"
     "sensor."},
};

mt_cli_opt mt_cli_opt_resolve(const mt_cli_opt *o)
{
    mt_cli_opt r = *o;
    if (o->name || !o->id) return r;
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
        if (shared[i].id != o->id) continue;
        r = shared[i];
        if (o->help) r.help = o->help;
        if (o->arg) r.arg = o->arg;
        return r;
    }
    return r; /* an unknown shared id: test_cli.c fails on a NULL name */
}

static int is_shared(int id)
{
    return id == MT_OPT_HELP || id == MT_OPT_OUTPUT || id == MT_OPT_QUIET ||
           (id >= MT_OPT_INTEL && id < MT_OPT_OWN);
}

const char *mt_cli_sensor_invalid(const char *name, size_t len)
{
    if (!len) return "is empty";
    if (len > MT_CLI_SENSOR_MAX) return "is longer than 64 bytes";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c > 0x7e) return "has a byte that is not printable ASCII";
        if (c == ',') return "has a comma";
    }
    return NULL;
}

/* A rejected name for a message: cut, every byte outside printable ASCII
 * as '?', so the message itself cannot carry control sequences. */
static const char *shown(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 4 < cap; i++) out[i] = in[i] >= 0x20 && in[i] <= 0x7e ? in[i] : '?';
    if (in[i]) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = '\0';
    return out;
}

/* --sensor a,b --sensor c: each name once, in the order given. */
static int sensor_select(const mt_cli_cmd *cmd, mt_cli_common *co, const char *arg)
{
    const char *p = arg;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *why = mt_cli_sensor_invalid(p, len);
        char buf[80];
        if (why)
            return mt_cli_usage(cmd, "--sensor '%s': a name %s (want 1-64 printable ASCII characters; "
                                "commas separate names)", shown(arg, buf, sizeof buf), why);
        int dup = 0;
        for (size_t i = 0; i < co->nsensors && !dup; i++)
            dup = strlen(co->sensors[i]) == len && memcmp(co->sensors[i], p, len) == 0;
        if (!dup) {
            co->sensors = mt_xrealloc(co->sensors, (co->nsensors + 1) * sizeof *co->sensors);
            char *n = mt_xmalloc(len + 1);
            memcpy(n, p, len);
            n[len] = '\0';
            co->sensors[co->nsensors++] = n;
        }
        if (!p[len]) return 0;
        p += len + 1;
    }
}

static int shared_opt(const mt_cli_cmd *cmd, mt_cli_common *co, int id, const char *arg)
{
    unsigned long v = 0;
    const char *why;
    switch (id) {
    case MT_OPT_OUTPUT: co->output = arg; return 0;
    case MT_OPT_QUIET: co->quiet = 1; return 0;
    case MT_OPT_INTEL: co->intel[co->n_intel++] = arg; return 0;
    case MT_OPT_NO_BUILTIN_INTEL: co->no_builtin_intel = 1; return 0;
    case MT_OPT_DB: co->db = arg; return 0;
    case MT_OPT_JSON: co->json = 1; return 0;
    case MT_OPT_PROGRESS: co->progress = 1; return 0;
    case MT_OPT_NO_PROGRESS: co->progress = 0; return 0;
    case MT_OPT_STATS: co->stats = 1; return 0;
    case MT_OPT_STRICT: co->strict = 1; return 0;
    case MT_OPT_MIN_CONFIDENCE:
        if (mt_cli_uint(cmd, "--min-confidence", arg, 100, &v)) return MT_EXIT_ERROR;
        co->min_confidence = (int)v;
        return 0;
    case MT_OPT_SENSOR:
        if (co->sensor) return mt_cli_usage(cmd, "--sensor is given twice (a run stores one name)");
        why = mt_cli_sensor_invalid(arg, strlen(arg));
        if (why) {
            char buf[80];
            return mt_cli_usage(cmd, "--sensor '%s': the name %s (want 1-64 printable ASCII characters, "
                                "no comma)", shown(arg, buf, sizeof buf), why);
        }
        co->sensor = arg;
        return 0;
    case MT_OPT_SENSOR_SELECT: return sensor_select(cmd, co, arg);
    }
    return MT_EXIT_ERROR;
}

/* The id of the long option `arg` ("--name" or "--name=value", perhaps
 * abbreviated) stands for, or -1. */
static int long_id(const struct option *lo, const char *arg)
{
    if (arg[0] != '-' || arg[1] != '-') return -1;
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    int id = -1, n = 0;
    for (; lo->name; lo++) {
        if (strncmp(lo->name, name, len) != 0) continue;
        if (lo->name[len] == '\0') return lo->val;
        id = lo->val;
        n++;
    }
    return n == 1 ? id : -1;
}

/* getopt's '?' or ':' as a usage error. `last` is argv[optind - 1]: the
 * failing long option, or (inside a cluster of short ones) maybe not. */
static int option_error(const mt_cli_cmd *cmd, const struct option *lo, int c, const char *last)
{
    int is_long = optopt == 0 || long_id(lo, last) == optopt;
    if (!is_long)
        return mt_cli_usage(cmd, c == ':' ? "option -%c needs an argument" : "unknown option -%c",
                            optopt);
    if (c == ':') return mt_cli_usage(cmd, "option %s needs an argument", last);
    if (optopt) return mt_cli_usage(cmd, "option %.*s takes no argument", (int)strcspn(last, "="), last);
    return mt_cli_usage(cmd, "unknown or ambiguous option %s", last);
}

static int has_opt(const mt_cli_cmd *cmd, int id)
{
    for (const mt_cli_opt *o = cmd->opts; o->id || o->name || o->help; o++)
        if (o->id == id) return 1;
    return 0;
}

/* The host name as the sensor name of a writer given no --sensor. */
static int default_sensor(mt_cli_common *co)
{
    static char host[256];
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    host[sizeof host - 1] = '\0';
    const char *why = mt_cli_sensor_invalid(host, strlen(host));
    if (why) {
        char buf[80];
        return mt_cli_usage(co->cmd, "the host name '%s' %s and cannot name this sensor: give --sensor NAME",
                            shown(host, buf, sizeof buf), why);
    }
    co->sensor = host;
    return -1;
}

int mt_cli_parse(const mt_cli_cmd *cmd, int argc, char **argv, mt_cli_common *co,
                 int (*own)(void *ctx, int id, const char *arg), void *ctx)
{
    memset(co, 0, sizeof *co);
    co->cmd = cmd;
    co->progress = -1;
    co->min_confidence = -1;
    co->intel = mt_xcalloc((size_t)argc + 1, sizeof *co->intel);

    size_t n = 0;
    while (cmd->opts[n].id || cmd->opts[n].name || cmd->opts[n].help) n++;
    struct option *lo = mt_xcalloc(n + 1, sizeof *lo);
    char *so = mt_xcalloc(2 * n + 2, 1);
    size_t nl = 0, ns = 0;
    so[ns++] = ':'; /* missing arguments reported by us, with the option's name */
    for (size_t i = 0; i < n; i++) {
        mt_cli_opt o = mt_cli_opt_resolve(&cmd->opts[i]);
        if (!o.name) continue; /* a heading */
        lo[nl].name = o.name;
        lo[nl].has_arg = o.arg ? required_argument : no_argument;
        lo[nl].val = o.id;
        nl++;
        if (o.short_name) {
            so[ns++] = (char)o.short_name;
            if (o.arg) so[ns++] = ':';
        }
    }

    int rc = -1, c, li;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, so, lo, &li)) != -1) {
        if (c == '?' || c == ':') {
            rc = option_error(cmd, lo, c, argv[optind - 1]);
        } else if (c == MT_OPT_HELP) {
            mt_cli_help(cmd, stdout);
            rc = fflush(stdout) == 0 ? MT_EXIT_NONE : MT_EXIT_ERROR;
        } else if (is_shared(c)) {
            if (shared_opt(cmd, co, c, optarg)) rc = MT_EXIT_ERROR;
        } else if (!own || own(ctx, c, optarg)) {
            rc = MT_EXIT_ERROR;
        }
    }
    free(lo);
    free(so);
    co->args = argv + optind;
    co->nargs = argc - optind;
    if (rc < 0 && !co->sensor && has_opt(cmd, MT_OPT_SENSOR)) rc = default_sensor(co);
    return rc;
}

void mt_cli_common_free(mt_cli_common *co)
{
    free(co->intel);
    co->intel = NULL;
    for (size_t i = 0; i < co->nsensors; i++) free(co->sensors[i]);
    free(co->sensors);
    co->sensors = NULL;
    co->nsensors = 0;
}

int mt_cli_usage(const mt_cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "minetrace %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'minetrace %s --help'.\n", cmd->name);
    return MT_EXIT_ERROR;
}

int mt_cli_error(const mt_cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "minetrace %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return MT_EXIT_ERROR;
}

void mt_cli_damaged(const mt_cli_common *co, const char *input, uint64_t line,
                    const char *fmt, ...)
{
    if (co->quiet && !co->strict) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "minetrace %s: %s", co->cmd->name, input);
    if (line) fprintf(stderr, ":%llu", (unsigned long long)line);
    fputs(co->strict ? ": error: " : ": warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int mt_cli_exit(const mt_cli_common *co, unsigned errors, unsigned damaged, uint64_t findings)
{
    if (errors) return MT_EXIT_ERROR;
    if (damaged && co->strict) {
        fprintf(stderr, "minetrace %s: %u damaged input%s (--strict)\n", co->cmd->name, damaged,
                damaged == 1 ? "" : "s");
        return MT_EXIT_ERROR;
    }
    return findings ? MT_EXIT_FOUND : MT_EXIT_NONE;
}

int mt_cli_uint(const mt_cli_cmd *cmd, const char *opt, const char *s, unsigned long max,
                unsigned long *out)
{
    char *end;
    *out = 0;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > max || s[0] == '-' || s[0] == '+' || s[0] == ' ')
        return mt_cli_usage(cmd, "%s must be a number 0..%lu, not '%s'", opt, max, s);
    *out = v;
    return 0;
}

int mt_cli_progress(const mt_cli_common *co)
{
    return co->progress >= 0 ? co->progress : !co->quiet && isatty(2);
}

void mt_cli_trace(mt_engine *e)
{
    const char *trace = getenv("MT_TRACE_EVENTS");
    if (trace && *trace && *trace != '0') mt_engine_set_observer(e, mt_event_trace, NULL);
}

static void cache_line(void *ctx, const mt_icache_entry *e, const mt_intel_load_stats *ls)
{
    const mt_cli_common *co = ctx;
    if (co->quiet) return;
    int64_t age = (int64_t)time(NULL) - e->fetched;
    fprintf(stderr, "minetrace: %s (%s:%d, fetched %lld h ago): %llu domains, %llu addresses, %llu networks, "
            "%llu rules\n", e->src.name, mt_intel_category_str(e->src.cat), e->src.weight,
            (long long)(age > 0 ? age / 3600 : 0), (unsigned long long)ls->domains, (unsigned long long)ls->ips,
            (unsigned long long)ls->cidrs, (unsigned long long)(ls->url_rules + ls->exceptions));
}

/* --intel DIR: the lists `minetrace intel update` keeps in DIR. */
static int load_cache(const mt_cli_common *co, mt_intel *intel, const char *dir)
{
    mt_icache c;
    int rc = mt_icache_open(&c, dir, 0);
    size_t have = 0;
    for (size_t i = 0; rc == MT_OK && i < c.n; i++) have += c.v[i].have_copy != 0;
    if (rc == MT_OK && !have)
        rc = mt_error_set(MT_EINVAL, "no fetched lists in '%s' (run minetrace intel update --dir %s)", dir, dir);
    if (rc == MT_OK) rc = mt_icache_load(intel, &c, cache_line, (void *)co);
    if (rc != MT_OK) mt_cli_error(co->cmd, "--intel %s: %s", dir, mt_error_msg());
    mt_icache_close(&c);
    return rc;
}

mt_intel *mt_cli_intel(const mt_cli_common *co)
{
    mt_intel *intel = mt_intel_new();
    if (!co->no_builtin_intel && mt_intel_load_builtin(intel) != MT_OK) {
        mt_cli_error(co->cmd, "built-in intel: %s", mt_error_msg());
        mt_intel_free(intel);
        return NULL;
    }
    for (int i = 0; i < co->n_intel; i++) {
        struct stat st;
        if (stat(co->intel[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (load_cache(co, intel, co->intel[i]) != MT_OK) {
                mt_intel_free(intel);
                return NULL;
            }
            continue;
        }
        if (mt_intel_load_spec(intel, co->intel[i]) != MT_OK) {
            mt_cli_error(co->cmd, "--intel %s: %s", co->intel[i], mt_error_msg());
            mt_intel_free(intel);
            return NULL;
        }
        if (!co->quiet) {
            const mt_intel_load_stats *ls = mt_intel_last_load(intel);
            fprintf(stderr, "minetrace: %s: %llu domains, %llu addresses, %llu networks", co->intel[i],
                    (unsigned long long)ls->domains, (unsigned long long)ls->ips,
                    (unsigned long long)ls->cidrs);
            if (ls->wallets || ls->sitekeys)
                fprintf(stderr, ", %llu wallets, %llu site keys", (unsigned long long)ls->wallets,
                        (unsigned long long)ls->sitekeys);
            fprintf(stderr, ", %llu lines skipped\n", (unsigned long long)ls->skipped);
        }
    }
    return intel;
}

/* ---- --help ------------------------------------------------------------ */

static void indented(FILE *out, const char *text, int indent)
{
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        if (len) fprintf(out, "%*s%.*s\n", indent, "", (int)len, text);
        else fputc('\n', out);
        text += len + (nl ? 1 : 0);
    }
}

/* Words of `text` ('\n' counts as a blank) from column `col`, wrapped at
 * 79 columns onto lines indented by `indent`. */
static void wrapped(FILE *out, const char *text, int col, int indent)
{
    const char *p = text ? text : "";
    int at = col, first = 1;
    while (*p) {
        while (*p == ' ' || *p == '\n') p++;
        if (!*p) break;
        size_t w = strcspn(p, " \n");
        if (!first && at + 1 + (int)w > 79) {
            fprintf(out, "\n%*s", indent, "");
            at = indent;
            first = 1;
        }
        if (!first) { fputc(' ', out); at++; }
        fprintf(out, "%.*s", (int)w, p);
        at += (int)w;
        first = 0;
        p += w;
    }
    fputc('\n', out);
}

static void option_help(FILE *out, const mt_cli_opt *o)
{
    char label[96];
    int k = 0;
    if (o->short_name) k = snprintf(label, sizeof label, "-%c, ", o->short_name);
    snprintf(label + k, sizeof label - (size_t)k, "--%s%s%s", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
    if (strlen(label) <= 20) fprintf(out, "    %-22s", label);
    else fprintf(out, "    %s\n%26s", label, "");
    wrapped(out, o->help, 26, 26);
}

void mt_cli_help(const mt_cli_cmd *cmd, FILE *out)
{
    fprintf(out, "NAME\n    minetrace %s - %s\n\nSYNOPSIS\n", cmd->name, cmd->summary);
    for (const char *s = cmd->synopsis; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        /* A line starting with a blank continues the one before. */
        fprintf(out, "    %s%.*s\n", s[0] == ' ' ? "          " : "minetrace ", (int)len, s);
        s += len + (nl ? 1 : 0);
    }
    fputs("\nDESCRIPTION\n", out);
    indented(out, cmd->description, 4);
    fputs("\nOPTIONS\n", out);
    for (const mt_cli_opt *p = cmd->opts; p->id || p->name || p->help; p++) {
        mt_cli_opt o = mt_cli_opt_resolve(p);
        if (o.name) option_help(out, &o);
        else fprintf(out, "%s  %s\n", p == cmd->opts ? "" : "\n", o.help);
    }
    fputs("\nEXIT STATUS\n", out);
    fputs("    0  ", out);
    wrapped(out, cmd->exit_none, 7, 7);
    fputs("    1  ", out);
    wrapped(out, cmd->exit_found, 7, 7);
    fputs("    2  ", out);
    wrapped(out, cmd->reads_inputs ? "An error: bad usage, or an input that could not be opened or "
                                     "read at all, or a damaged input with --strict."
                                   : "An error: bad usage, or the output could not be written.",
            7, 7);
    if (cmd->reads_inputs)
        fputs("\n    A damaged input that was read in part (a truncated capture or gzip\n"
              "    file, malformed lines) is not an error: a warning line names the\n"
              "    input (and the line, where there is one), what was read is kept,\n"
              "    and the exit status is 0 or 1 by the findings. --strict makes it an\n"
              "    error (exit status 2).\n", out);
    if (cmd->exit_notes) {
        fputc('\n', out);
        indented(out, cmd->exit_notes, 4);
    }
    if (cmd->examples) {
        fputs("\nEXAMPLES\n", out);
        indented(out, cmd->examples, 4);
    }
    fputs("\nSEE ALSO\n", out);
    indented(out, cmd->see_also ? cmd->see_also : "minetrace(1)", 4);
}
