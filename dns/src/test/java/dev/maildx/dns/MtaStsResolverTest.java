package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MtaStsReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.HttpsResponse;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.TestCertificate;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MTA-STS (RFC 8461) against a real DNS server and a real HTTPS server on loopback: the DNS
 * publishes the policy host at 192.0.2.80, a route sends that address to the HTTPS server, whose
 * certificate a test CA issued.
 */
class MtaStsResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  static final String PUBLISHED = "192.0.2.80";
  static final String ENFORCE =
      "version: STSv1\r\nmode: enforce\r\nmx: mx1.sts.test\r\nmx: *.backup.sts.test\r\nmax_age: 604800\r\n";

  static TestCertificate ca;
  static TestCertificate stsCert;

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  private MockHttpsServer https;
  private MtaStsResolver checker;

  @BeforeAll
  static void certificates() {
    ca = TestCertificate.authority("maildx test CA");
    stsCert = ca.issue("mta-sts.sts.test");
  }

  @AfterEach
  void close() {
    if (checker != null) {
      checker.close();
    }
    if (https != null) {
      https.close();
    }
  }

  /** The sts.test domain: two MX hosts, the MTA-STS record, the policy host. */
  private void domain() {
    dns.server()
        .zone(
            """
        $ORIGIN sts.test.
        @          IN MX 10 mx1
        @          IN MX 20 mx2.backup
        mx1        IN A  9.9.9.1
        mx2.backup IN A  9.9.9.2
        _mta-sts   IN TXT "v=STSv1; id=20240601T1"
        mta-sts    IN A  192.0.2.80
        """);
  }

  private MtaStsReport check(String policy) {
    return check(HttpsResponse.ok(policy));
  }

  private MtaStsReport check(HttpsResponse response) {
    domain();
    https = MockHttpsServer.start(stsCert);
    https.respond(MockHttpsServer.MTA_STS_PATH, response);
    return checker(https.address(), Duration.ofSeconds(5)).check("sts.test");
  }

  private MtaStsResolver checker(InetSocketAddress target, Duration timeout) {
    return checker(target, timeout, PolicyOptions.builder().trustStore(ca.trustStore()).build());
  }

  private MtaStsResolver checker(
      InetSocketAddress target, Duration timeout, PolicyOptions options) {
    checker =
        MtaStsResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(timeout)
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .route(InetAddresses.parse(PUBLISHED), target)
                    .build()),
            options);
    return checker;
  }

  static List<String> codes(MtaStsReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(MtaStsReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + r));
  }

  @Test
  void enforcePolicyCoveringEveryMx_isOk() {
    MtaStsReport r = check(ENFORCE);

    assertThat(codes(r)).containsExactly("MTA_STS_OK");
    MtaStsReport.Policy p = r.policy().orElseThrow();
    assertThat(p.mode()).isEqualTo(MtaStsReport.Policy.Mode.ENFORCE);
    assertThat(p.mx()).containsExactly("mx1.sts.test", "*.backup.sts.test");
    assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(p.id()).isEqualTo("20240601T1");
    assertThat(r.id()).isEqualTo("20240601T1");
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(r.mxNotMatching()).isEmpty();
    assertThat(r.active()).isTrue();
    assertThat(r.policyUrl()).isEqualTo("https://mta-sts.sts.test/.well-known/mta-sts.txt");
    // The request reached the server by its host name, through the route.
    assertThat(https.requests())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.host()).isEqualTo("mta-sts.sts.test");
              assertThat(q.path()).isEqualTo("/.well-known/mta-sts.txt");
              assertThat(q.userAgent()).contains("maildx");
            });
  }

  @Test
  void noRecord_meansNoMtaSts_andNothingIsFetched() {
    dns.server().mx("plain.test", 10, "mx.plain.test").a("mx.plain.test", "9.9.9.1");
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("plain.test");

    assertThat(codes(r)).containsExactly("MTA_STS_NONE");
    assertThat(r.policy()).isEmpty();
    assertThat(https.requestCount()).isZero();
  }

  @Test
  void testingMode_withAnUnmatchedMx_isOnlyAWarning() {
    MtaStsReport r = check("version: STSv1\nmode: testing\nmx: mx1.sts.test\nmax_age: 86400\n");

    assertThat(codes(r)).contains("MTA_STS_TESTING", "MTA_STS_OK", "MTA_STS_MX_MISMATCH");
    Finding f = finding(r, "MTA_STS_MX_MISMATCH");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(r.mxNotMatching()).containsExactly("mx2.backup.sts.test");
  }

  @Test
  void enforceMode_withSomeMxUnmatched_isAtRisk() {
    MtaStsReport r = check("version: STSv1\nmode: enforce\nmx: mx1.sts.test\nmax_age: 86400\n");

    Finding f = finding(r, "MTA_STS_MX_MISMATCH");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.evidence().get("unmatched")).isEqualTo("mx2.backup.sts.test");
  }

  @Test
  void enforceMode_withNoMxMatching_isUndeliverable() {
    MtaStsReport r =
        check("version: STSv1\nmode: enforce\nmx: mail.oldhost.test\nmax_age: 86400\n");

    Finding f = finding(r, "MTA_STS_MX_MISMATCH");
    assertThat(f.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(f.message()).contains("deliver nothing");
  }

  @Test
  void wildcardMatchesExactlyOneLabel() {
    MtaStsReport r =
        check("version: STSv1\nmode: enforce\nmx: mx1.sts.test\nmx: *.sts.test\nmax_age: 86400\n");

    // mx2.backup.sts.test has two labels left of sts.test: *.sts.test does not cover it.
    assertThat(r.mxNotMatching()).containsExactly("mx2.backup.sts.test");
  }

  @Test
  void modeNone_isAWithdrawnPolicy() {
    MtaStsReport r = check("version: STSv1\nmode: none\nmax_age: 86400\n");

    assertThat(codes(r))
        .contains("MTA_STS_MODE_NONE", "MTA_STS_OK")
        .doesNotContain("MTA_STS_MX_MISMATCH");
    assertThat(r.active()).isFalse();
  }

  @Test
  void twoRecords_areIgnoredBySenders() {
    domain();
    dns.server().txt("_mta-sts.sts.test", "v=STSv1; id=2");
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("sts.test");

    assertThat(finding(r, "MTA_STS_RECORD_MULTIPLE").effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(https.requestCount()).isZero();
  }

  @Test
  void recordWithoutValidId_isASyntaxError() {
    dns.server()
        .txt("_mta-sts.bad.test", "v=STSv1; id=not-valid!")
        .mx("bad.test", 10, "mx.bad.test");
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("bad.test");

    assertThat(finding(r, "MTA_STS_RECORD_SYNTAX").evidence().get("problems"))
        .contains("id must be 1 to 32 letters and digits");
    assertThat(r.policy()).isEmpty();
  }

  @Test
  void policyHostWithoutAddress_isAnError() {
    dns.server()
        .txt("_mta-sts.nohost.test", "v=STSv1; id=1")
        .mx("nohost.test", 10, "mx.nohost.test")
        .a("mx.nohost.test", "9.9.9.1");
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("nohost.test");

    assertThat(finding(r, "MTA_STS_POLICY_HOST_MISSING").evidence().get("outcome"))
        .isEqualTo("NXDOMAIN");
  }

  @Test
  void policyHostInPrivateSpace_isNotContacted() {
    dns.server().txt("_mta-sts.lan.test", "v=STSv1; id=1").a("mta-sts.lan.test", "10.1.2.3");
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("lan.test");

    assertThat(finding(r, "MTA_STS_POLICY_HOST_NOT_PUBLIC").message())
        .contains("10.1.2.3 (private)");
  }

  @Test
  void refusedConnection_isInconclusive() throws Exception {
    domain();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    MtaStsReport r =
        checker(new InetSocketAddress("127.0.0.1", closedPort), Duration.ofSeconds(3))
            .check("sts.test");

    Finding f = finding(r, "MTA_STS_POLICY_UNREACHABLE");
    assertThat(f.inconclusive()).isTrue();
    assertThat(f.message()).contains("connection refused by 127.0.0.1:" + closedPort);
  }

  @Test
  void untrustedCertificate_failsTls() {
    domain();
    https = MockHttpsServer.start(TestCertificate.selfSigned("mta-sts.sts.test"));

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("sts.test");

    Finding f = finding(r, "MTA_STS_POLICY_TLS_FAILED");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.message()).contains("not issued by a trusted authority");
    assertThat(r.policy()).isEmpty();
  }

  @Test
  void certificateForAnotherName_failsTls() {
    domain();
    https = MockHttpsServer.start(ca.issue("www.sts.test"));

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("sts.test");

    assertThat(finding(r, "MTA_STS_POLICY_TLS_FAILED").message())
        .contains("not valid for this host name");
  }

  @Test
  void expiredCertificate_failsTls() {
    domain();
    java.time.Instant now = java.time.Instant.now();
    https =
        MockHttpsServer.start(
            TestCertificate.spec("mta-sts.sts.test")
                .issuer(ca)
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
                .build());

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("sts.test");

    assertThat(finding(r, "MTA_STS_POLICY_TLS_FAILED").message()).contains("expired");
  }

  @Test
  void jdkTrustStoreByDefault_doesNotTrustTheTestCa() {
    domain();
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r =
        checker(https.address(), Duration.ofSeconds(3), PolicyOptions.defaults()).check("sts.test");

    assertThat(codes(r)).contains("MTA_STS_POLICY_TLS_FAILED");
  }

  @Test
  void redirect_isNotFollowed() {
    MtaStsReport r = check(HttpsResponse.redirect(301, "https://mta-sts.sts.test/policy.txt"));

    Finding f = finding(r, "MTA_STS_POLICY_REDIRECT");
    assertThat(f.evidence())
        .containsEntry("status", "301")
        .containsEntry("location", "https://mta-sts.sts.test/policy.txt");
    assertThat(https.requestCount()).isEqualTo(1);
    assertThat(r.httpStatus()).isEqualTo(301);
  }

  @Test
  void notFound_isAnError() {
    MtaStsReport r = check(HttpsResponse.status(404));

    Finding f = finding(r, "MTA_STS_POLICY_HTTP_ERROR");
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.evidence().get("status")).isEqualTo("404");
  }

  @Test
  void serverError_isInconclusive() {
    MtaStsReport r = check(HttpsResponse.status(503));

    assertThat(finding(r, "MTA_STS_POLICY_HTTP_ERROR").inconclusive()).isTrue();
  }

  @Test
  void wrongContentType_isRejected() {
    MtaStsReport r = check(HttpsResponse.ok(ENFORCE).contentType("text/html; charset=utf-8"));

    assertThat(finding(r, "MTA_STS_POLICY_CONTENT_TYPE").evidence().get("contentType"))
        .isEqualTo("text/html; charset=utf-8");
    assertThat(r.policy()).isEmpty();
  }

  @Test
  void hugeBody_isRefusedWithoutReadingIt() {
    long t0 = System.nanoTime();
    MtaStsReport r =
        check(
            HttpsResponse.status(200).contentType("text/plain").generatedBody(200L * 1024 * 1024));

    assertThat(codes(r)).contains("MTA_STS_POLICY_TOO_LARGE");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
  }

  @Test
  void hugeChunkedBody_isRefusedToo() {
    MtaStsReport r =
        check(
            HttpsResponse.status(200)
                .contentType("text/plain")
                .generatedBody(10L * 1024 * 1024)
                .chunked());

    assertThat(codes(r)).contains("MTA_STS_POLICY_TOO_LARGE");
  }

  @Test
  void tricklingBody_endsAtTheDeadline() {
    domain();
    https = MockHttpsServer.start(stsCert);
    https.respond(
        MockHttpsServer.MTA_STS_PATH, HttpsResponse.ok(ENFORCE).trickle(Duration.ofMillis(200)));

    long t0 = System.nanoTime();
    MtaStsReport r = checker(https.address(), Duration.ofMillis(1500)).check("sts.test");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(finding(r, "MTA_STS_POLICY_TIMEOUT").inconclusive()).isTrue();
    assertThat(ms).isLessThan(1500 + 300);
  }

  @Test
  void slowHeaders_endAtTheConfiguredFetchTimeout() {
    domain();
    https = MockHttpsServer.start(stsCert);
    https.respond(
        MockHttpsServer.MTA_STS_PATH,
        HttpsResponse.ok(ENFORCE).delayHeaders(Duration.ofSeconds(5)));

    long t0 = System.nanoTime();
    MtaStsReport r =
        checker(
                https.address(),
                Duration.ofSeconds(10),
                PolicyOptions.builder()
                    .trustStore(ca.trustStore())
                    .httpsTimeout(Duration.ofMillis(700))
                    .build())
            .check("sts.test");

    assertThat(codes(r)).contains("MTA_STS_POLICY_TIMEOUT");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
  }

  @Test
  void invalidPolicy_isNotUsed() {
    MtaStsReport r = check("version: STSv1\nmode: strict\nmx: mx1.sts.test\nmax_age: soon\n");

    Finding f = finding(r, "MTA_STS_POLICY_SYNTAX");
    assertThat(f.evidence().get("problems"))
        .contains("mode must be enforce, testing or none", "max_age must be a number");
    assertThat(f.message()).contains("cannot use it");
    assertThat(r.policy()).isEmpty();
  }

  @Test
  void duplicateFieldAndBadPattern_areReportedButThePolicyStaysUsable() {
    MtaStsReport r =
        check(
            "version: STSv1\nmode: enforce\nmode: testing\nmx: mx1.sts.test\nmx: *.backup.sts.test\nmx: bad pattern\n"
                + "max_age: 86400\n");

    assertThat(finding(r, "MTA_STS_POLICY_SYNTAX").evidence().get("problems"))
        .contains("\"mode\" appears more than once", "bad pattern");
    assertThat(r.policy().orElseThrow().mode()).isEqualTo(MtaStsReport.Policy.Mode.ENFORCE);
    assertThat(codes(r)).doesNotContain("MTA_STS_OK");
  }

  @Test
  void maxAgeTooLarge_isCapped() {
    MtaStsReport r =
        check(
            "version: STSv1\nmode: enforce\nmx: mx1.sts.test\nmx: *.backup.sts.test\nmax_age: 99999999\n");

    assertThat(codes(r)).contains("MTA_STS_MAX_AGE_OUT_OF_RANGE");
    assertThat(r.policy().orElseThrow().maxAge()).isEqualTo(Duration.ofSeconds(31_557_600));
  }

  @Test
  void maxAgeUnderADay_isAWarning() {
    MtaStsReport r =
        check(
            "version: STSv1\nmode: enforce\nmx: mx1.sts.test\nmx: *.backup.sts.test\nmax_age: 300\n");

    assertThat(finding(r, "MTA_STS_MAX_AGE_SHORT").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void unknownMxHosts_areNotMatched() {
    domain();
    dns.server().fault("sts.test", "MX", DnsFault.servfail());
    https = MockHttpsServer.start(stsCert);
    https.mtaStsPolicy(ENFORCE);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("sts.test");

    assertThat(codes(r))
        .contains("MTA_STS_OK", "MTA_STS_MX_UNKNOWN")
        .doesNotContain("MTA_STS_MX_MISMATCH");
  }

  @Test
  void txtLookupFailure_isInconclusive() {
    dns.server().fault("_mta-sts.down.test", DnsFault.servfail());
    https = MockHttpsServer.start(stsCert);

    MtaStsReport r = checker(https.address(), Duration.ofSeconds(3)).check("down.test");

    assertThat(finding(r, "MTA_STS_LOOKUP_FAILED").inconclusive()).isTrue();
    assertThat(r.lookup()).isEqualTo(DnsOutcome.SERVFAIL);
  }

  @Test
  void parser_acceptsLfAndCrlf_andIgnoresExtensions() {
    MtaStsPolicyParser.Parsed p =
        MtaStsPolicyParser.parse(
            "version: STSv1\r\nmode: enforce\nmx: MX.Example.test\nx_ext: 1\nmax_age: 86400",
            "id1");

    assertThat(p.problems()).isEmpty();
    assertThat(p.policy().mx()).containsExactly("mx.example.test");
    assertThat(p.policy().matches("MX.EXAMPLE.TEST.")).isTrue();
  }

  @Test
  void fortyConcurrentChecks_allFetchThePolicy() throws Exception {
    // The relay of each fetch holds threads for the whole fetch; on the shared worker pool (16
    // threads) 16 fetches in flight took every thread and all of them ran into the deadline.
    domain();
    https = MockHttpsServer.start(stsCert);
    https.mtaStsPolicy(ENFORCE);
    MtaStsResolver c = checker(https.address(), Duration.ofSeconds(20));
    java.util.List<java.util.concurrent.CompletableFuture<MtaStsReport>> all =
        new java.util.ArrayList<>();
    dev.maildx.spi.Deadline deadline = dev.maildx.spi.Deadline.after(Duration.ofSeconds(20));
    long t0 = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      all.add(c.checkAsync(DomainName.of("sts.test"), deadline));
    }
    for (java.util.concurrent.CompletableFuture<MtaStsReport> f : all) {
      MtaStsReport r = f.get();
      assertThat(r.policy()).as("%s", r.findings()).isPresent();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(https.requestCount()).isEqualTo(40);
  }
}
