/* The report document: what every renderer (text, JSON, CSV, HTML+SVG)
 * draws, without knowing which analysis produced it.
 *
 * A document (mt_rdoc) is a list of sections. A section has an id (its JSON
 * member and HTML anchor), a title and a note, and a list of blocks:
 *   heading    a sub-heading ("== T ==" in text, <h3> in HTML)
 *   para       a paragraph of spans (plain or emphasised with an id)
 *   kv         key/value figures (JSON members, a CSV key,value file)
 *   table      rows of typed cells (text, count, integer, share, float,
 *              date, milliseconds, boolean)
 *   chart      a bar or time chart over a table's columns (HTML only)
 *   group      a JSON object (or array of objects) around child blocks;
 *              transparent in the other formats
 *   highlights the key figures of every section, as cards (HTML only)
 * Builders (one per analysis: sections_traffic.c; docs/REPORT.md shows how
 * to add one) fill the document from analysis results; renderers only read
 * it.
 *
 * Every element carries the set of formats that show it (MT_RF_*). By
 * default a block shows everywhere; a builder narrows it where the formats
 * say different things (a terminal line and an HTML sentence with bold
 * figures), and a table can show different columns, in a different order,
 * per format (mt_rtable_view). This is how one model gives each format the
 * output it had before the model existed.
 *
 * Strings given to the builder functions are copied into the document, so
 * callers may pass temporary buffers. Data strings are stored raw and escaped
 * by each renderer (util/buf.h, mt_term_str); the only markup that is not
 * escaped is a column's `html` header, which must be a string constant. */
#ifndef MT_REPORT_SECTION_H
#define MT_REPORT_SECTION_H

#include <stddef.h>
#include <stdint.h>

/* Output formats. */
enum { MT_RF_TEXT = 1, MT_RF_JSON = 2, MT_RF_CSV = 4, MT_RF_HTML = 8, MT_RF_ALL = 15 };
#define MT_RF_N 4 /* number of formats; format index = bit position */

/* Value types of table columns and key/value items. */
typedef enum {
    MT_RT_TEXT,  /* string (usually from the data): escaped everywhere; cut in text/HTML */
    MT_RT_COUNT, /* uint64: 1,234 in text/HTML, 1234 in JSON/CSV */
    MT_RT_INT,   /* int64 shown plainly; MT_RCF_SIGN shows "+3" in text/HTML */
    MT_RT_SHARE, /* fraction 0..1: "12.3%" in text/HTML, 0.123 in JSON/CSV; charts plot percent */
    MT_RT_FLOAT, /* double: `digits` decimals (or significant digits with MT_RCF_G) in text/HTML */
    MT_RT_DATE,  /* day number since 1970-01-01: "2018-01-30" */
    MT_RT_MS,    /* duration in milliseconds, one decimal everywhere */
    MT_RT_BOOL   /* true/false */
} mt_rtype;
/* In every format an undefined FLOAT or SHARE (NaN) and a null cell are
 * "-" in text/HTML, null in JSON and an empty CSV field. */

enum {
    MT_RCF_SIGN = 1, /* INT: always print the sign in text/HTML */
    MT_RCF_G = 2,    /* FLOAT: `digits` significant digits (%g) */
    MT_RCF_LEFT = 4  /* left-aligned although numeric */
};

typedef struct mt_rcol {
    const char *key;   /* JSON member, CSV header */
    const char *label; /* text and HTML header; NULL = key */
    const char *html;  /* HTML header markup, a constant (not escaped); NULL = label */
    mt_rtype type;
    int width;         /* text column width (code points) */
    int digits;        /* FLOAT */
    unsigned flags;    /* MT_RCF_* */
} mt_rcol;

typedef struct mt_rcell {
    int null;
    union {
        const char *s; /* TEXT */
        uint64_t u;    /* COUNT */
        int64_t i;     /* INT, DATE, BOOL */
        double d;      /* SHARE, FLOAT, MS */
    } v;
} mt_rcell;

#define MT_RTAB_MAXCOLS 16

typedef struct mt_rtable {
    mt_rcol cols[MT_RTAB_MAXCOLS];
    size_t ncols;
    mt_rcell *cells; /* row-major, nrows * ncols */
    size_t nrows, cap, filled;
    /* Columns shown per format, in order (indices into cols); nview < 0 =
     * every column in declared order. */
    int view[MT_RF_N][MT_RTAB_MAXCOLS];
    int nview[MT_RF_N];
    int show_empty;  /* no rows: "(none)" in text, a "none" row in HTML */
    uint64_t more;   /* rows left out (a top-N cut): "(N more)" */
} mt_rtable;

typedef enum { MT_RCHART_HBARS, MT_RCHART_VBARS, MT_RCHART_TIME } mt_rchart_kind;
typedef enum { MT_RS_BAR, MT_RS_LINE } mt_rstyle;
typedef enum {
    MT_RAXIS_LEFT, /* the shared left axis */
    MT_RAXIS_OWN   /* its own scale and axis (HTML: a labelled axis each, on the right) */
} mt_raxis;

/* A series of a time chart: y over x (a DATE column of `t`). */
typedef struct mt_rseries {
    const mt_rtable *t;
    int xcol, ycol;
    mt_rstyle style;
    mt_raxis axis;
    int at_mid;          /* points at the middle of the row's period (t = the chart's x table) */
    const char *label;   /* legend (copied; escaped) */
    size_t label_max;    /* cut the label to this many code points (0 = whole) */
    const char *suffix;  /* appended after the cut label (copied) */
    int log;             /* HTML: a logarithmic axis (the shared left one when any left series asks) */
    const char *axis_title; /* HTML: the title of its own axis (copied); NULL = the label cut short */
} mt_rseries;

#define MT_RCHART_MAXSERIES 8

typedef struct mt_rchart {
    mt_rchart_kind kind;
    const char *id, *title, *alt; /* alt: the SVG <title>; NULL = title */
    /* Bar charts: one bar per row of t (at most max_rows; 0 = all). */
    const mt_rtable *t;
    int label_col, value_col, note_col, accent_col; /* note/accent: -1 = none */
    size_t max_rows;
    /* Time charts: periods of t (start day in xcol, tick label in label_col);
     * period_days: length of a lone period. */
    int xcol;
    int period_days;
    mt_rseries series[MT_RCHART_MAXSERIES];
    size_t nseries;
} mt_rchart;

typedef struct mt_rspan {
    const char *text;
    size_t width;   /* text: cut to this many code points (0 = whole) */
    const char *id; /* HTML: emphasised (<b id=...>) when set */
} mt_rspan;

typedef struct mt_rkv {
    mt_rcol *cols;  /* key, label, type per item */
    mt_rcell *vals;
    unsigned *fmt;  /* formats per item */
    size_t n, cap;
} mt_rkv;

typedef enum {
    MT_RB_HEADING, MT_RB_PARA, MT_RB_KV, MT_RB_TABLE, MT_RB_CHART, MT_RB_GROUP, MT_RB_HIGHLIGHTS
} mt_rblock_kind;

typedef struct mt_rblock mt_rblock;

typedef struct mt_rbox {
    mt_rblock **v;
    size_t n, cap;
} mt_rbox;

struct mt_rblock {
    mt_rblock_kind kind;
    unsigned fmt;       /* formats that show it */
    const char *json;   /* JSON member name (table, group) */
    const char *csv;    /* CSV file stem (table, kv) */
    const char *html_id;
    const char *text;   /* heading */
    const char *klass;  /* para: HTML class (default "note") */
    mt_rspan *spans;    /* para */
    size_t nspans, capspans;
    mt_rkv kv;
    mt_rtable table;
    mt_rchart chart;
    mt_rbox box;        /* group children */
    int array;          /* group: JSON array of its children (each a group) */
};

/* JSON shape of a section. */
typedef enum {
    MT_RJ_OBJECT, /* "id":{ members of its blocks } */
    MT_RJ_INLINE, /* its members go straight into the document object */
    MT_RJ_VALUE   /* "id": the value of its one JSON block (a table's rows, an array group) */
} mt_rjson;

typedef struct mt_rhighlight {
    const char *id, *label, *value;
} mt_rhighlight;

typedef struct mt_rsection {
    const char *id, *title, *note;
    unsigned title_fmt; /* formats showing title and note (text, HTML); default both */
    mt_rjson json;
    mt_rbox box;
    mt_rhighlight *hl;
    size_t nhl, caphl;
} mt_rsection;

typedef struct mt_rarena mt_rarena;

typedef struct mt_rdoc {
    const char *title;     /* HTML <h1> */
    const char *doc_title; /* HTML <title> */
    const char *sub, *sub_id; /* HTML subtitle paragraph and its id */
    mt_rsection **sec;
    size_t nsec, capsec;
    mt_rarena *arena;
} mt_rdoc;

void mt_rdoc_init(mt_rdoc *d);
void mt_rdoc_free(mt_rdoc *d);
/* A copy of s (or of a printf result) that lives as long as the document. */
const char *mt_rdoc_str(mt_rdoc *d, const char *s);
const char *mt_rdoc_printf(mt_rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The HTML page's heading, <title>, and subtitle paragraph (with its id). */
void mt_rdoc_titles(mt_rdoc *d, const char *title, const char *doc_title, const char *sub,
                    const char *sub_id);

mt_rsection *mt_rdoc_section(mt_rdoc *d, const char *id, const char *title, const char *note);
void mt_rsec_highlight(mt_rdoc *d, mt_rsection *s, const char *id, const char *label, const char *value);

/* Blocks are added to a section's or a group's box, in output order. */
mt_rblock *mt_rb_heading(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *text);
mt_rblock *mt_rb_para(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *klass);
void mt_rb_span(mt_rdoc *d, mt_rblock *para, const char *text, size_t width, const char *id);
void mt_rb_spanf(mt_rdoc *d, mt_rblock *para, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
mt_rblock *mt_rb_group(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *json, int array);
mt_rblock *mt_rb_kv(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *csv);
mt_rblock *mt_rb_table(mt_rdoc *d, mt_rbox *in, unsigned fmt, const char *json, const char *csv,
                       const char *html_id);
mt_rblock *mt_rb_chart(mt_rdoc *d, mt_rbox *in, mt_rchart_kind kind, const char *id, const char *title);
mt_rblock *mt_rb_highlights(mt_rdoc *d, mt_rbox *in);

/* Key/value items (formats per item; the block's formats still apply). */
void mt_rkv_text(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, const char *v);
void mt_rkv_count(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, uint64_t v);
void mt_rkv_int(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, int64_t v);
void mt_rkv_share(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, double v);
void mt_rkv_ms(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, double v);
void mt_rkv_bool(mt_rdoc *d, mt_rblock *kv, unsigned fmt, const char *key, int v);

/* Table columns; returns the column index. */
int mt_rt_col(mt_rdoc *d, mt_rtable *t, const char *key, mt_rtype type, int width);
void mt_rt_col_label(mt_rdoc *d, mt_rtable *t, int col, const char *label, const char *html);
void mt_rt_col_format(mt_rtable *t, int col, int digits, unsigned flags);
/* The columns shown in the formats `fmt`, by key, space-separated, in order. */
void mt_rt_view(mt_rtable *t, unsigned fmt, const char *keys);
/* Cells are appended row by row, left to right. */
void mt_rt_text(mt_rdoc *d, mt_rtable *t, const char *s);
void mt_rt_count(mt_rtable *t, uint64_t v);
void mt_rt_int(mt_rtable *t, int64_t v);
void mt_rt_share(mt_rtable *t, double v);
void mt_rt_float(mt_rtable *t, double v);
void mt_rt_date(mt_rtable *t, int64_t day);
void mt_rt_null(mt_rtable *t);
const mt_rcell *mt_rt_cell(const mt_rtable *t, size_t row, int col);
/* Columns shown in format index f (0..3): fills out[], returns how many. */
size_t mt_rt_cols_for(const mt_rtable *t, int f, int *out);

/* Time-chart series; returns it for further settings. */
mt_rseries *mt_rchart_series(mt_rdoc *d, mt_rchart *c, const mt_rtable *t, int xcol, int ycol,
                             mt_rstyle style, mt_raxis axis, const char *label);

/* Index (0..3) of a single MT_RF_* bit. */
int mt_rf_index(unsigned f);

#endif
