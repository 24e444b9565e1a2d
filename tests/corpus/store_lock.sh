#!/usr/bin/env bash
# Two writers into one SQLite file (two sensors sharing a store) lose
# nothing: a writer that finds the write lock held waits for it (up to ten
# minutes, docs/STORE.md "Transactions and crashes") instead of failing
# after one busy timeout (10 s) and dropping its batch.
#   - another process holds the write lock for 14 s while `ingest` starts:
#     the ingest waits, then stores every finding, exit status 1;
#   - two ingests of different sensors at once store the union.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SRC=${MT_SRC:-$(cd "$here/../.." && pwd)}
BIN=$(realpath "${MT_BIN:-$SRC/build/minetrace}")
C=$(realpath "${MT_CORPUS:-$SRC/../shared/corpus}")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "store_lock: FAIL: $*" >&2; exit 1; }
P=$C/pcap/other
caps=("$P"/jsiwek_zeek-cryptomining/*.pcap "$P"/nesfit_DI-cryptominingdetection/*.pcapng "$C"/pcap/ndpi/mining.pcapng)
[ -f "${caps[0]}" ] || fail "corpus not found under $C"
# The input: the findings of real mining captures, as minetrace JSONL.
eve=$tmp/findings.jsonl
"$BIN" scan -q -o "$eve" "${caps[@]}" || [ $? = 1 ] || fail "scan failed"
db=$tmp/f.db

# The reference: the same input alone.
rc=0; "$BIN" ingest -q --sensor a --db "$tmp/ref.db" "$eve" >/dev/null 2>&1 || rc=$?
[ $rc = 1 ] || fail "reference ingest exit $rc"
want=$(sqlite3 "$tmp/ref.db" 'SELECT count(*) FROM findings')
[ "$want" -gt 0 ] || fail "no findings in the reference"

# Create the schema, then hold the write lock from another connection.
"$BIN" ingest -q --sensor a --db "$db" /dev/null >/dev/null 2>&1 || true
python3 - "$db" "$tmp/held" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(14)
c.execute("COMMIT")
PY
holder=$!
for _ in $(seq 100); do [ -e "$tmp/held" ] && break; sleep 0.1; done
[ -e "$tmp/held" ] || fail "the lock holder did not start"
t0=$(date +%s)
rc=0; "$BIN" ingest -q --sensor a --db "$db" "$eve" >"$tmp/out" 2>"$tmp/err" || rc=$?
t1=$(date +%s)
wait $holder
[ $rc = 1 ] || { cat "$tmp/err" >&2; fail "ingest while the lock was held: exit $rc (want 1)"; }
[ $((t1 - t0)) -ge 10 ] || fail "ingest did not wait for the lock ($((t1 - t0)) s)"
got=$(sqlite3 "$db" 'SELECT count(*) FROM findings')
[ "$got" = "$want" ] || fail "stored $got findings after waiting, want $want"
echo "ok: a writer waits for the lock held 14 s, then stores all $got findings"

# Two sensors at once into a fresh file: the union, nothing lost.
rm -f "$tmp/two.db"*
"$BIN" ingest -q --sensor a --db "$tmp/two.db" /dev/null >/dev/null 2>&1 || true
ra=0; rb=0
"$BIN" ingest -q --sensor a --db "$tmp/two.db" "$eve" "$eve" >/dev/null 2>"$tmp/ea" & pa=$!
"$BIN" ingest -q --sensor b --db "$tmp/two.db" "$eve" "$eve" >/dev/null 2>"$tmp/eb" & pb=$!
wait $pa || ra=$?; wait $pb || rb=$?
[ $ra = 1 ] && [ $rb = 1 ] || { cat "$tmp/ea" "$tmp/eb" >&2; fail "concurrent ingests: exit $ra and $rb"; }
got=$(sqlite3 "$tmp/two.db" 'SELECT count(*) FROM findings')
[ "$got" = $((want * 2)) ] || fail "concurrent ingests stored $got, want $((want * 2))"
echo "ok: two concurrent sensors store $got findings ($want each)"
echo "store_lock: all checks passed"
