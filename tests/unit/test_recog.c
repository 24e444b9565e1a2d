/* Recog fingerprints (src/intel/recog.c) on Rapid7's own databases from the
 * corpus (botnet/recog, BSD-2): Recog's own test (every example matches
 * its fingerprint, with the values it names), IoT classes, banners as
 * scanners grab them, and hostile files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "intel/recog.h"
#include "minetrace/common.h"

static const char *corpus(const char *rel)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    const char *c = getenv("MT_CORPUS");
    snprintf(p[k], sizeof p[k], "%s/botnet/recog%s%s", c ? c : "../shared/corpus", *rel ? "/" : "",
             rel);
    return p[k];
}

static mt_recog *R;

static int setup(void **state)
{
    (void)state;
    if (access(corpus("ssh_banners.xml"), R_OK) != 0) return 0;
    R = mt_recog_new();
    if (mt_recog_load(R, corpus("")) != MT_OK) {
        fprintf(stderr, "%s\n", mt_error_msg());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mt_recog_free(R);
    return 0;
}

typedef struct fails { size_t n; } fails;

static void on_fail(void *ctx, const char *file, long line, const char *desc, const char *why)
{
    fails *f = ctx;
    const char *base = strrchr(file, '/');
    fprintf(stderr, "  %s:%ld (%s): %s\n", base ? base + 1 : file, line, desc, why);
    f->n++;
}

static void test_examples(void **state)
{
    (void)state;
    if (!R) { skip(); return; }
    /* html_title 459, http_servers 450, ssh_banners 152, telnet_banners 149 */
    assert_int_equal(mt_recog_count(R) + mt_recog_rejected(R), 1210);
    fprintf(stderr, "recog: %zu fingerprints, %zu regexes refused\n", mt_recog_count(R),
            mt_recog_rejected(R));
    assert_int_equal(mt_recog_rejected(R), 0);
    fails f = {0};
    size_t checked = 0;
    size_t bad = mt_recog_check_examples(R, on_fail, &f, &checked);
    fprintf(stderr, "recog: %zu examples checked, %zu failed\n", checked, bad);
    assert_int_equal(bad, f.n);
    assert_true(checked > 1500);
    assert_int_equal(bad, 0);
}

static void expect(const char *kind, const char *banner, const char *vendor, const char *device,
                   int iot)
{
    mt_recog_hit m;
    memset(&m, 0, sizeof m);
    if (!mt_recog_match(R, kind, banner, strlen(banner), &m))
        fail_msg("%s '%s': no match", kind, banner);
    if (strcmp(m.vendor, vendor) != 0 || strcmp(m.device, device) != 0 || m.iot != iot)
        fail_msg("%s '%s': got %s/%s/%d (%s), want %s/%s/%d", kind, banner, m.vendor, m.device,
                 m.iot, m.description, vendor, device, iot);
}

static void test_iot(void **state)
{
    (void)state;
    if (!R) { skip(); return; }
    /* telnet as a scanner grabs it: leading CR/LF, trailing prompt space */
    expect("telnet.banner", "\r\nMikroTik v6.48.1 (stable)\r\nLogin: ", "MikroTik", "Router", 1);
    /* Hikvision's telnet prompt names the vendor only; its web server the DVR class */
    expect("telnet.banner", "192.0.0.64 login: ", "Hikvision", "", 0);
    expect("http_header.server", "DNVRS-Webs", "Hikvision", "DVR", 1);
    /* ssh banners with or without the protocol prefix */
    expect("ssh.banner", "SSH-2.0-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.8\r\n", "Ubuntu", "", 0);
    expect("ssh.banner", "OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.8", "Ubuntu", "", 0);
    /* Dropbear: Recog names the service vendor and no device */
    expect("ssh.banner", "SSH-2.0-dropbear_2019.78", "Dropbear SSH Project", "", 0);
    /* NULL kind: every file, each banner normalised for its kind */
    mt_recog_hit m;
    assert_int_equal(mt_recog_match(R, NULL, "DNVRS-Webs", 10, &m), 1);
    assert_string_equal(m.device, "DVR");
    /* an unknown kind and an unknown banner: no match */
    assert_int_equal(mt_recog_match(R, "ftp.banner", "x", 1, &m), 0);
    assert_int_equal(mt_recog_match(R, "ssh.banner", "SSH-2.0-zz_not_a_server_9", 25, &m), 0);

    /* invalid UTF-8 in a banner: matched around, never an error */
    assert_int_equal(mt_recog_match(R, "http_header.server", "\xff\xfe\xc3", 3, &m), 0);
    /* telnet negotiation (IAC WILL ECHO) before the banner: Recog's `^` is a
     * line start, so the line after it still matches */
    expect("telnet.banner", "\xff\xfb\x01\r\nMikroTik v6.48.1 (stable)\r\nLogin: ", "MikroTik",
           "Router", 1);

    assert_true(mt_recog_device_is_iot("IP Camera"));
    assert_true(mt_recog_device_is_iot("broadband router"));
    assert_true(mt_recog_device_is_iot("NVR"));
    assert_false(mt_recog_device_is_iot("Switch"));
    assert_false(mt_recog_device_is_iot("Firewall"));
    assert_false(mt_recog_device_is_iot(""));
    assert_false(mt_recog_device_is_iot(NULL));
}

static const char *write_tmp(const char *name, const char *text)
{
    static char p[256];
    snprintf(p, sizeof p, "/tmp/mt_test_recog_%d_%s", (int)getpid(), name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static void test_hostile_files(void **state)
{
    (void)state;
    mt_recog *r = mt_recog_new();
    /* an external entity is neither fetched nor expanded */
    const char *p = write_tmp("xxe.xml",
        "<?xml version='1.0'?>\n<!DOCTYPE f [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
        "<fingerprints matches='x.banner'>\n"
        "<fingerprint pattern='^root:'><description>&x;</description>"
        "<param pos='0' name='hw.device' value='Router'/></fingerprint>\n"
        "<fingerprint pattern='^a(b'><description>bad regex</description></fingerprint>\n"
        "<fingerprint><description>no pattern</description></fingerprint>\n"
        "<fingerprint pattern='^(x+x+)+y$'><description>backtracking</description>"
        "<param pos='0' name='os.device' value='IP Camera'/></fingerprint>\n"
        "</fingerprints>\n");
    assert_int_equal(mt_recog_load(r, p), MT_OK);
    assert_int_equal(mt_recog_count(r), 2);
    assert_int_equal(mt_recog_rejected(r), 2);
    mt_recog_hit m;
    assert_int_equal(mt_recog_match(r, "x.banner", "root:x:0:0", 10, &m), 1);
    assert_null(strstr(m.description, "root:")); /* the entity stayed unexpanded */
    assert_string_equal(m.device, "Router");
    /* catastrophic backtracking stops at the match limit: no match, no hang */
    char evil[64];
    memset(evil, 'x', sizeof evil - 1);
    evil[sizeof evil - 1] = '\0';
    assert_int_equal(mt_recog_match(r, "x.banner", evil, strlen(evil), &m), 0);
    unlink(p);

    p = write_tmp("cut.xml", "<fingerprints matches='a'>\n<fingerprint pattern='x'>\n");
    assert_int_equal(mt_recog_load(r, p), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "cut.xml:"));
    unlink(p);
    p = write_tmp("root.xml", "<html/>\n");
    assert_int_equal(mt_recog_load(r, p), MT_EINVAL);
    assert_non_null(strstr(mt_error_msg(), "<fingerprints>"));
    unlink(p);
    p = write_tmp("nokind.xml", "<fingerprints/>\n");
    assert_int_equal(mt_recog_load(r, p), MT_EINVAL);
    unlink(p);
    assert_int_equal(mt_recog_load(r, "/nonexistent/recog"), MT_EIO);
    /* a bad base64 example is reported by the check, not fatal at load */
    p = write_tmp("b64.xml", "<fingerprints protocol='telnet'>\n"
                             "<fingerprint pattern='^ok$'><description>d</description>\n"
                             "<example _encoding='base64'>!!!</example>\n"
                             "<example>ok</example>\n"
                             "<example os.version='1'>ok</example></fingerprint>\n"
                             "</fingerprints>\n");
    mt_recog *r2 = mt_recog_new();
    assert_int_equal(mt_recog_load(r2, p), MT_OK);
    size_t checked;
    assert_int_equal(mt_recog_check_examples(r2, NULL, NULL, &checked), 2);
    assert_int_equal(checked, 3);
    assert_int_equal(mt_recog_match(r2, "telnet.banner", "\r\nok\r\n", 6, &m), 1);
    mt_recog_free(r2);
    unlink(p);
    mt_recog_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_iot),
        cmocka_unit_test(test_hostile_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
