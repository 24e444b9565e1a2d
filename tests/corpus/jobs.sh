#!/usr/bin/env bash
# scan -j N gives what -j 1 gives (order aside): on every capture of the
# corpus and of tests/data, the sorted findings, for -j 2, 3 and 4; on the
# label captures also the --hosts verdicts, the store's rows and the
# --stats counters (but the peaks, which are per worker); several files in
# one run; a capture cut short (same warning, same counts, same exit). With
# MT_JOBS_BENCH=FILE (the 450 MB bench capture) that capture too.
# MT_JOBS_FULL=0 checks the label captures and tests/data only (a quick run
# under the sanitizers).
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
CORPUS=${MT_CORPUS:-$SRC/../shared/corpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# Every capture: findings of -j 1 against -j 2, 3, 4.
same_findings() { # FILE... ; prints the first -j that differs
  local ref out j rc0 rc
  rc0=0; "$BIN" scan -q -o - "$@" 2>"$tmp/e1" | sort >"$tmp/f1" || rc0=$?
  for j in 2 3 4; do
    rc=0; "$BIN" scan -q -j $j -o - "$@" 2>"$tmp/e$j" | sort >"$tmp/f$j" || rc=$?
    if ! cmp -s "$tmp/f1" "$tmp/f$j" || ! cmp -s "$tmp/e1" "$tmp/e$j" || [ "$rc0" != "$rc" ]; then
      echo "$j"; return
    fi
  done
}
list=$tmp/captures
find "$SRC/tests/data" -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort >"$list"
# The label captures (pcap/LABELS.tsv): mining and not-mining, each kind.
labelled=$tmp/labelled
grep -v '^#' "$CORPUS/pcap/LABELS.tsv" | cut -f1 | sed "s|^|$CORPUS/pcap/|" >"$labelled"
if [ "${MT_JOBS_FULL:-1}" = 1 ]; then
  find "$CORPUS/pcap" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort >>"$list"
else
  cat "$labelled" >>"$list"
fi
n=0; bad=0
while read -r f; do
  n=$((n + 1))
  d=$(same_findings "$f")
  if [ -n "$d" ]; then echo "differs with -j $d: $f"; bad=$((bad + 1)); fi
done <"$list"
check "findings, warnings and exit status of -j 2/3/4 = -j 1 on $n captures" '[ $bad = 0 ] && [ $n -gt 40 ]'

# Label captures: host verdicts, store rows, counters.
mapfile -t labels <"$labelled"
dump() { sqlite3 -separator '|' "$1" 'SELECT uid,ts,day,flow_id,src_ip,dest_ip,src_port,dest_port,proto,event_type,kind,protocol,pool,wallet,worker,agent,algo,family,confidence,evidence,source FROM findings ORDER BY uid'; }
nostats() { grep -vE '^(flows|stream messages)' "$1" | sed -E 's/; peak [0-9]+//'; }
hb=0; sb=0; tb=0
for f in "${labels[@]}"; do
  "$BIN" scan -q --hosts --json --min-score 0 "$f" >"$tmp/h1" 2>/dev/null || true
  "$BIN" scan -q --stats --db "$tmp/s1.db" -o /dev/null "$f" 2>"$tmp/t1" || true
  for j in 2 4; do
    "$BIN" scan -q -j $j --hosts --json --min-score 0 "$f" >"$tmp/h$j" 2>/dev/null || true
    cmp -s "$tmp/h1" "$tmp/h$j" || { echo "hosts differ (-j $j): $f"; hb=$((hb + 1)); }
    rm -f "$tmp/s$j.db"
    "$BIN" scan -q -j $j --stats --db "$tmp/s$j.db" -o /dev/null "$f" 2>"$tmp/t$j" || true
    cmp -s <(dump "$tmp/s1.db") <(dump "$tmp/s$j.db") || { echo "store differs (-j $j): $f"; sb=$((sb + 1)); }
    cmp -s <(nostats "$tmp/t1") <(nostats "$tmp/t$j") || { echo "--stats differ (-j $j): $f"; tb=$((tb + 1)); }
    # flows line without its peak
    cmp -s <(grep '^flows' "$tmp/t1" | sed -E 's/; peak [0-9]+//') \
           <(grep '^flows' "$tmp/t$j" | sed -E 's/; peak [0-9]+//') || { echo "flows differ (-j $j): $f"; tb=$((tb + 1)); }
  done
  rm -f "$tmp/s1.db"
done
check "--hosts of -j 2/4 = -j 1 on ${#labels[@]} captures" '[ $hb = 0 ]'
check "store rows of -j 2/4 = -j 1" '[ $sb = 0 ]'
check "--stats counters of -j 2/4 = -j 1 (peaks aside)" '[ $tb = 0 ]'

# Several files in one run: the DNS tie and the identity set span them.
mapfile -t several < <(head -12 "$list")
d=$(same_findings "${several[@]}")
check "${#several[@]} files in one run" '[ -z "$d" ]'
# Classic pcap files are walked by every worker, pcapng ones go through the
# reader's rings: a run that alternates the two keeps one numbering, one
# DNS tie and one order across the switches.
mapfile -t ngs < <(grep -E '\.pcapng$' "$list" | head -3)
mixed=()
for i in 0 1 2; do mixed+=("${labels[$i]}"); [ -n "${ngs[$i]:-}" ] && mixed+=("${ngs[$i]}"); done
mixed+=("${labels[3]}" "${labels[4]}")
d=$(same_findings "${mixed[@]}")
check "pcap and pcapng alternating in one run (${#mixed[@]} files)" '[ -z "$d" ] && [ ${#ngs[@]} -gt 0 ]'
# The reader can still hand a mapped file over the rings (MT_JOBS_NOWALK).
d=$(MT_JOBS_NOWALK=1 same_findings "${mixed[@]}")
check "mapped files handed over the rings (MT_JOBS_NOWALK)" '[ -z "$d" ]'
# A BPF filter applies alike in every walker.
d=$(same_findings -f 'not udp port 5353 and not port 80' "${labels[@]:0:8}")
check "with a BPF filter" '[ -z "$d" ]'

# A capture cut inside a record: same warning, same findings, same status.
big=$(while read -r f; do case $f in *.pcap) s=$(stat -c %s "$f"); [ "$s" -gt 200000 ] && echo "$f" && break;; esac; done <"$list")
if [ -n "$big" ]; then
  head -c $(( $(stat -c %s "$big") * 2 / 3 + 7 )) "$big" >"$tmp/cut.pcap"
  rc1=0; "$BIN" scan -o - "$tmp/cut.pcap" 2>"$tmp/c1" | sort >"$tmp/cf1" || rc1=$?
  rc2=0; "$BIN" scan -j 2 -o - "$tmp/cut.pcap" 2>"$tmp/c2" | sort >"$tmp/cf2" || rc2=$?
  check "cut capture: warning given" 'grep -q "input ends early" "$tmp/c1"'
  check "cut capture: -j 2 = -j 1 (findings, warning, exit $rc1)" \
    'cmp -s "$tmp/cf1" "$tmp/cf2" && cmp -s "$tmp/c1" "$tmp/c2" && [ "$rc1" = "$rc2" ]'
fi

# Usage: -j out of range, -j with -i.
rc=0; "$BIN" scan -j 65 x.pcap 2>"$tmp/u" || rc=$?
check "-j 65 is a usage error (exit 2)" '[ $rc = 2 ] && grep -q -- "--jobs" "$tmp/u"'
# -i with -j is live AF_PACKET fanout (tests/integration/afpacket.sh): a
# real interface would capture until stopped, so only the error path here,
# under a timeout so that a regression cannot hang the suite.
rc=0; timeout 20 "$BIN" scan -j 2 -i mt-nosuch0 -o /dev/null 2>"$tmp/u" || rc=$?
check "-j 2 -i on a missing interface: named, exit 2" '[ $rc = 2 ] && grep -q "mt-nosuch0" "$tmp/u"'
rc=0; "$BIN" scan -q -j 0 -o /dev/null "${labels[0]}" || rc=$?
check "-j 0 (online CPUs) runs" '[ $rc -le 1 ]'

if [ -n "${MT_JOBS_BENCH:-}" ] && [ -r "$MT_JOBS_BENCH" ]; then
  d=$(same_findings "$MT_JOBS_BENCH")
  check "bench capture: -j 2/3/4 = -j 1" '[ -z "$d" ]'
fi
[ $fail = 0 ] && echo "scan -j: all checks passed"
exit $fail
