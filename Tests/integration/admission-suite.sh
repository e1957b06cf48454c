#!/usr/bin/env bash
# Admission under bursts and floods (docs/reliability.md): openl2tpd against
# a second openl2tpd or against l2tp-loadgen, on loopback. Session limits
# must hold however the calls arrive (eight at once, 2,000 pipelined ICRQs),
# simple tunnel authentication must admit only the listed networks, and an
# SCCRQ flood from thousands of addresses must leave the daemon serving with
# bounded descriptors, memory and log. Prints one line per test, figures
# as "figures:" lines, and "N passed, M failed".
#
# Usage: Tests/integration/admission-suite.sh [TEST...]   (default: all)
# Env:   OPENL2TPD=path/to/openl2tpd (default: the debug build; l2tpconfig and
#        l2tp-loadgen are taken from the same folder)
#        L2TP_TEST_PORT_BASE=N: UDP ports N+1..N+4 (default 19000)
#        FLOOD_RATE, FLOOD_SECONDS, FLOOD_SOURCES: the flood (300/s, 20 s, 5000)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${OPENL2TPD:-$(swift build --show-bin-path 2>/dev/null)/openl2tpd}
BINDIR=$(dirname "$BIN")
LOADGEN=$BINDIR/l2tp-loadgen
L2TPCONFIG=$BINDIR/l2tpconfig
for tool in "$BIN" "$LOADGEN" "$L2TPCONFIG"; do
    [[ -x "$tool" ]] || { echo "$tool not built; run swift build first"; exit 2; }
done
WORK=$(mktemp -d /tmp/fl-admission.XXXXXX)
BASE=${L2TP_TEST_PORT_BASE:-19000}
P_LAC=$((BASE + 1)) P_LNS=$((BASE + 2))
FLOOD_RATE=${FLOOD_RATE:-300} FLOOD_SECONDS=${FLOOD_SECONDS:-20} FLOOD_SOURCES=${FLOOD_SOURCES:-5000}
# shellcheck source=lib.sh
. Tests/integration/lib.sh

trap remove_work EXIT

# start NAME PORT [options...]: openl2tpd with $DIR/NAME.conf in the
# foreground, log $DIR/NAME.log, management on $DIR/NAME.sock only.
# START_ULIMIT_N=N starts it under `ulimit -n N` (soft and hard: the daemon
# raises its soft limit to the hard one at start).
start() {
    local name=$1 port=$2 limit=(); shift 2
    [[ -n "${START_ULIMIT_N:-}" ]] && limit=(bash -c 'ulimit -n "$1"; shift; exec "$@"' sh "$START_ULIMIT_N")
    "${limit[@]}" "$BIN" -f -u "$port" -c "$DIR/$name.conf" -P "$DIR/$name.pid" --rpc-socket "$DIR/$name.sock" --no-rpc-tcp \
        --ppp-event-socket "$DIR/$name.event" \
        "$@" >"$DIR/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "PID_$name=$pid"
    wait_for_log "$name" "started on UDP port" 10 || return 1
}

# loadgen NAME ARGS...: l2tp-loadgen in the background, output in $DIR/NAME.out.
loadgen() {
    local name=$1; shift
    "$LOADGEN" "$@" >"$DIR/$name.out" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    eval "PID_$name=$pid"
}

# finish NAME: waits for a loadgen run; its exit status.
finish() {
    local var="PID_$1"
    wait "${!var}"
}

# field NAME KEY: a key=value field of the loadgen's summary line.
field() {
    grep -m1 '^summary ' "$DIR/$1.out" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

expect_field() {  # NAME KEY VALUE
    local got; got=$(field "$1" "$2")
    [[ "$got" == "$3" ]] || { echo "    $1: $2=${got:-<none>}, expected $3" >&2; sed 's/^/      /' "$DIR/$1.out" >&2; return 1; }
}

ups() {  # NAME: "session ... up" lines in the daemon's log
    grep -cE "session [0-9]+ in tunnel [0-9]+ up" "$DIR/$1.log"
}

# status_sessions NAME: the session count `system show status` reports.
status_sessions() {
    "$L2TPCONFIG" -S "$DIR/$1.sock" system show status 2>&1 | sed -n 's/.*sessions: \([0-9]*\).*/\1/p' | head -1
}

expect_sessions() {  # NAME N: exactly N sessions up in the log and held now
    local logged held
    logged=$(ups "$1") held=$(status_sessions "$1")
    [[ "$logged" == "$2" && "$held" == "$2" ]] ||
        { echo "    $1: $logged sessions came up (log), $held held (system show status); expected $2" >&2; return 1; }
}

# refusal_logged NAME WHAT RESULTS: a log line refusing for WHAT with one of
# the result codes RESULTS (a regex alternative, e.g. "4|5").
refusal_logged() {
    grep -iE "refus" "$DIR/$1.log" | grep -E "$2" | grep -qE "(result|CDN|StopCCN)[^0-9]*($3)\b" ||
        { echo "    $1: no refusal naming /$2/ with result $3 in the log:" >&2; tail -20 "$DIR/$1.log" | sed 's/^/      /' >&2; return 1; }
}

write_conf() {  # NAME LINES...
    local name=$1; shift
    printf '%s\n' "$@" >"$DIR/$name.conf"
}

lac_with_sessions() {  # N [EXTRA_LINES...]: one tunnel to the LNS creating N sessions at once
    local n=$1 i lines=(); shift
    lines+=("$@")
    lines+=("tunnel create tunnel_name=t1 dest_ipaddr=127.0.0.1 peer_udp_port=${P_LNS} host_name=lac")
    for ((i = 1; i <= n; i++)); do lines+=("session create tunnel_name=t1 session_name=s$i"); done
    write_conf lac "${lines[@]}"
}

# MARK: - Session limits with calls that arrive together

test_system_max_sessions_holds_for_eight_at_once() {
    write_conf lns "system modify max_sessions=5"
    lac_with_sessions 8
    start lns ${P_LNS} --pcap "$DIR/lns.pcap" && start lac ${P_LAC} || return 1
    wait_for_log lac "\(t1\) up" 10 || return 1
    wait_for_log lns "session [0-9]+ in tunnel [0-9]+ up" 20 5 || return 1
    sleep 3  # any sixth session would be up by now
    expect_sessions lns 5 || return 1
    expect_sessions lac 5 || return 1
    refusal_logged lns "max_sessions" "4|5" || return 1
    local cdns
    cdns=$(tshark -r "$DIR/lns.pcap" -d udp.port==${P_LNS},l2tp -d udp.port==${P_LAC},l2tp \
        -Y "l2tp.avp.message_type == 14 && (l2tp.result_code == 4 || l2tp.result_code == 5)" 2>/dev/null | wc -l)
    ((cdns >= 3)) || { echo "    $cdns CDNs with result 4 or 5 on the wire, expected 3" >&2; return 1; }
}

test_lac_own_max_sessions_refuses_the_rest() {
    write_conf lns ""
    # A config file that asks for more sessions than its own max_sessions is
    # an error in the file, like any refused line: the LAC does not start,
    # and says which line and which limit (session create requests queued
    # for a tunnel not yet up count against the limit).
    lac_with_sessions 8 "system modify max_sessions=5"
    start lns ${P_LNS} || return 1
    start lac ${P_LAC}
    wait_for_log lac "openl2tpd not started" 10 || return 1
    sleep 1
    kill -0 "$PID_lac" 2>/dev/null && { echo "    lac still runs with 8 sessions over its max_sessions=5" >&2; return 1; }
    grep -qE "lac\.conf:8:1: session create refused: max_sessions limit \(5\) reached" "$DIR/lac.log" ||
        { echo "    lac: no FILE:LINE error naming max_sessions:" >&2; sed 's/^/      /' "$DIR/lac.log" >&2; return 1; }
    # With five in the file it runs; a sixth asked for at run time is refused
    # with the same reason and nothing more comes up.
    lac_with_sessions 5 "system modify max_sessions=5"
    start lac ${P_LAC} || return 1
    wait_for_log lac "session [0-9]+ in tunnel [0-9]+ up" 20 5 || return 1
    local out
    out=$("$L2TPCONFIG" -S "$DIR/lac.sock" session create tunnel_name=t1 session_name=s6 2>&1) &&
        { echo "    lac: a sixth session create was accepted: $out" >&2; return 1; }
    [[ "$out" == *"max_sessions limit (5) reached"* ]] ||
        { echo "    lac: the refusal does not name max_sessions: $out" >&2; return 1; }
    sleep 2
    expect_sessions lac 5 || return 1
    expect_sessions lns 5 || return 1
}

# pipelined LNS_LINE N: 2,000 ICRQs sent before any ICCN against an LNS
# configured with LNS_LINE; exactly N come up, the rest get CDNs.
pipelined() {
    write_conf lns "$1"
    start lns ${P_LNS} || return 1
    loadgen lg sessions 127.0.0.1:${P_LNS} --sessions 2000 --pipeline --hold 3 --timeout 120
    wait_for_file "$DIR/lg.out" "^settled|^not settled" 130 || return 1
    local held; held=$(status_sessions lns)
    finish lg; local rc=$?
    echo "    figures: $(grep '^summary' "$DIR/lg.out")"
    [[ "$held" == "$2" ]] || { echo "    lns holds $held sessions while the loadgen holds its calls, expected $2" >&2; return 1; }
    expect_field lg sessions_established "$2" || return 1
    expect_field lg sessions_refused $((2000 - $2)) || return 1
    [[ "$(field lg cdn_results)" =~ ^([45]:[0-9]+,?)+$ ]] ||
        { echo "    CDN results $(field lg cdn_results), expected only 4 and 5" >&2; return 1; }
    expect_field lg protocol_errors 0 || return 1
    ((rc == 0)) || { echo "    loadgen exit status $rc" >&2; return 1; }
    [[ $(ups lns) == "$2" ]] || { echo "    lns log: $(ups lns) sessions came up, expected $2" >&2; return 1; }
}

test_pipelined_icrqs_against_system_max_sessions() {
    pipelined "system modify max_sessions=5" 5
}

test_pipelined_icrqs_against_tunnel_profile_max_sessions() {
    pipelined "tunnel profile modify profile_name=default max_sessions=3" 3
}

# MARK: - Simple tunnel authentication: only the networks of peer profiles

test_auth_simple_admits_only_listed_networks() {
    write_conf lns "tunnel profile modify profile_name=default auth_mode=simple" \
        "peer profile create profile_name=net1 peer_ipaddr=127.1.0.0 netmask=255.255.0.0" \
        "peer profile create profile_name=net2 peer_ipaddr=127.2.0.0 netmask=/16"
    start lns ${P_LNS} --pcap "$DIR/lns.pcap" || return 1
    local source name
    for source in 127.1.0.5 127.2.3.4; do
        name=net${source:4:1}
        loadgen "$name" sessions 127.0.0.1:${P_LNS} --source "$source" --sessions 1 --timeout 20
        finish "$name"
        expect_field "$name" tunnels_up 1 || return 1
        expect_field "$name" sessions_established 1 || return 1
    done
    loadgen outsider sessions 127.0.0.1:${P_LNS} --source 127.3.0.5 --sessions 0 --timeout 20
    finish outsider
    expect_field outsider tunnels_up 0 || return 1
    expect_field outsider stopccn_results 4:1 || return 1
    refusal_logged lns "127\.3\.0\.5" 4 || return 1
}

# MARK: - SCCRQ flood

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }

# While FLOOD_RATE SCCRQs a second come from FLOOD_SOURCES addresses for
# FLOOD_SECONDS, never completing, a daemon started under `ulimit -n 256`
# with max_tunnels=50 still admits a legitimate tunnel and its session,
# answers l2tpconfig, keeps its descriptors well below 256, gives back its
# memory and logs summaries rather than a line per SCCRQ.
test_sccrq_flood_leaves_the_daemon_serving() {
    write_conf lns "system modify max_tunnels=50"
    START_ULIMIT_N=256 start lns ${P_LNS} || return 1
    local pid=$PID_lns
    [[ "$(awk '/^Max open files/ {print $5}' "/proc/$pid/limits")" == 256 ]] ||
        { echo "    the daemon's hard descriptor limit is not 256:" >&2; grep "open files" "/proc/$pid/limits" >&2; return 1; }
    sleep 1
    local rss0 fd0 lines0 cpu0 t0
    rss0=$(rss_kb "$pid") fd0=$(fd_count "$pid") lines0=$(wc -l <"$DIR/lns.log") cpu0=$(cpu_ticks "$pid")
    t0=$SECONDS
    loadgen flood sccrq-flood 127.0.0.1:${P_LNS} --rate "$FLOOD_RATE" --duration "$FLOOD_SECONDS" \
        --sources 127.100.0.0/16 --source-count "$FLOOD_SOURCES"
    wait_for_file "$DIR/flood.out" "^flood:" 10 || return 1
    sleep 3
    # A legitimate LAC during the flood (its SCCRQ is retransmitted if lost).
    loadgen legit sessions 127.0.0.1:${P_LNS} --source 127.0.0.1 --sessions 1 --hold 2 \
        --timeout $((FLOOD_SECONDS > 11 ? FLOOD_SECONDS - 6 : 5))
    local peak_rss=$rss0 peak_fd=$fd0 slowest=0 unanswered=0 r f started ms
    local flood_var=PID_flood
    while kill -0 "${!flood_var}" 2>/dev/null; do
        r=$(rss_kb "$pid") f=$(fd_count "$pid")
        [[ -n "$r" ]] || break
        ((r > peak_rss)) && peak_rss=$r
        ((f > peak_fd)) && peak_fd=$f
        started=$(date +%s%N)
        if timeout 5 "$L2TPCONFIG" -S "$DIR/lns.sock" system show status >/dev/null 2>&1; then
            ms=$((($(date +%s%N) - started) / 1000000))
            ((ms > slowest)) && slowest=$ms
        else
            unanswered=$((unanswered + 1))
        fi
        sleep 1
    done
    finish flood
    finish legit; local legit_rc=$?
    local flood_s=$((SECONDS - t0)) cpu1 lines1
    cpu1=$(cpu_ticks "$pid")
    # Half-open tunnels must go (RFC 2661 5.7 full retransmission cycle: 31 s by default).
    local rss_after=$peak_rss fd_after=$peak_fd
    for _ in $(seq 1 40); do
        rss_after=$(rss_kb "$pid") fd_after=$(fd_count "$pid")
        ((rss_after <= rss0 + 10240 && fd_after <= fd0 + 5)) && break
        sleep 1
    done
    # Counted once the backlog is worked off: what the flood cost in log lines.
    lines1=$(wc -l <"$DIR/lns.log")
    local cpu_pct=$(((cpu1 - cpu0) * 100 / $(getconf CLK_TCK) / (flood_s > 0 ? flood_s : 1)))
    echo "    figures: $(grep '^flood sent' "$DIR/flood.out")"
    echo "    figures: RSS ${rss0} kB before, ${peak_rss} kB peak, ${rss_after} kB after; descriptors ${fd0} before, ${peak_fd} peak, ${fd_after} after (ulimit -n 256); l2tpconfig slowest ${slowest} ms, ${unanswered} unanswered; log +$((lines1 - lines0)) lines; CPU ${cpu_pct}% over ${flood_s} s"
    echo "    figures: legit $(grep '^summary' "$DIR/legit.out")"
    kill -0 "$pid" 2>/dev/null || { echo "    the daemon died" >&2; return 1; }
    local bad=0
    { ((legit_rc == 0)) && [[ "$(field legit sessions_established)" == 1 ]]; } ||
        { echo "    the legitimate tunnel/session did not come up during the flood (exit $legit_rc):" >&2
          sed 's/^/      /' "$DIR/legit.out" >&2; bad=1; }
    ((unanswered == 0 && slowest <= 3000)) ||
        { echo "    l2tpconfig: $unanswered calls unanswered in 5 s, slowest ${slowest} ms (limit 3000)" >&2; bad=1; }
    ((peak_fd < 128)) || { echo "    $peak_fd descriptors at the peak, limit 128 (half the ulimit)" >&2; bad=1; }
    ((rss_after <= rss0 + 10240)) ||
        { echo "    RSS ${rss_after} kB 40 s after the flood, baseline ${rss0} kB (+10 MB allowed)" >&2; bad=1; }
    ((lines1 - lines0 <= 200)) ||
        { echo "    $((lines1 - lines0)) log lines for the flood (limit 200: summaries, not a line per SCCRQ)" >&2
          sed -n "$((lines0 + 1)),$((lines0 + 4))p" "$DIR/lns.log" | sed 's/^/      /' >&2; bad=1; }
    ((bad == 0))
}

# MARK: - Runner

run_tests "$@"
