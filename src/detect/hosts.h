/* Host verdicts: every finding is folded into a per-host record (first/last
 * seen, pools, ports, wallets, families, score, count) so that
 * `minetrace scan --hosts` can say which hosts mine. */
#ifndef MT_DETECT_HOSTS_H
#define MT_DETECT_HOSTS_H

#include <stdio.h>
#include "minetrace/finding.h"

typedef struct mt_hosts mt_hosts;

mt_hosts *mt_hosts_new(void);
void mt_hosts_free(mt_hosts *h);
void mt_hosts_add(mt_hosts *h, const mt_finding *f);
/* Is this address the victim (dst) of a precursor finding (EternalBlue)? */
int mt_hosts_is_precursor_victim(const mt_hosts *h, const mt_addr *a);
void mt_hosts_mark_precursor_victim(mt_hosts *h, const mt_addr *a);
/* Write the verdicts: text table or one JSON object per host. Only hosts
 * whose score reaches `min_score` are listed. Returns hosts written. */
size_t mt_hosts_write_text(const mt_hosts *h, FILE *out, int min_score);
size_t mt_hosts_write_json(const mt_hosts *h, FILE *out, int min_score);

#endif
