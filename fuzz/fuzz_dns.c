/* Fuzz target: the DNS decoder, then the DNS detector on what it decoded
 * (intel matching on hostile names, CNAME chains, DNS tie inserts). */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "minetrace/engine.h"
#include "proto/dns.h"

static mt_intel *g_intel;
static mt_engine *g_engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_intel) {
        g_intel = mt_intel_new();
        mt_intel_load_builtin(g_intel);
        g_engine = mt_engine_new(g_intel, NULL);
    }
    mt_dns d;
    int rc = mt_dns_parse(data, size, &d);
    if (rc != MT_OK && !d.qname[0]) return 0;
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_DNS;
    ev.source = MT_SRC_PCAP;
    ev.ts = 1;
    ev.ipproto = 17;
    mt_addr_parse("10.0.0.1", &ev.cli);
    mt_addr_parse("10.0.0.53", &ev.srv);
    ev.srv_port = 53;
    ev.u.dns = &d;
    mt_engine_event(g_engine, &ev);
    return 0;
}
