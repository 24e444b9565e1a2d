/* Finding helpers: kind names (stable strings used in JSON, SQLite, CSV). */
#include "minetrace/finding.h"

#include <string.h>

static const char *const kind_names[] = {
    [MT_KIND_DNS] = "dns",         [MT_KIND_STRATUM] = "stratum",
    [MT_KIND_TLS] = "tls",         [MT_KIND_HTTP] = "http",
    [MT_KIND_WEBSOCKET] = "websocket", [MT_KIND_SMB] = "smb",
    [MT_KIND_IP] = "ip",           [MT_KIND_BEHAVIOUR] = "behaviour",
    [MT_KIND_ALERT] = "alert",
};

const char *mt_finding_kind_str(mt_finding_kind k)
{
    if ((unsigned)k < sizeof kind_names / sizeof kind_names[0] && kind_names[k])
        return kind_names[k];
    return "unknown";
}

int mt_finding_kind_parse(const char *s)
{
    for (unsigned i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (kind_names[i] && strcmp(kind_names[i], s) == 0) return (int)i;
    return 0;
}

void mt_finding_init(mt_finding *f)
{
    memset(f, 0, sizeof *f);
    f->event_type = MT_EVENT_MINING;
}
