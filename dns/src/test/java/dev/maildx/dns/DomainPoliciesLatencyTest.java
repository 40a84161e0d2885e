package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.spi.CheckProvider;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.TestCertificate;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's latency bound for all of a domain's DNS-answered policies together: DMARC + DKIM (10
 * selectors) + MTA-STS + TLS-RPT + BIMI + TLSA + PTR + DNSBL, with every DNS answer delayed 20 ms,
 * finish within (their longest chain of sequential round trips) x 20 ms x 1.3. Everything
 * independent goes out concurrently, so DMARC's two rounds and DKIM's one fit inside the MX → MX
 * addresses → PTR → forward-lookup chain of four.
 */
class DomainPoliciesLatencyTest {
  private static final Set<String> CHECKS =
      Set.of("mx", "dmarc", "dkim", "mta-sts", "tls-rpt", "bimi", "tlsa", "ptr", "mx-ptr", "dnsbl");
  private static final int CHAIN = PolicyChecksTest.CHAIN;
  private static final String[] SELECTORS = {
    "sel0", "sel1", "sel2", "sel3", "sel4", "sel5", "sel6", "sel7", "sel8", "sel9"
  };

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private MockHttpsServer https;
  private TestCertificate ca;

  @BeforeEach
  void start() {
    PolicyChecksTest.world(dns.server());
    dns.server().txt("_dmarc.sender.test", "v=DMARC1; p=reject; rua=mailto:dmarc@sender.test");
    // 10 selectors: five with keys, one delegated by CNAME to a provider, four absent.
    String key = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    for (int i = 0; i < 5; i++) {
      dns.server().txt(SELECTORS[i] + "._domainkey.sender.test", key);
    }
    dns.server()
        .cname(SELECTORS[5] + "._domainkey.sender.test", "sel5-sender._domainkey.provider.test")
        .txt("sel5-sender._domainkey.provider.test", key);
    ca = TestCertificate.authority("maildx test CA");
    https = MockHttpsServer.start(ca.issue("mta-sts.rcpt.test"));
    https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: *.rcpt.test\nmax_age: 604800\n");
  }

  @AfterEach
  void stop() {
    https.close();
  }

  private MailDiagnostics maildx() {
    PolicyOptions options = PolicyOptions.builder().trustStore(ca.trustStore()).build();
    CheckProvider only =
        env -> new DnsChecks().checks(env).stream().filter(c -> CHECKS.contains(c.name())).toList();
    return MailDiagnostics.builder()
        .discoverChecks(false)
        .checkProvider(only)
        .options(options)
        .dnsServer(dns.server().address())
        .timeout(Duration.ofSeconds(5))
        .dnsQueryTimeout(Duration.ofSeconds(2))
        .route(InetAddresses.parse("192.0.2.80"), https.address())
        .build();
  }

  private static DeliveryQuestion question() {
    return DeliveryQuestion.builder()
        .from("alice@sender.test")
        .sendingIp("9.9.9.77")
        .to("bob@rcpt.test")
        .dkimSelectors(SELECTORS)
        .smtpProbe(false)
        .build();
  }

  private long fastest(MailDiagnostics m, Duration delay, int runs) {
    dns.server().delayAll(delay);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      DeliveryDiagnosis d = m.diagnose(question());
      assertThat(d.findings()).noneMatch(Finding::inconclusive);
      assertThat(d.reports())
          .extracting(r -> r.check())
          .containsExactlyInAnyOrderElementsOf(CHECKS);
      best = Math.min(best, d.elapsed().toNanos() / 1_000_000);
    }
    return best;
  }

  @Test
  void allDomainPolicies_with20msPerDnsAnswer_addNoMoreThanTheLongestChainOfRoundTrips() {
    long delay = 20;
    try (MailDiagnostics m = maildx()) {
      DeliveryDiagnosis warm = m.diagnose(question()); // class loading, JIT, TLS
      assertThat(warm.dkimKeys().orElseThrow().findings())
          .extracting(Finding::code)
          .contains("DKIM_KEYS_FOUND");
      long none = fastest(m, Duration.ZERO, 5);
      long delayed = fastest(m, Duration.ofMillis(delay), 5);
      long budget = CHAIN * delay * 13 / 10;
      System.out.println(
          "all domain policies (DMARC, DKIM x10, MTA-STS, TLS-RPT, BIMI, TLSA, PTR, DNSBL): "
              + none
              + " ms without delay, "
              + delayed
              + " ms with "
              + delay
              + " ms per DNS answer; added "
              + (delayed - none)
              + " ms for a chain of "
              + CHAIN
              + " round trips, budget "
              + budget
              + " ms");
      assertThat(delayed - none).isLessThanOrEqualTo(budget);
      assertThat(delayed).isGreaterThanOrEqualTo(CHAIN * delay);
    }
  }

  @Test
  void allDomainPolicies_with150msPerDnsAnswer_takeFourRoundTrips() {
    long delay = 150;
    try (MailDiagnostics m = maildx()) {
      m.diagnose(question());
      long t = fastest(m, Duration.ofMillis(delay), 2);
      System.out.println(
          "all domain policies with "
              + delay
              + " ms per DNS answer: "
              + t
              + " ms ("
              + CHAIN
              + " round trips = "
              + CHAIN * delay
              + " ms)");
      assertThat(t).isBetween(CHAIN * delay, CHAIN * delay * 13 / 10);
    }
  }
}
