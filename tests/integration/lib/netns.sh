# Shared by the recorders of real-client tests (xmrig/record.sh,
# wsminer/record.sh): two network namespaces joined by one veth pair and
# nothing else, so no packet can leave the machine. Source it; needs root.
# `log` must be defined by the caller.

# wait_for SECONDS CMD...: poll every 0.1 s until CMD succeeds.
wait_for() {
    local t="$1"; shift
    local i
    for ((i = 0; i < t * 10; i++)); do
        if "$@" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

# netns_pair NS_SERVER NS_CLIENT VETH_SERVER VETH_CLIENT IP_SERVER IP_CLIENT
# Creates both namespaces and the veth pair, IPv6 off, the /30 addresses,
# links up; refuses to go on if the client namespace has a default route;
# both resolve names through IP_SERVER (/etc/netns/NS/resolv.conf).
# Exits the script on failure.
netns_pair() {
    local nss="$1" nsc="$2" vs="$3" vc="$4" ips="$5" ipc="$6" ns
    ip netns add "$nss"
    ip netns add "$nsc"
    ip link add "$vs" type veth peer name "$vc"
    ip link set "$vs" netns "$nss"
    ip link set "$vc" netns "$nsc"
    for ns in "$nss" "$nsc"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
        ip netns exec "$ns" ip link set lo up
    done
    ip netns exec "$nss" ip addr add "$ips/30" dev "$vs"
    ip netns exec "$nsc" ip addr add "$ipc/30" dev "$vc"
    ip netns exec "$nss" ip link set "$vs" up
    ip netns exec "$nsc" ip link set "$vc" up
    for ns in "$nss" "$nsc"; do
        if ip netns exec "$ns" ip route show | grep -q '^default'; then
            log "namespace $ns has a default route; refusing to run"; exit 1
        fi
    done
    for ns in "$nss" "$nsc"; do
        mkdir -p "/etc/netns/$ns"
        echo "nameserver $ips" >"/etc/netns/$ns/resolv.conf"
    done
    # shellcheck disable=SC2317
    netns_link_up() { ip -n "$nsc" link show dev "$vc" | grep -q LOWER_UP; }
    wait_for 10 netns_link_up || { log "veth did not come up"; exit 1; }
}

# netns_teardown NS_SERVER NS_CLIENT VETH_SERVER: kill what still runs in
# the namespaces, delete them, the veth pair and their /etc/netns files.
netns_teardown() {
    local ns
    for ns in "$2" "$1"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    done
    for ns in "$2" "$1"; do ip netns del "$ns" 2>/dev/null || true; done
    ip link del "$3" 2>/dev/null || true
    rm -rf "/etc/netns/$1" "/etc/netns/$2"
}
