package dev.maildx.cli;

import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.internal.InetAddresses;
import dev.maildx.smtp.ProbeOptions;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.TestCertificate;
import dev.maildx.testkit.TestDsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
 * Four hours later Alice got the delay notice CloudMail's server wrote ({@link #delayNotice()}: a
 * Postfix-style {@code Action: delayed}, {@code Status: 4.4.7}, "timed out while receiving the
 * initial server greeting"); it is part of the question, as {@code --bounce} would add it.
 *
 * <p>Everything is served by testkit servers on 127.0.0.1; the DNS publishes documentation
 * addresses (RFC 5737) that {@linkplain MailDiagnostics.Builder#route routes} map to loopback.
 */
final class DemoScenario implements AutoCloseable {
  static final String SENDER = "alice@brightwater.example";
  static final String RECIPIENT = "bob@revenue.gov.example";
  static final String SENDING_IP = "203.0.113.10";

  static final String ZONE =
      """
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
  static final String MTA_STS_POLICY =
      "version: STSv1\nmode: enforce\nmx: mx1.revenue.gov.example\nmx: mx2.revenue.gov.example\nmax_age: 604800\n";

  private static final List<String> PUBLISHED =
      List.of("192.0.2.25", "192.0.2.26", "198.51.100.20", SENDING_IP);

  private final TestCertificate ca;
  private final MockHttpsServer https;

  /** The agency's gateways, tarpitting like the story's. */
  private static final List<String> GATEWAYS = List.of("192.0.2.25", "192.0.2.26");

  private final MockDnsServer dns;
  private final List<MockSmtpServer> gateways;
  private final Path notice;

  private DemoScenario() {
    // The HTTPS side (a CA, a certificate, a TLS server) takes the longest to start: it starts
    // beside the rest.
    java.util.concurrent.CompletableFuture<Object[]> policyHost =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              TestCertificate authority = TestCertificate.authority("Demo CA");
              MockHttpsServer server =
                  MockHttpsServer.start(authority.issue("mta-sts.revenue.gov.example"));
              server.mtaStsPolicy(MTA_STS_POLICY);
              return new Object[] {authority, server};
            });
    MockDnsServer d = null;
    List<MockSmtpServer> g = List.of();
    Path n = null;
    try {
      d = MockDnsServer.start();
      d.zone(ZONE);
      g =
          List.of(
              MockSmtpServer.builder()
                  .hostname("mx1.revenue.gov.example")
                  .tls(false)
                  .policy(SmtpPolicy.tarpit(Duration.ofSeconds(1)))
                  .build(),
              MockSmtpServer.builder()
                  .hostname("mx2.revenue.gov.example")
                  .tls(false)
                  .policy(SmtpPolicy.tarpit(Duration.ofSeconds(1)))
                  .build());
      // A file name a person would give the notice (reports show it), in a directory of its own.
      n = Files.createTempDirectory("maildx-demo-").resolve("delayed-mail-notice.eml");
      delayNotice().write(n);
      Object[] h = policyHost.join();
      this.ca = (TestCertificate) h[0];
      this.https = (MockHttpsServer) h[1];
    } catch (IOException | RuntimeException e) {
      CompletableFuture<Void> unused = policyHost.thenAccept(h -> ((MockHttpsServer) h[1]).close());
      g.forEach(MockSmtpServer::close);
      if (d != null) {
        d.close();
      }
      deleteQuietly(n);
      throw e instanceof IOException
          ? new UncheckedIOException("cannot write the demo's delay notice", (IOException) e)
          : (RuntimeException) e;
    }
    this.dns = d;
    this.gateways = g;
    this.notice = n;
  }

  private static void deleteQuietly(@org.jspecify.annotations.Nullable Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
        if (p.getParent() != null) {
          Files.deleteIfExists(p.getParent());
        }
      } catch (IOException ignored) {
        // a temporary file; the OS cleans up
      }
    }
  }

  /** The delay notice CloudMail's server sent Alice after four hours of retrying. */
  static TestDsn delayNotice() {
    return TestDsn.delayed(RECIPIENT, "4.4.7")
        .reportingMta("out.cloudmail.example")
        .from(SENDER)
        .remoteMta("mx1.revenue.gov.example")
        .diagnostic(
            "X-Postfix; conversation with mx1.revenue.gov.example[192.0.2.25] timed out while receiving the initial server greeting")
        .original(
            "<20260617091400.4TqW2D1xYz@brightwater.example>",
            "Quarterly VAT return - Brightwater Ltd");
  }

  /** The delay notice, as a file. */
  Path notice() {
    return notice;
  }

  static DemoScenario start() {
    return new DemoScenario();
  }

  MockDnsServer dns() {
    return dns;
  }

  DeliveryQuestion question() {
    return DeliveryQuestion.builder()
        .from(SENDER)
        .sendingIp(SENDING_IP)
        .to(RECIPIENT)
        .bounce(notice)
        .build();
  }

  MailDiagnostics.Builder configure(MailDiagnostics.Builder b) {
    b.dnsServer(dns.address())
        .timeout(Duration.ofSeconds(5))
        .dnsQueryTimeout(Duration.ofSeconds(2));
    for (String ip : PUBLISHED) {
      int gateway = GATEWAYS.indexOf(ip);
      // Nothing listens on the discard port: OldHost's and CloudMail's servers are not part of the
      // story's SMTP side.
      b.route(
          InetAddresses.parse(ip),
          gateway >= 0
              ? gateways.get(gateway).address()
              : new InetSocketAddress(InetAddresses.parse("127.0.0.1"), 9));
    }
    // The agency's MTA-STS policy host, served over HTTPS with a certificate of the demo's own CA.
    b.route(InetAddresses.parse("192.0.2.80"), https.address());
    b.options(PolicyOptions.builder().trustStore(ca.trustStore()).build());
    // A tarpit is recognised once a started greeting line has trickled for 0.6 s (default 2 s), so
    // the demo ends sooner.
    b.options(ProbeOptions.builder().stallTimeout(Duration.ofMillis(600)).build());
    return b;
  }

  @Override
  public void close() {
    gateways.forEach(MockSmtpServer::close);
    https.close();
    dns.close();
    deleteQuietly(notice);
  }
}
