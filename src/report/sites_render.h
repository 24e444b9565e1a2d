/* `minetrace web --sites`: one line per site judged to run a miner, as a
 * terminal table or as JSON lines (every string escaped for its medium). */
#ifndef MT_REPORT_SITES_RENDER_H
#define MT_REPORT_SITES_RENDER_H

#include <stdio.h>

#include "web/scan.h"

void mt_web_sites_render_text(const mt_web_site_verdict *v, size_t n, FILE *out);
void mt_web_sites_render_json(const mt_web_site_verdict *v, size_t n, FILE *out);

#endif
