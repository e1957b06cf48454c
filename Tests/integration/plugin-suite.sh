#!/usr/bin/env bash
# End-to-end tests of openl2tpd plugins (docs/daemon-plugins.md): the C
# example plugin (plugin-sdk/examples/hook_logger.c, built here with cc) is
# loaded with -p into two real daemons on loopback and the hook sequence each
# one recorded is checked; load failures must stop the daemon; ppp_null runs
# no pppd; ipsec installs XFRM policies (inside a network namespace this
# script creates, root only). Prints one line per test and
# "N passed, M failed"; exits non-zero if any test failed.
#
# Usage: Tests/integration/plugin-suite.sh [BIN_DIR] [TEST...]   (default: all tests)
# Env:   BIN_DIR=directory of the built openl2tpd and plugins (default: debug build)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# A first argument that is a directory is the build directory (the kernel VM
# passes it: scripts/kernel-vm Tests/integration/plugin-suite.sh BIN_DIR).
if [[ $# -gt 0 && -d "$1" ]]; then BIN_DIR=$1; shift; fi
BIN_DIR=${BIN_DIR:-$(swift build --show-bin-path 2>/dev/null)}
BIN=$BIN_DIR/openl2tpd
[[ -x "$BIN" ]] || { echo "openl2tpd not built ($BIN); run swift build first"; exit 2; }
# UDP ports from a random base, so concurrent runs on one machine do not collide.
PORT_BASE=${L2TP_TEST_PORT_BASE:-$((20000 + RANDOM % 40000))}
LAC_PORT=$PORT_BASE LNS_PORT=$((PORT_BASE + 1)) SPARE_PORT=$((PORT_BASE + 2))
WORK=$(mktemp -d /tmp/openl2tpd-plugins.XXXXXX)
PLUGIN_DIR=$WORK/plugins            # an empty plugin directory: no ppp_unix
mkdir -p "$PLUGIN_DIR"
NETNS=""
# shellcheck source=lib.sh
. Tests/integration/lib.sh

cleanup() {
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    [[ -n "$NETNS" ]] && ip netns del "$NETNS" 2>/dev/null
    wait 2>/dev/null
    [[ $FAILED -eq 0 ]] && rm -rf "$WORK"
}
trap cleanup EXIT

# The example plugin, and broken variants of it, built with plain cc.
HOOK_LOGGER=$WORK/hook_logger.so
cc -shared -fPIC -Wall -I plugin-sdk/include plugin-sdk/examples/hook_logger.c -o "$HOOK_LOGGER" \
    || { echo "cannot build hook_logger.c"; exit 2; }
NO_ENTRY=$WORK/no_entry.so
printf 'int not_a_plugin(void) { return 1; }\n' >"$WORK/no_entry.c"
cc -shared -fPIC "$WORK/no_entry.c" -o "$NO_ENTRY" || exit 2
WRONG_ABI=$WORK/wrong_abi.so
sed 's/\.abi_major = OL2TP_PLUGIN_ABI_MAJOR/.abi_major = OL2TP_PLUGIN_ABI_MAJOR + 1/' \
    plugin-sdk/examples/hook_logger.c >"$WORK/wrong_abi.c"
grep -q 'OL2TP_PLUGIN_ABI_MAJOR + 1' "$WORK/wrong_abi.c" || { echo "cannot make the wrong-ABI variant"; exit 2; }
cc -shared -fPIC -I plugin-sdk/include "$WORK/wrong_abi.c" -o "$WRONG_ABI" || exit 2
# Refuses incoming tunnels with result code 4 (not authorized) instead of 2,
# so the test sees that the plugin's code, not a default, reaches the wire.
REFUSE_4=$WORK/refuse_4.so
sed 's/reply_set_reason(reply, 2, 0, OL2TP_STR("incoming tunnels/reply_set_reason(reply, 4, 0, OL2TP_STR("incoming tunnels/' \
    plugin-sdk/examples/hook_logger.c >"$WORK/refuse_4.c"
grep -q 'reply, 4, 0, OL2TP_STR("incoming' "$WORK/refuse_4.c" || { echo "cannot make the result-code variant"; exit 2; }
cc -shared -fPIC -I plugin-sdk/include "$WORK/refuse_4.c" -o "$REFUSE_4" || exit 2
# The deferred-decision example (ABI 1.2): answers from its own thread when the
# daemon can wait, on the spot when it asks synchronously; refuses either way.
DELAYED=$WORK/delayed_authorizer.so
cc -shared -fPIC -Wall -pthread -I plugin-sdk/include plugin-sdk/examples/delayed_authorizer.c -o "$DELAYED" \
    || { echo "cannot build delayed_authorizer.c"; exit 2; }

# start NAME PORT [options...]: a daemon in the foreground with $DIR/NAME.conf,
# its log in $DIR/NAME.log. $NS_EXEC runs it inside a namespace when set.
start() {
    local name=$1 port=$2; shift 2
    ${NS_EXEC:-} "$BIN" -f -u "$port" -c "$DIR/$name.conf" -P "$DIR/$name.pid" --rpc-socket "$DIR/$name.sock" \
        --ppp-event-socket "$DIR/$name.event" --plugin-dir "$PLUGIN_DIR" "$@" \
        >"$DIR/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "PID_$name=$pid"
    wait_for_log "$name" "started on UDP port" 10 || return 1
}

# expect_order FILE REGEX...: each REGEX matches a line after the previous one's.
expect_order() {
    local file=$1; shift
    local from=0
    for regex in "$@"; do
        local line
        line=$(awk -v from="$from" -v re="$regex" 'NR > from && $0 ~ re { print NR; exit }' "$file")
        if [[ -z "$line" ]]; then
            echo "    /$regex/ not found after line $from of $file:" >&2
            sed 's/^/      /' "$file" >&2
            return 1
        fi
        from=$line
    done
}

expect_count() {  # FILE REGEX N
    local n
    n=$(grep -cE "$2" "$1")
    [[ $n -eq $3 ]] || { echo "    expected $3 lines /$2/ in $1, found $n:" >&2; sed 's/^/      /' "$1" >&2; return 1; }
}

# The life of one tunnel (id $2) and its sessions in a hook log, in order.
expect_tunnel_life() {  # FILE TUNNEL_ID
    local f=$1 t=$2
    expect_order "$f" "^[^ ]+ tunnel_created t=$t\$" "^[^ ]+ tunnel_up t=$t\$" "^[^ ]+ tunnel_down t=$t\$" \
        "^[^ ]+ socket_disconnected t=$t " "^[^ ]+ tunnel_deleted t=$t\$" || return 1
    expect_order "$f" "^[^ ]+ socket_connected t=$t 127\.0\.0\.1:[0-9]+>127\.0\.0\.1:[0-9]+\$" \
        "^[^ ]+ socket_disconnected t=$t 127\.0\.0\.1:[0-9]+>127\.0\.0\.1:[0-9]+\$" || return 1
    local sessions
    sessions=$(grep -oE "session_created t=$t s=[0-9]+" "$f" | awk -F's=' '{print $2}')
    [[ $(echo "$sessions" | grep -c .) -eq 2 ]] || { echo "    expected 2 sessions in tunnel $t of $f" >&2; cat "$f" >&2; return 1; }
    for s in $sessions; do
        expect_order "$f" "^[^ ]+ tunnel_up t=$t\$" "session_created t=$t s=$s\$" "session_up t=$t s=$s\$" \
            "ip_allocate t=$t s=$s\$" "ppp_spawn t=$t s=$s fd=-?[0-9]+\$" "session_down t=$t s=$s\$" \
            "ip_release t=$t s=$s\$" "session_deleted t=$t s=$s\$" "^[^ ]+ tunnel_deleted t=$t\$" || return 1
        for hook in session_created session_up session_down session_deleted; do
            expect_count "$f" "$hook t=$t s=$s\$" 1 || return 1
        done
    done
    for hook in tunnel_created tunnel_up tunnel_down tunnel_deleted socket_connected socket_disconnected; do
        expect_count "$f" "$hook t=$t( |\$)" 1 || return 1
    done
}

two_daemons_config() {
    echo "tunnel profile modify profile_name=default host_name=lns" >"$DIR/lns.conf"
    { echo "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=$LNS_PORT host_name=lac"
      echo "session create tunnel_name=t1 session_name=s1 user_name=bert"
      echo "session create tunnel_name=t1 session_name=s2"; } >"$DIR/lac.conf"
}

# MARK: - Tests

test_hook_sequence_on_both_sides() {
    two_daemons_config
    start lns $LNS_PORT -p "$HOOK_LOGGER:file=$DIR/lns.hooks,tag=lns,spawn=1,ip=10.9.0.1/10.9.0.2" || return 1
    start lac $LAC_PORT -p "$HOOK_LOGGER:file=$DIR/lac.hooks,tag=lac,spawn=1,ip=10.9.0.2/10.9.0.1" || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    wait_for_file "$DIR/lns.hooks" "ppp_spawn" 5 2 || return 1
    wait_for_file "$DIR/lac.hooks" "ppp_spawn" 5 2 || return 1
    grep -q "hook_logger.*loaded $HOOK_LOGGER" "$DIR/lac.log" \
        || { echo "    load not logged" >&2; cat "$DIR/lac.log" >&2; return 1; }
    # The LNS authorized the tunnel by the LAC's Host Name and each session.
    grep -qE "^lns tunnel_authorize t=[0-9]+ host=lac$" "$DIR/lns.hooks" || { cat "$DIR/lns.hooks" >&2; return 1; }
    expect_count "$DIR/lns.hooks" "^lns session_authorize " 2 || return 1
    # Tear down: the LAC exits (StopCCN), then the LNS.
    stop lac TERM || { echo "    lac did not exit" >&2; return 1; }
    wait_for_log lns "down: closed by peer" 5 || return 1
    stop lns TERM || { echo "    lns did not exit" >&2; return 1; }
    local lac_tunnel lns_tunnel
    lac_tunnel=$(grep -oE "^lac tunnel_created t=[0-9]+" "$DIR/lac.hooks" | head -1 | cut -d= -f2)
    lns_tunnel=$(grep -oE "^lns tunnel_created t=[0-9]+" "$DIR/lns.hooks" | head -1 | cut -d= -f2)
    expect_tunnel_life "$DIR/lac.hooks" "$lac_tunnel" || return 1
    expect_tunnel_life "$DIR/lns.hooks" "$lns_tunnel" || return 1
    for side in lac lns; do
        expect_order "$DIR/$side.hooks" "^$side init\$" "^$side tunnel_created" "^$side tunnel_deleted" "^$side unload\$" || return 1
    done
    # Without a kernel data path there is no PPPoL2TP socket: plugins get fd -1.
    if grep -q "running the control plane only" "$DIR/lac.log"; then
        expect_count "$DIR/lac.hooks" "ppp_spawn .* fd=-1$" 2 || return 1
    else
        # Kernel datapath (the VM): each session's own PPPoL2TP socket.
        expect_count "$DIR/lac.hooks" "ppp_spawn .* fd=[0-9]+$" 2 || return 1
        expect_count "$DIR/lns.hooks" "ppp_spawn .* fd=[0-9]+$" 2 || return 1
    fi
}

# send_ppp_event SOCKET up|down|accm TUNNEL SESSION: what pppd's openl2tp.so
# sends (docs/ppp.md: host-order header signature/type/length, 4-byte aligned TLVs).
send_ppp_event() {
    python3 - "$@" <<'PY'
import socket, struct, sys
path, kind, tid, sid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def tlv(t, v):
    return struct.pack("=HH", t, len(v)) + v + b"\0" * (-len(v) % 4)
body = tlv(0, struct.pack("=H", tid)) + tlv(1, struct.pack("=H", sid))
if kind == "accm":
    mtype, body = 2, body + tlv(2, struct.pack("=II", 0, 0xffffffff))
else:
    mtype = 1
    body += tlv(6, bytes([1 if kind == "up" else 0])) + tlv(3, struct.pack("=I", 7)) + tlv(4, b"ppp7\0") + tlv(5, b"bert\0")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(struct.pack("=IHH", 0x6b6c7831, mtype, len(body)) + body, path)
PY
}

test_ppp_events_drive_ppp_hooks_and_set_link_info() {
    two_daemons_config
    start lns $LNS_PORT -d PROTOCOL -p "$HOOK_LOGGER:file=$DIR/lns.hooks,tag=lns,spawn=1" || return 1
    start lac $LAC_PORT -p "$HOOK_LOGGER:file=$DIR/lac.hooks,tag=lac,spawn=1" || return 1
    wait_for_file "$DIR/lac.hooks" "ppp_spawn" 10 2 || return 1
    local t s
    local ids
    ids=$(grep -m1 -oE "^lac session_up t=[0-9]+ s=[0-9]+" "$DIR/lac.hooks" | sed -E 's/.*t=([0-9]+) s=([0-9]+)/\1 \2/')
    t=${ids% *}; s=${ids#* }
    send_ppp_event "$DIR/lac.event" up "$t" "$s" || return 1
    wait_for_file "$DIR/lac.hooks" "^lac ppp_up t=$t s=$s if=ppp7$" 5 1 || return 1
    wait_for_log lac "session $s in tunnel $t: PPP up on ppp7 \(unit 7\) user 'bert'" 1 || return 1
    # ACCM reported on the LNS side: a Set-Link-Info carries it to the LAC
    # (RFC 2661 6.14: LNS to LAC), which logs and keeps it.
    local lns_ids lt ls
    lns_ids=$(grep -m1 -oE "^lns session_up t=[0-9]+ s=[0-9]+" "$DIR/lns.hooks" | sed -E 's/.*t=([0-9]+) s=([0-9]+)/\1 \2/')
    lt=${lns_ids% *}; ls=${lns_ids#* }
    send_ppp_event "$DIR/lns.event" accm "$lt" "$ls" || return 1
    wait_for_log lns "session $ls in tunnel $lt: ACCM send 0x00000000 receive 0xffffffff from pppd: Set-Link-Info to the LAC" 5 || return 1
    wait_for_log lac "peer set ACCM send 0x00000000 receive 0xffffffff \(Set-Link-Info\)" 5 || return 1
    # On a LAC session the report is traced only: the LNS receives no SLI.
    send_ppp_event "$DIR/lac.event" accm "$t" "$s" || return 1
    sleep 0.3
    expect_count "$DIR/lns.log" "RX from .*: SLI" 0 || return 1
    send_ppp_event "$DIR/lac.event" down "$t" "$s" || return 1
    wait_for_file "$DIR/lac.hooks" "^lac ppp_down t=$t s=$s$" 5 1 || return 1
    # Events for sessions we do not have change nothing.
    send_ppp_event "$DIR/lac.event" up 1 1 || return 1
    sleep 0.2
    expect_count "$DIR/lac.hooks" "ppp_up" 1 || return 1
    stop lac TERM || return 1
    [[ ! -e "$DIR/lac.event" ]] || { echo "    event socket left behind" >&2; return 1; }
}

test_plugin_refuses_incoming_tunnel() {
    two_daemons_config
    start lns $LNS_PORT -p "$REFUSE_4:file=$DIR/lns.hooks,tag=lns,refuse_incoming=1" || return 1
    start lac $LAC_PORT -p "$HOOK_LOGGER:file=$DIR/lac.hooks,tag=lac,spawn=1" || return 1
    wait_for_log lns "refused tunnel [0-9]+ from 127\.0\.0\.1:[0-9]+ host 'lac': refused by plugin hook_logger: incoming tunnels are not accepted; StopCCN result code 4" 10 || return 1
    # The peer got a StopCCN carrying the plugin's result code.
    wait_for_log lac "\(t1\) down: .*result 4" 10 || return 1
    # The refused tunnel was created, refused and deleted; never up.
    expect_order "$DIR/lns.hooks" "^lns tunnel_created t=" "^lns tunnel_deleted t=" || return 1
    expect_count "$DIR/lns.hooks" "tunnel_up|tunnel_authorize|session_" 0 || return 1
    # The LAC saw its tunnel created and (at the latest when it exits) deleted, never up.
    stop lac TERM || return 1
    expect_order "$DIR/lac.hooks" "^lac tunnel_created t=" "^lac tunnel_deleted t=" "^lac unload$" || return 1
    expect_count "$DIR/lac.hooks" "^lac tunnel_up" 0 || return 1
}

test_delayed_authorizer_refuses_by_host_name() {
    two_daemons_config
    start lns $LNS_PORT -p "$DELAYED:delay_ms=50,refuse_host=lac" || return 1
    start lac $LAC_PORT -p "$HOOK_LOGGER:file=$DIR/lac.hooks,tag=lac,spawn=1" || return 1
    wait_for_log lns "refused tunnel [0-9]+ from 127\.0\.0\.1:[0-9]+ host 'lac': refused by plugin delayed_authorizer: refused by delayed_authorizer; StopCCN result code 2" 10 || return 1
    wait_for_log lac "\(t1\) down: .*result 2" 10 || return 1
    stop lac TERM || return 1
    expect_count "$DIR/lac.hooks" "^lac tunnel_up" 0 || return 1
    # Its thread stops at unload: the daemon exits promptly.
    stop lns TERM || { echo "    lns did not exit" >&2; return 1; }
}

# refuses_to_start NAME REGEX -p ARG: the daemon exits non-zero, logging REGEX.
refuses_to_start() {
    local name=$1 regex=$2; shift 2
    echo "" >"$DIR/$name.conf"
    "$BIN" -f -u $SPARE_PORT -c "$DIR/$name.conf" -P "$DIR/$name.pid" --rpc-socket "$DIR/$name.sock" \
        --ppp-event-socket "$DIR/$name.event" --plugin-dir "$PLUGIN_DIR" "$@" >"$DIR/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    local status=0
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    wait "$pid"; status=$?
    [[ $status -ne 0 ]] || { echo "    $name: exit status 0" >&2; cat "$DIR/$name.log" >&2; return 1; }
    grep -qE "$regex" "$DIR/$name.log" || { echo "    $name: no /$regex/ in the log:" >&2; cat "$DIR/$name.log" >&2; return 1; }
    ! grep -q "started on UDP port" "$DIR/$name.log" || { echo "    $name: started anyway" >&2; return 1; }
}

test_missing_plugin_refuses_to_start() {
    refuses_to_start missing "plugin 'nosuch': not found \(tried $PLUGIN_DIR/nosuch.so.*\); openl2tpd not started" -p nosuch || return 1
    refuses_to_start missing_path "plugin '/nonexistent/x.so': not found" -p /nonexistent/x.so
}

test_missing_entry_symbol_refuses_to_start() {
    refuses_to_start no_entry "plugin '$NO_ENTRY': $NO_ENTRY is not an openl2tp plugin: no entry symbol openl2tp_plugin_entry_v1 .*openl2tpd not started" -p "$NO_ENTRY"
}

test_wrong_abi_refuses_to_start() {
    refuses_to_start wrong_abi "plugin 'hook_logger' \($WRONG_ABI\) was built for plugin ABI 2\.[0-9]+ but this openl2tpd implements ABI 1\.[0-9]+: refused.*openl2tpd not started" \
        -p "$WRONG_ABI:file=$DIR/x.hooks"
}

test_failing_init_refuses_to_start() {
    # hook_logger's init fails on an unknown argument.
    refuses_to_start bad_args "bad argument 'bogus=1'.*|refused to start: init returned" -p "$HOOK_LOGGER:bogus=1" || return 1
    grep -q "openl2tpd not started" "$DIR/bad_args.log" || { cat "$DIR/bad_args.log" >&2; return 1; }
}

test_ppp_null_runs_no_pppd() {
    cp "$BIN_DIR/libppp_null.so" "$PLUGIN_DIR/" || return 1
    two_daemons_config
    start lns $LNS_PORT -p ppp_null -p "$HOOK_LOGGER:file=$DIR/lns.hooks,tag=lns" || return 1
    start lac $LAC_PORT -p "$BIN_DIR/libppp_null.so" || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    wait_for_file "$DIR/lns.hooks" "ip_allocate" 5 2 || return 1
    # ppp_null, loaded first, claimed PPP spawn: later plugins are not asked.
    expect_count "$DIR/lns.hooks" "ppp_spawn" 0 || return 1
    for side in lac lns; do
        local var="PID_$side"
        if pgrep -P "${!var}" >/dev/null; then
            echo "    $side has child processes:" >&2; pgrep -a -P "${!var}" >&2; return 1
        fi
        grep -q "PPP is handled by a loaded plugin" "$DIR/$side.log" \
            || { echo "    $side: ppp_unix not inhibited" >&2; cat "$DIR/$side.log" >&2; return 1; }
    done
    rm -f "$PLUGIN_DIR/libppp_null.so"
}

test_ipsec_policies_in_namespace() {
    if [[ $(id -u) -ne 0 ]] || ! command -v ip >/dev/null; then echo "    SKIPPED: needs root and iproute2" >&2; return 0; fi
    [[ -e "$BIN_DIR/libipsec.so" ]] || { echo "    no libipsec.so in $BIN_DIR" >&2; return 1; }
    NETNS=ol2tp-plugins-$$
    ip netns add "$NETNS" || return 1
    ip -n "$NETNS" link set lo up || return 1
    NS_EXEC="ip netns exec $NETNS"
    two_daemons_config
    start lns $LNS_PORT -p "$BIN_DIR/libipsec.so" -p ppp_null || return 1
    start lac $LAC_PORT -p ipsec -p "$HOOK_LOGGER:file=$DIR/lac.hooks,tag=lac,spawn=1" || return 1
    wait_for_log lac "\(t1\) up" 10 || return 1
    wait_for_log lns "tunnel [0-9]+ up" 10 || return 1
    wait_for_file "$DIR/lac.hooks" "socket_connected" 5 1 || return 1
    local policies
    policies=$(ip -n "$NETNS" xfrm policy list)
    # Each daemon protects its tunnel socket's port pair, both directions:
    # the LAC's socket has an ephemeral port, the LNS answers from $LNS_PORT.
    local lac_port
    lac_port=$(grep -oE "socket_connected t=[0-9]+ 127\.0\.0\.1:[0-9]+>127\.0\.0\.1:$LNS_PORT" "$DIR/lac.hooks" \
        | sed -E 's/.*:([0-9]+)>.*/\1/')
    [[ -n "$lac_port" ]] || { echo "    no socket_connected in lac.hooks" >&2; cat "$DIR/lac.hooks" >&2; return 1; }
    for pair in "sport $lac_port dport $LNS_PORT" "sport $LNS_PORT dport $lac_port"; do
        local n
        n=$(echo "$policies" | grep -cE "src 127\.0\.0\.1/32 dst 127\.0\.0\.1/32 proto udp $pair")
        # out and in, from each of the two daemons.
        [[ $n -ge 2 ]] || { echo "    $n policies for '$pair':" >&2; echo "$policies" >&2; return 1; }
    done
    stop lac TERM || return 1
    stop lns TERM || return 1
    policies=$(ip -n "$NETNS" xfrm policy list)
    [[ -z "$policies" ]] || { echo "    policies left after teardown:" >&2; echo "$policies" >&2; return 1; }
    ip netns del "$NETNS"; NETNS=""
}

# MARK: - Runner

after_test() {
    local pid
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "ol2tp-plugins-$$" 2>/dev/null
    NS_EXEC=""
    sleep 0.2
}
NS_EXEC=""
run_tests "$@"
