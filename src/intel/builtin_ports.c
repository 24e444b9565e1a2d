/* Builtin mining ports and their weights (0..100, a score feature only: a
 * port alone is never a finding). Sources: pool connection instructions and
 * miner defaults, summarised in the research notes (protocols.md §6 and
 * mining_ports.tsv). Weights: 40 for ports that are pool conventions or
 * pool-specific and rare elsewhere (14444, 45700, 10128...), 30 for the
 * node-cryptonote-pool ladder (3333/5555/7777), 20 for ports shared with
 * common services (8008, 8888, 9999, 2222, 6666). Never listed: 25, 80,
 * 443, 8080, 8118, 8333, 9050 (SMTP, web, proxies, Bitcoin P2P, Tor). */
#include "intel/intel_internal.h"

const mt_intel_builtin_port mt_intel_builtin_ports[] = {
    {3333, 35},  {3334, 25},  {3335, 25},  {3336, 25},  {3353, 30},
    {3357, 25},  {4444, 30},  {5555, 30},  {5556, 25},  {5588, 25},
    {5730, 25},  {6099, 20},  {6666, 20},  {7777, 30},  {7778, 25},
    {8008, 20},  {8005, 20},  {8181, 20},  {8888, 20},  {8899, 20},
    {9999, 25},  {10128, 40}, {20128, 40}, {13333, 40}, {13531, 35},
    {14433, 40}, {14444, 40}, {2020, 20},  {2222, 15},  {20535, 35},
    {34254, 30}, {45560, 40}, {45700, 40}, {18081, 20}, {8220, 20},
};

const size_t mt_intel_builtin_ports_n =
    sizeof mt_intel_builtin_ports / sizeof mt_intel_builtin_ports[0];
