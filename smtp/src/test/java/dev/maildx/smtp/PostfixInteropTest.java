package dev.maildx.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.report.ProbeReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prober against a real Postfix 3.7 with STARTTLS on 127.0.0.1:2525 (started by {@code
 * .ci/interop/start.d/20-postfix.sh}, its log in {@code $MAILDX_LAB/postfix/postfix.log}), found
 * through NSD on 127.0.0.1:5353 ({@code mx1.example.test}).
 */
@Tag("interop")
class PostfixInteropTest {
  @RegisterExtension static final TestRuntime runtime = new TestRuntime();
  private static final Path LOG =
      Path.of(
          System.getProperty(
              "maildx.interop.postfixLog",
              (System.getenv("MAILDX_LAB") != null
                      ? System.getenv("MAILDX_LAB")
                      : "/tmp/maildx-lab")
                  + "/postfix/postfix.log"));
  private static final String NSD = System.getProperty("maildx.interop.nsd", "127.0.0.1:5353");

  private static SmtpProber prober() {
    String[] hp = NSD.split(":");
    DiagnosticsConfig config =
        DiagnosticsConfig.builder()
            .dnsServer(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
            .timeout(Duration.ofSeconds(10))
            .build();
    return SmtpProber.create(
        runtime.of(config), ProbeOptions.builder().allowNonPublicAddresses(true).build());
  }

  private static ProbeReport probe(String recipient) {
    try (SmtpProber p = prober()) {
      return p.probe(ProbeRequest.host("mx1.example.test").port(2525).recipient(recipient).build());
    }
  }

  /**
   * Postfix logs through postlogd; give it a moment, then return what it logged since {@code from}.
   */
  private static String logSince(long from) throws Exception {
    String before = "";
    for (int i = 0; i < 30; i++) {
      Thread.sleep(100);
      byte[] all = Files.readAllBytes(LOG);
      String s =
          new String(
              Arrays.copyOfRange(all, (int) Math.min(from, all.length), all.length),
              StandardCharsets.UTF_8);
      if (s.contains("disconnect from") && s.equals(before)) {
        return s;
      }
      before = s;
    }
    return before;
  }

  private static long logSize() throws IOException {
    assertThat(LOG).as("Postfix log (is .ci/interop/start.sh running?)").exists();
    return Files.size(LOG);
  }

  @Test
  void existingUser_isAcceptedWithBannerExtensionsAndTls() throws Exception {
    long from = logSize();

    ProbeReport r = probe("root@example.test");

    ProbeReport.Host h = r.hosts().get(0);
    assertThat(h.outcome()).as(ProbeLab.transcripts(r)).isEqualTo(ProbeReport.Outcome.ACCEPTED);
    assertThat(h.banner().toString()).startsWith("220 mx1.example.test ESMTP Postfix");
    assertThat(h.extensions().keywords())
        .contains(
            "PIPELINING",
            "SIZE",
            "STARTTLS",
            "ENHANCEDSTATUSCODES",
            "8BITMIME",
            "DSN",
            "SMTPUTF8",
            "CHUNKING");
    assertThat(h.extensions().size()).hasValue(10240000);
    assertThat(h.tls().protocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(h.tls().trusted()).isFalse();
    assertThat(h.tls().selfSigned()).isTrue();
    assertThat(h.tls().hostnameMatches()).isTrue();
    assertThat(h.tls().leaf().dnsNames()).contains("mx1.example.test", "localhost");
    assertThat(h.tls().leaf().keyAlgorithm()).isEqualTo("RSA");
    assertThat(h.tls().leaf().keySize()).isEqualTo(2048);
    assertThat(h.rcpt().code()).isEqualTo(250);
    assertThat(h.rcpt().status().toString()).isEqualTo("2.1.5");
    assertThat(r.findings())
        .extracting(Finding::code)
        .contains("SMTP_ACCEPTED", "TLS_OK", "TLS_CERT_SELF_SIGNED");

    String log = logSince(from);
    assertThat(log)
        .contains(
            "connect from localhost[127.0.0.1]",
            "Anonymous TLS connection established",
            "disconnect from");
    assertNothingQueued(log);
  }

  @Test
  void missingUser_isRejected550_5_1_1() throws Exception {
    long from = logSize();

    ProbeReport r = probe("nosuchuser@example.test");

    ProbeReport.Host h = r.hosts().get(0);
    assertThat(h.outcome())
        .as(ProbeLab.transcripts(r))
        .isEqualTo(ProbeReport.Outcome.RCPT_REJECTED);
    assertThat(h.rcpt().code()).isEqualTo(550);
    assertThat(h.rcpt().status().toString()).isEqualTo("5.1.1");
    assertThat(h.rcpt().text()).contains("User unknown in local recipient table");
    assertThat(r.findings()).extracting(Finding::code).contains("SMTP_RCPT_USER_UNKNOWN");

    String log = logSince(from);
    assertThat(log)
        .contains("reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <nosuchuser@example.test>");
    assertNothingQueued(log);
  }

  private static void assertNothingQueued(String log) {
    List<String> lines = log.lines().toList();
    // A queued message leaves cleanup's "message-id=" and qmgr's "from=<...>, size=" lines; a probe
    // leaves neither.
    assertThat(lines)
        .noneMatch(
            l ->
                l.contains("postfix/cleanup[")
                    || l.contains("postfix/qmgr[") && l.contains("from=<"));
    assertThat(lines)
        .filteredOn(l -> l.contains("disconnect from"))
        .isNotEmpty()
        .allMatch(l -> !l.contains(" data=") && !l.contains(" bdat="));
  }
}
