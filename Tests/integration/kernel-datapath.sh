#!/usr/bin/env bash
# Runs inside the kernel VM (scripts/kernel-vm), where the stock kernel has the
# L2TP datapath: two openl2tpd on loopback bring up a tunnel and a session, and
# the kernel must hold both (TUNNEL_CREATE on the daemon's own socket, then
# SESSION_CREATE, PPPoL2TP socket handed to the ppp_null plugin); after
# SIGTERM the kernel tunnels are gone.
# Usage (from the host): scripts/kernel-vm Tests/integration/kernel-datapath.sh BIN_DIR
set -uo pipefail
BIN=${1:-$(swift build --show-bin-path)}/openl2tpd
DIR=$(mktemp -d /tmp/kdp.XXXXXX)
fail() { echo "FAIL kernel_datapath: $*"; for f in "$DIR"/*.log; do echo "== $f"; cat "$f"; done; exit 1; }
wait_for() {  # FILE REGEX SECONDS [COUNT]
    local deadline=$((SECONDS + $3)) n
    while ((SECONDS < deadline)); do
        n=$(grep -cE "$2" "$1" 2>/dev/null); (( ${n:-0} >= ${4:-1} )) && return 0; sleep 0.2
    done
    return 1
}
ip link set lo up 2>/dev/null
echo "tunnel profile modify profile_name=default host_name=lns" >"$DIR/lns.conf"
printf '%s\n' "tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 peer_udp_port=17011 host_name=lac" \
    "session create tunnel_name=t session_name=s" >"$DIR/lac.conf"
"$BIN" -f -u 17011 -c "$DIR/lns.conf" -P "$DIR/lns.pid" --rpc-socket "$DIR/lns.sock" -p "$(dirname "$BIN")/libppp_null.so" >"$DIR/lns.log" 2>&1 &
LNS=$!
wait_for "$DIR/lns.log" "started on UDP port" 20 || fail "lns did not start"
# ppp_null on the LAC too: without it openl2tpd loads ppp_unix by default
# when the kernel has the datapath, and pppd would run (docs/daemon-plugins.md).
"$BIN" -f -u 17010 -c "$DIR/lac.conf" -P "$DIR/lac.pid" --rpc-socket "$DIR/lac.sock" -p "$(dirname "$BIN")/libppp_null.so" >"$DIR/lac.log" 2>&1 &
LAC=$!
grep -q "kernel L2TP datapath available" "$DIR/lns.log" || fail "no kernel datapath in the VM"
wait_for "$DIR/lac.log" "session [0-9]+ in tunnel [0-9]+ up" 30 || fail "session not up"
wait_for "$DIR/lns.log" "session [0-9]+ in tunnel [0-9]+ up" 10 || fail "lns session not up"
# The plugin got the session's real PPPoL2TP socket and claimed PPP.
wait_for "$DIR/lns.log" "PPP started by ppp_null" 5 || fail "ppp_null did not claim PPP"
sleep 0.5
grep -E "data path:" "$DIR"/*.log && fail "data path errors"
tunnels=$(ip l2tp show tunnel | grep -c "^Tunnel")
sessions=$(ip l2tp show session | grep -c "^Session")
ip l2tp show tunnel; ip l2tp show session
((tunnels == 2)) || fail "kernel holds $tunnels tunnels, expected 2 (one per daemon)"
((sessions == 2)) || fail "kernel holds $sessions sessions, expected 2"
lac_tid=$(grep -oE "tunnel [0-9]+ \(t\) up" "$DIR/lac.log" | awk '{print $2}')
ip l2tp show tunnel | grep -q "^Tunnel $lac_tid," || fail "kernel has no tunnel $lac_tid"
kill -TERM "$LAC" "$LNS"; wait "$LAC" "$LNS"
left=$(ip l2tp show tunnel | grep -c "^Tunnel")
((left == 0)) || fail "$left kernel tunnels left after SIGTERM"
echo "PASS kernel_datapath"
