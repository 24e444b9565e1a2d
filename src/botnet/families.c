/* The rule tables of the botnet layer and the family verdict (see
 * actions.h). Every table is written from what the honeypot data in
 * ../shared/corpus/botnet and the public reports summarised in
 * research/botnet.md section 3 show; each entry says why it is there.
 *
 * Family verdict, over a campaign's OR-ed MT_SIG_* bits (mt_family_decide):
 *
 *   family   | any of these signals                         | known to mine
 *   ---------+----------------------------------------------+--------------
 *   outlaw   | OUTLAW_KEY (mdrfckr key), OUTLAW_TARBALL     | yes (Shellbot
 *            | (dota*.tar.gz), OUTLAW_PATH (.X25-unix,      |  + XMRig)
 *            | .rsync/, .configrc), MARKER_CRED (345gs5662d34)|
 *   redtail  | REDTAIL (redtail.<arch>, its setup.sh)       | yes (XMRig)
 *   kinsing  | KINSING (kinsing, kdevtmpfsi)                | yes (kdevtmpfsi)
 *   diicot   | DIICOT (diicot, retea)                       | yes (XMRig)
 *   mirai    | MIRAI (/bin/busybox TAG, hex echo probes,    | no (DDoS)
 *            | /proc/self/exe loaders, *bins.sh, *.mpsl)    |
 *   unknown  | none of the above                            | -
 *
 * The first row that matches names the family (a campaign seen with both
 * Outlaw and Mirai-style loaders is Outlaw: the specific evidence wins).
 *
 * Mining = a mining action (MINER_BINARY, MINER_INSTALLER, POOL, WALLET,
 * RENAMED_MINER) or a family known to mine. A family known to mine counts
 * even when the campaign's own sessions never started the miner: Outlaw's
 * key plant is the first step of an infection whose payload is XMRig, so
 * "mdrfckr key planted" is a mining verdict and the reason says it is by
 * family. KILLS_RIVALS (grepping for or killing other miners), RECON_CPU
 * and KEY_PLANT alone are never mining: a bot that looks for miners or
 * counts CPUs may be anything. */
#include "botnet/actions.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "botnet/actions_rules.h"
#include "minetrace/intel.h"

/* ---- marker types ------------------------------------------------------- */

const char *mt_marker_type_str(mt_marker_type t)
{
    static const char *const names[MT_MK_NTYPES] = {
        "key",      "key_comment", "file_hash", "download_host", "download_url",
        "upload_name", "wallet", "pool", "credential", "credential_cluster",
    };
    return (unsigned)t < MT_MK_NTYPES ? names[t] : "unknown";
}

/* ---- names --------------------------------------------------------------- */

static char lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Case-insensitive: does s[0..n) contain the lower-case needle (m bytes)? */
static int has_n(const char *s, size_t n, const char *needle, size_t m)
{
    if (m == 0 || m > n) return m == 0;
    for (size_t i = 0; i + m <= n; i++) {
        if (lc(s[i]) != needle[0]) continue;
        size_t j = 1;
        while (j < m && lc(s[i + j]) == needle[j]) j++;
        if (j == m) return 1;
    }
    return 0;
}

static int eq(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n; i++)
        if (!lit[i] || lc(s[i]) != lit[i]) return 0;
    return lit[i] == '\0';
}

#define has(s, n, lit) has_n(s, n, lit, sizeof lit - 1)
#define ends(s, n, lit) ends_n(s, n, lit, sizeof lit - 1)

static int ends_n(const char *s, size_t n, const char *lit, size_t m)
{
    return m <= n && eq(s + n - m, m, lit);
}

typedef struct name_rule {
    const char *text;
    unsigned char len;
    unsigned flags;
    enum { R_SUB, R_EXACT, R_PREFIX, R_SUFFIX } how;
} name_rule;
#define NR(text, flags, how) {text, sizeof text - 1, flags, how}

/* Miner software under its own name (a substring of the file name, so that
 * "xmrig-6.21.0-linux-static-x64.tar.gz" counts), miners under borrowed
 * names (exact names: kswapd0 is a kernel thread's name, and only a file
 * of that name being run or fetched is suspicious), family artefacts. */
static const name_rule names[] = {
    /* miners by their own names */
    NR("xmrig", MT_NAME_MINER, R_SUB),
    NR("xmr-stak", MT_NAME_MINER, R_SUB),
    NR("xmrstak", MT_NAME_MINER, R_SUB),
    NR("minerd", MT_NAME_MINER, R_SUB),
    NR("cpuminer", MT_NAME_MINER, R_SUB),
    NR("ccminer", MT_NAME_MINER, R_SUB),
    NR("nbminer", MT_NAME_MINER, R_SUB),
    NR("t-rex", MT_NAME_MINER, R_SUB),
    NR("phoenixminer", MT_NAME_MINER, R_SUB),
    NR("lolminer", MT_NAME_MINER, R_SUB),
    NR("gminer", MT_NAME_MINER, R_SUB),
    NR("teamredminer", MT_NAME_MINER, R_SUB),
    NR("srbminer", MT_NAME_MINER, R_SUB),
    NR("nanominer", MT_NAME_MINER, R_SUB),
    NR("cgminer", MT_NAME_MINER, R_SUB),
    NR("bfgminer", MT_NAME_MINER, R_SUB),
    NR("ethminer", MT_NAME_MINER, R_SUB),
    NR("nheqminer", MT_NAME_MINER, R_SUB),
    NR("cnrig", MT_NAME_MINER, R_SUB),
    NR("minergate", MT_NAME_MINER, R_SUB),
    NR("miner", MT_NAME_MINER, R_PREFIX), /* miner.sh, miner.tar.gz, miner-x64 */
    /* pool installers (c3pool and MoneroOcean publish the same xmrig_setup
     * scripts; the wallet is the script's argument) */
    NR("setup_c3pool_miner.sh", MT_NAME_INSTALLER, R_EXACT),
    NR("setup_moneroocean_miner.sh", MT_NAME_INSTALLER, R_EXACT),
    NR("uninstall_c3pool_miner.sh", MT_NAME_UNINSTALL, R_EXACT),
    NR("uninstall_moneroocean_miner.sh", MT_NAME_UNINSTALL, R_EXACT),
    /* miners under borrowed names (vendor reports: Outlaw's kswapd0, Kinsing's
     * kdevtmpfsi, the kthreaddi/dbused/sysupdate droppers, PumaBot's
     * ddaemon/networkxm) */
    NR("kswapd0", MT_NAME_RENAMED, R_EXACT),
    NR("kdevtmpfsi", MT_NAME_RENAMED | MT_NAME_KINSING, R_EXACT),
    NR("kinsing", MT_NAME_KINSING, R_EXACT),
    NR("kthreaddi", MT_NAME_RENAMED, R_EXACT),
    NR("kthreaddk", MT_NAME_RENAMED, R_EXACT),
    NR("kworkerds", MT_NAME_RENAMED, R_EXACT),
    NR("ksoftirqds", MT_NAME_RENAMED, R_EXACT),
    NR("dbused", MT_NAME_RENAMED, R_EXACT),
    NR("sysupdate", MT_NAME_RENAMED, R_EXACT),
    NR("networkservice", MT_NAME_RENAMED, R_EXACT),
    NR("ddaemon", MT_NAME_RENAMED, R_EXACT),
    NR("networkxm", MT_NAME_RENAMED, R_EXACT),
    NR(".sshd", MT_NAME_RENAMED, R_EXACT),
    /* Outlaw: the tarball, its brute-forcer */
    NR("dota", MT_NAME_OUTLAW, R_PREFIX), /* with .tar.gz / .tgz, checked below */
    NR("tddwrt7s.sh", MT_NAME_OUTLAW, R_EXACT),
    NR("initall.sh", MT_NAME_OUTLAW, R_EXACT),
    /* Redtail: redtail.x86_64, redtail.arm7, ... */
    NR("redtail.", MT_NAME_REDTAIL | MT_NAME_MINER, R_PREFIX),
    /* Diicot: the brute-forcer's name, its "retea" (network) script */
    NR("diicot", MT_NAME_DIICOT, R_SUB),
    NR("retea", MT_NAME_DIICOT, R_EXACT),
    /* IoT DDoS loaders (Mirai, Gafgyt): "<x>bins.sh" droppers */
    NR("bins.sh", MT_NAME_MIRAI, R_SUFFIX),
};

/* Mirai-style builds are named for their CPU: sora.x86, jew.x86, *.mpsl. */
typedef struct litspan {
    const char *s;
    size_t n;
} litspan;
#define L(x) {x, sizeof x - 1}
static const litspan mirai_arch[] = {
    L(".x86"),  L(".x86_64"), L(".i586"), L(".i686"), L(".mips"), L(".mipsel"),
    L(".mpsl"), L(".arm"),    L(".arm4"), L(".arm5"), L(".arm6"), L(".arm7"),
    L(".ppc"),  L(".m68k"),   L(".sh4"),  L(".spc"),  L(".sparc"), L(".arc"),
};

unsigned mt_rules_name(const char *name, size_t n)
{
    /* the last path component */
    for (size_t i = n; i > 0; i--)
        if (name[i - 1] == '/') {
            name += i;
            n -= i;
            break;
        }
    if (n == 0 || n > 200) return 0;
    /* which first letters of the substring rules occur in the name: most
     * names (cd, uname, sensi.sh) rule most of them out at once */
    char low[201];
    uint32_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        low[i] = lc(name[i]);
        if (low[i] >= 'a' && low[i] <= 'z') seen |= 1u << (low[i] - 'a');
    }
    unsigned f = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const name_rule *r = &names[i];
        size_t m = r->len;
        int hit = 0;
        switch (r->how) {
        case R_SUB:
            if (m > n || (r->text[0] >= 'a' && r->text[0] <= 'z' && !(seen & (1u << (r->text[0] - 'a')))))
                break;
            hit = memmem(low, n, r->text, m) != NULL;
            break;
        case R_EXACT: hit = m == n && eq(name, n, r->text); break;
        case R_PREFIX: hit = m <= n && eq(name, m, r->text); break;
        case R_SUFFIX: hit = ends_n(name, n, r->text, m); break;
        }
        if (!hit) continue;
        if ((r->flags & MT_NAME_OUTLAW) && r->how == R_PREFIX &&
            !(ends(name, n, ".tar.gz") || ends(name, n, ".tgz") || ends(name, n, ".tar") ||
              ends(name, n, "*")))
            continue;
        f |= r->flags;
    }
    for (size_t i = 0; i < sizeof mirai_arch / sizeof mirai_arch[0]; i++)
        if (n > mirai_arch[i].n && ends_n(name, n, mirai_arch[i].s, mirai_arch[i].n) &&
            !(f & (MT_NAME_REDTAIL | MT_NAME_MINER)))
            f |= MT_NAME_MIRAI;
    return f;
}

int mt_rules_dir_miner(const char *path, size_t n)
{
    /* directories only: the last component is judged by mt_rules_name */
    size_t last = n;
    while (last > 0 && path[last - 1] != '/') last--;
    static const char *const dirs[] = {"/monero/", "/xmrig/", "/miner/", "/xmr/", "/mining/"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (has(path, last, dirs[i])) return 1;
    return 0;
}

int mt_rules_rival_pattern(const char *s, size_t n)
{
    /* "[Mm]iner" is the grep trick that keeps grep itself out of ps's
     * output: fold each bracket expression to its first character. */
    char buf[128];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof buf; i++) {
        if (s[i] == '[') {
            size_t j = i + 1;
            while (j < n && s[j] != ']') j++;
            if (j < n && j > i + 1) buf[k++] = lc(s[i + 1]);
            i = j;
            continue;
        }
        if (s[i] == '\'' || s[i] == '"' || s[i] == '\\') continue;
        buf[k++] = lc(s[i]);
    }
    if (k == 0) return 0;
    if (has(buf, k, "miner") || has(buf, k, "xmr") || has(buf, k, "c3pool") ||
        has(buf, k, "moneroocean") || has(buf, k, "stratum"))
        return 1;
    unsigned f = mt_rules_name(buf, k);
    return (f & (MT_NAME_MINER | MT_NAME_RENAMED | MT_NAME_KINSING)) != 0;
}

/* ---- shared infrastructure ------------------------------------------------
 *
 * Hosts that serve many unrelated actors: a download from one of them says
 * nothing about who fetched it, so neither the host nor the URL becomes a
 * marker (the file hash still does). Code hosting and paste sites
 * (GitHub, GitLab, Bitbucket, Pastebin, transfer.sh), file-sharing and
 * object stores, the big CDNs, "what is my IP" services, and the pool
 * installers' own hosts: download.c3pool.com serves the one
 * setup_c3pool_miner.sh every c3pool user runs (the deroux sensors saw it
 * with a dozen different wallets), so it would join unrelated actors; the
 * wallet passed to the script is the marker. A name matches itself and
 * every name under it. */
static const litspan shared_hosts[] = {
    L("github.com"), L("raw.githubusercontent.com"), L("githubusercontent.com"), L("github.io"),
    L("gitlab.com"), L("bitbucket.org"), L("sourceforge.net"), L("gitee.com"),
    L("pastebin.com"), L("paste.ee"), L("hastebin.com"), L("transfer.sh"), L("termbin.com"),
    L("dropbox.com"), L("dropboxusercontent.com"), L("drive.google.com"), L("googleusercontent.com"),
    L("storage.googleapis.com"), L("amazonaws.com"), L("cloudfront.net"), L("akamaihd.net"),
    L("akamaized.net"), L("fastly.net"), L("fastly.com"), L("cloudflare.com"), L("workers.dev"), L("pages.dev"),
    L("azureedge.net"), L("blob.core.windows.net"), L("jsdelivr.net"), L("unpkg.com"),
    L("discordapp.com"), L("discordapp.net"), L("anonfiles.com"), L("mega.nz"),
    L("download.c3pool.com"), L("c3pool.com"), L("moneroocean.stream"),
    L("api.ipify.org"), L("ipinfo.io"), L("ifconfig.me"), L("ifconfig.co"), L("icanhazip.com"), L("ip.sb"),
    L("ident.me"), L("checkip.amazonaws.com"),
    /* connectivity checks (wget google.com) */
    L("google.com"), L("www.google.com"), L("baidu.com"), L("bing.com"), L("example.com"), L("yahoo.com"),
};

int mt_rules_shared_host(const char *host, size_t n)
{
    for (size_t i = 0; i < sizeof shared_hosts / sizeof shared_hosts[0]; i++) {
        size_t m = shared_hosts[i].n;
        if (m > n || !eq(host + n - m, m, shared_hosts[i].s)) continue;
        if (m == n || host[n - m - 1] == '.') return 1;
    }
    return 0;
}

/* ---- files ----------------------------------------------------------------- */

int mt_rules_trivial_hash(const char *sha)
{
    /* the empty file; a lone "\n" (`echo > /etc/hosts.deny`, which every
     * Outlaw long variant and many others write) */
    return strcmp(sha, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0 ||
           strcmp(sha, "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b") == 0;
}

/* The authorized_keys file the mdrfckr plant writes ("ssh-rsa AAAAB3...
 * mdrfckr\n"): Cowrie logs it as a download without a URL, identical in
 * all 1,627 killchain plants. */
#define OUTLAW_KEYFILE_SHA "a8460f446be540410004b1a8db4083773fa46f7fe76fa84219c93daa1669f8f2"
/* The mdrfckr key (RSA 2048), as ssh-keygen -l prints it. */
#define OUTLAW_KEY_FP "SHA256:MkYY9qiVsFGBC5WkjoClCkwEFW5iSjcGQF7m4n4H7Cw"

unsigned mt_rules_known_hash(const char *sha)
{
    if (strcmp(sha, OUTLAW_KEYFILE_SHA) == 0) return MT_SIG_OUTLAW_KEY | MT_SIG_KEY_PLANT;
    return 0;
}

unsigned mt_rules_known_key(const char *fingerprint, const char *comment)
{
    if (strcmp(fingerprint, OUTLAW_KEY_FP) == 0 || strcmp(comment, "mdrfckr") == 0)
        return MT_SIG_OUTLAW_KEY;
    return 0;
}

/* ---- pool domains: the intel layer's builtin list ---------------------------- */

static pthread_once_t g_intel_once = PTHREAD_ONCE_INIT;
static mt_intel *g_intel; /* built once, kept for the process (read-only after) */

static void intel_init(void)
{
    mt_intel *in = mt_intel_new();
    if (in && mt_intel_load_builtin(in) != MT_OK) {
        mt_intel_free(in);
        in = NULL;
    }
    g_intel = in;
}

int mt_rules_pool_domain(const char *host)
{
    pthread_once(&g_intel_once, intel_init);
    mt_intel_hit hit;
    return g_intel && mt_intel_match_domain(g_intel, host, &hit) && hit.category == MT_CAT_POOL;
}

/* ---- marker credentials ------------------------------------------------------
 *
 * Rare credentials that tie a source to one actor whatever else it does.
 *   345gs5662d34 / 3245gs5662d34  Outlaw's hard-coded post-infection check
 *       login (the Dota erratum, nullroute.live 2026), as user or password.
 *       In killchain 2,551 of the 2,640 IPs that try 345gs5662d34 also try
 *       3245gs5662d34, all with SSH-2.0-libssh_0.9.6 (HASSH f555226d): one
 *       worm, so both give the one marker value "345gs5662d34".
 *   Not listed: nproc:nproc. In deroux (daily top-5 lists, no source IPs)
 *       it is in the top list on all 201 sensor-days that also show the
 *       mdrfckr plant, but in killchain its 5 attempts come from
 *       SSH-2.0-Go clients (HASSH 4e066189) that never try 345gs5662d34
 *       and plant no key. Day-level co-occurrence is no per-source
 *       evidence, and every credential listed here makes its sources
 *       Outlaw (MT_SIG_MARKER_CRED), so it stays out; its sources are
 *       still compared by credential set like any others. */
typedef struct cred_rule {
    const char *user, *pass; /* pass NULL: `user` matches the user or the password */
    const char *family;
    const char *value;
} cred_rule;

static const cred_rule creds[] = {
    {"345gs5662d34", NULL, "outlaw", "345gs5662d34"},
    {"3245gs5662d34", NULL, "outlaw", "345gs5662d34"},
};

static int span_eq(const char *s, size_t n, const char *lit)
{
    return s && strlen(lit) == n && memcmp(s, lit, n) == 0;
}

const char *mt_action_marker_credential(const char *user, size_t user_n, const char *pass,
                                        size_t pass_n, char *value, size_t cap)
{
    if (value && cap) value[0] = '\0';
    for (size_t i = 0; i < sizeof creds / sizeof creds[0]; i++) {
        const cred_rule *r = &creds[i];
        int hit = !r->pass ? (span_eq(user, user_n, r->user) || span_eq(pass, pass_n, r->user))
                           : (span_eq(user, user_n, r->user) && span_eq(pass, pass_n, r->pass));
        if (!hit) continue;
        if (value && cap) snprintf(value, cap, "%s", r->value);
        return r->family;
    }
    return NULL;
}

/* ---- the verdict ----------------------------------------------------------------- */

typedef struct reason_rule {
    unsigned sig;
    const char *text;
} reason_rule;

/* In the order the reason lists them. */
static const reason_rule reasons[] = {
    {MT_SIG_OUTLAW_KEY, "mdrfckr key planted"},
    {MT_SIG_OUTLAW_TARBALL, "dota tarball"},
    {MT_SIG_OUTLAW_PATH, "Outlaw paths (.X25-unix/.rsync/.configrc)"},
    {MT_SIG_MARKER_CRED, "Outlaw check login 345gs5662d34"},
    {MT_SIG_REDTAIL, "Redtail drop"},
    {MT_SIG_KINSING, "Kinsing artefacts"},
    {MT_SIG_DIICOT, "Diicot artefacts"},
    {MT_SIG_MINER_INSTALLER, "pool miner installer"},
    {MT_SIG_MINER_BINARY, "miner binary"},
    {MT_SIG_RENAMED_MINER, "renamed miner"},
    {MT_SIG_POOL, "pool in argv"},
    {MT_SIG_WALLET, "wallet in argv"},
    {MT_SIG_MIRAI, "Mirai-style loader"},
    {MT_SIG_KILLS_RIVALS, "kills rival miners"},
    {MT_SIG_KEY_PLANT, "SSH key planted"},
    {MT_SIG_RECON_CPU, "CPU recon"},
};

#define SIG_OUTLAW (MT_SIG_OUTLAW_KEY | MT_SIG_OUTLAW_TARBALL | MT_SIG_OUTLAW_PATH | MT_SIG_MARKER_CRED)
#define SIG_MINING_ACTION                                                                  \
    (MT_SIG_MINER_BINARY | MT_SIG_MINER_INSTALLER | MT_SIG_POOL | MT_SIG_WALLET |           \
     MT_SIG_RENAMED_MINER)

static void add_reason(char *out, size_t cap, size_t *k, const char *t)
{
    if (*k >= cap - 1) return;
    int w = snprintf(out + *k, cap - *k, "%s%s", *k ? "; " : "", t);
    if (w < 0) return;
    *k += (size_t)w < cap - *k ? (size_t)w : cap - 1 - *k;
}

void mt_family_decide(unsigned signals, mt_family_verdict *out)
{
    memset(out, 0, sizeof *out);
    int known_miner = 1;
    if (signals & SIG_OUTLAW)
        out->family = "outlaw";
    else if (signals & MT_SIG_REDTAIL)
        out->family = "redtail";
    else if (signals & MT_SIG_KINSING)
        out->family = "kinsing";
    else if (signals & MT_SIG_DIICOT)
        out->family = "diicot";
    else {
        known_miner = 0;
        out->family = (signals & MT_SIG_MIRAI) ? "mirai" : "unknown";
    }
    int action = (signals & SIG_MINING_ACTION) != 0;
    out->mining = action || known_miner;

    /* botnet.h: the reason says what decided a mining verdict, "" otherwise */
    if (!out->mining) return;
    size_t k = 0;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (signals & reasons[i].sig) add_reason(out->reason, sizeof out->reason, &k, reasons[i].text);
    if (out->mining && !action) {
        char t[64];
        snprintf(t, sizeof t, "mining by family (%s is a known miner)", out->family);
        add_reason(out->reason, sizeof out->reason, &k, t);
    }
}
