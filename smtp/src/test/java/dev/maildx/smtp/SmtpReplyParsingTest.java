package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.codes;
import static dev.maildx.smtp.ProbeLab.finding;
import static dev.maildx.smtp.ProbeLab.only;
import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reply parsing is strict and bounded (RFC 5321 §4.2): every violation is a protocol error, never a
 * hang.
 */
class SmtpReplyParsingTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
  }

  @AfterEach
  void noneLeft() {
    lab.close();
  }

  private ProbeReport probe(MockSmtpServer.Builder server) {
    return probe(server, b -> {});
  }

  private ProbeReport probe(MockSmtpServer.Builder server, Consumer<ProbeOptions.Builder> options) {
    lab.mx(server.build());
    return lab.prober(options).probe(ProbeLab.DOMAIN);
  }

  private static String protocolError(ProbeReport r) {
    assertThat(only(r).outcome())
        .as(ProbeLab.transcripts(r))
        .isEqualTo(ProbeReport.Outcome.PROTOCOL_ERROR);
    return finding(r, "SMTP_PROTOCOL_ERROR").message();
  }

  @Test
  void replyCodeThatChangesWithinAReply_isAProtocolError() {
    assertThat(
            protocolError(
                probe(
                    server(1)
                        .rawGreeting(
                            "220-mx1.example.test hello\r\n250 mx1.example.test ready\r\n",
                            false))))
        .contains("reply code changed from 220 to 250");
  }

  @Test
  void bareLf_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("220 mx1.example.test ready\n", false))))
        .contains("bare LF");
  }

  @Test
  void lineWithoutCrlfBeforeTheConnectionCloses_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("220 mx1.example.test ready", true))))
        .contains("no CRLF");
  }

  @Test
  void lineWithoutACode_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("hello there\r\n", false))))
        .contains("malformed reply line");
  }

  @Test
  void codeOutsideTheReplyRange_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("620 what\r\n", false))))
        .contains("malformed reply line");
  }

  @Test
  void codeWithoutASeparator_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("220mx1.example.test\r\n", false))))
        .contains("no space or '-'");
  }

  @Test
  void greetingOtherThan220_isAProtocolError() {
    assertThat(protocolError(probe(server(1).rawGreeting("250 mx1.example.test\r\n", false))))
        .contains("greeting must be 220");
  }

  @Test
  void codeAloneOnTheLastLine_isAccepted() {
    ProbeReport r = probe(server(1).rawGreeting("220-mx1.example.test hello\r\n220\r\n", false));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(only(r).banner().lines()).containsExactly("mx1.example.test hello", "");
  }

  @Test
  void exactlyTheLineLimit_isAcceptedAndOneMoreByteIsNot() {
    String ok = "250-" + "x".repeat(SmtpProber.MAX_LINE_BYTES - 4) + "\n250 SIZE 1000";
    assertThat(only(probe(server(1).reply("EHLO", ok))).outcome())
        .isEqualTo(ProbeReport.Outcome.ACCEPTED);
  }

  @Test
  void oneByteOverTheLineLimit_isAProtocolError() {
    String tooLong = "250-" + "x".repeat(SmtpProber.MAX_LINE_BYTES - 3) + "\n250 SIZE 1000";
    assertThat(protocolError(probe(server(1).reply("EHLO", tooLong))))
        .contains("longer than 2048 bytes");
  }

  @Test
  void theLineCountLimit_isConfigurableAndExact() {
    String hundred = ("250-ext\n").repeat(99) + "250 last";
    assertThat(only(probe(server(1).reply("EHLO", hundred), b -> b.maxReplyLines(100))).outcome())
        .isEqualTo(ProbeReport.Outcome.ACCEPTED);
  }

  @Test
  void oneLineOverTheCountLimit_isAProtocolError() {
    String tooMany = ("250-ext\n").repeat(100) + "250 last";
    assertThat(protocolError(probe(server(1).reply("EHLO", tooMany), b -> b.maxReplyLines(100))))
        .contains("more than 100 lines");
  }

  @Test
  void multiLineGreetingInParts_isOneReply() {
    ProbeReport r = probe(server(1).greeting("220-mx1.example.test ESMTP\n220-no UCE\n220 ready"));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(h.banner().lines()).containsExactly("mx1.example.test ESMTP", "no UCE", "ready");
  }

  @Test
  void controlCharactersFromTheServer_areEscapedInTheTranscript() {
    ProbeReport r = probe(server(1).greeting("220 mx1.example.test \u0007\u001b[31m ready"));

    assertThat(only(r).transcript())
        .filteredOn(l -> l.from() == ProbeReport.TranscriptLine.From.SERVER)
        .first()
        .extracting(ProbeReport.TranscriptLine::text)
        .asString()
        .contains("\\x07\\x1B[31m")
        .doesNotContain("\u0007", "\u001b");
  }

  @Test
  void unsolicitedDataAfterAReply_isAProtocolError() {
    ProbeReport r =
        probe(server(1).rawGreeting("220 mx1.example.test ready\r\n250 surprise\r\n", false));

    assertThat(only(r).phase()).isEqualTo(ProbeReport.Phase.EHLO);
    assertThat(protocolError(r)).contains("nobody asked for");
    assertThat(codes(r)).doesNotContain("SMTP_ACCEPTED");
  }
}
