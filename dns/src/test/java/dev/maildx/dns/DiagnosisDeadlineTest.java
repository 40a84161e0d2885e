package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A whole diagnosis through the discovered DNS checks, under one deadline. */
class DiagnosisDeadlineTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void dnsChecksAreDiscoveredWithTheServiceLoader() {
    try (MailDiagnostics m = MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      assertThat(m.checks()).contains("mx", "sender-mx");
    }
  }

  @Test
  void aDnsServerThatNeverAnswers_givesInconclusiveWithinTheTimeout_andLeavesNoThreadBehind()
      throws Exception {
    // Warm up once so that the JVM-wide threads dnsjava starts on first use (its NIO selector)
    // exist before the snapshot.
    dns.server().mx("warm.test", 10, "mx.warm.test");
    try (MailDiagnostics warm =
        MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      warm.diagnose(DeliveryQuestion.to("warm.test"));
    }
    waitForMaildxThreadsToEnd();
    Set<Thread> before = Thread.getAllStackTraces().keySet();

    dns.server().faultAll(DnsFault.timeout());
    Duration timeout = Duration.ofSeconds(2);
    DeliveryDiagnosis d;
    long ms;
    try (MailDiagnostics m =
        MailDiagnostics.builder().dnsServer(dns.server().address()).timeout(timeout).build()) {
      long t0 = System.nanoTime();
      d =
          m.diagnose(
              DeliveryQuestion.builder().from("alice@corp.test").to("bob@agency.test").build());
      ms = (System.nanoTime() - t0) / 1_000_000;
    }

    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(ms).isLessThanOrEqualTo(timeout.toMillis() * 11 / 10);
    assertThat(d.findings())
        .filteredOn(Finding::inconclusive)
        .extracting(Finding::check)
        .contains("mx", "sender-mx");
    assertThat(d.findings()).noneMatch(f -> f.effect() == Verdict.UNDELIVERABLE);
    assertThat(d.likelyCauses())
        .extracting(c -> c.code().name())
        .contains("RECIPIENT_DNS_NOT_ANSWERING");

    waitForMaildxThreadsToEnd();
    Set<Thread> leftover =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("mockdns-"))
            .collect(Collectors.toSet());
    assertThat(leftover).extracting(Thread::getName).isEmpty();
  }

  private static void waitForMaildxThreadsToEnd() throws InterruptedException {
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end
        && Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("maildx-") && t.isAlive())) {
      Thread.sleep(20);
    }
  }
}
