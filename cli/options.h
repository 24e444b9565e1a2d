/* What every minetrace command shares: the command table entry, the exit
 * status convention, the options several commands take (intel, store,
 * output, confidence) and the layout of --help.
 *
 * A command lists its options once, as a table of mt_cli_opt. The same table
 * builds the getopt_long parser and the OPTIONS section of --help, so the
 * help cannot miss an option the parser accepts (tests/unit/test_cli.c also
 * checks the man pages against it). Shared options are named in a command's
 * table by id alone and take their name, argument and help from here; a
 * command may give its own help text for one. */
#ifndef MT_CLI_OPTIONS_H
#define MT_CLI_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "minetrace/engine.h"
#include "minetrace/intel.h"

/* The exit status of every command. */
enum {
    MT_EXIT_NONE = 0,  /* ran, nothing found */
    MT_EXIT_FOUND = 1, /* ran, findings */
    MT_EXIT_ERROR = 2  /* usage error, unreadable input (or damaged, with --strict) */
};

/* Ids of the shared options. A command's own options use their short letter
 * as id, or MT_OPT_OWN and up when they have none. */
enum {
    MT_OPT_HELP = 'h',
    MT_OPT_OUTPUT = 'o',
    MT_OPT_QUIET = 'q',
    MT_OPT_INTEL = 1000,
    MT_OPT_NO_BUILTIN_INTEL,
    MT_OPT_DB,
    MT_OPT_JSON,
    MT_OPT_PROGRESS,
    MT_OPT_NO_PROGRESS,
    MT_OPT_STATS,
    MT_OPT_STRICT,
    MT_OPT_MIN_CONFIDENCE,
    MT_OPT_SENSOR,         /* the name a writer stores (scan, ingest, web, botnet) */
    MT_OPT_SENSOR_SELECT,  /* the sensors a reader selects (report, export) */
    MT_OPT_OWN = 1100
};

/* One option of a command, or a heading of the OPTIONS section (id 0, name
 * NULL, help = the heading). The table ends with an all-zero entry. */
typedef struct mt_cli_opt {
    int id;
    const char *name;   /* long name without "--"; NULL for a shared id */
    int short_name;     /* 0: none */
    const char *arg;    /* metavariable ("FILE"), NULL: takes no argument */
    const char *help;   /* '\n' separates lines; NULL for a shared id: its default */
} mt_cli_opt;

typedef struct mt_cli_cmd {
    const char *name;
    const char *summary;     /* one line, for NAME and `minetrace help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *synopsis;    /* lines after "minetrace " */
    const char *description; /* paragraphs, unindented */
    const mt_cli_opt *opts;
    const char *exit_none, *exit_found; /* what 0 and 1 mean for this command */
    int reads_inputs;        /* 1: the damaged-input paragraph applies */
    const char *exit_notes;  /* NULL or more on the exit status */
    const char *examples;    /* one per line */
    const char *see_also;
} mt_cli_cmd;

/* The options shared between commands, after parsing. */
typedef struct mt_cli_common {
    const mt_cli_cmd *cmd;
    const char **intel;      /* --intel specs, in order */
    int n_intel;
    int no_builtin_intel;
    const char *db;
    const char *output;      /* -o FILE, NULL if not given */
    int json, quiet, stats, strict;
    int progress;            /* -1: not given (see mt_cli_progress) */
    int min_confidence;      /* -1: not given */
    /* MT_OPT_SENSOR: --sensor, else the host name (commands with the
     * option); NULL for the others. */
    const char *sensor;
    /* MT_OPT_SENSOR_SELECT: the names given (repeatable, comma-separated),
     * each once; n = 0: every sensor. */
    char **sensors;
    size_t nsensors;
    char **args;             /* operands after the options */
    int nargs;
} mt_cli_common;

/* Parse argv (argv[0] = command name). `own` handles the command's own
 * options; it returns 0, or MT_EXIT_ERROR after printing why. Returns -1 when
 * the command should run, else the exit status to return at once (0 after
 * --help, MT_EXIT_ERROR after a usage error, already reported). */
int mt_cli_parse(const mt_cli_cmd *cmd, int argc, char **argv, mt_cli_common *co,
                 int (*own)(void *ctx, int id, const char *arg), void *ctx);
void mt_cli_common_free(mt_cli_common *co);

/* A usage error: "minetrace CMD: MESSAGE" and the --help hint on stderr.
 * Returns MT_EXIT_ERROR. */
int mt_cli_usage(const mt_cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An error of the run (unreadable input, store failure): "minetrace CMD:
 * MESSAGE" on stderr. Returns MT_EXIT_ERROR. */
int mt_cli_error(const mt_cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A damaged input that was read in part: a warning line on stderr naming
 * the input (and `line` when > 0), unless -q; with --strict it is printed
 * as an error whatever -q says. */
void mt_cli_damaged(const mt_cli_common *co, const char *input, uint64_t line,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The exit status at the end of a run: MT_EXIT_ERROR on `errors`, or on
 * `damaged` inputs with --strict (saying so), else FOUND or NONE. */
int mt_cli_exit(const mt_cli_common *co, unsigned errors, unsigned damaged, uint64_t findings);

/* A sensor name is 1..MT_CLI_SENSOR_MAX bytes of printable ASCII (space
 * to '~') other than ','  (the separator of report --sensor a,b). Returns
 * NULL when `name` is one, else why not. */
#define MT_CLI_SENSOR_MAX 64
const char *mt_cli_sensor_invalid(const char *name, size_t len);

/* A decimal number 0..max, for option `opt`; prints a usage error and
 * returns MT_EXIT_ERROR when it is not one. */
int mt_cli_uint(const mt_cli_cmd *cmd, const char *opt, const char *s, unsigned long max,
                unsigned long *out);
/* Progress on stderr: as asked, else when stderr is a terminal and not -q. */
int mt_cli_progress(const mt_cli_common *co);
/* The built-in lists (unless --no-builtin-intel) and every --intel list,
 * with a line per list on stderr unless -q. NULL after printing an error. */
mt_intel *mt_cli_intel(const mt_cli_common *co);

/* MT_TRACE_EVENTS=1 in the environment: every event the engine sees is
 * printed to stderr (a debugging aid; docs/ARCHITECTURE.md). */
void mt_cli_trace(mt_engine *e);

/* --help: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLES, SEE
 * ALSO. */
void mt_cli_help(const mt_cli_cmd *cmd, FILE *out);
/* The option an entry stands for, with a shared id resolved. */
mt_cli_opt mt_cli_opt_resolve(const mt_cli_opt *o);

#endif
