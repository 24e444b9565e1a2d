/* minetrace: find and measure cryptomining in traffic, logs, websites and
 * botnets. This file only dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "minetrace/version.h"

static void usage(FILE *out)
{
    fputs(
"Usage: minetrace COMMAND [OPTIONS] [ARGS]\n"
"\n"
"Find and measure cryptomining in network traffic and in the logs you\n"
"already have.\n"
"\n"
"Commands:\n"
"  scan     Detect mining in pcap/pcapng files or on a live interface.\n"
"           Writes EVE-style JSON findings and stores them in SQLite.\n"
"  ingest   Read Suricata EVE JSON, Zeek logs or minetrace JSONL into a\n"
"           findings database.\n"
"  report   Compute the yearly-study analyses (activity, families, ports,\n"
"           victims, market correlation) from a findings database.\n"
"  version  Print the version.\n"
"  help     Print this text, or `minetrace help COMMAND` for a command.\n"
"\n"
"Run `minetrace COMMAND --help` for the options of a command.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        if (argc > 2) {
            char *args[] = {argv[2], "--help", NULL};
            if (strcmp(argv[2], "scan") == 0) return mt_cmd_scan(2, args);
            if (strcmp(argv[2], "ingest") == 0) return mt_cmd_ingest(2, args);
            if (strcmp(argv[2], "report") == 0) return mt_cmd_report(2, args);
        }
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("minetrace %s\n", MT_VERSION);
        return 0;
    }
    if (strcmp(cmd, "scan") == 0) return mt_cmd_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "ingest") == 0) return mt_cmd_ingest(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0) return mt_cmd_report(argc - 1, argv + 1);
    fprintf(stderr, "minetrace: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
