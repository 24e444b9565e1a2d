/* What the website study knows about a site besides its pages: its rank
 * (a Tranco/Alexa `rank,domain` list), its category (a UT1-style directory
 * of per-category domain lists, or a `domain,category` CSV), and its
 * registrable domain (the public suffix list through libpsl), which is
 * what "a site" means in every web finding and report. */
#ifndef MT_WEB_SITEINFO_H
#define MT_WEB_SITEINFO_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_siteinfo mt_siteinfo;

typedef struct mt_siteinfo_load_stats {
    uint64_t lines, used, skipped, duplicates;
    uint64_t first_bad_line;  /* 0 when none */
    char first_bad[160];      /* why that line was skipped */
} mt_siteinfo_load_stats;

mt_siteinfo *mt_siteinfo_new(void);
void mt_siteinfo_free(mt_siteinfo *si);

/* `rank,domain` lines (Tranco, Alexa; a header line and blank lines are
 * skipped); the first rank of a domain wins. Bad lines are counted, the
 * first one named in the stats. MT_OK, or an error naming the file. */
int mt_siteinfo_load_ranks(mt_siteinfo *si, const char *path, mt_siteinfo_load_stats *st);
/* A directory laid out like UT1's (DIR/<category>/domains, or the flat
 * DIR/<category>_domains.txt), or a `domain,category` CSV file. A domain in
 * several categories keeps the first, in sorted directory order. */
int mt_siteinfo_load_categories(mt_siteinfo *si, const char *path, mt_siteinfo_load_stats *st);

/* Rank of a host: of the host itself, else of its nearest listed parent
 * (www.example.com takes example.com's rank); 0 when unranked. */
uint32_t mt_siteinfo_rank(const mt_siteinfo *si, const char *host);
/* Category the same way; "" when unknown. */
const char *mt_siteinfo_category(const mt_siteinfo *si, const char *host);
size_t mt_siteinfo_n_ranked(const mt_siteinfo *si);
size_t mt_siteinfo_n_categorised(const mt_siteinfo *si);

/* The site of a host: its registrable domain ("eTLD+1") from the public
 * suffix list, lower-cased, without a trailing dot (www.bbc.co.uk ->
 * bbc.co.uk). An IP address or a host that is itself a public suffix is its
 * own site. 0 on success, -1 when out is too small or host is empty. */
int mt_siteinfo_site(const mt_siteinfo *si, const char *host, char *out, size_t cap);

#endif
