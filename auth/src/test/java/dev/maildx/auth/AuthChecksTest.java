package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DnsChecks;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth} check comes from the auth module's provider, and from no other. */
class AuthChecksTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void theServiceLoader_findsAuthChecks_andOnlyItContributesTheAuthCheck() {
    List<CheckProvider> providers =
        ServiceLoader.load(CheckProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    assertThat(providers)
        .hasAtLeastOneElementOfType(AuthChecks.class)
        .hasAtLeastOneElementOfType(DnsChecks.class);

    try (CheckEnvironment env = CheckEnvironment.create(DiagnosticsConfig.defaults())) {
      assertThat(providers)
          .filteredOn(p -> !(p instanceof AuthChecks))
          .allSatisfy(
              p ->
                  assertThat(p.checks(env))
                      .extracting(Check::name)
                      .doesNotContain(AuthChecks.AUTH_CHECK));
      List<Check> checks = new AuthChecks().checks(env);
      assertThat(checks)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.name()).isEqualTo("auth");
                assertThat(c.dependsOn()).isEmpty();
                assertThat(
                        c.appliesTo(
                            DeliveryQuestion.builder()
                                .from("alice@corp.example")
                                .message(Path.of("received.eml"))
                                .build()))
                    .isTrue();
                assertThat(
                        c.appliesTo(DeliveryQuestion.builder().from("alice@corp.example").build()))
                    .isFalse();
              });
    }
  }

  @Test
  void authOptionsOnTheBuilder_configureTheAuthCheck(@TempDir Path dir) throws Exception {
    Path message = dir.resolve("received.eml");
    Files.writeString(
        message,
        "From: alice@corp.example\r\nTo: bob@agency.example\r\nSubject: hi\r\n\r\nHello\r\n");
    AuthOptions options = AuthOptions.builder().authservId("mx.agency.example").build();

    DeliveryDiagnosis d;
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(4))
            .options(options)
            .build()) {
      d = m.diagnose(DeliveryQuestion.builder().message(message).smtpProbe(false).build());
    }

    assertThat(d.auth())
        .hasValueSatisfying(
            r -> assertThat(r.authenticationResults()).startsWith("mx.agency.example; dkim=none"));
  }
}
