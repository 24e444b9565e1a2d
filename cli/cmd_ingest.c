/* minetrace ingest: not written yet; its owner replaces this file. */
#include <stdio.h>
#include "commands.h"

int mt_cmd_ingest(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "minetrace: 'ingest' is not available in this build\n");
    return 2;
}
