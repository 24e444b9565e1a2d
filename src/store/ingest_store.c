/* Ingest into the store (see ingest_store.h). */
#include "store/ingest_store.h"

#include <stdlib.h>
#include <time.h>

#include "detect/alert.h"

struct mt_store_ingest {
    mt_engine *engine;
    mt_store *store;
    mt_ingest *ig;
    uint64_t alerts_mining, alerts_other;
    int store_failed;
    char store_msg[512];
};

static int store_rc(mt_store_ingest *si, int rc)
{
    if (rc != MT_OK && !si->store_failed) {
        si->store_failed = 1;
        mt_strlcpy(si->store_msg, mt_error_msg(), sizeof si->store_msg);
    }
    return rc;
}

const char *mt_store_ingest_store_error(const mt_store_ingest *si)
{
    if (si->store_failed) return si->store_msg;
    return mt_engine_sink_error(si->engine);
}

static void on_event(void *ctx, const mt_event *ev)
{
    mt_store_ingest *si = ctx;
    if (ev->type == MT_EV_ALERT) {
        if (mt_alert_is_mining(ev->u.alert)) si->alerts_mining++;
        else si->alerts_other++;
    }
    mt_engine_set_source(si->engine, ev->source == MT_SRC_ZEEK ? "zeek" : "eve");
    mt_engine_event(si->engine, ev);
}

static int on_finding(void *ctx, const mt_finding *f)
{
    mt_store_ingest *si = ctx;
    return store_rc(si, mt_store_put(si->store, f, 1));
}

static int on_web_finding(void *ctx, const mt_web_finding *f)
{
    mt_store_ingest *si = ctx;
    return store_rc(si, mt_store_put_web(si->store, f, 1));
}

mt_store_ingest *mt_store_ingest_new(mt_engine *e, mt_store *s, const mt_ingest_opts *o)
{
    mt_store_ingest *si = mt_xcalloc(1, sizeof *si);
    si->engine = e;
    si->store = s;
    mt_ingest_out to = {on_event, on_finding, si, on_web_finding};
    si->ig = mt_ingest_new(&to, o);
    return si;
}

void mt_store_ingest_free(mt_store_ingest *si)
{
    if (!si) return;
    mt_ingest_free(si->ig);
    free(si);
}

int mt_store_ingest_file(mt_store_ingest *si, const char *path, mt_ingest_stats *st)
{
    time_t started = time(NULL);
    uint64_t new0, dup0, new1, dup1;
    mt_store_counts(si->store, &new0, &dup0);
    si->alerts_mining = si->alerts_other = 0;
    int rc = mt_ingest_file(si->ig, path, st);
    mt_engine_flush(si->engine);
    int crc = store_rc(si, mt_store_commit(si->store));
    if (crc == MT_OK && mt_engine_sink_error(si->engine)) crc = MT_EIO;
    mt_store_counts(si->store, &new1, &dup1);
    st->findings_new = new1 - new0;
    st->findings_dup = dup1 - dup0;
    st->alerts_mining = si->alerts_mining;
    st->alerts_other = si->alerts_other;
    if (crc != MT_OK && !st->read_error) {
        st->read_error = crc;
        mt_strlcpy(st->error, mt_store_ingest_store_error(si), sizeof st->error);
        rc = crc;
    }
    mt_store_ingest_row row = {
        .path = path, .format = st->format, .status = st->read_error ? st->error : "ok",
        .started = (int64_t)started, .finished = (int64_t)time(NULL), .records = st->records,
        .findings_new = st->findings_new, .findings_dup = st->findings_dup,
        .malformed = st->malformed, .unknown = st->unknown,
    };
    if (store_rc(si, mt_store_put_ingest_log(si->store, &row)) == MT_OK) store_rc(si, mt_store_commit(si->store));
    return rc;
}
