/* Host verdicts. A growing util/hashmap keyed by address; each host keeps a
 * few distinct values per attribute (bounded: a host talking to thousands of
 * pools keeps the first ones and counts the rest). The score combines the
 * findings' confidences as independent evidence: 1 - prod(1 - c_i). */
#include "detect/hosts.h"

#include <stdlib.h>
#include <string.h>

#include "store/finding_json.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/hashmap.h"

#define SET_MAX 8

typedef struct strset {
    char *v[SET_MAX];
    unsigned n, overflow;
} strset;

typedef struct host {
    mt_addr addr;
    mt_time_us first, last;
    uint64_t n_findings, n_precursor;
    double miss;           /* prod(1 - c_i) over mining findings */
    int precursor_victim;
    strset pools, wallets, families, kinds, agents;
    uint16_t ports[16];
    unsigned n_ports;
} host;

struct mt_hosts {
    mt_hmap map; /* mt_addr (mt_hmap_addr_key) -> host * */
};

static uint64_t host_hash(const void *key)
{
    mt_addr a;
    memcpy(&a, key, sizeof a);
    if (a.family == 0xff) a.family = 0; /* see get() */
    return mt_addr_hash_inl(&a, 0);
}

mt_hosts *mt_hosts_new(void)
{
    mt_hosts *h = mt_xcalloc(1, sizeof *h);
    mt_hmap_init(&h->map, &(mt_hmap_cfg){.key_size = sizeof(mt_addr), .val_size = sizeof(host *),
                                          .capacity = 1024, .hash = host_hash});
    return h;
}

static void set_free(strset *s)
{
    for (unsigned i = 0; i < s->n; i++) free(s->v[i]);
}

static host *host_at(const mt_hosts *h, size_t i)
{
    host *x;
    memcpy(&x, mt_hmap_val(&h->map, i), sizeof x);
    return x;
}

void mt_hosts_free(mt_hosts *h)
{
    if (!h) return;
    for (size_t i = mt_hmap_next(&h->map, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&h->map, i + 1)) {
        host *x = host_at(h, i);
        set_free(&x->pools); set_free(&x->wallets); set_free(&x->families);
        set_free(&x->kinds); set_free(&x->agents);
        free(x);
    }
    mt_hmap_free(&h->map);
    free(h);
}

static host *get(mt_hosts *h, const mt_addr *a, int create)
{
    mt_addr key = mt_hmap_addr_key(a);
    /* A finding without an address (family 0) is a host too; its key must
     * not be the all-zero empty key. */
    if (key.family == 0) key.family = 0xff;
    uint64_t hv = mt_addr_hash_inl(a, 0);
    if (!create) {
        size_t i = mt_hmap_find(&h->map, &key, hv);
        return i == MT_HMAP_NONE ? NULL : host_at(h, i);
    }
    int added;
    size_t i = mt_hmap_put(&h->map, &key, hv, &added); /* a growing table: never NONE */
    if (!added) return host_at(h, i);
    host *x = mt_xcalloc(1, sizeof *x);
    x->addr = *a;
    x->miss = 1.0;
    memcpy(mt_hmap_val(&h->map, i), &x, sizeof x);
    return x;
}

static void set_add(strset *s, const char *v)
{
    if (!v || !v[0]) return;
    for (unsigned i = 0; i < s->n; i++) /* first byte first: one call per finding per set */
        if (s->v[i][0] == v[0] && strcmp(s->v[i], v) == 0) return;
    if (s->n == SET_MAX) { s->overflow++; return; }
    s->v[s->n++] = mt_xstrdup(v);
}

void mt_hosts_add(mt_hosts *h, const mt_finding *f)
{
    host *x = get(h, &f->src, 1);
    if (x->n_findings + x->n_precursor == 0 || f->ts < x->first) x->first = f->ts;
    if (f->ts > x->last) x->last = f->ts;
    if (f->event_type && strcmp(f->event_type, MT_EVENT_PRECURSOR) == 0) {
        x->n_precursor++;
        set_add(&x->kinds, mt_finding_kind_str(f->kind));
        return;
    }
    x->n_findings++;
    int c = f->confidence < 0 ? 0 : f->confidence > 100 ? 100 : f->confidence;
    x->miss *= 1.0 - c / 100.0;
    set_add(&x->pools, f->pool[0] ? f->pool : NULL);
    set_add(&x->wallets, f->wallet);
    set_add(&x->families, f->family);
    set_add(&x->kinds, mt_finding_kind_str(f->kind));
    set_add(&x->agents, f->agent);
    if (f->dst_port) {
        unsigned i;
        for (i = 0; i < x->n_ports; i++) if (x->ports[i] == f->dst_port) break;
        if (i == x->n_ports && x->n_ports < 16) x->ports[x->n_ports++] = f->dst_port;
    }
}

int mt_hosts_is_precursor_victim(const mt_hosts *h, const mt_addr *a)
{
    host *x = get((mt_hosts *)h, a, 0);
    return x && x->precursor_victim;
}

void mt_hosts_mark_precursor_victim(mt_hosts *h, const mt_addr *a)
{
    host *x = get(h, a, 1);
    x->precursor_victim = 1;
}

static int score(const host *x)
{
    if (x->n_findings == 0) return 0;
    int s = (int)((1.0 - x->miss) * 100.0 + 0.5);
    return s > 100 ? 100 : s;
}

/* Hosts sorted by score then address, so output is stable. */
static int cmp_host(const void *a, const void *b)
{
    const host *x = *(const host *const *)a, *y = *(const host *const *)b;
    int sx = score(x), sy = score(y);
    if (sx != sy) return sy - sx;
    if (x->addr.family != y->addr.family) return x->addr.family - y->addr.family;
    return memcmp(x->addr.b, y->addr.b, 16);
}

static host **sorted(const mt_hosts *h, int min_score, size_t *n)
{
    host **v = mt_xcalloc(mt_hmap_count(&h->map) + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = mt_hmap_next(&h->map, 0); i != MT_HMAP_NONE; i = mt_hmap_next(&h->map, i + 1)) {
        host *x = host_at(h, i);
        if (x->n_findings > 0 && score(x) >= min_score) v[k++] = x;
    }
    qsort(v, k, sizeof *v, cmp_host);
    *n = k;
    return v;
}

static void set_json(mt_buf *b, const char *key, const strset *s)
{
    mt_buf_printf(b, ",\"%s\":[", key);
    for (unsigned i = 0; i < s->n; i++) {
        if (i) mt_buf_putc(b, ',');
        mt_json_str(b, s->v[i]);
    }
    mt_buf_putc(b, ']');
}

size_t mt_hosts_write_json(const mt_hosts *h, FILE *out, int min_score)
{
    size_t n;
    host **v = sorted(h, min_score, &n);
    mt_buf b;
    mt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const host *x = v[i];
        char a[MT_ADDR_STRLEN], t1[40], t2[40];
        mt_addr_to_str(&x->addr, a, sizeof a);
        mt_time_format(x->first, t1, sizeof t1);
        mt_time_format(x->last, t2, sizeof t2);
        mt_buf_reset(&b);
        mt_buf_putc(&b, '{');
        mt_json_kv_str(&b, 0, "host", a);
        mt_json_kv_str(&b, 1, "first_seen", t1);
        mt_json_kv_str(&b, 1, "last_seen", t2);
        mt_json_kv_int(&b, 1, "score", score(x));
        mt_json_kv_int(&b, 1, "findings", (long long)x->n_findings);
        mt_json_kv_int(&b, 1, "precursor_findings", (long long)x->n_precursor);
        set_json(&b, "pools", &x->pools);
        mt_buf_puts(&b, ",\"ports\":[");
        for (unsigned j = 0; j < x->n_ports; j++) mt_buf_printf(&b, "%s%u", j ? "," : "", x->ports[j]);
        mt_buf_putc(&b, ']');
        set_json(&b, "wallets", &x->wallets);
        set_json(&b, "families", &x->families);
        set_json(&b, "agents", &x->agents);
        set_json(&b, "kinds", &x->kinds);
        mt_buf_puts(&b, "}\n");
        fwrite(b.p, 1, b.len, out);
    }
    mt_buf_free(&b);
    free(v);
    return n;
}

static void set_text(mt_buf *b, const strset *s)
{
    if (s->n == 0) { mt_buf_putc(b, '-'); return; }
    for (unsigned i = 0; i < s->n; i++) {
        if (i) mt_buf_putc(b, ',');
        /* Terminal output: escape like JSON minus the quotes, so hostile
         * strings cannot inject terminal control sequences. */
        mt_buf tmp;
        mt_buf_init(&tmp);
        mt_json_str(&tmp, s->v[i]);
        mt_buf_put(b, tmp.p + 1, tmp.len - 2);
        mt_buf_free(&tmp);
    }
    if (s->overflow) mt_buf_printf(b, ",+%u", s->overflow);
}

size_t mt_hosts_write_text(const mt_hosts *h, FILE *out, int min_score)
{
    size_t n;
    host **v = sorted(h, min_score, &n);
    fprintf(out, "%-39s %5s %8s  %-26s %-26s %s\n", "HOST", "SCORE", "FINDINGS",
            "FIRST SEEN", "LAST SEEN", "POOLS / PORTS / WALLETS / FAMILIES");
    mt_buf b;
    mt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const host *x = v[i];
        char a[MT_ADDR_STRLEN], t1[40], t2[40];
        mt_addr_to_str(&x->addr, a, sizeof a);
        mt_time_format(x->first, t1, sizeof t1);
        mt_time_format(x->last, t2, sizeof t2);
        mt_buf_reset(&b);
        mt_buf_puts(&b, "pools=");
        set_text(&b, &x->pools);
        mt_buf_puts(&b, " ports=");
        for (unsigned j = 0; j < x->n_ports; j++) mt_buf_printf(&b, "%s%u", j ? "," : "", x->ports[j]);
        if (!x->n_ports) mt_buf_putc(&b, '-');
        mt_buf_puts(&b, " wallets=");
        set_text(&b, &x->wallets);
        mt_buf_puts(&b, " families=");
        set_text(&b, &x->families);
        fprintf(out, "%-39s %5d %8llu  %-26s %-26s %s\n", a, score(x),
                (unsigned long long)x->n_findings, t1, t2, mt_buf_cstr(&b));
    }
    mt_buf_free(&b);
    free(v);
    return n;
}
