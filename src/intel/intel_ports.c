/* Port queries over the one port table of builtin_ports.c. The roles are
 * looked up by binary search in the sorted table (64 entries, 6 probes):
 * the callers (direction guesses for mid-stream flows and for EVE alerts
 * without a direction) ask once per flow or alert, not per packet. */
#include "intel/intel_internal.h"

unsigned mt_intel_port_roles(uint16_t port)
{
    size_t lo = 0, hi = mt_intel_builtin_ports_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t p = mt_intel_builtin_ports[mid].port;
        if (p == port) return mt_intel_builtin_ports[mid].roles;
        if (p < port) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

int mt_intel_port_is_server(const mt_intel *in, uint16_t port)
{
    if (port < 1024) return 1;
    if (in && in->port_w[port] > 0) return 1;
    return (mt_intel_port_roles(port) & MT_PORT_SERVICE) != 0;
}
