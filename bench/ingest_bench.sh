#!/usr/bin/env bash
# Ingest throughput: generate an EVE file of N records (default 2,000,000)
# with the event mix of a real sensor (flow 70%, dns 14%, alert 15%, http,
# tls), including a few coin-mining alerts and pool lookups, then time
# `minetrace ingest` on it, plain and gzip. Prints records/s per CPU second.
#
#   bench/ingest_bench.sh [BUILD_DIR] [N]
set -euo pipefail
BUILD=${1:-build}
N=${2:-2000000}
BIN="$BUILD/minetrace"
[ -x "$BIN" ] || { echo "no $BIN (build first)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/mt_ingest_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 - "$N" > "$WORK/eve.json" <<'PY'
import sys, random
n = int(sys.argv[1]); r = random.Random(7); w = sys.stdout.write
for i in range(n):
    ts = "2024-03-01T%02d:%02d:%02d.%06d+0000" % ((i // 3600000) % 24, (i // 60000) % 60, (i // 1000) % 60, (i * 997) % 1000000)
    c = "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
    s = "198.51.%d.%d" % (r.randrange(256), r.randrange(1, 255))
    cp = r.randrange(1024, 65535); fid = r.randrange(1, 1 << 50); k = r.random()
    head = '{"timestamp":"%s","flow_id":%d,"in_iface":"eth0",' % (ts, fid)
    if k < 0.70:
        sp = r.choice((443, 80, 53, 22, 3333, 8443))
        w(head + '"event_type":"flow","src_ip":"%s","src_port":%d,"dest_ip":"%s","dest_port":%d,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":%d,"pkts_toclient":%d,"bytes_toserver":%d,"bytes_toclient":%d,"start":"%s","end":"%s","age":3,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}}\n'
          % (c, cp, s, sp, r.randrange(1, 99), r.randrange(1, 99), r.randrange(60, 90000), r.randrange(60, 900000), ts, ts))
    elif k < 0.84:
        name = "pool.supportxmr.com" if i % 1000 == 0 else "host%d.example.com" % r.randrange(100000)
        w(head + '"event_type":"dns","src_ip":"%s","src_port":%d,"dest_ip":"10.0.0.1","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"answer","id":%d,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"%s","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"%s","rrtype":"A","ttl":300,"rdata":"%s"}],"grouped":{"A":["%s"]}}}\n'
          % (c, cp, r.randrange(65536), name, name, s, s))
    elif k < 0.99:
        sig = ("ET COINMINER Monero Mining Pool DNS Lookup", "Crypto Currency Mining Activity Detected") if i % 500 == 0 else ("ET CINS Active Threat Intelligence Poor Reputation IP group %d" % r.randrange(100), "Misc Attack")
        w(head + '"event_type":"alert","src_ip":"%s","src_port":%d,"dest_ip":"%s","dest_port":445,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":%d,"rev":3,"signature":"%s","category":"%s","severity":2,"metadata":{"tag":["CINS"]}},"flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":60,"bytes_toclient":0,"start":"%s"}}\n'
          % (c, cp, s, 2400000 + r.randrange(999), sig[0], sig[1], ts))
    elif k < 0.995:
        w(head + '"event_type":"http","src_ip":"%s","src_port":%d,"dest_ip":"%s","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"www.example.com","url":"/index.html?q=%d","http_user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","http_content_type":"text/html","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":%d}}\n'
          % (c, cp, s, r.randrange(10**6), r.randrange(10**5)))
    else:
        w(head + '"event_type":"tls","src_ip":"%s","src_port":%d,"dest_ip":"%s","dest_port":443,"proto":"TCP","tls":{"subject":"CN=www.example.com","issuerdn":"CN=CA","serial":"01","fingerprint":"2d:d1","sni":"www.example.com","version":"TLS 1.2","notbefore":"2020-03-19T09:44:08","notafter":"2022-03-20T09:44:08","ja3":{"hash":"b7202231ff2db28363c109cedc6d1642","string":"770,51-57,0,,"},"ja3s":{"hash":"ad90","string":"770,51,0"}}}\n'
          % (c, cp, s))
PY
gzip -1 -k "$WORK/eve.json"
SIZE=$(stat -c %s "$WORK/eve.json")
echo "input: $N EVE records, $((SIZE / 1000000)) MB ($(stat -c %s "$WORK/eve.json.gz" | awk '{printf "%d", $1/1e6}') MB gzip)"
for f in eve.json eve.json.gz; do
    rm -f "$WORK/b.db"*
    /usr/bin/time -f "%U %S %e %M" -o "$WORK/time" "$BIN" ingest --no-progress --db "$WORK/b.db" "$WORK/$f" > "$WORK/out" ||
        [ $? -le 1 ] # 0 nothing found, 1 findings; 2 is an error
    # tail: GNU time puts "Command exited with non-zero status 1" first.
    read -r user sys wall rss < <(tail -1 "$WORK/time")
    cat "$WORK/out"
    awk -v n="$N" -v u="$user" -v s="$sys" -v w="$wall" -v m="$rss" -v f="$f" 'BEGIN {
        printf "%-12s %8.0f records/s per CPU second (user+sys %.2f s), %8.0f records/s wall (%.2f s), max RSS %d MB\n",
               f, n / (u + s), u + s, n / w, w, m / 1024 }'
done
