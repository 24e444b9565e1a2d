/* Host verdicts: every finding is folded into a per-host record (first/last
 * seen, pools, ports, wallets, families, score, count) so that
 * `minetrace scan --hosts` can say which hosts mine. The verdicts are data
 * here; report/hosts_render.h writes them as text or JSON. */
#ifndef MT_DETECT_HOSTS_H
#define MT_DETECT_HOSTS_H

#include <stddef.h>
#include <stdint.h>
#include "minetrace/finding.h"

typedef struct mt_hosts mt_hosts;

/* At most `max` hosts are kept (mt_hosts_set_max; default
 * MT_HOSTS_MAX_DEFAULT, about 600 bytes each plus their strings): a new host
 * beyond that evicts the least recently active one (the one whose last
 * finding or precursor mark came longest ago). An evicted host loses its
 * verdict: first seen, score, counts, pools/ports/wallets/families, and the
 * mark that it was an EternalBlue victim (a later WannaMine finding of it is
 * then not tied to the precursor). Its findings already went to the sinks;
 * if it shows up again it starts a new verdict from its next finding. */
#define MT_HOSTS_MAX_DEFAULT 65536
mt_hosts *mt_hosts_new(void);
void mt_hosts_set_max(mt_hosts *h, size_t max); /* >= 1; evicts down to it now */
typedef struct mt_hosts_stats {
    size_t count, peak, max;
    uint64_t evicted;
} mt_hosts_stats;
void mt_hosts_get_stats(const mt_hosts *h, mt_hosts_stats *out);
void mt_hosts_free(mt_hosts *h);
void mt_hosts_add(mt_hosts *h, const mt_finding *f);
/* Is this address the victim (dst) of a precursor finding (EternalBlue)? */
int mt_hosts_is_precursor_victim(const mt_hosts *h, const mt_addr *a);
void mt_hosts_mark_precursor_victim(mt_hosts *h, const mt_addr *a);

/* The first MT_HOST_SET_MAX distinct values of an attribute, in the order
 * they were seen; `overflow` counts the values not kept. */
#define MT_HOST_SET_MAX 8
#define MT_HOST_PORTS_MAX 16
typedef struct mt_host_strset {
    char *v[MT_HOST_SET_MAX];
    unsigned n, overflow;
} mt_host_strset;

/* One host's verdict. The pointers borrow from the mt_hosts, valid until it
 * changes or is freed. */
typedef struct mt_host_verdict {
    mt_addr addr;
    mt_time_us first, last;          /* over mining and precursor findings */
    int score;                       /* 0-100: 1 - prod(1 - confidence) */
    uint64_t findings;               /* mining findings */
    uint64_t precursor_findings;
    const mt_host_strset *pools, *wallets, *families, *kinds, *agents;
    const uint16_t *ports;           /* distinct destination ports, first seen first */
    unsigned n_ports;
} mt_host_verdict;

/* The hosts with mining findings whose score reaches `min_score`, by score
 * (highest first) then address, so output is stable. *out is an array the
 * caller frees; returns its length. */
size_t mt_hosts_verdicts(const mt_hosts *h, int min_score, mt_host_verdict **out);

#endif
