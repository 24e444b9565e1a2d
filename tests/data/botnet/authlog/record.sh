#!/bin/bash
# Records the auth.log fixtures of the authlog reader's tests from a real
# OpenSSH server attacked by real ssh clients (nothing here is hand-made).
#
#   sudo tests/data/botnet/authlog/record.sh [OUTDIR]   (default: this directory)
#
# Needs root, OpenSSH (sshd, ssh, ssh-keygen), sshpass, rsyslog and iproute2
# (scripts/deps.txt). The host is left as it was:
#   - sshd runs in its own network namespace (veth pair 10.213.0.1/30 <->
#     10.213.0.2/30 and fd42:6d74:7263::1/64 <-> ::2), port 2222, with its
#     own config, host key and authorized_keys in a temp dir;
#   - in a private mount namespace: a tmpfs /dev (the host's null, zero,
#     random, urandom, tty, ptmx, pts bound in) so rsyslogd can own /dev/log,
#     a tmpfs /run, copies of passwd/shadow/group with two test users
#     (mtvictim: password "Corr3ct-horse", mtkeyuser: publickey only) and a
#     minimal PAM stack (pam_unix only) bound over the host's files;
#   - rsyslogd (no klog) writes auth and authpriv twice: auth.log in the
#     traditional RFC 3164 form with rsyslog's "message repeated N times"
#     reduction, auth-iso.log in rsyslog's high-precision ISO form
#     (RSYSLOG_FileFormat) without it, rsyslogd's clock set to Europe/Berlin
#     so the ISO stamps carry a +01:00 offset.
# The attacks, from the host side of the veth pair (sources 10.213.0.1,
# 10.213.0.5 and fd42:6d74:7263::1), each with a fresh ssh process:
#    1 failed password, existing user mtvictim
#    2 failed password, non-existent user admin
#    3 failed password, non-existent user "oracle test" (a space)
#    4 repeated failures: 5 prompts answered with the same wrong password
#      (through SSH_ASKPASS) against MaxAuthTries 3, for mtvictim and for the
#      non-existent user test (maximum authentication attempts exceeded; PAM
#      more failures; rsyslog's message repeated)
#    5 (the numbering of the fixtures' comments: ssh refuses user names with
#      control bytes, so those are in the hand-written hostile.log instead)
#    6 successful password login (mtvictim, runs `true`)
#    7 successful publickey login (mtkeyuser, ED25519 key, runs `true`)
#    8 a publickey offer the server refuses, then a failed password (mtvictim)
#    9 failed password over IPv6 (user root)
#   10 a bare TCP connect that closes before the SSH banner
#   11 a client banner then close (pre-auth close)
# Run 1 (auth.log, auth-iso.log) has LogLevel VERBOSE, so "Connection from"
# lines and refused keys are logged too, and PAM; run 2 (auth-info.log) has
# the default LogLevel INFO and no PAM (see below).
set -euo pipefail

OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
for t in sshd ssh ssh-keygen sshpass rsyslogd ip unshare openssl; do
    command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "record.sh: $t missing" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "record.sh: needs root (network and mount namespaces)" >&2; exit 2; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)

NS=mtauthrec$$
VH=mtar$$h
VN=mtar$$n
T=$(mktemp -d /tmp/mt-authrec.XXXXXX)
chmod 755 "$T"

cleanup() {
    touch "$T/stop.verbose" "$T/stop.info" 2>/dev/null || true
    [ -n "${INNER:-}" ] && wait "$INNER" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$VH" 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT

# ---- network: a namespace and a veth pair ----
ip netns add "$NS"
ip link add "$VH" type veth peer name "$VN"
ip link set "$VN" netns "$NS"
ip addr add 10.213.0.1/30 dev "$VH"
ip addr add 10.213.0.5/32 dev "$VH"
ip -6 addr add fd42:6d74:7263::1/64 dev "$VH" nodad
ip link set "$VH" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip addr add 10.213.0.2/30 dev "$VN"
ip netns exec "$NS" ip -6 addr add fd42:6d74:7263::2/64 dev "$VN" nodad
ip netns exec "$NS" ip link set "$VN" up
ip netns exec "$NS" ip route add 10.213.0.5/32 dev "$VN"

# ---- server files ----
mkdir -p "$T/etc" "$T/home/mtvictim" "$T/home/mtkeyuser" "$T/keys" "$T/rs" "$T/dev"
ssh-keygen -q -t ed25519 -N '' -f "$T/keys/host_ed25519" -C mt-authrec-host
ssh-keygen -q -t ed25519 -N '' -f "$T/keys/client_ed25519" -C mt-authrec-client
ssh-keygen -q -t ed25519 -N '' -f "$T/keys/stranger_ed25519" -C mt-authrec-stranger
install -d -m 700 -o 4201 -g 4201 "$T/home/mtkeyuser/.ssh"
install -m 600 -o 4201 -g 4201 "$T/keys/client_ed25519.pub" "$T/home/mtkeyuser/.ssh/authorized_keys"
chown 4200:4200 "$T/home/mtvictim"
chown 4201:4201 "$T/home/mtkeyuser"
HASH=$(openssl passwd -6 -salt mtauthrecsalt 'Corr3ct-horse')
cp /etc/passwd "$T/etc/passwd"
cp /etc/group "$T/etc/group"
cp /etc/shadow "$T/etc/shadow"
echo "mtvictim:x:4200:4200::$T/home/mtvictim:/bin/sh" >>"$T/etc/passwd"
echo "mtkeyuser:x:4201:4201::$T/home/mtkeyuser:/bin/sh" >>"$T/etc/passwd"
echo "mtvictim:x:4200:" >>"$T/etc/group"
echo "mtkeyuser:x:4201:" >>"$T/etc/group"
echo "mtvictim:$HASH:19000:0:99999:7:::" >>"$T/etc/shadow"
echo "mtkeyuser:*:19000:0:99999:7:::" >>"$T/etc/shadow"
cat >"$T/etc/pam_sshd" <<'EOF'
auth     required pam_unix.so
account  required pam_unix.so
session  required pam_unix.so
password required pam_unix.so
EOF
# Two servers, one after the other, attacked the same way:
#   verbose  LogLevel VERBOSE, UsePAM yes -> auth.log (RFC 3164, repeats
#            reduced) and auth-iso.log (ISO, not reduced)
#   info     LogLevel INFO (the default), UsePAM no -> auth-info.log
#            (RFC 3164, repeats reduced: without PAM's lines between them,
#            one connection's identical failures come out as rsyslog's
#            "message repeated N times: [ ... ]")
sshd_config() { # NAME LOGLEVEL USEPAM
    cat >"$T/etc/sshd_config.$1" <<EOF
Port 2222
ListenAddress 10.213.0.2
ListenAddress fd42:6d74:7263::2
HostKey $T/keys/host_ed25519
PidFile $T/sshd.pid
LogLevel $2
SyslogFacility AUTH
UsePAM $3
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
MaxAuthTries 3
StrictModes no
AuthorizedKeysFile .ssh/authorized_keys
EOF
}
sshd_config verbose VERBOSE yes
sshd_config info INFO no
cat >"$T/rsyslog.verbose.conf" <<EOF
global(workDirectory="$T/rs")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
\$RepeatedMsgReduction on
auth,authpriv.* action(type="omfile" file="$T/auth.log" template="RSYSLOG_TraditionalFileFormat")
\$RepeatedMsgReduction off
auth,authpriv.* action(type="omfile" file="$T/auth-iso.log" template="RSYSLOG_FileFormat")
EOF
cat >"$T/rsyslog.info.conf" <<EOF
global(workDirectory="$T/rs")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
\$RepeatedMsgReduction on
auth,authpriv.* action(type="omfile" file="$T/auth-info.log" template="RSYSLOG_TraditionalFileFormat")
EOF

# ---- inside the namespaces: rsyslogd and sshd until $T/stop.NAME appears ----
cat >"$T/inner.sh" <<EOF
set -e
N=\$1
mkdir -p $T/hostdev
mount --bind /dev $T/hostdev
mount -t tmpfs -o mode=755 tmpfs /dev
for d in null zero random urandom tty ptmx full; do touch /dev/\$d; mount --bind $T/hostdev/\$d /dev/\$d; done
mkdir /dev/pts /dev/shm
mount --bind $T/hostdev/pts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -m 755 /run/sshd
for f in passwd group shadow; do mount --bind $T/etc/\$f /etc/\$f; done
mount --bind $T/etc/pam_sshd /etc/pam.d/sshd
TZ=Europe/Berlin $RSYSLOGD -n -f $T/rsyslog.\$N.conf -i $T/rsyslogd.pid &
RS=\$!
for i in \$(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
$SSHD -D -f $T/etc/sshd_config.\$N &
SD=\$!
while [ ! -e $T/stop.\$N ]; do sleep 0.2; done
kill \$SD; wait \$SD || true
sleep 0.5
kill \$RS; wait \$RS || true
EOF

SSHO=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
      -o ConnectTimeout=5 -p 2222)
PW=(-o PubkeyAuthentication=no -o PreferredAuthentications=password -o NumberOfPasswordPrompts=1)
# sshpass gives up at a second prompt: repeated prompts get their password
# from ssh's own SSH_ASKPASS instead.
printf '#!/bin/sh\necho 123456\n' >"$T/askpass"
chmod 755 "$T/askpass"
RPT=(-o PubkeyAuthentication=no -o PreferredAuthentications=password -o NumberOfPasswordPrompts=5)
try() { "$@" </dev/null >/dev/null 2>&1 || true; sleep 0.3; }

attack() {
    try sshpass -p 'wrong-1' ssh "${SSHO[@]}" "${PW[@]}" -b 10.213.0.1 mtvictim@10.213.0.2 true
    try sshpass -p 'admin123' ssh "${SSHO[@]}" "${PW[@]}" -b 10.213.0.5 admin@10.213.0.2 true
    try sshpass -p 'oracle' ssh "${SSHO[@]}" "${PW[@]}" -b 10.213.0.5 -l 'oracle test' 10.213.0.2 true
    try env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=: \
        ssh "${SSHO[@]}" "${RPT[@]}" -b 10.213.0.5 mtvictim@10.213.0.2 true
    try env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=: \
        ssh "${SSHO[@]}" "${RPT[@]}" -b 10.213.0.1 test@10.213.0.2 true
    try sshpass -p 'Corr3ct-horse' ssh "${SSHO[@]}" "${PW[@]}" -b 10.213.0.1 mtvictim@10.213.0.2 true
    try ssh "${SSHO[@]}" -o PasswordAuthentication=no -o IdentitiesOnly=yes -i "$T/keys/client_ed25519" \
        -b 10.213.0.1 mtkeyuser@10.213.0.2 true
    try sshpass -p 'wrong-2' ssh "${SSHO[@]}" -o IdentitiesOnly=yes -i "$T/keys/stranger_ed25519" \
        -o PreferredAuthentications=publickey,password -o NumberOfPasswordPrompts=1 -b 10.213.0.5 \
        mtvictim@10.213.0.2 true
    try sshpass -p 'toor' ssh "${SSHO[@]}" "${PW[@]}" -b fd42:6d74:7263::1 root@fd42:6d74:7263::2 true
    try bash -c 'exec 3<>/dev/tcp/10.213.0.2/2222; exec 3>&-'
    try bash -c 'exec 3<>/dev/tcp/10.213.0.2/2222; printf "SSH-2.0-mtprobe_1.0\r\n" >&3; sleep 0.3; exec 3>&-'
    sleep 1.5
}

for run in verbose info; do
    ip netns exec "$NS" unshare -m --propagation private bash "$T/inner.sh" "$run" &
    INNER=$!
    for i in $(seq 100); do
        (exec 3<>/dev/tcp/10.213.0.2/2222) 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.5
    attack
    touch "$T/stop.$run"
    wait "$INNER" || true
    INNER=
done
for f in auth.log auth-iso.log auth-info.log; do
    cp "$T/$f" "$OUT/$f"
    echo "record.sh: $(wc -l <"$OUT/$f") lines in $OUT/$f"
done
