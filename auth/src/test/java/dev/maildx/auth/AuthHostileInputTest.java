package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.testkit.MockDnsExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages built to exhaust a verifier: each ends in findings, with the work bounded (DNS queries
 * counted, memory bounded by the limits), never an exception.
 */
class AuthHostileInputTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private MessageAuthenticator auth;

  private MessageAuthenticator auth(AuthOptions options) {
    auth =
        MessageAuthenticator.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(5))
                    .build()),
            options);
    return auth;
  }

  @AfterEach
  void close() {
    if (auth != null) {
      auth.close();
    }
  }

  private AuthReport run(String message) {
    return auth(AuthOptions.defaults())
        .authenticate(message.getBytes(StandardCharsets.ISO_8859_1), SmtpEnvelope.NONE);
  }

  @Test
  void headerLineWithoutEnd_isCutAtTheLimit() {
    AuthReport r =
        auth(AuthOptions.builder().maxHeaderBytes(64 * 1024).build())
            .authenticate(new EndlessStream((byte) 'A'), "endless", SmtpEnvelope.NONE);

    assertThat(r.findings())
        .anyMatch(f -> f.code().equals("AUTH_HEADER_TOO_LARGE") && f.inconclusive());
    assertThat(r.messageBytes()).isLessThan(64 * 1024 + MessageReaderLimits.BUFFER + 1);
  }

  @Test
  void endlessBody_isCutAtTheMessageLimit_andItsSignatureNotVerified() {
    String head =
        "From: a@example.test\r\nDKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=s; h=from; bh=AA==; b=AA==\r\n\r\n";
    InputStream in =
        new java.io.SequenceInputStream(
            new java.io.ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)),
            new EndlessStream((byte) 'x'));

    AuthReport r =
        auth(AuthOptions.builder().maxMessageBytes(1 << 20).build())
            .authenticate(in, "endless", SmtpEnvelope.NONE);

    assertThat(r.messageBytes()).isEqualTo(1 << 20);
    assertThat(r.findings()).anyMatch(f -> f.code().equals("AUTH_MESSAGE_TOO_LARGE"));
    assertThat(r.dkim())
        .extracting(AuthReport.DkimSignature::failure)
        .containsExactly(Failure.NOT_VERIFIED);
  }

  @Test
  void thousandsOfSignatures_causeAtMostTheLimitOfKeyLookups() {
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      m.append("DKIM-Signature: v=1; a=rsa-sha256; d=d")
          .append(i)
          .append(".test; s=s; h=from; bh=AA==; b=AA==\r\n");
    }
    m.append("From: a@example.test\r\n\r\nbody\r\n");

    AuthReport r = run(m.toString());

    assertThat(r.dkim()).hasSize(MessageReaderLimits.MAX_FIELDS);
    assertThat(r.dkim().stream().filter(s -> s.failure() == Failure.NOT_VERIFIED))
        .hasSize(r.dkim().size() - AuthOptions.DEFAULT_MAX_SIGNATURES);
    assertThat(dns.server().queries().stream().filter(q -> q.name().contains("._domainkey.")))
        .hasSize(AuthOptions.DEFAULT_MAX_SIGNATURES);
    assertThat(r.findings()).anyMatch(f -> f.code().equals("AUTH_TOO_MANY_HEADER_FIELDS"));
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("DKIM_NOT_VERIFIED"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains(
                        (MessageReaderLimits.MAX_FIELDS - AuthOptions.DEFAULT_MAX_SIGNATURES)
                            + " signatures"));
  }

  @Test
  void thousandsOfSignaturesBelowTheFrom_stillGiveADmarcResult() {
    StringBuilder m = new StringBuilder("From: a@example.test\r\n");
    for (int i = 0; i < 1500; i++) {
      m.append("DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=s")
          .append(i)
          .append("; h=from; bh=AA==; b=AA==\r\n");
    }
    m.append("\r\nbody\r\n");

    AuthReport r = run(m.toString());

    assertThat(r.dkim()).hasSize(1500);
    assertThat(r.dmarcResult()).isNotNull();
    assertThat(r.findings()).anyMatch(f -> f.code().startsWith("AUTH_DMARC_"));
  }

  @Test
  void hugeSignedHeaderList_isMalformed_withoutWork() {
    String h = "from:" + "x:".repeat(200_000) + "to";
    AuthReport r =
        run(
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=s; h="
                + h
                + "; bh=AA==; b=AA==\r\nFrom: a@example.test\r\n\r\nb\r\n");

    assertThat(r.dkim().get(0).failure()).isEqualTo(Failure.MALFORMED);
    assertThat(r.dkim().get(0).reason()).contains("more than 512");
    assertThat(dns.server().queries().stream().filter(q -> q.name().contains("._domainkey.")))
        .isEmpty();
  }

  @Test
  void sixtyArcSets_failWithoutLookups() {
    StringBuilder m = new StringBuilder();
    for (int i = 60; i >= 1; i--) {
      m.append("ARC-Seal: i=")
          .append(i)
          .append("; a=rsa-sha256; cv=pass; d=example.test; s=s; b=AA==\r\n");
      m.append("ARC-Message-Signature: i=")
          .append(i)
          .append("; a=rsa-sha256; d=example.test; s=s; h=from; bh=AA==; b=AA==\r\n");
      m.append("ARC-Authentication-Results: i=").append(i).append("; example.test; none\r\n");
    }
    m.append("From: a@example.test\r\n\r\nb\r\n");

    AuthReport r = run(m.toString());

    assertThat(r.arc().status()).isEqualTo(AuthReport.Arc.ChainStatus.FAIL);
    assertThat(r.arc().reason()).contains("at most 50");
    assertThat(dns.server().queries().stream().filter(q -> q.name().contains("._domainkey.")))
        .isEmpty();
  }

  @Test
  void pathologicalFromAndRandomBytes_endInFindings() {
    String deep =
        "From: "
            + "(".repeat(100_000)
            + "x"
            + ")".repeat(100_000)
            + " <a@example.test>\r\n\r\nb\r\n";
    AuthReport r = run(deep);
    assertThat(r.findings()).isNotEmpty();

    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] junk = new byte[random.nextInt(4000)];
      random.nextBytes(junk);
      AuthReport j = auth(AuthOptions.defaults()).authenticate(junk, SmtpEnvelope.NONE);
      assertThat(j.findings()).extracting(Finding::code).isNotEmpty();
      close();
    }
  }

  /** Constants of the reader the assertions refer to. */
  static final class MessageReaderLimits {
    static final int BUFFER = dev.maildx.internal.mail.MessageReader.BUFFER;
    static final int MAX_FIELDS = dev.maildx.auth.internal.MessageVerification.MAX_FIELDS;
  }

  /** A stream that never ends. */
  static final class EndlessStream extends InputStream {
    private final byte b;

    EndlessStream(byte b) {
      this.b = b;
    }

    @Override
    public int read() {
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      java.util.Arrays.fill(buf, off, off + len, b);
      return len;
    }
  }
}
