/* SMB1 pattern inspector for the WannaMine precursors: EternalBlue probe,
 * vulnerable reply, exploit grooming, DoublePulsar ping and response. Works
 * on one TCP segment payload that starts with a NetBIOS session header. */
#ifndef MT_PROTO_SMB_H
#define MT_PROTO_SMB_H
#include "minetrace/event.h"
/* MT_OK and *out filled when a pattern is present; MT_ENOTFOUND otherwise. */
int mt_smb_inspect(const uint8_t *p, size_t n, int to_server, mt_smb *out);
#endif
