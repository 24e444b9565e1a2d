/* Cross-detector rules: facts one detector cannot know alone, applied to
 * every finding before host verdicts and sinks see it. The engine runs the
 * rules in registry order and knows nothing of what they decide; a rule
 * may rewrite the finding (family, evidence) but not drop it. */
#ifndef MT_DETECT_FINDING_RULES_H
#define MT_DETECT_FINDING_RULES_H

#include "minetrace/engine.h"

typedef struct mt_finding_rule {
    const char *name;
    void (*apply)(mt_engine *e, mt_finding *f);
} mt_finding_rule;

/* wannamine.c: a host hit by an EternalBlue precursor that later mines is
 * attributed to WannaMine (the spreading vector, then the miner). */
extern const mt_finding_rule mt_rule_wannamine;

#endif
