package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DmarcReport.Destination.Authorization;
import dev.maildx.report.DnsOutcome;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DMARC discovery and lint against a real DNS server on loopback (RFC 9989, RFC 7489). */
class DmarcResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  private DmarcResolver resolver;

  private DmarcResolver resolver() {
    resolver =
        DmarcResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .build()));
    return resolver;
  }

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private MockDnsServer dns() {
    return dnsExtension.server();
  }

  private static Finding finding(DmarcReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r.findings()));
  }

  private static Arguments record(String record, String code, Severity severity, Verdict effect) {
    return Arguments.of(
        code,
        (Consumer<MockDnsServer>) d -> d.txt("_dmarc.example.com", record),
        "example.com",
        severity,
        effect,
        record);
  }

  private static Arguments zone(
      String code, Consumer<MockDnsServer> zone, String domain, Severity severity, Verdict effect) {
    return Arguments.of(code, zone, domain, severity, effect, "");
  }

  @Test
  void aDnsTimeout_findingStatesTheTotalWaitAndTheAttempts() throws Exception {
    // Issue 14, item 6: the finding said "within 3 ms" (the last retry's remainder) after seconds.
    try (java.net.DatagramSocket silent =
        new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      java.net.InetSocketAddress server =
          new java.net.InetSocketAddress(
              java.net.InetAddress.getLoopbackAddress(), silent.getLocalPort());
      resolver =
          DmarcResolver.create(
              runtime.of(
                  DiagnosticsConfig.builder()
                      .dnsServer(server)
                      .timeout(Duration.ofSeconds(3))
                      .dnsQueryTimeout(Duration.ofMillis(500))
                      .build()));

      long t0 = System.nanoTime();
      DmarcReport r = resolver.resolve("example.com");
      long ms = (System.nanoTime() - t0) / 1_000_000;

      Finding f = finding(r, "DMARC_LOOKUP_FAILED");
      assertThat(f.message())
          .containsPattern(
              "no answer in (0\\.9|1\\.[0-3]) s, 2 attempts to 127\\.0\\.0\\.1:"
                  + silent.getLocalPort())
          .doesNotContain("within");
      assertThat(ms).isLessThan(1000 + 400);
      System.out.println("DMARC lookup, silent DNS: " + ms + " ms: " + f.message());
    }
  }

  /** The DMARC_TAG_REMOVED findings, as tag -> message. */
  private static java.util.Map<String, String> removedTags(DmarcReport r) {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    r.findings().stream()
        .filter(f -> f.code().equals("DMARC_TAG_REMOVED"))
        .forEach(f -> m.put(f.evidence().get("tag"), f.message()));
    return m;
  }

  @Test
  void invalidRfAndRi_doNotInvalidateTheRecord_andSayWhatRfc7489ReceiversDo() {
    // RFC 9989 §4.7 gives rf and ri no meaning (historic in its tag registry): their values are not
    // errors of the record (checkdmarc's testDMARCRfRemovedNotValidated agrees). RFC 7489 §6.3
    // still
    // reads them: an rf value outside the registry (afrf) is ignored and MAY make a receiver ignore
    // the whole record; ri is a 32-bit unsigned integer, else the default 86400 applies.
    dns()
        .txt(
            "_dmarc.example.com", "v=DMARC1; p=reject; rf=xml; ri=often; rua=mailto:d@example.com");

    DmarcReport r = resolver().resolve("example.com");

    assertThat(r.record()).isNotNull();
    assertThat(r.record().usable()).isTrue();
    assertThat(r.record().policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(r.record().reportFormat()).isEqualTo("afrf");
    assertThat(r.record().reportInterval()).isEqualTo(Duration.ofDays(1));
    assertThat(r.findings()).noneMatch(f -> f.code().equals("DMARC_INVALID_TAG_VALUE"));
    assertThat(removedTags(r).get("rf"))
        .contains("\"xml\" is not a registered report format (afrf)")
        .contains("may ignore the whole record")
        .contains("RFC 7489 §6.3");
    assertThat(removedTags(r).get("ri"))
        .contains("\"often\" is not a number of seconds")
        .contains("default of 86400");
  }

  @Test
  void riBeyondThirtyTwoBits_isInvalidForRfc7489_andAValidRfIsNotFlagged() {
    dns()
        .txt(
            "_dmarc.example.com",
            "v=DMARC1; p=none; rf=AFRF; ri=4294967296; rua=mailto:d@example.com");

    DmarcReport r = resolver().resolve("example.com");

    assertThat(r.record().reportInterval()).isEqualTo(Duration.ofDays(1));
    assertThat(removedTags(r).get("ri")).contains("\"4294967296\" is not a number of seconds");
    assertThat(removedTags(r).get("rf")).contains("RFC 7489 receivers still honour it");
  }

  /**
   * One scenario per finding code: the code, a zone that causes it, the domain asked about, and the
   * expected severity and effect.
   */
  static Stream<Arguments> everyCode() {
    Severity e = Severity.ERROR;
    Severity w = Severity.WARNING;
    Severity i = Severity.INFO;
    Verdict ok = Verdict.DELIVERABLE;
    Verdict risk = Verdict.AT_RISK;
    return Stream.of(
        record("v=DMARC1; p=reject; rua=mailto:d@example.com", "DMARC_OK", i, ok),
        record("v=DMARC1; p=reject; oops; rua=mailto:d@example.com", "DMARC_SYNTAX_ERROR", w, ok),
        record("v=DMARC1; p=reject; ruv=mailto:d@example.com", "DMARC_UNKNOWN_TAG", w, ok),
        record(
            "v=DMARC1; p=reject; p=none; rua=mailto:d@example.com", "DMARC_DUPLICATE_TAG", e, risk),
        record("v=DMARC1; p=block; rua=mailto:d@example.com", "DMARC_INVALID_TAG_VALUE", w, ok),
        record("v=DMARC1; rua=mailto:d@example.com", "DMARC_P_MISSING", w, ok),
        record("v=DMARC1; adkim=s", "DMARC_NO_POLICY", e, risk),
        record(
            "v=DMARC1; sp=reject; p=reject; rua=mailto:d@example.com", "DMARC_P_NOT_SECOND", w, ok),
        record("v=DMARC1; p=reject; ri=3600; rua=mailto:d@example.com", "DMARC_TAG_REMOVED", i, ok),
        record("v=DMARC1; p=reject; pct=25; rua=mailto:d@example.com", "DMARC_PCT_PARTIAL", w, ok),
        record(
            "v=DMARC1; p=reject; fo=0:1; ruf=mailto:f@example.com; rua=mailto:d@example.com",
            "DMARC_FO_CONFLICT",
            w,
            ok),
        record("v=DMARC1; p=reject; fo=1; rua=mailto:d@example.com", "DMARC_FO_WITHOUT_RUF", i, ok),
        record("v=DMARC1; p=reject; rua=d@example.com", "DMARC_INVALID_REPORT_URI", w, ok),
        record(
            "v=DMARC1; p=reject; rua=https://reports.example.com/dmarc",
            "DMARC_REPORT_URI_UNSUPPORTED",
            w,
            ok),
        record(
            "v=DMARC1; p=reject; rua=mailto:d@example.com!10m",
            "DMARC_REPORT_URI_SIZE_OBSOLETE",
            i,
            ok),
        record("v=DMARC1; p=none; rua=mailto:d@example.com", "DMARC_POLICY_NONE", i, ok),
        record("v=DMARC1; p=none", "DMARC_POLICY_NONE_NO_RUA", w, ok),
        record("v=DMARC1; p=quarantine", "DMARC_NO_RUA", i, ok),
        record(
            "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com",
            "DMARC_SUBDOMAIN_POLICY_WEAKER",
            w,
            ok),
        record(
            "v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com",
            "DMARC_NP_WEAKER",
            w,
            ok),
        record("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", "DMARC_TESTING", w, ok),
        record(
            "v=DMARC1; p=reject; aspf=s; rua=mailto:d@example.com",
            "DMARC_STRICT_ALIGNMENT",
            i,
            ok),
        zone(
            "DMARC_MISSING",
            d -> d.mx("example.com", 10, "mx.example.com"),
            "example.com",
            w,
            risk),
        zone(
            "DMARC_LOOKUP_FAILED",
            d -> d.fault("_dmarc.example.com", DnsFault.servfail()),
            "example.com",
            w,
            Verdict.INCONCLUSIVE),
        record("v=DMARC1; p=reject", "DMARC_OK", i, ok),
        zone(
            "DMARC_MULTIPLE_RECORDS",
            d ->
                d.txt("_dmarc.example.com", "v=DMARC1; p=reject")
                    .txt("_dmarc.example.com", "v=DMARC1; p=none"),
            "example.com",
            e,
            risk),
        record("v=dmarc1; p=reject", "DMARC_VERSION_INVALID", e, risk),
        record(" v=DMARC1; p=reject", "DMARC_RECORD_LEADING_WHITESPACE", e, risk),
        record("v=spf1 -all", "DMARC_SPF_RECORD_AT_DMARC", e, risk),
        zone(
            "DMARC_UNRELATED_TXT",
            d ->
                d.txt("_dmarc.example.com", "v=DMARC1; p=reject")
                    .txt("_dmarc.example.com", "verification=1"),
            "example.com",
            i,
            ok),
        zone(
            "DMARC_RECORD_AT_APEX",
            d -> d.txt("example.com", "v=DMARC1; p=reject"),
            "example.com",
            e,
            risk),
        zone(
            "DMARC_INHERITED",
            d ->
                d.txt("_dmarc.example.com", "v=DMARC1; p=reject")
                    .a("mail.example.com", "192.0.2.1"),
            "mail.example.com",
            i,
            ok),
        zone(
            "DMARC_PSD_POLICY",
            d ->
                d.txt("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y")
                    .a("www.giant.bank.example", "192.0.2.1"),
            "www.giant.bank.example",
            i,
            ok),
        zone(
            "DMARC_ORG_DOMAIN_MISMATCH",
            d -> d.txt("_dmarc.mail.example.com", "v=DMARC1; p=reject"),
            "mail.example.com",
            w,
            ok),
        zone(
            "DMARC_REPORT_DESTINATION_UNAUTHORIZED",
            d ->
                d.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:r@vendor.example")
                    .mx("vendor.example", 10, "mx.vendor.example"),
            "example.com",
            w,
            ok),
        zone(
            "DMARC_REPORT_DESTINATION_NO_MX",
            d -> d.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:r@gone.example.com"),
            "example.com",
            w,
            ok),
        zone(
            "DMARC_REPORT_LOOKUP_FAILED",
            d ->
                d.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:r@vendor.example")
                    .fault("example.com._report._dmarc.vendor.example", DnsFault.servfail())
                    .mx("vendor.example", 10, "mx.vendor.example"),
            "example.com",
            w,
            Verdict.INCONCLUSIVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCode")
  void everyFindingCode_isProducedOverRealSockets(
      String code,
      Consumer<MockDnsServer> zone,
      String domain,
      Severity severity,
      Verdict effect,
      String record) {
    zone.accept(dns());

    DmarcReport r = resolver().resolve(domain);

    Finding f = finding(r, code);
    assertThat(f.severity()).as(code + " severity").isEqualTo(severity);
    assertThat(f.effect()).as(code + " effect").isEqualTo(effect);
    assertThat(f.check()).isEqualTo("dmarc");
    if (!record.isEmpty()
        && record.contains(";")
        && !code.equals("DMARC_OK")
        && f.evidence().containsKey("record")) {
      assertThat(f.evidence().get("record")).isEqualTo(record);
    }
  }

  @Test
  void everyDeclaredCode_hasAScenario() {
    Set<String> documented = new LinkedHashSet<>();
    Stream.of(DmarcReport.Code.values()).forEach(c -> documented.add(c.name()));
    Set<String> tested = new LinkedHashSet<>();
    everyCode().forEach(a -> tested.add((String) a.get()[0]));
    assertThat(documented).hasSizeGreaterThan(30);
    assertThat(tested).containsAll(documented);
  }

  @Test
  void syntaxErrorsQuoteTheOffendingText() {
    dns()
        .txt(
            "_dmarc.example.com",
            "v=DMARC1; p=reject; tagonly; =value; x-y=1; rua=mailto:d@example.com");

    DmarcReport r = resolver().resolve("example.com");

    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("DMARC_SYNTAX_ERROR"))
        .extracting(f -> f.evidence().get("text"))
        .containsExactly("tagonly", "=value", "x-y=1");
    assertThat(r.record().policy()).isEqualTo(DmarcRecord.Policy.REJECT);
  }

  @Test
  void everyTagIsParsedWithDefaults() {
    dns().txt("_dmarc.example.com", "v=DMARC1; p=quarantine");

    DmarcRecord d = resolver().resolve("example.com").record();

    assertThat(d.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(d.subdomainPolicy()).isNull();
    assertThat(d.effectiveSubdomainPolicy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(d.effectiveNonExistentPolicy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(d.dkimAlignment()).isEqualTo(DmarcRecord.Alignment.RELAXED);
    assertThat(d.spfAlignment()).isEqualTo(DmarcRecord.Alignment.RELAXED);
    assertThat(d.percent()).isEqualTo(100);
    assertThat(d.aggregateReportUris()).isEmpty();
    assertThat(d.failureReportOptions()).containsExactly("0");
    assertThat(d.reportFormat()).isEqualTo("afrf");
    assertThat(d.reportInterval()).isEqualTo(Duration.ofDays(1));
    assertThat(d.testing()).isFalse();
    assertThat(d.psd()).isEqualTo(DmarcRecord.Psd.U);
    assertThat(d.usable()).isTrue();
  }

  @Test
  void everyTagIsParsedWhenGiven() {
    dns()
        .txt(
            "_dmarc.example.com",
            "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=s; pct=50; "
                + "rua=mailto:a@example.com, mailto:b@example.com; ruf=mailto:f@example.com; fo=d:s; rf=afrf; ri=3600; t=y; psd=n");

    DmarcRecord d = resolver().resolve("example.com").record();

    assertThat(d.subdomainPolicy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(d.nonExistentPolicy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(d.dkimAlignment()).isEqualTo(DmarcRecord.Alignment.STRICT);
    assertThat(d.percent()).isEqualTo(50);
    assertThat(d.aggregateReportUris())
        .containsExactly("mailto:a@example.com", "mailto:b@example.com");
    assertThat(d.failureReportUris()).containsExactly("mailto:f@example.com");
    assertThat(d.failureReportOptions()).containsExactly("d", "s");
    assertThat(d.reportInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(d.testing()).isTrue();
    assertThat(d.psd()).isEqualTo(DmarcRecord.Psd.N);
  }

  @Test
  void inheritedPolicy_usesSpForAnExistingSubdomainAndNpForAMissingOne() {
    dns()
        .txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; np=none")
        .a("www.example.com", "192.0.2.1");

    DmarcReport existing = resolver().resolve("www.example.com");
    DmarcReport missing = resolver.resolve("nothere.example.com");

    assertThat(existing.policyDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(existing.domainExists()).isTrue();
    assertThat(existing.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(missing.domainExists()).isFalse();
    assertThat(missing.policy()).isEqualTo(DmarcRecord.Policy.NONE);
    assertThat(missing.ownRecord()).isFalse();
  }

  @Test
  void treeWalkAndPublicSuffixList_disagreeOnASubdomainWithItsOwnRecordOnly() {
    dns().txt("_dmarc.mail.example.com", "v=DMARC1; p=reject");

    DmarcReport r = resolver().resolve("mail.example.com");

    assertThat(r.organizationalDomain()).isEqualTo(DomainName.of("mail.example.com"));
    assertThat(r.pslOrganizationalDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(r.methodsAgree()).isFalse();
    assertThat(finding(r, "DMARC_ORG_DOMAIN_MISMATCH").evidence())
        .containsEntry("treeWalkOrganizationalDomain", "mail.example.com")
        .containsEntry("pslOrganizationalDomain", "example.com");
  }

  @Test
  void severalRecordsAtTheDomain_rfc9989WalksOnButRfc7489Stops() {
    dns()
        .txt("_dmarc.mail.example.com", "v=DMARC1; p=reject")
        .txt("_dmarc.mail.example.com", "v=DMARC1; p=none")
        .txt("_dmarc.example.com", "v=DMARC1; p=quarantine")
        .a("mail.example.com", "192.0.2.1");

    DmarcReport r = resolver().resolve("mail.example.com");

    assertThat(r.policyDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(r.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(r.pslPolicyDomain()).isNull();
    assertThat(r.methodsAgree()).isFalse();
    assertThat(r.findings())
        .extracting(Finding::code)
        .contains("DMARC_MULTIPLE_RECORDS", "DMARC_ORG_DOMAIN_MISMATCH");
  }

  @Test
  void agreeingMethods_raiseNoMismatch() {
    dns()
        .txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
        .mx("example.com", 10, "mx.example.com")
        .a("mail.example.com", "192.0.2.1");

    DmarcReport r = resolver().resolve("mail.example.com");

    assertThat(r.methodsAgree()).isTrue();
    assertThat(r.organizationalDomain()).isEqualTo(r.pslOrganizationalDomain());
    assertThat(r.treeWalk())
        .extracting(l -> l.name())
        .containsExactly("_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com");
  }

  @Test
  void externalReportDestination_authorizedByItsReportRecord() {
    dns()
        .txt(
            "_dmarc.example.com",
            "v=DMARC1; p=reject; rua=mailto:r@vendor.example,mailto:d@example.com")
        .txt("example.com._report._dmarc.vendor.example", "v=DMARC1")
        .mx("vendor.example", 10, "mx.vendor.example")
        .mx("example.com", 10, "mx.example.com");

    DmarcReport r = resolver().resolve("example.com");

    assertThat(r.reportDestinations())
        .extracting(x -> x.authorization())
        .containsExactly(Authorization.AUTHORIZED, Authorization.NOT_REQUIRED);
    assertThat(r.findings())
        .extracting(Finding::code)
        .doesNotContain("DMARC_REPORT_DESTINATION_UNAUTHORIZED");
    assertThat(r.reportDestinations().get(0).authorizationName())
        .isEqualTo("example.com._report._dmarc.vendor.example");
  }

  @Test
  void timeout_isInconclusiveAndReturnsWithinTheDeadline() {
    dns().faultAll(DnsFault.timeout());
    DmarcResolver quick =
        DmarcResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofMillis(700))
                    .dnsQueryTimeout(Duration.ofMillis(300))
                    .build()));
    try (quick) {
      long t0 = System.nanoTime();
      DmarcReport r = quick.resolve("example.com");
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.lookup()).isEqualTo(DnsOutcome.TIMEOUT);
      assertThat(finding(r, "DMARC_LOOKUP_FAILED").inconclusive()).isTrue();
      assertThat(r.findings()).extracting(Finding::code).doesNotContain("DMARC_MISSING");
      assertThat(ms).isLessThan(1200);
    }
  }

  @Test
  void hostileRecords_areBoundedAndNeverThrow() {
    StringBuilder many = new StringBuilder("v=DMARC1; p=reject");
    for (int i = 0; i < 200; i++) {
      many.append("; x").append((char) ('a' + i % 26)).append(i % 10 == 0 ? "" : "=v");
    }
    String[] chunks = many.toString().split("(?<=\\G.{250})");
    dns().txt("_dmarc.example.com", chunks);
    dns()
        .txt(
            "_dmarc.b.example.com",
            ("v=DMARC1; p=reject; rua=" + "mailto:a@b.example,".repeat(40))
                .split("(?<=\\G.{250})"));
    dns().txt("_dmarc.c.example.com", "v=DMARC1; p=\u0000\u00ff; rua=mailto:\u00e9@x.example");

    DmarcReport a = resolver().resolve("example.com");
    DmarcReport b = resolver.resolve("b.example.com");
    DmarcReport c = resolver.resolve("c.example.com");

    assertThat(a.record().tags().size()).isLessThanOrEqualTo(1 + 64);
    assertThat(b.record().aggregateReportUris()).hasSizeLessThanOrEqualTo(16);
    assertThat(c.findings()).isNotEmpty();
  }

  @Test
  void nameTooLongForItsDmarcRecord_isNotQueriedAndCountsAsAbsent() {
    String label = "a".repeat(60);
    String deep =
        label
            + "."
            + label
            + "."
            + label
            + "."
            + label.substring(0, 58)
            + ".example.com"; // 253 characters
    dns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    DmarcReport r = resolver().resolve(deep);

    assertThat(r.policyDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(r.findings()).extracting(Finding::code).doesNotContain("DMARC_LOOKUP_FAILED");
    assertThat(dns().queries()).noneMatch(q -> q.name().equals("_dmarc." + deep));
  }

  @Test
  void unusableRecord_hasNoPolicy() {
    dns().txt("_dmarc.example.com", "v=DMARC1; adkim=s");

    DmarcReport r = resolver().resolve("example.com");

    assertThat(r.record().usable()).isFalse();
    assertThat(r.policy()).isNull();
    assertThat(r.effectivePolicy()).isEmpty();
    assertThat(r.findings())
        .extracting(Finding::code)
        .contains("DMARC_NO_POLICY")
        .doesNotContain("DMARC_OK", "DMARC_MISSING");
  }

  @Test
  void refusedPublicSuffix_doesNotMatterOnceARecordIsFoundBelowIt() {
    // An authoritative server asked directly refuses names outside its zones, such as _dmarc.com.
    dns()
        .txt("_dmarc.example.com", "v=DMARC1; p=reject")
        .a("www.example.com", "192.0.2.1")
        .fault("_dmarc.com", DnsFault.refused());

    DmarcReport r = resolver().resolve("www.example.com");

    assertThat(r.organizationalDomain()).isEqualTo(DomainName.of("example.com"));
    assertThat(r.findings())
        .extracting(Finding::code)
        .contains("DMARC_INHERITED")
        .doesNotContain("DMARC_LOOKUP_FAILED");
  }

  @Test
  void refusedPublicSuffix_withNoRecordBelow_leavesThePolicyUnknown() {
    dns().a("www.example.com", "192.0.2.1").fault("_dmarc.com", DnsFault.refused());

    DmarcReport r = resolver().resolve("www.example.com");

    assertThat(r.findings())
        .extracting(Finding::code)
        .contains("DMARC_LOOKUP_FAILED")
        .doesNotContain("DMARC_MISSING");
  }

  @Test
  void invalidDomain_isRejectedWithAClearMessage() {
    assertThatThrownBy(() -> resolver().resolve("bad domain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("white space");
  }
}
