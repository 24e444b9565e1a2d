/* Fuzz target: the OpenSSH auth-log reader (ingest/authlog.c), through its
 * reader struct (fuzz_honey_lines.h). The year is given, so a run does not
 * depend on the clock; the first byte picks it, so year turns near the
 * ends of the calendar and leap days are reached. */
#include "fuzz_honey_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_honey_opts o;
    memset(&o, 0, sizeof o);
    static const int years[] = {2024, 2023, 1, 9998, 1970, 2100};
    o.year = years[size ? data[0] % 6 : 0];
    fz_run(&mt_honey_reader_authlog, &o, data, size);
    return 0;
}
