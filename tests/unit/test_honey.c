/* Tests for the honeypot readers (src/ingest/honey.c and its readers):
 * every real honeypot file of the corpus with exact figures (Cowrie 2018
 * logs, plain and gzipped, the killchain attack-pattern JSON, the deroux
 * daily aggregates and raw samples), recognition by content, and hostile
 * input (truncated lines and documents, NUL, deep nesting, huge numbers,
 * impossible time stamps, field drift) counted, never crashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/honey.h"
#include "ingest/honey_reader.h"
#include "util/digest.h"
#include "util/strtab.h"

static char tmpdir[128];

static const char *tmp(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void write_str(const char *path, const char *s) { write_file(path, s, strlen(s)); }

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)sz + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    d[sz] = '\0';
    *n = (size_t)sz;
    return d;
}

static const char *corpus(const char *rel)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    const char *c = getenv("MT_CORPUS");
    snprintf(p[k], sizeof p[k], "%s/botnet/%s", c ? c : "../shared/corpus", rel);
    return p[k];
}

/* ---- a counting sink ---------------------------------------------------------- */

typedef struct tally {
    uint64_t events, by_type[16], flags[16];
    mt_strtab sessions, connect_sessions, ips;
    mt_strtab md_sessions, md_ips;  /* commands holding "mdrfckr" */
    mt_u64set md_days;
    mt_u64set nproc_days;           /* nproc:nproc attempts, by day */
    mt_strtab hassh;                /* HASSH -> count in cnt[0] */
    uint64_t key_writes;            /* downloads of /root/.ssh/authorized_keys */
    uint64_t key_sha_ok;            /* ... with the mdrfckr file's SHA-256 */
    uint64_t nosrc, count_sum;
    uint64_t digest;                /* over every event's fields, in order */
    uint64_t bad_strings;           /* spans with a NULL pointer and a length */
} tally;

static void tally_init(tally *t)
{
    memset(t, 0, sizeof *t);
    mt_strtab_init(&t->sessions);
    mt_strtab_init(&t->connect_sessions);
    mt_strtab_init(&t->ips);
    mt_strtab_init(&t->md_sessions);
    mt_strtab_init(&t->md_ips);
    mt_strtab_init(&t->hassh);
    mt_u64set_init(&t->nproc_days);
    mt_u64set_init(&t->md_days);
}

static void tally_free(tally *t)
{
    mt_strtab_free(&t->sessions);
    mt_strtab_free(&t->connect_sessions);
    mt_strtab_free(&t->ips);
    mt_strtab_free(&t->md_sessions);
    mt_strtab_free(&t->md_ips);
    mt_strtab_free(&t->hassh);
    mt_u64set_free(&t->nproc_days);
    mt_u64set_free(&t->md_days);
}

static int span_is(mt_span s, const char *lit)
{
    return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

static int span_has(mt_span s, const char *needle)
{
    return s.n && mt_honey_has(s.p, s.n, needle);
}

static void mix(tally *t, const void *p, size_t n)
{
    t->digest = mt_hash_bytes(p, n, t->digest);
}

static void mix_span(tally *t, mt_span s)
{
    if (!s.p && s.n) t->bad_strings++;
    mix(t, &s.n, sizeof s.n);
    if (s.n) mix(t, s.p, s.n);
}

static void on_event(void *ctx, const mt_honey_event *ev)
{
    tally *t = ctx;
    t->events++;
    assert_true(ev->type >= MT_HE_CONNECT && ev->type <= MT_HE_PARAMS);
    assert_true(ev->count >= 1);
    t->by_type[ev->type]++;
    for (int b = 0; b < 4; b++)
        if (ev->flags & (1u << b)) t->flags[b]++;
    t->count_sum += ev->count;
    char ip[MT_ADDR_STRLEN] = "";
    if (ev->flags & MT_HEF_NOSRC) {
        t->nosrc++;
    } else {
        assert_int_equal(mt_addr_to_str(&ev->src, ip, sizeof ip), MT_OK);
        mt_strtab_intern(&t->ips, ip, strlen(ip));
    }
    if (ev->session.n) {
        mt_strtab_intern(&t->sessions, ev->session.p, ev->session.n);
        if (ev->type == MT_HE_CONNECT)
            mt_strtab_intern(&t->connect_sessions, ev->session.p, ev->session.n);
    }
    if (ev->type == MT_HE_COMMAND && !(ev->flags & MT_HEF_REPEAT) && span_has(ev->text, "mdrfckr")) {
        if (ev->session.n) mt_strtab_intern(&t->md_sessions, ev->session.p, ev->session.n);
        if (ip[0]) mt_strtab_intern(&t->md_ips, ip, strlen(ip));
        mt_u64set_add(&t->md_days, (uint64_t)(ev->ts / 86400000000LL));
    }
    if ((ev->type == MT_HE_LOGIN_FAILED || ev->type == MT_HE_LOGIN_SUCCESS) &&
        span_is(ev->user, "nproc") && ev->pass.p && span_is(ev->pass, "nproc"))
        mt_u64set_add(&t->nproc_days, (uint64_t)(ev->ts / 86400000000LL));
    if (ev->type == MT_HE_KEX) {
        assert_int_equal(ev->text.n, 32);
        uint32_t id = mt_strtab_intern(&t->hassh, ev->text.p, ev->text.n);
        t->hassh.cnt[id][0]++;
    }
    if (ev->type == MT_HE_DOWNLOAD && span_is(ev->path, "/root/.ssh/authorized_keys")) {
        t->key_writes++;
        if (span_is(ev->sha256, "a8460f446be540410004b1a8db4083773fa46f7fe76fa84219c93daa1669f8f2"))
            t->key_sha_ok++;
    }
    mix(t, &ev->type, sizeof ev->type);
    mix(t, &ev->flags, sizeof ev->flags);
    mix(t, &ev->ts, sizeof ev->ts);
    mix(t, ip, strlen(ip));
    mix(t, &ev->src_port, sizeof ev->src_port);
    mix(t, &ev->dst_port, sizeof ev->dst_port);
    mix(t, &ev->protocol, sizeof ev->protocol);
    mix(t, &ev->count, sizeof ev->count);
    mix(t, &ev->duration_ms, sizeof ev->duration_ms);
    mix_span(t, ev->session);
    mix_span(t, ev->sensor);
    mix_span(t, ev->user);
    mix_span(t, ev->pass);
    mix_span(t, ev->text);
    mix_span(t, ev->key);
    mix_span(t, ev->url);
    mix_span(t, ev->sha256);
    mix_span(t, ev->path);
}

static int read_into(const char *path, const mt_honey_opts *o, tally *t, mt_ingest_stats *st)
{
    mt_honey_sink sink = {on_event, t};
    return mt_honey_read_file(path, o, &sink, st);
}

static uint64_t hassh_count(const tally *t, const char *h)
{
    int64_t id = mt_strtab_find(&t->hassh, h, strlen(h));
    return id < 0 ? 0 : t->hassh.cnt[id][0];
}

/* ---- the real corpus ------------------------------------------------------------- */

static int kareiva_files(char names[][512], int cap)
{
    DIR *d = opendir(corpus("cowrie_kareiva_2018"));
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < cap)
        if (strncmp(e->d_name, "cowrie.json.", 12) == 0)
            snprintf(names[n++], 512, "%s/%s", corpus("cowrie_kareiva_2018"), e->d_name);
    closedir(d);
    return n;
}

static void test_kareiva(void **state)
{
    (void)state;
    static char names[64][512];
    int n = kareiva_files(names, 64);
    if (n < 0) skip();
    assert_int_equal(n, 56);
    tally t;
    tally_init(&t);
    uint64_t records = 0, malformed = 0, unknown = 0, used = 0, size = 0, var = 0, logopen = 0;
    for (int i = 0; i < n; i++) {
        mt_ingest_stats st;
        assert_int_equal(read_into(names[i], NULL, &t, &st), MT_OK);
        assert_string_equal(st.format, "cowrie");
        assert_string_equal(st.error, "");
        records += st.records;
        malformed += st.malformed;
        unknown += st.unknown;
        used += st.used;
        for (unsigned k = 0; k < st.n_unknown_names; k++) {
            if (strcmp(st.unknown_names[k].name, "cowrie.client.size") == 0) size += st.unknown_names[k].n;
            else if (strcmp(st.unknown_names[k].name, "cowrie.client.var") == 0) var += st.unknown_names[k].n;
            else if (strcmp(st.unknown_names[k].name, "cowrie.log.open") == 0) logopen += st.unknown_names[k].n;
            else fail_msg("unexpected unknown eventid %s", st.unknown_names[k].name);
        }
    }
    assert_int_equal(records, 102686);
    assert_int_equal(malformed, 0);
    /* client.size 37, client.var 9, log.open 515: read, not used. */
    assert_int_equal(size, 37);
    assert_int_equal(var, 9);
    assert_int_equal(logopen, 515);
    assert_int_equal(unknown, 561);
    assert_int_equal(used, 102686 - 561);
    /* 22,237 sessions connect; one more (e36fa1ad9bd5) only closes on
     * 06-30: it connected on 06-29, a day missing from the corpus. */
    assert_int_equal(t.connect_sessions.n, 22237);
    assert_int_equal(t.sessions.n, 22238);
    assert_int_equal(t.ips.n, 1583);
    assert_int_equal(t.nosrc, 0);
    assert_int_equal(t.by_type[MT_HE_CONNECT], 22237);
    assert_int_equal(t.by_type[MT_HE_CLIENT_VERSION], 20747);
    /* Every 2018 client.version carries the kex lists: a HASSH each. */
    assert_int_equal(t.by_type[MT_HE_KEX], 20747);
    assert_int_equal(t.hassh.n, 33);
    assert_int_equal(hassh_count(&t, "92674389fa1e47a27ddd8d9b63ecd42b"), 7248);
    assert_int_equal(t.by_type[MT_HE_LOGIN_FAILED], 15088);
    assert_int_equal(t.by_type[MT_HE_LOGIN_SUCCESS], 2210);
    assert_int_equal(t.by_type[MT_HE_COMMAND], 530 + 42); /* input + failed */
    assert_int_equal(t.flags[3], 42 + 493);               /* REPEAT: command.failed, log.closed */
    assert_int_equal(t.by_type[MT_HE_DOWNLOAD], 21 + 3);
    assert_int_equal(t.by_type[MT_HE_TCPIP], 10747 + 7770);
    assert_int_equal(t.by_type[MT_HE_CLOSED], 22237 + 493);
    assert_int_equal(t.md_sessions.n, 0); /* scanners and proxy abuse, no Outlaw */
    assert_int_equal(t.bad_strings, 0);
    tally_free(&t);
}

static void test_kareiva_gzip_and_stdin(void **state)
{
    (void)state;
    const char *plain = corpus("cowrie_kareiva_2018/cowrie.json.2018-06-13");
    if (access(plain, R_OK) != 0) skip();
    size_t n;
    char *data = read_all(plain, &n);
    gzFile g = gzopen(tmp("c.json.gz"), "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
    gzclose(g);
    free(data);

    tally a, b, c;
    tally_init(&a);
    tally_init(&b);
    tally_init(&c);
    mt_ingest_stats sa, sb, sc;
    assert_int_equal(read_into(plain, NULL, &a, &sa), MT_OK);
    assert_int_equal(read_into(tmp("c.json.gz"), NULL, &b, &sb), MT_OK);
    assert_string_equal(sb.format, "cowrie");
    assert_true(sa.records > 3000);
    assert_int_equal(sa.records, sb.records);
    assert_int_equal(sa.events, sb.events);
    assert_int_equal(a.events, b.events);
    assert_true(a.digest == b.digest);
    assert_int_equal(sa.bytes, sb.bytes);
    /* Standard input, gzipped: the probe's bytes are not lost. */
    FILE *saved = fdopen(dup(0), "r");
    assert_non_null(freopen(tmp("c.json.gz"), "rb", stdin));
    assert_int_equal(read_into("-", NULL, &c, &sc), MT_OK);
    assert_non_null(freopen("/dev/null", "rb", stdin));
    fclose(saved);
    assert_int_equal(sc.records, sa.records);
    assert_true(c.digest == a.digest);
    tally_free(&a);
    tally_free(&b);
    tally_free(&c);
}

static void test_attack_pattern(void **state)
{
    (void)state;
    const char *f1 = corpus("killchain_2023/attack-pattern_2023-11-16.json");
    const char *f2 = corpus("killchain_2023/attack-pattern_2024-02-01.json");
    if (access(f1, R_OK) != 0) skip();
    tally t, u;
    tally_init(&t);
    tally_init(&u);
    mt_ingest_stats st;
    assert_int_equal(read_into(f1, NULL, &t, &st), MT_OK);
    assert_string_equal(st.format, "attack-pattern");
    assert_int_equal(st.records, 12933);
    assert_int_equal(st.used, 12933);
    assert_int_equal(st.malformed + st.unknown, 0);
    assert_int_equal(t.events, 12933);
    assert_int_equal(t.ips.n, 865);
    assert_int_equal(t.by_type[MT_HE_COMMAND], 10907);
    assert_int_equal(t.by_type[MT_HE_DOWNLOAD], 1688);
    assert_int_equal(t.by_type[MT_HE_TCPIP], 338);
    assert_int_equal(t.md_sessions.n, 1627);
    assert_int_equal(t.md_ips.n, 719);
    /* The planted key file, always the same bytes. */
    assert_int_equal(t.key_writes, 1627);
    assert_int_equal(t.key_sha_ok, 1627);

    assert_int_equal(read_into(f2, NULL, &u, &st), MT_OK);
    assert_int_equal(st.records, 11172);
    assert_int_equal(u.events, 11172);
    assert_int_equal(u.ips.n, 45);
    /* Both files into one tally. */
    assert_int_equal(read_into(f2, NULL, &t, &st), MT_OK);
    assert_int_equal(t.md_sessions.n, 1643);
    assert_int_equal(t.md_ips.n, 726);
    assert_int_equal(t.bad_strings, 0);
    tally_free(&t);
    tally_free(&u);
}

static void test_deroux(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        uint64_t records, nproc_days;
    } files[] = {
        {"104.248.245.133_reduced.json", 4053, 61}, {"104.248.253.142_reduced.json", 2697, 77},
        {"104.248.253.81_reduced.json", 2411, 73},  {"combined.json", 2085, 40},
        {"reduced.json", 9161, 80},
    };
    if (access(corpus("deroux_2021/reduced.json"), R_OK) != 0) skip();
    tally all;
    tally_init(&all);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        tally t;
        tally_init(&t);
        mt_ingest_stats st;
        char rel[128];
        snprintf(rel, sizeof rel, "deroux_2021/%s", files[i].file);
        const char *path = corpus(rel);
        assert_int_equal(read_into(path, NULL, &t, &st), MT_OK);
        assert_string_equal(st.format, "daily-top");
        assert_int_equal(st.records, files[i].records);
        assert_int_equal(st.used, files[i].records);
        assert_int_equal(st.malformed + st.unknown, 0);
        assert_int_equal(t.nproc_days.map.n, files[i].nproc_days);
        assert_int_equal(read_into(path, NULL, &all, &st), MT_OK);
        tally_free(&t);
    }
    /* Every file together: still 80 days (reduced.json holds them all);
     * the mdrfckr key in the commands on 81. */
    assert_int_equal(all.nproc_days.map.n, 80);
    assert_int_equal(all.md_days.map.n, 81);
    tally_free(&all);

    /* reduced.json in detail: counts carried, no source but on the lists
     * by source, pre-disconnect commands the command list already counts
     * not delivered twice. */
    tally t;
    tally_init(&t);
    mt_ingest_stats st;
    assert_int_equal(read_into(corpus("deroux_2021/reduced.json"), NULL, &t, &st), MT_OK);
    assert_int_equal(t.by_type[MT_HE_CONNECT], 1465);
    assert_int_equal(t.by_type[MT_HE_LOGIN_FAILED], 1465);
    assert_int_equal(t.by_type[MT_HE_UPLOAD], 149);
    assert_int_equal(t.by_type[MT_HE_DOWNLOAD], 406);
    assert_int_equal(t.by_type[MT_HE_TCPIP], 1422);
    assert_int_equal(t.by_type[MT_HE_CLOSED], 1465);
    assert_int_equal(t.events, st.records - 440);
    assert_int_equal(t.nosrc, 1465 + (t.by_type[MT_HE_COMMAND]) + 406 + 149);
    assert_int_equal(t.sessions.n, 0);
    assert_int_equal(t.md_days.map.n, 81);
    tally_free(&t);

    /* The raw samples are Cowrie logs with client.kex HASSHes. */
    for (int i = 3; i <= 4; i++) {
        tally r;
        tally_init(&r);
        char rel[64];
        snprintf(rel, sizeof rel, "deroux_2021/cowrie.json.2021-05-0%d", i);
        const char *raw = corpus(rel);
        assert_int_equal(read_into(raw, NULL, &r, &st), MT_OK);
        assert_string_equal(st.format, "cowrie");
        assert_int_equal(st.records, 17);
        assert_int_equal(st.malformed, 0);
        assert_int_equal(r.by_type[MT_HE_KEX], 2);
        assert_int_equal(hassh_count(&r, "51cba57125523ce4b9db67714a90bf6e"), 2);
        assert_int_equal(r.by_type[MT_HE_PARAMS], 1);
        assert_int_equal(r.nproc_days.map.n, 1);
        tally_free(&r);
    }
}

/* Every reader's score on the head of one file (64 KiB cut at the last
 * whole line, as the driver shows it): the expected reader is sure, every
 * other one says no. expect NULL: nobody claims it. */
static void check_probes(const char *path, const char *expect)
{
    static const mt_honey_reader *const rs[] = {
        &mt_honey_reader_cowrie, &mt_honey_reader_login_csv, &mt_honey_reader_attack_pattern,
        &mt_honey_reader_authlog, &mt_honey_reader_daily_top};
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char head[65536];
    size_t hn = fread(head, 1, sizeof head, f);
    fclose(f);
    if (hn == sizeof head)
        while (hn > 0 && head[hn - 1] != '\n') hn--;
    for (size_t k = 0; k < sizeof rs / sizeof rs[0]; k++) {
        int sc = rs[k]->probe(head, hn);
        if (expect && strcmp(rs[k]->name, expect) == 0) {
            if (sc < 90) fail_msg("%s: %s scores %d", path, rs[k]->name, sc);
        } else if (sc != 0) {
            fail_msg("%s: %s scores %d", path, rs[k]->name, sc);
        }
    }
}

/* Each honeypot file of the corpus is recognised as its format, and the
 * files beside them (licences, notes) as none; forcing another format makes
 * records malformed rather than misread. */
static void test_probe_corpus(void **state)
{
    (void)state;
    static const char *const dirs[] = {"cowrie_kareiva_2018", "deroux_2021", "killchain_2023"};
    if (access(corpus(dirs[0]), R_OK) != 0) skip();
    int checked = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        DIR *dir = opendir(corpus(dirs[i]));
        assert_non_null(dir);
        struct dirent *e;
        while ((e = readdir(dir))) {
            const char *n = e->d_name;
            if (n[0] == '.') continue;
            const char *expect = NULL;
            if (strncmp(n, "cowrie.json.", 12) == 0) expect = "cowrie";
            else if (strncmp(n, "attack-pattern_", 15) == 0) expect = "attack-pattern";
            else if (strncmp(n, "iocs_merged_", 12) == 0) expect = "login-csv";
            else if (strstr(n, ".json")) expect = "daily-top";
            char rel[512];
            snprintf(rel, sizeof rel, "%s/%s", dirs[i], n);
            check_probes(corpus(rel), expect);
            checked++;
        }
        closedir(dir);
    }
    assert_int_equal(checked, 56 + 8 + 4);
    /* Through the driver: the format named, or an error naming the file. */
    static const struct {
        const char *file, *format;
    } files[] = {
        {"cowrie_kareiva_2018/cowrie.json.2018-06-16", "cowrie"},
        {"deroux_2021/cowrie.json.2021-05-03", "cowrie"},
        {"killchain_2023/attack-pattern_2024-02-01.json", "attack-pattern"},
        {"deroux_2021/combined.json", "daily-top"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        tally t;
        tally_init(&t);
        mt_ingest_stats st;
        assert_int_equal(read_into(corpus(files[i].file), NULL, &t, &st), MT_OK);
        assert_string_equal(st.format, files[i].format);
        tally_free(&t);
    }
    /* An sshd log recorded for the authlog tests (in the repository). */
    const char *src = getenv("MT_SRC");
    if (src) {
        char p[1024];
        snprintf(p, sizeof p, "%s/tests/data/botnet/authlog/auth.log", src);
        tally a;
        tally_init(&a);
        mt_ingest_stats sa;
        assert_int_equal(read_into(p, NULL, &a, &sa), MT_OK);
        assert_string_equal(sa.format, "authlog");
        assert_true(a.events > 0);
        tally_free(&a);
    }
    /* Forced: a pretty-printed document read as Cowrie lines. */
    tally t;
    tally_init(&t);
    mt_ingest_stats st;
    mt_honey_opts o = {0};
    o.format = "cowrie";
    assert_int_equal(read_into(corpus("killchain_2023/attack-pattern_2024-02-01.json"), &o, &t, &st),
                     MT_OK);
    assert_string_equal(st.format, "cowrie");
    assert_true(st.records > 50000);
    assert_int_equal(st.malformed, st.records);
    assert_int_equal(t.events, 0);
    assert_int_equal(st.malformed_lines[0], 1);
    /* A Cowrie log read as a document. */
    o.format = "attack-pattern";
    assert_int_equal(read_into(corpus("cowrie_kareiva_2018/cowrie.json.2018-05-06"), &o, &t, &st),
                     MT_EINVAL);
    assert_non_null(strstr(st.error, "cowrie.json.2018-05-06: line 2: not an attack-pattern object"));
    /* An unknown name. */
    o.format = "elk";
    assert_int_equal(read_into(corpus("deroux_2021/reduced.json"), &o, &t, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "unknown honeypot log format 'elk'"));
    assert_non_null(strstr(st.error, "cowrie, login-csv, attack-pattern, authlog, daily-top"));
    /* Something else altogether: the error names the file. */
    assert_int_equal(read_into(corpus("README.md"), NULL, &t, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "README.md: not a honeypot or authentication log"));
    assert_int_equal(read_into(corpus("deroux_2021/LICENSE"), NULL, &t, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "LICENSE: not a honeypot or authentication log"));
    tally_free(&t);
}

/* ---- synthetic Cowrie lines: drift and hostility ---------------------------------- */

typedef struct keep {
    int n;
    mt_honey_event ev[32];
    char text[32][128];
    size_t text_n[32];
} keep;

static void on_keep(void *ctx, const mt_honey_event *ev)
{
    keep *k = ctx;
    if (k->n >= 32) return;
    k->ev[k->n] = *ev;
    size_t n = ev->text.n < sizeof k->text[0] ? ev->text.n : sizeof k->text[0];
    if (n) memcpy(k->text[k->n], ev->text.p, n);
    k->text_n[k->n] = n;
    k->ev[k->n].text.p = NULL; /* the line's buffer is gone after the call */
    k->n++;
}

/* Runs one Cowrie line through the reader directly. */
static int one_line(const char *line, keep *k, char *unk, size_t unk_cap)
{
    static void *st;
    if (!st) st = mt_honey_reader_cowrie.begin("test", NULL);
    memset(k, 0, sizeof *k);
    mt_honey_sink s = {on_keep, k};
    return mt_honey_reader_cowrie.line(st, line, strlen(line), &s, unk, unk_cap);
}

#define TS "\"timestamp\":\"2018-05-06T17:44:05.866769Z\""
#define SRC "\"src_ip\":\"88.223.26.58\",\"session\":\"173332e506ca\""

static void test_cowrie_drift(void **state)
{
    (void)state;
    keep k;
    char unk[48];
    /* Telnet told by `system` when `protocol` is missing; ports as floats. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.connect\"," TS "," SRC
                              ",\"src_port\":52577.0,\"dst_port\":2223,\"system\":\"CowrieTelnetTransport,1,88.223.26.58\"}",
                              &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.ev[0].type, MT_HE_CONNECT);
    assert_int_equal(k.ev[0].protocol, MT_HP_TELNET);
    assert_int_equal(k.ev[0].src_port, 52577);
    assert_int_equal(k.ev[0].dst_port, 2223);
    assert_true(k.ev[0].ts == 1525628645866769LL);
    /* A Python bytes repr around the version; current kex with its hassh. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.client.version\",\"version\":\"b'SSH-2.0-Go'\","
                              "\"message\":[\"a\",1]," TS "," SRC "}", &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.text_n[0], 10);
    assert_memory_equal(k.text[0], "SSH-2.0-Go", 10);
    assert_int_equal(k.ev[0].protocol, MT_HP_SSH);
    /* Kex lists inside client.version (2017-2018): HASSH computed. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.client.version\",\"version\":\"SSH-2.0-x\","
                              "\"kexAlgs\":[\"a\",\"b\"],\"encCS\":[\"c\"],\"macCS\":[\"d\",\"e\"],"
                              "\"compCS\":[\"none\"]," TS "," SRC "}", &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.n, 2);
    assert_int_equal(k.ev[1].type, MT_HE_KEX);
    char want[33];
    assert_int_equal(mt_digest_hex(MT_DIGEST_MD5, "a,b;c;d,e;none", 14, want), MT_OK);
    assert_int_equal(k.text_n[1], 32);
    assert_memory_equal(k.text[1], want, 32);
    /* duration in float seconds, duration_ms as an integer. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.closed\",\"duration\":0.0731," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_true(k.ev[0].duration_ms == 73);
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.closed\",\"duration_ms\":1234," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_true(k.ev[0].duration_ms == 1234);
    /* unique false and duplicate true both mark a duplicate; a redirection
     * to /dev/null is a path with no URL; outfile gives the hash. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.file_download\",\"url\":\"/dev/null\","
                              "\"outfile\":\"dl/9cc38c074833ea871c81324d0b55efe66e71a301d6c24cbed745b9a33f3dccc5\","
                              "\"unique\":false," TS "," SRC "}", &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.ev[0].type, MT_HE_DOWNLOAD);
    assert_true(k.ev[0].flags & MT_HEF_DUPLICATE);
    assert_int_equal(k.ev[0].url.n, 0);
    assert_int_equal(k.ev[0].path.n, 9);
    assert_int_equal(k.ev[0].sha256.n, 64);
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.file_download\",\"duplicate\":true,"
                              "\"shasum\":\"ab\",\"destfile\":\"/root/.ssh/authorized_keys\"," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_true(k.ev[0].flags & MT_HEF_DUPLICATE);
    assert_int_equal(k.ev[0].url.n, 0);
    assert_int_equal(k.ev[0].path.n, 26);
    assert_int_equal(one_line("{\"eventid\":\"cowrie.session.file_download.failed\",\"url\":\"http://h/x\","
                              TS "," SRC "}", &k, unk, sizeof unk), MT_OK);
    assert_true(k.ev[0].flags & MT_HEF_FAILED);
    assert_int_equal(k.ev[0].url.n, 10);
    /* Public-key login: fingerprint, no password. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.login.success\",\"username\":\"root\","
                              "\"fingerprint\":\"aa:bb\",\"type\":\"ssh-rsa\"," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.ev[0].type, MT_HE_LOGIN_SUCCESS);
    assert_null(k.ev[0].pass.p);
    assert_int_equal(k.ev[0].key.n, 5);
    /* "\u0000" inside a command: the span keeps the NUL byte. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.command.input\",\"input\":\"a\\u0000b\\n\"," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.text_n[0], 4);
    assert_memory_equal(k.text[0], "a\0b\n", 4);
    /* Known but unused eventids are unknown by name; so are foreign ones. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.client.size\",\"width\":80," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_ENOTFOUND);
    assert_string_equal(unk, "cowrie.client.size");
    assert_int_equal(one_line("{\"eventid\":\"dionaea.x\\u001b[2J\"," TS "," SRC "}", &k, unk, sizeof unk),
                     MT_ENOTFOUND);
    assert_string_equal(unk, "dionaea.x?[2J");
    assert_int_equal(k.n, 0);
    /* No src_ip: delivered as without a source. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.command.input\",\"input\":\"w\"," TS "}", &k, unk,
                              sizeof unk), MT_OK);
    assert_true(k.ev[0].flags & MT_HEF_NOSRC);
}

static void test_cowrie_hostile(void **state)
{
    (void)state;
    keep k;
    char unk[48];
    static const char *const bad[] = {
        "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC, /* truncated */
        "{\"eventid\":\"cowrie.session.connect\",\"timestamp\":\"2018-02-30T10:00:00Z\"," SRC "}",
        "{\"eventid\":\"cowrie.session.connect\",\"timestamp\":\"2018-05-06T25:00:00Z\"," SRC "}",
        "{\"eventid\":\"cowrie.session.connect\",\"timestamp\":\"2018-05-06T10:61:00Z\"," SRC "}",
        "{\"eventid\":\"cowrie.session.connect\",\"timestamp\":\"99999999999\"," SRC "}",
        "{\"eventid\":\"cowrie.session.connect\",\"timestamp\":12," SRC "}",
        "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC ",\"src_port\":1e400}",
        "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC ",\"src_port\":70000}",
        "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC ",\"src_port\":-1}",
        "{\"eventid\":\"cowrie.session.closed\"," TS "," SRC ",\"duration\":1e308}",
        "{\"eventid\":\"cowrie.session.closed\"," TS "," SRC ",\"duration_ms\":99999999999999999999999}",
        "{\"eventid\":\"cowrie.session.closed\"," TS "," SRC ",\"duration\":\"long\"}",
        "{\"eventid\":\"cowrie.session.connect\"," TS ",\"src_ip\":\"999.1.1.1\"}",
        "{\"eventid\":\"cowrie.session.connect\"," TS ",\"src_ip\":[\"1.2.3.4\"]}",
        "{\"eventid\":7," TS "," SRC "}",
        "{\"eventid\":\"cowrie.command.input\",\"input\":{\"a\":1}," TS "," SRC "}",
        "{\"eventid\":\"cowrie.client.kex\"," TS "," SRC "}",
        "{\"eventid\":\"cowrie.client.version\",\"kexAlgs\":[1,2]," TS "," SRC "}",
        "[\"cowrie.session.connect\"]",
        "cowrie.session.connect 1.2.3.4",
        "\x00\x01\x02\xff",
        "{\"eventid\":\"cowrie.session.connect\"\x00," TS "}",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = one_line(bad[i], &k, unk, sizeof unk);
        if (rc != MT_EINVAL) fail_msg("line %zu: rc %d", i, rc);
        assert_int_equal(k.n, 0);
    }
    /* 200 levels of nesting, inside an otherwise good line. */
    char deep[1024];
    int w = snprintf(deep, sizeof deep, "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC ",\"x\":");
    for (int i = 0; i < 200; i++) deep[w++] = '[';
    for (int i = 0; i < 200; i++) deep[w++] = ']';
    deep[w++] = '}';
    deep[w] = '\0';
    assert_int_equal(one_line(deep, &k, unk, sizeof unk), MT_EINVAL);
    /* Raw control bytes inside strings are taken as they are. */
    assert_int_equal(one_line("{\"eventid\":\"cowrie.command.input\",\"input\":\"a\x01\x1b[2Jb\"," TS "," SRC "}",
                              &k, unk, sizeof unk), MT_OK);
    assert_int_equal(k.text_n[0], 7);
}

/* The same as a file: counts, line numbers, a line over max_line, blank
 * lines, and a first line longer than the 64 KiB the probe sees. */
static void test_cowrie_file(void **state)
{
    (void)state;
    size_t big = 100000;
    char *s = malloc(big + 4096);
    assert_non_null(s);
    int w = sprintf(s, "{\"eventid\":\"cowrie.command.input\"," TS "," SRC ",\"input\":\"");
    memset(s + w, 'x', big);
    w += (int)big;
    w += sprintf(s + w, "\"}\n\n"
                        "{\"eventid\":\"cowrie.login.failed\",\"username\":\"nproc\",\"password\":\"nproc\"," TS "," SRC "}\n"
                        "{\"eventid\":\"cowrie.login.failed\",\"timestamp\":\"2018-13-01T00:00:00Z\"}\n"
                        "   \r\n"
                        "{\"eventid\":\"cowrie.client.size\"," TS "}\r\n"
                        "{\"eventid\":\"cowrie.session.connect\"," TS "," SRC "");
    write_file(tmp("h.json"), s, (size_t)w);
    free(s);
    tally t;
    tally_init(&t);
    mt_ingest_stats st;
    assert_int_equal(read_into(tmp("h.json"), NULL, &t, &st), MT_OK);
    assert_string_equal(st.format, "cowrie");
    assert_int_equal(st.records, 5);
    assert_int_equal(st.used, 2);
    assert_int_equal(st.unknown, 1);
    assert_int_equal(st.malformed, 2);
    assert_int_equal(st.n_malformed_lines, 2);
    assert_int_equal(st.malformed_lines[0], 4);
    assert_int_equal(st.malformed_lines[1], 7);
    assert_int_equal(t.nproc_days.map.n, 1);
    /* With lines cut at 1000 bytes the long one is too long. */
    mt_honey_opts o = {0};
    o.max_line = 1000;
    assert_int_equal(read_into(tmp("h.json"), &o, &t, &st), MT_OK);
    assert_int_equal(st.too_long, 1);
    assert_int_equal(st.malformed, 3);
    assert_int_equal(st.malformed_lines[0], 1);
    /* Empty and missing inputs. */
    write_str(tmp("empty.json"), "\n  \n");
    assert_int_equal(read_into(tmp("empty.json"), NULL, &t, &st), MT_OK);
    assert_string_equal(st.format, "empty");
    assert_int_equal(st.records, 0);
    assert_int_equal(read_into(tmp("none.json"), NULL, &t, &st), MT_EIO);
    assert_non_null(strstr(st.error, "none.json"));
    tally_free(&t);
}

/* ---- documents: truncated, too large, hostile -------------------------------------- */

static const char ap_doc[] =
    "{\n"
    "    \"198.51.100.7\": [\n"
    "        {\n"
    "            \"timestamp\": \"2023-11-05T01:48:52.248601Z\",\n"
    "            \"event\": \"command_input\",\n"
    "            \"input\": \"uname -a\",\n"
    "            \"session\": \"e4c5fd9d8965\"\n"
    "        },\n"
    "        {\n"
    "            \"timestamp\": \"2023-11-05T01:48:53.000001Z\",\n"
    "            \"event\": \"file_download\",\n"
    "            \"details\": \"File downloaded: unknown (SHA-256: 01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b)\",\n"
    "            \"session\": \"e4c5fd9d8965\"\n"
    "        },\n"
    "        {\n"
    "            \"timestamp\": \"2023-11-05T01:48:54Z\",\n"
    "            \"event\": \"login_attempt\",\n"
    "            \"session\": \"e4c5fd9d8965\"\n"
    "        }\n"
    "    ],\n"
    "    \"not-an-ip\": [\n"
    "        {\"timestamp\": \"2023-11-05T01:48:52Z\", \"event\": \"command_input\", \"input\": \"w\", \"session\": \"x\"}\n"
    "    ],\n"
    "    \"2001:db8::5\": [\n"
    "        {\"timestamp\": \"2023-11-05T01:49:00Z\", \"event\": \"direct_tcpip_data\", \"details\": \"TCP/IP Data: b'GET / HTTP/1.1\\\\r\\\\n'\", \"session\": \"y\"},\n"
    "        {\"timestamp\": \"2023-11-31T01:49:00Z\", \"event\": \"command_input\", \"input\": \"w\", \"session\": \"y\"},\n"
    "        {\"timestamp\": \"2023-11-05T01:49:01Z\", \"event\": \"command_input\", \"input\": \"echo ok\", \"session\": \"y\"}\n"
    "    ]\n"
    "}\n";

static void test_attack_pattern_synthetic(void **state)
{
    (void)state;
    write_str(tmp("ap.json"), ap_doc);
    keep k;
    memset(&k, 0, sizeof k);
    mt_honey_sink sink = {on_keep, &k};
    mt_ingest_stats st;
    assert_int_equal(mt_honey_read_file(tmp("ap.json"), NULL, &sink, &st), MT_OK);
    assert_string_equal(st.format, "attack-pattern");
    assert_int_equal(st.records, 7);
    assert_int_equal(st.used, 4);
    assert_int_equal(st.unknown, 1);
    assert_string_equal(st.unknown_names[0].name, "login_attempt");
    assert_int_equal(st.malformed, 2);
    assert_int_equal(st.malformed_lines[0], 21); /* the key that is no address */
    assert_int_equal(st.malformed_lines[1], 26); /* 31 November */
    assert_int_equal(k.n, 4);
    assert_int_equal(k.ev[1].type, MT_HE_DOWNLOAD);
    assert_int_equal(k.ev[1].path.n, 0); /* "unknown" */
    assert_int_equal(k.ev[1].sha256.n, 64);
    assert_int_equal(k.ev[2].type, MT_HE_TCPIP);
    assert_int_equal(k.text_n[2], 21); /* b'GET / HTTP/1.1\\r\\n', the repr as written */
    assert_int_equal(k.ev[2].src.family, 6);

    /* Cut in the middle of the third IP's array: what was complete is read,
     * and the input is reported truncated at its last line. */
    size_t cut = strstr(ap_doc, "\"2023-11-31") - ap_doc;
    write_file(tmp("ap_cut.json"), ap_doc, cut);
    memset(&k, 0, sizeof k);
    assert_int_equal(mt_honey_read_file(tmp("ap_cut.json"), NULL, &sink, &st), MT_ETRUNC);
    assert_int_equal(k.n, 3);
    assert_non_null(strstr(st.error, "ap_cut.json: line 26:"));
    /* A gzip stream cut short: the stream's failure is what is reported,
     * after the complete events. */
    gzFile g = gzopen(tmp("ap.json.gz"), "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, ap_doc, sizeof ap_doc - 1), (int)(sizeof ap_doc - 1));
    gzclose(g);
    size_t gn;
    char *gz = read_all(tmp("ap.json.gz"), &gn);
    write_file(tmp("ap_cut.json.gz"), gz, gn * 3 / 4);
    free(gz);
    memset(&k, 0, sizeof k);
    assert_int_equal(mt_honey_read_file(tmp("ap_cut.json.gz"), NULL, &sink, &st), MT_ETRUNC);
    assert_string_equal(st.format, "attack-pattern");
    assert_non_null(strstr(st.error, "input truncated after byte"));
    assert_non_null(strstr(st.error, "ap_cut.json.gz"));
    assert_true(st.records >= 1 && k.n >= 1);
    /* Larger than max_document. */
    mt_honey_opts o = {0};
    o.max_document = 100;
    assert_int_equal(mt_honey_read_file(tmp("ap.json"), &o, &sink, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "ap.json: attack-pattern is read whole"));
    /* Garbage in the middle: nothing readable, the line named. */
    char *bad = strdup(ap_doc);
    bad[strstr(bad, "\"event\": \"file_download\"") - bad + 8] = '}';
    write_str(tmp("ap_bad.json"), bad);
    free(bad);
    assert_int_equal(mt_honey_read_file(tmp("ap_bad.json"), NULL, &sink, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "ap_bad.json: line 11: not an attack-pattern object"));
    /* Deep nesting as a document. */
    char deep[512];
    int w = snprintf(deep, sizeof deep, "{\"198.51.100.7\": [{\"event\": \"command_input\", \"x\": ");
    for (int i = 0; i < 100; i++) deep[w++] = '[';
    deep[w] = '\0';
    write_str(tmp("ap_deep.json"), deep);
    assert_int_equal(mt_honey_read_file(tmp("ap_deep.json"), NULL, &sink, &st), MT_EINVAL);
    assert_non_null(strstr(st.error, "ap_deep.json: line 1:"));
}

static const char dt_doc[] =
    "[\n"
    "{\n"
    "  \"date\": \"2021-06-16\",\n"
    "  \"sensor\": \"s1\",\n"
    "  \"passwords\": [\n"
    "    {\"username\": \"nproc\", \"password\": \"nproc\", \"count\": 735},\n"
    "    {\"username\": \"root\", \"password\": \"1234\", \"count\": 0},\n"
    "    {\"username\": \"root\", \"password\": \"x\", \"count\": 1e30}\n"
    "  ],\n"
    "  \"commands\": [{\"input\": \"uname -a\", \"count\": 639}],\n"
    "  \"pre_disconnect_command\": [{\"input\": \"uname -a\", \"count\": 5}, {\"input\": \"w\", \"count\": 2.0}],\n"
    "  \"connect\": [{\"src_ip\": \"203.0.113.9\", \"dst_port\": 2222, \"count\": 12}, {\"dst_port\": 22, \"count\": 1}],\n"
    "  \"file_download\": [{\"url\": null, \"outfile\": \"var/lib/cowrie/downloads/9b7e4cd4144e60e552cdb6cfab759dd44a947c7acfe5c141d2b982bb5861a53d\", \"scans\": {\"positives\": null}, \"count\": 1}],\n"
    "  \"file_upload\": [{\"filename\": \"dota3.tar.gz\", \"src_ip\": \"203.0.113.10\", \"count\": 14}],\n"
    "  \"proxy_request\": [{\"src_ip\": \"203.0.113.11\", \"dst_ip\": \"ya.ru\", \"dst_port\": 80, \"count\": 3}],\n"
    "  \"ssh_keys\": [{\"key\": \"k\", \"count\": 1}, {\"key\": \"l\", \"count\": 1}]\n"
    "},\n"
    "[{\"date\": \"2021-06-17\", \"sensor\": \"s1\", \"passwords\": [{\"username\": \"nproc\", \"password\": \"nproc\", \"count\": 7}]}, []],\n"
    "{\"date\": \"2021-06-31\", \"sensor\": \"s1\", \"commands\": [{\"input\": \"w\", \"count\": 1}]},\n"
    "17\n"
    "]\n";

static void test_daily_top_synthetic(void **state)
{
    (void)state;
    write_str(tmp("dt.json"), dt_doc);
    tally t;
    tally_init(&t);
    mt_ingest_stats st;
    assert_int_equal(read_into(tmp("dt.json"), NULL, &t, &st), MT_OK);
    assert_string_equal(st.format, "daily-top");
    /* 3 passwords, 1 command, 2 pre-disconnect, 2 connect, 1 download,
     * 1 upload, 1 proxy, 2 ssh_keys; 1 in the nested day, 1 on 31 June;
     * the 17. */
    assert_int_equal(st.records, 16);
    assert_int_equal(st.unknown, 2);
    assert_string_equal(st.unknown_names[0].name, "ssh_keys");
    /* count 0, count 1e30, connect without src_ip, 31 June, 17 */
    assert_int_equal(st.malformed, 5);
    assert_int_equal(st.malformed_lines[0], 7);
    assert_int_equal(st.malformed_lines[1], 8);
    assert_int_equal(st.malformed_lines[2], 12);
    assert_int_equal(st.malformed_lines[3], 19);
    assert_int_equal(st.malformed_lines[4], 20);
    assert_int_equal(st.used, 9);
    /* "uname -a" before disconnecting is already in the command list. */
    assert_int_equal(t.events, 8);
    assert_int_equal(t.by_type[MT_HE_COMMAND], 2);
    assert_int_equal(t.nproc_days.map.n, 2);
    assert_int_equal(t.count_sum, 735 + 639 + 2 + 12 + 1 + 14 + 3 + 7);
    assert_int_equal(t.ips.n, 3);
    assert_int_equal(t.nosrc, 5); /* 2 logins, 2 commands, the download */
    tally_free(&t);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mt_test_honey_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kareiva),
        cmocka_unit_test(test_kareiva_gzip_and_stdin),
        cmocka_unit_test(test_attack_pattern),
        cmocka_unit_test(test_deroux),
        cmocka_unit_test(test_probe_corpus),
        cmocka_unit_test(test_cowrie_drift),
        cmocka_unit_test(test_cowrie_hostile),
        cmocka_unit_test(test_cowrie_file),
        cmocka_unit_test(test_attack_pattern_synthetic),
        cmocka_unit_test(test_daily_top_synthetic),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
