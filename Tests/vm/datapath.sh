#!/bin/sh
# Runs inside scripts/kernel-vm: KernelDataPlane against the real kernel datapath.
# Usage (host): scripts/kernel-vm Tests/vm/datapath.sh [CHECK_BINARY] [--no-ppp]
# CHECK_BINARY defaults to .build/debug/l2tp-datapath-check (build it first).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
check=${1:-$repo/.build/debug/l2tp-datapath-check}
ppp=--ppp
[ "${2:-}" = "--no-ppp" ] && ppp=
[ -x "$check" ] || { echo "datapath: FAIL: $check not built (swift build --product l2tp-datapath-check)"; exit 1; }
fail() { echo "datapath: FAIL: $*"; exit 1; }

"$check" probe || fail "probe says the datapath is unavailable inside the VM"

# Two hosts joined by a veth pair.
ip netns add dp-lac
ip netns add dp-lns
ip link add veth-lac netns dp-lac type veth peer name veth-lns netns dp-lns
ip -n dp-lac addr add 10.88.0.1/24 dev veth-lac
ip -n dp-lns addr add 10.88.0.2/24 dev veth-lns
for ns in dp-lac dp-lns; do ip -n $ns link set lo up; done
ip -n dp-lac link set veth-lac up
ip -n dp-lns link set veth-lns up

"$check" scenario $ppp

# A daemon killed with -9 takes its tunnels along, because they live as long as
# their UDP socket...
"$check" make-orphan dp-lac 1702 300 > /tmp/orphan.out &
pid=$!
for i in $(seq 50); do grep -q ready /tmp/orphan.out 2>/dev/null && break; sleep 0.2; done
ip -n dp-lac l2tp show tunnel | grep -q "Tunnel 300," || fail "tunnel 300 was not created"
kill -9 $pid; wait $pid 2>/dev/null || true
sleep 0.5
ip -n dp-lac l2tp show tunnel | grep -q "Tunnel 300," && fail "tunnel 300 survived its socket"
echo "check: ok: a tunnel dies with its UDP socket when the daemon is killed with -9"

# ...unless a child inherited the socket: then the next run's cleanup removes it,
# and leaves tunnels on other ports (another daemon's) alone.
"$check" make-orphan dp-lac 1701 301 --leak > /tmp/orphan.out &
pid=$!
"$check" make-orphan dp-lac 1799 302 --leak > /tmp/other.out &
other=$!
for i in $(seq 50); do grep -q ready /tmp/orphan.out 2>/dev/null && grep -q ready /tmp/other.out 2>/dev/null && break; sleep 0.2; done
kill -9 $pid $other; wait $pid 2>/dev/null || true; wait $other 2>/dev/null || true
sleep 0.5
ip -n dp-lac l2tp show tunnel | grep -q "Tunnel 301," || fail "tunnel 301 should outlive the killed process (socket leaked to a child)"
out=$("$check" clean-orphans dp-lac 1701)
[ "$out" = "removed 301" ] || fail "clean-orphans printed '$out', expected 'removed 301'"
ip -n dp-lac l2tp show tunnel | grep -q "Tunnel 301," && fail "tunnel 301 still there after cleanup"
ip -n dp-lac l2tp show tunnel | grep -q "Tunnel 302," || fail "cleanup removed tunnel 302 on another port"
echo "check: ok: orphan cleanup removed tunnel 301 on our port, kept 302 on port 1799"
kill -9 $(awk '{print $2}' /tmp/orphan.out /tmp/other.out) 2>/dev/null || true   # the leaked children

echo "datapath: all passed"
