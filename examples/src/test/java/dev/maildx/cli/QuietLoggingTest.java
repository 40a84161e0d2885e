package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.examples.JavaProcess;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dnsjava logs through the SLF4J API; the CLI binds it to SLF4J's no-op provider, so a user never
 * sees SLF4J's "no providers" (or "failed to load StaticLoggerBinder") warning on standard error.
 */
class QuietLoggingTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void cli_doingDnsInANewJvm_printsNoSlf4jWarning() throws Exception {
    dns.server().mx("nomail.test", 0, ".");

    JavaProcess p =
        JavaProcess.run(
            Main.class.getName(),
            "mx",
            "nomail.test",
            "--dns",
            "127.0.0.1:" + dns.server().address().getPort(),
            "--timeout",
            "5s");

    assertThat(p.out()).contains("nomail.test");
    assertThat(p.err().lines()).noneMatch(l -> l.contains("SLF4J"));
    assertThat(dns.server().queryCount()).isPositive();
  }
}
