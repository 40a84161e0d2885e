# Verifies every DKIM-Signature of the message files given with dkimpy (the reference implementation
# behind dkimverify), its key lookups sent to a DNS server on host:port through dnspython. Prints one
# line per file: the file name, then "pass" or "fail" for each signature, top to bottom.
# Run with /usr/bin/python3 (Debian's python3-dkim and python3-dnspython).
import sys

import dkim
import dns.flags
import dns.message
import dns.query
import dns.rdatatype

host, port, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]


def txt(name, timeout=5):
    q = dns.message.make_query(name.decode("ascii").rstrip("."), "TXT")
    r = dns.query.udp(q, host, port=port, timeout=timeout)
    if r.flags & dns.flags.TC:
        r = dns.query.tcp(q, host, port=port, timeout=timeout)
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            for rd in rrset:
                return b"".join(rd.strings)
    return None


for f in files:
    with open(f, "rb") as fh:
        message = fh.read()
    d = dkim.DKIM(message)
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    results = []
    for i in range(count):
        try:
            results.append("pass" if d.verify(idx=i, dnsfunc=txt) else "fail")
        except Exception as e:  # dkimpy raises for malformed signatures and keys
            results.append("fail")
    print(f, *results)
