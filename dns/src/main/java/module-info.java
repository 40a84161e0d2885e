/**
 * maildx dns: everything answered by DNS (MX, SPF, DMARC, DKIM keys, MTA-STS, TLS-RPT, BIMI,
 * DNSSEC, TLSA, PTR, DNSBL), on dnsjava's asynchronous resolver.
 */
module dev.maildx.dns {
  requires transitive dev.maildx.core;
  requires org.dnsjava;
  requires java.net.http;
  requires static org.jspecify;

  exports dev.maildx.dns;
  exports dev.maildx.dns.internal to
      dev.maildx.smtp,
      dev.maildx.auth,
      dev.maildx.examples;

  provides dev.maildx.spi.CheckProvider with
      dev.maildx.dns.DnsChecks;
}
