#!/usr/bin/env bash
# record.sh — how the scan outputs beside it were made (run as root; needs
# iproute2, openssh-server, python3, nmap and masscan, see scripts/deps.txt).
#
# Two network namespaces joined by a veth pair, so nothing touches the
# machine's own network:
#   mt_scan_srv  10.77.0.2  a real OpenSSH sshd on 22 and Python's
#                           http.server on 80 (its own Server header)
#                10.77.0.3  a fake telnet device on 23 (a MikroTik-style
#                           banner written here) and an HTTP server on 8080
#                           that names itself like a Hikvision DVR and has a
#                           login-page title
#   mt_scan_cli  10.77.0.1  the scanners: nmap -sV --script banner -oX, and
#                           masscan --banners with -oX, -oJ, -oD and -oL
#                           (masscan's own TCP stack answers as 10.77.0.99,
#                           an address the kernel does not own, so the
#                           kernel sends no RSTs that would cut the grabs).
# Ports 22,23,80,443,8080 are asked of both hosts: 443 is closed on both.
# Usage: record.sh [OUTDIR]   (default: this directory)
set -euo pipefail
out="$(cd "${1:-$(dirname "$0")}" && pwd)"
SRV=mt_scan_srv CLI=mt_scan_cli
tmp="$(mktemp -d /tmp/mt_scan_rec.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    ip netns del "$SRV" 2>/dev/null || true
    ip netns del "$CLI" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
ip netns del "$SRV" 2>/dev/null || true
ip netns del "$CLI" 2>/dev/null || true
ip netns add "$SRV"
ip netns add "$CLI"
ip link add mtscan0 netns "$CLI" type veth peer name mtscan1 netns "$SRV"
ip -n "$CLI" addr add 10.77.0.1/24 dev mtscan0
ip -n "$SRV" addr add 10.77.0.2/24 dev mtscan1
ip -n "$SRV" addr add 10.77.0.3/24 dev mtscan1
for ns in "$SRV" "$CLI"; do ip -n "$ns" link set lo up; done
ip -n "$CLI" link set mtscan0 up
ip -n "$SRV" link set mtscan1 up
srvmac="$(ip -n "$SRV" -o link show mtscan1 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)"

# sshd: the Debian OpenSSH server, a throw-away host key, no PAM.
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
cat >"$tmp/sshd_config" <<CFG
Port 22
ListenAddress 10.77.0.2
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
UsePAM no
PasswordAuthentication no
CFG
ip netns exec "$SRV" /usr/sbin/sshd -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" &
pids+=($!)

cat >"$tmp/services.py" <<'PY'
import http.server, socket, socketserver, sys, threading

class Telnet(socketserver.BaseRequestHandler):
    # A device that greets first (telnet negotiation left out, as many
    # embedded telnetds do), then waits for a login.
    def handle(self):
        self.request.sendall(b"\r\nMikroTik v6.49.13 (long-term)\r\nLogin: ")
        self.request.settimeout(8)
        try:
            self.request.recv(256)
        except OSError:
            pass

class Web(http.server.BaseHTTPRequestHandler):
    server_version = sys.argv[1] if False else "mt-web"
    sys_version = ""
    def do_GET(self):
        body = self.server.page
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_HEAD(self):
        self.do_GET()
    def version_string(self):
        return self.server.name
    def log_message(self, *a):
        pass

class TS(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

def web(addr, name, title):
    s = TS(addr, Web)
    s.name = name
    s.page = ("<html><head><title>%s</title></head><body>login</body></html>\n" % title).encode()
    return s

servers = [TS(("10.77.0.3", 23), Telnet),
           web(("10.77.0.2", 80), "lighttpd/1.4.69", "Welcome"),
           web(("10.77.0.3", 8080), "DNVRS-Webs", "Network Video Recorder Login")]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
PY
ip netns exec "$SRV" python3 "$tmp/services.py" >"$tmp/services.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$tmp/services.out" 2>/dev/null && break; sleep 0.2; done
grep -q ready "$tmp/services.out" || { cat "$tmp/services.out" >&2; exit 1; }
sleep 1

PORTS=22,23,80,443,8080
ip netns exec "$CLI" nmap -n -Pn -sV --script banner -p "$PORTS" -oX "$out/nmap.xml" \
    10.77.0.2 10.77.0.3 >/dev/null
for fmt in X J D L; do
    case $fmt in X) f=masscan.xml ;; J) f=masscan.json ;; D) f=masscan.ndjson ;; L) f=masscan.list ;; esac
    ip netns exec "$CLI" masscan 10.77.0.2-10.77.0.3 -p"$PORTS" --banners -e mtscan0 \
        --adapter-ip 10.77.0.99 --router-mac "$srvmac" --rate 200 --wait 6 \
        -o"$fmt" "$out/$f" 2>>"$tmp/masscan.log" >/dev/null
done
echo "record: wrote nmap.xml masscan.xml masscan.json masscan.ndjson masscan.list in $out" >&2
