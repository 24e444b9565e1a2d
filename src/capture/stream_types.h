/* The per-direction stream state every flow carries (mt_flow.d[]). Its own
 * header so that the flow table (which stores it), the stream driver
 * (stream.c) and the framers (framer_*.c) share it without including each
 * other. */
#ifndef MT_CAPTURE_STREAM_TYPES_H
#define MT_CAPTURE_STREAM_TYPES_H

#include <stdint.h>

/* Bytes of per-direction state a framer may keep (mt_framer.state_size). */
#define MT_FRAMER_STATE_MAX 8

typedef struct mt_dirstate {
    uint32_t next_seq;    /* TCP order, kept by pipeline.c */
    uint32_t inspected;   /* bytes of this direction handed to the framers so far */
    uint32_t blk;         /* block holding a partial message (stream.c); 0 = none */
    uint32_t blk_len;     /* bytes held in that block */
    uint32_t skip_bytes;  /* bytes to pass over (a message too large to hold). A
                             skip longer than 2^32 bytes would end past any
                             --inspect-bytes budget, so 32 bits lose nothing. */
    uint8_t seq_known;
    uint8_t framer;       /* MT_FR_*: which framer reads this direction */
    uint8_t skip_to_nl;   /* resync: drop bytes up to the next newline */
    uint8_t spare_;
    /* The current framer's own state (zeroed when the framer changes). */
    union {
        uint32_t u32[MT_FRAMER_STATE_MAX / 4];
        uint8_t u8[MT_FRAMER_STATE_MAX];
    } fs;
} mt_dirstate;

#endif
