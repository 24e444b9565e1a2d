/* Device fingerprints from banners: Rapid7 Recog fingerprint XML files
 * (ssh_banners.xml, telnet_banners.xml, http_servers.xml, html_title.xml,
 * ...), read with libxml2, their regexes compiled with PCRE2 (match limits
 * as in intel_abp.c). Each file declares what it matches (its `matches`
 * attribute: "ssh.banner", "telnet.banner", "http_header.server",
 * "html_title", ...). A match gives the fingerprint's parameters that
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
size_t mt_recog_count(const mt_recog *r);        /* fingerprints loaded */
size_t mt_recog_rejected(const mt_recog *r);     /* regexes that did not compile */

/* A struct tag, not a typedef: the name is also the function's. */
struct mt_recog_match {
    const char *description; /* the fingerprint's description */
    const char *vendor;      /* hw.vendor, else os.vendor, else service.vendor; "" */
    const char *product;     /* hw.product, else os.product, else service.product; "" */
    const char *device;      /* hw.device, else os.device; "" */
    int iot;                 /* 1 when device names an embedded/IoT class (router, WAP,
                                camera, DVR, NVR, broadband router, ...) */
};

/* Match a banner against the fingerprints of one kind (`matches`, e.g.
 * "ssh.banner"; NULL = every kind). 1: matched (out filled; pointers live
 * as long as r), 0: none. The first match in file order wins, as in Recog. */
int mt_recog_match(const mt_recog *r, const char *matches, const char *banner, size_t n,
                   struct mt_recog_match *out);
/* Is a device type (Recog's hw.device/os.device vocabulary) an IoT class? */
int mt_recog_device_is_iot(const char *device);

#endif
