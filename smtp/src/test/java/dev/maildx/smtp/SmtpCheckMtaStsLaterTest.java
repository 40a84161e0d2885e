package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.report.MtaStsPolicyReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code smtp} check starts probing as soon as the MX hosts are known, without waiting for the
 * MTA-STS policy fetch, and still judges the hosts against the policy when it arrives.
 */
class SmtpCheckMtaStsLaterTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
  }

  @AfterEach
  void close() {
    lab.close();
  }

  /** An mta-sts check whose policy fetch takes {@code delay}. */
  private static Check slowMtaSts(Duration delay, MtaStsReport.Policy.Mode mode) {
    MtaStsReport.Policy policy =
        new MtaStsReport.Policy(mode, List.of("*.example.test"), Duration.ofDays(7), "1");
    return new Check() {
      @Override
      public String name() {
        return "mta-sts";
      }

      @Override
      public boolean appliesTo(DeliveryQuestion q) {
        return true;
      }

      @Override
      public CompletableFuture<MtaStsPolicyReport> run(CheckContext ctx) {
        MtaStsPolicyReport r =
            new MtaStsPolicyReport() {
              @Override
              public Optional<MtaStsReport.Policy> policy() {
                return Optional.of(policy);
              }

              @Override
              public String check() {
                return "mta-sts";
              }

              @Override
              public List<Finding> findings() {
                return List.of();
              }
            };
        CompletableFuture<MtaStsPolicyReport> f = new CompletableFuture<>();
        ctx.environment()
            .scheduler()
            .schedule(() -> f.complete(r), delay.toMillis(), TimeUnit.MILLISECONDS);
        return f;
      }
    };
  }

  @Test
  void theProbeDoesNotWaitForTheMtaStsPolicy_butIsJudgedByIt() {
    MockSmtpServer s = lab.mx(server(1).build()); // self-signed certificate
    lab.config().timeout(Duration.ofSeconds(5));
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .config(lab.config().build())
            .checks(slowMtaSts(Duration.ofMillis(1500), MtaStsReport.Policy.Mode.ENFORCE))
            .build()) {
      Instant t0 = Instant.now();
      DeliveryDiagnosis d = m.diagnose(DeliveryQuestion.to("bob@example.test"));

      assertThat(m.checks()).containsSubsequence("mx", "smtp");
      Instant connected = s.sessions().get(0).lines().get(0).at(); // the greeting, sent on connect
      assertThat(Duration.between(t0, connected))
          .as("time to the first connection")
          .isLessThan(Duration.ofMillis(1000));
      assertThat(d.findings("SMTP_MTA_STS_CERT_INVALID"))
          .singleElement()
          .satisfies(f -> assertThat(f.message()).contains("enforce"));
      assertThat(d.likelyCauses())
          .extracting(c -> c.code().name())
          .contains("RECIPIENT_MTA_STS_TLS_BROKEN");
    }
  }

  @Test
  void aPolicyThatArrivesAfterTheDeadline_leavesTheProbeReportIntact() {
    lab.mx(server(1).build());
    lab.config().timeout(Duration.ofSeconds(2));
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .config(lab.config().build())
            .checks(slowMtaSts(Duration.ofSeconds(10), MtaStsReport.Policy.Mode.ENFORCE))
            .build()) {
      DeliveryDiagnosis d = m.diagnose(DeliveryQuestion.to("bob@example.test"));

      assertThat(d.smtp()).isPresent();
      assertThat(d.findings("SMTP_ACCEPTED")).hasSize(1);
      assertThat(d.findings("SMTP_MTA_STS_CERT_INVALID")).isEmpty();
      assertThat(d.findings("CHECK_DEADLINE_EXCEEDED"))
          .extracting(Finding::check)
          .containsExactly("mta-sts");
    }
  }
}
