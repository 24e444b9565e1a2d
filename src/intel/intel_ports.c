/* Port queries over the one port table of builtin_ports.c. Without an
 * indicator set (EVE alert orientation) the roles are found by binary
 * search in the sorted table; an indicator set copies them into a
 * per-port array when it is created, for the pipeline's direction guess,
 * which asks for every TCP flow first seen mid-stream. */
#include "intel/intel_internal.h"

unsigned mt_intel_port_roles(uint16_t port)
{
    /* Most ports asked about are ephemeral ones, above the table. */
    if (port > mt_intel_builtin_ports[mt_intel_builtin_ports_n - 1].port) return 0;
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
    if (in) return in->port_w[port] > 0 || (in->port_roles[port] & MT_PORT_SERVICE);
    return (mt_intel_port_roles(port) & MT_PORT_SERVICE) != 0;
}
