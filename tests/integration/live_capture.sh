#!/usr/bin/env bash
# Live capture, for real: `minetrace scan -i` on one end of a veth pair in a
# private network namespace while tcpreplay sends a recorded XMRig session
# (our own recording, tests/data/xmrig/) from the other end. Checks that the
# miner is found, that SIGTERM flushes pending findings and exits 1 (the
# exit status of a run with findings; 0 = none, 2 = error), that -Z
# drops privileges after the interface is open, that the kernel counters are
# reported, and that a BPF filter (-f) excludes what it should.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
PCAP=$SRC/tests/data/xmrig/xmrig616_clear.pcap
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v tcpreplay >/dev/null; then
  echo "SKIP: needs root, iproute2 and tcpreplay (scripts/setup.sh installs them)"; exit 0
fi
ns=mtlive$$
tmp=$(mktemp -d)
cleanup() { ip netns del "${ns}a" 2>/dev/null || true; ip netns del "${ns}b" 2>/dev/null || true; rm -rf "$tmp"; }
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

# 3. a missing interface is a clear error, exit 2
rc=0; "$BIN" scan -i no-such-if0 -o /dev/null 2>"$tmp/err3.txt" || rc=$?
check "missing interface: exit 2 with a message (got $rc)" '[ "$rc" = 2 ] && grep -q "no-such-if0" "$tmp/err3.txt"'
[ $fail = 0 ] && echo "live capture: all checks passed"
exit $fail
