#!/bin/sh
# The whole in-VM suite in one boot (scripts/test runs it through scripts/kernel-vm).
# Usage: scripts/kernel-vm Tests/vm/suite.sh BIN_DIR   (BIN_DIR: swift build --show-bin-path)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: suite.sh BIN_DIR}
echo "== vm: smoke"
"$here/smoke.sh"
echo "== vm: datapath"
"$here/datapath.sh" "$bin/l2tp-datapath-check"
