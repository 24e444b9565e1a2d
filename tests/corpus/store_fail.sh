#!/usr/bin/env bash
# A store or output that cannot be written ends the run with exit status 2
# and the backend's message, said once (docs/STORE.md, "Failures"):
#   - `scan -o`, `web -o` and `botnet -o` to a full device (/dev/full);
#   - `scan --db` and `ingest --db` into SQLite on a full
#     filesystem (a small tmpfs; needs root, else that part is skipped);
#   - `scan --db` and `ingest --db` into PostgreSQL whose server is stopped
#     (pg_ctl stop -m immediate) while the run is reading its input;
#   - `export -o` to a FIFO or to a symlink to a character device writes
#     through it and leaves it what it was (never renames a file over it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SRC=${MT_SRC:-$(cd "$here/../.." && pwd)}
BIN=$(realpath "${MT_BIN:-$SRC/build/minetrace}")
C=$(realpath "${MT_CORPUS:-$SRC/../shared/corpus}")
tmp=$(mktemp -d)
pgdir=$(mktemp -d /tmp/mtpgf.XXXXXX)
mnt=""
cleanup() {
    bash "$SRC/scripts/pg_test_server.sh" stop "$pgdir" >/dev/null 2>&1 || true
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null || true
    rm -rf "$tmp" "$pgdir"
}
trap cleanup EXIT
fail() { echo "store_fail: FAIL: $*" >&2; exit 1; }

P=$C/pcap/other
caps=("$P"/jsiwek_zeek-cryptomining/*.pcap "$P"/nesfit_DI-cryptominingdetection/*.pcapng "$C"/pcap/ndpi/mining.pcapng)
eve=$C/logs/suricata/slips_test6-malicious_eve.json
[ -f "${caps[0]}" ] && [ -f "$eve" ] || fail "corpus not found under $C"

# expect2 NAME PATTERN CMD...: exit status 2, PATTERN in stderr exactly once.
expect2() {
    local name=$1 pat=$2 r=0
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || r=$?
    [ "$r" -eq 2 ] || { cat "$tmp/err" >&2; fail "$name: exit $r, not 2"; }
    local n
    n=$(grep -c -- "$pat" "$tmp/err" || true)
    [ "$n" -eq 1 ] || { cat "$tmp/err" >&2; fail "$name: '$pat' said $n times, not once"; }
    echo "store_fail: ok: $name: $(grep -- "$pat" "$tmp/err")"
}

# ---- output to a full device
expect2 "scan -o /dev/full" "No space left on device" "$BIN" scan -q -o /dev/full "${caps[@]}"
expect2 "scan > /dev/full" "No space left on device" sh -c '"$0" scan -q "$@" >/dev/full' "$BIN" "${caps[@]}"

mkdir -p "$tmp/site"
cat >"$tmp/site/index.html" <<'EOF2'
<html><head><script src="https://coinhive.com/lib/coinhive.min.js"></script>
<script>var miner = new CoinHive.Anonymous(key, {throttle: 0.3}); miner.start();</script></head><body>hi</body></html>
EOF2
expect2 "web -o /dev/full" "No space left on device" "$BIN" web -q -o /dev/full "$tmp/site"
expect2 "botnet -o /dev/full" "No space left on device" "$BIN" botnet -q -o /dev/full "$C"/botnet/killchain_2023/*

# ---- export through a FIFO and a symlink to a character device
# Findings as JSONL (ingest stores them as they are) and in an SQLite store.
"$BIN" scan -q --db "$tmp/ok.db" -o "$tmp/f.jsonl" "${caps[@]}" || [ $? -eq 1 ] || fail "scan --db"
[ "$(wc -l <"$tmp/f.jsonl")" -gt 1000 ] || fail "the captures gave too few findings"
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
r=0; "$BIN" export -q --format hosts --db "$tmp/ok.db" -o "$tmp/fifo" 2>"$tmp/err" || r=$?
wait "$reader"
[ "$r" -le 1 ] || { cat "$tmp/err" >&2; fail "export to a FIFO exited $r"; }
[ -p "$tmp/fifo" ] || fail "export replaced the FIFO"
grep -q '^0\.0\.0\.0 ' "$tmp/fifo.out" || fail "export wrote no hosts line through the FIFO"
ln -s /dev/zero "$tmp/zero"
r=0; "$BIN" export -q --format hosts --db "$tmp/ok.db" -o "$tmp/zero" 2>"$tmp/err" || r=$?
[ "$r" -le 1 ] || { cat "$tmp/err" >&2; fail "export to a symlink to /dev/zero exited $r"; }
[ -L "$tmp/zero" ] && [ -c "$tmp/zero" ] || fail "export replaced the symlink to /dev/zero"
ls "$tmp" | grep -q '\.tmp\.' && fail "export left a temporary file"
echo x >"$tmp/list.txt"
ln -s "$tmp/list.txt" "$tmp/list.link"
r=0; "$BIN" export -q --format hosts --db "$tmp/ok.db" -o "$tmp/list.link" 2>"$tmp/err" || r=$?
[ "$r" -le 1 ] || fail "export to a symlink to a file exited $r"
[ -L "$tmp/list.link" ] || fail "export replaced the symlink to a regular file"
grep -q '^0\.0\.0\.0 ' "$tmp/list.txt" || fail "export did not write the file the symlink names"
echo "store_fail: ok: export to a FIFO, a device symlink and a file symlink"

# ---- SQLite on a full filesystem
if [ "$(id -u)" -eq 0 ] && mkdir "$tmp/mnt" && mount -t tmpfs -o size=400k tmpfs "$tmp/mnt" 2>/dev/null; then
    mnt=$tmp/mnt
    expect2 "scan --db on a full filesystem" "full" "$BIN" scan -q --db "$mnt/s.db" -o /dev/null "${caps[@]}"
    rm -f "$mnt"/*
    expect2 "ingest --db on a full filesystem" "full" "$BIN" ingest -q --no-progress --db "$mnt/i.db" "$tmp/f.jsonl"
    rm -f "$mnt"/*
else
    echo "store_fail: SKIP: SQLite on a full filesystem (needs root to mount a tmpfs)"
fi

# ---- PostgreSQL stopped mid-run
rc=0
bash "$SRC/scripts/pg_test_server.sh" start "$pgdir" >/dev/null || rc=$?
if [ "$rc" -eq 3 ]; then
    [ "${CI:-}" = "true" ] && fail "no PostgreSQL 15 server binaries, and in CI these tests are required"
    echo "store_fail: SKIP: PostgreSQL (no PostgreSQL 15 server binaries)"
    exit 0
fi
[ "$rc" -eq 0 ] || fail "cannot start the PostgreSQL test server"
eval "$(bash "$SRC/scripts/pg_test_server.sh" env "$pgdir")"
psql -qX -d postgres -c "CREATE DATABASE sf" >/dev/null
uri="postgresql:///sf?host=$pgdir&user=minetrace"
# The last input is a FIFO: opening it for writing waits until the run has
# read the inputs before it (and stored their findings); the server is
# stopped, and only then does the FIFO deliver its capture.
stop_then_feed() { # FIFO FILE
    exec 3>"$1"
    bash "$SRC/scripts/pg_test_server.sh" stop "$pgdir" >/dev/null 2>&1 || true
    cat "$2" >&3
    exec 3>&-
}
mkfifo "$tmp/pg.pcap"
stop_then_feed "$tmp/pg.pcap" "$C/pcap/ndpi/mining.pcapng" &
feeder=$!
expect2 "scan --db postgresql, server stopped" "minetrace scan:" "$BIN" scan -q --db "$uri" -o /dev/null \
    "${caps[@]}" "$tmp/pg.pcap"
wait "$feeder" || true
bash "$SRC/scripts/pg_test_server.sh" start "$pgdir" >/dev/null || fail "cannot restart the PostgreSQL test server"
eval "$(bash "$SRC/scripts/pg_test_server.sh" env "$pgdir")"
psql -qX -d postgres -c "CREATE DATABASE sf2" >/dev/null
uri="postgresql:///sf2?host=$pgdir&user=minetrace"
mkfifo "$tmp/pg.json"
stop_then_feed "$tmp/pg.json" "$tmp/f.jsonl" &
feeder=$!
expect2 "ingest --db postgresql, server stopped" "minetrace ingest:" "$BIN" ingest -q --no-progress --db "$uri" \
    "$eve" "$tmp/pg.json" "$tmp/f.jsonl"
wait "$feeder" || true
echo "store_fail: PASS"
