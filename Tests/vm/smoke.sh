#!/bin/sh
# Runs inside scripts/kernel-vm: proves the guest has what the kernel datapath tests
# need (generic netlink family l2tp, /dev/ppp, PPPoL2TP sockets, netns + veth).
set -eu
fail() { echo "smoke: FAIL: $*"; exit 1; }
ok() { echo "smoke: ok: $*"; }

uname -r
ip l2tp show tunnel >/dev/null || fail "ip l2tp show tunnel (genl family l2tp missing)"
ok "generic netlink family l2tp resolves"
[ -c /dev/ppp ] || fail "/dev/ppp missing"
ok "/dev/ppp exists"
grep -q '^PPPOL2TP' /proc/net/protocols || fail "PPPOL2TP not in /proc/net/protocols"
ok "PPPOL2TP socket protocol registered"

ip netns add smoke-a
ip netns add smoke-b
trap 'ip netns del smoke-a 2>/dev/null; ip netns del smoke-b 2>/dev/null' EXIT
ip link add va netns smoke-a type veth peer name vb netns smoke-b
ip -n smoke-a addr add 10.99.0.1/24 dev va
ip -n smoke-b addr add 10.99.0.2/24 dev vb
ip -n smoke-a link set va up
ip -n smoke-b link set vb up
ip -n smoke-a link set lo up
ip netns exec smoke-a ping -c 1 -W 5 10.99.0.2 >/dev/null || fail "ping across veth"
ok "netns + veth work"
ip netns exec smoke-a ip l2tp show tunnel >/dev/null || fail "l2tp in netns"
ok "l2tp family usable inside a netns"
echo "smoke: all passed"
