#!/usr/bin/env bash
# Process-level tests of openl2tpd: two daemons on loopback (distinct UDP
# ports, each with its own config, pid file, log and pcap trace), observed
# through their logs and tshark. Prints one line per test and a final
# "N passed, M failed"; exits non-zero if any test failed.
#
# Usage: Tests/integration/daemon-suite.sh [TEST...]   (default: all)
# Env:   OPENL2TPD=path/to/openl2tpd (default: the debug build)
#        L2TP_TEST_PORT_BASE=N: UDP ports N..N+13 (default: random, so two runs
#        on one machine do not collide)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${OPENL2TPD:-$(swift build --show-bin-path 2>/dev/null)/openl2tpd}
# Plugins named without a path are looked up next to the binary (the build dir).
export OPENL2TP_PLUGIN_DIR=${OPENL2TP_PLUGIN_DIR:-$(dirname "$BIN")}
[[ -x "$BIN" ]] || { echo "openl2tpd not built ($BIN); run swift build first"; exit 2; }
WORK=$(mktemp -d /tmp/openl2tpd-it.XXXXXX)
BASE=${L2TP_TEST_PORT_BASE:-$((20000 + RANDOM % 400 * 100))}
P_LAC=$BASE P_LNS=$((BASE + 1)) P_SPARE=$((BASE + 2))
P_XOURS=$((BASE + 10)) P_XLNS=$((BASE + 11)) P_XOURLNS=$((BASE + 12)) P_XLAC=$((BASE + 13))
# shellcheck source=lib.sh
. Tests/integration/lib.sh

trap remove_work EXIT

# start NAME PORT [extra options...]: starts a daemon with $DIR/NAME.conf in
# the foreground, logging to $DIR/NAME.log, tracing to $DIR/NAME.pcap. Each
# has its own pppd event socket: with the kernel datapath ppp_unix is loaded by
# default, and a daemon that cannot claim its event socket then does not start.
start() {
    local name=$1 port=$2; shift 2
    "$BIN" -f -u "$port" -c "$DIR/$name.conf" -P "$DIR/$name.pid" --pcap "$DIR/$name.pcap" \
        --rpc-socket "$DIR/$name.sock" --ppp-event-socket "$DIR/$name.event" "$@" \
        >"$DIR/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "PID_$name=$pid"
    wait_for_log "$name" "started on UDP port" 10 || return 1
}

# tshark over a daemon's pcap, decoding both test ports as L2TP.
shark() {
    local name=$1; shift
    tshark -r "$DIR/$name.pcap" -d udp.port==${P_LAC},l2tp -d udp.port==${P_LNS},l2tp -d udp.port==${P_SPARE},l2tp "$@" 2>/dev/null
}

expect_no_malformed() {
    local n
    n=$(shark "$1" -Y "_ws.malformed || _ws.expert.severity >= error" | wc -l)
    [[ $n -eq 0 ]] || { echo "    $n malformed packets in $1.pcap" >&2; shark "$1" -Y "_ws.malformed" >&2; return 1; }
}

expect_message_on_wire() {  # NAME MESSAGE_TYPE [extra display filter]
    local filter="l2tp.avp.message_type == $2${3:+ && $3}"
    [[ $(shark "$1" -Y "$filter" | wc -l) -ge 1 ]] || {
        echo "    no packet matching '$filter' in $1.pcap:" >&2; shark "$1" >&2; return 1; }
}

write_lns() {  # write_lns EXTRA_LINES...
    { echo "tunnel profile modify profile_name=default host_name=lns"; printf '%s\n' "$@"; } >"$DIR/lns.conf"
}

write_lac() {
    { echo "system modify tunnel_persist_pend_timeout=1 session_persist_pend_timeout=1"; printf '%s\n' "$@"; } >"$DIR/lac.conf"
}

# MARK: - Tests

test_tunnel_and_sessions_come_up() {
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac" \
              "session create tunnel_name=t1 session_name=s1 user_name=bert" \
              "session create tunnel_name=t1 session_name=s2"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lac "tunnel [0-9]+ \(t1\) up: peer 127.0.0.1:${P_LNS} host 'lns'" 10 || return 1
    wait_for_log lns "tunnel [0-9]+ up: .* host 'lac'" 10 || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 2 || return 1
    for m in 1 2 3 10 11 12; do expect_message_on_wire lac $m || return 1; done
    # The data path's state is said exactly once.
    [[ $(grep -cE "running the control plane only|kernel L2TP datapath available" "$DIR/lac.log") -eq 1 ]] \
        || { echo "    data path availability not logged exactly once" >&2; return 1; }
    expect_no_malformed lac && expect_no_malformed lns
}

test_sigterm_sends_stopccn() {
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lac "\(t1\) up" 10 || return 1
    stop lns TERM || { echo "    lns did not exit after SIGTERM" >&2; return 1; }
    wait_for_log lns "SIGTERM: shutting down, closing 1 tunnel" 1 || return 1
    wait_for_log lns "every peer acknowledged its StopCCN" 1 || return 1
    wait_for_log lns "openl2tpd stopped" 1 || return 1
    wait_for_log lac "\(t1\) down: closed by peer \(result 6" 5 || return 1
    expect_message_on_wire lns 4 "l2tp.result_code == 6" || return 1
    [[ ! -e "$DIR/lns.pid" ]] || { echo "    pid file left behind" >&2; return 1; }
}

test_persistent_tunnel_recreated_after_peer_restart() {
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac persist=yes" \
              "session create tunnel_name=t1 session_name=s1 user_name=bert"
    # The LAC starts first: the tunnel must be retried until the peer answers.
    start lac ${P_LAC} || return 1
    sleep 1.5
    start lns ${P_LNS} || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 40 || return 1
    stop lns TERM || return 1
    wait_for_log lac "\(t1\) down" 10 || return 1
    start lns ${P_LNS} || return 1
    wait_for_log lac "persistent tunnel t1: recreated as tunnel" 20 || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 20 2 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 || return 1
}

test_max_tunnels_refuses_second_tunnel() {
    write_lns "system modify max_tunnels=1"
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac" \
              "tunnel create tunnel_name=t2 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac config_id=2"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    # Both SCCRQs may arrive before either tunnel is established: half-open
    # tunnels do not count, so the second is then refused at SCCRQ or closed
    # as it comes up (SCCCN), with the same reason and result either way.
    wait_for_log lns "tunnel [0-9]+ from 127.0.0.1:[0-9]+ .*max_tunnels limit \(1\) reached; StopCCN result code 2 error 4" 10 || return 1
    wait_for_log lac "down: closed by peer" 10 || return 1
    expect_message_on_wire lac 4 "l2tp.result_code == 2" || return 1
    [[ $(grep -cE "\) up: peer|[0-9] up: peer" "$DIR/lns.log") -eq 1 ]] || { echo "    expected exactly one tunnel up on the LNS" >&2; return 1; }
}

test_deny_remote_tunnel_creates() {
    write_lns "system modify deny_remote_tunnel_creates=yes"
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lns "refused tunnel [0-9]+ from .*: deny_remote_tunnel_creates=yes; StopCCN result code 4" 10 || return 1
    wait_for_log lac "\(t1\) down: closed by peer \(result 4" 10 || return 1
    expect_message_on_wire lns 4 "l2tp.result_code == 4"
}

test_deny_local_tunnel_creates_refuses_to_start() {
    write_lac "system modify deny_local_tunnel_creates=yes" \
              "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS}"
    "$BIN" -f -u ${P_LAC} -c "$DIR/lac.conf" -P "$DIR/lac.pid" --rpc-socket "$DIR/lac.sock" >"$DIR/lac.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 ]] || { echo "    exit status 0" >&2; return 1; }
    grep -qE "lac.conf:3:1: tunnel create refused: deny_local_tunnel_creates=yes" "$DIR/lac.log" || { cat "$DIR/lac.log" >&2; return 1; }
}

test_second_instance_fails_clearly() {
    write_lns ""
    start lns ${P_LNS} || return 1
    "$BIN" -f -u ${P_LNS} -c "$DIR/lns.conf" -P "$DIR/second.pid" --rpc-socket "$DIR/second.sock" >"$DIR/second.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 ]] || { echo "    second instance exited 0" >&2; return 1; }
    grep -q "UDP port ${P_LNS} is already in use by another process (is openl2tpd already running?)" "$DIR/second.log" \
        || { cat "$DIR/second.log" >&2; return 1; }
    [[ ! -e "$DIR/second.pid" ]] || { echo "    second instance wrote a pid file" >&2; return 1; }
    kill -0 "$PID_lns" || { echo "    first instance died" >&2; return 1; }
}

test_bad_config_refuses_to_start() {
    printf 'system modify max_tunnels=10\ntunnel profile modify profile_name=default hello_timeout=banana\n' >"$DIR/bad.conf"
    "$BIN" -f -u ${P_SPARE} -c "$DIR/bad.conf" -P "$DIR/bad.pid" --rpc-socket "$DIR/bad.sock" >"$DIR/bad.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 ]] || { echo "    exit status 0" >&2; return 1; }
    grep -qE "bad.conf:2(:[0-9]+)?: .*hello_timeout" "$DIR/bad.log" || { cat "$DIR/bad.log" >&2; return 1; }
    grep -q "not started" "$DIR/bad.log" || return 1
    [[ ! -e "$DIR/bad.pid" ]] || { echo "    bad config wrote a pid file" >&2; return 1; }
}

test_sighup_reloads_and_keeps_config_on_error() {
    write_lns "system modify max_tunnels=1"
    start lns ${P_LNS} || return 1
    printf 'system modify max_tunnels=5\nbogus command here\n' >"$DIR/lns.conf"
    kill -HUP "$PID_lns"
    wait_for_log lns "lns.conf:2:1: .*bogus" 5 || return 1
    wait_for_log lns "not reloaded: the running configuration is kept" 5 || return 1
    printf 'system modify deny_remote_tunnel_creates=yes\n' >"$DIR/lns.conf"
    kill -HUP "$PID_lns"
    wait_for_log lns "configuration reloaded from" 5 || return 1
    # The reloaded file takes effect: remote tunnels are now denied.
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lac ${P_LAC} || return 1
    wait_for_log lns "deny_remote_tunnel_creates=yes" 10
}

test_close_on_exec_everywhere() {
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lac "\(t1\) up" 10 || return 1
    local pid fd flags leaks=0
    for pid in "$PID_lns" "$PID_lac"; do
        for fd in /proc/$pid/fdinfo/*; do
            fd=${fd##*/}
            ((fd <= 2)) && continue
            flags=$(awk '/^flags:/ {print $2}' "/proc/$pid/fdinfo/$fd" 2>/dev/null) || continue
            [[ -z "$flags" ]] && continue
            # O_CLOEXEC is 02000000 (octal).
            if (( (8#$flags & 8#2000000) == 0 )); then
                echo "    pid $pid fd $fd ($(readlink /proc/$pid/fd/$fd)) is not close-on-exec" >&2
                leaks=$((leaks + 1))
            fi
        done
    done
    ((leaks == 0))
}

test_daemonizes_without_f() {
    write_lns ""
    "$BIN" -u ${P_LNS} -c "$DIR/lns.conf" -P "$DIR/lns.pid" --rpc-socket "$DIR/lns.sock" --ppp-event-socket "$DIR/lns.event" >"$DIR/lns.out" 2>&1
    local rc=$?
    [[ $rc -eq 0 ]] || { echo "    parent exited $rc" >&2; cat "$DIR/lns.out" >&2; return 1; }
    for _ in $(seq 1 50); do [[ -s "$DIR/lns.pid" ]] && break; sleep 0.1; done
    local pid
    pid=$(cat "$DIR/lns.pid" 2>/dev/null) || { echo "    no pid file" >&2; return 1; }
    PIDS+=("$pid")
    kill -0 "$pid" || { echo "    daemon $pid not running" >&2; return 1; }
    [[ "$(awk '{print $7}' /proc/$pid/stat)" == "0" ]] || { echo "    still has a controlling terminal" >&2; return 1; }
    [[ "$(readlink /proc/$pid/cwd)" == "/" ]] || { echo "    cwd is not /" >&2; return 1; }
    # It serves: a LAC in the foreground gets its tunnel up.
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lac ${P_LAC} || return 1
    wait_for_log lac "\(t1\) up: peer 127.0.0.1:${P_LNS}" 10 || return 1
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || { echo "    did not exit on SIGTERM" >&2; return 1; }
    [[ ! -e "$DIR/lns.pid" ]] || { echo "    pid file left behind" >&2; return 1; }
    wait_for_log lac "\(t1\) down: closed by peer \(result 6" 5
}

# Started by a supervisor with stdin, stdout and stderr closed: those numbers
# must not go to the first sockets opened (a log line would go down a socket).
test_closed_stdio_becomes_dev_null() {
    write_lns ""
    "$BIN" -f -u ${P_LNS} -c "$DIR/lns.conf" -P "$DIR/lns.pid" --rpc-socket "$DIR/lns.sock" --ppp-event-socket "$DIR/lns.event" <&- >&- 2>&- &
    PIDS+=("$!")
    local pid=$! fd
    for _ in $(seq 1 100); do [[ -S "$DIR/lns.sock" ]] && break; sleep 0.1; done
    [[ -S "$DIR/lns.sock" ]] || { echo "    no management socket" >&2; return 1; }
    for fd in 0 1 2; do
        [[ "$(readlink /proc/$pid/fd/$fd)" == /dev/null ]] \
            || { echo "    fd $fd is $(readlink /proc/$pid/fd/$fd)" >&2; return 1; }
    done
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac"
    start lac ${P_LAC} || return 1
    wait_for_log lac "\(t1\) up: peer 127.0.0.1:${P_LNS}" 10
}

test_many_tunnels_and_sessions() {
    write_lns ""
    local lines=() i
    for i in $(seq 1 100); do
        lines+=("tunnel create tunnel_name=t$i dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac config_id=$i")
        lines+=("session create tunnel_name=t$i session_name=s$i")
    done
    write_lac "${lines[@]}"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 60 100 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 100 || return 1
    # Every tunnel has its own socket on the LAC: 100 UDP sockets plus the listener.
    local sockets
    sockets=$(ls -l /proc/"$PID_lac"/fd | grep -c socket)
    ((sockets >= 101)) || { echo "    only $sockets sockets" >&2; return 1; }
    expect_no_malformed lac
}

test_plugins_see_hooks_in_order() {
    local libdir; libdir=$(dirname "$BIN")
    [[ -e "$libdir/libSwiftHookLogger.so" && -e "$libdir/libppp_null.so" ]] \
        || swift build --product SwiftHookLogger >/dev/null && swift build --product ppp_null >/dev/null || return 1
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac" \
              "session create tunnel_name=t1 session_name=s1 user_name=bert"
    start lns ${P_LNS} -p "$libdir/libSwiftHookLogger.so:file=$DIR/hooks-lns.txt" -p ppp_null || return 1
    start lac ${P_LAC} -p "$libdir/libSwiftHookLogger.so:file=$DIR/hooks-lac.txt" || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+: PPP started by ppp_null" 10 || return 1
    stop lac TERM || return 1
    wait_for_log lns "tunnel [0-9]+ down" 5 || return 1
    # The LNS's tunnel lingers (RFC 2661 5.7); stopping unloads the plugins,
    # which finishes every life cycle.
    stop lns TERM || return 1
    local expected="tunnel_created tunnel_up session_created session_up session_down session_deleted tunnel_down tunnel_deleted"
    for side in lac lns; do
        local got; got=$(awk '$2 != "init" {print $2}' "$DIR/hooks-$side.txt" | tr '\n' ' ' | sed 's/ $//')
        [[ "$got" == "$expected" ]] || { echo "    $side hooks: '$got'" >&2; return 1; }
    done
}

test_plugin_that_does_not_load_is_fatal() {
    write_lns ""
    "$BIN" -f -u ${P_LNS} -c "$DIR/lns.conf" -P "$DIR/lns.pid" --rpc-socket "$DIR/lns.sock" -p /nonexistent/libnope.so \
        >"$DIR/lns.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 ]] || { echo "    exit status 0" >&2; return 1; }
    grep -q "libnope.so" "$DIR/lns.log" && grep -q "openl2tpd not started" "$DIR/lns.log" || { cat "$DIR/lns.log" >&2; return 1; }
}

test_missing_config_file_given_with_c_is_an_error() {
    "$BIN" -f -u ${P_SPARE} -c "$DIR/nonexistent.conf" -P "$DIR/x.pid" --rpc-socket "$DIR/x.sock" >"$DIR/x.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 ]] && grep -q "nonexistent.conf: cannot read: No such file or directory" "$DIR/x.log" \
        || { echo "    rc=$rc" >&2; cat "$DIR/x.log" >&2; return 1; }
}

# refused_start NAME PORT [options...]: runs a daemon that must refuse to
# start (with -f: its messages in $DIR/NAME.log); fails if it exited 0.
refused_start() {
    local name=$1 port=$2; shift 2
    timeout 20 "$BIN" -f -u "$port" -c "$DIR/$name.conf" --rpc-socket "$DIR/$name.sock" "$@" >"$DIR/$name.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || { echo "    $name: exit status $rc" >&2; cat "$DIR/$name.log" >&2; return 1; }
    grep -q "openl2tpd not started" "$DIR/$name.log" || { cat "$DIR/$name.log" >&2; return 1; }
}

expect_in_log() {  # NAME FIXED_TEXT
    grep -qF -- "$2" "$DIR/$1.log" || { echo "    no '$2' in $1.log:" >&2; cat "$DIR/$1.log" >&2; return 1; }
}

test_pid_file_symlink_refuses_to_start() {
    write_lns ""
    echo keep >"$DIR/victim"
    ln -s "$DIR/victim" "$DIR/lns.pid"
    refused_start lns ${P_LNS} -P "$DIR/lns.pid" --ppp-event-socket "$DIR/lns.event" || return 1
    expect_in_log lns "pid file $DIR/lns.pid: is a symbolic link; refusing to write to it" || return 1
    [[ $(cat "$DIR/victim") == keep ]] || { echo "    the symlink's target was written" >&2; return 1; }
    # Without -f too: the file is claimed before the daemon detaches, so the
    # refusal is the exit status.
    timeout 20 "$BIN" -u ${P_LNS} -c "$DIR/lns.conf" -P "$DIR/lns.pid" --rpc-socket "$DIR/lns.sock" \
        --ppp-event-socket "$DIR/lns.event" >/dev/null 2>&1
    local rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || { echo "    detaching daemon: exit status $rc" >&2; return 1; }
    [[ $(cat "$DIR/victim") == keep ]] || { echo "    the symlink's target was written" >&2; return 1; }
    # Another user's file at the name is not ours to overwrite either.
    rm -f "$DIR/lns.pid"
    # Not a pid: the runner kills what the pid files of a failed test name.
    echo planted >"$DIR/lns.pid"
    chown 65534:65534 "$DIR/lns.pid"
    refused_start lns ${P_LNS} -P "$DIR/lns.pid" --ppp-event-socket "$DIR/lns.event" || return 1
    expect_in_log lns "pid file $DIR/lns.pid: belongs to uid 65534" || return 1
    rm -f "$DIR/lns.pid"
}

test_pcap_symlink_refuses_to_start_and_the_capture_is_private() {
    write_lns ""
    echo keep >"$DIR/victim"
    ln -s "$DIR/victim" "$DIR/lns.pcap"
    refused_start lns ${P_LNS} -P "$DIR/lns.pid" --pcap "$DIR/lns.pcap" --ppp-event-socket "$DIR/lns.event" || return 1
    expect_in_log lns "pcap $DIR/lns.pcap: is a symbolic link; refusing to write to it" || return 1
    [[ $(cat "$DIR/victim") == keep ]] || { echo "    the symlink's target was written" >&2; return 1; }
    [[ ! -e "$DIR/lns.pid" ]] || { echo "    a refused start left its pid file" >&2; return 1; }
    rm -f "$DIR/lns.pcap"
    start lns ${P_LNS} || return 1
    [[ $(stat -c %a "$DIR/lns.pcap") == 600 ]] || { echo "    capture mode $(stat -c %a "$DIR/lns.pcap")" >&2; return 1; }
    [[ $(stat -c %a "$DIR/lns.pid") == 644 ]] || { echo "    pid file mode $(stat -c %a "$DIR/lns.pid")" >&2; return 1; }
}

test_config_directory_refuses_to_start() {
    mkdir -p "$DIR/conf.d"
    timeout 20 "$BIN" -f -u ${P_SPARE} -c "$DIR/conf.d" -P "$DIR/x.pid" --rpc-socket "$DIR/x.sock" \
        --ppp-event-socket "$DIR/x.event" >"$DIR/x.log" 2>&1
    local rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || { echo "    exit status $rc" >&2; cat "$DIR/x.log" >&2; return 1; }
    expect_in_log x "$DIR/conf.d: cannot read: is a directory, not a configuration file" || return 1
    [[ ! -e "$DIR/x.pid" ]] || { echo "    wrote a pid file" >&2; return 1; }
}

# With ppp_unix, pppd reports to the event socket: a daemon that cannot claim
# it refuses to start; without (ppp_null) it only warns.
test_ppp_event_socket_taken_refuses_to_start() {
    write_lns ""
    write_lac ""
    echo keep >"$DIR/victim"
    ln -s "$DIR/victim" "$DIR/planted.event"
    refused_start lac ${P_LAC} -P "$DIR/lac.pid" -p ppp_unix --ppp-event-socket "$DIR/planted.event" || return 1
    expect_in_log lac "pppd event socket $DIR/planted.event: a symbolic link is in the way" || return 1
    expect_in_log lac "look at it, remove it, and start again" || return 1
    [[ $(cat "$DIR/victim") == keep && -L "$DIR/planted.event" ]] || { echo "    planted link touched" >&2; return 1; }
    [[ ! -e "$DIR/lac.pid" ]] || { echo "    a refused start left its pid file" >&2; return 1; }
    # A live daemon holds the socket: a second one with ppp_unix refuses.
    start lns ${P_LNS} -p ppp_unix --ppp-event-socket "$DIR/shared.event" || return 1
    refused_start lac ${P_LAC} -P "$DIR/lac.pid" -p ppp_unix --ppp-event-socket "$DIR/shared.event" || return 1
    expect_in_log lac "pppd event socket $DIR/shared.event: another process is bound to it" || return 1
    expect_in_log lac "stop the other openl2tpd, or give each daemon its own /tmp" || return 1
    kill -0 "$PID_lns" && [[ -S "$DIR/shared.event" ]] || { echo "    the first daemon lost its socket" >&2; return 1; }
    # Its own stale socket (a daemon killed with -9) is replaced.
    stop lns KILL || return 1
    [[ -S "$DIR/shared.event" ]] || { echo "    no stale socket to replace" >&2; return 1; }
    start lns ${P_LNS} -p ppp_unix --ppp-event-socket "$DIR/shared.event" || return 1
    # Without ppp_unix nothing reports there: a warning, and the daemon runs.
    start lac ${P_LAC} -p ppp_null --ppp-event-socket "$DIR/planted.event" || return 1
    expect_in_log lac "a symbolic link is in the way; refusing to remove or follow it; PPP up/down from pppd will not be seen"
}

test_sigusr1_toggles_debug_and_per_tunnel_trace() {
    write_lns ""
    write_lac "tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac trace_flags=PROTOCOL" \
              "tunnel create tunnel_name=t2 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac config_id=2"
    start lns ${P_LNS} && start lac ${P_LAC} || return 1
    wait_for_log lac "\(t2\) up" 10 || return 1
    # Only t1 is traced: its SCCRQ, SCCRP and SCCCN appear, t2's do not.
    local t1 t2
    t1=$(grep -oE "tunnel [0-9]+ \(t1\) up" "$DIR/lac.log" | awk '{print $2}')
    t2=$(grep -oE "tunnel [0-9]+ \(t2\) up" "$DIR/lac.log" | awk '{print $2}')
    wait_for_log lac "\[PROTOCOL\] tunnel $t1 RX from 127.0.0.1:${P_LNS}: SCCRP" 2 || return 1
    ! grep -q "\[PROTOCOL\] tunnel $t2 " "$DIR/lac.log" || { echo "    untraced tunnel $t2 was traced" >&2; return 1; }
    kill -USR1 "$PID_lns"
    wait_for_log lns "debug on \(SIGUSR1\)" 5 || return 1
    kill -USR1 "$PID_lns"
    wait_for_log lns "debug off \(SIGUSR1\)" 5
}

# MARK: - Interop with xl2tpd (peers.md): pppd cannot run on this kernel,
# but tunnel and session are negotiated first; both sides must reach
# established and the capture must hold no malformed packet.

# start_xl2tpd NAME: runs xl2tpd with $DIR/NAME.xl.conf, logging to $DIR/NAME.log.
start_xl2tpd() {
    local name=$1
    printf 'noauth\nmtu 1400\nmru 1400\n' >"$DIR/options"
    xl2tpd -D -c "$DIR/$name.xl.conf" -C "$DIR/$name.ctl" -p "$DIR/$name.xlpid" >"$DIR/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "PID_$name=$pid"
    wait_for_log "$name" "Listening on IP address" 10
}

xl2tpd_global() {  # PORT
    cat <<CONF
[global]
port = $1
listen-addr = 127.0.0.1
access control = no
auth file = $DIR/l2tp-secrets
force userspace = yes
debug avp = yes
debug tunnel = yes
CONF
}

# interop_our_lac AUTH_LINES XL_OPTIONS: our LAC calls xl2tpd's LNS.
interop_our_lac() {
    command -v xl2tpd >/dev/null || { echo "    xl2tpd not installed" >&2; return 1; }
    printf 'xlns ourlac sharedsecret\nourlac xlns sharedsecret\n' >"$DIR/l2tp-secrets"
    { xl2tpd_global ${P_XLNS}; cat <<CONF
[lns default]
ip range = 10.99.0.10-10.99.0.20
local ip = 10.99.0.1
require authentication = no
length bit = yes
hostname = xlns
pppoptfile = $DIR/options
$2
CONF
    } >"$DIR/xlns.xl.conf"
    start_xl2tpd xlns || return 1
    echo "tunnel create tunnel_name=x dest_ipaddr=127.0.0.1 peer_udp_port=${P_XLNS} host_name=ourlac $1" >"$DIR/lac.conf"
    echo "session create tunnel_name=x session_name=s1 user_name=bert" >>"$DIR/lac.conf"
    start lac ${P_XOURS} || return 1
    wait_for_log lac "\(x\) up: peer 127.0.0.1:${P_XLNS} host 'xlns'" 10 || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 10 || return 1
    wait_for_log xlns "Connection established to 127.0.0.1" 5 || return 1
    wait_for_log xlns "Call established with 127.0.0.1" 5 || return 1
    ! grep -E "out of order|bad control packet|Maximum retries" "$DIR/xlns.log" >&2 || return 1
    expect_no_malformed_interop lac
}

# interop_our_lns OUR_PROFILE XL_OPTIONS: xl2tpd's LAC calls our LNS.
interop_our_lns() {
    command -v xl2tpd >/dev/null || { echo "    xl2tpd not installed" >&2; return 1; }
    printf 'xlac ourlns sharedsecret\nourlns xlac sharedsecret\n' >"$DIR/l2tp-secrets"
    echo "tunnel profile modify profile_name=default host_name=ourlns $1" >"$DIR/lns.conf"
    start lns ${P_XOURLNS} || return 1
    { xl2tpd_global ${P_XLAC}; cat <<CONF
[lac ours]
lns = 127.0.0.1:${P_XOURLNS}
hostname = xlac
length bit = yes
require authentication = no
pppoptfile = $DIR/options
$2
CONF
    } >"$DIR/xlac.xl.conf"
    start_xl2tpd xlac || return 1
    echo "c ours" >"$DIR/xlac.ctl"
    wait_for_log lns "tunnel [0-9]+ up: peer 127.0.0.1:${P_XLAC} host 'xlac'" 10 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 10 || return 1
    wait_for_log xlac "Connection established to 127.0.0.1, ${P_XOURLNS}" 5 || return 1
    wait_for_log xlac "Call established with 127.0.0.1" 5 || return 1
    ! grep -E "out of order|bad control packet|Maximum retries" "$DIR/xlac.log" >&2 || return 1
    expect_no_malformed_interop lns
}

expect_no_malformed_interop() {
    local n
    n=$(tshark -r "$DIR/$1.pcap" -d udp.port==${P_XLNS},l2tp -d udp.port==${P_XOURLNS},l2tp -d udp.port==${P_XLAC},l2tp \
        -d udp.port==${P_XOURS},l2tp -Y "_ws.malformed || _ws.expert.severity >= error" 2>/dev/null | wc -l)
    [[ $n -eq 0 ]] || { echo "    $n malformed packets in $1.pcap" >&2; return 1; }
}

expect_hidden_avps() {
    local n
    n=$(tshark -r "$DIR/$1.pcap" -d udp.port==${P_XLNS},l2tp -d udp.port==${P_XOURLNS},l2tp -d udp.port==${P_XLAC},l2tp \
        -d udp.port==${P_XOURS},l2tp -Y "l2tp.avp.hidden == 1" 2>/dev/null | wc -l)
    [[ $n -ge 1 ]] || { echo "    no hidden AVP on the wire in $1.pcap" >&2; return 1; }
}

test_xl2tpd_lns_plain() { interop_our_lac "" ""; }

test_xl2tpd_lns_challenge_hidden() {
    interop_our_lac "auth_mode=challenge secret=sharedsecret hide_avps=yes trace_flags=AVP_HIDE" $'challenge = yes\nhidden bit = yes' || return 1
    wait_for_log lac "\[AVP_HIDE\] tunnel [0-9]+ TX SCCCN AVP Challenge Response: hidden with the tunnel secret" 1 || return 1
    ! grep -q sharedsecret "$DIR/lac.log" || { echo "    the secret is in the log" >&2; return 1; }
    # xl2tpd read our hidden SCCCN Challenge Response (it logs it with debug avp).
    ! grep -E "Invalid Hidden AVP|Unable to handle hidden" "$DIR/xlns.log" >&2 || return 1
    wait_for_log xlns "chalresp_avp: Challenge reply found" 1 || return 1
    # Our SCCCN's Challenge Response is hidden, so tshark sees one in the clear (the SCCRP's).
    expect_hidden_avps lac && expect_avp lac 11 2 && expect_avp lac 13 1
}

test_xl2tpd_lac_plain() { interop_our_lns "" ""; }

# Challenge both ways (Challenge and Challenge Response AVPs in SCCRQ,
# SCCRP and SCCCN) with hidden AVPs from our LNS: SCCRP goes in the clear
# (xl2tpd looks its secret up only after reading the whole SCCRP; see
# docs/control-channel.md, "Hidden AVPs"), ICRP onwards is hidden and
# xl2tpd must unhide it. xl2tpd itself hides nothing (its "hidden bit" only
# adds Random Vectors).
test_xl2tpd_lac_challenge_hidden() {
    interop_our_lns "auth_mode=challenge secret=sharedsecret hide_avps=yes" $'challenge = yes\nhidden bit = yes' || return 1
    ! grep -E "Invalid Hidden AVP|Unable to handle hidden" "$DIR/xlac.log" >&2 || return 1
    # ...and read our hidden ICRP's Assigned Session ID.
    wait_for_log xlac "assigned_call_avp: using peer's call" 1 || return 1
    expect_avp lns 11 2 && expect_avp lns 13 2 && expect_hidden_avps lns
}

expect_avp() {  # NAME AVP_TYPE MIN_COUNT: AVPs of a type on the wire
    local n
    n=$(tshark -r "$DIR/$1.pcap" -d udp.port==${P_XLNS},l2tp -d udp.port==${P_XOURLNS},l2tp -d udp.port==${P_XLAC},l2tp \
        -d udp.port==${P_XOURS},l2tp -Y "l2tp.avp.type == $2" 2>/dev/null | wc -l)
    [[ $n -ge $3 ]] || { echo "    expected $3 messages with AVP type $2 in $1.pcap, found $n" >&2; return 1; }
}

# MARK: - Runner

run_tests "$@"
