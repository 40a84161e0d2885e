#!/usr/bin/env bash
# Postfix on 127.0.0.1:2525 with STARTTLS (a self-signed certificate for mx1.example.test), as a private
# instance: its own configuration, queue and log under $MAILDX_LAB/postfix, nothing in /etc/postfix changed.
# Local recipients of example.test are the system's users (root@example.test exists; nosuchuser does not).
# Log: $MAILDX_LAB/postfix/postfix.log. The master's PID goes to $MAILDX_LAB/pids/postfix.pid.
set -euo pipefail
D="$MAILDX_LAB/postfix"
PORT=2525
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
  echo "interop: something already listens on 127.0.0.1:$PORT; stop it first (the Postfix tests read this instance's log)"; exit 1
fi
rm -rf "$D"; mkdir -p "$D/etc" "$D/spool" "$D/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx1.example.test" \
  -addext "subjectAltName=DNS:mx1.example.test,DNS:localhost,IP:127.0.0.1" \
  -keyout "$D/etc/key.pem" -out "$D/etc/cert.pem" 2>/dev/null
chmod 600 "$D/etc/key.pem"
cp /etc/postfix/master.cf "$D/etc/master.cf"
[ -f /etc/postfix/dynamicmaps.cf ] && cp /etc/postfix/dynamicmaps.cf "$D/etc/"
cat > "$D/etc/main.cf" <<C
compatibility_level = 3.6
queue_directory = $D/spool
data_directory = $D/data
myhostname = mx1.example.test
mydestination = example.test, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps = proxy:unix:passwd.byname
smtpd_tls_cert_file = $D/etc/cert.pem
smtpd_tls_key_file = $D/etc/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
maillog_file = /dev/stdout
C
sed -i -E "s/^smtp( +inet .*smtpd)\$/127.0.0.1:$PORT\1/" "$D/etc/master.cf"   # :25 -> 127.0.0.1:2525
postconf -c "$D/etc" -F '*/*/chroot = n'                                         # no chroot without the init script's copies
chown postfix "$D/data"
postfix -c "$D/etc" check
postfix -c "$D/etc" start-fg > "$D/postfix.log" 2>&1 &
for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
(exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || { echo "Postfix did not come up"; cat "$D/postfix.log"; exit 1; }
tr -d ' \n' < "$D/spool/pid/master.pid" > "$MAILDX_LAB/pids/postfix.pid"   # the master, not the start-fg shell
echo "interop: Postfix on 127.0.0.1:$PORT (STARTTLS, master $(cat "$MAILDX_LAB/pids/postfix.pid")), log $D/postfix.log"
