/* The CLI's shared parts: every command's --help lists every option its
 * parser accepts (the help cannot drift from the parser), the manual pages
 * name the same options, the help has every section, and the shared
 * parser and exit status behave as documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "commands.h"

/* The help text, through a temporary file (open_memstream's buffer
 * pointer confuses -Wdangling-pointer). */
static char *help_of(const mt_cli_cmd *cmd)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    mt_cli_help(cmd, f);
    long n = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

/* "--min-confidence" as the man page writes it: "\-\-min\-confidence". */
static void roff_dashes(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (; *in && k + 3 < cap; in++) {
        if (*in == '-') out[k++] = '\\';
        out[k++] = *in;
    }
    out[k] = '\0';
}

static size_t n_opts(const mt_cli_cmd *cmd)
{
    size_t n = 0;
    while (cmd->opts[n].id || cmd->opts[n].name || cmd->opts[n].help) n++;
    return n;
}

/* Every table entry is an option with a name and help, or a heading; no
 * name, letter or id twice. */
static void test_tables_well_formed(void **state)
{
    (void)state;
    for (size_t c = 0; mt_cli_commands[c]; c++) {
        const mt_cli_cmd *cmd = mt_cli_commands[c];
        assert_non_null(cmd->run);
        assert_non_null(cmd->summary);
        assert_non_null(cmd->synopsis);
        assert_non_null(cmd->description);
        assert_non_null(cmd->exit_none);
        assert_non_null(cmd->exit_found);
        assert_ptr_equal(mt_cli_find(cmd->name), cmd);
        size_t n = n_opts(cmd);
        int has_help = 0;
        for (size_t i = 0; i < n; i++) {
            mt_cli_opt a = mt_cli_opt_resolve(&cmd->opts[i]);
            if (!cmd->opts[i].id && !cmd->opts[i].name) continue; /* heading */
            if (!a.name) fail_msg("%s: option id %d has no name", cmd->name, a.id);
            assert_non_null(a.help);
            if (a.id == MT_OPT_HELP) has_help = 1;
            for (size_t j = i + 1; j < n; j++) {
                mt_cli_opt b = mt_cli_opt_resolve(&cmd->opts[j]);
                if (!b.name) continue;
                if (strcmp(a.name, b.name) == 0 || a.id == b.id ||
                    (a.short_name && a.short_name == b.short_name))
                    fail_msg("%s: --%s and --%s clash", cmd->name, a.name, b.name);
            }
        }
        if (!has_help) fail_msg("%s has no --help", cmd->name);
    }
}

/* --help names every option the parser takes, with its letter and
 * argument, in the sections of a manual page, within 79 columns. */
static void test_help_lists_every_option(void **state)
{
    (void)state;
    static const char *const sections[] = {"NAME\n", "\nSYNOPSIS\n", "\nDESCRIPTION\n", "\nOPTIONS\n",
                                           "\nEXIT STATUS\n", "\nEXAMPLES\n", "\nSEE ALSO\n"};
    for (size_t c = 0; mt_cli_commands[c]; c++) {
        const mt_cli_cmd *cmd = mt_cli_commands[c];
        char *h = help_of(cmd);
        const char *at = h;
        for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
            const char *p = strstr(at, sections[s]);
            if (!p) fail_msg("%s --help: no %s section after the ones before", cmd->name, sections[s]);
            at = p + 1;
        }
        const char *opts = strstr(h, "\nOPTIONS\n"), *exits = strstr(h, "\nEXIT STATUS\n");
        for (size_t i = 0; i < n_opts(cmd); i++) {
            mt_cli_opt o = mt_cli_opt_resolve(&cmd->opts[i]);
            if (!o.name) continue;
            char want[128];
            if (o.short_name)
                snprintf(want, sizeof want, "    -%c, --%s%s%s", o.short_name, o.name,
                         o.arg ? " " : "", o.arg ? o.arg : "");
            else
                snprintf(want, sizeof want, "    --%s%s%s", o.name, o.arg ? " " : "",
                         o.arg ? o.arg : "");
            const char *p = strstr(opts, want);
            if (!p || p > exits) fail_msg("%s --help does not list '%s'", cmd->name, want + 4);
        }
        assert_non_null(strstr(exits, "    0  "));
        assert_non_null(strstr(exits, "    1  "));
        assert_non_null(strstr(exits, "    2  "));
        for (const char *l = h; *l;) {
            const char *e = strchr(l, '\n');
            size_t len = e ? (size_t)(e - l) : strlen(l);
            if (len > 79) fail_msg("%s --help: line over 79 columns: %.*s", cmd->name, (int)len, l);
            l += len + (e ? 1 : 0);
        }
        free(h);
    }
}

/* The options of a man page: the tag lines (after .TP) of its OPTIONS
 * section, as "--name" and "-x" strings. */
static size_t man_options(const char *page, char names[][64], size_t cap)
{
    const char *s = strstr(page, "\n.SH OPTIONS\n");
    assert_non_null(s);
    const char *end = strstr(s + 1, "\n.SH ");
    size_t n = 0;
    for (const char *p = strstr(s, "\n.TP\n"); p && (!end || p < end); p = strstr(p + 1, "\n.TP\n")) {
        const char *tag = p + 5, *te = strchr(tag, '\n');
        for (const char *q = tag; q && q < te; q = strstr(q + 1, "\\fB\\-")) {
            if (strncmp(q, "\\fB\\-", 5) != 0) continue;
            const char *r = q + 3;
            char name[64];
            size_t k = 0;
            while (r < te && k + 1 < sizeof name && (r[0] != '\\' || r[1] == '-')) {
                if (r[0] == '\\') r++;
                name[k++] = *r++;
            }
            name[k] = '\0';
            if (n < cap) snprintf(names[n++], 64, "%s", name);
        }
    }
    return n;
}

/* The man page of each command names exactly the options its parser takes. */
static void test_man_pages_match(void **state)
{
    (void)state;
    const char *src = getenv("MT_SRC");
    if (!src) skip();
    /* Every command has its page but version and help, which minetrace.1
     * covers: a new command without one fails here. */
    for (size_t c = 0; mt_cli_commands[c]; c++) {
        const mt_cli_cmd *cmd = mt_cli_commands[c];
        if (cmd == &mt_cli_version || cmd == &mt_cli_help_cmd) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/docs/man/minetrace-%s.1", src, cmd->name);
        char *page = slurp(path);
        static char names[128][64];
        size_t n = man_options(page, names, 128);
        size_t parser = 0;
        for (size_t i = 0; i < n_opts(cmd); i++) {
            mt_cli_opt o = mt_cli_opt_resolve(&cmd->opts[i]);
            if (!o.name) continue;
            parser++;
            char want[80], roff[160];
            snprintf(want, sizeof want, "--%s", o.name);
            int found = 0;
            for (size_t k = 0; k < n; k++) found |= strcmp(names[k], want) == 0;
            if (!found) fail_msg("%s: the man page does not list %s", path, want);
            if (o.short_name) {
                char sh[4] = {'-', (char)o.short_name, 0, 0};
                found = 0;
                for (size_t k = 0; k < n; k++) found |= strcmp(names[k], sh) == 0;
                if (!found) fail_msg("%s: the man page does not list %s", path, sh);
            }
            /* ...with the same argument name. */
            if (o.arg) {
                roff_dashes(want, roff, sizeof roff);
                char tag[256];
                snprintf(tag, sizeof tag, "\\fB%s\\fR \\fI", roff);
                const char *p = strstr(page, tag);
                if (!p) fail_msg("%s: %s without its argument", path, want);
                char arg[160];
                roff_dashes(o.arg, arg, sizeof arg);
                if (strncmp(p + strlen(tag), arg, strlen(arg)) != 0)
                    fail_msg("%s: %s takes %s", path, want, o.arg);
            }
        }
        /* Nothing more: every option named by the page is one the parser takes. */
        for (size_t k = 0; k < n; k++) {
            int known = 0;
            for (size_t i = 0; i < n_opts(cmd); i++) {
                mt_cli_opt o = mt_cli_opt_resolve(&cmd->opts[i]);
                if (!o.name) continue;
                if (names[k][1] == '-') known |= strcmp(names[k] + 2, o.name) == 0;
                else known |= names[k][1] == o.short_name && !names[k][2];
            }
            if (!known) fail_msg("%s lists %s, which minetrace %s does not take", path, names[k], cmd->name);
        }
        assert_true(n >= parser);
        assert_non_null(strstr(page, "\n.SH EXIT STATUS\n"));
        free(page);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/man/minetrace.1", src);
    char *page = slurp(path);
    for (size_t c = 0; mt_cli_commands[c]; c++) {
        char want[64];
        snprintf(want, sizeof want, "\\fB%s\\fR", mt_cli_commands[c]->name);
        if (!strstr(page, want)) fail_msg("minetrace.1 does not name the command %s", mt_cli_commands[c]->name);
    }
    assert_non_null(strstr(page, "\\fB\\-\\-version\\fR"));
    assert_non_null(strstr(page, "\\fB\\-\\-help\\fR"));
    free(page);
}

/* ---- the shared parser ------------------------------------------------ */

enum { T_LEVEL = MT_OPT_OWN, T_FLAG };
static const mt_cli_opt t_opts[] = {
    {MT_OPT_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_NO_BUILTIN_INTEL, NULL, 0, NULL, NULL},
    {MT_OPT_DB, NULL, 0, NULL, NULL},
    {MT_OPT_OUTPUT, NULL, 0, NULL, NULL},
    {MT_OPT_JSON, NULL, 0, NULL, NULL},
    {MT_OPT_QUIET, NULL, 0, NULL, NULL},
    {MT_OPT_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_NO_PROGRESS, NULL, 0, NULL, NULL},
    {MT_OPT_STATS, NULL, 0, NULL, NULL},
    {MT_OPT_STRICT, NULL, 0, NULL, NULL},
    {MT_OPT_MIN_CONFIDENCE, NULL, 0, NULL, NULL},
    {'l', "level", 'l', "N", "A level."},
    {T_FLAG, "flag", 0, NULL, "A flag."},
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};
static const mt_cli_cmd t_cmd = {
    .name = "t", .summary = "test", .synopsis = "t", .description = "d", .opts = t_opts,
    .exit_none = "none", .exit_found = "found",
};

typedef struct { unsigned long level; int flag, calls; } t_state;

static int t_own(void *ctx, int id, const char *arg)
{
    t_state *s = ctx;
    s->calls++;
    if (id == 'l') return mt_cli_uint(&t_cmd, "--level", arg, 9, &s->level);
    if (id == T_FLAG) { s->flag = 1; return 0; }
    return MT_EXIT_ERROR;
}

static int parse(mt_cli_common *co, t_state *s, char **argv)
{
    int argc = 0;
    while (argv[argc]) argc++;
    memset(s, 0, sizeof *s);
    return mt_cli_parse(&t_cmd, argc, argv, co, t_own, s);
}

static void test_parser(void **state)
{
    (void)state;
    mt_cli_common co;
    t_state s;
    char *a1[] = {"t", "--intel", "a.txt:90", "--db", "x.db", "-qo", "out.json", "--json",
                  "--intel=b.txt", "--no-builtin-intel", "--strict", "--stats", "--min-conf", "40",
                  "-l", "7", "--flag", "in1", "-", "in2", NULL};
    assert_int_equal(parse(&co, &s, a1), -1);
    assert_int_equal(co.n_intel, 2);
    assert_string_equal(co.intel[0], "a.txt:90");
    assert_string_equal(co.intel[1], "b.txt");
    assert_string_equal(co.db, "x.db");
    assert_string_equal(co.output, "out.json");
    assert_true(co.json && co.quiet && co.strict && co.stats && co.no_builtin_intel);
    assert_int_equal(co.min_confidence, 40);
    assert_int_equal(co.progress, -1);
    assert_int_equal(mt_cli_progress(&co), 0); /* -q: no progress unless asked */
    assert_int_equal(s.level, 7);
    assert_int_equal(s.flag, 1);
    assert_int_equal(co.nargs, 3);
    assert_string_equal(co.args[0], "in1");
    assert_string_equal(co.args[1], "-");
    assert_string_equal(co.args[2], "in2");
    mt_cli_common_free(&co);

    char *a2[] = {"t", "-q", "--progress", NULL};
    assert_int_equal(parse(&co, &s, a2), -1);
    assert_int_equal(mt_cli_progress(&co), 1); /* asked for: wins over -q */
    assert_int_equal(co.min_confidence, -1);
    assert_null(co.db);
    assert_int_equal(co.nargs, 0);
    mt_cli_common_free(&co);

    /* Usage errors: exit status 2, and the command's handler not called
     * for what the shared parser rejects. */
    char *bad[][4] = {
        {"t", "--bogus", NULL}, {"t", "-x", NULL}, {"t", "--db", NULL}, {"t", "-l", NULL},
        {"t", "--min-confidence", "101", NULL}, {"t", "--min-confidence", "-1", NULL},
        {"t", "--min-confidence", "4x", NULL}, {"t", "-l", "10", NULL}, {"t", "--flag=1", NULL},
        {"t", "--json", "--strict=yes", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(&co, &s, bad[i]);
        if (rc != MT_EXIT_ERROR) fail_msg("'%s %s' gave %d, not 2", bad[i][1], bad[i][2] ? bad[i][2] : "", rc);
        mt_cli_common_free(&co);
    }
    /* An option after "--" is an operand. */
    char *a3[] = {"t", "--", "--flag", NULL};
    assert_int_equal(parse(&co, &s, a3), -1);
    assert_int_equal(s.flag, 0);
    assert_int_equal(co.nargs, 1);
    assert_string_equal(co.args[0], "--flag");
    mt_cli_common_free(&co);
}

/* --sensor: a writer's one name (default the host name), a reader's
 * selection (repeatable, comma-separated, each name once). */
static const mt_cli_opt w_opts[] = {
    {MT_OPT_SENSOR, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};
static const mt_cli_cmd w_cmd = {
    .name = "w", .summary = "writer", .synopsis = "w", .description = "d", .opts = w_opts,
    .exit_none = "none", .exit_found = "found",
};
static const mt_cli_opt r_opts[] = {
    {MT_OPT_SENSOR_SELECT, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};
static const mt_cli_cmd r_cmd = {
    .name = "r", .summary = "reader", .synopsis = "r", .description = "d", .opts = r_opts,
    .exit_none = "none", .exit_found = "found",
};

static int parse_cmd(const mt_cli_cmd *cmd, mt_cli_common *co, char **argv)
{
    int argc = 0;
    while (argv[argc]) argc++;
    return mt_cli_parse(cmd, argc, argv, co, NULL, NULL);
}

static void test_sensor_option(void **state)
{
    (void)state;
    mt_cli_common co;
    char host[256] = "";
    assert_int_equal(gethostname(host, sizeof host), 0);
    char *d[] = {"w", NULL};
    assert_int_equal(parse_cmd(&w_cmd, &co, d), -1);
    assert_string_equal(co.sensor, host); /* the default */
    mt_cli_common_free(&co);
    char *a[] = {"w", "--sensor", "acme-berlin 1 (dmz)", NULL};
    assert_int_equal(parse_cmd(&w_cmd, &co, a), -1);
    assert_string_equal(co.sensor, "acme-berlin 1 (dmz)");
    mt_cli_common_free(&co);
    char n64[65], n65[66];
    memset(n64, 'x', 64);
    n64[64] = '\0';
    memset(n65, 'x', 65);
    n65[65] = '\0';
    char *a64[] = {"w", "--sensor", n64, NULL};
    assert_int_equal(parse_cmd(&w_cmd, &co, a64), -1);
    assert_int_equal(strlen(co.sensor), 64);
    mt_cli_common_free(&co);
    char *bad[][4] = {
        {"w", "--sensor", "", NULL},       {"w", "--sensor", n65, NULL},      {"w", "--sensor", "a\tb", NULL},
        {"w", "--sensor", "a\033[2J", NULL}, {"w", "--sensor", "caf\xc3\xa9", NULL}, {"w", "--sensor", "a,b", NULL},
        {"w", "--sensor", "a\x7f", NULL},   {"w", "--sensor", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse_cmd(&w_cmd, &co, bad[i]);
        if (rc != MT_EXIT_ERROR) fail_msg("writer --sensor case %zu gave %d, not 2", i, rc);
        mt_cli_common_free(&co);
    }
    char *twice[] = {"w", "--sensor", "a", "--sensor", "b", NULL};
    assert_int_equal(parse_cmd(&w_cmd, &co, twice), MT_EXIT_ERROR);
    mt_cli_common_free(&co);

    /* A reader: nothing selected by default; names split and kept once. */
    char *r0[] = {"r", NULL};
    assert_int_equal(parse_cmd(&r_cmd, &co, r0), -1);
    assert_int_equal(co.nsensors, 0);
    assert_null(co.sensor);
    mt_cli_common_free(&co);
    char *r1[] = {"r", "--sensor", "b,a", "--sensor", "c", "--sensor=a,b", NULL};
    assert_int_equal(parse_cmd(&r_cmd, &co, r1), -1);
    assert_int_equal(co.nsensors, 3);
    assert_string_equal(co.sensors[0], "b");
    assert_string_equal(co.sensors[1], "a");
    assert_string_equal(co.sensors[2], "c");
    mt_cli_common_free(&co);
    char *rbad[][4] = {
        {"r", "--sensor", "a,,b", NULL}, {"r", "--sensor", "a,", NULL}, {"r", "--sensor", ",a", NULL},
        {"r", "--sensor", n65, NULL},    {"r", "--sensor", "a\nb", NULL},
    };
    for (size_t i = 0; i < sizeof rbad / sizeof rbad[0]; i++) {
        int rc = parse_cmd(&r_cmd, &co, rbad[i]);
        if (rc != MT_EXIT_ERROR) fail_msg("reader --sensor case %zu gave %d, not 2", i, rc);
        mt_cli_common_free(&co);
    }
    assert_null(mt_cli_sensor_invalid("x", 1));
    assert_non_null(mt_cli_sensor_invalid("x", 0));
}

/* 0 nothing found, 1 findings, 2 errors; damage only with --strict. */
static void test_exit_status(void **state)
{
    (void)state;
    mt_cli_common co;
    memset(&co, 0, sizeof co);
    co.cmd = &t_cmd;
    assert_int_equal(mt_cli_exit(&co, 0, 0, 0), MT_EXIT_NONE);
    assert_int_equal(mt_cli_exit(&co, 0, 0, 5), MT_EXIT_FOUND);
    assert_int_equal(mt_cli_exit(&co, 0, 2, 0), MT_EXIT_NONE);
    assert_int_equal(mt_cli_exit(&co, 0, 2, 5), MT_EXIT_FOUND);
    assert_int_equal(mt_cli_exit(&co, 1, 0, 5), MT_EXIT_ERROR);
    co.strict = 1;
    assert_int_equal(mt_cli_exit(&co, 0, 0, 5), MT_EXIT_FOUND);
    assert_int_equal(mt_cli_exit(&co, 0, 1, 5), MT_EXIT_ERROR);
    assert_int_equal(mt_cli_exit(&co, 0, 1, 0), MT_EXIT_ERROR);
    assert_int_equal(MT_EXIT_NONE, 0);
    assert_int_equal(MT_EXIT_FOUND, 1);
    assert_int_equal(MT_EXIT_ERROR, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_well_formed),
        cmocka_unit_test(test_help_lists_every_option),
        cmocka_unit_test(test_man_pages_match),
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_sensor_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
