/* Fuzz target: the killchain login-attempt CSV reader (ingest/login_csv.c),
 * through its reader struct (fuzz_honey_lines.h). */
#include "fuzz_honey_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_run(&mt_honey_reader_login_csv, NULL, data, size);
    return 0;
}
