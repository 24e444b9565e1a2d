/* TEMPORARY: stands in for src/proto/smb.c until that parser lands; CMake
 * compiles this file only while src/proto/smb.c does not exist. Returns
 * "not this protocol" for everything, so no event is produced. */
#include <string.h>
#include "proto/smb.h"
int mt_smb_inspect(const uint8_t *p, size_t n, int ts, mt_smb *out){(void)p;(void)n;(void)ts;(void)out;return MT_ENOTFOUND;}
