package dev.maildx.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.MailDiagnostics;
import dev.maildx.report.ProbeReport;
import dev.maildx.smtp.SmtpProber;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** README, "Testing with testkit": a mock SMTP server probed as a domain's MX. */
class ReadmeProbeTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void probe_reachesTheMockServer_throughThePublishedMx() throws Exception {
    try (MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx1.example.test").build()) {
      // region readme
      dns.server().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "192.0.2.25");
      try (var maildx =
          MailDiagnostics.builder()
              .dnsServer(dns.server().address())
              .route(InetAddress.getByName("192.0.2.25"), smtp.address())
              .build()) {
        ProbeReport r = SmtpProber.create(maildx).probe("bob@example.test"); // MX, EHLO, RCPT...
        assertThat(r.anyAccepted()).isTrue();
      }
      // endregion
    }
  }
}
