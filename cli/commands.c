/* The command table and the dispatch through it. */
#include "commands.h"

#include <string.h>

const mt_cli_cmd *const mt_cli_commands[] = {
    &mt_cli_scan, &mt_cli_ingest, &mt_cli_report, &mt_cli_web, &mt_cli_botnet, &mt_cli_intel_cmd,
    &mt_cli_export, &mt_cli_version,
    &mt_cli_help_cmd,
    NULL,
};

const mt_cli_cmd *mt_cli_find(const char *name)
{
    for (size_t i = 0; mt_cli_commands[i]; i++)
        if (strcmp(mt_cli_commands[i]->name, name) == 0) return mt_cli_commands[i];
    return NULL;
}

void mt_cli_usage_all(FILE *out)
{
    fputs("Usage: minetrace COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "Find and measure cryptomining in network traffic, in the logs you\n"
          "already have, on websites and in honeypot logs.\n"
          "\n"
          "Commands:\n", out);
    for (size_t i = 0; mt_cli_commands[i]; i++)
        fprintf(out, "  %-8s %s\n", mt_cli_commands[i]->name, mt_cli_commands[i]->summary);
    fputs("\n"
          "Exit status of every command: 0 ran, nothing found; 1 ran, findings;\n"
          "2 error (bad usage, unreadable input).\n"
          "Run `minetrace COMMAND --help` or `man minetrace-COMMAND` for a command.\n", out);
}

int mt_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        mt_cli_usage_all(stderr);
        return MT_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) name = "help";
    else if (strcmp(name, "--version") == 0) name = "version";
    const mt_cli_cmd *cmd = mt_cli_find(name);
    if (!cmd) {
        fprintf(stderr, "minetrace: unknown command '%s'\n\n", name);
        mt_cli_usage_all(stderr);
        return MT_EXIT_ERROR;
    }
    return cmd->run(argc - 1, argv + 1);
}
