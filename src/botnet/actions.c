/* What one attacker action reveals (see actions.h): markers and signals
 * from a command line, a download or an upload.
 *
 * A command line is read the way a shell would split it, well enough for
 * what bots type: simple commands separated by ; & | && || newlines,
 * backquotes and $( ); words with '...' and "..." quoting and backslash
 * escapes; redirections. Each simple command is then judged by its command
 * word: wget/curl/tftp/ftpget arguments are downloads; a path or a known
 * name in command position is an execution; pkill/kill/ps/grep arguments
 * are rival hunting; sh -c '...' strings and base64 blobs piped to a shell
 * are read again, one level deep. What does not depend on the shell
 * grammar (SSH keys, Monero addresses) is found on the raw text.
 *
 * Hostile input: the text is read up to SCAN_CAP bytes (a longer line is
 * judged on its start), every loop is bounded by the text or by a fixed
 * count, nothing is allocated; the only library work is SHA-256 and base64
 * for a planted key's fingerprint. A cheap pass over the lower-cased text
 * (memmem for a dozen rare needles) decides which of the costlier checks
 * run at all. */
#include "botnet/actions.h"

#include <stdio.h>
#include <string.h>

#include "botnet/actions_rules.h"
#include "minetrace/common.h"
#include "minetrace/intel.h"
#include "util/digest.h"
#include "util/hostport.h"

#define SCAN_CAP 16384   /* bytes of one command line that are read */
#define MAX_WORDS 64     /* words of one simple command that are judged */
#define MAX_DEPTH 2      /* sh -c / base64 payloads read again, this deep */
#define KEY_BLOB_MAX 4096 /* decoded key blob (RSA 16384 bits is ~2.1 KB) */

/* ---- small helpers ----------------------------------------------------- */

static char lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_b58(unsigned char c)
{
    return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N') ||
           (c >= 'P' && c <= 'Z') || (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
}

static int is_b64(unsigned char c)
{
    return is_alnum(c) || c == '+' || c == '/' || c == '=';
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Case-insensitive comparison of a span with a lower-case literal (most
 * calls fail on the first byte: no strlen first). */
static int eqi(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n; i++)
        if (!lit[i] || lc(s[i]) != lit[i]) return 0;
    return lit[i] == '\0';
}

static int prefixi_n(const char *s, size_t n, const char *lit, size_t m)
{
    return m <= n && eqi(s, m, lit);
}

static int endsi_n(const char *s, size_t n, const char *lit, size_t m)
{
    return m <= n && eqi(s + n - m, m, lit);
}
#define prefixi(s, n, lit) prefixi_n(s, n, lit, sizeof lit - 1)
#define endsi(s, n, lit) endsi_n(s, n, lit, sizeof lit - 1)

static const char *basename_of(const char *s, size_t n, size_t *bn)
{
    size_t i = n;
    while (i > 0 && s[i - 1] != '/') i--;
    *bn = n - i;
    return s + i;
}

/* ---- the output ----------------------------------------------------------- */

static void set_str(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void add_marker(mt_action_info *out, mt_marker_type t, const char *v, size_t n)
{
    if (n >= MT_MARKER_VALUE_MAX) n = MT_MARKER_VALUE_MAX - 1;
    /* a value is a C string: one with a NUL in it would compare equal to
     * its prefix and join strangers */
    if (n == 0 || memchr(v, '\0', n)) return;
    for (size_t i = 0; i < out->n; i++)
        if (out->m[i].type == t && strlen(out->m[i].value) == n && memcmp(out->m[i].value, v, n) == 0)
            return;
    if (out->n >= MT_ACTION_MAX_MARKERS) return;
    out->m[out->n].type = t;
    set_str(out->m[out->n].value, MT_MARKER_VALUE_MAX, v, n);
    out->n++;
}

static void add_wallet(mt_action_info *out, const char *w, size_t n)
{
    add_marker(out, MT_MK_WALLET, w, n);
    out->signals |= MT_SIG_WALLET;
    if (!out->wallet[0]) set_str(out->wallet, sizeof out->wallet, w, n);
}

static void add_pool(mt_action_info *out, const char *p, size_t n)
{
    add_marker(out, MT_MK_POOL, p, n);
    out->signals |= MT_SIG_POOL;
    if (!out->pool[0]) set_str(out->pool, sizeof out->pool, p, n);
}

/* Signals a file name carries when it is run, fetched or unpacked. */
static void name_signals(mt_action_info *out, const char *name, size_t n)
{
    unsigned f = mt_rules_name(name, n);
    if (!f) return;
    if (f & MT_NAME_MINER) out->signals |= MT_SIG_MINER_BINARY;
    if (f & MT_NAME_RENAMED) out->signals |= MT_SIG_RENAMED_MINER;
    if (f & MT_NAME_KINSING) out->signals |= MT_SIG_KINSING;
    if (f & MT_NAME_REDTAIL) out->signals |= MT_SIG_REDTAIL;
    if (f & MT_NAME_DIICOT) out->signals |= MT_SIG_DIICOT;
    if (f & MT_NAME_OUTLAW) out->signals |= MT_SIG_OUTLAW_TARBALL;
    if (f & MT_NAME_MIRAI) out->signals |= MT_SIG_MIRAI;
    if (f & MT_NAME_INSTALLER) out->signals |= MT_SIG_MINER_INSTALLER;
    if (f & MT_NAME_UNINSTALL) out->signals |= MT_SIG_KILLS_RIVALS;
}

/* ---- URLs ------------------------------------------------------------------- */

static int default_port(const char *scheme, int port)
{
    return (port == 80 && strcmp(scheme, "http") == 0) ||
           (port == 443 && strcmp(scheme, "https") == 0) ||
           (port == 21 && strcmp(scheme, "ftp") == 0) || (port == 69 && strcmp(scheme, "tftp") == 0);
}

/* A host a payload can come from: a dotted name of letters, digits and
 * '-', or an IPv4 address; never loopback, private or unspecified space
 * (nobody's infrastructure). Lower-cases into out. */
static int plausible_host(const char *h, size_t n, char *out, size_t cap)
{
    if (n == 0 || n >= cap || h[0] == '-' || h[0] == '.' || h[n - 1] == '.' || h[n - 1] == '-')
        return 0;
    int dots = 0, alpha = 0;
    for (size_t i = 0; i < n; i++) {
        char c = lc(h[i]);
        if (c == '.') {
            if (i && h[i - 1] == '.') return 0;
            dots++;
        } else if (c >= 'a' && c <= 'z')
            alpha = 1;
        else if (!(c >= '0' && c <= '9') && c != '-')
            return 0;
        out[i] = c;
    }
    out[n] = '\0';
    if (dots == 0) return 0;
    if (!alpha) {
        mt_addr a;
        if (dots != 3 || mt_addr_parse(out, &a) != MT_OK) return 0;
        unsigned b0 = 0, b1 = 0;
        size_t i = 0;
        while (out[i] != '.') b0 = b0 * 10 + (unsigned)(out[i++] - '0');
        for (i++; out[i] != '.'; i++) b1 = b1 * 10 + (unsigned)(out[i] - '0');
        if (b0 == 0 || b0 == 10 || b0 == 127 || (b0 == 192 && b1 == 168) ||
            (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 169 && b1 == 254) || b0 >= 224)
            return 0;
    } else {
        /* the top label of a name is letters: "x86.64" is no host */
        size_t t = n;
        while (t > 0 && out[t - 1] != '.') t--;
        for (size_t i = t; i < n; i++)
            if (!(out[i] >= 'a' && out[i] <= 'z')) return 0;
        if (n - t < 2) return 0;
    }
    return 1;
}

typedef struct url_parts {
    char scheme[8];
    char host[256];
    int port;               /* -1 = default */
    const char *path;       /* into the input; "" when none */
    size_t path_n;
} url_parts;

/* Split a download argument: "scheme://[user@]host[:port][/path][?q]" or,
 * without a scheme (wget and curl take "1.2.3.4/x"), host[:port][/path]
 * with def_scheme. 1 when the host is plausible. */
static int parse_url(const char *u, size_t n, const char *def_scheme, url_parts *p)
{
    memset(p, 0, sizeof *p);
    p->port = -1;
    p->path = "";
    const char *sep = n >= 3 ? memmem(u, n, "://", 3) : NULL;
    const char *a = u;
    if (sep) {
        size_t sl = (size_t)(sep - u);
        if (sl == 0 || sl >= sizeof p->scheme) return 0;
        for (size_t i = 0; i < sl; i++) {
            char c = lc(u[i]);
            if (!(c >= 'a' && c <= 'z')) return 0;
            p->scheme[i] = c;
        }
        if (strcmp(p->scheme, "http") != 0 && strcmp(p->scheme, "https") != 0 &&
            strcmp(p->scheme, "ftp") != 0 && strcmp(p->scheme, "tftp") != 0)
            return 0;
        a = sep + 3;
    } else {
        snprintf(p->scheme, sizeof p->scheme, "%s", def_scheme);
    }
    const char *end = u + n;
    const char *ae = a;
    while (ae < end && *ae != '/' && *ae != '?' && *ae != '#') ae++;
    /* user:pass@ */
    const char *at = NULL;
    for (const char *q = a; q < ae; q++)
        if (*q == '@') at = q;
    if (at) a = at + 1;
    if (a >= ae) return 0;
    mt_hostport hp;
    if (mt_hostport_parse(a, (size_t)(ae - a), 0, &hp) != MT_OK || hp.bracketed) return 0;
    if (!plausible_host(hp.host, hp.host_len, p->host, sizeof p->host)) return 0;
    p->port = (hp.port >= 0 && !default_port(p->scheme, hp.port)) ? hp.port : -1;
    const char *pe = ae;
    while (pe < end && *pe != '?' && *pe != '#') pe++;
    if (ae < end && *ae == '/') {
        p->path = ae;
        p->path_n = (size_t)(pe - ae);
    }
    return 1;
}

/* Markers and signals of a payload fetched from a parsed URL. Returns 1
 * when the file is everybody's (a shared host, a pool's installer): then
 * its hash is no marker either. */
static int url_found(mt_action_info *out, const url_parts *p)
{
    char hostport[272], url[MT_MARKER_VALUE_MAX];
    if (p->port >= 0)
        snprintf(hostport, sizeof hostport, "%s:%d", p->host, p->port);
    else
        snprintf(hostport, sizeof hostport, "%s", p->host);
    size_t path_n = p->path_n;
    int w = snprintf(url, sizeof url, "%s://%s%.*s", p->scheme, hostport,
                     path_n ? (int)(path_n > 200 ? 200 : path_n) : 1, path_n ? p->path : "/");
    int shared = mt_rules_shared_host(p->host, strlen(p->host));
    if (!shared) {
        if (w > 0) add_marker(out, MT_MK_DOWNLOAD_URL, url, strlen(url));
        add_marker(out, MT_MK_DOWNLOAD_HOST, hostport, strlen(hostport));
    }
    unsigned f = path_n ? mt_rules_name(p->path, path_n) : 0;
    if (path_n) name_signals(out, p->path, path_n);
    if (path_n >= 6 && memmem(p->path, path_n, "/bins/", 6)) out->signals |= MT_SIG_MIRAI;
    /* a miner kept in a telling directory: /monero/dayone.sh, /xmrig/x */
    if (!(f & (MT_NAME_UNINSTALL | MT_NAME_INSTALLER)) && path_n &&
        (mt_rules_dir_miner(p->path, path_n)))
        out->signals |= MT_SIG_MINER_BINARY;
    return shared || (f & (MT_NAME_INSTALLER | MT_NAME_UNINSTALL)) != 0;
}

static int url_arg(mt_action_info *out, const char *u, size_t n, const char *def_scheme)
{
    url_parts p;
    if (n == 0 || n > 2048 || u[0] == '-' || u[0] == '$') return 0;
    return parse_url(u, n, def_scheme, &p) ? url_found(out, &p) : 0;
}

/* ---- keys -------------------------------------------------------------------- */

static const char *const key_types[] = {
    "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
};

/* The same few keys are planted millions of times (1,627 mdrfckr plants in
 * two weeks of one sensor): the last fingerprints are kept per thread,
 * keyed by the whole base64 text (no hash that a crafted blob could
 * collide with). */
#define FP_CACHE 8
#define FP_CACHE_TEXT 768 /* RSA 4096 is 716 characters */
static _Thread_local struct fp_entry {
    const char *type; /* one of key_types[] */
    size_t n;
    char text[FP_CACHE_TEXT];
    char fp[56];
} g_fp[FP_CACHE];
static _Thread_local unsigned g_fp_next;

/* OpenSSH fingerprint of a key's base64 text: "SHA256:" + base64 without
 * padding of SHA-256 over the decoded blob, which must name its own type
 * (uint32 length, then the type string). 1 on success. */
static int fingerprint(const char *b64, size_t bl, const char *type, size_t tl, char fp[56])
{
    for (unsigned i = 0; i < FP_CACHE; i++)
        if (g_fp[i].type == type && g_fp[i].n == bl && memcmp(g_fp[i].text, b64, bl) == 0) {
            memcpy(fp, g_fp[i].fp, sizeof g_fp[i].fp);
            return 1;
        }
    uint8_t blob[KEY_BLOB_MAX];
    long got = mt_b64_decode(b64, bl, blob, sizeof blob);
    if (got < (long)(4 + tl)) return 0;
    uint32_t L = ((uint32_t)blob[0] << 24) | ((uint32_t)blob[1] << 16) | ((uint32_t)blob[2] << 8) | blob[3];
    if (L != tl || memcmp(blob + 4, type, tl) != 0) return 0;
    uint8_t dig[MT_DIGEST_MAX];
    mt_digest d;
    if (mt_digest_init(&d, MT_DIGEST_SHA256) != MT_OK) {
        (void)mt_digest_final(&d, dig);
        return 0;
    }
    mt_digest_update(&d, blob, (size_t)got);
    if (mt_digest_final(&d, dig) != MT_OK) return 0;
    memcpy(fp, "SHA256:", 8);
    if (mt_b64_encode(dig, MT_SHA256_LEN, 1, fp + 7, 56 - 7) < 0) return 0;
    if (bl <= FP_CACHE_TEXT) {
        struct fp_entry *e = &g_fp[g_fp_next++ % FP_CACHE];
        e->type = type;
        e->n = bl;
        memcpy(e->text, b64, bl);
        memcpy(e->fp, fp, sizeof e->fp);
    }
    return 1;
}

/* One key at s[i] (the key type's first byte); returns where it ended. */
static size_t key_at(mt_action_info *out, const char *s, size_t n, size_t i, int plant)
{
    const char *type = NULL;
    size_t tl = 0;
    for (size_t k = 0; k < sizeof key_types / sizeof key_types[0]; k++) {
        size_t m = strlen(key_types[k]);
        if (i + m < n && memcmp(s + i, key_types[k], m) == 0 && (s[i + m] == ' ' || s[i + m] == '\t'))
            if (m > tl) {
                type = key_types[k];
                tl = m;
            }
    }
    if (!type) return i + 1;
    size_t j = i + tl;
    while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
    size_t b = j;
    while (j < n && is_b64((unsigned char)s[j])) j++;
    size_t bl = j - b;
    if (bl < 40 || bl % 4 != 0 || bl / 4 * 3 > KEY_BLOB_MAX) return j;
    char fp[8 + 48] = "SHA256:";
    if (!fingerprint(s + b, bl, type, tl, fp)) return j;

    /* The comment: the rest up to the quote or shell operator that ends
     * the echoed text. */
    size_t c = j;
    while (c < n && (s[c] == ' ' || s[c] == '\t')) c++;
    size_t ce = c;
    while (ce < n && ce - c < 200 && !strchr("\"'\\><;|&`)\r\n", s[ce]) && s[ce] != '\0') ce++;
    while (ce > c && (s[ce - 1] == ' ' || s[ce - 1] == '\t')) ce--;
    char comment[64];
    set_str(comment, sizeof comment, s + c, ce - c);

    add_marker(out, MT_MK_KEY, fp, strlen(fp));
    if (comment[0]) add_marker(out, MT_MK_KEY_COMMENT, comment, strlen(comment));
    unsigned known = mt_rules_known_key(fp, comment);
    /* the Outlaw comment wins the one key_comment slot */
    if (comment[0] && (!out->key_comment[0] || known))
        set_str(out->key_comment, sizeof out->key_comment, comment, strlen(comment));
    out->signals |= known;
    if (plant) out->signals |= MT_SIG_KEY_PLANT;
    return ce > j ? ce : j;
}

static void scan_keys(mt_action_info *out, const char *s, size_t n, int plant)
{
    /* the next "ssh-", "sk-" and "ecdsa-" at or after i, each searched once
     * per occurrence (never rescanned: the loop stays linear) */
    static const char *const pre[3] = {"ssh-", "sk-", "ecdsa-"};
    size_t next[3];
    for (int k = 0; k < 3; k++) {
        const char *p = memmem(s, n, pre[k], strlen(pre[k]));
        next[k] = p ? (size_t)(p - s) : n;
    }
    size_t i = 0;
    for (;;) {
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (next[k] < next[best]) best = k;
        if (next[best] >= n) break;
        size_t at = next[best];
        size_t end = at + 1;
        if (at >= i && !(at > 0 && (is_alnum((unsigned char)s[at - 1]) || s[at - 1] == '-')))
            end = key_at(out, s, n, at, plant);
        if (end > i) i = end;
        for (int k = 0; k < 3; k++)
            if (next[k] < i || k == best) {
                size_t from = next[k] + 1 > i ? next[k] + 1 : i;
                const char *p = from < n ? memmem(s + from, n - from, pre[k], strlen(pre[k])) : NULL;
                next[k] = p ? (size_t)(p - s) : n;
            }
    }
}

/* ---- wallets ----------------------------------------------------------------- */

/* Monero addresses anywhere: base58 runs of exactly 95 ('4' standard, '8'
 * subaddress) or 106 ('4' integrated) characters between non-alphanumeric
 * bytes. The shape alone is distinctive enough for a command line. */
static void scan_monero(mt_action_info *out, const char *s, size_t n)
{
    if (n < 95) return;
    for (size_t i = 0; i + 95 <= n; i++) {
        if (s[i] != '4' && s[i] != '8') continue;
        if (i > 0 && is_alnum((unsigned char)s[i - 1])) continue;
        size_t j = i;
        while (j < n && j - i <= 106 && is_b58((unsigned char)s[j])) j++;
        size_t len = j - i;
        if (j < n && is_alnum((unsigned char)s[j])) {
            i = j;
            continue;
        }
        if (len == 95 || (len == 106 && s[i] == '4')) add_wallet(out, s + i, len);
        i = j;
    }
}

/* A -u / --user value: the wallet before a ".worker" or "+diff" suffix,
 * any coin (this is a miner's argv). */
static void user_arg(mt_action_info *out, const char *v, size_t n, int allow_btc)
{
    size_t k = 0;
    while (k < n && k < 128 && (is_alnum((unsigned char)v[k]))) k++;
    if (k < 26) return;
    char w[130];
    memcpy(w, v, k);
    w[k] = '\0';
    const char *shape = mt_intel_wallet_shape(w);
    if (!shape || (!allow_btc && strcmp(shape, "bitcoin") == 0)) return;
    if (strcmp(shape, "ethereum") == 0 || (w[0] == 'b' || w[0] == 'B'))
        for (size_t i = 0; i < k; i++) w[i] = lc(w[i]);
    add_wallet(out, w, k);
}

/* ---- pools ----------------------------------------------------------------------- */

/* "stratum+tcp://[user@]host:port", "host:port" after -o: the pool marker
 * is host:port. strict: only with a stratum scheme or a known pool
 * domain. */
static int pool_arg(mt_action_info *out, const char *v, size_t n, int strict)
{
    if (n == 0 || n > 300) return 0;
    const char *sep = n >= 3 ? memmem(v, n, "://", 3) : NULL;
    int stratum = 0;
    if (sep) {
        if (!prefixi(v, (size_t)(sep - v), "stratum")) return 0;
        stratum = 1;
        n -= (size_t)(sep + 3 - v);
        v = sep + 3;
    }
    size_t ae = 0;
    while (ae < n && v[ae] != '/' && v[ae] != '?' && v[ae] != '#') ae++;
    size_t at = ae;
    for (size_t i = 0; i < ae; i++)
        if (v[i] == '@') at = i;
    if (at < ae) {
        v += at + 1;
        ae -= at + 1;
        n -= at + 1;
    }
    mt_hostport hp;
    if (ae == 0 || mt_hostport_parse(v, ae, 0, &hp) != MT_OK || hp.port <= 0) return 0;
    char host[256];
    if (!plausible_host(hp.host, hp.host_len, host, sizeof host)) return 0;
    if (strict && !stratum && !mt_rules_pool_domain(host)) return 0;
    char hpv[272];
    snprintf(hpv, sizeof hpv, "%s:%d", host, hp.port);
    add_pool(out, hpv, strlen(hpv));
    return 1;
}

/* ---- the shell reader ------------------------------------------------------------ */

enum { W_REDIR_OUT = 1, W_REDIR_IN = 2, W_QUOTED = 4 };

typedef struct word {
    const char *p; /* into the scanner's word buffer (unquoted) */
    size_t n;
    unsigned flags;
} word;

typedef struct lexer {
    const char *s;
    size_t n, i;
    char *buf;
    size_t bn, bcap;
} lexer;

/* The next simple command into w (at most MAX_WORDS; more are read and
 * dropped). Returns the word count, -1 at the end of the text. *piped is
 * 1 when the command's output goes into a pipe. */
static int next_command(lexer *lx, word *w, int *piped)
{
    const char *s = lx->s;
    size_t n = lx->n;
    int k = 0;
    unsigned pend = 0; /* redirection flags for the next word */
    *piped = 0;
    if (lx->i >= n) return -1;
    while (lx->i < n) {
        unsigned char c = (unsigned char)s[lx->i];
        if (c == ' ' || c == '\t' || c == '\r') {
            lx->i++;
            continue;
        }
        if (c == ';' || c == '\n' || c == '(' || c == ')' || c == '`' || c == '{' || c == '}') {
            lx->i++;
            if (k) return k;
            continue;
        }
        if (c == '|' || c == '&') {
            int dbl = lx->i + 1 < n && (unsigned char)s[lx->i + 1] == c;
            if (c == '&' && lx->i + 1 < n && s[lx->i + 1] == '>') { /* &> file */
                lx->i += 2;
                pend = W_REDIR_OUT;
                continue;
            }
            lx->i += dbl ? 2 : 1;
            if (c == '|' && !dbl) *piped = 1;
            if (k) return k;
            continue;
        }
        if (c == '>' || c == '<') {
            lx->i++;
            while (lx->i < n && (s[lx->i] == '>' || s[lx->i] == '<')) lx->i++;
            if (lx->i < n && s[lx->i] == '&') { /* 2>&1, >&6 */
                lx->i++;
                while (lx->i < n && s[lx->i] >= '0' && s[lx->i] <= '9') lx->i++;
                continue;
            }
            pend = c == '>' ? W_REDIR_OUT : W_REDIR_IN;
            continue;
        }
        if (c == '$' && lx->i + 1 < n && s[lx->i + 1] == '(') {
            lx->i += 2;
            if (k) return k;
            continue;
        }
        /* a word */
        size_t start = lx->bn;
        unsigned flags = pend;
        pend = 0;
        while (lx->i < n) {
            c = (unsigned char)s[lx->i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '|' || c == '&' ||
                c == '(' || c == ')' || c == '`' || c == '>' || c == '<')
                break;
            if (c == '$' && lx->i + 1 < n && s[lx->i + 1] == '(') break;
            if (c == '\'') {
                flags |= W_QUOTED;
                lx->i++;
                while (lx->i < n && s[lx->i] != '\'') {
                    if (lx->bn < lx->bcap) lx->buf[lx->bn++] = s[lx->i];
                    lx->i++;
                }
                lx->i++;
                continue;
            }
            if (c == '"') {
                flags |= W_QUOTED;
                lx->i++;
                while (lx->i < n && s[lx->i] != '"') {
                    char d = s[lx->i];
                    if (d == '\\' && lx->i + 1 < n && strchr("\"\\$`", s[lx->i + 1])) d = s[++lx->i];
                    if (lx->bn < lx->bcap) lx->buf[lx->bn++] = d;
                    lx->i++;
                }
                lx->i++;
                continue;
            }
            if (c == '\\' && lx->i + 1 < n) lx->i++;
            if (lx->bn < lx->bcap) lx->buf[lx->bn++] = s[lx->i];
            lx->i++;
        }
        if (k < MAX_WORDS) {
            w[k].p = lx->buf + start;
            w[k].n = lx->bn - start;
            w[k].flags = flags;
            k++;
        }
    }
    return k;
}

/* ---- judging one simple command ---------------------------------------------------- */

enum {
    P_KEYS = 1u << 0,
    P_AUTHKEYS = 1u << 1,
    P_OUTLAW = 1u << 2,
    P_REDTAIL = 1u << 3,
    P_DIICOT = 1u << 4,
    P_STRATUM = 1u << 5,
    P_CRONTAB = 1u << 6,
    P_BASE64 = 1u << 7,
};

typedef struct scan {
    mt_action_info *out;
    int depth;
    unsigned pf; /* P_* of the whole text being read */
} scan;

static void scan_text(mt_action_info *out, const char *s, size_t n, int depth);

static int is_opt(const word *w)
{
    return w->n > 1 && w->p[0] == '-';
}

/* Does an option word take the next word as its value? short: letters of
 * short options with a value; longs: long options with a value. Sets
 * *inline_v to an inline value ("-Ofile", "--output=file"). */
static int opt_takes(const word *w, const char *shorts, const char *const *longs, const char **iv,
                     size_t *ivn, char *letter)
{
    *iv = NULL;
    *ivn = 0;
    *letter = 0;
    if (w->n > 2 && w->p[1] == '-') {
        const char *eqp = memchr(w->p, '=', w->n);
        if (eqp) {
            *iv = eqp + 1;
            *ivn = w->n - (size_t)(eqp + 1 - w->p);
            return 0;
        }
        for (size_t i = 0; longs[i]; i++)
            if (eqi(w->p + 2, w->n - 2, longs[i])) return 1;
        return 0;
    }
    for (size_t i = 1; i < w->n; i++)
        if (w->p[i] && strchr(shorts, w->p[i])) {
            *letter = w->p[i];
            if (i + 1 < w->n) {
                *iv = w->p + i + 1;
                *ivn = w->n - i - 1;
                return 0;
            }
            return 1;
        }
    return 0;
}

static int is_authorized_keys(const char *p, size_t n)
{
    return endsi(p, n, "authorized_keys") || endsi(p, n, "authorized_keys2");
}

static const char *const wget_long[] = {
    "output-document", "output-file", "append-output", "directory-prefix", "user-agent", "header",
    "tries", "timeout", "wait", "execute", "referer", "post-data", "post-file", "user", "password",
    "input-file", "limit-rate", "bind-address", "load-cookies", "save-cookies", "http-user",
    "http-password", "ca-certificate", "certificate", "private-key", NULL};
static const char *const curl_long[] = {
    "output", "header", "user-agent", "request", "data", "data-binary", "data-raw",
    "data-urlencode", "user", "referer", "cookie", "cookie-jar", "max-time", "max-redirs",
    "proxy", "upload-file", "write-out", "form", "config", "range", "connect-timeout", "retry",
    "resolve", "cacert", "cert", "key", "interface", "limit-rate", "output-dir", "continue-at",
    "proxy-user", "dns-servers", "local-port", "retry-delay", "retry-max-time", "speed-limit",
    "speed-time", "expect100-timeout", NULL};

/* wget / curl: every non-option argument is a URL; -O / -o name the file. */
static void cmd_fetch(scan *sc, word *w, int k, int curl)
{
    const char *shorts = curl ? "oHAXduebcmxTwFKryYzECUDQt" : "oaeiBtOTwQPUDRAlXI";
    const char *const *longs = curl ? curl_long : wget_long;
    for (int i = 1; i < k; i++) {
        if (is_opt(&w[i])) {
            const char *iv;
            size_t ivn;
            char letter;
            int takes = opt_takes(&w[i], shorts, longs, &iv, &ivn, &letter);
            const char *val = iv;
            size_t vn = ivn;
            if (takes && i + 1 < k) {
                val = w[i + 1].p;
                vn = w[i + 1].n;
            }
            int is_out = curl ? (letter == 'o' || eqi(w[i].p, w[i].n, "--output") ||
                                 prefixi(w[i].p, w[i].n, "--output="))
                              : (letter == 'O' || prefixi(w[i].p, w[i].n, "--output-document"));
            if (curl && (eqi(w[i].p, w[i].n, "--url") || prefixi(w[i].p, w[i].n, "--url=")) && val)
                url_arg(sc->out, val, vn, "http");
            if (is_out && val) {
                if (is_authorized_keys(val, vn)) sc->out->signals |= MT_SIG_KEY_PLANT;
                name_signals(sc->out, val, vn);
            }
            if (takes) i++;
            continue;
        }
        if (w[i].flags & (W_REDIR_OUT | W_REDIR_IN)) continue;
        url_arg(sc->out, w[i].p, w[i].n, "http");
    }
}

/* tftp HOST -c get FILE | tftp -g -r FILE HOST [port] (busybox) */
static void cmd_tftp(scan *sc, word *w, int k)
{
    const word *host = NULL, *file = NULL;
    for (int i = 1; i < k; i++) {
        if (w[i].flags & (W_REDIR_OUT | W_REDIR_IN)) continue;
        if (eqi(w[i].p, w[i].n, "-r") && i + 1 < k) {
            file = &w[++i];
            continue;
        }
        if (eqi(w[i].p, w[i].n, "-l") && i + 1 < k) {
            if (!file) file = &w[i + 1];
            i++;
            continue;
        }
        if (eqi(w[i].p, w[i].n, "-c") && i + 2 < k && eqi(w[i + 1].p, w[i + 1].n, "get")) {
            file = &w[i + 2];
            i += 2;
            continue;
        }
        if (is_opt(&w[i])) continue;
        if (!host) host = &w[i];
    }
    if (!host || !file || file->n == 0 || file->n > 200 || host->n > 255) return;
    url_parts p;
    char hn[256];
    if (!plausible_host(host->p, host->n, hn, sizeof hn)) return;
    memset(&p, 0, sizeof p);
    snprintf(p.scheme, sizeof p.scheme, "tftp");
    memcpy(p.host, hn, strlen(hn) + 1);
    p.port = -1;
    char path[208];
    int pl = snprintf(path, sizeof path, "/%.*s", (int)file->n - (file->p[0] == '/'),
                      file->p + (file->p[0] == '/'));
    p.path = path;
    p.path_n = pl > 0 ? (size_t)pl : 0;
    url_found(sc->out, &p);
}

/* ftpget [-v] [-u USER] [-p PASS] [-P PORT] HOST LOCAL [REMOTE] (busybox) */
static void cmd_ftpget(scan *sc, word *w, int k)
{
    const word *pos[3] = {0};
    int np = 0, port = -1;
    for (int i = 1; i < k; i++) {
        if (w[i].flags & (W_REDIR_OUT | W_REDIR_IN)) continue;
        if ((eqi(w[i].p, w[i].n, "-u") || eqi(w[i].p, w[i].n, "-p")) && i + 1 < k) {
            i++;
            continue;
        }
        if (eqi(w[i].p, w[i].n, "-P") && i + 1 < k) {
            i++;
            port = 0;
            for (size_t j = 0; j < w[i].n && j < 5 && w[i].p[j] >= '0' && w[i].p[j] <= '9'; j++)
                port = port * 10 + (w[i].p[j] - '0');
            continue;
        }
        if (is_opt(&w[i])) continue;
        if (np < 3) pos[np++] = &w[i];
    }
    if (np < 2) return;
    const word *file = np == 3 ? pos[2] : pos[1];
    char hn[256];
    if (pos[0]->n > 255 || !plausible_host(pos[0]->p, pos[0]->n, hn, sizeof hn) || file->n > 200) return;
    url_parts p;
    memset(&p, 0, sizeof p);
    snprintf(p.scheme, sizeof p.scheme, "ftp");
    memcpy(p.host, hn, strlen(hn) + 1);
    p.port = (port > 0 && port <= 65535 && port != 21) ? port : -1;
    char path[208];
    int pl = snprintf(path, sizeof path, "/%.*s", (int)file->n - (file->p[0] == '/'),
                      file->p + (file->p[0] == '/'));
    p.path = path;
    p.path_n = pl > 0 ? (size_t)pl : 0;
    url_found(sc->out, &p);
}

#define SIG_MINING (MT_SIG_MINER_BINARY | MT_SIG_MINER_INSTALLER | MT_SIG_POOL | MT_SIG_RENAMED_MINER)

/* A miner's argv: -o/--url pool, -u/--user wallet (pools first: a Bitcoin
 * address is taken only beside a mining action). */
static void miner_args(scan *sc, word *w, int k, int strict)
{
    for (int pass = 0; pass < 2; pass++)
    for (int i = 1; i < k; i++) {
        const word *a = &w[i];
        const char *v = NULL;
        size_t vn = 0;
        int pool = 0, user = 0;
        if (eqi(a->p, a->n, "-o") || eqi(a->p, a->n, "--url") || eqi(a->p, a->n, "--pool"))
            pool = 1;
        else if (eqi(a->p, a->n, "-u") || eqi(a->p, a->n, "--user") || eqi(a->p, a->n, "--wallet"))
            user = 1;
        else if (prefixi(a->p, a->n, "--url=") || prefixi(a->p, a->n, "--pool=")) {
            const char *e = memchr(a->p, '=', a->n);
            v = e + 1;
            vn = a->n - (size_t)(v - a->p);
            pool = 2;
        } else if (prefixi(a->p, a->n, "--user=") || prefixi(a->p, a->n, "--wallet=")) {
            const char *e = memchr(a->p, '=', a->n);
            v = e + 1;
            vn = a->n - (size_t)(v - a->p);
            user = 2;
        } else if (prefixi(a->p, a->n, "stratum")) {
            if (pass == 0) pool_arg(sc->out, a->p, a->n, 1);
            continue;
        }
        if ((pool == 1 || user == 1) && i + 1 < k) {
            v = w[i + 1].p;
            vn = w[i + 1].n;
            i++;
        }
        if (pass == 0 && pool && v) pool_arg(sc->out, v, vn, strict);
        if (pass == 1 && user && v) user_arg(sc->out, v, vn, (sc->out->signals & SIG_MINING) != 0);
    }
}

/* Words of a command that hunts rivals: ps | grep PATTERN, pkill NAME. */
static void cmd_rivals(scan *sc, word *w, int k)
{
    for (int i = 1; i < k; i++)
        if (!is_opt(&w[i]) && mt_rules_rival_pattern(w[i].p, w[i].n)) {
            sc->out->signals |= MT_SIG_KILLS_RIVALS;
            return;
        }
}

static int all_upper_tag(const char *p, size_t n)
{
    if (n < 3 || n > 32) return 0;
    int alpha = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 'A' && p[i] <= 'Z')
            alpha = 1;
        else if (!(p[i] >= '0' && p[i] <= '9') && p[i] != '_')
            return 0;
    }
    return alpha;
}

/* echo: hex-escaped probes (echo -e "\x6F\x6B"), base64 payloads, and
 * quoted text written somewhere (a crontab line, a script piped to sh):
 * that text is read as commands too. */
static void cmd_echo(scan *sc, word *w, int k, int piped)
{
    int esc = 0, redir = 0;
    for (int i = 1; i < k; i++) redir |= (w[i].flags & W_REDIR_OUT) != 0;
    for (int i = 1; i < k; i++) {
        if (w[i].n >= 2 && w[i].p[0] == '-' && memchr(w[i].p, 'e', w[i].n)) {
            esc = 1;
            continue;
        }
        if (esc && w[i].n >= 4 && memmem(w[i].p, w[i].n, "\\x", 2)) {
            sc->out->signals |= MT_SIG_MIRAI;
            continue;
        }
        if ((piped || redir || (sc->pf & P_CRONTAB)) &&
            (w[i].flags & W_QUOTED) && !(w[i].flags & W_REDIR_OUT) &&
            sc->depth < MAX_DEPTH && w[i].n >= 4 && memchr(w[i].p, ' ', w[i].n)) {
            scan_text(sc->out, w[i].p, w[i].n, sc->depth + 1);
            continue;
        }
        /* echo BASE64 | base64 -d | sh: read the script too */
        if (piped && sc->depth < MAX_DEPTH && w[i].n >= 64 && (sc->pf & P_BASE64)) {
            size_t m = w[i].n;
            int ok = 1;
            for (size_t j = 0; j < m && ok; j++) ok = is_b64((unsigned char)w[i].p[j]);
            if (!ok) continue;
            m -= m % 4;
            static _Thread_local uint8_t dec_tl[MAX_DEPTH][SCAN_CAP / 4 * 3 + 4];
            uint8_t *dec = dec_tl[sc->depth];
            size_t cap = sizeof dec_tl[0];
            if (m / 4 * 3 > cap) m = cap / 3 * 4;
            long got = mt_b64_decode(w[i].p, m, dec, cap);
            if (got > 0) scan_text(sc->out, (const char *)dec, (size_t)got, sc->depth + 1);
        }
    }
}

static int is_shell(const char *c, size_t n)
{
    return eqi(c, n, "sh") || eqi(c, n, "bash") || eqi(c, n, "dash") || eqi(c, n, "ash") ||
           eqi(c, n, "zsh") || eqi(c, n, "ksh") || eqi(c, n, "$shell") || eqi(c, n, "${shell}");
}

static int is_interp(const char *c, size_t n)
{
    return is_shell(c, n) || eqi(c, n, "perl") || eqi(c, n, "python") || eqi(c, n, "python3") ||
           eqi(c, n, "python2") || eqi(c, n, "source") || eqi(c, n, ".");
}

static int cron_field(const word *a)
{
    if (a->n == 0) return 0;
    if (a->p[0] == '@') return eqi(a->p, a->n, "@reboot") || eqi(a->p, a->n, "@hourly") ||
                               eqi(a->p, a->n, "@daily");
    int star = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->p[i] == '*') star = 1;
        else if (!strchr("0123456789/,-", a->p[i])) return 0;
    }
    return star || a->n <= 5;
}

static void judge(scan *sc, word *w, int k, int piped)
{
    mt_action_info *out = sc->out;
    /* skip VAR=value assignments and wrappers that run their argument */
    int i = 0;
    for (; i < k; i++) {
        const word *a = &w[i];
        const char *eqp = a->n ? memchr(a->p, '=', a->n) : NULL;
        if (eqp && eqp != a->p && !(a->flags & W_QUOTED)) {
            int ident = 1;
            for (const char *q = a->p; q < eqp && ident; q++)
                ident = is_alnum((unsigned char)*q) || *q == '_';
            if (ident) continue;
        }
        size_t bn;
        const char *b = basename_of(a->p, a->n, &bn);
        if (eqi(b, bn, "nohup") || eqi(b, bn, "sudo") || eqi(b, bn, "exec") || eqi(b, bn, "setsid") ||
            eqi(b, bn, "nice") || eqi(b, bn, "env") || eqi(b, bn, "time") || eqi(b, bn, "command"))
            continue;
        if (eqi(b, bn, "busybox") && i + 1 < k) {
            if (all_upper_tag(w[i + 1].p, w[i + 1].n)) out->signals |= MT_SIG_MIRAI;
            continue;
        }
        /* screen -dmS NAME cmd, timeout 60 cmd */
        if (eqi(b, bn, "screen") || eqi(b, bn, "timeout")) {
            while (i + 1 < k && (is_opt(&w[i + 1]) || (w[i + 1].n && w[i + 1].p[0] >= '0' && w[i + 1].p[0] <= '9'))) {
                i++;
                if (w[i].n >= 2 && w[i].p[w[i].n - 1] == 'S' && i + 1 < k) i++; /* -S NAME */
            }
            continue;
        }
        /* a crontab line's schedule fields (stars, step values, @reboot) */
        if (i == 0 || cron_field(&w[i - 1])) {
            if (cron_field(a)) continue;
        }
        break;
    }
    if (i >= k) return;
    w += i;
    k -= i;
    size_t cn;
    const char *cmd = basename_of(w[0].p, w[0].n, &cn);
    int pathlike = memchr(w[0].p, '/', w[0].n) != NULL;

    if (eqi(cmd, cn, "wget")) {
        cmd_fetch(sc, w, k, 0);
        return;
    }
    if (eqi(cmd, cn, "curl")) {
        cmd_fetch(sc, w, k, 1);
        return;
    }
    if (eqi(cmd, cn, "tftp")) {
        cmd_tftp(sc, w, k);
        return;
    }
    if (eqi(cmd, cn, "ftpget")) {
        cmd_ftpget(sc, w, k);
        return;
    }
    if (eqi(cmd, cn, "pkill") || eqi(cmd, cn, "kill") || eqi(cmd, cn, "killall") ||
        eqi(cmd, cn, "pgrep") || eqi(cmd, cn, "pidof") || eqi(cmd, cn, "grep") ||
        eqi(cmd, cn, "egrep") || eqi(cmd, cn, "fgrep") || eqi(cmd, cn, "ps")) {
        cmd_rivals(sc, w, k);
        for (int j = 1; j < k; j++)
            if (eqi(w[j].p, w[j].n, "/proc/cpuinfo") || eqi(w[j].p, w[j].n, "^processor"))
                out->signals |= MT_SIG_RECON_CPU;
        return;
    }
    if (eqi(cmd, cn, "echo") || eqi(cmd, cn, "printf")) {
        cmd_echo(sc, w, k, piped);
        return;
    }
    if (eqi(cmd, cn, "nproc") || eqi(cmd, cn, "lscpu") || eqi(cmd, cn, "nvidia-smi") ||
        eqi(cmd, cn, "nvidia-info") || eqi(cmd, cn, "amd-info")) {
        out->signals |= MT_SIG_RECON_CPU;
        return;
    }
    if (eqi(cmd, cn, "cat") || eqi(cmd, cn, "head") || eqi(cmd, cn, "dd") || eqi(cmd, cn, "ls")) {
        for (int j = 1; j < k; j++) {
            if (eqi(w[j].p, w[j].n, "/proc/cpuinfo")) out->signals |= MT_SIG_RECON_CPU;
            if (eqi(w[j].p, w[j].n, "/proc/self/exe") || eqi(w[j].p, w[j].n, "if=/proc/self/exe"))
                out->signals |= MT_SIG_MIRAI;
        }
        return;
    }
    if (eqi(cmd, cn, "tar") || eqi(cmd, cn, "mv") || eqi(cmd, cn, "cp") || eqi(cmd, cn, "chmod") ||
        eqi(cmd, cn, "rm")) {
        int rm = eqi(cmd, cn, "rm");
        for (int j = 1; j < k; j++) {
            if (is_opt(&w[j])) continue;
            if (rm) {
                /* Outlaw clears its own tarball first (rm -rf /var/tmp/dota*);
                 * removing anything else says nothing */
                if (mt_rules_name(w[j].p, w[j].n) & MT_NAME_OUTLAW)
                    out->signals |= MT_SIG_OUTLAW_TARBALL;
                continue;
            }
            name_signals(out, w[j].p, w[j].n);
        }
        return;
    }
    if (is_interp(cmd, cn)) {
        for (int j = 1; j < k; j++) {
            if (eqi(w[j].p, w[j].n, "-c") && j + 1 < k) {
                if (sc->depth < MAX_DEPTH) scan_text(out, w[j + 1].p, w[j + 1].n, sc->depth + 1);
                return;
            }
            if (is_opt(&w[j]) || (w[j].flags & W_REDIR_IN)) continue;
            name_signals(out, w[j].p, w[j].n);
            miner_args(sc, w + j, k - j, 0);
            return;
        }
        return;
    }
    /* anything else in command position: a program run by path (./x86,
     * /tmp/.X25-unix/.rsync/c/tsm) or by a telling name (xmrig) */
    unsigned f = mt_rules_name(w[0].p, w[0].n);
    if (f || pathlike) {
        name_signals(out, w[0].p, w[0].n);
        miner_args(sc, w, k, !(f & (MT_NAME_MINER | MT_NAME_RENAMED)) && !pathlike);
        if (f & MT_NAME_INSTALLER)
            for (int j = 1; j < k; j++) user_arg(out, w[j].p, w[j].n, 1);
    } else {
        /* unknown program: only an explicit stratum URL or a pool domain */
        miner_args(sc, w, k, 1);
    }
}

/* ---- line-wide checks ---------------------------------------------------------------- */


/* Outlaw's working directories: $TMPDIR/.X25-unix (X13, X17, ... in older
 * versions), .rsync/{a,b,c}, ~/.configrc. */
static int outlaw_path(const char *lo, size_t n)
{
    const char *p = lo;
    size_t left = n;
    while (left >= 5) {
        const char *u = memmem(p, left, "-unix", 5);
        if (!u) break;
        size_t at = (size_t)(u - lo);
        /* .X11-unix is the X server's own socket directory */
        if (at >= 4 && lo[at - 4] == '.' && lo[at - 3] == 'x' && lo[at - 2] >= '0' && lo[at - 2] <= '9' &&
            lo[at - 1] >= '0' && lo[at - 1] <= '9' && !(lo[at - 2] == '1' && lo[at - 1] == '1'))
            return 1;
        p = u + 5;
        left = n - (size_t)(p - lo);
    }
    return memmem(lo, n, "/.rsync/", 8) != NULL || memmem(lo, n, ".configrc", 9) != NULL;
}

#define AT(lit) (n - i >= sizeof lit - 1 && memcmp(lo + i, lit, sizeof lit - 1) == 0)

/* One pass over the lower-cased text: which of the rarer checks can match
 * at all. */
static unsigned prefilter(const char *lo, size_t n)
{
    unsigned pf = 0;
    for (size_t i = 0; i < n; i++) {
        switch (lo[i]) {
        case 's':
            if (AT("ssh-")) pf |= P_KEYS;
            if (AT("stratum")) pf |= P_STRATUM;
            break;
        case 'e':
            if (AT("ecdsa-")) pf |= P_KEYS;
            break;
        case 'a':
            if (AT("authorized_keys")) pf |= P_AUTHKEYS;
            break;
        case 'c':
            if (AT("crontab")) pf |= P_CRONTAB;
            break;
        case 'b':
            if (AT("base64")) pf |= P_BASE64;
            break;
        case '-':
            if (AT("-unix")) pf |= P_OUTLAW;
            break;
        case '.':
            if (AT(".rsync") || AT(".configrc")) pf |= P_OUTLAW;
            break;
        case 'r':
            if (AT("redtail")) pf |= P_REDTAIL;
            break;
        case 'd':
            if (AT("diicot")) pf |= P_DIICOT;
            break;
        default: break;
        }
    }
    return pf;
}

/* Work space, one set per reading depth (a base64 payload is read while
 * the line holding it still is): per thread, so the record path neither
 * allocates nor probes 40 KiB of stack per call. */
static _Thread_local struct {
    char lo[SCAN_CAP];
    char words[SCAN_CAP];
} g_work[MAX_DEPTH + 1];

static void scan_text(mt_action_info *out, const char *s, size_t n, int depth)
{
    if (n > SCAN_CAP) n = SCAN_CAP;
    if (n == 0 || depth > MAX_DEPTH) return;
    char *lo = g_work[depth].lo;
    for (size_t i = 0; i < n; i++) lo[i] = lc(s[i]);

    unsigned pf = prefilter(lo, n);
    if (pf & P_KEYS) scan_keys(out, s, n, (pf & P_AUTHKEYS) != 0);
    scan_monero(out, s, n);

    lexer lx = {.s = s, .n = n, .i = 0, .buf = g_work[depth].words, .bn = 0, .bcap = SCAN_CAP};
    word w[MAX_WORDS];
    scan sc = {.out = out, .depth = depth, .pf = pf};
    int piped, k;
    unsigned hunt = 0; /* signals from rival hunting only */
    while ((k = next_command(&lx, w, &piped)) >= 0) {
        if (k == 0) continue;
        unsigned had = out->signals;
        judge(&sc, w, k, piped);
        /* anything written into authorized_keys: echo KEY >> ~/.ssh/authorized_keys */
        for (int i = 1; i < k; i++)
            if ((w[i].flags & W_REDIR_OUT) && is_authorized_keys(w[i].p, w[i].n))
                out->signals |= MT_SIG_KEY_PLANT;
        if (out->signals & MT_SIG_KILLS_RIVALS & ~had) hunt = 1;
        lx.bn = 0; /* the judged command's words are not needed again */
    }
    /* Family names that matter wherever they stand, except in a rival hunt
     * (a bot killing kinsing is not Kinsing). */
    if (!hunt) {
        if ((pf & P_OUTLAW) && outlaw_path(lo, n)) out->signals |= MT_SIG_OUTLAW_PATH;
        if (pf & P_REDTAIL) out->signals |= MT_SIG_REDTAIL;
        if (pf & P_DIICOT) out->signals |= MT_SIG_DIICOT;
    }
    /* stratum URLs in any argument (configs echoed to a file, -o=...) */
    if (pf & P_STRATUM) {
        for (size_t i = 0; i + 10 < n;) {
            const char *p = memmem(lo + i, n - i, "stratum", 7);
            if (!p) break;
            size_t at = (size_t)(p - lo), e = at;
            while (e < n && !strchr(" \t\"'`;|&<>,()[]{}\r\n", s[e])) e++;
            pool_arg(out, s + at, e - at, 1);
            i = e > at ? e : at + 1;
        }
    }
}

/* ---- the interface ----------------------------------------------------------------------- */

void mt_action_command(const char *s, size_t n, mt_action_info *out)
{
    memset(out, 0, sizeof *out);
    if (!s) return;
    scan_text(out, s, n, 0);
}

static int is_dev_null(const char *p, size_t n)
{
    return n == 9 && memcmp(p, "/dev/null", 9) == 0;
}

/* A SHA-256 as 64 hex digits, lower-cased into hex; 1 when it is one. */
static int sha_hex(const char *s, size_t n, char hex[65])
{
    if (n != 64) return 0;
    for (size_t i = 0; i < 64; i++) {
        if (!is_hex((unsigned char)s[i])) return 0;
        hex[i] = lc(s[i]);
    }
    hex[64] = '\0';
    return 1;
}

static void file_hash(mt_action_info *out, const char *sha, size_t sha_n, const char *path,
                      size_t path_n, int everybodys)
{
    char hex[65];
    int ok = sha && sha_hex(sha, sha_n, hex);
    if (!ok && path) {
        /* Cowrie names stored files by their hash (dl/<sha256>,
         * var/lib/cowrie/downloads/<sha256>) */
        size_t bn;
        const char *b = basename_of(path, path_n, &bn);
        ok = sha_hex(b, bn, hex);
    }
    if (!ok || mt_rules_trivial_hash(hex)) return;
    out->signals |= mt_rules_known_hash(hex);
    if (!everybodys) add_marker(out, MT_MK_FILE_HASH, hex, 64);
}

void mt_action_download(const char *url, size_t url_n, const char *sha, size_t sha_n,
                        const char *path, size_t path_n, mt_action_info *out)
{
    memset(out, 0, sizeof *out);
    if (!url) url_n = 0;
    if (!path) path_n = 0;
    if (url_n > SCAN_CAP) url_n = SCAN_CAP;
    if (path_n > SCAN_CAP) path_n = SCAN_CAP;
    /* what was sent to /dev/null is nobody's payload */
    if (is_dev_null(url, url_n) || is_dev_null(path, path_n)) return;
    int everybodys = 0;
    if (url_n && url[0] == '/') {
        /* Cowrie's redirect writes: the "url" is the file written */
        if (is_authorized_keys(url, url_n)) out->signals |= MT_SIG_KEY_PLANT;
        name_signals(out, url, url_n);
    } else if (url_n) {
        everybodys = url_arg(out, url, url_n, "http");
    }
    if (path_n) {
        /* the file written: a redirection's target (the readers move
         * Cowrie's local "url" here) or the download's destination */
        if (!url_n && is_authorized_keys(path, path_n)) out->signals |= MT_SIG_KEY_PLANT;
        name_signals(out, path, path_n);
    }
    file_hash(out, sha, sha_n, path, path_n, everybodys);
}

void mt_action_upload(const char *name, size_t name_n, const char *sha, size_t sha_n,
                      mt_action_info *out)
{
    memset(out, 0, sizeof *out);
    if (!name) name_n = 0;
    if (name_n > SCAN_CAP) name_n = SCAN_CAP;
    if (name_n) {
        size_t bn;
        const char *b = basename_of(name, name_n, &bn);
        unsigned f = mt_rules_name(b, bn);
        name_signals(out, b, bn);
        /* only a family's own file names join sources: generic names
         * (setup.sh, Linux_amd64) would join strangers, random ones join
         * nobody */
        if (f & (MT_NAME_OUTLAW | MT_NAME_REDTAIL | MT_NAME_KINSING | MT_NAME_DIICOT | MT_NAME_MINER))
            add_marker(out, MT_MK_UPLOAD_NAME, b, bn);
    }
    file_hash(out, sha, sha_n, NULL, 0, 0);
}
