/* `minetrace scan --hosts`: the host verdicts of detect/hosts.h as a text
 * table or as one JSON object per line. */
#ifndef MT_REPORT_HOSTS_RENDER_H
#define MT_REPORT_HOSTS_RENDER_H

#include <stdio.h>

#include "detect/hosts.h"

/* Only hosts whose score reaches `min_score` are written. Returns the
 * number of hosts written. */
size_t mt_hosts_render_text(const mt_hosts *h, FILE *out, int min_score);
size_t mt_hosts_render_json(const mt_hosts *h, FILE *out, int min_score);

#endif
