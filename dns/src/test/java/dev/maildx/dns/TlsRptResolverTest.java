package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.TlsRptReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS-RPT records (RFC 8460 §3) against a real DNS server on loopback. */
class TlsRptResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private TlsRptResolver checker;

  private TlsRptReport check(String domain) {
    checker =
        TlsRptResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .build()));
    return checker.check(domain);
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static List<String> codes(TlsRptReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(TlsRptReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void validRecord_listsItsReportingUris() {
    dns.server()
        .txt(
            "_smtp._tls.ok.test",
            "v=TLSRPTv1; rua=mailto:tls@ok.test,https://reports.ok.test/v1/tlsrpt");

    TlsRptReport r = check("ok.test");

    assertThat(codes(r)).containsExactly("TLSRPT_OK");
    assertThat(r.rua()).containsExactly("mailto:tls@ok.test", "https://reports.ok.test/v1/tlsrpt");
    assertThat(r.lookup()).isEqualTo(DnsOutcome.ANSWER);
    assertThat(finding(r, "TLSRPT_OK").reference()).isEqualTo("RFC 8460 §3");
  }

  @Test
  void recordSplitIntoSeveralStrings_isJoined() {
    dns.server().txt("_smtp._tls.split.test", "v=TLSRPTv1; rua=mailto:", "tls@split.test");

    assertThat(check("split.test").rua()).containsExactly("mailto:tls@split.test");
  }

  @Test
  void noRecord_isInformational() {
    dns.server().txt("other.test", "v=spf1 -all");

    TlsRptReport r = check("other.test");

    assertThat(codes(r)).containsExactly("TLSRPT_NONE");
    assertThat(r.lookup()).isEqualTo(DnsOutcome.NXDOMAIN);
    assertThat(r.findings().get(0).effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void unrelatedTxtRecordsAreIgnored() {
    dns.server()
        .txt("_smtp._tls.mixed.test", "some verification token")
        .txt("_smtp._tls.mixed.test", "v=TLSRPTv1;rua=mailto:a@mixed.test");

    TlsRptReport r = check("mixed.test");

    assertThat(codes(r)).containsExactly("TLSRPT_OK");
    assertThat(r.records()).hasSize(1);
  }

  @Test
  void twoRecords_areBothIgnored() {
    dns.server()
        .txt("_smtp._tls.two.test", "v=TLSRPTv1; rua=mailto:a@two.test")
        .txt("_smtp._tls.two.test", "v=TLSRPTv1; rua=mailto:b@two.test");

    TlsRptReport r = check("two.test");

    assertThat(codes(r)).containsExactly("TLSRPT_MULTIPLE");
    assertThat(r.rua()).isEmpty();
  }

  @Test
  void malformedRecord_namesTheProblem() {
    dns.server().txt("_smtp._tls.bad.test", "v=TLSRPTv1 rua=mailto:a@bad.test");

    TlsRptReport r = check("bad.test");

    Finding f = finding(r, "TLSRPT_SYNTAX");
    assertThat(f.evidence().get("problems")).contains("must begin with exactly \"v=TLSRPTv1;\"");
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(codes(r)).doesNotContain("TLSRPT_OK");
  }

  @Test
  void lowerCaseVersion_isASyntaxError() {
    dns.server().txt("_smtp._tls.case.test", "v=tlsrptv1; rua=mailto:a@case.test");

    assertThat(codes(check("case.test"))).contains("TLSRPT_SYNTAX");
  }

  @Test
  void invalidExtensionField_isASyntaxError() {
    dns.server().txt("_smtp._tls.ext.test", "v=TLSRPTv1; rua=mailto:a@ext.test; ;x y=1");

    Finding f = finding(check("ext.test"), "TLSRPT_SYNTAX");

    assertThat(f.evidence().get("problems")).contains("empty field", "not a valid extension");
  }

  @Test
  void missingRua_isReported() {
    dns.server().txt("_smtp._tls.norua.test", "v=TLSRPTv1;");

    assertThat(codes(check("norua.test"))).containsExactly("TLSRPT_NO_RUA");
  }

  @Test
  void unusableUris_areReported() {
    dns.server()
        .txt(
            "_smtp._tls.uri.test",
            "v=TLSRPTv1; rua=http://reports.uri.test/,mailto:not-an-address,mailto:ok@uri.test");

    TlsRptReport r = check("uri.test");

    Finding f = finding(r, "TLSRPT_BAD_URI");
    assertThat(f.evidence().get("uris"))
        .contains("http://reports.uri.test/", "scheme \"http\"", "mailto:not-an-address");
    assertThat(r.rua()).containsExactly("mailto:ok@uri.test");
  }

  @Test
  void servfail_isInconclusive() {
    dns.server().fault("_smtp._tls.broken.test", DnsFault.servfail());

    TlsRptReport r = check("broken.test");

    Finding f = finding(r, "TLSRPT_LOOKUP_FAILED");
    assertThat(f.inconclusive()).isTrue();
    assertThat(r.lookup()).isEqualTo(DnsOutcome.SERVFAIL);
  }

  @Test
  void timeout_isInconclusiveWithinTheDeadline() {
    dns.server().fault("_smtp._tls.slow.test", DnsFault.timeout());
    checker =
        TlsRptResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofMillis(600))
                    .build()));

    long t0 = System.nanoTime();
    TlsRptReport r = checker.check("slow.test");

    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
    assertThat(finding(r, "TLSRPT_LOOKUP_FAILED").inconclusive()).isTrue();
  }
}
