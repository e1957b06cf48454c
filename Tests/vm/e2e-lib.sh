# Helpers for Tests/vm/e2e.sh (sourced; bash). Needs BIN (the build's bin dir).
# Hosts are network namespaces "lac" and "lns"; every daemon runs in its
# namespace with a private /tmp (so each has its own pppd event socket
# /tmp/openl2tp-event.sock, as on two real hosts). Work files live under ROOT.

ROOT=${E2E_ROOT:-/run/e2e}
W=$ROOT
PASSED=0
FAILED=0
FAILED_NAMES=()

# MARK: - checks

# check DESCRIPTION COMMAND [ARGS...]: runs the command, prints PASS/FAIL.
check() {
    local what=$1
    shift
    if "$@" >"$ROOT/.check.out" 2>&1; then
        echo "PASS $what"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $what"
        sed 's/^/    | /' "$ROOT/.check.out" | tail -20
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$what")
        dump_logs
    fi
}

# known_bug ISSUE DESCRIPTION COMMAND...: a check that fails because of an
# open, reported bug. It runs like any check and prints PASS when the bug is
# fixed; a failure prints "KNOWN-BUG (ISSUE)" and is counted apart, so the
# suite stays usable for CI until the owner fixes it (docs/e2e.md lists them).
KNOWN=0
known_bug() {
    local issue=$1 what=$2
    shift 2
    if "$@" >"$ROOT/.check.out" 2>&1; then
        echo "PASS $what"
        PASSED=$((PASSED + 1))
    else
        echo "KNOWN-BUG ($issue) $what"
        sed 's/^/    | /' "$ROOT/.check.out" | tail -5
        KNOWN=$((KNOWN + 1))
    fi
}

# Logs of the current test, once per test (the first failure shows them).
dump_logs() {
    [ -f "$W/.dumped" ] && return
    : >"$W/.dumped"
    local f
    for f in "$W"/*.log; do
        [ -f "$f" ] || continue
        echo "    == $f (last 40 lines)"
        tail -40 "$f" | sed 's/^/    | /'
    done
    for ns in lac lns; do
        echo "    == $ns: ip l2tp show tunnel/session, ip addr, pppd"
        { ip -n $ns l2tp show tunnel; ip -n $ns l2tp show session; ip -n $ns -4 addr; pppd_pids $ns; } 2>&1 | sed 's/^/    | /'
    done
}

finish() {
    # scripts/kernel-vm copies $KERNEL_VM_OUT out of the VM: keep the logs.
    [ -n "${KERNEL_VM_OUT:-}" ] && cp -r "$ROOT" "$KERNEL_VM_OUT/" 2>/dev/null
    ((KNOWN)) && echo "$KNOWN known bugs (KNOWN-BUG lines above; not counted as failures)"
    echo "$PASSED passed, $FAILED failed"
    local n
    for n in "${FAILED_NAMES[@]}"; do echo "  failed: $n"; done
    ((FAILED == 0))
}

# wait_for FILE REGEX SECONDS [COUNT]: the file has COUNT lines matching.
wait_for() {
    local deadline=$((SECONDS + $3)) n
    while ((SECONDS < deadline)); do
        n=$(grep -cE "$2" "$1" 2>/dev/null)
        ((${n:-0} >= ${4:-1})) && return 0
        sleep 0.2
    done
    echo "$1: $(grep -cE "$2" "$1" 2>/dev/null) lines match '$2' after $3 s, wanted ${4:-1}"
    return 1
}

# wait_until SECONDS COMMAND [ARGS...]: polls until the command succeeds.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while ((SECONDS < deadline)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.3
    done
    "$@"
}

# MARK: - hosts

setup_hosts() {
    mkdir -p "$ROOT"
    ip link set lo up 2>/dev/null
    ip netns add lac
    ip netns add lns
    ip link add veth-lac netns lac type veth peer name veth-lns netns lns
    ip -n lac addr add "$LAC_ADDR/24" dev veth-lac
    ip -n lns addr add "$LNS_ADDR/24" dev veth-lns
    local ns
    for ns in lac lns; do ip -n $ns link set lo up; done
    ip -n lac link set veth-lac up
    ip -n lns link set veth-lns up
}

# Between tests: nothing of the last test may survive into the next.
reset_hosts() {
    local ns pid
    for ns in lac lns; do
        for pid in $(ip netns pids $ns); do kill -9 "$pid" 2>/dev/null; done
    done
    sleep 0.3
    for ns in lac lns; do
        ip -n $ns l2tp show tunnel 2>/dev/null | awk '/^Tunnel/ {sub(",", "", $2); print $2}' |
            while read -r tid; do ip -n $ns l2tp del tunnel tunnel_id "$tid"; done
    done
}

# MARK: - daemons

# in_private_tmp NS COMMAND... &: runs COMMAND in namespace NS with a /tmp of its
# own: pppd's openl2tp.so reports to the fixed /tmp/openl2tp-event.sock, so two
# daemons on one machine need two /tmp, as two hosts have. The machine's /tmp
# stays reachable at /run/e2e-host-tmp, and arguments under /tmp (a build tree
# in a clone under /tmp, say) are rewritten to point there.
# With E2E_PAP_SECRETS=FILE in the environment, FILE is bind-mounted over
# /etc/ppp/pap-secrets in that mount namespace only (the VM's /etc is the
# host's, read-only): the pppd this daemon starts authenticate against it.
in_private_tmp() {
    local ns=$1 arg
    shift
    local args=()
    for arg in "$@"; do
        case "$arg" in /tmp/*) arg="/run/e2e-host-tmp/${arg#/tmp/}" ;; esac
        args+=("$arg")
    done
    mkdir -p /run/e2e-host-tmp
    # exec: called in the background (`in_private_tmp ... &`), so that $! is
    # the daemon's own pid (ip netns exec and sh exec too).
    exec ip netns exec "$ns" env E2E_PAP_SECRETS="${E2E_PAP_SECRETS:-}" sh -c '
        mount --rbind /tmp /run/e2e-host-tmp && mount -t tmpfs e2e-tmp /tmp && mkdir -p /run/xl2tpd &&
        { [ -z "$E2E_PAP_SECRETS" ] || mount --bind "$E2E_PAP_SECRETS" /etc/ppp/pap-secrets; } &&
        unset E2E_PAP_SECRETS && exec "$@"' sh "${args[@]}"
}

# start_openl2tpd NS NAME [ARGS...]: openl2tpd in namespace NS with config
# $W/NAME.conf, log $W/NAME.log, RPC socket $W/NAME.sock, the ppp_unix plugin.
start_openl2tpd() {
    local ns=$1 name=$2
    shift 2
    in_private_tmp "$ns" \
        "$BIN/openl2tpd" -f -c "$W/$name.conf" -P "$W/$name.pid" --rpc-socket "$W/$name.sock" \
        -p "$BIN/libppp_unix.so${PPP_UNIX_ARGS:+:$PPP_UNIX_ARGS}" "$@" >"$W/$name.log" 2>&1 &
    echo $! >"$W/$name.daemon"
    echo "$ns $name openl2tpd" >>"$W/.daemons"
    if ! wait_for "$W/$name.log" "started on UDP port" 20 >/dev/null; then
        check "$name: openl2tpd started in $ns" false
        return 1
    fi
    if ! grep -q "kernel L2TP datapath available" "$W/$name.log"; then
        check "$name: kernel L2TP datapath available" false
        return 1
    fi
}

# start_xl2tpd NS NAME: xl2tpd in the foreground with $W/NAME.conf.
start_xl2tpd() {
    local ns=$1 name=$2
    in_private_tmp "$ns" \
        xl2tpd -D -c "$W/$name.conf" -C "$W/$name.ctl" -p "$W/$name.pid" >"$W/$name.log" 2>&1 &
    echo $! >"$W/$name.daemon"
    echo "$ns $name xl2tpd" >>"$W/.daemons"
    if ! wait_for "$W/$name.log" "xl2tpd version|Listening on" 10 >/dev/null; then
        check "$name: xl2tpd started in $ns" false
        return 1
    fi
}

stop_daemon() {  # NAME: SIGTERM, wait up to 10 s, then SIGKILL
    local pid
    pid=$(cat "$W/$1.daemon" 2>/dev/null) || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$W/$1.daemon"
}

# stop_daemon_timed NAME: SIGTERM, then waits (up to stop_daemon's 10 s, then
# SIGKILL) and sets STOP_MS to the milliseconds from SIGTERM until the process
# was gone (a SIGKILLed daemon counts as 10 s or more).
STOP_MS=0
stop_daemon_timed() {
    local pid start
    pid=$(cat "$W/$1.daemon" 2>/dev/null) || return 1
    start=$(date +%s%N)
    kill -TERM "$pid" 2>/dev/null || return 1
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
    STOP_MS=$((($(date +%s%N) - start) / 1000000))
    kill -0 "$pid" 2>/dev/null && echo "    $1: still running 20 s after SIGTERM: SIGKILL"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$W/$1.daemon"
    sed -i "/ $1 /d" "$W/.daemons"
    echo "    $1: SIGTERM to exit: $STOP_MS ms"
}

stop_all() {
    [ -f "$W/.daemons" ] || return 0
    local ns name kind
    while read -r ns name kind; do stop_daemon "$name"; done <"$W/.daemons"
    rm -f "$W/.daemons"
}

l2tpconfig_at() {  # NAME COMMAND...: l2tpconfig against daemon NAME's RPC socket
    local name=$1
    shift
    "$BIN/l2tpconfig" -S "$W/$name.sock" "$@"
}

# MARK: - kernel and pppd state

kernel_count() {  # NS tunnel|session N: ip l2tp show lists exactly N
    local got
    got=$(ip -n "$1" l2tp show "$2" | grep -ci "^$2 ")
    [ "$got" = "$3" ] || { ip -n "$1" l2tp show "$2" | tail -8; echo "$1: ip l2tp show $2 lists $got, expected $3"; return 1; }
}

# kernel_data_sessions NS N: N kernel sessions with a non-zero id (xl2tpd keeps
# a session 0 per tunnel for its own use).
kernel_data_sessions() {
    local got
    got=$(ip -n "$1" l2tp show session | grep -c "^Session [1-9]")
    [ "$got" = "$2" ] || { ip -n "$1" l2tp show session | tail -8; echo "$1: $got sessions with an id, expected $2"; return 1; }
}

# Some kernel session of NS counted received data packets (iproute2 prints the
# statistics with -s).
kernel_session_rx_nonzero() {
    local out
    out=$(ip -s -n "$1" l2tp show session)
    echo "$out"
    grep -qE "RX packets:? *[1-9]|rx_packets *[1-9]" <<<"$out" && return 0
    # Older iproute2 prints no statistics: use the PPP interface's counters.
    ip -s -n "$1" link show ppp0 | awk 'f {exit !($2 > 0)} /RX:/ {f=1}'
}

pppd_pids() {  # NS: pids of pppd processes in the namespace
    local pid
    for pid in $(ip netns pids "$1" 2>/dev/null); do
        [ "$(cat /proc/$pid/comm 2>/dev/null)" = pppd ] && echo "$pid"
    done
}
pppd_count() { pppd_pids "$1" | wc -l; }
pppd_gone() { [ "$(pppd_count "$1")" = 0 ] || { echo "pppd left in $1: $(pppd_pids "$1" | tr '\n' ' ')"; return 1; }; }

# wait_ppp_addr NS LOCAL PEER SECONDS: some ppp interface has LOCAL peer PEER.
wait_ppp_addr() {
    wait_until "$4" eval "ip -n $1 -4 addr show | grep -q 'inet $2 peer $3/32'"
}

ppp_peer_count() {  # NS N: exactly N ppp interfaces with an IPv4 peer address
    local got
    got=$(ip -n "$1" -4 -o addr show | grep -c " ppp[0-9]* .* peer ")
    [ "$got" = "$2" ] || { echo "$1: $got ppp interfaces with addresses, expected $2"; return 1; }
}

pppd_args() {  # NS: the command line of each pppd in the namespace, one a line
    local pid
    for pid in $(pppd_pids "$1"); do
        tr '\0' ' ' </proc/"$pid"/cmdline
        echo
    done
}
