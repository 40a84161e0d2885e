package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.report.AuthReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code auth} check inside a whole diagnosis (found by the service loader) when the question
 * has a message.
 */
class AuthDiagnosisTest {
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
  void questionWithAMessage_getsTheAuthReport_withTheQuestionsEnvelope(@TempDir Path dir)
      throws Exception {
    KeyPair keys = DkimSigner.rsaKeyPair(2048);
    dns.server()
        .txt(
            "s1._domainkey.corp.example",
            DkimSigner.txtStrings(DkimSigner.keyRecord(keys.getPublic())))
        .txt("_dmarc.corp.example", "v=DMARC1; p=reject")
        .txt("corp.example", "v=spf1 ip4:203.0.113.0/24 -all")
        .mx("corp.example", 10, "mx.corp.example")
        .a("mx.corp.example", "8.8.4.4");
    Path message = dir.resolve("received.eml");
    String signed =
        DkimSigner.builder("corp.example", "s1", keys.getPrivate())
            .build()
            .sign(
                "From: alice@corp.example\r\nTo: bob@agency.example\r\nSubject: hi\r\n\r\nHello\r\n");
    Files.writeString(message, signed.replace("Hello", "Hello, edited by a gateway"));

    DeliveryDiagnosis d =
        diagnose(
            DeliveryQuestion.builder()
                .from("alice@corp.example")
                .sendingIp("198.51.100.9")
                .message(message)
                .smtpProbe(false)
                .build());

    assertThat(d.auth())
        .hasValueSatisfying(
            r -> {
              assertThat(r.source()).isEqualTo(message.toString());
              assertThat(r.dkim())
                  .extracting(AuthReport.DkimSignature::failure)
                  .containsExactly(AuthReport.DkimSignature.Failure.BODY_HASH_MISMATCH);
              assertThat(r.spf().spfResult()).isEqualTo(dev.maildx.report.SpfResult.FAIL);
              assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
            });
    assertThat(d.findings("AUTH_DMARC_FAIL"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("auth");
              assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
            });
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(d.likelyCauses())
        .first()
        .satisfies(
            c -> {
              assertThat(c.code().name()).isEqualTo("SENDER_DMARC_WILL_REJECT");
              assertThat(c.summary()).contains("the message fails DMARC for corp.example");
              assertThat(c.evidence())
                  .extracting(dev.maildx.Finding::code)
                  .contains("AUTH_DMARC_FAIL");
            });
  }

  @Test
  void questionWithAMessageInMemory_isAuthenticatedAsTheSameFileIs(@TempDir Path dir)
      throws Exception {
    KeyPair keys = DkimSigner.rsaKeyPair(2048);
    dns.server()
        .txt(
            "s1._domainkey.corp.example",
            DkimSigner.txtStrings(DkimSigner.keyRecord(keys.getPublic())))
        .txt("_dmarc.corp.example", "v=DMARC1; p=reject")
        .txt("corp.example", "v=spf1 ip4:203.0.113.0/24 -all");
    byte[] signed =
        DkimSigner.builder("corp.example", "s1", keys.getPrivate())
            .build()
            .sign(
                "From: alice@corp.example\r\nTo: bob@agency.example\r\nSubject: hi\r\n\r\nHello\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path message = Files.write(dir.resolve("received.eml"), signed);
    DeliveryQuestion.Builder q =
        DeliveryQuestion.builder()
            .from("alice@corp.example")
            .sendingIp("203.0.113.7")
            .smtpProbe(false);

    AuthReport fromFile = diagnose(q.message(message).build()).auth().orElseThrow();
    AuthReport inMemory = diagnose(q.message(signed).build()).auth().orElseThrow();

    assertThat(inMemory.source()).isEqualTo(DeliveryQuestion.Source.IN_MEMORY_MESSAGE);
    assertThat(fromFile.source()).isEqualTo(message.toString());
    assertThat(inMemory.dkim())
        .isEqualTo(fromFile.dkim())
        .extracting(AuthReport.DkimSignature::failure)
        .containsExactly(AuthReport.DkimSignature.Failure.NONE);
    assertThat(inMemory.dmarcResult())
        .isEqualTo(fromFile.dmarcResult())
        .isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(inMemory.messageBytes()).isEqualTo(fromFile.messageBytes()).isEqualTo(signed.length);
    assertThat(inMemory.findings())
        .extracting(dev.maildx.Finding::code)
        .containsExactlyElementsOf(
            fromFile.findings().stream().map(dev.maildx.Finding::code).toList());
  }

  @Test
  void messageFromAQuotedDisplayNameHoldingAnAddress_isAuthoredByTheAddressAfterIt() {
    // RFC 5322 §3.4: the quoted display name is text; the mailbox is the addr-spec after it
    KeyPair keys = DkimSigner.rsaKeyPair(2048);
    dns.server()
        .txt(
            "s1._domainkey.corp.example",
            DkimSigner.txtStrings(DkimSigner.keyRecord(keys.getPublic())))
        .txt("_dmarc.corp.example", "v=DMARC1; p=reject");
    byte[] signed =
        DkimSigner.builder("corp.example", "s1", keys.getPrivate())
            .build()
            .sign(
                "From: \"Johnson, Joe <joe@corp.example>\" joe@corp.example\r\nTo: bob@agency.example\r\n"
                    + "Subject: hi\r\n\r\nHello\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    DeliveryDiagnosis d =
        diagnose(
            DeliveryQuestion.builder()
                .from("joe@corp.example")
                .message(signed)
                .smtpProbe(false)
                .build());

    AuthReport r = d.auth().orElseThrow();
    assertThat(r.from().addresses()).containsExactly("joe@corp.example");
    assertThat(r.from().displayNames()).containsExactly("Johnson, Joe <joe@corp.example>");
    assertThat(r.from().domains()).extracting(n -> n.ascii()).containsExactly("corp.example");
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(d.findings())
        .extracting(dev.maildx.Finding::code)
        .contains("AUTH_DMARC_PASS")
        .noneMatch(c -> c.startsWith("AUTH_FROM_"));
  }

  @Test
  void questionWithoutAMessage_hasNoAuthReport() {
    dns.server().mx("corp.example", 10, "mx.corp.example").a("mx.corp.example", "8.8.4.4");

    assertThat(
            diagnose(DeliveryQuestion.builder().from("alice@corp.example").smtpProbe(false).build())
                .auth())
        .isEmpty();
  }
}
