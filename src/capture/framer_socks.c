/* SOCKS 4/4a/5 CONNECT handshakes (RFC 1928, RFC 1929 for the
 * username/password exchange): once the proxy grants the connection,
 * each direction goes back to the probes, so the tunnelled TLS hello (SNI,
 * JA3), HTTP or Stratum is read as if the client spoke to the server
 * directly. Client messages are followed as the client sends them; the
 * server's replies decide the server direction. A handshake that does not
 * parse, or a refusal, stops the direction: nothing is guessed. */
#include <string.h>

#include "capture/framer.h"

/* A handshake message is short: a SOCKS4a request holds two NUL-ended
 * strings, a SOCKS5 request a 255-byte name, an RFC 1929 exchange two
 * 255-byte strings. */
#define SOCKS_MAX 1024u
#define SOCKS4_STR_MAX 255u

enum { SK_START = 0, SK_GREETED, SK_DONE };

typedef struct socks_state {
    uint8_t phase; /* SK_* */
} socks_state;
MT_FRAMER_STATE_CHECK(socks_state);

/* Length of a NUL-ended string at p[0..n): bytes with the NUL, 0 when
 * incomplete, SIZE_MAX when longer than allowed. */
static size_t cstr_len(const uint8_t *p, size_t n)
{
    size_t lim = n < SOCKS4_STR_MAX + 1 ? n : SOCKS4_STR_MAX + 1;
    const uint8_t *z = memchr(p, 0, lim);
    if (z) return (size_t)(z - p) + 1;
    return n > SOCKS4_STR_MAX ? SIZE_MAX : 0;
}

/* SOCKS4 CONNECT: 04 01 port(2) ip(4) userid\0 [host\0 when ip = 0.0.0.x]. */
static size_t socks4_request_len(const uint8_t *p, size_t n)
{
    if (n < 9) return 0;
    size_t u = cstr_len(p + 8, n - 8);
    if (u == 0 || u == SIZE_MAX) return u;
    size_t len = 8 + u;
    if (p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] != 0) { /* 4a: a host name follows */
        size_t h = cstr_len(p + len, n - len);
        if (h == 0 || h == SIZE_MAX) return h;
        len += h;
    }
    return len;
}

/* SOCKS5 greeting: 05 n methods[n]; methods are 00..09 or private 80..fe. */
static int socks5_greeting_ok(const uint8_t *p, size_t n, size_t *len)
{
    if (n < 2 || p[1] == 0) return 0;
    *len = 2 + (size_t)p[1];
    if (n < *len) return 0;
    for (size_t i = 2; i < *len; i++)
        if (p[i] > 0x09 && (p[i] < 0x80 || p[i] == 0xff)) return 0;
    return 1;
}

/* SOCKS5 request or reply: 05 code 00 atyp addr port(2). 0 = incomplete,
 * SIZE_MAX = malformed. */
static size_t socks5_addr_msg_len(const uint8_t *p, size_t n)
{
    if (n < 5) return 0;
    if (p[0] != 5 || p[2] != 0) return SIZE_MAX;
    size_t len;
    switch (p[3]) {
    case 1: len = 4 + 4 + 2; break;
    case 4: len = 4 + 16 + 2; break;
    case 3: len = 4 + 1 + (size_t)p[4] + 2; if (p[4] == 0) return SIZE_MAX; break;
    default: return SIZE_MAX;
    }
    return n < len ? 0 : len;
}

static int socks_probe(const mt_flow *f, int dir, const uint8_t *p, size_t n)
{
    (void)f;
    if (dir != 0) return MT_PROBE_NO; /* the client's message decides */
    if (p[0] == 4) {
        if (p[1] != 1) return MT_PROBE_NO; /* CONNECT only: BIND carries no client stream */
        size_t l = socks4_request_len(p, n);
        if (l == SIZE_MAX) return MT_PROBE_NO;
        return l ? MT_PROBE_YES : MT_PROBE_MORE;
    }
    size_t len;
    if (n >= 2 && n < 2 + (size_t)p[1]) return MT_PROBE_MORE;
    /* The client waits for the method choice, or sends its request (or
     * RFC 1929 login) right after the greeting. */
    if (!socks5_greeting_ok(p, n, &len)) return MT_PROBE_NO;
    return n == len || p[len] == 5 || p[len] == 1 ? MT_PROBE_YES : MT_PROBE_NO;
}

/* The tunnel is open in direction dir: its bytes go back to the probes. */
static void tunnel_open(mt_stream_cx *cx, int dir)
{
    mt_stream_count_msg(cx);
    mt_stream_switch(cx, dir, MT_FR_DETECT);
}

static size_t refuse(mt_stream_cx *cx, size_t n)
{
    mt_stream_count_malformed(cx);
    mt_stream_stop(cx, cx->dir);
    return n;
}

static size_t socks_client(mt_stream_cx *cx, socks_state *st, const uint8_t *p, size_t n)
{
    mt_flow *f = cx->f;
    if (st->phase == SK_START) {
        /* The server's replies are SOCKS too: read them as such. */
        if (f->d[1].framer == MT_FR_DETECT && f->d[1].inspected == 0) mt_stream_switch(cx, 1, MT_FR_SOCKS);
        if (p[0] == 4) {
            size_t l = socks4_request_len(p, n);
            if (l == SIZE_MAX) return refuse(cx, n);
            if (!l) return MT_FR_MORE;
            tunnel_open(cx, 0); /* the client sends its stream once granted */
            return l;
        }
        size_t len;
        if (n < 2 || n < 2 + (size_t)p[1]) return MT_FR_MORE;
        if (p[0] != 5 || !socks5_greeting_ok(p, n, &len)) return refuse(cx, n);
        mt_stream_count_msg(cx);
        st->phase = SK_GREETED;
        return len;
    }
    if (p[0] == 1) { /* RFC 1929: 01 ulen user plen pass */
        if (n < 2) return MT_FR_MORE;
        size_t ul = p[1];
        if (n < 3 + ul) return MT_FR_MORE;
        size_t len = 3 + ul + p[2 + ul];
        if (n < len) return MT_FR_MORE;
        mt_stream_count_msg(cx);
        return len;
    }
    size_t l = socks5_addr_msg_len(p, n);
    if (!l) return MT_FR_MORE; /* fewer than 5 bytes: p[1] may not be there yet */
    if (l == SIZE_MAX || p[1] != 1) return refuse(cx, n); /* CONNECT only */
    tunnel_open(cx, 0);
    return l;
}

static size_t socks_server(mt_stream_cx *cx, socks_state *st, const uint8_t *p, size_t n)
{
    if (p[0] == 0) { /* SOCKS4 reply: 00 status port(2) ip(4); 0x5a = granted */
        if (n < 8) return MT_FR_MORE;
        if (p[1] != 0x5a) return refuse(cx, n);
        tunnel_open(cx, 1);
        return 8;
    }
    if (n < 2) return MT_FR_MORE;
    if (p[0] == 1) { /* RFC 1929 status: 01 00 = accepted */
        if (p[1] != 0) return refuse(cx, n);
        mt_stream_count_msg(cx);
        return 2;
    }
    if (p[0] != 5) return refuse(cx, n);
    if (st->phase == SK_START) { /* method choice; ff = none acceptable */
        if (p[1] == 0xff) return refuse(cx, n);
        mt_stream_count_msg(cx);
        st->phase = SK_GREETED;
        return 2;
    }
    size_t l = socks5_addr_msg_len(p, n);
    if (!l) return MT_FR_MORE;
    if (l == SIZE_MAX || p[1] != 0) return refuse(cx, n); /* 00 = succeeded */
    tunnel_open(cx, 1);
    return l;
}

static size_t socks_parse(mt_stream_cx *cx, const uint8_t *p, size_t n)
{
    socks_state *st = MT_FRAMER_STATE(cx, socks_state);
    return cx->dir == 0 ? socks_client(cx, st, p, n) : socks_server(cx, st, p, n);
}

const mt_framer mt_framer_socks = {
    .name = "socks",
    .id = MT_FR_SOCKS,
    .state_size = sizeof(socks_state),
    .resync_nl = 0,
    .max_msg = SOCKS_MAX,
    .first_lo = 0x04, /* SOCKS4 and SOCKS5 client messages */
    .first_hi = 0x05,
    .probe_min = 3,
    .probe = socks_probe,
    .parse = socks_parse,
};
