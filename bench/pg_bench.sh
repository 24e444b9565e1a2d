#!/bin/bash
# Benchmark of the PostgreSQL store beside the SQLite store: N findings
# (default 10,000,000) as JSONL from two sensors (two files of N/2, the
# mix of bench/report_bench.sh), ingested by two `minetrace ingest`
# processes at once into a PostgreSQL 15 server (started here with
# scripts/pg_test_server.sh: Unix socket, fsync off) and into an SQLite
# file; then every analysis over each store: `report` text (by day) and
# JSON (by week), the CSV tables, `export --format csv`. One table of wall
# time, the client's CPU time (user + system, both ingests summed), the
# server's CPU time (PostgreSQL's processes) and the client's peak RSS per
# step. `--sensor` is passed when this build's ingest has it.
#
# MT_PGB_STORES=sqlite|postgresql|both (default both) runs one half only;
# the server is started only when PostgreSQL is measured.
#
# Usage: [MT_PGB_STORES=...] bench/pg_bench.sh [BUILD_DIR] [N] [WORK_DIR]
set -eu
BUILD=${1:-build}
N=${2:-10000000}
WORK=${3:-bench/work/pg}
case ${MT_PGB_STORES:=both} in
    both) STORES="postgresql sqlite" ;;
    sqlite | postgresql) STORES=$MT_PGB_STORES ;;
    *) echo "MT_PGB_STORES must be sqlite, postgresql or both, not '$MT_PGB_STORES'"; exit 2 ;;
esac
usepg() { [ "$MT_PGB_STORES" != sqlite ]; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "$BUILD/minetrace")
[ -x "$BIN" ] || { echo "no $BIN: build first"; exit 1; }
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
if usepg; then
    PGDIR=$(mktemp -d /tmp/mtpgb.XXXXXX)
    cleanup() { bash "$SRC/scripts/pg_test_server.sh" stop "$PGDIR" >/dev/null 2>&1 || true; }
    trap cleanup EXIT
    bash "$SRC/scripts/pg_test_server.sh" start "$PGDIR"
    eval "$(bash "$SRC/scripts/pg_test_server.sh" env "$PGDIR")"
    psql -qX -c "CREATE DATABASE bench" >/dev/null
    PG="postgresql:///bench?host=$PGDIR&user=minetrace"
fi
LITE=$WORK/pg_bench_$N.db
rm -f "$LITE" "$LITE-wal" "$LITE-shm"

for s in 1 2; do
    F=$WORK/sensor$s.$N.jsonl
    [ -s "$F" ] && continue
    echo "generating $((N / 2)) findings of sensor $s into $F ..."
    python3 - "$F" "$((N / 2))" "$s" <<'PY'
import random, sys, datetime
path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
kinds = ["dns", "stratum", "tls", "http", "websocket", "ip", "behaviour"]
fams = ["monero-miner", "wannamine", "browser-miner", "bitcoin-miner", "monero-miner"]
t0 = datetime.datetime(2018, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
wallets = ["4" + "%094d" % i for i in range(1000)]
with open(path, "w") as out:
    w = out.write
    for i in range(n):
        a, b, d = rnd.getrandbits(48), rnd.getrandbits(32), rnd.getrandbits(32)
        ts = t0 + (a % 31536000000000) / 1e6
        port = [3333, 443, 80, 5555, 3000 + (d // 10) % 1000][d % 10] if d % 10 < 5 else (d // 7) % 65536
        et = "precursor" if b % 10 == 0 else "mining"
        stamp = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
        w('{"timestamp":"%s","flow_id":%d,"src_ip":"10.%d.%d.%d","src_port":%d,"dest_ip":"198.51.100.%d",'
          '"dest_port":%d,"proto":"TCP","event_type":"%s","%s":{"kind":"%s","protocol":"stratum-v1",'
          '"pool":"pool%d.example.net","wallet":"%s","worker":"w%d","agent":"XMRig/6.%d","algo":"rx/0",'
          '"family":"%s","confidence":80,"evidence":"stratum login from a host seen mining; method login",'
          '"source":"eve"}}\n' % (stamp, b % 100000, b % 2, (b // 2) % 240, (b // 480) % 250, 40000 + d % 20000,
                                 d % 200, port, et, et, kinds[d % 7], a % 300, wallets[a % 1000], b % 50, b % 30,
                                 fams[a % 5]))
PY
done

sensor_opt() { "$BIN" ingest --help 2>&1 | grep -q -- '--sensor' && echo "--sensor sensor$1"; }
# CPU seconds of the server: the postmaster's own and its reaped children's.
if usepg; then
    spid=$(head -1 "$PGDIR/data/postmaster.pid")
    server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / hz}' "/proc/$spid/stat"; }
else
    server_cpu() { echo 0; }
fi
T() { /usr/bin/time -o "$1" -f "%U	%S	%M" "${@:2}"; }
now() { date +%s.%N; }
row() { # step store wall client_cpu server_cpu rss_kb
    printf "| %s | %s | %.2f | %.2f | %s | %d MB |\n" "$1" "$2" "$3" "$4" "$5" "$(($6 / 1024))"
}
one() { # step store-name store args...: one minetrace run
    local step=$1 name=$2 store=$3; shift 3
    local c0 t0 t1 c1
    c0=$(server_cpu); t0=$(now)
    T "$WORK/t0" "$BIN" "$@" >/dev/null 2>"$WORK/err" || true
    t1=$(now); c1=$(server_cpu)
    IFS=$'\t' read -r u s rss <<<"$(tail -1 "$WORK/t0")"
    local sc="-"
    [ "$name" = postgresql ] && sc=$(printf "%.2f" "$(echo "$c1 - $c0" | bc)")
    row "$step" "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$u + $s" | bc)" "$sc" "$rss"
}
ingest2() { # store-name store: both sensors at once
    local name=$1 store=$2 c0 t0 t1 c1
    c0=$(server_cpu); t0=$(now)
    # shellcheck disable=SC2046
    T "$WORK/t1" "$BIN" ingest -q --no-progress $(sensor_opt 1) --db "$store" "$WORK/sensor1.$N.jsonl" >/dev/null 2>"$WORK/e1" &
    local p1=$!
    # shellcheck disable=SC2046
    T "$WORK/t2" "$BIN" ingest -q --no-progress $(sensor_opt 2) --db "$store" "$WORK/sensor2.$N.jsonl" >/dev/null 2>"$WORK/e2" &
    local p2=$!
    wait $p1 || true
    wait $p2 || true
    t1=$(now); c1=$(server_cpu)
    IFS=$'\t' read -r u1 s1 r1 <<<"$(tail -1 "$WORK/t1")"
    IFS=$'\t' read -r u2 s2 r2 <<<"$(tail -1 "$WORK/t2")"
    local sc="-"
    [ "$name" = postgresql ] && sc=$(printf "%.2f" "$(echo "$c1 - $c0" | bc)")
    row "ingest 2 x $((N / 2)) at once" "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$u1 + $s1 + $u2 + $s2" | bc)" \
        "$sc" "$((r1 > r2 ? r1 : r2))"
}
echo "| step | store | wall s | client CPU s | server CPU s | client max RSS |"
echo "|---|---|---|---|---|---|"
for st in $STORES; do
    store=$LITE
    [ "$st" = postgresql ] && store=$PG
    ingest2 $st "$store"
    one "report (text, by day; first)" $st "$store" report --db "$store" --by day
    one "report (text, by day)" $st "$store" report --db "$store" --by day
    one "report --json (by week)" $st "$store" report --db "$store" --by week --json
    rm -rf "$WORK/csv.$st"
    one "report --csv" $st "$store" report --db "$store" --csv "$WORK/csv.$st"
    one "export --format csv" $st "$store" export --db "$store" --only findings --format csv -o "$WORK/export.$st.csv"
done
echo
rows=
usepg && rows="postgresql $(psql -qAtX -d bench -c 'SELECT count(*) FROM findings')"
[ "$MT_PGB_STORES" != postgresql ] && rows="${rows:+$rows, }sqlite $(sqlite3 "$LITE" 'SELECT count(*) FROM findings')"
echo "rows: $rows"
