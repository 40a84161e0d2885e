package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.MailDiagnostics;
import dev.maildx.examples.TestWithTestkit.SignupCheck;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example of {@link TestWithTestkit}, as a user writes it: JUnit 5, a {@code MockDnsExtension}
 * for the DNS (a fresh zone per test), a {@link MockSmtpServer} for the recipient's mail server,
 * and the code under test ({@link SignupCheck}) given a {@link MailDiagnostics} that talks only to
 * them.
 */
class TestWithTestkitTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private MockSmtpServer smtp;
  private MailDiagnostics maildx;
  private SignupCheck check;

  @BeforeEach
  void servers() throws Exception {
    smtp =
        MockSmtpServer.builder()
            .hostname("mx.shop.test")
            .recipient(
                "gone@shop.test",
                "550 5.1.1 <gone@shop.test>: Recipient address rejected: User unknown")
            .build();
    // Publish a documentation address (RFC 5737) and route maildx's connections for it to the mock
    // server.
    dns.server().mx("shop.test", 10, "mx.shop.test").a("mx.shop.test", "192.0.2.25");
    maildx =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(3))
            .route(InetAddress.getByName("192.0.2.25"), smtp.address())
            .build();
    check = new SignupCheck(maildx);
  }

  @AfterEach
  void close() {
    maildx.close();
    smtp.close();
  }

  @Test
  void aWorkingMailbox_isAccepted() {
    assertThat(check.reject("alice@shop.test")).isNull();
  }

  @Test
  void aDomainWithANullMx_isRejectedWithTheReason() {
    dns.server().mx("nomail.test", 0, ".");

    assertThat(check.reject("bob@nomail.test")).contains("accepts no email");
  }

  @Test
  void anUnknownMailbox_isRejected() {
    assertThat(check.reject("gone@shop.test")).contains("does not exist");
  }

  @Test
  void aDnsServerThatDoesNotAnswer_doesNotRejectTheUser() {
    dns.server().fault("shop.test", DnsFault.timeout());

    assertThat(check.reject("alice@shop.test"))
        .isNull(); // inconclusive: accept, let the confirmation mail decide
  }

  @Test
  void aGatewayThatNeverGreets_doesNotRejectTheUserEither() {
    try (MockSmtpServer hole = MockSmtpServer.start(SmtpPolicy.blackHole())) {
      dns.server().mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "192.0.2.26");
      try (MailDiagnostics m =
          MailDiagnostics.builder()
              .dnsServer(dns.server().address())
              .timeout(Duration.ofSeconds(2))
              .route(InetAddress.getByName("192.0.2.26"), hole.address())
              .build()) {
        assertThat(new SignupCheck(m).reject("carol@slow.test"))
            .isNull(); // at risk, not undeliverable
      }
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
