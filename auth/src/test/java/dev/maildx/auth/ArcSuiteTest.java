package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.auth.internal.MessageVerification;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.AuthReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The validation cases of the ValiMail ARC test suite ({@code
 * ../shared/corpora/dkim/arc-test-suite/arc-draft-validation-tests.yml}): each scenario's key
 * records published on {@link MockDnsServer}, each message validated through the DNS, and the chain
 * validation status compared with the case's {@code cv}. The counts are printed.
 *
 * <p>Three cases ({@code cv_fail_i1_as_cv_fail}, {@code cv_fail_i2_as2_fail}, {@code
 * cv_fail_i2_as1_fail}) expect an empty {@code cv}: they date from a draft in which a chain that an
 * earlier hop already sealed with {@code cv=fail} was not evaluated at all. RFC 8617 §5.2 step 2
 * gives such a chain the status {@code fail}, which is what maildx reports and what these cases are
 * checked against (an empty expectation is read as fail). The suite's README marks no case as
 * optional; every case runs.
 */
class ArcSuiteTest {
  static final Path SUITE =
      Path.of(System.getProperty("maildx.corpora", "../shared/corpora"), "dkim/arc-test-suite");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  @SuppressWarnings("unchecked")
  void everyValidationCase_givesTheExpectedChainStatus() throws Exception {
    Path file = SUITE.resolve("arc-draft-validation-tests.yml");
    Assumptions.assumeTrue(Files.exists(file), "corpus not found at " + file);
    LoaderOptions lo = new LoaderOptions();
    lo.setCodePointLimit(16 << 20);
    int cases = 0;
    int agree = 0;
    int emptyExpectation = 0;
    Map<String, Integer> byExpected = new LinkedHashMap<>();
    List<String> differ = new ArrayList<>();
    try (MockDnsServer dns = MockDnsServer.start();
        CheckEnvironment env =
            CheckEnvironment.create(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.address())
                    .timeout(Duration.ofSeconds(5))
                    .clock(CLOCK)
                    .build())) {
      DnsKeySource keys = new DnsKeySource(DkimKeyResolver.create(DnsClient.create(env)), "auth");
      for (Object doc : new Yaml(lo).loadAll(Files.readString(file))) {
        Map<String, Object> scenario = (Map<String, Object>) doc;
        dns.reset();
        Map<String, Object> txt =
            (Map<String, Object>) scenario.getOrDefault("txt-records", Map.of());
        txt.forEach(
            (name, value) ->
                dns.txt(name, DkimSigner.txtStrings(String.valueOf(value).replace("\n", ""))));
        Map<String, Map<String, Object>> tests =
            (Map<String, Map<String, Object>>) scenario.get("tests");
        for (Map.Entry<String, Map<String, Object>> t : tests.entrySet()) {
          String message = String.valueOf(t.getValue().getOrDefault("message", ""));
          String want = String.valueOf(t.getValue().get("cv")).strip().toLowerCase(Locale.ROOT);
          if (want.isEmpty()) {
            emptyExpectation++;
          }
          AuthReport.Arc r = validate(keys, env, message);
          String got = r.status().name().toLowerCase(Locale.ROOT);
          boolean ok = got.equals(want.isEmpty() ? "fail" : want);
          cases++;
          byExpected.merge(want.isEmpty() ? "(empty)" : want, 1, Integer::sum);
          if (ok) {
            agree++;
          } else {
            differ.add(t.getKey() + ": " + got + " (" + r.reason() + "), expected " + want);
          }
        }
      }
    }
    System.out.println(
        "[arc suite] "
            + cases
            + " validation cases "
            + byExpected
            + ": "
            + agree
            + "/"
            + cases
            + " as expected ("
            + emptyExpectation
            + " with an empty cv read as fail, RFC 8617 §5.2)"
            + (differ.isEmpty() ? "" : "; differ: " + differ));
    assertThat(differ).isEmpty();
    assertThat(cases).isGreaterThanOrEqualTo(171);
  }

  static AuthReport.Arc validate(DnsKeySource keys, CheckEnvironment env, String message)
      throws Exception {
    byte[] bytes =
        message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      MessageVerification m =
          MessageVerification.read(
              in,
              DkimVerifier.limits(AuthOptions.defaults()),
              keys,
              Deadline.after(Duration.ofSeconds(5)));
      return m.verify(DkimVerifier.settings(env, AuthOptions.defaults())).join().arc();
    }
  }
}
