package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.DnssecStatus;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNSSEC status of a domain's MX records and MX host addresses: validated by maildx from a trust
 * anchor (dnsjava's validator), and taken from a resolver's AD bit, against signed zones served
 * over real sockets.
 */
class DnssecResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private DnssecFixture tree;
  private DnssecResolver checker;

  @BeforeEach
  void zones() {
    tree = new DnssecFixture(dns.server());
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
  }

  private DnssecReport check(String domain, PolicyOptions options) {
    checker =
        DnssecResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(5))
                    .dnsQueryTimeout(Duration.ofSeconds(1))
                    .build()),
            options);
    return checker.check(domain);
  }

  private DnssecReport validate(String domain) {
    return check(domain, tree.options(DnssecMode.LOCAL_VALIDATION));
  }

  static List<String> codes(DnssecReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(DnssecReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void signedDomain_validatesFromTheTrustAnchor() {
    DnssecReport r = validate("good.test");

    assertThat(r.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(r.method()).isEqualTo(DnssecMethod.LOCAL_VALIDATION);
    assertThat(finding(r, "DNSSEC_SECURE").evidence().get("secureHosts"))
        .isEqualTo("mx1.good.test");
    assertThat(r.results())
        .extracting(
            DnssecReport.Result::name, DnssecReport.Result::type, DnssecReport.Result::status)
        .contains(
            org.assertj.core.groups.Tuple.tuple("good.test", "MX", DnssecStatus.SECURE),
            org.assertj.core.groups.Tuple.tuple("mx1.good.test", "A", DnssecStatus.SECURE),
            org.assertj.core.groups.Tuple.tuple("mx1.good.test", "AAAA", DnssecStatus.SECURE));
    // The validator went down the chain: DS and DNSKEY of good.test were asked for.
    assertThat(dns.server().queryCount("good.test", "DS")).isPositive();
    assertThat(dns.server().queryCount("good.test", "DNSKEY")).isPositive();
  }

  @Test
  void mxHostInAnUnsignedZone_cannotUseDane() {
    DnssecReport r = validate("good.test");

    assertThat(finding(r, "DNSSEC_HOST_INSECURE").evidence().get("name"))
        .isEqualTo("mx.plain.test");
  }

  @Test
  void unsignedDelegation_isProvablyInsecure() {
    DnssecReport r = validate("plain.test");

    assertThat(r.status()).isEqualTo(DnssecStatus.INSECURE);
    Finding f = finding(r, "DNSSEC_INSECURE");
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void corruptMxSignature_isBogusAndUndeliverable() {
    DnssecReport r = validate("broken.test");

    assertThat(r.status()).isEqualTo(DnssecStatus.BOGUS);
    Finding f = finding(r, "DNSSEC_BOGUS");
    assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(f.evidence().get("reason")).isNotBlank();
  }

  @Test
  void expiredSignatures_areBogus() {
    assertThat(validate("expired.test").status()).isEqualTo(DnssecStatus.BOGUS);
  }

  @Test
  void oneBogusHost_isAtRisk() {
    DnssecReport r = validate("hostbad.test");

    assertThat(r.status()).isEqualTo(DnssecStatus.SECURE);
    Finding f = finding(r, "DNSSEC_BOGUS");
    assertThat(f.evidence().get("name")).isEqualTo("mx2.hostbad.test");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void everyHostBogus_isUndeliverable() {
    DnssecReport r = validate("allbad.test");

    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("DNSSEC_BOGUS"))
        .extracting(Finding::effect)
        .contains(Verdict.UNDELIVERABLE);
  }

  @Test
  void nameNoAnchorCovers_isIndeterminate() {
    dns.server().mx("other.example", 10, "mx.other.example").a("mx.other.example", "9.9.9.9");

    DnssecReport r = validate("other.example");

    assertThat(r.status()).isEqualTo(DnssecStatus.INDETERMINATE);
    assertThat(finding(r, "DNSSEC_INDETERMINATE").message())
        .contains("no configured trust anchor covers other.example");
  }

  @Test
  void autoMode_validatesLocallyWhenTheServerServesTheAnchorsKeys() {
    DnssecReport r = check("good.test", tree.options(DnssecMode.AUTO));

    assertThat(r.method()).isEqualTo(DnssecMethod.LOCAL_VALIDATION);
    assertThat(r.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(codes(r)).doesNotContain("DNSSEC_RESOLVER_AD_BIT");
  }

  @Test
  void autoMode_withRootAnchorsAgainstAnAuthoritativeServer_fallsBackToTheAdBit() {
    DnssecReport r = check("plain.test", PolicyOptions.defaults());

    assertThat(r.method()).isEqualTo(DnssecMethod.RESOLVER_AD_BIT);
    assertThat(codes(r)).contains("DNSSEC_RESOLVER_AD_BIT", "DNSSEC_INSECURE");
    assertThat(r.findings()).noneMatch(Finding::inconclusive);
  }

  @Test
  void adBitOfAValidatingResolver_isSecure() {
    dns.server()
        .mx("ad.example", 10, "mx.ad.example")
        .a("mx.ad.example", "9.9.9.9")
        .authenticated("ad.example", "mx.ad.example");

    DnssecReport r =
        check("ad.example", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(r.method()).isEqualTo(DnssecMethod.RESOLVER_AD_BIT);
    assertThat(r.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(codes(r)).contains("DNSSEC_SECURE");
  }

  @Test
  void servfailThatClearsWithCheckingDisabled_isBogus() {
    dns.server()
        .mx("bogus.example", 10, "mx.bogus.example")
        .a("mx.bogus.example", "9.9.9.9")
        .fault("bogus.example", DnsFault.bogus());

    DnssecReport r =
        check(
            "bogus.example",
            PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(r.status()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(finding(r, "DNSSEC_BOGUS").evidence().get("reason")).contains("checking disabled");
  }

  @Test
  void signedAnswerWithoutAdBit_isIndeterminate() {
    DnssecReport r =
        check("good.test", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(r.status()).isEqualTo(DnssecStatus.INDETERMINATE);
    assertThat(finding(r, "DNSSEC_INDETERMINATE").message()).contains("did not authenticate it");
  }

  @Test
  void persistentServfail_isInconclusive() {
    dns.server().fault("down.example", DnsFault.servfail());

    DnssecReport r =
        check(
            "down.example", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(finding(r, "DNSSEC_LOOKUP_FAILED").inconclusive()).isTrue();
  }

  @Test
  void validatorTimeout_isInconclusiveWithinTheDeadline() {
    dns.server().fault("good.test", "DNSKEY", DnsFault.timeout());
    checker =
        DnssecResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofMillis(1200))
                    .build()),
            tree.options(DnssecMode.LOCAL_VALIDATION));

    long t0 = System.nanoTime();
    DnssecReport r = checker.check("good.test");

    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1200 + 300);
    assertThat(codes(r)).contains("DNSSEC_LOOKUP_FAILED");
    assertThat(r.status()).isEqualTo(DnssecStatus.INDETERMINATE);
  }
}
