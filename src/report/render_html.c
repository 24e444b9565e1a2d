/* placeholder */
#include "report/render.h"
void mt_render_html(const mt_report *r, mt_buf *b) { (void)r; mt_buf_puts(b, "<html></html>\n"); }
