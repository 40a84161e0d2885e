#!/usr/bin/env bash
# Starts every peer (start.d/*.sh, in order) on loopback. State, logs and PID files go to $MAILDX_LAB.
set -euo pipefail
cd "$(dirname "$0")"
export MAILDX_LAB=${MAILDX_LAB:-/tmp/maildx-lab}
mkdir -p "$MAILDX_LAB/pids"
for s in start.d/*.sh; do
  echo "interop: $s"
  bash "$s"
done
