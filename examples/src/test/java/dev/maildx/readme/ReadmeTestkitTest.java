package dev.maildx.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MxResolver;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** README, "Testing with testkit": a JUnit 5 test with AssertJ, as a user writes it. */
class ReadmeTestkitTest {
  // region readme
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void nullMx_isUndeliverable() {
    dns.server().mx("nomail.test", 0, ".");
    try (var maildx = MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      assertThat(MxResolver.create(maildx).resolve("nomail.test").nullMx()).isTrue();
    }
  }
  // endregion
}
