package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PTR and forward-confirmed reverse DNS (RFC 8601 §3) against a real DNS server on loopback. */
class ReverseDnsResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private ReverseDnsResolver checker;

  private ReverseDnsResolver checker() {
    return checker(DiagnosticsConfig.builder());
  }

  private ReverseDnsResolver checker(DiagnosticsConfig.Builder b) {
    checker =
        ReverseDnsResolver.create(
            runtime.of(
                b.dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .build()));
    return checker;
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static List<String> codes(ReverseDnsReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(ReverseDnsReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void forwardConfirmedName_isOk() {
    dns.server()
        .ptr("5.113.0.203.in-addr.arpa", "mail.sender.test")
        .a("mail.sender.test", "203.0.113.5");

    ReverseDnsReport r =
        checker(
                DiagnosticsConfig.builder()
                    .route(
                        InetAddresses.parse("203.0.113.5"), new InetSocketAddress("127.0.0.1", 9)))
            .check("203.0.113.5");

    assertThat(r.check()).isEqualTo("ptr");
    assertThat(codes(r)).containsExactly("PTR_OK");
    ReverseDnsReport.Result x = r.results().get(0);
    assertThat(x.names()).containsExactly("mail.sender.test");
    assertThat(x.forwardConfirmed()).isTrue();
    assertThat(x.host()).isNull();
  }

  @Test
  void publicAddressWithoutPtr_putsDeliveryAtRisk() {
    dns.server().a("unrelated.test", "8.8.8.8");

    ReverseDnsReport r = checker().check("9.9.9.77");

    Finding f = finding(r, "PTR_MISSING");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.evidence().get("name")).isEqualTo("77.9.9.9.in-addr.arpa");
    assertThat(r.results().get(0).lookup()).isEqualTo(DnsOutcome.NXDOMAIN);
  }

  @Test
  void ptrNameThatDoesNotResolveBack_isNotConfirmed() {
    dns.server().ptr("77.9.9.9.in-addr.arpa", "mail.other.test").a("mail.other.test", "9.9.9.78");

    ReverseDnsReport r = checker().check("9.9.9.77");

    assertThat(finding(r, "PTR_NOT_CONFIRMED").effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(r.results().get(0).forwardConfirmed()).isFalse();
  }

  @Test
  void ipv6Address_isConfirmedByAaaa() {
    String reverse = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.4.1.0.0.a.2.ip6.arpa";
    dns.server()
        .ptr(reverse, "mx.v6.test")
        .aaaa("mx.v6.test", "2a00:1450::1")
        .a("mx.v6.test", "9.9.9.9");

    ReverseDnsReport r = checker().check("2a00:1450::1");

    assertThat(codes(r)).containsExactly("PTR_OK");
    assertThat(dns.server().queryCount("mx.v6.test", "AAAA")).isEqualTo(1);
    assertThat(dns.server().queryCount("mx.v6.test", "A")).isZero();
  }

  @Test
  void severalPtrRecords_areAWarningAndEachIsFollowed() {
    dns.server()
        .ptr("77.9.9.9.in-addr.arpa", "a.multi.test")
        .ptr("77.9.9.9.in-addr.arpa", "b.multi.test")
        .a("a.multi.test", "9.9.9.77")
        .a("b.multi.test", "9.9.9.1");

    ReverseDnsReport r = checker().check("9.9.9.77");

    assertThat(codes(r)).contains("PTR_MULTIPLE", "PTR_OK");
    assertThat(r.results().get(0).confirmed()).containsExactly("a.multi.test");
  }

  @Test
  void genericLookingName_isAWarning() {
    dns.server()
        .ptr("77.9.9.9.in-addr.arpa", "9-9-9-77.dynamic.isp.test")
        .a("9-9-9-77.dynamic.isp.test", "9.9.9.77");

    Finding f = finding(checker().check("9.9.9.77"), "PTR_GENERIC");

    assertThat(f.evidence().get("reason")).isEqualTo("it contains the address");
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void genericHeuristic_recognisesEmbeddedAddressesAndWords() {
    var ip = InetAddresses.parse("203.0.113.5");
    assertThat(ReverseDnsResolver.generic("host5.113.0.203.isp.test", ip))
        .isEqualTo("it contains the address");
    assertThat(ReverseDnsResolver.generic("cb007105.isp.test", ip))
        .isEqualTo("it contains the address in hexadecimal");
    assertThat(ReverseDnsResolver.generic("pool-77.dsl.isp.test", ip))
        .isEqualTo("it contains \"pool\"");
    assertThat(ReverseDnsResolver.generic("mail.example.test", ip)).isNull();
    assertThat(ReverseDnsResolver.generic("mx1203.example.test", ip)).isNull();
  }

  @Test
  void heloThatIsNotTheReverseName_isAWarning() {
    dns.server().ptr("77.9.9.9.in-addr.arpa", "mail.sender.test").a("mail.sender.test", "9.9.9.77");

    ReverseDnsReport r =
        checker()
            .checkAsync(
                InetAddresses.parse("9.9.9.77"),
                DomainName.of("smtp.sender.test"),
                Deadline.after(Duration.ofSeconds(3)))
            .join();

    assertThat(finding(r, "PTR_HELO_MISMATCH").evidence().get("helo"))
        .isEqualTo("smtp.sender.test");
  }

  @Test
  void privateAddress_isNotLookedUp() {
    ReverseDnsReport r = checker().check("192.168.1.20");

    Finding f = finding(r, "PTR_NOT_PUBLIC");
    assertThat(f.evidence().get("range")).isEqualTo("private");
    assertThat(dns.server().queryCount()).isZero();
  }

  @Test
  void servfail_isInconclusive() {
    dns.server().fault("77.9.9.9.in-addr.arpa", DnsFault.servfail());

    assertThat(finding(checker().check("9.9.9.77"), "PTR_LOOKUP_FAILED").inconclusive()).isTrue();
  }

  @Test
  void failingForwardLookup_isInconclusive() {
    dns.server()
        .ptr("77.9.9.9.in-addr.arpa", "mail.broken.test")
        .fault("mail.broken.test", DnsFault.servfail());

    Finding f = finding(checker().check("9.9.9.77"), "PTR_LOOKUP_FAILED");

    assertThat(f.inconclusive()).isTrue();
    assertThat(f.message()).contains("could not be resolved forward");
  }

  @Test
  void mxAddresses_areCheckedAsWarningsOnly() {
    dns.server()
        .mx("rcpt.test", 10, "mx1.rcpt.test")
        .mx("rcpt.test", 20, "mx2.rcpt.test")
        .a("mx1.rcpt.test", "9.9.9.1")
        .a("mx2.rcpt.test", "9.9.9.2")
        .ptr("1.9.9.9.in-addr.arpa", "mx1.rcpt.test");
    ReverseDnsResolver c = checker();
    MxReport mx;
    try (MxResolver resolver =
        MxResolver.create(
            runtime.of(DiagnosticsConfig.builder().dnsServer(dns.server().address()).build()))) {
      mx = resolver.resolve("rcpt.test");
    }

    ReverseDnsReport r = c.checkMxAsync(mx, Deadline.after(Duration.ofSeconds(3))).join();

    assertThat(r.check()).isEqualTo("mx-ptr");
    assertThat(r.results())
        .extracting(ReverseDnsReport.Result::host)
        .containsExactly("mx1.rcpt.test", "mx2.rcpt.test");
    assertThat(codes(r)).containsExactlyInAnyOrder("PTR_OK", "PTR_MISSING");
    Finding missing = finding(r, "PTR_MISSING");
    assertThat(missing.severity()).isEqualTo(Severity.WARNING);
    assertThat(missing.effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void manyMxAddresses_areCappedAtTheLimit() {
    for (int i = 1; i <= ReverseDnsResolver.MAX_MX_ADDRESSES + 2; i++) {
      dns.server()
          .mx("big.test", i, "mx" + i + ".big.test")
          .a("mx" + i + ".big.test", "9.9.8." + i);
    }
    ReverseDnsResolver c = checker();
    MxReport mx;
    try (MxResolver resolver =
        MxResolver.create(
            runtime.of(DiagnosticsConfig.builder().dnsServer(dns.server().address()).build()))) {
      mx = resolver.resolve("big.test");
    }

    ReverseDnsReport r = c.checkMxAsync(mx, Deadline.after(Duration.ofSeconds(3))).join();

    assertThat(r.results()).hasSize(ReverseDnsResolver.MAX_MX_ADDRESSES);
    assertThat(finding(r, "PTR_LIMIT").evidence().get("skipped")).isEqualTo("2");
  }

  @Test
  void notAnIp_isRejected() {
    assertThatThrownBy(() -> checker().check("mail.example.test"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
