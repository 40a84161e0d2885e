#!/usr/bin/env bash
# Stops every peer start.sh started, by the PID files they left.
MAILDX_LAB=${MAILDX_LAB:-/tmp/maildx-lab}
for f in "$MAILDX_LAB"/pids/*.pid; do
  [ -s "$f" ] || continue
  pid=$(tr -d ' \n' < "$f")
  kill "$pid" 2>/dev/null && echo "interop: stopped $(basename "$f" .pid) ($pid)"
  rm -f "$f"
done
exit 0
