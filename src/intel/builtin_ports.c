/* The one port table: every port minetrace knows something about, sorted
 * by port (mt_intel_port_roles() searches it; a test checks the order).
 *
 * P = MT_PORT_POOL, with a weight 1..100 (a score feature only: a port
 * alone is never a finding). Sources: pool connection instructions and
 * miner defaults, summarised in the research notes (protocols.md §6 and
 * mining_ports.tsv); 20580 is miningpoolhub's cryptonight hub, the sibling
 * of its ethash 20535. Weights: 40 for ports that are pool conventions or
 * pool-specific and rare elsewhere (14444, 45700, 10128...), 30 for the
 * node-cryptonote-pool ladder (3333/5555/7777), 20 for ports shared with
 * common services (8008, 8888, 9999, 2222, 6666). Never pool ports: 25,
 * 80, 443, 8080, 8118, 8333, 9050 (SMTP, web, proxies, Bitcoin P2P, Tor),
 * although Falco's miner_ports lists some of them.
 *
 * S = MT_PORT_SERVICE: the server ports of other services a mid-stream TCP
 * flow is oriented by (SOCKS, databases, RDP, SIP, XMPP, VNC, Redis, IRC,
 * web alternates and proxies, coin node RPC/P2P, Tor, Elasticsearch,
 * memcached, MongoDB). Ports below 1024 are servers without being listed. */
#include "intel/intel_internal.h"

#define P MT_PORT_POOL
#define S MT_PORT_SERVICE

const mt_intel_builtin_port mt_intel_builtin_ports[] = {
    {1080, 0, S}, {1433, 0, S}, {1521, 0, S}, {2020, 20, P}, {2222, 15, P}, {3128, 0, S},
    {3306, 0, S}, {3333, 35, P}, {3334, 25, P}, {3335, 25, P}, {3336, 25, P}, {3353, 30, P},
    {3357, 25, P}, {3389, 0, S}, {4444, 30, P}, {5060, 0, S}, {5222, 0, S}, {5432, 0, S},
    {5555, 30, P}, {5556, 25, P}, {5588, 25, P}, {5730, 25, P}, {5900, 0, S}, {6099, 20, P},
    {6379, 0, S}, {6666, 20, P}, {6667, 0, S}, {7777, 30, P}, {7778, 25, P}, {8000, 0, S},
    {8005, 20, P}, {8008, 20, P|S}, {8080, 0, S}, {8081, 0, S}, {8181, 20, P}, {8220, 20, P},
    {8332, 0, S}, {8333, 0, S}, {8443, 0, S}, {8545, 0, S}, {8888, 20, P|S}, {8899, 20, P},
    {9000, 0, S}, {9050, 0, S}, {9090, 0, S}, {9200, 0, S}, {9999, 25, P|S}, {10128, 40, P},
    {11211, 0, S}, {13333, 40, P}, {13531, 35, P}, {14433, 40, P}, {14444, 40, P}, {18080, 0, S},
    {18081, 20, P|S}, {20128, 40, P}, {20535, 35, P}, {20580, 35, P}, {27017, 0, S}, {30303, 0, S},
    {34254, 30, P}, {45560, 40, P}, {45700, 40, P},
};

#undef P
#undef S

const size_t mt_intel_builtin_ports_n =
    sizeof mt_intel_builtin_ports / sizeof mt_intel_builtin_ports[0];
