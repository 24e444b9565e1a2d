/* The 'smb' detector's one counter outside its findings. */
#ifndef MT_DETECT_SMB_H
#define MT_DETECT_SMB_H

#include <stdint.h>

/* Flows whose memory a colliding newer flow took (state: the detector's,
 * from mt_detector_smb.init). */
uint64_t mt_detect_smb_evicted(const void *state);

#endif
