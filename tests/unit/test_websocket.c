/* WebSocket tests: RFC 6455 frame decoding and unmasking on real frames
 * (nDPI's websocket.pcap: a masked client "test message" / "hello
 * websocket", an unmasked server greeting), every-prefix truncation, the
 * extended length forms and bad headers; then the browser-miner detector
 * on Coinhive-model, webminerpool and tunnelled-Stratum messages written
 * from the documented protocols, plus ordinary WebSocket chatter; then
 * permessage-deflate inflation on real Chromium output (our recording). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto/websocket.h"
#include "unit/capture_engine.h"
#include "unit/pcap_payload.h"

typedef struct frames {
    uint8_t buf[8][128];
    size_t len[8];
    size_t n;
} frames;

static void grab_cb(const tp_seg *s, void *ctx)
{
    frames *f = ctx;
    if (f->n < 8 && s->len <= sizeof f->buf[0]) {
        memcpy(f->buf[f->n], s->payload, s->len);
        f->len[f->n++] = s->len;
    }
}

static void text_of(const uint8_t *p, size_t n, char *out, size_t cap)
{
    mt_ws_frame f;
    assert_int_equal(mt_ws_frame_parse(p, n, &f), MT_OK);
    assert_int_equal(f.fin, 1);
    assert_int_equal(f.opcode, 1);
    assert_true(f.header_len + f.payload_len <= n);
    assert_true(f.payload_len < cap);
    memcpy(out, p + f.header_len, (size_t)f.payload_len);
    if (f.masked) mt_ws_unmask((uint8_t *)out, (size_t)f.payload_len, f.mask, 0);
    out[f.payload_len] = 0;
}

static void test_real_frames(void **st)
{
    (void)st;
    char path[1024];
    if (!tp_corpus_path(path, sizeof path, "pcap/ndpi-tests/websocket.pcap")) skip();
    frames fr;
    memset(&fr, 0, sizeof fr);
    assert_int_equal(tp_walk(path, grab_cb, &fr), 0);
    assert_true(fr.n >= 4);
    char t[128];
    text_of(fr.buf[0], fr.len[0], t, sizeof t);
    assert_string_equal(t, "Welcome, 192.168.43.1 !");
    text_of(fr.buf[1], fr.len[1], t, sizeof t);
    assert_string_equal(t, "test message");
    text_of(fr.buf[3], fr.len[3], t, sizeof t);
    assert_string_equal(t, "hello websocket");
    /* the masked frame: every header prefix asks for more */
    mt_ws_frame f;
    for (size_t k = 0; k < 6; k++) assert_int_equal(mt_ws_frame_parse(fr.buf[1], k, &f), MT_EAGAIN);
    assert_int_equal(mt_ws_frame_parse(fr.buf[1], 6, &f), MT_OK);
    assert_int_equal(f.masked, 1);
    assert_int_equal(f.header_len, 6);
}

static void test_lengths_and_errors(void **st)
{
    (void)st;
    mt_ws_frame f;
    const uint8_t l16[] = {0x81, 0x7e, 0x01, 0x00};
    assert_int_equal(mt_ws_frame_parse(l16, 3, &f), MT_EAGAIN);
    assert_int_equal(mt_ws_frame_parse(l16, 4, &f), MT_OK);
    assert_int_equal(f.payload_len, 256);
    assert_int_equal(f.header_len, 4);
    const uint8_t l64[] = {0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
    for (size_t k = 0; k < sizeof l64; k++) assert_int_equal(mt_ws_frame_parse(l64, k, &f), MT_EAGAIN);
    assert_int_equal(mt_ws_frame_parse(l64, sizeof l64, &f), MT_OK);
    assert_int_equal(f.payload_len, 1ULL << 32);
    assert_int_equal(f.header_len, 14);
    assert_int_equal(f.opcode, 2);
    assert_int_equal(f.mask[3], 4);
    const uint8_t top[] = {0x81, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1};
    assert_int_equal(mt_ws_frame_parse(top, sizeof top, &f), MT_EINVAL);
    /* RSV1 = permessage-deflate "compressed": accepted and reported;
     * RSV2 / RSV3 belong to no extension in use: rejected */
    const uint8_t rsv1[] = {0xc1, 0x00};
    assert_int_equal(mt_ws_frame_parse(rsv1, sizeof rsv1, &f), MT_OK);
    assert_int_equal(f.rsv1, 1);
    assert_int_equal(f.opcode, 1);
    assert_int_equal(mt_ws_frame_parse(l16, 4, &f), MT_OK);
    assert_int_equal(f.rsv1, 0);
    const uint8_t rsv2[] = {0xa1, 0x00}, rsv3[] = {0x91, 0x00};
    assert_int_equal(mt_ws_frame_parse(rsv2, sizeof rsv2, &f), MT_EINVAL);
    assert_int_equal(mt_ws_frame_parse(rsv3, sizeof rsv3, &f), MT_EINVAL);
    /* unmask with an offset continues the key stream */
    uint8_t a[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, b[10];
    memcpy(b, a, 10);
    const uint8_t key[4] = {0x11, 0x22, 0x33, 0x44};
    mt_ws_unmask(a, 10, key, 0);
    mt_ws_unmask(b, 3, key, 0);
    mt_ws_unmask(b + 3, 7, key, 3);
    assert_memory_equal(a, b, 10);
}

/* ---- detector ----------------------------------------------------------- */
static void ws_send_n(ce *c, uint64_t flow, int to_server, const char *host, const char *text,
                      size_t len)
{
    mt_ws_msg m;
    memset(&m, 0, sizeof m);
    m.text = text;
    m.len = len;
    mt_strlcpy(m.host, host, sizeof m.host);
    mt_strlcpy(m.uri, "/proxy", sizeof m.uri);
    mt_event ev;
    ce_event(&ev, MT_EV_WS_MSG, flow, "10.2.2.2", 51000, "192.0.2.80", 443);
    if (!to_server) ev.flags = 0;
    ev.u.ws = &m;
    mt_engine_event(c->e, &ev);
}

static void ws_send(ce *c, uint64_t flow, int to_server, const char *host, const char *text)
{
    ws_send_n(c, flow, to_server, host, text, strlen(text));
}

static void test_coinhive_session(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    ws_send(c, 1, 1, "ws001.coinhive.com:443",
            "{\"type\":\"auth\",\"params\":{\"site_key\":\"k3yOfTheSite0000000000000000000a\",\"type\":\"anonymous\",\"user\":null,\"goal\":0}}");
    assert_int_equal(c->n, 1);
    assert_int_equal(c->f[0].kind, MT_KIND_WEBSOCKET);
    assert_string_equal(c->f[0].protocol, "coinhive-ws");
    assert_string_equal(c->f[0].wallet, "k3yOfTheSite0000000000000000000a");
    assert_string_equal(c->f[0].pool, "ws001.coinhive.com");
    assert_string_equal(c->f[0].family, "browser-miner");
    assert_int_equal(c->f[0].confidence, 90);
    /* the rest of the session adds nothing on this flow */
    ws_send(c, 1, 0, "ws001.coinhive.com", "{\"type\":\"authed\",\"params\":{\"token\":\"\",\"hashes\":0}}");
    ws_send(c, 1, 0, "ws001.coinhive.com", "{\"type\":\"job\",\"params\":{\"job_id\":\"1\",\"blob\":\"0606\",\"target\":\"ffff\"}}");
    ws_send(c, 1, 1, "ws001.coinhive.com", "{\"type\":\"submit\",\"params\":{\"job_id\":\"1\",\"nonce\":\"0a0b0c0d\",\"result\":\"00ff\"}}");
    ws_send(c, 1, 0, "ws001.coinhive.com", "{\"type\":\"hash_accepted\",\"params\":{\"hashes\":256}}");
    assert_int_equal(c->n, 1);
    /* a session seen from the middle (no auth): one finding from the job */
    ws_send(c, 2, 0, "miner.example", " {\"type\":\"job\",\"params\":{\"job_id\":\"1\",\"blob\":\"0606\",\"target\":\"ffff\"}}");
    assert_int_equal(c->n, 2);
    assert_string_equal(c->f[1].protocol, "coinhive-ws");
    assert_string_equal(c->f[1].wallet, "");
    /* ... and a later auth on that flow still reports the key */
    ws_send(c, 2, 1, "miner.example", "{\"type\":\"auth\",\"params\":{\"site_key\":\"abc\"}}");
    assert_int_equal(c->n, 3);
    assert_string_equal(c->f[2].wallet, "abc");
    assert_string_equal(c->f[0].worker, ""); /* "user":null: anonymous */
    /* CoinHive.User(key, name): the name is the worker (as sent by our
     * Chromium driver to coin-hive-stratum, tests/data/wsminer/) */
    ws_send(c, 3, 1, "ws.minetrace-test.example:8892",
            "{\"type\":\"auth\",\"params\":{\"site_key\":\"44AFF\",\"type\":\"user\",\"user\":\"mt-ws-worker\",\"goal\":0}}");
    assert_int_equal(c->n, 4);
    assert_string_equal(c->f[3].worker, "mt-ws-worker");
    assert_string_equal(c->f[3].pool, "ws.minetrace-test.example");
    ce_free(c);
}

/* A site key on a loaded list raises the confidence and says so. */
static void test_listed_site_key(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    assert_int_equal(mt_intel_add_sitekey(c->intel, "k3yOfTheSite0000000000000000000a", 95,
                                          MT_CAT_BROWSER_MINER, "keys.txt"), MT_OK);
    ws_send(c, 1, 1, "ws001.coinhive.com:443",
            "{\"type\":\"auth\",\"params\":{\"site_key\":\"k3yOfTheSite0000000000000000000a\",\"type\":\"anonymous\",\"user\":null,\"goal\":0}}");
    assert_int_equal(c->n, 1);
    assert_int_equal(c->f[0].confidence, 95);
    assert_non_null(strstr(c->f[0].evidence, "; listed site key (list keys.txt)"));
    /* another key: as without a list */
    ws_send(c, 2, 1, "ws001.coinhive.com:443",
            "{\"type\":\"auth\",\"params\":{\"site_key\":\"otherKeyOfASite000000000000000b\"}}");
    assert_int_equal(c->n, 2);
    assert_int_equal(c->f[1].confidence, 90);
    assert_null(strstr(c->f[1].evidence, "listed"));
    ce_free(c);
}

static void test_webminerpool_and_stratum(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    ws_send(c, 1, 1, "wmp.example:8181",
            "{\"identifier\":\"handshake\",\"pool\":\"pool.supportxmr.com\",\"login\":\"4AWalletAddr\",\"password\":\"x\",\"userid\":\"\",\"version\":8}");
    assert_int_equal(c->n, 1);
    assert_string_equal(c->f[0].protocol, "webminerpool-ws");
    assert_string_equal(c->f[0].wallet, "4AWalletAddr");
    assert_string_equal(c->f[0].pool, "pool.supportxmr.com");
    ws_send(c, 2, 0, "wmp.example:8181", "{\"identifier\":\"job\",\"job_id\":\"7\",\"algo\":\"cn\",\"blob\":\"07\",\"target\":\"ff\"}");
    assert_int_equal(c->n, 2);
    assert_string_equal(c->f[1].protocol, "webminerpool-ws");
    ws_send(c, 3, 1, "wmp.example", "{\"identifier\":\"solved\",\"job_id\":\"7\",\"nonce\":\"01\",\"result\":\"ab\"}");
    assert_int_equal(c->n, 3);
    /* Stratum login through a WebSocket bridge (deepMiner proxy style) */
    ws_send(c, 4, 1, "bridge.example",
            "{\"method\":\"login\",\"params\":{\"login\":\"4BWallet\",\"pass\":\"x\",\"rigid\":\"\",\"agent\":\"deepMiner\"},\"id\":1}");
    assert_int_equal(c->n, 4);
    assert_string_equal(c->f[3].protocol, "stratum-ws");
    assert_string_equal(c->f[3].wallet, "4BWallet");
    assert_string_equal(c->f[3].agent, "deepMiner");
    assert_string_equal(c->f[3].family, "browser-miner");
    ws_send(c, 5, 1, "bridge.example",
            "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"user.worker\",\"x\"]}");
    assert_int_equal(c->n, 5);
    assert_string_equal(c->f[4].wallet, "user.worker");
    ce_free(c);
}

static void test_ordinary_ws_messages(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    static const char *const neg[] = {
        "hello websocket",
        "{\"type\":\"message\",\"params\":{\"text\":\"hi\"}}",
        "{\"type\":\"auth\",\"params\":{\"token\":\"jwt...\"}}",         /* app login, no site_key */
        "{\"type\":\"job\",\"params\":{\"id\":3,\"title\":\"engineer\"}}", /* a job board */
        "{\"type\":\"submit\",\"params\":{\"form\":\"contact\"}}",
        "{\"identifier\":\"{\\\"channel\\\":\\\"ChatChannel\\\"}\",\"message\":{\"x\":1}}", /* ActionCable */
        "{\"method\":\"login\",\"params\":[\"user\",\"pw\"]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"],\"id\":1}",
        "{\"type\":\"auth\",\"params\":",                                  /* truncated */
        "[{\"type\":\"auth\",\"params\":{\"site_key\":\"k\"}}]",           /* not an object */
        "",
    };
    for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
        ws_send(c, 10 + i, 1, "chat.example", neg[i]);
        if (c->n) fail_msg("false positive on %zu: %s", i, c->f[0].evidence);
    }
    ce_free(c);
}


/* ---- permessage-deflate ------------------------------------------------- */
/* Real Chromium 156 output, unmasked, from our recording
 * tests/data/wsminer/chs1410_chromium_deflate.pcap (Chromium against
 * coin-hive-stratum with permessage-deflate on): the first message, the
 * Coinhive auth, and the second, a submit that refers back into the auth
 * (context takeover) and so cannot be decoded alone. */
static const char AUTH_HEX[] =
    "2c8e4d0b82401445ffcb5b27946368ee1cfc68519209a66d628cb1cc6c74e69988f8df136975b9e72ece1d0187"
    "86830dacc327aca06192d50aec115489fc56f161de0cc3f1fd765bc56540c5d5088f6e9f61b8b1447eb71c5ec7"
    "84b8f47051646f0a4c0b24e94b362e46c1d78cdb58319ad17c6775612ef584520fcd42ef8b0f39274144bd1371"
    "66edff44a7b89cdb1236d4a8f54aeb85ac16fa10ec0df67a9a7e00";
static const char SUBMIT_HEX[] =
    "548e4b0e83300c44efd213f893c4f834551c2712888254605571f7268b2e3acb376fa4f9fcf4e3b2d77cfebd5e"
    "767bcedebb0666b98900007663dbb732263149f06603bdeb71ad6767351b477231e7ea26ac644a41134362f411"
    "24052e5a4830a1aba7e6191b4d054b0cd3e3bebf00";
static const char AUTH_JSON[] =
    "{\"type\":\"auth\",\"params\":{\"site_key\":\"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3"
    "XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A\",\"type\":\"user\",\"user\":\"mt-ws-worker\","
    "\"goal\":0}}";

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* With a kept context the real submit, which refers back into the auth,
 * decodes; a context costs zlib's state and a 32 KB window (measured). */
static void test_inflate_context(void **st)
{
    (void)st;
    mt_ws_inflater *z = mt_ws_inflater_new();
    assert_non_null(z);
    uint8_t in[256], out[512];
    size_t n = unhex(AUTH_HEX, in, sizeof in), m = 0;
    int cut = 1;
    assert_int_equal(mt_ws_inflate_more(z, in, n, 1, out, sizeof out, &m, &cut), MT_OK);
    assert_int_equal(cut, 0);
    assert_int_equal(m, strlen(AUTH_JSON));
    assert_memory_equal(out, AUTH_JSON, m);
    size_t bytes = mt_ws_inflater_bytes(z);
    assert_true(bytes > 32768 && bytes < 48 * 1024);
    n = unhex(SUBMIT_HEX, in, sizeof in);
    assert_int_equal(mt_ws_inflate_more(z, in, n, 1, out, sizeof out, &m, &cut), MT_OK);
    out[m] = 0;
    assert_non_null(strstr((char *)out, "\"type\":\"submit\""));
    /* Alone, the submit does not decode: that is what the context is for. */
    mt_ws_inflater *alone = mt_ws_inflater_new();
    assert_int_not_equal(mt_ws_inflate(alone, in, n, out, sizeof out, &m), MT_OK);
    mt_ws_inflater_free(alone);
    /* A small cap keeps the first bytes and still inflates the rest, so the
     * next message decodes; a reset starts a fresh stream. */
    assert_int_equal(mt_ws_inflater_reset(z), MT_OK);
    n = unhex(AUTH_HEX, in, sizeof in);
    assert_int_equal(mt_ws_inflate_more(z, in, n, 1, out, 16, &m, &cut), MT_OK);
    assert_int_equal(cut, 1);
    assert_int_equal(m, 16);
    n = unhex(SUBMIT_HEX, in, sizeof in);
    assert_int_equal(mt_ws_inflate_more(z, in, n, 1, out, sizeof out, &m, &cut), MT_OK);
    out[m] = 0;
    assert_non_null(strstr((char *)out, "\"type\":\"submit\""));
    /* Garbage breaks the stream cleanly. */
    static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(mt_ws_inflate_more(z, junk, sizeof junk, 1, out, sizeof out, &m, &cut), MT_EINVAL);
    mt_ws_inflater_free(z);
}

static void test_inflate(void **st)
{
    (void)st;
    mt_ws_inflater *z = mt_ws_inflater_new();
    assert_non_null(z);
    uint8_t in[256], out[512];
    size_t n = unhex(AUTH_HEX, in, sizeof in), m = 0;
    assert_int_equal(mt_ws_inflate(z, in, n, out, sizeof out, &m), MT_OK);
    assert_int_equal(m, strlen(AUTH_JSON));
    assert_memory_equal(out, AUTH_JSON, m);
    /* reusable: the same message again gives the same text */
    assert_int_equal(mt_ws_inflate(z, in, n, out, sizeof out, &m), MT_OK);
    assert_int_equal(m, strlen(AUTH_JSON));
    /* output cap: exactly the length, and smaller, do not fit */
    assert_int_equal(mt_ws_inflate(z, in, n, out, strlen(AUTH_JSON), &m), MT_ENOMEM);
    assert_int_equal(m, strlen(AUTH_JSON));
    assert_int_equal(mt_ws_inflate(z, in, n, out, 10, &m), MT_ENOMEM);
    assert_int_equal(m, 10);
    assert_memory_equal(out, AUTH_JSON, 10);
    assert_int_equal(mt_ws_inflate(z, in, n, out, strlen(AUTH_JSON) + 1, &m), MT_OK);
    /* every truncation: bounded output or an error (a cut Huffman stream
     * followed by the 00 00 ff ff tail may decode to junk: that is DEFLATE,
     * the JSON reader after it rejects such text) */
    for (size_t k = 0; k < n; k++) {
        int r = mt_ws_inflate(z, in, k, out, sizeof out, &m);
        assert_true(r == MT_OK || r == MT_EINVAL || r == MT_ENOMEM);
        assert_true(m <= sizeof out);
    }
    /* the second message needs the first one's window */
    n = unhex(SUBMIT_HEX, in, sizeof in);
    assert_int_equal(mt_ws_inflate(z, in, n, out, sizeof out, &m), MT_EINVAL);
    /* not DEFLATE at all: plain text and a reserved block type */
    const char *plain = "hello websocket";
    assert_int_equal(mt_ws_inflate(z, (const uint8_t *)plain, strlen(plain), out, sizeof out, &m),
                     MT_EINVAL);
    const uint8_t bad[] = {0x07, 0x00};
    assert_int_equal(mt_ws_inflate(z, bad, sizeof bad, out, sizeof out, &m), MT_EINVAL);
    /* an empty compressed message (one empty fixed block) */
    const uint8_t empty[] = {0x02, 0x00};
    assert_int_equal(mt_ws_inflate(z, empty, sizeof empty, out, sizeof out, &m), MT_OK);
    assert_int_equal(m, 0);
    assert_int_equal(mt_ws_inflate(z, NULL, 0, out, sizeof out, &m), MT_OK);
    assert_int_equal(mt_ws_inflate(z, in, n, out, 0, &m), MT_EINVAL);
    assert_int_equal(mt_ws_inflate(NULL, in, n, out, sizeof out, &m), MT_EINVAL);
    mt_ws_inflater_free(z);
    mt_ws_inflater_free(NULL);
}

static void test_deflated_session(void **st)
{
    (void)st;
    ce *c = ce_new();
    mt_engine_set_keep_repeats(c->e, 1); /* this detector's own findings, each */
    uint8_t in[256];
    size_t n = unhex(AUTH_HEX, in, sizeof in);
    ws_send_n(c, 7, 1, "ws.minetrace-test.example:8892", (const char *)in, n);
    assert_int_equal(c->n, 1);
    assert_string_equal(c->f[0].protocol, "coinhive-ws");
    assert_string_equal(c->f[0].wallet,
                        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A");
    assert_string_equal(c->f[0].worker, "mt-ws-worker");
    assert_non_null(strstr(c->f[0].evidence, "(permessage-deflate)"));
    /* the undecodable follow-up and binary noise add nothing, break nothing */
    n = unhex(SUBMIT_HEX, in, sizeof in);
    ws_send_n(c, 7, 1, "ws.minetrace-test.example:8892", (const char *)in, n);
    ws_send(c, 8, 1, "chat.example", "\x01\x02\x03 not json");
    assert_int_equal(c->n, 1);
    ce_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_frames),
        cmocka_unit_test(test_lengths_and_errors),
        cmocka_unit_test(test_inflate),
        cmocka_unit_test(test_inflate_context),
        cmocka_unit_test(test_deflated_session),
        cmocka_unit_test(test_coinhive_session),
        cmocka_unit_test(test_listed_site_key),
        cmocka_unit_test(test_webminerpool_and_stratum),
        cmocka_unit_test(test_ordinary_ws_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
