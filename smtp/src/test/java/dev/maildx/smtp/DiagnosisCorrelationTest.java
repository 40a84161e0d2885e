package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.Party;
import dev.maildx.Verdict;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.AuthReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcOutcomeReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.ProbeReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.TestCertificate;
import dev.maildx.testkit.TestDsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every correlation rule, end to end: real checks ({@code DnsChecks}, {@code SmtpChecks}, {@code
 * BounceChecks}) through {@link MailDiagnostics} against testkit servers on loopback, with delivery
 * notices written by {@link TestDsn}. The recipient is {@code bob@example.test} (MX hosts from
 * {@link ProbeLab}); the sender {@code alice@corp.test}, which moved from {@code oldprovider.test}
 * to {@code newprovider.test}, sending from 203.0.113.5.
 */
class DiagnosisCorrelationTest {
  static final String IP = "203.0.113.5";
  static final String SENDER = "alice@corp.test";
  static final String RECIPIENT = "bob@example.test";

  /** A recipient whose MX is never probed (the tests of the sender's side turn the probe off). */
  static final String OTHER = "carol@agency.test";

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  private ProbeLab lab;
  private final List<AutoCloseable> open = new ArrayList<>();
  private PolicyOptions options = PolicyOptions.defaults();

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
    dns.server()
        .zone(
            """
        $ORIGIN test.
        oldprovider             IN SOA ns hostmaster 1 3600 600 86400 300
        _spf.oldprovider        IN TXT "v=spf1 ip4:192.0.2.128/25 -all"
        newprovider             IN SOA ns hostmaster 1 3600 600 86400 300
        _spf.newprovider        IN TXT "v=spf1 ip4:203.0.113.0/24 -all"
        out.newprovider         IN A   203.0.113.5
        inbound.newprovider     IN A   198.51.100.20
        5.113.0.203.in-addr.arpa. IN PTR out.newprovider.test.
        corp                    IN SOA ns hostmaster 1 3600 600 86400 300
        corp                    IN MX  10 inbound.newprovider.test.
        corp                    IN TXT "v=spf1 include:_spf.oldprovider.test -all"
        agency                  IN MX  10 mx.agency.test.
        mx.agency               IN A   8.8.8.8
        """);
    // The sending IP is a documentation address: a route makes maildx treat it as the public
    // address it stands for.
    lab.config().route(InetAddresses.parse(IP), new java.net.InetSocketAddress("127.0.0.1", 9));
    // So is the new provider's inbound server: a working MX host of the sender.
    lab.config()
        .route(
            InetAddresses.parse("198.51.100.20"), new java.net.InetSocketAddress("127.0.0.1", 9));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    System.gc(); // Java 17's HttpClient (MTA-STS policy fetch) ends its selector thread only when
    // collected
    lab.close();
  }

  private MailDiagnostics maildx(Check... extra) {
    MailDiagnostics m =
        MailDiagnostics.builder()
            .config(lab.config().build())
            .options(options)
            .checks(extra)
            .build();
    open.add(m);
    return m;
  }

  /** From alice, sent from {@link #IP}, to {@link #OTHER} without an SMTP probe. */
  private DeliveryQuestion.Builder question() {
    return DeliveryQuestion.builder().from(SENDER).sendingIp(IP).to(OTHER).smtpProbe(false);
  }

  private static LikelyCause cause(DeliveryDiagnosis d, String code) {
    return d.likelyCauses().stream()
        .filter(c -> c.code().name().equals(code))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + code
                        + " in "
                        + d.likelyCauses().stream().map(c -> c.code().name()).toList()
                        + "; findings "
                        + d.findings().stream().map(Finding::code).toList()));
  }

  private static List<String> codes(LikelyCause c) {
    return c.evidence().stream().map(Finding::code).toList();
  }

  private static List<String> causes(DeliveryDiagnosis d) {
    return d.likelyCauses().stream().map(c -> c.code().name()).toList();
  }

  // ---------------------------------------------------------------- recipient domain

  @Test
  void nullMx_theDomainAcceptsNoMail_citingTheBounceToo() {
    dns.server().mx("nomail.test", 0, ".");
    Path dsn =
        TestDsn.failed("bob@nomail.test", "5.1.10")
            .diagnostic("550 5.1.10 Domain nomail.test does not accept mail (null MX)")
            .from(SENDER)
            .write(dir.resolve("n.eml"));

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to("bob@nomail.test").bounce(dsn).build());

    LikelyCause c = cause(d, "RECIPIENT_ACCEPTS_NO_MAIL");
    assertThat(d.likelyCauses().get(0)).isEqualTo(c);
    assertThat(c.party()).isEqualTo(Party.SENDER);
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(codes(c)).contains("MX_NULL", "BOUNCE_HARD");
    assertThat(causes(d)).doesNotContain("RECIPIENT_REJECTED_MESSAGE"); // the bounce is explained
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void nxdomain_theDomainDoesNotExist() {
    DeliveryDiagnosis d =
        maildx()
            .diagnose(
                DeliveryQuestion.builder().to("bob@no-such-domain.test").smtpProbe(false).build());

    LikelyCause c = cause(d, "RECIPIENT_DOMAIN_DOES_NOT_EXIST");
    assertThat(codes(c)).containsExactly("MX_NXDOMAIN");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void mxWithoutAddresses_noMailServer() {
    dns.server().mx("broken.test", 10, "mx.broken.test");

    DeliveryDiagnosis d =
        maildx()
            .diagnose(DeliveryQuestion.builder().to("bob@broken.test").smtpProbe(false).build());

    LikelyCause c = cause(d, "RECIPIENT_HAS_NO_MAIL_SERVER");
    assertThat(c.party()).isEqualTo(Party.RECIPIENT_DNS_ADMIN);
    assertThat(codes(c)).contains("MX_NO_USABLE_HOST");
  }

  @Test
  void mxLookupTimesOut_dnsNotAnswering() {
    lab.config().timeout(Duration.ofSeconds(2)).dnsQueryTimeout(Duration.ofMillis(400));
    dns.server().fault("silent.test", DnsFault.timeout());

    DeliveryDiagnosis d =
        maildx()
            .diagnose(DeliveryQuestion.builder().to("bob@silent.test").smtpProbe(false).build());

    LikelyCause c = cause(d, "RECIPIENT_DNS_NOT_ANSWERING");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.LOW);
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  // ---------------------------------------------------------------- recipient servers

  @Test
  void userUnknownBounce_andTheRcptProbeRejectsTheAddress_theMailboxDoesNotExist() {
    lab.mx(
        server(1)
            .recipient(
                RECIPIENT,
                "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in virtual mailbox table")
            .build());
    Path dsn =
        TestDsn.failed(RECIPIENT, "5.1.1")
            .remoteMta("mx1.example.test")
            .diagnostic(
                "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in virtual mailbox table")
            .from(SENDER)
            .write(dir.resolve("u.eml"));

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to(RECIPIENT).bounce(dsn).build());

    LikelyCause c = cause(d, "RECIPIENT_MAILBOX_UNKNOWN");
    assertThat(d.likelyCauses().get(0)).isEqualTo(c);
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(c.party()).isEqualTo(Party.SENDER);
    assertThat(codes(c)).containsExactly("SMTP_RCPT_USER_UNKNOWN", "BOUNCE_HARD");
    assertThat(c.summary())
        .contains("bob@example.test does not exist", "as the bounce did (\"550 5.1.1");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void userUnknownBounce_butTheProbeAcceptsTheAddress_isOnlyMediumConfidence() {
    lab.mx(
        server(1)
            .otherRecipients("550 5.1.1 no such user")
            .recipient(RECIPIENT, "250 2.1.5 Ok")
            .build());
    Path dsn =
        TestDsn.failed(RECIPIENT, "5.1.1")
            .diagnostic("550 5.1.1 User unknown")
            .from(SENDER)
            .write(dir.resolve("u.eml"));

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to(RECIPIENT).bounce(dsn).build());

    LikelyCause c = cause(d, "RECIPIENT_MAILBOX_UNKNOWN");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(codes(c)).contains("BOUNCE_HARD", "SMTP_ACCEPTED");
    assertThat(c.summary()).contains("accepted the address in maildx's probe");
  }

  @Test
  void delayNotice_andGatewaysThatNeverGreet_theGatewayIsNotAcceptingConnections() {
    lab.mx(server(1).policy(SmtpPolicy.blackHole()).build());
    lab.mx(server(2).policy(SmtpPolicy.tarpit(Duration.ofSeconds(1))).build());
    Path dsn =
        TestDsn.delayed(RECIPIENT, "4.4.7")
            .reportingMta("out.newprovider.test")
            .remoteMta("mx1.example.test")
            .diagnostic(
                "smtp; 421 4.4.2 mx1.example.test[192.0.2.11]:25: timed out while receiving the initial server greeting")
            .from(SENDER)
            .write(dir.resolve("delayed.eml"));

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to(RECIPIENT).bounce(dsn).build());

    assertThat(d.smtp().orElseThrow().hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsOnly(ProbeReport.Outcome.NO_BANNER);
    LikelyCause c = cause(d, "RECIPIENT_GATEWAY_UNRESPONSIVE");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(c.party()).isEqualTo(Party.RECIPIENT_POSTMASTER);
    assertThat(c.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(c.summary())
        .contains(
            "accept TCP connections but send no SMTP greeting (no banner)",
            "4.4.2",
            "timed out",
            "will wait",
            "then bounce",
            "out.newprovider.test");
    assertThat(codes(c))
        .contains("BOUNCE_DELAYED", "SMTP_NO_HOST_ACCEPTS", "SMTP_NO_BANNER", "SMTP_TARPIT");
    assertThat(causes(d)).doesNotContain("RECIPIENT_NOT_ACCEPTING_YET");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void gatewaysThatNeverGreet_withoutANotice_areMediumConfidenceAndAtRisk() {
    lab.mx(server(1).policy(SmtpPolicy.blackHole()).build());

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to(RECIPIENT));

    LikelyCause c = cause(d, "RECIPIENT_GATEWAY_UNRESPONSIVE");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(d.verdict()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void delayNotice_andConnectTimeouts_theGatewayIsNotAcceptingConnections() throws Exception {
    // A listener that never accepts, its backlog full: the kernel drops further SYNs (a filtered
    // port).
    try (java.net.ServerSocket full =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          java.net.Socket s = new java.net.Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 200);
          } catch (java.io.IOException ignored) {
            // the backlog is full
          }
          fillers.add(s);
        }
        lab.mx((java.net.InetSocketAddress) full.getLocalSocketAddress());
        Path dsn =
            TestDsn.delayed(RECIPIENT, "4.4.1")
                .diagnostic(
                    "smtp; 451 4.4.1 connect to mx1.example.test[192.0.2.11]:25: Connection timed out")
                .from(SENDER)
                .write(dir.resolve("delayed.eml"));

        DeliveryDiagnosis d =
            maildx().diagnose(DeliveryQuestion.builder().to(RECIPIENT).bounce(dsn).build());

        assertThat(d.smtp().orElseThrow().hosts())
            .extracting(ProbeReport.Host::outcome)
            .containsOnly(ProbeReport.Outcome.CONNECT_TIMEOUT);
        LikelyCause c = cause(d, "RECIPIENT_GATEWAY_UNRESPONSIVE");
        assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
        assertThat(codes(c)).contains("BOUNCE_DELAYED", "SMTP_UNREACHABLE", "SMTP_CONNECT_TIMEOUT");
        assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
      } finally {
        for (java.net.Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void enforcedMtaStsPolicyOverHttps_andAnUntrustedCertificate_tlsRequiredButBroken() {
    TestCertificate ca = TestCertificate.authority("Correlation CA");
    MockHttpsServer https = MockHttpsServer.start(ca.issue("mta-sts.example.test"));
    open.add(https);
    https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n");
    dns.server()
        .txt("_mta-sts.example.test", "v=STSv1; id=20260101")
        .a("mta-sts.example.test", "192.0.2.80");
    lab.config().route(InetAddresses.parse("192.0.2.80"), https.address());
    options = PolicyOptions.builder().trustStore(ca.trustStore()).build();
    lab.mx(server(1).build()); // STARTTLS with a self-signed certificate: not trusted

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to(RECIPIENT));

    assertThat(d.mtaSts().orElseThrow().policy())
        .isPresent(); // the policy came from the mta-sts check, over HTTPS
    assertThat(d.findings("SMTP_MTA_STS_CERT_INVALID"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("enforce"));
    LikelyCause c = cause(d, "RECIPIENT_MTA_STS_TLS_BROKEN");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(codes(c))
        .contains("SMTP_MTA_STS_CERT_INVALID", "MTA_STS_OK", "TLS_CERT_SELF_SIGNED");
    assertThat(d.verdict()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void greylistingReply_nobodyMustAct() {
    lab.mx(
        server(1)
            .recipient(
                RECIPIENT,
                "450 4.2.0 <bob@example.test>: Recipient address rejected: Greylisted, see https://grey.example/")
            .build());

    DeliveryDiagnosis d = maildx().diagnose(DeliveryQuestion.to(RECIPIENT));

    LikelyCause c = cause(d, "RECIPIENT_GREYLISTING");
    assertThat(c.party()).isEqualTo(Party.NOBODY);
    assertThat(codes(c)).containsExactly("SMTP_RCPT_GREYLISTED");
  }

  // ---------------------------------------------------------------- sender authentication

  @Test
  void spfBounce_andThisIpStillFailsSpf_yourSpfDoesNotAuthorizeTheProviderYouMovedTo() {
    Path dsn =
        TestDsn.failed(OTHER, "5.7.23")
            .reportingMta("out.newprovider.test")
            .remoteMta("mx1.example.test")
            .diagnostic(
                "smtp; 550 5.7.23 <carol@agency.test>: Recipient address rejected: Message rejected due to: SPF fail - not authorized")
            .from(SENDER)
            .write(dir.resolve("spf.eml"));

    DeliveryDiagnosis d = maildx().diagnose(question().bounce(dsn).build());

    LikelyCause c = cause(d, "SENDER_SPF_REJECTED");
    assertThat(d.likelyCauses().get(0)).isEqualTo(c);
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(c.party()).isEqualTo(Party.SENDER_DNS_ADMIN);
    assertThat(c.summary())
        .contains(
            "does not authorize the provider",
            "203.0.113.5 (out.newprovider.test)",
            "still fail",
            "only include:_spf.oldprovider.test (ip4:192.0.2.128/25)",
            "5.7.23");
    assertThat(codes(c)).contains("BOUNCE_FAILED", "SPF_FAIL", "PTR_OK");
    assertThat(causes(d))
        .doesNotContain("SENDER_SPF_DOES_NOT_AUTHORIZE_IP", "RECIPIENT_REJECTED_MESSAGE");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void bounceWith571NamingSpf_countsAsAnSpfRejection() {
    Path dsn =
        TestDsn.failed(OTHER, "5.7.1")
            .diagnostic(
                "smtp; 550 5.7.1 Sender Policy Framework check failed for corp.test, "
                    + "see http://www.open-spf.org/Why")
            .from(SENDER)
            .write(dir.resolve("spf.eml"));

    DeliveryDiagnosis d = maildx().diagnose(question().bounce(dsn).build());

    assertThat(cause(d, "SENDER_SPF_REJECTED").confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
  }

  @Test
  void dmarcBounce_butSpfPassesForTheIp_isMediumAndPointsAtTheProvider() {
    dns.server()
        .remove("corp.test", "TXT")
        .txt("corp.test", "v=spf1 include:_spf.newprovider.test -all");
    Path dsn =
        TestDsn.failed(OTHER, "5.7.26")
            .diagnostic(
                "smtp; 550 5.7.26 Unauthenticated email from corp.test is not accepted due "
                    + "to domain's DMARC policy")
            .from(SENDER)
            .write(dir.resolve("dmarc.eml"));

    DeliveryDiagnosis d = maildx().diagnose(question().bounce(dsn).build());

    LikelyCause c = cause(d, "SENDER_SPF_REJECTED");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(c.party()).isEqualTo(Party.SENDER_MAIL_PROVIDER);
    assertThat(codes(c)).contains("SPF_PASS");
  }

  @Test
  void spfBounce_withoutASendingIp_asksForIt() {
    Path dsn =
        TestDsn.failed(OTHER, "5.7.23")
            .diagnostic("smtp; 550 5.7.23 SPF validation failed")
            .from(SENDER)
            .write(dir.resolve("spf.eml"));

    DeliveryDiagnosis d =
        maildx()
            .diagnose(
                DeliveryQuestion.builder()
                    .from(SENDER)
                    .to(OTHER)
                    .bounce(dsn)
                    .smtpProbe(false)
                    .build());

    LikelyCause c = cause(d, "SENDER_SPF_REJECTED");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(c.action()).contains("--ip");
  }

  @Test
  void spfFailForTheIp_withoutABounce_spfDoesNotAuthorizeTheIp() {
    DeliveryDiagnosis d = maildx().diagnose(question().build());

    LikelyCause c = cause(d, "SENDER_SPF_DOES_NOT_AUTHORIZE_IP");
    assertThat(c.summary())
        .contains("203.0.113.5 (out.newprovider.test)", "only include:_spf.oldprovider.test");
    assertThat(codes(c)).contains("SPF_FAIL");
  }

  @Test
  void spfRecordWithALoop_isBroken() {
    dns.server().remove("corp.test", "TXT").txt("corp.test", "v=spf1 include:corp.test -all");

    DeliveryDiagnosis d = maildx().diagnose(question().build());

    LikelyCause c = cause(d, "SENDER_SPF_RECORD_BROKEN");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(codes(c)).contains("SPF_PERMERROR");
  }

  @Test
  void dmarcReject_dkimKeysOfTheProviderMissing_andSpfFails_yourMessagesWillBeRejected() {
    dns.server()
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject")
        .cname("selector1._domainkey.corp.test", "selector1-corp-test._domainkey.newprovider.test");

    DeliveryDiagnosis d = maildx().diagnose(question().build());

    LikelyCause c = cause(d, "SENDER_DMARC_WILL_REJECT");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(c.party()).isEqualTo(Party.SENDER_MAIL_PROVIDER);
    assertThat(c.summary())
        .contains("will be rejected", "p=reject", "selector1", "SPF fails for 203.0.113.5");
    assertThat(codes(c)).contains("DMARC_OK", "DKIM_CNAME_TARGET_MISSING", "SPF_FAIL");
    assertThat(causes(d))
        .doesNotContain("SENDER_DMARC_WITHOUT_DKIM")
        .contains("SENDER_SPF_DOES_NOT_AUTHORIZE_IP");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void dmarcReject_withoutDkimKeys_butSpfPasses_isOnlyDmarcWithoutDkim() {
    dns.server()
        .remove("corp.test", "TXT")
        .txt("corp.test", "v=spf1 include:_spf.newprovider.test -all")
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject")
        .cname("selector1._domainkey.corp.test", "selector1-corp-test._domainkey.newprovider.test");

    DeliveryDiagnosis d = maildx().diagnose(question().build());

    assertThat(causes(d))
        .contains("SENDER_DMARC_WITHOUT_DKIM")
        .doesNotContain("SENDER_DMARC_WILL_REJECT");
    assertThat(d.verdict()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void aMessagesOwnDmarcFailure_fromAnAuthReport_firesTheRule() {
    dns.server()
        .remove("corp.test", "TXT")
        .txt("corp.test", "v=spf1 include:_spf.newprovider.test -all");
    Check auth = new AuthStandIn();

    DeliveryDiagnosis d = maildx(auth).diagnose(question().build());

    LikelyCause c = cause(d, "SENDER_DMARC_WILL_REJECT");
    assertThat(c.summary()).contains("the message fails DMARC", "dmarc=fail");
    assertThat(codes(c)).contains("DKIM_BODY_HASH_MISMATCH");
    assertThat(c.effect()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  // ---------------------------------------------------------------- reputation

  @Test
  void blocklistInTheBounce_andTheIpListed_reputation() {
    dns.server()
        .a("5.113.0.203.zen.spamhaus.org", "127.0.0.3")
        .txt("5.113.0.203.zen.spamhaus.org", "https://check.spamhaus.org/query/ip/203.0.113.5");
    Path dsn =
        TestDsn.failed(OTHER, "5.7.1")
            .diagnostic(
                "smtp; 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked "
                    + "using zen.spamhaus.org; https://check.spamhaus.org/query/ip/203.0.113.5")
            .from(SENDER)
            .write(dir.resolve("bl.eml"));

    DeliveryDiagnosis d = maildx().diagnose(question().bounce(dsn).build());

    LikelyCause c = cause(d, "SENDER_IP_REPUTATION");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.HIGH);
    assertThat(c.party()).isEqualTo(Party.SENDER_MAIL_PROVIDER);
    assertThat(c.summary())
        .contains(
            "Spamhaus ZEN",
            "https://check.spamhaus.org/query/ip/203.0.113.5",
            "203.0.113.5 (out.newprovider.test)");
    assertThat(codes(c)).contains("BOUNCE_FAILED", "DNSBL_LISTED");
    assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void rejectedGreeting_andTheIpListed_reputationAtMediumConfidence() {
    dns.server().a("5.113.0.203.bl.spamcop.net", "127.0.0.2");
    lab.mx(
        server(1).greeting("554 mx1.example.test ESMTP not accepting messages from you").build());

    DeliveryDiagnosis d = maildx().diagnose(question().to(RECIPIENT).smtpProbe(true).build());

    LikelyCause c = cause(d, "SENDER_IP_REPUTATION");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.MEDIUM);
    assertThat(codes(c)).contains("DNSBL_LISTED", "SMTP_GREETING_REJECTED");
  }

  // ---------------------------------------------------------------- sender domain and fallbacks

  @Test
  void senderMxWithTheOldProvidersDeadHostFirst_isHalfMoved() {
    dns.server().mx("corp.test", 5, "mx.oldprovider.test");

    DeliveryDiagnosis d = maildx().diagnose(question().build());

    LikelyCause c = cause(d, "SENDER_MX_HALF_MOVED");
    assertThat(c.party()).isEqualTo(Party.SENDER_DNS_ADMIN);
    assertThat(c.summary())
        .contains(
            "half-moved",
            "5 mx.oldprovider.test (no address)",
            "10 inbound.newprovider.test (198.51.100.20)",
            "try the dead host first");
    assertThat(c.action())
        .contains("Remove", "mx.oldprovider.test", "keep inbound.newprovider.test");
    assertThat(codes(c)).contains("MX_TARGET_NO_ADDRESS");
  }

  @Test
  void aBounceNothingElseExplains_isExplainedByTheNoticeItself() {
    Path dsn =
        TestDsn.failed(OTHER, "5.2.2")
            .diagnostic("smtp; 552 5.2.2 <carol@agency.test>: mailbox full")
            .from(SENDER)
            .write(dir.resolve("full.eml"));

    DeliveryDiagnosis d =
        maildx()
            .diagnose(DeliveryQuestion.builder().to(OTHER).bounce(dsn).smtpProbe(false).build());

    LikelyCause c = cause(d, "RECIPIENT_REJECTED_MESSAGE");
    assertThat(c.summary()).contains("mailboxfull", "552 5.2.2");
    assertThat(codes(c)).containsExactly("BOUNCE_FAILED");
  }

  @Test
  void aDelayNothingElseExplains_theRecipientIsNotAcceptingYet() {
    lab.mx(server(1).build());
    Path dsn =
        TestDsn.delayed(RECIPIENT, "4.3.0")
            .diagnostic("smtp; 451 4.3.0 Temporary local problem, try again later")
            .from(SENDER)
            .write(dir.resolve("d.eml"));

    DeliveryDiagnosis d =
        maildx().diagnose(DeliveryQuestion.builder().to(RECIPIENT).bounce(dsn).build());

    LikelyCause c = cause(d, "RECIPIENT_NOT_ACCEPTING_YET");
    assertThat(c.confidence()).isEqualTo(LikelyCause.Confidence.LOW);
    assertThat(causes(d)).doesNotContain("RECIPIENT_GATEWAY_UNRESPONSIVE");
  }

  /**
   * Stands in for the message-authentication check: a message whose DKIM failed, so DMARC fails
   * with p=reject.
   */
  private static final class AuthStandIn implements Check {
    @Override
    public String name() {
      return "auth";
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return true;
    }

    @Override
    public CompletableFuture<CheckReport> run(CheckContext ctx) {
      DomainName from = DomainName.of("corp.test");
      DmarcRecord record = null;
      DmarcEvaluation e =
          new DmarcEvaluation(
              from,
              DmarcEvaluation.Result.FAIL,
              record,
              from,
              from,
              DmarcRecord.Policy.REJECT,
              DmarcRecord.Policy.REJECT,
              new DmarcEvaluation.IdentifierAlignment(
                  DmarcRecord.Alignment.RELAXED, null, null, List.of()),
              new DmarcEvaluation.IdentifierAlignment(
                  DmarcRecord.Alignment.RELAXED, null, null, List.of()),
              DmarcEvaluation.Result.FAIL,
              List.of(
                  "DKIM: the signature of corp.test failed (body hash mismatch).",
                  "SPF: bounces.mailer.test passed but does not align."),
              "");
      Finding f =
          Finding.error(
                  AuthReport.Code.DKIM_BODY_HASH_MISMATCH,
                  "auth",
                  "The DKIM signature of corp.test failed: the body changed.")
              .build();
      DmarcOutcomeReport r =
          new DmarcOutcomeReport() {
            @Override
            public DmarcEvaluation dmarc() {
              return e;
            }

            @Override
            public String check() {
              return "auth";
            }

            @Override
            public List<Finding> findings() {
              return List.of(f);
            }
          };
      return CompletableFuture.completedFuture(r);
    }
  }
}
