package dev.maildx.examples;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockSmtpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to test your own code that uses maildx, with no network: {@link MockDnsServer} publishes the
 * domains your test needs, {@link MockSmtpServer} plays their mail servers (behaving well or
 * badly), and a route sends maildx's connections for the published address to the mock.
 *
 * <p>The code under test here is {@link SignupCheck}, a sign-up form's rule: accept an e-mail
 * address only if mail to it can be delivered. Its JUnit test, {@code TestWithTestkitTest}, uses
 * the same servers through {@code MockDnsExtension}; {@link #main} runs the same scenarios.
 *
 * <p>Run: {@code java -cp maildx-cli.jar dev.maildx.examples.TestWithTestkit}
 */
public final class TestWithTestkit {
  private TestWithTestkit() {}

  /** The code under test: a sign-up form accepts an address only if mail to it is deliverable. */
  public static final class SignupCheck {
    private final MailDiagnostics maildx;

    /**
     * @param maildx the shared diagnostics
     */
    public SignupCheck(MailDiagnostics maildx) {
      this.maildx = maildx;
    }

    /**
     * Decides about one address.
     *
     * @param address what the user typed
     * @return {@code null} to accept, or the reason to show the user
     */
    public @Nullable String reject(String address) {
      DeliveryDiagnosis d;
      try {
        d = maildx.diagnose(DeliveryQuestion.to(address));
      } catch (IllegalArgumentException e) {
        return "That is not an e-mail address.";
      }
      if (d.verdict() == Verdict.UNDELIVERABLE) {
        return d.likelyCauses().isEmpty()
            ? "Mail to this address cannot be delivered."
            : d.likelyCauses().get(0).summary();
      }
      return null; // deliverable, at risk or unknown: accept, and let the confirmation mail decide
    }
  }

  /**
   * Runs the scenarios a test would: a working domain, a domain without mail (null MX), a mailbox
   * that does not exist.
   *
   * @param args none
   * @throws UnknownHostException never (literal addresses)
   */
  public static void main(String[] args) throws UnknownHostException {
    if (args.length > 0) {
      // Its DNS and SMTP servers are its own, on loopback: nothing to point it at.
      ExampleArgs.usageExit(
          "TestWithTestkit (no arguments: it starts its own DNS and SMTP servers)",
          "unexpected argument " + args[0]);
    }
    try (MockDnsServer dns = MockDnsServer.start();
        MockSmtpServer smtp =
            MockSmtpServer.builder()
                .hostname("mx.shop.test")
                .recipient(
                    "gone@shop.test",
                    "550 5.1.1 <gone@shop.test>: Recipient address rejected: User unknown")
                .build()) {
      // The DNS your test needs: a documentation address (RFC 5737) routed to the mock SMTP server.
      dns.mx("shop.test", 10, "mx.shop.test")
          .a("mx.shop.test", "192.0.2.25")
          .mx("nomail.test", 0, ".");
      try (MailDiagnostics maildx =
          MailDiagnostics.builder()
              .dnsServer(dns.address())
              .timeout(Duration.ofSeconds(5))
              .route(InetAddress.getByName("192.0.2.25"), smtp.address())
              .build()) {
        SignupCheck check = new SignupCheck(maildx);
        for (String a :
            new String[] {
              "alice@shop.test", "bob@nomail.test", "gone@shop.test", "not an address"
            }) {
          String why = check.reject(a);
          System.out.println(a + ": " + (why == null ? "accepted" : "rejected: " + why));
        }
      }
    }
  }
}
