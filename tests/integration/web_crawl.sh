#!/usr/bin/env bash
# minetrace web --crawl against our own HTTP server (web/crawl_server.py) in
# a private network namespace: two namespaces joined by one veth pair on
# 10.88.31.0/30 and nothing else (lib/netns.sh), so no packet leaves the
# machine. Sites by Host name through --resolve: a miner hidden in a
# same-site script, one in a worker a script starts, a benign site, a redirect chain, a redirect loop, an
# endpoint that never ends, a body over --max-body, a 404, a 500, and slow
# pages that show how many connections the crawler holds at once.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
  echo "SKIP: needs root and iproute2 (network namespaces)"; exit 0
fi
log() { echo "web_crawl: $*" >&2; }
# shellcheck source=lib/netns.sh
. "$SRC/tests/integration/lib/netns.sh"
ns=mtcr$$ nss=mtcr$$s nsc=mtcr$$c vs=vcs$$ vc=vcc$$
ips=10.88.31.1 ipc=10.88.31.2
W=$(mktemp -d)
cleanup() { netns_teardown "$nss" "$nsc" "$vs"; rm -rf "$W"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
: "$ns"
netns_pair "$nss" "$nsc" "$vs" "$vc" "$ips" "$ipc"

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=tls.test -days 1 \
  -keyout "$W/key.pem" -out "$W/cert.pem" >/dev/null 2>&1 || { log "openssl cannot make a certificate"; exit 1; }
timeout 60 ip netns exec "$nss" python3 "$SRC/tests/integration/web/crawl_server.py" "$ips" 80 \
  "$W/server.log" "$SRC/tests/data/web/miners/coinhive_anonymous.html" 443 "$W/cert.pem" "$W/key.pem" \
  >"$W/server.out" 2>&1 &
srv=$!
wait_for 10 grep -q ready "$W/server.out" || { log "server did not start"; cat "$W/server.out"; exit 1; }

cat >"$W/list.txt" <<LIST
# bare domains: https first (miner.test: a self-signed certificate;
# benign.test: no address for port 443), then http
miner.test
1,benign.test
http://redir.test/
http://loop.test/
http://slow.test/
http://huge.test/
http://notfound.test/missing
http://err.test/
http://worker.test/
http://many.test/
http://tags.test/
https://tls.test/
ftp://not-fetched.test/
LIST
for i in $(seq 1 12); do echo "http://conc.test/c/$i" >>"$W/list.txt"; done
res=()
for h in miner worker many tags benign redir loop slow huge notfound err conc; do res+=(--resolve "$h.test:80:$ips"); done
res+=(--resolve "miner.test:443:$ips" --resolve "tls.test:443:$ips")

JOBS=4
start=$(date +%s)
rc=0
timeout 40 ip netns exec "$nsc" "$BIN" web --crawl "$W/list.txt" "${res[@]}" --crawl-jobs $JOBS \
  --timeout 3 --max-body 1048576 --max-resources 8 --stats --no-progress \
  -o "$W/findings.json" --sites --json >"$W/sites.json" 2>"$W/err.txt" || rc=$?
took=$(( $(date +%s) - start ))
# The same certificate with --insecure: fetched.
echo "https://tls.test/" >"$W/tls.txt"
rc2=0
timeout 20 ip netns exec "$nsc" "$BIN" web --crawl "$W/tls.txt" --resolve "tls.test:443:$ips" --insecure \
  --timeout 3 --stats --no-progress -o /dev/null 2>"$W/err2.txt" || rc2=$?
kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
check "crawl with findings exits 1 (got $rc)" '[ "$rc" = 1 ]'
check "crawl took ${took}s (< 30)" '[ "$took" -lt 30 ]'
check "miner site found through its script" \
  'grep -q "\"domain\":\"miner.test\",\"url\":\"http://miner.test/\",\"resource\":\"http://miner.test/static/js/analytics.js\"" "$W/findings.json"'
check "site key of the miner" 'grep -q "\"site_key\":\"OX9YIMtCFIPzgNZpBdfdYfkM51ZFfOwB\"" "$W/findings.json"'
check "miner site in --sites" 'grep -q "\"site\":\"miner.test\"" "$W/sites.json"'
check "miner in a worker the page's script starts (depth 2)" \
  'grep -q "\"url\":\"http://worker.test/\",\"resource\":\"http://worker.test/js/worker.js\"" "$W/findings.json"'
check "a line that is not a domain or URL is skipped with a warning" \
  'grep -q "1 line skipped (not a domain or URL)" "$W/err.txt"'
check "at most --max-resources 8 scripts per page, the rest counted" \
  '[ "$(grep -c "\"host\": \"many.test\", \"path\": \"/s/" "$W/server.log")" = 8 ] &&
   [ "$(grep -c "\"host\": \"tags.test\", \"path\": \"/s/" "$W/server.log")" = 8 ] &&
   grep -Eq "over --max-resources [0-9]{3})" "$W/err.txt"'
check "a page of 600 script tags scanned" 'grep -Eq "^minetrace web: pages 1[0-9]," "$W/err.txt"'
check "benign sites not flagged" '! grep -q "benign.test\|many.test\|tags.test" "$W/findings.json"'
check "benign script fetched" 'grep -q "\"host\": \"benign.test\", \"path\": \"/js/app.js\"" "$W/server.log"'
check "redirect chain followed: finding on the final URL" \
  'grep -q "\"url\":\"http://redir.test/final\",\"resource\":\"http://redir.test/static/js/analytics.js\"" "$W/findings.json"'
check "https tried first for a bare domain, then http" 'grep -q "https->http 2," "$W/err.txt"'
check "redirect loop counted" 'grep -q "redirects 1" "$W/err.txt"'
check "timeout counted" 'grep -q "timeout 1" "$W/err.txt"'
check "404 and 500 counted" 'grep -q "http-4xx 1, http-5xx 1" "$W/err.txt"'
check "a self-signed certificate is a tls failure" 'grep -q "tls 1," "$W/err.txt"'
check "5 failures, the first named" \
  'grep -q "failed 5 (" "$W/err.txt" && grep -q "crawl: failed: http://" "$W/err.txt"'
check "with --insecure the TLS site is fetched (exit $rc2)" \
  '[ "$rc2" = 0 ] && grep -q "pages 1 of 1," "$W/err2.txt" && grep -q "failed 0$" "$W/err2.txt"'
check "huge body cut at --max-body and still scanned" \
  'grep -q "cut at --max-body 1" "$W/err.txt" && grep -q "\"url\":\"http://huge.test/\"" "$W/findings.json"'
check "every request carries the User-Agent" \
  '! grep "\"path\"" "$W/server.log" | grep -vq "\"ua\": \"minetrace/[0-9.]* (+cryptojacking research crawler)\""'
max_open=$(sed -n 's/.*"busy": \([0-9]*\).*/\1/p' "$W/server.log" | sort -n | tail -1)
check "at most $JOBS requests at once (server saw ${max_open:-?})" \
  '[ -n "$max_open" ] && [ "$max_open" -le $JOBS ] && [ "$max_open" -ge 2 ]'
check "every conc.test page fetched" '[ "$(grep -c "\"host\": \"conc.test\"" "$W/server.log")" = 12 ]'
rc3=0; "$BIN" web --crawl "$W/no-such-list.txt" -o /dev/null 2>"$W/err3.txt" || rc3=$?
check "a list that cannot be read: exit 2 with its name (got $rc3)" \
  '[ "$rc3" = 2 ] && grep -q "no-such-list.txt" "$W/err3.txt"'
if [ $fail != 0 ]; then
  echo "--- stderr"; cat "$W/err.txt"; echo "--- findings"; cat "$W/findings.json"
  echo "--- server log"; cat "$W/server.log"; cat "$W/server.out"
fi
[ $fail = 0 ] && echo "web crawl: all checks passed"
exit $fail
