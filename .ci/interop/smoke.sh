#!/usr/bin/env bash
# The CLI as a user runs it, against the real peers started by start.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(./maildx mx example.test --dns 127.0.0.1:5353 --json) || rc=$?
echo "$out"
[ "${rc:-0}" -eq 1 ] || { echo "smoke: expected exit 1 (loopback MX hosts are problems), got ${rc:-0}"; exit 1; }
echo "$out" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
names = [h["name"] for h in r["hosts"]]
assert names == ["mx1.example.test", "mx2.example.test"], names
assert r["hosts"][0]["addresses"] == ["127.0.0.1"], r["hosts"][0]
assert r["hosts"][1]["addresses"] == ["::1"], r["hosts"][1]
print("smoke: maildx mx against NSD: ok")
'
./maildx mx example.test --dns '[::1]:5353' --json >/dev/null || [ $? -eq 1 ]
echo "smoke: maildx mx over IPv6 DNS: ok"
# DNSSEC through the validating Unbound of start.d/20-dnssec.sh: secure, and bogus.
# (exit 1 is expected: the lab's MX hosts are on loopback)
out=$(./maildx diagnose signed.test --dns 127.0.0.1:5357 --no-smtp --json) || [ $? -eq 1 ]
echo "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["dnssec"]["status"] == "secure", d["dnssec"]
assert d["tlsa"]["hosts"][0]["daneEnabled"], d["tlsa"]
print("smoke: maildx diagnose signed.test: DNSSEC secure, DANE enabled: ok")
' || exit 1
out=$(./maildx diagnose bogus.test --dns 127.0.0.1:5357 --no-smtp --json) || [ $? -eq 1 ]
echo "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["dnssec"]["status"] == "bogus" and d["verdict"] == "undeliverable", (d["dnssec"], d["verdict"])
print("smoke: maildx diagnose bogus.test: DNSSEC bogus, undeliverable: ok")
' || exit 1
