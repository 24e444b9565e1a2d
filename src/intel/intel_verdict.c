/* What a match means: the category rules every detector applies to a hit
 * (is it a finding, which family, which words), written once here instead
 * of in each detector. */
#include "intel/intel_internal.h"

const char *mt_intel_category_family(mt_intel_category c)
{
    switch (c) {
    case MT_CAT_BROWSER_MINER: return "browser-miner";
    case MT_CAT_MINER_C2: return "miner-malware";
    default: return "coin-miner";
    }
}

const char *mt_intel_category_noun(mt_intel_category c)
{
    switch (c) {
    case MT_CAT_BROWSER_MINER: return "browser-miner";
    case MT_CAT_MINER_C2: return "miner C2";
    case MT_CAT_CRYPTO: return "crypto";
    case MT_CAT_ALLOW: return "allowed";
    default: return "pool";
    }
}

int mt_intel_hit_stronger(const mt_intel_hit *a, const mt_intel_hit *b)
{
    int ma = mt_intel_category_is_mining(a->category);
    int mb = mt_intel_category_is_mining(b->category);
    if (ma != mb) return ma;
    return a->weight > b->weight;
}
