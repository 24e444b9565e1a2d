/* The PostgreSQL schema: tables, the version table, migrations and the
 * monthly partitions of findings and web_findings (docs/STORE.md,
 * "PostgreSQL").
 *
 * Tables and columns are SQLite's (docs/STORE.md), with server types
 * (bigint for times, uids and counts) and every text column in the "C"
 * collation: rows sort and compare bytewise, as in SQLite, so "the
 * earlier sighting replaces the row", max(category) and every ORDER BY
 * give the same answer in both backends, whatever the database's locale.
 *
 * findings and web_findings are PARTITION BY RANGE (day), one partition
 * per UTC month, made when the first row of a month is written: a year's
 * report reads twelve tables, and dropping a month is one DROP TABLE. The
 * unique key is (sensor, day, uid), the identity rule of the store (the
 * uid encodes the day; two sensors may see the same private address). A
 * partition is made as a plain table and then attached, which locks the
 * parent only against other attaches (SHARE UPDATE EXCLUSIVE), not
 * against writers; makers are serialised by an advisory lock and look
 * again under it, so concurrent writers make each month once.
 *
 * Versions: mt_schema holds the version. A writable open of an older
 * version migrates it in one transaction under pg_advisory_xact_lock, and
 * reads the version again under the lock, so concurrent openers of a new
 * database make it once and the others see it made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/pg_store.h"

/* pg_advisory_xact_lock(MT_PG_LOCK, 1): migrations; (MT_PG_LOCK, 2): partitions. */
#define MT_PG_LOCK "1835626085" /* "mine" */

#define T " text COLLATE \"C\" NOT NULL DEFAULT ''"

static const char *const schema_v1_sql =
    "CREATE TABLE mt_schema(version integer NOT NULL);"
    "CREATE TABLE meta(key text COLLATE \"C\" PRIMARY KEY, value text);"
    "CREATE TABLE findings("
    " id bigserial,"
    " uid bigint NOT NULL,"
    " ts bigint NOT NULL,"
    " day integer NOT NULL,"
    " flow_id bigint,"
    " src_ip" T ", src_port integer, dest_ip" T ", dest_port integer,"
    " proto" T ", event_type" T ", kind" T ","
    " protocol" T ", pool" T ", wallet" T ", worker" T ", agent" T ","
    " algo" T ", family" T ", confidence integer, evidence" T ", source" T ","
    " sensor" T ","
    " UNIQUE(sensor, day, uid)) PARTITION BY RANGE (day);"
    "CREATE INDEX findings_ts ON findings(ts);"
    "CREATE TABLE web_findings("
    " id bigserial,"
    " uid bigint NOT NULL,"
    " ts bigint NOT NULL,"
    " day integer NOT NULL,"
    " domain" T ", url" T ", resource" T ","
    " rank bigint, category" T ", provider" T ","
    " site_key" T ", kind" T ", confidence integer NOT NULL,"
    " evidence" T ", sensor" T ","
    " UNIQUE(sensor, day, uid)) PARTITION BY RANGE (day);"
    "CREATE INDEX web_findings_ts ON web_findings(ts);"
    "CREATE TABLE ingest_log("
    " id bigserial PRIMARY KEY, path" T ", format" T ", started bigint,"
    " finished bigint, records bigint, findings_new bigint,"
    " findings_dup bigint, skipped_malformed bigint,"
    " skipped_unknown bigint, status" T ", sensor" T ");"
    "CREATE TABLE campaigns("
    " id bigserial PRIMARY KEY,"
    " sensor" T ", campaign text COLLATE \"C\" NOT NULL,"
    " mining integer NOT NULL, family" T ", reason" T ","
    " first_seen bigint NOT NULL, last_seen bigint NOT NULL,"
    " sources bigint NOT NULL, sessions bigint NOT NULL, events bigint NOT NULL,"
    " peak_day" T ", peak_active bigint NOT NULL,"
    " scanned bigint NOT NULL, port22_open bigint NOT NULL,"
    " iot bigint NOT NULL, iot_unknown bigint NOT NULL, geo_unknown bigint NOT NULL,"
    " marker_type" T ", marker" T ", record" T ","
    " UNIQUE(sensor, campaign));"
    "CREATE TABLE campaign_days("
    " sensor" T ", campaign text COLLATE \"C\" NOT NULL, day bigint NOT NULL, active bigint NOT NULL,"
    " PRIMARY KEY(sensor, campaign, day));"
    "CREATE TABLE campaign_countries("
    " sensor" T ", campaign text COLLATE \"C\" NOT NULL, country text COLLATE \"C\" NOT NULL,"
    " sources bigint NOT NULL, PRIMARY KEY(sensor, campaign, country));"
    "CREATE TABLE campaign_members("
    " sensor" T ", campaign text COLLATE \"C\" NOT NULL, ip text COLLATE \"C\" NOT NULL,"
    " PRIMARY KEY(sensor, campaign, ip));"
    "CREATE INDEX campaign_members_ip ON campaign_members(ip);"
    "CREATE TABLE botnet_sources("
    " id bigserial PRIMARY KEY,"
    " sensor" T ", ip text COLLATE \"C\" NOT NULL,"
    " first_seen bigint NOT NULL, last_seen bigint NOT NULL, protocols bigint NOT NULL,"
    " sessions bigint NOT NULL, login_failed bigint NOT NULL, login_success bigint NOT NULL,"
    " credentials bigint NOT NULL, commands bigint NOT NULL, downloads bigint NOT NULL,"
    " uploads bigint NOT NULL, keys bigint NOT NULL,"
    " country" T ", asn bigint NOT NULL, as_org" T ","
    " port22_open integer, iot integer, device" T ", campaigns" T ", record" T ","
    " UNIQUE(sensor, ip));"
    "CREATE TABLE credentials("
    " id bigserial PRIMARY KEY,"
    " sensor" T ", username" T ", password" T ","
    " attempts bigint NOT NULL, sources bigint NOT NULL, days bigint NOT NULL,"
    " first_seen bigint NOT NULL, last_seen bigint NOT NULL,"
    " UNIQUE(sensor, username, password));"
    /* mt_partition(table, partition, first day, day after): make and attach
     * one month's partition unless it exists. */
    "CREATE FUNCTION mt_partition(tbl text, part text, lo integer, hi integer) RETURNS void"
    " LANGUAGE plpgsql AS $mt$"
    " BEGIN"
    "  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = current_schema()::regnamespace)"
    "  THEN RETURN; END IF;"
    "  PERFORM pg_advisory_xact_lock(" MT_PG_LOCK ", 2);"
    "  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = current_schema()::regnamespace)"
    "  THEN RETURN; END IF;"
    "  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, tbl);"
    "  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', tbl, part, lo, hi);"
    " END $mt$;"
    "INSERT INTO meta(key, value) VALUES('schema_version', '1');";

static int schema_v1(mt_pg_store *s)
{
    if (mt_pg_exec(s, schema_v1_sql, "create the schema") != MT_OK) return MT_EIO;
    char created[40];
    mt_time_format((mt_time_us)time(NULL) * 1000000, created, sizeof created);
    const char *v[1] = {created};
    return mt_pg_params(s, "INSERT INTO meta(key, value) VALUES('created', $1)", 1, v, "write meta", NULL);
}

/* A new version adds a step here and a row to docs/STORE.md. */
static int (*const migrations[MT_PG_SCHEMA_VERSION])(mt_pg_store *s) = {schema_v1};

/* The version of the database: mt_schema's, 0 for a database without
 * minetrace's tables; an error for one with a findings table that is not
 * ours. */
static int detect(mt_pg_store *s, const char *where, int *ver)
{
    PGresult *r = NULL;
    /* pg_class read with the statement's snapshot, not to_regclass(): after
     * waiting for the migration lock, the tables another opener made just
     * now must be seen. */
    if (mt_pg_params(s, "SELECT count(*) FILTER (WHERE relname = 'mt_schema') > 0, count(*) FILTER (WHERE relname ="
                        " 'findings') > 0 FROM pg_class WHERE relnamespace = current_schema()::regnamespace", 0,
                     NULL, "read the schema version", &r) != MT_OK)
        return MT_EIO;
    int has_schema = PQgetvalue(r, 0, 0)[0] == 't', has_findings = PQgetvalue(r, 0, 1)[0] == 't';
    PQclear(r);
    if (!has_schema) {
        if (has_findings)
            return mt_error_set(MT_EINVAL, "%s has a findings table but no mt_schema: not a minetrace store", where);
        *ver = 0;
        return MT_OK;
    }
    if (mt_pg_params(s, "SELECT max(version) FROM mt_schema", 0, NULL, "read the schema version", &r) != MT_OK)
        return MT_EIO;
    int64_t v = mt_pg_i64(r, 0, 0);
    PQclear(r);
    *ver = v > 1000000 ? 1000000 : v < 1 ? 1 : (int)v;
    return MT_OK;
}

static int migrate(mt_pg_store *s, const char *where, int *ver)
{
    if (mt_pg_exec(s, "BEGIN", "begin the migration") != MT_OK) return MT_EIO;
    int from = *ver, v = 0;
    int rc = mt_pg_exec(s, "SELECT pg_advisory_xact_lock(" MT_PG_LOCK ", 1)", "lock the schema");
    if (rc == MT_OK) rc = detect(s, where, &v);
    from = v;
    if (rc == MT_OK && v > MT_PG_SCHEMA_VERSION) {
        *ver = v;
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return MT_OK; /* made newer meanwhile: the caller says so */
    }
    for (; rc == MT_OK && v < MT_PG_SCHEMA_VERSION; v++) rc = migrations[v](s);
    if (rc == MT_OK && from < MT_PG_SCHEMA_VERSION) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "DELETE FROM mt_schema; INSERT INTO mt_schema VALUES(%d);"
                 " UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
                 MT_PG_SCHEMA_VERSION, MT_PG_SCHEMA_VERSION);
        rc = mt_pg_exec(s, sql, "write the schema version");
    }
    if (rc == MT_OK) rc = mt_pg_exec(s, "COMMIT", "commit the migration");
    if (rc != MT_OK) {
        char why[300];
        mt_strlcpy(why, mt_error_msg(), sizeof why);
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return mt_error_set(MT_EIO, "%s: making the schema version %d from %d failed (nothing was changed): %s",
                            where, MT_PG_SCHEMA_VERSION, from, why);
    }
    *ver = MT_PG_SCHEMA_VERSION;
    return MT_OK;
}

int mt_pg_schema_open(mt_pg_store *s, const char *where, int *ver)
{
    int ro = (s->flags & MT_STORE_READONLY) != 0;
    if (detect(s, where, ver) != MT_OK) return MT_EIO;
    if (*ver == 0 && (ro || !(s->flags & MT_STORE_CREATE)))
        return mt_error_set(MT_EINVAL, "%s has no minetrace tables (it is empty)", where);
    if (!ro && *ver < MT_PG_SCHEMA_VERSION && migrate(s, where, ver) != MT_OK) return MT_EIO;
    if (*ver > MT_PG_SCHEMA_VERSION)
        return mt_error_set(MT_EINVAL, "%s has schema version %d, newer than this minetrace knows (%d): use a "
                            "newer minetrace", where, *ver, MT_PG_SCHEMA_VERSION);
    if (ro) return MT_OK;
    /* The staging tables of this connection (pg_write.c). */
    return mt_pg_exec(s,
                      "CREATE TEMP TABLE mt_stage_findings(uid bigint, ts bigint, day integer, flow_id bigint,"
                      " src_ip text COLLATE \"C\", src_port integer, dest_ip text COLLATE \"C\","
                      " dest_port integer, proto text COLLATE \"C\", event_type text COLLATE \"C\","
                      " kind text COLLATE \"C\", protocol text COLLATE \"C\", pool text COLLATE \"C\","
                      " wallet text COLLATE \"C\", worker text COLLATE \"C\", agent text COLLATE \"C\","
                      " algo text COLLATE \"C\", family text COLLATE \"C\", confidence integer,"
                      " evidence text COLLATE \"C\", source text COLLATE \"C\", sensor text COLLATE \"C\");"
                      "CREATE TEMP TABLE mt_stage_web(n bigint, uid bigint, ts bigint, day integer,"
                      " domain text, url text, resource text, rank bigint, category text, provider text,"
                      " site_key text, kind text, confidence integer, evidence text, sensor text)",
                      "make the staging tables");
}

/* ---- partitions -------------------------------------------------------------- */

int32_t mt_pg_month_of_day(int64_t day)
{
    int y, m, d;
    mt_civil_from_days(day, &y, &m, &d);
    return (int32_t)((int64_t)y * 12 + m - 1);
}

int mt_pg_partitions(mt_pg_store *s, int table, const int32_t *months, size_t n)
{
    static const char *const tables[2] = {"findings", "web_findings"};
    for (size_t i = 0; i < n; i++) {
        int32_t mo = months[i];
        int64_t y = mo >= 0 ? mo / 12 : -((-(int64_t)mo + 11) / 12);
        int m = (int)(mo - y * 12) + 1;
        int64_t lo = mt_days_from_civil(y, (unsigned)m, 1),
                hi = m == 12 ? mt_days_from_civil(y + 1, 1, 1) : mt_days_from_civil(y, (unsigned)m + 1, 1);
        char part[64], los[24], his[24];
        snprintf(part, sizeof part, "%s_p%04lld%02d", tables[table], (long long)y, m);
        snprintf(los, sizeof los, "%lld", (long long)lo);
        snprintf(his, sizeof his, "%lld", (long long)hi);
        const char *v[4] = {tables[table], part, los, his};
        if (mt_pg_params(s, "SELECT mt_partition($1, $2, $3, $4)", 4, v, "make a partition", NULL) != MT_OK)
            return MT_EIO;
        if (s->nknown[table] < MT_PG_MAX_KNOWN) s->known[table][s->nknown[table]++] = mo;
    }
    return MT_OK;
}
