/* Device fingerprints from banners: Rapid7 Recog fingerprint XML files
 * (ssh_banners.xml, telnet_banners.xml, http_servers.xml, html_title.xml,
 * ...), read with libxml2, their regexes compiled with PCRE2 (match limits
 * as in intel_abp.c). Each file declares what it matches (its `matches`
 * attribute: "ssh.banner", "telnet.banner", "http_header.server",
 * "html_title", ...; a file without one, like telnet_banners.xml, takes
 * "<protocol>.banner"). Banners are given as grabbed: an ssh banner with
 * or without its "SSH-2.0-" prefix and line end, a telnet banner with its
 * surrounding CR/LF; the matcher trims them as Recog's databases expect.
 * A match gives the fingerprint's parameters that
 * matter here: vendor, product, device type (hw.device, else os.device)
 * and whether that device type is an IoT/embedded one. */
#ifndef MT_INTEL_RECOG_H
#define MT_INTEL_RECOG_H

#include <stddef.h>

typedef struct mt_recog mt_recog;

mt_recog *mt_recog_new(void);
void mt_recog_free(mt_recog *r);
/* Load every *.xml file of a directory, or one file. MT_OK or MT_E* with
 * mt_error_msg() naming the file (and line where libxml2 gives one).
 * Fingerprints whose regex PCRE2 refuses are counted, not fatal. */
int mt_recog_load(mt_recog *r, const char *path);
/* The same from memory (one file's text; name is used in messages). */
int mt_recog_load_mem(mt_recog *r, const char *xml, size_t n, const char *name);
size_t mt_recog_count(const mt_recog *r);        /* fingerprints loaded */
size_t mt_recog_rejected(const mt_recog *r);     /* regexes that did not compile */

/* The struct tag is mt_recog_match; the typedef is mt_recog_hit, because
 * the function below has the tag's name (a typedef and a function cannot
 * share one). */
typedef struct mt_recog_match {
    const char *description; /* the fingerprint's description */
    const char *vendor;      /* hw.vendor, else os.vendor, else service.vendor; "" */
    const char *product;     /* hw.product, else os.product, else service.product; "" */
    const char *device;      /* hw.device, else os.device; "" */
    int iot;                 /* 1 when device names an embedded/IoT class (router, WAP,
                                camera, DVR, NVR, broadband router, ...) */
} mt_recog_hit;

/* Match a banner against the fingerprints of one kind (`matches`, e.g.
 * "ssh.banner"; NULL = every kind). 1: matched (out filled; pointers live
 * as long as r), 0: none. The first match in file order wins, as in Recog. */
int mt_recog_match(const mt_recog *r, const char *matches, const char *banner, size_t n,
                   mt_recog_hit *out);
/* Is a device type (Recog's hw.device/os.device vocabulary) an IoT class?
 * Case-insensitive. IoT here: routers and other CPE (Router, Broadband
 * Router, WAP, WLAN Repeater, (DOCSIS) Cable Modem, Powerline), cameras and
 * recorders (IP Camera, Web Cam, DVR, NVR, Video En-/Decoder), media and
 * home devices, printers, NAS, VoIP, building and OT controllers (PLC, UPS,
 * Power Device, Access Control, ...); not enterprise infrastructure
 * (Switch, Firewall, VPN, Lights Out Management, Hypervisor, appliances).
 * The full list is in recog.c. */
int mt_recog_device_is_iot(const char *device);

/* Recog's own test (its recog_verify): every <example> of every loaded
 * fingerprint must match that fingerprint, and the parameter values the
 * example names (service.version="6.6p1", ...) must be what the match
 * gives (interpolated values such as cpe23 "{service.version}" are not
 * compared). cb (may be NULL) is called once per failing example with the
 * file, the example's line and why. Returns the failures; *checked gets
 * the examples tried. */
typedef void (*mt_recog_check_cb)(void *ctx, const char *file, long line,
                                  const char *description, const char *why);
size_t mt_recog_check_examples(const mt_recog *r, mt_recog_check_cb cb, void *ctx,
                               size_t *checked);

#endif
