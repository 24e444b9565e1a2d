/* Subcommands of the minetrace CLI. Each returns the process exit status:
 * 0 success, 1 findings-level failure (e.g. input unreadable), 2 usage. */
#ifndef MT_CLI_COMMANDS_H
#define MT_CLI_COMMANDS_H
int mt_cmd_scan(int argc, char **argv);
int mt_cmd_ingest(int argc, char **argv);
int mt_cmd_report(int argc, char **argv);
#endif
