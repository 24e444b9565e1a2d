#!/usr/bin/env bash
# Live capture, for real: `minetrace scan -i` on one end of a veth pair in a
# private network namespace while tcpreplay sends a recorded XMRig session
# (our own recording, tests/data/xmrig/) from the other end. Checks that the
# miner is found, that SIGTERM flushes pending findings and exits 1 (the
# exit status of a run with findings; 0 = none, 2 = error), that -Z
# drops privileges after the interface is open, that the kernel counters are
# reported, that a BPF filter (-f) excludes what it should, and that a
# running capture writes and commits every second, reopens its output on
# SIGHUP and loses nothing older than a second to SIGKILL.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
PCAP=$SRC/tests/data/xmrig/xmrig616_clear.pcap
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v tcpreplay >/dev/null; then
  echo "SKIP: needs root, iproute2 and tcpreplay (scripts/setup.sh installs them)"; exit 0
fi
ns=mtlive$$
tmp=$(mktemp -d); [ -z "${KEEP:-}" ] || echo "kept: $tmp"
cleanup() { ip netns del "${ns}a" 2>/dev/null || true; ip netns del "${ns}b" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "${ns}a"; ip netns add "${ns}b"
ip link add va$$ netns "${ns}a" type veth peer name vb$$ netns "${ns}b"
ip -n "${ns}a" link set va$$ up; ip -n "${ns}b" link set vb$$ up
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# 1. capture with privilege drop, stopped by SIGTERM
ip netns exec "${ns}b" "$BIN" scan -i vb$$ -Z nobody -o "$tmp/live.jsonl" --hosts --json >"$tmp/hosts.json" 2>"$tmp/err.txt" &
pid=$!
sleep 1.5
uid=$(awk '/^Uid:/{print $2}' /proc/$pid/status 2>/dev/null || echo gone)
ip netns exec "${ns}a" tcpreplay -q -i va$$ --topspeed "$PCAP" >/dev/null 2>&1
sleep 1
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
check "scan -i with findings exits 1 on SIGTERM (got $rc)" '[ "$rc" = 1 ]'
check "privileges dropped to nobody (uid $uid)" '[ "$uid" = "$(id -u nobody)" ]'
check "kernel counters reported" 'grep -q "dropped by kernel" "$tmp/err.txt"'
check "stratum finding for the miner 10.77.16.2" \
  'grep -q "\"src_ip\":\"10.77.16.2\".*\"kind\":\"stratum\",\"protocol\":\"xmrig\"" "$tmp/live.jsonl"'
check "wallet extracted live" 'grep -q "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A" "$tmp/live.jsonl"'
check "host verdict for 10.77.16.2" 'grep -q "\"host\":\"10.77.16.2\"" "$tmp/hosts.json"'

# 2. a BPF filter that excludes the pool port: no finding
ip netns exec "${ns}b" "$BIN" scan -i vb$$ -f "not port 3333" -q -o "$tmp/filtered.jsonl" 2>"$tmp/err2.txt" &
pid=$!
sleep 1.5
ip netns exec "${ns}a" tcpreplay -q -i va$$ --topspeed "$PCAP" >/dev/null 2>&1
sleep 1
kill -INT "$pid"; rc=0; wait "$pid" || rc=$?
check "filtered run without findings exits 0 on SIGINT (got $rc)" '[ "$rc" = 0 ] && [ ! -s "$tmp/filtered.jsonl" ]'
check "filter excluded the Stratum session" '! grep -q stratum "$tmp/filtered.jsonl"'

# 4. a sensor that loses nothing: findings reach the -o file and the --db
# store while the capture runs (flushed and committed every second); after
# the file is moved away and SIGHUP, new findings go to a new file under the
# old name; SIGKILL leaves a consistent store holding everything older than
# a second. Fresh pool lookups (own synthetic DNS, new clients per phase)
# follow the recorded XMRig session.
gen=$SRC/tests/integration/lib/pcapgen.py
python3 "$gen" dns "$tmp/phase2.pcap" 5 10.66.0.1
python3 "$gen" dns "$tmp/phase3.pcap" 5 10.67.0.1
q() { sqlite3 -cmd ".timeout 3000" "$tmp/live.db" "$1"; }
ip netns exec "${ns}b" "$BIN" scan -i vb$$ -o "$tmp/rot.jsonl" --db "$tmp/live.db" 2>"$tmp/err4.txt" &
pid=$!
sleep 1.5
ip netns exec "${ns}a" tcpreplay -q -i va$$ --topspeed "$PCAP" >/dev/null 2>&1
sleep 2
check "running: the Stratum finding is in the file within 2 s" \
  'kill -0 $pid && grep -q "\"src_ip\":\"10.77.16.2\".*\"kind\":\"stratum\"" "$tmp/rot.jsonl"'
check "running: and in the store" \
  '[ "$(q "SELECT count(*) FROM findings WHERE src_ip = '"'"'10.77.16.2'"'"' AND kind = '"'"'stratum'"'"'")" -ge 1 ]'
mv "$tmp/rot.jsonl" "$tmp/rot.jsonl.1"
kill -HUP "$pid"
sleep 0.5
ip netns exec "${ns}a" tcpreplay -q -i va$$ --topspeed "$tmp/phase2.pcap" >/dev/null 2>&1
sleep 2
check "SIGHUP: still running" 'kill -0 $pid'
check "SIGHUP: the file was reopened (said on stderr)" 'grep -q "SIGHUP: reopened .*rot.jsonl" "$tmp/err4.txt"'
check "SIGHUP: new findings in the new file" '[ "$(grep -c "\"src_ip\":\"10\.66\.0\." "$tmp/rot.jsonl")" = 5 ]'
check "SIGHUP: none in the rotated file, which keeps the old ones" \
  '! grep -q "10\.66\.0\." "$tmp/rot.jsonl.1" && grep -q "10.77.16.2" "$tmp/rot.jsonl.1"'
ip netns exec "${ns}a" tcpreplay -q -i va$$ --topspeed "$tmp/phase3.pcap" >/dev/null 2>&1
sleep 2
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
check "SIGKILL: the store is consistent" '[ "$(q "PRAGMA integrity_check")" = ok ]'
check "SIGKILL: it holds the findings older than a second" \
  '[ "$(q "SELECT count(DISTINCT src_ip) FROM findings WHERE src_ip LIKE '"'"'10.67.0.%'"'"' OR src_ip LIKE '"'"'10.66.0.%'"'"'")" = 10 ]'
check "SIGKILL: and the file too" '[ "$(grep -c "\"src_ip\":\"10\.67\.0\." "$tmp/rot.jsonl")" = 5 ]'

# 3. a missing interface is a clear error, exit 2
rc=0; "$BIN" scan -i no-such-if0 -o /dev/null 2>"$tmp/err3.txt" || rc=$?
check "missing interface: exit 2 with a message (got $rc)" '[ "$rc" = 2 ] && grep -q "no-such-if0" "$tmp/err3.txt"'
[ $fail = 0 ] && echo "live capture: all checks passed"
exit $fail
