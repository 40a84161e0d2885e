#!/usr/bin/env bash
# Real Postfix DSNs for the bounce interop test, from a private Postfix instance that touches nothing
# another peer uses: its own network namespace (loopback only, so no port can clash and no DNS query
# leaves the machine), its own config directory, queue and log under $MAILDX_LAB/dsn, and an NSD in
# the namespace on 127.0.0.1:53 that is authoritative for "invalid." (every name there is NXDOMAIN).
# Three messages from nobody@dsn.test (a system user, so the notices can be delivered locally) produce three notices in $MAILDX_LAB/dsn/out/:
#   user-unknown.eml  local delivery to a user that does not exist (local_recipient_maps empty)
#   host-not-found.eml  SMTP to nosuchhost.invalid (NXDOMAIN)
#   delayed.eml  SMTP to 127.0.0.1:2599 where nothing listens, with delay_warning_time=1s
# The instance is stopped again at the end; its namespace is removed. Needs: postfix, nsd (packages.txt).
set -euo pipefail
D="$MAILDX_LAB/dsn"; C="$D/etc"; NS=maildx-dsn-$$
rm -rf "$D"; mkdir -p "$C" "$D/spool" "$D/data" "$D/out" "$D/nsd" "$D/mail"
cleanup() {
  ip netns exec "$NS" postfix -c "$C" stop >/dev/null 2>&1 || true
  [ -s "$D/nsd/nsd.pid" ] && kill "$(cat "$D/nsd/nsd.pid")" 2>/dev/null || true
  sleep 0.5; ip netns del "$NS" 2>/dev/null || true; rm -rf "/etc/netns/$NS"
}
trap cleanup EXIT
ip netns add "$NS"; ip -n "$NS" link set lo up
mkdir -p "/etc/netns/$NS"; echo "nameserver 127.0.0.1" > "/etc/netns/$NS/resolv.conf"
printf '$ORIGIN invalid.\n$TTL 60\n@ IN SOA ns hostmaster 1 60 60 60 60\n@ IN NS ns\nns IN A 127.0.0.1\n' > "$D/nsd/invalid.zone"
cat > "$D/nsd/nsd.conf" <<C
server:
    ip-address: 127.0.0.1@53
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "$D/nsd/zone.list"
    xfrdfile: "$D/nsd/xfrd.state"
    pidfile: "$D/nsd/nsd.pid"
    logfile: "$D/nsd/nsd.log"
    server-count: 1
remote-control:
    control-enable: no
zone:
    name: invalid
    zonefile: $D/nsd/invalid.zone
C
ip netns exec "$NS" nsd -c "$D/nsd/nsd.conf"
chown postfix "$D/data"; chmod 1777 "$D/mail"
cp /etc/postfix/master.cf "$C/master.cf"
sed -i -E 's/^(smtp +inet.*)$/#\1/' "$C/master.cf"                     # no listener needed
sed -i -E 's/^([a-z]+ +unix +[-yn] +[-yn] +)y( )/\1n\2/' "$C/master.cf"  # no chroot
: > "$C/main.cf"
echo "slow.dsn.test smtp:[127.0.0.1]:2599" > "$C/transport"
postconf -c "$C" -e "compatibility_level = 3.6" "queue_directory = $D/spool" "data_directory = $D/data" \
  "myhostname = mta.dsn.test" "mydomain = dsn.test" "myorigin = dsn.test" "mydestination = dsn.test, localhost" \
  "inet_interfaces = loopback-only" "inet_protocols = ipv4" "mynetworks = 127.0.0.0/8" \
  "local_recipient_maps =" "alias_maps =" "alias_database =" "home_mailbox =" "mail_spool_directory = $D/mail" \
  "maillog_file_prefixes = $D" "maillog_file = $D/postfix.log" "transport_maps = texthash:$C/transport" \
  "delay_warning_time = 1s" "queue_run_delay = 1s" "minimal_backoff_time = 1s" "maximal_backoff_time = 2s" \
  "smtp_connect_timeout = 2s" "bounce_queue_lifetime = 1d" "maximal_queue_lifetime = 1d" \
  "alternate_config_directories = $C" "mailbox_size_limit = 0" "smtpd_tls_security_level = none" "smtp_tls_security_level = none" \
  "manpage_directory = /usr/share/man" "sample_directory = /usr/share/doc/postfix/examples" "readme_directory = no" \
  "html_directory = no" "setgid_group = postdrop" "mail_owner = postfix" "command_directory = /usr/sbin" \
  "daemon_directory = /usr/lib/postfix/sbin" "shlib_directory = /usr/lib/postfix" "meta_directory = /etc/postfix"
ip netns exec "$NS" postfix -c "$C" check
ip netns exec "$NS" postfix -c "$C" start
send() {
  printf 'From: nobody@dsn.test\nTo: %s\nSubject: maildx interop %s\nMessage-ID: <%s.%s@dsn.test>\n\nHello.\n' "$1" "$2" "$2" "$$" \
    | ip netns exec "$NS" sendmail -C "$C" -f nobody@dsn.test "$1"
}
send doesnotexist@dsn.test user-unknown
send someone@nosuchhost.invalid host-not-found
send someone@slow.dsn.test delayed
# The notices arrive in the sender's mailbox as one mbox; wait until all three are there.
MBOX="$D/mail/nobody"
for i in $(seq 150); do
  [ -f "$MBOX" ] && [ "$(grep -c '^From MAILER-DAEMON' "$MBOX")" -ge 3 ] && break
  sleep 0.2
done
[ -f "$MBOX" ] && [ "$(grep -c '^From MAILER-DAEMON' "$MBOX")" -ge 3 ] || { echo "postfix-dsn: only $(grep -c '^From MAILER-DAEMON' "$MBOX" 2>/dev/null || echo 0) notices"; tail -30 "$D/postfix.log"; exit 1; }
# Split the mbox, naming each notice by the Message-ID of the returned message.
/usr/bin/python3 - "$MBOX" "$D/out" <<'PY'
import mailbox, sys, re
for m in mailbox.mbox(sys.argv[1]):
    raw = m.as_bytes()
    hit = re.search(rb'Message-ID: <(user-unknown|host-not-found|delayed)\.', raw, re.I)
    if hit:
        open('%s/%s.eml' % (sys.argv[2], hit.group(1).decode().lower()), 'wb').write(raw)
PY
ls "$D/out"
echo "interop: Postfix DSNs in $D/out (user unknown, host not found, delayed)"
