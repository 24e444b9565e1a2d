/* Loading indicator lists from files.
 *
 * Public lists come in many dialects, often mixed within one file, so the
 * format is decided per line, not per file:
 *   - comments: '#', '!', '[Adblock Plus 2.0]' headers, blank lines
 *   - hosts files: "0.0.0.0 name [name...]" (any leading IP), "# ..." tails
 *   - Adblock network rules: "||name^", "||name^$opts", "||name$opts";
 *     rules with a path, wildcard or regex match pages, not hosts, and are
 *     skipped (counted); "@@" exceptions and cosmetic rules ("##") too
 *   - URL match patterns (Chrome extension style, with "*" as scheme or
 *     host prefix, e.g. wss://name/proxy): the host
 *   - plain IPs and CIDRs (v4/v6)
 *   - TSV: the first tab-separated column
 *   - plain domains ("name", "*.name", ".name")
 *   - wallets and site keys: "wallet:ADDR", "sitekey:KEY", or a bare token
 *     with the shape of one (intel_keys.c)
 * Every line ends up as a domain, an IP/CIDR, a wallet, a site key or a
 * counted skip; nothing in a list can make the loader fail except an
 * unreadable file. */
#include "intel/intel_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct loadctx {
    mt_intel *in;
    int weight;
    mt_intel_category cat;
    const char *source;
    mt_intel_load_stats st;
} loadctx;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

/* Addresses a hosts file points names at, or that mean "nowhere": never
 * indicators themselves. */
static int is_null_addr(const mt_addr *a)
{
    static const uint8_t zero[16];
    if (a->family == 4)
        return a->b[0] == 0 || a->b[0] == 127 || (a->b[0] == 255 && a->b[3] == 255);
    if (memcmp(a->b, zero, 15) == 0) return a->b[15] <= 1; /* :: and ::1 */
    return 0;
}

static int is_local_name(const char *s, size_t n)
{
    static const char *const names[] = {
        "localhost", "localhost.localdomain", "local", "broadcasthost",
        "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix",
        "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncmp(names[i], s, n) == 0) return 1;
    return 0;
}

/* Try to add [s, s+n) as an IP or CIDR. Returns 1 if it was one. */
static int try_ip(loadctx *c, const char *s, size_t n, unsigned flags)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
              (ch >= 'A' && ch <= 'F') || ch == ':' || ch == '.' || ch == '/'))
            return 0; /* cheap pre-check: domains rarely get this far */
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int bits = -1;
    char *slash = strchr(tmp, '/');
    if (slash) {
        char *end;
        *slash = '\0';
        long v = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end || v < 0 || v > 128) return 0;
        bits = (int)v;
    }
    if (!strchr(tmp, ':') && !strchr(tmp, '.')) return 0;
    mt_addr a;
    if (mt_addr_parse(tmp, &a) != MT_OK) return 0;
    int max = a.family == 4 ? 32 : 128;
    if (bits > max) return 0;
    if (bits < 0) bits = max;
    if (bits == max && is_null_addr(&a)) { c->st.skipped++; return 1; }
    if (bits < 8 && c->cat != MT_CAT_ALLOW) { c->st.skipped++; return 1; } /* absurdly wide */
    if (mt_intel_add_cidr_flags(c->in, &a, bits, c->weight, c->cat, c->source, flags) != MT_OK) {
        c->st.skipped++;
        return 1;
    }
    if (bits == max) c->st.ips++;
    else c->st.cidrs++;
    return 1;
}

/* flags: MT_INTEL_F_HOST for a whole-host entry (hosts files, plain
 * lists); 0 for the host of an Adblock rule or URL pattern, whose rule
 * decides which requests to it are blocked. */
static void add_name(loadctx *c, const char *s, size_t n, unsigned flags)
{
    char norm[MT_INTEL_MAX_NAME + 1];
    if (n == 0 || is_local_name(s, n)) { c->st.skipped++; return; }
    if (try_ip(c, s, n, flags)) return;
    if (mt_intel_norm_domain(s, n, norm, sizeof norm) < 0 ||
        mt_intel_add_domain_flags(c->in, norm, c->weight, c->cat, c->source, NULL, flags) != MT_OK) {
        c->st.skipped++;
        return;
    }
    c->st.domains++;
}

/* "||host^$opts" and friends; p points after "||". */
static void adblock_rule(loadctx *c, const char *p)
{
    size_t n = 0;
    while (is_host_char(p[n])) n++;
    const char *rest = p + n;
    int ok;
    if (*rest == '^') rest++;
    ok = (*rest == '\0' || *rest == '$' || (*rest == '|' && rest[1] == '\0'));
    if (ok && n) add_name(c, p, n, 0); /* the host alone, for the traffic detectors */
}

/* An Adblock network rule or exception (chrome 0) or a Chrome match
 * pattern (chrome 1) into the request rule set, counted by class. */
static void network_rule(loadctx *c, const char *line, int chrome)
{
    int regex = 0;
    int rc = mt_intel_abp_add(c->in, line, chrome, c->weight, c->cat, c->source, &regex);
    if (rc == 1) c->st.url_rules++;
    else if (rc == 2) c->st.exceptions++;
    else if (rc == 0) c->st.inert++;
    else c->st.skipped++;
    if (rc > 0 && regex) c->st.regexes++;
}

/* Element hiding and scriptlet rules: "[domains]##sel", "#@#", "#?#",
 * "#$#", "#@?#", "##+js(...)". The part before the marker is a domain
 * list (no blanks), which keeps "0.0.0.0 name ## note" a hosts line. */
static int cosmetic_rule(loadctx *c, const char *line)
{
    static const char *const marks[] = {"#@?#", "#@$#", "#@#", "#?#", "#$#", "#%#", "##"};
    const char *best = NULL;
    size_t ml = 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *m = strstr(line, marks[i]);
        if (m && (!best || m < best)) { best = m; ml = strlen(marks[i]); }
    }
    if (!best) return 0;
    for (const char *p = line; p < best; p++)
        if (is_blank(*p)) return 0;
    const char *body = best + ml;
    if (best == line) {
        /* a line of '#'s or "## words" is a comment of a hosts file */
        if (*body == '\0' || *body == ' ' || *body == '\t') return 0;
        if (*body == '#' && !((body[1] >= 'a' && body[1] <= 'z') || (body[1] >= 'A' && body[1] <= 'Z') ||
                              body[1] == '_' || body[1] == '-'))
            return 0; /* "###id" hides an element by id; "####" is a banner */
    }
    if (strncmp(body, "+js(", 4) == 0 || strncmp(body, "script:inject(", 14) == 0 ||
        best[1] == '%')
        c->st.scriptlets++;
    else
        c->st.cosmetic++;
    return 1;
}

/* Does the line read as a Chrome match pattern: "scheme://host/path"
 * with scheme "*" or a name, host "*", "*.name" or a name, a path? */
static int chrome_pattern(const char *line)
{
    const char *sep = strstr(line, "://");
    if (!sep || sep == line) return 0;
    for (const char *p = line; p < sep; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p == '*' && sep - line == 1)))
            return 0;
    const char *h = sep + 3;
    size_t hl = strcspn(h, "/");
    if (!h[hl] || hl == 0) return 0;
    if (hl >= 2 && h[0] == '*' && h[1] == '.') { h += 2; hl -= 2; }
    else if (hl == 1 && h[0] == '*') return !strchr(line, '$') && !strchr(line, '^');
    for (size_t i = 0; i < hl; i++)
        if (!is_host_char(h[i])) return 0;
    return !strchr(line, '$') && !strchr(line, '^') && !strchr(line, '|');
}

/* "scheme://host[:port]/path", scheme and host may start with a wildcard:
 * the host. */
static void url_pattern(loadctx *c, const char *p)
{
    const char *h = strstr(p, "://") + 3;
    if (h[0] == '*' && h[1] == '.') h += 2;
    size_t n = 0;
    while (is_host_char(h[n])) n++;
    char end = h[n];
    if (n == 0 || !(end == '\0' || end == '/' || end == ':' || end == '^' || is_blank(end)))
        return; /* a pattern with no fixed host: its rule only */
    add_name(c, h, n, 0);
}

/* A wallet or site key; kind 'w' or 's'. */
static void add_key(loadctx *c, int kind, const char *tok)
{
    int rc = kind == 'w' ? mt_intel_add_wallet(c->in, tok, c->weight, c->cat, c->source)
                         : mt_intel_add_sitekey(c->in, tok, c->weight, c->cat, c->source);
    if (rc != MT_OK) c->st.skipped++;
    else if (kind == 'w') c->st.wallets++;
    else c->st.sitekeys++;
}

/* "wallet:ADDR" / "sitekey:KEY" (case-insensitive prefix). Returns 1 if
 * the line was one. */
static int key_line(loadctx *c, char *line)
{
    int kind;
    size_t pl;
    if (strncasecmp(line, "wallet:", 7) == 0) { kind = 'w'; pl = 7; }
    else if (strncasecmp(line, "sitekey:", 8) == 0) { kind = 's'; pl = 8; }
    else return 0;
    char *tok = line + pl;
    while (*tok == ' ' || *tok == '\t') tok++;
    tok[strcspn(tok, " \t#")] = '\0';
    add_key(c, kind, tok);
    return 1;
}

static void load_line(loadctx *c, char *line)
{
    while (is_blank(*line)) line++;
    size_t n = strlen(line);
    while (n && is_blank(line[n - 1])) line[--n] = '\0';
    if (n == 0) return;
    if (cosmetic_rule(c, line)) return;
    if (line[0] == '#' || line[0] == '!' || line[0] == '[') { c->st.comments++; return; }
    if (key_line(c, line)) return;

    /* TSV: only the first column counts. */
    char *tab = strchr(line, '\t');
    if (tab) {
        /* A hosts line may be tab-separated too: decide by the first field. */
        mt_addr a;
        *tab = '\0';
        if (mt_addr_parse(line, &a) == MT_OK && tab[1] && !is_blank(tab[1])) *tab = ' ';
    }
    int blanks = strchr(line, ' ') != NULL || strchr(line, '\t') != NULL;
    char norm[MT_INTEL_MAX_NAME + 1];
    int wild_name = line[0] == '*' && line[1] == '.' &&
                    mt_intel_norm_domain(line, strlen(line), norm, sizeof norm) >= 0; /* "*.name" */
    if (!blanks && !wild_name && (line[0] == '@' || line[0] == '/' || line[0] == '$' || line[0] == '-' ||
                    line[0] == '|' || line[0] == '*' || line[0] == '?' || line[0] == '=' ||
                    line[0] == '&' || (line[0] == '.' && strchr(line, '/')))) {
        int chrome = line[0] == '*' && chrome_pattern(line);
        /* the host alone still goes to the domain table, as it always has */
        if (line[0] == '|' && line[1] == '|') adblock_rule(c, line + 2);
        else if ((line[0] == '|' || line[0] == '*') && strstr(line, "://")) url_pattern(c, line);
        network_rule(c, line, chrome);
        return;
    }
    if (line[0] == '@' || line[0] == '/' || line[0] == '$') {
        network_rule(c, line, 0); /* blanks in "$csp=a b" and regexes; junk otherwise */
        return;
    }
    if (line[0] == '-' || (line[0] == '.' && strchr(line, '/'))) {
        c->st.skipped++; /* a rule with blanks: not Adblock syntax */
        return;
    }
    if (line[0] == '|' && line[1] == '|') { adblock_rule(c, line + 2); return; }
    if (strstr(line, "://")) {
        url_pattern(c, line);
        if (!blanks) network_rule(c, line, chrome_pattern(line));
        return;
    }

    /* Whitespace-separated tokens: "IP name..." (hosts) or "token ...". */
    char *save = NULL;
    char *tok = strtok_r(line, " \t", &save);
    if (!tok) return;
    char *next = strtok_r(NULL, " \t", &save);
    if (next && next[0] != '#') {
        mt_addr a;
        char *slash = strchr(tok, '/');
        if (!slash && mt_addr_parse(tok, &a) == MT_OK) {
            for (char *t = next; t && t[0] != '#'; t = strtok_r(NULL, " \t", &save)) {
                size_t tl = strlen(t);
                /* A hosts file names hosts, not addresses. */
                mt_addr b;
                if (mt_addr_parse(t, &b) == MT_OK) { c->st.skipped++; continue; }
                add_name(c, t, tl, MT_INTEL_F_HOST);
            }
            return;
        }
    }
    /* A wallet or site key alone on its line, known by its shape. */
    if (!next || next[0] == '#') {
        if (mt_intel_wallet_shape(tok)) { add_key(c, 'w', tok); return; }
        if (mt_intel_sitekey_shape(tok)) { add_key(c, 's', tok); return; }
    }
    /* A plain token, possibly with Adblock's anchor ("name^"). */
    size_t tl = strcspn(tok, "^$");
    if (!next && (tok[tl] == '$' || (tok[tl] == '^' && tok[tl + 1]))) {
        /* "name^$opts", "name^path": an Adblock rule; "name^$opts" names
         * the host too, as it always has */
        char nm[MT_INTEL_MAX_NAME + 1];
        if (tok[tl] == '^' && tok[tl + 1] == '$' && mt_intel_norm_domain(tok, tl, nm, sizeof nm) >= 0)
            add_name(c, tok, tl, 0);
        network_rule(c, tok, 0);
        return;
    }
    if (tok[tl] == '$' || (tok[tl] == '^' && tok[tl + 1] && tok[tl + 1] != '$')) {
        c->st.skipped++;
        return;
    }
    mt_addr ta;
    if (!next && tl == strlen(tok) && strpbrk(tok, "/*^?=&") &&
        strspn(tok, "0123456789abcdefABCDEF:./") != tl && mt_addr_parse(tok, &ta) != MT_OK &&
        mt_intel_norm_domain(tok, tl, norm, sizeof norm) < 0) {
        network_rule(c, tok, 0); /* "example.com/path", "ad*.js": an Adblock substring */
        return;
    }
    add_name(c, tok, tl, MT_INTEL_F_HOST);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int mt_intel_load_stream(mt_intel *in, FILE *f, const char *source, int weight,
                         mt_intel_category cat)
{
    loadctx c = {in, weight, cat, NULL, {0}};
    /* Intern the source once; entries point at the interned copy. */
    c.source = mt_intel_str(in, mt_intel_intern(in, source));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int first = 1;
    while ((got = getline(&line, &cap, f)) >= 0) {
        if (memchr(line, '\0', (size_t)got)) { c.st.skipped++; continue; } /* binary junk */
        char *l = line;
        if (first && (unsigned char)l[0] == 0xef && (unsigned char)l[1] == 0xbb &&
            (unsigned char)l[2] == 0xbf)
            l += 3; /* UTF-8 byte order mark written by some editors */
        first = 0;
        load_line(&c, l);
    }
    free(line);
    in->last = c.st;
    return ferror(f) ? MT_EIO : MT_OK;
}

int mt_intel_load_file(mt_intel *in, const char *path, int weight,
                       mt_intel_category cat)
{
    if (!in || !path) return mt_error_set(MT_EINVAL, "intel: no file given");
    memset(&in->last, 0, sizeof in->last);
    if (cat < MT_CAT_POOL || cat > MT_CAT_ALLOW)
        return mt_error_set(MT_EINVAL, "intel: bad category %d for %s", (int)cat, path);
    if (weight < 1 || weight > 100)
        return mt_error_set(MT_EINVAL, "intel: weight %d for %s out of range 1..100",
                            weight, path);
    FILE *f = fopen(path, "r");
    if (!f)
        return mt_error_set(MT_EIO, "intel: cannot read list '%s': %s", path, strerror(errno));
    int rc = mt_intel_load_stream(in, f, base_name(path), weight, cat);
    int err = errno;
    fclose(f);
    if (rc != MT_OK)
        return mt_error_set(MT_EIO, "intel: read error in '%s': %s", path, strerror(err));
    return MT_OK;
}

static int is_number(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

int mt_intel_load_spec(mt_intel *in, const char *spec)
{
    if (!spec || !*spec) return mt_error_set(MT_EINVAL, "intel: empty --intel spec");
    char *s = mt_xstrdup(spec);
    long weight = 0;
    int cat = MT_CAT_POOL, have_weight = 0;
    /* Parse from the right so paths stay intact: FILE[:WEIGHT[:CATEGORY]].
     * A spec that names an existing file as a whole is a plain path. */
    FILE *probe = fopen(s, "r");
    if (probe) {
        fclose(probe);
    } else {
        char *colon = strrchr(s, ':');
        if (colon && !strchr(colon + 1, '/')) {
            char *field = colon + 1;
            if (is_number(field)) {
                weight = strtol(field, NULL, 10);
                have_weight = 1;
                *colon = '\0';
            } else if (*field) {
                cat = mt_intel_category_parse(field);
                if (!cat) {
                    int rc = mt_error_set(MT_EINVAL,
                        "intel: unknown category '%s' in '%s' (use pool, "
                        "browser-miner, miner-c2, crypto or allow)", field, spec);
                    free(s);
                    return rc;
                }
                *colon = '\0';
                colon = strrchr(s, ':');
                if (colon && (is_number(colon + 1) || colon[1] == '\0')) {
                    if (colon[1]) {
                        weight = strtol(colon + 1, NULL, 10);
                        have_weight = 1;
                    }
                    *colon = '\0';
                }
            } else {
                *colon = '\0'; /* "FILE:" */
            }
        }
    }
    if (have_weight && (weight < 1 || weight > 100)) {
        free(s);
        return mt_error_set(MT_EINVAL, "intel: weight must be 1..100 in '%s'", spec);
    }
    if (!have_weight) weight = mt_intel_default_weight((mt_intel_category)cat);
    int rc = mt_intel_load_file(in, s, (int)weight, (mt_intel_category)cat);
    free(s);
    return rc;
}
