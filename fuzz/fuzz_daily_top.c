/* Fuzz target: one whole document through the daily-top reader (the
 * checks: fuzz_honey_document.h). */
#define FUZZ_HONEY_READER mt_honey_reader_daily_top
#include "fuzz_honey_document.h"
