/* Fuzz target: one whole document through the attack-pattern reader (the
 * checks: fuzz_honey_document.h). */
#define FUZZ_HONEY_READER mt_honey_reader_attack_pattern
#include "fuzz_honey_document.h"
