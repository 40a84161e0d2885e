package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.codes;
import static dev.maildx.smtp.ProbeLab.finding;
import static dev.maildx.smtp.ProbeLab.only;
import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.TestCertificate;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STARTTLS, the certificate chain and its judgement (RFC 3207, RFC 5280, RFC 6125), DANE (RFC 7672)
 * and MTA-STS (RFC 8461 §4.2).
 */
class SmtpProberTlsTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
  }

  @AfterEach
  void noneLeft() {
    lab.close();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static String sha512(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
  }

  private void tlsa(String rdata) {
    dns.server().record("_25._tcp.mx1.example.test. 300 IN TLSA " + rdata);
  }

  @Test
  void certificateIssuedByATrustedAuthority_isTrustedAndTheWholeChainIsCaptured() {
    TestCertificate ca = TestCertificate.authority("maildx Test CA");
    lab.mx(server(1).certificate(ca.issue("mx1.example.test")).build());

    ProbeReport r = lab.prober(b -> b.trustStore(ca.trustStore())).probe(ProbeLab.DOMAIN);

    ProbeReport.Host h = only(r);
    assertThat(h.tls().trusted()).isTrue();
    assertThat(h.tls().trustProblem()).isNull();
    assertThat(h.tls().chain())
        .extracting(ProbeReport.Certificate::subject)
        .containsExactly("CN=mx1.example.test", "CN=maildx Test CA");
    assertThat(h.tls().leaf().issuer()).isEqualTo("CN=maildx Test CA");
    assertThat(codes(r))
        .contains("TLS_OK")
        .doesNotContain("TLS_CERT_UNTRUSTED", "TLS_CERT_SELF_SIGNED", "TLS_CERT_NAME_MISMATCH");
  }

  @Test
  void certificateOfAnUnknownAuthority_isUntrustedWithTheReason() {
    TestCertificate ca = TestCertificate.authority("Unknown CA");
    lab.mx(server(1).certificate(ca.issue("mx1.example.test")).build());

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).tls().trusted()).isFalse();
    assertThat(finding(r, "TLS_CERT_UNTRUSTED").message())
        .contains("unknown or untrusted authority", "CN=Unknown CA");
  }

  @Test
  void certificateExpiringSoon_isReported() {
    Instant now = Instant.now();
    TestCertificate ca = TestCertificate.authority("maildx Test CA");
    TestCertificate soon =
        TestCertificate.spec("mx1.example.test")
            .issuer(ca)
            .validity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(3)))
            .build();
    lab.mx(server(1).certificate(soon).build());

    ProbeReport r = lab.prober(b -> b.trustStore(ca.trustStore())).probe(ProbeLab.DOMAIN);

    assertThat(only(r).tls().expiresSoon()).isTrue();
    assertThat(finding(r, "TLS_CERT_EXPIRES_SOON").message()).contains("renew");
  }

  @Test
  void wildcardCertificate_matchesOneLabelOnly() {
    lab.mx(server(1).certificate(TestCertificate.selfSigned("*.example.test")).build());
    dns.server().mx("deep.test", 10, "a.b.example.test").a("a.b.example.test", "192.0.2.11");

    assertThat(only(lab.prober().probe(ProbeLab.DOMAIN)).tls().hostnameMatches()).isTrue();
    assertThat(only(lab.prober().probe("deep.test")).tls().hostnameMatches()).isFalse();
  }

  @Test
  void weakRsaKey_isReported() {
    lab.mx(
        server(1).certificate(TestCertificate.spec("mx1.example.test").rsa(1024).build()).build());

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).tls().leaf().keySize()).isEqualTo(1024);
    assertThat(codes(r)).contains("TLS_WEAK_KEY");
  }

  @Test
  void daneEe_matchingTheServersKey_isOk() throws Exception {
    MockSmtpServer s = lab.mx(server(1).build());
    tlsa("3 1 1 " + sha256(s.certificate().certificate().getPublicKey().getEncoded()));

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    ProbeReport.Dane d = only(r).dane();
    assertThat(d.status()).isEqualTo(ProbeReport.Dane.Status.MATCHED);
    assertThat(d.matched().usage()).isEqualTo(3);
    assertThat(finding(r, "DANE_OK").message()).contains("DANE-EE");
    assertThat(only(r).tls().leaf().spkiSha256()).isEqualTo(d.matched().hex());
  }

  @Test
  void daneEe_matchesFullCertificateAndSha512_andIgnoresNameAndDates() throws Exception {
    MockSmtpServer s =
        lab.mx(server(1).certificate(TestCertificate.expired("wrong.name.test")).build());
    tlsa("3 0 2 " + sha512(s.certificate().certificate().getEncoded()));

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.MATCHED);
  }

  @Test
  void daneEe_thatMatchesNothing_isAnError() {
    lab.mx(server(1).build());
    tlsa("3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.NOT_MATCHED);
    Finding f = finding(r, "DANE_MISMATCH");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).contains("will not deliver");
  }

  @Test
  void daneTa_matchingTheIssuer_isOk() throws Exception {
    TestCertificate ca = TestCertificate.authority("DANE TA");
    lab.mx(server(1).certificate(ca.issue("mx1.example.test")).build());
    tlsa("2 0 1 " + sha256(ca.certificate().getEncoded()));

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.MATCHED);
    assertThat(finding(r, "DANE_OK").message()).contains("DANE-TA");
  }

  @Test
  void daneTa_withACertificateForAnotherName_isNotMatched() throws Exception {
    TestCertificate ca = TestCertificate.authority("DANE TA");
    lab.mx(server(1).certificate(ca.issue("other.example.test")).build());
    tlsa("2 1 1 " + sha256(ca.certificate().getPublicKey().getEncoded()));

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.NOT_MATCHED);
    assertThat(only(r).dane().detail()).contains("does not name the MX host");
  }

  @Test
  void pkixUsages_areUnusableForSmtp() throws Exception {
    MockSmtpServer s = lab.mx(server(1).build());
    tlsa("1 1 1 " + sha256(s.certificate().certificate().getPublicKey().getEncoded()));

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.UNUSABLE);
    assertThat(codes(r)).contains("DANE_UNUSABLE");
  }

  @Test
  void tlsaWithoutStarttls_isDaneNoTls() {
    lab.mx(server(1).tls(false).build());
    tlsa("3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.NO_TLS);
    assertThat(finding(r, "DANE_NO_TLS").effect()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void noTlsa_isNoRecordsAndNoFinding() {
    lab.mx(server(1).build());

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(only(r).dane().status()).isEqualTo(ProbeReport.Dane.Status.NO_RECORDS);
    assertThat(codes(r)).noneMatch(c -> c.startsWith("DANE_"));
  }

  private static MtaStsReport.Policy policy(MtaStsReport.Policy.Mode mode) {
    return new MtaStsReport.Policy(mode, List.of("*.example.test"), Duration.ofDays(7), "20240101");
  }

  @Test
  void mtaStsEnforce_withAnUntrustedCertificate_isAnError() {
    lab.mx(server(1).build());

    ProbeReport r =
        lab.prober()
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.ENFORCE))
                    .build());

    Finding f = finding(r, "SMTP_MTA_STS_CERT_INVALID");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).contains("not trusted", "enforce");
  }

  @Test
  void mtaStsEnforce_withANameMismatch_isAnError() {
    TestCertificate ca = TestCertificate.authority("maildx Test CA");
    lab.mx(server(1).certificate(ca.issue("elsewhere.example.net")).build());

    ProbeReport r =
        lab.prober(b -> b.trustStore(ca.trustStore()))
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.ENFORCE))
                    .build());

    assertThat(finding(r, "SMTP_MTA_STS_CERT_INVALID").message())
        .contains("does not name mx1.example.test");
  }

  @Test
  void mtaStsEnforce_withoutTls_isAnError() {
    lab.mx(server(1).tls(false).build());

    ProbeReport r =
        lab.prober()
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.ENFORCE))
                    .build());

    assertThat(finding(r, "SMTP_MTA_STS_TLS_FAILED").severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void mtaStsEnforce_withAFailedHandshake_isAnError() {
    lab.mx(server(1).policy(SmtpPolicy.tlsHandshakeFailure()).build());

    ProbeReport r =
        lab.prober()
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.ENFORCE))
                    .build());

    assertThat(only(r).outcome()).isEqualTo(ProbeReport.Outcome.TLS_FAILED);
    assertThat(finding(r, "SMTP_MTA_STS_TLS_FAILED").severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void mtaStsTesting_isOnlyAWarning() {
    lab.mx(server(1).build());

    ProbeReport r =
        lab.prober()
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.TESTING))
                    .build());

    assertThat(finding(r, "SMTP_MTA_STS_CERT_INVALID").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void mtaStsEnforce_withAValidCertificate_addsNothing() {
    TestCertificate ca = TestCertificate.authority("maildx Test CA");
    lab.mx(server(1).certificate(ca.issue("mx1.example.test")).build());

    ProbeReport r =
        lab.prober(b -> b.trustStore(ca.trustStore()))
            .probe(
                ProbeRequest.domain(ProbeLab.DOMAIN)
                    .mtaStsPolicy(policy(MtaStsReport.Policy.Mode.ENFORCE))
                    .build());

    assertThat(codes(r)).noneMatch(c -> c.startsWith("SMTP_MTA_STS"));
  }

  @Test
  void starttlsDisabled_staysInPlaintext() {
    MockSmtpServer s = lab.mx(server(1).build());

    ProbeReport r = lab.prober(b -> b.startTls(false)).probe(ProbeLab.DOMAIN);

    assertThat(only(r).tls()).isNull();
    assertThat(s.sessions().get(0).sent("STARTTLS")).isFalse();
    assertThat(codes(r)).doesNotContain("SMTP_NO_STARTTLS");
  }

  @Test
  void eachProbe_seesAFullHandshakeAndTheCurrentCertificate() {
    lab.mx(server(1).build());
    SmtpProber p = lab.prober();

    ProbeReport first = p.probe(ProbeLab.DOMAIN);
    ProbeReport second = p.probe(ProbeLab.DOMAIN);

    assertThat(only(second).tls().chain()).isNotEmpty();
    assertThat(only(second).tls().leaf().sha256()).isEqualTo(only(first).tls().leaf().sha256());
  }
}
