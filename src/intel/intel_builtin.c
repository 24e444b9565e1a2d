/* mt_intel_load_builtin(): installs the curated tables of builtin_*.c
 * (names, port weights, URL path rules, agents) into an indicator set,
 * under the source name "builtin". Files loaded later can
 * override a builtin entry only with a stronger weight, and can allowlist
 * any builtin name. */
#include "intel/intel_internal.h"

int mt_intel_load_builtin(mt_intel *in)
{
    if (!in) return mt_error_set(MT_EINVAL, "intel: no indicator set");
    mt_intel_load_stats st = {0};
    for (size_t i = 0; i < mt_intel_builtin_domains_n; i++) {
        const mt_intel_builtin_domain *d = &mt_intel_builtin_domains[i];
        int rc = mt_intel_add_domain(in, d->name, d->weight, (mt_intel_category)d->cat,
                                     "builtin", d->family);
        if (rc != MT_OK) return rc; /* a bad builtin entry is a bug: tests catch it */
        st.domains++;
    }
    for (size_t i = 0; i < mt_intel_builtin_ports_n; i++) {
        const mt_intel_builtin_port *p = &mt_intel_builtin_ports[i];
        if (p->weight > in->port_w[p->port]) in->port_w[p->port] = p->weight;
    }
    for (size_t i = 0; i < mt_intel_builtin_url_scripts_n; i++) {
        int rc = mt_intel_add_url_rule(in, mt_intel_builtin_url_scripts[i],
                                       MT_INTEL_URL_SCRIPT_WEIGHT, MT_CAT_BROWSER_MINER,
                                       "builtin");
        if (rc != MT_OK) return rc;
    }
    for (size_t i = 0; i < mt_intel_builtin_url_hints_n; i++) {
        int rc = mt_intel_add_url_rule(in, mt_intel_builtin_url_hints[i],
                                       MT_INTEL_URL_HINT_WEIGHT, MT_CAT_CRYPTO, "builtin");
        if (rc != MT_OK) return rc;
    }
    in->agents = mt_intel_builtin_agents;
    in->n_agents = mt_intel_builtin_agents_n;
    in->last = st;
    return MT_OK;
}
