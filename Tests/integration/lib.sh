# Shared by the process-level suites (daemon-suite.sh, plugin-suite.sh): waiting
# on logs, stopping daemons, and the runner that prints one PASS/FAIL line per
# test and "N passed, M failed". Sourced; the suite sets WORK and defines its
# test_* functions, and may define after_test (run after each test, for
# leftovers the test's subshell could not clean up).

PASSED=0
FAILED=0
FAILURES=()
PIDS=()

# remove_work: the EXIT trap of a suite: kills what its tests left running
# and removes $WORK unless a test failed (its logs are kept to read).
remove_work() {
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    wait 2>/dev/null
    [[ $FAILED -eq 0 ]] && rm -rf "$WORK"
}

# wait_for_file FILE REGEX SECONDS [COUNT]: until REGEX matches COUNT lines.
wait_for_file() {
    local file=$1 regex=$2 limit=$3 count=${4:-1}
    local deadline=$((SECONDS + limit))
    while ((SECONDS < deadline)); do
        local n
        n=$(grep -cE "$regex" "$file" 2>/dev/null)
        (( ${n:-0} >= count )) && return 0
        sleep 0.1
    done
    echo "    timed out waiting for /$regex/ (x$count) in $file:" >&2
    sed 's/^/      /' "$file" >&2
    return 1
}

# wait_for_log NAME REGEX SECONDS [COUNT]: the same on $DIR/NAME.log.
wait_for_log() {
    wait_for_file "$DIR/$1.log" "$2" "$3" "${4:-1}"
}

# stop NAME [SIGNAL]: signals the daemon started as NAME (its pid in
# $PID_NAME) and waits up to 10 s for it to exit.
stop() {
    local var="PID_$1"
    kill "-${2:-TERM}" "${!var}" 2>/dev/null
    for _ in $(seq 1 100); do
        kill -0 "${!var}" 2>/dev/null || { wait "${!var}" 2>/dev/null; return 0; }
        sleep 0.1
    done
    return 1
}

# run_tests [TEST...]: the named tests (with or without test_), else all
# test_* functions, each in a subshell with its own $DIR under $WORK.
run_tests() {
    local all selected t
    all=$(declare -F | awk '{print $3}' | grep '^test_')
    selected=${*:-$all}
    for t in $selected; do
        t=${t#test_}; t=test_$t
        DIR="$WORK/${t#test_}"
        mkdir -p "$DIR"
        PIDS=()
        if ( set +e; $t ) 2>"$DIR/failure.txt"; then
            PASSED=$((PASSED + 1)); echo "PASS ${t#test_}"
            grep -q SKIPPED "$DIR/failure.txt" && sed 's/^/  /' "$DIR/failure.txt"
        else
            FAILED=$((FAILED + 1)); FAILURES+=("${t#test_}"); echo "FAIL ${t#test_}"
            sed 's/^/  /' "$DIR/failure.txt"
        fi
        # The test ran in a subshell: its PIDS are not visible here; pid files are.
        local left=() f pid
        for f in "$DIR"/*.pid "$DIR"/*.xlpid; do [[ -e "$f" ]] && left+=("$(cat "$f")"); done
        for pid in "${left[@]}"; do kill -KILL "$pid" 2>/dev/null; done
        # Ports and port locks are free only once the processes are gone.
        for pid in "${left[@]}"; do
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        done
        declare -F after_test >/dev/null && after_test
    done
    echo "$PASSED passed, $FAILED failed"
    [[ $FAILED -eq 0 ]]
}
