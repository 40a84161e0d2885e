package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.report.DmarcReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.DnsQueryLog;
import dev.maildx.testkit.MockDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DMARC part of domainaware/checkdmarc's tests ({@code record-lint/checkdmarc-cases.json},
 * source {@code test_dmarc.py}): every record served by {@link MockDnsServer} and resolved with
 * {@link DmarcResolver}. checkdmarc's exceptions and warnings map onto maildx finding codes; the
 * tests that patch DNS in checkdmarc are rebuilt here as zones from their description.
 */
class DmarcCheckdmarcConformanceTest {
  @RegisterExtension static final TestRuntime runtime = new TestRuntime();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MockDnsServer dns;
  private static DmarcResolver resolver;

  /** checkdmarc exception -> the maildx finding code that says the same. */
  private static final Map<String, String> RAISES =
      Map.of(
          "InvalidDMARCTagValue", "DMARC_INVALID_TAG_VALUE",
          "InvalidDMARCReportURI", "DMARC_INVALID_REPORT_URI",
          "DMARCSyntaxError", "DMARC_SYNTAX_ERROR",
          "InvalidDMARCTag", "DMARC_DUPLICATE_TAG",
          "SPFRecordFoundWhereDMARCRecordShouldBe", "DMARC_SPF_RECORD_AT_DMARC");

  /** Codes that mean the record was rejected or partly discarded: an accepted record has none. */
  private static final Set<String> REJECTING =
      Set.of(
          "DMARC_INVALID_TAG_VALUE",
          "DMARC_INVALID_REPORT_URI",
          "DMARC_SYNTAX_ERROR",
          "DMARC_DUPLICATE_TAG",
          "DMARC_SPF_RECORD_AT_DMARC",
          "DMARC_NO_POLICY",
          "DMARC_VERSION_INVALID",
          "DMARC_MISSING");

  /** checkdmarc warning text -> maildx code. */
  private static final Map<String, String> WARNINGS = new LinkedHashMap<>();

  /** Warnings of checkdmarc features maildx does not have. */
  private static final Map<String, String> NOT_APPLICABLE =
      Map.of(
          "parked",
              "checkdmarc's parked-domain mode (the caller declares the domain parked); maildx has no such input",
          "description", "checkdmarc's optional tag descriptions in its output",
          "name", "checkdmarc's optional tag descriptions in its output");

  static {
    WARNINGS.put("pct tag was removed in RFC 9989", "DMARC_TAG_REMOVED");
    WARNINGS.put("rf tag was removed in RFC 9989", "DMARC_TAG_REMOVED");
    WARNINGS.put("ri tag was removed in RFC 9989", "DMARC_TAG_REMOVED");
    WARNINGS.put(
        "A missing p tag is equivalent to p=none in RFC 9989, but a p tag is required in older versions of DMARC.",
        "DMARC_P_MISSING");
    WARNINGS.put("tags", "DMARC_TAG_REMOVED");
    WARNINGS.put("Expected", "DMARC_SYNTAX_ERROR");
    WARNINGS.put("Unknown DMARC tag 'xyz'", "DMARC_UNKNOWN_TAG");
    WARNINGS.put("redundant", "DMARC_FO_CONFLICT");
    WARNINGS.put("sp tag value of none", "DMARC_SUBDOMAIN_POLICY_WEAKER");
    WARNINGS.put("rua", "DMARC_NO_RUA");
    WARNINGS.put("p tag does not immediately follow the v tag", "DMARC_P_NOT_SECOND");
    WARNINGS.put("no MX records", "DMARC_REPORT_DESTINATION_NO_MX");
    WARNINGS.put("Failed to retrieve MX records", "DMARC_REPORT_LOOKUP_FAILED");
    WARNINGS.put("ruf email address", "DMARC_REPORT_DESTINATION_UNAUTHORIZED");
  }

  @BeforeAll
  static void start() {
    dns = MockDnsServer.start();
    resolver =
        DmarcResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.address())
                    .timeout(Duration.ofSeconds(2))
                    .dnsQueryTimeout(Duration.ofMillis(700))
                    .build()));
  }

  @AfterAll
  static void stop() {
    resolver.close();
    dns.close();
  }

  @Test
  void checkdmarcDmarcCases() throws Exception {
    Path file =
        Path.of(
            System.getProperty("maildx.corpora", "../../shared/corpora"),
            "record-lint",
            "checkdmarc-cases.json");
    Assumptions.assumeTrue(Files.isRegularFile(file), "corpus not found at " + file);
    int pass = 0;
    int na = 0;
    int records = 0;
    List<String> failures = new ArrayList<>();
    Map<String, Consumer<JsonNode>> mocked = mocked();
    for (JsonNode c : JSON.readTree(file.toFile()).get("cases")) {
      if (!c.get("source").asText().equals("test_dmarc.py")) {
        continue;
      }
      String test = c.get("test").asText();
      if (test.equals("testNonDNSExceptionAtSelectorPropagates")) {
        na++;
        System.out.println(
            "[checkdmarc] n/a "
                + test
                + " -- a programming error propagating out of checkdmarc; maildx never throws on DNS data");
        continue;
      }
      try {
        if (c.get("uses_mock").asBoolean()) {
          Consumer<JsonNode> h = mocked.get(test);
          if (h == null) {
            throw new AssertionError("no zone for the mocked test");
          }
          dns.reset();
          h.accept(c);
          records++;
        } else {
          for (JsonNode r : c.get("raises")) {
            records++;
            String code = RAISES.get(r.get("exception").asText());
            String record = r.get("record").asText();
            if (r.get("function").asText().equals("parse_dmarc_report_uri")) {
              record = "v=DMARC1; p=none; rua=" + record;
            }
            DmarcReport rep =
                serve(r.get("domain").isNull() ? "example.com" : r.get("domain").asText(), record);
            assertThat(codes(rep)).as(record).contains(code);
          }
          List<String> expected = new ArrayList<>();
          for (JsonNode w : c.get("expected_warnings")) {
            expected.add(w.asText());
          }
          for (JsonNode r : c.get("parsed_ok_or_warned")) {
            records++;
            DmarcReport rep = serve("example.com", r.asText());
            assertThat(rep.record()).as(r.asText()).isNotNull();
            assertThat(codes(rep)).as(r.asText()).doesNotContainAnyElementsOf(REJECTING);
            for (String w : expected) {
              if (NOT_APPLICABLE.containsKey(w) || c.get("raises").size() > 0) {
                continue;
              }
              String code = WARNINGS.get(w);
              assertThat(code).as("mapping of the warning \"" + w + "\"").isNotNull();
              assertThat(codes(rep)).as(r.asText() + " warns " + w).contains(code);
            }
          }
          List<String> skipped = expected.stream().filter(NOT_APPLICABLE::containsKey).toList();
          if (!skipped.isEmpty()) {
            System.out.println(
                "[checkdmarc] n/a warnings "
                    + skipped
                    + " of "
                    + test
                    + " -- "
                    + NOT_APPLICABLE.get(skipped.get(0)));
          }
        }
        pass++;
      } catch (AssertionError | RuntimeException e) {
        failures.add(test + ": " + e.getMessage());
      }
    }
    System.out.println(
        "[checkdmarc] test_dmarc.py: "
            + (pass + failures.size() + na)
            + " tests, "
            + records
            + " records/scenarios: "
            + pass
            + " passed, "
            + na
            + " not applicable, "
            + failures.size()
            + " failed");
    assertThat(failures).isEmpty();
  }

  private static DmarcReport serve(String domain, String record) {
    dns.reset();
    dns.txt("_dmarc." + domain, chunks(record));
    return resolver.resolve(domain);
  }

  private static String[] chunks(String s) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += 255) {
      out.add(s.substring(i, Math.min(s.length(), i + 255)));
    }
    return out.isEmpty() ? new String[] {""} : out.toArray(String[]::new);
  }

  private static List<String> codes(DmarcReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  private static List<String> dmarcQueries() {
    return dns.queries().stream()
        .filter(q -> q.type().equals("TXT") && q.name().startsWith("_dmarc."))
        .map(DnsQueryLog::name)
        .toList();
  }

  /** The tests checkdmarc runs against patched DNS, as zones. */
  private static Map<String, Consumer<JsonNode>> mocked() {
    Map<String, Consumer<JsonNode>> m = new LinkedHashMap<>();
    m.put(
        "testDMARCRecordStartsWithWhitespace",
        c -> {
          dns.txt("_dmarc.example.com", " v=DMARC1; p=none");
          assertThat(codes(resolver.resolve("example.com")))
              .contains("DMARC_RECORD_LEADING_WHITESPACE", "DMARC_MISSING");
        });
    m.put(
        "testDMARCMultipleRecords",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=none")
              .txt("_dmarc.example.com", "v=DMARC1; p=reject");
          assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_MULTIPLE_RECORDS");
        });
    m.put(
        "testDMARCUnrelatedRecords",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com")
              .txt("_dmarc.example.com", "google-site-verification=abc");
          assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_UNRELATED_TXT");
        });
    m.put(
        "testDMARCRecordNotFoundNXDOMAIN",
        c ->
            assertThat(codes(resolver.resolve("nonexistent.example.com")))
                .contains("DMARC_MISSING"));
    m.put(
        "testDMARCTreeWalkIncludesTLD",
        c -> {
          assertThat(codes(resolver.resolve("sub.example.com"))).contains("DMARC_MISSING");
          assertThat(dmarcQueries()).contains("_dmarc.com", "_dmarc.example.com");
        });
    m.put(
        "testDMARCTreeWalkSkipsApexFallback",
        c -> {
          dns.txt("example.com", "v=DMARC1; p=reject");
          assertThat(codes(resolver.resolve("sub.example.com")))
              .contains("DMARC_MISSING")
              .doesNotContain("DMARC_RECORD_AT_APEX");
        });
    m.put(
        "testDMARCTreeWalkLongDomain",
        c -> {
          assertThat(codes(resolver.resolve("a.b.c.d.e.f.g.example.com")))
              .contains("DMARC_MISSING");
          assertThat(dmarcQueries())
              .hasSize(8)
              .contains("_dmarc.a.b.c.d.e.f.g.example.com", "_dmarc.com")
              .doesNotContain("_dmarc.b.c.d.e.f.g.example.com");
        });
    m.put(
        "testApexFallbackWrongLocation",
        c -> {
          dns.txt("example.com", "v=DMARC1; p=reject");
          assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_RECORD_AT_APEX");
        });
    m.put(
        "testApexFallbackNXDOMAIN",
        c ->
            assertThat(codes(resolver.resolve("example.com")))
                .contains("DMARC_MISSING")
                .doesNotContain("DMARC_RECORD_AT_APEX"));
    m.put(
        "testApexFallbackDNSException",
        c -> {
          dns.a("_dmarc.example.com", "192.0.2.1").fault("example.com", DnsFault.servfail());
          assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_MISSING");
        });
    m.put(
        "testDNSExceptionAtSelectorWraps",
        c -> {
          dns.fault("_dmarc.example.com", DnsFault.servfail());
          assertThat(resolver.resolve("example.com").findings())
              .anyMatch(f -> f.code().equals("DMARC_LOOKUP_FAILED") && f.inconclusive());
        });
    m.put(
        "testWalkReraisesDMARCError",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=none")
              .txt("_dmarc.example.com", "v=DMARC1; p=reject");
          DmarcReport r = resolver.resolve("sub.example.com");
          assertThat(r.findings())
              .anyMatch(
                  f ->
                      f.code().equals("DMARC_MULTIPLE_RECORDS")
                          && "example.com".equals(f.evidence().get("domain")));
        });
    m.put(
        "testRootRecordsNXDOMAINRaises",
        c -> assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_MISSING"));
    m.put(
        "testShortDomainNotFoundErrorString",
        c -> assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_MISSING"));
    m.put(
        "testLongDomainNotFoundErrorString",
        c ->
            assertThat(resolver.resolve("sub.example.com").findings())
                .anyMatch(
                    f ->
                        f.code().equals("DMARC_MISSING")
                            && f.message().contains("parent domains")));
    m.put(
        "testUnrelatedRecordRaises",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:reports@dest.example")
              .mx("dest.example", 10, "mx.dest.example")
              .txt("*._report._dmarc.dest.example", "not a dmarc record");
          assertThat(codes(resolver.resolve("example.com")))
              .contains("DMARC_REPORT_DESTINATION_UNAUTHORIZED");
        });
    m.put(
        "testNoAuthorizationRecordRaises",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:reports@other.example.org")
              .mx("other.example.org", 10, "mx.other.example.org");
          assertThat(codes(resolver.resolve("example.com")))
              .contains("DMARC_REPORT_DESTINATION_UNAUTHORIZED");
        });
    m.put(
        "testUnrelatedRecordsBecomeUnverifiedDestination",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:reports@other.example.org")
              .mx("other.example.org", 10, "mx.other.example.org")
              .txt("example.com._report._dmarc.other.example.org", "unrelated");
          assertThat(codes(resolver.resolve("example.com")))
              .contains("DMARC_REPORT_DESTINATION_UNAUTHORIZED");
        });
    m.put(
        "testRuaSizeLimitWarning",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com!10m");
          DmarcReport r = resolver.resolve("example.com");
          assertThat(r.record().aggregateReportUris()).containsExactly("mailto:dmarc@example.com");
          assertThat(codes(r))
              .contains("DMARC_REPORT_URI_SIZE_OBSOLETE")
              .doesNotContainAnyElementsOf(REJECTING);
        });
    m.put(
        "testRuaCrossDomainCallsVerify",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@elsewhere.com")
              .mx("elsewhere.com", 10, "mx.elsewhere.com")
              .txt("example.com._report._dmarc.elsewhere.com", "v=DMARC1");
          DmarcReport r = resolver.resolve("example.com");
          assertThat(dns.queryCount("example.com._report._dmarc.elsewhere.com", "TXT"))
              .isEqualTo(1);
          assertThat(r.reportDestinations().get(0).authorization())
              .isEqualTo(dev.maildx.report.DmarcReport.Destination.Authorization.AUTHORIZED);
        });
    m.put(
        "testRuaMissingMxWarning",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@elsewhere.com")
              .txt("elsewhere.com", "v=spf1 -all")
              .txt("example.com._report._dmarc.elsewhere.com", "v=DMARC1");
          assertThat(codes(resolver.resolve("example.com")))
              .contains("DMARC_REPORT_DESTINATION_NO_MX");
        });
    m.put(
        "testRuaMxLookupExceptionWarning",
        c -> {
          dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@elsewhere.com")
              .fault("elsewhere.com", DnsFault.servfail())
              .txt("example.com._report._dmarc.elsewhere.com", "v=DMARC1");
          assertThat(codes(resolver.resolve("example.com"))).contains("DMARC_REPORT_LOOKUP_FAILED");
        });
    m.put(
        "testRufBranchesCovered",
        c -> {
          dns.txt(
                  "_dmarc.example.com",
                  "v=DMARC1; p=reject; rua=mailto:dmarc@example.com; ruf=mailto:forensic@elsewhere.com!5m")
              .mx("example.com", 10, "mx.example.com");
          assertThat(resolver.resolve("example.com").findings())
              .anyMatch(
                  f ->
                      f.code().equals("DMARC_REPORT_DESTINATION_UNAUTHORIZED")
                          && f.message().contains("ruf"))
              .anyMatch(
                  f ->
                      f.code().equals("DMARC_REPORT_DESTINATION_NO_MX")
                          && f.message().contains("ruf"));
        });
    return m;
  }
}
