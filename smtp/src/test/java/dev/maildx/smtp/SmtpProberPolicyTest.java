package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.codes;
import static dev.maildx.smtp.ProbeLab.finding;
import static dev.maildx.smtp.ProbeLab.only;
import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.TestCertificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every misbehaviour {@link MockSmtpServer} can show, probed with a 3 s deadline: each yields its
 * outcome and a finding that explains it, finishes within 3.3 s, sends no DATA, and leaves no
 * thread or socket behind ({@link ProbeLab#close()}).
 */
class SmtpProberPolicyTest {
  private static final long BUDGET_MS = 3300;

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
    return probe(server, b -> {}, "bob@" + ProbeLab.DOMAIN);
  }

  private ProbeReport probe(
      MockSmtpServer.Builder server, Consumer<ProbeOptions.Builder> options, String target) {
    lab.mx(server.build());
    SmtpProber prober = lab.prober(options);
    long t0 = System.nanoTime();
    ProbeReport r = prober.probe(target);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).as("probe of %s took %d ms", target, ms).isLessThanOrEqualTo(BUDGET_MS);
    return r;
  }

  @Test
  void wellBehavedServer_isAcceptedWithEveryPhaseTimed() {
    ProbeReport r = probe(server(1));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.QUIT);
    assertThat(h.banner().code()).isEqualTo(220);
    assertThat(h.esmtp()).isTrue();
    assertThat(h.extensions().keywords())
        .contains("PIPELINING", "SIZE", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "STARTTLS");
    assertThat(h.extensions().size()).hasValue(10240000);
    assertThat(h.extensionsAfterTls().startTls()).isFalse();
    assertThat(h.tls().protocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(h.rcpt().code()).isEqualTo(250);
    assertThat(h.rcpt().status().toString()).isEqualTo("2.1.5");
    assertThat(h.timings())
        .containsKeys(
            ProbeReport.Phase.CONNECT,
            ProbeReport.Phase.GREETING,
            ProbeReport.Phase.EHLO,
            ProbeReport.Phase.STARTTLS,
            ProbeReport.Phase.TLS_EHLO,
            ProbeReport.Phase.MAIL,
            ProbeReport.Phase.RCPT,
            ProbeReport.Phase.CATCH_ALL,
            ProbeReport.Phase.RSET,
            ProbeReport.Phase.QUIT);
    assertThat(h.greetingFirstByte()).isNotNull();
    assertThat(codes(r)).contains("SMTP_ACCEPTED", "TLS_OK").doesNotContain("SMTP_NO_HOST_ACCEPTS");
    assertThat(r.findings())
        .noneMatch(f -> f.effect() == Verdict.UNDELIVERABLE || f.effect() == Verdict.INCONCLUSIVE);
    List<String> sent = lab.servers().get(0).sessions().get(0).commands();
    assertThat(sent.get(0)).isEqualTo("EHLO [127.0.0.1]");
    assertThat(sent)
        .contains("STARTTLS", "MAIL FROM:<>", "RCPT TO:<bob@example.test>", "RSET", "QUIT");
  }

  @Test
  void transcript_recordsEveryLineWithItsTime() {
    ProbeReport r = probe(server(1));

    List<ProbeReport.TranscriptLine> t = only(r).transcript();
    assertThat(t)
        .extracting(ProbeReport.TranscriptLine::from)
        .contains(
            ProbeReport.TranscriptLine.From.CLIENT,
            ProbeReport.TranscriptLine.From.SERVER,
            ProbeReport.TranscriptLine.From.NOTE);
    assertThat(t)
        .anyMatch(
            l ->
                l.from() == ProbeReport.TranscriptLine.From.SERVER
                    && l.text().startsWith("220 mx1.example.test"));
    assertThat(t)
        .anyMatch(
            l ->
                l.from() == ProbeReport.TranscriptLine.From.CLIENT
                    && l.text().equals("RCPT TO:<bob@example.test>"));
    for (int i = 1; i < t.size(); i++) {
      assertThat(t.get(i).at()).isGreaterThanOrEqualTo(t.get(i - 1).at());
    }
  }

  @Test
  void blackHole_isNoBanner() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.blackHole()));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.NO_BANNER);
    assertThat(h.timedOut()).isTrue();
    assertThat(h.greetingFirstByte()).isNull();
    Finding f = finding(r, "SMTP_NO_BANNER");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).contains("black hole");
    assertThat(codes(r)).contains("SMTP_NO_HOST_ACCEPTS");
  }

  @Test
  void slowGreeting_isAcceptedAndReported() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.slowGreeting(Duration.ofMillis(1300))));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    // 50 ms for the two clocks (the server's from accept(), the probe's from connect()).
    assertThat(h.greetingFirstByte()).isGreaterThanOrEqualTo(Duration.ofMillis(1250));
    assertThat(h.timings().get(ProbeReport.Phase.GREETING))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1250));
    assertThat(finding(r, "SMTP_SLOW_GREETING").message()).contains("to greet");
  }

  @Test
  void tarpit_isNoBannerWithTheTarpitExplained() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.tarpit(Duration.ofMillis(700))));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.NO_BANNER);
    // The server's 700 ms start at its accept(), the probe's at its connect(): the two clocks may
    // differ by a scheduling tick either way (CI measured 699.0 ms), so allow 50 ms.
    assertThat(h.greetingFirstByte()).isGreaterThanOrEqualTo(Duration.ofMillis(650));
    Finding f = finding(r, "SMTP_TARPIT");
    assertThat(f.message()).contains("trickles", "tarpit");
    assertThat(f.evidence().get("received")).startsWith("2");
  }

  @Test
  void closeAfterEhlo_isDisconnected() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.closeAfterEhlo()));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.DISCONNECTED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.EHLO);
    assertThat(h.timedOut()).isFalse();
    assertThat(finding(r, "SMTP_DISCONNECTED").message())
        .contains("closed the connection during EHLO");
  }

  @Test
  void greeting421_isATemporaryRefusal() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.greeting421()));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.BANNER_REJECTED);
    assertThat(h.banner().code()).isEqualTo(421);
    Finding f = finding(r, "SMTP_GREETING_DEFERRED");
    assertThat(f.message()).contains("421", "temporary refusal");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void greeting554WithABlocklistUrl_saysTheProbingIpIsListed() {
    ProbeReport r =
        probe(
            server(1)
                .greeting(
                    "554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using zen.spamhaus.org; "
                        + "https://www.spamhaus.org/query/ip/192.0.2.99"));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.BANNER_REJECTED);
    assertThat(codes(r)).contains("SMTP_GREETING_REJECTED").doesNotContain("SMTP_NO_HOST_ACCEPTS");
    Finding f = finding(r, "SMTP_PROBE_IP_LISTED");
    assertThat(f.effect()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(f.message()).contains("probing IP address", "not about the sender");
    assertThat(f.evidence().get("url")).isEqualTo("https://www.spamhaus.org/query/ip/192.0.2.99");
    assertThat(lab.servers().get(0).sessions().get(0).commands()).containsExactly("QUIT");
  }

  @Test
  void endlessMultilineReply_isAProtocolError() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.endlessMultiline()));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.PROTOCOL_ERROR);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.EHLO);
    assertThat(finding(r, "SMTP_PROTOCOL_ERROR").message())
        .contains("more than 100 lines in one reply");
  }

  @Test
  void oneMebibyteLine_isAProtocolErrorAndIsNotBuffered() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.hugeLine(1 << 20)));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.PROTOCOL_ERROR);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.GREETING);
    assertThat(finding(r, "SMTP_PROTOCOL_ERROR").message()).contains("longer than 2048 bytes");
    assertThat(h.transcript()).allMatch(l -> l.text().length() < 700);
  }

  @Test
  void tlsHandshakeFailure_isTlsFailed() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.tlsHandshakeFailure()));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.TLS_FAILED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.STARTTLS);
    assertThat(finding(r, "SMTP_TLS_FAILED").message())
        .contains("require TLS")
        .containsAnyOf("TLS handshake failed", "instead of a TLS handshake");
  }

  @Test
  void starttlsRefused_isTlsFailed() {
    ProbeReport r =
        probe(server(1).reply("STARTTLS", "454 4.7.0 TLS not available due to local problem"));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.TLS_FAILED);
    assertThat(finding(r, "SMTP_STARTTLS_REJECTED").message()).contains("454");
  }

  @Test
  void expiredCertificate_isStillAcceptedButReported() {
    ProbeReport r = probe(server(1).certificate(TestCertificate.expired("mx1.example.test")));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(h.tls().expired()).isTrue();
    assertThat(h.tls().trusted()).isFalse();
    assertThat(finding(r, "TLS_CERT_EXPIRED").message()).contains("validity period");
  }

  @Test
  void selfSignedCertificate_isCapturedAndFlaggedUntrusted() {
    ProbeReport r = probe(server(1).certificate(TestCertificate.selfSigned("mx1.example.test")));

    ProbeReport.Host h = only(r);
    assertThat(h.tls().trusted()).isFalse();
    assertThat(h.tls().trustProblem()).isEqualTo("self-signed certificate");
    assertThat(h.tls().selfSigned()).isTrue();
    assertThat(h.tls().hostnameMatches()).isTrue();
    assertThat(h.tls().leaf().subject()).isEqualTo("CN=mx1.example.test");
    assertThat(h.tls().leaf().dnsNames()).containsExactly("mx1.example.test");
    assertThat(h.tls().leaf().keyAlgorithm()).isEqualTo("EC");
    assertThat(h.tls().leaf().keySize()).isEqualTo(256);
    assertThat(finding(r, "TLS_CERT_SELF_SIGNED").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void wrongNameCertificate_isANameMismatch() {
    ProbeReport r = probe(server(1).certificate(TestCertificate.selfSigned("other.example.net")));

    assertThat(only(r).tls().hostnameMatches()).isFalse();
    assertThat(finding(r, "TLS_CERT_NAME_MISMATCH").message())
        .contains("does not name mx1.example.test", "other.example.net");
  }

  @Test
  void greylisting450_isDeferredAndExplained() {
    ProbeReport r =
        probe(
            server(1)
                .recipient(
                    "bob@example.test",
                    "450 4.7.1 <bob@example.test>: Recipient address rejected: Greylisted"));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.RCPT_DEFERRED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.RCPT);
    Finding f = finding(r, "SMTP_RCPT_GREYLISTED");
    assertThat(f.message()).contains("probably greylisting", "retries");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(lab.servers().get(0).sessions().get(0).commands()).endsWith("RSET", "QUIT");
  }

  @Test
  void userUnknown550_isUndeliverable() {
    ProbeReport r =
        probe(
            server(1)
                .recipient(
                    "bob@example.test",
                    "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in local recipient table"));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.RCPT_REJECTED);
    assertThat(h.rcpt().status().toString()).isEqualTo("5.1.1");
    Finding f = finding(r, "SMTP_RCPT_USER_UNKNOWN");
    assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(f.message()).contains("no such mailbox");
    assertThat(codes(r)).doesNotContain("SMTP_CATCH_ALL");
  }

  @Test
  void catchAll_isDetectedWithARandomAddress() {
    ProbeReport r = probe(server(1));

    ProbeReport.Host h = only(r);
    assertThat(h.catchAll().code()).isEqualTo(250);
    assertThat(finding(r, "SMTP_CATCH_ALL").message())
        .contains("random address", "does not prove the mailbox exists");
    List<String> sent = lab.servers().get(0).sessions().get(0).commands();
    assertThat(sent).anyMatch(c -> c.matches("RCPT TO:<maildx-probe-[0-9a-f]{24}@example\\.test>"));
  }

  @Test
  void serverThatRejectsUnknownAddresses_isNotACatchAll() {
    ProbeReport r =
        probe(
            server(1)
                .recipient("bob@example.test", "250 2.1.5 Ok")
                .otherRecipients("550 5.1.1 User unknown"));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(only(r).catchAll().code()).isEqualTo(550);
    assertThat(codes(r)).contains("SMTP_ACCEPTED").doesNotContain("SMTP_CATCH_ALL");
  }

  @Test
  void dataBeforeGreeting_isAProtocolError() {
    ProbeReport r = probe(server(1).policy(SmtpPolicy.dataBeforeGreeting()));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.PROTOCOL_ERROR);
    assertThat(finding(r, "SMTP_PROTOCOL_ERROR").message()).contains("greeting");
  }

  @Test
  void hundredThousandExtensionLines_isAProtocolErrorAfterTheLimit() {
    String[] extensions = new String[100_000];
    for (int i = 0; i < extensions.length; i++) {
      extensions[i] = "X-EXTENSION-" + i;
    }
    ProbeReport r = probe(server(1).extensions(extensions));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.PROTOCOL_ERROR);
    assertThat(only(r).phase()).isEqualTo(ProbeReport.Phase.EHLO);
    assertThat(finding(r, "SMTP_PROTOCOL_ERROR").message()).contains("more than 100 lines");
    assertThat(only(r).transcript().size()).isLessThanOrEqualTo(400);
  }

  @Test
  void hundredCertificateChain_endsOnTimeWithTheTlsFailureExplained() {
    TestCertificate leaf = TestCertificate.longChain(100, "mx1.example.test");
    assertThat(leaf.chain()).hasSize(100);
    ProbeReport r = probe(server(1).certificate(leaf));

    // The JDK refuses a handshake message over 32 KiB (jdk.tls.maxHandshakeMessageSize) before any
    // certificate is parsed: the probe ends at STARTTLS, on time, with the reason.
    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.TLS_FAILED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.STARTTLS);
    assertThat(finding(r, "SMTP_TLS_FAILED").message()).contains("handshake");
  }

  @Test
  void slowRcpt_isATimeoutAtRcpt() {
    ProbeReport r =
        probe(
            server(1).delay("RCPT", Duration.ofMillis(3500)),
            b -> b.commandTimeout(Duration.ofMillis(800)),
            "bob@" + ProbeLab.DOMAIN);

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.DISCONNECTED);
    assertThat(h.phase()).isEqualTo(ProbeReport.Phase.RCPT);
    assertThat(h.timedOut()).isTrue();
    assertThat(finding(r, "SMTP_TIMEOUT").message()).contains("stopped answering during RCPT TO");
  }

  @Test
  void replyCutByTheOverallDeadline_isInconclusiveNotAServerFault() {
    ProbeReport r =
        probe(server(1).delay("RCPT", Duration.ofMillis(3500)), b -> {}, "bob@" + ProbeLab.DOMAIN);

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.DISCONNECTED);
    assertThat(finding(r, "SMTP_PROBE_INCOMPLETE").effect()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(codes(r)).doesNotContain("SMTP_TIMEOUT", "SMTP_NO_HOST_ACCEPTS");
  }

  @Test
  void ehloRefused_fallsBackToHelo() {
    ProbeReport r = probe(server(1).reply("EHLO", "502 5.5.2 Error: command not recognized"));

    ProbeReport.Host h = only(r);
    assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(h.esmtp()).isFalse();
    assertThat(h.tls()).isNull();
    assertThat(codes(r)).contains("SMTP_NO_ESMTP");
    assertThat(lab.servers().get(0).sessions().get(0).commands()).contains("HELO [127.0.0.1]");
  }

  @Test
  void ehloAndHeloRefused_isEhloRejected() {
    ProbeReport r =
        probe(server(1).reply("EHLO", "550 5.7.1 go away").reply("HELO", "550 5.7.1 go away"));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.EHLO_REJECTED);
    assertThat(finding(r, "SMTP_EHLO_REJECTED").message()).contains("550");
  }

  @Test
  void noStarttls_isAWarning() {
    ProbeReport r = probe(server(1).tls(false));

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(only(r).tls()).isNull();
    assertThat(finding(r, "SMTP_NO_STARTTLS").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void refusedConnection_isConnectRefusedAndInconclusiveWhenNoServerAnswers() throws Exception {
    java.net.InetSocketAddress closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = (java.net.InetSocketAddress) s.getLocalSocketAddress();
    }
    lab.mx(closedPort);

    ProbeReport r = lab.prober().probe("bob@" + ProbeLab.DOMAIN);

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.CONNECT_REFUSED);
    assertThat(finding(r, "SMTP_CONNECT_REFUSED").effect()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(finding(r, "SMTP_UNREACHABLE").message())
        .contains("port 25 is blocked where maildx runs");
  }

  @Test
  void refusedBackupBehindAWorkingPrimary_isOnlyAWarning() throws Exception {
    java.net.InetSocketAddress closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = (java.net.InetSocketAddress) s.getLocalSocketAddress();
    }
    lab.mx(server(1).build());
    lab.mx(closedPort);

    ProbeReport r = lab.prober().probe("bob@" + ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.ACCEPTED, ProbeReport.Outcome.CONNECT_REFUSED);
    Finding f = finding(r, "SMTP_CONNECT_REFUSED");
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(f.message()).contains("backup");
  }

  @Test
  void refusedConnectionBesideAWorkingServer_isAtRisk() throws Exception {
    java.net.InetSocketAddress closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = (java.net.InetSocketAddress) s.getLocalSocketAddress();
    }
    lab.mx(closedPort);
    lab.mx(server(2).build());

    ProbeReport r = lab.prober().probe("bob@" + ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.CONNECT_REFUSED, ProbeReport.Outcome.ACCEPTED);
    assertThat(finding(r, "SMTP_CONNECT_REFUSED").effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(codes(r)).doesNotContain("SMTP_UNREACHABLE");
  }

  @Test
  void unansweredConnect_isConnectTimeout() throws Exception {
    // A listener that never accepts, its backlog already full: the kernel drops further SYNs.
    try (java.net.ServerSocket full =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          java.net.Socket f = new java.net.Socket();
          try {
            f.connect(full.getLocalSocketAddress(), 200);
          } catch (java.io.IOException ignored) {
            // the backlog is full
          }
          fillers.add(f);
        }
        lab.mx((java.net.InetSocketAddress) full.getLocalSocketAddress());

        long t0 = System.nanoTime();
        ProbeReport r =
            lab.prober(b -> b.connectTimeout(Duration.ofMillis(700)))
                .probe("bob@" + ProbeLab.DOMAIN);

        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(BUDGET_MS);
        assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.CONNECT_TIMEOUT);
        assertThat(finding(r, "SMTP_CONNECT_TIMEOUT").message()).contains("blocked or filtered");
      } finally {
        for (java.net.Socket f : fillers) {
          f.close();
        }
      }
    }
  }
}
