package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.BimiReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BIMI assertion records against a real DNS server on loopback. */
class BimiResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private BimiResolver checker;

  private BimiResolver checker() {
    checker =
        BimiResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(3))
                    .build()));
    return checker;
  }

  private BimiReport check(String domain) {
    return checker().check(domain);
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static List<String> codes(BimiReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(BimiReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void recordWithLogoAndCertificate_isOk() {
    dns.server()
        .txt(
            "default._bimi.brand.test",
            "v=BIMI1; l=https://brand.test/logo.svg; a=https://brand.test/vmc.pem");

    BimiReport r = check("brand.test");

    assertThat(codes(r)).containsExactly("BIMI_OK");
    assertThat(r.location()).isEqualTo("https://brand.test/logo.svg");
    assertThat(r.authority()).isEqualTo("https://brand.test/vmc.pem");
    assertThat(r.selector()).isEqualTo("default");
    assertThat(r.findings()).allMatch(f -> f.effect() == Verdict.DELIVERABLE);
  }

  @Test
  void recordWithoutCertificate_isOkButSaysGmailWillNotShowIt() {
    dns.server().txt("default._bimi.nocert.test", "v=BIMI1; l=https://nocert.test/logo.svg;");

    BimiReport r = check("nocert.test");

    assertThat(codes(r)).containsExactlyInAnyOrder("BIMI_OK", "BIMI_NO_AUTHORITY");
    assertThat(r.authority()).isNull();
  }

  @Test
  void noRecord_isInformational() {
    dns.server().a("plain.test", "8.8.8.8");

    assertThat(codes(check("plain.test"))).containsExactly("BIMI_NONE");
  }

  @Test
  void declinationRecord_isRecognised() {
    dns.server().txt("default._bimi.decline.test", "v=BIMI1; l=; a=;");

    BimiReport r = check("decline.test");

    assertThat(codes(r)).containsExactly("BIMI_DECLINED");
    assertThat(r.declined()).isTrue();
  }

  @Test
  void twoRecords_areNotUsed() {
    dns.server()
        .txt("default._bimi.two.test", "v=BIMI1; l=https://two.test/a.svg")
        .txt("default._bimi.two.test", "v=BIMI1; l=https://two.test/b.svg");

    BimiReport r = check("two.test");

    assertThat(codes(r)).containsExactly("BIMI_MULTIPLE");
    assertThat(r.location()).isNull();
  }

  @Test
  void versionNotFirst_andBadAvp_areSyntaxErrors() {
    dns.server()
        .txt(
            "default._bimi.syntax.test",
            "v=BIMI2; l=https://syntax.test/a.svg; avp=everyone; l=https://x.test/b.svg");

    Finding f = finding(check("syntax.test"), "BIMI_SYNTAX");

    assertThat(f.evidence().get("problems"))
        .contains("must begin with \"v=BIMI1\"", "avp must be", "\"l\" occurs more than once");
  }

  @Test
  void missingLocation_isReported() {
    dns.server().txt("default._bimi.noloc.test", "v=BIMI1; a=https://noloc.test/vmc.pem");

    assertThat(codes(check("noloc.test"))).containsExactly("BIMI_LOCATION_MISSING");
  }

  @Test
  void plainHttpLocationAndCertificate_areReported() {
    dns.server()
        .txt(
            "default._bimi.http.test",
            "v=BIMI1; l=http://http.test/logo.svg; a=ftp://http.test/vmc.pem");

    BimiReport r = check("http.test");

    assertThat(codes(r))
        .containsExactlyInAnyOrder("BIMI_LOCATION_NOT_HTTPS", "BIMI_AUTHORITY_NOT_HTTPS");
    assertThat(finding(r, "BIMI_LOCATION_NOT_HTTPS").message()).contains("scheme must be https");
  }

  @Test
  void otherSelector_isLookedUpAtItsName() {
    dns.server()
        .txt(
            "brand2._bimi.sel.test",
            "v=BIMI1; l=https://sel.test/logo.svg; a=https://sel.test/vmc.pem");

    BimiReport r =
        checker()
            .checkAsync(DomainName.of("sel.test"), "Brand2", Deadline.after(Duration.ofSeconds(3)))
            .join();

    assertThat(codes(r)).containsExactly("BIMI_OK");
    assertThat(r.selector()).isEqualTo("brand2");
    assertThatThrownBy(
            () ->
                checker.checkAsync(
                    DomainName.of("sel.test"),
                    "bad selector",
                    Deadline.after(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid BIMI selector");
  }

  @Test
  void refused_isInconclusive() {
    dns.server().fault("default._bimi.refused.test", DnsFault.refused());

    assertThat(finding(check("refused.test"), "BIMI_LOOKUP_FAILED").inconclusive()).isTrue();
  }
}
