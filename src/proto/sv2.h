/* Stratum V2 recognisers (sv2-spec, protocols.md §4): the plaintext
 * SetupConnection frame a client sends first on an unencrypted link, and
 * the Noise NX handshake sizes of an encrypted one (client 64 bytes, server
 * 64 + 80 + 90 = 234 bytes). The capture layer may call
 * mt_sv2_is_setup_connection() on a flow's first client payload to set
 * app = MT_APP_SV2; the flow detector uses both. */
#ifndef MT_PROTO_SV2_H
#define MT_PROTO_SV2_H

#include <stddef.h>
#include <stdint.h>

#define MT_SV2_NOISE_ACT1 64  /* client ElligatorSwift ephemeral key */
#define MT_SV2_NOISE_ACT2 234 /* server: key + encrypted static key + signed cert */

/* 1 when p[0..n) starts with a plausible plaintext SV2 SetupConnection:
 * extension_type 0x0000, msg_type 0x00, U24 length, protocol 0..2,
 * min_version 2 <= max_version, flags, then endpoint_host as STR0_255 of
 * printable bytes inside the announced length. */
int mt_sv2_is_setup_connection(const uint8_t *p, size_t n);

/* 1 when the first payload sizes (sign = direction, + client) open with
 * exactly the Noise NX act 1 / act 2 sizes. */
int mt_sv2_is_noise_handshake(const int32_t *sizes, size_t n);

#endif
