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
# SPF against NSD: example.test allows 127.0.0.0/8 (pass, exit 0) and nothing else (fail, exit 1).
./maildx spf 127.0.0.9 a@example.test --dns 127.0.0.1:5353 --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["result"] == "pass" and r["matchedMechanism"] == "ip4:127.0.0.0/8", r
print("smoke: maildx spf against NSD: ok")
'
rc=0; ./maildx spf 192.0.2.1 a@example.test --dns 127.0.0.1:5353 >/dev/null || rc=$?
[ "$rc" -eq 1 ] || { echo "smoke: maildx spf for an unlisted IP should exit 1, got $rc"; exit 1; }
echo "smoke: maildx spf fail exit code: ok"
out=$(./maildx probe 127.0.0.1 --port 2525 --rcpt root@example.test --json) || { echo "smoke: maildx probe exited $?"; exit 1; }
echo "$out" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
h = r["hosts"][0]
assert h["outcome"] == "accepted", h["outcome"]
assert h["banner"].startswith("220 mx1.example.test"), h["banner"]
assert "STARTTLS" in h["extensions"], h["extensions"]
assert h["tls"]["protocol"] in ("TLSv1.2", "TLSv1.3") and h["tls"]["certificate"]["trusted"] is False, h["tls"]
assert h["rcpt"]["code"] == 250, h["rcpt"]
assert not any(t["text"].upper().startswith("DATA") for t in h["transcript"])
print("smoke: maildx probe against Postfix: ok")
'
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
# maildx auth against NSD: a message signed by dkimsign (dkimpy) with the test-only key of zones/auth.test.zone
# passes DKIM, SPF (127/8) and DMARC; the same message with its body changed fails with exit 1.
msg=$(mktemp)
printf 'From: Alice <alice@auth.test>\nTo: bob@example.test\nSubject: smoke\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nHello from the smoke test.\n' \
  | dkimsign --bcanon relaxed s1 auth.test .ci/interop/dkim/s1.auth.test.key > "$msg"
./maildx auth "$msg" --ip 127.0.0.7 --mail-from alice@auth.test --dns 127.0.0.1:5353 --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert [s["result"] for s in r["dkim"]] == ["pass"], r["dkim"]
assert r["spf"]["result"] == "pass" and r["dmarc"]["result"] == "pass", (r["spf"]["result"], r["dmarc"])
assert r["authenticationResults"].startswith("maildx; dkim=pass"), r["authenticationResults"]
print("smoke: maildx auth of a dkimsign-ed message against NSD: ok")
'
rc=0; sed 's/Hello from/Hallo from/' "$msg" | ./maildx auth - --dns 127.0.0.1:5353 > "$msg.out" || rc=$?
grep -q "body hash computed" "$msg.out" && [ "$rc" -eq 1 ] || { echo "smoke: a changed body should fail DKIM with exit 1, got $rc"; cat "$msg.out"; exit 1; }
echo "smoke: maildx auth of a changed body: body hash mismatch, exit 1: ok"
rm -f "$msg" "$msg.out"
# The demo as a user runs it (through the launcher): both sides' causes, and the whole command's time.
start=$(date +%s%N)
out=$(./maildx demo --json) || { echo "smoke: maildx demo exited $?"; exit 1; }
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = [c["code"] for c in d["likelyCauses"]]
assert codes[0] == "RECIPIENT_GATEWAY_UNRESPONSIVE", codes
assert "SENDER_SPF_DOES_NOT_AUTHORIZE_IP" in codes and "SENDER_MX_HALF_MOVED" in codes, codes
print("smoke: maildx demo names both causes: ok")
' || exit 1
echo "smoke: maildx demo took $ms ms (DemoTest holds it under 5000)"
# An audit of the lab's zones through NSD: one JSON line per domain, a bad line skipped.
printf 'example.test\nnot a domain\ndmarc.test\n' > "${TMPDIR:-/tmp}/maildx-smoke-domains.txt"
rc=0; out=$(./maildx audit "${TMPDIR:-/tmp}/maildx-smoke-domains.txt" --dns 127.0.0.1:5353 2>/dev/null) || rc=$?
[ "$rc" -eq 1 ] || { echo "smoke: maildx audit should exit 1 (a skipped line), got $rc"; exit 1; }
echo "$out" | /usr/bin/python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
assert len(lines) == 3, len(lines)
assert sum(1 for l in lines if "error" in l) == 1, lines
assert {l["input"] for l in lines if "verdict" in l} == {"example.test", "dmarc.test"}
print("smoke: maildx audit against NSD: ok")
' || exit 1
