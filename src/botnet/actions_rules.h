/* The rule tables behind botnet/actions.c (kept in families.c): names that
 * mean "a miner", hosts that never make a marker, files known to belong to
 * a family. Internal to the botnet layer. */
#ifndef MT_BOTNET_ACTIONS_RULES_H
#define MT_BOTNET_ACTIONS_RULES_H

#include <stddef.h>

/* What a name is, when it is executed, fetched or unpacked. */
enum {
    MT_NAME_MINER = 1u << 0,   /* a miner under its own name (xmrig, minerd, ...) */
    MT_NAME_RENAMED = 1u << 1, /* a miner under a borrowed name (kswapd0, kdevtmpfsi, ...) */
    MT_NAME_KINSING = 1u << 2,
    MT_NAME_REDTAIL = 1u << 3,
    MT_NAME_DIICOT = 1u << 4,
    MT_NAME_OUTLAW = 1u << 5,  /* dota*.tar.gz, tsm, ... */
    MT_NAME_MIRAI = 1u << 6,   /* IoT DDoS loaders: bins.sh, *.mpsl, ... */
    MT_NAME_INSTALLER = 1u << 7, /* a pool's miner installer script */
    MT_NAME_UNINSTALL = 1u << 8, /* a pool's uninstaller (removing a rival's miner) */
};

/* Flags (MT_NAME_*) of a file name's last path component (case-insensitive;
 * n bytes, not NUL-terminated); 0 when nothing is known of it. */
unsigned mt_rules_name(const char *name, size_t n);
/* Does a URL path name a miner's directory (/monero/, /xmrig/, /miner/)? */
int mt_rules_dir_miner(const char *path, size_t n);
/* Is a name, as a kill / grep / ps pattern, aimed at miners? ("[Mm]iner",
 * "xmrig", "kswapd0", ...). */
int mt_rules_rival_pattern(const char *s, size_t n);
/* Shared infrastructure: 1 when host (lower-case, no port) is, or is under,
 * a listed name. */
int mt_rules_shared_host(const char *host, size_t n);
/* Files that are no marker: the empty file, a lone newline. sha is 64
 * lower-case hex. */
int mt_rules_trivial_hash(const char *sha);
/* Files of a known family: MT_SIG_* bits, 0 when unknown. */
unsigned mt_rules_known_hash(const char *sha);
/* Planted-key fingerprints of a known family: MT_SIG_* bits, 0 when unknown. */
unsigned mt_rules_known_key(const char *fingerprint, const char *comment);
/* Pool domain by the intel layer's builtin list (built once, on first use). */
int mt_rules_pool_domain(const char *host);

#endif
