/* minetrace help: the list of commands, or the help of one. */
#include <stdio.h>

#include "commands.h"

static const mt_cli_opt help_opts[] = {
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv)
{
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_help_cmd, argc, argv, &co, NULL, NULL);
    if (rc < 0 && co.nargs > 1) rc = mt_cli_usage(&mt_cli_help_cmd, "give at most one COMMAND");
    if (rc < 0 && co.nargs == 1) {
        const mt_cli_cmd *cmd = mt_cli_find(co.args[0]);
        if (!cmd) rc = mt_cli_usage(&mt_cli_help_cmd, "unknown command '%s'", co.args[0]);
        else mt_cli_help(cmd, stdout);
    } else if (rc < 0) {
        mt_cli_usage_all(stdout);
    }
    mt_cli_common_free(&co);
    if (rc >= 0) return rc;
    return fflush(stdout) == 0 ? MT_EXIT_NONE : MT_EXIT_ERROR;
}

const mt_cli_cmd mt_cli_help_cmd = {
    .name = "help",
    .summary = "list the commands, or print the help of one",
    .run = run,
    .synopsis = "help [COMMAND]\nCOMMAND --help",
    .description = "Without COMMAND, lists the commands of minetrace with a line on each.\n"
                   "With COMMAND, prints the same help as `minetrace COMMAND --help`: its\n"
                   "synopsis, description, options, exit status and examples. The same\n"
                   "text is in the manual pages minetrace-scan(1), minetrace-ingest(1)\n"
                   "and minetrace-report(1).",
    .opts = help_opts,
    .exit_none = "The help was printed.",
    .exit_found = "Not used.",
    .exit_notes = "An unknown COMMAND is a usage error (2).",
    .examples = "minetrace help\nminetrace help scan",
    .see_also = "minetrace(1)",
};
