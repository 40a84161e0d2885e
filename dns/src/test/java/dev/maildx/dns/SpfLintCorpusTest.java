package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.report.SpfReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SPF part of checkdmarc's test cases ({@code
 * ../shared/corpora/record-lint/checkdmarc-cases.json}): every record checkdmarc rejects must get
 * the matching maildx error, every record it accepts must get no syntax error. Records are linted
 * with {@link SpfEvaluator#lintRecordAsync} as if published at their domain, against {@link
 * MockDnsServer} holding the DNS data the case needs (the cases that read live DNS in checkdmarc
 * get a local stand-in, built here).
 */
class SpfLintCorpusTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  private static final Path CASES =
      Path.of(
          System.getProperty("maildx.corpora", "../../shared/corpora"),
          "record-lint",
          "checkdmarc-cases.json");

  /** checkdmarc exception class → the maildx finding codes that say the same. */
  private static final Map<String, Set<String>> CODES =
      Map.of(
          "SPFSyntaxError", Set.of("SPF_SYNTAX_ERROR"),
          "SPFTooManyDNSLookups", Set.of("SPF_TOO_MANY_LOOKUPS", "SPF_MX_TOO_MANY"),
          "SPFTooManyVoidDNSLookups", Set.of("SPF_TOO_MANY_VOID_LOOKUPS"),
          "SPFIncludeLoop", Set.of("SPF_INCLUDE_LOOP"),
          "SPFRedirectLoop", Set.of("SPF_REDIRECT_LOOP"));

  /**
   * Records checkdmarc accepts where RFC 7208 says otherwise, with what maildx reports instead.
   *
   * <ul>
   *   <li>{@code v=spf10 -all}, {@code v=spf1foo -all}: not SPF records at all (RFC 7208 §4.5: the
   *       version must be followed by a space or the end); checkdmarc's test name says they are
   *       rejected; published, receivers ignore them, so maildx says there is no SPF record.
   *   <li>{@code ... -all exp=exp.example extra}: "extra" is neither a mechanism nor a modifier;
   *       RFC 7208 §4.6 requires a syntax error anywhere to be detected (permerror), which the RFC
   *       7208 suite's {@code detect-errors-anywhere} tests; checkdmarc only warns.
   * </ul>
   */
  private static final Map<String, String> RFC_7208_DIFFERS =
      Map.of(
          "v=spf10 -all", "SPF_NO_RECORD",
          "v=spf1foo -all", "SPF_NO_RECORD",
          "v=spf1 -all exp=exp.example extra", "SPF_SYNTAX_ERROR");

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private SpfEvaluator spf;

  @AfterEach
  void close() {
    if (spf != null) {
      spf.close();
    }
  }

  @Test
  void checkdmarcSpfCases_rejectedRecordsGetTheErrorAndAcceptedOnesNoSyntaxError()
      throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(CASES), "corpus not found at " + CASES);
    spf =
        SpfEvaluator.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(5))
                    .dnsQueryTimeout(Duration.ofMillis(500))
                    .build()));
    Map<String, Object> root;
    try (java.io.Reader in = Files.newBufferedReader(CASES)) {
      // JSON is YAML: SnakeYAML (already the suites' reader) parses it.
      root =
          new org.yaml.snakeyaml.Yaml(
                  new org.yaml.snakeyaml.constructor.SafeConstructor(
                      new org.yaml.snakeyaml.LoaderOptions()))
              .load(in);
    }
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    int accepted = 0;
    for (Map<String, Object> c : list(root.get("cases"))) {
      if (!"test_spf.py".equals(c.get("source"))) {
        continue;
      }
      for (Map<String, Object> raise : list(c.get("raises"))) {
        String exception = String.valueOf(raise.get("exception"));
        if (!"parse_spf_record".equals(raise.get("function")) || !CODES.containsKey(exception)) {
          continue;
        }
        rejected++;
        standIns(dns.server(), String.valueOf(c.get("test")));
        String record = String.valueOf(raise.get("record"));
        List<String> codes = lint(String.valueOf(raise.get("domain")), record);
        if (codes.stream().noneMatch(CODES.get(exception)::contains)) {
          failures.add(
              c.get("test")
                  + ": "
                  + record
                  + " should give "
                  + CODES.get(exception)
                  + ", got "
                  + codes);
        }
      }
      @SuppressWarnings("unchecked")
      List<Object> oks = (List<Object>) c.get("parsed_ok_or_warned");
      for (Object ok : oks) {
        accepted++;
        standIns(dns.server(), String.valueOf(c.get("test")));
        List<String> codes = lint("example.com", String.valueOf(ok));
        if (RFC_7208_DIFFERS.containsKey(String.valueOf(ok))) {
          if (!codes.contains(RFC_7208_DIFFERS.get(String.valueOf(ok)))) {
            failures.add(
                c.get("test")
                    + ": "
                    + ok
                    + " should give "
                    + RFC_7208_DIFFERS.get(String.valueOf(ok))
                    + ", got "
                    + codes);
          }
        } else if (codes.contains("SPF_SYNTAX_ERROR")) {
          failures.add(c.get("test") + ": " + ok + " is valid, got " + codes);
        }
      }
    }
    System.out.printf(
        "checkdmarc SPF lint cases: %d rejected records, %d accepted records, %d disagreements%n",
        rejected, accepted, failures.size());
    failures.forEach(f -> System.out.println("  " + f));
    assertThat(rejected).isGreaterThanOrEqualTo(20);
    assertThat(failures).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private List<String> lint(String domain, String record) {
    SpfReport r =
        spf.lintRecordAsync(DomainName.of(domain), record, Deadline.after(Duration.ofSeconds(5)))
            .join();
    return r.findings().stream().map(Finding::code).toList();
  }

  /** Local stand-ins for the live DNS data checkdmarc's network tests read. */
  private static void standIns(MockDnsServer d, String test) {
    d.reset();
    // testTooManySPFDNSLookups: each of the seven providers' records costs lookups of its own.
    for (String p :
        List.of(
            "_spf.salesforce.com",
            "spf.protection.outlook.com",
            "spf.constantcontact.com",
            "_spf.elasticemail.com",
            "servers.mcsv.net",
            "_spf.google.com",
            "service-now.com")) {
      d.txt(p, "v=spf1 a mx ip4:192.0.2.0/24 ~all")
          .a(p, "192.0.2.1")
          .mx(p, 10, "mx." + p)
          .a("mx." + p, "192.0.2.2");
    }
    d.a("example.com", "192.0.2.10");
    if (test.equals("testTooManyMxRecords")) {
      // Mocked in checkdmarc: example.com has eleven MX records.
      for (int i = 1; i <= 11; i++) {
        d.mx("example.com", i, "mx" + i + ".example.com")
            .a("mx" + i + ".example.com", "192.0.2." + (20 + i));
      }
    }
    if (test.equals("testMxHostMissingARecords")) {
      // Mocked in checkdmarc: the MX hosts of example.com have no addresses.
      for (int i = 1; i <= 3; i++) {
        d.mx("example.com", i, "mx" + i + ".example.com")
            .txt("mx" + i + ".example.com", "no address here");
      }
    }
  }
}
