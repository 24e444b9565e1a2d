/* The commands of the minetrace CLI, one file each (cmd_NAME.c), and the
 * table main.c dispatches through. Every command returns the exit status of
 * options.h: 0 ran, nothing found; 1 ran, findings; 2 error.
 *
 * A new command (web, botnet, ...) is a cmd_NAME.c defining
 * `const mt_cli_cmd mt_cli_NAME` (its option table, naming the shared
 * options by id, and a run function that calls mt_cli_parse and ends with
 * mt_cli_exit), an entry in mt_cli_commands (commands.c), and a manual page
 * docs/man/minetrace-NAME.1 added to the install() list in CMakeLists.txt;
 * tests/unit/test_cli.c then checks its help and page against its parser. */
#ifndef MT_CLI_COMMANDS_H
#define MT_CLI_COMMANDS_H

#include "options.h"

extern const mt_cli_cmd mt_cli_scan, mt_cli_ingest, mt_cli_report, mt_cli_web, mt_cli_botnet,
    mt_cli_intel_cmd, mt_cli_export, mt_cli_version, mt_cli_help_cmd;

/* The table, ending with NULL, in the order `minetrace help` lists them. */
extern const mt_cli_cmd *const mt_cli_commands[];
const mt_cli_cmd *mt_cli_find(const char *name);
/* The list of commands (`minetrace` without a command, `minetrace help`). */
void mt_cli_usage_all(FILE *out);
/* Dispatch: argv[1] is the command. */
int mt_cli_main(int argc, char **argv);

#endif
