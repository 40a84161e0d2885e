#!/usr/bin/env bash
# DNSSEC lab for the interop profile: a second NSD on 127.0.0.1:5363 serving zones signed now
# (signatures expire, so they are made fresh on every start), and a validating Unbound on
# 127.0.0.1:5357 in front of it with those zones' trust anchors.
#   signed.test    signed correctly (MX, host addresses, TLSA)          -> secure
#   bogus.test     signed, then its MX record altered after signing     -> bogus
#   unsigned.test  not signed, no trust anchor                          -> insecure
# Trust anchors (DS) for the Java tests: $MAILDX_LAB/dnssec/trust-anchors.ds.
set -euo pipefail
D="$MAILDX_LAB/dnssec"
NSD_PORT=5363
UNBOUND_PORT=5357
HASH=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# A previous run with the same lab directory: stop it by its PID files.
for p in dnssec-unbound dnssec-nsd; do
  f="$MAILDX_LAB/pids/$p.pid"
  if [ -s "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; fi
done
sleep 0.2
for port in $NSD_PORT $UNBOUND_PORT; do
  if ss -Hlnu "sport = :$port" | grep -q .; then
    echo "20-dnssec: port $port is in use by another process; not starting the DNSSEC lab"; exit 1
  fi
done

rm -rf "$D"; mkdir -p "$D/zones" "$D/keys" "$D/nsd" "$D/unbound"
zone() {  # zone NAME: the same small mail domain for each test zone
  cat <<Z
\$ORIGIN $1.
\$TTL 300
@            IN SOA  ns hostmaster 1 3600 600 86400 300
@            IN NS   ns
ns           IN A    127.0.0.1
@            IN MX   10 mx1
mx1          IN A    127.0.0.1
mx1          IN AAAA ::1
@            IN TXT  "v=spf1 mx -all"
_25._tcp.mx1 IN TLSA 3 1 1 $HASH
Z
}
: > "$D/trust-anchors.ds"
for z in signed.test bogus.test; do
  zone $z > "$D/zones/$z.zone"
  ( cd "$D/keys"
    ksk=$(ldns-keygen -a ECDSAP256SHA256 -k $z)
    zsk=$(ldns-keygen -a ECDSAP256SHA256 $z)
    ldns-signzone -n -f "$D/zones/$z.zone.signed" "$D/zones/$z.zone" "$ksk" "$zsk"
    cat "$ksk.ds" >> "$D/trust-anchors.ds" )
done
# Break bogus.test: change its MX record after signing, so its signature no longer matches.
sed -i -E 's/^(bogus\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+MX[[:space:]]+)10 /\120 /' "$D/zones/bogus.test.zone.signed"
grep -qE 'IN[[:space:]]+MX[[:space:]]+20 mx1' "$D/zones/bogus.test.zone.signed" || { echo "20-dnssec: could not break bogus.test"; exit 1; }
zone unsigned.test > "$D/zones/unsigned.test.zone"

cat > "$D/nsd/nsd.conf" <<C
server:
    ip-address: 127.0.0.1@$NSD_PORT
    username: ""
    chroot: ""
    zonesdir: "$D/zones"
    database: ""
    zonelistfile: "$D/nsd/zone.list"
    xfrdfile: "$D/nsd/xfrd.state"
    xfrdir: "$D/nsd"
    pidfile: "$D/nsd/nsd.pid"
    logfile: "$D/nsd/nsd.log"
    server-count: 1
remote-control:
    control-enable: no
zone:
    name: signed.test
    zonefile: signed.test.zone.signed
zone:
    name: bogus.test
    zonefile: bogus.test.zone.signed
zone:
    name: unsigned.test
    zonefile: unsigned.test.zone
C
cat > "$D/unbound/unbound.conf" <<C
server:
    interface: 127.0.0.1@$UNBOUND_PORT
    port: $UNBOUND_PORT
    do-ip6: no
    username: ""
    chroot: ""
    directory: "$D/unbound"
    pidfile: "$D/unbound/unbound.pid"
    use-syslog: no
    logfile: ""
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "validator iterator"
    trust-anchor-file: "$D/trust-anchors.ds"
    local-zone: "test." nodefault
    val-log-level: 2
stub-zone:
    name: "signed.test"
    stub-addr: 127.0.0.1@$NSD_PORT
stub-zone:
    name: "bogus.test"
    stub-addr: 127.0.0.1@$NSD_PORT
stub-zone:
    name: "unsigned.test"
    stub-addr: 127.0.0.1@$NSD_PORT
remote-control:
    control-enable: no
C
nsd-checkconf "$D/nsd/nsd.conf"
unbound-checkconf "$D/unbound/unbound.conf" >/dev/null
nsd -d -c "$D/nsd/nsd.conf" > "$D/nsd/stdout.log" 2>&1 &
echo $! > "$MAILDX_LAB/pids/dnssec-nsd.pid"
unbound -d -c "$D/unbound/unbound.conf" > "$D/unbound/stdout.log" 2>&1 &
echo $! > "$MAILDX_LAB/pids/dnssec-unbound.pid"
for i in $(seq 100); do
  dig +short +time=1 +tries=1 @127.0.0.1 -p $UNBOUND_PORT signed.test SOA >/dev/null 2>&1 && break
  sleep 0.1
done
dig +dnssec @127.0.0.1 -p $UNBOUND_PORT signed.test MX | grep -q 'flags:.* ad' \
  || { echo "20-dnssec: Unbound does not validate signed.test"; cat "$D/unbound/stdout.log"; exit 1; }
dig @127.0.0.1 -p $UNBOUND_PORT bogus.test MX | grep -q 'status: SERVFAIL' \
  || { echo "20-dnssec: Unbound does not reject bogus.test"; exit 1; }
echo "interop: DNSSEC lab: NSD on 127.0.0.1:$NSD_PORT (signed.test, bogus.test, unsigned.test), validating Unbound on 127.0.0.1:$UNBOUND_PORT"
