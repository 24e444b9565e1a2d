/* Decoder tests: every supported link type, VLAN stacks, IPv6 extension
 * headers, fragments, and truncation at every byte offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/decode.h"

/* IPv4/TCP 10.0.0.1:40000 -> 10.0.0.2:3333, payload "{}\n" */
static size_t build_ipv4_tcp(uint8_t *b, const char *payload)
{
    size_t pl = strlen(payload);
    uint16_t total = (uint16_t)(20 + 20 + pl);
    uint8_t ip[20] = {0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, 0, 1, 0x40, 0, 64, 6, 0, 0,
                      10, 0, 0, 1, 10, 0, 0, 2};
    uint8_t tcp[20] = {0x9c, 0x40, 0x0d, 0x05, 0, 0, 0, 100, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0};
    memcpy(b, ip, 20);
    memcpy(b + 20, tcp, 20);
    memcpy(b + 40, payload, pl);
    return 40 + pl;
}

static void check_tcp(const mt_packet *pk, const char *payload)
{
    assert_int_equal(pk->ipproto, 6);
    assert_int_equal(pk->sport, 40000);
    assert_int_equal(pk->dport, 3333);
    assert_int_equal(pk->seq, 100);
    assert_int_equal(pk->tcp_flags, 0x18);
    assert_int_equal(pk->payload_len, strlen(payload));
    assert_memory_equal(pk->payload, payload, strlen(payload));
    assert_int_equal(pk->src.family, 4);
    assert_int_equal(pk->src.b[3], 1);
    assert_int_equal(pk->dst.b[3], 2);
}

static void test_ethernet_vlan_qinq(void **state)
{
    (void)state;
    uint8_t f[256] = {0};
    /* dst, src MAC, then 802.1ad + 802.1Q tags, then IPv4 */
    size_t o = 12;
    f[o++] = 0x88; f[o++] = 0xa8; f[o++] = 0; f[o++] = 10;
    f[o++] = 0x81; f[o++] = 0x00; f[o++] = 0; f[o++] = 20;
    f[o++] = 0x08; f[o++] = 0x00;
    size_t n = build_ipv4_tcp(f + o, "{\"id\":1}\n");
    mt_packet pk;
    assert_int_equal(mt_decode_packet(1, f, (uint32_t)(o + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "{\"id\":1}\n");
    /* Ethernet padding past the IP total length is not payload. */
    assert_int_equal(mt_decode_packet(1, f, (uint32_t)(o + n + 6), &pk), MT_DEC_OK);
    assert_int_equal(pk.payload_len, 9);
}

static void test_sll_sll2_raw_null(void **state)
{
    (void)state;
    uint8_t f[256] = {0};
    mt_packet pk;
    /* SLL: protocol at offset 14 */
    f[14] = 0x08; f[15] = 0x00;
    size_t n = build_ipv4_tcp(f + 16, "ab");
    assert_int_equal(mt_decode_packet(113, f, (uint32_t)(16 + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "ab");
    /* SLL2: protocol at offset 0, header 20 bytes */
    memset(f, 0, sizeof f);
    f[0] = 0x08; f[1] = 0x00;
    n = build_ipv4_tcp(f + 20, "cd");
    assert_int_equal(mt_decode_packet(276, f, (uint32_t)(20 + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "cd");
    /* raw IP */
    n = build_ipv4_tcp(f, "ef");
    assert_int_equal(mt_decode_packet(101, f, (uint32_t)n, &pk), MT_DEC_OK);
    check_tcp(&pk, "ef");
    /* BSD null, AF_INET=2 in little endian */
    memset(f, 0, sizeof f);
    f[0] = 2;
    n = build_ipv4_tcp(f + 4, "gh");
    assert_int_equal(mt_decode_packet(0, f, (uint32_t)(4 + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "gh");
    /* OpenBSD loop, AF in network order */
    memset(f, 0, sizeof f);
    f[3] = 2;
    n = build_ipv4_tcp(f + 4, "ij");
    assert_int_equal(mt_decode_packet(108, f, (uint32_t)(4 + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "ij");
    assert_int_equal(mt_decode_packet(12345, f, 40, &pk), MT_DEC_UNSUPPORTED_LINK);
}

static void test_ipv6_extension_headers(void **state)
{
    (void)state;
    uint8_t f[256] = {0};
    f[0] = 0x60;
    f[6] = 0;    /* next: hop-by-hop */
    f[7] = 64;
    f[8 + 15] = 1;  /* src ::1 */
    f[24 + 15] = 2; /* dst ::2 */
    size_t o = 40;
    /* hop-by-hop, 8 bytes, next = destination options */
    f[o] = 60; f[o + 1] = 0; o += 8;
    /* destination options, 16 bytes, next = fragment */
    f[o] = 44; f[o + 1] = 1; o += 16;
    /* fragment header, offset 0, M=1 (first fragment), next = UDP */
    f[o] = 17; f[o + 3] = 1; o += 8;
    uint8_t udp[8] = {0x30, 0x39, 0, 53, 0, 12, 0, 0};
    memcpy(f + o, udp, 8);
    memcpy(f + o + 8, "abcd", 4);
    size_t plen = o + 12 - 40;
    f[4] = (uint8_t)(plen >> 8); f[5] = (uint8_t)plen;
    mt_packet pk;
    assert_int_equal(mt_decode_packet(229, f, (uint32_t)(o + 12), &pk), MT_DEC_OK);
    assert_int_equal(pk.ipproto, 17);
    assert_int_equal(pk.dport, 53);
    assert_int_equal(pk.payload_len, 4);
    assert_int_equal(pk.is_first_fragment, 1);
    assert_int_equal(pk.src.family, 6);
    /* A later fragment is skipped, not misread. */
    f[40 + 8 + 16 + 2] = 0x01; /* offset 32 */
    assert_int_equal(mt_decode_packet(229, f, (uint32_t)(o + 12), &pk), MT_DEC_FRAGMENT);
}

static void test_ipv4_fragments_and_tunnels(void **state)
{
    (void)state;
    uint8_t f[256];
    size_t n = build_ipv4_tcp(f, "xyz");
    mt_packet pk;
    f[6] = 0x20; /* MF, offset 0: first fragment is decoded */
    assert_int_equal(mt_decode_packet(101, f, (uint32_t)n, &pk), MT_DEC_OK);
    assert_int_equal(pk.is_first_fragment, 1);
    f[6] = 0x00; f[7] = 0x10; /* offset 16*8 */
    assert_int_equal(mt_decode_packet(101, f, (uint32_t)n, &pk), MT_DEC_FRAGMENT);
    /* IPv4-in-IPv4: the inner flow is what we track. */
    uint8_t t[256];
    uint8_t outer[20] = {0x45, 0, 0, 0, 0, 1, 0, 0, 64, 4, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2};
    memcpy(t, outer, 20);
    n = build_ipv4_tcp(t + 20, "in");
    t[2] = (uint8_t)((20 + n) >> 8); t[3] = (uint8_t)(20 + n);
    assert_int_equal(mt_decode_packet(101, t, (uint32_t)(20 + n), &pk), MT_DEC_OK);
    check_tcp(&pk, "in");
}

static void test_truncation_every_offset(void **state)
{
    (void)state;
    uint8_t f[256] = {0};
    f[12] = 0x81; f[13] = 0x00; f[16] = 0x08; f[17] = 0x00;
    size_t n = 18 + build_ipv4_tcp(f + 18, "{\"method\":\"login\"}\n");
    for (size_t cut = 0; cut < n; cut++) {
        mt_packet pk;
        mt_decode_result r = mt_decode_packet(1, f, (uint32_t)cut, &pk);
        if (r == MT_DEC_OK) {
            /* Only a cut inside the payload may still decode. */
            assert_true(cut >= 18 + 40);
            assert_true(pk.payload + pk.payload_len <= f + cut);
        } else {
            assert_int_equal(r, MT_DEC_TRUNCATED);
        }
    }
    /* Malformed: IHL below 5, TCP data offset below 5. */
    mt_packet pk;
    uint8_t g[64];
    n = build_ipv4_tcp(g, "a");
    g[0] = 0x44;
    assert_int_equal(mt_decode_packet(101, g, (uint32_t)n, &pk), MT_DEC_MALFORMED);
    g[0] = 0x45; g[32] = 0x40;
    assert_int_equal(mt_decode_packet(101, g, (uint32_t)n, &pk), MT_DEC_MALFORMED);
}

/* Both results and every decoded field agree. */
static void same_decode(int lt, const uint8_t *f, uint32_t n)
{
    mt_packet a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    mt_decode_result ra = mt_decode_packet(lt, f, n, &a);
    mt_decode_result rb = mt_decode_packet_general(lt, f, n, &b);
    assert_int_equal(ra, rb);
    if (ra != MT_DEC_OK) return;
    assert_int_equal(a.ipproto, b.ipproto);
    assert_int_equal(a.sport, b.sport);
    assert_int_equal(a.dport, b.dport);
    assert_int_equal(a.tcp_flags, b.tcp_flags);
    assert_int_equal(a.seq, b.seq);
    assert_int_equal(a.is_first_fragment, b.is_first_fragment);
    assert_ptr_equal(a.payload, b.payload);
    assert_int_equal(a.payload_len, b.payload_len);
    assert_int_equal(a.payload_wire_len, b.payload_wire_len);
    assert_memory_equal(&a.src, &b.src, sizeof a.src);
    assert_memory_equal(&a.dst, &b.dst, sizeof a.dst);
}

/* The Ethernet/IPv4 fast path against the general decoder: every frame
 * of real captures, whole, cut at a random length and with random header
 * bytes changed (lengths, IHL, fragment bits, protocol, data offset). */
static void test_fast_path_matches_general(void **state)
{
    (void)state;
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) corpus = "../shared/corpus";
    static const char *dirs[] = {"pcap/ndpi-tests", "pcap/ndpi", "pcap/other", "pcap/synthetic"};
    uint64_t rnd = 0x2545f4914f6cdd1dULL;
    size_t frames = 0, files = 0;
    int have_corpus = 0;
    for (size_t di = 0; di < sizeof dirs / sizeof dirs[0]; di++) {
        char dpath[1024];
        snprintf(dpath, sizeof dpath, "%s/%s", corpus, dirs[di]);
        DIR *dir = opendir(dpath);
        if (!dir) continue;
        have_corpus = 1;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (!strstr(de->d_name, ".pcap")) continue;
            char path[2048], err[PCAP_ERRBUF_SIZE];
            snprintf(path, sizeof path, "%s/%s", dpath, de->d_name);
            pcap_t *pc = pcap_open_offline(path, err);
            if (!pc) continue;
            files++;
            int lt = pcap_datalink(pc);
            struct pcap_pkthdr *h;
            const u_char *d;
            uint8_t f[2048];
            while (pcap_next_ex(pc, &h, &d) == 1) {
                uint32_t n = h->caplen < sizeof f ? h->caplen : (uint32_t)sizeof f;
                memcpy(f, d, n);
                same_decode(lt, f, n);
                frames++;
                for (int m = 0; m < 4; m++) {
                    uint8_t g[2048];
                    memcpy(g, f, n);
                    rnd ^= rnd << 13; rnd ^= rnd >> 7; rnd ^= rnd << 17;
                    uint32_t cut = n ? (uint32_t)(rnd % (n + 1)) : 0;
                    if (n > 14) {
                        size_t at = 14 + (size_t)((rnd >> 20) % (n - 14 < 60 ? n - 14 : 60));
                        g[at] = (uint8_t)(rnd >> 40);
                    }
                    same_decode(lt, g, m & 1 ? cut : n);
                }
            }
            pcap_close(pc);
        }
        closedir(dir);
    }
    if (have_corpus) assert_true(frames > 10000);
    /* Without the corpus, hand-made frames still cover the fast path. */
    uint8_t e[256] = {0};
    e[12] = 0x08; e[13] = 0x00;
    size_t n = 14 + build_ipv4_tcp(e + 14, "{\"id\":1}\n");
    for (uint32_t cut = 0; cut <= n; cut++) same_decode(1, e, cut);
    for (size_t at = 14; at < n; at++)
        for (int v = 0; v < 256; v += 17) {
            uint8_t g[256];
            memcpy(g, e, sizeof g);
            g[at] = (uint8_t)v;
            same_decode(1, g, (uint32_t)n);
        }
    print_message("compared %zu real frames of %zu captures (x5 variants)\n", frames, files);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ethernet_vlan_qinq),
        cmocka_unit_test(test_sll_sll2_raw_null),
        cmocka_unit_test(test_ipv6_extension_headers),
        cmocka_unit_test(test_ipv4_fragments_and_tunnels),
        cmocka_unit_test(test_truncation_every_offset),
        cmocka_unit_test(test_fast_path_matches_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
