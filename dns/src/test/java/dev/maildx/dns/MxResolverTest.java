package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MX resolution against a real DNS server on loopback (RFC 5321 §5.1, RFC 7505). */
class MxResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  private MxResolver resolver;

  private MxResolver resolver() {
    return resolver(Duration.ofSeconds(5));
  }

  private MxResolver resolver(Duration timeout) {
    resolver =
        MxResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(timeout)
                    .dnsQueryTimeout(Duration.ofMillis(Math.min(1000, timeout.toMillis())))
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

  private static List<String> codes(MxReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  private static Finding finding(MxReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r.findings()));
  }

  @Test
  void hostsAreSortedByPreferenceWithTheirAddresses() {
    dns()
        .zone(
            """
        $ORIGIN example.test.
        @    IN MX 20 mx2
        @    IN MX 10 mx1
        @    IN MX 30 mx3
        mx1  IN A 192.0.2.1
        mx1  IN AAAA 2001:db8::1
        mx2  IN A 198.51.100.7
        mx3  IN A 203.0.113.9
        """
                .replace("192.0.2.1", "8.8.4.1")
                .replace("2001:db8::1", "2a00:1450::1")
                .replace("198.51.100.7", "9.9.9.7")
                .replace("203.0.113.9", "1.1.1.9"));

    MxReport r = resolver().resolve("example.test");

    assertThat(r.lookup()).isEqualTo(DnsOutcome.ANSWER);
    assertThat(r.hosts())
        .extracting(MxReport.Host::name)
        .containsExactly("mx1.example.test", "mx2.example.test", "mx3.example.test");
    assertThat(r.hosts()).extracting(MxReport.Host::preference).containsExactly(10, 20, 30);
    assertThat(r.hosts().get(0).addresses())
        .extracting(a -> a.getHostAddress())
        .containsExactly("8.8.4.1", "2a00:1450:0:0:0:0:0:1");
    assertThat(r.nullMx()).isFalse();
    assertThat(r.implicit()).isFalse();
    assertThat(codes(r)).containsExactly("MX_OK");
    assertThat(r.findings().get(0).effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void nullMx_isUndeliverable() {
    dns().mx("nomail.test", 0, ".");

    MxReport r = resolver().resolve("nomail.test");

    assertThat(r.nullMx()).isTrue();
    assertThat(r.hosts()).isEmpty();
    Finding f = finding(r, "MX_NULL");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(f.reference()).isEqualTo("RFC 7505 §3");
  }

  @Test
  void nullMxBesideOtherRecords_isReportedAndTheOthersStillResolved() {
    dns()
        .mx("mixed.test", 0, ".")
        .mx("mixed.test", 10, "mx.mixed.test")
        .a("mx.mixed.test", "8.8.8.8");

    MxReport r = resolver().resolve("mixed.test");

    assertThat(codes(r)).contains("MX_NULL_MIXED", "MX_OK");
    assertThat(r.hosts()).extracting(MxReport.Host::name).containsExactly("mx.mixed.test");
    assertThat(r.nullMx()).isFalse();
  }

  @Test
  void nxdomain_isUndeliverable() {
    dns().mx("exists.test", 10, "mx.exists.test");

    MxReport r = resolver().resolve("does-not-exist.test");

    assertThat(r.lookup()).isEqualTo(DnsOutcome.NXDOMAIN);
    Finding f = finding(r, "MX_NXDOMAIN");
    assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void noMx_fallsBackToTheDomainsOwnAddress() {
    dns().a("implicit.test", "8.8.8.8").txt("implicit.test", "v=spf1 -all");

    MxReport r = resolver().resolve("implicit.test");

    assertThat(r.implicit()).isTrue();
    assertThat(r.hosts()).hasSize(1);
    assertThat(r.hosts().get(0).name()).isEqualTo("implicit.test");
    assertThat(r.hosts().get(0).preference()).isZero();
    Finding f = finding(r, "MX_IMPLICIT");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void noMxAndNoAddress_isUndeliverable() {
    dns().txt("bare.test", "just text");

    MxReport r = resolver().resolve("bare.test");

    assertThat(r.implicit()).isTrue();
    assertThat(finding(r, "MX_NONE").effect()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void targetThatIsACname_isAWarningAndStillResolved() {
    dns()
        .mx("alias.test", 10, "mail.alias.test")
        .cname("mail.alias.test", "real.provider.test")
        .a("real.provider.test", "8.8.8.8");

    MxReport r = resolver().resolve("alias.test");

    Finding f = finding(r, "MX_TARGET_CNAME");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.evidence().get("cname")).isEqualTo("real.provider.test");
    assertThat(f.reference()).isEqualTo("RFC 2181 §10.3");
    assertThat(r.hosts().get(0).addresses())
        .extracting(a -> a.getHostAddress())
        .containsExactly("8.8.8.8");
  }

  @Test
  void targetThatIsAnIpLiteral_isAnErrorAndNotResolved() {
    dns()
        .mx("literal.test", 10, "192.0.2.55")
        .mx("literal.test", 20, "mx.literal.test")
        .a("mx.literal.test", "8.8.8.8");

    MxReport r = resolver().resolve("literal.test");

    assertThat(finding(r, "MX_TARGET_IP_LITERAL").evidence().get("host")).isEqualTo("192.0.2.55");
    assertThat(dns().queryCount("192.0.2.55", "A")).isZero();
    assertThat(codes(r)).doesNotContain("MX_NO_USABLE_HOST");
  }

  @Test
  void targetWithoutAddress_isAnError() {
    dns()
        .mx("gone.test", 10, "old.gone.test")
        .mx("gone.test", 20, "new.gone.test")
        .a("new.gone.test", "8.8.8.8");

    MxReport r = resolver().resolve("gone.test");

    Finding f = finding(r, "MX_TARGET_NO_ADDRESS");
    assertThat(f.evidence().get("host")).isEqualTo("old.gone.test");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(codes(r)).doesNotContain("MX_NO_USABLE_HOST");
  }

  @Test
  void targetsInPrivateOrLoopbackSpace_areErrors_andNoUsableHostIsUndeliverable() {
    dns()
        .mx("lan.test", 10, "mx1.lan.test")
        .mx("lan.test", 20, "mx2.lan.test")
        .a("mx1.lan.test", "10.1.2.3")
        .aaaa("mx2.lan.test", "::1");

    MxReport r = resolver().resolve("lan.test");

    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("MX_TARGET_NOT_PUBLIC"))
        .extracting(f -> f.evidence().get("range"))
        .containsExactlyInAnyOrder("private", "loopback");
    assertThat(finding(r, "MX_NO_USABLE_HOST").effect()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void ipv6OnlyTarget_isAWarning() {
    dns().mx("v6.test", 10, "mx.v6.test").aaaa("mx.v6.test", "2a00:1450:4001::1a");

    MxReport r = resolver().resolve("v6.test");

    assertThat(finding(r, "MX_TARGET_IPV6_ONLY").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void duplicateTargets_areReportedOnceAndResolvedOnce() {
    dns()
        .mx("dup.test", 10, "mx.dup.test")
        .mx("dup.test", 20, "MX.dup.test.")
        .a("mx.dup.test", "8.8.8.8");

    MxReport r = resolver().resolve("dup.test");

    assertThat(codes(r)).contains("MX_DUPLICATE");
    assertThat(r.hosts()).hasSize(1);
    assertThat(dns().queryCount("mx.dup.test", "A")).isEqualTo(1);
  }

  @Test
  void tooManyHosts_isAWarning() {
    for (int i = 0; i < MxResolver.MANY_HOSTS + 2; i++) {
      dns()
          .mx("many.test", i, "mx" + i + ".many.test")
          .a("mx" + i + ".many.test", "8.8.8." + (i + 1));
    }

    MxReport r = resolver().resolve("many.test");

    assertThat(finding(r, "MX_TOO_MANY").evidence().get("count"))
        .isEqualTo(String.valueOf(MxResolver.MANY_HOSTS + 2));
    assertThat(r.hosts()).hasSize(MxResolver.MANY_HOSTS + 2);
  }

  @Test
  void servfail_isInconclusiveWithItsCause() {
    dns().fault("broken.test", DnsFault.servfail());

    MxReport r = resolver().resolve("broken.test");

    assertThat(r.lookup()).isEqualTo(DnsOutcome.SERVFAIL);
    Finding f = finding(r, "MX_LOOKUP_FAILED");
    assertThat(f.inconclusive()).isTrue();
    assertThat(f.evidence().get("outcome")).isEqualTo("SERVFAIL");
  }

  @Test
  void refused_isInconclusiveWithItsCause() {
    dns().fault("refused.test", DnsFault.refused());

    MxReport r = resolver().resolve("refused.test");

    assertThat(r.lookup()).isEqualTo(DnsOutcome.REFUSED);
    assertThat(finding(r, "MX_LOOKUP_FAILED").message()).contains("REFUSED");
  }

  @Test
  void timeout_isInconclusiveAndReturnsWithinTheDeadline() {
    dns().fault("slow.test", DnsFault.timeout());

    long t0 = System.nanoTime();
    MxReport r = resolver(Duration.ofMillis(800)).resolve("slow.test");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r.lookup()).isEqualTo(DnsOutcome.TIMEOUT);
    assertThat(finding(r, "MX_LOOKUP_FAILED").inconclusive()).isTrue();
    assertThat(ms).isLessThan(880);
  }

  @Test
  void targetLookupTimeout_isInconclusiveNotUndeliverable() {
    dns().mx("half.test", 10, "mx.half.test").fault("mx.half.test", DnsFault.timeout());

    MxReport r = resolver(Duration.ofMillis(800)).resolve("half.test");

    assertThat(codes(r)).contains("MX_TARGET_LOOKUP_FAILED").doesNotContain("MX_NO_USABLE_HOST");
  }

  @Test
  void truncatedUdpAnswer_isRetriedOverTcp() {
    dns()
        .mx("big.test", 10, "mx.big.test")
        .a("mx.big.test", "8.8.8.8")
        .fault("big.test", "MX", DnsFault.truncate());

    MxReport r = resolver().resolve("big.test");

    assertThat(r.hosts()).extracting(MxReport.Host::name).containsExactly("mx.big.test");
    assertThat(dns().queries())
        .filteredOn(q -> q.name().equals("big.test"))
        .extracting(q -> q.transport())
        .containsExactly("udp", "tcp");
  }

  @Test
  void unicodeDomain_isQueriedInItsAsciiForm() {
    dns()
        .mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test")
        .a("mx.xn--bcher-kva.test", "8.8.8.8");

    MxReport r = resolver().resolve("BÜCHER.test");

    assertThat(r.domain().ascii()).isEqualTo("xn--bcher-kva.test");
    assertThat(r.domain().unicode()).isEqualTo("bücher.test");
    assertThat(r.hosts()).hasSize(1);
  }

  @Test
  void illegalDomain_isRejectedWithAClearMessage() {
    MxResolver res = resolver();
    assertThatThrownBy(() -> res.resolve("exa mple.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> res.resolve("example.test\r\nRCPT TO:<x@y>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> res.resolve("-bad-.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hyphen");
    assertThatThrownBy(() -> res.resolve("192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-numeric");
    assertThatThrownBy(() -> res.resolve("a".repeat(64) + ".test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("63");
  }

  @Test
  void addressLookupsForAllHostsGoOutConcurrently() {
    dns().delayAll(Duration.ofMillis(150));
    for (int i = 0; i < 4; i++) {
      dns()
          .mx("par.test", 10 + i, "mx" + i + ".par.test")
          .a("mx" + i + ".par.test", "8.8.8." + (i + 1));
    }

    long t0 = System.nanoTime();
    MxReport r = resolver().resolve("par.test");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r.hosts()).hasSize(4);
    // MX, then all A and AAAA queries in parallel: two round trips, not nine.
    assertThat(ms).isBetween(300L, 300L * 13 / 10 + 100);
  }
}
