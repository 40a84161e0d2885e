package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.DnssecStatus;
import dev.maildx.report.TlsaReport;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNSSEC against real servers: the lab of {@code .ci/interop/start.d/20-dnssec.sh}, where NSD on
 * 127.0.0.1:5363 serves {@code signed.test}, {@code bogus.test} (its MX altered after signing) and
 * {@code unsigned.test}, signed at start time, behind a validating Unbound on 127.0.0.1:5357 that
 * holds their trust anchors.
 */
@Tag("interop")
class DnssecInteropTest {
  @RegisterExtension static final TestRuntime runtime = new TestRuntime();
  static final InetSocketAddress UNBOUND = new InetSocketAddress("127.0.0.1", 5357);
  static final InetSocketAddress NSD = new InetSocketAddress("127.0.0.1", 5363);
  static String anchors;

  @BeforeAll
  static void lab() throws Exception {
    String lab = System.getenv().getOrDefault("MAILDX_LAB", "/tmp/maildx-lab");
    Path ds = Path.of(lab, "dnssec", "trust-anchors.ds");
    assertThat(ds).as("the DNSSEC lab's trust anchors (run .ci/interop/start.sh)").exists();
    anchors = Files.readString(ds);
  }

  private static DiagnosticsConfig config(InetSocketAddress server) {
    return DiagnosticsConfig.builder()
        .dnsServer(server)
        .timeout(Duration.ofSeconds(10))
        .dnsQueryTimeout(Duration.ofSeconds(3))
        .build();
  }

  private static DnssecReport check(
      InetSocketAddress server, PolicyOptions options, String domain) {
    try (DnssecResolver c = DnssecResolver.create(runtime.of(config(server)), options)) {
      return c.check(domain);
    }
  }

  private static PolicyOptions mode(DnssecMode mode) {
    return PolicyOptions.builder().dnssecMode(mode).trustAnchors(anchors).build();
  }

  @Test
  void throughValidatingUnbound_adBitAndServfail_giveSecureBogusAndInsecure() {
    PolicyOptions ad = PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build();

    DnssecReport signed = check(UNBOUND, ad, "signed.test");
    DnssecReport bogus = check(UNBOUND, ad, "bogus.test");
    DnssecReport unsigned = check(UNBOUND, ad, "unsigned.test");

    assertThat(signed.method()).isEqualTo(DnssecMethod.RESOLVER_AD_BIT);
    assertThat(signed.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(signed.results()).allMatch(r -> r.status() == DnssecStatus.SECURE);
    assertThat(bogus.status()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(bogus.findings())
        .filteredOn(f -> f.code().equals("DNSSEC_BOGUS"))
        .extracting(Finding::effect)
        .contains(Verdict.UNDELIVERABLE);
    assertThat(unsigned.status()).isEqualTo(DnssecStatus.INSECURE);
  }

  @Test
  void localValidationThroughUnbound_withTheZonesTrustAnchors() {
    DnssecReport signed = check(UNBOUND, mode(DnssecMode.AUTO), "signed.test");
    DnssecReport bogus = check(UNBOUND, mode(DnssecMode.AUTO), "bogus.test");

    assertThat(signed.method()).isEqualTo(DnssecMethod.LOCAL_VALIDATION);
    assertThat(signed.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(bogus.status()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(bogus.findings())
        .filteredOn(f -> f.code().equals("DNSSEC_BOGUS"))
        .first()
        .satisfies(f -> assertThat(f.evidence().get("method")).isEqualTo("LOCAL_VALIDATION"));
  }

  @Test
  void validatingResolverAgainstNsdItself_withTheSignedZonesTrustAnchor() {
    DnssecReport signed = check(NSD, mode(DnssecMode.LOCAL_VALIDATION), "signed.test");
    DnssecReport bogus = check(NSD, mode(DnssecMode.LOCAL_VALIDATION), "bogus.test");
    DnssecReport unsigned = check(NSD, mode(DnssecMode.LOCAL_VALIDATION), "unsigned.test");

    assertThat(signed.status()).isEqualTo(DnssecStatus.SECURE);
    assertThat(signed.results())
        .extracting(r -> r.name() + "/" + r.type())
        .containsExactly("signed.test/MX", "mx1.signed.test/A", "mx1.signed.test/AAAA");
    assertThat(signed.results()).allMatch(r -> r.status() == DnssecStatus.SECURE);
    assertThat(bogus.status()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(unsigned.status()).isEqualTo(DnssecStatus.INDETERMINATE); // no anchor covers it
  }

  @Test
  void nsdAlone_setsNoAdBit_soSignedAnswersAreIndeterminate() {
    DnssecReport signed =
        check(
            NSD,
            PolicyOptions.builder().dnssecMode(DnssecMode.RESOLVER_AD_BIT).build(),
            "signed.test");

    assertThat(signed.status()).isEqualTo(DnssecStatus.INDETERMINATE);
  }

  @Test
  void tlsaOfTheSignedZone_isUsable_andOfTheUnsignedZoneIgnored() {
    try (TlsaResolver c = TlsaResolver.create(runtime.of(config(UNBOUND)), mode(DnssecMode.AUTO))) {
      TlsaReport signed = c.check("signed.test");
      TlsaReport unsigned = c.check("unsigned.test");

      assertThat(signed.host("mx1.signed.test").orElseThrow().daneEnabled()).isTrue();
      assertThat(signed.findings()).extracting(Finding::code).contains("TLSA_OK");
      assertThat(unsigned.host("mx1.unsigned.test").orElseThrow().daneEnabled()).isFalse();
      assertThat(unsigned.findings()).extracting(Finding::code).contains("TLSA_DNSSEC_UNKNOWN");
    }
  }
}
