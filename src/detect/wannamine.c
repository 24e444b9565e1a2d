/* The WannaMine chain. WannaMine spreads with EternalBlue/DoublePulsar and
 * then mines Monero; neither the SMB detector (which sees the exploit) nor
 * the mining detectors (which see the pool) can tell alone. A precursor
 * finding marks its target; a later mining finding from a marked host
 * names the family. */
#include <string.h>

#include "detect/finding_rules.h"
#include "detect/hosts.h"

static void wannamine_apply(mt_engine *e, mt_finding *f)
{
    mt_hosts *h = mt_engine_hosts(e);
    if (strcmp(f->event_type, MT_EVENT_PRECURSOR) == 0) {
        mt_hosts_mark_precursor_victim(h, &f->dst);
        return;
    }
    if (!mt_hosts_is_precursor_victim(h, &f->src)) return;
    mt_strlcpy(f->family, "wannamine", sizeof f->family);
    static const char note[] = "; host earlier hit by EternalBlue";
    size_t n = strlen(f->evidence);
    if (n + sizeof note < sizeof f->evidence) memcpy(f->evidence + n, note, sizeof note);
}

const mt_finding_rule mt_rule_wannamine = {"wannamine", wannamine_apply};
