package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.report.MtaStsPolicyReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.SmtpPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code smtp} check in a diagnosis: it probes the recipient's MX hosts as the {@code mx} check
 * found them.
 */
class SmtpCheckTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;
  private final List<MailDiagnostics> open = new ArrayList<>();

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
  }

  @AfterEach
  void noneLeft() {
    open.forEach(MailDiagnostics::close);
    lab.close();
  }

  private MailDiagnostics maildx(Check... extra) {
    MailDiagnostics m =
        MailDiagnostics.builder().config(lab.config().build()).checks(extra).build();
    open.add(m);
    return m;
  }

  @Test
  void diagnosis_probesTheRecipientsMxAndReportsIt() {
    lab.mx(server(1).build());

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to("bob@example.test"));

    assertThat(maildx().checks()).contains("mx", "smtp");
    ProbeReport r = d.smtp().orElseThrow();
    assertThat(r.recipient().toString()).isEqualTo("bob@example.test");
    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.ACCEPTED);
    assertThat(d.findings("SMTP_ACCEPTED")).hasSize(1);
    assertThat(d.findings("MX_OK")).hasSize(1); // reported once, by the mx check
    assertThat(d.verdict()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void unknownRecipient_makesTheDiagnosisUndeliverableWithTheCause() {
    lab.mx(
        server(1)
            .recipient(
                "bob@example.test",
                "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown")
            .build());

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to("bob@example.test"));

    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(d.likelyCauses())
        .extracting(c -> c.code().name())
        .contains("RECIPIENT_MAILBOX_UNKNOWN");
  }

  @Test
  void tarpittingGateways_areTheLikelyCause_andTheDiagnosisReturnsOnTime() {
    lab.config().timeout(Duration.ofSeconds(3));
    lab.mx(server(1).policy(SmtpPolicy.tarpit(Duration.ofSeconds(1))).build());
    lab.mx(server(2).policy(SmtpPolicy.blackHole()).build());

    long t0 = System.nanoTime();
    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to("bob@example.test"));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(ms).isLessThanOrEqualTo(3300);
    assertThat(d.findings("CHECK_DEADLINE_EXCEEDED")).isEmpty();
    assertThat(d.smtp().orElseThrow().hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.NO_BANNER, ProbeReport.Outcome.NO_BANNER);
    assertThat(d.verdict()).isEqualTo(Verdict.AT_RISK);
    LikelyCause c =
        d.likelyCauses().stream()
            .filter(x -> x.code() == LikelyCause.Code.RECIPIENT_GATEWAY_UNRESPONSIVE)
            .findFirst()
            .orElseThrow();
    assertThat(c.evidence())
        .extracting(Finding::code)
        .contains("SMTP_NO_HOST_ACCEPTS", "SMTP_TARPIT", "SMTP_NO_BANNER");
  }

  @Test
  void noSmtp_skipsTheProbe() {
    lab.mx(server(1).build());

    DeliveryDiagnosis d =
        maildx()
            .diagnose(DeliveryQuestion.builder().to("bob@example.test").smtpProbe(false).build());

    assertThat(d.smtp()).isEmpty();
    assertThat(lab.servers().get(0).connectionCount()).isZero();
  }

  @Test
  void theQuestionsSmtpPort_isProbed() {
    lab.mx(server(1).build());

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to("example.test").smtpPort(2525).build());

    ProbeReport r = d.smtp().orElseThrow();
    assertThat(r.port()).isEqualTo(2525);
    assertThat(r.hosts()).singleElement().satisfies(h -> assertThat(h.port()).isEqualTo(2525));
    assertThat(dns.server().queryCount("_2525._tcp.mx1.example.test", "TLSA")).isEqualTo(1);
  }

  @Test
  void mtaStsPolicyFromTheMtaStsCheck_judgesTheHosts() {
    lab.mx(server(1).build()); // self-signed certificate
    MtaStsReport.Policy enforce =
        new MtaStsReport.Policy(
            MtaStsReport.Policy.Mode.ENFORCE, List.of("mx1.example.test"), Duration.ofDays(7), "1");

    DeliveryDiagnosis d =
        maildx(new FakeMtaSts(enforce)).diagnose(DeliveryQuestion.to("bob@example.test"));

    assertThat(d.findings("SMTP_MTA_STS_CERT_INVALID"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("enforce"));
    assertThat(d.likelyCauses())
        .extracting(c -> c.code().name())
        .contains("RECIPIENT_MTA_STS_TLS_BROKEN");
  }

  @Test
  void unresolvableMx_isInconclusiveAndNothingIsProbed() {
    lab.config().timeout(Duration.ofSeconds(2));
    dns.server().faultAll(dev.maildx.testkit.DnsFault.servfail());

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to("bob@example.test"));

    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(d.smtp().orElseThrow().hosts()).isEmpty();
    assertThat(d.findings("SMTP_NOT_PROBED")).hasSize(1);
  }

  /** Stands in for the mta-sts check of the dns module. */
  private static final class FakeMtaSts implements Check {
    private final MtaStsReport.Policy policy;

    FakeMtaSts(MtaStsReport.Policy policy) {
      this.policy = policy;
    }

    @Override
    public String name() {
      return "mta-sts";
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return q.recipientDomain().isPresent();
    }

    @Override
    public CompletableFuture<MtaStsPolicyReport> run(CheckContext ctx) {
      return CompletableFuture.completedFuture(
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
          });
    }
  }
}
