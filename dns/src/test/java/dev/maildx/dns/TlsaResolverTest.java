package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecStatus;
import dev.maildx.report.TlsaRecord;
import dev.maildx.report.TlsaReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLSA records for SMTP (RFC 7672) and their DNSSEC status, against signed zones on loopback. */
class TlsaResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private DnssecFixture tree;
  private TlsaResolver checker;

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

  private TlsaReport check(String domain) {
    return check(domain, tree.options(DnssecMode.LOCAL_VALIDATION));
  }

  private TlsaReport check(String domain, PolicyOptions options) {
    checker =
        TlsaResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(5))
                    .dnsQueryTimeout(Duration.ofSeconds(1))
                    .build()),
            options);
    return checker.check(domain);
  }

  static List<String> codes(TlsaReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(TlsaReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void secureTlsaRecords_enableDane_andHostsWithoutThemArePartial() {
    TlsaReport r = check("good.test");

    TlsaReport.Host mx1 = r.host("mx1.good.test").orElseThrow();
    assertThat(mx1.tlsaName()).isEqualTo("_25._tcp.mx1.good.test");
    assertThat(mx1.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(mx1.records())
        .containsExactly(new TlsaRecord(3, 1, 1, HexFormat.of().parseHex(DnssecFixture.HASH)));
    assertThat(mx1.daneEnabled()).isTrue();
    assertThat(r.method()).isEqualTo(DnssecMethod.LOCAL_VALIDATION);
    assertThat(codes(r)).contains("TLSA_OK", "TLSA_INSECURE", "TLSA_PARTIAL");
    // mx.plain.test publishes TLSA in an unsigned zone: ignored.
    TlsaReport.Host plain = r.host("mx.plain.test").orElseThrow();
    assertThat(plain.records()).hasSize(1);
    assertThat(plain.usable()).isEmpty();
    assertThat(finding(r, "TLSA_INSECURE").evidence().get("host")).isEqualTo("mx.plain.test");
  }

  @Test
  void noTlsaAnywhere_meansNoDane() {
    TlsaReport r = check("hostbad.test");

    assertThat(codes(r)).containsExactly("TLSA_NONE");
    assertThat(r.hosts()).allMatch(h -> h.records().isEmpty() && h.dnssec() == DnssecStatus.SECURE);
  }

  @Test
  void bogusTlsaOnOneHost_isAtRisk() {
    TlsaReport r = check("tlsabad.test");

    Finding f = finding(r, "TLSA_BOGUS");
    assertThat(f.evidence().get("host")).isEqualTo("mx1.tlsabad.test");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(r.host("mx2.tlsabad.test").orElseThrow().daneEnabled()).isTrue();
  }

  @Test
  void bogusTlsaOnEveryHost_isUndeliverableForDaneSenders() {
    TlsaReport r = check("allbad.test");

    assertThat(finding(r, "TLSA_BOGUS").effect()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void unusableParameters_areEachReported_andAllUnusableSaidSo() {
    TlsaReport r = check("odd.test");

    assertThat(codes(r))
        .contains(
            "TLSA_PKIX_USAGE", "TLSA_UNKNOWN_PARAMETER", "TLSA_BAD_LENGTH", "TLSA_ALL_UNUSABLE");
    assertThat(finding(r, "TLSA_PKIX_USAGE").reference()).isEqualTo("RFC 7672 §3.1.3");
    assertThat(finding(r, "TLSA_BAD_LENGTH").message()).contains("needs 32 bytes", "has 2");
    assertThat(r.host("mx1.odd.test").orElseThrow().usable()).isEmpty();
  }

  @Test
  void signedTlsaWithoutAdBit_hasAnUnknownStatus() {
    TlsaReport r =
        check("good.test", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(r.method()).isEqualTo(DnssecMethod.RESOLVER_AD_BIT);
    assertThat(finding(r, "TLSA_DNSSEC_UNKNOWN").evidence().get("host")).isEqualTo("mx1.good.test");
  }

  @Test
  void adBitFromAValidatingResolver_makesTlsaUsable() {
    dns.server().authenticated("_25._tcp.mx1.good.test");

    TlsaReport r =
        check("good.test", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    assertThat(r.host("mx1.good.test").orElseThrow().daneEnabled()).isTrue();
  }

  @Test
  void failingTlsaLookup_isInconclusive() {
    dns.server().fault("_25._tcp.mx1.good.test", DnsFault.servfail());

    TlsaReport r =
        check("good.test", PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build());

    Finding f = finding(r, "TLSA_LOOKUP_FAILED");
    assertThat(f.inconclusive()).isTrue();
    assertThat(f.message()).contains("DANE senders defer mail");
  }
}
