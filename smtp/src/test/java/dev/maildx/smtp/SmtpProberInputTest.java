package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.finding;
import static dev.maildx.smtp.ProbeLab.only;
import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.Verdict;
import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing that could inject a command reaches the wire (RFC 5321 §4.1.2, RFC 6531 §3.3): it is
 * refused before a socket opens.
 */
class SmtpProberInputTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;
  private MockSmtpServer server;

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
    server = lab.mx(server(1).build());
  }

  @AfterEach
  void noneLeft() {
    lab.close();
  }

  private void refused(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
    assertThat(server.connectionCount()).as("connections opened").isZero();
  }

  @Test
  void crLfInTheTarget_isRefusedNamingTheCharacter() {
    SmtpProber p = lab.prober();
    refused(() -> p.probe("example.test\r\nDATA"), "CR (U+000D)");
    refused(() -> p.probe("example.test\nQUIT"), "LF (U+000A)");
  }

  @Test
  void nulInTheRecipient_isRefused() {
    SmtpProber p = lab.prober();
    refused(
        () ->
            p.probe(
                ProbeRequest.builder("example.test").recipient("bob\u0000@example.test").build()),
        "NUL (U+0000)");
  }

  @Test
  void crLfInsideAQuotedLocalPart_isRefused() {
    SmtpProber p = lab.prober();
    refused(
        () ->
            p.probe(
                ProbeRequest.builder("example.test")
                    .recipient("\"x\r\nRCPT TO:<victim@else.test>\"@example.test")
                    .build()),
        "CR (U+000D)");
  }

  @Test
  void c1ControlCharacter_isRefused() {
    refused(
        () -> ProbeRequest.builder("example.test").recipient("bo\u0085b@example.test"),
        "C1 control character U+0085");
  }

  @Test
  void lineSeparator_isRefused() {
    refused(() -> ProbeRequest.of("bob\u2028x@example.test"), "line separator U+2028");
  }

  @Test
  void illegalCharacterInAnUnquotedLocalPart_isRefused() {
    refused(
        () -> ProbeRequest.builder("example.test").recipient("bob smith@example.test"),
        "character ' '");
    refused(
        () -> ProbeRequest.builder("example.test").recipient("bob<x>@example.test"),
        "character '<'");
  }

  @Test
  void illegalHostName_isRefused() {
    refused(() -> ProbeRequest.of("exa_mple.test"), "not allowed in a host name");
    refused(() -> ProbeRequest.host("mx1.example.test\u0000"), "NUL (U+0000)");
  }

  @Test
  void badEhloNameOrSender_isRefusedWhenConfigured() {
    refused(() -> ProbeOptions.builder().heloName("probe\n.example.test"), "LF (U+000A)");
    refused(() -> ProbeOptions.builder().mailFrom("a\r@example.test"), "CR (U+000D)");
  }

  @Test
  void pathLongerThan256Octets_isRefused() {
    String local = "a".repeat(64);
    String domain =
        String.join(".", List.of("b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(50)))
            + ".test";
    refused(() -> ProbeRequest.builder("example.test").recipient(local + "@" + domain), "256");
  }

  @Test
  void badPort_isRefused() {
    refused(() -> ProbeRequest.host("192.0.2.1").port(0), "port must be between 1 and 65535");
  }

  @Test
  void internationalRecipient_isNotSentWithoutSmtputf8() {
    lab.close();
    lab = new ProbeLab(dns.server());
    MockSmtpServer ascii =
        lab.mx(server(1).extensions("PIPELINING", "SIZE 1000").tls(false).build());

    ProbeReport r =
        lab.prober()
            .probe(ProbeRequest.builder("example.test").recipient("bøb@example.test").build());

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.RCPT_REJECTED);
    assertThat(finding(r, "SMTP_UTF8_UNSUPPORTED").effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(ascii.sessions().get(0).sent("MAIL")).isFalse();
    assertThat(ascii.sessions().get(0).sent("RCPT")).isFalse();
  }

  @Test
  void internationalRecipient_isSentWithSmtputf8WhenAnnounced() {
    ProbeReport r =
        lab.prober()
            .probe(ProbeRequest.builder("example.test").recipient("bøb@example.test").build());

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(server.sessions().get(0).commands())
        .contains("MAIL FROM:<> SMTPUTF8", "RCPT TO:<bøb@example.test>");
  }

  @Test
  void validInput_isAccepted() {
    ProbeRequest r =
        ProbeRequest.builder("Example.TEST.")
            .recipient("\"bob smith\"@example.test")
            .port(2525)
            .build();

    assertThat(r.domain()).hasValueSatisfying(d -> assertThat(d.ascii()).isEqualTo("example.test"));
    assertThat(r.recipient())
        .hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo("\"bob smith\"@example.test"));
    assertThat(ProbeRequest.of("[IPv6:2001:db8::25]").address()).isPresent();
    assertThat(ProbeRequest.of("bob@example.test").recipient()).isPresent();
    assertThat(ProbeRequest.host("mx1.example.test").build().hostName()).isPresent();
  }
}
