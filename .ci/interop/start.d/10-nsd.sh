#!/usr/bin/env bash
# NSD, authoritative for every zones/*.zone (zone name = file name), on 127.0.0.1:5353 and [::1]:5353.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
D="$MAILDX_LAB/nsd"
rm -rf "$D"; mkdir -p "$D/zones"
cp "$HERE"/zones/*.zone "$D/zones/"
{
  cat <<C
server:
    ip-address: 127.0.0.1@5353
    ip-address: ::1@5353
    username: ""
    chroot: ""
    zonesdir: "$D/zones"
    database: ""
    zonelistfile: "$D/zone.list"
    xfrdfile: "$D/xfrd.state"
    xfrdir: "$D"
    pidfile: "$D/nsd.pid"
    logfile: "$D/nsd.log"
    server-count: 1
remote-control:
    control-enable: no
C
  for z in "$D"/zones/*.zone; do
    n=$(basename "$z" .zone)
    nsd-checkzone "$n" "$z" >/dev/null
    printf 'zone:\n    name: %s\n    zonefile: %s\n' "$n" "$(basename "$z")"
  done
} > "$D/nsd.conf"
nsd-checkconf "$D/nsd.conf"
nsd -d -c "$D/nsd.conf" > "$D/stdout.log" 2>&1 &
echo $! > "$MAILDX_LAB/pids/nsd.pid"
for i in $(seq 100); do
  dig +short +time=1 +tries=1 @127.0.0.1 -p 5353 example.test SOA >/dev/null 2>&1 && break
  sleep 0.1
done
dig +short @127.0.0.1 -p 5353 example.test MX | grep -q mx1.example.test || { echo "NSD did not come up"; cat "$D/stdout.log"; exit 1; }
echo "interop: NSD on 127.0.0.1:5353 serving $(ls "$D"/zones | tr '\n' ' ')"
