/* The static script/HTML analyser (jsscan.h).
 *
 * One Hyperscan pass over the text finds three things at once: the trigger
 * literals of the YARA rules (a rule's `prefilter` meta, else its plain
 * strings), the marks of the packers unpack.c knows, and the places where
 * references start (<script, new Worker(, WebSocket(, "wss://, .wasm).
 * Only when a trigger fired does YARA run, with the rules whose triggers
 * fired enabled; the key of a matched rule is then read by C code from the
 * text after the rule's $k* string. Packed constructs are unpacked into a
 * scanner-owned arena and the output goes through the same steps, bounded
 * in depth, count, bytes and time. */
#include "web/jsscan.h"

#include <hs/hs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yara.h>

#include "minetrace/common.h"
#include "minetrace/intel.h"
#include "web/unpack.h"

extern const char mt_web_rules_text[];

enum { SHAPE_NONE, SHAPE_ALNUM32, SHAPE_HEX32, SHAPE_HEX44, SHAPE_HEX64, SHAPE_WMP, SHAPE_ALNUM24,
       SHAPE_WALLET, SHAPE_TOKEN, SHAPE_PATHSEG };

/* Bounds of the unpacking: nesting, constructs per text, bytes per
 * construct and per text (the arena), and wall time per text. */
#define UNPACK_DEPTH 4
#define UNPACK_MAX 64
#define UNPACK_CAP (2u << 20)
#define ARENA_SIZE (8u << 20)
#define UNPACK_NS 100000000LL
#define MAX_PACKS 64  /* packer marks kept per layer */
#define MAX_REFPOS 512 /* reference marks kept per layer */
#define MATCHES_PER_STRING 16
#define YARA_MARGIN (16u << 10) /* bytes YARA reads on each side of the triggers */

typedef struct rule_info {
    const char *provider, *kind, *desc, *key_after;
    int conf, key_arg, shape, need_key, key_line, builtin, always;
    const char *name;
} rule_info;

enum { PT_TRIG, PT_PACK, PT_REF };
enum { RF_SCRIPT_TAG = 1, RF_IFRAME_TAG, RF_WORKER, RF_WEBSOCKET, RF_WSLIT, RF_WASM, RF_IMPORT };

typedef struct pat {
    unsigned char type, sub;
    uint32_t rule;
} pat;

typedef struct mark {
    unsigned char kind;
    uint32_t end;
} mark;

struct mt_jsscan {
    YR_RULES *rules;
    YR_SCANNER *scanner;
    rule_info *ri;
    uint32_t nrules;
    unsigned char *fired; /* per rule, this layer */
    int any_always;
    hs_database_t *db;
    hs_scratch_t *scratch;
    pat *pats;
    /* this layer's marks */
    mark packs[MAX_PACKS];
    size_t npacks;
    mark refpos[MAX_REFPOS];
    size_t nrefpos;
    int fired_any;
    size_t trig_lo, trig_hi; /* first and last trigger end in this layer */
    int any_user;            /* user rules run over the whole text */
    /* this call */
    const char *text;
    size_t n, span_lo;
    int depth, pack_kind;
    uint32_t outer_off;
    mt_web_hit *hits;
    size_t max, count;
    mt_web_refs *refs;
    unsigned unpacks;
    struct timespec t0;
    int timed_out;
    /* dedup of (rule, key) within a call */
    struct { uint32_t rule; char key[MT_WEB_KEY_MAX]; } seen[64];
    size_t nseen;
    char *arena;
    size_t arena_used;
    mt_unpack_work work;
    mt_jsscan_stats st;
};

/* ---------- setup ---------- */

typedef struct compile_err {
    char msg[512];
    int n;
} compile_err;

static void compiler_cb(int level, const char *file, int line, const YR_RULE *rule, const char *msg, void *ud)
{
    compile_err *e = ud;
    if (level != YARA_ERROR_LEVEL_ERROR || e->n++) return;
    snprintf(e->msg, sizeof e->msg, "%s:%d: %s", file ? file : "web_miners.yar", line, msg);
}

static int shape_of(const char *s)
{
    static const struct { const char *n; int v; } t[] = {
        {"alnum32", SHAPE_ALNUM32}, {"hex32", SHAPE_HEX32}, {"hex44", SHAPE_HEX44}, {"hex64", SHAPE_HEX64},
        {"wmp", SHAPE_WMP}, {"alnum24", SHAPE_ALNUM24}, {"wallet", SHAPE_WALLET}, {"token", SHAPE_TOKEN},
        {"pathseg", SHAPE_PATHSEG}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].n) == 0) return t[i].v;
    return SHAPE_NONE;
}

/* A literal as a Hyperscan expression: every byte that is not a letter or
 * digit escaped as \xHH. */
static char *hs_escape(const char *s, size_t n)
{
    char *o = mt_xmalloc(n * 4 + 1), *p = o;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) *p++ = (char)c;
        else p += sprintf(p, "\\x%02x", c);
    }
    *p = 0;
    return o;
}

typedef struct patlist {
    char **expr;
    unsigned *flags, *ids;
    pat *pats;
    size_t n, cap;
} patlist;

static void add_pat(patlist *l, char *expr, unsigned flags, pat p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->expr = mt_xrealloc(l->expr, l->cap * sizeof *l->expr);
        l->flags = mt_xrealloc(l->flags, l->cap * sizeof *l->flags);
        l->ids = mt_xrealloc(l->ids, l->cap * sizeof *l->ids);
        l->pats = mt_xrealloc(l->pats, l->cap * sizeof *l->pats);
    }
    l->expr[l->n] = expr;
    l->flags[l->n] = flags;
    l->ids[l->n] = (unsigned)l->n;
    l->pats[l->n] = p;
    l->n++;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mt_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

static const struct { unsigned char type, sub; const char *re; unsigned flags; } fixed_pats[] = {
    {PT_PACK, MT_PACK_EVAL, "function\\s*\\(\\s*p\\s*,\\s*a\\s*,\\s*c\\s*,\\s*k\\s*,\\s*e\\s*[,)]", 0},
    {PT_PACK, MT_PACK_ATOB, "\\batob\\s*\\(", 0},
    {PT_PACK, MT_PACK_STRARRAY, "_0x[0-9a-fA-F]{2,8}\\s*=\\s*\\[\\s*['\"]", 0},
    {PT_PACK, MT_PACK_CHARCODE, "fromCharCode", 0},
    {PT_PACK, MT_PACK_ESCSTR, "['\"](\\\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})){8}", 0},
    {PT_REF, RF_SCRIPT_TAG, "<script", HS_FLAG_CASELESS},
    {PT_REF, RF_IFRAME_TAG, "<iframe", HS_FLAG_CASELESS},
    {PT_REF, RF_WORKER, "Worker\\s*\\(", 0},
    {PT_REF, RF_WEBSOCKET, "WebSocket\\s*\\(", 0},
    {PT_REF, RF_WSLIT, "['\"`]wss?://", HS_FLAG_CASELESS},
    {PT_REF, RF_WASM, "\\.wasm", HS_FLAG_CASELESS},
    {PT_REF, RF_IMPORT, "importScripts\\s*\\(", 0},
};

static const char *meta_str(const YR_RULE *rule, const char *id)
{
    const YR_META *m;
    yr_rule_metas_foreach(rule, m)
    {
        if (m->type == META_TYPE_STRING && strcmp(m->identifier, id) == 0) return m->string;
    }
    return NULL;
}

static int meta_int(const YR_RULE *rule, const char *id, int dflt)
{
    const YR_META *m;
    yr_rule_metas_foreach(rule, m)
    {
        if ((m->type == META_TYPE_INTEGER || m->type == META_TYPE_BOOLEAN) && strcmp(m->identifier, id) == 0)
            return (int)m->integer;
    }
    return dflt;
}

/* A hit's provider and kind are static strings (jsscan.h), so they stay
 * valid after mt_jsscan_free: a rule's meta value is mapped to the
 * literal of the same name, and a value outside the known names to the
 * default ("unknown" for providers, "yara" for kinds). */
static const char *static_name(const char *s, const char *dflt)
{
    static const char *const names[] = {
        "coinhive", "authedmine", "cryptoloot", "coinimp", "webminepool", "webminerpool", "jsecoin",
        "deepminer", "cryptonoter", "minero", "ppoi", "mineralt", "unknown", "api", "config", "captcha",
        "websocket", "packed", "pool", "wordpress", "ducktype", "yara"};
    if (!s) return dflt;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) return names[i];
    return dflt;
}

static int build_prefilter(mt_jsscan *s)
{
    patlist l = {0};
    int rc = MT_OK;
    for (size_t i = 0; i < sizeof fixed_pats / sizeof fixed_pats[0]; i++)
        add_pat(&l, xstrdup(fixed_pats[i].re), fixed_pats[i].flags, (pat){fixed_pats[i].type, fixed_pats[i].sub, 0});
    YR_RULE *rule;
    uint32_t idx = 0;
    yr_rules_foreach(s->rules, rule)
    {
        rule_info *ri = &s->ri[idx];
        static const char *const metas[2] = {"prefilter", "prefilter_nocase"};
        int has_pf = 0;
        size_t added = 0;
        for (int m = 0; m < 2; m++) {
            const char *p = meta_str(rule, metas[m]);
            if (!p) continue;
            has_pf = 1;
            unsigned fl = m ? HS_FLAG_CASELESS : 0;
            while (*p) {
                const char *e = strchr(p, '|');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                if (len > 3 && memcmp(p, "re:", 3) == 0) {
                    /* A regex runs to the end of the meta: it may hold '|'. */
                    add_pat(&l, xstrdup(p + 3), fl, (pat){PT_TRIG, 0, idx});
                    added++;
                    break;
                }
                if (len) {
                    add_pat(&l, hs_escape(p, len), fl, (pat){PT_TRIG, 0, idx});
                    added++;
                }
                if (!e) break;
                p = e + 1;
            }
        }
        if (has_pf) {
        } else {
            const YR_STRING *str;
            int all_literal = 1;
            yr_rule_strings_foreach(rule, str)
            {
                if (!(str->flags & STRING_FLAGS_LITERAL) || str->length < 3) all_literal = 0;
            }
            /* A rule can only fire when one of its strings occurs; if one
             * of them is no plain literal that guarantee needs a meta. */
            if (all_literal) {
                yr_rule_strings_foreach(rule, str)
                {
                    add_pat(&l, hs_escape((const char *)str->string, (size_t)str->length),
                            (str->flags & STRING_FLAGS_NO_CASE) ? HS_FLAG_CASELESS : 0,
                            (pat){PT_TRIG, 0, idx});
                    added++;
                }
            }
        }
        if (!added || (rule->flags & RULE_FLAGS_GLOBAL)) {
            ri->always = 1;
            s->any_always = 1;
        }
        idx++;
    }
    hs_compile_error_t *err = NULL;
    if (hs_compile_multi((const char *const *)l.expr, l.flags, l.ids, (unsigned)l.n, HS_MODE_BLOCK, NULL, &s->db,
                         &err) != HS_SUCCESS) {
        rc = mt_error_set(MT_EINVAL, "web rules: prefilter pattern %d does not compile: %s",
                          err ? err->expression : -1, err ? err->message : "?");
        hs_free_compile_error(err);
    } else if (hs_alloc_scratch(s->db, &s->scratch) != HS_SUCCESS) {
        rc = mt_error_set(MT_ENOMEM, "web rules: no Hyperscan scratch");
    }
    for (size_t i = 0; i < l.n; i++) free(l.expr[i]);
    free(l.expr);
    free(l.flags);
    free(l.ids);
    s->pats = l.pats;
    return rc;
}

static int yara_cb(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *ud);

/* yr_initialize/yr_finalize count their callers without a lock; scanners
 * are made and freed per thread, so the count is kept under one. */
static pthread_mutex_t yara_lock = PTHREAD_MUTEX_INITIALIZER;

static int yara_init(void)
{
    pthread_mutex_lock(&yara_lock);
    int rc = yr_initialize();
    pthread_mutex_unlock(&yara_lock);
    return rc;
}

static void yara_fini(void)
{
    pthread_mutex_lock(&yara_lock);
    yr_finalize();
    pthread_mutex_unlock(&yara_lock);
}

mt_jsscan *mt_jsscan_new(const char *extra_yara_path)
{
    if (yara_init() != ERROR_SUCCESS) {
        mt_error_set(MT_ERR, "YARA does not initialise");
        return NULL;
    }
    mt_jsscan *s = mt_xcalloc(1, sizeof *s);
    YR_COMPILER *c = NULL;
    compile_err e = {{0}, 0};
    if (yr_compiler_create(&c) != ERROR_SUCCESS) goto fail_msg;
    yr_compiler_set_callback(c, compiler_cb, &e);
    if (yr_compiler_add_string(c, mt_web_rules_text, "minetrace") != 0) {
        mt_error_set(MT_EINVAL, "built-in web rules: %s", e.msg);
        goto fail;
    }
    if (extra_yara_path) {
        FILE *f = fopen(extra_yara_path, "r");
        if (!f) {
            mt_error_set(MT_EIO, "%s: cannot open YARA rules", extra_yara_path);
            goto fail;
        }
        int errs = yr_compiler_add_file(c, f, "user", extra_yara_path);
        fclose(f);
        if (errs) {
            mt_error_set(MT_EINVAL, "YARA rules %s", e.msg);
            goto fail;
        }
    }
    if (yr_compiler_get_rules(c, &s->rules) != ERROR_SUCCESS) goto fail_msg;
    yr_compiler_destroy(c);
    c = NULL;

    YR_RULE *rule;
    yr_rules_foreach(s->rules, rule) s->nrules++;
    s->ri = mt_xcalloc(s->nrules ? s->nrules : 1, sizeof *s->ri);
    s->fired = mt_xcalloc(s->nrules ? s->nrules : 1, 1);
    uint32_t idx = 0;
    yr_rules_foreach(s->rules, rule)
    {
        rule_info *ri = &s->ri[idx++];
        ri->name = rule->identifier;
        ri->builtin = strcmp(rule->ns->name, "minetrace") == 0;
        if (!ri->builtin) s->any_user = 1;
        ri->provider = static_name(meta_str(rule, "provider"), "unknown");
        ri->kind = static_name(meta_str(rule, "kind"), "yara");
        ri->desc = meta_str(rule, "desc");
        ri->key_after = meta_str(rule, "key_after");
        ri->conf = meta_int(rule, "confidence", 70);
        if (ri->conf < 0) ri->conf = 0;
        if (ri->conf > 100) ri->conf = 100;
        ri->key_arg = meta_int(rule, "key_arg", 1);
        const char *k = meta_str(rule, "key");
        ri->shape = k ? shape_of(k) : SHAPE_NONE;
        ri->need_key = meta_int(rule, "need_key", 0);
        ri->key_line = meta_int(rule, "key_line", 0);
    }
    if (build_prefilter(s) != MT_OK) goto fail;
    if (yr_scanner_create(s->rules, &s->scanner) != ERROR_SUCCESS) goto fail_msg;
    yr_scanner_set_callback(s->scanner, yara_cb, s);
    yr_scanner_set_flags(s->scanner, SCAN_FLAGS_REPORT_RULES_MATCHING);
    yr_scanner_set_timeout(s->scanner, 2);
    return s;
fail_msg:
    mt_error_set(MT_ENOMEM, "YARA: cannot set up the web rules");
fail:
    if (c) yr_compiler_destroy(c);
    mt_jsscan_free(s);
    return NULL;
}

void mt_jsscan_free(mt_jsscan *s)
{
    if (!s) return;
    if (s->scanner) yr_scanner_destroy(s->scanner);
    if (s->rules) yr_rules_destroy(s->rules);
    if (s->scratch) hs_free_scratch(s->scratch);
    if (s->db) hs_free_database(s->db);
    free(s->pats);
    free(s->ri);
    free(s->fired);
    free(s->arena);
    free(s->work.lzw_off);
    free(s->work.lzw_len);
    free(s);
    yara_fini();
}

void mt_jsscan_get_stats(const mt_jsscan *s, mt_jsscan_stats *out)
{
    *out = s->st;
}

/* ---------- references ---------- */

void mt_web_refs_free(mt_web_refs *r)
{
    free(r->url);
    free(r->type);
    r->url = NULL;
    r->type = NULL;
    r->n = r->cap = 0;
}

const char *mt_web_ref_type_name(unsigned type)
{
    switch (type) {
    case MT_REF_SCRIPT: return "script";
    case MT_REF_WORKER: return "worker";
    case MT_REF_WASM: return "wasm";
    case MT_REF_WEBSOCKET: return "websocket";
    case MT_REF_IFRAME: return "iframe";
    default: return "?";
    }
}

static void add_ref(mt_web_refs *r, unsigned char type, const char *u, size_t len)
{
    char tmp[MT_WEB_URL_MAX];
    size_t o = 0;
    while (len && (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r')) { u++; len--; }
    while (len && (u[len - 1] == ' ' || u[len - 1] == '\t' || u[len - 1] == '\n' || u[len - 1] == '\r')) len--;
    for (size_t i = 0; i < len && o + 1 < sizeof tmp; i++) {
        if (u[i] == '&' && i + 5 <= len && memcmp(u + i, "&amp;", 5) == 0) {
            tmp[o++] = '&';
            i += 4;
            continue;
        }
        if ((unsigned char)u[i] < 0x20) continue;
        tmp[o++] = u[i];
    }
    if (o == 0 || r->n >= MT_WEB_REFS_MAX) return;
    tmp[o] = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->type[i] == type && strcmp(r->url[i], tmp) == 0) return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        r->url = mt_xrealloc(r->url, cap * sizeof *r->url);
        r->type = mt_xrealloc(r->type, cap);
        r->cap = cap;
    }
    memcpy(r->url[r->n], tmp, o + 1);
    r->type[r->n++] = type;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static size_t skip_sp(const char *t, size_t n, size_t i)
{
    while (i < n && is_space(t[i])) i++;
    return i;
}

static int lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* The src attribute of the tag whose name ends at t[i]. */
static void tag_src(mt_jsscan *s, const char *t, size_t n, size_t i, unsigned char type)
{
    if (i >= n || !(is_space(t[i]) || t[i] == '>' || t[i] == '/')) return;
    size_t lim = i + 2048 < n ? i + 2048 : n;
    for (; i + 4 < lim && t[i] != '>'; i++) {
        if (!is_space(t[i - 1]) || lc(t[i]) != 's' || lc(t[i + 1]) != 'r' || lc(t[i + 2]) != 'c') continue;
        size_t j = skip_sp(t, lim, i + 3);
        if (j >= lim || t[j] != '=') continue;
        j = skip_sp(t, lim, j + 1);
        if (j >= lim) return;
        size_t v = j, e;
        if (t[j] == '"' || t[j] == '\'') {
            char q = t[j];
            v = j + 1;
            for (e = v; e < lim && t[e] != q; e++) {}
        } else {
            for (e = v; e < lim && !is_space(t[e]) && t[e] != '>'; e++) {}
        }
        if (e > v) add_ref(s->refs, type, t + v, e - v);
        return;
    }
}

/* A string literal argument right after t[i] (the '(' already consumed). */
static void arg_ref(mt_jsscan *s, const char *t, size_t n, size_t i, unsigned char type)
{
    i = skip_sp(t, n, i);
    if (i >= n || (t[i] != '"' && t[i] != '\'' && t[i] != '`')) return;
    char q = t[i];
    size_t v = i + 1, e;
    for (e = v; e < n && e < v + MT_WEB_URL_MAX && t[e] != q && t[e] != '\n'; e++) {}
    if (e < n && t[e] == q && e > v) {
        if (type == MT_REF_WORKER && (e - v < 3 || memcmp(t + v, "blob:", 5 < e - v ? 5 : e - v) == 0)) return;
        add_ref(s->refs, type, t + v, e - v);
    }
}

/* The quoted literal around t[i] (a ".wasm" or "wss://" inside it). */
static void lit_ref(mt_jsscan *s, const char *t, size_t n, size_t i, unsigned char type)
{
    size_t b = i;
    while (b > 0 && i - b < 400) {
        char c = t[b - 1];
        if (c == '"' || c == '\'' || c == '`') break;
        if (is_space(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == ',' || c == ';') return;
        b--;
    }
    if (b == 0 || i - b >= 400) return;
    char q = t[b - 1];
    size_t e = i;
    while (e < n && e - b < MT_WEB_URL_MAX && t[e] != q) {
        if (t[e] == '\n' || is_space(t[e])) return;
        e++;
    }
    if (e >= n || t[e] != q) return;
    add_ref(s->refs, type, t + b, e - b);
}

static void collect_refs(mt_jsscan *s, const char *t, size_t n)
{
    for (size_t k = 0; k < s->nrefpos; k++) {
        size_t at = s->refpos[k].end;
        switch (s->refpos[k].kind) {
        case RF_SCRIPT_TAG: tag_src(s, t, n, at, MT_REF_SCRIPT); break;
        case RF_IFRAME_TAG: tag_src(s, t, n, at, MT_REF_IFRAME); break;
        case RF_WORKER: arg_ref(s, t, n, at, MT_REF_WORKER); break;
        case RF_IMPORT: arg_ref(s, t, n, at, MT_REF_SCRIPT); break;
        case RF_WEBSOCKET: arg_ref(s, t, n, at, MT_REF_WEBSOCKET); break;
        case RF_WSLIT: {
            /* The trigger ends after "://": its quote is 6 or 7 back. */
            size_t q = at;
            while (q > 0 && at - q < 8) {
                q--;
                if (t[q] == '"' || t[q] == '\'' || t[q] == '`') {
                    lit_ref(s, t, n, q + 1, MT_REF_WEBSOCKET);
                    break;
                }
            }
            break;
        }
        case RF_WASM:
            if (at >= n || !((t[at] >= 'a' && t[at] <= 'z') || (t[at] >= 'A' && t[at] <= 'Z') ||
                             (t[at] >= '0' && t[at] <= '9') || t[at] == '_'))
                lit_ref(s, t, n, at - 5, MT_REF_WASM);
            break;
        }
    }
}

/* ---------- keys ---------- */

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hexc(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_ident(char c)
{
    return is_alnum(c) || c == '_' || c == '$';
}

static int run_of(const char *k, size_t n, int (*pred)(char))
{
    for (size_t i = 0; i < n; i++)
        if (!pred(k[i])) return 0;
    return 1;
}

static int is_tokc(char c)
{
    return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

static int shape_ok(int shape, const char *k, size_t n)
{
    switch (shape) {
    case SHAPE_ALNUM32: return n == 32 && run_of(k, n, is_alnum);
    case SHAPE_HEX32: return n == 32 && run_of(k, n, is_hexc);
    case SHAPE_HEX44: return n == 44 && run_of(k, n, is_hexc);
    case SHAPE_HEX64: return n == 64 && run_of(k, n, is_hexc);
    case SHAPE_ALNUM24: return n == 24 && run_of(k, n, is_alnum);
    case SHAPE_WMP: return n == 23 && memcmp(k, "SK_", 3) == 0 && run_of(k + 3, 20, is_alnum);
    case SHAPE_WALLET: {
        char tmp[160];
        /* A pool login is the wallet, optionally ".worker" or "+diff". */
        size_t m = 0;
        while (m < n && m < sizeof tmp - 1 && k[m] != '.' && k[m] != '+') { tmp[m] = k[m]; m++; }
        tmp[m] = 0;
        return m >= 26 && mt_intel_wallet_shape(tmp) != NULL;
    }
    case SHAPE_TOKEN: return n >= 4 && n < 120 && run_of(k, n, is_tokc);
    case SHAPE_PATHSEG: return n >= 1 && n < MT_WEB_KEY_MAX && run_of(k, n, is_tokc);
    default: return 0;
    }
}

typedef struct keyres {
    char key[MT_WEB_KEY_MAX];
    char via[48]; /* the identifier the key was read through, if any */
    int found;
} keyres;

static void set_key(keyres *r, const char *k, size_t n)
{
    if (n >= MT_WEB_KEY_MAX) {
        memcpy(r->key, k, MT_WEB_KEY_MAX - 4);
        memcpy(r->key + MT_WEB_KEY_MAX - 4, "...", 4);
    } else {
        memcpy(r->key, k, n);
        r->key[n] = 0;
    }
    r->found = 1;
}

/* A quoted literal at t[i] as (start, length), without escapes (keys have
 * none). */
static int literal_at(const char *t, size_t n, size_t i, size_t *v, size_t *len)
{
    if (i >= n || (t[i] != '"' && t[i] != '\'' && t[i] != '`')) return 0;
    char q = t[i];
    size_t e = i + 1;
    while (e < n && e < i + 200 && t[e] != q && t[e] != '\n' && t[e] != '\\') e++;
    if (e >= n || t[e] != q) return 0;
    *v = i + 1;
    *len = e - i - 1;
    return 1;
}

/* The value an identifier is given somewhere in the text: ident = "..." or
 * ident: "...", the first one of the right shape. */
static int resolve_ident(const char *t, size_t n, const char *id, size_t idn, int shape, keyres *r)
{
    const char *p = t, *end = t + n;
    for (int tries = 0; tries < 16 && p < end; tries++) {
        const char *f = memmem(p, (size_t)(end - p), id, idn);
        if (!f) return 0;
        p = f + idn;
        if (f > t && is_ident(f[-1])) continue;
        size_t i = (size_t)(p - t);
        if (i < n && is_ident(t[i])) continue;
        if (i < n && (t[i] == '"' || t[i] == '\'')) i++; /* "key": "..." */
        i = skip_sp(t, n, i);
        if (i >= n || (t[i] != '=' && t[i] != ':')) continue;
        if (t[i] == '=' && i + 1 < n && t[i + 1] == '=') continue;
        i = skip_sp(t, n, i + 1);
        size_t v, len;
        if (literal_at(t, n, i, &v, &len) && shape_ok(shape, t + v, len)) {
            set_key(r, t + v, len);
            return 1;
        }
    }
    return 0;
}

/* The key_arg-th argument of the call whose '(' (or '=', ':') is at or
 * after t[i]: a literal of the shape, or an identifier resolved. */
static void key_from_args(const char *t, size_t n, size_t i, int argno, int shape, keyres *r)
{
    i = skip_sp(t, n, i);
    if (i < n && (t[i] == '(' || t[i] == '=' || t[i] == ':')) i = skip_sp(t, n, i + 1);
    for (int a = 1; a <= argno && i < n; a++) {
        size_t v, len;
        if (literal_at(t, n, i, &v, &len)) {
            if (a == argno) {
                if (shape_ok(shape, t + v, len)) set_key(r, t + v, len);
                return;
            }
            i = v + len + 1;
        } else if (is_ident(t[i]) && a == argno) {
            size_t s0 = i;
            while (i < n && (is_ident(t[i]) || t[i] == '.') && i - s0 < 47) i++;
            size_t idn = i - s0;
            /* obj.prop: the property name is what an assignment names. */
            const char *id = t + s0;
            const char *dot = memrchr(id, '.', idn);
            if (dot) { idn -= (size_t)(dot + 1 - id); id = dot + 1; }
            if (idn && resolve_ident(t, n, id, idn, shape, r)) {
                memcpy(r->via, t + s0, i - s0);
                r->via[i - s0] = 0;
            }
            return;
        } else {
            /* Skip an argument we do not read, to the next comma at depth 0. */
            int depth = 0;
            size_t lim = i + 400 < n ? i + 400 : n;
            for (; i < lim; i++) {
                char c = t[i];
                if (c == '(' || c == '[' || c == '{') depth++;
                else if (c == ')' || c == ']' || c == '}') { if (depth-- == 0) return; }
                else if (c == ',' && depth == 0) break;
                else if (c == '"' || c == '\'') {
                    size_t v2, l2;
                    if (literal_at(t, n, i, &v2, &l2)) i = v2 + l2;
                }
            }
            if (i >= lim) return;
        }
        i = skip_sp(t, n, i);
        if (i >= n || t[i] != ',') return;
        i = skip_sp(t, n, i + 1);
    }
}

/* The value of attribute/property `name` near the match (the enclosing tag
 * or object literal): data-key="...", "site_key":"...", login: "...". */
static void key_after(const char *t, size_t n, size_t at, const char *name, int shape, keyres *r)
{
    size_t nl = strlen(name);
    size_t from = at > 600 ? at - 600 : 0, to = at + 1200 < n ? at + 1200 : n;
    /* Inside a tag: do not leave it. */
    for (size_t i = at; i > from; i--)
        if (t[i - 1] == '<') { from = i - 1; break; } else if (t[i - 1] == '>') break;
    for (size_t i = from; i + nl < to;) {
        const char *f = memmem(t + i, to - i, name, nl);
        if (!f) return;
        size_t j = (size_t)(f - t) + nl;
        i = j;
        if (f > t && is_ident(f[-1]) && f[-1] != '_') continue;
        if (j < n && (t[j] == '"' || t[j] == '\'')) j++;
        j = skip_sp(t, n, j);
        if (j >= n || (t[j] != '=' && t[j] != ':')) continue;
        j = skip_sp(t, n, j + 1);
        size_t v, len;
        if (literal_at(t, n, j, &v, &len)) {
            if (shape_ok(shape, t + v, len)) { set_key(r, t + v, len); return; }
        } else {
            size_t e = j;
            while (e < to && is_tokc(t[e])) e++;
            if (e > j && shape_ok(shape, t + j, e - j)) { set_key(r, t + j, e - j); return; }
        }
    }
}

/* A whole line of the (string-array) text with the key's shape. */
static void key_line(const char *t, size_t n, int shape, keyres *r)
{
    size_t lim = n < (1u << 20) ? n : (1u << 20);
    for (size_t i = 0; i < lim;) {
        const char *nl = memchr(t + i, '\n', lim - i);
        size_t e = nl ? (size_t)(nl - t) : lim;
        if (e > i && shape_ok(shape, t + i, e - i)) { set_key(r, t + i, e - i); return; }
        i = e + 1;
    }
}

static void key_pathseg(const char *t, size_t n, size_t at, keyres *r)
{
    size_t e = at;
    while (e < n && e - at < MT_WEB_KEY_MAX && is_tokc(t[e])) e++;
    if (e > at && shape_ok(SHAPE_PATHSEG, t + at, e - at)) set_key(r, t + at, e - at);
}

/* ---------- hits ---------- */

/* Evidence is short by design: longer text is cut at the buffer's end. */
__attribute__((format(printf, 3, 4))) static void fmt(char *o, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    (void)vsnprintf(o, cap, f, ap);
    va_end(ap);
}

/* Printable ASCII, whitespace-collapsed copy of t[0..n) of at most cap-1
 * bytes: evidence is cut at any byte, so it carries no multi-byte text. */
static size_t snippet(char *o, size_t cap, const char *t, size_t n)
{
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_space((char)c)) { sp = 1; continue; }
        if (sp && k) o[k++] = ' ';
        sp = 0;
        if (k + 1 >= cap) break;
        o[k++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    o[k] = 0;
    return k;
}

static void emit(mt_jsscan *s, uint32_t ridx, const rule_info *ri, const keyres *kr, const char *what,
                 uint32_t off)
{
    for (size_t i = 0; i < s->nseen; i++)
        if (s->seen[i].rule == ridx && strcmp(s->seen[i].key, kr->key) == 0) return;
    if (s->nseen < sizeof s->seen / sizeof s->seen[0]) {
        s->seen[s->nseen].rule = ridx;
        memcpy(s->seen[s->nseen].key, kr->key, sizeof kr->key);
        s->nseen++;
    }
    size_t idx = s->count++;
    if (idx >= s->max) return;
    mt_web_hit *h = &s->hits[idx];
    h->provider = ri->provider;
    h->kind = s->depth ? "packed" : ri->kind;
    memcpy(h->site_key, kr->key, sizeof h->site_key);
    h->confidence = ri->conf - ((ri->shape != SHAPE_NONE && !kr->found) ? 10 : 0);
    h->offset = s->depth ? s->outer_off : off;
    if (s->depth)
        fmt(h->evidence, sizeof h->evidence, "packed (%s): %s", mt_pack_name(s->pack_kind), what);
    else
        fmt(h->evidence, sizeof h->evidence, "%s", what);
}

static int yara_cb(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *ud)
{
    if (msg != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
    mt_jsscan *s = ud;
    YR_RULE *rule = data;
    uint32_t ridx = (uint32_t)(rule - s->rules->rules_table);
    if (ridx >= s->nrules) return CALLBACK_CONTINUE;
    const rule_info *ri = &s->ri[ridx];
    const char *t = s->text;
    size_t n = s->n;
    YR_STRING *str;
    int emitted = 0;
    int64_t first = -1;
    int32_t first_len = 0;
    char what[MT_WEB_EVIDENCE_MAX], snip[112];
    yr_rule_strings_foreach(rule, str)
    {
        int is_k = str->identifier && str->identifier[0] == '$' && str->identifier[1] == 'k';
        int seen = 0;
        /* libyara 4.2 allocates matches unaligned in its notebook; each one
         * is copied out before it is read (yr_string_matches_foreach would
         * dereference it in place). */
        const YR_MATCH *mp = ctx->matches[str->idx].head;
        for (YR_MATCH mm; mp; mp = mm.next) {
            memcpy(&mm, mp, sizeof mm);
            const YR_MATCH *m = &mm;
            if (m->is_private) continue;
            if (seen++ >= MATCHES_PER_STRING) break;
            int64_t off = m->base + m->offset + (int64_t)s->span_lo;
            if (off < 0 || (uint64_t)off >= n) continue;
            if (first < 0 || off < first) { first = off; first_len = m->match_length; }
            if (!is_k || ri->shape == SHAPE_NONE) continue;
            keyres kr = {{0}, {0}, 0};
            size_t end = (size_t)off + (size_t)m->match_length;
            if (ri->key_line) key_line(t, n, ri->shape, &kr);
            else if (ri->key_after) key_after(t, n, (size_t)off, ri->key_after, ri->shape, &kr);
            else if (ri->shape == SHAPE_PATHSEG) key_pathseg(t, n, end, &kr);
            else key_from_args(t, n, end > 0 && t[end - 1] == '(' ? end - 1 : end, ri->key_arg, ri->shape, &kr);
            if (!kr.found && ri->need_key) continue;
            snippet(snip, sizeof snip, t + off, (size_t)m->match_length);
            if (ri->desc && strcmp(ri->desc, "call") == 0) {
                if (kr.found && kr.via[0])
                    fmt(what, sizeof what, "%s%s) call, %s = '%s'", snip, kr.via, kr.via, kr.key);
                else if (kr.found && ri->key_arg > 1)
                    fmt(what, sizeof what, "%s...) call, argument %d '%s'", snip, ri->key_arg, kr.key);
                else if (kr.found)
                    fmt(what, sizeof what, "%s'%s') call", snip, kr.key);
                else
                    fmt(what, sizeof what, "%s...) call, key not literal", snip);
            } else if (kr.found) {
                fmt(what, sizeof what, "%s: %s, key '%s'", ri->desc ? ri->desc : ri->name, snip, kr.key);
            } else {
                fmt(what, sizeof what, "%s: %s", ri->desc ? ri->desc : ri->name, snip);
            }
            emit(s, ridx, ri, &kr, what, (uint32_t)off);
            emitted = 1;
        }
    }
    if (!emitted && first >= 0 && !ri->need_key) {
        keyres kr = {{0}, {0}, 0};
        /* Not a call: a rule's other strings (CONFIG objects, hosts). */
        const char *desc = ri->desc && strcmp(ri->desc, "call") != 0 ? ri->desc : "miner API";
        if (ri->key_line && ri->shape != SHAPE_NONE) key_line(t, n, ri->shape, &kr);
        snippet(snip, sizeof snip, t + first, (size_t)first_len);
        if (!ri->builtin)
            fmt(what, sizeof what, "YARA rule %s: %s", ri->name, snip);
        else if (kr.found)
            fmt(what, sizeof what, "%s: %s, key '%s'", desc, snip, kr.key);
        else
            fmt(what, sizeof what, "%s: %s", desc, snip);
        emit(s, ridx, ri, &kr, what, (uint32_t)first);
    } else if (!emitted && first < 0 && !ri->need_key) {
        /* A rule that matched on its condition alone (user rules). */
        keyres kr = {{0}, {0}, 0};
        fmt(what, sizeof what, "YARA rule %s", ri->name);
        emit(s, ridx, ri, &kr, what, 0);
    }
    return CALLBACK_CONTINUE;
}

/* ---------- the scan ---------- */

static int hs_cb(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ud)
{
    mt_jsscan *s = ud;
    const pat *p = &s->pats[id];
    switch (p->type) {
    case PT_TRIG:
        s->fired[p->rule] = 1;
        s->fired_any = 1;
        if (to < s->trig_lo) s->trig_lo = (size_t)to;
        if (to > s->trig_hi) s->trig_hi = (size_t)to;
        break;
    case PT_PACK:
        if (s->npacks < MAX_PACKS) s->packs[s->npacks++] = (mark){p->sub, (uint32_t)to};
        else s->st.unpack_cut++; /* more marks than one layer keeps: not unpacked */
        break;
    case PT_REF:
        if (s->refs && s->nrefpos < MAX_REFPOS) s->refpos[s->nrefpos++] = (mark){p->sub, (uint32_t)to};
        break;
    }
    return 0;
}

static long long elapsed_ns(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (long long)(t.tv_sec - t0->tv_sec) * 1000000000LL + (t.tv_nsec - t0->tv_nsec);
}

static void scan_layer(mt_jsscan *s, const char *t, size_t n)
{
    s->npacks = 0;
    s->nrefpos = 0;
    s->fired_any = 0;
    s->trig_lo = (size_t)-1;
    s->trig_hi = 0;
    memset(s->fired, 0, s->nrules);
    /* Hyperscan takes an unsigned length; texts beyond 4 GiB are scanned in
     * their first 4 GiB (a page is never that large). */
    unsigned len = n > 0xFFFFFFFFu ? 0xFFFFFFFFu : (unsigned)n;
    if (hs_scan(s->db, t, len, 0, s->scratch, hs_cb, s) != HS_SUCCESS) return;
    if (s->fired_any || s->any_always) {
        YR_RULE *rule;
        uint32_t idx = 0;
        yr_rules_foreach(s->rules, rule)
        {
            const rule_info *ri = &s->ri[idx];
            if (!ri->builtin || ri->always || s->fired[idx]) yr_rule_enable(rule);
            else yr_rule_disable(rule);
            idx++;
        }
        s->text = t;
        s->n = n;
        s->st.yara_runs++;
        /* Every match of a built-in rule contains one of its triggers, and
         * what a condition relates lies within YARA_MARGIN of it, so YARA
         * reads the span around the triggers, not the whole page. */
        size_t lo = 0, hi = n;
        if (!s->any_always && !s->any_user && s->fired_any) {
            lo = s->trig_lo > YARA_MARGIN ? s->trig_lo - YARA_MARGIN : 0;
            hi = s->trig_hi + YARA_MARGIN < n ? s->trig_hi + YARA_MARGIN : n;
        }
        s->span_lo = lo;
        (void)yr_scanner_scan_mem(s->scanner, (const uint8_t *)t + lo, hi - lo);
    }
    if (s->refs) collect_refs(s, t, n);
    if (s->npacks == 0 || s->depth >= UNPACK_DEPTH) return;

    mark packs[MAX_PACKS];
    size_t np = s->npacks;
    memcpy(packs, s->packs, np * sizeof *packs);
    if (!s->arena) {
        s->arena = mt_xmalloc(ARENA_SIZE);
        s->work.lzw_off = mt_xmalloc(MT_LZW_DICT * sizeof *s->work.lzw_off);
        s->work.lzw_len = mt_xmalloc(MT_LZW_DICT * sizeof *s->work.lzw_len);
    }
    if (s->unpacks == 0 && s->depth == 0) clock_gettime(CLOCK_MONOTONIC_COARSE, &s->t0);
    for (size_t k = 0; k < np; k++) {
        if (s->unpacks >= UNPACK_MAX || s->timed_out || elapsed_ns(&s->t0) > UNPACK_NS) {
            if (!s->timed_out) s->st.unpack_cut++;
            s->timed_out = 1;
            return;
        }
        size_t room = ARENA_SIZE - s->arena_used;
        if (room < 4096) { s->st.unpack_cut++; return; }
        if (room > UNPACK_CAP) room = UNPACK_CAP;
        int cut = 0;
        size_t start = 0;
        char *out = s->arena + s->arena_used;
        size_t got = mt_unpack(packs[k].kind, t, n, packs[k].end, out, room, &s->work, &cut, &start);
        if (cut) s->st.unpack_cut++;
        if (got == 0) continue;
        s->unpacks++;
        s->st.unpacked++;
        s->st.unpack_bytes += got;
        /* The nested scan overwrites the layer state; keep what it needs. */
        int saved_kind = s->pack_kind, saved_depth = s->depth;
        uint32_t saved_off = s->outer_off;
        if (s->depth == 0) s->outer_off = (uint32_t)start;
        s->pack_kind = packs[k].kind;
        s->depth++;
        s->arena_used += got;
        scan_layer(s, out, got);
        s->arena_used -= got;
        s->depth = saved_depth;
        s->pack_kind = saved_kind;
        s->outer_off = saved_off;
    }
}

size_t mt_jsscan_text(mt_jsscan *s, const char *text, size_t n, int is_html, mt_web_hit *hits, size_t max,
                      mt_web_refs *refs)
{
    (void)is_html; /* <script src> is read in both: scripts write tags too */
    s->hits = hits;
    s->max = hits ? max : 0;
    s->count = 0;
    s->refs = refs;
    s->depth = 0;
    s->pack_kind = 0;
    s->outer_off = 0;
    s->unpacks = 0;
    s->timed_out = 0;
    s->nseen = 0;
    s->arena_used = 0;
    s->st.texts++;
    s->st.bytes += n;
    if (!text || n == 0) return 0;
    scan_layer(s, text, n);
    return s->count;
}
