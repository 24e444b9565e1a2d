/* Scan results (src/ingest/scanres.c, scan_xml.c, scan_masscan.c) on real
 * scanner output recorded for this test (tests/data/botnet/scans/record.sh:
 * nmap 7.93 and masscan 1.3 against an OpenSSH sshd, an HTTP server and a
 * fake telnet device in network namespaces), the banners through Recog,
 * and damaged input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/scanres.h"
#include "intel/recog.h"

static const char *data(const char *name)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    const char *src = getenv("MT_SRC");
    snprintf(p[k], sizeof p[k], "%s/tests/data/botnet/scans/%s", src ? src : ".", name);
    return p[k];
}

static mt_addr A(const char *s)
{
    mt_addr a;
    assert_int_equal(mt_addr_parse(s, &a), MT_OK);
    return a;
}

static const mt_scan_host *host(const mt_scanres *s, const char *ip)
{
    mt_addr a = A(ip);
    const mt_scan_host *h = mt_scanres_get(s, &a);
    if (!h) fail_msg("%s not in the scan", ip);
    return h;
}

static void expect_ports(const mt_scan_host *h, const uint16_t *want, size_t n)
{
    if (h->nopen != n) fail_msg("%zu open ports, want %zu", h->nopen, n);
    for (size_t i = 0; i < n; i++) assert_int_equal(h->open[i], want[i]);
}

static const mt_scan_banner *banner(const mt_scan_host *h, uint16_t port, const char *kind,
                                    const char *service)
{
    for (size_t i = 0; i < h->nbanners; i++) {
        const mt_scan_banner *b = &h->banners[i];
        if (b->port == port && !strcmp(b->kind, kind) && (!service || !strcmp(b->service, service)))
            return b;
    }
    fail_msg("no %s banner on port %u", kind, port);
    return NULL;
}

static mt_scanres *load1(const char *name, mt_ingest_stats *st, const char *format)
{
    mt_scanres *s = mt_scanres_new();
    memset(st, 0, sizeof *st);
    int rc = mt_scanres_load(s, data(name), st);
    if (rc != MT_OK) fail_msg("%s: %s", name, st->error);
    assert_string_equal(st->format, format);
    assert_int_equal(st->malformed, 0);
    assert_int_equal(mt_scanres_hosts(s), 2);
    return s;
}

static const char *SSH = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";
static const uint16_t P2[] = {22, 80}, P3[] = {23, 8080};

static void test_nmap_xml(void **state)
{
    (void)state;
    mt_ingest_stats st;
    mt_scanres *s = load1("nmap.xml", &st, "nmap-xml");
    assert_int_equal(st.records, 2);
    assert_int_equal(st.used, 2);
    const mt_scan_host *h = host(s, "10.77.0.2");
    expect_ports(h, P2, 2);
    assert_true(mt_scan_host_open(h, 22));
    assert_false(mt_scan_host_open(h, 23)); /* closed in this scan */
    assert_false(mt_scan_host_open(h, 443));
    assert_int_equal(h->nbanners, 2);
    assert_string_equal(banner(h, 22, "ssh.banner", "ssh")->text, SSH);
    assert_string_equal(banner(h, 80, "http_header.server", "http")->text, "lighttpd/1.4.69");
    assert_string_equal(h->device, "");
    h = host(s, "10.77.0.3");
    expect_ports(h, P3, 2);
    assert_int_equal(h->nbanners, 2);
    /* nmap's banner script trims the leading line end and escapes CR LF */
    assert_string_equal(banner(h, 23, "telnet.banner", "telnet")->text,
                        "MikroTik v6.49.13 (long-term)\r\nLogin:");
    assert_string_equal(banner(h, 8080, "http_header.server", "http-proxy")->text, "DNVRS-Webs");
    mt_addr none = A("10.77.0.4");
    assert_null(mt_scanres_get(s, &none));
    mt_scanres_free(s);
}

static void test_masscan_xml(void **state)
{
    (void)state;
    mt_ingest_stats st;
    mt_scanres *s = load1("masscan.xml", &st, "masscan-xml");
    assert_int_equal(st.records, 6); /* masscan writes one <host> per port or banner */
    const mt_scan_host *h = host(s, "10.77.0.2");
    expect_ports(h, P2, 2);
    assert_int_equal(h->nbanners, 1);
    assert_string_equal(banner(h, 22, "ssh.banner", "ssh")->text, SSH);
    h = host(s, "10.77.0.3");
    expect_ports(h, P3, 2);
    assert_int_equal(h->nbanners, 1);
    /* masscan calls a greeting without telnet negotiation "unknown": on port
     * 23 it is still a telnet banner */
    assert_string_equal(banner(h, 23, "telnet.banner", "unknown")->text,
                        "\r\nMikroTik v6.49.13 (long-term)\r\nLogin: ");
    mt_scanres_free(s);
}

/* -oJ, -oD and -oL carry the same records. */
static void check_masscan_full(const mt_scanres *s)
{
    const mt_scan_host *h = host(s, "10.77.0.2");
    expect_ports(h, P2, 2);
    assert_int_equal(h->nbanners, 4);
    assert_string_equal(banner(h, 22, "ssh.banner", "ssh")->text, SSH);
    assert_string_equal(banner(h, 80, "http_header.server", "http.server")->text, "lighttpd/1.4.69");
    assert_string_equal(banner(h, 80, "html_title", "title")->text, "Welcome");
    const mt_scan_banner *b = banner(h, 80, "", "http");
    assert_non_null(strstr(b->text, "HTTP/1.0 200 OK\r\nServer: lighttpd/1.4.69\r\n"));
    h = host(s, "10.77.0.3");
    expect_ports(h, P3, 2);
    assert_int_equal(h->nbanners, 4);
    assert_string_equal(banner(h, 23, "telnet.banner", "unknown")->text,
                        "\r\nMikroTik v6.49.13 (long-term)\r\nLogin: ");
    assert_string_equal(banner(h, 8080, "http_header.server", "http.server")->text, "DNVRS-Webs");
    assert_string_equal(banner(h, 8080, "html_title", "title")->text, "Network Video Recorder Login");
}

static void test_masscan_lines(void **state)
{
    (void)state;
    mt_ingest_stats st;
    mt_scanres *s = load1("masscan.json", &st, "masscan-json");
    assert_int_equal(st.records, 12);
    assert_int_equal(st.used, 12);
    check_masscan_full(s);
    mt_scanres_free(s);
    s = load1("masscan.ndjson", &st, "masscan-ndjson");
    assert_int_equal(st.records, 12);
    check_masscan_full(s);
    mt_scanres_free(s);
    s = load1("masscan.list", &st, "masscan-list");
    assert_int_equal(st.records, 12);
    check_masscan_full(s);
    mt_scanres_free(s);
}

static void test_merge_and_recog(void **state)
{
    (void)state;
    mt_scanres *s = mt_scanres_new();
    const char *files[] = {"nmap.xml", "masscan.xml", "masscan.json", "masscan.ndjson", "masscan.list"};
    for (size_t i = 0; i < 5; i++) {
        mt_ingest_stats st;
        memset(&st, 0, sizeof st);
        assert_int_equal(mt_scanres_load(s, data(files[i]), &st), MT_OK);
    }
    assert_int_equal(mt_scanres_hosts(s), 2);
    const mt_scan_host *h2 = host(s, "10.77.0.2"), *h3 = host(s, "10.77.0.3");
    expect_ports(h2, P2, 2);
    expect_ports(h3, P3, 2);
    /* nmap's and masscan's banners differ in service names and trimming,
     * and each masscan run's HTTP head has its own Date: each distinct one
     * is kept once. .2: nmap 2, masscan ssh (same as -oX's), server, title,
     * and three heads; .3: nmap 2, masscan's telnet, server, title, heads. */
    assert_int_equal(h2->nbanners, 7);
    assert_int_equal(h3->nbanners, 8);

    const char *c = getenv("MT_CORPUS");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/botnet/recog", c ? c : "../shared/corpus");
    if (access(dir, R_OK) != 0) {
        mt_scanres_free(s);
        skip();
        return;
    }
    mt_recog *r = mt_recog_new();
    assert_int_equal(mt_recog_load(r, dir), MT_OK);
    /* every kinded banner of both hosts through Recog */
    int iot3 = 0, routers = 0, dvrs = 0;
    for (int k = 0; k < 2; k++) {
        const mt_scan_host *h = k ? h3 : h2;
        for (size_t i = 0; i < h->nbanners; i++) {
            const mt_scan_banner *b = &h->banners[i];
            if (!b->kind[0]) continue;
            mt_recog_hit m;
            int hit = mt_recog_match(r, b->kind, b->text, strlen(b->text), &m);
            if (!strcmp(b->kind, "telnet.banner")) {
                assert_int_equal(hit, 1);
                assert_string_equal(m.vendor, "MikroTik");
                assert_string_equal(m.device, "Router");
                routers++;
            } else if (!strcmp(b->kind, "http_header.server") && !strcmp(b->text, "DNVRS-Webs")) {
                assert_int_equal(hit, 1);
                assert_string_equal(m.vendor, "Hikvision");
                assert_string_equal(m.device, "DVR");
                dvrs++;
            } else if (!strcmp(b->kind, "ssh.banner")) {
                assert_int_equal(hit, 1);
                assert_string_equal(m.product, "Linux"); /* os.product; Debian's OpenSSH */
                assert_int_equal(m.iot, 0);
            } else if (!strcmp(b->text, "lighttpd/1.4.69")) {
                assert_int_equal(hit, 1);
                assert_string_equal(m.product, "lighttpd");
                assert_int_equal(m.iot, 0);
            }
            if (hit && m.iot) iot3 += k;
            if (hit && m.iot && !k) fail_msg("10.77.0.2 banner '%s' taken as IoT", b->text);
        }
    }
    assert_int_equal(routers, 2); /* nmap's and masscan's telnet banners */
    assert_int_equal(dvrs, 2);    /* nmap's (service http-proxy) and masscan's */
    assert_true(iot3 >= 3);
    mt_recog_free(r);
    mt_scanres_free(s);
}

/* ---- damaged input --------------------------------------------------------- */

static char tmpdir[128];

static const char *put(const char *name, const char *text)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    FILE *f = fopen(p[k], "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p[k];
}

static void test_bad_input(void **state)
{
    (void)state;
    mt_scanres *s = mt_scanres_new();
    mt_ingest_stats st;
    memset(&st, 0, sizeof st);
    const char *p = put("bad.list",
                        "#masscan\n"
                        "open tcp 22 192.0.2.7 1700000000\n"
                        "open tcp 99999 192.0.2.7 1700000000\n" /* line 3: port */
                        "open tcp 22 not-an-ip 1700000000\n"    /* line 4 */
                        "open tcp 23\n"                          /* line 5: cut */
                        "open udp 53 192.0.2.7 1700000000\n"    /* unknown */
                        "banner tcp 23 192.0.2.7 1700000001 telnet \\x0d\\x0alogin: \n"
                        "open tcp 22 192.0.2.7 17000x0000\n"    /* line 8 */
                        "open tcp 21 2001:db8::5 1700000002\n"
                        "# end\n");
    assert_int_equal(mt_scanres_load(s, p, &st), MT_OK);
    assert_string_equal(st.format, "masscan-list");
    assert_int_equal(st.malformed, 4);
    assert_int_equal(st.n_malformed_lines, 4);
    assert_int_equal(st.malformed_lines[0], 3);
    assert_int_equal(st.malformed_lines[1], 4);
    assert_int_equal(st.malformed_lines[2], 5);
    assert_int_equal(st.malformed_lines[3], 8);
    assert_int_equal(st.unknown, 1);
    assert_int_equal(mt_scanres_hosts(s), 2);
    const mt_scan_host *h = host(s, "192.0.2.7");
    static const uint16_t want[] = {22, 23};
    expect_ports(h, want, 2);
    assert_string_equal(banner(h, 23, "telnet.banner", "telnet")->text, "\r\nlogin: ");
    assert_true(mt_scan_host_open(host(s, "2001:db8::5"), 21));

    memset(&st, 0, sizeof st);
    p = put("bad.json", "[\n{ \"ip\": \"192.0.2.8\", \"ports\": [ {\"port\": 80, \"proto\": \"tcp\", \"status\": \"open\"} ] },\n"
                        "{ \"ip\": \"192.0.2.8\", \"ports\": [ {\"port\": 80, \"proto\": \"tcp\", \"status\": \"open\"\n" /* cut */
                        "{ \"ip\": 5, \"ports\": [] },\n"
                        "{ \"ip\": \"192.0.2.8\", \"ports\": [ {\"port\": 0, \"proto\": \"tcp\", \"status\": \"open\"} ] },\n"
                        "{\"ip\":\"192.0.2.9\",\"port\":443,\"proto\":\"tcp\",\"rec_type\":\"status\",\"data\":{\"status\":\"open\"}}\n"
                        "{\"ip\":\"192.0.2.9\",\"port\":443,\"proto\":\"tcp\",\"rec_type\":\"weird\",\"data\":{}}\n"
                        "]\n");
    assert_int_equal(mt_scanres_load(s, p, &st), MT_OK);
    assert_int_equal(st.malformed, 3);
    assert_int_equal(st.malformed_lines[0], 3);
    assert_int_equal(st.malformed_lines[1], 4);
    assert_int_equal(st.malformed_lines[2], 5);
    assert_int_equal(st.unknown, 1);
    assert_true(mt_scan_host_open(host(s, "192.0.2.8"), 80));
    assert_true(mt_scan_host_open(host(s, "192.0.2.9"), 443));

    /* an interrupted nmap run: the hosts before the break are kept */
    memset(&st, 0, sizeof st);
    p = put("cut.xml", "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\">\n"
                       "<host><status state=\"up\"/><address addr=\"192.0.2.10\" addrtype=\"ipv4\"/>\n"
                       "<ports><port protocol=\"tcp\" portid=\"2222\"><state state=\"open\"/>"
                       "<service name=\"ssh\" devicetype=\"router\"/></port></ports></host>\n"
                       "<host><status state=\"down\"/><address addr=\"192.0.2.11\" addrtype=\"ipv4\"/></host>\n"
                       "<host><address addr=\"bogus\" addrtype=\"ipv4\"/></host>\n"
                       "<host><status state=\"up\"/><address addr=\"192.0.2.12\" addrtype=\"ipv4\"/>\n"
                       "<ports><port protocol=\"tcp\" portid=\"80\"><state state=\"open\"/><serv");
    assert_int_equal(mt_scanres_load(s, p, &st), MT_OK);
    assert_string_equal(st.format, "nmap-xml");
    h = host(s, "192.0.2.10");
    assert_true(mt_scan_host_open(h, 2222));
    assert_string_equal(h->device, "router");
    mt_addr down = A("192.0.2.11");
    assert_null(mt_scanres_get(s, &down));
    assert_true(mt_scan_host_open(host(s, "192.0.2.12"), 80));
    assert_int_equal(st.malformed, 2); /* the bogus address (line 6) and the break (line 8) */
    assert_int_equal(st.malformed_lines[0], 6);
    assert_int_equal(st.malformed_lines[1], 8);
    assert_non_null(strstr(st.error, "cut.xml:8"));

    /* gzip accepted; a cut gzip stream is an error after what was read */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s/l.gz' && head -c 120 '%s/l.gz' > '%s/cut.gz'",
             data("masscan.list"), tmpdir, tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    mt_scanres *g = mt_scanres_new();
    memset(&st, 0, sizeof st);
    snprintf(cmd, sizeof cmd, "%s/l.gz", tmpdir);
    assert_int_equal(mt_scanres_load(g, cmd, &st), MT_OK);
    check_masscan_full(g);
    mt_scanres_free(g);
    g = mt_scanres_new();
    memset(&st, 0, sizeof st);
    snprintf(cmd, sizeof cmd, "%s/cut.gz", tmpdir);
    assert_int_equal(mt_scanres_load(g, cmd, &st), MT_ETRUNC);
    assert_non_null(strstr(st.error, "cut.gz"));
    mt_scanres_free(g);

    /* not a scan, missing, empty */
    memset(&st, 0, sizeof st);
    assert_int_equal(mt_scanres_load(s, put("x.txt", "hello world\n"), &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "x.txt"));
    memset(&st, 0, sizeof st);
    assert_int_equal(mt_scanres_load(s, put("html.xml", "<html><body/></html>"), &st), MT_EINVAL);
    memset(&st, 0, sizeof st);
    assert_int_equal(mt_scanres_load(s, "/nonexistent/scan.xml", &st), MT_EIO);
    assert_non_null(strstr(st.error, "/nonexistent/scan.xml"));
    memset(&st, 0, sizeof st);
    assert_int_equal(mt_scanres_load(s, put("empty", ""), &st), MT_OK);
    assert_string_equal(st.format, "empty");
    mt_scanres_free(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mt_test_scanres.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nmap_xml),        cmocka_unit_test(test_masscan_xml),
        cmocka_unit_test(test_masscan_lines),   cmocka_unit_test(test_merge_and_recog),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
