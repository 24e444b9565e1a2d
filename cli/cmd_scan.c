/* minetrace scan: not written yet; its owner replaces this file. */
#include <stdio.h>
#include "commands.h"

int mt_cmd_scan(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "minetrace: 'scan' is not available in this build\n");
    return 2;
}
