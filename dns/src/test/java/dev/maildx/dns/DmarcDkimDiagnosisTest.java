package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.Party;
import dev.maildx.report.DmarcRecord;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dmarc and dkim checks inside a whole diagnosis (found by the service loader). */
class DmarcDkimDiagnosisTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private DeliveryDiagnosis diagnose(DeliveryQuestion q) {
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(4))
            .build()) {
      return m.diagnose(q);
    }
  }

  @Test
  void senderDomain_getsDmarcAndDkimReports() {
    dns.server()
        .mx("agency.example", 10, "mx.agency.example")
        .a("mx.agency.example", "8.8.8.8")
        .mx("corp.example", 10, "mx.corp.example")
        .a("mx.corp.example", "8.8.4.4")
        .txt("_dmarc.corp.example", "v=DMARC1; p=quarantine; rua=mailto:d@corp.example")
        .txt(
            "k9._domainkey.corp.example",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
        .txt("_dmarc.agency.example", "v=DMARC1; p=reject");

    DeliveryDiagnosis d =
        diagnose(
            DeliveryQuestion.builder()
                .from("alice@corp.example")
                .to("bob@agency.example")
                .dkimSelectors("k9")
                .smtpProbe(false)
                .build());

    assertThat(d.dmarc())
        .hasValueSatisfying(
            r -> {
              assertThat(r.domain().ascii()).isEqualTo("corp.example");
              assertThat(r.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
            });
    assertThat(d.dkimKeys()).hasValueSatisfying(r -> assertThat(r.found()).hasSize(1));
    assertThat(dns.server().queryCount("_dmarc.agency.example", "TXT"))
        .as("the recipient's DMARC is not the question")
        .isZero();
  }

  @Test
  void noSender_runsNeither() {
    dns.server().mx("agency.example", 10, "mx.agency.example").a("mx.agency.example", "8.8.8.8");

    DeliveryDiagnosis d =
        diagnose(DeliveryQuestion.builder().to("agency.example").smtpProbe(false).build());

    assertThat(d.dmarc()).isEmpty();
    assertThat(d.dkimKeys()).isEmpty();
  }

  @Test
  void enforcedDmarcWithTheProvidersKeysMissing_isALikelyCause() {
    dns.server()
        .mx("agency.example", 10, "mx.agency.example")
        .a("mx.agency.example", "8.8.8.8")
        .txt("_dmarc.corp.example", "v=DMARC1; p=reject; rua=mailto:d@corp.example")
        .mx("corp.example", 10, "mx.corp.example")
        .a("mx.corp.example", "8.8.4.4")
        .cname("selector1._domainkey.corp.example", "selector1-corp._domainkey.provider.example");

    DeliveryDiagnosis d =
        diagnose(
            DeliveryQuestion.builder()
                .from("alice@corp.example")
                .to("bob@agency.example")
                .smtpProbe(false)
                .build());

    LikelyCause c =
        d.likelyCauses().stream()
            .filter(x -> x.code() == LikelyCause.Code.SENDER_DMARC_WITHOUT_DKIM)
            .findFirst()
            .orElseThrow();
    assertThat(c.party()).isEqualTo(Party.SENDER_MAIL_PROVIDER);
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(c.summary()).contains("rejected");
    assertThat(c.evidence())
        .extracting(f -> f.code())
        .containsExactly("DMARC_OK", "DKIM_CNAME_TARGET_MISSING", "DKIM_NO_KEYS_FOUND");
  }

  @Test
  void selectorTheQuestionAcceptsButDnsCannotTake_isAFindingNotAFailure() {
    dns.server().mx("corp.example", 10, "mx.corp.example").a("mx.corp.example", "8.8.4.4");

    DeliveryDiagnosis d =
        diagnose(
            DeliveryQuestion.builder()
                .from("alice@corp.example")
                .dkimSelectors("s".repeat(70))
                .smtpProbe(false)
                .build());

    assertThat(d.findings("DKIM_SELECTOR_INVALID"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("dkim");
              assertThat(f.message()).contains("63 characters");
            });
    assertThat(d.findings("CHECK_FAILED")).isEmpty();
  }
}
