package dev.maildx.cli;

import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.dns.DnsChecks;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.TestCertificate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The story maildx exists for, replayed offline on loopback.
 *
 * <p>Brightwater Ltd ({@code brightwater.example}) moved its mail from OldHost to CloudMail. The
 * migration left its MX half-moved (the first MX still names OldHost's decommissioned server) and
 * its SPF authorizing OldHost only. Mail from {@code alice@brightwater.example}, now sent by
 * CloudMail from {@code 203.0.113.10}, to {@code bob@revenue.gov.example} stopped arriving.
 *
 * <p>The agency's gateways ({@code mx1}/{@code mx2.revenue.gov.example}) accept connections and
 * then tarpit: they send their greeting one byte a second, so senders time out, queue and retry.
 *
 * <p>Everything is served by testkit servers on 127.0.0.1; the DNS publishes documentation
 * addresses (RFC 5737) that {@linkplain MailDiagnostics.Builder#route routes} map to loopback.
 */
final class DemoScenario implements AutoCloseable {
  static final String SENDER = "alice@brightwater.example";
  static final String RECIPIENT = "bob@revenue.gov.example";
  static final String SENDING_IP = "203.0.113.10";

  static final String ZONE = """
      $ORIGIN example.
      $TTL 300
      ; --- OldHost, the provider Brightwater left; its mail server is gone
      oldhost                 IN SOA ns1.oldhost hostmaster.oldhost 2024060101 3600 600 86400 300
      _spf.oldhost            IN TXT "v=spf1 ip4:192.0.2.128/25 -all"
      ; --- CloudMail, the provider Brightwater moved to
      cloudmail               IN SOA ns1.cloudmail hostmaster.cloudmail 2024060101 3600 600 86400 300
      inbound.cloudmail       IN A   198.51.100.20
      out.cloudmail           IN A   203.0.113.10
      10.113.0.203.in-addr.arpa. IN PTR out.cloudmail.example.
      _spf.cloudmail          IN TXT "v=spf1 ip4:203.0.113.0/24 -all"
      ; --- the sender, after a botched migration
      brightwater             IN SOA ns1.brightwater hostmaster.brightwater 2024061501 3600 600 86400 300
      brightwater             IN MX  10 mx.oldhost.example.
      brightwater             IN MX  20 inbound.cloudmail.example.
      brightwater             IN TXT "v=spf1 include:_spf.oldhost.example -all"
      _dmarc.brightwater      IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@brightwater.example"
      ; DKIM: CloudMail's selectors are delegated, but CloudMail was never told to sign for brightwater (the targets do not exist);
      ; OldHost's 1024-bit key (the RFC 8463 example key) is still published under "default"
      selector1._domainkey.brightwater IN CNAME selector1-brightwater._domainkey.cloudmail.example.
      selector2._domainkey.brightwater IN CNAME selector2-brightwater._domainkey.cloudmail.example.
      default._domainkey.brightwater   IN TXT ( "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+"
                                                "PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB" )
      ; --- the recipient, a government agency whose gateway drops what it dislikes
      revenue.gov             IN SOA ns1.revenue.gov hostmaster.revenue.gov 2024010101 3600 600 86400 300
      revenue.gov             IN MX  10 mx1.revenue.gov
      revenue.gov             IN MX  20 mx2.revenue.gov
      mx1.revenue.gov         IN A   192.0.2.25
      mx2.revenue.gov         IN A   192.0.2.26
      25.2.0.192.in-addr.arpa. IN PTR mx1.revenue.gov.example.
      26.2.0.192.in-addr.arpa. IN PTR mx2.revenue.gov.example.
      revenue.gov             IN TXT "v=spf1 mx -all"
      _dmarc.revenue.gov      IN TXT "v=DMARC1; p=reject"
      _mta-sts.revenue.gov    IN TXT "v=STSv1; id=2024010101"
      mta-sts.revenue.gov     IN A   192.0.2.80
      _smtp._tls.revenue.gov  IN TXT "v=TLSRPTv1; rua=mailto:tls-reports@revenue.gov.example"
      """;
  static final String MTA_STS_POLICY = "version: STSv1\nmode: enforce\nmx: mx1.revenue.gov.example\nmx: mx2.revenue.gov.example\nmax_age: 604800\n";

  private static final List<String> PUBLISHED = List.of("192.0.2.25", "192.0.2.26", "198.51.100.20", SENDING_IP);

  private final TestCertificate ca = TestCertificate.authority("Demo CA");
  private final MockHttpsServer https;
  /** The agency's gateways, tarpitting like the story's. */
  private static final List<String> GATEWAYS = List.of("192.0.2.25", "192.0.2.26");

  private final MockDnsServer dns;
  private final List<MockSmtpServer> gateways;

  private DemoScenario() {
    this.dns = MockDnsServer.start();
    dns.zone(ZONE);
    this.gateways = List.of(
        MockSmtpServer.builder().hostname("mx1.revenue.gov.example").tls(false).policy(SmtpPolicy.tarpit(Duration.ofSeconds(1))).build(),
        MockSmtpServer.builder().hostname("mx2.revenue.gov.example").tls(false).policy(SmtpPolicy.tarpit(Duration.ofSeconds(1))).build());
    this.https = MockHttpsServer.start(ca.issue("mta-sts.revenue.gov.example"));
    https.mtaStsPolicy(MTA_STS_POLICY);
  }

  static DemoScenario start() {
    return new DemoScenario();
  }

  MockDnsServer dns() {
    return dns;
  }

  DeliveryQuestion question() {
    return DeliveryQuestion.builder().from(SENDER).sendingIp(SENDING_IP).to(RECIPIENT).build();
  }

  MailDiagnostics.Builder configure(MailDiagnostics.Builder b) {
    b.dnsServer(dns.address()).timeout(Duration.ofSeconds(5)).dnsQueryTimeout(Duration.ofSeconds(2));
    for (String ip : PUBLISHED) {
      int gateway = GATEWAYS.indexOf(ip);
      // Nothing listens on the discard port: OldHost's and CloudMail's servers are not part of the story's SMTP side.
      b.route(InetAddresses.parse(ip), gateway >= 0 ? gateways.get(gateway).address() : new InetSocketAddress("127.0.0.1", 9));
    }
    // The agency's MTA-STS policy host, served over HTTPS with a certificate of the demo's own CA.
    b.route(InetAddresses.parse("192.0.2.80"), https.address());
    b.checkProvider(new DnsChecks(PolicyOptions.builder().trustStore(ca.trustStore()).build()));
    return b;
  }

  @Override
  public void close() {
    gateways.forEach(MockSmtpServer::close);
    https.close();
    dns.close();
  }
}
