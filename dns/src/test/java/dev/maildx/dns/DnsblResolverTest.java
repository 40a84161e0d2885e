package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.DnsblReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DNS blocklists (RFC 5782) against a real DNS server on loopback that serves the list zones. */
class DnsblResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private DnsblResolver checker;

  private DnsblResolver checker() {
    return checker(PolicyOptions.defaults());
  }

  private DnsblResolver checker(PolicyOptions options) {
    checker =
        DnsblResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .build()),
            options);
    return checker;
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static List<String> codes(DnsblReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(DnsblReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void unlistedAddress_isNotListedAnywhere() {
    DnsblReport r = checker().check("9.9.9.77");

    assertThat(codes(r)).containsExactly("DNSBL_NOT_LISTED");
    assertThat(r.results())
        .extracting(DnsblReport.Result::zone)
        .containsExactly("zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org");
    assertThat(r.results()).allMatch(x -> !x.listed() && x.lookup() == DnsOutcome.NXDOMAIN);
    assertThat(dns.server().queryCount("77.9.9.9.zen.spamhaus.org", "A")).isEqualTo(1);
  }

  @Test
  void listing_isDecodedWithItsReason() {
    dns.server()
        .a("77.9.9.9.zen.spamhaus.org", "127.0.0.4")
        .txt("77.9.9.9.zen.spamhaus.org", "https://check.spamhaus.org/query/ip/9.9.9.77");

    DnsblReport r = checker().check("9.9.9.77");

    Finding f = finding(r, "DNSBL_LISTED");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.evidence())
        .containsEntry("list", "Spamhaus ZEN")
        .containsEntry("codes", "127.0.0.4")
        .containsEntry("reason", "https://check.spamhaus.org/query/ip/9.9.9.77");
    assertThat(f.evidence().get("meaning")).contains("XBL");
    assertThat(r.listings()).hasSize(1);
    assertThat(r.listings().get(0).meanings()).singleElement().asString().contains("XBL");
    assertThat(codes(r)).contains("DNSBL_NOT_LISTED");
  }

  @Test
  void pblAndSblTogether_areBothDecoded() {
    dns.server()
        .a("77.9.9.9.zen.spamhaus.org", "127.0.0.2")
        .a("77.9.9.9.zen.spamhaus.org", "127.0.0.10");

    DnsblReport.Result x = checker().check("9.9.9.77").listings().get(0);

    assertThat(x.codes()).containsExactly("127.0.0.2", "127.0.0.10");
    assertThat(x.meanings().get(0)).startsWith("SBL");
    assertThat(x.meanings().get(1)).startsWith("PBL");
  }

  @Test
  void publicResolverErrorCode_isInconclusiveNotAListing() {
    dns.server().a("77.9.9.9.zen.spamhaus.org", "127.255.255.254");

    DnsblReport r = checker().check("9.9.9.77");

    Finding f = finding(r, "DNSBL_QUERY_REFUSED");
    assertThat(f.inconclusive()).isTrue();
    assertThat(f.message()).contains("public or open resolver");
    assertThat(r.listings()).isEmpty();
  }

  @Test
  void answerOutsideLoopback_isABrokenListNotAListing() {
    dns.server().a("77.9.9.9.bl.spamcop.net", "198.51.100.80");

    DnsblReport r = checker().check("9.9.9.77");

    assertThat(finding(r, "DNSBL_BROKEN_ANSWER").effect()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(r.listings()).isEmpty();
    assertThat(codes(r)).doesNotContain("DNSBL_LISTED");
  }

  @Test
  void undocumentedCode_isStillAListing() {
    dns.server().a("77.9.9.9.bl.spamcop.net", "127.0.0.99");

    Finding f = finding(checker().check("9.9.9.77"), "DNSBL_LISTED");

    assertThat(f.evidence().get("meaning")).contains("not documented by SpamCop");
  }

  @Test
  void senderDomain_isCheckedOnDomainLists() {
    dns.server().a("spammy.test.dbl.spamhaus.org", "127.0.1.2");

    DnsblReport r =
        checker()
            .checkAsync(null, DomainName.of("spammy.test"), Deadline.after(Duration.ofSeconds(3)))
            .join();

    assertThat(r.results())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.kind()).isEqualTo(DnsblReport.Result.Kind.DOMAIN);
              assertThat(x.subject()).isEqualTo("spammy.test");
              assertThat(x.listed()).isTrue();
            });
    assertThat(finding(r, "DNSBL_LISTED").evidence().get("meaning")).contains("low reputation");
  }

  @Test
  void ipv6Address_isAskedOnlyOnListsThatHoldIpv6_withNibbles() {
    DnsblReport r = checker().check("2a00:1450::1");

    assertThat(r.results())
        .extracting(DnsblReport.Result::zone)
        .containsExactly("zen.spamhaus.org");
    assertThat(
            dns.server()
                .queryCount(
                    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.4.1.0.0.a.2.zen.spamhaus.org",
                    "A"))
        .isEqualTo(1);
    assertThat(finding(r, "DNSBL_SKIPPED").evidence().get("lists"))
        .contains("SpamCop (IPv4 only)", "Barracuda BRBL (IPv4 only)");
  }

  @Test
  void privateAddress_isNotAsked() {
    DnsblReport r = checker().check("10.0.0.5");

    assertThat(codes(r)).containsExactly("DNSBL_SKIPPED");
    assertThat(dns.server().queryCount()).isZero();
  }

  @Test
  void failingList_isInconclusive() {
    dns.server().fault("77.9.9.9.b.barracudacentral.org", DnsFault.refused());

    DnsblReport r = checker().check("9.9.9.77");

    Finding f = finding(r, "DNSBL_LOOKUP_FAILED");
    assertThat(f.inconclusive()).isTrue();
    assertThat(f.evidence().get("list")).isEqualTo("Barracuda BRBL");
  }

  @Test
  void customLists_replaceTheDefaults() {
    dns.server().a("77.9.9.9.dnsbl.corp.test", "127.0.0.3");
    PolicyOptions options =
        PolicyOptions.builder()
            .blocklists(
                List.of(
                    Blocklist.ip(
                        "Corp list",
                        "dnsbl.corp.test",
                        false,
                        Map.of("127.0.0.3", "seen in our honeypot"))))
            .build();

    DnsblReport r = checker(options).check("9.9.9.77");

    assertThat(finding(r, "DNSBL_LISTED").evidence().get("meaning"))
        .isEqualTo("127.0.0.3 seen in our honeypot");
    assertThat(r.results()).hasSize(1);
  }

  @Test
  void listsAreAskedConcurrently() {
    dns.server().delayAll(Duration.ofMillis(150));
    DnsblResolver c = checker();
    c.check("9.9.9.1"); // warm up

    long t0 = System.nanoTime();
    c.checkAsync(
            InetAddresses.parse("9.9.9.77"),
            DomainName.of("sender.test"),
            Deadline.after(Duration.ofSeconds(3)))
        .join();
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(ms).isBetween(150L, 150L * 13 / 10 + 50);
  }

  @Test
  void invalidDefinitions_areRejected() {
    assertThatThrownBy(() -> Blocklist.ip("x", "bad zone", false, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Blocklist.ip("x", "ok.test", false, Map.of("10.0.0.2", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("127.0.0.0/8");
  }
}
