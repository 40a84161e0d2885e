package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnssecStatus;
import dev.maildx.spi.CheckProvider;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.TestCertificate;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The domain-policy checks inside a whole diagnosis: which run for which question, the typed
 * reports on {@link DeliveryDiagnosis}, and that independent lookups go out concurrently.
 */
class PolicyChecksTest {
  /**
   * The checks whose latency the issue bounds; the DMARC and DKIM checks join this set when they
   * land.
   */
  static final Set<String> TIMED =
      Set.of("mx", "mta-sts", "tls-rpt", "bimi", "tlsa", "ptr", "mx-ptr", "dnsbl");

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private MockHttpsServer https;
  private TestCertificate ca;

  static void world(MockDnsServer dns) {
    dns.zone(
        """
        $ORIGIN rcpt.test.
        @            IN MX  10 mx1
        @            IN MX  20 mx2
        mx1          IN A   9.9.9.1
        mx2          IN A   9.9.9.2
        _mta-sts     IN TXT "v=STSv1; id=1"
        mta-sts      IN A   192.0.2.80
        _smtp._tls   IN TXT "v=TLSRPTv1; rua=mailto:tls@rcpt.test"
        _25._tcp.mx1 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        $ORIGIN in-addr.arpa.
        1.9.9.9      IN PTR mx1.rcpt.test.
        2.9.9.9      IN PTR mx2.rcpt.test.
        77.9.9.9     IN PTR out.sender.test.
        $ORIGIN sender.test.
        out          IN A   9.9.9.77
        default._bimi IN TXT "v=BIMI1; l=https://sender.test/logo.svg; a=https://sender.test/vmc.pem"
        """);
  }

  @BeforeEach
  void start() {
    world(dns.server());
    ca = TestCertificate.authority("maildx test CA");
    https = MockHttpsServer.start(ca.issue("mta-sts.rcpt.test"));
    https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: *.rcpt.test\nmax_age: 604800\n");
  }

  @AfterEach
  void stop() {
    https.close();
  }

  private MailDiagnostics.Builder maildx(Set<String> only) {
    PolicyOptions options = PolicyOptions.builder().trustStore(ca.trustStore()).build();
    CheckProvider filtered =
        env -> new DnsChecks().checks(env).stream().filter(c -> only.contains(c.name())).toList();
    return MailDiagnostics.builder()
        .discoverChecks(false)
        .checkProvider(filtered)
        .options(options)
        .dnsServer(dns.server().address())
        .timeout(Duration.ofSeconds(5))
        .dnsQueryTimeout(Duration.ofSeconds(2))
        .route(InetAddresses.parse("192.0.2.80"), https.address());
  }

  private static DeliveryQuestion question() {
    return DeliveryQuestion.builder()
        .from("alice@sender.test")
        .sendingIp("9.9.9.77")
        .to("bob@rcpt.test")
        .smtpProbe(false)
        .build();
  }

  @Test
  void everyPolicyReport_isOnTheDiagnosis() {
    DeliveryDiagnosis d;
    try (MailDiagnostics m =
        maildx(
                Set.of(
                    "mx", "mta-sts", "tls-rpt", "dnssec", "tlsa", "mx-ptr", "bimi", "ptr", "dnsbl"))
            .build()) {
      d = m.diagnose(question());
    }

    assertThat(d.mtaSts().orElseThrow().policy()).isPresent();
    assertThat(d.mtaSts().orElseThrow().mxNotMatching()).isEmpty();
    assertThat(d.tlsRpt().orElseThrow().rua()).containsExactly("mailto:tls@rcpt.test");
    assertThat(d.dnssec().orElseThrow().status()).isEqualTo(DnssecStatus.INSECURE);
    assertThat(d.tlsa().orElseThrow().hosts()).hasSize(2);
    assertThat(d.mxPtr().orElseThrow().results()).allMatch(r -> r.forwardConfirmed());
    assertThat(d.bimi().orElseThrow().location()).isEqualTo("https://sender.test/logo.svg");
    assertThat(d.ptr().orElseThrow().results().get(0).confirmed())
        .containsExactly("out.sender.test");
    assertThat(d.dnsbl().orElseThrow().listings()).isEmpty();
    assertThat(d.findings()).noneMatch(Finding::inconclusive);
    assertThat(d.verdict())
        .isEqualTo(Verdict.DELIVERABLE); // TLSA in an unsigned zone is only a warning
  }

  @Test
  void onlyRecipientChecksRun_forARecipientAlone() {
    DeliveryDiagnosis d;
    try (MailDiagnostics m = maildx(TIMED).build()) {
      d = m.diagnose(DeliveryQuestion.builder().to("rcpt.test").smtpProbe(false).build());
    }

    assertThat(d.reports())
        .extracting(r -> r.check())
        .containsExactlyInAnyOrder("mx", "mta-sts", "tls-rpt", "tlsa", "mx-ptr");
    assertThat(d.ptr()).isEmpty();
    assertThat(d.dnsbl()).isEmpty();
    assertThat(d.bimi()).isEmpty();
  }

  /**
   * The fastest of {@code runs} diagnoses, in milliseconds, with every DNS answer delayed by {@code
   * delay}.
   */
  private long fastest(MailDiagnostics m, Duration delay, int runs) {
    dns.server().delayAll(delay);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      DeliveryDiagnosis d = m.diagnose(question());
      assertThat(d.findings()).noneMatch(Finding::inconclusive);
      assertThat(d.reports()).hasSize(TIMED.size());
      best = Math.min(best, d.elapsed().toNanos() / 1_000_000);
    }
    return best;
  }

  // Longest chain of sequential round trips: MX, then the MX hosts' addresses (the mx check), then
  // the PTR of each MX address, then the forward lookup of each PTR name (mx-ptr): 4. MTA-STS (its
  // TXT record, the policy host's address and the MX names together, then the HTTPS fetch from a
  // local server), TLSA (after mx, with the DNSSEC priming alongside), the sender's PTR (2), DNSBL,
  // TLS-RPT and BIMI (1 each) all fit inside it.
  static final int CHAIN = 4;

  @Test
  void with20msPerDnsAnswer_theAddedTimeIsTheLongestChainOfRoundTrips() {
    // What 20 ms per answer adds to the same diagnosis without delay: CPU time (TLS handshakes,
    // validation) cancels out, so this holds on a busy machine; any lookup made in sequence that
    // could be concurrent would add 20 ms.
    long delay = 20;
    try (MailDiagnostics m = maildx(TIMED).build()) {
      m.diagnose(question()); // warm-up: class loading, JIT, TLS
      long none = fastest(m, Duration.ZERO, 5);
      long delayed = fastest(m, Duration.ofMillis(delay), 5);
      System.out.println(
          "policy checks: "
              + none
              + " ms without delay, "
              + delayed
              + " ms with "
              + delay
              + " ms per DNS answer; added "
              + (delayed - none)
              + " ms, budget "
              + CHAIN * delay * 13 / 10
              + " ms");
      assertThat(delayed - none).isLessThanOrEqualTo(CHAIN * delay * 13 / 10);
      assertThat(delayed).isGreaterThanOrEqualTo(CHAIN * delay);
    }
  }

  @Test
  void with150msPerDnsAnswer_theChecksTakeFourRoundTrips() {
    // At 150 ms per answer the round trips dominate: 4 of them, not 5.
    long delay = 150;
    try (MailDiagnostics m = maildx(TIMED).build()) {
      m.diagnose(question());
      long t = fastest(m, Duration.ofMillis(delay), 2);
      System.out.println("policy checks with " + delay + " ms per DNS answer: " + t + " ms");
      assertThat(t).isBetween(CHAIN * delay, CHAIN * delay * 13 / 10);
    }
  }
}
