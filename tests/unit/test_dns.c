/* Tests for the DNS decoder (src/proto/dns.c) and the 'dns' detector
 * (src/detect/dns.c): hand-built messages (compression, limits, hostile
 * pointers, truncation at every byte), real messages taken from corpus
 * captures (hex of the UDP payload, extracted with tshark), the detector's
 * findings, dedupe and DNS-tie feed, and a false-positive sweep over the
 * 544 real non-mining captures of nDPI's test suite with the builtin list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "minetrace/engine.h"
#include "detect/dnstie.h"
#include "proto/dns.h"

/* ---- helpers ------------------------------------------------------------ */

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; hex[0] && hex[1] && n < cap; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* A tiny message writer for hand-built cases. */
typedef struct wbuf {
    uint8_t b[2048];
    size_t n;
} wbuf;

static void w8(wbuf *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void w16(wbuf *w, unsigned v) { w8(w, v >> 8); w8(w, v & 0xff); }
static void w32(wbuf *w, uint32_t v) { w16(w, v >> 16); w16(w, v & 0xffff); }
static void wname(wbuf *w, const char *dotted)
{
    while (*dotted) {
        size_t l = strcspn(dotted, ".");
        w8(w, (unsigned)l);
        memcpy(w->b + w->n, dotted, l);
        w->n += l;
        dotted += l;
        if (*dotted) dotted++;
    }
    w8(w, 0);
}
static void whdr(wbuf *w, unsigned id, unsigned flags, unsigned qd, unsigned an)
{
    w->n = 0;
    w16(w, id); w16(w, flags); w16(w, qd); w16(w, an); w16(w, 0); w16(w, 0);
}
static void wq(wbuf *w, const char *name, unsigned type)
{
    wname(w, name); w16(w, type); w16(w, 1);
}
static void wa(wbuf *w, unsigned ptr, uint32_t ttl, const uint8_t ip[4])
{
    w16(w, 0xc000 | ptr); w16(w, 1); w16(w, 1); w32(w, ttl); w16(w, 4);
    memcpy(w->b + w->n, ip, 4);
    w->n += 4;
}

/* Real messages (UDP payloads from corpus captures). */
/* other/jsiwek_zeek-cryptomining/coinhive.pcap frame 24: A? authedmine.com */
static const char *HEX_Q_AUTHEDMINE =
    "9144010000010000000000000a6175746865646d696e6503636f6d0000010001";
/* frame 27: the answer, 4 x A, TTL 294 */
static const char *HEX_R_AUTHEDMINE =
    "9144818000010004000000000a6175746865646d696e6503636f6d0000010001c00c0001000100"
    "0001260004d9b6a40dc00c00010001000001260004d9b6a40cc00c00010001000001260004d9b6"
    "a409c00c00010001000001260004d9b6a40a";
/* frame 47: AAAA? ws027.authedmine.com, NOERROR with only an SOA */
static const char *HEX_R_WS027_AAAA =
    "e751818000010000000100000577733032370a6175746865646d696e6503636f6d00001c0001c0"
    "120006000100000e10002f046c617261026e730a636c6f7564666c617265c01d03646e73c03a78"
    "ed7bab000027100000096000093a8000000e10";
/* ndpi-tests/dns-google-nsid.pcapng: www.wikipedia.it -> CNAME -> CNAME -> 4 A, + OPT */
static const char *HEX_R_WIKIPEDIA =
    "ca1181800001000600000001037777770977696b6970656469610269740000010001c00c000500"
    "0100000258001106623766643762047965706103636f6d00c02e0005000100000258001f0e6432"
    "7832723978693972643373630a636c6f756466726f6e74036e657400c04b000100010000003c00"
    "046c9dc21cc04b000100010000003c00046c9dc23ec04b000100010000003c00046c9dc20bc04b"
    "000100010000003c00046c9dc21b000029100000000000000b0003000772332e6d696c31";
/* nesfit cgminer.g0.pcapng frame 1726: litecoinpool.org, 3 x A, TTL 7 */
static const char *HEX_R_LITECOINPOOL =
    "2973818000010003000000000c6c697465636f696e706f6f6c036f72670000010001c00c000100"
    "0100000007000495d2eaeac00c00010001000000070004904cde8cc00c00010001000000070004"
    "5850bbbb";
/* ndpi-tests/dns_long_domainname.pcap: NXDOMAIN with SOA */
static const char *HEX_R_NXDOMAIN =
    "8b548183000100000001000006676d7230326302313601300c66686b666873646b6668736b0674"
    "756e6e656c076578616d706c6503636f6d0000010001c02c00060001000005c3002c026e730569"
    "63616e6e036f726700036e6f6303646e73c04c7867fabe00001c2000000e100012750000000e10";

static int parse_hex(const char *hex, mt_dns *d, uint8_t *buf, size_t *n)
{
    *n = unhex(hex, buf, 4096);
    return mt_dns_parse(buf, *n, d);
}

/* ---- decoder: real messages --------------------------------------------- */

static void test_real_query(void **st)
{
    (void)st;
    uint8_t b[4096];
    size_t n;
    mt_dns d;
    assert_int_equal(parse_hex(HEX_Q_AUTHEDMINE, &d, b, &n), MT_OK);
    assert_int_equal(d.id, 0x9144);
    assert_int_equal(d.is_response, 0);
    assert_int_equal(d.qtype, 1);
    assert_string_equal(d.qname, "authedmine.com");
    assert_int_equal(d.n_answers, 0);
    assert_int_equal(d.n_answers_total, 0);
}

static void test_real_responses(void **st)
{
    (void)st;
    uint8_t b[4096];
    size_t n;
    mt_dns d;
    char s[64];
    assert_int_equal(parse_hex(HEX_R_AUTHEDMINE, &d, b, &n), MT_OK);
    assert_int_equal(d.is_response, 1);
    assert_int_equal(d.rcode, 0);
    assert_string_equal(d.qname, "authedmine.com");
    assert_int_equal(d.n_answers, 4);
    assert_int_equal(d.n_answers_total, 4);
    static const char *const ips[] = {"217.182.164.13", "217.182.164.12", "217.182.164.9",
                                      "217.182.164.10"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(d.answers[i].name, "authedmine.com");
        assert_int_equal(d.answers[i].type, 1);
        assert_int_equal(d.answers[i].ttl, 294);
        mt_addr_to_str(&d.answers[i].addr, s, sizeof s);
        assert_string_equal(s, ips[i]);
    }

    assert_int_equal(parse_hex(HEX_R_WS027_AAAA, &d, b, &n), MT_OK);
    assert_string_equal(d.qname, "ws027.authedmine.com");
    assert_int_equal(d.qtype, 28);
    assert_int_equal(d.n_answers, 0);

    assert_int_equal(parse_hex(HEX_R_WIKIPEDIA, &d, b, &n), MT_OK);
    assert_string_equal(d.qname, "www.wikipedia.it");
    assert_int_equal(d.n_answers, 6);
    assert_int_equal(d.answers[0].type, 5);
    assert_string_equal(d.answers[0].name, "www.wikipedia.it");
    assert_string_equal(d.answers[0].target, "b7fd7b.yepa.com");
    assert_int_equal(d.answers[0].ttl, 600);
    assert_string_equal(d.answers[1].name, "b7fd7b.yepa.com");
    assert_string_equal(d.answers[1].target, "d2x2r9xi9rd3sc.cloudfront.net");
    for (int i = 2; i < 6; i++) {
        assert_int_equal(d.answers[i].type, 1);
        assert_string_equal(d.answers[i].name, "d2x2r9xi9rd3sc.cloudfront.net");
        assert_int_equal(d.answers[i].ttl, 60);
    }
    mt_addr_to_str(&d.answers[2].addr, s, sizeof s);
    assert_string_equal(s, "108.157.194.28");

    assert_int_equal(parse_hex(HEX_R_LITECOINPOOL, &d, b, &n), MT_OK);
    assert_string_equal(d.qname, "litecoinpool.org");
    assert_int_equal(d.n_answers, 3);
    mt_addr_to_str(&d.answers[2].addr, s, sizeof s);
    assert_string_equal(s, "88.80.187.187");

    assert_int_equal(parse_hex(HEX_R_NXDOMAIN, &d, b, &n), MT_OK);
    assert_int_equal(d.rcode, 3);
    assert_string_equal(d.qname, "gmr02c.16.0.fhkfhsdkfhsk.tunnel.example.com");
    assert_int_equal(d.n_answers, 0);
}

/* Truncating a message at every byte: never a crash, an error before the
 * question is complete, and the answers decoded so far are a prefix of the
 * full decode. Also replayed from a heap copy of exact size for ASan. */
static void truncate_all(const char *hex)
{
    uint8_t b[4096] = {0};
    size_t n = unhex(hex, b, sizeof b);
    mt_dns full, part;
    assert_int_equal(mt_dns_parse(b, n, &full), MT_OK);
    for (size_t len = 0; len < n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, b, len);
        int rc = mt_dns_parse(copy, len, &part);
        free(copy);
        if (rc != MT_OK) {
            assert_true(rc == MT_ETRUNC || rc == MT_EINVAL);
        }
        assert_true(part.n_answers <= full.n_answers);
        for (size_t i = 0; i < part.n_answers; i++) {
            assert_string_equal(part.answers[i].name, full.answers[i].name);
            assert_int_equal(part.answers[i].type, full.answers[i].type);
            assert_true(mt_addr_eq(&part.answers[i].addr, &full.answers[i].addr) ||
                        part.answers[i].addr.family == 0);
        }
        if (rc == MT_OK) {
            /* Only possible once header, question and every answer are in. */
            assert_int_equal(part.n_answers, full.n_answers);
        }
    }
}

static void test_truncation(void **st)
{
    (void)st;
    truncate_all(HEX_Q_AUTHEDMINE);
    truncate_all(HEX_R_AUTHEDMINE);
    truncate_all(HEX_R_WS027_AAAA);
    truncate_all(HEX_R_WIKIPEDIA);
    truncate_all(HEX_R_LITECOINPOOL);
    truncate_all(HEX_R_NXDOMAIN);
    mt_dns d;
    assert_int_equal(mt_dns_parse(NULL, 0, &d), MT_ETRUNC);
    assert_int_equal(mt_dns_parse((const uint8_t *)"", 0, &d), MT_ETRUNC);
}

/* ---- decoder: hand-built edge cases -------------------------------------- */

static void test_handmade(void **st)
{
    (void)st;
    wbuf w;
    mt_dns d;
    static const uint8_t ip[4] = {192, 0, 2, 1};

    /* Case is folded; compression to the question name. */
    whdr(&w, 7, 0x8180, 1, 1);
    wq(&w, "XMR.Pool.MinerGate.COM", 1);
    wa(&w, 12, 300, ip);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.qname, "xmr.pool.minergate.com");
    assert_string_equal(d.answers[0].name, "xmr.pool.minergate.com");

    /* Pointer into the middle of a name (suffix compression). */
    whdr(&w, 7, 0x8180, 1, 1);
    wq(&w, "a.b.example.org", 1);
    wa(&w, 12 + 2, 300, ip); /* -> "b.example.org" */
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.answers[0].name, "b.example.org");

    /* Labels + pointer: "x" then pointer back. */
    whdr(&w, 7, 0x8180, 1, 1);
    wq(&w, "example.org", 1);
    w8(&w, 1); w8(&w, 'x'); w16(&w, 0xc000 | 12);
    w16(&w, 1); w16(&w, 1); w32(&w, 5); w16(&w, 4); w32(&w, 0xc0000202);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.answers[0].name, "x.example.org");

    /* Pointer to itself, and forward. */
    whdr(&w, 7, 0x0100, 1, 0);
    w16(&w, 0xc000 | 12); w16(&w, 1); w16(&w, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);
    whdr(&w, 7, 0x0100, 1, 0);
    w16(&w, 0xc000 | 14); w8(&w, 0); w16(&w, 1); w16(&w, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);
    /* Two names pointing at each other: the second must point before the
     * first jump target, so the loop is cut. */
    whdr(&w, 7, 0x8180, 1, 1);
    wq(&w, "example.org", 1);
    size_t at = w.n;
    w8(&w, 1); w8(&w, 'y'); w16(&w, (unsigned)(0xc000 | (at + 4)));
    w16(&w, 0xc000 | (unsigned)at);
    w16(&w, 1); w16(&w, 1); w32(&w, 5); w16(&w, 4); w32(&w, 0xc0000202);
    assert_int_not_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);

    /* Extended label types are refused. */
    whdr(&w, 7, 0x0100, 1, 0);
    w8(&w, 0x41); w8(&w, 0); w16(&w, 1); w16(&w, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);
    whdr(&w, 7, 0x0100, 1, 0);
    w8(&w, 0x80); w8(&w, 0); w16(&w, 1); w16(&w, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);

    /* 63-byte label is fine; a 255+ byte name is not. */
    char lbl[64];
    memset(lbl, 'a', 63);
    lbl[63] = '\0';
    char name[300];
    snprintf(name, sizeof name, "%s.%s.%s.com", lbl, lbl, lbl);
    whdr(&w, 7, 0x0100, 1, 0);
    wq(&w, name, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.qname, name);
    snprintf(name, sizeof name, "%s.%s.%s.%s.com", lbl, lbl, lbl, lbl);
    whdr(&w, 7, 0x0100, 1, 0);
    wq(&w, name, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);
    /* Long name assembled by pointers is capped the same way. */
    whdr(&w, 7, 0x8180, 1, 1);
    snprintf(name, sizeof name, "%s.%s.%s.com", lbl, lbl, lbl);
    wq(&w, name, 1);
    w8(&w, 63); memcpy(w.b + w.n, lbl, 63); w.n += 63; w16(&w, 0xc000 | 12);
    w16(&w, 1); w16(&w, 1); w32(&w, 5); w16(&w, 4); w32(&w, 0xc0000202);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);
    assert_string_equal(d.qname, name);

    /* NUL inside a label. */
    whdr(&w, 7, 0x0100, 1, 0);
    w8(&w, 3); w8(&w, 'a'); w8(&w, 0); w8(&w, 'b'); w8(&w, 0); w16(&w, 1); w16(&w, 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_EINVAL);

    /* No question at all (legal in some responses). */
    whdr(&w, 7, 0x8184, 0, 0);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.qname, "");
    assert_int_equal(d.rcode, 4);

    /* Two questions: the first is kept, answers still read. */
    whdr(&w, 7, 0x8180, 2, 1);
    wq(&w, "first.example.org", 1);
    wq(&w, "second.example.org", 28);
    wa(&w, 12, 30, ip);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_string_equal(d.qname, "first.example.org");
    assert_int_equal(d.qtype, 1);
    assert_int_equal(d.n_answers, 1);

    /* More answers than fit: 16 kept, total says 20. */
    whdr(&w, 7, 0x8180, 1, 20);
    wq(&w, "many.example.org", 1);
    for (int i = 0; i < 20; i++) wa(&w, 12, (uint32_t)i, ip);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_int_equal(d.n_answers, MT_DNS_MAX_ANSWERS);
    assert_int_equal(d.n_answers_total, 20);

    /* Skipped types (TXT, MX), class CH, bad A length, TTL high bit, a
     * broken CNAME: skipped or clamped, the rest decoded. */
    whdr(&w, 7, 0x8180, 1, 6);
    wq(&w, "mix.example.org", 1);
    w16(&w, 0xc00c); w16(&w, 16); w16(&w, 1); w32(&w, 1); w16(&w, 3); w8(&w, 2); w8(&w, 'h'); w8(&w, 'i');
    w16(&w, 0xc00c); w16(&w, 1); w16(&w, 3); w32(&w, 1); w16(&w, 4); w32(&w, 0x01020304);
    w16(&w, 0xc00c); w16(&w, 1); w16(&w, 1); w32(&w, 1); w16(&w, 5); w32(&w, 0x01020304); w8(&w, 5);
    w16(&w, 0xc00c); w16(&w, 5); w16(&w, 1); w32(&w, 1); w16(&w, 3); w8(&w, 5); w8(&w, 'a'); w8(&w, 'b');
    w16(&w, 0xc00c); w16(&w, 1); w16(&w, 1); w32(&w, 0x80000001); w16(&w, 4); w32(&w, 0xc6336401);
    w16(&w, 0xc00c); w16(&w, 28); w16(&w, 1); w32(&w, 9); w16(&w, 16);
    for (int i = 0; i < 16; i++) w8(&w, i == 0 ? 0x20 : (i == 1 ? 0x01 : 0));
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_OK);
    assert_int_equal(d.n_answers, 2);
    assert_int_equal(d.answers[0].type, 1);
    assert_int_equal(d.answers[0].ttl, 0);
    assert_int_equal(d.answers[1].type, 28);
    assert_int_equal(d.answers[1].addr.family, 6);
    assert_int_equal(d.answers[1].ttl, 9);

    /* Answer count larger than the message: partial result + ETRUNC. */
    whdr(&w, 7, 0x8180, 1, 3);
    wq(&w, "short.example.org", 1);
    wa(&w, 12, 30, ip);
    assert_int_equal(mt_dns_parse(w.b, w.n, &d), MT_ETRUNC);
    assert_int_equal(d.n_answers, 1);
    assert_int_equal(d.n_answers_total, 3);
}

/* ---- detector ----------------------------------------------------------- */

typedef struct capture {
    mt_finding f[64];
    size_t n, total;
} capture;

static int cap_emit(mt_sink *s, const mt_finding *f)
{
    capture *c = s->ctx;
    if (f->kind != MT_KIND_DNS) return MT_OK;
    if (c->n < 64) c->f[c->n++] = *f;
    c->total++;
    return MT_OK;
}

static void cap_close(mt_sink *s) { free(s); }

static mt_engine *new_engine(const mt_intel *in, capture *c)
{
    memset(c, 0, sizeof *c);
    mt_engine *e = mt_engine_new(in, NULL);
    assert_non_null(e);
    mt_sink *s = calloc(1, sizeof *s);
    s->name = "capture";
    s->emit = cap_emit;
    s->close = cap_close;
    s->ctx = c;
    mt_engine_add_sink(e, s);
    return e;
}

static void dns_event(mt_event *ev, const mt_dns *d, const char *cli, mt_time_us ts)
{
    memset(ev, 0, sizeof *ev);
    ev->type = MT_EV_DNS;
    ev->source = MT_SRC_PCAP;
    ev->ts = ts;
    ev->flow_id = 42;
    ev->ipproto = 17;
    mt_addr_parse(cli, &ev->cli);
    mt_addr_parse("192.0.2.53", &ev->srv);
    ev->cli_port = 51000;
    ev->srv_port = 53;
    if (!d->is_response) ev->flags |= MT_EVF_TO_SERVER;
    ev->u.dns = d;
}

static void test_detector_findings(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    assert_int_equal(mt_intel_load_builtin(in), MT_OK);
    capture c;
    mt_engine *e = new_engine(in, &c);
    uint8_t b[4096];
    size_t n;
    mt_dns q, r;
    mt_event ev;
    const mt_time_us t0 = 1500000000000000LL;

    /* Query, then its response: one finding. */
    assert_int_equal(parse_hex(HEX_Q_AUTHEDMINE, &q, b, &n), MT_OK);
    dns_event(&ev, &q, "10.0.0.5", t0);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 1);
    const mt_finding *f = &c.f[0];
    assert_int_equal(f->kind, MT_KIND_DNS);
    assert_string_equal(f->protocol, "dns");
    assert_string_equal(f->pool, "authedmine.com");
    assert_string_equal(f->family, "browser-miner");
    assert_int_equal(f->confidence, 85);
    assert_string_equal(f->event_type, MT_EVENT_MINING);
    assert_int_equal(f->dst_port, 53);
    char s[64];
    mt_addr_to_str(&f->src, s, sizeof s);
    assert_string_equal(s, "10.0.0.5");
    assert_non_null(strstr(f->evidence, "DNS query for browser-miner domain authedmine.com"));
    assert_non_null(strstr(f->evidence, "list builtin"));

    assert_int_equal(parse_hex(HEX_R_AUTHEDMINE, &r, b, &n), MT_OK);
    dns_event(&ev, &r, "10.0.0.5", t0 + 20000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 1);

    /* The response fed the tie: name, weight, category, TTL + 1 h grace. */
    mt_dnstie_entry te;
    mt_addr a;
    mt_addr_parse("217.182.164.9", &a);
    mt_time_us t1 = t0 + 20000;
    assert_int_equal(mt_dnstie_get(mt_engine_dnstie(e), &a, t1 + 1000000, &te), 1);
    assert_string_equal(te.name, "authedmine.com");
    assert_int_equal(te.weight, 85);
    assert_int_equal(te.category, MT_CAT_BROWSER_MINER);
    assert_int_equal(te.expires, t1 + 294LL * 1000000 + 3600LL * 1000000);
    assert_int_equal(mt_dnstie_get(mt_engine_dnstie(e), &a, te.expires + 1, &te), 0);

    /* Same name from another client: a new finding. Response first works
     * too (capture started after the query). */
    dns_event(&ev, &r, "10.0.0.6", t0 + 30000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 2);
    assert_non_null(strstr(c.f[1].evidence, "DNS response for"));

    /* Pool names: strongest entry, family from the list or the label. */
    wbuf w;
    static const uint8_t ip[4] = {198, 51, 100, 7};
    whdr(&w, 9, 0x0100, 1, 0);
    wq(&w, "xmr.pool.minergate.com", 1);
    assert_int_equal(mt_dns_parse(w.b, w.n, &q), MT_OK);
    dns_event(&ev, &q, "10.0.0.7", t0 + 40000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.f[2].pool, "xmr.pool.minergate.com");
    assert_int_equal(c.f[2].confidence, 90);
    assert_string_equal(c.f[2].family, "monero-miner");
    assert_non_null(strstr(c.f[2].evidence, "DNS query for pool domain xmr.pool.minergate.com "
                                            "(matched pool.minergate.com, list builtin)"));
    whdr(&w, 10, 0x0100, 1, 0);
    wq(&w, "eu1-zcash.nanopool.org", 1);
    mt_dns_parse(w.b, w.n, &q);
    dns_event(&ev, &q, "10.0.0.7", t0 + 50000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.f[3].family, "zcash-miner");

    /* A CNAME to a pool: finding on the query name, tie carries the weight. */
    whdr(&w, 11, 0x8180, 1, 2);
    wq(&w, "innocent.example.net", 1);
    size_t tgt = w.n + 12;
    w16(&w, 0xc00c); w16(&w, 5); w16(&w, 1); w32(&w, 60); w16(&w, 21);
    wname(&w, "pool.supportxmr.com");
    wa(&w, (unsigned)tgt, 60, ip);
    assert_int_equal(mt_dns_parse(w.b, w.n, &r), MT_OK);
    assert_int_equal(r.n_answers, 2);
    assert_string_equal(r.answers[1].name, "pool.supportxmr.com");
    dns_event(&ev, &r, "10.0.0.8", t0 + 60000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.f[4].pool, "innocent.example.net");
    assert_non_null(strstr(c.f[4].evidence, "CNAME to pool.supportxmr.com"));
    assert_string_equal(c.f[4].family, "monero-miner");
    mt_addr_parse("198.51.100.7", &a);
    assert_int_equal(mt_dnstie_get(mt_engine_dnstie(e), &a, t0 + 70000, &te), 1);
    assert_string_equal(te.name, "innocent.example.net");
    assert_int_equal(te.weight, 90);
    assert_int_equal(te.category, MT_CAT_POOL);

    /* Unlisted names: no finding, tie entry with weight 0 (CNAME chain). */
    assert_int_equal(parse_hex(HEX_R_WIKIPEDIA, &r, b, &n), MT_OK);
    dns_event(&ev, &r, "10.0.0.9", t0 + 80000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 5);
    mt_addr_parse("108.157.194.11", &a);
    assert_int_equal(mt_dnstie_get(mt_engine_dnstie(e), &a, t0 + 90000, &te), 1);
    assert_string_equal(te.name, "www.wikipedia.it");
    assert_int_equal(te.weight, 0);
    assert_int_equal(te.expires, t0 + 80000 + 60LL * 1000000 + 3600LL * 1000000);

    /* Real pool lookup from a cgminer capture. */
    assert_int_equal(parse_hex(HEX_R_LITECOINPOOL, &r, b, &n), MT_OK);
    dns_event(&ev, &r, "10.0.0.10", t0 + 90000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.f[5].family, "litecoin-miner");

    /* Mail-server lookups of a pool's domain are not mining: MX, TXT and
     * service labels. An AAAA lookup is. */
    static const struct { const char *name; unsigned type; int finding; } lk[] = {
        {"nicehash.com", 15, 0}, {"nicehash.com", 16, 0}, {"_dmarc.nicehash.com", 16, 0},
        {"s1._domainkey.nicehash.com", 16, 0}, {"_dmarc.nicehash.com", 1, 0},
        {"nicehash.com", 2, 0}, {"api2.nicehash.com", 28, 1},
        {"randomxmonero.auto.nicehash.com", 65, 1},
    };
    for (size_t i = 0; i < sizeof lk / sizeof lk[0]; i++) {
        size_t before = c.n;
        whdr(&w, 12, 0x0100, 1, 0);
        wq(&w, lk[i].name, lk[i].type);
        assert_int_equal(mt_dns_parse(w.b, w.n, &q), MT_OK);
        dns_event(&ev, &q, "10.0.0.11", t0 + 100000);
        mt_engine_event(e, &ev);
        if (c.n - before != (size_t)lk[i].finding)
            fail_msg("%s type %u: %zu findings", lk[i].name, lk[i].type, c.n - before);
    }
    assert_string_equal(c.f[7].family, "monero-miner");

    /* Other event types are ignored. */
    mt_event other;
    memset(&other, 0, sizeof other);
    other.type = MT_EV_FLOW_END;
    mt_engine_event(e, &other);
    mt_engine_flush(e);
    assert_int_equal(c.n, 8);
    mt_engine_free(e);
    mt_intel_free(in);
}

static void test_detector_crypto_and_allow(void **st)
{
    (void)st;
    char path[] = "/tmp/mt_dns_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "exchange.example.com\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    mt_intel *in = mt_intel_new();
    mt_intel_load_builtin(in);
    char spec[128];
    snprintf(spec, sizeof spec, "%s:40:crypto", path);
    assert_int_equal(mt_intel_load_spec(in, spec), MT_OK);
    mt_intel_add_domain(in, "supportxmr.com", 100, MT_CAT_ALLOW, "local", NULL);
    capture c;
    mt_engine *e = new_engine(in, &c);
    wbuf w;
    mt_dns q;
    mt_event ev;
    static const uint8_t ip[4] = {203, 0, 113, 5};
    whdr(&w, 1, 0x8180, 1, 1);
    wq(&w, "www.exchange.example.com", 1);
    wa(&w, 12, 100, ip);
    mt_dns_parse(w.b, w.n, &q);
    dns_event(&ev, &q, "10.1.1.1", 1000000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 0); /* crypto: no finding... */
    mt_dnstie_entry te;
    mt_addr a;
    mt_addr_parse("203.0.113.5", &a);
    assert_int_equal(mt_dnstie_get(mt_engine_dnstie(e), &a, 1000000, &te), 1);
    assert_int_equal(te.category, MT_CAT_CRYPTO); /* ...but the tie knows */
    assert_int_equal(te.weight, 40);
    whdr(&w, 2, 0x0100, 1, 0);
    wq(&w, "pool.supportxmr.com", 1);
    mt_dns_parse(w.b, w.n, &q);
    dns_event(&ev, &q, "10.1.1.1", 2000000);
    mt_engine_event(e, &ev);
    assert_int_equal(c.n, 0); /* allowlisted */
    mt_engine_free(e);
    mt_intel_free(in);
    unlink(path);
}

/* The dedupe set is bounded: many distinct (client, name) pairs neither
 * grow memory nor lose the findings themselves. */
static void test_detector_many(void **st)
{
    (void)st;
    mt_intel *in = mt_intel_new();
    mt_intel_add_domain(in, "pool.example-mining.com", 80, MT_CAT_POOL, "t", NULL);
    capture c;
    mt_engine *e = new_engine(in, &c);
    wbuf w;
    mt_dns q;
    mt_event ev;
    char name[64];
    for (int i = 0; i < 150000; i++) {
        snprintf(name, sizeof name, "w%d.pool.example-mining.com", i);
        whdr(&w, 1, 0x0100, 1, 0);
        wq(&w, name, 1);
        mt_dns_parse(w.b, w.n, &q);
        dns_event(&ev, &q, "10.2.2.2", i);
        mt_engine_event(e, &ev);
    }
    assert_int_equal(c.total, 150000);
    /* Repeats of a recent name are still suppressed. */
    mt_engine_event(e, &ev);
    assert_int_equal(c.total, 150000);
    mt_engine_free(e);
    mt_intel_free(in);
}

/* ---- false positives over nDPI's real captures ------------------------- */

typedef struct sweep {
    mt_engine *e;
    uint64_t msgs, parse_err;
    int linktype;
} sweep;

static void sweep_udp(sweep *sw, const uint8_t *p, size_t n, const mt_addr *src,
                      const mt_addr *dst, mt_time_us ts)
{
    if (n < 8) return;
    uint16_t sport = (uint16_t)(p[0] << 8 | p[1]), dport = (uint16_t)(p[2] << 8 | p[3]);
    if (sport != 53 && dport != 53) return;
    size_t ulen = (size_t)(p[4] << 8 | p[5]);
    if (ulen < 8) return;
    size_t plen = ulen - 8 < n - 8 ? ulen - 8 : n - 8;
    mt_dns d;
    if (mt_dns_parse(p + 8, plen, &d) != MT_OK) {
        sw->parse_err++;
        if (!d.qname[0]) return;
    }
    sw->msgs++;
    mt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = MT_EV_DNS;
    ev.source = MT_SRC_PCAP;
    ev.ts = ts;
    ev.ipproto = 17;
    int resp = sport == 53;
    ev.cli = resp ? *dst : *src;
    ev.srv = resp ? *src : *dst;
    ev.cli_port = resp ? dport : sport;
    ev.srv_port = 53;
    ev.u.dns = &d;
    mt_engine_event(sw->e, &ev);
}

static void sweep_ip(sweep *sw, const uint8_t *p, size_t n, mt_time_us ts)
{
    if (n < 1) return;
    mt_addr s, d;
    memset(&s, 0, sizeof s);
    memset(&d, 0, sizeof d);
    if ((p[0] >> 4) == 4) {
        if (n < 20) return;
        size_t ihl = (size_t)(p[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > n || p[9] != 17) return;
        if ((p[6] & 0x1f) || p[7]) return; /* fragment */
        s.family = d.family = 4;
        memcpy(s.b, p + 12, 4);
        memcpy(d.b, p + 16, 4);
        sweep_udp(sw, p + ihl, n - ihl, &s, &d, ts);
    } else if ((p[0] >> 4) == 6) {
        if (n < 40 || p[6] != 17) return;
        s.family = d.family = 6;
        memcpy(s.b, p + 8, 16);
        memcpy(d.b, p + 24, 16);
        sweep_udp(sw, p + 40, n - 40, &s, &d, ts);
    }
}

static void sweep_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *p)
{
    sweep *sw = (sweep *)user;
    size_t n = h->caplen, off = 0;
    unsigned et = 0;
    mt_time_us ts = (mt_time_us)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
    switch (sw->linktype) {
    case DLT_EN10MB:
        if (n < 14) return;
        et = (unsigned)(p[12] << 8 | p[13]);
        off = 14;
        while ((et == 0x8100 || et == 0x88a8) && off + 4 <= n) {
            et = (unsigned)(p[off + 2] << 8 | p[off + 3]);
            off += 4;
        }
        if (et != 0x0800 && et != 0x86dd) return;
        break;
    case DLT_LINUX_SLL:
        if (n < 16) return;
        off = 16;
        break;
    case DLT_LINUX_SLL2:
        if (n < 20) return;
        off = 20;
        break;
    case DLT_NULL:
    case DLT_LOOP:
        off = 4;
        break;
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case 101: /* LINKTYPE_RAW */
        off = 0;
        break;
    default:
        return;
    }
    if (off > n) return;
    sweep_ip(sw, p + off, n - off, ts);
}

static void test_ndpi_no_false_positives(void **st)
{
    (void)st;
    const char *corpus = getenv("MT_CORPUS");
    if (!corpus) { skip(); return; }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/pcap/ndpi-tests", corpus);
    DIR *dh = opendir(dir);
    if (!dh) { skip(); return; }
    mt_intel *in = mt_intel_new();
    mt_intel_load_builtin(in);
    capture c;
    sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.e = new_engine(in, &c);
    int files = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.') continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char err[PCAP_ERRBUF_SIZE];
        pcap_t *pc = pcap_open_offline(path, err);
        if (!pc) continue;
        sw.linktype = pcap_datalink(pc);
        size_t before = c.total;
        pcap_loop(pc, -1, sweep_pkt, (u_char *)&sw);
        pcap_close(pc);
        files++;
        for (size_t i = before; i < c.total && i < c.n; i++)
            print_error("FP in %s: %s\n", de->d_name, c.f[i].evidence);
    }
    closedir(dh);
    mt_engine_flush(sw.e);
    printf("  nDPI captures: %d files, %llu DNS messages (%llu with decode errors), "
           "%zu DNS findings, tie holds %zu addresses\n", files,
           (unsigned long long)sw.msgs, (unsigned long long)sw.parse_err, c.total,
           mt_dnstie_size(mt_engine_dnstie(sw.e)));
    assert_true(files >= 500);
    assert_true(sw.msgs > 1000);
    assert_int_equal(c.total, 0);
    mt_engine_free(sw.e);
    mt_intel_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_query),
        cmocka_unit_test(test_real_responses),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_handmade),
        cmocka_unit_test(test_detector_findings),
        cmocka_unit_test(test_detector_crypto_and_allow),
        cmocka_unit_test(test_detector_many),
        cmocka_unit_test(test_ndpi_no_false_positives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
