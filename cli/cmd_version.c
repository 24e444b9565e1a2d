/* minetrace version: the program's version. */
#include <stdio.h>

#include "commands.h"

#include "minetrace/version.h"

static const mt_cli_opt version_opts[] = {
    {MT_OPT_HELP, NULL, 0, NULL, NULL},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv)
{
    mt_cli_common co;
    int rc = mt_cli_parse(&mt_cli_version, argc, argv, &co, NULL, NULL);
    if (rc < 0 && co.nargs) rc = mt_cli_usage(&mt_cli_version, "unexpected argument '%s'", co.args[0]);
    mt_cli_common_free(&co);
    if (rc >= 0) return rc;
    printf("minetrace %s\n", MT_VERSION);
    return fflush(stdout) == 0 ? MT_EXIT_NONE : MT_EXIT_ERROR;
}

const mt_cli_cmd mt_cli_version = {
    .name = "version",
    .summary = "print the version of minetrace",
    .run = run,
    .synopsis = "version\n--version",
    .description = "Prints \"minetrace\" and the version (for example \"minetrace 0.1.0\") on\n"
                   "standard output.",
    .opts = version_opts,
    .exit_none = "The version was printed.",
    .exit_found = "Not used.",
    .examples = "minetrace version",
    .see_also = "minetrace(1)",
};
