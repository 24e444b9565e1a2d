#!/usr/bin/env bash
# minetrace intel update/list against a local list server (127.0.0.1 only)
# serving copies of the corpus lists, read at test time: the first update
# fetches and counts as the loaders do, the second gets 304s, a changed
# file is replaced by rename, a 500, an HTML page, an oversized body (with
# and without Content-Length), a time-out and a wrong pinned checksum keep
# the last good copy with a clear status, a killed update leaves no partial
# copy, and scan --intel DIR loads the cache.
set -euo pipefail
BIN=${MT_BIN:?}
SRC=${MT_SRC:?}
C=${MT_CORPUS:?}/intel
W=$(mktemp -d /tmp/mt_intel_update.XXXXXX)
SP=
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$W/files" "$W/mode"
echo lastmod > "$W/mode/coinblocker_MiningServerIPList.txt" # no ETag: If-Modified-Since alone
for f in nocoin_adblock.txt nocoin_hosts.txt coinblocker_MiningServerIPList.txt keraf_nocoin_url_patterns.txt \
         coinblocker_list.txt et_open/emerging-coinminer.rules; do
    cp "$C/$f" "$W/files/"
done
python3 "$SRC/tests/corpus/intel_server.py" "$W" "$W/port" &
SP=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
P=$(cat "$W/port")
U=http://127.0.0.1:$P
cat > "$W/sources" <<EOF
# test sources
nocoin       adblock  $U/nocoin_adblock.txt
nocoin-hosts hosts    $U/nocoin_hosts.txt category=browser-miner
ips          ips      $U/coinblocker_MiningServerIPList.txt weight=40
keraf        adblock  $U/keraf_nocoin_url_patterns.txt
et           et-rules $U/emerging-coinminer.rules weight=90
coinblocker  domains  $U/coinblocker_list.txt weight=50 max-size=128k
EOF
D=$W/cache
upd() { "$BIN" intel update --sources "$W/sources" --dir "$D" "$@"; }
field() { # field NAME KEY: from `intel list --json`
    "$BIN" intel list --json --sources "$W/sources" --dir "$D" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["name"] == sys.argv[1]:
        print(o.get(sys.argv[2], ""))' "$1" "$2" || true
}
want() { [ "$(field "$1" "$2")" = "$3" ] || fail "$1 $2 = '$(field "$1" "$2")', want '$3'"; }

# 1. First update: every list fetched, counted as the loaders count it.
rc=0; upd > "$W/out1" 2> "$W/err1" || rc=$?
[ $rc = 0 ] || { cat "$W/out1" "$W/err1"; fail "first update exit $rc"; }
[ "$(grep -c ': fetched (HTTP 200' "$W/out1")" = 6 ] || fail "first update: $(cat "$W/out1")"
want nocoin domains 191; want nocoin ips 7; want nocoin url_rules 306; want nocoin exceptions 8
want nocoin-hosts domains 313; want ips ips 1026; want keraf domains 157; want keraf url_rules 158
want coinblocker domains 5833; want coinblocker skipped 4
# ET: the names of the coin-mining rules' DNS/TLS buffers, counted here independently.
et_want=$(python3 - "$W/files/emerging-coinminer.rules" <<'EOF'
import re, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if not re.match(r"(alert|drop|reject|pass) ", line) or "classtype:coin-mining;" not in line:
        continue
    for buf, val in re.findall(r"(dns\.query|tls\.sni|tls\.cert_subject|http\.host);\s*(?:(?!content:)[^;]*;\s*)*content:\"([^\"]+)\"", line):
        val = val[3:] if val.startswith("CN=") else val
        if "." in val.strip(".") and "|" not in val:
            n += 1
print(n)
EOF
)
[ "$et_want" -gt 0 ] || fail "no ET names counted"
want et domains "$et_want"
for n in nocoin:nocoin_adblock.txt nocoin-hosts:nocoin_hosts.txt et:emerging-coinminer.rules; do
    cmp "$D/${n%%:*}.list" "$W/files/${n#*:}" || fail "copy of ${n%%:*} differs"
    [ "$(field "${n%%:*}" sha256)" = "$(sha256sum < "$W/files/${n#*:}" | cut -d' ' -f1)" ] || fail "sha256 of ${n%%:*}"
done
rc=0; "$BIN" intel list --sources "$W/sources" --dir "$D" > "$W/list" || rc=$?
[ $rc = 0 ] || fail "list exit $rc"
grep -q '^nocoin  *adblock  *browser-miner:80 ' "$W/list" || fail "list: $(cat "$W/list")"

# 2. Second update: 304 for every list, copies untouched.
: > "$W/log"
ino=$(stat -c %i "$D/nocoin.list")
upd > "$W/out2"
[ "$(grep -c ' 304$' "$W/log")" = 6 ] || fail "second update: $(cat "$W/log")"
[ "$(grep -c 'not modified (HTTP 304)' "$W/out2")" = 6 ] || fail "second update: $(cat "$W/out2")"
[ "$(stat -c %i "$D/nocoin.list")" = "$ino" ] || fail "a 304 replaced the copy"

[ "$(field ips etag)" = "" ] || fail "ips: an ETag from a server that sent none"
[ -n "$(field ips last_modified)" ] || fail "ips: no Last-Modified kept"

# 3. A changed list is replaced (a new file renamed in: a new inode).
echo "newpool.example.com" >> "$W/files/coinblocker_list.txt"
touch -d '+1 minute' "$W/files/coinblocker_list.txt"
ino=$(stat -c %i "$D/coinblocker.list")
upd coinblocker > "$W/out3"
grep -q '^coinblocker: replaced (HTTP 200, 5834 entries)' "$W/out3" || fail "changed: $(cat "$W/out3")"
cmp "$D/coinblocker.list" "$W/files/coinblocker_list.txt" || fail "changed copy differs"
[ "$(stat -c %i "$D/coinblocker.list")" != "$ino" ] || fail "changed copy written in place"
want coinblocker domains 5834

# 4. Failures keep the last good copy, exit 1, and say why.
good=$(sha256sum < "$D/nocoin.list")
check_kept() { # check_kept MODE STATUS-TEXT [update options]
    echo "$1" > "$W/mode/nocoin_adblock.txt"
    rc=0; upd "${@:3}" nocoin > /dev/null 2> "$W/err" || rc=$?
    [ $rc = 1 ] || fail "mode $1: exit $rc ($(cat "$W/err"))"
    grep -q "nocoin: failed: $2.*; last good copy kept" "$W/err" || fail "mode $1: $(cat "$W/err")"
    [ "$(sha256sum < "$D/nocoin.list")" = "$good" ] || fail "mode $1 changed the copy"
    want nocoin ok False
    want nocoin domains 191
    rm -f "$W/mode/nocoin_adblock.txt"
}
check_kept 500 "HTTP 500"
check_kept html "does not parse as adblock"
check_kept slow "timed out after 2 s" --timeout 2
sed -i 's|^nocoin .*|& max-size=64k|' "$W/sources"
check_kept big "larger than the limit of 65536 bytes"
check_kept bigchunk "larger than the limit of 65536 bytes"
sed -i 's| max-size=64k||' "$W/sources"
sed -i "s|^nocoin .*|& sha256=$(printf '0%.0s' $(seq 64))|" "$W/sources"
check_kept ok "SHA-256 differs from the pinned sha256"
sed -i "s| sha256=0*||" "$W/sources"
rc=0; "$BIN" intel list --sources "$W/sources" --dir "$D" > /dev/null || rc=$?
[ $rc = 1 ] || fail "list after a failure: exit $rc"
# A correct pin passes (the file is fetched whole: the copy is unchanged).
sed -i "s|^nocoin .*|& sha256=$(sha256sum < "$W/files/nocoin_adblock.txt" | cut -d' ' -f1)|" "$W/sources"
upd --force nocoin > "$W/out4"
grep -q '^nocoin: unchanged (HTTP 200, same SHA-256)' "$W/out4" || fail "pinned: $(cat "$W/out4")"

# 5. A killed update leaves the copy whole; its part file goes at the next one.
echo "newname.example.org" >> "$W/files/nocoin_hosts.txt"
echo slow > "$W/mode/nocoin_hosts.txt"
good=$(sha256sum < "$D/nocoin-hosts.list")
"$BIN" intel update --sources "$W/sources" --dir "$D" nocoin-hosts > /dev/null 2>&1 & UP=$!
sleep 1.5
kill -9 $UP; wait $UP 2>/dev/null || true
[ "$(sha256sum < "$D/nocoin-hosts.list")" = "$good" ] || fail "kill -9 changed the copy"
ls -A "$D" | grep -q '^\.nocoin-hosts\..*\.part$' || fail "no part file to sweep (test set-up)"
# SIGTERM: the update stops, removes its part file, exits 2.
"$BIN" intel update --sources "$W/sources" --dir "$D" nocoin-hosts > "$W/outterm" 2>&1 & UP=$!
sleep 1.5
kill -TERM $UP; rc=0; wait $UP || rc=$?
[ $rc = 2 ] || fail "SIGTERM: exit $rc $(cat "$W/outterm")"
ls -A "$D" | grep -q '\.part$' && fail "part files left: $(ls -A "$D")"
[ "$(sha256sum < "$D/nocoin-hosts.list")" = "$good" ] || fail "SIGTERM changed the copy"
rm -f "$W/mode/nocoin_hosts.txt"
upd nocoin-hosts > "$W/out5"
grep -q '^nocoin-hosts: replaced (HTTP 200, 314 entries)' "$W/out5" || fail "after kill: $(cat "$W/out5")"
ls -A "$D" | grep -q '\.part$' && fail "part files left after update"

# 6. Another update holding the lock: exit 2, named.
exec 9> "$D/.lock"; flock -n 9
rc=0; upd nocoin > /dev/null 2> "$W/err" || rc=$?
exec 9>&-
[ $rc = 2 ] && grep -q 'another update holds' "$W/err" || fail "lock: exit $rc $(cat "$W/err")"

# 7. Bad sources files name the file and line.
printf 'ok adblock %s/x\nbad-kind torrent http://x/y\n' "$U" > "$W/bad"
rc=0; "$BIN" intel update --sources "$W/bad" --dir "$W/c2" 2> "$W/err" || rc=$?
[ $rc = 2 ] && grep -q "$W/bad:2: unknown kind" "$W/err" || fail "bad sources: $rc $(cat "$W/err")"

# 8. The other commands load the cache with --intel DIR.
rc=0; "$BIN" scan --no-builtin-intel --intel "$D" \
    "${MT_CORPUS}/pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap" > "$W/scan" 2> "$W/scanerr" || rc=$?
[ $rc = 1 ] || fail "scan --intel DIR: exit $rc $(cat "$W/scanerr")"
grep -q '^minetrace: nocoin (browser-miner:80, fetched' "$W/scanerr" || fail "scan: $(cat "$W/scanerr")"
grep -q 'list nocoin' "$W/scan" || fail "no finding names the fetched list"
mkdir "$W/empty"
rc=0; "$BIN" scan --intel "$W/empty" "${MT_CORPUS}/pcap/other/jsiwek_zeek-cryptomining/coinhive.pcap" \
    > /dev/null 2> "$W/err" || rc=$?
[ $rc = 2 ] && grep -q 'no fetched lists' "$W/err" || fail "empty cache: $rc $(cat "$W/err")"
echo "intel_update: ok"
