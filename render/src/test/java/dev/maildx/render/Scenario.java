package dev.maildx.render;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.TestDsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A diagnosis of a real run, offline: testkit DNS and SMTP servers on loopback, the dns, smtp and
 * bounce checks found as a user's classpath finds them, and a bounce notice on disk. Mail from
 * {@code alice@corp.test} (sent from an IP its SPF does not authorize) to {@code bob@agency.test},
 * whose gateway says the mailbox does not exist; the notice the sender got says so too. Every text
 * the outside controls (the gateway's banner and replies, the SPF record, the notice) carries
 * markup.
 */
final class Scenario implements AutoCloseable {
  static final String HOSTILE = "<script>alert(1)</script>";

  private final MockDnsServer dns = MockDnsServer.start();
  private final MockSmtpServer smtp =
      MockSmtpServer.builder()
          .hostname("mx.agency.test")
          .greeting("220 mx.agency.test ESMTP " + HOSTILE)
          .recipient("bob@agency.test", "550 5.1.1 <bob@agency.test>: no such user " + HOSTILE)
          .build();
  private final Path notice;

  Scenario() {
    dns.mx("agency.test", 10, "mx.agency.test")
        .a("mx.agency.test", "192.0.2.25")
        .txt("corp.test", "v=spf1 ip4:192.0.2.0/24 exp=<b>x</b> -all")
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject; rua=mailto:d@corp.test");
    try {
      notice = Files.createTempFile("maildx-render-", ".eml");
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
    TestDsn.failed("bob@agency.test", "5.1.1")
        .reportingMta("out.corp.test")
        .from("alice@corp.test")
        .remoteMta("mx.agency.test")
        .diagnostic("smtp; 550 5.1.1 <bob@agency.test>: no such user " + HOSTILE)
        .original("<1@corp.test>", "Invoice " + HOSTILE)
        .write(notice);
  }

  /** Runs the diagnosis. */
  DeliveryDiagnosis diagnose() {
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(dns.address())
            .timeout(Duration.ofSeconds(5))
            .route(InetAddresses.parse("192.0.2.25"), smtp.address())
            .build()) {
      return m.diagnose(
          DeliveryQuestion.builder()
              .from("alice@corp.test")
              .sendingIp("203.0.113.7")
              .to("bob@agency.test")
              .bounce(notice)
              .build());
    }
  }

  @Override
  public void close() {
    smtp.close();
    dns.close();
    try {
      if (notice != null) {
        Files.deleteIfExists(notice);
      }
    } catch (IOException ignored) {
      // a temporary file; the OS cleans up
    }
  }
}
