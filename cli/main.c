/* minetrace: find and measure cryptomining in traffic, logs, websites and
 * botnets. The commands are in the table of commands.c. */
#include "commands.h"

int main(int argc, char **argv)
{
    return mt_cli_main(argc, argv);
}
