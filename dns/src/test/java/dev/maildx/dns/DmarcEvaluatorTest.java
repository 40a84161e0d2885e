package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcEvaluation.Result;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.DmarcRecord;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DMARC validation of a message's identifiers against a real DNS server on loopback (RFC 9989 §4.4,
 * §4.10, §5.3).
 */
class DmarcEvaluatorTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  private DmarcEvaluator evaluator;

  private DmarcEvaluator evaluator() {
    evaluator =
        DmarcEvaluator.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(700))
                    .build()));
    return evaluator;
  }

  @AfterEach
  void close() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  private MockDnsServer dns() {
    return dnsExtension.server();
  }

  @Test
  void alignedDkimSubdomain_passesRelaxed() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder()
                    .from("alice@example.com")
                    .dkim("mail.example.com", true)
                    .build());

    assertThat(e.result()).isEqualTo(Result.PASS);
    assertThat(e.dkim().aligned()).isEqualTo(DomainName.of("mail.example.com"));
    assertThat(e.dkim().alignedOrganizationalDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(e.disposition()).isEqualTo(DmarcRecord.Policy.NONE);
    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(e.authenticationResult())
        .isEqualTo("dmarc=pass (p=reject dis=none) header.from=example.com");
  }

  @Test
  void strictAlignment_failsASubdomainAndSaysWhy() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=quarantine; aspf=s");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder().from("example.com").spf("bounces.example.com", true).build());

    assertThat(e.result()).isEqualTo(Result.FAIL);
    assertThat(e.spf().strict()).isTrue();
    assertThat(e.disposition()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(e.reasons())
        .anyMatch(r -> r.contains("strict") && r.contains("bounces.example.com"));
  }

  @Test
  void failedIdentifiers_neverAlign() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder()
                    .from("example.com")
                    .spf("example.com", false)
                    .dkim("example.com", false)
                    .build());

    assertThat(e.result()).isEqualTo(Result.FAIL);
    assertThat(e.reasons()).anyMatch(r -> r.contains("did not pass"));
  }

  @Test
  void testingMode_lowersThePolicyOneLevel() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y");

    DmarcEvaluation e = evaluator().evaluate(DmarcInput.builder().from("example.com").build());

    assertThat(e.result()).isEqualTo(Result.FAIL);
    assertThat(e.publishedPolicy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(e.testing()).isTrue();
  }

  @Test
  void pct_doesNotChangeTheOutcomeButIsExplained() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=20");

    DmarcEvaluation e =
        evaluator()
            .evaluate(DmarcInput.builder().from("example.com").dkim("other.example", true).build());

    assertThat(e.result()).isEqualTo(Result.FAIL);
    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(e.reasons())
        .anyMatch(r -> r.contains("pct=20") && r.contains("20% of failing mail"));
  }

  @Test
  void identifierWalk_isOnlyMadeBelowTheAuthorsOrganizationalDomain_andNamesAreAskedOnce() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder()
                    .from("user@a.b.example.com")
                    .spf("esp.example.net", true)
                    .dkim("b.example.com", true)
                    .build());

    assertThat(e.result()).isEqualTo(Result.PASS);
    assertThat(dns().queryCount("_dmarc.esp.example.net", "TXT")).isZero();
    assertThat(dns().queryCount("_dmarc.example.com", "TXT")).isEqualTo(1);
    assertThat(dns().queryCount("_dmarc.b.example.com", "TXT")).isEqualTo(1);
  }

  @Test
  void publicSuffixDomainPolicy_isUsedWhenTheOrgDomainHasNone() {
    dns()
        .txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine; psd=y")
        .a("mail.giant.bank.example", "192.0.2.1");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder()
                    .from("mail.giant.bank.example")
                    .dkim("giant.bank.example", true)
                    .build());

    assertThat(e.organizationalDomain()).isEqualTo(DomainName.of("giant.bank.example"));
    assertThat(e.policyDomain()).isEqualTo(DomainName.of("bank.example"));
    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(e.result()).isEqualTo(Result.PASS);
  }

  @Test
  void nonExistentSubdomain_getsNp() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=none; np=reject");

    DmarcEvaluation e =
        evaluator().evaluate(DmarcInput.builder().from("spoof.example.com").build());

    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(e.reasons()).anyMatch(r -> r.contains("non-existent"));
  }

  @Test
  void rfc7489Receivers_canReachADifferentResult() {
    dns().txt("_dmarc.mail.example.com", "v=DMARC1; p=reject");

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder().from("mail.example.com").dkim("example.com", true).build());

    assertThat(e.result()).isEqualTo(Result.FAIL);
    assertThat(e.rfc7489Result()).isEqualTo(Result.PASS);
    assertThat(e.reasons()).anyMatch(r -> r.contains("RFC 7489"));
  }

  @Test
  void dnsFailure_isTemperrorNeverFail() {
    dns().fault("_dmarc.example.com", DnsFault.servfail());

    DmarcEvaluation e =
        evaluator()
            .evaluate(DmarcInput.builder().from("example.com").dkim("other.example", true).build());

    assertThat(e.result()).isEqualTo(Result.TEMPERROR);
    assertThat(e.detail()).contains("SERVFAIL");
    assertThat(e.disposition()).isEqualTo(DmarcRecord.Policy.NONE);
  }

  @Test
  void failingIdentifierWalk_isTemperrorWithThePolicy() {
    dns()
        .txt("_dmarc.example.com", "v=DMARC1; p=reject")
        .fault("_dmarc.mail.example.com", DnsFault.servfail());

    DmarcEvaluation e =
        evaluator()
            .evaluate(
                DmarcInput.builder().from("example.com").dkim("mail.example.com", true).build());

    assertThat(e.result()).isEqualTo(Result.TEMPERROR);
    assertThat(e.policy()).isEqualTo(DmarcRecord.Policy.REJECT);
  }

  @Test
  void noRecord_isNone() {
    DmarcEvaluation e =
        evaluator()
            .evaluate(DmarcInput.builder().from("example.com").dkim("example.com", true).build());

    assertThat(e.result()).isEqualTo(Result.NONE);
    assertThat(e.policy()).isNull();
    assertThat(e.authenticationResult()).isEqualTo("dmarc=none header.from=example.com");
  }

  @Test
  void walksPerMessage_areCapped() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
    DmarcInput.Builder b = DmarcInput.builder().from("example.com");
    for (int i = 0; i < 30; i++) {
      b.dkim("s" + i + ".example.com", true);
    }

    evaluator().evaluate(b.build());

    long walked =
        dns().queries().stream()
            .filter(q -> q.name().matches("_dmarc\\.s\\d+\\.example\\.com"))
            .count();
    assertThat(walked).isEqualTo(DmarcEvaluator.MAX_WALKED);
  }

  @Test
  void input_isValidated() {
    assertThatThrownBy(() -> DmarcInput.builder().from("not a domain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DmarcInput.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("From");
  }
}
