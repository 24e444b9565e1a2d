#!/usr/bin/env bash
# TLS-only miners (docs/DETECTORS.md): minetrace scan on the labelled
# recordings in tests/data/tls_miner/ (real XMRig 6.16 --tls to a bare IP or
# an unlisted name, on 443, 3333, 4443, 8443, 45123; benign periodic TLS).
# Every miner host must be found by the flow detector's TLS-shape rule and
# be a mining host in --hosts, sessions longer than a minute decided at one
# minute; no benign capture may give any finding.
# Prints precision and recall per host, for the full rule and for the shape
# alone (what would decide without the hello fingerprint: the points less
# the fingerprint's, or the learned model; read from the evidence), so the
# recall without XMRig's JA4 is measured on every run.
set -uo pipefail
: "${MT_BIN:=build/minetrace}" "${MT_SRC:=.}"
D="$MT_SRC/tests/data/tls_miner"
[ -f "$D/LABELS.tsv" ] || { echo "FAIL: $D/LABELS.tsv missing"; exit 1; }
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
fails=0 tp=0 fn=0 fp=0 tn=0 sa_tp=0 sa_fn=0 sa_fp=0
while IFS=$'\t' read -r pcap label client _; do
    case "$pcap" in ''|'#'*) continue ;; esac
    rc=0
    "$MT_BIN" scan -q -o "$W/f.jsonl" "$D/$pcap" 2>"$W/err" || rc=$?
    if [ "$rc" -gt 1 ]; then echo "FAIL: $pcap: scan exited $rc: $(head -c 300 "$W/err")"; fails=$((fails + 1)); continue; fi
    hrc=0
    "$MT_BIN" scan -q --hosts --json "$D/$pcap" >"$W/h.json" 2>>"$W/err" || hrc=$?
    [ "$hrc" -le 1 ] || { echo "FAIL: $pcap: scan --hosts exited $hrc"; fails=$((fails + 1)); continue; }
    verdict="$(python3 - "$W/f.jsonl" "$W/h.json" "$client" "$D/$pcap" <<'PY'
import datetime, json, re, struct, sys
fs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
# first and last packet times of the capture (classic pcap, either byte order)
with open(sys.argv[4], "rb") as f:
    hdr = f.read(24)
    e = "<" if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = hdr[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    times = []
    while True:
        r = f.read(16)
        if len(r) < 16:
            break
        sec, frac, incl, _ = struct.unpack(e + "IIII", r)
        times.append(sec + frac / (1e9 if nano else 1e6))
        f.seek(incl, 1)
def ts(f):
    return datetime.datetime.strptime(f["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
shape = [f for f in fs if f.get("src_ip") == sys.argv[3]
         and f["mining"]["kind"] == "behaviour" and f["mining"]["protocol"] == "tls"
         and "TLS-only miner shape" in f["mining"].get("evidence", "")]
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]  # one host per line
host = any(h.get("host") == sys.argv[3] and "behaviour" in h.get("kinds", []) for h in rows)
# sessions longer than the minute are decided at one minute, not at their end
early = all(ts(f) <= times[0] + 62 for f in shape) if times[-1] - times[0] > 65 else True
def alone(e):
    m = re.search(r"\((-?\d+) without the fingerprint\)", e)
    return (m is not None and int(m.group(1)) >= 60) or "learned shape model" in e and " >= " in e
sa = any(alone(f["mining"]["evidence"]) for f in shape)
print("%d %d %d %d %d" % (len(fs), len(shape), int(host), int(early), int(sa)))
PY
)"
    read -r nf nshape host early sa <<<"$verdict"
    if [ "$label" = miner ]; then
        if [ "$sa" = 1 ]; then sa_tp=$((sa_tp + 1)); else sa_fn=$((sa_fn + 1)); fi
    elif [ "$sa" = 1 ]; then sa_fp=$((sa_fp + 1)); fi
    if [ "$label" = miner ]; then
        if [ "$nshape" -ge 1 ] && [ "$host" = 1 ]; then tp=$((tp + 1)); echo "ok      $pcap: miner found (TLS-shape finding, mining host)"
        else fn=$((fn + 1)); fails=$((fails + 1)); echo "FAIL: $pcap: miner $client missed ($nf findings, $nshape TLS-shape, host listed $host)"; fi
        [ "$early" = 1 ] || { fails=$((fails + 1)); echo "FAIL: $pcap: decided later than one minute into the session"; }
    else
        if [ "$nf" -eq 0 ] && [ "$host" = 0 ]; then tn=$((tn + 1)); echo "ok      $pcap: benign, no finding"
        else fp=$((fp + 1)); fails=$((fails + 1)); echo "FAIL: $pcap: benign host flagged ($nf findings)"; fi
    fi
done <"$D/LABELS.tsv"
python3 -c "
tp,fn,fp,tn=$tp,$fn,$fp,$tn
p = tp/(tp+fp) if tp+fp else 1.0; r = tp/(tp+fn) if tp+fn else 1.0
print('hosts: %d miners found, %d missed, %d benign flagged, %d benign clean; precision %.3f recall %.3f' % (tp,fn,fp,tn,p,r))
tp,fn,fp=$sa_tp,$sa_fn,$sa_fp
p = tp/(tp+fp) if tp+fp else 1.0; r = tp/(tp+fn) if tp+fn else 1.0
print('shape alone (no fingerprint): %d miners found, %d missed, %d benign flagged; precision %.3f recall %.3f' % (tp,fn,fp,p,r))"
# measured: 2 of 11 miner hosts by the shape alone (m3333_name_65s, m14444_ip_fastjobs_65s)
[ "$sa_tp" -ge 2 ] || { echo "FAIL: the shape alone finds $sa_tp miner hosts (measured 2)"; fails=$((fails + 1)); }
[ $((tp + fn)) -ge 10 ] || { echo "FAIL: fewer than 10 miner recordings"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
